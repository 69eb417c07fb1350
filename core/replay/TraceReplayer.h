// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/replay/AccessTrace.h"

#include <cstdint>
#include <functional>
#include <string>

namespace offerscope::replay {

struct ReplayOptions {
    std::uint64_t budget = 0; ///< size of the one LOCAL segment and the process' budget
    OfferPriority priority = OfferPriority::Low; ///< for accesses that name none
    bool logEvents = false; ///< keep the simulator's event log (slow for big traces)
    /// A hit (an object still offered in memory) as one fused reclaim + offer (sim::FastPaths::reuse),
    /// which leaves the same state as the two calls; false: the two calls (tests compare the two).
    bool fuseHits = true;
};

struct ReplayStats {
    std::uint64_t accesses = 0;
    std::uint64_t creations = 0; ///< first use of an object
    std::uint64_t recreations = 0; ///< after NOT_COMMITTED or a size change
    std::uint64_t reclaimsOk = 0;
    std::uint64_t reclaimsDiscarded = 0;
    std::uint64_t reclaimsNotCommitted = 0;
    std::uint64_t tooLarge = 0; ///< accesses to objects larger than the budget (never cached)
    std::uint64_t bytesRegenerated = 0; ///< content rebuilt after DISCARDED / NOT_COMMITTED
    std::uint64_t bytesCreated = 0;
    std::uint64_t liveAllocations = 0; ///< at the end
    std::uint64_t simulatorBytes = 0; ///< simulator memory at the end
    std::uint64_t simulatedMicroseconds = 0; ///< simulated time spent waiting for paging fences
    std::uint64_t bytesAccessed = 0; ///< the sizes of every access, summed
    std::uint64_t bytesMissed = 0; ///< of the accesses that built their object (created, DISCARDED, too large)
    double seconds = 0; ///< time in the replay loop itself (reading the trace excluded)
    double wallSeconds = 0; ///< the whole replay, reading included (streamed: reading overlaps the loop)
    std::uint64_t bytesRead = 0; ///< of the trace file (streamed replays)
    /// (DISCARDED + NOT_COMMITTED) / reclaims: how often an object the cache had offered was gone when it
    /// came back for it. The offer model's own figure.
    double discardRatio() const
    {
        const std::uint64_t reclaims = reclaimsOk + reclaimsDiscarded + reclaimsNotCommitted;
        return reclaims == 0
            ? 0.0
            : static_cast<double>(reclaimsDiscarded + reclaimsNotCommitted) / static_cast<double>(reclaims);
    }
    /// (creations + DISCARDED + too large) / accesses: the share of accesses that had to build the object,
    /// as a cache simulator counts misses (creations include those after NOT_COMMITTED). For LOW offers
    /// this is the miss ratio of an LRU cache of the budget's bytes.
    double missRatio() const
    {
        return accesses == 0
            ? 0.0
            : static_cast<double>(creations + reclaimsDiscarded + tooLarge) / static_cast<double>(accesses);
    }
    /// Bytes of the missed accesses / bytes accessed (a cache simulator's byte miss ratio).
    double byteMissRatio() const
    {
        return bytesAccessed == 0 ? 0.0 : static_cast<double>(bytesMissed) / static_cast<double>(bytesAccessed);
    }
    double accessesPerSecond() const { return seconds > 0 ? static_cast<double>(accesses) / seconds : 0.0; }
};

class TraceReader;

/// Replays a trace against the simulator the way Microsoft recommends caches of textures use offers:
/// per access, create the object if new (or after NOT_COMMITTED), else reclaim it (DISCARDED means
/// regenerate), use it, and offer it again. One process, one LOCAL segment of `budget` bytes.
/// Fails with STATUS_INVALID_PARAMETER on bad options ("--budget must be greater than 0"), or with the
/// simulator's status when one of its calls fails ("access 12: offer failed: ...").
Result<ReplayStats> replayTrace(const AccessTrace& trace, const ReplayOptions& options);

/// The same, streamed: `reader` reads the next batches on a thread of its own while the replay runs, so
/// the trace is never held whole and reading costs little more than the loop. `progress` (may be empty)
/// gets the share of the file read. Fails as above, or with the reader's error (which says where).
Result<ReplayStats> replayTrace(
    TraceReader& reader, const ReplayOptions& options, const std::function<void(double)>& progress = {});

/// The report the CLI prints.
std::string formatReplayStats(const ReplayStats& stats, const ReplayOptions& options);

} // namespace offerscope::replay
