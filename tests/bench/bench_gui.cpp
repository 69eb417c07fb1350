// SPDX-License-Identifier: GPL-3.0-or-later
// GUI benchmark: the real main window (MainWindow, its default layout, every model and view it
// registers with the document) over a session with 100,000 live allocations. The goals: one simulation step
// plus the refresh of every view within a 60 Hz frame (16 ms), a jump to any point of the timeline within 100 ms,
// models updated in place (no reset per step) and at most one replot per plot per tick. Prints figures; the exit code
// is nonzero only when a view disagrees with the simulator (a broken build, not a slow one).
//
//   offerscope-bench-gui [--resources N] [--per-resource N] [--steps N] [--jumps N] [--seed N]
//                        [--sort COLUMN]   (of the allocations table, largest first; default 4: size)
//   offerscope-bench-gui --callgrind-frames N   the set-up, then N frames (step + tick) inside
//                        callgrindFrames() and nothing else: scripts/callgrind-check.sh counts the
//                        instructions of a frame at 100,000 allocations there
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise. BENCH_TRACE=1 prints the
// parts of every step and jump, to find which ones miss the goals.
#include "app/gui/MainWindow.h"
#include "core/Units.h"
#include "core/scenario/Scenario.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/session/Session.h"
#include "tests/bench/ProcessMemory.h"
#include "widgets/models/AllocationFilterModel.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"
#include "widgets/views/CallView.h"
#include "widgets/views/NarrationView.h"
#include "widgets/views/OfferedListsView.h"
#include "widgets/views/ReclaimChart.h"
#include "widgets/views/TableView.h"
#include "widgets/views/TimelinePlot.h"
#include "widgets/views/UsageBarsPlot.h"

#include <benchmark/benchmark.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <QAbstractEventDispatcher>
#include <QAbstractItemView>
#include <QApplication>
#include <QGridLayout>
#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QWidget>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <qcustomplot.h>
#include <random>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace offerscope::bench {

namespace {

using Clock = std::chrono::steady_clock;
using scenario::Step;
using scenario::StepKind;
using session::Session;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

constexpr double kFrameGoalMs = 16.0;
constexpr double kJumpGoalMs = 100.0;

struct Shape {
    int resources = 1000;
    int perResource = 100; ///< allocations per resource (Step::count, at most 1024)
    int steps = 240; ///< steps after the set-up
    int jumps = 50;
    int stepBacks = 20;
    int sortColumn = models::AllocationsModel::Size; ///< of the allocations table (largest first)
    unsigned seed = 20261125;
    int callgrindFrames = 0; ///< > 0: run only the set-up and that many frames (callgrindFrames())
};

// ---- The scenario --------------------------------------------------------------------------------

std::string resourceName(int r)
{
    char name[16];
    std::snprintf(name, sizeof name, "r%04d", r);
    return name;
}

/// The world and the set-up: a large adapter, the application with a large budget, two processes
/// that put pressure on it, and every resource created.
/// Bytes of the 100,000-allocation scenario (1000 resources), scaled with the resources: the segments,
/// budgets and pressure grow with the allocations, so every size sees the same pressure.
std::uint64_t scaled(std::uint64_t bytes, int resources)
{
    return bytes * static_cast<std::uint64_t>(resources) / 1000; // exact for 1000 resources
}

scenario::Scenario worldAndSetUp(const Shape& shape)
{
    scenario::Scenario s;
    s.title = "GUI benchmark: " + std::to_string(shape.resources * shape.perResource) + " allocations";
    s.description = "A large application under pressure from a browser and a video player.";
    s.adapter.name = "Benchmark GPU";
    s.adapter.segments = {
        { "VRAM", scaled(64 * kGiB, shape.resources), MemorySegmentGroup::Local, false },
        { "Aperture", scaled(32 * kGiB, shape.resources), MemorySegmentGroup::NonLocal, true },
    };
    scenario::ProcessSpec app;
    app.name = "App";
    app.budget[0] = scaled(60 * kGiB, shape.resources);
    app.budget[1] = scaled(28 * kGiB, shape.resources);
    app.devices = { { "appDevice", { "appQueue" } } };
    scenario::ProcessSpec browser;
    browser.name = "Browser";
    browser.budget[0] = scaled(16 * kGiB, shape.resources);
    browser.devices = { { "browserDevice", {} } };
    scenario::ProcessSpec video;
    video.name = "Video";
    video.budget[0] = scaled(4 * kGiB, shape.resources);
    video.budget[1] = scaled(8 * kGiB, shape.resources);
    video.devices = { { "videoDevice", {} } };
    s.processes = { app, browser, video };

    Step say;
    say.kind = StepKind::Say;
    say.text = "The application loads its assets.";
    s.steps.push_back(say);
    // 193 different sizes from 256 KiB to 1 MiB (640 KiB on average): a table sorted by size then
    // interleaves the allocations of many resources, as real textures do. One resource in five
    // lives in the aperture. Residency priorities vary so that AUTO offers land in every level.
    static constexpr UINT kResidency[]
        = { ResidencyPriority::kNormal, ResidencyPriority::kLow, ResidencyPriority::kHigh, ResidencyPriority::kNormal };
    for (int r = 0; r < shape.resources; ++r) {
        Step create;
        create.kind = StepKind::Create;
        create.name = resourceName(r);
        create.device = "appDevice";
        create.count = static_cast<std::uint32_t>(shape.perResource);
        create.bytes = 256 * kKiB + static_cast<std::uint64_t>((r * 37) % 193) * 4 * kKiB;
        create.segment = r % 5 == 4 ? 1 : 0;
        create.residencyPriority = kResidency[(r / 4) % 4];
        s.steps.push_back(create);
    }
    return s;
}

/// What a resource's allocations are doing, as the step generator sees it.
struct ResourceState {
    bool offered = false; ///< an offer is in effect (offered, pending or discarded)
    bool evicted = false;
    bool busy = false; ///< GPU work pending
};

/// Appends realistic steps after the set-up, choosing their targets from the live state of a run (so
/// that offers, reclaims and GPU work name allocations in the right state, as an application would).
class StepGenerator {
public:
    StepGenerator(const scenario::Scenario& setUp, const Shape& shape)
        : m_runner(setUp)
        , m_shape(shape)
        , m_rng(shape.seed)
        , m_resources(static_cast<std::size_t>(shape.resources))
    {
        m_runner.runAll();
        for (int r = 0; r < shape.resources; ++r)
            m_indexOf[m_runner.handle(resourceName(r))] = r;
    }

