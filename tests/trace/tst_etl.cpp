// SPDX-License-Identifier: GPL-3.0-or-later
// The .etl reader and the DxgKrnl table: recordings written by the test writer (EtlWriter.h) with
// every decoded event and version, both pointer sizes, several buffers stored out of order, other
// providers and kernel records mixed in; then broken files, each refused in words that say where.
#include "core/trace/Recording.h"
#include "tests/trace/EtlWriter.h"

#include <gtest/gtest.h>
#include <set>

using namespace offerscope;
using namespace offerscope::trace;
using offerscope::trace::testing::EtlWriter;
using offerscope::trace::testing::payloadOf;
using offerscope::trace::testing::WrittenEvent;

namespace {

constexpr Guid kOtherProvider { 0x0cd1c309, 0x0878, 0x4515, { 0x83, 0xdb, 0x74, 0x98, 0x43, 0xb3, 0xf5, 0xc9 } };

/// Distinct values for every field of an event: which event, which field, and pointers above 4 GiB
/// where the recording is 64-bit.
std::vector<std::uint64_t> valuesFor(std::size_t event, const EventSpec& spec, std::uint8_t pointerSize)
{
    std::vector<std::uint64_t> values;
    for (std::size_t f = 0; f < spec.fields.size(); ++f) {
        const std::uint64_t v = (event + 1) * 100 + f;
        switch (spec.fields[f].type) {
        case FieldType::UInt8:
            values.push_back(v & 0xFF);
            break;
        case FieldType::UInt16:
            values.push_back(v & 0xFFFF);
            break;
        case FieldType::Boolean:
            values.push_back(f % 2);
            break;
        case FieldType::UInt32:
            values.push_back(0x10000000 + v);
            break;
        case FieldType::UInt64:
            values.push_back(0x123400000000 + v);
            break;
        case FieldType::Pointer:
            values.push_back(pointerSize == 8 ? 0xFFFF800000000000 + v * 16 : 0x80000000 + v * 16);
            break;
        }
    }
    return values;
}

struct Written {
    std::vector<std::uint8_t> bytes;
    std::vector<std::vector<std::uint64_t>> values; ///< per table event, in table order
};

/// One event of every (id, version) of the table, in table order one tick apart (0.1 µs), each with
/// its own values; between them other providers' events, kernel records, and every third one with
/// extended data items. Small buffers: many of them, stored out of order.
Written everyEvent(std::uint8_t pointerSize, std::uint32_t bufferSize = 1024)
{
    EtlWriter writer(bufferSize, pointerSize);
    Written w;
    const auto schema = dxgKrnlSchema();
    for (std::size_t i = 0; i < schema.size(); ++i) {
        const EventSpec& spec = schema[i];
        WrittenEvent e;
        e.id = spec.id;
        e.version = spec.version;
        e.ticks = 10 * (i + 1) * 1000; // 1 ms apart
        e.processId = 4000 + static_cast<std::uint32_t>(i);
        e.threadId = 7000 + static_cast<std::uint32_t>(i);
        e.extended = i % 3 == 0;
        w.values.push_back(valuesFor(i, spec, pointerSize));
        e.payload = payloadOf(spec, w.values.back(), pointerSize);
        writer.add(e);
        WrittenEvent other;
        other.provider = kOtherProvider;
        other.id = 12;
        other.ticks = e.ticks + 3;
        other.payload.assign(40, 0x33);
        writer.add(other);
        writer.addKernelRecord(e.ticks + 5);
    }
    w.bytes = writer.bytes(true);
    return w;
}

Recording read(std::vector<std::uint8_t> bytes, const std::string& name = "t.etl")
{
    Result<Recording> r = readEtlRecordingBytes(std::move(bytes), name);
    EXPECT_TRUE(r) << r.message();
    return r ? r.take() : Recording {};
}

} // namespace

TEST(DxgKrnlSchema, TheTableIsSortedAndEveryFieldHasAName)
{
    const auto schema = dxgKrnlSchema();
    ASSERT_FALSE(schema.empty());
    std::set<std::pair<int, int>> seen;
    for (std::size_t i = 0; i < schema.size(); ++i) {
        const EventSpec& e = schema[i];
        EXPECT_TRUE(seen.insert({ e.id, e.version }).second) << e.name << " twice";
        if (i > 0) {
            EXPECT_TRUE(schema[i - 1].id < e.id || (schema[i - 1].id == e.id && schema[i - 1].version < e.version))
                << e.name << " out of order";
        }
        EXPECT_EQ(findEvent(e.id, e.version), &e);
        EXPECT_FALSE(e.fields.empty()) << e.name;
        for (const FieldSpec& f : e.fields)
            EXPECT_FALSE(f.name.empty()) << e.name;
    }
    EXPECT_EQ(findEvent(186, 9), nullptr);
    EXPECT_TRUE(knowsEventId(186));
    EXPECT_FALSE(knowsEventId(9999));
    EXPECT_EQ(guidText(kDxgKrnlProvider), "{802ec45a-1e99-4b83-9920-87c98277ba9d}");
    EXPECT_EQ(offerPriorityText(4), "AUTO");
    EXPECT_EQ(offerStateText(3), "DISCARDED");
    EXPECT_EQ(performanceWarningText(0x15), "COULD_NOT_PROCESS_RECLAIM");
}

