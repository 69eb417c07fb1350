// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/TimelinePlot.h"

#include "widgets/models/Format.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/views/PlotExport.h"
#include "widgets/views/StackedSteps.h"

#include <QComboBox>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <array>
#include <cmath>
#include <qcustomplot.h>

namespace offerscope::widgets {

using models::SegmentUsageModel;

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
constexpr int kFirst = SegmentUsageModel::InUse;
constexpr int kLast = SegmentUsageModel::Discarded; // free is what is left: not stacked
} // namespace

TimelinePlot::TimelinePlot(const models::SessionDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_plot(new QCustomPlot(this))
    , m_segment(new QComboBox(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Segment:"), this));
    bar->addWidget(m_segment);
    auto* hint = new QLabel(
        tr("Usage step by step — wheel: zoom · drag: pan · click: go to that step · double-click: fit"), this);
    hint->setEnabled(false);
    bar->addWidget(hint);
    bar->addStretch();
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    setMinimumHeight(180);

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->setNoAntialiasingOnDrag(true);
    // A replot only draws the plot's buffer and asks for an update: the window then paints every
    // view that changed in one pass. (QCustomPlot's default repaints at once, so each plot of a
    // refresh would paint everything dirty so far in a pass of its own.)
    m_plot->setPlottingHint(QCP::phImmediateRefresh, false);
    // Steps on the x axis: lessons often do many things at one simulated instant, so a time axis
    // would stack them on one vertical line. The simulated time of the steps is on the top axis.
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->xAxis2->setVisible(true);
    m_plot->xAxis2->setLabel(tr("simulated time"));
    m_plot->xAxis2->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_plot->xAxis2,
        qOverload<const QCPRange&>(&QCPAxis::setRange));
    m_plot->yAxis->setLabel(tr("MiB"));
    m_plot->legend->setVisible(false); // the same colours as the usage bars and their legend
    // Stacked areas, one band per category, in the usage bars' colours.
    std::vector<QColor> colors;
    for (int c = kFirst; c <= kLast; ++c)
        colors.push_back(SegmentUsageModel::categoryColor(c));
    m_stack = new StackedSteps(m_plot->xAxis, m_plot->yAxis, std::move(colors));
    m_stack->setName(tr("Segment usage"));
    m_size = m_plot->addGraph();
    m_size->setName(tr("Segment size"));
    m_size->setLineStyle(QCPGraph::lsStepLeft);
    m_size->setPen(QPen(Qt::black, 1.5, Qt::DashLine));

    m_now = new QCPItemStraightLine(m_plot);
    m_now->setPen(QPen(QColor(0x1a, 0x5f, 0xb4), 2));
    m_mark = new QCPItemStraightLine(m_plot);
    m_mark->setPen(QPen(QColor(0xd6, 0x4a, 0x1f), 1.5, Qt::DotLine));
    m_mark->setVisible(false);
    m_divergence = new QCPItemStraightLine(m_plot);
    m_divergence->setPen(QPen(QColor(0x7b, 0x3f, 0x9e), 2.5, Qt::DashDotLine));
    m_divergence->setVisible(false);
    m_divergenceLabel = new QCPItemText(m_plot);
    m_divergenceLabel->position->setType(QCPItemPosition::ptPlotCoords);
    m_divergenceLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_divergenceLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_divergenceLabel->setColor(QColor(0x7b, 0x3f, 0x9e));
    m_divergenceLabel->setBrush(QBrush(QColor(255, 255, 255, 215)));
    m_divergenceLabel->setPadding(QMargins(3, 1, 3, 1));
    m_divergenceLabel->setClipToAxisRect(true);
    m_divergenceLabel->setVisible(false);

    connect(m_segment, &QComboBox::currentIndexChanged, this, [this] {
        m_shownPoints = 0;
        replot();
    });
    // Once the user zooms or pans, new steps no longer refit the time axis (double-click does).
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_userZoomed = true; });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (event->buttons() & Qt::LeftButton)
            m_userZoomed = true;
        // Every marker at this step, labelled or not.
        const QString near = markersNear(event->pos().x());
        if (!near.isEmpty())
            QToolTip::showText(event->globalPosition().toPoint(), near, m_plot);
    });
    // Zooming and panning move the markers: their labels are laid out again.
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { layOutMarkers(); });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_userZoomed = false;
        m_shownPoints = 0;
        replot();
    });
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* event) {
        if (!m_document->hasSession() || (event->pos() - m_plot->property("pressPos").toPoint()).manhattanLength() > 4)
            return;
        // The last point at or before the clicked time.
        const double x = m_plot->xAxis->pixelToCoord(event->pos().x());
        const auto points = static_cast<double>(m_document->timeline().size());
        emit positionRequested(static_cast<int>(std::clamp(std::round(x), 0.0, points - 1)));
    });
    connect(m_plot, &QCustomPlot::mousePress, this,
        [this](QMouseEvent* event) { m_plot->setProperty("pressPos", event->pos()); });
}

