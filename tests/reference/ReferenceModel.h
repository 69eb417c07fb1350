// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A second model of the offer/reclaim rules of docs/wddm-model.md, written for differential tests
// against the simulator and deliberately plain: a std::vector of structs per kind of object, handles
// looked up by linear scans, no lists, no caches, no running totals. Every statistic is added up from
// the allocations when it is asked for. Where the document leaves a choice open, the model takes the
// simulator's default policy (SimPolicy{}, no verifier switches) and says so where it does.
//
// The calls have the simulator's names and argument types, so one driver can make the same call on both.

#include "core/Backend.h"
#include "core/Result.h"
#include "core/sim/Simulator.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace offerscope::reference {

/// Test-only: rules the reference can get wrong on purpose, to prove that the differential driver notices.
struct ReferenceRules {
    /// Discards offers HIGH first and LOW last (the document says LOW first).
    bool flipDiscardOrder = false;
};

class ReferenceModel {
public:
    explicit ReferenceModel(sim::AdapterConfig adapter, ReferenceRules rules = {});

    // ---- The world ------------------------------------------------------------------------------
    D3DKMT_HANDLE adapterHandle() const { return kAdapterHandle; }
    LUID adapterLuid() const { return kAdapterLuid; }
    /// Budgets default to 90% of the group's segments.
    Result<D3DKMT_HANDLE> createProcess(std::string name, std::optional<std::uint64_t> localBudget = {},
        std::optional<std::uint64_t> nonLocalBudget = {});
    Result<D3DKMT_HANDLE> createDevice(HANDLE hProcess);
    Result<D3DKMT_HANDLE> createPagingQueue(D3DKMT_HANDLE hDevice);

    // ---- The calls ------------------------------------------------------------------------------
    NtStatus createResource(const CreateResourceArgs& args, CreatedResource& out);
    NtStatus destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource);
    NtStatus offerAllocations(const D3DKMT_OFFERALLOCATIONS& args);
    NtStatus reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args);
    NtStatus reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args);
    NtStatus makeResident(D3DDDI_MAKERESIDENT& args);
    NtStatus evict(D3DKMT_EVICT& args);
    NtStatus queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) const;
    NtStatus changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args);
    NtStatus queryStatistics(D3DKMT_QUERYSTATISTICS& args) const;
    NtStatus queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) const;
    NtStatus trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args);

    NtStatus lock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation);
    NtStatus unlock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation);
    NtStatus submitGpuWork(D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::uint64_t durationUs,
        std::uint64_t* fenceValue = nullptr);
    NtStatus setAllocationPriority(
        D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::span<const UINT> priorities);
    void advanceTime(std::uint64_t microseconds);
    NtStatus waitForIdle(D3DKMT_HANDLE hDevice);
    NtStatus waitForPagingFence(D3DKMT_HANDLE hPagingQueue, std::uint64_t fenceValue);

    // ---- The operating system's side ------------------------------------------------------------
    NtStatus setBudget(HANDLE hProcess, MemorySegmentGroup group, std::uint64_t budget);
    NtStatus commitFromProcess(
        HANDLE hProcess, std::uint32_t segmentId, std::uint64_t bytes, CreatedResource* created = nullptr);
    std::uint64_t applySystemCommitPressure(std::uint64_t bytes);

    // ---- Looking inside -------------------------------------------------------------------------
    std::uint64_t now() const { return m_now; }
    std::uint32_t segmentCount() const { return static_cast<std::uint32_t>(m_segments.size()); }
    sim::SegmentUsage segmentUsage(std::uint32_t segmentId) const;
    /// The fields of the simulator's AllocationInfo this model keeps (no names, no event links).
    std::optional<sim::AllocationInfo> allocation(D3DKMT_HANDLE hAllocation) const;
    bool deviceRemoved(D3DKMT_HANDLE hDevice) const;
    std::uint64_t deviceFenceCompleted(D3DKMT_HANDLE hDevice) const;
    std::uint64_t pagingFenceCompleted(D3DKMT_HANDLE hPagingQueue) const;
    /// Empty when the model's own sanity holds (no segment holds more than its size), else what broke.
    std::string checkSelf() const;

