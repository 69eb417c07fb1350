// SPDX-License-Identifier: GPL-3.0-or-later
// Long randomized runs: accounting invariants after every step, and determinism.
#include "World.h"
#include "app/cli/DemoScenario.h"
#include "core/sim/FastPaths.h"

#include <map>
#include <random>

using namespace offerscope;
using namespace offerscope::test;

namespace {

/// Drives a simulator with a seeded mix of valid and invalid calls from two processes.
class RandomRun {
public:
    RandomRun(std::uint64_t seed, SimPolicy policy = {})
        : m_world(smallAdapter(1 * kGiB, 512 * kMiB), policy, 768 * kMiB)
        , m_rng(seed)
    {
        m_other = *m_world.sim.createProcess("Other", 512 * kMiB, 256 * kMiB);
        m_otherDevice = *m_world.sim.createDevice(m_other);
        m_otherQueue = *m_world.sim.createPagingQueue(m_otherDevice);
    }

    Simulator& sim() { return m_world.sim; }

    /// One random operation. Returns a short description for failure messages.
    std::string step()
    {
        Simulator& s = m_world.sim;
        const bool mine = pick(4) != 0;
        const D3DKMT_HANDLE device = mine ? m_world.device : m_otherDevice;
        const D3DKMT_HANDLE queue = mine ? m_world.queue : m_otherQueue;
        std::vector<CreatedResource>& resources = mine ? m_mine : m_theirs;
        switch (pick(16)) {
        case 0:
        case 1:
        case 2: {
            CreateResourceArgs args;
            args.hDevice = device;
            args.allocationSizes.assign(1 + pick(3), (1 + pick(64)) * 2 * kMiB);
            args.segmentId = pick(5) == 0 ? 1 : 0;
            args.residencyPriority = kPriorities[pick(5)];
            args.present = pick(6) == 0;
            args.makeResident = pick(8) != 0;
            CreatedResource out;
            if (s.createResource(args, out) == NtStatus::Success)
                resources.push_back(out);
            return "create";
        }
        case 3:
        case 4: {
            std::vector<D3DKMT_HANDLE> handles = some(resources);
            if (pick(20) == 0)
                handles.push_back(0x40ABCDEF); // invalid on purpose
            D3DKMT_OFFERALLOCATIONS args;
            args.hDevice = device;
            args.HandleList = handles.empty() ? nullptr : handles.data();
            args.NumAllocations = static_cast<UINT>(handles.size());
            args.Priority = static_cast<OfferPriority>(pick(20) == 0 ? 0 : 1 + pick(4));
            args.Flags.Value = pick(3) == 0 ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0;
            if (pick(10) == 0)
                args.Flags.Value |= D3DKMT_OFFER_FLAGS::kOfferImmediately;
            s.offerAllocations(args);
            return "offer";
        }
        case 5:
        case 6: {
            std::vector<D3DKMT_HANDLE> handles = some(resources);
            std::vector<ReclaimResult> results(handles.size());
            D3DKMT_RECLAIMALLOCATIONS2 args;
            args.hPagingQueue = queue;
            args.NumAllocations = static_cast<UINT>(handles.size());
            args.HandleList = handles.empty() ? nullptr : handles.data();
            args.pResults = results.data();
            s.reclaimAllocations2(args);
            return "reclaim";
        }
        case 7: {
            std::vector<D3DKMT_HANDLE> handles = some(resources);
            D3DDDI_MAKERESIDENT args;
            args.hPagingQueue = queue;
            args.NumAllocations = static_cast<UINT>(handles.size());
            args.AllocationList = handles.empty() ? nullptr : handles.data();
            args.Flags.Value = pick(4) == 0 ? D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther : 0;
            s.makeResident(args);
            return "makeResident";
        }
        case 8: {
            std::vector<D3DKMT_HANDLE> handles = some(resources);
            D3DKMT_EVICT args;
            args.hDevice = device;
            args.NumAllocations = static_cast<UINT>(handles.size());
            args.AllocationList = handles.empty() ? nullptr : handles.data();
            s.evict(args);
            return "evict";
        }
        case 9: {
            if (resources.empty())
                return "noop";
            const std::size_t i = pick(static_cast<std::uint32_t>(resources.size()));
            s.destroyResource(device, resources[i].hResource);
            resources.erase(resources.begin() + static_cast<std::ptrdiff_t>(i));
            return "destroy";
        }
        case 10: {
            const std::vector<D3DKMT_HANDLE> handles = some(resources);
            if (pick(2) == 0 && !handles.empty()) {
                if (s.lock(device, handles[0]) == NtStatus::Success)
                    m_locked.emplace_back(device, handles[0]);
            } else if (!m_locked.empty()) {
                s.unlock(m_locked.back().first, m_locked.back().second);
                m_locked.pop_back();
            }
            return "lock";
        }
        case 11: {
            // Mostly correct applications; now and then a faulting one (which loses its device).
            std::vector<D3DKMT_HANDLE> handles = some(resources);
            if (pick(30) != 0)
                std::erase_if(handles, [&s](D3DKMT_HANDLE h) {
                    const auto info = s.allocation(h);
                    return !info
                        || (info->state != AllocationState::Resident
                            && !(info->state == AllocationState::Evicted && info->residentRefs != 0));
                });
            s.submitGpuWork(device, handles, 10 + pick(200));
            if (s.deviceRemoved(device)) {
                // The application recreates its device; the old allocations stay until the process ends.
                D3DKMT_HANDLE& d = mine ? m_world.device : m_otherDevice;
                D3DKMT_HANDLE& q = mine ? m_world.queue : m_otherQueue;
                d = *s.createDevice(mine ? m_world.process : m_other);
                q = *s.createPagingQueue(d);
                resources.clear();
                m_locked.clear();
            }
            return "gpu";
        }
        case 12:
            s.advanceTime(pick(300));
            return "time";
        case 13:
            s.setBudget(mine ? m_world.process : m_other, MemorySegmentGroup::Local, (64 + pick(960)) * kMiB);
            return "budget";
        case 14: {
            D3DKMT_TRIMPROCESSCOMMITMENT trim;
            trim.hProcess = mine ? m_world.process : m_other;
            trim.DecommitRequested = pick(256) * kMiB;
            s.trimProcessCommitment(trim);
            s.applySystemCommitPressure(pick(3) == 0 ? pick(128) * kMiB : 0);
            return "decommit";
        }
        default: {
            VerifierSwitches v;
            v.alwaysDiscardOffer = pick(12) == 0;
            v.neverDiscardOffer = pick(12) == 0;
            v.alwaysDecommitOffer = pick(6) == 0;
            v.alwaysProcessOfferList = pick(12) == 0;
            s.setVerifier(v);
            SimPolicy p = s.policy();
            p.withinPriorityOrder = static_cast<WithinPriorityOrder>(pick(3));
            s.setPolicy(p);
            return "settings";
        }
        }
    }

private:
    static constexpr UINT kPriorities[5] = { ResidencyPriority::kMinimum, ResidencyPriority::kLow,
        ResidencyPriority::kNormal, ResidencyPriority::kHigh, ResidencyPriority::kMaximum };
    std::uint32_t pick(std::uint32_t n) { return static_cast<std::uint32_t>(m_rng() % n); }
    std::vector<D3DKMT_HANDLE> some(const std::vector<CreatedResource>& resources)
    {
        std::vector<D3DKMT_HANDLE> out;
        if (resources.empty())
            return out;
        const std::uint32_t n = 1 + pick(3);
        for (std::uint32_t i = 0; i < n; ++i) {
            const CreatedResource& r = resources[pick(static_cast<std::uint32_t>(resources.size()))];
            const D3DKMT_HANDLE h = r.allocations[pick(static_cast<std::uint32_t>(r.allocations.size()))];
            if (std::find(out.begin(), out.end(), h) == out.end())
                out.push_back(h);
        }
        return out;
    }

