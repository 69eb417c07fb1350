// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/RecordingWorld.h"

#include "core/Units.h"

#include <algorithm>

namespace offerscope::trace {

namespace {

constexpr std::size_t kCheckpointEvery = 4096;

std::string bytesOr(const std::optional<std::uint64_t>& bytes)
{
    return bytes ? formatBytes(*bytes) : std::string("size not recorded");
}

std::string groupName(std::uint64_t group)
{
    return group == 0 ? "LOCAL" : group == 1 ? "NON_LOCAL" : "group " + std::to_string(group);
}

/// The handle field an event names an allocation by, or "" for an event about no allocation.
std::string_view handleField(EventKind kind)
{
    switch (kind) {
    case EventKind::OfferStart:
    case EventKind::Offer:
    case EventKind::Reclaim:
    case EventKind::PageIn:
    case EventKind::SetPriority:
        return "hAllocationHandle";
    case EventKind::OfferStop:
    case EventKind::ReportOffer:
    case EventKind::Discard:
    case EventKind::Evict:
        return "hGlobalAllocationHandle";
    case EventKind::VidMmMakeResident:
    case EventKind::VidMmEvict:
        return "pVidMmAlloc";
    case EventKind::TerminateAllocation:
        return "hVidMmAlloc";
    case EventKind::AdapterAllocationStop:
        return "hVidMmGlobalAlloc";
    default:
        return {};
    }
}

OfferPriority priorityOf(std::uint64_t value)
{
    return value >= 1 && value <= 4 ? static_cast<OfferPriority>(value) : OfferPriority::None;
}

} // namespace

RecordingWorld::RecordingWorld(Recording recording)
    : m_recording(std::move(recording))
{
    m_info.kind = world::WorldKind::Recording;
    m_info.name = "recording"; // beside the title, which is the file's name
    m_info.sourceWords = "the recording";
    m_info.canStepBack = true;
    m_info.canAct = false;
    m_info.canSeekByTime = true;
    m_info.eventsAreRecorded = true;
    m_info.clockName = "time from the start of the recording";
    m_info.discardOrderNote = "Offered allocations as the recording shows them, oldest offer first: the order the "
                              "model would take them. The recorded discards show what VidMm took.";
    m_log.setMode(events::EventLog::Mode::Bounded, kLogEvents);
    m_refused.call = true;
    m_refused.status = Status(NtStatus::NotSupported, "a recording shows what happened; it takes no actions");
    build();
    goTo(0);
}

RecordingWorld::~RecordingWorld() = default;

std::optional<std::uint32_t> RecordingWorld::allocationOf(D3DKMT_HANDLE handle)
{
    if ((handle >> 28) != 0x4 || (handle & 0x0FFFFFFF) == 0)
        return std::nullopt;
    return (handle & 0x0FFFFFFF) - 1;
}

std::optional<std::uint32_t> RecordingWorld::allocationNamed(std::uint64_t handle) const
{
    const auto it = m_byHandle.find(handle);
    if (it == m_byHandle.end())
        return std::nullopt;
    return it->second;
}

void RecordingWorld::build()
{
    const Recording& r = m_recording;
    // Segments: as ReportSegment gives them, in the order of their ids.
    std::map<std::uint64_t, sim::SegmentConfig> segments;
    for (const RecordedEvent& e : r.events) {
        if (r.spec(e).kind != EventKind::ReportSegment)
            continue;
        const std::uint64_t id = r.value(e, "ulSegmentId");
        if (segments.count(id) != 0)
            continue;
        sim::SegmentConfig s;
        const bool hasGroup = fieldIndex(r.spec(e), "MemorySegmentGroup") >= 0;
        const std::uint64_t group = r.value(e, "MemorySegmentGroup");
        s.size = r.value(e, "Size");
        s.group = group == 1 ? MemorySegmentGroup::NonLocal : MemorySegmentGroup::Local;
        s.name = "segment " + std::to_string(id) + (hasGroup ? " (" + groupName(group) + ")" : " (group not recorded)");
        segments.emplace(id, s);
    }
    // Segments the allocations name that no ReportSegment described: their size is not known.
    for (const RecordedEvent& e : r.events) {
        const EventKind k = r.spec(e).kind;
        std::uint64_t id = 0;
        if (k == EventKind::AdapterAllocationStart || k == EventKind::AdapterAllocationRundown)
            id = r.value(e, "PreferredSegment");
        else if (k == EventKind::ReportCommittedAllocation)
            id = r.value(e, "ulSegmentId");
        if (id != 0 && segments.count(id) == 0) {
            sim::SegmentConfig s;
            s.name = "segment " + std::to_string(id) + " (size not recorded)";
            segments.emplace(id, s);
        }
    }
    m_adapter.name = "recorded adapter";
    for (const auto& [id, s] : segments) {
        m_segmentIds.push_back(static_cast<std::uint32_t>(id));
        m_adapter.segments.push_back(s);
    }
    if (m_adapter.segments.empty()) {
        m_adapter.segments.push_back({ "no segment recorded", 0, MemorySegmentGroup::Local, false });
        m_segmentIds.push_back(0);
    }
    const auto segmentIndex = [&](std::uint64_t id) -> std::optional<std::uint32_t> {
        for (std::size_t i = 0; i < m_segmentIds.size(); ++i)
            if (m_segmentIds[i] == id && id != 0)
                return static_cast<std::uint32_t>(i);
        return std::nullopt;
    };

    // Processes: every process id an event carries or names.
    std::vector<std::uint32_t> pids;
    for (const RecordedEvent& e : r.events) {
        pids.push_back(e.processId);
        const EventKind k = r.spec(e).kind;
        if (k == EventKind::ProcessStart || k == EventKind::ProcessRundown || k == EventKind::BudgetChange
            || k == EventKind::UsageChange || k == EventKind::CommitmentChange)
            pids.push_back(static_cast<std::uint32_t>(r.value(e, "ProcessId")));
    }
    std::sort(pids.begin(), pids.end());
    pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
    m_pids = pids;
    const auto knownPid = [&](std::uint64_t v) -> std::optional<std::uint32_t> {
        if (v > 0xFFFFFFFF || !std::binary_search(m_pids.begin(), m_pids.end(), static_cast<std::uint32_t>(v)))
            return std::nullopt; // a handle or pointer, not a process id this recording knows
        return static_cast<std::uint32_t>(v);
    };

    // Allocations and the handles that name them, in time order: a handle used again after its
    // allocation went names the allocation described latest.
    std::unordered_map<std::uint64_t, std::string> fieldOf;
    const auto alias = [&](std::uint64_t handle, std::uint32_t allocation, const char* field) {
        if (handle == 0)
            return;
        m_byHandle[handle] = allocation;
        fieldOf[handle] = field;
    };
    m_allocationOf.assign(r.events.size(), -1);
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const RecordedEvent& e = r.events[i];
        const EventKind k = r.spec(e).kind;
        if (k == EventKind::AdapterAllocationStart || k == EventKind::AdapterAllocationRundown) {
            const std::uint64_t global = r.value(e, "hVidMmGlobalAlloc");
            Allocation a;
            a.key = global != 0 ? global : r.value(e, "hDxgGlobalAlloc");
            a.size = r.value(e, "allocSize");
            a.segment = segmentIndex(r.value(e, "PreferredSegment"));
            a.process = knownPid(r.value(e, "hProcessId"));
            a.described = true;
            const auto index = static_cast<std::uint32_t>(m_allocations.size());
            m_allocations.push_back(a);
            alias(global, index, "hVidMmGlobalAlloc");
            alias(r.value(e, "hDxgGlobalAlloc"), index, "hDxgGlobalAlloc");
            m_allocationOf[i] = index;
            ++m_ties.described;
            continue;
        }
        if (k == EventKind::DeviceAllocationStart || k == EventKind::DeviceAllocationRundown
            || k == EventKind::ReportCommittedAllocation) {
            const bool device = k != EventKind::ReportCommittedAllocation;
            const std::uint64_t key = device ? r.value(e, "hVidMmGlobalAlloc") : r.value(e, "hAllocationHandle");
            std::optional<std::uint32_t> index = allocationNamed(key);
            if (!index) {
                Allocation a;
                a.key = key;
                a.process = knownPid(r.value(e, "hProcessId"));
                a.described = true;
                if (!device) {
                    a.size = r.value(e, "Size");
                    a.segment = segmentIndex(r.value(e, "ulSegmentId"));
                }
                index = static_cast<std::uint32_t>(m_allocations.size());
                m_allocations.push_back(a);
                alias(key, *index, device ? "hVidMmGlobalAlloc" : "hAllocationHandle");
                ++m_ties.described;
            }
            if (device) {
                alias(r.value(e, "hVidMmAlloc"), *index, "hVidMmAlloc");
                alias(r.value(e, "hThunkAllocation"), *index, "hThunkAllocation");
            }
            m_allocationOf[i] = *index;
            continue;
        }
        const std::string_view field = handleField(k);
        if (field.empty())
            continue;
        const std::uint64_t handle = r.value(e, field);
        if (const auto it = m_byHandle.find(handle); it != m_byHandle.end() && m_allocations[it->second].described) {
            ++m_ties.tied[k];
            ++m_ties.matchedBy[std::string(field) + " = " + fieldOf[handle]];
            m_allocationOf[i] = it->second;
            continue;
        }
        ++m_ties.untied[k];
        std::optional<std::uint32_t> index = allocationNamed(handle);
        if (!index) {
            // An allocation the recording never described: known by this handle only.
            Allocation a;
            a.key = handle;
            index = static_cast<std::uint32_t>(m_allocations.size());
            m_allocations.push_back(a);
            m_byHandle[handle] = *index;
            fieldOf[handle] = "itself (not described)";
            ++m_ties.undescribed;
        }
        m_allocationOf[i] = *index;
    }

