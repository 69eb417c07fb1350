// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/TraceXml.h"

#include "core/TextFile.h"
#include "core/Units.h"

#if OFFERSCOPE_HAVE_PUGIXML
#include <charconv>
#include <pugixml.hpp>
#endif

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

namespace offerscope::trace {

#if OFFERSCOPE_HAVE_PUGIXML
namespace {

/// The event class of the log-file header event as tracerpt writes it (ExtendedTracingInfo/EventGuid).
constexpr std::string_view kHeaderEventClass = "{68fdd900-4a3e-11d1-84f4-0000f80464e3}";
constexpr std::size_t kChunk = 4 << 20;

std::optional<Guid> parseGuid(std::string_view text)
{
    if (text.size() == 38 && text.front() == '{' && text.back() == '}')
        text = text.substr(1, 36);
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return std::nullopt;
    // 32 hex digits exactly: a '-' anywhere else (or a digit where a '-' belongs) is not a GUID.
    std::string hex;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != 8 && i != 13 && i != 18 && i != 23)
            hex += text[i];
    for (char c : hex)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
    const auto part = [&](std::size_t at, std::size_t n) {
        std::uint64_t v = 0;
        std::from_chars(hex.data() + at, hex.data() + at + n, v, 16); // all hex digits, checked above
        return v;
    };
    Guid g;
    g.data1 = static_cast<std::uint32_t>(part(0, 8));
    g.data2 = static_cast<std::uint16_t>(part(8, 4));
    g.data3 = static_cast<std::uint16_t>(part(12, 4));
    for (std::size_t i = 0; i < 8; ++i)
        g.data4[i] = static_cast<std::uint8_t>(part(16 + 2 * i, 2));
    return g;
}

std::optional<std::uint64_t> parseNumber(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    std::uint64_t v = 0;
    for (char c : text) {
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0)
            return std::nullopt;
        if (v > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
            return std::nullopt;
        v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    }
    return v;
}

/// A field's value as tracerpt renders it: decimal or 0x-hex numbers, true/false, and the names of the
/// manifest's value maps where it substitutes them (OfferPriority, OfferState).
std::optional<std::uint64_t> parseValue(const FieldSpec& field, std::string_view text)
{
    if (auto n = parseNumber(text))
        return n;
    const std::string t = lowerAscii(text);
    if (field.type == FieldType::Boolean)
        return t == "true" ? std::optional<std::uint64_t>(1)
            : t == "false" ? std::optional<std::uint64_t>(0)
                           : std::nullopt;
    const auto endsWith
        = [&](std::string_view s) { return t.size() >= s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0; };
    if (field.name == "Priority") {
        if (endsWith("low"))
            return 1;
        if (endsWith("normal"))
            return 2;
        if (endsWith("high"))
            return 3;
        if (endsWith("maximum") || endsWith("auto"))
            return 4;
    }
    if (field.name == "State") {
        if (endsWith("not_offered"))
            return 0;
        if (endsWith("offer_pending"))
            return 1;
        if (endsWith("discarded"))
            return 3;
        if (endsWith("offered"))
            return 2;
    }
    return std::nullopt;
}

/// "2022-08-22T17:26:59.586989500+07:59" or "...Z": 100 ns units since 1601-01-01 UTC (a FILETIME).
std::optional<std::uint64_t> parseTime(std::string_view s)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (s.size() < 19
        || std::sscanf(std::string(s.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec)
            != 6)
        return std::nullopt;
    std::size_t at = 19;
    std::uint64_t fraction = 0; // in 100 ns
    if (at < s.size() && s[at] == '.') {
        ++at;
        int digits = 0;
        while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) {
            if (digits < 7)
                fraction = fraction * 10 + static_cast<std::uint64_t>(s[at] - '0');
            ++digits;
            ++at;
        }
        for (; digits < 7; ++digits)
            fraction *= 10;
    }
    std::int64_t offsetMinutes = 0;
    if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
        int oh = 0, om = 0;
        if (std::sscanf(std::string(s.substr(at + 1)).c_str(), "%2d:%2d", &oh, &om) != 2)
            return std::nullopt;
        offsetMinutes = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
    } else if (at < s.size() && s[at] != 'Z') {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1601)
        return std::nullopt;
    // Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar).
    const int yy = mo <= 2 ? y - 1 : y;
    const int era = yy / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
    const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offsetMinutes * 60;
    constexpr std::int64_t k1601To1970 = 11644473600;
    return static_cast<std::uint64_t>((seconds + k1601To1970) * 10'000'000) + fraction;
}