void TimelinePlot::rebuildSegments()
{
    const QSignalBlocker block(m_segment);
    m_segment->clear();
    if (!m_document->hasSession())
        return;
    const auto& segments = m_document->adapterConfig().segments;
    for (const auto& s : segments)
        m_segment->addItem(QString::fromStdString(s.name));
    m_segmentCount = segments.size();
}

void TimelinePlot::setSegment(int segment)
{
    if (segment >= 0 && segment < m_segment->count())
        m_segment->setCurrentIndex(segment);
}

void TimelinePlot::setDivergence(double position, const QString& label)
{
    m_divergenceAt = position;
    m_divergence->setVisible(position >= 0);
    m_divergenceLabel->setVisible(position >= 0 && !label.isEmpty());
    if (position >= 0) {
        m_divergence->point1->setCoords(position, 0);
        m_divergence->point2->setCoords(position, 1);
        m_divergenceLabel->setText(label);
        m_divergenceLabel->setFont(markerFont());
        m_divergenceLabel->position->setCoords(position + 0.1, 0.97);
    }
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

void TimelinePlot::markStep(double position)
{
    m_mark->setVisible(position >= 0);
    if (position >= 0) {
        m_mark->point1->setCoords(position, 0);
        m_mark->point2->setCoords(position, 1);
    }
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

void TimelinePlot::replot()
{
    if (!m_document->hasSession()) {
        m_stack->clear();
        m_size->data()->clear();
        m_plot->replot(QCustomPlot::rpQueuedRefresh);
        return;
    }
    const auto& points = m_document->timeline();
    m_plot->xAxis2->setLabel(QString::fromStdString(m_document->world()->info().clockName));
    // Another world (a recording opened beside the session), another adapter, or the first time: the
    // segment names and every point are its own.
    if (m_world != m_document->world() || m_segmentCount != m_document->adapterConfig().segments.size()
        || m_segment->count() == 0) {
        m_world = m_document->world();
        rebuildSegments();
        m_shownPoints = 0;
    }
    const int segment = std::max(0, m_segment->currentIndex());
    // The timeline only grows while stepping forward, so new points are appended; a branch
    // (an action in the past) rewrites it, and then the data is rebuilt.
    if (points.size() < m_shownPoints || m_epoch != m_document->timelineEpoch()) {
        m_shownPoints = 0;
        m_epoch = m_document->timelineEpoch();
    }
    if (m_shownPoints == 0) {
        m_stack->clear();
        m_size->data()->clear();
    }
    // Markers are rebuilt with the data; they are few.
    if (m_shownPoints == 0) {
        for (int i = m_plot->itemCount(); i-- > 0;) {
            QCPAbstractItem* item = m_plot->item(i);
            if (item != m_now && item != m_mark && item != m_divergence && item != m_divergenceLabel)
                m_plot->removeItem(item);
        }
        m_markers.clear();
    }
    std::vector<double> heights;
    for (std::size_t p = m_shownPoints; p < points.size(); ++p) {
        const auto& point = points[p];
        if (static_cast<std::size_t>(segment) >= point.segments.size())
            continue;
        const auto& sample = point.segments[static_cast<std::size_t>(segment)];
        const double t = static_cast<double>(p);
        heights.clear();
        for (int c = kFirst; c <= kLast; ++c)
            heights.push_back(static_cast<double>(SegmentUsageModel::categoryBytes(sample, c)) / kMiB);
        m_stack->add(t, heights);
        m_size->addData(t, static_cast<double>(sample.size) / kMiB);
        for (const auto& marker : point.markers) {
            auto* line = new QCPItemStraightLine(m_plot);
            const bool pressure = marker.kind == world::TimelineMarker::Kind::Pressure;
            line->setPen(QPen(pressure ? QColor(0xd6, 0x4a, 0x1f) : QColor(0x55, 0x55, 0x55), 1, Qt::DashLine));
            line->point1->setCoords(t, 0);
            line->point2->setCoords(t, 1);
            auto* label = new QCPItemText(m_plot);
            label->position->setType(QCPItemPosition::ptPlotCoords);
            label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
            label->setFont(markerFont());
            label->setColor(line->pen().color());
            label->setBrush(QBrush(QColor(255, 255, 255, 215))); // readable over the bands
            label->setPadding(QMargins(2, 0, 2, 0));
            label->setClipToAxisRect(true);
            m_markers.push_back({ t, QString::fromStdString(marker.label), label });
        }
    }
    if (m_shownPoints != points.size()) {
        // Top axis: the world's time where it moves, labels far enough apart not to overlap (at most
        // ~12, and at least one label's width apart at the axis' width).
        auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_plot->xAxis2->ticker());
        ticker->clear();
        const double steps = std::max(1.0, static_cast<double>(m_document->stepCount()) + 1.0);
        const double pxPerStep = std::max(1, m_plot->axisRect()->width()) / steps;
        const double labelPx
            = QFontMetrics(m_plot->xAxis2->tickLabelFont()).horizontalAdvance(QStringLiteral("000.000 ms")) + 12;
        const auto every = std::max<std::size_t>(
            { 1, points.size() / 12, static_cast<std::size_t>(std::ceil(labelPx / pxPerStep)) });
        std::uint64_t last = ~std::uint64_t { 0 };
        std::size_t lastTick = 0;
        for (std::size_t p = 0; p < points.size(); ++p) {
            if (points[p].time != last && (last == ~std::uint64_t { 0 } || p - lastTick >= every)) {
                ticker->addTick(static_cast<double>(p), models::timeText(points[p].time));
                last = points[p].time;
                lastTick = p;
            }
        }
    }
    m_shownPoints = points.size();
    const double now = static_cast<double>(m_document->position());
    m_now->point1->setCoords(now, 0);
    m_now->point2->setCoords(now, 1);
    if (!m_userZoomed) {
        const double end = std::max(1.0, static_cast<double>(m_document->stepCount()));
        m_plot->xAxis->setRange(-0.5, end + 0.5);
    }
    bool found = false;
    double top = std::max(1.0, m_stack->getValueRange(found).upper);
    top = std::max(top, m_size->getValueRange(found).upper);
    m_plot->yAxis->setRange(0, top * 1.08);
    layOutMarkers();
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

QFont TimelinePlot::markerFont() const
{
    return scaledFont(font(), 0.8);
}

void TimelinePlot::layOutMarkers()
{
    // Left to right, each label goes to the first of a few rows where it starts after the previous
    // label of that row ends; shortened (…) to the room before the plot's right edge. A label no row
    // has room for is hidden: the tooltip at its line lists every marker there.
    const QFontMetrics metrics(markerFont());
    const QRect area = m_plot->axisRect()->rect();
    if (area.width() <= 0 || area.height() <= 0)
        return;
    constexpr int kRows = 3, kGap = 8; // the gap counts the labels' padding
    const double rowHeight = static_cast<double>(metrics.height() + 2) / area.height();
    std::array<double, kRows> rowEnd;
    rowEnd.fill(-1e9);
    for (const Marker& m : m_markers) {
        const double x = m_plot->xAxis->coordToPixel(m.step) + 3;
        const double room = area.right() - x - 2;
        int row = -1;
        for (int r = 0; r < kRows && row < 0; ++r)
            if (x >= rowEnd[static_cast<std::size_t>(r)] + kGap)
                row = r;
        if (row < 0 || room < metrics.horizontalAdvance(QStringLiteral("…")) * 3 || x < area.left()) {
            m.label->setVisible(false);
            continue;
        }
        const QString text = metrics.elidedText(m.text, Qt::ElideRight, static_cast<int>(room));
        m.label->setText(text);
        m.label->setVisible(true);
        m.label->position->setCoords(m.step, 0.02 + row * rowHeight);
        rowEnd[static_cast<std::size_t>(row)] = x + metrics.horizontalAdvance(text);
    }
}

std::vector<std::pair<QString, QRectF>> TimelinePlot::markerLabels() const
{
    std::vector<std::pair<QString, QRectF>> out;
    for (const Marker& m : m_markers)
        if (m.label->visible())
            out.emplace_back(
                m.label->text(), QRectF(m.label->topLeft->pixelPosition(), m.label->bottomRight->pixelPosition()));
    return out;
}

QString TimelinePlot::markersNear(int x) const
{
    QStringList lines;
    for (const Marker& m : m_markers)
        if (std::abs(m_plot->xAxis->coordToPixel(m.step) - x) <= 4)
            lines << tr("step %1: %2").arg(static_cast<int>(m.step)).arg(m.text);
    return lines.join(QLatin1Char('\n'));
}

void TimelinePlot::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    applyPlotFont(m_plot, font());
    for (const Marker& m : m_markers)
        m.label->setFont(markerFont());
    m_divergenceLabel->setFont(markerFont());
    layOutMarkers();
    m_plot->replot(QCustomPlot::rpQueuedRefresh);
}

} // namespace offerscope::widgets
