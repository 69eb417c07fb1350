// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/AllocationsModel.h"

#include "core/d3dkmt/D3dkmtTypes.h"
#include "widgets/models/ChangeRanges.h"
#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <QFont>

namespace offerscope::models {

namespace {
const std::vector<sim::AllocationSummary> kNoRows;
}

AllocationsModel::AllocationsModel(const SessionDocument* document, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
    , m_rows(&kNoRows)
{
}

int AllocationsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_slots.size());
}

int AllocationsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void AllocationsModel::resetTo(const std::vector<sim::AllocationSummary>& rows)
{
    beginResetModel();
    m_rows = &rows;
    m_shownHandles.assign(rows.size(), 0);
    m_slots.clear();
    for (std::uint32_t slot = 0; slot < rows.size(); ++slot)
        if (AllocationSnapshot::isLive(rows[slot])) {
            m_slots.push_back(slot);
            m_shownHandles[slot] = rows[slot].handle;
        }
    rebuildKeys();
    endResetModel();
    m_stats = {};
    m_stats.reset = true;
    m_stats.looked = rows.size();
}

const sim::AllocationSummary& AllocationsModel::summaryAt(int row) const
{
    static const sim::AllocationSummary none;
    const std::uint32_t slot = m_slots[static_cast<std::size_t>(row)];
    return slot < m_rows->size() ? (*m_rows)[slot] : none;
}

int AllocationsModel::rowOfSlot(std::uint32_t slot) const
{
    const auto it = std::lower_bound(m_slots.begin(), m_slots.end(), slot);
    return it != m_slots.end() && *it == slot ? static_cast<int>(it - m_slots.begin()) : -1;
}

bool AllocationsModel::sortKeyOf(const sim::AllocationSummary& a, int column, std::uint64_t& key)
{
    switch (column) {
    case Handle:
        key = a.handle;
        return true;
    case Segment:
        key = a.segment;
        return true;
    case Size:
        key = a.size;
        return true;
    case State:
        key = static_cast<std::uint64_t>(a.state);
        return true;
    case Priority:
        key = static_cast<std::uint64_t>(a.requestedPriority) * 8 + static_cast<std::uint64_t>(a.effectivePriority);
        return true;
    case OfferedAt:
        key = a.requestedPriority != OfferPriority::None ? a.offerTime : 0;
        return true;
    case Residency:
        key = a.residencyPriority;
        return true;
    case Flags:
        key = std::uint64_t { a.lockCount } * 4 + (a.gpuBusy ? 2 : 0) + (a.resident ? 0 : 1);
        return true;
    default:
        return false;
    }
}

void AllocationsModel::setSortKeyColumn(int column)
{
    std::uint64_t probe = 0;
    m_keyColumn = sortKeyOf(sim::AllocationSummary {}, column, probe) ? column : -1;
    rebuildKeys();
}

void AllocationsModel::rebuildKeys()
{
    m_keys.clear();
    if (m_keyColumn < 0)
        return;
    m_keys.resize(m_slots.size());
    for (std::size_t r = 0; r < m_slots.size(); ++r)
        sortKeyOf((*m_rows)[m_slots[r]], m_keyColumn, m_keys[r]);
}

std::uint64_t AllocationsModel::keyOf(const sim::AllocationSummary& row) const
{
    std::uint64_t key = 0;
    sortKeyOf(row, m_keyColumn, key);
    return key;
}

