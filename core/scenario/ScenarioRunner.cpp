// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/ScenarioRunner.h"

#include "core/Units.h"
#include "core/scenario/StepCalls.h"

#include <algorithm>

namespace offerscope::scenario {

ScenarioRunner::ScenarioRunner(const Scenario& scenario)
    : m_scenario(scenario)
    , m_sim(std::make_unique<sim::Simulator>(scenario.adapter, scenario.policy))
{
    m_outcomes.reserve(m_scenario.steps.size());
    buildWorld();
}

void ScenarioRunner::buildWorld()
{
    if (m_scenario.verifier != sim::VerifierSwitches {})
        m_sim->setVerifier(m_scenario.verifier);
    for (const ProcessSpec& p : m_scenario.processes) {
        const D3DKMT_HANDLE process = *m_sim->createProcess(p.name, p.budget[0], p.budget[1]);
        m_handles.edit()[p.name] = process;
        if (p.verifier != sim::ProcessVerifier {})
            m_sim->setProcessVerifier(process, p.verifier);
        for (const DeviceSpec& d : p.devices) {
            const D3DKMT_HANDLE device = *m_sim->createDevice(process);
            m_handles.edit()[d.name] = device;
            for (const std::string& q : d.pagingQueues) {
                const D3DKMT_HANDLE queue = *m_sim->createPagingQueue(device);
                m_handles.edit()[q] = queue;
                m_firstQueue.emplace(device, queue);
            }
            // Every device gets a paging queue: MakeResident and ReclaimAllocations2 need one.
            if (!m_firstQueue.count(device))
                m_firstQueue.emplace(device, *m_sim->createPagingQueue(device));
        }
    }
}

D3DKMT_HANDLE ScenarioRunner::handle(const std::string& name) const
{
    return NameTable { *m_handles, *m_resourceAllocations }.handle(name);
}

std::map<std::string, D3DKMT_HANDLE> ScenarioRunner::names() const
{
    std::map<std::string, D3DKMT_HANDLE> out = *m_handles;
    for (const auto& [resource, allocations] : *m_resourceAllocations)
        for (std::size_t i = 0; i < allocations.size(); ++i)
            out[resource + "[" + std::to_string(i) + "]"] = allocations[i];
    return out;
}

std::vector<D3DKMT_HANDLE> ScenarioRunner::allocationHandles(const std::vector<std::string>& names) const
{
    return NameTable { *m_handles, *m_resourceAllocations }.allocations(names);
}

D3DKMT_HANDLE ScenarioRunner::deviceFor(const Step& step, const std::vector<D3DKMT_HANDLE>& allocations) const
{
    if (!step.device.empty())
        return handle(step.device);
    for (D3DKMT_HANDLE a : allocations)
        if (const auto info = m_sim->allocation(a))
            return info->device;
    // Every allocation named is gone: use the device that created the first one.
    const std::string first = step.names.empty() ? step.name : step.names.front();
    auto it = m_resourceDevice->find(first.substr(0, first.find('[')));
    return it == m_resourceDevice->end() ? 0 : it->second;
}

D3DKMT_HANDLE ScenarioRunner::queueFor(const Step& step, D3DKMT_HANDLE device) const
{
    if (!step.queue.empty())
        return handle(step.queue);
    auto it = m_firstQueue.find(device);
    return it == m_firstQueue.end() ? 0 : it->second;
}

std::string ScenarioRunner::where(TextPosition at) const
{
    return m_scenario.fileName + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

bool ScenarioRunner::step()
{
    if (m_next >= m_scenario.steps.size())
        return false;
    const Step& s = m_scenario.steps[m_next++];
    const std::uint64_t before = m_sim->eventLog().lastSeq();
    StepOutcome outcome = execute(s);
    outcome.step = s.index;
    outcome.firstEvent = before + 1;
    outcome.lastEvent = m_sim->eventLog().lastSeq();
    m_outcomes.push_back(std::move(outcome));
    // Running a step again re-does what going back cut: the cut keeps only what lies ahead.
    if (!m_cut.outcomes.empty() && m_cut.outcomes.front().step < m_next)
        m_cut.outcomes.erase(m_cut.outcomes.begin());
    while (!m_cut.events.empty() && m_cut.events.front().seq <= m_sim->eventLog().lastSeq())
        m_cut.events.pop_front();
    if (m_outcomes.back().call)
        m_lastCall = m_outcomes.size() - 1;
    if (s.kind == StepKind::Reclaim)
        m_lastReclaim = m_outcomes.size() - 1;
    if (s.kind == StepKind::Expect)
        check(s);
    if (s.kind == StepKind::Quiz) {
        // The lesson's answer must be the engine's: a quiz that teaches a wrong answer fails like an expectation.
        ++m_checked;
        const StepOutcome& o = m_outcomes.back();
        const auto normal = [](std::string t) {
            std::string out;
            for (char c : t)
                if (c != ' ')
                    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return out;
        };
        const auto bytes = parseBytes(s.name), engineBytes = parseBytes(o.answer);
        const bool same = normal(s.name) == normal(o.answer)
            || (s.quiz == "trim" && bytes && engineBytes && *bytes == *engineBytes);
        if (!same)
            m_failures.push_back({ s.index,
                where(s.at) + ": quiz: the lesson's answer is '" + s.name + "', the engine's is '" + o.answer + "' ("
                    + o.why + ")" });
    }
    auto redone = std::find_if(
        m_cut.failures.begin(), m_cut.failures.end(), [this](const ExpectationFailure& f) { return f.step >= m_next; });
    m_cut.failures.erase(m_cut.failures.begin(), redone);
    return true;
}

void ScenarioRunner::runAll()
{
    while (step()) { }
}

std::size_t ScenarioRunner::appendStep(Step step)
{
    m_cut.clear(); // another future
    step.index = m_scenario.steps.size();
    m_scenario.steps.push_back(std::move(step));
    return m_scenario.steps.size() - 1;
}

void ScenarioRunner::truncateSteps(std::size_t count)
{
    m_cut.clear();
    if (count < m_next || count >= m_scenario.steps.size())
        return;
    m_scenario.steps.resize(count);
}

ScenarioRunner::Checkpoint ScenarioRunner::checkpoint(const Checkpoint* previous)
{
    Checkpoint out;
    out.sim = m_sim->checkpoint(previous != nullptr ? &previous->sim : nullptr);
    out.handles = m_handles.share();
    out.resourceAllocations = m_resourceAllocations.share();
    out.resourceDevice = m_resourceDevice.share();
    // A map's node (about 64 bytes), its key's text and its value; a map shared with `previous` has its count.
    const auto names = [](const std::map<std::string, D3DKMT_HANDLE>& m) { return m.size() * (64 + 24); };
    const bool same = previous != nullptr;
    out.handlesBytes = same && previous->handles == out.handles ? previous->handlesBytes : names(*out.handles);
    out.resourceDeviceBytes
        = same && previous->resourceDevice == out.resourceDevice ? previous->resourceDeviceBytes : names(*out.resourceDevice);
    if (same && previous->resourceAllocations == out.resourceAllocations) {
        out.resourceAllocationsBytes = previous->resourceAllocationsBytes;
    } else {
        for (const auto& [name, list] : *out.resourceAllocations)
            out.resourceAllocationsBytes += 64 + 24 + list.capacity() * sizeof(D3DKMT_HANDLE);
    }
    out.firstQueue = m_firstQueue;
    out.next = m_next;
    out.outcomes = m_outcomes.size();
    out.failures = m_failures.size();
    out.checked = m_checked;
    out.lastCall = m_lastCall;
    out.lastReclaim = m_lastReclaim;
    return out;
}

std::size_t ScenarioRunner::Checkpoint::uniqueBytes(std::unordered_set<const void*>& seen) const
{
    std::size_t total = sim.uniqueBytes(seen) + firstQueue.size() * 48;
    if (handles && seen.insert(handles.get()).second)
        total += handlesBytes;
    if (resourceDevice && seen.insert(resourceDevice.get()).second)
        total += resourceDeviceBytes;
    if (resourceAllocations && seen.insert(resourceAllocations.get()).second)
        total += resourceAllocationsBytes;
    return total;
}

void ScenarioRunner::Cut::clear()
{
    events.clear();
    outcomes.clear();
    failures.clear();
}

bool ScenarioRunner::canRestoreForward(const Checkpoint& checkpoint) const
{
    return checkpoint.next > m_next && m_outcomes.size() + m_cut.outcomes.size() >= checkpoint.outcomes;
}

void ScenarioRunner::restore(const Checkpoint& checkpoint)
{
    if (checkpoint.next > m_next) {
        // Forward along the same run: the cut holds what happened in between.
        const std::size_t outcomes = checkpoint.outcomes - m_outcomes.size();
        std::move(m_cut.outcomes.begin(), m_cut.outcomes.begin() + static_cast<std::ptrdiff_t>(outcomes),
            std::back_inserter(m_outcomes));
        m_cut.outcomes.erase(m_cut.outcomes.begin(), m_cut.outcomes.begin() + static_cast<std::ptrdiff_t>(outcomes));
        const std::size_t failures = std::min(checkpoint.failures - m_failures.size(), m_cut.failures.size());
        std::move(m_cut.failures.begin(), m_cut.failures.begin() + static_cast<std::ptrdiff_t>(failures),
            std::back_inserter(m_failures));
        m_cut.failures.erase(m_cut.failures.begin(), m_cut.failures.begin() + static_cast<std::ptrdiff_t>(failures));
    } else {
        m_cut.outcomes.insert(m_cut.outcomes.begin(),
            std::make_move_iterator(m_outcomes.begin() + static_cast<std::ptrdiff_t>(checkpoint.outcomes)),
            std::make_move_iterator(m_outcomes.end()));
        m_cut.failures.insert(m_cut.failures.begin(),
            std::make_move_iterator(m_failures.begin() + static_cast<std::ptrdiff_t>(checkpoint.failures)),
            std::make_move_iterator(m_failures.end()));
    }
    m_sim->restore(checkpoint.sim, &m_cut.events);
    m_handles.adopt(checkpoint.handles);
    m_resourceAllocations.adopt(checkpoint.resourceAllocations);
    m_resourceDevice.adopt(checkpoint.resourceDevice);
    m_firstQueue = checkpoint.firstQueue;
    m_next = checkpoint.next;
    m_outcomes.resize(checkpoint.outcomes);
    m_failures.resize(checkpoint.failures);
    m_checked = checkpoint.checked;
    m_lastCall = checkpoint.lastCall;
    m_lastReclaim = checkpoint.lastReclaim;
}

StepOutcome ScenarioRunner::execute(const Step& s)
{
    sim::Simulator& sim = *m_sim;
    StepOutcome out;
    auto call = [&out](Status status) {
        out.call = true;
        out.status = status;
    };
    switch (s.kind) {
    case StepKind::Say:
        sim.narrate(s.text);
        break;
    case StepKind::Create: {
        CreateResourceArgs args;
        args.hDevice = handle(s.device);
        args.allocationSizes.assign(s.count, s.bytes);
        args.segmentId = s.segment;
        args.residencyPriority = s.residencyPriority;
        args.present = s.present;
        args.makeResident = s.resident;
        args.name = s.name;
        CreatedResource created;
        call(sim.createResource(args, created));
        if (ntSuccess(out.status)) {
            // The allocations have no name each: "tex[2]" is looked up in tex's list (NameTable), so a
            // checkpoint's copy of these maps grows with the resources, not with their allocations.
            m_handles.edit()[s.name] = created.hResource;
            m_resourceDevice.edit()[s.name] = args.hDevice;
            m_resourceAllocations.edit()[s.name] = created.allocations;
        }
        break;
    }
    case StepKind::Destroy: {
        const D3DKMT_HANDLE resource = handle(s.name);
        const auto device = m_resourceDevice->find(s.name);
        call(sim.destroyResource(device != m_resourceDevice->end() ? device->second : 0, resource));
        break;
    }
    case StepKind::Lock:
    case StepKind::Unlock: {
        const std::vector<D3DKMT_HANDLE> allocations = allocationHandles(s.names);
        const D3DKMT_HANDLE device = deviceFor(s, allocations);
        const D3DKMT_HANDLE allocation = allocations.empty() ? 0 : allocations.front();
        call(s.kind == StepKind::Lock ? sim.lock(device, allocation) : sim.unlock(device, allocation));
        break;
    }
    case StepKind::Gpu: {
        const std::vector<D3DKMT_HANDLE> allocations = allocationHandles(s.names);
        call(sim.submitGpuWork(deviceFor(s, allocations), allocations, s.microseconds));
        break;
    }
    case StepKind::Advance:
        sim.advanceTime(s.microseconds);
        break;
    case StepKind::Wait:
        call(sim.waitForIdle(handle(s.device)));
        break;
    case StepKind::MakeResident:
    case StepKind::Evict:
    case StepKind::Offer:
    case StepKind::Reclaim:
    case StepKind::Reserve:
    case StepKind::Trim: {
        // The D3DKMT arguments are StepCalls' (the live world builds the same ones).
        const NameTable names { *m_handles, *m_resourceAllocations };
        const D3DKMT_HANDLE device = deviceFor(s, allocationHandles(s.names));
        const CallTarget target { device, queueFor(s, device), handle(s.process), sim.adapterHandle() };
        runStepCall(sim, s, names, target, sim.policy().reclaim2Output == sim::ReclaimOutput::Results, out);
        break;
    }
    case StepKind::SetPriority: {
        const std::vector<D3DKMT_HANDLE> allocations = allocationHandles(s.names);
        const std::vector<UINT> priorities(allocations.size(), s.residencyPriority);
        call(sim.setAllocationPriority(deviceFor(s, allocations), allocations, priorities));
        break;
    }
    case StepKind::Pressure:
        call(sim.commitFromProcess(handle(s.process), s.segment, s.bytes));
        break;
    case StepKind::Budget:
        call(sim.setBudget(handle(s.process), s.group, s.bytes));
        break;
    case StepKind::SystemPressure:
        sim.applySystemCommitPressure(s.bytes);
        break;
    case StepKind::Policy:
        sim.setPolicy(s.policy);
        break;
    case StepKind::Verifier:
        sim.setVerifier(s.verifier);
        break;
    case StepKind::ProcessVerifier:
        call(sim.setProcessVerifier(handle(s.process), s.processVerifier));
        break;
    case StepKind::Expect:
        break;
    case StepKind::Quiz:
        answerQuiz(s, out);
        // In the log with the narration: the question, and the engine's answer with its reason.
        sim.narrate("Quiz: " + s.text + " The engine's answer: " + out.answer + ". " + out.why);
        break;
    }
    return out;
}

std::string ScenarioRunner::stepNameOf(D3DKMT_HANDLE allocation) const
{
    const auto nameIn = [](const std::string& resource, const std::vector<D3DKMT_HANDLE>& list, std::size_t at) {
        // "tex[0]" of a resource with one allocation is just "tex".
        return list.size() == 1 ? resource : resource + "[" + std::to_string(at) + "]";
    };
    const std::optional<sim::AllocationInfo> info = m_sim->allocation(allocation);
    if (!info) {
        // Destroyed: the name the steps gave it while it lived (a search, for the rare row that shows one).
        for (const auto& [resource, list] : *m_resourceAllocations)
            if (const auto at = std::find(list.begin(), list.end(), allocation); at != list.end())
                return nameIn(resource, list, static_cast<std::size_t>(at - list.begin()));
        return {};
    }
    const std::string resource = m_sim->resourceName(info->resource);
    const auto it = m_resourceAllocations->find(resource);
    if (resource.empty() || it == m_resourceAllocations->end())
        return {};
    const std::vector<D3DKMT_HANDLE>& list = it->second;
    const auto at = std::find(list.begin(), list.end(), allocation);
    if (at == list.end())
        return {}; // another resource of that name: not what the step's name stands for now
    return nameIn(resource, list, static_cast<std::size_t>(at - list.begin()));
}

std::string ScenarioRunner::allocationName(D3DKMT_HANDLE allocation) const
{
    if (std::string step = stepNameOf(allocation); !step.empty())
        return step;
    return formatHex(allocation);
}

void ScenarioRunner::answerQuiz(const Step& s, StepOutcome& out) const
{
    const sim::Simulator& sim = *m_sim;
    if (s.quiz == "nextVictim") {
        // The first offer in memory of the segment's queue: LOW, then NORMAL, then HIGH.
        for (int l = 0; l < sim::kOfferLevelCount && out.answer.empty(); ++l)
            for (D3DKMT_HANDLE h : sim.discardOrder(s.segment, static_cast<sim::OfferLevel>(l)))
                if (const auto a = sim.allocation(h); a && a->resident) {
                    out.answer = allocationName(h);
                    out.why = "It is first in the discard queue of " + sim.adapterConfig().segments[s.segment].name
                        + ": VidMm takes offers in memory LOW first, then NORMAL, then HIGH, and within a level ("
                        + std::string(sim::withinPriorityOrderName(sim.policy().withinPriorityOrder))
                        + ") the one offered "
                        + (sim.policy().withinPriorityOrder == sim::WithinPriorityOrder::OldestOfferFirst ? "first"
                                                                                                          : "by size")
                        + "; '" + out.answer + "' is " + std::string(offerPriorityName(a->effectivePriority)) + ".";
                    break;
                }
        if (out.answer.empty()) {
            out.answer = "none";
            out.why = "No offer of the segment is in memory: pressure would evict allocations in use instead.";
        }
    } else if (s.quiz == "reclaim") {
        // The reclaim, on a copy: the state does not change.
        sim::Simulator copy = sim;
        const D3DKMT_HANDLE h = handle(s.subject.find('[') == std::string::npos ? s.subject + "[0]" : s.subject);
        const auto a = copy.allocation(h);
        const D3DKMT_HANDLE queue = a ? m_firstQueue.count(a->device) ? m_firstQueue.at(a->device) : 0 : 0;
        D3DKMT_RECLAIMALLOCATIONS2 args;
        args.hPagingQueue = queue;
        args.HandleList = &h;
        args.NumAllocations = 1;
        ReclaimResult result = ReclaimResult::Ok;
        args.pResults = &result;
        const std::uint64_t seen = copy.eventLog().lastSeq();
        const Status status = copy.reclaimAllocations2(args);
        out.answer = status.ok() ? std::string(reclaimResultName(result)) : std::string(ntStatusName(status.code()));
        for (std::uint64_t seq = seen + 1; seq <= copy.eventLog().lastSeq(); ++seq)
            if (const events::Event* e = copy.eventLog().bySeq(seq); e != nullptr && !e->explanation.empty())
                out.why = e->explanation;
        if (!status.ok())
            out.why = status.message();
    } else if (s.quiz == "trim") {
        const auto usage = sim.processUsage(handle(s.subject), MemorySegmentGroup::Local);
        const std::uint64_t used = usage ? usage->usage : 0;
        const std::uint64_t trim = used > s.bytes ? used - s.bytes : 0;
        out.answer = formatBytes(trim);
        out.why = s.subject + " uses " + formatBytes(used)
            + " of LOCAL memory as the budget counts it; with a budget of " + formatBytes(s.bytes)
            + " the trim notification asks for " + formatBytes(trim) + ".";
    }
}

void ScenarioRunner::check(const Step& step)
{
    for (const Expectation& e : step.expectations) {
        ++m_checked;
        std::string failure;
        switch (e.kind) {
        case Expectation::Kind::Status:
            if (m_lastCall == kNone)
                failure = "expected status " + std::string(ntStatusName(e.status)) + ", but no call ran before";
            else if (m_outcomes[m_lastCall].status != e.status)
                failure = "expected " + std::string(ntStatusName(e.status)) + " from step "
                    + std::to_string(m_outcomes[m_lastCall].step + 1) + ", but it returned "
                    + std::string(ntStatusName(m_outcomes[m_lastCall].status))
                    + (m_outcomes[m_lastCall].status.message().empty()
                            ? ""
                            : " (" + m_outcomes[m_lastCall].status.message() + ")");
            break;
        case Expectation::Kind::Result: {
            if (m_lastReclaim == kNone) {
                failure = "expected reclaim result " + std::string(reclaimResultName(e.result)) + " for '" + e.name
                    + "', but no reclaim ran before";
                break;
            }
            auto it = std::find_if(m_outcomes[m_lastReclaim].results.begin(), m_outcomes[m_lastReclaim].results.end(),
                [&e](const auto& r) { return r.first == e.name; });
            if (it == m_outcomes[m_lastReclaim].results.end())
                failure = "expected reclaim result " + std::string(reclaimResultName(e.result)) + " for '" + e.name
                    + "', but the last reclaim (step " + std::to_string(m_outcomes[m_lastReclaim].step + 1) + ") "
                    + (ntSuccess(m_outcomes[m_lastReclaim].status)
                            ? "did not name it"
                            : "failed: " + std::string(ntStatusName(m_outcomes[m_lastReclaim].status)));
            else if (it->second != e.result)
                failure = "expected reclaim result " + std::string(reclaimResultName(e.result)) + " for '" + e.name
                    + "', but it was " + std::string(reclaimResultName(it->second));
            break;
        }
        case Expectation::Kind::State: {
            std::vector<D3DKMT_HANDLE> handles;
            if (e.name.find('[') != std::string::npos)
                handles.push_back(handle(e.name));
            else if (auto it = m_resourceAllocations->find(e.name); it != m_resourceAllocations->end())
                handles = it->second;
            for (D3DKMT_HANDLE h : handles) {
                const auto info = m_sim->allocation(h);
                const sim::AllocationState actual = info ? info->state : sim::AllocationState::Destroyed;
                if (actual != e.state) {
                    failure = "expected '" + e.name + "' to be " + std::string(sim::allocationStateName(e.state))
                        + ", but it is " + std::string(sim::allocationStateName(actual));
                    break;
                }
            }
            break;
        }
        case Expectation::Kind::SegmentTotal: {
            std::uint32_t segment = 0;
            for (std::uint32_t i = 0; i < m_scenario.adapter.segments.size(); ++i)
                if (m_scenario.adapter.segments[i].name == e.name)
                    segment = i;
            const sim::SegmentUsage u = m_sim->segmentUsage(segment);
            const std::map<std::string, std::uint64_t> figures = {
                { "committed", u.committed },
                { "resident", u.resident },
                { "inUse", u.inUse },
                { "offered",
                    u.offeredByPriority[1] + u.offeredByPriority[2] + u.offeredByPriority[3] + u.offeredByPriority[4] },
                { "offeredLow", u.offeredByPriority[1] },
                { "offeredNormal", u.offeredByPriority[2] },
                { "offeredHigh", u.offeredByPriority[3] },
                { "offeredAuto", u.offeredByPriority[4] },
                { "evicted", u.evicted },
                { "discarded", u.discarded },
                { "decommitted", u.decommitted },
                { "free", u.free() },
            };
            const std::uint64_t actual = figures.at(e.field);
            if (actual != e.bytes)
                failure = "expected " + e.field + " of segment '" + e.name + "' to be " + formatBytes(e.bytes)
                    + ", but it is " + formatBytes(actual);
            break;
        }
        case Expectation::Kind::ProcessTotal: {
            const D3DKMT_HANDLE process = handle(e.name);
            std::uint64_t actual = 0;
            if (e.field == "decommittable") {
                D3DKMT_QUERYPROCESSOFFERINFO info;
                info.hProcess = process;
                m_sim->queryProcessOfferInfo(info);
                actual = info.DecommittableBytes;
            } else {
                const auto usage = m_sim->processUsage(process, e.group);
                actual = e.field == "budget" ? usage->budget : usage->usage;
            }
            if (actual != e.bytes)
                failure = "expected " + e.field + " of process '" + e.name + "' ("
                    + std::string(segmentGroupName(e.group)) + ") to be " + formatBytes(e.bytes) + ", but it is "
                    + formatBytes(actual);
            break;
        }
        }
        if (!failure.empty())
            m_failures.push_back(ExpectationFailure { step.index, where(e.at) + ": " + failure });
    }
}

} // namespace offerscope::scenario
