// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/MainWindow.h"

#include "app/gui/ActionDialogs.h"
#include "app/gui/BesidePane.h"
#include "core/Version.h"
#include "core/live/LiveBackend.h"
#include "core/live/LiveSources.h"
#include "core/live/LiveWorld.h"
#include "core/replay/BudgetSweep.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioCompare.h"
#include "core/session/Session.h"
#include "core/trace/RecordingWorld.h"
#include "core/trace/ReplayWorld.h"
#include "core/trace/TraceCheck.h"
#include "core/trace/TraceXml.h"
#include "widgets/models/AllocationFilterModel.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/BudgetCurveModel.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/Format.h"
#include "widgets/models/LiveSourceModels.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/PracticeSession.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"
#include "widgets/views/BudgetCurveView.h"
#include "widgets/views/CallView.h"
#include "widgets/views/LiveSourceView.h"
#include "widgets/views/NarrationView.h"
#include "widgets/views/OfferedListsView.h"
#include "widgets/views/PlotExport.h"
#include "widgets/views/PracticeView.h"
#include "widgets/views/ReclaimChart.h"
#include "widgets/views/TableView.h"
#include "widgets/views/TimelinePlot.h"
#include "widgets/views/UsageBarsPlot.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

/// The lessons, icons and licence compiled into the library (app/gui/CMakeLists.txt): registered once, at
/// global scope as Q_INIT_RESOURCE wants, by the window and by whoever asks for the lessons first.
static void registerResources()
{
    static const bool registered = [] {
        Q_INIT_RESOURCE(offerscope);
        return true;
    }();
    (void)registered;
}

namespace offerscope::app {

using namespace offerscope::models;
using namespace offerscope::widgets;

namespace {

/// Tables up to this many rows fit their columns to what they show on every refresh (it is cheap).
constexpr int kFitEveryRefreshRows = 64;
/// The height of text in classroom mode, in pixels (a projected 1280x720 stays readable from the back).
constexpr int kClassroomTextPixels = 22;
constexpr int kMaxRecent = 8;
const auto kIdleCheckpointEvent = static_cast<QEvent::Type>(QEvent::registerEventType());

QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* content)
{
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name); // saveState() needs names
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    return d;
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_document(new SessionDocument(this))
    , m_worker(new models::Worker(this))
{
    registerResources();
    setObjectName(QStringLiteral("MainWindow"));
    setDockNestingEnabled(true);
    createModelsAndViews();
    createActions();
    createToolBar();
    createBusyIndicator();
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(16); // at most one refresh per 60 Hz frame
    connect(m_refreshTimer, &QTimer::timeout, this, [this] { refreshNow(); });
    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(900);
    connect(m_playTimer, &QTimer::timeout, this, &MainWindow::stepForward);
    connect(m_document, &SessionDocument::changed, this, &MainWindow::scheduleRefresh);
    connect(m_document, &SessionDocument::loaded, this, [this] {
        if (!m_whatIf.isEmpty())
            closeBeside(); // another world or scenario shown: the what-if was of the one before
        refreshFilterChoices();
        m_callView->showNothing();
        m_offeredView->setOrderNote(
            m_document->hasSession() ? QString::fromStdString(m_document->world()->info().discardOrderNote) : QString());
        m_fitColumns = true;
    });
    restoreSettings();
    updateTitleAndControls();
    m_narration->refresh();
}

MainWindow::~MainWindow() = default;

QStringList MainWindow::bundledLessons()
{
    registerResources();
    QStringList lessons;
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString& entry : dir.entryList({ QStringLiteral("*.jsonc") }, QDir::Files, QDir::Name))
        lessons.push_back(dir.filePath(entry));
    return lessons;
}

QString MainWindow::userLessonsDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/offerscope/lessons");
}

QString MainWindow::lessonsDir()
{
    // Where "Open scenario" starts: the user's lessons, else the lessons installed as files beside the
    // program (share/offerscope/lessons), else the home folder.
    if (QDir(userLessonsDir()).exists())
        return userLessonsDir();
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/offerscope/lessons");
    if (QDir(installed).exists())
        return QDir(installed).canonicalPath();
    return QDir::homePath();
}

QString MainWindow::lessonTitle(const QString& path)
{
    QString title = QFileInfo(path).completeBaseName();
    title.replace(QLatin1Char('-'), QLatin1Char(' '));
    return title;
}

void MainWindow::fillLessonsMenu()
{
    m_lessonsMenu->clear();
    for (const QString& path : bundledLessons())
        m_lessonsMenu->addAction(lessonTitle(path), this, [this, path] { openFile(path); })->setToolTip(path);
    if (bundledLessons().isEmpty())
        m_lessonsMenu->addAction(tr("(no lessons built into this program)"))->setEnabled(false);

    // The user's own lessons, listed anew each time the menu opens.
    const QString userDir = userLessonsDir();
    m_lessonsMenu->addSection(tr("Your lessons"));
    const QDir dir(userDir);
    const QStringList own
        = dir.entryList({ QStringLiteral("*.jsonc"), QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString& entry : own) {
        const QString path = dir.filePath(entry);
        QAction* action = m_lessonsMenu->addAction(lessonTitle(path), this, [this, path] { openFile(path); });
        action->setToolTip(path);
        action->setObjectName(QStringLiteral("userLesson"));
    }
    if (own.isEmpty())
        m_lessonsMenu->addAction(tr("(none yet: put scenario files in %1)").arg(QDir::toNativeSeparators(userDir)))
            ->setEnabled(false);
    m_lessonsMenu->addAction(tr("Open your lessons folder"), this, [this, userDir] {
        QDir().mkpath(userDir);
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(userDir)))
            statusBar()->showMessage(tr("No file manager could open %1").arg(userDir), 8000);
    });
    m_lessonsMenu->addSeparator();
    m_lessonsMenu->addAction(m_practiceAction);
}

