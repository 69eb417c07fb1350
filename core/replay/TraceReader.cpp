// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replay/TraceReader.h"

#include "core/TextFile.h"
#include "core/Units.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace offerscope::replay {
namespace {

/// Bytes read from a file at a time; a line may not be longer than kMaxLine.
constexpr std::size_t kChunk = std::size_t { 4 } << 20;
constexpr std::size_t kMaxLine = std::size_t { 1 } << 20;
constexpr std::size_t kRecord = 24; ///< oracleGeneral
/// Ids below this are numbered through a plain array (4 bytes each, grown as the largest id needs).
constexpr std::uint64_t kSmallIds = std::uint64_t { 1 } << 24;
/// How far ahead the numbering loads the table entry of a later id.
constexpr std::size_t kPrefetchAhead = 8;

std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// A whole decimal number of at most 19 digits (no overflow): the common case of every text trace.
bool decimal(std::string_view text, std::uint64_t& out)
{
    if (text.empty() || text.size() > 19)
        return false;
    std::uint64_t v = 0;
    for (char c : text) {
        const unsigned digit = static_cast<unsigned char>(c) - unsigned { '0' };
        if (digit > 9)
            return false;
        v = v * 10 + digit;
    }
    out = v;
    return true;
}

std::uint64_t littleEndian(const unsigned char* p, int bytes)
{
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

} // namespace

std::string_view traceFormatName(TraceFormat format)
{
    switch (format) {
    case TraceFormat::OfferScope:
        return "offerscope";
    case TraceFormat::Csv:
        return "csv";
    case TraceFormat::OracleGeneral:
        return "oracleGeneral";
    }
    return "?";
}

std::optional<TraceFormat> parseTraceFormat(std::string_view text)
{
    const std::string l = lowerAscii(text);
    if (l == "offerscope")
        return TraceFormat::OfferScope;
    if (l == "csv")
        return TraceFormat::Csv;
    if (l == "oraclegeneral")
        return TraceFormat::OracleGeneral;
    return std::nullopt;
}

TraceFormat guessTraceFormat(std::string_view path)
{
    return lowerAscii(path).find("oraclegeneral") != std::string::npos ? TraceFormat::OracleGeneral
                                                                       : TraceFormat::OfferScope;
}

Result<CsvColumns> parseCsvColumns(std::string_view text)
{
    CsvColumns columns;
    std::size_t at = 0;
    const auto bad = [&text](std::size_t where, const std::string& what) {
        (void)text;
        return Status(NtStatus::InvalidParameter, "column " + std::to_string(where + 1) + ": " + what);
    };
    while (at < text.size()) {
        while (at < text.size() && (text[at] == ' ' || text[at] == ','))
            ++at;
        if (at >= text.size())
            break;
        const std::size_t keyStart = at;
        const std::size_t equals = text.find('=', at);
        if (equals == std::string_view::npos)
            return bad(keyStart, "'" + std::string(trim(text.substr(at))) + "' has no '=VALUE'");
        const std::string key = lowerAscii(trim(text.substr(at, equals - at)));
        std::size_t valueStart = equals + 1;
        std::string_view value;
        if (key == "delimiter") {
            // One character, which may itself be the separator (",,"), or the escape \t.
            if (text.compare(valueStart, 2, "\\t") == 0) {
                value = "\t";
                at = valueStart + 2;
            } else if (valueStart < text.size()) {
                value = text.substr(valueStart, 1);
                at = valueStart + 1;
            } else {
                return bad(valueStart, "delimiter: give one character");
            }
            if (at < text.size() && text[at] != ',' && text[at] != ' ')
                return bad(at, "delimiter: one character only (or \\t)");
            columns.delimiter = value[0];
            if (columns.delimiter == '\n' || columns.delimiter == '\r' || columns.delimiter == '"')
                return bad(valueStart, "delimiter: not a line break or a quote");
            continue;
        }
        const std::size_t comma = text.find(',', valueStart);
        value = trim(
            text.substr(valueStart, comma == std::string_view::npos ? std::string_view::npos : comma - valueStart));
        at = comma == std::string_view::npos ? text.size() : comma + 1;
        const auto column = [&](unsigned& out) -> Status {
            std::uint64_t n = 0;
            if (!decimal(value, n) || n == 0 || n > 1024)
                return bad(valueStart, key + ": '" + std::string(value) + "' is not a column number (1, 2, ...)");
            out = static_cast<unsigned>(n);
            return Status();
        };
        const auto flag = [&](bool& out) -> Status {
            const std::string v = lowerAscii(value);
            if (v == "true" || v == "1" || v == "yes")
                out = true;
            else if (v == "false" || v == "0" || v == "no")
                out = false;
            else
                return bad(valueStart, key + ": '" + std::string(value) + "' is not true or false");
            return Status();
        };
        Status s;
        if (key == "time-col")
            s = column(columns.timeCol);
        else if (key == "obj-id-col")
            s = column(columns.objIdCol);
        else if (key == "obj-size-col")
            s = column(columns.objSizeCol);
        else if (key == "priority-col")
            s = column(columns.priorityCol);
        else if (key == "has-header")
            s = flag(columns.hasHeader);
        else if (key == "obj-id-is-num")
            s = flag(columns.objIdIsNum);
        else if (key == "op-col" || key == "ttl-col" || key == "cnt-col" || key == "tenant-col" || key == "block-size"
            || key == "format")
            s = Status(); // libCacheSim's, with no meaning here: accepted so its strings work unchanged
        else
            return bad(keyStart,
                "unknown parameter '" + key
                    + "' (time-col, obj-id-col, obj-size-col, priority-col, delimiter, has-header, obj-id-is-num)");
        if (!s.ok())
            return s;
    }
    if (columns.objIdCol == columns.objSizeCol)
        return Status(NtStatus::InvalidParameter, "obj-id-col and obj-size-col are the same column");
    return columns;
}

std::string formatCsvColumns(const CsvColumns& c)
{
    std::string out;
    if (c.timeCol != 0)
        out += "time-col=" + std::to_string(c.timeCol) + ", ";
    out += "obj-id-col=" + std::to_string(c.objIdCol) + ", obj-size-col=" + std::to_string(c.objSizeCol);
    if (c.priorityCol != 0)
        out += ", priority-col=" + std::to_string(c.priorityCol);
    out += ", delimiter=" + (c.delimiter == '\t' ? std::string("\\t") : std::string(1, c.delimiter));
    out += std::string(", has-header=") + (c.hasHeader ? "true" : "false");
    if (!c.objIdIsNum)
        out += ", obj-id-is-num=false";
    return out;
}

TraceReader::TraceReader(std::string name, TraceFormat format, const CsvColumns& columns)
    : m_name(std::move(name))
    , m_format(format)
    , m_columns(columns)
{
    m_slots.resize(1024);
}

TraceReader::~TraceReader()
{
    if (m_file != nullptr)
        std::fclose(m_file);
}

Result<std::unique_ptr<TraceReader>> TraceReader::open(const TraceSource& source)
{
    std::unique_ptr<TraceReader> reader(new TraceReader(source.path, source.format, source.columns));
    reader->m_file = std::fopen(source.path.c_str(), "rb");
    if (reader->m_file == nullptr)
        return Status(NtStatus::ObjectNameNotFound, source.path + ": cannot open the trace file");
    if (std::fseek(reader->m_file, 0, SEEK_END) == 0) {
        const long size = std::ftell(reader->m_file);
        reader->m_size = size > 0 ? static_cast<std::uint64_t>(size) : 0;
        std::fseek(reader->m_file, 0, SEEK_SET);
    }
    reader->m_buffer.resize(kChunk * 2);
    return reader;
}

std::unique_ptr<TraceReader> TraceReader::fromMemory(
    std::string bytes, std::string name, TraceFormat format, const CsvColumns& columns)
{
    std::unique_ptr<TraceReader> reader(new TraceReader(std::move(name), format, columns));
    reader->m_buffer.assign(bytes.begin(), bytes.end());
    reader->m_end = reader->m_buffer.size();
    reader->m_size = reader->m_end;
    reader->m_eof = true;
    return reader;
}

bool TraceReader::fill()
{
    if (m_file == nullptr || m_eof)
        return false;
    // Keep the unread tail, at the front.
    const std::size_t tail = m_end - m_pos;
    if (m_pos > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_pos, tail);
        m_consumedBase += m_pos;
        m_pos = 0;
        m_end = tail;
    }
    if (m_buffer.size() < m_end + kChunk)
        m_buffer.resize(m_end + kChunk);
    const std::size_t n = std::fread(m_buffer.data() + m_end, 1, kChunk, m_file);
    m_end += n;
    // A short read is not the end on a pipe: only end-of-file or an error is.
    if (n == 0 || std::feof(m_file) || std::ferror(m_file)) {
        m_eof = true;
        m_readError = std::ferror(m_file) != 0;
    }
    return n > 0;
}

