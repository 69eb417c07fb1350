// SPDX-License-Identifier: GPL-3.0-or-later
// API misuse in the simulator: calls Windows would reject, beyond the offer and reclaim parameter rules
// of tst_rules.cpp. Each test checks the status returned, that nothing changed where the code promises
// it (the state dump, the totals, the outputs), and the words: the returned Status's message and, for the
// D3DKMT calls, the CallFailed event ("<call> returns <STATUS> and changes nothing: <why>.").
// docs/robustness.md ("API misuse in the simulator") lists these tests.
#include "World.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace offerscope;
using namespace offerscope::test;

namespace {

/// A handle as the simulator's words write it: "0x40000001".
std::string formatHex(D3DKMT_HANDLE handle)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", handle);
    return text;
}

/// Every allocation and total, and the clock, without the event counter (a failed call logs an event).
std::string stateOf(const Simulator& sim)
{
    std::string dump = sim.stateDump();
    return dump.substr(0, dump.rfind(" seq="));
}

/// A call that failed through the simulator's fail(): its status, its message as "<call>: <why>", the
/// CallFailed event that says the same, and no change to the state.
void expectFailed(const World& w, const std::string& before, std::uint64_t seqBefore, const Status& status,
    NtStatus expected, ApiCall call, const std::string& why)
{
    const std::string name(apiCallName(call));
    EXPECT_EQ(status, failsWith(expected, name + ": " + why));
    ASSERT_GT(w.sim.eventLog().lastSeq(), seqBefore) << "a failed call logs a CallFailed event";
    const Event& e = w.sim.eventLog().back();
    EXPECT_EQ(e.kind, EventKind::CallFailed);
    EXPECT_EQ(e.cause, CauseKind::Call);
    EXPECT_EQ(e.call, call);
    EXPECT_EQ(e.status, expected);
    EXPECT_EQ(
        e.explanation, name + " returns " + std::string(ntStatusName(expected)) + " and changes nothing: " + why + ".");
    EXPECT_EQ(stateOf(w.sim), before) << "a failed call changes nothing";
    w.expectInvariants();
}

D3DDDI_MAKERESIDENT makeResidentArgs(const World& w, const D3DKMT_HANDLE* list, UINT count, UINT flags = 0)
{
    D3DDDI_MAKERESIDENT args;
    args.hPagingQueue = w.queue;
    args.AllocationList = list;
    args.NumAllocations = count;
    args.Flags.Value = flags;
    return args;
}

} // namespace

// ---- the CallFailed event ------------------------------------------------------------------------------

TEST(MisuseEvent, CallFailedSaysTheCallTheStatusAndWhyInOneSentence)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB, "tex");
    w.sim.advanceTime(250);
    D3DKMT_OFFERALLOCATIONS args;
    args.hDevice = w.device;
    args.HandleList = &a;
    args.NumAllocations = 1;
    args.Priority = OfferPriority::Low;
    args.Flags.Value = 0x4; // not OfferImmediately (0x1) nor AllowDecommit (0x2)
    EXPECT_EQ(w.sim.offerAllocations(args),
        failsWith(NtStatus::InvalidParameter, "D3DKMTOfferAllocations: Flags has reserved bits set"));
    const Event& e = w.sim.eventLog().back();
    EXPECT_EQ(e.kind, EventKind::CallFailed);
    EXPECT_EQ(e.status, NtStatus::InvalidParameter);
    EXPECT_EQ(e.call, ApiCall::OfferAllocations);
    EXPECT_EQ(e.time, 250u);
    EXPECT_EQ(e.explanation,
        "D3DKMTOfferAllocations returns STATUS_INVALID_PARAMETER and changes nothing: Flags has reserved bits set.");
    // The call as a driver developer writes it, with the status it returned.
    EXPECT_NE(e.callText.find("D3DKMTOfferAllocations"), std::string::npos) << e.callText;
    EXPECT_NE(e.callText.find("STATUS_INVALID_PARAMETER"), std::string::npos) << e.callText;
    // The event log's line carries the same words.
    EXPECT_NE(EventLog::formatLine(e).find("changes nothing: Flags has reserved bits set."), std::string::npos)
        << EventLog::formatLine(e);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
}

// ---- reserved flag bits --------------------------------------------------------------------------------

