// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/ScenarioCompare.h"

#include "core/Units.h"
#include "core/events/EventLog.h"

#include <algorithm>

namespace offerscope::scenario {
namespace {

std::optional<bool> parseBool(std::string_view v)
{
    if (v == "true" || v == "1" || v == "on")
        return true;
    if (v == "false" || v == "0" || v == "off")
        return false;
    return std::nullopt;
}

/// What makes two events "the same" across runs: everything but the sequence number and time.
bool sameEvent(const events::Event& x, const events::Event& y)
{
    return x.kind == y.kind && x.cause == y.cause && x.call == y.call && x.pressure == y.pressure
        && x.process == y.process && x.segment == y.segment && x.bytes == y.bytes && x.status == y.status
        && x.result == y.result && x.allocations == y.allocations;
}

std::string resultText(const StepOutcome& o, const std::string& name)
{
    if (o.call && !ntSuccess(o.status))
        return std::string(ntStatusName(o.status));
    for (const auto& [n, r] : o.results)
        if (n == name)
            return std::string(reclaimResultName(r));
    return "-";
}

} // namespace

namespace {

/// Sets a policy or verifier switch from the start: in the scenario's header, and in each policy (or
/// verifier) step up to the first one that changes that switch itself (a step carries every switch,
/// as they stand after it).
template <class Whole, class Field>
void setFromStart(
    Scenario& s, Whole Scenario::*header, Whole Step::*inStep, StepKind kind, Field Whole::*field, Field value)
{
    Field before = (s.*header).*field;
    (s.*header).*field = value;
    for (Step& step : s.steps) {
        if (step.kind != kind)
            continue;
        Field& f = (step.*inStep).*field;
        if (f != before)
            return; // from here on the scenario's own value
        f = value;
    }
}

} // namespace

Status applySetting(Scenario& s, std::string_view assignment)
{
    const std::size_t eq = assignment.find('=');
    if (eq == std::string_view::npos)
        return Status(NtStatus::InvalidParameter, "--set '" + std::string(assignment) + "': expected KEY=VALUE");
    const std::string key(assignment.substr(0, eq));
    const std::string value(assignment.substr(eq + 1));
    auto bad = [&](const std::string& why) {
        return Status(NtStatus::InvalidParameter, "--set " + key + "=" + value + ": " + why);
    };
    const auto policy = [&](auto field, auto v) {
        setFromStart(s, &Scenario::policy, &Step::policy, StepKind::Policy, field, v);
        return Status();
    };
    const auto verifier = [&](bool sim::VerifierSwitches::*field) {
        const auto b = parseBool(value);
        if (!b)
            return bad("expected true or false");
        setFromStart(s, &Scenario::verifier, &Step::verifier, StepKind::Verifier, field, *b);
        return Status();
    };
    const auto policySwitch = [&](bool sim::SimPolicy::*field) {
        const auto b = parseBool(value);
        return b ? policy(field, *b) : bad("expected true or false");
    };
    if (key == "policy.withinPriorityOrder") {
        const auto order = sim::parseWithinPriorityOrder(value);
        if (!order)
            return bad("expected oldest-first, largest-first or smallest-first");
        return policy(&sim::SimPolicy::withinPriorityOrder, *order);
    }
    if (key == "policy.rejectRedundantCalls")
        return policySwitch(&sim::SimPolicy::rejectRedundantCalls);
    if (key == "policy.offeredCountsInUsage")
        return policySwitch(&sim::SimPolicy::offeredCountsInUsage);
    if (key == "policy.enforceBudgetOnShrink")
        return policySwitch(&sim::SimPolicy::enforceBudgetOnShrink);
    if (key == "policy.reclaim2Output") {
        if (value == "results")
            return policy(&sim::SimPolicy::reclaim2Output, sim::ReclaimOutput::Results);
        if (value == "discarded")
            return policy(&sim::SimPolicy::reclaim2Output, sim::ReclaimOutput::DiscardedFlags);
        return bad("expected results or discarded");
    }
    if (key == "verifier.alwaysDiscardOffer")
        return verifier(&sim::VerifierSwitches::alwaysDiscardOffer);
    if (key == "verifier.neverDiscardOffer")
        return verifier(&sim::VerifierSwitches::neverDiscardOffer);
    if (key == "verifier.alwaysDecommitOffer")
        return verifier(&sim::VerifierSwitches::alwaysDecommitOffer);
    if (key == "verifier.alwaysProcessOfferList")
        return verifier(&sim::VerifierSwitches::alwaysProcessOfferList);
    if (key.rfind("step.", 0) == 0) {
        // step.N.priority: the priority of the offer made by step N (1-based, as the window numbers steps).
        const std::size_t dot = key.find('.', 5);
        const std::string number = key.substr(5, dot == std::string::npos ? std::string::npos : dot - 5);
        const std::string field = dot == std::string::npos ? std::string() : key.substr(dot + 1);
        std::size_t n = 0;
        if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 9
            || (n = std::stoul(number)) == 0 || n > s.steps.size())
            return bad(
                "use step.N.priority with N a step of the scenario (1 to " + std::to_string(s.steps.size()) + ")");
        Step& step = s.steps[n - 1];
        if (field != "priority" || step.kind != StepKind::Offer)
            return bad("step " + number + " is a " + std::string(stepKindName(step.kind))
                + " step: only an offer's priority can be changed (step.N.priority)");
        const auto priority = parseOfferPriority(value);
        if (!priority)
            return bad("expected LOW, NORMAL, HIGH or AUTO");
        step.priority = *priority;
        return Status();
    }
    for (const char* prefix : { "budget.", "processVerifier." }) {
        if (key.rfind(prefix, 0) != 0)
            continue;
        const std::string rest = key.substr(std::string_view(prefix).size());
        const std::size_t dot = rest.rfind('.');
        const std::string process = rest.substr(0, dot);
        const std::string field = dot == std::string::npos ? std::string() : rest.substr(dot + 1);
        for (ProcessSpec& p : s.processes) {
            if (p.name != process)
                continue;
            if (std::string_view(prefix) == "budget.") {
                const auto bytes = parseBytes(value);
                if (!bytes)
                    return bad("expected a size such as 512MiB");
                if (field == "local")
                    p.budget[0] = *bytes;
                else if (field == "nonLocal")
                    p.budget[1] = *bytes;
                else
                    return bad("use budget.PROCESS.local or budget.PROCESS.nonLocal");
                return Status();
            }
            if (field == "alwaysFailCommitOnReclaim") {
                const auto b = parseBool(value);
                if (!b)
                    return bad("expected true or false");
                p.verifier.alwaysFailCommitOnReclaim = *b;
                return Status();
            }
            return bad("use processVerifier.PROCESS.alwaysFailCommitOnReclaim");
        }
        return bad("the scenario has no process '" + process + "'");
    }
    return bad("unknown setting (see offerscope-cli compare --help)");
}