void AllocationsModel::refresh()
{
    const AllocationSnapshot* snap = m_document->hasSession() ? &m_document->allocations() : nullptr;
    const std::vector<sim::AllocationSummary>& rows = snap != nullptr ? snap->rows : kNoRows;
    const void* world = snap != nullptr ? snap->world : nullptr;
    if (world != m_world) {
        // Another world's slots mean other allocations: start over.
        resetTo(rows);
        m_world = world;
        m_revision = snap != nullptr ? snap->revision : ~std::uint64_t { 0 };
        return;
    }
    m_stats = {};
    m_rows = &rows;
    if (snap == nullptr || snap->revision == m_revision)
        return;
    // The slots to look at: those the snapshot rewrote since the state shown (it has what they held),
    // or all of them (it has not: a jump that changed more than the world lists, a reload).
    const bool incremental
        = !snap->rebuilt && snap->updatedFrom == m_revision && snap->previous.size() == snap->changed.size();
    std::vector<std::uint32_t> all;
    if (!incremental) {
        all.resize(std::max(rows.size(), m_shownHandles.size()));
        for (std::uint32_t i = 0; i < all.size(); ++i)
            all[i] = i;
    }
    const std::vector<std::uint32_t>& candidates = incremental ? snap->changed : all;
    m_stats.looked = candidates.size();
    m_revision = snap->revision;

    static const sim::AllocationSummary none; // a slot past the end: the world has fewer now
    std::vector<std::uint32_t> removed, inserted, changed;
    std::vector<std::pair<int, int>> columns; // of each change
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const std::uint32_t slot = candidates[i];
        const std::uint32_t shown = slot < m_shownHandles.size() ? m_shownHandles[slot] : 0;
        const sim::AllocationSummary& now = slot < rows.size() ? rows[slot] : none;
        const bool wasLive = shown != 0, nowLive = AllocationSnapshot::isLive(now);
        if (wasLive && nowLive && shown != now.handle) {
            // Another allocation in the slot: the old row goes, the new one comes (a selection must
            // not move to a different allocation).
            removed.push_back(slot);
            inserted.push_back(slot);
        } else if (wasLive && !nowLive) {
            removed.push_back(slot);
        } else if (!wasLive && nowLive) {
            inserted.push_back(slot);
        } else if (wasLive && !incremental) {
            // What the row held is not known (the model keeps no copy): every column may differ.
            changed.push_back(slot);
            columns.push_back({ 0, ColumnCount - 1 });
        } else if (wasLive && !(snap->previous[i] == now)) {
            changed.push_back(slot);
            columns.push_back(changedColumns(snap->previous[i], now));
        }
    }
    // Row signals in runs; past a few dozen runs a reset is cheaper for a sorting proxy (each run
    // costs it a pass over its mapping).
    const auto runs = [this](const std::vector<std::uint32_t>& which, bool present) {
        std::size_t count = 0;
        int last = -2;
        for (const std::uint32_t slot : which) {
            const auto it = std::lower_bound(m_slots.begin(), m_slots.end(), slot);
            const int row = static_cast<int>(it - m_slots.begin());
            count += row == last + (present ? 1 : 0) ? 0 : 1;
            last = row;
        }
        return count;
    };
    if (runs(removed, true) + runs(inserted, false) > 64) {
        resetTo(rows);
        return;
    }
    // Room to grow, as the snapshot has: at a million rows one allocation more would otherwise copy
    // (and page in) these arrays whole, a 20 ms frame.
    const auto reserveFor = [](auto& array, std::size_t count) {
        if (array.capacity() < count)
            array.reserve(count + count / 8 + 64);
    };
    reserveFor(m_shownHandles, rows.size());
    reserveFor(m_slots, m_slots.size() + inserted.size());
    if (m_keyColumn >= 0)
        reserveFor(m_keys, m_keys.size() + inserted.size());
    if (m_shownHandles.size() < rows.size())
        m_shownHandles.resize(rows.size(), 0);
    // Removals, last first so the rows before keep their numbers.
    for (std::size_t k = removed.size(); k-- > 0;) {
        const int last = rowOfSlot(removed[k]);
        int first = last;
        while (k > 0 && rowOfSlot(removed[k - 1]) == first - 1) {
            --first;
            --k;
        }
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r)
            m_shownHandles[m_slots[static_cast<std::size_t>(r)]] = 0;
        m_slots.erase(m_slots.begin() + first, m_slots.begin() + last + 1);
        if (m_keyColumn >= 0)
            m_keys.erase(m_keys.begin() + first, m_keys.begin() + last + 1);
        endRemoveRows();
        m_stats.removed += last - first + 1;
    }
    // Inserts in slot order: a run is slots with no shown slot between them.
    for (std::size_t k = 0; k < inserted.size();) {
        const auto at = std::lower_bound(m_slots.begin(), m_slots.end(), inserted[k]);
        const std::uint32_t bound = at != m_slots.end() ? *at : 0xFFFFFFFFu;
        std::size_t end = k + 1;
        while (end < inserted.size() && inserted[end] < bound)
            ++end;
        const int first = static_cast<int>(at - m_slots.begin());
        beginInsertRows({}, first, first + static_cast<int>(end - k) - 1);
        m_slots.insert(
            at, inserted.begin() + static_cast<std::ptrdiff_t>(k), inserted.begin() + static_cast<std::ptrdiff_t>(end));
        for (std::size_t i = k; i < end; ++i)
            m_shownHandles[inserted[i]] = rows[inserted[i]].handle;
        if (m_keyColumn >= 0) {
            std::vector<std::uint64_t> keys;
            for (std::size_t i = k; i < end; ++i)
                keys.push_back(keyOf(rows[inserted[i]]));
            m_keys.insert(m_keys.begin() + first, keys.begin(), keys.end());
        }
        endInsertRows();
        m_stats.inserted += static_cast<int>(end - k);
        k = end;
    }
    // Changes: a row's sort key is written just before the dataChanged that covers it, never earlier
    // (a sorting proxy compares a changed row with the others by their keys, which must still say
    // where each one stands). Nearby changes share a signal (forEachChangedRange).
    m_stats.changed = static_cast<int>(changed.size());
    if (!changed.empty()) {
        std::vector<int> at(changed.size());
        for (std::size_t i = 0; i < changed.size(); ++i)
            at[i] = rowOfSlot(changed[i]);
        forEachChangedRange(
            changed.size(), [&at](std::size_t i) { return at[i]; },
            [&](std::size_t first, std::size_t end) {
                int left = ColumnCount, right = -1;
                for (std::size_t i = first; i < end; ++i) {
                    left = std::min(left, columns[i].first);
                    right = std::max(right, columns[i].second);
                    if (m_keyColumn >= 0)
                        m_keys[static_cast<std::size_t>(at[i])] = keyOf(rows[changed[i]]);
                }
                emit dataChanged(index(at[first], left), index(at[end - 1], right));
            });
    }
    if (m_shownHandles.size() > rows.size())
        m_shownHandles.resize(rows.size()); // the slots past the end had no rows left (removed above)
}

