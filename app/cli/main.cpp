// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-cli: the headless runner. It parses arguments and prints; the engine does the work.
#include "app/cli/DemoScenario.h"
#include "app/cli/EventPrinter.h"
#include "app/cli/ImportCommand.h"
#include "app/cli/LessonsCommand.h"
#include "app/cli/LiveCommand.h"
#include "app/cli/PracticeCommand.h"
#include "core/Units.h"
#include "core/Version.h"
#include "core/replay/BudgetSweep.h"
#include "core/replay/TraceGenerator.h"
#include "core/replay/TraceReader.h"
#include "core/replay/TraceReplayer.h"
#include "core/scenario/RunReport.h"
#include "core/scenario/ScenarioCompare.h"
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/sim/Simulator.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using namespace offerscope;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitExpectationFailed = 1;
constexpr int kExitUsage = 2;

const char* const kMainHelp
    = R"(offerscope-cli - see how Windows (WDDM) manages video memory that applications offer back

Usage: offerscope-cli COMMAND [OPTIONS]

Commands:
  run FILE      run a scenario or lesson and print its narrated event log; checks its expectations
  compare FILE  run a scenario twice, as written and with --set changes, and show where they diverge
  demo          run the built-in demo on the simulator and print its narrated event log
  replay        replay an access trace against the simulator: how much budget does my cache need?
  make-trace    write a synthetic texture-cache access trace
  live          the live sources of this machine: telemetry, and real probe offers beside the model
  import FILE   what a recording of Windows (.etl, DxgKrnl events) holds, and its decoded events
  check-trace FILE  the model replayed on a recording, against what VidMm did: agreement, divergences
  practice      exercises the engine makes and grades: next victim, reclaim result, call status, trim
  lessons       the lessons installed with the program (run and compare take them by name)
  help COMMAND  show the options of a command

Options:
  -h, --help    show this help
  --version     show the version and the git revision the program was built from

Exit status: 0 success, 1 an expectation of the scenario or demo failed (or the output could not be
written), 2 bad input or usage, 3 a live source that is not available here.
)";

const char* const kDemoHelp = R"(Usage: offerscope-cli demo [--adapter PRESET] [--calls]

Runs the bundled demo (a game offers textures at LOW, NORMAL and HIGH, a browser creates pressure,
reclaims come back OK / DISCARDED / NOT_COMMITTED, a budget shrinks, a GPU fault removes a device)
on the simulator and prints every event with its explanation.

Options:
  --adapter PRESET  discrete (default), discrete-large or integrated
  --calls           also print the D3DKMT call behind each event, as a driver developer writes it

Examples:
  offerscope-cli demo
  offerscope-cli demo --calls
)";

const char* const kRunHelp
    = R"(Usage: offerscope-cli run FILE [--calls] [--json OUT] [--csv OUT] [--source windows|wsl2]

Runs a scenario file (JSON with comments; format in docs/scenarios.md) on the simulator: builds its
adapter and processes, performs its steps, prints every event with its explanation and the words of
its "say" steps, and checks its "expect" steps. FILE may also be the name of an installed lesson
(offerscope-cli lessons), e.g. 03-auto-priority.

Options:
  --calls      also print the D3DKMT call behind each event, as a driver developer writes it
  --json OUT   write the machine-readable report to OUT ("-": standard output, instead of the log):
               every event with its explanation and call shape, each step's status, all reclaim
               results, the expectations and the final statistics
  --csv OUT    write the event table as CSV to OUT ("-": standard output, instead of the log)
  --source S   run the steps on a live source (windows: D3D11 probe resources and D3DKMT; wsl2:
               /dev/dxg) and on the model configured like its adapter: every live call with its
               status, the steps the source cannot run (GPU work, budgets, ...) and where the
               driver's answers differ from the model's; expectations are checked against the
               driver (allocation states and totals, which no call reports, are skipped).
               Exit status 3 when the source is not available here (it says why).

