// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/StepCalls.h"

#include <algorithm>
#include <charconv>

namespace offerscope::scenario {

D3DKMT_HANDLE NameTable::handle(const std::string& name) const
{
    if (auto it = handles.find(name); it != handles.end())
        return it->second;
    // "tex[2]": the third of tex's allocations.
    const std::size_t bracket = name.find('[');
    if (bracket == std::string::npos || bracket == 0 || name.back() != ']')
        return 0;
    std::size_t index = 0;
    const char* first = name.data() + bracket + 1;
    const char* last = name.data() + name.size() - 1;
    const auto [end, error] = std::from_chars(first, last, index);
    if (error != std::errc() || end != last || first == last)
        return 0;
    const auto it = resourceAllocations.find(name.substr(0, bracket));
    return it != resourceAllocations.end() && index < it->second.size() ? it->second[index] : 0;
}

std::vector<D3DKMT_HANDLE> NameTable::allocations(const std::vector<std::string>& names) const
{
    std::vector<D3DKMT_HANDLE> out;
    for (const std::string& name : names) {
        if (name.find('[') == std::string::npos) {
            auto it = resourceAllocations.find(name);
            if (it != resourceAllocations.end())
                out.insert(out.end(), it->second.begin(), it->second.end());
        } else {
            out.push_back(handle(name));
        }
    }
    return out;
}

void runOfferOrReclaim(Backend& backend, const Step& s, const NameTable& names, D3DKMT_HANDLE device,
    D3DKMT_HANDLE queue, bool reclaimResults, StepOutcome& out)
{
    std::vector<D3DKMT_HANDLE> allocations, resources;
    std::vector<std::string> allocationNames, resourceNames;
    for (const std::string& name : s.names) {
        const std::string resource = name.substr(0, name.find('['));
        if (s.by == HandleArray::Resources || s.by == HandleArray::Both) {
            resources.push_back(names.handle(resource));
            resourceNames.push_back(resource);
        }
        if (s.by == HandleArray::Allocations || s.by == HandleArray::Both) {
            const auto known = names.resourceAllocations.find(name);
            const bool several = known != names.resourceAllocations.end() && known->second.size() > 1;
            std::size_t ordinal = 0;
            for (D3DKMT_HANDLE h : names.allocations({ name })) {
                allocations.push_back(h);
                allocationNames.push_back(several ? name + "[" + std::to_string(ordinal++) + "]" : name);
            }
        }
    }
    std::vector<D3DKMT_HANDLE>& primary = s.by == HandleArray::Resources ? resources : allocations;
    const UINT count = s.numAllocations.value_or(static_cast<UINT>(primary.size()));
    // Entries beyond the names are NULL handles, so a too-large count reads no foreign memory.
    const std::size_t padded
        = std::min<std::size_t>(std::max<std::size_t>(count, primary.size()), kMaxOfferAllocations + 1);
    allocations.resize(std::max(allocations.size(), s.by == HandleArray::Resources ? 0 : padded), 0);
    // Both arrays (the misuse "both") are read up to the count when the call is shown: pad both.
    resources.resize(std::max(resources.size(), s.by == HandleArray::Allocations ? resources.size() : padded), 0);
    const bool useAllocations = s.by == HandleArray::Allocations || s.by == HandleArray::Both;
    const bool useResources = s.by == HandleArray::Resources || s.by == HandleArray::Both;
    out.call = true;
    if (s.kind == StepKind::Offer) {
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = device;
        args.HandleList = useAllocations ? allocations.data() : nullptr;
        args.pResources = useResources ? resources.data() : nullptr;
        args.NumAllocations = count;
        args.Priority = s.priority;
        args.Flags.Value = s.flags;
        out.status = backend.offerAllocations(args);
        return;
    }
    const std::vector<std::string>& labels = s.by == HandleArray::Resources ? resourceNames : allocationNames;
    std::vector<ReclaimResult> results(std::max<std::size_t>(padded, 1), ReclaimResult::Ok);
    std::vector<BOOL> discarded(results.size(), 0);
    bool asResults = false;
    if (s.reclaimVersion == 1) {
        D3DKMT_RECLAIMALLOCATIONS args;
        args.hDevice = device;
        args.HandleList = useAllocations ? allocations.data() : nullptr;
        args.pResources = useResources ? resources.data() : nullptr;
        args.pDiscarded = discarded.data();
        args.NumAllocations = count;
        out.status = backend.reclaimAllocations(args);
    } else {
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.HandleList = useAllocations ? allocations.data() : nullptr;
        args.pResources = useResources ? resources.data() : nullptr;
        asResults = reclaimResults;
        if (asResults)
            args.pResults = results.data();
        else
            args.pDiscarded = discarded.data();
        args.NumAllocations = count;
        out.status = backend.reclaimAllocations2(args);
    }
    if (ntSuccess(out.status))
        for (std::size_t i = 0; i < labels.size() && i < count; ++i)
            out.results.emplace_back(
                labels[i], asResults ? results[i] : (discarded[i] ? ReclaimResult::Discarded : ReclaimResult::Ok));
}

bool runStepCall(Backend& backend, const Step& s, const NameTable& names, const CallTarget& target,
    bool reclaimResults, StepOutcome& out)
{
    switch (s.kind) {
    case StepKind::Offer:
    case StepKind::Reclaim:
        runOfferOrReclaim(backend, s, names, target.device, target.queue, reclaimResults, out);
        return true;
    case StepKind::MakeResident: {
        std::vector<D3DKMT_HANDLE> allocations = names.allocations(s.names);
        D3DDDI_MAKERESIDENT args;
        args.hPagingQueue = target.queue;
        args.NumAllocations = static_cast<UINT>(allocations.size());
        args.AllocationList = allocations.data();
        // A priority per allocation, or none (the runtime's default).
        args.PriorityList
            = s.priorities.size() == allocations.size() && !allocations.empty() ? s.priorities.data() : nullptr;
        args.Flags.Value = s.flags;
        out.call = true;
        out.status = backend.makeResident(args);
        return true;
    }
    case StepKind::Evict: {
        std::vector<D3DKMT_HANDLE> allocations = names.allocations(s.names);
        D3DKMT_EVICT args;
        args.hDevice = target.device;
        args.NumAllocations = static_cast<UINT>(allocations.size());
        args.AllocationList = allocations.data();
        args.Flags.Value = s.flags;
        out.call = true;
        out.status = backend.evict(args);
        return true;
    }
    case StepKind::Reserve: {
        D3DKMT_CHANGEVIDEOMEMORYRESERVATION args;
        args.hProcess = target.process;
        args.hAdapter = target.adapter;
        args.MemorySegmentGroup = s.group;
        args.Reservation = s.bytes;
        out.call = true;
        out.status = backend.changeVideoMemoryReservation(args);
        return true;
    }
    case StepKind::Trim: {
        D3DKMT_TRIMPROCESSCOMMITMENT args;
        args.hProcess = target.process;
        args.Flags.Value = s.flags;
        args.DecommitRequested = s.bytes;
        out.call = true;
        out.status = backend.trimProcessCommitment(args);
        return true;
    }
    default:
        return false;
    }
}

} // namespace offerscope::scenario
