// SPDX-License-Identifier: GPL-3.0-or-later
// The item models: consistent under QAbstractItemModelTester through whole lessons, updated in place,
// and showing what a person expects after real actions.
#include "core/scenario/ScenarioParser.h"
#include "core/session/Session.h"
#include "widgets/models/AllocationFilterModel.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/BudgetCurveModel.h"
#include "widgets/models/CsvExport.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <random>
#include <set>

using namespace offerscope;
using namespace offerscope::models;

namespace {

QString lessonPath(const char* file)
{
    return QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons/") + QString::fromLatin1(file);
}

// Every model of the window on one document, each under a fatal model tester.
struct Models {
    SessionDocument document;
    AllocationsModel allocations { &document };
    AllocationFilterModel filter;
    EventLogModel events { &document };
    ReclaimResultsModel reclaims { &document };
    SegmentUsageModel segments { &document };
    ProcessBudgetModel budgets { &document };
    OfferedListModel low { &document, OfferPriority::Low };
    OfferedListModel normal { &document, OfferPriority::Normal };
    OfferedListModel high { &document, OfferPriority::High };
    OfferedListModel autoList { &document, OfferPriority::Auto };
    OfferedListModel queue { &document, OfferPriority::None };
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

    Models()
    {
        filter.setSourceModel(&allocations);
        // The window's order: the document refreshes them as the window does.
        for (Refreshable* m : std::initializer_list<Refreshable*> {
                 &allocations, &events, &reclaims, &segments, &budgets, &low, &normal, &high, &autoList, &queue })
            document.addView(m);
        for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*> { &allocations, &filter, &events,
                 &reclaims, &segments, &budgets, &low, &normal, &high, &autoList, &queue })
            testers.push_back(
                std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::Fatal));
    }
    void open(const char* lesson)
    {
        QString error;
        ASSERT_TRUE(document.open(lessonPath(lesson), &error)) << error.toStdString();
        refresh();
    }
    void refresh() { document.refreshViews(); }
    // The simulator's session behind the document (the tests open scenarios, not live sources).
    const session::Session& session() const
    {
        const auto* s = dynamic_cast<const session::Session*>(document.world());
        EXPECT_NE(s, nullptr);
        return *s;
    }
    // What every model shows, as text: equal texts mean equal views.
    QString everything() const
    {
        QString out;
        for (const QAbstractItemModel* m : std::initializer_list<const QAbstractItemModel*> {
                 &allocations, &events, &reclaims, &segments, &budgets, &low, &normal, &high, &autoList })
            out += modelToCsv(*m) + QStringLiteral("----\n");
        return out;
    }
    scenario::Step step(scenario::StepKind kind, std::vector<std::string> names = {}) const
    {
        scenario::Step s;
        s.kind = kind;
        s.names = std::move(names);
        return s;
    }
};

int findRow(const QAbstractItemModel& model, int column, const QString& text)
{
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, column).data().toString() == text)
            return r;
    return -1;
}

} // namespace