Exit status: 0 when every expectation holds, 1 when one fails (saying which and why), 2 when the
file cannot be read or is not a valid scenario (file:line:column: what is wrong).

Examples:
  offerscope-cli run resources/lessons/01-first-offer-and-reclaim.jsonc
  offerscope-cli run my-demo.jsonc --calls
  offerscope-cli run resources/lessons/02-three-priorities.jsonc --json report.json --csv events.csv
)";

bool writeOutput(const std::string& target, const std::string& text)
{
    if (target == "-")
        return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    std::FILE* file = std::fopen(target.c_str(), "wb");
    if (file == nullptr) {
        std::fprintf(stderr, "offerscope-cli: %s: cannot write\n", target.c_str());
        return false;
    }
    const bool ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    std::fclose(file);
    if (!ok)
        std::fprintf(stderr, "offerscope-cli: %s: write error\n", target.c_str());
    return ok;
}

const char* const kCompareHelp = R"(Usage: offerscope-cli compare FILE --set KEY=VALUE [--set KEY=VALUE ...]

Runs the scenario as written (A) and with the settings changed (B), and prints where their events,
call statuses and reclaim results diverge: the what-if question. FILE may also be the name of an
installed lesson (offerscope-cli lessons).

Keys:
  policy.withinPriorityOrder=oldest-first|largest-first|smallest-first
  policy.rejectRedundantCalls=true|false     policy.offeredCountsInUsage=true|false
  policy.enforceBudgetOnShrink=true|false    policy.reclaim2Output=results|discarded
  verifier.alwaysDiscardOffer=true|false     verifier.neverDiscardOffer=true|false
  verifier.alwaysDecommitOffer=true|false    verifier.alwaysProcessOfferList=true|false
  budget.PROCESS.local=SIZE                  budget.PROCESS.nonLocal=SIZE
  processVerifier.PROCESS.alwaysFailCommitOnReclaim=true|false
  step.N.priority=LOW|NORMAL|HIGH|AUTO       the priority of the offer step N makes (1 = the first step)
They change the starting world and hold until a step of the scenario changes the same thing itself
(a policy or verifier step that changes other switches leaves them as set here).

Exit status: 0 when compared (whether or not the runs differ), 2 on bad input or usage.

Examples:
  offerscope-cli compare resources/lessons/02-three-priorities.jsonc --set verifier.neverDiscardOffer=true
  offerscope-cli compare lesson.jsonc --set policy.withinPriorityOrder=largest-first --set budget.Game.local=1GiB
)";

const char* const kReplayHelp
    = R"(Usage: offerscope-cli replay FILE --budget BYTES [--priority P] [--format F] [--trace-params P] [--log]
       offerscope-cli replay FILE --sweep BYTES,BYTES,...|auto [--priority P] [--format F] [--trace-params P]

Replays an access trace: OfferScope's text (one access per line: object_id,size_bytes[,priority]),
libCacheSim's csv (its columns given by --trace-params) or libCacheSim's oracleGeneral binary, so the
same file feeds both tools. Each access: create the object if new (or recreate after NOT_COMMITTED),
otherwise reclaim it (OK = content kept, DISCARDED = regenerate), use it, then offer it again. One
process, one LOCAL segment of BUDGET bytes. Prints accesses, creations, OK and DISCARDED reclaims,
bytes regenerated, the miss ratio, byte miss ratio and discard ratio (each with its formula), the time
in the loop and in all, and accesses per second. The trace is read a few MiB at a time on a second
thread while it is replayed; --sweep reads it whole first (it is replayed once per budget).