    // A reclaim that found the content gone is tied to the recorded discard of that allocation (the
    // DiscardAllocation, else the report of the DISCARDED state) since its last offer: the reclaim
    // results link to it.
    std::unordered_map<std::uint32_t, std::size_t> discardOf;
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const std::int64_t a = m_allocationOf[i];
        if (a < 0)
            continue;
        const auto alloc = static_cast<std::uint32_t>(a);
        const RecordedEvent& e = r.events[i];
        switch (r.spec(e).kind) {
        case EventKind::OfferStart:
            discardOf.erase(alloc);
            break;
        case EventKind::Discard:
            discardOf[alloc] = i;
            break;
        case EventKind::ReportOffer:
            if (r.value(e, "State") == 3 && discardOf.count(alloc) == 0)
                discardOf[alloc] = i;
            break;
        case EventKind::Reclaim:
            if (const auto it = discardOf.find(alloc); it != discardOf.end() && r.value(e, "State") == 3)
                m_discardBehind[i] = it->second;
            discardOf.erase(alloc);
            break;
        default:
            break;
        }
    }

    // Steps: one per event, or groups of events when there are too many.
    const std::size_t n = r.events.size();
    const std::size_t per = n <= kMaxSteps ? 1 : (n + kMaxSteps - 1) / kMaxSteps;
    for (std::size_t first = 0; first < n; first += per)
        m_steps.push_back({ first, std::min(n, first + per) });
    const std::size_t slash = r.name.find_last_of("/\\");
    m_scenario.title = slash == std::string::npos ? r.name : r.name.substr(slash + 1);
    m_scenario.fileName = r.name;
    m_scenario.adapter = m_adapter;
    m_scenario.steps.reserve(m_steps.size());
    for (std::size_t i = 0; i < m_steps.size(); ++i) {
        scenario::Step s;
        s.kind = scenario::StepKind::Say;
        s.index = i;
        const RecordedEvent& e = r.events[m_steps[i].first];
        s.text = m_steps[i].last - m_steps[i].first == 1
            ? std::string(r.spec(e).name)
            : std::string(r.spec(e).name) + " and " + std::to_string(m_steps[i].last - m_steps[i].first - 1) + " more";
        m_scenario.steps.push_back(std::move(s));
    }

    // The state at every position: the points of the timeline, and checkpoints to travel back.
    State s;
    s.allocations.resize(m_allocations.size());
    s.segments.resize(m_adapter.segments.size());
    for (std::size_t i = 0; i < s.segments.size(); ++i)
        s.segments[i].size = m_adapter.segments[i].size;
    // At most about 24 copies of the state: going back costs at most that share of the steps.
    m_checkpointEvery = std::max(kCheckpointEvery, m_steps.size() / 24 + 1);
    m_allPoints.reserve(m_steps.size() + 1);
    m_allPoints.push_back(pointOf(s, 0));
    m_checkpoints.push_back(s);
    for (std::size_t p = 0; p < m_steps.size(); ++p) {
        for (std::size_t i = m_steps[p].first; i < m_steps[p].last; ++i)
            applyEvent(s, i);
        m_allPoints.push_back(pointOf(s, p + 1));
        if ((p + 1) % m_checkpointEvery == 0)
            m_checkpoints.push_back(s);
    }
}

