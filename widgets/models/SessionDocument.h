// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/Scenario.h"
#include "core/world/World.h"
#include "widgets/models/Refreshable.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace offerscope::models {

/// Every live allocation at one point, kept by the document and shared by the models. Rows sit at
/// fixed slots while their allocation lives (a free slot's row has the state Destroyed), so a step
/// rewrites the rows it changed and nothing else: the world's own slots where it has them
/// (World::allocationSlots()), otherwise slots the document hands out per handle.
struct AllocationSnapshot {
    std::uint64_t revision = ~std::uint64_t { 0 };
    const world::World* world = nullptr; ///< the world it was taken from
    std::vector<sim::AllocationSummary> rows; ///< by slot
    std::size_t live = 0; ///< rows whose state is not Destroyed
    /// What the last update did: from the state at revision `updatedFrom` the rows at `changed`
    /// (ascending) were rewritten (most with new values); when `rebuilt` (another world, a reload, the
    /// first rows), any row may have changed. When the world cannot list what changed, the snapshot
    /// compares every row, so within one world there is a list.
    std::uint64_t updatedFrom = ~std::uint64_t { 0 };
    bool rebuilt = true;
    std::vector<std::uint32_t> changed;
    /// The rows at `changed` as they were before the update (same order; empty when `rebuilt`).
    std::vector<sim::AllocationSummary> previous;
    /// A world without slots: its handles' slots, and the slots free for new handles.
    std::unordered_map<std::uint32_t, std::uint32_t> slotOfHandle;
    std::vector<std::uint32_t> freeSlots;

    static bool isLive(const sim::AllocationSummary& row) { return row.state != sim::AllocationState::Destroyed; }
    /// The slot of a live allocation, or kNoSlot.
    std::uint32_t slotOf(std::uint32_t handle) const;
    /// The row of a live allocation, or null.
    const sim::AllocationSummary* find(std::uint32_t handle) const;
    static constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;
};

/// The worlds open in the window (the simulator's session, a live source, …) and which one the views
/// show: what every model reads. Changes go through here, so the views hear of them (changed()) and
/// the models can ask what is new since they last looked. It never asks which kind a world is.
class SessionDocument : public QObject {
    Q_OBJECT
public:
    explicit SessionDocument(QObject* parent = nullptr);
    ~SessionDocument() override;

    /// Reads and parses a scenario file. On error returns false with "file:line:column: what" and
    /// keeps the worlds as they were.
    bool open(const QString& path, QString* error);
    /// Every open world starts over on a scenario already parsed (tests, generated scenarios); with
    /// none open, the simulator's session is opened on it.
    void load(scenario::Scenario scenario, const QString& path = {});
    /// Writes the steps up to the current position as a scenario file that replays to this state.
    bool save(const QString& path, QString* error) const;
    /// The scenario text save() writes.
    std::string scenarioText() const;

    // ---- Worlds ------------------------------------------------------------------------------------
    /// Adds a world (a live source, a second simulator); the views show it when `show` is true.
    world::World* addWorld(std::unique_ptr<world::World> world, bool show = true);
    /// Closes a world; the views go back to the first one left.
    void closeWorld(const world::World* world);
    /// Makes an open world the one the views show.
    void showWorld(const world::World* world);
    const std::vector<std::unique_ptr<world::World>>& worlds() const { return m_worlds; }
    /// The world the views show (null when none is open).
    world::World* world() const { return m_current; }
    bool hasSession() const { return m_current != nullptr; }
    /// A world changed outside a step (a new reading): the views update.
    void worldChanged(const world::World* world);

    // ---- Views -------------------------------------------------------------------------------------
    /// Registers a model or view for refreshViews(), once; it unregisters itself when destroyed.
    void addView(Refreshable* view);
    void removeView(Refreshable* view);
    /// Refreshes every registered model and view, in the order they were registered; `after`, when
    /// given, is called after each (the GUI benchmark times them one by one).
    void refreshViews(const std::function<void(const Refreshable*)>& after = {});

    // ---- What the views read, from the world shown -------------------------------------------------
    const events::EventLog& eventLog() const;
    const std::vector<world::TimelinePoint>& timeline() const;
    std::size_t position() const;
    std::size_t stepCount() const;
    /// Grows on every change of state (step, jump, action, reading); another world shown: loaded().
    std::uint64_t revision() const;
    /// Grows when the timeline after the position was replaced (plots rebuild).
    std::uint64_t timelineEpoch() const;
    /// Events up to this sequence number are as they were at `sinceRevision` (see World).
    std::uint64_t unchangedEventsSince(std::uint64_t sinceRevision) const;
    /// The call behind an event ("" when none) and the step that made it (-1: none).
    std::string callTextFor(std::uint64_t seq) const;
    long stepOfEvent(std::uint64_t seq) const;
    /// The first event of the latest step that made a call; 0: none.
    std::uint64_t lastCallEvent() const;
    std::vector<world::BudgetRow> budgets() const;
    const sim::AdapterConfig& adapterConfig() const;
    QString filePath() const { return m_path; }
    QString title() const;

    bool stepForward();
    bool stepBack();
    void seek(std::size_t position);
    /// Runs an action as a new step (see World::apply) and returns its outcome.
    const scenario::StepOutcome& apply(scenario::Step step);
    /// Work the world leaves for an idle moment (World::doIdleWork). No change any view shows.
    bool doIdleWork() { return m_current != nullptr && m_current->doIdleWork(); }

    /// Every live allocation now (brought up to date at most once per state, from what changed).
    const AllocationSnapshot& allocations() const;
    /// "menu", "tex[2]", or the handle when the world has no name for it; cached.
    QString allocationName(const sim::AllocationSummary& allocation) const;
    QString allocationName(std::uint32_t handle) const;
    QString processName(std::uint32_t process) const;
    QString segmentName(std::uint32_t segment) const;

signals:
    /// Another scenario or world is shown: models start over.
    void loaded();
    /// The state moved (step, jump, action, reading): models update.
    void changed();

private:
    void resetCaches();
    /// Another world or scenario is shown: caches go, models start over.
    void shownAnew();
    /// allocations() for a world without slots: its list, matched to slots by handle.
    void updateUnslotted() const;

    std::vector<std::unique_ptr<world::World>> m_worlds;
    world::World* m_current = nullptr;
    QString m_path;
    std::vector<Refreshable*> m_views;
    mutable AllocationSnapshot m_snapshot;
    mutable QHash<quint64, QString> m_names; ///< (resource << 32 | allocation) -> name
};

} // namespace offerscope::models
