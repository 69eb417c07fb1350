// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/practice/Practice.h"

#include "core/Units.h"
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"

#include <algorithm>
#include <cctype>
#include <random>

namespace offerscope::practice {

std::string_view exerciseKindName(ExerciseKind kind)
{
    switch (kind) {
    case ExerciseKind::NextVictim:
        return "next victim";
    case ExerciseKind::ReclaimResult:
        return "reclaim result";
    case ExerciseKind::CallStatus:
        return "call status";
    case ExerciseKind::TrimBytes:
        return "bytes to trim";
    }
    return "?";
}

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

/// Builds a scenario's text step by step (the format of docs/scenarios.md).
struct Script {
    std::vector<std::string> steps;
    void add(std::string step) { steps.push_back(std::move(step)); }
    scenario::Scenario build(const std::string& title, std::uint64_t segmentMiB, std::uint64_t gameBudgetMiB) const
    {
        std::string text = "{ \"title\": \"" + title + "\",\n"
            + "\"adapter\": { \"name\": \"Practice GPU\", \"segments\": [ { \"name\": \"VRAM\", \"size\": \""
            + std::to_string(segmentMiB) + "MiB\" } ] },\n"
            + "\"processes\": [ { \"name\": \"Game\", \"budget\": { \"local\": \"" + std::to_string(gameBudgetMiB)
            + "MiB\" }, \"devices\": [ \"gameDevice\" ] },\n"
            + "  { \"name\": \"Other\", \"devices\": [ \"otherDevice\" ] } ],\n\"steps\": [\n";
        for (std::size_t i = 0; i < steps.size(); ++i)
            text += "  " + steps[i] + (i + 1 < steps.size() ? ",\n" : "\n");
        text += "] }\n";
        // The generator writes only what the parser takes: a failure here is a bug in it.
        Result<scenario::Scenario> parsed = scenario::parseScenario(text, title + ".jsonc");
        return parsed ? parsed.take() : scenario::Scenario {};
    }
};

std::string quoted(const std::string& s)
{
    return "\"" + s + "\"";
}

std::string mib(std::uint64_t m)
{
    return quoted(std::to_string(m) + "MiB");
}

/// The scenario run to its end, and what its last step did.
struct Ran {
    explicit Ran(const scenario::Scenario& s)
        : runner(s)
    {
        runner.runAll();
    }
    const scenario::StepOutcome& last() const { return runner.outcomes().back(); }
    /// The events of the last step.
    std::vector<const events::Event*> lastEvents() const
    {
        std::vector<const events::Event*> out;
        for (std::uint64_t seq = last().firstEvent; seq <= last().lastEvent; ++seq)
            if (const events::Event* e = runner.simulator().eventLog().bySeq(seq))
                out.push_back(e);
        return out;
    }
    scenario::ScenarioRunner runner;
};

const char* const kPriorities[] = { "LOW", "NORMAL", "HIGH" };

Exercise nextVictim(std::mt19937_64& rng, int level)
{
    Exercise x;
    Script s;
    const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const int count = level == 1 ? 3 : level == 2 ? 4 + pick(2) : 5 + pick(2);
    std::vector<std::string> names;
    std::uint64_t total = 0;
    static const char* const residency[] = { "MINIMUM", "LOW", "NORMAL", "HIGH", "MAXIMUM" };
    for (int i = 0; i < count; ++i) {
        const std::string name = std::string(1, static_cast<char>('a' + i)) + "Texture";
        const std::uint64_t size = 32 * (1 + static_cast<std::uint64_t>(pick(4)));
        total += size;
        names.push_back(name);
        s.add("{ \"create\": " + quoted(name) + ", \"device\": \"gameDevice\", \"size\": " + mib(size)
            + (level == 3 ? ", \"residency\": " + quoted(residency[pick(5)]) : std::string()) + " }");
    }
    // Level 1: one offer per level. Level 2: two levels, several offers in each (the oldest goes
    // first). Level 3: AUTO too, an offer still waiting for the GPU, and one allocation not offered.
    std::vector<int> order(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i)
        order[static_cast<std::size_t>(i)] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::string& name = names[static_cast<std::size_t>(order[k])];
        if (level == 3 && k + 1 == order.size())
            break; // not offered: in use
        std::string priority = level == 1 ? kPriorities[k % 3]
            : level == 2                  ? kPriorities[pick(2)]
                                          : kPriorities[pick(3)];
        if (level == 3 && pick(3) == 0)
            priority = "AUTO";
        if (level == 3 && k == 0)
            s.add("{ \"gpu\": " + quoted(name) + ", \"duration\": \"50ms\" }");
        s.add("{ \"offer\": " + quoted(name) + ", \"priority\": " + quoted(priority) + " }");
        s.add("{ \"advance\": \"1ms\" }");
    }
    const std::uint64_t segment = 1024;
    const std::uint64_t free = segment - total;
    s.add("{ \"pressure\": \"Other\", \"size\": " + mib(free + 1) + " }");
    x.scenario = s.build("next victim", segment, 2048);
    x.question = "Another process commits " + std::to_string(free + 1) + " MiB in VRAM, where only "
        + std::to_string(free) + " MiB are free. Which allocation does VidMm discard first?";
    x.choices = names;
    Ran ran(x.scenario);
    for (const events::Event* e : ran.lastEvents())
        if (e->kind == events::EventKind::Discarded && !e->allocations.empty()) {
            x.answer = ran.runner.allocationName(e->allocations.front());
            x.explanation = "Pressure takes offers in memory, LOW first, then NORMAL, then HIGH (AUTO offers at the "
                            "level their residency priority maps to); within a level the oldest offer goes first, "
                            "and an offer still waiting for its GPU work cannot be taken. "
                + e->explanation;
            break;
        }
    return x;
}

