// SPDX-License-Identifier: GPL-3.0-or-later
// The differential driver: random worlds and operations, made on the simulator and the reference model,
// compared after every step.
#include "Differential.h"

#include "core/Units.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <random>
#include <sstream>

namespace offerscope::reference {

DifferentialStats& DifferentialStats::operator+=(const DifferentialStats& other)
{
    operations += other.operations;
    success += other.success;
    pending += other.pending;
    invalidParameter += other.invalidParameter;
    noMemory += other.noMemory;
    deviceRemoved += other.deviceRemoved;
    notSupported += other.notSupported;
    for (std::size_t i = 0; i < reclaimResults.size(); ++i)
        reclaimResults[i] += other.reclaimResults[i];
    bytesDiscarded += other.bytesDiscarded;
    bytesEvicted += other.bytesEvicted;
    bytesDecommitted += other.bytesDecommitted;
    staleHandlesAliased += other.staleHandlesAliased;
    return *this;
}

std::optional<std::size_t> firstUnlistedChange(const std::vector<sim::AllocationSummary>& before,
    const std::vector<sim::AllocationSummary>& after, const std::vector<std::uint32_t>& listed)
{
    const std::size_t count = std::max(before.size(), after.size());
    std::vector<std::uint8_t> marked(count, 0);
    for (const std::uint32_t slot : listed)
        if (slot < count)
            marked[slot] = 1;
    const sim::AllocationSummary none;
    for (std::size_t i = 0; i < count; ++i) {
        const sim::AllocationSummary& was = i < before.size() ? before[i] : none;
        const sim::AllocationSummary& now = i < after.size() ? after[i] : none;
        if (!(was == now) && marked[i] == 0)
            return i;
    }
    return std::nullopt;
}

std::string formatMismatch(const Mismatch& m)
{
    std::string out = "seed " + std::to_string(m.seed) + ", operation " + std::to_string(m.operation) + ": " + m.call
        + "\n  " + m.what + ": simulator " + m.simulator + ", reference " + m.reference + "\n";
    if (!m.recent.empty()) {
        out += "  operations before it:\n";
        for (const std::string& line : m.recent)
            out += "    " + line + "\n";
    }
    if (!m.allocations.empty()) {
        out += "  allocations (simulator | reference):\n";
        for (const std::string& line : m.allocations)
            out += "    " + line + "\n";
    }
    return out;
}

namespace {

using sim::AllocationState;
using sim::Simulator;

enum class Side : std::uint8_t { Simulator, Reference };

/// An object as both models know it: the handle each gave out.
struct Pair {
    std::uint64_t sim = 0;
    std::uint64_t ref = 0;
    std::uint64_t of(Side side) const { return side == Side::Simulator ? sim : ref; }
};

struct LogicalProcess {
    Pair handle;
    std::string name;
    std::vector<std::size_t> devices;
};
struct LogicalDevice {
    Pair handle;
    std::size_t process = 0;
    std::vector<std::size_t> queues;
};
struct LogicalQueue {
    Pair handle;
    std::size_t device = 0;
    std::vector<std::uint64_t> fences; ///< PagingFenceValues the calls returned
};
struct LogicalResource {
    Pair handle;
    std::size_t device = 0;
    bool live = true;
    bool present = false;
    std::vector<Pair> allocations;
    std::vector<std::uint8_t> reported; ///< per allocation: a reclaim answered NOT_COMMITTED (it is dead)
};

/// A handle argument, named by what it refers to so that it means the same thing in both models.
struct Operand {
    enum class Kind : std::uint8_t { Allocation, Resource, Device, PagingQueue, Process, Bogus, Null };
    Kind kind = Kind::Null;
    std::uint32_t index = 0; ///< resource, device, queue or process; for Bogus which value
    std::uint32_t ordinal = 0; ///< allocation within its resource
};
/// Handles no model gives out: top nibbles that are no kind of handle in the simulator, no tag in the reference.
constexpr std::uint64_t kBogusHandles[] = { 0xDEADBEEF, 0x7FFFFFFF, 0x1'0000'0002 };

enum class OpKind : std::uint8_t {
    CreateProcess,
    CreateDevice,
    CreatePagingQueue,
    CreateResource,
    DestroyResource,
    Offer,
    Reclaim,
    Reclaim2,
    MakeResident,
    Evict,
    Lock,
    Unlock,
    GpuWork,
    SetPriority,
    AdvanceTime,
    WaitForIdle,
    WaitForPagingFence,
    SetBudget,
    Commit,
    SystemCommitPressure,
    Trim,
    Reservation,
    QueryVideoMemory,
    QueryStatistics,
    QueryOfferInfo,
};

/// One generated call, independent of either model's handles.
struct Operation {
    OpKind kind = OpKind::AdvanceTime;
    Operand target; ///< the device, paging queue or process the call is made on
    std::vector<Operand> handles; ///< HandleList / AllocationList / GPU work / SetAllocationPriority list
    std::vector<Operand> resources; ///< pResources
    bool handlesSet = false; ///< HandleList (or AllocationList) is non-NULL
    bool resourcesSet = false; ///< pResources is non-NULL
    bool bigArray = false; ///< the array is padded to `count` entries (count over the limit)
    UINT count = 0; ///< NumAllocations as passed
    UINT priority = 0; ///< offer priority, or residency priority of a new resource
    UINT flags = 0;
    bool withOutput = true; ///< pDiscarded / pResults / PriorityList given
    std::vector<std::uint64_t> sizes;
    std::vector<UINT> priorities; ///< PriorityList / SetAllocationPriority
    std::uint32_t segment = 0;
    bool present = false;
    bool makeResident = true;
    std::uint64_t amount = 0; ///< bytes, microseconds, fence value, budget or reservation
    std::uint32_t group = 0; ///< segment group, or query type
    std::uint32_t variant = 0; ///< which wrong argument a query gets (0: none)
    std::string name; ///< CreateProcess
    bool defaultBudgets = false;
};

/// How a compared value is shown.
enum class Format : std::uint8_t { Number, Status, State, Result, Bool };

std::string render(std::uint64_t value, Format format)
{
    switch (format) {
    case Format::Status:
        return std::string(ntStatusName(static_cast<NtStatus>(value)));
    case Format::State:
        return std::string(sim::allocationStateName(static_cast<AllocationState>(value)));
    case Format::Result:
        return value <= 2 ? std::string(reclaimResultName(static_cast<ReclaimResult>(value)))
                          : "untouched (" + std::to_string(value) + ")";
    case Format::Bool:
        return value ? "true" : "false";
    case Format::Number:
        break;
    }
    std::string out = std::to_string(value);
    if (value >= kKiB && value < (std::uint64_t { 1 } << 60))
        out += " (" + formatBytes(value) + ")";
    return out;
}

/// The values of one model at one moment, in a fixed order; with names only when a difference is explained.
class Values {
public:
    explicit Values(bool named)
        : m_named(named)
    {
    }
    template <typename... Parts> void add(std::uint64_t value, const Parts&... parts)
    {
        addAs(Format::Number, value, parts...);
    }
    template <typename... Parts> void addAs(Format format, std::uint64_t value, const Parts&... parts)
    {
        m_values.push_back(value);
        if (m_named) {
            std::ostringstream name;
            (name << ... << parts);
            m_names.push_back(name.str());
            m_formats.push_back(format);
        }
    }
    const std::vector<std::uint64_t>& values() const { return m_values; }
    const std::string& name(std::size_t i) const { return m_names[i]; }
    Format format(std::size_t i) const { return m_formats[i]; }

private:
    bool m_named;
    std::vector<std::uint64_t> m_values;
    std::vector<std::string> m_names;
    std::vector<Format> m_formats;
};

/// What one call returned in one model.
/// A status as a number for the output table (the simulator's Status or the reference model's NtStatus).
std::uint64_t codeOf(const Status& status)
{
    return static_cast<std::uint64_t>(status.code());
}

struct Outcome {
    Status status; ///< the simulator's carries its words; the reference model's is a bare code
    Values outputs { true };
    CreatedResource created;
    std::uint64_t handle = 0; ///< created process, device or paging queue
};

constexpr UINT kResidencyPriorities[] = { ResidencyPriority::kMinimum, ResidencyPriority::kLow,
    ResidencyPriority::kNormal, ResidencyPriority::kHigh, ResidencyPriority::kMaximum };
constexpr UINT kOutputSentinel = 99; ///< written into output arrays before a call: a failing call leaves it
constexpr UINT kBigCount = kMaxOfferAllocations + 1;

class Run {
public:
    explicit Run(const DifferentialOptions& options)
        : m_options(options)
        , m_rng(options.seed)
        , m_adapter(makeAdapter())
        , m_sim(m_adapter)
        , m_ref(m_adapter, options.rules)
    {
        // Even seeds run the simulator with its event log (every call takes the general path), odd seeds
        // without (single-handle offers and reclaims take the fast paths).
        if (options.seed % 2 == 1)
            m_sim.eventLog().setMode(events::EventLog::Mode::Off);
        for (const sim::SegmentConfig& s : m_adapter.segments)
            m_groupSize[static_cast<int>(s.group)] += s.size;
        // The list of changed rows the window refreshes from is checked after every operation.
        m_sim.trackChanges(true);
    }

