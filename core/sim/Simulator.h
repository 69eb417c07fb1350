// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Backend.h"
#include "core/Result.h"
#include "core/events/EventLog.h"
#include "core/sim/AllocationRecord.h"
#include "core/sim/OfferQueue.h"
#include "core/sim/SimTypes.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace offerscope::sim {

// The simulator records what it does as events (core/events/, shared with the live sources and
// recordings); inside the simulator they go without their namespace.
using events::ApiCall;
using events::CauseKind;
using events::Event;
using events::EventKind;
using events::EventLog;
using events::PressureSource;

/// What the simulator knows of one allocation, for views and tests.
struct AllocationInfo {
    D3DKMT_HANDLE handle = 0;
    D3DKMT_HANDLE resource = 0;
    D3DKMT_HANDLE device = 0;
    D3DKMT_HANDLE process = 0;
    std::string name;
    std::uint64_t size = 0;
    std::uint32_t segment = 0;
    AllocationState state = AllocationState::Destroyed;
    bool resident = false; ///< occupies memory in its segment
    OfferPriority requestedPriority = OfferPriority::None; ///< as given to the offer call (AUTO kept)
    OfferPriority effectivePriority = OfferPriority::None; ///< level it is discarded at (AUTO mapped)
    bool allowDecommit = false;
    std::uint64_t offerTime = 0;
    UINT residencyPriority = 0;
    std::uint32_t residentRefs = 0;
    std::uint32_t lockCount = 0;
    bool gpuBusy = false;
    bool present = false;
    std::uint64_t lossEvent = 0; ///< seq of the recorded event that discarded or decommitted it (0: none)
};

/// The figures a table row of an allocation shows, without strings: views take one per live
/// allocation per refresh, so this stays small and cheap to fill.
struct AllocationSummary {
    D3DKMT_HANDLE handle = 0;
    D3DKMT_HANDLE resource = 0;
    D3DKMT_HANDLE process = 0;
    std::uint64_t size = 0;
    std::uint64_t offerTime = 0;
    std::uint32_t residencyPriority = 0;
    std::uint32_t ordinal = 0; ///< position in its resource (the n of "tex[n]")
    std::uint32_t resourceAllocations = 1; ///< allocations of its resource
    std::uint16_t lockCount = 0;
    std::uint16_t residentRefs = 0;
    std::uint8_t segment = 0;
    AllocationState state = AllocationState::Destroyed;
    OfferPriority requestedPriority = OfferPriority::None; ///< of the offer in effect (None: not offered)
    OfferPriority effectivePriority = OfferPriority::None; ///< AUTO mapped
    bool resident = false;
    bool allowDecommit = false;
    bool gpuBusy = false;
    bool operator==(const AllocationSummary&) const = default;
};

/// Bytes of one segment by state, including what Windows does not report (offers, discards).
struct SegmentUsage {
    std::uint64_t size = 0;
    std::uint64_t committed = 0; ///< backing store exists: resident + evicted + offered + discarded
    std::uint64_t resident = 0; ///< occupying the segment
    std::uint64_t inUse = 0; ///< resident and not offered (state Resident)
    std::uint64_t offerPending = 0;
    std::uint64_t offeredResident = 0; ///< offered, still occupying the segment
    std::uint64_t offeredByPriority[5] = {}; ///< index = D3DKMT_OFFER_PRIORITY as requested (1..4)
    std::uint64_t offeredByLevel[kOfferLevelCount] = {}; ///< effective levels (AUTO mapped), resident or not
    std::uint64_t evicted = 0;
    std::uint64_t discarded = 0; ///< discarded but still committed
    std::uint64_t decommitted = 0; ///< released backing store of allocations not yet destroyed
    std::uint64_t totalBytesEvicted = 0;
    std::uint64_t totalBytesDiscarded = 0;
    std::uint64_t totalBytesDecommitted = 0;
    std::uint32_t allocsCommitted = 0;
    std::uint32_t allocsResident = 0;
    std::uint64_t free() const { return size - resident; }
};

