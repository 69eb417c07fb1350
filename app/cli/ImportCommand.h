// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kImportHelp;
/// offerscope-cli import FILE: what a recording (.etl) holds, and with --events its decoded events.
int runImport(const std::vector<std::string_view>& args);

} // namespace offerscope::cli
