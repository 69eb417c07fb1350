// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Words, numbers and colours every view uses the same way.

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/SimTypes.h"

#include <QColor>
#include <QString>
#include <cstdint>
#include <string_view>

namespace offerscope::models {

/// A name from the engine (state, status, event kind, ...) as a QString.
QString toQString(std::string_view text);
QString bytesText(std::uint64_t bytes); ///< "256 MiB"
QString timeText(std::uint64_t microseconds); ///< "1.250 ms", "120 µs"
QString handleText(std::uint32_t handle); ///< "0x40000001"
QString stateText(sim::AllocationState state);
QString priorityText(OfferPriority priority); ///< "LOW" ... "AUTO", "" for none
QString resultText(ReclaimResult result); ///< "OK", "DISCARDED", "NOT_COMMITTED"

/// Colours of the usage categories, the same in bars, timelines, lists and legends.
QColor inUseColor();
QColor priorityColor(OfferPriority priority);
QColor pendingColor();
QColor evictedColor();
QColor discardedColor();
QColor freeColor();
QColor resultColor(ReclaimResult result);

/// Definitions of the terms people misread, for tooltips ("resident" vs "committed", ...).
QString glossary(const QString& term);

} // namespace offerscope::models
