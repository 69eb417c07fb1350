// SPDX-License-Identifier: GPL-3.0-or-later
// The trace reader: every format gives the same accesses for the same trace (written by writeTrace, read
// back a batch at a time across the reader's 4 MiB windows), a streamed replay gives the numbers of the
// replay of the whole trace, and broken input says where it broke and keeps what came before.
#include "core/Units.h"
#include "core/replay/TraceGenerator.h"
#include "core/replay/TraceReader.h"
#include "core/replay/TraceReplayer.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>
#include <unordered_map>

using namespace offerscope;
using namespace offerscope::replay;

namespace {

/// A temporary file removed at the end of the test.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& name)
        : path((std::filesystem::temp_directory_path() / ("offerscope-" + std::to_string(::getpid()) + "-" + name))
                   .string())
    {
    }
    ~TempFile() { std::filesystem::remove(path); }
};

void writeFile(const std::string& path, const AccessTrace& trace, TraceFormat format)
{
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const Status s = writeTrace(trace, format, f, path);
    ASSERT_EQ(std::fclose(f), 0);
    ASSERT_TRUE(s.ok()) << s.message();
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    ASSERT_EQ(std::fclose(f), 0);
}

/// The trace with its objects numbered in the order they first appear, as every reader numbers them.
AccessTrace renumbered(const AccessTrace& trace)
{
    AccessTrace out = trace;
    std::unordered_map<std::uint32_t, std::uint32_t> number;
    for (TraceAccess& a : out.accesses)
        a.object = number.try_emplace(a.object, static_cast<std::uint32_t>(number.size())).first->second;
    out.objectCount = static_cast<std::uint32_t>(number.size());
    return out;
}

AccessTrace readInBatches(const TraceSource& source, std::size_t batch, Status& status)
{
    Result<std::unique_ptr<TraceReader>> opened = TraceReader::open(source);
    EXPECT_TRUE(opened) << opened.message();
    AccessTrace out;
    if (!opened)
        return out;
    std::vector<TraceAccess> accesses;
    while (opened.value()->next(accesses, batch)) {
        EXPECT_LE(accesses.size(), batch);
        out.accesses.insert(out.accesses.end(), accesses.begin(), accesses.end());
    }
    status = opened.value()->status();
    out.objectCount = opened.value()->objectCount();
    return out;
}

void expectSameAccesses(const AccessTrace& a, const AccessTrace& b, const std::string& what)
{
    ASSERT_EQ(a.accesses.size(), b.accesses.size()) << what;
    EXPECT_EQ(a.objectCount, b.objectCount) << what;
    for (std::size_t i = 0; i < a.accesses.size(); ++i) {
        ASSERT_EQ(a.accesses[i].object, b.accesses[i].object) << what << ", access " << i;
        ASSERT_EQ(a.accesses[i].size, b.accesses[i].size) << what << ", access " << i;
        ASSERT_EQ(a.accesses[i].priority, b.accesses[i].priority) << what << ", access " << i;
    }
}

TraceShape bigShape()
{
    // About 6 MB of text: the reader's 4 MiB windows cut lines, and records, in two.
    TraceShape shape;
    shape.objects = 50000;
    shape.accesses = 400000;
    shape.minSize = 64 * kKiB;
    shape.maxSize = 4 * kMiB;
    shape.seed = 11;
    return shape;
}

} // namespace

TEST(TraceReader, EveryFormatGivesTheSameAccessesAcrossWindowsAndBatches)
{
    const AccessTrace generated = generateTrace(bigShape());
    const AccessTrace expected = renumbered(generated);
    for (const TraceFormat format : { TraceFormat::OfferScope, TraceFormat::Csv, TraceFormat::OracleGeneral }) {
        TempFile file("formats." + std::string(traceFormatName(format)));
        writeFile(file.path, generated, format);
        TraceSource source { file.path, format, format == TraceFormat::Csv ? writtenCsvColumns() : CsvColumns {} };
        for (const std::size_t batch : { std::size_t { 7 }, std::size_t { 65536 }, std::size_t { 1 } << 20 }) {
            Status status;
            const AccessTrace read = readInBatches(source, batch, status);
            EXPECT_TRUE(status.ok()) << status.message();
            expectSameAccesses(
                read, expected, std::string(traceFormatName(format)) + " in batches of " + std::to_string(batch));
        }
    }
}

