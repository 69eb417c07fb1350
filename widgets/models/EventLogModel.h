// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include <QAbstractTableModel>
#include <cstdint>

namespace offerscope::events {
struct Event;
}

namespace offerscope::models {

class SessionDocument;

/// The simulator's event log, one row per event, with its plain-words explanation. Rows are only
/// appended (a step) or cut from the end (time travel), so updates never reset the model.
class EventLogModel final : public QAbstractTableModel, public Refreshable {
    Q_OBJECT
public:
    enum Column { Seq, Time, Kind, Cause, Process, Segment, Bytes, Explanation, ColumnCount };

    explicit EventLogModel(const SessionDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;
    /// The event of a row (null when out of range).
    const events::Event* event(int row) const;
    int rowOfSeq(std::uint64_t seq) const;

private:
    const SessionDocument* m_document;
    int m_count = 0;
    std::uint64_t m_firstSeq = 1; ///< seq of row 0
    std::uint64_t m_revision = 0;
    bool m_hasSession = false;
};

} // namespace offerscope::models