    void generate(int count)
    {
        for (int i = 0; i < count; ++i) {
            classify();
            Step step = next();
            m_runner.appendStep(std::move(step));
            m_runner.step();
        }
    }
    const scenario::Scenario& scenario() const { return m_runner.scenario(); }
    const scenario::ScenarioRunner& runner() const { return m_runner; }

private:
    void classify()
    {
        for (ResourceState& r : m_resources)
            r = {};
        m_runner.simulator().allocationSummaries(m_summaries);
        for (const sim::AllocationSummary& a : m_summaries) {
            auto it = m_indexOf.find(a.resource);
            if (it == m_indexOf.end())
                continue;
            ResourceState& r = m_resources[static_cast<std::size_t>(it->second)];
            r.offered = r.offered || a.requestedPriority != OfferPriority::None;
            r.evicted = r.evicted || a.state == sim::AllocationState::Evicted;
            r.busy = r.busy || a.gpuBusy;
        }
    }

    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_rng); }

    /// Up to `count` distinct resources that pass `accept`, at random.
    std::vector<std::string> pick(int count, const std::function<bool(const ResourceState&)>& accept)
    {
        std::vector<int> candidates;
        for (std::size_t r = 0; r < m_resources.size(); ++r)
            if (accept(m_resources[r]))
                candidates.push_back(static_cast<int>(r));
        std::shuffle(candidates.begin(), candidates.end(), m_rng);
        candidates.resize(std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(count)));
        std::sort(candidates.begin(), candidates.end());
        std::vector<std::string> names;
        for (int r : candidates)
            names.push_back(resourceName(r));
        return names;
    }

    Step next()
    {
        Step s;
        const int roll = uniform(0, 99);
        if (roll < 32) {
            // Offer: idle caches, or ones the GPU still uses (those offers wait: pending).
            static constexpr OfferPriority kPriorities[]
                = { OfferPriority::Low, OfferPriority::Low, OfferPriority::Normal, OfferPriority::Normal,
                      OfferPriority::High, OfferPriority::Auto, OfferPriority::Auto };
            s.names = pick(uniform(6, 14), [](const ResourceState& r) { return !r.offered && !r.evicted; });
            s.kind = StepKind::Offer;
            s.priority = kPriorities[uniform(0, 6)];
        } else if (roll < 48) {
            s.names = pick(uniform(2, 8), [](const ResourceState& r) { return r.offered; });
            s.kind = StepKind::Reclaim;
        } else if (roll < 60) {
            // Another process commits: discards offers of the application, lowest level first.
            const bool browser = roll < 57;
            s.kind = StepKind::Pressure;
            s.process = browser ? "Browser" : "Video";
            s.segment = browser ? 0 : 1;
            s.bytes = scaled(static_cast<std::uint64_t>(uniform(1, 6)) * 512 * kMiB, m_shape.resources);
        } else if (roll < 66) {
            // Budgets: the browser goes to the background and back; the application's shrinks and grows.
            s.kind = StepKind::Budget;
            if (roll < 63) {
                s.process = "Browser";
                m_browserBackground = !m_browserBackground;
                s.bytes = scaled(m_browserBackground ? 2 * kGiB : 16 * kGiB, m_shape.resources);
            } else {
                s.process = "App";
                m_appShrunk = !m_appShrunk;
                s.bytes = scaled(m_appShrunk ? 52 * kGiB : 60 * kGiB, m_shape.resources);
            }
        } else if (roll < 78) {
            s.names = pick(uniform(2, 6), [](const ResourceState& r) { return !r.offered && !r.evicted; });
            s.kind = StepKind::Gpu;
            s.microseconds = static_cast<std::uint64_t>(uniform(2, 12)) * 1000;
        } else if (roll < 84) {
            s.names = pick(uniform(2, 10), [](const ResourceState& r) { return r.evicted && !r.offered; });
            s.kind = StepKind::MakeResident;
        } else if (roll < 88) {
            s.names = pick(uniform(4, 12), [](const ResourceState& r) { return !r.offered; });
            s.kind = StepKind::SetPriority;
            static constexpr UINT kResidency[]
                = { ResidencyPriority::kLow, ResidencyPriority::kNormal, ResidencyPriority::kHigh };
            s.residencyPriority = kResidency[uniform(0, 2)];
        } else if (roll < 92) {
            s.kind = StepKind::Say;
            s.text = "Step " + std::to_string(m_runner.nextStep()) + ": the application renders a scene.";
        } else {
            s.kind = StepKind::Advance;
            s.microseconds = static_cast<std::uint64_t>(uniform(1, 16)) * 1000;
        }
        const bool needsNames = s.kind == StepKind::Offer || s.kind == StepKind::Reclaim || s.kind == StepKind::Gpu
            || s.kind == StepKind::MakeResident || s.kind == StepKind::SetPriority;
        if (needsNames && s.names.empty()) {
            s = {};
            s.kind = StepKind::Advance;
            s.microseconds = 4000;
        }
        return s;
    }

    scenario::ScenarioRunner m_runner;
    Shape m_shape;
    std::mt19937 m_rng;
    std::vector<ResourceState> m_resources;
    std::unordered_map<D3DKMT_HANDLE, int> m_indexOf;
    std::vector<sim::AllocationSummary> m_summaries;
    bool m_browserBackground = false;
    bool m_appShrunk = false;
};

// ---- Figures -------------------------------------------------------------------------------------

struct Series {
    std::vector<double> values;
    void add(double v) { values.push_back(v); }
    double quantile(double q) const
    {
        if (values.empty())
            return 0;
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        // Nearest rank: the p95 of 20 values is the 19th.
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
    }
    double median() const { return quantile(0.5); }
    double p95() const { return quantile(0.95); }
    double max() const { return values.empty() ? 0 : *std::max_element(values.begin(), values.end()); }
};

void printHeader()
{
    std::printf(
        "%-44s %6s %9s %9s %9s %7s  %s\n", "measurement", "count", "median", "p95", "max", "goal", "verdict (max)");
    std::printf("%s\n", std::string(100, '-').c_str());
}

void printLine(const char* what, const Series& s, double goal)
{
    char goalText[16] = "-";
    if (goal > 0)
        std::snprintf(goalText, sizeof goalText, "%.0f ms", goal);
    std::printf("%-44s %6zu %6.2f ms %6.2f ms %6.2f ms %7s  %s\n", what, s.values.size(), s.median(), s.p95(), s.max(),
        goalText, goal <= 0 ? "" : (s.max() <= goal ? "PASS" : "OVER"));
}

/// Times the painting of the window wherever it happens (a QCustomPlot repaints itself inside its
/// replot, the event loop paints the rest) and counts the widgets painted.
class BenchApplication final : public QApplication {
public:
    using QApplication::QApplication;

    double paintMs = 0; ///< in UpdateRequest handling (painting and flushing the window)
    double idleMs = 0; ///< in the main window's own posted events: the idle work it left (a checkpoint)
    long paintEvents = 0;
    long paintPasses = 0; ///< UpdateRequest events handled (one per paint pass of the window)
    /// BENCH_PAINT_TRACE=1: painting time and count by kind of widget (and its parent's kind).
    bool traceWidgets = qEnvironmentVariableIsSet("BENCH_PAINT_TRACE");
    std::map<QString, std::pair<double, long>> paintByWidget;

