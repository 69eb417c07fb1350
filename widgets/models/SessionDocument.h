// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/live/LiveWorld.h"
#include "core/scenario/Scenario.h"
#include "core/session/Session.h"
#include "core/sim/Simulator.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace offerscope::models {

/// Every live allocation at one point, taken once per refresh and shared by the models.
struct AllocationSnapshot {
    std::uint64_t revision = ~std::uint64_t { 0 };
    std::vector<sim::AllocationSummary> rows; ///< slot order
    std::vector<std::uint32_t> rowOfSlot; ///< slot -> index in rows (kNoRow: free slot)
    static constexpr std::uint32_t kNoRow = 0xFFFFFFFFu;
    /// The row of a live allocation, or null.
    const sim::AllocationSummary* find(std::uint32_t handle) const;
};

/// The open scenario and its session: what every model reads. Changes go through here, so the views
/// hear of them (changed()) and the models can ask what is new since they last looked.
class SessionDocument : public QObject {
    Q_OBJECT
public:
    explicit SessionDocument(QObject* parent = nullptr);
    ~SessionDocument() override;

    /// Reads and parses a scenario file. On error returns false with "file:line:column: what" and
    /// keeps the session that was open.
    bool open(const QString& path, QString* error);
    /// Starts a session on a scenario already parsed (tests, generated scenarios).
    void load(scenario::Scenario scenario, const QString& path = {});
    /// Writes the steps up to the current position as a scenario file that replays to this state.
    bool save(const QString& path, QString* error) const;
    /// The scenario text save() writes.
    std::string scenarioText() const;

    bool hasSession() const { return m_session != nullptr || m_live != nullptr; }
    /// The session the steps come from: the simulator's, or with a live source the model beside it.
    const session::Session& session() const { return m_live ? m_live->model() : *m_session; }
    /// The simulator's configuration (segments, policy); with a live source, the model's.
    const sim::Simulator& simulator() const { return session().simulator(); }

    // ---- Live sources -------------------------------------------------------------------------
    /// Shows a live source in every view: its steps (the scenario's, then actions) run on the live
    /// source and on the model. The simulator's session stays as it was, for closeLive().
    void openLive(std::unique_ptr<live::LiveBackend> backend);
    /// Back to the simulator's session.
    void closeLive();
    bool isLive() const { return m_live != nullptr; }
    const live::LiveWorld* liveWorld() const { return m_live.get(); }
    live::LiveWorld* liveWorld() { return m_live.get(); }
    /// Takes a new reading of the live source (the views show it); no-op without one.
    void readLive();

    // ---- What the views read, from the simulator or the live source ---------------------------
    /// Every event so far: the simulator's, or the live source's calls and what they returned.
    const sim::EventLog& eventLog() const;
    const std::vector<session::TimelinePoint>& timeline() const;
    std::size_t position() const;
    std::size_t stepCount() const;
    /// Grows on every change of state (step, jump, action, live reading).
    std::uint64_t revision() const;
    /// Grows when the timeline after the position was replaced (plots rebuild).
    std::uint64_t timelineEpoch() const;
    /// Events up to this sequence number are as they were at `sinceRevision` (see Session).
    std::uint64_t unchangedEventsSince(std::uint64_t sinceRevision) const;
    /// The call behind an event ("" when none) and the step that made it (-1: none).
    std::string callTextFor(std::uint64_t seq) const;
    long stepOfEvent(std::uint64_t seq) const;
    /// The first event of the latest step that made a call (see Session::lastCallEvent); 0: none.
    std::uint64_t lastCallEvent() const;
    /// Budgets and usage per process and group now (live: what the source reported, "–" as empty).
    struct BudgetFigures {
        std::uint32_t process = 0; ///< handle (simulator) or a key (live)
        QString name;
        MemorySegmentGroup group = MemorySegmentGroup::Local;
        std::optional<std::uint64_t> budget, usage, reservation;
        std::uint64_t offeredResident = 0;
    };
    std::vector<BudgetFigures> budgets() const;
    QString filePath() const { return m_path; }
    QString title() const;

    bool stepForward();
    bool stepBack();
    void seek(std::size_t position);
    /// Runs an action as a new step (see Session::apply) and returns its outcome.
    const scenario::StepOutcome& apply(scenario::Step step);
    /// Steps and actions leave their time-travel checkpoint to this, for the window to call when it
    /// is idle (Session::setCheckpointsDeferred). No change any view shows.
    bool takeDueCheckpoint() { return !m_live && m_session && m_session->takeDueCheckpoint(); }

    /// Every live allocation now (built at most once per state).
    const AllocationSnapshot& allocations() const;
    /// Simulator::discardOrder() now, computed at most once per state: the offered list of a level
    /// and the AUTO list both read it.
    const std::vector<D3DKMT_HANDLE>& discardOrder(std::uint32_t segment, sim::OfferLevel level) const;
    /// "menu", "tex[2]", or the handle when the resource has no name; cached.
    QString allocationName(const sim::AllocationSummary& allocation) const;
    QString allocationName(std::uint32_t handle) const;
    QString processName(std::uint32_t process) const;
    QString segmentName(std::uint32_t segment) const;

signals:
    /// A new session was loaded: models start over.
    void loaded();
    /// The state moved (step, jump, action): models update.
    void changed();

private:
    void resetCaches();

    std::unique_ptr<session::Session> m_session;
    std::unique_ptr<live::LiveWorld> m_live;
    QString m_path;
    mutable AllocationSnapshot m_snapshot;
    struct CachedOrder {
        std::uint64_t revision = ~std::uint64_t { 0 };
        std::vector<D3DKMT_HANDLE> handles;
    };
    mutable std::vector<CachedOrder> m_discardOrders; ///< by segment * kOfferLevelCount + level
    mutable QHash<quint64, QString> m_names; ///< (resource << 32 | allocation) -> name
};

} // namespace offerscope::models
