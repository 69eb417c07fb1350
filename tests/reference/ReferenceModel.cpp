// SPDX-License-Identifier: GPL-3.0-or-later
// The reference model: the rules of docs/wddm-model.md, one plain step at a time. Section numbers
// in the comments are the document's. "Simulator default" marks a [choice] of the document taken at the
// simulator's default; "Not in the document" marks behaviour the document does not settle, where this
// model follows the simulator.
#include "ReferenceModel.h"

#include <algorithm>

namespace offerscope::reference {

using sim::AllocationState;
using sim::OfferLevel;

namespace {

constexpr std::uint32_t kTagProcess = 0x0A, kTagDevice = 0x0B, kTagPagingQueue = 0x0C, kTagResource = 0x0D,
                        kTagAllocation = 0x0E;
/// Not in the document: the simulator's limit of allocations per resource.
constexpr std::size_t kMaxAllocationsPerResource = 1024;
/// Simulator default: paging runs at 16 GiB/s, in bytes per simulated microsecond.
constexpr std::uint64_t kPagingBytesPerMicrosecond = 17'179;
/// Simulator default: AvailableForReservation is half the budget.
constexpr std::uint64_t kReservablePercent = 50;

bool isCommitted(AllocationState state)
{
    return state != AllocationState::Decommitted && state != AllocationState::Destroyed;
}

/// D3DKMT_QUERYSTATISTICS_ALLOCATION_PRIORITY_CLASS of a residency priority: MINIMUM, LOW, NORMAL, HIGH, MAXIMUM.
int priorityClass(UINT priority)
{
    const UINT bounds[] = { ResidencyPriority::kLow, ResidencyPriority::kNormal, ResidencyPriority::kHigh,
        ResidencyPriority::kMaximum };
    int cls = 0;
    for (UINT bound : bounds)
        if (priority >= bound)
            ++cls;
    return cls;
}

} // namespace

ReferenceModel::ReferenceModel(sim::AdapterConfig adapter, ReferenceRules rules)
    : m_rules(rules)
{
    for (const sim::SegmentConfig& config : adapter.segments) {
        Segment s;
        s.config = config;
        m_segments.push_back(s);
    }
}

// ---- lookups -------------------------------------------------------------------------------------------

std::size_t ReferenceModel::findProcess(HANDLE handle) const
{
    if (handle == 0) // NULL is the current process: the first one created
        return m_processes.empty() ? kNone : 0;
    for (std::size_t i = 0; i < m_processes.size(); ++i)
        if (m_processes[i].handle == handle)
            return i;
    return kNone;
}

std::size_t ReferenceModel::findDevice(D3DKMT_HANDLE handle) const
{
    for (std::size_t i = 0; i < m_devices.size(); ++i)
        if (handle != 0 && m_devices[i].handle == handle)
            return i;
    return kNone;
}

std::size_t ReferenceModel::findPagingQueue(D3DKMT_HANDLE handle) const
{
    for (std::size_t i = 0; i < m_pagingQueues.size(); ++i)
        if (handle != 0 && m_pagingQueues[i].handle == handle)
            return i;
    return kNone;
}

std::size_t ReferenceModel::findResource(D3DKMT_HANDLE handle) const
{
    for (std::size_t i = 0; i < m_resources.size(); ++i)
        if (handle != 0 && m_resources[i].live && m_resources[i].handle == handle)
            return i;
    return kNone;
}

std::size_t ReferenceModel::findAllocation(D3DKMT_HANDLE handle) const
{
    for (std::size_t i = 0; i < m_allocations.size(); ++i)
        if (handle != 0 && m_allocations[i].live && m_allocations[i].handle == handle)
            return i;
    return kNone;
}

// ---- the world -----------------------------------------------------------------------------------------

Result<D3DKMT_HANDLE> ReferenceModel::createProcess(
    std::string name, std::optional<std::uint64_t> localBudget, std::optional<std::uint64_t> nonLocalBudget)
{
    if (name.empty())
        return Result<D3DKMT_HANDLE>::failure(NtStatus::InvalidParameter, "a process needs a name");
    std::uint64_t groupSize[kSegmentGroupCount] = { 0, 0 };
    for (const Segment& s : m_segments)
        groupSize[static_cast<int>(s.config.group)] += s.config.size;
    Process p;
    p.handle = (kTagProcess << 24) | m_nextSerial++;
    p.name = std::move(name);
    // 90% of the group's memory, rounded as the simulator rounds it (a tenth, then nine of them).
    p.budget[0] = localBudget.value_or(groupSize[0] / 10 * 9);
    p.budget[1] = nonLocalBudget.value_or(groupSize[1] / 10 * 9);
    p.evictionsBySegment.assign(m_segments.size(), 0);
    m_processes.push_back(p);
    return static_cast<D3DKMT_HANDLE>(p.handle);
}

Result<D3DKMT_HANDLE> ReferenceModel::createDevice(HANDLE hProcess)
{
    const std::size_t process = findProcess(hProcess);
    if (process == kNone)
        return Result<D3DKMT_HANDLE>::failure(NtStatus::InvalidParameter, "not a process");
    Device d;
    d.handle = (kTagDevice << 24) | m_nextSerial++;
    d.process = process;
    m_devices.push_back(d);
    return d.handle;
}

Result<D3DKMT_HANDLE> ReferenceModel::createPagingQueue(D3DKMT_HANDLE hDevice)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return Result<D3DKMT_HANDLE>::failure(NtStatus::InvalidParameter, "not a device");
    PagingQueue q;
    q.handle = (kTagPagingQueue << 24) | m_nextSerial++;
    q.device = device;
    m_pagingQueues.push_back(q);
    return q.handle;
}

// ---- sums ------------------------------------------------------------------------------------------------

int ReferenceModel::groupOf(std::uint32_t segment) const
{
    return static_cast<int>(m_segments[segment].config.group);
}

std::uint64_t ReferenceModel::usage(std::size_t process, int group) const
{
    // Simulator default: offered bytes still in memory count in CurrentUsage (section 4).
    std::uint64_t bytes = 0;
    for (const Allocation& a : m_allocations)
        if (a.live && a.process == process && a.resident && groupOf(a.segment) == group)
            bytes += a.size;
    return bytes;
}

std::uint64_t ReferenceModel::offeredResidentBytes(std::size_t process, int group) const
{
    std::uint64_t bytes = 0;
    for (const Allocation& a : m_allocations)
        if (a.live && a.process == process && a.state == AllocationState::Offered && a.resident
            && groupOf(a.segment) == group)
            bytes += a.size;
    return bytes;
}

std::uint64_t ReferenceModel::reservable(std::size_t process, int group) const
{
    const std::uint64_t budget = m_processes[process].budget[group];
    // budget * percent / 100, rounded down, without overflowing 64 bits.
    return budget / 100 * kReservablePercent + budget % 100 * kReservablePercent / 100;
}

std::uint64_t ReferenceModel::residentBytes(std::uint32_t segment) const
{
    std::uint64_t bytes = 0;
    for (const Allocation& a : m_allocations)
        if (a.live && a.segment == segment && a.resident)
            bytes += a.size;
    return bytes;
}

