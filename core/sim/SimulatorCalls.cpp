// SPDX-License-Identifier: GPL-3.0-or-later
// The D3DKMT calls of the simulator: validate everything first (a failing call changes nothing), then act.
#include "core/Units.h"
#include "core/d3dkmt/CallFormatter.h"
#include "core/sim/SimulatorInternals.h"

#include <algorithm>

namespace offerscope::sim {
namespace {

constexpr std::uint32_t kMaxAllocationsPerResource = 1024;
/// Why a page-in across two segments of one group was undone (Simulator::pageInSpansGroup). Found by the
/// differential tests: without the trial, such a call could leave a segment holding more than its size.
constexpr const char* kSpansGroupNoRoom
    = "the allocations go to two segments of one group, and making room in one evicts what a process could "
      "have given in the other down to its reservation: they do not fit even after discarding every other offer "
      "and evicting everything evictable";

std::string arrayEntry(const char* array, UINT i, D3DKMT_HANDLE h)
{
    return std::string(array) + "[" + std::to_string(i) + "] = " + formatHex(h);
}

} // namespace

// ---- resources -----------------------------------------------------------------------------------------

Status Simulator::createResource(const CreateResourceArgs& args, CreatedResource& out)
{
    D3DDDI_MAKERESIDENT_FLAGS flags;
    return createResourceImpl(args, out, PressureSource::MakeResidentNeedsMemory, flags);
}

Status Simulator::createResourceImpl(
    const CreateResourceArgs& args, CreatedResource& out, PressureSource source, D3DDDI_MAKERESIDENT_FLAGS flags)
{
    out.hResource = 0;
    out.allocations.clear();
    const std::uint32_t device = deviceIndex(args.hDevice);
    if (device == kNil)
        return fail(ApiCall::CreateAllocation, NtStatus::InvalidParameter,
            "hDevice " + formatHex(args.hDevice) + " is not a device");
    if (m_devices[device].removed)
        return fail(
            ApiCall::CreateAllocation, NtStatus::DeviceRemoved, "device " + formatHex(args.hDevice) + " was removed");
    if (args.allocationSizes.empty() || args.allocationSizes.size() > kMaxAllocationsPerResource)
        return fail(ApiCall::CreateAllocation, NtStatus::InvalidParameter,
            "a resource needs 1 to " + std::to_string(kMaxAllocationsPerResource) + " allocations, not "
                + std::to_string(args.allocationSizes.size()));
    if (args.segmentId >= m_segments.size())
        return fail(ApiCall::CreateAllocation, NtStatus::InvalidParameter,
            "segment " + std::to_string(args.segmentId) + " does not exist (the adapter has "
                + std::to_string(m_segments.size()) + ")");
    const std::uint64_t segmentSize = m_segments[args.segmentId].config.size;
    for (std::size_t i = 0; i < args.allocationSizes.size(); ++i)
        if (args.allocationSizes[i] == 0)
            return fail(ApiCall::CreateAllocation, NtStatus::InvalidParameter,
                "allocation " + std::to_string(i) + " has size 0");
    // Then the memory: an allocation larger than its segment could never be resident, so VidMm refuses it
    // (and byte totals stay far from wrapping around).
    for (std::size_t i = 0; i < args.allocationSizes.size(); ++i) {
        if (args.allocationSizes[i] > segmentSize)
            return fail(ApiCall::CreateAllocation, NtStatus::NoMemory,
                "allocation " + std::to_string(i) + " (" + formatBytes(args.allocationSizes[i])
                    + ") is larger than segment " + segmentLabel(args.segmentId) + " (" + formatBytes(segmentSize)
                    + ")");
    }
    if (m_liveAllocations + args.allocationSizes.size() >= kHandleIndexMask)
        return fail(ApiCall::CreateAllocation, NtStatus::NoMemory, "the simulator holds its maximum of allocations");

    const std::uint32_t process = m_devices[device].process;
    const int group = static_cast<int>(m_segments[args.segmentId].config.group);
    if (args.makeResident) {
        // The same checks as MakeResident, before anything exists.
        std::uint64_t total = 0;
        for (std::uint64_t size : args.allocationSizes)
            total = saturatingAdd(total, size);
        const ProcessRecord& p = m_processes[process];
        const std::uint64_t ownOffers
            = m_policy.offeredCountsInUsage && !m_verifier.neverDiscardOffer ? p.offeredResident[group] : 0;
        const std::uint64_t budget = effectiveBudget(p, group);
        if (!flags.CantTrimFurther() && saturatingAdd(usage(p, group), total) > saturatingAdd(budget, ownOffers)) {
            return fail(ApiCall::CreateAllocation, NtStatus::NoMemory,
                processLabel(process) + " would use " + formatBytes(usage(p, group) + total) + " of its "
                    + formatBytes(budget) + " budget (NumBytesToTrim "
                    + formatBytes(usage(p, group) + total - budget - ownOffers) + ")");
        }
        if (freeableBytes(args.segmentId) < total)
            return fail(ApiCall::CreateAllocation, NtStatus::NoMemory,
                formatBytes(total) + " do not fit in segment " + segmentLabel(args.segmentId)
                    + " even after discarding every offer and evicting everything evictable");
    }

    std::uint32_t resource;
    if (!m_freeResources.empty()) {
        resource = m_freeResources.back();
        m_freeResources.pop_back();
    } else {
        resource = static_cast<std::uint32_t>(m_resources.size());
        m_resources.emplace_back();
    }
    ResourceRecord& r = m_resources[resource];
    r.live = true;
    r.present = args.present;
    r.device = device;
    r.allocationCount = static_cast<std::uint32_t>(args.allocationSizes.size());
    r.firstAllocation = kNil;
    if (!args.name.empty())
        m_resourceNames[resource] = args.name;
    else if (!m_resourceNames.empty())
        m_resourceNames.erase(resource);
    out.hResource = makeHandle(HandleKind::kResource, r.generation, resource);

    m_callAllocations.clear();
    std::uint32_t previous = kNil;
    for (std::uint64_t size : args.allocationSizes) {
        std::uint32_t index;
        if (!m_freeAllocations.empty()) {
            index = m_freeAllocations.back();
            m_freeAllocations.pop_back();
        } else {
            index = static_cast<std::uint32_t>(m_allocations.size());
            m_allocations.emplace_back();
            m_cold.emplace_back();
        }
        AllocationRecord& a = m_allocations[index];
        const std::uint8_t generation = a.generation;
        a = AllocationRecord {};
        m_cold[index] = AllocationColdRecord {};
        noteChanged(index);
        a.generation = generation;
        a.size = size;
        a.resource = resource;
        a.process = static_cast<std::uint16_t>(process);
        a.device = static_cast<std::uint16_t>(device);
        a.segment = static_cast<std::uint8_t>(args.segmentId);
        a.residencyPriority = args.residencyPriority;
        a.orderSeq = ++m_orderSeq;
        if (previous == kNil)
            r.firstAllocation = index;
        else
            m_cold[previous].nextInResource = index;
        previous = index;
        setState(index, AllocationState::Evicted, false); // committed, nothing in the segment yet
        ++m_liveAllocations;
        m_callAllocations.push_back(index);
        out.allocations.push_back(allocationHandle(index));
    }
    if (logging()) {
        Event e;
        e.kind = EventKind::ResourceCreated;
        e.cause = source == PressureSource::OtherProcessCommit ? CauseKind::Setup : CauseKind::Call;
        e.call = ApiCall::CreateAllocation;
        e.process = m_processes[process].handle;
        e.device = args.hDevice;
        e.segment = static_cast<std::int32_t>(args.segmentId);
        e.allocations = out.allocations;
        for (std::uint64_t size : args.allocationSizes)
            e.bytes += size;
        e.explanation = processLabel(process) + " creates " + (args.name.empty() ? "a resource" : "'" + args.name + "'")
            + " of " + std::to_string(args.allocationSizes.size()) + " allocation(s), " + formatBytes(e.bytes)
            + " in segment " + segmentLabel(args.segmentId) + (args.present ? ", with the present bind flag" : "")
            + (args.makeResident ? "; the runtime makes it resident." : "; it is committed but not yet resident.");
        record(std::move(e));
    } else {
        m_log.skip();
    }
    if (args.makeResident) {
        for (std::uint32_t index : m_callAllocations) {
            m_allocations[index].residentRefs = 1;
            noteChanged(index);
        }
        pageIn(m_callAllocations, process, source);
    }
    return NtStatus::Success;
}

void Simulator::destroyAllocation(std::uint32_t index)
{
    setState(index, AllocationState::Destroyed, false); // out of every total and list
    AllocationRecord& a = m_allocations[index];
    a.generation = static_cast<std::uint8_t>((a.generation + 1) & kGenerationMask);
    m_freeAllocations.push_back(index);
    --m_liveAllocations;
}

Status Simulator::destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource)
{
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil)
        return fail(ApiCall::DestroyAllocation, NtStatus::InvalidParameter,
            "hDevice " + formatHex(hDevice) + " is not a device");
    const std::uint32_t resource = resourceIndex(hResource);
    if (resource == kNil)
        return fail(ApiCall::DestroyAllocation, NtStatus::InvalidParameter,
            "hResource " + formatHex(hResource) + " is not a live resource");
    ResourceRecord& r = m_resources[resource];
    if (r.device != device)
        return fail(ApiCall::DestroyAllocation, NtStatus::InvalidParameter,
            "resource " + formatHex(hResource) + " belongs to another device");
    Event e;
    if (logging()) {
        e.kind = EventKind::ResourceDestroyed;
        e.cause = CauseKind::Call;
        e.call = ApiCall::DestroyAllocation;
        e.device = hDevice;
        e.process = m_processes[m_devices[device].process].handle;
        auto name = m_resourceNames.find(resource);
        e.explanation = processLabel(m_devices[device].process) + " destroys "
            + (name != m_resourceNames.end() ? "'" + name->second + "'" : "resource " + formatHex(hResource))
            + "; its memory and backing store are released.";
    }
    for (std::uint32_t i = r.firstAllocation; i != kNil;) {
        const std::uint32_t next = m_cold[i].nextInResource;
        if (logging()) {
            e.allocations.push_back(allocationHandle(i));
            e.bytes += m_allocations[i].size;
        }
        destroyAllocation(i);
        i = next;
    }
    r.live = false;
    r.firstAllocation = kNil;
    r.generation = static_cast<std::uint8_t>((r.generation + 1) & kGenerationMask);
    m_resourceNames.erase(resource);
    m_freeResources.push_back(resource);
    if (logging())
        record(std::move(e));
    else
        m_log.skip();
    return NtStatus::Success;
}

