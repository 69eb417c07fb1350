// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The byte format fuzzOperations() reads, shared with the encoder that turns lessons into seeds.
//
// Header: segment count (u8, 1 + n % 4); per segment a size and a u8 (bit 0 non-local, bit 1
// aperture); the event log mode (u8 % 3: full, bounded to 1 + u8 events, off); a policy; verifier bits.
// Then operations: an opcode (u8 % kOperationCount) and its arguments, until the input ends.
//
// Handles are chosen from what the program created, by index (u8 for processes, devices and paging
// queues, u16 for resources and allocations), so mutations keep meaning something; the top values pick
// the handles an application gets wrong: NULL, any number, a handle of another kind, a stale one.

#include <cstdint>
#include <string>

namespace offerscope::fuzz::ops {

enum Operation : std::uint8_t {
    kCreateProcess,
    kCreateDevice,
    kCreatePagingQueue,
    kSetCurrentProcess,
    kCreateResource,
    kDestroyResource,
    kOffer,
    kReclaim,
    kReclaim2,
    kMakeResident,
    kEvict,
    kQueryVideoMemoryInfo,
    kChangeReservation,
    kQueryStatistics,
    kQueryProcessOfferInfo,
    kTrimProcessCommitment,
    kLock,
    kUnlock,
    kGpuWork,
    kSetPriority,
    kAdvanceTime,
    kWaitForIdle,
    kWaitForPagingFence,
    kSetBudget,
    kCommitFromProcess,
    kSystemCommitPressure,
    kSetPolicy,
    kSetVerifier,
    kSetProcessVerifier,
    kNarrate,
    kCheckpoint,
    kRestore,
    kCopy,
    kLookInside,
    kOperationCount
};

/// Selector bytes from here on name a special handle instead of a table entry.
inline constexpr std::uint8_t kFirstSpecial8 = 0xF8;
inline constexpr std::uint16_t kFirstSpecial16 = 0xFFF0;
/// Size bytes: below 0x80 (n + 1) MiB; below 0xC0 (n - 0x7F) * 64 MiB; below 0xF0 (1 + u16) * 4 KiB;
/// 0xF0 zero; 0xF1..0xFE a power of two from 2^50 up; 0xFF a raw u64.
inline constexpr std::uint8_t kSizeMiB = 0x00;
inline constexpr std::uint8_t kSize64MiB = 0x80;
inline constexpr std::uint8_t kSizePages = 0xC0;
inline constexpr std::uint8_t kSizeZero = 0xF0;
inline constexpr std::uint8_t kSizeRaw = 0xFF;
/// Count bytes (entries of a handle list): below 0xF0 n % 9; from 0xF0, 9 + 2 * (n & 15) entries.
inline constexpr std::uint8_t kLongList = 0xF0;
/// Small-number bytes (counts of allocations, durations, flags, priorities): from 0xF0 a raw value follows.
inline constexpr std::uint8_t kRawFollows = 0xF0;
/// Offer and reclaim arrays (bits 0-1 of the mode byte).
enum ArrayMode : std::uint8_t { kByAllocations = 0, kByResources = 1, kByBoth = 2, kByNeither = 3 };

/// Appends the encodings the interpreter reads (little endian, as FuzzInput reads them).
class Writer {
public:
    void u8(std::uint8_t v) { m_bytes.push_back(static_cast<char>(v)); }
    void u16(std::uint16_t v)
    {
        u8(static_cast<std::uint8_t>(v));
        u8(static_cast<std::uint8_t>(v >> 8));
    }
    void u32(std::uint32_t v)
    {
        u16(static_cast<std::uint16_t>(v));
        u16(static_cast<std::uint16_t>(v >> 16));
    }
    void u64(std::uint64_t v)
    {
        u32(static_cast<std::uint32_t>(v));
        u32(static_cast<std::uint32_t>(v >> 32));
    }
    void size(std::uint64_t bytes)
    {
        constexpr std::uint64_t kMiB = 1024 * 1024;
        if (bytes == 0) {
            u8(kSizeZero);
        } else if (bytes % kMiB == 0 && bytes / kMiB <= 128) {
            u8(static_cast<std::uint8_t>(kSizeMiB + bytes / kMiB - 1));
        } else if (bytes % (64 * kMiB) == 0 && bytes / (64 * kMiB) <= 64) {
            u8(static_cast<std::uint8_t>(kSize64MiB - 1 + bytes / (64 * kMiB)));
        } else {
            u8(kSizeRaw);
            u64(bytes);
        }
    }
    /// A small number, read as `u8 < kRawFollows ? u8 % modulus : raw u32`.
    void small(std::uint32_t v, std::uint32_t modulus)
    {
        if (v < modulus && v < kRawFollows) {
            u8(static_cast<std::uint8_t>(v));
        } else {
            u8(kRawFollows);
            u32(v);
        }
    }
    /// Microseconds, read as `u8 < kRawFollows ? u8 * 10 : raw u64`.
    void duration(std::uint64_t us)
    {
        if (us % 10 == 0 && us / 10 < kRawFollows) {
            u8(static_cast<std::uint8_t>(us / 10));
        } else {
            u8(kRawFollows);
            u64(us);
        }
    }
    void text(const std::string& s, std::size_t maxLength)
    {
        const std::size_t n = s.size() < maxLength ? s.size() : maxLength;
        u8(static_cast<std::uint8_t>(n));
        for (std::size_t i = 0; i < n; ++i)
            u8(static_cast<std::uint8_t>(s[i]));
    }
    const std::string& bytes() const { return m_bytes; }

private:
    std::string m_bytes;
};

} // namespace offerscope::fuzz::ops
