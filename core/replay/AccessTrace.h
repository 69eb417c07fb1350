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

/// Parses a trace in OfferScope's format. On error fails with STATUS_DATA_ERROR and
/// "file:line:column: message". (Other formats, and reading a batch at a time: TraceReader.h.)
Result<AccessTrace> parseAccessTrace(std::string_view text, std::string_view fileName);
/// Reads a whole file, in the format its name suggests (guessTraceFormat()); errors as above, and
/// "PATH: cannot open the trace file" (STATUS_OBJECT_NAME_NOT_FOUND).
Result<AccessTrace> readAccessTrace(const std::string& path);

} // namespace offerscope::replay
