// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/ScenarioParser.h"

#include "core/TextFile.h"
#include "core/Units.h"
#include "core/d3dkmt/D3dkmtStructs.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace offerscope::scenario {

std::string_view stepKindName(StepKind kind)
{
    switch (kind) {
    case StepKind::Say:
        return "say";
    case StepKind::Create:
        return "create";
    case StepKind::Destroy:
        return "destroy";
    case StepKind::Lock:
        return "lock";
    case StepKind::Unlock:
        return "unlock";
    case StepKind::Gpu:
        return "gpu";
    case StepKind::Advance:
        return "advance";
    case StepKind::Wait:
        return "wait";
    case StepKind::MakeResident:
        return "makeResident";
    case StepKind::Evict:
        return "evict";
    case StepKind::Offer:
        return "offer";
    case StepKind::Reclaim:
        return "reclaim";
    case StepKind::SetPriority:
        return "setPriority";
    case StepKind::Pressure:
        return "pressure";
    case StepKind::Budget:
        return "budget";
    case StepKind::Reserve:
        return "reserve";
    case StepKind::Trim:
        return "trim";
    case StepKind::SystemPressure:
        return "systemPressure";
    case StepKind::Policy:
        return "policy";
    case StepKind::Verifier:
        return "verifier";
    case StepKind::ProcessVerifier:
        return "processVerifier";
    case StepKind::Expect:
        return "expect";
    case StepKind::Quiz:
        return "quiz";
    }
    return "?";
}

namespace {

using json = nlohmann::json;

/// Internal only: carries a located message to parseScenario(), which returns it as a value.
struct ParseFailure {
    std::string message;
};

const std::map<std::string, StepKind, std::less<>>& stepKinds()
{
    static const std::map<std::string, StepKind, std::less<>> kinds = [] {
        std::map<std::string, StepKind, std::less<>> m;
        for (int k = 0; k <= static_cast<int>(StepKind::Quiz); ++k)
            m.emplace(std::string(stepKindName(static_cast<StepKind>(k))), static_cast<StepKind>(k));
        return m;
    }();
    return kinds;
}

std::string typeName(const json& value)
{
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
        return "a string";
    case json::value_t::boolean:
        return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "a number";
    default:
        return "an unknown value";
    }
}

class Parser {
public:
    Parser(std::string_view text, std::string_view fileName, const json& root)
        : m_positions(text)
        , m_fileName(fileName)
        , m_root(root)
    {
    }

    Scenario parse();

private:
    // errors -------------------------------------------------------------------------------
    [[noreturn]] void failAt(TextPosition at, const std::string& message) const
    {
        throw ParseFailure { m_fileName + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": "
            + message };
    }
    [[noreturn]] void fail(const std::string& pointer, const std::string& message) const
    {
        failAt(m_positions.value(pointer), message);
    }
    [[noreturn]] void failKey(const std::string& pointer, const std::string& message) const
    {
        failAt(m_positions.key(pointer), message);
    }

    // typed reads --------------------------------------------------------------------------
    static std::string child(const std::string& pointer, std::string_view key)
    {
        return pointer + "/" + JsonPositions::escape(key);
    }
    void checkKeys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> allowed,
        std::string_view what) const;
    std::string string(const json& value, const std::string& pointer) const;
    bool boolean(const json& value, const std::string& pointer) const;
    std::uint64_t bytes(const json& value, const std::string& pointer) const;
    std::uint64_t microseconds(const json& value, const std::string& pointer) const;
    std::uint64_t unsignedNumber(const json& value, const std::string& pointer, std::uint64_t max) const;
    OfferPriority offerPriority(const json& value, const std::string& pointer) const;
    UINT residency(const json& value, const std::string& pointer) const;
    MemorySegmentGroup segmentGroup(const json& value, const std::string& pointer) const;
    std::uint32_t segment(const json& value, const std::string& pointer) const;
    UINT flagBits(const json& value, const std::string& pointer,
        std::initializer_list<std::pair<std::string_view, UINT>> known) const;
    std::vector<std::string> nameList(const json& value, const std::string& pointer) const;

    // sections -----------------------------------------------------------------------------
    void parseAdapter(const json& value, const std::string& pointer, Scenario& s);
    void parsePolicy(const json& value, const std::string& pointer, sim::SimPolicy& policy) const;
    void parseVerifier(const json& value, const std::string& pointer, sim::VerifierSwitches& verifier) const;
    void parseProcessVerifier(const json& value, const std::string& pointer, sim::ProcessVerifier& verifier) const;
    void parseProcesses(const json& value, const std::string& pointer, Scenario& s);
    Step parseStep(const json& value, const std::string& pointer, std::size_t index);
    void parseExpect(const json& value, const std::string& pointer, Step& step);

    // names ----------------------------------------------------------------------------------
    void newName(const std::string& name, const std::string& pointer);
    const std::string& knownProcess(const json& value, const std::string& pointer) const;
    std::string knownDevice(const json& value, const std::string& pointer) const;
    std::string knownQueue(const json& value, const std::string& pointer) const;
    /// Allocation names ("tex", "tex[1]") or resource names, as the step's array wants.
    void checkAllocationNames(
        const std::vector<std::string>& names, const std::string& pointer, bool resourcesWanted) const;

    JsonPositions m_positions;
    std::string m_fileName;
    const json& m_root;
    std::set<std::string> m_segmentNames;
    std::vector<std::string> m_segmentOrder;
    std::set<std::string> m_processes;
    std::set<std::string> m_devices;
    std::set<std::string> m_queues;
    std::map<std::string, std::uint32_t> m_resources; ///< live resource name -> allocation count
    std::set<std::string> m_allNames; ///< every name ever declared (names are never reused)
    sim::SimPolicy m_policyNow; ///< policy as of the step being parsed (policy steps change parts)
    sim::VerifierSwitches m_verifierNow;
};

