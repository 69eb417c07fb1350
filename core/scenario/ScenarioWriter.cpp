// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/ScenarioWriter.h"

#include "core/Units.h"
#include "core/d3dkmt/D3dkmtStructs.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace offerscope::scenario {

namespace {

using json = nlohmann::json;

/// The fields of one JSON object in the order they are written: key, value as JSON text.
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string quote(std::string_view text)
{
    // Invalid UTF-8 is replaced instead of thrown on: the text is always valid JSON.
    return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

bool hasField(const Fields& fields, const std::string& key)
{
    for (const auto& [k, v] : fields)
        if (k == key)
            return true;
    return false;
}

/// The fields in key order: the order in which the parser reads an object's keys.
Fields byKey(Fields fields)
{
    std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return fields;
}

/// `{ "a": 1, "b": "x" }` on one line.
std::string object(const Fields& fields)
{
    if (fields.empty())
        return "{}";
    std::string out = "{ ";
    for (std::size_t i = 0; i < fields.size(); ++i)
        out += (i == 0 ? "" : ", ") + quote(fields[i].first) + ": " + fields[i].second;
    return out + " }";
}

/// `[ a, b ]` on one line; the items are JSON text.
std::string list(const std::vector<std::string>& items)
{
    if (items.empty())
        return "[]";
    std::string out = "[ ";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : ", ") + items[i];
    return out + " ]";
}

/// A list with one item per line, for a value whose key is indented by `indent` spaces.
std::string block(const std::vector<std::string>& items, std::size_t indent)
{
    if (items.empty())
        return "[]";
    std::string out = "[\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += std::string(indent + 2, ' ') + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
    return out + std::string(indent, ' ') + "]";
}

std::vector<std::string> quoted(const std::vector<std::string>& names)
{
    std::vector<std::string> out;
    for (const std::string& name : names)
        out.push_back(quote(name));
    return out;
}

/// One name as a string, several as a list: the parser reads both.
std::string names(const std::vector<std::string>& names)
{
    return names.size() == 1 ? quote(names.front()) : list(quoted(names));
}

std::string boolean(bool value)
{
    return value ? "true" : "false";
}

/// A size with units when they state it exactly ("64 MiB", "1.5 GiB", "1792 MiB"), otherwise bytes.
std::string size(std::uint64_t bytes)
{
    if (bytes < kKiB)
        return std::to_string(bytes);
    const std::string text = formatBytes(bytes);
    const std::size_t dot = text.find('.');
    // formatBytes rounds to one decimal; of those only halves are exact in binary units.
    if (parseBytes(text) == bytes && (dot == std::string::npos || text.compare(dot, 2, ".5") == 0))
        return quote(text);
    // Not exact in the largest unit: the largest one that divides it ("1792 MiB" rather than "1.8 GiB").
    static constexpr std::pair<std::uint64_t, const char*> kUnits[]
        = { { 1024 * kGiB, "TiB" }, { kGiB, "GiB" }, { kMiB, "MiB" }, { kKiB, "KiB" } };
    for (const auto& [unit, name] : kUnits)
        if (bytes >= unit && bytes % unit == 0) {
            const std::string exact = std::to_string(bytes / unit) + " " + name;
            if (parseBytes(exact) == bytes)
                return quote(exact);
        }
    return std::to_string(bytes);
}

/// A duration in the largest exact unit ("1s", "16ms", "250us"); the parser reads up to 15 digits.
std::string duration(std::uint64_t microseconds)
{
    if (microseconds == 0)
        return "0";
    static constexpr std::pair<std::uint64_t, const char*> kUnits[] = { { 1000000, "s" }, { 1000, "ms" }, { 1, "us" } };
    for (const auto& [scale, unit] : kUnits)
        if (microseconds % scale == 0 && std::to_string(microseconds / scale).size() <= 15)
            return quote(std::to_string(microseconds / scale) + unit);
    return std::to_string(microseconds);
}

std::string residency(UINT priority)
{
    switch (priority) {
    case ResidencyPriority::kMinimum:
        return quote("MINIMUM");
    case ResidencyPriority::kLow:
        return quote("LOW");
    case ResidencyPriority::kNormal:
        return quote("NORMAL");
    case ResidencyPriority::kHigh:
        return quote("HIGH");
    case ResidencyPriority::kMaximum:
        return quote("MAXIMUM");
    default:
        return std::to_string(priority);
    }
}

std::string offerPriority(OfferPriority priority)
{
    const auto value = static_cast<std::uint32_t>(priority);
    // A priority beyond AUTO is misuse a step may show: written as the number it is.
    return value <= static_cast<std::uint32_t>(OfferPriority::Auto) ? quote(offerPriorityName(priority))
                                                                    : std::to_string(value);
}

/// Flag names when every set bit has one, otherwise the raw number (reserved bits are misuse too).
std::string flags(UINT bits, std::initializer_list<std::pair<std::string_view, UINT>> known)
{
    UINT named = 0;
    std::vector<std::string> out;
    for (const auto& [name, bit] : known)
        if ((bits & bit) != 0) {
            out.push_back(quote(name));
            named |= bit;
        }
    return named == bits ? list(out) : std::to_string(bits);
}

std::string group(MemorySegmentGroup group)
{
    return quote(group == MemorySegmentGroup::NonLocal ? "nonLocal" : "local");
}

/// A segment by its name (the parser also takes the index, which an unknown segment keeps).
std::string segment(const sim::AdapterConfig& adapter, std::uint32_t index)
{
    return index < adapter.segments.size() ? quote(adapter.segments[index].name) : std::to_string(index);
}

bool sameAdapter(const sim::AdapterConfig& a, const sim::AdapterConfig& b)
{
    if (a.name != b.name || a.segments.size() != b.segments.size())
        return false;
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
        const sim::SegmentConfig& x = a.segments[i];
        const sim::SegmentConfig& y = b.segments[i];
        if (x.name != y.name || x.size != y.size || x.group != y.group || x.aperture != y.aperture)
            return false;
    }
    return true;
}

