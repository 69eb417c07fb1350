// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope: the desktop application.
//   offerscope [FILE]                         open a scenario (default: the first lesson built in)
//   offerscope FILE --steps N --screenshot PNG [--report]
//                                             run N steps, save a screenshot of the window, print the
//                                             views' row counts and quit (tests, README pictures)
#include "app/gui/MainWindow.h"
#include "core/Version.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEvent>
#include <QIcon>
#include <QPixmap>
#include <QTimer>
#include <cstdio>
#include <utility>
#include <vector>

namespace {

/// --startup-time: how long from main() to the window's first painted frame, and where the time went.
class StartupClock final : public QObject {
public:
    explicit StartupClock(const QElapsedTimer& sinceMain)
        : m_sinceMain(sinceMain)
    {
    }
    void mark(const char* what) { m_marks.push_back({ what, m_sinceMain.nsecsElapsed() }); }
    /// Reports at the end of the event cycle of the first paint of `window`, then quits.
    void reportAfterFirstPaint(QWidget* window)
    {
        m_window = window;
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            // The paint event is being handled now; the frame is done when the event loop comes back.
            QTimer::singleShot(0, this, [this] {
                mark("first frame painted");
                std::printf("startup: %.1f ms from main() to the first painted frame of %s\n",
                    static_cast<double>(m_marks.back().second) / 1e6, qPrintable(m_window->windowTitle()));
                qint64 previous = 0;
                for (const auto& [what, at] : m_marks) {
                    std::printf("  %8.1f ms  %-28s (+%.1f ms)\n", static_cast<double>(at) / 1e6, what,
                        static_cast<double>(at - previous) / 1e6);
                    previous = at;
                }
                std::fflush(stdout);
                QApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer& m_sinceMain;
    std::vector<std::pair<const char*, qint64>> m_marks;
    QWidget* m_window = nullptr;
    bool m_painted = false;
};

} // namespace

int main(int argc, char** argv)
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    StartupClock startup(sinceMain);
    startup.mark("application object");
    QApplication::setApplicationName(QStringLiteral("OfferScope"));
    QApplication::setOrganizationName(QStringLiteral("OfferScope"));
    QApplication::setApplicationVersion(QString::fromStdString(offerscope::versionText()));
    // The desktop entry the window belongs to (its icon and name in task bars), and the icon itself.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.offerscope.OfferScope"));
    QIcon icon;
    for (int size : { 16, 32, 48, 64, 128, 256 })
        icon.addFile(QStringLiteral(":/icons/offerscope-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("See and teach how Windows manages offered video memory (simulator, lessons)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Scenario or lesson to open."));
    QCommandLineOption steps(
        QStringLiteral("steps"), QStringLiteral("Run N steps after opening."), QStringLiteral("N"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window and quit."), QStringLiteral("PNG"));
    QCommandLineOption report(QStringLiteral("report"), QStringLiteral("Print the views' row counts and quit."));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WxH."), QStringLiteral("WxH"));
    QCommandLineOption check(QStringLiteral("check"),
        QStringLiteral("A recording: check it against the model and show the model beside it."));
    QCommandLineOption whatIf(QStringLiteral("what-if"),
        QStringLiteral("Open a what-if beside the scenario: KEY=VALUE as offerscope-cli compare --set takes it."),
        QStringLiteral("KEY=VALUE"));
    QCommandLineOption classroom(QStringLiteral("classroom"), QStringLiteral("Start in classroom mode (F8)."));
    QCommandLineOption budgetCurve(QStringLiteral("budget-curve"),
        QStringLiteral("Show the budget curve of an access trace (object_id,size_bytes[,priority] per line)."),
        QStringLiteral("TRACE"));
    QCommandLineOption startupTime(QStringLiteral("startup-time"),
        QStringLiteral("Print the time from main() to the first painted frame, and its parts, and quit."));
    parser.addOptions({ steps, screenshot, report, size, check, whatIf, classroom, budgetCurve, startupTime });
    parser.process(app);
    startup.mark("arguments read");

    offerscope::app::MainWindow window;
    startup.mark("window built");
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        bool widthOk = false, heightOk = false;
        const int width = wh.size() == 2 ? wh[0].toInt(&widthOk) : 0;
        const int height = wh.size() == 2 ? wh[1].toInt(&heightOk) : 0;
        if (!widthOk || !heightOk || width < 200 || height < 150 || width > 16384 || height > 16384) {
            std::fprintf(stderr, "offerscope: --size: '%s' is not a window size WxH (e.g. 1600x1000)\n",
                qPrintable(parser.value(size)));
            return 2;
        }
        window.resize(width, height);
    }
    const QStringList files = parser.positionalArguments();
    const QString file = files.isEmpty() ? offerscope::app::MainWindow::bundledLessons().value(0) : files.front();
    const bool batch = parser.isSet(screenshot) || parser.isSet(report);
    window.setCheckRecordingsOnOpen(parser.isSet(check));
    if (parser.isSet(classroom))
        window.setClassroomMode(true);
    QString error;
    if (!window.openFile(file, batch, &error) && batch) {
        std::fprintf(stderr, "offerscope: %s\n", qPrintable(error)); // FILE:LINE:COLUMN: what is wrong
        return 2;
    }
    startup.mark("scenario opened");
    if (parser.isSet(startupTime)) {
        startup.reportAfterFirstPaint(&window);
        window.show();
        startup.mark("window shown");
        return QApplication::exec();
    }
    window.show();
    if (parser.isSet(budgetCurve))
        window.openBudgetCurve(parser.value(budgetCurve), batch);
    if (parser.isSet(whatIf) && !window.openWhatIf(parser.value(whatIf), &error) && batch) {
        std::fprintf(stderr, "offerscope: --what-if: %s\n", qPrintable(error));
        return 2;
    }
    if (!batch)
        return QApplication::exec();

    bool ok = true;
    const int n = parser.value(steps).toInt(&ok);
    if (parser.isSet(steps) && (!ok || n < 0)) {
        std::fprintf(stderr, "offerscope: --steps: '%s' is not a number of steps\n", qPrintable(parser.value(steps)));
        return 2;
    }
    int code = 0;
    QTimer::singleShot(300, &window, [&] {
        // A recording is read (and checked) on the worker: wait for it to be shown before stepping.
        window.worker()->waitForIdle();
        QApplication::processEvents();
        window.worker()->waitForIdle();
        QApplication::processEvents();
        for (int i = 0; i < n && window.document()->stepForward(); ++i) { }
        window.refreshNow();
        QApplication::processEvents();
        QTimer::singleShot(300, &window, [&] {
            if (parser.isSet(screenshot)) {
                const QPixmap shot = window.grab();
                if (shot.isNull() || !shot.save(parser.value(screenshot))) {
                    std::fprintf(
                        stderr, "offerscope: cannot save the screenshot to %s\n", qPrintable(parser.value(screenshot)));
                    code = 1;
                }
            }
            if (parser.isSet(report))
                std::fputs(qPrintable(window.viewReport()), stdout);
            QApplication::quit();
        });
    });
    QApplication::exec();
    return code;
}
