// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The model beside a recording: what the recording's applications did, replayed on the simulator
// (ModelReplay), as a world of its own with the recording's timeline. Its steps are the recording's
// steps, so position p of both worlds is the same moment of the recording and the two step together;
// what the model did differently is what the window shows beside what VidMm did. It is seen, not run:
// apply() answers STATUS_NOT_SUPPORTED (change the policy by opening it again under another).

#include "core/trace/ModelReplay.h"
#include "core/world/World.h"

#include <memory>
#include <utility>

namespace offerscope::trace {

class ReplayWorld final : public world::World {
public:
    /// At most this many checkpoints (besides position 0) over the whole recording.
    static constexpr std::size_t kCheckpoints = 24;
    /// The model's event log keeps the latest this many events.
    static constexpr std::size_t kLogEvents = 50'000;

    /// Replays the whole recording once (its timeline and checkpoints), then stands at position 0.
    /// `label` names the policy ("the model's defaults"). The recording must outlive this world.
    /// `progress` (optional) hears the share built and may stop it: a cancelled build stops early
    /// (stepCount() is then what was built).
    ReplayWorld(const RecordingWorld& recording, const sim::SimPolicy& policy, std::string label,
        const ImportProgress& progress = {});
    ~ReplayWorld() override;

    const RecordingWorld& recording() const { return m_replay.recording(); }
    /// The simulator the recording is replayed on, at the position.
    const sim::Simulator& model() const { return m_replay.model(); }
    /// The recorded allocation behind one of the model's handles (RecordingWorld::allocations()).
    std::optional<std::uint32_t> recordedOf(D3DKMT_HANDLE modelAllocation) const
    {
        return m_replay.recordedOf(modelAllocation);
    }
    /// The model's handle of a recorded allocation it holds now (0: none).
    D3DKMT_HANDLE modelHandleOf(std::uint32_t recorded) const { return m_replay.modelOf(recorded); }
    /// Steps the last seek() ran after the checkpoint it restored.
    std::size_t lastSeekSteps() const { return m_lastSeekSteps; }

    // ---- World -----------------------------------------------------------------------------------
    const world::WorldInfo& info() const override { return m_info; }
    /// The model keeps the recording it replays: another scenario takes it back to its start.
    void reload(scenario::Scenario scenario) override;
    const scenario::Scenario& scenario() const override { return recording().scenario(); }
    std::size_t position() const override { return m_position; }
    std::size_t stepCount() const override { return m_points.size() - 1; }
    std::uint64_t now() const override { return m_replay.model().now(); }
    const std::vector<world::TimelinePoint>& timeline() const override { return m_timeline; }
    bool stepForward() override;
    bool stepBack() override;
    void seek(std::size_t position) override;
    const scenario::StepOutcome& apply(scenario::Step step) override;

    std::uint64_t revision() const override { return m_revision; }
    std::uint64_t timelineEpoch() const override { return m_timelineEpoch; }
    std::uint64_t unchangedEventsSince(std::uint64_t sinceRevision) const override;

    const events::EventLog& eventLog() const override { return m_replay.model().eventLog(); }
    std::string callTextFor(std::uint64_t seq) const override;
    long stepOfEvent(std::uint64_t seq) const override;
    std::uint64_t lastCallEvent() const override;

    const sim::AdapterConfig& adapterConfig() const override { return m_replay.model().adapterConfig(); }
    void allocationSummaries(std::vector<sim::AllocationSummary>& out) const override;
    std::uint32_t allocationSlots() const override
    {
        return static_cast<std::uint32_t>(m_replay.model().allocationSlots());
    }
    void allocationSummariesBySlot(
        std::vector<sim::AllocationSummary>& rows, const std::vector<std::uint32_t>* which) const override
    {
        m_replay.model().allocationSummariesBySlot(rows, which);
    }
    std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segment, sim::OfferLevel level) const override;
    std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t segment) const override;
    std::vector<world::BudgetRow> budgets() const override;
    std::vector<world::ProcessRow> processes() const override;
    sim::SimPolicy policy() const override { return m_replay.model().policy(); }
    sim::VerifierSwitches verifier() const override { return m_replay.model().verifier(); }

    /// The recorded allocation's name, as the recording's views show it.
    std::string allocationName(D3DKMT_HANDLE allocation) const override;
    std::string stepName(D3DKMT_HANDLE) const override { return {}; }
    std::string processName(std::uint32_t process) const override;
    std::vector<std::string> knownNames() const override { return {}; }

    std::string narration() const override;
    std::optional<world::StepReport> lastStep() const override;
    std::vector<std::string> expectationFailures() const override { return {}; }

private:
    /// Replays the recorded events of the step at the position and moves on.
    void runStep();
    void goTo(std::size_t position);

    ModelReplay m_replay;
    std::string m_label;
    world::WorldInfo m_info;
    std::vector<world::TimelinePoint> m_points; ///< one per position 0..stepCount()
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_stepEvents; ///< per step: the model's [first, last] seq
    std::vector<std::pair<std::size_t, ModelReplay::Checkpoint>> m_checkpoints; ///< (position, checkpoint), in order
    std::vector<ReplayedEvent> m_lastReplayed; ///< what the step before the position replayed
    std::size_t m_position = 0;
    std::vector<world::TimelinePoint> m_timeline; ///< m_points up to the position
    std::vector<std::pair<std::uint64_t, std::uint64_t>> m_rewinds; ///< (revision, events kept)
    scenario::StepOutcome m_refused;
    std::size_t m_lastSeekSteps = 0;
    std::uint64_t m_revision = 1;
    std::uint64_t m_timelineEpoch = 1;
};

} // namespace offerscope::trace
