// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/live/LiveBackend.h"
#include "core/live/LiveWorld.h"
#include "core/live/ProbePlan.h"

#include <QAbstractTableModel>
#include <QObject>
#include <QTimer>
#include <memory>

namespace offerscope::models {

class SessionDocument;
class Worker;

/// A live world of the document, as its own tab sees it: reads the adapter at a chosen interval and
/// after every step (every view updates), runs probe plans beside the model, and keeps what the tab
/// shows. Readings and probe runs go to the worker: the GUI thread never waits for the driver. Views
/// read the snapshots (sample(), comparison()) and the two table models; they never touch the
/// backend. The window that opened the world wires it here, and before it closes the world it
/// deletes this and lets the worker finish what it started.
class LiveSession final : public QObject {
    Q_OBJECT
public:
    LiveSession(SessionDocument* document, live::LiveWorld* world, Worker* worker, QObject* parent = nullptr);
    ~LiveSession() override;

    QString name() const;
    std::vector<AdapterDesc> adapters() const;
    const live::LiveSample& sample() const;
    const std::vector<live::ProbeComparison>& comparison() const { return m_comparison; }
    QStringList problems() const;

    /// Reads every `ms` milliseconds (0: paused). The first reading is asked for at once.
    void setInterval(int ms);
    int interval() const { return m_timer.isActive() ? m_timer.interval() : 0; }
    /// Asks the worker for a reading; one still waiting is replaced (requests collapse).
    void readNow();
    /// Runs the plan as steps of the live world: the live source's calls on the worker, then each step
    /// taken in here with the model's side (the timeline grows by the run's steps); probed() when it is
    /// done. Cancelled, the worker still destroys what it made, and the world takes in nothing.
    void runProbe(const live::ProbePlan& plan);
    /// The worker's tags for this source's jobs.
    static constexpr const char* kReadingTag = "live reading";
    static constexpr const char* kProbeTag = "probe run";

signals:
    void sampled();
    void probed();

private:
    SessionDocument* m_document;
    live::LiveWorld* m_world;
    Worker* m_worker;
    std::size_t m_readAtPosition = 0; ///< the position of the last reading asked for
    std::vector<live::ProbeComparison> m_comparison;
    QTimer m_timer;
};

/// The latest reading: one row per segment and per segment group, "-" where the driver gave nothing.
class LiveReadingsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { What, Size, Committed, Resident, Budget, Usage, Source, ColumnCount };
    explicit LiveReadingsModel(const LiveSession* session, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void refresh();

private:
    struct Row {
        QString what, size, committed, resident, budget, usage, source;
    };
    const LiveSession* m_session;
    std::vector<Row> m_rows;
};

/// Probe by probe: what the driver answered, what the model predicted, and where they differ.
class ProbeComparisonModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Probe, Size, Live, Model, Differs, ColumnCount };
    explicit ProbeComparisonModel(const LiveSession* session, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    void refresh();

private:
    const LiveSession* m_session;
    std::vector<live::ProbeComparison> m_rows;
};

} // namespace offerscope::models
