// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/scenario/Scenario.h"

#include <string>

namespace offerscope::scenario {

/// Writes a scenario as the text of a scenario file (docs/scenarios.md) that parseScenario() reads back
/// into an equivalent scenario: the same world and the same steps with the same fields, so running it
/// gives the same events and state. Steps built in code (no file positions) are written the same way.
/// Only what differs from the parser's defaults is written, one step per line; sizes and durations get
/// units where the value is exact ("64 MiB", "1.5 GiB", "16ms"), otherwise they are plain numbers.
/// An expect step whose expectations cannot share one JSON object (two statuses, one name checked
/// twice) is written as several expect steps in a row; they check the same things in the same order.
std::string writeScenario(const Scenario& scenario);

} // namespace offerscope::scenario
