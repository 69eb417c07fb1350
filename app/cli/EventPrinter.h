// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/events/Event.h"

#include <cstdio>

namespace offerscope::cli {

/// One event as the command line prints it: its line of the log, or a narration set apart; with
/// `calls`, the D3DKMT call behind it below, indented.
void printEvent(std::FILE* out, const events::Event& event, bool calls);

} // namespace offerscope::cli
