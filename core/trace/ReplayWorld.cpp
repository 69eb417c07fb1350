// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/ReplayWorld.h"

#include "core/session/Session.h"

#include <algorithm>
#include <limits>

namespace offerscope::trace {

ReplayWorld::ReplayWorld(
    const RecordingWorld& recording, const sim::SimPolicy& policy, std::string label, const ImportProgress& progress)
    : m_replay(recording, policy)
    , m_label(std::move(label))
{
    m_info.kind = world::WorldKind::Simulator;
    m_info.name = "Model (" + m_label + ")";
    m_info.sourceWords = "the model replaying the recording";
    m_info.canStepBack = true;
    m_info.canAct = false;
    m_info.canSeekByTime = true;
    m_info.clockName = "the recording's clock";
    m_replay.model().eventLog().setMode(events::EventLog::Mode::Bounded, kLogEvents);

    // One pass over the recording: every point of the timeline, and checkpoints spread over it so a
    // jump replays at most a 1/kCheckpoints of it.
    const std::size_t steps = recording.stepCount();
    const std::size_t every = std::max<std::size_t>(1, (steps + kCheckpoints - 1) / kCheckpoints);
    m_points.reserve(steps + 1);
    m_stepEvents.reserve(steps);
    const auto addPoint = [this] {
        world::TimelinePoint point;
        point.position = m_position;
        point.time = m_replay.model().now();
        point.lastSeq = m_replay.model().eventLog().lastSeq();
        point.segments = session::segmentSamples(m_replay.model());
        if (m_position > 0)
            point.markers = session::timelineMarkers(
                m_replay.model(), m_stepEvents[m_position - 1].first, m_stepEvents[m_position - 1].second);
        m_points.push_back(std::move(point));
    };
    m_checkpoints.emplace_back(0, m_replay.checkpoint());
    addPoint();
    while (m_position < steps) {
        if (m_position % 4096 == 0 && m_position > 0) {
            if (progress.cancelled && progress.cancelled())
                break;
            if (progress.report)
                progress.report(static_cast<double>(m_position) / static_cast<double>(steps));
        }
        runStep();
        addPoint();
        if (m_position % every == 0 && m_position < steps)
            m_checkpoints.emplace_back(m_position, m_replay.checkpoint(&m_checkpoints.back().second));
    }
    // Back to the start, with an empty log (the build's events are not the views' to show).
    m_replay.model().eventLog().clear();
    m_replay.restore(m_checkpoints.front().second);
    m_position = 0;
    m_lastReplayed.clear();
    m_timeline.assign(m_points.begin(), m_points.begin() + 1);
}

ReplayWorld::~ReplayWorld() = default;

void ReplayWorld::runStep()
{
    const std::size_t last = recording().eventsOfStep(m_position).second;
    const std::uint64_t before = m_replay.model().eventLog().lastSeq();
    m_lastReplayed.clear();
    while (m_replay.next() < last && !m_replay.atEnd()) {
        ReplayedEvent done = m_replay.replayNext();
        if (done.what == ReplayedEvent::What::Reclaimed || done.what == ReplayedEvent::What::Skipped
            || done.what == ReplayedEvent::What::Discard)
            m_lastReplayed.push_back(std::move(done));
    }
    const std::pair<std::uint64_t, std::uint64_t> range { before + 1, m_replay.model().eventLog().lastSeq() };
    if (m_position < m_stepEvents.size())
        m_stepEvents[m_position] = range;
    else
        m_stepEvents.push_back(range);
    ++m_position;
}

void ReplayWorld::goTo(std::size_t target)
{
    target = std::min(target, stepCount());
    if (target == m_position)
        return;
    // Where to replay from: the last checkpoint before the step that leads to the target (so that
    // step is run and lastStep() can say what it did), or an earlier one, far enough back for the
    // log to be filled with what it keeps at the target. Going forward from a point after it: from here.
    const auto eventsBefore = [this](std::size_t position) {
        return position == 0 ? std::size_t { 0 } : recording().eventsOfStep(position - 1).second;
    };
    const std::size_t before = target == 0 ? 0 : target - 1;
    auto chosen = static_cast<std::size_t>(std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), before,
                                               [](std::size_t p, const auto& c) { return p < c.first; })
        - m_checkpoints.begin() - 1);
    while (chosen > 0 && eventsBefore(target) - eventsBefore(m_checkpoints[chosen].first) < kLogEvents)
        --chosen;
    const auto& [at, checkpoint] = m_checkpoints[chosen];
    m_lastSeekSteps = 0;
    if (target < m_position || at > m_position) {
        events::EventLog& log = m_replay.model().eventLog();
        const std::uint64_t kept = std::min(log.lastSeq(), checkpoint.model.lastSeq);
        if (at > m_position)
            log.clear(); // ahead of everything the log holds: the events from the checkpoint on fill it
        m_replay.restore(checkpoint);
        // The log holds only the latest events: its dropped count says so.
        log.rewind(log.lastSeq(), log.lastSeq() - std::min<std::uint64_t>(log.lastSeq(), log.size()));
        m_position = at;
        m_rewinds.emplace_back(m_revision + 1, kept);
        m_lastReplayed.clear();
    }
    while (m_position < target) {
        runStep();
        ++m_lastSeekSteps;
    }
    // The points up to the position: cut back, or the new ones appended (a step copies one point).
    if (m_timeline.size() > m_position + 1)
        m_timeline.resize(m_position + 1);
    while (m_timeline.size() < m_position + 1)
        m_timeline.push_back(m_points[m_timeline.size()]);
    ++m_revision;
}

