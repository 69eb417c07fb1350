// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test-only: writes .etl files the way Windows lays them out (docs/recordings.md), from a list of
// events, so that the reader can be tested on every decoded event and version, both pointer sizes,
// several buffers, buffers stored out of time order, extended data items, other providers' events
// and kernel records mixed in. There is no public recording with DxgKrnl offer events: these files
// stand in for one.

#include "core/trace/DxgKrnlSchema.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace offerscope::trace::testing {

struct WrittenEvent {
    Guid provider = kDxgKrnlProvider;
    std::uint16_t id = 0;
    std::uint8_t version = 0;
    std::uint64_t ticks = 0; ///< performance-counter ticks after the recording's start (10 MHz: 0.1 µs)
    std::uint32_t processId = 0;
    std::uint32_t threadId = 0;
    std::vector<std::uint8_t> payload;
    bool extended = false; ///< carry two extended data items before the payload
};

/// The payload of an event of the table: each field's value at its size (pointers as `pointerSize`).
inline std::vector<std::uint8_t> payloadOf(
    const EventSpec& spec, const std::vector<std::uint64_t>& values, std::uint8_t pointerSize)
{
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const std::uint64_t v = i < values.size() ? values[i] : 0;
        std::size_t n = 8;
        switch (spec.fields[i].type) {
        case FieldType::UInt8:
            n = 1;
            break;
        case FieldType::UInt16:
            n = 2;
            break;
        case FieldType::UInt32:
        case FieldType::Boolean:
            n = 4;
            break;
        case FieldType::UInt64:
            n = 8;
            break;
        case FieldType::Pointer:
            n = pointerSize;
            break;
        }
        for (std::size_t b = 0; b < n; ++b)
            out.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
    }
    return out;
}

class EtlWriter {
public:
    static constexpr std::uint64_t kPerfFreq = 10'000'000;
    static constexpr std::uint64_t kOrigin = 5'000'000'000; ///< the clock's reading at the start (ticks since boot)
    static constexpr std::uint64_t kStartTime = 133'000'000'000'000'000; ///< FILETIME of the start (2022)

    EtlWriter(std::uint32_t bufferSize = 64 * 1024, std::uint8_t pointerSize = 8)
        : m_bufferSize(bufferSize)
        , m_pointerSize(pointerSize)
    {
    }