Options:
  --budget BYTES    segment size and budget: 268435456, 256MiB, 1.5GiB ... (required)
  --priority P      offer priority for lines that give none: LOW (default), NORMAL, HIGH, AUTO
  --format F        offerscope (default), csv or oracleGeneral (the default when the file's name
                    has "oracleGeneral" in it)
  --trace-params P  the columns of a csv trace, as libCacheSim's -t takes them, e.g.
                    "time-col=1, obj-id-col=2, obj-size-col=3, delimiter=,, has-header=true"
                    (also obj-id-is-num, and priority-col for offer priorities); means --format csv
  --sweep LIST      replay once per budget in the comma-separated LIST (on every core) and print the
                    miss and discard ratios of each, and the knee: the budget curve of the cache.
                    auto: 16 budgets from the largest object to all objects' bytes, as the window's curve
  --log             keep the simulator's event log (slower for big traces)

Examples:
  offerscope-cli replay resources/traces/texture-cache.csv --budget 256MiB
  offerscope-cli replay trace.csv --budget 2GiB --priority NORMAL
  offerscope-cli replay resources/traces/texture-cache.csv --sweep 16MiB,32MiB,64MiB,128MiB,256MiB
  offerscope-cli replay cache.oracleGeneral.bin --budget 64GiB
  offerscope-cli replay cache.csv --trace-params "obj-id-col=2, obj-size-col=3, has-header=true" --budget 1GiB
)";

const char* const kMakeTraceHelp
    = R"(Usage: offerscope-cli make-trace [--objects N] [--accesses N] [--min-size B] [--max-size B]
                                 [--skew X] [--seed S] [--format F] [-o FILE]

Writes a synthetic texture-cache trace (Zipf-like popularity, power-of-two sizes); the same
options and seed give the same file everywhere. In OfferScope's text, in libCacheSim's csv
(time,obj_id,obj_size with a header line; read it back with the --trace-params it prints) or in
libCacheSim's oracleGeneral binary (the time of each access is its number), so the same trace can be
replayed by OfferScope and by libCacheSim's cachesim.

Options:
  --objects N     distinct objects (default 1000)
  --accesses N    lines (default 10000)
  --min-size B    smallest object (default 64KiB)
  --max-size B    largest object (default 16MiB)
  --skew X        popularity skew, 0 = uniform (default 0.8)
  --seed S        random seed (default 1)
  --format F      offerscope (default), csv or oracleGeneral
  -o FILE         write to FILE instead of standard output (oracleGeneral needs a FILE)

Examples:
  offerscope-cli make-trace --objects 100000 --accesses 1000000 -o big.csv
  offerscope-cli make-trace --objects 1000000 --accesses 10000000 --format oracleGeneral -o big.oracleGeneral.bin
)";

int usageError(const std::string& message, const char* help)
{
    std::fprintf(stderr, "offerscope-cli: %s\n\n%s", message.c_str(), help);
    return kExitUsage;
}

bool parseCount(std::string_view text, std::uint64_t& out)
{
    if (text.empty())
        return false;
    char* end = nullptr;
    const std::string copy(text);
    if (copy[0] == '-')
        return false;
    errno = 0;
    out = std::strtoull(copy.c_str(), &end, 10);
    return errno != ERANGE && end == copy.c_str() + copy.size(); // 2^64 and more are not counts
}

