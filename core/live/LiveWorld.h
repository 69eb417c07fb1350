// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A live source as every view of the program sees it: the steps of a scenario (a lesson's, or the
// actions a person takes) run on the live source through the Backend calls, the same steps run on
// the model configured like the live adapter, and the state the views show is built from what the
// live source really answered: its readings, its event log, and the program's own probe allocations
// followed through the statuses and reclaim results the driver returned. Nothing is invented: a
// figure the driver did not report stays empty, a step the live source cannot run says why.

#include "core/live/LiveBackend.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/session/Session.h"
#include "core/sim/Simulator.h"
#include "core/world/World.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace offerscope::live {

/// One step as it ran on both sides.
struct LiveStepRecord {
    std::size_t step = 0; ///< index in the scenario
    bool ran = true; ///< false: the live source cannot run this kind of step (notRun says why)
    std::string notRun;
    scenario::StepOutcome live;
    scenario::StepOutcome model;
    std::string difference; ///< where the driver's answer and the model's prediction differ ("" when not)
    std::vector<std::string> expectationFailures; ///< "file:line:column: expected ..., but the driver ..."
    std::size_t expectationsSkipped = 0; ///< expectations the live source cannot observe
};

/// What the live half of a step needs, copied out of the world so that it can run on a worker while
/// the views read the world: the names the steps use and where the model's segments are on the source.
struct LiveCallContext {
    std::map<std::string, D3DKMT_HANDLE> handles; ///< the scenario's names -> live handles
    std::map<std::string, std::vector<D3DKMT_HANDLE>> resourceAllocations;
    std::vector<std::optional<std::uint32_t>> segmentIds; ///< model segment -> live segment id
    D3DKMT_HANDLE hAdapter = 0;
};

/// A step as the live source answered it, before the world takes it in (LiveWorld::applyCalled).
struct LiveCall {
    scenario::Step step;
    LiveStepRecord record; ///< ran or why not, and the live outcome; its events are placed when taken in
    std::optional<CreatedResource> created; ///< what a create step made
    std::vector<events::Event> events; ///< what the calls recorded, when made on another thread than the log's
};

class LiveWorld final : public world::World {
public:
    /// Opens the first adapter of `backend`. The scenario's steps are run by stepForward() (its
    /// adapter is replaced by the live one; processes, devices and queues all stand for the program
    /// itself and its probe device). An empty scenario gets one process with a device "probes".
    /// `firstReading`: a reading of its first adapter already taken (on a worker); else it reads now.
    LiveWorld(std::unique_ptr<LiveBackend> backend, scenario::Scenario scenario,
        std::optional<LiveSample> firstReading = std::nullopt);
    ~LiveWorld() override;
    LiveWorld(const LiveWorld&) = delete;
    /// The process id of the program itself (its probes) in processes() and budgets().
    static constexpr std::uint32_t kOwnProcess = 0;
    LiveWorld& operator=(const LiveWorld&) = delete;

    /// Destroys the probes still alive and hands the source over (to a world on another scenario).
    std::unique_ptr<LiveBackend> takeBackend();

    LiveBackend& backend() { return *m_backend; }
    const LiveBackend& backend() const { return *m_backend; }
    /// The adapter read (empty when the source has none: then nothing is read).
    const std::optional<AdapterDesc>& adapter() const { return m_adapter; }
    /// The model beside the live source: a session on the scenario with the live adapter's segments.
    const session::Session& model() const { return *m_model; }
    const LiveSample& lastSample() const { return m_sample; }
    /// The name steps use for the program's probe device: the scenario's first device.
    std::string probeDeviceName() const;