void Parser::checkKeys(const json& object, const std::string& pointer, std::initializer_list<std::string_view> allowed,
    std::string_view what) const
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        for (std::string_view a : allowed)
            ok = ok || it.key() == a;
        if (!ok) {
            std::string list;
            for (std::string_view a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            failKey(child(pointer, it.key()),
                "unknown field '" + it.key() + "' in " + std::string(what) + " (known: " + list + ")");
        }
    }
}

std::string Parser::string(const json& value, const std::string& pointer) const
{
    if (!value.is_string())
        fail(pointer, "expected a string, found " + typeName(value));
    return value.get<std::string>();
}

bool Parser::boolean(const json& value, const std::string& pointer) const
{
    if (!value.is_boolean())
        fail(pointer, "expected true or false, found " + typeName(value));
    return value.get<bool>();
}

std::uint64_t Parser::unsignedNumber(const json& value, const std::string& pointer, std::uint64_t max) const
{
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= max)
        return value.get<std::uint64_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() < 0)
        fail(pointer, "must not be negative");
    if (value.is_number())
        fail(pointer, "expected a whole number from 0 to " + std::to_string(max));
    fail(pointer, "expected a number, found " + typeName(value));
}

std::uint64_t Parser::bytes(const json& value, const std::string& pointer) const
{
    if (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0)
        fail(pointer, "a size must not be negative");
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (!text.empty() && text.front() == '-')
            fail(pointer, "a size must not be negative ('" + text + "')");
        if (const auto parsed = parseBytes(text))
            return *parsed;
        fail(pointer, "'" + text + "' is not a size (use bytes or units: 4096, \"256MiB\", \"1.5GiB\")");
    }
    fail(pointer, "expected a size (a number of bytes or a string like \"256MiB\"), found " + typeName(value));
}

std::uint64_t Parser::microseconds(const json& value, const std::string& pointer) const
{
    if (value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0)
        fail(pointer, "a duration must not be negative");
    if (value.is_number_unsigned())
        return value.get<std::uint64_t>();
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        std::size_t end = 0;
        while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
            ++end;
        const std::string unit = lowerAscii(text.substr(end));
        std::uint64_t scale = 0;
        if (unit == "us" || unit.empty())
            scale = 1;
        else if (unit == "ms")
            scale = 1000;
        else if (unit == "s")
            scale = 1000000;
        if (end > 0 && end <= 15 && scale != 0) {
            const std::uint64_t count = std::stoull(text.substr(0, end));
            if (count > UINT64_MAX / scale)
                fail(pointer, "'" + text + "' is longer than the simulated clock can count");
            return count * scale;
        }
        fail(pointer, "'" + text + "' is not a duration (use microseconds or \"500us\", \"2ms\", \"1s\")");
    }
    fail(pointer, "expected a duration, found " + typeName(value));
}

OfferPriority Parser::offerPriority(const json& value, const std::string& pointer) const
{
    std::optional<OfferPriority> p;
    if (value.is_string())
        p = parseOfferPriority(value.get<std::string>());
    else if (value.is_number_integer())
        p = value.get<std::int64_t>() >= 0 && value.get<std::int64_t>() <= 0xFFFFFFFF
            ? std::optional<OfferPriority>(static_cast<OfferPriority>(value.get<std::int64_t>()))
            : std::nullopt;
    // Any number is accepted: an out-of-range priority is API misuse that the run must show.
    if (!p)
        fail(pointer, "priority must be LOW, NORMAL, HIGH, AUTO or a number (0..4 are defined)");
    return *p;
}

UINT Parser::residency(const json& value, const std::string& pointer) const
{
    if (value.is_string()) {
        const std::string name = lowerAscii(value.get<std::string>());
        if (name == "minimum")
            return ResidencyPriority::kMinimum;
        if (name == "low")
            return ResidencyPriority::kLow;
        if (name == "normal")
            return ResidencyPriority::kNormal;
        if (name == "high")
            return ResidencyPriority::kHigh;
        if (name == "maximum")
            return ResidencyPriority::kMaximum;
        fail(pointer, "residency priority must be MINIMUM, LOW, NORMAL, HIGH, MAXIMUM or a number");
    }
    return static_cast<UINT>(unsignedNumber(value, pointer, 0xFFFFFFFFu));
}

MemorySegmentGroup Parser::segmentGroup(const json& value, const std::string& pointer) const
{
    const std::string name = lowerAscii(string(value, pointer));
    if (name == "local")
        return MemorySegmentGroup::Local;
    if (name == "nonlocal" || name == "non-local" || name == "non_local")
        return MemorySegmentGroup::NonLocal;
    fail(pointer, "segment group must be \"local\" or \"nonLocal\"");
}

std::uint32_t Parser::segment(const json& value, const std::string& pointer) const
{
    if (value.is_string()) {
        const std::string name = value.get<std::string>();
        for (std::uint32_t i = 0; i < m_segmentOrder.size(); ++i)
            if (m_segmentOrder[i] == name)
                return i;
        std::string list;
        for (const std::string& s : m_segmentOrder)
            list += (list.empty() ? "" : ", ") + s;
        fail(pointer, "unknown segment '" + name + "' (the adapter has: " + list + ")");
    }
    const std::uint64_t index = unsignedNumber(value, pointer, 31);
    if (index >= m_segmentOrder.size())
        fail(pointer,
            "segment " + std::to_string(index) + " does not exist (the adapter has "
                + std::to_string(m_segmentOrder.size()) + ")");
    return static_cast<std::uint32_t>(index);
}

UINT Parser::flagBits(
    const json& value, const std::string& pointer, std::initializer_list<std::pair<std::string_view, UINT>> known) const
{
    if (value.is_number_unsigned())
        return static_cast<UINT>(unsignedNumber(value, pointer, 0xFFFFFFFFu)); // raw bits, reserved ones too
    if (!value.is_array())
        fail(pointer, "flags are a list of names (or a number), found " + typeName(value));
    UINT bits = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i);
        const std::string name = string(value[i], at);
        bool found = false;
        for (const auto& [flag, bit] : known)
            if (lowerAscii(flag) == lowerAscii(name)) {
                bits |= bit;
                found = true;
            }
        if (!found) {
            std::string list;
            for (const auto& [flag, bit] : known)
                list += (list.empty() ? "" : ", ") + std::string(flag);
            fail(at, "unknown flag '" + name + "' (known: " + list + ")");
        }
    }
    return bits;
}

