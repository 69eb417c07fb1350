// SPDX-License-Identifier: GPL-3.0-or-later
// Starts the real application on a display (CTest runs this under xvfb-run), steps a lesson, and
// checks the screenshot it grabbed of its main window and the rows its views hold.
#include <QColor>
#include <QImage>
#include <QProcess>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace {

struct AppRun {
    int exitCode = -1;
    QString report;
    QString errors;
};

AppRun runApp(const QStringList& arguments)
{
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the real platform: the X server of xvfb-run
    QTemporaryDir config;
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path()); // fresh settings
    app.setProcessEnvironment(env);
    app.start(QStringLiteral(OFFERSCOPE_APP), arguments);
    AppRun run;
    if (!app.waitForFinished(60000)) {
        app.kill();
        run.errors = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    run.report = QString::fromUtf8(app.readAllStandardOutput());
    run.errors = QString::fromUtf8(app.readAllStandardError());
    return run;
}

QString lesson(const char* file)
{
    return QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons/") + QString::fromLatin1(file);
}

} // namespace

TEST(Application, StepsALessonOnXAndItsScreenshotShowsTheViews)
{
    ASSERT_FALSE(qEnvironmentVariableIsEmpty("DISPLAY")) << "run under xvfb-run (ctest does)";
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("window.png"));
    const AppRun run = runApp({ lesson("01-first-offer-and-reclaim.jsonc"), QStringLiteral("--steps"), QStringLiteral("18"),
        QStringLiteral("--size"), QStringLiteral("1400x900"), QStringLiteral("--screenshot"), shot,
        QStringLiteral("--report") });
    ASSERT_EQ(run.exitCode, 0) << run.errors.toStdString();

    // The views hold what lesson 1 leaves: the menu reclaimed twice, OK and then DISCARDED.
    EXPECT_TRUE(run.report.contains(QStringLiteral("position=18/18"))) << run.report.toStdString();
    EXPECT_TRUE(run.report.contains(QStringLiteral("reclaims=2\n"))) << run.report.toStdString();
    EXPECT_TRUE(run.report.contains(QStringLiteral("reclaim.menu=OK\nreclaim.menu=DISCARDED"))) << run.report.toStdString();
    EXPECT_TRUE(run.report.contains(QStringLiteral("allocations=2\n"))) << run.report.toStdString();
    const qsizetype events = run.report.indexOf(QStringLiteral("events="));
    ASSERT_GE(events, 0);
    EXPECT_GT(run.report.mid(events + 7).section(QLatin1Char('\n'), 0, 0).toInt(), 20);

    // The screenshot is the window, and not an empty one: many colours (plots, tables, text).
    QImage image(shot);
    ASSERT_FALSE(image.isNull()) << "no screenshot at " << shot.toStdString();
    EXPECT_EQ(image.width(), 1400);
    EXPECT_EQ(image.height(), 900);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 64);
    // The usage bars' "in use" blue is on screen.
    bool blue = false;
    for (int y = 0; y < image.height() && !blue; y += 2)
        for (int x = 0; x < image.width() && !blue; x += 2)
            blue = image.pixel(x, y) == QColor(0x4e, 0x79, 0xa7).rgb();
    EXPECT_TRUE(blue);
}

TEST(Application, ABrokenScenarioIsReportedWithItsPosition)
{
    ASSERT_FALSE(qEnvironmentVariableIsEmpty("DISPLAY"));
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("broken.jsonc"));
    QFile out(file);
    ASSERT_TRUE(out.open(QIODevice::WriteOnly));
    out.write("{\n  \"steps\": [ { \"offr\": \"x\" } ]\n}\n");
    out.close();
    const AppRun run = runApp({ file, QStringLiteral("--report") });
    EXPECT_EQ(run.exitCode, 2);
    // The whole message, with the position, as the status bar shows it.
    EXPECT_TRUE(run.errors.contains(QStringLiteral("broken.jsonc:1:1: a scenario needs \"processes\""))) << run.errors.toStdString();
}

TEST(Application, BadArgumentsAreRefusedByName)
{
    ASSERT_FALSE(qEnvironmentVariableIsEmpty("DISPLAY"));
    const QString file = lesson("01-first-offer-and-reclaim.jsonc");
    AppRun run = runApp({ file, QStringLiteral("--size"), QStringLiteral("garbage"), QStringLiteral("--report") });
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(run.errors.contains(QStringLiteral("offerscope: --size: 'garbage' is not a window size WxH")))
        << run.errors.toStdString();
    run = runApp({ file, QStringLiteral("--steps"), QStringLiteral("many"), QStringLiteral("--report") });
    EXPECT_EQ(run.exitCode, 2);
    EXPECT_TRUE(run.errors.contains(QStringLiteral("offerscope: --steps: 'many' is not a number of steps")))
        << run.errors.toStdString();
}
