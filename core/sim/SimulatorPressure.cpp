// SPDX-License-Identifier: GPL-3.0-or-later
// Memory pressure: who gives memory back, in which order, and why (domain reference, section 4).
#include "core/Units.h"
#include "core/d3dkmt/CallFormatter.h"
#include "core/sim/SimulatorInternals.h"

namespace offerscope::sim {
namespace {

/// D3DKMT_QUERYSTATISTICS_ALLOCATION_PRIORITY_CLASS of a residency priority (MINIMUM..MAXIMUM).
int priorityClass(UINT priority)
{
    if (priority < ResidencyPriority::kLow)
        return 0;
    if (priority < ResidencyPriority::kNormal)
        return 1;
    if (priority < ResidencyPriority::kHigh)
        return 2;
    if (priority < ResidencyPriority::kMaximum)
        return 3;
    return 4;
}

} // namespace

std::uint64_t Simulator::freeableBytes(std::uint32_t segment) const
{
    const SegmentState& s = m_segments[segment];
    const int group = static_cast<int>(s.config.group);
    std::uint64_t bytes = s.config.size - s.resident;
    if (!m_verifier.neverDiscardOffer)
        bytes += s.offeredResident;
    const bool offersLeaveUsage = m_policy.offeredCountsInUsage && !m_verifier.neverDiscardOffer;
    for (const ProcessRecord& p : m_processes) {
        // Eviction stops at a process' reservation; this is the least it can give. Its offers in memory are
        // taken first (counted above) and leave its usage: what is above the reservation is counted without
        // them, or they would count twice and a call could pass this check and then not fit (found by the
        // differential tests: the segment ended up holding more than its size).
        const std::uint64_t used = usage(p, group) - (offersLeaveUsage ? p.offeredResident[group] : 0);
        const std::uint64_t above = used > p.reservation[group] ? used - p.reservation[group] : 0;
        bytes += std::min(p.segments[segment].lruBytes, above);
    }
    return bytes;
}

std::uint32_t Simulator::pickOfferVictim(std::uint32_t segment, std::uint32_t onlyProcess, bool inMemoryOnly) const
{
    for (int level = 0; level < kOfferLevelCount; ++level) {
        std::uint32_t best = kNil;
        auto consider = [&](const ProcessRecord& p) {
            for (const OfferQueue& queue : p.segments[segment].offers[level]) {
                std::uint32_t front = queue.front();
                if (inMemoryOnly && front != kNil && !m_allocations[front].resident)
                    front = queue.frontInMemory(m_allocations);
                if (front != kNil
                    && (best == kNil
                        || OfferQueue::before(m_policy.withinPriorityOrder, m_allocations[front], m_allocations[best])))
                    best = front;
            }
        };
        if (onlyProcess != kNil)
            consider(m_processes[onlyProcess]);
        else
            for (const ProcessRecord& p : m_processes)
                consider(p);
        if (best != kNil)
            return best;
    }
    return kNil;
}

std::uint32_t Simulator::pickEvictionVictim(
    std::uint32_t segment, std::uint32_t onlyProcess, bool respectReservation) const
{
    const int group = static_cast<int>(m_segments[segment].config.group);
    std::uint32_t best = kNil;
    for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
        if (onlyProcess != kNil && p != onlyProcess)
            continue;
        const ProcessRecord& proc = m_processes[p];
        if (respectReservation && usage(proc, group) <= proc.reservation[group])
            continue;
        const ProcessSegment& ps = proc.segments[segment];
        for (std::uint16_t bucket : ps.lruOrder) {
            const AllocationList& list = ps.lru[bucket].second;
            if (list.empty())
                continue;
            const AllocationRecord& candidate = m_allocations[list.head];
            if (best == kNil || candidate.residencyPriority < m_allocations[best].residencyPriority
                || (candidate.residencyPriority == m_allocations[best].residencyPriority
                    && candidate.orderSeq < m_allocations[best].orderSeq))
                best = list.head;
            break;
        }
    }
    return best;
}

