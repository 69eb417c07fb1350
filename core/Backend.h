// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The calls every source of video-memory behaviour answers: the built-in simulator and the live
// D3DKMT sources (Windows, WSL2; core/live/). Calls take the D3DKMT argument structs and return a
// Status (core/Result.h: the NTSTATUS and the words naming what is at fault), never exceptions. What
// the views read of a source is its World (core/world/).
//
// Each call's comment lists the statuses it returns and when. "Simulator:" is core/sim/Simulator
// (SimulatorCalls.cpp, SimulatorPressure.cpp): every check runs before any change, so a failing call
// changes nothing, except a MakeResident with MustSucceed that removes its device; the returned Status's
// message names the argument at fault. An hProcess of NULL stands for the current process, and in the simulator
// there is none before the first process is created: "not a process" includes that NULL. "Windows:" and
// "WSL2:" are the live sources; where one cannot make a call at all it answers STATUS_NOT_SUPPORTED.
// "From the HRESULT" is statusFromHresult() (core/live/LiveBackend.cpp): S_OK and S_FALSE give
// STATUS_SUCCESS, E_NOTIMPL STATUS_NOT_IMPLEMENTED, E_NOINTERFACE and DXGI_ERROR_UNSUPPORTED
// STATUS_NOT_SUPPORTED, E_INVALIDARG and DXGI_ERROR_INVALID_CALL STATUS_INVALID_PARAMETER, E_OUTOFMEMORY
// STATUS_NO_MEMORY, DXGI_ERROR_DEVICE_REMOVED and DXGI_ERROR_DEVICE_RESET STATUS_DEVICE_REMOVED, any
// other STATUS_UNSUCCESSFUL. "From errno" is statusFromErrno() (core/live/Wsl2Backend.cpp): success
// STATUS_SUCCESS, EINVAL and EFAULT STATUS_INVALID_PARAMETER, ENOMEM STATUS_NO_MEMORY, EOVERFLOW
// STATUS_BUFFER_TOO_SMALL, EBADF STATUS_INVALID_HANDLE, EPERM, ENOTTY, ENOSYS and EOPNOTSUPP
// STATUS_NOT_SUPPORTED, ENODEV STATUS_DEVICE_REMOVED, any other STATUS_UNSUCCESSFUL.

#include "core/Result.h"
#include "core/d3dkmt/D3dkmtStructs.h"
#include "core/d3dkmt/NtStatus.h"

#include <cstdint>
#include <string>
#include <vector>

namespace offerscope {

namespace events {
class EventLog;
}

enum class BackendKind : std::uint8_t { Simulator, Windows, Wsl2 };

/// What a backend is and whether it can be used here.
struct BackendInfo {
    BackendKind kind = BackendKind::Simulator;
    std::string name;
    bool available = false;
    std::string unavailableReason; ///< e.g. "not available: /dev/dxg not found"
};

/// One segment of an adapter as discovery reports it.
struct SegmentDesc {
    std::uint32_t segmentId = 0; ///< index as used by D3DKMT_QUERYSTATISTICS_QUERY_SEGMENT
    std::string name;
    std::uint64_t size = 0;
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    bool aperture = false;
};

struct AdapterDesc {
    D3DKMT_HANDLE hAdapter = 0;
    LUID luid;
    std::string description;
    std::vector<SegmentDesc> segments;
};

/// What an application creates: one resource of one or more allocations (probe resources on a live
/// source). Sizes are bytes; segmentId chooses the preferred segment.
struct CreateResourceArgs {
    D3DKMT_HANDLE hDevice = 0;
    std::vector<std::uint64_t> allocationSizes;
    std::uint32_t segmentId = 0;
    UINT residencyPriority = 0x78000000; ///< D3D12_RESIDENCY_PRIORITY_NORMAL
    bool present = false; ///< created with D3D10_DDI_BIND_PRESENT: offer by allocation handle only
    bool makeResident = true; ///< the runtime makes new resources resident (one MakeResident reference)
    std::string name; ///< shown in the views; optional
};

struct CreatedResource {
    D3DKMT_HANDLE hResource = 0;
    std::vector<D3DKMT_HANDLE> allocations;
};

class Backend {
public:
    virtual ~Backend() = default;

    virtual BackendInfo info() const = 0;
    virtual std::vector<AdapterDesc> adapters() const = 0;

