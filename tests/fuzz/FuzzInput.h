// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Reads a fuzz input as a stream of small decisions. Past the end every read gives zeros, so any
// byte string decodes to some program: the fuzzer mutates bytes, never a grammar.

#include <cstddef>
#include <cstdint>
#include <string>

namespace offerscope::fuzz {

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : m_data(data)
        , m_size(size)
    {
    }

    bool empty() const { return m_pos >= m_size; }
    std::size_t remaining() const { return empty() ? 0 : m_size - m_pos; }

    std::uint8_t u8() { return empty() ? 0 : m_data[m_pos++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(u16() | (static_cast<std::uint32_t>(u16()) << 16)); }
    std::uint64_t u64() { return u32() | (static_cast<std::uint64_t>(u32()) << 32); }
    bool flag() { return (u8() & 1) != 0; }
    /// A short text: a length byte (at most `maxLength`), then that many bytes.
    std::string text(std::size_t maxLength)
    {
        std::size_t n = u8() % (maxLength + 1);
        std::string out;
        while (n-- > 0 && !empty())
            out.push_back(static_cast<char>(u8()));
        return out;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace offerscope::fuzz
