// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/WindowsBackend.h"

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <tlhelp32.h>

#include <d3d11.h>
#include <dxgi1_5.h>

#include "core/Units.h"
#include "core/live/WindowsKmtAbi.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>

namespace offerscope::live {

namespace {

/// A COM pointer that releases what it holds.
template <class T> class Com {
public:
    Com() = default;
    Com(const Com&) = delete;
    Com& operator=(const Com&) = delete;
    Com(Com&& other) noexcept
        : m_p(std::exchange(other.m_p, nullptr))
    {
    }
    Com& operator=(Com&& other) noexcept
    {
        if (this != &other) {
            reset();
            m_p = std::exchange(other.m_p, nullptr);
        }
        return *this;
    }
    ~Com() { reset(); }
    void reset()
    {
        if (m_p != nullptr)
            m_p->Release();
        m_p = nullptr;
    }
    T* get() const { return m_p; }
    T* operator->() const { return m_p; }
    T** put()
    {
        reset();
        return &m_p;
    }
    explicit operator bool() const { return m_p != nullptr; }
    template <class U> Com<U> as(HRESULT* hr = nullptr) const
    {
        Com<U> out;
        const HRESULT got = m_p != nullptr ? m_p->QueryInterface(__uuidof(U), reinterpret_cast<void**>(out.put()))
                                           : E_POINTER;
        if (hr != nullptr)
            *hr = got;
        return out;
    }

private:
    T* m_p = nullptr;
};

std::uint32_t hrBits(HRESULT hr)
{
    return static_cast<std::uint32_t>(hr);
}

std::string narrow(const wchar_t* text)
{
    std::string out;
    for (; *text != 0; ++text)
        out += *text < 128 ? static_cast<char>(*text) : '?';
    return out;
}


std::string luidText(const LUID& luid)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "{ LowPart = 0x%08X, HighPart = %d }", luid.LowPart, luid.HighPart);
    return buffer;
}

const char* dxgiPriorityName(OfferPriority p)
{
    switch (p) {
    case OfferPriority::Low: return "DXGI_OFFER_RESOURCE_PRIORITY_LOW";
    case OfferPriority::Normal: return "DXGI_OFFER_RESOURCE_PRIORITY_NORMAL";
    case OfferPriority::High: return "DXGI_OFFER_RESOURCE_PRIORITY_HIGH";
    default: return "?";
    }
}

} // namespace

struct WindowsBackend::Impl {
    HMODULE gdi32 = nullptr;
    std::map<std::string, KmtEntry> exports; ///< the D3DKMT exports this runtime has

    struct Adapter {
        AdapterDesc desc;
        Com<IDXGIAdapter1> dxgi; ///< null when found through EnumAdapters2 only
        bool opened = false; ///< hAdapter came from an open call and must be closed
    };
    std::vector<Adapter> adapters;
    std::size_t probeAdapter = 0;
    Com<ID3D11Device> device;
    Com<IDXGIDevice2> device2;
    Com<IDXGIDevice4> device4;

    struct Probe {
        D3DKMT_HANDLE resource = 0;
        std::uint64_t size = 0;
        std::string name;
        Com<ID3D11Buffer> buffer;
        Com<IDXGIResource> dxgi;
    };
    std::map<D3DKMT_HANDLE, Probe> probes; ///< by allocation handle
    std::vector<Com<ID3D11Buffer>> fillers;
    D3DKMT_HANDLE nextAllocation = 0x40000001;
    D3DKMT_HANDLE nextResource = 0x80000001;

    KmtEntry entry(const char* name) const
    {
        const auto it = exports.find(name);
        return it == exports.end() ? nullptr : it->second;
    }
    const Adapter* adapterByLuid(const LUID& luid) const
    {
        for (const Adapter& a : adapters)
            if (a.desc.luid == luid)
                return &a;
        return nullptr;
    }
};

WindowsBackend::WindowsBackend()
    : d(std::make_unique<Impl>())
{
}

WindowsBackend::~WindowsBackend()
{
    d->fillers.clear();
    d->probes.clear();
    d->device4.reset();
    d->device2.reset();
    d->device.reset();
    if (const KmtEntry close = d->entry("D3DKMTCloseAdapter"))
        for (Impl::Adapter& a : d->adapters)
            if (a.opened) {
                KmtCloseAdapter args { a.desc.hAdapter };
                close(&args);
            }
    d->adapters.clear();
    if (d->gdi32 != nullptr)
        FreeLibrary(d->gdi32);
}

