// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The argument structures of the D3DKMT calls, field for field as in d3dkmthk.h / d3dukmdt.h (WDDM 3.2
// headers, x64 in-process layout: pointers are native pointers). Only the members the model uses are
// given for the big QueryStatistics result union; the names and order of every field kept are
// Windows'. A call built with these can be shown to a driver developer exactly as they would write it.

#include "core/d3dkmt/D3dkmtTypes.h"

#include <cstdint>

namespace offerscope {

/// Win32 HANDLE to a process. In the simulator it is the process' D3DKMT_HANDLE value; 0 (NULL)
/// means the current process, as on Windows.
using HANDLE = std::uint64_t;

/// LUID of an adapter.
struct LUID {
    std::uint32_t LowPart = 0;
    std::int32_t HighPart = 0;
    constexpr bool operator==(const LUID&) const = default;
};

/// D3DKMTOfferAllocations argument. Exactly one of pResources / HandleList is non-NULL.
struct D3DKMT_OFFERALLOCATIONS {
    D3DKMT_HANDLE hDevice = 0; ///< in: device that created the allocations
    D3DKMT_HANDLE* pResources = nullptr; ///< in: runtime resource handles
    const D3DKMT_HANDLE* HandleList = nullptr; ///< in: allocation handles; if non-NULL pResources must be NULL
    UINT NumAllocations = 0; ///< in: entries in whichever array is non-NULL
    OfferPriority Priority = OfferPriority::None; ///< in: D3DKMT_OFFER_PRIORITY
    D3DKMT_OFFER_FLAGS Flags; ///< in: OfferImmediately, AllowDecommit (WDDM 2.0)
};

/// D3DKMTReclaimAllocations argument (Windows 8).
struct D3DKMT_RECLAIMALLOCATIONS {
    D3DKMT_HANDLE hDevice = 0; ///< in: device that created the allocations
    D3DKMT_HANDLE* pResources = nullptr; ///< in: runtime resource handles
    const D3DKMT_HANDLE* HandleList = nullptr; ///< in: allocation handles; if non-NULL pResources must be NULL
    BOOL* pDiscarded = nullptr; ///< out, optional: TRUE where the content was lost
    UINT NumAllocations = 0; ///< in: entries in pDiscarded and the non-NULL array
};

/// D3DKMTReclaimAllocations2 argument (WDDM 2.0; pResults needs WDDM 2.1). Takes a paging queue.
struct D3DKMT_RECLAIMALLOCATIONS2 {
    D3DKMT_HANDLE hPagingQueue = 0; ///< in: paging queue of the device that created the allocations
    UINT NumAllocations = 0; ///< in: entries in the output array and the non-NULL input array
    D3DKMT_HANDLE* pResources = nullptr; ///< in: runtime resource handles
    const D3DKMT_HANDLE* HandleList = nullptr; ///< in: allocation handles; if non-NULL pResources must be NULL
    union {
        BOOL* pDiscarded; ///< out, optional (WDDM 2.0 drivers)
        ReclaimResult* pResults; ///< out, optional: D3DDDI_RECLAIM_RESULT per entry (WDDM 2.1 drivers)
    };
    UINT64 PagingFenceValue = 0; ///< out: wait for this on the paging queue's fence before GPU use

