// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/TableView.h"

#include "widgets/models/CsvExport.h"
#include "widgets/views/CachedScrollBar.h"
#include "widgets/views/CachedTextDelegate.h"

#include <QContextMenuEvent>
#include <QEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QMenu>
#include <QMessageBox>

namespace offerscope::widgets {

TableView::TableView(QWidget* parent)
    : QTableView(parent)
{
    CachedScrollBar::install(this);
    setItemDelegate(new CachedTextDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    // Rows measured when fitting a column, the visible ones first: measuring text is what a fit
    // costs, and it grows with the rows measured.
    horizontalHeader()->setResizeContentsPrecision(50);
}

void TableView::exportCsv()
{
    if (model() == nullptr)
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export table as CSV"), objectName() + QStringLiteral(".csv"), tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!models::writeModelCsv(*model(), path, &error))
        QMessageBox::warning(this, tr("Export table"), error);
}

void TableView::fitColumns(int maxWidth, bool growOnly)
{
    if (model() == nullptr)
        return;
    for (int c = 0; c + 1 < model()->columnCount(); ++c) {
        const int wanted = std::min(std::max(sizeHintForColumn(c), horizontalHeader()->sectionSizeHint(c)), maxWidth);
        if (!growOnly || wanted > horizontalHeader()->sectionSize(c))
            horizontalHeader()->resizeSection(c, wanted);
    }
}

void TableView::fitColumnsAsItGrows(int maxWidth)
{
    const int rows = model() == nullptr ? 0 : model()->rowCount();
    if (rows == 0 || (m_fittedRows != 0 && rows < 2 * m_fittedRows))
        return;
    fitColumns(maxWidth, m_fittedRows != 0);
    m_fittedRows = rows;
}

bool TableView::selectRowWhere(int role, const QVariant& value, bool last)
{
    if (model() == nullptr)
        return false;
    const int rows = model()->rowCount();
    for (int i = 0; i < rows; ++i) {
        const int r = last ? rows - 1 - i : i;
        const QModelIndex index = model()->index(r, 0);
        if (index.data(role) == value) {
            selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            scrollTo(index);
            return true;
        }
    }
    return false;
}

void TableView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    menu.addAction(tr("Export as CSV…"), this, &TableView::exportCsv);
    menu.exec(event->globalPos());
}

void TableView::changeEvent(QEvent* event)
{
    QTableView::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        // Rows as tall as the text (the classroom layout's larger font), columns refitted.
        verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
        resetFit();
    }
}

} // namespace offerscope::widgets
