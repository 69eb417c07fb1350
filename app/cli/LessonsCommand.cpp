// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/LessonsCommand.h"

#include "core/scenario/ScenarioParser.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

namespace offerscope::cli {

const char* const kLessonsHelp = R"(Usage: offerscope-cli lessons

Lists the lessons installed with the program (share/offerscope/lessons beside its bin folder, or
lessons\ beside offerscope-cli.exe): each file and its title. Any command that takes a scenario FILE
also takes an installed lesson by its name alone, with or without .jsonc.

Exit status: 0 when listed, 2 when no lessons are installed beside the program (a build folder).

Examples:
  offerscope-cli lessons
  offerscope-cli run 03-auto-priority
)";

namespace {

namespace fs = std::filesystem;

fs::path programPath()
{
#ifdef _WIN32
    wchar_t buffer[MAX_PATH * 4];
    const DWORD n = GetModuleFileNameW(nullptr, buffer, static_cast<DWORD>(std::size(buffer)));
    return n == 0 ? fs::path() : fs::path(std::wstring(buffer, n));
#else
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : self;
#endif
}

} // namespace

std::string installedLessonsDir()
{
    const fs::path program = programPath();
    if (program.empty())
        return {};
    const fs::path bin = program.parent_path();
    std::error_code ec;
    for (const fs::path& candidate : { bin / ".." / "share" / "offerscope" / "lessons", bin / "lessons" })
        if (fs::is_directory(candidate, ec))
            return fs::weakly_canonical(candidate, ec).string();
    return {};
}

std::string findScenarioFile(const std::string& file)
{
    std::error_code ec;
    const fs::path given(file);
    if (fs::exists(given, ec) || given.has_parent_path())
        return file;
    const std::string dir = installedLessonsDir();
    if (dir.empty())
        return file;
    for (const fs::path& candidate : { fs::path(dir) / given, fs::path(dir) / (file + ".jsonc") })
        if (fs::is_regular_file(candidate, ec))
            return candidate.string();
    return file;
}

int runLessons(const std::vector<std::string_view>& args)
{
    if (!args.empty()) {
        std::fprintf(stderr, "offerscope-cli: lessons: takes no arguments\n\n%s", kLessonsHelp);
        return 2;
    }
    const std::string dir = installedLessonsDir();
    if (dir.empty()) {
        std::fprintf(stderr,
            "offerscope-cli: lessons: none installed beside this program (a build folder: the lessons are in the "
            "sources, resources/lessons)\n");
        return 2;
    }
    std::vector<fs::path> files;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".jsonc")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::printf("Lessons in %s:\n", dir.c_str());
    for (const fs::path& f : files) {
        Result<scenario::Scenario> read = scenario::readScenario(f.string());
        std::printf("  %-36s %s\n", f.filename().string().c_str(),
            read ? read.value().title.c_str() : ("(cannot be read: " + read.message() + ")").c_str());
    }
    return 0;
}

} // namespace offerscope::cli
