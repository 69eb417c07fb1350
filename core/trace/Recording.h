// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A recording of what Windows did, as OfferScope reads it: the DxgKrnl events of the offer model,
// decoded through the one table (DxgKrnlSchema.h), in time order, with a summary of everything else
// the file held (other providers, ids and versions the table does not know, records too short for
// their fields). Reading stops at the first broken structure and keeps what came before it.

#include "core/Result.h"
#include "core/trace/DxgKrnlSchema.h"
#include "core/trace/EtlReader.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace offerscope::trace {

/// One decoded DxgKrnl event. Its field values (pointers zero-extended) are in Recording::values
/// from `firstValue`, in the table's field order.
struct RecordedEvent {
    std::uint64_t timeUs = 0; ///< from the recording's start
    std::uint64_t timestamp = 0; ///< in the recording's own clock
    std::uint32_t processId = 0;
    std::uint32_t threadId = 0;
    std::uint32_t firstValue = 0;
    std::uint16_t spec = 0; ///< index in dxgKrnlSchema()
    std::uint8_t pointerSize = 8;
    std::uint64_t source = 0; ///< where it was read: byte offset (.etl) or line (XML)
};

/// What the file held besides the decoded events, and what could not be read.
struct ImportSummary {
    std::string format; ///< "ETL" or "tracerpt XML"
    std::uint64_t bytes = 0;
    std::uint64_t buffers = 0;
    std::uint64_t records = 0; ///< every event record seen, all providers and kinds
    std::uint64_t classicRecords = 0; ///< kernel and classic providers' records (not manifest events)
    std::map<Guid, std::uint64_t> providers; ///< manifest events per provider
    std::map<EventKind, std::uint64_t> decoded; ///< DxgKrnl events decoded, per kind
    std::map<std::uint16_t, std::uint64_t> unknownIds; ///< DxgKrnl ids the table does not know
    std::map<std::pair<std::uint16_t, std::uint8_t>, std::uint64_t> unknownVersions; ///< (id, version)
    std::map<std::pair<std::uint16_t, std::uint8_t>, std::uint64_t> malformed; ///< payload shorter than its fields
    std::uint64_t firstMalformedAt = 0; ///< where the first one was
    std::uint32_t eventsLost = 0, buffersLost = 0; ///< as the recording's header says
};

struct Recording {
    std::string name; ///< the file
    EtlLogHeader header; ///< what the file says about itself (ETL; the XML fills what it can)
    std::vector<RecordedEvent> events; ///< in time order (stable for equal times)
    std::vector<std::uint64_t> values;
    ImportSummary summary;
    Status stopped; ///< ok, or where and why reading stopped early (what came before is kept)

    const EventSpec& spec(const RecordedEvent& e) const { return dxgKrnlSchema()[e.spec]; }
    /// A field's value by name; 0 when the event has no such field.
    std::uint64_t value(const RecordedEvent& e, std::string_view field) const;
    std::uint64_t value(const RecordedEvent& e, std::size_t field) const { return values[e.firstValue + field]; }
};

/// How far an import got (0..1) and whether to stop; called now and then from the reading thread.
struct ImportProgress {
    std::function<void(double fraction)> report;
    std::function<bool()> cancelled; ///< true: stop (the recording keeps what was read, `stopped` says so)
};

/// Decodes one DxgKrnl record's payload into `values` (appended). Returns false, appending nothing,
/// when the payload is shorter than the table's fields (bytes beyond them are fields the table does
/// not know yet, and are ignored).
bool decodePayload(const EventSpec& spec, std::span<const std::uint8_t> payload, std::uint8_t pointerSize,
    std::vector<std::uint64_t>& values);

/// Reads an .etl file. Fails (no recording) when the file cannot be opened or is not an .etl file;
/// a recording broken further on comes back with `stopped` saying where, and what came before.
Result<Recording> readEtlRecording(const std::string& path, const ImportProgress& progress = {});
/// The same from bytes in memory (tests, fuzzing).
Result<Recording> readEtlRecordingBytes(std::vector<std::uint8_t> bytes, std::string name);

/// One event in one line: "   12.345 ms  pid 1234  tid 99  OfferAllocationStart  hAllocationHandle=0x... Priority=1
/// (LOW)".
std::string eventLine(const Recording& recording, const RecordedEvent& event);
/// Its fields alone: "hAllocationHandle=0x... Priority=1 (LOW)" (pointers in hex, mapped values named).
std::string fieldsText(const Recording& recording, const RecordedEvent& event);

/// The import summary as `offerscope-cli import` prints it.
std::string formatImportSummary(const Recording& recording);

} // namespace offerscope::trace