    DifferentialResult go()
    {
        DifferentialResult result;
        // The world: three processes, each with a device and a paging queue. These are operations too.
        std::vector<Operation> setup;
        const char* names[] = { "App", "Game", "Other" };
        for (std::uint32_t p = 0; p < 3; ++p) {
            Operation op;
            op.kind = OpKind::CreateProcess;
            op.name = names[p];
            op.defaultBudgets = p == 0 && chance(25);
            op.amount = p == 2 ? m_groupSize[0] : randomBudget(0);
            op.sizes = { randomBudget(1) };
            setup.push_back(op);
        }
        for (std::uint32_t p = 0; p < 3; ++p) {
            Operation device;
            device.kind = OpKind::CreateDevice;
            device.target = Operand { Operand::Kind::Process, p, 0 };
            setup.push_back(device);
        }
        for (std::uint32_t d = 0; d < 3; ++d) {
            Operation queue;
            queue.kind = OpKind::CreatePagingQueue;
            queue.target = Operand { Operand::Kind::Device, d, 0 };
            setup.push_back(queue);
        }
        for (std::size_t i = 0; i < m_options.operations; ++i) {
            const Operation op = i < setup.size() ? setup[i] : generate();
            if (auto mismatch = step(op, i)) {
                result.mismatch = std::move(mismatch);
                break;
            }
        }
        for (std::uint32_t s = 0; s < m_sim.segmentCount(); ++s) {
            const sim::SegmentUsage u = m_sim.segmentUsage(s);
            m_stats.bytesDiscarded += u.totalBytesDiscarded;
            m_stats.bytesEvicted += u.totalBytesEvicted;
            m_stats.bytesDecommitted += u.totalBytesDecommitted;
        }
        result.stats = m_stats;
        return result;
    }

private:
    // ---- randomness -----------------------------------------------------------------------------------

    std::uint32_t pick(std::uint64_t n) { return n == 0 ? 0 : static_cast<std::uint32_t>(m_rng() % n); }
    bool chance(std::uint32_t percent) { return pick(100) < percent; }

    sim::AdapterConfig makeAdapter()
    {
        // Small segments, so that pressure, discards and evictions are frequent.
        sim::AdapterConfig a;
        a.name = "Differential adapter";
        const std::uint64_t vram = (96 + 16 * pick(20)) * kMiB;
        const std::uint64_t aperture = (128 + 32 * pick(16)) * kMiB;
        switch (pick(3)) {
        case 0:
            a.segments = { { "VRAM", vram, MemorySegmentGroup::Local, false },
                { "Aperture", aperture, MemorySegmentGroup::NonLocal, true } };
            break;
        case 1:
            a.segments = { { "VRAM", vram, MemorySegmentGroup::Local, false },
                { "CPU-visible VRAM", (32 + 16 * pick(4)) * kMiB, MemorySegmentGroup::Local, false },
                { "Aperture", aperture, MemorySegmentGroup::NonLocal, true } };
            break;
        default:
            a.segments = { { "Carve-out", (64 + 16 * pick(5)) * kMiB, MemorySegmentGroup::Local, false },
                { "Aperture", aperture, MemorySegmentGroup::NonLocal, true } };
            break;
        }
        return a;
    }

    std::uint64_t randomBudget(int group)
    {
        // From a quarter of the group's memory to all of it and a bit over, now and then an odd number.
        const std::uint64_t size = m_groupSize[group];
        std::uint64_t budget = size / 4 + size / 100 * pick(100);
        if (chance(20))
            budget += pick(4096) * 7;
        return budget;
    }

    std::uint64_t randomSize()
    {
        std::uint64_t size = (1 + pick(32)) * kMiB;
        if (chance(30))
            size += pick(256) * 4 * kKiB;
        if (chance(5))
            size = 4 * kKiB * (1 + pick(8));
        return size;
    }

    UINT randomResidency()
    {
        if (chance(10))
            return ResidencyPriority::kMinimum + pick(ResidencyPriority::kMaximum - ResidencyPriority::kMinimum);
        return kResidencyPriorities[pick(5)];
    }

    // ---- choosing operands ----------------------------------------------------------------------------------

    std::optional<sim::AllocationInfo> refInfo(const Operand& o) const
    {
        if (o.kind != Operand::Kind::Allocation)
            return std::nullopt;
        const LogicalResource& r = m_resources[o.index];
        if (!r.live)
            return std::nullopt;
        return m_ref.allocation(static_cast<D3DKMT_HANDLE>(r.allocations[o.ordinal].ref));
    }

    std::uint32_t pickDevice()
    {
        // Mostly a device that still works.
        std::vector<std::uint32_t> working;
        for (std::uint32_t d = 0; d < m_devices.size(); ++d)
            if (!m_ref.deviceRemoved(static_cast<D3DKMT_HANDLE>(m_devices[d].handle.ref)))
                working.push_back(d);
        if (!working.empty() && !chance(8))
            return working[pick(working.size())];
        return pick(m_devices.size());
    }

    Operand deviceOperand(std::uint32_t device)
    {
        if (chance(3))
            return Operand { Operand::Kind::Bogus, pick(2), 0 };
        if (chance(2) && !m_devices[device].queues.empty())
            return Operand { Operand::Kind::PagingQueue, static_cast<std::uint32_t>(m_devices[device].queues[0]), 0 };
        return Operand { Operand::Kind::Device, device, 0 };
    }

    Operand queueOperand(std::uint32_t device)
    {
        if (chance(3))
            return Operand { Operand::Kind::Bogus, pick(2), 0 };
        // A device handle where the paging queue goes (ReclaimAllocations2 takes a queue).
        if (chance(3) || m_devices[device].queues.empty())
            return Operand { Operand::Kind::Device, device, 0 };
        const auto& queues = m_devices[device].queues;
        return Operand { Operand::Kind::PagingQueue, static_cast<std::uint32_t>(queues[pick(queues.size())]), 0 };
    }

    Operand processOperand()
    {
        if (chance(3))
            return Operand { Operand::Kind::Bogus, pick(3), 0 };
        if (chance(5))
            return Operand { Operand::Kind::Null, 0, 0 }; // the current process
        return Operand { Operand::Kind::Process, pick(m_processes.size()), 0 };
    }

    std::vector<Operand> allocationsOf(std::uint32_t device) const
    {
        std::vector<Operand> out;
        for (std::uint32_t r = 0; r < m_resources.size(); ++r)
            if (m_resources[r].live && m_resources[r].device == device)
                for (std::uint32_t k = 0; k < m_resources[r].allocations.size(); ++k)
                    out.push_back(Operand { Operand::Kind::Allocation, r, k });
        return out;
    }

    bool reported(const Operand& o) const
    {
        return o.kind == Operand::Kind::Allocation && m_resources[o.index].reported[o.ordinal] != 0;
    }

    /// What the calls are usually made with (the generator mostly makes calls that can succeed).
    bool offerable(const Operand&, const sim::AllocationInfo& a) const
    {
        return (a.state == AllocationState::Resident || a.state == AllocationState::Evicted) && a.lockCount == 0;
    }
    bool reclaimable(const Operand& o, const sim::AllocationInfo& a) const
    {
        return a.state == AllocationState::Offered || a.state == AllocationState::OfferPending
            || a.state == AllocationState::Discarded || (a.state == AllocationState::Decommitted && !reported(o));
    }
    static bool inUse(const sim::AllocationInfo& a)
    {
        return a.state == AllocationState::Resident || a.state == AllocationState::Evicted;
    }

    /// Mostly a working device that has allocations `wanted` accepts.
    template <typename Pred> std::uint32_t pickDeviceFor(Pred wanted)
    {
        std::vector<std::uint32_t> devices;
        for (std::uint32_t d = 0; d < m_devices.size(); ++d) {
            if (m_ref.deviceRemoved(static_cast<D3DKMT_HANDLE>(m_devices[d].handle.ref)))
                continue;
            for (const Operand& o : allocationsOf(d))
                if (auto info = refInfo(o); info && wanted(o, *info)) {
                    devices.push_back(d);
                    break;
                }
        }
        return !devices.empty() && !chance(15) ? devices[pick(devices.size())] : pickDevice();
    }

    /// Up to `n` different allocations of the device, mostly ones `wanted` accepts.
    template <typename Pred> std::vector<Operand> pickAllocations(std::uint32_t device, std::uint32_t n, Pred wanted)
    {
        const std::vector<Operand> all = allocationsOf(device);
        std::vector<Operand> preferred;
        for (const Operand& o : all)
            if (auto info = refInfo(o); info && wanted(o, *info))
                preferred.push_back(o);
        const std::vector<Operand>& from = !preferred.empty() && !chance(12) ? preferred : all;
        std::vector<Operand> out;
        for (std::uint32_t i = 0; i < n && !from.empty(); ++i) {
            const Operand o = from[pick(from.size())];
            if (std::none_of(out.begin(), out.end(),
                    [&](const Operand& x) { return x.index == o.index && x.ordinal == o.ordinal; }))
                out.push_back(o);
        }
        return out;
    }

    /// Up to `n` resources of the device, mostly ones whose allocations `wanted` all accepts.
    template <typename Pred>
    std::vector<Operand> pickResources(std::uint32_t device, std::uint32_t n, bool avoidPresent, Pred wanted)
    {
        std::vector<std::uint32_t> live, preferred;
        for (std::uint32_t r = 0; r < m_resources.size(); ++r) {
            if (!m_resources[r].live || m_resources[r].device != device
                || (avoidPresent && m_resources[r].present && !chance(15)))
                continue;
            live.push_back(r);
            bool all = true;
            for (std::uint32_t k = 0; k < m_resources[r].allocations.size() && all; ++k) {
                const Operand o { Operand::Kind::Allocation, r, k };
                const auto info = refInfo(o);
                all = info && wanted(o, *info);
            }
            if (all)
                preferred.push_back(r);
        }
        if (!preferred.empty() && !chance(15))
            live = preferred;
        std::vector<Operand> out;
        for (std::uint32_t i = 0; i < n && !live.empty(); ++i) {
            const std::uint32_t r = live[pick(live.size())];
            if (std::none_of(out.begin(), out.end(), [&](const Operand& x) { return x.index == r; }))
                out.push_back(Operand { Operand::Kind::Resource, r, 0 });
        }
        return out;
    }

