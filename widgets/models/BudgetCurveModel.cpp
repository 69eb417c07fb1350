// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/BudgetCurveModel.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace offerscope::models {

BudgetCurveModel::BudgetCurveModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void BudgetCurveModel::setCurve(replay::BudgetCurve curve, const QString& traceName)
{
    beginResetModel();
    m_curve = std::move(curve);
    m_traceName = traceName;
    m_chosen = m_curve.knee      ? static_cast<int>(*m_curve.knee)
        : m_curve.points.empty() ? -1
                                 : static_cast<int>(m_curve.points.size() / 2);
    endResetModel();
    emit chosenChanged(m_chosen);
}

std::optional<int> BudgetCurveModel::kneeRow() const
{
    if (!m_curve.knee)
        return std::nullopt;
    return static_cast<int>(*m_curve.knee);
}

void BudgetCurveModel::choose(int row)
{
    if (row < -1 || row >= rowCount() || row == m_chosen)
        return;
    const int before = m_chosen;
    m_chosen = row;
    for (int r : { before, row })
        if (r >= 0)
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
    emit chosenChanged(row);
}

int BudgetCurveModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_curve.points.size());
}

int BudgetCurveModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BudgetCurveModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const replay::SweepPoint& p = m_curve.points[static_cast<std::size_t>(index.row())];
    const bool knee = m_curve.knee == static_cast<std::size_t>(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Budget:
            return bytesText(p.budget) + (knee ? tr("  (knee)") : QString());
        case MissRatio:
            return QString::number(p.missRatio(), 'f', 4);
        case DiscardRatio:
            return QString::number(p.stats.discardRatio(), 'f', 4);
        case Ok:
            return QString::number(p.stats.reclaimsOk);
        case Discarded:
            return QString::number(p.stats.reclaimsDiscarded + p.stats.reclaimsNotCommitted);
        case Regenerated:
            return bytesText(p.stats.bytesRegenerated);
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Budget:
            return quint64(p.budget);
        case MissRatio:
            return p.missRatio();
        case DiscardRatio:
            return p.stats.discardRatio();
        case Ok:
            return quint64(p.stats.reclaimsOk);
        case Discarded:
            return quint64(p.stats.reclaimsDiscarded + p.stats.reclaimsNotCommitted);
        case Regenerated:
            return quint64(p.stats.bytesRegenerated);
        }
        break;
    case Qt::FontRole:
        if (knee || index.row() == m_chosen) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        break;
    case Qt::BackgroundRole:
        if (index.row() == m_chosen)
            return QBrush(QColor(0x1a, 0x5f, 0xb4).lighter(185));
        break;
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return tr("At a budget of %1, %2 of the accesses had to build their object (miss ratio: creations + "
                  "DISCARDED + too large, over accesses) and %3 of the reclaims found their content gone (discard "
                  "ratio); %4 regenerated.")
            .arg(bytesText(p.budget))
            .arg(QString::number(100.0 * p.missRatio(), 'f', 1) + QStringLiteral(" %"),
                QString::number(100.0 * p.stats.discardRatio(), 'f', 1) + QStringLiteral(" %"),
                bytesText(p.stats.bytesRegenerated));
    default:
        break;
    }
    return {};
}

QVariant BudgetCurveModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char* const names[ColumnCount] = { QT_TR_NOOP("Budget"), QT_TR_NOOP("Miss ratio"),
        QT_TR_NOOP("Discard ratio"), QT_TR_NOOP("OK"), QT_TR_NOOP("DISCARDED"), QT_TR_NOOP("Regenerated") };
    return tr(names[section]);
}

} // namespace offerscope::models
