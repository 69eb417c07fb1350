// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session/Session.h"

#include "core/Units.h"

#include <algorithm>
#include <limits>

namespace offerscope::session {

std::vector<SegmentSample> segmentSamples(const sim::Simulator& sim)
{
    std::vector<SegmentSample> out;
    out.reserve(sim.segmentCount());
    for (std::uint32_t s = 0; s < sim.segmentCount(); ++s) {
        const sim::SegmentUsage u = sim.segmentUsage(s);
        SegmentSample sample;
        sample.size = u.size;
        sample.inUse = u.inUse;
        for (int p = 0; p < 5; ++p)
            sample.offered[p] = u.offeredByPriority[p];
        sample.offerPending = u.offerPending;
        sample.evicted = u.evicted;
        sample.discarded = u.discarded;
        sample.free = u.free();
        out.push_back(sample);
    }
    return out;
}

std::vector<TimelineMarker> timelineMarkers(const sim::Simulator& sim, std::uint64_t firstSeq, std::uint64_t lastSeq)
{
    std::vector<TimelineMarker> out;
    for (std::uint64_t seq = firstSeq; seq <= lastSeq; ++seq) {
        const events::Event* e = sim.eventLog().bySeq(seq);
        if (e == nullptr)
            continue;
        if (e->kind == events::EventKind::Pressure)
            out.push_back({ TimelineMarker::Kind::Pressure, seq,
                std::string(events::pressureSourceName(e->pressure)) + " " + formatBytes(e->bytes) });
        else if (e->kind == events::EventKind::BudgetChanged)
            out.push_back({ TimelineMarker::Kind::Budget, seq,
                "budget of " + sim.processName(e->process) + " " + formatBytes(e->bytes) });
    }
    return out;
}

std::vector<world::BudgetRow> simulatorBudgets(const sim::Simulator& sim)
{
    std::vector<world::BudgetRow> out;
    for (D3DKMT_HANDLE p : sim.processes()) {
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            const auto group = static_cast<MemorySegmentGroup>(g);
            if (const auto usage = sim.processUsage(p, group))
                out.push_back({ p, sim.processName(p), group, usage->budget, usage->usage, usage->reservation,
                    usage->offeredResident, {} });
        }
    }
    return out;
}

std::vector<world::ProcessRow> simulatorProcesses(const sim::Simulator& sim)
{
    std::vector<world::ProcessRow> out;
    for (D3DKMT_HANDLE p : sim.processes())
        out.push_back({ p, sim.processName(p) });
    return out;
}

Session::Session(scenario::Scenario scenario)
{
    reload(std::move(scenario));
}

void Session::reload(scenario::Scenario scenario)
{
    m_runner = std::make_unique<scenario::ScenarioRunner>(scenario);
    m_checkpoints.clear();
    m_interval = kCheckpointInterval;
    m_checkpointBytes = 0;
    m_timeline.clear();
    m_rewinds.clear();
    m_lastSeekSteps = 0;
    // The counters keep growing: whatever a view cached of the last scenario is stale.
    ++m_revision;
    ++m_timelineEpoch;
    m_rewinds.emplace_back(m_revision, 0);
    recordPoint();
    m_checkpoints.emplace(0, m_runner->checkpoint());
    m_checkpointBytes = checkpointBytes();
}

Session::~Session() = default;

const world::WorldInfo& Session::info() const
{
    static const world::WorldInfo kInfo { world::WorldKind::Simulator, "Simulator", "the simulator", true, true, false,
        "simulated time", {} };
    return kInfo;
}

bool Session::stepForward()
{
    if (!m_runner->step())
        return false;
    afterStep(false);
    return true;
}

bool Session::stepBack()
{
    if (position() == 0)
        return false;
    seek(position() - 1);
    return true;
}

void Session::seek(std::size_t target)
{
    target = std::min(target, stepCount());
    const std::size_t from = position();
    if (target == from)
        return;
    // Back: the nearest checkpoint at or before the target, then forward by running. Forward: the
    // same when that checkpoint is well ahead and the runner kept what going back had cut (the
    // events and outcomes up to it); otherwise by running from here.
    const auto& nearest = std::prev(m_checkpoints.upper_bound(target))->second;
    if (target < from || (nearest.next > from + m_interval / 2 && m_runner->canRestoreForward(nearest))) {
        m_runner->restore(nearest);
        ++m_revision;
    }
    const std::size_t restoredAt = position();
    while (position() < target && m_runner->step())
        afterStep(true);
    m_lastSeekSteps = position() - restoredAt;
    if (target < from) {
        // Every event up to this point is the one the views already show: the run is deterministic
        // and its steps are the same, so only the later ones are gone.
        m_rewinds.emplace_back(m_revision, simulator().eventLog().lastSeq());
    }
    ++m_revision;
}

