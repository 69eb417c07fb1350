// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/BesidePane.h"

#include "core/world/World.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/views/NarrationView.h"
#include "widgets/views/OfferedListsView.h"
#include "widgets/views/TableView.h"
#include "widgets/views/UsageBarsPlot.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace offerscope::app {

using namespace models;
using namespace widgets;

BesidePane::BesidePane(std::unique_ptr<world::World> world, QWidget* parent)
    : QWidget(parent)
    , m_document(new SessionDocument(this))
{
    setObjectName(QStringLiteral("besidePane"));
    m_document->addWorld(std::move(world));
    m_segments = new SegmentUsageModel(m_document, this);
    m_budgets = new ProcessBudgetModel(m_document, this);
    m_offered = makeOfferedLists(m_document, this);
    m_reclaims = new ReclaimResultsModel(m_document, this);

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("besideHeader"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Maximum);
    connect(m_header, &QLabel::linkActivated, this, &BesidePane::linkActivated);

    m_narration = new NarrationView(m_document, this);
    m_narration->setObjectName(QStringLiteral("besideNarration"));
    m_usagePlot = new UsageBarsPlot(m_document, m_segments, m_budgets, this);
    m_usagePlot->setObjectName(QStringLiteral("besideUsage"));
    m_offeredView = new OfferedListsView(m_offered, this);
    m_offeredView->setObjectName(QStringLiteral("besideOffered"));
    m_reclaimTable = new TableView(this);
    m_reclaimTable->setObjectName(QStringLiteral("besideReclaims"));
    m_reclaimTable->setModel(m_reclaims);
    // What sets the two apart first: the result. The process and the fence are the recording's.
    m_reclaimTable->setColumnHidden(ReclaimResultsModel::Process, true);
    m_reclaimTable->setColumnHidden(ReclaimResultsModel::Fence, true);
    m_reclaimTable->horizontalHeader()->moveSection(ReclaimResultsModel::Result, 1);
    connect(m_offeredView, &OfferedListsView::allocationSelected, this, &BesidePane::allocationSelected);
    connect(m_reclaimTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (current.isValid())
                if (const QVariant h = current.siblingAtColumn(0).data(HandleRole); h.isValid())
                    emit allocationSelected(h.toUInt());
        });

    // One row under the window's views: what it is and where it parts, then its usage, its offered
    // lists and its reclaim results, each under the recording's own.
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_narration);
    split->addWidget(m_usagePlot);
    split->addWidget(m_offeredView);
    split->addWidget(m_reclaimTable);
    split->setSizes({ 300, 420, 420, 420 });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(split, 1);

    for (Refreshable* view : std::initializer_list<Refreshable*> { m_reclaims, m_segments, m_budgets, m_offered[0],
             m_offered[1], m_offered[2], m_offered[3], m_offered[4], m_usagePlot, m_narration })
        m_document->addView(view);
    m_document->refreshViews();
}

BesidePane::~BesidePane() = default;

world::World* BesidePane::world() const
{
    return m_document->world();
}

void BesidePane::setHeader(const QString& html)
{
    m_header->setText(html);
}

void BesidePane::setOrderNote(const QString& note)
{
    m_offeredView->setOrderNote(note);
}

void BesidePane::follow(std::size_t position)
{
    if (position == m_document->position())
        return;
    m_document->seek(position);
    m_document->refreshViews();
    for (int list = 0; list < OfferedListsView::kLists; ++list)
        m_offeredView->table(list)->fitColumnsAsItGrows();
    m_reclaimTable->fitColumnsAsItGrows();
}

} // namespace offerscope::app
