// SPDX-License-Identifier: GPL-3.0-or-later
// Pressure: discard order, policies, AUTO, budgets, trim, verifier switches, queries.
#include "World.h"

using namespace offerscope;
using namespace offerscope::test;

namespace {

std::vector<AllocationState> states(const World& w, const std::vector<D3DKMT_HANDLE>& handles)
{
    std::vector<AllocationState> out;
    for (D3DKMT_HANDLE h : handles)
        out.push_back(w.state(h));
    return out;
}

constexpr auto R = AllocationState::Resident;
constexpr auto O = AllocationState::Offered;
constexpr auto D = AllocationState::Discarded;
constexpr auto E = AllocationState::Evicted;

} // namespace

TEST(Pressure, LowBeforeNormalBeforeHighUnderGrowingPressure)
{
    World w;
    const D3DKMT_HANDLE high = w.alloc(256 * kMiB, "high"), normal = w.alloc(256 * kMiB, "normal"),
                        low = w.alloc(256 * kMiB, "low"), used = w.alloc(256 * kMiB, "in use");
    // Offered in the opposite order of their priority, so time order cannot explain the result.
    ASSERT_EQ(w.offer({ high }, OfferPriority::High), NtStatus::Success);
    ASSERT_EQ(w.offer({ normal }, OfferPriority::Normal), NtStatus::Success);
    ASSERT_EQ(w.offer({ low }, OfferPriority::Low), NtStatus::Success);
    const std::vector<D3DKMT_HANDLE> all { low, normal, high, used };
    w.pressure(256 * kMiB);
    EXPECT_EQ(states(w, all), (std::vector { D, O, O, R }));
    w.pressure(256 * kMiB);
    EXPECT_EQ(states(w, all), (std::vector { D, D, O, R }));
    w.pressure(256 * kMiB);
    EXPECT_EQ(states(w, all), (std::vector { D, D, D, R }));
    // Nothing offered is left: now VidMm evicts, and the content is kept.
    w.pressure(128 * kMiB);
    EXPECT_EQ(states(w, all), (std::vector { D, D, D, E }));
    w.expectInvariants();
}

TEST(Pressure, DiscardEventsExplainAndLinkToThePressure)
{
    World w;
    const D3DKMT_HANDLE low = w.alloc(512 * kMiB, "Level 1");
    ASSERT_EQ(w.offer({ low }, OfferPriority::Low), NtStatus::Success);
    w.pressure(768 * kMiB, "Browser");
    const Event* discard = nullptr;
    const Event* pressure = nullptr;
    for (const Event& e : w.sim.eventLog()) {
        if (e.kind == EventKind::Discarded)
            discard = &e;
        if (e.kind == EventKind::Pressure)
            pressure = &e;
    }
    ASSERT_TRUE(discard && pressure);
    EXPECT_EQ(discard->causeSeq, pressure->seq);
    EXPECT_EQ(discard->pressure, PressureSource::OtherProcessCommit);
    EXPECT_NE(pressure->explanation.find("Browser needs 768 MiB in segment 0 (VRAM)"), std::string::npos)
        << pressure->explanation;
    EXPECT_NE(discard->explanation.find("'Level 1'"), std::string::npos) << discard->explanation;
    EXPECT_EQ(discard->explanation,
        "Discarded 'Level 1' (0x40000001, 512 MiB) of App: memory was needed (another process commits) and it "
        "was next in line: VidMm takes offers LOW, then NORMAL, then HIGH, before touching anything in use, and "
        "this one is LOW. Its memory is reused; the next reclaim answers DISCARDED.");
}

TEST(Pressure, WithinPriorityOldestOfferFirstByDefault)
{
    World w;
    const D3DKMT_HANDLE first = w.alloc(128 * kMiB), second = w.alloc(256 * kMiB), third = w.alloc(128 * kMiB);
    ASSERT_EQ(w.offer({ second }), NtStatus::Success);
    ASSERT_EQ(w.offer({ first }), NtStatus::Success);
    ASSERT_EQ(w.offer({ third }), NtStatus::Success);
    EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low), (std::vector { second, first, third }));
    w.pressure(768 * kMiB); // 512 free, needs 256 more: the oldest offer (second, 256 MiB) goes
    EXPECT_EQ(states(w, { second, first, third }), (std::vector { D, O, O }));
}