const scenario::StepOutcome& Session::apply(scenario::Step step)
{
    const std::size_t at = position();
    if (at < stepCount()) {
        m_runner->truncateSteps(at);
        m_timeline.resize(at + 1);
        ++m_timelineEpoch;
        m_checkpoints.erase(m_checkpoints.upper_bound(at), m_checkpoints.end());
        m_checkpointBytes = checkpointBytes();
    }
    // Events recorded after this point are replaced by the action's.
    m_rewinds.emplace_back(m_revision + 1, simulator().eventLog().lastSeq());
    m_runner->appendStep(std::move(step));
    m_runner->step();
    afterStep(false);
    return m_runner->outcomes().back();
}

void Session::afterStep(bool inSeek)
{
    ++m_revision;
    if (position() >= m_timeline.size())
        recordPoint();
    const std::size_t since = stepsSinceCheckpoint();
    if (since >= (inSeek || !m_deferCheckpoints ? m_interval : 2 * m_interval))
        takeCheckpoint();
}

void Session::takeCheckpoint()
{
    // Shares with the nearest checkpoint before it what has not changed since: the records of the
    // allocations that no step between them touched.
    const auto before = std::prev(m_checkpoints.upper_bound(position()));
    const auto taken = m_checkpoints.emplace(position(), m_runner->checkpoint(&before->second)).first;
    std::unordered_set<const void*> seen;
    before->second.uniqueBytes(seen); // what the new one shares with the one before it is counted already
    m_checkpointBytes += taken->second.uniqueBytes(seen);
    // Over the budget by this count: thinCheckpoints() counts exactly (shared parts once) before it
    // drops any. Counting exactly at every checkpoint walked every chunk of every checkpoint, tens of
    // milliseconds per checkpoint at a million allocations.
    if (m_checkpointBytes > m_budget)
        thinCheckpoints();
}

void Session::thinCheckpoints()
{
    // Every other checkpoint goes (never the first, at position 0, nor the newest) and the interval
    // doubles, until they fit in three quarters of the budget: room to grow before the next thinning.
    // (Shared chunks stay as long as a checkpoint left points at them.)
    while (m_checkpoints.size() > 2) {
        m_checkpointBytes = checkpointBytes();
        if (m_checkpointBytes <= m_budget / 4 * 3)
            break;
        bool keep = false; // the first after position 0 goes: each round takes at least one
        const auto newest = std::prev(m_checkpoints.end());
        for (auto it = std::next(m_checkpoints.begin()); it != newest;) {
            it = keep ? std::next(it) : m_checkpoints.erase(it);
            keep = !keep;
        }
        m_interval *= 2;
    }
}

std::size_t Session::stepsSinceCheckpoint() const
{
    // Position 0 always has one.
    return position() - std::prev(m_checkpoints.upper_bound(position()))->first;
}

bool Session::checkpointDue() const
{
    return stepsSinceCheckpoint() >= m_interval;
}

bool Session::takeDueCheckpoint()
{
    if (!checkpointDue())
        return false;
    takeCheckpoint();
    return true;
}

void Session::recordPoint()
{
    const sim::Simulator& sim = simulator();
    TimelinePoint point;
    point.position = position();
    point.time = sim.now();
    point.lastSeq = sim.eventLog().lastSeq();
    point.segments = segmentSamples(sim);
    if (!m_runner->outcomes().empty() && point.position > 0)
        point.markers
            = timelineMarkers(sim, m_runner->outcomes().back().firstEvent, m_runner->outcomes().back().lastEvent);
    m_timeline.push_back(std::move(point));
}

std::string Session::narration() const
{
    const auto& steps = scenario().steps;
    for (std::size_t i = std::min(position(), steps.size()); i-- > 0;)
        if (steps[i].kind == scenario::StepKind::Say)
            return steps[i].text;
    return {};
}

long Session::stepOfEvent(std::uint64_t seq) const
{
    const auto& outcomes = m_runner->outcomes();
    auto it = std::lower_bound(outcomes.begin(), outcomes.end(), seq,
        [](const scenario::StepOutcome& o, std::uint64_t value) { return o.lastEvent < value; });
    if (it == outcomes.end() || it->firstEvent > seq)
        return -1;
    return static_cast<long>(it - outcomes.begin());
}

