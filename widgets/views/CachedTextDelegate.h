// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

#include <vector>

namespace offerscope::widgets {

/// QStyledItemDelegate, but the text of a cell is laid out once and kept (QStaticText), not shaped
/// again on every paint. A table of 100,000 allocations repaints the same few hundred visible texts
/// tick after tick; shaping them (HarfBuzz, through QTextLayout) was most of what painting a table
/// cost. Everything else — background, selection, focus, colours and fonts from the model — is the
/// style's, as with the plain delegate. Cells with an icon, a check box or several lines are left
/// to QStyledItemDelegate.
class CachedTextDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    /// Texts kept, over every font (for tests).
    qsizetype cachedTexts() const;
    /// Paints whose text was already laid out (for tests and the benchmark).
    long cacheHits() const { return m_hits; }
    /// Most texts kept per font; when full, the cache starts again (the visible cells refill it).
    static constexpr qsizetype kCapacity = 8192;

private:
    struct Key {
        QString text;
        int width = 0; ///< of the text rectangle: the elision depends on it
        int elide = 0;
        friend bool operator==(const Key& a, const Key& b)
        {
            return a.width == b.width && a.elide == b.elide && a.text == b.text;
        }
        friend size_t qHash(const Key& key, size_t seed = 0) noexcept
        {
            return qHashMulti(seed, key.text, key.width, key.elide);
        }
    };
    struct FontCache {
        QFont font;
        QHash<Key, QStaticText> texts;
    };
    const QStaticText& laidOut(const QString& text, const QFont& font, int width, Qt::TextElideMode elide) const;

    mutable std::vector<FontCache> m_fonts; ///< a handful: the table's font and its bold variant
    mutable long m_hits = 0;
};

} // namespace offerscope::widgets