// ---- argument collection -----------------------------------------------------------------------------

Status Simulator::collectAllocations(std::uint32_t device, D3DKMT_HANDLE* resources, const D3DKMT_HANDLE* handles,
    UINT count, bool forOffer, const char* handleArray)
{
    m_callAllocations.clear();
    m_callEntryOf.clear();
    if (resources != nullptr && handles != nullptr) {
        return Status(NtStatus::InvalidParameter,
            std::string("both pResources and ") + handleArray + " are set; exactly one of them must be NULL");
    }
    if (resources == nullptr && handles == nullptr) {
        return Status(NtStatus::InvalidParameter, std::string("neither pResources nor ") + handleArray + " is set");
    }
    if (count == 0) {
        return Status(NtStatus::InvalidParameter, "NumAllocations is 0");
    }
    if (count > kMaxOfferAllocations) {
        return Status(NtStatus::InvalidParameter,
            "NumAllocations is " + std::to_string(count) + ", more than the limit of "
                + std::to_string(kMaxOfferAllocations));
    }
    const std::uint32_t mark = ++m_callMark;
    const D3DKMT_HANDLE deviceHandle = m_devices[device].handle;
    for (UINT i = 0; i < count; ++i) {
        if (handles != nullptr) {
            const std::uint32_t index = allocationIndex(handles[i]);
            if (index == kNil) {
                return Status(NtStatus::InvalidParameter,
                    arrayEntry(handleArray, i, handles[i]) + " is not a live allocation"
                        + ((handles[i] >> 28) == HandleKind::kResource ? " (it is a resource handle: use pResources)"
                                                                       : ""));
            }
            if (m_allocations[index].device != device) {
                return Status(NtStatus::InvalidParameter,
                    arrayEntry(handleArray, i, handles[i]) + " belongs to another device than "
                        + formatHex(deviceHandle));
            }
            if (m_cold[index].callMark == mark) {
                return Status(NtStatus::InvalidParameter, arrayEntry(handleArray, i, handles[i]) + " is listed twice");
            }
            m_cold[index].callMark = mark;
            m_callAllocations.push_back(index);
            m_callEntryOf.push_back(i);
        } else {
            const std::uint32_t resource = resourceIndex(resources[i]);
            if (resource == kNil) {
                return Status(NtStatus::InvalidParameter,
                    arrayEntry("pResources", i, resources[i]) + " is not a live resource"
                        + ((resources[i] >> 28) == HandleKind::kAllocation
                                ? " (it is an allocation handle: use HandleList)"
                                : ""));
            }
            const ResourceRecord& r = m_resources[resource];
            if (r.device != device) {
                return Status(NtStatus::InvalidParameter,
                    arrayEntry("pResources", i, resources[i]) + " belongs to another device than "
                        + formatHex(deviceHandle));
            }
            if (forOffer && r.present) {
                return Status(NtStatus::InvalidParameter,
                    arrayEntry("pResources", i, resources[i])
                        + " was created with the present bind flag (D3D10_DDI_BIND_PRESENT): offer it by its "
                          "allocation "
                          "handles in HandleList, not by its resource handle");
            }
            for (std::uint32_t index = r.firstAllocation; index != kNil; index = m_cold[index].nextInResource) {
                if (m_cold[index].callMark == mark) {
                    return Status(
                        NtStatus::InvalidParameter, arrayEntry("pResources", i, resources[i]) + " is listed twice");
                }
                m_cold[index].callMark = mark;
                m_callAllocations.push_back(index);
                m_callEntryOf.push_back(i);
            }
        }
    }
    return NtStatus::Success;
}

// ---- offer --------------------------------------------------------------------------------------------

bool FastPaths::offer(Simulator& s, const D3DKMT_OFFERALLOCATIONS& args)
{
    // The call a cache makes after every use: one allocation handle, nothing unusual. Anything else (and
    // any call while the event log records) takes the general path, which gives the same result for
    // this case; tests compare the two.
    if (s.logging() || args.NumAllocations != 1 || args.HandleList == nullptr || args.pResources != nullptr
        || args.Priority < OfferPriority::Low || args.Priority > OfferPriority::Auto
        || (args.Flags.Value & ~(D3DKMT_OFFER_FLAGS::kOfferImmediately | D3DKMT_OFFER_FLAGS::kAllowDecommit)) != 0)
        return false;
    const std::uint32_t device = s.deviceIndex(args.hDevice);
    if (device == kNil || s.m_devices[device].removed)
        return false;
    const std::uint32_t index = s.allocationIndex(args.HandleList[0]);
    if (index == kNil)
        return false;
    AllocationRecord& a = s.m_allocations[index];
    if (a.device != device || a.lockCount != 0 || a.gpuBusy
        || (a.state != AllocationState::Resident && a.state != AllocationState::Evicted))
        return false;
    s.noteChanged(index);
    a.requested = args.Priority;
    a.level = s.levelFor(args.Priority, a.residencyPriority);
    a.allowDecommit = args.Flags.AllowDecommit();
    a.offerTime = s.m_now;
    a.evictWhenIdle = false;
    s.m_log.skip();
    if (a.state == AllocationState::Resident && !s.m_verifier.alwaysDiscardOffer) {
        // On its eviction list (resident, not pinned): move it straight into its offer queue.
        a.orderSeq = ++s.m_orderSeq;
        s.residentToOffered(index);
    } else {
        s.makeEffective(index, CauseKind::Call);
    }
    return true;
}

Status Simulator::offerAllocations(const D3DKMT_OFFERALLOCATIONS& args)
{
    if (FastPaths::offer(*this, args))
        return NtStatus::Success;
    const auto text = [&](NtStatus status) { return logging() ? formatCall(args, status) : std::string(); };
    const ApiCall call = ApiCall::OfferAllocations;
    const std::uint32_t device = deviceIndex(args.hDevice);
    if (device == kNil)
        return fail(call, NtStatus::InvalidParameter, "hDevice " + formatHex(args.hDevice) + " is not a device",
            text(NtStatus::InvalidParameter));
    if (m_devices[device].removed)
        return fail(call, NtStatus::DeviceRemoved, "device " + formatHex(args.hDevice) + " was removed",
            text(NtStatus::DeviceRemoved));
    const Status status
        = collectAllocations(device, args.pResources, args.HandleList, args.NumAllocations, true, "HandleList");
    if (!status.ok())
        return fail(call, status, status.message(), text(status));
    if (args.Priority < OfferPriority::Low || args.Priority > OfferPriority::Auto)
        return fail(call, NtStatus::InvalidParameter,
            "Priority is " + std::to_string(static_cast<std::uint32_t>(args.Priority))
                + "; an offer needs D3DKMT_OFFER_PRIORITY LOW (1), NORMAL (2), HIGH (3) or AUTO (4)",
            text(NtStatus::InvalidParameter));
    if ((args.Flags.Value & ~(D3DKMT_OFFER_FLAGS::kOfferImmediately | D3DKMT_OFFER_FLAGS::kAllowDecommit)) != 0)
        return fail(call, NtStatus::InvalidParameter, "Flags has reserved bits set", text(NtStatus::InvalidParameter));

    const char* array = args.HandleList != nullptr ? "HandleList" : "pResources";
    const D3DKMT_HANDLE* entries = args.HandleList != nullptr ? args.HandleList : args.pResources;
    for (std::size_t k = 0; k < m_callAllocations.size(); ++k) {
        const AllocationRecord& a = m_allocations[m_callAllocations[k]];
        const UINT entry = m_callEntryOf[k];
        const auto where = [&] { return arrayEntry(array, entry, entries[entry]); };
        switch (a.state) {
        case AllocationState::Resident:
        case AllocationState::Evicted:
            if (a.lockCount != 0)
                return fail(call, NtStatus::InvalidParameter,
                    where() + " is locked (CPU-mapped); unlock it before offering", text(NtStatus::InvalidParameter));
            break;
        case AllocationState::OfferPending:
        case AllocationState::Offered:
        case AllocationState::Discarded:
            if (m_policy.rejectRedundantCalls)
                return fail(call, NtStatus::InvalidParameter,
                    where() + " is already offered (" + std::string(allocationStateName(a.state))
                        + "); reclaim it before offering it again",
                    text(NtStatus::InvalidParameter));
            break;
        case AllocationState::Decommitted:
            return fail(call, NtStatus::InvalidParameter,
                where() + " was decommitted: it is dead and can only be destroyed", text(NtStatus::InvalidParameter));
        case AllocationState::Destroyed:
            break;
        }
    }

    // Valid: act. (Nothing below collects arguments again, so the scratch list stays as it is.)
    const std::vector<std::uint32_t>& indices = m_callAllocations;
    std::string callText = text(NtStatus::Success);
    bool first = true;
    for (std::uint32_t index : indices) {
        AllocationRecord& a = m_allocations[index];
        if (a.state != AllocationState::Resident && a.state != AllocationState::Evicted)
            continue; // redundant offer, accepted and ignored by policy
        noteChanged(index);
        a.requested = args.Priority;
        a.level = levelFor(args.Priority, a.residencyPriority);
        a.allowDecommit = args.Flags.AllowDecommit();
        a.offerTime = m_now;
        a.evictWhenIdle = false;
        const bool wait = a.gpuBusy && !args.Flags.OfferImmediately();
        if (a.gpuBusy && args.Flags.OfferImmediately())
            a.gpuBusy = false; // the caller vouches that the GPU is done with it
        if (logging()) {
            Event e = allocationEvent(wait ? EventKind::OfferPending : EventKind::Offered, CauseKind::Call, index);
            e.call = call;
            e.priority = args.Priority;
            std::string level = std::string(offerPriorityName(offerLevelPriority(a.level)));
            if (wait)
                e.explanation = processLabel(a.process) + " offers " + describe(index) + " at "
                    + std::string(offerPriorityName(args.Priority)) + " while GPU work using it is still queued (fence "
                    + std::to_string(m_cold[index].lastGpuFence) + "): the offer is pending until that work retires.";
            else
                e.explanation = processLabel(a.process) + " offers " + describe(index) + " at "
                    + std::string(offerPriorityName(args.Priority))
                    + (args.Priority == OfferPriority::Auto ? " (AUTO: its residency priority "
                                + residencyPriorityName(a.residencyPriority) + " maps to " + level + ")"
                                                            : std::string())
                    + (args.Flags.AllowDecommit() ? " with AllowDecommit" : "")
                    + ": its content stays until VidMm needs the memory; reclaim it before using it again.";
            if (first)
                e.callText = callText;
            record(std::move(e));
        } else {
            m_log.skip();
        }
        first = false;
        if (wait) {
            setState(index, AllocationState::OfferPending, a.resident);
        } else {
            makeEffective(index, CauseKind::Call);
        }
    }
    if (first && logging()) {
        Event e;
        e.kind = EventKind::Offered;
        e.cause = CauseKind::Call;
        e.call = call;
        e.device = args.hDevice;
        e.callText = callText;
        e.explanation = "Every allocation named was already offered; the call is accepted and ignored (policy).";
        record(std::move(e));
    } else if (first) {
        m_log.skip();
    }
    return NtStatus::Success;
}