int runScenario(const std::vector<std::string_view>& args)
{
    std::string file;
    std::string jsonOut;
    std::string csvOut;
    std::string source;
    bool calls = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kRunHelp, stdout);
            return kExitOk;
        }
        if (a == "--calls")
            calls = true;
        else if (a == "--source" && i + 1 < args.size())
            source = std::string(args[++i]);
        else if (a == "--source")
            return usageError("run: --source needs windows or wsl2", kRunHelp);
        else if ((a == "--json" || a == "--csv") && i + 1 < args.size())
            (a == "--json" ? jsonOut : csvOut) = std::string(args[++i]);
        else if (a == "--json" || a == "--csv")
            return usageError("run: " + std::string(a) + " needs an output file (or - for standard output)", kRunHelp);
        else if (!a.empty() && a[0] == '-')
            return usageError("run: unknown option '" + std::string(a) + "'", kRunHelp);
        else if (file.empty())
            file = std::string(a);
        else
            return usageError("run: more than one FILE given", kRunHelp);
    }
    if (file.empty())
        return usageError("run: no scenario FILE given", kRunHelp);
    if (jsonOut == "-" && csvOut == "-")
        return usageError("run: only one of --json and --csv can go to standard output", kRunHelp);
    const bool quiet = jsonOut == "-" || csvOut == "-"; // standard output carries the report
    Result<scenario::Scenario> read = scenario::readScenario(cli::findScenarioFile(file));
    if (!read) {
        std::fprintf(stderr, "offerscope-cli: %s\n", read.message().c_str());
        return kExitUsage;
    }
    scenario::Scenario parsed = read.take();
    if (!source.empty()) {
        BackendKind kind;
        if (!cli::parseLiveSource(source, kind))
            return usageError("run: --source: '" + source + "' is not windows or wsl2", kRunHelp);
        if (!jsonOut.empty())
            return usageError("run: --json reports the simulator's run; with --source use --csv for the live calls",
                kRunHelp);
        return cli::runScenarioLive(parsed, kind, calls, csvOut);
    }
    scenario::ScenarioRunner runner(parsed);
    if (quiet) {
        runner.runAll();
        if (!jsonOut.empty() && !writeOutput(jsonOut, scenario::runReportJson(runner)))
            return kExitUsage;
        if (!csvOut.empty() && !writeOutput(csvOut, scenario::eventsCsv(runner.simulator().eventLog())))
            return kExitUsage;
        for (const scenario::ExpectationFailure& f : runner.failures())
            std::fprintf(stderr, "expectation failed: %s\n", f.message.c_str());
        return runner.failures().empty() ? kExitOk : kExitExpectationFailed;
    }
    if (!parsed.title.empty())
        std::printf("%s\n%s\n", parsed.title.c_str(), std::string(parsed.title.size(), '=').c_str());
    if (!parsed.description.empty())
        std::printf("%s\n", parsed.description.c_str());
    std::size_t printed = 0;
    std::size_t failuresShown = 0;
    while (runner.step()) {
        const events::EventLog& log = runner.simulator().eventLog();
        for (; printed < log.size(); ++printed)
            cli::printEvent(stdout, log.at(printed), calls);
        for (; failuresShown < runner.failures().size(); ++failuresShown)
            std::printf("   EXPECTATION FAILED  %s\n", runner.failures()[failuresShown].message.c_str());
    }
    std::printf("\nNames and the handles the engine gave them:\n");
    for (const auto& [name, handle] : runner.names())
        std::printf("  %-24s 0x%08X\n", name.c_str(), handle);
    if (!jsonOut.empty() && !writeOutput(jsonOut, scenario::runReportJson(runner)))
        return kExitUsage;
    if (!csvOut.empty() && !writeOutput(csvOut, scenario::eventsCsv(runner.simulator().eventLog())))
        return kExitUsage;
    const std::size_t failed = runner.failures().size();
    if (failed == 0) {
        std::printf("\nAll %zu expectations held.\n", runner.expectationsChecked());
        return kExitOk;
    }
    std::fprintf(stderr, "\n%zu of %zu expectations failed:\n", failed, runner.expectationsChecked());
    for (const scenario::ExpectationFailure& f : runner.failures())
        std::fprintf(stderr, "  %s\n", f.message.c_str());
    return kExitExpectationFailed;
}