    /// Reads the adapter now; the current point of the timeline shows the reading.
    void sample();
    /// The slow half of sample(): reads the adapter (callable on a worker thread; it holds the
    /// backend's call mutex, so a step waits for it). Changes nothing the views read.
    LiveSample readSample();
    /// The other half, on the views' thread: the current point shows the reading, and what the
    /// reading recorded on the worker joins the event log.
    void applySample(LiveSample reading);
    /// Whether each step (and reload) reads the adapter at once (true: the command line, tests); a
    /// window reads on its worker instead and leaves this off.
    void setReadsAfterSteps(bool reads) { m_readsAfterSteps = reads; }
    /// Runs an action as a new step after the current position (the model drops the steps after
    /// it, as Session::apply does) on both sides; the record says how each side answered.
    const LiveStepRecord& applyStep(scenario::Step step);
    const std::vector<LiveStepRecord>& records() const { return m_records; }

    // A step in two halves, for a worker: callLive() makes the live source's calls (any thread; it
    // holds the backend's call mutex and reads nothing of the world but `context`), applyCalled()
    // takes the answer in on the views' thread, runs the model's side and grows the timeline, as
    // applyStep() does. A batch of steps on a worker shares one context: a create step adds its names.
    LiveCallContext callContext() const;
    LiveCall callLive(scenario::Step step, LiveCallContext& context);
    const LiveStepRecord& applyCalled(LiveCall call);

    // ---- World -----------------------------------------------------------------------------------
    const world::WorldInfo& info() const override { return m_info; }
    /// The same source on another scenario (the probes of this one are destroyed).
    void reload(scenario::Scenario scenario) override;
    const scenario::Scenario& scenario() const override { return m_model->scenario(); }
    std::size_t position() const override { return m_model->position(); }
    std::size_t stepCount() const override { return m_model->stepCount(); }
    /// Milliseconds since the source was opened, as of the last reading (in microseconds).
    std::uint64_t now() const override { return m_sample.atMs * 1000; }
    /// One point per position: the state after that many steps, the current one kept up to date.
    const std::vector<world::TimelinePoint>& timeline() const override { return m_timeline; }
    /// Runs the scenario's next step on the live source and on the model; false at the end.
    bool stepForward() override;
    /// What a live source did cannot be undone: always false.
    bool stepBack() override { return false; }
    /// Forward only: runs the steps up to `position`.
    void seek(std::size_t position) override;
    /// The live source's answer to the action (applyStep() has both sides).
    const scenario::StepOutcome& apply(scenario::Step step) override { return applyStep(std::move(step)).live; }

    /// Grows on every reading and step.
    std::uint64_t revision() const override { return m_revision; }
    /// A reading replaces the current point: grows with every reading and every dropped step.
    std::uint64_t timelineEpoch() const override { return m_timelineEpoch; }
    /// The live log only grows.
    std::uint64_t unchangedEventsSince(std::uint64_t) const override { return eventLog().lastSeq(); }

    /// The live source's calls and what they returned.
    const events::EventLog& eventLog() const override { return m_backend->eventLog(); }
    std::string callTextFor(std::uint64_t seq) const override;
    /// The step whose run produced a live event, -1 for none (readings between steps).
    long stepOfEvent(std::uint64_t seq) const override;
    std::uint64_t lastCallEvent() const override;

    const sim::AdapterConfig& adapterConfig() const override { return m_model->adapterConfig(); }
    /// The program's own probe allocations now, in the shape the simulator's views read.
    void allocationSummaries(std::vector<sim::AllocationSummary>& out) const override;
    /// The probes offered at a level, in the order the model would discard them (then by offer
    /// time): the driver decides the real order, which no D3DKMT call reports.
    std::vector<D3DKMT_HANDLE> discardOrder(std::uint32_t segment, sim::OfferLevel level) const override;
    /// None: the live source reports no offer waiting for its GPU work (the probes submit none).
    std::vector<D3DKMT_HANDLE> pendingOffers(std::uint32_t) const override { return {}; }
    /// Budgets and usage: the program's own (QueryVideoMemoryInfo) and other processes' where the
    /// source reports them (QueryStatistics PROCESS_SEGMENT_GROUP).
    std::vector<world::BudgetRow> budgets() const override;
    /// The program itself (its probes); other processes appear only in budgets().
    std::vector<world::ProcessRow> processes() const override;
    sim::SimPolicy policy() const override { return m_model->policy(); }
    sim::VerifierSwitches verifier() const override { return m_model->verifier(); }