std::vector<std::string> Parser::nameList(const json& value, const std::string& pointer) const
{
    std::vector<std::string> out;
    if (value.is_string()) {
        out.push_back(value.get<std::string>());
        return out;
    }
    if (!value.is_array())
        fail(pointer, "expected a name or a list of names, found " + typeName(value));
    for (std::size_t i = 0; i < value.size(); ++i)
        out.push_back(string(value[i], pointer + "/" + std::to_string(i)));
    return out;
}

void Parser::newName(const std::string& name, const std::string& pointer)
{
    if (name.empty())
        fail(pointer, "a name must not be empty");
    if (name.find('[') != std::string::npos)
        fail(pointer, "'" + name + "': names may not contain '[' (it selects an allocation: \"tex[1]\")");
    if (!m_allNames.insert(name).second)
        fail(pointer, "the name '" + name + "' is already used");
}

const std::string& Parser::knownProcess(const json& value, const std::string& pointer) const
{
    const std::string name = string(value, pointer);
    auto it = m_processes.find(name);
    if (it == m_processes.end())
        fail(pointer, "unknown process '" + name + "'");
    return *it;
}

std::string Parser::knownDevice(const json& value, const std::string& pointer) const
{
    const std::string name = string(value, pointer);
    if (!m_devices.count(name))
        fail(pointer, "unknown device '" + name + "'");
    return name;
}

std::string Parser::knownQueue(const json& value, const std::string& pointer) const
{
    const std::string name = string(value, pointer);
    if (!m_queues.count(name))
        fail(pointer, "unknown paging queue '" + name + "'");
    return name;
}

void Parser::checkAllocationNames(
    const std::vector<std::string>& names, const std::string& pointer, bool resourcesWanted) const
{
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string at = pointer + "/" + std::to_string(i); // a lone string falls back to pointer
        const std::string& name = names[i];
        const std::size_t bracket = name.find('[');
        const std::string resource = name.substr(0, bracket);
        auto it = m_resources.find(resource);
        if (it == m_resources.end())
            fail(at, "unknown name '" + resource + "' (create it first; destroyed names cannot be used)");
        if (bracket == std::string::npos)
            continue;
        if (resourcesWanted)
            fail(at, "'" + name + "' is an allocation; this array takes resources (\"" + resource + "\")");
        const std::string digits = name.substr(bracket + 1, name.size() - bracket - 2);
        if (name.back() != ']' || digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos
            || digits.size() > 4 || std::stoul(digits) >= it->second)
            fail(at,
                "'" + name + "' does not name an allocation of '" + resource + "' (it has " + std::to_string(it->second)
                    + ": " + resource + "[0].." + resource + "[" + std::to_string(it->second - 1) + "])");
    }
}

// ---- sections -----------------------------------------------------------------------------------

void Parser::parseAdapter(const json& value, const std::string& pointer, Scenario& s)
{
    if (value.is_string()) {
        const auto preset = sim::adapterPreset(value.get<std::string>());
        if (!preset) {
            std::string list;
            for (const std::string& n : sim::adapterPresetNames())
                list += (list.empty() ? "" : ", ") + n;
            fail(pointer, "unknown adapter preset '" + value.get<std::string>() + "' (presets: " + list + ")");
        }
        s.adapter = *preset;
    } else if (value.is_object()) {
        checkKeys(value, pointer, { "name", "segments" }, "adapter");
        s.adapter.name = value.contains("name") ? string(value["name"], child(pointer, "name")) : "Adapter";
        const std::string segPtr = child(pointer, "segments");
        if (!value.contains("segments") || !value["segments"].is_array() || value["segments"].empty())
            fail(value.contains("segments") ? segPtr : pointer, "an adapter needs a non-empty \"segments\" list");
        if (value["segments"].size() > 32)
            fail(segPtr, "an adapter has at most 32 segments");
        for (std::size_t i = 0; i < value["segments"].size(); ++i) {
            const json& seg = value["segments"][i];
            const std::string at = segPtr + "/" + std::to_string(i);
            if (!seg.is_object())
                fail(at, "a segment is an object with name, size, group");
            checkKeys(seg, at, { "name", "size", "group", "aperture" }, "segment");
            sim::SegmentConfig c;
            if (!seg.contains("name") || !seg.contains("size"))
                fail(at, "a segment needs \"name\" and \"size\"");
            c.name = string(seg["name"], child(at, "name"));
            if (c.name.empty())
                fail(child(at, "name"), "a segment's name must not be empty");
            c.size = bytes(seg["size"], child(at, "size"));
            if (c.size == 0)
                fail(child(at, "size"), "a segment's size must be greater than 0");
            if (c.size > sim::kMaxSegmentBytes)
                fail(child(at, "size"), "a segment is at most " + formatBytes(sim::kMaxSegmentBytes) + " in the simulator, not " + formatBytes(c.size));
            c.group
                = seg.contains("group") ? segmentGroup(seg["group"], child(at, "group")) : MemorySegmentGroup::Local;
            c.aperture = seg.contains("aperture") ? boolean(seg["aperture"], child(at, "aperture"))
                                                  : c.group == MemorySegmentGroup::NonLocal;
            s.adapter.segments.push_back(c);
        }
    } else {
        fail(pointer, "\"adapter\" is a preset name or an object with segments, found " + typeName(value));
    }
    for (const sim::SegmentConfig& c : s.adapter.segments) {
        if (!m_segmentNames.insert(c.name).second)
            fail(pointer, "two segments are named '" + c.name + "'");
        m_segmentOrder.push_back(c.name);
    }
}

