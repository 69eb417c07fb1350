// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace offerscope {

/// The version of the project (one number, in the top CMakeLists.txt): "0.2.0".
std::string_view version();
/// The git revision the program was built from ("1a2b3c4d5e", "-modified" when tracked files differed
/// from it), or empty when the sources were not a git checkout.
std::string_view revision();
/// "0.2.0 (git 1a2b3c4d5e)", or "0.2.0" without a revision: what --version and the About dialog show.
std::string versionText();

} // namespace offerscope