// ---- reclaim ------------------------------------------------------------------------------------------

Status Simulator::reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args)
{
    const std::uint32_t device = deviceIndex(args.hDevice);
    if (device == kNil)
        return fail(ApiCall::ReclaimAllocations, NtStatus::InvalidParameter,
            "hDevice " + formatHex(args.hDevice) + " is not a device",
            logging() ? formatCall(args, NtStatus::InvalidParameter) : std::string());
    if (FastPaths::reclaim(
            *this, device, kNil, args.pResources, args.HandleList, args.NumAllocations, args.pDiscarded, nullptr, nullptr))
        return NtStatus::Success;
    Status status = reclaim(ApiCall::ReclaimAllocations, device, kNil, args.pResources, args.HandleList,
        args.NumAllocations, args.pDiscarded, nullptr, nullptr);
    if (logging()) {
        // The call text shows the outputs, so it is rendered after the call.
        if (Event* e = m_log.bySeq(m_log.lastSeq()); e != nullptr && e->call == ApiCall::ReclaimAllocations)
            e->callText = formatCall(args, status);
    }
    return status;
}

Status Simulator::reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args)
{
    const bool results = m_policy.reclaim2Output == ReclaimOutput::Results;
    const std::uint32_t queue = pagingQueueIndex(args.hPagingQueue);
    if (queue == kNil)
        return fail(ApiCall::ReclaimAllocations2, NtStatus::InvalidParameter,
            "hPagingQueue " + formatHex(args.hPagingQueue)
                + " is not a paging queue (ReclaimAllocations2 takes a paging queue, not a device)",
            logging() ? formatCall(args, results, NtStatus::InvalidParameter) : std::string());
    BOOL* const discarded = results ? nullptr : args.pDiscarded;
    ReclaimResult* const resultList = results ? args.pResults : nullptr;
    if (FastPaths::reclaim(*this, m_pagingQueues[queue].device, queue, args.pResources, args.HandleList,
            args.NumAllocations, discarded, resultList, &args.PagingFenceValue))
        return NtStatus::Success;
    Status status = reclaim(ApiCall::ReclaimAllocations2, m_pagingQueues[queue].device, queue, args.pResources,
        args.HandleList, args.NumAllocations, discarded, resultList, &args.PagingFenceValue);
    if (logging()) {
        if (Event* e = m_log.bySeq(m_log.lastSeq()); e != nullptr && e->call == ApiCall::ReclaimAllocations2)
            e->callText = formatCall(args, results, status);
    }
    return status;
}

bool FastPaths::reclaim(Simulator& s, std::uint32_t device, std::uint32_t pagingQueue, D3DKMT_HANDLE* resources,
    const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence)
{
    // The reclaim a cache makes on a hit: one allocation handle whose offer is still in memory. Anything
    // else takes the general path (same result for this case; tests compare the two).
    if (s.logging() || count != 1 || handles == nullptr || resources != nullptr || s.m_devices[device].removed)
        return false;
    const std::uint32_t index = s.allocationIndex(handles[0]);
    if (index == kNil)
        return false;
    AllocationRecord& a = s.m_allocations[index];
    if (a.device != device)
        return false;
    if (a.state == AllocationState::Discarded && a.residentRefs != 0 && pagingQueue != kNil
        && !s.m_processes[a.process].verifier.alwaysFailCommitOnReclaim) {
        // A miss: the memory comes back through paging, under pressure if need be.
        if (s.freeableBytes(a.segment) < a.size)
            return false; // the general path reports STATUS_NO_MEMORY
        // Straight from Discarded to Resident: while room is made it is in no offer or eviction list,
        // exactly as in the general path's intermediate Evicted state.
        const std::uint32_t one[1] = { index };
        const std::uint64_t paged = s.pageIn(one, a.process, PressureSource::ReclaimNeedsMemory);
        if (results != nullptr)
            results[0] = ReclaimResult::Discarded;
        if (discarded != nullptr)
            discarded[0] = 1;
        const std::uint64_t fence = s.queuePaging(pagingQueue, paged);
        if (pagingFence != nullptr)
            *pagingFence = fence;
        s.m_log.skip();
        return true;
    }
    if (a.state != AllocationState::Offered || !a.resident)
        return false;
    s.offeredToResident(index); // an effective offer is never pinned: it goes on the eviction list
    a.orderSeq = ++s.m_orderSeq;
    if (results != nullptr)
        results[0] = ReclaimResult::Ok;
    if (discarded != nullptr)
        discarded[0] = 0;
    if (pagingFence != nullptr)
        *pagingFence = s.m_pagingQueues[pagingQueue].submittedFence;
    s.m_log.skip();
    return true;
}

bool FastPaths::reuse(
    Simulator& s, D3DKMT_HANDLE hPagingQueue, D3DKMT_HANDLE hAllocation, OfferPriority priority, UINT64& pagingFence)
{
    // The preconditions of both fast paths: the reclaim's (an effective offer still in memory) and the
    // offer's (a resident allocation that is not pinned, which an effective offer never is).
    if (s.logging() || priority < OfferPriority::Low || priority > OfferPriority::Auto || s.m_verifier.alwaysDiscardOffer)
        return false;
    const std::uint32_t queue = s.pagingQueueIndex(hPagingQueue);
    if (queue == kNil)
        return false;
    const std::uint32_t device = s.m_pagingQueues[queue].device;
    const std::uint32_t index = s.allocationIndex(hAllocation);
    if (index == kNil || s.m_devices[device].removed)
        return false;
    AllocationRecord& a = s.m_allocations[index];
    if (a.device != device || a.state != AllocationState::Offered || !a.resident || a.pinned())
        return false;
    const OfferLevel level = s.levelFor(priority, a.residencyPriority);
    pagingFence = s.m_pagingQueues[queue].submittedFence;
    s.m_log.skip(2); // the reclaim's event and the offer's
    s.noteChanged(index);
    if (a.requested == priority && a.level == level && !a.allowDecommit) {
        // The same offer again: every total the reclaim takes off, the offer puts back, and the
        // eviction list it passes through is left as it was. What remains: a later place in its queue.
        Simulator::ProcessSegment& ps = s.processSegment(a);
        ps.lruList(a); // the bucket the reclaim looks up is cached in the record
        OfferQueue& offers = ps.offers[static_cast<int>(level)][0];
        offers.erase(s.m_allocations, index);
        s.m_orderSeq += 2; // the reclaim's use, then the offer's
        a.orderSeq = s.m_orderSeq;
        a.offerTime = s.m_now;
        a.evictWhenIdle = false;
        offers.push(s.m_allocations, index);
        return true;
    }
    s.offeredToResident(index);
    a.orderSeq = ++s.m_orderSeq;
    a.requested = priority;
    a.level = level;
    a.allowDecommit = false;
    a.offerTime = s.m_now;
    a.evictWhenIdle = false;
    a.orderSeq = ++s.m_orderSeq;
    s.residentToOffered(index);
    return true;
}

