// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Values mirrored from the WDDM headers (d3dkmthk.h, d3dukmdt.h) with their Windows spelling, so the
// code can be read next to the Microsoft reference pages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace offerscope {

using D3DKMT_HANDLE = std::uint32_t; ///< kernel-mode handle; 0 is NULL
using BOOL = std::int32_t; ///< Win32 BOOL (4 bytes)
using UINT = std::uint32_t;
using UINT64 = std::uint64_t;
using ULONGLONG = std::uint64_t;

/// D3DKMT_OFFER_PRIORITY (1..4); 0 is D3DDDI_OFFER_PRIORITY_NONE, never valid in an offer call.
enum class OfferPriority : std::uint32_t {
    None = 0,
    Low = 1, ///< content worthless: discarded first
    Normal = 2, ///< useful but cheap to regenerate
    High = 3, ///< expensive to regenerate: discarded last
    Auto = 4, ///< VidMm derives the level from the allocation's eviction priority
};

/// "LOW", "NORMAL", "HIGH", "AUTO", "NONE".
std::string_view offerPriorityName(OfferPriority priority);
/// Parses a priority name (any case) or its number 0..4.
std::optional<OfferPriority> parseOfferPriority(std::string_view text);

/// D3DKMT_OFFER_FLAGS (WDDM 2.0): a UINT with named bits.
struct D3DKMT_OFFER_FLAGS {
    static constexpr UINT kOfferImmediately = 0x1;
    static constexpr UINT kAllowDecommit = 0x2;
    UINT Value = 0;

    constexpr bool OfferImmediately() const { return (Value & kOfferImmediately) != 0; }
    constexpr bool AllowDecommit() const { return (Value & kAllowDecommit) != 0; }
    constexpr bool operator==(const D3DKMT_OFFER_FLAGS&) const = default;
};

/// D3DDDI_RECLAIM_RESULT (= DXGI_RECLAIM_RESOURCE_RESULTS).
enum class ReclaimResult : std::uint32_t {
    Ok = 0, ///< content intact
    Discarded = 1, ///< memory is back, content lost: regenerate it
    NotCommitted = 2, ///< backing store decommitted: the allocation is dead, recreate it
};
/// "OK", "DISCARDED", "NOT_COMMITTED".
std::string_view reclaimResultName(ReclaimResult result);

/// D3DKMT_MEMORY_SEGMENT_GROUP.
enum class MemorySegmentGroup : std::uint32_t {
    Local = 0, ///< dedicated video memory (VRAM or a carve-out)
    NonLocal = 1, ///< system memory mapped through the GPU (aperture)
};
using D3DKMT_MEMORY_SEGMENT_GROUP = MemorySegmentGroup;
inline constexpr int kSegmentGroupCount = 2;
std::string_view segmentGroupName(MemorySegmentGroup group);

/// D3D12_RESIDENCY_PRIORITY values; any UINT between them is legal.
namespace ResidencyPriority {
inline constexpr UINT kMinimum = 0x28000000;
inline constexpr UINT kLow = 0x50000000;
inline constexpr UINT kNormal = 0x78000000;
inline constexpr UINT kHigh = 0xA0010000;
inline constexpr UINT kMaximum = 0xC8000000;
} // namespace ResidencyPriority

/// "MINIMUM", "LOW", ... for the named values, otherwise hex.
std::string residencyPriorityName(UINT priority);

/// D3DKMT_MAX_OFFER_ALLOCATIONS as enforced by the dxgkrnl front end (WSL2 ioctl.c).
inline constexpr UINT kMaxOfferAllocations = 10240;

} // namespace offerscope
