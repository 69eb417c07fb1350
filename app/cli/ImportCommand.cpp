// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ImportCommand.h"

#include "core/Units.h"
#include "core/trace/RecordingWorld.h"
#include "core/trace/TraceCheck.h"
#include "core/trace/TraceXml.h"

#include <cstdio>
#include <fstream>
#include <string>

namespace offerscope::cli {

const char* const kImportHelp = R"(Usage: offerscope-cli import FILE [--events] [--csv OUT] [--json OUT]

Reads a recording of what Windows did: an event trace log (.etl) with the Microsoft-Windows-DxgKrnl
provider (keywords 0x45, level 5; see README, "Recording what Windows did"), or the XML that
tracerpt FILE.etl -of XML writes from one. Prints what it holds:
the Windows that wrote it, events per provider, the DxgKrnl events of the offer model decoded per
kind, and what was skipped and why (ids that are not part of the offer model, versions the table
does not know, payloads shorter than their fields). A file broken part way is read up to the break,
which the summary names by byte offset (.etl) or line:column (XML).

Then how the handles of the offer, reclaim and discard events were tied to the allocations the
recording described (exact values only), and how many could not be tied.

Options:
  --events    also list every decoded event: its time from the start of the recording, process,
              thread, name and fields
  --csv OUT   write the decoded events as a table: time_us, process, thread, event, id, version,
              what happened (in plain words), fields ("-" for standard output)
  --json OUT  write the summary and the decoded events as JSON ("-" for standard output)

Exit status: 0 read to the end, 2 a file that cannot be read or is broken (what came before the
break is printed).

Examples:
  offerscope-cli import dxg.etl
  offerscope-cli import dxg.etl --events
)";

namespace {

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/// Writes `text` to `path` ("-": standard output); false with a message on failure.
bool writeOut(const std::string& path, const std::string& text)
{
    if (path == "-") {
        std::fputs(text.c_str(), stdout);
        return true;
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        std::fprintf(stderr, "offerscope-cli: import: cannot write %s\n", path.c_str());
        return false;
    }
    return true;
}

} // namespace

int runImport(const std::vector<std::string_view>& args)
{
    std::string file, csvOut, jsonOut;
    bool events = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kImportHelp, stdout);
            return 0;
        }
        if ((a == "--csv" || a == "--json") && i + 1 < args.size()) {
            (a == "--csv" ? csvOut : jsonOut) = std::string(args[++i]);
        } else if (a == "--events") {
            events = true;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(
                stderr, "offerscope-cli: import: unknown option '%s'\n\n%s", std::string(a).c_str(), kImportHelp);
            return 2;
        } else if (file.empty()) {
            file = std::string(a);
        } else {
            std::fprintf(stderr, "offerscope-cli: import: more than one FILE given\n\n%s", kImportHelp);
            return 2;
        }
    }
    if (file.empty()) {
        std::fprintf(stderr, "offerscope-cli: import: no recording FILE given\n\n%s", kImportHelp);
        return 2;
    }
    if (csvOut == "-" && jsonOut == "-") {
        std::fprintf(stderr, "offerscope-cli: import: only one of --csv and --json can go to standard output\n");
        return 2;
    }
    Result<trace::Recording> read = trace::readRecording(file);
    if (!read) {
        std::fprintf(stderr, "offerscope-cli: import: %s\n", read.message().c_str());
        return 2;
    }
    const trace::RecordingWorld world(read.take());
    const trace::Recording& r = world.recording();
    const bool quiet = csvOut == "-" || jsonOut == "-"; // standard output carries the table
    if (!quiet) {
        std::fputs(trace::formatImportSummary(r).c_str(), stdout);
        std::printf("how handles were tied (exact values; see docs/recordings.md):\n%s", world.tiesText().c_str());
    }
    if (events && !quiet) {
        std::printf("\nevents:\n");
        for (const trace::RecordedEvent& e : r.events)
            std::printf("%s\n", trace::eventLine(r, e).c_str());
    }
    if (!csvOut.empty()) {
        std::string csv = "time_us,process,thread,event,id,version,what_happened,fields\n";
        for (std::size_t i = 0; i < r.events.size(); ++i) {
            const trace::RecordedEvent& e = r.events[i];
            const trace::EventSpec& spec = r.spec(e);
            csv += std::to_string(e.timeUs) + "," + std::to_string(e.processId) + "," + std::to_string(e.threadId) + ","
                + std::string(spec.name) + "," + std::to_string(spec.id) + "," + std::to_string(spec.version) + ","
                + csvField(world.eventOf(i).explanation) + "," + csvField(trace::fieldsText(r, e)) + "\n";
        }
        if (!writeOut(csvOut, csv))
            return 1;
    }
    if (!jsonOut.empty()) {
        std::string json = "{\n  \"recording\": " + jsonQuoted(r.name) + ",\n  \"format\": "
            + jsonQuoted(r.summary.format) + ",\n  \"summary\": " + jsonQuoted(trace::formatImportSummary(r))
            + ",\n  \"ties\": " + jsonQuoted(world.tiesText()) + ",\n  \"stopped\": " + jsonQuoted(r.stopped.message())
            + ",\n  \"events\": [\n";
        for (std::size_t i = 0; i < r.events.size(); ++i) {
            const trace::RecordedEvent& e = r.events[i];
            const trace::EventSpec& spec = r.spec(e);
            json += "    { \"timeUs\": " + std::to_string(e.timeUs) + ", \"process\": " + std::to_string(e.processId)
                + ", \"thread\": " + std::to_string(e.threadId) + ", \"event\": " + jsonQuoted(std::string(spec.name))
                + ", \"id\": " + std::to_string(spec.id) + ", \"version\": " + std::to_string(spec.version)
                + ", \"fields\": {";
            for (std::size_t f = 0; f < spec.fields.size(); ++f)
                json += (f == 0 ? " " : ", ") + jsonQuoted(std::string(spec.fields[f].name)) + ": "
                    + std::to_string(r.value(e, f));
            json += " } }" + std::string(i + 1 < r.events.size() ? "," : "") + "\n";
        }
        json += "  ]\n}\n";
        if (!writeOut(jsonOut, json))
            return 1;
    }
    if (!r.stopped.ok()) {
        std::fprintf(stderr, "offerscope-cli: import: %s\n", r.stopped.message().c_str());
        return 2;
    }
    return 0;
}

