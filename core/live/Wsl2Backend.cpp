// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/Wsl2Backend.h"

#include "core/Units.h"
#include "core/live/DxgUapi.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#ifdef __linux__
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace offerscope::live {

namespace {

#ifdef __linux__
class DevDxg final : public DxgDevice {
public:
    explicit DevDxg(int fd)
        : m_fd(fd)
    {
    }
    ~DevDxg() override { ::close(m_fd); }
    int ioctl(unsigned long request, void* argument) override
    {
        const int r = ::ioctl(m_fd, request, argument);
        return r < 0 ? -errno : r;
    }

private:
    int m_fd;
};
#endif

std::string errnoText(int error)
{
    return std::string(std::strerror(error));
}

LUID toLuid(const dxg::WinLuid& l)
{
    return LUID { l.a, static_cast<std::int32_t>(l.b) };
}

} // namespace

NtStatus statusFromErrno(int error)
{
    switch (error) {
    case 0:
        return NtStatus::Success;
    case EINVAL:
    case EFAULT:
        return NtStatus::InvalidParameter;
    case ENOMEM:
        return NtStatus::NoMemory;
    case EOVERFLOW:
        return NtStatus::BufferTooSmall;
    case EBADF: // dxgkrnl's answer to STATUS_INVALID_HANDLE
        return NtStatus::InvalidHandle;
    case EPERM: // dxgkrnl's answer to STATUS_NOT_SUPPORTED and STATUS_NOT_IMPLEMENTED
    case ENOTTY:
    case ENOSYS:
    case EOPNOTSUPP:
        return NtStatus::NotSupported;
    case ENODEV:
        return NtStatus::DeviceRemoved;
    default:
        return NtStatus::Unsuccessful;
    }
}

Wsl2Backend::Wsl2Backend(std::unique_ptr<DxgDevice> device)
    : m_device(std::move(device))
{
}

Wsl2Backend::~Wsl2Backend()
{
    for (const AdapterDesc& a : m_adapters) {
        dxg::CloseAdapter close { a.hAdapter };
        m_device->ioctl(dxg::kCloseAdapter, &close); // every enumerated adapter was opened for us
    }
}

Result<std::unique_ptr<Wsl2Backend>> Wsl2Backend::open(const char* path)
{
#ifdef __linux__
    const int fd = ::open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        return Status(statusFromErrno(error),
            error == ENOENT ? std::string("not available: ") + path + " not found"
                            : std::string("not available: ") + path + ": " + errnoText(error));
    }
    return openWith(std::make_unique<DevDxg>(fd));
#else
    return Status(NtStatus::NotSupported, std::string("not available: ") + path + " is the WSL2 kernel's device (Linux only)");
#endif
}

Result<std::unique_ptr<Wsl2Backend>> Wsl2Backend::openWith(std::unique_ptr<DxgDevice> device)
{
    std::unique_ptr<Wsl2Backend> self(new Wsl2Backend(std::move(device)));
    if (Status enumerated = self->enumerate(); !enumerated.ok())
        return enumerated;
    for (AdapterDesc& a : self->m_adapters)
        self->findSegments(a);
    return self;
}

NtStatus Wsl2Backend::call(unsigned long request, void* argument, const char* name)
{
    const int r = m_device->ioctl(request, argument);
    const NtStatus status = r < 0 ? statusFromErrno(-r) : NtStatus::Success;
    logTelemetry(name, status, std::string("ioctl(/dev/dxg, ") + name + ")" + (r < 0 ? " -> " + errnoText(-r) : ""),
        r < 0 ? std::string(name) + " failed: " + errnoText(-r) + "." : std::string(name) + " answered.");
    return status;
}