Result<std::unique_ptr<WindowsBackend>> WindowsBackend::open(std::size_t adapterIndex)
{
    std::unique_ptr<WindowsBackend> self(new WindowsBackend());
    Impl& d = *self->d;
    auto fail = [](std::string why) { return Status(NtStatus::NotSupported, "not available: " + why); };

    // gdi32's D3DKMT exports, each looked up on its own: a missing one disables what needs it only.
    d.gdi32 = LoadLibraryW(L"gdi32.dll");
    if (d.gdi32 != nullptr) {
        for (const char* name : { "D3DKMTEnumAdapters2", "D3DKMTOpenAdapterFromLuid", "D3DKMTCloseAdapter",
                 "D3DKMTQueryAdapterInfo", "D3DKMTQueryVideoMemoryInfo", "D3DKMTQueryStatistics" }) {
            if (FARPROC p = GetProcAddress(d.gdi32, name))
                d.exports[name] = reinterpret_cast<KmtEntry>(reinterpret_cast<void*>(p));
            else
                self->noteProblem(std::string(name) + " is not exported by gdi32.dll on this system");
        }
    } else {
        self->noteProblem("gdi32.dll could not be loaded: no D3DKMT telemetry");
    }

    // Adapters: D3DKMTEnumAdapters2 where exported, DXGI enumeration (and OpenAdapterFromLuid) always,
    // for the adapters the probes need.
    if (const KmtEntry enumerate = d.entry("D3DKMTEnumAdapters2")) {
        KmtEnumAdapters2 args {};
        LONG status = enumerate(&args);
        std::vector<KmtAdapterInfo> infos(args.NumAdapters);
        if (status == 0 && args.NumAdapters > 0) {
            args.pAdapters = infos.data();
            status = enumerate(&args);
        }
        self->logCall(events::ApiCall::None, static_cast<NtStatus>(static_cast<std::uint32_t>(status)),
            "D3DKMT_ENUMADAPTERS2 args = {};\nD3DKMTEnumAdapters2(&args); // twice: count, then fill",
            "Enumerated " + std::to_string(status == 0 ? args.NumAdapters : 0) + " adapter(s) with D3DKMTEnumAdapters2.");
        if (status == 0)
            for (UINT i = 0; i < args.NumAdapters; ++i) {
                Impl::Adapter a;
                a.desc.hAdapter = infos[i].hAdapter;
                a.desc.luid = LUID { infos[i].AdapterLuid.LowPart, infos[i].AdapterLuid.HighPart };
                a.desc.description = "adapter " + luidText(a.desc.luid);
                a.opened = true; // EnumAdapters2 opens every adapter it returns
                d.adapters.push_back(std::move(a));
            }
    }
    Com<IDXGIFactory1> factory;
    const HRESULT factoryHr = CreateDXGIFactory1(__uuidof(IDXGIFactory1), reinterpret_cast<void**>(factory.put()));
    if (FAILED(factoryHr))
        self->noteProblem("CreateDXGIFactory1 returned " + hresultText(hrBits(factoryHr)) + ": no probe resources");
    for (UINT i = 0; factory; ++i) {
        Com<IDXGIAdapter1> adapter;
        if (factory->EnumAdapters1(i, adapter.put()) != S_OK)
            break;
        DXGI_ADAPTER_DESC1 desc {};
        adapter->GetDesc1(&desc);
        const LUID luid { desc.AdapterLuid.LowPart, desc.AdapterLuid.HighPart };
        Impl::Adapter* known = nullptr;
        for (Impl::Adapter& a : d.adapters)
            if (a.desc.luid == luid)
                known = &a;
        if (known == nullptr) {
            Impl::Adapter a;
            a.desc.luid = luid;
            if (const KmtEntry openLuid = d.entry("D3DKMTOpenAdapterFromLuid")) {
                KmtOpenAdapterFromLuid args {};
                args.AdapterLuid = desc.AdapterLuid;
                const LONG status = openLuid(&args);
                self->logCall(events::ApiCall::None, static_cast<NtStatus>(static_cast<std::uint32_t>(status)),
                    "D3DKMT_OPENADAPTERFROMLUID args = {};\nargs.AdapterLuid = " + luidText(luid)
                        + ";\nD3DKMTOpenAdapterFromLuid(&args); // hAdapter = " + formatHex(args.hAdapter),
                    status == 0 ? "Opened the adapter by its LUID: it can be queried with D3DKMT calls."
                                : "Could not open the adapter by its LUID.");
                if (status == 0) {
                    a.desc.hAdapter = args.hAdapter;
                    a.opened = true;
                }
            }
            d.adapters.push_back(std::move(a));
            known = &d.adapters.back();
        }
        known->desc.description = narrow(desc.Description);
        known->dxgi = std::move(adapter);
        // Sizes as DXGI reports them; replaced by the segments of D3DKMTQueryStatistics where it answers.
        known->desc.segments.clear();
        if (desc.DedicatedVideoMemory != 0)
            known->desc.segments.push_back(
                { 0, "dedicated video memory (DXGI)", desc.DedicatedVideoMemory, MemorySegmentGroup::Local, false });
        if (desc.SharedSystemMemory != 0)
            known->desc.segments.push_back(
                { 1, "shared system memory (DXGI)", desc.SharedSystemMemory, MemorySegmentGroup::NonLocal, true });
    }
    if (d.adapters.empty())
        return fail("no adapter found (neither D3DKMTEnumAdapters2 nor DXGI enumerated one)");

    // Segments from D3DKMTQueryStatistics (ADAPTER for the count, SEGMENT for each), when it answers.
    if (const KmtEntry query = d.entry("D3DKMTQueryStatistics"))
        for (Impl::Adapter& a : d.adapters) {
            D3DKMT_QUERYSTATISTICS args;
            args.Type = D3DKMT_QUERYSTATISTICS_TYPE::Adapter;
            args.AdapterLuid = a.desc.luid;
            const LONG status = query(&args);
            std::uint32_t segments = 0;
            std::memcpy(&segments, args.QueryResult.Raw, sizeof segments); // AdapterInformation.NbSegments
            if (status != 0 || segments == 0 || segments > 64)
                continue;
            std::vector<SegmentDesc> found;
            for (std::uint32_t id = 0; id < segments; ++id) {
                D3DKMT_QUERYSTATISTICS s;
                s.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
                s.AdapterLuid = a.desc.luid;
                s.QuerySegment.SegmentId = id;
                if (query(&s) != 0)
                    continue;
                const auto& info = s.QueryResult.SegmentInformation;
                const bool aperture = info.Aperture != 0;
                found.push_back({ id, (aperture ? "aperture segment " : "memory segment ") + std::to_string(id),
                    info.CommitLimit, aperture ? MemorySegmentGroup::NonLocal : MemorySegmentGroup::Local, aperture });
            }
            if (!found.empty())
                a.desc.segments = std::move(found);
        }

    // The probe device, on the chosen adapter.
    std::vector<std::size_t> withDxgi;
    for (std::size_t i = 0; i < d.adapters.size(); ++i)
        if (d.adapters[i].dxgi)
            withDxgi.push_back(i);
    if (withDxgi.empty()) {
        self->noteProblem("no DXGI adapter: telemetry only, no probe resources");
        return self;
    }
    d.probeAdapter = withDxgi[std::min(adapterIndex, withDxgi.size() - 1)];
    const D3D_FEATURE_LEVEL levels[] = { D3D_FEATURE_LEVEL_11_0, D3D_FEATURE_LEVEL_10_1, D3D_FEATURE_LEVEL_10_0 };
    const HRESULT deviceHr = D3D11CreateDevice(d.adapters[d.probeAdapter].dxgi.get(), D3D_DRIVER_TYPE_UNKNOWN,
        nullptr, 0, levels, static_cast<UINT>(std::size(levels)), D3D11_SDK_VERSION, d.device.put(), nullptr, nullptr);
    self->logCall(events::ApiCall::None, statusFromHresult(hrBits(deviceHr)),
        "D3D11CreateDevice(pAdapter = '" + d.adapters[d.probeAdapter].desc.description
            + "', D3D_DRIVER_TYPE_UNKNOWN, ...) -> " + hresultText(hrBits(deviceHr)),
        SUCCEEDED(deviceHr) ? "Created the D3D11 device that owns the probe resources."
                            : "Could not create a D3D11 device: no probe resources.");
    if (FAILED(deviceHr)) {
        self->noteProblem("D3D11CreateDevice returned " + hresultText(hrBits(deviceHr)) + ": no probe resources");
        return self;
    }
    HRESULT hr = S_OK;
    d.device2 = d.device.as<IDXGIDevice2>(&hr);
    if (!d.device2)
        self->noteProblem("IDXGIDevice2 is not available (" + hresultText(hrBits(hr)) + "): no offers");
    d.device4 = d.device.as<IDXGIDevice4>(&hr);
    if (!d.device4)
        self->noteProblem("IDXGIDevice4 is not available (" + hresultText(hrBits(hr))
            + "): offers go through IDXGIDevice2::OfferResources, without AllowDecommit or NOT_COMMITTED results");
    return self;
}