    bool notify(QObject* receiver, QEvent* event) override
    {
        if (event->type() == QEvent::Paint) {
            ++paintEvents;
            if (traceWidgets) {
                const auto start = Clock::now();
                const bool done = QApplication::notify(receiver, event);
                const QObject* parent = receiver->parent();
                QString name = QString::fromLatin1(receiver->metaObject()->className());
                if (parent != nullptr)
                    name += QStringLiteral(" in ") + QString::fromLatin1(parent->metaObject()->className());
                // Which table: the viewport's parent, or the scroll bar container's.
                const QObject* o = parent;
                for (int up = 0; up < 2 && o != nullptr; ++up, o = o->parent())
                    if (const auto* view = qobject_cast<const QAbstractItemView*>(o); view && view->model())
                        name += QStringLiteral(" (") + view->model()->objectName() + QLatin1Char(')');
                auto& slot = paintByWidget[name];
                slot.first += msSince(start);
                ++slot.second;
                return done;
            }
        }
        if (event->type() >= QEvent::User && qobject_cast<app::MainWindow*>(receiver) != nullptr) {
            const auto start = Clock::now();
            const bool done = QApplication::notify(receiver, event);
            idleMs += msSince(start);
            return done;
        }
        if (event->type() != QEvent::UpdateRequest || m_inUpdate)
            return QApplication::notify(receiver, event);
        m_inUpdate = true;
        ++paintPasses;
        const auto start = Clock::now();
        const bool done = QApplication::notify(receiver, event);
        paintMs += msSince(start);
        m_inUpdate = false;
        return done;
    }

private:
    bool m_inUpdate = false;
};

BenchApplication* benchApp()
{
    return static_cast<BenchApplication*>(QCoreApplication::instance());
}

// ---- The window ----------------------------------------------------------------------------------

/// The real main window (MainWindow, in its default layout at 1600 x 1000) and handles on the models
/// and views it made: the benchmark drives the window, not a copy of its wiring.
template <class T> T& childOf(QObject& parent, const char* what, std::function<bool(T*)> which = {})
{
    for (T* c : parent.findChildren<T*>())
        if (!which || which(c))
            return *c;
    std::fprintf(stderr, "the main window has no %s\n", what);
    std::abort();
}

models::OfferedListModel& offeredList(QObject& window, OfferPriority p)
{
    return childOf<models::OfferedListModel>(
        window, "offered list", [p](models::OfferedListModel* m) { return m->priority() == p; });
}

widgets::TableView& tableNamed(QObject& window, const char* name)
{
    return childOf<widgets::TableView>(
        window, name, [name](widgets::TableView* t) { return t->objectName() == QLatin1String(name); });
}

std::unique_ptr<app::MainWindow> makeWindow()
{
    QSettings().clear(); // the default layout, whatever an earlier run left
    auto window = std::make_unique<app::MainWindow>();
    window->resize(1600, 1000);
    return window;
}

struct Gui {
    std::unique_ptr<app::MainWindow> window;
    models::SessionDocument& document;
    models::AllocationsModel& allocations;
    models::AllocationFilterModel& filter;
    models::EventLogModel& events;
    models::ReclaimResultsModel& reclaims;
    models::SegmentUsageModel& segments;
    models::ProcessBudgetModel& budgets;
    models::OfferedListModel& low;
    models::OfferedListModel& normal;
    models::OfferedListModel& high;
    models::OfferedListModel& autoList;
    models::OfferedListModel& queue; ///< the Queue tab: every offer of a segment across the levels
    widgets::TableView& allocationTable;
    widgets::TableView& eventTable;
    widgets::UsageBarsPlot& usageBars;
    widgets::TimelinePlot& timeline;
    widgets::ReclaimChart& reclaimChart;
    widgets::NarrationView& narration;

    // Counters the signals feed.
    std::unordered_map<const QAbstractItemModel*, int> resets;
    int layoutChanges = 0; ///< of the sorting proxy (a re-sort moves rows)
    std::array<long, 3> replotCounts {}; ///< usage bars, timeline, reclaim chart (QCustomPlot::replot)
    std::array<long, 3> replots() const { return replotCounts; }

    const session::Session& session() const { return dynamic_cast<const session::Session&>(*document.world()); }

    std::vector<QAbstractItemModel*> allModels()
    {
        return { &allocations, &filter, &events, &reclaims, &segments, &budgets, &low, &normal, &high, &autoList,
            &queue };
    }
    std::array<QCustomPlot*, 3> plots() const { return { usageBars.plot(), timeline.plot(), reclaimChart.plot() }; }

    explicit Gui(int sortColumn)
        : window(makeWindow())
        , document(*window->document())
        , allocations(childOf<models::AllocationsModel>(*window, "allocations model"))
        , filter(childOf<models::AllocationFilterModel>(*window, "allocation filter"))
        , events(childOf<models::EventLogModel>(*window, "event log model"))
        , reclaims(childOf<models::ReclaimResultsModel>(*window, "reclaim results model"))
        , segments(childOf<models::SegmentUsageModel>(*window, "segment usage model"))
        , budgets(childOf<models::ProcessBudgetModel>(*window, "budget model"))
        , low(offeredList(*window, OfferPriority::Low))
        , normal(offeredList(*window, OfferPriority::Normal))
        , high(offeredList(*window, OfferPriority::High))
        , autoList(offeredList(*window, OfferPriority::Auto))
        , queue(offeredList(*window, OfferPriority::None))
        , allocationTable(tableNamed(*window, "allocations"))
        , eventTable(tableNamed(*window, "events"))
        , usageBars(childOf<widgets::UsageBarsPlot>(*window, "usage bars"))
        , timeline(childOf<widgets::TimelinePlot>(*window, "timeline"))
        , reclaimChart(childOf<widgets::ReclaimChart>(*window, "reclaim chart"))
        , narration(childOf<widgets::NarrationView>(*window, "narration"))
    {
        allocations.setObjectName(QStringLiteral("allocations"));
        filter.setObjectName(QStringLiteral("sorted allocations"));
        events.setObjectName(QStringLiteral("event log"));
        reclaims.setObjectName(QStringLiteral("reclaim results"));
        segments.setObjectName(QStringLiteral("segment usage"));
        budgets.setObjectName(QStringLiteral("budgets"));
        low.setObjectName(QStringLiteral("offered LOW"));
        normal.setObjectName(QStringLiteral("offered NORMAL"));
        high.setObjectName(QStringLiteral("offered HIGH"));
        autoList.setObjectName(QStringLiteral("offered AUTO"));
        queue.setObjectName(QStringLiteral("offered queue"));
        allocationTable.sortByColumn(sortColumn, Qt::DescendingOrder);
        for (QAbstractItemModel* m : allModels())
            QObject::connect(m, &QAbstractItemModel::modelReset, [this, m] { ++resets[m]; });
        QObject::connect(&filter, &QAbstractItemModel::layoutChanged, [this] { ++layoutChanges; });
        const auto plotList = plots();
        for (std::size_t i = 0; i < plotList.size(); ++i)
            QObject::connect(plotList[i], &QCustomPlot::afterReplot, [this, i] { ++replotCounts[i]; });
        window->show();
        // The live sources are looked for on the worker: let that finish before anything is timed.
        window->worker()->waitForIdle();
        QCoreApplication::processEvents();
    }

