// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private records of the Simulator, shared by its implementation files only.

#include "core/sim/FastPaths.h"
#include "core/sim/Simulator.h"

#include <array>
#include <cstdint>

namespace offerscope::sim {

namespace HandleKind {
inline constexpr std::uint32_t kAdapter = 0x1;
inline constexpr std::uint32_t kProcess = 0x2;
inline constexpr std::uint32_t kDevice = 0x3;
inline constexpr std::uint32_t kAllocation = 0x4;
inline constexpr std::uint32_t kResource = 0x5;
inline constexpr std::uint32_t kPagingQueue = 0x6;
} // namespace HandleKind
inline constexpr std::uint32_t kHandleIndexBits = 24;
inline constexpr std::uint32_t kHandleIndexMask = (1u << kHandleIndexBits) - 1;
inline constexpr std::uint32_t kGenerationMask = 0xF;
/// Simulated time never wraps around: it stops at the end of time (a huge duration is not a trip back).
inline std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b)
{
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}
/// D3DKMT_MAX_SEGMENT_COUNT: per-segment scratch lives on the stack.
inline constexpr std::size_t kMaxSegments = 32;
using SegmentBytes = std::array<std::uint64_t, kMaxSegments>;

struct Simulator::SegmentState {
    SegmentConfig config;
    std::array<std::uint64_t, kAllocationStateCount> bytesByState {};
    std::uint64_t committed = 0;
    std::uint64_t resident = 0;
    std::uint64_t offeredResident = 0; ///< state Offered and resident: what discarding can give back
    std::array<std::uint64_t, 5> offeredByPriority {};
    std::array<std::uint64_t, kOfferLevelCount> offeredByLevel {};
    std::uint64_t totalBytesEvicted = 0;
    std::array<std::uint64_t, kQueryStatisticsPriorityClassMax> totalBytesEvictedByPriority {};
    std::uint64_t totalBytesDiscarded = 0;
    std::uint64_t totalBytesDecommitted = 0;
    std::uint32_t allocsCommitted = 0;
    std::uint32_t allocsResident = 0;
};

/// One process' allocations in one segment: its offer queues and eviction (LRU) lists.
struct Simulator::ProcessSegment {
    OfferQueue offers[kOfferLevelCount][2]; ///< [level][AllowDecommit]
    AllocationList pending;
    AllocationList discardedDecommittable; ///< discarded, AllowDecommit: first to decommit
    /// Eviction lists, one per residency priority, least recently used first. Append-only so that an
    /// allocation can remember its bucket; lruOrder lists the buckets by ascending priority.
    std::vector<std::pair<UINT, AllocationList>> lru;
    std::vector<std::uint16_t> lruOrder;
    [[gnu::always_inline]] AllocationList& lruList(AllocationRecord& a)
    {
        if (a.lruBucket == 0xFFFF)
            a.lruBucket = bucketFor(a.residencyPriority);
        return lru[a.lruBucket].second;
    }
    std::uint16_t bucketFor(UINT priority)
    {
        for (std::size_t i = 0; i < lru.size(); ++i)
            if (lru[i].first == priority)
                return static_cast<std::uint16_t>(i);
        lru.push_back({ priority, AllocationList {} });
        const auto bucket = static_cast<std::uint16_t>(lru.size() - 1);
        auto at = lruOrder.begin();
        while (at != lruOrder.end() && lru[*at].first < priority)
            ++at;
        lruOrder.insert(at, bucket);
        return bucket;
    }
    std::uint64_t lruBytes = 0;
    std::uint64_t committed = 0;
    std::uint64_t resident = 0;
    std::uint32_t allocsCommitted = 0;
    std::uint32_t allocsResident = 0;
    std::uint32_t evictedInPeriod = 0;
};

struct Simulator::ProcessRecord {
    D3DKMT_HANDLE handle = 0;
    std::string name;
    std::uint64_t budget[kSegmentGroupCount] = { 0, 0 };
    std::uint64_t reservation[kSegmentGroupCount] = { 0, 0 };
    std::uint64_t resident[kSegmentGroupCount] = { 0, 0 };
    std::uint64_t offeredResident[kSegmentGroupCount] = { 0, 0 };
    std::uint64_t decommittable = 0;
    std::uint64_t decommitUniqueness = 0;
    ProcessVerifier verifier;
    std::vector<ProcessSegment> segments;
    std::vector<std::uint32_t> devices;
};

struct Simulator::GpuWork {
    std::uint64_t fence = 0;
    std::uint64_t endTime = 0;
    std::vector<D3DKMT_HANDLE> allocations;
};

struct Simulator::PagingWork {
    std::uint64_t fence = 0;
    std::uint64_t endTime = 0;
    std::uint64_t bytes = 0;
};

struct Simulator::DeviceRecord {
    D3DKMT_HANDLE handle = 0;
    std::uint32_t process = 0;
    bool removed = false;
    std::uint64_t submittedFence = 0;
    std::uint64_t completedFence = 0;
    std::uint64_t lastEndTime = 0;
    std::deque<GpuWork> work;
};

struct Simulator::PagingQueueRecord {
    D3DKMT_HANDLE handle = 0;
    std::uint32_t device = 0;
    std::uint64_t submittedFence = 0;
    std::uint64_t completedFence = 0;
    std::uint64_t lastEndTime = 0;
    std::deque<PagingWork> work;
};

struct Simulator::ResourceRecord {
    std::uint32_t firstAllocation = kNil;
    std::uint32_t allocationCount = 0;
    std::uint32_t device = 0;
    std::uint8_t generation = 0;
    bool live = false;
    bool present = false;
};

// Decoding an allocation handle is on every call's path: inline for all implementation files.
inline std::uint32_t Simulator::allocationIndex(D3DKMT_HANDLE handle) const
{
    if ((handle >> 28) != HandleKind::kAllocation)
        return kNil;
    const std::uint32_t index = (handle & kHandleIndexMask) - 1;
    if (index >= m_allocations.size())
        return kNil;
    const AllocationRecord& record = m_allocations[index];
    if (record.state == AllocationState::Destroyed
        || record.generation != ((handle >> kHandleIndexBits) & kGenerationMask))
        return kNil;
    return index;
}

// Devices and paging queues (and processes) have no generations: a handle with those bits set is not
// theirs, and Windows would reject it.
inline std::uint32_t Simulator::deviceIndex(D3DKMT_HANDLE handle) const
{
    if ((handle >> 28) != HandleKind::kDevice || ((handle >> kHandleIndexBits) & kGenerationMask) != 0)
        return kNil;
    const std::uint32_t index = (handle & kHandleIndexMask) - 1;
    return index < m_devices.size() ? index : kNil;
}

inline std::uint32_t Simulator::pagingQueueIndex(D3DKMT_HANDLE handle) const
{
    if ((handle >> 28) != HandleKind::kPagingQueue || ((handle >> kHandleIndexBits) & kGenerationMask) != 0)
        return kNil;
    const std::uint32_t index = (handle & kHandleIndexMask) - 1;
    return index < m_pagingQueues.size() ? index : kNil;
}

inline OfferLevel Simulator::levelFor(OfferPriority priority, UINT residencyPriority) const
{
    switch (priority) {
    case OfferPriority::Low:
        return OfferLevel::Low;
    case OfferPriority::Normal:
        return OfferLevel::Normal;
    case OfferPriority::High:
        return OfferLevel::High;
    case OfferPriority::Auto:
    case OfferPriority::None:
        break;
    }
    return autoOfferLevel(residencyPriority);
}

/// "0x40000001".

} // namespace offerscope::sim
