// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Units.h"
#include "core/d3dkmt/D3dkmtStructs.h"
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/scenario/ScenarioWriter.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <sstream>
#include <tuple>

using namespace offerscope;
using namespace offerscope::scenario;

namespace {

// ---- describing scenarios field by field (everything but file positions) ------------------------

std::string describe(const sim::SimPolicy& p)
{
    std::ostringstream o;
    o << sim::withinPriorityOrderName(p.withinPriorityOrder) << '/' << p.rejectRedundantCalls << '/'
      << p.offeredCountsInUsage << '/' << p.enforceBudgetOnShrink << '/' << static_cast<int>(p.reclaim2Output) << '/'
      << p.pagingBytesPerMicrosecond << '/' << p.reservablePercentOfBudget;
    return o.str();
}

std::string describe(const sim::VerifierSwitches& v)
{
    std::ostringstream o;
    o << v.alwaysDiscardOffer << v.neverDiscardOffer << v.alwaysDecommitOffer << v.alwaysProcessOfferList;
    return o.str();
}

std::string describe(const sim::ProcessVerifier& v)
{
    std::ostringstream o;
    o << v.alwaysFailCommitOnReclaim << '/' << v.budgetRestriction[0] << '/' << v.budgetRestriction[1];
    return o.str();
}

std::string describe(const Expectation& e)
{
    std::ostringstream o;
    o << "expectation kind=" << static_cast<int>(e.kind) << " status=" << ntStatusName(e.status) << " name=" << e.name
      << " result=" << reclaimResultName(e.result) << " state=" << sim::allocationStateName(e.state)
      << " field=" << e.field << " group=" << segmentGroupName(e.group) << " bytes=" << e.bytes;
    return o.str();
}

std::string describe(const Step& s)
{
    std::ostringstream o;
    o << stepKindName(s.kind) << " #" << s.index << " text=" << s.text << " name=" << s.name << " names=";
    for (const std::string& n : s.names)
        o << n << ';';
    o << " device=" << s.device << " queue=" << s.queue << " process=" << s.process << " bytes=" << s.bytes
      << " count=" << s.count << " numAllocations=" << (s.numAllocations ? std::to_string(*s.numAllocations) : "-")
      << " segment=" << s.segment << " residency=" << s.residencyPriority << " priorities=";
    for (UINT p : s.priorities)
        o << p << ';';
    o << " present=" << s.present << " resident=" << s.resident << " us=" << s.microseconds
      << " priority=" << static_cast<std::uint32_t>(s.priority) << " flags=" << s.flags
      << " by=" << static_cast<int>(s.by) << " version=" << s.reclaimVersion << " group=" << segmentGroupName(s.group)
      << " policy=" << describe(s.policy) << " verifier=" << describe(s.verifier)
      << " processVerifier=" << describe(s.processVerifier);
    for (const Expectation& e : s.expectations)
        o << "\n  " << describe(e);
    return o.str();
}

/// The whole scenario but its file name: world and steps, one line per thing.
std::string describe(const Scenario& s)
{
    std::ostringstream o;
    o << "title=" << s.title << "\ndescription=" << s.description << "\nadapter=" << s.adapter.name << '\n';
    for (const sim::SegmentConfig& c : s.adapter.segments)
        o << "  segment " << c.name << ' ' << c.size << ' ' << segmentGroupName(c.group) << ' ' << c.aperture << '\n';
    o << "policy=" << describe(s.policy) << "\nverifier=" << describe(s.verifier) << '\n';
    for (const ProcessSpec& p : s.processes) {
        o << "process " << p.name << " budget=" << (p.budget[0] ? std::to_string(*p.budget[0]) : "-") << '/'
          << (p.budget[1] ? std::to_string(*p.budget[1]) : "-") << " verifier=" << describe(p.verifier) << '\n';
        for (const DeviceSpec& d : p.devices) {
            o << "  device " << d.name << ':';
            for (const std::string& q : d.pagingQueues)
                o << ' ' << q;
            o << '\n';
        }
    }
    for (const Step& step : s.steps)
        o << describe(step) << '\n';
    return o.str();
}

// ---- running --------------------------------------------------------------------------------------

struct RunResult {
    std::string state;
    std::string events;
    std::size_t checked = 0;
    std::size_t failed = 0;
};

RunResult run(const Scenario& s)
{
    ScenarioRunner runner(s);
    runner.runAll();
    return RunResult { runner.simulator().stateDump(), runner.simulator().eventLog().formatAll(),
        runner.expectationsChecked(), runner.failures().size() };
}

void expectSameRun(const Scenario& a, const Scenario& b)
{
    const RunResult x = run(a);
    const RunResult y = run(b);
    EXPECT_EQ(x.state, y.state);
    EXPECT_EQ(x.events, y.events);
    EXPECT_EQ(x.checked, y.checked);
    EXPECT_EQ(x.failed, y.failed);
}

/// Writes `s` and parses the text back; checks that writing the result gives the same text again.
std::optional<Scenario> roundTrip(const Scenario& s, std::string* written = nullptr)
{
    const std::string text = writeScenario(s);
    if (written)
        *written = text;
    Result<Scenario> parsed = parseScenario(text, "written.jsonc");
    if (!parsed) {
        ADD_FAILURE() << "the written text does not parse: " << parsed.message() << "\n" << text;
        return std::nullopt;
    }
    Scenario back = parsed.take();
    EXPECT_EQ(writeScenario(back), text) << "writing is not a fixed point";
    return back;
}

// ---- scenarios built in code, as the GUI builds them (no file positions) ---------------------------

Step make(StepKind kind)
{
    Step s;
    s.kind = kind;
    return s;
}

void add(Scenario& s, Step step)
{
    step.index = s.steps.size();
    s.steps.push_back(std::move(step));
}

DeviceSpec device(std::string name, std::vector<std::string> queues = {})
{
    DeviceSpec d;
    d.name = std::move(name);
    d.pagingQueues = std::move(queues);
    return d;
}

/// The "discrete" adapter, App (two devices, one with two queues) and Other; "tex" (3 allocations of
/// 64 MiB) and "buf" (16 MiB, on the second device).
Scenario world()
{
    Scenario s;
    s.adapter = *sim::adapterPreset("discrete");
    ProcessSpec app;
    app.name = "App";
    app.devices = { device("appDevice", { "appQueue", "appQueue2" }), device("appDevice2") };
    ProcessSpec other;
    other.name = "Other";
    other.devices = { device("otherDevice") };
    s.processes = { app, other };
    Step tex = make(StepKind::Create);
    tex.name = "tex";
    tex.device = "appDevice";
    tex.bytes = 64 * kMiB;
    tex.count = 3;
    add(s, tex);
    Step buf = make(StepKind::Create);
    buf.name = "buf";
    buf.device = "appDevice2";
    buf.bytes = 16 * kMiB;
    add(s, buf);
    return s;
}

/// The world plus `steps`, round-tripped: every field of every step must survive, and the two
/// scenarios must run the same.
std::optional<Scenario> checkSteps(const std::vector<Step>& steps, std::string* written = nullptr)
{
    Scenario s = world();
    for (const Step& step : steps)
        add(s, step);
    std::optional<Scenario> back = roundTrip(s, written);
    if (back) {
        EXPECT_EQ(describe(*back), describe(s));
        EXPECT_EQ(back->steps.size(), s.steps.size());
        expectSameRun(s, *back);
    }
    return back;
}

/// The written line of step `index`.
std::string lineOf(const std::string& text, std::size_t index)
{
    std::size_t at = text.find("\"steps\": [\n");
    for (std::size_t i = 0; i <= index && at != std::string::npos; ++i)
        at = text.find('\n', at + 1);
    if (at == std::string::npos)
        return {};
    const std::size_t end = text.find('\n', at + 1);
    std::string line = text.substr(at + 1, end - at - 1);
    line.erase(0, line.find_first_not_of(' '));
    if (!line.empty() && line.back() == ',')
        line.pop_back();
    return line;
}

Expectation expectation(Expectation::Kind kind, std::string name = {})
{
    Expectation e;
    e.kind = kind;
    e.name = std::move(name);
    return e;
}

std::vector<std::string> sortedExpectations(const std::vector<Step>& steps)
{
    std::vector<std::string> out;
    for (const Step& s : steps)
        for (const Expectation& e : s.expectations)
            out.push_back(describe(e));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

// ---- bundled lessons ------------------------------------------------------------------------------

TEST(ScenarioWriter, EveryLessonRoundTripsToTheSameRun)
{
    const std::filesystem::path dir = std::filesystem::path(OFFERSCOPE_SOURCE_DIR) / "resources" / "lessons";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".jsonc")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    EXPECT_GE(files.size(), 9u);
    for (const std::filesystem::path& file : files) {
        SCOPED_TRACE(file.filename().string());
        Result<Scenario> read = readScenario(file.string());
        ASSERT_TRUE(read) << read.message();
        Scenario original = read.take();
        const std::string text = writeScenario(original);
        Result<Scenario> parsed = parseScenario(text, "written.jsonc");
        ASSERT_TRUE(parsed) << parsed.message() << "\n" << text;
        Scenario back = parsed.take();
        EXPECT_EQ(describe(back), describe(original));

        const RunResult a = run(original);
        const RunResult b = run(back);
        EXPECT_FALSE(a.events.empty());
        EXPECT_GT(a.checked, 0u);
        EXPECT_EQ(a.state, b.state);
        EXPECT_EQ(a.events, b.events);
        EXPECT_EQ(a.checked, b.checked);
        EXPECT_EQ(a.failed, b.failed);

        EXPECT_EQ(writeScenario(back), text) << "write(parse(write(x))) differs from write(x)";
    }
}

TEST(ScenarioWriter, ALessonReadsLikeAHandWrittenOne)
{
    Result<Scenario> read
        = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/01-first-offer-and-reclaim.jsonc");
    ASSERT_TRUE(read) << read.message();
    Scenario s = read.take();
    const std::string text = writeScenario(s);
    EXPECT_EQ(text.rfind("{\n  \"title\": \"Lesson 1 - Offer, then reclaim\",\n", 0), 0u) << text;
    EXPECT_NE(text.find("\n    { \"create\": \"menu\", \"device\": \"gameDevice\", \"size\": \"256 MiB\" },\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("\n    { \"offer\": \"menu\", \"priority\": \"NORMAL\" },\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\n    { \"budget\": \"Browser\", \"size\": 0 },\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\n      { \"name\": \"Aperture\", \"size\": \"2 GiB\", \"group\": \"nonLocal\" }\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("{ \"name\": \"gameDevice\", \"pagingQueues\": [ \"gameQueue\" ] }"), std::string::npos);
    EXPECT_NE(text.find("\"devices\": [ \"browserDevice\" ]"), std::string::npos);
    // Defaults are left out.
    for (const char* absent : { "\"policy\"", "\"verifier\"", "\"allocations\"", "\"version\"", "\"by\"",
             "\"residency\"", "\"resident\": false", "\"segment\": 0" })
        EXPECT_EQ(text.find(absent), std::string::npos) << absent;
    // 10 lines for braces, title, description and adapter, 5 for the two processes and the brackets
    // around them and the steps, 1 closing brace, and one line per step.
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10 + 5 + 2 + static_cast<long>(s.steps.size()))
        << "one line per step and per process\n"
        << text;
}

// ---- one test per step kind: built in code, written, parsed back ------------------------------------

TEST(ScenarioWriterStep, Say)
{
    Step say = make(StepKind::Say);
    say.text = "Quotes \"here\", a backslash \\, a tab\t, a line\nbreak and Gr\xc3\xbc\xc3\x9f"
               "e.";
    const auto back = checkSteps({ say });
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps.back().kind, StepKind::Say);
    EXPECT_EQ(back->steps.back().text, say.text);
}

TEST(ScenarioWriterStep, Create)
{
    Step full = make(StepKind::Create);
    full.name = "big";
    full.device = "appDevice2";
    full.bytes = 3 * kMiB / 2;
    full.count = 4;
    full.segment = 1;
    full.residencyPriority = ResidencyPriority::kHigh + 1;
    full.present = true;
    full.resident = false;
    Step plain = make(StepKind::Create);
    plain.name = "odd";
    plain.device = "otherDevice";
    plain.bytes = 12345;
    Step named = make(StepKind::Create);
    named.name = "low";
    named.device = "appDevice";
    named.bytes = kGiB;
    named.residencyPriority = ResidencyPriority::kMinimum;
    std::string text;
    const auto back = checkSteps({ full, plain, named }, &text);
    ASSERT_TRUE(back);
    const Step& b = back->steps[2];
    EXPECT_EQ(b.kind, StepKind::Create);
    EXPECT_EQ(b.name, "big");
    EXPECT_EQ(b.device, "appDevice2");
    EXPECT_EQ(b.bytes, 3 * kMiB / 2);
    EXPECT_EQ(b.count, 4u);
    EXPECT_EQ(b.segment, 1u);
    EXPECT_EQ(b.residencyPriority, ResidencyPriority::kHigh + 1);
    EXPECT_TRUE(b.present);
    EXPECT_FALSE(b.resident);
    EXPECT_EQ(back->steps[3].bytes, 12345u);
    EXPECT_EQ(back->steps[3].count, 1u);
    EXPECT_TRUE(back->steps[3].resident);
    EXPECT_EQ(back->steps[4].residencyPriority, ResidencyPriority::kMinimum);
    EXPECT_EQ(lineOf(text, 0),
        "{ \"create\": \"tex\", \"device\": \"appDevice\", \"size\": \"64 MiB\", \"allocations\": 3 }");
    EXPECT_EQ(lineOf(text, 2),
        "{ \"create\": \"big\", \"device\": \"appDevice2\", \"size\": \"1.5 MiB\", \"allocations\": 4, \"segment\": "
        "\"Aperture\", \"residency\": "
            + std::to_string(ResidencyPriority::kHigh + 1) + ", \"present\": true, \"resident\": false }");
    EXPECT_EQ(lineOf(text, 3), "{ \"create\": \"odd\", \"device\": \"otherDevice\", \"size\": 12345 }");
    EXPECT_EQ(lineOf(text, 4),
        "{ \"create\": \"low\", \"device\": \"appDevice\", \"size\": \"1 GiB\", \"residency\": \"MINIMUM\" }");
}

TEST(ScenarioWriterStep, Destroy)
{
    Step destroy = make(StepKind::Destroy);
    destroy.name = "buf";
    Step expect = make(StepKind::Expect);
    Expectation gone = expectation(Expectation::Kind::State, "buf");
    gone.state = sim::AllocationState::Destroyed;
    expect.expectations = { gone };
    const auto back = checkSteps({ destroy, expect });
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Destroy);
    EXPECT_EQ(back->steps[2].name, "buf");
    EXPECT_EQ(run(*back).failed, 0u);
}

