// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The calls every source of video-memory behaviour answers: the built-in simulator and the live
// D3DKMT sources (Windows, WSL2; core/live/). Calls take the D3DKMT argument structs and return
// NTSTATUS values, never exceptions. What the views read of a source is its World (core/world/).

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
    virtual NtStatus createResource(const CreateResourceArgs& args, CreatedResource& out) = 0;
    virtual NtStatus destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource) = 0;

    // The D3DKMT calls of the offer model.
    virtual NtStatus offerAllocations(const D3DKMT_OFFERALLOCATIONS& args) = 0;
    virtual NtStatus reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args) = 0;
    virtual NtStatus reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args) = 0;
    virtual NtStatus makeResident(D3DDDI_MAKERESIDENT& args) = 0;
    virtual NtStatus evict(D3DKMT_EVICT& args) = 0;
    virtual NtStatus queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) = 0;
    virtual NtStatus changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args) = 0;
    virtual NtStatus queryStatistics(D3DKMT_QUERYSTATISTICS& args) = 0;
    virtual NtStatus queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) = 0;
    virtual NtStatus trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args) = 0;

    /// Every call and transition so far; a live backend logs its calls and their statuses.
    virtual const events::EventLog& eventLog() const = 0;
};

} // namespace offerscope