void MainWindow::createModelsAndViews()
{
    m_allocations = new AllocationsModel(m_document, this);
    m_allocationFilter = new AllocationFilterModel(this);
    m_allocationFilter->setSourceModel(m_allocations);
    m_events = new EventLogModel(m_document, this);
    m_reclaims = new ReclaimResultsModel(m_document, this);
    m_segments = new SegmentUsageModel(m_document, this);
    m_budgets = new ProcessBudgetModel(m_document, this);
    m_offered = makeOfferedLists(m_document, this);

    // Centre: usage now, and over time.
    m_usagePlot = new UsageBarsPlot(m_document, m_segments, m_budgets, this);
    m_usagePlot->setToolTip(QString());
    m_timelinePlot = new TimelinePlot(m_document, this);
    auto* centre = new QSplitter(Qt::Vertical, this);
    centre->setObjectName(QStringLiteral("centreSplitter"));
    auto* usageBox = new QWidget(centre);
    auto* usageLayout = new QVBoxLayout(usageBox);
    usageLayout->setContentsMargins(4, 4, 4, 0);
    auto* usageTitle = new QLabel(tr("<b>Segment usage</b> — dashed line: segment size; beyond it: committed but not "
                                     "in the segment. Hover a bar for what it means."),
        usageBox);
    usageTitle->setWordWrap(true);
    usageTitle->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    usageLayout->addWidget(usageTitle);
    usageLayout->addWidget(m_usagePlot, 1);
    centre->addWidget(usageBox);
    centre->addWidget(m_timelinePlot);
    centre->setStretchFactor(0, 2);
    centre->setStretchFactor(1, 3);
    centre->setSizes({ 300, 350 });
    setCentralWidget(centre);

    m_narration = new NarrationView(m_document, this);
    m_offeredView = new OfferedListsView(m_offered, this);

    // Reclaim results: table over chart.
    m_reclaimTable = new TableView(this);
    m_reclaimTable->setObjectName(QStringLiteral("reclaims"));
    m_reclaimTable->setModel(m_reclaims);
    m_reclaimChart = new ReclaimChart(m_reclaims, this);
    auto* reclaimSplit = new QSplitter(Qt::Vertical, this);
    reclaimSplit->addWidget(m_reclaimTable);
    reclaimSplit->addWidget(m_reclaimChart);

    // Allocations: filter bar over the table.
    auto* allocationsBox = new QWidget(this);
    auto* allocationsLayout = new QVBoxLayout(allocationsBox);
    allocationsLayout->setContentsMargins(0, 0, 0, 0);
    auto* filters = new QHBoxLayout;
    m_search = new QLineEdit(allocationsBox);
    m_search->setPlaceholderText(tr("Search name or handle"));
    m_search->setClearButtonEnabled(true);
    m_filterProcess = new QComboBox(allocationsBox);
    m_filterState = new QComboBox(allocationsBox);
    m_filterPriority = new QComboBox(allocationsBox);
    m_filterSegment = new QComboBox(allocationsBox);
    filters->addWidget(m_search, 2);
    for (QComboBox* box : { m_filterProcess, m_filterState, m_filterPriority, m_filterSegment })
        filters->addWidget(box, 1);
    allocationsLayout->addLayout(filters);
    m_allocationTable = new TableView(allocationsBox);
    m_allocationTable->setObjectName(QStringLiteral("allocations"));
    m_allocationTable->setModel(m_allocationFilter);
    m_allocationTable->setSortingEnabled(true);
    m_allocationTable->sortByColumn(-1, Qt::AscendingOrder);
    allocationsLayout->addWidget(m_allocationTable);
    m_filterState->addItem(tr("Any state"));
    for (int s = 0; s < sim::kAllocationStateCount - 1; ++s)
        m_filterState->addItem(stateText(static_cast<sim::AllocationState>(s)), s);
    m_filterPriority->addItem(tr("Any priority"));
    for (int p = 1; p <= 4; ++p)
        m_filterPriority->addItem(priorityText(static_cast<OfferPriority>(p)), p);
    connect(m_search, &QLineEdit::textChanged, m_allocationFilter, &AllocationFilterModel::setSearchText);
    connect(m_filterProcess, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_filterProcess->currentData();
        m_allocationFilter->setProcess(v.isValid() ? std::optional<std::uint32_t>(v.toUInt()) : std::nullopt);
    });
    connect(m_filterState, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_filterState->currentData();
        m_allocationFilter->setState(v.isValid()
                ? std::optional<sim::AllocationState>(static_cast<sim::AllocationState>(v.toInt()))
                : std::nullopt);
    });
    connect(m_filterPriority, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_filterPriority->currentData();
        m_allocationFilter->setPriority(
            v.isValid() ? std::optional<OfferPriority>(static_cast<OfferPriority>(v.toInt())) : std::nullopt);
    });
    connect(m_filterSegment, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant v = m_filterSegment->currentData();
        m_allocationFilter->setSegment(v.isValid() ? std::optional<std::uint32_t>(v.toUInt()) : std::nullopt);
    });

    // Event log beside the call behind the selected event.
    m_eventTable = new TableView(this);
    m_eventTable->setObjectName(QStringLiteral("events"));
    m_eventTable->setModel(m_events);
    m_eventTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventTable->horizontalHeader()->resizeSection(EventLogModel::Kind, 130);
    m_eventTable->horizontalHeader()->resizeSection(EventLogModel::Cause, 170);
    m_callView = new CallView(m_document, this);
    auto* eventSplit = new QSplitter(Qt::Horizontal, this);
    eventSplit->addWidget(m_eventTable);
    eventSplit->addWidget(m_callView);
    eventSplit->setStretchFactor(0, 3);
    eventSplit->setStretchFactor(1, 2);

    m_budgetTable = new TableView(this);
    m_budgetTable->setObjectName(QStringLiteral("budgets"));
    m_budgetTable->setModel(m_budgets);

    // Refreshed in this order: the models, then the plots and the narration that read them.
    for (Refreshable* view : std::initializer_list<Refreshable*> { m_allocations, m_events, m_reclaims, m_segments,
             m_budgets, m_offered[0], m_offered[1], m_offered[2], m_offered[3], m_offered[4], m_usagePlot,
             m_timelinePlot, m_reclaimChart, m_narration })
        m_document->addView(view);

    auto* narrationDock = dock(this, tr("Lesson"), QStringLiteral("lessonDock"), m_narration);
    auto* offeredDock = dock(this, tr("Offered lists (discard order)"), QStringLiteral("offeredDock"), m_offeredView);
    auto* reclaimDock = dock(this, tr("Reclaim results"), QStringLiteral("reclaimDock"), reclaimSplit);
    auto* allocationsDock = dock(this, tr("Allocations"), QStringLiteral("allocationsDock"), allocationsBox);
    auto* eventsDock = dock(this, tr("Event log and D3DKMT calls"), QStringLiteral("eventsDock"), eventSplit);
    auto* budgetDock = dock(this, tr("Budgets"), QStringLiteral("budgetDock"), m_budgetTable);
    addDockWidget(Qt::LeftDockWidgetArea, narrationDock);
    addDockWidget(Qt::LeftDockWidgetArea, budgetDock);
    addDockWidget(Qt::RightDockWidgetArea, offeredDock);
    addDockWidget(Qt::RightDockWidgetArea, reclaimDock);
    addDockWidget(Qt::BottomDockWidgetArea, eventsDock);
    addDockWidget(Qt::BottomDockWidgetArea, allocationsDock);
    tabifyDockWidget(eventsDock, allocationsDock);
    eventsDock->raise();
    resizeDocks({ narrationDock, offeredDock }, { 300, 520 }, Qt::Horizontal);
    resizeDocks({ eventsDock }, { 300 }, Qt::Vertical);
    resizeDocks({ narrationDock, budgetDock }, { 400, 150 }, Qt::Vertical);

    // Selection: anything selected anywhere is shown everywhere.
    connect(m_allocationTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (current.isValid())
                selectAllocation(current.data(HandleRole).toUInt(), m_allocationTable);
        });
    connect(m_offeredView, &OfferedListsView::allocationSelected, this,
        [this](std::uint32_t handle) { selectAllocation(handle, m_offeredView); });
    connect(m_reclaimTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (!current.isValid())
                return;
            selectEvent(current.data(SeqRole).toULongLong(), m_reclaimTable);
        });
    connect(m_reclaimTable, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        const quint64 cause = index.data(CauseSeqRole).toULongLong();
        if (cause != 0)
            selectEvent(cause, nullptr);
    });
    connect(m_eventTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (current.isValid())
                selectEvent(current.data(SeqRole).toULongLong(), m_eventTable);
        });
    connect(m_callView, &CallView::eventRequested, this, [this](std::uint64_t seq) { selectEvent(seq, nullptr); });
    connect(m_timelinePlot, &TimelinePlot::positionRequested, this,
        [this](int position) { m_document->seek(static_cast<std::size_t>(position)); });
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open scenario…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open scenario"), lessonsDir(), tr("Scenarios (*.jsonc *.json);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    file->addAction(tr("Open re&cording…"), this,
            [this] {
                const QString path
                    = QFileDialog::getOpenFileName(this, tr("Open a recording of Windows (DxgKrnl events)"), QString(),
                        tr("Recordings (*.etl *.xml);;Event trace logs (*.etl);;tracerpt XML (*.xml);;All files (*)"));
                if (!path.isEmpty())
                    openRecording(path);
            })
        ->setObjectName(QStringLiteral("actionOpenRecording"));
    QAction* checkRecordingAction
        = file->addAction(tr("Chec&k recording against the model"), this, [this] { checkRecording(); });
    checkRecordingAction->setObjectName(QStringLiteral("actionCheckRecording"));
    QAction* closeRecordingAction = file->addAction(tr("C&lose recording"), this, [this] { closeRecording(); });
    closeRecordingAction->setObjectName(QStringLiteral("actionCloseRecording"));
    connect(file, &QMenu::aboutToShow, closeRecordingAction, [this, closeRecordingAction, checkRecordingAction] {
        closeRecordingAction->setEnabled(m_recordingWorld != nullptr);
        checkRecordingAction->setEnabled(m_recordingWorld != nullptr);
    });
    file->addAction(tr("&Budget curve of an access trace…"), this,
            [this] {
                const QString path = QFileDialog::getOpenFileName(this,
                    tr("Access trace (one access per line: object_id,size_bytes[,priority])"), QString(),
                    tr("Access traces (*.csv *.txt);;All files (*)"));
                if (!path.isEmpty())
                    openBudgetCurve(path);
            })
        ->setObjectName(QStringLiteral("actionBudgetCurve"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    QAction* save = file->addAction(tr("&Save session as scenario…"), QKeySequence::SaveAs, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save session as scenario"),
            QFileInfo(m_document->filePath()).completeBaseName() + QStringLiteral("-session.jsonc"),
            tr("Scenarios (*.jsonc)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!m_document->save(path, &error))
            QMessageBox::warning(this, tr("Save session"), error);
        else
            statusBar()->showMessage(
                tr("Saved %1 steps to %2: it replays to this state.").arg(m_document->position()).arg(path),
                8000);
    });
    m_sessionActions.push_back(save);
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    m_sessionActions.push_back(exportMenu->menuAction());
    exportMenu->addAction(tr("Segment usage plot (PNG/PDF)…"), this,
        [this] { exportPlotInteractively(m_usagePlot->plot(), this, QStringLiteral("segment-usage.png")); });
    exportMenu->addAction(tr("Timeline plot (PNG/PDF)…"), this,
        [this] { exportPlotInteractively(m_timelinePlot->plot(), this, QStringLiteral("timeline.png")); });
    exportMenu->addAction(tr("Reclaim results chart (PNG/PDF)…"), this,
        [this] { exportPlotInteractively(m_reclaimChart->plot(), this, QStringLiteral("reclaims.png")); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Allocations table (CSV)…"), this, [this] { m_allocationTable->exportCsv(); });
    exportMenu->addAction(tr("Event log (CSV)…"), this, [this] { m_eventTable->exportCsv(); });
    exportMenu->addAction(tr("Reclaim results (CSV)…"), this, [this] { m_reclaimTable->exportCsv(); });
    exportMenu->addAction(tr("Budgets (CSV)…"), this, [this] { m_budgetTable->exportCsv(); });
    exportMenu->addAction(tr("Budget curve (PNG, PDF)…"), this, [this] {
        if (auto* view = findChild<BudgetCurveView*>())
            exportPlotInteractively(view->plot(), this, QStringLiteral("budget-curve.png"));
        else
            statusBar()->showMessage(tr("Open a budget curve first (File → Budget curve of an access trace…)."), 5000);
    });
    for (int i = 0; i < OfferedListsView::kLists; ++i)
        exportMenu->addAction(i == 0
                ? tr("Discard queue (CSV)…")
                : tr("Offered list %1 (CSV)…").arg(priorityText(m_offered[static_cast<std::size_t>(i)]->priority())),
            this, [this, i] { m_offeredView->table(i)->exportCsv(); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    m_lessonsMenu = menuBar()->addMenu(tr("&Lessons"));
    m_lessonsMenu->setObjectName(QStringLiteral("lessonsMenu"));
    m_practiceAction = new QAction(tr("&Practice…"), this);
    connect(m_practiceAction, &QAction::triggered, this, [this] { showPractice(); });
    m_practiceAction->setObjectName(QStringLiteral("actionPractice"));
    m_practiceAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_practiceAction->setToolTip(tr("Exercises the engine makes and grades: answer, see why, keep score"));
    addAction(m_practiceAction); // its shortcut works while the menu is being filled anew
    fillLessonsMenu();
    connect(m_lessonsMenu, &QMenu::aboutToShow, this, &MainWindow::fillLessonsMenu);

    QMenu* sim = menuBar()->addMenu(tr("&Simulation"));
    m_playAction = sim->addAction(tr("&Play"), this, [this] { setPlaying(!m_playTimer->isActive()); });
    m_playAction->setShortcut(Qt::Key_Space);
    m_playAction->setCheckable(true);
    m_stepAction = sim->addAction(tr("Step &forward"), this, &MainWindow::stepForward);
    m_stepAction->setShortcuts({ QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_F10) });
    m_backAction = sim->addAction(tr("Step &back"), this, [this] {
        setPlaying(false);
        m_document->stepBack();
    });
    m_backAction->setShortcuts({ QKeySequence(Qt::Key_Left), QKeySequence(Qt::SHIFT | Qt::Key_F10) });
    m_startAction = sim->addAction(tr("Go to &start"), this, [this] {
        setPlaying(false);
        m_document->seek(0);
    });
    m_startAction->setShortcut(Qt::Key_Home);
    m_endAction = sim->addAction(tr("Go to &end"), this, [this] {
        setPlaying(false);
        m_document->seek(m_document->stepCount());
    });
    m_endAction->setShortcut(Qt::Key_End);
    sim->addSeparator();
    QAction* whatIf = sim->addAction(tr("&What if…"), this, [this] {
        if (!m_document->hasSession())
            return;
        if (const std::optional<QString> setting = askWhatIf(this, *m_document->world()))
            openWhatIf(*setting);
    });
    whatIf->setObjectName(QStringLiteral("actionWhatIf"));
    whatIf->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
    whatIf->setToolTip(tr("Run the same steps once more with one thing changed, side by side"));
    m_worldActions.push_back(whatIf);
    QAction* closeWhatIf = sim->addAction(tr("Close the world &beside"), this, [this] { closeBeside(); });
    closeWhatIf->setObjectName(QStringLiteral("actionCloseBeside"));
    connect(
        sim, &QMenu::aboutToShow, closeWhatIf, [this, closeWhatIf] { closeWhatIf->setEnabled(m_beside != nullptr); });
    sim->addSeparator();
    QMenu* speed = sim->addMenu(tr("Play &speed"));
    for (const auto& [label, ms] :
        { std::pair { tr("Slow (2 s per step)"), 2000 }, std::pair { tr("Normal (0.9 s)"), 900 },
            std::pair { tr("Fast (0.2 s)"), 200 }, std::pair { tr("As fast as possible"), 0 } }) {
        QAction* a = speed->addAction(label, this, [this, ms = ms] { m_playTimer->setInterval(ms); });
        a->setCheckable(true);
        a->setChecked(ms == 900);
        auto* group = speed->findChild<QActionGroup*>();
        if (group == nullptr)
            group = new QActionGroup(speed);
        group->addAction(a);
    }
    for (QAction* a : { m_playAction, m_stepAction, m_backAction, m_startAction, m_endAction })
        m_sessionActions.push_back(a);
    m_playAction->setObjectName(QStringLiteral("actionPlay"));
    m_stepAction->setObjectName(QStringLiteral("actionStep"));
    m_backAction->setObjectName(QStringLiteral("actionStepBack"));
    m_startAction->setObjectName(QStringLiteral("actionStart"));
    m_endAction->setObjectName(QStringLiteral("actionEnd"));

    QMenu* actions = menuBar()->addMenu(tr("&Actions"));
    auto add = [this, actions](const QString& text, const QKeySequence& key, auto slot, const char* name) {
        QAction* a = actions->addAction(text, this, slot);
        a->setObjectName(QString::fromLatin1(name));
        if (!key.isEmpty())
            a->setShortcut(key);
        m_sessionActions.push_back(a);
        m_worldActions.push_back(a);
        return a;
    };
    add(
        tr("&Create allocations…"), QKeySequence(Qt::CTRL | Qt::Key_N),
        [this] {
            if (auto step = askCreate(this, *m_document))
                runAction(*step);
        },
        "actionCreate");
    add(
        tr("&Offer selection…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
        [this] {
            const auto names = selectedNames(tr("Offer"));
            if (names.empty())
                return;
            if (auto step = askOffer(this, names))
                runAction(*step);
        },
        "actionOffer");
    add(
        tr("&Reclaim selection"), QKeySequence(Qt::CTRL | Qt::Key_R),
        [this] {
            const auto names = selectedNames(tr("Reclaim"));
            if (names.empty())
                return;
            scenario::Step step;
            step.kind = scenario::StepKind::Reclaim;
            step.names = names;
            runAction(step);
        },
        "actionReclaim");
    actions->addSeparator();
    add(
        tr("&Lock selection"), QKeySequence(Qt::CTRL | Qt::Key_L),
        [this] { runForEachSelected(scenario::StepKind::Lock, tr("Lock")); },
        "actionLock");
    add(
        tr("&Unlock selection"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
        [this] { runForEachSelected(scenario::StepKind::Unlock, tr("Unlock")); },
        "actionUnlock");
    add(
        tr("Submit &GPU work on selection…"), QKeySequence(Qt::CTRL | Qt::Key_G),
        [this] {
            const auto names = selectedNames(tr("Submit GPU work"));
            if (names.empty())
                return;
            if (auto step = askGpuWork(this, names))
                runAction(*step);
        },
        "actionGpu");
    add(
        tr("&Advance time 1 ms"), QKeySequence(Qt::CTRL | Qt::Key_T),
        [this] {
            scenario::Step step;
            step.kind = scenario::StepKind::Advance;
            step.microseconds = 1000;
            runAction(step);
        },
        "actionAdvance");
    actions->addSeparator();
    add(
        tr("&Pressure from another process…"), QKeySequence(Qt::CTRL | Qt::Key_P),
        [this] {
            if (auto step = askPressure(this, *m_document))
                runAction(*step);
        },
        "actionPressure");
    add(
        tr("Change a &budget…"), QKeySequence(Qt::CTRL | Qt::Key_B),
        [this] {
            if (auto step = askBudget(this, *m_document))
                runAction(*step);
        },
        "actionBudget");
    add(
        tr("Policy and &verifier…"), QKeySequence(),
        [this] {
            for (const scenario::Step& step : askSettings(this, *m_document))
                runAction(step);
        },
        "actionSettings");

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        m_viewMenu->addAction(d->toggleViewAction());
    m_viewMenu->addSeparator();
    m_classroomAction = m_viewMenu->addAction(tr("&Classroom mode"), this, [this](bool on) { setClassroomMode(on); });
    m_classroomAction->setObjectName(QStringLiteral("actionClassroom"));
    m_classroomAction->setCheckable(true);
    m_classroomAction->setShortcut(Qt::Key_F8);
    m_classroomAction->setToolTip(
        tr("For a projector: large text everywhere, the lesson beside the queue and the usage"));
    m_viewMenu->addAction(tr("Reset layout"), this, [this] {
        QSettings().remove(QStringLiteral("window/state"));
        QMessageBox::information(this, tr("Reset layout"), tr("The default layout is used at the next start."));
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Glossary"), this, [this] {
        QString text;
        for (const char* term :
            { "resident", "committed", "local", "offered", "evicted", "discarded", "decommitted", "pending", "budget" })
            text += QStringLiteral("<p>%1</p>").arg(glossary(QString::fromLatin1(term)));
        QMessageBox::information(this, tr("Glossary"), text);
    });
    help->addAction(tr("&About OfferScope"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About OfferScope"));
    box.setIconPixmap(QIcon(QStringLiteral(":/icons/offerscope-128.png")).pixmap(96, 96));
    box.setTextFormat(Qt::RichText);
    box.setText(tr("<h3>OfferScope %1</h3><p>See and teach how Windows manages video memory that applications "
                   "offer back to the OS: D3DKMTOfferAllocations, reclaim, priorities, budgets and discards.</p>"
                   "<p>Copyright © 2026 The OfferScope developers.<br>Licensed under the GNU General Public License, "
                   "version 3 or later (GPL-3.0-or-later): you may share and change it under its terms; it comes "
                   "with no warranty. Charts are drawn with QCustomPlot (GPL-3.0). Built with Qt %2.</p>"
                   "<p>Show Details for the licence's full text.</p>")
                    .arg(QString::fromStdString(versionText()), QString::fromLatin1(qVersion())));
    QFile licence(QStringLiteral(":/LICENSE"));
    if (licence.open(QIODevice::ReadOnly))
        box.setDetailedText(QString::fromUtf8(licence.readAll()));
    box.setObjectName(QStringLiteral("aboutBox"));
    if (m_quiet) { // tests look at it without a modal loop
        box.show();
        m_lastAboutText = box.text() + QStringLiteral("\n") + box.detailedText();
        return;
    }
    box.exec();
}

void MainWindow::createToolBar()
{
    QToolBar* bar = addToolBar(tr("Simulation"));
    bar->setObjectName(QStringLiteral("simulationToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_startAction->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    m_startAction->setIconText(tr("Start"));
    m_backAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    m_backAction->setIconText(tr("Back"));
    m_playAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_playAction->setIconText(tr("Play"));
    m_stepAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_stepAction->setIconText(tr("Step"));
    m_endAction->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    m_endAction->setIconText(tr("End"));
    for (QAction* a : { m_startAction, m_backAction, m_playAction, m_stepAction, m_endAction })
        bar->addAction(a);
    for (QAction* a : { m_startAction, m_backAction, m_playAction, m_stepAction, m_endAction })
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text().remove(QLatin1Char('&')), a->shortcut().toString()));
    m_slider = new QSlider(Qt::Horizontal, bar);
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_slider->setMinimumWidth(260);
    m_slider->setToolTip(tr("Time travel: drag to any step; every view shows the state at that point."));
    bar->addWidget(m_slider);
    m_position = new QLabel(bar);
    m_position->setMinimumWidth(170);
    m_position->setContentsMargins(6, 0, 6, 0);
    bar->addWidget(m_position);
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (m_document->hasSession() && static_cast<std::size_t>(value) != m_document->position()) {
            setPlaying(false);
            if (!m_document->world()->info().canStepBack && static_cast<std::size_t>(value) < m_document->position()) {
                statusBar()->showMessage(tr("Going back is not possible on %1: what it did happened.")
                                             .arg(QString::fromStdString(m_document->world()->info().sourceWords)),
                    5000);
                updateTitleAndControls();
                return;
            }
            m_document->seek(static_cast<std::size_t>(value));
        }
    });
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Source: "), bar));
    m_source = new QComboBox(bar);
    m_source->setObjectName(QStringLiteral("sourceSelector"));
    // As wide as a short name: the long "not available: …" items show in the open list.
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->setMinimumContentsLength(14);
    // Finding the live sources opens each of them (a D3D11 device on Windows): the worker does it.
    showSources({ { BackendKind::Simulator, "Simulator", true, {} } });
    m_worker->request<std::vector<live::SourceInfo>>(
        QStringLiteral("source discovery"), [](const JobControl&) { return live::dataSources(); },
        [this](std::vector<live::SourceInfo> sources) { showSources(sources); });
    connect(m_source, &QComboBox::activated, this, [this](int index) {
        const auto kind = static_cast<BackendKind>(m_source->itemData(index, Qt::UserRole).toInt());
        if (kind == BackendKind::Simulator) {
            closeLiveSource();
            return;
        }
        // Opened and read once on the worker; the world is made here, on the views' thread.
        struct Opened {
            std::unique_ptr<live::LiveBackend> backend;
            std::string why;
            std::optional<live::LiveSample> reading;
        };
        m_worker->request<Opened>(
            QStringLiteral("open live source"),
            [kind](const JobControl& control) {
                Opened out;
                control.progress(20, tr("Opening the live source…"));
                auto opened = live::openLiveBackend(kind);
                out.why = opened.message();
                out.backend = opened.take();
                if (out.backend && !out.backend->adapters().empty()) {
                    control.progress(60, tr("Reading it…"));
                    out.reading = out.backend->sample(out.backend->adapters().front().luid);
                }
                return out;
            },
            [this](Opened opened) {
                if (!opened.backend) {
                    statusBar()->showMessage(QString::fromStdString(opened.why), 8000);
                    const QSignalBlocker block(m_source);
                    m_source->setCurrentIndex(
                        m_liveWorld != nullptr ? m_source->findData(static_cast<int>(m_liveKind), Qt::UserRole) : 0);
                    return;
                }
                openLiveSource(std::move(opened.backend), std::move(opened.reading));
            });
    });
    m_source->setToolTip(tr("Where the data comes from. Live sources read real D3DKMT data where the machine has it."));
    bar->addWidget(m_source);
}

void MainWindow::showSources(const std::vector<live::SourceInfo>& sources)
{
    const QSignalBlocker block(m_source);
    const QVariant current = m_source->currentData(Qt::UserRole);
    auto* items = new QStandardItemModel(m_source);
    for (const live::SourceInfo& source : sources) {
        auto* item = new QStandardItem(QString::fromStdString(source.name)
            + (source.available ? QString() : QStringLiteral(" — ") + QString::fromStdString(source.reason)));
        item->setEnabled(source.available);
        item->setToolTip(source.available ? tr("Available: every view shows it, the model runs beside it")
                                          : QString::fromStdString(source.reason));
        item->setData(static_cast<int>(source.kind), Qt::UserRole);
        items->appendRow(item);
    }
    if (sources.size() == 1) {
        auto* looking = new QStandardItem(tr("Looking for live sources…"));
        looking->setEnabled(false);
        looking->setData(-1, Qt::UserRole);
        items->appendRow(looking);
    }
    m_source->setModel(items); // the old one is the combo box's child: it deletes it
    const int keep = current.isValid() ? m_source->findData(current, Qt::UserRole) : -1;
    m_source->setCurrentIndex(keep >= 0 ? keep : 0);
}

void MainWindow::openLiveSource(std::unique_ptr<live::LiveBackend> backend, std::optional<live::LiveSample> firstReading)
{
    // One live source at a time: a new one replaces the last.
    closeLiveSource(false);
    const BackendKind kind = backend->info().kind;
    m_liveKind = kind;
    const scenario::Scenario scenario = m_document->hasSession() ? m_document->world()->scenario() : scenario::Scenario {};
    auto world = std::make_unique<live::LiveWorld>(std::move(backend), scenario, std::move(firstReading));
    m_liveWorld = world.get();
    m_document->addWorld(std::move(world));
    {
        const QSignalBlocker block(m_source);
        const int item = m_source->findData(static_cast<int>(kind), Qt::UserRole);
        if (item >= 0)
            m_source->setCurrentIndex(item);
    }
    auto* session = new models::LiveSession(m_document, m_liveWorld, m_worker);
    auto* view = new widgets::LiveSourceView(session);
    session->setParent(view);
    QDockWidget* d = dock(this, tr("Live source: %1").arg(session->name()), QStringLiteral("liveDock"), view);
    // Beside the event log, where the width is: readings on the left, the probe run on the right.
    addDockWidget(Qt::BottomDockWidgetArea, d);
    if (auto* events = findChild<QDockWidget*>(QStringLiteral("eventsDock")))
        tabifyDockWidget(events, d);
    d->show();
    d->raise();
    statusBar()->showMessage(
        tr("Live source %1: every view shows it; steps and actions run on it and on the model beside it.").arg(session->name()),
        8000);
}

void MainWindow::closeLiveSource(bool sayBack)
{
    // The tab reads the live world: it goes first; then what the worker does with the world ends.
    if (auto* old = findChild<QDockWidget*>(QStringLiteral("liveDock")))
        delete old;
    if (m_liveWorld == nullptr)
        return;
    m_worker->cancel(QString::fromLatin1(models::LiveSession::kReadingTag));
    m_worker->cancel(QString::fromLatin1(models::LiveSession::kProbeTag));
    m_worker->waitForIdle(); // at most the reading under way
    m_document->closeWorld(m_liveWorld);
    m_liveWorld = nullptr;
    const QSignalBlocker block(m_source);
    m_source->setCurrentIndex(0);
    if (sayBack)
        statusBar()->showMessage(tr("Back to the simulator, where the session was."), 5000);
}

void MainWindow::createBusyIndicator()
{
    // What the worker is doing, in the status bar, with a way to stop it.
    auto* box = new QWidget(this);
    box->setObjectName(QStringLiteral("workerBusy"));
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(box);
    auto* bar = new QProgressBar(box);
    bar->setMaximumWidth(140);
    bar->setRange(0, 0);
    auto* cancel = new QToolButton(box);
    cancel->setText(tr("Cancel"));
    layout->addWidget(label);
    layout->addWidget(bar);
    layout->addWidget(cancel);
    statusBar()->addPermanentWidget(box);
    box->hide();
    auto* current = new QString;
    connect(box, &QObject::destroyed, [current] { delete current; });
    connect(m_worker, &models::Worker::running, box, [box, label, bar, current](const QString& tag, bool running) {
        if (running) {
            *current = tag;
            label->setText(tag + QStringLiteral("…"));
            bar->setRange(0, 0); // busy until the job says how far it got
        }
        box->setVisible(running);
    });
    connect(m_worker, &models::Worker::progressed, box, [label, bar](const QString&, int percent, const QString& text) {
        bar->setRange(0, 100);
        bar->setValue(percent);
        label->setText(text);
    });
    connect(cancel, &QToolButton::clicked, this, [this, current] { m_worker->cancel(*current); });
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1600, 1000);
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray())) {
        // The default layout: the lesson and budgets column wide enough for the budgets' figures.
        if (auto* lesson = findChild<QDockWidget*>(QStringLiteral("lessonDock")))
            resizeDocks({ lesson }, { 300 }, Qt::Horizontal);
    }
    m_playTimer->setInterval(settings.value(QStringLiteral("play/interval"), 900).toInt());
    rebuildRecentMenu();
    if (settings.value(QStringLiteral("view/classroom"), false).toBool())
        setClassroomMode(true);
}

void MainWindow::setClassroomMode(bool on)
{
    if (on == m_classroom)
        return;
    m_classroom = on;
    m_classroomAction->setChecked(on);
    QSettings().setValue(QStringLiteral("view/classroom"), on);
    if (on) {
        // Larger text in every view and plot (they follow the application's font), and fewer docks:
        // the lesson large beside the discard queue, the usage bars and the timeline.
        m_normalLayout = saveState();
        m_normalFont = QApplication::font();
        QFont text = m_normalFont;
        text.setPixelSize(kClassroomTextPixels);
        QApplication::setFont(text);
        QFont words = text;
        words.setPixelSize(kClassroomTextPixels * 12 / 11);
        m_narration->setFont(words);
        const QString widest = QStringLiteral("step 000 / 000 · 000.000 ms");
        m_position->setMinimumWidth(QFontMetrics(text).horizontalAdvance(widest) + 12);
        m_slider->setMinimumWidth(160);
        for (const char* name :
            { "eventsDock", "allocationsDock", "budgetDock", "reclaimDock", "recordingCheckDock", "liveDock" })
            if (auto* d = findChild<QDockWidget*>(QLatin1String(name)))
                d->hide();
        m_timelinePlot->hide();
        m_offeredView->setHelpVisible(false);
        m_offeredView->tabs()->setCurrentIndex(0);
        for (int column : { OfferedListModel::OfferedAt, OfferedListModel::Segment, OfferedListModel::Status })
            m_offeredView->table(0)->setColumnHidden(column, true);
        auto* lesson = findChild<QDockWidget*>(QStringLiteral("lessonDock"));
        auto* offered = findChild<QDockWidget*>(QStringLiteral("offeredDock"));
        if (lesson != nullptr && offered != nullptr) {
            offered->show();
            lesson->show();
            QTimer::singleShot(0, this, [this, lesson, offered] {
                resizeDocks({ lesson, offered }, { width() * 3 / 10, width() * 7 / 20 }, Qt::Horizontal);
            });
        }
        statusBar()->showMessage(tr("Classroom mode: F8 goes back."), 5000);
    } else {
        QApplication::setFont(m_normalFont);
        m_narration->setFont(QFont());
        m_position->setMinimumWidth(170);
        m_slider->setMinimumWidth(260);
        m_timelinePlot->show();
        m_offeredView->setHelpVisible(true);
        for (int column : { OfferedListModel::OfferedAt, OfferedListModel::Segment, OfferedListModel::Status })
            m_offeredView->table(0)->setColumnHidden(column, false);
        restoreState(m_normalLayout);
    }
    m_fitColumns = true;
    refreshNow();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), m_classroom ? m_normalLayout : saveState());
    settings.setValue(QStringLiteral("play/interval"), m_playTimer->interval());
    QMainWindow::closeEvent(event);
}

bool MainWindow::openFile(const QString& path, bool quiet, QString* errorOut)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("etl") || suffix == QLatin1String("xml")) {
        openRecording(path, quiet);
        return true;
    }
    setPlaying(false);
    QString error;
    if (!m_document->open(path, &error)) {
        if (!quiet)
            QMessageBox::warning(this, tr("Open scenario"), error);
        statusBar()->showMessage(error);
        if (errorOut != nullptr)
            *errorOut = error;
        return false;
    }
    addRecent(path);
    statusBar()->showMessage(tr("Opened %1 (%2 steps). Space plays, → steps, ← steps back.")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(m_document->stepCount()),
        8000);
    refreshNow();
    return true;
}