std::uint64_t ReferenceModel::freeableBytes(std::uint32_t segment) const
{
    // What pressure could free in the segment (section 4 order): free space, offers still in memory, and
    // what eviction may take from each process. Not in the document: eviction by pressure stops at a process'
    // reservation, so from each process at most what it uses above its reservation once its offers in memory
    // (which go first and count in its usage) are gone.
    const Segment& s = m_segments[segment];
    const int group = static_cast<int>(s.config.group);
    std::uint64_t bytes = s.config.size - residentBytes(segment);
    for (const Allocation& a : m_allocations)
        if (a.live && a.segment == segment && a.state == AllocationState::Offered && a.resident)
            bytes += a.size;
    for (std::size_t p = 0; p < m_processes.size(); ++p) {
        std::uint64_t evictableBytes = 0;
        for (const Allocation& a : m_allocations)
            if (a.live && a.process == p && a.segment == segment && evictable(a))
                evictableBytes += a.size;
        const std::uint64_t used = usage(p, group) - offeredResidentBytes(p, group);
        const std::uint64_t reserved = m_processes[p].reservation[group];
        bytes += std::min(evictableBytes, used > reserved ? used - reserved : 0);
    }
    return bytes;
}

std::uint64_t ReferenceModel::decommittableBytes(std::size_t process) const
{
    std::uint64_t bytes = 0;
    for (const Allocation& a : m_allocations)
        if (a.live && a.process == process && decommittable(a))
            bytes += a.size;
    return bytes;
}

// ---- transitions -------------------------------------------------------------------------------------------

bool ReferenceModel::evictable(const Allocation& a)
{
    // In use (not offered), in memory, neither mapped nor used by queued GPU work, and not part of the call
    // that needs the room.
    return a.live && a.state == AllocationState::Resident && !pinned(a) && !a.heldByCall;
}

bool ReferenceModel::decommittable(const Allocation& a)
{
    // Offers made with AllowDecommit whose backing store is still there. Not in the document: an offer still
    // waiting for its GPU work does not count yet (it cannot be decommitted before it takes effect).
    return a.live && a.allowDecommit && (a.state == AllocationState::Offered || a.state == AllocationState::Discarded);
}

void ReferenceModel::moveTo(Allocation& a, AllocationState state, bool resident)
{
    const bool wasDecommittable = decommittable(a);
    a.state = state;
    a.resident = resident;
    if (state == AllocationState::Destroyed)
        a.live = false;
    // DecommitUniqueness changes whenever the set of decommittable allocations does.
    if (decommittable(a) != wasDecommittable)
        ++m_processes[a.process].decommitUniqueness;
}

OfferLevel ReferenceModel::levelFor(OfferPriority priority, UINT residencyPriority) const
{
    switch (priority) {
    case OfferPriority::Low:
        return OfferLevel::Low;
    case OfferPriority::Normal:
        return OfferLevel::Normal;
    case OfferPriority::High:
        return OfferLevel::High;
    default:
        break;
    }
    // Simulator default for AUTO (section 2.2): MINIMUM/LOW -> LOW, NORMAL -> NORMAL, HIGH/MAXIMUM -> HIGH.
    // Not in the document: values between the named ones take the level of the named value below them.
    if (residencyPriority >= ResidencyPriority::kHigh)
        return OfferLevel::High;
    if (residencyPriority >= ResidencyPriority::kNormal)
        return OfferLevel::Normal;
    return OfferLevel::Low;
}

int ReferenceModel::levelRank(OfferLevel level) const
{
    const int rank = static_cast<int>(level); // LOW 0, NORMAL 1, HIGH 2: LOW goes first (section 4)
    return m_rules.flipDiscardOrder ? 2 - rank : rank;
}

void ReferenceModel::makeEffective(Allocation& a)
{
    a.offeredAt = tick();
    moveTo(a, AllocationState::Offered, a.resident);
}

void ReferenceModel::discard(Allocation& a)
{
    m_segments[a.segment].totalBytesDiscarded += a.size;
    a.discardedAt = tick();
    moveTo(a, AllocationState::Discarded, false);
}

void ReferenceModel::evictOne(Allocation& a)
{
    Segment& s = m_segments[a.segment];
    s.totalBytesEvicted += a.size;
    s.totalBytesEvictedByClass[priorityClass(a.residencyPriority)] += a.size;
    ++m_processes[a.process].evictionsBySegment[a.segment];
    a.evictWhenIdle = false;
    moveTo(a, AllocationState::Evicted, false);
}

void ReferenceModel::decommit(Allocation& a)
{
    m_segments[a.segment].totalBytesDecommitted += a.size;
    a.decommitReported = false;
    moveTo(a, AllocationState::Decommitted, false);
}

// ---- pressure (section 4) -------------------------------------------------------------------------------------

std::size_t ReferenceModel::offerVictim(std::uint32_t segment) const
{
    // Offers that hold memory in the segment, lowest priority first; within a priority the oldest offer
    // (simulator default: FIFO by the time the offer took effect).
    std::size_t best = kNone;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (!a.live || a.segment != segment || a.state != AllocationState::Offered || !a.resident)
            continue;
        if (best == kNone || levelRank(a.level) < levelRank(m_allocations[best].level)
            || (a.level == m_allocations[best].level && a.offeredAt < m_allocations[best].offeredAt))
            best = i;
    }
    return best;
}

std::size_t ReferenceModel::ownOfferVictim(std::size_t process, int group) const
{
    // The same order, over the process' own offers in memory in any segment of the group.
    std::size_t best = kNone;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (!a.live || a.process != process || groupOf(a.segment) != group || a.state != AllocationState::Offered
            || !a.resident)
            continue;
        if (best == kNone || levelRank(a.level) < levelRank(m_allocations[best].level)
            || (a.level == m_allocations[best].level && a.offeredAt < m_allocations[best].offeredAt))
            best = i;
    }
    return best;
}

std::size_t ReferenceModel::evictionVictim(std::uint32_t segment) const
{
    // Step (5), simulator default: lowest residency priority, then least recently used. Processes at or below
    // their reservation are left alone (IDXGIAdapter3::SetVideoMemoryReservation).
    const int group = groupOf(segment);
    std::size_t best = kNone;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (a.segment != segment || !evictable(a))
            continue;
        if (usage(a.process, group) <= m_processes[a.process].reservation[group])
            continue;
        if (best == kNone || a.residencyPriority < m_allocations[best].residencyPriority
            || (a.residencyPriority == m_allocations[best].residencyPriority
                && a.lastUsed < m_allocations[best].lastUsed))
            best = i;
    }
    return best;
}

std::size_t ReferenceModel::ownEvictionVictim(std::size_t process, int group) const
{
    std::size_t best = kNone;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (a.process != process || groupOf(a.segment) != group || !evictable(a))
            continue;
        if (best == kNone || a.residencyPriority < m_allocations[best].residencyPriority
            || (a.residencyPriority == m_allocations[best].residencyPriority
                && a.lastUsed < m_allocations[best].lastUsed))
            best = i;
    }
    return best;
}