    // Resources the program itself owns (the simulator's applications, a live source's probes).
    /// One resource of args.allocationSizes.size() allocations (D3DKMTCreateAllocation).
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hDevice not a device; no sizes or more than 1024;
    ///   segmentId not a segment; a size of 0); STATUS_DEVICE_REMOVED (the device was removed);
    ///   STATUS_NO_MEMORY (a size above its segment's; more than 2^24 - 2 allocations would be live; with
    ///   makeResident: the process would go over its budget in the segment's group even after giving up its own
    ///   resident offers, or the segment cannot free enough even by discarding every offer and evicting everything
    ///   evictable).
    /// Windows: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (no probe device, hDevice not the probe device, no sizes);
    ///   else from ID3D11Device::CreateBuffer's HRESULT (a size of 4 GiB or more counts as E_INVALIDARG).
    /// WSL2: STATUS_NOT_SUPPORTED (telemetry only).
    virtual Status createResource(const CreateResourceArgs& args, CreatedResource& out) = 0;
    /// Destroys a resource and every allocation of it, whatever their state (D3DKMTDestroyAllocation).
    /// Simulator: STATUS_SUCCESS (also on a removed device); STATUS_INVALID_PARAMETER (hDevice not a device;
    ///   hResource not a live resource; a resource of another device).
    /// Windows: STATUS_SUCCESS; STATUS_INVALID_HANDLE (no probe resource of that handle on the probe device).
    /// WSL2: STATUS_NOT_SUPPORTED (telemetry only).
    virtual Status destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource) = 0;

