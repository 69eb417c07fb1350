// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A stand-in live source that can do everything a Windows driver does with probes (create, offer,
// fill, reclaim): behind it is a simulator of its own, with this program's process, a device, and
// another process whose usage it reports. Tests make it behave unlike the model (a verifier switch)
// to see that the live side shows the driver's answers, not the model's.

#include "core/Units.h"
#include "core/live/LiveBackend.h"
#include "core/sim/Simulator.h"

#include <string>

namespace offerscope::live::testing {

class FakeDriver final : public LiveBackend {
public:
    /// One local segment of `segmentBytes`; `verifier` makes this "driver" differ from the model.
    explicit FakeDriver(std::uint64_t segmentBytes = kGiB, sim::VerifierSwitches verifier = {})
        : m_sim(sim::AdapterConfig { "Fake GPU", { { "local", segmentBytes, MemorySegmentGroup::Local, false } } })
    {
        m_sim.setVerifier(verifier);
        m_process = *m_sim.createProcess("probes");
        m_device = *m_sim.createDevice(m_process);
        m_queue = *m_sim.createPagingQueue(m_device);
        m_other = *m_sim.createProcess("other.exe");
    }

    sim::Simulator& driver() { return m_sim; }

    BackendInfo info() const override { return { BackendKind::Windows, "Fake driver", true, {} }; }
    std::vector<AdapterDesc> adapters() const override { return m_sim.adapters(); }

    LiveSample sample(const LUID& adapter) override
    {
        LiveSample s;
        s.adapter = adapter;
        s.atMs = ++m_readings * 1000;
        const sim::SegmentUsage u = m_sim.segmentUsage(0);
        s.segments.push_back({ 0, u.size, u.committed, u.resident });
        D3DKMT_QUERYVIDEOMEMORYINFO q;
        q.hProcess = 0;
        q.hAdapter = m_sim.adapterHandle();
        q.MemorySegmentGroup = MemorySegmentGroup::Local;
        if (ntSuccess(m_sim.queryVideoMemoryInfo(q)))
            s.groups.push_back({ MemorySegmentGroup::Local, "D3DKMTQueryVideoMemoryInfo", q.Budget, q.CurrentUsage,
                q.CurrentReservation, q.AvailableForReservation });
        if (const auto other = m_sim.processUsage(m_other, MemorySegmentGroup::Local))
            s.processes.push_back({ 7, "other.exe (7)", MemorySegmentGroup::Local, other->budget, other->usage,
                "D3DKMTQueryStatistics(PROCESS_SEGMENT_GROUP)" });
        logTelemetry("QVMI", NtStatus::Success, "D3DKMTQueryVideoMemoryInfo(LOCAL)", "the program's budget");
        return s;
    }
    D3DKMT_HANDLE probeDevice() const override { return m_device; }
    D3DKMT_HANDLE probePagingQueue() const override { return m_queue; }
    Status addPressure(std::uint64_t bytes) override
    {
        const Status status = m_sim.commitFromProcess(m_other, 0, bytes);
        logCall(events::ApiCall::CreateAllocation, status, "filler " + formatBytes(bytes), "filler resources");
        return status;
    }
    void releasePressure() override { }

    Status createResource(const CreateResourceArgs& args, CreatedResource& out) override
    {
        const Status status = m_sim.createResource(args, out);
        logCall(events::ApiCall::CreateAllocation, status, "CreateBuffer(" + args.name + ")", status.message(),
            out.allocations);
        return status;
    }
    Status destroyResource(D3DKMT_HANDLE hDevice, D3DKMT_HANDLE hResource) override
    {
        const Status status = m_sim.destroyResource(hDevice, hResource);
        logCall(events::ApiCall::DestroyAllocation, status, "Release()", status.message());
        return status;
    }
    Status offerAllocations(const D3DKMT_OFFERALLOCATIONS& args) override
    {
        const Status status = m_sim.offerAllocations(args);
        std::vector<D3DKMT_HANDLE> handles;
        for (UINT i = 0; args.HandleList != nullptr && i < args.NumAllocations; ++i)
            handles.push_back(args.HandleList[i]);
        logCall(events::ApiCall::OfferAllocations, status, "OfferResources1(...)", status.message(), handles, {},
            args.Priority);
        return status;
    }
    Status reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS& args) override
    {
        const Status status = m_sim.reclaimAllocations(args);
        logCall(events::ApiCall::ReclaimAllocations, status, "ReclaimResources(...)", status.message());
        return status;
    }
    Status reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2& args) override
    {
        const Status status = m_sim.reclaimAllocations2(args);
        if (!ntSuccess(status) || args.pResults == nullptr || args.HandleList == nullptr) {
            logCall(events::ApiCall::ReclaimAllocations2, status, "ReclaimResources1(...)", status.message());
            return status;
        }
        for (UINT i = 0; i < args.NumAllocations; ++i)
            logCall(events::ApiCall::ReclaimAllocations2, status, "ReclaimResources1(...)", "reclaimed",
                { args.HandleList[i] }, args.pResults[i]);
        return status;
    }
    Status makeResident(D3DDDI_MAKERESIDENT& args) override { return m_sim.makeResident(args); }
    Status evict(D3DKMT_EVICT& args) override { return m_sim.evict(args); }
    Status queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO& args) override { return m_sim.queryVideoMemoryInfo(args); }
    Status changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args) override
    {
        return m_sim.changeVideoMemoryReservation(args);
    }
    Status queryStatistics(D3DKMT_QUERYSTATISTICS& args) override { return m_sim.queryStatistics(args); }
    Status queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO& args) override
    {
        return m_sim.queryProcessOfferInfo(args);
    }
    Status trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT& args) override
    {
        return m_sim.trimProcessCommitment(args);
    }

private:
    sim::Simulator m_sim;
    D3DKMT_HANDLE m_process = 0, m_device = 0, m_queue = 0, m_other = 0;
    std::uint64_t m_readings = 0;
};

} // namespace offerscope::live::testing
