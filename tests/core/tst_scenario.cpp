// SPDX-License-Identifier: GPL-3.0-or-later
#include "ScenarioText.h"
#include "core/scenario/RunReport.h"
#include "core/scenario/ScenarioCompare.h"
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/scenario/ScenarioWriter.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace offerscope;
using namespace offerscope::scenario;

namespace {

using offerscope::test::withStep;

std::string errorOf(const std::string& text)
{
    const Result<Scenario> parsed = parseScenario(text, "t.jsonc");
    EXPECT_FALSE(parsed) << "parsed but should not have";
    EXPECT_EQ(parsed.status(), NtStatus::DataError);
    return parsed.message();
}

ScenarioRunner run(const std::string& text)
{
    const Result<Scenario> parsed = parseScenario(text, "t.jsonc");
    EXPECT_TRUE(parsed) << parsed.message();
    ScenarioRunner runner(*parsed);
    runner.runAll();
    return runner;
}

} // namespace

TEST(ScenarioParser, InvalidJsonNamesLineAndColumn)
{
    const std::string error = errorOf("{\n  \"processes\": [ ,\n}");
    EXPECT_EQ(error.rfind("t.jsonc:2:18: not valid JSON:", 0), 0u) << error;
}

TEST(ScenarioParser, UnknownStep)
{
    const std::string error = errorOf(withStep("{ \"ofer\": \"tex\" }"));
    EXPECT_EQ(error.rfind("t.jsonc:9:7: unknown step 'ofer' (steps: ", 0), 0u) << error;
}

TEST(ScenarioParser, AKeyGivenTwiceIsRefusedWithBothPlaces)
{
    // JSON readers keep the last of two equal keys: the file would silently mean something else.
    EXPECT_EQ(errorOf(withStep("{ \"offer\": \"tex\", \"priority\": \"LOW\", \"priority\": \"HIGH\" }")),
        "t.jsonc:9:42: 'priority' is given twice in this object (first at line 9, column 23); JSON would keep only "
        "the last, so give it once");
}

TEST(ScenarioParser, NestingTooDeepIsRefusedWhereItStarts)
{
    // 100,000 levels would exhaust the stack of a recursive scan; the parser stops at 64 and says where.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string error = errorOf(withStep("{ \"say\": " + deep + " }"));
    EXPECT_EQ(error,
        "t.jsonc:9:75: arrays and objects nested more than 64 levels deep: a scenario never needs that many");
    // 64 levels are still read (and refused for what they are: not a string).
    const std::string fine = std::string(60, '[') + std::string(60, ']');
    EXPECT_EQ(errorOf(withStep("{ \"say\": " + fine + " }")), "t.jsonc:9:14: expected a string, found an array");
}

TEST(ScenarioParser, UnknownFieldOfAStep)
{
    const std::string error = errorOf(withStep("{ \"offer\": \"tex\", \"priority\": \"LOW\", \"prio\": 1 }"));
    EXPECT_EQ(error.rfind("t.jsonc:9:42: unknown field 'prio' in step 'offer'", 0), 0u) << error;
}

TEST(ScenarioParser, WrongType)
{
    EXPECT_EQ(errorOf(withStep("{ \"say\": 42 }")), "t.jsonc:9:14: expected a string, found a number");
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": \"1MiB\", \"present\": \"yes\" }")),
        "t.jsonc:9:66: expected true or false, found a string");
}

TEST(ScenarioParser, UnknownName)
{
    EXPECT_EQ(errorOf(withStep("{ \"offer\": [ \"tex\", \"texx\" ], \"priority\": \"LOW\" }")),
        "t.jsonc:9:25: unknown name 'texx' (create it first; destroyed names cannot be used)");
    EXPECT_EQ(errorOf(withStep("{ \"pressure\": \"Nobody\", \"size\": \"1MiB\" }")),
        "t.jsonc:9:19: unknown process 'Nobody'");
    EXPECT_EQ(errorOf(withStep("{ \"lock\": \"tex[3]\" }")),
        "t.jsonc:9:15: 'tex[3]' does not name an allocation of 'tex' (it has 1: tex[0]..tex[0])");
}