int runCompare(const std::vector<std::string_view>& args)
{
    std::string file;
    std::vector<std::string> settings;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kCompareHelp, stdout);
            return kExitOk;
        }
        if (a == "--set" && i + 1 < args.size())
            settings.emplace_back(args[++i]);
        else if (!a.empty() && a[0] == '-')
            return usageError("compare: unknown option or missing value '" + std::string(a) + "'", kCompareHelp);
        else if (file.empty())
            file = std::string(a);
        else
            return usageError("compare: more than one FILE given", kCompareHelp);
    }
    if (file.empty())
        return usageError("compare: no scenario FILE given", kCompareHelp);
    if (settings.empty())
        return usageError("compare: give at least one --set KEY=VALUE", kCompareHelp);
    Result<scenario::Scenario> read = scenario::readScenario(cli::findScenarioFile(file));
    if (!read) {
        std::fprintf(stderr, "offerscope-cli: %s\n", read.message().c_str());
        return kExitUsage;
    }
    const scenario::Scenario a = read.take();
    scenario::Scenario b = a;
    for (const std::string& setting : settings)
        if (const Status applied = scenario::applySetting(b, setting); !applied.ok())
            return usageError("compare: " + applied.message(), kCompareHelp);
    scenario::ScenarioRunner runA(a), runB(b);
    runA.runAll();
    runB.runAll();
    const scenario::Comparison c = scenario::compareRuns(runA, runB);
    std::fputs(scenario::formatComparison(runA, runB, c, settings).c_str(), stdout);
    return kExitOk;
}

int runDemo(const std::vector<std::string_view>& args)
{
    std::string preset = "discrete";
    bool calls = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::fputs(kDemoHelp, stdout);
            return kExitOk;
        }
        if (args[i] == "--calls") {
            calls = true;
        } else if (args[i] == "--adapter" && i + 1 < args.size()) {
            preset = std::string(args[++i]);
        } else {
            return usageError("demo: unknown argument '" + std::string(args[i]) + "'", kDemoHelp);
        }
    }
    const auto adapter = sim::adapterPreset(preset);
    if (!adapter)
        return usageError(
            "demo: --adapter '" + preset + "' is not a preset (discrete, discrete-large, integrated)", kDemoHelp);
    if (preset != "discrete")
        std::printf("note: the demo's story is told for the 4 GiB discrete adapter; on '%s' outcomes differ.\n\n",
            preset.c_str());
    sim::Simulator simulator(*adapter);
    const std::string problems = cli::runDemoScenario(simulator);
    for (const events::Event& event : simulator.eventLog())
        cli::printEvent(stdout, event, calls);
    std::printf("\nSegment usage at the end:\n");
    for (std::uint32_t s = 0; s < simulator.segmentCount(); ++s) {
        const sim::SegmentUsage u = simulator.segmentUsage(s);
        std::printf("  segment %u %-10s size %-9s resident %-9s in use %-9s offered %-9s discarded %-9s evicted %s\n",
            s, simulator.adapterConfig().segments[s].name.c_str(), formatBytes(u.size).c_str(),
            formatBytes(u.resident).c_str(), formatBytes(u.inUse).c_str(), formatBytes(u.offeredResident).c_str(),
            formatBytes(u.discarded).c_str(), formatBytes(u.evicted).c_str());
    }
    if (!problems.empty() && preset == "discrete") {
        std::fprintf(stderr, "\n%s", problems.c_str());
        return kExitExpectationFailed;
    }
    std::printf("\nAll of the demo's expectations held.\n");
    return kExitOk;
}

