// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Configuration and state vocabulary of the VidMm simulator. [choice] settings are behaviour Windows
// does not document; each has the default the domain reference (docs/wddm-model.md) names.

#include "core/d3dkmt/D3dkmtTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace offerscope::sim {

/// Life-cycle state of an allocation (domain reference, section 5).
enum class AllocationState : std::uint8_t {
    Resident, ///< in its segment, content valid
    Evicted, ///< content kept in the backing store, not in the segment
    OfferPending, ///< offered while GPU work using it is queued; effective when that fence retires
    Offered, ///< VidMm may take its memory at any time
    Discarded, ///< memory taken, content lost; backing store still committed
    Decommitted, ///< backing store released: dead, only destroy is left
    Destroyed,
};
inline constexpr int kAllocationStateCount = 7;
std::string_view allocationStateName(AllocationState state);

/// The three discard levels an offer lands in (AUTO is mapped to one of them).
enum class OfferLevel : std::uint8_t { Low = 0, Normal = 1, High = 2 };
inline constexpr int kOfferLevelCount = 3;
OfferPriority offerLevelPriority(OfferLevel level);
/// The level an AUTO offer lands in for an allocation of this residency (eviction) priority: [choice]
/// MINIMUM/LOW -> LOW, NORMAL -> NORMAL, HIGH/MAXIMUM -> HIGH; values in between go to the nearest
/// named level below them.
OfferLevel autoOfferLevel(UINT residencyPriority);

/// [choice] Order of discards within one priority level.
enum class WithinPriorityOrder : std::uint8_t {
    OldestOfferFirst, ///< default: FIFO by the time the offer took effect (offer-after-use = LRU)
    LargestFirst,
    SmallestFirst,
};
std::string_view withinPriorityOrderName(WithinPriorityOrder order);
std::optional<WithinPriorityOrder> parseWithinPriorityOrder(std::string_view text);

/// What a D3DKMT_RECLAIMALLOCATIONS2 union is read as: the driver's WDDM version decides.
enum class ReclaimOutput : std::uint8_t {
    Results, ///< WDDM 2.1+: pResults (D3DDDI_RECLAIM_RESULT)
    DiscardedFlags, ///< WDDM 2.0: pDiscarded (BOOL)
};

/// [choice] policy settings of the simulated VidMm.
struct SimPolicy {
    WithinPriorityOrder withinPriorityOrder = WithinPriorityOrder::OldestOfferFirst;
    /// Rule 5: offering an offered allocation / reclaiming one not offered fails (true) or is accepted
    /// and ignored (false).
    bool rejectRedundantCalls = true;
    /// Whether offered-but-not-discarded bytes count in CurrentUsage.
    bool offeredCountsInUsage = true;
    /// When a budget shrinks below usage, VidMm frees that process' memory down to the new budget.
    bool enforceBudgetOnShrink = true;
    ReclaimOutput reclaim2Output = ReclaimOutput::Results;
    /// Paging speed used to time paging fences (bytes per simulated microsecond; 16 GiB/s).
    std::uint64_t pagingBytesPerMicrosecond = 17'179;
    /// AvailableForReservation as a share of the budget, in percent.
    std::uint32_t reservablePercentOfBudget = 50;

    bool operator==(const SimPolicy&) const = default;
};

/// VidMm verifier switches (Windows' own what-if knobs), adapter wide.
struct VerifierSwitches {
    bool alwaysDiscardOffer = false; ///< every offer is discarded as soon as it takes effect
    bool neverDiscardOffer = false; ///< offers are never discarded by pressure (eviction takes over)
    bool alwaysDecommitOffer = false; ///< discarding an AllowDecommit offer decommits it
    bool alwaysProcessOfferList = false; ///< any pressure empties the whole offer list of the segment
    bool operator==(const VerifierSwitches&) const = default;
};

/// Per-process verifier switches.
struct ProcessVerifier {
    bool alwaysFailCommitOnReclaim = false; ///< a reclaim that must recommit memory fails: NOT_COMMITTED
    /// Budget restriction per segment group (0 = none): the effective budget is the smaller.
    std::uint64_t budgetRestriction[kSegmentGroupCount] = { 0, 0 };
    bool operator==(const ProcessVerifier&) const = default;
};

/// The largest segment the simulator models (1 PiB): with allocations no larger than their segment,
/// byte totals stay far from wrapping around. Larger sizes are refused by the scenario parser and
/// clamped by the simulator.
inline constexpr std::uint64_t kMaxSegmentBytes = std::uint64_t { 1 } << 50;

/// One memory or aperture segment.
struct SegmentConfig {
    std::string name;
    std::uint64_t size = 0; ///< CommitLimit
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    bool aperture = false; ///< the aperture segment (system pages mapped through the GPU page table)
};

struct AdapterConfig {
    std::string name;
    std::vector<SegmentConfig> segments;
};

/// Built-in adapters: "discrete" (4 GiB VRAM + 8 GiB aperture), "discrete-large" (8 GiB VRAM with a
/// 256 MiB CPU-visible segment + 16 GiB aperture), "integrated" (512 MiB carve-out + 8 GiB aperture).
std::optional<AdapterConfig> adapterPreset(std::string_view name);
std::vector<std::string> adapterPresetNames();

} // namespace offerscope::sim
