// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/Simulator.h"
#include "widgets/models/RowTableModel.h"

namespace offerscope::models {

class SessionDocument;

struct OfferedRow {
    std::uint32_t key = 0; ///< allocation handle
    std::uint32_t rank = 0; ///< 1 = the first victim of its segment and level; 0 = pending
    sim::AllocationSummary summary;
    bool operator==(const OfferedRow& other) const { return rank == other.rank && summary == other.summary; }
};

/// The offered allocations of one priority, in the order VidMm would discard them: for LOW, NORMAL
/// and HIGH the discard level itself (AUTO offers mapped there included); for AUTO, the AUTO offers
/// with the level each maps to. Segment by segment, first victim on top; pending offers last.
class OfferedListModel final : public RowTableModel<OfferedRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Rank, Name, Process, Size, Segment, OfferedAt, Status, Level, ColumnCount };

    OfferedListModel(const SessionDocument* document, OfferPriority priority, QObject* parent = nullptr);

    OfferPriority priority() const { return m_priority; }
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;
    std::uint64_t totalBytes() const { return m_totalBytes; }
    std::uint64_t pendingBytes() const { return m_pendingBytes; }
    int rowOf(std::uint32_t handle) const;

signals:
    void totalsChanged(quint64 bytes, int count);

private:
    const SessionDocument* m_document;
    OfferPriority m_priority;
    std::uint64_t m_totalBytes = 0;
    std::uint64_t m_pendingBytes = 0;
    /// The rows being built, kept between refreshes: no megabytes to page in again each time.
    std::vector<OfferedRow> m_fresh;
};

} // namespace offerscope::models
