// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A session: a scenario being explored on the simulator. It owns the runner and its simulator,
// remembers every point of the run (so the views can travel back in time) and takes actions as new
// steps, so that the session can be saved as a scenario file that replays to the same state. It is
// the simulator's World.

#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/sim/Simulator.h"
#include "core/world/World.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace offerscope::session {

using world::SegmentSample;
using world::TimelineMarker;
using world::TimelinePoint;

/// A simulator's segments as the usage plots stack them.
std::vector<SegmentSample> segmentSamples(const sim::Simulator& sim);
/// What the timeline marks among a simulator's events [firstSeq, lastSeq]: pressure, budget changes.
std::vector<TimelineMarker> timelineMarkers(const sim::Simulator& sim, std::uint64_t firstSeq, std::uint64_t lastSeq);
/// A simulator's budget rows: every process and segment group it keeps figures for.
std::vector<world::BudgetRow> simulatorBudgets(const sim::Simulator& sim);
std::vector<world::ProcessRow> simulatorProcesses(const sim::Simulator& sim);

/// A scenario being explored, with time travel.
class Session final : public world::World {
public:
    /// Runs the world set-up of the scenario; position 0 is the state before its first step.
    explicit Session(scenario::Scenario scenario);
    ~Session() override;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const scenario::ScenarioRunner& runner() const { return *m_runner; }
    const sim::Simulator& simulator() const { return m_runner->simulator(); }

    // ---- World -----------------------------------------------------------------------------------
    const world::WorldInfo& info() const override;
    void reload(scenario::Scenario scenario) override;
    const scenario::Scenario& scenario() const override { return m_runner->scenario(); }
    /// Steps run so far (0 .. stepCount()).
    std::size_t position() const override { return m_runner->nextStep(); }
    std::size_t stepCount() const override { return scenario().steps.size(); }
    std::uint64_t now() const override { return simulator().now(); }
    /// One point per position reached so far, in order (index = position).
    const std::vector<TimelinePoint>& timeline() const override { return m_timeline; }
    /// Runs the next step; false at the end.
    bool stepForward() override;
    /// Goes back one step; false at the start.
    bool stepBack() override;
    /// Goes to any point 0 .. stepCount(): back through the nearest checkpoint, forward by running.
    void seek(std::size_t position) override;
    /// Takes an action as a new step after the current position (steps after it are dropped, as an
    /// editor drops the redo history) and runs it. Returns what it did.
    const scenario::StepOutcome& apply(scenario::Step step) override;

    /// A counter that grows on every change of state (step, seek, action).
    std::uint64_t revision() const override { return m_revision; }
    /// Grows when an action in the past replaced the timeline after it (views rebuild their plots).
    std::uint64_t timelineEpoch() const override { return m_timelineEpoch; }
    /// Events up to this sequence number are the same as at `sinceRevision`; later ones may differ
    /// (time travel rewound the log, and a new action may have recorded other events in their place).
    std::uint64_t unchangedEventsSince(std::uint64_t sinceRevision) const override;

    const events::EventLog& eventLog() const override { return simulator().eventLog(); }
    /// The D3DKMT call behind an event, as the event log recorded it ("" when the event was not
    /// caused by a call, e.g. pressure from VidMm).
    std::string callTextFor(std::uint64_t seq) const override;
    /// The step (0-based) whose run produced an event; -1 for the world set-up.
    long stepOfEvent(std::uint64_t seq) const override;
    /// The first event of the most recent step that made a call (one with callTextFor()), looking
    /// back at most `lookBack` steps (narration and pressure steps make none); 0 when there is none.
    std::uint64_t lastCallEvent(std::size_t lookBack) const;
    std::uint64_t lastCallEvent() const override { return lastCallEvent(world::kCallLookBack); }