bool ReplayWorld::stepForward()
{
    if (m_position >= stepCount())
        return false;
    goTo(m_position + 1);
    return true;
}

bool ReplayWorld::stepBack()
{
    if (m_position == 0)
        return false;
    goTo(m_position - 1);
    return true;
}

void ReplayWorld::seek(std::size_t position)
{
    goTo(position);
}

void ReplayWorld::reload(scenario::Scenario)
{
    goTo(0);
}

const scenario::StepOutcome& ReplayWorld::apply(scenario::Step)
{
    m_refused = {};
    m_refused.call = true;
    m_refused.status = Status(NtStatus::NotSupported,
        "the model replays what the recording's applications did; it takes no actions of its own");
    return m_refused;
}

std::uint64_t ReplayWorld::unchangedEventsSince(std::uint64_t sinceRevision) const
{
    std::uint64_t kept = std::numeric_limits<std::uint64_t>::max();
    for (auto it = m_rewinds.rbegin(); it != m_rewinds.rend() && it->first > sinceRevision; ++it)
        kept = std::min(kept, it->second);
    return kept;
}

long ReplayWorld::stepOfEvent(std::uint64_t seq) const
{
    const std::size_t n = std::min(m_position, m_stepEvents.size());
    const auto end = m_stepEvents.begin() + static_cast<std::ptrdiff_t>(n);
    const auto it = std::lower_bound(
        m_stepEvents.begin(), end, seq, [](const auto& range, std::uint64_t value) { return range.second < value; });
    if (it == end || it->first > seq)
        return -1;
    return static_cast<long>(it - m_stepEvents.begin());
}

std::string ReplayWorld::callTextFor(std::uint64_t seq) const
{
    return world::callTextIn(
        eventLog(), seq, [this](std::uint64_t event) -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
            const long step = stepOfEvent(event);
            if (step < 0)
                return std::nullopt;
            return m_stepEvents[static_cast<std::size_t>(step)];
        });
}

std::uint64_t ReplayWorld::lastCallEvent() const
{
    std::vector<std::size_t> steps(std::min(m_position, world::kCallLookBack));
    for (std::size_t i = 0; i < steps.size(); ++i)
        steps[i] = m_position - steps.size() + i;
    scenario::StepOutcome outcome;
    return world::lastCallEventAmong(
        steps,
        [&](std::size_t step) {
            outcome.firstEvent = m_stepEvents[step].first;
            outcome.lastEvent = m_stepEvents[step].second;
            return &outcome;
        },
        [this](std::uint64_t seq) { return !callTextFor(seq).empty(); });
}

void ReplayWorld::allocationSummaries(std::vector<sim::AllocationSummary>& out) const
{
    m_replay.model().allocationSummaries(out);
}

std::vector<D3DKMT_HANDLE> ReplayWorld::discardOrder(std::uint32_t segment, sim::OfferLevel level) const
{
    return m_replay.model().discardOrder(segment, level);
}

