// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/TraceCheck.h"

#include "core/Units.h"
#include "core/sim/Simulator.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

namespace offerscope::trace {

namespace {

constexpr std::uint64_t kUsageTolerance = 1024 * 1024;

std::string at(std::uint64_t us)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(us) / 1000.0);
    return text;
}

struct Divergence {
    std::uint64_t time = 0;
    std::string words;
};

} // namespace

double CheckRun::agreement() const
{
    const std::uint64_t discardsCompared = discardsRecorded + discardsModel - discardsBoth;
    const std::uint64_t compared = reclaims + discardsCompared + usages;
    if (compared == 0)
        return 1.0;
    return static_cast<double>(reclaimsAgree + discardsBoth + usagesAgree) / static_cast<double>(compared);
}

CheckRun checkRecording(const RecordingWorld& w, const sim::SimPolicy& policy, std::string label)
{
    CheckRun run;
    run.label = std::move(label);
    run.policy = policy;
    const Recording& r = w.recording();
    const std::vector<RecordedAllocation>& allocations = w.allocations();
    sim::Simulator model(w.adapterConfig(), policy);
    struct Process {
        D3DKMT_HANDLE handle = 0, device = 0, queue = 0;
    };
    std::map<std::uint32_t, Process> processes;
    const auto process = [&](std::uint32_t pid) -> Process* {
        if (const auto it = processes.find(pid); it != processes.end())
            return &it->second;
        Process p;
        const auto created = model.createProcess(w.processName(pid));
        if (!created)
            return nullptr;
        p.handle = *created;
        p.device = *model.createDevice(p.handle);
        p.queue = *model.createPagingQueue(p.device);
        return &processes.emplace(pid, p).first->second;
    };
    std::vector<D3DKMT_HANDLE> modelAllocation(allocations.size(), 0), modelResource(allocations.size(), 0);
    std::vector<std::uint32_t> ownerOf(allocations.size(), 0);
    std::unordered_map<D3DKMT_HANDLE, std::uint32_t> recordedOf;
    std::map<std::uint32_t, std::uint64_t> discardedRecorded, discardedModel; // allocation -> when
    std::vector<Divergence> divergences;
    std::uint64_t seen = model.eventLog().lastSeq();
    const auto name = [&](std::uint32_t a) { return w.allocationName(RecordingWorld::handleOfAllocation(a)); };
    const auto collectDiscards = [&] {
        const events::EventLog& log = model.eventLog();
        for (std::uint64_t seq = seen + 1; seq <= log.lastSeq(); ++seq)
            if (const events::Event* e = log.bySeq(seq); e != nullptr && e->kind == events::EventKind::Discarded)
                for (D3DKMT_HANDLE h : e->allocations)
                    if (const auto it = recordedOf.find(h); it != recordedOf.end())
                        discardedModel.emplace(it->second, e->time);
        seen = log.lastSeq();
    };

    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const RecordedEvent& e = r.events[i];
        const EventKind kind = r.spec(e).kind;
        if (e.timeUs > model.now())
            model.advanceTime(e.timeUs - model.now());
        const std::int64_t ai = w.allocationOfEvent(i);
        const auto a = static_cast<std::uint32_t>(ai < 0 ? 0 : ai);
        const bool inModel = ai >= 0 && modelAllocation[a] != 0;
        switch (kind) {
        case EventKind::ProcessStart:
        case EventKind::ProcessRundown:
            process(static_cast<std::uint32_t>(r.value(e, "ProcessId")));
            break;
        case EventKind::AdapterAllocationStart:
        case EventKind::AdapterAllocationRundown:
        case EventKind::ReportCommittedAllocation: {
            if (ai < 0 || inModel)
                break;
            const RecordedAllocation& rec = allocations[a];
            Process* p = rec.process ? process(*rec.process) : nullptr;
            if (!rec.size || !rec.segment || p == nullptr || *rec.size == 0) {
                ++run.skipped; // what the recording did not say cannot be replayed
                break;
            }
            CreateResourceArgs args;
            args.hDevice = p->device;
            args.allocationSizes = { *rec.size };
            args.segmentId = *rec.segment;
            args.name = name(a);
            CreatedResource out;
            if (model.createResource(args, out).ok() && out.allocations.size() == 1) {
                modelAllocation[a] = out.allocations.front();
                modelResource[a] = out.hResource;
                ownerOf[a] = *rec.process;
                recordedOf[out.allocations.front()] = a;
            } else {
                ++run.skipped;
            }
            break;
        }
        case EventKind::AdapterAllocationStop:
        case EventKind::TerminateAllocation:
            if (inModel) {
                model.destroyResource(processes[ownerOf[a]].device, modelResource[a]);
                modelAllocation[a] = 0;
            }
            break;
        case EventKind::OfferStart: {
            if (!inModel) {
                ++run.skipped;
                break;
            }
            D3DKMT_OFFERALLOCATIONS args;
            args.hDevice = processes[ownerOf[a]].device;
            args.HandleList = &modelAllocation[a];
            args.NumAllocations = 1;
            const std::uint64_t p = r.value(e, "Priority");
            args.Priority = p >= 1 && p <= 4 ? static_cast<OfferPriority>(p) : OfferPriority::Low;
            model.offerAllocations(args);
            break;
        }
        case EventKind::Discard:
            if (ai >= 0)
                discardedRecorded.emplace(a, e.timeUs);
            break;
        case EventKind::Reclaim: {
            if (!inModel) {
                ++run.skipped;
                break;
            }
            const ReclaimResult recorded = r.value(e, "State") == 3 ? ReclaimResult::Discarded : ReclaimResult::Ok;
            D3DKMT_RECLAIMALLOCATIONS2 args;
            args.hPagingQueue = processes[ownerOf[a]].queue;
            args.HandleList = &modelAllocation[a];
            args.NumAllocations = 1;
            ReclaimResult result = ReclaimResult::Ok;
            args.pResults = &result;
            const Status status = model.reclaimAllocations2(args);
            ++run.reclaims;
            if (status.ok() && result == recorded) {
                ++run.reclaimsAgree;
            } else {
                divergences.push_back({ e.timeUs,
                    at(e.timeUs) + ": process " + std::to_string(e.processId) + " reclaims " + name(a)
                        + ": VidMm found it " + std::string(reclaimResultName(recorded)) + ", the model "
                        + (status.ok() ? std::string(reclaimResultName(result))
                                       : "refused the reclaim (" + status.message() + ")") });
            }
            break;
        }
        case EventKind::BudgetChange: {
            const std::uint64_t group = r.value(e, "MemorySegmentGroup");
            if (Process* p = process(static_cast<std::uint32_t>(r.value(e, "ProcessId"))); p != nullptr && group <= 1)
                model.setBudget(p->handle, static_cast<MemorySegmentGroup>(group), r.value(e, "NewBudget"));
            break;
        }
        case EventKind::UsageChange: {
            collectDiscards();
            const std::uint64_t group = r.value(e, "MemorySegmentGroup");
            const auto pid = static_cast<std::uint32_t>(r.value(e, "ProcessId"));
            const auto it = processes.find(pid);
            if (it == processes.end() || group > 1)
                break;
            const auto usage = model.processUsage(it->second.handle, static_cast<MemorySegmentGroup>(group));
            const std::uint64_t recorded = r.value(e, "NewUsage");
            ++run.usages;
            const std::uint64_t modelled = usage ? usage->usage : 0;
            if ((modelled > recorded ? modelled - recorded : recorded - modelled) <= kUsageTolerance)
                ++run.usagesAgree;
            else
                divergences.push_back({ e.timeUs,
                    at(e.timeUs) + ": process " + std::to_string(pid) + "'s " + (group == 0 ? "LOCAL" : "NON_LOCAL")
                        + " usage: VidMm reported " + formatBytes(recorded) + ", the model has "
                        + formatBytes(modelled) });
            break;
        }
        default:
            break;
        }
        collectDiscards();
    }
    run.discardsRecorded = discardedRecorded.size();
    run.discardsModel = discardedModel.size();
    for (const auto& [a, when] : discardedRecorded) {
        if (const auto it = discardedModel.find(a); it != discardedModel.end())
            ++run.discardsBoth;
        else
            divergences.push_back({ when, at(when) + ": VidMm discarded " + name(a) + "; the model did not" });
    }
    for (const auto& [a, when] : discardedModel)
        if (discardedRecorded.count(a) == 0)
            divergences.push_back({ when, at(when) + ": the model discarded " + name(a) + "; VidMm did not" });
    std::stable_sort(divergences.begin(), divergences.end(),
        [](const Divergence& x, const Divergence& y) { return x.time < y.time; });
    for (std::size_t i = 0; i < divergences.size() && i < kMaxDivergences; ++i)
        run.divergences.push_back(divergences[i].words);
    return run;
}

