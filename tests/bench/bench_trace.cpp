// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-bench-trace [--events N] [--file PATH]: the import of a recording. Writes an .etl of N
// events (default 5,000,000; offers, reclaims, discards, budgets and allocations of a game, mixed with
// another provider's events, in 64 KiB buffers) with the test writer, then reads it as the window and
// the command line do (readEtlRecording) and prints events/s and MiB/s; then the same for N/10 events,
// so that the two figures of one run can be compared (a streaming reader reads 10 times the events in
// about 10 times the time). Figures, not a timed test: this machine's speed drifts from day to day.
#include "core/trace/Recording.h"
#include "core/trace/RecordingWorld.h"
#include "core/trace/ReplayWorld.h"
#include "core/trace/TraceCheck.h"
#include "core/trace/TraceXml.h"
#include "tests/trace/RecordingScript.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace offerscope;
using namespace offerscope::trace;

namespace {

/// Writes `events` events in chunks (the test writer holds a chunk in memory, not the file).
std::uint64_t writeRecording(const std::string& path, std::uint64_t events)
{
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(2);
    }
    constexpr std::uint64_t kChunk = 50'000;
    constexpr std::uint32_t kBuffer = 64 * 1024;
    std::uint64_t written = 0, bytes = 0;
    for (std::uint64_t chunk = 0; written < events; ++chunk) {
        testing::RecordingScript script(8, kBuffer);
        if (chunk == 0) // the segment, so the model can be set up like the adapter (check-trace)
            script.add(78, 1, { 1, 0xFFFFA00000010000, 0, 0, 8192ull << 20, 1, 0, 8192ull << 20, 0, 0 }, 0, 4);
        const std::uint64_t n = std::min(kChunk, events - written);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::uint64_t k = written + i;
            // Groups of eight events about one allocation (100,000 of them, then the same again): it
            // is described, offered, reported, reclaimed, discarded, and its process' usage reported.
            const std::uint64_t handle = 0xFFFFB00000000000 + ((k / 8) % 100'000) * 0x1000;
            const std::uint64_t ticks = k * 37;
            switch (k % 8) {
            case 0:
                script.addAllocation(1234, 0xFFFFA00000020000, 64 << 10, 1, handle, ticks);
                break;
            case 1:
                script.add(186, 0, { handle, 1 + k % 3 }, ticks, 1234);
                break;
            case 2:
                script.add(189, 0, { handle, 2, 1 + k % 3 }, ticks, 1234);
                break;
            case 3:
                script.add(190, 0, { handle, 1 + k % 3, 2 + (k / 8) % 2 }, ticks, 1234);
                break;
            case 4:
                script.add(191, 0, { handle }, ticks, 4);
                break;
            case 5:
                script.add(367, 0, { k * 4096, 0, 0xFFFFA00000010000, 1234, 0, 0 }, ticks, 1234);
                break;
            case 6: {
                testing::ScriptEvent other;
                other.provider
                    = Guid { 0x0cd1c309, 0x0878, 0x4515, { 0x83, 0xdb, 0x74, 0x98, 0x43, 0xb3, 0xf5, 0xc9 } };
                other.id = 12;
                other.ticks = ticks;
                script.add(other);
                break;
            }
            default:
                script.add(74, 0, { handle }, ticks, 4);
                break;
            }
        }
        const std::vector<std::uint8_t> b = script.etl(false);
        // The first chunk brings the log-file header's buffer; the others only their event buffers.
        const std::size_t skip = chunk == 0 ? 0 : kBuffer;
        bytes += std::fwrite(b.data() + skip, 1, b.size() - skip, out);
        written += n;
    }
    std::fclose(out);
    return bytes;
}

