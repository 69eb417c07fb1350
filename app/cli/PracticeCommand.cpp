// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/PracticeCommand.h"

#include "core/practice/Practice.h"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>

namespace offerscope::cli {

const char* const kPracticeHelp = R"(Usage: offerscope-cli practice [--seed N] [--level 1|2|3] [--count K] [--answers]

Exercises the engine makes from a seed and answers itself: which allocation goes next under this
pressure, what a reclaim finds, what status a call gets, how many bytes a process must trim. Each
question is asked in turn; type the answer (a choice's number or its words, or a size such as 192MiB)
and it is graded at once, with the engine's explanation. The score is printed at the end (or when the
input ends). The same seed and level give the same exercises.

Options:
  --seed N      the first exercise's seed (default 1); exercise k uses seed N + k
  --level L     1 (one rule at a time), 2 (the rules together), 3 (the corners); default 1
  --count K     how many exercises (default 4: one of each kind)
  --answers     print each exercise with its answer and explanation instead of asking

Exit status: 0 when done, 2 on bad usage.

Examples:
  offerscope-cli practice --seed 7 --level 2
  offerscope-cli practice --seed 1 --count 8 --answers
)";

namespace {

int usage(const std::string& why)
{
    std::fprintf(stderr, "offerscope-cli: practice: %s\n\n%s", why.c_str(), kPracticeHelp);
    return 2;
}

bool number(std::string_view text, std::uint64_t& out)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

} // namespace

int runPractice(const std::vector<std::string_view>& args)
{
    std::uint64_t seed = 1, level = 1, count = 4;
    bool answers = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        if (a == "--answers") {
            answers = true;
            continue;
        }
        if (a != "--seed" && a != "--level" && a != "--count")
            return usage("unknown option '" + std::string(a) + "'");
        if (i + 1 >= args.size())
            return usage(std::string(a) + " needs a value");
        const std::string_view v = args[++i];
        std::uint64_t& target = a == "--seed" ? seed : a == "--level" ? level : count;
        if (!number(v, target))
            return usage(std::string(a) + " '" + std::string(v) + "' is not a whole number");
    }
    if (level < 1 || level > static_cast<std::uint64_t>(practice::kLevels))
        return usage("--level " + std::to_string(level) + " is not 1, 2 or 3");
    if (count == 0 || count > 1000)
        return usage("--count " + std::to_string(count) + " is not from 1 to 1000");

    std::uint64_t right = 0, asked = 0;
    for (std::uint64_t k = 0; k < count; ++k) {
        const practice::Exercise x = practice::makeExercise(seed + k, static_cast<int>(level));
        std::printf("\nExercise %llu of %llu (seed %llu, level %llu, %s)\n%s\n", static_cast<unsigned long long>(k + 1),
            static_cast<unsigned long long>(count), static_cast<unsigned long long>(x.seed),
            static_cast<unsigned long long>(level), std::string(practice::exerciseKindName(x.kind)).c_str(),
            x.question.c_str());
        for (std::size_t c = 0; c < x.choices.size(); ++c)
            std::printf("  %zu. %s\n", c + 1, x.choices[c].c_str());
        if (answers) {
            std::printf("answer: %s\n%s\n", x.answer.c_str(), x.explanation.c_str());
            continue;
        }
        std::printf("%s", x.choices.empty() ? "your answer (a size, e.g. 192MiB): " : "your answer: ");
        std::fflush(stdout);
        std::string line;
        if (!std::getline(std::cin, line))
            break;
        // A choice's number stands for the choice.
        std::uint64_t n = 0;
        if (!x.choices.empty() && number(line, n) && n >= 1 && n <= x.choices.size())
            line = x.choices[n - 1];
        const practice::Grade g = practice::grade(x, line);
        ++asked;
        right += g.right ? 1 : 0;
        std::printf("%s\n", g.words.c_str());
    }
    if (!answers)
        std::printf(
            "\nscore: %llu of %llu\n", static_cast<unsigned long long>(right), static_cast<unsigned long long>(asked));
    return 0;
}

} // namespace offerscope::cli
