// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The model against a recording: what the recording's applications did (allocations created and
// destroyed, offers with their priorities, reclaims, budget changes; other processes' allocations are
// their commitments) is replayed on the simulator configured from the recorded segments and budgets,
// and what the model did is compared with what VidMm did: which allocations were discarded, what the
// reclaims found, the usage per process. Run under several settings of the model's [choice]s, the
// check says which explains the recording best.

#include "core/sim/SimTypes.h"
#include "core/trace/RecordingWorld.h"

#include <string>
#include <vector>

namespace offerscope::trace {

/// One replay of the recording on the model under one policy.
struct CheckRun {
    std::string label; ///< "withinPriorityOrder=oldest-first", ...
    sim::SimPolicy policy;
    std::uint64_t reclaims = 0, reclaimsAgree = 0; ///< reclaims with a recorded result, and those the model matched
    std::uint64_t discardsRecorded = 0, discardsModel = 0, discardsBoth = 0; ///< discarded allocations
    std::uint64_t usages = 0, usagesAgree = 0; ///< recorded usage figures the model matched (within 1 MiB)
    std::uint64_t skipped = 0; ///< recorded actions the model could not replay (size or segment unknown, ...)
    std::vector<std::string> divergences; ///< the first ones, each with its time and both sides
    /// The share of everything compared that agrees (reclaims, discards, usage), 0..1; 1 when nothing was compared.
    double agreement() const;
};

struct TraceCheck {
    bool possible = true;
    std::string whyNot; ///< when the recording lacks what a replay needs (segment sizes)
    std::vector<CheckRun> runs; ///< the model's defaults first, then the other settings tried
    std::size_t best = 0; ///< the run that agrees most (the defaults on a tie)
};

/// How many divergences a run keeps.
inline constexpr std::size_t kMaxDivergences = 10;

/// Replays the recording under one policy. `progress` (optional) hears the share of it replayed and
/// may stop it: a stopped run compares only what was replayed.
CheckRun checkRecording(const RecordingWorld& recording, const sim::SimPolicy& policy, std::string label,
    const ImportProgress& progress = {});
/// Replays it under the model's defaults and under each within-priority order and the [choice]s that
/// change which offers go: the defaults first. `progress` hears the share of all the replays done; a
/// cancelled check keeps the runs finished before it.
TraceCheck checkTrace(const RecordingWorld& recording, const ImportProgress& progress = {});

std::string formatTraceCheck(const TraceCheck& check, const RecordingWorld& recording);
std::string traceCheckJson(const TraceCheck& check, const RecordingWorld& recording);

} // namespace offerscope::trace
