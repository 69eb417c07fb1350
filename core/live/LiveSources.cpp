// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/LiveSources.h"

#include "core/live/LiveBackend.h"

namespace offerscope::live {

std::vector<SourceInfo> dataSources()
{
    std::vector<SourceInfo> out;
    out.push_back({ BackendKind::Simulator, "Simulator", true, {} });
    for (const auto& [kind, name] : { std::pair { BackendKind::Windows, "Windows (D3DKMT)" },
             std::pair { BackendKind::Wsl2, "WSL2 (/dev/dxg)" } }) {
        const auto opened = openLiveBackend(kind);
        out.push_back({ kind, name, opened.ok(), opened.message() });
    }
    return out;
}

} // namespace offerscope::live