bool TraceReader::fail(std::size_t column, const std::string& what)
{
    if (m_format == TraceFormat::OracleGeneral)
        m_status = Status(NtStatus::DataError,
            m_name + ": byte " + std::to_string(m_recordOffset) + " (record " + std::to_string(m_line) + "): " + what);
    else
        m_status = Status(
            NtStatus::DataError, m_name + ":" + std::to_string(m_line) + ":" + std::to_string(column) + ": " + what);
    return false;
}

void TraceReader::prefetchKey(std::uint64_t key) const
{
#if defined(__GNUC__) || defined(__clang__)
    if (key < m_small.size())
        __builtin_prefetch(&m_small[key]);
    else if (key >= kSmallIds)
        __builtin_prefetch(&m_slots[mix(key) & (m_slots.size() - 1)]);
#else
    (void)key;
#endif
}

std::uint32_t TraceReader::numberOf(std::uint64_t key)
{
    if (key < kSmallIds) {
        if (key >= m_small.size())
            m_small.resize(std::max<std::size_t>(static_cast<std::size_t>(key) + 1, m_small.size() * 2), 0);
        std::uint32_t& entry = m_small[key];
        if (entry == 0)
            entry = ++m_objectCount;
        return entry - 1;
    }
    if ((m_slotsUsed + 1) * 2 > m_slots.size()) {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        for (const Slot& s : old)
            if (s.used)
                for (std::size_t i = mix(s.key) & (m_slots.size() - 1);; i = (i + 1) & (m_slots.size() - 1))
                    if (!m_slots[i].used) {
                        m_slots[i] = s;
                        break;
                    }
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
        Slot& slot = m_slots[i];
        if (!slot.used) {
            slot = Slot { key, m_objectCount++, true };
            ++m_slotsUsed;
            return slot.value;
        }
        if (slot.key == key)
            return slot.value;
    }
}

