// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's world: handles, processes, accounting, lists, queries and invariants.
#include "core/Units.h"
#include "core/sim/SimulatorInternals.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <tuple>
#include <type_traits>

namespace offerscope::sim {

namespace {
/// States whose offer priority still means something (offered, or lost while offered).
bool carriesOffer(AllocationState state)
{
    return state == AllocationState::Offered || state == AllocationState::OfferPending
        || state == AllocationState::Discarded || state == AllocationState::Decommitted;
}
} // namespace

Simulator::Simulator()
    : Simulator(*adapterPreset("discrete"))
{
}

Simulator::Simulator(AdapterConfig adapter, SimPolicy policy)
    : m_adapter(std::move(adapter))
    , m_policy(policy)
{
    m_adapterHandle = makeHandle(HandleKind::kAdapter, 0, 0);
    m_luid = LUID { 0x0000D3D0, 0 };
    // D3DKMT_MAX_SEGMENT_COUNT: an adapter has at most 32 segments; more are not modelled.
    if (m_adapter.segments.size() > kMaxSegments)
        m_adapter.segments.resize(kMaxSegments);
    m_segments.resize(m_adapter.segments.size());
    for (SegmentConfig& segment : m_adapter.segments)
        segment.size = std::min(segment.size, kMaxSegmentBytes);
    for (std::size_t i = 0; i < m_segments.size(); ++i)
        m_segments[i].config = m_adapter.segments[i];
}

Simulator::~Simulator() = default;
Simulator::Simulator(const Simulator& other) = default;
Simulator& Simulator::operator=(const Simulator& other) = default;

namespace {

/// `records` in chunks, each shared with `previous`'s chunk at the same place when their bytes are the same.
template <class Record>
SharedChunks<Record> shareChunks(
    const std::vector<Record>& records, const SharedChunks<Record>* previous, std::size_t& newBytes)
{
    static_assert(std::is_trivially_copyable_v<Record>, "compared as bytes");
    constexpr std::size_t kRecords = SharedChunks<Record>::kRecords;
    SharedChunks<Record> out;
    out.size = records.size();
    out.chunks.reserve((records.size() + kRecords - 1) / kRecords);
    for (std::size_t begin = 0, c = 0; begin < records.size(); begin += kRecords, ++c) {
        const std::size_t n = std::min(kRecords, records.size() - begin);
        if (previous != nullptr && c < previous->chunks.size() && previous->chunks[c]->size() == n
            && std::memcmp(previous->chunks[c]->data(), records.data() + begin, n * sizeof(Record)) == 0) {
            out.chunks.push_back(previous->chunks[c]);
            continue;
        }
        out.chunks.push_back(
            std::make_shared<const std::vector<Record>>(records.begin() + static_cast<std::ptrdiff_t>(begin),
                records.begin() + static_cast<std::ptrdiff_t>(begin + n)));
        newBytes += n * sizeof(Record) + sizeof(std::vector<Record>);
    }
    return out;
}

/// Puts the records of `from` into `records` (keeping its storage). Chunks whose bytes `records`
/// holds already are not written; `changed(index, before, after)` is called for every record that
/// differs (`before` null for a record `records` did not have), and for the records past the end of
/// `from` (`after` null).
template <class Record, class Changed>
void restoreChunks(std::vector<Record>& records, const SharedChunks<Record>& from, Changed changed)
{
    const std::size_t old = records.size();
    for (std::size_t i = from.size; i < old; ++i)
        changed(i, &records[i], nullptr);
    records.resize(from.size);
    std::size_t begin = 0;
    for (const auto& chunk : from.chunks) {
        const std::size_t n = chunk->size();
        Record* to = records.data() + begin;
        const std::size_t kept = begin < old ? std::min(n, old - begin) : 0;
        if (kept == n && std::memcmp(to, chunk->data(), n * sizeof(Record)) == 0) {
            begin += n;
            continue;
        }
        for (std::size_t i = 0; i < n; ++i)
            if (i >= kept || std::memcmp(to + i, chunk->data() + i, sizeof(Record)) != 0)
                changed(begin + i, i < kept ? to + i : nullptr, chunk->data() + i);
        std::memcpy(to, chunk->data(), n * sizeof(Record));
        begin += n;
    }
}

/// Whether two records give the same row (AllocationSummary): list links, order and bookkeeping
/// differ all the time between two points of a run without anything a view shows changing.
bool sameRow(const AllocationRecord& a, const AllocationRecord& b)
{
    return a.generation == b.generation && a.state == b.state && a.resident == b.resident && a.size == b.size
        && a.segment == b.segment && a.process == b.process && a.resource == b.resource && a.offerTime == b.offerTime
        && a.residencyPriority == b.residencyPriority && a.requested == b.requested && a.level == b.level
        && a.allowDecommit == b.allowDecommit && a.lockCount == b.lockCount && a.residentRefs == b.residentRefs
        && a.gpuBusy == b.gpuBusy;
}

} // namespace

Simulator::Checkpoint Simulator::checkpoint(const Checkpoint* previous)
{
    // Copy everything but the stored events and the per-allocation records: move them aside for the
    // copy; the records go into chunks shared with `previous` where they did not change.
    EventLog events = std::move(m_log);
    m_log = EventLog();
    m_log.setMode(events.mode(), events.capacity());
    AllocationRecords allocations = std::move(m_allocations);
    std::vector<AllocationColdRecord> cold = std::move(m_cold);
    ChangeJournal changes = std::move(m_changes);
    m_allocations = AllocationRecords();
    m_cold = std::vector<AllocationColdRecord>();
    m_changes = ChangeJournal();
    Checkpoint out;
    auto copy = std::make_shared<Simulator>(*this);
    m_allocations = std::move(allocations);
    m_cold = std::move(cold);
    m_changes = std::move(changes);
    m_log = std::move(events);
    out.bytes = copy->memoryFootprint();
    out.stateBytes = out.bytes;
    out.allocations = shareChunks(m_allocations, previous != nullptr ? &previous->allocations : nullptr, out.bytes);
    out.cold = shareChunks(m_cold, previous != nullptr ? &previous->cold : nullptr, out.bytes);
    out.state = std::move(copy);
    out.lastSeq = m_log.lastSeq();
    out.dropped = m_log.dropped();
    return out;
}

std::size_t SimulatorCheckpoint::uniqueBytes(std::unordered_set<const void*>& seen) const
{
    std::size_t total = 0;
    if (state && seen.insert(state.get()).second)
        total += stateBytes;
    for (const auto& chunk : allocations.chunks)
        if (seen.insert(chunk.get()).second)
            total += chunk->size() * sizeof(AllocationRecord) + sizeof(*chunk);
    for (const auto& chunk : cold.chunks)
        if (seen.insert(chunk.get()).second)
            total += chunk->size() * sizeof(AllocationColdRecord) + sizeof(*chunk);
    return total;
}

void Simulator::restore(const Checkpoint& checkpoint, std::deque<Event>* cut)
{
    EventLog events = std::move(m_log);
    AllocationRecords allocations = std::move(m_allocations);
    std::vector<AllocationColdRecord> cold = std::move(m_cold);
    ChangeJournal changes = std::move(m_changes);
    *this = *checkpoint.state;
    // The records' own storage is reused: no reallocation when the size is about the same, and no
    // write where a chunk holds what it held.
    m_allocations = std::move(allocations);
    m_cold = std::move(cold);
    m_changes = std::move(changes);
    if (m_changes.on)
        restoreChunks(m_allocations, checkpoint.allocations,
            [this](std::size_t index, const AllocationRecord* before, const AllocationRecord* after) {
                if (before == nullptr || after == nullptr || !sameRow(*before, *after))
                    m_changes.mark(static_cast<std::uint32_t>(index));
            });
    else
        restoreChunks(m_allocations, checkpoint.allocations,
            [](std::size_t, const AllocationRecord*, const AllocationRecord*) {});
    restoreChunks(
        m_cold, checkpoint.cold, [](std::size_t, const AllocationColdRecord*, const AllocationColdRecord*) {});
    if (checkpoint.lastSeq >= events.lastSeq() && cut != nullptr)
        events.reinstate(*cut, checkpoint.lastSeq, checkpoint.dropped);
    else
        events.rewind(checkpoint.lastSeq, checkpoint.dropped, cut);
    m_log = std::move(events);
}

// ---- handles ------------------------------------------------------------------------------------

D3DKMT_HANDLE Simulator::makeHandle(std::uint32_t kind, std::uint32_t generation, std::uint32_t index)
{
    // Index + 1 so that no handle's low bits are zero: 0x40000001 is the first allocation.
    return (kind << 28) | ((generation & kGenerationMask) << kHandleIndexBits) | ((index + 1) & kHandleIndexMask);
}

D3DKMT_HANDLE Simulator::allocationHandle(std::uint32_t index) const
{
    return makeHandle(HandleKind::kAllocation, m_allocations[index].generation, index);
}

std::uint32_t Simulator::resourceIndex(D3DKMT_HANDLE handle) const
{
    if ((handle >> 28) != HandleKind::kResource)
        return kNil;
    const std::uint32_t index = (handle & kHandleIndexMask) - 1;
    if (index >= m_resources.size() || !m_resources[index].live
        || m_resources[index].generation != ((handle >> kHandleIndexBits) & kGenerationMask))
        return kNil;
    return index;
}

std::uint32_t Simulator::processIndex(HANDLE handle) const
{
    if (handle == 0)
        return m_currentProcess;
    if (handle > 0xFFFFFFFFu || (handle >> 28) != HandleKind::kProcess
        || ((handle >> kHandleIndexBits) & kGenerationMask) != 0)
        return kNil;
    const std::uint32_t index = (static_cast<std::uint32_t>(handle) & kHandleIndexMask) - 1;
    return index < m_processes.size() ? index : kNil;
}

// ---- world ----------------------------------------------------------------------------------------

BackendInfo Simulator::info() const
{
    return BackendInfo { BackendKind::Simulator, "Simulator: " + m_adapter.name, true, {} };
}

std::vector<AdapterDesc> Simulator::adapters() const
{
    AdapterDesc desc;
    desc.hAdapter = m_adapterHandle;
    desc.luid = m_luid;
    desc.description = m_adapter.name;
    for (std::uint32_t i = 0; i < m_segments.size(); ++i) {
        const SegmentConfig& c = m_segments[i].config;
        desc.segments.push_back(SegmentDesc { i, c.name, c.size, c.group, c.aperture });
    }
    return { desc };
}

Result<D3DKMT_HANDLE> Simulator::createProcess(
    std::string name, std::optional<std::uint64_t> localBudget, std::optional<std::uint64_t> nonLocalBudget)
{
    if (name.empty())
        return Result<D3DKMT_HANDLE>::failure(NtStatus::InvalidParameter, "a process needs a name");
    std::uint64_t groupSize[kSegmentGroupCount] = { 0, 0 };
    for (const SegmentState& s : m_segments)
        groupSize[static_cast<int>(s.config.group)] += s.config.size;
    ProcessRecord process;
    process.handle = makeHandle(HandleKind::kProcess, 0, static_cast<std::uint32_t>(m_processes.size()));
    process.name = std::move(name);
    process.budget[0] = localBudget.value_or(groupSize[0] / 10 * 9);
    process.budget[1] = nonLocalBudget.value_or(groupSize[1] / 10 * 9);
    process.segments.resize(m_segments.size());
    for (ProcessSegment& ps : process.segments)
        for (auto& level : ps.offers)
            for (OfferQueue& queue : level)
                queue.setOrder(m_policy.withinPriorityOrder);
    m_processes.push_back(std::move(process));
    const std::uint32_t index = static_cast<std::uint32_t>(m_processes.size() - 1);
    if (m_currentProcess == kNil)
        m_currentProcess = index;
    const ProcessRecord& p = m_processes.back();
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::ProcessCreated;
        e.process = p.handle;
        e.explanation = "Process " + processLabel(index) + " starts with a budget of " + formatBytes(p.budget[0])
            + " of local (video) memory and " + formatBytes(p.budget[1]) + " of non-local (system) memory.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return p.handle;
}

Result<D3DKMT_HANDLE> Simulator::createDevice(HANDLE hProcess)
{
    const std::uint32_t process = processIndex(hProcess);
    if (process == kNil)
        return Result<D3DKMT_HANDLE>::failure(
            NtStatus::InvalidParameter, "hProcess " + formatHex(hProcess) + " is not a process");
    DeviceRecord device;
    device.handle = makeHandle(HandleKind::kDevice, 0, static_cast<std::uint32_t>(m_devices.size()));
    device.process = process;
    m_devices.push_back(device);
    m_processes[process].devices.push_back(static_cast<std::uint32_t>(m_devices.size() - 1));
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::DeviceCreated;
        e.process = m_processes[process].handle;
        e.device = device.handle;
        e.explanation = processLabel(process) + " creates device " + formatHex(device.handle)
            + "; its GPU work retires on the device's monitored fence.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return device.handle;
}

Result<D3DKMT_HANDLE> Simulator::createPagingQueue(D3DKMT_HANDLE hDevice)
{
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil)
        return Result<D3DKMT_HANDLE>::failure(
            NtStatus::InvalidParameter, "hDevice " + formatHex(hDevice) + " is not a device");
    PagingQueueRecord queue;
    queue.handle = makeHandle(HandleKind::kPagingQueue, 0, static_cast<std::uint32_t>(m_pagingQueues.size()));
    queue.device = device;
    m_pagingQueues.push_back(queue);
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::PagingQueueCreated;
        e.device = hDevice;
        e.process = m_processes[m_devices[device].process].handle;
        e.explanation = "Device " + formatHex(hDevice) + " creates paging queue " + formatHex(queue.handle)
            + ": MakeResident and ReclaimAllocations2 report a fence value on it that GPU work must wait for.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return queue.handle;
}

