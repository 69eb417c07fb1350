// SPDX-License-Identifier: GPL-3.0-or-later
// The live sources on Linux: the WSL2 backend's ioctl structs (layouts checked at compile time in
// DxgUapi.h, and the ioctl numbers again here), its "not available" path on a machine without
// /dev/dxg, a device that does not answer, and its logic against a stand-in dxgkrnl that answers
// like the real one. And probe runs compared with the model.
#include "core/Units.h"
#include "core/live/DxgUapi.h"
#include "core/live/LiveSources.h"
#include "core/live/LiveWorld.h"
#include "core/live/ProbePlan.h"
#include "core/live/Wsl2Backend.h"
#include "core/sim/Simulator.h"
#include "tests/core/FakeDriver.h"
#include "tests/core/FakeDxg.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::live;
using offerscope::live::testing::FakeDriver;
using offerscope::live::testing::FakeDxg;

TEST(LiveWsl2, IoctlNumbersAreThoseOfTheKernelHeader)
{
    EXPECT_EQ(dxg::kEnumAdapters3, 0xC018473Eul);
    EXPECT_EQ(dxg::kQueryStatistics, 0xC3284743ul);
    EXPECT_EQ(dxg::kQueryVideoMemoryInfo, 0xC038470Aul);
    EXPECT_EQ(sizeof(D3DKMT_QUERYSTATISTICS), 0x328u);
}

TEST(LiveWsl2, WithoutDevDxgItIsNotAvailableAndSaysWhy)
{
    std::string why;
    {
        const auto refused = Wsl2Backend::open("/nonexistent/dxg");
        EXPECT_FALSE(refused);
        why = refused.message();
    }
    EXPECT_EQ(why, "not available: /nonexistent/dxg not found");
    if (!std::filesystem::exists(kDxgDevicePath)) {
        {
            const auto refused = openLiveBackend(BackendKind::Wsl2);
            EXPECT_FALSE(refused);
            why = refused.message();
        }
        EXPECT_EQ(why, "not available: /dev/dxg not found");
        // The window's source selector lists it with that reason; the simulator stays available.
        const std::vector<SourceInfo> sources = dataSources();
        ASSERT_EQ(sources.size(), 3u);
        EXPECT_TRUE(sources[0].available);
        EXPECT_EQ(sources[2].name, "WSL2 (/dev/dxg)");
        EXPECT_FALSE(sources[2].available);
        EXPECT_EQ(sources[2].reason, "not available: /dev/dxg not found");
    }
}

TEST(LiveWsl2, ADeviceThatDoesNotAnswerIsNotAvailable)
{
    std::string why;
    {
        const auto refused = Wsl2Backend::open("/dev/null");
        EXPECT_FALSE(refused);
        why = refused.message();
    } // opens, but every ioctl is ENOTTY
    EXPECT_NE(why.find("does not answer LX_DXENUMADAPTERS3 or LX_DXENUMADAPTERS2"), std::string::npos) << why;
}

TEST(LiveWsl2, ReadsAdaptersSegmentsAndBudgetsFromDxgkrnl)
{
    auto device = std::make_unique<FakeDxg>();
    FakeDxg* fake = device.get();
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    const std::vector<AdapterDesc> adapters = backend->adapters();
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].hAdapter, 0x40000000u);
    EXPECT_EQ(adapters[0].luid.LowPart, 0x1234u);
    ASSERT_EQ(adapters[0].segments.size(), 2u);
    EXPECT_EQ(adapters[0].segments[0].size, 8 * kGiB);
    EXPECT_EQ(adapters[0].segments[1].group, MemorySegmentGroup::NonLocal);

    const LiveSample s = backend->sample(adapters[0].luid);
    ASSERT_EQ(s.segments.size(), 2u);
    EXPECT_EQ(s.segments[0].bytesCommitted, 512 * kMiB);
    ASSERT_EQ(s.groups.size(), 2u);
    EXPECT_EQ(s.groups[0].budget, 7 * kGiB);
    EXPECT_EQ(s.groups[1].budget, 14 * kGiB);
    EXPECT_TRUE(s.notes.empty());
    // Offers are not possible on WSL2 here: a status and words, never a pretend success.
    D3DKMT_OFFERALLOCATIONS offer;
    EXPECT_EQ(backend->offerAllocations(offer), NtStatus::NotSupported);
    EXPECT_EQ(backend->eventLog().back().kind, events::EventKind::CallFailed);
    EXPECT_NE(backend->eventLog().back().explanation.find("telemetry only"), std::string::npos);
    (void)fake;
}

