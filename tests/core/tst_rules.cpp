// SPDX-License-Identifier: GPL-3.0-or-later
// One test per rule of section 3 of the domain reference.
#include "World.h"

using namespace offerscope;
using namespace offerscope::test;

// Rule 1: a call that fails changes nothing.
TEST(Rule1Atomic, FailingOfferLeavesEveryAllocationAsItWas)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB), b = w.alloc(64 * kMiB);
    const SegmentUsage before = w.sim.segmentUsage(0);
    EXPECT_EQ(w.offer({ a, b, 0x40FFFFFF }), failsMentioning(NtStatus::InvalidParameter, "HandleList[2] = 0x40FFFFFF"));
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.state(b), AllocationState::Resident);
    EXPECT_EQ(w.sim.segmentUsage(0).offeredResident, 0u);
    EXPECT_EQ(w.sim.segmentUsage(0).resident, before.resident);
    EXPECT_EQ(w.sim.eventLog().back().kind, EventKind::CallFailed);
}

TEST(Rule1Atomic, FailingReclaimLeavesOffersOffered)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB), b = w.alloc(64 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    // b is not offered: the reclaim of {a, b} is rejected as a whole (rule 5 default).
    const auto r = w.reclaim({ a, b });
    EXPECT_EQ(r.status, NtStatus::InvalidParameter);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
    EXPECT_EQ(r.results[0], static_cast<ReclaimResult>(99)) << "outputs are not written on failure";
    w.expectInvariants();
}

// Rule 2: parameter errors.
class Rule2Parameters : public ::testing::Test {
protected:
    World w;
    D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    D3DKMT_OFFERALLOCATIONS args = [this] {
        D3DKMT_OFFERALLOCATIONS o;
        o.hDevice = w.device;
        o.HandleList = &a;
        o.NumAllocations = 1;
        o.Priority = OfferPriority::Low;
        return o;
    }();
    void expectRejected(const char* fragment)
    {
        EXPECT_EQ(w.sim.offerAllocations(args), failsMentioning(NtStatus::InvalidParameter, fragment));
        EXPECT_EQ(w.state(a), AllocationState::Resident);
    }
};

TEST_F(Rule2Parameters, BothArraysSet)
{
    D3DKMT_HANDLE resource = w.sim.allocation(a)->resource;
    args.pResources = &resource;
    expectRejected("both pResources and HandleList");
}

TEST_F(Rule2Parameters, NeitherArraySet)
{
    args.HandleList = nullptr;
    expectRejected("neither pResources nor HandleList");
}

TEST_F(Rule2Parameters, CountZero)
{
    args.NumAllocations = 0;
    expectRejected("NumAllocations is 0");
}

TEST_F(Rule2Parameters, CountOverLimit)
{
    std::vector<D3DKMT_HANDLE> many(kMaxOfferAllocations + 1, a);
    args.HandleList = many.data();
    args.NumAllocations = static_cast<UINT>(many.size());
    expectRejected("more than the limit of 10240");
}

TEST_F(Rule2Parameters, UnknownHandle)
{
    const D3DKMT_HANDLE bogus = 0x40001234;
    args.HandleList = &bogus;
    expectRejected("is not a live allocation");
}

TEST_F(Rule2Parameters, CountNotMatchingTheArrayKind)
{
    // A resource handle where allocation handles are expected (what a count/array mix-up produces).
    const D3DKMT_HANDLE resource = w.sim.allocation(a)->resource;
    args.HandleList = &resource;
    expectRejected("it is a resource handle: use pResources");
}

TEST_F(Rule2Parameters, DuplicateHandle)
{
    const D3DKMT_HANDLE twice[] = { a, a };
    args.HandleList = twice;
    args.NumAllocations = 2;
    expectRejected("listed twice");
}

TEST_F(Rule2Parameters, HandleOfAnotherDevice)
{
    const D3DKMT_HANDLE device2 = *w.sim.createDevice(w.process);
    args.hDevice = device2;
    expectRejected("belongs to another device");
}

