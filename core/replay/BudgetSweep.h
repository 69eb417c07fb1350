// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The budget curve of a cache: an access trace replayed once per budget (TraceReplayer.h), the
// replays spread over the machine's cores, and the knee of the curve — the budget past which more
// memory buys little. The command line's `replay --sweep` and the window's budget curve both use it.

#include "core/Result.h"
#include "core/replay/TraceReplayer.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace offerscope::replay {

struct SweepPoint {
    std::uint64_t budget = 0;
    ReplayStats stats;
    /// The miss ratio, as cache simulators count it: (creations + DISCARDED + too large) / accesses
    /// (ReplayStats::missRatio). Its discard ratio is stats.discardRatio().
    double missRatio() const { return stats.missRatio(); }
};

struct BudgetCurve {
    std::vector<SweepPoint> points; ///< by budget, smallest first
    /// The knee: the point farthest below the straight line from the first point to the last (budget
    /// and miss ratio both scaled to 0..1); none with fewer than three points, or when no point is below
    /// that line (a flat curve, or one that falls faster the more budget it gets).
    std::optional<std::size_t> knee;
    bool cancelled = false; ///< the sweep was stopped: `points` holds the budgets replayed
};

struct SweepProgress {
    std::function<void(std::size_t done, std::size_t total)> report; ///< from any of the sweep's threads
    std::function<bool()> cancelled;
};

/// Budgets to try for a trace: `count` budgets spaced evenly on a log scale, from the largest object
/// (below it, that object is never cached) to the bytes of all objects (past it, nothing is discarded),
/// rounded to whole MiB above 16 MiB.
std::vector<std::uint64_t> defaultBudgets(const AccessTrace& trace, std::size_t count = 16);

/// Replays `trace` at every budget (sorted, duplicates dropped), `threads` replays at a time (0: one
/// per core). Fails like replayTrace (the first failing budget, by budget) or with
/// STATUS_INVALID_PARAMETER when `budgets` is empty.
Result<BudgetCurve> sweepBudgets(const AccessTrace& trace, std::vector<std::uint64_t> budgets, ReplayOptions options,
    unsigned threads = 0, const SweepProgress& progress = {});

/// The knee of a curve (see BudgetCurve::knee).
std::optional<std::size_t> kneeOf(const std::vector<SweepPoint>& points);

/// The table the command line prints: one line per budget, the knee marked, then the knee in words.
std::string formatBudgetCurve(const BudgetCurve& curve);

} // namespace offerscope::replay
