// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"

#include <QRectF>
#include <QString>
#include <QWidget>
#include <cstdint>
#include <utility>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QComboBox;

namespace offerscope::models {
class SessionDocument;
}

namespace offerscope::widgets {

class StackedSteps;

/// Segment usage step by step (simulated time on the top axis), stacked as the usage bars are, for
/// one segment at a time;
/// pressure and budget changes are marked, the current point is a vertical line, wheel zooms and
/// dragging pans. Reads the session's timeline (one snapshot per step).
class TimelinePlot final : public QWidget, public models::Refreshable {
    Q_OBJECT
public:
    explicit TimelinePlot(const models::SessionDocument* document, QWidget* parent = nullptr);

    QCustomPlot* plot() const { return m_plot; }
    /// Adds the new points and draws into the plot's buffer now; the window paints it in its next
    /// pass, with every other view.
    void replot();
    /// The document's refresh: replots.
    void refresh() override { replot(); }
    /// Shows a segment (the one of the selected allocation).
    void setSegment(int segment);
    /// Marks the step of a selected event; -1 hides the mark.
    void markStep(double position);
    /// Marks where a world beside this one parts from it (a what-if's first divergence); -1: none.
    void setDivergence(double position, const QString& label = {});
    double divergence() const { return m_divergenceAt; }
    /// Every marker whose line is within a few pixels of `x` (the tooltip there), one per line.
    QString markersNear(int x) const;
    /// The marker labels, for the tests: each shown one's text and rectangle in pixels.
    std::vector<std::pair<QString, QRectF>> markerLabels() const;

signals:
    /// The user clicked a point of the timeline: go to the step that led there.
    void positionRequested(int position);

protected:
    /// A new font (the classroom layout): the plot's text follows it.
    void changeEvent(QEvent* event) override;

private:
    void rebuildSegments();
    QFont markerFont() const;
    /// Places the marker labels for the axis as it is now, so that no two overlap.
    void layOutMarkers();

    const models::SessionDocument* m_document;
    QCustomPlot* m_plot;
    QComboBox* m_segment;
    StackedSteps* m_stack = nullptr; ///< the usage categories, stacked
    QCPGraph* m_size = nullptr; ///< the segment's size, dashed
    QCPItemStraightLine* m_now = nullptr;
    QCPItemStraightLine* m_mark = nullptr;
    QCPItemStraightLine* m_divergence = nullptr;
    QCPItemText* m_divergenceLabel = nullptr;
    double m_divergenceAt = -1;
    std::size_t m_shownPoints = 0;
    std::uint64_t m_epoch = 0;
    std::size_t m_segmentCount = 0;
    const void* m_world = nullptr; ///< the world the plot shows (another one: everything is rebuilt)
    bool m_userZoomed = false;
    struct Marker {
        double step = 0;
        QString text;
        QCPItemText* label = nullptr;
    };
    std::vector<Marker> m_markers; ///< in step order
};

} // namespace offerscope::widgets
