// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/LiveSources.h"

#include <filesystem>

namespace offerscope {

std::vector<SourceInfo> dataSources()
{
    std::vector<SourceInfo> out;
    out.push_back({ "Simulator", true, {} });
#ifdef _WIN32
    out.push_back({ "Windows (D3DKMT)", false, "not available: the live Windows backend is not built yet" });
#else
    out.push_back({ "Windows (D3DKMT)", false, "not available: this is not Windows (gdi32.dll D3DKMT calls)" });
#endif
    std::error_code ec;
    if (!std::filesystem::exists("/dev/dxg", ec))
        out.push_back({ "WSL2 (/dev/dxg)", false, "not available: /dev/dxg not found" });
    else
        out.push_back({ "WSL2 (/dev/dxg)", false, "not available: the live WSL2 backend is not built yet" });
    return out;
}

} // namespace offerscope
