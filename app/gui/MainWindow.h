// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/live/LiveBackend.h"
#include "core/live/LiveSources.h"

#include <QByteArray>
#include <QFont>
#include <QMainWindow>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSlider;
class QTimer;

namespace offerscope::scenario {
struct Step;
enum class StepKind : std::uint8_t;
}

namespace offerscope::world {
class World;
}
namespace offerscope::trace {
class RecordingWorld;
class ReplayWorld;
struct TraceCheck;
} // namespace offerscope::trace

namespace offerscope::models {
class SessionDocument;
class AllocationsModel;
class AllocationFilterModel;
class EventLogModel;
class ReclaimResultsModel;
class SegmentUsageModel;
class ProcessBudgetModel;
class OfferedListModel;
class Worker;
class Refreshable;
class BudgetCurveModel;
class PracticeSession;
} // namespace offerscope::models

namespace offerscope::widgets {
class TableView;
class UsageBarsPlot;
class TimelinePlot;
class ReclaimChart;
class OfferedListsView;
class CallView;
class NarrationView;
} // namespace offerscope::widgets

namespace offerscope::live {
class LiveWorld;
}

namespace offerscope::app {

class BesidePane;

/// The OfferScope window: it wires the session document, the models and the views, and turns menu
/// actions into session steps. It computes nothing itself.
class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a scenario; on failure the session stays as it was, and `error` (when given) receives the
    /// message with its file:line:column, which the status bar shows too (and a message box unless quiet).
    /// A recording (.etl, .xml) goes to openRecording().
    bool openFile(const QString& path, bool quiet = false, QString* error = nullptr);
    /// Reads a recording of what Windows did (.etl or tracerpt XML) on the worker, with progress and
    /// cancel, and shows it in every view; the simulator's session stays open behind it. A recording that
    /// cannot be read leaves everything as it was and says why.
    void openRecording(const QString& path, bool quiet = false);
    /// Back to the simulator's session from a recording.
    void closeRecording();
    /// Replays the recording shown on the model (on the worker) and shows where they agree and
    /// where they part, in a "Model vs recording" dock whose divergences go to their moment.
    void checkRecording();
    /// Opens a second simulator world beside the one shown, its scenario with one thing changed
    /// (`setting`: a key of scenario::applySetting, "verifier.neverDiscardOffer=true"), stepping with
    /// it; the two runs are compared on the worker and the first place they part is marked on the
    /// timeline and explained above the pane. False (and why, in `error` and the status bar) when the
    /// world shown is not the simulator's or the setting is wrong.
    bool openWhatIf(const QString& setting, QString* error = nullptr);
    /// The projector layout: every view, table and plot in larger text, the narration larger still,
    /// fewer docks (the lesson beside the discard queue, the usage bars and the timeline). Remembered
    /// across runs; leaving it brings the layout back as it was.
    void setClassroomMode(bool on);
    bool classroomMode() const { return m_classroom; }
    /// Replays an access trace (one access per line: object_id,size_bytes[,priority]) at a range of
    /// budgets on the worker, the replays spread over the cores, with progress and cancel, and shows
    /// its budget curve in a dock: the miss ratio against the budget, the knee pointed out, the chosen
    /// budget marked, exportable. A trace that cannot be read says where and leaves the window as it was.
    void openBudgetCurve(const QString& path, bool quiet = false);
    /// The practice dock: exercises the engine makes and grades (Lessons → Practice…).
    void showPractice();
    /// Closes the world beside (the model of a recording, or a what-if).
    void closeBeside();
    /// Every recording opened from now on is checked against the model at once (checkRecording()).
    void setCheckRecordingsOnOpen(bool check) { m_checkOnOpen = check; }
    models::SessionDocument* document() const { return m_document; }
    /// Refreshes every model and view now (the tick does this at most once per frame): the document's
    /// list of views (`afterView` is called after each: the GUI benchmark times them), then the log
    /// followed, the call view, the tables laid out and the controls.
    void refreshNow(const std::function<void(const models::Refreshable*)>& afterView = {});
    /// Quiet: what a failed action or a missing selection would say in a message box goes to the
    /// status bar only (scripted runs, the monkey test).
    void setQuiet(bool quiet) { m_quiet = quiet; }
    /// Row counts of the views, one "name=count" per line (for the application test).
    QString viewReport() const;
    /// The lessons built into the program (":/lessons/01-….jsonc"), in their order.
    static QStringList bundledLessons();
    /// The user's own lessons, listed in the Lessons menu after the bundled ones
    /// (~/.local/share/offerscope/lessons on Linux).
    static QString userLessonsDir();
    /// Where "Open scenario" starts: the user's lessons, the installed lesson files, or home.
    static QString lessonsDir();
    /// "01 first offer and reclaim" for ".../01-first-offer-and-reclaim.jsonc".
    static QString lessonTitle(const QString& path);
    /// The About dialog: version with the git revision, the licence (its full text under Details).
    void showAbout();
    /// What the About dialog showed last in quiet mode (tests).
    QString lastAboutText() const { return m_lastAboutText; }
    /// Shows a live source in every view (steps and actions run on it and on the model beside it) and
    /// in a "Live source" dock: readings at a chosen interval, probe runs beside the model. The source
    /// selector calls it with what openLiveBackend() gave; tests give a stand-in.
    /// `firstReading`: a reading already taken (the selector opens and reads on the worker).
    void openLiveSource(std::unique_ptr<live::LiveBackend> backend, std::optional<live::LiveSample> firstReading = {});
    /// The thread that does the slow work (readings, opening and discovering sources, probe runs).
    models::Worker* worker() const { return m_worker; }
    /// Back to the simulator's session (`sayBack`: the status bar says so).
    void closeLiveSource(bool sayBack = true);

protected:
    void closeEvent(QCloseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void fillLessonsMenu();
    void createModelsAndViews();
    void createActions();
    void createToolBar();
    void createBusyIndicator();
    void showRecordingCheck(const trace::TraceCheck& check);
    /// Shows the model replaying the recording beside it (a dock of its own that steps with the window).
    void showModelBeside(std::unique_ptr<trace::ReplayWorld> model, const trace::TraceCheck& check);
    /// Docks the pane beside (m_beside) under the window's views.
    void dockBeside(const QString& title);
    /// "time:<µs>" (a divergence's moment): the recording, at the step of that moment.
    void goToMoment(const QString& link);
    /// Escapes text for HTML and links each line that starts with a moment ("  36.000 ms: ...") to it.
    static QString linkMoments(const QString& text);
    /// The source selector's items: the simulator, then each live source or why it is missing.
    void showSources(const std::vector<live::SourceInfo>& sources);
    void restoreSettings();
    void scheduleRefresh();
    void updateTitleAndControls();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void setPlaying(bool playing);
    void stepForward();

    // Selection shared by every view.
    void selectAllocation(std::uint32_t handle, QObject* from);
    void selectEvent(std::uint64_t seq, QObject* from);
    std::vector<std::uint32_t> selectedAllocations() const;
    std::vector<std::string> selectedNames(const QString& action);

    /// One step of `kind` for each selected allocation (calls that take one allocation: lock, unlock).
    void runForEachSelected(scenario::StepKind kind, const QString& action);
    /// Says something to the person: in the status bar, and in a message box unless quiet.
    void tell(const QString& title, const QString& text);
    /// Runs an action as a step of the world shown and reports its status (a failed call changes
    /// nothing); false when the call failed.
    bool runAction(const scenario::Step& step);
    void refreshFilterChoices();

    models::SessionDocument* m_document;
    models::Worker* m_worker;
    models::AllocationsModel* m_allocations;
    models::AllocationFilterModel* m_allocationFilter;
    models::EventLogModel* m_events;
    models::ReclaimResultsModel* m_reclaims;
    models::SegmentUsageModel* m_segments;
    models::ProcessBudgetModel* m_budgets;
    std::array<models::OfferedListModel*, 5> m_offered {}; ///< the queue, then LOW, NORMAL, HIGH, AUTO

    widgets::UsageBarsPlot* m_usagePlot = nullptr;
    widgets::TimelinePlot* m_timelinePlot = nullptr;
    widgets::ReclaimChart* m_reclaimChart = nullptr;
    widgets::OfferedListsView* m_offeredView = nullptr;
    widgets::TableView* m_allocationTable = nullptr;
    widgets::TableView* m_eventTable = nullptr;
    widgets::TableView* m_reclaimTable = nullptr;
    widgets::TableView* m_budgetTable = nullptr;
    widgets::CallView* m_callView = nullptr;
    widgets::NarrationView* m_narration = nullptr;

    QSlider* m_slider = nullptr;
    QLabel* m_position = nullptr;
    QComboBox* m_source = nullptr;
    QLineEdit* m_search = nullptr;
    QComboBox* m_filterProcess = nullptr;
    QComboBox* m_filterState = nullptr;
    QComboBox* m_filterPriority = nullptr;
    QComboBox* m_filterSegment = nullptr;
    QTimer* m_refreshTimer = nullptr;
    QTimer* m_playTimer = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_playAction = nullptr;
    QAction* m_backAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_endAction = nullptr;
    std::vector<QAction*> m_sessionActions; ///< enabled only with a session
    std::vector<QAction*> m_worldActions; ///< act on the world: enabled where it can act
    live::LiveWorld* m_liveWorld = nullptr; ///< the live source this window opened (the document owns it)
    trace::RecordingWorld* m_recordingWorld = nullptr; ///< the recording shown (the document owns it)
    BesidePane* m_beside = nullptr;
    models::PracticeSession* m_practice = nullptr;
    models::BudgetCurveModel* m_budgetCurve = nullptr; ///< the budget curve shown (its dock owns its view)
    const world::World* m_besideLeader = nullptr; ///< the world the pane beside steps with
    QString m_whatIf; ///< the what-if's setting ("" when the pane beside is not a what-if) ///< the model beside the
                      ///< recording (its dock owns it)
    BackendKind m_liveKind = BackendKind::Simulator;
    bool m_fitColumns = false; ///< size the table columns after the next refresh (a file was opened)
    bool m_selecting = false; ///< guards against selection echo between views
    bool m_quiet = false; ///< no message boxes (setQuiet)
    QMenu* m_lessonsMenu = nullptr; ///< bundled lessons, the user's, Practice (filled as it opens)
    QAction* m_practiceAction = nullptr;
    QString m_lastAboutText;
    bool m_checkOnOpen = false; ///< setCheckRecordingsOnOpen
    bool m_classroom = false;
    QAction* m_classroomAction = nullptr;
    QByteArray m_normalLayout; ///< the docks as they were before classroom mode
    QFont m_normalFont; ///< the application's font before classroom mode
};

} // namespace offerscope::app