std::size_t ReferenceModel::decommitVictim(std::size_t onlyProcess, bool onlyDiscarded) const
{
    // AllowDecommit offers whose content is already gone go first, the earliest discarded first (not in the
    // document); then AllowDecommit offers still intact, in discard order (LOW first, oldest offer first).
    std::size_t best = kNone;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (!a.live || !a.allowDecommit || a.state != AllocationState::Discarded
            || (onlyProcess != kNone && a.process != onlyProcess))
            continue;
        if (best == kNone || a.discardedAt < m_allocations[best].discardedAt)
            best = i;
    }
    if (best != kNone || onlyDiscarded)
        return best;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (!a.live || !a.allowDecommit || a.state != AllocationState::Offered
            || (onlyProcess != kNone && a.process != onlyProcess))
            continue;
        if (best == kNone || levelRank(a.level) < levelRank(m_allocations[best].level)
            || (a.level == m_allocations[best].level && a.offeredAt < m_allocations[best].offeredAt))
            best = i;
    }
    return best;
}

void ReferenceModel::makeRoom(std::uint32_t segment, std::uint64_t need)
{
    // (1) free space, (2)-(4) offers LOW, NORMAL, HIGH, (5) eviction.
    const std::uint64_t size = m_segments[segment].config.size;
    while (size - residentBytes(segment) < need) {
        std::size_t victim = offerVictim(segment);
        if (victim != kNone) {
            discard(m_allocations[victim]);
            continue;
        }
        victim = evictionVictim(segment);
        if (victim == kNone)
            return; // the caller checked that enough can be freed
        evictOne(m_allocations[victim]);
    }
}

void ReferenceModel::discardOwnOffersForBudget(std::size_t process, int group, std::uint64_t extra)
{
    // A process about to go over its budget gives back what it offered itself first (section 4: offers are
    // the first memory VidMm takes). Offered bytes count in its usage (simulator default), so this helps.
    const std::uint64_t budget = m_processes[process].budget[group];
    while (usage(process, group) + extra > budget) {
        const std::size_t victim = ownOfferVictim(process, group);
        if (victim == kNone)
            return;
        discard(m_allocations[victim]);
    }
}

void ReferenceModel::enforceBudget(std::size_t process, int group)
{
    discardOwnOffersForBudget(process, group, 0);
    while (usage(process, group) > m_processes[process].budget[group]) {
        const std::size_t victim = ownEvictionVictim(process, group);
        if (victim == kNone)
            return; // what is left is pinned
        evictOne(m_allocations[victim]);
    }
}

std::uint64_t ReferenceModel::decommitUpTo(std::size_t onlyProcess, std::uint64_t bytes, bool onlyDiscarded)
{
    std::uint64_t done = 0;
    while (done < bytes) {
        const std::size_t victim = decommitVictim(onlyProcess, onlyDiscarded);
        if (victim == kNone)
            break;
        done += m_allocations[victim].size;
        decommit(m_allocations[victim]);
    }
    return done;
}

NtStatus ReferenceModel::checkPageIn(const std::vector<std::size_t>& pageIns, std::size_t process, bool checkBudget,
    const std::vector<std::size_t>& call, std::uint64_t* bytesToTrim) const
{
    if (bytesToTrim != nullptr)
        *bytesToTrim = 0;
    std::vector<std::uint64_t> bySegment(m_segments.size(), 0), held(m_segments.size(), 0);
    std::uint64_t byGroup[kSegmentGroupCount] = { 0, 0 };
    for (std::size_t i : pageIns) {
        bySegment[m_allocations[i].segment] += m_allocations[i].size;
        byGroup[groupOf(m_allocations[i].segment)] += m_allocations[i].size;
    }
    // The call's own allocations in memory cannot be evicted to make room for the rest of it.
    for (std::size_t i : call)
        if (evictable(m_allocations[i]))
            held[m_allocations[i].segment] += m_allocations[i].size;
    if (checkBudget) {
        // Section 4: MakeResident over budget fails with STATUS_NO_MEMORY and NumBytesToTrim. The process'
        // own offers in memory would be taken first, so they do not count against it.
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            if (byGroup[g] == 0)
                continue;
            const std::uint64_t wanted = usage(process, g) + byGroup[g];
            const std::uint64_t allowed = m_processes[process].budget[g] + offeredResidentBytes(process, g);
            if (wanted > allowed) {
                if (bytesToTrim != nullptr)
                    *bytesToTrim = wanted - allowed;
                return NtStatus::NoMemory;
            }
        }
    }
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (bySegment[s] != 0 && freeableBytes(s) < bySegment[s] + held[s])
            return NtStatus::NoMemory;
    return NtStatus::Success;
}

std::uint64_t ReferenceModel::pageIn(
    const std::vector<std::size_t>& pageIns, std::size_t process, const std::vector<std::size_t>& call)
{
    std::vector<std::size_t> held;
    for (std::size_t i : call)
        if (evictable(m_allocations[i])) {
            m_allocations[i].heldByCall = true;
            held.push_back(i);
        }
    std::vector<std::uint64_t> bySegment(m_segments.size(), 0);
    std::uint64_t byGroup[kSegmentGroupCount] = { 0, 0 };
    std::uint64_t total = 0;
    for (std::size_t i : pageIns) {
        bySegment[m_allocations[i].segment] += m_allocations[i].size;
        byGroup[groupOf(m_allocations[i].segment)] += m_allocations[i].size;
        total += m_allocations[i].size;
    }
    for (int g = 0; g < kSegmentGroupCount; ++g)
        if (byGroup[g] != 0)
            discardOwnOffersForBudget(process, g, byGroup[g]);
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (bySegment[s] != 0)
            makeRoom(s, bySegment[s]);
    for (std::size_t i : pageIns) {
        Allocation& a = m_allocations[i];
        a.lastUsed = tick(); // being paged in for use is a use
        moveTo(a, AllocationState::Resident, true);
        a.evictWhenIdle = false;
    }
    // The call's allocations that were in memory already are used by it too, after those it paged in.
    for (std::size_t i : held) {
        m_allocations[i].heldByCall = false;
        m_allocations[i].lastUsed = tick();
    }
    return total;
}

// Not in the document: checkPageIn() judges each segment on its own, which is right for one segment. When a
// call pages into two segments of one group, making room in the first can take a process down to its
// reservation and leave nothing it may give in the second: such a call is tried on a copy of the model, and
// fails with STATUS_NO_MEMORY (changing nothing) when a segment would hold more than its size.
bool ReferenceModel::spansTwoSegmentsOfAGroup(const std::vector<std::size_t>& pageIns) const
{
    for (std::size_t i : pageIns)
        for (std::size_t j : pageIns)
            if (m_allocations[i].segment != m_allocations[j].segment
                && groupOf(m_allocations[i].segment) == groupOf(m_allocations[j].segment))
                return true;
    return false;
}

bool ReferenceModel::overfull() const
{
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (residentBytes(s) > m_segments[s].config.size)
            return true;
    return false;
}

std::uint64_t ReferenceModel::queuePaging(std::size_t queue, std::uint64_t bytes)
{
    PagingQueue& q = m_pagingQueues[queue];
    const std::uint64_t duration = std::max<std::uint64_t>(1, bytes / kPagingBytesPerMicrosecond);
    q.lastEndTime = std::max(q.lastEndTime, m_now) + duration;
    q.work.push_back(PagingWork { ++q.submittedFence, q.lastEndTime });
    return q.submittedFence;
}

// ---- resources -------------------------------------------------------------------------------------------------

NtStatus ReferenceModel::createResource(const CreateResourceArgs& args, CreatedResource& out)
{
    return createResourceFor(args, out, false);
}

