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
    // A step may name a thousand allocations: the first few, then how many more (the event log and
    // the call view have them all). Laying out every name cost a frame 20 ms.
    constexpr std::size_t kNamesShown = 8;
    for (std::size_t i = 0; i < s.names.size() && i < kNamesShown; ++i)
        args << QString::fromStdString(s.names[i]);
    if (s.names.size() > kNamesShown)
        args << QObject::tr("… %n more", nullptr, static_cast<int>(s.names.size() - kNamesShown));
    if (!s.process.empty())
        args << QString::fromStdString(s.process);
    if (s.kind == scenario::StepKind::Offer)
        args << models::priorityText(s.priority);
    if (s.bytes != 0)
        args << models::bytesText(s.bytes);
    if (s.kind == scenario::StepKind::Say)
        return QObject::tr("narration");
    if (s.kind == scenario::StepKind::Quiz)
        return QObject::tr("quiz");
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
    const world::World& w = *m_document->world();
    const auto& scenario = w.scenario();
    QString html = QStringLiteral("<h3>%1</h3>").arg(m_document->title().toHtmlEscaped());
    if (!scenario.description.empty())
        html += QStringLiteral("<p style=\"color:#555\">%1</p>")
                    .arg(QString::fromStdString(scenario.description).toHtmlEscaped());
    html += tr("<p><b>Step %1 of %2</b></p>").arg(w.position()).arg(w.stepCount());
    const std::string words = w.narration();
    if (!words.empty())
        html
            += QStringLiteral("<p style=\"font-size:large\">%1</p>").arg(QString::fromStdString(words).toHtmlEscaped());
    const QString source = QString::fromStdString(w.info().sourceWords).toHtmlEscaped();
    if (const std::optional<world::StepReport> last = w.lastStep(); last && last->step < scenario.steps.size()) {
        const auto& step = scenario.steps[last->step];
        if (step.kind == scenario::StepKind::Quiz) {
            // The question just asked, answered by the engine, with its reason.
            html
                += tr("<p><b>Quiz:</b> %1<br><span style=\"font-size:large; color:#2e7d32\"><b>%2</b></span><br>%3</p>")
                       .arg(QString::fromStdString(step.text).toHtmlEscaped(),
                           QString::fromStdString(last->outcome.answer).toHtmlEscaped(),
                           QString::fromStdString(last->outcome.why).toHtmlEscaped());
        } else if (step.kind != scenario::StepKind::Say && !last->ran) {
            html += tr("<p>Last step: <b>%1</b> ran on the model only.<br><small>%2</small></p>")
                        .arg(describeStep(step), QString::fromStdString(last->notRun).toHtmlEscaped());
        } else if (step.kind != scenario::StepKind::Say) {
            const scenario::StepOutcome& outcome = last->outcome;
            html += tr("<p>Last step: <b>%1</b>").arg(describeStep(step));
            if (outcome.call) {
                const bool ok = ntSuccess(outcome.status);
                html += QStringLiteral(" → <span style=\"color:%1\"><b>%2</b></span>")
                            .arg(ok ? QStringLiteral("#2e8b3e") : QStringLiteral("#d64a1f"),
                                models::toQString(ntStatusName(outcome.status)));
                if (!ok && !outcome.status.message().empty())
                    html += QStringLiteral("<br><small>%1</small>")
                                .arg(QString::fromStdString(outcome.status.message()).toHtmlEscaped());
                // Where the world compares two sides (a live source and its model), where they differ.
                if (!last->difference.empty())
                    html += tr("<br><span style=\"color:#b35c00\">The model and %1 differ: %2</span>")
                                .arg(source, QString::fromStdString(last->difference).toHtmlEscaped());
            }
            html += QStringLiteral("</p>");
        }
    }
    const std::vector<std::string> failures = w.expectationFailures();
    if (!failures.empty())
        html += tr("<p style=\"color:#d64a1f\">%1 expectation(s) of the lesson did not hold on %2: %3</p>")
                    .arg(failures.size())
                    .arg(source, QString::fromStdString(failures.back()).toHtmlEscaped());
    if (!w.atEnd() && scenario.steps[w.position()].kind == scenario::StepKind::Quiz) {
        // A question for the class: asked before the step, answered by stepping.
        const scenario::Step& quiz = scenario.steps[w.position()];
        html += tr("<p style=\"font-size:large\"><b>Quiz:</b> %1</p>")
                    .arg(QString::fromStdString(quiz.text).toHtmlEscaped());
        if (!quiz.names.empty()) {
            html += QStringLiteral("<ol>");
            for (const std::string& c : quiz.names)
                html += QStringLiteral("<li style=\"font-size:large\">%1</li>")
                            .arg(QString::fromStdString(c).toHtmlEscaped());
            html += QStringLiteral("</ol>");
        }
        html += tr("<p style=\"color:gray\">Let the class answer, then step (→) for the engine's answer and why.</p>");
    } else if (!w.atEnd()) {
        // A world that cannot act was cut into steps that only name what comes (a recording's events).
        const scenario::Step& next = scenario.steps[w.position()];
        html += tr("<p style=\"color:gray\">Next: %1</p>")
                    .arg(!w.info().canAct && !next.text.empty() ? QString::fromStdString(next.text).toHtmlEscaped()
                                                                : describeStep(next));
    } else if (!w.info().canAct)
        html += tr("<p style=\"color:gray\">End of %1. Step back to any point, or click the timeline.</p>").arg(source);
    else if (w.info().canStepBack)
        html += tr("<p style=\"color:gray\">End of the scenario. Act from the Actions menu, or step back to any "
                   "point.</p>");
    else
        html += tr("<p style=\"color:gray\">End of the scenario. Act from the Actions menu; what %1 did cannot be "
                   "stepped back.</p>")
                    .arg(source);
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
