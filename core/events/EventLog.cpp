// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/events/EventLog.h"

#include "core/Units.h"

#include <cstdio>

namespace offerscope::events {

std::string_view eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::ProcessCreated:
        return "ProcessCreated";
    case EventKind::DeviceCreated:
        return "DeviceCreated";
    case EventKind::PagingQueueCreated:
        return "PagingQueueCreated";
    case EventKind::ResourceCreated:
        return "ResourceCreated";
    case EventKind::ResourceDestroyed:
        return "ResourceDestroyed";
    case EventKind::MadeResident:
        return "MadeResident";
    case EventKind::Evicted:
        return "Evicted";
    case EventKind::OfferPending:
        return "OfferPending";
    case EventKind::Offered:
        return "Offered";
    case EventKind::Reclaimed:
        return "Reclaimed";
    case EventKind::Discarded:
        return "Discarded";
    case EventKind::Decommitted:
        return "Decommitted";
    case EventKind::Locked:
        return "Locked";
    case EventKind::Unlocked:
        return "Unlocked";
    case EventKind::GpuWorkSubmitted:
        return "GpuWorkSubmitted";
    case EventKind::GpuWorkRetired:
        return "GpuWorkRetired";
    case EventKind::PagingDone:
        return "PagingDone";
    case EventKind::DeviceRemoved:
        return "DeviceRemoved";
    case EventKind::BudgetChanged:
        return "BudgetChanged";
    case EventKind::TrimNotification:
        return "TrimNotification";
    case EventKind::ReservationChanged:
        return "ReservationChanged";
    case EventKind::Pressure:
        return "Pressure";
    case EventKind::SettingChanged:
        return "SettingChanged";
    case EventKind::CallFailed:
        return "CallFailed";
    case EventKind::Narration:
        return "Narration";
    case EventKind::Queried:
        return "Queried";
    }
    return "?";
}

std::string_view causeKindName(CauseKind cause)
{
    switch (cause) {
    case CauseKind::Setup:
        return "setup";
    case CauseKind::Call:
        return "call";
    case CauseKind::Pressure:
        return "pressure";
    case CauseKind::Fence:
        return "fence";
    case CauseKind::Verifier:
        return "verifier";
    }
    return "?";
}

std::string_view pressureSourceName(PressureSource source)
{
    switch (source) {
    case PressureSource::None:
        return "none";
    case PressureSource::OtherProcessCommit:
        return "another process commits";
    case PressureSource::BudgetShrink:
        return "budget shrinks";
    case PressureSource::OverBudget:
        return "over budget";
    case PressureSource::ReclaimNeedsMemory:
        return "reclaim needs memory";
    case PressureSource::MakeResidentNeedsMemory:
        return "make-resident needs memory";
    case PressureSource::GpuWorkNeedsMemory:
        return "GPU work needs memory";
    case PressureSource::SystemCommit:
        return "system commit pressure";
    case PressureSource::TrimProcessCommitment:
        return "TrimProcessCommitment";
    }
    return "?";
}

std::string_view apiCallName(ApiCall call)
{
    switch (call) {
    case ApiCall::None:
        return "";
    case ApiCall::CreateAllocation:
        return "D3DKMTCreateAllocation";
    case ApiCall::DestroyAllocation:
        return "D3DKMTDestroyAllocation";
    case ApiCall::OfferAllocations:
        return "D3DKMTOfferAllocations";
    case ApiCall::ReclaimAllocations:
        return "D3DKMTReclaimAllocations";
    case ApiCall::ReclaimAllocations2:
        return "D3DKMTReclaimAllocations2";
    case ApiCall::MakeResident:
        return "D3DKMTMakeResident";
    case ApiCall::Evict:
        return "D3DKMTEvict";
    case ApiCall::Lock:
        return "D3DKMTLock2";
    case ApiCall::Unlock:
        return "D3DKMTUnlock2";
    case ApiCall::SubmitCommand:
        return "D3DKMTSubmitCommand";
    case ApiCall::SetAllocationPriority:
        return "D3DKMTSetAllocationPriority";
    case ApiCall::QueryVideoMemoryInfo:
        return "D3DKMTQueryVideoMemoryInfo";
    case ApiCall::ChangeVideoMemoryReservation:
        return "D3DKMTChangeVideoMemoryReservation";
    case ApiCall::QueryStatistics:
        return "D3DKMTQueryStatistics";
    case ApiCall::QueryProcessOfferInfo:
        return "D3DKMTQueryProcessOfferInfo";
    case ApiCall::TrimProcessCommitment:
        return "D3DKMTTrimProcessCommitment";
    }
    return "?";
}