    D3DKMT_RECLAIMALLOCATIONS2()
        : pResults(nullptr)
    {
    }
};

/// D3DKMTQueryVideoMemoryInfo argument (WDDM 2.0).
struct D3DKMT_QUERYVIDEOMEMORYINFO {
    HANDLE hProcess = 0; ///< in, optional: NULL = the current process
    D3DKMT_HANDLE hAdapter = 0; ///< in
    D3DKMT_MEMORY_SEGMENT_GROUP MemorySegmentGroup = D3DKMT_MEMORY_SEGMENT_GROUP::Local; ///< in
    UINT64 Budget = 0; ///< out: total memory the application may use
    UINT64 CurrentUsage = 0; ///< out
    UINT64 CurrentReservation = 0; ///< out
    UINT64 AvailableForReservation = 0; ///< out: the most the process may reserve
    UINT PhysicalAdapterIndex = 0; ///< in: 0 unless linked adapters
};

/// D3DKMTChangeVideoMemoryReservation argument (DXGI: IDXGIAdapter3::SetVideoMemoryReservation).
struct D3DKMT_CHANGEVIDEOMEMORYRESERVATION {
    HANDLE hProcess = 0; ///< in, optional: NULL = the current process
    D3DKMT_HANDLE hAdapter = 0; ///< in
    D3DKMT_MEMORY_SEGMENT_GROUP MemorySegmentGroup = D3DKMT_MEMORY_SEGMENT_GROUP::Local; ///< in
    UINT64 Reservation = 0; ///< in: 0..AvailableForReservation
    UINT PhysicalAdapterIndex = 0; ///< in
};

/// D3DDDI_MAKERESIDENT_FLAGS.
struct D3DDDI_MAKERESIDENT_FLAGS {
    static constexpr UINT kCantTrimFurther = 0x1; ///< succeed even when over the current budget
    static constexpr UINT kMustSucceed = 0x2; ///< put the device in error if it cannot be made resident
    UINT Value = 0;
    constexpr bool CantTrimFurther() const { return (Value & kCantTrimFurther) != 0; }
    constexpr bool MustSucceed() const { return (Value & kMustSucceed) != 0; }
};

/// D3DKMTMakeResident argument (there is no D3DKMT_MAKERESIDENT: the call takes the D3DDDI struct).
struct D3DDDI_MAKERESIDENT {
    D3DKMT_HANDLE hPagingQueue = 0; ///< in: paging queue that orders the paging work
    UINT NumAllocations = 0; ///< in/out: in, entries of AllocationList; out, how many were made resident
    const D3DKMT_HANDLE* AllocationList = nullptr; ///< in
    const UINT* PriorityList = nullptr; ///< in, optional: residency priority per allocation
    D3DDDI_MAKERESIDENT_FLAGS Flags; ///< in
    UINT64 PagingFenceValue = 0; ///< out: wait for this before GPU use
    UINT64 NumBytesToTrim = 0; ///< out: with STATUS_NO_MEMORY, how much to trim to succeed on retry
};

/// D3DDDI_EVICT_FLAGS.
struct D3DDDI_EVICT_FLAGS {
    static constexpr UINT kEvictOnlyIfNecessary = 0x1;
    static constexpr UINT kNotWrittenTo = 0x2;
    UINT Value = 0;
    constexpr bool EvictOnlyIfNecessary() const { return (Value & kEvictOnlyIfNecessary) != 0; }
    constexpr bool NotWrittenTo() const { return (Value & kNotWrittenTo) != 0; }
};

/// D3DKMTEvict argument (WDDM 2.0).
struct D3DKMT_EVICT {
    D3DKMT_HANDLE hDevice = 0; ///< in: device that created the allocations
    UINT NumAllocations = 0; ///< in
    const D3DKMT_HANDLE* AllocationList = nullptr; ///< in
    D3DDDI_EVICT_FLAGS Flags; ///< in
    UINT64 NumBytesToTrim = 0; ///< out: how much more to trim to fit the budget
};

/// D3DKMTQueryProcessOfferInfo argument (WDDM 2.1).
struct D3DKMT_QUERYPROCESSOFFERINFO {
    std::uint32_t cbSize = sizeof(D3DKMT_QUERYPROCESSOFFERINFO); ///< in: ULONG size of this struct
    HANDLE hProcess = 0; ///< in
    UINT64 DecommitUniqueness = 0; ///< out: changes whenever the set of decommittable allocations changes
    UINT64 DecommittableBytes = 0; ///< out: bytes of offers made with AllowDecommit not yet decommitted
};

/// D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS.
struct D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS {
    static constexpr UINT kLazy = 0x1;
    static constexpr UINT kOnlyRepurposed = 0x2;
    UINT Value = 0;
    constexpr bool Lazy() const { return (Value & kLazy) != 0; }
    constexpr bool OnlyRepurposed() const { return (Value & kOnlyRepurposed) != 0; }
};

/// D3DKMTTrimProcessCommitment argument (WDDM 2.1).
struct D3DKMT_TRIMPROCESSCOMMITMENT {
    std::uint32_t cbSize = sizeof(D3DKMT_TRIMPROCESSCOMMITMENT); ///< in: ULONG size of this struct
    HANDLE hProcess = 0; ///< in
    D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS Flags; ///< in
    UINT64 DecommitRequested = 0; ///< in
    UINT64 NumBytesDecommitted = 0; ///< out
};

/// D3DDDI_TRIMRESIDENCYSET_FLAGS, carried by trim notifications.
struct D3DDDI_TRIMRESIDENCYSET_FLAGS {
    static constexpr UINT kPeriodicTrim = 0x1;
    static constexpr UINT kRestartPeriodicTrim = 0x2;
    static constexpr UINT kTrimToBudget = 0x4;
    UINT Value = 0;
};

/// D3DKMT_TRIMNOTIFICATION: what the trim callback of a device receives.
struct D3DKMT_TRIMNOTIFICATION {
    void* Context = nullptr; ///< in: context given at registration
    D3DDDI_TRIMRESIDENCYSET_FLAGS Flags; ///< in
    UINT64 NumBytesToTrim = 0; ///< in: with TrimToBudget, how much to trim to fit the new budget
};

// ---- D3DKMTQueryStatistics --------------------------------------------------------------------

inline constexpr int kQueryStatisticsPriorityClassMax = 5; ///< D3DKMT_QUERYSTATISTICS_ALLOCATION_PRIORITY_CLASS_MAX
inline constexpr int kQueryStatisticsSegmentPreferenceMax = 5; ///< D3DKMT_QUERYSTATISTICS_SEGMENT_PREFERENCE_MAX

/// D3DKMT_QUERYSTATISTICS_TYPE.
enum class D3DKMT_QUERYSTATISTICS_TYPE : std::uint32_t {
    Adapter = 0,
    Process = 1,
    ProcessAdapter = 2,
    Segment = 3,
    ProcessSegment = 4,
    Node = 5,
    ProcessNode = 6,
    VidPnSource = 7,
    ProcessVidPnSource = 8,
    ProcessSegmentGroup = 9,
    PhysicalAdapter = 10,
};

struct D3DKMT_QUERYSTATISTICS_COUNTER {
    std::uint32_t Count = 0;
    ULONGLONG Bytes = 0;
};

struct D3DKMT_QUERYSTATISTICS_MEMORY {
    ULONGLONG TotalBytesEvicted = 0;
    std::uint32_t AllocsCommitted = 0;
    std::uint32_t AllocsResident = 0;
};

struct D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION {
    ULONGLONG CommitLimit = 0;
    ULONGLONG BytesCommitted = 0;
    ULONGLONG BytesResident = 0;
    D3DKMT_QUERYSTATISTICS_MEMORY Memory;
    std::uint32_t Aperture = 0; ///< boolean: 1 for the aperture segment
    ULONGLONG TotalBytesEvictedByPriority[kQueryStatisticsPriorityClassMax] = {};
    UINT64 SystemMemoryEndAddress = 0;
    UINT64 PowerFlags = 0; ///< PreservedDuringStandby:1, PreservedDuringHibernate:1, ...
    UINT64 SegmentProperties = 0; ///< SystemMemory:1, PopulatedByReservedDDRByFirmware:1
    UINT64 Reserved[5] = {};
};

struct D3DKMT_QUERYSTATISTICS_VIDEO_MEMORY {
    std::uint32_t AllocsCommitted = 0;
    D3DKMT_QUERYSTATISTICS_COUNTER AllocsResidentInP[kQueryStatisticsSegmentPreferenceMax];
    D3DKMT_QUERYSTATISTICS_COUNTER AllocsResidentInNonPreferred;
    ULONGLONG TotalBytesEvictedDueToPreparation = 0;
};

struct D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_POLICY {
    ULONGLONG UseMRU = 0;
};

struct D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION {
    ULONGLONG BytesCommitted = 0;
    ULONGLONG MaximumWorkingSet = 0;
    ULONGLONG MinimumWorkingSet = 0;
    std::uint32_t NbReferencedAllocationEvictedInPeriod = 0;
    UINT Padding = 0;
    D3DKMT_QUERYSTATISTICS_VIDEO_MEMORY VideoMemory;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_POLICY _Policy;
    UINT64 Reserved[8] = {};
};

struct D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION {
    UINT64 Budget = 0;
    UINT64 Requested = 0;
    UINT64 Usage = 0;
    UINT64 Demoted[kQueryStatisticsPriorityClassMax] = {};
};

/// D3DKMT_QUERYSTATISTICS_RESULT: the members this model answers (segment, process segment,
/// process segment group); the other query types return STATUS_NOT_SUPPORTED from the simulator.
union D3DKMT_QUERYSTATISTICS_RESULT {
    D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION SegmentInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION ProcessSegmentInformation;
    D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION ProcessSegmentGroupInformation;
    unsigned char Raw[0x308]; ///< the union is 0x308 bytes on x64

    D3DKMT_QUERYSTATISTICS_RESULT()
        : Raw {}
    {
    }
};

struct D3DKMT_QUERYSTATISTICS_QUERY_SEGMENT {
    std::uint32_t SegmentId = 0; ///< in: segment to get statistics for
};

/// D3DKMTQueryStatistics argument.
struct D3DKMT_QUERYSTATISTICS {
    D3DKMT_QUERYSTATISTICS_TYPE Type = D3DKMT_QUERYSTATISTICS_TYPE::Adapter; ///< in
    LUID AdapterLuid; ///< in
    HANDLE hProcess = 0; ///< in: process, for the PROCESS_* types
    D3DKMT_QUERYSTATISTICS_RESULT QueryResult; ///< out
    union {
        D3DKMT_QUERYSTATISTICS_QUERY_SEGMENT QuerySegment;
        D3DKMT_QUERYSTATISTICS_QUERY_SEGMENT QueryProcessSegment;
        MemorySegmentGroup QueryProcessSegmentGroup;
    };

    D3DKMT_QUERYSTATISTICS()
        : QuerySegment {}
    {
    }
};

} // namespace offerscope
