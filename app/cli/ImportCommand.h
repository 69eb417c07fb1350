// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kImportHelp;
/// offerscope-cli import FILE: what a recording (.etl) holds, and with --events its decoded events.
int runImport(const std::vector<std::string_view>& args);

extern const char* const kCheckTraceHelp;
/// offerscope-cli check-trace FILE: the model replayed on what the recording's applications did,
/// against what VidMm did.
int runCheckTrace(const std::vector<std::string_view>& args);

} // namespace offerscope::cli
