// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/SegmentUsageModel.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <cstring>

namespace offerscope::models {

bool SegmentRow::operator==(const SegmentRow& other) const
{
    return key == other.key && std::memcmp(&sample, &other.sample, sizeof sample) == 0;
}

SegmentUsageModel::SegmentUsageModel(const SessionDocument* document, QObject* parent)
    : RowTableModel(parent)
    , m_document(document)
{
}

int SegmentUsageModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void SegmentUsageModel::refresh()
{
    std::vector<SegmentRow> fresh;
    if (m_document->hasSession()) {
        const world::TimelinePoint& point = m_document->timeline()[m_document->position()];
        for (std::uint32_t i = 0; i < point.segments.size(); ++i)
            fresh.push_back({ i, point.segments[i] });
    }
    syncRows(std::move(fresh));
}

std::uint64_t SegmentUsageModel::categoryBytes(const world::SegmentSample& s, int column)
{
    switch (column) {
    case Size:
        return s.size;
    case InUse:
        return s.inUse;
    case OfferedLow:
        return s.offered[1];
    case OfferedNormal:
        return s.offered[2];
    case OfferedHigh:
        return s.offered[3];
    case OfferedAuto:
        return s.offered[4];
    case Pending:
        return s.offerPending;
    case Evicted:
        return s.evicted;
    case Discarded:
        return s.discarded;
    case Free:
        return s.free;
    default:
        return 0;
    }
}

QColor SegmentUsageModel::categoryColor(int column)
{
    switch (column) {
    case InUse:
        return inUseColor();
    case OfferedLow:
        return priorityColor(OfferPriority::Low);
    case OfferedNormal:
        return priorityColor(OfferPriority::Normal);
    case OfferedHigh:
        return priorityColor(OfferPriority::High);
    case OfferedAuto:
        return priorityColor(OfferPriority::Auto);
    case Pending:
        return pendingColor();
    case Evicted:
        return evictedColor();
    case Discarded:
        return discardedColor();
    case Free:
        return freeColor();
    default:
        return {};
    }
}

QString SegmentUsageModel::categoryName(int column)
{
    switch (column) {
    case Segment:
        return tr("Segment");
    case Size:
        return tr("Size");
    case InUse:
        return tr("In use");
    case OfferedLow:
        return tr("Offered LOW");
    case OfferedNormal:
        return tr("Offered NORMAL");
    case OfferedHigh:
        return tr("Offered HIGH");
    case OfferedAuto:
        return tr("Offered AUTO");
    case Pending:
        return tr("Offer pending");
    case Evicted:
        return tr("Evicted");
    case Discarded:
        return tr("Discarded (committed)");
    case Free:
        return tr("Free");
    default:
        return {};
    }
}

QVariant SegmentUsageModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SegmentRow& r = rows()[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole || role == SortRole) {
        if (column == Segment)
            return role == SortRole ? QVariant(r.key) : QVariant(m_document->segmentName(r.key));
        const std::uint64_t bytes = categoryBytes(r.sample, column);
        return role == SortRole ? QVariant(quint64(bytes)) : QVariant(bytesText(bytes));
    }
    if (role == Qt::DecorationRole && column >= InUse)
        return categoryColor(column);
    if (role == Qt::TextAlignmentRole && column != Segment)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SegmentUsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return categoryName(section);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case InUse:
            return glossary(QStringLiteral("inuse"));
        case Pending:
            return glossary(QStringLiteral("pending"));
        case Evicted:
            return glossary(QStringLiteral("evicted"));
        case Discarded:
            return glossary(QStringLiteral("discarded"));
        case Free:
            return glossary(QStringLiteral("free"));
        case OfferedLow:
        case OfferedNormal:
        case OfferedHigh:
        case OfferedAuto:
            return glossary(QStringLiteral("offered"));
        default:
            break;
        }
    }
    return {};
}

namespace {
/// Bytes, or "–" where a live source did not report the figure (sorted first).
QVariant figure(const std::optional<std::uint64_t>& bytes, bool raw)
{
    if (raw)
        return bytes ? QVariant(quint64(*bytes)) : QVariant(quint64(0));
    return bytes ? QVariant(bytesText(*bytes)) : QVariant(QStringLiteral("–"));
}
} // namespace

ProcessBudgetModel::ProcessBudgetModel(const SessionDocument* document, QObject* parent)
    : RowTableModel(parent)
    , m_document(document)
{
}

int ProcessBudgetModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void ProcessBudgetModel::refresh()
{
    std::vector<BudgetRow> fresh;
    for (const world::BudgetRow& f : m_document->budgets()) {
        BudgetRow row;
        row.key = (std::uint64_t(f.process) << 1) | static_cast<std::uint64_t>(f.group);
        row.process = QString::fromStdString(f.processName);
        row.group = static_cast<int>(f.group);
        row.budget = f.budget;
        row.usage = f.usage;
        row.reservation = f.reservation;
        row.offeredResident = f.offeredResident;
        fresh.push_back(std::move(row));
    }
    syncRows(std::move(fresh));
}

QVariant ProcessBudgetModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BudgetRow& r = rows()[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool raw = role == SortRole;
        switch (index.column()) {
        case Process:
            return r.process;
        case Group:
            return r.group == 0 ? tr("local") : tr("non-local");
        case Budget:
            return figure(r.budget, raw);
        case Usage:
            return figure(r.usage, raw);
        case Reservation:
            return figure(r.reservation, raw);
        case OfferedResident:
            return raw ? QVariant(quint64(r.offeredResident)) : QVariant(bytesText(r.offeredResident));
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Usage && r.usage && r.budget && *r.usage > *r.budget)
        return QColor(Qt::red);
    if (role == Qt::ToolTipRole) {
        if (index.column() == Group)
            return glossary(QStringLiteral("local"));
        if (index.column() == Budget)
            return glossary(QStringLiteral("budget"));
    }
    return {};
}

QVariant ProcessBudgetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char* const names[ColumnCount] = { QT_TR_NOOP("Process"), QT_TR_NOOP("Group"), QT_TR_NOOP("Budget"),
        QT_TR_NOOP("Usage"), QT_TR_NOOP("Reservation"), QT_TR_NOOP("Offered, resident") };
    return tr(names[section]);
}

} // namespace offerscope::models
