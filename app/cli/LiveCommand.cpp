// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/LiveCommand.h"

#include "app/cli/EventPrinter.h"
#include "core/Units.h"
#include "core/events/EventLog.h"
#include "core/live/LiveBackend.h"
#include "core/live/LiveSources.h"
#include "core/live/LiveWorld.h"
#include "core/live/ProbePlan.h"
#include "core/scenario/RunReport.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace offerscope::cli {

const char* const kLiveHelp = R"(Usage: offerscope-cli live [--source windows|wsl2] [--samples N] [--interval MS]
                          [--probe SIZE,SIZE,...] [--priority low|normal|high] [--allow-decommit]
                          [--pressure BYTES] [--calls]

Without --source: lists the data sources of this machine and why a live one is not available.
With --source: opens it, lists its adapters and segments, and prints N readings of the first
adapter (segment statistics, this program's budget and usage), INTERVAL ms apart. A reading the
driver did not give is shown as "-", never as a number.

With --probe (Windows): creates one real D3D11 probe resource of each SIZE, offers them all at the
priority, creates --pressure bytes of filler resources, and reclaims them; then runs the same
operations on the simulator configured like the adapter, and shows, probe by probe, where the
model's prediction and the driver's answer differ.

Options:
  --source S        windows (gdi32 D3DKMT + DXGI) or wsl2 (/dev/dxg)
  --samples N       readings to print (default 1)
  --interval MS     between readings (default 500)
  --probe SIZES     e.g. 16MiB,16MiB,4MiB
  --priority P      low (default), normal or high
  --allow-decommit  offer with AllowDecommit (IDXGIDevice4::OfferResources1)
  --pressure BYTES  filler created between the offer and the reclaim (default 0)
  --calls           print every call made, with the status it returned

Exit status: 0 done, 2 bad usage, 3 the source is not available on this machine (it says why).

Examples:
  offerscope-cli live
  offerscope-cli live --source wsl2 --samples 10 --interval 1000
  offerscope-cli live --source windows --probe 64MiB,64MiB --pressure 1GiB --calls
)";

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitUnavailable = 3;

int usage(const std::string& message)
{
    std::fprintf(stderr, "offerscope-cli: live: %s\n\n%s", message.c_str(), kLiveHelp);
    return kExitUsage;
}

std::string bytesOrDash(const std::optional<std::uint64_t>& value)
{
    return value ? formatBytes(*value) : std::string("-");
}

void printSample(const live::LiveSample& s)
{
    std::printf("reading at %llu ms:\n", static_cast<unsigned long long>(s.atMs));
    if (s.segments.empty())
        std::printf("  segments: no statistics\n");
    for (const live::SegmentReading& r : s.segments)
        std::printf("  segment %-3u commit limit %-10s committed %-10s resident %s\n", r.segmentId,
            bytesOrDash(r.commitLimit).c_str(), bytesOrDash(r.bytesCommitted).c_str(), bytesOrDash(r.bytesResident).c_str());
    for (const live::MemoryInfoReading& g : s.groups)
        std::printf("  %-9s budget %-10s usage %-10s reservation %-10s available for reservation %s   (%s)\n",
            g.group == MemorySegmentGroup::Local ? "local" : "non-local", bytesOrDash(g.budget).c_str(),
            bytesOrDash(g.currentUsage).c_str(), bytesOrDash(g.currentReservation).c_str(),
            bytesOrDash(g.availableForReservation).c_str(), g.source.c_str());
    for (const std::string& n : s.notes)
        std::printf("  note: %s\n", n.c_str());
}

void printCalls(const events::EventLog& log)
{
    for (const events::Event& e : log)
        printEvent(stdout, e, true);
}

} // namespace