Status Simulator::setCurrentProcess(HANDLE hProcess)
{
    const std::uint32_t process = processIndex(hProcess);
    if (hProcess == 0 || process == kNil) {
        return Status(NtStatus::InvalidParameter, "hProcess " + formatHex(hProcess) + " is not a process");
    }
    m_currentProcess = process;
    return NtStatus::Success;
}

// ---- accounting and lists ---------------------------------------------------------------------------

Simulator::ProcessSegment& Simulator::processSegment(const AllocationRecord& record)
{
    return m_processes[record.process].segments[record.segment];
}

static bool isCommitted(AllocationState state)
{
    return state != AllocationState::Decommitted && state != AllocationState::Destroyed;
}

// List moves are written as if-chains, most frequent first (eviction list, offer queue): a switch
// compiles to a jump table whose indirect branch mispredicts on the replay's alternating transitions.
inline void Simulator::unlinkFrom(ProcessSegment& ps, std::uint32_t index)
{
    AllocationRecord& a = m_allocations[index];
    const ListKind list = a.list;
    if (list == ListKind::None)
        return;
    if (list == ListKind::Lru) {
        ps.lruList(a).erase(m_allocations, index);
        ps.lruBytes -= a.size;
    } else if (list == ListKind::Offer) {
        ps.offers[static_cast<int>(a.level)][a.allowDecommit ? 1 : 0].erase(m_allocations, index);
    } else if (list == ListKind::Pending) {
        ps.pending.erase(m_allocations, index);
    } else {
        ps.discardedDecommittable.erase(m_allocations, index);
    }
    a.list = ListKind::None;
}

