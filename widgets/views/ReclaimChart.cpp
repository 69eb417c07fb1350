// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/ReclaimChart.h"

#include "widgets/models/Format.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/views/PlotExport.h"

#include <QEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace offerscope::widgets {

ReclaimChart::ReclaimChart(const models::ReclaimResultsModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    setMinimumHeight(140);
    // Replots ask for an update instead of repainting at once: one paint pass for the whole window.
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int p = 1; p <= 4; ++p)
        ticker->addTick(p, models::priorityText(static_cast<OfferPriority>(p)));
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setRange(0.4, 4.6);
    m_plot->xAxis->setLabel(tr("priority of the offer reclaimed"));
    m_plot->yAxis->setLabel(tr("reclaims"));
    QSharedPointer<QCPAxisTickerFixed> counts(new QCPAxisTickerFixed);
    counts->setTickStep(1.0); // whole reclaims
    counts->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->yAxis->setTicker(counts);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(scaledFont(font(), 0.9));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    for (int r = 0; r < 3; ++r) {
        const auto result = static_cast<ReclaimResult>(r);
        m_bars[r] = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        m_bars[r]->setName(models::resultText(result));
        m_bars[r]->setBrush(models::resultColor(result));
        m_bars[r]->setPen(QPen(models::resultColor(result).darker(130)));
        m_bars[r]->setWidth(0.6);
        if (r > 0)
            m_bars[r]->moveAbove(m_bars[r - 1]);
    }
}

void ReclaimChart::replot()
{
    const auto counts = m_model->countsByPriority();
    if (m_drawn && counts == m_shown)
        return;
    m_shown = counts;
    m_drawn = true;
    int top = 1;
    for (int r = 0; r < 3; ++r) {
        QVector<double> keys, values;
        for (int p = 1; p <= 4; ++p) {
            keys << p;
            values << counts[static_cast<std::size_t>(p)][static_cast<std::size_t>(r)];
        }
        m_bars[r]->setData(keys, values, true);
    }
    for (int p = 1; p <= 4; ++p)
        top = std::max(top,
            counts[static_cast<std::size_t>(p)][0] + counts[static_cast<std::size_t>(p)][1]
                + counts[static_cast<std::size_t>(p)][2]);
    m_plot->yAxis->setRange(0, top * 1.15 + 0.5);
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

void ReclaimChart::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    applyPlotFont(m_plot, font());
    m_plot->legend->setFont(scaledFont(font(), 0.9));
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

} // namespace offerscope::widgets