void MainWindow::openRecording(const QString& path, bool quiet)
{
    setPlaying(false);
    struct Imported {
        std::unique_ptr<trace::RecordingWorld> world;
        std::string error;
    };
    const QPointer<MainWindow> self(this);
    m_worker->request<Imported>(
        QStringLiteral("import recording"),
        [file = path.toStdString()](const JobControl& control) {
            Imported out;
            trace::ImportProgress progress;
            progress.report = [&control](double fraction) {
                control.progress(static_cast<int>(fraction * 90), tr("Reading the recording…"));
            };
            progress.cancelled = [&control] { return control.cancelled(); };
            Result<trace::Recording> read = trace::readRecording(file, progress);
            if (!read) {
                out.error = read.message();
                return out;
            }
            control.progress(92, tr("Building its timeline…"));
            out.world = std::make_unique<trace::RecordingWorld>(read.take());
            return out;
        },
        [self, path, quiet](Imported imported) {
            if (!self)
                return;
            if (!imported.world) {
                const QString error = QString::fromStdString(imported.error);
                if (!quiet && !self->m_quiet)
                    QMessageBox::warning(self, tr("Open recording"), error);
                self->statusBar()->showMessage(error);
                return;
            }
            self->closeRecording();
            const trace::RecordingWorld& world = *imported.world;
            QString words
                = tr("Recording %1: %2 events over %3 ms. ")
                      .arg(QFileInfo(path).fileName())
                      .arg(world.recording().events.size())
                      .arg(world.timeline().empty()              ? 0
                              : world.recording().events.empty() ? 0
                                                                 : world.recording().events.back().timeUs / 1000);
            std::uint64_t untied = 0;
            for (const auto& [kind, n] : world.ties().untied)
                untied += n;
            words += untied == 0
                ? tr("Every offer, discard and reclaim names an allocation it described.")
                : tr("%1 events name allocations it never described: their size and owner are unknown.").arg(untied);
            if (!world.recording().stopped.ok())
                words += QStringLiteral(" ") + QString::fromStdString(world.recording().stopped.message());
            self->m_recordingWorld = imported.world.get();
            self->m_document->addWorld(std::move(imported.world));
            self->addRecent(path);
            self->statusBar()->showMessage(words, 12000);
            self->refreshNow();
            if (self->m_checkOnOpen)
                self->checkRecording();
        });
}