NtStatus ReferenceModel::createResourceFor(const CreateResourceArgs& args, CreatedResource& out, bool cantTrimFurther)
{
    out.hResource = 0;
    out.allocations.clear();
    const std::size_t device = findDevice(args.hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    if (args.allocationSizes.empty() || args.allocationSizes.size() > kMaxAllocationsPerResource)
        return NtStatus::InvalidParameter;
    if (args.segmentId >= m_segments.size())
        return NtStatus::InvalidParameter;
    for (std::uint64_t size : args.allocationSizes)
        if (size == 0)
            return NtStatus::InvalidParameter;
    for (std::uint64_t size : args.allocationSizes)
        if (size > m_segments[args.segmentId].config.size)
            return NtStatus::NoMemory; // could never be resident
    const std::size_t process = m_devices[device].process;
    const int group = groupOf(args.segmentId);
    std::uint64_t total = 0;
    for (std::uint64_t size : args.allocationSizes)
        total += size;
    if (args.makeResident) {
        // The checks of MakeResident, before anything exists (no NumBytesToTrim to report here).
        if (!cantTrimFurther
            && usage(process, group) + total
                > m_processes[process].budget[group] + offeredResidentBytes(process, group))
            return NtStatus::NoMemory;
        if (freeableBytes(args.segmentId) < total)
            return NtStatus::NoMemory;
    }
    Resource r;
    r.handle = (kTagResource << 24) | m_nextSerial++;
    r.device = device;
    r.present = args.present;
    std::vector<std::size_t> created;
    for (std::uint64_t size : args.allocationSizes) {
        Allocation a;
        a.handle = (kTagAllocation << 24) | m_nextSerial++;
        a.resource = m_resources.size();
        a.device = device;
        a.process = process;
        a.segment = args.segmentId;
        a.size = size;
        a.residencyPriority = args.residencyPriority;
        a.lastUsed = tick();
        // Committed, not in the segment yet: the Evicted state.
        r.allocations.push_back(m_allocations.size());
        created.push_back(m_allocations.size());
        out.allocations.push_back(a.handle);
        m_allocations.push_back(a);
    }
    out.hResource = r.handle;
    m_resources.push_back(r);
    if (args.makeResident) {
        // The runtime makes a new resource resident: one MakeResident reference each.
        for (std::size_t i : created)
            m_allocations[i].residentRefs = 1;
        pageIn(created, process, {});
    }
    return NtStatus::Success;
}

NtStatus ReferenceModel::destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    const std::size_t resource = findResource(hResource);
    if (resource == kNone || m_resources[resource].device != device)
        return NtStatus::InvalidParameter;
    // Not in the document: a removed device may still destroy what it created.
    for (std::size_t i : m_resources[resource].allocations)
        moveTo(m_allocations[i], AllocationState::Destroyed, false);
    m_resources[resource].live = false;
    return NtStatus::Success;
}

// ---- offer and reclaim (sections 2.1, 2.3, 3) ------------------------------------------------------------------

NtStatus ReferenceModel::collect(std::size_t device, const D3DKMT_HANDLE* resources, const D3DKMT_HANDLE* handles,
    UINT count, bool forOffer, std::vector<std::size_t>& allocations, std::vector<UINT>& entries) const
{
    allocations.clear();
    entries.clear();
    // Exactly one of the two arrays, 1..10240 entries (section 2.1, WSL2 front end).
    if ((resources == nullptr) == (handles == nullptr))
        return NtStatus::InvalidParameter;
    if (count == 0 || count > kMaxOfferAllocations)
        return NtStatus::InvalidParameter;
    for (UINT k = 0; k < count; ++k) {
        std::vector<std::size_t> named;
        if (handles != nullptr) {
            const std::size_t i = findAllocation(handles[k]);
            if (i == kNone || m_allocations[i].device != device)
                return NtStatus::InvalidParameter;
            named.push_back(i);
        } else {
            const std::size_t r = findResource(resources[k]);
            if (r == kNone || m_resources[r].device != device)
                return NtStatus::InvalidParameter;
            // A present resource is offered by its allocation handles only (seed page).
            if (forOffer && m_resources[r].present)
                return NtStatus::InvalidParameter;
            named = m_resources[r].allocations;
        }
        for (std::size_t i : named) {
            // Not in the document: naming an allocation twice in one call is a parameter error.
            if (std::find(allocations.begin(), allocations.end(), i) != allocations.end())
                return NtStatus::InvalidParameter;
            allocations.push_back(i);
            entries.push_back(k);
        }
    }
    return NtStatus::Success;
}

NtStatus ReferenceModel::offerAllocations(const D3DKMT_OFFERALLOCATIONS& args)
{
    const std::size_t device = findDevice(args.hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    std::vector<std::size_t> named;
    std::vector<UINT> entries;
    if (collect(device, args.pResources, args.HandleList, args.NumAllocations, true, named, entries)
        != NtStatus::Success)
        return NtStatus::InvalidParameter;
    if (args.Priority < OfferPriority::Low || args.Priority > OfferPriority::Auto)
        return NtStatus::InvalidParameter;
    if ((args.Flags.Value & ~(D3DKMT_OFFER_FLAGS::kOfferImmediately | D3DKMT_OFFER_FLAGS::kAllowDecommit)) != 0)
        return NtStatus::InvalidParameter;
    for (std::size_t i : named) {
        const Allocation& a = m_allocations[i];
        // Rule 4: a mapped allocation cannot be offered. Rule 5 (simulator default): offering an offered one
        // is a parameter error. Rule 6: a decommitted one is dead.
        if ((a.state == AllocationState::Resident || a.state == AllocationState::Evicted) && a.lockCount != 0)
            return NtStatus::InvalidParameter;
        if (a.state != AllocationState::Resident && a.state != AllocationState::Evicted)
            return NtStatus::InvalidParameter;
    }
    for (std::size_t i : named) {
        Allocation& a = m_allocations[i];
        a.requested = args.Priority;
        a.level = levelFor(args.Priority, a.residencyPriority);
        a.allowDecommit = args.Flags.AllowDecommit();
        a.evictWhenIdle = false;
        // Rule 3: while GPU work using it is queued the offer is pending. OfferImmediately: the caller says
        // the GPU is done with it.
        if (a.gpuBusy && !args.Flags.OfferImmediately()) {
            moveTo(a, AllocationState::OfferPending, a.resident);
        } else {
            a.gpuBusy = false;
            makeEffective(a);
        }
    }
    return NtStatus::Success;
}

NtStatus ReferenceModel::reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args)
{
    const std::size_t device = findDevice(args.hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    return reclaim(
        device, kNone, args.pResources, args.HandleList, args.NumAllocations, args.pDiscarded, nullptr, nullptr);
}

NtStatus ReferenceModel::reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args)
{
    // Takes a paging queue, not a device (section 2.3). Simulator default: a WDDM 2.1 driver, so the union is
    // read as pResults.
    const std::size_t queue = findPagingQueue(args.hPagingQueue);
    if (queue == kNone)
        return NtStatus::InvalidParameter;
    return reclaim(m_pagingQueues[queue].device, queue, args.pResources, args.HandleList, args.NumAllocations, nullptr,
        args.pResults, &args.PagingFenceValue);
}