    /// "tex[1]" for a probe allocation (also after it was destroyed), "" for a handle not the program's.
    std::string allocationName(D3DKMT_HANDLE allocation) const override;
    /// The probe's name is the scenario's name: steps act on it by that name.
    std::string stepName(D3DKMT_HANDLE allocation) const override { return allocationName(allocation); }
    std::string processName(std::uint32_t process) const override;
    std::vector<std::string> knownNames() const override;

    std::string narration() const override { return m_model->narration(); }
    std::optional<world::StepReport> lastStep() const override;
    /// The lesson's expectations checked against the driver's answers.
    std::vector<std::string> expectationFailures() const override;

private:
    struct Probe {
        D3DKMT_HANDLE handle = 0;
        D3DKMT_HANDLE resource = 0;
        std::string name; ///< "tex[1]", or "tex" for a resource of one allocation
        std::uint64_t size = 0;
        std::uint32_t segment = 0;
        std::uint32_t ordinal = 0;
        std::uint32_t resourceAllocations = 1;
        UINT residencyPriority = ResidencyPriority::kNormal;
        sim::AllocationState state = sim::AllocationState::Resident;
        OfferPriority priority = OfferPriority::None;
        bool allowDecommit = false;
        std::uint64_t offerTime = 0; ///< order of offers (a counter: the live source has no clock)
    };

    void start(scenario::Scenario scenario);
    LiveStepRecord runLive(const scenario::Step& step);
    /// Places a call's events (those recorded since `before`, worker's included), learns its names
    /// and follows the probes.
    LiveStepRecord takeIn(LiveCall call, std::uint64_t before);
    /// Drops the steps after the position (an action replaces what lay ahead).
    void dropAhead();
    void follow(const scenario::Step& step, const scenario::StepOutcome& outcome);
    void check(const scenario::Step& step, LiveStepRecord& record) const;
    void afterStep(LiveStepRecord record);
    session::TimelinePoint point() const;
    Probe* probe(D3DKMT_HANDLE handle);
    void destroyProbes();
    std::vector<D3DKMT_HANDLE> allocationsNamed(const scenario::Step& step) const;

    std::unique_ptr<LiveBackend> m_backend;
    std::optional<AdapterDesc> m_adapter;
    std::vector<std::optional<std::uint32_t>> m_segmentIds; ///< model segment -> live segment id
    world::WorldInfo m_info;
    std::unique_ptr<session::Session> m_model;
    LiveSample m_sample;
    std::vector<session::TimelinePoint> m_timeline;
    std::vector<LiveStepRecord> m_records;
    std::map<std::string, D3DKMT_HANDLE> m_handles; ///< the scenario's names -> live handles
    std::map<std::string, std::vector<D3DKMT_HANDLE>> m_resourceAllocations;
    std::vector<Probe> m_probes; ///< created order; destroyed ones stay (their names)
    std::uint64_t m_offers = 0;
    std::uint64_t m_revision = 0;
    std::uint64_t m_timelineEpoch = 0;
    bool m_readsAfterSteps = true;
};

/// The simulator's adapter as the live one reports it: its segments and sizes.
sim::AdapterConfig adapterConfigFrom(const AdapterDesc& adapter);

/// The model's world for a live source: the scenario with the live adapter's segments and, where the
/// reading has them, the program's budgets; an empty scenario gets a process and a device "probes".
scenario::Scenario liveModelScenario(scenario::Scenario scenario, const AdapterDesc* adapter, const LiveSample& sample);

} // namespace offerscope::live