void MainWindow::closeRecording()
{
    if (m_recordingWorld == nullptr)
        return;
    m_worker->cancel(QStringLiteral("import recording"));
    m_worker->cancel(QStringLiteral("check recording"));
    m_worker->waitForIdle(); // a check under way reads the recording
    if (auto* old = findChild<QDockWidget*>(QStringLiteral("recordingCheckDock")))
        delete old;
    closeBeside(); // its world replays the recording
    m_document->closeWorld(m_recordingWorld);
    m_recordingWorld = nullptr;
    refreshNow();
}

void MainWindow::checkRecording()
{
    if (m_recordingWorld == nullptr) {
        statusBar()->showMessage(tr("Open a recording first (File → Open recording…)."), 5000);
        return;
    }
    const trace::RecordingWorld* world = m_recordingWorld;
    const QPointer<MainWindow> self(this);
    struct Checked {
        trace::TraceCheck check;
        std::unique_ptr<trace::ReplayWorld> model; ///< the best-fitting setting's replay, to show beside
    };
    // The check reads only what the recording holds, never its position: the views may travel meanwhile.
    m_worker->request<std::shared_ptr<Checked>>(
        QStringLiteral("check recording"),
        [world](const JobControl& control) {
            auto out = std::make_shared<Checked>();
            // The check (five replays) is most of the work; the model's world beside it one more.
            trace::ImportProgress progress;
            progress.cancelled = [&control] { return control.cancelled(); };
            progress.report = [&control](double fraction) {
                control.progress(static_cast<int>(fraction * 80), tr("Replaying the recording on the model…"));
            };
            out->check = trace::checkTrace(*world, progress);
            if (!out->check.possible || control.cancelled())
                return out;
            progress.report = [&control](double fraction) {
                control.progress(
                    80 + static_cast<int>(fraction * 20), tr("Replaying it once more to show the model beside it…"));
            };
            const trace::CheckRun& best = out->check.runs[out->check.best];
            out->model = std::make_unique<trace::ReplayWorld>(*world, best.policy, best.label, progress);
            if (control.cancelled())
                out->model.reset();
            return out;
        },
        [self, world](std::shared_ptr<Checked> checked) {
            if (!self || self->m_recordingWorld != world)
                return;
            self->showRecordingCheck(checked->check);
            if (checked->model)
                self->showModelBeside(std::move(checked->model), checked->check);
        });
}