inline void Simulator::linkInto(ProcessSegment& ps, std::uint32_t index)
{
    AllocationRecord& a = m_allocations[index];
    const AllocationState state = a.state;
    if (state == AllocationState::Resident) {
        if (!a.pinned()) {
            ps.lruList(a).pushBack(m_allocations, index);
            ps.lruBytes += a.size;
            a.list = ListKind::Lru;
        }
    } else if (state == AllocationState::Offered) {
        ps.offers[static_cast<int>(a.level)][a.allowDecommit ? 1 : 0].push(m_allocations, index);
        a.list = ListKind::Offer;
    } else if (state == AllocationState::OfferPending) {
        ps.pending.pushBack(m_allocations, index);
        a.list = ListKind::Pending;
    } else if (state == AllocationState::Discarded && a.allowDecommit) {
        ps.discardedDecommittable.pushBack(m_allocations, index);
        a.list = ListKind::DiscardedDecommittable;
    }
}

void Simulator::setState(std::uint32_t index, AllocationState state, bool resident)
{
    // The hot path of every transition: only the totals whose membership changes are touched.
    AllocationRecord& a = m_allocations[index];
    SegmentState& seg = m_segments[a.segment];
    ProcessRecord& proc = m_processes[a.process];
    ProcessSegment& ps = proc.segments[a.segment];
    unlinkFrom(ps, index);

    const AllocationState old = a.state;
    const bool oldResident = a.resident && old != AllocationState::Destroyed;
    noteChanged(index);
    a.state = state;
    a.resident = resident;
    const std::uint64_t size = a.size;
    const int group = static_cast<int>(seg.config.group);
    // Branch-free add or subtract: which one alternates from call to call, so a branch mispredicts.
    auto adjust64 = [size](std::uint64_t& v, bool add) {
        const std::uint64_t mask = std::uint64_t { 0 } - static_cast<std::uint64_t>(!add); // 0 or all ones
        v += (size ^ mask) - mask; // +size or -size
    };
    auto adjust32 = [](std::uint32_t& v, bool add) { v += add ? 1u : ~0u; };

    if (old != AllocationState::Destroyed)
        seg.bytesByState[static_cast<int>(old)] -= size;
    if (state != AllocationState::Destroyed)
        seg.bytesByState[static_cast<int>(state)] += size;
    const bool oldCommitted = isCommitted(old), newCommitted = isCommitted(state);
    if (oldCommitted != newCommitted) {
        adjust64(seg.committed, newCommitted);
        adjust32(seg.allocsCommitted, newCommitted);
        adjust64(ps.committed, newCommitted);
        adjust32(ps.allocsCommitted, newCommitted);
    }
    const bool newResident = resident && state != AllocationState::Destroyed;
    if (oldResident != newResident) {
        adjust64(seg.resident, newResident);
        adjust32(seg.allocsResident, newResident);
        adjust64(ps.resident, newResident);
        adjust32(ps.allocsResident, newResident);
        adjust64(proc.resident[group], newResident);
    }
    const bool oldOffered = old == AllocationState::Offered, newOffered = state == AllocationState::Offered;
    if ((oldOffered && oldResident) != (newOffered && newResident)) {
        const bool add = newOffered && newResident;
        adjust64(seg.offeredResident, add);
        adjust64(proc.offeredResident[group], add);
    }
    if (oldOffered != newOffered) {
        adjust64(seg.offeredByPriority[static_cast<int>(a.requested)], newOffered);
        adjust64(seg.offeredByLevel[static_cast<int>(a.level)], newOffered);
    }
    const bool oldDecommittable = a.allowDecommit && (oldOffered || old == AllocationState::Discarded);
    const bool newDecommittable = a.allowDecommit && (newOffered || state == AllocationState::Discarded);
    if (oldDecommittable != newDecommittable) {
        adjust64(proc.decommittable, newDecommittable);
        ++proc.decommitUniqueness;
    }
    linkInto(ps, index);
}

// The two transitions a cache makes on every access, straight-line: the fast paths guarantee the
// preconditions (an effective offer still in memory; a resident, unpinned allocation on its eviction
// list), so no state test is needed. Their results equal setState's; tests compare the two paths.
void Simulator::offeredToResident(std::uint32_t index)
{
    AllocationRecord& a = m_allocations[index];
    SegmentState& seg = m_segments[a.segment];
    ProcessRecord& proc = m_processes[a.process];
    ProcessSegment& ps = proc.segments[a.segment];
    const std::uint64_t size = a.size;
    const int group = static_cast<int>(seg.config.group);
    ps.offers[static_cast<int>(a.level)][a.allowDecommit ? 1 : 0].erase(m_allocations, index);
    seg.bytesByState[static_cast<int>(AllocationState::Offered)] -= size;
    seg.bytesByState[static_cast<int>(AllocationState::Resident)] += size;
    seg.offeredResident -= size;
    proc.offeredResident[group] -= size;
    seg.offeredByPriority[static_cast<int>(a.requested)] -= size;
    seg.offeredByLevel[static_cast<int>(a.level)] -= size;
    if (a.allowDecommit) {
        proc.decommittable -= size;
        ++proc.decommitUniqueness;
    }
    a.state = AllocationState::Resident;
    noteChanged(index);
    ps.lruList(a).pushBack(m_allocations, index);
    ps.lruBytes += size;
    a.list = ListKind::Lru;
}