    Operand staleAllocation()
    {
        std::vector<std::uint32_t> dead;
        for (std::uint32_t r = 0; r < m_resources.size(); ++r)
            if (!m_resources[r].live)
                dead.push_back(r);
        if (dead.empty())
            return Operand { Operand::Kind::Bogus, pick(2), 0 };
        const std::uint32_t r = dead[pick(dead.size())];
        return Operand { Operand::Kind::Allocation, r, pick(m_resources[r].allocations.size()) };
    }

    Operand otherDeviceAllocation(std::uint32_t device)
    {
        for (std::uint32_t tries = 0; tries < 4; ++tries) {
            const std::uint32_t other = pick(m_devices.size());
            if (other == device)
                continue;
            const std::vector<Operand> all = allocationsOf(other);
            if (!all.empty())
                return all[pick(all.size())];
        }
        return Operand { Operand::Kind::Bogus, pick(2), 0 };
    }

    /// Now and then one of the mistakes applications make with handle arrays.
    void mutate(Operation& op, std::uint32_t device, bool twoArrays)
    {
        std::vector<Operand>& list = op.resourcesSet ? op.resources : op.handles;
        switch (pick(twoArrays ? 10 : 8)) {
        case 0:
            list.push_back(Operand { Operand::Kind::Bogus, pick(2), 0 });
            break;
        case 1:
            list.push_back(staleAllocation());
            if (op.resourcesSet)
                list.back().kind
                    = list.back().kind == Operand::Kind::Allocation ? Operand::Kind::Resource : list.back().kind;
            break;
        case 2:
            list.push_back(otherDeviceAllocation(device));
            if (op.resourcesSet && list.back().kind == Operand::Kind::Allocation)
                list.back().kind = Operand::Kind::Resource;
            break;
        case 3:
            if (!list.empty())
                list.push_back(list.front()); // named twice
            break;
        case 4:
            // The other kind of handle in the array (a resource handle in HandleList, or the reverse).
            if (!list.empty())
                list.push_back(Operand {
                    op.resourcesSet ? Operand::Kind::Allocation : Operand::Kind::Resource, list.front().index, 0 });
            break;
        case 5:
            op.count = 0;
            return;
        case 6:
            op.bigArray = true;
            op.count = kBigCount;
            return;
        case 7:
            op.handlesSet = op.resourcesSet = false; // neither array
            op.count = static_cast<UINT>(list.size());
            return;
        default:
            // Both arrays (offer and reclaim only).
            op.handlesSet = op.resourcesSet = true;
            if (op.handles.empty())
                op.handles.push_back(Operand { Operand::Kind::Bogus, 0, 0 });
            if (op.resources.empty())
                op.resources.push_back(Operand { Operand::Kind::Bogus, 0, 0 });
            break;
        }
        op.count = static_cast<UINT>(list.size());
    }

    /// Stale handles whose slot the simulator has given to a new allocation since (its handles carry a 4-bit
    /// generation) would name that new allocation there and nothing in the reference: replaced by a bogus handle.
    void avoidAliases(Operation& op)
    {
        auto fix = [this](Operand& o) {
            if (o.kind == Operand::Kind::Allocation && !m_resources[o.index].live
                && m_sim.allocation(static_cast<D3DKMT_HANDLE>(m_resources[o.index].allocations[o.ordinal].sim))) {
                o = Operand { Operand::Kind::Bogus, 0, 0 };
                ++m_stats.staleHandlesAliased;
            }
            if (o.kind == Operand::Kind::Resource && !m_resources[o.index].live
                && !m_sim.resourceAllocations(static_cast<D3DKMT_HANDLE>(m_resources[o.index].handle.sim)).empty()) {
                o = Operand { Operand::Kind::Bogus, 0, 0 };
                ++m_stats.staleHandlesAliased;
            }
        };
        fix(op.target);
        for (Operand& o : op.handles)
            fix(o);
        for (Operand& o : op.resources)
            fix(o);
    }

    // ---- generating ----------------------------------------------------------------------------------------

    Operation generate()
    {
        Operation op = generateUnchecked();
        avoidAliases(op);
        return op;
    }

    OpKind pickKind()
    {
        struct Weighted {
            OpKind kind;
            std::uint32_t weight;
        };
        static constexpr Weighted kMix[] = { { OpKind::CreateResource, 12 }, { OpKind::DestroyResource, 5 },
            { OpKind::Offer, 14 }, { OpKind::Reclaim2, 10 }, { OpKind::Reclaim, 4 }, { OpKind::MakeResident, 7 },
            { OpKind::Evict, 6 }, { OpKind::Lock, 3 }, { OpKind::Unlock, 3 }, { OpKind::GpuWork, 6 },
            { OpKind::SetPriority, 2 }, { OpKind::AdvanceTime, 6 }, { OpKind::WaitForIdle, 2 },
            { OpKind::WaitForPagingFence, 2 }, { OpKind::SetBudget, 3 }, { OpKind::Commit, 4 },
            { OpKind::SystemCommitPressure, 2 }, { OpKind::Trim, 3 }, { OpKind::Reservation, 2 },
            { OpKind::QueryVideoMemory, 1 }, { OpKind::QueryStatistics, 1 }, { OpKind::QueryOfferInfo, 1 },
            { OpKind::CreateDevice, 1 }, { OpKind::CreatePagingQueue, 1 }, { OpKind::CreateProcess, 1 } };
        std::uint32_t total = 0;
        for (const Weighted& w : kMix)
            total += w.weight;
        std::uint32_t at = pick(total);
        for (const Weighted& w : kMix) {
            if (at < w.weight)
                return w.kind;
            at -= w.weight;
        }
        return OpKind::AdvanceTime;
    }