std::string Session::callTextFor(std::uint64_t seq) const
{
    return world::callTextIn(simulator().eventLog(), seq,
        [this](std::uint64_t event) -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
            const long step = stepOfEvent(event);
            if (step < 0)
                return std::nullopt;
            const scenario::StepOutcome& o = m_runner->outcomes()[static_cast<std::size_t>(step)];
            return std::pair { o.firstEvent, o.lastEvent };
        });
}

std::uint64_t Session::lastCallEvent(std::size_t lookBack) const
{
    return world::lastCallEventAmong(
        m_runner->outcomes(), [](const scenario::StepOutcome& o) { return &o; },
        [this](std::uint64_t seq) { return !callTextFor(seq).empty(); }, lookBack);
}

std::string Session::allocationName(const sim::AllocationSummary& allocation) const
{
    std::string name = simulator().resourceName(allocation.resource);
    if (allocation.resourceAllocations > 1)
        name += "[" + std::to_string(allocation.ordinal) + "]";
    return name;
}

std::string Session::stepName(D3DKMT_HANDLE allocation) const
{
    return m_runner->stepNameOf(allocation);
}

std::uint64_t Session::unchangedEventsSince(std::uint64_t sinceRevision) const
{
    std::uint64_t kept = std::numeric_limits<std::uint64_t>::max();
    for (auto it = m_rewinds.rbegin(); it != m_rewinds.rend() && it->first > sinceRevision; ++it)
        kept = std::min(kept, it->second);
    return kept;
}

void Session::allocationSummaries(std::vector<sim::AllocationSummary>& out) const
{
    simulator().allocationSummaries(out);
}

void Session::allocationSummariesBySlot(
    std::vector<sim::AllocationSummary>& rows, const std::vector<std::uint32_t>* which) const
{
    simulator().allocationSummariesBySlot(rows, which);
}

bool Session::allocationChangesSince(std::uint64_t sinceRevision, std::vector<std::uint32_t>& which) const
{
    // Steps mark what they touch; a jump's restore marks the records that differ from the checkpoint's.
    if (sinceRevision != m_changesBase || !simulator().changesKnown())
        return false;
    which = simulator().changedSlots();
    return true;
}

void Session::allocationChangesSeen()
{
    sim::Simulator& sim = m_runner->simulator();
    if (!sim.tracksChanges())
        sim.trackChanges(true);
    else
        sim.clearChanges();
    m_changesBase = m_revision;
}

std::vector<D3DKMT_HANDLE> Session::discardOrder(std::uint32_t segment, sim::OfferLevel level) const
{
    return simulator().discardOrder(segment, level);
}

void Session::discardOrderInto(std::uint32_t segment, sim::OfferLevel level, std::vector<D3DKMT_HANDLE>& out) const
{
    simulator().discardOrder(segment, level, out);
}

std::vector<D3DKMT_HANDLE> Session::pendingOffers(std::uint32_t segment) const
{
    return simulator().pendingOffers(segment);
}

std::vector<world::BudgetRow> Session::budgets() const
{
    return simulatorBudgets(simulator());
}

std::vector<world::ProcessRow> Session::processes() const
{
    return simulatorProcesses(simulator());
}

std::string Session::allocationName(D3DKMT_HANDLE allocation) const
{
    // The scenario's name ("tex[2]", or "tex" for a resource of one allocation), also after it was
    // destroyed; else the resource's name the engine keeps (another process' pressure has none).
    if (std::string name = stepName(allocation); !name.empty())
        return name;
    const auto info = simulator().allocation(allocation);
    return info ? simulator().resourceName(info->resource) : std::string();
}

std::vector<std::string> Session::knownNames() const
{
    std::vector<std::string> out;
    for (const auto& [name, handle] : m_runner->names())
        out.push_back(name);
    return out;
}

std::optional<world::StepReport> Session::lastStep() const
{
    if (position() == 0 || m_runner->outcomes().empty())
        return std::nullopt;
    world::StepReport report;
    report.outcome = m_runner->outcomes().back();
    report.step = report.outcome.step;
    return report;
}

std::vector<std::string> Session::expectationFailures() const
{
    std::vector<std::string> out;
    for (const scenario::ExpectationFailure& f : m_runner->failures())
        out.push_back(f.message);
    return out;
}

std::size_t Session::checkpointBytes() const
{
    std::unordered_set<const void*> seen;
    std::size_t bytes = 0;
    for (const auto& [position, checkpoint] : m_checkpoints)
        bytes += checkpoint.uniqueBytes(seen);
    return bytes;
}

} // namespace offerscope::session
