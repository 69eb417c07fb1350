// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The sources of data a person can pick: the simulator, and the live D3DKMT sources of this machine
// with the reason when one is not available.

#include <string>
#include <vector>

namespace offerscope {

struct SourceInfo {
    std::string name; ///< "Simulator", "Windows (D3DKMT)", "WSL2 (/dev/dxg)"
    bool available = false;
    std::string reason; ///< why it is not available ("" when it is)
};

/// The simulator first, then each live source with its availability on this machine.
std::vector<SourceInfo> dataSources();

} // namespace offerscope
