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

std::uint32_t AllocationSnapshot::slotOf(std::uint32_t handle) const
{
    std::uint32_t slot = kNoSlot;
    if (world != nullptr && world->allocationSlots() > 0) {
        slot = sim::Simulator::handleSlot(handle);
    } else if (const auto it = slotOfHandle.find(handle); it != slotOfHandle.end()) {
        slot = it->second;
    }
    return slot < rows.size() && isLive(rows[slot]) && rows[slot].handle == handle ? slot : kNoSlot;
}

const sim::AllocationSummary* AllocationSnapshot::find(std::uint32_t handle) const
{
    const std::uint32_t slot = slotOf(handle);
    return slot != kNoSlot ? &rows[slot] : nullptr;
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
    AllocationSnapshot& snap = m_snapshot;
    if (!hasSession()) {
        snap = {};
        return snap;
    }
    if (snap.world == m_current && snap.revision == m_current->revision())
        return snap;
    snap.updatedFrom = snap.world == m_current ? snap.revision : ~std::uint64_t { 0 };
    snap.changed.clear();
    snap.previous.clear();
    if (snap.world != m_current) {
        snap.rows.clear();
        snap.slotOfHandle.clear();
        snap.freeSlots.clear();
        snap.live = 0;
    }
    snap.world = m_current;
    // Room to grow: one allocation more (another process' commit) would otherwise reallocate and page
    // in every row at the next refresh (180 ms at a million).
    if (const std::size_t slotCount = m_current->allocationSlots(); snap.rows.capacity() < slotCount)
        snap.rows.reserve(slotCount + slotCount / 8 + 64);
    if (m_current->allocationSlots() == 0) {
        updateUnslotted();
    } else if (snap.updatedFrom != ~std::uint64_t { 0 }
        && m_current->allocationChangesSince(snap.updatedFrom, snap.changed)) {
        // Only the rows the world marked: a step costs what it touched, not every allocation.
        std::sort(snap.changed.begin(), snap.changed.end());
        snap.previous.reserve(snap.changed.size());
        for (const std::uint32_t slot : snap.changed) {
            snap.previous.push_back(slot < snap.rows.size() ? snap.rows[slot] : sim::AllocationSummary {});
            if (AllocationSnapshot::isLive(snap.previous.back()))
                --snap.live;
        }
        m_current->allocationSummariesBySlot(snap.rows, &snap.changed);
        for (const std::uint32_t slot : snap.changed)
            if (slot < snap.rows.size() && AllocationSnapshot::isLive(snap.rows[slot]))
                ++snap.live;
        snap.rebuilt = false;
    } else if (snap.updatedFrom != ~std::uint64_t { 0 } && snap.live > 0) {
        // The world lost track (a jump that changed more rows than it lists): every row is read into
        // a second buffer, and the rows that differ from those held are the change, with what they
        // held. The views then follow a list instead of taking every row as changed. The buffer lives
        // only this long: kept, it would be one more copy of every row for good.
        std::vector<sim::AllocationSummary> fresh;
        fresh.reserve(snap.rows.capacity());
        m_current->allocationSummariesBySlot(fresh, nullptr);
        static const sim::AllocationSummary none;
        const std::size_t count = std::max(fresh.size(), snap.rows.size());
        for (std::size_t slot = 0; slot < count; ++slot) {
            const sim::AllocationSummary& was = slot < snap.rows.size() ? snap.rows[slot] : none;
            const sim::AllocationSummary& now = slot < fresh.size() ? fresh[slot] : none;
            if (!(was == now)) {
                snap.changed.push_back(static_cast<std::uint32_t>(slot));
                snap.previous.push_back(was);
            }
        }
        snap.rows.swap(fresh);
        snap.live
            = static_cast<std::size_t>(std::count_if(snap.rows.begin(), snap.rows.end(), AllocationSnapshot::isLive));
        snap.rebuilt = false;
    } else {
        m_current->allocationSummariesBySlot(snap.rows, nullptr);
        snap.live
            = static_cast<std::size_t>(std::count_if(snap.rows.begin(), snap.rows.end(), AllocationSnapshot::isLive));
        snap.rebuilt = true;
    }
    snap.revision = m_current->revision();
    m_current->allocationChangesSeen();
    return snap;
}

void SessionDocument::updateUnslotted() const
{
    // Such worlds hand out their own handles and list what they hold (a live source, a recording):
    // each handle keeps the slot it was given while it lives, and the rows that differ are the change.
    AllocationSnapshot& snap = m_snapshot;
    std::vector<sim::AllocationSummary> fresh;
    m_current->allocationSummaries(fresh);
    std::vector<std::uint8_t> seen(snap.rows.size(), 0);
    for (const sim::AllocationSummary& row : fresh) {
        if (!AllocationSnapshot::isLive(row))
            continue;
        auto [it, added] = snap.slotOfHandle.try_emplace(row.handle, 0);
        if (added) {
            if (!snap.freeSlots.empty()) {
                it->second = snap.freeSlots.back();
                snap.freeSlots.pop_back();
            } else {
                it->second = static_cast<std::uint32_t>(snap.rows.size());
                snap.rows.emplace_back();
                seen.push_back(0);
            }
        }
        const std::uint32_t slot = it->second;
        if (seen[slot] != 0)
            continue; // the same handle twice: the first row stands
        seen[slot] = 1;
        if (!(snap.rows[slot] == row)) {
            snap.live += AllocationSnapshot::isLive(snap.rows[slot]) ? 0 : 1;
            snap.previous.push_back(snap.rows[slot]);
            snap.rows[slot] = row;
            snap.changed.push_back(slot);
        }
    }
    for (std::uint32_t slot = 0; slot < snap.rows.size(); ++slot) {
        if (seen[slot] != 0 || !AllocationSnapshot::isLive(snap.rows[slot]))
            continue;
        snap.slotOfHandle.erase(snap.rows[slot].handle);
        snap.previous.push_back(snap.rows[slot]);
        snap.rows[slot] = sim::AllocationSummary {};
        snap.freeSlots.push_back(slot);
        snap.changed.push_back(slot);
        --snap.live;
    }
    // In slot order, each with its row from before.
    std::vector<std::uint32_t> order(snap.changed.size());
    for (std::uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
        [&snap](std::uint32_t a, std::uint32_t b) { return snap.changed[a] < snap.changed[b]; });
    std::vector<std::uint32_t> changed(order.size());
    std::vector<sim::AllocationSummary> previous(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        changed[i] = snap.changed[order[i]];
        previous[i] = snap.previous[order[i]];
    }
    snap.changed = std::move(changed);
    snap.previous = std::move(previous);
    snap.rebuilt = snap.updatedFrom == ~std::uint64_t { 0 };
    if (snap.rebuilt)
        snap.previous.clear();
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
