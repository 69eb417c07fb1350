// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/DemoScenario.h"

#include "core/Units.h"

namespace offerscope::cli {

using namespace offerscope::sim;

std::string runDemoScenario(sim::Simulator& sim)
{
    std::string problems;
    auto expect = [&problems](bool ok, const std::string& what) {
        if (!ok)
            problems += "unexpected: " + what + "\n";
    };
    auto state = [&sim](D3DKMT_HANDLE h) {
        auto info = sim.allocation(h);
        return info ? info->state : AllocationState::Destroyed;
    };

    sim.narrate("A game and a web browser share a 4 GiB GPU. The game keeps textures it does not need right now, "
                "but instead of freeing them it OFFERS them: VidMm may take the memory if someone needs it.");
    const D3DKMT_HANDLE game = *sim.createProcess("Game", 3 * kGiB + 512 * kMiB);
    const D3DKMT_HANDLE browser = *sim.createProcess("Browser");
    const D3DKMT_HANDLE device = *sim.createDevice(game);
    const D3DKMT_HANDLE queue = *sim.createPagingQueue(device);

    auto make = [&](const char* name, std::uint64_t size, bool present = false, int count = 1) {
        CreateResourceArgs args;
        args.hDevice = device;
        args.allocationSizes.assign(static_cast<std::size_t>(count), size);
        args.name = name;
        args.present = present;
        CreatedResource out;
        expect(sim.createResource(args, out) == NtStatus::Success, std::string("create ") + name);
        return out;
    };
    const CreatedResource level1 = make("Level 1 textures", kGiB);
    const CreatedResource shadows = make("Shadow maps", 512 * kMiB);
    const CreatedResource lightmaps = make("Baked lightmaps", 512 * kMiB);
    const CreatedResource swapChain = make("Swap chain", 32 * kMiB, true, 2);

    sim.narrate("Level 1 is over: its textures are worthless now (LOW). Shadow maps are cheap to rebuild (NORMAL). "
                "Baked lightmaps are expensive (HIGH), and the game lets VidMm decommit them (AllowDecommit).");
    auto offer = [&](const CreatedResource& r, OfferPriority priority, UINT flags = 0) {
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = device;
        args.HandleList = r.allocations.data();
        args.NumAllocations = static_cast<UINT>(r.allocations.size());
        args.Priority = priority;
        args.Flags.Value = flags;
        return sim.offerAllocations(args);
    };
    expect(offer(level1, OfferPriority::Low) == NtStatus::Success, "offer level 1");
    expect(offer(shadows, OfferPriority::Normal) == NtStatus::Success, "offer shadows");
    expect(offer(lightmaps, OfferPriority::High, D3DKMT_OFFER_FLAGS::kAllowDecommit) == NtStatus::Success,
        "offer lightmaps");

    sim.narrate("The swap chain was created with the present bind flag. Offering it by its resource handle is a "
                "mistake the kernel rejects; it must be offered by its allocation handles.");
    {
        D3DKMT_HANDLE resource = swapChain.hResource;
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = device;
        args.pResources = &resource;
        args.NumAllocations = 1;
        args.Priority = OfferPriority::Normal;
        expect(sim.offerAllocations(args) == NtStatus::InvalidParameter, "present resource by resource handle");
    }
    expect(offer(swapChain, OfferPriority::Normal) == NtStatus::Success, "offer swap chain by allocation");

    sim.narrate("The browser opens a video: it commits 2.5 GiB. Only about 1.9 GiB are free, so VidMm takes memory "
                "from the offers: LOW first.");
    expect(sim.commitFromProcess(browser, 0, 2 * kGiB + 512 * kMiB, nullptr, "Video decoder surfaces")
            == NtStatus::Success,
        "browser commit");
    expect(state(level1.allocations[0]) == AllocationState::Discarded, "level 1 discarded first");
    expect(state(shadows.allocations[0]) == AllocationState::Offered, "shadows survive");

    sim.narrate("The game needs everything back. ReclaimAllocations2 tells, per allocation, whether the content "
                "survived. Getting Level 1 back needs 1 GiB, so more offers must go: NORMAL, then HIGH.");
    {
        const D3DKMT_HANDLE handles[] = { shadows.allocations[0], level1.allocations[0] };
        ReclaimResult results[2] = {};
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.NumAllocations = 2;
        args.HandleList = handles;
        args.pResults = results;
        expect(sim.reclaimAllocations2(args) == NtStatus::Success, "reclaim");
        expect(results[0] == ReclaimResult::Ok, "shadows OK");
        expect(results[1] == ReclaimResult::Discarded, "level 1 DISCARDED");
    }
    expect(state(swapChain.allocations[0]) == AllocationState::Discarded, "swap chain discarded (NORMAL)");
    expect(state(lightmaps.allocations[0]) == AllocationState::Discarded, "lightmaps discarded (HIGH)");

    sim.narrate("The game is short of system commit too: it asks VidMm to decommit what it allowed. The lightmaps "
                "are gone for good, and the next reclaim says NOT_COMMITTED.");
    {
        D3DKMT_QUERYPROCESSOFFERINFO info;
        info.hProcess = game;
        expect(sim.queryProcessOfferInfo(info) == NtStatus::Success && info.DecommittableBytes == 512 * kMiB,
            "decommittable bytes");
        D3DKMT_TRIMPROCESSCOMMITMENT trim;
        trim.hProcess = game;
        trim.DecommitRequested = 512 * kMiB;
        expect(sim.trimProcessCommitment(trim) == NtStatus::Success && trim.NumBytesDecommitted == 512 * kMiB,
            "trim commitment");
        ReclaimResult result = ReclaimResult::Ok;
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.NumAllocations = 1;
        args.HandleList = lightmaps.allocations.data();
        args.pResults = &result;
        expect(sim.reclaimAllocations2(args) == NtStatus::Success && result == ReclaimResult::NotCommitted,
            "lightmaps NOT_COMMITTED");
        expect(sim.destroyResource(device, lightmaps.hResource) == NtStatus::Success, "destroy lightmaps");
    }

    sim.narrate("The GPU is still drawing with the shadow maps when the game offers them. The offer is legal but "
                "pending: it takes effect only when that work's fence retires.");
    {
        std::uint64_t fence = 0;
        expect(sim.submitGpuWork(device, shadows.allocations, 500, &fence) == NtStatus::Success, "gpu work");
        expect(offer(shadows, OfferPriority::Normal) == NtStatus::Success, "pending offer");
        expect(state(shadows.allocations[0]) == AllocationState::OfferPending, "offer pending");
        sim.advanceTime(1000);
        expect(state(shadows.allocations[0]) == AllocationState::Offered, "offer effective after the fence");
    }

    sim.narrate("The player switches to another window: the game's budget shrinks to 1 GiB. VidMm sends a trim "
                "notification and takes back the game's own offers first, then evicts.");
    expect(sim.setBudget(game, MemorySegmentGroup::Local, kGiB) == NtStatus::Success, "budget shrink");
    expect(state(shadows.allocations[0]) == AllocationState::Discarded, "shadows discarded by the budget");

    sim.narrate("A bug: the game locks an offered allocation, then submits GPU work that reads one. The lock is "
                "refused; the GPU access is a page fault that removes the device.");
    {
        expect(sim.lock(device, shadows.allocations[0]) == NtStatus::InvalidParameter, "lock offered");
        expect(sim.submitGpuWork(device, shadows.allocations, 100) == NtStatus::DeviceRemoved, "gpu on offered");
        D3DKMT_RECLAIMALLOCATIONS2 args;
        ReclaimResult result = ReclaimResult::Ok;
        args.hPagingQueue = queue;
        args.NumAllocations = 1;
        args.HandleList = shadows.allocations.data();
        args.pResults = &result;
        expect(sim.reclaimAllocations2(args) == NtStatus::DeviceRemoved, "calls after device removal");
    }
    const std::string invariants = sim.checkInvariants();
    expect(invariants.empty(), "invariants: " + invariants);
    return problems;
}

} // namespace offerscope::cli