void Parser::parsePolicy(const json& value, const std::string& pointer, sim::SimPolicy& policy) const
{
    if (!value.is_object())
        fail(pointer, "\"policy\" is an object, found " + typeName(value));
    checkKeys(value, pointer,
        { "withinPriorityOrder", "rejectRedundantCalls", "offeredCountsInUsage", "enforceBudgetOnShrink",
            "reclaim2Output", "pagingBytesPerMicrosecond", "reservablePercentOfBudget" },
        "policy");
    if (value.contains("withinPriorityOrder")) {
        const std::string at = child(pointer, "withinPriorityOrder");
        const auto order = sim::parseWithinPriorityOrder(string(value["withinPriorityOrder"], at));
        if (!order)
            fail(at, "withinPriorityOrder must be oldest-first, largest-first or smallest-first");
        policy.withinPriorityOrder = *order;
    }
    if (value.contains("rejectRedundantCalls"))
        policy.rejectRedundantCalls = boolean(value["rejectRedundantCalls"], child(pointer, "rejectRedundantCalls"));
    if (value.contains("offeredCountsInUsage"))
        policy.offeredCountsInUsage = boolean(value["offeredCountsInUsage"], child(pointer, "offeredCountsInUsage"));
    if (value.contains("enforceBudgetOnShrink"))
        policy.enforceBudgetOnShrink = boolean(value["enforceBudgetOnShrink"], child(pointer, "enforceBudgetOnShrink"));
    if (value.contains("reclaim2Output")) {
        const std::string at = child(pointer, "reclaim2Output");
        const std::string v = lowerAscii(string(value["reclaim2Output"], at));
        if (v == "results")
            policy.reclaim2Output = sim::ReclaimOutput::Results;
        else if (v == "discarded")
            policy.reclaim2Output = sim::ReclaimOutput::DiscardedFlags;
        else
            fail(at, "reclaim2Output must be \"results\" (WDDM 2.1) or \"discarded\" (WDDM 2.0)");
    }
    if (value.contains("pagingBytesPerMicrosecond")) {
        const std::string at = child(pointer, "pagingBytesPerMicrosecond");
        policy.pagingBytesPerMicrosecond = unsignedNumber(value["pagingBytesPerMicrosecond"], at, 1ULL << 40);
        if (policy.pagingBytesPerMicrosecond == 0)
            fail(at, "must be greater than 0");
    }
    if (value.contains("reservablePercentOfBudget"))
        policy.reservablePercentOfBudget = static_cast<std::uint32_t>(
            unsignedNumber(value["reservablePercentOfBudget"], child(pointer, "reservablePercentOfBudget"), 100));
}

void Parser::parseVerifier(const json& value, const std::string& pointer, sim::VerifierSwitches& v) const
{
    if (!value.is_object())
        fail(pointer, "\"verifier\" is an object, found " + typeName(value));
    checkKeys(value, pointer,
        { "alwaysDiscardOffer", "neverDiscardOffer", "alwaysDecommitOffer", "alwaysProcessOfferList" }, "verifier");
    if (value.contains("alwaysDiscardOffer"))
        v.alwaysDiscardOffer = boolean(value["alwaysDiscardOffer"], child(pointer, "alwaysDiscardOffer"));
    if (value.contains("neverDiscardOffer"))
        v.neverDiscardOffer = boolean(value["neverDiscardOffer"], child(pointer, "neverDiscardOffer"));
    if (value.contains("alwaysDecommitOffer"))
        v.alwaysDecommitOffer = boolean(value["alwaysDecommitOffer"], child(pointer, "alwaysDecommitOffer"));
    if (value.contains("alwaysProcessOfferList"))
        v.alwaysProcessOfferList = boolean(value["alwaysProcessOfferList"], child(pointer, "alwaysProcessOfferList"));
}

void Parser::parseProcessVerifier(const json& value, const std::string& pointer, sim::ProcessVerifier& v) const
{
    if (!value.is_object())
        fail(pointer, "a process verifier is an object, found " + typeName(value));
    checkKeys(value, pointer, { "process", "alwaysFailCommitOnReclaim", "budgetRestriction" }, "process verifier");
    if (value.contains("alwaysFailCommitOnReclaim"))
        v.alwaysFailCommitOnReclaim
            = boolean(value["alwaysFailCommitOnReclaim"], child(pointer, "alwaysFailCommitOnReclaim"));
    if (value.contains("budgetRestriction")) {
        const std::string at = child(pointer, "budgetRestriction");
        const json& r = value["budgetRestriction"];
        if (!r.is_object())
            fail(at, "budgetRestriction is an object: { \"local\": size, \"nonLocal\": size }");
        checkKeys(r, at, { "local", "nonLocal" }, "budgetRestriction");
        if (r.contains("local"))
            v.budgetRestriction[0] = bytes(r["local"], child(at, "local"));
        if (r.contains("nonLocal"))
            v.budgetRestriction[1] = bytes(r["nonLocal"], child(at, "nonLocal"));
    }
}