TEST(Pressure, TheDiscardOrderMergesEveryProcessAndQueueAsPressureTakesThem)
{
    // Three processes offer at LOW in turn, some with AllowDecommit (a queue of its own): the discard
    // order the views show merges the six queues, and pressure takes the offers in that order, under
    // each within-priority order.
    for (const auto order : { WithinPriorityOrder::OldestOfferFirst, WithinPriorityOrder::LargestFirst,
             WithinPriorityOrder::SmallestFirst }) {
        SimPolicy policy;
        policy.withinPriorityOrder = order;
        World w(smallAdapter(), policy, 4 * kGiB);
        std::vector<D3DKMT_HANDLE> devices { w.device };
        for (const char* name : { "Second", "Third" })
            devices.push_back(*w.sim.createDevice(*w.sim.createProcess(name, 4 * kGiB, 2 * kGiB)));
        std::uint32_t seed = 12345;
        const auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7FFF; };
        std::vector<std::pair<D3DKMT_HANDLE, D3DKMT_HANDLE>> made; // allocation, device
        for (int i = 0; i < 24; ++i) {
            const D3DKMT_HANDLE device = devices[static_cast<std::size_t>(i) % devices.size()];
            const std::uint64_t size = (1 + next() % 6) * 8 * kMiB; // ties too, for the size orders
            made.push_back(
                { w.create(size, {}, ResidencyPriority::kNormal, false, 1, device).allocations.at(0), device });
        }
        for (std::size_t i = 0; i < made.size(); ++i) {
            const auto [h, device] = made[(i * 7) % made.size()]; // not in creation order
            const UINT flags = next() % 3 == 0 ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0;
            ASSERT_EQ(w.offer({ h }, OfferPriority::Low, flags, device), NtStatus::Success);
        }
        const std::vector<D3DKMT_HANDLE> shown = w.sim.discardOrder(0, OfferLevel::Low);
        ASSERT_EQ(shown.size(), made.size());
        // One byte more than is free at a time: each commit takes exactly the next victim.
        const D3DKMT_HANDLE taker = *w.sim.createProcess("Taker", 16 * kGiB, 2 * kGiB);
        std::vector<D3DKMT_HANDLE> taken;
        for (;;) {
            const SegmentUsage u = w.sim.segmentUsage(0);
            if (u.offeredResident == 0)
                break;
            const std::uint64_t seen = w.sim.eventLog().lastSeq();
            ASSERT_TRUE(w.sim.commitFromProcess(taker, 0, u.free() + 1).ok());
            std::size_t discards = 0;
            for (std::uint64_t seq = seen + 1; seq <= w.sim.eventLog().lastSeq(); ++seq)
                if (const Event* event = w.sim.eventLog().bySeq(seq);
                    event != nullptr && event->kind == EventKind::Discarded)
                    for (D3DKMT_HANDLE h : event->allocations) {
                        taken.push_back(h);
                        ++discards;
                    }
            ASSERT_EQ(discards, 1u) << "one byte more than is free takes one offer";
        }
        EXPECT_EQ(taken, shown) << "order " << static_cast<int>(order);
    }
}

TEST(Pressure, WithinPriorityLargestAndSmallestFirst)
{
    for (const auto order : { WithinPriorityOrder::LargestFirst, WithinPriorityOrder::SmallestFirst }) {
        World w;
        const D3DKMT_HANDLE small = w.alloc(64 * kMiB), big = w.alloc(256 * kMiB), mid = w.alloc(128 * kMiB);
        ASSERT_EQ(w.offer({ small, big, mid }), NtStatus::Success);
        SimPolicy policy;
        policy.withinPriorityOrder = order;
        w.sim.setPolicy(policy); // switching at run time reorders the lists
        if (order == WithinPriorityOrder::LargestFirst) {
            EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low), (std::vector { big, mid, small }));
            w.pressure(1024 * kMiB - 448 * kMiB + 64 * kMiB); // needs 64 MiB beyond free
            EXPECT_EQ(states(w, { small, big, mid }), (std::vector { O, D, O }));
        } else {
            EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low), (std::vector { small, mid, big }));
            w.pressure(1024 * kMiB - 448 * kMiB + 64 * kMiB);
            EXPECT_EQ(states(w, { small, big, mid }), (std::vector { D, O, O }));
        }
        w.expectInvariants();
    }
}