void RecordingWorld::applyEvent(State& s, std::size_t index) const
{
    const Recording& r = m_recording;
    const RecordedEvent& e = r.events[index];
    const EventSpec& spec = r.spec(e);
    const std::int64_t a = m_allocationOf[index];
    AllocationNow* now = a >= 0 ? &s.allocations[static_cast<std::size_t>(a)] : nullptr;
    // The allocation's bytes leave its segment's sums as they were and come back as they are after.
    struct Recount {
        const RecordingWorld& world;
        State& state;
        std::int64_t allocation;
        Recount(const RecordingWorld& w, State& st, std::int64_t al)
            : world(w)
            , state(st)
            , allocation(al)
        {
            if (allocation >= 0)
                world.count(state, static_cast<std::uint32_t>(allocation), false);
        }
        ~Recount()
        {
            if (allocation >= 0)
                world.count(state, static_cast<std::uint32_t>(allocation), true);
        }
    } recount(*this, s, a);
    const auto set = [&](sim::AllocationState state) {
        if (now != nullptr)
            now->state = state;
    };
    switch (spec.kind) {
    case EventKind::AdapterAllocationStart:
    case EventKind::AdapterAllocationRundown:
    case EventKind::DeviceAllocationStart:
    case EventKind::DeviceAllocationRundown:
    case EventKind::ReportCommittedAllocation:
        if (now != nullptr && now->state == sim::AllocationState::Destroyed)
            now->state = sim::AllocationState::Resident;
        break;
    case EventKind::AdapterAllocationStop:
    case EventKind::TerminateAllocation:
        set(sim::AllocationState::Destroyed);
        break;
    case EventKind::OfferStart:
        if (now != nullptr) {
            now->state = sim::AllocationState::Offered;
            now->priority = priorityOf(r.value(e, "Priority"));
            now->offerTime = e.timeUs;
            now->offerOrder = ++s.offers;
        }
        break;
    case EventKind::ReportOffer:
        if (now != nullptr) {
            const std::uint64_t state = r.value(e, "State");
            if (priorityOf(r.value(e, "Priority")) != OfferPriority::None)
                now->priority = priorityOf(r.value(e, "Priority"));
            if (state == 0)
                now->state = sim::AllocationState::Resident;
            else if (state == 1)
                now->state = sim::AllocationState::OfferPending;
            else if (state == 2 && now->state != sim::AllocationState::Offered) {
                now->state = sim::AllocationState::Offered;
                now->offerTime = e.timeUs;
                now->offerOrder = ++s.offers;
            } else if (state == 3)
                now->state = sim::AllocationState::Discarded;
        }
        break;
    case EventKind::Discard:
        set(sim::AllocationState::Discarded);
        break;
    case EventKind::Reclaim:
        // Content found: the allocation is the application's again, in memory. Content gone: it is
        // committed again but holds nothing until it is paged in (a later page-in event says so).
        set(r.value(e, "State") == 3 ? sim::AllocationState::Evicted : sim::AllocationState::Resident);
        if (now != nullptr)
            now->priority = OfferPriority::None;
        break;
    case EventKind::Evict:
    case EventKind::VidMmEvict:
        if (now != nullptr && now->state == sim::AllocationState::Resident)
            now->state = sim::AllocationState::Evicted;
        break;
    case EventKind::PageIn:
    case EventKind::VidMmMakeResident:
        if (now != nullptr
            && (now->state == sim::AllocationState::Evicted || now->state == sim::AllocationState::Destroyed))
            now->state = sim::AllocationState::Resident;
        break;
    case EventKind::BudgetChange:
    case EventKind::UsageChange:
    case EventKind::CommitmentChange: {
        const auto pid = static_cast<std::uint32_t>(r.value(e, "ProcessId"));
        const std::uint64_t group = r.value(e, "MemorySegmentGroup");
        if (group > 1)
            break;
        ProcessNow& p = s.processes[pid];
        if (spec.kind == EventKind::BudgetChange)
            p.budget[group] = r.value(e, "NewBudget");
        else if (spec.kind == EventKind::UsageChange)
            p.usage[group] = r.value(e, "NewUsage");
        else
            p.commitment[group] = r.value(e, "Commitment");
        break;
    }
    default:
        break;
    }
}