void EventLog::setMode(Mode mode, std::size_t capacity)
{
    m_mode = mode;
    m_capacity = capacity;
    if (m_mode == Mode::Off) {
        m_dropped += m_events.size();
        m_events.clear();
    }
    while (m_mode == Mode::Bounded && m_events.size() > m_capacity) {
        m_events.pop_front();
        ++m_dropped;
    }
}

std::uint64_t EventLog::append(Event event)
{
    event.seq = ++m_lastSeq;
    if (m_mode == Mode::Off) {
        ++m_dropped;
        return event.seq;
    }
    m_events.push_back(std::move(event));
    if (m_mode == Mode::Bounded && m_events.size() > m_capacity) {
        m_events.pop_front();
        ++m_dropped;
    }
    return m_lastSeq;
}

Event* EventLog::bySeq(std::uint64_t seq)
{
    if (m_events.empty() || seq < m_events.front().seq || seq > m_events.back().seq)
        return nullptr;
    // Stored events have consecutive sequence numbers while recording was on.
    const std::size_t index = m_events.size() - 1 - static_cast<std::size_t>(m_events.back().seq - seq);
    Event& e = m_events[index];
    return e.seq == seq ? &e : nullptr;
}

const Event* EventLog::bySeq(std::uint64_t seq) const
{
    return const_cast<EventLog*>(this)->bySeq(seq);
}

void EventLog::rewind(std::uint64_t lastSeq, std::uint64_t dropped, std::deque<Event>* cut)
{
    while (!m_events.empty() && m_events.back().seq > lastSeq) {
        if (cut != nullptr)
            cut->push_front(std::move(m_events.back()));
        m_events.pop_back();
    }
    m_lastSeq = lastSeq;
    m_dropped = dropped;
}

void EventLog::reinstate(std::deque<Event>& cut, std::uint64_t lastSeq, std::uint64_t dropped)
{
    while (!cut.empty() && cut.front().seq <= lastSeq) {
        if (cut.front().seq > m_lastSeq)
            m_events.push_back(std::move(cut.front()));
        cut.pop_front();
    }
    m_lastSeq = lastSeq;
    m_dropped = dropped;
}

void EventLog::clear()
{
    m_events.clear();
    m_lastSeq = 0;
    m_dropped = 0;
}

std::string EventLog::formatLine(const Event& event)
{
    char head[128];
    std::snprintf(head, sizeof head, "[%10llu us] #%-5llu %-18s %-8s", static_cast<unsigned long long>(event.time),
        static_cast<unsigned long long>(event.seq), std::string(eventKindName(event.kind)).c_str(),
        std::string(causeKindName(event.cause)).c_str());
    std::string line = head;
    // Appended piece by piece: `" " + std::string` trips a GCC 12 -Wrestrict false positive.
    if (event.bytes != 0) {
        line += ' ';
        line += formatBytes(event.bytes);
    }
    if (event.status != NtStatus::Success) {
        line += ' ';
        line += ntStatusName(event.status);
    }
    if (event.result) {
        line += ' ';
        line += reclaimResultName(*event.result);
    }
    line += " | ";
    line += event.explanation;
    return line;
}

std::string EventLog::formatAll() const
{
    std::string out;
    for (const Event& event : m_events) {
        out += formatLine(event);
        out += '\n';
    }
    return out;
}

} // namespace offerscope::events