Status Simulator::reclaim(ApiCall call, std::uint32_t device, std::uint32_t pagingQueue, D3DKMT_HANDLE* resources,
    const D3DKMT_HANDLE* handles, UINT count, BOOL* discarded, ReclaimResult* results, UINT64* pagingFence)
{
    if (m_devices[device].removed)
        return fail(call, NtStatus::DeviceRemoved, "device " + formatHex(m_devices[device].handle) + " was removed");
    const Status status = collectAllocations(device, resources, handles, count, false, "HandleList");
    if (!status.ok())
        return fail(call, status, status.message());

    enum class Action : std::uint8_t {
        Keep,
        CancelPending,
        Reclaim,
        PageIn,
        Recommit,
        RecommitPageIn,
        FailCommit,
        ReportDecommitted
    };
    const char* array = handles != nullptr ? "HandleList" : "pResources";
    const D3DKMT_HANDLE* entries = handles != nullptr ? handles : resources;
    const std::uint32_t process = m_devices[device].process;
    const bool failCommit = m_processes[process].verifier.alwaysFailCommitOnReclaim;
    std::vector<std::uint8_t>& actionCodes = m_scratchActions;
    actionCodes.assign(m_callAllocations.size(), 0);
    auto* actions = reinterpret_cast<Action*>(actionCodes.data());
    std::vector<std::uint32_t>& pageIns = m_scratchPageIns;
    pageIns.clear();
    for (std::size_t k = 0; k < m_callAllocations.size(); ++k) {
        const std::uint32_t index = m_callAllocations[k];
        const AllocationRecord& a = m_allocations[index];
        const UINT entry = m_callEntryOf[k];
        switch (a.state) {
        case AllocationState::Resident:
        case AllocationState::Evicted:
            if (m_policy.rejectRedundantCalls)
                return fail(call, NtStatus::InvalidParameter,
                    arrayEntry(array, entry, entries[entry]) + " is not offered ("
                        + std::string(allocationStateName(a.state)) + "); only offered allocations are reclaimed");
            actions[k] = Action::Keep;
            break;
        case AllocationState::OfferPending:
            actions[k] = Action::CancelPending;
            break;
        case AllocationState::Offered:
            if (a.resident) {
                actions[k] = Action::Reclaim;
            } else {
                actions[k] = a.residentRefs != 0 ? Action::PageIn : Action::Reclaim;
            }
            break;
        case AllocationState::Discarded:
            if (failCommit)
                actions[k] = Action::FailCommit;
            else
                actions[k] = a.residentRefs != 0 ? Action::RecommitPageIn : Action::Recommit;
            break;
        case AllocationState::Decommitted:
            if (a.decommitReported)
                return fail(call, NtStatus::InvalidParameter,
                    arrayEntry(array, entry, entries[entry])
                        + " was decommitted and a reclaim already said NOT_COMMITTED: it is dead, destroy and "
                          "recreate it");
            actions[k] = Action::ReportDecommitted;
            break;
        case AllocationState::Destroyed:
            break;
        }
        if (actions[k] == Action::PageIn || actions[k] == Action::RecommitPageIn)
            pageIns.push_back(index);
    }
    if (!pageIns.empty()) {
        // Memory must come back: can it, without counting the offers this call takes back itself?
        SegmentBytes needBySegment, leavingOffers;
        std::fill_n(needBySegment.begin(), m_segments.size(), 0);
        std::fill_n(leavingOffers.begin(), m_segments.size(), 0);
        for (std::uint32_t index : pageIns)
            needBySegment[m_allocations[index].segment] += m_allocations[index].size;
        // Memory this call keeps cannot make room for the rest of it: offers it takes back, and (when
        // redundant reclaims are accepted) resident allocations it names.
        for (std::size_t k = 0; k < m_callAllocations.size(); ++k) {
            const AllocationRecord& a = m_allocations[m_callAllocations[k]];
            if ((actions[k] == Action::Reclaim && a.resident)
                || (actions[k] == Action::Keep && a.list == ListKind::Lru))
                leavingOffers[a.segment] += a.size;
        }
        for (std::uint32_t s = 0; s < m_segments.size(); ++s) {
            if (needBySegment[s] == 0)
                continue;
            const std::uint64_t offeredGiven = m_verifier.neverDiscardOffer ? 0 : leavingOffers[s];
            if (freeableBytes(s) - offeredGiven < needBySegment[s])
                return fail(call, NtStatus::NoMemory,
                    formatBytes(needBySegment[s]) + " must come back into segment " + segmentLabel(s)
                        + " and not even discarding every other offer and evicting everything evictable "
                          "frees that");
        }
    }

    // Valid: act. First the reclaims that need no memory, so they leave the offer lists.
    std::optional<Checkpoint> before;
    if (pageInSpansGroup(pageIns))
        before = checkpoint();
    std::vector<ReclaimResult>& perAllocation = m_scratchResults;
    perAllocation.assign(m_callAllocations.size(), ReclaimResult::Ok);
    const std::vector<std::uint32_t>& indices = m_callAllocations;
    const std::vector<std::uint32_t>& entryOf = m_callEntryOf;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const std::uint32_t index = indices[k];
        AllocationRecord& a = m_allocations[index];
        switch (actions[k]) {
        case Action::Keep:
            break;
        case Action::CancelPending:
            setState(index, AllocationState::Resident, true);
            break;
        case Action::Reclaim:
            // Leaving the offer queue first: a size-ordered queue finds it by its old sequence number.
            setState(index, a.resident ? AllocationState::Resident : AllocationState::Evicted, a.resident);
            a.orderSeq = ++m_orderSeq; // a reclaim is a use: it went to the back of the eviction list
            break;
        case Action::PageIn:
            setState(index, AllocationState::Evicted, false); // paged in below
            break;
        case Action::Recommit:
            setState(index, AllocationState::Evicted, false);
            perAllocation[k] = ReclaimResult::Discarded;
            break;
        case Action::RecommitPageIn:
            setState(index, AllocationState::Evicted, false);
            perAllocation[k] = ReclaimResult::Discarded;
            break;
        case Action::FailCommit:
            decommit(index, CauseKind::Verifier, PressureSource::ReclaimNeedsMemory, 0);
            m_allocations[index].decommitReported = true;
            perAllocation[k] = ReclaimResult::NotCommitted;
            break;
        case Action::ReportDecommitted:
            a.decommitReported = true;
            perAllocation[k] = ReclaimResult::NotCommitted;
            break;
        }
    }
    const std::uint64_t pagedBytes
        = pageIns.empty() ? 0 : pageIn(pageIns, process, PressureSource::ReclaimNeedsMemory, indices);
    if (before && segmentOverfull()) {
        restore(*before);
        return fail(call, NtStatus::NoMemory, kSpansGroupNoRoom);
    }

    // Outputs per input entry: the worst result of the entry's allocations.
    if (handles != nullptr) {
        // One allocation per entry, in order.
        for (UINT i = 0; i < count; ++i) {
            if (results != nullptr)
                results[i] = perAllocation[i];
            if (discarded != nullptr)
                discarded[i] = perAllocation[i] != ReclaimResult::Ok ? 1 : 0;
        }
    } else {
        // A resource's result is the worst of its allocations'.
        std::vector<ReclaimResult>& perEntry = m_scratchEntryResults;
        perEntry.assign(count, ReclaimResult::Ok);
        for (std::size_t k = 0; k < indices.size(); ++k)
            perEntry[entryOf[k]] = std::max(perEntry[entryOf[k]], perAllocation[k]);
        for (UINT i = 0; i < count; ++i) {
            if (results != nullptr)
                results[i] = perEntry[i];
            if (discarded != nullptr)
                discarded[i] = perEntry[i] != ReclaimResult::Ok ? 1 : 0;
        }
    }
    if (pagingFence != nullptr) {
        *pagingFence
            = pagedBytes != 0 ? queuePaging(pagingQueue, pagedBytes) : m_pagingQueues[pagingQueue].submittedFence;
    }

    if (logging()) {
        for (std::size_t k = 0; k < indices.size(); ++k) {
            const std::uint32_t index = indices[k];
            const AllocationRecord& a = m_allocations[index];
            Event e = allocationEvent(EventKind::Reclaimed, CauseKind::Call, index);
            e.call = call;
            e.device = m_devices[device].handle;
            e.priority = a.requested;
            e.result = perAllocation[k];
            e.fence = pagingFence != nullptr ? *pagingFence : 0;
            e.causeSeq = perAllocation[k] != ReclaimResult::Ok ? m_cold[index].lossSeq : 0;
            std::string what;
            switch (actions[k]) {
            case Action::Keep:
                what = "was not offered; the redundant reclaim is accepted and ignored (policy): OK.";
                break;
            case Action::CancelPending:
                what = "was still waiting for its GPU work, so the offer never took effect: OK, content intact.";
                break;
            case Action::Reclaim:
            case Action::PageIn:
                what = std::string("was offered but nobody needed its memory: OK, the content is intact")
                    + (actions[k] == Action::PageIn ? " and it is paged back in (it is on the residency list)." : ".");
                break;
            case Action::Recommit:
            case Action::RecommitPageIn:
                what = "had been discarded (event #" + std::to_string(m_cold[index].lossSeq)
                    + "): DISCARDED, memory is committed again but the content is lost; the application must "
                      "regenerate it"
                    + (actions[k] == Action::RecommitPageIn ? " (paged back in: it is on the residency list)." : ".");
                break;
            case Action::FailCommit:
                what = "had been discarded and the AlwaysFailCommitOnReclaim verifier switch makes its recommit fail: "
                       "NOT_COMMITTED, recreate it.";
                break;
            case Action::ReportDecommitted:
                what = "had been decommitted (event #" + std::to_string(m_cold[index].lossSeq)
                    + "): NOT_COMMITTED, the allocation is dead; destroy and recreate it.";
                break;
            }
            e.explanation = processLabel(a.process) + " reclaims " + describe(index) + ": it " + what;
            record(std::move(e));
        }
    } else {
        m_log.skip(indices.size());
    }
    return NtStatus::Success;
}