    std::vector<int> resetsByModel()
    {
        std::vector<int> out;
        for (QAbstractItemModel* m : allModels())
            out.push_back(resets[m]);
        return out;
    }

    int totalResets() const
    {
        int n = 0;
        for (const auto& [model, count] : resets)
            n += count;
        return n;
    }
};

/// Where the time of one tick went.
struct TickTimes {
    double snapshot = 0; ///< every live allocation, from the simulator (SessionDocument::allocations)
    double allocations = 0; ///< model and sorting proxy
    double events = 0; ///< event log model, and the table following it to the bottom
    double reclaims = 0;
    double usage = 0; ///< segment usage and budgets models
    double offered = 0; ///< the four lists
    double plots = 0; ///< the plots' data, and each plot drawing itself into its buffer
    double text = 0; ///< narration and call view
    double columns = 0; ///< column widths fitted, and the tables' pending item layouts
    double loop = 0; ///< the event loop until idle: painting, and whatever else is pending
    std::array<double, 3> plotDraw {}; ///< `plots` by plot: its data and drawing
    double paint = 0; ///< of which painting the window (all of it that changed)
    long paintEvents = 0; ///< widgets painted
    long paintPasses = 0;
    long maxReplots = 0; ///< replots of the busiest plot in this tick
    /// Not in the frame: the time-travel checkpoint the window takes once the frame is painted
    /// (MainWindow posts it behind the paint; the event loop runs it); 0 when none was due.
    double idleCheckpoint = 0;
    double refresh() const
    {
        return snapshot + allocations + events + reclaims + usage + offered + plots + text + columns;
    }
    double total() const { return refresh() + loop; }
};

/// Every part of a tick, over many ticks.
struct Breakdown {
    Series total, withoutColumns, step, refresh, loop;
    Series snapshot, allocations, events, reclaims, usage, offered, plots, text, columns;
    std::array<Series, 3> plotDraw;
    Series paint, otherLoop, paintEvents, paintPasses;
    Series idleCheckpoint, frameAndCheckpoint; ///< ticks that took one

    void add(double stepMs, const TickTimes& t)
    {
        total.add(stepMs + t.total());
        withoutColumns.add(stepMs + t.total() - t.columns);
        step.add(stepMs);
        refresh.add(t.refresh());
        loop.add(t.loop);
        snapshot.add(t.snapshot);
        allocations.add(t.allocations);
        events.add(t.events);
        reclaims.add(t.reclaims);
        usage.add(t.usage);
        offered.add(t.offered);
        plots.add(t.plots);
        text.add(t.text);
        columns.add(t.columns);
        for (std::size_t i = 0; i < plotDraw.size(); ++i)
            plotDraw[i].add(t.plotDraw[i]);
        paint.add(t.paint);
        otherLoop.add(t.loop - t.paint);
        paintEvents.add(static_cast<double>(t.paintEvents));
        paintPasses.add(static_cast<double>(t.paintPasses));
        if (t.idleCheckpoint > 0) {
            idleCheckpoint.add(t.idleCheckpoint);
            frameAndCheckpoint.add(stepMs + t.total() + t.idleCheckpoint);
        }
    }

    void print() const
    {
        printLine("    step or seek (the world)", step, 0);
        printLine("    refresh", refresh, 0);
        printLine("      allocation snapshot (simulator)", snapshot, 0);
        printLine("      allocations model + sorted proxy", allocations, 0);
        printLine("      event log model", events, 0);
        printLine("      reclaim results model", reclaims, 0);
        printLine("      segment usage + budget models", usage, 0);
        printLine("      offered lists (queue + 4 levels)", offered, 0);
        printLine("      plots (usage, timeline, reclaims)", plots, 0);
        printLine("        usage bars", plotDraw[0], 0);
        printLine("        timeline", plotDraw[1], 0);
        printLine("        reclaim chart", plotDraw[2], 0);
        printLine("      narration", text, 0);
        printLine("      log followed, call view, layouts, columns", columns, 0);
        printLine("    event loop until idle", loop, 0);
        printLine("      window painted (what changed)", paint, 0);
        printLine("      other (events, timers)", otherLoop, 0);
        std::printf("      widgets painted per tick: median %.0f, max %.0f, in %.0f - %.0f passes\n",
            paintEvents.median(), paintEvents.max(), paintPasses.median(), paintPasses.max());
        if (!idleCheckpoint.values.empty()) {
            printLine("    after the frame: checkpoint (idle time)", idleCheckpoint, 0);
            printLine("      frame + checkpoint, where one was due", frameAndCheckpoint, 0);
        }
    }
};

/// One frame, as the window makes it: MainWindow::refreshNow() (every registered model and view
/// refreshed, timed one by one, then the log followed, the call view and the tables laid out), then
/// the event loop until it is idle, which is when the window is painted for real, in one pass.
TickTimes tick(Gui& gui)
{
    TickTimes t;
    BenchApplication* app = benchApp();
    const std::array<long, 3> replotsBefore = gui.replots();
    const double paintBefore = app->paintMs;
    const double idleBefore = app->idleMs;
    const long paintEventsBefore = app->paintEvents;
    const long paintPassesBefore = app->paintPasses;
    auto start = Clock::now();
    auto lap = [&start](double& into) {
        const auto now = Clock::now();
        into += std::chrono::duration<double, std::milli>(now - start).count();
        start = now;
    };
    if (gui.document.hasSession())
        gui.document.allocations(); // the snapshot every model reads, taken once per state
    lap(t.snapshot);
    // Which part of the frame each registered view is.
    const std::unordered_map<const models::Refreshable*, double*> part { { &gui.allocations, &t.allocations },
        { &gui.events, &t.events }, { &gui.reclaims, &t.reclaims }, { &gui.segments, &t.usage },
        { &gui.budgets, &t.usage }, { &gui.low, &t.offered }, { &gui.normal, &t.offered }, { &gui.high, &t.offered },
        { &gui.autoList, &t.offered }, { &gui.queue, &t.offered }, { &gui.usageBars, &t.plotDraw[0] },
        { &gui.timeline, &t.plotDraw[1] }, { &gui.reclaimChart, &t.plotDraw[2] }, { &gui.narration, &t.text } };
    gui.window->refreshNow([&](const models::Refreshable* view) {
        const auto it = part.find(view);
        lap(it != part.end() ? *it->second : t.text);
    });
    // The rest of refreshNow(): the log followed, the call view, item layouts and column widths.
    lap(t.columns);
    t.plots = t.plotDraw[0] + t.plotDraw[1] + t.plotDraw[2];
    // The event loop until it is idle, as after any refresh of the window: the window paints what
    // changed (the plots drew their buffers and the tables laid out above, so there is one pass),
    // then takes the time-travel checkpoint it left for an idle moment, if one was due.
    QAbstractEventDispatcher* dispatcher = QAbstractEventDispatcher::instance();
    for (int i = 0; i < 16 && dispatcher->processEvents(QEventLoop::AllEvents); ++i) { }
    lap(t.loop);
    t.idleCheckpoint = app->idleMs - idleBefore;
    t.loop -= t.idleCheckpoint;
    t.paint = app->paintMs - paintBefore;
    t.paintEvents = app->paintEvents - paintEventsBefore;
    t.paintPasses = app->paintPasses - paintPassesBefore;
    const std::array<long, 3> replotsAfter = gui.replots();
    for (std::size_t i = 0; i < replotsAfter.size(); ++i)
        t.maxReplots = std::max(t.maxReplots, replotsAfter[i] - replotsBefore[i]);
    return t;
}

