// SPDX-License-Identifier: GPL-3.0-or-later
// The Windows live backend, run for real: cross-compiled with MinGW-w64 and run under Wine in CI
// (scripts/wine-run.sh), or on Windows. Wine is an independent implementation of these APIs; the
// tests assert what it really does (docs/wddm-model.md, section 6), and on Windows what any
// runtime must do. Nothing here may crash, and no reading may be invented.
#include "core/Units.h"
#include "core/live/LiveWorld.h"
#include "core/live/ProbePlan.h"
#include "core/live/WindowsBackend.h"
#include "core/sim/Simulator.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <iostream>
#include <windows.h>

using namespace offerscope;
using namespace offerscope::live;

namespace {

bool underWine()
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

bool mentions(const std::vector<std::string>& lines, const std::string& part)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

const events::Event* lastCall(const LiveBackend& backend, events::ApiCall call)
{
    const events::Event* found = nullptr;
    for (const events::Event& e : backend.eventLog())
        if (e.call == call)
            found = &e;
    return found;
}

class WindowsLive : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = WindowsBackend::open();
        why = opened.message();
        ASSERT_TRUE(opened) << why;
        backend = opened.take();
    }
    void TearDown() override
    {
        if (backend)
            for (const std::string& p : backend->problems())
                std::cout << "  problem reported: " << p << "\n";
    }
    std::string why;
    std::unique_ptr<WindowsBackend> backend;
};

} // namespace

TEST_F(WindowsLive, FindsAnAdapterAndOpensItByLuid)
{
    const std::vector<AdapterDesc> adapters = backend->adapters();
    ASSERT_FALSE(adapters.empty());
    EXPECT_FALSE(adapters.front().description.empty());
    EXPECT_NE(backend->adapterHandle(), 0u) << "D3DKMTOpenAdapterFromLuid (or EnumAdapters2) gave a handle";
    bool openedByLuid = false;
    for (const events::Event& e : backend->eventLog())
        if (e.callText.find("D3DKMTOpenAdapterFromLuid") != std::string::npos && ntSuccess(e.status))
            openedByLuid = true;
    if (underWine()) {
        EXPECT_FALSE(backend->hasExport("D3DKMTEnumAdapters2")) << "Wine 8 does not export it";
        EXPECT_TRUE(mentions(backend->problems(), "D3DKMTEnumAdapters2 is not exported"));
        EXPECT_TRUE(openedByLuid) << "so the adapter comes from DXGI and is opened by its LUID";
    } else {
        EXPECT_TRUE(openedByLuid || backend->hasExport("D3DKMTEnumAdapters2"));
    }
    EXPECT_GT(backend->probeDevice(), 0u) << "a D3D11 device for the probes";
}

TEST_F(WindowsLive, CreatesRealProbeResources)
{
    CreateResourceArgs args;
    args.hDevice = backend->probeDevice();
    args.allocationSizes = { 4 * kMiB, 1 * kMiB };
    args.name = "probe";
    CreatedResource out;
    ASSERT_EQ(backend->createResource(args, out), NtStatus::Success);
    ASSERT_EQ(out.allocations.size(), 2u);
    EXPECT_NE(out.allocations[0], out.allocations[1]);
    const events::Event* created = lastCall(*backend, events::ApiCall::CreateAllocation);
    ASSERT_NE(created, nullptr);
    EXPECT_NE(created->callText.find("CreateBuffer"), std::string::npos) << created->callText;

    // API misuse answers with a status and changes nothing.
    args.hDevice = 0xDEAD;
    EXPECT_EQ(backend->createResource(args, out), NtStatus::InvalidParameter);
    EXPECT_EQ(backend->destroyResource(backend->probeDevice(), 0x12345), NtStatus::InvalidHandle);
}

TEST_F(WindowsLive, OffersReportWhatTheRuntimeReturnsAndFallBackWithoutDevice4)
{
    CreateResourceArgs args;
    args.hDevice = backend->probeDevice();
    args.allocationSizes = { 2 * kMiB };
    CreatedResource out;
    ASSERT_EQ(backend->createResource(args, out), NtStatus::Success);

    D3DKMT_OFFERALLOCATIONS offer;
    offer.hDevice = backend->probeDevice();
    offer.HandleList = out.allocations.data();
    offer.NumAllocations = 1;
    offer.Priority = OfferPriority::Low;
    offer.Flags.Value = D3DKMT_OFFER_FLAGS::kAllowDecommit;
    const NtStatus status = backend->offerAllocations(offer);
    const events::Event* call = lastCall(*backend, events::ApiCall::OfferAllocations);
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(call->status, status);
    std::cout << "  " << call->callText << "\n  " << call->explanation << "\n";
    if (underWine()) {
        EXPECT_FALSE(backend->hasDevice4()) << "Wine 8: IDXGIDevice4 gives E_NOINTERFACE";
        EXPECT_TRUE(mentions(backend->problems(), "IDXGIDevice4 is not available (E_NOINTERFACE"));
        EXPECT_NE(call->callText.find("IDXGIDevice2::OfferResources("), std::string::npos) << "the fallback";
        EXPECT_NE(call->callText.find("E_NOTIMPL (0x80004001)"), std::string::npos);
        EXPECT_EQ(status, NtStatus::NotImplemented);
        EXPECT_EQ(call->kind, events::EventKind::CallFailed);
        EXPECT_NE(call->explanation.find("this runtime does not implement offers"), std::string::npos);
        EXPECT_TRUE(mentions(backend->problems(), "AllowDecommit needs IDXGIDevice4"));
    } else {
        EXPECT_TRUE(ntSuccess(status) || status == NtStatus::NotImplemented || status == NtStatus::NotSupported);
    }

    // AUTO is not a DXGI priority; a handle that is not a probe is refused: both with a status.
    offer.Priority = OfferPriority::Auto;
    EXPECT_EQ(backend->offerAllocations(offer), NtStatus::InvalidParameter);
    const D3DKMT_HANDLE stranger = 0x40001234;
    offer.Priority = OfferPriority::Low;
    offer.HandleList = &stranger;
    EXPECT_EQ(backend->offerAllocations(offer), NtStatus::InvalidHandle);
}

