// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/ImportCommand.h"

#include "core/trace/TraceCheck.h"
#include "core/trace/TraceXml.h"

#include <cstdio>
#include <string>

namespace offerscope::cli {

const char* const kImportHelp = R"(Usage: offerscope-cli import FILE [--events]

Reads a recording of what Windows did: an event trace log (.etl) with the Microsoft-Windows-DxgKrnl
provider (keywords 0x45, level 5; see README, "Recording what Windows did"), or the XML that
tracerpt FILE.etl -of XML writes from one. Prints what it holds:
the Windows that wrote it, events per provider, the DxgKrnl events of the offer model decoded per
kind, and what was skipped and why (ids that are not part of the offer model, versions the table
does not know, payloads shorter than their fields). A file broken part way is read up to the break,
which the summary names by byte offset (.etl) or line:column (XML).

Options:
  --events   also list every decoded event: its time from the start of the recording, process,
             thread, name and fields

Exit status: 0 read to the end, 2 a file that cannot be read or is broken (what came before the
break is printed).

Examples:
  offerscope-cli import dxg.etl
  offerscope-cli import dxg.etl --events
)";

int runImport(const std::vector<std::string_view>& args)
{
    std::string file;
    bool events = false;
    for (const std::string_view a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(kImportHelp, stdout);
            return 0;
        }
        if (a == "--events") {
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
    Result<trace::Recording> read = trace::readRecording(file);
    if (!read) {
        std::fprintf(stderr, "offerscope-cli: import: %s\n", read.message().c_str());
        return 2;
    }
    const trace::Recording& r = read.value();
    std::fputs(trace::formatImportSummary(r).c_str(), stdout);
    if (events) {
        std::printf("\nevents:\n");
        for (const trace::RecordedEvent& e : r.events)
            std::printf("%s\n", trace::eventLine(r, e).c_str());
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