void TraceReader::keepText(std::string_view id, Raw& raw)
{
    // Numbered with the numeric ids, in the order they appear (next()).
    raw.key = m_text.size();
    raw.textLength = static_cast<std::uint32_t>(id.size());
    m_text.append(id);
}

std::uint32_t TraceReader::numberOfText(std::string_view text)
{
    const auto [it, added] = m_named.try_emplace(std::string(text), m_objectCount);
    if (added)
        ++m_objectCount;
    return it->second;
}

bool TraceReader::parseOfferScope(std::string_view line, Raw& raw)
{
    const std::size_t comma1 = line.find(',');
    if (comma1 == std::string_view::npos)
        return fail(line.size() + 1, "expected 'object_id,size_bytes[,priority]' but the line has no comma");
    const std::string_view id = line.substr(0, comma1);
    if (id.empty())
        return fail(1, "the object id is empty");
    const std::size_t comma2 = line.find(',', comma1 + 1);
    const std::string_view sizeText
        = line.substr(comma1 + 1, comma2 == std::string_view::npos ? std::string_view::npos : comma2 - comma1 - 1);
    // Sizes are plain byte counts in the common case; units ("64MiB") are accepted too.
    if (!decimal(sizeText, raw.size)) {
        const auto parsed = parseBytes(sizeText);
        if (!parsed)
            return fail(comma1 + 2,
                "size '" + std::string(sizeText)
                    + "' is not a byte count (a whole number, optionally with a unit such as MiB)");
        raw.size = *parsed;
    }
    if (raw.size == 0)
        return fail(comma1 + 2, "size must be greater than 0");
    if (comma2 != std::string_view::npos) {
        const std::string_view priorityText = line.substr(comma2 + 1);
        const auto priority = parseOfferPriority(priorityText);
        if (!priority || *priority == OfferPriority::None)
            return fail(
                comma2 + 2, "priority '" + std::string(priorityText) + "' is not LOW, NORMAL, HIGH, AUTO or 1..4");
        raw.priority = *priority;
    }
    if (!decimal(id, raw.key))
        keepText(id, raw);
    return true;
}

