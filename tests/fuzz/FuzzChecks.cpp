// SPDX-License-Identifier: GPL-3.0-or-later
// Failure reporting and the simulator checks shared by the fuzz targets.
#include "FuzzTargets.h"
#include "core/sim/Simulator.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace offerscope::fuzz {
namespace {

void printAndAbort(const std::string& message)
{
    std::fprintf(stderr, "offerscope fuzz: broken promise: %s\n", message.c_str());
    std::fflush(stderr);
    std::abort();
}

FailureHandler g_handler = printAndAbort;

} // namespace

void setFailureHandler(FailureHandler handler)
{
    g_handler = handler != nullptr ? handler : printAndAbort;
}

void fuzzFailure(const std::string& message)
{
    g_handler(message);
    std::abort(); // a handler that returns is a handler that did not stop the run
}

void checkSimulator(const sim::Simulator& s, std::string_view context)
{
    using namespace offerscope::sim;
    const auto broken = [&context](const std::string& what) { fuzzFailure(std::string(context) + ": " + what); };
    if (const std::string invariant = s.checkInvariants(); !invariant.empty())
        broken(invariant);

    std::vector<AllocationSummary> rows;
    s.allocationSummaries(rows);
    if (rows.size() != s.liveAllocationCount())
        broken(std::to_string(rows.size()) + " allocation summaries for " + std::to_string(s.liveAllocationCount())
            + " live allocations");

    // Each segment's figures, recomputed from the rows the views show.
    struct Totals {
        std::uint64_t committed = 0, resident = 0, inUse = 0, pending = 0, evicted = 0, discarded = 0, decommitted = 0,
                      offered = 0;
        std::uint32_t allocsCommitted = 0, allocsResident = 0;
        std::array<std::uint64_t, kOfferLevelCount> offeredByLevel {};
        std::array<std::size_t, kOfferLevelCount> offersByLevel {};
        std::size_t pendingCount = 0;
    };
    const std::uint32_t segments = s.segmentCount();
    std::vector<Totals> totals(segments);
    for (const AllocationSummary& row : rows) {
        if (row.segment >= segments)
            broken("allocation " + std::to_string(row.handle) + " names segment " + std::to_string(row.segment));
        Totals& t = totals[row.segment];
        if (row.state != AllocationState::Decommitted) {
            t.committed += row.size;
            ++t.allocsCommitted;
        }
        if (row.resident) {
            t.resident += row.size;
            ++t.allocsResident;
        }
        switch (row.state) {
        case AllocationState::Resident:
            t.inUse += row.size;
            break;
        case AllocationState::OfferPending:
            t.pending += row.size;
            ++t.pendingCount;
            break;
        case AllocationState::Offered: {
            t.offered += row.size;
            const int level = static_cast<int>(row.effectivePriority) - 1;
            if (level < 0 || level >= kOfferLevelCount)
                broken("an offered allocation has effective priority "
                    + std::to_string(static_cast<unsigned>(row.effectivePriority)));
            t.offeredByLevel[static_cast<std::size_t>(level)] += row.size;
            ++t.offersByLevel[static_cast<std::size_t>(level)];
            break;
        }
        case AllocationState::Evicted:
            t.evicted += row.size;
            break;
        case AllocationState::Discarded:
            t.discarded += row.size;
            break;
        case AllocationState::Decommitted:
            t.decommitted += row.size;
            break;
        case AllocationState::Destroyed:
            broken("a destroyed allocation is listed as live");
        }
        if (row.resident
            && !(row.state == AllocationState::Resident || row.state == AllocationState::OfferPending
                || row.state == AllocationState::Offered))
            broken("an allocation in state " + std::string(allocationStateName(row.state)) + " occupies its segment");
    }
    for (std::uint32_t id = 0; id < segments; ++id) {
        const SegmentUsage u = s.segmentUsage(id);
        const Totals& t = totals[id];
        const std::string seg = "segment " + std::to_string(id) + ": ";
        if (u.resident > u.size)
            broken(seg + std::to_string(u.resident) + " bytes resident in " + std::to_string(u.size) + " bytes");
        if (u.committed != t.committed || u.resident != t.resident || u.inUse != t.inUse || u.offerPending != t.pending
            || u.evicted != t.evicted || u.discarded != t.discarded || u.decommitted != t.decommitted)
            broken(seg + "the usage figures differ from the allocations' states");
        if (u.allocsCommitted != t.allocsCommitted || u.allocsResident != t.allocsResident)
            broken(seg + "AllocsCommitted " + std::to_string(u.allocsCommitted) + " / AllocsResident "
                + std::to_string(u.allocsResident) + " but the allocations count " + std::to_string(t.allocsCommitted)
                + " / " + std::to_string(t.allocsResident));
        std::uint64_t byPriority = 0, byLevel = 0;
        for (std::uint64_t b : u.offeredByPriority)
            byPriority += b;
        for (int l = 0; l < kOfferLevelCount; ++l) {
            byLevel += u.offeredByLevel[l];
            if (u.offeredByLevel[l] != t.offeredByLevel[static_cast<std::size_t>(l)])
                broken(seg + "offered bytes of level " + std::to_string(l) + " differ from the allocations'");
            const std::vector<D3DKMT_HANDLE> order = s.discardOrder(id, static_cast<OfferLevel>(l));
            if (order.size() != t.offersByLevel[static_cast<std::size_t>(l)])
                broken(seg + "the discard order of level " + std::to_string(l) + " lists "
                    + std::to_string(order.size()) + " allocations, "
                    + std::to_string(t.offersByLevel[static_cast<std::size_t>(l)]) + " are offered");
            for (D3DKMT_HANDLE h : order) {
                const auto info = s.allocation(h);
                if (!info || info->state != AllocationState::Offered || info->segment != id
                    || info->effectivePriority != offerLevelPriority(static_cast<OfferLevel>(l)))
                    broken(seg + "the discard order of level " + std::to_string(l) + " lists an allocation that is not "
                        + "offered at that level in it");
            }
        }
        if (byPriority != t.offered || byLevel != t.offered)
            broken(seg + "offered bytes by priority (" + std::to_string(byPriority) + ") or by level ("
                + std::to_string(byLevel) + ") differ from the offered allocations' " + std::to_string(t.offered));
        const std::vector<D3DKMT_HANDLE> pending = s.pendingOffers(id);
        if (pending.size() != t.pendingCount)
            broken(seg + "pendingOffers() lists " + std::to_string(pending.size()) + " of "
                + std::to_string(t.pendingCount));
        for (D3DKMT_HANDLE h : pending) {
            const auto info = s.allocation(h);
            if (!info || info->state != AllocationState::OfferPending)
                broken(seg + "pendingOffers() lists an allocation whose offer is not pending");
        }
    }

    // Each process' usage per segment group, recomputed from its rows.
    struct GroupBytes {
        std::uint64_t resident[kSegmentGroupCount] = { 0, 0 };
        std::uint64_t offeredResident[kSegmentGroupCount] = { 0, 0 };
    };
    std::map<D3DKMT_HANDLE, GroupBytes> byProcess;
    for (const AllocationSummary& row : rows) {
        if (!row.resident)
            continue;
        const auto g = static_cast<std::size_t>(s.adapterConfig().segments[row.segment].group);
        byProcess[row.process].resident[g] += row.size;
        if (row.state == AllocationState::Offered)
            byProcess[row.process].offeredResident[g] += row.size;
    }
    for (D3DKMT_HANDLE process : s.processes()) {
        const GroupBytes& bytes = byProcess[process];
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            const auto u = s.processUsage(process, static_cast<MemorySegmentGroup>(g));
            if (!u)
                broken("processUsage() does not know process " + std::to_string(process));
            if (u->resident != bytes.resident[g] || u->offeredResident != bytes.offeredResident[g])
                broken("process " + s.processName(process) + ", group " + std::to_string(g)
                    + ": resident bytes differ from its allocations'");
            if (u->budget > u->requestedBudget)
                broken("process " + s.processName(process) + ": effective budget above the requested one");
        }
    }
}

} // namespace offerscope::fuzz
