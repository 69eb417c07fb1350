// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/NarrationView.h"

#include "widgets/views/CachedScrollBar.h"

#include "widgets/models/Format.h"
#include "widgets/models/SessionDocument.h"

namespace offerscope::widgets {

namespace {
QString describeStep(const scenario::Step& s)
{
    QString what = models::toQString(scenario::stepKindName(s.kind));
    QStringList args;
    if (!s.name.empty())
        args << QString::fromStdString(s.name);
    for (const auto& n : s.names)
        args << QString::fromStdString(n);
    if (!s.process.empty())
        args << QString::fromStdString(s.process);
    if (s.kind == scenario::StepKind::Offer)
        args << models::priorityText(s.priority);
    if (s.bytes != 0)
        args << models::bytesText(s.bytes);
    if (s.kind == scenario::StepKind::Say)
        return QObject::tr("narration");
    return args.isEmpty() ? what : what + QStringLiteral(" ") + args.join(QStringLiteral(", ")).toHtmlEscaped();
}
} // namespace

NarrationView::NarrationView(const models::SessionDocument* document, QWidget* parent)
    : QTextBrowser(parent)
    , m_document(document)
{
    CachedScrollBar::install(this);
    setOpenExternalLinks(false);
    setMinimumWidth(220);
}

void NarrationView::refresh()
{
    if (!m_document->hasSession()) {
        showHtml(tr("<p>Open a lesson from the <b>Lessons</b> menu, or a scenario file.</p>"));
        return;
    }
    const session::Session& s = m_document->session();
    const auto& scenario = s.scenario();
    QString html = QStringLiteral("<h3>%1</h3>").arg(m_document->title().toHtmlEscaped());
    if (!scenario.description.empty())
        html += QStringLiteral("<p style=\"color:#555\">%1</p>")
                    .arg(QString::fromStdString(scenario.description).toHtmlEscaped());
    html += tr("<p><b>Step %1 of %2</b></p>").arg(s.position()).arg(s.stepCount());
    const std::string words = s.narration();
    if (!words.empty())
        html
            += QStringLiteral("<p style=\"font-size:large\">%1</p>").arg(QString::fromStdString(words).toHtmlEscaped());
    if (s.position() > 0) {
        const auto& modelOutcome = s.runner().outcomes().back();
        const auto& step = scenario.steps[modelOutcome.step];
        // On a live source the step's status is the driver's; the model's prediction stands beside it.
        const live::LiveWorld* world = m_document->liveWorld();
        const live::LiveStepRecord* record
            = world != nullptr && !world->records().empty() ? &world->records().back() : nullptr;
        if (step.kind != scenario::StepKind::Say && record != nullptr && !record->ran) {
            html += tr("<p>Last step: <b>%1</b> ran on the model only.<br><small>%2</small></p>")
                        .arg(describeStep(step), QString::fromStdString(record->notRun).toHtmlEscaped());
        } else if (step.kind != scenario::StepKind::Say) {
            const scenario::StepOutcome& outcome = record != nullptr ? record->live : modelOutcome;
            html += tr("<p>Last step: <b>%1</b>").arg(describeStep(step));
            if (outcome.call) {
                const bool ok = ntSuccess(outcome.status);
                html += QStringLiteral(" → <span style=\"color:%1\"><b>%2</b></span>")
                            .arg(ok ? QStringLiteral("#2e8b3e") : QStringLiteral("#d64a1f"),
                                models::toQString(ntStatusName(outcome.status)));
                if (!ok && !outcome.error.empty())
                    html += QStringLiteral("<br><small>%1</small>")
                                .arg(QString::fromStdString(outcome.error).toHtmlEscaped());
                if (record != nullptr && !record->difference.empty())
                    html += tr("<br><span style=\"color:#b35c00\">Model and driver differ: %1</span>")
                                .arg(QString::fromStdString(record->difference).toHtmlEscaped());
            }
            html += QStringLiteral("</p>");
        }
    }
    if (const live::LiveWorld* world = m_document->liveWorld()) {
        std::size_t failed = 0;
        std::string last;
        for (const live::LiveStepRecord& r : world->records())
            for (const std::string& f : r.expectationFailures) {
                ++failed;
                last = f;
            }
        if (failed > 0)
            html += tr("<p style=\"color:#d64a1f\">%1 expectation(s) of the lesson did not hold on the live source: %2</p>")
                        .arg(failed)
                        .arg(QString::fromStdString(last).toHtmlEscaped());
    }
    const auto& failures = s.runner().failures();
    if (!m_document->isLive() && !failures.empty())
        html += tr("<p style=\"color:#d64a1f\">%1 expectation(s) of the lesson did not hold: %2</p>")
                    .arg(failures.size())
                    .arg(QString::fromStdString(failures.back().message).toHtmlEscaped());
    if (!s.atEnd())
        html += tr("<p style=\"color:gray\">Next: %1</p>").arg(describeStep(scenario.steps[s.position()]));
    else if (m_document->isLive())
        html += tr("<p style=\"color:gray\">End of the scenario. Act on the live source from the Actions menu; "
                   "what it did cannot be stepped back.</p>");
    else
        html += tr("<p style=\"color:gray\">End of the scenario. Act on the simulator from the Actions menu, "
                   "or step back to any point.</p>");
    showHtml(html);
}

void NarrationView::showHtml(const QString& html)
{
    if (html == m_html)
        return;
    m_html = html;
    setHtml(html);
}

} // namespace offerscope::widgets
