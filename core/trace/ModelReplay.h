// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a recording's applications did, replayed on the model one recorded event at a time: processes
// as they appear, each with a device and a paging queue; the allocations the recording described
// (size, segment and owner known) created; offers with their recorded priority; reclaims; budget
// changes. What VidMm did on its own (discards, evictions, page-ins, usage reports) is not replayed:
// that is what the model must find by itself. The model is configured from the recorded segments.
// The check (TraceCheck.h) and the model's world beside the recording (ReplayWorld.h) both replay
// through this one class.

#include "core/sim/Simulator.h"
#include "core/trace/RecordingWorld.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace offerscope::trace {

/// What replaying one recorded event did on the model.
struct ReplayedEvent {
    enum class What : std::uint8_t {
        Nothing, ///< not an application's action (VidMm's own doing, or a kind the model has no part in)
        Process, ///< a process appeared
        Created,
        Destroyed,
        Offered,
        Reclaimed,
        Budget,
        Usage, ///< a recorded usage figure, with the model's beside it
        Discard, ///< VidMm's discard as recorded (the model decides its own)
        Skipped, ///< an action the model could not take: the recording did not say enough
    };
    What what = What::Nothing;
    std::int64_t allocation = -1; ///< the recorded allocation (RecordingWorld::allocations()), or -1
    Status status; ///< Reclaimed: what the model's call answered
    ReclaimResult result = ReclaimResult::Ok; ///< Reclaimed: the model's result
    ReclaimResult recorded = ReclaimResult::Ok; ///< Reclaimed: VidMm's
    std::uint32_t process = 0; ///< Usage: the recorded process id
    MemorySegmentGroup group = MemorySegmentGroup::Local; ///< Usage
    std::uint64_t recordedUsage = 0, modelUsage = 0; ///< Usage
};

class ModelReplay {
public:
    /// A fresh model configured like the recorded adapter, under `policy`. The recording must outlive it.
    ModelReplay(const RecordingWorld& recording, const sim::SimPolicy& policy);

    const RecordingWorld& recording() const { return m_recording; }
    sim::Simulator& model() { return m_model; }
    const sim::Simulator& model() const { return m_model; }
    /// The next recorded event to replay (index in recording().recording().events).
    std::size_t next() const { return m_next; }
    bool atEnd() const { return m_next >= m_recording.recording().events.size(); }
    /// Replays the next recorded event: the model's clock moves to its time first.
    ReplayedEvent replayNext();

    /// The model's handle of a recorded allocation it holds now; 0 when it holds none.
    D3DKMT_HANDLE modelOf(std::uint32_t allocation) const { return inModel(allocation) ? m_allocation[allocation] : 0; }
    /// The recorded allocation behind one of the model's allocation handles.
    std::optional<std::uint32_t> recordedOf(D3DKMT_HANDLE modelAllocation) const;
    /// The recorded process id behind one of the model's process handles.
    std::optional<std::uint32_t> recordedProcessOf(D3DKMT_HANDLE modelProcess) const;

    /// A recorded process as the model has it.
    struct Process {
        std::uint32_t pid = 0;
        D3DKMT_HANDLE handle = 0, device = 0, queue = 0;
    };
    /// Everything the replay holds at this point (the model's state without its stored events, which
    /// restore() cuts back as sim::Simulator::restore does).
    struct Checkpoint {
        sim::Simulator::Checkpoint model;
        std::map<std::uint32_t, std::uint32_t> processOf;
        std::vector<Process> processes;
        std::size_t next = 0;
    };
    /// With `previous`, the model's records that did not change since it are shared with it.
    Checkpoint checkpoint(const Checkpoint* previous = nullptr);
    /// Back (or forward along the same run, see sim::Simulator::restore) to a checkpoint of this replay.
    void restore(const Checkpoint& checkpoint, std::deque<events::Event>* cut = nullptr);

private:
    Process* process(std::uint32_t pid);
    /// The model holds the recorded allocation now (created before the next event, not destroyed since).
    bool inModel(std::uint32_t allocation) const;

    const RecordingWorld& m_recording;
    sim::Simulator m_model;
    std::size_t m_next = 0;
    std::map<std::uint32_t, std::uint32_t> m_processOf; ///< recorded pid -> index in m_processes
    std::vector<Process> m_processes; ///< in the order they appeared
    // Per recorded allocation: the model's handles and the recorded events that created and destroyed
    // it there. The replay is deterministic, so after a restore these say what held at any point before
    // the events that wrote them (kNever: not yet).
    static constexpr std::size_t kNever = ~std::size_t { 0 };
    std::vector<D3DKMT_HANDLE> m_allocation, m_resource;
    std::vector<std::size_t> m_createdAt, m_destroyedAt;
    std::unordered_map<D3DKMT_HANDLE, std::uint32_t> m_recordedOf;
};

} // namespace offerscope::trace
