// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/EventPrinter.h"

#include "core/events/EventLog.h"

#include <string>

namespace offerscope::cli {

void printEvent(std::FILE* out, const events::Event& event, bool calls)
{
    if (event.kind == events::EventKind::Narration) {
        std::fprintf(out, "\n>> %s\n\n", event.explanation.c_str());
        return;
    }
    std::fprintf(out, "%s\n", events::EventLog::formatLine(event).c_str());
    if (calls && !event.callText.empty()) {
        // Every line of a multi-line call indented under its event.
        std::string indented = "      " + event.callText;
        for (std::size_t p = indented.find('\n'); p != std::string::npos; p = indented.find('\n', p + 1))
            indented.insert(p + 1, "      ");
        std::fprintf(out, "%s\n", indented.c_str());
    }
}

} // namespace offerscope::cli
