// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The face every source of video-memory behaviour shows the views and the command line: the
// simulator's session, a live D3DKMT source, and next a recording of what Windows did or a second
// simulator beside the first. A view asks a world what it is and what it can do (WorldInfo), where
// it stands on its timeline, and what its state is there; it never asks which kind it holds. Every
// handle a world hands out (an allocation, a process, an event's sequence number) is resolved by the
// same world: names, calls and steps all come from the world that produced the handle.

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/events/EventLog.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/sim/SimTypes.h"
#include "core/sim/Simulator.h"
#include "core/world/Timeline.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace offerscope::world {

enum class WorldKind : std::uint8_t { Simulator, Live, Recording };

/// What a world is and what it can do: the views offer only what it can.
struct WorldInfo {
    WorldKind kind = WorldKind::Simulator;
    std::string name; ///< "Simulator", "live: WSL2 (/dev/dxg)": shown beside the title
    std::string sourceWords; ///< the source in a sentence: "the simulator", "the live source"
    bool canStepBack = true; ///< time travel backwards (a live source cannot undo what it did)
    bool canAct = true; ///< takes actions as new steps (apply)
    bool canSeekByTime = false; ///< positionAt(time) is meaningful (recordings)
    std::string clockName; ///< what the timeline's time axis counts: "simulated time", ...
    /// Where the discard order comes from when the world does not decide it itself ("" when it
    /// does): a live source shows the model's order for its probes, the driver's is not reported.
    std::string discardOrderNote;
    /// Its events are what a recording logged: callTextFor() gives their recorded fields, not a call.
    bool eventsAreRecorded = false;
};

/// Budget, usage and reservation of one process in one segment group; a figure the source did not
/// report stays empty.
struct BudgetRow {
    std::uint32_t process = 0; ///< the world's process id (a handle, or a key)
    std::string processName;
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    std::optional<std::uint64_t> budget;
    std::optional<std::uint64_t> usage;
    std::optional<std::uint64_t> reservation;
    std::uint64_t offeredResident = 0; ///< offered bytes still in memory (only what the world knows)
    std::string source; ///< the call that reported the figures ("" for the simulator's own bookkeeping)
};

/// A process the world knows, with its name.
struct ProcessRow {
    std::uint32_t process = 0;
    std::string name;
};

/// How one step went: what it returned and, where the world compares two sides (a live source and
/// the model beside it), where they differ.
struct StepReport {
    std::size_t step = 0; ///< index in scenario().steps
    bool ran = true; ///< false: this world cannot run this kind of step (notRun says why)
    std::string notRun;
    scenario::StepOutcome outcome; ///< the world's own answer (a live source: the driver's)
    std::string difference; ///< "the driver answered …, the model predicted …" ("" when none)
};

/// How far back lastCallEvent() looks: narration and pressure steps make no call.
inline constexpr std::size_t kCallLookBack = 64;

/// The first event that `isCall` accepts among the events of the latest of the last `lookBack`
/// steps; 0 when there is none. `outcomeOf` gives a step's outcome, or null for a step that ran no
/// call. Every world's lastCallEvent() is this search over its own steps.
template <class Steps, class OutcomeOf, class IsCall>
std::uint64_t lastCallEventAmong(
    const Steps& steps, OutcomeOf outcomeOf, IsCall isCall, std::size_t lookBack = kCallLookBack)
{
    for (std::size_t i = steps.size(), looked = 0; i-- > 0 && looked < lookBack; ++looked)
        if (const scenario::StepOutcome* o = outcomeOf(steps[i]))
            for (std::uint64_t seq = o->firstEvent; seq <= o->lastEvent; ++seq)
                if (isCall(seq))
                    return seq;
    return 0;
}

/// The D3DKMT call behind event `seq` of a simulator's log ("" when none): the event's own text, or
/// that of another event of the same call among the events of the step that made it (a call's text
/// sits on one of its events: the first of an offer, the last of a reclaim). `stepEvents(seq)` gives
/// that step's first and last sequence numbers, or nothing when no step made the event.
template <class StepEvents>
std::string callTextIn(const events::EventLog& log, std::uint64_t seq, StepEvents stepEvents)
{
    const events::Event* event = log.bySeq(seq);
    if (event == nullptr)
        return {};
    if (!event->callText.empty())
        return event->callText;
    if (event->call == events::ApiCall::None || event->cause != events::CauseKind::Call)
        return {};
    const std::optional<std::pair<std::uint64_t, std::uint64_t>> range = stepEvents(seq);
    if (!range)
        return {};
    for (std::uint64_t s = range->first; s <= range->second; ++s)
        if (const events::Event* e = log.bySeq(s); e != nullptr && e->call == event->call && !e->callText.empty())
            return e->callText;
    return {};
}

class World {
public:
    virtual ~World() = default;

    virtual const WorldInfo& info() const = 0;
    /// Starts over on another scenario, keeping its source (what opening a file does). The world stays
    /// the same object and its revision keeps growing, so views holding it see a change.
    virtual void reload(scenario::Scenario scenario) = 0;

