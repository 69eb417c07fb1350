// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The sources of data a person can pick: the simulator, and the live D3DKMT sources of this machine
// with the reason when one is not available.

#include "core/Backend.h"

#include <string>
#include <vector>

namespace offerscope::live {

struct SourceInfo {
    BackendKind kind = BackendKind::Simulator; ///< what to open when it is picked
    std::string name; ///< "Simulator", "Windows (D3DKMT)", "WSL2 (/dev/dxg)"
    bool available = false;
    std::string reason; ///< why it is not available ("" when it is)
};

/// The simulator first, then each live source with its availability on this machine. Finding out
/// opens each live source once (on Windows a D3D11 device is created): it is slow work.
std::vector<SourceInfo> dataSources();

} // namespace offerscope::live