TEST(LiveWsl2, FallsBackToEnumAdapters2AndNeverInventsReadings)
{
    auto device = std::make_unique<FakeDxg>();
    device->enum3Missing = true;
    device->statisticsWriteNothing = true;
    device->videoMemoryError = EINVAL;
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    ASSERT_EQ(backend->adapters().size(), 1u);
    EXPECT_NE(backend->problems().front().find("ENUMADAPTERS2 is used"), std::string::npos);
    // No statistics: the segment sizes come from KMTQAITYPE_GETSEGMENTSIZE.
    const std::vector<SegmentDesc> segments = backend->adapters()[0].segments;
    ASSERT_EQ(segments.size(), 2u);
    EXPECT_EQ(segments[0].size, 4 * kGiB);
    EXPECT_EQ(segments[1].size, 8 * kGiB);
    const LiveSample s = backend->sample(backend->adapters()[0].luid);
    EXPECT_TRUE(s.segments.empty());
    EXPECT_TRUE(s.groups.empty());
    ASSERT_FALSE(s.notes.empty());
    EXPECT_NE(s.notes[0].find("wrote nothing"), std::string::npos);
    EXPECT_NE(s.notes[1].find("STATUS_INVALID_PARAMETER"), std::string::npos);
}

namespace {

/// A probe run as the command line makes it: every step on the stand-in driver and on the model.
struct ProbeRunResult {
    std::vector<scenario::Step> steps;
    std::vector<LiveStepRecord> records;
    std::vector<ProbeComparison> rows;
};

ProbeRunResult runPlan(LiveWorld& world, const ProbePlan& plan)
{
    ProbeRunResult run;
    run.steps = probeSteps(plan, world.probeDeviceName(), freshProbePrefix(world.knownNames()));
    for (const scenario::Step& step : run.steps)
        run.records.push_back(world.applyStep(step));
    run.rows = compareProbes(run.steps, run.records);
    return run;
}

ProbePlan twoProbesUnderPressure()
{
    ProbePlan plan;
    plan.sizes = { 32 * kMiB, 32 * kMiB };
    plan.pressureBytes = 224 * kMiB; // 64 MiB offered + 224 MiB of filler > the 256 MiB segment
    return plan;
}

} // namespace