    void add(WrittenEvent e) { m_records.push_back({ std::move(e), false }); }
    /// A kernel (system header) record of another provider's kind, as a real recording has many.
    void addKernelRecord(std::uint64_t ticks)
    {
        WrittenEvent e;
        e.ticks = ticks;
        e.payload.assign(24, 0x5A);
        m_records.push_back({ std::move(e), true });
    }
    /// Writes the buffers in time order, or with the later buffers rotated (as per-processor buffers
    /// reach the file out of order).
    std::vector<std::uint8_t> bytes(bool outOfOrder = false) const
    {
        std::vector<std::vector<std::uint8_t>> buffers;
        std::vector<std::uint8_t> first = startBuffer(4, 0x0021);
        appendHeaderEvent(first);
        buffers.push_back(std::move(first));
        std::vector<std::uint8_t> current = startBuffer(0, 0x0020);
        for (const Record& r : m_records) {
            const std::vector<std::uint8_t> record = r.kernel ? kernelRecord(r.event) : eventRecord(r.event);
            if (used(current) + align8(record.size()) > m_bufferSize) {
                buffers.push_back(finish(current));
                current = startBuffer(0, 0x0020);
            }
            if (used(current) + align8(record.size()) > m_bufferSize)
                throw std::runtime_error("a record larger than a buffer");
            append(current, record);
        }
        buffers.push_back(finish(current));
        const std::uint32_t count = static_cast<std::uint32_t>(buffers.size());
        put<std::uint32_t>(buffers.front(), kBufferHeader + 0x20 + 0x24, count); // BuffersWritten
        buffers.front() = finish(buffers.front());
        if (outOfOrder && buffers.size() > 2)
            std::rotate(buffers.begin() + 1, buffers.begin() + 2, buffers.end());
        std::vector<std::uint8_t> out;
        for (std::size_t i = 0; i < buffers.size(); ++i) {
            put<std::uint64_t>(buffers[i], 0x18, i); // SequenceNumber
            out.insert(out.end(), buffers[i].begin(), buffers[i].end());
        }
        return out;
    }

private:
    struct Record {
        WrittenEvent event;
        bool kernel;
    };
    static constexpr std::size_t kBufferHeader = 0x48;
    static std::size_t align8(std::size_t n) { return (n + 7) & ~std::size_t(7); }
    template <typename T> static void put(std::vector<std::uint8_t>& b, std::size_t at, T v)
    {
        if (b.size() < at + sizeof(T))
            throw std::logic_error("EtlWriter: a field past the end of its structure");
        std::memcpy(b.data() + at, &v, sizeof(T));
    }
    static std::size_t used(const std::vector<std::uint8_t>& b) { return b.size(); }
    static void append(std::vector<std::uint8_t>& b, const std::vector<std::uint8_t>& record)
    {
        b.insert(b.end(), record.begin(), record.end());
        b.resize(align8(b.size()), 0xEE); // alignment bytes are garbage in real files
    }
    std::vector<std::uint8_t> startBuffer(std::uint16_t type, std::uint16_t flags) const
    {
        std::vector<std::uint8_t> b(kBufferHeader, 0);
        put<std::uint32_t>(b, 0x00, m_bufferSize);
        put<std::uint32_t>(b, 0x2C, 3); // state: flushed
        put<std::uint16_t>(b, 0x34, flags);
        put<std::uint16_t>(b, 0x36, type);
        return b;
    }
    std::vector<std::uint8_t> finish(std::vector<std::uint8_t> b) const
    {
        const std::uint32_t end = static_cast<std::uint32_t>(b.size());
        put<std::uint32_t>(b, 0x04, end); // SavedOffset
        put<std::uint32_t>(b, 0x08, end); // CurrentOffset
        put<std::uint32_t>(b, 0x30, end); // Offset: where the events end
        b.resize(m_bufferSize, 0xFF);
        return b;
    }
    void appendHeaderEvent(std::vector<std::uint8_t>& b) const
    {
        const bool wide = m_pointerSize == 8;
        const std::size_t logHeader = wide ? 0x118 : 0x110;
        const std::size_t shift = wide ? 8 : 0;
        std::vector<std::uint8_t> h(logHeader, 0);
        put<std::uint32_t>(h, 0x00, m_bufferSize);
        h[0x04] = 10; // Windows 10.0, layout 1.5
        h[0x06] = 1;
        h[0x07] = 5;
        put<std::uint32_t>(h, 0x08, 22631);
        put<std::uint32_t>(h, 0x0C, 8);
        put<std::uint64_t>(h, 0x10, kStartTime + 600'000'000);
        put<std::uint32_t>(h, 0x18, 156250);
        put<std::uint32_t>(h, 0x20, 0x00000001);
        put<std::uint32_t>(h, 0x2C, m_pointerSize);
        put<std::uint32_t>(h, 0x34, 3000);
        put<std::uint64_t>(h, 0xF0 + shift, kStartTime - kOrigin);
        put<std::uint64_t>(h, 0xF8 + shift, kPerfFreq);
        put<std::uint64_t>(h, 0x100 + shift, kStartTime);
        put<std::uint32_t>(h, 0x108 + shift, 1); // the performance counter
        for (const char* name : { "OfferScope test", "C:\\traces\\test.etl" }) {
            for (const char* c = name; *c != 0; ++c) {
                h.push_back(static_cast<std::uint8_t>(*c));
                h.push_back(0);
            }
            h.push_back(0);
            h.push_back(0);
        }
        std::vector<std::uint8_t> r(0x20, 0);
        put<std::uint32_t>(r, 0x00, 0xC0000002u | (static_cast<std::uint32_t>(wide ? 0x02 : 0x01) << 16));
        put<std::uint16_t>(r, 0x04, static_cast<std::uint16_t>(0x20 + h.size()));
        put<std::uint16_t>(r, 0x06, 0); // group 0, type 0: the log-file header
        put<std::uint64_t>(r, 0x10, kOrigin);
        r.insert(r.end(), h.begin(), h.end());
        append(b, r);
    }
    std::vector<std::uint8_t> eventRecord(const WrittenEvent& e) const
    {
        std::vector<std::uint8_t> r(0x50, 0);
        put<std::uint16_t>(r, 0x02, m_pointerSize == 8 ? 0xC013 : 0xC012);
        put<std::uint16_t>(r, 0x04, e.extended ? 0x0001 : 0x0000);
        put<std::uint32_t>(r, 0x08, e.threadId);
        put<std::uint32_t>(r, 0x0C, e.processId);
        put<std::uint64_t>(r, 0x10, kOrigin + e.ticks);
        put<std::uint32_t>(r, 0x18, e.provider.data1);
        put<std::uint16_t>(r, 0x1C, e.provider.data2);
        put<std::uint16_t>(r, 0x1E, e.provider.data3);
        std::memcpy(r.data() + 0x20, e.provider.data4, 8);
        put<std::uint16_t>(r, 0x28, e.id);
        r[0x2A] = e.version;
        r[0x2C] = 4;
        put<std::uint64_t>(r, 0x30, 0x45);
        if (e.extended) {
            // A terminal-session id (4 bytes, padded to 16) that links to a second item, a related activity id.
            std::vector<std::uint8_t> first(16, 0);
            put<std::uint16_t>(first, 0, 16);
            put<std::uint16_t>(first, 2, 3);
            put<std::uint16_t>(first, 4, 1);
            put<std::uint16_t>(first, 6, 4);
            std::vector<std::uint8_t> second(24, 0x11);
            put<std::uint16_t>(second, 0, 24);
            put<std::uint16_t>(second, 2, 1);
            put<std::uint16_t>(second, 4, 0);
            put<std::uint16_t>(second, 6, 16);
            r.insert(r.end(), first.begin(), first.end());
            r.insert(r.end(), second.begin(), second.end());
        }
        r.insert(r.end(), e.payload.begin(), e.payload.end());
        put<std::uint16_t>(r, 0x00, static_cast<std::uint16_t>(r.size()));
        return r;
    }
    std::vector<std::uint8_t> kernelRecord(const WrittenEvent& e) const
    {
        std::vector<std::uint8_t> r(0x20 + e.payload.size(), 0);
        put<std::uint32_t>(r, 0x00, 0xC0000002u | (static_cast<std::uint32_t>(m_pointerSize == 8 ? 0x02 : 0x01) << 16));
        put<std::uint16_t>(r, 0x04, static_cast<std::uint16_t>(r.size()));
        put<std::uint16_t>(r, 0x06, 0x0301); // a process group event
        put<std::uint64_t>(r, 0x10, kOrigin + e.ticks);
        std::copy(e.payload.begin(), e.payload.end(), r.begin() + 0x20);
        return r;
    }

    std::uint32_t m_bufferSize;
    std::uint8_t m_pointerSize;
    std::vector<Record> m_records;
};

} // namespace offerscope::trace::testing
