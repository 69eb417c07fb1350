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

int OfferedListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void OfferedListModel::refresh()
{
    std::vector<OfferedRow>& fresh = m_fresh;
    fresh.clear();
    std::uint64_t total = 0, pending = 0;
    if (m_document->hasSession()) {
        const world::World& world = *m_document->world();
        const AllocationSnapshot& snapshot = m_document->allocations();
        const bool autoList = m_priority == OfferPriority::Auto;
        const auto segments = static_cast<std::uint32_t>(world.adapterConfig().segments.size());
        for (std::uint32_t segment = 0; segment < segments; ++segment) {
            for (int l = 0; l < sim::kOfferLevelCount; ++l) {
                const auto level = static_cast<sim::OfferLevel>(l);
                if (!autoList && sim::offerLevelPriority(level) != m_priority)
                    continue;
                std::uint32_t rank = 0;
                for (D3DKMT_HANDLE h : m_document->discardOrder(segment, level)) {
                    ++rank;
                    const sim::AllocationSummary* a = snapshot.find(h);
                    if (a == nullptr || (autoList && a->requestedPriority != OfferPriority::Auto))
                        continue;
                    fresh.push_back({ h, rank, *a });
                    total += a->size;
                }
            }
            for (D3DKMT_HANDLE h : world.pendingOffers(segment)) {
                const sim::AllocationSummary* a = snapshot.find(h);
                if (a == nullptr)
                    continue;
                if (autoList ? a->requestedPriority != OfferPriority::Auto : a->effectivePriority != m_priority)
                    continue;
                fresh.push_back({ h, 0, *a });
                total += a->size;
                pending += a->size;
            }
        }
    }
    syncRows(fresh);
    const bool changed = total != m_totalBytes || pending != m_pendingBytes;
    m_totalBytes = total;
    m_pendingBytes = pending;
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
        case Status:
            return row.rank == 0 ? tr("pending (GPU busy)") : tr("effective");
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
        if (index.column() == Size || index.column() == OfferedAt || index.column() == Rank)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
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
        static const char* const names[ColumnCount]
            = { QT_TR_NOOP("Discard order"), QT_TR_NOOP("Name"), QT_TR_NOOP("Process"), QT_TR_NOOP("Size"),
                  QT_TR_NOOP("Segment"), QT_TR_NOOP("Offered at"), QT_TR_NOOP("Status"), QT_TR_NOOP("Priority") };
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole && section == Rank)
        return tr("Position in the order VidMm would discard this level of this segment (1 = first).");
    return {};
}

} // namespace offerscope::models
