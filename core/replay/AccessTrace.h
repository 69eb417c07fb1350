// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "core/d3dkmt/D3dkmtTypes.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace offerscope::replay {

/// One access of a trace: the application needs object `object` (dense id) of `size` bytes.
struct TraceAccess {
    std::uint32_t object = 0;
    OfferPriority priority = OfferPriority::None; ///< None: use the replay's default
    std::uint64_t size = 0;
};

/// An access trace: one access per line, `object_id,size_bytes[,priority]`. Blank lines and lines
/// starting with '#' are skipped. Object ids are any text without commas; they are numbered densely.
struct AccessTrace {
    std::vector<TraceAccess> accesses;
    std::uint32_t objectCount = 0;
};

/// Parses a trace. On error fails with STATUS_DATA_ERROR and "file:line:column: message".
Result<AccessTrace> parseAccessTrace(std::string_view text, std::string_view fileName);
/// Reads and parses a file; errors as above, and as readTextFile() says for a file that cannot be read.
Result<AccessTrace> readAccessTrace(const std::string& path);

} // namespace offerscope::replay
