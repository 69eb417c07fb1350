// SPDX-License-Identifier: GPL-3.0-or-later
// A live source as the views see it: steps run on the live source and on the model, probe states
// follow the driver's answers, differences and expectations are the driver's.

#include "core/Units.h"
#include "core/live/LiveWorld.h"
#include "core/scenario/ScenarioParser.h"
#include "tests/core/FakeDriver.h"
#include "tests/core/FakeDxg.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <thread>

using namespace offerscope;
using namespace offerscope::live;
using offerscope::live::testing::FakeDriver;
using offerscope::live::testing::FakeDxg;

namespace {

scenario::Scenario lesson(const char* name)
{
    Result<scenario::Scenario> read
        = scenario::readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/" + name);
    EXPECT_TRUE(read) << read.message();
    return read.take();
}

/// Steps as a person would take them, one after the other, on the program's device "probes".
std::vector<scenario::Step> actions(const std::string& json)
{
    const std::string text = R"({ "adapter": { "segments": [ { "name": "VRAM", "size": "1GiB" } ] },
        "processes": [ { "name": "p", "devices": [ "probes" ] } ], "steps": [ )"
        + json + " ] }";
    Result<scenario::Scenario> parsed = scenario::parseScenario(text, "actions.jsonc");
    EXPECT_TRUE(parsed) << parsed.message();
    return parsed.take().steps;
}

const sim::AllocationSummary* row(const LiveWorld& world, D3DKMT_HANDLE handle, std::vector<sim::AllocationSummary>& rows)
{
    world.allocationSummaries(rows);
    auto it = std::find_if(rows.begin(), rows.end(), [handle](const auto& r) { return r.handle == handle; });
    return it == rows.end() ? nullptr : &*it;
}

std::vector<ReclaimResult> liveReclaimResults(const LiveWorld& world)
{
    std::vector<ReclaimResult> out;
    const events::EventLog& log = world.backend().eventLog();
    for (std::uint64_t seq = 1; seq <= log.lastSeq(); ++seq)
        if (const events::Event* e = log.bySeq(seq); e != nullptr && e->kind == events::EventKind::Reclaimed && e->result)
            out.push_back(*e->result);
    return out;
}

} // namespace

TEST(LiveWorld, ALessonRunsOnADriverThatFollowsTheRules)
{
    LiveWorld world(std::make_unique<FakeDriver>(), lesson("01-first-offer-and-reclaim.jsonc"));
    ASSERT_TRUE(world.adapter());
    EXPECT_EQ(world.adapterConfig().segments.size(), 1u) << "the model takes the live adapter's segments";
    while (world.stepForward()) { }
    EXPECT_EQ(world.records().size(), world.stepCount());
    EXPECT_EQ(world.timeline().size(), world.stepCount() + 1);
    for (const LiveStepRecord& r : world.records()) {
        EXPECT_EQ(r.difference, "") << "step " << r.step + 1;
        EXPECT_TRUE(r.expectationFailures.empty()) << r.expectationFailures.front();
    }
    // The budget step is the operating system's: it ran on the model only, and says so.
    const auto budget = std::find_if(world.records().begin(), world.records().end(), [](const auto& r) { return !r.ran; });
    ASSERT_NE(budget, world.records().end());
    EXPECT_NE(budget->notRun.find("'budget' does not run on a live source: budgets are the operating system's"),
        std::string::npos)
        << budget->notRun;
    // States and segment totals are the model's bookkeeping: skipped on the live side, not failed.
    std::size_t skipped = 0;
    for (const LiveStepRecord& r : world.records())
        skipped += r.expectationsSkipped;
    EXPECT_GT(skipped, 0u);
    // The driver's own answers, as it logged them: OK, then DISCARDED after the filler's pressure.
    EXPECT_EQ(liveReclaimResults(world), (std::vector { ReclaimResult::Ok, ReclaimResult::Discarded }));
    std::vector<sim::AllocationSummary> rows;
    world.allocationSummaries(rows);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(world.allocationName(rows[0].handle), "menu");
    EXPECT_EQ(rows[0].state, sim::AllocationState::Resident);
}