TEST(MisuseFlags, OfferWithReservedBitsIsRejectedWithTheEventLogOnOrOff)
{
    for (const UINT flags : { 0x4u, 0x80000000u, 0x7u }) {
        for (const bool logging : { true, false }) {
            World w;
            const D3DKMT_HANDLE a = w.alloc(16 * kMiB, "tex");
            if (!logging)
                w.sim.eventLog().setMode(EventLog::Mode::Off); // the fast path of a single-handle offer
            const std::string before = stateOf(w.sim);
            const std::uint64_t seq = w.sim.eventLog().lastSeq();
            const Status status = w.offer({ a }, OfferPriority::Low, flags);
            if (logging) {
                expectFailed(w, before, seq, status, NtStatus::InvalidParameter, ApiCall::OfferAllocations,
                    "Flags has reserved bits set");
            } else {
                EXPECT_EQ(status,
                    failsWith(NtStatus::InvalidParameter, "D3DKMTOfferAllocations: Flags has reserved bits set"))
                    << "flags " << flags;
                EXPECT_EQ(stateOf(w.sim), before);
            }
            EXPECT_EQ(w.state(a), AllocationState::Resident);
            EXPECT_EQ(w.sim.segmentUsage(0).offeredResident, 0u);
        }
    }
}

TEST(MisuseFlags, MakeResidentWithReservedBitsIsRejected)
{
    World w;
    const D3DKMT_HANDLE a = w.allocNotResident(16 * kMiB);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &a, 1, 0x4);
    args.PagingFenceValue = 77;
    args.NumBytesToTrim = 77;
    expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::InvalidParameter, ApiCall::MakeResident,
        "Flags has reserved bits set");
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    EXPECT_EQ(w.sim.allocation(a)->residentRefs, 0u);
    EXPECT_EQ(args.NumAllocations, 1u);
    EXPECT_EQ(args.PagingFenceValue, 0u);
    EXPECT_EQ(args.NumBytesToTrim, 0u);
    EXPECT_EQ(w.sim.pagingFenceCompleted(w.queue), 0u);
}

TEST(MisuseFlags, EvictWithReservedBitsIsRejectedAndTheReferenceStays)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    UINT64 bytesToTrim = 77;
    // Neither EvictOnlyIfNecessary (0x1) nor NotWrittenTo (0x2).
    expectFailed(w, before, seq, w.evict(a, 0x4, &bytesToTrim), NtStatus::InvalidParameter, ApiCall::Evict,
        "Flags has reserved bits set");
    EXPECT_EQ(bytesToTrim, 0u);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
    EXPECT_EQ(w.sim.allocation(a)->residentRefs, 1u);
}

TEST(MisuseFlags, TrimProcessCommitmentWithReservedBitsIsRejected)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    D3DKMT_TRIMPROCESSCOMMITMENT args;
    args.hProcess = w.process;
    args.Flags.Value = 0x4; // not Lazy (0x1) nor OnlyRepurposed (0x2)
    args.DecommitRequested = 16 * kMiB;
    args.NumBytesDecommitted = 77;
    expectFailed(w, before, seq, w.sim.trimProcessCommitment(args), NtStatus::InvalidParameter,
        ApiCall::TrimProcessCommitment, "Flags has reserved bits set");
    EXPECT_EQ(args.NumBytesDecommitted, 77u) << "outputs are not written on failure";
    EXPECT_EQ(w.state(a), AllocationState::Offered) << "the AllowDecommit offer is not decommitted";
}

// ---- locks -----------------------------------------------------------------------------------------------

TEST(MisuseLock, UnlockingWhatIsNotLockedIsRejected)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB, "tex");
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    expectFailed(w, before, seq, w.sim.unlock(w.device, a), NtStatus::InvalidParameter, ApiCall::Unlock,
        "'tex' (" + formatHex(a) + ", 16 MiB) is not locked");
    EXPECT_EQ(w.sim.allocation(a)->lockCount, 0u);
    // A second unlock after one lock is the same misuse.
    ASSERT_EQ(w.sim.lock(w.device, a), NtStatus::Success);
    ASSERT_EQ(w.sim.unlock(w.device, a), NtStatus::Success);
    EXPECT_EQ(w.sim.unlock(w.device, a), NtStatus::InvalidParameter);
    EXPECT_EQ(w.sim.allocation(a)->lockCount, 0u);
    // And it stays usable: it can be offered (it is not locked).
    EXPECT_EQ(w.offer({ a }), NtStatus::Success);
}