TEST(ScenarioParser, NegativeOrUnparsableSize)
{
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": -5 }")),
        "t.jsonc:9:47: a size must not be negative");
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": \"-5MiB\" }")),
        "t.jsonc:9:47: a size must not be negative ('-5MiB')");
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": \"lots\" }")),
        "t.jsonc:9:47: 'lots' is not a size (use bytes or units: 4096, \"256MiB\", \"1.5GiB\")");
}

TEST(ScenarioParser, PriorityOutOfRange)
{
    EXPECT_EQ(errorOf(withStep("{ \"offer\": \"tex\", \"priority\": \"URGENT\" }")),
        "t.jsonc:9:35: priority must be LOW, NORMAL, HIGH, AUTO or a number (0..4 are defined)");
    EXPECT_EQ(errorOf(withStep("{ \"offer\": \"tex\", \"priority\": -1 }")),
        "t.jsonc:9:35: priority must be LOW, NORMAL, HIGH, AUTO or a number (0..4 are defined)");
}

TEST(ScenarioParser, WorldErrors)
{
    EXPECT_EQ(
        errorOf("{ \"adapter\": \"quantum\", \"processes\": [ { \"name\": \"A\" } ], \"steps\": [] }").substr(0, 48),
        "t.jsonc:1:14: unknown adapter preset 'quantum' (");
    EXPECT_EQ(errorOf(withStep("{ \"say\": \"x\" }", ", \"budget\": { \"local\": \"lots\" }")),
        "t.jsonc:4:65: 'lots' is not a size (use bytes or units: 4096, \"256MiB\", \"1.5GiB\")");
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"App\", \"device\": \"dev\", \"size\": 1 }")),
        "t.jsonc:9:17: the name 'App' is already used");
    EXPECT_EQ(errorOf(withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": 1, \"segment\": \"GART\" }")),
        "t.jsonc:9:61: unknown segment 'GART' (the adapter has: VRAM)");
}

TEST(ScenarioParser, ExpectErrors)
{
    EXPECT_EQ(errorOf(withStep("{ \"expect\": { \"status\": \"STATUS_MAYBE\" } }")),
        "t.jsonc:9:29: unknown status 'STATUS_MAYBE' (e.g. STATUS_SUCCESS, STATUS_INVALID_PARAMETER)");
    EXPECT_EQ(errorOf(withStep("{ \"expect\": { \"results\": { \"tex\": \"FINE\" } } }")),
        "t.jsonc:9:39: a reclaim result is OK, DISCARDED or NOT_COMMITTED, not 'FINE'");
    const std::string error = errorOf(withStep("{ \"expect\": { \"states\": { \"tex\": \"Happy\" } } }"));
    EXPECT_EQ(error.rfind("t.jsonc:9:38: unknown state 'Happy' (Resident, ", 0), 0u) << error;
}

TEST(ScenarioRunner, MisuseIsNotAFileErrorItRunsAndShowsTheStatus)
{
    const ScenarioRunner runner = run(withStep(
        "{ \"offer\": \"tex\", \"by\": \"both\", \"priority\": \"LOW\" },\n"
        "    { \"expect\": { \"status\": \"STATUS_INVALID_PARAMETER\", \"states\": { \"tex\": \"Resident\" } } },\n"
        "    { \"offer\": \"tex\", \"priority\": 7 },\n"
        "    { \"expect\": { \"status\": \"STATUS_INVALID_PARAMETER\" } },\n"
        "    { \"offer\": \"tex\", \"priority\": \"LOW\", \"numAllocations\": 3 },\n"
        "    { \"expect\": { \"status\": \"STATUS_INVALID_PARAMETER\" } }"));
    EXPECT_TRUE(runner.failures().empty()) << runner.failures().front().message;
    EXPECT_EQ(runner.expectationsChecked(), 4u);
}

TEST(ScenarioRunner, AFailedExpectationSaysWhereAndWhy)
{
    const ScenarioRunner runner = run(withStep("{ \"offer\": \"tex\", \"priority\": \"LOW\" },\n"
                                               "    { \"expect\": { \"states\": { \"tex\": \"Discarded\" } } }"));
    ASSERT_EQ(runner.failures().size(), 1u);
    EXPECT_EQ(runner.failures()[0].message, "t.jsonc:10:31: expected 'tex' to be Discarded, but it is Offered");
}