class EtlBothPointerSizes : public ::testing::TestWithParam<int> { };

TEST_P(EtlBothPointerSizes, EveryEventOfTheTableReadsBackFieldByField)
{
    const auto pointerSize = static_cast<std::uint8_t>(GetParam());
    const Written w = everyEvent(pointerSize);
    const Recording r = read(w.bytes);
    ASSERT_TRUE(r.stopped.ok()) << r.stopped.message();
    const auto schema = dxgKrnlSchema();
    EXPECT_EQ(r.header.pointerSize, pointerSize);
    EXPECT_EQ(r.header.loggerName, "OfferScope test");
    EXPECT_EQ(r.header.logFileName, "C:\\traces\\test.etl");
    EXPECT_EQ(r.header.build, 22631u);
    EXPECT_EQ(r.header.startTime, EtlWriter::kStartTime);
    EXPECT_EQ(r.header.perfFreq, EtlWriter::kPerfFreq);
    EXPECT_EQ(r.summary.buffers, r.header.buffersWritten);
    EXPECT_GT(r.summary.buffers, 5u) << "small buffers: the events spread over many";
    ASSERT_EQ(r.events.size(), schema.size()) << "the other provider's events and the kernel records are not decoded";
    // The buffers were stored out of order: the events come back in time order.
    for (std::size_t i = 0; i < r.events.size(); ++i) {
        const RecordedEvent& e = r.events[i];
        const EventSpec& spec = r.spec(e);
        SCOPED_TRACE(std::string(spec.name) + " v" + std::to_string(spec.version));
        EXPECT_EQ(&spec, &schema[i]);
        EXPECT_EQ(e.timeUs, (i + 1) * 1000u);
        EXPECT_EQ(e.processId, 4000u + i);
        EXPECT_EQ(e.threadId, 7000u + i);
        EXPECT_EQ(e.pointerSize, pointerSize);
        for (std::size_t f = 0; f < spec.fields.size(); ++f)
            EXPECT_EQ(r.value(e, f), w.values[i][f]) << spec.fields[f].name;
        EXPECT_EQ(r.value(e, spec.fields.front().name), w.values[i][0]);
    }
    EXPECT_EQ(r.summary.providers.at(kDxgKrnlProvider), schema.size());
    EXPECT_EQ(r.summary.providers.at(kOtherProvider), schema.size());
    EXPECT_EQ(r.summary.classicRecords, schema.size() + 1) << "the kernel records and the log-file header";
    EXPECT_TRUE(r.summary.unknownIds.empty());
    EXPECT_TRUE(r.summary.malformed.empty());
}

INSTANTIATE_TEST_SUITE_P(PointerSizes, EtlBothPointerSizes, ::testing::Values(4, 8),
    [](const ::testing::TestParamInfo<int>& p) { return std::to_string(p.param * 8) + "bit"; });

TEST(Etl, UnknownIdsVersionsAndShortPayloadsAreCountedAndSkipped)
{
    EtlWriter writer(4096, 8);
    const EventSpec& offer = *findEvent(186, 0);
    WrittenEvent good;
    good.id = 186;
    good.ticks = 100;
    good.payload = payloadOf(offer, { 0xFFFF800012340000, 1 }, 8);
    writer.add(good);
    WrittenEvent unknownId = good;
    unknownId.id = 9999;
    writer.add(unknownId);
    WrittenEvent unknownVersion = good;
    unknownVersion.version = 7;
    writer.add(unknownVersion);
    writer.add(unknownVersion);
    WrittenEvent shortPayload = good;
    shortPayload.payload.resize(5);
    writer.add(shortPayload);
    WrittenEvent longer = good; // a newer Windows that adds a field at the end: the known ones still decode
    longer.payload.resize(good.payload.size() + 12, 0xAB);
    longer.ticks = 200;
    writer.add(longer);
    const Recording r = read(writer.bytes());
    ASSERT_TRUE(r.stopped.ok()) << r.stopped.message();
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.value(r.events[0], "hAllocationHandle"), 0xFFFF800012340000u);
    EXPECT_EQ(r.value(r.events[1], "Priority"), 1u);
    EXPECT_EQ(r.summary.unknownIds.at(9999), 1u);
    EXPECT_EQ(r.summary.unknownVersions.at({ 186, 7 }), 2u);
    EXPECT_EQ(r.summary.malformed.at({ 186, 0 }), 1u);
    EXPECT_GT(r.summary.firstMalformedAt, 0u);
    const std::string summary = formatImportSummary(r);
    EXPECT_NE(summary.find("id 9999 (not an event of the offer model)  1"), std::string::npos) << summary;
    EXPECT_NE(summary.find("id 186 version 7 (a version the table does not know)  2"), std::string::npos) << summary;
    EXPECT_NE(summary.find("OfferAllocationStart  2"), std::string::npos) << summary;
}