void RecordingWorld::count(State& s, std::uint32_t allocation, bool add) const
{
    const Allocation& a = m_allocations[allocation];
    if (!a.size || !a.segment)
        return; // what the recording did not say is not drawn
    const AllocationNow& now = s.allocations[allocation];
    world::SegmentSample& seg = s.segments[*a.segment];
    std::uint64_t* bucket = nullptr;
    switch (now.state) {
    case sim::AllocationState::Resident:
        bucket = &seg.inUse;
        break;
    case sim::AllocationState::Offered:
        bucket
            = &seg.offered[static_cast<int>(now.priority == OfferPriority::None ? OfferPriority::Low : now.priority)];
        break;
    case sim::AllocationState::OfferPending:
        bucket = &seg.offerPending;
        break;
    case sim::AllocationState::Evicted:
        bucket = &seg.evicted;
        break;
    case sim::AllocationState::Discarded:
        bucket = &seg.discarded;
        break;
    default:
        return;
    }
    *bucket = add ? *bucket + *a.size : *bucket - std::min(*bucket, *a.size);
}

world::TimelinePoint RecordingWorld::pointOf(const State& s, std::size_t position) const
{
    world::TimelinePoint p;
    p.position = position;
    if (position > 0) {
        const std::size_t last = m_steps[position - 1].last - 1;
        p.time = m_recording.events[last].timeUs;
        p.lastSeq = last + 1;
        for (std::size_t i = m_steps[position - 1].first; i < m_steps[position - 1].last; ++i)
            if (m_recording.spec(m_recording.events[i]).kind == EventKind::BudgetChange) {
                const RecordedEvent& e = m_recording.events[i];
                p.markers.push_back({ world::TimelineMarker::Kind::Budget, i + 1,
                    "budget " + formatBytes(m_recording.value(e, "NewBudget")) });
            }
    }
    p.segments = s.segments;
    for (world::SegmentSample& seg : p.segments) {
        std::uint64_t used = seg.inUse + seg.offerPending;
        for (std::uint64_t o : seg.offered)
            used += o;
        seg.free = seg.size > used ? seg.size - used : 0;
    }
    return p;
}

