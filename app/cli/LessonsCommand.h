// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace offerscope::cli {

extern const char* const kLessonsHelp;

/// The lessons installed with the program: <prefix>/share/offerscope/lessons beside <prefix>/bin (Linux
/// packages and cmake --install), or lessons\ beside the .exe (the Windows zip). Empty when there are none
/// (a build folder).
std::string installedLessonsDir();

/// FILE as given when it is there; else, for a bare lesson name ("03-auto-priority.jsonc", or
/// "03-auto-priority"), the installed lesson of that name; else FILE unchanged (its reading then says it
/// cannot be opened).
std::string findScenarioFile(const std::string& file);

/// offerscope-cli lessons: the installed lessons, one per line: file name, title.
int runLessons(const std::vector<std::string_view>& args);

} // namespace offerscope::cli
