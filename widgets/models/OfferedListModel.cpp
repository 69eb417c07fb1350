// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/OfferedListModel.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <QFont>

namespace offerscope::models {

OfferedListModel::OfferedListModel(const SessionDocument* document, OfferPriority priority, QObject* parent)
    : RowTableModel(parent)
    , m_document(document)
    , m_priority(priority)
{
}

std::array<OfferedListModel*, 5> makeOfferedLists(const SessionDocument* document, QObject* parent)
{
    std::array<OfferedListModel*, 5> lists {};
    const OfferPriority priorities[5] // None: the whole queue
        = { OfferPriority::None, OfferPriority::Low, OfferPriority::Normal, OfferPriority::High, OfferPriority::Auto };
    for (std::size_t i = 0; i < lists.size(); ++i)
        lists[i] = new OfferedListModel(document, priorities[i], parent);
    return lists;
}

int OfferedListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool OfferedListModel::unchangedSinceSeen() const
{
    // What a list shows comes from the offered and pending allocations (their order, sizes, residency
    // and the pressure before them) and the policy that orders them. When the allocations a step
    // touched were neither offered nor pending before it or after it, and the policy is the same,
    // every list is as it was: a step that touches none of them costs nothing here.
    if (!m_document->hasSession() || m_document->world()->allocationSlots() == 0)
        return false;
    const AllocationSnapshot& snapshot = m_document->allocations();
    if (snapshot.world != m_seenWorld || !(m_document->world()->policy() == m_seenPolicy))
        return false;
    if (snapshot.revision == m_seenRevision)
        return true;
    if (snapshot.rebuilt || snapshot.updatedFrom != m_seenRevision || snapshot.previous.size() != snapshot.changed.size())
        return false;
    const auto offerish = [](const sim::AllocationSummary& a) {
        return a.state == sim::AllocationState::Offered || a.state == sim::AllocationState::OfferPending;
    };
    for (std::size_t i = 0; i < snapshot.changed.size(); ++i)
        if (offerish(snapshot.previous[i]) || offerish(snapshot.rows[snapshot.changed[i]]))
            return false;
    return true;
}

void OfferedListModel::refresh()
{
    if (unchangedSinceSeen()) {
        m_seenRevision = m_document->allocations().revision;
        keepRows();
        return;
    }
    if (m_document->hasSession()) {
        const AllocationSnapshot& seen = m_document->allocations();
        m_seenWorld = seen.world;
        m_seenRevision = seen.revision;
        m_seenPolicy = m_document->world()->policy();
    } else {
        m_seenWorld = nullptr;
    }
    // One buffer for the lists of the window, kept between refreshes (no allocation per frame) but not
    // one per list: they refresh one after the other, on the GUI thread.
    static thread_local std::vector<OfferedRow> scratch;
    std::vector<OfferedRow>& fresh = scratch;
    fresh.clear();
    std::uint64_t total = 0, pending = 0, largest = 0;
    if (m_document->hasSession()) {
        const world::World& world = *m_document->world();
        const AllocationSnapshot& snapshot = m_document->allocations();
        const bool autoList = m_priority == OfferPriority::Auto;
        const sim::WithinPriorityOrder order = world.policy().withinPriorityOrder;
        const auto segments = static_cast<std::uint32_t>(world.adapterConfig().segments.size());
        std::vector<const sim::AllocationSummary*> waiting;
        for (std::uint32_t segment = 0; segment < segments; ++segment) {
            waiting.clear();
            for (D3DKMT_HANDLE h : world.pendingOffers(segment))
                if (const sim::AllocationSummary* a = snapshot.find(h))
                    waiting.push_back(a);
            std::uint64_t pressure = 0; // bytes in memory of the offers before, across the levels
            std::uint32_t queueRank = 0;
            for (int l = 0; l < sim::kOfferLevelCount; ++l) {
                const auto level = static_cast<sim::OfferLevel>(l);
                const OfferPriority levelPriority = sim::offerLevelPriority(level);
                const bool wanted = isQueue() || autoList || levelPriority == m_priority;
                const std::vector<D3DKMT_HANDLE>& handles = m_document->discardOrder(segment, level);
                if (!wanted && levelPriority > m_priority)
                    break; // a level's list: the levels after it change nothing it shows
                if (!wanted) {
                    // Not shown, but the pressure that reaches the next levels goes through it.
                    for (D3DKMT_HANDLE h : handles)
                        if (const sim::AllocationSummary* a = snapshot.find(h); a != nullptr && a->resident)
                            pressure += a->size;
                    queueRank += static_cast<std::uint32_t>(handles.size());
                    continue;
                }
                const auto show = [&](const sim::AllocationSummary& a) {
                    return isQueue() || (autoList ? a.requestedPriority == OfferPriority::Auto : true);
                };
                // A pending offer joins its level when its fence retires: as the newest offer (oldest
                // first), or by its size.
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
                std::vector<const sim::AllocationSummary*> joining;
                for (const sim::AllocationSummary* p : waiting)
                    if (p->effectivePriority == levelPriority)
                        joining.push_back(p);
                std::stable_sort(joining.begin(), joining.end(),
                    [&](const sim::AllocationSummary* x, const sim::AllocationSummary* y) {
                        return landsBefore(*x, *y);
                    });
                std::size_t next = 0;
                const auto addPending = [&](const sim::AllocationSummary& p) {
                    if (show(p)) {
                        fresh.push_back({ p.handle, 0, pressure + (p.resident ? p.size : 0), p });
                        total += p.size;
                        pending += p.size;
                        largest = std::max(largest, p.size);
                    }
                };
                std::uint32_t levelRank = 0;
                for (D3DKMT_HANDLE h : handles) {
                    const sim::AllocationSummary* a = snapshot.find(h);
                    ++levelRank;
                    ++queueRank;
                    if (a == nullptr)
                        continue;
                    while (next < joining.size() && landsBefore(*joining[next], *a))
                        addPending(*joining[next++]);
                    if (a->resident)
                        pressure += a->size;
                    if (!show(*a))
                        continue;
                    fresh.push_back({ h, isQueue() ? queueRank : levelRank, a->resident ? pressure : 0, *a });
                    total += a->size;
                    largest = std::max(largest, a->size);
                }
                while (next < joining.size())
                    addPending(*joining[next++]);
            }
        }
    }
    syncRows(fresh);
    const bool changed = total != m_totalBytes || pending != m_pendingBytes;
    m_totalBytes = total;
    m_pendingBytes = pending;
    if (largest != m_largest) {
        m_largest = largest;
        if (rowCount() > 0)
            emit dataChanged(index(0, Size), index(rowCount() - 1, Size), { BarRole });
    }
    if (changed || lastSync().inserted != 0 || lastSync().removed != 0 || lastSync().reset)
        emit totalsChanged(m_totalBytes, rowCount());
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
    const sim::AllocationSummary& a = row.summary;
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
