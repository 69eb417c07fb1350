// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Backend.h"
#include "core/scenario/Scenario.h"

#include <string>
#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kLiveHelp;
/// offerscope-cli live: the live sources of this machine, their telemetry, and probe runs beside
/// the model. Exit status: 0 done, 2 bad usage, 3 the chosen source is not available here.
int runLive(const std::vector<std::string_view>& args);

/// "windows" or "wsl2" as a backend kind; false for anything else.
bool parseLiveSource(std::string_view text, BackendKind& kind);

/// offerscope-cli run FILE --source S: the scenario's steps on the live source and on the model
/// configured like it, every live call printed, steps the source cannot run and the places where
/// driver and model differ said in words, the scenario's expectations checked against the driver.
/// `csvOut`: the live event log as CSV ("" none, "-" standard output). Exit status: 0 every
/// expectation holds, 1 one does not, 2 the CSV cannot be written, 3 the source is not available.
int runScenarioLive(const scenario::Scenario& scenario, BackendKind kind, bool calls, const std::string& csvOut);

} // namespace offerscope::cli
