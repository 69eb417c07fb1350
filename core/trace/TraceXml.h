// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The XML that Windows' `tracerpt FILE.etl -of XML -o FILE.xml` writes: <Events> holding one <Event>
// per record, each with <System> (provider, EventID, Version, TimeCreated, Execution ProcessID and
// ThreadID) and <EventData> (<Data Name="field">value</Data>). Events are parsed one at a time with
// pugixml from a window of the file, so memory does not grow with the file. DxgKrnl events decode
// through the same table as the .etl reader's, by field name.

#include "core/trace/Recording.h"

#include <string>

namespace offerscope::trace {

/// Reads a tracerpt XML file. Fails when the file cannot be opened or is not tracerpt's XML (naming
/// line:column); a file broken further on comes back with `stopped` saying where, and what came before.
Result<Recording> readTraceXml(const std::string& path, const ImportProgress& progress = {});
/// The same from text in memory (tests, fuzzing).
Result<Recording> readTraceXmlText(std::string text, std::string name);

/// Reads a recording whatever its form: XML when its first non-blank byte is '<' (or a byte-order
/// mark), else .etl.
Result<Recording> readRecording(const std::string& path, const ImportProgress& progress = {});

} // namespace offerscope::trace
