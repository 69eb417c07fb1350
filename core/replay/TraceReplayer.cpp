// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replay/TraceReplayer.h"

#include "core/Units.h"
#include "core/replay/TraceReader.h"
#include "core/sim/FastPaths.h"
#include "core/sim/Simulator.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

namespace offerscope::replay {

namespace {

/// The cache of the replay: one process, one LOCAL segment of the budget, and per object its allocation.
/// run() replays a run of accesses; the whole-trace and the streamed replays both feed it.
class CacheReplay {
public:
    explicit CacheReplay(const ReplayOptions& options)
        : m_options(options)
        , m_simulator(sim::AdapterConfig {
              "Replay adapter", { { "Budget", options.budget, MemorySegmentGroup::Local, false } } })
    {
        if (!options.logEvents)
            m_simulator.eventLog().setMode(events::EventLog::Mode::Off);
        const D3DKMT_HANDLE process = *m_simulator.createProcess("Cache", options.budget, 0);
        m_device = *m_simulator.createDevice(process);
        m_queue = *m_simulator.createPagingQueue(m_device);
        m_create.hDevice = m_device;
        m_create.allocationSizes.resize(1);
        m_offer.hDevice = m_device;
        m_offer.NumAllocations = 1;
        m_reclaim.hPagingQueue = m_queue;
        m_reclaim.NumAllocations = 1;
        m_reclaim.pResults = &m_result;
    }

    /// Objects are numbered densely; the replay grows with the numbers it meets.
    void reserveObjects(std::size_t count)
    {
        if (count > m_objects.size())
            m_objects.resize(std::max(count, m_objects.size() + m_objects.size() / 2));
    }

    Status run(const TraceAccess* accesses, std::size_t total);

