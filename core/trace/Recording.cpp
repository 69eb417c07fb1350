// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/Recording.h"

#include "core/Units.h"

#include <algorithm>
#include <cstring>

namespace offerscope::trace {

namespace {

std::size_t fieldSize(FieldType type, std::uint8_t pointerSize)
{
    switch (type) {
    case FieldType::UInt8:
        return 1;
    case FieldType::UInt16:
        return 2;
    case FieldType::UInt32:
    case FieldType::Boolean:
        return 4;
    case FieldType::UInt64:
        return 8;
    case FieldType::Pointer:
        return pointerSize;
    }
    return 8;
}

/// Collects a buffer's DxgKrnl events and counts the rest.
class Collector final : public EtlVisitor {
public:
    explicit Collector(Recording& r)
        : m_r(r)
    {
    }
    void event(const EtlEvent& e) override
    {
        ++m_r.summary.providers[e.provider];
        if (!(e.provider == kDxgKrnlProvider))
            return;
        const EventSpec* spec = findEvent(e.id, e.version);
        if (spec == nullptr) {
            if (knowsEventId(e.id))
                ++m_r.summary.unknownVersions[{ e.id, e.version }];
            else
                ++m_r.summary.unknownIds[e.id];
            return;
        }
        RecordedEvent out;
        out.firstValue = static_cast<std::uint32_t>(m_r.values.size());
        if (!decodePayload(*spec, e.payload, e.pointerSize, m_r.values)) {
            if (m_r.summary.malformed.empty())
                m_r.summary.firstMalformedAt = e.offset;
            ++m_r.summary.malformed[{ e.id, e.version }];
            return;
        }
        out.timestamp = e.timestamp;
        out.processId = e.processId;
        out.threadId = e.threadId;
        out.spec = static_cast<std::uint16_t>(spec - dxgKrnlSchema().data());
        out.pointerSize = e.pointerSize;
        out.source = e.offset;
        ++m_r.summary.decoded[spec->kind];
        m_r.events.push_back(out);
    }

private:
    Recording& m_r;
};

Result<Recording> readAll(
    Result<std::unique_ptr<EtlReader>> opened, const std::string& name, const ImportProgress& progress)
{
    if (!opened)
        return opened.why();
    std::unique_ptr<EtlReader> reader = opened.take();
    Recording r;
    r.name = name;
    r.header = reader->header();
    r.summary.format = "ETL";
    r.summary.bytes = reader->size();
    r.summary.eventsLost = r.header.eventsLost;
    r.summary.buffersLost = r.header.buffersLost;
    Collector collector(r);
    for (bool more = true; more;) {
        if (progress.cancelled && progress.cancelled()) {
            r.stopped = Status(NtStatus::Unsuccessful, name + ": import cancelled");
            break;
        }
        r.stopped = reader->next(collector, more);
        if (!r.stopped.ok())
            break;
        if (progress.report && reader->counts().buffers % 64 == 0)
            progress.report(reader->size() != 0
                    ? static_cast<double>(reader->position()) / static_cast<double>(reader->size())
                    : 1.0);
    }
    r.summary.buffers = reader->counts().buffers;
    r.summary.records = reader->counts().events + reader->counts().classic + reader->counts().errorRecords;
    r.summary.classicRecords = reader->counts().classic;
    // Buffers are written per processor, out of order: time order is the recording's order.
    for (RecordedEvent& e : r.events)
        e.timeUs = reader->microseconds(e.timestamp);
    std::stable_sort(r.events.begin(), r.events.end(),
        [](const RecordedEvent& a, const RecordedEvent& b) { return a.timestamp < b.timestamp; });
    if (progress.report)
        progress.report(1.0);
    return r;
}

} // namespace

std::uint64_t Recording::value(const RecordedEvent& e, std::string_view field) const
{
    const int i = fieldIndex(spec(e), field);
    return i < 0 ? 0 : values[e.firstValue + static_cast<std::size_t>(i)];
}

bool decodePayload(const EventSpec& spec, std::span<const std::uint8_t> payload, std::uint8_t pointerSize,
    std::vector<std::uint64_t>& values)
{
    std::size_t need = 0;
    for (const FieldSpec& f : spec.fields)
        need += fieldSize(f.type, pointerSize);
    if (payload.size() < need || (spec.exact && payload.size() != need))
        return false;
    std::size_t at = 0;
    for (const FieldSpec& f : spec.fields) {
        const std::size_t n = fieldSize(f.type, pointerSize);
        std::uint64_t v = 0;
        std::memcpy(&v, payload.data() + at, n); // little-endian: the low bytes first
        values.push_back(v);
        at += n;
    }
    return true;
}

Result<Recording> readEtlRecording(const std::string& path, const ImportProgress& progress)
{
    return readAll(EtlReader::open(path), path, progress);
}

Result<Recording> readEtlRecordingBytes(std::vector<std::uint8_t> bytes, std::string name)
{
    std::string label = name;
    return readAll(EtlReader::openBytes(std::move(bytes), std::move(name)), label, {});
}

std::string fieldsText(const Recording& r, const RecordedEvent& e)
{
    const EventSpec& spec = r.spec(e);
    std::string out;
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const FieldSpec& f = spec.fields[i];
        const std::uint64_t v = r.value(e, i);
        if (!out.empty())
            out += ' ';
        out += std::string(f.name) + '=';
        if (f.type == FieldType::Pointer)
            out += formatHex(v);
        else if (f.type == FieldType::Boolean)
            out += v != 0 ? "true" : "false";
        else
            out += std::to_string(v);
        std::string_view named;
        if (f.name == "Priority"
            && (spec.kind == EventKind::OfferStart || spec.kind == EventKind::ReportOffer
                || spec.kind == EventKind::Reclaim))
            named = offerPriorityText(v);
        else if (f.name == "State")
            named = offerStateText(v);
        else if (f.name == "MemorySegmentGroup")
            named = v == 0 ? "LOCAL" : v == 1 ? "NON_LOCAL" : "";
        else if (spec.kind == EventKind::PerformanceWarning && f.name == "Event")
            named = performanceWarningText(v);
        else if (f.type == FieldType::UInt64 && v >= 1024
            && (f.name.find("Budget") != std::string_view::npos || f.name.find("Usage") != std::string_view::npos
                || f.name.find("Commitment") != std::string_view::npos || f.name == "Size" || f.name == "allocSize"
                || f.name == "NumBytesToTrim" || f.name == "TotalBytesResident"))
            out += " (" + formatBytes(v) + ")";
        if (!named.empty())
            out += " (" + std::string(named) + ")";
    }
    return out;
}