private:
    static constexpr D3DKMT_HANDLE kAdapterHandle = 0x0F000001;
    static constexpr LUID kAdapterLuid { 0x0000AB1E, 0 };
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    struct Segment {
        sim::SegmentConfig config;
        std::uint64_t totalBytesEvicted = 0;
        std::uint64_t totalBytesEvictedByClass[kQueryStatisticsPriorityClassMax] = {};
        std::uint64_t totalBytesDiscarded = 0;
        std::uint64_t totalBytesDecommitted = 0;
    };
    struct Process {
        HANDLE handle = 0;
        std::string name;
        std::uint64_t budget[kSegmentGroupCount] = { 0, 0 };
        std::uint64_t reservation[kSegmentGroupCount] = { 0, 0 };
        std::vector<std::uint32_t> evictionsBySegment;
        std::uint64_t decommitUniqueness = 0;
    };
    struct GpuWork {
        std::uint64_t fence = 0;
        std::uint64_t endTime = 0;
        std::vector<D3DKMT_HANDLE> allocations;
    };
    struct Device {
        D3DKMT_HANDLE handle = 0;
        std::size_t process = 0;
        bool removed = false;
        std::uint64_t submittedFence = 0;
        std::uint64_t completedFence = 0;
        std::uint64_t lastEndTime = 0;
        std::vector<GpuWork> work; ///< oldest first
    };
    struct PagingWork {
        std::uint64_t fence = 0;
        std::uint64_t endTime = 0;
    };
    struct PagingQueue {
        D3DKMT_HANDLE handle = 0;
        std::size_t device = 0;
        std::uint64_t submittedFence = 0;
        std::uint64_t completedFence = 0;
        std::uint64_t lastEndTime = 0;
        std::vector<PagingWork> work; ///< oldest first
    };
    struct Resource {
        D3DKMT_HANDLE handle = 0;
        std::size_t device = 0;
        bool present = false;
        bool live = true;
        std::vector<std::size_t> allocations; ///< indices into m_allocations
    };
    struct Allocation {
        D3DKMT_HANDLE handle = 0;
        std::size_t resource = 0;
        std::size_t device = 0;
        std::size_t process = 0;
        std::uint32_t segment = 0;
        std::uint64_t size = 0;
        bool live = true;
        sim::AllocationState state = sim::AllocationState::Evicted;
        bool resident = false; ///< occupies its segment
        std::uint32_t residentRefs = 0; ///< MakeResident references
        std::uint32_t lockCount = 0;
        bool gpuBusy = false; ///< named by GPU work that has not retired
        std::uint64_t lastGpuFence = 0;
        UINT residencyPriority = ResidencyPriority::kNormal;
        OfferPriority requested = OfferPriority::None; ///< as given to the last offer
        sim::OfferLevel level = sim::OfferLevel::Low; ///< the level it is discarded at (AUTO mapped)
        bool allowDecommit = false;
        std::uint64_t offeredAt = 0; ///< tick when the offer took effect
        std::uint64_t lastUsed = 0; ///< tick of its last use (eviction order)
        std::uint64_t discardedAt = 0; ///< tick when it was discarded
        bool decommitReported = false; ///< a reclaim already answered NOT_COMMITTED
        bool evictWhenIdle = false; ///< its last residency reference went while it was pinned
        bool heldByCall = false; ///< in the call being made: not to be evicted to make room for it
    };

    // lookups (linear scans; kNone when not found)
    std::size_t findProcess(HANDLE handle) const;
    std::size_t findDevice(D3DKMT_HANDLE handle) const;
    std::size_t findPagingQueue(D3DKMT_HANDLE handle) const;
    std::size_t findResource(D3DKMT_HANDLE handle) const;
    std::size_t findAllocation(D3DKMT_HANDLE handle) const;

    // sums over the allocations
    int groupOf(std::uint32_t segment) const;
    std::uint64_t usage(std::size_t process, int group) const;
    std::uint64_t offeredResidentBytes(std::size_t process, int group) const;
    std::uint64_t reservable(std::size_t process, int group) const;
    std::uint64_t residentBytes(std::uint32_t segment) const;
    std::uint64_t freeableBytes(std::uint32_t segment) const;
    std::uint64_t decommittableBytes(std::size_t process) const;

    // transitions
    std::uint64_t tick() { return ++m_clock; }
    static bool pinned(const Allocation& a) { return a.lockCount != 0 || a.gpuBusy; }
    static bool evictable(const Allocation& a);
    static bool decommittable(const Allocation& a);
    void moveTo(Allocation& a, sim::AllocationState state, bool resident);
    sim::OfferLevel levelFor(OfferPriority priority, UINT residencyPriority) const;
    int levelRank(sim::OfferLevel level) const; ///< 0 = discarded first
    void makeEffective(Allocation& a);
    void discard(Allocation& a);
    void evictOne(Allocation& a);
    void decommit(Allocation& a);

    // pressure
    std::size_t offerVictim(std::uint32_t segment) const;
    std::size_t ownOfferVictim(std::size_t process, int group) const;
    std::size_t evictionVictim(std::uint32_t segment) const;
    std::size_t ownEvictionVictim(std::size_t process, int group) const;
    std::size_t decommitVictim(std::size_t onlyProcess, bool onlyDiscarded) const;
    void makeRoom(std::uint32_t segment, std::uint64_t need);
    void discardOwnOffersForBudget(std::size_t process, int group, std::uint64_t extra);
    void enforceBudget(std::size_t process, int group);
    std::uint64_t decommitUpTo(std::size_t onlyProcess, std::uint64_t bytes, bool onlyDiscarded);
    NtStatus checkPageIn(const std::vector<std::size_t>& pageIns, std::size_t process, bool checkBudget,
        const std::vector<std::size_t>& call, std::uint64_t* bytesToTrim) const;
    std::uint64_t pageIn(
        const std::vector<std::size_t>& pageIns, std::size_t process, const std::vector<std::size_t>& call);
    std::uint64_t queuePaging(std::size_t queue, std::uint64_t bytes);
    bool spansTwoSegmentsOfAGroup(const std::vector<std::size_t>& pageIns) const;
    bool overfull() const;

    // calls
    /// The allocations named by one of the handle arrays of an offer/reclaim/residency call, with the input
    /// entry each came from; InvalidParameter for anything wrong with the arrays.
    NtStatus collect(std::size_t device, const D3DKMT_HANDLE* resources, const D3DKMT_HANDLE* handles, UINT count,
        bool forOffer, std::vector<std::size_t>& allocations, std::vector<UINT>& entries) const;
    NtStatus createResourceFor(const CreateResourceArgs& args, CreatedResource& out, bool cantTrimFurther);
    NtStatus reclaim(std::size_t device, std::size_t queue, const D3DKMT_HANDLE* resources,
        const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence);
    void retireGpuWork(std::size_t device);

    ReferenceRules m_rules;
    std::vector<Segment> m_segments;
    std::vector<Process> m_processes;
    std::vector<Device> m_devices;
    std::vector<PagingQueue> m_pagingQueues;
    std::vector<Resource> m_resources;
    std::vector<Allocation> m_allocations;
    std::uint32_t m_nextSerial = 1;
    std::uint64_t m_clock = 0;
    std::uint64_t m_now = 0;
};

} // namespace offerscope::reference
