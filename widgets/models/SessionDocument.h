// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/Scenario.h"
#include "core/session/Session.h"
#include "core/sim/Simulator.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
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

    bool hasSession() const { return m_session != nullptr; }
    const session::Session& session() const { return *m_session; }
    const sim::Simulator& simulator() const { return m_session->simulator(); }
    QString filePath() const { return m_path; }
    QString title() const;

    bool stepForward();
    bool stepBack();
    void seek(std::size_t position);
    /// Runs an action as a new step (see Session::apply) and returns its outcome.
    const scenario::StepOutcome& apply(scenario::Step step);
    /// Steps and actions leave their time-travel checkpoint to this, for the window to call when it
    /// is idle (Session::setCheckpointsDeferred). No change any view shows.
    bool takeDueCheckpoint() { return m_session && m_session->takeDueCheckpoint(); }

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
    std::unique_ptr<session::Session> m_session;
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