Comparison compareRuns(const ScenarioRunner& a, const ScenarioRunner& b)
{
    Comparison c;
    const events::EventLog& la = a.simulator().eventLog();
    const events::EventLog& lb = b.simulator().eventLog();
    // Setting up the world may differ on purpose (a what-if switch logs itself): compare from each
    // run's first step on. Logs are full from sequence number 1, so event seq s sits at index s - 1.
    const std::size_t startA = a.outcomes().empty() ? la.size() : a.outcomes().front().firstEvent - 1;
    const std::size_t startB = b.outcomes().empty() ? lb.size() : b.outcomes().front().firstEvent - 1;
    std::size_t i = 0;
    while (startA + i < la.size() && startB + i < lb.size() && sameEvent(la.at(startA + i), lb.at(startB + i)))
        ++i;
    if (startA + i < la.size() || startB + i < lb.size()) {
        c.identical = false;
        c.firstDifferentEvent = i;
        const bool inA = startA + i < la.size();
        const std::uint64_t seq = inA ? la.at(startA + i).seq : lb.at(startB + i).seq;
        for (const StepOutcome& o : inA ? a.outcomes() : b.outcomes())
            if (seq >= o.firstEvent && seq <= o.lastEvent)
                c.stepOfDifference = o.step;
    }
    for (std::size_t k = 0; k < a.outcomes().size() && k < b.outcomes().size(); ++k) {
        const StepOutcome& oa = a.outcomes()[k];
        const StepOutcome& ob = b.outcomes()[k];
        if (oa.call && (oa.status != ob.status))
            c.statusDifferences.emplace_back(
                oa.step, "A " + std::string(ntStatusName(oa.status)) + ", B " + std::string(ntStatusName(ob.status)));
        std::vector<std::string> names; // in the order the reclaim named them
        for (const auto* results : { &oa.results, &ob.results })
            for (const auto& [name, r] : *results)
                if (std::find(names.begin(), names.end(), name) == names.end())
                    names.push_back(name);
        for (const std::string& name : names) {
            const std::string ra = resultText(oa, name), rb = resultText(ob, name);
            if (ra != rb)
                c.results.push_back({ oa.step, name, ra, rb });
        }
    }
    c.identical = c.identical && c.results.empty() && c.statusDifferences.empty();
    return c;
}

