// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/TraceCheck.h"

#include "core/Units.h"
#include "core/sim/Simulator.h"
#include "core/trace/ModelReplay.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace offerscope::trace {

namespace {

constexpr std::uint64_t kUsageTolerance = 1024 * 1024;
constexpr std::size_t kCheckLogEvents = 1 << 16;

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

CheckRun checkRecording(
    const RecordingWorld& w, const sim::SimPolicy& policy, std::string label, const ImportProgress& progress)
{
    CheckRun run;
    run.label = std::move(label);
    run.policy = policy;
    ModelReplay replay(w, policy);
    // Discards are read from the model's events right after each recorded event: the log need not
    // keep more than one event's worth.
    replay.model().eventLog().setMode(events::EventLog::Mode::Bounded, kCheckLogEvents);
    std::map<std::uint32_t, std::uint64_t> discardedRecorded, discardedModel; // allocation -> when
    std::vector<Divergence> divergences;
    std::uint64_t seen = replay.model().eventLog().lastSeq();
    const auto name = [&](std::uint32_t a) { return w.allocationName(RecordingWorld::handleOfAllocation(a)); };
    const Recording& r = w.recording();
    using What = ReplayedEvent::What;
    constexpr std::size_t kProgressEvery = 1 << 16;
    while (!replay.atEnd()) {
        if (replay.next() % kProgressEvery == 0 && replay.next() > 0) {
            if (progress.cancelled && progress.cancelled())
                break;
            if (progress.report)
                progress.report(static_cast<double>(replay.next()) / static_cast<double>(r.events.size()));
        }
        const RecordedEvent& e = r.events[replay.next()];
        const ReplayedEvent done = replay.replayNext();
        const auto a = static_cast<std::uint32_t>(done.allocation < 0 ? 0 : done.allocation);
        switch (done.what) {
        case What::Skipped:
            ++run.skipped;
            break;
        case What::Discard:
            discardedRecorded.emplace(a, e.timeUs);
            break;
        case What::Reclaimed:
            ++run.reclaims;
            if (done.status.ok() && done.result == done.recorded) {
                ++run.reclaimsAgree;
            } else {
                divergences.push_back({ e.timeUs,
                    at(e.timeUs) + ": process " + std::to_string(e.processId) + " reclaims " + name(a)
                        + ": VidMm found it " + std::string(reclaimResultName(done.recorded)) + ", the model "
                        + (done.status.ok() ? std::string(reclaimResultName(done.result))
                                            : "refused the reclaim (" + done.status.message() + ")") });
            }
            break;
        case What::Usage: {
            ++run.usages;
            const std::uint64_t m = done.modelUsage, v = done.recordedUsage;
            if ((m > v ? m - v : v - m) <= kUsageTolerance)
                ++run.usagesAgree;
            else
                divergences.push_back({ e.timeUs,
                    at(e.timeUs) + ": process " + std::to_string(done.process) + "'s "
                        + (done.group == MemorySegmentGroup::Local ? "LOCAL" : "NON_LOCAL") + " usage: VidMm reported "
                        + formatBytes(v) + ", the model has " + formatBytes(m) });
            break;
        }
        default:
            break;
        }
        const events::EventLog& log = replay.model().eventLog();
        for (std::uint64_t seq = seen + 1; seq <= log.lastSeq(); ++seq)
            if (const events::Event* m = log.bySeq(seq); m != nullptr && m->kind == events::EventKind::Discarded)
                for (D3DKMT_HANDLE h : m->allocations)
                    if (const auto recorded = replay.recordedOf(h))
                        discardedModel.emplace(*recorded, m->time);
        seen = log.lastSeq();
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

TraceCheck checkTrace(const RecordingWorld& w, const ImportProgress& progress)
{
    TraceCheck check;
    for (const sim::SegmentConfig& s : w.adapterConfig().segments)
        if (s.size == 0) {
            check.possible = false;
            check.whyNot = "the recording does not give the size of " + s.name
                + " (no ReportSegment event): the model cannot be set up like the adapter";
            return check;
        }
    // The model's defaults first, then each within-priority order and each [choice] that changes
    // which offers go, flipped.
    const sim::SimPolicy defaults;
    std::vector<std::pair<sim::SimPolicy, std::string>> settings { { defaults, "the model's defaults" } };
    for (const sim::WithinPriorityOrder order :
        { sim::WithinPriorityOrder::LargestFirst, sim::WithinPriorityOrder::SmallestFirst }) {
        sim::SimPolicy p = defaults;
        p.withinPriorityOrder = order;
        settings.emplace_back(p, "policy.withinPriorityOrder=" + std::string(sim::withinPriorityOrderName(order)));
    }
    {
        sim::SimPolicy p = defaults;
        p.offeredCountsInUsage = !defaults.offeredCountsInUsage;
        settings.emplace_back(
            p, std::string("policy.offeredCountsInUsage=") + (p.offeredCountsInUsage ? "true" : "false"));
    }
    {
        sim::SimPolicy p = defaults;
        p.enforceBudgetOnShrink = !defaults.enforceBudgetOnShrink;
        settings.emplace_back(
            p, std::string("policy.enforceBudgetOnShrink=") + (p.enforceBudgetOnShrink ? "true" : "false"));
    }
    for (std::size_t i = 0; i < settings.size(); ++i) {
        if (progress.cancelled && progress.cancelled())
            break;
        ImportProgress part;
        part.cancelled = progress.cancelled;
        if (progress.report)
            part.report = [&progress, i, n = settings.size()](double fraction) {
                progress.report((static_cast<double>(i) + fraction) / static_cast<double>(n));
            };
        CheckRun run = checkRecording(w, settings[i].first, settings[i].second, part);
        if (progress.cancelled && progress.cancelled())
            break; // a run cut short compares only part of the recording: not kept
        check.runs.push_back(std::move(run));
    }
    if (check.runs.empty()) {
        check.possible = false;
        check.whyNot = "the check was cancelled";
        return check;
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
