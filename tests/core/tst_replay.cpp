// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Units.h"
#include "core/replay/BudgetSweep.h"
#include "core/replay/TraceGenerator.h"
#include "core/replay/TraceReplayer.h"

#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::replay;

namespace {

std::string parseError(std::string_view text)
{
    const Result<AccessTrace> parsed = parseAccessTrace(text, "t.csv");
    EXPECT_FALSE(parsed);
    EXPECT_EQ(parsed.status(), NtStatus::DataError);
    return parsed.message();
}

ReplayStats run(std::string_view text, std::uint64_t budget, OfferPriority priority = OfferPriority::Low)
{
    const Result<AccessTrace> parsed = parseAccessTrace(text, "t.csv");
    EXPECT_TRUE(parsed) << parsed.message();
    ReplayOptions options;
    options.budget = budget;
    options.priority = priority;
    Result<ReplayStats> replayed = replayTrace(*parsed, options);
    EXPECT_TRUE(replayed) << replayed.message();
    return replayed.take();
}

} // namespace

TEST(AccessTraceParser, ReadsIdsSizesPrioritiesAndSkipsComments)
{
    Result<AccessTrace> parsed = parseAccessTrace("# header\n7,1024\n\nsky,2MiB,HIGH\r\n7,1024,2\n", "t.csv");
    ASSERT_TRUE(parsed) << parsed.message();
    const AccessTrace trace = parsed.take();
    ASSERT_EQ(trace.accesses.size(), 3u);
    EXPECT_EQ(trace.objectCount, 2u);
    EXPECT_EQ(trace.accesses[0].object, trace.accesses[2].object);
    EXPECT_EQ(trace.accesses[1].size, 2 * kMiB);
    EXPECT_EQ(trace.accesses[1].priority, OfferPriority::High);
    EXPECT_EQ(trace.accesses[2].priority, OfferPriority::Normal);
    EXPECT_EQ(trace.accesses[0].priority, OfferPriority::None);
}

TEST(AccessTraceParser, ErrorsNameFileLineAndColumn)
{
    EXPECT_EQ(
        parseError("1,10\n2\n"), "t.csv:2:2: expected 'object_id,size_bytes[,priority]' but the line has no comma");
    EXPECT_EQ(parseError("1,10\n2,ten\n"),
        "t.csv:2:3: size 'ten' is not a byte count (a whole number, optionally with a unit such as MiB)");
    EXPECT_EQ(parseError("1,-4\n"),
        "t.csv:1:3: size '-4' is not a byte count (a whole number, optionally with a unit such as MiB)");
    EXPECT_EQ(parseError("1,0\n"), "t.csv:1:3: size must be greater than 0");
    EXPECT_EQ(parseError(",5\n"), "t.csv:1:1: the object id is empty");
    EXPECT_EQ(
        parseError("# c\n\nabc,5,URGENT\n"), "t.csv:3:7: priority 'URGENT' is not LOW, NORMAL, HIGH, AUTO or 1..4");
    const Result<AccessTrace> missing = readAccessTrace("/nonexistent/trace.csv");
    EXPECT_FALSE(missing);
    EXPECT_EQ(missing.status(), NtStatus::ObjectNameNotFound);
    EXPECT_EQ(missing.message(), "/nonexistent/trace.csv: cannot open the trace file");
}

TEST(Replay, EverythingFitsSoEveryReclaimIsOk)
{
    const ReplayStats s = run("1,100\n2,100\n1,100\n2,100\n1,100\n", 1000);
    EXPECT_EQ(s.accesses, 5u);
    EXPECT_EQ(s.creations, 2u);
    EXPECT_EQ(s.reclaimsOk, 3u);
    EXPECT_EQ(s.reclaimsDiscarded, 0u);
    EXPECT_EQ(s.bytesRegenerated, 0u);
    EXPECT_DOUBLE_EQ(s.discardRatio(), 0.0);
}

TEST(Replay, OfferAfterUseBehavesAsLru)
{
    // Budget for two objects; the cyclic pattern 1,2,3 defeats LRU: every reclaim is DISCARDED.
    const ReplayStats cyclic = run("1,100\n2,100\n3,100\n1,100\n2,100\n3,100\n", 200);
    EXPECT_EQ(cyclic.creations, 3u);
    EXPECT_EQ(cyclic.reclaimsDiscarded, 3u);
    EXPECT_EQ(cyclic.bytesRegenerated, 300u);
    EXPECT_DOUBLE_EQ(cyclic.discardRatio(), 1.0);
    // 1,2,1,3,1: 1 is always the most recent, so it survives; 2 is discarded for 3.
    const ReplayStats reuse = run("1,100\n2,100\n1,100\n3,100\n1,100\n2,100\n", 200);
    EXPECT_EQ(reuse.reclaimsOk, 2u);
    EXPECT_EQ(reuse.reclaimsDiscarded, 1u);
}

