// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace offerscope::scenario {

/// 1-based line and column in a text.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};

/// Where every value (and every object key) of a JSON text starts, by JSON pointer ("/steps/3/size").
/// nlohmann_json parses the values but keeps no positions; this one scan gives the file:line:column
/// that semantic errors (unknown step, wrong type, unknown name) must name. Comments (// and /* */)
/// are skipped like nlohmann_json's ignore_comments. Assumes the text already parsed as JSON.
/// It also finds what nlohmann_json accepts but a scenario must not have: a key given twice in one
/// object (the reader would silently keep the last), and nesting deeper than kMaxDepth (the scan
/// stops there, so a hostile file cannot exhaust the stack).
class JsonPositions {
public:
    /// Arrays and objects nested deeper than this are refused; scenarios need fewer than ten levels.
    static constexpr int kMaxDepth = 64;

    struct DuplicateKey {
        std::string key;
        TextPosition at; ///< the second occurrence
        TextPosition first;
    };

    explicit JsonPositions(std::string_view text);

    /// Where the first array or object deeper than kMaxDepth starts, if any.
    const std::optional<TextPosition>& tooDeep() const { return m_tooDeep; }
    /// The first key that appears twice in one object, if any.
    const std::optional<DuplicateKey>& duplicateKey() const { return m_duplicate; }

    /// Start of the value at `pointer`, or of its nearest ancestor that is known.
    TextPosition value(const std::string& pointer) const;
    /// Start of the key of the member at `pointer` (falls back to value()).
    TextPosition key(const std::string& pointer) const;

    /// Converts a byte offset (as nlohmann_json's parse_error::byte gives, 1-based) to line:column.
    static TextPosition fromOffset(std::string_view text, std::size_t byteOffset);
    /// "/a~1b" style escaping of one pointer token.
    static std::string escape(std::string_view token);

private:
    void parseValue(const std::string& pointer);
    void parseObject(const std::string& pointer);
    void parseArray(const std::string& pointer);
    void skipString();
    void skipSpace();
    TextPosition here() const { return TextPosition { m_line, m_column }; }
    void advance();

    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
    std::size_t m_column = 1;
    int m_depth = 0;
    std::optional<TextPosition> m_tooDeep;
    std::optional<DuplicateKey> m_duplicate;
    std::unordered_map<std::string, TextPosition> m_values;
    std::unordered_map<std::string, TextPosition> m_keys;
};

} // namespace offerscope::scenario
