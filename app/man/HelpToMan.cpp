// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/man/HelpToMan.h"

#include <cctype>
#include <cstdio>
#include <vector>

namespace offerscope::man {
namespace {

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.push_back(text.substr(0, end));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

std::size_t indentOf(std::string_view line)
{
    std::size_t n = 0;
    while (n < line.size() && line[n] == ' ')
        ++n;
    return n;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

/// "Options:" -> "Options"; "Exit status: 0 ..." -> "Exit status" (and `rest` the text after it).
/// Headings start at the margin with a capital, are at most three words, and end the line, except
/// "Usage:" and "Exit status:", which are followed by their text.
bool headingOf(std::string_view line, std::string_view& heading, std::string_view& rest)
{
    if (line.empty() || !std::isupper(static_cast<unsigned char>(line.front())))
        return false;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return false;
    const std::string_view words = line.substr(0, colon);
    int spaces = 0;
    for (char c : words) {
        if (c == ' ')
            ++spaces;
        else if (!std::isalpha(static_cast<unsigned char>(c)))
            return false;
    }
    if (spaces > 2 || (colon + 1 < line.size() && line[colon + 1] != ' '))
        return false;
    rest = trimmed(line.substr(colon + 1));
    // Text after the colon makes a heading only of these two ("Each access: create..." is prose).
    if (!rest.empty() && words != "Usage" && words != "Exit status")
        return false;
    heading = words;
    return true;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

std::string escapeTroff(std::string_view line)
{
    std::string out;
    out.reserve(line.size() + 8);
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            // An option's dashes (at a word's start, or the second of "--") are minus signs to troff,
            // so that they can be copied from the page; a hyphen inside a word stays a hyphen.
            const bool wordStart = i == 0 || std::string_view(" ,[(|=\"'/").find(line[i - 1]) != std::string_view::npos
                || (line[i - 1] == '-' && (i < 2 || line[i - 2] != '-'));
            out += wordStart ? "\\-" : "-";
        } else {
            out += c;
        }
    }
    if (!out.empty() && (out.front() == '.' || out.front() == '\''))
        out.insert(0, "\\&");
    return out;
}

bool runCommand(const std::string& command, std::string& output)
{
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        return false;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output.append(buffer, n);
    return ::pclose(pipe) == 0;
}

std::string helpToTroff(std::string_view help, HeadingLevel level)
{
    enum class Block { Text, Usage, List, Examples };
    // Examples, and any other heading's indented lines that are not a list of terms ("Keys:"), are kept
    // as they are laid out: unfilled and indented.
    Block block = Block::Text;
    bool inList = false;
    std::string out;
    const auto heading = [&](std::string_view words) {
        if (level == HeadingLevel::Section)
            out += ".SH " + upper(words) + "\n";
        else
            out += ".PP\n.B " + escapeTroff(words) + "\n";
    };
    const auto endUnfilled = [&] {
        if (block == Block::Usage)
            out += ".fi\n";
        else if (block == Block::Examples)
            out += ".fi\n.RE\n";
    };
    bool paragraph = false; // a blank line was seen: the next text starts a paragraph
    for (std::string_view line : splitLines(help)) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (trimmed(line).empty()) {
            if (block == Block::Usage || block == Block::Examples) {
                endUnfilled();
                block = Block::Text;
            }
            paragraph = true;
            continue;
        }
        std::string_view words, rest;
        if (indentOf(line) == 0 && headingOf(line, words, rest)) {
            endUnfilled();
            paragraph = false;
            if (words == "Usage") {
                block = Block::Usage;
                heading(level == HeadingLevel::Section ? "Synopsis" : "Usage");
                out += ".nf\n" + escapeTroff(rest) + "\n";
                continue;
            }
            heading(words);
            if (rest.empty() && (words == "Options" || words == "Commands" || words == "Arguments")) {
                block = Block::List;
            } else if (rest.empty()) {
                block = Block::Examples;
                out += ".RS\n.nf\n";
            } else {
                block = Block::Text;
                out += escapeTroff(rest) + "\n";
            }
            continue;
        }
        if ((block == Block::Usage || block == Block::Examples) && indentOf(line) == 0) {
            // An unfilled block ends where unindented text starts.
            endUnfilled();
            block = Block::Text;
            paragraph = true;
        }
        switch (block) {
        case Block::Usage:
        case Block::Examples:
            out += escapeTroff(
                       block == Block::Usage ? trimmed(line) : line.substr(std::min<std::size_t>(2, indentOf(line))))
                + "\n";
            continue;
        case Block::List:
            if (indentOf(line) >= 1 && indentOf(line) <= 2) {
                // "  TERM  description": the term ends at the first run of two spaces.
                const std::string_view entry = line.substr(indentOf(line));
                const std::size_t gap = entry.find("  ");
                const std::string_view term = trimmed(entry.substr(0, gap));
                out += ".TP\n\\fB" + escapeTroff(term) + "\\fR\n";
                if (gap != std::string_view::npos)
                    out += escapeTroff(trimmed(entry.substr(gap))) + "\n";
                inList = true;
                continue;
            }
            if (inList) { // the description goes on
                out += escapeTroff(trimmed(line)) + "\n";
                continue;
            }
            break;
        case Block::Text:
            break;
        }
        if (paragraph || block == Block::List) {
            out += ".PP\n";
            block = Block::Text;
            inList = false;
        }
        paragraph = false;
        out += escapeTroff(trimmed(line)) + "\n";
    }
    endUnfilled();
    return out;
}

} // namespace offerscope::man
