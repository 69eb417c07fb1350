// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test-only: one list of events written two ways, as Windows would: an .etl file (EtlWriter) and the
// XML that tracerpt writes from it. Both readers must give the same recording back.

#include "core/trace/Recording.h"
#include "tests/trace/EtlWriter.h"

#include <cstdio>
#include <string>
#include <vector>

namespace offerscope::trace::testing {

struct ScriptEvent {
    Guid provider = kDxgKrnlProvider;
    std::uint16_t id = 0;
    std::uint8_t version = 0;
    std::vector<std::uint64_t> values; ///< DxgKrnl: per field of the table; others: ignored
    std::uint64_t ticks = 0; ///< 0.1 µs after the start
    std::uint32_t processId = 0, threadId = 0;
    bool extended = false;
};

class RecordingScript {
public:
    explicit RecordingScript(std::uint8_t pointerSize = 8, std::uint32_t bufferSize = 4096)
        : m_pointerSize(pointerSize)
        , m_bufferSize(bufferSize)
    {
    }
    void add(ScriptEvent e) { m_events.push_back(std::move(e)); }
    /// A DxgKrnl event of the table.
    void add(std::uint16_t id, std::uint8_t version, std::vector<std::uint64_t> values, std::uint64_t ticks,
        std::uint32_t processId = 1000, std::uint32_t threadId = 2000)
    {
        ScriptEvent e;
        e.id = id;
        e.version = version;
        e.values = std::move(values);
        e.ticks = ticks;
        e.processId = processId;
        e.threadId = threadId;
        e.extended = m_events.size() % 4 == 1;
        m_events.push_back(std::move(e));
    }
    /// An AdapterAllocationStart (id 33, version 3) of a process: its device, size, preferred segment
    /// (the recorded segment id) and hVidMmGlobalAlloc.
    void addAllocation(std::uint32_t processId, std::uint64_t device, std::uint64_t size, std::uint64_t segment,
        std::uint64_t globalHandle, std::uint64_t ticks, std::uint64_t adapter = 0xFFFFA00000010000)
    {
        std::vector<std::uint64_t> a(29, 0);
        a[0] = processId; // hProcessId
        a[1] = device;
        a[2] = adapter;
        a[4] = size; // allocSize
        a[5] = 4096; // ulAlignment
        a[8] = segment; // PreferredSegment
        a[12] = globalHandle; // hVidMmGlobalAlloc
        add(33, 3, std::move(a), ticks, processId);
    }
    const std::vector<ScriptEvent>& events() const { return m_events; }

    std::vector<std::uint8_t> etl(bool outOfOrder = true) const
    {
        EtlWriter w(m_bufferSize, m_pointerSize);
        for (const ScriptEvent& s : m_events) {
            WrittenEvent e;
            e.provider = s.provider;
            e.id = s.id;
            e.version = s.version;
            e.ticks = s.ticks;
            e.processId = s.processId;
            e.threadId = s.threadId;
            e.extended = s.extended;
            const EventSpec* spec = s.provider == kDxgKrnlProvider ? findEvent(s.id, s.version) : nullptr;
            if (spec != nullptr)
                e.payload = payloadOf(*spec, s.values, m_pointerSize);
            else
                e.payload.assign(12, 0x21);
            w.add(std::move(e));
        }
        return w.bytes(outOfOrder);
    }

