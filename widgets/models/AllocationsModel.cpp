// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/AllocationsModel.h"

#include "core/d3dkmt/D3dkmtTypes.h"
#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <QFont>

namespace offerscope::models {

AllocationsModel::AllocationsModel(const SessionDocument* document, QObject* parent)
    : RowTableModel(parent)
    , m_document(document)
{
}

int AllocationsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void AllocationsModel::refresh()
{
    if (!m_document->hasSession()) {
        resetRows({});
        return;
    }
    const AllocationSnapshot& snapshot = m_document->allocations();
    std::vector<AllocationRow> fresh;
    fresh.reserve(snapshot.rows.size());
    for (const sim::AllocationSummary& s : snapshot.rows)
        fresh.push_back({ s.handle, s });
    syncRows(std::move(fresh));
}

int AllocationsModel::rowOf(std::uint32_t handle) const
{
    // Rows are in slot order, as the snapshot: its table finds the slot, then the row.
    const auto& all = rows();
    const AllocationSnapshot& snapshot = m_document->allocations();
    const std::uint32_t slot = sim::Simulator::handleSlot(handle);
    if (slot < snapshot.rowOfSlot.size() && snapshot.rowOfSlot[slot] != AllocationSnapshot::kNoRow) {
        const std::uint32_t r = snapshot.rowOfSlot[slot];
        if (r < all.size() && all[r].key == handle)
            return static_cast<int>(r);
    }
    for (std::size_t r = 0; r < all.size(); ++r)
        if (all[r].key == handle)
            return static_cast<int>(r);
    return -1;
}

QVariant AllocationsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const sim::AllocationSummary& a = rows()[static_cast<std::size_t>(index.row())].summary;
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
    case SortRole:
        switch (index.column()) {
        case Name:
            return m_document->allocationName(a);
        case Handle:
            return a.handle;
        case Process:
            return m_document->processName(a.process);
        case Segment:
            return a.segment;
        case Size:
            return quint64(a.size);
        case State:
            return static_cast<int>(a.state);
        case Priority:
            return static_cast<int>(a.requestedPriority) * 8 + static_cast<int>(a.effectivePriority);
        case OfferedAt:
            return offered ? quint64(a.offerTime) : QVariant(quint64(0));
        case Residency:
            return a.residencyPriority;
        case Flags:
            return a.lockCount * 4 + (a.gpuBusy ? 2 : 0) + (a.resident ? 0 : 1);
        }
        break;
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
