// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kPracticeHelp;
/// offerscope-cli practice --seed N --level L: exercises made and answered by the engine, asked in the
/// terminal (answers read from standard input) and graded at once, with the engine's explanation.
int runPractice(const std::vector<std::string_view>& args);

} // namespace offerscope::cli
