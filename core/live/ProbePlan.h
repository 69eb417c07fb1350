// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A probe plan: a handful of the program's own resources taken through one offer, some pressure and
// one reclaim, on a live source and on the model beside it. It is nothing but steps of the live
// world (core/live/LiveWorld.h), which runs every step on both sides and records where the driver's
// answer and the model's prediction differ; compareProbes() reads those records per probe.

#include "core/live/LiveWorld.h"
#include "core/scenario/Scenario.h"

#include <cstdint>
#include <string>
#include <vector>

namespace offerscope::live {

struct ProbePlan {
    std::vector<std::uint64_t> sizes; ///< one probe resource (one allocation) each
    OfferPriority priority = OfferPriority::Low;
    bool allowDecommit = false;
    std::uint64_t pressureBytes = 0; ///< filler created on the same device after the offer
};

/// The size of one filler resource.
inline constexpr std::uint64_t kFillerChunk = 64ull * 1024 * 1024;

/// The plan as steps on `device` (a device name of the live world's scenario), names beginning with
/// `prefix` ("probe 1", "probe 2", "probe filler 1"): a narration, each probe created, all offered in
/// one call, the filler created in kFillerChunk resources on the same device, all probes reclaimed
/// in one ReclaimAllocations2 call, then filler and probes destroyed: a run leaves nothing behind. A
/// probe that could not be made makes the offer and the reclaim that name it fail as a whole, as
/// D3DKMT does for a HandleList entry that is not an allocation.
std::vector<scenario::Step> probeSteps(const ProbePlan& plan, const std::string& device, const std::string& prefix);

/// A prefix no name in `known` starts a probe name with: "probe", else "run 2 probe", "run 3 probe", ...
std::string freshProbePrefix(const std::vector<std::string>& known);

/// Whether a probe step only cleans up (a destroy): a cancelled run still makes these.
bool cleansUp(const scenario::Step& step);

/// One probe, model beside driver.
struct ProbeComparison {
    std::string name;
    std::uint64_t size = 0;
    std::string live; ///< "offer STATUS_SUCCESS · reclaim STATUS_SUCCESS: DISCARDED", ...
    std::string model;
    bool differs = false;
    std::string why; ///< where they differ, in words ("" when they agree)
};

/// Reads the records of a probe run (records[i] is how steps[i], from probeSteps(), ran on both sides).
std::vector<ProbeComparison> compareProbes(
    const std::vector<scenario::Step>& steps, const std::vector<LiveStepRecord>& records);

} // namespace offerscope::live