QString MainWindow::linkMoments(const QString& text)
{
    // A divergence starts with its moment: "  36.000 ms: ...". It links to that step.
    static const QRegularExpression moment(QStringLiteral("^(\\s*)([0-9]+\\.[0-9]{3}) ms(?=:)"));
    QString html;
    const QStringList lines = text.toHtmlEscaped().split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        const QRegularExpressionMatch m = moment.match(line);
        if (m.hasMatch()) {
            const auto us = static_cast<qulonglong>(m.captured(2).toDouble() * 1000.0 + 0.5);
            html += m.captured(1) + QStringLiteral("<a href=\"time:%1\">%2 ms</a>").arg(us).arg(m.captured(2))
                + line.mid(m.capturedLength());
        } else {
            html += line;
        }
        if (i + 1 < lines.size())
            html += QLatin1Char('\n');
    }
    return html;
}

void MainWindow::goToMoment(const QString& link)
{
    // "time:36000": the step of that moment of the recording.
    const QUrl url(link);
    if (url.scheme() == QLatin1String("step") && m_besideLeader != nullptr) {
        // "step:4": the world the pane beside follows, after that step.
        m_document->showWorld(m_besideLeader);
        m_document->seek(url.path().toULongLong());
        return;
    }
    if (m_recordingWorld == nullptr || url.scheme() != QLatin1String("time"))
        return;
    if (m_document->world() != m_recordingWorld)
        m_document->showWorld(m_recordingWorld);
    m_document->seek(m_recordingWorld->positionAt(url.path().toULongLong()) + 1);
}