BackendInfo WindowsBackend::info() const
{
    return { BackendKind::Windows, "Windows (D3DKMT)", true, {} };
}

std::vector<AdapterDesc> WindowsBackend::adapters() const
{
    std::vector<AdapterDesc> out;
    for (const Impl::Adapter& a : d->adapters)
        out.push_back(a.desc);
    return out;
}

bool WindowsBackend::hasExport(const char* name) const
{
    return d->entry(name) != nullptr;
}

bool WindowsBackend::hasDevice4() const
{
    return static_cast<bool>(d->device4);
}

D3DKMT_HANDLE WindowsBackend::adapterHandle() const
{
    return d->adapters.empty() ? 0 : d->adapters[d->probeAdapter].desc.hAdapter;
}

D3DKMT_HANDLE WindowsBackend::probeDevice() const
{
    return d->device ? 0x00010001u : 0u; // one device: a fixed handle stands for it
}

Status WindowsBackend::createResource(const CreateResourceArgs& args, CreatedResource& out)
{
    out = {};
    if (!d->device || args.hDevice != probeDevice() || args.allocationSizes.empty()) {
        logCall(events::ApiCall::CreateAllocation, NtStatus::InvalidParameter, {},
            !d->device ? "No probe device on this source: resources cannot be created."
                       : "createResource: the device handle is not the probe device's, or no sizes were given.");
        return NtStatus::InvalidParameter;
    }
    const D3DKMT_HANDLE resource = d->nextResource++;
    std::vector<Impl::Probe> made;
    for (std::uint64_t size : args.allocationSizes) {
        D3D11_BUFFER_DESC desc {};
        desc.ByteWidth = static_cast<UINT>(std::min<std::uint64_t>(size, 0xFFFFFFFFu));
        desc.Usage = D3D11_USAGE_DEFAULT;
        desc.BindFlags = D3D11_BIND_SHADER_RESOURCE;
        Impl::Probe probe;
        const HRESULT hr = size > 0xFFFFFFFFu ? E_INVALIDARG : d->device->CreateBuffer(&desc, nullptr, probe.buffer.put());
        const std::string call = "D3D11_BUFFER_DESC desc = { ByteWidth = " + std::to_string(size)
            + ", D3D11_USAGE_DEFAULT, D3D11_BIND_SHADER_RESOURCE };\nID3D11Device::CreateBuffer(&desc, NULL, &buffer) -> "
            + hresultText(hrBits(hr));
        if (FAILED(hr)) {
            logCall(events::ApiCall::CreateAllocation, statusFromHresult(hrBits(hr)), call,
                "Could not create a probe buffer of " + formatBytes(size) + ".");
            return statusFromHresult(hrBits(hr));
        }
        probe.dxgi = probe.buffer.as<IDXGIResource>();
        probe.resource = resource;
        probe.size = size;
        probe.name = args.name.empty() ? "probe " + std::to_string(d->probes.size() + made.size() + 1) : args.name;
        made.push_back(std::move(probe));
    }
    out.hResource = resource;
    for (Impl::Probe& probe : made) {
        const D3DKMT_HANDLE handle = d->nextAllocation++;
        out.allocations.push_back(handle);
        logCall(events::ApiCall::CreateAllocation, NtStatus::Success,
            "ID3D11Device::CreateBuffer(ByteWidth = " + std::to_string(probe.size) + ") -> S_OK",
            "Created probe '" + probe.name + "' (" + formatHex(handle) + ", " + formatBytes(probe.size)
                + "): a real D3D11 buffer of this program.",
            { handle });
        d->probes.emplace(handle, std::move(probe));
    }
    return NtStatus::Success;
}

