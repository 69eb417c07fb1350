// SPDX-License-Identifier: GPL-3.0-or-later
// Differential testing: the simulator against the plain reference model of tests/reference, on random
// operation sequences (a bounded amount here; the long job is offerscope-differential), the seeds that
// once found a difference, and proof that the driver notices a reference that is wrong on purpose.
#include "World.h"
#include "reference/Differential.h"
#include "reference/ReferenceModel.h"

#include <fstream>
#include <sstream>

using namespace offerscope;
using namespace offerscope::reference;
using offerscope::test::smallAdapter;

namespace {

struct RegressionSeed {
    std::uint64_t seed = 0;
    std::size_t operations = 0;
    std::string why;
};

/// tests/reference/regression-seeds.txt: "<seed> <operations>  # what it found", '#' lines are comments.
std::vector<RegressionSeed> regressionSeeds()
{
    std::vector<RegressionSeed> out;
    std::ifstream in(std::string(OFFERSCOPE_SOURCE_DIR) + "/tests/reference/regression-seeds.txt");
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t hash = line.find('#');
        const std::string why = hash == std::string::npos ? std::string() : line.substr(hash + 1);
        std::istringstream fields(line.substr(0, hash));
        RegressionSeed r;
        if (fields >> r.seed >> r.operations) {
            r.why = why;
            out.push_back(r);
        }
    }
    return out;
}

} // namespace

TEST(Differential, BoundedRandomRunsAgree)
{
    // 120 seeds of 300 operations: about 2 s in a Debug build. The long job (offerscope-differential,
    // scripts/differential.sh) runs millions.
    DifferentialStats total;
    for (std::uint64_t seed = 1; seed <= 120; ++seed) {
        DifferentialOptions options;
        options.seed = seed;
        options.operations = 300;
        const DifferentialResult result = runDifferential(options);
        ASSERT_FALSE(result.mismatch.has_value()) << formatMismatch(*result.mismatch);
        EXPECT_EQ(result.stats.operations, 300u);
        total += result.stats;
    }
    // Agreement proves something only if the runs reached the interesting paths, in both models alike
    // (about half of what these seeds reach).
    EXPECT_GT(total.success, 12000u);
    EXPECT_GT(total.pending, 250u) << "MakeResident that pages in";
    EXPECT_GT(total.invalidParameter, 4000u);
    EXPECT_GT(total.noMemory, 500u);
    EXPECT_GT(total.deviceRemoved, 150u);
    EXPECT_GT(total.notSupported, 50u);
    EXPECT_GT(total.reclaimResults[0], 600u) << "OK";
    EXPECT_GT(total.reclaimResults[1], 150u) << "DISCARDED";
    EXPECT_GT(total.reclaimResults[2], 100u) << "NOT_COMMITTED";
    EXPECT_GT(total.bytesDiscarded, 0u);
    EXPECT_GT(total.bytesEvicted, 0u);
    EXPECT_GT(total.bytesDecommitted, 0u);
}

TEST(Differential, RegressionSeedsStillAgree)
{
    const std::vector<RegressionSeed> seeds = regressionSeeds();
    ASSERT_FALSE(seeds.empty()) << "tests/reference/regression-seeds.txt lists no seed";
    for (const RegressionSeed& r : seeds) {
        DifferentialOptions options;
        options.seed = r.seed;
        options.operations = r.operations;
        const DifferentialResult result = runDifferential(options);
        EXPECT_FALSE(result.mismatch.has_value()) << "regression seed" << r.why << "\n"
                                                  << formatMismatch(*result.mismatch);
        EXPECT_EQ(result.stats.operations, r.operations);
    }
}

