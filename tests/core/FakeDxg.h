// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A stand-in for /dev/dxg that answers the backend's ioctls as dxgkrnl does, with fixed readings:
// one adapter, two segments (8 and 16 GiB), this program's budgets (7 and 14 GiB).
#include "core/Units.h"
#include "core/live/DxgUapi.h"
#include "core/live/Wsl2Backend.h"

#include <cerrno>
#include <cstring>
#include <vector>

namespace offerscope::live::testing {

/// dxgkrnl as far as the backend uses it: one adapter, two segments, the program's budgets.
class FakeDxg final : public DxgDevice {
public:
    bool statisticsWriteNothing = false;
    bool enum3Missing = false;
    int videoMemoryError = 0;
    int statisticsError = 0; ///< errno every LX_DXQUERYSTATISTICS answers (0: it answers)
    std::uint32_t adapterCount = 1; ///< adapters the enumeration lists (0 or 1)
    bool removed = false; ///< the GPU went away: every ioctl answers ENODEV, as dxgkrnl does
    std::vector<unsigned long> requests;

    int ioctl(unsigned long request, void* argument) override
    {
        requests.push_back(request);
        if (removed)
            return -ENODEV;
        if (request == dxg::kEnumAdapters3 || request == dxg::kEnumAdapters2) {
            if (request == dxg::kEnumAdapters3 && enum3Missing)
                return -ENOTTY;
            std::uint64_t pointer = 0;
            std::uint32_t* count = nullptr;
            if (request == dxg::kEnumAdapters3) {
                auto* a = static_cast<dxg::EnumAdapters3*>(argument);
                pointer = a->adapters;
                count = &a->adapterCount;
            } else {
                auto* a = static_cast<dxg::EnumAdapters2*>(argument);
                pointer = a->adapters;
                count = &a->numAdapters;
            }
            if (pointer == 0 || adapterCount == 0) {
                *count = adapterCount;
                return 0;
            }
            auto* info = reinterpret_cast<dxg::AdapterInfo*>(static_cast<std::uintptr_t>(pointer));
            info[0].adapterHandle = 0x40000000;
            info[0].adapterLuid = { 0x1234, 0 };
            *count = 1;
            return 0;
        }
        if (request == dxg::kQueryStatistics) {
            auto* q = static_cast<D3DKMT_QUERYSTATISTICS*>(argument);
            if (statisticsError != 0)
                return -statisticsError;
            if (statisticsWriteNothing)
                return 0;
            if (q->Type == D3DKMT_QUERYSTATISTICS_TYPE::Adapter) {
                const std::uint32_t segments = 2;
                std::memcpy(q->QueryResult.Raw, &segments, sizeof segments);
            } else if (q->Type == D3DKMT_QUERYSTATISTICS_TYPE::Segment) {
                auto& s = q->QueryResult.SegmentInformation;
                s.CommitLimit = q->QuerySegment.SegmentId == 0 ? 8 * kGiB : 16 * kGiB;
                s.BytesCommitted = 512 * kMiB;
                s.BytesResident = 256 * kMiB;
                s.Aperture = q->QuerySegment.SegmentId == 1 ? 1 : 0;
            }
            return 0;
        }
        if (request == dxg::kQueryVideoMemoryInfo) {
            if (videoMemoryError != 0)
                return -videoMemoryError;
            auto* q = static_cast<D3DKMT_QUERYVIDEOMEMORYINFO*>(argument);
            if (q->hProcess != 0)
                return -EINVAL;
            q->Budget = q->MemorySegmentGroup == MemorySegmentGroup::Local ? 7 * kGiB : 14 * kGiB;
            q->CurrentUsage = 300 * kMiB;
            q->AvailableForReservation = q->Budget / 2;
            return 0;
        }
        if (request == dxg::kQueryAdapterInfo) {
            auto* q = static_cast<dxg::QueryAdapterInfo*>(argument);
            if (q->type != dxg::kQaiGetSegmentSize || q->privateDataSize != sizeof(dxg::SegmentSizeInfo))
                return -EINVAL;
            auto* sizes = reinterpret_cast<dxg::SegmentSizeInfo*>(static_cast<std::uintptr_t>(q->privateData));
            sizes->dedicatedVideoMemorySize = 4 * kGiB;
            sizes->sharedSystemMemorySize = 8 * kGiB;
            return 0;
        }
        if (request == dxg::kCloseAdapter)
            return 0;
        return -ENOTTY;
    }
};


} // namespace offerscope::live::testing