TEST(Pressure, AutoMapsFromResidencyPriority)
{
    World w;
    const D3DKMT_HANDLE minimum = w.alloc(64 * kMiB, "min", ResidencyPriority::kMinimum);
    const D3DKMT_HANDLE low = w.alloc(64 * kMiB, "low", ResidencyPriority::kLow);
    const D3DKMT_HANDLE normal = w.alloc(64 * kMiB, "normal", ResidencyPriority::kNormal);
    const D3DKMT_HANDLE high = w.alloc(64 * kMiB, "high", ResidencyPriority::kHigh);
    const D3DKMT_HANDLE maximum = w.alloc(64 * kMiB, "max", ResidencyPriority::kMaximum);
    ASSERT_EQ(w.offer({ maximum, high, normal, low, minimum }, OfferPriority::Auto), NtStatus::Success);
    EXPECT_EQ(w.sim.allocation(minimum)->effectivePriority, OfferPriority::Low);
    EXPECT_EQ(w.sim.allocation(low)->effectivePriority, OfferPriority::Low);
    EXPECT_EQ(w.sim.allocation(normal)->effectivePriority, OfferPriority::Normal);
    EXPECT_EQ(w.sim.allocation(high)->effectivePriority, OfferPriority::High);
    EXPECT_EQ(w.sim.allocation(maximum)->effectivePriority, OfferPriority::High);
    EXPECT_EQ(w.sim.allocation(maximum)->requestedPriority, OfferPriority::Auto);
    EXPECT_EQ(w.sim.segmentUsage(0).offeredByPriority[4], 320 * kMiB);
    EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low), (std::vector { low, minimum }));
    EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::High), (std::vector { maximum, high }));
    w.pressure(1024 * kMiB - 320 * kMiB + 192 * kMiB); // LOW twice, then NORMAL
    EXPECT_EQ(states(w, { minimum, low, normal, high, maximum }), (std::vector { D, D, D, O, O }));
}

TEST(Pressure, EvictionByResidencyPriorityThenLeastRecentlyUsed)
{
    World w;
    const D3DKMT_HANDLE oldNormal = w.alloc(128 * kMiB, "old", ResidencyPriority::kNormal);
    const D3DKMT_HANDLE newNormal = w.alloc(128 * kMiB, "new", ResidencyPriority::kNormal);
    const D3DKMT_HANDLE high = w.alloc(128 * kMiB, "high", ResidencyPriority::kHigh);
    const D3DKMT_HANDLE low = w.alloc(128 * kMiB, "low", ResidencyPriority::kLow);
    ASSERT_EQ(w.sim.lock(w.device, newNormal), NtStatus::Success); // use: moves to the back
    ASSERT_EQ(w.sim.unlock(w.device, newNormal), NtStatus::Success);
    ASSERT_EQ(w.sim.lock(w.device, oldNormal), NtStatus::Success);
    ASSERT_EQ(w.sim.unlock(w.device, oldNormal), NtStatus::Success);
    w.pressure(512 * kMiB + 128 * kMiB); // evicts low
    EXPECT_EQ(states(w, { low, newNormal, oldNormal, high }), (std::vector { E, R, R, R }));
    w.pressure(128 * kMiB); // then the least recently used NORMAL: newNormal was used before oldNormal
    EXPECT_EQ(states(w, { low, newNormal, oldNormal, high }), (std::vector { E, E, R, R }));
    w.expectInvariants();
}

TEST(Pressure, ReservationProtectsAgainstOtherProcesses)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(256 * kMiB);
    D3DKMT_QUERYVIDEOMEMORYINFO q;
    q.hAdapter = w.sim.adapterHandle();
    ASSERT_EQ(w.sim.queryVideoMemoryInfo(q), NtStatus::Success);
    EXPECT_EQ(q.AvailableForReservation, 512 * kMiB);
    D3DKMT_CHANGEVIDEOMEMORYRESERVATION res;
    res.hAdapter = w.sim.adapterHandle();
    res.Reservation = 600 * kMiB;
    EXPECT_EQ(w.sim.changeVideoMemoryReservation(res), NtStatus::InvalidParameter);
    res.Reservation = 256 * kMiB;
    ASSERT_EQ(w.sim.changeVideoMemoryReservation(res), NtStatus::Success);
    const D3DKMT_HANDLE other = *w.sim.createProcess("Other", 4 * kGiB);
    EXPECT_EQ(w.sim.commitFromProcess(other, 0, 900 * kMiB), NtStatus::NoMemory);
    EXPECT_EQ(w.state(a), R);
}