std::uint32_t Simulator::pickDecommitVictim(std::uint32_t onlyProcess, bool onlyDiscarded) const
{
    // Already-discarded AllowDecommit allocations first (earliest discarded first): their content is gone anyway.
    std::uint32_t best = kNil;
    for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
        if (onlyProcess != kNil && p != onlyProcess)
            continue;
        for (const ProcessSegment& ps : m_processes[p].segments) {
            const std::uint32_t head = ps.discardedDecommittable.head;
            if (head != kNil && (best == kNil || m_allocations[head].orderSeq < m_allocations[best].orderSeq))
                best = head;
        }
    }
    if (best != kNil || onlyDiscarded || m_verifier.neverDiscardOffer)
        return best;
    for (int level = 0; level < kOfferLevelCount; ++level) {
        for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
            if (onlyProcess != kNil && p != onlyProcess)
                continue;
            for (const ProcessSegment& ps : m_processes[p].segments) {
                const std::uint32_t front = ps.offers[level][1].front();
                if (front != kNil
                    && (best == kNil
                        || OfferQueue::before(m_policy.withinPriorityOrder, m_allocations[front], m_allocations[best])))
                    best = front;
            }
        }
        if (best != kNil)
            return best;
    }
    return kNil;
}

void Simulator::makeRoom(
    std::uint32_t segment, std::uint64_t need, PressureSource source, std::uint32_t forProcess, std::uint64_t causeSeq)
{
    SegmentState& s = m_segments[segment];
    if (s.config.size - s.resident >= need && !(m_verifier.alwaysProcessOfferList && s.offeredResident > 0 && need > 0))
        return;
    std::uint64_t pressureSeq = causeSeq;
    if (logging()) {
        Event e;
        e.kind = EventKind::Pressure;
        e.cause = CauseKind::Pressure;
        e.pressure = source;
        e.causeSeq = causeSeq;
        e.process = forProcess != kNil ? m_processes[forProcess].handle : 0;
        e.segment = static_cast<std::int32_t>(segment);
        e.bytes = need;
        e.explanation = (forProcess != kNil ? processLabel(forProcess) : std::string("The system")) + " needs "
            + formatBytes(need) + " in segment " + segmentLabel(segment) + " ("
            + std::string(pressureSourceName(source)) + ") but only " + formatBytes(s.config.size - s.resident)
            + " is free: VidMm takes memory from offered allocations, LOW first, then NORMAL, then HIGH, and only "
              "then evicts allocations in use.";
        pressureSeq = record(std::move(e));
    } else {
        pressureSeq = m_log.skip();
    }
    if (m_verifier.alwaysProcessOfferList && !m_verifier.neverDiscardOffer)
        for (std::uint32_t v = pickOfferVictim(segment, kNil); v != kNil; v = pickOfferVictim(segment, kNil))
            discardOffered(v, CauseKind::Verifier, source, pressureSeq);
    while (s.config.size - s.resident < need) {
        // Only offers in memory: discarding one made while evicted would free nothing here and lose its content.
        std::uint32_t victim = m_verifier.neverDiscardOffer ? kNil : pickOfferVictim(segment, kNil, true);
        if (victim != kNil) {
            discardOffered(victim, CauseKind::Pressure, source, pressureSeq);
            continue;
        }
        victim = pickEvictionVictim(segment, kNil, true);
        if (victim == kNil)
            break; // callers check feasibility first, so this does not happen
        evictAllocation(victim, CauseKind::Pressure, source, pressureSeq);
    }
}

void Simulator::discardOwnOffersForBudget(std::uint32_t process, int group, std::uint64_t extra, PressureSource source)
{
    if (!m_policy.offeredCountsInUsage || m_verifier.neverDiscardOffer)
        return; // discarding offers would not lower the usage that counts
    ProcessRecord& p = m_processes[process];
    const std::uint64_t budget = effectiveBudget(p, group);
    if (usage(p, group) + extra <= budget || p.offeredResident[group] == 0)
        return;
    std::uint64_t pressureSeq = 0;
    if (logging()) {
        Event e;
        e.kind = EventKind::Pressure;
        e.cause = CauseKind::Pressure;
        e.pressure = source;
        e.process = p.handle;
        e.bytes = usage(p, group) + extra - budget;
        e.explanation = processLabel(process) + " would go " + formatBytes(e.bytes) + " over its "
            + std::string(segmentGroupName(static_cast<MemorySegmentGroup>(group))) + " budget of "
            + formatBytes(budget) + ": VidMm first takes back memory the process itself offered.";
        pressureSeq = record(std::move(e));
    } else {
        pressureSeq = m_log.skip();
    }
    while (usage(p, group) + extra > budget) {
        std::uint32_t best = kNil;
        for (std::uint32_t s = 0; s < m_segments.size(); ++s) {
            if (static_cast<int>(m_segments[s].config.group) != group)
                continue;
            const std::uint32_t v = pickOfferVictim(s, process, true); // offers in memory lower the usage
            if (v != kNil
                && (best == kNil || m_allocations[v].level < m_allocations[best].level
                    || (m_allocations[v].level == m_allocations[best].level
                        && OfferQueue::before(m_policy.withinPriorityOrder, m_allocations[v], m_allocations[best]))))
                best = v;
        }
        if (best == kNil)
            break;
        discardOffered(best, CauseKind::Pressure, source, pressureSeq);
    }
}

