// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/SessionDocument.h"

#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioWriter.h"
#include "core/session/Session.h"
#include "widgets/models/Format.h"

#include <QFile>
#include <QFileInfo>
#include <algorithm>

namespace offerscope::models {

Refreshable::~Refreshable()
{
    if (m_refreshedBy != nullptr)
        m_refreshedBy->removeView(this);
}

const sim::AllocationSummary* AllocationSnapshot::find(std::uint32_t handle) const
{
    if (!rowOfSlot.empty()) {
        const std::uint32_t slot = sim::Simulator::handleSlot(handle);
        if (slot >= rowOfSlot.size() || rowOfSlot[slot] == kNoRow)
            return nullptr;
        const sim::AllocationSummary& row = rows[rowOfSlot[slot]];
        return row.handle == handle ? &row : nullptr;
    }
    const auto it = std::lower_bound(rowOfHandle.begin(), rowOfHandle.end(), std::pair { handle, 0u });
    return it != rowOfHandle.end() && it->first == handle ? &rows[it->second] : nullptr;
}

SessionDocument::SessionDocument(QObject* parent)
    : QObject(parent)
{
}

SessionDocument::~SessionDocument()
{
    for (Refreshable* view : m_views)
        view->m_refreshedBy = nullptr;
}

bool SessionDocument::open(const QString& path, QString* error)
{
    const auto readScenario = [&path]() -> Result<scenario::Scenario> {
        if (!path.startsWith(QLatin1String(":/")))
            return scenario::readScenario(path.toStdString());
        // A lesson built into the program (Qt resources): read by Qt, parsed like a file.
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Result<scenario::Scenario>::failure(
                NtStatus::ObjectNameNotFound, path.toStdString() + ": not among the lessons built into the program");
        const QByteArray text = file.readAll();
        return scenario::parseScenario(
            std::string_view(text.constData(), static_cast<std::size_t>(text.size())), path.toStdString());
    };
    Result<scenario::Scenario> read = readScenario();
    if (!read) {
        if (error != nullptr)
            *error = QString::fromStdString(read.message());
        return false;
    }
    load(read.take(), path);
    return true;
}

void SessionDocument::load(scenario::Scenario scenario, const QString& path)
{
    if (m_worlds.empty()) {
        auto session = std::make_unique<session::Session>(std::move(scenario));
        // A step costs the same every time; the window takes the checkpoints when it is idle.
        session->setCheckpointsDeferred(true);
        m_worlds.push_back(std::move(session));
        m_current = m_worlds.front().get();
    } else {
        // Every open world runs the new scenario's steps on its own source.
        for (const auto& w : m_worlds)
            w->reload(scenario);
    }
    m_path = path;
    shownAnew();
}

world::World* SessionDocument::addWorld(std::unique_ptr<world::World> world, bool show)
{
    world::World* added = world.get();
    m_worlds.push_back(std::move(world));
    if (show || m_current == nullptr) {
        m_current = added;
        shownAnew();
    }
    return added;
}

void SessionDocument::closeWorld(const world::World* world)
{
    const auto it = std::find_if(m_worlds.begin(), m_worlds.end(), [world](const auto& w) { return w.get() == world; });
    if (it == m_worlds.end())
        return;
    const bool wasShown = m_current == world;
    m_worlds.erase(it);
    if (wasShown) {
        m_current = m_worlds.empty() ? nullptr : m_worlds.front().get();
        shownAnew();
    }
}

void SessionDocument::showWorld(const world::World* world)
{
    for (const auto& w : m_worlds)
        if (w.get() == world && m_current != world) {
            m_current = w.get();
            shownAnew();
        }
}

void SessionDocument::worldChanged(const world::World* world)
{
    if (world == m_current)
        emit changed();
}

void SessionDocument::shownAnew()
{
    resetCaches();
    emit loaded();
    emit changed();
}

void SessionDocument::addView(Refreshable* view)
{
    if (view == nullptr || view->m_refreshedBy == this)
        return;
    if (view->m_refreshedBy != nullptr)
        view->m_refreshedBy->removeView(view);
    view->m_refreshedBy = this;
    m_views.push_back(view);
}

void SessionDocument::removeView(Refreshable* view)
{
    m_views.erase(std::remove(m_views.begin(), m_views.end(), view), m_views.end());
    if (view != nullptr && view->m_refreshedBy == this)
        view->m_refreshedBy = nullptr;
}

void SessionDocument::refreshViews(const std::function<void(const Refreshable*)>& after)
{
    // A view may not register or unregister views while refreshing: the list is walked by index.
    for (std::size_t i = 0; i < m_views.size(); ++i) {
        m_views[i]->refresh();
        if (after)
            after(m_views[i]);
    }
}

std::string SessionDocument::scenarioText() const
{
    if (!hasSession())
        return {};
    scenario::Scenario s = m_current->scenario();
    s.steps.resize(m_current->position());
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
    const std::string& t = m_current->scenario().title;
    const QString title = t.empty() ? QFileInfo(m_path).fileName() : QString::fromStdString(t);
    // The first world is the one the file opened in; any other says which it is.
    if (m_current == m_worlds.front().get())
        return title;
    const QString source = QString::fromStdString(m_current->info().name);
    return title.isEmpty() ? source : tr("%1 (%2)").arg(title, source);
}

bool SessionDocument::stepForward()
{
    if (!hasSession() || !m_current->stepForward())
        return false;
    emit changed();
    return true;
}

bool SessionDocument::stepBack()
{
    if (!hasSession() || !m_current->stepBack())
        return false;
    emit changed();
    return true;
}

void SessionDocument::seek(std::size_t position)
{
    if (!hasSession() || position == m_current->position())
        return;
    const std::uint64_t before = m_current->revision();
    m_current->seek(position);
    if (m_current->revision() != before)
        emit changed();
}

const scenario::StepOutcome& SessionDocument::apply(scenario::Step step)
{
    const scenario::StepOutcome& outcome = m_current->apply(std::move(step));
    emit changed();
    return outcome;
}

void SessionDocument::resetCaches()
{
    m_names.clear();
    m_snapshot = {};
    m_discardOrders.clear();
}

const events::EventLog& SessionDocument::eventLog() const
{
    return m_current->eventLog();
}

const std::vector<world::TimelinePoint>& SessionDocument::timeline() const
{
    return m_current->timeline();
}

std::size_t SessionDocument::position() const
{
    return hasSession() ? m_current->position() : 0;
}

std::size_t SessionDocument::stepCount() const
{
    return hasSession() ? m_current->stepCount() : 0;
}

std::uint64_t SessionDocument::revision() const
{
    return m_current->revision();
}

std::uint64_t SessionDocument::timelineEpoch() const
{
    return m_current->timelineEpoch();
}

std::uint64_t SessionDocument::unchangedEventsSince(std::uint64_t sinceRevision) const
{
    return m_current->unchangedEventsSince(sinceRevision);
}

std::string SessionDocument::callTextFor(std::uint64_t seq) const
{
    return hasSession() ? m_current->callTextFor(seq) : std::string();
}

long SessionDocument::stepOfEvent(std::uint64_t seq) const
{
    return hasSession() ? m_current->stepOfEvent(seq) : -1;
}

std::uint64_t SessionDocument::lastCallEvent() const
{
    return hasSession() ? m_current->lastCallEvent() : 0;
}

std::vector<world::BudgetRow> SessionDocument::budgets() const
{
    return hasSession() ? m_current->budgets() : std::vector<world::BudgetRow> {};
}

const sim::AdapterConfig& SessionDocument::adapterConfig() const
{
    static const sim::AdapterConfig none;
    return hasSession() ? m_current->adapterConfig() : none;
}

const AllocationSnapshot& SessionDocument::allocations() const
{
    if (!hasSession()) {
        m_snapshot = {};
        return m_snapshot;
    }
    if (m_snapshot.world == m_current && m_snapshot.revision == m_current->revision())
        return m_snapshot;
    const std::uint32_t slotCount = m_current->allocationSlots();
    if (slotCount > 0) {
        // Reserve room to grow: one allocation more (another process' commit) would otherwise
        // reallocate and page in megabytes at the next refresh.
        if (m_snapshot.rows.capacity() < m_snapshot.rows.size() + 1)
            m_snapshot.rows.reserve(m_snapshot.rows.size() + m_snapshot.rows.size() / 8 + 64);
        if (m_snapshot.rowOfSlot.capacity() < slotCount)
            m_snapshot.rowOfSlot.reserve(slotCount + slotCount / 8 + 64);
    }
    m_current->allocationSummaries(m_snapshot.rows);
    m_snapshot.rowOfSlot.clear();
    m_snapshot.rowOfHandle.clear();
    if (slotCount > 0) {
        m_snapshot.rowOfSlot.assign(slotCount, AllocationSnapshot::kNoRow);
        for (std::uint32_t i = 0; i < m_snapshot.rows.size(); ++i)
            m_snapshot.rowOfSlot[sim::Simulator::handleSlot(m_snapshot.rows[i].handle)] = i;
    } else {
        m_snapshot.rowOfHandle.reserve(m_snapshot.rows.size());
        for (std::uint32_t i = 0; i < m_snapshot.rows.size(); ++i)
            m_snapshot.rowOfHandle.emplace_back(m_snapshot.rows[i].handle, i);
        std::sort(m_snapshot.rowOfHandle.begin(), m_snapshot.rowOfHandle.end());
    }
    m_snapshot.world = m_current;
    m_snapshot.revision = m_current->revision();
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
        cached.handles = m_current->discardOrder(segment, level);
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
    QString name = hasSession() ? QString::fromStdString(m_current->allocationName(allocation)) : QString();
    if (name.isEmpty())
        name = handleText(allocation.handle);
    m_names.insert(key, name);
    return name;
}

QString SessionDocument::allocationName(std::uint32_t handle) const
{
    if (!hasSession())
        return handleText(handle);
    // A live allocation's name comes from its row (cached); a destroyed one's from the world.
    if (const sim::AllocationSummary* row = allocations().find(handle))
        return allocationName(*row);
    if (std::string name = m_current->allocationName(handle); !name.empty())
        return QString::fromStdString(name);
    return handleText(handle);
}

QString SessionDocument::processName(std::uint32_t process) const
{
    return hasSession() ? QString::fromStdString(m_current->processName(process)) : QString();
}

QString SessionDocument::segmentName(std::uint32_t segment) const
{
    if (!hasSession())
        return {};
    const auto& segments = m_current->adapterConfig().segments;
    return segment < segments.size() ? QString::fromStdString(segments[segment].name) : QString::number(segment);
}

} // namespace offerscope::models