TEST(Budget, MakeResidentOverBudgetFailsWithNumBytesToTrim)
{
    World w(smallAdapter(), {}, 512 * kMiB);
    const D3DKMT_HANDLE a = w.alloc(384 * kMiB);
    const D3DKMT_HANDLE b = w.allocNotResident(256 * kMiB);
    D3DDDI_MAKERESIDENT mr;
    mr.hPagingQueue = w.queue;
    mr.NumAllocations = 1;
    mr.AllocationList = &b;
    EXPECT_EQ(w.sim.makeResident(mr), NtStatus::NoMemory);
    EXPECT_EQ(mr.NumBytesToTrim, 128 * kMiB);
    EXPECT_EQ(mr.NumAllocations, 0u);
    EXPECT_EQ(w.state(b), E);
    EXPECT_EQ(w.sim.allocation(b)->residentRefs, 0u) << "atomic: no reference taken";
    // Trimming by offering: VidMm takes the process' own offer first and the call succeeds.
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    mr.NumAllocations = 1;
    EXPECT_EQ(w.sim.makeResident(mr), NtStatus::Pending);
    EXPECT_EQ(w.state(a), D);
    EXPECT_EQ(w.state(b), R);
    EXPECT_LE(w.usage(), 512 * kMiB);
    w.expectInvariants();
}

TEST(Budget, CantTrimFurtherGoesOverBudget)
{
    World w(smallAdapter(), {}, 256 * kMiB);
    w.alloc(256 * kMiB);
    const D3DKMT_HANDLE b = w.allocNotResident(128 * kMiB);
    D3DDDI_MAKERESIDENT mr;
    mr.hPagingQueue = w.queue;
    mr.NumAllocations = 1;
    mr.AllocationList = &b;
    mr.Flags.Value = D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther;
    EXPECT_EQ(w.sim.makeResident(mr), NtStatus::Pending);
    EXPECT_EQ(w.usage(), 384 * kMiB);
    UINT64 toTrim = 0;
    ASSERT_EQ(w.evict(b, D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary, &toTrim), NtStatus::Success);
    EXPECT_EQ(toTrim, 128 * kMiB);
}

TEST(Budget, ShrinkSendsTrimNotificationAndTakesOwnOffersFirst)
{
    World w(smallAdapter(), {}, 1 * kGiB);
    const D3DKMT_HANDLE used = w.alloc(256 * kMiB, "in use", ResidencyPriority::kLow);
    const D3DKMT_HANDLE offered = w.alloc(256 * kMiB, "offered", ResidencyPriority::kMaximum);
    ASSERT_EQ(w.offer({ offered }, OfferPriority::High), NtStatus::Success);
    ASSERT_EQ(w.sim.setBudget(w.process, MemorySegmentGroup::Local, 256 * kMiB), NtStatus::Success);
    EXPECT_EQ(w.state(offered), D);
    EXPECT_EQ(w.state(used), R);
    bool notified = false;
    for (const Event& e : w.sim.eventLog())
        if (e.kind == EventKind::TrimNotification) {
            notified = true;
            EXPECT_EQ(e.bytes, 256 * kMiB);
        }
    EXPECT_TRUE(notified);
    // Shrinking further evicts what is in use.
    ASSERT_EQ(w.sim.setBudget(w.process, MemorySegmentGroup::Local, 128 * kMiB), NtStatus::Success);
    EXPECT_EQ(w.state(used), E);
    D3DKMT_QUERYVIDEOMEMORYINFO q;
    q.hAdapter = w.sim.adapterHandle();
    ASSERT_EQ(w.sim.queryVideoMemoryInfo(q), NtStatus::Success);
    EXPECT_EQ(q.Budget, 128 * kMiB);
    EXPECT_EQ(q.CurrentUsage, 0u);
    w.expectInvariants();
}

TEST(Budget, OfferedBytesInUsageIsASetting)
{
    for (const bool counts : { true, false }) {
        SimPolicy policy;
        policy.offeredCountsInUsage = counts;
        World w(smallAdapter(), policy);
        const D3DKMT_HANDLE a = w.alloc(128 * kMiB);
        ASSERT_EQ(w.offer({ a }), NtStatus::Success);
        EXPECT_EQ(w.usage(), counts ? 128 * kMiB : 0u);
    }
}