    World m_world;
    std::mt19937_64 m_rng;
    D3DKMT_HANDLE m_other = 0, m_otherDevice = 0, m_otherQueue = 0;
    std::vector<CreatedResource> m_mine, m_theirs;
    std::vector<std::pair<D3DKMT_HANDLE, D3DKMT_HANDLE>> m_locked;
};

} // namespace

class RandomizedInvariants : public ::testing::TestWithParam<std::uint64_t> { };

TEST_P(RandomizedInvariants, HoldAfterEveryStep)
{
    RandomRun run(GetParam());
    for (int i = 0; i < 10000; ++i) {
        const std::string what = run.step();
        const std::string broken = run.sim().checkInvariants();
        ASSERT_TRUE(broken.empty()) << "seed " << GetParam() << ", step " << i << " (" << what << "): " << broken;
    }
    // The run must have exercised the interesting transitions, or it proves little.
    std::map<EventKind, int> seen;
    for (const Event& e : run.sim().eventLog())
        ++seen[e.kind];
    for (EventKind kind : { EventKind::Offered, EventKind::Reclaimed, EventKind::Discarded, EventKind::Evicted,
             EventKind::Decommitted, EventKind::CallFailed, EventKind::OfferPending })
        EXPECT_GT(seen[kind], 0) << "seed " << GetParam() << " never produced " << eventKindName(kind);
}