    ReplayStats finish()
    {
        m_stats.liveAllocations = m_simulator.liveAllocationCount();
        m_stats.simulatedMicroseconds = m_simulator.now();
        m_stats.simulatorBytes = m_simulator.memoryFootprint();
        return m_stats;
    }
    ReplayStats& stats() { return m_stats; }

private:
    struct ObjectState {
        D3DKMT_HANDLE allocation = 0;
        D3DKMT_HANDLE resource = 0;
        std::uint64_t size = 0;
    };
    ReplayOptions m_options;
    sim::Simulator m_simulator;
    D3DKMT_HANDLE m_device = 0, m_queue = 0;
    std::vector<ObjectState> m_objects;
    CreateResourceArgs m_create;
    CreatedResource m_created;
    D3DKMT_OFFERALLOCATIONS m_offer;
    D3DKMT_RECLAIMALLOCATIONS2 m_reclaim;
    ReclaimResult m_result = ReclaimResult::Ok;
    ReplayStats m_stats;
};

Status CacheReplay::run(const TraceAccess* accesses, std::size_t total)
{
    sim::Simulator& simulator = m_simulator;
    ReplayStats& stats = m_stats;
    // A replayer knows the future: start loading what upcoming accesses will touch, in stages (the
    // object entry far ahead, then the allocation record it names, then that record's list
    // neighbours), so memory latency overlaps work. Measured: 3.3 -> 7 M accesses/s at 1M allocations.
    constexpr std::size_t kObjectLead = 16;
    constexpr std::size_t kRecordLead = 8;
    constexpr std::size_t kNeighbourLead = 4;
    for (std::size_t i = 0; i < total; ++i) {
        const TraceAccess& access = accesses[i];
#if defined(__GNUC__) || defined(__clang__)
        if (i + kObjectLead < total)
            __builtin_prefetch(&m_objects[accesses[i + kObjectLead].object]);
#endif
        if (i + kRecordLead < total)
            sim::FastPaths::prefetch(simulator, m_objects[accesses[i + kRecordLead].object].allocation);
        if (i + kNeighbourLead < total)
            sim::FastPaths::prefetchNeighbours(simulator, m_objects[accesses[i + kNeighbourLead].object].allocation);
        ++stats.accesses;
        stats.bytesAccessed += access.size;
        ObjectState& object = m_objects[access.object];
        bool mustCreate = object.allocation == 0;
        if (!mustCreate && object.size != access.size) {
            // Same id, new size: the application replaces the object.
            simulator.destroyResource(m_device, object.resource);
            object = {};
            mustCreate = true;
            ++stats.recreations;
        }
        const OfferPriority priority = access.priority != OfferPriority::None ? access.priority : m_options.priority;
        if (!mustCreate && m_options.fuseHits
            && sim::FastPaths::reuse(simulator, m_queue, object.allocation, priority, m_reclaim.PagingFenceValue)) {
            ++stats.reclaimsOk; // a hit: reclaimed OK and offered again, in one call
            continue;
        }
        if (!mustCreate) {
            m_reclaim.HandleList = &object.allocation;
            const Status status = simulator.reclaimAllocations2(m_reclaim);
            if (status != NtStatus::Success) {
                return Status(status.code(),
                    "access " + std::to_string(stats.accesses) + ": reclaim failed with "
                        + std::string(ntStatusName(status)) + ": " + status.message());
            }
            if (m_result == ReclaimResult::Ok) {
                ++stats.reclaimsOk;
            } else if (m_result == ReclaimResult::Discarded) {
                ++stats.reclaimsDiscarded;
                stats.bytesRegenerated += object.size;
                stats.bytesMissed += object.size;
                // The memory comes back through paging: wait for the fence before using it, as an
                // application must.
                if (m_reclaim.PagingFenceValue > simulator.pagingFenceCompleted(m_queue))
                    simulator.waitForPagingFence(m_queue, m_reclaim.PagingFenceValue);
            } else {
                ++stats.reclaimsNotCommitted;
                stats.bytesRegenerated += object.size;
                simulator.destroyResource(m_device, object.resource);
                object = {};
                mustCreate = true;
                ++stats.recreations;
            }
        }
        if (mustCreate) {
            m_create.allocationSizes[0] = access.size;
            const Status status = simulator.createResource(m_create, m_created);
            if (status == NtStatus::NoMemory) {
                ++stats.tooLarge; // bigger than the whole budget: it can never be cached
                stats.bytesMissed += access.size;
                continue;
            }
            if (status != NtStatus::Success) {
                return Status(
                    status.code(), "access " + std::to_string(stats.accesses) + ": create failed: " + status.message());
            }
            ++stats.creations;
            object.allocation = m_created.allocations[0];
            object.resource = m_created.hResource;
            object.size = access.size;
            stats.bytesCreated += access.size;
            stats.bytesMissed += access.size;
        }
        // The application uses the object now, then offers it until the next access.
        m_offer.HandleList = &object.allocation;
        m_offer.Priority = priority;
        const Status status = simulator.offerAllocations(m_offer);
        if (status != NtStatus::Success) {
            return Status(
                status.code(), "access " + std::to_string(stats.accesses) + ": offer failed: " + status.message());
        }
    }
    return Status();
}

Status checkOptions(const ReplayOptions& options)
{
    if (options.budget == 0)
        return Status(NtStatus::InvalidParameter, "--budget must be greater than 0");
    if (options.priority < OfferPriority::Low || options.priority > OfferPriority::Auto)
        return Status(NtStatus::InvalidParameter, "--priority must be LOW, NORMAL, HIGH or AUTO");
    return Status();
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

Result<ReplayStats> replayTrace(const AccessTrace& trace, const ReplayOptions& options)
{
    if (Status bad = checkOptions(options); !bad.ok())
        return bad;
    CacheReplay replay(options);
    replay.reserveObjects(trace.objectCount);
    const auto start = std::chrono::steady_clock::now();
    if (Status s = replay.run(trace.accesses.data(), trace.accesses.size()); !s.ok())
        return s;
    ReplayStats stats = replay.finish();
    stats.seconds = secondsSince(start);
    stats.wallSeconds = stats.seconds;
    return stats;
}

Result<ReplayStats> replayTrace(
    TraceReader& reader, const ReplayOptions& options, const std::function<void(double)>& progress)
{
    if (Status bad = checkOptions(options); !bad.ok())
        return bad;
    // Batches go round between the reading thread and this one: at most kBatches are read ahead.
    constexpr std::size_t kBatchSize = 1 << 16;
    constexpr std::size_t kBatches = 4;
    struct Batch {
        std::vector<TraceAccess> accesses;
        std::uint32_t objects = 0; ///< objects numbered once this batch was read
        std::uint64_t bytesRead = 0;
    };
    std::vector<Batch> batches(kBatches);
    std::deque<Batch*> free, full;
    for (Batch& b : batches)
        free.push_back(&b);
    std::mutex mutex;
    std::condition_variable changed;
    bool readerDone = false, stop = false;

    const auto wallStart = std::chrono::steady_clock::now();
    std::thread readingThread([&] {
        for (;;) {
            Batch* batch = nullptr;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return !free.empty() || stop; });
                if (stop)
                    break;
                batch = free.front();
                free.pop_front();
            }
            const bool more = reader.next(batch->accesses, kBatchSize);
            batch->objects = reader.objectCount();
            batch->bytesRead = reader.bytesRead();
            std::lock_guard lock(mutex);
            if (more)
                full.push_back(batch);
            else
                free.push_back(batch);
            if (!more) {
                readerDone = true;
                changed.notify_all();
                break;
            }
            changed.notify_all();
        }
    });