NtStatus ReferenceModel::reclaim(std::size_t device, std::size_t queue, const D3DKMT_HANDLE* resources,
    const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence)
{
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    std::vector<std::size_t> named;
    std::vector<UINT> entries;
    if (collect(device, resources, handles, count, false, named, entries) != NtStatus::Success)
        return NtStatus::InvalidParameter;
    for (std::size_t i : named) {
        const Allocation& a = m_allocations[i];
        // Rule 5 (simulator default): reclaiming what is not offered is a parameter error. Rule 6: a
        // decommitted allocation answers NOT_COMMITTED once; after that every reclaim of it fails.
        if (a.state == AllocationState::Resident || a.state == AllocationState::Evicted)
            return NtStatus::InvalidParameter;
        if (a.state == AllocationState::Decommitted && a.decommitReported)
            return NtStatus::InvalidParameter;
    }
    // Section 2.3: reclaim brings the memory back only for allocations on the residency list. The content
    // of a discarded one is lost but its memory is committed again.
    auto comesBack = [this](const Allocation& a) {
        return a.residentRefs != 0
            && (a.state == AllocationState::Discarded || (a.state == AllocationState::Offered && !a.resident));
    };
    std::vector<std::size_t> pageIns;
    std::vector<std::uint64_t> need(m_segments.size(), 0), keptOffers(m_segments.size(), 0);
    for (std::size_t i : named) {
        const Allocation& a = m_allocations[i];
        if (comesBack(a)) {
            pageIns.push_back(i);
            need[a.segment] += a.size;
        }
        if (a.state == AllocationState::Offered && a.resident)
            keptOffers[a.segment] += a.size;
    }
    // Not in the document: when that memory cannot be found even by discarding every other offer and
    // evicting all that may be evicted, the call fails with STATUS_NO_MEMORY and changes nothing. The offers
    // this call takes back are no longer there to be discarded.
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (need[s] != 0 && freeableBytes(s) - keptOffers[s] < need[s])
            return NtStatus::NoMemory;

    std::optional<ReferenceModel> before;
    if (spansTwoSegmentsOfAGroup(pageIns))
        before = *this;
    std::vector<ReclaimResult> perAllocation(named.size(), ReclaimResult::Ok);
    for (std::size_t k = 0; k < named.size(); ++k) {
        Allocation& a = m_allocations[named[k]];
        switch (a.state) {
        case AllocationState::OfferPending:
            // The offer never took effect (its GPU work is still queued): nothing was lost.
            moveTo(a, AllocationState::Resident, true);
            break;
        case AllocationState::Offered:
            if (comesBack(a)) {
                moveTo(a, AllocationState::Evicted, false); // paged in below
            } else {
                a.lastUsed = tick(); // a reclaim is a use
                moveTo(a, a.resident ? AllocationState::Resident : AllocationState::Evicted, a.resident);
            }
            break;
        case AllocationState::Discarded:
            moveTo(a, AllocationState::Evicted, false); // committed again; paged in below when referenced
            perAllocation[k] = ReclaimResult::Discarded;
            break;
        case AllocationState::Decommitted:
            a.decommitReported = true;
            perAllocation[k] = ReclaimResult::NotCommitted;
            break;
        default:
            break;
        }
    }
    const std::uint64_t paged = pageIns.empty() ? 0 : pageIn(pageIns, m_devices[device].process, named);
    if (before && overfull()) {
        *this = std::move(*before);
        return NtStatus::NoMemory;
    }

    // One output per input entry; a resource answers the worst result of its allocations.
    std::vector<ReclaimResult> perEntry(count, ReclaimResult::Ok);
    for (std::size_t k = 0; k < named.size(); ++k)
        perEntry[entries[k]] = std::max(perEntry[entries[k]], perAllocation[k]);
    for (UINT e = 0; e < count; ++e) {
        if (results != nullptr)
            results[e] = perEntry[e];
        if (discarded != nullptr)
            discarded[e] = perEntry[e] != ReclaimResult::Ok ? 1 : 0;
    }
    if (pagingFence != nullptr)
        *pagingFence = paged != 0 ? queuePaging(queue, paged) : m_pagingQueues[queue].submittedFence;
    return NtStatus::Success;
}

// ---- residency -----------------------------------------------------------------------------------------------

NtStatus ReferenceModel::makeResident(D3DDDI_MAKERESIDENT& args)
{
    const UINT requested = args.NumAllocations;
    args.PagingFenceValue = 0;
    args.NumBytesToTrim = 0;
    const std::size_t queue = findPagingQueue(args.hPagingQueue);
    if (queue == kNone)
        return NtStatus::InvalidParameter;
    const std::size_t device = m_pagingQueues[queue].device;
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    if (args.NumAllocations == 0 || args.AllocationList == nullptr)
        return NtStatus::InvalidParameter;
    if ((args.Flags.Value & ~(D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther | D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed))
        != 0)
        return NtStatus::InvalidParameter;
    std::vector<std::size_t> named;
    std::vector<UINT> entries;
    if (collect(device, nullptr, args.AllocationList, args.NumAllocations, false, named, entries) != NtStatus::Success)
        return NtStatus::InvalidParameter;
    std::vector<std::size_t> pageIns;
    for (std::size_t i : named) {
        // Offered and lost allocations are reclaimed, not made resident.
        if (m_allocations[i].state != AllocationState::Resident && m_allocations[i].state != AllocationState::Evicted)
            return NtStatus::InvalidParameter;
        if (m_allocations[i].state == AllocationState::Evicted)
            pageIns.push_back(i);
    }
    const std::size_t process = m_devices[device].process;
    std::uint64_t toTrim = 0;
    if (checkPageIn(pageIns, process, !args.Flags.CantTrimFurther(), named, &toTrim) != NtStatus::Success) {
        args.NumAllocations = 0;
        args.NumBytesToTrim = toTrim;
        // MustSucceed: when trimming cannot help, the device is put in error.
        if (args.Flags.MustSucceed() && toTrim == 0) {
            m_devices[device].removed = true;
            return NtStatus::DeviceRemoved;
        }
        return NtStatus::NoMemory;
    }
    std::optional<ReferenceModel> before;
    if (spansTwoSegmentsOfAGroup(pageIns))
        before = *this;
    for (std::size_t k = 0; k < named.size(); ++k) {
        Allocation& a = m_allocations[named[k]];
        ++a.residentRefs; // reference counted (section 4)
        if (args.PriorityList != nullptr)
            a.residencyPriority = args.PriorityList[k];
    }
    const std::uint64_t paged = pageIns.empty() ? 0 : pageIn(pageIns, process, named);
    if (before && overfull()) {
        *this = std::move(*before);
        args.NumAllocations = 0;
        args.NumBytesToTrim = 0;
        if (args.Flags.MustSucceed()) {
            m_devices[device].removed = true;
            return NtStatus::DeviceRemoved;
        }
        return NtStatus::NoMemory;
    }
    for (std::size_t i : named)
        m_allocations[i].lastUsed = tick(); // made resident for use: a use, in list order
    args.NumAllocations = requested;
    args.PagingFenceValue = paged != 0 ? queuePaging(queue, paged) : m_pagingQueues[queue].submittedFence;
    // Paging is asynchronous: STATUS_PENDING until the fence is reached.
    return paged != 0 ? NtStatus::Pending : NtStatus::Success;
}

