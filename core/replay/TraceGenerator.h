// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/replay/AccessTrace.h"
#include "core/replay/TraceReader.h"

#include <cstdint>
#include <string>

namespace offerscope::replay {

/// A synthetic texture-cache workload: `objects` objects whose sizes are powers of two between
/// minSize and maxSize, accessed with a Zipf-like popularity (skew 0 = uniform). Deterministic for
/// a seed on every platform (own PRNG and sampling, no std:: distributions).
struct TraceShape {
    std::uint32_t objects = 1000;
    std::uint64_t accesses = 10000;
    std::uint64_t minSize = 64 * 1024;
    std::uint64_t maxSize = 16 * 1024 * 1024;
    double skew = 0.8;
    std::uint64_t seed = 1;
};

AccessTrace generateTrace(const TraceShape& shape);
/// The trace as file text, `object_id,size_bytes` per line.
std::string formatTrace(const AccessTrace& trace);
/// The columns writeTrace() gives a csv trace: time,obj_id,obj_size under a header line.
CsvColumns writtenCsvColumns();
/// Writes the trace to `out` in a format, a buffer at a time: OfferScope's text (formatTrace), libCacheSim's
/// csv (writtenCsvColumns) or its oracleGeneral binary (the time of an access is its number; the next
/// access of the same object computed, -1 for none). Object ids are the trace's dense numbers. Fails with
/// "NAME: cannot write the trace" when a write fails.
Status writeTrace(const AccessTrace& trace, TraceFormat format, std::FILE* out, const std::string& name);

} // namespace offerscope::replay