/// The whole window painted again, as when it is exposed (not part of a tick: a step repaints only
/// what changed).
double fullRepaint(Gui& gui)
{
    const bool traced = benchApp()->traceWidgets;
    benchApp()->traceWidgets = false; // the trace is of the ticks
    const auto start = Clock::now();
    gui.window->repaint();
    const double ms = msSince(start);
    benchApp()->traceWidgets = traced;
    return ms;
}

// ---- Checks --------------------------------------------------------------------------------------

/// Rows the offered list of a priority must hold: the offers in effect or pending at that level.
int expectedOfferedRows(const models::AllocationSnapshot& snapshot, OfferPriority priority)
{
    int n = 0;
    for (const sim::AllocationSummary& a : snapshot.rows) {
        if (a.state != sim::AllocationState::Offered && a.state != sim::AllocationState::OfferPending)
            continue;
        if (priority == OfferPriority::Auto ? a.requestedPriority == OfferPriority::Auto
                                            : a.effectivePriority == priority)
            ++n;
    }
    return n;
}

/// Row counts against the simulator; returns the problems found ("" when none).
std::string checkCounts(Gui& gui)
{
    std::string problems;
    auto expect = [&problems](const char* what, long long actual, long long expected) {
        if (actual != expected)
            problems += std::string(what) + ": " + std::to_string(actual) + " rows, expected "
                + std::to_string(expected) + "; ";
    };
    const sim::Simulator& sim = gui.session().simulator();
    const auto live = static_cast<long long>(sim.liveAllocationCount());
    expect("allocations", gui.allocations.rowCount(), live);
    expect("sorted allocations", gui.filter.rowCount(), live);
    expect("event log", gui.events.rowCount(), static_cast<long long>(sim.eventLog().size()));
    expect("segment usage", gui.segments.rowCount(), sim.segmentCount());
    // The sorted table (by size, largest first) is in order: the proxy re-sorted what it had to.
    const int sortColumn = gui.filter.sortColumn();
    for (int r = 1; r < gui.filter.rowCount() && sortColumn >= 0; ++r) {
        const auto before = gui.filter.index(r - 1, sortColumn).data(models::SortRole).toULongLong();
        const auto after = gui.filter.index(r, sortColumn).data(models::SortRole).toULongLong();
        if (gui.filter.sortOrder() == Qt::DescendingOrder ? before < after : before > after) {
            problems += "sorted allocations out of order at row " + std::to_string(r) + "; ";
            break;
        }
    }
    const models::AllocationSnapshot& snapshot = gui.document.allocations();
    expect("offered LOW", gui.low.rowCount(), expectedOfferedRows(snapshot, OfferPriority::Low));
    expect("offered NORMAL", gui.normal.rowCount(), expectedOfferedRows(snapshot, OfferPriority::Normal));
    expect("offered HIGH", gui.high.rowCount(), expectedOfferedRows(snapshot, OfferPriority::High));
    expect("offered AUTO", gui.autoList.rowCount(), expectedOfferedRows(snapshot, OfferPriority::Auto));
    return problems;
}

template <class Model> bool sameRows(const Model& a, const Model& b)
{
    const auto& x = a.rows();
    const auto& y = b.rows();
    if (x.size() != y.size())
        return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].key != y[i].key || !(x[i] == y[i]))
            return false;
    return true;
}

/// The allocations table, updated from the snapshot's changes, against every allocation read afresh
/// from the world (the simulator's list is in slot order, as the table's rows).
bool sameAllocations(const models::AllocationsModel& model, const world::World& world)
{
    std::vector<sim::AllocationSummary> all;
    world.allocationSummaries(all);
    if (static_cast<std::size_t>(model.rowCount()) != all.size())
        return false;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (!(model.summaryAt(static_cast<int>(i)) == all[i]))
            return false;
    return true;
}

/// The incrementally updated models against models built from scratch at the same point.
std::string checkAgainstFreshModels(Gui& gui)
{
    const models::SessionDocument& doc = gui.document;
    models::SegmentUsageModel segments(&doc);
    models::ProcessBudgetModel budgets(&doc);
    models::ReclaimResultsModel reclaims(&doc);
    std::array<std::unique_ptr<models::OfferedListModel>, 5> lists; // the queue (None), LOW, NORMAL, HIGH, AUTO
    for (int p = 0; p < 5; ++p)
        lists[static_cast<std::size_t>(p)]
            = std::make_unique<models::OfferedListModel>(&doc, static_cast<OfferPriority>(p));
    segments.refresh();
    budgets.refresh();
    reclaims.refresh();
    for (auto& l : lists)
        l->refresh();
    std::string problems;
    if (!sameRows(reclaims, gui.reclaims))
        problems += "reclaim results differ from a fresh model; ";
    if (!sameAllocations(gui.allocations, *doc.world()))
        problems += "allocations differ from the world's own list; ";
    if (!sameRows(segments, gui.segments))
        problems += "segment usage differs from a fresh model; ";
    if (!sameRows(budgets, gui.budgets))
        problems += "budgets differ from a fresh model; ";
    const std::array<const models::OfferedListModel*, 5> shown
        = { &gui.queue, &gui.low, &gui.normal, &gui.high, &gui.autoList };
    for (std::size_t p = 0; p < 5; ++p)
        if (lists[p]->rows() != shown[p]->rows()) // every field: the lists' own sync compares the allocation only
            problems += "an offered list differs from a fresh model; ";
    return problems;
}

// ---- The run -------------------------------------------------------------------------------------

