// SPDX-License-Identifier: GPL-3.0-or-later
// Long randomized runs: accounting invariants after every step, and determinism.
#include "World.h"
#include "app/cli/DemoScenario.h"

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
