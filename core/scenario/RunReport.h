// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/ScenarioRunner.h"

#include <string>

namespace offerscope::scenario {

/// The machine-readable report of a run: the scenario, every event with its explanation and D3DKMT
/// call shape, each step's status and reclaim results, the expectations, and final statistics of every
/// segment and process. Deterministic: two runs of the same scenario give the same text.
std::string runReportJson(const ScenarioRunner& runner);

/// The event table as CSV (RFC 4180 quoting), one row per event, with a header row.
std::string eventsCsv(const events::EventLog& log);

} // namespace offerscope::scenario