TEST_F(WindowsLive, TelemetryNeverInventsNumbers)
{
    const std::vector<AdapterDesc> adapters = backend->adapters();
    ASSERT_FALSE(adapters.empty());
    const LiveSample s = backend->sample(adapters.front().luid);
    for (const std::string& n : s.notes)
        std::cout << "  note: " << n << "\n";
    if (underWine()) {
        // QueryStatistics succeeds and writes nothing: no segment readings, and a note that says so.
        EXPECT_TRUE(backend->hasExport("D3DKMTQueryStatistics"));
        EXPECT_TRUE(s.segments.empty());
        EXPECT_TRUE(mentions(s.notes, "wrote nothing"));
        // D3DKMTQueryVideoMemoryInfo refuses (STATUS_INVALID_PARAMETER): DXGI is asked instead.
        EXPECT_TRUE(mentions(s.notes, "D3DKMTQueryVideoMemoryInfo (LOCAL) returned STATUS_INVALID_PARAMETER"));
        // Other processes (Wine's own services at least) are opened and asked; nothing is written,
        // so none is listed, and the note says how many were asked.
        EXPECT_TRUE(s.processes.empty());
        EXPECT_TRUE(mentions(s.notes, "other processes: D3DKMTQueryStatistics (PROCESS_SEGMENT_GROUP) returned "
                                      "STATUS_SUCCESS and reported no budget or usage for the"));
    }
    for (const ProcessGroupReading& p : s.processes) {
        EXPECT_FALSE(p.process.empty());
        EXPECT_TRUE(p.budget || p.usage);
    }
    for (const SegmentReading& r : s.segments)
        EXPECT_TRUE(r.commitLimit || r.bytesCommitted || r.bytesResident) << "an empty reading is no reading";
    for (const MemoryInfoReading& g : s.groups)
        EXPECT_FALSE(g.source.empty());

    // Through the Backend interface: the output is zeroed first, so what it holds came from the call.
    D3DKMT_QUERYSTATISTICS q;
    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
    q.AdapterLuid = adapters.front().luid;
    q.QueryResult.SegmentInformation.CommitLimit = 12345; // must not survive
    const NtStatus status = backend->queryStatistics(q);
    if (underWine()) {
        EXPECT_EQ(status, NtStatus::Success);
        EXPECT_EQ(q.QueryResult.SegmentInformation.CommitLimit, 0u);
    }
}

TEST_F(WindowsLive, AProbeRunBesideTheModelShowsWhereTheyDiffer)
{
    ProbePlan plan;
    plan.sizes = { 8 * kMiB, 8 * kMiB, 4 * kMiB };
    plan.priority = OfferPriority::Low;
    plan.pressureBytes = 32 * kMiB;
    // The plan runs as steps of a live world: each on the driver and on the model beside it.
    LiveWorld world(std::move(backend), {});
    world.setReadsAfterSteps(false);
    const std::vector<scenario::Step> steps = probeSteps(plan, world.probeDeviceName(), "probe");
    std::vector<LiveStepRecord> records;
    for (const scenario::Step& step : steps)
        records.push_back(world.applyStep(step));
    const std::vector<ProbeComparison> rows = compareProbes(steps, records);
    ASSERT_EQ(rows.size(), 3u);
    for (const ProbeComparison& c : rows) {
        std::cout << "  " << c.name << ": live " << c.live << " | model " << c.model << (c.differs ? "  <- " + c.why : "")
                  << "\n";
        EXPECT_EQ(c.model.rfind("offer STATUS_SUCCESS", 0), 0u) << "the model implements offers: " << c.model;
    }
    if (underWine()) {
        for (const ProbeComparison& c : rows) {
            EXPECT_EQ(c.live.rfind("offer STATUS_NOT_IMPLEMENTED", 0), 0u) << "created, then refused: " << c.live;
            EXPECT_TRUE(c.differs);
            EXPECT_NE(c.why.find("offering it: the driver answered STATUS_NOT_IMPLEMENTED"), std::string::npos) << c.why;
        }
    }
    backend.reset(); // the world owns it now (TearDown reads nothing)
}
