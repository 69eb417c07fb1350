// SPDX-License-Identifier: GPL-3.0-or-later
// The live sources on Linux: the WSL2 backend's ioctl structs (layouts checked at compile time in
// DxgUapi.h, and the ioctl numbers again here), its "not available" path on a machine without
// /dev/dxg, a device that does not answer, and its logic against a stand-in dxgkrnl that answers
// like the real one. And probe runs compared with the model.
#include "core/Units.h"
#include "core/live/DxgUapi.h"
#include "core/live/LiveSources.h"
#include "core/live/ProbeRun.h"
#include "core/live/Wsl2Backend.h"
#include "core/sim/Simulator.h"
#include "tests/core/FakeDxg.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::live;
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

TEST(LiveProbe, TheSameOperationsOnTheModelConfiguredLikeTheAdapter)
{
    AdapterDesc adapter;
    adapter.description = "test adapter";
    adapter.segments = { { 0, "VRAM", 256 * kMiB, MemorySegmentGroup::Local, false } };
    LiveSample sample;
    sample.groups.push_back({ MemorySegmentGroup::Local, "test", 200 * kMiB, 0, 0, 0 });
    ProbePlan plan;
    plan.sizes = { 32 * kMiB, 32 * kMiB };
    plan.pressureBytes = 192 * kMiB; // more than is left: the model discards the offers
    sim::Simulator model;
    const ProbeRun run = runProbeOnModel(adapter, sample, plan, &model);
    ASSERT_EQ(run.rows.size(), 2u);
    EXPECT_EQ(model.adapterConfig().segments.front().size, 256 * kMiB);
    for (const ProbeRow& r : run.rows) {
        EXPECT_EQ(r.offer, NtStatus::Success);
        EXPECT_EQ(r.result, ReclaimResult::Discarded) << outcomeText(r);
    }
    // Beside a "driver" that kept them: each probe differs, and says where.
    ProbeRun kept = run;
    for (ProbeRow& r : kept.rows)
        r.result = ReclaimResult::Ok;
    const auto rows = compareRuns(kept, run);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].differs);
    EXPECT_EQ(rows[0].why, "reclaiming it: the driver gave OK, the model predicted DISCARDED");
    EXPECT_FALSE(compareRuns(run, run)[0].differs);
}
