// SPDX-License-Identifier: GPL-3.0-or-later
// A recording as a world: the offer story (tests/trace/OfferStory.h) read back as every view reads a
// world: segments from ReportSegment, allocations from the allocation events, offers in the discard
// order the recorded state gives, the discard and the reclaims, budgets, time travel both ways; and
// what could not be tied to a described allocation, counted, never invented.
#include "core/Units.h"
#include "core/trace/RecordingWorld.h"
#include "tests/trace/OfferStory.h"

#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::trace;
using offerscope::trace::testing::kStoryTextures;
using offerscope::trace::testing::offerStory;
using offerscope::trace::testing::RecordingScript;

namespace {

Recording storyRecording(const RecordingScript& script)
{
    Result<Recording> r = readEtlRecordingBytes(script.etl(), "story.etl");
    EXPECT_TRUE(r) << r.message();
    return r.take();
}

/// The position just after the first event of this name (and, if given, with this handle).
std::size_t after(const RecordingWorld& w, std::string_view name, std::uint64_t handle = 0, std::size_t nth = 0)
{
    const Recording& r = w.recording();
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const RecordedEvent& e = r.events[i];
        if (r.spec(e).name == name && (handle == 0 || r.value(e, std::size_t(0)) == handle) && nth-- == 0)
            return static_cast<std::size_t>(w.stepOfEvent(i + 1)) + 1;
    }
    ADD_FAILURE() << name << " not found";
    return 0;
}

const sim::AllocationSummary* row(
    const std::vector<sim::AllocationSummary>& rows, const RecordingWorld& w, std::uint64_t key)
{
    for (const sim::AllocationSummary& s : rows)
        if (w.allocationName(s.handle) == formatHex(key, 16))
            return &s;
    return nullptr;
}

} // namespace

TEST(RecordingWorld, TheStoryShowsItsSegmentsProcessesAndAllocations)
{
    RecordingWorld w(storyRecording(offerStory()));
    EXPECT_EQ(w.info().kind, world::WorldKind::Recording);
    EXPECT_FALSE(w.info().canAct);
    EXPECT_TRUE(w.info().canStepBack);
    EXPECT_TRUE(w.info().canSeekByTime);
    EXPECT_TRUE(w.info().eventsAreRecorded) << "the call view shows recorded fields, not a call";
    ASSERT_EQ(w.adapterConfig().segments.size(), 2u);
    EXPECT_EQ(w.adapterConfig().segments[0].size, 512 * kMiB);
    EXPECT_EQ(w.adapterConfig().segments[0].name, "segment 1 (LOCAL)");
    EXPECT_EQ(w.adapterConfig().segments[1].group, MemorySegmentGroup::NonLocal);
    EXPECT_EQ(w.stepCount(), w.recording().events.size()) << "one step per event";
    std::vector<world::ProcessRow> processes = w.processes();
    ASSERT_EQ(processes.size(), 3u);
    EXPECT_EQ(processes[0].name, "System (4)");
    EXPECT_EQ(processes[1].name, "process 1234");
    // Every offer, report, discard and reclaim names an allocation an allocation event described.
    EXPECT_EQ(w.ties().described, 4u);
    EXPECT_EQ(w.ties().undescribed, 0u);
    EXPECT_TRUE(w.ties().untied.empty());
    EXPECT_EQ(w.ties().tied.at(EventKind::OfferStart), 3u);
    EXPECT_EQ(w.ties().matchedBy.at("hAllocationHandle = hVidMmGlobalAlloc"), 3u + 3u + 2u);
    EXPECT_NE(w.tiesText().find("tied by hGlobalAllocationHandle = hVidMmGlobalAlloc"), std::string::npos)
        << w.tiesText();

    w.seek(w.stepCount());
    std::vector<sim::AllocationSummary> rows;
    w.allocationSummaries(rows);
    ASSERT_EQ(rows.size(), 4u);
    const sim::AllocationSummary* texture = row(rows, w, kStoryTextures[1]);
    ASSERT_NE(texture, nullptr);
    EXPECT_EQ(texture->size, 64 * kMiB);
    EXPECT_EQ(texture->process, 1234u);
    EXPECT_EQ(texture->segment, 0u);
}

