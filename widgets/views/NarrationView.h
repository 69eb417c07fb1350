// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include <QTextBrowser>

namespace offerscope::models {
class SessionDocument;
}

namespace offerscope::widgets {

/// The lesson beside the views: its title and description, the narration of the current point, the
/// step just run with its status, and what comes next.
class NarrationView final : public QTextBrowser, public models::Refreshable {
    Q_OBJECT
public:
    explicit NarrationView(const models::SessionDocument* document, QWidget* parent = nullptr);
    void refresh() override;

private:
    void showHtml(const QString& html);

    const models::SessionDocument* m_document;
    QString m_html; ///< shown: the same text again leaves the document (and its scroll position) alone
};

} // namespace offerscope::widgets