TEST(Replay, PrioritiesProtectHighOffers)
{
    // Object 1 is HIGH, the others LOW: pressure takes the LOW ones, so 1 survives a full cycle.
    const ReplayStats s = run("1,100,HIGH\n2,100\n3,100\n4,100\n1,100,HIGH\n", 200);
    EXPECT_EQ(s.reclaimsOk, 1u);
    EXPECT_EQ(s.reclaimsDiscarded, 0u);
}

TEST(Replay, ObjectsLargerThanTheBudgetAreCounted)
{
    const ReplayStats s = run("1,500\n2,50\n1,500\n", 100);
    EXPECT_EQ(s.tooLarge, 2u);
    EXPECT_EQ(s.creations, 1u);
}

TEST(Replay, GeneratedTracesAreDeterministicAndConsistent)
{
    TraceShape shape;
    shape.objects = 2000;
    shape.accesses = 20000;
    shape.maxSize = 1 * kMiB;
    const AccessTrace a = generateTrace(shape), b = generateTrace(shape);
    EXPECT_EQ(formatTrace(a), formatTrace(b));
    ReplayOptions options;
    options.budget = 64 * kMiB;
    Result<ReplayStats> replayedSmall = replayTrace(a, options);
    ASSERT_TRUE(replayedSmall) << replayedSmall.message();
    options.budget = 1 * kGiB;
    Result<ReplayStats> replayedLarge = replayTrace(a, options);
    ASSERT_TRUE(replayedLarge) << replayedLarge.message();
    const ReplayStats small = replayedSmall.take(), large = replayedLarge.take();
    EXPECT_EQ(small.accesses, small.creations + small.reclaimsOk + small.reclaimsDiscarded + small.tooLarge);
    EXPECT_GT(small.discardRatio(), large.discardRatio()) << "more budget, fewer discards";
    EXPECT_EQ(large.reclaimsDiscarded, 0u) << "the whole working set (about 780 MiB) fits in 1 GiB";
}

TEST(Replay, RejectsBadOptions)
{
    AccessTrace trace;
    ReplayOptions options;
    const Result<ReplayStats> replayed = replayTrace(trace, options);
    EXPECT_FALSE(replayed);
    EXPECT_EQ(replayed.status(), NtStatus::InvalidParameter);
    EXPECT_EQ(replayed.message(), "--budget must be greater than 0");
}

