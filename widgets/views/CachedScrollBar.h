// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPixmap>
#include <QScrollBar>
#include <QStyle>

class QStyleOptionSlider;

class QAbstractScrollArea;

namespace offerscope::widgets {

/// A scroll bar that keeps its last rendering and paints it again while nothing it shows changed.
///
/// Qt repaints a scroll area's bars far more often than they change: every time the area lays out
/// its children (each model change of an item view), it raises both bar containers, and raising
/// repaints them. The style's drawing (gradients, arrows) is measurable, several bars a frame;
/// blitting the kept pixmap costs next to nothing (docs/performance-history.md has the figures). What the bar shows is its style option
/// (geometry, range, position, page step, state, hovered part, palette), so that is the key.
class CachedScrollBar final : public QScrollBar {
    Q_OBJECT
public:
    explicit CachedScrollBar(Qt::Orientation orientation, QWidget* parent = nullptr);

    /// Renderings made (not counting paints served from the kept pixmap), for tests and benchmarks.
    long renders() const { return m_renders; }

    /// Gives a scroll area such bars (both orientations).
    static void install(QAbstractScrollArea* area);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    /// The option QScrollBar::paintEvent() draws with: every part, the pressed part sunken while the
    /// pointer is on it, else the hovered part active.
    void initPaintOption(QStyleOptionSlider* option) const;
    QStyle::SubControl partAt(const QStyleOptionSlider& option, const QPoint& pos) const;

    QStyle::SubControl m_pressed = QStyle::SC_None;
    QPixmap m_pixmap;
    QByteArray m_key; ///< of what m_pixmap shows
    long m_renders = 0;
};

} // namespace offerscope::widgets