/// Takes this program's own options out of argv (the rest is Google Benchmark's); false on a bad value.
bool parseShape(int& argc, char** argv, Shape& shape)
{
    static const char* const kOwn[]
        = { "--resources", "--per-resource", "--steps", "--jumps", "--seed", "--sort", "--callgrind-frames" };
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const bool own
            = std::any_of(std::begin(kOwn), std::end(kOwn), [&](const char* o) { return !std::strcmp(argv[i], o); });
        if (!own) {
            argv[kept++] = argv[i];
            continue;
        }
        char* end = nullptr;
        const long value = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : -1;
        if (i + 1 >= argc || *end != '\0' || value < 0 || value > 1'000'000) {
            std::fprintf(stderr, "%s needs a count from 0 to 1000000\n", argv[i]);
            return false;
        }
        const auto v = static_cast<int>(value);
        if (!std::strcmp(argv[i], "--resources"))
            shape.resources = std::max(v, 1);
        else if (!std::strcmp(argv[i], "--per-resource"))
            shape.perResource = std::clamp(v, 1, 1024);
        else if (!std::strcmp(argv[i], "--steps"))
            shape.steps = std::max(v, 1);
        else if (!std::strcmp(argv[i], "--jumps"))
            shape.jumps = std::max(v, 1);
        else if (!std::strcmp(argv[i], "--callgrind-frames"))
            shape.callgrindFrames = v;
        else if (!std::strcmp(argv[i], "--sort"))
            shape.sortColumn = std::clamp(v, 0, models::AllocationsModel::ColumnCount - 1);
        else
            shape.seed = static_cast<unsigned>(v);
        ++i;
    }
    argc = kept;
    argv[argc] = nullptr;
    return true;
}

/// The frames scripts/callgrind-check.sh counts (valgrind --toggle-collect on this function): each
/// one step of the world and a tick, as in phase (b). Kept out of line so the count starts here.
[[gnu::noinline]] int callgrindFrames(Gui& gui, int frames)
{
    int ran = 0;
    for (; ran < frames && gui.document.stepForward(); ++ran)
        tick(gui);
    return ran;
}

/// Everything the phases share. Google Benchmark runs them in the order they are registered; each
/// repetition of a phase is one step, jump or step back, so its statistics are over those.
struct Phases {
    Shape shape;
    scenario::Scenario built;
    std::size_t setUpSteps = 0;
    std::unique_ptr<Gui> gui;
    std::string broken;

    // (a)
    double loadMs = 0, setUpSeekMs = 0;
    TickTimes setUpTick;
    std::size_t liveAfterSetUp = 0;
    // (b)
    Breakdown steps;
    Series fullRepaintMs;
    std::vector<int> resetsBeforeSteps, resetsAfterSteps, resetsAfterJumps, resetsAtEnd;
    int layoutsBeforeSteps = 0, stepLayouts = 0, jumpLayouts = 0;
    int stepsWithReset = 0, rowTableResets = 0;
    long maxReplots = 0;
    std::size_t maxOfferedRows = 0;
    bool stepsDone = false;
    // (c)
    std::mt19937 rng;
    Series jumpAnyMs, jumpLateMs, jumpBackMs, jumpForwardMs, jumpLongForwardMs;
    Breakdown jumps;
    // (d)
    Series backMs;

    /// (a) Load, and run to the first step after every allocation exists; once, whichever phase runs first.
    void ensureSetUp()
    {
        if (gui)
            return;
        gui = std::make_unique<Gui>(shape.sortColumn);
        auto start = Clock::now();
        gui->document.load(std::move(built)); // the window keeps its own; the benchmark needs none
        tick(*gui);
        loadMs = msSince(start);
        start = Clock::now();
        gui->document.seek(setUpSteps);
        setUpSeekMs = msSince(start);
        setUpTick = tick(*gui);
        if (qEnvironmentVariableIsSet("BENCH_TRACE"))
            traceStep(0, setUpTick, false);
        liveAfterSetUp = gui->session().simulator().liveAllocationCount();
        if (liveAfterSetUp != static_cast<std::size_t>(shape.resources) * static_cast<std::size_t>(shape.perResource))
            broken += "the set-up made " + std::to_string(liveAfterSetUp) + " allocations; ";
        broken += checkCounts(*gui);
        resetsBeforeSteps = resetsAfterSteps = resetsAfterJumps = resetsAtEnd = gui->resetsByModel();
        layoutsBeforeSteps = gui->layoutChanges;
    }

    void setUpPhase(benchmark::State& state)
    {
        for (auto _ : state) {
            ensureSetUp();
            state.SetIterationTime((loadMs + setUpSeekMs + setUpTick.total()) / 1000.0);
        }
        state.counters["load_ms"] = loadMs;
        state.counters["setup_steps_ms"] = setUpSeekMs;
        state.counters["first_tick_ms"] = setUpTick.total();
        state.counters["allocations"] = static_cast<double>(liveAfterSetUp);
    }

    /// (b) One step forward and the tick that shows it: the frame.
    void stepPhase(benchmark::State& state)
    {
        ensureSetUp();
        Gui& g = *gui;
        for (auto _ : state) {
            if (g.session().atEnd()) {
                state.SkipWithError("the session is at its end: run the step phase once, with --steps repetitions");
                return;
            }
            const int before = g.totalResets();
            const auto start = Clock::now();
            g.document.stepForward();
            const double stepOnly = msSince(start);
            const TickTimes t = tick(g);
            steps.add(stepOnly, t);
            state.SetIterationTime((stepOnly + t.total()) / 1000.0);
            if (qEnvironmentVariableIsSet("BENCH_TRACE"))
                traceStep(stepOnly, t, g.totalResets() != before);
            state.PauseTiming();
            fullRepaintMs.add(fullRepaint(g));
            state.ResumeTiming();
            maxReplots = std::max(maxReplots, t.maxReplots);
            stepsWithReset += g.totalResets() != before ? 1 : 0;
            rowTableResets += (g.allocations.lastSync().reset ? 1 : 0) + (g.reclaims.lastSync().reset ? 1 : 0)
                + (g.segments.lastSync().reset ? 1 : 0) + (g.budgets.lastSync().reset ? 1 : 0)
                + (g.low.lastSync().reset ? 1 : 0) + (g.normal.lastSync().reset ? 1 : 0)
                + (g.high.lastSync().reset ? 1 : 0) + (g.autoList.lastSync().reset ? 1 : 0);
            maxOfferedRows = std::max<std::size_t>(maxOfferedRows,
                static_cast<std::size_t>(
                    g.low.rowCount() + g.normal.rowCount() + g.high.rowCount() + g.autoList.rowCount()));
            state.counters["step_ms"] = stepOnly;
            state.counters["paint_ms"] = t.paint;
        }
        if (g.session().atEnd() && !stepsDone) {
            stepsDone = true;
            resetsAfterSteps = resetsAfterJumps = resetsAtEnd = g.resetsByModel();
            stepLayouts = g.layoutChanges - layoutsBeforeSteps;
            broken += checkCounts(g);
            broken += checkAgainstFreshModels(g);
        }
    }