TEST(LiveProbe, APlanIsStepsOfTheLiveWorldThatLeaveNothingBehind)
{
    const std::vector<scenario::Step> steps = probeSteps(twoProbesUnderPressure(), "probes", "probe");
    // say, 2 creates, offer, 4 filler creates (64 MiB each, the last 32 MiB), reclaim, 4 + 2 destroys.
    ASSERT_EQ(steps.size(), 1u + 2 + 1 + 4 + 1 + 4 + 2);
    EXPECT_EQ(steps[1].name, "probe 1");
    EXPECT_EQ(steps[3].kind, scenario::StepKind::Offer);
    EXPECT_EQ(steps[3].names, (std::vector<std::string> { "probe 1[0]", "probe 2[0]" }));
    EXPECT_EQ(steps[7].bytes, 32 * kMiB) << "the last filler resource is what is left of the pressure";
    EXPECT_EQ(steps[8].kind, scenario::StepKind::Reclaim);
    EXPECT_EQ(steps[8].reclaimVersion, 2);
    EXPECT_TRUE(cleansUp(steps.back()));
    EXPECT_EQ(freshProbePrefix({ "tex", "probe 1", "probe 1[0]" }), "run 2 probe");
    EXPECT_EQ(freshProbePrefix({ "tex" }), "probe");

    auto driver = std::make_unique<FakeDriver>(256 * kMiB);
    FakeDriver* fake = driver.get();
    LiveWorld world(std::move(driver), {});
    const std::size_t before = world.timeline().size();
    const ProbeRunResult run = runPlan(world, twoProbesUnderPressure());
    EXPECT_EQ(world.timeline().size(), before + steps.size()) << "each step of the run is a point of the timeline";
    EXPECT_EQ(fake->driver().liveAllocationCount(), 0u) << "probes and filler are destroyed on the device";
    ASSERT_EQ(run.rows.size(), 2u);
    for (const ProbeComparison& c : run.rows)
        EXPECT_FALSE(c.differs) << c.name << ": live " << c.live << " | model " << c.model << " | " << c.why;
    EXPECT_EQ(run.rows[0].model, "offer STATUS_SUCCESS · reclaim STATUS_SUCCESS: DISCARDED")
        << "the oldest LOW offer goes first under pressure";
    // A second run on the same world takes fresh names.
    const ProbeRunResult again = runPlan(world, twoProbesUnderPressure());
    ASSERT_EQ(again.rows.size(), 2u);
    EXPECT_EQ(again.rows[0].name, "run 2 probe 1");
}

TEST(LiveProbe, WhereTheDriverKeepsWhatTheModelDiscardsEachProbeSaysSo)
{
    sim::VerifierSwitches keeps;
    keeps.neverDiscardOffer = true; // this "driver" never discards an offer
    LiveWorld world(std::make_unique<FakeDriver>(256 * kMiB, keeps), {});
    const ProbeRunResult run = runPlan(world, twoProbesUnderPressure());
    ASSERT_EQ(run.rows.size(), 2u);
    EXPECT_TRUE(run.rows[0].differs);
    EXPECT_EQ(run.rows[0].live, "offer STATUS_SUCCESS · reclaim STATUS_SUCCESS: OK");
    EXPECT_EQ(run.rows[0].why, "reclaiming it: the driver gave OK, the model predicted DISCARDED");
    // The step record says it too, in the live world's own words.
    const LiveStepRecord& reclaim = run.records[8];
    EXPECT_NE(reclaim.difference.find("probe 1[0]=OK"), std::string::npos) << reclaim.difference;
    EXPECT_NE(reclaim.difference.find("probe 1[0]=DISCARDED"), std::string::npos) << reclaim.difference;
}

TEST(LiveProbe, AProbeThatCouldNotBeMadeFailsTheCallsThatNameItOnBothSides)
{
    // 300 MiB does not fit the 256 MiB segment on either side. The offer and the reclaim name it, and a
    // HandleList with a handle that is not an allocation fails as a whole: both sides say so, alike.
    ProbePlan plan;
    plan.sizes = { 300 * kMiB, 16 * kMiB };
    LiveWorld world(std::make_unique<FakeDriver>(256 * kMiB), {});
    const ProbeRunResult run = runPlan(world, plan);
    ASSERT_EQ(run.rows.size(), 2u);
    EXPECT_EQ(run.rows[0].live, "create STATUS_NO_MEMORY");
    EXPECT_EQ(run.rows[0].model, "create STATUS_NO_MEMORY");
    EXPECT_EQ(run.rows[1].live, "offer STATUS_INVALID_PARAMETER · reclaim STATUS_INVALID_PARAMETER");
    EXPECT_EQ(run.rows[1].model, run.rows[1].live);
    EXPECT_FALSE(run.rows[0].differs);
    EXPECT_FALSE(run.rows[1].differs);
}