std::string eventLine(const Recording& r, const RecordedEvent& e)
{
    char time[32];
    std::snprintf(time, sizeof time, "%12.3f ms", static_cast<double>(e.timeUs) / 1000.0);
    return std::string(time) + "  pid " + std::to_string(e.processId) + "  tid " + std::to_string(e.threadId) + "  "
        + std::string(r.spec(e).name) + "  " + fieldsText(r, e);
}

std::string formatImportSummary(const Recording& r)
{
    const ImportSummary& s = r.summary;
    std::string out;
    const auto line = [&out](const std::string& text) { out += text + "\n"; };
    line("recording            " + r.name + " (" + s.format + ", " + formatBytes(s.bytes) + ")");
    if (s.format == "ETL") {
        line("written by           Windows " + std::to_string(r.header.windowsMajor) + "."
            + std::to_string(r.header.windowsMinor) + " build " + std::to_string(r.header.build) + ", "
            + std::to_string(r.header.pointerSize * 8) + "-bit, " + std::to_string(r.header.processors)
            + " processor(s), session '" + r.header.loggerName + "'");
        line("buffers              " + std::to_string(s.buffers) + " of " + formatBytes(r.header.bufferSize)
            + " (the header says " + std::to_string(r.header.buffersWritten) + " were written)");
    }
    line("records              " + std::to_string(s.records) + " (" + std::to_string(s.classicRecords)
        + " of kernel and classic providers)");
    line("events lost          " + std::to_string(s.eventsLost) + " events, " + std::to_string(s.buffersLost)
        + " buffers (as the recording says)");
    line("providers:");
    for (const auto& [guid, n] : s.providers)
        line("  " + guidText(guid) + (guid == kDxgKrnlProvider ? " Microsoft-Windows-DxgKrnl" : "") + "  "
            + std::to_string(n));
    std::uint64_t decoded = 0;
    for (const auto& [kind, n] : s.decoded)
        decoded += n;
    line("DxgKrnl events decoded " + std::to_string(decoded) + ":");
    std::map<EventKind, std::string_view> names;
    for (const EventSpec& spec : dxgKrnlSchema())
        names.emplace(spec.kind, spec.name);
    for (const auto& [kind, n] : s.decoded)
        line("  " + std::string(names[kind]) + "  " + std::to_string(n));
    if (!s.unknownIds.empty() || !s.unknownVersions.empty() || !s.malformed.empty()) {
        line("DxgKrnl events skipped:");
        for (const auto& [id, n] : s.unknownIds)
            line("  id " + std::to_string(id) + " (not an event of the offer model)  " + std::to_string(n));
        for (const auto& [key, n] : s.unknownVersions)
            line("  id " + std::to_string(key.first) + " version " + std::to_string(key.second)
                + " (a version the table does not know)  " + std::to_string(n));
        for (const auto& [key, n] : s.malformed)
            line("  id " + std::to_string(key.first) + " version " + std::to_string(key.second)
                + " (payload shorter than its fields; the first at byte " + std::to_string(s.firstMalformedAt) + ")  "
                + std::to_string(n));
    }
    if (!r.stopped.ok())
        line("stopped early        " + r.stopped.message() + " (what came before is kept)");
    return out;
}

} // namespace offerscope::trace
