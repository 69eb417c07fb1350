// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Units.h"

#include <algorithm>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace offerscope {

std::string formatHex(std::uint64_t value, int minDigits)
{
    // Without snprintf: a mass discard names thousands of handles.
    static constexpr char kDigits[] = "0123456789ABCDEF";
    int digits = std::clamp(minDigits, 1, 16);
    while (digits < 16 && (value >> (4 * digits)) != 0)
        ++digits;
    std::string out(static_cast<std::size_t>(digits) + 2, '0');
    out[1] = 'x';
    for (int i = 0; i < digits; ++i)
        out[out.size() - 1 - static_cast<std::size_t>(i)] = kDigits[(value >> (4 * i)) & 0xF];
    return out;
}

std::string formatBytes(std::uint64_t bytes)
{
    static constexpr std::array<const char*, 5> kUnits = { "B", "KiB", "MiB", "GiB", "TiB" };
    if (bytes < kKiB)
        return std::to_string(bytes) + " B";
    std::size_t unit = 0;
    std::uint64_t divisor = 1;
    while (unit + 1 < kUnits.size() && bytes >= divisor * 1024) {
        divisor *= 1024;
        ++unit;
    }
    char buffer[32];
    if (bytes % divisor == 0)
        std::snprintf(buffer, sizeof buffer, "%llu %s", static_cast<unsigned long long>(bytes / divisor), kUnits[unit]);
    else
        std::snprintf(
            buffer, sizeof buffer, "%.1f %s", static_cast<double>(bytes) / static_cast<double>(divisor), kUnits[unit]);
    return buffer;
}

std::string lowerAscii(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<std::uint64_t> parseBytes(std::string_view text)
{
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
            s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
            s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    std::size_t numberEnd = 0;
    while (numberEnd < text.size()
        && (std::isdigit(static_cast<unsigned char>(text[numberEnd])) || text[numberEnd] == '.'))
        ++numberEnd;
    if (numberEnd == 0)
        return std::nullopt;
    const std::string_view number = text.substr(0, numberEnd);
    const std::string unit = lowerAscii(trim(text.substr(numberEnd)));

    std::uint64_t multiplier = 0;
    if (unit.empty() || unit == "b")
        multiplier = 1;
    else if (unit == "k" || unit == "kib")
        multiplier = kKiB;
    else if (unit == "m" || unit == "mib")
        multiplier = kMiB;
    else if (unit == "g" || unit == "gib")
        multiplier = kGiB;
    else if (unit == "t" || unit == "tib")
        multiplier = 1024 * kGiB;
    else if (unit == "kb")
        multiplier = 1000;
    else if (unit == "mb")
        multiplier = 1000 * 1000;
    else if (unit == "gb")
        multiplier = 1000ULL * 1000 * 1000;
    else if (unit == "tb")
        multiplier = 1000ULL * 1000 * 1000 * 1000;
    else
        return std::nullopt;

    if (number.find('.') == std::string_view::npos) {
        std::uint64_t value = 0;
        auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (ec != std::errc() || ptr != number.data() + number.size())
            return std::nullopt;
        if (value > std::numeric_limits<std::uint64_t>::max() / multiplier)
            return std::nullopt;
        return value * multiplier;
    }
    // A fraction: only meaningful with a unit, and must land on a whole byte count.
    char* end = nullptr;
    const std::string copy(number);
    const double value = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(value) || value < 0)
        return std::nullopt;
    const double bytes = value * static_cast<double>(multiplier);
    if (bytes >= 18446744073709549568.0)
        return std::nullopt;
    return static_cast<std::uint64_t>(std::llround(bytes));
}

std::string jsonQuoted(std::string_view text)
{
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

} // namespace offerscope
