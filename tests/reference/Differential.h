// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Differential testing of the simulator against the reference model: from a 64-bit seed, a random world
// (adapter, processes, budgets) and a random sequence of operations, valid and invalid calls mixed, made on
// both. After every operation the statuses, every output (reclaim results, fence values, NumBytesToTrim, ...)
// and the statistics (per segment, per process and group, per allocation) must be equal; the first
// difference is reported with the seed, the operation's index, the operation in words and both values.
// A run of the same seed and length is the same run: failures are reproduced from the seed alone.

#include "ReferenceModel.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace offerscope::reference {

struct DifferentialOptions {
    std::uint64_t seed = 1;
    std::size_t operations = 300;
    ReferenceRules rules; ///< test-only: a reference with a rule flipped must be caught
};

/// The first difference between the simulator and the reference.
struct Mismatch {
    std::uint64_t seed = 0;
    std::size_t operation = 0; ///< index of the operation after which they differ (0-based)
    std::string call; ///< the operation in words
    std::string what; ///< which value differs
    std::string simulator; ///< its value in the simulator
    std::string reference; ///< its value in the reference model
    std::vector<std::string> recent; ///< the operations before it, oldest first, with their statuses
    std::vector<std::string> allocations; ///< every live allocation as each model sees it after the operation
};

/// What a run exercised: a differential run that never discards or never fails proves little.
struct DifferentialStats {
    std::size_t operations = 0;
    std::size_t success = 0; ///< STATUS_SUCCESS
    std::size_t pending = 0; ///< STATUS_PENDING (MakeResident that pages in)
    std::size_t invalidParameter = 0;
    std::size_t noMemory = 0;
    std::size_t deviceRemoved = 0;
    std::size_t notSupported = 0;
    std::array<std::size_t, 3> reclaimResults {}; ///< by D3DDDI_RECLAIM_RESULT: OK, DISCARDED, NOT_COMMITTED
    std::uint64_t bytesDiscarded = 0;
    std::uint64_t bytesEvicted = 0;
    std::uint64_t bytesDecommitted = 0;
    std::size_t staleHandlesAliased = 0; ///< stale handles the simulator's slot reuse made live again (skipped)

    DifferentialStats& operator+=(const DifferentialStats& other);
};

struct DifferentialResult {
    DifferentialStats stats;
    std::optional<Mismatch> mismatch;
};

/// Runs `options.operations` operations of the seed's world on both models, stopping at the first difference.
DifferentialResult runDifferential(const DifferentialOptions& options);

/// The first slot whose row differs between `before` and `after` (rows by slot, as
/// sim::Simulator::allocationSummariesBySlot gives them; a slot past either's end counts as free) and is
/// not in `listed`: what a simulator's change list missed. Nothing when it missed nothing.
std::optional<std::size_t> firstUnlistedChange(const std::vector<sim::AllocationSummary>& before,
    const std::vector<sim::AllocationSummary>& after, const std::vector<std::uint32_t>& listed);

/// A mismatch as a few lines of text: seed, operation, what differs, both values, the operations before it.
std::string formatMismatch(const Mismatch& mismatch);

} // namespace offerscope::reference
