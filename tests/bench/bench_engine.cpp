// SPDX-License-Identifier: GPL-3.0-or-later
// Engine benchmarks (Google Benchmark) at a million live allocations:
//   Engine/Replay          a texture-cache trace replayed as real offer/reclaim calls (the headline figure)
//   Engine/PlainLru        a dedicated byte-capacity LRU cache simulator on the same trace (the yardstick)
//   Engine/OfferReclaim    one D3DKMTReclaimAllocations2 + D3DKMTOfferAllocations among 1M allocations
//   Engine/PressureDiscard a budget cut that discards 10,000 offers out of 500,000
//   Engine/Summaries       what the views read of every live allocation per refresh
//   Engine/Checkpoint      a copy of the whole simulator (a time-travel checkpoint)
//   Engine/ReadTrace/F     the same trace written to a file in format F and read back by TraceReader
//                          (MB/s: the reading alone, ids numbered, nothing replayed)
//   Engine/ReplayStreamed  the whole replay from the text file: read on a second thread while replaying
//                          (its wall time against its own loop time: what reading adds)
//
//   offerscope-bench-engine [--objects N] [--accesses N] [--budget BYTES] [benchmark flags...]
//   offerscope-bench-engine --callgrind-workload replay|pressure
//
// The trace's shape is set by the first two (defaults: 1,000,000 objects, 10,000,000 accesses); Replay and
// PlainLru run at 64 GiB, 256 GiB and 1 TiB, or at --budget alone (also the streamed replay's, default 256 GiB);
// everything else goes to Google Benchmark (--benchmark_filter, --benchmark_repetitions,
// --benchmark_format=json, ...). --callgrind-workload runs one fixed, small workload once, for
// scripts/callgrind-check.sh: instruction counts are repeatable where timings on a shared machine are not.
#include "core/Units.h"
#include "core/replay/TraceGenerator.h"
#include "core/replay/TraceReader.h"
#include "core/replay/TraceReplayer.h"
#include "core/sim/Simulator.h"
#include "tests/bench/ProcessMemory.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace offerscope;
using namespace offerscope::replay;

namespace {

/// A dedicated byte-capacity LRU cache simulator: dense ids, intrusive list, no engine at all.
struct PlainLru {
    struct Node {
        std::uint32_t prev = UINT32_MAX, next = UINT32_MAX;
        std::uint64_t size = 0;
        bool cached = false;
    };
    std::vector<Node> nodes;
    std::uint32_t head = UINT32_MAX, tail = UINT32_MAX;
    std::uint64_t used = 0, capacity = 0, hits = 0, misses = 0;

