// SPDX-License-Identifier: GPL-3.0-or-later
// The real main window, offscreen, driven through its actions, tables and dialogs as a person would.
#include "app/gui/ActionDialogs.h"
#include "app/gui/BesidePane.h"
#include "app/gui/MainWindow.h"
#include "core/Version.h"
#include "core/replay/BudgetSweep.h"
#include "core/scenario/ScenarioCompare.h"
#include "core/scenario/ScenarioParser.h"
#include "core/session/Session.h"
#include "core/trace/RecordingWorld.h"
#include "tests/core/FakeDriver.h"
#include "tests/core/FakeDxg.h"
#include "tests/trace/OfferStory.h"
#include "tests/widgets/WindowUnderTest.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/BudgetCurveModel.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/LiveSourceModels.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/PracticeSession.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"
#include "widgets/views/BudgetCurveView.h"
#include "widgets/views/CachedScrollBar.h"
#include "widgets/views/CachedTextDelegate.h"
#include "widgets/views/CallView.h"
#include "widgets/views/LiveSourceView.h"
#include "widgets/views/NarrationView.h"
#include "widgets/views/OfferedListsView.h"
#include "widgets/views/PlotExport.h"
#include "widgets/views/PracticeView.h"
#include "widgets/views/StackedSteps.h"
#include "widgets/views/TableView.h"
#include "widgets/views/TimelinePlot.h"
#include "widgets/views/UsageBarsPlot.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSlider>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyleOptionSlider>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QUrl>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <qcustomplot.h>
#include <thread>

using namespace offerscope;
using namespace offerscope::models;
using offerscope::app::MainWindow;

namespace {
scenario::Scenario parsedLesson(const char* file)
{
    Result<scenario::Scenario> read
        = scenario::readScenario(std::string(OFFERSCOPE_SOURCE_DIR "/resources/lessons/") + file);
    EXPECT_TRUE(read) << read.message();
    return read.take();
}
} // namespace
using offerscope::widgets::TableView;

