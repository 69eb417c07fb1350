// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions: time travel gives exactly the state of a straight run, and actions become steps.
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/session/Session.h"
#include "reference/Differential.h"

#include <filesystem>
#include <random>
#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::scenario;
using offerscope::session::Session;

namespace {

Scenario lesson(const std::string& file)
{
    Result<Scenario> read = readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/" + file);
    EXPECT_TRUE(read) << read.message();
    return read.take();
}

// The state and the event log of a straight run of the first `steps` steps.
std::pair<std::string, std::string> straightRun(const Scenario& scenario, std::size_t steps)
{
    ScenarioRunner runner(scenario);
    for (std::size_t i = 0; i < steps; ++i)
        runner.step();
    return { runner.simulator().stateDump(), runner.simulator().eventLog().formatAll() };
}

// A scenario long enough to cross several checkpoints.
Scenario longScenario()
{
    Scenario s = lesson("02-three-priorities.jsonc");
    const std::vector<Step> base = s.steps;
    while (s.steps.size() < 3 * Session::kCheckpointInterval + 5) {
        for (const Step& step : base) {
            if (step.kind == StepKind::Expect || step.kind == StepKind::Create)
                continue;
            s.steps.push_back(step);
            s.steps.back().index = s.steps.size() - 1;
        }
    }
    return s;
}

} // namespace

TEST(Session, EveryPositionReachedBackwardsEqualsAStraightRun)
{
    const Scenario scenario = longScenario();
    Session session(scenario);
    while (session.stepForward()) { }
    ASSERT_EQ(session.position(), scenario.steps.size());
    ASSERT_GT(session.checkpointCount(), 2u);
    for (std::size_t p = scenario.steps.size(); p-- > 0;) {
        ASSERT_TRUE(session.stepBack());
        ASSERT_EQ(session.position(), p);
        const auto [state, events] = straightRun(scenario, p);
        ASSERT_EQ(session.simulator().stateDump(), state) << "position " << p;
        ASSERT_EQ(session.simulator().eventLog().formatAll(), events) << "position " << p;
    }
    EXPECT_FALSE(session.stepBack());
}

TEST(Session, SeekJumpsBothWaysAndTheTimelineKeepsOnePointPerPosition)
{
    const Scenario scenario = longScenario();
    Session session(scenario);
    for (std::size_t target : { std::size_t { 40 }, std::size_t { 3 }, std::size_t { 33 }, std::size_t { 17 },
             scenario.steps.size(), std::size_t { 0 } }) {
        session.seek(target);
        ASSERT_EQ(session.position(), target);
        EXPECT_EQ(session.simulator().stateDump(), straightRun(scenario, target).first) << "seek " << target;
        EXPECT_EQ(session.timeline()[target].lastSeq, session.simulator().eventLog().lastSeq());
        EXPECT_EQ(session.timeline()[target].time, session.simulator().now());
    }
    EXPECT_EQ(session.timeline().size(), scenario.steps.size() + 1);
}

TEST(Session, AForwardJumpRestoresALaterCheckpointWithTheEventsItCut)
{
    const Scenario scenario = longScenario();
    Session session(scenario);
    session.seek(scenario.steps.size());
    const auto [endState, endEvents] = straightRun(scenario, scenario.steps.size());
    std::vector<StepOutcome> outcomes = session.runner().outcomes();
    session.seek(1);
    // Forward to the end: from the last checkpoint, not by running every step again.
    session.seek(scenario.steps.size());
    EXPECT_LT(session.lastSeekSteps(), Session::kCheckpointInterval);
    EXPECT_EQ(session.simulator().stateDump(), endState);
    EXPECT_EQ(session.simulator().eventLog().formatAll(), endEvents);
    ASSERT_EQ(session.runner().outcomes().size(), outcomes.size());
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        EXPECT_EQ(session.runner().outcomes()[i].firstEvent, outcomes[i].firstEvent) << i;
        EXPECT_EQ(session.runner().outcomes()[i].lastEvent, outcomes[i].lastEvent) << i;
        EXPECT_EQ(session.runner().outcomes()[i].status, outcomes[i].status) << i;
    }
    // Back and forth in hops, each position equal to a straight run.
    for (std::size_t target : { std::size_t { 5 }, std::size_t { 40 }, std::size_t { 20 }, std::size_t { 50 } }) {
        session.seek(target);
        ASSERT_EQ(session.simulator().stateDump(), straightRun(scenario, target).first) << target;
        ASSERT_EQ(session.simulator().eventLog().formatAll(), straightRun(scenario, target).second) << target;
    }
    // After an action, the old future is gone: forward seeks have nothing to restore.
    session.seek(3);
    Step say;
    say.kind = StepKind::Say;
    say.text = "another future";
    session.apply(say);
    EXPECT_TRUE(session.atEnd());
    EXPECT_EQ(session.stepCount(), 4u);
}

