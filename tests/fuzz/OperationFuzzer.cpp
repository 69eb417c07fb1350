// SPDX-License-Identifier: GPL-3.0-or-later
// fuzzOperations(): decodes bytes into a sequence of engine calls (OperationCodes.h) on one simulator
// and checks after every call what the engine promises: its invariants, its views agreeing, a failing
// call changing nothing, time never going back, checkpoints and copies being exact.
#include "FuzzInput.h"
#include "FuzzTargets.h"
#include "OperationCodes.h"
#include "core/Units.h"
#include "core/sim/Simulator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>

namespace offerscope::fuzz {
namespace {

using namespace offerscope::sim;
using namespace offerscope::fuzz::ops;

/// Bounds that keep one input fast (the checks after each call walk every allocation).
constexpr std::size_t kMaxOperations = 400;
constexpr std::size_t kMaxAllocations = 512;
constexpr std::size_t kMaxWorldObjects = 64; ///< processes, devices, paging queues each
constexpr std::size_t kMaxCheckpoints = 4;

constexpr UINT kResidencyPriorities[5] = { ResidencyPriority::kMinimum, ResidencyPriority::kLow,
    ResidencyPriority::kNormal, ResidencyPriority::kHigh, ResidencyPriority::kMaximum };
constexpr std::uint64_t kPagingSpeeds[4] = { 17'179, 1, 1024, 1ULL << 40 };

/// stateDump() without its last line (the clock and the event count: a failing call logs an event).
std::string stateWithoutLog(const Simulator& sim)
{
    std::string dump = sim.stateDump();
    const std::size_t last = dump.rfind("now=");
    return last == std::string::npos ? dump : dump.substr(0, last);
}

class OperationRun {
public:
    explicit OperationRun(FuzzInput& in)
        : m_in(in)
    {
        AdapterConfig adapter;
        adapter.name = "Fuzz adapter";
        const int segments = 1 + m_in.u8() % 4;
        for (int i = 0; i < segments; ++i) {
            SegmentConfig c;
            c.name = "S" + std::to_string(i);
            c.size = size();
            const std::uint8_t bits = m_in.u8();
            c.group = (bits & 1) != 0 ? MemorySegmentGroup::NonLocal : MemorySegmentGroup::Local;
            c.aperture = (bits & 2) != 0;
            adapter.segments.push_back(c);
        }
        const std::uint8_t logMode = m_in.u8() % 3;
        const std::size_t capacity = 1 + m_in.u8();
        m_sim = std::make_unique<Simulator>(adapter, policy());
        if (logMode == 1)
            m_sim->eventLog().setMode(EventLog::Mode::Bounded, capacity);
        else if (logMode == 2)
            m_sim->eventLog().setMode(EventLog::Mode::Off);
        const VerifierSwitches v = verifier();
        if (v != VerifierSwitches {})
            m_sim->setVerifier(v);
        m_all.push_back(m_sim->adapterHandle());
    }

    void run()
    {
        // OFFERSCOPE_FUZZ_VERBOSE=1 prints the program as it runs (to read a crash input).
        const bool verbose = std::getenv("OFFERSCOPE_FUZZ_VERBOSE") != nullptr;
        check("start");
        for (std::size_t n = 0; n < kMaxOperations && !m_in.empty(); ++n) {
            const auto op = static_cast<Operation>(m_in.u8() % kOperationCount);
            const std::uint64_t before = m_sim->now();
            operation(op);
            if (verbose)
                std::fprintf(stderr, "%3zu: op %2d  t=%llu  live=%zu  slots=%zu  processes=%zu  last error: %s\n", n,
                    static_cast<int>(op), static_cast<unsigned long long>(m_sim->now()), m_sim->liveAllocationCount(),
                    m_sim->allocationSlots(), m_sim->processes().size(), m_lastStatus.message().c_str());
            if (m_sim->now() < before && op != kRestore)
                fuzzFailure(context(op) + ": the clock went back from " + std::to_string(before) + " to "
                    + std::to_string(m_sim->now()));
            check(context(op));
        }
    }

private:
    // ---- decoding ------------------------------------------------------------------------------------
    std::uint64_t size()
    {
        const std::uint8_t m = m_in.u8();
        if (m < kSize64MiB)
            return (m + 1ULL) * kMiB;
        if (m < kSizePages)
            return (m - kSize64MiB + 1ULL) * 64 * kMiB;
        if (m < kSizeZero)
            return (1ULL + m_in.u16()) * 4 * kKiB;
        if (m == kSizeZero)
            return 0;
        if (m < kSizeRaw)
            return 1ULL << (50 + (m - kSizeZero - 1));
        return m_in.u64();
    }
    std::uint32_t small(std::uint32_t modulus)
    {
        const std::uint8_t b = m_in.u8();
        return b < kRawFollows ? b % modulus : m_in.u32();
    }
    std::uint64_t duration()
    {
        const std::uint8_t b = m_in.u8();
        return b < kRawFollows ? b * 10ULL : m_in.u64();
    }
    UINT residency()
    {
        const std::uint8_t b = m_in.u8();
        return b < kRawFollows ? kResidencyPriorities[b % 5] : m_in.u32();
    }
    SimPolicy policy()
    {
        SimPolicy p;
        const std::uint8_t bits = m_in.u8();
        p.withinPriorityOrder = static_cast<WithinPriorityOrder>((bits & 3) % 3);
        p.rejectRedundantCalls = (bits & 4) == 0;
        p.offeredCountsInUsage = (bits & 8) == 0;
        p.enforceBudgetOnShrink = (bits & 16) == 0;
        p.reclaim2Output = (bits & 32) != 0 ? ReclaimOutput::DiscardedFlags : ReclaimOutput::Results;
        p.pagingBytesPerMicrosecond = kPagingSpeeds[m_in.u8() % 4];
        p.reservablePercentOfBudget = m_in.u8() % 101;
        return p;
    }
    VerifierSwitches verifier()
    {
        const std::uint8_t bits = m_in.u8();
        VerifierSwitches v;
        v.alwaysDiscardOffer = (bits & 1) != 0;
        v.neverDiscardOffer = (bits & 2) != 0;
        v.alwaysDecommitOffer = (bits & 4) != 0;
        v.alwaysProcessOfferList = (bits & 8) != 0;
        return v;
    }
    D3DKMT_HANDLE special(std::uint32_t code, D3DKMT_HANDLE kind)
    {
        switch (code % 4) {
        case 0:
            return 0;
        case 1:
            return m_in.u32(); // any number
        case 2: // a handle of any kind the program has seen
            return m_all[m_in.u8() % m_all.size()];
        default: // right kind, stale generation or a slot that does not exist
            return m_in.flag() ? (kind << 28) | 0x00FFFFFFu
                               : ((kind << 28) | 0x01000001u) ^ (static_cast<D3DKMT_HANDLE>(m_in.u8()) << 24);
        }
    }
    D3DKMT_HANDLE pick8(const std::vector<D3DKMT_HANDLE>& table, D3DKMT_HANDLE kind)
    {
        const std::uint8_t b = m_in.u8();
        if (b >= kFirstSpecial8)
            return special(b, kind);
        return table.empty() ? 0 : table[b % table.size()];
    }
    D3DKMT_HANDLE pick16(const std::vector<D3DKMT_HANDLE>& table, D3DKMT_HANDLE kind)
    {
        const std::uint16_t v = m_in.u16();
        if (v >= kFirstSpecial16)
            return special(v, kind);
        return table.empty() ? 0 : table[v % table.size()];
    }
    HANDLE process()
    {
        const std::uint8_t b = m_in.u8();
        if (b == 0xFF)
            return m_in.u64(); // also above 32 bits
        return b >= kFirstSpecial8 ? special(b, 0x2) : (m_processes.empty() ? 0 : m_processes[b % m_processes.size()]);
    }
    D3DKMT_HANDLE device() { return pick8(m_devices, 0x3); }
    D3DKMT_HANDLE queue() { return pick8(m_queues, 0x6); }
    D3DKMT_HANDLE allocation() { return pick16(m_allocations, 0x4); }
    D3DKMT_HANDLE resource() { return pick16(m_resources, 0x5); }
    std::size_t listLength()
    {
        const std::uint8_t b = m_in.u8();
        return b < kLongList ? b % 9 : 9 + 2 * (b & 15);
    }
    std::vector<D3DKMT_HANDLE> allocationList()
    {
        std::vector<D3DKMT_HANDLE> out(listLength());
        for (D3DKMT_HANDLE& h : out)
            h = allocation();
        return out;
    }
    std::uint32_t segmentId()
    {
        const std::uint8_t b = m_in.u8();
        return b < kFirstSpecial8 ? b % m_sim->segmentCount() : (b == 0xFF ? m_in.u32() : b);
    }
    MemorySegmentGroup group()
    {
        const std::uint8_t b = m_in.u8();
        return static_cast<MemorySegmentGroup>(b < kRawFollows ? b % 2 : m_in.u32());
    }

    // ---- checks ----------------------------------------------------------------------------------------
    std::string context(Operation op) const
    {
        return "operation " + std::to_string(m_count) + " (code " + std::to_string(op) + ")";
    }
    void check(std::string_view where) { checkSimulator(*m_sim, where); }

    /// Runs a call; a failure other than a removed device must leave the state as it was.
    template <typename F> NtStatus guarded(const char* what, F&& call)
    {
        const std::string before = stateWithoutLog(*m_sim);
        const std::uint64_t now = m_sim->now();
        m_lastStatus = call();
        const NtStatus status = m_lastStatus.code();
        if (!ntSuccess(status) && status != NtStatus::DeviceRemoved) {
            if (stateWithoutLog(*m_sim) != before || m_sim->now() != now)
                fuzzFailure(std::string(what) + " returned " + std::string(ntStatusName(status))
                    + " but changed the state (" + m_lastStatus.message() + ")");
            if (m_lastStatus.message().empty())
                fuzzFailure(std::string(what) + " failed without saying why");
        }
        return status;
    }
    static void checkResults(const char* what, const ReclaimResult* results, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i)
            if (static_cast<std::uint32_t>(results[i]) > 2)
                fuzzFailure(std::string(what) + " wrote result "
                    + std::to_string(static_cast<std::uint32_t>(results[i])) + " at entry " + std::to_string(i));
    }
    void remember(std::vector<D3DKMT_HANDLE>& table, D3DKMT_HANDLE h)
    {
        table.push_back(h);
        m_all.push_back(h);
    }

    // ---- the operations -------------------------------------------------------------------------------
    void operation(Operation op)
    {
        ++m_count;
        Simulator& sim = *m_sim;
        switch (op) {
        case kCreateProcess: {
            std::string name = m_in.text(12);
            const std::uint8_t bits = m_in.u8();
            std::optional<std::uint64_t> local, nonLocal;
            if ((bits & 1) != 0)
                local = size();
            if ((bits & 2) != 0)
                nonLocal = size();
            if (m_processes.size() >= kMaxWorldObjects)
                return;
            if (auto p = sim.createProcess(std::move(name), local, nonLocal))
                remember(m_processes, *p);
            return;
        }
        case kCreateDevice: {
            const HANDLE p = process();
            if (m_devices.size() >= kMaxWorldObjects)
                return;
            if (auto d = sim.createDevice(p))
                remember(m_devices, *d);
            return;
        }
        case kCreatePagingQueue: {
            const D3DKMT_HANDLE d = device();
            if (m_queues.size() >= kMaxWorldObjects)
                return;
            if (auto q = sim.createPagingQueue(d))
                remember(m_queues, *q);
            return;
        }
        case kSetCurrentProcess:
            sim.setCurrentProcess(process());
            return;
        case kCreateResource: {
            CreateResourceArgs args;
            args.hDevice = device();
            const std::uint8_t countByte = m_in.u8();
            const std::size_t count = countByte < kRawFollows ? countByte % 9 : m_in.u16() % 1100;
            const std::uint8_t bits = m_in.u8();
            args.present = (bits & 2) != 0;
            args.makeResident = (bits & 4) == 0;
            if ((bits & 8) != 0)
                args.name = "r" + std::to_string(m_resources.size());
            if ((bits & 1) != 0) {
                args.allocationSizes.assign(count, size());
            } else {
                for (std::size_t i = 0; i < count && i < 16; ++i)
                    args.allocationSizes.push_back(size());
                args.allocationSizes.resize(count, 4 * kKiB);
            }
            args.segmentId = segmentId();
            args.residencyPriority = residency();
            if (m_allocations.size() + count > kMaxAllocations)
                return;
            CreatedResource out;
            const NtStatus status = guarded("CreateResource", [&] { return sim.createResource(args, out); });
            if (status == NtStatus::Success) {
                if (out.allocations.size() != count)
                    fuzzFailure("CreateResource gave " + std::to_string(out.allocations.size()) + " allocations for "
                        + std::to_string(count));
                remember(m_resources, out.hResource);
                for (D3DKMT_HANDLE h : out.allocations) {
                    remember(m_allocations, h);
                    const auto info = sim.allocation(h);
                    if (!info || info->resource != out.hResource || info->device != args.hDevice)
                        fuzzFailure("a new allocation does not know its resource or device");
                }
                if (sim.resourceAllocations(out.hResource) != out.allocations)
                    fuzzFailure("resourceAllocations() differs from what CreateResource returned");
            } else if (!out.allocations.empty() || out.hResource != 0) {
                fuzzFailure("a failed CreateResource returned handles");
            }
            return;
        }
        case kDestroyResource: {
            const D3DKMT_HANDLE d = device();
            const D3DKMT_HANDLE r = resource();
            const std::vector<D3DKMT_HANDLE> allocations = sim.resourceAllocations(r);
            if (guarded("DestroyResource", [&] { return sim.destroyResource(d, r); }) == NtStatus::Success) {
                for (D3DKMT_HANDLE h : allocations)
                    if (sim.allocation(h))
                        fuzzFailure("an allocation of a destroyed resource is still live");
                if (!sim.resourceAllocations(r).empty())
                    fuzzFailure("a destroyed resource still lists allocations");
            }
            return;
        }
        case kOffer:
        case kReclaim:
        case kReclaim2:
            offerOrReclaim(op);
            return;
        case kMakeResident: {
            D3DDDI_MAKERESIDENT args;
            args.hPagingQueue = queue();
            const std::vector<D3DKMT_HANDLE> list = allocationList();
            const std::uint8_t bits = m_in.u8();
            std::vector<UINT> priorities(list.size());
            for (UINT& p : priorities)
                p = residency();
            args.NumAllocations = static_cast<UINT>(list.size());
            args.AllocationList = (bits & 1) != 0 || list.empty() ? nullptr : list.data();
            args.PriorityList = (bits & 2) != 0 && !list.empty() ? priorities.data() : nullptr;
            args.Flags.Value = small(4);
            const NtStatus status = guarded("MakeResident", [&] { return sim.makeResident(args); });
            if (ntSuccess(status) && args.NumAllocations != list.size())
                fuzzFailure("MakeResident succeeded with NumAllocations " + std::to_string(args.NumAllocations));
            return;
        }
        case kEvict: {
            D3DKMT_EVICT args;
            args.hDevice = device();
            const std::vector<D3DKMT_HANDLE> list = allocationList();
            args.NumAllocations = static_cast<UINT>(list.size());
            args.AllocationList = m_in.flag() || list.empty() ? nullptr : list.data();
            args.Flags.Value = small(4);
            guarded("Evict", [&] { return sim.evict(args); });
            return;
        }
        case kQueryVideoMemoryInfo: {
            D3DKMT_QUERYVIDEOMEMORYINFO args;
            args.hProcess = process();
            const std::uint8_t bits = m_in.u8();
            args.hAdapter = (bits & 1) != 0 ? m_in.u32() : sim.adapterHandle();
            args.MemorySegmentGroup = group();
            args.PhysicalAdapterIndex = (bits & 2) != 0 ? m_in.u32() : 0;
            if (guarded("QueryVideoMemoryInfo", [&] { return sim.queryVideoMemoryInfo(args); }) == NtStatus::Success) {
                const auto u = sim.processUsage(args.hProcess, args.MemorySegmentGroup);
                if (!u || u->budget != args.Budget || u->usage != args.CurrentUsage
                    || u->reservation != args.CurrentReservation)
                    fuzzFailure("QueryVideoMemoryInfo and processUsage() disagree");
            }
            return;
        }
        case kChangeReservation: {
            D3DKMT_CHANGEVIDEOMEMORYRESERVATION args;
            args.hProcess = process();
            const std::uint8_t bits = m_in.u8();
            args.hAdapter = (bits & 1) != 0 ? m_in.u32() : sim.adapterHandle();
            args.MemorySegmentGroup = group();
            args.PhysicalAdapterIndex = (bits & 2) != 0 ? m_in.u32() : 0;
            args.Reservation = size();
            guarded("ChangeVideoMemoryReservation", [&] { return sim.changeVideoMemoryReservation(args); });
            return;
        }
        case kQueryStatistics: {
            D3DKMT_QUERYSTATISTICS args;
            args.Type = static_cast<D3DKMT_QUERYSTATISTICS_TYPE>(small(12));
            const std::uint8_t bits = m_in.u8();
            args.AdapterLuid = (bits & 1) != 0 ? LUID { m_in.u32(), 0 } : sim.adapterLuid();
            args.hProcess = process();
            if (args.Type == D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup)
                args.QueryProcessSegmentGroup = group();
            else
                args.QuerySegment.SegmentId = segmentId();
            const NtStatus status = guarded("QueryStatistics", [&] { return sim.queryStatistics(args); });
            if (status == NtStatus::Success && args.Type == D3DKMT_QUERYSTATISTICS_TYPE::Segment) {
                const auto& info = args.QueryResult.SegmentInformation;
                const SegmentUsage u = sim.segmentUsage(args.QuerySegment.SegmentId);
                if (info.BytesResident != u.resident || info.BytesCommitted != u.committed || info.CommitLimit != u.size
                    || info.BytesResident > info.CommitLimit)
                    fuzzFailure("QueryStatistics(SEGMENT) and segmentUsage() disagree");
            }
            return;
        }
        case kQueryProcessOfferInfo: {
            D3DKMT_QUERYPROCESSOFFERINFO args;
            args.hProcess = process();
            if (m_in.flag())
                args.cbSize = m_in.u32();
            guarded("QueryProcessOfferInfo", [&] { return sim.queryProcessOfferInfo(args); });
            return;
        }
        case kTrimProcessCommitment: {
            D3DKMT_TRIMPROCESSCOMMITMENT args;
            args.hProcess = process();
            if (m_in.flag())
                args.cbSize = m_in.u32();
            args.Flags.Value = small(4);
            args.DecommitRequested = size();
            guarded("TrimProcessCommitment", [&] { return sim.trimProcessCommitment(args); });
            return;
        }
        case kLock:
        case kUnlock: {
            const D3DKMT_HANDLE d = device();
            const D3DKMT_HANDLE a = allocation();
            if (op == kLock)
                guarded("Lock", [&] { return sim.lock(d, a); });
            else
                guarded("Unlock", [&] { return sim.unlock(d, a); });
            return;
        }
        case kGpuWork: {
            const D3DKMT_HANDLE d = device();
            const std::vector<D3DKMT_HANDLE> list = allocationList();
            const std::uint64_t us = duration();
            std::uint64_t fence = 0;
            const NtStatus status = guarded("SubmitGpuWork", [&] { return sim.submitGpuWork(d, list, us, &fence); });
            if (status == NtStatus::Success && fence <= sim.deviceFenceCompleted(d))
                fuzzFailure("GPU work got fence " + std::to_string(fence) + ", already completed");
            return;
        }
        case kSetPriority: {
            const D3DKMT_HANDLE d = device();
            const std::vector<D3DKMT_HANDLE> list = allocationList();
            std::vector<UINT> priorities(list.size() + m_in.u8() % 3);
            if (!priorities.empty() && m_in.flag())
                priorities.pop_back();
            if (!priorities.empty() && m_in.flag())
                priorities.pop_back();
            for (UINT& p : priorities)
                p = residency();
            guarded("SetAllocationPriority", [&] { return sim.setAllocationPriority(d, list, priorities); });
            return;
        }
        case kAdvanceTime:
            sim.advanceTime(duration());
            return;
        case kWaitForIdle: {
            const D3DKMT_HANDLE d = device();
            guarded("waitForIdle", [&] { return sim.waitForIdle(d); });
            return;
        }
        case kWaitForPagingFence: {
            const D3DKMT_HANDLE q = queue();
            const std::uint8_t b = m_in.u8();
            const std::uint64_t fence = b < kRawFollows ? sim.pagingFenceCompleted(q) + b % 4 : m_in.u64();
            if (guarded("waitForPagingFence", [&] { return sim.waitForPagingFence(q, fence); }) == NtStatus::Success
                && sim.pagingFenceCompleted(q) < fence)
                fuzzFailure("waitForPagingFence returned before fence " + std::to_string(fence) + " completed");
            return;
        }
        case kSetBudget: {
            const HANDLE p = process();
            const MemorySegmentGroup g = group();
            const std::uint64_t bytes = size();
            guarded("setBudget", [&] { return sim.setBudget(p, g, bytes); });
            return;
        }
        case kCommitFromProcess: {
            const HANDLE p = process();
            const std::uint32_t segment = segmentId();
            const std::uint64_t bytes = size();
            if (m_allocations.size() >= kMaxAllocations)
                return;
            CreatedResource created;
            // May create a device for the process (not a state change a failure must avoid: not guarded).
            if (sim.commitFromProcess(p, segment, bytes, &created) == NtStatus::Success) {
                remember(m_resources, created.hResource);
                for (D3DKMT_HANDLE h : created.allocations)
                    remember(m_allocations, h);
            }
            return;
        }
        case kSystemCommitPressure:
            sim.applySystemCommitPressure(size());
            return;
        case kSetPolicy:
            sim.setPolicy(policy());
            return;
        case kSetVerifier:
            sim.setVerifier(verifier());
            return;
        case kSetProcessVerifier: {
            const HANDLE p = process();
            const std::uint8_t bits = m_in.u8();
            ProcessVerifier v;
            v.alwaysFailCommitOnReclaim = (bits & 1) != 0;
            if ((bits & 2) != 0)
                v.budgetRestriction[0] = size();
            if ((bits & 4) != 0)
                v.budgetRestriction[1] = size();
            sim.setProcessVerifier(p, v);
            return;
        }
        case kNarrate:
            sim.narrate(m_in.text(16));
            return;
        case kCheckpoint: {
            if (m_checkpoints.size() >= kMaxCheckpoints)
                m_checkpoints.erase(m_checkpoints.begin());
            m_checkpoints.push_back(Saved { sim.checkpoint(), sim.stateDump(), sim.eventLog().formatAll() });
            return;
        }
        case kRestore: {
            const std::uint8_t b = m_in.u8();
            if (m_checkpoints.empty())
                return;
            const std::size_t i = b % m_checkpoints.size();
            std::deque<Event> cut;
            sim.restore(m_checkpoints[i].checkpoint, &cut);
            if (sim.stateDump() != m_checkpoints[i].dump)
                fuzzFailure("restoring checkpoint " + std::to_string(i) + " did not give the state it saved");
            // A bounded log cannot bring back what later events pushed out: it keeps a suffix of the saved.
            const std::string events = sim.eventLog().formatAll();
            const std::string& saved = m_checkpoints[i].events;
            const bool same = sim.eventLog().mode() == EventLog::Mode::Bounded ? events.size() <= saved.size()
                    && saved.compare(saved.size() - events.size(), events.size(), events) == 0
                                                                               : events == saved;
            if (!same)
                fuzzFailure("restoring checkpoint " + std::to_string(i) + " did not give the events it saved");
            // Later checkpoints lie in a future that is now gone.
            m_checkpoints.resize(i + 1);
            return;
        }
        case kCopy: {
            const Simulator copy(sim);
            if (copy.stateDump() != sim.stateDump() || !copy.checkInvariants().empty())
                fuzzFailure("a copy of the simulator differs from it");
            Simulator assigned;
            assigned = copy;
            if (assigned.stateDump() != sim.stateDump())
                fuzzFailure("an assigned simulator differs from its source");
            return;
        }
        case kLookInside:
            lookInside();
            return;
        case kOperationCount:
            return;
        }
    }

    void offerOrReclaim(Operation op)
    {
        Simulator& sim = *m_sim;
        const D3DKMT_HANDLE target = op == kReclaim2 ? queue() : device();
        const std::uint8_t mode = m_in.u8();
        const std::size_t n = listLength();
        std::vector<D3DKMT_HANDLE> allocations(n), resources(n);
        const auto by = static_cast<ArrayMode>(mode & 3);
        for (std::size_t i = 0; i < n; ++i) {
            if (by == kByResources || by == kByBoth)
                resources[i] = resource();
            if (by != kByResources)
                allocations[i] = allocation();
        }
        // NumAllocations never exceeds the arrays (the engine cannot know their length), but may be smaller.
        UINT count = static_cast<UINT>(n);
        if ((mode & 0x80) != 0)
            count = static_cast<UINT>(n - std::min<std::size_t>(n, (mode >> 4) & 7));
        D3DKMT_HANDLE* handleList = by == kByAllocations || by == kByBoth ? allocations.data() : nullptr;
        D3DKMT_HANDLE* resourceList = by == kByResources || by == kByBoth ? resources.data() : nullptr;
        if (n == 0 && (mode & 4) != 0)
            handleList = resourceList = nullptr;
        const bool output = (mode & 8) == 0;
        if (op == kOffer) {
            D3DKMT_OFFERALLOCATIONS args;
            args.hDevice = target;
            args.HandleList = handleList;
            args.pResources = resourceList;
            args.NumAllocations = count;
            args.Priority = static_cast<OfferPriority>(small(6));
            args.Flags.Value = small(4);
            guarded("OfferAllocations", [&] { return sim.offerAllocations(args); });
            return;
        }
        std::vector<ReclaimResult> results(n, static_cast<ReclaimResult>(7));
        std::vector<BOOL> discarded(n, 7);
        if (op == kReclaim) {
            D3DKMT_RECLAIMALLOCATIONS args;
            args.hDevice = target;
            args.HandleList = handleList;
            args.pResources = resourceList;
            args.pDiscarded = output && n != 0 ? discarded.data() : nullptr;
            args.NumAllocations = count;
            if (guarded("ReclaimAllocations", [&] { return sim.reclaimAllocations(args); }) == NtStatus::Success)
                for (UINT i = 0; i < count && args.pDiscarded != nullptr; ++i)
                    if (discarded[i] != 0 && discarded[i] != 1)
                        fuzzFailure("ReclaimAllocations left pDiscarded[" + std::to_string(i) + "] unset");
            return;
        }
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = target;
        args.HandleList = handleList;
        args.pResources = resourceList;
        const bool asResults = sim.policy().reclaim2Output == ReclaimOutput::Results;
        if (output && n != 0) {
            if (asResults)
                args.pResults = results.data();
            else
                args.pDiscarded = discarded.data();
        }
        args.NumAllocations = count;
        if (guarded("ReclaimAllocations2", [&] { return sim.reclaimAllocations2(args); }) == NtStatus::Success && output
            && n != 0) {
            if (asResults)
                checkResults("ReclaimAllocations2", results.data(), count);
            else
                for (UINT i = 0; i < count; ++i)
                    if (discarded[i] != 0 && discarded[i] != 1)
                        fuzzFailure("ReclaimAllocations2 left pDiscarded[" + std::to_string(i) + "] unset");
        }
    }

    void lookInside()
    {
        const Simulator& sim = *m_sim;
        const D3DKMT_HANDLE a = allocation();
        if (const auto info = sim.allocation(a)) {
            const std::vector<D3DKMT_HANDLE> siblings = sim.resourceAllocations(info->resource);
            if (std::find(siblings.begin(), siblings.end(), a) == siblings.end())
                fuzzFailure("an allocation is not among its resource's allocations");
            if (sim.deviceProcess(info->device) != info->process)
                fuzzFailure("an allocation's process is not its device's");
        }
        (void)sim.resourceName(resource());
        (void)sim.memoryFootprint();
        const EventLog& log = sim.eventLog();
        if (log.size() > 0) {
            const Event& last = log.back();
            if (last.seq > log.lastSeq())
                fuzzFailure("the last stored event has a sequence number beyond the log's");
            (void)EventLog::formatLine(last);
        }
        for (std::size_t i = 1; i < log.size(); ++i)
            if (log.at(i).seq <= log.at(i - 1).seq || log.at(i).time < log.at(i - 1).time)
                fuzzFailure("events out of order at " + std::to_string(i));
    }

    struct Saved {
        Simulator::Checkpoint checkpoint;
        std::string dump;
        std::string events;
    };

    FuzzInput& m_in;
    std::unique_ptr<Simulator> m_sim;
    std::size_t m_count = 0;
    Status m_lastStatus; ///< what the last guarded call answered
    std::vector<D3DKMT_HANDLE> m_processes, m_devices, m_queues, m_resources, m_allocations;
    std::vector<D3DKMT_HANDLE> m_all; ///< every handle seen, of every kind
    std::vector<Saved> m_checkpoints;
};

} // namespace

int fuzzOperations(const std::uint8_t* data, std::size_t size)
{
    FuzzInput in(data, size);
    OperationRun run(in);
    run.run();
    return 0;
}

} // namespace offerscope::fuzz
