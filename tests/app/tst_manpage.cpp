// SPDX-License-Identifier: GPL-3.0-or-later
// The man pages: the help-to-troff conversion, and that the pages the build wrote say what the programs'
// --help says today (every command, option and argument, with its description), and render cleanly.
#include "app/man/HelpToMan.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

using namespace offerscope::man;

namespace {

std::string commandOutput(const std::string& command)
{
    std::string out;
    runCommand(command, out);
    return out;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Entry {
    std::string term, description;
};

/// The "  TERM  description" entries of a help's lists (Options, Commands, Arguments).
std::vector<Entry> listEntries(const std::string& help)
{
    std::vector<Entry> entries;
    std::istringstream lines(help);
    std::string line;
    bool inList = false;
    while (std::getline(lines, line)) {
        if (line == "Options:" || line == "Commands:" || line == "Arguments:") {
            inList = true;
            continue;
        }
        if (line.empty() || line[0] != ' ') {
            inList = false;
            continue;
        }
        if (!inList || line.size() < 3 || line[2] == ' ')
            continue;
        const std::size_t gap = line.find("  ", 2);
        Entry e;
        e.term = line.substr(2, gap == std::string::npos ? std::string::npos : gap - 2);
        if (gap != std::string::npos)
            e.description = line.substr(line.find_first_not_of(' ', gap));
        entries.push_back(e);
    }
    return entries;
}

/// Every line of the help is in the page: a list entry's term (bold) and description, a heading's text,
/// any other line as it is (escaped for troff), so nothing the program says is lost or changed.
void expectPageSaysEveryLine(const std::string& page, const std::string& help, const std::string& what)
{
    std::size_t entries = 0;
    for (const Entry& e : listEntries(help)) {
        ++entries;
        EXPECT_NE(page.find("\\fB" + escapeTroff(e.term) + "\\fR"), std::string::npos)
            << what << ": the man page does not list '" << e.term << "'";
    }
    std::istringstream lines(help);
    std::string line;
    std::size_t checked = 0;
    while (std::getline(lines, line)) {
        std::string text = line;
        const std::size_t colon = line.find(": ");
        if (line.rfind("Usage: ", 0) == 0 || line.rfind("Exit status: ", 0) == 0)
            text = line.substr(colon + 2);
        else if (!line.empty() && line.back() == ':' && line.find(' ') == std::string::npos)
            continue; // a heading: "Options:"
        if (!line.empty() && line[0] == ' ' && line.size() > 2 && line[2] != ' ') {
            const std::size_t gap = line.find("  ", 2);
            if (gap != std::string::npos && line.find_first_not_of(' ', gap) != std::string::npos
                && listEntries(help).size() > 0) {
                // a list entry: its description (the term was checked above), or a laid-out line
                const std::string description = line.substr(line.find_first_not_of(' ', gap));
                if (page.find(escapeTroff(description)) != std::string::npos)
                    continue;
            }
        }
        const std::size_t first = text.find_first_not_of(' ');
        if (first == std::string::npos)
            continue;
        text = text.substr(first);
        ++checked;
        EXPECT_NE(page.find(escapeTroff(text)), std::string::npos)
            << what << ": the man page does not say this line of the help: '" << text << "'";
    }
    EXPECT_GT(checked + entries, 3u) << what << ": an empty help";
}

std::string groffWarnings(const std::string& page)
{
    // -ww: every warning; -z: no output. Anything printed is a warning about the page.
    return commandOutput("groff -man -ww -z -Tutf8 '" + page + "' 2>&1");
}

} // namespace

TEST(HelpToTroff, TurnsHeadingsListsUsageAndExamplesIntoManMacros)
{
    const std::string help = "Usage: tool run FILE [--calls]\n"
                             "       tool run FILE --json OUT\n"
                             "\n"
                             "Runs a file.\n"
                             "Second line of the same paragraph.\n"
                             "\n"
                             "Options:\n"
                             "  --calls     print the calls\n"
                             "  --json OUT  write JSON to OUT\n"
                             "              (\"-\": standard output)\n"
                             "\n"
                             "Exit status: 0 done, 2 bad usage.\n"
                             "\n"
                             "Examples:\n"
                             "  tool run a.jsonc --calls\n";
    const std::string sections = helpToTroff(help, HeadingLevel::Section);
    EXPECT_EQ(sections,
        ".SH SYNOPSIS\n.nf\ntool run FILE [\\-\\-calls]\ntool run FILE \\-\\-json OUT\n.fi\n"
        ".PP\nRuns a file.\nSecond line of the same paragraph.\n"
        ".SH OPTIONS\n.TP\n\\fB\\-\\-calls\\fR\nprint the calls\n"
        ".TP\n\\fB\\-\\-json OUT\\fR\nwrite JSON to OUT\n(\"\\-\": standard output)\n"
        ".SH EXIT STATUS\n0 done, 2 bad usage.\n"
        ".SH EXAMPLES\n.RS\n.nf\ntool run a.jsonc \\-\\-calls\n.fi\n.RE\n");
    const std::string inside = helpToTroff(help, HeadingLevel::Paragraph);
    EXPECT_NE(inside.find(".PP\n.B Options\n.TP\n"), std::string::npos) << inside;
    EXPECT_EQ(inside.find(".SH"), std::string::npos) << "a command's help stays inside its subsection";
}

TEST(HelpToTroff, EscapesWhatTroffWouldReadAsMarkup)
{
    EXPECT_EQ(escapeTroff(".hidden line"), "\\&.hidden line");
    EXPECT_EQ(escapeTroff("'quoted"), "\\&'quoted");
    EXPECT_EQ(escapeTroff("C:\\path"), "C:\\epath");
    EXPECT_EQ(escapeTroff("--steps N -h side-by-side"), "\\-\\-steps N \\-h side-by-side");
    EXPECT_EQ(escapeTroff("[--seed N|--level L]"), "[\\-\\-seed N|\\-\\-level L]");
}

TEST(HelpToTroff, ProseAfterAListStartsAParagraphAndAnUnindentedLineEndsAUsage)
{
    const std::string qtStyle = "Usage: app [options] file\nDoes things.\n\nOptions:\n  -h, --help  Help.\n";
    const std::string page = helpToTroff(qtStyle, HeadingLevel::Section);
    EXPECT_EQ(page,
        ".SH SYNOPSIS\n.nf\napp [options] file\n.fi\n.PP\nDoes things.\n"
        ".SH OPTIONS\n.TP\n\\fB\\-h, \\-\\-help\\fR\nHelp.\n");
}

TEST(ManPages, OfferscopeCliPageSaysWhatItsHelpSays)
{
    const std::string page = readFile(OFFERSCOPE_MAN_DIR "/offerscope-cli.1");
    ASSERT_FALSE(page.empty()) << "no man page at " OFFERSCOPE_MAN_DIR "/offerscope-cli.1";
    EXPECT_NE(page.find(".TH OFFERSCOPE-CLI 1 \"" OFFERSCOPE_RELEASE_DATE "\" \"OfferScope " OFFERSCOPE_VERSION "\""),
        std::string::npos);
    const std::string mainHelp = commandOutput("'" OFFERSCOPE_CLI "' --help");
    expectPageSaysEveryLine(page, mainHelp, "offerscope-cli --help");
    std::size_t commands = 0;
    for (const Entry& e : listEntries(mainHelp)) {
        const std::string command = e.term.substr(0, e.term.find(' '));
        if (command.rfind("-", 0) == 0 || command == "help")
            continue;
        ++commands;
        EXPECT_NE(page.find(".SS " + escapeTroff("offerscope-cli " + command) + "\n"), std::string::npos)
            << "no subsection for the command " << command;
        const std::string help = commandOutput("'" OFFERSCOPE_CLI "' help " + command);
        expectPageSaysEveryLine(page, help, "offerscope-cli help " + command);
        // The usage line, word for word.
        const std::string usage = help.substr(7, help.find('\n') - 7);
        EXPECT_NE(page.find(escapeTroff(usage)), std::string::npos) << "usage of " << command << ": " << usage;
    }
    EXPECT_GE(commands, 9u);
    EXPECT_EQ(groffWarnings(OFFERSCOPE_MAN_DIR "/offerscope-cli.1"), "");
}

#ifdef OFFERSCOPE_APP // a build with the window
TEST(ManPages, OfferscopePageSaysWhatItsHelpSays)
{
    const std::string page = readFile(OFFERSCOPE_MAN_DIR "/offerscope.1");
    ASSERT_FALSE(page.empty()) << "no man page at " OFFERSCOPE_MAN_DIR "/offerscope.1";
    std::string help = commandOutput("QT_QPA_PLATFORM=offscreen '" OFFERSCOPE_APP "' --help 2>/dev/null");
    ASSERT_NE(help.find("--classroom"), std::string::npos) << help;
    // Qt's help names the program by the path it was started with; the page by its name.
    for (std::size_t at = help.find(OFFERSCOPE_APP); at != std::string::npos; at = help.find(OFFERSCOPE_APP))
        help.replace(at, std::string(OFFERSCOPE_APP).size(), "offerscope");
    expectPageSaysEveryLine(page, help, "offerscope --help");
    EXPECT_NE(page.find("offerscope [options] file"), std::string::npos)
        << "the synopsis names the program, not a path";
    EXPECT_EQ(page.find(OFFERSCOPE_APP), std::string::npos) << "the build's path leaked into the page";
    EXPECT_EQ(groffWarnings(OFFERSCOPE_MAN_DIR "/offerscope.1"), "");
}
#endif
