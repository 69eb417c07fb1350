// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/OfferedListsView.h"

#include "widgets/models/Format.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/Roles.h"
#include "widgets/views/TableView.h"

#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>
#include <vector>

namespace offerscope::widgets {

void OfferedListsView::setOrderNote(const QString& note)
{
    m_help->setText(!note.isEmpty() ? note
                                    : tr("Offered allocations in the order VidMm would discard them when it needs "
                                         "memory: LOW before NORMAL before HIGH; within a level the oldest offer "
                                         "first. The first victim of each segment is highlighted."));
}

void OfferedListsView::setHelpVisible(bool visible)
{
    m_help->setVisible(visible);
}

OfferedListsView::OfferedListsView(const std::array<models::OfferedListModel*, 5>& lists, QWidget* parent)
    : QWidget(parent)
    , m_lists(lists)
    , m_tabs(new QTabWidget(this))
    , m_help(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_help->setWordWrap(true);
    setOrderNote({});
    m_help->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_help);
    layout->addWidget(m_tabs);
    for (std::size_t i = 0; i < m_lists.size(); ++i) {
        auto* table = new TableView(this);
        table->setObjectName(m_lists[i]->isQueue()
                ? QStringLiteral("offered-queue")
                : QStringLiteral("offered-%1").arg(models::priorityText(m_lists[i]->priority()).toLower()));
        table->setModel(m_lists[i]);
        table->setSelectionMode(QAbstractItemView::ExtendedSelection);
        table->horizontalHeader()->resizeSection(0, 110);
        m_tables[i] = table;
        m_tabs->addTab(table, QString());
        m_tabs->setTabToolTip(static_cast<int>(i),
            m_lists[i]->isQueue() ? tr("Every offer of each segment in the order VidMm would discard them: LOW, "
                                       "then NORMAL, then HIGH, AUTO offers at the level each maps to, pending "
                                       "offers where they land once their GPU work retires.")
                : m_lists[i]->priority() == OfferPriority::Auto
                ? tr("Offers made with AUTO: VidMm maps each to LOW, NORMAL or HIGH from the allocation's "
                     "residency priority. The order shown is the order within the level it maps to.")
                : tr("The %1 discard level, AUTO offers mapped to it included.")
                      .arg(models::priorityText(m_lists[i]->priority())));
        connect(m_lists[i], &models::OfferedListModel::totalsChanged, this,
            [this, i] { updateTitle(static_cast<int>(i)); });
        connect(
            table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
                if (current.isValid())
                    emit allocationSelected(current.data(models::HandleRole).toUInt());
            });
        updateTitle(static_cast<int>(i));
    }
}

void OfferedListsView::updateTitle(int list)
{
    const models::OfferedListModel* m = m_lists[static_cast<std::size_t>(list)];
    // Setting a tab's text or colour lays out and repaints the whole tab widget, the table in it
    // included, even when nothing changed: only when it did.
    const QString text = QStringLiteral("%1 · %2 · %3")
                             .arg(m->isQueue() ? tr("Queue") : models::priorityText(m->priority()))
                             .arg(m->rowCount())
                             .arg(models::bytesText(m->totalBytes()));
    if (m_tabs->tabText(list) != text)
        m_tabs->setTabText(list, text);
    const QColor color
        = m->isQueue() ? palette().color(QPalette::WindowText) : models::priorityColor(m->priority()).darker(140);
    if (m_tabs->tabBar()->tabTextColor(list) != color)
        m_tabs->tabBar()->setTabTextColor(list, color);
}

bool OfferedListsView::selectAllocation(std::uint32_t handle)
{
    // The list shown first if it holds it, else the first list that does.
    const int current = std::max(0, m_tabs->currentIndex());
    std::vector<int> order { current };
    for (int list = 0; list < kLists; ++list)
        if (list != current)
            order.push_back(list);
    for (int list : order) {
        const int row = m_lists[static_cast<std::size_t>(list)]->rowOf(handle);
        if (row < 0)
            continue;
        m_tabs->setCurrentIndex(list);
        TableView* table = m_tables[static_cast<std::size_t>(list)];
        const QSignalBlocker block(table->selectionModel());
        const QModelIndex index = m_lists[static_cast<std::size_t>(list)]->index(row, 0);
        table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table->scrollTo(index);
        table->viewport()->update();
        return true;
    }
    for (TableView* table : m_tables) {
        const QSignalBlocker block(table->selectionModel());
        table->clearSelection();
    }
    return false;
}

} // namespace offerscope::widgets
