// SPDX-License-Identifier: GPL-3.0-or-later
// operationsFromScenario(): a lesson as a program for fuzzOperations(), so the fuzzer starts from the
// call sequences the lessons teach instead of from noise.
#include "FuzzTargets.h"
#include "OperationCodes.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"

#include <map>

namespace offerscope::fuzz {
namespace {

using namespace offerscope::fuzz::ops;
using namespace offerscope::scenario;

constexpr UINT kResidencyPriorities[5] = { ResidencyPriority::kMinimum, ResidencyPriority::kLow,
    ResidencyPriority::kNormal, ResidencyPriority::kHigh, ResidencyPriority::kMaximum };
constexpr std::uint64_t kPagingSpeeds[4] = { 17'179, 1, 1024, 1ULL << 40 };
/// Longer handle lists are cut to this (a longer one needs the long-list encoding, whose lengths are fixed).
constexpr std::size_t kMaxListed = 8;

class Encoder {
public:
    explicit Encoder(const Scenario& scenario)
        : m_scenario(scenario)
    {
    }

    std::string encode(int logMode)
    {
        // Which creating steps succeed decides the interpreter's handle tables: run the scenario once.
        ScenarioRunner runner(m_scenario);
        runner.runAll();
        for (const StepOutcome& o : runner.outcomes())
            m_succeeded[o.step] = o.call && ntSuccess(o.status);

        header(logMode);
        world();
        m_out.u8(kCheckpoint);
        for (const Step& step : m_scenario.steps)
            encodeStep(step);
        m_out.u8(kCopy);
        m_out.u8(kRestore);
        m_out.u8(0);
        return m_out.bytes();
    }

private:
    void header(int logMode)
    {
        const std::size_t segments = std::min<std::size_t>(m_scenario.adapter.segments.size(), 4);
        m_out.u8(static_cast<std::uint8_t>(segments == 0 ? 0 : segments - 1));
        for (std::size_t i = 0; i < std::max<std::size_t>(segments, 1); ++i) {
            const sim::SegmentConfig c = i < segments ? m_scenario.adapter.segments[i] : sim::SegmentConfig {};
            m_out.size(c.size);
            m_out.u8(
                static_cast<std::uint8_t>((c.group == MemorySegmentGroup::NonLocal ? 1 : 0) | (c.aperture ? 2 : 0)));
        }
        m_out.u8(static_cast<std::uint8_t>(logMode));
        m_out.u8(63); // bounded mode: 64 events
        policy(m_scenario.policy);
        verifier(m_scenario.verifier);
    }
    void policy(const sim::SimPolicy& p)
    {
        m_out.u8(static_cast<std::uint8_t>(static_cast<unsigned>(p.withinPriorityOrder)
            | (p.rejectRedundantCalls ? 0 : 4) | (p.offeredCountsInUsage ? 0 : 8) | (p.enforceBudgetOnShrink ? 0 : 16)
            | (p.reclaim2Output == sim::ReclaimOutput::DiscardedFlags ? 32 : 0)));
        std::uint8_t speed = 0;
        for (std::uint8_t i = 0; i < 4; ++i)
            if (kPagingSpeeds[i] == p.pagingBytesPerMicrosecond)
                speed = i;
        m_out.u8(speed);
        m_out.u8(static_cast<std::uint8_t>(std::min<std::uint32_t>(p.reservablePercentOfBudget, 100)));
    }
    void verifier(const sim::VerifierSwitches& v)
    {
        m_out.u8(static_cast<std::uint8_t>((v.alwaysDiscardOffer ? 1 : 0) | (v.neverDiscardOffer ? 2 : 0)
            | (v.alwaysDecommitOffer ? 4 : 0) | (v.alwaysProcessOfferList ? 8 : 0)));
    }
    void residency(UINT priority)
    {
        for (std::uint8_t i = 0; i < 5; ++i)
            if (kResidencyPriorities[i] == priority) {
                m_out.u8(i);
                return;
            }
        m_out.u8(kRawFollows);
        m_out.u32(priority);
    }
    void index8(std::size_t i) { m_out.u8(static_cast<std::uint8_t>(std::min<std::size_t>(i, kFirstSpecial8 - 1))); }
    void index16(std::size_t i)
    {
        m_out.u16(static_cast<std::uint16_t>(std::min<std::size_t>(i, kFirstSpecial16 - 1)));
    }
    void list(const std::vector<std::size_t>& allocations)
    {
        const std::size_t n = std::min(allocations.size(), kMaxListed);
        m_out.u8(static_cast<std::uint8_t>(n));
        for (std::size_t i = 0; i < n; ++i)
            index16(allocations[i]);
    }
    std::size_t processIndex(const std::string& name) const
    {
        auto it = m_processes.find(name);
        return it == m_processes.end() ? 0 : it->second;
    }

    void world()
    {
        for (const ProcessSpec& p : m_scenario.processes) {
            m_out.u8(kCreateProcess);
            m_out.text(p.name.empty() ? std::string("P") : p.name, 12);
            m_out.u8(static_cast<std::uint8_t>((p.budget[0] ? 1 : 0) | (p.budget[1] ? 2 : 0)));
            for (const auto& budget : p.budget)
                if (budget)
                    m_out.size(*budget);
            const std::size_t process = m_processes.size();
            m_processes[p.name] = process;
            if (p.verifier != sim::ProcessVerifier {})
                processVerifier(process, p.verifier);
            for (const DeviceSpec& d : p.devices) {
                m_out.u8(kCreateDevice);
                index8(process);
                const std::size_t device = m_devices.size();
                m_devices[d.name] = device;
                for (std::size_t q = 0; q < std::max<std::size_t>(d.pagingQueues.size(), 1); ++q) {
                    m_out.u8(kCreatePagingQueue);
                    index8(device);
                    if (q < d.pagingQueues.size())
                        m_queues[d.pagingQueues[q]] = m_queueCount;
                    m_firstQueue.emplace(device, m_queueCount);
                    ++m_queueCount;
                }
            }
        }
    }
    void processVerifier(std::size_t process, const sim::ProcessVerifier& v)
    {
        m_out.u8(kSetProcessVerifier);
        index8(process);
        m_out.u8(static_cast<std::uint8_t>((v.alwaysFailCommitOnReclaim ? 1 : 0) | (v.budgetRestriction[0] ? 2 : 0)
            | (v.budgetRestriction[1] ? 4 : 0)));
        for (std::uint64_t restriction : v.budgetRestriction)
            if (restriction != 0)
                m_out.size(restriction);
    }

    /// Allocation table indices of the names ("tex" all of tex's, "tex[1]" one).
    std::vector<std::size_t> allocations(const std::vector<std::string>& names) const
    {
        std::vector<std::size_t> out;
        for (const std::string& name : names) {
            const std::size_t bracket = name.find('[');
            auto it = m_resources.find(name.substr(0, bracket));
            if (it == m_resources.end())
                continue;
            const Created& r = it->second;
            if (bracket == std::string::npos) {
                for (std::size_t i = 0; i < r.count; ++i)
                    out.push_back(r.firstAllocation + i);
            } else {
                out.push_back(r.firstAllocation + std::stoul(name.substr(bracket + 1)));
            }
        }
        return out;
    }
    std::size_t deviceFor(const Step& s) const
    {
        if (!s.device.empty()) {
            auto it = m_devices.find(s.device);
            return it == m_devices.end() ? 0 : it->second;
        }
        const std::string first = s.names.empty() ? s.name : s.names.front();
        auto it = m_resources.find(first.substr(0, first.find('[')));
        return it == m_resources.end() ? 0 : it->second.device;
    }
    std::size_t queueFor(const Step& s, std::size_t device) const
    {
        if (!s.queue.empty()) {
            auto it = m_queues.find(s.queue);
            return it == m_queues.end() ? 0 : it->second;
        }
        auto it = m_firstQueue.find(device);
        return it == m_firstQueue.end() ? 0 : it->second;
    }

    void encodeStep(const Step& s)
    {
        switch (s.kind) {
        case StepKind::Say:
            m_out.u8(kNarrate);
            m_out.text(s.text, 16);
            return;
        case StepKind::Create: {
            const std::size_t device = deviceFor(s);
            m_out.u8(kCreateResource);
            index8(device);
            if (s.count < 9) {
                m_out.u8(static_cast<std::uint8_t>(s.count));
            } else {
                m_out.u8(kRawFollows);
                m_out.u16(static_cast<std::uint16_t>(s.count));
            }
            m_out.u8(static_cast<std::uint8_t>(1 | (s.present ? 2 : 0) | (s.resident ? 0 : 4) | 8));
            m_out.size(s.bytes);
            m_out.u8(static_cast<std::uint8_t>(std::min<std::uint32_t>(s.segment, kFirstSpecial8 - 1)));
            residency(s.residencyPriority);
            if (m_succeeded[s.index]) {
                m_resources[s.name] = Created { m_resourceCount++, m_allocationCount, s.count, device };
                m_allocationCount += s.count;
            }
            return;
        }
        case StepKind::Destroy: {
            auto it = m_resources.find(s.name);
            m_out.u8(kDestroyResource);
            index8(it == m_resources.end() ? 0 : it->second.device);
            index16(it == m_resources.end() ? 0 : it->second.index);
            return;
        }
        case StepKind::Lock:
        case StepKind::Unlock: {
            const std::vector<std::size_t> a = allocations(s.names);
            m_out.u8(s.kind == StepKind::Lock ? kLock : kUnlock);
            index8(deviceFor(s));
            index16(a.empty() ? 0 : a.front());
            return;
        }
        case StepKind::Gpu:
            m_out.u8(kGpuWork);
            index8(deviceFor(s));
            list(allocations(s.names));
            m_out.duration(s.microseconds);
            return;
        case StepKind::Advance:
            m_out.u8(kAdvanceTime);
            m_out.duration(s.microseconds);
            return;
        case StepKind::Wait: {
            auto it = m_devices.find(s.device);
            m_out.u8(kWaitForIdle);
            index8(it == m_devices.end() ? 0 : it->second);
            return;
        }
        case StepKind::MakeResident: {
            const std::vector<std::size_t> a = allocations(s.names);
            const std::size_t n = std::min(a.size(), kMaxListed);
            m_out.u8(kMakeResident);
            index8(queueFor(s, deviceFor(s)));
            list(a);
            const bool priorities = s.priorities.size() == a.size() && !a.empty();
            m_out.u8(priorities ? 2 : 0);
            for (std::size_t i = 0; i < n; ++i)
                residency(priorities ? s.priorities[i] : ResidencyPriority::kNormal);
            m_out.small(s.flags, 4);
            return;
        }
        case StepKind::Evict:
            m_out.u8(kEvict);
            index8(deviceFor(s));
            list(allocations(s.names));
            m_out.u8(0);
            m_out.small(s.flags, 4);
            return;
        case StepKind::Offer:
        case StepKind::Reclaim:
            offerOrReclaim(s);
            return;
        case StepKind::SetPriority: {
            const std::vector<std::size_t> a = allocations(s.names);
            m_out.u8(kSetPriority);
            index8(deviceFor(s));
            list(a);
            m_out.u8(0);
            if (!a.empty()) {
                m_out.u8(0);
                m_out.u8(0);
            }
            for (std::size_t i = 0; i < std::min(a.size(), kMaxListed); ++i)
                residency(s.residencyPriority);
            return;
        }
        case StepKind::Pressure:
            m_out.u8(kCommitFromProcess);
            index8(processIndex(s.process));
            m_out.u8(static_cast<std::uint8_t>(std::min<std::uint32_t>(s.segment, kFirstSpecial8 - 1)));
            m_out.size(s.bytes);
            if (m_succeeded[s.index]) {
                ++m_resourceCount;
                ++m_allocationCount;
            }
            return;
        case StepKind::Budget:
            m_out.u8(kSetBudget);
            index8(processIndex(s.process));
            m_out.u8(static_cast<std::uint8_t>(s.group));
            m_out.size(s.bytes);
            return;
        case StepKind::Reserve:
            m_out.u8(kChangeReservation);
            index8(processIndex(s.process));
            m_out.u8(0);
            m_out.u8(static_cast<std::uint8_t>(s.group));
            m_out.size(s.bytes);
            return;
        case StepKind::Trim:
            m_out.u8(kTrimProcessCommitment);
            index8(processIndex(s.process));
            m_out.u8(0);
            m_out.small(s.flags, 4);
            m_out.size(s.bytes);
            return;
        case StepKind::SystemPressure:
            m_out.u8(kSystemCommitPressure);
            m_out.size(s.bytes);
            return;
        case StepKind::Policy:
            m_out.u8(kSetPolicy);
            policy(s.policy);
            return;
        case StepKind::Verifier:
            m_out.u8(kSetVerifier);
            verifier(s.verifier);
            return;
        case StepKind::ProcessVerifier:
            processVerifier(processIndex(s.process), s.processVerifier);
            return;
        case StepKind::Quiz: // a question changes nothing: looking inside is the closest operation
        case StepKind::Expect:
            m_out.u8(kLookInside);
            m_out.u16(0);
            m_out.u16(0);
            return;
        }
    }

    void offerOrReclaim(const Step& s)
    {
        const bool offer = s.kind == StepKind::Offer;
        const std::size_t device = deviceFor(s);
        if (offer) {
            m_out.u8(kOffer);
            index8(device);
        } else if (s.reclaimVersion == 1) {
            m_out.u8(kReclaim);
            index8(device);
        } else {
            m_out.u8(kReclaim2);
            index8(queueFor(s, device));
        }
        std::uint8_t mode = kByAllocations;
        if (s.by == HandleArray::Resources)
            mode = kByResources;
        else if (s.by == HandleArray::Both)
            mode = kByBoth;
        else if (s.by == HandleArray::Neither)
            mode = kByNeither;
        m_out.u8(mode);
        // One entry per allocation (by resources: per resource).
        std::vector<std::size_t> resources, allocationEntries;
        for (const std::string& name : s.names) {
            auto it = m_resources.find(name.substr(0, name.find('[')));
            const std::size_t resource = it == m_resources.end() ? 0 : it->second.index;
            if (mode == kByResources) {
                resources.push_back(resource);
                continue;
            }
            for (std::size_t a : allocations({ name })) {
                allocationEntries.push_back(a);
                resources.push_back(resource);
            }
        }
        const std::size_t n = std::min(mode == kByResources ? resources.size() : allocationEntries.size(), kMaxListed);
        m_out.u8(static_cast<std::uint8_t>(n));
        for (std::size_t i = 0; i < n; ++i) {
            if (mode == kByResources || mode == kByBoth)
                index16(resources[i]);
            if (mode != kByResources)
                index16(allocationEntries[i]);
        }
        if (offer) {
            m_out.small(static_cast<std::uint32_t>(s.priority), 6);
            m_out.small(s.flags, 4);
        }
    }

    struct Created {
        std::size_t index = 0; ///< in the resource table
        std::size_t firstAllocation = 0; ///< in the allocation table
        std::size_t count = 0;
        std::size_t device = 0;
    };

    const Scenario& m_scenario;
    Writer m_out;
    std::map<std::size_t, bool> m_succeeded; ///< step index -> its call succeeded
    std::map<std::string, std::size_t> m_processes, m_devices, m_queues;
    std::map<std::size_t, std::size_t> m_firstQueue; ///< device -> its first paging queue
    std::map<std::string, Created> m_resources;
    std::size_t m_queueCount = 0, m_resourceCount = 0, m_allocationCount = 0;
};

} // namespace

std::string operationsFromScenario(const Scenario& scenario, int logMode)
{
    return Encoder(scenario).encode(logMode);
}

} // namespace offerscope::fuzz
