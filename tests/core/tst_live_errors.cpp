// SPDX-License-Identifier: GPL-3.0-or-later
// Live sources that refuse: a device removed (ENODEV from /dev/dxg, DXGI_ERROR_DEVICE_REMOVED/RESET), a
// /dev/dxg that lists no adapter, segment statistics refused, the Windows source on Linux, and the
// tables that turn errno values and HRESULTs into NTSTATUS values and words. Each says so in words and
// in the event log, never invents a reading, and keeps working.
// docs/robustness.md ("Live sources") lists these tests.
#include "core/Units.h"
#include "core/live/LiveBackend.h"
#include "core/live/LiveSources.h"
#include "core/live/LiveWorld.h"
#include "core/live/Wsl2Backend.h"
#include "tests/core/FakeDxg.h"

#include <algorithm>
#include <cerrno>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace offerscope;
using namespace offerscope::live;
using offerscope::live::testing::FakeDxg;

namespace {

std::vector<const events::Event*> eventsAfter(const events::EventLog& log, std::uint64_t seq)
{
    std::vector<const events::Event*> out;
    for (std::uint64_t s = seq + 1; s <= log.lastSeq(); ++s)
        if (const events::Event* e = log.bySeq(s))
            out.push_back(e);
    return out;
}

bool hasNote(const LiveSample& sample, const std::string& note)
{
    return std::find(sample.notes.begin(), sample.notes.end(), note) != sample.notes.end();
}

} // namespace

// ---- the tables ---------------------------------------------------------------------------------------

TEST(LiveErrors, AnErrnoFromDevDxgStandsForAnNtStatus)
{
    EXPECT_EQ(statusFromErrno(0), NtStatus::Success);
    EXPECT_EQ(statusFromErrno(EINVAL), NtStatus::InvalidParameter);
    EXPECT_EQ(statusFromErrno(EFAULT), NtStatus::InvalidParameter);
    EXPECT_EQ(statusFromErrno(ENOMEM), NtStatus::NoMemory);
    EXPECT_EQ(statusFromErrno(EOVERFLOW), NtStatus::BufferTooSmall);
    EXPECT_EQ(statusFromErrno(ENOTTY), NtStatus::NotSupported);
    EXPECT_EQ(statusFromErrno(ENOSYS), NtStatus::NotSupported);
    EXPECT_EQ(statusFromErrno(EOPNOTSUPP), NtStatus::NotSupported);
    EXPECT_EQ(statusFromErrno(ENODEV), NtStatus::DeviceRemoved);
    // dxgkrnl turns STATUS_NOT_SUPPORTED and STATUS_NOT_IMPLEMENTED into EPERM, STATUS_INVALID_HANDLE into EBADF.
    EXPECT_EQ(statusFromErrno(EPERM), NtStatus::NotSupported);
    EXPECT_EQ(statusFromErrno(EBADF), NtStatus::InvalidHandle);
    // Anything else: a failure whose reason is not named, never a success.
    for (const int other : { EIO, ENXIO, 12345 })
        EXPECT_EQ(statusFromErrno(other), NtStatus::Unsuccessful) << "errno " << other;
}

TEST(LiveErrors, AnHresultHasItsNameAndItsNtStatus)
{
    struct Row {
        std::uint32_t hr;
        const char* text;
        NtStatus status;
    };
    const Row rows[] = {
        { 0x00000000u, "S_OK (0x00000000)", NtStatus::Success },
        { 0x00000001u, "S_FALSE (0x00000001)", NtStatus::Success },
        { 0x80004001u, "E_NOTIMPL (0x80004001)", NtStatus::NotImplemented },
        { 0x80004002u, "E_NOINTERFACE (0x80004002)", NtStatus::NotSupported },
        { 0x80004005u, "E_FAIL (0x80004005)", NtStatus::Unsuccessful },
        { 0x80070057u, "E_INVALIDARG (0x80070057)", NtStatus::InvalidParameter },
        { 0x8007000Eu, "E_OUTOFMEMORY (0x8007000E)", NtStatus::NoMemory },
        { 0x887A0001u, "DXGI_ERROR_INVALID_CALL (0x887A0001)", NtStatus::InvalidParameter },
        { 0x887A0002u, "DXGI_ERROR_NOT_FOUND (0x887A0002)", NtStatus::Unsuccessful },
        { 0x887A0004u, "DXGI_ERROR_UNSUPPORTED (0x887A0004)", NtStatus::NotSupported },
        { 0x887A0005u, "DXGI_ERROR_DEVICE_REMOVED (0x887A0005)", NtStatus::DeviceRemoved },
        { 0x887A0007u, "DXGI_ERROR_DEVICE_RESET (0x887A0007)", NtStatus::DeviceRemoved },
        { 0x887A0022u, "DXGI_ERROR_NOT_CURRENTLY_AVAILABLE (0x887A0022)", NtStatus::Unsuccessful },
        // One the table does not know: its number, and a failure.
        { 0x887A0006u, "HRESULT 0x887A0006", NtStatus::Unsuccessful },
        { 0x12345678u, "HRESULT 0x12345678", NtStatus::Unsuccessful },
    };
    for (const Row& r : rows) {
        EXPECT_EQ(hresultText(r.hr), r.text);
        EXPECT_EQ(statusFromHresult(r.hr), r.status) << r.text;
    }
    // The words an event shows for a removed device.
    EXPECT_EQ(ntStatusName(statusFromHresult(0x887A0005u)), "STATUS_DEVICE_REMOVED");
}