TEST(Budget, VerifierBudgetRestrictionCapsTheBudget)
{
    World w;
    ProcessVerifier v;
    v.budgetRestriction[0] = 100 * kMiB;
    ASSERT_EQ(w.sim.setProcessVerifier(w.process, v), NtStatus::Success);
    EXPECT_EQ(w.sim.processUsage(w.process, MemorySegmentGroup::Local)->budget, 100 * kMiB);
    CreateResourceArgs args;
    args.hDevice = w.device;
    args.allocationSizes = { 128 * kMiB };
    CreatedResource out;
    EXPECT_EQ(w.sim.createResource(args, out), NtStatus::NoMemory);
}

TEST(Verifier, AlwaysDiscardOffer)
{
    World w;
    w.sim.setVerifier(VerifierSwitches { true, false, false, false });
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::High), NtStatus::Success);
    EXPECT_EQ(w.state(a), D);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::Discarded);
}

TEST(Verifier, NeverDiscardOfferEvictsInstead)
{
    World w;
    w.sim.setVerifier(VerifierSwitches { false, true, false, false });
    const D3DKMT_HANDLE offered = w.alloc(512 * kMiB), used = w.alloc(256 * kMiB);
    ASSERT_EQ(w.offer({ offered }), NtStatus::Success);
    w.pressure(512 * kMiB);
    EXPECT_EQ(w.state(offered), O);
    EXPECT_EQ(w.state(used), E);
    EXPECT_EQ(w.reclaimOne(offered), ReclaimResult::Ok);
}