TEST(TraceReader, OracleGeneralRecordsAreLibCacheSimsLayout)
{
    AccessTrace trace;
    trace.accesses
        = { { 0, OfferPriority::None, 4096 }, { 1, OfferPriority::None, 65536 }, { 0, OfferPriority::None, 4096 } };
    trace.objectCount = 2;
    TempFile file("layout.oracleGeneral.bin");
    writeFile(file.path, trace, TraceFormat::OracleGeneral);
    ASSERT_EQ(std::filesystem::file_size(file.path), 3u * 24u);
    std::FILE* f = std::fopen(file.path.c_str(), "rb");
    unsigned char bytes[72];
    ASSERT_EQ(std::fread(bytes, 1, sizeof bytes, f), sizeof bytes);
    std::fclose(f);
    const auto le = [&bytes](int at, int n) {
        std::uint64_t v = 0;
        for (int i = n - 1; i >= 0; --i)
            v = (v << 8) | bytes[at + i];
        return v;
    };
    // { u32 clock_time; u64 obj_id; u32 obj_size; i64 next_access_vtime }, little-endian, packed.
    EXPECT_EQ(le(0, 4), 0u);
    EXPECT_EQ(le(4, 8), 0u);
    EXPECT_EQ(le(12, 4), 4096u);
    EXPECT_EQ(le(16, 8), 2u) << "object 0 comes back at access 2";
    EXPECT_EQ(le(24, 4), 1u);
    EXPECT_EQ(le(28, 8), 1u);
    EXPECT_EQ(le(36, 4), 65536u);
    EXPECT_EQ(static_cast<std::int64_t>(le(40, 8)), -1) << "object 1 never comes back";
    EXPECT_EQ(guessTraceFormat("/x/cache.oracleGeneral.bin"), TraceFormat::OracleGeneral);
    EXPECT_EQ(guessTraceFormat("/x/cache.csv"), TraceFormat::OfferScope);
}

TEST(TraceReader, AStreamedReplayGivesTheNumbersOfTheWholeTrace)
{
    TraceShape shape = bigShape();
    const AccessTrace generated = generateTrace(shape);
    ReplayOptions options;
    options.budget = 2 * kGiB;
    const Result<ReplayStats> whole = replayTrace(generated, options);
    ASSERT_TRUE(whole) << whole.message();
    EXPECT_GT(whole->reclaimsDiscarded, 1000u) << "a budget that makes the cache work";
    for (const TraceFormat format : { TraceFormat::OfferScope, TraceFormat::OracleGeneral }) {
        TempFile file("stream." + std::string(traceFormatName(format)));
        writeFile(file.path, generated, format);
        Result<std::unique_ptr<TraceReader>> reader = TraceReader::open({ file.path, format, {} });
        ASSERT_TRUE(reader);
        double lastProgress = 0;
        const Result<ReplayStats> streamed
            = replayTrace(*reader.value(), options, [&lastProgress](double share) { lastProgress = share; });
        ASSERT_TRUE(streamed) << streamed.message();
        EXPECT_EQ(streamed->accesses, whole->accesses);
        EXPECT_EQ(streamed->creations, whole->creations);
        EXPECT_EQ(streamed->reclaimsOk, whole->reclaimsOk);
        EXPECT_EQ(streamed->reclaimsDiscarded, whole->reclaimsDiscarded);
        EXPECT_EQ(streamed->bytesRegenerated, whole->bytesRegenerated);
        EXPECT_EQ(streamed->liveAllocations, whole->liveAllocations);
        EXPECT_DOUBLE_EQ(streamed->missRatio(), whole->missRatio());
        EXPECT_EQ(streamed->bytesRead, std::filesystem::file_size(file.path));
        EXPECT_DOUBLE_EQ(lastProgress, 1.0);
        EXPECT_GE(streamed->wallSeconds, streamed->seconds);
    }
}