TEST(BudgetSweep, OnEveryCoreItGivesWhatOneReplayPerBudgetGivesAndFindsTheKnee)
{
    Result<replay::AccessTrace> read
        = replay::readAccessTrace(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/traces/texture-cache.csv");
    ASSERT_TRUE(read) << read.message();
    const replay::AccessTrace trace = read.take();
    const std::vector<std::uint64_t> budgets = replay::defaultBudgets(trace, 8);
    ASSERT_EQ(budgets.size(), 8u);
    EXPECT_TRUE(std::is_sorted(budgets.begin(), budgets.end()));
    std::size_t heard = 0;
    replay::SweepProgress progress;
    progress.report = [&heard](std::size_t done, std::size_t total) {
        EXPECT_LE(done, total);
        ++heard;
    };
    const Result<replay::BudgetCurve> curve = replay::sweepBudgets(trace, budgets, {}, 3, progress);
    ASSERT_TRUE(curve) << curve.message();
    EXPECT_EQ(heard, budgets.size());
    ASSERT_EQ(curve->points.size(), budgets.size());
    for (std::size_t i = 0; i < budgets.size(); ++i) {
        replay::ReplayOptions one;
        one.budget = budgets[i];
        const Result<replay::ReplayStats> alone = replay::replayTrace(trace, one);
        ASSERT_TRUE(alone);
        EXPECT_EQ(curve->points[i].budget, budgets[i]);
        EXPECT_EQ(curve->points[i].stats.reclaimsDiscarded, alone->reclaimsDiscarded) << budgets[i];
        EXPECT_EQ(curve->points[i].stats.reclaimsOk, alone->reclaimsOk) << budgets[i];
        if (i > 0) {
            EXPECT_LE(curve->points[i].missRatio(), curve->points[i - 1].missRatio()) << "more budget, fewer misses";
        }
    }
    ASSERT_TRUE(curve->knee);
    EXPECT_GT(*curve->knee, 0u);
    EXPECT_LT(*curve->knee, budgets.size() - 1);
    const std::string text = replay::formatBudgetCurve(*curve);
    EXPECT_NE(text.find("<- knee"), std::string::npos) << text;
    EXPECT_NE(text.find("knee: " + formatBytes(budgets[*curve->knee])), std::string::npos) << text;
}

TEST(BudgetSweep, KneeOfKnownCurvesAndTheSweepsRefusals)
{
    const auto curveOf = [](std::vector<std::pair<std::uint64_t, std::uint64_t>> budgetAndMisses) {
        std::vector<replay::SweepPoint> points;
        for (const auto& [budget, misses] : budgetAndMisses) {
            replay::SweepPoint p;
            p.budget = budget;
            p.stats.accesses = 100;
            p.stats.reclaimsDiscarded = misses;
            p.stats.reclaimsOk = 100 - misses;
            points.push_back(p);
        }
        return points;
    };
    // A sharp elbow at 3: the knee.
    EXPECT_EQ(replay::kneeOf(curveOf({ { 1, 100 }, { 2, 60 }, { 3, 10 }, { 4, 8 }, { 5, 6 }, { 6, 5 } })), 2u);
    // A straight line, a flat curve, too few points: none.
    EXPECT_FALSE(replay::kneeOf(curveOf({ { 1, 100 }, { 2, 75 }, { 3, 50 }, { 4, 25 }, { 5, 0 } })));
    EXPECT_FALSE(replay::kneeOf(curveOf({ { 1, 40 }, { 2, 40 }, { 3, 40 } })));
    EXPECT_FALSE(replay::kneeOf(curveOf({ { 1, 100 }, { 2, 0 } })));

    replay::AccessTrace trace;
    trace.objectCount = 1;
    trace.accesses.push_back({ 0, OfferPriority::None, 1024 });
    const Result<replay::BudgetCurve> none = replay::sweepBudgets(trace, {}, {});
    EXPECT_EQ(none.status(), NtStatus::InvalidParameter);
    // Cancelled before it starts: no point replayed, and it says so.
    replay::SweepProgress stop;
    stop.cancelled = [] { return true; };
    const Result<replay::BudgetCurve> cancelled = replay::sweepBudgets(trace, { 4096, 8192 }, {}, 2, stop);
    ASSERT_TRUE(cancelled);
    EXPECT_TRUE(cancelled->cancelled);
    EXPECT_TRUE(cancelled->points.empty());
}

TEST(Replay, AHitAsOneFusedCallGivesWhatTheTwoCallsGive)
{
    // Mixed priorities (AUTO too) and a budget that discards: hits take the fused call, and some of
    // them change the offer's priority, the path that moves totals.
    TraceShape shape;
    shape.objects = 3000;
    shape.accesses = 40000;
    shape.maxSize = 1 * kMiB;
    AccessTrace trace = generateTrace(shape);
    for (std::size_t i = 0; i < trace.accesses.size(); ++i)
        if (i % 7 == 0)
            trace.accesses[i].priority = static_cast<OfferPriority>(1 + (i / 7) % 4);
    for (const std::uint64_t budget : { 48 * kMiB, 256 * kMiB, 4 * kGiB }) {
        ReplayOptions options;
        options.budget = budget;
        options.priority = OfferPriority::Normal;
        Result<ReplayStats> fused = replayTrace(trace, options);
        options.fuseHits = false;
        Result<ReplayStats> apart = replayTrace(trace, options);
        ASSERT_TRUE(fused && apart);
        const ReplayStats a = fused.take(), b = apart.take();
        EXPECT_GT(a.reclaimsOk, 0u);
        EXPECT_EQ(a.creations, b.creations) << budget;
        EXPECT_EQ(a.recreations, b.recreations) << budget;
        EXPECT_EQ(a.reclaimsOk, b.reclaimsOk) << budget;
        EXPECT_EQ(a.reclaimsDiscarded, b.reclaimsDiscarded) << budget;
        EXPECT_EQ(a.reclaimsNotCommitted, b.reclaimsNotCommitted) << budget;
        EXPECT_EQ(a.bytesMissed, b.bytesMissed) << budget;
        EXPECT_EQ(a.liveAllocations, b.liveAllocations) << budget;
        EXPECT_EQ(a.simulatedMicroseconds, b.simulatedMicroseconds) << budget;
        EXPECT_EQ(a.simulatorBytes, b.simulatorBytes) << budget;
    }
}
