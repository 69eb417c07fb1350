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
    const std::map<std::string, D3DKMT_HANDLE>& handles; ///< "tex" (resource), "tex[1]" (allocation), ...
    const std::map<std::string, std::vector<D3DKMT_HANDLE>>& resourceAllocations; ///< "tex" -> its allocations

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

} // namespace offerscope::scenario
