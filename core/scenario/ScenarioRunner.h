// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/Scenario.h"
#include "core/sim/Simulator.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace offerscope::scenario {

/// A value shared by copies until one of them changes it (checkpoints of big name maps cost nothing
/// until the next create step).
template <class T> class CopyOnWrite {
public:
    CopyOnWrite()
        : m_value(std::make_shared<T>())
    {
    }
    const T& operator*() const { return *m_value; }
    const T* operator->() const { return m_value.get(); }
    /// The value to change: copied first when another holder shares it.
    T& edit()
    {
        if (m_value.use_count() > 1)
            m_value = std::make_shared<T>(*m_value);
        return *m_value;
    }
    std::shared_ptr<const T> share() const { return m_value; }
    /// Takes a shared value back; edit() copies it before any change, so the sharer never sees one.
    void adopt(std::shared_ptr<const T> value) { m_value = std::const_pointer_cast<T>(std::move(value)); }

private:
    std::shared_ptr<T> m_value;
};

/// What one step did.
struct StepOutcome {
    std::size_t step = 0;
    bool call = false; ///< the step made an API call (its status counts for "expect status")
    Status status; ///< what the call answered; on a failure its message names the argument at fault
    std::vector<std::pair<std::string, ReclaimResult>> results; ///< reclaim: per name, in order
    std::uint64_t firstEvent = 0; ///< sequence numbers of the events the step produced
    std::uint64_t lastEvent = 0; ///< (lastEvent < firstEvent: none)
    std::string answer; ///< quiz: the engine's answer at that point
    std::string why; ///< quiz: the engine's words for it
};

/// An expectation that did not hold, with the file position and both values.
struct ExpectationFailure {
    std::size_t step = 0;
    std::string message; ///< "file:line:column: expected ..., but ..."
};

/// Runs a scenario on a fresh simulator, step by step, mapping the file's names to the handles the
/// engine gives (they are shown next to the names).
class ScenarioRunner {
public:
    explicit ScenarioRunner(const Scenario& scenario);

    const Scenario& scenario() const { return m_scenario; }
    sim::Simulator& simulator() { return *m_sim; }
    const sim::Simulator& simulator() const { return *m_sim; }

    /// Runs the next step; false when there is none left.
    bool step();
    /// Runs every remaining step.
    void runAll();
    std::size_t nextStep() const { return m_next; }

    const std::vector<StepOutcome>& outcomes() const { return m_outcomes; }
    const std::vector<ExpectationFailure>& failures() const { return m_failures; }
    std::size_t expectationsChecked() const { return m_checked; }

    /// The handle a name stands for (allocation, resource, process, device or paging queue), or 0.
    D3DKMT_HANDLE handle(const std::string& name) const;
    /// Every name with its handle, in name order ("tex -> 0x50000001", "tex[1] -> 0x40000002"): built
    /// on each call (a resource's allocations are kept as one list, not a name each), for reports.
    std::map<std::string, D3DKMT_HANDLE> names() const;
    /// How a step names an allocation: "tex" for the one allocation of resource tex, "tex[2]" for one
    /// of several (a destroyed one keeps the name it had); "" when no step created it.
    std::string stepNameOf(D3DKMT_HANDLE allocation) const;
    /// stepNameOf(), or the handle in hex.
    std::string allocationName(D3DKMT_HANDLE allocation) const;

    // ---- Sessions: steps added while running, and time travel ----------------------------------
    /// Appends a step after the last one (an action a person takes in the GUI). Returns its index.
    std::size_t appendStep(Step step);
    /// Drops the steps from `count` on (only steps not run yet: count >= nextStep()).
    void truncateSteps(std::size_t count);

    /// Everything the runner and its simulator hold at this step, but the stored events.
    struct Checkpoint {
        sim::Simulator::Checkpoint sim;
        std::shared_ptr<const std::map<std::string, D3DKMT_HANDLE>> handles;
        std::shared_ptr<const std::map<std::string, std::vector<D3DKMT_HANDLE>>> resourceAllocations;
        std::shared_ptr<const std::map<std::string, D3DKMT_HANDLE>> resourceDevice;
        std::map<D3DKMT_HANDLE, D3DKMT_HANDLE> firstQueue;
        std::size_t next = 0;
        std::size_t outcomes = 0;
        std::size_t failures = 0;
        std::size_t checked = 0;
        std::size_t lastCall = kNone;
        std::size_t lastReclaim = kNone;
        /// Memory of the name maps, counted when the checkpoint is taken (shared maps: the count of the
        /// checkpoint that made them), so that counting many checkpoints never walks a map again.
        std::size_t handlesBytes = 0, resourceAllocationsBytes = 0, resourceDeviceBytes = 0;
        /// The memory of the parts not in `seen` yet (shared parts are counted once over many checkpoints).
        std::size_t uniqueBytes(std::unordered_set<const void*>& seen) const;
    };
    /// With `previous` (an earlier checkpoint of this run), what did not change since is shared with it.
    Checkpoint checkpoint(const Checkpoint* previous = nullptr);
    /// What going back cut from the run: the events, step outcomes and failed expectations after the
    /// point returned to. A later checkpoint of the same run can be restored with them.
    struct Cut {
        std::deque<events::Event> events;
        std::vector<StepOutcome> outcomes;
        std::vector<ExpectationFailure> failures;
        void clear();
    };
    /// Returns to a checkpoint of this run (the steps stay: the ones after it can be run again).
    /// Back: what is cut goes into m_cut. Forward (a checkpoint after the current step): only when
    /// canRestoreForward() says the cut holds everything up to it.
    void restore(const Checkpoint& checkpoint);
    bool canRestoreForward(const Checkpoint& checkpoint) const;

private:
    void buildWorld();
    StepOutcome execute(const Step& step);
    void check(const Step& step);
    /// The engine's answer to a quiz step now, with its reason (nothing changes).
    void answerQuiz(const Step& step, StepOutcome& out) const;
    /// Allocation handles for names: "tex[1]" is one allocation, "tex" all of tex's allocations.
    std::vector<D3DKMT_HANDLE> allocationHandles(const std::vector<std::string>& names) const;
    D3DKMT_HANDLE deviceFor(const Step& step, const std::vector<D3DKMT_HANDLE>& allocations) const;
    D3DKMT_HANDLE queueFor(const Step& step, D3DKMT_HANDLE device) const;
    std::string where(TextPosition at) const;

    Scenario m_scenario;
    std::unique_ptr<sim::Simulator> m_sim;
    CopyOnWrite<std::map<std::string, D3DKMT_HANDLE>> m_handles;
    CopyOnWrite<std::map<std::string, std::vector<D3DKMT_HANDLE>>> m_resourceAllocations;
    CopyOnWrite<std::map<std::string, D3DKMT_HANDLE>> m_resourceDevice; ///< resource name -> its device
    std::map<D3DKMT_HANDLE, D3DKMT_HANDLE> m_firstQueue; ///< device -> its first paging queue
    std::size_t m_next = 0;
    std::vector<StepOutcome> m_outcomes;
    std::vector<ExpectationFailure> m_failures;
    std::size_t m_checked = 0;
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t m_lastCall = kNone; ///< index into m_outcomes
    std::size_t m_lastReclaim = kNone;
    Cut m_cut; ///< the run after the current step, as far as it went before going back
};

} // namespace offerscope::scenario
