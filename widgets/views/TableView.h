// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTableView>

namespace offerscope::widgets {

/// The table every pane uses: row selection, compact rows, a context menu to export the rows as CSV.
class TableView final : public QTableView {
    Q_OBJECT
public:
    explicit TableView(QWidget* parent = nullptr);
    /// Asks for a file name and writes the model's rows as CSV (errors in a message box).
    void exportCsv();
    /// Sizes every column but the last (which stretches) to its contents, at most `maxWidth`.
    /// With `growOnly`, columns only widen (refreshes keep what the user or an earlier fit chose).
    void fitColumns(int maxWidth = 260, bool growOnly = false);
    /// Fits the columns when the table first has rows and again (widening only) each time it has
    /// doubled: a lesson's first rows are rarely its widest. A fit measures at most 50 rows a column,
    /// and doubling keeps it rare on a large table too.
    void fitColumnsAsItGrows(int maxWidth = 220);
    /// Forgets the last fit (a new file): the next fitColumnsAsItGrows() fits from scratch.
    void resetFit() { m_fittedRows = 0; }
    /// Selects and shows the row whose `role` data equals `value` (first match); false if none.
    bool selectRowWhere(int role, const QVariant& value, bool last = false);
    /// Lays the items out now if a model change asked for a delayed layout, so that the window
    /// paints the table once, after the change, instead of once before and once after the layout.
    void layOutNow() { executeDelayedItemsLayout(); }

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int m_fittedRows = 0; ///< rows when the columns were last fitted (0: never since resetFit)
};

} // namespace offerscope::widgets