void measure(const std::string& path, std::uint64_t events)
{
    const std::uint64_t bytes = writeRecording(path, events);
    const auto start = std::chrono::steady_clock::now();
    Result<Recording> r = readEtlRecording(path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r || !r.value().stopped.ok()) {
        std::fprintf(
            stderr, "import failed: %s%s\n", r.message().c_str(), r ? r.value().stopped.message().c_str() : "");
        std::exit(1);
    }
    const std::uint64_t records = r.value().summary.records;
    std::printf("Trace/ImportEtl/events:%-9llu %10.0f events/s %8.1f MiB/s  %llu decoded, %.1f MiB file, %.3f s, "
                "%.1f bytes per decoded event kept\n",
        static_cast<unsigned long long>(events), static_cast<double>(records) / seconds,
        static_cast<double>(bytes) / seconds / (1024.0 * 1024.0),
        static_cast<unsigned long long>(r.value().events.size()), static_cast<double>(bytes) / (1024.0 * 1024.0),
        seconds,
        static_cast<double>(
            r.value().events.size() * sizeof(RecordedEvent) + r.value().values.size() * sizeof(std::uint64_t))
            / static_cast<double>(r.value().events.size()));
    // The world the window shows: every point of its timeline and its checkpoints, built once.
    const auto built = std::chrono::steady_clock::now();
    RecordingWorld world(r.take());
    const double buildSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
    const auto seekStart = std::chrono::steady_clock::now();
    world.seek(world.stepCount() / 2);
    world.seek(world.stepCount() / 4);
    const double seekSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - seekStart).count();
    std::printf("Trace/World/events:%-9llu  %.3f s to build the recording's world (%zu steps, %zu allocations), "
                "%.3f s to seek to the middle and back to a quarter\n",
        static_cast<unsigned long long>(events), buildSeconds, world.stepCount(), world.allocations().size(),
        seekSeconds);
    // The model against it: the check (every setting tried), then the model's world beside it.
    const auto checkStart = std::chrono::steady_clock::now();
    const TraceCheck check = checkTrace(world);
    const double checkSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - checkStart).count();
    if (!check.possible) {
        std::fprintf(stderr, "check failed: %s\n", check.whyNot.c_str());
        std::exit(1);
    }
    const auto modelStart = std::chrono::steady_clock::now();
    ReplayWorld model(world, check.runs[check.best].policy, check.runs[check.best].label);
    const double modelSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - modelStart).count();
    const auto modelSeekStart = std::chrono::steady_clock::now();
    model.seek(model.stepCount() / 2);
    model.seek(model.stepCount() / 4);
    const double modelSeekSeconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - modelSeekStart).count();
    std::printf("Trace/Model/events:%-9llu  %.3f s to check against the model (%zu settings, %.1f %% agreement), "
                "%.3f s to build the model's world beside it, %.3f s to seek to the middle and back to a quarter\n",
        static_cast<unsigned long long>(events), checkSeconds, check.runs.size(),
        100.0 * check.runs[check.best].agreement(), modelSeconds, modelSeekSeconds);
    std::remove(path.c_str());
}

} // namespace

/// tracerpt's XML of `events` events (offers and reclaims), read as the import reads it.
void measureXml(std::uint64_t events)
{
    testing::RecordingScript script(8);
    for (std::uint64_t k = 0; k < events; ++k) {
        const std::uint64_t handle = 0xFFFFB00000000000 + (k % 1000) * 0x1000;
        if (k % 2 == 0)
            script.add(186, 0, { handle, 1 + k % 3 }, k * 37, 1234);
        else
            script.add(190, 0, { handle, 1 + k % 3, 2 + k % 2 }, k * 37, 1234);
    }
    const std::string text = script.xml();
    const double mib = static_cast<double>(text.size()) / (1024.0 * 1024.0);
    // From a file, as the window and the command line read it (a window of the file at a time).
    const std::string path = "/tmp/offerscope-bench-trace.xml";
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
    }
    const auto start = std::chrono::steady_clock::now();
    Result<Recording> r = readTraceXml(path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r || !r.value().stopped.ok() || r.value().events.size() != events) {
        std::fprintf(stderr, "XML import failed: %s\n", r.message().c_str());
        std::exit(1);
    }
    std::remove(path.c_str());
    std::printf("Trace/ImportXml/events:%-9llu %10.0f events/s %8.1f MiB/s  (%.1f MiB of XML, %.3f s)\n",
        static_cast<unsigned long long>(events), static_cast<double>(events) / seconds, mib / seconds, mib, seconds);
}

int main(int argc, char** argv)
{
    std::uint64_t events = 5'000'000;
    std::string path = "/tmp/offerscope-bench-trace.etl";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--events")
            events = std::strtoull(argv[i + 1], nullptr, 10);
        else if (a == "--file")
            path = argv[i + 1];
    }
    if (events < 10) {
        std::fprintf(stderr, "usage: offerscope-bench-trace [--events N (at least 10)] [--file PATH]\n");
        return 2;
    }
    measure(path, events / 10);
    measure(path, events);
    // XML is some ten times the size of the .etl: a tenth of the events, and a hundredth for the ratio.
    measureXml(std::max<std::uint64_t>(events / 100, 1));
    measureXml(std::max<std::uint64_t>(events / 10, 10));
    return 0;
}