void Simulator::residentToOffered(std::uint32_t index)
{
    AllocationRecord& a = m_allocations[index];
    SegmentState& seg = m_segments[a.segment];
    ProcessRecord& proc = m_processes[a.process];
    ProcessSegment& ps = proc.segments[a.segment];
    const std::uint64_t size = a.size;
    const int group = static_cast<int>(seg.config.group);
    ps.lruList(a).erase(m_allocations, index);
    ps.lruBytes -= size;
    seg.bytesByState[static_cast<int>(AllocationState::Resident)] -= size;
    seg.bytesByState[static_cast<int>(AllocationState::Offered)] += size;
    seg.offeredResident += size;
    proc.offeredResident[group] += size;
    seg.offeredByPriority[static_cast<int>(a.requested)] += size;
    seg.offeredByLevel[static_cast<int>(a.level)] += size;
    if (a.allowDecommit) {
        proc.decommittable += size;
        ++proc.decommitUniqueness;
    }
    a.state = AllocationState::Offered;
    noteChanged(index);
    ps.offers[static_cast<int>(a.level)][a.allowDecommit ? 1 : 0].push(m_allocations, index);
    a.list = ListKind::Offer;
}

void Simulator::unlink(std::uint32_t index)
{
    unlinkFrom(processSegment(m_allocations[index]), index);
}

void Simulator::relink(std::uint32_t index)
{
    ProcessSegment& ps = processSegment(m_allocations[index]);
    unlinkFrom(ps, index);
    linkInto(ps, index);
}

void Simulator::touch(std::uint32_t index)
{
    AllocationRecord& a = m_allocations[index];
    if (a.list == ListKind::Lru) {
        a.orderSeq = ++m_orderSeq;
        relink(index);
    } else if (a.state == AllocationState::Resident || a.state == AllocationState::Evicted) {
        a.orderSeq = ++m_orderSeq;
    }
}

std::uint64_t Simulator::usage(const ProcessRecord& process, int group) const
{
    return process.resident[group] - (m_policy.offeredCountsInUsage ? 0 : process.offeredResident[group]);
}

std::uint64_t Simulator::effectiveBudget(const ProcessRecord& process, int group) const
{
    const std::uint64_t restriction = process.verifier.budgetRestriction[group];
    return restriction != 0 ? std::min(process.budget[group], restriction) : process.budget[group];
}

std::uint64_t Simulator::reservable(const ProcessRecord& process, int group) const
{
    const std::uint64_t budget = effectiveBudget(process, group);
    return budget / 100 * m_policy.reservablePercentOfBudget + budget % 100 * m_policy.reservablePercentOfBudget / 100;
}

void Simulator::rebuildOfferQueues()
{
    // Drain every offer queue, switch its order, refill in the old offer order so FIFO ties hold.
    std::vector<std::uint32_t> offered;
    for (ProcessRecord& p : m_processes)
        for (ProcessSegment& ps : p.segments)
            for (auto& level : ps.offers)
                for (OfferQueue& queue : level)
                    queue.forEach(m_allocations, [&](std::uint32_t i) { offered.push_back(i); });
    for (std::uint32_t i : offered)
        unlink(i);
    for (ProcessRecord& p : m_processes)
        for (ProcessSegment& ps : p.segments)
            for (auto& level : ps.offers)
                for (OfferQueue& queue : level)
                    queue.setOrder(m_policy.withinPriorityOrder);
    std::sort(offered.begin(), offered.end(),
        [this](std::uint32_t a, std::uint32_t b) { return m_allocations[a].orderSeq < m_allocations[b].orderSeq; });
    for (std::uint32_t i : offered)
        relink(i);
}

void Simulator::narrate(std::string text)
{
    if (!logging()) {
        m_log.skip();
        return;
    }
    Event e;
    e.time = m_now;
    e.kind = EventKind::Narration;
    e.explanation = std::move(text);
    record(std::move(e));
}

// ---- settings -------------------------------------------------------------------------------------

void Simulator::setPolicy(const SimPolicy& policy)
{
    if (policy == m_policy)
        return;
    const bool reorder = policy.withinPriorityOrder != m_policy.withinPriorityOrder;
    m_policy = policy;
    if (reorder)
        rebuildOfferQueues();
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::SettingChanged;
        e.explanation = std::string("Policy: within one priority VidMm now discards ")
            + std::string(withinPriorityOrderName(policy.withinPriorityOrder)) + "; redundant offers/reclaims are "
            + (policy.rejectRedundantCalls ? "rejected" : "ignored") + "; offered bytes "
            + (policy.offeredCountsInUsage ? "count" : "do not count") + " in CurrentUsage.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
}

void Simulator::setVerifier(const VerifierSwitches& verifier)
{
    m_verifier = verifier;
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::SettingChanged;
        e.cause = CauseKind::Verifier;
        std::string on;
        auto add = [&on](bool flag, const char* name) {
            if (flag)
                on += on.empty() ? name : std::string(", ") + name;
        };
        add(verifier.alwaysDiscardOffer, "AlwaysDiscardOffer");
        add(verifier.neverDiscardOffer, "NeverDiscardOffer");
        add(verifier.alwaysDecommitOffer, "AlwaysDecommitOffer");
        add(verifier.alwaysProcessOfferList, "AlwaysProcessOfferList");
        e.explanation = "VidMm verifier switches: " + (on.empty() ? std::string("none") : on) + ".";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    // A switch that discards at once applies to offers already in effect.
    if (m_verifier.alwaysDiscardOffer && !m_verifier.neverDiscardOffer) {
        for (std::uint32_t p = 0; p < m_processes.size(); ++p)
            for (std::uint32_t s = 0; s < m_segments.size(); ++s)
                for (std::uint32_t v = pickOfferVictim(s, p); v != kNil; v = pickOfferVictim(s, p))
                    discardOffered(v, CauseKind::Verifier, PressureSource::None, 0);
    }
}

