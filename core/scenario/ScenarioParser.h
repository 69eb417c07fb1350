// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "core/scenario/Scenario.h"

#include <string>
#include <string_view>

namespace offerscope::scenario {

/// Parses a scenario file (JSON, comments allowed). On any problem fails with STATUS_DATA_ERROR and the
/// message "file:line:column: what is wrong"; no scenario comes back then.
/// Misuse of the API that Windows itself rejects (both arrays in an offer, a present resource offered
/// by resource handle, ...) is not a file error: it parses, and running it shows the status.
Result<Scenario> parseScenario(std::string_view text, std::string_view fileName);

/// Reads and parses a file; a missing or unreadable file fails as readTextFile() says, naming the path.
Result<Scenario> readScenario(const std::string& path);

} // namespace offerscope::scenario
