// SPDX-License-Identifier: GPL-3.0-or-later
// One test per transition of the allocation life cycle (domain reference, section 5).
#include "World.h"

using namespace offerscope;
using namespace offerscope::test;

TEST(Lifecycle, CreateWithMakeResidentIsResident)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB, "Texture");
    const auto info = w.sim.allocation(a);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->state, AllocationState::Resident);
    EXPECT_TRUE(info->resident);
    EXPECT_EQ(info->residentRefs, 1u);
    EXPECT_EQ(info->name, "Texture");
    EXPECT_EQ(w.sim.segmentUsage(0).inUse, 64 * kMiB);
    EXPECT_EQ(w.usage(), 64 * kMiB);
}

TEST(Lifecycle, ResidentToOfferedAndBackWithOk)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Normal), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
    EXPECT_EQ(w.sim.segmentUsage(0).offeredByPriority[2], 64 * kMiB);
    EXPECT_EQ(w.sim.segmentUsage(0).resident, 64 * kMiB) << "an offer keeps its memory until needed";
    const auto r = w.reclaim({ a });
    EXPECT_EQ(r.status, NtStatus::Success);
    EXPECT_EQ(r.results[0], ReclaimResult::Ok);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.sim.segmentUsage(0).offeredResident, 0u);
}

TEST(Lifecycle, ResidentToEvictedByEvictAndBackByMakeResident)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.evict(a), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    EXPECT_EQ(w.sim.segmentUsage(0).evicted, 64 * kMiB);
    EXPECT_EQ(w.sim.segmentUsage(0).totalBytesEvicted, 64 * kMiB);
    EXPECT_EQ(w.evict(a), NtStatus::InvalidParameter) << "no reference left to release";

    D3DDDI_MAKERESIDENT mr;
    mr.hPagingQueue = w.queue;
    mr.NumAllocations = 1;
    mr.AllocationList = &a;
    EXPECT_EQ(w.sim.makeResident(mr), NtStatus::Pending) << "paging is needed: wait for the fence";
    EXPECT_EQ(mr.PagingFenceValue, 1u);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.sim.pagingFenceCompleted(w.queue), 0u);
    w.sim.advanceTime(10'000);
    EXPECT_EQ(w.sim.pagingFenceCompleted(w.queue), 1u);
    // Already resident: plain success, reference count 2.
    EXPECT_EQ(w.sim.makeResident(mr), NtStatus::Success);
    EXPECT_EQ(w.sim.allocation(a)->residentRefs, 2u);
    w.expectInvariants();
}

TEST(Lifecycle, EvictedCanBeOfferedAndReclaimedKeepingItsContent)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.evict(a), NtStatus::Success);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
    EXPECT_FALSE(w.sim.allocation(a)->resident);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::Ok);
    EXPECT_EQ(w.state(a), AllocationState::Evicted) << "not on the residency list: reclaim does not page it in";
    w.expectInvariants();
}

TEST(Lifecycle, DestroyFromEveryStateFreesEverything)
{
    World w;
    const CreatedResource resident = w.create(16 * kMiB);
    const CreatedResource offered = w.create(16 * kMiB);
    const CreatedResource discarded = w.create(16 * kMiB);
    ASSERT_EQ(w.offer({ offered.allocations[0] }), NtStatus::Success);
    ASSERT_EQ(w.offer({ discarded.allocations[0] }, OfferPriority::Low), NtStatus::Success);
    w.sim.setVerifier(VerifierSwitches { true, false, false, false });
    ASSERT_EQ(w.state(discarded.allocations[0]), AllocationState::Discarded);
    for (const CreatedResource* r : { &resident, &offered, &discarded })
        ASSERT_EQ(w.sim.destroyResource(w.device, r->hResource), NtStatus::Success);
    EXPECT_EQ(w.sim.segmentUsage(0).committed, 0u);
    EXPECT_EQ(w.sim.liveAllocationCount(), 0u);
    EXPECT_FALSE(w.sim.allocation(resident.allocations[0]));
    EXPECT_EQ(w.offer({ resident.allocations[0] }), NtStatus::InvalidParameter) << "stale handle";
    EXPECT_EQ(w.sim.destroyResource(w.device, resident.hResource), NtStatus::InvalidParameter);
    // A reused slot gets a new handle; the old one stays invalid.
    const D3DKMT_HANDLE again = w.alloc(16 * kMiB);
    EXPECT_NE(again, resident.allocations[0]);
    EXPECT_FALSE(w.sim.allocation(resident.allocations[0]));
    w.expectInvariants();
}