TEST_F(Rule2Parameters, UnknownDevice)
{
    args.hDevice = 0x30000999;
    expectRejected("is not a device");
}

TEST_F(Rule2Parameters, PriorityOutOfRange)
{
    args.Priority = OfferPriority::None;
    expectRejected("Priority is 0");
    args.Priority = static_cast<OfferPriority>(5);
    expectRejected("Priority is 5");
}

TEST_F(Rule2Parameters, PresentResourceByResourceHandle)
{
    const CreatedResource swapChain = w.create(8 * kMiB, "Swap chain", ResidencyPriority::kNormal, true, 2);
    D3DKMT_HANDLE resource = swapChain.hResource;
    args.HandleList = nullptr;
    args.pResources = &resource;
    EXPECT_EQ(w.sim.offerAllocations(args), failsMentioning(NtStatus::InvalidParameter, "present bind flag"));
    EXPECT_EQ(w.state(swapChain.allocations[0]), AllocationState::Resident);
    // By allocation handles it is fine.
    EXPECT_EQ(w.offer(swapChain.allocations), NtStatus::Success);
    EXPECT_EQ(w.state(swapChain.allocations[1]), AllocationState::Offered);
}

TEST_F(Rule2Parameters, NonPresentResourceByResourceHandleOffersAllItsAllocations)
{
    const CreatedResource r = w.create(8 * kMiB, "Mips", ResidencyPriority::kNormal, false, 3);
    D3DKMT_HANDLE resource = r.hResource;
    args.HandleList = nullptr;
    args.pResources = &resource;
    ASSERT_EQ(w.sim.offerAllocations(args), NtStatus::Success);
    for (D3DKMT_HANDLE h : r.allocations)
        EXPECT_EQ(w.state(h), AllocationState::Offered);
}

TEST_F(Rule2Parameters, ReclaimTakesAPagingQueueNotADevice)
{
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    D3DKMT_RECLAIMALLOCATIONS2 r;
    r.hPagingQueue = w.device;
    r.NumAllocations = 1;
    r.HandleList = &a;
    EXPECT_EQ(w.sim.reclaimAllocations2(r), failsMentioning(NtStatus::InvalidParameter, "takes a paging queue"));
    EXPECT_EQ(w.state(a), AllocationState::Offered);
}

// Rule 3: an offer while GPU work is queued is pending until the fence retires.
TEST(Rule3PendingOffer, TakesEffectWhenTheFenceRetires)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    std::uint64_t fence = 0;
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 100, &fence), NtStatus::Success);
    EXPECT_EQ(fence, 1u);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::OfferPending);
    EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low).size(), 0u);
    EXPECT_EQ(w.sim.pendingOffers(0), std::vector<D3DKMT_HANDLE> { a });
    w.sim.advanceTime(99);
    EXPECT_EQ(w.state(a), AllocationState::OfferPending);
    w.sim.advanceTime(1);
    EXPECT_EQ(w.sim.deviceFenceCompleted(w.device), 1u);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
    EXPECT_EQ(w.sim.discardOrder(0, OfferLevel::Low), std::vector<D3DKMT_HANDLE> { a });
    w.expectInvariants();
}

TEST(Rule3PendingOffer, PendingOfferIsNotDiscardedByPressure)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(512 * kMiB);
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 100), NtStatus::Success);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    // 512 MiB are free; asking 768 MiB can only be met from the pending offer, which is not allowed.
    const D3DKMT_HANDLE other = *w.sim.createProcess("Other", 4 * kGiB);
    EXPECT_EQ(w.sim.commitFromProcess(other, 0, 768 * kMiB), NtStatus::NoMemory);
    EXPECT_EQ(w.state(a), AllocationState::OfferPending);
}

TEST(Rule3PendingOffer, OfferImmediatelySkipsTheWait)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 100), NtStatus::Success);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kOfferImmediately), NtStatus::Success);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
    w.expectInvariants();
}