    const sim::AdapterConfig& adapterConfig() const override { return simulator().adapterConfig(); }
    void allocationSummaries(std::vector<sim::AllocationSummary>& out) const override;
    std::uint32_t allocationSlots() const override { return static_cast<std::uint32_t>(simulator().allocationSlots()); }
    void allocationSummariesBySlot(
        std::vector<sim::AllocationSummary>& rows, const std::vector<std::uint32_t>* which) const override;
    bool allocationChangesSince(std::uint64_t sinceRevision, std::vector<std::uint32_t>& which) const override;
    void allocationChangesSeen() override;
    std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segment, sim::OfferLevel level) const override;
    void discardOrderInto(std::uint32_t segment, sim::OfferLevel level, std::vector<D3DKMT_HANDLE>& out) const override;
    std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t segment) const override;
    std::vector<world::BudgetRow> budgets() const override;
    std::vector<world::ProcessRow> processes() const override;
    sim::SimPolicy policy() const override { return simulator().policy(); }
    sim::VerifierSwitches verifier() const override { return simulator().verifier(); }

    /// The allocation's name as the scenario knows it ("menu", "tex[2]"), for views and for actions.
    std::string allocationName(const sim::AllocationSummary& allocation) const override;
    std::string allocationName(D3DKMT_HANDLE allocation) const override;
    /// The scenario's name for an allocation handle, also after it was destroyed ("" when the
    /// scenario never named it, e.g. memory another process committed as pressure).
    std::string stepName(D3DKMT_HANDLE allocation) const override;
    std::string processName(std::uint32_t process) const override { return simulator().processName(process); }
    std::vector<std::string> knownNames() const override;

    /// The words of the last "say" at or before the current position ("" when none).
    std::string narration() const override;
    std::optional<world::StepReport> lastStep() const override;
    std::vector<std::string> expectationFailures() const override;

    bool idleWorkDue() const override { return m_deferCheckpoints && checkpointDue(); }
    bool doIdleWork() override { return takeDueCheckpoint(); }

    /// Steps the last seek() ran (after the checkpoint it restored, if any).
    std::size_t lastSeekSteps() const { return m_lastSeekSteps; }
    std::size_t checkpointCount() const { return m_checkpoints.size(); }
    /// The memory the checkpoints hold together (what they share counted once).
    std::size_t checkpointBytes() const;
    /// Steps between checkpoints at first (time travel runs about this many steps after a restore).
    static constexpr std::size_t kCheckpointInterval = 16;
    /// The memory the checkpoints may hold. Past it, every other one goes and the interval doubles: a
    /// session of a million allocations keeps bounded memory, and its jumps run more steps.
    static constexpr std::size_t kCheckpointBudget = std::size_t { 384 } << 20;
    /// Steps between checkpoints now (kCheckpointInterval, doubled each time the budget was reached).
    std::size_t checkpointInterval() const { return m_interval; }
    /// Another budget than kCheckpointBudget (tests; a program that knows its memory).
    void setCheckpointBudget(std::size_t bytes) { m_budget = bytes; }

    /// With deferred checkpoints, stepForward() and apply() leave the checkpoint a position is due
    /// for to takeDueCheckpoint(), which an interactive program calls when it is idle (after the
    /// frame is painted), so a step costs the same every time. A step takes it anyway once the last
    /// checkpoint is twice the interval back, which bounds the steps a jump runs. seek()
    /// always takes checkpoints as it goes. Off by default.
    void setCheckpointsDeferred(bool deferred) { m_deferCheckpoints = deferred; }
    /// The current position is checkpointInterval() or more steps after the last checkpoint before it.
    bool checkpointDue() const;
    /// Takes the checkpoint the current position is due for; false when none is due.
    bool takeDueCheckpoint();

private:
    /// `inSeek`: a seek runs the step (checkpoints are never deferred there).
    void afterStep(bool inSeek);
    std::size_t stepsSinceCheckpoint() const;
    void takeCheckpoint(); ///< at the current position, sharing with the one before it
    void thinCheckpoints(); ///< within kCheckpointBudget again
    void recordPoint();

    std::unique_ptr<scenario::ScenarioRunner> m_runner;
    std::map<std::size_t, scenario::ScenarioRunner::Checkpoint> m_checkpoints; ///< by position
    std::vector<TimelinePoint> m_timeline;
    std::uint64_t m_revision = 0;
    /// The revision the simulator's change list starts from (allocationChangesSeen()).
    std::uint64_t m_changesBase = ~std::uint64_t { 0 };
    std::uint64_t m_timelineEpoch = 0;
    std::size_t m_lastSeekSteps = 0;
    bool m_deferCheckpoints = false;
    std::size_t m_interval = kCheckpointInterval;
    std::size_t m_budget = kCheckpointBudget;
    std::size_t m_checkpointBytes = 0; ///< checkpointBytes() when last counted, plus what was added since
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_rewinds; ///< (revision, events kept)
};

} // namespace offerscope::session