/// A preset's name when the adapter is one, otherwise the adapter object (its key at 2 spaces).
std::string adapter(const sim::AdapterConfig& adapter)
{
    for (const std::string& name : sim::adapterPresetNames())
        if (const auto preset = sim::adapterPreset(name); preset && sameAdapter(*preset, adapter))
            return quote(name);
    std::vector<std::string> segments;
    for (const sim::SegmentConfig& s : adapter.segments) {
        Fields f { { "name", quote(s.name) }, { "size", size(s.size) } };
        if (s.group != MemorySegmentGroup::Local)
            f.emplace_back("group", group(s.group));
        if (s.aperture != (s.group == MemorySegmentGroup::NonLocal))
            f.emplace_back("aperture", boolean(s.aperture));
        segments.push_back(object(f));
    }
    std::string out = "{\n";
    if (adapter.name != "Adapter") // the parser's default name
        out += "    \"name\": " + quote(adapter.name) + ",\n";
    return out + "    \"segments\": " + block(segments, 4) + "\n  }";
}

/// The policy settings that differ from `base`.
Fields policy(const sim::SimPolicy& p, const sim::SimPolicy& base)
{
    Fields f;
    if (p.withinPriorityOrder != base.withinPriorityOrder)
        f.emplace_back("withinPriorityOrder", quote(sim::withinPriorityOrderName(p.withinPriorityOrder)));
    if (p.rejectRedundantCalls != base.rejectRedundantCalls)
        f.emplace_back("rejectRedundantCalls", boolean(p.rejectRedundantCalls));
    if (p.offeredCountsInUsage != base.offeredCountsInUsage)
        f.emplace_back("offeredCountsInUsage", boolean(p.offeredCountsInUsage));
    if (p.enforceBudgetOnShrink != base.enforceBudgetOnShrink)
        f.emplace_back("enforceBudgetOnShrink", boolean(p.enforceBudgetOnShrink));
    if (p.reclaim2Output != base.reclaim2Output)
        f.emplace_back(
            "reclaim2Output", quote(p.reclaim2Output == sim::ReclaimOutput::Results ? "results" : "discarded"));
    if (p.pagingBytesPerMicrosecond != base.pagingBytesPerMicrosecond)
        f.emplace_back("pagingBytesPerMicrosecond", std::to_string(p.pagingBytesPerMicrosecond));
    if (p.reservablePercentOfBudget != base.reservablePercentOfBudget)
        f.emplace_back("reservablePercentOfBudget", std::to_string(p.reservablePercentOfBudget));
    return f;
}

/// The verifier switches that differ from `base`.
Fields verifier(const sim::VerifierSwitches& v, const sim::VerifierSwitches& base)
{
    Fields f;
    if (v.alwaysDiscardOffer != base.alwaysDiscardOffer)
        f.emplace_back("alwaysDiscardOffer", boolean(v.alwaysDiscardOffer));
    if (v.neverDiscardOffer != base.neverDiscardOffer)
        f.emplace_back("neverDiscardOffer", boolean(v.neverDiscardOffer));
    if (v.alwaysDecommitOffer != base.alwaysDecommitOffer)
        f.emplace_back("alwaysDecommitOffer", boolean(v.alwaysDecommitOffer));
    if (v.alwaysProcessOfferList != base.alwaysProcessOfferList)
        f.emplace_back("alwaysProcessOfferList", boolean(v.alwaysProcessOfferList));
    return f;
}

