// SPDX-License-Identifier: GPL-3.0-or-later
// version() and revision() are in the file the build generates (scripts/cmake/WriteVersion.cmake).
#include "core/Version.h"

namespace offerscope {

std::string versionText()
{
    std::string text(version());
    if (!revision().empty())
        text += " (git " + std::string(revision()) + ")";
    return text;
}

} // namespace offerscope