    // The D3DKMT calls of the offer model.
    /// D3DKMTOfferAllocations.
    /// Simulator: STATUS_SUCCESS (also when every allocation named was already offered and the policy accepts it);
    ///   STATUS_INVALID_PARAMETER (hDevice not a device; both or neither array; NumAllocations 0 or > 10240; an
    ///   unknown or stale handle, or one of the other kind; a handle of another device; an allocation named twice;
    ///   a present resource by resource handle; Priority outside 1..4; reserved Flags bits; a locked allocation; one
    ///   already offered, pending or discarded unless SimPolicy::rejectRedundantCalls is false; a decommitted one);
    ///   STATUS_DEVICE_REMOVED (the device was removed).
    /// Windows: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hDevice not the probe device, pResources given, no
    ///   HandleList, NumAllocations 0, Priority other than LOW, NORMAL or HIGH); STATUS_INVALID_HANDLE (a handle that
    ///   is not a probe); STATUS_NOT_SUPPORTED (neither IDXGIDevice2 nor IDXGIDevice4); else from the HRESULT of
    ///   OfferResources1 or OfferResources (E_NOTIMPL: STATUS_NOT_IMPLEMENTED).
    /// WSL2: STATUS_NOT_SUPPORTED (telemetry only).
    virtual Status offerAllocations(const D3DKMT_OFFERALLOCATIONS& args) = 0;
    /// D3DKMTReclaimAllocations. Each allocation's OK, DISCARDED or NOT_COMMITTED goes to pDiscarded, not the status.
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hDevice not a device; both or neither array;
    ///   NumAllocations 0 or > 10240; an unknown or stale handle, or one of the other kind; a handle of another
    ///   device; an allocation named twice; one not offered unless SimPolicy::rejectRedundantCalls is false; a
    ///   decommitted one whose NOT_COMMITTED a reclaim already reported); STATUS_DEVICE_REMOVED (the device was
    ///   removed); STATUS_NO_MEMORY (offers no longer in memory or discarded allocations, unless the process'
    ///   AlwaysFailCommitOnReclaim is on, that have a MakeResident reference must be paged back in, and a segment
    ///   cannot free that much without what this call keeps, such as the resident offers it takes back; or such a
    ///   page-in into two segments of one group did not fit and was undone).
    /// Windows: as reclaimAllocations2 (hDevice is not checked).
    /// WSL2: STATUS_NOT_SUPPORTED (telemetry only).
    virtual Status reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args) = 0;
    /// D3DKMTReclaimAllocations2. Each allocation's result goes to pResults or pDiscarded, not the status.
    /// Simulator: as reclaimAllocations, on the paging queue's device: STATUS_INVALID_PARAMETER also when
    ///   hPagingQueue is not a paging queue (a device handle included); STATUS_DEVICE_REMOVED when its device was
    ///   removed.
    /// Windows: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (pResources given, no HandleList, NumAllocations 0);
    ///   STATUS_INVALID_HANDLE (a handle that is not a probe); STATUS_NOT_SUPPORTED (neither IDXGIDevice2 nor
    ///   IDXGIDevice4); else from the HRESULT of ReclaimResources1 or ReclaimResources (E_NOTIMPL:
    ///   STATUS_NOT_IMPLEMENTED). hPagingQueue is not checked; PagingFenceValue is 0.
    /// WSL2: STATUS_NOT_SUPPORTED (telemetry only).
    virtual Status reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args) = 0;
    /// D3DKMTMakeResident: one more residency reference per allocation; the evicted ones are paged in.
    /// Simulator: STATUS_SUCCESS (all were resident); STATUS_PENDING (paging queued: wait for PagingFenceValue);
    ///   STATUS_INVALID_PARAMETER (hPagingQueue not a paging queue; NumAllocations 0 or > 10240; AllocationList
    ///   NULL; reserved Flags bits; an unknown or stale handle; a handle of another device; an allocation named
    ///   twice; one offered, pending, discarded or decommitted; one with 65535 references already);
    ///   STATUS_NO_MEMORY with NumBytesToTrim > 0 (the process would go over its budget even after giving up its
    ///   own resident offers; not checked with CantTrimFurther; MustSucceed does not change it); STATUS_NO_MEMORY
    ///   with NumBytesToTrim 0 (without MustSucceed: a segment cannot free enough, or a page-in into two segments of
    ///   one group did not fit and was undone);
    ///   STATUS_DEVICE_REMOVED (the queue's device was removed; or, with MustSucceed, the NumBytesToTrim 0 case
    ///   above: this call removes the device). The last two failures set NumAllocations to 0.
    /// Windows, WSL2: STATUS_NOT_SUPPORTED (the live sources do not call it).
    virtual Status makeResident(D3DDDI_MAKERESIDENT& args) = 0;
    /// D3DKMTEvict: one residency reference fewer per allocation; the last one lets it leave memory.
    /// Simulator: STATUS_SUCCESS (NumBytesToTrim: what the process still uses above its budget);
    ///   STATUS_INVALID_PARAMETER (hDevice not a device; NumAllocations 0 or > 10240; AllocationList NULL; reserved
    ///   Flags bits; an unknown or stale handle; a handle of another device; an allocation named twice; one without
    ///   a MakeResident reference); STATUS_DEVICE_REMOVED (the device was removed).
    /// Windows, WSL2: STATUS_NOT_SUPPORTED (the live sources do not call it).
    virtual Status evict(D3DKMT_EVICT& args) = 0;
    /// D3DKMTQueryVideoMemoryInfo.
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_HANDLE (hProcess not NULL and not a process);
    ///   STATUS_INVALID_PARAMETER (a NULL hProcess before any process exists; hAdapter not the adapter;
    ///   MemorySegmentGroup above NON_LOCAL; PhysicalAdapterIndex not 0). See Simulator::queryVideoMemoryInfo.
    /// Windows: STATUS_NOT_SUPPORTED when gdi32 lacks the export; else whatever the export returns, any NTSTATUS
    ///   (e.g. STATUS_ACCESS_DENIED, which NtStatus has no name for).
    /// WSL2: from errno of LX_DXQUERYVIDEOMEMORYINFO; hProcess is set to NULL first (the caller only).
    virtual Status queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) = 0;
    /// D3DKMTChangeVideoMemoryReservation.
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (hProcess not a process, not STATUS_INVALID_HANDLE;
    ///   hAdapter not the adapter; MemorySegmentGroup above NON_LOCAL or PhysicalAdapterIndex not 0; Reservation
    ///   above AvailableForReservation).
    /// Windows, WSL2: STATUS_NOT_SUPPORTED (reservations are left as they are).
    virtual Status changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args) = 0;
    /// D3DKMTQueryStatistics.
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (AdapterLuid not the adapter's; SEGMENT or
    ///   PROCESS_SEGMENT with a SegmentId that is not a segment; PROCESS_SEGMENT or PROCESS_SEGMENT_GROUP with an
    ///   hProcess that is not a process; a QueryProcessSegmentGroup above NON_LOCAL); STATUS_NOT_SUPPORTED (any
    ///   other Type).
    /// Windows: STATUS_NOT_SUPPORTED when gdi32 lacks the export; else whatever the export returns, any NTSTATUS.
    /// WSL2: from errno of LX_DXQUERYSTATISTICS.
    virtual Status queryStatistics(D3DKMT_QUERYSTATISTICS& args) = 0;
    /// D3DKMTQueryProcessOfferInfo.
    /// Simulator: STATUS_SUCCESS; STATUS_INVALID_PARAMETER (cbSize not sizeof(D3DKMT_QUERYPROCESSOFFERINFO); hProcess
    ///   not a process).
    /// Windows, WSL2: STATUS_NOT_SUPPORTED (the live sources do not call it).
    virtual Status queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) = 0;
    /// D3DKMTTrimProcessCommitment.
    /// Simulator: STATUS_SUCCESS (NumBytesDecommitted may be 0); STATUS_INVALID_PARAMETER (cbSize not
    ///   sizeof(D3DKMT_TRIMPROCESSCOMMITMENT); hProcess not a process; Flags bits other than Lazy and OnlyRepurposed).
    /// Windows, WSL2: STATUS_NOT_SUPPORTED (the live sources do not call it).
    virtual Status trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args) = 0;

    /// Every call and transition so far; a live backend logs its calls and their statuses.
    virtual const events::EventLog& eventLog() const = 0;
};

} // namespace offerscope