// ---- sources that are not there -----------------------------------------------------------------------

TEST(LiveErrors, TheWindowsSourceOnLinuxIsNotAvailableAndSaysWhy)
{
#ifndef _WIN32
    std::string why = "stale";
    {
        const auto refused = openLiveBackend(BackendKind::Windows);
        EXPECT_FALSE(refused);
        why = refused.message();
    }
    EXPECT_EQ(why, "not available: this is not Windows (the gdi32.dll D3DKMT calls and DXGI)");
    const std::vector<SourceInfo> sources = dataSources();
    ASSERT_EQ(sources.size(), 3u);
    EXPECT_EQ(sources[1].name, "Windows (D3DKMT)");
    EXPECT_FALSE(sources[1].available);
    EXPECT_EQ(sources[1].reason, why);
    EXPECT_TRUE(sources[0].available) << "the simulator stays";
#endif
    std::string notLive;
    {
        const auto refused = openLiveBackend(BackendKind::Simulator);
        EXPECT_FALSE(refused);
        notLive = refused.message();
    }
    EXPECT_EQ(notLive, "not a live source: the simulator");
}

TEST(LiveErrors, ADevDxgThatListsNoAdapterIsNotAvailable)
{
    for (const bool enum3Missing : { false, true }) {
        auto device = std::make_unique<FakeDxg>();
        device->adapterCount = 0;
        device->enum3Missing = enum3Missing; // ENUMADAPTERS2 lists none either
        std::string why;
        {
            const auto refused = Wsl2Backend::openWith(std::move(device));
            EXPECT_FALSE(refused);
            why = refused.message();
        }
        EXPECT_EQ(why, "not available: /dev/dxg lists no adapter");
    }
}

TEST(LiveErrors, ADevDxgWhoseGpuIsGoneIsNotAvailable)
{
    auto device = std::make_unique<FakeDxg>();
    device->removed = true;
    std::string why;
    {
        const auto refused = Wsl2Backend::openWith(std::move(device));
        EXPECT_FALSE(refused);
        why = refused.message();
    }
    EXPECT_EQ(why,
        "not available: /dev/dxg does not answer LX_DXENUMADAPTERS3 or LX_DXENUMADAPTERS2 (STATUS_DEVICE_REMOVED)");
}

// ---- refusals while reading ---------------------------------------------------------------------------

TEST(LiveErrors, SegmentStatisticsRefusedAreANoteNotANumber)
{
    auto device = std::make_unique<FakeDxg>();
    device->statisticsError = EINVAL;
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    // The segment sizes come from KMTQAITYPE_GETSEGMENTSIZE instead.
    const AdapterDesc adapter = backend->adapters().at(0);
    ASSERT_EQ(adapter.segments.size(), 2u);
    EXPECT_EQ(adapter.segments[0].size, 4 * kGiB);
    // The refusal is in the event log, in words, with the status it stands for.
    const auto refused = std::find_if(backend->eventLog().begin(), backend->eventLog().end(),
        [](const events::Event& e) { return e.callText.find("LX_DXQUERYSTATISTICS") != std::string::npos; });
    ASSERT_NE(refused, backend->eventLog().end());
    EXPECT_EQ(refused->kind, events::EventKind::CallFailed);
    EXPECT_EQ(refused->status, NtStatus::InvalidParameter);
    EXPECT_EQ(refused->callText, "ioctl(/dev/dxg, LX_DXQUERYSTATISTICS) -> Invalid argument");
    EXPECT_EQ(refused->explanation, "LX_DXQUERYSTATISTICS failed: Invalid argument.");

    const LiveSample s = backend->sample(adapter.luid);
    EXPECT_TRUE(s.segments.empty()) << "no segment reading is made up";
    EXPECT_EQ(
        s.notes, std::vector<std::string> { "LX_DXQUERYSTATISTICS (SEGMENT) was refused: no segment statistics" });
    // What does answer is still read.
    ASSERT_EQ(s.groups.size(), 2u);
    EXPECT_EQ(s.groups[0].budget, 7 * kGiB);
}

