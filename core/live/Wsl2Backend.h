// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The WSL2 live source: the dxgkrnl device /dev/dxg, through its ioctls (core/live/DxgUapi.h).
// Telemetry only: adapters (ENUMADAPTERS3, else ENUMADAPTERS2), segments (QUERYSTATISTICS ADAPTER and
// SEGMENT, else QUERYADAPTERINFO GETSEGMENTSIZE), the program's own budget and usage
// (QUERYVIDEOMEMORYINFO; dxgkrnl answers for the calling process only) and segment statistics.
// Real offers need allocations created with the vendor driver's private data, which a tool cannot
// make up: the offer calls answer STATUS_NOT_SUPPORTED and say so.

#include "core/Result.h"
#include "core/live/LiveBackend.h"

#include <memory>
#include <string>

namespace offerscope::live {

inline constexpr const char* kDxgDevicePath = "/dev/dxg";

/// The device the backend talks to: /dev/dxg, or a stand-in in the tests.
class DxgDevice {
public:
    virtual ~DxgDevice() = default;
    /// ioctl(2): 0 or more on success, -errno on failure.
    virtual int ioctl(unsigned long request, void* argument) = 0;
};

class Wsl2Backend final : public LiveBackend {
public:
    /// Opens `path` (normally /dev/dxg) and enumerates its adapters. Null, with the reason
    /// ("not available: /dev/dxg not found"), when it cannot.
    static Result<std::unique_ptr<Wsl2Backend>> open(const char* path);
    /// The same over a given device (the tests' stand-in driver).
    static Result<std::unique_ptr<Wsl2Backend>> openWith(std::unique_ptr<DxgDevice> device);
    ~Wsl2Backend() override;

    BackendInfo info() const override;
    std::vector<AdapterDesc> adapters() const override { return m_adapters; }

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
    D3DKMT_HANDLE probeDevice() const override { return 0; }
    D3DKMT_HANDLE probePagingQueue() const override { return 0; }
    Status addPressure(std::uint64_t bytes) override;
    void releasePressure() override { }

private:
    explicit Wsl2Backend(std::unique_ptr<DxgDevice> device);
    NtStatus call(unsigned long request, void* argument, const char* name);
    Status telemetryOnly(events::ApiCall call);
    Status enumerate();
    void findSegments(AdapterDesc& adapter);

    std::unique_ptr<DxgDevice> m_device;
    std::vector<AdapterDesc> m_adapters;
};

/// The NTSTATUS an errno from /dev/dxg stands for.
NtStatus statusFromErrno(int error);

} // namespace offerscope::live
