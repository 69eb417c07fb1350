// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/OfferedListModel.h"

#include "widgets/models/ChangeRanges.h"
#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <QFont>

namespace offerscope::models {

bool OfferedOrder::unchangedSinceBuilt(const SessionDocument& document) const
{
    // The order comes from the offered and pending allocations (their order, sizes, residency and the
    // pressure before them) and the policy that orders them. When the allocations a step touched were
    // neither offered nor pending before it or after it, and the policy is the same, the order is as
    // it was and so is every row it shows.
    if (!document.hasSession() || document.world()->allocationSlots() == 0)
        return false;
    const AllocationSnapshot& snapshot = document.allocations();
    if (snapshot.world != m_world || !(document.world()->policy() == m_policy))
        return false;
    if (snapshot.revision == m_revision)
        return true;
    if (snapshot.rebuilt || snapshot.updatedFrom != m_revision || snapshot.previous.size() != snapshot.changed.size())
        return false;
    const auto offerish = [](const sim::AllocationSummary& a) {
        return a.state == sim::AllocationState::Offered || a.state == sim::AllocationState::OfferPending;
    };
    for (std::size_t i = 0; i < snapshot.changed.size(); ++i)
        if (offerish(snapshot.previous[i])
            || (snapshot.changed[i] < snapshot.rows.size() && offerish(snapshot.rows[snapshot.changed[i]])))
            return false;
    return true;
}

void OfferedOrder::update(const SessionDocument& document)
{
    if (unchangedSinceBuilt(document)) {
        m_revision = document.allocations().revision;
        return;
    }
    ++m_version;
    m_entries.clear();
    m_totals = {};
    if (!document.hasSession()) {
        m_world = nullptr;
        m_revision = ~std::uint64_t { 0 };
        return;
    }
    const world::World& world = *document.world();
    const AllocationSnapshot& snapshot = document.allocations();
    m_world = snapshot.world;
    m_revision = snapshot.revision;
    m_policy = world.policy();

    const sim::WithinPriorityOrder order = m_policy.withinPriorityOrder;
    // A pending offer joins its level when its fence retires: as the newest offer (oldest first), or
    // by its size.
    const auto landsBefore = [order](const sim::AllocationSummary& p, const sim::AllocationSummary& a) {
        switch (order) {
        case sim::WithinPriorityOrder::LargestFirst:
            return p.size > a.size;
        case sim::WithinPriorityOrder::SmallestFirst:
            return p.size < a.size;
        default:
            return false;
        }
    };
    const auto count = [this](std::size_t list, const sim::AllocationSummary& a, bool pending) {
        Totals& t = m_totals[list];
        t.bytes += a.size;
        t.pending += pending ? a.size : 0;
        t.largest = std::max(t.largest, a.size);
    };
    const auto add = [&](const Entry& e, const sim::AllocationSummary& a) {
        m_entries.push_back(e);
        const bool pending = e.queueRank == 0;
        count(listOf(OfferPriority::None), a, pending);
        count(listOf(e.level), a, pending);
        if (e.autoOffer)
            count(listOf(OfferPriority::Auto), a, pending);
    };
    const auto segments = static_cast<std::uint32_t>(world.adapterConfig().segments.size());
    std::vector<std::uint32_t> waiting, joining; // slots
    for (std::uint32_t segment = 0; segment < segments; ++segment) {
        waiting.clear();
        for (D3DKMT_HANDLE h : world.pendingOffers(segment))
            if (const std::uint32_t slot = snapshot.slotOf(h); slot != AllocationSnapshot::kNoSlot)
                waiting.push_back(slot);
        std::uint64_t pressure = 0; // bytes in memory of the offers before, across the levels
        std::uint32_t queueRank = 0;
        for (int l = 0; l < sim::kOfferLevelCount; ++l) {
            const auto level = static_cast<sim::OfferLevel>(l);
            const OfferPriority levelPriority = sim::offerLevelPriority(level);
            joining.clear();
            for (std::uint32_t slot : waiting)
                if (snapshot.rows[slot].effectivePriority == levelPriority)
                    joining.push_back(slot);
            std::stable_sort(joining.begin(), joining.end(),
                [&](std::uint32_t x, std::uint32_t y) { return landsBefore(snapshot.rows[x], snapshot.rows[y]); });
            std::size_t next = 0;
            const auto addPending = [&](std::uint32_t slot) {
                const sim::AllocationSummary& p = snapshot.rows[slot];
                add({ p.handle, slot, 0, 0, pressure + (p.resident ? p.size : 0), levelPriority,
                        p.requestedPriority == OfferPriority::Auto },
                    p);
            };
            std::uint32_t levelRank = 0;
            world.discardOrderInto(segment, level, m_handles);
            for (D3DKMT_HANDLE h : m_handles) {
                const std::uint32_t slot = snapshot.slotOf(h);
                ++levelRank;
                ++queueRank;
                if (slot == AllocationSnapshot::kNoSlot)
                    continue;
                const sim::AllocationSummary& a = snapshot.rows[slot];
                while (next < joining.size() && landsBefore(snapshot.rows[joining[next]], a))
                    addPending(joining[next++]);
                if (a.resident)
                    pressure += a.size;
                add({ h, slot, queueRank, levelRank, a.resident ? pressure : 0, levelPriority,
                        a.requestedPriority == OfferPriority::Auto },
                    a);
            }
            while (next < joining.size())
                addPending(joining[next++]);
        }
    }
}

OfferedListModel::OfferedListModel(
    const SessionDocument* document, OfferPriority priority, QObject* parent, std::shared_ptr<OfferedOrder> order)
    : RowTableModel(parent)
    , m_document(document)
    , m_priority(priority)
    , m_order(order ? std::move(order) : std::make_shared<OfferedOrder>())
{
}

std::array<OfferedListModel*, 5> makeOfferedLists(const SessionDocument* document, QObject* parent)
{
    std::array<OfferedListModel*, 5> lists {};
    const OfferPriority priorities[5] // None: the whole queue
        = { OfferPriority::None, OfferPriority::Low, OfferPriority::Normal, OfferPriority::High, OfferPriority::Auto };
    const auto order = std::make_shared<OfferedOrder>();
    for (std::size_t i = 0; i < lists.size(); ++i)
        lists[i] = new OfferedListModel(document, priorities[i], parent, order);
    return lists;
}

int OfferedListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void OfferedListModel::refresh()
{
    m_order->update(*m_document);
    const AllocationSnapshot* snapshot = m_document->hasSession() ? &m_document->allocations() : nullptr;
    const void* world = snapshot != nullptr ? snapshot->world : nullptr;
    if (m_order->version() == m_seenVersion && world == m_seenWorld) {
        // No row moved and no allocation shown changed.
        m_seenRevision = snapshot != nullptr ? snapshot->revision : m_seenRevision;
        keepRows();
        return;
    }
    // The snapshot's change list covers what changed since the rows were built when the rows were
    // built from the revision it was updated from.
    const bool known
        = snapshot != nullptr && world == m_seenWorld && !snapshot->rebuilt && snapshot->updatedFrom == m_seenRevision;
    m_seenVersion = m_order->version();
    m_seenWorld = world;
    m_seenRevision = snapshot != nullptr ? snapshot->revision : ~std::uint64_t { 0 };

    // One buffer for the lists of the window, kept between refreshes (no allocation per frame) but
    // not one per list: they refresh one after the other, on the GUI thread.
    static thread_local std::vector<OfferedRow> scratch;
    std::vector<OfferedRow>& fresh = scratch;
    fresh.clear();
    const bool autoList = m_priority == OfferPriority::Auto;
    for (const OfferedOrder::Entry& e : m_order->entries())
        if (isQueue() || (autoList ? e.autoOffer : e.level == m_priority))
            fresh.push_back({ e.handle, e.slot, isQueue() ? e.queueRank : e.levelRank, e.after });
    // Rows are inserted, removed and rewritten by allocation (SameOfferedAllocation): a kept row keeps
    // its rank and pressure through the signals, as a row should.
    syncRows(fresh);
    // Then the ranks and pressures: those that differ lie between a common head and a common tail,
    // and one signal covers them (every column: the rank decides the first victim's font and colour,
    // and the status of a pending offer).
    std::vector<OfferedRow>& shown = mutableRows();
    std::size_t head = 0;
    while (head < shown.size() && shown[head] == fresh[head])
        ++head;
    std::size_t tail = 0;
    while (tail < shown.size() - head && shown[shown.size() - 1 - tail] == fresh[shown.size() - 1 - tail])
        ++tail;
    if (head + tail < shown.size()) {
        std::copy(fresh.begin() + static_cast<std::ptrdiff_t>(head), fresh.end() - static_cast<std::ptrdiff_t>(tail),
            shown.begin() + static_cast<std::ptrdiff_t>(head));
        emit dataChanged(
            index(static_cast<int>(head), 0), index(static_cast<int>(shown.size() - 1 - tail), ColumnCount - 1));
    }
    signalRewrittenRows(known);

    const OfferedOrder::Totals& totals = m_order->totals(OfferedOrder::listOf(m_priority));
    const bool changed = totals.bytes != m_totalBytes || totals.pending != m_pendingBytes;
    m_totalBytes = totals.bytes;
    m_pendingBytes = totals.pending;
    if (totals.largest != m_largest) {
        m_largest = totals.largest;
        if (rowCount() > 0)
            emit dataChanged(index(0, Size), index(rowCount() - 1, Size), { BarRole });
    }
    if (changed || lastSync().inserted != 0 || lastSync().removed != 0 || lastSync().reset)
        emit totalsChanged(m_totalBytes, rowCount());
}

void OfferedListModel::signalRewrittenRows(bool known)
{
    // syncRows() compared what a row holds: which allocation, its rank and the pressure. What the
    // allocation is now (state, residency, size) is read from the snapshot, so the rows whose
    // allocation the snapshot rewrote are signalled here, all of them when the snapshot cannot tell.
    if (rows().empty())
        return;
    if (!known) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    const AllocationSnapshot& snapshot = m_document->allocations();
    if (snapshot.changed.empty())
        return;
    if (m_marked.size() < snapshot.rows.size())
        m_marked.resize(snapshot.rows.size());
    // A changed slot past the end is one the world no longer has (no row of a list names it).
    for (std::uint32_t slot : snapshot.changed)
        if (slot < m_marked.size())
            m_marked[slot] = 1;
    std::vector<int> rewritten;
    const std::vector<OfferedRow>& all = rows();
    for (std::size_t r = 0; r < all.size(); ++r)
        if (all[r].slot < m_marked.size() && m_marked[all[r].slot] != 0)
            rewritten.push_back(static_cast<int>(r));
    for (std::uint32_t slot : snapshot.changed)
        if (slot < m_marked.size())
            m_marked[slot] = 0;
    forEachChangedRange(
        rewritten.size(), [&rewritten](std::size_t i) { return rewritten[i]; },
        [&](std::size_t first, std::size_t end) {
            emit dataChanged(index(rewritten[first], 0), index(rewritten[end - 1], ColumnCount - 1));
        });
}

const sim::AllocationSummary& OfferedListModel::summaryOf(const OfferedRow& row) const
{
    static const sim::AllocationSummary none;
    const AllocationSnapshot& snapshot = m_document->allocations();
    // Between a change of state and the refresh that follows it a row may name a slot the snapshot
    // has given to another allocation: it shows nothing until then.
    if (row.slot >= snapshot.rows.size() || snapshot.rows[row.slot].handle != row.key)
        return none;
    return snapshot.rows[row.slot];
}

int OfferedListModel::rowOf(std::uint32_t handle) const
{
    const auto& all = rows();
    for (std::size_t r = 0; r < all.size(); ++r)
        if (all[r].key == handle)
            return static_cast<int>(r);
    return -1;
}

QVariant OfferedListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const OfferedRow& row = rows()[static_cast<std::size_t>(index.row())];
    const sim::AllocationSummary& a = summaryOf(row);
    const bool first = row.rank == 1;
    switch (role) {
    case HandleRole:
        return a.handle;
    case FirstVictimRole:
        return first;
    case BarRole:
        if (index.column() == Size && m_largest > 0)
            return static_cast<double>(a.size) / static_cast<double>(m_largest);
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rank:
            if (row.rank == 0)
                return tr("pending");
            return first ? tr("1 ▶ next victim") : QString::number(row.rank);
        case Name:
            return m_document->allocationName(a);
        case Process:
            return m_document->processName(a.process);
        case Size:
            return bytesText(a.size);
        case Segment:
            return m_document->segmentName(a.segment);
        case OfferedAt:
            return timeText(a.offerTime);
        case After:
            if (row.after == 0)
                return tr("– (not in memory)");
            return row.rank == 0 ? tr("%1 once effective").arg(bytesText(row.after)) : bytesText(row.after);
        case Status:
            if (row.rank == 0)
                return tr("pending (GPU busy)");
            return a.resident ? tr("effective") : tr("effective, not in memory");
        case Level:
            if (a.requestedPriority == OfferPriority::Auto)
                return QStringLiteral("AUTO → %1").arg(priorityText(a.effectivePriority));
            return priorityText(a.requestedPriority);
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Rank:
            return row.rank == 0 ? 0xFFFFFFFFu : row.rank;
        case Size:
            return quint64(a.size);
        case Segment:
            return a.segment;
        case OfferedAt:
            return quint64(a.offerTime);
        case After:
            return quint64(row.after);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::FontRole:
        if (first) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::BackgroundRole:
        if (first)
            return QBrush(priorityColor(a.effectivePriority).lighter(165));
        if (row.rank == 0)
            return QBrush(pendingColor().lighter(160));
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == OfferedAt || index.column() == Rank || index.column() == After)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        if (index.column() == After)
            return row.after == 0
                ? tr("Not in memory: discarding it would free nothing in %1, so pressure passes it by.")
                      .arg(m_document->segmentName(a.segment))
                : tr("When %1 needs %2 more than is free, VidMm has discarded every offer above this one and "
                     "then this one.")
                      .arg(m_document->segmentName(a.segment), bytesText(row.after));
        if (first)
            return tr("The next allocation VidMm discards in %1 when it needs memory: lower priorities go "
                      "first, then, within a level, the oldest offer (by default).")
                .arg(m_document->segmentName(a.segment));
        if (row.rank == 0)
            return glossary(QStringLiteral("pending"));
        return glossary(QStringLiteral("offered"));
    default:
        break;
    }
    return {};
}

QVariant OfferedListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        static const char* const names[ColumnCount] = { QT_TR_NOOP("Discard order"), QT_TR_NOOP("Name"),
            QT_TR_NOOP("Process"), QT_TR_NOOP("Priority"), QT_TR_NOOP("Size"), QT_TR_NOOP("Offered at"),
            QT_TR_NOOP("Goes after"), QT_TR_NOOP("Segment"), QT_TR_NOOP("Status") };
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole && section == Rank)
        return isQueue() ? tr("Position in the order VidMm would discard the offers of this segment (1 = first).")
                         : tr("Position in the order VidMm would discard this level of this segment (1 = first).");
    if (role == Qt::ToolTipRole && section == After)
        return tr("The pressure in its segment that discards it: the bytes in memory of every offer before it, "
                  "and its own.");
    return {};
}

} // namespace offerscope::models