// ---- residency -----------------------------------------------------------------------------------------

Status Simulator::checkPageIn(std::span<const std::uint32_t> indices, std::uint32_t process, bool checkBudget,
    bool allowOverBudget, std::uint64_t* bytesToTrim, std::string* why, std::span<const std::uint32_t> keep) const
{
    std::uint64_t byGroup[kSegmentGroupCount] = { 0, 0 };
    SegmentBytes bySegment, kept;
    std::fill_n(bySegment.begin(), m_segments.size(), 0);
    std::fill_n(kept.begin(), m_segments.size(), 0);
    for (std::uint32_t index : indices) {
        const AllocationRecord& a = m_allocations[index];
        // Saturating: a call may name the same allocation many times.
        std::uint64_t& group = byGroup[static_cast<int>(m_segments[a.segment].config.group)];
        group = saturatingAdd(group, a.size);
        bySegment[a.segment] = saturatingAdd(bySegment[a.segment], a.size);
    }
    // What the call itself uses cannot be evicted to make room for the rest of it.
    for (std::uint32_t index : keep)
        if (m_allocations[index].list == ListKind::Lru)
            kept[m_allocations[index].segment] += m_allocations[index].size;
    const ProcessRecord& p = m_processes[process];
    if (checkBudget && !allowOverBudget) {
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            if (byGroup[g] == 0)
                continue;
            const std::uint64_t ownOffers
                = m_policy.offeredCountsInUsage && !m_verifier.neverDiscardOffer ? p.offeredResident[g] : 0;
            const std::uint64_t budget = effectiveBudget(p, g);
            const std::uint64_t wanted = saturatingAdd(usage(p, g), byGroup[g]);
            if (wanted > saturatingAdd(budget, ownOffers)) {
                if (bytesToTrim != nullptr)
                    *bytesToTrim = wanted - budget - ownOffers;
                if (why != nullptr)
                    *why = processLabel(process) + " would use " + formatBytes(wanted) + " of its "
                        + std::string(segmentGroupName(static_cast<MemorySegmentGroup>(g))) + " budget of "
                        + formatBytes(budget) + "; trim " + formatBytes(wanted - budget - ownOffers)
                        + " (NumBytesToTrim) and try again";
                return NtStatus::NoMemory;
            }
        }
    }
    for (std::uint32_t s = 0; s < m_segments.size(); ++s) {
        if (bySegment[s] != 0 && freeableBytes(s) < bySegment[s] + kept[s]) {
            if (bytesToTrim != nullptr)
                *bytesToTrim = 0;
            if (why != nullptr)
                *why = formatBytes(bySegment[s]) + " do not fit in segment " + segmentLabel(s)
                    + " even after discarding every offer and evicting everything evictable";
            return NtStatus::NoMemory;
        }
    }
    return NtStatus::Success;
}

std::uint64_t Simulator::pageIn(std::span<const std::uint32_t> indices, std::uint32_t process, PressureSource source,
    std::span<const std::uint32_t> keep)
{
    // The call's other allocations stay off the eviction lists while room is made: a call never
    // evicts what it is about to use.
    m_scratchKept.clear();
    for (std::uint32_t index : keep)
        if (m_allocations[index].list == ListKind::Lru) {
            unlink(index);
            m_scratchKept.push_back(index);
        }
    std::uint64_t byGroup[kSegmentGroupCount] = { 0, 0 };
    SegmentBytes bySegment;
    std::fill_n(bySegment.begin(), m_segments.size(), 0);
    std::uint64_t total = 0;
    for (std::uint32_t index : indices) {
        const AllocationRecord& a = m_allocations[index];
        // Saturating: a call may name the same allocation many times.
        std::uint64_t& group = byGroup[static_cast<int>(m_segments[a.segment].config.group)];
        group = saturatingAdd(group, a.size);
        bySegment[a.segment] = saturatingAdd(bySegment[a.segment], a.size);
        total += a.size;
    }
    for (int g = 0; g < kSegmentGroupCount; ++g)
        if (byGroup[g] != 0)
            discardOwnOffersForBudget(process, g, byGroup[g], PressureSource::OverBudget);
    for (std::uint32_t s = 0; s < m_segments.size(); ++s)
        if (bySegment[s] != 0)
            makeRoom(s, bySegment[s], source, process, 0);
    for (std::uint32_t index : indices) {
        AllocationRecord& a = m_allocations[index];
        a.orderSeq = ++m_orderSeq;
        setState(index, AllocationState::Resident, true);
        a.evictWhenIdle = false;
    }
    for (std::uint32_t index : m_scratchKept)
        relinkAsUsed(index);
    return total;
}

bool Simulator::pageInSpansGroup(std::span<const std::uint32_t> indices) const
{
    std::uint32_t first[kSegmentGroupCount] = { kNil, kNil };
    for (std::uint32_t index : indices) {
        const std::uint32_t segment = m_allocations[index].segment;
        std::uint32_t& seen = first[static_cast<int>(m_segments[segment].config.group)];
        if (seen == kNil)
            seen = segment;
        else if (seen != segment)
            return true;
    }
    return false;
}

bool Simulator::segmentOverfull() const
{
    for (const SegmentState& s : m_segments)
        if (s.resident > s.config.size)
            return true;
    return false;
}

std::uint64_t Simulator::queuePaging(std::uint32_t pagingQueue, std::uint64_t bytes)
{
    PagingQueueRecord& q = m_pagingQueues[pagingQueue];
    const std::uint64_t duration
        = std::max<std::uint64_t>(1, bytes / std::max<std::uint64_t>(1, m_policy.pagingBytesPerMicrosecond));
    q.lastEndTime = saturatingAdd(std::max(q.lastEndTime, m_now), duration);
    q.work.push_back(PagingWork { ++q.submittedFence, q.lastEndTime, bytes });
    return q.submittedFence;
}

Status Simulator::makeResident(D3DDDI_MAKERESIDENT& args)
{
    const auto text = [&](NtStatus status) { return logging() ? formatCall(args, status) : std::string(); };
    const ApiCall call = ApiCall::MakeResident;
    const UINT requested = args.NumAllocations;
    args.PagingFenceValue = 0;
    args.NumBytesToTrim = 0;
    const std::uint32_t queue = pagingQueueIndex(args.hPagingQueue);
    if (queue == kNil)
        return fail(call, NtStatus::InvalidParameter,
            "hPagingQueue " + formatHex(args.hPagingQueue) + " is not a paging queue",
            text(NtStatus::InvalidParameter));
    const std::uint32_t device = m_pagingQueues[queue].device;
    if (m_devices[device].removed)
        return fail(call, NtStatus::DeviceRemoved, "its device was removed", text(NtStatus::DeviceRemoved));
    if (args.NumAllocations == 0 || args.AllocationList == nullptr)
        return fail(call, NtStatus::InvalidParameter,
            args.NumAllocations == 0 ? "NumAllocations is 0" : "AllocationList is NULL",
            text(NtStatus::InvalidParameter));
    if ((args.Flags.Value & ~(D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther | D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed))
        != 0)
        return fail(call, NtStatus::InvalidParameter, "Flags has reserved bits set", text(NtStatus::InvalidParameter));
    Status status
        = collectAllocations(device, nullptr, args.AllocationList, args.NumAllocations, false, "AllocationList");
    if (!status.ok())
        return fail(call, status, status.message(), text(status));
    const std::vector<std::uint32_t> indices = m_callAllocations;
    std::vector<std::uint32_t> pageIns;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const AllocationRecord& a = m_allocations[indices[k]];
        const auto where = [&] { return arrayEntry("AllocationList", static_cast<UINT>(k), args.AllocationList[k]); };
        if (a.state != AllocationState::Resident && a.state != AllocationState::Evicted)
            return fail(call, NtStatus::InvalidParameter,
                where() + " is " + std::string(allocationStateName(a.state))
                    + (a.state == AllocationState::Decommitted ? ": it is dead" : ": reclaim it first"),
                text(NtStatus::InvalidParameter));
        if (a.residentRefs == 0xFFFF)
            return fail(call, NtStatus::InvalidParameter, where() + " has too many MakeResident references",
                text(NtStatus::InvalidParameter));
        if (a.state == AllocationState::Evicted)
            pageIns.push_back(indices[k]);
    }
    const std::uint32_t process = m_devices[device].process;
    std::uint64_t toTrim = 0;
    std::string why;
    status = checkPageIn(pageIns, process, true, args.Flags.CantTrimFurther(), &toTrim, &why, indices);
    if (status != NtStatus::Success) {
        args.NumAllocations = 0;
        args.NumBytesToTrim = toTrim;
        if (args.Flags.MustSucceed() && toTrim == 0) {
            return failRemovingDevice(call, device, why, text(NtStatus::DeviceRemoved));
        }
        return fail(call, NtStatus::NoMemory, why, text(NtStatus::NoMemory));
    }

    std::optional<Checkpoint> before;
    if (pageInSpansGroup(pageIns))
        before = checkpoint();
    for (std::size_t k = 0; k < indices.size(); ++k) {
        AllocationRecord& a = m_allocations[indices[k]];
        ++a.residentRefs;
        noteChanged(indices[k]);
        if (args.PriorityList != nullptr && args.PriorityList[k] != a.residencyPriority) {
            unlink(indices[k]);
            a.residencyPriority = args.PriorityList[k];
            a.lruBucket = 0xFFFF;
            relink(indices[k]);
        }
    }
    const std::uint64_t paged
        = pageIns.empty() ? 0 : pageIn(pageIns, process, PressureSource::MakeResidentNeedsMemory, indices);
    if (before && segmentOverfull()) {
        restore(*before);
        args.NumAllocations = 0;
        args.NumBytesToTrim = 0;
        if (args.Flags.MustSucceed()) {
            return failRemovingDevice(call, device, kSpansGroupNoRoom, text(NtStatus::DeviceRemoved));
        }
        return fail(call, NtStatus::NoMemory, kSpansGroupNoRoom, text(NtStatus::NoMemory));
    }
    for (std::uint32_t index : indices)
        touch(index);
    args.NumAllocations = requested;
    args.PagingFenceValue = paged != 0 ? queuePaging(queue, paged) : m_pagingQueues[queue].submittedFence;
    status = paged != 0 ? NtStatus::Pending : NtStatus::Success;
    if (logging()) {
        Event e;
        e.kind = EventKind::MadeResident;
        e.cause = CauseKind::Call;
        e.call = call;
        e.status = status;
        e.process = m_processes[process].handle;
        e.device = m_devices[device].handle;
        e.bytes = paged;
        for (std::uint32_t index : indices)
            e.allocations.push_back(allocationHandle(index));
        e.explanation = processLabel(process) + " puts " + std::to_string(indices.size())
            + " allocation(s) on its residency list"
            + (paged != 0 ? "; " + formatBytes(paged)
                        + " must be paged in, so the call returns STATUS_PENDING with "
                          "PagingFenceValue "
                        + std::to_string(args.PagingFenceValue) + " for the GPU to wait on."
                          : "; all were already resident.");
        e.callText = text(status);
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return status;
}

