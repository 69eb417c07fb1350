// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextBrowser>
#include <cstdint>

namespace offerscope::models {
class SessionDocument;
}

namespace offerscope::widgets {

/// The selected event explained: what happened and why, and the D3DKMT call behind it as a driver
/// developer writes it (argument struct fields, handle list, priority, flags) with the status returned.
class CallView final : public QTextBrowser {
    Q_OBJECT
public:
    explicit CallView(const models::SessionDocument* document, QWidget* parent = nullptr);
    void showCallOf(std::uint64_t seq);
    std::uint64_t shownEvent() const { return m_seq; }
    /// Shows nothing (the placeholder).
    void showNothing()
    {
        m_seq = 0;
        m_html.clear();
        clear();
    }

signals:
    /// A link to another event ("the pressure that caused this") was clicked.
    void eventRequested(std::uint64_t seq);

private:
    const models::SessionDocument* m_document;
    std::uint64_t m_seq = 0;
    QString m_html; ///< shown: a refresh that would show the same text leaves the document alone
};

} // namespace offerscope::widgets
