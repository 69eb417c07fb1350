// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace offerscope {

/// Reads a whole file. On failure returns false and sets `error` to "PATH: cannot open the WHAT file"
/// or "PATH: read error".
bool readTextFile(const std::string& path, const char* what, std::string& text, std::string& error);

} // namespace offerscope
