// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/LiveWorld.h"

#include "core/Units.h"
#include "core/scenario/StepCalls.h"

#include <algorithm>
#include <mutex>
#include <thread>

namespace offerscope::live {

namespace {

/// Why a kind of step cannot run on a live source ("" when it can).
std::string notOnLiveSource(scenario::StepKind kind)
{
    using scenario::StepKind;
    switch (kind) {
    case StepKind::Lock:
    case StepKind::Unlock:
        return "Lock2 needs the runtime's mapping of the probe; the live source does not lock probes";
    case StepKind::Gpu:
    case StepKind::Wait:
        return "the live source submits no GPU work of its own";
    case StepKind::Advance:
        return "the live source runs in real time: the model's clock moves, the machine's does not";
    case StepKind::SetPriority:
        return "D3DKMTSetAllocationPriority is not offered for probes";
    case StepKind::Budget:
        return "budgets are the operating system's to set; the live source only reads them";
    case StepKind::SystemPressure:
        return "the live source cannot make the system short of commit";
    case StepKind::Policy:
    case StepKind::Verifier:
    case StepKind::ProcessVerifier:
        return "a setting of the model only: the driver has its own behaviour";
    case StepKind::Quiz:
        return "a lesson's question, answered by the model: the driver is not asked";
    default:
        return {};
    }
}

std::string outcomeWords(const scenario::StepOutcome& o)
{
    std::string text = std::string(ntStatusName(o.status));
    for (const auto& [name, result] : o.results)
        text += " " + name + "=" + std::string(reclaimResultName(result));
    return text;
}

} // namespace

sim::AdapterConfig adapterConfigFrom(const AdapterDesc& adapter)
{
    sim::AdapterConfig config;
    config.name = adapter.description;
    for (const SegmentDesc& s : adapter.segments)
        if (s.size > 0)
            config.segments.push_back({ s.name, s.size, s.group, s.aperture });
    if (config.segments.empty())
        config.segments.push_back(
            { "unknown (the live source gave no sizes)", 256 * kMiB, MemorySegmentGroup::Local, false });
    return config;
}

scenario::Scenario liveModelScenario(scenario::Scenario s, const AdapterDesc* adapter, const LiveSample& sample)
{
    if (adapter != nullptr)
        s.adapter = adapterConfigFrom(*adapter);
    else if (s.adapter.segments.empty())
        s.adapter.segments.push_back({ "unknown (the live source gave no adapter)", 256 * kMiB, MemorySegmentGroup::Local, false });
    if (s.processes.empty()) {
        scenario::ProcessSpec p;
        p.name = LiveBackend::kOwnProcessName;
        for (const MemoryInfoReading& g : sample.groups)
            p.budget[static_cast<int>(g.group)] = g.budget;
        scenario::DeviceSpec d;
        d.name = "probes";
        p.devices.push_back(std::move(d));
        s.processes.push_back(std::move(p));
    }
    // Segment numbers beyond the live adapter's fall back to its first segment.
    const auto segments = static_cast<std::uint32_t>(s.adapter.segments.size());
    for (scenario::Step& step : s.steps)
        if (step.segment >= segments)
            step.segment = 0;
    return s;
}

LiveWorld::LiveWorld(
    std::unique_ptr<LiveBackend> backend, scenario::Scenario scenario, std::optional<LiveSample> firstReading)
    : m_backend(std::move(backend))
{
    // The views read the event log on this thread; readings on a worker wait until applySample().
    m_backend->setLogThread(std::this_thread::get_id());
    m_info.kind = world::WorldKind::Live;
    m_info.name = "live: " + m_backend->info().name;
    m_info.sourceWords = "the live source";
    m_info.canStepBack = false;
    m_info.canAct = true;
    m_info.clockName = "time since the live source was opened";
    m_info.discardOrderNote = "The program's probes offered on the live source, in the order the model would discard "
                              "them: the driver decides the real order, which no D3DKMT call reports; its reclaim "
                              "results show what it did.";
    const std::vector<AdapterDesc> adapters = m_backend->adapters();
    if (!adapters.empty()) {
        m_adapter = adapters.front();
        m_sample = firstReading ? std::move(*firstReading) : readSample();
        m_backend->takePending();
    }
    start(std::move(scenario));
}

void LiveWorld::reload(scenario::Scenario scenario)
{
    destroyProbes();
    m_probes.clear();
    m_records.clear();
    m_handles.clear();
    m_resourceAllocations.clear();
    m_timeline.clear();
    m_offers = 0;
    ++m_revision;
    ++m_timelineEpoch;
    if (m_adapter && m_readsAfterSteps)
        m_sample = readSample();
    start(std::move(scenario));
}

void LiveWorld::start(scenario::Scenario scenario)
{
    m_segmentIds.clear();
    if (m_adapter)
        for (const SegmentDesc& seg : m_adapter->segments)
            if (seg.size > 0)
                m_segmentIds.push_back(seg.segmentId);
    m_model = std::make_unique<session::Session>(
        liveModelScenario(std::move(scenario), m_adapter ? &*m_adapter : nullptr, m_sample));
    m_segmentIds.resize(m_model->simulator().adapterConfig().segments.size());
    // Every process, device and paging queue of the scenario is the program itself on the live source.
    for (const scenario::ProcessSpec& p : m_model->scenario().processes) {
        m_handles[p.name] = 0; // NULL hProcess: the current process
        for (const scenario::DeviceSpec& d : p.devices) {
            m_handles[d.name] = m_backend->probeDevice();
            for (const std::string& q : d.pagingQueues)
                m_handles[q] = m_backend->probePagingQueue();
        }
    }
    m_timeline.push_back(point());
}

LiveWorld::~LiveWorld()
{
    if (m_backend)
        destroyProbes();
}

std::unique_ptr<LiveBackend> LiveWorld::takeBackend()
{
    destroyProbes();
    return std::move(m_backend);
}

void LiveWorld::destroyProbes()
{
    // Real resources on a real device: the ones this world made go when it goes.
    std::vector<D3DKMT_HANDLE> resources;
    for (Probe& p : m_probes) {
        if (p.state != sim::AllocationState::Destroyed
            && std::find(resources.begin(), resources.end(), p.resource) == resources.end())
            resources.push_back(p.resource);
        p.state = sim::AllocationState::Destroyed;
    }
    const std::lock_guard lock(m_backend->callMutex());
    for (D3DKMT_HANDLE r : resources)
        m_backend->destroyResource(m_backend->probeDevice(), r);
    m_backend->releasePressure();
}

void LiveWorld::sample()
{
    if (m_adapter)
        applySample(readSample());
}

LiveSample LiveWorld::readSample()
{
    if (!m_adapter)
        return {};
    const std::lock_guard lock(m_backend->callMutex());
    return m_backend->sample(m_adapter->luid);
}

void LiveWorld::applySample(LiveSample reading)
{
    m_backend->takePending();
    if (!m_adapter)
        return;
    m_sample = std::move(reading);
    m_timeline.back() = point();
    ++m_revision;
    ++m_timelineEpoch;
}

bool LiveWorld::stepForward()
{
    if (m_model->atEnd())
        return false;
    const scenario::Step& step = m_model->scenario().steps[m_model->position()];
    LiveStepRecord record = runLive(step);
    m_model->stepForward();
    record.model = m_model->runner().outcomes().back();
    afterStep(std::move(record));
    return true;
}

void LiveWorld::seek(std::size_t position)
{
    while (m_model->position() < position && stepForward()) {
    }
}

void LiveWorld::dropAhead()
{
    // Steps after the position are dropped by the model; so are their points and records.
    if (m_timeline.size() > m_model->position() + 1)
        ++m_timelineEpoch;
    m_timeline.resize(m_model->position() + 1);
    while (!m_records.empty() && m_records.back().step >= m_model->position())
        m_records.pop_back();
}

const LiveStepRecord& LiveWorld::applyStep(scenario::Step step)
{
    dropAhead();
    step.index = m_model->position();
    LiveStepRecord record = runLive(step);
    record.model = m_model->apply(std::move(step));
    afterStep(std::move(record));
    return m_records.back();
}

const LiveStepRecord& LiveWorld::applyCalled(LiveCall call)
{
    dropAhead();
    call.step.index = m_model->position();
    scenario::Step step = call.step;
    m_backend->takePending(); // what came before the step (readings, problems) comes first
    LiveStepRecord record = takeIn(std::move(call), m_backend->eventLog().lastSeq());
    record.model = m_model->apply(std::move(step));
    afterStep(std::move(record));
    return m_records.back();
}

void LiveWorld::afterStep(LiveStepRecord record)
{
    record.step = m_model->position() - 1;
    record.live.step = record.step;
    if (record.ran && record.live.call && record.model.call
        && (record.live.status != record.model.status || record.live.results != record.model.results))
        record.difference = "the driver answered " + outcomeWords(record.live) + ", the model predicted "
            + outcomeWords(record.model);
    m_records.push_back(std::move(record));
    if (m_adapter && m_readsAfterSteps)
        m_sample = readSample();
    m_backend->takePending();
    m_timeline.push_back(point());
    ++m_revision;
}

LiveStepRecord LiveWorld::runLive(const scenario::Step& s)
{
    const std::uint64_t before = m_backend->eventLog().lastSeq();
    LiveCallContext context = callContext();
    return takeIn(callLive(s, context), before);
}

std::string LiveWorld::probeDeviceName() const
{
    for (const scenario::ProcessSpec& p : m_model->scenario().processes)
        if (!p.devices.empty())
            return p.devices.front().name;
    return "probes";
}

LiveCallContext LiveWorld::callContext() const
{
    return { m_handles, m_resourceAllocations, m_segmentIds, m_adapter ? m_adapter->hAdapter : 0 };
}

LiveCall LiveWorld::callLive(scenario::Step step, LiveCallContext& context)
{
    using scenario::StepKind;
    LiveCall called;
    called.step = std::move(step);
    const scenario::Step& s = called.step;
    LiveStepRecord& record = called.record;
    record.step = s.index;
    scenario::StepOutcome& out = record.live;
    if (std::string why = notOnLiveSource(s.kind); !why.empty()) {
        record.ran = false;
        record.notRun = "'" + std::string(scenario::stepKindName(s.kind)) + "' does not run on a live source: " + why;
    }
    LiveBackend& live = *m_backend;
    const std::lock_guard lock(live.callMutex()); // a reading on the worker waits, or this waits for it
    // On a worker, the step keeps its own events: its world places them with it.
    struct Capture {
        LiveBackend& backend;
        Capture(LiveBackend& b, std::vector<events::Event>* into)
            : backend(b)
        {
            backend.captureEvents(into);
        }
        ~Capture() { backend.captureEvents(nullptr); }
    } capture(live, live.onLogThread() ? nullptr : &called.events);
    const D3DKMT_HANDLE device = live.probeDevice();
    const scenario::NameTable names { context.handles, context.resourceAllocations };
    auto call = [&out](Status status) {
        out.call = true;
        out.status = status;
    };
    if (record.ran) {
        switch (s.kind) {
        case StepKind::Say:
            live.narrate(s.text);
            break;
        case StepKind::Create: {
            CreateResourceArgs args;
            args.hDevice = device;
            args.allocationSizes.assign(s.count, s.bytes);
            args.segmentId = s.segment < context.segmentIds.size() && context.segmentIds[s.segment]
                ? *context.segmentIds[s.segment]
                : 0;
            args.residencyPriority = s.residencyPriority;
            args.present = s.present;
            args.makeResident = s.resident;
            args.name = s.name;
            CreatedResource created;
            call(live.createResource(args, created));
            if (ntSuccess(out.status)) {
                context.handles[s.name] = created.hResource;
                context.resourceAllocations[s.name] = created.allocations;
                for (std::size_t i = 0; i < created.allocations.size(); ++i)
                    context.handles[s.name + "[" + std::to_string(i) + "]"] = created.allocations[i];
                called.created = std::move(created);
            }
            break;
        }
        case StepKind::Destroy:
            call(live.destroyResource(device, names.handle(s.name)));
            break;
        case StepKind::Offer:
        case StepKind::Reclaim:
        case StepKind::MakeResident:
        case StepKind::Evict:
        case StepKind::Reserve:
        case StepKind::Trim: {
            // The same D3DKMT arguments the scenario runner builds (StepCalls), on the probe device and
            // queue; NULL hProcess: the program itself.
            const scenario::CallTarget target { device, live.probePagingQueue(), 0, context.hAdapter };
            scenario::runStepCall(live, s, names, target, true, out);
            break;
        }
        case StepKind::Pressure:
            // Another process' commit cannot be made here: the program's own filler stands in for it.
            live.narrate("'" + s.process + "' commits " + formatBytes(s.bytes)
                + ": on a live source the program's own filler resources make this pressure");
            call(live.addPressure(s.bytes));
            break;
        default:
            break;
        }
    }
    return called;
}

LiveStepRecord LiveWorld::takeIn(LiveCall call, std::uint64_t before)
{
    m_backend->adopt(std::move(call.events)); // what the step recorded on a worker
    const scenario::Step& s = call.step;
    if (call.created) {
        m_handles[s.name] = call.created->hResource;
        m_resourceAllocations[s.name] = call.created->allocations;
        for (std::size_t i = 0; i < call.created->allocations.size(); ++i)
            m_handles[s.name + "[" + std::to_string(i) + "]"] = call.created->allocations[i];
    }
    LiveStepRecord record = std::move(call.record);
    scenario::StepOutcome& out = record.live;
    out.firstEvent = before + 1;
    out.lastEvent = m_backend->eventLog().lastSeq();
    // A live call's words are the event it logged when the call itself did not say.
    if (out.call && !out.status.ok() && out.status.message().empty() && out.lastEvent >= out.firstEvent)
        if (const events::Event* e = m_backend->eventLog().bySeq(out.lastEvent))
            out.status = Status(out.status.code(), e->explanation);
    if (out.call && ntSuccess(out.status))
        follow(s, out);
    if (s.kind == scenario::StepKind::Expect)
        check(s, record);
    return record;
}

std::vector<D3DKMT_HANDLE> LiveWorld::allocationsNamed(const scenario::Step& s) const
{
    std::vector<std::string> resources;
    for (const std::string& n : s.names)
        resources.push_back(n.substr(0, n.find('[')));
    const scenario::NameTable names { m_handles, m_resourceAllocations };
    return names.allocations(s.by == scenario::HandleArray::Resources ? resources : s.names);
}

LiveWorld::Probe* LiveWorld::probe(D3DKMT_HANDLE handle)
{
    for (Probe& p : m_probes)
        if (p.handle == handle && handle != 0 && p.state != sim::AllocationState::Destroyed)
            return &p;
    return nullptr;
}

void LiveWorld::follow(const scenario::Step& s, const scenario::StepOutcome& out)
{
    using scenario::StepKind;
    using sim::AllocationState;
    switch (s.kind) {
    case StepKind::Create: {
        const std::vector<D3DKMT_HANDLE>& created = m_resourceAllocations[s.name];
        for (std::size_t i = 0; i < created.size(); ++i) {
            Probe p;
            p.handle = created[i];
            p.resource = m_handles[s.name];
            p.name = created.size() > 1 ? s.name + "[" + std::to_string(i) + "]" : s.name;
            p.size = s.bytes;
            p.segment = s.segment;
            p.residencyPriority = s.residencyPriority;
            p.ordinal = static_cast<std::uint32_t>(i);
            p.resourceAllocations = static_cast<std::uint32_t>(created.size());
            p.state = s.resident ? AllocationState::Resident : AllocationState::Evicted;
            m_probes.push_back(std::move(p));
        }
        break;
    }
    case StepKind::Destroy:
        for (Probe& p : m_probes)
            if (p.resource == m_handles[s.name])
                p.state = AllocationState::Destroyed;
        break;
    case StepKind::Offer:
        ++m_offers;
        for (D3DKMT_HANDLE h : allocationsNamed(s))
            if (Probe* p = probe(h)) {
                p->state = AllocationState::Offered;
                p->priority = s.priority;
                p->allowDecommit = (s.flags & D3DKMT_OFFER_FLAGS::kAllowDecommit) != 0;
                p->offerTime = m_offers;
            }
        break;
    case StepKind::Reclaim:
        for (const auto& [label, result] : out.results) {
            const auto named = m_resourceAllocations.find(label);
            std::vector<D3DKMT_HANDLE> handles = named != m_resourceAllocations.end()
                ? named->second
                : std::vector<D3DKMT_HANDLE> { scenario::NameTable { m_handles, m_resourceAllocations }.handle(label) };
            for (D3DKMT_HANDLE h : handles)
                if (Probe* p = probe(h)) {
                    // OK and DISCARDED both give the memory back (DISCARDED: with its content lost);
                    // NOT_COMMITTED: the backing store is gone, only destroy is left.
                    p->state = result == ReclaimResult::NotCommitted ? AllocationState::Decommitted : AllocationState::Resident;
                    p->priority = OfferPriority::None;
                }
        }
        break;
    case StepKind::MakeResident:
    case StepKind::Evict:
        for (D3DKMT_HANDLE h : scenario::NameTable { m_handles, m_resourceAllocations }.allocations(s.names))
            if (Probe* p = probe(h); p != nullptr && p->state != AllocationState::Offered)
                p->state = s.kind == StepKind::Evict ? AllocationState::Evicted : AllocationState::Resident;
        break;
    default:
        break;
    }
}

void LiveWorld::check(const scenario::Step& s, LiveStepRecord& record) const
{
    // The live outcome each expectation looks at: the last call, the last reclaim (as the runner).
    const LiveStepRecord* lastCall = nullptr;
    const LiveStepRecord* lastReclaim = nullptr;
    for (const LiveStepRecord& r : m_records) {
        if (r.step >= s.index)
            break;
        if (r.ran && r.live.call)
            lastCall = &r;
        if (r.ran && m_model->scenario().steps[r.step].kind == scenario::StepKind::Reclaim)
            lastReclaim = &r;
    }
    const std::string where = m_model->scenario().fileName;
    for (const scenario::Expectation& e : s.expectations) {
        const std::string at = where + ":" + std::to_string(e.at.line) + ":" + std::to_string(e.at.column) + ": ";
        if (e.kind == scenario::Expectation::Kind::Status) {
            if (lastCall != nullptr && lastCall->live.status != e.status)
                record.expectationFailures.push_back(at + "expected " + std::string(ntStatusName(e.status)) + " from step "
                    + std::to_string(lastCall->step + 1) + ", but the driver returned "
                    + std::string(ntStatusName(lastCall->live.status)));
        } else if (e.kind == scenario::Expectation::Kind::Result) {
            if (lastReclaim == nullptr)
                continue;
            const auto& results = lastReclaim->live.results;
            auto it = std::find_if(results.begin(), results.end(), [&e](const auto& r) { return r.first == e.name; });
            if (it == results.end())
                record.expectationFailures.push_back(at + "expected " + std::string(reclaimResultName(e.result))
                    + " for '" + e.name + "', but the driver gave no result for it");
            else if (it->second != e.result)
                record.expectationFailures.push_back(at + "expected " + std::string(reclaimResultName(e.result))
                    + " for '" + e.name + "', but the driver gave " + std::string(reclaimResultName(it->second)));
        } else {
            // States and totals are the model's bookkeeping; no D3DKMT call reports them per allocation.
            ++record.expectationsSkipped;
        }
    }
}

session::TimelinePoint LiveWorld::point() const
{
    session::TimelinePoint p;
    p.position = m_model->position();
    p.lastSeq = m_backend->eventLog().lastSeq();
    p.time = m_sample.atMs * 1000;
    const auto& segments = m_model->simulator().adapterConfig().segments;
    for (std::uint32_t i = 0; i < segments.size(); ++i) {
        session::SegmentSample s;
        s.size = segments[i].size;
        std::uint64_t own = 0, offered = 0;
        for (const Probe& probe : m_probes) {
            if (probe.segment != i || probe.state == sim::AllocationState::Destroyed
                || probe.state == sim::AllocationState::Decommitted)
                continue;
            own += probe.size;
            if (probe.state == sim::AllocationState::Offered) {
                s.offered[static_cast<int>(probe.priority)] += probe.size;
                offered += probe.size;
            }
        }
        // What the driver reports for the whole segment (every process), where it reports it;
        // otherwise what the program knows of its own probes.
        std::uint64_t committed = own;
        if (i < m_segmentIds.size() && m_segmentIds[i]) {
            for (const SegmentReading& r : m_sample.segments) {
                if (r.segmentId != *m_segmentIds[i])
                    continue;
                if (r.commitLimit && *r.commitLimit > 0)
                    s.size = *r.commitLimit;
                if (r.bytesCommitted)
                    committed = std::max(*r.bytesCommitted, offered);
            }
        }
        s.inUse = committed - offered;
        s.free = s.size > committed ? s.size - committed : 0;
        p.segments.push_back(s);
    }
    return p;
}

void LiveWorld::allocationSummaries(std::vector<sim::AllocationSummary>& out) const
{
    out.clear();
    for (const Probe& p : m_probes) {
        if (p.state == sim::AllocationState::Destroyed)
            continue;
        sim::AllocationSummary a;
        a.handle = p.handle;
        a.resource = p.resource;
        a.process = 0;
        a.size = p.size;
        a.offerTime = p.offerTime;
        a.ordinal = p.ordinal;
        a.resourceAllocations = p.resourceAllocations;
        a.segment = static_cast<std::uint8_t>(p.segment);
        a.state = p.state;
        a.requestedPriority = p.priority;
        a.effectivePriority = p.priority;
        if (p.priority == OfferPriority::Auto) {
            // The level AUTO lands in is the driver's choice: show the model's, from the model's offer
            // where it has one in effect, else by the model's rule (its copy may be gone or reclaimed).
            const D3DKMT_HANDLE modelHandle = m_model->runner().handle(p.name);
            const auto m = m_model->simulator().allocation(modelHandle);
            a.effectivePriority = m && m->effectivePriority != OfferPriority::None && m->effectivePriority != OfferPriority::Auto
                ? m->effectivePriority
                : sim::offerLevelPriority(sim::autoOfferLevel(p.residencyPriority));
        }
        // An offer leaves the content in memory until VidMm discards it (the driver does not say more).
        a.resident = p.state == sim::AllocationState::Resident || p.state == sim::AllocationState::Offered
            || p.state == sim::AllocationState::OfferPending;
        a.allowDecommit = p.allowDecommit;
        out.push_back(a);
    }
}

std::vector<D3DKMT_HANDLE> LiveWorld::discardOrder(std::uint32_t segment, sim::OfferLevel level) const
{
    std::vector<sim::AllocationSummary> all;
    allocationSummaries(all);
    std::vector<const sim::AllocationSummary*> at;
    for (const sim::AllocationSummary& a : all)
        if (a.state == sim::AllocationState::Offered && a.segment == segment
            && a.effectivePriority == sim::offerLevelPriority(level))
            at.push_back(&a);
    // The model's order for the same names, then the order of the offers.
    const std::vector<D3DKMT_HANDLE> modelOrder = m_model->simulator().discardOrder(segment, level);
    auto rank = [&](const sim::AllocationSummary* a) {
        const D3DKMT_HANDLE h = m_model->runner().handle(allocationName(a->handle));
        const auto it = std::find(modelOrder.begin(), modelOrder.end(), h);
        return std::make_pair(static_cast<std::size_t>(it - modelOrder.begin()), a->offerTime);
    };
    std::stable_sort(at.begin(), at.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
    std::vector<D3DKMT_HANDLE> out;
    for (const auto* a : at)
        out.push_back(a->handle);
    return out;
}

std::string LiveWorld::allocationName(D3DKMT_HANDLE allocation) const
{
    for (auto it = m_probes.rbegin(); it != m_probes.rend(); ++it)
        if (it->handle == allocation)
            return it->name;
    return {};
}

std::vector<world::BudgetRow> LiveWorld::budgets() const
{
    std::vector<world::BudgetRow> rows;
    for (const MemoryInfoReading& g : m_sample.groups) {
        world::BudgetRow row;
        row.process = kOwnProcess;
        row.processName = LiveBackend::kOwnProcessName;
        row.group = g.group;
        row.budget = g.budget;
        row.usage = g.currentUsage;
        row.reservation = g.currentReservation;
        row.source = g.source;
        for (const Probe& p : m_probes)
            if (p.state == sim::AllocationState::Offered && p.segment < adapterConfig().segments.size()
                && adapterConfig().segments[p.segment].group == g.group)
                row.offeredResident += p.size;
        rows.push_back(std::move(row));
    }
    // Other processes get keys after the program's own, one per name (a process has a row per group).
    std::map<std::string, std::uint32_t> keys;
    for (const ProcessGroupReading& r : m_sample.processes) {
        world::BudgetRow row;
        row.process = keys.emplace(r.process, kOwnProcess + 1 + static_cast<std::uint32_t>(keys.size())).first->second;
        row.processName = r.process;
        row.group = r.group;
        row.budget = r.budget;
        row.usage = r.usage;
        row.source = r.source;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<world::ProcessRow> LiveWorld::processes() const
{
    return { { kOwnProcess, LiveBackend::kOwnProcessName } };
}

std::string LiveWorld::processName(std::uint32_t process) const
{
    return process == kOwnProcess ? std::string(LiveBackend::kOwnProcessName) : std::string();
}

std::vector<std::string> LiveWorld::knownNames() const
{
    std::vector<std::string> out;
    for (const auto& [name, handle] : m_handles)
        out.push_back(name);
    return out;
}

std::string LiveWorld::callTextFor(std::uint64_t seq) const
{
    const events::Event* e = eventLog().bySeq(seq);
    return e != nullptr ? e->callText : std::string();
}

std::uint64_t LiveWorld::lastCallEvent() const
{
    // A live step's first event is its call.
    return world::lastCallEventAmong(
        m_records, [](const LiveStepRecord& r) { return r.ran && r.live.call ? &r.live : nullptr; },
        [](std::uint64_t) { return true; });
}

std::optional<world::StepReport> LiveWorld::lastStep() const
{
    if (m_records.empty() || position() == 0)
        return std::nullopt;
    const LiveStepRecord& r = m_records.back();
    world::StepReport report;
    report.step = r.step;
    report.ran = r.ran;
    report.notRun = r.notRun;
    report.outcome = r.ran ? r.live : r.model;
    report.difference = r.difference;
    return report;
}

std::vector<std::string> LiveWorld::expectationFailures() const
{
    std::vector<std::string> out;
    for (const LiveStepRecord& r : m_records)
        out.insert(out.end(), r.expectationFailures.begin(), r.expectationFailures.end());
    return out;
}

long LiveWorld::stepOfEvent(std::uint64_t seq) const
{
    for (const LiveStepRecord& r : m_records)
        if (seq >= r.live.firstEvent && seq <= r.live.lastEvent)
            return static_cast<long>(r.step);
    return -1;
}

} // namespace offerscope::live
