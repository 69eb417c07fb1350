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
    m_session = std::make_unique<session::Session>(std::move(scenario));
    // A step costs the same every time; the window takes the checkpoints when it is idle.
    m_session->setCheckpointsDeferred(true);
    m_path = path;
    m_names.clear();
    m_snapshot = {};
    m_discardOrders.clear();
    emit loaded();
    emit changed();
}

std::string SessionDocument::scenarioText() const
{
    if (!m_session)
        return {};
    scenario::Scenario s = m_session->scenario();
    s.steps.resize(m_session->position());
    return scenario::writeScenario(s);
}

bool SessionDocument::save(const QString& path, QString* error) const
{
    if (!m_session) {
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
    if (!m_session)
        return {};
    const std::string& t = m_session->scenario().title;
    return t.empty() ? QFileInfo(m_path).fileName() : QString::fromStdString(t);
}

bool SessionDocument::stepForward()
{
    if (!m_session || !m_session->stepForward())
        return false;
    emit changed();
    return true;
}

bool SessionDocument::stepBack()
{
    if (!m_session || !m_session->stepBack())
        return false;
    emit changed();
    return true;
}

void SessionDocument::seek(std::size_t position)
{
    if (!m_session || position == m_session->position())
        return;
    m_session->seek(position);
    emit changed();
}

const scenario::StepOutcome& SessionDocument::apply(scenario::Step step)
{
    const scenario::StepOutcome& outcome = m_session->apply(std::move(step));
    emit changed();
    return outcome;
}

const AllocationSnapshot& SessionDocument::allocations() const
{
    if (m_session && m_snapshot.revision != m_session->revision()) {
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
    if (!m_session)
        return none;
    const std::size_t slot = std::size_t { segment } * sim::kOfferLevelCount + static_cast<std::size_t>(level);
    if (slot >= m_discardOrders.size())
        m_discardOrders.resize(slot + 1);
    CachedOrder& cached = m_discardOrders[slot];
    if (cached.revision != m_session->revision()) {
        cached.handles = m_session->simulator().discardOrder(segment, level);
        cached.revision = m_session->revision();
    }
    return cached.handles;
}

QString SessionDocument::allocationName(const sim::AllocationSummary& allocation) const
{
    const quint64 key = (quint64(allocation.resource) << 32) | allocation.handle;
    auto it = m_names.constFind(key);
    if (it != m_names.constEnd())
        return *it;
    QString name = QString::fromStdString(m_session->allocationName(allocation));
    if (name.isEmpty())
        name = handleText(allocation.handle);
    m_names.insert(key, name);
    return name;
}

QString SessionDocument::allocationName(std::uint32_t handle) const
{
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
    return m_session ? QString::fromStdString(m_session->simulator().processName(process)) : QString();
}

QString SessionDocument::segmentName(std::uint32_t segment) const
{
    if (!m_session)
        return {};
    const auto& segments = m_session->simulator().adapterConfig().segments;
    return segment < segments.size() ? QString::fromStdString(segments[segment].name) : QString::number(segment);
}

} // namespace offerscope::models