TEST(LiveWorld, ADriverUnlikeTheModelShowsWhereTheyDiffer)
{
    sim::VerifierSwitches neverDiscards;
    neverDiscards.neverDiscardOffer = true;
    LiveWorld world(std::make_unique<FakeDriver>(kGiB, neverDiscards), lesson("01-first-offer-and-reclaim.jsonc"));
    while (world.stepForward()) { }
    EXPECT_EQ(liveReclaimResults(world), (std::vector { ReclaimResult::Ok, ReclaimResult::Ok }));
    std::vector<std::string> differences, failures;
    for (const LiveStepRecord& r : world.records()) {
        if (!r.difference.empty())
            differences.push_back(r.difference);
        failures.insert(failures.end(), r.expectationFailures.begin(), r.expectationFailures.end());
    }
    // The filler finds no room (the driver keeps the offer), and the reclaim finds the content kept.
    ASSERT_EQ(differences.size(), 2u);
    EXPECT_EQ(differences[0], "the driver answered STATUS_NO_MEMORY, the model predicted STATUS_SUCCESS");
    EXPECT_EQ(differences[1], "the driver answered STATUS_SUCCESS menu=OK, the model predicted STATUS_SUCCESS menu=DISCARDED");
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_NE(failures[0].find("01-first-offer-and-reclaim.jsonc:"), std::string::npos) << failures[0];
    EXPECT_NE(failures[0].find("expected DISCARDED for 'menu', but the driver gave OK"), std::string::npos) << failures[0];
}

TEST(LiveWorld, ActionsFollowTheProbesThroughTheDriversAnswers)
{
    LiveWorld world(std::make_unique<FakeDriver>(), {});
    EXPECT_EQ(world.timeline().size(), 1u);
    const std::vector<scenario::Step> steps = actions(R"({ "create": "a", "device": "probes", "size": "64MiB" },
        { "create": "b", "device": "probes", "size": "32MiB", "allocations": 2 }, { "offer": "a", "priority": "LOW" },
        { "reclaim": "a" }, { "gpu": "a", "duration": "1ms" })");
    ASSERT_EQ(steps.size(), 5u);
    EXPECT_EQ(world.applyStep(steps[0]).live.status, NtStatus::Success);
    world.applyStep(steps[1]);
    world.applyStep(steps[2]);
    std::vector<sim::AllocationSummary> rows;
    world.allocationSummaries(rows);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(world.allocationName(rows[1].handle), "b[0]");
    const D3DKMT_HANDLE a = rows[0].handle;
    ASSERT_NE(row(world, a, rows), nullptr);
    EXPECT_EQ(row(world, a, rows)->state, sim::AllocationState::Offered);
    EXPECT_EQ(row(world, a, rows)->requestedPriority, OfferPriority::Low);
    EXPECT_EQ(world.discardOrder(0, sim::OfferLevel::Low), std::vector<D3DKMT_HANDLE> { a });
    EXPECT_TRUE(world.discardOrder(0, sim::OfferLevel::Normal).empty());
    // The segment as the driver reports it (128 MiB committed), with the program's offers in it.
    const session::SegmentSample& now = world.timeline().back().segments.at(0);
    EXPECT_EQ(now.size, kGiB);
    EXPECT_EQ(now.offered[1], 64 * kMiB);
    EXPECT_EQ(now.inUse, 64 * kMiB);
    EXPECT_EQ(now.free, kGiB - 128 * kMiB);
    // A reclaim brings it back; the reclaim result is the driver's.
    // A copy: the record apply() returns lives in a vector that the next apply() may move (ASan).
    const LiveStepRecord reclaim = world.applyStep(steps[3]);
    ASSERT_EQ(reclaim.live.results.size(), 1u);
    EXPECT_EQ(reclaim.live.results[0], std::make_pair(std::string("a"), ReclaimResult::Ok));
    EXPECT_EQ(row(world, a, rows)->state, sim::AllocationState::Resident);
    // What a live source cannot do is said, and the model still does it.
    const LiveStepRecord& gpu = world.applyStep(steps[4]);
    EXPECT_FALSE(gpu.ran);
    EXPECT_EQ(gpu.notRun, "'gpu' does not run on a live source: the live source submits no GPU work of its own");
    EXPECT_EQ(world.position(), 5u);
    EXPECT_EQ(world.timeline().size(), 6u);
    // Budgets: the program's own and another process', as the source reported them.
    const std::vector<world::BudgetRow> budgets = world.budgets();
    ASSERT_EQ(budgets.size(), 2u);
    EXPECT_EQ(budgets[0].processName, LiveBackend::kOwnProcessName);
    EXPECT_EQ(budgets[0].usage, 128 * kMiB);
    EXPECT_EQ(budgets[1].processName, "other.exe (7)");
    EXPECT_EQ(budgets[1].source, "D3DKMTQueryStatistics(PROCESS_SEGMENT_GROUP)");
    // Events of a step are found again; a reading between steps belongs to none.
    EXPECT_EQ(world.stepOfEvent(reclaim.live.lastEvent), 3);
}

