// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replay/AccessTrace.h"

#include "core/TextFile.h"
#include "core/Units.h"

#include <charconv>
#include <cstdio>
#include <unordered_map>

namespace offerscope::replay {
namespace {

/// Open-addressing map from numeric object ids to dense ids: traces have millions of lines and
/// std::unordered_map would dominate the parse.
class IdMap {
public:
    IdMap() { m_slots.resize(1024); }
    std::uint32_t intern(std::uint64_t key, std::uint32_t next, bool& inserted)
    {
        if ((m_size + 1) * 2 > m_slots.size())
            grow();
        std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            Slot& slot = m_slots[i];
            if (!slot.used) {
                slot = Slot { key, next, true };
                ++m_size;
                inserted = true;
                return next;
            }
            if (slot.key == key) {
                inserted = false;
                return slot.value;
            }
        }
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        std::uint32_t value = 0;
        bool used = false;
    };
    static std::size_t hash(std::uint64_t x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return static_cast<std::size_t>(x);
    }
    void grow()
    {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_slots.resize(old.size() * 2);
        m_size = 0;
        for (const Slot& s : old)
            if (s.used) {
                bool ignored = false;
                intern(s.key, s.value, ignored);
            }
    }
    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

std::string location(std::string_view file, std::size_t line, std::size_t column)
{
    return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

} // namespace

Result<AccessTrace> parseAccessTrace(std::string_view text, std::string_view fileName)
{
    AccessTrace trace;
    IdMap numeric;
    std::unordered_map<std::string, std::uint32_t> named;
    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    trace.accesses.reserve(text.size() / 12);
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;

        const std::size_t comma1 = line.find(',');
        if (comma1 == std::string_view::npos) {
            return Status(NtStatus::DataError,
                location(fileName, lineNumber, line.size() + 1)
                    + "expected 'object_id,size_bytes[,priority]' but the line has no comma");
        }
        const std::string_view id = line.substr(0, comma1);
        if (id.empty()) {
            return Status(NtStatus::DataError, location(fileName, lineNumber, 1) + "the object id is empty");
        }
        const std::size_t comma2 = line.find(',', comma1 + 1);
        const std::string_view sizeText
            = line.substr(comma1 + 1, comma2 == std::string_view::npos ? std::string_view::npos : comma2 - comma1 - 1);

        TraceAccess access;
        // Sizes are plain byte counts in the common case; units ("64MiB") are accepted too.
        std::uint64_t size = 0;
        auto [ptr, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size);
        if (ec != std::errc() || ptr != sizeText.data() + sizeText.size()) {
            const auto parsed = parseBytes(sizeText);
            if (!parsed) {
                return Status(NtStatus::DataError,
                    location(fileName, lineNumber, comma1 + 2) + "size '" + std::string(sizeText)
                        + "' is not a byte count (a whole number, optionally with a unit such as MiB)");
            }
            size = *parsed;
        }
        if (size == 0) {
            return Status(
                NtStatus::DataError, location(fileName, lineNumber, comma1 + 2) + "size must be greater than 0");
        }
        access.size = size;
        if (comma2 != std::string_view::npos) {
            const std::string_view priorityText = line.substr(comma2 + 1);
            const auto priority = parseOfferPriority(priorityText);
            if (!priority || *priority == OfferPriority::None) {
                return Status(NtStatus::DataError,
                    location(fileName, lineNumber, comma2 + 2) + "priority '" + std::string(priorityText)
                        + "' is not LOW, NORMAL, HIGH, AUTO or 1..4");
            }
            access.priority = *priority;
        }

        std::uint64_t numericId = 0;
        auto [idPtr, idEc] = std::from_chars(id.data(), id.data() + id.size(), numericId);
        bool inserted = false;
        if (idEc == std::errc() && idPtr == id.data() + id.size()) {
            access.object = numeric.intern(numericId, trace.objectCount, inserted);
        } else {
            auto [it, added] = named.try_emplace(std::string(id), trace.objectCount);
            access.object = it->second;
            inserted = added;
        }
        if (inserted)
            ++trace.objectCount;
        trace.accesses.push_back(access);
    }
    return trace;
}

Result<AccessTrace> readAccessTrace(const std::string& path)
{
    const Result<std::string> text = readTextFile(path, "trace");
    if (!text)
        return text.why();
    return parseAccessTrace(*text, path);
}

} // namespace offerscope::replay
