// SPDX-License-Identifier: GPL-3.0-or-later
// The model against a recording: a lesson run on the simulator and written down as DxgKrnl events
// agrees with the model completely; the same recording with one discard taken away diverges at the
// reclaim that discard decided; a recording without segment sizes cannot be checked, and says why.
#include "core/Units.h"
#include "core/scenario/ScenarioParser.h"
#include "core/trace/TraceCheck.h"
#include "tests/trace/OfferStory.h"
#include "tests/trace/ScenarioRecording.h"

#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::trace;
namespace recorded = offerscope::trace::testing;

namespace {

scenario::Scenario lesson(const char* file)
{
    Result<scenario::Scenario> read
        = scenario::readScenario(std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons/" + file);
    EXPECT_TRUE(read) << read.message();
    return read.take();
}

RecordingWorld worldOf(const recorded::RecordingScript& script)
{
    Result<Recording> r = readEtlRecordingBytes(script.etl(), "lesson.etl");
    EXPECT_TRUE(r) << r.message();
    return RecordingWorld(r.take());
}

} // namespace

TEST(TraceCheck, ALessonRecordedFromTheModelAgreesWithItCompletely)
{
    const recorded::RecordingScript script = recorded::recordScenario(lesson("02-three-priorities.jsonc"));
    const RecordingWorld w = worldOf(script);
    EXPECT_TRUE(w.ties().untied.empty()) << w.tiesText();
    const TraceCheck check = checkTrace(w);
    ASSERT_TRUE(check.possible) << check.whyNot;
    const CheckRun& d = check.runs.front();
    EXPECT_EQ(d.label, "the model's defaults");
    EXPECT_GT(d.reclaims, 0u);
    EXPECT_GT(d.discardsRecorded, 0u) << "the lesson's pressure discards offers";
    EXPECT_GT(d.usages, 0u);
    EXPECT_EQ(d.skipped, 0u);
    EXPECT_EQ(d.reclaimsAgree, d.reclaims);
    EXPECT_EQ(d.discardsBoth, d.discardsRecorded);
    EXPECT_EQ(d.discardsModel, d.discardsRecorded);
    EXPECT_EQ(d.usagesAgree, d.usages);
    EXPECT_DOUBLE_EQ(d.agreement(), 1.0);
    EXPECT_TRUE(d.divergences.empty()) << d.divergences.front();
    EXPECT_EQ(check.best, 0u) << "the defaults fit best on a tie";
    const std::string text = formatTraceCheck(check, w);
    EXPECT_NE(text.find("agreement          100.0 %"), std::string::npos) << text;
    EXPECT_NE(traceCheckJson(check, w).find("\"agreement\": 1.0000"), std::string::npos);
}

TEST(TraceCheck, OneDiscardTakenAwayDivergesAtTheReclaimItDecided)
{
    const recorded::RecordingScript original = recorded::recordScenario(lesson("02-three-priorities.jsonc"));
    // The first discard of an allocation the lesson later reclaims did not happen in this "recording",
    // and the reclaim found the content.
    std::uint64_t victim = 0;
    for (std::size_t i = 0; i < original.events().size() && victim == 0; ++i) {
        const recorded::ScriptEvent& e = original.events()[i];
        if (e.id != 191)
            continue;
        for (std::size_t k = i + 1; k < original.events().size(); ++k)
            if (original.events()[k].id == 190 && original.events()[k].values[0] == e.values[0])
                victim = e.values[0];
    }
    recorded::RecordingScript changed(8, 16384);
    std::uint64_t reclaimAt = 0;
    bool dropped = false, reclaimChanged = false;
    for (const recorded::ScriptEvent& e : original.events()) {
        if (e.id == 191 && e.values[0] == victim && !dropped) {
            dropped = true;
            continue;
        }
        recorded::ScriptEvent copy = e;
        if (e.id == 190 && e.values[0] == victim && !reclaimChanged) {
            copy.values[2] = 2; // OFFERED: the content was there
            reclaimAt = e.ticks / 10;
            reclaimChanged = true;
        }
        changed.add(copy);
    }
    ASSERT_NE(victim, 0u);
    ASSERT_TRUE(reclaimChanged) << "the lesson reclaims what was discarded";
    const RecordingWorld w = worldOf(changed);
    const TraceCheck check = checkTrace(w);
    const CheckRun& d = check.runs.front();
    EXPECT_LT(d.agreement(), 1.0);
    EXPECT_EQ(d.reclaimsAgree + 1, d.reclaims);
    EXPECT_EQ(d.discardsModel, d.discardsBoth + 1) << "the model discarded one more than VidMm";
    ASSERT_FALSE(d.divergences.empty());
    const std::string expected = "reclaims " + formatHex(victim, 16) + ": VidMm found it OK, the model DISCARDED";
    const auto first = std::find_if(d.divergences.begin(), d.divergences.end(),
        [&](const std::string& s) { return s.find("reclaims") != std::string::npos; });
    ASSERT_NE(first, d.divergences.end());
    EXPECT_NE(first->find(expected), std::string::npos) << *first;
    char when[32];
    std::snprintf(when, sizeof when, "%.3f ms", static_cast<double>(reclaimAt) / 1000.0);
    EXPECT_EQ(first->rfind(when, 0), 0u) << *first << " (expected at " << when << ")";
}

TEST(TraceCheck, ARecordingWithoutSegmentSizesCannotBeCheckedAndSaysWhy)
{
    recorded::RecordingScript script(8);
    script.addAllocation(1234, 0xFFFFA00000020000, 64 << 20, 1, 0xFFFFB00000001000, 10);
    const RecordingWorld w = worldOf(script);
    const TraceCheck check = checkTrace(w);
    EXPECT_FALSE(check.possible);
    EXPECT_NE(check.whyNot.find("does not give the size of segment 1 (size not recorded)"), std::string::npos)
        << check.whyNot;
}

TEST(TraceCheck, TheOfferStoryDivergesWhereTheModelSawNoPressure)
{
    // In the story, VidMm discards a LOW texture when the browser allocates 256 MiB, but the segment
    // still had room: the model keeps it, and the reclaim tells them apart.
    const RecordingWorld w = worldOf(recorded::offerStory());
    const TraceCheck check = checkTrace(w);
    ASSERT_TRUE(check.possible);
    const CheckRun& d = check.runs.front();
    EXPECT_EQ(d.discardsRecorded, 1u);
    EXPECT_EQ(d.discardsModel, 0u);
    EXPECT_EQ(d.reclaims, 2u);
    EXPECT_EQ(d.reclaimsAgree, 1u);
    ASSERT_FALSE(d.divergences.empty());
    EXPECT_NE(d.divergences.front().find("VidMm discarded 0xFFFFB00000001000"), std::string::npos)
        << d.divergences.front();
}

TEST(TraceCheck, ReportsItsProgressAndCanBeCancelled)
{
    const RecordingWorld w = worldOf(recorded::offerStory());
    std::vector<double> heard;
    ImportProgress progress;
    progress.report = [&heard](double fraction) { heard.push_back(fraction); };
    int asked = 0;
    progress.cancelled = [&asked] { return ++asked > 4; }; // asked before and after each setting: stops after two
    const TraceCheck check = checkTrace(w, progress);
    ASSERT_TRUE(check.possible);
    EXPECT_EQ(check.runs.size(), 2u) << "the runs finished before the cancel are kept";
    EXPECT_TRUE(std::is_sorted(heard.begin(), heard.end()));
    progress.cancelled = [] { return true; };
    const TraceCheck none = checkTrace(w, progress);
    EXPECT_FALSE(none.possible);
    EXPECT_EQ(none.whyNot, "the check was cancelled");
}
