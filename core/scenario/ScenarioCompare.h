// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/ScenarioRunner.h"

#include <string>
#include <string_view>
#include <vector>

namespace offerscope::scenario {

/// Applies one what-if setting to a scenario's starting world. Keys:
///   policy.withinPriorityOrder=oldest-first|largest-first|smallest-first
///   policy.rejectRedundantCalls|offeredCountsInUsage|enforceBudgetOnShrink=true|false
///   policy.reclaim2Output=results|discarded
///   verifier.alwaysDiscardOffer|neverDiscardOffer|alwaysDecommitOffer|alwaysProcessOfferList=true|false
///   budget.PROCESS.local|nonLocal=SIZE
///   processVerifier.PROCESS.alwaysFailCommitOnReclaim=true|false
///   step.N.priority=LOW|NORMAL|HIGH|AUTO (the offer made by step N, 1-based)
/// A policy or verifier setting holds until a step of the scenario changes that same switch itself (a
/// step carries every switch as it stands after it: the ones it did not change take the new value). An unknown key or a
/// bad value fails with STATUS_INVALID_PARAMETER and "--set KEY=VALUE: what is wrong"; the scenario is then unchanged.
Status applySetting(Scenario& scenario, std::string_view assignment);

/// Where two runs of (variants of) one scenario part ways.
struct Comparison {
    bool identical = true;
    std::size_t firstDifferentEvent = 0; ///< events after each run's world setup (valid when !identical)
    std::size_t stepOfDifference = 0; ///< the step whose events differ first (0-based)
    struct ResultDifference {
        std::size_t step = 0;
        std::string name;
        std::string a, b; ///< "OK", "DISCARDED", "NOT_COMMITTED", or the failing status
    };
    std::vector<ResultDifference> results;
    std::vector<std::pair<std::size_t, std::string>> statusDifferences; ///< step, "A ... / B ..."
};

Comparison compareRuns(const ScenarioRunner& a, const ScenarioRunner& b);

/// The printable account of a comparison.
std::string formatComparison(
    const ScenarioRunner& a, const ScenarioRunner& b, const Comparison& c, const std::vector<std::string>& settings);

} // namespace offerscope::scenario