TEST(TraceReader, TheMissRatioIsWhatACacheSimulatorCounts)
{
    // LRU of 200 bytes over objects of 100: 1 2 1 3 1 2 -> misses: 1 2 . 3 . 2 = 4 of 6.
    const Result<AccessTrace> trace = parseAccessTrace("1,100\n2,100\n1,100\n3,100\n1,100\n2,100\n", "t.csv");
    ASSERT_TRUE(trace);
    ReplayOptions options;
    options.budget = 200;
    const Result<ReplayStats> s = replayTrace(*trace, options);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->creations, 3u);
    EXPECT_EQ(s->reclaimsDiscarded, 1u);
    EXPECT_DOUBLE_EQ(s->missRatio(), 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(s->byteMissRatio(), 400.0 / 600.0);
    EXPECT_DOUBLE_EQ(s->discardRatio(), 1.0 / 3.0);
    const std::string text = formatReplayStats(*s, options);
    EXPECT_NE(
        text.find("miss ratio           0.6667  = (creations + DISCARDED + too large) / accesses"), std::string::npos)
        << text;
    EXPECT_NE(text.find("discard ratio        0.3333  = (DISCARDED + NOT_COMMITTED) / reclaims"), std::string::npos)
        << text;
}

TEST(TraceReader, CsvColumnsAreLibCacheSimsParameters)
{
    const Result<CsvColumns> c
        = parseCsvColumns("time-col=1, obj-id-col=2, obj-size-col=3, delimiter=,, has-header=true");
    ASSERT_TRUE(c) << c.message();
    EXPECT_EQ(c->timeCol, 1u);
    EXPECT_EQ(c->objIdCol, 2u);
    EXPECT_EQ(c->objSizeCol, 3u);
    EXPECT_EQ(c->delimiter, ',');
    EXPECT_TRUE(c->hasHeader);
    const Result<CsvColumns> tab = parseCsvColumns("obj-id-col=1,obj-size-col=4,delimiter=\\t,obj-id-is-num=false");
    ASSERT_TRUE(tab) << tab.message();
    EXPECT_EQ(tab->delimiter, '\t');
    EXPECT_FALSE(tab->objIdIsNum);
    EXPECT_EQ(parseCsvColumns(formatCsvColumns(*c))->objSizeCol, 3u) << formatCsvColumns(*c);

    EXPECT_EQ(parseCsvColumns("obj-id-col=2, obj-size-col=0").message(),
        "column 28: obj-size-col: '0' is not a column number (1, 2, ...)");
    EXPECT_EQ(parseCsvColumns("obj-id-col=2, colour=blue").message(),
        "column 15: unknown parameter 'colour' (time-col, obj-id-col, obj-size-col, priority-col, delimiter, "
        "has-header, obj-id-is-num)");
    EXPECT_EQ(parseCsvColumns("has-header=maybe").message(), "column 12: has-header: 'maybe' is not true or false");
    EXPECT_EQ(
        parseCsvColumns("obj-id-col=3, obj-size-col=3").message(), "obj-id-col and obj-size-col are the same column");
    EXPECT_EQ(parseCsvColumns("delimiter=ab").message(), "column 12: delimiter: one character only (or \\t)");

    // A csv trace with text ids, a priority column and a header.
    CsvColumns columns;
    columns.objIdCol = 2;
    columns.objSizeCol = 1;
    columns.priorityCol = 3;
    columns.hasHeader = true;
    columns.objIdIsNum = false;
    columns.delimiter = ';';
    auto reader = TraceReader::fromMemory(
        "size;id;prio\n100;sky;HIGH\n200;\"ground\";low\n100;sky;2\n", "t.csv", TraceFormat::Csv, columns);
    std::vector<TraceAccess> out;
    ASSERT_TRUE(reader->next(out, 100)) << reader->status().message();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].object, out[2].object);
    EXPECT_NE(out[0].object, out[1].object);
    EXPECT_EQ(out[1].size, 200u);
    EXPECT_EQ(out[0].priority, OfferPriority::High);
    EXPECT_EQ(out[1].priority, OfferPriority::Low);
    EXPECT_EQ(out[2].priority, OfferPriority::Normal);
    EXPECT_FALSE(reader->next(out, 100));
    EXPECT_TRUE(reader->status().ok());
}