void Parser::parseProcesses(const json& value, const std::string& pointer, Scenario& s)
{
    if (!value.is_array() || value.empty())
        fail(pointer, "\"processes\" is a non-empty list");
    for (std::size_t i = 0; i < value.size(); ++i) {
        const json& p = value[i];
        const std::string at = pointer + "/" + std::to_string(i);
        if (!p.is_object())
            fail(at, "a process is an object with a name");
        checkKeys(p, at, { "name", "budget", "devices", "verifier" }, "process");
        if (!p.contains("name"))
            fail(at, "a process needs a \"name\"");
        ProcessSpec spec;
        spec.name = string(p["name"], child(at, "name"));
        newName(spec.name, child(at, "name"));
        m_processes.insert(spec.name);
        if (p.contains("budget")) {
            const std::string b = child(at, "budget");
            if (!p["budget"].is_object())
                fail(b, "budget is an object: { \"local\": size, \"nonLocal\": size }");
            checkKeys(p["budget"], b, { "local", "nonLocal" }, "budget");
            if (p["budget"].contains("local"))
                spec.budget[0] = bytes(p["budget"]["local"], child(b, "local"));
            if (p["budget"].contains("nonLocal"))
                spec.budget[1] = bytes(p["budget"]["nonLocal"], child(b, "nonLocal"));
        }
        if (p.contains("verifier"))
            parseProcessVerifier(p["verifier"], child(at, "verifier"), spec.verifier);
        if (p.contains("devices")) {
            const std::string d = child(at, "devices");
            if (!p["devices"].is_array())
                fail(d, "devices is a list");
            for (std::size_t k = 0; k < p["devices"].size(); ++k) {
                const json& dev = p["devices"][k];
                const std::string dat = d + "/" + std::to_string(k);
                DeviceSpec device;
                if (dev.is_string()) {
                    device.name = dev.get<std::string>();
                } else if (dev.is_object()) {
                    checkKeys(dev, dat, { "name", "pagingQueues" }, "device");
                    if (!dev.contains("name"))
                        fail(dat, "a device needs a \"name\"");
                    device.name = string(dev["name"], child(dat, "name"));
                    if (dev.contains("pagingQueues")) {
                        const std::vector<std::string> queues
                            = nameList(dev["pagingQueues"], child(dat, "pagingQueues"));
                        for (std::size_t q = 0; q < queues.size(); ++q) {
                            newName(queues[q], child(dat, "pagingQueues") + "/" + std::to_string(q));
                            m_queues.insert(queues[q]);
                            device.pagingQueues.push_back(queues[q]);
                        }
                    }
                } else {
                    fail(dat, "a device is a name or an object with name and pagingQueues");
                }
                newName(device.name, dev.is_string() ? dat : child(dat, "name"));
                m_devices.insert(device.name);
                spec.devices.push_back(device);
            }
        }
        s.processes.push_back(std::move(spec));
    }
}

void Parser::parseExpect(const json& value, const std::string& pointer, Step& step)
{
    if (!value.is_object())
        fail(pointer, "\"expect\" is an object: status, results, states, segment or process totals");
    checkKeys(value, pointer, { "status", "results", "states", "segment", "process" }, "expect");
    if (value.contains("status")) {
        const std::string at = child(pointer, "status");
        const std::string name = string(value["status"], at);
        std::optional<NtStatus> status;
        for (NtStatus s : { NtStatus::Success, NtStatus::Pending, NtStatus::InvalidHandle, NtStatus::InvalidParameter,
                 NtStatus::NoMemory, NtStatus::BufferTooSmall, NtStatus::NotSupported, NtStatus::DeviceRemoved })
            if (ntStatusName(s) == name)
                status = s;
        if (!status)
            fail(at, "unknown status '" + name + "' (e.g. STATUS_SUCCESS, STATUS_INVALID_PARAMETER)");
        Expectation e;
        e.kind = Expectation::Kind::Status;
        e.at = m_positions.value(at);
        e.status = *status;
        step.expectations.push_back(e);
    }
    if (value.contains("results")) {
        const std::string at = child(pointer, "results");
        if (!value["results"].is_object())
            fail(at, "results maps allocation names to OK, DISCARDED or NOT_COMMITTED");
        for (auto it = value["results"].begin(); it != value["results"].end(); ++it) {
            const std::string rat = child(at, it.key());
            checkAllocationNames({ it.key() }, rat, false);
            const std::string r = string(it.value(), rat);
            Expectation e;
            e.kind = Expectation::Kind::Result;
            e.at = m_positions.key(rat);
            e.name = it.key();
            if (r == "OK")
                e.result = ReclaimResult::Ok;
            else if (r == "DISCARDED")
                e.result = ReclaimResult::Discarded;
            else if (r == "NOT_COMMITTED")
                e.result = ReclaimResult::NotCommitted;
            else
                fail(rat, "a reclaim result is OK, DISCARDED or NOT_COMMITTED, not '" + r + "'");
            step.expectations.push_back(e);
        }
    }
    if (value.contains("states")) {
        const std::string at = child(pointer, "states");
        if (!value["states"].is_object())
            fail(at,
                "states maps allocation names to Resident, Evicted, OfferPending, Offered, Discarded, "
                "Decommitted or Destroyed");
        for (auto it = value["states"].begin(); it != value["states"].end(); ++it) {
            const std::string sat = child(at, it.key());
            const std::string stateName = string(it.value(), sat);
            Expectation e;
            e.kind = Expectation::Kind::State;
            e.at = m_positions.key(sat);
            e.name = it.key();
            bool found = false;
            for (int k = 0; k < sim::kAllocationStateCount; ++k)
                if (sim::allocationStateName(static_cast<sim::AllocationState>(k)) == stateName) {
                    e.state = static_cast<sim::AllocationState>(k);
                    found = true;
                }
            if (!found)
                fail(sat,
                    "unknown state '" + stateName
                        + "' (Resident, Evicted, OfferPending, Offered, Discarded, Decommitted, Destroyed)");
            // A destroyed allocation's name is still a valid thing to check, so only the resource
            // part must have existed at some point.
            const std::string resource = e.name.substr(0, e.name.find('['));
            if (!m_allNames.count(resource))
                fail(sat, "unknown name '" + resource + "'");
            step.expectations.push_back(e);
        }
    }
    static const std::initializer_list<std::string_view> kSegmentFields
        = { "name", "committed", "resident", "inUse", "offered", "offeredLow", "offeredNormal", "offeredHigh",
              "offeredAuto", "evicted", "discarded", "decommitted", "free" };
    // "segment" and "process" are one object, or a list of them to check several in one step.
    auto entries = [](const json& v, const std::string& at) {
        std::vector<std::pair<const json*, std::string>> out;
        if (v.is_array())
            for (std::size_t i = 0; i < v.size(); ++i)
                out.emplace_back(&v[i], at + "/" + std::to_string(i));
        else
            out.emplace_back(&v, at);
        return out;
    };
    if (value.contains("segment"))
        for (const auto& [entry, at] : entries(value["segment"], child(pointer, "segment"))) {
            const json& seg = *entry;
            if (!seg.is_object() || !seg.contains("name"))
                fail(at, "a segment total is { \"name\": segment, \"offered\": size, ... }");
            checkKeys(seg, at, kSegmentFields, "segment totals");
            const std::uint32_t index = segment(seg["name"], child(at, "name"));
            for (auto it = seg.begin(); it != seg.end(); ++it) {
                if (it.key() == "name")
                    continue;
                Expectation e;
                e.kind = Expectation::Kind::SegmentTotal;
                e.at = m_positions.key(child(at, it.key()));
                e.name = m_segmentOrder[index];
                e.field = it.key();
                e.bytes = bytes(it.value(), child(at, it.key()));
                step.expectations.push_back(e);
            }
        }
    if (value.contains("process"))
        for (const auto& [entry, at] : entries(value["process"], child(pointer, "process"))) {
            const json& p = *entry;
            if (!p.is_object() || !p.contains("name"))
                fail(at, "a process total is { \"name\": process, \"group\": \"local\", \"usage\": size, ... }");
            checkKeys(p, at, { "name", "group", "budget", "usage", "decommittable" }, "process totals");
            const std::string name = knownProcess(p["name"], child(at, "name"));
            const MemorySegmentGroup group
                = p.contains("group") ? segmentGroup(p["group"], child(at, "group")) : MemorySegmentGroup::Local;
            for (auto it = p.begin(); it != p.end(); ++it) {
                if (it.key() == "name" || it.key() == "group")
                    continue;
                Expectation e;
                e.kind = Expectation::Kind::ProcessTotal;
                e.at = m_positions.key(child(at, it.key()));
                e.name = name;
                e.group = group;
                e.field = it.key();
                e.bytes = bytes(it.value(), child(at, it.key()));
                step.expectations.push_back(e);
            }
        }
    if (step.expectations.empty())
        fail(pointer, "an expect step needs at least one expectation");
}