TEST(RecordingWorld, OffersStandInTheDiscardOrderTheRecordedStateGives)
{
    RecordingWorld w(storyRecording(offerStory()));
    w.seek(after(w, "OfferAllocationStop", kStoryTextures[2]));
    std::vector<D3DKMT_HANDLE> low = w.discardOrder(0, sim::OfferLevel::Low);
    ASSERT_EQ(low.size(), 2u);
    EXPECT_EQ(w.allocationName(low[0]), formatHex(kStoryTextures[0], 16)) << "the oldest LOW offer first";
    EXPECT_EQ(w.allocationName(low[1]), formatHex(kStoryTextures[1], 16));
    ASSERT_EQ(w.discardOrder(0, sim::OfferLevel::Normal).size(), 1u);
    EXPECT_TRUE(w.discardOrder(0, sim::OfferLevel::High).empty());
    const world::SegmentSample& seg = w.timeline().back().segments.at(0);
    EXPECT_EQ(seg.offered[1], 128 * kMiB);
    EXPECT_EQ(seg.offered[2], 64 * kMiB);
    EXPECT_EQ(seg.size, 512 * kMiB);
    EXPECT_EQ(seg.free, 512 * kMiB - 192 * kMiB);
    // The discard takes the oldest LOW offer; the reclaim of it answers DISCARDED, the NORMAL one OK.
    w.seek(after(w, "DiscardAllocation"));
    EXPECT_EQ(w.discardOrder(0, sim::OfferLevel::Low).size(), 1u);
    EXPECT_EQ(w.eventLog().back().kind, events::EventKind::Discarded);
    EXPECT_NE(w.narration().find("VidMm discards 0xFFFFB00000001000 (64 MiB)"), std::string::npos) << w.narration();
    w.seek(after(w, "ReclaimAllocation"));
    const std::optional<world::StepReport> step = w.lastStep();
    ASSERT_TRUE(step);
    ASSERT_EQ(step->outcome.results.size(), 1u);
    EXPECT_EQ(step->outcome.results[0].second, ReclaimResult::Discarded);
    EXPECT_EQ(w.eventLog().back().result, ReclaimResult::Discarded);
    // Linked to the recorded discard that took its content.
    const events::Event* discard = w.eventLog().bySeq(w.eventLog().back().causeSeq);
    ASSERT_NE(discard, nullptr);
    EXPECT_EQ(discard->kind, events::EventKind::Discarded);
    EXPECT_EQ(discard->allocations, w.eventLog().back().allocations);
    w.seek(after(w, "ReclaimAllocation", 0, 1));
    EXPECT_EQ(w.lastStep()->outcome.results.at(0).second, ReclaimResult::Ok);
    // Budgets and usage as recorded.
    const std::vector<world::BudgetRow> budgets = w.budgets();
    ASSERT_FALSE(budgets.empty());
    EXPECT_EQ(budgets[0].processName, "process 1234");
    EXPECT_EQ(budgets[0].budget, 384 * kMiB);
    EXPECT_EQ(budgets[0].usage, 192 * kMiB);
}