    void unlink(std::uint32_t i)
    {
        Node& n = nodes[i];
        (n.prev != UINT32_MAX ? nodes[n.prev].next : head) = n.next;
        (n.next != UINT32_MAX ? nodes[n.next].prev : tail) = n.prev;
    }
    void pushBack(std::uint32_t i)
    {
        Node& n = nodes[i];
        n.prev = tail;
        n.next = UINT32_MAX;
        (tail != UINT32_MAX ? nodes[tail].next : head) = i;
        tail = i;
    }
    void access(std::uint32_t id, std::uint64_t size)
    {
        Node& n = nodes[id];
        if (n.cached) {
            ++hits;
            unlink(id);
            pushBack(id);
            return;
        }
        ++misses;
        if (size > capacity)
            return;
        while (used + size > capacity) {
            const std::uint32_t victim = head;
            unlink(victim);
            nodes[victim].cached = false;
            used -= nodes[victim].size;
        }
        n.cached = true;
        n.size = size;
        used += size;
        pushBack(id);
    }
};

struct Options {
    TraceShape shape;
    std::uint64_t budget = 256 * kGiB; ///< of the streamed replay, and of Replay and PlainLru when given
    bool budgetGiven = false;
    std::string callgrindWorkload;
};

Options g_options;

/// The trace is generated once, on first use, and shared by Replay and PlainLru.
const AccessTrace& trace()
{
    static const AccessTrace t = generateTrace(g_options.shape);
    return t;
}

void setTraceLabel(benchmark::State& state, std::uint64_t budget = g_options.budget)
{
    state.SetLabel(std::to_string(g_options.shape.objects) + " objects, " + std::to_string(g_options.shape.accesses)
        + " accesses, budget " + formatBytes(budget));
}

void replayBench(benchmark::State& state, std::uint64_t budget)
{
    const AccessTrace& t = trace();
    ReplayOptions options;
    options.budget = budget;
    ReplayStats stats;
    for (auto _ : state) {
        Result<ReplayStats> replayed = replayTrace(t, options);
        if (!replayed) {
            state.SkipWithError(("replay failed: " + replayed.message()).c_str());
            return;
        }
        stats = replayed.take();
        state.SetIterationTime(stats.seconds); // the replay loop alone, not building the simulator
    }
    using benchmark::Counter;
    state.counters["accesses_per_s"] = Counter(static_cast<double>(stats.accesses) / stats.seconds);
    state.counters["ok_ratio"] = Counter(static_cast<double>(stats.reclaimsOk) / static_cast<double>(stats.accesses));
    state.counters["miss_ratio"] = Counter(stats.missRatio());
    state.counters["live_allocations"] = Counter(static_cast<double>(stats.liveAllocations));
    state.counters["bytes_per_allocation"] = Counter(static_cast<double>(stats.simulatorBytes)
        / static_cast<double>(std::max<std::uint64_t>(1, stats.liveAllocations)));
    state.counters["peak_rss_MiB"] = Counter(static_cast<double>(bench::peakRssBytes()) / static_cast<double>(kMiB));
    setTraceLabel(state, budget);
}

void plainLru(benchmark::State& state, std::uint64_t budget)
{
    const AccessTrace& t = trace();
    PlainLru lru;
    for (auto _ : state) {
        lru = PlainLru();
        lru.nodes.resize(t.objectCount);
        lru.capacity = budget;
        const auto start = std::chrono::steady_clock::now();
        for (const TraceAccess& a : t.accesses)
            lru.access(a.object, a.size);
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const double accesses = static_cast<double>(t.accesses.size());
    state.counters["accesses_per_s"]
        = benchmark::Counter(accesses * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["hit_ratio"] = benchmark::Counter(static_cast<double>(lru.hits) / accesses);
    state.counters["miss_ratio"] = benchmark::Counter(1.0 - static_cast<double>(lru.hits) / accesses);
    setTraceLabel(state, budget);
}

// ---- Reading traces ----------------------------------------------------------------------------------

/// The benchmark trace written once per format into the temporary folder (removed at exit).
const std::string& traceFile(TraceFormat format)
{
    static std::string paths[3];
    std::string& path = paths[static_cast<int>(format)];
    if (path.empty()) {
        path = (std::filesystem::temp_directory_path()
            / ("offerscope-bench-trace-" + std::to_string(static_cast<int>(format)) + "."
                + std::string(traceFormatName(format))))
                   .string();
        std::FILE* f = std::fopen(path.c_str(), "wb");
        if (f == nullptr || !writeTrace(trace(), format, f, path).ok() || std::fclose(f) != 0)
            throw std::runtime_error("cannot write " + path);
        static const struct Remove {
            ~Remove()
            {
                for (const std::string& p : paths)
                    if (!p.empty())
                        std::filesystem::remove(p);
            }
        } remove;
    }
    return path;
}

void readTrace(benchmark::State& state, TraceFormat format)
{
    const TraceSource source { traceFile(format), format,
        format == TraceFormat::Csv ? writtenCsvColumns() : CsvColumns {} };
    std::uint64_t bytes = 0, accesses = 0;
    for (auto _ : state) {
        Result<std::unique_ptr<TraceReader>> reader = TraceReader::open(source);
        if (!reader) {
            state.SkipWithError(reader.message().c_str());
            return;
        }
        std::vector<TraceAccess> batch;
        const auto start = std::chrono::steady_clock::now();
        accesses = 0;
        while (reader.value()->next(batch, 1 << 16))
            accesses += batch.size();
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (!reader.value()->status().ok()) {
            state.SkipWithError(reader.value()->status().message().c_str());
            return;
        }
        bytes = reader.value()->bytesRead();
    }
    using benchmark::Counter;
    state.counters["MB_per_s"]
        = Counter(static_cast<double>(bytes) / 1e6 * static_cast<double>(state.iterations()), Counter::kIsRate);
    state.counters["ns_per_access"] = Counter(
        static_cast<double>(accesses) * static_cast<double>(state.iterations()), Counter::kIsRate | Counter::kInvert);
    state.counters["file_MB"] = Counter(static_cast<double>(bytes) / 1e6);
    setTraceLabel(state);
}

void replayStreamed(benchmark::State& state)
{
    const TraceSource source { traceFile(TraceFormat::OfferScope), TraceFormat::OfferScope, {} };
    ReplayOptions options;
    options.budget = g_options.budget;
    ReplayStats stats;
    for (auto _ : state) {
        Result<std::unique_ptr<TraceReader>> reader = TraceReader::open(source);
        if (!reader) {
            state.SkipWithError(reader.message().c_str());
            return;
        }
        Result<ReplayStats> replayed = replayTrace(*reader.value(), options);
        if (!replayed) {
            state.SkipWithError(("replay failed: " + replayed.message()).c_str());
            return;
        }
        stats = replayed.take();
        state.SetIterationTime(stats.wallSeconds); // reading included
    }
    using benchmark::Counter;
    state.counters["loop_s"] = Counter(stats.seconds);
    state.counters["whole_over_loop"] = Counter(stats.wallSeconds / stats.seconds);
    state.counters["peak_rss_MiB"] = Counter(static_cast<double>(bench::peakRssBytes()) / static_cast<double>(kMiB));
    setTraceLabel(state);
}

// ---- A simulator with a million live allocations ------------------------------------------------------

constexpr std::uint32_t kLiveAllocations = 1'000'000;
constexpr std::uint64_t kAllocationSize = 64 * kKiB;

/// One process with one device and paging queue on a single LOCAL segment that holds every allocation;
/// `offered` of them (every other one from the start) are offered at LOW priority.
struct MillionWorld {
    std::unique_ptr<sim::Simulator> sim;
    D3DKMT_HANDLE process = 0, device = 0, queue = 0;
    std::vector<D3DKMT_HANDLE> allocations;

    MillionWorld(std::uint32_t live, std::uint32_t offered, bool logEvents)
    {
        const std::uint64_t bytes = static_cast<std::uint64_t>(live) * kAllocationSize;
        sim::AdapterConfig adapter { "Bench adapter", { { "VRAM", bytes, MemorySegmentGroup::Local, false } } };
        sim = std::make_unique<sim::Simulator>(adapter);
        if (!logEvents)
            sim->eventLog().setMode(events::EventLog::Mode::Off);
        process = *sim->createProcess("App", bytes, 0);
        device = *sim->createDevice(process);
        queue = *sim->createPagingQueue(device);
        CreateResourceArgs args;
        args.hDevice = device;
        args.allocationSizes = { kAllocationSize };
        CreatedResource out;
        allocations.reserve(live);
        for (std::uint32_t i = 0; i < live; ++i) {
            if (const Status status = sim->createResource(args, out); !status.ok())
                throw std::runtime_error("create failed: " + status.message());
            allocations.push_back(out.allocations.front());
        }
        for (std::uint32_t i = 0; i < offered; ++i)
            offer(allocations[static_cast<std::size_t>(i) * 2 % live]);
    }
    Status offer(D3DKMT_HANDLE h)
    {
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = device;
        args.NumAllocations = 1;
        args.HandleList = &h;
        args.Priority = OfferPriority::Low;
        return sim->offerAllocations(args);
    }
    Status reclaim(D3DKMT_HANDLE h, ReclaimResult& result)
    {
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.NumAllocations = 1;
        args.HandleList = &h;
        args.pResults = &result;
        return sim->reclaimAllocations2(args);
    }
};

/// Built once: the benchmarks that change it work on copies.
MillionWorld& millionWorld()
{
    static MillionWorld world(kLiveAllocations, kLiveAllocations / 2, false);
    return world;
}

/// The same with the event log on, as the window has it; built only when a benchmark asks for it.
const MillionWorld& loggedMillionWorld()
{
    static const MillionWorld world(kLiveAllocations, kLiveAllocations / 2, true);
    return world;
}

void offerReclaim(benchmark::State& state)
{
    MillionWorld& w = millionWorld();
    // The offered ones are the even indices: reclaim one and offer it again (it moves to the tail of LOW).
    std::size_t next = 0;
    ReclaimResult result = ReclaimResult::Ok;
    for (auto _ : state) {
        const D3DKMT_HANDLE h = w.allocations[next];
        next = (next + 2 * 7919) % kLiveAllocations; // a stride through the list, not its head
        const Status reclaimed = w.reclaim(h, result);
        const Status offered
            = reclaimed.ok() && result == ReclaimResult::Ok ? w.offer(h) : Status(NtStatus::Unsuccessful);
        if (!offered.ok()) {
            state.SkipWithError(("offer/reclaim failed: " + reclaimed.message() + offered.message()).c_str());
            return;
        }
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["live_allocations"] = benchmark::Counter(static_cast<double>(w.sim->liveAllocationCount()));
}

/// Cutting the budget by 10,000 allocations' worth makes VidMm discard the 10,000 oldest LOW offers. With the
/// event log on (as in the window) every discard is also an event with its explanation.
void pressureDiscard(benchmark::State& state, bool logEvents)
{
    const MillionWorld& w = logEvents ? loggedMillionWorld() : millionWorld();
    constexpr std::uint64_t kDiscards = 10'000;
    const std::uint64_t bytes = static_cast<std::uint64_t>(kLiveAllocations) * kAllocationSize;
    for (auto _ : state) {
        state.PauseTiming();
        auto copy = std::make_unique<sim::Simulator>(*w.sim);
        state.ResumeTiming();
        if (const Status status
            = copy->setBudget(w.process, MemorySegmentGroup::Local, bytes - kDiscards * kAllocationSize);
            !status.ok()) {
            state.SkipWithError(("setBudget failed: " + status.message()).c_str());
            return;
        }
        state.PauseTiming();
        copy.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kDiscards));
}

void summaries(benchmark::State& state)
{
    const MillionWorld& w = millionWorld();
    std::vector<sim::AllocationSummary> out;
    for (auto _ : state) {
        w.sim->allocationSummaries(out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
}

void checkpoint(benchmark::State& state)
{
    const MillionWorld& w = millionWorld();
    for (auto _ : state) {
        auto copy = std::make_unique<sim::Simulator>(*w.sim);
        benchmark::DoNotOptimize(copy.get());
        state.PauseTiming();
        copy.reset();
        state.ResumeTiming();
    }
    state.counters["simulator_MiB"] = benchmark::Counter(
        static_cast<double>(w.sim->memoryFootprint()) / static_cast<double>(kMiB));
}

// ---- Fixed workloads for callgrind ---------------------------------------------------------------------

/// Small enough for valgrind (about 0.5 G instructions), large enough that the hot paths dominate.
int runCallgrindWorkload(const std::string& name)
{
    // The trace of the replay and read workloads: 100,000 objects, 500,000 accesses.
    TraceShape shape;
    shape.objects = 100'000;
    shape.accesses = 500'000;
    shape.minSize = 64 * kKiB;
    shape.maxSize = 4 * kMiB;
    shape.skew = 0.8;
    shape.seed = 7;
    if (name == "replay") {
        const AccessTrace t = generateTrace(shape);
        ReplayOptions options;
        options.budget = 24 * kGiB;
        Result<ReplayStats> replayed = replayTrace(t, options);
        if (!replayed) {
            std::fprintf(stderr, "replay failed: %s\n", replayed.message().c_str());
            return 1;
        }
        const ReplayStats& stats = replayed.value();
        std::printf("replay: %llu accesses, %llu OK\n", static_cast<unsigned long long>(stats.accesses),
            static_cast<unsigned long long>(stats.reclaimsOk));
        return 0;
    }
    if (name == "pressure") {
        // 100,000 allocations, half offered, with the event log on; then budget cuts that discard them all.
        MillionWorld w(100'000, 50'000, true);
        const std::uint64_t bytes = 100'000ull * kAllocationSize;
        for (int cut = 1; cut <= 10; ++cut)
            w.sim->setBudget(w.process, MemorySegmentGroup::Local, bytes - static_cast<std::uint64_t>(cut) * 5'000 * kAllocationSize);
        std::printf("pressure: %zu events\n", w.sim->eventLog().size());
        return 0;
    }
    if (name == "read") {
        // The trace's text, read by TraceReader from memory.
        std::unique_ptr<TraceReader> reader
            = TraceReader::fromMemory(formatTrace(generateTrace(shape)), "read", TraceFormat::OfferScope);
        std::vector<TraceAccess> batch;
        std::uint64_t accesses = 0;
        while (reader->next(batch, 1 << 16))
            accesses += batch.size();
        std::printf(
            "read: %llu accesses, %u objects\n", static_cast<unsigned long long>(accesses), reader->objectCount());
        return reader->status().ok() ? 0 : 1;
    }
    std::fprintf(stderr, "--callgrind-workload: '%s' is not a workload (replay, pressure, read)\n", name.c_str());
    return 2;
}

/// Takes this program's own options out of argv (the rest is Google Benchmark's); false on a bad value.
bool parseOwnOptions(int& argc, char** argv)
{
    g_options.shape.objects = 1'000'000;
    g_options.shape.accesses = 10'000'000;
    g_options.shape.minSize = 64 * kKiB;
    g_options.shape.maxSize = 4 * kMiB;
    g_options.shape.skew = 0.8;
    g_options.shape.seed = 7;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const bool own = !std::strcmp(argv[i], "--objects") || !std::strcmp(argv[i], "--accesses")
            || !std::strcmp(argv[i], "--budget") || !std::strcmp(argv[i], "--callgrind-workload");
        if (!own) {
            argv[kept++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s needs a value\n", argv[i]);
            return false;
        }
        const char* value = argv[++i];
        char* end = nullptr;
        if (!std::strcmp(argv[i - 1], "--objects")) {
            const unsigned long n = std::strtoul(value, &end, 10);
            if (*end != '\0' || n == 0 || n > 16'000'000) {
                std::fprintf(stderr, "--objects: '%s' is not a count from 1 to 16000000\n", value);
                return false;
            }
            g_options.shape.objects = static_cast<std::uint32_t>(n);
        } else if (!std::strcmp(argv[i - 1], "--accesses")) {
            g_options.shape.accesses = std::strtoull(value, &end, 10);
            if (*end != '\0' || g_options.shape.accesses == 0) {
                std::fprintf(stderr, "--accesses: '%s' is not a positive count\n", value);
                return false;
            }
        } else if (!std::strcmp(argv[i - 1], "--budget")) {
            const auto bytes = parseBytes(value);
            if (!bytes || *bytes == 0) {
                std::fprintf(stderr, "--budget: '%s' is not a size (e.g. 256GiB)\n", value);
                return false;
            }
            g_options.budget = *bytes;
            g_options.budgetGiven = true;
        } else {
            g_options.callgrindWorkload = value;
        }
    }
    argc = kept;
    argv[argc] = nullptr;
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (!parseOwnOptions(argc, argv))
        return 2;
    if (!g_options.callgrindWorkload.empty())
        return runCallgrindWorkload(g_options.callgrindWorkload);

    using benchmark::kMillisecond;
    using benchmark::kMicrosecond;
    // Whole-trace runs: one iteration is seconds of work; repetitions give the spread.
    // The replay and the plain LRU loop beside it, at three budgets (64 GiB: most accesses miss; 1 TiB:
    // nearly all hit), each pair in the same run so that their ratio holds whatever the machine's day.
    std::vector<std::uint64_t> budgets { 64 * kGiB, 256 * kGiB, 1024 * kGiB };
    if (g_options.budgetGiven)
        budgets = { g_options.budget };
    for (const std::uint64_t budget : budgets) {
        std::string tag = formatBytes(budget);
        tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
        benchmark::RegisterBenchmark(("Engine/Replay/budget:" + tag).c_str(), replayBench, budget)
            ->UseManualTime()
            ->Iterations(1)
            ->Repetitions(3)
            ->ReportAggregatesOnly(true)
            ->Unit(kMillisecond);
        benchmark::RegisterBenchmark(("Engine/PlainLru/budget:" + tag).c_str(), plainLru, budget)
            ->UseManualTime()
            ->Iterations(1)
            ->Repetitions(3)
            ->ReportAggregatesOnly(true)
            ->Unit(kMillisecond);
    }
    benchmark::RegisterBenchmark("Engine/OfferReclaim/live:1000000", offerReclaim)->Unit(benchmark::kNanosecond);
    benchmark::RegisterBenchmark("Engine/PressureDiscard/live:1000000/discards:10000", pressureDiscard, false)
        ->Iterations(20)
        ->Unit(kMicrosecond);
    benchmark::RegisterBenchmark("Engine/PressureDiscardExplained/live:1000000/discards:10000", pressureDiscard, true)
        ->Iterations(10)
        ->Unit(kMicrosecond);
    benchmark::RegisterBenchmark("Engine/Summaries/live:1000000", summaries)->Unit(kMillisecond);
    benchmark::RegisterBenchmark("Engine/Checkpoint/live:1000000", checkpoint)->Iterations(10)->Unit(kMillisecond);
    for (const TraceFormat format : { TraceFormat::OfferScope, TraceFormat::Csv, TraceFormat::OracleGeneral })
        benchmark::RegisterBenchmark(
            ("Engine/ReadTrace/" + std::string(traceFormatName(format))).c_str(), readTrace, format)
            ->UseManualTime()
            ->Iterations(1)
            ->Repetitions(3)
            ->ReportAggregatesOnly(true)
            ->Unit(kMillisecond);
    // Last: its peak RSS is the streamed replay's own only if nothing before held more (run it alone for that).
    benchmark::RegisterBenchmark("Engine/ReplayStreamed", replayStreamed)
        ->UseManualTime()
        ->Iterations(1)
        ->Repetitions(3)
        ->ReportAggregatesOnly(true)
        ->Unit(kMillisecond);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