// ---- broken files --------------------------------------------------------------------------------

TEST(EtlBadInput, NotAnEtlFileIsRefusedAtByteZero)
{
    std::vector<std::uint8_t> text(4096, 'x');
    const Result<Recording> r = readEtlRecordingBytes(text, "notes.txt");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.status(), NtStatus::DataError);
    EXPECT_EQ(r.message().rfind("notes.txt: byte 0 (0x00000000): not an event trace log (.etl)", 0), 0u) << r.message();
    const Result<Recording> empty = readEtlRecordingBytes({}, "empty.etl");
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.message().find("the file has 0 bytes"), std::string::npos) << empty.message();
    const Result<Recording> missing = readEtlRecording("/nonexistent/x.etl");
    EXPECT_EQ(missing.status(), NtStatus::ObjectNameNotFound);
    EXPECT_EQ(missing.message(), "/nonexistent/x.etl: cannot open the recording");
}

TEST(EtlBadInput, ATruncatedFileKeepsWhatCameBeforeAndSaysWhere)
{
    Written w = everyEvent(8, 1024);
    const std::size_t full = read(w.bytes).events.size();
    w.bytes.resize(w.bytes.size() - 300); // the last buffer loses its end
    const Recording r = read(w.bytes);
    EXPECT_EQ(r.stopped.code(), NtStatus::DataError);
    EXPECT_NE(r.stopped.message().find("truncated: the last buffer has 724 of its 1024 bytes"), std::string::npos)
        << r.stopped.message();
    EXPECT_NE(r.stopped.message().find("t.etl: byte " + std::to_string(w.bytes.size() - 724)), std::string::npos)
        << r.stopped.message();
    EXPECT_GT(r.events.size(), 0u);
    EXPECT_LT(r.events.size(), full);
    EXPECT_NE(formatImportSummary(r).find("stopped early"), std::string::npos);
}

TEST(EtlBadInput, ABufferWhoseSizeDisagreesWithTheHeaderStopsTheReading)
{
    Written w = everyEvent(8, 1024);
    const std::uint32_t wrong = 2048;
    std::memcpy(w.bytes.data() + 3 * 1024, &wrong, 4); // the fourth buffer's BufferSize
    const Recording r = read(w.bytes);
    EXPECT_EQ(r.stopped.code(), NtStatus::DataError);
    EXPECT_EQ(r.stopped.message(),
        "t.etl: byte 3072 (0x00000C00): the buffer there says it is 2048 bytes; the log-file header says every buffer "
        "is 1024");
    EXPECT_EQ(r.summary.buffers, 3u) << "the three buffers before it were read";
}

TEST(EtlBadInput, ARecordRunningPastItsBufferIsNamedByItsOffset)
{
    Written w = everyEvent(8, 1024);
    // The first record of the second buffer claims to be longer than what is left of the buffer.
    const std::size_t at = 1024 + 0x48;
    const std::uint16_t huge = 0x7FF0;
    std::memcpy(w.bytes.data() + at, &huge, 2);
    const Recording r = read(w.bytes);
    EXPECT_EQ(r.stopped.code(), NtStatus::DataError);
    EXPECT_NE(
        r.stopped.message().find("byte 1096 (0x00000448): a record of 32752 bytes runs past the buffer's used length"),
        std::string::npos)
        << r.stopped.message();
}

TEST(EtlBadInput, ACompressedRecordingSaysSoAndHowToRecordWithoutCompression)
{
    Written w = everyEvent(8, 1024);
    w.bytes[0x34] |= 0x40; // the first buffer's flags: compressed
    const Result<Recording> r = readEtlRecordingBytes(w.bytes, "dxg.etl");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.status(), NtStatus::NotSupported);
    EXPECT_NE(r.message().find("compressed"), std::string::npos) << r.message();
    EXPECT_NE(r.message().find("tracerpt FILE.etl -of XML"), std::string::npos) << r.message();
}