TEST(ScenarioWriterStep, LockAndUnlock)
{
    Step lock = make(StepKind::Lock);
    lock.name = "tex[2]";
    lock.names = { "tex[2]" };
    lock.device = "appDevice";
    Step unlock = make(StepKind::Unlock);
    unlock.name = "buf";
    unlock.names = { "buf" };
    std::string text;
    const auto back = checkSteps({ lock, unlock }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Lock);
    EXPECT_EQ(back->steps[2].name, "tex[2]");
    EXPECT_EQ(back->steps[2].names, std::vector<std::string> { "tex[2]" });
    EXPECT_EQ(back->steps[2].device, "appDevice");
    EXPECT_EQ(back->steps[3].kind, StepKind::Unlock);
    EXPECT_EQ(back->steps[3].names, std::vector<std::string> { "buf" });
    EXPECT_EQ(back->steps[3].device, "");
    EXPECT_EQ(lineOf(text, 2), "{ \"lock\": \"tex[2]\", \"device\": \"appDevice\" }");
    EXPECT_EQ(lineOf(text, 3), "{ \"unlock\": \"buf\" }");
}

TEST(ScenarioWriterStep, Gpu)
{
    Step gpu = make(StepKind::Gpu);
    gpu.names = { "tex[0]", "buf" };
    gpu.device = "appDevice";
    gpu.microseconds = 1500;
    Step instant = make(StepKind::Gpu);
    instant.names = { "tex" };
    instant.microseconds = 0;
    Step usual = make(StepKind::Gpu);
    usual.names = { "buf" };
    usual.microseconds = 100; // the parser's default
    std::string text;
    const auto back = checkSteps({ gpu, instant, usual }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].names, gpu.names);
    EXPECT_EQ(back->steps[2].device, "appDevice");
    EXPECT_EQ(back->steps[2].microseconds, 1500u);
    EXPECT_EQ(back->steps[3].microseconds, 0u);
    EXPECT_EQ(back->steps[4].microseconds, 100u);
    EXPECT_EQ(
        lineOf(text, 2), "{ \"gpu\": [ \"tex[0]\", \"buf\" ], \"duration\": \"1500us\", \"device\": \"appDevice\" }");
    EXPECT_EQ(lineOf(text, 4), "{ \"gpu\": \"buf\" }");
}

