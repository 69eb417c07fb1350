// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace offerscope::man {

/// How a help text's own headings ("Options:", "Examples:") become troff: sections of the page
/// (.SH, for a program's main help) or bold headings inside a subsection (.SS, a command's help).
enum class HeadingLevel { Section, Paragraph };

/// The text of a --help as the body of a man page (troff, man macros):
///   "Usage: ..." lines (and their indented continuations)  -> a synopsis, unfilled
///   "Options:", "Commands:", "Arguments:" lists             -> .TP entries, term in bold
///     ("  TERM  description" and deeper-indented continuation lines)
///   "Examples:" lines                                       -> an indented, unfilled block
///   "Exit status: ..." (a heading with text after it)       -> a heading and its paragraph
///   any other line                                          -> filled text; a blank line starts a paragraph
/// Every character troff would take as markup is escaped, dashes of options included.
std::string helpToTroff(std::string_view help, HeadingLevel level);

/// One line of text escaped for troff (backslashes, option dashes, a leading '.' or '\'').
std::string escapeTroff(std::string_view line);

/// Runs a shell command and appends what it writes on standard output to `output`; false when it
/// cannot be started or exits with a status other than 0 (POSIX: the tool and its test run on the build
/// machine).
bool runCommand(const std::string& command, std::string& output);

} // namespace offerscope::man