namespace {

QString lesson(const char* file)
{
    return QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons/") + QString::fromLatin1(file);
}

class Window : public ::testing::Test, protected test::WindowUnderTest {
protected:
    void SetUp() override { openWindow(1400, 900); }
    void TearDown() override { closeWindow(); }
    QAction* action(const char* name) const
    {
        auto* a = window->findChild<QAction*>(QString::fromLatin1(name));
        EXPECT_NE(a, nullptr) << name;
        return a;
    }
    void trigger(const char* name)
    {
        action(name)->trigger();
        window->refreshNow();
    }
    TableView* table(const char* name) const { return window->findChild<TableView*>(QString::fromLatin1(name)); }
    // Lets the worker finish what it was asked (readings, discovery, probe runs) and delivers the
    // results to the window, as its event loop would.
    void settle()
    {
        window->worker()->waitForIdle();
        QCoreApplication::processEvents();
    }
    // The tests ask the world's kind; the window never does.
    bool isLive() const
    {
        return window->document()->hasSession() && window->document()->world()->info().kind == world::WorldKind::Live;
    }
    // The simulator's session shown (lessons opened on the simulator).
    const session::Session& session() const
    {
        const auto* s = dynamic_cast<const session::Session*>(window->document()->world());
        EXPECT_NE(s, nullptr) << "the simulator's session is shown";
        return *s;
    }
    template <class Model> Model* model(std::function<bool(Model*)> which = {}) const
    {
        for (Model* m : window->findChildren<Model*>())
            if (!which || which(m))
                return m;
        return nullptr;
    }
    OfferedListModel* offered(OfferPriority p) const
    {
        return model<OfferedListModel>([p](OfferedListModel* m) { return m->priority() == p; });
    }
    // Clicks the allocation rows with these names in the allocations table (Ctrl for the others).
    void selectAllocations(const QStringList& names)
    {
        TableView* t = table("allocations");
        bool first = true;
        for (int r = 0; r < t->model()->rowCount(); ++r) {
            const QModelIndex index = t->model()->index(r, AllocationsModel::Name);
            if (!names.contains(index.data().toString()))
                continue;
            t->scrollTo(index);
            QTest::mouseClick(t->viewport(), Qt::LeftButton, first ? Qt::NoModifier : Qt::ControlModifier,
                t->visualRect(index).center());
            first = false;
        }
        ASSERT_EQ(t->selectionModel()->selectedRows().size(), names.size());
    }
    // Answers the next modal dialog: `fill` sets its fields, then OK is pressed.
    void answerNextDialog(std::function<void(QDialog*)> fill)
    {
        QTimer::singleShot(0, [fill] {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            ASSERT_NE(dialog, nullptr);
            fill(dialog);
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
    }
    // Presses OK on every message box that comes up (a failed call explains itself in one).
    void dismissMessageBoxes()
    {
        QTimer::singleShot(0, [] {
            if (auto* box = qobject_cast<QDialog*>(QApplication::activeModalWidget()))
                box->accept();
        });
    }
    QString column(const QAbstractItemModel* m, int c) const
    {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << m->index(r, c).data().toString();
        return out.join(QLatin1Char('|'));
    }
};

} // namespace

TEST_F(Window, OfferingASelectionThroughTheDialogPutsItInTheRightListAtTheRightPlace)
{
    ASSERT_TRUE(window->openFile(lesson("02-three-priorities.jsonc"), true));
    // Go to the point where all three caches are resident again after the lesson's reclaim.
    trigger("actionEnd");
    OfferedListModel* low = offered(OfferPriority::Low);
    OfferedListModel* normal = offered(OfferPriority::Normal);
    ASSERT_EQ(low->rowCount(), 0);

    selectAllocations({ QStringLiteral("pyramid") });
    answerNextDialog([](QDialog* d) {
        auto* priority = d->findChild<QComboBox*>();
        priority->setCurrentIndex(priority->findData(1)); // LOW
    });
    trigger("actionOffer");
    ASSERT_EQ(low->rowCount(), 1);
    EXPECT_EQ(low->index(0, OfferedListModel::Name).data().toString(), QStringLiteral("pyramid"));
    EXPECT_TRUE(low->index(0, 0).data(FirstVictimRole).toBool());

    selectAllocations({ QStringLiteral("thumbnails") });
    answerNextDialog([](QDialog* d) {
        auto* priority = d->findChild<QComboBox*>();
        priority->setCurrentIndex(priority->findData(1));
    });
    trigger("actionOffer");
    // Second offer at LOW: second in line, behind the older one.
    EXPECT_EQ(column(low, OfferedListModel::Name), QStringLiteral("pyramid|thumbnails"));
    EXPECT_EQ(low->index(1, OfferedListModel::Rank).data(SortRole).toUInt(), 2u);
    EXPECT_EQ(normal->rowCount(), 0);
    // Each action became a step of the session, after the lesson's own.
    EXPECT_EQ(session().stepCount(), parsedLesson("02-three-priorities.jsonc").steps.size() + 2);
}

TEST_F(Window, ReclaimAfterPressureShowsDiscardedAndTheLinkLeadsToTheDiscard)
{
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    // Step to just after the browser's pressure discarded the menu.
    while (session().position() < 11)
        trigger("actionStep");
    selectAllocations({ QStringLiteral("menu") });
    // Truncate the lesson here and reclaim by hand.
    trigger("actionReclaim");
    auto* reclaims = model<ReclaimResultsModel>();
    ASSERT_GE(reclaims->rowCount(), 2);
    const int last = reclaims->rowCount() - 1;
    EXPECT_EQ(reclaims->index(last, ReclaimResultsModel::Result).data().toString(), QStringLiteral("DISCARDED"));
    EXPECT_EQ(reclaims->index(last, ReclaimResultsModel::Allocation).data().toString(), QStringLiteral("menu"));
    // Double-clicking the link selects the discard in the event log and shows it.
    TableView* reclaimTable = table("reclaims");
    emit reclaimTable->doubleClicked(reclaimTable->model()->index(last, ReclaimResultsModel::LostBy));
    TableView* events = table("events");
    const QModelIndex current = events->currentIndex();
    ASSERT_TRUE(current.isValid());
    EXPECT_EQ(
        events->model()->index(current.row(), EventLogModel::Kind).data().toString(), QStringLiteral("Discarded"));
}

TEST_F(Window, StepBackShowsTheEarlierStateInEveryModel)
{
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    auto snapshot = [this] {
        QString all;
        for (QAbstractItemModel* m : window->findChildren<QAbstractItemModel*>())
            for (int r = 0; r < m->rowCount(); ++r)
                for (int c = 0; c < m->columnCount(); ++c)
                    all += m->index(r, c).data().toString() + QLatin1Char(',');
        return all;
    };
    std::vector<QString> states { snapshot() };
    while (!session().atEnd()) {
        trigger("actionStep");
        states.push_back(snapshot());
    }
    for (std::size_t p = states.size() - 1; p-- > 0;) {
        trigger("actionStepBack");
        ASSERT_EQ(snapshot().toStdString(), states[p].toStdString()) << "position " << p;
    }
    EXPECT_FALSE(action("actionStepBack")->isEnabled());
    // The slider travels too.
    auto* slider = window->findChild<QSlider*>(QStringLiteral("timelineSlider"));
    slider->setValue(7);
    window->refreshNow();
    EXPECT_EQ(snapshot().toStdString(), states[7].toStdString());
}

TEST_F(Window, AnInvalidActionReportsTheStatusAndChangesNothing)
{
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    trigger("actionStep");
    trigger("actionStep"); // "menu" is created and resident
    auto* allocations = model<AllocationsModel>();
    const QString before = column(allocations, AllocationsModel::State);
    selectAllocations({ QStringLiteral("menu") });
    dismissMessageBoxes();
    trigger("actionReclaim"); // reclaiming memory that is not offered
    EXPECT_EQ(column(allocations, AllocationsModel::State), before);
    const auto& outcome = session().runner().outcomes().back();
    EXPECT_EQ(outcome.status, NtStatus::InvalidParameter);
    auto* reclaims = model<ReclaimResultsModel>();
    ASSERT_EQ(reclaims->rowCount(), 1);
    EXPECT_TRUE(reclaims->index(0, ReclaimResultsModel::Result).data().toString().startsWith(QStringLiteral("failed")));
}

TEST_F(Window, SelectingAnAllocationHighlightsItInTheOfferedList)
{
    ASSERT_TRUE(window->openFile(lesson("02-three-priorities.jsonc"), true));
    window->document()->seek(8);
    window->refreshNow();
    auto* high = offered(OfferPriority::High);
    ASSERT_GE(high->rowCount(), 1);
    const QString name = high->index(0, OfferedListModel::Name).data().toString();
    // Bring the allocations tab forward, as a person would, then click the row.
    for (QDockWidget* d : window->findChildren<QDockWidget*>())
        if (d->objectName() == QLatin1String("allocationsDock"))
            d->raise();
    auto* tabs = window->findChild<widgets::OfferedListsView*>()->tabs();
    EXPECT_EQ(tabs->currentIndex(), 0) << "the offered dock opens on the whole queue";
    tabs->setCurrentIndex(1); // the LOW list, which does not hold it: the queue does
    selectAllocations({ name });
    EXPECT_EQ(tabs->currentIndex(), 0);
    TableView* queueTable = table("offered-queue");
    ASSERT_NE(queueTable, nullptr);
    ASSERT_TRUE(queueTable->currentIndex().isValid());
    EXPECT_EQ(queueTable->currentIndex().data(HandleRole), table("allocations")->currentIndex().data(HandleRole));
    // On the HIGH list, it is picked there.
    tabs->setCurrentIndex(3);
    window->findChild<widgets::OfferedListsView*>()->selectAllocation(
        table("allocations")->currentIndex().data(HandleRole).toUInt());
    EXPECT_EQ(tabs->currentIndex(), 3);
    ASSERT_TRUE(table("offered-high")->currentIndex().isValid());
}

TEST_F(Window, PlotsExportAsPngAndPdfAndSettingsPersist)
{
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    trigger("actionEnd");
    QTemporaryDir dir;
    QString error;
    auto* usage = window->findChild<widgets::UsageBarsPlot*>();
    auto* timeline = window->findChild<widgets::TimelinePlot*>();
    for (const QString& file : { QStringLiteral("usage.png"), QStringLiteral("usage.pdf") }) {
        ASSERT_TRUE(widgets::exportPlot(usage->plot(), dir.filePath(file), &error)) << error.toStdString();
        EXPECT_GT(QFileInfo(dir.filePath(file)).size(), 1000);
    }
    ASSERT_TRUE(widgets::exportPlot(timeline->plot(), dir.filePath(QStringLiteral("t.pdf")), &error));
    EXPECT_FALSE(widgets::exportPlot(timeline->plot(), dir.filePath(QStringLiteral("t.bmpx")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("t.bmpx")));

    window->close(); // saves the layout
    EXPECT_FALSE(QSettings().value(QStringLiteral("window/state")).toByteArray().isEmpty());
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    ASSERT_FALSE(recent.isEmpty());
    EXPECT_TRUE(recent.front().endsWith(QStringLiteral("01-first-offer-and-reclaim.jsonc")));
}

TEST_F(Window, ABrokenFileKeepsTheOpenSession)
{
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    trigger("actionStep");
    EXPECT_FALSE(window->openFile(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/README.md"), true));
    EXPECT_EQ(session().position(), 1u);
    EXPECT_TRUE(window->windowTitle().contains(QStringLiteral("Lesson 1")));
}

// The tables' scroll bars paint a kept rendering while nothing they show changes: what they show
// must still be exactly what the style draws, and change when the bar does.
TEST_F(Window, ScrollBarsShowWhatTheStyleDrawsAndFollowTheirRange)
{
    window->openFile(lesson("02-three-priorities.jsonc"));
    trigger("actionEnd");
    QCoreApplication::processEvents();
    TableView* events = table("events");
    auto* bar = qobject_cast<widgets::CachedScrollBar*>(events->verticalScrollBar());
    ASSERT_NE(bar, nullptr);
    ASSERT_TRUE(bar->isVisible()) << "the event log holds more rows than it shows";
    auto styleDrawn = [](QScrollBar* b) {
        QStyleOptionSlider option;
        option.initFrom(b);
        option.subControls = QStyle::SC_All; // as QScrollBar::paintEvent() draws it, nothing hovered
        option.orientation = b->orientation();
        option.minimum = b->minimum();
        option.maximum = b->maximum();
        option.sliderPosition = b->sliderPosition();
        option.sliderValue = b->value();
        option.singleStep = b->singleStep();
        option.pageStep = b->pageStep();
        option.upsideDown = b->invertedAppearance();
        if (b->orientation() == Qt::Horizontal)
            option.state |= QStyle::State_Horizontal;
        QImage image(b->size() * b->devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(b->devicePixelRatio());
        image.fill(Qt::transparent);
        QPainter painter(&image);
        b->style()->drawComplexControl(QStyle::CC_ScrollBar, &option, &painter, b);
        return image;
    };
    auto shown = [](QScrollBar* b) {
        QImage image(b->size() * b->devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(b->devicePixelRatio());
        image.fill(Qt::transparent);
        b->render(&image, QPoint(), QRegion(), QWidget::DrawChildren);
        return image;
    };
    const QImage atEnd = shown(bar);
    EXPECT_EQ(atEnd, styleDrawn(bar));
    QSet<QRgb> colours;
    for (int y = 0; y < atEnd.height(); ++y)
        for (int x = 0; x < atEnd.width(); ++x)
            colours.insert(atEnd.pixel(x, y));
    EXPECT_GT(colours.size(), 2) << "a groove and a handle";
    const long rendersBefore = bar->renders();
    shown(bar);
    EXPECT_EQ(bar->renders(), rendersBefore) << "unchanged: painted from the kept rendering";
    // Back to the top: the handle moves, so the bar is drawn anew and shows it.
    bar->setValue(bar->minimum());
    const QImage atTop = shown(bar);
    EXPECT_GT(bar->renders(), rendersBefore);
    EXPECT_NE(atTop, atEnd);
    EXPECT_EQ(atTop, styleDrawn(bar));
}

// The tables paint their text from laid-out text they keep. What shows must be what the plain
// delegate shows — colours from the model, selection, elision in narrow columns — and the second
// paint of the same cells must not lay anything out again.
TEST_F(Window, TablesKeepTheirLaidOutTextAndShowWhatThePlainDelegateShows)
{
    window->openFile(lesson("02-three-priorities.jsonc"));
    trigger("actionEnd");
    QCoreApplication::processEvents();
    TableView* events = table("events");
    auto* cached = qobject_cast<widgets::CachedTextDelegate*>(events->itemDelegate());
    ASSERT_NE(cached, nullptr);
    events->setColumnWidth(2, 60); // narrow: the event kinds are elided
    events->selectRow(events->model()->rowCount() - 1);
    events->scrollToBottom();
    QCoreApplication::processEvents();
    auto shown = [events] {
        QWidget* viewport = events->viewport();
        QImage image(viewport->size() * viewport->devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(viewport->devicePixelRatio());
        image.fill(Qt::transparent);
        viewport->render(&image);
        return image;
    };
    const QImage fromCache = shown();
    const qsizetype kept = cached->cachedTexts();
    EXPECT_GT(kept, 10);
    const long hitsBefore = cached->cacheHits();
    EXPECT_EQ(shown(), fromCache) << "painting again gives the same picture";
    EXPECT_GE(cached->cacheHits() - hitsBefore, kept) << "and lays nothing out again";
    EXPECT_EQ(cached->cachedTexts(), kept);

    QStyledItemDelegate plain;
    events->setItemDelegate(&plain);
    const QImage fromPlain = shown();
    events->setItemDelegate(cached);
    ASSERT_EQ(fromPlain.size(), fromCache.size());
    // Glyphs may be rasterised a little differently (a handful of pixels); nothing may move.
    long differing = 0;
    for (int y = 0; y < fromPlain.height(); ++y)
        for (int x = 0; x < fromPlain.width(); ++x) {
            const QColor a = fromPlain.pixelColor(x, y), b = fromCache.pixelColor(x, y);
            if (std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) > 96)
                ++differing;
        }
    EXPECT_LT(differing, fromPlain.width() * fromPlain.height() / 1000);
}

// The source selector lists the live sources with the reason they are not available here, and
// keeps the simulator. A live source (here WSL2 over a stand-in dxgkrnl) opens beside the simulator:
// its readings, what it cannot do, and a probe run compared with the model, probe by probe.
TEST_F(Window, LiveSourcesSayWhyTheyAreMissingAndOpenBesideTheSimulator)
{
    auto* selector = window->findChild<QComboBox*>(QStringLiteral("sourceSelector"));
    ASSERT_NE(selector, nullptr);
    settle(); // the sources are found on the worker
    ASSERT_EQ(selector->count(), 3);
    EXPECT_EQ(selector->currentIndex(), 0);
    EXPECT_TRUE(selector->itemText(0).startsWith(QStringLiteral("Simulator")));
    if (!QFileInfo::exists(QStringLiteral("/dev/dxg"))) {
        EXPECT_EQ(selector->itemText(2), QStringLiteral("WSL2 (/dev/dxg) — not available: /dev/dxg not found"));
        EXPECT_FALSE(qobject_cast<QStandardItemModel*>(selector->model())->item(2)->isEnabled());
    }

    window->openFile(lesson("01-first-offer-and-reclaim.jsonc"));
    auto opened = live::Wsl2Backend::openWith(std::make_unique<live::testing::FakeDxg>());
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    window->openLiveSource(std::move(backend));
    auto* dock = window->findChild<QDockWidget*>(QStringLiteral("liveDock"));
    ASSERT_NE(dock, nullptr);
    EXPECT_TRUE(dock->isVisible());
    EXPECT_EQ(dock->windowTitle(), QStringLiteral("Live source: WSL2 (/dev/dxg)"));
    TableView* readings = dock->findChild<TableView*>(QStringLiteral("liveReadings"));
    ASSERT_NE(readings, nullptr);
    QAbstractItemModelTester readingsTester(readings->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_EQ(readings->model()->rowCount(), 4) << "two segments, two segment groups";
    EXPECT_EQ(readings->model()->index(0, models::LiveReadingsModel::Committed).data().toString(), QStringLiteral("512 MiB"));
    EXPECT_EQ(readings->model()->index(2, models::LiveReadingsModel::Budget).data().toString(), QStringLiteral("7 GiB"));
    EXPECT_EQ(readings->model()->index(2, models::LiveReadingsModel::Size).data().toString(), QStringLiteral("–"));

    // A bad size is refused in words; nothing runs.
    auto* view = dock->findChild<widgets::LiveSourceView*>();
    auto* sizes = dock->findChild<QLineEdit*>(QStringLiteral("probeSizes"));
    auto* message = dock->findChild<QLabel*>(QStringLiteral("probeMessage"));
    TableView* comparison = dock->findChild<TableView*>(QStringLiteral("probeComparison"));
    ASSERT_TRUE(view && sizes && message && comparison);
    QAbstractItemModelTester comparisonTester(comparison->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    sizes->setText(QStringLiteral("64MiB,lots"));
    EXPECT_FALSE(view->runProbe());
    EXPECT_EQ(message->text(), QStringLiteral("Probe sizes: “lots” is not a size (e.g. 64MiB)."));
    EXPECT_EQ(comparison->model()->rowCount(), 0);

    // WSL2 cannot create probes here; the model can. Each probe says where they differ.
    sizes->setText(QStringLiteral("64MiB,16MiB"));
    QTest::mouseClick(dock->findChild<QPushButton*>(QStringLiteral("runProbe")), Qt::LeftButton);
    settle(); // the probe run goes to the worker
    ASSERT_EQ(comparison->model()->rowCount(), 2);
    EXPECT_EQ(comparison->model()->index(0, models::ProbeComparisonModel::Live).data().toString(),
        QStringLiteral("create STATUS_NOT_SUPPORTED"));
    EXPECT_TRUE(comparison->model()->index(0, models::ProbeComparisonModel::Model).data().toString().startsWith(
        QStringLiteral("offer STATUS_SUCCESS")));
    EXPECT_TRUE(comparison->model()->index(0, models::ProbeComparisonModel::Differs).data().toString().startsWith(
        QStringLiteral("creating it: the driver answered STATUS_NOT_SUPPORTED")));
    EXPECT_EQ(message->text(), QStringLiteral("2 of 2 probes differ from the model's prediction."));
    auto* problems = dock->findChild<QLabel*>(QStringLiteral("liveProblems"));
    EXPECT_TRUE(problems->text().contains(QStringLiteral("telemetry only")));
    // Back to the simulator: its session is where it was.
    EXPECT_TRUE(isLive());
    window->closeLiveSource();
    EXPECT_FALSE(isLive());
    EXPECT_EQ(window->findChild<QDockWidget*>(QStringLiteral("liveDock")), nullptr);
    EXPECT_EQ(selector->currentIndex(), 0);
    EXPECT_TRUE(window->document()->hasSession());
    EXPECT_EQ(session().scenario().title, "Lesson 1 - Offer, then reclaim");
}

// A probe run is steps of the live world: the driver's calls on the worker, each step taken in with the
// model's side. The timeline grows by the run, every step's events are its own, and the comparison
// names the probes where the driver kept what the model discarded.
// A recording of what Windows did opens beside the simulator: read on the worker, shown in every view,
// travelled through; the call view shows the recorded fields; closing it brings the session back.
TEST_F(Window, ARecordingOpensInEveryViewAndClosesBackToTheSession)
{
    window->openFile(lesson("01-first-offer-and-reclaim.jsonc"));
    const std::string path = (std::filesystem::temp_directory_path() / "offerscope-window-story.etl").string();
    {
        const std::vector<std::uint8_t> bytes = trace::testing::offerStory().etl();
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    window->openFile(QString::fromStdString(path)); // a recording goes to the worker
    settle();
    ASSERT_EQ(window->document()->world()->info().kind, world::WorldKind::Recording);
    EXPECT_EQ(window->document()->stepCount(), 28u);
    EXPECT_TRUE(
        window->statusBar()->currentMessage().contains(QStringLiteral("Every offer, discard and reclaim names")))
        << window->statusBar()->currentMessage().toStdString();
    window->document()->seek(window->document()->stepCount());
    window->refreshNow();
    EXPECT_EQ(table("reclaims")->model()->rowCount(), 2) << "the DISCARDED and the OK reclaim";
    EXPECT_EQ(table("reclaims")->model()->index(0, models::ReclaimResultsModel::LostBy).data().toString(),
        QStringLiteral("→ event #24"))
        << "the DISCARDED reclaim links to the recorded discard";
    const QString report = window->viewReport();
    EXPECT_TRUE(report.contains(QStringLiteral("allocations=4\n"))) << report.toStdString();
    auto* call = window->findChild<widgets::CallView*>();
    ASSERT_NE(call, nullptr);
    EXPECT_TRUE(call->toPlainText().contains(QStringLiteral("no D3DKMT call to show")))
        << call->toPlainText().toStdString();
    // Back in time: the discard is the last thing that happened at step 24.
    window->document()->seek(24);
    window->refreshNow();
    EXPECT_EQ(table("reclaims")->model()->rowCount(), 0);
    // The model against the recording, in its own tab; a divergence goes to its moment.
    window->findChild<QAction*>(QStringLiteral("actionCheckRecording"))->trigger();
    settle();
    auto* check = window->findChild<QTextBrowser*>(QStringLiteral("recordingCheck"));
    ASSERT_NE(check, nullptr);
    const QString checked = check->toPlainText();
    EXPECT_TRUE(checked.contains(QStringLiteral("reclaim results    1 of 2 agree"))) << checked.toStdString();
    EXPECT_TRUE(checked.contains(QStringLiteral("36.000 ms: VidMm discarded 0xFFFFB00000001000; the model did not")))
        << checked.toStdString();
    EXPECT_TRUE(check->toHtml().contains(QStringLiteral("time:36000")));
    emit check->anchorClicked(QUrl(QStringLiteral("time:36000")));
    EXPECT_EQ(window->document()->position(), 24u) << "the step of the discard";
    // The model beside the recording, stepping with it.
    window->refreshNow();
    auto* beside = window->findChild<app::BesidePane*>(QStringLiteral("besidePane"));
    ASSERT_NE(beside, nullptr);
    EXPECT_EQ(beside->world()->position(), 24u);
    EXPECT_TRUE(
        beside->findChild<QLabel*>(QStringLiteral("besideHeader"))->text().contains(QStringLiteral("time:36000")));
    window->document()->seek(26);
    window->refreshNow();
    EXPECT_EQ(beside->world()->position(), 26u);
    EXPECT_TRUE(QString::fromStdString(beside->world()->narration())
                    .contains(QStringLiteral("They differ: VidMm found 0xFFFFB00000001000 DISCARDED, the model OK")))
        << beside->world()->narration();
    window->document()->seek(27);
    window->refreshNow();
    TableView* modelReclaims = beside->reclaimTable();
    ASSERT_EQ(modelReclaims->model()->rowCount(), 2);
    EXPECT_EQ(
        modelReclaims->model()->index(0, models::ReclaimResultsModel::Result).data().toString(), QStringLiteral("OK"));
    EXPECT_EQ(table("reclaims")->model()->index(0, models::ReclaimResultsModel::Result).data().toString(),
        QStringLiteral("DISCARDED"));
    // Picking the model's reclaim picks the recorded allocation of the same name in the window.
    modelReclaims->selectionModel()->setCurrentIndex(
        modelReclaims->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    EXPECT_EQ(table("reclaims")->currentIndex().data(models::HandleRole).toUInt(),
        trace::RecordingWorld::handleOfAllocation(0));
    if (const QByteArray dir = qgetenv("OFFERSCOPE_TEST_SCREENSHOTS"); !dir.isEmpty()) {
        window->refreshNow();
        window->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/recording-check.png"));
    }
    // A file that is not a recording: said, and the recording stays.
    window->openRecording(lesson("01-first-offer-and-reclaim.jsonc"), true);
    settle();
    EXPECT_EQ(window->document()->world()->info().kind, world::WorldKind::Recording);
    EXPECT_TRUE(window->statusBar()->currentMessage().contains(QStringLiteral("not an event trace log")))
        << window->statusBar()->currentMessage().toStdString();
    window->closeRecording();
    EXPECT_EQ(window->document()->world()->info().kind, world::WorldKind::Simulator);
    EXPECT_EQ(window->findChild<app::BesidePane*>(), nullptr) << "the model beside goes with its recording";
    EXPECT_EQ(session().scenario().title, "Lesson 1 - Offer, then reclaim");
    std::filesystem::remove(path);
}

TEST_F(Window, AProbeRunOnALiveSourceIsStepsOfItsWorld)
{
    sim::VerifierSwitches neverDiscards;
    neverDiscards.neverDiscardOffer = true;
    window->openLiveSource(std::make_unique<live::testing::FakeDriver>(256 * kMiB, neverDiscards));
    ASSERT_TRUE(isLive());
    settle();
    const std::size_t before = window->document()->stepCount();
    auto* dock = window->findChild<QDockWidget*>(QStringLiteral("liveDock"));
    ASSERT_NE(dock, nullptr);
    dock->findChild<QLineEdit*>(QStringLiteral("probeSizes"))->setText(QStringLiteral("32MiB,32MiB"));
    dock->findChild<QLineEdit*>(QStringLiteral("probePressure"))->setText(QStringLiteral("224MiB"));
    QTest::mouseClick(dock->findChild<QPushButton*>(QStringLiteral("runProbe")), Qt::LeftButton);
    settle();
    TableView* comparison = dock->findChild<TableView*>(QStringLiteral("probeComparison"));
    ASSERT_EQ(comparison->model()->rowCount(), 2);
    EXPECT_EQ(comparison->model()->index(0, models::ProbeComparisonModel::Live).data().toString(),
        QStringLiteral("offer STATUS_SUCCESS · reclaim STATUS_SUCCESS: OK"));
    EXPECT_EQ(comparison->model()->index(0, models::ProbeComparisonModel::Differs).data().toString(),
        QStringLiteral("reclaiming it: the driver gave OK, the model predicted DISCARDED"));
    // say, 2 creates, offer, 4 filler creates, reclaim, 6 destroys: each a step the views can travel to.
    EXPECT_EQ(window->document()->stepCount(), before + 15);
    EXPECT_EQ(window->document()->position(), window->document()->stepCount());
    const world::World* world = window->document()->world();
    ASSERT_NE(world, nullptr);
    long lastStep = -1;
    for (const events::Event& e : world->eventLog()) {
        const long step = world->stepOfEvent(e.seq);
        if (e.call == events::ApiCall::OfferAllocations) {
            EXPECT_EQ(step, static_cast<long>(before + 3)) << "the offer's event belongs to the offer step";
        }
        if (step >= 0) {
            EXPECT_GE(step, lastStep) << "events in step order";
            lastStep = step;
        }
    }
}

// A live source in every view: a lesson's steps run on a driver (a stand-in that behaves unlike the
// model), and the tables, the usage and the narration show what the driver answered.
TEST_F(Window, ALiveSourceDrivesEveryView)
{
    window->openFile(lesson("01-first-offer-and-reclaim.jsonc"));
    sim::VerifierSwitches neverDiscards;
    neverDiscards.neverDiscardOffer = true;
    window->openLiveSource(std::make_unique<live::testing::FakeDriver>(kGiB, neverDiscards));
    ASSERT_TRUE(isLive());
    window->refreshNow();
    EXPECT_TRUE(window->windowTitle().contains(QStringLiteral("(live: Fake driver)"))) << window->windowTitle().toStdString();
    // The reading interval is the user's to choose; each reading updates the views.
    auto* interval = window->findChild<QComboBox*>(QStringLiteral("liveInterval"));
    ASSERT_NE(interval, nullptr);
    EXPECT_EQ(interval->currentData().toInt(), 1000);
    interval->setCurrentIndex(interval->findData(0));
    auto* session = window->findChild<models::LiveSession*>();
    ASSERT_NE(session, nullptr);
    EXPECT_EQ(session->interval(), 0) << "paused";
    interval->setCurrentIndex(interval->findData(250));
    EXPECT_EQ(session->interval(), 250);

    window->findChild<QAction*>(QStringLiteral("actionEnd"))->trigger();
    window->refreshNow();
    EXPECT_EQ(window->document()->position(), window->document()->stepCount());
    EXPECT_FALSE(window->findChild<QAction*>(QStringLiteral("actionStepBack"))->isEnabled()) << "a live source cannot go back";
    const QString report = window->viewReport();
    // The driver kept the offer both times: its reclaims answered OK (the model predicted DISCARDED).
    EXPECT_TRUE(report.contains(QStringLiteral("allocations=1\n"))) << report.toStdString();
    EXPECT_TRUE(report.contains(QStringLiteral("reclaim.menu=OK\nreclaim.menu=OK\n"))) << report.toStdString();
    // The event log holds the driver's calls as it made them.
    auto* events = window->findChild<TableView*>(QStringLiteral("events"));
    bool sawOffer = false;
    for (int r = 0; r < events->model()->rowCount(); ++r)
        for (int c = 0; c < events->model()->columnCount(); ++c)
            sawOffer = sawOffer || events->model()->index(r, c).data().toString().contains(QStringLiteral("OfferAllocations"));
    EXPECT_TRUE(sawOffer);
    // Budgets: the program's and another process', as the source reported them.
    auto* budgets = window->findChild<TableView*>(QStringLiteral("budgets"));
    QStringList processes;
    for (int r = 0; r < budgets->model()->rowCount(); ++r)
        processes << budgets->model()->index(r, 0).data().toString();
    EXPECT_TRUE(processes.contains(QStringLiteral("other.exe (7)"))) << processes.join(QLatin1Char(',')).toStdString();
    EXPECT_TRUE(processes.contains(QString::fromUtf8(live::LiveBackend::kOwnProcessName)));
    // The segment as the driver reports it.
    const world::SegmentSample& now = window->document()->timeline().back().segments.at(0);
    EXPECT_EQ(now.size, kGiB);
    // The narration puts the driver's answer beside the model's, and the lesson's failed expectation.
    auto* narration = window->findChild<widgets::NarrationView*>();
    ASSERT_NE(narration, nullptr);
    EXPECT_TRUE(narration->toPlainText().contains(QStringLiteral("did not hold on the live source")))
        << narration->toPlainText().toStdString();
    window->closeLiveSource();
    EXPECT_TRUE(window->viewReport().startsWith(QStringLiteral("position=0/"))) << window->viewReport().toStdString();
}

// The timeline's stacked bands, drawn pixel column by pixel column: each band where its running
// sums put it, each point holding until the next key; and as rectangles in a PDF.
TEST(StackedSteps, BandsHoldFromTheirKeyToTheNextInRasterAndPdf)
{
    QCustomPlot plot;
    plot.resize(300, 300);
    auto* stack = new widgets::StackedSteps(plot.xAxis, plot.yAxis, { QColor(Qt::red), QColor(Qt::green) });
    stack->add(0, { 1, 2 }); // red 0..1, green 1..3
    stack->add(1, { 3, 0 }); // red 0..3, no green
    stack->add(2, { 0, 0 });
    plot.xAxis->setRange(0, 2);
    plot.yAxis->setRange(0, 4);
    bool found = false;
    EXPECT_EQ(stack->getValueRange(found).upper, 3);
    EXPECT_TRUE(found);
    const QImage image = plot.toPixmap(300, 300, 1.0).toImage();
    auto at = [&](double key, double value) {
        return QColor(image.pixel(qRound(plot.xAxis->coordToPixel(key)), qRound(plot.yAxis->coordToPixel(value))));
    };
    EXPECT_EQ(at(0.5, 0.5), QColor(Qt::red));
    EXPECT_EQ(at(0.5, 2.0), QColor(Qt::green));
    EXPECT_NE(at(0.5, 3.5), QColor(Qt::green)) << "above the top band: nothing";
    EXPECT_EQ(at(1.5, 2.0), QColor(Qt::red)) << "the second point holds until the third";
    EXPECT_NE(at(1.5, 3.5), QColor(Qt::red));
    // The top edge of a band is drawn darker, as the graphs' lines were.
    const int edgeY = qRound(plot.yAxis->coordToPixel(3.0));
    EXPECT_EQ(QColor(image.pixel(qRound(plot.xAxis->coordToPixel(0.5)), edgeY)).rgb(), QColor(Qt::green).darker(115).rgb());

    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("stack.pdf"));
    ASSERT_TRUE(plot.savePdf(pdf, 300, 300));
    QFile file(pdf);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    EXPECT_TRUE(bytes.startsWith("%PDF"));
    EXPECT_FALSE(bytes.contains("/Subtype /Image")) << "vector rectangles, not a picture of them";
}

TEST_F(Window, ACreateOfZeroBytesIsRefusedInTheDialogAndNothingIsAdded)
{
    // A size of 0 would become a step that the scenario format refuses: the saved session could not be
    // opened again. The dialog says so and stays open.
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    const std::size_t steps = session().stepCount();
    QString shown;
    bool stillOpen = false;
    QTimer::singleShot(0, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        // The dialog's own fields (the spin box has a line edit of its own, one level down).
        const QList<QLineEdit*> edits = dialog->findChildren<QLineEdit*>(QString(), Qt::FindDirectChildrenOnly);
        EXPECT_EQ(edits.size(), 2); // name, size
        if (edits.size() == 2) {
            edits[1]->setText(QStringLiteral("0"));
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            stillOpen = dialog->isVisible();
            for (QLabel* label : dialog->findChildren<QLabel*>())
                if (!label->isHidden() && label->text().startsWith(QStringLiteral("Size:")))
                    shown = label->text();
        }
        dialog->reject(); // whatever happened: a dialog left open would hang the test
    });
    trigger("actionCreate");
    EXPECT_TRUE(stillOpen);
    EXPECT_EQ(shown, QStringLiteral("Size: give a size greater than 0."));
    EXPECT_EQ(session().stepCount(), steps);
}

// Actions on a live source act on the allocations the person selected, as the live world names them.
// The stand-in driver numbers its allocations unlike the model (it made one of its own first), so a
// handle resolved through the model's session would name another allocation.
TEST_F(Window, ActionsOnALiveSourceActOnTheSelectedProbes)
{
    auto driver = std::make_unique<live::testing::FakeDriver>(kGiB);
    live::testing::FakeDriver* fake = driver.get();
    CreateResourceArgs own;
    own.hDevice = fake->probeDevice();
    own.allocationSizes = { 16 * kMiB, 16 * kMiB };
    own.name = "driver's own";
    CreatedResource ownCreated;
    ASSERT_EQ(fake->driver().createResource(own, ownCreated), NtStatus::Success);
    window->openLiveSource(std::move(driver));
    ASSERT_TRUE(isLive());
    for (const char* name : { "a", "b", "c" }) {
        scenario::Step create;
        create.kind = scenario::StepKind::Create;
        create.name = name;
        create.device = "probes";
        create.bytes = 64 * kMiB;
        ASSERT_EQ(window->document()->apply(create).status, NtStatus::Success) << name;
    }
    window->refreshNow();
    auto* allocations = model<AllocationsModel>();
    ASSERT_EQ(allocations->rowCount(), 3) << "the live world's rows: the program's three probes";
    EXPECT_EQ(column(allocations, AllocationsModel::Name), QStringLiteral("a|b|c"));

    // Offer b and c at NORMAL: they, and only they, are offered on the driver.
    selectAllocations({ QStringLiteral("b"), QStringLiteral("c") });
    answerNextDialog([](QDialog* d) {
        auto* priority = d->findChild<QComboBox*>();
        priority->setCurrentIndex(priority->findData(2)); // NORMAL
    });
    trigger("actionOffer");
    const world::World& live = *window->document()->world();
    auto stateOf = [&](const char* name) {
        std::vector<sim::AllocationSummary> rows;
        live.allocationSummaries(rows);
        for (const sim::AllocationSummary& r : rows)
            if (live.allocationName(r) == name)
                return fake->driver().allocation(r.handle)->state;
        return sim::AllocationState::Destroyed;
    };
    EXPECT_EQ(stateOf("a"), sim::AllocationState::Resident);
    EXPECT_EQ(stateOf("b"), sim::AllocationState::Offered);
    EXPECT_EQ(stateOf("c"), sim::AllocationState::Offered);
    EXPECT_EQ(column(offered(OfferPriority::Normal), OfferedListModel::Name), QStringLiteral("b|c"));
    EXPECT_EQ(offered(OfferPriority::Low)->rowCount(), 0);

    // Reclaim c: the driver reclaims c, b stays offered.
    selectAllocations({ QStringLiteral("c") });
    trigger("actionReclaim");
    EXPECT_EQ(stateOf("b"), sim::AllocationState::Offered);
    EXPECT_EQ(stateOf("c"), sim::AllocationState::Resident);
    EXPECT_EQ(column(offered(OfferPriority::Normal), OfferedListModel::Name), QStringLiteral("b"));
    auto* reclaims = model<ReclaimResultsModel>();
    ASSERT_EQ(reclaims->rowCount(), 1);
    EXPECT_EQ(reclaims->index(0, ReclaimResultsModel::Allocation).data().toString(), QStringLiteral("c"));

    // Lock a and c: one step for each selected allocation; a live source does not lock probes, and
    // the narration says why for the last of them.
    const std::size_t before = window->document()->stepCount();
    selectAllocations({ QStringLiteral("a"), QStringLiteral("c") });
    trigger("actionLock");
    ASSERT_EQ(window->document()->stepCount(), before + 2);
    const auto& steps = live.scenario().steps;
    EXPECT_EQ(steps[before].names, std::vector<std::string> { "a" });
    EXPECT_EQ(steps[before + 1].names, std::vector<std::string> { "c" });
    const auto* liveWorld = dynamic_cast<const live::LiveWorld*>(&live);
    ASSERT_NE(liveWorld, nullptr);
    EXPECT_FALSE(liveWorld->records().back().ran);
    EXPECT_EQ(liveWorld->records().back().model.status, NtStatus::Success) << "the model locked c";
    auto* narration = window->findChild<widgets::NarrationView*>();
    EXPECT_TRUE(narration->toPlainText().contains(QStringLiteral("the live source does not lock probes")))
        << narration->toPlainText().toStdString();
    // Every view shows the live world's rows: the budgets are the driver's, the usage its reading.
    auto* budgets = table("budgets");
    QStringList processes;
    for (int r = 0; r < budgets->model()->rowCount(); ++r)
        processes << budgets->model()->index(r, 0).data().toString();
    EXPECT_TRUE(processes.contains(QString::fromUtf8(live::LiveBackend::kOwnProcessName)));
    EXPECT_EQ(window->document()->timeline().back().segments.at(0).size, kGiB);
}

// Lock on the simulator acts on the whole selection too: every selected allocation is locked.
TEST_F(Window, LockActsOnEverySelectedAllocation)
{
    ASSERT_TRUE(window->openFile(lesson("02-three-priorities.jsonc"), true));
    trigger("actionEnd");
    selectAllocations({ QStringLiteral("pyramid"), QStringLiteral("thumbnails") });
    trigger("actionLock");
    auto locks = [this](const char* name) {
        const auto a = session().simulator().allocation(session().runner().handle(name));
        EXPECT_TRUE(a.has_value()) << name;
        return a ? a->lockCount : ~0u;
    };
    EXPECT_EQ(locks("pyramid[0]"), 1u);
    EXPECT_EQ(locks("thumbnails[0]"), 1u);
    EXPECT_EQ(locks("previews[0]"), 0u) << "not selected";
    selectAllocations({ QStringLiteral("pyramid"), QStringLiteral("thumbnails") });
    trigger("actionUnlock");
    EXPECT_EQ(locks("pyramid[0]"), 0u);
    EXPECT_EQ(locks("thumbnails[0]"), 0u);
}

// On the stand-in /dev/dxg (telemetry only), an action the driver refuses says so, and every view
// keeps showing the live world: no probe row appears, the model's prediction stands beside.
TEST_F(Window, ActionsOnATelemetryOnlySourceShowTheDriversAnswer)
{
    auto opened = live::Wsl2Backend::openWith(std::make_unique<live::testing::FakeDxg>());
    ASSERT_TRUE(opened) << opened.message();
    auto backend = opened.take();
    window->openLiveSource(std::move(backend));
    ASSERT_TRUE(isLive());
    window->refreshNow();
    answerNextDialog([this](QDialog* d) {
        auto* name = d->findChild<QLineEdit*>();
        name->setText(QStringLiteral("probe"));
        dismissMessageBoxes(); // the failed call's message, after this dialog
    });
    trigger("actionCreate");
    EXPECT_EQ(model<AllocationsModel>()->rowCount(), 0) << "the driver created nothing";
    ASSERT_TRUE(window->document()->world()->lastStep());
    EXPECT_EQ(window->document()->world()->lastStep()->outcome.status, NtStatus::NotSupported);
    auto* narration = window->findChild<widgets::NarrationView*>();
    EXPECT_TRUE(narration->toPlainText().contains(QStringLiteral("the driver answered STATUS_NOT_SUPPORTED")))
        << narration->toPlainText().toStdString();
    // The segments are dxgkrnl's.
    ASSERT_EQ(window->document()->timeline().back().segments.size(), 2u);
    EXPECT_EQ(window->document()->timeline().back().segments[0].size, 8 * kGiB);
}

namespace {
// A live source whose every reading takes `delay` (a machine with hundreds of processes to open).
class SlowDriver final : public live::LiveBackend {
public:
    explicit SlowDriver(std::chrono::milliseconds delay)
        : m_delay(delay)
    {
    }
    std::atomic<int> readings { 0 };
    BackendInfo info() const override { return { BackendKind::Windows, "Slow driver", true, {} }; }
    std::vector<AdapterDesc> adapters() const override { return m_fast.adapters(); }
    live::LiveSample sample(const LUID& adapter) override
    {
        std::this_thread::sleep_for(m_delay);
        ++readings;
        logTelemetry("QVMI", NtStatus::Success, "D3DKMTQueryVideoMemoryInfo(LOCAL)", "the program's budget");
        live::LiveSample s;
        s.adapter = adapter;
        s.atMs = static_cast<std::uint64_t>(readings.load()) * 1000;
        return s;
    }
    D3DKMT_HANDLE probeDevice() const override { return 0; }
    D3DKMT_HANDLE probePagingQueue() const override { return 0; }
    Status addPressure(std::uint64_t) override { return NtStatus::NotSupported; }
    void releasePressure() override { }
    Status createResource(const CreateResourceArgs&, CreatedResource&) override { return NtStatus::NotSupported; }
    Status destroyResource(D3DKMT_HANDLE, D3DKMT_HANDLE) override { return NtStatus::NotSupported; }
    Status offerAllocations(const D3DKMT_OFFERALLOCATIONS&) override { return NtStatus::NotSupported; }
    Status reclaimAllocations(D3DKMT_RECLAIMALLOCATIONS&) override { return NtStatus::NotSupported; }
    Status reclaimAllocations2(D3DKMT_RECLAIMALLOCATIONS2&) override { return NtStatus::NotSupported; }
    Status makeResident(D3DDDI_MAKERESIDENT&) override { return NtStatus::NotSupported; }
    Status evict(D3DKMT_EVICT&) override { return NtStatus::NotSupported; }
    Status queryVideoMemoryInfo(D3DKMT_QUERYVIDEOMEMORYINFO&) override { return NtStatus::NotSupported; }
    Status changeVideoMemoryReservation(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION&) override
    {
        return NtStatus::NotSupported;
    }
    Status queryStatistics(D3DKMT_QUERYSTATISTICS&) override { return NtStatus::NotSupported; }
    Status queryProcessOfferInfo(D3DKMT_QUERYPROCESSOFFERINFO&) override { return NtStatus::NotSupported; }
    Status trimProcessCommitment(D3DKMT_TRIMPROCESSCOMMITMENT&) override { return NtStatus::NotSupported; }

private:
    std::chrono::milliseconds m_delay;
    sim::Simulator m_fast { sim::AdapterConfig { "Slow GPU", { { "local", kGiB, MemorySegmentGroup::Local, false } } } };
};
} // namespace

// Readings of a slow source run on the worker: the GUI thread keeps turning its event loop (no gap
// between its timer's ticks near the length of a reading), repeated requests collapse to the newest,
// and the readings still reach every view.
TEST_F(Window, ASlowLiveSourceNeverBlocksTheWindow)
{
    using namespace std::chrono_literals;
    auto driver = std::make_unique<SlowDriver>(300ms);
    SlowDriver* slow = driver.get();
    live::LiveSample first;
    first.adapter = driver->adapters().front().luid;
    window->openLiveSource(std::move(driver), first); // as the selector does: read on the worker first
    auto* session = window->findChild<models::LiveSession*>();
    ASSERT_NE(session, nullptr);
    session->setInterval(0); // no timed readings: only the ones asked for below
    settle();
    const int before = slow->readings.load();
    const std::uint64_t revisionBefore = window->document()->revision();

    QElapsedTimer clock;
    clock.start();
    qint64 last = 0, longestGap = 0;
    QTimer ticker;
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longestGap = std::max(longestGap, now - last);
        last = now;
    });
    ticker.start();
    // Ten requests while the first reading runs: the nine that wait collapse into one.
    for (int i = 0; i < 10; ++i) {
        session->readNow();
        QCoreApplication::processEvents();
    }
    while (clock.elapsed() < 1200)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    ticker.stop();
    settle();
    EXPECT_LT(longestGap, 50) << "a reading takes 300 ms; the GUI thread must not wait for it";
    std::printf("longest gap between ticks of the GUI thread: %lld ms\n", static_cast<long long>(longestGap));
    const int readings = slow->readings.load() - before;
    EXPECT_GE(readings, 1);
    EXPECT_LE(readings, 2) << "repeated requests collapse to the newest";
    EXPECT_GT(window->document()->revision(), revisionBefore) << "the readings reached the views";
}

TEST_F(Window, NoTwoTimelineLabelsOverlapInAnyLessonAndTheTooltipListsEveryMarker)
{
    const QStringList lessons = MainWindow::bundledLessons();
    ASSERT_EQ(lessons.size(), 9);
    auto* timeline = window->findChild<widgets::TimelinePlot*>();
    std::size_t labels = 0;
    for (const QString& file : lessons) {
        ASSERT_TRUE(window->openFile(file, true));
        window->document()->seek(window->document()->stepCount());
        window->refreshNow();
        QApplication::processEvents();
        const auto shown = timeline->markerLabels();
        labels += shown.size();
        for (std::size_t i = 0; i < shown.size(); ++i)
            for (std::size_t k = i + 1; k < shown.size(); ++k)
                EXPECT_FALSE(shown[i].second.intersects(shown[k].second))
                    << file.toStdString() << ": '" << shown[i].first.toStdString() << "' and '"
                    << shown[k].first.toStdString() << "'";
        // Every marker of the timeline is in the tooltip at its step, labelled or not.
        for (const world::TimelinePoint& point : window->document()->timeline())
            for (const world::TimelineMarker& marker : point.markers) {
                const int x
                    = static_cast<int>(timeline->plot()->xAxis->coordToPixel(static_cast<double>(point.position)));
                EXPECT_TRUE(timeline->markersNear(x).contains(QString::fromStdString(marker.label)))
                    << file.toStdString() << ": " << marker.label;
            }
    }
    EXPECT_GT(labels, 10u);
}

TEST_F(Window, AWhatIfStepsBesideTheRunAndMarksWhereTheyPart)
{
    ASSERT_TRUE(window->openFile(lesson("09-verifier-what-if.jsonc"), true));
    window->setQuiet(true); // a refused what-if says why in the status bar, not in a message box
    QString error;
    EXPECT_FALSE(window->openWhatIf(QStringLiteral("verifier.sometimes=true"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("unknown setting"))) << error.toStdString();
    EXPECT_EQ(window->findChild<app::BesidePane*>(), nullptr);
    // Every choice the dialog offers is one the engine takes.
    for (const app::WhatIfChoice& choice : app::whatIfChoices(*window->document()->world())) {
        ASSERT_FALSE(choice.values.isEmpty()) << choice.key.toStdString();
        scenario::Scenario copy = window->document()->world()->scenario();
        const Status applied
            = scenario::applySetting(copy, (choice.key + QLatin1Char('=') + choice.values.front()).toStdString());
        EXPECT_TRUE(applied.ok()) << choice.key.toStdString() << ": " << applied.message();
    }

    ASSERT_TRUE(window->openWhatIf(QStringLiteral("verifier.neverDiscardOffer=true"), &error)) << error.toStdString();
    settle();
    auto* beside = window->findChild<app::BesidePane*>(QStringLiteral("besidePane"));
    ASSERT_NE(beside, nullptr);
    const QString header = beside->findChild<QLabel*>(QStringLiteral("besideHeader"))->text();
    EXPECT_TRUE(header.contains(QStringLiteral("<a href=\"step:4\">step 4</a>"))) << header.toStdString();
    EXPECT_TRUE(header.contains(QStringLiteral("'cache': here DISCARDED, there OK"))) << header.toStdString();
    auto* timeline = window->findChild<widgets::TimelinePlot*>();
    EXPECT_EQ(timeline->divergence(), 4.0);
    // They step together: after the reclaim (step 6), the run found the cache discarded, the what-if kept it.
    window->document()->seek(6);
    window->refreshNow();
    EXPECT_EQ(beside->world()->position(), 6u);
    ASSERT_EQ(table("reclaims")->model()->rowCount(), 1);
    EXPECT_EQ(table("reclaims")->model()->index(0, models::ReclaimResultsModel::Result).data().toString(),
        QStringLiteral("DISCARDED"));
    ASSERT_EQ(beside->reclaimTable()->model()->rowCount(), 1);
    EXPECT_EQ(beside->reclaimTable()->model()->index(0, models::ReclaimResultsModel::Result).data().toString(),
        QStringLiteral("OK"));
    // The link goes to the step where they part.
    emit beside->linkActivated(QStringLiteral("step:4"));
    window->refreshNow();
    EXPECT_EQ(window->document()->position(), 4u);
    EXPECT_EQ(beside->world()->position(), 4u);
    // An action taken here is taken there too: the what-if is made again from the new steps.
    scenario::Step say;
    say.kind = scenario::StepKind::Say;
    say.text = "an aside";
    window->document()->apply(say);
    window->refreshNow();
    beside = window->findChild<app::BesidePane*>(QStringLiteral("besidePane"));
    ASSERT_NE(beside, nullptr);
    EXPECT_EQ(beside->world()->stepCount(), window->document()->stepCount());
    EXPECT_EQ(beside->world()->position(), window->document()->position());
    if (const QByteArray dir = qgetenv("OFFERSCOPE_TEST_SCREENSHOTS"); !dir.isEmpty())
        window->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/what-if.png"));
    // Another lesson: the what-if was of this one, and goes.
    ASSERT_TRUE(window->openFile(lesson("01-first-offer-and-reclaim.jsonc"), true));
    EXPECT_EQ(window->findChild<app::BesidePane*>(), nullptr);
    EXPECT_EQ(timeline->divergence(), -1.0);
}

TEST_F(Window, ClassroomModeScalesEveryTextAndIsRemembered)
{
    ASSERT_TRUE(window->openFile(lesson("03-auto-priority.jsonc"), true));
    window->document()->seek(14);
    const QFont before = QApplication::font();
    window->findChild<QAction*>(QStringLiteral("actionClassroom"))->trigger();
    QApplication::processEvents(); // the new application font reaches every widget
    window->refreshNow();
    ASSERT_TRUE(window->classroomMode());
    const auto pixels = [](const QFont& f) { return QFontInfo(f).pixelSize(); };
    // Tables, the narration and every plot's text a student reads: at least 18 pixels high.
    EXPECT_GE(pixels(table("offered-queue")->font()), 18);
    EXPECT_GE(pixels(window->findChild<widgets::NarrationView*>()->font()), 18);
    auto* usage = window->findChild<widgets::UsageBarsPlot*>();
    EXPECT_GE(pixels(usage->plot()->xAxis->tickLabelFont()), 18);
    EXPECT_GE(pixels(usage->plot()->yAxis->tickLabelFont()), 18);
    EXPECT_GE(pixels(usage->plot()->legend->font()), 18);
    for (int i = 0; i < usage->plot()->itemCount(); ++i) {
        if (auto* text = qobject_cast<QCPItemText*>(usage->plot()->item(i))) {
            EXPECT_GE(pixels(text->font()), 18) << text->text().toStdString();
        }
    }
    auto* narration = window->findChild<widgets::NarrationView*>();
    EXPECT_GT(pixels(narration->font()), pixels(table("offered-queue")->font())) << "the narration larger still";
    // Fewer docks: the lesson beside the queue and the usage.
    for (const char* name : { "eventsDock", "allocationsDock", "budgetDock", "reclaimDock" })
        EXPECT_FALSE(window->findChild<QDockWidget*>(QLatin1String(name))->isVisible()) << name;
    EXPECT_TRUE(window->findChild<QDockWidget*>(QStringLiteral("lessonDock"))->isVisible());
    EXPECT_TRUE(window->findChild<QDockWidget*>(QStringLiteral("offeredDock"))->isVisible());
    EXPECT_TRUE(QSettings().value(QStringLiteral("view/classroom")).toBool());
    if (const QByteArray dir = qgetenv("OFFERSCOPE_TEST_SCREENSHOTS"); !dir.isEmpty())
        window->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/classroom.png"));
    // Remembered: a window opened now starts in it.
    {
        app::MainWindow another;
        EXPECT_TRUE(another.classroomMode());
        another.setClassroomMode(false);
    }
    QApplication::processEvents();
    window->setClassroomMode(false);
    QApplication::processEvents();
    EXPECT_FALSE(window->classroomMode());
    EXPECT_EQ(QApplication::font(), before);
    EXPECT_TRUE(window->findChild<QDockWidget*>(QStringLiteral("eventsDock"))->isVisible());
    EXPECT_FALSE(QSettings().value(QStringLiteral("view/classroom")).toBool());
}

TEST_F(Window, TheBudgetCurveHoldsTheSweepsNumbersAndMarksTheKnee)
{
    const QString trace = QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/traces/texture-cache.csv");
    window->openBudgetCurve(trace);
    settle();
    auto* view = window->findChild<widgets::BudgetCurveView*>();
    ASSERT_NE(view, nullptr);
    // The sweep the command line runs (replay --sweep auto), computed here on its own.
    Result<replay::AccessTrace> read = replay::readAccessTrace(trace.toStdString());
    ASSERT_TRUE(read);
    const replay::AccessTrace parsed = read.take();
    const Result<replay::BudgetCurve> expected = replay::sweepBudgets(parsed, replay::defaultBudgets(parsed), {}, 1);
    ASSERT_TRUE(expected);
    QCPGraph* graph = view->curveGraph();
    ASSERT_EQ(graph->dataCount(), static_cast<int>(expected->points.size()));
    for (int i = 0; i < graph->dataCount(); ++i) {
        const replay::SweepPoint& p = expected->points[static_cast<std::size_t>(i)];
        EXPECT_DOUBLE_EQ(graph->data()->at(i)->key, static_cast<double>(p.budget) / (1024.0 * 1024.0));
        EXPECT_DOUBLE_EQ(graph->data()->at(i)->value, p.missRatio());
        EXPECT_EQ(view->table()->model()->index(i, models::BudgetCurveModel::MissRatio).data().toString(),
            QString::number(p.missRatio(), 'f', 4));
    }
    ASSERT_TRUE(expected->knee);
    const double knee = static_cast<double>(expected->points[*expected->knee].budget) / (1024.0 * 1024.0);
    EXPECT_DOUBLE_EQ(view->kneeMark(), knee);
    EXPECT_DOUBLE_EQ(view->chosenMark(), knee) << "the knee is chosen first";
    // Choosing another budget in the table moves the mark.
    view->table()->selectionModel()->setCurrentIndex(
        view->table()->model()->index(2, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    EXPECT_DOUBLE_EQ(view->chosenMark(), static_cast<double>(expected->points[2].budget) / (1024.0 * 1024.0));
    // Exportable like every plot.
    QTemporaryDir dir;
    QString error;
    ASSERT_TRUE(widgets::exportPlot(view->plot(), dir.filePath(QStringLiteral("curve.png")), &error))
        << error.toStdString();
    EXPECT_GT(QFileInfo(dir.filePath(QStringLiteral("curve.png"))).size(), 1000);
    if (const QByteArray shots = qgetenv("OFFERSCOPE_TEST_SCREENSHOTS"); !shots.isEmpty())
        window->grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/budget-curve.png"));
    // A file that is not a trace: where and why, and the curve shown stays.
    window->openBudgetCurve(lesson("01-first-offer-and-reclaim.jsonc"), true);
    settle();
    EXPECT_TRUE(window->statusBar()->currentMessage().contains(QStringLiteral("01-first-offer-and-reclaim.jsonc:")))
        << window->statusBar()->currentMessage().toStdString();
    EXPECT_EQ(graph->dataCount(), static_cast<int>(expected->points.size()));
}

TEST_F(Window, PracticeGradesAtOnceExplainsAWrongAnswerAndShowsTheState)
{
    window->findChild<QAction*>(QStringLiteral("actionPractice"))->trigger();
    auto* view = window->findChild<widgets::PracticeView*>();
    ASSERT_NE(view, nullptr);
    auto* session = window->findChild<models::PracticeSession*>();
    ASSERT_NE(session, nullptr);
    session->start(4, 1); // a next-victim exercise: choices
    ASSERT_FALSE(view->choiceButtons().empty());
    const practice::Exercise x = session->exercise();
    const auto wrong = std::find_if(view->choiceButtons().begin(), view->choiceButtons().end(),
        [&](QPushButton* b) { return b->text().toStdString() != x.answer; });
    ASSERT_NE(wrong, view->choiceButtons().end());
    QTest::mouseClick(*wrong, Qt::LeftButton);
    EXPECT_TRUE(view->verdictText().contains(
        QStringLiteral("Not quite: the answer is %1.").arg(QString::fromStdString(x.answer))))
        << view->verdictText().toStdString();
    EXPECT_TRUE(view->verdictText().contains(QStringLiteral("LOW first, then NORMAL"))) << "the engine's explanation";
    EXPECT_EQ(view->scoreText(), QStringLiteral("Score: 0 of 1"));
    // The state it asks about, in the window: one step shows the engine's answer.
    window->findChild<QPushButton*>(QStringLiteral("practiceShowState"))->click();
    EXPECT_EQ(window->document()->stepCount(), x.scenario.steps.size());
    EXPECT_EQ(window->document()->position(), x.scenario.steps.size() - 1);
    window->document()->stepForward();
    window->refreshNow();
    bool discarded = false;
    for (const events::Event& e : window->document()->eventLog())
        discarded = discarded
            || (e.kind == events::EventKind::Discarded
                && e.explanation.find("'" + x.answer + "'") != std::string::npos);
    EXPECT_TRUE(discarded) << x.answer;
    // The next one, answered right (a size for a trim exercise).
    session->start(3, 1);
    ASSERT_TRUE(view->choiceButtons().empty());
    view->answer(QString::fromStdString(session->exercise().answer));
    EXPECT_TRUE(view->verdictText().startsWith(QStringLiteral("Right."))) << view->verdictText().toStdString();
    EXPECT_EQ(view->scoreText(), QStringLiteral("Score: 1 of 1"));
    if (const QByteArray shots = qgetenv("OFFERSCOPE_TEST_SCREENSHOTS"); !shots.isEmpty())
        window->grab().save(QString::fromLocal8Bit(shots) + QStringLiteral("/practice.png"));
}

TEST_F(Window, ALessonsQuizIsAskedBeforeItsStepAndAnsweredAfterIt)
{
    ASSERT_TRUE(window->openFile(lesson("02-three-priorities.jsonc"), true));
    const scenario::Scenario s = parsedLesson("02-three-priorities.jsonc");
    const auto quiz = std::find_if(
        s.steps.begin(), s.steps.end(), [](const scenario::Step& x) { return x.kind == scenario::StepKind::Quiz; });
    ASSERT_NE(quiz, s.steps.end());
    const auto at = static_cast<std::size_t>(quiz - s.steps.begin());
    window->document()->seek(at);
    window->refreshNow();
    auto* narration = window->findChild<widgets::NarrationView*>();
    QString text = narration->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("Quiz: ") + QString::fromStdString(quiz->text))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("thumbnails")));
    EXPECT_TRUE(text.contains(QStringLiteral("Let the class answer"))) << text.toStdString();
    window->document()->stepForward();
    window->refreshNow();
    text = narration->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("first in the discard queue of VRAM"))) << text.toStdString();
    EXPECT_TRUE(window->document()->world()->expectationFailures().empty());
}

TEST_F(Window, ShortTablesShowTheirFiguresWhole)
{
    ASSERT_TRUE(window->openFile(lesson("03-auto-priority.jsonc"), true));
    window->document()->seek(14);
    window->refreshNow();
    TableView* budgets = table("budgets");
    ASSERT_GT(budgets->model()->rowCount(), 0);
    // Every figure fits its column (the last column stretches).
    for (int c = 0; c + 1 < budgets->model()->columnCount(); ++c)
        for (int r = 0; r < budgets->model()->rowCount(); ++r) {
            const QString figure = budgets->model()->index(r, c).data().toString();
            EXPECT_GE(budgets->horizontalHeader()->sectionSize(c), budgets->fontMetrics().horizontalAdvance(figure) + 6)
                << "column " << c << " cuts '" << figure.toStdString() << "'";
        }
}

TEST_F(Window, TheLessonsMenuListsTheLessonsBuiltInAndTheUsersOwnAndOpensBoth)
{
    window->setQuiet(true);
    // The user's lessons folder, in a data home of this test's own.
    QTemporaryDir data;
    const QByteArray oldDataHome = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", data.path().toUtf8());
    const QString userDir = MainWindow::userLessonsDir();
    EXPECT_TRUE(userDir.startsWith(data.path())) << userDir.toStdString();
    ASSERT_TRUE(QDir().mkpath(userDir));
    QFile lesson1(MainWindow::bundledLessons().value(0));
    ASSERT_TRUE(lesson1.open(QIODevice::ReadOnly)) << "lesson 1 is built into the program";
    QFile own(userDir + QStringLiteral("/my-own-lesson.jsonc"));
    ASSERT_TRUE(own.open(QIODevice::WriteOnly));
    own.write(lesson1.readAll());
    own.close();

    auto* menu = window->findChild<QMenu*>(QStringLiteral("lessonsMenu"));
    ASSERT_NE(menu, nullptr);
    Q_EMIT menu->aboutToShow(); // the menu is filled anew as it opens
    QStringList titles;
    QAction* userLesson = nullptr;
    QAction* lesson3 = nullptr;
    for (QAction* a : menu->actions()) {
        titles.push_back(a->text());
        if (a->objectName() == QLatin1String("userLesson"))
            userLesson = a;
        if (a->text() == QLatin1String("03 auto priority"))
            lesson3 = a;
    }
    EXPECT_EQ(MainWindow::bundledLessons().size(), 9);
    EXPECT_TRUE(titles.contains(QStringLiteral("01 first offer and reclaim"))) << titles.join(u'|').toStdString();
    EXPECT_TRUE(titles.contains(QStringLiteral("09 verifier what if"))) << titles.join(u'|').toStdString();
    EXPECT_TRUE(titles.contains(QStringLiteral("Your lessons"))) << titles.join(u'|').toStdString();
    ASSERT_NE(userLesson, nullptr) << titles.join(u'|').toStdString();
    EXPECT_EQ(userLesson->text(), QStringLiteral("my own lesson"));
    EXPECT_TRUE(titles.contains(QStringLiteral("&Practice…")));

    // A built-in lesson opens from the program's resources, wherever it is installed.
    ASSERT_NE(lesson3, nullptr);
    lesson3->trigger();
    EXPECT_EQ(window->document()->filePath(), QStringLiteral(":/lessons/03-auto-priority.jsonc"));
    EXPECT_GT(window->document()->stepCount(), 10u);
    // And the user's own from its folder.
    userLesson->trigger();
    EXPECT_EQ(window->document()->filePath(), own.fileName());
    EXPECT_GT(window->document()->stepCount(), 10u);

    // An empty folder says where lessons go.
    QFile::remove(own.fileName());
    Q_EMIT menu->aboutToShow();
    bool saysWhere = false;
    for (QAction* a : menu->actions())
        saysWhere = saysWhere || (a->text().contains(QDir::toNativeSeparators(userDir)) && !a->isEnabled());
    EXPECT_TRUE(saysWhere);
    if (oldDataHome.isNull())
        qunsetenv("XDG_DATA_HOME");
    else
        qputenv("XDG_DATA_HOME", oldDataHome);
}

TEST_F(Window, AboutShowsTheVersionWithItsRevisionAndTheLicence)
{
    window->setQuiet(true);
    window->showAbout();
    const QString text = window->lastAboutText();
    EXPECT_TRUE(text.contains(QStringLiteral("OfferScope ") + QString::fromStdString(offerscope::versionText())))
        << text.left(400).toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("GPL-3.0-or-later"))) << text.left(400).toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("GNU GENERAL PUBLIC LICENSE"))) << "the licence's text is under Details";
    EXPECT_TRUE(text.contains(QStringLiteral("Version 3, 29 June 2007")));
}

// A step that names many allocations: the narration lists the first few and says how many more (the
// event log and the call view have them all).
TEST(Narration, AStepNamingManyAllocationsListsTheFirstFewAndHowManyMore)
{
    std::string text = R"({ "title": "Many", "adapter": "discrete",
        "processes": [ { "name": "App", "devices": [ { "name": "d" } ] } ],
        "steps": [ { "create": "tiles", "device": "d", "size": "1MiB", "allocations": 20 }, { "offer": [ )";
    for (int i = 0; i < 20; ++i)
        text += (i == 0 ? "" : ", ") + std::string("\"tiles[") + std::to_string(i) + "]\"";
    text += R"( ], "priority": "LOW" } ] })";
    Result<scenario::Scenario> parsed = scenario::parseScenario(text, "many.jsonc");
    ASSERT_TRUE(parsed) << parsed.message();
    models::SessionDocument document;
    document.load(parsed.take());
    widgets::NarrationView narration(&document);
    document.stepForward();
    narration.refresh();
    const QString next = narration.toPlainText();
    EXPECT_TRUE(next.contains(QStringLiteral("tiles[0], tiles[1]"))) << next.toStdString();
    EXPECT_TRUE(next.contains(QStringLiteral("tiles[7], … 12 more, LOW"))) << next.toStdString();
    EXPECT_FALSE(next.contains(QStringLiteral("tiles[8]"))) << next.toStdString();
    document.stepForward();
    narration.refresh();
    EXPECT_TRUE(narration.toPlainText().contains(QStringLiteral("Last step: offer tiles[0]")))
        << narration.toPlainText().toStdString();
}
