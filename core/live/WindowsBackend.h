// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The Windows live source (compiled only where _WIN32 is defined; MinGW-w64 headers suffice).
//
// Telemetry comes from the gdi32 D3DKMT exports, looked up at run time because which ones exist
// depends on the Windows version (and on Wine): adapters from D3DKMTEnumAdapters2, or else from DXGI
// adapter enumeration plus D3DKMTOpenAdapterFromLuid; segment statistics from D3DKMTQueryStatistics
// (output zeroed first, and an untouched output is reported as "no numbers", not as zeros); budgets
// from D3DKMTQueryVideoMemoryInfo, or else IDXGIAdapter3::QueryVideoMemoryInfo.
//
// Offers are real: the program creates D3D11 buffers of its own (probe resources) on the chosen
// adapter and offers and reclaims them through IDXGIDevice4::OfferResources1/ReclaimResources1, or
// IDXGIDevice2::OfferResources/ReclaimResources where IDXGIDevice4 is missing. A probe is addressed
// with a handle this backend gives it (0x40000001, ...): DXGI does not show the kernel handles.

#include "core/Result.h"
#include "core/live/LiveBackend.h"

#include <memory>
#include <optional>

namespace offerscope::live {

class WindowsBackend final : public LiveBackend {
public:
    /// Loads gdi32's exports, enumerates the adapters and creates the probe device on the first one
    /// (or the one with `adapterIndex` in adapters()). Null, with the reason, when no adapter works.
    static Result<std::unique_ptr<WindowsBackend>> open(std::size_t adapterIndex = 0);
    ~WindowsBackend() override;

    BackendInfo info() const override;
    std::vector<AdapterDesc> adapters() const override;

    Status createResource(const CreateResourceArgs& args, CreatedResource& out) override;
    Status destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource) override;
    Status offerAllocations(const D3DKMT_OFFERALLOCATIONS& args) override;
    Status reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args) override;
    Status reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args) override;
    Status makeResident(D3DDDI_MAKERESIDENT& args) override;
    Status evict(D3DKMT_EVICT& args) override;
    Status queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) override;
    Status changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args) override;
    Status queryStatistics(D3DKMT_QUERYSTATISTICS& args) override;
    Status queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) override;
    Status trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args) override;

    LiveSample sample(const LUID& adapter) override;
    D3DKMT_HANDLE probeDevice() const override;
    D3DKMT_HANDLE probePagingQueue() const override { return 0; }
    Status addPressure(std::uint64_t bytes) override;
    void releasePressure() override;

    /// What this runtime gave: which gdi32 exports exist, whether IDXGIDevice4 does (for tests).
    bool hasExport(const char* name) const;
    bool hasDevice4() const;
    /// The probe device's adapter handle from D3DKMTOpenAdapterFromLuid / EnumAdapters2 (0: none).
    D3DKMT_HANDLE adapterHandle() const;

private:
    WindowsBackend();
    /// Logs a call this source does not make and answers STATUS_NOT_SUPPORTED with `why`.
    Status notOnALiveSource(events::ApiCall call, std::string why);
    struct Selected;
    /// The probes these handles name, in order; the first handle that is not a probe, if any.
    std::optional<D3DKMT_HANDLE> selectProbes(const D3DKMT_HANDLE* handles, UINT count, Selected& out) const;
    /// Other processes' budgets and usage (QueryStatistics PROCESS_SEGMENT_GROUP), where permitted.
    void readOtherProcesses(const LUID& luid, LiveSample& out);
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace offerscope::live