Step Parser::parseStep(const json& value, const std::string& pointer, std::size_t index)
{
    if (!value.is_object() || value.empty())
        fail(pointer, "a step is an object whose first field names its type (\"say\", \"create\", \"offer\", ...)");
    // The step's type is the one field that names a step kind.
    std::string kindKey;
    for (auto it = value.begin(); it != value.end(); ++it)
        if (stepKinds().count(it.key())) {
            if (!kindKey.empty())
                failKey(child(pointer, it.key()),
                    "a step has one type, but this one has both '" + kindKey + "' and '" + it.key() + "'");
            kindKey = it.key();
        }
    if (kindKey.empty()) {
        std::string list;
        for (const auto& [name, kind] : stepKinds())
            list += (list.empty() ? "" : ", ") + name;
        failKey(
            child(pointer, value.begin().key()), "unknown step '" + value.begin().key() + "' (steps: " + list + ")");
    }
    Step step;
    step.kind = stepKinds().at(kindKey);
    step.at = m_positions.value(pointer);
    step.index = index;
    const json& main = value[kindKey];
    const std::string mainAt = child(pointer, kindKey);
    auto has = [&value](const char* key) { return value.contains(key); };
    auto at = [&pointer](const char* key) { return child(pointer, key); };
    const std::string what = "step '" + kindKey + "'";

    switch (step.kind) {
    case StepKind::Say:
        checkKeys(value, pointer, { "say" }, what);
        step.text = string(main, mainAt);
        break;
    case StepKind::Create: {
        checkKeys(value, pointer,
            { "create", "device", "size", "allocations", "segment", "residency", "present", "resident" }, what);
        step.name = string(main, mainAt);
        newName(step.name, mainAt);
        if (!has("device"))
            fail(pointer, "create needs a \"device\"");
        step.device = knownDevice(value["device"], at("device"));
        if (!has("size"))
            fail(pointer, "create needs a \"size\"");
        step.bytes = bytes(value["size"], at("size"));
        if (step.bytes == 0)
            fail(at("size"), "an allocation's size must be greater than 0");
        if (has("allocations")) {
            step.count = static_cast<std::uint32_t>(unsignedNumber(value["allocations"], at("allocations"), 1024));
            if (step.count == 0)
                fail(at("allocations"), "a resource has at least one allocation");
        }
        if (has("segment"))
            step.segment = segment(value["segment"], at("segment"));
        if (has("residency"))
            step.residencyPriority = residency(value["residency"], at("residency"));
        if (has("present"))
            step.present = boolean(value["present"], at("present"));
        if (has("resident"))
            step.resident = boolean(value["resident"], at("resident"));
        m_resources[step.name] = step.count;
        break;
    }
    case StepKind::Destroy: {
        checkKeys(value, pointer, { "destroy" }, what);
        step.name = string(main, mainAt);
        if (step.name.find('[') != std::string::npos)
            fail(mainAt, "destroy takes a resource name, not an allocation ('" + step.name + "')");
        checkAllocationNames({ step.name }, mainAt, true);
        m_resources.erase(step.name);
        break;
    }
    case StepKind::Lock:
    case StepKind::Unlock:
        checkKeys(value, pointer, { kindKey, "device" }, what);
        step.name = string(main, mainAt);
        step.names = { step.name };
        checkAllocationNames(step.names, mainAt, false);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        break;
    case StepKind::Gpu:
        checkKeys(value, pointer, { "gpu", "device", "duration" }, what);
        step.names = nameList(main, mainAt);
        checkAllocationNames(step.names, mainAt, false);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        step.microseconds = has("duration") ? microseconds(value["duration"], at("duration")) : 100;
        break;
    case StepKind::Advance:
        checkKeys(value, pointer, { "advance" }, what);
        step.microseconds = microseconds(main, mainAt);
        break;
    case StepKind::Wait:
        checkKeys(value, pointer, { "wait" }, what);
        step.device = knownDevice(main, mainAt);
        break;
    case StepKind::MakeResident:
        checkKeys(value, pointer, { "makeResident", "device", "queue", "flags", "priorities" }, what);
        step.names = nameList(main, mainAt);
        checkAllocationNames(step.names, mainAt, false);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        if (has("queue"))
            step.queue = knownQueue(value["queue"], at("queue"));
        if (has("flags"))
            step.flags = flagBits(value["flags"], at("flags"),
                { { "CantTrimFurther", D3DDDI_MAKERESIDENT_FLAGS::kCantTrimFurther },
                    { "MustSucceed", D3DDDI_MAKERESIDENT_FLAGS::kMustSucceed } });
        if (has("priorities")) {
            // One per name, or one per allocation handle when a name stands for several allocations.
            std::size_t allocations = 0;
            for (const std::string& name : step.names)
                allocations += name.find('[') != std::string::npos ? 1 : m_resources.at(name);
            const json& list = value["priorities"];
            if (!list.is_array() || (list.size() != step.names.size() && list.size() != allocations))
                fail(at("priorities"), "priorities is a list with one residency priority per name or per allocation");
            for (std::size_t i = 0; i < list.size(); ++i)
                step.priorities.push_back(
                    residency(value["priorities"][i], at("priorities") + "/" + std::to_string(i)));
        }
        break;
    case StepKind::Evict:
        checkKeys(value, pointer, { "evict", "device", "flags" }, what);
        step.names = nameList(main, mainAt);
        checkAllocationNames(step.names, mainAt, false);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        if (has("flags"))
            step.flags = flagBits(value["flags"], at("flags"),
                { { "EvictOnlyIfNecessary", D3DDDI_EVICT_FLAGS::kEvictOnlyIfNecessary },
                    { "NotWrittenTo", D3DDDI_EVICT_FLAGS::kNotWrittenTo } });
        break;
    case StepKind::Offer:
    case StepKind::Reclaim: {
        const bool offer = step.kind == StepKind::Offer;
        if (offer)
            checkKeys(value, pointer, { "offer", "by", "priority", "flags", "device", "numAllocations" }, what);
        else
            checkKeys(value, pointer, { "reclaim", "by", "version", "device", "queue", "numAllocations" }, what);
        step.names = nameList(main, mainAt);
        if (has("by")) {
            const std::string by = lowerAscii(string(value["by"], at("by")));
            if (by == "allocations")
                step.by = HandleArray::Allocations;
            else if (by == "resources")
                step.by = HandleArray::Resources;
            else if (by == "both")
                step.by = HandleArray::Both;
            else if (by == "neither")
                step.by = HandleArray::Neither;
            else
                fail(at("by"), "\"by\" is allocations (HandleList), resources (pResources), both or neither");
        }
        checkAllocationNames(step.names, mainAt, step.by == HandleArray::Resources);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        if (has("numAllocations"))
            step.numAllocations
                = static_cast<UINT>(unsignedNumber(value["numAllocations"], at("numAllocations"), 0xFFFFFFFFu));
        if (offer) {
            if (!has("priority"))
                fail(pointer, "offer needs a \"priority\" (LOW, NORMAL, HIGH or AUTO)");
            step.priority = offerPriority(value["priority"], at("priority"));
            if (has("flags"))
                step.flags = flagBits(value["flags"], at("flags"),
                    { { "OfferImmediately", D3DKMT_OFFER_FLAGS::kOfferImmediately },
                        { "AllowDecommit", D3DKMT_OFFER_FLAGS::kAllowDecommit } });
        } else {
            if (has("version")) {
                step.reclaimVersion = static_cast<int>(unsignedNumber(value["version"], at("version"), 2));
                if (step.reclaimVersion != 1 && step.reclaimVersion != 2)
                    fail(at("version"), "version is 1 (D3DKMTReclaimAllocations) or 2 (D3DKMTReclaimAllocations2)");
            }
            if (has("queue"))
                step.queue = knownQueue(value["queue"], at("queue"));
        }
        break;
    }
    case StepKind::SetPriority:
        checkKeys(value, pointer, { "setPriority", "residency", "device" }, what);
        step.names = nameList(main, mainAt);
        checkAllocationNames(step.names, mainAt, false);
        if (has("device"))
            step.device = knownDevice(value["device"], at("device"));
        if (!has("residency"))
            fail(pointer, "setPriority needs a \"residency\" priority");
        step.residencyPriority = residency(value["residency"], at("residency"));
        break;
    case StepKind::Pressure: {
        checkKeys(value, pointer, { "pressure", "segment", "size" }, what);
        step.process = knownProcess(main, mainAt);
        if (!has("size"))
            fail(pointer, "pressure needs a \"size\" (what the process commits)");
        step.bytes = bytes(value["size"], at("size"));
        if (step.bytes == 0)
            fail(at("size"), "pressure of 0 bytes does nothing; give a size");
        if (has("segment"))
            step.segment = segment(value["segment"], at("segment"));
        break;
    }
    case StepKind::Budget:
    case StepKind::Reserve:
        checkKeys(value, pointer, { kindKey, "group", "size" }, what);
        step.process = knownProcess(main, mainAt);
        if (!has("size"))
            fail(pointer, kindKey + " needs a \"size\"");
        step.bytes = bytes(value["size"], at("size"));
        if (has("group"))
            step.group = segmentGroup(value["group"], at("group"));
        break;
    case StepKind::Trim:
        checkKeys(value, pointer, { "trim", "size", "flags" }, what);
        step.process = knownProcess(main, mainAt);
        if (!has("size"))
            fail(pointer, "trim needs a \"size\" (DecommitRequested)");
        step.bytes = bytes(value["size"], at("size"));
        if (has("flags"))
            step.flags = flagBits(value["flags"], at("flags"),
                { { "Lazy", D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kLazy },
                    { "OnlyRepurposed", D3DKMT_TRIMPROCESSCOMMITMENT_FLAGS::kOnlyRepurposed } });
        break;
    case StepKind::SystemPressure:
        checkKeys(value, pointer, { "systemPressure" }, what);
        step.bytes = bytes(main, mainAt);
        break;
    case StepKind::Policy:
        checkKeys(value, pointer, { "policy" }, what);
        step.policy = m_policyNow;
        parsePolicy(main, mainAt, step.policy);
        m_policyNow = step.policy;
        break;
    case StepKind::Verifier:
        checkKeys(value, pointer, { "verifier" }, what);
        step.verifier = m_verifierNow;
        parseVerifier(main, mainAt, step.verifier);
        m_verifierNow = step.verifier;
        break;
    case StepKind::ProcessVerifier:
        checkKeys(value, pointer, { "processVerifier" }, what);
        if (!main.is_object() || !main.contains("process"))
            fail(mainAt, "processVerifier is { \"process\": name, \"alwaysFailCommitOnReclaim\": true, ... }");
        step.process = knownProcess(main["process"], child(mainAt, "process"));
        parseProcessVerifier(main, mainAt, step.processVerifier);
        break;
    case StepKind::Expect:
        checkKeys(value, pointer, { "expect" }, what);
        parseExpect(main, mainAt, step);
        break;
    case StepKind::Quiz: {
        checkKeys(
            value, pointer, { "quiz", "ask", "choices", "answer", "segment", "allocation", "process", "size" }, what);
        step.text = string(main, mainAt);
        if (!has("ask") || !has("answer"))
            fail(pointer, "a quiz needs \"ask\" (nextVictim, reclaim or trim) and the lesson's \"answer\"");
        step.quiz = string(value["ask"], at("ask"));
        step.name = string(value["answer"], at("answer"));
        if (has("choices"))
            step.names = nameList(value["choices"], at("choices"));
        if (step.quiz == "nextVictim") {
            if (has("segment"))
                step.segment = segment(value["segment"], at("segment"));
        } else if (step.quiz == "reclaim") {
            if (!has("allocation"))
                fail(pointer, "a reclaim quiz names the \"allocation\" reclaimed");
            step.subject = string(value["allocation"], at("allocation"));
            if (!has("choices"))
                step.names = { "OK", "DISCARDED", "NOT_COMMITTED" };
        } else if (step.quiz == "trim") {
            if (!has("process") || !has("size"))
                fail(pointer, "a trim quiz names the \"process\" and its new budget \"size\"");
            step.subject = knownProcess(value["process"], at("process"));
            step.bytes = bytes(value["size"], at("size"));
        } else {
            fail(at("ask"), "\"ask\" is nextVictim, reclaim or trim, not '" + step.quiz + "'");
        }
        break;
    }
    }
    return step;
}

