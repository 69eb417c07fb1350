// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/scenario/JsonPositions.h"

#include <algorithm>

namespace offerscope::scenario {

JsonPositions::JsonPositions(std::string_view text)
    : m_text(text)
{
    skipSpace();
    if (m_pos < m_text.size())
        parseValue("");
}

void JsonPositions::advance()
{
    if (m_pos >= m_text.size())
        return;
    if (m_text[m_pos] == '\n') {
        ++m_line;
        m_column = 1;
    } else if ((static_cast<unsigned char>(m_text[m_pos]) & 0xC0) != 0x80) {
        ++m_column; // count characters, not UTF-8 continuation bytes
    }
    ++m_pos;
}

void JsonPositions::skipSpace()
{
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            advance();
        } else if (c == '/' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '/') {
            while (m_pos < m_text.size() && m_text[m_pos] != '\n')
                advance();
        } else if (c == '/' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '*') {
            advance();
            advance();
            while (m_pos + 1 < m_text.size() && !(m_text[m_pos] == '*' && m_text[m_pos + 1] == '/'))
                advance();
            advance();
            advance();
        } else {
            break;
        }
    }
}

void JsonPositions::skipString()
{
    advance(); // opening quote
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
        if (m_text[m_pos] == '\\')
            advance();
        advance();
    }
    advance(); // closing quote
}

void JsonPositions::parseValue(const std::string& pointer)
{
    m_values.emplace(pointer, here());
    if (m_pos >= m_text.size())
        return;
    switch (m_text[m_pos]) {
    case '{':
    case '[':
        if (m_depth == kMaxDepth) {
            // Too deep: remember where, and end the scan (every loop stops at the end of the text).
            m_tooDeep = here();
            m_pos = m_text.size();
            return;
        }
        ++m_depth;
        if (m_text[m_pos] == '{')
            parseObject(pointer);
        else
            parseArray(pointer);
        --m_depth;
        break;
    case '"':
        skipString();
        break;
    default:
        // number, true, false, null
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/')
                break;
            advance();
        }
        break;
    }
}

void JsonPositions::parseObject(const std::string& pointer)
{
    advance(); // {
    skipSpace();
    while (m_pos < m_text.size() && m_text[m_pos] != '}') {
        const TextPosition keyAt = here();
        const std::size_t start = m_pos + 1;
        skipString();
        // Keys with escapes are rare in scenarios; positions of such keys use the raw text.
        const std::string key(m_text.substr(start, m_pos - start - 1));
        const std::string member = pointer + "/" + escape(key);
        if (const auto [first, added] = m_keys.emplace(member, keyAt); !added && !m_duplicate)
            m_duplicate = DuplicateKey { key, keyAt, first->second };
        skipSpace();
        advance(); // :
        skipSpace();
        parseValue(member);
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ',') {
            advance();
            skipSpace();
        }
    }
    advance(); // }
}

void JsonPositions::parseArray(const std::string& pointer)
{
    advance(); // [
    skipSpace();
    std::size_t index = 0;
    while (m_pos < m_text.size() && m_text[m_pos] != ']') {
        const std::size_t start = m_pos;
        parseValue(pointer + "/" + std::to_string(index++));
        if (m_pos == start)
            break; // not a value ('}' of text the JSON parser read differently): never loop in place
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ',') {
            advance();
            skipSpace();
        }
    }
    advance(); // ]
}

TextPosition JsonPositions::value(const std::string& pointer) const
{
    std::string p = pointer;
    for (;;) {
        auto it = m_values.find(p);
        if (it != m_values.end())
            return it->second;
        const std::size_t slash = p.rfind('/');
        if (slash == std::string::npos)
            return TextPosition {};
        p.resize(slash);
    }
}

TextPosition JsonPositions::key(const std::string& pointer) const
{
    auto it = m_keys.find(pointer);
    return it != m_keys.end() ? it->second : value(pointer);
}

TextPosition JsonPositions::fromOffset(std::string_view text, std::size_t byteOffset)
{
    TextPosition p;
    const std::size_t end = byteOffset == 0 ? 0 : std::min(byteOffset - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++p.column;
        }
    }
    return p;
}

std::string JsonPositions::escape(std::string_view token)
{
    std::string out;
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

} // namespace offerscope::scenario