TEST(MisuseLock, LockedTooManyTimesIsRejectedAndTheLocksStay)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB, "tex");
    w.sim.eventLog().setMode(EventLog::Mode::Off); // 65535 lock events are not what this test is about
    for (std::uint32_t i = 0; i < 0xFFFF; ++i)
        ASSERT_EQ(w.sim.lock(w.device, a), NtStatus::Success) << "lock " << i;
    w.sim.eventLog().setMode(EventLog::Mode::Full);
    ASSERT_EQ(w.sim.allocation(a)->lockCount, 0xFFFFu);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    expectFailed(w, before, seq, w.sim.lock(w.device, a), NtStatus::InvalidParameter, ApiCall::Lock,
        "'tex' (" + formatHex(a) + ", 16 MiB) is locked too many times");
    EXPECT_EQ(w.sim.allocation(a)->lockCount, 0xFFFFu) << "the count does not wrap to 0";
    EXPECT_EQ(w.offer({ a }), NtStatus::InvalidParameter) << "it is still locked";
    // An unlock still works.
    EXPECT_EQ(w.sim.unlock(w.device, a), NtStatus::Success);
    EXPECT_EQ(w.sim.allocation(a)->lockCount, 0xFFFEu);
}

// ---- residency -------------------------------------------------------------------------------------------

TEST(MisuseResidency, TooManyMakeResidentReferencesIsRejectedAndTheReferencesStay)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB); // created resident: one reference
    ASSERT_EQ(w.sim.allocation(a)->residentRefs, 1u);
    w.sim.eventLog().setMode(EventLog::Mode::Off);
    for (std::uint32_t i = 1; i < 0xFFFF; ++i) {
        D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &a, 1);
        ASSERT_EQ(w.sim.makeResident(args), NtStatus::Success) << "reference " << i;
    }
    w.sim.eventLog().setMode(EventLog::Mode::Full);
    ASSERT_EQ(w.sim.allocation(a)->residentRefs, 0xFFFFu);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &a, 1);
    expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::InvalidParameter, ApiCall::MakeResident,
        "AllocationList[0] = " + formatHex(a) + " has too many MakeResident references");
    EXPECT_EQ(w.sim.allocation(a)->residentRefs, 0xFFFFu) << "the count does not wrap to 0";
    EXPECT_EQ(args.NumAllocations, 1u);
    // Evict releases one reference as usual.
    EXPECT_EQ(w.evict(a), NtStatus::Success);
    EXPECT_EQ(w.sim.allocation(a)->residentRefs, 0xFFFEu);
    EXPECT_EQ(w.state(a), AllocationState::Resident);
}

TEST(MisuseResidency, MakeResidentAndEvictWithoutAnAllocationList)
{
    World w;
    const D3DKMT_HANDLE a = w.allocNotResident(16 * kMiB);
    const D3DKMT_HANDLE b = w.alloc(16 * kMiB);
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DDDI_MAKERESIDENT args = makeResidentArgs(w, nullptr, 1);
        expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::InvalidParameter, ApiCall::MakeResident,
            "AllocationList is NULL");
        EXPECT_EQ(args.PagingFenceValue, 0u);
    }
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &a, 0);
        expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::InvalidParameter, ApiCall::MakeResident,
            "NumAllocations is 0");
    }
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DKMT_EVICT args;
        args.hDevice = w.device;
        args.NumAllocations = 1;
        args.NumBytesToTrim = 77;
        expectFailed(
            w, before, seq, w.sim.evict(args), NtStatus::InvalidParameter, ApiCall::Evict, "AllocationList is NULL");
        EXPECT_EQ(args.NumBytesToTrim, 0u);
        args.AllocationList = &b;
        args.NumAllocations = 0;
        const std::uint64_t seq2 = w.sim.eventLog().lastSeq();
        expectFailed(
            w, before, seq2, w.sim.evict(args), NtStatus::InvalidParameter, ApiCall::Evict, "NumAllocations is 0");
    }
    EXPECT_EQ(w.state(a), AllocationState::Evicted);
    EXPECT_EQ(w.state(b), AllocationState::Resident);
    EXPECT_EQ(w.sim.allocation(b)->residentRefs, 1u);
}

