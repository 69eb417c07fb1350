// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The /dev/dxg (WSL2 dxgkrnl) ioctls this program uses, with their argument structs in the layout
// of the WSL2 kernel's user API header (include/uapi/misc/d3dkmthk.h, x86_64). Pointer fields are
// 64-bit integers here; the checks below pin every size and offset the backend relies on.
//
// D3DKMT_QUERYVIDEOMEMORYINFO and D3DKMT_QUERYSTATISTICS are the model's own structs: the dxgkrnl
// ones have the same layout (checked below), so they are passed as they are.

#include "core/d3dkmt/D3dkmtStructs.h"

#include <cstddef>
#include <cstdint>

namespace offerscope::live::dxg {

struct WinLuid {
    std::uint32_t a = 0; ///< LowPart
    std::uint32_t b = 0; ///< HighPart
};

struct AdapterInfo {
    std::uint32_t adapterHandle = 0;
    WinLuid adapterLuid;
    std::uint32_t numSources = 0;
    std::uint32_t presentMoveRegionsPreferred = 0;
};

struct EnumAdapters2 {
    std::uint32_t numAdapters = 0; ///< in: capacity (0 with adapters = 0 asks the count); out: count
    std::uint32_t reserved = 0;
    std::uint64_t adapters = 0; ///< AdapterInfo*
};

struct EnumAdapters3 {
    std::uint64_t filter = 0; ///< IncludeComputeOnly:1, IncludeDisplayOnly:1
    std::uint32_t adapterCount = 0;
    std::uint32_t reserved = 0;
    std::uint64_t adapters = 0; ///< AdapterInfo*
};

struct OpenAdapterFromLuid {
    WinLuid adapterLuid;
    std::uint32_t adapterHandle = 0; ///< out
};

struct CloseAdapter {
    std::uint32_t adapterHandle = 0;
};

struct QueryAdapterInfo {
    std::uint32_t adapter = 0;
    std::uint32_t type = 0; ///< KMTQUERYADAPTERINFOTYPE
    std::uint64_t privateData = 0; ///< pointer
    std::uint32_t privateDataSize = 0;
};

inline constexpr std::uint32_t kQaiGetSegmentSize = 3; ///< KMTQAITYPE_GETSEGMENTSIZE: SegmentSizeInfo

struct SegmentSizeInfo {
    std::uint64_t dedicatedVideoMemorySize = 0;
    std::uint64_t dedicatedSystemMemorySize = 0;
    std::uint64_t sharedSystemMemorySize = 0;
};

/// _IOWR('G', nr, size), as <asm-generic/ioctl.h> builds it on x86_64.
constexpr unsigned long iowr(unsigned nr, std::size_t size)
{
    return (3ul << 30) | (static_cast<unsigned long>(size) << 16) | (0x47ul << 8) | nr;
}

inline constexpr unsigned long kOpenAdapterFromLuid = iowr(0x01, sizeof(OpenAdapterFromLuid));
inline constexpr unsigned long kQueryAdapterInfo = iowr(0x09, sizeof(QueryAdapterInfo));
inline constexpr unsigned long kQueryVideoMemoryInfo = iowr(0x0a, sizeof(D3DKMT_QUERYVIDEOMEMORYINFO));
inline constexpr unsigned long kEnumAdapters2 = iowr(0x14, sizeof(EnumAdapters2));
inline constexpr unsigned long kCloseAdapter = iowr(0x15, sizeof(CloseAdapter));
inline constexpr unsigned long kEnumAdapters3 = iowr(0x3e, sizeof(EnumAdapters3));
inline constexpr unsigned long kQueryStatistics = iowr(0x43, sizeof(D3DKMT_QUERYSTATISTICS));

// Layouts (WSL2 uapi header, x86_64).
static_assert(sizeof(WinLuid) == 8);
static_assert(sizeof(AdapterInfo) == 20 && offsetof(AdapterInfo, adapterLuid) == 4 && offsetof(AdapterInfo, numSources) == 12);
static_assert(sizeof(EnumAdapters2) == 16 && offsetof(EnumAdapters2, adapters) == 8);
static_assert(sizeof(EnumAdapters3) == 24 && offsetof(EnumAdapters3, adapterCount) == 8 && offsetof(EnumAdapters3, adapters) == 16);
static_assert(sizeof(OpenAdapterFromLuid) == 12 && offsetof(OpenAdapterFromLuid, adapterHandle) == 8);
static_assert(sizeof(CloseAdapter) == 4);
static_assert(sizeof(QueryAdapterInfo) == 24 && offsetof(QueryAdapterInfo, privateData) == 8
    && offsetof(QueryAdapterInfo, privateDataSize) == 16);
static_assert(sizeof(SegmentSizeInfo) == 24);
static_assert(sizeof(D3DKMT_QUERYVIDEOMEMORYINFO) == 56 && offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, hAdapter) == 8
    && offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, MemorySegmentGroup) == 12 && offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, Budget) == 16
    && offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, AvailableForReservation) == 40
    && offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, PhysicalAdapterIndex) == 48);
static_assert(sizeof(D3DKMT_QUERYSTATISTICS) == 0x328 && offsetof(D3DKMT_QUERYSTATISTICS, AdapterLuid) == 4
    && offsetof(D3DKMT_QUERYSTATISTICS, hProcess) == 0x10 && offsetof(D3DKMT_QUERYSTATISTICS, QueryResult) == 0x18
    && offsetof(D3DKMT_QUERYSTATISTICS, QuerySegment) == 0x320);
static_assert(offsetof(D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION, BytesCommitted) == 8
    && offsetof(D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION, BytesResident) == 16
    && offsetof(D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION, Aperture) == 40);
// The ioctl numbers of the header.
static_assert(kOpenAdapterFromLuid == 0xC00C4701ul && kQueryAdapterInfo == 0xC0184709ul
    && kQueryVideoMemoryInfo == 0xC038470Aul && kEnumAdapters2 == 0xC0104714ul && kCloseAdapter == 0xC0044715ul
    && kEnumAdapters3 == 0xC018473Eul && kQueryStatistics == 0xC3284743ul);

} // namespace offerscope::live::dxg
