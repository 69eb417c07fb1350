// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/EtlReader.h"

#include "core/Units.h"

#include <algorithm>
#include <cstring>

namespace offerscope::trace {

namespace {

// The buffer header (72 bytes on every Windows): where its fields are.
constexpr std::size_t kBufferHeader = 0x48;
constexpr std::size_t kBufferSizeAt = 0x00;
constexpr std::size_t kBufferEndAt = 0x30; ///< Offset: the end of the events, header included
constexpr std::size_t kBufferFlagAt = 0x34;
constexpr std::uint16_t kBufferCompressed = 0x0040;

// Every record starts with 4 bytes: its low 16 bits are the size (or, for the system, compact and
// perfinfo kinds, a version; their size follows at +4), then the header kind, then flag bits.
constexpr std::uint32_t kFiller = 0xFFFFFFFF;
constexpr std::uint8_t kTraceHeaderFlag = 0x80;
enum HeaderKind : std::uint8_t {
    kSystem32 = 0x01,
    kSystem64 = 0x02,
    kCompact32 = 0x03,
    kCompact64 = 0x04,
    kFull32 = 0x0A,
    kInstance32 = 0x0B,
    kError = 0x0D,
    kMessage = 0x0F,
    kPerfInfo32 = 0x10,
    kPerfInfo64 = 0x11,
    kEvent32 = 0x12,
    kEvent64 = 0x13,
    kFull64 = 0x14,
    kInstance64 = 0x15,
};
constexpr std::size_t kSystemHeader = 0x20;
constexpr std::size_t kEventHeader = 0x50;
constexpr std::uint16_t kEventFlagExtendedInfo = 0x0001;

std::size_t align8(std::size_t n)
{
    return (n + 7) & ~std::size_t(7);
}

template <typename T> T get(std::span<const std::uint8_t> bytes, std::size_t at)
{
    T value {};
    std::memcpy(&value, bytes.data() + at, sizeof(T));
    return value; // the file is little-endian, as are the machines this builds for
}

std::string offsetText(std::uint64_t offset)
{
    return "byte " + std::to_string(offset) + " (" + formatHex(offset) + ")";
}

std::string utf16ToUtf8(std::span<const std::uint8_t> bytes, std::size_t at, std::size_t& end)
{
    std::string out;
    std::size_t i = at;
    for (; i + 1 < bytes.size(); i += 2) {
        std::uint32_t c = get<std::uint16_t>(bytes, i);
        if (c == 0) {
            i += 2;
            break;
        }
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < bytes.size()) {
            const std::uint32_t low = get<std::uint16_t>(bytes, i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    end = i;
    return out;
}

Guid guidAt(std::span<const std::uint8_t> bytes, std::size_t at)
{
    Guid g;
    g.data1 = get<std::uint32_t>(bytes, at);
    g.data2 = get<std::uint16_t>(bytes, at + 4);
    g.data3 = get<std::uint16_t>(bytes, at + 6);
    std::memcpy(g.data4, bytes.data() + at + 8, 8);
    return g;
}

const char* const kCompressedAdvice
    = "its buffers are compressed, which this reader does not decompress. Record without compression "
      "(xperf: leave out -compress), or convert it on Windows with tracerpt FILE.etl -of XML -o FILE.xml "
      "and open the XML";

} // namespace

EtlReader::~EtlReader()
{
    if (m_file != nullptr)
        std::fclose(m_file);
}

Result<std::unique_ptr<EtlReader>> EtlReader::open(const std::string& path)
{
    std::unique_ptr<EtlReader> reader(new EtlReader);
    reader->m_name = path;
    reader->m_file = std::fopen(path.c_str(), "rb");
    if (reader->m_file == nullptr)
        return Status(NtStatus::ObjectNameNotFound, path + ": cannot open the recording");
    if (std::fseek(reader->m_file, 0, SEEK_END) != 0)
        return Status(NtStatus::Unsuccessful, path + ": cannot find its size");
    const long size = std::ftell(reader->m_file);
    if (size < 0)
        return Status(NtStatus::Unsuccessful, path + ": cannot find its size");
    reader->m_size = static_cast<std::uint64_t>(size);
    if (Status status = reader->readHeader(); !status.ok())
        return status;
    return reader;
}

Result<std::unique_ptr<EtlReader>> EtlReader::openBytes(std::vector<std::uint8_t> bytes, std::string name)
{
    std::unique_ptr<EtlReader> reader(new EtlReader);
    reader->m_name = std::move(name);
    reader->m_memory = std::move(bytes);
    reader->m_size = reader->m_memory.size();
    if (Status status = reader->readHeader(); !status.ok())
        return status;
    return reader;
}

Status EtlReader::readBuffer(std::uint64_t at, std::vector<std::uint8_t>& into, std::uint64_t want)
{
    if (at + want > m_size)
        return Status(NtStatus::DataError,
            m_name + ": " + offsetText(at) + ": truncated: the buffer there needs " + std::to_string(want)
                + " bytes, the file has " + std::to_string(m_size - at) + " left");
    into.resize(want);
    if (m_file == nullptr) {
        std::memcpy(into.data(), m_memory.data() + at, want);
        return Status();
    }
    if (std::fseek(m_file, static_cast<long>(at), SEEK_SET) != 0 || std::fread(into.data(), 1, want, m_file) != want)
        return Status(NtStatus::Unsuccessful, m_name + ": " + offsetText(at) + ": read error");
    return Status();
}

Status EtlReader::readHeader()
{
    const auto notEtl = [&](std::uint64_t at, const std::string& what) {
        return Status(NtStatus::DataError, m_name + ": " + offsetText(at) + ": not an event trace log (.etl): " + what);
    };
    if (m_size < kBufferHeader + kSystemHeader)
        return notEtl(0, "the file has " + std::to_string(m_size) + " bytes, fewer than a buffer header and a record");
    std::vector<std::uint8_t> head;
    if (Status s = readBuffer(0, head, kBufferHeader + kSystemHeader); !s.ok())
        return s;
    const std::uint32_t bufferSize = get<std::uint32_t>(head, kBufferSizeAt);
    if (bufferSize < kBufferHeader + kSystemHeader || bufferSize > 64u * 1024 * 1024 || bufferSize % 8 != 0)
        return notEtl(0,
            "the buffer size there is " + std::to_string(bufferSize)
                + ", expected a multiple of 8 between 104 bytes and 64 MiB");
    if ((get<std::uint16_t>(head, kBufferFlagAt) & kBufferCompressed) != 0)
        return Status(NtStatus::NotSupported, m_name + ": " + kCompressedAdvice);
    const std::uint32_t marker = get<std::uint32_t>(head, kBufferHeader);
    const std::uint8_t kind = static_cast<std::uint8_t>(marker >> 16);
    if ((marker >> 24) != 0xC0 || (kind != kSystem32 && kind != kSystem64)
        || get<std::uint16_t>(head, kBufferHeader + 6) != 0)
        return notEtl(kBufferHeader,
            "expected the log-file header event (a system record of group 0, type 0), found " + formatHex(marker));
    std::vector<std::uint8_t> first;
    if (Status s = readBuffer(0, first, std::min<std::uint64_t>(bufferSize, m_size)); !s.ok())
        return s;
    const std::span<const std::uint8_t> b(first);
    // The header event must lie within the bytes in use, and within the file (a file shorter than
    // one buffer has fewer bytes than its buffer size says).
    const std::uint32_t end
        = std::min<std::uint32_t>(get<std::uint32_t>(b, kBufferEndAt), static_cast<std::uint32_t>(b.size()));
    const std::size_t recordSize = get<std::uint16_t>(b, kBufferHeader + 4);
    const bool wide = kind == kSystem64;
    const std::size_t logHeader = wide ? 0x118 : 0x110;
    if (kBufferHeader + recordSize > end || recordSize < kSystemHeader + logHeader)
        return notEtl(kBufferHeader,
            "the log-file header event is " + std::to_string(recordSize) + " bytes; it needs "
                + std::to_string(kSystemHeader + logHeader) + " within the buffer's " + std::to_string(end)
                + " used bytes");
    const std::span<const std::uint8_t> h = b.subspan(kBufferHeader + kSystemHeader, recordSize - kSystemHeader);
    const std::size_t shift = wide ? 8 : 0; // the two name fields are pointer-sized
    m_header.bufferSize = get<std::uint32_t>(h, 0x00);
    m_header.windowsMajor = h[0x04];
    m_header.windowsMinor = h[0x05];
    m_header.build = get<std::uint32_t>(h, 0x08);
    m_header.processors = get<std::uint32_t>(h, 0x0C);
    m_header.endTime = get<std::uint64_t>(h, 0x10);
    m_header.timerResolution = get<std::uint32_t>(h, 0x18);
    m_header.logFileMode = get<std::uint32_t>(h, 0x20);
    m_header.buffersWritten = get<std::uint32_t>(h, 0x24);
    m_header.pointerSize = get<std::uint32_t>(h, 0x2C);
    m_header.eventsLost = get<std::uint32_t>(h, 0x30);
    m_header.cpuSpeedMHz = get<std::uint32_t>(h, 0x34);
    m_header.bootTime = get<std::uint64_t>(h, 0xF0 + shift);
    m_header.perfFreq = get<std::uint64_t>(h, 0xF8 + shift);
    m_header.startTime = get<std::uint64_t>(h, 0x100 + shift);
    m_header.clockType = get<std::uint32_t>(h, 0x108 + shift);
    m_header.buffersLost = get<std::uint32_t>(h, 0x10C + shift);
    m_header.origin = get<std::uint64_t>(b, kBufferHeader + 0x10);
    std::size_t at = logHeader;
    m_header.loggerName = utf16ToUtf8(h, at, at);
    m_header.logFileName = utf16ToUtf8(h, at, at);
    const std::uint64_t fieldsAt = kBufferHeader + kSystemHeader;
    if (m_header.bufferSize != bufferSize)
        return notEtl(fieldsAt,
            "the log-file header says buffers are " + std::to_string(m_header.bufferSize)
                + " bytes, the first buffer says " + std::to_string(bufferSize));
    if (m_header.pointerSize != 4 && m_header.pointerSize != 8)
        return notEtl(
            fieldsAt + 0x2C, "the pointer size is " + std::to_string(m_header.pointerSize) + ", expected 4 or 8");
    if (m_header.clockType == 1 && m_header.perfFreq == 0)
        return notEtl(fieldsAt + 0xF8 + shift, "the clock is the performance counter but its frequency is 0");
    return Status();
}

std::uint64_t EtlReader::microseconds(std::uint64_t timestamp) const
{
    if (timestamp <= m_header.origin)
        return 0;
    const std::uint64_t d = timestamp - m_header.origin;
    switch (m_header.clockType) {
    case 2: // system time: 100 ns units
        return d / 10;
    case 3: // CPU cycles
        return m_header.cpuSpeedMHz != 0 ? d / m_header.cpuSpeedMHz : d;
    default: { // the performance counter (1), and the raw clock read as one
        const std::uint64_t f = m_header.perfFreq != 0 ? m_header.perfFreq : 10'000'000;
        return d / f * 1'000'000 + d % f * 1'000'000 / f;
    }
    }
}

Status EtlReader::next(EtlVisitor& visitor, bool& more)
{
    more = false;
    if (m_failed || m_next >= m_size)
        return Status();
    const std::uint64_t at = m_next;
    if (Status s = readBuffer(at, m_buffer, std::min<std::uint64_t>(m_header.bufferSize, m_size - at)); !s.ok()) {
        m_failed = true;
        return s;
    }
    if (m_buffer.size() < m_header.bufferSize) {
        m_failed = true;
        return Status(NtStatus::DataError,
            m_name + ": " + offsetText(at) + ": truncated: the last buffer has " + std::to_string(m_buffer.size())
                + " of its " + std::to_string(m_header.bufferSize) + " bytes");
    }
    const std::uint32_t size = get<std::uint32_t>(m_buffer, kBufferSizeAt);
    if (size != m_header.bufferSize) {
        m_failed = true;
        return Status(NtStatus::DataError,
            m_name + ": " + offsetText(at) + ": the buffer there says it is " + std::to_string(size)
                + " bytes; the log-file header says every buffer is " + std::to_string(m_header.bufferSize));
    }
    if ((get<std::uint16_t>(m_buffer, kBufferFlagAt) & kBufferCompressed) != 0) {
        m_failed = true;
        return Status(NtStatus::NotSupported, m_name + ": " + offsetText(at) + ": " + kCompressedAdvice);
    }
    Status walked = walk(at, m_buffer, &visitor);
    ++m_counts.buffers;
    m_next = at + m_header.bufferSize;
    if (!walked.ok()) {
        m_failed = true;
        return walked;
    }
    more = m_next < m_size;
    return Status();
}

Status EtlReader::walk(std::uint64_t bufferAt, std::span<const std::uint8_t> buffer, EtlVisitor* visitor)
{
    const std::uint32_t end = get<std::uint32_t>(buffer, kBufferEndAt);
    const auto broken = [&](std::size_t at, const std::string& what) {
        return Status(NtStatus::DataError, m_name + ": " + offsetText(bufferAt + at) + ": " + what);
    };
    if (end < kBufferHeader || end > buffer.size())
        return broken(kBufferEndAt,
            "the buffer's used length is " + std::to_string(end) + ", expected " + std::to_string(kBufferHeader)
                + " to " + std::to_string(buffer.size()));
    std::size_t at = kBufferHeader;
    while (at + 4 <= end) {
        const std::uint32_t marker = get<std::uint32_t>(buffer, at);
        if (marker == kFiller)
            break;
        const std::uint8_t flags = static_cast<std::uint8_t>(marker >> 24);
        const std::uint8_t kind = static_cast<std::uint8_t>(marker >> 16);
        if ((flags & kTraceHeaderFlag) == 0)
            return broken(at, "expected a record header (its top bit set), found " + formatHex(marker));
        std::size_t size = marker & 0xFFFF;
        std::size_t least = 8;
        switch (kind) {
        case kSystem32:
        case kSystem64:
        case kCompact32:
        case kCompact64:
        case kPerfInfo32:
        case kPerfInfo64:
            if (at + 8 > end)
                return broken(at, "a record header runs past the buffer's used length " + std::to_string(end));
            size = get<std::uint16_t>(buffer, at + 4);
            least = kind <= kSystem64 ? kSystemHeader : kind <= kCompact64 ? 0x18 : 0x10;
            ++m_counts.classic;
            break;
        case kFull32:
        case kFull64:
            least = 0x30;
            ++m_counts.classic;
            break;
        case kInstance32:
        case kInstance64:
            least = 0x48;
            ++m_counts.classic;
            break;
        case kMessage:
            ++m_counts.classic;
            break;
        case kError:
            ++m_counts.errorRecords;
            break;
        case kEvent32:
        case kEvent64:
            least = kEventHeader;
            break;
        default:
            return broken(at, "unknown record header kind " + formatHex(kind) + " (marker " + formatHex(marker) + ")");
        }
        if (size < least)
            return broken(
                at, "a record of " + std::to_string(size) + " bytes; its header alone needs " + std::to_string(least));
        if (at + size > end)
            return broken(at,
                "a record of " + std::to_string(size) + " bytes runs past the buffer's used length ("
                    + std::to_string(end - at) + " bytes left)");
        if (kind == kEvent32 || kind == kEvent64) {
            EtlEvent e;
            const std::span<const std::uint8_t> r = buffer.subspan(at, size);
            const std::uint16_t eventFlags = get<std::uint16_t>(r, 0x04);
            e.threadId = get<std::uint32_t>(r, 0x08);
            e.processId = get<std::uint32_t>(r, 0x0C);
            e.timestamp = get<std::uint64_t>(r, 0x10);
            e.provider = guidAt(r, 0x18);
            e.id = get<std::uint16_t>(r, 0x28);
            e.version = r[0x2A];
            e.channel = r[0x2B];
            e.level = r[0x2C];
            e.opcode = r[0x2D];
            e.task = get<std::uint16_t>(r, 0x2E);
            e.keyword = get<std::uint64_t>(r, 0x30);
            e.pointerSize = kind == kEvent32 ? 4 : 8;
            e.offset = bufferAt + at;
            std::size_t payload = kEventHeader;
            if ((eventFlags & kEventFlagExtendedInfo) != 0) {
                // Extended data items: each says its whole size (8-byte aligned) and whether another follows.
                for (bool another = true; another;) {
                    if (payload + 8 > size)
                        return broken(at + payload, "an extended data item runs past its record");
                    const std::size_t item = get<std::uint16_t>(r, payload);
                    another = (get<std::uint16_t>(r, payload + 4) & 1) != 0;
                    if (item < 8 || payload + item > size)
                        return broken(at + payload,
                            "an extended data item of " + std::to_string(item) + " bytes in a record of "
                                + std::to_string(size));
                    payload += item;
                }
            }
            e.payload = r.subspan(payload);
            ++m_counts.events;
            if (visitor != nullptr)
                visitor->event(e);
        }
        at += align8(size);
    }
    return Status();
}

} // namespace offerscope::trace