TEST(MisuseResidency, MustSucceedThatCannotSucceedRemovesTheDevice)
{
    // A budget large enough (4 GiB): the segment is what is short. 768 MiB of the 1 GiB VRAM are
    // locked, so 512 MiB do not fit whatever VidMm evicts.
    World w(smallAdapter(), {}, 4 * kGiB);
    const D3DKMT_HANDLE pinned = w.alloc(768 * kMiB, "pinned");
    ASSERT_EQ(w.sim.lock(w.device, pinned), NtStatus::Success);
    const D3DKMT_HANDLE big = w.allocNotResident(512 * kMiB);
    const std::string why = "512 MiB do not fit in segment 0 (VRAM) even after discarding every offer and "
                            "evicting everything evictable";

    // CantTrimFurther alone: STATUS_NO_MEMORY, NumBytesToTrim 0 (trimming would not help), the device stays.
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &big, 1, D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther);
        expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::NoMemory, ApiCall::MakeResident, why);
        EXPECT_EQ(args.NumAllocations, 0u);
        EXPECT_EQ(args.NumBytesToTrim, 0u);
        EXPECT_FALSE(w.sim.deviceRemoved(w.device));
    }

    // With MustSucceed (which goes with CantTrimFurther): the device is removed, and the call returns
    // STATUS_DEVICE_REMOVED.
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    D3DDDI_MAKERESIDENT args = makeResidentArgs(
        w, &big, 1, D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther | D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed);
    EXPECT_EQ(w.sim.makeResident(args), failsWith(NtStatus::DeviceRemoved, "D3DKMTMakeResident: " + why));
    EXPECT_TRUE(w.sim.deviceRemoved(w.device));
    EXPECT_EQ(args.NumAllocations, 0u);
    EXPECT_EQ(args.NumBytesToTrim, 0u);
    // Two events: the device is removed, then the call fails.
    ASSERT_EQ(w.sim.eventLog().lastSeq(), seq + 2);
    const Event& removed = *w.sim.eventLog().bySeq(seq + 1);
    EXPECT_EQ(removed.kind, EventKind::DeviceRemoved);
    EXPECT_EQ(removed.status, NtStatus::DeviceRemoved);
    EXPECT_EQ(removed.device, w.device);
    EXPECT_EQ(removed.call, ApiCall::MakeResident); // the call that removed it, not a GPU submission
    EXPECT_EQ(removed.explanation,
        "Device " + formatHex(w.device)
            + " of App is removed: D3DKMTMakeResident with MustSucceed could not make its allocations resident: " + why
            + ". Every later call on it returns STATUS_DEVICE_REMOVED.");
    const Event& failed = w.sim.eventLog().back();
    EXPECT_EQ(failed.kind, EventKind::CallFailed);
    EXPECT_EQ(failed.call, ApiCall::MakeResident);
    EXPECT_EQ(failed.status, NtStatus::DeviceRemoved);
    EXPECT_EQ(failed.explanation,
        "D3DKMTMakeResident returns STATUS_DEVICE_REMOVED: " + why + "; with MustSucceed that removes the device.");
    // The allocations are as they were (only the device changed).
    EXPECT_EQ(stateOf(w.sim), before);
    EXPECT_EQ(w.state(big), AllocationState::Evicted);
    EXPECT_EQ(w.sim.allocation(big)->residentRefs, 0u);
    w.expectInvariants();
    // Every later call on the device says so.
    EXPECT_EQ(w.offer({ pinned }), NtStatus::DeviceRemoved);
    D3DDDI_MAKERESIDENT again = makeResidentArgs(w, &big, 1);
    EXPECT_EQ(
        w.sim.makeResident(again), failsWith(NtStatus::DeviceRemoved, "D3DKMTMakeResident: its device was removed"));
}

// ---- residency priorities ------------------------------------------------------------------------------

TEST(MisusePriority, SetAllocationPriorityNeedsOnePriorityPerAllocation)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB), b = w.alloc(16 * kMiB);
    const std::vector<D3DKMT_HANDLE> both { a, b };
    const std::vector<UINT> one { ResidencyPriority::kHigh };
    const std::string why = "needs one priority per allocation and at least one allocation";
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        expectFailed(w, before, seq, w.sim.setAllocationPriority(w.device, both, one), NtStatus::InvalidParameter,
            ApiCall::SetAllocationPriority, why);
    }
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        expectFailed(w, before, seq, w.sim.setAllocationPriority(w.device, {}, {}), NtStatus::InvalidParameter,
            ApiCall::SetAllocationPriority, why);
    }
    EXPECT_EQ(w.sim.allocation(a)->residencyPriority, ResidencyPriority::kNormal);
    EXPECT_EQ(w.sim.allocation(b)->residencyPriority, ResidencyPriority::kNormal);
}

// ---- paging fences ---------------------------------------------------------------------------------------

TEST(MisuseTime, WaitingForAPagingFenceNeverSignalledIsRejectedAndTheClockStays)
{
    World w;
    const D3DKMT_HANDLE a = w.allocNotResident(64 * kMiB);
    D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &a, 1);
    ASSERT_EQ(w.sim.makeResident(args), NtStatus::Pending);
    ASSERT_EQ(args.PagingFenceValue, 1u);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    EXPECT_EQ(w.sim.waitForPagingFence(w.queue, 5),
        failsWith(NtStatus::InvalidParameter, "waitForPagingFence: fence value 5 was never signalled (last 1)"));
    EXPECT_EQ(w.sim.now(), 0u) << "the clock does not move";
    EXPECT_EQ(w.sim.pagingFenceCompleted(w.queue), 0u);
    EXPECT_EQ(stateOf(w.sim), before);
    // Not a D3DKMT call: no CallFailed event (the simulator's own helper).
    EXPECT_EQ(w.sim.eventLog().lastSeq(), seq);
    // A device where a paging queue is needed.
    EXPECT_EQ(w.sim.waitForPagingFence(w.device, 1),
        failsWith(NtStatus::InvalidParameter,
            "waitForPagingFence: hPagingQueue " + formatHex(w.device) + " is not a paging queue"));
    // The fence that was signalled can be waited for.
    EXPECT_EQ(w.sim.waitForPagingFence(w.queue, 1), NtStatus::Success);
    EXPECT_EQ(w.sim.pagingFenceCompleted(w.queue), 1u);
    EXPECT_GT(w.sim.now(), 0u);
}