// Rule 4: locked allocations cannot be offered; offered ones cannot be locked or used by the GPU.
TEST(Rule4Access, LockedAllocationCannotBeOffered)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.sim.lock(w.device, a), NtStatus::Success);
    EXPECT_EQ(w.offer({ a }), failsMentioning(NtStatus::InvalidParameter, "locked"));
    ASSERT_EQ(w.sim.unlock(w.device, a), NtStatus::Success);
    EXPECT_EQ(w.offer({ a }), NtStatus::Success);
}

TEST(Rule4Access, OfferedAllocationCannotBeLocked)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    EXPECT_EQ(w.sim.lock(w.device, a), NtStatus::InvalidParameter);
    EXPECT_EQ(w.sim.allocation(a)->lockCount, 0u);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::Ok);
    EXPECT_EQ(w.sim.lock(w.device, a), NtStatus::Success);
}

TEST(Rule4Access, GpuUseOfAnOfferedAllocationRemovesTheDevice)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB), b = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { b, a }, 10), NtStatus::DeviceRemoved);
    EXPECT_TRUE(w.sim.deviceRemoved(w.device));
    EXPECT_EQ(w.offer({ b }), NtStatus::DeviceRemoved);
    EXPECT_EQ(w.reclaim({ a }).status, NtStatus::DeviceRemoved);
    EXPECT_EQ(w.state(a), AllocationState::Offered);
}

TEST(Rule4Access, GpuUseOfANonResidentAllocationRemovesTheDevice)
{
    World w;
    const D3DKMT_HANDLE a = w.allocNotResident(16 * kMiB);
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 10), NtStatus::DeviceRemoved);
}

// Rule 5: redundant offers and reclaims.
TEST(Rule5Redundant, RejectedByDefault)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB), b = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    EXPECT_EQ(w.offer({ a }), failsMentioning(NtStatus::InvalidParameter, "already offered"));
    EXPECT_EQ(w.reclaim({ b }).status, failsMentioning(NtStatus::InvalidParameter, "is not offered"));
}

TEST(Rule5Redundant, AcceptedAndIgnoredWhenSwitched)
{
    SimPolicy policy;
    policy.rejectRedundantCalls = false;
    World w(smallAdapter(), policy);
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB), b = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low), NtStatus::Success);
    EXPECT_EQ(w.offer({ a }, OfferPriority::High), NtStatus::Success);
    EXPECT_EQ(w.sim.allocation(a)->requestedPriority, OfferPriority::Low) << "ignored, not re-offered";
    const auto r = w.reclaim({ b });
    EXPECT_EQ(r.status, NtStatus::Success);
    EXPECT_EQ(r.results[0], ReclaimResult::Ok);
    EXPECT_EQ(w.state(b), AllocationState::Resident);
    w.expectInvariants();
}

// Rule 6: NOT_COMMITTED is terminal.
TEST(Rule6Terminal, DecommittedAllocationOnlyDies)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(64 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Normal, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    EXPECT_EQ(w.sim.applySystemCommitPressure(64 * kMiB), 64 * kMiB);
    EXPECT_EQ(w.state(a), AllocationState::Decommitted);
    EXPECT_EQ(w.reclaimOne(a), ReclaimResult::NotCommitted);
    EXPECT_EQ(w.state(a), AllocationState::Decommitted);
    EXPECT_EQ(w.reclaim({ a }).status, NtStatus::InvalidParameter) << "a second reclaim fails";
    EXPECT_EQ(w.offer({ a }), NtStatus::InvalidParameter);
    EXPECT_EQ(w.sim.lock(w.device, a), NtStatus::InvalidParameter);
    EXPECT_EQ(w.sim.submitGpuWork(w.device, std::vector<D3DKMT_HANDLE> { a }, 1), NtStatus::DeviceRemoved);
    const D3DKMT_HANDLE resource = w.sim.allocation(a)->resource;
    EXPECT_EQ(w.sim.destroyResource(w.device, resource), NtStatus::Success);
    EXPECT_FALSE(w.sim.allocation(a).has_value());
    w.expectInvariants();
}

