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
    const std::vector<sim::AllocationSummary>& all = m_document->allocations().rows;
    // Rows in slot order, as the snapshot: compared in place, no list of 100,000 rows built.
    const auto row = [&all](std::size_t i) { return AllocationRow { all[i].handle, all[i] }; };
    const auto key = [&all](std::size_t i) { return all[i].handle; };
    syncRowsFrom(all.size(), key, row);
}

std::pair<int, int> AllocationsModel::changedColumns(const AllocationRow& before, const AllocationRow& after) const
{
    // The columns each field shows (in any role). A step changes states, offers and flags; the
    // name, handle, process, segment and size of a handle never change, so a table sorted by one
    // of those is not re-sorted on every refresh.
    const sim::AllocationSummary& a = before.summary;
    const sim::AllocationSummary& b = after.summary;
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
    // Rows are in the snapshot's order: its index finds the row.
    const auto& all = rows();
    const AllocationSnapshot& snapshot = m_document->allocations();
    if (const sim::AllocationSummary* a = snapshot.find(handle)) {
        const auto r = static_cast<std::size_t>(a - snapshot.rows.data());
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
