// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sim/Simulator.h"
#include "widgets/models/Refreshable.h"

#include <QAbstractTableModel>
#include <cstdint>
#include <utility>
#include <vector>

namespace offerscope::models {

class SessionDocument;

/// Every live allocation: name, handle, process, segment, size, state, offer priority, time offered,
/// residency priority, locks. One row per allocation, in the order of its slot in the document's
/// snapshot, updated in place: a refresh reads only the rows the snapshot says it rewrote, so a step
/// costs what it changed whatever the number of allocations (no list of every row is built or
/// compared). Rows come and go with inserts and removals, so selection and scroll survive.
class AllocationsModel final : public QAbstractTableModel, public Refreshable {
    Q_OBJECT
public:
    enum Column { Name, Handle, Process, Segment, Size, State, Priority, OfferedAt, Residency, Flags, ColumnCount };

    explicit AllocationsModel(const SessionDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    /// QAbstractTableModel::index() without its hasIndex() (two virtual calls): a sorting proxy asks
    /// for two indexes per comparison, tens of millions of times when it sorts a million rows.
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override
    {
        if (parent.isValid() || row < 0 || column < 0 || column >= ColumnCount
            || static_cast<std::size_t>(row) >= m_slots.size())
            return {};
        return createIndex(row, column);
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Brings the rows to the document's current state (inserts, removes, dataChanged).
    void refresh() override;
    /// Row of an allocation handle, -1 when it has none.
    int rowOf(std::uint32_t handle) const;
    /// What row `row` shows (valid rows only): the document's snapshot, read in place.
    const sim::AllocationSummary& summaryAt(int row) const;

    /// The number a numeric column sorts by (its SortRole value); false for the columns that sort by
    /// text (name, process).
    static bool sortKeyOf(const sim::AllocationSummary& a, int column, std::uint64_t& key);
    /// sortKeyOf() of a row, from the array kept for the sort column (setSortKeyColumn()).
    bool sortKeyAt(int row, int column, std::uint64_t& key) const
    {
        if (column == m_keyColumn && !m_keys.empty()) {
            key = m_keys[static_cast<std::size_t>(row)];
            return true;
        }
        return sortKeyOf(summaryAt(row), column, key);
    }
    /// Keeps the sort keys of `column` in one array, updated with the rows (-1: none).
    void setSortKeyColumn(int column);

    /// How the last refresh went (tests and the benchmark look at it).
    struct SyncStats {
        int inserted = 0;
        int removed = 0;
        int changed = 0;
        bool reset = false;
        std::size_t looked = 0; ///< rows compared
    };
    SyncStats lastSync() const { return m_stats; }

private:
    /// The columns whose data can differ between two versions of a row: a sorting proxy skips the
    /// re-sort check of rows whose sort column kept its value.
    static std::pair<int, int> changedColumns(
        const sim::AllocationSummary& before, const sim::AllocationSummary& after);
    void resetTo(const std::vector<sim::AllocationSummary>& rows);
    void rebuildKeys();
    std::uint64_t keyOf(const sim::AllocationSummary& row) const;
    /// Row of a slot shown, -1 when none.
    int rowOfSlot(std::uint32_t slot) const;

    const SessionDocument* m_document;
    /// The snapshot's rows, by slot: what the rows show. The model keeps no copy of them, only which
    /// allocation each slot shows (0: no row), to tell a change from another allocation in the slot.
    const std::vector<sim::AllocationSummary>* m_rows;
    std::vector<std::uint32_t> m_shownHandles;
    std::vector<std::uint32_t> m_slots; ///< row -> slot, ascending
    int m_keyColumn = -1;
    std::vector<std::uint64_t> m_keys; ///< by row: sortKeyOf(row, m_keyColumn) (empty: not kept)
    const void* m_world = nullptr; ///< the world of the snapshot shown
    std::uint64_t m_revision = ~std::uint64_t { 0 }; ///< its revision
    SyncStats m_stats;
};

} // namespace offerscope::models
