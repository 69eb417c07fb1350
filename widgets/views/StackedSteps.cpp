// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/StackedSteps.h"

#include <algorithm>
#include <cmath>

namespace offerscope::widgets {

StackedSteps::StackedSteps(QCPAxis* keyAxis, QCPAxis* valueAxis, std::vector<QColor> colors)
    : QCPAbstractPlottable(keyAxis, valueAxis)
    , m_bands(colors.size())
    , m_colors(std::move(colors))
{
    for (const QColor& c : m_colors) {
        m_fill.push_back(qPremultiply(c.rgba()));
        m_edge.push_back(qPremultiply(c.darker(115).rgba()));
    }
    setSelectable(QCP::stNone);
    setAntialiased(false);
    setAntialiasedFill(false);
}

void StackedSteps::add(double key, const std::vector<double>& heights)
{
    Q_ASSERT(heights.size() == m_bands);
    Q_ASSERT(m_keys.empty() || key >= m_keys.back());
    m_keys.push_back(key);
    double sum = 0;
    for (double h : heights) {
        sum += std::max(0.0, h);
        m_sums.push_back(sum);
    }
    m_maxSum = std::max(m_maxSum, sum);
}

void StackedSteps::clear()
{
    m_keys.clear();
    m_sums.clear();
    m_maxSum = 0;
}

double StackedSteps::selectTest(const QPointF&, bool, QVariant*) const
{
    return -1; // nothing to select: a click on the timeline goes to a step (TimelinePlot)
}

QCPRange StackedSteps::getKeyRange(bool& foundRange, QCP::SignDomain) const
{
    foundRange = !m_keys.empty();
    return foundRange ? QCPRange(m_keys.front(), m_keys.back()) : QCPRange();
}

QCPRange StackedSteps::getValueRange(bool& foundRange, QCP::SignDomain, const QCPRange&) const
{
    foundRange = !m_keys.empty();
    return QCPRange(0, m_maxSum);
}

void StackedSteps::draw(QCPPainter* painter)
{
    if (m_keys.empty() || keyAxis() == nullptr || valueAxis() == nullptr)
        return;
    if (painter->modes().testFlag(QCPPainter::pmVectorized))
        drawVector(painter);
    else
        drawRaster(painter, clipRect());
}

void StackedSteps::drawRaster(QCPPainter* painter, const QRect& area) const
{
    if (area.isEmpty())
        return;
    const QCPAxis* key = keyAxis();
    const QCPAxis* value = valueAxis();
    // One pixel column at a time: the point that holds at the column's centre (the last key at or
    // before it), then its bands from the bottom up, written straight into the image's rows.
    const qreal ratio = painter->device() != nullptr ? painter->device()->devicePixelRatioF() : 1.0;
    const QSize pixels = (QSizeF(area.size()) * ratio).toSize();
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    auto* bits = reinterpret_cast<QRgb*>(image.bits());
    const auto stride = static_cast<std::size_t>(image.bytesPerLine() / 4);
    std::vector<int> edge(m_bands + 1);
    for (int x = 0; x < pixels.width(); ++x) {
        const double at = key->pixelToCoord(area.left() + (x + 0.5) / ratio);
        if (at < m_keys.front() || at > m_keys.back())
            continue;
        const auto point = static_cast<std::size_t>(std::upper_bound(m_keys.begin(), m_keys.end(), at) - m_keys.begin()) - 1;
        const double* sums = &m_sums[point * m_bands];
        edge[0] = static_cast<int>(std::lround((value->coordToPixel(0) - area.top()) * ratio));
        for (std::size_t b = 0; b < m_bands; ++b)
            edge[b + 1] = static_cast<int>(std::lround((value->coordToPixel(sums[b]) - area.top()) * ratio));
        for (std::size_t b = 0; b < m_bands; ++b) {
            // Rows from the band's top (smaller y) down to just above its bottom.
            const int top = std::clamp(std::min(edge[b], edge[b + 1]), 0, pixels.height());
            const int bottom = std::clamp(std::max(edge[b], edge[b + 1]), 0, pixels.height());
            for (int y = top; y < bottom; ++y)
                bits[static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x)]
                    = y == top ? m_edge[b] : m_fill[b];
        }
    }
    image.setDevicePixelRatio(ratio);
    painter->drawImage(area.topLeft(), image);
}

void StackedSteps::drawVector(QCPPainter* painter) const
{
    const QCPAxis* key = keyAxis();
    const QCPAxis* value = valueAxis();
    painter->setPen(Qt::NoPen);
    const double zero = value->coordToPixel(0);
    for (std::size_t p = 0; p < m_keys.size(); ++p) {
        // Each point holds until the next one; the last one is a line's width.
        const double x0 = key->coordToPixel(m_keys[p]);
        const double x1 = p + 1 < m_keys.size() ? key->coordToPixel(m_keys[p + 1]) : x0 + 1;
        double below = zero;
        for (std::size_t b = 0; b < m_bands; ++b) {
            const double y = value->coordToPixel(m_sums[p * m_bands + b]);
            if (std::abs(below - y) >= 0.01)
                painter->fillRect(QRectF(QPointF(x0, y), QPointF(x1, below)).normalized(), m_colors[b]);
            below = y;
        }
    }
}

void StackedSteps::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const
{
    if (!m_colors.empty())
        painter->fillRect(rect, m_colors.front());
}

} // namespace offerscope::widgets