/// Budget and usage of one process in one segment group.
struct ProcessGroupUsage {
    std::uint64_t budget = 0; ///< effective: the smaller of budget and the verifier restriction
    std::uint64_t requestedBudget = 0;
    std::uint64_t usage = 0;
    std::uint64_t reservation = 0;
    std::uint64_t resident = 0;
    std::uint64_t offeredResident = 0;
};

/// The VidMm offer/reclaim model: adapters, processes, budgets, pressure, deterministic. Time is a
/// simulated clock in microseconds that only advanceTime() moves; nothing depends on wall time.
struct SimulatorCheckpoint;

class Simulator final : public Backend {
public:
    using Checkpoint = SimulatorCheckpoint;

    explicit Simulator(AdapterConfig adapter, SimPolicy policy = {});
    Simulator();
    ~Simulator() override;
    /// A copy is a second, independent simulator in the same state (events included).
    Simulator(const Simulator& other);
    Simulator& operator=(const Simulator& other);

    // ---- Backend --------------------------------------------------------------------------------
    // The statuses each of these returns, and when: core/Backend.h ("Simulator:").
    BackendInfo info() const override;
    std::vector<AdapterDesc> adapters() const override;
    Status createResource(const CreateResourceArgs& args, CreatedResource& out) override;
    Status destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource) override;
    Status offerAllocations(const D3DKMT_OFFERALLOCATIONS& args) override;
    Status reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args) override;
    Status reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args) override;
    Status makeResident(D3DDDI_MAKERESIDENT& args) override;
    Status evict(D3DKMT_EVICT& args) override;
    /// D3DKMTQueryVideoMemoryInfo: budget, usage and reservation of a process (hProcess NULL: the current one) in
    /// one segment group. A query: it changes nothing and logs no event; the outputs are written only on success.
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_HANDLE when hProcess is not NULL and names no process (what Windows
    /// answers in Wine's conformance test test_D3DKMTQueryVideoMemoryInfo); STATUS_INVALID_PARAMETER for an hAdapter
    /// that is not the adapter, a PhysicalAdapterIndex other than 0 or a MemorySegmentGroup above NON_LOCAL (the
    /// same test), and for a NULL hProcess before any process exists. The returned Status names the argument at fault.
    Status queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) override;
    Status changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args) override;
    Status queryStatistics(D3DKMT_QUERYSTATISTICS& args) override;
    Status queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) override;
    Status trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args) override;
    const EventLog& eventLog() const override { return m_log; }
    EventLog& eventLog() { return m_log; }

    // ---- The world ------------------------------------------------------------------------------
    D3DKMT_HANDLE adapterHandle() const { return m_adapterHandle; }
    LUID adapterLuid() const { return m_luid; }
    const AdapterConfig& adapterConfig() const { return m_adapter; }
    /// A process with budgets per group (default: 90% of the group's memory segments).
    /// Returns: the handle; or STATUS_INVALID_PARAMETER (name is empty).
    Result<D3DKMT_HANDLE> createProcess(std::string name, std::optional<std::uint64_t> localBudget = {},
        std::optional<std::uint64_t> nonLocalBudget = {});
    /// A device of a process (hProcess NULL: the current one).
    /// Returns: the handle; or STATUS_INVALID_PARAMETER (hProcess names no process, or is NULL before the first one).
    Result<D3DKMT_HANDLE> createDevice(HANDLE hProcess);
    /// A paging queue with its monitored fence (needed by MakeResident and ReclaimAllocations2).
    /// Returns: the handle (also on a removed device); or STATUS_INVALID_PARAMETER (hDevice is not a device).
    Result<D3DKMT_HANDLE> createPagingQueue(D3DKMT_HANDLE hDevice);
    /// The process NULL hProcess stands for (default: the first one created).
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hProcess is NULL or names no process).
    Status setCurrentProcess(HANDLE hProcess);

    // ---- What applications do besides offers ----------------------------------------------------
    /// D3DKMTLock2: maps the allocation for the CPU (pins it; an offered one cannot be locked).
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hDevice not a device; hAllocation not a live allocation of
    /// that device; the allocation offered, pending, discarded or decommitted; locked 65535 times already);
    /// STATUS_DEVICE_REMOVED (the device was removed).
    Status lock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation);
    /// D3DKMTUnlock2: one lock fewer; an allocation whose last Evict waited for it then leaves memory.
    /// Returns: STATUS_SUCCESS (also on a removed device); STATUS_INVALID_PARAMETER (hDevice not a device; hAllocation
    /// not a live allocation of that device; the allocation is not locked).
    Status unlock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation);
    /// GPU work that references allocations, runs durationUs after earlier work on the device, and
    /// retires on the device's monitored fence. Using an offered, discarded or non-resident
    /// allocation is a GPU fault: the device is removed.
    /// Returns: STATUS_SUCCESS (an empty list included; *fenceValue set); STATUS_INVALID_PARAMETER (hDevice not a
    /// device; an entry not a live allocation of that device); STATUS_DEVICE_REMOVED (the device was removed; or the
    /// work uses an allocation offered, pending, discarded, decommitted, or evicted without a MakeResident reference:
    /// a fault, and this call removes the device); STATUS_NO_MEMORY (evicted allocations with a MakeResident
    /// reference must be paged in and a segment cannot free enough, the budget not counting; or such a page-in into
    /// two segments of one group did not fit and was undone).
    Status submitGpuWork(D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::uint64_t durationUs,
        std::uint64_t* fenceValue = nullptr);
    /// D3DKMTSetAllocationPriority: residency (eviction) priority per allocation.
    /// Returns: STATUS_SUCCESS (also on a removed device, and for allocations in any state); STATUS_INVALID_PARAMETER
    /// (hDevice not a device; no allocations, or not one priority per allocation; an entry not a live allocation of
    /// that device).
    Status setAllocationPriority(
        D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::span<const UINT> priorities);
    /// Moves the clock; GPU work and paging that finish by then retire in time order.
    void advanceTime(std::uint64_t microseconds);
    /// Advances the clock until the device's GPU work and its paging queues are done.
    /// Returns: STATUS_SUCCESS (also on a removed device); STATUS_INVALID_PARAMETER (hDevice is not a device).
    Status waitForIdle(D3DKMT_HANDLE hDevice);
    /// Advances the clock until the paging queue's fence reaches `fenceValue` (what an application does
    /// with a PagingFenceValue before using the allocations).
    /// Returns: STATUS_SUCCESS (also for a fence already reached); STATUS_INVALID_PARAMETER (hPagingQueue not a paging
    /// queue; fenceValue above the last one queued on it).
    Status waitForPagingFence(D3DKMT_HANDLE hPagingQueue, std::uint64_t fenceValue);

    // ---- Pressure and budgets (the operating system's side) -------------------------------------
    /// The budget of a process changes (e.g. it goes to the background): trim notification, then
    /// VidMm frees that process' memory down to the new budget.
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hProcess names no process, or is NULL before the first one;
    /// group neither LOCAL nor NON_LOCAL).
    Status setBudget(HANDLE hProcess, MemorySegmentGroup group, std::uint64_t budget);
    /// Another process commits `bytes` in a segment: an allocation of its own, made resident.
    /// It goes through the process' first device (one is created if it has none); its budget is not checked.
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hProcess names no process, or is NULL before the first one;
    /// segmentId not a segment; bytes 0); STATUS_NO_MEMORY (bytes above the segment's size; more than 2^24 - 2
    /// allocations would be live; the segment cannot free enough even by discarding every offer and evicting
    /// everything evictable); STATUS_DEVICE_REMOVED (the process' first device was removed).
    Status commitFromProcess(HANDLE hProcess, std::uint32_t segmentId, std::uint64_t bytes,
        CreatedResource* created = nullptr, std::string name = {});
    /// The system is short of commit: AllowDecommit offers are decommitted, across processes.
    std::uint64_t applySystemCommitPressure(std::uint64_t bytes);

    /// Words for the audience, logged in order with the events they explain.
    void narrate(std::string text);

    // ---- Settings -------------------------------------------------------------------------------
    const SimPolicy& policy() const { return m_policy; }
    void setPolicy(const SimPolicy& policy);
    const VerifierSwitches& verifier() const { return m_verifier; }
    void setVerifier(const VerifierSwitches& verifier);
    /// Per-process verifier switches; a restriction below usage frees memory at once (with enforceBudgetOnShrink).
    /// Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hProcess names no process, or is NULL before the first one).
    Status setProcessVerifier(HANDLE hProcess, const ProcessVerifier& verifier);

    // ---- Looking inside -------------------------------------------------------------------------
    std::uint64_t now() const { return m_now; }
    std::optional<AllocationInfo> allocation(D3DKMT_HANDLE hAllocation) const;
    std::vector<D3DKMT_HANDLE> resourceAllocations(D3DKMT_HANDLE hResource) const;
    /// Every live allocation in slot order (stable while it lives), replacing the contents of `out`.
    void allocationSummaries(std::vector<AllocationSummary>& out) const;
    /// The slot of an allocation handle (index of allocationSummaries' slot table; not validated).
    static std::uint32_t handleSlot(D3DKMT_HANDLE hAllocation);
    /// The rows of the slots in `which` (every slot when null) written at rows[slot]; rows grows to
    /// allocationSlots() and shrinks to it. A free slot's row has the state Destroyed and handle 0.
    void allocationSummariesBySlot(
        std::vector<AllocationSummary>& rows, const std::vector<std::uint32_t>* which = nullptr) const;

    // ---- What changed (the views' incremental refresh) -------------------------------------------
    /// Records the slots whose row (allocationSummariesBySlot) may have changed, from now until the
    /// next clearChanges(): every call that touches an allocation marks it, and restore() marks the
    /// records that differ from the checkpoint's. Off by default (a replay does not pay for it).
    void trackChanges(bool on);
    bool tracksChanges() const { return m_changes.on; }
    /// The marked slots, in the order they were first marked; complete only when changesKnown().
    const std::vector<std::uint32_t>& changedSlots() const { return m_changes.list; }
    /// False when tracking is off or so much changed that the list was given up (read every row).
    bool changesKnown() const { return m_changes.on && !m_changes.overflow; }
    void clearChanges();
    /// Number of allocation slots (live or free): slots are below this.
    std::size_t allocationSlots() const { return m_allocations.size(); }
    /// The name a resource was created with ("" when none).
    std::string resourceName(D3DKMT_HANDLE hResource) const;
    std::uint32_t segmentCount() const;
    SegmentUsage segmentUsage(std::uint32_t segmentId) const;
    std::optional<ProcessGroupUsage> processUsage(HANDLE hProcess, MemorySegmentGroup group) const;
    std::vector<D3DKMT_HANDLE> processes() const;
    std::string processName(HANDLE hProcess) const;
    D3DKMT_HANDLE deviceProcess(D3DKMT_HANDLE hDevice) const;
    bool deviceRemoved(D3DKMT_HANDLE hDevice) const;
    std::uint64_t pagingFenceCompleted(D3DKMT_HANDLE hPagingQueue) const;
    std::uint64_t deviceFenceCompleted(D3DKMT_HANDLE hDevice) const;
    /// Offered allocations of one level in a segment, in the order VidMm would discard them (first
    /// victim first), across processes. Pending offers are not in it (they cannot be discarded yet).
    std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segmentId, OfferLevel level) const;
    /// discardOrder() into `out` (its memory is reused).
    void discardOrder(std::uint32_t segmentId, OfferLevel level, std::vector<D3DKMT_HANDLE>& out) const;
    /// Allocations whose offer waits for GPU work to retire, in the order they will take effect.
    std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t segmentId) const;
    std::size_t liveAllocationCount() const { return m_liveAllocations; }
    /// Recomputes every total from the allocations and checks list membership and limits. Returns
    /// an empty string when all hold, else the first broken invariant.
    std::string checkInvariants() const;
    /// Every live allocation and every total, one line each: two simulators in the same state give
    /// the same text (differential and determinism tests).
    std::string stateDump() const;
    /// Bytes of memory the simulator holds (records, lists, names); divide by liveAllocationCount().
    std::size_t memoryFootprint() const;

    // ---- Time travel ----------------------------------------------------------------------------
    /// The whole state at this moment, without the stored events (they only grow until a restore
    /// cuts them back, so a checkpoint keeps just the log's counters). With `previous` (any earlier
    /// checkpoint of this simulator, best the nearest), the allocation records it holds unchanged are
    /// shared, not copied: a checkpoint costs what changed since, not the whole simulator again.
    Checkpoint checkpoint(const Checkpoint* previous = nullptr);
    /// Returns to a checkpoint taken earlier in this run: the state is the checkpoint's and the
    /// event log loses the events recorded after it.
    /// With `cut`, the events the log loses are put in front of it (a later checkpoint can bring them
    /// back). A checkpoint later than now needs those events: restore() takes them from `cut`.
    void restore(const Checkpoint& checkpoint, std::deque<Event>* cut = nullptr);