events::Event RecordingWorld::eventOf(std::size_t index) const
{
    const Recording& r = m_recording;
    const RecordedEvent& e = r.events[index];
    const EventSpec& spec = r.spec(e);
    events::Event out;
    out.seq = index + 1;
    out.time = e.timeUs;
    out.process = e.processId;
    out.cause = events::CauseKind::Call;
    out.kind = events::EventKind::Queried;
    const std::int64_t a = m_allocationOf[index];
    const Allocation* alloc = a >= 0 ? &m_allocations[static_cast<std::size_t>(a)] : nullptr;
    std::string who = "process " + std::to_string(e.processId);
    std::string what;
    if (alloc != nullptr) {
        out.allocations = { handleOf(static_cast<std::uint32_t>(a)) };
        out.bytes = alloc->size.value_or(0);
        out.segment = alloc->segment ? static_cast<std::int32_t>(*alloc->segment) : -1;
        what = formatHex(alloc->key) + " (" + bytesOr(alloc->size)
            + (alloc->described ? "" : ", an allocation the recording never described") + ")";
    }
    const auto priority = [&](const char* field) { return priorityOf(r.value(e, field)); };
    switch (spec.kind) {
    case EventKind::OfferStart:
        out.kind = events::EventKind::Offered;
        out.priority = priority("Priority");
        out.explanation = who + " offers " + what + " at " + std::string(offerPriorityText(r.value(e, "Priority")))
            + ": VidMm may take its memory when it needs some.";
        break;
    case EventKind::Offer:
        out.explanation = "The offer of " + what + " is being processed.";
        break;
    case EventKind::OfferStop:
        out.explanation = "The offer of " + what + " is done.";
        break;
    case EventKind::ReportOffer: {
        const std::uint64_t state = r.value(e, "State");
        out.kind = state == 3 ? events::EventKind::Discarded
            : state == 1      ? events::EventKind::OfferPending
            : state == 2      ? events::EventKind::Offered
                              : events::EventKind::Reclaimed;
        out.priority = priority("Priority");
        out.explanation = "VidMm reports " + what + " as " + std::string(offerStateText(state)) + ".";
        break;
    }
    case EventKind::Reclaim: {
        out.kind = events::EventKind::Reclaimed;
        out.priority = priority("Priority");
        const bool discarded = r.value(e, "State") == 3;
        out.result = discarded ? ReclaimResult::Discarded : ReclaimResult::Ok;
        if (const auto it = m_discardBehind.find(index); it != m_discardBehind.end())
            out.causeSeq = it->second + 1; // the recorded discard that took the content
        out.explanation = who + " reclaims " + what + ": "
            + (discarded ? "its content was discarded while offered (DISCARDED); the application must regenerate it."
                         : "its content was still there (OK).");
        break;
    }
    case EventKind::Discard:
        out.kind = events::EventKind::Discarded;
        out.cause = events::CauseKind::Pressure;
        out.explanation
            = "VidMm discards " + what + ": it takes the memory of the offered allocation, whose content is lost.";
        break;
    case EventKind::Evict:
    case EventKind::VidMmEvict:
        out.kind = events::EventKind::Evicted;
        out.cause = events::CauseKind::Pressure;
        out.explanation = "VidMm evicts " + (what.empty() ? std::string("an allocation") : what) + " from its segment.";
        break;
    case EventKind::PageIn:
    case EventKind::VidMmMakeResident:
        out.kind = events::EventKind::MadeResident;
        out.explanation = "VidMm makes " + (what.empty() ? std::string("an allocation") : what) + " resident.";
        break;
    case EventKind::MakeResidentStart:
        out.kind = events::EventKind::MadeResident;
        out.explanation
            = who + " asks for " + std::to_string(r.value(e, "NumAllocations")) + " allocation(s) to be resident.";
        break;
    case EventKind::MakeResidentStop:
        out.kind = events::EventKind::MadeResident;
        out.status = static_cast<NtStatus>(static_cast<std::uint32_t>(r.value(e, "Status")));
        out.explanation = "MakeResident returns " + std::string(ntStatusName(out.status)) + ".";
        break;
    case EventKind::SetPriority:
        out.kind = events::EventKind::SettingChanged;
        out.explanation
            = who + " sets the residency priority of " + what + " to " + formatHex(r.value(e, "Priority")) + ".";
        break;
    case EventKind::BudgetChange:
    case EventKind::UsageChange:
    case EventKind::CommitmentChange: {
        const bool budget = spec.kind == EventKind::BudgetChange;
        out.kind = budget ? events::EventKind::BudgetChanged : events::EventKind::Queried;
        out.process = static_cast<std::uint32_t>(r.value(e, "ProcessId"));
        const char* label = budget ? "budget" : spec.kind == EventKind::UsageChange ? "usage" : "commitment";
        const std::uint64_t was = r.value(e,
            budget                                    ? "OldBudget"
                : spec.kind == EventKind::UsageChange ? "OldUsage"
                                                      : "OldCommitment");
        const std::uint64_t is = r.value(e,
            budget                                    ? "NewBudget"
                : spec.kind == EventKind::UsageChange ? "NewUsage"
                                                      : "Commitment");
        out.bytes = is;
        out.explanation = "The " + groupName(r.value(e, "MemorySegmentGroup")) + " " + label + " of process "
            + std::to_string(out.process) + " goes from " + formatBytes(was) + " to " + formatBytes(is) + ".";
        break;
    }
    case EventKind::TrimNotification:
        out.kind = events::EventKind::TrimNotification;
        out.explanation = "VidMm asks process " + std::to_string(r.value(e, "ProcessId")) + " to trim "
            + formatBytes(r.value(e, "NumBytesToTrim")) + ".";
        break;
    case EventKind::ReportSegment:
        out.explanation = "The adapter has segment " + std::to_string(r.value(e, "ulSegmentId")) + ": "
            + formatBytes(r.value(e, "Size")) + ".";
        break;
    case EventKind::TotalBytesResident:
        out.explanation = formatBytes(r.value(e, "TotalBytesResident")) + " are resident in segment "
            + std::to_string(r.value(e, "SegmentId")) + ".";
        break;
    case EventKind::AdapterAllocationStart:
    case EventKind::DeviceAllocationStart:
    case EventKind::ReportCommittedAllocation:
        out.kind = events::EventKind::ResourceCreated;
        out.explanation = (alloc != nullptr && alloc->process ? "process " + std::to_string(*alloc->process)
                                                              : std::string("a process"))
            + " creates " + what + ".";
        break;
    case EventKind::AdapterAllocationRundown:
    case EventKind::DeviceAllocationRundown:
        out.kind = events::EventKind::ResourceCreated;
        out.cause = events::CauseKind::Setup;
        out.explanation = what + " existed when the recording started.";
        break;
    case EventKind::AdapterAllocationStop:
    case EventKind::DeviceAllocationStop:
    case EventKind::TerminateAllocation:
        out.kind = events::EventKind::ResourceDestroyed;
        out.explanation = (what.empty() ? std::string("An allocation") : what) + " is destroyed.";
        break;
    case EventKind::ProcessStart:
        out.kind = events::EventKind::ProcessCreated;
        out.explanation = "Process " + std::to_string(r.value(e, "ProcessId")) + " starts using the GPU.";
        break;
    case EventKind::ProcessRundown:
        out.kind = events::EventKind::ProcessCreated;
        out.cause = events::CauseKind::Setup;
        out.explanation
            = "Process " + std::to_string(r.value(e, "ProcessId")) + " was using the GPU when the recording started.";
        break;
    case EventKind::PerformanceWarning: {
        out.kind = events::EventKind::CallFailed;
        const std::string_view w = performanceWarningText(r.value(e, "Event"));
        out.explanation
            = "VidMm warns: " + (w.empty() ? "event " + std::to_string(r.value(e, "Event")) : std::string(w)) + ".";
        break;
    }
    }
    return out;
}