void MainWindow::showModelBeside(std::unique_ptr<trace::ReplayWorld> model, const trace::TraceCheck& check)
{
    closeBeside();
    const trace::CheckRun& run = check.runs[check.best];
    const trace::ReplayWorld* replay = model.get();
    m_beside = new BesidePane(std::move(model), this);
    m_besideLeader = m_recordingWorld;
    QString header = tr("<b>The model</b> under <i>%1</i>%2: %3 % agreement. It replays what the recording's "
                        "applications did and decides VidMm's part (discards, evictions) itself.")
                         .arg(QString::fromStdString(run.label).toHtmlEscaped(),
                             check.best == 0 ? QString() : tr(" (the setting that fits best)"))
                         .arg(100.0 * run.agreement(), 0, 'f', 1);
    if (!run.divergences.empty())
        header += tr(" First divergence: %1").arg(linkMoments(QString::fromStdString(run.divergences.front())));
    else
        header += tr(" No divergence: the model did what VidMm did.");
    m_beside->setHeader(header);
    m_beside->setOrderNote(tr("The model's discard order: LOW, then NORMAL, then HIGH; within a level %1.")
                               .arg(QString::fromUtf8(sim::withinPriorityOrderName(run.policy.withinPriorityOrder))));
    connect(m_beside, &BesidePane::linkActivated, this, &MainWindow::goToMoment);
    connect(m_beside, &BesidePane::allocationSelected, this, [this, replay](std::uint32_t handle) {
        // The model's allocation is the recorded one of the same name: select that in the window.
        if (const auto recorded = replay->recordedOf(handle))
            selectAllocation(trace::RecordingWorld::handleOfAllocation(*recorded), m_beside);
    });
    dockBeside(tr("The model beside the recording"));
    m_beside->follow(m_document->world() == m_recordingWorld ? m_document->position() : 0);
}

void MainWindow::dockBeside(const QString& title)
{
    // A row of its own under the window's views, in front of the event log's tabs, 2/5 of the height.
    QDockWidget* d = dock(this, title, QStringLiteral("besideDock"), m_beside);
    addDockWidget(Qt::BottomDockWidgetArea, d);
    if (auto* events = findChild<QDockWidget*>(QStringLiteral("eventsDock")))
        tabifyDockWidget(events, d);
    d->show();
    d->raise();
    QTimer::singleShot(0, d, [this, d] { resizeDocks({ d }, { height() * 2 / 5 }, Qt::Vertical); });
}

void MainWindow::closeBeside()
{
    m_timelinePlot->setDivergence(-1);
    m_besideLeader = nullptr;
    m_whatIf.clear();
    if (m_beside == nullptr)
        return;
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("besideDock")))
        delete d; // and the pane with the model's world in it
    m_beside = nullptr;
}

void MainWindow::showPractice()
{
    auto* d = findChild<QDockWidget*>(QStringLiteral("practiceDock"));
    if (d == nullptr) {
        m_practice = new PracticeSession(this);
        m_practice->start(static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch() % 100000) + 1, 1);
        auto* view = new PracticeView(m_practice, this);
        connect(view, &PracticeView::showStateRequested, this, [this] {
            // The exercise's steps in the session, up to the one asked about: one step shows the answer.
            const practice::Exercise& x = m_practice->exercise();
            setPlaying(false);
            m_document->load(x.scenario);
            m_document->seek(x.scenario.steps.size() - 1);
            statusBar()->showMessage(tr("Practice exercise %1: the state before the step it asks about. Step once "
                                        "(→) to see what the engine does.")
                                         .arg(x.seed),
                10000);
        });
        d = dock(this, tr("Practice"), QStringLiteral("practiceDock"), view);
        addDockWidget(Qt::RightDockWidgetArea, d);
        if (auto* reclaims = findChild<QDockWidget*>(QStringLiteral("reclaimDock")))
            tabifyDockWidget(reclaims, d);
        m_viewMenu->insertAction(m_viewMenu->actions().value(0), d->toggleViewAction());
    }
    d->show();
    d->raise();
}

void MainWindow::openBudgetCurve(const QString& path, bool quiet)
{
    struct Swept {
        replay::BudgetCurve curve;
        std::string error;
    };
    const QPointer<MainWindow> self(this);
    m_worker->request<std::shared_ptr<Swept>>(
        QStringLiteral("budget curve"),
        [file = path.toStdString()](const JobControl& control) {
            auto out = std::make_shared<Swept>();
            control.progress(2, tr("Reading the access trace…"));
            Result<replay::AccessTrace> read = replay::readAccessTrace(file);
            if (!read) {
                out->error = read.message();
                return out;
            }
            const replay::AccessTrace trace = read.take();
            replay::SweepProgress progress;
            progress.report = [&control](std::size_t done, std::size_t total) {
                control.progress(5 + static_cast<int>(95 * done / std::max<std::size_t>(total, 1)),
                    tr("Replaying at %1 of %2 budgets…").arg(done).arg(total));
            };
            progress.cancelled = [&control] { return control.cancelled(); };
            Result<replay::BudgetCurve> swept
                = replay::sweepBudgets(trace, replay::defaultBudgets(trace), {}, 0, progress);
            if (!swept)
                out->error = file + ": " + swept.message();
            else
                out->curve = swept.take();
            return out;
        },
        [self, path, quiet](std::shared_ptr<Swept> swept) {
            if (!self)
                return;
            if (!swept->error.empty()) {
                const QString error = QString::fromStdString(swept->error);
                if (!quiet && !self->m_quiet)
                    QMessageBox::warning(self, tr("Budget curve"), error);
                self->statusBar()->showMessage(error);
                return;
            }
            if (self->m_budgetCurve == nullptr) {
                self->m_budgetCurve = new BudgetCurveModel(self);
                auto* view = new BudgetCurveView(self->m_budgetCurve, self);
                QDockWidget* d = dock(self, tr("Budget curve"), QStringLiteral("budgetCurveDock"), view);
                self->addDockWidget(Qt::BottomDockWidgetArea, d);
                if (auto* events = self->findChild<QDockWidget*>(QStringLiteral("eventsDock")))
                    self->tabifyDockWidget(events, d);
                self->m_viewMenu->insertAction(self->m_viewMenu->actions().value(0), d->toggleViewAction());
            }
            self->m_budgetCurve->setCurve(swept->curve, QFileInfo(path).fileName());
            if (auto* d = self->findChild<QDockWidget*>(QStringLiteral("budgetCurveDock"))) {
                d->show();
                d->raise();
            }
            const auto knee = self->m_budgetCurve->kneeRow();
            self->statusBar()->showMessage(knee
                    ? tr("Budget curve of %1: the knee is at %2.")
                          .arg(QFileInfo(path).fileName(),
                              bytesText(swept->curve.points[static_cast<std::size_t>(*knee)].budget))
                    : tr("Budget curve of %1: no knee.").arg(QFileInfo(path).fileName()),
                10000);
        });
}

