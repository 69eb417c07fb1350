// SPDX-License-Identifier: GPL-3.0-or-later
// Engine benchmark: replay of a texture-cache trace with about a million live allocations, next to a
// plain LRU cache simulator on the same trace (the yardstick of the issue). Prints figures.
//
//   offerscope-bench-engine [--objects N] [--accesses N] [--budget BYTES]
#include "core/Units.h"
#include "core/replay/TraceGenerator.h"
#include "core/replay/TraceReplayer.h"
#include "tests/bench/ProcessMemory.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
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

} // namespace

int main(int argc, char** argv)
{
    TraceShape shape;
    shape.objects = 1'000'000;
    shape.accesses = 10'000'000;
    shape.minSize = 64 * kKiB;
    shape.maxSize = 4 * kMiB;
    shape.skew = 0.8;
    shape.seed = 7;
    std::uint64_t budget = 256 * kGiB;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--objects"))
            shape.objects = static_cast<std::uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
        else if (!std::strcmp(argv[i], "--accesses"))
            shape.accesses = std::strtoull(argv[i + 1], nullptr, 10);
        else if (!std::strcmp(argv[i], "--budget"))
            budget = parseBytes(argv[i + 1]).value_or(budget);
    }

    std::printf("generating trace: %u objects, %llu accesses, sizes %s..%s, skew %.1f\n", shape.objects,
        static_cast<unsigned long long>(shape.accesses), formatBytes(shape.minSize).c_str(),
        formatBytes(shape.maxSize).c_str(), shape.skew);
    const AccessTrace trace = generateTrace(shape);

    // Baseline: plain LRU.
    PlainLru lru;
    lru.nodes.resize(trace.objectCount);
    lru.capacity = budget;
    auto t0 = std::chrono::steady_clock::now();
    for (const TraceAccess& a : trace.accesses)
        lru.access(a.object, a.size);
    const double lruSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // The engine: every access is a real D3DKMTReclaimAllocations2 + D3DKMTOfferAllocations (or a create).
    ReplayOptions options;
    options.budget = budget;
    ReplayStats stats;
    std::string error;
    if (!replayTrace(trace, options, stats, error)) {
        std::fprintf(stderr, "replay failed: %s\n", error.c_str());
        return 1;
    }

    std::printf("\nbudget                         %s\n", formatBytes(budget).c_str());
    std::printf("plain LRU simulator            %.2f M accesses/s (%.3f s), hit ratio %.4f\n",
        static_cast<double>(trace.accesses.size()) / lruSeconds / 1e6, lruSeconds,
        static_cast<double>(lru.hits) / static_cast<double>(trace.accesses.size()));
    std::printf("OfferScope engine replay       %.2f M accesses/s (%.3f s), OK ratio %.4f\n",
        stats.accessesPerSecond() / 1e6, stats.seconds,
        static_cast<double>(stats.reclaimsOk) / static_cast<double>(stats.accesses));
    std::printf("engine / plain LRU speed       %.2f\n",
        stats.accessesPerSecond() * lruSeconds / static_cast<double>(trace.accesses.size()));
    std::printf("live allocations               %llu\n", static_cast<unsigned long long>(stats.liveAllocations));
    std::printf("simulator bytes per allocation %.1f (engine records and lists)\n",
        static_cast<double>(stats.simulatorBytes)
            / static_cast<double>(std::max<std::uint64_t>(1, stats.liveAllocations)));
    std::printf(
        "trace in memory                %s\n", formatBytes(trace.accesses.size() * sizeof(TraceAccess)).c_str());
    std::printf(
        "process peak RSS               %s (trace + plain LRU + engine)\n", formatBytes(bench::peakRssBytes()).c_str());
    std::printf("\n%s", formatReplayStats(stats, options).c_str());
    return 0;
}
