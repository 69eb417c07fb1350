// SPDX-License-Identifier: GPL-3.0-or-later
// The seed corpora, made from what the project ships: the lessons and the sample access trace.
#include "FuzzTargets.h"
#include "core/TextFile.h"
#include "core/scenario/ScenarioParser.h"
#include "tests/trace/RecordingScript.h"

#include <algorithm>
#include <filesystem>

namespace offerscope::fuzz {
namespace {

namespace fs = std::filesystem;

/// The regular files of a folder, by name (an order that does not depend on the file system).
std::vector<fs::path> filesIn(const fs::path& folder)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(folder, ec))
        if (e.is_regular_file())
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string readOrEmpty(const fs::path& path)
{
    Result<std::string> read = readTextFile(path.string(), "seed");
    return read ? read.take() : std::string();
}

/// Small recordings (a few kilobytes: libFuzzer mutates short inputs best) of an offer's way through
/// VidMm, 32- and 64-bit, in 512-byte buffers, with another provider's events and extended data.
std::vector<Seed> etlSeeds()
{
    using namespace offerscope::trace;
    using testing::EtlWriter;
    std::vector<Seed> out;
    for (const std::uint8_t pointerSize : { std::uint8_t(4), std::uint8_t(8) }) {
        EtlWriter writer(512, pointerSize);
        const auto add
            = [&](std::uint16_t id, std::uint8_t version, std::vector<std::uint64_t> values, std::uint64_t ticks) {
                  testing::WrittenEvent e;
                  e.id = id;
                  e.version = version;
                  e.ticks = ticks;
                  e.processId = 1234;
                  e.threadId = 99;
                  e.extended = ticks % 3 == 0;
                  e.payload = testing::payloadOf(*findEvent(id, version), values, pointerSize);
                  writer.add(std::move(e));
              };
        const std::uint64_t a = pointerSize == 8 ? 0xFFFF9A0012345670 : 0x81234560;
        add(78, 1, { 1, 0x1000, 0, 0, 256 << 20, 1, 0, 256 << 20, 0, 0 }, 10);
        add(33, 3, { 1234, 0x2000, 0x1000, 0, 64 << 20, 4096, 1, 1, 1, 0, 0, 0x500, a }, 20);
        add(186, 0, { a, 1 }, 30);
        add(189, 0, { a, 2, 1 }, 31);
        add(188, 0, { a }, 32);
        add(366, 0, { 128 << 20, 256 << 20, 0x1000, 1234, 0, 2, 2, 1, 1, 0 }, 40);
        add(191, 0, { a }, 50);
        add(190, 0, { a, 1, 3 }, 60);
        add(104, 0, { 0x15 }, 61);
        testing::WrittenEvent other;
        other.provider = Guid { 0x0cd1c309, 0x0878, 0x4515, { 0x83, 0xdb, 0x74, 0x98, 0x43, 0xb3, 0xf5, 0xc9 } };
        other.id = 5;
        other.ticks = 45;
        other.payload.assign(16, 0x42);
        writer.add(other);
        writer.addKernelRecord(46);
        for (const bool outOfOrder : { false, true }) {
            const std::vector<std::uint8_t> bytes = writer.bytes(outOfOrder);
            out.push_back(
                { "offer-" + std::to_string(pointerSize * 8) + "bit" + (outOfOrder ? "-out-of-order" : "") + ".etl",
                    std::string(bytes.begin(), bytes.end()) });
        }
    }
    return out;
}

/// tracerpt XML of a short offer story: an offer, a discard and its reclaim, with value-map names.
std::vector<Seed> traceXmlSeeds()
{
    std::vector<Seed> out;
    for (const std::uint8_t pointerSize : { std::uint8_t(4), std::uint8_t(8) }) {
        trace::testing::RecordingScript script(pointerSize);
        const std::uint64_t a = pointerSize == 8 ? 0xFFFF9A0012345670 : 0x81234560;
        script.add(78, 1, { 1, 0x1000, 0, 0, 256 << 20, 1, 0, 256 << 20, 0, 0 }, 10);
        script.add(186, 0, { a, 1 }, 20);
        script.add(189, 0, { a, 2, 1 }, 21);
        script.add(191, 0, { a }, 30);
        script.add(190, 0, { a, 1, 3 }, 40);
        out.push_back({ "offer-story-" + std::to_string(pointerSize * 8) + "bit.xml", script.xml() });
    }
    // Only the log-file header and another provider's event.
    trace::testing::RecordingScript other(8);
    trace::testing::ScriptEvent e;
    e.provider = trace::Guid { 0x11112222, 0x3333, 0x4444, { 0x55, 0x55, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66 } };
    e.id = 3;
    e.ticks = 5;
    other.add(e);
    out.push_back({ "other-provider.xml", other.xml() });
    return out;
}

std::vector<Seed> scenarioSeeds(const fs::path& lessons)
{
    std::vector<Seed> out;
    for (const fs::path& lesson : filesIn(lessons))
        out.push_back({ lesson.filename().string(), readOrEmpty(lesson) });
    // The smallest scenario that runs, for the mutations that build one up.
    out.push_back({ "minimal.jsonc", R"({ "adapter": "integrated", "processes": [ { "name": "A", "devices": [ "d" ] } ],
  "steps": [ { "create": "x", "device": "d", "size": "1MiB" }, { "offer": "x", "priority": "LOW" },
             { "reclaim": "x" } ] })" });
    return out;
}

std::vector<Seed> traceSeeds(const fs::path& traces)
{
    // Each trace cut into pieces of a few kilobytes (libFuzzer mutates short inputs best), and the
    // first piece again with named ids, priorities, comments and Windows line ends.
    constexpr std::size_t kLinesPerPiece = 200;
    std::vector<Seed> out;
    for (const fs::path& trace : filesIn(traces)) {
        const std::string text = readOrEmpty(trace);
        std::vector<std::string> lines;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos)
                end = text.size();
            lines.push_back(text.substr(pos, end - pos));
            pos = end + 1;
        }
        for (std::size_t first = 0; first < lines.size(); first += kLinesPerPiece) {
            std::string piece;
            for (std::size_t i = first; i < std::min(lines.size(), first + kLinesPerPiece); ++i)
                piece += lines[i] + "\n";
            out.push_back({ trace.stem().string() + "-" + std::to_string(first / kLinesPerPiece) + ".csv", piece });
        }
        static const char* const kPriorities[] = { "LOW", "normal", "High", "AUTO", "1", "4" };
        std::string variant = "# " + trace.filename().string() + " with names and priorities\r\n";
        for (std::size_t i = 0; i < std::min<std::size_t>(lines.size(), 64); ++i) {
            const std::size_t comma = lines[i].find(',');
            if (comma == std::string::npos)
                continue;
            variant += "tex-" + lines[i].substr(0, comma) + lines[i].substr(comma);
            if (i % 3 != 0)
                variant += std::string(",") + kPriorities[i % 6];
            variant += i % 2 == 0 ? "\r\n" : "\n";
        }
        out.push_back({ trace.stem().string() + "-named.csv", variant });
    }
    return out;
}