std::vector<D3DKMT_HANDLE> ReplayWorld::pendingOffers(std::uint32_t segment) const
{
    return m_replay.model().pendingOffers(segment);
}

std::vector<world::BudgetRow> ReplayWorld::budgets() const
{
    return session::simulatorBudgets(m_replay.model());
}

std::vector<world::ProcessRow> ReplayWorld::processes() const
{
    return session::simulatorProcesses(m_replay.model());
}

std::string ReplayWorld::allocationName(D3DKMT_HANDLE allocation) const
{
    if (const auto recorded = m_replay.recordedOf(allocation))
        return recording().allocationName(RecordingWorld::handleOfAllocation(*recorded));
    return {};
}

std::string ReplayWorld::processName(std::uint32_t process) const
{
    return m_replay.model().processName(process);
}

std::string ReplayWorld::narration() const
{
    if (m_position == 0)
        return "The model beside the recording: what the recording's applications did (creations, offers "
               "with their priorities, reclaims, budgets) replayed on the simulator under "
            + m_label
            + ". What VidMm did on its own (discards, evictions) the model decides for itself: compare the two.";
    std::string words;
    for (const ReplayedEvent& done : m_lastReplayed) {
        const std::string name = done.allocation >= 0 ? recording().allocationName(
                                     RecordingWorld::handleOfAllocation(static_cast<std::uint32_t>(done.allocation)))
                                                      : std::string("an allocation");
        switch (done.what) {
        case ReplayedEvent::What::Reclaimed:
            if (!done.status.ok())
                words += "The model refused the reclaim of " + name + " (" + done.status.message()
                    + "); VidMm found it " + std::string(reclaimResultName(done.recorded)) + ". ";
            else if (done.result != done.recorded)
                words += "They differ: VidMm found " + name + " " + std::string(reclaimResultName(done.recorded))
                    + ", the model " + std::string(reclaimResultName(done.result)) + ". ";
            else
                words += "Both found " + name + " " + std::string(reclaimResultName(done.result)) + ". ";
            break;
        case ReplayedEvent::What::Discard: {
            const auto a = static_cast<std::uint32_t>(done.allocation);
            const auto model
                = m_replay.modelOf(a) != 0 ? m_replay.model().allocation(m_replay.modelOf(a)) : std::nullopt;
            if (!model)
                words
                    += "VidMm discarded " + name + "; the model does not hold it (it could not replay its creation). ";
            else if (model->state == sim::AllocationState::Discarded)
                words += "VidMm discarded " + name + "; so has the model. ";
            else
                words += "VidMm discarded " + name + "; the model has not: there it is "
                    + std::string(sim::allocationStateName(model->state)) + ". ";
            break;
        }
        case ReplayedEvent::What::Skipped:
            words += "The model could not replay this for " + name
                + ": the recording did not give its size, segment or owner. ";
            break;
        default:
            break;
        }
    }
    if (!words.empty())
        return words;
    const auto [first, last] = m_stepEvents[m_position - 1];
    for (std::uint64_t seq = last; seq >= first && seq > 0; --seq)
        if (const events::Event* e = eventLog().bySeq(seq); e != nullptr && !e->explanation.empty())
            return e->explanation;
    return "The model did nothing at this moment: the recorded event is not an application's action.";
}

std::optional<world::StepReport> ReplayWorld::lastStep() const
{
    if (m_position == 0)
        return std::nullopt;
    world::StepReport report;
    report.step = m_position - 1;
    report.outcome.step = report.step;
    report.outcome.firstEvent = m_stepEvents[report.step].first;
    report.outcome.lastEvent = m_stepEvents[report.step].second;
    for (const ReplayedEvent& done : m_lastReplayed) {
        if (done.what != ReplayedEvent::What::Reclaimed || done.allocation < 0)
            continue;
        const std::string name = recording().allocationName(
            RecordingWorld::handleOfAllocation(static_cast<std::uint32_t>(done.allocation)));
        report.outcome.call = true;
        report.outcome.status = done.status;
        report.outcome.results.push_back({ name, done.result });
        if (done.status.ok() && done.result != done.recorded)
            report.difference += (report.difference.empty() ? "" : "; ") + std::string("VidMm found ") + name + " "
                + std::string(reclaimResultName(done.recorded)) + ", the model "
                + std::string(reclaimResultName(done.result));
    }
    return report;
}

} // namespace offerscope::trace