Status Simulator::setProcessVerifier(HANDLE hProcess, const ProcessVerifier& verifier)
{
    const std::uint32_t process = processIndex(hProcess);
    if (process == kNil) {
        return Status(NtStatus::InvalidParameter, "hProcess " + formatHex(hProcess) + " is not a process");
    }
    m_processes[process].verifier = verifier;
    if (logging()) {
        Event e;
        e.time = m_now;
        e.kind = EventKind::SettingChanged;
        e.cause = CauseKind::Verifier;
        e.process = m_processes[process].handle;
        e.explanation = "Verifier for " + processLabel(process) + ": AlwaysFailCommitOnReclaim "
            + (verifier.alwaysFailCommitOnReclaim ? "on" : "off") + "; budget restriction local "
            + (verifier.budgetRestriction[0] ? formatBytes(verifier.budgetRestriction[0]) : std::string("none"))
            + ", non-local "
            + (verifier.budgetRestriction[1] ? formatBytes(verifier.budgetRestriction[1]) : std::string("none")) + ".";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    for (int g = 0; g < kSegmentGroupCount; ++g)
        if (usage(m_processes[process], g) > effectiveBudget(m_processes[process], g) && m_policy.enforceBudgetOnShrink)
            enforceBudget(process, g, PressureSource::BudgetShrink);
    return NtStatus::Success;
}

// ---- looking inside -----------------------------------------------------------------------------------

void FastPaths::prefetch(const Simulator& s, D3DKMT_HANDLE hAllocation)
{
    const std::uint32_t index = (hAllocation & kHandleIndexMask) - 1;
    if ((hAllocation >> 28) == HandleKind::kAllocation && index < s.m_allocations.size()) {
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(&s.m_allocations[index]);
#endif
    }
}

void FastPaths::prefetchNeighbours(const Simulator& s, D3DKMT_HANDLE hAllocation)
{
    const std::uint32_t index = (hAllocation & kHandleIndexMask) - 1;
    if ((hAllocation >> 28) != HandleKind::kAllocation || index >= s.m_allocations.size())
        return;
#if defined(__GNUC__) || defined(__clang__)
    const AllocationRecord& a = s.m_allocations[index];
    if (a.prev != kNil)
        __builtin_prefetch(&s.m_allocations[a.prev]);
    if (a.next != kNil)
        __builtin_prefetch(&s.m_allocations[a.next]);
#endif
}

std::optional<AllocationInfo> Simulator::allocation(D3DKMT_HANDLE hAllocation) const
{
    const std::uint32_t index = allocationIndex(hAllocation);
    if (index == kNil)
        return std::nullopt;
    const AllocationRecord& a = m_allocations[index];
    const ResourceRecord& r = m_resources[a.resource];
    AllocationInfo info;
    info.handle = hAllocation;
    info.resource = makeHandle(HandleKind::kResource, r.generation, a.resource);
    info.device = m_devices[a.device].handle;
    info.process = m_processes[a.process].handle;
    auto name = m_resourceNames.find(a.resource);
    if (name != m_resourceNames.end()) {
        info.name = name->second;
        if (r.allocationCount > 1) {
            std::uint32_t n = 0;
            for (std::uint32_t i = r.firstAllocation; i != index && i != kNil; i = m_cold[i].nextInResource)
                ++n;
            info.name += "[" + std::to_string(n) + "]";
        }
    }
    info.size = a.size;
    info.segment = a.segment;
    info.state = a.state;
    info.resident = a.resident;
    const bool offered = carriesOffer(a.state);
    info.requestedPriority = offered ? a.requested : OfferPriority::None;
    info.effectivePriority = offered ? offerLevelPriority(a.level) : OfferPriority::None;
    info.allowDecommit = a.allowDecommit;
    info.offerTime = a.offerTime;
    info.residencyPriority = a.residencyPriority;
    info.residentRefs = a.residentRefs;
    info.lockCount = a.lockCount;
    info.gpuBusy = a.gpuBusy;
    info.present = r.present;
    info.lossEvent = m_cold[index].lossSeq;
    return info;
}

std::vector<D3DKMT_HANDLE> Simulator::resourceAllocations(D3DKMT_HANDLE hResource) const
{
    std::vector<D3DKMT_HANDLE> out;
    const std::uint32_t resource = resourceIndex(hResource);
    if (resource == kNil)
        return out;
    for (std::uint32_t i = m_resources[resource].firstAllocation; i != kNil; i = m_cold[i].nextInResource)
        out.push_back(allocationHandle(i));
    return out;
}

std::uint32_t Simulator::segmentCount() const
{
    return static_cast<std::uint32_t>(m_segments.size());
}

void Simulator::fillSummary(std::uint32_t index, std::uint32_t ordinal, AllocationSummary& row) const
{
    const AllocationRecord& a = m_allocations[index];
    const ResourceRecord& r = m_resources[a.resource];
    row.handle = allocationHandle(index);
    row.resource = makeHandle(HandleKind::kResource, r.generation, a.resource);
    row.process = m_processes[a.process].handle;
    row.size = a.size;
    row.offerTime = a.offerTime;
    row.residencyPriority = a.residencyPriority;
    row.ordinal = ordinal;
    row.resourceAllocations = r.allocationCount;
    row.lockCount = a.lockCount;
    row.residentRefs = a.residentRefs;
    row.segment = a.segment;
    row.state = a.state;
    const bool offered = carriesOffer(a.state);
    row.requestedPriority = offered ? a.requested : OfferPriority::None;
    row.effectivePriority = offered ? offerLevelPriority(a.level) : OfferPriority::None;
    row.resident = a.resident;
    row.allowDecommit = a.allowDecommit;
    row.gpuBusy = a.gpuBusy;
}

std::vector<std::uint32_t> Simulator::ordinals() const
{
    // From each resource's list, walked once for all its allocations.
    std::vector<std::uint32_t> ordinal(m_allocations.size(), 0);
    for (const ResourceRecord& r : m_resources) {
        if (!r.live || r.allocationCount < 2)
            continue;
        std::uint32_t n = 0;
        for (std::uint32_t i = r.firstAllocation; i != kNil; i = m_cold[i].nextInResource)
            ordinal[i] = n++;
    }
    return ordinal;
}

void Simulator::allocationSummaries(std::vector<AllocationSummary>& out) const
{
    out.clear();
    out.reserve(m_liveAllocations);
    const std::vector<std::uint32_t> ordinal = ordinals();
    for (std::uint32_t index = 0; index < m_allocations.size(); ++index)
        if (m_allocations[index].state != AllocationState::Destroyed)
            fillSummary(index, ordinal[index], out.emplace_back());
}

void Simulator::allocationSummariesBySlot(
    std::vector<AllocationSummary>& rows, const std::vector<std::uint32_t>* which) const
{
    const std::size_t count = m_allocations.size();
    if (which == nullptr) {
        rows.assign(count, AllocationSummary {});
        const std::vector<std::uint32_t> ordinal = ordinals();
        for (std::uint32_t index = 0; index < count; ++index)
            if (m_allocations[index].state != AllocationState::Destroyed)
                fillSummary(index, ordinal[index], rows[index]);
        return;
    }
    rows.resize(count);
    // A resource's allocations live and die together, so a row that keeps its handle keeps its
    // ordinal; only new allocations need theirs, found by walking their resource's list once.
    std::vector<std::uint32_t> newResources;
    for (const std::uint32_t index : *which) {
        if (index >= count)
            continue;
        AllocationSummary& row = rows[index];
        if (m_allocations[index].state == AllocationState::Destroyed) {
            row = AllocationSummary {};
            continue;
        }
        const bool same = row.handle == allocationHandle(index) && row.state != AllocationState::Destroyed;
        fillSummary(index, same ? row.ordinal : 0, row);
        if (!same && row.resourceAllocations > 1)
            newResources.push_back(m_allocations[index].resource);
    }
    std::sort(newResources.begin(), newResources.end());
    newResources.erase(std::unique(newResources.begin(), newResources.end()), newResources.end());
    for (const std::uint32_t resource : newResources) {
        std::uint32_t n = 0;
        for (std::uint32_t i = m_resources[resource].firstAllocation; i != kNil; i = m_cold[i].nextInResource)
            rows[i].ordinal = n++;
    }
}

// ---- what changed ------------------------------------------------------------------------------

void Simulator::ChangeJournal::mark(std::uint32_t index)
{
    if (overflow)
        return;
    const std::size_t word = index / 64;
    if (word >= marks.size())
        marks.resize(word + 1 + marks.size() / 2, 0);
    const std::uint64_t bit = std::uint64_t { 1 } << (index % 64);
    if ((marks[word] & bit) != 0)
        return;
    if (list.size() >= limit) {
        overflow = true; // the reader rebuilds everything: the list and its marks are no use now
        list.clear();
        marks.clear();
        return;
    }
    marks[word] |= bit;
    list.push_back(index);
}

void Simulator::trackChanges(bool on)
{
    m_changes.on = on;
    clearChanges();
}

void Simulator::clearChanges()
{
    for (const std::uint32_t index : m_changes.list)
        m_changes.marks[index / 64] = 0;
    m_changes.list.clear();
    if (m_changes.overflow)
        m_changes.marks.clear();
    m_changes.overflow = false;
    // Past an eighth of the slots a reader is better off reading every row.
    m_changes.limit = std::max<std::size_t>(4096, m_allocations.size() / 8);
    if (!m_changes.on) {
        m_changes.marks = {};
        m_changes.list = {};
    }
}

std::uint32_t Simulator::handleSlot(D3DKMT_HANDLE hAllocation)
{
    return ((hAllocation & kHandleIndexMask) - 1) & kHandleIndexMask;
}

std::string Simulator::resourceName(D3DKMT_HANDLE hResource) const
{
    const std::uint32_t index = resourceIndex(hResource);
    if (index == kNil)
        return {};
    auto it = m_resourceNames.find(index);
    return it == m_resourceNames.end() ? std::string() : it->second;
}

SegmentUsage Simulator::segmentUsage(std::uint32_t segmentId) const
{
    SegmentUsage u;
    if (segmentId >= m_segments.size())
        return u;
    const SegmentState& s = m_segments[segmentId];
    u.size = s.config.size;
    u.committed = s.committed;
    u.resident = s.resident;
    u.inUse = s.bytesByState[static_cast<int>(AllocationState::Resident)];
    u.offerPending = s.bytesByState[static_cast<int>(AllocationState::OfferPending)];
    u.offeredResident = s.offeredResident;
    for (int i = 0; i < 5; ++i)
        u.offeredByPriority[i] = s.offeredByPriority[i];
    for (int i = 0; i < kOfferLevelCount; ++i)
        u.offeredByLevel[i] = s.offeredByLevel[i];
    u.evicted = s.bytesByState[static_cast<int>(AllocationState::Evicted)];
    u.discarded = s.bytesByState[static_cast<int>(AllocationState::Discarded)];
    u.decommitted = s.bytesByState[static_cast<int>(AllocationState::Decommitted)];
    u.totalBytesEvicted = s.totalBytesEvicted;
    u.totalBytesDiscarded = s.totalBytesDiscarded;
    u.totalBytesDecommitted = s.totalBytesDecommitted;
    u.allocsCommitted = s.allocsCommitted;
    u.allocsResident = s.allocsResident;
    return u;
}

std::optional<ProcessGroupUsage> Simulator::processUsage(HANDLE hProcess, MemorySegmentGroup group) const
{
    const std::uint32_t process = processIndex(hProcess);
    if (process == kNil)
        return std::nullopt;
    const ProcessRecord& p = m_processes[process];
    const int g = static_cast<int>(group);
    return ProcessGroupUsage { effectiveBudget(p, g), p.budget[g], usage(p, g), p.reservation[g], p.resident[g],
        p.offeredResident[g] };
}

std::vector<D3DKMT_HANDLE> Simulator::processes() const
{
    std::vector<D3DKMT_HANDLE> out;
    for (const ProcessRecord& p : m_processes)
        out.push_back(p.handle);
    return out;
}

std::string Simulator::processName(HANDLE hProcess) const
{
    const std::uint32_t process = processIndex(hProcess);
    return process == kNil ? std::string() : m_processes[process].name;
}

D3DKMT_HANDLE Simulator::deviceProcess(D3DKMT_HANDLE hDevice) const
{
    const std::uint32_t device = deviceIndex(hDevice);
    return device == kNil ? 0 : m_processes[m_devices[device].process].handle;
}

bool Simulator::deviceRemoved(D3DKMT_HANDLE hDevice) const
{
    const std::uint32_t device = deviceIndex(hDevice);
    return device != kNil && m_devices[device].removed;
}

std::uint64_t Simulator::pagingFenceCompleted(D3DKMT_HANDLE hPagingQueue) const
{
    const std::uint32_t queue = pagingQueueIndex(hPagingQueue);
    return queue == kNil ? 0 : m_pagingQueues[queue].completedFence;
}

std::uint64_t Simulator::deviceFenceCompleted(D3DKMT_HANDLE hDevice) const
{
    const std::uint32_t device = deviceIndex(hDevice);
    return device == kNil ? 0 : m_devices[device].completedFence;
}

std::vector<D3DKMT_HANDLE> Simulator::discardOrder(std::uint32_t segmentId, OfferLevel level) const
{
    std::vector<D3DKMT_HANDLE> out;
    discardOrder(segmentId, level, out);
    return out;
}

void Simulator::discardOrder(std::uint32_t segmentId, OfferLevel level, std::vector<D3DKMT_HANDLE>& out) const
{
    // Merge the per-process, per-AllowDecommit queues of the level by the within-priority order. Each
    // queue is in that order already, so they are merged as runs, two by two (stable, as a sort of the
    // whole list would be): O(n log queues), where sorting 20,000 offers was most of what the offered
    // lists of the window cost per step. `out` holds record indices until the last pass names them.
    out.clear();
    if (segmentId >= m_segments.size())
        return;
    std::vector<std::size_t> runEnds;
    for (const ProcessRecord& p : m_processes)
        for (const OfferQueue& queue : p.segments[segmentId].offers[static_cast<int>(level)]) {
            queue.forEach(m_allocations, [&](std::uint32_t i) { out.push_back(i); });
            if (out.size() != (runEnds.empty() ? 0 : runEnds.back()))
                runEnds.push_back(out.size());
        }
    const auto before = [this](std::uint32_t a, std::uint32_t b) {
        return OfferQueue::before(m_policy.withinPriorityOrder, m_allocations[a], m_allocations[b]);
    };
    while (runEnds.size() > 1) {
        std::size_t kept = 0;
        for (std::size_t r = 0; r < runEnds.size(); r += 2) {
            if (r + 1 == runEnds.size()) {
                runEnds[kept++] = runEnds[r];
                break;
            }
            const auto first = out.begin() + static_cast<std::ptrdiff_t>(r == 0 ? 0 : runEnds[r - 1]);
            std::inplace_merge(first, out.begin() + static_cast<std::ptrdiff_t>(runEnds[r]),
                out.begin() + static_cast<std::ptrdiff_t>(runEnds[r + 1]), before);
            runEnds[kept++] = runEnds[r + 1];
        }
        runEnds.resize(kept);
    }
    for (D3DKMT_HANDLE& entry : out)
        entry = allocationHandle(entry);
}

std::vector<D3DKMT_HANDLE> Simulator::pendingOffers(std::uint32_t segmentId) const
{
    std::vector<D3DKMT_HANDLE> out;
    if (segmentId >= m_segments.size())
        return out;
    // In the order they take effect: by when the last GPU work using each retires (devices in index
    // order on a tie, as advanceTime() retires them), then by its place in that work's list.
    struct Pending {
        std::uint64_t endTime = 0;
        std::uint32_t device = 0;
        std::size_t place = 0;
        std::uint32_t index = 0;
    };
    std::vector<Pending> pending;
    for (const ProcessRecord& p : m_processes)
        p.segments[segmentId].pending.forEach(m_allocations, [&](std::uint32_t i) {
            Pending entry { ~std::uint64_t { 0 }, m_allocations[i].device, 0, i };
            const D3DKMT_HANDLE handle = allocationHandle(i);
            for (const GpuWork& work : m_devices[m_allocations[i].device].work)
                if (work.fence == m_cold[i].lastGpuFence) {
                    entry.endTime = work.endTime;
                    entry.place = static_cast<std::size_t>(
                        std::find(work.allocations.begin(), work.allocations.end(), handle) - work.allocations.begin());
                    break;
                }
            pending.push_back(entry);
        });
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
        return std::tie(a.endTime, a.device, a.place) < std::tie(b.endTime, b.device, b.place);
    });
    out.reserve(pending.size());
    for (const Pending& p : pending)
        out.push_back(allocationHandle(p.index));
    return out;
}