bool TraceReader::parseCsv(std::string_view line, Raw& raw)
{
    // The fields the columns name, found in one pass.
    const CsvColumns& c = m_columns;
    std::string_view id, size, priority;
    std::size_t idAt = 0, sizeAt = 0, priorityAt = 0;
    unsigned column = 1;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = line.find(c.delimiter, start);
        std::string_view field
            = line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
            field = field.substr(1, field.size() - 2);
        if (column == c.objIdCol) {
            id = field;
            idAt = start + 1;
        } else if (column == c.objSizeCol) {
            size = field;
            sizeAt = start + 1;
        } else if (column == c.priorityCol) {
            priority = field;
            priorityAt = start + 1;
        }
        if (end == std::string_view::npos)
            break;
        start = end + 1;
        ++column;
    }
    const unsigned needed = std::max({ c.objIdCol, c.objSizeCol, c.priorityCol });
    if (column < needed)
        return fail(line.size() + 1,
            "the line has " + std::to_string(column) + " column(s); obj-id-col, obj-size-col and priority-col need "
                + std::to_string(needed));
    id = trim(id);
    size = trim(size);
    if (id.empty())
        return fail(idAt, "the object id (column " + std::to_string(c.objIdCol) + ") is empty");
    if (!decimal(size, raw.size))
        return fail(sizeAt,
            "obj_size '" + std::string(size) + "' (column " + std::to_string(c.objSizeCol)
                + ") is not a whole number of bytes");
    if (raw.size == 0)
        return fail(sizeAt, "obj_size must be greater than 0");
    if (c.priorityCol != 0) {
        const auto p = parseOfferPriority(trim(priority));
        if (!p || *p == OfferPriority::None)
            return fail(priorityAt, "priority '" + std::string(priority) + "' is not LOW, NORMAL, HIGH, AUTO or 1..4");
        raw.priority = *p;
    }
    if (c.objIdIsNum) {
        if (!decimal(id, raw.key))
            return fail(idAt,
                "obj_id '" + std::string(id)
                    + "' is not a whole number (give obj-id-is-num=false for ids that are text)");
    } else {
        keepText(id, raw);
    }
    return true;
}

bool TraceReader::parseRecord(const unsigned char* record, Raw& raw)
{
    raw.key = littleEndian(record + 4, 8);
    raw.size = littleEndian(record + 12, 4);
    if (raw.size == 0)
        return fail(0, "obj_size is 0 (object " + std::to_string(raw.key) + ")");
    return true;
}

bool TraceReader::parseLine(std::string_view line, Raw& raw)
{
    return m_format == TraceFormat::Csv ? parseCsv(line, raw) : parseOfferScope(line, raw);
}

