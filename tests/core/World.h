// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StatusIs.h"

// A small world for engine tests: one adapter, a process "App" with a device and a paging queue, and
// helpers that build the D3DKMT argument structs the way an application would.

#include "core/Units.h"
#include "core/sim/Simulator.h"

#include <gtest/gtest.h>
#include <vector>

namespace offerscope::test {

using namespace offerscope::sim;

inline AdapterConfig smallAdapter(std::uint64_t local = 1 * kGiB, std::uint64_t aperture = 2 * kGiB)
{
    return AdapterConfig { "Test adapter",
        { { "VRAM", local, MemorySegmentGroup::Local, false },
            { "Aperture", aperture, MemorySegmentGroup::NonLocal, true } } };
}

struct World {
    Simulator sim;
    D3DKMT_HANDLE process = 0;
    D3DKMT_HANDLE device = 0;
    D3DKMT_HANDLE queue = 0;

    explicit World(AdapterConfig adapter = smallAdapter(), SimPolicy policy = {}, std::uint64_t budget = 1 * kGiB)
        : sim(std::move(adapter), policy)
    {
        process = *sim.createProcess("App", budget, 2 * kGiB);
        device = *sim.createDevice(process);
        queue = *sim.createPagingQueue(device);
    }

    CreatedResource create(std::uint64_t size, std::string name = {}, UINT residency = ResidencyPriority::kNormal,
        bool present = false, int count = 1, D3DKMT_HANDLE onDevice = 0)
    {
        CreateResourceArgs args;
        args.hDevice = onDevice ? onDevice : device;
        args.allocationSizes.assign(static_cast<std::size_t>(count), size);
        args.name = std::move(name);
        args.residencyPriority = residency;
        args.present = present;
        CreatedResource out;
        EXPECT_EQ(sim.createResource(args, out), NtStatus::Success);
        return out;
    }
    D3DKMT_HANDLE alloc(std::uint64_t size, std::string name = {}, UINT residency = ResidencyPriority::kNormal)
    {
        return create(size, std::move(name), residency).allocations.at(0);
    }

    /// A resource created without MakeResident: committed, not resident (state Evicted).
    D3DKMT_HANDLE allocNotResident(std::uint64_t size)
    {
        CreateResourceArgs args;
        args.hDevice = device;
        args.allocationSizes = { size };
        args.makeResident = false;
        CreatedResource out;
        EXPECT_EQ(sim.createResource(args, out), NtStatus::Success);
        return out.allocations.at(0);
    }

    /// D3DKMTEvict of one allocation; `bytesToTrim` receives NumBytesToTrim when given.
    Status evict(D3DKMT_HANDLE h, UINT flags = 0, UINT64* bytesToTrim = nullptr)
    {
        D3DKMT_EVICT args;
        args.hDevice = device;
        args.NumAllocations = 1;
        args.AllocationList = &h;
        args.Flags.Value = flags;
        Status status = sim.evict(args);
        if (bytesToTrim != nullptr)
            *bytesToTrim = args.NumBytesToTrim;
        return status;
    }

    Status offer(std::vector<D3DKMT_HANDLE> handles, OfferPriority priority = OfferPriority::Low, UINT flags = 0,
        D3DKMT_HANDLE onDevice = 0)
    {
        D3DKMT_OFFERALLOCATIONS args;
        args.hDevice = onDevice ? onDevice : device;
        args.HandleList = handles.data();
        args.NumAllocations = static_cast<UINT>(handles.size());
        args.Priority = priority;
        args.Flags.Value = flags;
        return sim.offerAllocations(args);
    }

    struct Reclaimed {
        Status status;
        std::vector<ReclaimResult> results;
        UINT64 fence = 0;
    };
    Reclaimed reclaim(std::vector<D3DKMT_HANDLE> handles)
    {
        Reclaimed r;
        r.results.assign(handles.size(), static_cast<ReclaimResult>(99));
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.NumAllocations = static_cast<UINT>(handles.size());
        args.HandleList = handles.data();
        args.pResults = r.results.data();
        r.status = sim.reclaimAllocations2(args);
        r.fence = args.PagingFenceValue;
        return r;
    }
    ReclaimResult reclaimOne(D3DKMT_HANDLE h)
    {
        Reclaimed r = reclaim({ h });
        EXPECT_EQ(r.status, NtStatus::Success);
        return r.results[0];
    }

    AllocationState state(D3DKMT_HANDLE h) const
    {
        auto info = sim.allocation(h);
        return info ? info->state : AllocationState::Destroyed;
    }
    std::uint64_t usage(MemorySegmentGroup group = MemorySegmentGroup::Local) const
    {
        return sim.processUsage(process, group)->usage;
    }
    void expectInvariants() const
    {
        const std::string broken = sim.checkInvariants();
        EXPECT_TRUE(broken.empty()) << broken;
    }
    /// Another process fills `bytes` of segment 0.
    void pressure(std::uint64_t bytes, std::string who = "Other")
    {
        if (other == 0)
            other = *sim.createProcess(who, 8 * kGiB, 8 * kGiB);
        ASSERT_EQ(sim.commitFromProcess(other, 0, bytes), NtStatus::Success);
    }
    D3DKMT_HANDLE other = 0;
};

} // namespace offerscope::test
