// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Memory of this process, as Linux reports it, for the benchmarks' figures.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace offerscope::bench {

/// Resident set size now.
inline std::uint64_t rssBytes()
{
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

/// The highest resident set size so far (VmHWM).
inline std::uint64_t peakRssBytes()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
    return 0;
}

} // namespace offerscope::bench
