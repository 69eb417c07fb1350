// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/UsageBarsPlot.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/views/PlotExport.h"

#include <QEvent>
#include <QFontInfo>
#include <QToolTip>
#include <QVBoxLayout>
#include <map>
#include <qcustomplot.h>

namespace offerscope::widgets {

using models::SegmentUsageModel;

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

UsageBarsPlot::UsageBarsPlot(const models::SessionDocument* document, const SegmentUsageModel* usage,
    const models::ProcessBudgetModel* budgets, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_usage(usage)
    , m_budgets(budgets)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    setMinimumHeight(160);

    m_plot->setNoAntialiasingOnDrag(true);
    // A replot only draws the plot's buffer and asks for an update: the window then paints every
    // view that changed in one pass. (QCustomPlot's default repaints at once, so each plot of a
    // refresh would paint everything dirty so far in a pass of its own.)
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    m_plot->xAxis->setLabel(tr("MiB"));
    m_plot->yAxis->setRangeReversed(true); // first segment on top
    m_plot->legend->setVisible(true);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(5);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    QCPBars* below = nullptr;
    for (int c = SegmentUsageModel::InUse; c <= SegmentUsageModel::Free; ++c) {
        auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
        bars->setName(SegmentUsageModel::categoryName(c));
        bars->setBrush(SegmentUsageModel::categoryColor(c));
        bars->setPen(QPen(SegmentUsageModel::categoryColor(c).darker(120)));
        bars->setWidth(0.6);
        bars->setStackingGap(0);
        if (below != nullptr)
            bars->moveAbove(below);
        below = bars;
        m_bars.push_back(bars);
    }
    m_plot->setMouseTracking(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &UsageBarsPlot::showToolTip);
}

void UsageBarsPlot::highlightSegment(int segment)
{
    if (segment == m_highlight)
        return;
    m_highlight = segment;
    replot();
}

void UsageBarsPlot::replot()
{
    for (QCPAbstractItem* item : m_items)
        m_plot->removeItem(item);
    m_items.clear();
    const int segments = m_usage->rowCount();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double maxValue = 1;
    for (std::size_t b = 0; b < m_bars.size(); ++b) {
        const int column = SegmentUsageModel::InUse + static_cast<int>(b);
        QVector<double> keys, values;
        for (int r = 0; r < segments; ++r) {
            keys << r;
            values << static_cast<double>(m_usage->index(r, column).data(models::SortRole).toULongLong()) / kMiB;
        }
        m_bars[b]->setData(keys, values, true);
    }
    for (int r = 0; r < segments; ++r) {
        ticker->addTick(r, m_usage->index(r, SegmentUsageModel::Segment).data().toString());
        double total = 0;
        for (int c = SegmentUsageModel::InUse; c <= SegmentUsageModel::Free; ++c)
            total += static_cast<double>(m_usage->index(r, c).data(models::SortRole).toULongLong()) / kMiB;
        maxValue = std::max(maxValue, total);
        // The segment size: what is beyond it is committed but not in the segment (evicted, discarded).
        const double size
            = static_cast<double>(m_usage->index(r, SegmentUsageModel::Size).data(models::SortRole).toULongLong())
            / kMiB;
        auto* line = new QCPItemLine(m_plot);
        line->start->setCoords(size, r - 0.42);
        line->end->setCoords(size, r + 0.42);
        line->setPen(QPen(Qt::black, 2, Qt::DashLine));
        m_items.push_back(line);
        if (r == m_highlight) {
            auto* box = new QCPItemRect(m_plot);
            box->topLeft->setCoords(0, r - 0.36);
            box->bottomRight->setCoords(total, r + 0.36);
            box->setPen(QPen(QColor(0x1a, 0x5f, 0xb4), 3));
            box->setBrush(Qt::NoBrush);
            m_items.push_back(box);
        }
    }
    // Each process' budget, on the segments of its group; processes with the same budget share a mark.
    if (m_document->hasSession()) {
        const auto& config = m_document->adapterConfig();
        std::map<std::pair<int, std::uint64_t>, QStringList> marks; // (group, budget) -> processes
        for (int b = 0; b < m_budgets->rowCount(); ++b) {
            const models::BudgetRow& row = m_budgets->rows()[static_cast<std::size_t>(b)];
            if (row.budget) // a live source may not report one
                marks[{ row.group, *row.budget }] << row.process;
        }
        for (int r = 0; r < segments && r < static_cast<int>(config.segments.size()); ++r) {
            int n = 0;
            for (const auto& [key, processes] : marks) {
                if (static_cast<int>(config.segments[static_cast<std::size_t>(r)].group) != key.first)
                    continue;
                const double budget = static_cast<double>(key.second) / kMiB;
                const double top = r - 0.46 + 0.16 * (n++ % 3);
                auto* mark = new QCPItemLine(m_plot);
                mark->start->setCoords(budget, top);
                mark->end->setCoords(budget, top + 0.14);
                mark->setPen(QPen(QColor(0x1a, 0x1a, 0x1a), 2));
                auto* label = new QCPItemText(m_plot);
                label->position->setCoords(budget, top + 0.07);
                label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
                label->setPadding(QMargins(0, 0, 4, 0));
                label->setText(tr("budget: %1").arg(processes.join(QStringLiteral(", "))));
                label->setFont(scaledFont(font(), 0.85));
                m_items.push_back(mark);
                m_items.push_back(label);
            }
        }
        maxValue = std::max(maxValue, 0.0);
    }
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(-0.6, std::max(segments, 1) - 0.4);
    m_plot->xAxis->setRange(0, maxValue * 1.05);
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

void UsageBarsPlot::showToolTip(QMouseEvent* event)
{
    int dataIndex = -1;
    auto* bars = m_plot->plottableAt<QCPBars>(event->pos(), false, &dataIndex);
    if (bars == nullptr || dataIndex < 0) {
        QToolTip::hideText();
        return;
    }
    const auto it = std::find(m_bars.begin(), m_bars.end(), bars);
    const int column = SegmentUsageModel::InUse + static_cast<int>(it - m_bars.begin());
    const QModelIndex index = m_usage->index(dataIndex, column);
    static const char* const glossaryKeys[]
        = { "inuse", "offered", "offered", "offered", "offered", "pending", "evicted", "discarded", "free" };
    const QString text
        = QStringLiteral("<b>%1 — %2</b>: %3<br>%4")
              .arg(m_usage->index(dataIndex, SegmentUsageModel::Segment).data().toString(),
                  SegmentUsageModel::categoryName(column), index.data().toString(),
                  models::glossary(QString::fromLatin1(glossaryKeys[column - SegmentUsageModel::InUse])));
    QToolTip::showText(event->globalPosition().toPoint(), text, m_plot);
}

void UsageBarsPlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    applyPlotFont(m_plot, font());
    // Large text (the classroom layout): the legend in three columns, so the plot stays narrow.
    m_plot->legend->setWrap(QFontInfo(font()).pixelSize() > 16 ? 3 : 5);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst, true); // the items laid out again
    replot();
}

} // namespace offerscope::widgets