    Operation generateUnchecked()
    {
        Operation op;
        // An application whose device was removed makes a new one, and a paging queue for it.
        for (std::uint32_t p = 0; p < m_processes.size(); ++p) {
            const auto& devices = m_processes[p].devices;
            const bool allRemoved = std::all_of(devices.begin(), devices.end(), [this](std::size_t d) {
                return m_ref.deviceRemoved(static_cast<D3DKMT_HANDLE>(m_devices[d].handle.ref));
            });
            if (allRemoved && m_devices.size() < 24 && chance(30)) {
                op.kind = OpKind::CreateDevice;
                op.target = Operand { Operand::Kind::Process, p, 0 };
                return op;
            }
        }
        for (std::uint32_t d = 0; d < m_devices.size(); ++d)
            if (m_devices[d].queues.empty() && m_queues.size() < 32 && chance(50)) {
                op.kind = OpKind::CreatePagingQueue;
                op.target = Operand { Operand::Kind::Device, d, 0 };
                return op;
            }

        op.kind = pickKind();
        std::size_t live = 0;
        for (const LogicalResource& r : m_resources)
            live += r.live ? 1 : 0;
        if (op.kind == OpKind::CreateResource && live > 48)
            op.kind = OpKind::DestroyResource;
        std::uint32_t device = pickDevice();
        const auto& dev = m_devices[device];
        switch (op.kind) {
        case OpKind::CreateProcess:
            if (m_processes.size() >= 6)
                return generateUnchecked();
            op.name = chance(5) ? std::string() : "P" + std::to_string(m_processes.size());
            op.defaultBudgets = chance(30);
            op.amount = randomBudget(0);
            op.sizes = { randomBudget(1) };
            break;
        case OpKind::CreateDevice:
            if (m_devices.size() >= 24)
                return generateUnchecked();
            op.target = processOperand();
            if (op.target.kind == Operand::Kind::Null)
                op.target = Operand { Operand::Kind::Process, 0, 0 };
            break;
        case OpKind::CreatePagingQueue:
            if (m_queues.size() >= 32)
                return generateUnchecked();
            op.target
                = chance(4) ? Operand { Operand::Kind::Bogus, 0, 0 } : Operand { Operand::Kind::Device, device, 0 };
            break;
        case OpKind::CreateResource: {
            op.target = deviceOperand(device);
            const std::uint32_t n = chance(3) ? 0 : 1 + pick(chance(20) ? 4 : 2);
            for (std::uint32_t i = 0; i < n; ++i)
                op.sizes.push_back(chance(2) ? 0 : randomSize());
            const std::uint32_t segments = m_sim.segmentCount();
            op.segment = chance(3) ? segments : (chance(75) ? 0 : pick(segments));
            op.priority = randomResidency();
            op.present = chance(10);
            op.makeResident = !chance(15);
            break;
        }
        case OpKind::DestroyResource: {
            // Dead allocations (NOT_COMMITTED answered) are what applications destroy first.
            if (chance(40))
                device = pickDeviceFor([this](const Operand& o, const sim::AllocationInfo&) { return reported(o); });
            op.target = Operand { Operand::Kind::Device, device, 0 };
            std::vector<std::uint32_t> mine, dead;
            for (std::uint32_t r = 0; r < m_resources.size(); ++r)
                if (m_resources[r].live && m_resources[r].device == device) {
                    mine.push_back(r);
                    for (std::uint8_t gone : m_resources[r].reported)
                        if (gone) {
                            dead.push_back(r);
                            break;
                        }
                }
            if (!dead.empty() && chance(50))
                mine = dead;
            if (!mine.empty() && !chance(10)) {
                op.resources = { Operand { Operand::Kind::Resource, mine[pick(mine.size())], 0 } };
            } else {
                Operand o = chance(50) ? staleAllocation() : otherDeviceAllocation(device);
                if (o.kind == Operand::Kind::Allocation)
                    o.kind = Operand::Kind::Resource;
                op.resources = { o };
            }
            if (chance(3))
                op.target = Operand { Operand::Kind::Bogus, 0, 0 };
            break;
        }
        case OpKind::Offer:
        case OpKind::Reclaim:
        case OpKind::Reclaim2: {
            const bool offer = op.kind == OpKind::Offer;
            auto wanted = [this, offer](const Operand& o, const sim::AllocationInfo& a) {
                return offer ? offerable(o, a) : reclaimable(o, a);
            };
            device = pickDeviceFor(wanted);
            op.target = op.kind == OpKind::Reclaim2 ? queueOperand(device) : deviceOperand(device);
            if (chance(22)) {
                op.resourcesSet = true;
                op.resources = pickResources(device, 1 + pick(2), offer, wanted);
            } else {
                op.handlesSet = true;
                op.handles = pickAllocations(device, 1 + pick(3), wanted);
            }
            op.count = static_cast<UINT>(op.resourcesSet ? op.resources.size() : op.handles.size());
            if (offer) {
                op.priority = chance(4) ? (chance(50) ? 0 : 5 + pick(3)) : 1 + pick(4);
                op.flags = (chance(35) ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0)
                    | (chance(15) ? D3DKMT_OFFER_FLAGS::kOfferImmediately : 0) | (chance(2) ? 0x4u : 0);
            }
            op.withOutput = !chance(10);
            if (chance(12))
                mutate(op, device, true);
            break;
        }
        case OpKind::MakeResident:
        case OpKind::Evict: {
            const bool make = op.kind == OpKind::MakeResident;
            auto wanted = [make](const Operand&, const sim::AllocationInfo& a) {
                return make ? inUse(a) : a.residentRefs != 0;
            };
            device = pickDeviceFor(wanted);
            op.target = make ? queueOperand(device) : deviceOperand(device);
            op.handlesSet = true;
            op.handles = pickAllocations(device, 1 + pick(3), wanted);
            op.count = static_cast<UINT>(op.handles.size());
            if (make) {
                op.flags = (chance(20) ? D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther : 0)
                    | (chance(10) ? D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed : 0) | (chance(2) ? 0x8u : 0);
                op.withOutput = chance(10); // PriorityList
                for (std::size_t i = 0; i < op.handles.size(); ++i)
                    op.priorities.push_back(randomResidency());
            } else {
                op.flags = chance(20) ? D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary : 0;
            }
            if (chance(10))
                mutate(op, device, false);
            if (make && op.priorities.size() < op.count && !op.bigArray)
                op.priorities.resize(op.count, ResidencyPriority::kNormal);
            break;
        }
        case OpKind::Lock:
        case OpKind::Unlock: {
            const bool lock = op.kind == OpKind::Lock;
            auto wanted
                = [lock](const Operand&, const sim::AllocationInfo& a) { return lock ? inUse(a) : a.lockCount != 0; };
            device = pickDeviceFor(wanted);
            op.target = deviceOperand(device);
            op.handles = pickAllocations(device, 1, wanted);
            if (op.handles.empty() || chance(4))
                op.handles = { chance(50) ? staleAllocation() : otherDeviceAllocation(device) };
            break;
        }
        case OpKind::GpuWork: {
            auto usable = [](const Operand&, const sim::AllocationInfo& a) {
                return a.state == AllocationState::Resident
                    || (a.state == AllocationState::Evicted && a.residentRefs != 0);
            };
            device = pickDeviceFor(usable);
            op.target = deviceOperand(device);
            op.handles = pickAllocations(device, pick(4), usable);
            if (chance(30))
                op.handles = pickAllocations(device, pick(4),
                    [](const Operand&, const sim::AllocationInfo& a) { return a.state == AllocationState::Resident; });
            if (chance(3))
                op.handles.push_back(chance(50) ? staleAllocation() : otherDeviceAllocation(device));
            if (!op.handles.empty() && chance(5))
                op.handles.push_back(op.handles.front()); // the same allocation twice in one submission
            op.amount = 1 + pick(300);
            break;
        }
        case OpKind::SetPriority: {
            op.target = deviceOperand(device);
            op.handles
                = pickAllocations(device, 1 + pick(3), [](const Operand&, const sim::AllocationInfo&) { return true; });
            for (std::size_t i = 0; i < op.handles.size(); ++i)
                op.priorities.push_back(randomResidency());
            if (chance(5) && !op.priorities.empty())
                op.priorities.pop_back(); // one priority short
            if (chance(4))
                op.handles.push_back(staleAllocation());
            break;
        }
        case OpKind::AdvanceTime:
            op.amount = chance(20) ? pick(3000) : pick(400);
            break;
        case OpKind::WaitForIdle:
            op.target
                = chance(4) ? Operand { Operand::Kind::Bogus, 0, 0 } : Operand { Operand::Kind::Device, device, 0 };
            break;
        case OpKind::WaitForPagingFence: {
            if (dev.queues.empty() || chance(4)) {
                op.target = Operand { Operand::Kind::Bogus, 0, 0 };
                break;
            }
            const std::size_t q = dev.queues[pick(dev.queues.size())];
            op.target = Operand { Operand::Kind::PagingQueue, static_cast<std::uint32_t>(q), 0 };
            const auto& fences = m_queues[q].fences;
            const std::uint64_t last = fences.empty() ? 0 : fences.back();
            const std::uint32_t how = pick(10);
            op.amount = how < 6 && !fences.empty() ? fences[pick(fences.size())] : how < 8 ? last : last + 1 + pick(3);
            break;
        }
        case OpKind::SetBudget:
            op.target = processOperand();
            op.group = chance(80) ? 0 : chance(85) ? 1 : 2;
            op.amount = randomBudget(op.group < 2 ? static_cast<int>(op.group) : 0) * pick(110) / 100;
            break;
        case OpKind::Commit: {
            op.target = chance(60) ? Operand { Operand::Kind::Process, 2, 0 } : processOperand();
            const std::uint32_t segments = m_sim.segmentCount();
            op.segment = chance(3) ? segments : (chance(70) ? 0 : pick(segments));
            const std::uint64_t size = op.segment < segments ? m_adapter.segments[op.segment].size : 64 * kMiB;
            op.amount = chance(3) ? 0 : (1 + pick(size / kMiB * 3 / 4)) * kMiB;
            break;
        }
        case OpKind::SystemCommitPressure:
            op.amount = chance(10) ? 0 : (1 + pick(160)) * kMiB;
            break;
        case OpKind::Trim:
            op.target = processOperand();
            op.amount = chance(5) ? 0 : (1 + pick(160)) * kMiB;
            op.flags = (chance(30) ? D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed : 0)
                | (chance(10) ? D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy : 0) | (chance(3) ? 0x10u : 0);
            op.variant = chance(3) ? 1 : 0; // wrong cbSize
            break;
        case OpKind::Reservation:
            op.target = processOperand();
            op.group = chance(70) ? 0 : chance(90) ? 1 : 2;
            op.amount = randomBudget(op.group < 2 ? static_cast<int>(op.group) : 0) * pick(70) / 100;
            op.variant = chance(3) ? 1 + pick(2) : 0; // wrong adapter, PhysicalAdapterIndex 1
            break;
        case OpKind::QueryVideoMemory:
            op.target = processOperand();
            op.group = chance(85) ? pick(2) : 2;
            op.variant = pick(4); // 1 wrong adapter, 2 PhysicalAdapterIndex 1
            break;
        case OpKind::QueryStatistics:
            op.target = processOperand();
            op.group = pick(6); // 0 SEGMENT, 1 PROCESS_SEGMENT, 2 PROCESS_SEGMENT_GROUP, 3 NODE, 4 ADAPTER, 5 bad LUID
            op.segment = pick(m_sim.segmentCount() + 2);
            break;
        case OpKind::QueryOfferInfo:
            op.target = processOperand();
            op.variant = chance(10) ? 1 : 0; // wrong cbSize
            break;
        }
        return op;
    }

    // ---- words ---------------------------------------------------------------------------------------------------

    std::string name(const Operand& o) const
    {
        switch (o.kind) {
        case Operand::Kind::Allocation:
            return "A" + std::to_string(o.index) + "." + std::to_string(o.ordinal)
                + (m_resources[o.index].live ? "" : " (destroyed)");
        case Operand::Kind::Resource:
            return "R" + std::to_string(o.index) + (m_resources[o.index].live ? "" : " (destroyed)");
        case Operand::Kind::Device:
            return "D" + std::to_string(o.index);
        case Operand::Kind::PagingQueue:
            return "Q" + std::to_string(o.index);
        case Operand::Kind::Process:
            return "P" + std::to_string(o.index) + " (" + m_processes[o.index].name + ")";
        case Operand::Kind::Bogus: {
            std::ostringstream s;
            s << "bogus 0x" << std::hex << std::uppercase << kBogusHandles[o.index];
            return s.str();
        }
        case Operand::Kind::Null:
            return "NULL";
        }
        return "?";
    }

