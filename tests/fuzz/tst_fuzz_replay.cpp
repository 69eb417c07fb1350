// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzz targets without libFuzzer, in the normal test suite: every seed (made from the lessons and
// traces) and every input a fuzzer once crashed on (tests/fuzz/regressions/<target>/) must pass.
#include "FuzzTargets.h"
#include "core/TextFile.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace offerscope::fuzz;

namespace {

struct FuzzCase {
    std::string target;
    std::string name; ///< unique test name
    std::string bytes;
};

/// Shown by GoogleTest in place of the bytes.
[[maybe_unused]] void PrintTo(const FuzzCase& c, std::ostream* out)
{
    *out << c.target << " input " << c.name << " (" << c.bytes.size() << " bytes)";
}

std::string testName(std::string text)
{
    for (char& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return text;
}

std::vector<FuzzCase> fuzzCases()
{
    namespace fs = std::filesystem;
    std::vector<FuzzCase> out;
    for (const FuzzTarget& target : fuzzTargets()) {
        for (const Seed& seed : seedCorpus(target.name, OFFERSCOPE_SOURCE_DIR))
            out.push_back({ target.name, testName(std::string(target.name) + "_seed_" + seed.name), seed.bytes });
        std::vector<fs::path> saved;
        std::error_code ec;
        for (const auto& e :
            fs::directory_iterator(fs::path(OFFERSCOPE_SOURCE_DIR) / "tests/fuzz/regressions" / target.name, ec))
            if (e.is_regular_file())
                saved.push_back(e.path());
        std::sort(saved.begin(), saved.end());
        for (const fs::path& path : saved) {
            const std::string bytes = offerscope::readTextFile(path.string(), "regression").take();
            out.push_back(
                { target.name, testName(std::string(target.name) + "_regression_" + path.filename().string()), bytes });
        }
    }
    return out;
}

[[noreturn]] void throwFailure(const std::string& message)
{
    throw std::runtime_error(message);
}

} // namespace

class FuzzReplay : public ::testing::TestWithParam<FuzzCase> { };

TEST_P(FuzzReplay, KeepsEveryPromise)
{
    const FuzzCase& c = GetParam();
    const auto& targets = fuzzTargets();
    const auto target
        = std::find_if(targets.begin(), targets.end(), [&c](const FuzzTarget& t) { return c.target == t.name; });
    ASSERT_NE(target, targets.end());
    setFailureHandler(throwFailure);
    try {
        target->run(reinterpret_cast<const std::uint8_t*>(c.bytes.data()), c.bytes.size());
    } catch (const std::runtime_error& e) {
        ADD_FAILURE() << c.target << " input '" << c.name << "' broke a promise: " << e.what();
    }
    setFailureHandler(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Corpus, FuzzReplay, ::testing::ValuesIn(fuzzCases()),
    [](const ::testing::TestParamInfo<FuzzCase>& param) { return param.param.name; });

TEST(FuzzSeeds, EveryTargetHasSeeds)
{
    for (const FuzzTarget& target : fuzzTargets())
        EXPECT_GE(seedCorpus(target.name, OFFERSCOPE_SOURCE_DIR).size(), 3u) << target.name;
}
