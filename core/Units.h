// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace offerscope {

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;

/// "512 B", "64 KiB", "1.5 GiB": binary units, at most one decimal, exact values without one.
std::string formatBytes(std::uint64_t bytes);

/// "0x40000001": upper-case hex digits, at least `minDigits` of them (handles and addresses are shown
/// with 8, as Windows' debuggers and the D3DKMT documentation write them).
std::string formatHex(std::uint64_t value, int minDigits = 8);
/// A JSON string literal of `text`: quotes, backslashes and control characters escaped.
std::string jsonQuoted(std::string_view text);
/// `text` with its ASCII letters in lower case (names, units and keywords compared without case).
std::string lowerAscii(std::string_view text);

/// Parses "4096", "256MiB", "1.5 GiB", "64k" (k/M/G/T and KiB/MiB/GiB/TiB are binary; KB/MB/GB are
/// decimal). Returns nullopt for anything else, including negatives and overflow.
std::optional<std::uint64_t> parseBytes(std::string_view text);

} // namespace offerscope
