// SPDX-License-Identifier: GPL-3.0-or-later
// The whole-trace entry points, through the one reader of every format (TraceReader.cpp).
#include "core/replay/AccessTrace.h"

#include "core/replay/TraceReader.h"

namespace offerscope::replay {

Result<AccessTrace> parseAccessTrace(std::string_view text, std::string_view fileName)
{
    const std::unique_ptr<TraceReader> reader
        = TraceReader::fromMemory(std::string(text), std::string(fileName), TraceFormat::OfferScope);
    AccessTrace trace;
    trace.accesses.reserve(text.size() / 12);
    std::vector<TraceAccess> batch;
    while (reader->next(batch, 1 << 16))
        trace.accesses.insert(trace.accesses.end(), batch.begin(), batch.end());
    if (!reader->status().ok())
        return reader->status();
    trace.objectCount = reader->objectCount();
    return trace;
}

Result<AccessTrace> readAccessTrace(const std::string& path)
{
    return readAccessTrace(TraceSource { path, guessTraceFormat(path), {} });
}

} // namespace offerscope::replay
