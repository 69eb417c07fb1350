// SPDX-License-Identifier: GPL-3.0-or-later
// The model beside a recording: it steps with the recording (same steps, same clock), agrees with a
// lesson recorded from the model at every step (usage, discard order, reclaim results), says where
// it parts from VidMm in the offer story, and travels in time like any world.
#include "core/scenario/ScenarioParser.h"
#include "core/trace/ReplayWorld.h"
#include "tests/trace/OfferStory.h"
#include "tests/trace/ScenarioRecording.h"

#include <gtest/gtest.h>
#include <random>

using namespace offerscope;
using namespace offerscope::trace;
namespace recorded = offerscope::trace::testing;

namespace {

RecordingWorld worldOf(const recorded::RecordingScript& script)
{
    Result<Recording> r = readEtlRecordingBytes(script.etl(), "recording.etl");
    EXPECT_TRUE(r) << r.message();
    return RecordingWorld(r.take());
}

RecordingWorld lessonRecording(const char* file)
{
    Result<scenario::Scenario> read
        = scenario::readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/" + file);
    EXPECT_TRUE(read) << read.message();
    return worldOf(recorded::recordScenario(read.take()));
}

std::vector<std::string> orderNames(const world::World& w, std::uint32_t segment, sim::OfferLevel level)
{
    std::vector<std::string> out;
    for (D3DKMT_HANDLE h : w.discardOrder(segment, level))
        out.push_back(w.allocationName(h));
    return out;
}

} // namespace

TEST(ReplayWorld, StepsWithTheRecordingAndAgreesWithALessonRecordedFromTheModel)
{
    RecordingWorld recording = lessonRecording("02-three-priorities.jsonc");
    ReplayWorld model(recording, {}, "the model's defaults");
    ASSERT_EQ(model.stepCount(), recording.stepCount());
    EXPECT_FALSE(model.info().canAct);
    EXPECT_TRUE(model.info().canSeekByTime);
    EXPECT_EQ(model.info().name, "Model (the model's defaults)");
    std::size_t reclaims = 0, discardSteps = 0, compared = 0;
    while (recording.stepForward()) {
        ASSERT_TRUE(model.stepForward());
        ASSERT_EQ(model.position(), recording.position());
        EXPECT_EQ(model.now(), recording.now()) << "the model keeps the recording's clock";
        const auto report = model.lastStep();
        ASSERT_TRUE(report);
        EXPECT_EQ(report->difference, "") << "at step " << model.position();
        reclaims += report->outcome.results.size();
        if (model.narration().find("so has the model") != std::string::npos)
            ++discardSteps;
        EXPECT_EQ(model.narration().find("They differ"), std::string::npos) << model.narration();
        // Within one call the two tell the same story in another order (the model discards as the
        // allocation that needs room is created, VidMm logs its discards, evictions and page-ins
        // around the call): compare where the recording reports usage, after each of the lesson's steps.
        const auto& events = recording.recording().events;
        const std::size_t next = recording.eventsOfStep(recording.position() - 1).second;
        if (next < events.size() && recording.recording().spec(events[next]).kind != EventKind::UsageChange)
            continue;
        ++compared;
        const world::TimelinePoint& m = model.timeline().back();
        const world::TimelinePoint& r = recording.timeline().back();
        ASSERT_EQ(m.segments.size(), r.segments.size());
        for (std::size_t s = 0; s < m.segments.size(); ++s) {
            EXPECT_EQ(m.segments[s].inUse, r.segments[s].inUse) << "segment " << s << " at step " << model.position();
            for (int p = 1; p <= 4; ++p)
                EXPECT_EQ(m.segments[s].offered[p], r.segments[s].offered[p])
                    << "segment " << s << " priority " << p << " at step " << model.position();
            for (int level = 0; level < sim::kOfferLevelCount; ++level)
                EXPECT_EQ(orderNames(model, static_cast<std::uint32_t>(s), static_cast<sim::OfferLevel>(level)),
                    orderNames(recording, static_cast<std::uint32_t>(s), static_cast<sim::OfferLevel>(level)))
                    << "segment " << s << " level " << level << " at step " << model.position();
        }
    }
    EXPECT_FALSE(model.stepForward());
    EXPECT_GT(reclaims, 0u);
    EXPECT_GT(compared, 10u);
    EXPECT_GT(discardSteps, 0u) << "the lesson's discards are VidMm's and the model's alike";
}

