// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The D3DKMT call behind an offer or reclaim step, built once for whoever runs the step: the
// scenario runner on the simulator, a live world on a live source. Both keep the handles the names
// of the scenario stand for; the call goes to any Backend.

#include "core/Backend.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"

#include <map>
#include <string>
#include <vector>

namespace offerscope::scenario {

/// The handles a run gave the scenario's names.
struct NameTable {
    const std::map<std::string, D3DKMT_HANDLE>& handles; ///< "tex" (resource), processes, devices, queues
    const std::map<std::string, std::vector<D3DKMT_HANDLE>>& resourceAllocations; ///< "tex" -> its allocations

    /// The handle of a name; "tex[1]" is found in tex's allocations.
    D3DKMT_HANDLE handle(const std::string& name) const;
    /// "tex[1]" is one allocation, "tex" all of tex's allocations; unknown names give none.
    std::vector<D3DKMT_HANDLE> allocations(const std::vector<std::string>& names) const;
};

/// Runs an offer or reclaim step's call on `backend`: both D3DKMT arrays filled as the step says
/// (both, neither and a wrong count are mistakes a lesson may show: the backend answers them).
/// Reclaims use ReclaimAllocations (version 1) or ReclaimAllocations2 on `queue`, with pResults when
/// `reclaimResults`, otherwise pDiscarded. Fills out.call, out.status and, on success, out.results.
void runOfferOrReclaim(Backend& backend, const Step& step, const NameTable& names, D3DKMT_HANDLE device,
    D3DKMT_HANDLE queue, bool reclaimResults, StepOutcome& out);

/// Where a step's call goes: what the step's device, paging queue, process and adapter stand for in
/// the run (on a live source: the program's probe device and queue, the current process).
struct CallTarget {
    D3DKMT_HANDLE device = 0;
    D3DKMT_HANDLE queue = 0;
    D3DKMT_HANDLE process = 0;
    D3DKMT_HANDLE adapter = 0;
};

/// Runs the call of any step that calls a backend with D3DKMT arguments: offer and reclaim (as
/// runOfferOrReclaim), MakeResident, Evict, a reservation change, a commitment trim. The arguments
/// are built here once, for the scenario runner and the live world alike. Returns false (and leaves
/// `out` alone) for any other kind of step.
bool runStepCall(Backend& backend, const Step& step, const NameTable& names, const CallTarget& target,
    bool reclaimResults, StepOutcome& out);

} // namespace offerscope::scenario
