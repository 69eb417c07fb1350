// SPDX-License-Identifier: GPL-3.0-or-later
// fuzzAccessTrace(): bytes as an access trace. A bad trace must be refused with
// "file:line:column: message"; a good one must replay, with the same figures whether the event log
// records (the general call path) or not (the fast paths).
#include "FuzzTargets.h"
#include "core/Units.h"
#include "core/replay/AccessTrace.h"
#include "core/replay/TraceReplayer.h"

namespace offerscope::fuzz {
namespace {

using namespace offerscope::replay;

constexpr std::size_t kMaxAccesses = 3000;
constexpr std::uint64_t kBudgets[4] = { 1 * kMiB, 16 * kMiB, 64 * kMiB, 1 * kGiB };

std::string figures(const ReplayStats& s)
{
    return std::to_string(s.accesses) + " accesses, " + std::to_string(s.creations) + " creations, "
        + std::to_string(s.recreations) + " recreations, " + std::to_string(s.reclaimsOk) + "/"
        + std::to_string(s.reclaimsDiscarded) + "/" + std::to_string(s.reclaimsNotCommitted) + " reclaims, "
        + std::to_string(s.tooLarge) + " too large, " + std::to_string(s.bytesRegenerated) + " regenerated, "
        + std::to_string(s.bytesCreated) + " created, " + std::to_string(s.liveAllocations) + " live, "
        + std::to_string(s.simulatedMicroseconds) + " us";
}

} // namespace

int fuzzAccessTrace(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Result<AccessTrace> parsed = parseAccessTrace(text, "fuzz.csv");
    if (!parsed) {
        const std::string& error = parsed.message();
        if (error.rfind("fuzz.csv:", 0) != 0 || error.find(": ", 9) == std::string::npos)
            fuzzFailure("an error without file:line:column: '" + error + "'");
        if (parsed.status() != NtStatus::DataError)
            fuzzFailure("a bad trace refused with " + std::string(ntStatusName(parsed.status())) + ": '" + error + "'");
        return 0;
    }
    AccessTrace trace = parsed.take();
    if (trace.objectCount > trace.accesses.size())
        fuzzFailure(
            std::to_string(trace.objectCount) + " objects in " + std::to_string(trace.accesses.size()) + " accesses");
    for (const TraceAccess& a : trace.accesses)
        if (a.object >= trace.objectCount || a.size == 0 || a.priority > OfferPriority::Auto)
            fuzzFailure("an access names object " + std::to_string(a.object) + " of "
                + std::to_string(trace.objectCount) + ", size " + std::to_string(a.size) + ", priority "
                + std::to_string(static_cast<unsigned>(a.priority)));
    if (trace.accesses.size() > kMaxAccesses)
        trace.accesses.resize(kMaxAccesses);

    ReplayOptions options;
    options.budget = kBudgets[size % 4];
    options.priority = static_cast<OfferPriority>(1 + size / 4 % 4);
    const Result<ReplayStats> replayedFast = replayTrace(trace, options);
    if (!replayedFast)
        fuzzFailure("a valid trace does not replay: " + replayedFast.message());
    options.logEvents = true;
    const Result<ReplayStats> replayedGeneral = replayTrace(trace, options);
    if (!replayedGeneral)
        fuzzFailure("a valid trace does not replay with the event log on: " + replayedGeneral.message());
    const ReplayStats& fast = *replayedFast;
    const ReplayStats& general = *replayedGeneral;
    if (figures(fast) != figures(general))
        fuzzFailure(
            "the replay differs with the event log on (" + figures(general) + ") and off (" + figures(fast) + ")");
    if (fast.accesses != trace.accesses.size()
        || fast.reclaimsOk + fast.reclaimsDiscarded + fast.creations + fast.tooLarge != fast.accesses)
        fuzzFailure("the replay's figures do not add up: " + figures(fast));
    (void)formatReplayStats(fast, options);
    return 0;
}

} // namespace offerscope::fuzz