Status Wsl2Backend::enumerate()
{
    std::vector<dxg::AdapterInfo> infos;
    dxg::EnumAdapters3 three;
    NtStatus status = call(dxg::kEnumAdapters3, &three, "LX_DXENUMADAPTERS3");
    if (ntSuccess(status) && three.adapterCount > 0) {
        infos.resize(std::min<std::uint32_t>(three.adapterCount, 64));
        three.adapterCount = static_cast<std::uint32_t>(infos.size());
        three.adapters = reinterpret_cast<std::uintptr_t>(infos.data());
        status = call(dxg::kEnumAdapters3, &three, "LX_DXENUMADAPTERS3");
        infos.resize(ntSuccess(status) ? std::min<std::size_t>(three.adapterCount, infos.size()) : 0);
    }
    if (!ntSuccess(status)) {
        noteProblem("LX_DXENUMADAPTERS3 is not answered (" + std::string(ntStatusName(status)) + "): ENUMADAPTERS2 is used");
        dxg::EnumAdapters2 two;
        status = call(dxg::kEnumAdapters2, &two, "LX_DXENUMADAPTERS2");
        if (ntSuccess(status) && two.numAdapters > 0) {
            infos.resize(std::min<std::uint32_t>(two.numAdapters, 64));
            two.numAdapters = static_cast<std::uint32_t>(infos.size());
            two.adapters = reinterpret_cast<std::uintptr_t>(infos.data());
            status = call(dxg::kEnumAdapters2, &two, "LX_DXENUMADAPTERS2");
            infos.resize(ntSuccess(status) ? std::min<std::size_t>(two.numAdapters, infos.size()) : 0);
        }
    }
    if (!ntSuccess(status))
        return Status(status,
            "not available: /dev/dxg does not answer LX_DXENUMADAPTERS3 or LX_DXENUMADAPTERS2 ("
                + std::string(ntStatusName(status)) + ")");
    for (const dxg::AdapterInfo& info : infos) {
        AdapterDesc a;
        a.hAdapter = info.adapterHandle;
        a.luid = toLuid(info.adapterLuid);
        char name[64];
        std::snprintf(name, sizeof name, "WSL2 adapter %08X:%08X", info.adapterLuid.b, info.adapterLuid.a);
        a.description = name;
        m_adapters.push_back(std::move(a));
    }
    if (m_adapters.empty())
        return Status(NtStatus::NotSupported, "not available: /dev/dxg lists no adapter");
    return {};
}

void Wsl2Backend::findSegments(AdapterDesc& adapter)
{
    D3DKMT_QUERYSTATISTICS q;
    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Adapter;
    q.AdapterLuid = adapter.luid;
    std::uint32_t count = 0;
    if (ntSuccess(queryStatistics(q)))
        std::memcpy(&count, q.QueryResult.Raw, sizeof count); // AdapterInformation.NbSegments
    for (std::uint32_t id = 0; id < std::min<std::uint32_t>(count, 64); ++id) {
        D3DKMT_QUERYSTATISTICS s;
        s.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
        s.AdapterLuid = adapter.luid;
        s.QuerySegment.SegmentId = id;
        if (!ntSuccess(queryStatistics(s)) || s.QueryResult.SegmentInformation.CommitLimit == 0)
            continue;
        const bool aperture = s.QueryResult.SegmentInformation.Aperture != 0;
        adapter.segments.push_back({ id, (aperture ? "aperture segment " : "memory segment ") + std::to_string(id),
            s.QueryResult.SegmentInformation.CommitLimit, aperture ? MemorySegmentGroup::NonLocal : MemorySegmentGroup::Local,
            aperture });
    }
    if (!adapter.segments.empty())
        return;
    // No statistics: the sizes of the adapter info (KMTQAITYPE_GETSEGMENTSIZE).
    dxg::SegmentSizeInfo sizes;
    dxg::QueryAdapterInfo info;
    info.adapter = adapter.hAdapter;
    info.type = dxg::kQaiGetSegmentSize;
    info.privateData = reinterpret_cast<std::uintptr_t>(&sizes);
    info.privateDataSize = sizeof sizes;
    if (ntSuccess(call(dxg::kQueryAdapterInfo, &info, "LX_DXQUERYADAPTERINFO(KMTQAITYPE_GETSEGMENTSIZE)"))) {
        if (sizes.dedicatedVideoMemorySize != 0)
            adapter.segments.push_back(
                { 0, "dedicated video memory", sizes.dedicatedVideoMemorySize, MemorySegmentGroup::Local, false });
        if (sizes.sharedSystemMemorySize != 0)
            adapter.segments.push_back(
                { 1, "shared system memory", sizes.sharedSystemMemorySize, MemorySegmentGroup::NonLocal, true });
    }
    if (adapter.segments.empty())
        noteProblem("no segment sizes for " + adapter.description + ": neither QUERYSTATISTICS nor GETSEGMENTSIZE answered");
}

BackendInfo Wsl2Backend::info() const
{
    return { BackendKind::Wsl2, "WSL2 (/dev/dxg)", true, {} };
}

Status Wsl2Backend::queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args)
{
    args.hProcess = 0; // dxgkrnl answers for the calling process only (a handle is refused with EINVAL)
    args.Budget = args.CurrentUsage = args.CurrentReservation = args.AvailableForReservation = 0;
    return call(dxg::kQueryVideoMemoryInfo, &args, "LX_DXQUERYVIDEOMEMORYINFO");
}

