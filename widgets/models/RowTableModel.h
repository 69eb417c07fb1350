// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <algorithm>
#include <unordered_set>
#include <utility>
#include <vector>

namespace offerscope::models {

/// A table whose rows are values with a stable key (an allocation handle, an event number).
/// syncRows() turns a fresh list into row removals, inserts and dataChanged, so selection and scroll
/// survive an update; only a reordering or a change of most rows resets the model.
/// Row needs `key` and operator==.
template <class Row> class RowTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
    }
    const std::vector<Row>& rows() const { return m_rows; }
    /// How the last sync went (tests and the benchmark look at it).
    struct SyncStats {
        int inserted = 0;
        int removed = 0;
        int changed = 0;
        bool reset = false;
    };
    SyncStats lastSync() const { return m_stats; }

protected:
    void resetRows(std::vector<Row> fresh)
    {
        beginResetModel();
        m_rows = std::move(fresh);
        endResetModel();
        m_stats = { 0, 0, 0, true };
    }

    void syncRows(std::vector<Row> fresh)
    {
        m_stats = {};
        std::vector<Row>& rows = m_rows;
        const std::size_t oldSize = rows.size();
        const std::size_t newSize = fresh.size();
        // Common head and tail by key; what differs lies between.
        std::size_t head = 0;
        while (head < oldSize && head < newSize && rows[head].key == fresh[head].key)
            ++head;
        std::size_t tail = 0;
        while (tail < oldSize - head && tail < newSize - head
            && rows[oldSize - 1 - tail].key == fresh[newSize - 1 - tail].key)
            ++tail;
        const std::size_t oldMid = oldSize - head - tail;
        const std::size_t newMid = newSize - head - tail;

        std::vector<std::pair<int, int>> changed; // row ranges, in final rows
        auto markChanged = [&changed](int row) {
            if (!changed.empty() && changed.back().second == row - 1)
                changed.back().second = row;
            else
                changed.emplace_back(row, row);
        };
        // Data changes of the head, before any row moves.
        for (std::size_t i = 0; i < head; ++i)
            if (!(rows[i] == fresh[i])) {
                rows[i] = fresh[i];
                markChanged(static_cast<int>(i));
            }

        if (oldMid != 0 || newMid != 0) {
            if (!spliceMiddle(fresh, head, oldMid, newMid, markChanged)) {
                resetRows(std::move(fresh));
                return;
            }
        }
        // Data changes of the tail (its rows now sit at the end of both lists).
        for (std::size_t t = 0; t < tail; ++t) {
            const std::size_t r = newSize - tail + t;
            if (!(rows[r] == fresh[r])) {
                rows[r] = fresh[r];
                markChanged(static_cast<int>(r));
            }
        }
        std::sort(changed.begin(), changed.end());
        const int lastColumn = columnCount() - 1;
        if (changed.size() > 64) {
            // Too many ranges for one signal each: one covering signal.
            emit dataChanged(index(changed.front().first, 0), index(changed.back().second, lastColumn));
        } else {
            for (const auto& [first, last] : changed)
                emit dataChanged(index(first, 0), index(last, lastColumn));
        }
        for (const auto& [first, last] : changed)
            m_stats.changed += last - first + 1;
    }

private:
    // Rewrites rows [head, head + oldMid) into fresh [head, head + newMid) with removals and inserts,
    // as long as the keys both hold keep their order. False: the order changed (caller resets).
    template <class Mark>
    bool spliceMiddle(
        const std::vector<Row>& fresh, std::size_t head, std::size_t oldMid, std::size_t newMid, Mark& markChanged)
    {
        using Key = decltype(Row::key);
        std::unordered_set<Key> inNew, inOld;
        inNew.reserve(newMid);
        inOld.reserve(oldMid);
        for (std::size_t i = 0; i < newMid; ++i)
            inNew.insert(fresh[head + i].key);
        for (std::size_t i = 0; i < oldMid; ++i)
            inOld.insert(m_rows[head + i].key);
        // Count the runs first: many scattered runs cost more as row signals than a reset.
        std::size_t runs = 0;
        {
            std::size_t a = 0, b = 0;
            bool inRun = false;
            while (a < oldMid || b < newMid) {
                if (a < oldMid && !inNew.count(m_rows[head + a].key)) {
                    runs += inRun ? 0 : 1;
                    inRun = true;
                    ++a;
                } else if (b < newMid && !inOld.count(fresh[head + b].key)) {
                    runs += inRun ? 0 : 1;
                    inRun = true;
                    ++b;
                } else if (a < oldMid && b < newMid && m_rows[head + a].key == fresh[head + b].key) {
                    inRun = false;
                    ++a;
                    ++b;
                } else {
                    return false;
                }
            }
        }
        if (runs > 256)
            return false;
        std::size_t row = head; // current position in m_rows
        std::size_t a = 0, b = 0; // next old (not yet passed) and next fresh, within the middle
        while (a < oldMid || b < newMid) {
            if (a < oldMid && !inNew.count(m_rows[row].key)) {
                std::size_t n = 1;
                while (a + n < oldMid && !inNew.count(m_rows[row + n].key))
                    ++n;
                beginRemoveRows({}, static_cast<int>(row), static_cast<int>(row + n - 1));
                m_rows.erase(m_rows.begin() + static_cast<std::ptrdiff_t>(row),
                    m_rows.begin() + static_cast<std::ptrdiff_t>(row + n));
                endRemoveRows();
                m_stats.removed += static_cast<int>(n);
                a += n;
            } else if (b < newMid && !inOld.count(fresh[head + b].key)) {
                std::size_t n = 1;
                while (b + n < newMid && !inOld.count(fresh[head + b + n].key))
                    ++n;
                beginInsertRows({}, static_cast<int>(row), static_cast<int>(row + n - 1));
                m_rows.insert(m_rows.begin() + static_cast<std::ptrdiff_t>(row),
                    fresh.begin() + static_cast<std::ptrdiff_t>(head + b),
                    fresh.begin() + static_cast<std::ptrdiff_t>(head + b + n));
                endInsertRows();
                m_stats.inserted += static_cast<int>(n);
                row += n;
                b += n;
            } else {
                if (!(m_rows[row] == fresh[head + b])) {
                    m_rows[row] = fresh[head + b];
                    markChanged(static_cast<int>(row));
                }
                ++row;
                ++a;
                ++b;
            }
        }
        return true;
    }

    std::vector<Row> m_rows;
    SyncStats m_stats;
};

} // namespace offerscope::models