TEST(Session, DeferredCheckpointsWaitToBeAskedForButNeverFallFarBehind)
{
    const Scenario scenario = longScenario();
    Session session(scenario);
    session.setCheckpointsDeferred(true);
    EXPECT_FALSE(session.checkpointDue());
    for (std::size_t i = 0; i < Session::kCheckpointInterval; ++i)
        ASSERT_TRUE(session.stepForward());
    // Due, not taken: the step cost no more than any other.
    EXPECT_TRUE(session.checkpointDue());
    EXPECT_EQ(session.checkpointCount(), 1u);
    ASSERT_TRUE(session.stepForward()); // the program was busy: one more step before it was idle
    EXPECT_TRUE(session.takeDueCheckpoint());
    EXPECT_EQ(session.checkpointCount(), 2u);
    EXPECT_FALSE(session.checkpointDue());
    EXPECT_FALSE(session.takeDueCheckpoint());
    // Never asked: a step takes it once the last one is twice the interval back.
    for (std::size_t i = 0; i < 2 * Session::kCheckpointInterval - 1; ++i)
        ASSERT_TRUE(session.stepForward());
    EXPECT_EQ(session.checkpointCount(), 2u);
    ASSERT_TRUE(session.stepForward());
    EXPECT_EQ(session.checkpointCount(), 3u);
    EXPECT_FALSE(session.checkpointDue());
    // Checkpoints at such positions (17, 49) serve time travel as well as regular ones.
    while (session.stepForward()) { }
    for (std::size_t target : { std::size_t { 18 }, std::size_t { 49 }, std::size_t { 2 }, std::size_t { 50 } }) {
        session.seek(target);
        EXPECT_LE(session.lastSeekSteps(), 2 * Session::kCheckpointInterval) << target;
        ASSERT_EQ(session.simulator().stateDump(), straightRun(scenario, target).first) << target;
        ASSERT_EQ(session.simulator().eventLog().formatAll(), straightRun(scenario, target).second) << target;
    }
    EXPECT_EQ(session.runner().outcomes().size(), 50u);
}

TEST(Session, AnActionInThePastDropsTheFutureAndBecomesAStep)
{
    Session session(lesson("01-first-offer-and-reclaim.jsonc"));
    session.seek(4); // after the first offer and its expectation
    ASSERT_EQ(session.simulator().allocation(session.runner().handle("menu[0]"))->state, sim::AllocationState::Offered);
    const std::uint64_t revision = session.revision();
    const std::uint64_t kept = session.simulator().eventLog().lastSeq();

    Step reclaim;
    reclaim.kind = StepKind::Reclaim;
    reclaim.names = { "menu" };
    const StepOutcome& outcome = session.apply(reclaim);
    EXPECT_EQ(outcome.status, NtStatus::Success);
    ASSERT_EQ(outcome.results.size(), 1u);
    EXPECT_EQ(outcome.results[0].second, ReclaimResult::Ok);
    EXPECT_EQ(session.stepCount(), 5u);
    EXPECT_TRUE(session.atEnd());
    EXPECT_EQ(session.timeline().size(), 6u);
    EXPECT_EQ(session.unchangedEventsSince(revision), kept);

    // An invalid action answers what Windows would and changes nothing else (the log records the
    // failed call; everything before the event counter is the same).
    auto stateOf = [&session] {
        const std::string dump = session.simulator().stateDump();
        return dump.substr(0, dump.find(" seq="));
    };
    const std::string before = stateOf();
    Step again = reclaim; // reclaiming what is not offered
    EXPECT_EQ(session.apply(again).status, NtStatus::InvalidParameter);
    EXPECT_FALSE(session.runner().outcomes().back().status.message().empty());
    EXPECT_EQ(stateOf(), before);
    EXPECT_EQ(session.simulator().eventLog().back().kind, events::EventKind::CallFailed);

    // Back and forth over the action replays it.
    session.seek(0);
    session.seek(session.stepCount());
    EXPECT_EQ(stateOf(), before);
}