std::uint64_t RecordingWorld::now() const
{
    return m_position == 0 ? 0 : m_allPoints[m_position].time;
}

void RecordingWorld::syncLog(std::uint64_t lastSeq)
{
    if (lastSeq < m_log.lastSeq()) {
        m_log.rewind(lastSeq, std::min<std::uint64_t>(m_log.dropped(), lastSeq));
        if (m_log.size() != 0 || lastSeq == 0)
            return;
        // Back past everything the log kept: start it again below.
    } else if (lastSeq - m_log.lastSeq() <= kLogEvents) {
        for (std::uint64_t i = m_log.lastSeq(); i < lastSeq; ++i)
            m_log.append(eventOf(i));
        return;
    }
    const std::uint64_t start = lastSeq > kLogEvents ? lastSeq - kLogEvents : 0;
    m_log.clear();
    m_log.rewind(start, start); // the events before are counted, not kept
    for (std::uint64_t i = start; i < lastSeq; ++i)
        m_log.append(eventOf(i));
}

void RecordingWorld::goTo(std::size_t position)
{
    position = std::min(position, m_steps.size());
    if (position < m_position || m_timeline.empty()) {
        // Back (or the first time): from the nearest checkpoint at or before it.
        const std::size_t c = std::min(position / m_checkpointEvery, m_checkpoints.size() - 1);
        m_state = m_checkpoints[c];
        for (std::size_t p = c * m_checkpointEvery; p < position; ++p)
            for (std::size_t i = m_steps[p].first; i < m_steps[p].last; ++i)
                applyEvent(m_state, i);
        if (!m_timeline.empty())
            ++m_timelineEpoch;
        m_timeline.assign(m_allPoints.begin(), m_allPoints.begin() + static_cast<std::ptrdiff_t>(position) + 1);
    } else {
        for (std::size_t p = m_position; p < position; ++p) {
            for (std::size_t i = m_steps[p].first; i < m_steps[p].last; ++i)
                applyEvent(m_state, i);
            m_timeline.push_back(m_allPoints[p + 1]);
        }
    }
    syncLog(position == 0 ? 0 : m_steps[position - 1].last);
    m_position = position;
    ++m_revision;
}