TEST(Verifier, AlwaysDecommitOffer)
{
    World w;
    w.sim.setVerifier(VerifierSwitches { false, false, true, false });
    const D3DKMT_HANDLE plain = w.alloc(512 * kMiB), decommittable = w.alloc(512 * kMiB);
    ASSERT_EQ(w.offer({ plain }), NtStatus::Success);
    ASSERT_EQ(w.offer({ decommittable }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    w.pressure(1 * kGiB);
    EXPECT_EQ(w.state(plain), D);
    EXPECT_EQ(w.state(decommittable), AllocationState::Decommitted);
    EXPECT_EQ(w.reclaimOne(decommittable), ReclaimResult::NotCommitted);
}

TEST(Verifier, AlwaysProcessOfferListEmptiesTheListOnAnyPressure)
{
    World w;
    w.sim.setVerifier(VerifierSwitches { false, false, false, true });
    const D3DKMT_HANDLE a = w.alloc(256 * kMiB), b = w.alloc(256 * kMiB);
    ASSERT_EQ(w.offer({ a, b }, OfferPriority::High), NtStatus::Success);
    w.pressure(16 * kMiB); // fits in free memory, yet the whole offer list is processed
    EXPECT_EQ(states(w, { a, b }), (std::vector { D, D }));
}

TEST(Verifier, AlwaysFailCommitOnReclaim)
{
    World w;
    ProcessVerifier v;
    v.alwaysFailCommitOnReclaim = true;
    ASSERT_EQ(w.sim.setProcessVerifier(w.process, v), NtStatus::Success);
    const D3DKMT_HANDLE kept = w.alloc(256 * kMiB), lost = w.alloc(512 * kMiB);
    ASSERT_EQ(w.offer({ kept }, OfferPriority::High), NtStatus::Success);
    ASSERT_EQ(w.offer({ lost }, OfferPriority::Low), NtStatus::Success);
    w.pressure(512 * kMiB);
    const auto r = w.reclaim({ kept, lost });
    ASSERT_EQ(r.status, NtStatus::Success);
    EXPECT_EQ(r.results[0], ReclaimResult::Ok) << "no commit needed, nothing fails";
    EXPECT_EQ(r.results[1], ReclaimResult::NotCommitted);
    EXPECT_EQ(w.state(lost), AllocationState::Decommitted);
}

TEST(Queries, ReclaimV1ReportsDiscardedFlags)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(512 * kMiB), b = w.alloc(256 * kMiB);
    ASSERT_EQ(w.offer({ a, b }), NtStatus::Success);
    w.pressure(512 * kMiB); // takes a only
    const D3DKMT_HANDLE handles[] = { a, b };
    BOOL discarded[2] = { 7, 7 };
    D3DKMT_RECLAIMALLOCATIONS r;
    r.hDevice = w.device;
    r.HandleList = handles;
    r.NumAllocations = 2;
    r.pDiscarded = discarded;
    ASSERT_EQ(w.sim.reclaimAllocations(r), NtStatus::Success);
    EXPECT_EQ(discarded[0], 1);
    EXPECT_EQ(discarded[1], 0);
    EXPECT_NE(
        w.sim.eventLog().back().callText.find("D3DKMTReclaimAllocations(&args); // STATUS_SUCCESS"), std::string::npos);
}

TEST(Queries, Reclaim2WithDiscardedFlagsOnWddm20)
{
    SimPolicy policy;
    policy.reclaim2Output = ReclaimOutput::DiscardedFlags;
    World w(smallAdapter(), policy);
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    w.sim.setVerifier(VerifierSwitches { true, false, false, false });
    ASSERT_EQ(w.state(a), D);
    BOOL discarded = 0;
    D3DKMT_RECLAIMALLOCATIONS2 r;
    r.hPagingQueue = w.queue;
    r.NumAllocations = 1;
    r.HandleList = &a;
    r.pDiscarded = &discarded;
    ASSERT_EQ(w.sim.reclaimAllocations2(r), NtStatus::Success);
    EXPECT_EQ(discarded, 1);
}

TEST(Queries, StatisticsFromTheState)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(256 * kMiB), b = w.alloc(128 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    w.pressure(900 * kMiB);
    EXPECT_EQ(w.state(b), AllocationState::Evicted); // discards a (256), then evicts b (128)
    D3DKMT_QUERYSTATISTICS q;
    q.AdapterLuid = w.sim.adapterLuid();
    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
    q.QuerySegment.SegmentId = 0;
    ASSERT_EQ(w.sim.queryStatistics(q), NtStatus::Success);
    const auto& s = q.QueryResult.SegmentInformation;
    EXPECT_EQ(s.CommitLimit, 1 * kGiB);
    EXPECT_EQ(s.BytesResident, 900 * kMiB);
    EXPECT_EQ(s.BytesCommitted, 900 * kMiB + 256 * kMiB + 128 * kMiB);
    EXPECT_EQ(s.Memory.TotalBytesEvicted, 128 * kMiB);
    EXPECT_EQ(s.Memory.AllocsCommitted, 3u);
    EXPECT_EQ(s.Memory.AllocsResident, 1u);
    EXPECT_EQ(s.Aperture, 0u);
    q.QuerySegment.SegmentId = 1;
    ASSERT_EQ(w.sim.queryStatistics(q), NtStatus::Success);
    EXPECT_EQ(q.QueryResult.SegmentInformation.Aperture, 1u);
    q.QuerySegment.SegmentId = 7;
    EXPECT_EQ(w.sim.queryStatistics(q), NtStatus::InvalidParameter);

    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup;
    q.hProcess = w.process;
    q.QueryProcessSegmentGroup = MemorySegmentGroup::Local;
    ASSERT_EQ(w.sim.queryStatistics(q), NtStatus::Success);
    EXPECT_EQ(q.QueryResult.ProcessSegmentGroupInformation.Usage, 0u);
    EXPECT_EQ(q.QueryResult.ProcessSegmentGroupInformation.Requested, 128 * kMiB) << "b is still on the residency list";
    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegment;
    q.QueryProcessSegment.SegmentId = 0;
    ASSERT_EQ(w.sim.queryStatistics(q), NtStatus::Success);
    EXPECT_EQ(q.QueryResult.ProcessSegmentInformation.BytesCommitted, 384 * kMiB);
    q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Node;
    EXPECT_EQ(w.sim.queryStatistics(q), NtStatus::NotSupported);

    D3DKMT_QUERYVIDEOMEMORYINFO v;
    v.hAdapter = 0x12345;
    EXPECT_EQ(w.sim.queryVideoMemoryInfo(v), NtStatus::InvalidParameter);
    v.hAdapter = w.sim.adapterHandle();
    v.MemorySegmentGroup = static_cast<MemorySegmentGroup>(2);
    EXPECT_EQ(w.sim.queryVideoMemoryInfo(v), NtStatus::InvalidParameter);
}