void Simulator::enforceBudget(std::uint32_t process, int group, PressureSource source)
{
    ProcessRecord& p = m_processes[process];
    discardOwnOffersForBudget(process, group, 0, source);
    if (usage(p, group) <= effectiveBudget(p, group))
        return;
    std::uint64_t pressureSeq = 0;
    if (logging()) {
        Event e;
        e.kind = EventKind::Pressure;
        e.cause = CauseKind::Pressure;
        e.pressure = source;
        e.process = p.handle;
        e.bytes = usage(p, group) - effectiveBudget(p, group);
        e.explanation = processLabel(process) + " is still " + formatBytes(e.bytes)
            + " over its budget with no offers left to take: VidMm evicts its allocations, lowest residency "
              "priority and least recently used first.";
        pressureSeq = record(std::move(e));
    } else {
        pressureSeq = m_log.skip();
    }
    while (usage(p, group) > effectiveBudget(p, group)) {
        std::uint32_t best = kNil;
        for (std::uint32_t s = 0; s < m_segments.size(); ++s) {
            if (static_cast<int>(m_segments[s].config.group) != group)
                continue;
            const std::uint32_t v = pickEvictionVictim(s, process, false);
            if (v != kNil
                && (best == kNil || m_allocations[v].residencyPriority < m_allocations[best].residencyPriority
                    || (m_allocations[v].residencyPriority == m_allocations[best].residencyPriority
                        && m_allocations[v].orderSeq < m_allocations[best].orderSeq)))
                best = v;
        }
        if (best == kNil)
            break; // what is left is pinned (locked or in use by the GPU)
        evictAllocation(best, CauseKind::Pressure, source, pressureSeq);
    }
}

void Simulator::discardOffered(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq)
{
    AllocationRecord& a = m_allocations[index];
    if (m_verifier.alwaysDecommitOffer && a.allowDecommit) {
        decommit(index, CauseKind::Verifier, source, causeSeq);
        return;
    }
    const bool wasResident = a.resident;
    m_segments[a.segment].totalBytesDiscarded += a.size;
    setState(index, AllocationState::Discarded, false);
    // Discarded AllowDecommit allocations are decommitted earliest discarded first: their lists are in discard
    // order and pickDecommitVictim compares the lists' heads by orderSeq, so it becomes the discard's (found by
    // the differential tests: with the offer's orderSeq the choice depended on which list it was in). Only after
    // leaving the offer queue, which a size order finds by the old one (found by the operations fuzzer).
    a.orderSeq = ++m_orderSeq;
    if (logging()) {
        Event e = allocationEvent(EventKind::Discarded, cause, index);
        e.pressure = source;
        e.causeSeq = causeSeq;
        e.priority = offerLevelPriority(a.level);
        // Up to 5,000 of these in one pressure: one string, appended to, no temporaries.
        const std::string_view priority = offerPriorityName(offerLevelPriority(a.level));
        std::string& text = e.explanation;
        text.reserve(320);
        text += "Discarded ";
        appendDescription(text, index);
        text += " of ";
        text += m_processes[a.process].name;
        text += ": ";
        if (cause == CauseKind::Verifier) {
            text += "the AlwaysDiscardOffer / AlwaysProcessOfferList verifier switch discards offers without "
                    "waiting for real pressure";
        } else if (source == PressureSource::BudgetShrink || source == PressureSource::OverBudget) {
            text += "its own process had to get under its budget, and offers are the first memory VidMm takes back";
        } else {
            text += "memory was needed (";
            text += pressureSourceName(source);
            text += ") and it was next in line: VidMm takes offers LOW, then NORMAL, then HIGH, before touching "
                    "anything in use, and this one is ";
            text += priority;
        }
        if (a.requested == OfferPriority::Auto) {
            text += " (AUTO mapped to ";
            text += priority;
            text += " from its residency priority)";
        }
        text += wasResident ? ". Its memory is reused; " : ". ";
        text += "the next reclaim answers DISCARDED.";
        m_cold[index].lossSeq = record(std::move(e));
    } else {
        m_log.skip(); // no recorded event to link to
    }
}

