// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What makes the simulator fast and is no part of its model: the shortcuts the commonest calls take
// and the cache hints of a caller that knows its future. Kept out of Simulator.h: the simulator's
// face is the model; only the simulator itself and the trace replayer need these.

#include "core/sim/Simulator.h"

namespace offerscope::sim {

struct FastPaths {
    /// The offer a cache makes after every use (one allocation handle, nothing unusual, no event
    /// log): done in place; false sends the call down the general path, which gives the same result.
    static bool offer(Simulator& s, const D3DKMT_OFFERALLOCATIONS& args);
    /// The reclaim a cache makes on a hit or a miss of one allocation; false: the general path.
    static bool reclaim(Simulator& s, std::uint32_t device, std::uint32_t pagingQueue, D3DKMT_HANDLE* resources,
        const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence);
    /// A cache's access to an object it holds offered and still in memory: the reclaim of its one
    /// allocation (OK), then its offer again at `priority` with no flags, as one call. The state after
    /// it is exactly the one the two calls leave (tests compare them step by step); with the same
    /// offer as before the totals do not move, and the allocation only goes to the back of its offer
    /// queue. `pagingFence` gets what the reclaim returns. False (nothing done): make the two calls.
    static bool reuse(Simulator& s, D3DKMT_HANDLE hPagingQueue, D3DKMT_HANDLE hAllocation, OfferPriority priority,
        UINT64& pagingFence);
    /// Hints that an allocation will be used soon (a trace replayer knows its future): starts loading
    /// its record into the CPU cache. No effect on the model.
    static void prefetch(const Simulator& s, D3DKMT_HANDLE hAllocation);
    /// The second stage of prefetch(): once the record is cached, load its list neighbours (what
    /// taking it out of its offer or eviction list touches).
    static void prefetchNeighbours(const Simulator& s, D3DKMT_HANDLE hAllocation);
};

} // namespace offerscope::sim