std::pair<int, int> AllocationsModel::changedColumns(const sim::AllocationSummary& a, const sim::AllocationSummary& b)
{
    // The columns each field shows (in any role). A step changes states, offers and flags; the
    // name, handle, process, segment and size of a handle never change, so a table sorted by one
    // of those is not re-sorted on every refresh.
    int left = ColumnCount, right = -1;
    auto touch = [&left, &right](int first, int last) {
        left = std::min(left, first);
        right = std::max(right, last);
    };
    if (a.resource != b.resource || a.ordinal != b.ordinal || a.resourceAllocations != b.resourceAllocations)
        touch(Name, Name);
    if (a.handle != b.handle)
        touch(Name, Handle);
    if (a.process != b.process)
        touch(Process, Process);
    if (a.segment != b.segment)
        touch(Segment, Segment);
    if (a.size != b.size)
        touch(Size, Size);
    if (a.state != b.state)
        touch(State, State);
    if (a.requestedPriority != b.requestedPriority || a.allowDecommit != b.allowDecommit)
        touch(State, Flags); // priority, offer time and flags show only for offers
    if (a.effectivePriority != b.effectivePriority)
        touch(State, Priority); // the state's colour is the level's
    if (a.offerTime != b.offerTime)
        touch(OfferedAt, OfferedAt);
    if (a.residencyPriority != b.residencyPriority)
        touch(Residency, Residency);
    if (a.lockCount != b.lockCount || a.residentRefs != b.residentRefs || a.gpuBusy != b.gpuBusy
        || a.resident != b.resident)
        touch(Flags, Flags);
    if (right < 0) // a field this does not know: every column
        return { 0, ColumnCount - 1 };
    return { left, right };
}

int AllocationsModel::rowOf(std::uint32_t handle) const
{
    if (!m_document->hasSession())
        return -1;
    const std::uint32_t slot = m_document->allocations().slotOf(handle);
    if (slot != AllocationSnapshot::kNoSlot && slot < m_shownHandles.size() && m_shownHandles[slot] == handle)
        return rowOfSlot(slot);
    return -1;
}