TEST(ScenarioWriterStep, Advance)
{
    const std::vector<std::pair<std::uint64_t, std::string>> cases = {
        { 0, "0" },
        { 7, "\"7us\"" },
        { 1000, "\"1ms\"" },
        { 1500, "\"1500us\"" },
        { 16000, "\"16ms\"" },
        { 2000000, "\"2s\"" },
        { 1000000000000000ULL, "\"1000000000s\"" },
        { 1000000000000001ULL, "1000000000000001" }, // 16 digits: more than a duration string may have
        { std::numeric_limits<std::uint64_t>::max(), std::to_string(std::numeric_limits<std::uint64_t>::max()) },
    };
    std::vector<Step> steps;
    for (const auto& [us, written] : cases) {
        Step advance = make(StepKind::Advance);
        advance.microseconds = us;
        steps.push_back(advance);
    }
    std::string text;
    Scenario s = world();
    for (const Step& step : steps)
        add(s, step);
    const auto back = roundTrip(s, &text); // not run: the clock would overflow
    ASSERT_TRUE(back);
    EXPECT_EQ(describe(*back), describe(s));
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(back->steps[2 + i].microseconds, cases[i].first);
        EXPECT_EQ(lineOf(text, 2 + i), "{ \"advance\": " + cases[i].second + " }");
    }
    checkSteps({ steps[1], steps[4], steps[5] });
}

TEST(ScenarioWriterStep, Wait)
{
    Step gpu = make(StepKind::Gpu);
    gpu.names = { "tex" };
    gpu.microseconds = 5000;
    Step wait = make(StepKind::Wait);
    wait.device = "appDevice";
    const auto back = checkSteps({ gpu, wait });
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[3].kind, StepKind::Wait);
    EXPECT_EQ(back->steps[3].device, "appDevice");
}

TEST(ScenarioWriterStep, MakeResident)
{
    Step evict = make(StepKind::Evict);
    evict.names = { "tex", "buf" };
    // One priority per allocation of "tex" (three handles for one name): the runner passes them.
    Step perAllocation = make(StepKind::MakeResident);
    perAllocation.names = { "tex" };
    perAllocation.priorities = { ResidencyPriority::kHigh, ResidencyPriority::kLow, 7 };
    perAllocation.device = "appDevice";
    perAllocation.queue = "appQueue2";
    perAllocation.flags = D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther | D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed;
    Step perName = make(StepKind::MakeResident);
    perName.names = { "buf", "tex[1]" };
    perName.priorities = { ResidencyPriority::kMinimum, ResidencyPriority::kMaximum };
    perName.flags = 0x80 | D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther; // a reserved bit: written as a number
    std::string text;
    const auto back = checkSteps({ evict, perAllocation, perName }, &text);
    ASSERT_TRUE(back);
    const Step& a = back->steps[3];
    EXPECT_EQ(a.kind, StepKind::MakeResident);
    EXPECT_EQ(a.names, perAllocation.names);
    EXPECT_EQ(a.priorities, perAllocation.priorities);
    EXPECT_EQ(a.device, "appDevice");
    EXPECT_EQ(a.queue, "appQueue2");
    EXPECT_EQ(a.flags, perAllocation.flags);
    const Step& b = back->steps[4];
    EXPECT_EQ(b.names, perName.names);
    EXPECT_EQ(b.priorities, perName.priorities);
    EXPECT_EQ(b.flags, 0x81u);
    EXPECT_EQ(lineOf(text, 3),
        "{ \"makeResident\": \"tex\", \"device\": \"appDevice\", \"queue\": \"appQueue2\", \"flags\": [ "
        "\"CantTrimFurther\", \"MustSucceed\" ], \"priorities\": [ \"HIGH\", \"LOW\", 7 ] }");
    EXPECT_NE(lineOf(text, 4).find("\"flags\": 129"), std::string::npos) << text;
}

