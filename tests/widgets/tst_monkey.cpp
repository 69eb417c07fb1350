// SPDX-License-Identifier: GPL-3.0-or-later
// A monkey in the real window: thousands of random actions (the Actions menu with its dialogs
// answered at random, steps, jumps, steps back, selections) on a lesson in the simulator, then on a
// scripted live source. After every action each model must agree with the world the window shows,
// and the engine (the simulator, the live source's model, the stand-in driver) must keep its
// invariants. A failing seed is printed with the actions that led there; keep it in
// tests/widgets/monkey-seeds.txt so every later run replays it (CI runs this suite under ASan too).
// OFFERSCOPE_MONKEY_SEED=N adds a seed, OFFERSCOPE_MONKEY_ACTIONS=N sets the actions per seed.
#include "app/gui/MainWindow.h"
#include "core/live/LiveWorld.h"
#include "core/scenario/ScenarioParser.h"
#include "core/session/Session.h"
#include "tests/core/FakeDriver.h"
#include "tests/trace/ScenarioRecording.h"
#include "tests/widgets/WindowUnderTest.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"
#include "widgets/views/TableView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <deque>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace offerscope;
using namespace offerscope::app;
using namespace offerscope::models;

namespace {

std::vector<unsigned> monkeySeeds()
{
    std::vector<unsigned> seeds;
    std::ifstream file(OFFERSCOPE_SOURCE_DIR "/tests/widgets/monkey-seeds.txt");
    for (std::string line; std::getline(file, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        seeds.push_back(static_cast<unsigned>(std::stoul(line)));
    }
    if (const QByteArray extra = qgetenv("OFFERSCOPE_MONKEY_SEED"); !extra.isEmpty())
        seeds.push_back(extra.toUInt());
    return seeds;
}

int actionsPerSeed()
{
    const QByteArray n = qgetenv("OFFERSCOPE_MONKEY_ACTIONS");
    return n.isEmpty() ? 1000 : n.toInt();
}

class Monkey : public ::testing::TestWithParam<unsigned>, protected test::WindowUnderTest {
protected:
    void SetUp() override
    {
        rng.seed(GetParam());
        openWindow(1200, 800, true); // quiet: no message box waits for a click
    }
    void TearDown() override { closeWindow(); }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

    void note(const std::string& what)
    {
        history.push_back(what);
        if (history.size() > 25)
            history.pop_front();
    }
    std::string replay() const
    {
        std::ostringstream out;
        out << "seed " << GetParam() << " (keep it in tests/widgets/monkey-seeds.txt); the last actions:";
        for (const std::string& h : history)
            out << "\n  " << h;
        return out.str();
    }

    void trigger(const char* name)
    {
        auto* a = window->findChild<QAction*>(QString::fromLatin1(name));
        ASSERT_NE(a, nullptr) << name;
        a->trigger();
    }
    // Answers whatever dialog the next action opens: random choices, sizes that may be refused.
    void answerAtRandom()
    {
        QTimer::singleShot(0, window.get(), [this] { // with the window as context: never after it is gone
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (dialog == nullptr)
                return;
            for (QComboBox* box : dialog->findChildren<QComboBox*>())
                if (box->count() > 0)
                    box->setCurrentIndex(pick(box->count()));
            for (QCheckBox* box : dialog->findChildren<QCheckBox*>())
                box->setChecked(pick(4) == 0);
            for (QSpinBox* box : dialog->findChildren<QSpinBox*>())
                box->setValue(box->minimum() + pick(std::min(4, box->maximum() - box->minimum() + 1)));
            static const char* const kSizes[] = { "16MiB", "64MiB", "300MiB", "1GiB", "0", "lots" };
            for (QLineEdit* edit : dialog->findChildren<QLineEdit*>())
                if (parseBytes(edit->text().toStdString()))
                    edit->setText(QString::fromLatin1(kSizes[pick(6)]));
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            if (dialog->isVisible())
                dialog->reject(); // it refused what was typed: the person gives up
        });
    }
    void selectSomeAllocations()
    {
        auto* table = window->findChild<widgets::TableView*>(QStringLiteral("allocations"));
        table->clearSelection();
        const int rows = table->model()->rowCount();
        for (int n = rows == 0 ? 0 : 1 + pick(3); n > 0; --n)
            table->selectionModel()->select(
                table->model()->index(pick(rows), 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }

    void randomAction()
    {
        auto* slider = window->findChild<QSlider*>(QStringLiteral("timelineSlider"));
        switch (pick(14)) {
        case 0:
        case 1:
        case 2:
            note("step");
            trigger("actionStep");
            break;
        case 3:
            note("step back");
            trigger("actionStepBack");
            break;
        case 4: {
            const int to = slider->minimum() + pick(slider->maximum() - slider->minimum() + 1);
            note("jump to " + std::to_string(to));
            slider->setValue(to);
            break;
        }
        case 5:
            note(pick(2) ? "start" : "end");
            trigger(history.back() == "start" ? "actionStart" : "actionEnd");
            break;
        case 6:
            selectSomeAllocations();
            note("offer the selection");
            answerAtRandom();
            trigger("actionOffer");
            break;
        case 7:
            selectSomeAllocations();
            note("reclaim the selection");
            trigger("actionReclaim");
            break;
        case 8:
            selectSomeAllocations();
            note(pick(2) ? "lock the selection" : "unlock the selection");
            trigger(history.back() == "lock the selection" ? "actionLock" : "actionUnlock");
            break;
        case 9:
            note("advance time");
            trigger("actionAdvance");
            break;
        case 10:
            note("pressure");
            answerAtRandom();
            trigger("actionPressure");
            break;
        case 11:
            note("create");
            answerAtRandom();
            trigger("actionCreate");
            break;
        case 12:
            selectSomeAllocations();
            note("GPU work on the selection");
            answerAtRandom();
            trigger("actionGpu");
            break;
        default:
            note("budget");
            answerAtRandom();
            trigger("actionBudget");
            break;
        }
        window->refreshNow();
    }

    // Every model against the world shown, and the engine's own checks.
    std::string problems(live::testing::FakeDriver* driver) const
    {
        std::string out;
        const SessionDocument& doc = *window->document();
        const world::World& w = *doc.world();
        std::vector<sim::AllocationSummary> rows;
        w.allocationSummaries(rows);
        const auto* allocations = window->findChild<AllocationsModel*>();
        if (allocations->rowCount() != static_cast<int>(rows.size()))
            out += "allocations: " + std::to_string(allocations->rowCount()) + " rows, the world has "
                + std::to_string(rows.size()) + "; ";
        const auto* events = window->findChild<EventLogModel*>();
        if (events->rowCount() != static_cast<int>(w.eventLog().size()))
            out += "event log: " + std::to_string(events->rowCount()) + " rows, the world has "
                + std::to_string(w.eventLog().size()) + "; ";
        // The window's own lists (a pane beside it has lists of its world).
        for (const OfferedListModel* list : window->findChildren<OfferedListModel*>(Qt::FindDirectChildrenOnly)) {
            int expected = 0;
            for (const sim::AllocationSummary& a : rows)
                if ((a.state == sim::AllocationState::Offered || a.state == sim::AllocationState::OfferPending)
                    && (list->isQueue()
                        || (list->priority() == OfferPriority::Auto ? a.requestedPriority == OfferPriority::Auto
                                                                    : a.effectivePriority == list->priority())))
                    ++expected;
            if (list->rowCount() != expected)
                out += "an offered list has " + std::to_string(list->rowCount()) + " rows, expected "
                    + std::to_string(expected) + "; ";
        }
        if (doc.position() != w.position() || static_cast<int>(w.timeline().size()) <= static_cast<int>(w.position()))
            out += "the timeline does not reach the position; ";
        if (const auto* session = dynamic_cast<const session::Session*>(&w))
            out += session->simulator().checkInvariants();
        if (const auto* live = dynamic_cast<const live::LiveWorld*>(&w))
            out += live->model().simulator().checkInvariants();
        if (driver != nullptr)
            out += driver->driver().checkInvariants();
        return out;
    }

    std::mt19937 rng;
    std::deque<std::string> history;
};

TEST_P(Monkey, RandomActionsKeepEveryViewTrueToItsWorld)
{
    const QStringList lessons = QDir(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons"))
                                    .entryList({ QStringLiteral("*.jsonc") }, QDir::Files, QDir::Name);
    ASSERT_FALSE(lessons.isEmpty());
    const QString lesson = lessons[pick(static_cast<int>(lessons.size()))];
    note("open " + lesson.toStdString());
    ASSERT_TRUE(window->openFile(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons/") + lesson, true));
    window->refreshNow();
    const int actions = actionsPerSeed();
    for (int i = 0; i < actions; ++i) {
        randomAction();
        const std::string found = problems(nullptr);
        ASSERT_EQ(found, "") << "on the simulator, after action " << i << ": " << replay();
    }

    // The same on a scripted live source (a stand-in driver that keeps what the model discards).
    sim::VerifierSwitches neverDiscards;
    neverDiscards.neverDiscardOffer = pick(2) == 0;
    auto driver = std::make_unique<live::testing::FakeDriver>(kGiB, neverDiscards);
    live::testing::FakeDriver* fake = driver.get();
    note("open a live source");
    window->openLiveSource(std::move(driver));
    window->refreshNow();
    for (int i = 0; i < actions / 3; ++i) {
        randomAction();
        if (pick(8) == 0) {
            // Let the worker's readings arrive, as the event loop would.
            window->worker()->waitForIdle();
            QCoreApplication::processEvents();
            window->refreshNow();
        }
        const std::string found = problems(fake);
        ASSERT_EQ(found, "") << "on the live source, after action " << i << ": " << replay();
    }
    window->closeLiveSource();
    window->refreshNow();
    ASSERT_EQ(problems(nullptr), "") << "back on the simulator: " << replay();

    // And on a recording: the lesson run on the simulator, written down as DxgKrnl events, opened
    // from an .etl file (actions are refused; steps, jumps and steps back travel through it).
    Result<scenario::Scenario> parsed
        = scenario::readScenario(OFFERSCOPE_SOURCE_DIR "/resources/lessons/" + lesson.toStdString());
    ASSERT_TRUE(parsed) << parsed.message();
    const std::vector<std::uint8_t> bytes = trace::testing::recordScenario(parsed.take()).etl();
    const QString path = QDir::temp().filePath(QStringLiteral("offerscope-monkey-%1.etl").arg(GetParam()));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    }
    note("open a recording of " + lesson.toStdString());
    window->openRecording(path, true);
    window->worker()->waitForIdle();
    QCoreApplication::processEvents();
    window->refreshNow();
    ASSERT_EQ(window->document()->world()->info().kind, world::WorldKind::Recording);
    for (int i = 0; i < actions / 3; ++i) {
        randomAction();
        const std::string found = problems(nullptr);
        ASSERT_EQ(found, "") << "on the recording, after action " << i << ": " << replay();
    }
    window->closeRecording();
    QFile::remove(path);
    ASSERT_EQ(problems(nullptr), "") << "back on the simulator from the recording: " << replay();
}

INSTANTIATE_TEST_SUITE_P(Seeds, Monkey, ::testing::ValuesIn(monkeySeeds()),
    [](const ::testing::TestParamInfo<unsigned>& seed) { return "seed_" + std::to_string(seed.param); });

} // namespace