void Simulator::decommit(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq)
{
    AllocationRecord& a = m_allocations[index];
    const AllocationState before = a.state;
    m_segments[a.segment].totalBytesDecommitted += a.size;
    a.decommitReported = false;
    setState(index, AllocationState::Decommitted, false);
    if (logging()) {
        Event e = allocationEvent(EventKind::Decommitted, cause, index);
        e.pressure = source;
        e.causeSeq = causeSeq;
        e.priority = offerLevelPriority(a.level);
        std::string why;
        if (cause == CauseKind::Verifier)
            why = "the AlwaysDecommitOffer verifier switch turns every discard of an AllowDecommit offer into a "
                  "decommit";
        else if (cause == CauseKind::Call)
            why = "the process called D3DKMTTrimProcessCommitment";
        else
            why = "the system ran short of commit (" + std::string(pressureSourceName(source))
                + ") and the offer allowed decommit";
        e.explanation = "Decommitted " + describe(index) + " of " + processLabel(a.process) + " ("
            + std::string(allocationStateName(before)) + "): " + why
            + ". Its backing store is gone: the next reclaim answers NOT_COMMITTED and it must be recreated.";
        m_cold[index].lossSeq = record(std::move(e));
    } else {
        m_log.skip(); // no recorded event to link to
    }
}

