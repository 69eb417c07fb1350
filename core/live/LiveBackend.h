// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Live sources: the machine's own video memory manager, read through D3DKMT (Windows: gdi32 exports
// loaded at run time; WSL2: the /dev/dxg ioctls) and, on Windows, acted on through real D3D11 probe
// resources offered and reclaimed with DXGI. A live backend is a Backend like the simulator; what it
// adds is telemetry (sample()) and filler pressure. It never invents a number: a reading the driver
// did not give stays empty, and every refusal is an event with the status returned and plain words.

#include "core/Backend.h"
#include "core/Result.h"
#include "core/events/EventLog.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <vector>

namespace offerscope::live {

/// D3DKMT_QUERYSTATISTICS (SEGMENT) of one segment; empty fields were not reported.
struct SegmentReading {
    std::uint32_t segmentId = 0;
    std::optional<std::uint64_t> commitLimit;
    std::optional<std::uint64_t> bytesCommitted;
    std::optional<std::uint64_t> bytesResident;
};

/// The program's own budget and usage in one segment group (D3DKMTQueryVideoMemoryInfo, or DXGI's
/// IDXGIAdapter3::QueryVideoMemoryInfo where the D3DKMT export is missing).
struct MemoryInfoReading {
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    std::string source; ///< which call gave it
    std::optional<std::uint64_t> budget;
    std::optional<std::uint64_t> currentUsage;
    std::optional<std::uint64_t> currentReservation;
    std::optional<std::uint64_t> availableForReservation;
};

/// Another process' budget and usage in one segment group (D3DKMTQueryStatistics
/// PROCESS_SEGMENT_GROUP), where the system lets the program open that process.
struct ProcessGroupReading {
    std::uint32_t processId = 0;
    std::string process; ///< "firefox.exe (4242)"
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    std::optional<std::uint64_t> budget;
    std::optional<std::uint64_t> usage;
    std::string source;
};

/// One reading of an adapter.
struct LiveSample {
    std::uint64_t atMs = 0; ///< since the backend was opened
    LUID adapter;
    std::vector<SegmentReading> segments;
    std::vector<MemoryInfoReading> groups;
    std::vector<ProcessGroupReading> processes; ///< other processes, where permitted (Windows)
    std::vector<std::string> notes; ///< what could not be read, and why
};

class LiveBackend : public Backend {
public:
    /// Reads the telemetry of an adapter of adapters() now.
    virtual LiveSample sample(const LUID& adapter) = 0;
    /// The device probe resources are created on (createResource's hDevice), 0 when there is none.
    virtual D3DKMT_HANDLE probeDevice() const = 0;
    /// Its paging queue, for ReclaimAllocations2 (0 when the source has none).
    virtual D3DKMT_HANDLE probePagingQueue() const = 0;
    /// Filler resources of `bytes` in all, on the probe device: memory pressure on the probes.
    virtual Status addPressure(std::uint64_t bytes) = 0;
    /// Frees every filler resource.
    virtual void releasePressure() = 0;

    const events::EventLog& eventLog() const override { return m_log; }
    /// Words for the audience (a lesson's "say" run on the live source), in the event log.
    void narrate(std::string text);
    /// The program's own process as views name it (live calls pass NULL for it: the current process).
    static constexpr const char* kOwnProcessName = "OfferScope (this program)";
    /// Problems met so far, in plain words, each once ("this runtime does not implement offers").
    const std::vector<std::string>& problems() const { return m_problems; }

    // ---- Threads ---------------------------------------------------------------------------------
    // A reading may run on a worker thread while the views read the event log on theirs. Calls into
    // the backend are made one at a time: whoever calls holds callMutex(). What a call records on a
    // thread other than the log's own waits in a pending list until that thread takes it in
    // (takePending()), so the log and the problems only ever change on the thread that reads them.
    std::mutex& callMutex() { return m_callMutex; }
    /// The thread whose views read the log (by default the one that opened the backend).
    void setLogThread(std::thread::id thread) { m_logThread = thread; }
    /// Takes in what other threads recorded; true when there was something. Call on the log's thread.
    bool takePending();
    /// While `into` is set (by the thread that holds callMutex()), the events that thread records go
    /// there instead of the pending list: a step made on a worker keeps its own events, and its world
    /// places them with the step (adopt()). Set nullptr to stop.
    void captureEvents(std::vector<events::Event>* into);
    /// Appends events captured on another thread to the log. Call on the log's thread.
    void adopt(std::vector<events::Event> events);
    /// Whether the calling thread records straight into the log.
    bool onLogThread() const { return std::this_thread::get_id() == m_logThread; }

protected:
    LiveBackend();
    /// Records a call and what it returned. `callText` is the call as its API writes it.
    /// A successful offer (`priority` given) is remembered per allocation: the reclaim events of those
    /// allocations carry the priority they were offered at, as the simulator's do.
    std::uint64_t logCall(events::ApiCall call, NtStatus status, std::string callText, std::string explanation,
        std::vector<D3DKMT_HANDLE> allocations = {}, std::optional<ReclaimResult> result = {},
        OfferPriority priority = OfferPriority::None);
    /// Records a telemetry call that repeats at every reading: the first time, and whenever the status
    /// it returns changes (`key` tells the calls apart).
    void logTelemetry(const std::string& key, NtStatus status, std::string callText, std::string explanation);
    /// Records a problem (once) and returns it.
    std::string noteProblem(std::string problem);
    std::uint64_t elapsedMs() const;

    events::EventLog m_log;

private:
    /// Records an event made on a thread other than the log's: into the capture or the pending list.
    void recordAway(events::Event e);

    std::mutex m_callMutex;
    std::thread::id m_logThread = std::this_thread::get_id();
    std::mutex m_pendingMutex;
    std::vector<events::Event> m_pendingEvents;
    std::vector<events::Event>* m_capture = nullptr; ///< see captureEvents()
    std::thread::id m_captureThread;
    std::vector<std::string> m_pendingProblems;
    std::vector<std::string> m_problems;
    std::map<std::string, NtStatus> m_telemetryStatus; ///< last status of each telemetry call
    std::map<D3DKMT_HANDLE, OfferPriority> m_offeredAt; ///< probes offered and not reclaimed since
    std::chrono::steady_clock::time_point m_opened;
};

/// Opens the live source of this kind on this machine, or says why it cannot ("not available: ...").
Result<std::unique_ptr<LiveBackend>> openLiveBackend(BackendKind kind);

/// "E_NOTIMPL (0x80004001)" and the like, for HRESULTs seen on live sources.
std::string hresultText(std::uint32_t hr);
/// The NTSTATUS a DXGI HRESULT stands for in the event log (E_NOTIMPL: STATUS_NOT_IMPLEMENTED, ...).
NtStatus statusFromHresult(std::uint32_t hr);

} // namespace offerscope::live