std::string Simulator::checkInvariants() const
{
    const std::size_t segs = m_segments.size();
    std::vector<std::array<std::uint64_t, kAllocationStateCount>> byState(segs);
    std::vector<std::uint64_t> resident(segs, 0), offeredResident(segs, 0);
    std::vector<std::array<std::uint64_t, kSegmentGroupCount>> procResident(m_processes.size()),
        procOffered(m_processes.size());
    std::vector<std::uint64_t> decommittable(m_processes.size(), 0);
    std::vector<std::array<std::uint64_t, 5>> offeredByPriority(segs);
    std::vector<std::array<std::uint64_t, kOfferLevelCount>> offeredByLevel(segs);
    std::vector<std::uint8_t> seen(m_allocations.size(), 0);

    for (std::uint32_t i = 0; i < m_allocations.size(); ++i) {
        const AllocationRecord& a = m_allocations[i];
        if (a.state == AllocationState::Destroyed)
            continue;
        const int group = static_cast<int>(m_segments[a.segment].config.group);
        byState[a.segment][static_cast<int>(a.state)] += a.size;
        if (a.resident) {
            resident[a.segment] += a.size;
            procResident[a.process][group] += a.size;
            if (a.state == AllocationState::Offered) {
                offeredResident[a.segment] += a.size;
                procOffered[a.process][group] += a.size;
            }
        }
        if (a.allowDecommit && (a.state == AllocationState::Offered || a.state == AllocationState::Discarded))
            decommittable[a.process] += a.size;
        if (a.state == AllocationState::Offered) {
            offeredByPriority[a.segment][static_cast<int>(a.requested)] += a.size;
            offeredByLevel[a.segment][static_cast<int>(a.level)] += a.size;
        }
        const bool mayBeResident = a.state == AllocationState::Resident || a.state == AllocationState::OfferPending
            || a.state == AllocationState::Offered;
        if (a.resident && !mayBeResident)
            return describe(i) + " is " + std::string(allocationStateName(a.state)) + " but marked resident";
        if ((a.state == AllocationState::Resident || a.state == AllocationState::OfferPending) && !a.resident)
            return describe(i) + " is " + std::string(allocationStateName(a.state)) + " but not in its segment";
        ListKind expected = ListKind::None;
        if (a.state == AllocationState::Resident && !a.pinned())
            expected = ListKind::Lru;
        else if (a.state == AllocationState::OfferPending)
            expected = ListKind::Pending;
        else if (a.state == AllocationState::Offered)
            expected = ListKind::Offer;
        else if (a.state == AllocationState::Discarded && a.allowDecommit)
            expected = ListKind::DiscardedDecommittable;
        if (a.list != expected)
            return describe(i) + " is in the wrong list for state " + std::string(allocationStateName(a.state));
    }

    // Walk every list: each allocation at most once, and in the list its record names.
    auto visit = [&](std::uint32_t i, ListKind kind) -> std::string {
        if (seen[i]++)
            return describe(i) + " is in two lists";
        if (m_allocations[i].list != kind)
            return describe(i) + " is in a list its record does not name";
        return {};
    };
    for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
        for (std::uint32_t s = 0; s < segs; ++s) {
            const ProcessSegment& ps = m_processes[p].segments[s];
            std::string error;
            std::uint64_t lruBytes = 0;
            for (const auto& [bucketPriority, list] : ps.lru) {
                const UINT priority = bucketPriority; // clang 14 cannot capture a structured binding
                list.forEach(m_allocations, [&](std::uint32_t i) {
                    if (error.empty())
                        error = visit(i, ListKind::Lru);
                    if (m_allocations[i].residencyPriority != priority && error.empty())
                        error = describe(i) + " is in the LRU list of another priority";
                    lruBytes += m_allocations[i].size;
                });
            }
            if (lruBytes != ps.lruBytes && error.empty())
                error = "eviction list bytes of " + processLabel(p) + " do not add up";
            for (int level = 0; level < kOfferLevelCount; ++level)
                for (int ad = 0; ad < 2; ++ad) {
                    std::uint64_t bytes = 0;
                    ps.offers[level][ad].forEach(m_allocations, [&](std::uint32_t i) {
                        if (error.empty())
                            error = visit(i, ListKind::Offer);
                        const AllocationRecord& a = m_allocations[i];
                        if (error.empty() && (static_cast<int>(a.level) != level || a.allowDecommit != (ad == 1)))
                            error = describe(i) + " is in the offer list of another priority";
                        bytes += a.size;
                    });
                    if (error.empty() && bytes != ps.offers[level][ad].bytes())
                        error = "offer list bytes of " + processLabel(p) + " do not add up";
                }
            ps.pending.forEach(m_allocations, [&](std::uint32_t i) {
                if (error.empty())
                    error = visit(i, ListKind::Pending);
            });
            ps.discardedDecommittable.forEach(m_allocations, [&](std::uint32_t i) {
                if (error.empty())
                    error = visit(i, ListKind::DiscardedDecommittable);
            });
            if (!error.empty())
                return error;
        }
    }
    for (std::uint32_t i = 0; i < m_allocations.size(); ++i)
        if (m_allocations[i].list != ListKind::None && !seen[i])
            return describe(i) + " claims a list it is not in";

    for (std::uint32_t s = 0; s < segs; ++s) {
        const SegmentState& seg = m_segments[s];
        std::uint64_t committed = 0;
        for (int st = 0; st < kAllocationStateCount; ++st) {
            if (byState[s][st] != seg.bytesByState[st])
                return "segment " + segmentLabel(s) + ": bytes in state "
                    + std::string(allocationStateName(static_cast<AllocationState>(st))) + " are "
                    + std::to_string(seg.bytesByState[st]) + " but the allocations add up to "
                    + std::to_string(byState[s][st]);
            if (isCommitted(static_cast<AllocationState>(st)))
                committed += byState[s][st];
        }
        if (committed != seg.committed)
            return "segment " + segmentLabel(s) + ": committed total " + std::to_string(seg.committed)
                + " differs from the sum of its states " + std::to_string(committed);
        if (resident[s] != seg.resident || offeredResident[s] != seg.offeredResident)
            return "segment " + segmentLabel(s) + ": resident bytes do not add up";
        for (int p = 0; p < 5; ++p)
            if (offeredByPriority[s][p] != seg.offeredByPriority[p])
                return "segment " + segmentLabel(s) + ": offered bytes of priority " + std::to_string(p)
                    + " do not add up";
        for (int l = 0; l < kOfferLevelCount; ++l)
            if (offeredByLevel[s][l] != seg.offeredByLevel[l])
                return "segment " + segmentLabel(s) + ": offered bytes of level " + std::to_string(l)
                    + " do not add up";
        if (seg.resident > seg.config.size)
            return "segment " + segmentLabel(s) + ": " + std::to_string(seg.resident) + " bytes resident exceed its "
                + std::to_string(seg.config.size) + " bytes";
    }
    for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
        const ProcessRecord& proc = m_processes[p];
        for (int g = 0; g < kSegmentGroupCount; ++g)
            if (procResident[p][g] != proc.resident[g] || procOffered[p][g] != proc.offeredResident[g])
                return processLabel(p) + ": usage of group " + std::to_string(g) + " does not add up";
        if (decommittable[p] != proc.decommittable)
            return processLabel(p) + ": decommittable bytes do not add up";
    }
    return {};
}