int runLive(const std::vector<std::string_view>& args)
{
    std::string source;
    std::uint64_t samples = 1, interval = 500;
    live::ProbePlan plan;
    bool calls = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const bool hasValue = i + 1 < args.size();
        auto count = [&](std::uint64_t& out, std::uint64_t max) {
            if (!hasValue)
                return false;
            char* end = nullptr;
            const std::string text(args[++i]);
            out = std::strtoull(text.c_str(), &end, 10);
            return !text.empty() && text[0] != '-' && end == text.c_str() + text.size() && out <= max;
        };
        if (a == "--source" && hasValue) {
            source = std::string(args[++i]);
        } else if (a == "--samples") {
            if (!count(samples, 100000) || samples == 0)
                return usage("--samples needs a count from 1 to 100000");
        } else if (a == "--interval") {
            if (!count(interval, 3600000))
                return usage("--interval needs milliseconds, at most 3600000");
        } else if (a == "--probe" && hasValue) {
            const std::string list(args[++i]);
            std::size_t start = 0;
            while (start <= list.size()) {
                const std::size_t comma = std::min(list.find(',', start), list.size());
                const std::string item = list.substr(start, comma - start);
                const auto bytes = parseBytes(item);
                if (!bytes || *bytes == 0)
                    return usage("--probe: '" + item + "' is not a size (e.g. 16MiB)");
                plan.sizes.push_back(*bytes);
                start = comma + 1;
            }
        } else if (a == "--priority" && hasValue) {
            const std::string_view p = args[++i];
            plan.priority = p == "low" ? OfferPriority::Low
                : p == "normal"        ? OfferPriority::Normal
                : p == "high"          ? OfferPriority::High
                                       : OfferPriority::None;
            if (plan.priority == OfferPriority::None)
                return usage("--priority: '" + std::string(p) + "' is not low, normal or high");
        } else if (a == "--allow-decommit") {
            plan.allowDecommit = true;
        } else if (a == "--pressure" && hasValue) {
            const auto bytes = parseBytes(args[++i]);
            if (!bytes)
                return usage("--pressure: '" + std::string(args[i]) + "' is not a size");
            plan.pressureBytes = *bytes;
        } else if (a == "--calls") {
            calls = true;
        } else {
            return usage("unknown option or missing value '" + std::string(a) + "'");
        }
    }

    if (source.empty()) {
        std::printf("Data sources on this machine:\n");
        for (const live::SourceInfo& s : live::dataSources())
            std::printf("  %-20s %s\n", s.name.c_str(), s.available ? "available" : s.reason.c_str());
        return kExitOk;
    }
    BackendKind kind;
    if (!parseLiveSource(source, kind))
        return usage("--source: '" + source + "' is not windows or wsl2");

    auto opened = live::openLiveBackend(kind);
    std::unique_ptr<live::LiveBackend> backend = opened.take();
    const std::string& whyNot = opened.message();
    if (!backend) {
        std::fprintf(stderr, "offerscope-cli: live: %s: %s\n", source.c_str(), whyNot.c_str());
        return kExitUnavailable;
    }
    const std::vector<AdapterDesc> adapters = backend->adapters();
    std::printf("%s: %zu adapter(s)\n", backend->info().name.c_str(), adapters.size());
    for (const AdapterDesc& a : adapters) {
        std::printf("  %s (LUID %08X:%08X, hAdapter 0x%08X)\n", a.description.c_str(), a.luid.HighPart, a.luid.LowPart,
            a.hAdapter);
        for (const SegmentDesc& s : a.segments)
            std::printf("    segment %u %-34s %-10s %s\n", s.segmentId, s.name.c_str(), formatBytes(s.size).c_str(),
                s.group == MemorySegmentGroup::Local ? "local" : "non-local");
    }
    if (adapters.empty())
        return kExitOk;
    live::LiveSample last;
    for (std::uint64_t n = 0; n < samples; ++n) {
        if (n > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(interval));
        last = backend->sample(adapters.front().luid);
        printSample(last);
    }

    if (!plan.sizes.empty()) {
        // The plan runs as steps of a live world: each on the source and on the model beside it.
        live::LiveWorld world(std::move(backend), {}, last);
        world.setReadsAfterSteps(false);
        const std::vector<scenario::Step> steps = live::probeSteps(plan, world.probeDeviceName(), "probe");
        std::vector<live::LiveStepRecord> records;
        for (const scenario::Step& step : steps)
            records.push_back(world.applyStep(step));
        backend = world.takeBackend();
        std::printf("\nProbe run: %zu probe(s) at %s%s, %s of pressure\n", plan.sizes.size(),
            std::string(offerPriorityName(plan.priority)).c_str(), plan.allowDecommit ? " with AllowDecommit" : "",
            formatBytes(plan.pressureBytes).c_str());
        int differing = 0;
        for (const live::ProbeComparison& c : live::compareProbes(steps, records)) {
            std::printf("  %-9s %-9s live:  %s\n  %-9s %-9s model: %s\n", c.name.c_str(), formatBytes(c.size).c_str(),
                c.live.c_str(), "", "", c.model.c_str());
            if (c.differs) {
                ++differing;
                std::printf("  %-19s differs: %s\n", "", c.why.c_str());
            }
        }
        std::printf("%d of %zu probe(s) differ from the model's prediction.\n", differing, plan.sizes.size());
    }
    if (calls) {
        std::printf("\nCalls made:\n");
        printCalls(backend->eventLog());
    }
    if (!backend->problems().empty()) {
        std::printf("\nWhat this source could not do:\n");
        for (const std::string& p : backend->problems())
            std::printf("  - %s\n", p.c_str());
    }
    return kExitOk;
}

