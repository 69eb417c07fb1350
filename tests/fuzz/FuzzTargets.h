// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The fuzz targets as plain functions: libFuzzer calls them from tests/fuzz/libfuzzer/, and the normal
// test suite (any compiler) replays the seed corpus and every saved crash through them
// (tst_fuzz_replay.cpp). Each takes any bytes and returns 0; when the engine breaks one of its
// promises (a crash aside) it calls fuzzFailure() with what broke.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace offerscope::scenario {
struct Scenario;
}
namespace offerscope::sim {
class Simulator;
}

namespace offerscope::fuzz {

/// Bytes as a scenario file: parsed, and when it parses, run for a bounded number of steps with the
/// engine's invariants checked after each, written back and parsed again, and replayed from a checkpoint.
int fuzzScenario(const std::uint8_t* data, std::size_t size);
/// Bytes as an access trace: parsed, and when it parses, replayed (event log on and off must agree).
int fuzzAccessTrace(const std::uint8_t* data, std::size_t size);
/// Bytes as a program of engine calls with arbitrary handles, counts, flags and priorities; the
/// invariants are checked after every call.
int fuzzOperations(const std::uint8_t* data, std::size_t size);
/// Bytes as an .etl recording: read whatever they are; what is kept must be whole and in time order,
/// and a stop must say at which byte.
int fuzzEtl(const std::uint8_t* data, std::size_t size);
/// Bytes as tracerpt's XML: the same promises, with line:column for where.
int fuzzTraceXml(const std::uint8_t* data, std::size_t size);

struct FuzzTarget {
    const char* name; ///< "scenario", "access-trace", "operations", "etl", "trace-xml": also the folder of its corpus
    int (*run)(const std::uint8_t* data, std::size_t size);
};
const std::vector<FuzzTarget>& fuzzTargets();

/// What a broken promise does. The default prints the message and calls abort(), which libFuzzer
/// turns into a saved crash input; the replay test installs one that throws.
using FailureHandler = void (*)(const std::string& message);
void setFailureHandler(FailureHandler handler);
[[noreturn]] void fuzzFailure(const std::string& message);

/// Everything the simulator promises at any moment: checkInvariants(), and its public views (summaries,
/// segment and process usage, discard order, pending offers) agreeing with each other.
void checkSimulator(const sim::Simulator& simulator, std::string_view context);

/// One input of a seed corpus.
struct Seed {
    std::string name;
    std::string bytes;
};
/// The seed corpus of a target, made from the bundled lessons (resources/lessons/) and traces
/// (resources/traces/) under `sourceDir`, and for "etl" small recordings written by the test writer
/// (tests/trace/EtlWriter.h). Empty for an unknown target.
std::vector<Seed> seedCorpus(std::string_view target, const std::string& sourceDir);
/// A scenario as a program for fuzzOperations(): its world, then one call per step. `logMode` is the
/// event log's: 0 full, 1 bounded, 2 off (the engine's fast paths run only with the log off).
std::string operationsFromScenario(const scenario::Scenario& scenario, int logMode = 0);

} // namespace offerscope::fuzz