void RecordingWorld::reload(scenario::Scenario)
{
    goTo(0);
}

bool RecordingWorld::stepForward()
{
    if (m_position >= m_steps.size())
        return false;
    goTo(m_position + 1);
    return true;
}

bool RecordingWorld::stepBack()
{
    if (m_position == 0)
        return false;
    goTo(m_position - 1);
    return true;
}

void RecordingWorld::seek(std::size_t position)
{
    goTo(position);
}

const scenario::StepOutcome& RecordingWorld::apply(scenario::Step)
{
    return m_refused;
}

std::size_t RecordingWorld::positionAt(std::uint64_t us) const
{
    const auto it = std::lower_bound(m_steps.begin(), m_steps.end(), us,
        [this](const Step& s, std::uint64_t t) { return m_recording.events[s.first].timeUs < t; });
    return static_cast<std::size_t>(it - m_steps.begin());
}

std::pair<std::size_t, std::size_t> RecordingWorld::eventsOfStep(std::size_t step) const
{
    return step < m_steps.size() ? std::pair { m_steps[step].first, m_steps[step].last }
                                 : std::pair<std::size_t, std::size_t> { 0, 0 };
}

std::string RecordingWorld::callTextFor(std::uint64_t seq) const
{
    if (seq == 0 || seq > m_recording.events.size())
        return {};
    const RecordedEvent& e = m_recording.events[seq - 1];
    const EventSpec& spec = m_recording.spec(e);
    std::string text = "Recorded by Microsoft-Windows-DxgKrnl: event " + std::to_string(spec.id) + " version "
        + std::to_string(spec.version) + ", " + std::string(spec.name) + "\n  process " + std::to_string(e.processId)
        + ", thread " + std::to_string(e.threadId) + ", at " + std::to_string(e.timeUs) + " us\n";
    for (std::size_t f = 0; f < spec.fields.size(); ++f) {
        const std::uint64_t v = m_recording.value(e, f);
        text += "  " + std::string(spec.fields[f].name) + " = "
            + (spec.fields[f].type == FieldType::Pointer ? formatHex(v) : std::to_string(v)) + "\n";
    }
    text += "A recording holds what the kernel logged, not the D3DKMT call that led to it.";
    return text;
}

long RecordingWorld::stepOfEvent(std::uint64_t seq) const
{
    if (seq == 0 || seq > m_recording.events.size())
        return -1;
    const auto it = std::upper_bound(
        m_steps.begin(), m_steps.end(), seq - 1, [](std::size_t index, const Step& s) { return index < s.first; });
    return static_cast<long>(it - m_steps.begin()) - 1;
}

std::uint64_t RecordingWorld::lastCallEvent() const
{
    return m_position == 0 ? 0 : m_steps[m_position - 1].first + 1;
}

void RecordingWorld::allocationSummaries(std::vector<sim::AllocationSummary>& out) const
{
    out.clear();
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const AllocationNow& now = m_state.allocations[i];
        if (now.state == sim::AllocationState::Destroyed)
            continue;
        const Allocation& a = m_allocations[i];
        sim::AllocationSummary s;
        s.handle = handleOf(static_cast<std::uint32_t>(i));
        s.resource = s.handle;
        s.process = a.process.value_or(0);
        s.size = a.size.value_or(0);
        s.segment = static_cast<std::uint8_t>(a.segment.value_or(0));
        s.state = now.state;
        s.offerTime = now.offerTime;
        s.resident = now.state == sim::AllocationState::Resident || now.state == sim::AllocationState::Offered
            || now.state == sim::AllocationState::OfferPending;
        if (now.state == sim::AllocationState::Offered || now.state == sim::AllocationState::OfferPending
            || now.state == sim::AllocationState::Discarded) {
            s.requestedPriority = now.priority;
            // The level an AUTO offer took is not recorded: it is shown at NORMAL, the level of the
            // default residency priority.
            s.effectivePriority = now.priority == OfferPriority::Auto ? OfferPriority::Normal : now.priority;
        }
        out.push_back(s);
    }
}

std::vector<D3DKMT_HANDLE> RecordingWorld::discardOrder(std::uint32_t segment, sim::OfferLevel level) const
{
    const OfferPriority want = offerLevelPriority(level);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> offered;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const AllocationNow& now = m_state.allocations[i];
        const OfferPriority p = now.priority == OfferPriority::Auto ? OfferPriority::Normal : now.priority;
        if (now.state == sim::AllocationState::Offered && p == want && m_allocations[i].segment.value_or(0) == segment)
            offered.push_back({ now.offerOrder, static_cast<std::uint32_t>(i) });
    }
    std::sort(offered.begin(), offered.end());
    std::vector<D3DKMT_HANDLE> out;
    for (const auto& [order, i] : offered)
        out.push_back(handleOf(i));
    return out;
}

