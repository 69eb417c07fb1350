// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Result.h"
#include "core/replay/AccessTrace.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace offerscope::replay {

/// The formats of an access trace file.
enum class TraceFormat {
    OfferScope, ///< text: "object_id,size_bytes[,priority]" per line, '#' starts a comment line
    Csv, ///< text: libCacheSim's csv, its columns named by CsvColumns (libCacheSim's -t parameters)
    OracleGeneral, ///< binary: libCacheSim's oracleGeneral, 24-byte little-endian records
                   ///< { u32 time; u64 obj_id; u32 obj_size; i64 next_access_vtime }
};
std::string_view traceFormatName(TraceFormat format);
/// "offerscope", "csv" or "oracleGeneral" (any case).
std::optional<TraceFormat> parseTraceFormat(std::string_view text);
/// The format a file name suggests: "oracleGeneral" in it means the binary format, else OfferScope's.
TraceFormat guessTraceFormat(std::string_view path);

/// The columns of a csv trace, as libCacheSim's trace-type parameters name them: 1-based, 0 = absent.
struct CsvColumns {
    unsigned timeCol = 0; ///< read and ignored (the replay keeps its own clock)
    unsigned objIdCol = 1;
    unsigned objSizeCol = 2;
    unsigned priorityCol = 0; ///< OfferScope's own: LOW, NORMAL, HIGH, AUTO or 1..4
    char delimiter = ',';
    bool hasHeader = false;
    bool objIdIsNum = true; ///< false: ids are any text
};
/// Parses libCacheSim's parameter string, e.g. "time-col=1, obj-id-col=2, obj-size-col=3, delimiter=,,
/// has-header=true" (a delimiter is one character, or \t). Errors name the parameter and its column in the
/// text: "column 14: obj-size-col: '0' is not a column number (1, 2, ...)".
Result<CsvColumns> parseCsvColumns(std::string_view text);
/// The string parseCsvColumns() reads back, in libCacheSim's spelling.
std::string formatCsvColumns(const CsvColumns& columns);

struct TraceSource {
    std::string path;
    TraceFormat format = TraceFormat::OfferScope;
    CsvColumns columns;
};

/// Reads an access trace a batch at a time, in any of the formats, from a file (4 MiB at a time: the
/// text is never held whole) or from text in memory. Object ids are numbered densely in the order they
/// first appear, as in AccessTrace. Errors say where: "file:line:column: ..." in text, "file: byte N
/// (record K): ..." in the binary format; what was read before an error stays read.
class TraceReader {
public:
    static Result<std::unique_ptr<TraceReader>> open(const TraceSource& source);
    /// Text (or bytes) already in memory; `name` is what errors call it.
    static std::unique_ptr<TraceReader> fromMemory(
        std::string bytes, std::string name, TraceFormat format, const CsvColumns& columns = {});
    ~TraceReader();
    TraceReader(const TraceReader&) = delete;
    TraceReader& operator=(const TraceReader&) = delete;

    /// The next accesses of the trace, at most `max` of them, in `out` (its contents replaced). False when
    /// none are left or on an error; then status() says which (success at the end of the trace).
    bool next(std::vector<TraceAccess>& out, std::size_t max);
    const Status& status() const { return m_status; }
    /// Distinct objects seen so far (all of them once next() has returned false with success).
    std::uint32_t objectCount() const { return m_objectCount; }
    std::uint64_t bytesRead() const { return m_consumedBase + m_pos; }
    /// The file's size, or the memory's; 0 when it cannot be told (a pipe).
    std::uint64_t size() const { return m_size; }
    TraceFormat format() const { return m_format; }

private:
    TraceReader(std::string name, TraceFormat format, const CsvColumns& columns);
    /// One access as a line or record gives it, before its id is numbered.
    struct Raw {
        std::uint64_t key = 0; ///< the numeric id; for a text id, where it is in m_text
        std::uint64_t size = 0;
        std::uint32_t textLength = 0; ///< a text id's length (0: the id is numeric)
        OfferPriority priority = OfferPriority::None;
    };
    bool fill(); ///< more bytes after m_pos; false at the end of the input
    bool parseLine(std::string_view line, Raw& raw);
    bool parseOfferScope(std::string_view line, Raw& raw);
    bool parseCsv(std::string_view line, Raw& raw);
    bool parseRecord(const unsigned char* record, Raw& raw);
    bool fail(std::size_t column, const std::string& what);
    std::uint32_t numberOf(std::uint64_t key);
    std::uint32_t numberOfText(std::string_view text);
    void keepText(std::string_view id, Raw& raw);
    void prefetchKey(std::uint64_t key) const;

    std::string m_name;
    TraceFormat m_format;
    CsvColumns m_columns;
    std::FILE* m_file = nullptr;
    std::vector<char> m_buffer; ///< bytes [0, m_end) of the input from m_consumedBase
    std::size_t m_pos = 0, m_end = 0;
    std::uint64_t m_consumedBase = 0;
    std::uint64_t m_size = 0;
    bool m_eof = false;
    bool m_readError = false; ///< the file stopped with an error, not at its end
    std::uint64_t m_line = 0; ///< the line being parsed (text) or the record (binary), 1-based
    std::uint64_t m_recordOffset = 0; ///< byte offset of the record being parsed (binary)
    bool m_headerSkipped = false;
    Status m_status;
    bool m_done = false;
    std::vector<Raw> m_raw;
    std::string m_text; ///< the text ids of the batch being read

    // Dense numbering of ids: small numbers by direct index, others by open addressing, text by map.
    std::vector<std::uint32_t> m_small; ///< id -> number + 1 (0: not seen), ids below kSmallIds
    struct Slot {
        std::uint64_t key = 0;
        std::uint32_t value = 0;
        bool used = false;
    };
    std::vector<Slot> m_slots;
    std::size_t m_slotsUsed = 0;
    std::unordered_map<std::string, std::uint32_t> m_named;
    std::uint32_t m_objectCount = 0;
};

/// Reads a whole trace into memory (the sweep replays it once per budget; the window's budget curve).
Result<AccessTrace> readAccessTrace(const TraceSource& source);

} // namespace offerscope::replay
