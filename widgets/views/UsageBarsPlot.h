// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPBars;
class QCPAbstractItem;

namespace offerscope::models {
class SegmentUsageModel;
class ProcessBudgetModel;
class SessionDocument;
} // namespace offerscope::models

namespace offerscope::widgets {

/// One horizontal stacked bar per segment: in use, offered by priority, pending, evicted, discarded
/// (still committed) and free, with the segment size and each process' budget marked. Reads the
/// segment usage and budget models; replot() draws from them into the plot's buffer at once (the
/// window paints it in its next pass, with every other view).
class UsageBarsPlot final : public QWidget, public models::Refreshable {
    Q_OBJECT
public:
    UsageBarsPlot(const models::SessionDocument* document, const models::SegmentUsageModel* usage,
        const models::ProcessBudgetModel* budgets, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    /// Redraws from the models (call at most once per tick).
    void replot();
    /// The document's refresh: replots.
    void refresh() override { replot(); }
    /// Outlines one segment (the one of the selected allocation); -1: none.
    void highlightSegment(int segment);

protected:
    /// A new font (the classroom layout): the plot's text follows it.
    void changeEvent(QEvent* event) override;

private:
    void showToolTip(QMouseEvent* event);

    const models::SessionDocument* m_document;
    const models::SegmentUsageModel* m_usage;
    const models::ProcessBudgetModel* m_budgets;
    QCustomPlot* m_plot;
    std::vector<QCPBars*> m_bars; ///< one per category column, bottom first
    std::vector<QCPAbstractItem*> m_items; ///< budget and size marks, rebuilt each replot
    int m_highlight = -1;
};

} // namespace offerscope::widgets