Status WindowsBackend::destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource)
{
    std::size_t removed = 0;
    for (auto it = d->probes.begin(); it != d->probes.end();)
        if (hDevice == probeDevice() && it->second.resource == hResource) {
            it = d->probes.erase(it);
            ++removed;
        } else {
            ++it;
        }
    const NtStatus status = removed > 0 ? NtStatus::Success : NtStatus::InvalidHandle;
    logCall(events::ApiCall::DestroyAllocation, status, "IUnknown::Release() on each buffer of " + formatHex(hResource),
        removed > 0 ? "Released the probe resource." : "No probe resource has this handle.");
    return status;
}

struct WindowsBackend::Selected {
    std::vector<IDXGIResource*> resources;
    std::vector<D3DKMT_HANDLE> handles;
    std::string names;
};

std::optional<D3DKMT_HANDLE> WindowsBackend::selectProbes(const D3DKMT_HANDLE* handles, UINT count, Selected& out) const
{
    for (UINT i = 0; i < count; ++i) {
        const auto it = d->probes.find(handles[i]);
        if (it == d->probes.end() || !it->second.dxgi)
            return handles[i];
        out.resources.push_back(it->second.dxgi.get());
        out.handles.push_back(handles[i]);
        out.names += (out.names.empty() ? "" : ", ") + it->second.name;
    }
    return std::nullopt;
}