std::string formatComparison(
    const ScenarioRunner& a, const ScenarioRunner& b, const Comparison& c, const std::vector<std::string>& settings)
{
    std::string out = "A: " + a.scenario().fileName + " as written\nB: the same with";
    for (const std::string& s : settings)
        out += " " + s;
    out += "\n\n";
    if (c.identical) {
        out += "No difference: every event, status and reclaim result is the same.\n";
    } else {
        const events::EventLog& la = a.simulator().eventLog();
        const events::EventLog& lb = b.simulator().eventLog();
        const Step& step = a.scenario().steps[c.stepOfDifference];
        out += "The runs part ways at step " + std::to_string(c.stepOfDifference + 1) + " ('"
            + std::string(stepKindName(step.kind)) + "', line " + std::to_string(step.at.line) + "):\n";
        auto line = [&c](const ScenarioRunner& r, const events::EventLog& log) {
            const std::size_t start = r.outcomes().empty() ? log.size() : r.outcomes().front().firstEvent - 1;
            return start + c.firstDifferentEvent < log.size()
                ? events::EventLog::formatLine(log.at(start + c.firstDifferentEvent))
                : std::string("(no more events)");
        };
        out += "  A: " + line(a, la) + "\n";
        out += "  B: " + line(b, lb) + "\n";
        if (!c.statusDifferences.empty()) {
            out += "\nCalls whose status differs:\n";
            for (const auto& [s, text] : c.statusDifferences)
                out += "  step " + std::to_string(s + 1) + " (line " + std::to_string(a.scenario().steps[s].at.line)
                    + "): " + text + "\n";
        }
        if (!c.results.empty()) {
            out += "\nReclaim results that differ:\n";
            for (const Comparison::ResultDifference& r : c.results)
                out += "  step " + std::to_string(r.step + 1) + " '" + r.name + "': A " + r.a + ", B " + r.b + "\n";
        }
    }
    out += "\nEvents: A " + std::to_string(a.simulator().eventLog().size()) + ", B "
        + std::to_string(b.simulator().eventLog().size()) + ". Expectations: A "
        + std::to_string(a.expectationsChecked() - a.failures().size()) + "/" + std::to_string(a.expectationsChecked())
        + " held, B " + std::to_string(b.expectationsChecked() - b.failures().size()) + "/"
        + std::to_string(b.expectationsChecked()) + " held.\n";
    return out;
}

} // namespace offerscope::scenario
