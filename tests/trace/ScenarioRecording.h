// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test-only: a scenario run on the simulator, written down as the DxgKrnl provider would have logged
// it: the segments, the processes and their budgets, each allocation created (and destroyed), each
// offer with its priority, each discard, eviction and page-in, each reclaim with the state it found, and the usage of
// each process after every step. Checked against the model, such a recording must agree completely.

#include "core/scenario/ScenarioRunner.h"
#include "tests/trace/RecordingScript.h"

#include <map>

namespace offerscope::trace::testing {

/// The pointer a recording would show for a simulator handle.
inline std::uint64_t recordedPointer(D3DKMT_HANDLE h)
{
    return 0xFFFF800000000000ull | h;
}

inline RecordingScript recordScenario(const scenario::Scenario& scenario)
{
    scenario::ScenarioRunner runner(scenario);
    const sim::Simulator& sim = runner.simulator();
    RecordingScript script(8, 16384);
    constexpr std::uint64_t kAdapter = 0xFFFFA00000010000;
    const auto& segments = sim.adapterConfig().segments;
    for (std::size_t i = 0; i < segments.size(); ++i)
        script.add(78, 1,
            { i + 1, kAdapter, 0, 0, segments[i].size, 1, 0, segments[i].size, 0,
                static_cast<std::uint64_t>(segments[i].group) },
            0, 4);
    std::uint64_t seen = 0;
    std::map<std::pair<D3DKMT_HANDLE, int>, std::uint64_t> budgets, usages;
    struct PageIn {
        std::uint64_t handle, segment, ticks;
    };
    std::vector<PageIn> pageIns;
    const auto writeStep = [&] {
        const events::EventLog& log = sim.eventLog();
        std::uint64_t ticks = 0;
        for (std::uint64_t seq = seen + 1; seq <= log.lastSeq(); ++seq) {
            const events::Event* e = log.bySeq(seq);
            if (e == nullptr)
                continue;
            ticks = e->time * 10 + 1; // 0.1 µs ticks; after the segments at 0
            const std::uint32_t pid = e->process;
            switch (e->kind) {
            case events::EventKind::ProcessCreated:
                script.add(471, 0, { 0xFFFFA00000900000 + pid, pid, 0, 0 }, ticks, pid);
                break;
            case events::EventKind::ResourceCreated:
                for (D3DKMT_HANDLE h : e->allocations)
                    if (const auto info = sim.allocation(h)) // the segment as its recorded id: index + 1
                        script.addAllocation(info->process, recordedPointer(info->device), info->size,
                            info->segment + 1, recordedPointer(h), ticks, kAdapter);
                break;
            case events::EventKind::ResourceDestroyed:
                for (D3DKMT_HANDLE h : e->allocations) {
                    std::vector<std::uint64_t> a(29, 0);
                    a[0] = pid;
                    a[12] = recordedPointer(h);
                    script.add(34, 3, a, ticks, pid);
                }
                break;
            case events::EventKind::Offered:
                for (D3DKMT_HANDLE h : e->allocations)
                    script.add(186, 0, { recordedPointer(h), static_cast<std::uint64_t>(e->priority) }, ticks, pid);
                break;
            case events::EventKind::Discarded:
                for (D3DKMT_HANDLE h : e->allocations)
                    script.add(191, 0, { recordedPointer(h) }, ticks, 4);
                break;
            case events::EventKind::Evicted:
                for (D3DKMT_HANDLE h : e->allocations)
                    script.add(74, 0, { recordedPointer(h) }, ticks, 4);
                break;
            case events::EventKind::MadeResident:
                // VidMm pages in on the paging queue, after the call that asked for it is logged.
                for (D3DKMT_HANDLE h : e->allocations)
                    if (const auto info = sim.allocation(h))
                        pageIns.push_back({ recordedPointer(h), info->segment + 1u, ticks });
                break;
            case events::EventKind::Reclaimed:
                if (e->result)
                    for (D3DKMT_HANDLE h : e->allocations)
                        script.add(190, 0,
                            { recordedPointer(h), static_cast<std::uint64_t>(e->priority),
                                *e->result == ReclaimResult::Ok ? 2u : 3u },
                            ticks, pid);
                // A reclaim that found the content gone and left the allocation in memory had it paged in.
                if (e->result == ReclaimResult::Discarded)
                    for (D3DKMT_HANDLE h : e->allocations)
                        if (const auto info = sim.allocation(h); info && info->resident)
                            pageIns.push_back({ recordedPointer(h), info->segment + 1u, ticks });
                break;
            default:
                break;
            }
        }
        for (const auto& [handle, segment, at] : pageIns)
            script.add(73, 0, { handle, segment, 0 }, at, 4);
        pageIns.clear();
        seen = log.lastSeq();
        // Budgets and usage per process as VidMm reports them when they change.
        for (D3DKMT_HANDLE p : sim.processes())
            for (int g = 0; g < 2; ++g) {
                const auto u = sim.processUsage(p, static_cast<MemorySegmentGroup>(g));
                if (!u)
                    continue;
                auto& budget = budgets[{ p, g }];
                if (budget != u->requestedBudget + 1) {
                    script.add(366, 0,
                        { u->requestedBudget, budget == 0 ? 0 : budget - 1, kAdapter, p, 0, 2, 2, 1, 1,
                            static_cast<std::uint64_t>(g) },
                        ticks, p);
                    budget = u->requestedBudget + 1;
                }
                auto& usage = usages[{ p, g }];
                if (usage != u->usage + 1) {
                    script.add(367, 0,
                        { u->usage, usage == 0 ? 0 : usage - 1, kAdapter, p, 0, static_cast<std::uint64_t>(g) }, ticks,
                        p);
                    usage = u->usage + 1;
                }
            }
    };
    writeStep();
    while (runner.step())
        writeStep();
    return script;
}

} // namespace offerscope::trace::testing