/// Hands out the text of a file (or a string) in windows, and says where a position is as line:column.
class Window {
public:
    Window(std::FILE* file, std::string text)
        : m_file(file)
        , m_text(std::move(text))
    {
        if (m_file == nullptr)
            m_eof = true;
    }
    bool fill()
    {
        if (m_eof)
            return false;
        const std::size_t old = m_text.size();
        m_text.resize(old + kChunk);
        const std::size_t n = std::fread(m_text.data() + old, 1, kChunk, m_file);
        m_text.resize(old + n);
        if (n < kChunk)
            m_eof = true;
        return n > 0;
    }
    std::string& text() { return m_text; }
    const std::string& text() const { return m_text; }
    /// Forgets the text before `pos` (its lines are counted).
    void consume(std::size_t pos)
    {
        for (std::size_t i = 0; i < pos; ++i)
            if (m_text[i] == '\n') {
                ++m_line;
                m_lineStart = m_base + i + 1;
            }
        m_base += pos;
        m_text.erase(0, pos);
        // The line cursor moves with the text (or starts again at its new beginning).
        if (m_cursor >= pos) {
            m_cursor -= pos;
        } else {
            m_cursor = 0;
            m_cursorLine = m_line;
        }
    }
    std::uint64_t base() const { return m_base; }
    /// Whether the text comes from a file a window at a time (else it is all in memory already).
    bool streaming() const { return m_file != nullptr; }
    std::string where(std::size_t pos) const
    {
        std::uint64_t line = m_line, start = m_lineStart;
        for (std::size_t i = 0; i < pos && i < m_text.size(); ++i)
            if (m_text[i] == '\n') {
                ++line;
                start = m_base + i + 1;
            }
        return std::to_string(line) + ":" + std::to_string(m_base + pos - start + 1);
    }
    /// The line of a position. Events are read in order: counting goes on from the last position asked
    /// for, so the lines of a window are counted once, not once per event.
    std::uint64_t lineOf(std::size_t pos) const
    {
        pos = std::min(pos, m_text.size());
        if (pos < m_cursor) {
            m_cursor = 0;
            m_cursorLine = m_line;
        }
        m_cursorLine += static_cast<std::uint64_t>(std::count(m_text.begin() + static_cast<std::ptrdiff_t>(m_cursor),
            m_text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
        m_cursor = pos;
        return m_cursorLine;
    }

private:
    std::FILE* m_file;
    std::string m_text;
    bool m_eof = false;
    std::uint64_t m_base = 0, m_line = 1, m_lineStart = 0;
    mutable std::size_t m_cursor = 0; ///< lineOf()'s last position in the text
    mutable std::uint64_t m_cursorLine = 1; ///< and its line
};

/// The next "<Event" start tag at or after `from` ("<Events" is not one), or npos.
std::size_t findEventTag(const std::string& text, std::size_t from)
{
    for (std::size_t at = text.find("<Event", from); at != std::string::npos; at = text.find("<Event", at + 1)) {
        const std::size_t after = at + 6;
        if (after >= text.size())
            return at; // needs more text to tell
        const char c = text[after];
        if (c == ' ' || c == '>' || c == '\t' || c == '\r' || c == '\n' || c == '/')
            return at;
    }
    return std::string::npos;
}

class Importer {
public:
    Importer(std::string name, Recording& r)
        : m_name(std::move(name))
        , m_r(r)
    {
    }

    Status run(Window& w, const ImportProgress& progress, std::uint64_t size)
    {
        // Up to the root element: a byte-order mark, the declaration, comments, blanks.
        w.fill();
        std::size_t at = 0;
        for (;;) {
            std::string& t = w.text();
            if (at == 0 && t.compare(0, 3, "\xEF\xBB\xBF") == 0)
                at = 3;
            while (at < t.size() && std::isspace(static_cast<unsigned char>(t[at])))
                ++at;
            if (t.compare(at, 2, "<?") == 0 || t.compare(at, 4, "<!--") == 0) {
                const std::size_t end = t.find(t.compare(at, 2, "<?") == 0 ? "?>" : "-->", at);
                if (end == std::string::npos) {
                    if (w.fill())
                        continue;
                    return notTracerpt(w, at, "a declaration or comment that never ends");
                }
                at = end + (t[end] == '?' ? 2 : 3);
                continue;
            }
            break;
        }
        if (w.text().compare(at, 7, "<Events") != 0
            || (at + 7 < w.text().size() && w.text()[at + 7] != '>'
                && !std::isspace(static_cast<unsigned char>(w.text()[at + 7]))))
            return notTracerpt(w, at, "expected the root element <Events>");
        at += 7;
        for (std::uint64_t count = 0;; ++count) {
            if (progress.cancelled && progress.cancelled())
                return Status(NtStatus::Unsuccessful, m_name + ": import cancelled");
            if (progress.report && count % 4096 == 0 && size != 0)
                progress.report(static_cast<double>(w.base() + at) / static_cast<double>(size));
            std::size_t start = findEventTag(w.text(), at);
            // The end of the root before the next event (looked for only up to it: once per event,
            // not through the rest of the window).
            const std::string_view before = std::string_view(w.text()).substr(
                at, start == std::string::npos ? std::string_view::npos : start - at);
            if (before.find("</Events>") != std::string_view::npos)
                return Status();
            if (start == std::string::npos || start + 7 > w.text().size()) {
                const std::size_t keep = w.text().size() > 16 ? w.text().size() - 16 : 0;
                const std::size_t from = std::min(at, keep);
                w.consume(from);
                at -= from;
                if (!w.fill())
                    return Status(NtStatus::DataError,
                        m_name + ":" + w.where(w.text().size()) + ": truncated: the file ends before </Events>");
                --count;
                continue;
            }
            std::size_t end = w.text().find("</Event>", start);
            while (end == std::string::npos) {
                w.consume(start);
                start = 0;
                if (!w.fill())
                    return Status(
                        NtStatus::DataError, m_name + ":" + w.where(0) + ": truncated: this <Event> has no </Event>");
                end = w.text().find("</Event>", start);
            }
            end += 8;
            if (Status s = event(w, start, end); !s.ok())
                return s;
            at = end;
            if (at > kChunk && w.streaming()) { // text already in memory stays where it is
                w.consume(at);
                at = 0;
            }
        }
    }

    void finish()
    {
        // Times from the log-file header event when there was one, else from the first event.
        std::uint64_t origin = m_headerTime.value_or(m_earliest.value_or(0));
        m_r.header.startTime = origin;
        for (RecordedEvent& e : m_r.events)
            e.timeUs = e.timestamp > origin ? (e.timestamp - origin) / 10 : 0;
        std::stable_sort(m_r.events.begin(), m_r.events.end(),
            [](const RecordedEvent& a, const RecordedEvent& b) { return a.timestamp < b.timestamp; });
    }

private:
    Status notTracerpt(const Window& w, std::size_t at, const std::string& what) const
    {
        return Status(NtStatus::DataError, m_name + ":" + w.where(at) + ": not the XML of tracerpt: " + what);
    }

    Status event(const Window& w, std::size_t start, std::size_t end)
    {
        pugi::xml_document doc;
        const pugi::xml_parse_result parsed
            = doc.load_buffer(w.text().data() + start, end - start, pugi::parse_default, pugi::encoding_utf8);
        if (!parsed)
            return Status(NtStatus::DataError,
                m_name + ":" + w.where(start + static_cast<std::size_t>(parsed.offset)) + ": " + parsed.description());
        const pugi::xml_node e = doc.first_child();
        const pugi::xml_node system = e.child("System");
        if (!system)
            return Status(NtStatus::DataError,
                m_name + ":" + w.where(start) + ": not the XML of tracerpt: an <Event> without <System>");
        ++m_r.summary.records;
        const pugi::xml_node provider = system.child("Provider");
        const std::optional<Guid> guid = parseGuid(provider.attribute("Guid").value());
        const std::optional<std::uint64_t> time
            = parseTime(system.child("TimeCreated").attribute("SystemTime").value());
        if (time && (!m_earliest || *time < *m_earliest))
            m_earliest = time;
        const pugi::xml_node extended = e.child("ExtendedTracingInfo");
        if (lowerAscii(extended.child_value("EventGuid")) == kHeaderEventClass && time) {
            m_headerTime = time;
            if (const auto p = parseNumber(dataValue(e, "PointerSize")))
                m_r.header.pointerSize = static_cast<std::uint32_t>(*p);
        }
        // Kernel and classic providers' events have no provider name: counted apart, as the .etl reader
        // counts their record kinds apart from manifest events.
        if (!guid || !provider.attribute("Name")) {
            ++m_r.summary.classicRecords;
            return Status();
        }
        ++m_r.summary.providers[*guid];
        if (!(*guid == kDxgKrnlProvider))
            return Status();
        const auto id = parseNumber(system.child_value("EventID"));
        const auto version = parseNumber(system.child_value("Version"));
        const std::uint64_t line = w.lineOf(start);
        if (!id || !version || *id > 0xFFFF || *version > 0xFF || !time) {
            malformed(0, 0, line);
            return Status();
        }
        const auto id16 = static_cast<std::uint16_t>(*id);
        const auto v8 = static_cast<std::uint8_t>(*version);
        const EventSpec* spec = findEvent(id16, v8);
        if (spec == nullptr) {
            if (knowsEventId(id16))
                ++m_r.summary.unknownVersions[{ id16, v8 }];
            else
                ++m_r.summary.unknownIds[id16];
            return Status();
        }
        RecordedEvent out;
        out.firstValue = static_cast<std::uint32_t>(m_r.values.size());
        for (const FieldSpec& f : spec->fields) {
            const std::optional<std::uint64_t> v = parseValue(f, dataValue(e, f.name));
            if (!v) {
                m_r.values.resize(out.firstValue);
                malformed(id16, v8, line);
                return Status();
            }
            m_r.values.push_back(*v);
        }
        const pugi::xml_node execution = system.child("Execution");
        out.timestamp = *time;
        out.processId = static_cast<std::uint32_t>(parseNumber(execution.attribute("ProcessID").value()).value_or(0));
        out.threadId = static_cast<std::uint32_t>(parseNumber(execution.attribute("ThreadID").value()).value_or(0));
        out.spec = static_cast<std::uint16_t>(spec - dxgKrnlSchema().data());
        out.pointerSize = m_r.header.pointerSize == 4 ? 4 : 8;
        out.source = line;
        ++m_r.summary.decoded[spec->kind];
        m_r.events.push_back(out);
        return Status();
    }

    static std::string_view dataValue(const pugi::xml_node& e, std::string_view name)
    {
        for (const pugi::xml_node d : e.child("EventData").children("Data"))
            if (name == d.attribute("Name").value())
                return d.child_value();
        return {};
    }

    void malformed(std::uint16_t id, std::uint8_t version, std::uint64_t line)
    {
        if (m_r.summary.malformed.empty())
            m_r.summary.firstMalformedAt = line;
        ++m_r.summary.malformed[{ id, version }];
    }

    std::string m_name;
    Recording& m_r;
    std::optional<std::uint64_t> m_headerTime, m_earliest;
};

Result<Recording> importXml(
    std::FILE* file, std::string text, const std::string& name, std::uint64_t size, const ImportProgress& progress)
{
    Recording r;
    r.name = name;
    r.summary.format = "tracerpt XML";
    r.summary.bytes = size;
    Window w(file, std::move(text));
    Importer importer(name, r);
    Status status = importer.run(w, progress, size);
    if (!status.ok() && r.summary.records == 0)
        return status; // nothing read: not a recording
    r.stopped = std::move(status);
    importer.finish();
    if (progress.report)
        progress.report(1.0);
    return r;
}

} // namespace

Result<Recording> readTraceXml(const std::string& path, const ImportProgress& progress)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        return Status(NtStatus::ObjectNameNotFound, path + ": cannot open the recording");
    std::fseek(file, 0, SEEK_END);
    const long size = std::ftell(file);
    std::fseek(file, 0, SEEK_SET);
    Result<Recording> r = importXml(file, {}, path, size < 0 ? 0 : static_cast<std::uint64_t>(size), progress);
    std::fclose(file);
    return r;
}

Result<Recording> readTraceXmlText(std::string text, std::string name)
{
    const std::uint64_t size = text.size();
    return importXml(nullptr, std::move(text), name, size, {});
}

#else // a build without pugixml (the Windows cross build of the tests)

Result<Recording> readTraceXml(const std::string& path, const ImportProgress&)
{
    return Status(NtStatus::NotSupported, path + ": this build of OfferScope reads no XML (built without pugixml)");
}

Result<Recording> readTraceXmlText(std::string, std::string name)
{
    return Status(NtStatus::NotSupported, name + ": this build of OfferScope reads no XML (built without pugixml)");
}
#endif

Result<Recording> readRecording(const std::string& path, const ImportProgress& progress)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        return Status(NtStatus::ObjectNameNotFound, path + ": cannot open the recording");
    unsigned char head[64] = {};
    const std::size_t n = std::fread(head, 1, sizeof head, file);
    std::fclose(file);
    std::size_t i = n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
    while (i < n && std::isspace(head[i]))
        ++i;
    if (i < n && head[i] == '<')
        return readTraceXml(path, progress);
    return readEtlRecording(path, progress);
}

} // namespace offerscope::trace