TEST(Lifecycle, OfferPendingReclaimedBeforeTheFenceIsOk)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 100), NtStatus::Success);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    ASSERT_EQ(w.state(a), AllocationState::OfferPending);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::Ok);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    w.sim.advanceTime(100);
    EXPECT_EQ(w.state(a), AllocationState::Resident) << "the retired fence does not revive a cancelled offer";
    w.expectInvariants();
}

TEST(Lifecycle, OfferedToDiscardedByPressureThenReclaimDiscarded)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(512 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    w.pressure(768 * kMiB);
    EXPECT_EQ(w.state(a), AllocationState::Discarded);
    EXPECT_EQ(w.sim.segmentUsage(0).discarded, 512 * kMiB);
    EXPECT_EQ(w.sim.segmentUsage(0).committed, 512 * kMiB + 768 * kMiB) << "discarded stays committed";
    const auto info = w.sim.allocation(a);
    EXPECT_NE(info->lossEvent, 0u);

    // Reclaiming needs 512 MiB back: only 256 MiB are free and the other process reserved what it has,
    // so nothing can be taken -> NO_MEMORY, atomically.
    D3DKMT_CHANGEVIDEOMEMORYRESERVATION reserve;
    reserve.hProcess = w.other;
    reserve.hAdapter = w.sim.adapterHandle();
    reserve.Reservation = 768 * kMiB;
    ASSERT_EQ(w.sim.changeVideoMemoryReservation(reserve), NtStatus::Success);
    auto r = w.reclaim({ a });
    EXPECT_EQ(r.status, NtStatus::NoMemory);
    EXPECT_EQ(w.state(a), AllocationState::Discarded);
    // Once the other process lets go, the reclaim answers DISCARDED and pages the memory back in.
    ASSERT_EQ(w.sim.setBudget(w.other, MemorySegmentGroup::Local, 0), NtStatus::Success);
    r = w.reclaim({ a });
    EXPECT_EQ(r.status, NtStatus::Success);
    EXPECT_EQ(r.results[0], ReclaimResult::Discarded);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_GT(r.fence, 0u) << "content must be paged in: wait on the paging fence";
    w.expectInvariants();
}

TEST(Lifecycle, OfferedToDecommittedByTrimProcessCommitment)
{
    World w;
    const D3DKMT_HANDLE keep = w.alloc(64 * kMiB), a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.offer({ keep }, OfferPriority::Low), NtStatus::Success);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    D3DKMT_QUERYPROCESSOFFERINFO info;
    info.hProcess = w.process;
    ASSERT_EQ(w.sim.queryProcessOfferInfo(info), NtStatus::Success);
    EXPECT_EQ(info.DecommittableBytes, 64 * kMiB) << "only offers made with AllowDecommit";
    const UINT64 uniqueness = info.DecommitUniqueness;

    D3DKMT_TRIMPROCESSCOMMITMENT trim;
    trim.hProcess = w.process;
    trim.DecommitRequested = 1 * kGiB;
    ASSERT_EQ(w.sim.trimProcessCommitment(trim), NtStatus::Success);
    EXPECT_EQ(trim.NumBytesDecommitted, 64 * kMiB);
    EXPECT_EQ(w.state(a), AllocationState::Decommitted);
    EXPECT_EQ(w.state(keep), AllocationState::Offered);
    ASSERT_EQ(w.sim.queryProcessOfferInfo(info), NtStatus::Success);
    EXPECT_EQ(info.DecommittableBytes, 0u);
    EXPECT_NE(info.DecommitUniqueness, uniqueness);
    EXPECT_EQ(w.sim.segmentUsage(0).decommitted, 64 * kMiB);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::NotCommitted);
    w.expectInvariants();
}