// ---- resources -----------------------------------------------------------------------------------------

TEST(MisuseResources, DestroyingAResourceOfAnotherDeviceIsRejected)
{
    World w;
    const CreatedResource tex = w.create(16 * kMiB, "tex");
    const D3DKMT_HANDLE device2 = *w.sim.createDevice(w.process);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    expectFailed(w, before, seq, w.sim.destroyResource(device2, tex.hResource), NtStatus::InvalidParameter,
        ApiCall::DestroyAllocation, "resource " + formatHex(tex.hResource) + " belongs to another device");
    EXPECT_EQ(w.state(tex.allocations[0]), AllocationState::Resident);
    EXPECT_EQ(w.sim.resourceName(tex.hResource), "tex");
    EXPECT_EQ(w.sim.liveAllocationCount(), 1u);
    // Its own device destroys it.
    EXPECT_EQ(w.sim.destroyResource(w.device, tex.hResource), NtStatus::Success);
    EXPECT_EQ(w.sim.liveAllocationCount(), 0u);
}

TEST(MisuseResources, CreateWithBadArgumentsCreatesNothing)
{
    World w;
    w.alloc(16 * kMiB, "existing");
    struct Case {
        std::vector<std::uint64_t> sizes;
        std::uint32_t segment;
        std::string why;
    };
    const std::vector<Case> cases {
        { {}, 0, "a resource needs 1 to 1024 allocations, not 0" },
        { std::vector<std::uint64_t>(1025, 4 * kKiB), 0, "a resource needs 1 to 1024 allocations, not 1025" },
        { { 16 * kMiB }, 2, "segment 2 does not exist (the adapter has 2)" },
        { { 16 * kMiB }, 0xFFFFFFFFu, "segment 4294967295 does not exist (the adapter has 2)" },
        { { 16 * kMiB, 0, 16 * kMiB }, 0, "allocation 1 has size 0" },
    };
    for (const Case& c : cases) {
        for (const bool makeResident : { true, false }) {
            CreateResourceArgs args;
            args.hDevice = w.device;
            args.allocationSizes = c.sizes;
            args.segmentId = c.segment;
            args.makeResident = makeResident;
            args.name = "bad";
            CreatedResource out;
            out.hResource = 0x5000ABCD; // what a caller had there before: cleared
            out.allocations = { 0x4000ABCD };
            const std::string before = stateOf(w.sim);
            const std::uint64_t seq = w.sim.eventLog().lastSeq();
            expectFailed(w, before, seq, w.sim.createResource(args, out), NtStatus::InvalidParameter,
                ApiCall::CreateAllocation, c.why);
            EXPECT_EQ(out.hResource, 0u);
            EXPECT_TRUE(out.allocations.empty());
            EXPECT_EQ(w.sim.liveAllocationCount(), 1u);
        }
    }
    // The 1024 of the limit are fine.
    EXPECT_EQ(w.create(4 * kKiB, "many", ResidencyPriority::kNormal, false, 1024).allocations.size(), 1024u);
}

// ---- the operating system's side ----------------------------------------------------------------------

TEST(MisuseBudget, SetBudgetOfNoProcessOrNoGroupChangesNoBudget)
{
    World w;
    const std::uint64_t local = w.sim.processUsage(w.process, MemorySegmentGroup::Local)->requestedBudget;
    const std::uint64_t nonLocal = w.sim.processUsage(w.process, MemorySegmentGroup::NonLocal)->requestedBudget;
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    EXPECT_EQ(w.sim.setBudget(0x20000099, MemorySegmentGroup::Local, 1 * kMiB),
        failsWith(NtStatus::InvalidParameter, "setBudget: hProcess 0x20000099 is not a process"));
    EXPECT_EQ(w.sim.setBudget(w.device, MemorySegmentGroup::Local, 1 * kMiB),
        failsWith(NtStatus::InvalidParameter, "setBudget: hProcess " + formatHex(w.device) + " is not a process"));
    EXPECT_EQ(w.sim.setBudget(w.process, static_cast<MemorySegmentGroup>(2), 1 * kMiB),
        failsWith(NtStatus::InvalidParameter, "setBudget: segment group 2 is neither LOCAL (0) nor NON_LOCAL (1)"));
    EXPECT_EQ(w.sim.processUsage(w.process, MemorySegmentGroup::Local)->requestedBudget, local);
    EXPECT_EQ(w.sim.processUsage(w.process, MemorySegmentGroup::NonLocal)->requestedBudget, nonLocal);
    // The operating system's side, not a D3DKMT call: no event (no budget change, no trim notification).
    EXPECT_EQ(w.sim.eventLog().lastSeq(), seq);
}

