// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A reader of Windows event trace log files (.etl), written from the public descriptions of the
// container (docs/recordings.md): a file is a series of buffers of one size; each starts with a
// 72-byte buffer header whose Offset field says where its events end; the first buffer's first
// record is the log-file header event (pointer size, clock, start time, buffer size); records are
// 8-byte aligned and never cross a buffer. It streams one buffer at a time: memory does not grow
// with the file. No Windows API is used.

#include "core/Result.h"
#include "core/trace/DxgKrnlSchema.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace offerscope::trace {

/// What the log-file header event says about the recording.
struct EtlLogHeader {
    std::uint32_t bufferSize = 0;
    std::uint8_t windowsMajor = 0, windowsMinor = 0;
    std::uint32_t build = 0; ///< ProviderVersion: the Windows build number
    std::uint32_t processors = 0;
    std::uint32_t buffersWritten = 0;
    std::uint32_t pointerSize = 0; ///< 4 or 8
    std::uint32_t eventsLost = 0, buffersLost = 0;
    std::uint32_t cpuSpeedMHz = 0;
    std::uint32_t timerResolution = 0; ///< 100 ns units
    std::uint32_t logFileMode = 0;
    std::uint32_t clockType = 0; ///< 1 QPC, 2 system time, 3 CPU cycles
    std::uint64_t startTime = 0, endTime = 0, bootTime = 0; ///< FILETIME (UTC, 100 ns since 1601)
    std::uint64_t perfFreq = 0; ///< ticks per second of the QPC clock
    std::uint64_t origin = 0; ///< the header event's own timestamp: the clock's reading at startTime
    std::string loggerName, logFileName;
};

/// One record of a buffer that carries an EVENT_HEADER (manifest and TraceLogging providers).
struct EtlEvent {
    Guid provider;
    std::uint16_t id = 0;
    std::uint8_t version = 0, channel = 0, level = 0, opcode = 0;
    std::uint16_t task = 0;
    std::uint64_t keyword = 0;
    std::uint32_t processId = 0, threadId = 0;
    std::uint64_t timestamp = 0; ///< in the recording's clock (see EtlLogHeader::clockType)
    std::uint8_t pointerSize = 8; ///< of its payload: 4 (EVENT_HEADER32) or 8
    std::span<const std::uint8_t> payload;
    std::uint64_t offset = 0; ///< of the record in the file
};

/// What a pass over the records saw besides EVENT_HEADER events.
struct EtlCounts {
    std::uint64_t buffers = 0;
    std::uint64_t events = 0; ///< EVENT_HEADER records
    std::uint64_t classic = 0; ///< system, perfinfo, full, instance and message records (other providers' kinds)
    std::uint64_t errorRecords = 0; ///< records of the ERROR header kind
};

/// Receives the records of each buffer, in the buffer's order.
class EtlVisitor {
public:
    virtual ~EtlVisitor() = default;
    virtual void event(const EtlEvent& event) = 0;
};

class EtlReader {
public:
    ~EtlReader();
    EtlReader(const EtlReader&) = delete;
    EtlReader& operator=(const EtlReader&) = delete;

    /// Opens a file and reads its log-file header. Fails with STATUS_OBJECT_NAME_NOT_FOUND when it
    /// cannot be opened, STATUS_DATA_ERROR naming the byte offset when it is not an .etl file or its
    /// first buffer is broken, STATUS_NOT_SUPPORTED when its buffers are compressed (with how to
    /// record without compression).
    static Result<std::unique_ptr<EtlReader>> open(const std::string& path);
    /// The same on bytes in memory (`name` names them in messages).
    static Result<std::unique_ptr<EtlReader>> openBytes(std::vector<std::uint8_t> bytes, std::string name);

    const EtlLogHeader& header() const { return m_header; }
    std::uint64_t size() const { return m_size; }
    /// Bytes read so far (for progress).
    std::uint64_t position() const { return m_next; }
    const EtlCounts& counts() const { return m_counts; }

    /// Reads the next buffer and hands its EVENT_HEADER records to `visitor`. `more` is false after the
    /// last buffer. Fails with STATUS_DATA_ERROR naming the byte offset and what was expected (a
    /// buffer whose size disagrees with the header, a record running past its buffer, ...); what was
    /// read before it stays read, and the reader stops there.
    Status next(EtlVisitor& visitor, bool& more);

    /// Microseconds from the recording's start to a timestamp of its clock (0 before the start).
    std::uint64_t microseconds(std::uint64_t timestamp) const;

private:
    EtlReader() = default;
    Status readHeader();
    Status readBuffer(std::uint64_t at, std::vector<std::uint8_t>& into, std::uint64_t want);
    Status walk(std::uint64_t bufferAt, std::span<const std::uint8_t> buffer, EtlVisitor* visitor);

    std::string m_name;
    std::FILE* m_file = nullptr;
    std::vector<std::uint8_t> m_memory; ///< openBytes()
    std::uint64_t m_size = 0;
    std::uint64_t m_next = 0; ///< file offset of the next buffer
    bool m_failed = false;
    std::vector<std::uint8_t> m_buffer;
    EtlLogHeader m_header;
    EtlCounts m_counts;
};

} // namespace offerscope::trace