Exercise reclaimResult(std::mt19937_64& rng, int level)
{
    Exercise x;
    Script s;
    const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const int count = level == 1 ? 2 : 3;
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) {
        names.push_back(std::string(i == 0 ? "sky" : i == 1 ? "terrain" : "shadows"));
        s.add("{ \"create\": " + quoted(names.back()) + ", \"device\": \"gameDevice\", \"size\": \"256MiB\" }");
    }
    for (int i = 0; i < count; ++i) {
        const bool decommit = level == 3 && pick(2) == 0;
        s.add("{ \"offer\": " + quoted(names[static_cast<std::size_t>(i)])
            + ", \"priority\": " + quoted(kPriorities[pick(level == 1 ? 2 : 3)])
            + (decommit ? ", \"flags\": [ \"AllowDecommit\" ]" : "") + " }");
        s.add("{ \"advance\": \"1ms\" }");
    }
    // Pressure that takes some of them (or none), and at level 3 system commit pressure that
    // decommits what was offered with AllowDecommit.
    const int pressure = pick(count + 1); // offers to take: 0 .. count
    if (pressure > 0)
        s.add("{ \"pressure\": \"Other\", \"size\": "
            + mib(1024 - 256 * static_cast<std::uint64_t>(count) + 256 * static_cast<std::uint64_t>(pressure) - 128)
            + " }");
    if (level == 3)
        s.add("{ \"systemPressure\": \"512MiB\" }");
    const std::string& asked = names[static_cast<std::size_t>(pick(count))];
    s.add("{ \"reclaim\": " + quoted(asked) + " }");
    x.scenario = s.build("reclaim result", 1024, 2048);
    x.question = "The game reclaims '" + asked + "' (D3DKMTReclaimAllocations2). What does the reclaim find?";
    x.choices = { "OK", "DISCARDED", "NOT_COMMITTED" };
    Ran ran(x.scenario);
    if (!ran.last().results.empty())
        x.answer = std::string(reclaimResultName(ran.last().results.front().second));
    for (const events::Event* e : ran.lastEvents())
        if (e->kind == events::EventKind::Reclaimed || e->kind == events::EventKind::Decommitted)
            x.explanation += e->explanation + " ";
    if (x.explanation.empty())
        x.explanation = ran.last().status.message();
    return x;
}

Exercise callStatus(std::mt19937_64& rng, int level)
{
    Exercise x;
    Script s;
    const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    s.add("{ \"create\": \"tex\", \"device\": \"gameDevice\", \"size\": \"64MiB\" }");
    s.add("{ \"create\": \"cache\", \"device\": \"otherDevice\", \"size\": \"64MiB\" }");
    struct Call {
        std::string step, words;
    };
    std::vector<Call> calls;
    if (level == 1) {
        calls = { { R"({ "offer": "tex", "priority": "LOW" })", "offers 'tex' at LOW on its own device" },
            { R"({ "offer": "tex", "priority": "LOW", "numAllocations": 0 })",
                "offers 'tex' at LOW with NumAllocations = 0 (HandleList still set)" },
            { R"({ "offer": "tex", "priority": "NORMAL", "by": "neither" })",
                "offers at NORMAL with neither HandleList nor pResources set" } };
    } else if (level == 2) {
        s.add(R"({ "offer": "tex", "priority": "LOW" })");
        calls = { { R"({ "offer": "tex", "priority": "HIGH" })",
                      "offers 'tex' again, now at HIGH, while its LOW offer stands" },
            { R"({ "offer": "tex", "priority": "LOW", "by": "both" })",
                "offers 'tex' with both HandleList and pResources set" },
            { R"({ "reclaim": "tex" })", "reclaims 'tex' (offered at LOW, nothing discarded)" },
            { R"({ "reclaim": "tex", "numAllocations": 2 })",
                "reclaims 'tex' with NumAllocations = 2 for a list of one" } };
    } else {
        s.add(R"({ "lock": "tex" })");
        calls = { { R"({ "offer": "tex", "priority": "LOW" })",
                      "offers 'tex', which it has locked (D3DKMTLock2) and not unlocked" },
            { R"({ "offer": "cache", "priority": "LOW", "device": "gameDevice" })",
                "offers the other process' 'cache' through its own device gameDevice" },
            { R"({ "reclaim": "cache", "device": "gameDevice" })",
                "reclaims the other process' 'cache' through gameDevice" },
            { R"({ "offer": "tex", "priority": "LOW", "flags": [ "OfferImmediately", "AllowDecommit" ] })",
                "offers 'tex' (locked) with OfferImmediately and AllowDecommit" } };
    }
    const Call& call = calls[static_cast<std::size_t>(pick(static_cast<int>(calls.size())))];
    s.add(call.step);
    x.scenario = s.build("call status", 1024, 2048);
    x.question = "The game " + call.words + ". What status does the call return?";
    Ran ran(x.scenario);
    x.answer = std::string(ntStatusName(ran.last().status.code()));
    x.choices = { "STATUS_SUCCESS", "STATUS_INVALID_PARAMETER", "STATUS_NO_MEMORY", "STATUS_DEVICE_REMOVED" };
    if (std::find(x.choices.begin(), x.choices.end(), x.answer) == x.choices.end())
        x.choices.push_back(x.answer);
    x.explanation = ran.last().status.ok() ? "The call is valid: "
            + (ran.lastEvents().empty() ? std::string("it changes nothing.") : ran.lastEvents().back()->explanation)
                                           : ran.last().status.message();
    return x;
}