TEST(LiveWorld, ATelemetryOnlySourceAnswersEveryStepAndInventsNothing)
{
    auto device = std::make_unique<FakeDxg>();
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    LiveWorld world(std::move(backend), {});
    const LiveStepRecord& create = world.applyStep(actions(R"({ "create": "a", "device": "probes", "size": "64MiB" })").at(0));
    EXPECT_EQ(create.live.status, NtStatus::NotSupported);
    EXPECT_EQ(create.model.status, NtStatus::Success);
    EXPECT_EQ(create.difference, "the driver answered STATUS_NOT_SUPPORTED, the model predicted STATUS_SUCCESS");
    std::vector<sim::AllocationSummary> rows;
    world.allocationSummaries(rows);
    EXPECT_TRUE(rows.empty()) << "no probe was created";
    // Segment sizes and usage are dxgkrnl's readings.
    ASSERT_EQ(world.timeline().back().segments.size(), 2u);
    EXPECT_EQ(world.timeline().back().segments[0].size, 8 * kGiB);
}

// A step in two halves: the live source's calls on another thread (a worker), taken in on the views'
// thread. The world ends where applyStep() would have left it, and each step's events are its own.
TEST(LiveWorld, AStepCalledOnAWorkerAndTakenInHereIsTheSameStep)
{
    const std::vector<scenario::Step> steps = actions(R"({ "create": "a", "device": "probes", "size": "64MiB" },
        { "offer": "a", "priority": "LOW" }, { "reclaim": "a" }, { "destroy": "a" })");
    ASSERT_EQ(steps.size(), 4u);
    LiveWorld here(std::make_unique<FakeDriver>(), {});
    LiveWorld split(std::make_unique<FakeDriver>(), {});
    LiveCallContext context = split.callContext();
    std::vector<LiveCall> calls;
    std::thread worker([&] {
        for (const scenario::Step& s : steps)
            calls.push_back(split.callLive(s, context));
    });
    worker.join();
    EXPECT_EQ(context.handles.count("a[0]"), 1u) << "the worker's context learned the name the create made";
    EXPECT_EQ(split.allocationName(context.handles["a[0]"]), "") << "the world itself has not taken it in yet";
    const std::uint64_t before = split.eventLog().lastSeq();
    EXPECT_EQ(before, here.eventLog().lastSeq()) << "what the worker recorded waits";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const LiveStepRecord direct = here.applyStep(steps[i]);
        const LiveStepRecord taken = split.applyCalled(std::move(calls[i]));
        EXPECT_EQ(taken.live.status, direct.live.status) << i;
        EXPECT_EQ(taken.live.results, direct.live.results) << i;
        EXPECT_EQ(taken.model.status, direct.model.status) << i;
        EXPECT_EQ(taken.difference, direct.difference) << i;
        ASSERT_LE(taken.live.firstEvent, taken.live.lastEvent) << "step " << i << " has its calls' events";
        for (std::uint64_t seq = taken.live.firstEvent; seq <= taken.live.lastEvent; ++seq)
            EXPECT_EQ(split.stepOfEvent(seq), static_cast<long>(i)) << "event " << seq;
    }
    EXPECT_EQ(split.timeline().size(), here.timeline().size());
    EXPECT_EQ(split.eventLog().lastSeq(), here.eventLog().lastSeq());
    EXPECT_EQ(split.allocationName(context.handles["a[0]"]), "a") << "a resource of one allocation goes by its name";
}