Status Simulator::evict(D3DKMT_EVICT& args)
{
    const auto text = [&](NtStatus status) { return logging() ? formatCall(args, status) : std::string(); };
    const ApiCall call = ApiCall::Evict;
    args.NumBytesToTrim = 0;
    const std::uint32_t device = deviceIndex(args.hDevice);
    if (device == kNil)
        return fail(call, NtStatus::InvalidParameter, "hDevice " + formatHex(args.hDevice) + " is not a device",
            text(NtStatus::InvalidParameter));
    if (m_devices[device].removed)
        return fail(call, NtStatus::DeviceRemoved, "device " + formatHex(args.hDevice) + " was removed",
            text(NtStatus::DeviceRemoved));
    if (args.NumAllocations == 0 || args.AllocationList == nullptr)
        return fail(call, NtStatus::InvalidParameter,
            args.NumAllocations == 0 ? "NumAllocations is 0" : "AllocationList is NULL",
            text(NtStatus::InvalidParameter));
    if ((args.Flags.Value & ~(D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary | D3DDDI_EVICT_FLAGS::kNotWrittenTo)) != 0)
        return fail(call, NtStatus::InvalidParameter, "Flags has reserved bits set", text(NtStatus::InvalidParameter));
    const Status status
        = collectAllocations(device, nullptr, args.AllocationList, args.NumAllocations, false, "AllocationList");
    if (!status.ok())
        return fail(call, status, status.message(), text(status));
    const std::vector<std::uint32_t> indices = m_callAllocations;
    for (std::size_t k = 0; k < indices.size(); ++k) {
        const AllocationRecord& a = m_allocations[indices[k]];
        if (a.residentRefs == 0)
            return fail(call, NtStatus::InvalidParameter,
                arrayEntry("AllocationList", static_cast<UINT>(k), args.AllocationList[k])
                    + " is not on the residency list (no MakeResident reference to release)",
                text(NtStatus::InvalidParameter));
    }
    const std::string callText = text(NtStatus::Success);
    bool first = true;
    for (std::uint32_t index : indices) {
        AllocationRecord& a = m_allocations[index];
        --a.residentRefs;
        noteChanged(index);
        if (a.residentRefs != 0 || a.state != AllocationState::Resident || args.Flags.EvictOnlyIfNecessary())
            continue;
        if (a.pinned()) {
            a.evictWhenIdle = true;
            continue;
        }
        evictAllocation(index, CauseKind::Call, PressureSource::None, 0);
        if (first && logging())
            if (Event* e = m_log.bySeq(m_log.lastSeq()))
                e->callText = callText;
        first = false;
    }
    const ProcessRecord& p = m_processes[m_devices[device].process];
    for (int g = 0; g < kSegmentGroupCount; ++g)
        if (usage(p, g) > effectiveBudget(p, g))
            args.NumBytesToTrim = std::max(args.NumBytesToTrim, usage(p, g) - effectiveBudget(p, g));
    if (first && logging()) {
        Event e;
        e.kind = EventKind::Evicted;
        e.cause = CauseKind::Call;
        e.call = call;
        e.device = args.hDevice;
        e.process = p.handle;
        for (std::uint32_t index : indices)
            e.allocations.push_back(allocationHandle(index));
        e.callText = callText;
        e.explanation = "MakeResident references are released; nothing is paged out yet (other references remain, "
                        "the allocations are offered or busy, or EvictOnlyIfNecessary was set).";
        record(std::move(e));
    } else if (first) {
        m_log.skip();
    }
    return NtStatus::Success;
}

// ---- CPU and GPU use ------------------------------------------------------------------------------------

void Simulator::relinkAsUsed(std::uint32_t index)
{
    // Eviction lists are in order of last use, and pressure compares the heads of different processes' lists
    // by orderSeq: an allocation that goes back on its list (unpinned, moved to another priority, held by a
    // call while others were paged in) is appended, so it must also get the newest orderSeq. Found by the
    // differential tests (tests/reference): it kept its old one and pressure evicted it before allocations
    // of other processes used earlier.
    AllocationRecord& a = m_allocations[index];
    if (a.state == AllocationState::Resident && !a.pinned())
        a.orderSeq = ++m_orderSeq;
    relink(index);
}

Status Simulator::lockTarget(
    ApiCall call, D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation, bool deviceMustLive, std::uint32_t& index)
{
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil)
        return fail(call, NtStatus::InvalidParameter, "hDevice " + formatHex(hDevice) + " is not a device");
    if (deviceMustLive && m_devices[device].removed)
        return fail(call, NtStatus::DeviceRemoved, "device " + formatHex(hDevice) + " was removed");
    index = allocationIndex(hAllocation);
    if (index == kNil || m_allocations[index].device != device)
        return fail(call, NtStatus::InvalidParameter,
            "hAllocation " + formatHex(hAllocation) + " is not a live allocation of device " + formatHex(hDevice));
    return NtStatus::Success;
}

