// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-differential: the long differential job. Runs seed after seed of random operations on the
// simulator and the reference model until the operation budget is spent; on the first difference prints it
// with the command that reproduces it and exits with 1.
//
//   offerscope-differential [--ops N] [--seed S] [--per-seed M] [--quiet]
//     --ops N       operations in all (default 5,000,000)
//     --seed S      first seed (default 1); seeds S, S+1, ... follow
//     --per-seed M  operations per seed (default 2,000); a run shorter than M is one seed
#include "reference/Differential.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace offerscope::reference;

namespace {

bool parseCount(const char* text, std::uint64_t& out)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 0);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        return false;
    out = value;
    return true;
}

int usage(const char* program)
{
    std::fprintf(stderr, "usage: %s [--ops N] [--seed S] [--per-seed M] [--quiet]\n", program);
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::uint64_t total = 5'000'000, firstSeed = 1, perSeed = 2'000;
    bool quiet = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        std::uint64_t* target = arg == "--ops" ? &total
            : arg == "--seed"                  ? &firstSeed
            : arg == "--per-seed"              ? &perSeed
                                               : nullptr;
        if (arg == "--quiet") {
            quiet = true;
        } else if (arg == "--help" || arg == "-h") {
            usage(argv[0]);
            return 0;
        } else if (target == nullptr || i + 1 >= argc || !parseCount(argv[++i], *target)) {
            return usage(argv[0]);
        }
    }
    if (perSeed == 0 || total == 0)
        return usage(argv[0]);

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto lastReport = start;
    DifferentialStats stats;
    std::uint64_t seed = firstSeed, seeds = 0;
    std::printf("offerscope-differential: %llu operations, seeds from %llu, %llu per seed\n",
        static_cast<unsigned long long>(total), static_cast<unsigned long long>(firstSeed),
        static_cast<unsigned long long>(perSeed));
    std::fflush(stdout);
    while (stats.operations < total) {
        DifferentialOptions options;
        options.seed = seed;
        options.operations = static_cast<std::size_t>(std::min<std::uint64_t>(perSeed, total - stats.operations));
        const DifferentialResult result = runDifferential(options);
        stats += result.stats;
        ++seeds;
        if (result.mismatch) {
            const Mismatch& m = *result.mismatch;
            std::printf("\nDIFFERENCE after %llu operations in all\n%s",
                static_cast<unsigned long long>(stats.operations), formatMismatch(m).c_str());
            std::printf("reproduce: %s --seed %llu --ops %llu --per-seed %llu\n", argv[0],
                static_cast<unsigned long long>(m.seed), static_cast<unsigned long long>(m.operation + 1),
                static_cast<unsigned long long>(m.operation + 1));
            std::printf("keep it: add \"%llu %llu  # <what it found>\" to tests/reference/regression-seeds.txt\n",
                static_cast<unsigned long long>(m.seed), static_cast<unsigned long long>(m.operation + 1));
            return 1;
        }
        ++seed;
        const auto now = Clock::now();
        if (!quiet && now - lastReport >= std::chrono::seconds(2)) {
            lastReport = now;
            const double seconds = std::chrono::duration<double>(now - start).count();
            std::printf("  %llu seeds, %llu operations, %.0f operations/s\n", static_cast<unsigned long long>(seeds),
                static_cast<unsigned long long>(stats.operations), static_cast<double>(stats.operations) / seconds);
            std::fflush(stdout);
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("no difference: %llu operations over %llu seeds (%llu..%llu) in %.1f s, %.0f operations/s\n",
        static_cast<unsigned long long>(stats.operations), static_cast<unsigned long long>(seeds),
        static_cast<unsigned long long>(firstSeed), static_cast<unsigned long long>(seed - 1), seconds,
        static_cast<double>(stats.operations) / seconds);
    std::printf("  statuses: %zu success, %zu pending, %zu invalid parameter, %zu no memory, %zu device removed, "
                "%zu not supported\n",
        stats.success, stats.pending, stats.invalidParameter, stats.noMemory, stats.deviceRemoved, stats.notSupported);
    std::printf("  reclaim results: %zu OK, %zu DISCARDED, %zu NOT_COMMITTED\n", stats.reclaimResults[0],
        stats.reclaimResults[1], stats.reclaimResults[2]);
    std::printf("  bytes discarded %llu, evicted %llu, decommitted %llu; stale handles skipped (slot reused) %zu\n",
        static_cast<unsigned long long>(stats.bytesDiscarded), static_cast<unsigned long long>(stats.bytesEvicted),
        static_cast<unsigned long long>(stats.bytesDecommitted), stats.staleHandlesAliased);
    return 0;
}