TEST(Differential, SameSeedIsTheSameRun)
{
    DifferentialOptions options;
    options.seed = 4242;
    options.operations = 400;
    const DifferentialStats a = runDifferential(options).stats, b = runDifferential(options).stats;
    EXPECT_EQ(a.success, b.success);
    EXPECT_EQ(a.invalidParameter, b.invalidParameter);
    EXPECT_EQ(a.noMemory, b.noMemory);
    EXPECT_EQ(a.bytesDiscarded, b.bytesDiscarded);
    EXPECT_EQ(a.bytesEvicted, b.bytesEvicted);
    EXPECT_EQ(a.reclaimResults, b.reclaimResults);
}

TEST(Differential, CatchesAReferenceWithTheDiscardOrderFlipped)
{
    // The harness is not vacuous: a reference that discards HIGH offers before LOW ones must be caught,
    // and the report must say where and what.
    std::optional<Mismatch> found;
    for (std::uint64_t seed = 1; seed <= 40 && !found; ++seed) {
        DifferentialOptions options;
        options.seed = seed;
        options.operations = 400;
        options.rules.flipDiscardOrder = true;
        found = runDifferential(options).mismatch;
    }
    ASSERT_TRUE(found.has_value()) << "40 seeds never noticed the flipped discard order";
    EXPECT_FALSE(found->call.empty());
    EXPECT_FALSE(found->what.empty());
    EXPECT_NE(found->simulator, found->reference);
    const std::string text = formatMismatch(*found);
    EXPECT_NE(text.find("seed " + std::to_string(found->seed) + ", operation " + std::to_string(found->operation)),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("simulator " + found->simulator), std::string::npos) << text;

    // The same seed with the rule as the document states it agrees for at least as long.
    DifferentialOptions correct;
    correct.seed = found->seed;
    correct.operations = found->operation + 1;
    EXPECT_FALSE(runDifferential(correct).mismatch.has_value());
}

// ---- the reference model on its own: the rules of the document, hand-checked ----------------------------------

namespace {

struct ReferenceWorld {
    ReferenceModel model { smallAdapter(1 * kGiB, 2 * kGiB) };
    D3DKMT_HANDLE process = *model.createProcess("App", 1 * kGiB, 2 * kGiB);
    D3DKMT_HANDLE device = *model.createDevice(process);
    D3DKMT_HANDLE queue = *model.createPagingQueue(device);
    D3DKMT_HANDLE other = *model.createProcess("Other", 8 * kGiB, 8 * kGiB);

    D3DKMT_HANDLE alloc(std::uint64_t size, UINT residency = ResidencyPriority::kNormal)
    {
        CreateResourceArgs args;
        args.hDevice = device;
        args.allocationSizes = { size };
        args.residencyPriority = residency;
        CreatedResource out;
        EXPECT_EQ(model.createResource(args, out), NtStatus::Success);
        return out.allocations.at(0);
    }
    NtStatus offer(D3DKMT_HANDLE h, OfferPriority priority, UINT flags = 0)
    {
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = device;
        args.HandleList = &h;
        args.NumAllocations = 1;
        args.Priority = priority;
        args.Flags.Value = flags;
        return model.offerAllocations(args);
    }
    ReclaimResult reclaim(D3DKMT_HANDLE h)
    {
        ReclaimResult result = static_cast<ReclaimResult>(99);
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.NumAllocations = 1;
        args.HandleList = &h;
        args.pResults = &result;
        EXPECT_EQ(model.reclaimAllocations2(args), NtStatus::Success);
        return result;
    }
    sim::AllocationState state(D3DKMT_HANDLE h) const
    {
        auto info = model.allocation(h);
        return info ? info->state : sim::AllocationState::Destroyed;
    }
};

} // namespace

