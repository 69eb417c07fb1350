// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/d3dkmt/D3dkmtTypes.h"

#include <cctype>
#include <cstdio>

namespace offerscope {

std::string_view offerPriorityName(OfferPriority priority)
{
    switch (priority) {
    case OfferPriority::None:
        return "NONE";
    case OfferPriority::Low:
        return "LOW";
    case OfferPriority::Normal:
        return "NORMAL";
    case OfferPriority::High:
        return "HIGH";
    case OfferPriority::Auto:
        return "AUTO";
    }
    return "INVALID";
}

std::optional<OfferPriority> parseOfferPriority(std::string_view text)
{
    std::string upper;
    for (char c : text)
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (upper == "NONE" || upper == "0")
        return OfferPriority::None;
    if (upper == "LOW" || upper == "1")
        return OfferPriority::Low;
    if (upper == "NORMAL" || upper == "2")
        return OfferPriority::Normal;
    if (upper == "HIGH" || upper == "3")
        return OfferPriority::High;
    if (upper == "AUTO" || upper == "4")
        return OfferPriority::Auto;
    return std::nullopt;
}

std::string_view reclaimResultName(ReclaimResult result)
{
    switch (result) {
    case ReclaimResult::Ok:
        return "OK";
    case ReclaimResult::Discarded:
        return "DISCARDED";
    case ReclaimResult::NotCommitted:
        return "NOT_COMMITTED";
    }
    return "INVALID";
}

std::string_view segmentGroupName(MemorySegmentGroup group)
{
    return group == MemorySegmentGroup::Local ? "LOCAL" : "NON_LOCAL";
}

std::string residencyPriorityName(UINT priority)
{
    switch (priority) {
    case ResidencyPriority::kMinimum:
        return "MINIMUM";
    case ResidencyPriority::kLow:
        return "LOW";
    case ResidencyPriority::kNormal:
        return "NORMAL";
    case ResidencyPriority::kHigh:
        return "HIGH";
    case ResidencyPriority::kMaximum:
        return "MAXIMUM";
    default:
        break;
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08X", priority);
    return buffer;
}

} // namespace offerscope
