// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/LiveBackend.h"

#include "core/live/Wsl2Backend.h"
#ifdef _WIN32
#include "core/live/WindowsBackend.h"
#endif

#include <algorithm>
#include <cstdio>

namespace offerscope::live {

LiveBackend::LiveBackend()
    : m_opened(std::chrono::steady_clock::now())
{
}

std::uint64_t LiveBackend::elapsedMs() const
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_opened).count());
}

std::uint64_t LiveBackend::logCall(events::ApiCall call, NtStatus status, std::string callText, std::string explanation,
    std::vector<D3DKMT_HANDLE> allocations, std::optional<ReclaimResult> result, OfferPriority priority)
{
    events::Event e;
    e.priority = priority;
    if (ntSuccess(status) && call == events::ApiCall::OfferAllocations)
        for (D3DKMT_HANDLE h : allocations)
            m_offeredAt[h] = priority;
    if (ntSuccess(status) && result && allocations.size() == 1) {
        if (const auto it = m_offeredAt.find(allocations.front()); it != m_offeredAt.end()) {
            e.priority = it->second;
            m_offeredAt.erase(it);
        }
    }
    e.time = elapsedMs() * 1000;
    e.cause = events::CauseKind::Call;
    e.call = call;
    e.status = status;
    e.result = result;
    e.allocations = std::move(allocations);
    e.kind = !ntSuccess(status)                  ? events::EventKind::CallFailed
        : call == events::ApiCall::OfferAllocations ? events::EventKind::Offered
        : call == events::ApiCall::ReclaimAllocations || call == events::ApiCall::ReclaimAllocations2
        ? events::EventKind::Reclaimed
        : call == events::ApiCall::CreateAllocation  ? events::EventKind::ResourceCreated
        : call == events::ApiCall::DestroyAllocation ? events::EventKind::ResourceDestroyed
        : call == events::ApiCall::MakeResident      ? events::EventKind::MadeResident
        : call == events::ApiCall::Evict             ? events::EventKind::Evicted
        : call == events::ApiCall::ChangeVideoMemoryReservation ? events::EventKind::ReservationChanged
                                                  : events::EventKind::Queried;
    e.callText = std::move(callText);
    e.explanation = std::move(explanation);
    if (!onLogThread()) {
        recordAway(std::move(e));
        return 0;
    }
    return m_log.append(std::move(e));
}

void LiveBackend::recordAway(events::Event e)
{
    const std::lock_guard lock(m_pendingMutex);
    if (m_capture != nullptr && m_captureThread == std::this_thread::get_id())
        m_capture->push_back(std::move(e));
    else
        m_pendingEvents.push_back(std::move(e));
}

void LiveBackend::captureEvents(std::vector<events::Event>* into)
{
    const std::lock_guard lock(m_pendingMutex);
    m_capture = into;
    m_captureThread = std::this_thread::get_id();
}

void LiveBackend::adopt(std::vector<events::Event> events)
{
    for (events::Event& e : events)
        m_log.append(std::move(e));
}

bool LiveBackend::takePending()
{
    std::vector<events::Event> events;
    std::vector<std::string> problems;
    {
        const std::lock_guard lock(m_pendingMutex);
        events.swap(m_pendingEvents);
        problems.swap(m_pendingProblems);
    }
    for (events::Event& e : events)
        m_log.append(std::move(e));
    for (std::string& p : problems)
        if (std::find(m_problems.begin(), m_problems.end(), p) == m_problems.end())
            m_problems.push_back(std::move(p));
    return !events.empty() || !problems.empty();
}

void LiveBackend::narrate(std::string text)
{
    events::Event e;
    e.time = elapsedMs() * 1000;
    e.kind = events::EventKind::Narration;
    e.explanation = std::move(text);
    if (!onLogThread()) {
        recordAway(std::move(e));
        return;
    }
    m_log.append(std::move(e));
}

void LiveBackend::logTelemetry(const std::string& key, NtStatus status, std::string callText, std::string explanation)
{
    auto [it, added] = m_telemetryStatus.emplace(key, status);
    if (!added && it->second == status)
        return;
    it->second = status;
    logCall(events::ApiCall::None, status, std::move(callText), std::move(explanation));
}

std::string LiveBackend::noteProblem(std::string problem)
{
    if (!onLogThread()) {
        const std::lock_guard lock(m_pendingMutex);
        m_pendingProblems.push_back(problem);
        return problem;
    }
    if (std::find(m_problems.begin(), m_problems.end(), problem) == m_problems.end())
        m_problems.push_back(problem);
    return problem;
}

std::string hresultText(std::uint32_t hr)
{
    const char* name = nullptr;
    switch (hr) {
    case 0x00000000u: name = "S_OK"; break;
    case 0x00000001u: name = "S_FALSE"; break;
    case 0x80004001u: name = "E_NOTIMPL"; break;
    case 0x80004002u: name = "E_NOINTERFACE"; break;
    case 0x80004005u: name = "E_FAIL"; break;
    case 0x80070057u: name = "E_INVALIDARG"; break;
    case 0x8007000Eu: name = "E_OUTOFMEMORY"; break;
    case 0x887A0001u: name = "DXGI_ERROR_INVALID_CALL"; break;
    case 0x887A0002u: name = "DXGI_ERROR_NOT_FOUND"; break;
    case 0x887A0004u: name = "DXGI_ERROR_UNSUPPORTED"; break;
    case 0x887A0005u: name = "DXGI_ERROR_DEVICE_REMOVED"; break;
    case 0x887A0007u: name = "DXGI_ERROR_DEVICE_RESET"; break;
    case 0x887A0022u: name = "DXGI_ERROR_NOT_CURRENTLY_AVAILABLE"; break;
    default: break;
    }
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", hr);
    return name != nullptr ? std::string(name) + " (" + hex + ")" : std::string("HRESULT ") + hex;
}

NtStatus statusFromHresult(std::uint32_t hr)
{
    switch (hr) {
    case 0x00000000u:
    case 0x00000001u:
        return NtStatus::Success;
    case 0x80004001u:
        return NtStatus::NotImplemented;
    case 0x80004002u:
    case 0x887A0004u:
        return NtStatus::NotSupported;
    case 0x80070057u:
    case 0x887A0001u:
        return NtStatus::InvalidParameter;
    case 0x8007000Eu:
        return NtStatus::NoMemory;
    case 0x887A0005u:
    case 0x887A0007u:
        return NtStatus::DeviceRemoved;
    default:
        return NtStatus::Unsuccessful;
    }
}

Result<std::unique_ptr<LiveBackend>> openLiveBackend(BackendKind kind)
{
    // A backend of the kind asked, as the base the rest of the program holds.
    auto asLive = [](auto opened) -> Result<std::unique_ptr<LiveBackend>> {
        if (!opened)
            return opened.why();
        return std::unique_ptr<LiveBackend>(opened.take());
    };
    switch (kind) {
    case BackendKind::Simulator:
        return Status(NtStatus::InvalidParameter, "not a live source: the simulator");
    case BackendKind::Windows:
#ifdef _WIN32
        return asLive(WindowsBackend::open());
#else
        return Status(NtStatus::NotSupported, "not available: this is not Windows (the gdi32.dll D3DKMT calls and DXGI)");
#endif
    case BackendKind::Wsl2:
        return asLive(Wsl2Backend::open(kDxgDevicePath));
    }
    return Status(NtStatus::InvalidParameter, "not a kind of live source");
}

} // namespace offerscope::live