TEST(Lifecycle, TrimOnlyRepurposedTakesDiscardedOnly)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(512 * kMiB), b = w.alloc(256 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    ASSERT_EQ(w.offer({ b }, OfferPriority::High, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    w.pressure(512 * kMiB); // takes a (LOW)
    ASSERT_EQ(w.state(a), AllocationState::Discarded);
    D3DKMT_TRIMPROCESSCOMMITMENT trim;
    trim.hProcess = w.process;
    trim.Flags.Value = D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed;
    trim.DecommitRequested = 1 * kGiB;
    ASSERT_EQ(w.sim.trimProcessCommitment(trim), NtStatus::Success);
    EXPECT_EQ(trim.NumBytesDecommitted, 512 * kMiB);
    EXPECT_EQ(w.state(a), AllocationState::Decommitted);
    EXPECT_EQ(w.state(b), AllocationState::Offered);
    trim.cbSize = 3;
    EXPECT_EQ(w.sim.trimProcessCommitment(trim), NtStatus::InvalidParameter);
}

TEST(Lifecycle, EvictWhileGpuBusyHappensWhenTheWorkRetires)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 50), NtStatus::Success);
    ASSERT_EQ(w.evict(a), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    w.sim.advanceTime(50);
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    w.expectInvariants();
}

TEST(Lifecycle, GpuWorkPagesInAnEvictedAllocationOnTheResidencyList)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(600 * kMiB), b = w.alloc(300 * kMiB, "b", ResidencyPriority::kLow);
    w.pressure(400 * kMiB); // evicts b (lowest residency priority) -- nothing is offered
    ASSERT_EQ(w.state(b), AllocationState::Evicted);
    EXPECT_EQ(w.sim.allocation(b)->residentRefs, 1u);
    // b is on the residency list, so GPU work that uses it pages it back in; a is pinned by earlier GPU
    // work, so the only thing VidMm can evict for it is the other process' allocation.
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 10), NtStatus::Success);
    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { b }, 10), NtStatus::Success);
    EXPECT_EQ(w.state(b), AllocationState::Resident);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.sim.segmentUsage(0).evicted, 400 * kMiB);
    EXPECT_FALSE(w.sim.deviceRemoved(w.device));
    w.expectInvariants();
}

TEST(Lifecycle, GpuWorkNeverEvictsWhatItUsesToPageInTheRest)
{
    // Regression (found by the randomized invariants): paging B in for GPU work that also uses A must
    // not evict A, or A would end up "in use by the GPU" while evicted.
    World w;
    const D3DKMT_HANDLE a = w.alloc(300 * kMiB, "A", ResidencyPriority::kNormal);
    const D3DKMT_HANDLE b = w.alloc(400 * kMiB, "B", ResidencyPriority::kLow);
    w.pressure(400 * kMiB); // evicts B, the lowest residency priority
    ASSERT_EQ(w.state(b), AllocationState::Evicted);
    D3DKMT_CHANGEVIDEOMEMORYRESERVATION reserve;
    reserve.hProcess = w.other;
    reserve.hAdapter = w.sim.adapterHandle();
    reserve.Reservation = 400 * kMiB; // the other process' memory cannot be taken either
    ASSERT_EQ(w.sim.changeVideoMemoryReservation(reserve), NtStatus::Success);

    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a, b }, 10), NtStatus::NoMemory);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.state(b), AllocationState::Evicted);
    EXPECT_FALSE(w.sim.allocation(a)->gpuBusy);
    w.expectInvariants();
    // Alone, B fits by evicting A.
    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { b }, 10), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    EXPECT_EQ(w.state(b), AllocationState::Resident);
    w.expectInvariants();
}