TEST(Session, EventsKnowTheirStepAndTheCallBehindThem)
{
    Session session(lesson("01-first-offer-and-reclaim.jsonc"));
    while (session.stepForward()) { }
    const events::EventLog& log = session.simulator().eventLog();
    std::size_t reclaimed = 0;
    for (const events::Event& e : log) {
        if (e.kind == events::EventKind::Reclaimed) {
            ++reclaimed;
            const long step = session.stepOfEvent(e.seq);
            ASSERT_GE(step, 0);
            EXPECT_EQ(session.scenario().steps[static_cast<std::size_t>(step)].kind, StepKind::Reclaim);
            EXPECT_NE(session.callTextFor(e.seq).find("D3DKMT_RECLAIMALLOCATIONS2"), std::string::npos)
                << session.callTextFor(e.seq);
            if (e.result == ReclaimResult::Discarded) {
                EXPECT_GT(e.fence, 0u) << "recommitting discarded memory is paging work with a fence";
            }
        }
        if (e.kind == events::EventKind::Discarded) {
            EXPECT_EQ(session.callTextFor(e.seq), "") << "pressure is VidMm's doing, not a call";
        }
        if (e.kind == events::EventKind::ProcessCreated) {
            EXPECT_EQ(session.stepOfEvent(e.seq), -1);
        }
    }
    EXPECT_EQ(reclaimed, 2u);
    // The last call of the lesson, behind the narration that ends it; none at the start.
    const std::uint64_t last = session.lastCallEvent();
    ASSERT_NE(last, 0u);
    EXPECT_FALSE(session.callTextFor(last).empty());
    for (const events::Event& e : log) {
        if (e.seq > last) {
            EXPECT_EQ(session.callTextFor(e.seq), "") << "event #" << e.seq << " comes from a later call";
        }
    }
    EXPECT_EQ(session.lastCallEvent(0), 0u) << "looking back no step";
    EXPECT_EQ(session.narration().rfind("That is the whole contract", 0), 0u);
    // The browser's commit is marked on the timeline.
    bool marked = false;
    for (const auto& point : session.timeline())
        for (const auto& marker : point.markers)
            marked = marked || marker.kind == session::TimelineMarker::Kind::Pressure;
    EXPECT_TRUE(marked);
    session.seek(0);
    EXPECT_EQ(session.lastCallEvent(), 0u) << "no step run, no call";
}

TEST(Session, AllocationSummariesMatchTheDetailedView)
{
    Session session(lesson("02-three-priorities.jsonc"));
    while (session.stepForward()) { }
    std::vector<sim::AllocationSummary> rows;
    session.simulator().allocationSummaries(rows);
    ASSERT_EQ(rows.size(), session.simulator().liveAllocationCount());
    for (const auto& row : rows) {
        const auto info = session.simulator().allocation(row.handle);
        ASSERT_TRUE(info);
        EXPECT_EQ(session.allocationName(row), info->name);
        EXPECT_EQ(row.state, info->state);
        EXPECT_EQ(row.size, info->size);
        EXPECT_EQ(row.effectivePriority, info->effectivePriority);
        EXPECT_EQ(row.requestedPriority, info->requestedPriority);
    }
}

