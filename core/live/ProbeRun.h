// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The same probe operations on a live source and on the simulator configured like it, side by side:
// create probe resources, offer them, add filler memory (pressure), reclaim them. Where the model's
// prediction and the driver's real answer differ is what a teacher wants to show.

#include "core/Backend.h"
#include "core/live/LiveBackend.h"
#include "core/sim/SimTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace offerscope::sim {
class Simulator;
}

namespace offerscope::live {

struct ProbePlan {
    std::vector<std::uint64_t> sizes; ///< one probe resource (one allocation) each
    OfferPriority priority = OfferPriority::Low;
    bool allowDecommit = false;
    std::uint64_t pressureBytes = 0; ///< filler created on the same device after the offer
};

/// One probe's way through the plan. A step not reached (an earlier one failed) stays empty.
struct ProbeRow {
    std::string name;
    std::uint64_t size = 0;
    D3DKMT_HANDLE allocation = 0;
    NtStatus create = NtStatus::Success;
    std::optional<NtStatus> offer;
    std::optional<NtStatus> reclaim;
    std::optional<ReclaimResult> result;
};

struct ProbeRun {
    std::string source; ///< "Windows (D3DKMT)", "Simulator (as the live adapter)"
    std::vector<ProbeRow> rows;
    std::optional<NtStatus> pressure;
};

/// Runs the plan through any backend's calls (the simulator's or a live one's): every probe is
/// created on `hDevice`, all are offered in one call, the filler is created in 64 MiB resources, and
/// all are reclaimed in one ReclaimAllocations2 call on `hPagingQueue`; then probes and filler are
/// destroyed.
ProbeRun runProbe(Backend& backend, D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hPagingQueue, const ProbePlan& plan,
    std::string source);

/// The simulator's adapter as the live one reports it: its segments and sizes.
sim::AdapterConfig adapterConfigFrom(const AdapterDesc& adapter);

/// Runs the plan on a new simulator configured from the live adapter and, where the sample has
/// them, the program's budgets. `into`, when given, receives that simulator (its events explain).
ProbeRun runProbeOnModel(
    const AdapterDesc& adapter, const LiveSample& sample, const ProbePlan& plan, sim::Simulator* into = nullptr);

/// One probe, model beside driver.
struct ProbeComparison {
    std::string name;
    std::uint64_t size = 0;
    std::string live; ///< "offer STATUS_SUCCESS, reclaim DISCARDED", ...
    std::string model;
    bool differs = false;
    std::string why; ///< where they differ, in words ("" when they agree)
};

std::vector<ProbeComparison> compareRuns(const ProbeRun& live, const ProbeRun& model);

/// "offer STATUS_SUCCESS · reclaim STATUS_SUCCESS: DISCARDED" — one probe's outcome in one line.
std::string outcomeText(const ProbeRow& row);

} // namespace offerscope::live
