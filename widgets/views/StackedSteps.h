// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <qcustomplot.h>
#include <vector>

namespace offerscope::widgets {

/// Stacked step areas: at each key, a column of bands, each band from the running sum below it to
/// the running sum up to it, holding until the next key (as QCPGraph::lsStepLeft fills would).
///
/// Drawn per pixel column into an image rather than as one filled polygon per band: the timeline
/// has a point per step and a band per usage category, and filling eight polygons of thousands of
/// vertices was a large part of a replot at 100,000 allocations. Vector output (PDF export) gets one
/// rectangle per point and band instead, so it stays sharp.
class StackedSteps final : public QCPAbstractPlottable {
public:
    /// `colors`: one per band, bottom first; the top edge of each band is drawn a little darker.
    StackedSteps(QCPAxis* keyAxis, QCPAxis* valueAxis, std::vector<QColor> colors);

    /// Appends a point; `heights` has one entry per band (not summed), and keys must grow.
    void add(double key, const std::vector<double>& heights);
    void clear();
    std::size_t size() const { return m_keys.size(); }
    /// The running sum of band `band` at point `point` (the top of that band).
    double top(std::size_t point, std::size_t band) const { return m_sums[point * m_bands + band]; }

    double selectTest(const QPointF& pos, bool onlySelectable, QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
        const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    void drawRaster(QCPPainter* painter, const QRect& area) const;
    void drawVector(QCPPainter* painter) const;

    std::size_t m_bands;
    std::vector<QColor> m_colors;
    std::vector<QRgb> m_fill, m_edge; ///< premultiplied, for writing pixels
    std::vector<double> m_keys;
    std::vector<double> m_sums; ///< m_bands running sums per point
    double m_maxSum = 0;
};

} // namespace offerscope::widgets
