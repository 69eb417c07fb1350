// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sim/SimTypes.h"

#include "core/Units.h"

namespace offerscope::sim {

std::string_view allocationStateName(AllocationState state)
{
    switch (state) {
    case AllocationState::Resident:
        return "Resident";
    case AllocationState::Evicted:
        return "Evicted";
    case AllocationState::OfferPending:
        return "OfferPending";
    case AllocationState::Offered:
        return "Offered";
    case AllocationState::Discarded:
        return "Discarded";
    case AllocationState::Decommitted:
        return "Decommitted";
    case AllocationState::Destroyed:
        return "Destroyed";
    }
    return "?";
}

OfferLevel autoOfferLevel(UINT residencyPriority)
{
    if (residencyPriority < ResidencyPriority::kNormal)
        return OfferLevel::Low;
    if (residencyPriority < ResidencyPriority::kHigh)
        return OfferLevel::Normal;
    return OfferLevel::High;
}

OfferPriority offerLevelPriority(OfferLevel level)
{
    return static_cast<OfferPriority>(static_cast<std::uint32_t>(level) + 1);
}

std::string_view withinPriorityOrderName(WithinPriorityOrder order)
{
    switch (order) {
    case WithinPriorityOrder::OldestOfferFirst:
        return "oldest-first";
    case WithinPriorityOrder::LargestFirst:
        return "largest-first";
    case WithinPriorityOrder::SmallestFirst:
        return "smallest-first";
    }
    return "?";
}

std::optional<WithinPriorityOrder> parseWithinPriorityOrder(std::string_view text)
{
    if (text == "oldest-first" || text == "fifo")
        return WithinPriorityOrder::OldestOfferFirst;
    if (text == "largest-first")
        return WithinPriorityOrder::LargestFirst;
    if (text == "smallest-first")
        return WithinPriorityOrder::SmallestFirst;
    return std::nullopt;
}

std::optional<AdapterConfig> adapterPreset(std::string_view name)
{
    if (name == "discrete")
        return AdapterConfig { "Simulated discrete GPU (4 GiB)",
            { { "VRAM", 4 * kGiB, MemorySegmentGroup::Local, false },
                { "Aperture", 8 * kGiB, MemorySegmentGroup::NonLocal, true } } };
    if (name == "discrete-large")
        return AdapterConfig { "Simulated discrete GPU (8 GiB, CPU-visible window)",
            { { "VRAM", 8 * kGiB - 256 * kMiB, MemorySegmentGroup::Local, false },
                { "CPU-visible VRAM", 256 * kMiB, MemorySegmentGroup::Local, false },
                { "Aperture", 16 * kGiB, MemorySegmentGroup::NonLocal, true } } };
    if (name == "integrated")
        return AdapterConfig { "Simulated integrated GPU (512 MiB carve-out)",
            { { "Carve-out", 512 * kMiB, MemorySegmentGroup::Local, false },
                { "Aperture", 8 * kGiB, MemorySegmentGroup::NonLocal, true } } };
    return std::nullopt;
}

std::vector<std::string> adapterPresetNames()
{
    return { "discrete", "discrete-large", "integrated" };
}

} // namespace offerscope::sim
