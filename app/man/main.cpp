// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-manpage: writes a program's man page from its own --help (and, for offerscope-cli, the help
// of each command), so the page cannot say other than the program does. Run by the build:
//   offerscope-manpage TEMPLATE OUTPUT PROGRAM NAME VERSION DATE [--commands]
// TEMPLATE is troff with placeholders: @VERSION@, @DATE@ (the release's), @SUMMARY@ (the help's one-line summary),
// @SYNOPSIS@ (its "Usage:"), @HELP@ (the rest of the help: commands, options, exit status...) and @COMMANDS@ (with
// --commands: one subsection per command, from "PROGRAM help COMMAND").
#include "app/man/HelpToMan.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using offerscope::man::escapeTroff;
using offerscope::man::HeadingLevel;
using offerscope::man::helpToTroff;
using offerscope::man::runCommand;

std::string quoted(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void replaceAll(std::string& text, const std::string& what, const std::string& with)
{
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
}

int fail(const std::string& message)
{
    std::fprintf(stderr, "offerscope-manpage: %s\n", message.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 7)
        return fail("usage: offerscope-manpage TEMPLATE OUTPUT PROGRAM NAME VERSION DATE [--commands]");
    const std::string templatePath = argv[1], outputPath = argv[2], program = argv[3], name = argv[4],
                      version = argv[5], date = argv[6];
    const bool commands = argc > 7 && std::string(argv[7]) == "--commands";

    std::ifstream in(templatePath, std::ios::binary);
    if (!in)
        return fail(templatePath + ": cannot be read");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string page = buffer.str();

    std::string help;
    if (!runCommand(quoted(program) + " --help", help))
        return fail(program + " --help failed");
    replaceAll(help, program, name); // Qt's help names the program by the path it was started with

    // "NAME - summary" on the first line (offerscope-cli), or the line after the usage (offerscope).
    std::string summary;
    std::istringstream lines(help);
    std::string line, previous;
    while (std::getline(lines, line)) {
        if (line.rfind(name + " - ", 0) == 0) {
            summary = line.substr(name.size() + 3);
            help.erase(0, help.find('\n') + 1);
            break;
        }
        if (previous.rfind("Usage: ", 0) == 0 && !line.empty() && line[0] != ' ') {
            summary = line;
            break;
        }
        previous = line;
    }
    if (summary.empty())
        return fail(program + " --help has no one-line summary");
    if (!summary.empty() && summary.back() == '.')
        summary.pop_back();
    if (!summary.empty())
        summary[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(summary[0])));

    std::string body = helpToTroff(help, HeadingLevel::Section);
    // The synopsis is the first section; the template's own description goes after it.
    const std::size_t second = body.find("\n.SH ", body.find(".SH "));
    const std::string synopsis = second == std::string::npos ? body : body.substr(0, second + 1);
    const std::string rest = second == std::string::npos ? std::string() : body.substr(second + 1);

    std::string details;
    if (commands) {
        // Each command listed under "Commands:" ("  NAME ARGS  what it does"), "help" aside.
        bool inCommands = false;
        std::istringstream list(help);
        while (std::getline(list, line)) {
            if (line == "Commands:") {
                inCommands = true;
                continue;
            }
            if (!inCommands)
                continue;
            if (line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ')
                break;
            const std::string command = line.substr(2, line.find(' ', 2) - 2);
            if (command == "help")
                continue;
            std::string text;
            if (!runCommand(quoted(program) + " help " + quoted(command), text))
                return fail(program + " help " + command + " failed");
            details += ".SS " + escapeTroff(name + " " + command) + "\n" + helpToTroff(text, HeadingLevel::Paragraph);
        }
        if (details.empty())
            return fail(program + " --help lists no commands");
    }

    replaceAll(page, "@VERSION@", version);
    replaceAll(page, "@DATE@", date);
    replaceAll(page, "@SUMMARY@", escapeTroff(summary));
    replaceAll(page, "@SYNOPSIS@", synopsis);
    replaceAll(page, "@HELP@", rest);
    replaceAll(page, "@COMMANDS@", details);
    // An empty line is a paragraph break that man pages should not have.
    while (page.find("\n\n") != std::string::npos)
        replaceAll(page, "\n\n", "\n");
    // A placeholder left over is a template this program does not know.
    for (std::size_t at = page.find('@'); at != std::string::npos; at = page.find('@', at + 1)) {
        std::size_t end = at + 1;
        while (end < page.size() && (std::isupper(static_cast<unsigned char>(page[end])) || page[end] == '_'))
            ++end;
        if (end > at + 1 && end < page.size() && page[end] == '@')
            return fail(templatePath + ": unknown placeholder " + page.substr(at, end - at + 1));
    }
    std::ofstream out(outputPath, std::ios::binary);
    out << page;
    if (!out)
        return fail(outputPath + ": cannot be written");
    return 0;
}
