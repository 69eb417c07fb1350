// SPDX-License-Identifier: GPL-3.0-or-later
// The seed corpora, made from what the project ships: the lessons and the sample access trace.
#include "FuzzTargets.h"
#include "core/TextFile.h"
#include "core/scenario/ScenarioParser.h"

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
    return {};
}

const std::vector<FuzzTarget>& fuzzTargets()
{
    static const std::vector<FuzzTarget> targets
        = { { "scenario", fuzzScenario }, { "access-trace", fuzzAccessTrace }, { "operations", fuzzOperations } };
    return targets;
}

} // namespace offerscope::fuzz
