// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"

#include <string>

namespace offerscope {

/// Reads a whole file. Fails with STATUS_OBJECT_NAME_NOT_FOUND, "PATH: cannot open the WHAT file", or
/// STATUS_UNSUCCESSFUL, "PATH: read error".
Result<std::string> readTextFile(const std::string& path, const char* what);

} // namespace offerscope