TEST(ScenarioRunner, NamesMapToTheHandlesTheEngineGave)
{
    const ScenarioRunner runner = run(withStep("{ \"say\": \"hello\" }"));
    EXPECT_EQ(runner.handle("App") >> 28, 0x2u);
    EXPECT_EQ(runner.handle("dev") >> 28, 0x3u);
    EXPECT_EQ(runner.handle("tex") >> 28, 0x5u);
    EXPECT_EQ(runner.handle("tex[0]") >> 28, 0x4u);
}

TEST(BundledLessons, EveryLessonRunsAndAllItsExpectationsHold)
{
    const std::filesystem::path dir = std::filesystem::path(OFFERSCOPE_SOURCE_DIR) / "resources" / "lessons";
    std::size_t lessons = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".jsonc")
            continue;
        ++lessons;
        Result<Scenario> read = readScenario(entry.path().string());
        ASSERT_TRUE(read) << read.message();
        Scenario s = read.take();
        ScenarioRunner runner(s);
        runner.runAll();
        EXPECT_GT(runner.expectationsChecked(), 0u) << entry.path() << " checks nothing";
        for (const ExpectationFailure& f : runner.failures())
            ADD_FAILURE() << f.message;
        EXPECT_TRUE(runner.simulator().checkInvariants().empty()) << entry.path();
        // The same lesson twice gives the same event log.
        ScenarioRunner again(s);
        again.runAll();
        EXPECT_EQ(runner.simulator().eventLog().formatAll(), again.simulator().eventLog().formatAll());
    }
    EXPECT_GE(lessons, 1u);
}

TEST(ScenarioDocs, EveryDocumentedStepExampleParses)
{
    // docs/scenarios.md shows one example per step type; they must stay valid. Each "### " section's
    // first code block is taken as steps, in a world that declares every name the examples use.
    std::FILE* file = std::fopen((std::string(OFFERSCOPE_SOURCE_DIR) + "/docs/scenarios.md").c_str(), "rb");
    ASSERT_NE(file, nullptr);
    std::string doc;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;)
        doc.append(buffer, n);
    std::fclose(file);

    std::string steps;
    std::size_t sections = 0;
    for (std::size_t at = doc.find("\n### "); at != std::string::npos; at = doc.find("\n### ", at + 1)) {
        const std::size_t open = doc.find("```jsonc\n", at);
        const std::size_t close = doc.find("\n```", open + 9);
        ASSERT_NE(open, std::string::npos);
        std::string block = doc.substr(open + 9, close - open - 9);
        if (block.rfind("{ \"policy\"", 0) != 0 && block.find("\"steps\"") != std::string::npos)
            continue;
        // Blocks with several one-line steps (lock / unlock) become several array entries.
        for (std::size_t nl = block.find("}\n{"); nl != std::string::npos; nl = block.find("}\n{", nl + 3))
            block.insert(nl + 1, "\n,");
        steps += (steps.empty() ? "" : "\n,\n") + block; // a trailing // comment must not swallow the comma
        ++sections;
    }
    const std::string world = R"({
  "adapter": { "segments": [ { "name": "VRAM", "size": "4GiB" }, { "name": "Aperture", "size": "8GiB", "group": "nonLocal" } ] },
  "processes": [
    { "name": "Game", "devices": [ { "name": "gameDevice", "pagingQueues": [ "gameQueue" ] } ] },
    { "name": "Browser", "devices": [ "browserDevice" ] },
    { "name": "App", "devices": [ { "name": "appDevice", "pagingQueues": [ "appQueue" ] } ] }
  ],
  "steps": [
    { "create": "atlas", "device": "appDevice", "size": "1MiB" },
    { "create": "oldAtlas", "device": "appDevice", "size": "1MiB" },
    { "create": "shadows", "device": "appDevice", "size": "1MiB" },
    { "create": "buffer", "device": "appDevice", "size": "1MiB" },
    { "create": "sky", "device": "gameDevice", "size": "1MiB" },
    { "create": "clouds", "device": "gameDevice", "size": "1MiB" },
    { "create": "world", "device": "gameDevice", "size": "1MiB" },
    { "create": "hero", "device": "gameDevice", "size": "1MiB" },
    { "create": "terrain", "device": "gameDevice", "size": "1MiB" },
    { "create": "textures", "device": "appDevice", "size": "1MiB", "allocations": 2 },
)";
    Result<Scenario> parsed = parseScenario(world + steps + "\n  ]\n}\n", "scenarios.md");
    EXPECT_TRUE(parsed) << parsed.message();
    Scenario s = parsed.take();
    EXPECT_EQ(sections, 22u) << "one section per step type (lock and unlock share one)";
    EXPECT_EQ(s.steps.size(), 10u + 25u)
        << "the world's creates plus one example per step kind (quiz has one for each thing it asks)";
}

