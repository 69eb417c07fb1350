// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/events/Event.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace offerscope::events {

/// The simulator's record of transitions. Full by default; bounded (keeps the newest N) or off for
/// big replays, where events are still counted so sequence numbers stay comparable.
class EventLog {
public:
    enum class Mode : std::uint8_t { Full, Bounded, Off };

    void setMode(Mode mode, std::size_t capacity = 0);
    Mode mode() const { return m_mode; }
    std::size_t capacity() const { return m_capacity; }
    /// False when events would be thrown away: callers skip building them.
    bool recording() const { return m_mode != Mode::Off; }

    /// Stamps seq and stores the event (or only counts it when off).
    std::uint64_t append(Event event);
    /// Counts an event that was not built because recording is off.
    std::uint64_t skip() { return ++m_lastSeq; }
    std::uint64_t skip(std::size_t count) { return m_lastSeq += count; }

    std::size_t size() const { return m_events.size(); }
    const Event& at(std::size_t index) const { return m_events[index]; }
    const Event& back() const { return m_events.back(); }
    /// The stored event with this sequence number, or null (dropped, or never recorded).
    Event* bySeq(std::uint64_t seq);
    const Event* bySeq(std::uint64_t seq) const;
    /// Takes the log back to an earlier point of the same run: events after `lastSeq` are removed and
    /// the counters are those of that point (time travel restores a checkpoint, then cuts the log).
    /// With `cut`, the removed events are put in front of it, in order.
    void rewind(std::uint64_t lastSeq, std::uint64_t dropped, std::deque<Event>* cut = nullptr);
    /// Puts events a rewind cut (`cut`, in order) back, up to `lastSeq`: going forward again along the
    /// same run without running it.
    void reinstate(std::deque<Event>& cut, std::uint64_t lastSeq, std::uint64_t dropped);
    std::uint64_t lastSeq() const { return m_lastSeq; }
    std::uint64_t dropped() const { return m_dropped; }
    void clear();

    /// "[     120 us] #12 Discarded   pressure  64 MiB  seg 0  explanation" — stable across runs.
    static std::string formatLine(const Event& event);
    /// Every stored event, one line each.
    std::string formatAll() const;

    auto begin() const { return m_events.begin(); }
    auto end() const { return m_events.end(); }

private:
    std::deque<Event> m_events;
    Mode m_mode = Mode::Full;
    std::size_t m_capacity = 0;
    std::uint64_t m_lastSeq = 0;
    std::uint64_t m_dropped = 0;
};

} // namespace offerscope::events