TraceCheck checkTrace(const RecordingWorld& w)
{
    TraceCheck check;
    for (const sim::SegmentConfig& s : w.adapterConfig().segments)
        if (s.size == 0) {
            check.possible = false;
            check.whyNot = "the recording does not give the size of " + s.name
                + " (no ReportSegment event): the model cannot be set up like the adapter";
            return check;
        }
    sim::SimPolicy defaults;
    check.runs.push_back(checkRecording(w, defaults, "the model's defaults"));
    for (const sim::WithinPriorityOrder order :
        { sim::WithinPriorityOrder::LargestFirst, sim::WithinPriorityOrder::SmallestFirst }) {
        sim::SimPolicy p = defaults;
        p.withinPriorityOrder = order;
        check.runs.push_back(
            checkRecording(w, p, "policy.withinPriorityOrder=" + std::string(sim::withinPriorityOrderName(order))));
    }
    {
        sim::SimPolicy p = defaults;
        p.offeredCountsInUsage = !defaults.offeredCountsInUsage;
        check.runs.push_back(checkRecording(
            w, p, std::string("policy.offeredCountsInUsage=") + (p.offeredCountsInUsage ? "true" : "false")));
    }
    {
        sim::SimPolicy p = defaults;
        p.enforceBudgetOnShrink = !defaults.enforceBudgetOnShrink;
        check.runs.push_back(checkRecording(
            w, p, std::string("policy.enforceBudgetOnShrink=") + (p.enforceBudgetOnShrink ? "true" : "false")));
    }
    for (std::size_t i = 1; i < check.runs.size(); ++i)
        if (check.runs[i].agreement() > check.runs[check.best].agreement())
            check.best = i;
    return check;
}