    std::string list(const std::vector<Operand>& operands, bool set) const
    {
        if (!set)
            return "NULL";
        std::string out = "[";
        for (std::size_t i = 0; i < operands.size(); ++i)
            out += (i ? ", " : "") + name(operands[i]);
        return out + "]";
    }

    std::string describe(const Operation& op) const
    {
        std::ostringstream s;
        auto arrays = [&] {
            s << "pResources " << list(op.resources, op.resourcesSet) << ", HandleList "
              << list(op.handles, op.handlesSet) << ", NumAllocations " << op.count
              << (op.bigArray ? " (array padded)" : "");
        };
        switch (op.kind) {
        case OpKind::CreateProcess:
            s << "createProcess('" << op.name << "', budgets "
              << (op.defaultBudgets
                         ? std::string("default")
                         : render(op.amount, Format::Number) + " / " + render(op.sizes.at(0), Format::Number))
              << ")";
            break;
        case OpKind::CreateDevice:
            s << "createDevice(" << name(op.target) << ")";
            break;
        case OpKind::CreatePagingQueue:
            s << "createPagingQueue(" << name(op.target) << ")";
            break;
        case OpKind::CreateResource:
            s << "createResource(hDevice " << name(op.target) << ", sizes [";
            for (std::size_t i = 0; i < op.sizes.size(); ++i)
                s << (i ? ", " : "") << op.sizes[i];
            s << "], segment " << op.segment << ", residency priority 0x" << std::hex << op.priority << std::dec
              << (op.present ? ", present" : "") << (op.makeResident ? ", made resident" : ", not made resident")
              << ")";
            break;
        case OpKind::DestroyResource:
            s << "destroyResource(hDevice " << name(op.target) << ", " << name(op.resources.at(0)) << ")";
            break;
        case OpKind::Offer:
            s << "D3DKMTOfferAllocations(hDevice " << name(op.target) << ", ";
            arrays();
            s << ", Priority " << op.priority << ", Flags 0x" << std::hex << op.flags << std::dec << ")";
            break;
        case OpKind::Reclaim:
            s << "D3DKMTReclaimAllocations(hDevice " << name(op.target) << ", ";
            arrays();
            s << (op.withOutput ? ", pDiscarded" : ", no pDiscarded") << ")";
            break;
        case OpKind::Reclaim2:
            s << "D3DKMTReclaimAllocations2(hPagingQueue " << name(op.target) << ", ";
            arrays();
            s << (op.withOutput ? ", pResults" : ", no pResults") << ")";
            break;
        case OpKind::MakeResident:
            s << "D3DKMTMakeResident(hPagingQueue " << name(op.target) << ", AllocationList "
              << list(op.handles, op.handlesSet) << ", NumAllocations " << op.count << ", Flags 0x" << std::hex
              << op.flags << std::dec << (op.withOutput ? ", with PriorityList" : "") << ")";
            break;
        case OpKind::Evict:
            s << "D3DKMTEvict(hDevice " << name(op.target) << ", AllocationList " << list(op.handles, op.handlesSet)
              << ", NumAllocations " << op.count << ", Flags 0x" << std::hex << op.flags << std::dec << ")";
            break;
        case OpKind::Lock:
        case OpKind::Unlock:
            s << (op.kind == OpKind::Lock ? "lock(" : "unlock(") << name(op.target) << ", " << name(op.handles.at(0))
              << ")";
            break;
        case OpKind::GpuWork:
            s << "submitGpuWork(" << name(op.target) << ", " << list(op.handles, true) << ", " << op.amount << " us)";
            break;
        case OpKind::SetPriority:
            s << "setAllocationPriority(" << name(op.target) << ", " << list(op.handles, true) << ", "
              << op.priorities.size() << " priorities)";
            break;
        case OpKind::AdvanceTime:
            s << "advanceTime(" << op.amount << " us)";
            break;
        case OpKind::WaitForIdle:
            s << "waitForIdle(" << name(op.target) << ")";
            break;
        case OpKind::WaitForPagingFence:
            s << "waitForPagingFence(" << name(op.target) << ", " << op.amount << ")";
            break;
        case OpKind::SetBudget:
            s << "setBudget(" << name(op.target) << ", group " << op.group << ", " << render(op.amount, Format::Number)
              << ")";
            break;
        case OpKind::Commit:
            s << "commitFromProcess(" << name(op.target) << ", segment " << op.segment << ", "
              << render(op.amount, Format::Number) << ")";
            break;
        case OpKind::SystemCommitPressure:
            s << "applySystemCommitPressure(" << render(op.amount, Format::Number) << ")";
            break;
        case OpKind::Trim:
            s << "D3DKMTTrimProcessCommitment(" << name(op.target) << ", DecommitRequested "
              << render(op.amount, Format::Number) << ", Flags 0x" << std::hex << op.flags << std::dec
              << (op.variant ? ", wrong cbSize" : "") << ")";
            break;
        case OpKind::Reservation:
            s << "D3DKMTChangeVideoMemoryReservation(" << name(op.target) << ", group " << op.group << ", "
              << render(op.amount, Format::Number)
              << (op.variant == 1          ? ", wrong hAdapter"
                         : op.variant == 2 ? ", PhysicalAdapterIndex 1"
                                           : "")
              << ")";
            break;
        case OpKind::QueryVideoMemory:
            s << "D3DKMTQueryVideoMemoryInfo(" << name(op.target) << ", group " << op.group
              << (op.variant == 1          ? ", wrong hAdapter"
                         : op.variant == 2 ? ", PhysicalAdapterIndex 1"
                                           : "")
              << ")";
            break;
        case OpKind::QueryStatistics:
            s << "D3DKMTQueryStatistics(query " << op.group << ", " << name(op.target) << ", segment " << op.segment
              << ")";
            break;
        case OpKind::QueryOfferInfo:
            s << "D3DKMTQueryProcessOfferInfo(" << name(op.target) << (op.variant ? ", wrong cbSize" : "") << ")";
            break;
        }
        return s.str();
    }

    // ---- making the call on one model ------------------------------------------------------------------------

    std::uint64_t handleOf(const Operand& o, Side side) const
    {
        switch (o.kind) {
        case Operand::Kind::Allocation:
            return m_resources[o.index].allocations[o.ordinal].of(side);
        case Operand::Kind::Resource:
            return m_resources[o.index].handle.of(side);
        case Operand::Kind::Device:
            return m_devices[o.index].handle.of(side);
        case Operand::Kind::PagingQueue:
            return m_queues[o.index].handle.of(side);
        case Operand::Kind::Process:
            return m_processes[o.index].handle.of(side);
        case Operand::Kind::Bogus:
            return kBogusHandles[o.index];
        case Operand::Kind::Null:
            return 0;
        }
        return 0;
    }

    D3DKMT_HANDLE h32(const Operand& o, Side side) const { return static_cast<D3DKMT_HANDLE>(handleOf(o, side)); }

    /// The handles of an array argument; never empty, so that a "set" array is never a NULL pointer.
    std::vector<D3DKMT_HANDLE> array(const Operation& op, const std::vector<Operand>& operands, Side side) const
    {
        std::vector<D3DKMT_HANDLE> out;
        for (const Operand& o : operands)
            out.push_back(h32(o, side));
        if (op.bigArray)
            out.resize(op.count, out.empty() ? static_cast<D3DKMT_HANDLE>(kBogusHandles[0]) : out.front());
        // With both arrays set (rejected), the call text still shows both up to NumAllocations: the shorter one
        // is padded with NULL handles so that nothing reads past its end (found by ASan).
        if (out.size() < op.count)
            out.resize(op.count, 0);
        out.push_back(0); // past NumAllocations: keeps data() non-NULL
        return out;
    }