TEST(ScenarioWriterStep, Evict)
{
    Step evict = make(StepKind::Evict);
    evict.names = { "tex[1]", "tex[2]" };
    evict.device = "appDevice";
    evict.flags = D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary | D3DDDI_EVICT_FLAGS::kNotWrittenTo;
    std::string text;
    const auto back = checkSteps({ evict }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Evict);
    EXPECT_EQ(back->steps[2].names, evict.names);
    EXPECT_EQ(back->steps[2].device, "appDevice");
    EXPECT_EQ(back->steps[2].flags, evict.flags);
    EXPECT_EQ(lineOf(text, 2),
        "{ \"evict\": [ \"tex[1]\", \"tex[2]\" ], \"flags\": [ \"EvictOnlyIfNecessary\", \"NotWrittenTo\" ], "
        "\"device\": \"appDevice\" }");
}

TEST(ScenarioWriterStep, Offer)
{
    Step byResources = make(StepKind::Offer);
    byResources.names = { "tex" };
    byResources.by = HandleArray::Resources;
    byResources.priority = OfferPriority::High;
    byResources.numAllocations = 7;
    byResources.device = "appDevice";
    Step byAllocations = make(StepKind::Offer);
    byAllocations.names = { "tex[1]", "buf" };
    byAllocations.priority = OfferPriority::Auto;
    byAllocations.flags = D3DKMT_OFFER_FLAGS::kOfferImmediately | D3DKMT_OFFER_FLAGS::kAllowDecommit;
    Step both = make(StepKind::Offer);
    both.names = { "buf" };
    both.by = HandleArray::Both;
    both.priority = static_cast<OfferPriority>(9);
    Step neither = make(StepKind::Offer);
    neither.by = HandleArray::Neither;
    neither.priority = OfferPriority::None;
    neither.numAllocations = 0;
    std::string text;
    const auto back = checkSteps({ byResources, byAllocations, both, neither }, &text);
    ASSERT_TRUE(back);
    const std::vector<Step> originals = { byResources, byAllocations, both, neither };
    for (std::size_t i = 0; i < originals.size(); ++i) {
        const Step& b = back->steps[2 + i];
        EXPECT_EQ(b.kind, StepKind::Offer);
        EXPECT_EQ(b.names, originals[i].names);
        EXPECT_EQ(b.by, originals[i].by);
        EXPECT_EQ(b.priority, originals[i].priority);
        EXPECT_EQ(b.flags, originals[i].flags);
        EXPECT_EQ(b.numAllocations, originals[i].numAllocations);
        EXPECT_EQ(b.device, originals[i].device);
    }
    EXPECT_EQ(lineOf(text, 2),
        "{ \"offer\": \"tex\", \"priority\": \"HIGH\", \"by\": \"resources\", \"numAllocations\": 7, \"device\": "
        "\"appDevice\" }");
    EXPECT_EQ(lineOf(text, 3),
        "{ \"offer\": [ \"tex[1]\", \"buf\" ], \"priority\": \"AUTO\", \"flags\": [ \"OfferImmediately\", "
        "\"AllowDecommit\" ] }");
    EXPECT_EQ(lineOf(text, 4), "{ \"offer\": \"buf\", \"priority\": 9, \"by\": \"both\" }");
    EXPECT_EQ(lineOf(text, 5), "{ \"offer\": [], \"priority\": \"NONE\", \"by\": \"neither\", \"numAllocations\": 0 }");
}

TEST(ScenarioWriterStep, Reclaim)
{
    Step offer = make(StepKind::Offer);
    offer.names = { "tex", "buf" };
    offer.priority = OfferPriority::Low;
    Step version1 = make(StepKind::Reclaim);
    version1.names = { "tex" };
    version1.reclaimVersion = 1;
    version1.by = HandleArray::Resources;
    version1.numAllocations = 2;
    version1.device = "appDevice";
    Step version2 = make(StepKind::Reclaim);
    version2.names = { "tex[1]", "buf" };
    version2.queue = "appQueue2";
    version2.by = HandleArray::Both;
    Step neither = make(StepKind::Reclaim);
    neither.names = { "buf" };
    neither.by = HandleArray::Neither;
    neither.numAllocations = 0;
    Step plain = make(StepKind::Reclaim);
    plain.names = { "buf" };
    std::string text;
    const auto back = checkSteps({ offer, version1, version2, neither, plain }, &text);
    ASSERT_TRUE(back);
    const std::vector<Step> originals = { version1, version2, neither, plain };
    for (std::size_t i = 0; i < originals.size(); ++i) {
        const Step& b = back->steps[3 + i];
        EXPECT_EQ(b.kind, StepKind::Reclaim);
        EXPECT_EQ(b.names, originals[i].names);
        EXPECT_EQ(b.reclaimVersion, originals[i].reclaimVersion);
        EXPECT_EQ(b.by, originals[i].by);
        EXPECT_EQ(b.numAllocations, originals[i].numAllocations);
        EXPECT_EQ(b.device, originals[i].device);
        EXPECT_EQ(b.queue, originals[i].queue);
    }
    EXPECT_EQ(lineOf(text, 3),
        "{ \"reclaim\": \"tex\", \"version\": 1, \"by\": \"resources\", \"numAllocations\": 2, \"device\": "
        "\"appDevice\" }");
    EXPECT_EQ(lineOf(text, 4), "{ \"reclaim\": [ \"tex[1]\", \"buf\" ], \"queue\": \"appQueue2\", \"by\": \"both\" }");
    EXPECT_EQ(lineOf(text, 6), "{ \"reclaim\": \"buf\" }");
}

TEST(ScenarioWriterStep, SetPriority)
{
    Step named = make(StepKind::SetPriority);
    named.names = { "tex[0]", "buf" };
    named.residencyPriority = ResidencyPriority::kMinimum;
    Step numeric = make(StepKind::SetPriority);
    numeric.names = { "tex" };
    numeric.residencyPriority = 12345;
    numeric.device = "appDevice";
    std::string text;
    const auto back = checkSteps({ named, numeric }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::SetPriority);
    EXPECT_EQ(back->steps[2].names, named.names);
    EXPECT_EQ(back->steps[2].residencyPriority, ResidencyPriority::kMinimum);
    EXPECT_EQ(back->steps[3].residencyPriority, 12345u);
    EXPECT_EQ(back->steps[3].device, "appDevice");
    EXPECT_EQ(lineOf(text, 2), "{ \"setPriority\": [ \"tex[0]\", \"buf\" ], \"residency\": \"MINIMUM\" }");
    EXPECT_EQ(lineOf(text, 3), "{ \"setPriority\": \"tex\", \"residency\": 12345, \"device\": \"appDevice\" }");
}

TEST(ScenarioWriterStep, Pressure)
{
    Step aperture = make(StepKind::Pressure);
    aperture.process = "Other";
    aperture.segment = 1;
    aperture.bytes = 3 * kGiB;
    Step vram = make(StepKind::Pressure);
    vram.process = "Other";
    vram.bytes = 4 * kGiB - 100 * kMiB;
    std::string text;
    const auto back = checkSteps({ aperture, vram }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Pressure);
    EXPECT_EQ(back->steps[2].process, "Other");
    EXPECT_EQ(back->steps[2].segment, 1u);
    EXPECT_EQ(back->steps[2].bytes, 3 * kGiB);
    EXPECT_EQ(back->steps[3].segment, 0u);
    EXPECT_EQ(back->steps[3].bytes, 4 * kGiB - 100 * kMiB);
    EXPECT_EQ(lineOf(text, 2), "{ \"pressure\": \"Other\", \"segment\": \"Aperture\", \"size\": \"3 GiB\" }");
    EXPECT_EQ(lineOf(text, 3), "{ \"pressure\": \"Other\", \"size\": \"3996 MiB\" }");
}