TEST(TraceReader, BrokenInputSaysWhereAndKeepsWhatCameBefore)
{
    const auto firstError = [](std::string bytes, TraceFormat format, const CsvColumns& columns, std::size_t& kept) {
        auto reader = TraceReader::fromMemory(std::move(bytes), "t", format, columns);
        std::vector<TraceAccess> out;
        kept = 0;
        while (reader->next(out, 2))
            kept += out.size();
        return reader->status().message();
    };
    std::size_t kept = 0;
    CsvColumns csv;
    csv.objIdCol = 2;
    csv.objSizeCol = 3;
    EXPECT_EQ(firstError("0,1,10\n1,2,20\n2,3\n", TraceFormat::Csv, csv, kept),
        "t:3:4: the line has 2 column(s); obj-id-col, obj-size-col and priority-col need 3");
    EXPECT_EQ(kept, 2u);
    EXPECT_EQ(firstError("0,1,10\n1,x,20\n", TraceFormat::Csv, csv, kept),
        "t:2:3: obj_id 'x' is not a whole number (give obj-id-is-num=false for ids that are text)");
    EXPECT_EQ(kept, 1u);
    EXPECT_EQ(firstError("0,1,ten\n", TraceFormat::Csv, csv, kept),
        "t:1:5: obj_size 'ten' (column 3) is not a whole number of bytes");

    // oracleGeneral: two whole records, then 10 bytes of a third.
    std::string records(24 * 2 + 10, '\0');
    records[12] = 1; // sizes of 1 byte
    records[24 + 12] = 1;
    EXPECT_EQ(firstError(records, TraceFormat::OracleGeneral, {}, kept),
        "t: byte 48 (record 3): the file ends inside a record: 10 byte(s) of 24 (not an oracleGeneral trace, or cut "
        "short)");
    EXPECT_EQ(kept, 2u);
    std::string zero(48, '\0');
    zero[12] = 1;
    zero[24 + 4] = 9; // object 9, size 0
    EXPECT_EQ(
        firstError(zero, TraceFormat::OracleGeneral, {}, kept), "t: byte 24 (record 2): obj_size is 0 (object 9)");
    EXPECT_EQ(kept, 1u);

    // A streamed replay stops with the reader's error and its place.
    TempFile file("broken.csv");
    std::string text;
    for (int i = 0; i < 100000; ++i)
        text += std::to_string(i % 500) + ",4096\n";
    text += "7,lots\n";
    writeBytes(file.path, text);
    Result<std::unique_ptr<TraceReader>> reader = TraceReader::open({ file.path, TraceFormat::OfferScope, {} });
    ASSERT_TRUE(reader);
    ReplayOptions options;
    options.budget = kGiB;
    const Result<ReplayStats> replayed = replayTrace(*reader.value(), options);
    ASSERT_FALSE(replayed);
    EXPECT_EQ(replayed.message(),
        file.path + ":100001:3: size 'lots' is not a byte count (a whole number, optionally with a unit such as MiB)");
    EXPECT_FALSE(TraceReader::open({ "/nonexistent/t.csv", TraceFormat::OfferScope, {} }));
}