    void traceStep(double stepOnly, const TickTimes& t, bool reset)
    {
        Gui& g = *gui;
        const std::size_t position = g.session().position();
        std::printf("TRACE step %zu %s: frame %.2f plots %.2f text %.2f step %.2f snap %.2f alloc %.2f (ins %d rem %d "
                    "chg %d) offered %.2f cols %.2f loop %.2f%s\n",
            position, std::string(scenario::stepKindName(g.session().scenario().steps[position - 1].kind)).c_str(),
            stepOnly + t.total(), t.plots, t.text, stepOnly, t.snapshot, t.allocations,
            g.allocations.lastSync().inserted, g.allocations.lastSync().removed, g.allocations.lastSync().changed,
            t.offered, t.columns, t.loop, reset ? " RESET" : "");
    }

    /// (c) A jump to a random point of the timeline (anywhere, or after the set-up) and its tick.
    void jumpPhase(benchmark::State& state, bool late)
    {
        ensureSetUp();
        Gui& g = *gui;
        const std::size_t endPosition = g.session().stepCount();
        for (auto _ : state) {
            const std::size_t target
                = std::uniform_int_distribution<std::size_t>(late ? setUpSteps : 0, endPosition)(rng);
            const std::size_t from = g.session().position();
            const auto start = Clock::now();
            g.document.seek(target);
            const double seekOnly = msSince(start);
            const TickTimes t = tick(g);
            const double ms = seekOnly + t.total();
            state.SetIterationTime(ms / 1000.0);
            (late ? jumpLateMs : jumpAnyMs).add(ms);
            jumps.add(seekOnly, t);
            (target < from ? jumpBackMs : jumpForwardMs).add(ms);
            if (target > from + Session::kCheckpointInterval)
                jumpLongForwardMs.add(ms);
            maxReplots = std::max(maxReplots, t.maxReplots);
            state.counters["seek_ms"] = seekOnly;
            state.counters["steps_moved"] = static_cast<double>(target > from ? target - from : from - target);
            if (qEnvironmentVariableIsSet("BENCH_TRACE"))
                std::printf("TRACE jump %zu -> %zu: %.2f = seek %.2f + alloc %.2f (ins %d rem %d chg %d) offered %.2f "
                            "reclaims %.2f cols %.2f loop %.2f (paint %.2f)\n",
                    from, target, ms, seekOnly, t.allocations, g.allocations.lastSync().inserted,
                    g.allocations.lastSync().removed, g.allocations.lastSync().changed, t.offered, t.reclaims,
                    t.columns, t.loop, t.paint);
            state.PauseTiming();
            if (std::string problems = checkCounts(g); !problems.empty())
                broken += "after a jump to " + std::to_string(target) + ": " + problems;
            state.ResumeTiming();
        }
        resetsAfterJumps = resetsAtEnd = g.resetsByModel();
        jumpLayouts = g.layoutChanges - layoutsBeforeSteps - stepLayouts;
        if (late)
            broken += checkAgainstFreshModels(g);
    }

    /// (d) Back from the end, one step at a time.
    void stepBackPhase(benchmark::State& state)
    {
        ensureSetUp();
        Gui& g = *gui;
        g.document.seek(g.session().stepCount());
        tick(g);
        for (auto _ : state) {
            const auto start = Clock::now();
            g.document.stepBack();
            const double seekOnly = msSince(start);
            const double ms = seekOnly + tick(g).total();
            backMs.add(ms);
            state.SetIterationTime(ms / 1000.0);
        }
        resetsAtEnd = g.resetsByModel();
        broken += checkCounts(g);
        broken += checkAgainstFreshModels(g);
    }

    /// What Google Benchmark's statistics do not show: the parts of the frame, model resets, replots, memory.
    void report() const
    {
        if (!gui)
            return;
        const Gui& g = *gui;
        const session::Session& session = g.session();
        const auto counts = g.reclaims.countsByPriority();
        int ok = 0, discarded = 0, notCommitted = 0;
        for (const auto& byResult : counts) {
            ok += byResult[0];
            discarded += byResult[1];
            notCommitted += byResult[2];
        }
        std::printf("\nlive allocations after the set-up: %zu; now: %zu\n", liveAfterSetUp,
            static_cast<std::size_t>(session.simulator().liveAllocationCount()));
        std::printf("offered list rows now: LOW %d, NORMAL %d, HIGH %d, AUTO %d (most at once, all lists: %zu)\n",
            g.low.rowCount(), g.normal.rowCount(), g.high.rowCount(), g.autoList.rowCount(), maxOfferedRows);
        std::printf("reclaim results: %d OK, %d DISCARDED, %d NOT_COMMITTED (%d rows); event log %zu events\n", ok,
            discarded, notCommitted, g.reclaims.rowCount(), session.simulator().eventLog().size());
        std::printf(
            "tick = what MainWindow::refreshNow() does (every model, plots' data and drawing, narration, log\n"
            "followed, call view, item layouts and column widths), then the event loop until idle: the painting\n"
            "of every widget that changed. All figures include the painting.\n\n");

        std::printf("(a) set-up\n");
        std::printf("    load + first tick (no allocations)          %8.1f ms\n", loadMs);
        std::printf("    run the %zu set-up steps (Session::seek)  %8.1f ms\n", setUpSteps, setUpSeekMs);
        std::printf("    first tick with %zu allocations         %8.1f ms (refresh %.1f, event loop %.1f)\n\n",
            liveAfterSetUp, setUpTick.total(), setUpTick.refresh(), setUpTick.loop);

        printHeader();
        printLine("(b) step + tick (the frame)", steps.total, kFrameGoalMs);
        printLine("    the frame without the column widths", steps.withoutColumns, kFrameGoalMs);
        steps.print();
        printLine("    not in the frame: full window repaint", fullRepaintMs, 0);
        printLine("(c) jump anywhere + tick", jumpAnyMs, kJumpGoalMs);
        printLine("(c) jump after the set-up + tick", jumpLateMs, kJumpGoalMs);
        printLine("    all jumps without the column widths", jumps.withoutColumns, kJumpGoalMs);
        printLine("    jumps back", jumpBackMs, kJumpGoalMs);
        printLine("    jumps forward", jumpForwardMs, kJumpGoalMs);
        printLine("    of which > 16 steps forward", jumpLongForwardMs, kJumpGoalMs);
        jumps.print();
        printLine("(d) step back + tick", backMs, kJumpGoalMs);
        std::printf("\n");

        const int stepResets = std::accumulate(resetsAfterSteps.begin(), resetsAfterSteps.end(), 0)
            - std::accumulate(resetsBeforeSteps.begin(), resetsBeforeSteps.end(), 0);
        std::printf("model resets during the %zu steps: %d (%d steps with one; lastSync().reset of the tables: %d)\n",
            steps.total.values.size(), stepResets, stepsWithReset, rowTableResets);
        const std::vector<QAbstractItemModel*> modelList = gui->allModels();
        for (std::size_t i = 0; i < modelList.size(); ++i) {
            const int atSteps = resetsAfterSteps[i] - resetsBeforeSteps[i];
            const int atJumps = resetsAfterJumps[i] - resetsAfterSteps[i];
            const int atBacks = resetsAtEnd[i] - resetsAfterJumps[i];
            if (atSteps != 0 || atJumps != 0 || atBacks != 0)
                std::printf("    %-20s %3d during the steps, %3d during the %d jumps, %3d during the steps back\n",
                    qPrintable(modelList[i]->objectName()), atSteps, atJumps, 2 * shape.jumps, atBacks);
        }
        std::printf("sorted proxy layout changes (re-sorts): %d during the steps, %d during the jumps\n", stepLayouts,
            jumpLayouts);
        std::printf(
            "replots per plot per tick: at most %ld (goal: 1) %s\n", maxReplots, maxReplots <= 1 ? "PASS" : "OVER");
        std::printf("\n(e) memory: %zu checkpoints, %s in checkpoints; RSS %s, peak %s\n", session.checkpointCount(),
            formatBytes(session.checkpointBytes()).c_str(), formatBytes(bench::rssBytes()).c_str(),
            formatBytes(bench::peakRssBytes()).c_str());

        if (benchApp()->traceWidgets) {
            std::vector<std::pair<double, std::pair<QString, long>>> byTime;
            for (const auto& [name, timeAndCount] : benchApp()->paintByWidget)
                byTime.push_back({ timeAndCount.first, { name, timeAndCount.second } });
            std::sort(byTime.rbegin(), byTime.rend());
            std::printf("\npainting by kind of widget (whole run):\n");
            for (std::size_t i = 0; i < std::min<std::size_t>(20, byTime.size()); ++i)
                std::printf("    %9.1f ms %7ld paints  %s\n", byTime[i].first, byTime[i].second.second,
                    qPrintable(byTime[i].second.first));
        }
    }
};