TEST(Models, EveryLessonForwardBackAndJumpsKeepsEveryModelConsistent)
{
    const QStringList lessons = QDir(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons"))
                                    .entryList({ QStringLiteral("*.jsonc") }, QDir::Files, QDir::Name);
    ASSERT_GE(lessons.size(), 9);
    for (const QString& lesson : lessons) {
        Models m;
        m.open(lesson.toUtf8().constData());
        std::vector<QString> views { m.everything() };
        while (m.document.stepForward()) {
            m.refresh();
            views.push_back(m.everything());
        }
        // Step back: every model shows what it showed at that point.
        for (std::size_t p = views.size() - 1; p-- > 0;) {
            ASSERT_TRUE(m.document.stepBack());
            m.refresh();
            ASSERT_EQ(m.everything().toStdString(), views[p].toStdString())
                << lesson.toStdString() << " at position " << p;
        }
        // Jumps both ways.
        for (std::size_t p : { views.size() - 1, std::size_t { 2 }, views.size() / 2, std::size_t { 0 } }) {
            m.document.seek(p);
            m.refresh();
            ASSERT_EQ(m.everything().toStdString(), views[p].toStdString())
                << lesson.toStdString() << " after a jump to " << p;
        }
    }
}

TEST(Models, OfferingASelectionPutsItLastInItsPriorityList)
{
    Models m;
    m.open("02-three-priorities.jsonc");
    // Run to the point where several allocations are offered at LOW.
    while (!m.session().atEnd() && m.low.rowCount() < 1) {
        m.document.stepForward();
        m.refresh();
    }
    ASSERT_GE(m.low.rowCount(), 1);
    EXPECT_TRUE(m.low.index(0, 0).data(FirstVictimRole).toBool());
    // A new allocation, then offer it at LOW: it is the last LOW victim of its segment.
    scenario::Step create = m.step(scenario::StepKind::Create);
    create.name = "extra";
    create.device = m.session().scenario().processes[0].devices[0].name;
    create.bytes = 1 << 20;
    ASSERT_EQ(m.document.apply(create).status, NtStatus::Success);
    m.refresh();
    const int before = m.low.rowCount();
    const quint64 totalBefore = m.low.totalBytes();
    scenario::Step offer = m.step(scenario::StepKind::Offer, { "extra" });
    offer.priority = OfferPriority::Low;
    ASSERT_EQ(m.document.apply(offer).status, NtStatus::Success);
    m.refresh();
    ASSERT_EQ(m.low.rowCount(), before + 1);
    EXPECT_FALSE(m.low.lastSync().reset) << "an offer inserts one row, it does not reset the list";
    EXPECT_EQ(m.low.lastSync().inserted, 1);
    EXPECT_EQ(m.low.totalBytes(), totalBefore + (1u << 20));
    const int row = findRow(m.low, OfferedListModel::Name, QStringLiteral("extra"));
    ASSERT_GE(row, 0);
    // Last of the segment's LOW order: the rank is the number of LOW offers in that segment.
    int inSegment = 0;
    for (int r = 0; r < m.low.rowCount(); ++r)
        inSegment
            += m.low.index(r, OfferedListModel::Segment).data() == m.low.index(row, OfferedListModel::Segment).data()
            && m.low.index(r, OfferedListModel::Status).data().toString() == QStringLiteral("effective");
    EXPECT_EQ(m.low.index(row, OfferedListModel::Rank).data(SortRole).toUInt(), static_cast<unsigned>(inSegment));
    EXPECT_EQ(findRow(m.normal, OfferedListModel::Name, QStringLiteral("extra")), -1);
    // And the allocations table shows it offered at LOW, changed in place.
    const int arow = m.allocations.rowOf(m.session().runner().handle("extra[0]"));
    ASSERT_GE(arow, 0);
    EXPECT_EQ(m.allocations.index(arow, AllocationsModel::State).data().toString(), QStringLiteral("Offered"));
    EXPECT_EQ(m.allocations.index(arow, AllocationsModel::Priority).data().toString(), QStringLiteral("LOW"));
    EXPECT_FALSE(m.allocations.lastSync().reset);
    EXPECT_EQ(m.allocations.lastSync().changed, 1);
    EXPECT_LE(m.allocations.lastSync().looked, 2u) << "a step's refresh reads the rows it touched, no others";
}

namespace {

/// The sorted table is in order by its sort column's SortRole (the keys the table keeps for it).
bool sortedInOrder(const AllocationFilterModel& filter)
{
    const int column = filter.sortColumn();
    for (int r = 1; r < filter.rowCount(); ++r) {
        const quint64 before = filter.index(r - 1, column).data(SortRole).toULongLong();
        const quint64 after = filter.index(r, column).data(SortRole).toULongLong();
        if (filter.sortOrder() == Qt::AscendingOrder ? before > after : before < after)
            return false;
    }
    return true;
}

} // namespace

TEST(Models, TheAllocationsTableReadsOnlyWhatAStepChanged)
{
    Models m;
    m.filter.sort(AllocationsModel::State, Qt::DescendingOrder); // kept sorted by the state as rows change
    m.open("02-three-priorities.jsonc");
    m.document.seek(3);
    m.refresh();
    const int before = m.allocations.rowCount();
    // A resource of 1000 allocations comes, as one run of rows at the end.
    scenario::Step create = m.step(scenario::StepKind::Create);
    create.name = "many";
    create.device = m.session().scenario().processes[0].devices[0].name;
    create.bytes = 4096;
    create.count = 1000;
    ASSERT_EQ(m.document.apply(create).status, NtStatus::Success);
    m.refresh();
    EXPECT_EQ(m.allocations.rowCount(), before + 1000);
    EXPECT_FALSE(m.allocations.lastSync().reset);
    EXPECT_EQ(m.allocations.lastSync().inserted, 1000);
    EXPECT_EQ(m.allocations.lastSync().looked, 1000u);
    EXPECT_EQ(m.filter.rowCount(), before + 1000);
    // Offering one of them reads one row, whatever the size of the table.
    scenario::Step offer = m.step(scenario::StepKind::Offer, { "many[234]" });
    offer.priority = OfferPriority::High;
    ASSERT_EQ(m.document.apply(offer).status, NtStatus::Success);
    m.refresh();
    EXPECT_FALSE(m.allocations.lastSync().reset);
    EXPECT_EQ(m.allocations.lastSync().changed, 1);
    EXPECT_EQ(m.allocations.lastSync().looked, 1u);
    const int row = m.allocations.rowOf(m.session().runner().handle("many[234]"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(m.allocations.index(row, AllocationsModel::Priority).data().toString(), QStringLiteral("HIGH"));
    EXPECT_TRUE(sortedInOrder(m.filter));
    EXPECT_EQ(m.filter.index(0, AllocationsModel::State).data().toString(), QStringLiteral("Offered"))
        << "sorted by state, largest first: the one offered allocation is on top";
    // Back one step: the session restores its checkpoint at 0 and runs forward, so the list holds
    // every row that differs from that checkpoint's or that the steps touched; one shows a change.
    m.document.stepBack();
    m.refresh();
    EXPECT_FALSE(m.allocations.lastSync().reset);
    EXPECT_EQ(m.allocations.lastSync().changed, 1);
    EXPECT_EQ(m.allocations.index(row, AllocationsModel::State).data().toString(), QStringLiteral("Resident"));
    EXPECT_TRUE(sortedInOrder(m.filter));
    // Back before the resource: its rows go in one removal.
    m.document.stepBack();
    m.refresh();
    EXPECT_EQ(m.allocations.rowCount(), before);
    EXPECT_EQ(m.allocations.lastSync().removed, 1000);
    EXPECT_FALSE(m.allocations.lastSync().reset);
    EXPECT_TRUE(sortedInOrder(m.filter));
}

TEST(Models, ReclaimAfterPressureShowsADiscardedRowLinkedToTheDiscard)
{
    Models m;
    m.open("01-first-offer-and-reclaim.jsonc");
    while (m.document.stepForward()) { }
    m.refresh();
    const int row = findRow(m.reclaims, ReclaimResultsModel::Result, QStringLiteral("DISCARDED"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(m.reclaims.index(row, ReclaimResultsModel::Allocation).data().toString(), QStringLiteral("menu"));
    EXPECT_EQ(m.reclaims.index(row, ReclaimResultsModel::Priority).data().toString(), QStringLiteral("NORMAL"));
    EXPECT_GT(m.reclaims.index(row, ReclaimResultsModel::Fence).data(SortRole).toULongLong(), 0u);
    const quint64 cause = m.reclaims.index(row, 0).data(CauseSeqRole).toULongLong();
    ASSERT_NE(cause, 0u);
    const int eventRow = m.events.rowOfSeq(cause);
    ASSERT_GE(eventRow, 0);
    EXPECT_EQ(m.events.index(eventRow, EventLogModel::Kind).data().toString(), QStringLiteral("Discarded"));
    EXPECT_EQ(findRow(m.reclaims, ReclaimResultsModel::Result, QStringLiteral("OK")), 0);
    const auto counts = m.reclaims.countsByPriority();
    EXPECT_EQ(counts[2][0], 1); // NORMAL: one OK
    EXPECT_EQ(counts[2][1], 1); // NORMAL: one DISCARDED

    // The same reclaim again is a misuse: a failed-call row with the status, nothing else changes.
    const QString allocationsBefore = modelToCsv(m.allocations);
    const int rows = m.reclaims.rowCount();
    EXPECT_EQ(m.document.apply(m.step(scenario::StepKind::Reclaim, { "menu" })).status, NtStatus::InvalidParameter);
    m.refresh();
    ASSERT_EQ(m.reclaims.rowCount(), rows + 1);
    EXPECT_TRUE(m.reclaims.index(rows, ReclaimResultsModel::Result)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("failed: STATUS_INVALID_PARAMETER")));
    EXPECT_EQ(modelToCsv(m.allocations), allocationsBefore);
}

TEST(Models, StepBackRemovesRowsFromTheEndInsteadOfResetting)
{
    Models m;
    m.open("01-first-offer-and-reclaim.jsonc");
    while (m.document.stepForward()) { }
    m.refresh();
    const int events = m.events.rowCount();
    const int reclaims = m.reclaims.rowCount();
    int removedEvents = 0;
    QObject::connect(&m.events, &QAbstractItemModel::rowsRemoved,
        [&removedEvents](const QModelIndex&, int first, int last) { removedEvents += last - first + 1; });
    bool reset = false;
    QObject::connect(&m.events, &QAbstractItemModel::modelReset, [&reset] { reset = true; });
    m.document.stepBack(); // the closing "say"
    m.document.stepBack(); // the expect
    m.document.stepBack(); // the DISCARDED reclaim
    m.refresh();
    EXPECT_FALSE(reset);
    EXPECT_GT(removedEvents, 0);
    EXPECT_EQ(m.events.rowCount(), events - removedEvents);
    EXPECT_EQ(m.reclaims.rowCount(), reclaims - 1);
    EXPECT_EQ(findRow(m.reclaims, ReclaimResultsModel::Result, QStringLiteral("DISCARDED")), -1);
    // "menu" is discarded again at this point, as the lesson had it before the reclaim.
    const int row = findRow(m.allocations, AllocationsModel::Name, QStringLiteral("menu"));
    ASSERT_GE(row, 0);
    EXPECT_EQ(m.allocations.index(row, AllocationsModel::State).data().toString(), QStringLiteral("Discarded"));
}

TEST(Models, FiltersAndRawSorting)
{
    Models m;
    m.open("02-three-priorities.jsonc");
    while (m.document.stepForward()) { }
    m.refresh();
    ASSERT_GT(m.allocations.rowCount(), 3);
    m.filter.setState(sim::AllocationState::Offered);
    for (int r = 0; r < m.filter.rowCount(); ++r)
        EXPECT_EQ(m.filter.index(r, AllocationsModel::State).data().toString(), QStringLiteral("Offered"));
    m.filter.setState(std::nullopt);
    m.filter.setSearchText(QStringLiteral("thumb"));
    ASSERT_GE(m.filter.rowCount(), 1);
    for (int r = 0; r < m.filter.rowCount(); ++r)
        EXPECT_TRUE(m.filter.index(r, AllocationsModel::Name).data().toString().contains(QStringLiteral("thumb")));
    m.filter.setSearchText({});
    // Sizes sort by bytes, not by their text ("64 MiB" < "512 KiB" as text).
    m.filter.sort(AllocationsModel::Size, Qt::AscendingOrder);
    for (int r = 1; r < m.filter.rowCount(); ++r)
        EXPECT_LE(m.filter.index(r - 1, AllocationsModel::Size).data(SortRole).toULongLong(),
            m.filter.index(r, AllocationsModel::Size).data(SortRole).toULongLong());
}

TEST(Models, CsvExportQuotesAndHasAHeader)
{
    Models m;
    m.open("01-first-offer-and-reclaim.jsonc");
    while (m.document.stepForward()) { }
    m.refresh();
    const QString csv = modelToCsv(m.events);
    const QStringList lines = csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    EXPECT_EQ(lines.size(), m.events.rowCount() + 1);
    EXPECT_TRUE(lines.front().startsWith(QStringLiteral("#,Time,Event")));
    EXPECT_TRUE(csv.contains(QStringLiteral("\"")) && csv.contains(QStringLiteral("DISCARDED")));
    QTemporaryDir dir;
    QString error;
    EXPECT_TRUE(writeModelCsv(m.reclaims, dir.filePath(QStringLiteral("r.csv")), &error));
    EXPECT_FALSE(writeModelCsv(m.reclaims, dir.filePath(QStringLiteral("no/such/dir/r.csv")), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("no/such/dir"))) << error.toStdString();
}

TEST(Models, OpeningABrokenFileKeepsTheSessionAndSaysWhere)
{
    Models m;
    m.open("01-first-offer-and-reclaim.jsonc");
    m.document.stepForward();
    m.refresh();
    QString error;
    EXPECT_FALSE(m.document.open(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/README.md"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("README.md:1:"))) << error.toStdString();
    EXPECT_EQ(m.session().position(), 1u);
    EXPECT_TRUE(m.document.filePath().endsWith(QStringLiteral("01-first-offer-and-reclaim.jsonc")));
}

TEST(Models, SavedSessionReplaysToTheSameState)
{
    Models m;
    m.open("01-first-offer-and-reclaim.jsonc");
    m.document.seek(4);
    scenario::Step reclaim = m.step(scenario::StepKind::Reclaim, { "menu" });
    m.document.apply(reclaim);
    scenario::Step pressure = m.step(scenario::StepKind::Pressure);
    pressure.process = "Browser";
    pressure.bytes = 512u << 20;
    m.document.apply(pressure);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.jsonc"));
    QString error;
    ASSERT_TRUE(m.document.save(path, &error)) << error.toStdString();

    SessionDocument replay;
    ASSERT_TRUE(replay.open(path, &error)) << error.toStdString();
    while (replay.stepForward()) { }
    const auto& replayed = dynamic_cast<const session::Session&>(*replay.world());
    EXPECT_EQ(replayed.simulator().stateDump(), m.session().simulator().stateDump());
    EXPECT_EQ(replayed.simulator().eventLog().formatAll(), m.session().simulator().eventLog().formatAll());
}

namespace {

// A random state of offers: allocations of random sizes, segments and residency priorities, some busy
// on the GPU, offered at random priorities (AUTO too) at different times, some not offered at all.
std::string randomOffers(std::mt19937& rng)
{
    const auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* const residency[] = { "MINIMUM", "LOW", "NORMAL", "HIGH", "MAXIMUM" };
    static const char* const priority[] = { "LOW", "NORMAL", "HIGH", "AUTO" };
    std::string steps;
    const int count = 3 + pick(10);
    for (int i = 0; i < count; ++i)
        steps += "{ \"create\": \"a" + std::to_string(i) + "\", \"device\": \"appDevice\", \"size\": \""
            + std::to_string(1 + pick(48)) + "MiB\", \"segment\": " + std::to_string(pick(2)) + ", \"residency\": \""
            + residency[pick(5)] + "\" },\n";
    std::vector<bool> offered(static_cast<std::size_t>(count), false);
    for (int i = 0; i < count; ++i) {
        const int a = pick(count);
        // GPU work on an offered allocation is the application's bug (the device is removed): only before.
        if (pick(4) == 0 && !offered[static_cast<std::size_t>(a)])
            steps += "{ \"gpu\": \"a" + std::to_string(a) + "\", \"duration\": \"" + std::to_string(1 + pick(20))
                + "ms\" },\n";
        if (pick(5) != 0 && !offered[static_cast<std::size_t>(a)]) {
            offered[static_cast<std::size_t>(a)] = true;
            steps += "{ \"offer\": \"a" + std::to_string(a) + "\", \"priority\": \"" + priority[pick(4)] + "\" },\n";
        }
        steps += "{ \"advance\": \"" + std::to_string(pick(3)) + "ms\" },\n";
    }
    steps.resize(steps.size() - 2); // the last ",\n"
    return "{ \"title\": \"random offers\", \"adapter\": { \"name\": \"GPU\", \"segments\": [ { \"name\": \"VRAM\", "
           "\"size\": \"1GiB\" }, { \"name\": \"Aperture\", \"size\": \"1GiB\", \"group\": \"nonLocal\" } ] },\n"
           "\"processes\": [ { \"name\": \"App\", \"devices\": [ \"appDevice\" ] } ],\n\"steps\": [\n"
        + steps + "\n] }\n";
}

// Loads the random offers of `seed` into the models' document; false (with the parse error reported)
// when they do not parse.
bool loadRandomOffers(Models& m, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    Result<scenario::Scenario> parsed = scenario::parseScenario(randomOffers(rng), "random.jsonc");
    EXPECT_TRUE(parsed) << parsed.message();
    if (!parsed)
        return false;
    m.document.load(parsed.take());
    return true;
}

// What pressure discards in a segment, in order: one byte more than is free at a time, so each
// request takes exactly the next victim.
std::vector<D3DKMT_HANDLE> pressureOrder(sim::Simulator sim, std::uint32_t segment)
{
    std::vector<D3DKMT_HANDLE> out;
    const D3DKMT_HANDLE process = sim.processes().front();
    for (;;) {
        const std::uint64_t seen = sim.eventLog().lastSeq();
        const sim::SegmentUsage u = sim.segmentUsage(segment);
        if (u.offeredResident == 0)
            break;
        const Status status = sim.commitFromProcess(process, segment, u.free() + 1);
        EXPECT_TRUE(status.ok()) << status.message();
        if (!status.ok())
            break;
        std::size_t discards = 0;
        for (std::uint64_t seq = seen + 1; seq <= sim.eventLog().lastSeq(); ++seq)
            if (const events::Event* e = sim.eventLog().bySeq(seq);
                e != nullptr && e->kind == events::EventKind::Discarded)
                for (D3DKMT_HANDLE h : e->allocations) {
                    out.push_back(h);
                    ++discards;
                }
        if (discards == 0)
            break;
    }
    return out;
}

// The queue's rows of a segment: those pressure takes now, or (`once`) also the pending ones.
std::vector<D3DKMT_HANDLE> queueRows(const OfferedListModel& queue, std::uint32_t segment, bool once)
{
    std::vector<D3DKMT_HANDLE> out;
    for (const OfferedRow& row : queue.rows())
        if (const sim::AllocationSummary& a = queue.summaryOf(row);
            a.segment == segment && a.resident && (row.rank != 0 || once))
            out.push_back(row.key);
    return out;
}

} // namespace

TEST(OfferedListModel, TheQueueIsTheOrderPressureDiscardsInForRandomStates)
{
    std::size_t checked = 0, withAuto = 0, withPending = 0;
    for (std::uint32_t seed = 1; seed <= 1000; ++seed) {
        Models m;
        ASSERT_TRUE(loadRandomOffers(m, seed));
        m.document.seek(m.document.stepCount());
        m.refresh();
        const sim::Simulator& sim = m.session().simulator();
        for (const OfferedRow& row : m.queue.rows()) {
            withAuto += m.queue.summaryOf(row).requestedPriority == OfferPriority::Auto;
            withPending += row.rank == 0;
        }
        for (std::uint32_t segment = 0; segment < 2; ++segment) {
            // Now: the offers in effect, in the queue's order.
            EXPECT_EQ(pressureOrder(sim, segment), queueRows(m.queue, segment, false))
                << "seed " << seed << ", segment " << segment;
            // Once every fence has retired: the pending offers where the queue put them.
            sim::Simulator later = sim;
            later.advanceTime(1'000'000);
            EXPECT_EQ(pressureOrder(later, segment), queueRows(m.queue, segment, true))
                << "seed " << seed << ", segment " << segment << " (pending offers landed)";
            ++checked;
        }
        // The pressure that reaches each row is the bytes in memory of the rows before it and its own.
        std::uint64_t pressure[2] = { 0, 0 };
        for (const OfferedRow& row : m.queue.rows())
            if (const sim::AllocationSummary& a = m.queue.summaryOf(row); row.rank != 0 && a.resident) {
                pressure[a.segment] += a.size;
                EXPECT_EQ(row.after, pressure[a.segment]) << "seed " << seed;
            }
    }
    EXPECT_EQ(checked, 2000u);
    EXPECT_GT(withAuto, 100u);
    EXPECT_GT(withPending, 50u);
}

// What a table shows, row by row by allocation, and which cells it said had changed since: a cell
// whose text or colour differs after a refresh with no signal covering it stays stale on screen.
class CellWatch {
public:
    explicit CellWatch(QAbstractItemModel& model)
        : m_model(model)
    {
        QObject::connect(&model, &QAbstractItemModel::dataChanged, &m_context,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
                    auto [it, added] = m_signalled.try_emplace(keyAt(r), topLeft.column(), bottomRight.column());
                    it->second.first = std::min(it->second.first, topLeft.column());
                    it->second.second = std::max(it->second.second, bottomRight.column());
                }
            });
        QObject::connect(
            &model, &QAbstractItemModel::rowsInserted, &m_context, [this](const QModelIndex&, int first, int last) {
                for (int r = first; r <= last; ++r)
                    m_inserted.insert(keyAt(r));
            });
        QObject::connect(&model, &QAbstractItemModel::modelReset, &m_context, [this] { m_reset = true; });
        look();
    }
    /// Takes what the table shows now as the state to compare with.
    void look()
    {
        m_shown.clear();
        for (int r = 0; r < m_model.rowCount(); ++r)
            m_shown[keyAt(r)] = cells(r);
        m_signalled.clear();
        m_inserted.clear();
        m_reset = false;
    }
    /// The first cell that changed without a signal since look(), or "".
    std::string staleCell() const
    {
        if (m_reset)
            return {};
        for (int r = 0; r < m_model.rowCount(); ++r) {
            const std::uint32_t key = keyAt(r);
            if (m_inserted.count(key) != 0)
                continue;
            const auto was = m_shown.find(key);
            if (was == m_shown.end())
                return "row " + std::to_string(r) + " appeared without an insert";
            const std::vector<QString> now = cells(r);
            const auto signalled = m_signalled.find(key);
            for (int c = 0; c < m_model.columnCount(); ++c) {
                const bool covered
                    = signalled != m_signalled.end() && signalled->second.first <= c && c <= signalled->second.second;
                if (now[static_cast<std::size_t>(c)] != was->second[static_cast<std::size_t>(c)] && !covered)
                    return "row " + std::to_string(r) + ", column " + std::to_string(c) + ": \""
                        + was->second[static_cast<std::size_t>(c)].toStdString() + "\" became \""
                        + now[static_cast<std::size_t>(c)].toStdString() + "\" with no dataChanged";
            }
        }
        return {};
    }

private:
    std::uint32_t keyAt(int row) const { return m_model.index(row, 0).data(HandleRole).toUInt(); }
    std::vector<QString> cells(int row) const
    {
        std::vector<QString> out;
        for (int c = 0; c < m_model.columnCount(); ++c) {
            const QModelIndex i = m_model.index(row, c);
            out.push_back(i.data().toString() + u'|' + i.data(Qt::BackgroundRole).value<QBrush>().color().name() + u'|'
                + i.data(BarRole).toString());
        }
        return out;
    }

    QAbstractItemModel& m_model;
    QObject m_context; ///< the connections go with the watch
    std::map<std::uint32_t, std::vector<QString>> m_shown;
    std::map<std::uint32_t, std::pair<int, int>> m_signalled; ///< columns signalled, by allocation
    std::set<std::uint32_t> m_inserted;
    bool m_reset = false;
};

TEST(OfferedListModel, EveryCellThatChangesIsSignalled)
{
    // The lists read their allocations from the document's snapshot when shown, so a cell can change
    // with no row of theirs changing: the signals must still cover it, through every lesson stepped
    // forward and back, jumps, and random offers.
    std::size_t steps = 0, rewritten = 0;
    const auto watchAll = [&](Models& m, const std::function<void()>& move, const std::string& where) {
        std::vector<std::unique_ptr<CellWatch>> watches;
        std::vector<QAbstractItemModel*> tables { &m.queue, &m.low, &m.normal, &m.high, &m.autoList, &m.allocations };
        for (QAbstractItemModel* t : tables)
            watches.push_back(std::make_unique<CellWatch>(*t));
        move();
        m.refresh();
        ++steps;
        for (std::size_t i = 0; i < watches.size(); ++i) {
            const std::string stale = watches[i]->staleCell();
            EXPECT_EQ(stale, "") << where << ", table " << i;
        }
    };
    for (const QString& file :
        QDir(QStringLiteral(OFFERSCOPE_SOURCE_DIR "/resources/lessons")).entryList({ "*.jsonc" })) {
        Models m;
        m.open(file.toUtf8().constData());
        const std::string name = file.toStdString();
        while (m.document.position() < m.document.stepCount()) {
            const std::size_t at = m.document.position();
            watchAll(
                m, [&] { m.document.stepForward(); }, name + " step " + std::to_string(at + 1));
            for (const OfferedRow& row : m.queue.rows())
                rewritten += m.queue.summaryOf(row).handle == row.key ? 0 : 1;
        }
        for (int back = 0; back < 4 && m.document.position() > 0; ++back)
            watchAll(
                m, [&] { m.document.stepBack(); }, name + " back to " + std::to_string(m.document.position() - 1));
        std::mt19937 rng(7);
        for (int jump = 0; jump < 6; ++jump) {
            const std::size_t to = rng() % (m.document.stepCount() + 1);
            watchAll(
                m, [&] { m.document.seek(to); }, name + " jump to " + std::to_string(to));
        }
    }
    // A jump between any two positions of a scenario where an offer is reclaimed and made again later:
    // its row keeps its place and its pressure, but not its offer time.
    {
        Result<scenario::Scenario> parsed = scenario::parseScenario(
            R"({ "title": "offered twice", "adapter": { "name": "GPU", "segments": [ { "name": "VRAM", "size": "1GiB" } ] },
                "processes": [ { "name": "App", "devices": [ { "name": "dev", "pagingQueues": [ "queue" ] } ] } ],
                "steps": [ { "create": "a", "device": "dev", "size": "64MiB" },
                           { "create": "b", "device": "dev", "size": "32MiB" },
                           { "offer": "b", "priority": "LOW" },
                           { "offer": "a", "priority": "NORMAL" }, { "advance": "5ms" },
                           { "reclaim": "a", "queue": "queue" }, { "advance": "5ms" },
                           { "offer": "a", "priority": "NORMAL" }, { "advance": "5ms" } ] })",
            "offered-twice.jsonc");
        ASSERT_TRUE(parsed) << parsed.message();
        Models m;
        m.document.load(parsed.take());
        m.refresh();
        for (std::size_t from = 0; from <= m.document.stepCount(); ++from)
            for (std::size_t to = 0; to <= m.document.stepCount(); ++to) {
                m.document.seek(from);
                m.refresh();
                watchAll(
                    m, [&] { m.document.seek(to); },
                    "offered twice, jump from " + std::to_string(from) + " to " + std::to_string(to));
            }
    }
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        Models m;
        ASSERT_TRUE(loadRandomOffers(m, seed));
        m.refresh();
        while (m.document.position() < m.document.stepCount())
            watchAll(
                m, [&] { m.document.stepForward(); }, "seed " + std::to_string(seed));
        for (int back = 0; back < 5 && m.document.position() > 0; ++back)
            watchAll(
                m, [&] { m.document.stepBack(); }, "seed " + std::to_string(seed) + " back");
    }
    EXPECT_EQ(rewritten, 0u) << "a row named a slot the snapshot had given to another allocation";
    EXPECT_GT(steps, 500u);
}

TEST(BudgetCurveModel, ShowsTheCurveMarksTheKneeAndTheChosenBudget)
{
    BudgetCurveModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    replay::BudgetCurve curve;
    for (const auto& [mib, misses] : std::vector<std::pair<std::uint64_t, std::uint64_t>> {
             { 16, 90 }, { 32, 40 }, { 64, 10 }, { 128, 5 }, { 256, 2 } }) {
        replay::SweepPoint p;
        p.budget = mib * 1024 * 1024;
        p.stats.accesses = 100;
        p.stats.reclaimsDiscarded = misses;
        p.stats.reclaimsOk = 100 - misses;
        curve.points.push_back(p);
    }
    curve.knee = replay::kneeOf(curve.points);
    ASSERT_TRUE(curve.knee);
    QSignalSpy chosen(&model, &BudgetCurveModel::chosenChanged);
    model.setCurve(curve, QStringLiteral("cache.csv"));
    ASSERT_EQ(model.rowCount(), 5);
    EXPECT_EQ(model.kneeRow(), static_cast<int>(*curve.knee));
    EXPECT_EQ(model.chosenRow(), static_cast<int>(*curve.knee)) << "the knee is chosen first";
    EXPECT_EQ(chosen.count(), 1);
    EXPECT_TRUE(
        model.index(*model.kneeRow(), BudgetCurveModel::Budget).data().toString().endsWith(QStringLiteral("(knee)")));
    EXPECT_EQ(model.index(0, BudgetCurveModel::MissRatio).data().toString(), QStringLiteral("0.9000"));
    EXPECT_EQ(model.index(0, BudgetCurveModel::Discarded).data().toString(), QStringLiteral("90"));
    model.choose(4);
    EXPECT_EQ(model.chosenRow(), 4);
    EXPECT_EQ(chosen.count(), 2);
    model.choose(99); // not a row: nothing changes
    EXPECT_EQ(model.chosenRow(), 4);
}
