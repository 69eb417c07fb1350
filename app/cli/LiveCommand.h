// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kLiveHelp;
/// offerscope-cli live: the live sources of this machine, their telemetry, and probe runs beside
/// the model. Exit status: 0 done, 2 bad usage, 3 the chosen source is not available here.
int runLive(const std::vector<std::string_view>& args);

} // namespace offerscope::cli