NtStatus ReferenceModel::evict(D3DKMT_EVICT& args)
{
    args.NumBytesToTrim = 0;
    const std::size_t device = findDevice(args.hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    if (args.NumAllocations == 0 || args.AllocationList == nullptr)
        return NtStatus::InvalidParameter;
    if ((args.Flags.Value & ~(D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary | D3DDDI_EVICT_FLAGS::kNotWrittenTo)) != 0)
        return NtStatus::InvalidParameter; // reserved bits
    std::vector<std::size_t> named;
    std::vector<UINT> entries;
    if (collect(device, nullptr, args.AllocationList, args.NumAllocations, false, named, entries) != NtStatus::Success)
        return NtStatus::InvalidParameter;
    for (std::size_t i : named)
        if (m_allocations[i].residentRefs == 0)
            return NtStatus::InvalidParameter; // no reference to release
    for (std::size_t i : named) {
        Allocation& a = m_allocations[i];
        --a.residentRefs;
        if (a.residentRefs != 0 || a.state != AllocationState::Resident || args.Flags.EvictOnlyIfNecessary())
            continue;
        if (pinned(a))
            a.evictWhenIdle = true; // paged out once it is neither mapped nor used by the GPU
        else
            evictOne(a);
    }
    const std::size_t process = m_devices[device].process;
    for (int g = 0; g < kSegmentGroupCount; ++g) {
        const std::uint64_t used = usage(process, g), budget = m_processes[process].budget[g];
        if (used > budget)
            args.NumBytesToTrim = std::max<UINT64>(args.NumBytesToTrim, used - budget);
    }
    return NtStatus::Success;
}

// ---- CPU and GPU use ------------------------------------------------------------------------------------------

NtStatus ReferenceModel::lock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    if (m_devices[device].removed)
        return NtStatus::DeviceRemoved;
    const std::size_t i = findAllocation(hAllocation);
    if (i == kNone || m_allocations[i].device != device)
        return NtStatus::InvalidParameter;
    Allocation& a = m_allocations[i];
    // Rule 4: an offered allocation may not be locked until reclaimed; rule 6: a decommitted one is dead.
    if (a.state != AllocationState::Resident && a.state != AllocationState::Evicted)
        return NtStatus::InvalidParameter;
    ++a.lockCount;
    a.lastUsed = tick();
    return NtStatus::Success;
}

NtStatus ReferenceModel::unlock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    const std::size_t i = findAllocation(hAllocation);
    if (i == kNone || m_allocations[i].device != device)
        return NtStatus::InvalidParameter;
    Allocation& a = m_allocations[i];
    if (a.lockCount == 0)
        return NtStatus::InvalidParameter;
    --a.lockCount;
    if (pinned(a) || a.state != AllocationState::Resident)
        return NtStatus::Success;
    // It was in use until now.
    a.lastUsed = tick();
    if (a.evictWhenIdle && a.residentRefs == 0)
        evictOne(a);
    return NtStatus::Success;
}

NtStatus ReferenceModel::submitGpuWork(D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations,
    std::uint64_t durationUs, std::uint64_t* fenceValue)
{
    const std::size_t deviceIndex = findDevice(hDevice);
    if (deviceIndex == kNone)
        return NtStatus::InvalidParameter;
    if (m_devices[deviceIndex].removed)
        return NtStatus::DeviceRemoved;
    const std::size_t process = m_devices[deviceIndex].process;
    std::vector<std::size_t> used;
    for (D3DKMT_HANDLE h : allocations) {
        const std::size_t i = findAllocation(h);
        if (i == kNone || m_allocations[i].device != deviceIndex)
            return NtStatus::InvalidParameter;
        if (std::find(used.begin(), used.end(), i) == used.end())
            used.push_back(i);
    }
    // Rule 4: GPU use of an offered, discarded or non-resident allocation is a fault that removes the device.
    // Evicted allocations on the residency list are paged in first.
    std::vector<std::size_t> pageIns;
    for (std::size_t i : used) {
        const Allocation& a = m_allocations[i];
        const bool fault = a.state == AllocationState::Offered || a.state == AllocationState::OfferPending
            || a.state == AllocationState::Discarded || a.state == AllocationState::Decommitted
            || (a.state == AllocationState::Evicted && a.residentRefs == 0);
        if (fault) {
            m_devices[deviceIndex].removed = true;
            return NtStatus::DeviceRemoved;
        }
        if (a.state == AllocationState::Evicted)
            pageIns.push_back(i);
    }
    if (!pageIns.empty()) {
        if (checkPageIn(pageIns, process, false, used, nullptr) != NtStatus::Success)
            return NtStatus::NoMemory;
        std::optional<ReferenceModel> before;
        if (spansTwoSegmentsOfAGroup(pageIns))
            before = *this;
        pageIn(pageIns, process, used);
        if (before && overfull()) {
            *this = std::move(*before);
            return NtStatus::NoMemory;
        }
    }
    Device& device = m_devices[deviceIndex];
    GpuWork work;
    work.fence = ++device.submittedFence;
    device.lastEndTime = std::max(device.lastEndTime, m_now) + durationUs;
    work.endTime = device.lastEndTime;
    for (std::size_t i : used) {
        Allocation& a = m_allocations[i];
        a.gpuBusy = true;
        a.lastGpuFence = work.fence;
        a.lastUsed = tick();
        work.allocations.push_back(a.handle);
    }
    if (fenceValue != nullptr)
        *fenceValue = work.fence;
    device.work.push_back(std::move(work));
    return NtStatus::Success;
}

NtStatus ReferenceModel::setAllocationPriority(
    D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::span<const UINT> priorities)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    if (allocations.empty() || allocations.size() != priorities.size())
        return NtStatus::InvalidParameter;
    for (D3DKMT_HANDLE h : allocations) {
        const std::size_t i = findAllocation(h);
        if (i == kNone || m_allocations[i].device != device)
            return NtStatus::InvalidParameter;
    }
    for (std::size_t k = 0; k < allocations.size(); ++k) {
        Allocation& a = m_allocations[findAllocation(allocations[k])];
        a.residencyPriority = priorities[k];
        // Not in the document: a new priority puts it behind the others of that priority, as if just used.
        if (evictable(a))
            a.lastUsed = tick();
    }
    return NtStatus::Success;
}

// ---- time --------------------------------------------------------------------------------------------------------

void ReferenceModel::retireGpuWork(std::size_t device)
{
    Device& d = m_devices[device];
    const GpuWork work = d.work.front();
    d.work.erase(d.work.begin());
    d.completedFence = work.fence;
    for (D3DKMT_HANDLE h : work.allocations) {
        const std::size_t i = findAllocation(h);
        if (i == kNone)
            continue; // destroyed meanwhile
        Allocation& a = m_allocations[i];
        if (!a.gpuBusy || a.lastGpuFence > d.completedFence)
            continue; // later work on it is still queued
        a.gpuBusy = false;
        if (a.state == AllocationState::OfferPending) {
            makeEffective(a); // rule 3
        } else if (!pinned(a) && a.state == AllocationState::Resident) {
            a.lastUsed = tick(); // the GPU used it until now
            if (a.evictWhenIdle && a.residentRefs == 0)
                evictOne(a);
        }
    }
}