    template <typename Model> Outcome execute(Model& m, Side side, const Operation& op)
    {
        Outcome out;
        Values& v = out.outputs;
        switch (op.kind) {
        case OpKind::CreateProcess: {
            auto r = op.defaultBudgets ? m.createProcess(op.name) : m.createProcess(op.name, op.amount, op.sizes.at(0));
            out.status = r.status();
            out.handle = r.ok() ? r.value() : 0;
            break;
        }
        case OpKind::CreateDevice: {
            auto r = m.createDevice(handleOf(op.target, side));
            out.status = r.status();
            out.handle = r.ok() ? r.value() : 0;
            break;
        }
        case OpKind::CreatePagingQueue: {
            auto r = m.createPagingQueue(h32(op.target, side));
            out.status = r.status();
            out.handle = r.ok() ? r.value() : 0;
            break;
        }
        case OpKind::CreateResource: {
            CreateResourceArgs args;
            args.hDevice = h32(op.target, side);
            args.allocationSizes = op.sizes;
            args.segmentId = op.segment;
            args.residencyPriority = op.priority;
            args.present = op.present;
            args.makeResident = op.makeResident;
            out.status = m.createResource(args, out.created);
            v.add(out.created.allocations.size(), "allocations created");
            break;
        }
        case OpKind::DestroyResource:
            out.status = m.destroyResource(h32(op.target, side), h32(op.resources.at(0), side));
            break;
        case OpKind::Offer: {
            std::vector<D3DKMT_HANDLE> handles = array(op, op.handles, side);
            std::vector<D3DKMT_HANDLE> resources = array(op, op.resources, side);
            D3DKMT_OFFERALLOCATIONS args;
            args.hDevice = h32(op.target, side);
            args.HandleList = op.handlesSet ? handles.data() : nullptr;
            args.pResources = op.resourcesSet ? resources.data() : nullptr;
            args.NumAllocations = op.count;
            args.Priority = static_cast<OfferPriority>(op.priority);
            args.Flags.Value = op.flags;
            out.status = m.offerAllocations(args);
            break;
        }
        case OpKind::Reclaim:
        case OpKind::Reclaim2: {
            std::vector<D3DKMT_HANDLE> handles = array(op, op.handles, side);
            std::vector<D3DKMT_HANDLE> resources = array(op, op.resources, side);
            const std::size_t outputs = std::max<std::size_t>(1, op.count);
            std::vector<BOOL> discarded(outputs, static_cast<BOOL>(kOutputSentinel));
            std::vector<ReclaimResult> results(outputs, static_cast<ReclaimResult>(kOutputSentinel));
            const std::size_t shown = std::min<std::size_t>(op.count, 16);
            if (op.kind == OpKind::Reclaim) {
                D3DKMT_RECLAIMALLOCATIONS args;
                args.hDevice = h32(op.target, side);
                args.HandleList = op.handlesSet ? handles.data() : nullptr;
                args.pResources = op.resourcesSet ? resources.data() : nullptr;
                args.NumAllocations = op.count;
                args.pDiscarded = op.withOutput ? discarded.data() : nullptr;
                out.status = m.reclaimAllocations(args);
                for (std::size_t i = 0; i < shown; ++i)
                    v.add(static_cast<std::uint64_t>(discarded[i]), "pDiscarded[", i, "]");
            } else {
                D3DKMT_RECLAIMALLOCATIONS2 args;
                args.hPagingQueue = h32(op.target, side);
                args.HandleList = op.handlesSet ? handles.data() : nullptr;
                args.pResources = op.resourcesSet ? resources.data() : nullptr;
                args.NumAllocations = op.count;
                args.pResults = op.withOutput ? results.data() : nullptr;
                args.PagingFenceValue = kOutputSentinel;
                out.status = m.reclaimAllocations2(args);
                for (std::size_t i = 0; i < shown; ++i)
                    v.addAs(Format::Result, static_cast<std::uint64_t>(results[i]), "pResults[", i, "]");
                v.add(args.PagingFenceValue, "PagingFenceValue");
            }
            break;
        }
        case OpKind::MakeResident: {
            std::vector<D3DKMT_HANDLE> handles = array(op, op.handles, side);
            D3DDDI_MAKERESIDENT args;
            args.hPagingQueue = h32(op.target, side);
            args.AllocationList = op.handlesSet ? handles.data() : nullptr;
            args.NumAllocations = op.count;
            args.PriorityList = op.withOutput && !op.bigArray ? op.priorities.data() : nullptr;
            args.Flags.Value = op.flags;
            args.PagingFenceValue = kOutputSentinel;
            args.NumBytesToTrim = kOutputSentinel;
            out.status = m.makeResident(args);
            v.add(args.NumAllocations, "NumAllocations (out)");
            v.add(args.PagingFenceValue, "PagingFenceValue");
            v.add(args.NumBytesToTrim, "NumBytesToTrim");
            break;
        }
        case OpKind::Evict: {
            std::vector<D3DKMT_HANDLE> handles = array(op, op.handles, side);
            D3DKMT_EVICT args;
            args.hDevice = h32(op.target, side);
            args.AllocationList = op.handlesSet ? handles.data() : nullptr;
            args.NumAllocations = op.count;
            args.Flags.Value = op.flags;
            args.NumBytesToTrim = kOutputSentinel;
            out.status = m.evict(args);
            v.add(args.NumBytesToTrim, "NumBytesToTrim");
            break;
        }
        case OpKind::Lock:
            out.status = m.lock(h32(op.target, side), h32(op.handles.at(0), side));
            break;
        case OpKind::Unlock:
            out.status = m.unlock(h32(op.target, side), h32(op.handles.at(0), side));
            break;
        case OpKind::GpuWork: {
            std::vector<D3DKMT_HANDLE> handles;
            for (const Operand& o : op.handles)
                handles.push_back(h32(o, side));
            std::uint64_t fence = kOutputSentinel;
            out.status = m.submitGpuWork(h32(op.target, side), handles, op.amount, &fence);
            v.add(fence, "fence value");
            break;
        }
        case OpKind::SetPriority: {
            std::vector<D3DKMT_HANDLE> handles;
            for (const Operand& o : op.handles)
                handles.push_back(h32(o, side));
            out.status = m.setAllocationPriority(h32(op.target, side), handles, op.priorities);
            break;
        }
        case OpKind::AdvanceTime:
            m.advanceTime(op.amount);
            break;
        case OpKind::WaitForIdle:
            out.status = m.waitForIdle(h32(op.target, side));
            break;
        case OpKind::WaitForPagingFence:
            out.status = m.waitForPagingFence(h32(op.target, side), op.amount);
            break;
        case OpKind::SetBudget:
            out.status = m.setBudget(handleOf(op.target, side), static_cast<MemorySegmentGroup>(op.group), op.amount);
            break;
        case OpKind::Commit:
            out.status = m.commitFromProcess(handleOf(op.target, side), op.segment, op.amount, &out.created);
            v.add(out.created.allocations.size(), "allocations created");
            break;
        case OpKind::SystemCommitPressure:
            v.add(m.applySystemCommitPressure(op.amount), "bytes decommitted");
            break;
        case OpKind::Trim: {
            D3DKMT_TRIMPROCESSCOMMITMENT args;
            args.hProcess = handleOf(op.target, side);
            args.Flags.Value = op.flags;
            args.DecommitRequested = op.amount;
            args.NumBytesDecommitted = kOutputSentinel;
            if (op.variant)
                args.cbSize -= 8;
            out.status = m.trimProcessCommitment(args);
            v.add(args.NumBytesDecommitted, "NumBytesDecommitted");
            break;
        }
        case OpKind::Reservation: {
            D3DKMT_CHANGEVIDEOMEMORYRESERVATION args;
            args.hProcess = handleOf(op.target, side);
            args.hAdapter = op.variant == 1 ? 0x12345 : m.adapterHandle();
            args.MemorySegmentGroup = static_cast<MemorySegmentGroup>(op.group);
            args.Reservation = op.amount;
            args.PhysicalAdapterIndex = op.variant == 2 ? 1 : 0;
            out.status = m.changeVideoMemoryReservation(args);
            break;
        }
        case OpKind::QueryVideoMemory: {
            D3DKMT_QUERYVIDEOMEMORYINFO args;
            args.hProcess = handleOf(op.target, side);
            args.hAdapter = op.variant == 1 ? 0x12345 : m.adapterHandle();
            args.MemorySegmentGroup = static_cast<MemorySegmentGroup>(op.group);
            args.PhysicalAdapterIndex = op.variant == 2 ? 1 : 0;
            out.status = m.queryVideoMemoryInfo(args);
            v.add(args.Budget, "Budget");
            v.add(args.CurrentUsage, "CurrentUsage");
            v.add(args.CurrentReservation, "CurrentReservation");
            v.add(args.AvailableForReservation, "AvailableForReservation");
            break;
        }
        case OpKind::QueryStatistics: {
            D3DKMT_QUERYSTATISTICS args;
            args.AdapterLuid = op.group == 5 ? LUID { 0x1234, 5 } : m.adapterLuid();
            args.hProcess = handleOf(op.target, side);
            const D3DKMT_QUERYSTATISTICS_TYPE types[]
                = { D3DKMT_QUERYSTATISTICS_TYPE::Segment, D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegment,
                      D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup, D3DKMT_QUERYSTATISTICS_TYPE::Node,
                      D3DKMT_QUERYSTATISTICS_TYPE::Adapter, D3DKMT_QUERYSTATISTICS_TYPE::Segment };
            args.Type = types[op.group];
            if (args.Type == D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup)
                args.QueryProcessSegmentGroup = static_cast<MemorySegmentGroup>(op.segment % 3);
            else
                args.QuerySegment.SegmentId = op.segment;
            out.status = m.queryStatistics(args);
            // The answers themselves are compared after every operation; here only whether it answered.
            break;
        }
        case OpKind::QueryOfferInfo: {
            D3DKMT_QUERYPROCESSOFFERINFO args;
            args.hProcess = handleOf(op.target, side);
            if (op.variant)
                args.cbSize += 4;
            out.status = m.queryProcessOfferInfo(args);
            v.add(args.DecommittableBytes, "DecommittableBytes");
            break;
        }
        }
        return out;
    }

    // ---- the state both must agree on -------------------------------------------------------------------------