Status WindowsBackend::offerAllocations(const D3DKMT_OFFERALLOCATIONS& args)
{
    auto refuse = [&](NtStatus status, std::string why) {
        logCall(events::ApiCall::OfferAllocations, status, "D3DKMTOfferAllocations (through DXGI): not called", std::move(why));
        return status;
    };
    if (args.hDevice != probeDevice() || args.HandleList == nullptr || args.pResources != nullptr || args.NumAllocations == 0)
        return refuse(NtStatus::InvalidParameter,
            "Probes are offered by allocation handle (HandleList), on the probe device, at least one.");
    if (args.Priority != OfferPriority::Low && args.Priority != OfferPriority::Normal && args.Priority != OfferPriority::High)
        return refuse(NtStatus::InvalidParameter,
            "DXGI offers take LOW, NORMAL or HIGH; AUTO is the D3D12 residency-priority mapping, not a DXGI priority.");
    Selected sel;
    if (const auto unknown = selectProbes(args.HandleList, args.NumAllocations, sel))
        return refuse(NtStatus::InvalidHandle, formatHex(*unknown) + " is not a probe of this program.");
    if (!d->device2 && !d->device4)
        return refuse(NtStatus::NotSupported, "Neither IDXGIDevice2 nor IDXGIDevice4 is available: no offers here.");
    const auto prio = static_cast<DXGI_OFFER_RESOURCE_PRIORITY>(static_cast<int>(args.Priority));
    HRESULT hr = S_OK;
    std::string call;
    const bool decommit = args.Flags.AllowDecommit();
    if (d->device4) {
        hr = d->device4->OfferResources1(static_cast<UINT>(sel.resources.size()), sel.resources.data(), prio,
            decommit ? DXGI_OFFER_RESOURCE_FLAG_ALLOW_DECOMMIT : 0);
        call = "IDXGIDevice4::OfferResources1(NumResources = " + std::to_string(sel.resources.size())
            + ", ppResources = { " + sel.names + " }, Priority = " + dxgiPriorityName(args.Priority)
            + ", Flags = " + (decommit ? "DXGI_OFFER_RESOURCE_FLAG_ALLOW_DECOMMIT" : "0") + ")";
    } else {
        hr = d->device2->OfferResources(static_cast<UINT>(sel.resources.size()), sel.resources.data(), prio);
        call = "IDXGIDevice2::OfferResources(NumResources = " + std::to_string(sel.resources.size())
            + ", ppResources = { " + sel.names + " }, Priority = " + dxgiPriorityName(args.Priority) + ")";
        if (decommit)
            noteProblem("AllowDecommit needs IDXGIDevice4::OfferResources1; offered without it through IDXGIDevice2");
    }
    call += "\n  -> " + hresultText(hrBits(hr));
    const NtStatus status = statusFromHresult(hrBits(hr));
    std::string words;
    if (SUCCEEDED(hr))
        words = "Offered " + sel.names + " at " + std::string(offerPriorityName(args.Priority))
            + ": the driver may now discard them under pressure.";
    else if (hrBits(hr) == 0x80004001u)
        words = noteProblem("this runtime does not implement offers (" + std::string(d->device4 ? "OfferResources1" : "OfferResources")
            + " returned E_NOTIMPL)");
    else
        words = "The offer failed: " + hresultText(hrBits(hr)) + ".";
    logCall(events::ApiCall::OfferAllocations, status, call, words, sel.handles, {}, args.Priority);
    return status;
}

Status WindowsBackend::reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args)
{
    args.PagingFenceValue = 0;
    auto refuse = [&](NtStatus status, std::string why) {
        logCall(events::ApiCall::ReclaimAllocations2, status, "ReclaimResources: not called", std::move(why));
        return status;
    };
    if (args.HandleList == nullptr || args.pResources != nullptr || args.NumAllocations == 0)
        return refuse(NtStatus::InvalidParameter, "Probes are reclaimed by allocation handle (HandleList), at least one.");
    Selected sel;
    if (const auto unknown = selectProbes(args.HandleList, args.NumAllocations, sel))
        return refuse(NtStatus::InvalidHandle, formatHex(*unknown) + " is not a probe of this program.");
    if (!d->device2 && !d->device4)
        return refuse(NtStatus::NotSupported, "Neither IDXGIDevice2 nor IDXGIDevice4 is available: no reclaims here.");
    std::vector<ReclaimResult> results(sel.resources.size(), ReclaimResult::Ok);
    HRESULT hr = S_OK;
    std::string call;
    if (d->device4) {
        std::vector<DXGI_RECLAIM_RESOURCE_RESULTS> got(sel.resources.size(), DXGI_RECLAIM_RESOURCE_RESULT_OK);
        hr = d->device4->ReclaimResources1(static_cast<UINT>(sel.resources.size()), sel.resources.data(), got.data());
        for (std::size_t i = 0; i < got.size(); ++i)
            results[i] = got[i] == DXGI_RECLAIM_RESOURCE_RESULT_DISCARDED ? ReclaimResult::Discarded
                : got[i] == DXGI_RECLAIM_RESOURCE_RESULT_NOT_COMMITTED    ? ReclaimResult::NotCommitted
                                                                          : ReclaimResult::Ok;
        call = "IDXGIDevice4::ReclaimResources1(NumResources = " + std::to_string(sel.resources.size())
            + ", ppResources = { " + sel.names + " }, pResults)";
    } else {
        std::vector<BOOL> discarded(sel.resources.size(), FALSE);
        hr = d->device2->ReclaimResources(static_cast<UINT>(sel.resources.size()), sel.resources.data(), discarded.data());
        for (std::size_t i = 0; i < discarded.size(); ++i)
            results[i] = discarded[i] ? ReclaimResult::Discarded : ReclaimResult::Ok;
        call = "IDXGIDevice2::ReclaimResources(NumResources = " + std::to_string(sel.resources.size())
            + ", ppResources = { " + sel.names + " }, pDiscarded)";
    }
    call += "\n  -> " + hresultText(hrBits(hr));
    const NtStatus status = statusFromHresult(hrBits(hr));
    if (FAILED(hr)) {
        const std::string words = hrBits(hr) == 0x80004001u
            ? noteProblem("this runtime does not implement offers (" + std::string(d->device4 ? "ReclaimResources1" : "ReclaimResources")
                + " returned E_NOTIMPL)")
            : "The reclaim failed: " + hresultText(hrBits(hr)) + ".";
        logCall(events::ApiCall::ReclaimAllocations2, status, call, words, sel.handles);
        return status;
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (args.pResults != nullptr)
            args.pResults[i] = results[i];
        logCall(events::ApiCall::ReclaimAllocations2, status, call,
            d->probes[sel.handles[i]].name + ": the driver answered " + std::string(reclaimResultName(results[i])) + ".",
            { sel.handles[i] }, results[i]);
    }
    return status;
}