TEST(MisuseQueries, QueryProcessOfferInfoWithAWrongCbSizeWritesNothing)
{
    World w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    ASSERT_EQ(w.offer({ a }, OfferPriority::Low, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    for (const std::uint32_t cbSize :
        { 0u, 3u, static_cast<std::uint32_t>(sizeof(D3DKMT_QUERYPROCESSOFFERINFO)) + 8 }) {
        D3DKMT_QUERYPROCESSOFFERINFO args;
        args.cbSize = cbSize;
        args.hProcess = w.process;
        args.DecommittableBytes = 77;
        args.DecommitUniqueness = 77;
        EXPECT_EQ(w.sim.queryProcessOfferInfo(args),
            failsWith(NtStatus::InvalidParameter,
                "D3DKMTQueryProcessOfferInfo: cbSize is " + std::to_string(cbSize) + ", expected "
                    + std::to_string(sizeof(D3DKMT_QUERYPROCESSOFFERINFO))));
        EXPECT_EQ(args.DecommittableBytes, 77u) << "outputs are not written on failure";
        EXPECT_EQ(args.DecommitUniqueness, 77u);
    }
    D3DKMT_QUERYPROCESSOFFERINFO good;
    good.hProcess = w.process;
    EXPECT_EQ(w.sim.queryProcessOfferInfo(good), NtStatus::Success);
    EXPECT_EQ(good.DecommittableBytes, 16 * kMiB);
}

// The expected statuses are Windows' own: Wine's conformance test test_D3DKMTQueryVideoMemoryInfo, which runs
// on Windows and checks them with plain ok() (not todo_wine). Wine 10.4, dlls/gdi32/tests/driver.c lines
// 1029-1050 (added in Wine commit 37b74e644a9); later Wine moved it, with the same checks, to
// dlls/win32u/tests/d3dkmt.c.
// hProcess 0xdeadbeef: STATUS_INVALID_HANDLE; hAdapter 0xdeadbeef, PhysicalAdapterIndex 99 and
// MemorySegmentGroup NON_LOCAL + 1: STATUS_INVALID_PARAMETER.
TEST(MisuseQueries, QueryVideoMemoryInfoAnswersWhatWindowsAnswers)
{
    World w;
    w.alloc(16 * kMiB);
    const std::string before = stateOf(w.sim);
    const std::uint64_t seq = w.sim.eventLog().lastSeq();
    struct Case {
        HANDLE hProcess;
        D3DKMT_HANDLE hAdapter;
        UINT physicalAdapterIndex;
        MemorySegmentGroup group;
        NtStatus expected;
        std::string why;
    };
    const D3DKMT_HANDLE adapter = w.sim.adapterHandle();
    const std::vector<Case> cases {
        { 0xDEADBEEF, adapter, 0, MemorySegmentGroup::NonLocal, NtStatus::InvalidHandle,
            "hProcess 0xDEADBEEF is not a process" },
        // A D3DKMT handle is no process handle either.
        { w.device, adapter, 0, MemorySegmentGroup::Local, NtStatus::InvalidHandle,
            "hProcess " + formatHex(w.device) + " is not a process" },
        { 0, 0xDEADBEEF, 0, MemorySegmentGroup::NonLocal, NtStatus::InvalidParameter,
            "hAdapter 0xDEADBEEF is not the adapter " + formatHex(adapter) },
        { 0, adapter, 99, MemorySegmentGroup::NonLocal, NtStatus::InvalidParameter,
            "PhysicalAdapterIndex 99 does not exist (one physical adapter)" },
        { 0, adapter, 0, static_cast<MemorySegmentGroup>(2), NtStatus::InvalidParameter,
            "MemorySegmentGroup 2 is neither LOCAL (0) nor NON_LOCAL (1)" },
    };
    for (const Case& c : cases) {
        D3DKMT_QUERYVIDEOMEMORYINFO args;
        args.hProcess = c.hProcess;
        args.hAdapter = c.hAdapter;
        args.PhysicalAdapterIndex = c.physicalAdapterIndex;
        args.MemorySegmentGroup = c.group;
        args.Budget = 77;
        args.CurrentUsage = 77;
        args.CurrentReservation = 77;
        args.AvailableForReservation = 77;
        EXPECT_EQ(w.sim.queryVideoMemoryInfo(args), failsWith(c.expected, "D3DKMTQueryVideoMemoryInfo: " + c.why))
            << c.why;
        EXPECT_EQ(args.Budget, 77u) << "outputs are not written on failure";
        EXPECT_EQ(args.CurrentUsage, 77u);
        EXPECT_EQ(args.CurrentReservation, 77u);
        EXPECT_EQ(args.AvailableForReservation, 77u);
    }
    // The same test's good queries: NULL (the caller) and the caller's own handle, both groups.
    for (const HANDLE hProcess : { HANDLE { 0 }, HANDLE { w.process } })
        for (const MemorySegmentGroup group : { MemorySegmentGroup::Local, MemorySegmentGroup::NonLocal }) {
            D3DKMT_QUERYVIDEOMEMORYINFO args;
            args.hProcess = hProcess;
            args.hAdapter = adapter;
            args.MemorySegmentGroup = group;
            EXPECT_EQ(w.sim.queryVideoMemoryInfo(args), NtStatus::Success);
            EXPECT_GE(args.Budget, args.AvailableForReservation);
            EXPECT_LE(args.CurrentUsage, args.Budget);
            EXPECT_EQ(args.CurrentReservation, 0u);
        }
    // A query changes nothing and logs no event.
    EXPECT_EQ(stateOf(w.sim), before);
    EXPECT_EQ(w.sim.eventLog().lastSeq(), seq);
    w.expectInvariants();
}

// NULL stands for the caller, which always exists on Windows. Only a simulator without any process has none
// to name; Wine's tests do not cover that, and it stays STATUS_INVALID_PARAMETER.
TEST(MisuseQueries, QueryVideoMemoryInfoForNullBeforeAnyProcessIsAnInvalidParameter)
{
    Simulator sim(smallAdapter());
    D3DKMT_QUERYVIDEOMEMORYINFO args;
    args.hAdapter = sim.adapterHandle();
    args.Budget = 77;
    EXPECT_EQ(sim.queryVideoMemoryInfo(args),
        failsWith(NtStatus::InvalidParameter, "D3DKMTQueryVideoMemoryInfo: hProcess 0x00000000 is not a process"));
    EXPECT_EQ(args.Budget, 77u);
    args.hProcess = 0x20000001; // the handle the first process will have
    EXPECT_EQ(sim.queryVideoMemoryInfo(args), NtStatus::InvalidHandle);
    ASSERT_EQ(*sim.createProcess("App"), 0x20000001u);
    EXPECT_EQ(sim.queryVideoMemoryInfo(args), NtStatus::Success);
    args.hProcess = 0;
    EXPECT_EQ(sim.queryVideoMemoryInfo(args), NtStatus::Success);
}

// ---- handles with generation bits ------------------------------------------------------------------------

TEST(MisuseHandles, DeviceQueueAndProcessHandlesWithGenerationBitsAreNotTaken)
{
    World w;
    ASSERT_EQ(w.device, 0x30000001u);
    ASSERT_EQ(w.queue, 0x60000001u);
    ASSERT_EQ(w.process, 0x20000001u);
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    const D3DKMT_HANDLE b = w.allocNotResident(16 * kMiB);
    const D3DKMT_HANDLE deviceGen = 0x31000001, queueGen = 0x61000001, processGen = 0x2F000001;

    // A device handle: offer (fast path and general path), evict, lock, destroy, create.
    for (const bool logging : { true, false }) {
        w.sim.eventLog().setMode(logging ? EventLog::Mode::Full : EventLog::Mode::Off);
        const std::string before = stateOf(w.sim);
        EXPECT_EQ(w.offer({ a }, OfferPriority::Low, 0, deviceGen),
            failsWith(NtStatus::InvalidParameter, "D3DKMTOfferAllocations: hDevice 0x31000001 is not a device"));
        EXPECT_EQ(stateOf(w.sim), before);
    }
    w.sim.eventLog().setMode(EventLog::Mode::Full);
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DKMT_EVICT evict;
        evict.hDevice = deviceGen;
        evict.AllocationList = &a;
        evict.NumAllocations = 1;
        expectFailed(w, before, seq, w.sim.evict(evict), NtStatus::InvalidParameter, ApiCall::Evict,
            "hDevice 0x31000001 is not a device");
    }
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        expectFailed(w, before, seq, w.sim.lock(deviceGen, a), NtStatus::InvalidParameter, ApiCall::Lock,
            "hDevice 0x31000001 is not a device");
    }
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        expectFailed(w, before, seq, w.sim.destroyResource(deviceGen, w.sim.allocation(a)->resource),
            NtStatus::InvalidParameter, ApiCall::DestroyAllocation, "hDevice 0x31000001 is not a device");
    }
    EXPECT_FALSE(w.sim.createPagingQueue(deviceGen));
    EXPECT_FALSE(w.sim.deviceRemoved(deviceGen));
    EXPECT_EQ(w.sim.deviceProcess(deviceGen), 0u);

    // A paging-queue handle: MakeResident, ReclaimAllocations2, a wait.
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DDDI_MAKERESIDENT args = makeResidentArgs(w, &b, 1);
        args.hPagingQueue = queueGen;
        expectFailed(w, before, seq, w.sim.makeResident(args), NtStatus::InvalidParameter, ApiCall::MakeResident,
            "hPagingQueue 0x61000001 is not a paging queue");
        EXPECT_EQ(w.state(b), AllocationState::Evicted);
    }
    ASSERT_EQ(w.offer({ a }), NtStatus::Success);
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        ReclaimResult result = static_cast<ReclaimResult>(99);
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queueGen;
        args.HandleList = &a;
        args.NumAllocations = 1;
        args.pResults = &result;
        expectFailed(w, before, seq, w.sim.reclaimAllocations2(args), NtStatus::InvalidParameter,
            ApiCall::ReclaimAllocations2,
            "hPagingQueue 0x61000001 is not a paging queue (ReclaimAllocations2 takes a paging queue, not a device)");
        EXPECT_EQ(result, static_cast<ReclaimResult>(99));
        EXPECT_EQ(w.state(a), AllocationState::Offered);
    }
    EXPECT_EQ(w.sim.waitForPagingFence(queueGen, 0),
        failsWith(NtStatus::InvalidParameter, "waitForPagingFence: hPagingQueue 0x61000001 is not a paging queue"));

    // A process handle: budgets, reservations, queries, a device.
    EXPECT_EQ(w.sim.setBudget(processGen, MemorySegmentGroup::Local, 1 * kMiB),
        failsWith(NtStatus::InvalidParameter, "setBudget: hProcess 0x2F000001 is not a process"));
    D3DKMT_QUERYVIDEOMEMORYINFO info;
    info.hProcess = processGen;
    info.hAdapter = w.sim.adapterHandle();
    info.Budget = 77;
    // STATUS_INVALID_HANDLE, as Windows answers for an hProcess that is no process handle (Wine's conformance
    // test test_D3DKMTQueryVideoMemoryInfo; see MisuseQueries.QueryVideoMemoryInfoAnswersWhatWindowsAnswers).
    EXPECT_EQ(w.sim.queryVideoMemoryInfo(info),
        failsWith(NtStatus::InvalidHandle, "D3DKMTQueryVideoMemoryInfo: hProcess 0x2F000001 is not a process"));
    EXPECT_EQ(info.Budget, 77u);
    {
        const std::string before = stateOf(w.sim);
        const std::uint64_t seq = w.sim.eventLog().lastSeq();
        D3DKMT_CHANGEVIDEOMEMORYRESERVATION reserve;
        reserve.hProcess = processGen;
        reserve.hAdapter = w.sim.adapterHandle();
        reserve.Reservation = 1 * kMiB;
        expectFailed(w, before, seq, w.sim.changeVideoMemoryReservation(reserve), NtStatus::InvalidParameter,
            ApiCall::ChangeVideoMemoryReservation, "hProcess 0x2F000001 is not a process");
        EXPECT_EQ(w.sim.processUsage(w.process, MemorySegmentGroup::Local)->reservation, 0u);
    }
    D3DKMT_QUERYPROCESSOFFERINFO offerInfo;
    offerInfo.hProcess = processGen;
    EXPECT_EQ(w.sim.queryProcessOfferInfo(offerInfo),
        failsWith(NtStatus::InvalidParameter, "D3DKMTQueryProcessOfferInfo: hProcess 0x2F000001 is not a process"));
    const auto device = w.sim.createDevice(processGen);
    ASSERT_FALSE(device);
    EXPECT_EQ(device.status(), NtStatus::InvalidParameter);
    EXPECT_EQ(w.sim.setCurrentProcess(processGen), NtStatus::InvalidParameter);
    EXPECT_FALSE(w.sim.processUsage(processGen, MemorySegmentGroup::Local));
    EXPECT_EQ(w.sim.processName(processGen), "");
    w.expectInvariants();
}
