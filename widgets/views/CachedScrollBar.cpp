// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/CachedScrollBar.h"

#include <QAbstractScrollArea>
#include <QCursor>
#include <QMouseEvent>
#include <QBuffer>
#include <QDataStream>
#include <QPainter>
#include <QStyleOptionSlider>

namespace offerscope::widgets {

CachedScrollBar::CachedScrollBar(Qt::Orientation orientation, QWidget* parent)
    : QScrollBar(orientation, parent)
{
}

void CachedScrollBar::install(QAbstractScrollArea* area)
{
    area->setVerticalScrollBar(new CachedScrollBar(Qt::Vertical, area));
    area->setHorizontalScrollBar(new CachedScrollBar(Qt::Horizontal, area));
}

QStyle::SubControl CachedScrollBar::partAt(const QStyleOptionSlider& option, const QPoint& pos) const
{
    return style()->hitTestComplexControl(QStyle::CC_ScrollBar, &option, pos, this);
}

void CachedScrollBar::initPaintOption(QStyleOptionSlider* option) const
{
    initStyleOption(option);
    option->subControls = QStyle::SC_All;
    const QStyle::SubControl under
        = underMouse() ? partAt(*option, mapFromGlobal(QCursor::pos())) : QStyle::SC_None;
    if (m_pressed != QStyle::SC_None) {
        option->activeSubControls = m_pressed;
        if (under == m_pressed || m_pressed == QStyle::SC_ScrollBarSlider)
            option->state |= QStyle::State_Sunken;
    } else {
        option->activeSubControls = under;
    }
}

void CachedScrollBar::mousePressEvent(QMouseEvent* event)
{
    QStyleOptionSlider option;
    initStyleOption(&option);
    m_pressed = partAt(option, event->position().toPoint());
    QScrollBar::mousePressEvent(event);
}

void CachedScrollBar::mouseReleaseEvent(QMouseEvent* event)
{
    m_pressed = QStyle::SC_None;
    QScrollBar::mouseReleaseEvent(event);
    update();
}

void CachedScrollBar::paintEvent(QPaintEvent*)
{
    QStyleOptionSlider option;
    initPaintOption(&option);
    const qreal ratio = devicePixelRatioF();
    QByteArray key;
    {
        QDataStream out(&key, QIODevice::WriteOnly);
        out << option.rect << option.minimum << option.maximum << option.sliderPosition << option.sliderValue
            << option.pageStep << option.singleStep << static_cast<int>(option.state)
            << static_cast<int>(option.activeSubControls) << static_cast<int>(option.subControls)
            << static_cast<int>(option.orientation) << option.upsideDown << option.palette.cacheKey()
            << static_cast<int>(option.direction) << ratio << isEnabled() << hasFocus();
    }
    if (key != m_key || m_pixmap.isNull()) {
        m_pixmap = QPixmap((QSizeF(size()) * ratio).toSize());
        m_pixmap.setDevicePixelRatio(ratio);
        m_pixmap.fill(Qt::transparent);
        QPainter painter(&m_pixmap);
        style()->drawComplexControl(QStyle::CC_ScrollBar, &option, &painter, this);
        m_key = key;
        ++m_renders;
    }
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_pixmap);
}

} // namespace offerscope::widgets