Status WindowsBackend::reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args)
{
    D3DKMT_RECLAIMALLOCATIONS2 two;
    two.NumAllocations = args.NumAllocations;
    two.HandleList = args.HandleList;
    two.pResources = args.pResources;
    std::vector<ReclaimResult> results(args.NumAllocations, ReclaimResult::Ok);
    two.pResults = results.data();
    const NtStatus status = reclaimAllocations2(two);
    if (ntSuccess(status) && args.pDiscarded != nullptr)
        for (UINT i = 0; i < args.NumAllocations; ++i)
            args.pDiscarded[i] = results[i] == ReclaimResult::Ok ? 0 : 1;
    return status;
}

Status WindowsBackend::notOnALiveSource(events::ApiCall call, std::string why)
{
    logCall(call, NtStatus::NotSupported, {}, why);
    return Status(NtStatus::NotSupported, std::move(why));
}

Status WindowsBackend::makeResident(D3DDDI_MAKERESIDENT&)
{
    return notOnALiveSource(events::ApiCall::MakeResident,
        "Not on a live source: D3D11 makes its own resources resident; this program cannot call MakeResident for it.");
}

Status WindowsBackend::evict(D3DKMT_EVICT&)
{
    return notOnALiveSource(
        events::ApiCall::Evict, "Not on a live source: D3D11 (and the driver) decide evictions of its resources.");
}

Status WindowsBackend::changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION&)
{
    return notOnALiveSource(events::ApiCall::ChangeVideoMemoryReservation,
        "Not on a live source: reservations are left as they are, so the readings stay the machine's own.");
}

Status WindowsBackend::queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO&)
{
    return notOnALiveSource(events::ApiCall::QueryProcessOfferInfo,
        "Not on a live source: D3DKMTQueryProcessOfferInfo is not called here.");
}

Status WindowsBackend::trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT&)
{
    return notOnALiveSource(events::ApiCall::TrimProcessCommitment,
        "Not on a live source: D3DKMTTrimProcessCommitment is not called here.");
}

Status WindowsBackend::queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args)
{
    const KmtEntry query = d->entry("D3DKMTQueryVideoMemoryInfo");
    if (query == nullptr)
        return NtStatus::NotSupported;
    args.Budget = args.CurrentUsage = args.CurrentReservation = args.AvailableForReservation = 0;
    return static_cast<NtStatus>(static_cast<std::uint32_t>(query(&args)));
}

Status WindowsBackend::queryStatistics(D3DKMT_QUERYSTATISTICS& args)
{
    const KmtEntry query = d->entry("D3DKMTQueryStatistics");
    if (query == nullptr)
        return NtStatus::NotSupported;
    args.QueryResult = D3DKMT_QUERYSTATISTICS_RESULT(); // zeroed: what is still zero was not written
    return static_cast<NtStatus>(static_cast<std::uint32_t>(query(&args)));
}