/// The per-process switches that are on (the parser starts from all off).
Fields processVerifier(const sim::ProcessVerifier& v)
{
    Fields f;
    if (v.alwaysFailCommitOnReclaim)
        f.emplace_back("alwaysFailCommitOnReclaim", "true");
    Fields restriction;
    if (v.budgetRestriction[0] != 0)
        restriction.emplace_back("local", size(v.budgetRestriction[0]));
    if (v.budgetRestriction[1] != 0)
        restriction.emplace_back("nonLocal", size(v.budgetRestriction[1]));
    if (!restriction.empty())
        f.emplace_back("budgetRestriction", object(restriction));
    return f;
}

std::string process(const ProcessSpec& p)
{
    Fields f { { "name", quote(p.name) } };
    Fields budget;
    if (p.budget[0])
        budget.emplace_back("local", size(*p.budget[0]));
    if (p.budget[1])
        budget.emplace_back("nonLocal", size(*p.budget[1]));
    if (!budget.empty())
        f.emplace_back("budget", object(budget));
    if (const Fields v = processVerifier(p.verifier); !v.empty())
        f.emplace_back("verifier", object(v));
    std::vector<std::string> devices;
    for (const DeviceSpec& d : p.devices)
        devices.push_back(d.pagingQueues.empty()
                ? quote(d.name)
                : object({ { "name", quote(d.name) }, { "pagingQueues", list(quoted(d.pagingQueues)) } }));
    if (!devices.empty())
        f.emplace_back("devices", list(devices));
    return object(f);
}

/// The expectations one "expect" object holds. JSON keeps one value per key, so a second status or a
/// name checked twice goes to the next object (the next expect step).
struct ExpectObject {
    std::optional<NtStatus> status;
    Fields results;
    Fields states;
    /// One segment or process object: its name, the fields that select it further, its figures.
    struct Totals {
        std::string name;
        Fields head; ///< process: "group" unless local
        Fields figures;
    };
    std::vector<Totals> segments;
    std::vector<Totals> processes;

    /// Takes `e` unless this object already checks the same thing.
    bool take(const Expectation& e)
    {
        switch (e.kind) {
        case Expectation::Kind::Status:
            if (status)
                return false;
            status = e.status;
            return true;
        case Expectation::Kind::Result:
            if (hasField(results, e.name))
                return false;
            results.emplace_back(e.name, quote(reclaimResultName(e.result)));
            return true;
        case Expectation::Kind::State:
            if (hasField(states, e.name))
                return false;
            states.emplace_back(e.name, quote(sim::allocationStateName(e.state)));
            return true;
        case Expectation::Kind::SegmentTotal:
            // Several segments, or one figure twice, become a list of segment objects.
            addFigure(segments, e.name, {}, e);
            return true;
        case Expectation::Kind::ProcessTotal:
            addFigure(processes, e.name,
                e.group == MemorySegmentGroup::Local ? Fields {} : Fields { { "group", group(e.group) } }, e);
            return true;
        }
        return false;
    }

    /// The expect step. Results, states and figures are in key order, the order the parser reads an
    /// object in, so that writing the parsed step again gives the same text.
    std::string text() const
    {
        Fields f;
        if (status)
            f.emplace_back("status", quote(ntStatusName(*status)));
        if (!results.empty())
            f.emplace_back("results", object(byKey(results)));
        if (!states.empty())
            f.emplace_back("states", object(byKey(states)));
        if (!segments.empty())
            f.emplace_back("segment", totals(segments));
        if (!processes.empty())
            f.emplace_back("process", totals(processes));
        return object({ { "expect", object(f) } });
    }

private:
    static void addFigure(
        std::vector<Totals>& totals, const std::string& name, const Fields& head, const Expectation& e)
    {
        for (Totals& t : totals)
            if (t.name == name && t.head == head && !hasField(t.figures, e.field)) {
                t.figures.emplace_back(e.field, size(e.bytes));
                return;
            }
        totals.push_back(Totals { name, head, { { e.field, size(e.bytes) } } });
    }

