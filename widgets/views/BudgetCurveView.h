// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;

namespace offerscope::models {
class BudgetCurveModel;
}

namespace offerscope::widgets {

class TableView;

/// The budget curve of an access trace: the miss ratio (accesses that built their object)
/// against the budget, each replayed budget a point, the knee pointed out and the chosen budget
/// marked; the numbers in a table beside it. Clicking the plot or a row chooses that budget. Reads
/// the curve's model only.
class BudgetCurveView final : public QWidget {
    Q_OBJECT
public:
    explicit BudgetCurveView(models::BudgetCurveModel* model, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    QCPGraph* curveGraph() const { return m_graph; }
    TableView* table() const { return m_table; }
    /// Where the knee and the chosen budget are marked (in MiB on the budget axis; -1: not shown).
    double kneeMark() const;
    double chosenMark() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void showChosen();

    models::BudgetCurveModel* m_model;
    QLabel* m_header;
    QCustomPlot* m_plot;
    QCPGraph* m_graph = nullptr;
    QCPItemStraightLine* m_knee = nullptr;
    QCPItemText* m_kneeLabel = nullptr;
    QCPItemStraightLine* m_chosen = nullptr;
    QCPItemText* m_chosenLabel = nullptr;
    TableView* m_table;
};

} // namespace offerscope::widgets