TEST(ScenarioWriterStep, Budget)
{
    Step nonLocal = make(StepKind::Budget);
    nonLocal.process = "App";
    nonLocal.group = MemorySegmentGroup::NonLocal;
    nonLocal.bytes = 0;
    Step local = make(StepKind::Budget);
    local.process = "Other";
    local.bytes = 2 * kGiB;
    std::string text;
    const auto back = checkSteps({ nonLocal, local }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Budget);
    EXPECT_EQ(back->steps[2].process, "App");
    EXPECT_EQ(back->steps[2].group, MemorySegmentGroup::NonLocal);
    EXPECT_EQ(back->steps[2].bytes, 0u);
    EXPECT_EQ(back->steps[3].group, MemorySegmentGroup::Local);
    EXPECT_EQ(back->steps[3].bytes, 2 * kGiB);
    EXPECT_EQ(lineOf(text, 2), "{ \"budget\": \"App\", \"group\": \"nonLocal\", \"size\": 0 }");
    EXPECT_EQ(lineOf(text, 3), "{ \"budget\": \"Other\", \"size\": \"2 GiB\" }");
}

TEST(ScenarioWriterStep, Reserve)
{
    Step local = make(StepKind::Reserve);
    local.process = "App";
    local.bytes = 256 * kMiB;
    Step nonLocal = make(StepKind::Reserve);
    nonLocal.process = "Other";
    nonLocal.group = MemorySegmentGroup::NonLocal;
    nonLocal.bytes = kGiB + kKiB;
    const auto back = checkSteps({ local, nonLocal });
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Reserve);
    EXPECT_EQ(back->steps[2].process, "App");
    EXPECT_EQ(back->steps[2].group, MemorySegmentGroup::Local);
    EXPECT_EQ(back->steps[2].bytes, 256 * kMiB);
    EXPECT_EQ(back->steps[3].group, MemorySegmentGroup::NonLocal);
    EXPECT_EQ(back->steps[3].bytes, kGiB + kKiB);
}

TEST(ScenarioWriterStep, Trim)
{
    Step offer = make(StepKind::Offer);
    offer.names = { "tex" };
    offer.priority = OfferPriority::Low;
    offer.flags = D3DKMT_OFFER_FLAGS::kAllowDecommit;
    Step trim = make(StepKind::Trim);
    trim.process = "App";
    trim.bytes = 64 * kMiB;
    trim.flags = D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy | D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed;
    Step reserved = make(StepKind::Trim);
    reserved.process = "Other";
    reserved.bytes = 1;
    reserved.flags = 4;
    std::string text;
    const auto back = checkSteps({ offer, trim, reserved }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[3].kind, StepKind::Trim);
    EXPECT_EQ(back->steps[3].process, "App");
    EXPECT_EQ(back->steps[3].bytes, 64 * kMiB);
    EXPECT_EQ(back->steps[3].flags, trim.flags);
    EXPECT_EQ(back->steps[4].flags, 4u);
    EXPECT_EQ(back->steps[4].bytes, 1u);
    EXPECT_EQ(
        lineOf(text, 3), "{ \"trim\": \"App\", \"size\": \"64 MiB\", \"flags\": [ \"Lazy\", \"OnlyRepurposed\" ] }");
    EXPECT_EQ(lineOf(text, 4), "{ \"trim\": \"Other\", \"size\": 1, \"flags\": 4 }");
}

TEST(ScenarioWriterStep, SystemPressure)
{
    Step pressure = make(StepKind::SystemPressure);
    pressure.bytes = kGiB + 1;
    std::string text;
    const auto back = checkSteps({ pressure }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::SystemPressure);
    EXPECT_EQ(back->steps[2].bytes, kGiB + 1);
    EXPECT_EQ(lineOf(text, 2), "{ \"systemPressure\": 1073741825 }");
}

TEST(ScenarioWriterStep, Policy)
{
    // A policy step holds the whole policy after it; the file says what changes.
    Step first = make(StepKind::Policy);
    first.policy.withinPriorityOrder = sim::WithinPriorityOrder::SmallestFirst;
    first.policy.reclaim2Output = sim::ReclaimOutput::DiscardedFlags;
    Step second = make(StepKind::Policy);
    second.policy = first.policy;
    second.policy.pagingBytesPerMicrosecond = 1000;
    second.policy.rejectRedundantCalls = false;
    Step reset = make(StepKind::Policy); // back to the defaults
    std::string text;
    const auto back = checkSteps({ first, second, reset }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Policy);
    EXPECT_EQ(back->steps[2].policy, first.policy);
    EXPECT_EQ(back->steps[3].policy, second.policy);
    EXPECT_EQ(back->steps[4].policy, sim::SimPolicy {});
    EXPECT_EQ(lineOf(text, 2),
        "{ \"policy\": { \"withinPriorityOrder\": \"smallest-first\", \"reclaim2Output\": \"discarded\" } }");
    EXPECT_EQ(
        lineOf(text, 3), "{ \"policy\": { \"rejectRedundantCalls\": false, \"pagingBytesPerMicrosecond\": 1000 } }");
}

TEST(ScenarioWriterStep, Verifier)
{
    Step first = make(StepKind::Verifier);
    first.verifier.alwaysDiscardOffer = true;
    first.verifier.alwaysProcessOfferList = true;
    Step second = make(StepKind::Verifier);
    second.verifier.neverDiscardOffer = true;
    second.verifier.alwaysDecommitOffer = true;
    std::string text;
    const auto back = checkSteps({ first, second }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::Verifier);
    EXPECT_EQ(back->steps[2].verifier, first.verifier);
    EXPECT_EQ(back->steps[3].verifier, second.verifier);
    EXPECT_EQ(lineOf(text, 3),
        "{ \"verifier\": { \"alwaysDiscardOffer\": false, \"neverDiscardOffer\": true, \"alwaysDecommitOffer\": true, "
        "\"alwaysProcessOfferList\": false } }");
}

TEST(ScenarioWriterStep, ProcessVerifier)
{
    Step on = make(StepKind::ProcessVerifier);
    on.process = "App";
    on.processVerifier.alwaysFailCommitOnReclaim = true;
    on.processVerifier.budgetRestriction[0] = 512 * kMiB;
    on.processVerifier.budgetRestriction[1] = kGiB;
    Step off = make(StepKind::ProcessVerifier);
    off.process = "Other";
    std::string text;
    const auto back = checkSteps({ on, off }, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps[2].kind, StepKind::ProcessVerifier);
    EXPECT_EQ(back->steps[2].process, "App");
    EXPECT_EQ(back->steps[2].processVerifier, on.processVerifier);
    EXPECT_EQ(back->steps[3].process, "Other");
    EXPECT_EQ(back->steps[3].processVerifier, sim::ProcessVerifier {});
    EXPECT_EQ(lineOf(text, 2),
        "{ \"processVerifier\": { \"process\": \"App\", \"alwaysFailCommitOnReclaim\": true, \"budgetRestriction\": { "
        "\"local\": \"512 MiB\", \"nonLocal\": \"1 GiB\" } } }");
    EXPECT_EQ(lineOf(text, 3), "{ \"processVerifier\": { \"process\": \"Other\" } }");
}