TEST_P(RandomizedInvariants, HoldAfterEveryStepWithTheLogOff)
{
    // With the log off the single-handle fast paths run; the invariants must hold for them too.
    RandomRun run(GetParam() + 1000);
    run.sim().eventLog().setMode(EventLog::Mode::Off);
    for (int i = 0; i < 10000; ++i) {
        const std::string what = run.step();
        const std::string broken = run.sim().checkInvariants();
        ASSERT_TRUE(broken.empty()) << "seed " << GetParam() + 1000 << ", step " << i << " (" << what
                                    << "): " << broken;
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedInvariants, ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8, 42, 1234));

TEST(Determinism, SameRandomRunGivesIdenticalEventLogs)
{
    RandomRun a(99), b(99);
    for (int i = 0; i < 2000; ++i) {
        a.step();
        b.step();
    }
    EXPECT_GT(a.sim().eventLog().size(), 500u);
    EXPECT_EQ(a.sim().eventLog().formatAll(), b.sim().eventLog().formatAll());
}

TEST(Differential, FastPathsMatchTheGeneralPath)
{
    // With the event log off, single-handle offers and reclaims take fast paths; with it on, every call
    // takes the general path. The same operations must leave identical states, step by step.
    for (std::uint64_t seed : { 11u, 12u, 13u, 14u }) {
        RandomRun general(seed), fast(seed);
        fast.sim().eventLog().setMode(EventLog::Mode::Off);
        for (int i = 0; i < 2000; ++i) {
            const std::string what = general.step();
            fast.step();
            ASSERT_EQ(general.sim().stateDump(), fast.sim().stateDump())
                << "seed " << seed << ", step " << i << " (" << what << ")";
        }
    }
}

TEST(Determinism, DemoTwiceGivesIdenticalEventLogsAndCallTexts)
{
    Simulator first, second;
    EXPECT_EQ(cli::runDemoScenario(first), "");
    EXPECT_EQ(cli::runDemoScenario(second), "");
    ASSERT_EQ(first.eventLog().size(), second.eventLog().size());
    EXPECT_EQ(first.eventLog().formatAll(), second.eventLog().formatAll());
    for (std::size_t i = 0; i < first.eventLog().size(); ++i)
        EXPECT_EQ(first.eventLog().at(i).callText, second.eventLog().at(i).callText);
}

TEST(EventLog, BoundedAndOffModesKeepCounting)
{
    Simulator sim;
    sim.eventLog().setMode(EventLog::Mode::Bounded, 5);
    EXPECT_EQ(cli::runDemoScenario(sim), "");
    EXPECT_EQ(sim.eventLog().size(), 5u);
    Simulator full;
    cli::runDemoScenario(full);
    EXPECT_EQ(sim.eventLog().lastSeq(), full.eventLog().lastSeq());
    EXPECT_EQ(sim.eventLog().back().explanation, full.eventLog().back().explanation);
    Simulator off;
    off.eventLog().setMode(EventLog::Mode::Off);
    EXPECT_EQ(cli::runDemoScenario(off), "");
    EXPECT_EQ(off.eventLog().size(), 0u);
    EXPECT_EQ(off.eventLog().lastSeq(), full.eventLog().lastSeq()) << "the same transitions happen with logging off";
}

namespace {

/// A cache's accesses on two simulators: one takes the fused hit (FastPaths::reuse) where it can, the
/// other always makes the reclaim and the offer. Returns what the access did.
std::string access(World& w, D3DKMT_HANDLE allocation, OfferPriority priority, bool fused)
{
    UINT64 fence = 0;
    if (fused && FastPaths::reuse(w.sim, w.queue, allocation, priority, fence))
        return "hit (fused)";
    ReclaimResult result = ReclaimResult::Ok;
    D3DKMT_RECLAIMALLOCATIONS2 reclaim;
    reclaim.hPagingQueue = w.queue;
    reclaim.NumAllocations = 1;
    reclaim.HandleList = &allocation;
    reclaim.pResults = &result;
    const Status reclaimed = w.sim.reclaimAllocations2(reclaim);
    if (reclaimed == NtStatus::Success && reclaim.PagingFenceValue > w.sim.pagingFenceCompleted(w.queue))
        w.sim.waitForPagingFence(w.queue, reclaim.PagingFenceValue);
    D3DKMT_OFFERALLOCATIONS offer;
    offer.hDevice = w.device;
    offer.NumAllocations = 1;
    offer.HandleList = &allocation;
    offer.Priority = priority;
    w.sim.offerAllocations(offer);
    return "reclaim " + std::string(ntStatusName(reclaimed)) + " + offer";
}

} // namespace