std::string Simulator::stateDump() const
{
    std::string out;
    char line[256];
    for (std::uint32_t i = 0; i < m_allocations.size(); ++i) {
        const AllocationRecord& a = m_allocations[i];
        if (a.state == AllocationState::Destroyed)
            continue;
        std::snprintf(line, sizeof line, "%s %s res=%d refs=%u lock=%u busy=%d req=%u lvl=%u ad=%d seq=%llu list=%d\n",
            formatHex(allocationHandle(i)).c_str(), std::string(allocationStateName(a.state)).c_str(), a.resident,
            a.residentRefs, a.lockCount, a.gpuBusy, static_cast<unsigned>(a.requested), static_cast<unsigned>(a.level),
            a.allowDecommit, static_cast<unsigned long long>(a.orderSeq), static_cast<int>(a.list));
        out += line;
    }
    for (std::uint32_t s = 0; s < m_segments.size(); ++s) {
        const SegmentUsage u = segmentUsage(s);
        std::snprintf(line, sizeof line, "segment %u committed=%llu resident=%llu offered=%llu evicted=%llu\n", s,
            static_cast<unsigned long long>(u.committed), static_cast<unsigned long long>(u.resident),
            static_cast<unsigned long long>(u.offeredResident), static_cast<unsigned long long>(u.evicted));
        out += line;
    }
    for (const ProcessRecord& p : m_processes) {
        std::snprintf(line, sizeof line, "process %s usage=%llu decommittable=%llu\n", p.name.c_str(),
            static_cast<unsigned long long>(usage(p, 0)), static_cast<unsigned long long>(p.decommittable));
        out += line;
    }
    out += "now=" + std::to_string(m_now) + " seq=" + std::to_string(m_log.lastSeq()) + "\n";
    return out;
}