Exercise trimBytes(std::mt19937_64& rng, int level)
{
    Exercise x;
    Script s;
    const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const int count = 2 + pick(3);
    std::uint64_t total = 0;
    for (int i = 0; i < count; ++i) {
        const std::uint64_t size = 64 * (1 + static_cast<std::uint64_t>(pick(4)));
        total += size;
        s.add("{ \"create\": \"buffer" + std::to_string(i + 1)
            + "\", \"device\": \"gameDevice\", \"size\": " + mib(size) + " }");
    }
    // Level 2 and 3: some of it offered (whether offered bytes count in the usage is the policy's
    // [choice]); level 3 also flips that setting.
    if (level >= 2)
        s.add("{ \"offer\": \"buffer1\", \"priority\": \"LOW\" }");
    if (level == 3)
        s.add(R"({ "policy": { "offeredCountsInUsage": false } })");
    const std::uint64_t budget = std::max<std::uint64_t>(32, total / 2 - 32 * static_cast<std::uint64_t>(pick(3)));
    s.add("{ \"budget\": \"Game\", \"size\": " + mib(budget) + " }");
    x.scenario = s.build("bytes to trim", 2048, 2048);
    x.question = "The game goes to the background: its LOCAL budget drops to " + std::to_string(budget)
        + " MiB. How many bytes does the trim notification ask it to trim (NumBytesToTrim)?";
    Ran ran(x.scenario);
    x.answerBytes = 0;
    x.explanation = "Its usage is within the new budget: nothing to trim.";
    for (const events::Event* e : ran.lastEvents())
        if (e->kind == events::EventKind::TrimNotification) {
            x.answerBytes = e->bytes;
            x.explanation = e->explanation + " The usage that counts is what the process has committed"
                + std::string(level >= 2 ? " (offered bytes count only where the policy says so)" : "")
                + ", minus the budget.";
        }
    x.answer = formatBytes(x.answerBytes);
    return x;
}

std::string normalized(std::string_view text)
{
    std::string out;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

Exercise makeExercise(std::uint64_t seed, int level)
{
    level = std::clamp(level, 1, kLevels);
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(level));
    Exercise x;
    const auto kind = static_cast<ExerciseKind>(seed % kExerciseKinds);
    switch (kind) {
    case ExerciseKind::NextVictim:
        x = nextVictim(rng, level);
        break;
    case ExerciseKind::ReclaimResult:
        x = reclaimResult(rng, level);
        break;
    case ExerciseKind::CallStatus:
        x = callStatus(rng, level);
        break;
    case ExerciseKind::TrimBytes:
        x = trimBytes(rng, level);
        break;
    }
    x.kind = kind;
    x.level = level;
    x.seed = seed;
    x.scenario.title = "Practice " + std::to_string(seed) + " (level " + std::to_string(level)
        + "): " + std::string(exerciseKindName(kind));
    return x;
}

Grade grade(const Exercise& x, std::string_view answer)
{
    Grade g;
    if (x.choices.empty()) {
        const auto bytes = parseBytes(answer);
        g.right = bytes && *bytes == x.answerBytes;
    } else {
        g.right = normalized(answer) == normalized(x.answer);
    }
    g.words = (g.right ? std::string("Right. ") : "Not quite: the answer is " + x.answer + ". ") + x.explanation;
    return g;
}

} // namespace offerscope::practice