int runReplay(const std::vector<std::string_view>& args)
{
    std::string file;
    replay::ReplayOptions options;
    bool haveBudget = false;
    std::vector<std::uint64_t> sweep;
    bool sweepAuto = false;
    replay::TraceSource source;
    bool formatGiven = false, paramsGiven = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kReplayHelp, stdout);
            return kExitOk;
        }
        if (a == "--budget") {
            if (i + 1 >= args.size())
                return usageError("replay: --budget needs a value", kReplayHelp);
            const auto bytes = parseBytes(args[++i]);
            if (!bytes || *bytes == 0)
                return usageError("replay: --budget '" + std::string(args[i])
                        + "' is not a positive byte count (e.g. 268435456 or 256MiB)",
                    kReplayHelp);
            options.budget = *bytes;
            haveBudget = true;
        } else if (a == "--priority") {
            if (i + 1 >= args.size())
                return usageError("replay: --priority needs a value", kReplayHelp);
            const auto priority = parseOfferPriority(args[++i]);
            if (!priority || *priority == OfferPriority::None)
                return usageError(
                    "replay: --priority '" + std::string(args[i]) + "' is not LOW, NORMAL, HIGH or AUTO", kReplayHelp);
            options.priority = *priority;
        } else if (a == "--sweep") {
            if (i + 1 >= args.size())
                return usageError("replay: --sweep needs a list of budgets", kReplayHelp);
            const std::string_view list = args[++i];
            std::size_t start = list == "auto" ? list.size() + 1 : 0; // auto: the trace's own budgets
            sweepAuto = list == "auto";
            while (start <= list.size()) {
                const std::size_t comma = std::min(list.find(',', start), list.size());
                const std::string_view item = list.substr(start, comma - start);
                const auto bytes = parseBytes(item);
                if (!bytes || *bytes == 0)
                    return usageError(
                        "replay: --sweep entry '" + std::string(item) + "' is not a positive byte count", kReplayHelp);
                sweep.push_back(*bytes);
                start = comma + 1;
            }
        } else if (a == "--format") {
            if (i + 1 >= args.size())
                return usageError("replay: --format needs offerscope, csv or oracleGeneral", kReplayHelp);
            const auto format = replay::parseTraceFormat(args[++i]);
            if (!format)
                return usageError(
                    "replay: --format '" + std::string(args[i]) + "' is not offerscope, csv or oracleGeneral",
                    kReplayHelp);
            if (paramsGiven && *format != replay::TraceFormat::Csv)
                return usageError(
                    "replay: --trace-params describes a csv trace, not --format " + std::string(args[i]), kReplayHelp);
            source.format = *format;
            formatGiven = true;
        } else if (a == "--trace-params") {
            if (i + 1 >= args.size())
                return usageError(
                    "replay: --trace-params needs the columns, e.g. \"obj-id-col=2, obj-size-col=3\"", kReplayHelp);
            Result<replay::CsvColumns> columns = replay::parseCsvColumns(args[++i]);
            if (!columns)
                return usageError("replay: --trace-params: " + columns.message(), kReplayHelp);
            source.columns = *columns;
            if (!formatGiven)
                source.format = replay::TraceFormat::Csv;
            paramsGiven = true;
        } else if (a == "--log") {
            options.logEvents = true;
        } else if (!a.empty() && a[0] == '-') {
            return usageError("replay: unknown option '" + std::string(a) + "'", kReplayHelp);
        } else if (file.empty()) {
            file = std::string(a);
        } else {
            return usageError(
                "replay: more than one FILE given ('" + file + "', '" + std::string(a) + "')", kReplayHelp);
        }
    }
    if (file.empty())
        return usageError("replay: no trace FILE given", kReplayHelp);
    if (haveBudget == (!sweep.empty() || sweepAuto))
        return usageError("replay: give either --budget BYTES or --sweep BYTES,BYTES,...", kReplayHelp);
    source.path = file;
    if (!formatGiven && !paramsGiven)
        source.format = replay::guessTraceFormat(file);
    if (paramsGiven && source.format != replay::TraceFormat::Csv)
        return usageError("replay: --trace-params describes a csv trace, not --format "
                + std::string(replay::traceFormatName(source.format)),
            kReplayHelp);
    if (!sweep.empty() || sweepAuto) {
        Result<replay::AccessTrace> read = replay::readAccessTrace(source);
        if (!read) {
            std::fprintf(stderr, "offerscope-cli: %s\n", read.message().c_str());
            return kExitUsage;
        }
        const replay::AccessTrace trace = read.take();
        if (sweepAuto)
            sweep = replay::defaultBudgets(trace);
        std::printf("trace %s (%u objects, %zu accesses), default priority %s\n\n", file.c_str(), trace.objectCount,
            trace.accesses.size(), std::string(offerPriorityName(options.priority)).c_str());
        // One replay per budget, on every core; the same numbers as the window's budget curve.
        const Result<replay::BudgetCurve> curve = replay::sweepBudgets(trace, sweep, options);
        if (!curve) {
            std::fprintf(stderr, "offerscope-cli: replay: %s\n", curve.message().c_str());
            return kExitUsage;
        }
        std::fputs(replay::formatBudgetCurve(*curve).c_str(), stdout);
        return kExitOk;
    }
    // Streamed: read on a second thread while the replay runs, never held whole.
    Result<std::unique_ptr<replay::TraceReader>> opened = replay::TraceReader::open(source);
    if (!opened) {
        std::fprintf(stderr, "offerscope-cli: %s\n", opened.message().c_str());
        return kExitUsage;
    }
    replay::TraceReader& reader = *opened.value();
    const Result<replay::ReplayStats> replayed = replay::replayTrace(reader, options);
    if (!replayed) {
        std::fprintf(stderr, "offerscope-cli: replay: %s\n", replayed.message().c_str());
        return kExitUsage;
    }
    std::printf("trace                %s (%s, %u objects, %s read)\n%s", file.c_str(),
        std::string(replay::traceFormatName(source.format)).c_str(), reader.objectCount(),
        formatBytes(reader.bytesRead()).c_str(), replay::formatReplayStats(*replayed, options).c_str());
    return kExitOk;
}

