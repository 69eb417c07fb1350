// SPDX-License-Identifier: GPL-3.0-or-later
// The tracerpt XML reader: the same recording written as .etl and as tracerpt's XML reads back the
// same, event for event and field for field; XML that is not tracerpt's, or broken, is refused or cut
// short in words that say where (line:column).
#include "core/trace/RecordingWorld.h"
#include "core/trace/TraceXml.h"
#include "tests/trace/RecordingScript.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace offerscope;
using namespace offerscope::trace;
using offerscope::trace::testing::RecordingScript;
using offerscope::trace::testing::ScriptEvent;

namespace {

constexpr Guid kOtherProvider { 0x11112222, 0x3333, 0x4444, { 0x55, 0x55, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66 } };

/// Every event of the table, with distinct values, and another provider's events between them.
RecordingScript everyEvent(std::uint8_t pointerSize)
{
    RecordingScript script(pointerSize, 2048);
    const auto schema = dxgKrnlSchema();
    for (std::size_t i = 0; i < schema.size(); ++i) {
        std::vector<std::uint64_t> values;
        for (std::size_t f = 0; f < schema[i].fields.size(); ++f) {
            const FieldType t = schema[i].fields[f].type;
            const std::uint64_t v = (i + 1) * 10 + f;
            values.push_back(t == FieldType::UInt8 ? (f == 1 ? 1 + i % 4 : v & 0xFF)
                    : t == FieldType::UInt16       ? v & 0xFFFF
                    : t == FieldType::Boolean      ? f % 2
                    : t == FieldType::UInt32       ? 0x20000000 + v
                    : t == FieldType::UInt64       ? 0x567800000000 + v
                    : pointerSize == 8             ? 0xFFFFC00000000000 + v * 8
                                                   : 0x90000000 + v * 8);
        }
        script.add(
            schema[i].id, schema[i].version, values, 5000 * (i + 1) + i % 7, 300 + static_cast<std::uint32_t>(i), 9);
        ScriptEvent other;
        other.provider = kOtherProvider;
        other.id = 3;
        other.ticks = 5000 * (i + 1) + 2500;
        script.add(other);
    }
    return script;
}

void expectSameEvents(const Recording& a, const Recording& b)
{
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
        const RecordedEvent& x = a.events[i];
        const RecordedEvent& y = b.events[i];
        SCOPED_TRACE(std::string(a.spec(x).name) + " #" + std::to_string(i));
        EXPECT_EQ(x.spec, y.spec);
        EXPECT_EQ(x.timeUs, y.timeUs);
        EXPECT_EQ(x.processId, y.processId);
        EXPECT_EQ(x.threadId, y.threadId);
        EXPECT_EQ(x.pointerSize, y.pointerSize);
        for (std::size_t f = 0; f < a.spec(x).fields.size(); ++f)
            EXPECT_EQ(a.value(x, f), b.value(y, f)) << a.spec(x).fields[f].name;
    }
    EXPECT_EQ(a.summary.decoded, b.summary.decoded);
    EXPECT_EQ(a.summary.providers, b.summary.providers);
}

} // namespace

class XmlBothPointerSizes : public ::testing::TestWithParam<int> { };

TEST_P(XmlBothPointerSizes, TheEtlAndItsXmlReadBackTheSameRecording)
{
    const RecordingScript script = everyEvent(static_cast<std::uint8_t>(GetParam()));
    Result<Recording> etl = readEtlRecordingBytes(script.etl(), "t.etl");
    Result<Recording> xml = readTraceXmlText(script.xml(), "t.xml");
    ASSERT_TRUE(etl) << etl.message();
    ASSERT_TRUE(xml) << xml.message();
    EXPECT_TRUE(etl.value().stopped.ok()) << etl.value().stopped.message();
    EXPECT_TRUE(xml.value().stopped.ok()) << xml.value().stopped.message();
    EXPECT_EQ(xml.value().events.size(), dxgKrnlSchema().size());
    EXPECT_EQ(xml.value().header.pointerSize, static_cast<std::uint32_t>(GetParam()));
    EXPECT_EQ(xml.value().summary.format, "tracerpt XML");
    expectSameEvents(etl.value(), xml.value());
}