    static std::string totals(const std::vector<Totals>& totals)
    {
        std::vector<std::string> objects;
        for (const Totals& t : totals) {
            Fields f { { "name", quote(t.name) } };
            f.insert(f.end(), t.head.begin(), t.head.end());
            const Fields figures = byKey(t.figures);
            f.insert(f.end(), figures.begin(), figures.end());
            objects.push_back(object(f));
        }
        return objects.size() == 1 ? objects.front() : list(objects);
    }
};

/// The step lines, each one JSON object. Policy and verifier steps write what they change, as the
/// parser applies them to the settings in force.
std::vector<std::string> steps(const Scenario& scenario)
{
    std::vector<std::string> lines;
    sim::SimPolicy policyNow = scenario.policy;
    sim::VerifierSwitches verifierNow = scenario.verifier;
    std::map<std::string, std::uint32_t> resources; ///< live resource -> allocations, as the parser counts
    for (const Step& s : scenario.steps) {
        const std::string kind(stepKindName(s.kind));
        Fields f;
        auto optional = [&f](const char* key, const std::string& value) {
            if (!value.empty())
                f.emplace_back(key, quote(value));
        };
        switch (s.kind) {
        case StepKind::Say:
            f.emplace_back(kind, quote(s.text));
            break;
        case StepKind::Create:
            f.emplace_back(kind, quote(s.name));
            f.emplace_back("device", quote(s.device));
            f.emplace_back("size", size(s.bytes));
            if (s.count != 1)
                f.emplace_back("allocations", std::to_string(s.count));
            if (s.segment != 0)
                f.emplace_back("segment", segment(scenario.adapter, s.segment));
            if (s.residencyPriority != ResidencyPriority::kNormal)
                f.emplace_back("residency", residency(s.residencyPriority));
            if (s.present)
                f.emplace_back("present", "true");
            if (!s.resident)
                f.emplace_back("resident", "false");
            resources[s.name] = s.count;
            break;
        case StepKind::Destroy:
            f.emplace_back(kind, quote(s.name));
            resources.erase(s.name);
            break;
        case StepKind::Lock:
        case StepKind::Unlock:
            // The runner maps the first of `names`; the parser fills both from one name.
            f.emplace_back(kind, quote(s.names.empty() ? s.name : s.names.front()));
            optional("device", s.device);
            break;
        case StepKind::Gpu:
            f.emplace_back(kind, names(s.names));
            if (s.microseconds != 100)
                f.emplace_back("duration", duration(s.microseconds));
            optional("device", s.device);
            break;
        case StepKind::Advance:
            f.emplace_back(kind, duration(s.microseconds));
            break;
        case StepKind::Wait:
            f.emplace_back(kind, quote(s.device));
            break;
        case StepKind::MakeResident: {
            f.emplace_back(kind, names(s.names));
            optional("device", s.device);
            optional("queue", s.queue);
            if (s.flags != 0)
                f.emplace_back("flags",
                    flags(s.flags,
                        { { "CantTrimFurther", D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther },
                            { "MustSucceed", D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed } }));
            // A PriorityList has one entry per name or per allocation. Any other length is one the
            // runner does not pass (it passes only one entry per handle), so leaving it out runs the same.
            std::size_t allocations = 0;
            for (const std::string& name : s.names)
                if (name.find('[') != std::string::npos)
                    ++allocations;
                else if (auto it = resources.find(name); it != resources.end())
                    allocations += it->second;
            if (!s.priorities.empty()
                && (s.priorities.size() == s.names.size() || s.priorities.size() == allocations)) {
                std::vector<std::string> priorities;
                for (UINT p : s.priorities)
                    priorities.push_back(residency(p));
                f.emplace_back("priorities", list(priorities));
            }
            break;
        }
        case StepKind::Evict:
            f.emplace_back(kind, names(s.names));
            if (s.flags != 0)
                f.emplace_back("flags",
                    flags(s.flags,
                        { { "EvictOnlyIfNecessary", D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary },
                            { "NotWrittenTo", D3DDDI_EVICT_FLAGS::kNotWrittenTo } }));
            optional("device", s.device);
            break;
        case StepKind::Offer:
        case StepKind::Reclaim:
            f.emplace_back(kind, names(s.names));
            if (s.kind == StepKind::Offer) {
                f.emplace_back("priority", offerPriority(s.priority));
                if (s.flags != 0)
                    f.emplace_back("flags",
                        flags(s.flags,
                            { { "OfferImmediately", D3DKMT_OFFER_FLAGS::kOfferImmediately },
                                { "AllowDecommit", D3DKMT_OFFER_FLAGS::kAllowDecommit } }));
            } else {
                if (s.reclaimVersion == 1) // any other version runs as 2, the default
                    f.emplace_back("version", "1");
                optional("queue", s.queue);
            }
            if (s.by != HandleArray::Allocations)
                f.emplace_back("by",
                    quote(s.by == HandleArray::Resources ? "resources"
                            : s.by == HandleArray::Both  ? "both"
                                                         : "neither"));
            if (s.numAllocations)
                f.emplace_back("numAllocations", std::to_string(*s.numAllocations));
            optional("device", s.device);
            break;
        case StepKind::SetPriority:
            f.emplace_back(kind, names(s.names));
            f.emplace_back("residency", residency(s.residencyPriority));
            optional("device", s.device);
            break;
        case StepKind::Pressure:
            f.emplace_back(kind, quote(s.process));
            if (s.segment != 0)
                f.emplace_back("segment", segment(scenario.adapter, s.segment));
            f.emplace_back("size", size(s.bytes));
            break;
        case StepKind::Budget:
        case StepKind::Reserve:
            f.emplace_back(kind, quote(s.process));
            if (s.group != MemorySegmentGroup::Local)
                f.emplace_back("group", group(s.group));
            f.emplace_back("size", size(s.bytes));
            break;
        case StepKind::Trim:
            f.emplace_back(kind, quote(s.process));
            f.emplace_back("size", size(s.bytes));
            if (s.flags != 0)
                f.emplace_back("flags",
                    flags(s.flags,
                        { { "Lazy", D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy },
                            { "OnlyRepurposed", D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed } }));
            break;
        case StepKind::SystemPressure:
            f.emplace_back(kind, size(s.bytes));
            break;
        case StepKind::Policy:
            f.emplace_back(kind, object(policy(s.policy, policyNow)));
            policyNow = s.policy;
            break;
        case StepKind::Verifier:
            f.emplace_back(kind, object(verifier(s.verifier, verifierNow)));
            verifierNow = s.verifier;
            break;
        case StepKind::ProcessVerifier: {
            Fields v { { "process", quote(s.process) } };
            const Fields switches = processVerifier(s.processVerifier);
            v.insert(v.end(), switches.begin(), switches.end());
            f.emplace_back(kind, object(v));
            break;
        }
        case StepKind::Quiz: {
            f.emplace_back(kind, quote(s.text));
            f.emplace_back("ask", quote(s.quiz));
            if (s.quiz == "nextVictim")
                f.emplace_back("segment", segment(scenario.adapter, s.segment));
            else if (s.quiz == "reclaim")
                f.emplace_back("allocation", quote(s.subject));
            else if (s.quiz == "trim") {
                f.emplace_back("process", quote(s.subject));
                f.emplace_back("size", size(s.bytes));
            }
            if (!s.names.empty()) {
                std::vector<std::string> choices;
                for (const std::string& c : s.names)
                    choices.push_back(quote(c));
                f.emplace_back("choices", list(choices));
            }
            f.emplace_back("answer", quote(s.name));
            break;
        }
        case StepKind::Expect: {
            std::vector<ExpectObject> objects(1);
            for (const Expectation& e : s.expectations) {
                std::size_t i = 0;
                while (!objects[i].take(e))
                    if (++i == objects.size())
                        objects.emplace_back();
            }
            for (const ExpectObject& o : objects)
                lines.push_back(o.text());
            continue;
        }
        }
        lines.push_back(object(f));
    }
    return lines;
}

} // namespace

std::string writeScenario(const Scenario& scenario)
{
    std::vector<std::string> top;
    auto add
        = [&top](std::string_view key, const std::string& value) { top.push_back("  " + quote(key) + ": " + value); };
    if (!scenario.title.empty())
        add("title", quote(scenario.title));
    if (!scenario.description.empty())
        add("description", quote(scenario.description));
    // Always written, though "discrete" is the default: the world is what a reader looks for first.
    add("adapter", adapter(scenario.adapter));
    if (const Fields p = policy(scenario.policy, sim::SimPolicy {}); !p.empty())
        add("policy", object(p));
    if (const Fields v = verifier(scenario.verifier, sim::VerifierSwitches {}); !v.empty())
        add("verifier", object(v));
    std::vector<std::string> processes;
    for (const ProcessSpec& p : scenario.processes)
        processes.push_back(process(p));
    add("processes", block(processes, 2));
    add("steps", block(steps(scenario), 2));
    std::string out = "{\n";
    for (std::size_t i = 0; i < top.size(); ++i)
        out += top[i] + (i + 1 < top.size() ? ",\n" : "\n");
    return out + "}\n";
}

} // namespace offerscope::scenario