bool MainWindow::openWhatIf(const QString& setting, QString* error)
{
    world::World* leader = m_document->world();
    const auto refuse = [&](const QString& why) {
        if (error != nullptr)
            *error = why;
        tell(tr("What if"), why);
        return false;
    };
    if (leader == nullptr || leader->info().kind != world::WorldKind::Simulator || !leader->info().canAct)
        return refuse(tr("A what-if runs the simulator's steps once more: show the simulator's session first."));
    scenario::Scenario changed = leader->scenario();
    if (const Status applied = scenario::applySetting(changed, setting.toStdString()); !applied.ok())
        return refuse(QString::fromStdString(applied.message()));
    const std::size_t position = m_document->position();
    closeBeside();
    m_beside = new BesidePane(std::make_unique<session::Session>(changed), this);
    m_besideLeader = leader;
    m_whatIf = setting;
    m_beside->setHeader(tr("<b>What if %1?</b> The same steps, run once more with that changed. Comparing the two "
                           "runs…")
                            .arg(setting.toHtmlEscaped()));
    connect(m_beside, &BesidePane::linkActivated, this, &MainWindow::goToMoment);
    connect(m_beside, &BesidePane::allocationSelected, this, [this](std::uint32_t handle) {
        // Both runs create the same allocations in the same order: the handle is the same one.
        selectAllocation(handle, m_beside);
    });
    dockBeside(tr("What if %1").arg(setting));
    m_beside->follow(position);

    struct Compared {
        scenario::Comparison comparison;
        QString text;
        QString firstLines; ///< where they part, and both sides there
    };
    const QPointer<BesidePane> pane(m_beside);
    m_worker->request<std::shared_ptr<Compared>>(
        QStringLiteral("compare what-if"),
        [a = leader->scenario(), b = std::move(changed), key = setting.toStdString()](const JobControl& control) {
            control.progress(10, tr("Running both to the end…"));
            scenario::ScenarioRunner runA(a), runB(b);
            runA.runAll();
            runB.runAll();
            auto out = std::make_shared<Compared>();
            out->comparison = scenario::compareRuns(runA, runB);
            out->text = QString::fromStdString(scenario::formatComparison(runA, runB, out->comparison, { key }));
            // The account's paragraph on where they part: its first line and the two sides.
            const QStringList lines = out->text.split(QLatin1Char('\n'));
            for (qsizetype i = 0; i < lines.size(); ++i)
                if (lines[i].startsWith(QStringLiteral("The runs part ways"))) {
                    out->firstLines = lines[i];
                    // "A: ..." is this run, "B: ..." the what-if.
                    for (qsizetype k = i + 1; k < lines.size() && lines[k].startsWith(QStringLiteral("  ")); ++k) {
                        QString side = lines[k].trimmed();
                        if (side.startsWith(QStringLiteral("A: ")))
                            side = tr("This run: %1").arg(side.mid(3));
                        else if (side.startsWith(QStringLiteral("B: ")))
                            side = tr("What if: %1").arg(side.mid(3));
                        out->firstLines += QLatin1Char('\n') + side;
                    }
                    break;
                }
            return out;
        },
        [self = QPointer<MainWindow>(this), pane, setting](std::shared_ptr<Compared> compared) {
            if (!self || !pane || self->m_beside != pane)
                return;
            const scenario::Comparison& c = compared->comparison;
            QString header = tr("<b>What if %1?</b> ").arg(setting.toHtmlEscaped());
            if (c.identical) {
                header += tr("Nothing changes: every event, status and reclaim result is the same as in this run.");
                self->m_timelinePlot->setDivergence(-1);
            } else {
                const QString step = QString::number(c.stepOfDifference + 1);
                QString words = compared->firstLines.toHtmlEscaped();
                words.replace(
                    QStringLiteral("at step ") + step, QStringLiteral("at <a href=\"step:%1\">step %1</a>").arg(step));
                words.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
                header += words;
                if (!c.results.empty())
                    header += tr("<br>Reclaim results that differ: %1, the first at step %2 ('%3': here %4, there %5).")
                                  .arg(c.results.size())
                                  .arg(c.results.front().step + 1)
                                  .arg(QString::fromStdString(c.results.front().name).toHtmlEscaped(),
                                      QString::fromStdString(c.results.front().a),
                                      QString::fromStdString(c.results.front().b));
                self->m_timelinePlot->setDivergence(
                    static_cast<double>(c.stepOfDifference + 1), tr("what-if parts here"));
            }
            pane->setHeader(header);
        });
    return true;
}

void MainWindow::showRecordingCheck(const trace::TraceCheck& check)
{
    auto* view = findChild<QTextBrowser*>(QStringLiteral("recordingCheck"));
    if (view == nullptr) {
        view = new QTextBrowser(this);
        view->setObjectName(QStringLiteral("recordingCheck"));
        view->setOpenLinks(false);
        connect(view, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) { goToMoment(url.toString()); });
        QDockWidget* d = dock(this, tr("Model vs recording"), QStringLiteral("recordingCheckDock"), view);
        addDockWidget(Qt::BottomDockWidgetArea, d);
        if (auto* events = findChild<QDockWidget*>(QStringLiteral("eventsDock")))
            tabifyDockWidget(events, d);
    }
    const QString html = linkMoments(QString::fromStdString(trace::formatTraceCheck(check, *m_recordingWorld)));
    view->setHtml(QStringLiteral("<pre style=\"font-family:'%1'\">%2</pre>")
                      .arg(QFontDatabase::systemFont(QFontDatabase::FixedFont).family(), html));
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("recordingCheckDock"))) {
        d->show();
        d->raise();
    }
    statusBar()->showMessage(check.possible
            ? tr("The model against the recording: %1 % agreement with its defaults; "
                 "click a divergence to go to its moment.")
                  .arg(100.0 * check.runs.front().agreement(), 0, 'f', 1)
            : tr("The recording cannot be checked: %1").arg(QString::fromStdString(check.whyNot)),
        10000);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString full = QFileInfo(path).absoluteFilePath();
    recent.removeAll(full);
    recent.prepend(full);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFile(path); })->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::setPlaying(bool playing)
{
    if (playing && m_document->hasSession() && m_document->world()->atEnd())
        playing = false;
    if (playing)
        m_playTimer->start();
    else
        m_playTimer->stop();
    m_playAction->setChecked(playing);
    m_playAction->setIconText(playing ? tr("Pause") : tr("Play"));
    m_playAction->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playAction->setText(playing ? tr("&Pause") : tr("&Play"));
}

void MainWindow::stepForward()
{
    if (!m_document->stepForward())
        setPlaying(false);
}

void MainWindow::scheduleRefresh()
{
    if (!m_refreshTimer->isActive())
        m_refreshTimer->start();
}

void MainWindow::refreshNow(const std::function<void(const models::Refreshable*)>& afterView)
{
    m_refreshTimer->stop();
    const bool followLog = !m_eventTable->currentIndex().isValid();
    m_document->refreshViews(afterView);
    if (m_beside != nullptr && m_document->world() == m_besideLeader) {
        // Both have the same steps: the pane goes to the same position. An action taken since (a step
        // added or replaced) changed the leader's steps: a what-if is made again from them.
        if (!m_whatIf.isEmpty()
            && m_besideLeader->scenario().steps.size() != m_beside->world()->scenario().steps.size()) {
            const QString setting = m_whatIf;
            const bool quiet = std::exchange(m_quiet, true);
            QString why;
            if (!openWhatIf(setting, &why)) {
                closeBeside();
                statusBar()->showMessage(tr("The what-if is closed: %1").arg(why), 8000);
            }
            m_quiet = quiet;
        } else
            m_beside->follow(m_document->position());
    }
    if (followLog && m_document->hasSession()) {
        // Nothing picked in the log: it follows the run, and the call view shows the last step's call.
        m_eventTable->scrollToBottom();
        const std::uint64_t show = m_document->lastCallEvent();
        if (show != 0)
            m_callView->showCallOf(show);
        else if (m_callView->shownEvent() > m_document->eventLog().lastSeq())
            m_callView->showNothing();
    } else if (m_callView->shownEvent() != 0) {
        m_callView->showCallOf(m_callView->shownEvent());
    }
    for (TableView* table : { m_allocationTable, m_eventTable, m_reclaimTable, m_budgetTable, m_offeredView->table(0),
             m_offeredView->table(1), m_offeredView->table(2), m_offeredView->table(3), m_offeredView->table(4) }) {
        if (m_fitColumns)
            table->resetFit();
        table->fitColumnsAsItGrows();
        // A short table's figures change in place ("0 B" becomes "256 MiB"): its columns follow them.
        if (table->model()->rowCount() <= kFitEveryRefreshRows)
            table->fitColumns(220, true);
        table->layOutNow(); // painted once, laid out (the plots drew their buffers above)
    }
    m_fitColumns = false;
    updateTitleAndControls();
    // The work the world left for an idle moment (a time-travel checkpoint), once the frame is
    // on screen: the paint this refresh asked for is a low-priority posted event, and this one is
    // posted after it with the same priority.
    if (m_document->hasSession() && m_document->world()->idleWorkDue())
        QCoreApplication::postEvent(this, new QEvent(kIdleCheckpointEvent), Qt::LowEventPriority);
}

bool MainWindow::event(QEvent* event)
{
    if (event->type() == kIdleCheckpointEvent) {
        m_document->doIdleWork();
        return true;
    }
    return QMainWindow::event(event);
}

