// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/Scenario.h"

#include <string>
#include <string_view>

namespace offerscope::scenario {

/// Parses a scenario file (JSON, comments allowed). On any problem returns false and sets `error` to
/// "file:line:column: message" naming what is wrong and where; nothing of the scenario is usable then.
/// Misuse of the API that Windows itself rejects (both arrays in an offer, a present resource offered
/// by resource handle, ...) is not a file error: it parses, and running it shows the status.
bool parseScenario(std::string_view text, std::string_view fileName, Scenario& scenario, std::string& error);

/// Reads and parses a file (a missing or unreadable file is an error naming the path).
bool readScenario(const std::string& path, Scenario& scenario, std::string& error);

} // namespace offerscope::scenario