TEST(ReplayWorld, SaysWhereTheModelPartsFromVidMmInTheOfferStory)
{
    RecordingWorld recording = worldOf(recorded::offerStory());
    ReplayWorld model(recording, {}, "the model's defaults");
    const std::string texture = recording.allocationName(RecordingWorld::handleOfAllocation(0));
    bool sawDiscard = false, sawReclaim = false;
    while (model.stepForward()) {
        const std::string words = model.narration();
        if (words.find("VidMm discarded " + texture) != std::string::npos) {
            sawDiscard = true;
            EXPECT_NE(words.find("the model has not: there it is Offered"), std::string::npos) << words;
        }
        const auto report = model.lastStep();
        if (report && !report->difference.empty()) {
            sawReclaim = true;
            EXPECT_EQ(report->difference, "VidMm found " + texture + " DISCARDED, the model OK");
            ASSERT_EQ(report->outcome.results.size(), 1u);
            EXPECT_EQ(report->outcome.results.front().second, ReclaimResult::Ok);
            EXPECT_NE(words.find("They differ: VidMm found " + texture + " DISCARDED, the model OK"), std::string::npos)
                << words;
        }
    }
    EXPECT_TRUE(sawDiscard);
    EXPECT_TRUE(sawReclaim);
}

TEST(ReplayWorld, JumpsGiveTheStateSteppingThereGives)
{
    RecordingWorld recording = lessonRecording("03-auto-priority.jsonc");
    ReplayWorld jumping(recording, {}, "defaults");
    std::mt19937 random(7);
    for (int i = 0; i < 40; ++i) {
        const std::size_t target = random() % (jumping.stepCount() + 1);
        jumping.seek(target);
        ASSERT_EQ(jumping.position(), target);
        ReplayWorld stepping(recording, {}, "defaults");
        while (stepping.position() < target)
            stepping.stepForward();
        EXPECT_EQ(jumping.model().stateDump(), stepping.model().stateDump()) << "at " << target;
        EXPECT_EQ(jumping.timeline().size(), target + 1);
        EXPECT_EQ(jumping.narration(), stepping.narration()) << "at " << target;
        if (target > 0) {
            EXPECT_EQ(jumping.lastStep()->difference, stepping.lastStep()->difference);
        }
        // The log holds what it holds when stepping there (a short recording: every event so far).
        ASSERT_EQ(jumping.eventLog().size(), stepping.eventLog().size()) << "at " << target;
        for (std::size_t k = 0; k < jumping.eventLog().size(); ++k)
            EXPECT_EQ(events::EventLog::formatLine(jumping.eventLog().at(k)),
                events::EventLog::formatLine(stepping.eventLog().at(k)));
        // The events the log holds are the model's own, and each belongs to a step before the position.
        for (const events::Event& e : jumping.eventLog())
            EXPECT_LT(jumping.stepOfEvent(e.seq), static_cast<long>(target)) << "event " << e.seq;
    }
}

TEST(ReplayWorld, TakesNoActionsOfItsOwn)
{
    RecordingWorld recording = worldOf(recorded::offerStory());
    ReplayWorld model(recording, {}, "defaults");
    scenario::Step step;
    step.kind = scenario::StepKind::Offer;
    const scenario::StepOutcome& outcome = model.apply(step);
    EXPECT_EQ(outcome.status.code(), NtStatus::NotSupported);
    EXPECT_EQ(model.position(), 0u);
}
