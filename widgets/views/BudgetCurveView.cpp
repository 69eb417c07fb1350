// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/BudgetCurveView.h"

#include "widgets/models/BudgetCurveModel.h"
#include "widgets/models/Format.h"
#include "widgets/views/PlotExport.h"
#include "widgets/views/TableView.h"

#include <QEvent>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace offerscope::widgets {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
const QColor kKneeColor(0xd6, 0x4a, 0x1f);
const QColor kChosenColor(0x1a, 0x5f, 0xb4);
} // namespace

BudgetCurveView::BudgetCurveView(models::BudgetCurveModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_header(new QLabel(this))
    , m_plot(new QCustomPlot(this))
    , m_table(new TableView(this))
{
    setObjectName(QStringLiteral("budgetCurve"));
    m_header->setWordWrap(true);
    m_header->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Maximum);
    m_plot->setObjectName(QStringLiteral("budgetCurvePlot"));
    m_plot->setMinimumSize(320, 200);
    m_plot->xAxis->setLabel(tr("budget (MiB): the cache's segment and budget"));
    m_plot->yAxis->setLabel(tr("miss ratio"));
    m_plot->yAxis->setRange(0, 1.05);
    m_graph = m_plot->addGraph();
    m_graph->setName(tr("miss ratio"));
    m_graph->setPen(QPen(QColor(0x4e, 0x79, 0xa7), 2));
    m_graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0x4e, 0x79, 0xa7), Qt::white, 7));
    const auto marker
        = [this](const QColor& color, Qt::PenStyle style, QCPItemStraightLine*& line, QCPItemText*& label) {
              line = new QCPItemStraightLine(m_plot);
              line->setPen(QPen(color, 2, style));
              label = new QCPItemText(m_plot);
              label->position->setType(QCPItemPosition::ptPlotCoords);
              label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
              label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
              label->setColor(color);
              label->setBrush(QBrush(QColor(255, 255, 255, 215)));
              label->setPadding(QMargins(3, 1, 3, 1));
              label->setClipToAxisRect(true);
          };
    marker(kKneeColor, Qt::DashLine, m_knee, m_kneeLabel);
    marker(kChosenColor, Qt::SolidLine, m_chosen, m_chosenLabel);
    applyPlotFont(m_plot, font());

    m_table->setObjectName(QStringLiteral("budgetCurveTable"));
    m_table->setModel(m_model);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { m_model->choose(current.isValid() ? current.row() : -1); });
    // A click on the plot chooses the replayed budget nearest to it.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() != Qt::LeftButton || m_model->rowCount() == 0)
            return;
        const double mib = m_plot->xAxis->pixelToCoord(event->pos().x());
        int best = 0;
        for (int r = 1; r < m_model->rowCount(); ++r)
            if (std::abs(static_cast<double>(m_model->curve().points[static_cast<std::size_t>(r)].budget) / kMiB - mib)
                < std::abs(
                    static_cast<double>(m_model->curve().points[static_cast<std::size_t>(best)].budget) / kMiB - mib))
                best = r;
        m_model->choose(best);
    });
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addAction(tr("Export plot (PNG, PDF)…"), this,
            [this] { exportPlotInteractively(m_plot, this, QStringLiteral("budget-curve.png")); });
        menu.addAction(tr("Export numbers (CSV)…"), m_table, &TableView::exportCsv);
        menu.exec(m_plot->mapToGlobal(at));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &BudgetCurveView::rebuild);
    connect(m_model, &models::BudgetCurveModel::chosenChanged, this, &BudgetCurveView::showChosen);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_plot);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(split, 1);
    rebuild();
}

void BudgetCurveView::rebuild()
{
    const replay::BudgetCurve& curve = m_model->curve();
    QVector<double> budgets, ratios;
    for (const replay::SweepPoint& p : curve.points) {
        budgets << static_cast<double>(p.budget) / kMiB;
        ratios << p.missRatio();
    }
    m_graph->setData(budgets, ratios, true);
    if (!budgets.isEmpty()) {
        const double span = std::max(1.0, budgets.back() - budgets.front());
        m_plot->xAxis->setRange(std::max(0.0, budgets.front() - span * 0.04), budgets.back() + span * 0.04);
    }
    const auto knee = m_model->kneeRow();
    m_knee->setVisible(knee.has_value());
    m_kneeLabel->setVisible(knee.has_value());
    QString words = tr("<b>Budget curve</b> of %1: %2 budgets replayed, each on its own simulator (the replays "
                       "share the machine's cores). Miss ratio: the accesses that had to build their object.")
                        .arg(m_model->traceName().toHtmlEscaped())
                        .arg(curve.points.size());
    if (knee) {
        const replay::SweepPoint& k = curve.points[static_cast<std::size_t>(*knee)];
        const double x = static_cast<double>(k.budget) / kMiB;
        m_knee->point1->setCoords(x, 0);
        m_knee->point2->setCoords(x, 1);
        m_kneeLabel->setText(tr("knee: %1").arg(models::bytesText(k.budget)));
        m_kneeLabel->position->setCoords(x, 0.02);
        words += tr(" <span style=\"color:%1\">The knee is at %2</span> (miss ratio %3): below it every MiB saves "
                    "many regenerations, past it more budget buys little.")
                     .arg(kKneeColor.name(), models::bytesText(k.budget))
                     .arg(k.missRatio(), 0, 'f', 3);
    } else if (curve.points.size() >= 3) {
        words += tr(" The curve has no knee: it is flat, or falls faster the more budget it gets.");
    }
    if (curve.cancelled)
        words += tr(" <i>Cancelled: only these budgets were replayed.</i>");
    m_header->setText(words);
    m_table->resetFit();
    m_table->fitColumns();
    showChosen();
}

void BudgetCurveView::showChosen()
{
    const int row = m_model->chosenRow();
    const bool shown = row >= 0 && row < m_model->rowCount();
    m_chosen->setVisible(shown);
    m_chosenLabel->setVisible(shown);
    if (shown) {
        const replay::SweepPoint& p = m_model->curve().points[static_cast<std::size_t>(row)];
        const double x = static_cast<double>(p.budget) / kMiB;
        m_chosen->point1->setCoords(x, 0);
        m_chosen->point2->setCoords(x, 1);
        m_chosenLabel->setText(
            tr("chosen: %1 → %2 % misses").arg(models::bytesText(p.budget)).arg(100.0 * p.missRatio(), 0, 'f', 1));
        m_chosenLabel->position->setCoords(x, 0.12);
        if (m_table->currentIndex().row() != row) {
            const QSignalBlocker block(m_table->selectionModel());
            m_table->selectionModel()->setCurrentIndex(
                m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

double BudgetCurveView::kneeMark() const
{
    return m_knee->visible() ? m_knee->point1->coords().x() : -1;
}

double BudgetCurveView::chosenMark() const
{
    return m_chosen->visible() ? m_chosen->point1->coords().x() : -1;
}

void BudgetCurveView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    applyPlotFont(m_plot, font());
    for (QCPItemText* label : { m_kneeLabel, m_chosenLabel })
        label->setFont(scaledFont(font(), 0.9));
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

} // namespace offerscope::widgets
