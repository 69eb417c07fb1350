// SPDX-License-Identifier: GPL-3.0-or-later
// The item models: consistent under QAbstractItemModelTester through whole lessons, updated in place,
// and showing what a person expects after real actions.
#include "core/scenario/ScenarioParser.h"
#include "core/session/Session.h"
#include "widgets/models/AllocationFilterModel.h"
#include "widgets/models/AllocationsModel.h"
#include "widgets/models/CsvExport.h"
#include "widgets/models/EventLogModel.h"
#include "widgets/models/OfferedListModel.h"
#include "widgets/models/ReclaimResultsModel.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SegmentUsageModel.h"
#include "widgets/models/SessionDocument.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <memory>

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
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

    Models()
    {
        filter.setSourceModel(&allocations);
        // The window's order: the document refreshes them as the window does.
        for (Refreshable* m : std::initializer_list<Refreshable*> {
                 &allocations, &events, &reclaims, &segments, &budgets, &low, &normal, &high, &autoList })
            document.addView(m);
        for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*> {
                 &allocations, &filter, &events, &reclaims, &segments, &budgets, &low, &normal, &high, &autoList })
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