TEST(RunReport, JsonRoundTripsAndTwoRunsGiveIdenticalReports)
{
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/02-three-priorities.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario s = read.take();
    ScenarioRunner first(s), second(s);
    first.runAll();
    second.runAll();
    const std::string report = runReportJson(first);
    EXPECT_EQ(report, runReportJson(second));

    const nlohmann::json parsed = nlohmann::json::parse(report);
    EXPECT_EQ(parsed["events"].size(), first.simulator().eventLog().size());
    EXPECT_EQ(parsed["steps"].size(), s.steps.size());
    EXPECT_EQ(parsed["expectations"]["checked"].get<std::size_t>(), first.expectationsChecked());
    EXPECT_EQ(parsed["expectations"]["failed"].get<std::size_t>(), 0u);
    const sim::SegmentUsage vram = first.simulator().segmentUsage(0);
    EXPECT_EQ(parsed["statistics"]["segments"][0]["committed"].get<std::uint64_t>(), vram.committed);
    EXPECT_EQ(parsed["statistics"]["segments"][0]["evicted"].get<std::uint64_t>(), vram.evicted);
    std::size_t reclaimed = 0;
    for (const StepOutcome& o : first.outcomes())
        reclaimed += o.results.size();
    EXPECT_EQ(parsed["reclaimResults"].size(), reclaimed);
    EXPECT_EQ(parsed["reclaimResults"][0]["result"], "DISCARDED");
    bool sawCallText = false;
    for (const auto& e : parsed["events"])
        sawCallText = sawCallText || e.contains("callText");
    EXPECT_TRUE(sawCallText) << "events carry the D3DKMT call shape";
}

TEST(RunReport, CsvHasAHeaderAndOneQuotedRowPerEvent)
{
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/01-first-offer-and-reclaim.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario s = read.take();
    ScenarioRunner runner(s);
    runner.runAll();
    const std::string csv = eventsCsv(runner.simulator().eventLog());
    EXPECT_EQ(csv.rfind("seq,time_us,kind,cause,call,", 0), 0u);
    std::size_t rows = 0;
    bool inQuotes = false;
    for (char c : csv) {
        if (c == '"')
            inQuotes = !inQuotes;
        if (c == '\n' && !inQuotes)
            ++rows;
    }
    EXPECT_EQ(rows, runner.simulator().eventLog().size() + 1);
    EXPECT_NE(csv.find(",Reclaimed,call,D3DKMTReclaimAllocations2,"), std::string::npos);
}

TEST(ScenarioCompare, ShowsWhereAVerifierSwitchChangesTheStory)
{
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/02-three-priorities.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario a = read.take();
    Scenario b = a;
    const Status set = applySetting(b, "verifier.neverDiscardOffer=true");
    ASSERT_TRUE(set.ok()) << set;
    ScenarioRunner runA(a), runB(b);
    runA.runAll();
    runB.runAll();
    const Comparison c = compareRuns(runA, runB);
    ASSERT_FALSE(c.identical);
    // The first pressure (step 11) is where offers would be discarded: with the switch, nothing is.
    EXPECT_EQ(a.steps[c.stepOfDifference].kind, StepKind::Pressure);
    ASSERT_FALSE(c.results.empty());
    EXPECT_EQ(c.results.front().name, "thumbnails");
    EXPECT_EQ(c.results.front().a, "DISCARDED");
    EXPECT_EQ(c.results.front().b, "OK");
    EXPECT_FALSE(runB.failures().empty()) << "the lesson's own expectations notice the change";

    Scenario same = a;
    ScenarioRunner runSame(same);
    runSame.runAll();
    EXPECT_TRUE(compareRuns(runA, runSame).identical);
}