LiveSample WindowsBackend::sample(const LUID& luid)
{
    LiveSample out;
    out.atMs = elapsedMs();
    out.adapter = luid;
    const Impl::Adapter* adapter = d->adapterByLuid(luid);
    if (adapter == nullptr) {
        out.notes.push_back("no adapter with LUID " + luidText(luid));
        return out;
    }
    auto logOnChange = [this](const std::string& name, NtStatus status, const std::string& words) {
        logTelemetry(name, status, name, words);
    };

    // Segment statistics.
    if (d->entry("D3DKMTQueryStatistics") == nullptr) {
        out.notes.push_back("segment statistics: D3DKMTQueryStatistics is not exported");
    } else {
        bool anyWritten = false;
        NtStatus last = NtStatus::Success;
        for (const SegmentDesc& seg : adapter->desc.segments) {
            D3DKMT_QUERYSTATISTICS args;
            args.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
            args.AdapterLuid = luid;
            args.QuerySegment.SegmentId = seg.segmentId;
            last = queryStatistics(args);
            const auto& info = args.QueryResult.SegmentInformation;
            const bool written = info.CommitLimit != 0 || info.BytesCommitted != 0 || info.BytesResident != 0;
            if (!ntSuccess(last) || !written)
                continue;
            anyWritten = true;
            out.segments.push_back({ seg.segmentId, info.CommitLimit, info.BytesCommitted, info.BytesResident });
        }
        std::string words;
        if (!ntSuccess(last))
            words = "D3DKMTQueryStatistics (SEGMENT) returned " + std::string(ntStatusName(last)) + ": no segment statistics";
        else if (!anyWritten && !adapter->desc.segments.empty())
            words = "D3DKMTQueryStatistics (SEGMENT) returned STATUS_SUCCESS but wrote nothing: no segment statistics "
                    "shown (none are invented)";
        if (!words.empty()) {
            out.notes.push_back(words);
            noteProblem(words);
        }
        logOnChange("D3DKMTQueryStatistics(D3DKMT_QUERYSTATISTICS_SEGMENT)", last,
            words.empty() ? "Segment statistics read." : words + ".");
    }

    // The program's budget and usage per segment group.
    for (const MemorySegmentGroup group : { MemorySegmentGroup::Local, MemorySegmentGroup::NonLocal }) {
        MemoryInfoReading reading;
        reading.group = group;
        const char* groupName = group == MemorySegmentGroup::Local ? "LOCAL" : "NON_LOCAL";
        bool have = false;
        if (d->entry("D3DKMTQueryVideoMemoryInfo") != nullptr && adapter->desc.hAdapter != 0) {
            D3DKMT_QUERYVIDEOMEMORYINFO args;
            args.hAdapter = adapter->desc.hAdapter;
            args.MemorySegmentGroup = group;
            const NtStatus status = queryVideoMemoryInfo(args);
            logOnChange(std::string("D3DKMTQueryVideoMemoryInfo(D3DKMT_MEMORY_SEGMENT_GROUP_") + groupName + ")", status,
                ntSuccess(status) ? "Budget and usage read." : "D3DKMTQueryVideoMemoryInfo refused; DXGI is asked instead.");
            if (ntSuccess(status)) {
                reading.source = "D3DKMTQueryVideoMemoryInfo";
                reading.budget = args.Budget;
                reading.currentUsage = args.CurrentUsage;
                reading.currentReservation = args.CurrentReservation;
                reading.availableForReservation = args.AvailableForReservation;
                have = true;
            } else {
                out.notes.push_back(std::string("D3DKMTQueryVideoMemoryInfo (") + groupName + ") returned "
                    + std::string(ntStatusName(status)));
            }
        }
        if (!have && adapter->dxgi) {
            HRESULT hr = S_OK;
            Com<IDXGIAdapter3> three = adapter->dxgi.as<IDXGIAdapter3>(&hr);
            DXGI_QUERY_VIDEO_MEMORY_INFO info {};
            if (three)
                hr = three->QueryVideoMemoryInfo(0,
                    group == MemorySegmentGroup::Local ? DXGI_MEMORY_SEGMENT_GROUP_LOCAL : DXGI_MEMORY_SEGMENT_GROUP_NON_LOCAL,
                    &info);
            logOnChange(std::string("IDXGIAdapter3::QueryVideoMemoryInfo(DXGI_MEMORY_SEGMENT_GROUP_") + groupName + ")",
                statusFromHresult(hrBits(hr)),
                "The program's budget and usage asked of DXGI: " + hresultText(hrBits(hr)) + ".");
            if (three && SUCCEEDED(hr)) {
                reading.source = "IDXGIAdapter3::QueryVideoMemoryInfo";
                reading.budget = info.Budget;
                reading.currentUsage = info.CurrentUsage;
                reading.currentReservation = info.CurrentReservation;
                reading.availableForReservation = info.AvailableForReservation;
                have = true;
            } else {
                out.notes.push_back(std::string("IDXGIAdapter3::QueryVideoMemoryInfo (") + groupName + ") returned "
                    + hresultText(hrBits(hr)));
            }
        }
        if (have)
            out.groups.push_back(std::move(reading));
    }

    if (d->entry("D3DKMTQueryStatistics") != nullptr)
        readOtherProcesses(luid, out);
    return out;
}