void ReferenceModel::advanceTime(std::uint64_t microseconds)
{
    const std::uint64_t target = m_now + microseconds;
    for (;;) {
        // Not in the document: work finishing at the same moment retires GPU work before paging, and the
        // device or queue created first before later ones.
        std::size_t device = kNone, queue = kNone;
        std::uint64_t when = 0;
        for (std::size_t i = 0; i < m_devices.size(); ++i)
            if (!m_devices[i].work.empty() && m_devices[i].work.front().endTime <= target
                && (device == kNone || m_devices[i].work.front().endTime < when)) {
                device = i;
                when = m_devices[i].work.front().endTime;
            }
        for (std::size_t i = 0; i < m_pagingQueues.size(); ++i)
            if (!m_pagingQueues[i].work.empty() && m_pagingQueues[i].work.front().endTime <= target
                && ((device == kNone && queue == kNone) || m_pagingQueues[i].work.front().endTime < when)) {
                queue = i;
                device = kNone;
                when = m_pagingQueues[i].work.front().endTime;
            }
        if (device == kNone && queue == kNone)
            break;
        m_now = std::max(m_now, when);
        if (queue != kNone) {
            PagingQueue& q = m_pagingQueues[queue];
            q.completedFence = q.work.front().fence;
            q.work.erase(q.work.begin());
        } else {
            retireGpuWork(device);
        }
    }
    m_now = target;
}

NtStatus ReferenceModel::waitForIdle(D3DKMT_HANDLE hDevice)
{
    const std::size_t device = findDevice(hDevice);
    if (device == kNone)
        return NtStatus::InvalidParameter;
    std::uint64_t end = m_now;
    for (const GpuWork& w : m_devices[device].work)
        end = std::max(end, w.endTime);
    for (const PagingQueue& q : m_pagingQueues)
        if (q.device == device)
            for (const PagingWork& w : q.work)
                end = std::max(end, w.endTime);
    advanceTime(end - m_now);
    return NtStatus::Success;
}

NtStatus ReferenceModel::waitForPagingFence(D3DKMT_HANDLE hPagingQueue, std::uint64_t fenceValue)
{
    const std::size_t queue = findPagingQueue(hPagingQueue);
    if (queue == kNone)
        return NtStatus::InvalidParameter;
    const PagingQueue& q = m_pagingQueues[queue];
    if (fenceValue <= q.completedFence)
        return NtStatus::Success;
    if (fenceValue > q.submittedFence)
        return NtStatus::InvalidParameter; // never signalled: the wait would not end
    std::uint64_t end = m_now;
    for (const PagingWork& w : q.work)
        if (w.fence <= fenceValue)
            end = std::max(end, w.endTime);
    advanceTime(end - m_now);
    return NtStatus::Success;
}

// ---- budgets and pressure from outside ---------------------------------------------------------------------------

NtStatus ReferenceModel::setBudget(HANDLE hProcess, MemorySegmentGroup group, std::uint64_t budget)
{
    const std::size_t process = findProcess(hProcess);
    const auto g = static_cast<std::uint32_t>(group);
    if (process == kNone || g >= kSegmentGroupCount)
        return NtStatus::InvalidParameter;
    m_processes[process].budget[g] = budget;
    // Section 4: a shrinking budget is a trim notification and pressure on that process. Simulator default:
    // VidMm frees its memory down to the new budget, its own offers first.
    if (usage(process, static_cast<int>(g)) > budget)
        enforceBudget(process, static_cast<int>(g));
    return NtStatus::Success;
}

NtStatus ReferenceModel::commitFromProcess(
    HANDLE hProcess, std::uint32_t segmentId, std::uint64_t bytes, CreatedResource* created)
{
    const std::size_t process = findProcess(hProcess);
    if (process == kNone)
        return NtStatus::InvalidParameter;
    std::size_t device = kNone;
    for (std::size_t i = 0; i < m_devices.size() && device == kNone; ++i)
        if (m_devices[i].process == process)
            device = i;
    if (device == kNone) {
        createDevice(m_processes[process].handle);
        device = m_devices.size() - 1;
    }
    // Another process' allocation, made resident: its own budget is its own business (CantTrimFurther).
    CreateResourceArgs args;
    args.hDevice = m_devices[device].handle;
    args.allocationSizes = { bytes };
    args.segmentId = segmentId;
    CreatedResource out;
    const NtStatus status = createResourceFor(args, out, true);
    if (created != nullptr)
        *created = out;
    return status;
}

std::uint64_t ReferenceModel::applySystemCommitPressure(std::uint64_t bytes)
{
    // Section 4: with system-commit pressure AllowDecommit offers are decommitted instead of discarded.
    return decommitUpTo(kNone, bytes, false);
}

// ---- queries -------------------------------------------------------------------------------------------------------

NtStatus ReferenceModel::queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) const
{
    // Section 2.6: an hProcess that names no process is STATUS_INVALID_HANDLE (checked first); NULL names
    // the caller, and only before any process exists does it name none: STATUS_INVALID_PARAMETER then.
    const std::size_t process = findProcess(args.hProcess);
    if (process == kNone)
        return args.hProcess != 0 ? NtStatus::InvalidHandle : NtStatus::InvalidParameter;
    // An unknown hAdapter, a PhysicalAdapterIndex other than 0, a group above NON_LOCAL.
    const auto group = static_cast<std::uint32_t>(args.MemorySegmentGroup);
    if (args.hAdapter != kAdapterHandle || group >= kSegmentGroupCount || args.PhysicalAdapterIndex != 0)
        return NtStatus::InvalidParameter;
    const int g = static_cast<int>(group);
    args.Budget = m_processes[process].budget[g];
    args.CurrentUsage = usage(process, g);
    args.CurrentReservation = m_processes[process].reservation[g];
    args.AvailableForReservation = reservable(process, g);
    return NtStatus::Success;
}

NtStatus ReferenceModel::changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args)
{
    const std::size_t process = findProcess(args.hProcess);
    const auto group = static_cast<std::uint32_t>(args.MemorySegmentGroup);
    if (process == kNone || args.hAdapter != kAdapterHandle || group >= kSegmentGroupCount
        || args.PhysicalAdapterIndex != 0)
        return NtStatus::InvalidParameter;
    if (args.Reservation > reservable(process, static_cast<int>(group)))
        return NtStatus::InvalidParameter;
    m_processes[process].reservation[group] = args.Reservation;
    return NtStatus::Success;
}