Status Simulator::lock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation)
{
    std::uint32_t index = kNil;
    if (Status status = lockTarget(ApiCall::Lock, hDevice, hAllocation, true, index); status != NtStatus::Success)
        return status;
    AllocationRecord& a = m_allocations[index];
    if (a.state != AllocationState::Resident && a.state != AllocationState::Evicted)
        return fail(ApiCall::Lock, NtStatus::InvalidParameter,
            describe(index) + " is " + std::string(allocationStateName(a.state))
                + (a.state == AllocationState::Decommitted
                        ? ": it is dead"
                        : ": an offered allocation may not be mapped until it is reclaimed"));
    if (a.lockCount == 0xFFFF)
        return fail(ApiCall::Lock, NtStatus::InvalidParameter, describe(index) + " is locked too many times");
    ++a.lockCount;
    noteChanged(index);
    a.orderSeq = ++m_orderSeq;
    relink(index);
    if (logging()) {
        Event e = allocationEvent(EventKind::Locked, CauseKind::Call, index);
        e.call = ApiCall::Lock;
        e.explanation = processLabel(a.process) + " locks " + describe(index)
            + " for CPU access: while mapped it cannot be offered or evicted.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return NtStatus::Success;
}

Status Simulator::unlock(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hAllocation)
{
    std::uint32_t index = kNil;
    if (Status status = lockTarget(ApiCall::Unlock, hDevice, hAllocation, false, index); status != NtStatus::Success)
        return status;
    AllocationRecord& a = m_allocations[index];
    if (a.lockCount == 0)
        return fail(ApiCall::Unlock, NtStatus::InvalidParameter, describe(index) + " is not locked");
    --a.lockCount;
    noteChanged(index);
    relinkAsUsed(index);
    if (logging()) {
        Event e = allocationEvent(EventKind::Unlocked, CauseKind::Call, index);
        e.call = ApiCall::Unlock;
        e.explanation = processLabel(a.process) + " unlocks " + describe(index) + ".";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    if (!a.pinned() && a.evictWhenIdle && a.residentRefs == 0 && a.state == AllocationState::Resident)
        evictAllocation(index, CauseKind::Call, PressureSource::None, 0);
    return NtStatus::Success;
}

Status Simulator::submitGpuWork(D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations,
    std::uint64_t durationUs, std::uint64_t* fenceValue)
{
    const ApiCall call = ApiCall::SubmitCommand;
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil)
        return fail(call, NtStatus::InvalidParameter, "hDevice " + formatHex(hDevice) + " is not a device");
    DeviceRecord& d = m_devices[device];
    if (d.removed)
        return fail(call, NtStatus::DeviceRemoved, "device " + formatHex(hDevice) + " was removed");
    const std::uint32_t mark = ++m_callMark;
    std::vector<std::uint32_t> indices;
    std::vector<std::uint32_t> pageIns;
    for (std::size_t k = 0; k < allocations.size(); ++k) {
        const std::uint32_t index = allocationIndex(allocations[k]);
        if (index == kNil || m_allocations[index].device != device)
            return fail(call, NtStatus::InvalidParameter,
                "allocation list entry " + std::to_string(k) + " = " + formatHex(allocations[k])
                    + " is not a live allocation of device " + formatHex(hDevice));
        if (m_cold[index].callMark == mark)
            continue;
        m_cold[index].callMark = mark;
        indices.push_back(index);
    }
    // A GPU access to memory that may be gone is a page fault: the device is removed.
    for (std::uint32_t index : indices) {
        const AllocationRecord& a = m_allocations[index];
        std::string fault;
        if (a.state == AllocationState::Offered || a.state == AllocationState::OfferPending)
            fault = "GPU work referenced " + describe(index) + " while it was offered; reclaim it before use";
        else if (a.state == AllocationState::Discarded)
            fault
                = "GPU work referenced " + describe(index) + " after its content was discarded, without reclaiming it";
        else if (a.state == AllocationState::Decommitted)
            fault = "GPU work referenced " + describe(index) + " after it was decommitted";
        else if (a.state == AllocationState::Evicted && a.residentRefs == 0)
            fault = "GPU work referenced " + describe(index) + ", which is not resident and not on the residency list";
        if (!fault.empty()) {
            removeDevice(device, ApiCall::SubmitCommand, fault);
            return Status(NtStatus::DeviceRemoved, "submitGpuWork: " + fault);
        }
        if (a.state == AllocationState::Evicted)
            pageIns.push_back(index);
    }
    std::string why;
    if (!pageIns.empty() && checkPageIn(pageIns, d.process, false, true, nullptr, &why, indices) != NtStatus::Success)
        return fail(call, NtStatus::NoMemory, why);
    std::optional<Checkpoint> before;
    if (pageInSpansGroup(pageIns))
        before = checkpoint();
    if (!pageIns.empty())
        pageIn(pageIns, d.process, PressureSource::GpuWorkNeedsMemory, indices);
    if (before && segmentOverfull()) {
        restore(*before); // `d` is not used after this
        return fail(call, NtStatus::NoMemory, kSpansGroupNoRoom);
    }

    GpuWork work;
    work.fence = ++d.submittedFence;
    d.lastEndTime = saturatingAdd(std::max(d.lastEndTime, m_now), durationUs);
    work.endTime = d.lastEndTime;
    for (std::uint32_t index : indices) {
        AllocationRecord& a = m_allocations[index];
        a.gpuBusy = true;
        noteChanged(index);
        m_cold[index].lastGpuFence = work.fence;
        a.orderSeq = ++m_orderSeq;
        relink(index);
        work.allocations.push_back(allocationHandle(index));
    }
    if (fenceValue != nullptr)
        *fenceValue = work.fence;
    if (logging()) {
        Event e;
        e.kind = EventKind::GpuWorkSubmitted;
        e.cause = CauseKind::Call;
        e.call = call;
        e.process = m_processes[d.process].handle;
        e.device = hDevice;
        e.allocations = work.allocations;
        e.explanation = processLabel(d.process) + " submits GPU work using " + std::to_string(indices.size())
            + " allocation(s); it retires at t=" + std::to_string(work.endTime) + " us on fence value "
            + std::to_string(work.fence) + ". Until then they cannot be evicted, and an offer of them stays pending.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    d.work.push_back(std::move(work));
    return NtStatus::Success;
}

Status Simulator::setAllocationPriority(
    D3DKMT_HANDLE hDevice, std::span<const D3DKMT_HANDLE> allocations, std::span<const UINT> priorities)
{
    const ApiCall call = ApiCall::SetAllocationPriority;
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil)
        return fail(call, NtStatus::InvalidParameter, "hDevice " + formatHex(hDevice) + " is not a device");
    if (allocations.size() != priorities.size() || allocations.empty())
        return fail(call, NtStatus::InvalidParameter, "needs one priority per allocation and at least one allocation");
    for (std::size_t k = 0; k < allocations.size(); ++k) {
        const std::uint32_t index = allocationIndex(allocations[k]);
        if (index == kNil || m_allocations[index].device != device)
            return fail(call, NtStatus::InvalidParameter,
                "phAllocationList[" + std::to_string(k) + "] = " + formatHex(allocations[k])
                    + " is not a live allocation of device " + formatHex(hDevice));
    }
    for (std::size_t k = 0; k < allocations.size(); ++k) {
        const std::uint32_t index = allocationIndex(allocations[k]);
        const bool inLru = m_allocations[index].list == ListKind::Lru;
        if (inLru)
            unlink(index);
        m_allocations[index].residencyPriority = priorities[k];
        m_allocations[index].lruBucket = 0xFFFF;
        noteChanged(index);
        if (inLru)
            relinkAsUsed(index);
    }
    if (logging()) {
        Event e;
        e.kind = EventKind::SettingChanged;
        e.cause = CauseKind::Call;
        e.call = call;
        e.device = hDevice;
        e.process = m_processes[m_devices[device].process].handle;
        e.allocations.assign(allocations.begin(), allocations.end());
        e.explanation = "Residency priority set to " + residencyPriorityName(priorities[0])
            + (priorities.size() > 1 ? " (and others)" : "")
            + ": lower priorities are evicted first, and an AUTO offer maps from it.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return NtStatus::Success;
}

// ---- time -----------------------------------------------------------------------------------------------

void Simulator::retireGpuWork(std::uint32_t device)
{
    DeviceRecord& d = m_devices[device];
    GpuWork work = std::move(d.work.front());
    d.work.pop_front();
    d.completedFence = work.fence;
    if (logging()) {
        Event e;
        e.kind = EventKind::GpuWorkRetired;
        e.cause = CauseKind::Fence;
        e.process = m_processes[d.process].handle;
        e.device = d.handle;
        e.allocations = work.allocations;
        e.explanation = "GPU work of device " + formatHex(d.handle) + " retires: its fence reaches "
            + std::to_string(work.fence) + ".";
        record(std::move(e));
    } else {
        m_log.skip();
    }
    for (D3DKMT_HANDLE handle : work.allocations) {
        const std::uint32_t index = allocationIndex(handle);
        if (index == kNil)
            continue;
        AllocationRecord& a = m_allocations[index];
        // A 4-bit generation can alias a destroyed allocation's handle with a new one in the same slot; the
        // new one is only released here if its own latest work on this device is done.
        if (!a.gpuBusy || a.device != device || m_cold[index].lastGpuFence > d.completedFence)
            continue;
        a.gpuBusy = false;
        noteChanged(index);
        if (a.state == AllocationState::OfferPending)
            makeEffective(index, CauseKind::Fence);
        else if (a.evictWhenIdle && !a.pinned() && a.residentRefs == 0 && a.state == AllocationState::Resident)
            evictAllocation(index, CauseKind::Call, PressureSource::None, 0);
        else
            relinkAsUsed(index);
    }
}

void Simulator::retirePaging(std::uint32_t pagingQueue)
{
    PagingQueueRecord& q = m_pagingQueues[pagingQueue];
    const PagingWork work = q.work.front();
    q.work.pop_front();
    q.completedFence = work.fence;
    if (logging()) {
        Event e;
        e.kind = EventKind::PagingDone;
        e.cause = CauseKind::Fence;
        e.device = m_devices[q.device].handle;
        e.process = m_processes[m_devices[q.device].process].handle;
        e.bytes = work.bytes;
        e.explanation = "Paging queue " + formatHex(q.handle) + " finished paging in " + formatBytes(work.bytes)
            + ": its fence reaches " + std::to_string(work.fence) + ", GPU work waiting on it may run.";
        record(std::move(e));
    } else {
        m_log.skip();
    }
}

void Simulator::advanceTime(std::uint64_t microseconds)
{
    const std::uint64_t target = saturatingAdd(m_now, microseconds);
    for (;;) {
        // The earliest finishing work first; devices before paging queues, lower index first on ties.
        // (No "target + 1" bound: the target may be the end of time.)
        std::uint64_t best = target;
        std::uint32_t bestDevice = kNil, bestQueue = kNil;
        for (std::uint32_t i = 0; i < m_devices.size(); ++i)
            if (!m_devices[i].work.empty() && m_devices[i].work.front().endTime <= best
                && (bestDevice == kNil || m_devices[i].work.front().endTime < best)) {
                best = m_devices[i].work.front().endTime;
                bestDevice = i;
            }
        for (std::uint32_t i = 0; i < m_pagingQueues.size(); ++i)
            if (!m_pagingQueues[i].work.empty() && m_pagingQueues[i].work.front().endTime <= best
                && ((bestDevice == kNil && bestQueue == kNil) || m_pagingQueues[i].work.front().endTime < best)) {
                best = m_pagingQueues[i].work.front().endTime;
                bestQueue = i;
                bestDevice = kNil;
            }
        if (bestDevice == kNil && bestQueue == kNil)
            break;
        m_now = std::max(m_now, best);
        if (bestQueue != kNil)
            retirePaging(bestQueue);
        else
            retireGpuWork(bestDevice);
    }
    m_now = target;
}

Status Simulator::waitForIdle(D3DKMT_HANDLE hDevice)
{
    const std::uint32_t device = deviceIndex(hDevice);
    if (device == kNil) {
        return Status(NtStatus::InvalidParameter, "waitForIdle: hDevice " + formatHex(hDevice) + " is not a device");
    }
    std::uint64_t end = m_now;
    if (!m_devices[device].work.empty())
        end = std::max(end, m_devices[device].work.back().endTime);
    for (const PagingQueueRecord& q : m_pagingQueues)
        if (q.device == device && !q.work.empty())
            end = std::max(end, q.work.back().endTime);
    advanceTime(end - m_now);
    return NtStatus::Success;
}

Status Simulator::waitForPagingFence(D3DKMT_HANDLE hPagingQueue, std::uint64_t fenceValue)
{
    const std::uint32_t queue = pagingQueueIndex(hPagingQueue);
    if (queue == kNil) {
        return Status(NtStatus::InvalidParameter,
            "waitForPagingFence: hPagingQueue " + formatHex(hPagingQueue) + " is not a paging queue");
    }
    const PagingQueueRecord& q = m_pagingQueues[queue];
    if (fenceValue <= q.completedFence)
        return NtStatus::Success;
    if (fenceValue > q.submittedFence) {
        return Status(NtStatus::InvalidParameter,
            "waitForPagingFence: fence value " + std::to_string(fenceValue) + " was never signalled (last "
                + std::to_string(q.submittedFence) + ")");
    }
    // Paging on one queue finishes in fence order, so the wait ends when that fence's work ends.
    std::uint64_t end = m_now;
    if (fenceValue == q.submittedFence)
        end = std::max(end, q.lastEndTime);
    else
        for (const PagingWork& work : q.work)
            if (work.fence == fenceValue)
                end = std::max(end, work.endTime);
    advanceTime(end - m_now);
    return NtStatus::Success;
}

// ---- queries -------------------------------------------------------------------------------------------

Status Simulator::queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args)
{
    const std::uint32_t process = processIndex(args.hProcess);
    if (process == kNil) {
        // Windows answers STATUS_INVALID_HANDLE for an hProcess that is not a process handle (Wine's conformance
        // test, run on Windows: test_D3DKMTQueryVideoMemoryInfo in dlls/gdi32/tests/driver.c, hProcess 0xdeadbeef).
        // NULL stands for the caller, which always exists on Windows; here it names none only before the first
        // process is created, and that stays STATUS_INVALID_PARAMETER.
        return Status(args.hProcess != 0 ? NtStatus::InvalidHandle : NtStatus::InvalidParameter,
            "D3DKMTQueryVideoMemoryInfo: hProcess " + formatHex(args.hProcess) + " is not a process");
    }
    // The same test: an unknown hAdapter, a PhysicalAdapterIndex that does not exist and a MemorySegmentGroup
    // above NON_LOCAL each answer STATUS_INVALID_PARAMETER.
    if (args.hAdapter != m_adapterHandle) {
        return Status(NtStatus::InvalidParameter,
            "D3DKMTQueryVideoMemoryInfo: hAdapter " + formatHex(args.hAdapter) + " is not the adapter "
                + formatHex(m_adapterHandle));
    }
    const auto group = static_cast<std::uint32_t>(args.MemorySegmentGroup);
    if (group >= kSegmentGroupCount) {
        return Status(NtStatus::InvalidParameter,
            "D3DKMTQueryVideoMemoryInfo: MemorySegmentGroup " + std::to_string(group)
                + " is neither LOCAL (0) nor NON_LOCAL (1)");
    }
    if (args.PhysicalAdapterIndex != 0) {
        return Status(NtStatus::InvalidParameter,
            "D3DKMTQueryVideoMemoryInfo: PhysicalAdapterIndex " + std::to_string(args.PhysicalAdapterIndex)
                + " does not exist (one physical adapter)");
    }
    const ProcessRecord& p = m_processes[process];
    args.Budget = effectiveBudget(p, static_cast<int>(group));
    args.CurrentUsage = usage(p, static_cast<int>(group));
    args.CurrentReservation = p.reservation[group];
    args.AvailableForReservation = reservable(p, static_cast<int>(group));
    return NtStatus::Success;
}

Status Simulator::changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args)
{
    const auto text = [&](NtStatus status) { return logging() ? formatCall(args, status) : std::string(); };
    const ApiCall call = ApiCall::ChangeVideoMemoryReservation;
    const std::uint32_t process = processIndex(args.hProcess);
    if (process == kNil)
        return fail(call, NtStatus::InvalidParameter, "hProcess " + formatHex(args.hProcess) + " is not a process",
            text(NtStatus::InvalidParameter));
    if (args.hAdapter != m_adapterHandle)
        return fail(call, NtStatus::InvalidParameter, "hAdapter " + formatHex(args.hAdapter) + " is not the adapter",
            text(NtStatus::InvalidParameter));
    const auto group = static_cast<std::uint32_t>(args.MemorySegmentGroup);
    if (group >= kSegmentGroupCount || args.PhysicalAdapterIndex != 0)
        return fail(call, NtStatus::InvalidParameter, "MemorySegmentGroup or PhysicalAdapterIndex out of range",
            text(NtStatus::InvalidParameter));
    ProcessRecord& p = m_processes[process];
    const std::uint64_t available = reservable(p, static_cast<int>(group));
    if (args.Reservation > available)
        return fail(call, NtStatus::InvalidParameter,
            "Reservation " + formatBytes(args.Reservation) + " exceeds AvailableForReservation "
                + formatBytes(available),
            text(NtStatus::InvalidParameter));
    p.reservation[group] = args.Reservation;
    if (logging()) {
        Event e;
        e.kind = EventKind::ReservationChanged;
        e.cause = CauseKind::Call;
        e.call = call;
        e.process = p.handle;
        e.bytes = args.Reservation;
        e.explanation = processLabel(process) + " reserves " + formatBytes(args.Reservation) + " of "
            + std::string(segmentGroupName(args.MemorySegmentGroup))
            + " memory: pressure from others will not evict it below that.";
        e.callText = text(NtStatus::Success);
        record(std::move(e));
    } else {
        m_log.skip();
    }
    return NtStatus::Success;
}

