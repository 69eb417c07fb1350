// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/CallView.h"

#include "widgets/views/CachedScrollBar.h"

#include "widgets/models/Format.h"
#include "widgets/models/SessionDocument.h"

#include <QFontDatabase>

namespace offerscope::widgets {

CallView::CallView(const models::SessionDocument* document, QWidget* parent)
    : QTextBrowser(parent)
    , m_document(document)
{
    CachedScrollBar::install(this);
    setOpenLinks(false);
    setPlaceholderText(tr("Select an event to see the D3DKMT call behind it."));
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("event"))
            emit eventRequested(url.path().toULongLong());
    });
}

void CallView::showCallOf(std::uint64_t seq)
{
    m_seq = seq;
    if (!m_document->hasSession()) {
        showNothing();
        return;
    }
    const events::Event* e = m_document->eventLog().bySeq(seq);
    if (e == nullptr) {
        showNothing();
        return;
    }
    const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
    QString html = QStringLiteral("<p><b>#%1 %2</b> at %3 — %4</p><p>%5</p>")
                       .arg(e->seq)
                       .arg(models::toQString(events::eventKindName(e->kind)), models::timeText(e->time),
                           models::toQString(events::causeKindName(e->cause)),
                           QString::fromStdString(e->explanation).toHtmlEscaped());
    if (e->causeSeq != 0) {
        const events::Event* cause = m_document->eventLog().bySeq(e->causeSeq);
        html += QStringLiteral("<p>Caused by <a href=\"event:%1\">event #%1</a>%2</p>")
                    .arg(e->causeSeq)
                    .arg(cause != nullptr
                            ? QStringLiteral(": ") + QString::fromStdString(cause->explanation).toHtmlEscaped()
                            : QString());
    }
    const std::string call = m_document->callTextFor(seq);
    if (!call.empty() && m_document->world()->info().eventsAreRecorded) {
        // A recording gives what was recorded: there is no call behind its events.
        html += tr("<p><b>What was recorded</b> (no D3DKMT call to show):</p><pre style=\"font-family:'%1'\">%2</pre>")
                    .arg(mono, QString::fromStdString(call).toHtmlEscaped());
    } else if (!call.empty()) {
        html += QStringLiteral("<p><b>The call</b> (%1):</p><pre style=\"font-family:'%2'\">%3</pre>")
                    .arg(models::toQString(events::apiCallName(e->call)), mono,
                        QString::fromStdString(call).toHtmlEscaped());
    } else if (e->cause == events::CauseKind::Pressure) {
        html += tr("<p><i>No application call: VidMm did this on its own, because it needed memory (%1).</i></p>")
                    .arg(models::toQString(events::pressureSourceName(e->pressure)));
    } else {
        html += tr("<p><i>No D3DKMT call behind this event.</i></p>");
    }
    html += QStringLiteral("<p>Status: <b>%1</b></p>").arg(models::toQString(ntStatusName(e->status)));
    const long step = m_document->stepOfEvent(seq);
    if (step >= 0)
        html += tr("<p style=\"color:gray\">Step %1 of the scenario.</p>").arg(step + 1);
    if (html == m_html)
        return; // laying out a rich text document again costs more than building its text
    m_html = html;
    setHtml(html);
}

} // namespace offerscope::widgets