QVariant AllocationsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const std::uint32_t slot = m_slots[static_cast<std::size_t>(index.row())];
    // Between a change of state and the refresh that follows, a slot may hold another allocation (or
    // be past the world's last one): its row shows nothing until the refresh removes it.
    if (slot >= m_rows->size() || (*m_rows)[slot].handle != m_shownHandles[slot])
        return {};
    const sim::AllocationSummary& a = (*m_rows)[slot];
    const bool offered = a.requestedPriority != OfferPriority::None;
    switch (role) {
    case HandleRole:
        return a.handle;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return m_document->allocationName(a);
        case Handle:
            return handleText(a.handle);
        case Process:
            return m_document->processName(a.process);
        case Segment:
            return m_document->segmentName(a.segment);
        case Size:
            return bytesText(a.size);
        case State:
            return stateText(a.state);
        case Priority:
            if (!offered)
                return {};
            if (a.requestedPriority == OfferPriority::Auto)
                return QStringLiteral("AUTO → %1").arg(priorityText(a.effectivePriority));
            return priorityText(a.requestedPriority);
        case OfferedAt:
            return offered ? timeText(a.offerTime) : QVariant();
        case Residency:
            return QString::fromStdString(residencyPriorityName(a.residencyPriority));
        case Flags: {
            QStringList flags;
            if (a.lockCount != 0)
                flags << tr("locked ×%1").arg(a.lockCount);
            if (a.gpuBusy)
                flags << tr("GPU busy");
            if (a.residentRefs != 0)
                flags << tr("resident refs %1").arg(a.residentRefs);
            if (offered && a.allowDecommit)
                flags << QStringLiteral("AllowDecommit");
            if (!a.resident)
                flags << tr("not in segment");
            return flags.join(QStringLiteral(", "));
        }
        }
        break;
    case SortRole: {
        // The numbers the sorting proxy compares (sortKeyOf), the names for the text columns.
        std::uint64_t key = 0;
        if (sortKeyOf(a, index.column(), key))
            return quint64(key);
        if (index.column() == Name)
            return m_document->allocationName(a);
        if (index.column() == Process)
            return m_document->processName(a.process);
        break;
    }
    case Qt::ForegroundRole:
        if (index.column() == State) {
            switch (a.state) {
            case sim::AllocationState::Offered:
                return QBrush(priorityColor(a.effectivePriority).darker(130));
            case sim::AllocationState::OfferPending:
                return QBrush(pendingColor().darker(160));
            case sim::AllocationState::Evicted:
                return QBrush(evictedColor());
            case sim::AllocationState::Discarded:
            case sim::AllocationState::Decommitted:
                return QBrush(resultColor(ReclaimResult::Discarded));
            default:
                break;
            }
        }
        if (index.column() == Priority && offered)
            return QBrush(priorityColor(a.requestedPriority).darker(130));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == OfferedAt || index.column() == Handle)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case State:
            switch (a.state) {
            case sim::AllocationState::Resident:
                return glossary(QStringLiteral("resident"));
            case sim::AllocationState::Evicted:
                return glossary(QStringLiteral("evicted"));
            case sim::AllocationState::Offered:
                return glossary(QStringLiteral("offered"));
            case sim::AllocationState::OfferPending:
                return glossary(QStringLiteral("pending"));
            case sim::AllocationState::Discarded:
                return glossary(QStringLiteral("discarded"));
            case sim::AllocationState::Decommitted:
                return glossary(QStringLiteral("decommitted"));
            case sim::AllocationState::Destroyed:
                break;
            }
            break;
        case Segment:
            return glossary(QStringLiteral("local"));
        case Priority:
            return tr("The D3DKMT_OFFER_PRIORITY of the offer in effect. AUTO is mapped to a level from the "
                      "allocation's residency (eviction) priority; the arrow shows the level it landed in.");
        default:
            break;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant AllocationsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static const char* const names[ColumnCount] = { QT_TR_NOOP("Name"), QT_TR_NOOP("Handle"), QT_TR_NOOP("Process"),
            QT_TR_NOOP("Segment"), QT_TR_NOOP("Size"), QT_TR_NOOP("State"), QT_TR_NOOP("Offer priority"),
            QT_TR_NOOP("Offered at"), QT_TR_NOOP("Residency priority"), QT_TR_NOOP("Flags") };
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole && section == State)
        return tr("Life-cycle state: Resident, Evicted, OfferPending, Offered, Discarded, Decommitted.");
    return {};
}

} // namespace offerscope::models
