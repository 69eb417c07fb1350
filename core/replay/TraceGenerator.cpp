// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replay/TraceGenerator.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace offerscope::replay {
namespace {

/// splitmix64: tiny, fast, the same everywhere.
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

} // namespace

AccessTrace generateTrace(const TraceShape& shape)
{
    AccessTrace trace;
    const std::uint32_t n = std::max<std::uint32_t>(1, shape.objects);
    trace.objectCount = n;
    SplitMix64 rng { shape.seed };

    std::vector<std::uint64_t> sizes(n);
    const int minLog = std::min(62, static_cast<int>(std::log2(static_cast<double>(std::max<std::uint64_t>(1, shape.minSize)))));
    // Sizes are powers of two up to 2^62: a shift of 64 would be undefined.
    const int maxLog = std::min(62,
        std::max(minLog, static_cast<int>(std::log2(static_cast<double>(std::max(shape.minSize, shape.maxSize))))));
    for (std::uint32_t i = 0; i < n; ++i)
        sizes[i] = std::uint64_t { 1 } << (minLog
                       + static_cast<int>(rng.next() % static_cast<std::uint64_t>(maxLog - minLog + 1)));

    // Cumulative Zipf weights over ranks; ranks are shuffled onto objects so popularity and id differ.
    std::vector<double> cumulative(n);
    double total = 0;
    for (std::uint32_t r = 0; r < n; ++r) {
        total += 1.0 / std::pow(static_cast<double>(r + 1), shape.skew);
        cumulative[r] = total;
    }
    std::vector<std::uint32_t> objectOfRank(n);
    for (std::uint32_t i = 0; i < n; ++i)
        objectOfRank[i] = i;
    for (std::uint32_t i = n - 1; i > 0; --i)
        std::swap(objectOfRank[i], objectOfRank[static_cast<std::uint32_t>(rng.next() % (i + 1))]);

    trace.accesses.reserve(shape.accesses);
    for (std::uint64_t k = 0; k < shape.accesses; ++k) {
        const double u = rng.unit() * total;
        const auto rank = static_cast<std::uint32_t>(
            std::lower_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
        const std::uint32_t object = objectOfRank[std::min(rank, n - 1)];
        trace.accesses.push_back(TraceAccess { object, OfferPriority::None, sizes[object] });
    }
    return trace;
}

std::string formatTrace(const AccessTrace& trace)
{
    std::string out;
    out.reserve(trace.accesses.size() * 16);
    for (const TraceAccess& a : trace.accesses) {
        out += std::to_string(a.object);
        out += ',';
        out += std::to_string(a.size);
        out += '\n';
    }
    return out;
}

CsvColumns writtenCsvColumns()
{
    CsvColumns c;
    c.timeCol = 1;
    c.objIdCol = 2;
    c.objSizeCol = 3;
    c.hasHeader = true;
    return c;
}

Status writeTrace(const AccessTrace& trace, TraceFormat format, std::FILE* out, const std::string& name)
{
    std::vector<char> buffer;
    buffer.reserve(1 << 20);
    bool ok = true;
    const auto flush = [&] {
        if (!buffer.empty())
            ok = ok && std::fwrite(buffer.data(), 1, buffer.size(), out) == buffer.size();
        buffer.clear();
    };
    const auto number = [&buffer](std::uint64_t v) {
        char digits[24];
        const auto [end, error] = std::to_chars(digits, digits + sizeof digits, v);
        (void)error;
        buffer.insert(buffer.end(), digits, end);
    };
    const auto littleEndian = [&buffer](std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i)
            buffer.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    const std::size_t n = trace.accesses.size();
    std::vector<std::int64_t> nextAccess;
    if (format == TraceFormat::OracleGeneral) {
        // The next access of the same object, found walking back from the end.
        nextAccess.assign(n, -1);
        std::vector<std::int64_t> seenAt(trace.objectCount, -1);
        for (std::size_t i = n; i-- > 0;) {
            const std::uint32_t object = trace.accesses[i].object;
            if (object >= seenAt.size())
                seenAt.resize(object + 1, -1);
            nextAccess[i] = seenAt[object];
            seenAt[object] = static_cast<std::int64_t>(i);
        }
    }
    if (format == TraceFormat::Csv) {
        const char header[] = "time,obj_id,obj_size\n";
        buffer.insert(buffer.end(), header, header + sizeof header - 1);
    }
    for (std::size_t i = 0; i < n && ok; ++i) {
        const TraceAccess& a = trace.accesses[i];
        switch (format) {
        case TraceFormat::OfferScope:
            number(a.object);
            buffer.push_back(',');
            number(a.size);
            if (a.priority != OfferPriority::None) {
                buffer.push_back(',');
                const std::string_view p = offerPriorityName(a.priority);
                buffer.insert(buffer.end(), p.begin(), p.end());
            }
            buffer.push_back('\n');
            break;
        case TraceFormat::Csv:
            number(i);
            buffer.push_back(',');
            number(a.object);
            buffer.push_back(',');
            number(a.size);
            buffer.push_back('\n');
            break;
        case TraceFormat::OracleGeneral:
            if (a.size > 0xffffffffu)
                return Status(NtStatus::InvalidParameter,
                    name + ": object " + std::to_string(a.object) + " is " + std::to_string(a.size)
                        + " bytes: oracleGeneral records hold sizes below 4 GiB");
            littleEndian(static_cast<std::uint32_t>(i), 4);
            littleEndian(a.object, 8);
            littleEndian(a.size, 4);
            littleEndian(static_cast<std::uint64_t>(nextAccess[i]), 8);
            break;
        }
        if (buffer.size() > (1 << 20) - 64)
            flush();
    }
    flush();
    if (!ok)
        return Status(NtStatus::Unsuccessful, name + ": cannot write the trace");
    return Status();
}

} // namespace offerscope::replay