bool TraceReader::next(std::vector<TraceAccess>& out, std::size_t max)
{
    out.clear();
    if (m_done || max == 0)
        return false;
    m_raw.clear();
    m_text.clear();
    bool ended = false;
    while (m_raw.size() < max) {
        if (m_format == TraceFormat::OracleGeneral) {
            if (m_end - m_pos < kRecord) {
                if (fill())
                    continue;
                if (m_end != m_pos) {
                    m_recordOffset = bytesRead();
                    ++m_line;
                    fail(0,
                        "the file ends inside a record: " + std::to_string(m_end - m_pos)
                            + " byte(s) of 24 (not an oracleGeneral trace, or cut short)");
                }
                ended = true;
                break;
            }
            m_recordOffset = bytesRead();
            ++m_line;
            Raw raw;
            if (!parseRecord(reinterpret_cast<const unsigned char*>(m_buffer.data() + m_pos), raw)) {
                ended = true;
                break;
            }
            m_pos += kRecord;
            m_raw.push_back(raw);
            continue;
        }
        const char* begin = m_buffer.data() + m_pos;
        if (m_format == TraceFormat::OfferScope && m_pos < m_end) {
            // The common line, "digits,digits\n", in one pass over its bytes; anything else (text ids,
            // units, priorities, comments, a line cut by the window, errors) takes the general path below.
            const char* const end = m_buffer.data() + m_end;
            const char* q = begin;
            std::uint64_t id = 0, size = 0;
            unsigned digit = 0;
            while (q < end && (digit = static_cast<unsigned char>(*q) - unsigned { '0' }) <= 9) {
                id = id * 10 + digit;
                ++q;
            }
            if (q > begin && q - begin <= 19 && q < end && *q == ',') {
                const char* const sizeAt = ++q;
                while (q < end && (digit = static_cast<unsigned char>(*q) - unsigned { '0' }) <= 9) {
                    size = size * 10 + digit;
                    ++q;
                }
                if (q > sizeAt && q - sizeAt <= 19 && size > 0 && q < end && (*q == '\n' || *q == '\r')) {
                    const bool crlf = *q == '\r';
                    if (!crlf || (q + 1 < end && q[1] == '\n')) {
                        m_pos = static_cast<std::size_t>(q - m_buffer.data()) + (crlf ? 2 : 1);
                        ++m_line;
                        m_raw.push_back(Raw { id, size, 0, OfferPriority::None });
                        continue;
                    }
                }
            }
        }
        // (No memchr on an empty buffer: its pointer may be null.)
        const void* newline = m_pos < m_end ? std::memchr(begin, '\n', m_end - m_pos) : nullptr;
        std::string_view line;
        if (newline == nullptr) {
            if (m_end - m_pos > kMaxLine) {
                ++m_line;
                fail(1, "a line longer than " + std::to_string(kMaxLine) + " bytes (is this a text trace?)");
                ended = true;
                break;
            }
            if (fill())
                continue;
            if (m_pos == m_end) {
                ended = true;
                break;
            }
            line = std::string_view(begin, m_end - m_pos); // the last line has no line break
            m_pos = m_end;
        } else {
            const std::size_t length = static_cast<const char*>(newline) - begin;
            line = std::string_view(begin, length);
            m_pos += length + 1;
        }
        ++m_line;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (m_format == TraceFormat::Csv && m_columns.hasHeader && !m_headerSkipped) {
            m_headerSkipped = true;
            continue;
        }
        if (line.empty() || (m_format == TraceFormat::OfferScope && line.front() == '#'))
            continue;
        Raw raw;
        if (!parseLine(line, raw)) {
            ended = true;
            break;
        }
        m_raw.push_back(raw);
    }
    if (m_readError && m_status.ok()) {
        m_status = Status(NtStatus::DataError,
            m_name + ": byte " + std::to_string(m_consumedBase + m_end) + ": the file could not be read further");
        ended = true;
    }
    if (ended)
        m_done = true;

    // Number the ids, loading the table entry of an id a few accesses ahead while this one is numbered:
    // at a million objects nearly every lookup misses the cache, and this is where reading spends its time.
    out.resize(m_raw.size());
    const std::size_t n = m_raw.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i + kPrefetchAhead < n && m_raw[i + kPrefetchAhead].textLength == 0)
            prefetchKey(m_raw[i + kPrefetchAhead].key);
        const Raw& raw = m_raw[i];
        TraceAccess& a = out[i];
        a.object = raw.textLength == 0
            ? numberOf(raw.key)
            : numberOfText(std::string_view(m_text).substr(static_cast<std::size_t>(raw.key), raw.textLength));
        a.size = raw.size;
        a.priority = raw.priority;
    }
    return !out.empty();
}

Result<AccessTrace> readAccessTrace(const TraceSource& source)
{
    Result<std::unique_ptr<TraceReader>> opened = TraceReader::open(source);
    if (!opened)
        return opened.why();
    TraceReader& reader = *opened.value();
    AccessTrace trace;
    if (reader.size() > 0)
        trace.accesses.reserve(
            static_cast<std::size_t>(reader.size() / (source.format == TraceFormat::OracleGeneral ? 24 : 12)));
    std::vector<TraceAccess> batch;
    while (reader.next(batch, 1 << 16))
        trace.accesses.insert(trace.accesses.end(), batch.begin(), batch.end());
    if (!reader.status().ok())
        return reader.status();
    trace.objectCount = reader.objectCount();
    return trace;
}

} // namespace offerscope::replay