TEST(ScenarioWriterStep, ExpectEveryKindInOneStep)
{
    Step offer = make(StepKind::Offer);
    offer.names = { "tex[1]" };
    offer.priority = OfferPriority::Normal;
    Step reclaim = make(StepKind::Reclaim);
    reclaim.names = { "tex", "buf" };
    // Built in an order no file has: the parser groups them (status, results, states, totals).
    Step expect = make(StepKind::Expect);
    Expectation state = expectation(Expectation::Kind::State, "tex[1]");
    state.state = sim::AllocationState::Resident;
    Expectation status = expectation(Expectation::Kind::Status);
    status.status = NtStatus::InvalidParameter;
    Expectation okResult = expectation(Expectation::Kind::Result, "tex[1]");
    Expectation notCommitted = expectation(Expectation::Kind::Result, "buf");
    notCommitted.result = ReclaimResult::NotCommitted;
    Expectation vramCommitted = expectation(Expectation::Kind::SegmentTotal, "VRAM");
    vramCommitted.field = "committed";
    vramCommitted.bytes = 208 * kMiB;
    Expectation apertureFree = expectation(Expectation::Kind::SegmentTotal, "Aperture");
    apertureFree.field = "free";
    apertureFree.bytes = 8 * kGiB;
    Expectation vramOffered = expectation(Expectation::Kind::SegmentTotal, "VRAM");
    vramOffered.field = "offered";
    vramOffered.bytes = 0;
    Expectation localUsage = expectation(Expectation::Kind::ProcessTotal, "App");
    localUsage.field = "usage";
    localUsage.bytes = 208 * kMiB;
    Expectation nonLocalBudget = expectation(Expectation::Kind::ProcessTotal, "App");
    nonLocalBudget.group = MemorySegmentGroup::NonLocal;
    nonLocalBudget.field = "budget";
    nonLocalBudget.bytes = 1;
    Expectation decommittable = expectation(Expectation::Kind::ProcessTotal, "Other");
    decommittable.field = "decommittable";
    decommittable.bytes = 0;
    Expectation bufState = expectation(Expectation::Kind::State, "buf");
    bufState.state = sim::AllocationState::Offered;
    expect.expectations = { state, status, okResult, notCommitted, vramCommitted, apertureFree, vramOffered, localUsage,
        nonLocalBudget, decommittable, bufState };

    Scenario s = world();
    add(s, offer);
    add(s, reclaim);
    add(s, expect);
    std::string text;
    const auto back = roundTrip(s, &text);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->steps.size(), s.steps.size()) << "one expect step stays one\n" << text;
    const Step& b = back->steps.back();
    EXPECT_EQ(b.kind, StepKind::Expect);
    EXPECT_EQ(sortedExpectations({ b }), sortedExpectations({ expect }));
    EXPECT_EQ(lineOf(text, 4),
        "{ \"expect\": { \"status\": \"STATUS_INVALID_PARAMETER\", \"results\": { \"buf\": \"NOT_COMMITTED\", "
        "\"tex[1]\": \"OK\" }, \"states\": { \"buf\": \"Offered\", \"tex[1]\": \"Resident\" }, \"segment\": [ { "
        "\"name\": \"VRAM\", \"committed\": \"208 MiB\", \"offered\": 0 }, { \"name\": \"Aperture\", \"free\": \"8 "
        "GiB\" } ], \"process\": [ { \"name\": \"App\", \"usage\": \"208 MiB\" }, { \"name\": \"App\", \"group\": "
        "\"nonLocal\", \"budget\": 1 }, { \"name\": \"Other\", \"decommittable\": 0 } ] } }");
    const RunResult original = run(s);
    const RunResult reread = run(*back);
    EXPECT_EQ(original.checked, 11u);
    EXPECT_EQ(reread.checked, 11u);
    EXPECT_EQ(original.failed, reread.failed);
    EXPECT_EQ(original.state, reread.state);
    EXPECT_EQ(original.events, reread.events);
}

TEST(ScenarioWriterStep, ExpectEveryStatusResultStateAndFigure)
{
    std::vector<Step> steps;
    auto one = [&steps](Expectation e) {
        Step expect = make(StepKind::Expect);
        expect.expectations = { e };
        steps.push_back(expect);
    };
    for (NtStatus status : { NtStatus::Success, NtStatus::Pending, NtStatus::InvalidHandle, NtStatus::InvalidParameter,
             NtStatus::NoMemory, NtStatus::BufferTooSmall, NtStatus::NotSupported, NtStatus::DeviceRemoved }) {
        Expectation e = expectation(Expectation::Kind::Status);
        e.status = status;
        one(e);
    }
    for (ReclaimResult result : { ReclaimResult::Ok, ReclaimResult::Discarded, ReclaimResult::NotCommitted }) {
        Expectation e = expectation(Expectation::Kind::Result, "tex[2]");
        e.result = result;
        one(e);
    }
    for (int k = 0; k < sim::kAllocationStateCount; ++k) {
        Expectation e = expectation(Expectation::Kind::State, "tex");
        e.state = static_cast<sim::AllocationState>(k);
        one(e);
    }
    Step figures = make(StepKind::Expect);
    std::uint64_t bytes = 0;
    for (const char* field : { "committed", "resident", "inUse", "offered", "offeredLow", "offeredNormal",
             "offeredHigh", "offeredAuto", "evicted", "discarded", "decommitted", "free" }) {
        Expectation e = expectation(Expectation::Kind::SegmentTotal, "Aperture");
        e.field = field;
        e.bytes = bytes++ * kMiB;
        figures.expectations.push_back(e);
    }
    for (const char* field : { "budget", "decommittable", "usage" }) {
        Expectation e = expectation(Expectation::Kind::ProcessTotal, "Other");
        e.group = MemorySegmentGroup::NonLocal;
        e.field = field;
        e.bytes = bytes++ * kKiB;
        figures.expectations.push_back(e);
    }
    // Sorted by field, as the parser reads an object's keys, so the step comes back in the same order.
    std::sort(figures.expectations.begin(), figures.expectations.end(), [](const Expectation& a, const Expectation& b) {
        return std::tie(a.kind, a.field) < std::tie(b.kind, b.field);
    });
    steps.push_back(figures);
    const auto back = checkSteps(steps);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->steps.back().expectations.size(), 15u);
}