    template <typename Model>
    void snapshot(Model& m, Side side, const std::vector<std::uint64_t>& lastUniqueness,
        std::vector<std::uint64_t>& uniqueness, Values& out) const
    {
        out.add(m.now(), "now (us)");
        // Allocations first: a difference there says more than the totals it leads to.
        for (std::size_t r = 0; r < m_resources.size(); ++r) {
            if (!m_resources[r].live)
                continue;
            for (std::size_t k = 0; k < m_resources[r].allocations.size(); ++k) {
                const auto info = m.allocation(static_cast<D3DKMT_HANDLE>(m_resources[r].allocations[k].of(side)));
                out.addAs(Format::Bool, info ? 1 : 0, "A", r, ".", k, " exists");
                if (!info)
                    continue;
                out.addAs(Format::State, static_cast<std::uint64_t>(info->state), "A", r, ".", k, " state");
                out.addAs(Format::Bool, info->resident ? 1 : 0, "A", r, ".", k, " resident");
                out.add(info->residentRefs, "A", r, ".", k, " MakeResident references");
                out.add(info->lockCount, "A", r, ".", k, " lock count");
                out.addAs(Format::Bool, info->gpuBusy ? 1 : 0, "A", r, ".", k, " GPU busy");
                out.add(static_cast<std::uint64_t>(info->requestedPriority), "A", r, ".", k, " offer priority");
                out.add(static_cast<std::uint64_t>(info->effectivePriority), "A", r, ".", k, " effective priority");
                out.add(info->residencyPriority, "A", r, ".", k, " residency priority");
            }
        }
        const std::uint32_t segments = m.segmentCount();
        for (std::uint32_t s = 0; s < segments; ++s) {
            const sim::SegmentUsage u = m.segmentUsage(s);
            out.add(u.size, "segment ", s, " size");
            out.add(u.committed, "segment ", s, " committed");
            out.add(u.resident, "segment ", s, " resident");
            out.add(u.inUse, "segment ", s, " in use");
            out.add(u.offerPending, "segment ", s, " offer pending");
            out.add(u.offeredResident, "segment ", s, " offered resident");
            for (int p = 1; p < 5; ++p)
                out.add(u.offeredByPriority[p], "segment ", s, " offered at priority ", p);
            for (int l = 0; l < sim::kOfferLevelCount; ++l)
                out.add(u.offeredByLevel[l], "segment ", s, " offered at level ", l);
            out.add(u.evicted, "segment ", s, " evicted");
            out.add(u.discarded, "segment ", s, " discarded");
            out.add(u.decommitted, "segment ", s, " decommitted");
            out.add(u.totalBytesEvicted, "segment ", s, " total bytes evicted");
            out.add(u.totalBytesDiscarded, "segment ", s, " total bytes discarded");
            out.add(u.totalBytesDecommitted, "segment ", s, " total bytes decommitted");
            out.add(u.allocsCommitted, "segment ", s, " allocations committed");
            out.add(u.allocsResident, "segment ", s, " allocations resident");

            D3DKMT_QUERYSTATISTICS q;
            q.AdapterLuid = m.adapterLuid();
            q.Type = D3DKMT_QUERYSTATISTICS_TYPE::Segment;
            q.QuerySegment.SegmentId = s;
            out.addAs(Format::Status, codeOf(m.queryStatistics(q)), "QueryStatistics(SEGMENT ", s, ") status");
            const auto& si = q.QueryResult.SegmentInformation;
            out.add(si.CommitLimit, "segment ", s, " CommitLimit");
            out.add(si.BytesCommitted, "segment ", s, " BytesCommitted");
            out.add(si.BytesResident, "segment ", s, " BytesResident");
            out.add(si.Memory.TotalBytesEvicted, "segment ", s, " TotalBytesEvicted");
            out.add(si.Memory.AllocsCommitted, "segment ", s, " AllocsCommitted");
            out.add(si.Memory.AllocsResident, "segment ", s, " AllocsResident");
            out.add(si.Aperture, "segment ", s, " Aperture");
            for (int c = 0; c < kQueryStatisticsPriorityClassMax; ++c)
                out.add(si.TotalBytesEvictedByPriority[c], "segment ", s, " TotalBytesEvictedByPriority[", c, "]");
            out.add(si.SegmentProperties, "segment ", s, " SegmentProperties");
        }
        uniqueness.assign(m_processes.size(), 0);
        for (std::size_t p = 0; p <= m_processes.size(); ++p) {
            // Every process, and NULL (the current process) once.
            const HANDLE h = p < m_processes.size() ? m_processes[p].handle.of(side) : 0;
            const std::string who = p < m_processes.size() ? "P" + std::to_string(p) : std::string("NULL process");
            for (std::uint32_t g = 0; g < kSegmentGroupCount; ++g) {
                D3DKMT_QUERYVIDEOMEMORYINFO info;
                info.hProcess = h;
                info.hAdapter = m.adapterHandle();
                info.MemorySegmentGroup = static_cast<MemorySegmentGroup>(g);
                out.addAs(Format::Status, codeOf(m.queryVideoMemoryInfo(info)), who, " group ", g,
                    " QueryVideoMemoryInfo status");
                out.add(info.Budget, who, " group ", g, " Budget");
                out.add(info.CurrentUsage, who, " group ", g, " CurrentUsage");
                out.add(info.CurrentReservation, who, " group ", g, " CurrentReservation");
                out.add(info.AvailableForReservation, who, " group ", g, " AvailableForReservation");
                if (p == m_processes.size())
                    continue;
                D3DKMT_QUERYSTATISTICS q;
                q.AdapterLuid = m.adapterLuid();
                q.Type = D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup;
                q.hProcess = h;
                q.QueryProcessSegmentGroup = static_cast<MemorySegmentGroup>(g);
                out.addAs(Format::Status, codeOf(m.queryStatistics(q)), who, " group ", g,
                    " QueryStatistics(PROCESS_SEGMENT_GROUP) status");
                const auto& gi = q.QueryResult.ProcessSegmentGroupInformation;
                out.add(gi.Budget, who, " group ", g, " statistics Budget");
                out.add(gi.Usage, who, " group ", g, " statistics Usage");
                out.add(gi.Requested, who, " group ", g, " statistics Requested");
            }
            if (p == m_processes.size())
                continue;
            for (std::uint32_t s = 0; s < segments; ++s) {
                D3DKMT_QUERYSTATISTICS q;
                q.AdapterLuid = m.adapterLuid();
                q.Type = D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegment;
                q.hProcess = h;
                q.QueryProcessSegment.SegmentId = s;
                out.addAs(Format::Status, codeOf(m.queryStatistics(q)), who, " segment ", s,
                    " QueryStatistics(PROCESS_SEGMENT) status");
                const auto& pi = q.QueryResult.ProcessSegmentInformation;
                out.add(pi.BytesCommitted, who, " segment ", s, " BytesCommitted");
                out.add(pi.NbReferencedAllocationEvictedInPeriod, who, " segment ", s,
                    " NbReferencedAllocationEvictedInPeriod");
                out.add(pi.VideoMemory.AllocsCommitted, who, " segment ", s, " AllocsCommitted");
                out.add(pi.VideoMemory.AllocsResidentInP[0].Count, who, " segment ", s, " AllocsResident");
                out.add(pi.VideoMemory.AllocsResidentInP[0].Bytes, who, " segment ", s, " bytes resident");
            }
            D3DKMT_QUERYPROCESSOFFERINFO offers;
            offers.hProcess = h;
            out.addAs(Format::Status, codeOf(m.queryProcessOfferInfo(offers)), who, " QueryProcessOfferInfo status");
            out.add(offers.DecommittableBytes, who, " DecommittableBytes");
            // The document promises only that DecommitUniqueness changes when the set of decommittable
            // allocations does: compared is whether it changed during the operation.
            uniqueness[p] = offers.DecommitUniqueness;
            const bool changed = p >= lastUniqueness.size() || lastUniqueness[p] != offers.DecommitUniqueness;
            out.addAs(Format::Bool, changed ? 1 : 0, who, " DecommitUniqueness changed");
        }
        for (std::size_t d = 0; d < m_devices.size(); ++d) {
            const D3DKMT_HANDLE h = static_cast<D3DKMT_HANDLE>(m_devices[d].handle.of(side));
            out.addAs(Format::Bool, m.deviceRemoved(h) ? 1 : 0, "D", d, " removed");
            out.add(m.deviceFenceCompleted(h), "D", d, " completed fence");
        }
        for (std::size_t q = 0; q < m_queues.size(); ++q)
            out.add(m.pagingFenceCompleted(static_cast<D3DKMT_HANDLE>(m_queues[q].handle.of(side))), "Q", q,
                " completed paging fence");
    }

    // ---- one step -----------------------------------------------------------------------------------------------

    static std::string summary(const std::optional<sim::AllocationInfo>& a)
    {
        if (!a)
            return "gone";
        std::ostringstream s;
        s << sim::allocationStateName(a->state) << (a->resident ? " in memory" : "") << ", " << formatBytes(a->size)
          << " in segment " << a->segment << ", refs " << a->residentRefs << ", locks " << a->lockCount
          << (a->gpuBusy ? ", GPU busy" : "") << ", residency 0x" << std::hex << a->residencyPriority << std::dec;
        if (a->requestedPriority != OfferPriority::None)
            s << ", offered " << offerPriorityName(a->requestedPriority) << " as "
              << offerPriorityName(a->effectivePriority) << (a->allowDecommit ? " AllowDecommit" : "");
        return s.str();
    }

    std::optional<Mismatch> differ(
        std::size_t index, const std::string& call, std::string what, std::string simValue, std::string refValue) const
    {
        Mismatch m;
        m.seed = m_options.seed;
        m.operation = index;
        m.call = call;
        m.what = std::move(what);
        m.simulator = std::move(simValue);
        m.reference = std::move(refValue);
        m.recent.assign(m_recent.begin(), m_recent.end());
        for (std::size_t r = 0; r < m_resources.size(); ++r) {
            if (!m_resources[r].live)
                continue;
            for (std::size_t k = 0; k < m_resources[r].allocations.size(); ++k) {
                const Pair& h = m_resources[r].allocations[k];
                std::ostringstream line;
                line << "A" << r << "." << k << " D" << m_resources[r].device << ": "
                     << summary(m_sim.allocation(static_cast<D3DKMT_HANDLE>(h.sim))) << " | "
                     << summary(m_ref.allocation(static_cast<D3DKMT_HANDLE>(h.ref)));
                m.allocations.push_back(line.str());
            }
        }
        return m;
    }