Scenario Parser::parse()
{
    if (const auto& deep = m_positions.tooDeep())
        failAt(*deep,
            "arrays and objects nested more than " + std::to_string(JsonPositions::kMaxDepth)
                + " levels deep: a scenario never needs that many");
    if (const auto& twice = m_positions.duplicateKey())
        failAt(twice->at,
            "'" + twice->key + "' is given twice in this object (first at line " + std::to_string(twice->first.line)
                + ", column " + std::to_string(twice->first.column) + "); JSON would keep only the last, so give it once");
    if (!m_root.is_object())
        fail("", "a scenario file is a JSON object with adapter, processes and steps");
    checkKeys(
        m_root, "", { "title", "description", "adapter", "policy", "verifier", "processes", "steps" }, "the scenario");
    Scenario s;
    s.fileName = m_fileName;
    if (m_root.contains("title"))
        s.title = string(m_root["title"], "/title");
    if (m_root.contains("description"))
        s.description = string(m_root["description"], "/description");
    parseAdapter(m_root.contains("adapter") ? m_root["adapter"] : json("discrete"), "/adapter", s);
    if (m_root.contains("policy"))
        parsePolicy(m_root["policy"], "/policy", s.policy);
    if (m_root.contains("verifier"))
        parseVerifier(m_root["verifier"], "/verifier", s.verifier);
    m_policyNow = s.policy;
    m_verifierNow = s.verifier;
    if (!m_root.contains("processes"))
        fail("", "a scenario needs \"processes\"");
    parseProcesses(m_root["processes"], "/processes", s);
    if (!m_root.contains("steps") || !m_root["steps"].is_array())
        fail(m_root.contains("steps") ? "/steps" : "", "a scenario needs a \"steps\" list");
    for (std::size_t i = 0; i < m_root["steps"].size(); ++i)
        s.steps.push_back(parseStep(m_root["steps"][i], "/steps/" + std::to_string(i), i));
    return s;
}

} // namespace