private:
    struct SegmentState;
    struct ProcessSegment;
    struct ProcessRecord;
    struct DeviceRecord;
    struct PagingQueueRecord;
    struct ResourceRecord;
    struct GpuWork;
    struct PagingWork;

    // handles
    static D3DKMT_HANDLE makeHandle(std::uint32_t kind, std::uint32_t generation, std::uint32_t index);
    std::uint32_t allocationIndex(D3DKMT_HANDLE handle) const;
    std::uint32_t resourceIndex(D3DKMT_HANDLE handle) const;
    std::uint32_t processIndex(HANDLE handle) const; ///< NULL = current process
    std::uint32_t deviceIndex(D3DKMT_HANDLE handle) const;
    std::uint32_t pagingQueueIndex(D3DKMT_HANDLE handle) const;
    D3DKMT_HANDLE allocationHandle(std::uint32_t index) const;

    // accounting and lists
    void setState(std::uint32_t index, AllocationState state, bool resident);
    void fillSummary(std::uint32_t index, std::uint32_t ordinal, AllocationSummary& row) const;
    /// Every slot's place in its resource (the n of "tex[n]"; 0 for a free slot).
    std::vector<std::uint32_t> ordinals() const;
    /// Marks an allocation's row as changed (when tracking changes).
    void noteChanged(std::uint32_t index)
    {
        if (m_changes.on) [[unlikely]]
            m_changes.mark(index);
    }
    void unlink(std::uint32_t index);
    void relink(std::uint32_t index);
    /// relink() of an allocation used just now (it goes to the back of its eviction list).
    void relinkAsUsed(std::uint32_t index);
    [[gnu::always_inline]] inline void unlinkFrom(ProcessSegment& ps, std::uint32_t index);
    [[gnu::always_inline]] inline void linkInto(ProcessSegment& ps, std::uint32_t index);
    void touch(std::uint32_t index);
    void offeredToResident(std::uint32_t index);
    void residentToOffered(std::uint32_t index);
    void destroyAllocation(std::uint32_t index);
    ProcessSegment& processSegment(const AllocationRecord& record);
    std::uint64_t usage(const ProcessRecord& process, int group) const;
    std::uint64_t effectiveBudget(const ProcessRecord& process, int group) const;
    std::uint64_t reservable(const ProcessRecord& process, int group) const;
    OfferLevel levelFor(OfferPriority priority, UINT residencyPriority) const;
    void rebuildOfferQueues();

    // pressure
    std::uint64_t freeableBytes(std::uint32_t segment) const;
    /// `inMemoryOnly`: only offers that hold memory in the segment (what pressure can take back).
    std::uint32_t pickOfferVictim(std::uint32_t segment, std::uint32_t onlyProcess, bool inMemoryOnly = false) const;
    std::uint32_t pickEvictionVictim(std::uint32_t segment, std::uint32_t onlyProcess, bool respectReservation) const;
    std::uint32_t pickDecommitVictim(std::uint32_t onlyProcess, bool onlyDiscarded) const;
    /// Frees segment memory until `need` bytes are free, in the documented order.
    void makeRoom(std::uint32_t segment, std::uint64_t need, PressureSource source, std::uint32_t forProcess,
        std::uint64_t causeSeq);
    /// Discards the process' own offers in a group until its usage plus `extra` fits the budget.
    void discardOwnOffersForBudget(std::uint32_t process, int group, std::uint64_t extra, PressureSource source);
    /// Frees a process' memory in a group down to its budget (offers first, then eviction).
    void enforceBudget(std::uint32_t process, int group, PressureSource source);
    void discardOffered(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq);
    void decommit(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq);
    void evictAllocation(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq);
    std::uint64_t decommitUpTo(
        std::uint32_t onlyProcess, std::uint64_t bytes, bool onlyDiscarded, PressureSource source);
    void makeEffective(std::uint32_t index, CauseKind cause);
    void removeDevice(std::uint32_t device, ApiCall call, std::string why);

    // calls
    Status reclaim(ApiCall call, std::uint32_t device, std::uint32_t pagingQueue, D3DKMT_HANDLE* resources,
        const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence);
    /// Validates the device and allocation of a lock/unlock; on success sets `index`.
    Status lockTarget(
        ApiCall call, D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation, bool deviceMustLive, std::uint32_t& index);
    /// The fast paths of the commonest calls and the prefetch hints (core/sim/FastPaths.h).
    friend struct FastPaths;
    Status collectAllocations(std::uint32_t device, D3DKMT_HANDLE* resources, const D3DKMT_HANDLE* handles, UINT count,
        bool forOffer, const char* handleArray);
    Status createResourceImpl(
        const CreateResourceArgs& args, CreatedResource& out, PressureSource source, D3DDDI_MAKERESIDENT_FLAGS flags);
    /// Checks that `indices` (evicted allocations of one process) can be paged in: budget (unless
    /// allowed over it) and segment room. Returns Success, or NoMemory with *bytesToTrim set.
    Status checkPageIn(std::span<const std::uint32_t> indices, std::uint32_t process, bool checkBudget,
        bool allowOverBudget, std::uint64_t* bytesToTrim, std::string* why,
        std::span<const std::uint32_t> keep = {}) const;
    /// Frees budget and segment room for `indices`, then makes them resident. Returns the bytes paged in.
    /// `keep`: the call's other allocations, kept off the eviction lists meanwhile.
    std::uint64_t pageIn(std::span<const std::uint32_t> indices, std::uint32_t process, PressureSource source,
        std::span<const std::uint32_t> keep = {});
    std::uint64_t queuePaging(std::uint32_t pagingQueue, std::uint64_t bytes);
    /// True when `indices` lie in two or more segments of one segment group. checkPageIn() estimates each segment
    /// on its own, but making room in one can evict what a process could have given in the other (its usage
    /// falls to its reservation): such a page-in is tried, and undone when a segment does not hold it.
    bool pageInSpansGroup(std::span<const std::uint32_t> indices) const;
    /// Some segment holds more than its size (a tried page-in did not fit).
    bool segmentOverfull() const;
    void retireGpuWork(std::uint32_t device);
    void retirePaging(std::uint32_t pagingQueue);

    // events
    bool logging() const { return m_log.recording(); }
    std::uint64_t record(Event event);
    /// An event about one allocation: time, process, device, segment, bytes and handle filled in.
    Event allocationEvent(EventKind kind, CauseKind cause, std::uint32_t index) const;

    Status fail(ApiCall call, NtStatus status, std::string why, std::string callText = {});
    /// A call that failed by removing its device (MakeResident with MustSucceed): it did change something.
    Status failRemovingDevice(ApiCall call, std::uint32_t device, std::string why, std::string callText);
    void recordCallFailed(ApiCall call, NtStatus status, std::string explanation, std::string callText);
    std::string describe(std::uint32_t index) const;
    /// describe(), appended to `out` (the mass-pressure paths build one string per event, no temporaries).
    void appendDescription(std::string& out, std::uint32_t index) const;
    std::string processLabel(std::uint32_t process) const;
    std::string segmentLabel(std::uint32_t segment) const;

    AdapterConfig m_adapter;
    SimPolicy m_policy;
    VerifierSwitches m_verifier;
    D3DKMT_HANDLE m_adapterHandle = 0;
    LUID m_luid;
    std::uint64_t m_now = 0;
    std::uint64_t m_orderSeq = 0;
    std::uint32_t m_callMark = 0;
    std::uint32_t m_currentProcess = kNil;

    AllocationRecords m_allocations;
    std::vector<AllocationColdRecord> m_cold; ///< parallel to m_allocations
    std::vector<std::uint32_t> m_freeAllocations;
    std::size_t m_liveAllocations = 0;
    std::vector<ResourceRecord> m_resources;
    std::vector<std::uint32_t> m_freeResources;
    std::vector<SegmentState> m_segments;
    std::vector<ProcessRecord> m_processes;
    std::vector<DeviceRecord> m_devices;
    std::vector<PagingQueueRecord> m_pagingQueues;
    std::unordered_map<std::uint32_t, std::string> m_resourceNames; ///< by resource slot

    // scratch of the call in progress (kept to avoid allocating per call)
    std::vector<std::uint32_t> m_callAllocations;
    std::vector<std::uint32_t> m_callEntryOf; ///< input entry each collected allocation came from
    std::vector<std::uint8_t> m_scratchActions;
    std::vector<std::uint32_t> m_scratchPageIns;
    std::vector<std::uint32_t> m_scratchKept;
    std::vector<ReclaimResult> m_scratchResults;
    std::vector<ReclaimResult> m_scratchEntryResults;

    EventLog m_log;

    /// See trackChanges(). Not part of the state: checkpoints and restore() leave it where it is.
    struct ChangeJournal {
        bool on = false;
        bool overflow = false;
        std::vector<std::uint32_t> list;
        std::vector<std::uint64_t> marks; ///< a bit per slot: in `list` already
        std::size_t limit = 0; ///< more slots than this: overflow
        void mark(std::uint32_t index);
    };
    ChangeJournal m_changes;
};

/// An array kept in chunks that checkpoints share where they hold the same records: a checkpoint holds
/// the chunks that changed since the one it was compared with, and points at that one's for the rest.
template <class Record> struct SharedChunks {
    static constexpr std::size_t kRecords = 64; ///< per chunk (4 KiB of allocation records)
    std::vector<std::shared_ptr<const std::vector<Record>>> chunks;
    std::size_t size = 0;
};

/// See Simulator::checkpoint().
struct SimulatorCheckpoint {
    std::shared_ptr<const Simulator> state; ///< all but the records below (shared: checkpoints are immutable)
    SharedChunks<AllocationRecord> allocations;
    SharedChunks<AllocationColdRecord> cold;
    std::uint64_t lastSeq = 0;
    std::uint64_t dropped = 0;
    std::size_t bytes = 0; ///< memory this checkpoint added (approximate): its state and the chunks it made
    std::size_t stateBytes = 0; ///< of `state` alone
    /// Adds the memory of this checkpoint's parts not in `seen` yet (and puts them there): what a set of
    /// checkpoints holds together, counting shared chunks once.
    std::size_t uniqueBytes(std::unordered_set<const void*>& seen) const;
};

} // namespace offerscope::sim
