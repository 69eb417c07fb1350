// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to the simulator: the per-allocation records. Replays hold millions of them, so the hot part
// is one cache line; the intrusive links put an allocation in at most one list at a time.

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/SimTypes.h"

#include <cstdint>
#include <vector>

namespace offerscope::sim {

inline constexpr std::uint32_t kNil = 0xFFFFFFFFu;

/// Which list an allocation is linked into (derived from its state, see Simulator::relink).
enum class ListKind : std::uint8_t { None, Lru, Offer, Pending, DiscardedDecommittable };

/// The fields every call touches: exactly one 64-byte cache line, so a million of them stay cheap.
struct alignas(64) AllocationRecord {
    std::uint64_t size = 0;
    std::uint64_t orderSeq = 0; ///< offer order in an offer queue, last use in an LRU list
    std::uint64_t offerTime = 0; ///< simulated µs when the offer was made
    std::uint32_t prev = kNil;
    std::uint32_t next = kNil;
    std::uint32_t resource = kNil; ///< slot of its resource
    std::uint32_t residencyPriority = ResidencyPriority::kNormal;
    std::uint16_t process = 0;
    std::uint16_t device = 0;
    std::uint16_t residentRefs = 0; ///< MakeResident references (the residency list)
    std::uint16_t lockCount = 0;
    std::uint8_t segment = 0;
    std::uint8_t generation = 0;
    AllocationState state = AllocationState::Destroyed;
    OfferLevel level = OfferLevel::Low; ///< discard level (AUTO mapped)
    OfferPriority requested = OfferPriority::None; ///< priority given in the offer call (AUTO kept)
    ListKind list = ListKind::None;
    std::uint16_t lruBucket = 0xFFFF; ///< eviction bucket of its residency priority (0xFFFF: not looked up)
    bool resident : 1 = false; ///< occupies memory in its segment
    bool allowDecommit : 1 = false;
    bool gpuBusy : 1 = false; ///< referenced by GPU work that has not retired
    bool decommitReported : 1 = false; ///< a reclaim already answered NOT_COMMITTED
    bool evictWhenIdle : 1 = false; ///< Evict dropped the last reference while it was pinned
    bool pinned() const { return lockCount != 0 || gpuBusy; }
};
static_assert(sizeof(AllocationRecord) == 64, "one cache line per allocation on the hot path");

/// The fields only the general call path, the views and the event log need, kept off the hot line.
struct AllocationColdRecord {
    std::uint64_t lastGpuFence = 0; ///< device fence value of the last GPU work using it
    std::uint64_t lossSeq = 0; ///< recorded event that discarded or decommitted it (0: none or log off)
    std::uint32_t nextInResource = kNil;
    std::uint32_t callMark = 0; ///< duplicate detection inside one call
};

using AllocationRecords = std::vector<AllocationRecord>;

/// Doubly linked list threaded through AllocationRecord::prev/next: O(1) push, erase, front.
struct AllocationList {
    std::uint32_t head = kNil;
    std::uint32_t tail = kNil;
    std::uint32_t count = 0;
    std::uint64_t bytes = 0;

    bool empty() const { return head == kNil; }

    [[gnu::always_inline]] void pushBack(AllocationRecords& records, std::uint32_t index)
    {
        AllocationRecord& record = records[index];
        record.prev = tail;
        record.next = kNil;
        if (tail != kNil)
            records[tail].next = index;
        else
            head = index;
        tail = index;
        ++count;
        bytes += record.size;
    }

    [[gnu::always_inline]] void erase(AllocationRecords& records, std::uint32_t index)
    {
        AllocationRecord& record = records[index];
        if (record.prev != kNil)
            records[record.prev].next = record.next;
        else
            head = record.next;
        if (record.next != kNil)
            records[record.next].prev = record.prev;
        else
            tail = record.prev;
        record.prev = record.next = kNil;
        --count;
        bytes -= record.size;
    }

    template <typename F> void forEach(const AllocationRecords& records, F&& f) const
    {
        for (std::uint32_t i = head; i != kNil; i = records[i].next)
            f(i);
    }
};

} // namespace offerscope::sim