    CacheReplay replay(options);
    Status failure;
    double loopSeconds = 0;
    std::uint64_t bytesRead = 0;
    for (;;) {
        Batch* batch = nullptr;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return !full.empty() || readerDone; });
            if (full.empty())
                break;
            batch = full.front();
            full.pop_front();
        }
        replay.reserveObjects(batch->objects);
        const auto start = std::chrono::steady_clock::now();
        failure = replay.run(batch->accesses.data(), batch->accesses.size());
        loopSeconds += secondsSince(start);
        bytesRead = batch->bytesRead;
        if (progress && reader.size() > 0)
            progress(static_cast<double>(bytesRead) / static_cast<double>(reader.size()));
        std::lock_guard lock(mutex);
        free.push_back(batch);
        if (!failure.ok())
            stop = true;
        changed.notify_all();
        if (!failure.ok())
            break;
    }
    readingThread.join();
    if (!failure.ok())
        return failure;
    if (!reader.status().ok())
        return reader.status();
    ReplayStats stats = replay.finish();
    stats.seconds = loopSeconds;
    stats.wallSeconds = secondsSince(wallStart);
    stats.bytesRead = reader.bytesRead();
    return stats;
}

std::string formatReplayStats(const ReplayStats& stats, const ReplayOptions& options)
{
    const auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    char buffer[2048];
    std::snprintf(buffer, sizeof buffer,
        "budget               %s\n"
        "default priority     %s\n"
        "accesses             %llu\n"
        "creations            %llu (%s)\n"
        "recreations          %llu\n"
        "reclaims OK          %llu\n"
        "reclaims DISCARDED   %llu\n"
        "reclaims NOT_COMMITTED %llu\n"
        "too large to cache   %llu\n"
        "bytes regenerated    %s (%llu bytes)\n"
        "miss ratio           %.4f  = (creations + DISCARDED + too large) / accesses, as cache simulators count\n"
        "byte miss ratio      %.4f  = bytes of those accesses / bytes of all accesses\n"
        "discard ratio        %.4f  = (DISCARDED + NOT_COMMITTED) / reclaims: offered objects found gone\n"
        "live allocations     %llu\n"
        "simulated paging     %.3f s (waiting for paging fences after DISCARDED)\n"
        "elapsed              %.3f s in the replay loop, %.3f s in all (reading the trace included)\n"
        "accesses per second  %.0f (in the loop)\n",
        formatBytes(options.budget).c_str(), std::string(offerPriorityName(options.priority)).c_str(),
        u(stats.accesses), u(stats.creations), formatBytes(stats.bytesCreated).c_str(), u(stats.recreations),
        u(stats.reclaimsOk), u(stats.reclaimsDiscarded), u(stats.reclaimsNotCommitted), u(stats.tooLarge),
        formatBytes(stats.bytesRegenerated).c_str(), u(stats.bytesRegenerated), stats.missRatio(),
        stats.byteMissRatio(), stats.discardRatio(), u(stats.liveAllocations),
        static_cast<double>(stats.simulatedMicroseconds) / 1e6, stats.seconds, stats.wallSeconds,
        stats.accessesPerSecond());
    return buffer;
}

} // namespace offerscope::replay