TEST(RecordingWorld, TimeTravelBothWaysGivesTheSameState)
{
    RecordingWorld w(storyRecording(offerStory()));
    std::vector<std::vector<sim::AllocationSummary>> forward;
    std::vector<std::uint64_t> lastSeqs;
    do {
        forward.emplace_back();
        w.allocationSummaries(forward.back());
        lastSeqs.push_back(w.eventLog().lastSeq());
        EXPECT_EQ(w.timeline().size(), w.position() + 1);
    } while (w.stepForward());
    for (std::size_t p = w.stepCount() + 1; p-- > 0;) {
        w.seek(p);
        std::vector<sim::AllocationSummary> rows;
        w.allocationSummaries(rows);
        EXPECT_EQ(rows, forward[p]) << "position " << p;
        EXPECT_EQ(w.eventLog().lastSeq(), lastSeqs[p]) << "position " << p;
        EXPECT_EQ(w.timeline().size(), p + 1);
    }
    EXPECT_EQ(w.positionAt(0), 0u);
    EXPECT_EQ(w.positionAt(w.recording().events.back().timeUs + 1), w.stepCount());
    const std::size_t p = w.positionAt(36'000);
    EXPECT_EQ(w.recording().spec(w.recording().events[w.eventsOfStep(p).first]).name, "DiscardAllocation");
}

TEST(RecordingWorld, AHandleNoAllocationEventDescribedIsShownAndCountedNotInvented)
{
    RecordingScript script = offerStory();
    script.add(186, 0, { 0xFFFFDDDD00000000, 3 }, 100'000'000, 1234); // an offer of a handle never described
    script.add(191, 0, { 0xFFFFDDDD00000000 }, 100'010'000, 4);
    RecordingWorld w(storyRecording(script));
    EXPECT_EQ(w.ties().undescribed, 1u);
    EXPECT_EQ(w.ties().untied.at(EventKind::OfferStart), 1u);
    EXPECT_EQ(w.ties().untied.at(EventKind::Discard), 1u);
    w.seek(w.stepCount() - 1);
    std::vector<sim::AllocationSummary> rows;
    w.allocationSummaries(rows);
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const sim::AllocationSummary& s) {
        return w.allocationName(s.handle).find("not described") != std::string::npos;
    });
    ASSERT_NE(it, rows.end());
    EXPECT_EQ(it->size, 0u) << "no size the recording did not give";
    EXPECT_EQ(it->process, 0u) << "no owner either";
    EXPECT_EQ(it->state, sim::AllocationState::Offered);
    EXPECT_NE(w.eventLog().back().explanation.find("an allocation the recording never described"), std::string::npos);
}

TEST(RecordingWorld, ARecordingTakesNoActionsAndShowsTheRecordedFieldsInsteadOfACall)
{
    RecordingWorld w(storyRecording(offerStory()));
    scenario::Step offer;
    offer.kind = scenario::StepKind::Offer;
    const scenario::StepOutcome& refused = w.apply(offer);
    EXPECT_EQ(refused.status, NtStatus::NotSupported);
    EXPECT_EQ(w.position(), 0u);
    w.seek(after(w, "OfferAllocationStart"));
    const std::string text = w.callTextFor(w.lastCallEvent());
    EXPECT_NE(text.find("event 186 version 0, OfferAllocationStart"), std::string::npos) << text;
    EXPECT_NE(text.find("hAllocationHandle = 0xFFFFB00000001000"), std::string::npos) << text;
    EXPECT_NE(text.find("not the D3DKMT call"), std::string::npos) << text;
}

TEST(RecordingWorld, ALongRecordingKeepsTheLatestEventsInItsLogAndCountsTheRest)
{
    RecordingScript script(8, 65536);
    script.addAllocation(1234, 0xFFFFA00000020000, 64 * kMiB, 1, 0xFFFFB00000001000, 1);
    const std::size_t n = RecordingWorld::kLogEvents + 10'000;
    for (std::size_t i = 1; i < n; ++i)
        script.add(i % 2 == 1 ? 186 : 190, 0,
            i % 2 == 1 ? std::vector<std::uint64_t> { 0xFFFFB00000001000, 1 }
                       : std::vector<std::uint64_t> { 0xFFFFB00000001000, 1, 2 },
            10 * i + 1, 1234);
    RecordingWorld w(storyRecording(script));
    ASSERT_EQ(w.stepCount(), n);
    w.seek(n);
    EXPECT_EQ(w.eventLog().lastSeq(), n);
    EXPECT_EQ(w.eventLog().size(), RecordingWorld::kLogEvents) << "the latest events are kept";
    EXPECT_EQ(w.eventLog().dropped(), n - RecordingWorld::kLogEvents) << "the older ones are counted";
    EXPECT_EQ(w.eventLog().back().seq, n);
    w.seek(1000);
    EXPECT_EQ(w.eventLog().lastSeq(), 1000u);
    EXPECT_EQ(w.eventLog().size(), 1000u);
    w.seek(n - 5);
    EXPECT_EQ(w.eventLog().lastSeq(), n - 5);
    EXPECT_EQ(w.eventLog().size(), RecordingWorld::kLogEvents);
    w.stepBack();
    EXPECT_EQ(w.eventLog().lastSeq(), n - 6);
    EXPECT_EQ(w.eventLog().back().seq, n - 6);
}