/// The statistics each phase reports besides Google Benchmark's mean, median and spread.
benchmark::internal::Benchmark* withTailStatistics(benchmark::internal::Benchmark* b)
{
    return b
        ->ComputeStatistics("p95",
            [](const std::vector<double>& v) {
                Series s;
                s.values = v;
                return s.p95();
            })
        ->ComputeStatistics("max", [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); })
        ->ReportAggregatesOnly(true)
        ->UseManualTime()
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
}

int run(int argc, char** argv)
{
    Phases phases;
    if (!parseShape(argc, argv, phases.shape))
        return 2;
    const Shape& shape = phases.shape;
    phases.rng.seed(shape.seed);
    int qtArgc = 1;
    BenchApplication app(qtArgc, argv);

    // The scenario: the set-up, then steps chosen from the state of a first run.
    // The generator's own run (a whole simulator and its event log) is gone before the window opens:
    // the memory the benchmark reports is the window's.
    auto start = Clock::now();
    int failedCalls = 0;
    {
        const scenario::Scenario setUp = worldAndSetUp(shape);
        phases.setUpSteps = setUp.steps.size();
        StepGenerator generator(setUp, shape);
        generator.generate(shape.steps);
        phases.built = generator.scenario();
        for (const scenario::StepOutcome& o : generator.runner().outcomes())
            failedCalls += o.call && !ntSuccess(o.status) ? 1 : 0;
    }
#if defined(__GLIBC__)
    malloc_trim(0); // what the generator freed goes back to the system, as it would in a process that never had it
#endif
    const double generateMs = msSince(start);
    std::array<int, 32> kinds {};
    for (std::size_t i = phases.setUpSteps; i < phases.built.steps.size(); ++i)
        ++kinds[static_cast<std::size_t>(phases.built.steps[i].kind)];
    const int generatedSteps = static_cast<int>(phases.built.steps.size() - phases.setUpSteps);

    std::printf(
        "OfferScope GUI benchmark (Qt %s, platform %s)\n", qVersion(), qPrintable(QApplication::platformName()));
    std::printf("scenario: %d resources x %d allocations (256 KiB - 1 MiB), %zu set-up steps + %d steps:",
        shape.resources, shape.perResource, phases.setUpSteps, generatedSteps);
    for (std::size_t k = 0; k < kinds.size(); ++k)
        if (kinds[k] != 0)
            std::printf(" %s %d", std::string(scenario::stepKindName(static_cast<StepKind>(k))).c_str(), kinds[k]);
    std::printf("\n          generated in %.0f ms (one run of the simulator alone); %d calls failed\n\n", generateMs,
        failedCalls);

    if (shape.callgrindFrames > 0) {
        phases.ensureSetUp();
        const int ran = callgrindFrames(*phases.gui, shape.callgrindFrames);
        std::printf("%d frames at %zu allocations\n", ran, phases.liveAfterSetUp);
        phases.broken += checkCounts(*phases.gui);
        phases.gui.reset();
        if (!phases.broken.empty()) {
            std::printf("\nBROKEN: %s\n", phases.broken.c_str());
            return 1;
        }
        return ran == shape.callgrindFrames ? 0 : 1;
    }

    const std::string allocations = std::to_string(shape.resources * shape.perResource);
    benchmark::RegisterBenchmark(
        ("GUI/SetUp/allocations:" + allocations).c_str(), [&phases](benchmark::State& s) { phases.setUpPhase(s); })
        ->UseManualTime()
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
    withTailStatistics(benchmark::RegisterBenchmark(("GUI/StepAndTick/allocations:" + allocations).c_str(),
                           [&phases](benchmark::State& s) { phases.stepPhase(s); }))
        ->Repetitions(generatedSteps);
    withTailStatistics(benchmark::RegisterBenchmark(("GUI/JumpAnywhere/allocations:" + allocations).c_str(),
                           [&phases](benchmark::State& s) { phases.jumpPhase(s, false); }))
        ->Repetitions(shape.jumps);
    withTailStatistics(benchmark::RegisterBenchmark(("GUI/JumpAfterSetUp/allocations:" + allocations).c_str(),
                           [&phases](benchmark::State& s) { phases.jumpPhase(s, true); }))
        ->Repetitions(shape.jumps);
    withTailStatistics(benchmark::RegisterBenchmark(("GUI/StepBack/allocations:" + allocations).c_str(),
                           [&phases](benchmark::State& s) { phases.stepBackPhase(s); }))
        ->Repetitions(shape.stepBacks);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    phases.report();
    phases.gui.reset(); // the widgets go before the application that owns their platform

    if (!phases.broken.empty()) {
        std::printf("\nBROKEN: %s\n", phases.broken.c_str());
        return 1;
    }
    std::printf("\nthe views agree with the simulator after every phase that ran\n");
    return 0;
}

} // namespace

} // namespace offerscope::bench

int main(int argc, char** argv)
{
    // The benchmark needs no display; a person may still ask for one with QT_QPA_PLATFORM.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return offerscope::bench::run(argc, argv);
}