    // ---- The timeline and moving on it ----------------------------------------------------------
    /// The steps the world runs (a lesson's, then actions); for a recording, the steps it was cut into.
    virtual const scenario::Scenario& scenario() const = 0;
    virtual std::size_t position() const = 0; ///< steps run (0 .. stepCount())
    virtual std::size_t stepCount() const = 0;
    bool atEnd() const { return position() >= stepCount(); }
    /// The world's clock now, in microseconds.
    virtual std::uint64_t now() const = 0;
    /// One point per position reached so far (index = position); the current one is the last.
    virtual const std::vector<TimelinePoint>& timeline() const = 0;
    /// Runs the next step; false at the end.
    virtual bool stepForward() = 0;
    /// Goes back one step; false at the start or when info().canStepBack is false.
    virtual bool stepBack() = 0;
    /// Goes to any position (back only where info().canStepBack).
    virtual void seek(std::size_t position) = 0;
    /// Runs an action as a new step after the current position (later steps are dropped). A world
    /// that cannot act answers with a call outcome of STATUS_NOT_SUPPORTED and changes nothing.
    virtual const scenario::StepOutcome& apply(scenario::Step step) = 0;

    // ---- Revisions: what the views compare to know what changed -----------------------------------
    /// Grows on every change of state (step, jump, action, reading).
    virtual std::uint64_t revision() const = 0;
    /// Grows when points of the timeline already shown were replaced (plots rebuild).
    virtual std::uint64_t timelineEpoch() const = 0;
    /// Events up to this sequence number are as they were at `sinceRevision`; later ones may differ.
    virtual std::uint64_t unchangedEventsSince(std::uint64_t sinceRevision) const = 0;

    // ---- Events and the calls behind them ---------------------------------------------------------
    virtual const events::EventLog& eventLog() const = 0;
    /// The D3DKMT call behind an event as a driver developer writes it ("" when none).
    virtual std::string callTextFor(std::uint64_t seq) const = 0;
    /// The step (0-based) whose run produced an event; -1 for none (set-up, readings between steps).
    virtual long stepOfEvent(std::uint64_t seq) const = 0;
    /// The first event of the most recent step that made a call, looking back a few steps; 0: none.
    virtual std::uint64_t lastCallEvent() const = 0;

    // ---- State now ---------------------------------------------------------------------------------
    virtual const sim::AdapterConfig& adapterConfig() const = 0;
    /// Every allocation alive now, in the shape the tables read.
    virtual void allocationSummaries(std::vector<sim::AllocationSummary>& out) const = 0;
    /// When allocation handles index slots (sim::Simulator::handleSlot), how many slots there are, so
    /// a view can index rows by slot; 0: the handles are the source's own, look them up otherwise.
    virtual std::uint32_t allocationSlots() const { return 0; }
    /// Where allocationSlots() is not 0: the rows of `which` (every slot when null) at rows[slot], as
    /// sim::Simulator::allocationSummariesBySlot() writes them; a free slot's row is Destroyed.
    virtual void allocationSummariesBySlot(
        std::vector<sim::AllocationSummary>& rows, const std::vector<std::uint32_t>* which) const
    {
        (void)which;
        rows.clear();
    }
    /// The slots whose rows may differ from what they were at `sinceRevision`, when the world kept
    /// track since then (it does from an allocationChangesSeen() at that revision until the next
    /// one). False when it cannot tell (another revision, too much changed): read every row.
    virtual bool allocationChangesSince(std::uint64_t sinceRevision, std::vector<std::uint32_t>& which) const
    {
        (void)sinceRevision;
        (void)which;
        return false;
    }
    /// The reader holds the rows of the current revision: the world keeps track of changes from here.
    virtual void allocationChangesSeen() { }
    /// The offered allocations of a segment at one level, in the order they would be discarded.
    virtual std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segment, sim::OfferLevel level) const = 0;
    /// discardOrder() into a list the caller keeps, so a view that reads it on every change of state
    /// need not allocate it anew (a world that can fill it directly does).
    virtual void discardOrderInto(std::uint32_t segment, sim::OfferLevel level, std::vector<D3DKMT_HANDLE>& out) const
    {
        out = discardOrder(segment, level);
    }
    /// Offers of a segment waiting for their GPU work (they join the order when its fence retires).
    virtual std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t segment) const = 0;
    virtual std::vector<BudgetRow> budgets() const = 0;
    virtual std::vector<ProcessRow> processes() const = 0;
    /// The policy and verifier switches in force (a live source: the model's beside it).
    virtual sim::SimPolicy policy() const = 0;
    virtual sim::VerifierSwitches verifier() const = 0;

    // ---- Names -------------------------------------------------------------------------------------
    /// "menu", "tex[2]" for an allocation this world produced, also after it was destroyed ("" when
    /// it has none, e.g. another process' pressure).
    virtual std::string allocationName(D3DKMT_HANDLE allocation) const = 0;
    /// The same for a row of allocationSummaries() (faster where the world can).
    virtual std::string allocationName(const sim::AllocationSummary& allocation) const
    {
        return allocationName(allocation.handle);
    }
    /// The name a step uses to act on the allocation ("" when no step can name it).
    virtual std::string stepName(D3DKMT_HANDLE allocation) const = 0;
    virtual std::string processName(std::uint32_t process) const = 0;
    /// Every name a step can use now (resources, allocations, processes, devices, queues).
    virtual std::vector<std::string> knownNames() const = 0;

    // ---- Words -------------------------------------------------------------------------------------
    /// The words of the last "say" at or before the position ("" when none).
    virtual std::string narration() const = 0;
    /// How the step before the position went; empty at position 0.
    virtual std::optional<StepReport> lastStep() const = 0;
    /// Every expectation of the scenario that did not hold up to the position.
    virtual std::vector<std::string> expectationFailures() const = 0;

    // ---- Housekeeping ------------------------------------------------------------------------------
    /// Work the world leaves for an idle moment (a time-travel checkpoint), so that a step costs the
    /// same every time. idleWorkDue() says whether there is some; doIdleWork() does it.
    virtual bool idleWorkDue() const { return false; }
    virtual bool doIdleWork() { return false; }
};

} // namespace offerscope::world