namespace {

std::string percent(std::uint64_t part, std::uint64_t whole)
{
    if (whole == 0)
        return "-";
    char text[16];
    std::snprintf(text, sizeof text, "%.1f %%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

} // namespace

std::string formatTraceCheck(const TraceCheck& check, const RecordingWorld& w)
{
    std::string out = "recording            " + w.recording().name + "\n" + w.tiesText();
    if (!check.possible)
        return out + "cannot check: " + check.whyNot + "\n";
    const CheckRun& d = check.runs.front();
    const auto line = [&out](const std::string& s) { out += s + "\n"; };
    line("");
    line("the model (" + d.label + ") against what VidMm did:");
    line("  reclaim results    " + std::to_string(d.reclaimsAgree) + " of " + std::to_string(d.reclaims) + " agree ("
        + percent(d.reclaimsAgree, d.reclaims) + ")");
    line("  discards           " + std::to_string(d.discardsBoth) + " in both, "
        + std::to_string(d.discardsRecorded - d.discardsBoth) + " only VidMm's, "
        + std::to_string(d.discardsModel - d.discardsBoth) + " only the model's ("
        + percent(d.discardsBoth, d.discardsRecorded + d.discardsModel - d.discardsBoth) + ")");
    line("  usage              " + std::to_string(d.usagesAgree) + " of " + std::to_string(d.usages)
        + " recorded figures within 1 MiB (" + percent(d.usagesAgree, d.usages) + ")");
    line("  not replayed       " + std::to_string(d.skipped)
        + " recorded actions (size, segment or owner not recorded)");
    char overall[64];
    std::snprintf(overall, sizeof overall, "%.1f %%", 100.0 * d.agreement());
    line("  agreement          " + std::string(overall));
    if (!d.divergences.empty()) {
        line("first divergences:");
        for (const std::string& s : d.divergences)
            line("  " + s);
    }
    line("");
    line("settings tried (agreement):");
    for (std::size_t i = 0; i < check.runs.size(); ++i) {
        std::snprintf(overall, sizeof overall, "%5.1f %%", 100.0 * check.runs[i].agreement());
        line("  " + std::string(overall) + "  " + check.runs[i].label + (i == check.best ? "   <- fits best" : ""));
    }
    return out;
}

std::string traceCheckJson(const TraceCheck& check, const RecordingWorld& w)
{
    std::string out = "{\n  \"recording\": " + jsonQuoted(w.recording().name)
        + ",\n  \"possible\": " + (check.possible ? "true" : "false") + ",\n";
    if (!check.possible)
        return out + "  \"whyNot\": " + jsonQuoted(check.whyNot) + "\n}\n";
    out += "  \"best\": " + jsonQuoted(check.runs[check.best].label) + ",\n  \"runs\": [\n";
    for (std::size_t i = 0; i < check.runs.size(); ++i) {
        const CheckRun& c = check.runs[i];
        char agreement[32];
        std::snprintf(agreement, sizeof agreement, "%.4f", c.agreement());
        out += "    { \"setting\": " + jsonQuoted(c.label) + ", \"agreement\": " + agreement + ", \"reclaims\": "
            + std::to_string(c.reclaims) + ", \"reclaimsAgree\": " + std::to_string(c.reclaimsAgree)
            + ", \"discardsRecorded\": " + std::to_string(c.discardsRecorded) + ", \"discardsModel\": "
            + std::to_string(c.discardsModel) + ", \"discardsBoth\": " + std::to_string(c.discardsBoth)
            + ", \"usages\": " + std::to_string(c.usages) + ", \"usagesAgree\": " + std::to_string(c.usagesAgree)
            + ", \"skipped\": " + std::to_string(c.skipped) + ", \"divergences\": [";
        for (std::size_t k = 0; k < c.divergences.size(); ++k)
            out += (k == 0 ? "" : ", ") + jsonQuoted(c.divergences[k]);
        out += "] }" + std::string(i + 1 < check.runs.size() ? "," : "") + "\n";
    }
    return out + "  ]\n}\n";
}

} // namespace offerscope::trace