TEST(ScenarioWriterStep, ExpectationsThatCannotShareAnObjectBecomeSeveralExpectSteps)
{
    // JSON has one value per key: a second status, or one name checked twice, goes to the next expect
    // step. They check the same things, so the run counts and results are the same.
    Step expect = make(StepKind::Expect);
    Expectation success = expectation(Expectation::Kind::Status);
    Expectation pending = expectation(Expectation::Kind::Status);
    pending.status = NtStatus::Pending;
    Expectation resident = expectation(Expectation::Kind::State, "tex");
    Expectation offered = expectation(Expectation::Kind::State, "tex");
    offered.state = sim::AllocationState::Offered;
    expect.expectations = { success, pending, resident, offered };
    Scenario s = world();
    add(s, expect);
    std::string text;
    const auto back = roundTrip(s, &text);
    ASSERT_TRUE(back);
    ASSERT_EQ(back->steps.size(), s.steps.size() + 1) << text;
    EXPECT_EQ(
        lineOf(text, 2), "{ \"expect\": { \"status\": \"STATUS_SUCCESS\", \"states\": { \"tex\": \"Resident\" } } }");
    EXPECT_EQ(
        lineOf(text, 3), "{ \"expect\": { \"status\": \"STATUS_PENDING\", \"states\": { \"tex\": \"Offered\" } } }");
    EXPECT_EQ(sortedExpectations({ back->steps[2], back->steps[3] }), sortedExpectations({ expect }));
    const RunResult original = run(s);
    const RunResult reread = run(*back);
    EXPECT_EQ(original.checked, 4u);
    EXPECT_EQ(reread.checked, 4u);
    EXPECT_EQ(original.failed, 2u);
    EXPECT_EQ(reread.failed, 2u);
    EXPECT_EQ(original.state, reread.state);
}

// ---- the world ---------------------------------------------------------------------------------------

TEST(ScenarioWriter, NonDefaultWorldRoundTrips)
{
    Scenario s;
    s.title = "A \"custom\" world";
    s.description = "Two lines:\nthe second.";
    s.adapter.name = "Adapter"; // the parser's default name: left out
    sim::SegmentConfig vram { "VRAM", 3 * kGiB / 2, MemorySegmentGroup::Local, false };
    sim::SegmentConfig window { "Window", 256 * kMiB, MemorySegmentGroup::Local, true };
    sim::SegmentConfig system { "System", 2 * kGiB, MemorySegmentGroup::NonLocal, false };
    sim::SegmentConfig aperture { "Aperture", 4 * kGiB, MemorySegmentGroup::NonLocal, true };
    s.adapter.segments = { vram, window, system, aperture };
    s.policy.withinPriorityOrder = sim::WithinPriorityOrder::LargestFirst;
    s.policy.rejectRedundantCalls = false;
    s.policy.offeredCountsInUsage = false;
    s.policy.enforceBudgetOnShrink = false;
    s.policy.reclaim2Output = sim::ReclaimOutput::DiscardedFlags;
    s.policy.pagingBytesPerMicrosecond = 4096;
    s.policy.reservablePercentOfBudget = 75;
    s.verifier.alwaysDiscardOffer = true;
    s.verifier.alwaysDecommitOffer = true;
    ProcessSpec game;
    game.name = "Game";
    game.budget[0] = kGiB;
    game.budget[1] = 3 * kGiB;
    game.verifier.alwaysFailCommitOnReclaim = true;
    game.verifier.budgetRestriction[0] = 512 * kMiB;
    game.devices = { device("gameDevice", { "gameQueue", "copyQueue" }), device("uiDevice") };
    ProcessSpec browser;
    browser.name = "Browser";
    browser.budget[1] = 0;
    browser.verifier.budgetRestriction[1] = 100 * kMiB;
    browser.devices = { device("browserDevice") };
    ProcessSpec idle;
    idle.name = "Idle";
    s.processes = { game, browser, idle };
    Step create = make(StepKind::Create);
    create.name = "frame";
    create.device = "gameDevice";
    create.bytes = 700 * kMiB;
    create.segment = 1;
    add(s, create);
    Step offer = make(StepKind::Offer);
    offer.names = { "frame" };
    offer.priority = OfferPriority::Low;
    add(s, offer);
    Step reclaim = make(StepKind::Reclaim);
    reclaim.names = { "frame" };
    reclaim.queue = "copyQueue";
    add(s, reclaim);

    std::string text;
    const auto back = roundTrip(s, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(describe(*back), describe(s));
    EXPECT_EQ(back->title, s.title);
    EXPECT_EQ(back->description, s.description);
    EXPECT_EQ(back->policy, s.policy);
    EXPECT_EQ(back->verifier, s.verifier);
    ASSERT_EQ(back->processes.size(), 3u);
    EXPECT_EQ(back->processes[0].budget[0], std::optional<std::uint64_t>(kGiB));
    EXPECT_EQ(back->processes[0].budget[1], std::optional<std::uint64_t>(3 * kGiB));
    EXPECT_EQ(back->processes[0].verifier, game.verifier);
    EXPECT_EQ(back->processes[1].budget[0], std::nullopt);
    EXPECT_EQ(back->processes[1].budget[1], std::optional<std::uint64_t>(0));
    EXPECT_EQ(back->processes[1].verifier, browser.verifier);
    EXPECT_EQ(back->processes[2].budget[0], std::nullopt);
    EXPECT_TRUE(back->processes[2].devices.empty());
    EXPECT_EQ(back->processes[0].devices[0].pagingQueues, (std::vector<std::string> { "gameQueue", "copyQueue" }));
    ASSERT_EQ(back->adapter.segments.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(back->adapter.segments[i].name, s.adapter.segments[i].name);
        EXPECT_EQ(back->adapter.segments[i].size, s.adapter.segments[i].size);
        EXPECT_EQ(back->adapter.segments[i].group, s.adapter.segments[i].group);
        EXPECT_EQ(back->adapter.segments[i].aperture, s.adapter.segments[i].aperture);
    }
    expectSameRun(s, *back);

    for (const char* written : {
             "  \"title\": \"A \\\"custom\\\" world\",\n",
             "  \"description\": \"Two lines:\\nthe second.\",\n",
             "  \"adapter\": {\n    \"segments\": [\n      { \"name\": \"VRAM\", \"size\": \"1.5 GiB\" },\n",
             "      { \"name\": \"Window\", \"size\": \"256 MiB\", \"aperture\": true },\n",
             "      { \"name\": \"System\", \"size\": \"2 GiB\", \"group\": \"nonLocal\", \"aperture\": false },\n",
             "      { \"name\": \"Aperture\", \"size\": \"4 GiB\", \"group\": \"nonLocal\" }\n    ]\n  },\n",
             "  \"policy\": { \"withinPriorityOrder\": \"largest-first\", \"rejectRedundantCalls\": false, "
             "\"offeredCountsInUsage\": false, \"enforceBudgetOnShrink\": false, \"reclaim2Output\": \"discarded\", "
             "\"pagingBytesPerMicrosecond\": 4096, \"reservablePercentOfBudget\": 75 },\n",
             "  \"verifier\": { \"alwaysDiscardOffer\": true, \"alwaysDecommitOffer\": true },\n",
             "    { \"name\": \"Game\", \"budget\": { \"local\": \"1 GiB\", \"nonLocal\": \"3 GiB\" }, \"verifier\": { "
             "\"alwaysFailCommitOnReclaim\": true, \"budgetRestriction\": { \"local\": \"512 MiB\" } }, \"devices\": [ "
             "{ \"name\": \"gameDevice\", \"pagingQueues\": [ \"gameQueue\", \"copyQueue\" ] }, \"uiDevice\" ] },\n",
             "    { \"name\": \"Browser\", \"budget\": { \"nonLocal\": 0 }, \"verifier\": { \"budgetRestriction\": { "
             "\"nonLocal\": \"100 MiB\" } }, \"devices\": [ \"browserDevice\" ] },\n",
             "    { \"name\": \"Idle\" }\n",
             "    { \"create\": \"frame\", \"device\": \"gameDevice\", \"size\": \"700 MiB\", \"segment\": \"Window\" "
             "},\n",
         })
        EXPECT_NE(text.find(written), std::string::npos) << written << "\nnot in\n" << text;
}

TEST(ScenarioWriter, APresetAdapterIsWrittenByName)
{
    for (const std::string& name : sim::adapterPresetNames()) {
        Scenario s = world();
        s.adapter = *sim::adapterPreset(name);
        std::string text;
        const auto back = roundTrip(s, &text);
        ASSERT_TRUE(back);
        EXPECT_NE(text.find("  \"adapter\": \"" + name + "\",\n"), std::string::npos) << text;
        EXPECT_EQ(describe(*back), describe(s));
    }
    // A preset with one change is no longer the preset.
    Scenario s = world();
    s.adapter.segments[0].size += kMiB;
    std::string text;
    const auto back = roundTrip(s, &text);
    ASSERT_TRUE(back);
    EXPECT_EQ(text.find("\"adapter\": \"discrete\""), std::string::npos);
    EXPECT_NE(text.find("\"name\": \"Simulated discrete GPU (4 GiB)\""), std::string::npos) << text;
    EXPECT_EQ(describe(*back), describe(s));
}

TEST(ScenarioWriter, DefaultsAreLeftOut)
{
    const std::string text = writeScenario(world());
    EXPECT_EQ(text,
        "{\n"
        "  \"adapter\": \"discrete\",\n"
        "  \"processes\": [\n"
        "    { \"name\": \"App\", \"devices\": [ { \"name\": \"appDevice\", \"pagingQueues\": [ \"appQueue\", "
        "\"appQueue2\" ] }, \"appDevice2\" ] },\n"
        "    { \"name\": \"Other\", \"devices\": [ \"otherDevice\" ] }\n"
        "  ],\n"
        "  \"steps\": [\n"
        "    { \"create\": \"tex\", \"device\": \"appDevice\", \"size\": \"64 MiB\", \"allocations\": 3 },\n"
        "    { \"create\": \"buf\", \"device\": \"appDevice2\", \"size\": \"16 MiB\" }\n"
        "  ]\n"
        "}\n");
}

TEST(ScenarioWriter, SizesAreReadableWhereExactAndAlwaysParseBackToTheSameBytes)
{
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::vector<std::pair<std::uint64_t, std::string>> cases = {
        { 0, "0" },
        { 1, "1" },
        { 1023, "1023" },
        { 1024, "\"1 KiB\"" },
        { 1025, "1025" },
        { 1536, "\"1.5 KiB\"" },
        { 1153434, "1153434" }, // formatBytes says "1.1 MiB", which would be 1153433.6 bytes
        { 64 * kMiB, "\"64 MiB\"" },
        { 1792 * kMiB, "\"1792 MiB\"" },
        { 3 * kGiB / 2, "\"1.5 GiB\"" },
        { 5 * 1024 * kGiB, "\"5 TiB\"" },
        { 5 * 1024 * kGiB + 512 * kGiB, "\"5.5 TiB\"" },
        // "16777215.5 TiB" would be exact, but parseBytes reads fractions only up to 2^63 bytes: the
        // writer notices that the text does not parse back and takes the next exact form.
        { max - (1ULL << 39) + 1, "\"17179868672 GiB\"" },
        { max - kGiB + 1, "\"17179869183 GiB\"" }, // formatBytes says "16777216.0 TiB"
        { kGiB + kKiB, "\"1048577 KiB\"" },
        { max, std::to_string(max) },
    };
    Scenario s = world();
    for (const auto& [bytes, written] : cases) {
        Step budget = make(StepKind::Budget);
        budget.process = "Other";
        budget.bytes = bytes;
        add(s, budget);
    }
    std::string text;
    const auto back = roundTrip(s, &text);
    ASSERT_TRUE(back);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(back->steps[2 + i].bytes, cases[i].first) << cases[i].second;
        EXPECT_EQ(lineOf(text, 2 + i), "{ \"budget\": \"Other\", \"size\": " + cases[i].second + " }");
    }
}