void WindowsBackend::readOtherProcesses(const LUID& luid, LiveSample& out)
{
    // Every process this program may open for querying: D3DKMTQueryStatistics PROCESS_SEGMENT_GROUP
    // with its handle. Processes that use no memory of this adapter answer zeros and are not listed.
    constexpr std::size_t kMaxProcesses = 512;
    std::size_t opened = 0, refused = 0;
    NtStatus last = NtStatus::Success;
    const ::HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snapshot == reinterpret_cast<::HANDLE>(static_cast<LONG_PTR>(-1))) { // INVALID_HANDLE_VALUE
        out.notes.push_back("other processes: CreateToolhelp32Snapshot failed (error " + std::to_string(GetLastError()) + ")");
        return;
    }
    PROCESSENTRY32W entry {};
    entry.dwSize = sizeof entry;
    for (BOOL more = Process32FirstW(snapshot, &entry); more && opened < kMaxProcesses;
         more = Process32NextW(snapshot, &entry)) {
        if (entry.th32ProcessID == 0 || entry.th32ProcessID == GetCurrentProcessId())
            continue;
        const ::HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, entry.th32ProcessID);
        if (process == nullptr) {
            ++refused; // another user's or a protected process: not permitted
            continue;
        }
        ++opened;
        char exe[MAX_PATH * 3] = {};
        WideCharToMultiByte(CP_UTF8, 0, entry.szExeFile, -1, exe, sizeof exe, nullptr, nullptr);
        for (const MemorySegmentGroup group : { MemorySegmentGroup::Local, MemorySegmentGroup::NonLocal }) {
            D3DKMT_QUERYSTATISTICS args;
            args.Type = D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup;
            args.AdapterLuid = luid;
            args.hProcess = reinterpret_cast<std::uintptr_t>(process);
            args.QueryProcessSegmentGroup = group;
            last = queryStatistics(args);
            const auto& info = args.QueryResult.ProcessSegmentGroupInformation;
            if (!ntSuccess(last) || (info.Budget == 0 && info.Usage == 0))
                continue;
            out.processes.push_back({ static_cast<std::uint32_t>(entry.th32ProcessID),
                std::string(exe) + " (" + std::to_string(entry.th32ProcessID) + ")", group, info.Budget, info.Usage,
                "D3DKMTQueryStatistics(PROCESS_SEGMENT_GROUP)" });
        }
        CloseHandle(process);
    }
    CloseHandle(snapshot);
    std::string words;
    if (out.processes.empty())
        words = "other processes: D3DKMTQueryStatistics (PROCESS_SEGMENT_GROUP) returned " + std::string(ntStatusName(last))
            + " and reported no budget or usage for the " + std::to_string(opened) + " processes it could open ("
            + std::to_string(refused) + " could not be opened)";
    else if (refused > 0)
        words = "other processes: " + std::to_string(refused) + " could not be opened (not permitted): not shown";
    if (!words.empty())
        out.notes.push_back(words);
    logTelemetry("D3DKMTQueryStatistics(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP)", last,
        "D3DKMTQueryStatistics(D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP)",
        words.empty() ? "Other processes' budgets and usage read." : words + ".");
}

Status WindowsBackend::addPressure(std::uint64_t bytes)
{
    if (!d->device)
        return NtStatus::NotSupported;
    constexpr std::uint64_t kChunk = 64ull << 20;
    std::uint64_t made = 0;
    HRESULT hr = S_OK;
    while (made < bytes) {
        D3D11_BUFFER_DESC desc {};
        desc.ByteWidth = static_cast<UINT>(std::min(kChunk, bytes - made));
        desc.Usage = D3D11_USAGE_DEFAULT;
        desc.BindFlags = D3D11_BIND_SHADER_RESOURCE;
        Com<ID3D11Buffer> filler;
        hr = d->device->CreateBuffer(&desc, nullptr, filler.put());
        if (FAILED(hr))
            break;
        made += desc.ByteWidth;
        d->fillers.push_back(std::move(filler));
    }
    const NtStatus status = statusFromHresult(hrBits(hr));
    logCall(events::ApiCall::CreateAllocation, status,
        "ID3D11Device::CreateBuffer x " + std::to_string((made + kChunk - 1) / kChunk) + " (filler) -> " + hresultText(hrBits(hr)),
        "Pressure: created " + formatBytes(made) + " of filler buffers on the probe device"
            + (ntSuccess(status) ? "." : " before the driver refused more."));
    return status;
}

void WindowsBackend::releasePressure()
{
    d->fillers.clear();
    logCall(events::ApiCall::DestroyAllocation, NtStatus::Success, "IUnknown::Release() on every filler buffer",
        "Released the filler buffers: the pressure is gone.");
}

} // namespace offerscope::live
