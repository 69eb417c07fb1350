// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/replay/BudgetSweep.h"

#include <QAbstractTableModel>
#include <QString>
#include <optional>

namespace offerscope::models {

/// The budget curve of an access trace (replay::sweepBudgets), one row per budget, smallest first, the
/// knee marked, and the budget the person chose (the knee until they pick another).
class BudgetCurveModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Budget, MissRatio, DiscardRatio, Ok, Discarded, Regenerated, ColumnCount };

    explicit BudgetCurveModel(QObject* parent = nullptr);

    /// Shows a curve (of `traceName`); the chosen budget goes to its knee (or the middle budget).
    void setCurve(replay::BudgetCurve curve, const QString& traceName);
    const replay::BudgetCurve& curve() const { return m_curve; }
    QString traceName() const { return m_traceName; }
    std::optional<int> kneeRow() const;
    int chosenRow() const { return m_chosen; }
    /// Chooses the budget of a row (-1: none).
    void choose(int row);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void chosenChanged(int row);

private:
    replay::BudgetCurve m_curve;
    QString m_traceName;
    int m_chosen = -1;
};

} // namespace offerscope::models