Status Simulator::queryStatistics(D3DKMT_QUERYSTATISTICS& args)
{
    if (!(args.AdapterLuid == m_luid)) {
        return Status(
            NtStatus::InvalidParameter, "D3DKMTQueryStatistics: AdapterLuid does not name the simulated adapter");
    }
    switch (args.Type) {
    case D3DKMT_QUERYSTATISTICS_TYPE::Segment: {
        const std::uint32_t id = args.QuerySegment.SegmentId;
        if (id >= m_segments.size()) {
            return Status(NtStatus::InvalidParameter,
                "D3DKMTQueryStatistics: QuerySegment.SegmentId " + std::to_string(id) + " does not exist");
        }
        const SegmentState& s = m_segments[id];
        D3DKMT_QUERYSTATISTICS_SEGMENT_INFORMATION& out = args.QueryResult.SegmentInformation;
        out = {};
        out.CommitLimit = s.config.size;
        out.BytesCommitted = s.committed;
        out.BytesResident = s.resident;
        out.Memory.TotalBytesEvicted = s.totalBytesEvicted;
        out.Memory.AllocsCommitted = s.allocsCommitted;
        out.Memory.AllocsResident = s.allocsResident;
        out.Aperture = s.config.aperture ? 1 : 0;
        for (int i = 0; i < kQueryStatisticsPriorityClassMax; ++i)
            out.TotalBytesEvictedByPriority[i] = s.totalBytesEvictedByPriority[i];
        out.SegmentProperties = s.config.aperture ? 1 : 0;
        return NtStatus::Success;
    }
    case D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegment: {
        const std::uint32_t process = processIndex(args.hProcess);
        const std::uint32_t id = args.QueryProcessSegment.SegmentId;
        if (process == kNil || id >= m_segments.size()) {
            return Status(NtStatus::InvalidParameter,
                "D3DKMTQueryStatistics: hProcess or QueryProcessSegment.SegmentId is not valid");
        }
        const ProcessSegment& ps = m_processes[process].segments[id];
        D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_INFORMATION& out = args.QueryResult.ProcessSegmentInformation;
        out = {};
        out.BytesCommitted = ps.committed;
        out.NbReferencedAllocationEvictedInPeriod = ps.evictedInPeriod;
        out.VideoMemory.AllocsCommitted = ps.allocsCommitted;
        out.VideoMemory.AllocsResidentInP[0] = D3DKMT_QUERYSTATISTICS_COUNTER { ps.allocsResident, ps.resident };
        return NtStatus::Success;
    }
    case D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup: {
        const std::uint32_t process = processIndex(args.hProcess);
        const auto group = static_cast<std::uint32_t>(args.QueryProcessSegmentGroup);
        if (process == kNil || group >= kSegmentGroupCount) {
            return Status(
                NtStatus::InvalidParameter, "D3DKMTQueryStatistics: hProcess or QueryProcessSegmentGroup is not valid");
        }
        const ProcessRecord& p = m_processes[process];
        D3DKMT_QUERYSTATISTICS_PROCESS_SEGMENT_GROUP_INFORMATION& out = args.QueryResult.ProcessSegmentGroupInformation;
        out = {};
        out.Budget = effectiveBudget(p, static_cast<int>(group));
        out.Usage = usage(p, static_cast<int>(group));
        // Requested: what the process wants resident = usage plus its evicted allocations still on the
        // residency list (a query, so a scan is fine here).
        std::uint64_t requested = out.Usage;
        for (const AllocationRecord& a : m_allocations)
            if (a.state == AllocationState::Evicted && a.residentRefs != 0 && a.process == process
                && static_cast<std::uint32_t>(m_segments[a.segment].config.group) == group)
                requested += a.size;
        out.Requested = requested;
        return NtStatus::Success;
    }
    default:
        return Status(NtStatus::NotSupported,
            "D3DKMTQueryStatistics: the simulator answers SEGMENT, PROCESS_SEGMENT and "
            "PROCESS_SEGMENT_GROUP queries only");
    }
}

} // namespace offerscope::sim
