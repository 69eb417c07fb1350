// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sim/Simulator.h"

#include <string>

namespace offerscope::cli {

/// The bundled demo: a game offers its textures at three priorities, a browser's commit and a
/// reclaim put memory under pressure, a pending offer waits for GPU work, a decommit ends in
/// NOT_COMMITTED, the game goes to the background, and a mistake removes a device. Runs on a
/// "discrete" simulator and leaves its story in the event log. Returns an empty string when every
/// outcome was the expected one, else what differed.
std::string runDemoScenario(sim::Simulator& simulator);

} // namespace offerscope::cli