Result<Scenario> parseScenario(std::string_view text, std::string_view fileName)
{
    // nlohmann's reader takes a NUL byte for the end of the input: the rest of the file would be ignored.
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
        const TextPosition at = JsonPositions::fromOffset(text, nul + 1);
        return Status(NtStatus::DataError,
            std::string(fileName) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column)
                + ": a NUL byte: this is not a text file");
    }
    json root;
    try {
        root = json::parse(text.begin(), text.end(), nullptr, true, true);
    } catch (const json::parse_error& e) {
        const TextPosition at = JsonPositions::fromOffset(text, e.byte);
        std::string what = e.what();
        // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: ...".
        const std::size_t colon = what.find(": ", what.find("column"));
        return Status(NtStatus::DataError,
            std::string(fileName) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column)
                + ": not valid JSON: " + (colon != std::string::npos ? what.substr(colon + 2) : what));
    } catch (const json::out_of_range& e) {
        // A number too big for a double ("1e999"): "... number overflow parsing '1e999'", no offset.
        const std::string what = e.what();
        const std::size_t quote = what.find('\'');
        const std::string number
            = quote == std::string::npos ? std::string() : what.substr(quote + 1, what.rfind('\'') - quote - 1);
        const std::size_t offset = number.empty() ? std::string_view::npos : text.find(number);
        const TextPosition at = JsonPositions::fromOffset(text, offset == std::string_view::npos ? 0 : offset + 1);
        return Status(NtStatus::DataError,
            std::string(fileName) + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": the number "
                + number + " is too large");
    }
    try {
        Parser parser(text, fileName, root);
        return parser.parse();
    } catch (const ParseFailure& failure) {
        return Status(NtStatus::DataError, failure.message);
    } catch (const json::exception& e) {
        // A value of an unexpected shape that a check above missed: still an error, never a crash.
        return Status(NtStatus::DataError, std::string(fileName) + ":1:1: " + e.what());
    }
}

Result<Scenario> readScenario(const std::string& path)
{
    const Result<std::string> text = readTextFile(path, "scenario");
    if (!text)
        return text.why();
    return parseScenario(*text, path);
}

} // namespace offerscope::scenario