int runMakeTrace(const std::vector<std::string_view>& args)
{
    replay::TraceShape shape;
    std::string output;
    replay::TraceFormat format = replay::TraceFormat::OfferScope;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kMakeTraceHelp, stdout);
            return kExitOk;
        }
        if (i + 1 >= args.size())
            return usageError("make-trace: '" + std::string(a) + "' needs a value or is unknown", kMakeTraceHelp);
        const std::string_view v = args[++i];
        std::uint64_t n = 0;
        // The trace is built in memory (16 bytes an access) before it is written: bounded counts.
        constexpr std::uint64_t kMaxAccesses = 100'000'000;
        if (a == "--objects" && parseCount(v, n) && n > 0 && n <= 16'000'000) {
            shape.objects = static_cast<std::uint32_t>(n);
        } else if (a == "--objects") {
            return usageError("make-trace: --objects '" + std::string(v) + "' is not a count from 1 to 16000000",
                kMakeTraceHelp);
        } else if (a == "--accesses" && parseCount(v, n) && n > 0 && n <= kMaxAccesses) {
            shape.accesses = n;
        } else if (a == "--accesses") {
            return usageError("make-trace: --accesses '" + std::string(v) + "' is not a count from 1 to "
                    + std::to_string(kMaxAccesses) + " (the trace is built in memory)",
                kMakeTraceHelp);
        } else if (a == "--seed" && parseCount(v, n)) {
            shape.seed = n;
        } else if ((a == "--min-size" || a == "--max-size") && parseBytes(v) && *parseBytes(v) > 0
            && *parseBytes(v) <= sim::kMaxSegmentBytes) {
            (a == "--min-size" ? shape.minSize : shape.maxSize) = *parseBytes(v);
        } else if (a == "--min-size" || a == "--max-size") {
            return usageError("make-trace: " + std::string(a) + " '" + std::string(v)
                    + "' is not a size from 1 byte to 1024 TiB (e.g. 64KiB, 4MiB)",
                kMakeTraceHelp);
        } else if (a == "--skew") {
            char* end = nullptr;
            const std::string copy(v);
            shape.skew = std::strtod(copy.c_str(), &end);
            if (copy.empty() || end != copy.c_str() + copy.size() || !(shape.skew >= 0 && shape.skew <= 10)) // NaN too
                return usageError("make-trace: --skew '" + copy + "' is not a number from 0 to 10", kMakeTraceHelp);
        } else if (a == "-o") {
            output = std::string(v);
        } else if (a == "--format" && replay::parseTraceFormat(v)) {
            format = *replay::parseTraceFormat(v);
        } else if (a == "--format") {
            return usageError("make-trace: --format '" + std::string(v) + "' is not offerscope, csv or oracleGeneral",
                kMakeTraceHelp);
        } else {
            return usageError(
                "make-trace: bad option or value '" + std::string(a) + " " + std::string(v) + "'", kMakeTraceHelp);
        }
    }
    if (shape.minSize > shape.maxSize)
        return usageError("make-trace: --min-size is larger than --max-size", kMakeTraceHelp);
    if (output.empty() && format == replay::TraceFormat::OracleGeneral)
        return usageError("make-trace: --format oracleGeneral is binary: give -o FILE", kMakeTraceHelp);
    const replay::AccessTrace trace = replay::generateTrace(shape);
    std::FILE* file = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
    if (file == nullptr) {
        std::fprintf(stderr, "offerscope-cli: make-trace: %s: cannot write the trace: %s\n", output.c_str(),
            std::strerror(errno));
        return kExitUsage;
    }
    Status written = replay::writeTrace(trace, format, file, output.empty() ? "standard output" : output);
    // fclose flushes the buffer: a full disk shows there.
    if (file != stdout && std::fclose(file) != 0 && written.ok())
        written = Status(NtStatus::Unsuccessful, output + ": cannot write the trace: " + std::strerror(errno));
    if (!written.ok()) {
        std::fprintf(stderr, "offerscope-cli: make-trace: %s\n", written.message().c_str());
        return kExitUsage;
    }
    if (!output.empty() && format == replay::TraceFormat::Csv)
        std::fprintf(stderr, "wrote %s; read it with --trace-params \"%s\" (libCacheSim: -t csv -t \"%s\")\n",
            output.c_str(), replay::formatCsvColumns(replay::writtenCsvColumns()).c_str(),
            replay::formatCsvColumns(replay::writtenCsvColumns()).c_str());
    return kExitOk;
}

} // namespace