std::vector<Seed> operationSeeds(const fs::path& lessons)
{
    std::vector<Seed> out;
    for (const fs::path& lesson : filesIn(lessons)) {
        const Result<scenario::Scenario> read = scenario::readScenario(lesson.string());
        if (!read)
            continue;
        for (int logMode : { 0, 2 })
            out.push_back({ lesson.stem().string() + (logMode == 0 ? ".ops" : "-log-off.ops"),
                operationsFromScenario(*read, logMode) });
    }
    return out;
}

} // namespace

std::vector<Seed> seedCorpus(std::string_view target, const std::string& sourceDir)
{
    const fs::path root(sourceDir);
    if (target == "scenario")
        return scenarioSeeds(root / "resources" / "lessons");
    if (target == "access-trace")
        return traceSeeds(root / "resources" / "traces");
    if (target == "operations")
        return operationSeeds(root / "resources" / "lessons");
    if (target == "etl")
        return etlSeeds();
    if (target == "trace-xml")
        return traceXmlSeeds();
    return {};
}

const std::vector<FuzzTarget>& fuzzTargets()
{
    static const std::vector<FuzzTarget> targets = { { "scenario", fuzzScenario }, { "access-trace", fuzzAccessTrace },
        { "operations", fuzzOperations }, { "etl", fuzzEtl }, { "trace-xml", fuzzTraceXml } };
    return targets;
}

} // namespace offerscope::fuzz