TEST(Session, CheckpointsShareTheRecordsNoStepBetweenThemTouched)
{
    // 20,480 allocations (20 chunks of records), then offers and reclaims of one resource of 1,024 per
    // checkpoint interval.
    std::string text = R"({ "title": "many", "adapter": { "segments": [ { "name": "VRAM", "size": "64GiB" } ] },
        "processes": [ { "name": "App", "budget": { "local": "64GiB" }, "devices": [ "d" ] } ], "steps": [ )";
    for (int r = 0; r < 20; ++r)
        text
            += R"({ "create": "r)" + std::to_string(r) + R"(", "device": "d", "size": "1MiB", "allocations": 1024 }, )";
    for (int k = 0; k < 4 * static_cast<int>(Session::kCheckpointInterval); ++k)
        text += std::string(k % 2 == 0 ? R"({ "offer": "r)" : R"({ "reclaim": "r)") + std::to_string((k / 16) % 20)
            + (k % 2 == 0 ? R"(", "priority": "LOW" }, )" : R"(" }, )");
    text += R"({ "say": "end" } ] })";
    Result<Scenario> parsed = parseScenario(text, "many.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    const Scenario scenario = parsed.take();
    Session session(scenario);
    // After the creates and the first checkpoint that holds all of them (at 32), each checkpoint adds
    // only the chunks of the one resource its interval touched and of its list neighbours, not a copy of
    // all 20 chunks (20 x 1024 records of 64 + 24 bytes).
    session.seek(2 * Session::kCheckpointInterval + 1);
    const std::size_t bytesBefore = session.checkpointBytes();
    const std::size_t countBefore = session.checkpointCount();
    session.seek(scenario.steps.size());
    const std::size_t added = session.checkpointCount() - countBefore;
    ASSERT_GE(added, 3u);
    const std::size_t fullRecords = 20 * 1024 * (64 + 24);
    const std::size_t perCheckpoint = (session.checkpointBytes() - bytesBefore) / added;
    EXPECT_LT(perCheckpoint, fullRecords / 4) << perCheckpoint << " bytes a checkpoint";
    // And time travel through shared chunks gives the states of a straight run.
    for (const std::size_t target : { std::size_t { 3 }, scenario.steps.size() - 5, std::size_t { 40 },
             scenario.steps.size(), std::size_t { 21 } }) {
        session.seek(target);
        ASSERT_EQ(session.simulator().stateDump(), straightRun(scenario, target).first) << "seek " << target;
    }
}

TEST(Session, CheckpointsStayWithinTheirBudgetAndTimeTravelStillGivesTheStraightRun)
{
    // Lesson 2's steps repeated, with a budget that holds only a few checkpoints of it.
    const Scenario scenario = longScenario();
    Session unbounded(scenario);
    unbounded.seek(scenario.steps.size());
    const std::size_t all = unbounded.checkpointBytes();
    ASSERT_GE(unbounded.checkpointCount(), 4u);

    Session session(scenario);
    session.setCheckpointBudget(all / 4 * 3);
    session.seek(scenario.steps.size());
    EXPECT_LE(session.checkpointBytes(), all / 4 * 3);
    EXPECT_LT(session.checkpointCount(), unbounded.checkpointCount());
    EXPECT_GT(session.checkpointInterval(), Session::kCheckpointInterval);
    for (std::size_t target = scenario.steps.size(); target-- > 0;) {
        session.seek(target);
        ASSERT_EQ(session.simulator().stateDump(), straightRun(scenario, target).first) << "seek " << target;
    }
    session.seek(scenario.steps.size() - 3);
    EXPECT_EQ(session.simulator().stateDump(), straightRun(scenario, scenario.steps.size() - 3).first);
}

namespace {

/// Moves a session at random (steps, jumps both ways, steps back) and checks after each move that
/// every allocation row that changed is in the session's change list, whenever it claims to have one.
struct ChangeListCheck {
    std::size_t moves = 0;
    std::size_t listed = 0; ///< moves the list covered
    std::size_t listedJumpsBack = 0; ///< of them, jumps back (a checkpoint restored)
};

ChangeListCheck checkChangeList(Session& session, std::uint64_t seed, std::size_t moves)
{
    ChangeListCheck out;
    std::mt19937_64 rng(seed);
    session.allocationChangesSeen();
    std::vector<sim::AllocationSummary> before;
    session.allocationSummariesBySlot(before, nullptr);
    for (std::size_t m = 0; m < moves; ++m) {
        const std::uint64_t since = session.revision();
        const std::size_t from = session.position();
        const unsigned what = static_cast<unsigned>(rng() % 10);
        if (what < 5 && !session.atEnd())
            session.stepForward();
        else if (what < 7 && from > 0)
            session.stepBack();
        else
            session.seek(static_cast<std::size_t>(rng() % (session.stepCount() + 1)));
        ++out.moves;
        std::vector<sim::AllocationSummary> after;
        session.allocationSummariesBySlot(after, nullptr);
        std::vector<std::uint32_t> list;
        if (session.allocationChangesSince(since, list)) {
            ++out.listed;
            out.listedJumpsBack += session.position() < from ? 1 : 0;
            const std::optional<std::size_t> missed = reference::firstUnlistedChange(before, after, list);
            EXPECT_FALSE(missed.has_value()) << "slot " << missed.value_or(0) << " changed from position " << from
                                             << " to " << session.position() << " but is not in the change list";
        }
        session.allocationChangesSeen();
        before = std::move(after);
    }
    return out;
}

} // namespace

TEST(Session, ChangeListCoversEveryStepAndJump)
{
    // What the window's tables refresh from: a step or a jump lists the rows it changed (a jump
    // compares the restored checkpoint's records with the ones it replaces).
    ChangeListCheck total;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons")) {
        Session session(lesson(entry.path().filename().string()));
        const ChangeListCheck c = checkChangeList(session, 7, 120);
        total.moves += c.moves;
        total.listed += c.listed;
        total.listedJumpsBack += c.listedJumpsBack;
    }
    Session longOne(longScenario());
    const ChangeListCheck c = checkChangeList(longOne, 11, 300);
    total.moves += c.moves;
    total.listed += c.listed;
    total.listedJumpsBack += c.listedJumpsBack;
    // The list must be there for nearly every move, or the tables would read every row each time.
    EXPECT_EQ(total.listed, total.moves);
    EXPECT_GT(total.listedJumpsBack, 100u);
}

TEST(Session, ChangeListIsGoneAfterAReload)
{
    Session session(lesson("02-three-priorities.jsonc"));
    session.allocationChangesSeen();
    const std::uint64_t since = session.revision();
    session.reload(lesson("03-auto-priority.jsonc"));
    session.seek(5);
    std::vector<std::uint32_t> list;
    EXPECT_FALSE(session.allocationChangesSince(since, list)) << "another scenario: every row must be read";
    session.allocationChangesSeen();
    const std::uint64_t now = session.revision();
    session.stepForward();
    EXPECT_TRUE(session.allocationChangesSince(now, list));
    EXPECT_FALSE(session.allocationChangesSince(since, list)) << "a revision the list does not start from";
}