Status Wsl2Backend::queryStatistics(D3DKMT_QUERYSTATISTICS& args)
{
    args.QueryResult = D3DKMT_QUERYSTATISTICS_RESULT(); // zeroed: what is still zero was not written
    return call(dxg::kQueryStatistics, &args, "LX_DXQUERYSTATISTICS");
}

LiveSample Wsl2Backend::sample(const LUID& luid)
{
    LiveSample out;
    out.atMs = elapsedMs();
    out.adapter = luid;
    const auto adapter = std::find_if(m_adapters.begin(), m_adapters.end(), [&](const AdapterDesc& a) { return a.luid == luid; });
    if (adapter == m_adapters.end()) {
        out.notes.push_back("no adapter with this LUID");
        return out;
    }
    bool refused = false, empty = false;
    for (const SegmentDesc& seg : adapter->segments) {
        D3DKMT_QUERYSTATISTICS q;
        q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
        q.AdapterLuid = luid;
        q.QuerySegment.SegmentId = seg.segmentId;
        if (!ntSuccess(queryStatistics(q))) {
            refused = true;
            continue;
        }
        const auto& info = q.QueryResult.SegmentInformation;
        if (info.CommitLimit == 0 && info.BytesCommitted == 0 && info.BytesResident == 0) {
            empty = true;
            continue;
        }
        out.segments.push_back({ seg.segmentId, info.CommitLimit, info.BytesCommitted, info.BytesResident });
    }
    if (refused)
        out.notes.push_back("LX_DXQUERYSTATISTICS (SEGMENT) was refused: no segment statistics");
    if (empty)
        out.notes.push_back("LX_DXQUERYSTATISTICS (SEGMENT) succeeded but wrote nothing: no segment statistics shown");
    for (const MemorySegmentGroup group : { MemorySegmentGroup::Local, MemorySegmentGroup::NonLocal }) {
        D3DKMT_QUERYVIDEOMEMORYINFO q;
        q.hAdapter = adapter->hAdapter;
        q.MemorySegmentGroup = group;
        const NtStatus status = queryVideoMemoryInfo(q);
        const char* groupName = group == MemorySegmentGroup::Local ? "LOCAL" : "NON_LOCAL";
        if (!ntSuccess(status)) {
            out.notes.push_back(std::string("LX_DXQUERYVIDEOMEMORYINFO (") + groupName + ") returned "
                + std::string(ntStatusName(status)));
            continue;
        }
        out.groups.push_back({ group, "LX_DXQUERYVIDEOMEMORYINFO", q.Budget, q.CurrentUsage, q.CurrentReservation,
            q.AvailableForReservation });
    }
    return out;
}

Status Wsl2Backend::telemetryOnly(events::ApiCall call)
{
    std::string words = noteProblem(
        "WSL2 is telemetry only here: real offers need allocations made with the GPU vendor's private driver "
        "data, which this program cannot create");
    logCall(call, NtStatus::NotSupported, {}, words);
    return Status(NtStatus::NotSupported, std::move(words));
}

Status Wsl2Backend::createResource(const CreateResourceArgs&, CreatedResource& out)
{
    out = {};
    return telemetryOnly(events::ApiCall::CreateAllocation);
}
Status Wsl2Backend::destroyResource(D3DKMT_HANDLE, D3DKMT_HANDLE)
{
    return telemetryOnly(events::ApiCall::DestroyAllocation);
}
Status Wsl2Backend::offerAllocations(const D3DKMT_OFFERALLOCATIONS&)
{
    return telemetryOnly(events::ApiCall::OfferAllocations);
}
Status Wsl2Backend::reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS&)
{
    return telemetryOnly(events::ApiCall::ReclaimAllocations);
}
Status Wsl2Backend::reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2&)
{
    return telemetryOnly(events::ApiCall::ReclaimAllocations2);
}
Status Wsl2Backend::makeResident(D3DDDI_MAKERESIDENT&)
{
    return telemetryOnly(events::ApiCall::MakeResident);
}
Status Wsl2Backend::evict(D3DKMT_EVICT&)
{
    return telemetryOnly(events::ApiCall::Evict);
}
Status Wsl2Backend::changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION&)
{
    return telemetryOnly(events::ApiCall::ChangeVideoMemoryReservation);
}
Status Wsl2Backend::queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO&)
{
    return telemetryOnly(events::ApiCall::QueryProcessOfferInfo);
}
Status Wsl2Backend::trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT&)
{
    return telemetryOnly(events::ApiCall::TrimProcessCommitment);
}
Status Wsl2Backend::addPressure(std::uint64_t)
{
    return telemetryOnly(events::ApiCall::CreateAllocation);
}

} // namespace offerscope::live