TEST(ReferenceModel, DiscardsLowThenNormalThenHighThenEvicts)
{
    ReferenceWorld w;
    const D3DKMT_HANDLE high = w.alloc(256 * kMiB), normal = w.alloc(256 * kMiB), low = w.alloc(256 * kMiB),
                        used = w.alloc(256 * kMiB);
    ASSERT_EQ(w.offer(high, OfferPriority::High), NtStatus::Success);
    ASSERT_EQ(w.offer(normal, OfferPriority::Normal), NtStatus::Success);
    ASSERT_EQ(w.offer(low, OfferPriority::Low), NtStatus::Success);
    using S = sim::AllocationState;
    ASSERT_EQ(w.model.commitFromProcess(w.other, 0, 256 * kMiB), NtStatus::Success);
    EXPECT_EQ(w.state(low), S::Discarded);
    EXPECT_EQ(w.state(normal), S::Offered);
    ASSERT_EQ(w.model.commitFromProcess(w.other, 0, 512 * kMiB), NtStatus::Success);
    EXPECT_EQ(w.state(normal), S::Discarded);
    EXPECT_EQ(w.state(high), S::Discarded);
    EXPECT_EQ(w.state(used), S::Resident);
    ASSERT_EQ(w.model.commitFromProcess(w.other, 0, 128 * kMiB), NtStatus::Success);
    EXPECT_EQ(w.state(used), S::Evicted) << "content kept: evicted, not discarded";
    EXPECT_EQ(w.model.segmentUsage(0).totalBytesDiscarded, 768 * kMiB);
    EXPECT_EQ(w.model.segmentUsage(0).totalBytesEvicted, 256 * kMiB);
    EXPECT_EQ(w.model.checkSelf(), "");
}

TEST(ReferenceModel, ReclaimAnswersOkDiscardedAndNotCommitted)
{
    ReferenceWorld w;
    const D3DKMT_HANDLE kept = w.alloc(128 * kMiB), lost = w.alloc(512 * kMiB), dead = w.alloc(128 * kMiB);
    ASSERT_EQ(w.offer(kept, OfferPriority::High), NtStatus::Success);
    ASSERT_EQ(w.offer(lost, OfferPriority::Low), NtStatus::Success);
    ASSERT_EQ(w.offer(dead, OfferPriority::Normal, D3DKMT_OFFER_FLAGS::kAllowDecommit), NtStatus::Success);
    D3DKMT_QUERYPROCESSOFFERINFO info;
    info.hProcess = w.process;
    ASSERT_EQ(w.model.queryProcessOfferInfo(info), NtStatus::Success);
    EXPECT_EQ(info.DecommittableBytes, 128 * kMiB);
    ASSERT_EQ(w.model.commitFromProcess(w.other, 0, 512 * kMiB), NtStatus::Success); // takes the LOW offer
    EXPECT_EQ(w.model.applySystemCommitPressure(64 * kMiB), 128 * kMiB);
    EXPECT_EQ(w.reclaim(kept), ReclaimResult::Ok);
    EXPECT_EQ(w.reclaim(lost), ReclaimResult::Discarded);
    EXPECT_EQ(w.reclaim(dead), ReclaimResult::NotCommitted);
    // Rule 6: after NOT_COMMITTED the allocation is dead; rule 5: reclaiming what is not offered fails.
    D3DKMT_RECLAIMALLOCATIONS2 again;
    again.hPagingQueue = w.queue;
    again.NumAllocations = 1;
    again.HandleList = &dead;
    EXPECT_EQ(w.model.reclaimAllocations2(again), NtStatus::InvalidParameter);
    again.HandleList = &kept;
    EXPECT_EQ(w.model.reclaimAllocations2(again), NtStatus::InvalidParameter);
}

