// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/SessionDocument.h"

#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioWriter.h"
#include "widgets/models/Format.h"

#include <QFile>
#include <QFileInfo>

namespace offerscope::models {

const sim::AllocationSummary* AllocationSnapshot::find(std::uint32_t handle) const
{
    const std::uint32_t slot = sim::Simulator::handleSlot(handle);
    if (slot >= rowOfSlot.size() || rowOfSlot[slot] == kNoRow)
        return nullptr;
    const sim::AllocationSummary& row = rows[rowOfSlot[slot]];
    return row.handle == handle ? &row : nullptr;
}

SessionDocument::SessionDocument(QObject* parent)
    : QObject(parent)
{
}

SessionDocument::~SessionDocument() = default;

bool SessionDocument::open(const QString& path, QString* error)
{
    scenario::Scenario parsed;
    std::string why;
    if (!scenario::readScenario(path.toStdString(), parsed, why)) {
        if (error != nullptr)
            *error = QString::fromStdString(why);
        return false;
    }
    load(std::move(parsed), path);
    return true;
}

void SessionDocument::load(scenario::Scenario scenario, const QString& path)
{
    if (m_live) {
        // The live source stays: the new scenario's steps will run on it.
        m_live = std::make_unique<live::LiveWorld>(m_live->takeBackend(), scenario);
    }
    m_session = std::make_unique<session::Session>(std::move(scenario));
    // A step costs the same every time; the window takes the checkpoints when it is idle.
    m_session->setCheckpointsDeferred(true);
    m_path = path;
    resetCaches();
    emit loaded();
    emit changed();
}

std::string SessionDocument::scenarioText() const
{
    if (!hasSession())
        return {};
    scenario::Scenario s = session().scenario();
    s.steps.resize(session().position());
    return scenario::writeScenario(s);
}

bool SessionDocument::save(const QString& path, QString* error) const
{
    if (!hasSession()) {
        if (error != nullptr)
            *error = tr("There is no session to save.");
        return false;
    }
    QFile file(path);
    const std::string text = scenarioText();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
        if (error != nullptr)
            *error = tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QString SessionDocument::title() const
{
    if (!hasSession())
        return {};
    const std::string& t = session().scenario().title;
    QString title = t.empty() ? QFileInfo(m_path).fileName() : QString::fromStdString(t);
    if (m_live)
        title = title.isEmpty() ? tr("live: %1").arg(QString::fromStdString(m_live->backend().info().name))
                                : tr("%1 (live: %2)").arg(title, QString::fromStdString(m_live->backend().info().name));
    return title;
}

bool SessionDocument::stepForward()
{
    if (m_live) {
        if (!m_live->stepForward())
            return false;
    } else if (!m_session || !m_session->stepForward()) {
        return false;
    }
    emit changed();
    return true;
}

bool SessionDocument::stepBack()
{
    // What a live source did cannot be undone: it only goes forward.
    if (m_live || !m_session || !m_session->stepBack())
        return false;
    emit changed();
    return true;
}

void SessionDocument::seek(std::size_t position)
{
    if (m_live) {
        bool moved = false;
        while (m_live->position() < position && m_live->stepForward())
            moved = true;
        if (moved)
            emit changed();
        return;
    }
    if (!m_session || position == m_session->position())
        return;
    m_session->seek(position);
    emit changed();
}

const scenario::StepOutcome& SessionDocument::apply(scenario::Step step)
{
    const scenario::StepOutcome& outcome = m_live ? m_live->apply(std::move(step)).live : m_session->apply(std::move(step));
    emit changed();
    return outcome;
}

void SessionDocument::openLive(std::unique_ptr<live::LiveBackend> backend)
{
    scenario::Scenario scenario = m_session ? m_session->scenario() : scenario::Scenario {};
    m_live = std::make_unique<live::LiveWorld>(std::move(backend), std::move(scenario));
    resetCaches();
    emit loaded();
    emit changed();
}

void SessionDocument::closeLive()
{
    if (!m_live)
        return;
    m_live.reset();
    resetCaches();
    emit loaded();
    emit changed();
}

void SessionDocument::readLive()
{
    if (!m_live)
        return;
    m_live->sample();
    emit changed();
}

void SessionDocument::resetCaches()
{
    m_names.clear();
    m_snapshot = {};
    m_discardOrders.clear();
}

const sim::EventLog& SessionDocument::eventLog() const
{
    return m_live ? m_live->backend().eventLog() : session().simulator().eventLog();
}

const std::vector<session::TimelinePoint>& SessionDocument::timeline() const
{
    return m_live ? m_live->timeline() : m_session->timeline();
}

std::size_t SessionDocument::position() const
{
    return session().position();
}

std::size_t SessionDocument::stepCount() const
{
    return session().stepCount();
}

std::uint64_t SessionDocument::revision() const
{
    // Live: readings change the state between steps too.
    return m_live ? m_live->revision() : m_session->revision();
}

std::uint64_t SessionDocument::timelineEpoch() const
{
    return m_live ? m_live->model().timelineEpoch() : m_session->timelineEpoch();
}

std::uint64_t SessionDocument::unchangedEventsSince(std::uint64_t sinceRevision) const
{
    // A live source's log only grows.
    return m_live ? m_live->backend().eventLog().lastSeq() : m_session->unchangedEventsSince(sinceRevision);
}

std::string SessionDocument::callTextFor(std::uint64_t seq) const
{
    if (!m_live)
        return m_session->callTextFor(seq);
    const sim::Event* e = m_live->backend().eventLog().bySeq(seq);
    return e != nullptr ? e->callText : std::string();
}

long SessionDocument::stepOfEvent(std::uint64_t seq) const
{
    return m_live ? m_live->stepOfEvent(seq) : m_session->stepOfEvent(seq);
}

std::uint64_t SessionDocument::lastCallEvent() const
{
    if (!m_live)
        return m_session ? m_session->lastCallEvent() : 0;
    const auto& records = m_live->records();
    for (auto it = records.rbegin(); it != records.rend() && it - records.rbegin() < 64; ++it)
        if (it->ran && it->live.call && it->live.lastEvent >= it->live.firstEvent)
            return it->live.firstEvent;
    return 0;
}

std::vector<SessionDocument::BudgetFigures> SessionDocument::budgets() const
{
    std::vector<BudgetFigures> out;
    if (m_live) {
        std::uint32_t key = 0;
        for (const live::LiveBudgetRow& r : m_live->budgets())
            out.push_back({ key++, QString::fromStdString(r.process), r.group, r.budget, r.usage, r.reservation, r.offered });
        return out;
    }
    if (!m_session)
        return out;
    const sim::Simulator& sim = m_session->simulator();
    for (D3DKMT_HANDLE p : sim.processes()) {
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            const auto usage = sim.processUsage(p, static_cast<MemorySegmentGroup>(g));
            if (usage)
                out.push_back({ p, processName(p), static_cast<MemorySegmentGroup>(g), usage->budget, usage->usage,
                    usage->reservation, usage->offeredResident });
        }
    }
    return out;
}

const AllocationSnapshot& SessionDocument::allocations() const
{
    if (m_live && m_snapshot.revision != m_live->revision()) {
        m_live->allocationSummaries(m_snapshot.rows);
        // Live handles are the source's; slots index them only while they stay small.
        std::uint32_t slotCount = 0;
        for (const sim::AllocationSummary& r : m_snapshot.rows)
            slotCount = std::max(slotCount, sim::Simulator::handleSlot(r.handle) + 1);
        m_snapshot.rowOfSlot.assign(std::min<std::uint32_t>(slotCount, 1u << 20), AllocationSnapshot::kNoRow);
        for (std::uint32_t i = 0; i < m_snapshot.rows.size(); ++i)
            if (const std::uint32_t slot = sim::Simulator::handleSlot(m_snapshot.rows[i].handle); slot < m_snapshot.rowOfSlot.size())
                m_snapshot.rowOfSlot[slot] = i;
        m_snapshot.revision = m_live->revision();
    } else if (!m_live && m_session && m_snapshot.revision != m_session->revision()) {
        const sim::Simulator& sim = m_session->simulator();
        // allocationSummaries() reserves exactly the live count: one allocation more (another
        // process' commit) would reallocate and page in megabytes. Keep room to grow.
        if (m_snapshot.rows.capacity() < sim.liveAllocationCount())
            m_snapshot.rows.reserve(sim.liveAllocationCount() + sim.liveAllocationCount() / 8 + 64);
        if (m_snapshot.rowOfSlot.capacity() < sim.allocationSlots())
            m_snapshot.rowOfSlot.reserve(sim.allocationSlots() + sim.allocationSlots() / 8 + 64);
        sim.allocationSummaries(m_snapshot.rows);
        m_snapshot.rowOfSlot.assign(sim.allocationSlots(), AllocationSnapshot::kNoRow);
        for (std::uint32_t i = 0; i < m_snapshot.rows.size(); ++i)
            m_snapshot.rowOfSlot[sim::Simulator::handleSlot(m_snapshot.rows[i].handle)] = i;
        m_snapshot.revision = m_session->revision();
    }
    return m_snapshot;
}

const std::vector<D3DKMT_HANDLE>& SessionDocument::discardOrder(std::uint32_t segment, sim::OfferLevel level) const
{
    static const std::vector<D3DKMT_HANDLE> none;
    if (!hasSession())
        return none;
    const std::size_t slot = std::size_t { segment } * sim::kOfferLevelCount + static_cast<std::size_t>(level);
    if (slot >= m_discardOrders.size())
        m_discardOrders.resize(slot + 1);
    CachedOrder& cached = m_discardOrders[slot];
    if (cached.revision != revision()) {
        cached.handles = m_live ? m_live->offered(segment, level) : m_session->simulator().discardOrder(segment, level);
        cached.revision = revision();
    }
    return cached.handles;
}

QString SessionDocument::allocationName(const sim::AllocationSummary& allocation) const
{
    const quint64 key = (quint64(allocation.resource) << 32) | allocation.handle;
    auto it = m_names.constFind(key);
    if (it != m_names.constEnd())
        return *it;
    QString name = QString::fromStdString(
        m_live ? m_live->allocationName(allocation.handle) : m_session->allocationName(allocation));
    if (name.isEmpty())
        name = handleText(allocation.handle);
    m_names.insert(key, name);
    return name;
}

QString SessionDocument::allocationName(std::uint32_t handle) const
{
    if (m_live) {
        const std::string name = m_live->allocationName(handle);
        return name.empty() ? handleText(handle) : QString::fromStdString(name);
    }
    if (!m_session)
        return handleText(handle);
    // A live allocation's name comes from the snapshot (the same name the scenario gave it); only a
    // destroyed one needs the scenario's name map, whose reverse index is rebuilt when names change.
    if (const sim::AllocationSummary* row = allocations().find(handle))
        return allocationName(*row);
    if (std::string name = m_session->scenarioName(handle); !name.empty())
        return QString::fromStdString(name);
    return handleText(handle);
}

QString SessionDocument::processName(std::uint32_t process) const
{
    if (m_live)
        return process == 0 ? QString::fromUtf8(live::LiveBackend::kOwnProcessName) : QString();
    return m_session ? QString::fromStdString(m_session->simulator().processName(process)) : QString();
}

QString SessionDocument::segmentName(std::uint32_t segment) const
{
    if (!hasSession())
        return {};
    const auto& segments = simulator().adapterConfig().segments;
    return segment < segments.size() ? QString::fromStdString(segments[segment].name) : QString::number(segment);
}

} // namespace offerscope::models
