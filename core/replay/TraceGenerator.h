// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/replay/AccessTrace.h"

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

} // namespace offerscope::replay