TEST(ScenarioCompare, ASwitchSetFromTheStartHoldsUntilAStepChangesThatSwitchItself)
{
    // Lesson 9 sets other verifier switches in its steps before the offers: the what-if holds through
    // them, and the first offer (step 4) is not discarded at once.
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/09-verifier-what-if.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario a = read.take();
    Scenario b = a;
    ASSERT_TRUE(applySetting(b, "verifier.neverDiscardOffer=true").ok());
    ScenarioRunner runA(a), runB(b);
    runA.runAll();
    runB.runAll();
    const Comparison c = compareRuns(runA, runB);
    ASSERT_FALSE(c.identical);
    EXPECT_EQ(c.stepOfDifference, 3u) << "the first offer, with AlwaysDiscardOffer on";
    ASSERT_FALSE(c.results.empty());
    EXPECT_EQ(c.results.front().name, "cache");
    EXPECT_EQ(c.results.front().a, "DISCARDED");
    EXPECT_EQ(c.results.front().b, "OK");
    // The lesson's own "neverDiscardOffer": true at its end is its own again.
    const auto last
        = std::find_if(b.steps.rbegin(), b.steps.rend(), [](const Step& s) { return s.kind == StepKind::Verifier; });
    ASSERT_NE(last, b.steps.rend());
    EXPECT_TRUE(last->verifier.neverDiscardOffer);

    // A step that changes the switch itself keeps its value, and so do the steps after it.
    Result<Scenario> parsed = parseScenario(withStep("{ \"policy\": { \"withinPriorityOrder\": \"smallest-first\" } }, "
                                                     "{ \"policy\": { \"rejectRedundantCalls\": true } }"),
        "t.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    Scenario p = parsed.take();
    ASSERT_TRUE(applySetting(p, "policy.withinPriorityOrder=largest-first").ok());
    EXPECT_EQ(p.policy.withinPriorityOrder, sim::WithinPriorityOrder::LargestFirst);
    EXPECT_EQ(p.steps[1].policy.withinPriorityOrder, sim::WithinPriorityOrder::SmallestFirst);
    EXPECT_EQ(p.steps[2].policy.withinPriorityOrder, sim::WithinPriorityOrder::SmallestFirst);
    // A switch no step changes holds through every policy step.
    const bool flipped = !sim::SimPolicy {}.offeredCountsInUsage;
    ASSERT_TRUE(applySetting(p, std::string("policy.offeredCountsInUsage=") + (flipped ? "true" : "false")).ok());
    EXPECT_EQ(p.steps[1].policy.offeredCountsInUsage, flipped);
    EXPECT_EQ(p.steps[2].policy.offeredCountsInUsage, flipped);
}

TEST(ScenarioCompare, TheWhatIfOfOneOffersPriority)
{
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/02-three-priorities.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario s = read.take();
    std::size_t offer = 0;
    while (s.steps[offer].kind != StepKind::Offer)
        ++offer;
    const std::string key = "step." + std::to_string(offer + 1) + ".priority";
    ASSERT_TRUE(applySetting(s, key + "=HIGH").ok());
    EXPECT_EQ(s.steps[offer].priority, OfferPriority::High);
    const Status notAnOffer = applySetting(s, "step.1.priority=LOW");
    EXPECT_EQ(notAnOffer.code(), NtStatus::InvalidParameter);
    EXPECT_NE(
        notAnOffer.message().find("step 1 is a say step: only an offer's priority can be changed"), std::string::npos)
        << notAnOffer.message();
    EXPECT_FALSE(applySetting(s, "step.0.priority=LOW").ok());
    EXPECT_FALSE(applySetting(s, "step.999.priority=LOW").ok());
    EXPECT_FALSE(applySetting(s, key + "=SOMETIMES").ok());
}

TEST(ScenarioCompare, RejectsUnknownSettings)
{
    Result<Scenario> parsed = parseScenario(withStep("{ \"say\": \"x\" }"), "t.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    Scenario s = parsed.take();
    const Status colour = applySetting(s, "policy.colour=blue");
    EXPECT_FALSE(colour.ok());
    EXPECT_EQ(colour.code(), NtStatus::InvalidParameter);
    EXPECT_EQ(colour.message(), "--set policy.colour=blue: unknown setting (see offerscope-cli compare --help)");
    const Status nobody = applySetting(s, "budget.Nobody.local=1GiB");
    EXPECT_FALSE(nobody.ok());
    EXPECT_EQ(nobody.code(), NtStatus::InvalidParameter);
    EXPECT_EQ(nobody.message(), "--set budget.Nobody.local=1GiB: the scenario has no process 'Nobody'");
    const Status maybe = applySetting(s, "verifier.alwaysDiscardOffer=maybe");
    EXPECT_FALSE(maybe.ok());
    EXPECT_EQ(maybe.code(), NtStatus::InvalidParameter);
    const Status budget = applySetting(s, "budget.App.local=512MiB");
    EXPECT_TRUE(budget.ok()) << budget;
    EXPECT_EQ(s.processes[0].budget[0], 512 * 1024 * 1024u);
}

TEST(Quiz, TheEngineAnswersAndALessonsWrongAnswerFailsWhereItIsWritten)
{
    const std::string text = withStep(
        R"({ "offer": "tex", "priority": "LOW" }, )"
        R"({ "quiz": "Which goes first?", "ask": "nextVictim", "choices": [ "tex", "none" ], "answer": "tex" }, )"
        R"({ "quiz": "And the reclaim?", "ask": "reclaim", "allocation": "tex", "answer": "DISCARDED" }, )"
        R"({ "quiz": "Trim at 32 MiB?", "ask": "trim", "process": "App", "size": "32MiB", "answer": "32MiB" })");
    Result<Scenario> parsed = parseScenario(text, "quiz.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    ScenarioRunner runner(parsed.value());
    runner.runAll();
    const auto& o = runner.outcomes();
    ASSERT_EQ(o.size(), 5u);
    EXPECT_EQ(o[2].answer, "tex");
    EXPECT_NE(o[2].why.find("first in the discard queue of VRAM"), std::string::npos) << o[2].why;
    EXPECT_EQ(o[3].answer, "OK") << "nothing needed the memory";
    EXPECT_EQ(o[4].answer, "32 MiB") << "64 MiB offered and counted, a budget of 32 MiB";
    // The reclaim quiz changed nothing: tex is still offered.
    EXPECT_EQ(runner.simulator().allocation(runner.handle("tex[0]"))->state, sim::AllocationState::Offered);
    // The lesson said DISCARDED: a failure at the quiz's place, with the engine's answer and why.
    ASSERT_EQ(runner.failures().size(), 1u);
    EXPECT_EQ(runner.failures()[0].message.rfind("quiz.jsonc:9:", 0), 0u) << runner.failures()[0].message;
    EXPECT_NE(runner.failures()[0].message.find("quiz: the lesson's answer is 'DISCARDED', the engine's is 'OK'"),
        std::string::npos)
        << runner.failures()[0].message;
    // Saved and read again, the quizzes are the same.
    Result<Scenario> again = parseScenario(writeScenario(parsed.value()), "again.jsonc");
    ASSERT_TRUE(again) << again.message();
    ASSERT_EQ(again->steps.size(), parsed->steps.size());
    for (std::size_t i = 2; i < again->steps.size(); ++i) {
        EXPECT_EQ(again->steps[i].quiz, parsed->steps[i].quiz);
        EXPECT_EQ(again->steps[i].text, parsed->steps[i].text);
        EXPECT_EQ(again->steps[i].name, parsed->steps[i].name);
        EXPECT_EQ(again->steps[i].names, parsed->steps[i].names);
        EXPECT_EQ(again->steps[i].bytes, parsed->steps[i].bytes);
    }
}

TEST(Quiz, AMalformedQuizSaysWhatIsMissing)
{
    const auto error = [](const std::string& step) {
        Result<Scenario> parsed = parseScenario(withStep(step), "q.jsonc");
        return parsed ? std::string() : parsed.message();
    };
    EXPECT_NE(error(R"({ "quiz": "?", "answer": "x" })").find("a quiz needs \"ask\""), std::string::npos);
    EXPECT_NE(
        error(R"({ "quiz": "?", "ask": "weather", "answer": "x" })").find("\"ask\" is nextVictim, reclaim or trim"),
        std::string::npos);
    EXPECT_NE(error(R"({ "quiz": "?", "ask": "reclaim", "answer": "OK" })").find("names the \"allocation\""),
        std::string::npos);
    EXPECT_NE(
        error(R"({ "quiz": "?", "ask": "trim", "process": "Nobody", "size": "1MiB", "answer": "0" })").find("Nobody"),
        std::string::npos);
}