void MainWindow::updateTitleAndControls()
{
    const bool has = m_document->hasSession();
    for (QAction* a : m_sessionActions)
        a->setEnabled(has);
    if (!has) {
        setWindowTitle(QStringLiteral("OfferScope"));
        m_slider->setEnabled(false);
        m_position->setText(tr("no scenario open"));
        return;
    }
    const world::World& w = *m_document->world();
    setWindowTitle(QStringLiteral("%1 — OfferScope").arg(m_document->title()));
    {
        const QSignalBlocker block(m_slider);
        m_slider->setEnabled(true);
        m_slider->setRange(0, static_cast<int>(w.stepCount()));
        m_slider->setValue(static_cast<int>(w.position()));
    }
    m_position->setText(tr("step %1 / %2 · %3").arg(w.position()).arg(w.stepCount()).arg(timeText(w.now())));
    m_position->setToolTip(QString::fromStdString(w.info().clockName));
    // A world that cannot undo what it did (a live source) has no way back.
    m_backAction->setEnabled(w.position() > 0 && w.info().canStepBack);
    m_startAction->setEnabled(w.position() > 0 && w.info().canStepBack);
    m_stepAction->setEnabled(!w.atEnd());
    m_endAction->setEnabled(!w.atEnd());
    for (QAction* a : m_worldActions)
        a->setEnabled(w.info().canAct);
}

void MainWindow::refreshFilterChoices()
{
    const QSignalBlocker b1(m_filterProcess), b2(m_filterSegment);
    m_filterProcess->clear();
    m_filterSegment->clear();
    m_filterProcess->addItem(tr("Any process"));
    m_filterSegment->addItem(tr("Any segment"));
    m_allocationFilter->setProcess(std::nullopt);
    m_allocationFilter->setSegment(std::nullopt);
    if (!m_document->hasSession())
        return;
    for (const world::ProcessRow& p : m_document->world()->processes())
        m_filterProcess->addItem(QString::fromStdString(p.name), p.process);
    const auto& segments = m_document->adapterConfig().segments;
    for (std::uint32_t i = 0; i < segments.size(); ++i)
        m_filterSegment->addItem(QString::fromStdString(segments[i].name), i);
}

void MainWindow::selectAllocation(std::uint32_t handle, QObject* from)
{
    if (m_selecting || handle == 0)
        return;
    m_selecting = true;
    if (from != m_allocationTable) {
        const int row = m_allocations->rowOf(handle);
        const QModelIndex index
            = row < 0 ? QModelIndex() : m_allocationFilter->mapFromSource(m_allocations->index(row, 0));
        if (index.isValid()) {
            m_allocationTable->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_allocationTable->scrollTo(index);
        } else {
            m_allocationTable->clearSelection();
        }
    }
    if (from != m_offeredView)
        m_offeredView->selectAllocation(handle);
    if (from != m_reclaimTable)
        m_reclaimTable->selectRowWhere(HandleRole, handle, true);
    if (from != m_eventTable && m_eventTable->selectRowWhere(HandleRole, handle, true))
        m_callView->showCallOf(m_eventTable->currentIndex().data(SeqRole).toULongLong());
    if (m_beside != nullptr && from != m_beside && m_document->world() == m_recordingWorld) {
        // The same recorded allocation in the model beside, where the model holds it.
        const auto* replay = static_cast<const trace::ReplayWorld*>(m_beside->world());
        const auto recorded = trace::RecordingWorld::allocationOfHandle(handle);
        const D3DKMT_HANDLE inModel = recorded ? replay->modelHandleOf(*recorded) : 0;
        if (inModel == 0 || !m_beside->offeredView()->selectAllocation(inModel))
            m_beside->offeredView()->table(m_beside->offeredView()->tabs()->currentIndex())->clearSelection();
        m_beside->reclaimTable()->selectRowWhere(HandleRole, inModel, true);
    }
    if (const sim::AllocationSummary* a = m_document->allocations().find(handle)) {
        m_usagePlot->highlightSegment(a->segment);
        m_timelinePlot->setSegment(a->segment);
        statusBar()->showMessage(tr("%1: %2, %3 in %4")
                                     .arg(m_document->allocationName(*a), stateText(a->state), bytesText(a->size),
                                         m_document->segmentName(a->segment)));
    }
    m_selecting = false;
}

void MainWindow::selectEvent(std::uint64_t seq, QObject* from)
{
    if (m_selecting || seq == 0)
        return;
    m_selecting = true;
    m_callView->showCallOf(seq);
    if (from != m_eventTable) {
        const int row = m_events->rowOfSeq(seq);
        if (row >= 0) {
            const QModelIndex index = m_events->index(row, 0);
            m_eventTable->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_eventTable->scrollTo(index);
            // Bring the log forward when the request came from elsewhere (a "content lost by" link).
            if (auto* d = qobject_cast<QDockWidget*>(m_eventTable->parentWidget()->parentWidget()))
                d->raise();
        }
    }
    if (from != m_reclaimTable)
        m_reclaimTable->selectRowWhere(SeqRole, QVariant::fromValue(quint64(seq)));
    if (const events::Event* e = m_document->eventLog().bySeq(seq)) {
        const long step = m_document->stepOfEvent(seq);
        m_timelinePlot->markStep(step < 0 ? 0.0 : static_cast<double>(step + 1));
        m_selecting = false;
        // The event stays selected in the log: the allocation is shown everywhere else.
        if (e->allocations.size() == 1)
            selectAllocation(e->allocations.front(), m_eventTable);
        return;
    }
    m_selecting = false;
}

std::vector<std::uint32_t> MainWindow::selectedAllocations() const
{
    std::vector<std::uint32_t> out;
    // The allocations table first; else the offered list shown.
    QWidget* focus = QApplication::focusWidget();
    const bool offeredFocus = focus != nullptr && m_offeredView->isAncestorOf(focus);
    if (!offeredFocus) {
        for (const QModelIndex& index : m_allocationTable->selectionModel()->selectedRows())
            out.push_back(index.data(HandleRole).toUInt());
    }
    if (out.empty()) {
        TableView* table = m_offeredView->table(m_offeredView->tabs()->currentIndex());
        for (const QModelIndex& index : table->selectionModel()->selectedRows())
            out.push_back(index.data(HandleRole).toUInt());
    }
    return out;
}

std::vector<std::string> MainWindow::selectedNames(const QString& action)
{
    std::vector<std::string> names;
    const auto handles = selectedAllocations();
    if (handles.empty()) {
        tell(action, tr("Select one or more allocations first (Allocations table or an offered list)."));
        return names;
    }
    // The handles are the shown world's: it names them, and its steps act on those names.
    for (std::uint32_t h : handles) {
        const std::string name = m_document->world()->stepName(h);
        if (name.empty()) {
            tell(action,
                tr("%1 was not created by the scenario (it is another process' pressure), so the session cannot "
                   "name it in a step.")
                    .arg(handleText(h)));
            return {};
        }
        names.push_back(name);
    }
    return names;
}

void MainWindow::runForEachSelected(scenario::StepKind kind, const QString& action)
{
    // D3DKMTLock2 and D3DKMTUnlock2 take one allocation: one step for each, stopping at the first that fails.
    for (const std::string& name : selectedNames(action)) {
        scenario::Step step;
        step.kind = kind;
        step.name = name;
        step.names = { name };
        if (!runAction(step))
            break;
    }
}

void MainWindow::tell(const QString& title, const QString& text)
{
    statusBar()->showMessage(text, 8000);
    if (!m_quiet)
        QMessageBox::information(this, title, text);
}

bool MainWindow::runAction(const scenario::Step& step)
{
    setPlaying(false);
    const scenario::StepOutcome& outcome = m_document->apply(step);
    const bool failed = outcome.call && !ntSuccess(outcome.status);
    if (failed) {
        const QString status = models::toQString(ntStatusName(outcome.status));
        statusBar()->showMessage(tr("%1: %2").arg(status, QString::fromStdString(outcome.status.message())), 15000);
        if (!m_quiet)
            QMessageBox::warning(this, tr("The call failed"),
                tr("<p>Windows would return <b>%1</b>.</p><p>%2</p><p>Nothing else changed.</p>")
                    .arg(status, QString::fromStdString(outcome.status.message()).toHtmlEscaped()));
    } else {
        QString text = outcome.call ? models::toQString(ntStatusName(outcome.status)) : tr("done");
        for (const auto& [name, result] : outcome.results)
            text += QStringLiteral(" · %1: %2").arg(QString::fromStdString(name), resultText(result));
        statusBar()->showMessage(text, 15000);
    }
    return !failed;
}

QString MainWindow::viewReport() const
{
    QString out;
    out += QStringLiteral("position=%1/%2\n").arg(m_document->position()).arg(m_document->stepCount());
    out += QStringLiteral("allocations=%1\n").arg(m_allocationTable->model()->rowCount());
    out += QStringLiteral("events=%1\n").arg(m_eventTable->model()->rowCount());
    out += QStringLiteral("reclaims=%1\n").arg(m_reclaimTable->model()->rowCount());
    for (const auto* m : m_offered)
        out += QStringLiteral("offered.%1=%2\n")
                   .arg(m->isQueue() ? QStringLiteral("queue") : priorityText(m->priority()))
                   .arg(m->rowCount());
    for (int r = 0; r < m_reclaims->rowCount(); ++r)
        out += QStringLiteral("reclaim.%1=%2\n")
                   .arg(m_reclaims->index(r, ReclaimResultsModel::Allocation).data().toString(),
                       m_reclaims->index(r, ReclaimResultsModel::Result).data().toString());
    return out;
}

} // namespace offerscope::app
