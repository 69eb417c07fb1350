// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A recording as a world: what Windows did, step by step, in the shape every view reads. Each step is
// one recorded DxgKrnl event (grouped by time when a recording has more than kMaxSteps of them); the
// timeline is the recording's clock, in microseconds from its start. State at a position is what the
// events up to it say: allocations from the allocation events, their offers, discards, reclaims,
// evictions and page-ins; segments from ReportSegment; budget, usage and commitment per process and
// segment group. Nothing is invented: a size, a segment or a process the recording did not give stays
// unknown, and every event whose handle could not be tied to an allocation the recording described
// is counted (ties()). A recording cannot act and is seen, not run: apply() answers STATUS_NOT_SUPPORTED.

#include "core/trace/Recording.h"
#include "core/world/World.h"

#include <map>
#include <unordered_map>

namespace offerscope::trace {

/// How the recorded handles were tied to the allocations the recording described.
struct RecordingTies {
    /// Events that name an allocation handle (offers, reports, reclaims, discards, evictions, page-ins,
    /// priorities), per kind: tied to a described allocation, and not.
    std::map<EventKind, std::uint64_t> tied, untied;
    /// Which handle field of the allocation events matched, and how often.
    std::map<std::string, std::uint64_t> matchedBy;
    /// Allocations known only from events that name their handle (no allocation event described them):
    /// no size, no segment, no owner.
    std::uint64_t undescribed = 0;
    std::uint64_t described = 0;
};

/// An allocation as the recording described it (or only named it).
struct RecordedAllocation {
    std::uint64_t key = 0; ///< the recorded handle it is known by
    std::optional<std::uint64_t> size;
    std::optional<std::uint32_t> segment; ///< index in adapterConfig()
    std::optional<std::uint32_t> process; ///< its owner's process id
    bool described = false; ///< an allocation event described it (else only other events named it)
};

class RecordingWorld final : public world::World {
public:
    /// At most this many steps: a longer recording is cut into steps of several events (by time).
    static constexpr std::size_t kMaxSteps = 100'000;
    /// The event log keeps the latest this many events before the position.
    static constexpr std::size_t kLogEvents = 50'000;

    explicit RecordingWorld(Recording recording);
    ~RecordingWorld() override;

    const Recording& recording() const { return m_recording; }
    const RecordingTies& ties() const { return m_ties; }
    /// The first position whose time is at or after `us` (stepCount() when none).
    std::size_t positionAt(std::uint64_t us) const;
    /// The recorded events step `step` covers: [first, last) in recording().events.
    std::pair<std::size_t, std::size_t> eventsOfStep(std::size_t step) const;
    /// "how the handles were tied" in words, for the import summary and the window.
    std::string tiesText() const;
    /// Every allocation the recording described or named, by index.
    const std::vector<RecordedAllocation>& allocations() const { return m_allocations; }
    /// The allocation a recorded event is about (index in allocations()), or -1.
    std::int64_t allocationOfEvent(std::size_t event) const { return m_allocationOf[event]; }
    /// A recorded event as the event log shows it (with its words), whether or not the log holds it now.
    events::Event eventOf(std::size_t index) const;
    /// The world handle of an allocation (what the views and the event log show).
    static D3DKMT_HANDLE handleOfAllocation(std::uint32_t allocation) { return handleOf(allocation); }
    /// The allocation (index in allocations()) behind a world handle, if it is one.
    static std::optional<std::uint32_t> allocationOfHandle(D3DKMT_HANDLE handle) { return allocationOf(handle); }

    // ---- World -----------------------------------------------------------------------------------
    const world::WorldInfo& info() const override { return m_info; }
    /// A recording keeps what it recorded: another scenario only takes it back to its start.
    void reload(scenario::Scenario scenario) override;
    const scenario::Scenario& scenario() const override { return m_scenario; }
    std::size_t position() const override { return m_position; }
    std::size_t stepCount() const override { return m_steps.size(); }
    std::uint64_t now() const override;
    const std::vector<world::TimelinePoint>& timeline() const override { return m_timeline; }
    bool stepForward() override;
    bool stepBack() override;
    void seek(std::size_t position) override;
    const scenario::StepOutcome& apply(scenario::Step step) override;

    std::uint64_t revision() const override { return m_revision; }
    std::uint64_t timelineEpoch() const override { return m_timelineEpoch; }
    std::uint64_t unchangedEventsSince(std::uint64_t) const override { return m_log.lastSeq(); }

