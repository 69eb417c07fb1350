// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/RunReport.h"

#include "core/Units.h"

#include "core/events/EventLog.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace offerscope::scenario {
namespace {

using json = nlohmann::ordered_json;


json eventJson(const events::Event& e)
{
    json j;
    j["seq"] = e.seq;
    j["time_us"] = e.time;
    j["kind"] = std::string(events::eventKindName(e.kind));
    j["cause"] = std::string(events::causeKindName(e.cause));
    if (e.call != events::ApiCall::None)
        j["call"] = std::string(events::apiCallName(e.call));
    if (e.pressure != events::PressureSource::None)
        j["pressure"] = std::string(events::pressureSourceName(e.pressure));
    if (e.causeSeq != 0)
        j["causeSeq"] = e.causeSeq;
    if (e.process != 0)
        j["process"] = formatHex(e.process);
    if (e.device != 0)
        j["device"] = formatHex(e.device);
    if (e.segment >= 0)
        j["segment"] = e.segment;
    j["bytes"] = e.bytes;
    j["status"] = std::string(ntStatusName(e.status));
    if (e.priority != OfferPriority::None)
        j["priority"] = std::string(offerPriorityName(e.priority));
    if (e.result)
        j["result"] = std::string(reclaimResultName(*e.result));
    json allocations = json::array();
    for (D3DKMT_HANDLE h : e.allocations)
        allocations.push_back(formatHex(h));
    j["allocations"] = allocations;
    j["explanation"] = e.explanation;
    if (!e.callText.empty())
        j["callText"] = e.callText;
    return j;
}

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace

std::string runReportJson(const ScenarioRunner& runner)
{
    const Scenario& s = runner.scenario();
    const sim::Simulator& sim = runner.simulator();
    json report;
    report["scenario"] = { { "file", s.fileName }, { "title", s.title }, { "adapter", s.adapter.name } };

    json names = json::object();
    for (const auto& [name, handle] : runner.names())
        names[name] = formatHex(handle);
    report["names"] = names;

    json events = json::array();
    for (const events::Event& e : sim.eventLog())
        events.push_back(eventJson(e));
    report["events"] = events;

    json steps = json::array();
    json reclaims = json::array();
    for (const StepOutcome& o : runner.outcomes()) {
        const Step& step = s.steps[o.step];
        json j;
        j["step"] = o.step + 1;
        j["kind"] = std::string(stepKindName(step.kind));
        j["line"] = step.at.line;
        if (o.call) {
            j["status"] = std::string(ntStatusName(o.status));
            if (!o.status.message().empty())
                j["error"] = o.status.message();
        }
        if (o.lastEvent >= o.firstEvent)
            j["events"] = { o.firstEvent, o.lastEvent };
        for (const auto& [name, result] : o.results)
            reclaims.push_back(
                { { "step", o.step + 1 }, { "name", name }, { "result", std::string(reclaimResultName(result)) } });
        steps.push_back(j);
    }
    report["steps"] = steps;
    report["reclaimResults"] = reclaims;

    json failures = json::array();
    for (const ExpectationFailure& f : runner.failures())
        failures.push_back({ { "step", f.step + 1 }, { "message", f.message } });
    report["expectations"] = { { "checked", runner.expectationsChecked() }, { "failed", runner.failures().size() },
        { "failures", failures } };

    json segments = json::array();
    for (std::uint32_t i = 0; i < sim.segmentCount(); ++i) {
        const sim::SegmentUsage u = sim.segmentUsage(i);
        segments.push_back({ { "segment", i }, { "name", s.adapter.segments[i].name }, { "size", u.size },
            { "committed", u.committed }, { "resident", u.resident }, { "inUse", u.inUse },
            { "offerPending", u.offerPending }, { "offeredLow", u.offeredByPriority[1] },
            { "offeredNormal", u.offeredByPriority[2] }, { "offeredHigh", u.offeredByPriority[3] },
            { "offeredAuto", u.offeredByPriority[4] }, { "evicted", u.evicted }, { "discarded", u.discarded },
            { "decommitted", u.decommitted }, { "totalBytesEvicted", u.totalBytesEvicted },
            { "totalBytesDiscarded", u.totalBytesDiscarded }, { "totalBytesDecommitted", u.totalBytesDecommitted } });
    }
    json processes = json::array();
    for (D3DKMT_HANDLE p : sim.processes()) {
        json groups = json::object();
        for (MemorySegmentGroup g : { MemorySegmentGroup::Local, MemorySegmentGroup::NonLocal }) {
            const auto u = sim.processUsage(p, g);
            groups[std::string(segmentGroupName(g))]
                = { { "budget", u->budget }, { "usage", u->usage }, { "reservation", u->reservation } };
        }
        processes.push_back({ { "name", sim.processName(p) }, { "handle", formatHex(p) }, { "groups", groups } });
    }
    report["statistics"] = { { "timeUs", sim.now() }, { "segments", segments }, { "processes", processes } };
    return report.dump(2) + "\n";
}

std::string eventsCsv(const events::EventLog& log)
{
    std::string out = "seq,time_us,kind,cause,call,pressure,cause_seq,process,device,segment,bytes,status,priority,"
                      "result,allocations,explanation\n";
    for (const events::Event& e : log) {
        std::string allocations;
        for (D3DKMT_HANDLE h : e.allocations)
            allocations += (allocations.empty() ? "" : " ") + formatHex(h);
        out += std::to_string(e.seq) + "," + std::to_string(e.time) + "," + std::string(events::eventKindName(e.kind))
            + "," + std::string(events::causeKindName(e.cause)) + "," + std::string(events::apiCallName(e.call)) + ","
            + (e.pressure != events::PressureSource::None ? csvField(std::string(events::pressureSourceName(e.pressure)))
                                                       : "")
            + "," + (e.causeSeq != 0 ? std::to_string(e.causeSeq) : "") + "," + (e.process ? formatHex(e.process) : "") + ","
            + (e.device ? formatHex(e.device) : "") + "," + (e.segment >= 0 ? std::to_string(e.segment) : "") + ","
            + std::to_string(e.bytes) + "," + std::string(ntStatusName(e.status)) + ","
            + (e.priority != OfferPriority::None ? std::string(offerPriorityName(e.priority)) : "") + ","
            + (e.result ? std::string(reclaimResultName(*e.result)) : "") + "," + allocations + ","
            + csvField(e.explanation) + "\n";
    }
    return out;
}

} // namespace offerscope::scenario