TEST(Rule2ResidencyParameters, MakeResidentAndEvictNameTheirOwnArray)
{
    World w;
    const D3DKMT_HANDLE bogus[] = { 0x40ABCDEF };
    D3DDDI_MAKERESIDENT mr;
    mr.hPagingQueue = w.queue;
    mr.NumAllocations = 1;
    mr.AllocationList = bogus;
    EXPECT_EQ(w.sim.makeResident(mr),
        failsMentioning(NtStatus::InvalidParameter, "AllocationList[0] = 0x40ABCDEF is not a live allocation"));
    std::vector<D3DKMT_HANDLE> many(kMaxOfferAllocations + 1, 0x40000001);
    mr.AllocationList = many.data();
    mr.NumAllocations = static_cast<UINT>(many.size());
    EXPECT_EQ(w.sim.makeResident(mr), failsMentioning(NtStatus::InvalidParameter, "NumAllocations is 10241"));
    D3DKMT_EVICT ev;
    ev.hDevice = w.device;
    ev.NumAllocations = 1;
    ev.AllocationList = bogus;
    EXPECT_EQ(w.sim.evict(ev), failsMentioning(NtStatus::InvalidParameter, "D3DKMTEvict: AllocationList[0]"));
}

TEST(ByteAccounting, AnAllocationLargerThanItsSegmentIsRefused)
{
    World w; // 1 GiB of VRAM
    CreateResourceArgs args;
    args.hDevice = w.device;
    args.allocationSizes = { 64 * kMiB, 2 * kGiB };
    args.makeResident = false; // even committed only: it could never be made resident
    CreatedResource out;
    EXPECT_EQ(w.sim.createResource(args, out),
        failsWith(NtStatus::NoMemory,
            "D3DKMTCreateAllocation: allocation 1 (2 GiB) is larger than segment 0 (VRAM) (1 GiB)"));
    EXPECT_EQ(out.hResource, 0u);
    EXPECT_EQ(w.sim.liveAllocationCount(), 0u);
    w.expectInvariants();
}

TEST(ByteAccounting, HugeSegmentsAndBudgetsNeverWrapAround)
{
    // A segment of 2^64 - 1 bytes is modelled as 1 PiB; a budget of 2^64 - 1 bytes is no budget at all.
    World w(AdapterConfig { "Huge", { { "VRAM", UINT64_MAX, MemorySegmentGroup::Local, false } } }, {}, UINT64_MAX);
    EXPECT_EQ(w.sim.segmentUsage(0).size, kMaxSegmentBytes);
    // Two allocations of a whole segment each: their total does not fit, and it does not wrap to 0 either.
    CreateResourceArgs args;
    args.hDevice = w.device;
    args.allocationSizes = { kMaxSegmentBytes, kMaxSegmentBytes };
    CreatedResource out;
    EXPECT_EQ(w.sim.createResource(args, out), NtStatus::NoMemory);
    EXPECT_EQ(w.sim.segmentUsage(0).resident, 0u);
    // Two halves fill it; a third half evicts the least recently used one, and the totals stay exact.
    const std::uint64_t half = kMaxSegmentBytes / 2;
    w.create(half, "a", ResidencyPriority::kNormal, false, 2);
    EXPECT_EQ(w.sim.segmentUsage(0).resident, kMaxSegmentBytes);
    w.create(half, "b");
    EXPECT_EQ(w.sim.segmentUsage(0).resident, kMaxSegmentBytes);
    EXPECT_EQ(w.sim.segmentUsage(0).evicted, half);
    EXPECT_EQ(w.sim.segmentUsage(0).committed, kMaxSegmentBytes + half);
    w.expectInvariants();
}