// ---- what the parser gained for the writer keeps its checks ----------------------------------------

TEST(ScenarioWriter, ParserAdditionsStillRejectBadInput)
{
    auto errorOf = [](const std::string& steps) {
        const std::string text = "{ \"adapter\": \"discrete\", \"processes\": [ { \"name\": \"App\", \"devices\": [ "
                                 "\"dev\" ] } ], \"steps\": [ { \"create\": \"tex\", \"device\": \"dev\", \"size\": "
                                 "\"1MiB\", \"allocations\": 3 }, "
            + steps + " ] }";
        const Result<Scenario> parsed = parseScenario(text, "t.jsonc");
        EXPECT_FALSE(parsed) << steps;
        EXPECT_EQ(parsed.status(), NtStatus::DataError) << steps;
        return parsed.message().substr(parsed.message().find(": ") + 2);
    };
    // Neither one per name (1) nor one per allocation (3).
    EXPECT_EQ(errorOf("{ \"makeResident\": \"tex\", \"priorities\": [ \"LOW\", \"LOW\" ] }"),
        "priorities is a list with one residency priority per name or per allocation");
    EXPECT_EQ(errorOf("{ \"lock\": \"tex[0]\", \"device\": \"nope\" }"), "unknown device 'nope'");
    EXPECT_EQ(errorOf("{ \"setPriority\": \"tex\", \"residency\": \"LOW\", \"device\": 3 }"),
        "expected a string, found a number");
    EXPECT_EQ(errorOf("{ \"expect\": { \"segment\": [ { \"name\": \"VRAM\", \"free\": 0 }, { \"free\": 0 } ] } }"),
        "a segment total is { \"name\": segment, \"offered\": size, ... }");
    EXPECT_EQ(errorOf("{ \"expect\": { \"process\": [ { \"name\": \"Nobody\", \"usage\": 0 } ] } }"),
        "unknown process 'Nobody'");
    EXPECT_EQ(errorOf("{ \"expect\": { \"segment\": [] } }"), "an expect step needs at least one expectation");
    // Sizes and durations from 2^63 on are read as the unsigned numbers they are; negatives stay errors.
    EXPECT_EQ(errorOf("{ \"systemPressure\": -5 }"), "a size must not be negative");
    EXPECT_EQ(errorOf("{ \"advance\": -5 }"), "a duration must not be negative");
    Result<Scenario> parsed
        = parseScenario("{ \"processes\": [ { \"name\": \"App\" } ], \"steps\": [ { \"systemPressure\": "
                        "18446744073709551615 }, { \"advance\": 9223372036854775808 } ] }",
            "t.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    Scenario s = parsed.take();
    EXPECT_EQ(s.steps[0].bytes, std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(s.steps[1].microseconds, 1ULL << 63);
}
