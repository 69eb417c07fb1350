// SPDX-License-Identifier: GPL-3.0-or-later
// fuzzEtl() and fuzzTraceXml(): bytes as an .etl recording, and as tracerpt's XML. Whatever they are, the reader must
// not crash, must say where it stopped (a byte offset) when it stops, must keep what it read before, and what it keeps
// must be whole: every event known to the table, with all its fields, in time order.
#include "FuzzTargets.h"
#include "core/trace/TraceXml.h"

#include <cstdio>

namespace offerscope::fuzz {

int fuzzEtl(const std::uint8_t* data, std::size_t size)
{
    Result<trace::Recording> read
        = trace::readEtlRecordingBytes(std::vector<std::uint8_t>(data, data + size), "fuzz.etl");
    if (!read) {
        if (read.message().rfind("fuzz.etl: ", 0) != 0)
            fuzzFailure("a refusal that does not name the file: '" + read.message() + "'");
        if (read.status() != NtStatus::DataError && read.status() != NtStatus::NotSupported)
            fuzzFailure("refused with " + std::string(ntStatusName(read.status())) + ": '" + read.message() + "'");
        if (read.status() == NtStatus::DataError && read.message().find("byte ") == std::string::npos)
            fuzzFailure("a refusal without the byte offset: '" + read.message() + "'");
        return 0;
    }
    const trace::Recording& r = read.value();
    if (!r.stopped.ok() && r.stopped.message().find("byte ") == std::string::npos)
        fuzzFailure("stopped without saying where: '" + r.stopped.message() + "'");
    std::uint64_t last = 0;
    for (const trace::RecordedEvent& e : r.events) {
        if (e.spec >= trace::dxgKrnlSchema().size())
            fuzzFailure("an event outside the table");
        const trace::EventSpec& spec = r.spec(e);
        if (e.firstValue + spec.fields.size() > r.values.size())
            fuzzFailure(std::string(spec.name) + ": fewer values than fields");
        if (e.timestamp < last)
            fuzzFailure("events out of time order");
        last = e.timestamp;
        if (e.source >= size)
            fuzzFailure("an event read from beyond the file");
    }
    std::uint64_t decoded = 0;
    for (const auto& [kind, n] : r.summary.decoded)
        decoded += n;
    if (decoded != r.events.size())
        fuzzFailure("the summary counts " + std::to_string(decoded) + " decoded events, the recording has "
            + std::to_string(r.events.size()));
    if (trace::formatImportSummary(r).empty())
        fuzzFailure("an empty summary");
    return 0;
}

} // namespace offerscope::fuzz

namespace offerscope::fuzz {

int fuzzTraceXml(const std::uint8_t* data, std::size_t size)
{
    Result<trace::Recording> read
        = trace::readTraceXmlText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.xml");
    const auto located = [](const std::string& message) {
        // "fuzz.xml:LINE:COLUMN: ..."
        unsigned line = 0, column = 0;
        return std::sscanf(message.c_str(), "fuzz.xml:%u:%u:", &line, &column) == 2 && line > 0 && column > 0;
    };
    if (!read) {
        if (read.status() != NtStatus::DataError || !located(read.message()))
            fuzzFailure("a refusal without line:column: " + std::string(ntStatusName(read.status())) + " '"
                + read.message() + "'");
        return 0;
    }
    const trace::Recording& r = read.value();
    if (!r.stopped.ok() && !located(r.stopped.message()))
        fuzzFailure("stopped without saying where: '" + r.stopped.message() + "'");
    std::uint64_t last = 0;
    for (const trace::RecordedEvent& e : r.events) {
        if (e.spec >= trace::dxgKrnlSchema().size() || e.firstValue + r.spec(e).fields.size() > r.values.size())
            fuzzFailure("an event that is not whole");
        if (e.timestamp < last)
            fuzzFailure("events out of time order");
        last = e.timestamp;
    }
    if (trace::formatImportSummary(r).empty())
        fuzzFailure("an empty summary");
    return 0;
}

} // namespace offerscope::fuzz