std::size_t Simulator::memoryFootprint() const
{
    std::size_t bytes = sizeof(*this);
    bytes += m_allocations.capacity() * sizeof(AllocationRecord);
    bytes += m_cold.capacity() * sizeof(AllocationColdRecord);
    bytes += m_freeAllocations.capacity() * sizeof(std::uint32_t);
    bytes += m_resources.capacity() * sizeof(ResourceRecord);
    bytes += m_freeResources.capacity() * sizeof(std::uint32_t);
    bytes += m_resourceNames.size() * (sizeof(std::string) + 48);
    for (const ProcessRecord& p : m_processes)
        for (const ProcessSegment& ps : p.segments)
            bytes += sizeof(ProcessSegment) + ps.lru.size() * 64;
    return bytes;
}

// ---- event helpers -----------------------------------------------------------------------------------

std::uint64_t Simulator::record(Event event)
{
    if (event.time == 0)
        event.time = m_now;
    return m_log.append(std::move(event));
}

Event Simulator::allocationEvent(EventKind kind, CauseKind cause, std::uint32_t index) const
{
    const AllocationRecord& a = m_allocations[index];
    Event e;
    e.time = m_now;
    e.kind = kind;
    e.cause = cause;
    e.process = m_processes[a.process].handle;
    e.device = m_devices[a.device].handle;
    e.segment = a.segment;
    e.bytes = a.size;
    e.allocations = { allocationHandle(index) };
    return e;
}

Status Simulator::fail(ApiCall call, NtStatus status, std::string why, std::string callText)
{
    if (logging())
        recordCallFailed(call, status,
            std::string(apiCallName(call)) + " returns " + std::string(ntStatusName(status))
                + " and changes nothing: " + why + ".",
            std::move(callText));
    else
        m_log.skip();
    return Status(status, std::string(apiCallName(call)) + ": " + why);
}

void Simulator::recordCallFailed(ApiCall call, NtStatus status, std::string explanation, std::string callText)
{
    Event e;
    e.time = m_now;
    e.kind = EventKind::CallFailed;
    e.cause = CauseKind::Call;
    e.call = call;
    e.status = status;
    e.explanation = std::move(explanation);
    e.callText = std::move(callText);
    record(std::move(e));
}

Status Simulator::failRemovingDevice(ApiCall call, std::uint32_t device, std::string why, std::string callText)
{
    removeDevice(device, call,
        std::string(apiCallName(call)) + " with MustSucceed could not make its allocations resident: " + why);
    if (logging())
        recordCallFailed(call, NtStatus::DeviceRemoved,
            std::string(apiCallName(call)) + " returns STATUS_DEVICE_REMOVED: " + why
                + "; with MustSucceed that removes the device.",
            std::move(callText));
    else
        m_log.skip();
    return Status(NtStatus::DeviceRemoved, std::string(apiCallName(call)) + ": " + why);
}

std::string Simulator::describe(std::uint32_t index) const
{
    std::string out;
    appendDescription(out, index);
    return out;
}

void Simulator::appendDescription(std::string& out, std::uint32_t index) const
{
    const AllocationRecord& a = m_allocations[index];
    if (a.resource != kNil) {
        auto it = m_resourceNames.find(a.resource);
        if (it != m_resourceNames.end()) {
            out += '\'';
            out += it->second;
            out += "' ";
        }
    }
    out += '(';
    out += formatHex(allocationHandle(index));
    out += ", ";
    out += formatBytes(a.size);
    out += ')';
}

std::string Simulator::processLabel(std::uint32_t process) const
{
    return process < m_processes.size() ? m_processes[process].name : std::string("?");
}

std::string Simulator::segmentLabel(std::uint32_t segment) const
{
    return std::to_string(segment) + " (" + m_segments[segment].config.name + ")";
}

} // namespace offerscope::sim
