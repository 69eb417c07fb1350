// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include "core/sim/Simulator.h"
#include "widgets/models/RowTableModel.h"

namespace offerscope::models {

class SessionDocument;

struct AllocationRow {
    std::uint32_t key = 0; ///< the allocation handle
    sim::AllocationSummary summary;
    bool operator==(const AllocationRow& other) const { return summary == other.summary; }
};

/// Every live allocation: name, handle, process, segment, size, state, offer priority, time offered,
/// residency priority, locks. One row per allocation handle, updated in place.
class AllocationsModel final : public RowTableModel<AllocationRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Name, Handle, Process, Segment, Size, State, Priority, OfferedAt, Residency, Flags, ColumnCount };

    explicit AllocationsModel(const SessionDocument* document, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Brings the rows to the document's current state (inserts, removes, dataChanged).
    void refresh() override;
    /// Row of an allocation handle, -1 when it has none.
    int rowOf(std::uint32_t handle) const;

protected:
    std::pair<int, int> changedColumns(const AllocationRow& before, const AllocationRow& after) const override;

private:
    const SessionDocument* m_document;
};

} // namespace offerscope::models