INSTANTIATE_TEST_SUITE_P(PointerSizes, XmlBothPointerSizes, ::testing::Values(4, 8),
    [](const ::testing::TestParamInfo<int>& p) { return std::to_string(p.param * 8) + "bit"; });

TEST(Xml, ValueMapNamesAndNumbersBothRead)
{
    RecordingScript script(8);
    script.add(186, 0, { 0xFFFFC00000001000, 3 }, 10); // written as a number (the first event)
    script.add(186, 0, { 0xFFFFC00000002000, 3 }, 20); // written as VidMmOfferPriorityHigh
    script.add(189, 0, { 0xFFFFC00000002000, 3, 3 }, 30); // number
    script.add(189, 0, { 0xFFFFC00000002000, 3, 3 }, 40); // VIDMM_DISCARDED, VidMmOfferPriorityHigh
    const std::string text = script.xml();
    ASSERT_NE(text.find(">VidMmOfferPriorityHigh<"), std::string::npos);
    ASSERT_NE(text.find(">VIDMM_DISCARDED<"), std::string::npos);
    const Result<Recording> r = readTraceXmlText(text, "t.xml");
    ASSERT_TRUE(r) << r.message();
    ASSERT_EQ(r.value().events.size(), 4u);
    for (const RecordedEvent& e : r.value().events)
        EXPECT_EQ(r.value().value(e, "Priority"), 3u);
    EXPECT_EQ(r.value().value(r.value().events[3], "State"), 3u);
    EXPECT_EQ(r.value().events[1].timeUs, 2u);
}

TEST(XmlBadInput, NotTracerptsXmlIsRefusedWithLineAndColumn)
{
    const Result<Recording> other = readTraceXmlText("<?xml version=\"1.0\"?>\n<Project>\n</Project>\n", "p.xml");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.status(), NtStatus::DataError);
    EXPECT_EQ(other.message(), "p.xml:2:1: not the XML of tracerpt: expected the root element <Events>");
    const Result<Recording> noSystem = readTraceXmlText("<Events>\n  <Event><EventData/></Event>\n</Events>", "n.xml");
    ASSERT_FALSE(noSystem);
    EXPECT_EQ(noSystem.message(), "n.xml:2:3: not the XML of tracerpt: an <Event> without <System>");
}

TEST(XmlBadInput, ABrokenEventStopsTheReadingAndKeepsWhatCameBefore)
{
    RecordingScript script(8);
    for (int i = 0; i < 5; ++i)
        script.add(
            191, 0, { 0xFFFFC00000001000u + static_cast<std::uint64_t>(i) }, 10u * static_cast<std::uint64_t>(i + 1));
    std::string text = script.xml();
    // The fourth event's EventData loses its closing tag: not well-formed XML.
    std::size_t at = 0;
    for (int i = 0; i < 5; ++i) // the header event, then three DiscardAllocation events
        at = text.find("</EventData>", at) + 1;
    text.erase(at - 1, 12);
    const Result<Recording> r = readTraceXmlText(text, "b.xml");
    ASSERT_TRUE(r) << r.message();
    EXPECT_EQ(r.value().events.size(), 3u);
    EXPECT_EQ(r.value().stopped.code(), NtStatus::DataError);
    EXPECT_EQ(r.value().stopped.message().rfind("b.xml:", 0), 0u);
    EXPECT_NE(r.value().stopped.message().find(":"), std::string::npos);
    // A file cut in the middle of an event: truncated, the events before it kept.
    std::string cut = script.xml();
    cut.resize(cut.rfind("<EventData>"));
    const Result<Recording> t = readTraceXmlText(cut, "c.xml");
    ASSERT_TRUE(t) << t.message();
    EXPECT_EQ(t.value().events.size(), 4u);
    EXPECT_NE(t.value().stopped.message().find("truncated: this <Event> has no </Event>"), std::string::npos)
        << t.value().stopped.message();
}

