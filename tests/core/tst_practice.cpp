// SPDX-License-Identifier: GPL-3.0-or-later
// Practice: 1,000 exercises made from seeds at every level, each answer checked against the engine by
// another path than the one that made it (the simulator's own calls on the state before the asked
// step), graded right when answered right and explained when answered wrong; the same seed gives the
// same exercise.
#include "core/Units.h"
#include "core/practice/Practice.h"
#include "core/scenario/ScenarioRunner.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <memory>
#include <set>

using namespace offerscope;
using namespace offerscope::practice;

namespace {

/// The state before the asked step: the exercise's scenario without its last step, run.
struct Before {
    explicit Before(const Exercise& x)
        : scenario(x.scenario)
    {
        asked = scenario.steps.back();
        scenario.steps.pop_back();
        runner = std::make_unique<scenario::ScenarioRunner>(scenario);
        runner->runAll();
    }
    scenario::Scenario scenario;
    scenario::Step asked;
    std::unique_ptr<scenario::ScenarioRunner> runner;
};

} // namespace

TEST(Practice, AThousandExercisesAreAnsweredAsTheEngineDoesAndGradedRight)
{
    int kinds[kExerciseKinds] = {};
    for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
        const int level = 1 + static_cast<int>(seed / kExerciseKinds % kLevels);
        const Exercise x = makeExercise(seed, level);
        ++kinds[static_cast<int>(x.kind)];
        ASSERT_FALSE(x.scenario.steps.empty()) << "seed " << seed;
        ASSERT_FALSE(x.answer.empty()) << "seed " << seed << ": " << x.question;
        ASSERT_FALSE(x.explanation.empty()) << "seed " << seed;
        if (!x.choices.empty()) {
            EXPECT_NE(std::find(x.choices.begin(), x.choices.end(), x.answer), x.choices.end()) << "seed " << seed;
        }
        const Before before(x);
        sim::Simulator sim = before.runner->simulator();
        switch (x.kind) {
        case ExerciseKind::NextVictim: {
            // The same pressure, through the simulator's own call: its first discard.
            const std::uint64_t free = sim.segmentUsage(0).free();
            const std::uint64_t seen = sim.eventLog().lastSeq();
            ASSERT_TRUE(sim.commitFromProcess(before.runner->handle("Other"), 0, free + 1).ok());
            std::string first;
            for (std::uint64_t seq = seen + 1; seq <= sim.eventLog().lastSeq() && first.empty(); ++seq)
                if (const events::Event* e = sim.eventLog().bySeq(seq);
                    e != nullptr && e->kind == events::EventKind::Discarded)
                    first = before.runner->allocationName(e->allocations.front());
            EXPECT_EQ(x.answer, first) << "seed " << seed << ", level " << level;
            break;
        }
        case ExerciseKind::ReclaimResult: {
            const D3DKMT_HANDLE h = before.runner->handle(before.asked.names.front() + "[0]");
            D3DKMT_RECLAIMALLOCATIONS2 args;
            // A paging queue of the game's device, made here: the reclaim's fence is not what is asked.
            const auto queue = sim.createPagingQueue(before.runner->handle("gameDevice"));
            ASSERT_TRUE(queue);
            args.hPagingQueue = *queue;
            args.HandleList = &h;
            args.NumAllocations = 1;
            ReclaimResult result = ReclaimResult::Ok;
            args.pResults = &result;
            const Status reclaimed = sim.reclaimAllocations2(args);
            ASSERT_TRUE(reclaimed.ok()) << "seed " << seed << ": " << reclaimed.message();
            EXPECT_EQ(x.answer, reclaimResultName(result)) << "seed " << seed << ", level " << level;
            break;
        }
        case ExerciseKind::CallStatus:
            EXPECT_EQ(x.answer.rfind("STATUS_", 0), 0u) << x.answer;
            break;
        case ExerciseKind::TrimBytes: {
            // What the process uses now, less the new budget (with the usage as the policy counts it).
            const auto usage = sim.processUsage(before.runner->handle("Game"), MemorySegmentGroup::Local);
            ASSERT_TRUE(usage);
            const std::uint64_t budget = before.asked.bytes;
            EXPECT_EQ(x.answerBytes, usage->usage > budget ? usage->usage - budget : 0)
                << "seed " << seed << ", level " << level;
            break;
        }
        }
        // Graded right when right, in any spelling; wrong with the right answer and the why.
        EXPECT_TRUE(grade(x, x.answer).right) << "seed " << seed;
        if (x.choices.empty()) {
            EXPECT_TRUE(grade(x, std::to_string(x.answerBytes)).right);
            const Grade wrong = grade(x, std::to_string(x.answerBytes + 4096));
            EXPECT_FALSE(wrong.right);
            EXPECT_NE(wrong.words.find("the answer is " + x.answer), std::string::npos) << wrong.words;
        } else {
            std::string lower = x.answer;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            EXPECT_TRUE(grade(x, " " + lower + " ").right) << lower;
            const auto other
                = std::find_if(x.choices.begin(), x.choices.end(), [&](const std::string& c) { return c != x.answer; });
            ASSERT_NE(other, x.choices.end());
            const Grade wrong = grade(x, *other);
            EXPECT_FALSE(wrong.right);
            EXPECT_NE(wrong.words.find(x.explanation), std::string::npos);
        }
    }
    for (int k = 0; k < kExerciseKinds; ++k)
        EXPECT_EQ(kinds[k], 250) << exerciseKindName(static_cast<ExerciseKind>(k));
}

TEST(Practice, TheSameSeedAndLevelGiveTheSameExerciseAndTheAnswersVary)
{
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        const Exercise a = makeExercise(seed, 2), b = makeExercise(seed, 2);
        EXPECT_EQ(a.question, b.question);
        EXPECT_EQ(a.answer, b.answer);
        EXPECT_EQ(a.scenario.steps.size(), b.scenario.steps.size());
    }
    // Across seeds, every choice of the reclaim and next-victim questions comes up as the answer.
    std::set<std::string> reclaims, victims;
    for (std::uint64_t seed = 1; seed <= 400; ++seed) {
        const Exercise x = makeExercise(seed, 3);
        (x.kind == ExerciseKind::ReclaimResult ? reclaims : victims).insert(x.answer);
    }
    EXPECT_EQ(reclaims.count("OK") + reclaims.count("DISCARDED") + reclaims.count("NOT_COMMITTED"), 3u);
    EXPECT_GE(victims.size(), 4u);
}