    /// The XML tracerpt writes: the log-file header event first, then every event in time order, local
    /// time with tracerpt's offset (one minute short of the zone's), pointers in 0x-hex, and the
    /// priorities and states of the offer events sometimes as the value map's names.
    std::string xml() const
    {
        std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n";
        const auto time = [](std::uint64_t ticks) {
            // Local time at UTC+3 labelled +02:59, as modern tracerpt writes it (an offset one minute short):
            // every time is off by the same minute, so times from the start are right.
            const std::uint64_t t = EtlWriter::kStartTime + ticks + 3 * 3600 * 10'000'000ull;
            const std::uint64_t seconds = t / 10'000'000 - 11644473600ull;
            const std::uint64_t days = seconds / 86400, rem = seconds % 86400;
            // civil date from days since 1970 (the inverse of the reader's)
            const std::uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
            const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
            const std::uint64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
            const std::uint64_t y = yoe + era * 400 + (m <= 2);
            char text[96];
            std::snprintf(text, sizeof text, "%04llu-%02llu-%02lluT%02llu:%02llu:%02llu.%07llu00+02:59",
                static_cast<unsigned long long>(y), static_cast<unsigned long long>(m),
                static_cast<unsigned long long>(d), static_cast<unsigned long long>(rem / 3600),
                static_cast<unsigned long long>(rem / 60 % 60), static_cast<unsigned long long>(rem % 60),
                static_cast<unsigned long long>(t % 10'000'000));
            return std::string(text);
        };
        const auto system = [&](const std::string& provider, std::uint32_t id, std::uint32_t version,
                                std::uint64_t ticks, std::uint32_t pid, std::uint32_t tid) {
            return "\t<System>\n\t\t<Provider " + provider + " />\n\t\t<EventID>" + std::to_string(id)
                + "</EventID>\n\t\t<Version>" + std::to_string(version)
                + "</Version>\n\t\t<Level>4</Level>\n\t\t<Task>0</Task>\n\t\t<Opcode>0</Opcode>\n"
                + "\t\t<Keywords>0x45</Keywords>\n\t\t<TimeCreated SystemTime=\"" + time(ticks) + "\" />\n"
                + "\t\t<Correlation ActivityID=\"{00000000-0000-0000-0000-000000000000}\" />\n\t\t<Execution "
                  "ProcessID=\""
                + std::to_string(pid) + "\" ThreadID=\"" + std::to_string(tid)
                + "\" ProcessorID=\"0\" KernelTime=\"0\" UserTime=\"0\" />\n\t\t<Channel />\n\t\t<Computer "
                  "/>\n\t</System>\n";
        };
        const char* kEvent = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n";
        out += kEvent;
        out += system("Guid=\"{9e814aad-3204-11d2-9a82-006008a86939}\"", 0, 2, 0, 4, 8);
        out += "\t<EventData>\n\t\t<Data Name=\"BufferSize\">" + std::to_string(m_bufferSize)
            + "</Data>\n\t\t<Data Name=\"PointerSize\">" + std::to_string(m_pointerSize) + "</Data>\n\t</EventData>\n";
        out += "\t<ExtendedTracingInfo xmlns=\"http://schemas.microsoft.com/win/2004/08/events/trace\">\n"
               "\t\t<EventGuid>{68fdd900-4a3e-11d1-84f4-0000f80464e3}</EventGuid>\n\t</ExtendedTracingInfo>\n</"
               "Event>\n";
        std::vector<const ScriptEvent*> ordered;
        for (const ScriptEvent& s : m_events)
            ordered.push_back(&s);
        std::stable_sort(ordered.begin(), ordered.end(),
            [](const ScriptEvent* a, const ScriptEvent* b) { return a->ticks < b->ticks; });
        std::size_t n = 0;
        for (const ScriptEvent* s : ordered) {
            out += kEvent;
            const bool dxg = s->provider == kDxgKrnlProvider;
            out += system(std::string(dxg ? "Name=\"Microsoft-Windows-DxgKrnl\" " : "Name=\"Other-Provider\" ")
                    + "Guid=\"" + guidText(s->provider) + "\"",
                s->id, s->version, s->ticks, s->processId, s->threadId);
            const EventSpec* spec = dxg ? findEvent(s->id, s->version) : nullptr;
            out += "\t<EventData>\n";
            if (spec != nullptr) {
                for (std::size_t f = 0; f < spec->fields.size(); ++f) {
                    const FieldSpec& field = spec->fields[f];
                    std::uint64_t v = f < s->values.size() ? s->values[f] : 0;
                    if (field.type == FieldType::Pointer && m_pointerSize == 4)
                        v &= 0xFFFFFFFF;
                    std::string text;
                    if (field.type == FieldType::Pointer) {
                        char hex[24];
                        std::snprintf(hex, sizeof hex, "0x%llX", static_cast<unsigned long long>(v));
                        text = hex;
                    } else if (field.type == FieldType::Boolean) {
                        text = v != 0 ? "true" : "false";
                    } else if (field.name == "Priority" && spec->kind != EventKind::SetPriority && n % 2 == 1
                        && !offerPriorityText(v).empty()) {
                        static const char* const kNames[] = { "", "VidMmOfferPriorityLow", "VidMmOfferPriorityNormal",
                            "VidMmOfferPriorityHigh", "VidMmOfferPriorityMaximum" };
                        text = kNames[v];
                    } else if (field.name == "State" && n % 2 == 1 && !offerStateText(v).empty()) {
                        text = "VIDMM_" + std::string(offerStateText(v));
                    } else {
                        text = std::to_string(v);
                    }
                    out += "\t\t<Data Name=\"" + std::string(field.name) + "\">" + text + "</Data>\n";
                }
            } else {
                out += "\t\t<Data Name=\"Something\">42</Data>\n";
            }
            out += "\t</EventData>\n\t<RenderingInfo Culture=\"en-US\">\n\t\t<Level>Information </Level>\n"
                   "\t</RenderingInfo>\n</Event>\n";
            ++n;
        }
        out += "</Events>\n";
        return out;
    }

private:
    std::uint8_t m_pointerSize;
    std::uint32_t m_bufferSize;
    std::vector<ScriptEvent> m_events;
};

} // namespace offerscope::trace::testing