TEST(ReferenceModel, ParameterRulesOfTheOfferCall)
{
    ReferenceWorld w;
    const D3DKMT_HANDLE a = w.alloc(16 * kMiB);
    D3DKMT_HANDLE resource = w.model.allocation(a)->resource;
    D3DKMT_OFFERALLOCATIONS args;
    args.hDevice = w.device;
    args.HandleList = &a;
    args.pResources = &resource;
    args.NumAllocations = 1;
    args.Priority = OfferPriority::Low;
    EXPECT_EQ(w.model.offerAllocations(args), NtStatus::InvalidParameter) << "both arrays";
    args.pResources = nullptr;
    args.NumAllocations = 0;
    EXPECT_EQ(w.model.offerAllocations(args), NtStatus::InvalidParameter) << "count 0";
    args.NumAllocations = 1;
    args.Priority = OfferPriority::None;
    EXPECT_EQ(w.model.offerAllocations(args), NtStatus::InvalidParameter) << "priority 0";
    args.Priority = OfferPriority::Auto;
    ASSERT_EQ(w.model.offerAllocations(args), NtStatus::Success);
    EXPECT_EQ(w.model.offerAllocations(args), NtStatus::InvalidParameter) << "already offered";
    EXPECT_EQ(w.model.allocation(a)->effectivePriority, OfferPriority::Normal) << "AUTO from NORMAL residency";

    CreateResourceArgs present;
    present.hDevice = w.device;
    present.allocationSizes = { 8 * kMiB, 8 * kMiB };
    present.present = true;
    CreatedResource swapChain;
    ASSERT_EQ(w.model.createResource(present, swapChain), NtStatus::Success);
    D3DKMT_OFFERALLOCATIONS byResource;
    byResource.hDevice = w.device;
    byResource.pResources = &swapChain.hResource;
    byResource.NumAllocations = 1;
    byResource.Priority = OfferPriority::Low;
    EXPECT_EQ(w.model.offerAllocations(byResource), NtStatus::InvalidParameter) << "present resource by handle";
}

// Windows' statuses from Wine's conformance test test_D3DKMTQueryVideoMemoryInfo (see tst_misuse.cpp
// MisuseQueries.QueryVideoMemoryInfoAnswersWhatWindowsAnswers): the reference answers the same as the simulator.
TEST(ReferenceModel, QueryVideoMemoryInfoAnswersWhatWindowsAnswers)
{
    ReferenceWorld w;
    test::World s;
    for (const bool onSimulator : { false, true }) {
        const auto query = [&](HANDLE hProcess, D3DKMT_HANDLE hAdapter, UINT index, MemorySegmentGroup group) {
            D3DKMT_QUERYVIDEOMEMORYINFO args;
            args.hProcess = hProcess;
            args.hAdapter = hAdapter;
            args.PhysicalAdapterIndex = index;
            args.MemorySegmentGroup = group;
            return onSimulator ? s.sim.queryVideoMemoryInfo(args).code() : w.model.queryVideoMemoryInfo(args);
        };
        const D3DKMT_HANDLE adapter = onSimulator ? s.sim.adapterHandle() : w.model.adapterHandle();
        const HANDLE process = onSimulator ? s.process : w.process;
        const D3DKMT_HANDLE device = onSimulator ? s.device : w.device;
        const char* side = onSimulator ? "simulator" : "reference";
        EXPECT_EQ(query(0xDEADBEEF, adapter, 0, MemorySegmentGroup::Local), NtStatus::InvalidHandle) << side;
        EXPECT_EQ(query(device, adapter, 0, MemorySegmentGroup::Local), NtStatus::InvalidHandle) << side;
        // Checked first: a bad hProcess with a bad hAdapter is still STATUS_INVALID_HANDLE.
        EXPECT_EQ(query(0xDEADBEEF, 0xDEADBEEF, 0, MemorySegmentGroup::Local), NtStatus::InvalidHandle) << side;
        EXPECT_EQ(query(0, 0xDEADBEEF, 0, MemorySegmentGroup::Local), NtStatus::InvalidParameter) << side;
        EXPECT_EQ(query(0, adapter, 99, MemorySegmentGroup::Local), NtStatus::InvalidParameter) << side;
        EXPECT_EQ(query(0, adapter, 0, static_cast<MemorySegmentGroup>(2)), NtStatus::InvalidParameter) << side;
        EXPECT_EQ(query(0, adapter, 0, MemorySegmentGroup::NonLocal), NtStatus::Success) << side;
        EXPECT_EQ(query(process, adapter, 0, MemorySegmentGroup::Local), NtStatus::Success) << side;
    }
}