namespace {

/// What a command printed must have reached its destination: a full disk or a closed pipe is an error,
/// not a silent success.
int finish(int code)
{
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "offerscope-cli: cannot write the output: %s\n", std::strerror(errno));
        return code == kExitOk ? kExitExpectationFailed : code;
    }
    return code;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs(kMainHelp, args.empty() ? stderr : stdout);
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args[0] == "--version") {
        std::printf("offerscope-cli %s\n", versionText().c_str());
        return finish(kExitOk);
    }
    const std::string_view command = args[0];
    std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (command == "help") {
        const std::string_view topic = rest.empty() ? std::string_view() : rest[0];
        const char* const help = topic.empty() ? kMainHelp
            : topic == "run"                   ? kRunHelp
            : topic == "compare"               ? kCompareHelp
            : topic == "demo"                  ? kDemoHelp
            : topic == "replay"                ? kReplayHelp
            : topic == "make-trace"            ? kMakeTraceHelp
            : topic == "live"                  ? cli::kLiveHelp
            : topic == "import"                ? cli::kImportHelp
            : topic == "check-trace"           ? cli::kCheckTraceHelp
            : topic == "practice"              ? cli::kPracticeHelp
            : topic == "lessons"               ? cli::kLessonsHelp
                                               : nullptr;
        if (help == nullptr)
            return usageError("help: there is no command '" + std::string(topic) + "'", kMainHelp);
        std::fputs(help, stdout);
        return finish(kExitOk);
    }
    if (command == "run")
        return finish(runScenario(rest));
    if (command == "compare")
        return finish(runCompare(rest));
    if (command == "demo")
        return finish(runDemo(rest));
    if (command == "replay")
        return finish(runReplay(rest));
    if (command == "make-trace")
        return finish(runMakeTrace(rest));
    if (command == "live")
        return finish(cli::runLive(rest));
    if (command == "import")
        return finish(cli::runImport(rest));
    if (command == "check-trace")
        return finish(cli::runCheckTrace(rest));
    if (command == "practice")
        return finish(cli::runPractice(rest));
    if (command == "lessons")
        return finish(cli::runLessons(rest));
    return usageError("unknown command '" + std::string(command) + "'", kMainHelp);
}