void Simulator::evictAllocation(std::uint32_t index, CauseKind cause, PressureSource source, std::uint64_t causeSeq)
{
    AllocationRecord& a = m_allocations[index];
    SegmentState& s = m_segments[a.segment];
    s.totalBytesEvicted += a.size;
    s.totalBytesEvictedByPriority[priorityClass(a.residencyPriority)] += a.size;
    ++processSegment(a).evictedInPeriod;
    a.evictWhenIdle = false;
    setState(index, AllocationState::Evicted, false);
    if (logging()) {
        Event e = allocationEvent(EventKind::Evicted, cause, index);
        e.pressure = source;
        e.causeSeq = causeSeq;
        e.call = cause == CauseKind::Call ? ApiCall::Evict : ApiCall::None;
        if (cause == CauseKind::Call)
            e.explanation = "Evicted " + describe(index) + ": its last MakeResident reference was released with "
                + "D3DKMTEvict, so VidMm pages it out; the content is kept in system memory.";
        else
            e.explanation = "Evicted " + describe(index) + " of " + processLabel(a.process) + " ("
                + std::string(pressureSourceName(source)) + "): no offered memory was left to take, so VidMm pages out "
                + "the allocation with the lowest residency priority (" + residencyPriorityName(a.residencyPriority)
                + ") used longest ago. Unlike a discard, its content is kept.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
}

std::uint64_t Simulator::decommitUpTo(
    std::uint32_t onlyProcess, std::uint64_t bytes, bool onlyDiscarded, PressureSource source)
{
    std::uint64_t done = 0;
    std::uint64_t pressureSeq = 0;
    bool announced = false;
    while (done < bytes) {
        const std::uint32_t victim = pickDecommitVictim(onlyProcess, onlyDiscarded);
        if (victim == kNil)
            break;
        if (!announced) {
            announced = true;
            if (logging() && source == PressureSource::SystemCommit) {
                Event e;
                e.kind = EventKind::Pressure;
                e.cause = CauseKind::Pressure;
                e.pressure = source;
                e.bytes = bytes;
                e.explanation = "The system needs " + formatBytes(bytes)
                    + " of commit back: VidMm decommits offers made with AllowDecommit, already-discarded ones "
                      "first, then LOW, NORMAL, HIGH.";
                pressureSeq = record(std::move(e));
            } else if (source == PressureSource::SystemCommit) {
                pressureSeq = m_log.skip();
            }
        }
        done += m_allocations[victim].size;
        decommit(victim, source == PressureSource::TrimProcessCommitment ? CauseKind::Call : CauseKind::Pressure,
            source, pressureSeq);
    }
    return done;
}

void Simulator::makeEffective(std::uint32_t index, CauseKind cause)
{
    AllocationRecord& a = m_allocations[index];
    a.orderSeq = ++m_orderSeq;
    setState(index, AllocationState::Offered, a.resident);
    if (logging() && cause == CauseKind::Fence) {
        Event e = allocationEvent(EventKind::Offered, cause, index);
        e.priority = a.requested;
        e.explanation = "The GPU work that used " + describe(index) + " retired, so its pending "
            + std::string(offerPriorityName(a.requested)) + " offer takes effect: VidMm may now take its memory.";
        record(std::move(e));
    } else if (cause == CauseKind::Fence) {
        m_log.skip();
    }
    if (m_verifier.alwaysDiscardOffer && !m_verifier.neverDiscardOffer)
        discardOffered(index, CauseKind::Verifier, PressureSource::None, 0);
}

void Simulator::removeDevice(std::uint32_t device, ApiCall call, std::string why)
{
    DeviceRecord& d = m_devices[device];
    d.removed = true;
    if (logging()) {
        Event e;
        e.kind = EventKind::DeviceRemoved;
        e.cause = CauseKind::Call;
        e.call = call;
        e.status = NtStatus::DeviceRemoved;
        e.process = m_processes[d.process].handle;
        e.device = d.handle;
        e.explanation = "Device " + formatHex(d.handle) + " of " + processLabel(d.process) + " is removed: " + why
            + ". Every later call on it returns STATUS_DEVICE_REMOVED.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
}

// ---- the operating system's side ------------------------------------------------------------------------

Status Simulator::setBudget(HANDLE hProcess, MemorySegmentGroup group, std::uint64_t budget)
{
    const std::uint32_t process = processIndex(hProcess);
    const int g = static_cast<int>(group);
    if (process == kNil) {
        return Status(NtStatus::InvalidParameter, "setBudget: hProcess " + formatHex(hProcess) + " is not a process");
    }
    if (g < 0 || g >= kSegmentGroupCount) {
        return Status(NtStatus::InvalidParameter,
            "setBudget: segment group " + std::to_string(g) + " is neither LOCAL (0) nor NON_LOCAL (1)");
    }
    ProcessRecord& p = m_processes[process];
    const std::uint64_t old = p.budget[g];
    p.budget[g] = budget;
    const std::uint64_t used = usage(p, g);
    const std::uint64_t effective = effectiveBudget(p, g);
    if (logging()) {
        Event e;
        e.kind = EventKind::BudgetChanged;
        e.cause = CauseKind::Setup;
        e.process = p.handle;
        e.bytes = budget;
        e.explanation = "The " + std::string(segmentGroupName(group)) + " budget of " + processLabel(process)
            + " goes from " + formatBytes(old) + " to " + formatBytes(budget)
            + (budget < old ? " (for example because it went to the background)." : ".");
        record(std::move(e));
        if (used > effective) {
            Event t;
            t.kind = EventKind::TrimNotification;
            t.cause = CauseKind::Pressure;
            t.pressure = PressureSource::BudgetShrink;
            t.process = p.handle;
            t.bytes = used - effective;
            t.explanation = "Trim notification to " + processLabel(process) + " (D3DKMT_TRIMNOTIFICATION, "
                + "TrimToBudget): it uses " + formatBytes(used) + ", NumBytesToTrim = " + formatBytes(used - effective)
                + ".";
            record(std::move(t));
        }
    } else {
        m_log.skip();
        if (used > effective)
            m_log.skip();
    }
    if (used > effective && m_policy.enforceBudgetOnShrink)
        enforceBudget(process, g, PressureSource::BudgetShrink);
    return NtStatus::Success;
}

Status Simulator::commitFromProcess(
    HANDLE hProcess, std::uint32_t segmentId, std::uint64_t bytes, CreatedResource* created, std::string name)
{
    const std::uint32_t process = processIndex(hProcess);
    if (process == kNil) {
        return Status(
            NtStatus::InvalidParameter, "commitFromProcess: hProcess " + formatHex(hProcess) + " is not a process");
    }
    ProcessRecord& p = m_processes[process];
    if (p.devices.empty()) {
        auto device = createDevice(p.handle);
        if (!device)
            return device.status();
    }
    CreateResourceArgs args;
    args.hDevice = m_devices[m_processes[process].devices.front()].handle;
    args.allocationSizes = { bytes };
    args.segmentId = segmentId;
    args.name = name.empty() ? m_processes[process].name + " commit" : std::move(name);
    CreatedResource out;
    // Another process' commit is the classic pressure source: its budget is its own business.
    D3DDDI_MAKERESIDENT_FLAGS flags;
    flags.Value = D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther;
    Status status = createResourceImpl(args, out, PressureSource::OtherProcessCommit, flags);
    if (created != nullptr)
        *created = out;
    return status;
}

std::uint64_t Simulator::applySystemCommitPressure(std::uint64_t bytes)
{
    return decommitUpTo(kNil, bytes, false, PressureSource::SystemCommit);
}

Status Simulator::queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args)
{
    if (args.cbSize != sizeof(D3DKMT_QUERYPROCESSOFFERINFO)) {
        return Status(NtStatus::InvalidParameter,
            "D3DKMTQueryProcessOfferInfo: cbSize is " + std::to_string(args.cbSize) + ", expected "
                + std::to_string(sizeof(D3DKMT_QUERYPROCESSOFFERINFO)));
    }
    const std::uint32_t process = processIndex(args.hProcess);
    if (process == kNil) {
        return Status(NtStatus::InvalidParameter,
            "D3DKMTQueryProcessOfferInfo: hProcess " + formatHex(args.hProcess) + " is not a process");
    }
    args.DecommittableBytes = m_processes[process].decommittable;
    args.DecommitUniqueness = m_processes[process].decommitUniqueness;
    return NtStatus::Success;
}

Status Simulator::trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args)
{
    const auto text = [&](NtStatus status) { return logging() ? formatCall(args, status) : std::string(); };
    if (args.cbSize != sizeof(D3DKMT_TRIMPROCESSCOMMITMENT))
        return fail(ApiCall::TrimProcessCommitment, NtStatus::InvalidParameter,
            "cbSize is " + std::to_string(args.cbSize) + ", expected "
                + std::to_string(sizeof(D3DKMT_TRIMPROCESSCOMMITMENT)),
            text(NtStatus::InvalidParameter));
    const std::uint32_t process = processIndex(args.hProcess);
    if (process == kNil)
        return fail(ApiCall::TrimProcessCommitment, NtStatus::InvalidParameter,
            "hProcess " + formatHex(args.hProcess) + " is not a process", text(NtStatus::InvalidParameter));
    if ((args.Flags.Value
            & ~(D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy | D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed))
        != 0)
        return fail(ApiCall::TrimProcessCommitment, NtStatus::InvalidParameter, "Flags has reserved bits set",
            text(NtStatus::InvalidParameter));
    std::uint64_t callSeq = 0;
    if (logging()) {
        Event e;
        e.kind = EventKind::Pressure;
        e.cause = CauseKind::Call;
        e.call = ApiCall::TrimProcessCommitment;
        e.pressure = PressureSource::TrimProcessCommitment;
        e.process = m_processes[process].handle;
        e.bytes = args.DecommitRequested;
        e.explanation = processLabel(process) + " asks VidMm to decommit up to " + formatBytes(args.DecommitRequested)
            + " of its AllowDecommit offers"
            + (args.Flags.OnlyRepurposed() ? " whose memory was already repurposed (discarded)." : ".");
        callSeq = record(std::move(e));
    } else {
        callSeq = m_log.skip();
    }
    args.NumBytesDecommitted = decommitUpTo(
        process, args.DecommitRequested, args.Flags.OnlyRepurposed(), PressureSource::TrimProcessCommitment);
    if (Event* e = m_log.bySeq(callSeq))
        e->callText = formatCall(args, NtStatus::Success);
    return NtStatus::Success;
}

} // namespace offerscope::sim
