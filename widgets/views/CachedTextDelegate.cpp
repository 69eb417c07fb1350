// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/CachedTextDelegate.h"

#include "widgets/models/Roles.h"

#include <QApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>
#include <algorithm>
#include <utility>

namespace offerscope::widgets {

const QStaticText& CachedTextDelegate::laidOut(
    const QString& text, const QFont& font, int width, Qt::TextElideMode elide) const
{
    FontCache* cache = nullptr;
    for (FontCache& c : m_fonts)
        if (c.font == font) {
            cache = &c;
            break;
        }
    if (cache == nullptr) {
        if (m_fonts.size() >= 8)
            m_fonts.clear(); // fonts come from the model's FontRole: a few, unless a model varies them freely
        cache = &m_fonts.emplace_back(FontCache { font, {} });
    }
    Key key { text, width, static_cast<int>(elide) };
    if (const auto it = cache->texts.constFind(key); it != cache->texts.cend()) {
        ++m_hits;
        return *it;
    }
    if (cache->texts.size() >= kCapacity)
        cache->texts.clear();
    const QFontMetrics metrics(font);
    QStaticText laid(metrics.horizontalAdvance(text) > width ? metrics.elidedText(text, elide, width) : text);
    laid.setTextFormat(Qt::PlainText);
    laid.setPerformanceHint(QStaticText::AggressiveCaching);
    laid.prepare(QTransform(), font);
    return *cache->texts.insert(std::move(key), std::move(laid));
}

void CachedTextDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const bool plainText = !opt.text.isEmpty() && (opt.features & (QStyleOptionViewItem::HasDecoration
                                                                     | QStyleOptionViewItem::HasCheckIndicator
                                                                     | QStyleOptionViewItem::WrapText))
            == 0
        && !opt.text.contains(QLatin1Char('\n')) && !opt.text.contains(QChar::LineSeparator)
        && (opt.state & QStyle::State_Editing) == 0;
    if (!plainText) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget* widget = opt.widget;
    const QStyle* style = widget != nullptr ? widget->style() : QApplication::style();

    // Where the style would put the text, as QCommonStyle does: its text rectangle less a margin.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect
        = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(margin, 0, -margin, 0);
    const QString text = std::exchange(opt.text, QString());
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // all but the text
    if (const QVariant bar = index.data(models::BarRole); bar.isValid()) {
        // A value drawn as a bar too (a size against the largest shown): light, behind the text.
        const QRect cell = opt.rect.adjusted(1, 3, -1, -3);
        const int width = static_cast<int>(cell.width() * std::clamp(bar.toDouble(), 0.0, 1.0) + 0.5);
        painter->fillRect(QRect(cell.left(), cell.top(), std::max(width, 1), cell.height()), QColor(78, 121, 167, 70));
    }
    if (textRect.width() <= 0)
        return;

    const QStaticText& laid = laidOut(text, opt.font, textRect.width(), opt.textElideMode);
    const QPalette::ColorGroup group = (opt.state & QStyle::State_Enabled) == 0 ? QPalette::Disabled
        : (opt.state & QStyle::State_Active) == 0                               ? QPalette::Inactive
                                                                                : QPalette::Normal;
    const QColor colour = opt.palette.color(
        group, (opt.state & QStyle::State_Selected) != 0 ? QPalette::HighlightedText : QPalette::Text);
    // Placed as QCommonStyle places its text layout: vertically as a whole (in whole pixels), and
    // horizontally as a line of the rectangle's width aligned within it (to the fraction of a pixel).
    const QSizeF size = laid.size();
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    QPointF at(textRect.left(),
        QStyle::alignedRect(opt.direction, align & Qt::AlignVertical_Mask, size.toSize(), textRect).top());
    if (align & Qt::AlignRight)
        at.rx() += textRect.width() - size.width();
    else if (align & Qt::AlignHCenter)
        at.rx() += (textRect.width() - size.width()) / 2;
    painter->save();
    painter->setClipRect(textRect, Qt::IntersectClip);
    painter->setPen(colour);
    painter->setFont(opt.font);
    painter->drawStaticText(at, laid);
    painter->restore();
}

qsizetype CachedTextDelegate::cachedTexts() const
{
    qsizetype n = 0;
    for (const FontCache& c : m_fonts)
        n += c.texts.size();
    return n;
}

} // namespace offerscope::widgets
