// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include <QWidget>
#include <array>

class QCustomPlot;
class QCPBars;

namespace offerscope::models {
class ReclaimResultsModel;
}

namespace offerscope::widgets {

/// Reclaim results per offer priority: stacked bars of OK, DISCARDED and NOT_COMMITTED counts.
class ReclaimChart final : public QWidget, public models::Refreshable {
    Q_OBJECT
public:
    explicit ReclaimChart(const models::ReclaimResultsModel* model, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return m_plot; }
    /// Draws the counts into the plot's buffer now, unless they are the ones shown; the window
    /// paints the buffer in its next pass.
    void replot();
    /// The document's refresh: replots.
    void refresh() override { replot(); }

protected:
    /// A new font (the classroom layout): the plot's text follows it.
    void changeEvent(QEvent* event) override;

private:
    const models::ReclaimResultsModel* m_model;
    QCustomPlot* m_plot;
    QCPBars* m_bars[3] = {};
    std::array<std::array<int, 3>, 5> m_shown {}; ///< the counts drawn
    bool m_drawn = false;
};

} // namespace offerscope::widgets
