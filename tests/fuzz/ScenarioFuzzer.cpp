// SPDX-License-Identifier: GPL-3.0-or-later
// fuzzScenario(): bytes as a scenario file. A file that does not parse must be refused with
// "file:line:column: message"; one that parses must run with the engine's invariants holding after
// every step, write back to a file that parses to the same text, and replay identically from a
// checkpoint (what the window's time travel does).
#include "FuzzTargets.h"
#include "core/scenario/RunReport.h"
#include "core/scenario/ScenarioParser.h"
#include "core/scenario/ScenarioRunner.h"
#include "core/scenario/ScenarioWriter.h"

#include <cctype>
#include <optional>

namespace offerscope::fuzz {
namespace {

using namespace offerscope::scenario;

/// Bounds that keep one input fast: the checks after each step walk every allocation.
constexpr std::size_t kMaxSteps = 200;
constexpr std::size_t kMaxAllocations = 2048;
constexpr std::size_t kMaxWorldObjects = 64; ///< processes, devices and paging queues

/// "name:line:column: message" with line and column numbers from 1.
void checkLocated(const std::string& error, const std::string& fileName)
{
    std::size_t pos = fileName.size() + 1;
    bool ok = error.compare(0, pos, fileName + ":") == 0;
    for (int field = 0; field < 2 && ok; ++field) {
        const std::size_t digits = pos;
        while (pos < error.size() && std::isdigit(static_cast<unsigned char>(error[pos])))
            ++pos;
        ok = pos > digits && error[digits] != '0' && pos < error.size() && error[pos] == ':';
        ++pos;
    }
    ok = ok && pos + 1 < error.size() && error[pos] == ' ';
    if (!ok)
        fuzzFailure("an error without file:line:column: '" + error + "'");
}

/// Cuts the scenario where running it would get slow; false when its world alone is too big.
bool bound(Scenario& s)
{
    std::size_t objects = s.processes.size();
    for (const ProcessSpec& p : s.processes)
        for (const DeviceSpec& d : p.devices)
            objects += 2 + d.pagingQueues.size();
    if (objects > 3 * kMaxWorldObjects)
        return false;
    if (s.steps.size() > kMaxSteps)
        s.steps.resize(kMaxSteps);
    std::size_t allocations = 0;
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        allocations += s.steps[i].kind == StepKind::Create ? s.steps[i].count : 1;
        if (allocations > kMaxAllocations) {
            s.steps.resize(i);
            break;
        }
    }
    return true;
}

std::string outcomesText(const ScenarioRunner& runner)
{
    std::string out;
    for (const StepOutcome& o : runner.outcomes()) {
        out += std::to_string(o.step) + " " + std::to_string(static_cast<std::uint32_t>(o.status.code())) + " "
            + o.status.message();
        for (const auto& [name, result] : o.results)
            out += " " + name + "=" + std::to_string(static_cast<std::uint32_t>(result));
        out += "\n";
    }
    for (const ExpectationFailure& f : runner.failures())
        out += std::to_string(f.step) + " " + f.message + "\n";
    return out;
}

void runChecked(const Scenario& scenario)
{
    ScenarioRunner runner(scenario);
    checkSimulator(runner.simulator(), "the scenario's world");
    const std::size_t middle = scenario.steps.size() / 2;
    std::optional<ScenarioRunner::Checkpoint> checkpoint;
    std::string middleState;
    for (;;) {
        if (runner.nextStep() == middle) {
            checkpoint = runner.checkpoint();
            middleState = runner.simulator().stateDump();
        }
        const std::size_t step = runner.nextStep();
        const std::uint64_t before = runner.simulator().now();
        if (!runner.step())
            break;
        const std::string where
            = "step " + std::to_string(step) + " (" + std::string(stepKindName(scenario.steps[step].kind)) + ")";
        if (runner.simulator().now() < before)
            fuzzFailure(where + ": the clock went back from " + std::to_string(before) + " to "
                + std::to_string(runner.simulator().now()));
        checkSimulator(runner.simulator(), where);
    }
    if (runner.outcomes().size() != scenario.steps.size())
        fuzzFailure(std::to_string(runner.outcomes().size()) + " outcomes for " + std::to_string(scenario.steps.size())
            + " steps");
    (void)runReportJson(runner);
    (void)eventsCsv(runner.simulator().eventLog());

    // Time travel: back to the middle, then the same steps again must give the same run.
    const std::string finalState = runner.simulator().stateDump();
    const std::string finalEvents = runner.simulator().eventLog().formatAll();
    const std::string finalOutcomes = outcomesText(runner);
    if (!checkpoint)
        return;
    runner.restore(*checkpoint);
    if (runner.simulator().stateDump() != middleState)
        fuzzFailure("restoring the checkpoint of step " + std::to_string(middle) + " gave another state");
    checkSimulator(runner.simulator(), "after restoring a checkpoint");
    runner.runAll();
    if (runner.simulator().stateDump() != finalState)
        fuzzFailure("running again from step " + std::to_string(middle) + " ended in another state");
    if (runner.simulator().eventLog().formatAll() != finalEvents)
        fuzzFailure("running again from step " + std::to_string(middle) + " logged other events");
    if (outcomesText(runner) != finalOutcomes)
        fuzzFailure("running again from step " + std::to_string(middle) + " gave other outcomes");
}

} // namespace

int fuzzScenario(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Result<Scenario> parsed = parseScenario(text, "fuzz.jsonc");
    if (!parsed) {
        checkLocated(parsed.message(), "fuzz.jsonc");
        if (parsed.status() != NtStatus::DataError)
            fuzzFailure("a bad scenario refused with " + std::string(ntStatusName(parsed.status())) + ": '"
                + parsed.message() + "'");
        return 0;
    }
    Scenario scenario = parsed.take();

    // The writer's promise: what it writes parses back, to a scenario it writes the same way.
    const std::string written = writeScenario(scenario);
    const Result<Scenario> reread = parseScenario(written, "written.jsonc");
    if (!reread)
        fuzzFailure("the written scenario does not parse: " + reread.message() + "\n" + written);
    const std::string rewritten = writeScenario(*reread);
    if (rewritten != written)
        fuzzFailure("writing the re-read scenario gives another text:\n" + written + "\n---\n" + rewritten);

    if (bound(scenario))
        runChecked(scenario);
    return 0;
}

} // namespace offerscope::fuzz