    const events::EventLog& eventLog() const override { return m_log; }
    /// The recorded event's fields: a recording has no D3DKMT call to show, and says so.
    std::string callTextFor(std::uint64_t seq) const override;
    long stepOfEvent(std::uint64_t seq) const override;
    std::uint64_t lastCallEvent() const override;

    const sim::AdapterConfig& adapterConfig() const override { return m_adapter; }
    void allocationSummaries(std::vector<sim::AllocationSummary>& out) const override;
    /// The allocations the recorded state shows offered at a level, oldest offer first (the order the
    /// model would take them; the recording's own discards show what VidMm took).
    std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segment, sim::OfferLevel level) const override;
    std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t segment) const override;
    std::vector<world::BudgetRow> budgets() const override;
    std::vector<world::ProcessRow> processes() const override;
    sim::SimPolicy policy() const override { return {}; }
    sim::VerifierSwitches verifier() const override { return {}; }

    /// The recorded handle ("0xFFFFB00000001000"), marked when no allocation event described it.
    std::string allocationName(D3DKMT_HANDLE allocation) const override;
    /// None: a recording takes no actions.
    std::string stepName(D3DKMT_HANDLE) const override { return {}; }
    std::string processName(std::uint32_t process) const override;
    std::vector<std::string> knownNames() const override { return {}; }

    std::string narration() const override;
    std::optional<world::StepReport> lastStep() const override;
    std::vector<std::string> expectationFailures() const override { return {}; }

private:
    using Allocation = RecordedAllocation;
    struct AllocationNow {
        sim::AllocationState state = sim::AllocationState::Destroyed;
        OfferPriority priority = OfferPriority::None;
        std::uint64_t offerTime = 0;
        std::uint64_t offerOrder = 0;
    };
    struct ProcessNow {
        std::optional<std::uint64_t> budget[2], usage[2], commitment[2];
    };
    struct State {
        std::vector<AllocationNow> allocations;
        std::map<std::uint32_t, ProcessNow> processes;
        std::uint64_t offers = 0;
        /// Bytes per segment by state, kept up to date event by event (a point costs the segments,
        /// not the allocations).
        std::vector<world::SegmentSample> segments;
    };
    struct Step {
        std::size_t first = 0, last = 0; ///< recorded events [first, last)
    };

    void build();
    /// The allocation a recorded handle names now, if any.
    std::optional<std::uint32_t> allocationNamed(std::uint64_t handle) const;
    void applyEvent(State& state, std::size_t index) const;
    /// Adds (or takes away) an allocation's bytes in its segment's sums as its state is now.
    void count(State& state, std::uint32_t allocation, bool add) const;
    world::TimelinePoint pointOf(const State& state, std::size_t position) const;
    void goTo(std::size_t position);
    /// The event log holds the events up to `lastSeq`: the latest kLogEvents of them (older ones are
    /// counted as dropped, so a long jump builds only what the log keeps).
    void syncLog(std::uint64_t lastSeq);
    static D3DKMT_HANDLE handleOf(std::uint32_t allocation) { return 0x40000000u | (allocation + 1); }
    static std::optional<std::uint32_t> allocationOf(D3DKMT_HANDLE handle);

    Recording m_recording;
    world::WorldInfo m_info;
    scenario::Scenario m_scenario;
    sim::AdapterConfig m_adapter;
    std::vector<std::uint32_t> m_segmentIds; ///< index -> the recording's segment id
    std::vector<Allocation> m_allocations;
    std::unordered_map<std::uint64_t, std::uint32_t> m_byHandle; ///< every recorded handle of an allocation
    std::vector<std::int64_t> m_allocationOf; ///< per recorded event: the allocation it is about, or -1
    std::unordered_map<std::size_t, std::size_t> m_discardBehind; ///< a DISCARDED reclaim -> the discard before it
    std::vector<std::uint32_t> m_pids; ///< processes seen, sorted
    std::vector<Step> m_steps;
    std::vector<world::TimelinePoint> m_allPoints; ///< one per position 0..stepCount()
    std::vector<State> m_checkpoints; ///< the state at every m_checkpointEvery-th position
    std::size_t m_checkpointEvery = 4096;
    RecordingTies m_ties;

    State m_state;
    std::size_t m_position = 0;
    std::vector<world::TimelinePoint> m_timeline;
    events::EventLog m_log;
    scenario::StepOutcome m_refused;
    std::uint64_t m_revision = 1;
    std::uint64_t m_timelineEpoch = 1;
};

} // namespace offerscope::trace
