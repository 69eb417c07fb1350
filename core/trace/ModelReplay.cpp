// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/ModelReplay.h"

namespace offerscope::trace {

ModelReplay::ModelReplay(const RecordingWorld& recording, const sim::SimPolicy& policy)
    : m_recording(recording)
    , m_model(recording.adapterConfig(), policy)
{
    const std::size_t n = recording.allocations().size();
    m_allocation.assign(n, 0);
    m_resource.assign(n, 0);
    m_createdAt.assign(n, kNever);
    m_destroyedAt.assign(n, kNever);
}

ModelReplay::Process* ModelReplay::process(std::uint32_t pid)
{
    if (const auto it = m_processOf.find(pid); it != m_processOf.end())
        return &m_processes[it->second];
    const auto created = m_model.createProcess(m_recording.processName(pid));
    if (!created)
        return nullptr;
    Process p;
    p.pid = pid;
    p.handle = *created;
    p.device = *m_model.createDevice(p.handle);
    p.queue = *m_model.createPagingQueue(p.device);
    m_processOf.emplace(pid, static_cast<std::uint32_t>(m_processes.size()));
    m_processes.push_back(p);
    return &m_processes.back();
}

bool ModelReplay::inModel(std::uint32_t a) const
{
    return m_createdAt[a] < m_next && (m_destroyedAt[a] == kNever || m_destroyedAt[a] >= m_next);
}

std::optional<std::uint32_t> ModelReplay::recordedOf(D3DKMT_HANDLE modelAllocation) const
{
    if (const auto it = m_recordedOf.find(modelAllocation); it != m_recordedOf.end())
        return it->second;
    return std::nullopt;
}

std::optional<std::uint32_t> ModelReplay::recordedProcessOf(D3DKMT_HANDLE modelProcess) const
{
    for (const Process& p : m_processes)
        if (p.handle == modelProcess)
            return p.pid;
    return std::nullopt;
}

ReplayedEvent ModelReplay::replayNext()
{
    ReplayedEvent out;
    if (atEnd())
        return out;
    const Recording& r = m_recording.recording();
    const std::size_t i = m_next;
    const RecordedEvent& e = r.events[i];
    if (e.timeUs > m_model.now())
        m_model.advanceTime(e.timeUs - m_model.now());
    out.allocation = m_recording.allocationOfEvent(i);
    const auto a = static_cast<std::uint32_t>(out.allocation < 0 ? 0 : out.allocation);
    const bool held = out.allocation >= 0 && inModel(a);
    using What = ReplayedEvent::What;
    switch (r.spec(e).kind) {
    case EventKind::ProcessStart:
    case EventKind::ProcessRundown:
        if (process(static_cast<std::uint32_t>(r.value(e, "ProcessId"))) != nullptr)
            out.what = What::Process;
        break;
    case EventKind::AdapterAllocationStart:
    case EventKind::AdapterAllocationRundown:
    case EventKind::ReportCommittedAllocation: {
        if (out.allocation < 0 || held)
            break;
        const RecordedAllocation& rec = m_recording.allocations()[a];
        Process* p = rec.process ? process(*rec.process) : nullptr;
        out.what = What::Skipped; // what the recording did not say cannot be replayed
        if (!rec.size || !rec.segment || p == nullptr || *rec.size == 0)
            break;
        CreateResourceArgs args;
        args.hDevice = p->device;
        args.allocationSizes = { *rec.size };
        args.segmentId = *rec.segment;
        args.name = m_recording.allocationName(RecordingWorld::handleOfAllocation(a));
        CreatedResource created;
        if (m_model.createResource(args, created).ok() && created.allocations.size() == 1) {
            m_allocation[a] = created.allocations.front();
            m_resource[a] = created.hResource;
            m_createdAt[a] = i;
            m_destroyedAt[a] = kNever;
            m_recordedOf[m_allocation[a]] = a;
            out.what = What::Created;
        }
        break;
    }
    case EventKind::AdapterAllocationStop:
    case EventKind::TerminateAllocation:
        if (held) {
            const RecordedAllocation& rec = m_recording.allocations()[a];
            m_model.destroyResource(m_processes[m_processOf.at(*rec.process)].device, m_resource[a]);
            m_destroyedAt[a] = i;
            out.what = What::Destroyed;
        }
        break;
    case EventKind::OfferStart: {
        if (!held) {
            out.what = What::Skipped;
            break;
        }
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = m_processes[m_processOf.at(*m_recording.allocations()[a].process)].device;
        args.HandleList = &m_allocation[a];
        args.NumAllocations = 1;
        const std::uint64_t priority = r.value(e, "Priority");
        args.Priority = priority >= 1 && priority <= 4 ? static_cast<OfferPriority>(priority) : OfferPriority::Low;
        m_model.offerAllocations(args);
        out.what = What::Offered;
        break;
    }
    case EventKind::Discard:
        if (out.allocation >= 0)
            out.what = What::Discard;
        break;
    case EventKind::Reclaim: {
        if (!held) {
            out.what = What::Skipped;
            break;
        }
        out.recorded = r.value(e, "State") == 3 ? ReclaimResult::Discarded : ReclaimResult::Ok;
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = m_processes[m_processOf.at(*m_recording.allocations()[a].process)].queue;
        args.HandleList = &m_allocation[a];
        args.NumAllocations = 1;
        args.pResults = &out.result;
        out.status = m_model.reclaimAllocations2(args);
        out.what = What::Reclaimed;
        break;
    }
    case EventKind::BudgetChange: {
        const std::uint64_t group = r.value(e, "MemorySegmentGroup");
        if (Process* p = process(static_cast<std::uint32_t>(r.value(e, "ProcessId"))); p != nullptr && group <= 1) {
            m_model.setBudget(p->handle, static_cast<MemorySegmentGroup>(group), r.value(e, "NewBudget"));
            out.what = What::Budget;
        }
        break;
    }
    case EventKind::UsageChange: {
        const std::uint64_t group = r.value(e, "MemorySegmentGroup");
        const auto pid = static_cast<std::uint32_t>(r.value(e, "ProcessId"));
        const auto it = m_processOf.find(pid);
        if (it == m_processOf.end() || group > 1)
            break;
        out.what = What::Usage;
        out.process = pid;
        out.group = static_cast<MemorySegmentGroup>(group);
        out.recordedUsage = r.value(e, "NewUsage");
        const auto usage = m_model.processUsage(m_processes[it->second].handle, out.group);
        out.modelUsage = usage ? usage->usage : 0;
        break;
    }
    default:
        break;
    }
    ++m_next;
    return out;
}

ModelReplay::Checkpoint ModelReplay::checkpoint(const Checkpoint* previous)
{
    return { m_model.checkpoint(previous != nullptr ? &previous->model : nullptr), m_processOf, m_processes, m_next };
}

void ModelReplay::restore(const Checkpoint& checkpoint, std::deque<events::Event>* cut)
{
    m_model.restore(checkpoint.model, cut);
    m_processOf = checkpoint.processOf;
    m_processes = checkpoint.processes;
    m_next = checkpoint.next;
}

} // namespace offerscope::trace
