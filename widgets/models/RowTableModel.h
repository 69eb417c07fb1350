// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/ChangeRanges.h"

#include <QAbstractTableModel>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace offerscope::models {

/// A table whose rows are values with a stable key (an allocation handle, an event number).
/// syncRows() turns a fresh list into row removals, inserts and dataChanged, so selection and scroll
/// survive an update; only a reordering or a change of most rows resets the model.
/// Row needs `key`; `Same` says whether two versions of a row show the same (default: operator==).
template <class Row, class Same = std::equal_to<Row>> class RowTableModel : public QAbstractTableModel {
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
    /// The rows, to rewrite fields `Same` does not compare (the model signals what it rewrites).
    std::vector<Row>& mutableRows() { return m_rows; }
    /// A refresh that found nothing to change.
    void keepRows() { m_stats = {}; }

    void resetRows(std::vector<Row> fresh)
    {
        beginResetModel();
        m_rows = std::move(fresh);
        endResetModel();
        m_stats = { 0, 0, 0, true };
    }

    /// The first and last column whose data can differ between two versions of a row (default: all).
    /// A narrower span lets a sorting proxy skip the re-sort check of rows whose sort column kept
    /// its value, which over 100,000 rows is most of the cost of a refresh.
    virtual std::pair<int, int> changedColumns(const Row& before, const Row& after) const
    {
        (void)before;
        (void)after;
        return { 0, columnCount() - 1 };
    }

    void syncRows(const std::vector<Row>& fresh)
    {
        syncRowsFrom(
            fresh.size(), [&fresh](std::size_t i) { return fresh[i].key; },
            [&fresh](std::size_t i) -> const Row& { return fresh[i]; });
    }

    /// syncRows() for a fresh list given by its size, the key of its row i and its row i, so that a
    /// caller whose rows are in another list already need not build this one: only the rows between
    /// the common head and tail are materialised. Over 100,000 rows a step usually changes rows in
    /// place, and building (and page-faulting) megabytes per refresh was a good part of its cost.
    template <class KeyOf, class Make> void syncRowsFrom(std::size_t newSize, KeyOf keyOf, Make make)
    {
        m_stats = {};
        std::vector<Row>& rows = m_rows;
        const std::size_t oldSize = rows.size();
        // Common head and tail by key; what differs lies between.
        std::size_t head = 0;
        while (head < oldSize && head < newSize && rows[head].key == keyOf(head))
            ++head;
        std::size_t tail = 0;
        while (
            tail < oldSize - head && tail < newSize - head && rows[oldSize - 1 - tail].key == keyOf(newSize - 1 - tail))
            ++tail;
        const std::size_t oldMid = oldSize - head - tail;
        const std::size_t newMid = newSize - head - tail;

        // A row's new data is written just before the dataChanged that covers it, never earlier: a
        // sorting proxy that re-sorts (or inserts) rows compares them with the others, which must
        // still be where their data puts them.
        // Buffers of the model, kept between refreshes: over 100,000 rows fresh ones were fresh pages.
        std::vector<Change>& changes = m_changes;
        changes.clear();
        // The head's changes first: its rows keep their indices whatever happens after them.
        for (std::size_t i = 0; i < head; ++i) {
            decltype(auto) fresh = make(i);
            if (!Same {}(rows[i], fresh))
                changes.push_back({ static_cast<int>(i), changedColumns(rows[i], fresh), i, false });
        }
        applyChanges(changes, [&make](const Change& c) -> Row { return make(c.from); });
        changes.clear();

        std::vector<Row>& middle = m_middle;
        middle.clear();
        if (oldMid != 0 || newMid != 0) {
            middle.reserve(newMid);
            for (std::size_t i = 0; i < newMid; ++i)
                middle.push_back(make(head + i));
            if (!spliceMiddle(middle, head, oldMid, changes)) {
                std::vector<Row> all;
                all.reserve(newSize);
                for (std::size_t i = 0; i < newSize; ++i)
                    all.push_back(make(i));
                resetRows(std::move(all));
                return;
            }
        }
        // The tail's changes (its rows now sit at the end of both lists).
        for (std::size_t t = 0; t < tail; ++t) {
            const std::size_t r = newSize - tail + t;
            decltype(auto) fresh = make(r);
            if (!Same {}(rows[r], fresh))
                changes.push_back({ static_cast<int>(r), changedColumns(rows[r], fresh), r, false });
        }
        applyChanges(
            changes, [&make, &middle](const Change& c) -> Row { return c.fromMiddle ? middle[c.from] : make(c.from); });
    }

private:
    using Key = decltype(Row::key);

    /// The keys of some rows, for membership tests: open addressing in two flat arrays, where a
    /// std::unordered_set allocated a node per key (tens of thousands per refresh of a list). The
    /// arrays are the model's and kept between refreshes, and a slot is in use when its stamp is the
    /// set's: starting over is one increment, not clearing (or page-faulting in) a fresh array.
    struct KeySetStorage {
        std::vector<Key> keys;
        std::vector<std::uint32_t> stamps;
        std::uint32_t stamp = 0;
    };
    class KeySet {
    public:
        KeySet(KeySetStorage& storage, std::size_t count)
            : m_storage(storage)
        {
            std::size_t capacity = 16;
            m_shift = 60;
            while (capacity < 2 * count) {
                capacity *= 2;
                --m_shift;
            }
            m_mask = capacity - 1;
            if (m_storage.keys.size() < capacity) {
                m_storage.keys.resize(capacity);
                m_storage.stamps.resize(capacity, 0);
            }
            if (++m_storage.stamp == 0) { // wrapped: every old stamp could match again
                std::fill(m_storage.stamps.begin(), m_storage.stamps.end(), 0);
                m_storage.stamp = 1;
            }
            m_stamp = m_storage.stamp;
        }
        void insert(Key key)
        {
            for (std::size_t i = slot(key);; i = (i + 1) & m_mask) {
                if (m_storage.stamps[i] != m_stamp) {
                    m_storage.stamps[i] = m_stamp;
                    m_storage.keys[i] = key;
                    return;
                }
                if (m_storage.keys[i] == key)
                    return;
            }
        }
        bool count(Key key) const
        {
            for (std::size_t i = slot(key);; i = (i + 1) & m_mask) {
                if (m_storage.stamps[i] != m_stamp)
                    return false;
                if (m_storage.keys[i] == key)
                    return true;
            }
        }

    private:
        std::size_t slot(Key key) const
        {
            // Fibonacci hashing: the top bits of the product, so keys that differ in their low bits
            // (handles, sequence numbers) spread.
            return static_cast<std::size_t>((static_cast<std::uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> m_shift);
        }
        KeySetStorage& m_storage;
        std::size_t m_mask = 0;
        std::uint32_t m_stamp = 0;
        int m_shift = 60;
    };

    /// A row whose data changes: where it is, which columns, and where its new data comes from.
    struct Change {
        int row;
        std::pair<int, int> columns;
        std::size_t from; ///< index into the fresh list, or into the middle rows
        bool fromMiddle;
    };

    // Writes the changes (in row order) and signals them, nearby changes sharing a signal
    // (forEachChangedRange).
    template <class Fresh> void applyChanges(const std::vector<Change>& changes, Fresh fresh)
    {
        m_stats.changed += static_cast<int>(changes.size());
        forEachChangedRange(
            changes.size(), [&changes](std::size_t i) { return changes[i].row; },
            [&](std::size_t first, std::size_t end) {
                int left = changes[first].columns.first, right = changes[first].columns.second;
                for (std::size_t i = first; i < end; ++i) {
                    left = std::min(left, changes[i].columns.first);
                    right = std::max(right, changes[i].columns.second);
                    m_rows[static_cast<std::size_t>(changes[i].row)] = fresh(changes[i]);
                }
                emit dataChanged(index(changes[first].row, left), index(changes[end - 1].row, right));
            });
    }

    // Rewrites rows [head, head + oldMid) into `fresh` (the new rows between the common head and
    // tail) with removals and inserts, as long as the keys both hold keep their order. False: the
    // order changed (caller resets).
    bool spliceMiddle(const std::vector<Row>& fresh, std::size_t head, std::size_t oldMid, std::vector<Change>& changes)
    {
        const std::size_t newMid = fresh.size();
        KeySet inNew(m_keySets[0], newMid), inOld(m_keySets[1], oldMid);
        for (std::size_t i = 0; i < newMid; ++i)
            inNew.insert(fresh[i].key);
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
                } else if (b < newMid && !inOld.count(fresh[b].key)) {
                    runs += inRun ? 0 : 1;
                    inRun = true;
                    ++b;
                } else if (a < oldMid && b < newMid && m_rows[head + a].key == fresh[b].key) {
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
            } else if (b < newMid && !inOld.count(fresh[b].key)) {
                std::size_t n = 1;
                while (b + n < newMid && !inOld.count(fresh[b + n].key))
                    ++n;
                beginInsertRows({}, static_cast<int>(row), static_cast<int>(row + n - 1));
                m_rows.insert(m_rows.begin() + static_cast<std::ptrdiff_t>(row),
                    fresh.begin() + static_cast<std::ptrdiff_t>(b), fresh.begin() + static_cast<std::ptrdiff_t>(b + n));
                endInsertRows();
                m_stats.inserted += static_cast<int>(n);
                row += n;
                b += n;
            } else {
                // Kept rows keep their old data until every insert and removal is done.
                if (!Same {}(m_rows[row], fresh[b]))
                    changes.push_back({ static_cast<int>(row), changedColumns(m_rows[row], fresh[b]), b, true });
                ++row;
                ++a;
                ++b;
            }
        }
        return true;
    }

    std::vector<Row> m_rows;
    SyncStats m_stats;
    KeySetStorage m_keySets[2];
    std::vector<Change> m_changes;
    std::vector<Row> m_middle;
};

} // namespace offerscope::models