TEST(Differential, AFusedHitLeavesTheStateOfAReclaimAndAnOffer)
{
    for (std::uint64_t seed : { 21u, 22u, 23u }) {
        World fused(smallAdapter(1 * kGiB, 512 * kMiB), {}, 768 * kMiB);
        World apart(smallAdapter(1 * kGiB, 512 * kMiB), {}, 768 * kMiB);
        fused.sim.eventLog().setMode(EventLog::Mode::Off);
        apart.sim.eventLog().setMode(EventLog::Mode::Off);
        std::mt19937_64 rng(seed);
        std::vector<std::pair<D3DKMT_HANDLE, D3DKMT_HANDLE>> live; // (resource, allocation), the same in both
        int fusedHits = 0;
        for (int i = 0; i < 3000; ++i) {
            const unsigned what = static_cast<unsigned>(rng() % 20);
            std::string did;
            if (what < 3 || live.size() < 4) {
                const std::uint64_t size = (1 + rng() % 48) * kMiB;
                const UINT residency = (rng() % 4 == 0) ? ResidencyPriority::kHigh : ResidencyPriority::kNormal;
                CreateResourceArgs args;
                args.allocationSizes = { size };
                args.residencyPriority = residency;
                CreatedResource a, b;
                args.hDevice = fused.device;
                const Status sa = fused.sim.createResource(args, a);
                args.hDevice = apart.device;
                const Status sb = apart.sim.createResource(args, b);
                ASSERT_EQ(sa.code(), sb.code());
                if (sa.ok()) {
                    ASSERT_EQ(a.allocations[0], b.allocations[0]);
                    live.emplace_back(a.hResource, a.allocations[0]);
                    access(fused, a.allocations[0], OfferPriority::Low, false);
                    access(apart, a.allocations[0], OfferPriority::Low, false);
                }
                did = "create";
            } else if (what == 3) {
                const std::size_t k = rng() % live.size();
                fused.sim.destroyResource(fused.device, live[k].first);
                apart.sim.destroyResource(apart.device, live[k].first);
                live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
                did = "destroy";
            } else if (what == 4) {
                const std::uint64_t budget = (256 + rng() % 768) * kMiB;
                fused.sim.setBudget(fused.process, MemorySegmentGroup::Local, budget);
                apart.sim.setBudget(apart.process, MemorySegmentGroup::Local, budget);
                did = "budget";
            } else {
                const D3DKMT_HANDLE h = live[rng() % live.size()].second;
                // Mostly the same priority as before (the path where no total moves), sometimes another.
                const auto priority = static_cast<OfferPriority>(rng() % 5 == 0 ? 1 + rng() % 4 : 1);
                did = access(fused, h, priority, true);
                access(apart, h, priority, false);
                fusedHits += did == "hit (fused)" ? 1 : 0;
            }
            ASSERT_EQ(fused.sim.stateDump(), apart.sim.stateDump()) << "seed " << seed << ", step " << i << " (" << did << ")";
            // What the dump leaves out: offer times, the discard order itself, the totals by priority.
            std::vector<AllocationSummary> rowsFused, rowsApart;
            fused.sim.allocationSummariesBySlot(rowsFused);
            apart.sim.allocationSummariesBySlot(rowsApart);
            ASSERT_TRUE(rowsFused == rowsApart) << "step " << i << " (" << did << ")";
            for (std::uint32_t segment = 0; segment < fused.sim.segmentCount(); ++segment) {
                for (int level = 0; level < kOfferLevelCount; ++level)
                    ASSERT_EQ(fused.sim.discardOrder(segment, static_cast<OfferLevel>(level)),
                        apart.sim.discardOrder(segment, static_cast<OfferLevel>(level)))
                        << "step " << i << " (" << did << ")";
                const SegmentUsage u = fused.sim.segmentUsage(segment), v = apart.sim.segmentUsage(segment);
                for (int k = 0; k < 5; ++k)
                    ASSERT_EQ(u.offeredByPriority[k], v.offeredByPriority[k]) << "step " << i;
                for (int k = 0; k < kOfferLevelCount; ++k)
                    ASSERT_EQ(u.offeredByLevel[k], v.offeredByLevel[k]) << "step " << i;
            }
            ASSERT_EQ(fused.sim.checkInvariants(), "") << "step " << i << " (" << did << ")";
            ASSERT_EQ(fused.sim.eventLog().lastSeq(), apart.sim.eventLog().lastSeq()) << "step " << i;
        }
        EXPECT_GT(fusedHits, 300) << "seed " << seed;
    }
}