TEST(XmlBadInput, AFieldThatIsNotANumberSkipsItsEventAndIsCounted)
{
    RecordingScript script(8);
    script.add(191, 0, { 0xFFFFC00000001000 }, 10);
    script.add(191, 0, { 0xFFFFC00000002000 }, 20);
    std::string text = script.xml();
    const std::size_t at = text.find("0xFFFFC00000002000");
    text.replace(at, 18, "lots");
    const Result<Recording> r = readTraceXmlText(text, "m.xml");
    ASSERT_TRUE(r) << r.message();
    EXPECT_TRUE(r.value().stopped.ok());
    EXPECT_EQ(r.value().events.size(), 1u);
    EXPECT_EQ(r.value().summary.malformed.at({ 191, 0 }), 1u);
    EXPECT_GT(r.value().summary.firstMalformedAt, 1u) << "the line of the event";
}

TEST(Xml, TheEtlAndItsXmlMakeTheSameWorld)
{
    const RecordingScript script = everyEvent(8);
    Result<Recording> etl = readEtlRecordingBytes(script.etl(), "t.etl");
    Result<Recording> xml = readTraceXmlText(script.xml(), "t.xml");
    ASSERT_TRUE(etl && xml);
    RecordingWorld a(etl.take());
    RecordingWorld b(xml.take());
    ASSERT_EQ(a.stepCount(), b.stepCount());
    EXPECT_EQ(a.adapterConfig().segments.size(), b.adapterConfig().segments.size());
    for (std::size_t p = 0; p <= a.stepCount(); p += 7) {
        a.seek(p);
        b.seek(p);
        std::vector<sim::AllocationSummary> ra, rb;
        a.allocationSummaries(ra);
        b.allocationSummaries(rb);
        EXPECT_EQ(ra, rb) << "position " << p;
        ASSERT_EQ(a.timeline().size(), b.timeline().size());
        const world::TimelinePoint& pa = a.timeline().back();
        const world::TimelinePoint& pb = b.timeline().back();
        EXPECT_EQ(pa.time, pb.time) << "position " << p;
        ASSERT_EQ(pa.segments.size(), pb.segments.size());
        for (std::size_t s = 0; s < pa.segments.size(); ++s) {
            EXPECT_EQ(pa.segments[s].inUse, pb.segments[s].inUse) << "position " << p;
            EXPECT_EQ(pa.segments[s].free, pb.segments[s].free) << "position " << p;
        }
        EXPECT_EQ(a.eventLog().lastSeq(), b.eventLog().lastSeq());
        if (p > 0) { // at the start the narration names the file
            EXPECT_EQ(a.narration(), b.narration()) << "position " << p;
        }
    }
    EXPECT_EQ(a.tiesText(), b.tiesText());
}

TEST(Xml, AFileLargerThanTheReadersWindowReadsWholeWithItsLineNumbers)
{
    // About 12 MiB: the reader holds a window of 4 MiB at a time.
    RecordingScript script(8);
    constexpr std::uint64_t kEvents = 15'000;
    for (std::uint64_t k = 0; k < kEvents; ++k)
        script.add(191, 0, { 0xFFFFC00000000000 + k }, 10 * k + 1);
    std::string text = script.xml();
    ASSERT_GT(text.size(), 8u * 1024 * 1024);
    // One field near the end is not a number: its event is skipped, counted, and its line is right.
    const std::size_t bad = text.rfind("0xFFFFC00000003A97");
    ASSERT_NE(bad, std::string::npos);
    text.replace(bad, 18, "lots");
    const std::size_t eventStart = text.rfind("<Event ", bad);
    const auto line = static_cast<std::uint64_t>(
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(eventStart), '\n') + 1);
    const std::string path = (std::filesystem::temp_directory_path() / "offerscope-large.xml").string();
    {
        std::ofstream out(path, std::ios::binary);
        out << text;
    }
    const Result<Recording> r = readTraceXml(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(r) << r.message();
    EXPECT_TRUE(r.value().stopped.ok()) << r.value().stopped.message();
    EXPECT_EQ(r.value().events.size(), kEvents - 1);
    EXPECT_EQ(r.value().summary.malformed.at({ 191, 0 }), 1u);
    EXPECT_EQ(r.value().summary.firstMalformedAt, line);
    // The last event read is the one before it, and its line is counted right across the windows too.
    const std::size_t previous = text.rfind("<Event ", eventStart - 1);
    EXPECT_EQ(r.value().events.back().source,
        static_cast<std::uint64_t>(
            std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(previous), '\n') + 1));
}