const char* const kCheckTraceHelp = R"(Usage: offerscope-cli check-trace FILE [--json]

Checks the model against a recording (.etl or tracerpt XML, see offerscope-cli import): what the
recording's applications did (allocations created and destroyed, offers with their priorities,
reclaims, budget changes; other processes' allocations are their commitments) is replayed on the
simulator set up with the recorded segments and budgets, and compared with what VidMm did: which
allocations it discarded, what each reclaim found, the usage per process. Prints the agreement per
kind and overall, the first divergences with their time, and the agreement of each setting of the
model that was tried (within-priority order and other [choice]s), marking the one that fits best.
How handles were tied to allocations is printed first: a guess until a real recording confirms it.

Options:
  --json   the same as JSON on standard output

Exit status: 0 checked (whatever the agreement), 2 a file that cannot be read, or a recording that
lacks what the replay needs (the size of a segment).

Example:
  offerscope-cli check-trace dxg.etl
)";

int runCheckTrace(const std::vector<std::string_view>& args)
{
    std::string file;
    bool json = false;
    for (const std::string_view a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(kCheckTraceHelp, stdout);
            return 0;
        }
        if (a == "--json") {
            json = true;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "offerscope-cli: check-trace: unknown option '%s'\n\n%s", std::string(a).c_str(),
                kCheckTraceHelp);
            return 2;
        } else if (file.empty()) {
            file = std::string(a);
        } else {
            std::fprintf(stderr, "offerscope-cli: check-trace: more than one FILE given\n\n%s", kCheckTraceHelp);
            return 2;
        }
    }
    if (file.empty()) {
        std::fprintf(stderr, "offerscope-cli: check-trace: no recording FILE given\n\n%s", kCheckTraceHelp);
        return 2;
    }
    Result<trace::Recording> read = trace::readRecording(file);
    if (!read) {
        std::fprintf(stderr, "offerscope-cli: check-trace: %s\n", read.message().c_str());
        return 2;
    }
    if (!read.value().stopped.ok())
        std::fprintf(stderr, "offerscope-cli: check-trace: %s (the events before it are checked)\n",
            read.value().stopped.message().c_str());
    const trace::RecordingWorld world(read.take());
    const trace::TraceCheck check = trace::checkTrace(world);
    std::fputs((json ? trace::traceCheckJson(check, world) : trace::formatTraceCheck(check, world)).c_str(), stdout);
    if (!check.possible) {
        std::fprintf(stderr, "offerscope-cli: check-trace: cannot check: %s\n", check.whyNot.c_str());
        return 2;
    }
    return 0;
}

} // namespace offerscope::cli