bool parseLiveSource(std::string_view text, BackendKind& kind)
{
    if (text == "windows")
        kind = BackendKind::Windows;
    else if (text == "wsl2")
        kind = BackendKind::Wsl2;
    else
        return false;
    return true;
}

int runScenarioLive(const scenario::Scenario& scenario, BackendKind kind, bool calls, const std::string& csvOut)
{
    auto opened = live::openLiveBackend(kind);
    std::unique_ptr<live::LiveBackend> backend = opened.take();
    const std::string& whyNot = opened.message();
    if (!backend) {
        std::fprintf(stderr, "offerscope-cli: run: %s\n", whyNot.c_str());
        return kExitUnavailable;
    }
    const std::string sourceName = backend->info().name;
    live::LiveWorld world(std::move(backend), scenario);
    const bool quiet = csvOut == "-";
    FILE* out = quiet ? stderr : stdout;
    if (!scenario.title.empty())
        std::fprintf(out, "%s (live: %s)\n%s\n", scenario.title.c_str(), sourceName.c_str(),
            std::string(scenario.title.size() + sourceName.size() + 9, '=').c_str());
    if (world.adapter())
        std::fprintf(out, "Adapter: %s; the model beside it has its segments.\n", world.adapter()->description.c_str());
    else
        std::fprintf(out, "The source reports no adapter: the model keeps the scenario's.\n");
    std::size_t printed = 0, modelOnly = 0, differing = 0, failed = 0, skipped = 0;
    auto printNewEvents = [&] {
        const events::EventLog& log = world.backend().eventLog();
        for (; printed < log.size(); ++printed)
            printEvent(out, log.at(printed), calls);
    };
    printNewEvents(); // what opening the source logged
    while (world.stepForward()) {
        printNewEvents();
        const live::LiveStepRecord& r = world.records().back();
        if (!r.ran) {
            ++modelOnly;
            std::fprintf(out, "   MODEL ONLY  step %zu: %s\n", r.step + 1, r.notRun.c_str());
        }
        if (!r.difference.empty()) {
            ++differing;
            std::fprintf(out, "   DIFFERS     step %zu: %s\n", r.step + 1, r.difference.c_str());
        }
        for (const std::string& f : r.expectationFailures) {
            ++failed;
            std::fprintf(out, "   EXPECTATION FAILED ON THE LIVE SOURCE  %s\n", f.c_str());
        }
        skipped += r.expectationsSkipped;
    }
    std::fprintf(out,
        "\n%zu steps: %zu ran on %s, %zu on the model only; %zu differ from the model's prediction.\n"
        "Expectations: %zu failed on the live source, %zu not observable there (allocation states, totals).\n",
        world.records().size(), world.records().size() - modelOnly, sourceName.c_str(), modelOnly, differing, failed,
        skipped);
    if (!csvOut.empty()) {
        const std::string csv = scenario::eventsCsv(world.backend().eventLog());
        FILE* f = csvOut == "-" ? stdout : std::fopen(csvOut.c_str(), "wb");
        if (f == nullptr || std::fwrite(csv.data(), 1, csv.size(), f) != csv.size()) {
            std::fprintf(stderr, "offerscope-cli: run: %s: cannot write the CSV\n", csvOut.c_str());
            if (f != nullptr && f != stdout)
                std::fclose(f);
            return kExitUsage;
        }
        if (f != stdout)
            std::fclose(f);
    }
    return failed == 0 ? kExitOk : 1;
}

} // namespace offerscope::cli