NtStatus ReferenceModel::queryStatistics(D3DKMT_QUERYSTATISTICS& args) const
{
    if (!(args.AdapterLuid == kAdapterLuid))
        return NtStatus::InvalidParameter;
    switch (args.Type) {
    case D3DKMT_QUERYSTATISTICS_TYPE::Segment: {
        const std::uint32_t id = args.QuerySegment.SegmentId;
        if (id >= m_segments.size())
            return NtStatus::InvalidParameter;
        const Segment& s = m_segments[id];
        D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION& out = args.QueryResult.SegmentInformation;
        out = {};
        out.CommitLimit = s.config.size;
        for (const Allocation& a : m_allocations) {
            if (!a.live || a.segment != id)
                continue;
            if (isCommitted(a.state)) {
                out.BytesCommitted += a.size;
                ++out.Memory.AllocsCommitted;
            }
            if (a.resident) {
                out.BytesResident += a.size;
                ++out.Memory.AllocsResident;
            }
        }
        out.Memory.TotalBytesEvicted = s.totalBytesEvicted;
        out.Aperture = s.config.aperture ? 1 : 0;
        for (int c = 0; c < kQueryStatisticsPriorityClassMax; ++c)
            out.TotalBytesEvictedByPriority[c] = s.totalBytesEvictedByClass[c];
        out.SegmentProperties = s.config.aperture ? 1 : 0; // SystemMemory
        return NtStatus::Success;
    }
    case D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegment: {
        const std::size_t process = findProcess(args.hProcess);
        const std::uint32_t id = args.QueryProcessSegment.SegmentId;
        if (process == kNone || id >= m_segments.size())
            return NtStatus::InvalidParameter;
        D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION& out = args.QueryResult.ProcessSegmentInformation;
        out = {};
        for (const Allocation& a : m_allocations) {
            if (!a.live || a.segment != id || a.process != process)
                continue;
            if (isCommitted(a.state)) {
                out.BytesCommitted += a.size;
                ++out.VideoMemory.AllocsCommitted;
            }
            if (a.resident) {
                out.VideoMemory.AllocsResidentInP[0].Bytes += a.size;
                ++out.VideoMemory.AllocsResidentInP[0].Count;
            }
        }
        out.NbReferencedAllocationEvictedInPeriod = m_processes[process].evictionsBySegment[id];
        return NtStatus::Success;
    }
    case D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup: {
        const std::size_t process = findProcess(args.hProcess);
        const auto group = static_cast<std::uint32_t>(args.QueryProcessSegmentGroup);
        if (process == kNone || group >= kSegmentGroupCount)
            return NtStatus::InvalidParameter;
        const int g = static_cast<int>(group);
        D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION& out = args.QueryResult.ProcessSegmentGroupInformation;
        out = {};
        out.Budget = m_processes[process].budget[g];
        out.Usage = usage(process, g);
        // What the process wants in memory: its usage plus what is evicted but still on its residency list.
        out.Requested = out.Usage;
        for (const Allocation& a : m_allocations)
            if (a.live && a.process == process && groupOf(a.segment) == g && a.state == AllocationState::Evicted
                && a.residentRefs != 0)
                out.Requested += a.size;
        return NtStatus::Success;
    }
    default:
        return NtStatus::NotSupported;
    }
}

NtStatus ReferenceModel::queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) const
{
    const std::size_t process = findProcess(args.hProcess);
    if (args.cbSize != sizeof(D3DKMT_QUERYPROCESSOFFERINFO) || process == kNone)
        return NtStatus::InvalidParameter;
    args.DecommittableBytes = decommittableBytes(process);
    args.DecommitUniqueness = m_processes[process].decommitUniqueness;
    return NtStatus::Success;
}

NtStatus ReferenceModel::trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args)
{
    const std::size_t process = findProcess(args.hProcess);
    if (args.cbSize != sizeof(D3DKMT_TRIMPROCESSCOMMITMENT) || process == kNone)
        return NtStatus::InvalidParameter;
    if ((args.Flags.Value
            & ~(D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy | D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed))
        != 0)
        return NtStatus::InvalidParameter;
    // OnlyRepurposed: only offers whose memory was already taken (discarded).
    args.NumBytesDecommitted = decommitUpTo(process, args.DecommitRequested, args.Flags.OnlyRepurposed());
    return NtStatus::Success;
}

// ---- looking inside
// --------------------------------------------------------------------------------------------------

sim::SegmentUsage ReferenceModel::segmentUsage(std::uint32_t segmentId) const
{
    sim::SegmentUsage u;
    if (segmentId >= m_segments.size())
        return u;
    const Segment& s = m_segments[segmentId];
    u.size = s.config.size;
    for (const Allocation& a : m_allocations) {
        if (!a.live || a.segment != segmentId)
            continue;
        if (isCommitted(a.state)) {
            u.committed += a.size;
            ++u.allocsCommitted;
        }
        if (a.resident) {
            u.resident += a.size;
            ++u.allocsResident;
        }
        switch (a.state) {
        case AllocationState::Resident:
            u.inUse += a.size;
            break;
        case AllocationState::OfferPending:
            u.offerPending += a.size;
            break;
        case AllocationState::Offered:
            if (a.resident)
                u.offeredResident += a.size;
            u.offeredByPriority[static_cast<int>(a.requested)] += a.size;
            u.offeredByLevel[static_cast<int>(a.level)] += a.size;
            break;
        case AllocationState::Evicted:
            u.evicted += a.size;
            break;
        case AllocationState::Discarded:
            u.discarded += a.size;
            break;
        case AllocationState::Decommitted:
            u.decommitted += a.size;
            break;
        case AllocationState::Destroyed:
            break;
        }
    }
    u.totalBytesEvicted = s.totalBytesEvicted;
    u.totalBytesDiscarded = s.totalBytesDiscarded;
    u.totalBytesDecommitted = s.totalBytesDecommitted;
    return u;
}

std::optional<sim::AllocationInfo> ReferenceModel::allocation(D3DKMT_HANDLE hAllocation) const
{
    const std::size_t i = findAllocation(hAllocation);
    if (i == kNone)
        return std::nullopt;
    const Allocation& a = m_allocations[i];
    sim::AllocationInfo info;
    info.handle = a.handle;
    info.resource = m_resources[a.resource].handle;
    info.device = m_devices[a.device].handle;
    info.process = static_cast<D3DKMT_HANDLE>(m_processes[a.process].handle);
    info.size = a.size;
    info.segment = a.segment;
    info.state = a.state;
    info.resident = a.resident;
    const bool offered = a.state == AllocationState::Offered || a.state == AllocationState::OfferPending
        || a.state == AllocationState::Discarded || a.state == AllocationState::Decommitted;
    info.requestedPriority = offered ? a.requested : OfferPriority::None;
    info.effectivePriority = offered ? sim::offerLevelPriority(a.level) : OfferPriority::None;
    info.allowDecommit = a.allowDecommit;
    info.residencyPriority = a.residencyPriority;
    info.residentRefs = a.residentRefs;
    info.lockCount = a.lockCount;
    info.gpuBusy = a.gpuBusy;
    info.present = m_resources[a.resource].present;
    return info;
}

bool ReferenceModel::deviceRemoved(D3DKMT_HANDLE hDevice) const
{
    const std::size_t device = findDevice(hDevice);
    return device != kNone && m_devices[device].removed;
}

std::uint64_t ReferenceModel::deviceFenceCompleted(D3DKMT_HANDLE hDevice) const
{
    const std::size_t device = findDevice(hDevice);
    return device == kNone ? 0 : m_devices[device].completedFence;
}

std::uint64_t ReferenceModel::pagingFenceCompleted(D3DKMT_HANDLE hPagingQueue) const
{
    const std::size_t queue = findPagingQueue(hPagingQueue);
    return queue == kNone ? 0 : m_pagingQueues[queue].completedFence;
}

std::string ReferenceModel::checkSelf() const
{
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (residentBytes(s) > m_segments[s].config.size)
            return "segment " + std::to_string(s) + " holds " + std::to_string(residentBytes(s))
                + " bytes, more than its " + std::to_string(m_segments[s].config.size);
    return {};
}

} // namespace offerscope::reference