TEST(LiveErrors, ADeviceRemovedWhileReadingSaysSoInventsNothingAndRecovers)
{
    auto device = std::make_unique<FakeDxg>();
    FakeDxg* fake = device.get();
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    const LUID luid = backend->adapters().at(0).luid;
    ASSERT_EQ(backend->sample(luid).segments.size(), 2u);

    // The GPU goes away: every ioctl answers ENODEV.
    fake->removed = true;
    const std::uint64_t before = backend->eventLog().lastSeq();
    const LiveSample gone = backend->sample(luid);
    EXPECT_TRUE(gone.segments.empty());
    EXPECT_TRUE(gone.groups.empty());
    EXPECT_TRUE(hasNote(gone, "LX_DXQUERYSTATISTICS (SEGMENT) was refused: no segment statistics"));
    EXPECT_TRUE(hasNote(gone, "LX_DXQUERYVIDEOMEMORYINFO (LOCAL) returned STATUS_DEVICE_REMOVED"));
    EXPECT_TRUE(hasNote(gone, "LX_DXQUERYVIDEOMEMORYINFO (NON_LOCAL) returned STATUS_DEVICE_REMOVED"));
    // In the event log: each call that now fails, once, as STATUS_DEVICE_REMOVED in words.
    const std::vector<const events::Event*> events = eventsAfter(backend->eventLog(), before);
    ASSERT_EQ(events.size(), 2u);
    for (const events::Event* e : events) {
        EXPECT_EQ(e->kind, events::EventKind::CallFailed);
        EXPECT_EQ(e->status, NtStatus::DeviceRemoved);
        EXPECT_NE(e->callText.find(" -> No such device"), std::string::npos) << e->callText;
        EXPECT_NE(e->explanation.find("failed: No such device."), std::string::npos) << e->explanation;
    }
    EXPECT_EQ(events[0]->explanation, "LX_DXQUERYSTATISTICS failed: No such device.");
    EXPECT_EQ(events[1]->explanation, "LX_DXQUERYVIDEOMEMORYINFO failed: No such device.");
    // Reading again while it is gone repeats the notes, not the events.
    const std::uint64_t afterFirst = backend->eventLog().lastSeq();
    EXPECT_EQ(backend->sample(luid).notes, gone.notes);
    EXPECT_EQ(backend->eventLog().lastSeq(), afterFirst);
    // The source keeps its adapter and keeps answering.
    ASSERT_EQ(backend->adapters().size(), 1u);
    D3DKMT_OFFERALLOCATIONS offer;
    EXPECT_EQ(backend->offerAllocations(offer), NtStatus::NotSupported);

    // The GPU is back: readings again, and the log says the calls answer.
    fake->removed = false;
    const std::uint64_t beforeBack = backend->eventLog().lastSeq();
    const LiveSample back = backend->sample(luid);
    EXPECT_EQ(back.segments.size(), 2u);
    EXPECT_EQ(back.groups.size(), 2u);
    EXPECT_TRUE(back.notes.empty());
    const std::vector<const events::Event*> answered = eventsAfter(backend->eventLog(), beforeBack);
    ASSERT_EQ(answered.size(), 2u);
    for (const events::Event* e : answered) {
        EXPECT_EQ(e->kind, events::EventKind::Queried);
        EXPECT_EQ(e->status, NtStatus::Success);
        EXPECT_NE(e->explanation.find("answered."), std::string::npos) << e->explanation;
    }
}

TEST(LiveErrors, AWorldOnADeviceRemovedShowsNoReadingAndGoesOn)
{
    auto device = std::make_unique<FakeDxg>();
    FakeDxg* fake = device.get();
    auto opened = Wsl2Backend::openWith(std::move(device));
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    LiveWorld world(std::move(backend), {});
    ASSERT_EQ(world.budgets().size(), 2u);
    fake->removed = true;
    world.sample();
    EXPECT_TRUE(world.lastSample().segments.empty());
    EXPECT_TRUE(world.budgets().empty()) << "no budget row without a reading";
    EXPECT_TRUE(hasNote(world.lastSample(), "LX_DXQUERYVIDEOMEMORYINFO (LOCAL) returned STATUS_DEVICE_REMOVED"));
    fake->removed = false;
    world.sample();
    ASSERT_EQ(world.budgets().size(), 2u);
    EXPECT_EQ(world.budgets()[0].budget, 7 * kGiB);
}