    void count(NtStatus status)
    {
        switch (status) {
        case NtStatus::Success:
            ++m_stats.success;
            break;
        case NtStatus::Pending:
            ++m_stats.pending;
            break;
        case NtStatus::InvalidParameter:
            ++m_stats.invalidParameter;
            break;
        case NtStatus::NoMemory:
            ++m_stats.noMemory;
            break;
        case NtStatus::DeviceRemoved:
            ++m_stats.deviceRemoved;
            break;
        case NtStatus::NotSupported:
            ++m_stats.notSupported;
            break;
        default:
            break;
        }
    }

    std::optional<Mismatch> step(const Operation& op, std::size_t index)
    {
        const std::string call = describe(op);
        Outcome s = execute(m_sim, Side::Simulator, op);
        Outcome r = execute(m_ref, Side::Reference, op);
        ++m_stats.operations;
        count(s.status);

        if (s.status != r.status) {
            std::string simValue = render(static_cast<std::uint64_t>(s.status.code()), Format::Status);
            if (!s.status.ok() && !s.status.message().empty())
                simValue += " (\"" + s.status.message() + "\")";
            return differ(
                index, call, "status", simValue, render(static_cast<std::uint64_t>(r.status.code()), Format::Status));
        }
        const auto& sv = s.outputs.values();
        const auto& rv = r.outputs.values();
        for (std::size_t i = 0; i < sv.size() && i < rv.size(); ++i)
            if (sv[i] != rv[i])
                return differ(index, call, s.outputs.name(i), render(sv[i], s.outputs.format(i)),
                    render(rv[i], r.outputs.format(i)));
        if (op.kind == OpKind::Reclaim2 && ntSuccess(s.status) && op.withOutput)
            for (std::size_t i = 0; i < op.count && i < 16; ++i)
                if (sv[i] <= 2)
                    ++m_stats.reclaimResults[sv[i]];
        learn(op, s, r);

        m_recent.push_back(call + " -> " + render(static_cast<std::uint64_t>(s.status.code()), Format::Status));
        if (m_trace)
            std::fprintf(stderr, "%zu: %s\n", index, m_recent.back().c_str());
        if (m_recent.size() > 8)
            m_recent.pop_front();

        Values simValues(false), refValues(false);
        std::vector<std::uint64_t> simUniq, refUniq;
        snapshot(m_sim, Side::Simulator, m_simUniqueness, simUniq, simValues);
        snapshot(m_ref, Side::Reference, m_refUniqueness, refUniq, refValues);
        if (simValues.values() != refValues.values()) {
            // Again with names, to say which value differs.
            Values simNamed(true), refNamed(true);
            snapshot(m_sim, Side::Simulator, m_simUniqueness, simUniq, simNamed);
            snapshot(m_ref, Side::Reference, m_refUniqueness, refUniq, refNamed);
            const auto& a = simNamed.values();
            const auto& b = refNamed.values();
            for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
                if (a[i] != b[i] || simNamed.name(i) != refNamed.name(i))
                    return differ(index, call, simNamed.name(i), render(a[i], simNamed.format(i)),
                        render(b[i], refNamed.format(i)));
            return differ(index, call, "number of values compared", std::to_string(a.size()), std::to_string(b.size()));
        }
        m_simUniqueness = std::move(simUniq);
        m_refUniqueness = std::move(refUniq);

        // Agreeing is not enough: both may be wrong the same way.
        const std::string simBroken = m_sim.checkInvariants(), refBroken = m_ref.checkSelf();
        if (!simBroken.empty() || !refBroken.empty())
            return differ(index, call, "invariants", simBroken.empty() ? "hold" : "broken: " + simBroken,
                refBroken.empty() ? "hold" : "broken: " + refBroken);

        // The simulator's change list (what the window's tables refresh from): every allocation row
        // that differs from the one after the last operation must be in it.
        std::vector<sim::AllocationSummary> rows;
        m_sim.allocationSummariesBySlot(rows);
        if (m_sim.changesKnown())
            if (const auto missed = firstUnlistedChange(m_rows, rows, m_sim.changedSlots()))
                return differ(index, call, "change list",
                    "slot " + std::to_string(*missed) + " changed but is not in the list", "(not compared)");
        m_sim.clearChanges();
        m_rows = std::move(rows);
        return std::nullopt;
    }

    /// Keeps the logical world in step with what the call created or destroyed.
    void learn(const Operation& op, const Outcome& s, const Outcome& r)
    {
        if (!ntSuccess(s.status))
            return;
        switch (op.kind) {
        case OpKind::CreateProcess:
            m_processes.push_back(LogicalProcess { Pair { s.handle, r.handle }, op.name, {} });
            break;
        case OpKind::CreateDevice: {
            const std::size_t p = op.target.kind == Operand::Kind::Process ? op.target.index : 0;
            m_devices.push_back(LogicalDevice { Pair { s.handle, r.handle }, p, {} });
            m_processes[p].devices.push_back(m_devices.size() - 1);
            break;
        }
        case OpKind::CreatePagingQueue:
            m_queues.push_back(LogicalQueue { Pair { s.handle, r.handle }, op.target.index, {} });
            m_devices[op.target.index].queues.push_back(m_queues.size() - 1);
            break;
        case OpKind::CreateResource:
        case OpKind::Commit: {
            std::size_t device = op.target.index;
            if (op.kind == OpKind::Commit) {
                // On the process' first device; a process without one gets one from the call.
                const std::size_t p = op.target.kind == Operand::Kind::Process ? op.target.index : 0;
                if (m_processes[p].devices.empty()) {
                    const D3DKMT_HANDLE simDevice = m_sim.allocation(s.created.allocations.at(0))->device;
                    const D3DKMT_HANDLE refDevice = m_ref.allocation(r.created.allocations.at(0))->device;
                    m_devices.push_back(LogicalDevice { Pair { simDevice, refDevice }, p, {} });
                    m_processes[p].devices.push_back(m_devices.size() - 1);
                }
                device = m_processes[p].devices.front();
            }
            LogicalResource res;
            res.handle = Pair { s.created.hResource, r.created.hResource };
            res.device = device;
            res.present = op.kind == OpKind::CreateResource && op.present;
            for (std::size_t k = 0; k < s.created.allocations.size() && k < r.created.allocations.size(); ++k)
                res.allocations.push_back(Pair { s.created.allocations[k], r.created.allocations[k] });
            res.reported.assign(res.allocations.size(), 0);
            m_resources.push_back(std::move(res));
            break;
        }
        case OpKind::DestroyResource:
            if (op.resources.at(0).kind == Operand::Kind::Resource)
                m_resources[op.resources[0].index].live = false;
            break;
        case OpKind::Reclaim:
        case OpKind::Reclaim2: {
            // A decommitted allocation a reclaim named has now answered NOT_COMMITTED: it is dead.
            auto mark = [this](std::uint32_t resource, std::uint32_t k) {
                const auto info = refInfo(Operand { Operand::Kind::Allocation, resource, k });
                if (info && info->state == AllocationState::Decommitted)
                    m_resources[resource].reported[k] = 1;
            };
            for (const Operand& o : op.handles)
                if (o.kind == Operand::Kind::Allocation)
                    mark(o.index, o.ordinal);
            for (const Operand& o : op.resources)
                if (o.kind == Operand::Kind::Resource)
                    for (std::uint32_t k = 0; k < m_resources[o.index].allocations.size(); ++k)
                        mark(o.index, k);
            if (op.kind == OpKind::Reclaim)
                break;
            [[fallthrough]];
        }
        case OpKind::MakeResident:
            if (op.target.kind == Operand::Kind::PagingQueue) {
                const std::uint64_t fence
                    = op.kind == OpKind::MakeResident ? s.outputs.values().at(1) : s.outputs.values().back();
                auto& fences = m_queues[op.target.index].fences;
                if (fence != 0 && (fences.empty() || fences.back() < fence))
                    fences.push_back(fence);
            }
            break;
        default:
            break;
        }
    }

    /// OFFERSCOPE_DIFFERENTIAL_TRACE set: every operation and its status on stderr, to follow a failing seed.
    const bool m_trace = std::getenv("OFFERSCOPE_DIFFERENTIAL_TRACE") != nullptr;
    DifferentialOptions m_options;
    std::mt19937_64 m_rng;
    sim::AdapterConfig m_adapter;
    Simulator m_sim;
    std::vector<sim::AllocationSummary> m_rows; ///< the simulator's rows after the last operation
    ReferenceModel m_ref;
    std::uint64_t m_groupSize[kSegmentGroupCount] = { 0, 0 };
    std::vector<LogicalProcess> m_processes;
    std::vector<LogicalDevice> m_devices;
    std::vector<LogicalQueue> m_queues;
    std::vector<LogicalResource> m_resources;
    std::vector<std::uint64_t> m_simUniqueness, m_refUniqueness;
    std::deque<std::string> m_recent;
    DifferentialStats m_stats;
};

} // namespace

DifferentialResult runDifferential(const DifferentialOptions& options)
{
    Run run(options);
    return run.go();
}

} // namespace offerscope::reference
