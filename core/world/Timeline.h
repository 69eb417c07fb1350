// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The state of a world at the points of its timeline, in the shape the usage plots stack it. Every
// kind of world (the simulator's session, a live source, a recording) fills the same points.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace offerscope::world {

/// Bytes of one segment at one point, as the usage plots stack them.
struct SegmentSample {
    std::uint64_t size = 0;
    std::uint64_t inUse = 0;
    std::uint64_t offered[5] = {}; ///< by the priority given to the offer (index 1..4: LOW..AUTO)
    std::uint64_t offerPending = 0;
    std::uint64_t evicted = 0;
    std::uint64_t discarded = 0; ///< discarded, still committed
    std::uint64_t free = 0;
};

/// Something the timeline marks: where pressure came from, or a budget that changed.
struct TimelineMarker {
    enum class Kind : std::uint8_t { Pressure, Budget };
    Kind kind = Kind::Pressure;
    std::uint64_t seq = 0; ///< the event
    std::string label; ///< short: "Browser commits 900 MiB"
};

/// The state after a number of steps.
struct TimelinePoint {
    std::size_t position = 0; ///< steps run
    std::uint64_t time = 0; ///< microseconds on the world's clock
    std::uint64_t lastSeq = 0; ///< the last event at this point
    std::vector<SegmentSample> segments;
    std::vector<TimelineMarker> markers; ///< what the step that led here marked
};

} // namespace offerscope::world
