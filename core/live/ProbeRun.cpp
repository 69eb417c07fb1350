// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/ProbeRun.h"

#include "core/Units.h"
#include "core/sim/Simulator.h"

#include <algorithm>

namespace offerscope::live {

ProbeRun runProbe(Backend& backend, D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hPagingQueue, const ProbePlan& plan,
    std::string source)
{
    ProbeRun run;
    run.source = std::move(source);
    std::vector<D3DKMT_HANDLE> created;
    std::vector<D3DKMT_HANDLE> resources; // destroyed when the run is done, filler included
    for (std::size_t i = 0; i < plan.sizes.size(); ++i) {
        ProbeRow row;
        row.name = "probe " + std::to_string(i + 1);
        row.size = plan.sizes[i];
        CreateResourceArgs args;
        args.hDevice = hDevice;
        args.allocationSizes = { plan.sizes[i] };
        args.name = row.name;
        CreatedResource out;
        row.create = backend.createResource(args, out);
        if (ntSuccess(row.create) && out.allocations.size() == 1) {
            row.allocation = out.allocations.front();
            created.push_back(row.allocation);
            resources.push_back(out.hResource);
        }
        run.rows.push_back(std::move(row));
    }
    if (created.empty())
        return run;

    D3DKMT_OFFERALLOCATIONS offer;
    offer.hDevice = hDevice;
    offer.HandleList = created.data();
    offer.NumAllocations = static_cast<UINT>(created.size());
    offer.Priority = plan.priority;
    offer.Flags.Value = plan.allowDecommit ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0;
    const NtStatus offered = backend.offerAllocations(offer);
    for (ProbeRow& row : run.rows)
        if (row.allocation != 0)
            row.offer = offered;

    if (plan.pressureBytes > 0) {
        constexpr std::uint64_t kChunk = 64 * kMiB;
        NtStatus pressure = NtStatus::Success;
        for (std::uint64_t made = 0; made < plan.pressureBytes && ntSuccess(pressure);) {
            CreateResourceArgs args;
            args.hDevice = hDevice;
            args.allocationSizes = { std::min(kChunk, plan.pressureBytes - made) };
            args.name = "filler";
            CreatedResource out;
            pressure = backend.createResource(args, out);
            if (ntSuccess(pressure))
                resources.push_back(out.hResource);
            made += args.allocationSizes.front();
        }
        run.pressure = pressure;
    }

    D3DKMT_RECLAIMALLOCATIONS2 reclaim;
    reclaim.hPagingQueue = hPagingQueue;
    reclaim.HandleList = created.data();
    reclaim.NumAllocations = static_cast<UINT>(created.size());
    std::vector<ReclaimResult> results(created.size(), ReclaimResult::Ok);
    reclaim.pResults = results.data();
    const NtStatus reclaimed = backend.reclaimAllocations2(reclaim);
    std::size_t k = 0;
    for (ProbeRow& row : run.rows) {
        if (row.allocation == 0)
            continue;
        row.reclaim = reclaimed;
        if (ntSuccess(reclaimed))
            row.result = results[k];
        ++k;
    }
    // Real memory on a real device: a run leaves nothing behind.
    for (D3DKMT_HANDLE r : resources)
        backend.destroyResource(hDevice, r);
    return run;
}

sim::AdapterConfig adapterConfigFrom(const AdapterDesc& adapter)
{
    sim::AdapterConfig config;
    config.name = adapter.description;
    for (const SegmentDesc& s : adapter.segments)
        if (s.size > 0)
            config.segments.push_back({ s.name, s.size, s.group, s.aperture });
    if (config.segments.empty())
        config.segments.push_back({ "unknown (the live source gave no sizes)", 256 * kMiB, MemorySegmentGroup::Local, false });
    return config;
}

ProbeRun runProbeOnModel(const AdapterDesc& adapter, const LiveSample& sample, const ProbePlan& plan, sim::Simulator* into)
{
    sim::Simulator model(adapterConfigFrom(adapter));
    std::optional<std::uint64_t> local, nonLocal;
    for (const MemoryInfoReading& g : sample.groups)
        (g.group == MemorySegmentGroup::Local ? local : nonLocal) = g.budget;
    const auto process = model.createProcess("OfferScope (probes)", local, nonLocal);
    ProbeRun run;
    run.source = "Simulator (as the live adapter)";
    if (!process)
        return run;
    const auto device = model.createDevice(*process);
    if (!device)
        return run;
    const auto queue = model.createPagingQueue(*device);
    if (!queue)
        return run;
    run = runProbe(model, *device, *queue, plan, run.source);
    if (into != nullptr)
        *into = model;
    return run;
}

std::string outcomeText(const ProbeRow& row)
{
    if (!ntSuccess(row.create))
        return "create " + std::string(ntStatusName(row.create));
    std::string text = "offer " + (row.offer ? std::string(ntStatusName(*row.offer)) : std::string("-"));
    text += " · reclaim " + (row.reclaim ? std::string(ntStatusName(*row.reclaim)) : std::string("-"));
    if (row.result)
        text += ": " + std::string(reclaimResultName(*row.result));
    return text;
}

std::vector<ProbeComparison> compareRuns(const ProbeRun& live, const ProbeRun& model)
{
    std::vector<ProbeComparison> out;
    const std::size_t n = std::max(live.rows.size(), model.rows.size());
    for (std::size_t i = 0; i < n; ++i) {
        const ProbeRow* l = i < live.rows.size() ? &live.rows[i] : nullptr;
        const ProbeRow* m = i < model.rows.size() ? &model.rows[i] : nullptr;
        ProbeComparison c;
        c.name = l != nullptr ? l->name : m->name;
        c.size = l != nullptr ? l->size : m->size;
        c.live = l != nullptr ? outcomeText(*l) : "-";
        c.model = m != nullptr ? outcomeText(*m) : "-";
        if (l == nullptr || m == nullptr) {
            c.differs = true;
            c.why = "only one side ran this probe";
        } else if (l->create != m->create) {
            c.differs = true;
            c.why = "creating it: the driver answered " + std::string(ntStatusName(l->create)) + ", the model "
                + std::string(ntStatusName(m->create));
        } else if (l->offer != m->offer) {
            c.differs = true;
            c.why = "offering it: the driver answered " + (l->offer ? std::string(ntStatusName(*l->offer)) : "-")
                + ", the model " + (m->offer ? std::string(ntStatusName(*m->offer)) : "-");
        } else if (l->result != m->result || l->reclaim != m->reclaim) {
            c.differs = true;
            c.why = "reclaiming it: the driver gave " + (l->result ? std::string(reclaimResultName(*l->result)) : "no result")
                + ", the model predicted " + (m->result ? std::string(reclaimResultName(*m->result)) : "no result");
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace offerscope::live