std::vector<D3DKMT_HANDLE> RecordingWorld::pendingOffers(std::uint32_t segment) const
{
    std::vector<D3DKMT_HANDLE> out;
    for (std::size_t i = 0; i < m_allocations.size(); ++i)
        if (m_state.allocations[i].state == sim::AllocationState::OfferPending
            && m_allocations[i].segment.value_or(0) == segment)
            out.push_back(handleOf(static_cast<std::uint32_t>(i)));
    return out;
}

std::vector<world::BudgetRow> RecordingWorld::budgets() const
{
    // Offered bytes per process and group, in one pass over the allocations (not one per row).
    std::map<std::pair<std::uint32_t, int>, std::uint64_t> offered;
    for (std::size_t i = 0; i < m_allocations.size(); ++i) {
        const Allocation& a = m_allocations[i];
        if (a.process && a.size && a.segment && m_state.allocations[i].state == sim::AllocationState::Offered)
            offered[{ *a.process, static_cast<int>(m_adapter.segments[*a.segment].group) }] += *a.size;
    }
    std::vector<world::BudgetRow> rows;
    for (const auto& [pid, p] : m_state.processes) {
        for (int g = 0; g < 2; ++g) {
            if (!p.budget[g] && !p.usage[g])
                continue;
            world::BudgetRow row;
            row.process = pid;
            row.processName = processName(pid);
            row.group = g == 0 ? MemorySegmentGroup::Local : MemorySegmentGroup::NonLocal;
            row.budget = p.budget[g];
            row.usage = p.usage[g];
            if (const auto it = offered.find({ pid, g }); it != offered.end())
                row.offeredResident = it->second;
            row.source = "VidMmProcessBudgetChange / VidMmProcessUsageChange (recorded)";
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

std::vector<world::ProcessRow> RecordingWorld::processes() const
{
    std::vector<world::ProcessRow> rows;
    for (std::uint32_t pid : m_pids)
        rows.push_back({ pid, processName(pid) });
    return rows;
}

std::string RecordingWorld::allocationName(D3DKMT_HANDLE allocation) const
{
    const auto i = allocationOf(allocation);
    if (!i || *i >= m_allocations.size())
        return {};
    const Allocation& a = m_allocations[*i];
    return formatHex(a.key, 16) + (a.described ? "" : " (not described)");
}

std::string RecordingWorld::processName(std::uint32_t process) const
{
    // The DxgKrnl events carry process ids, not image names.
    return process == 4 ? "System (4)" : "process " + std::to_string(process);
}

std::string RecordingWorld::narration() const
{
    if (m_position == 0)
        return "The recording of " + m_recording.name + ": " + std::to_string(m_recording.events.size())
            + " DxgKrnl events of the offer model over "
            + std::to_string(m_allPoints.empty() ? 0 : m_allPoints.back().time / 1000)
            + " ms. Step through it to see what VidMm did.";
    return eventOf(m_steps[m_position - 1].last - 1).explanation;
}

std::optional<world::StepReport> RecordingWorld::lastStep() const
{
    if (m_position == 0)
        return std::nullopt;
    world::StepReport report;
    report.step = m_position - 1;
    const Step& s = m_steps[m_position - 1];
    report.outcome.step = report.step;
    report.outcome.firstEvent = s.first + 1;
    report.outcome.lastEvent = s.last;
    for (std::size_t i = s.first; i < s.last; ++i) {
        const RecordedEvent& e = m_recording.events[i];
        if (m_recording.spec(e).kind == EventKind::Reclaim && m_allocationOf[i] >= 0) {
            report.outcome.call = true;
            report.outcome.results.push_back({ allocationName(handleOf(static_cast<std::uint32_t>(m_allocationOf[i]))),
                m_recording.value(e, "State") == 3 ? ReclaimResult::Discarded : ReclaimResult::Ok });
        }
    }
    return report;
}

std::string RecordingWorld::tiesText() const
{
    std::string out = "allocations described by the recording: " + std::to_string(m_ties.described)
        + "; known only by a handle other events name: " + std::to_string(m_ties.undescribed) + "\n";
    std::uint64_t tied = 0, untied = 0;
    for (const auto& [k, n] : m_ties.tied)
        tied += n;
    for (const auto& [k, n] : m_ties.untied)
        untied += n;
    out += "events naming an allocation: " + std::to_string(tied) + " tied to a described one, "
        + std::to_string(untied) + " not\n";
    for (const auto& [how, n] : m_ties.matchedBy)
        out += "  tied by " + how + ": " + std::to_string(n) + "\n";
    return out;
}

} // namespace offerscope::trace
