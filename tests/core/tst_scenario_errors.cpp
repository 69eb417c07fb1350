// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario file errors of docs/robustness.md, one row each: the bad input, and the exact
// "t.jsonc:LINE:COLUMN: message" the parser answers. The position must point at the part that is
// wrong (or at the object that lacks a part), and the message must say what is wrong in words.
#include "core/scenario/ScenarioParser.h"
#include "ScenarioText.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <ostream>
#include <string>
#include <vector>

using namespace offerscope::scenario;

namespace {

using offerscope::test::withStep;

// A valid scenario whose adapter (line 2, from column 14) is given.
std::string withAdapter(const std::string& adapter)
{
    return "{\n"
           "  \"adapter\": "
        + adapter
        + ",\n"
          "  \"processes\": [ { \"name\": \"App\", \"devices\": [ \"dev\" ] } ],\n"
          "  \"steps\": [ { \"say\": \"hello\" } ]\n"
          "}\n";
}

std::string manySegments(int count)
{
    std::string list;
    for (int i = 0; i < count; ++i)
        list += (i == 0 ? "" : ", ") + std::string("{ \"name\": \"S") + std::to_string(i) + "\", \"size\": 4096 }";
    return "{ \"segments\": [ " + list + " ] }";
}

struct Row {
    std::string name; ///< the GoogleTest parameter name
    std::string text; ///< the scenario file
    std::string error; ///< the whole answer, exactly
    std::string at; ///< what starts at the LINE:COLUMN of the answer: the part that is wrong
};

void PrintTo(const Row& row, std::ostream* out)
{
    *out << row.name;
}

std::vector<Row> rows()
{
    return {
        // ---- the file as a whole ------------------------------------------------------------
        { "RootIsAnArray", "[ { \"say\": \"x\" } ]",
            "t.jsonc:1:1: a scenario file is a JSON object with adapter, processes and steps", "[" },
        { "RootIsAString", "\n  \"hello\"\n",
            "t.jsonc:2:3: a scenario file is a JSON object with adapter, processes and steps", "\"hello\"" },
        { "NoProcesses", "{\n  \"steps\": []\n}\n", "t.jsonc:1:1: a scenario needs \"processes\"", "{" },
        { "NoSteps", "{\n  \"processes\": [ { \"name\": \"App\" } ]\n}\n",
            "t.jsonc:1:1: a scenario needs a \"steps\" list", "{" },
        { "StepsIsNotAList", "{\n  \"processes\": [ { \"name\": \"App\" } ],\n  \"steps\": { \"say\": \"x\" }\n}\n",
            "t.jsonc:3:12: a scenario needs a \"steps\" list", "{ \"say\"" },

        // ---- steps ----------------------------------------------------------------------------
        // The fields of a JSON object are read in name order: 'advance' before 'say'.
        { "StepWithTwoTypes", withStep("{ \"say\": \"x\", \"advance\": 5 }"),
            "t.jsonc:9:7: a step has one type, but this one has both 'advance' and 'say'", "\"say\"" },

        // ---- names ----------------------------------------------------------------------------
        { "EmptyResourceName", withStep("{ \"create\": \"\", \"device\": \"dev\", \"size\": 1 }"),
            "t.jsonc:9:17: a name must not be empty", "\"\"" },
        { "EmptyProcessName", "{\n  \"processes\": [ { \"name\": \"\" } ],\n  \"steps\": []\n}\n",
            "t.jsonc:2:28: a name must not be empty", "\"\"" },
        { "NameWithABracket", withStep("{ \"create\": \"b[1]\", \"device\": \"dev\", \"size\": 1 }"),
            "t.jsonc:9:17: 'b[1]': names may not contain '[' (it selects an allocation: \"tex[1]\")", "\"b[1]\"" },
        { "UnknownPagingQueue", withStep("{ \"reclaim\": \"tex\", \"queue\": \"q9\" }"),
            "t.jsonc:9:34: unknown paging queue 'q9'", "\"q9\"" },
        { "AnAllocationWhereResourcesAreWanted",
            withStep("{ \"offer\": [ \"tex[0]\" ], \"by\": \"resources\", \"priority\": \"LOW\" }"),
            "t.jsonc:9:18: 'tex[0]' is an allocation; this array takes resources (\"tex\")", "\"tex[0]\"" },
        { "DestroyAnAllocation", withStep("{ \"destroy\": \"tex[0]\" }"),
            "t.jsonc:9:18: destroy takes a resource name, not an allocation ('tex[0]')", "\"tex[0]\"" },

        // ---- the adapter ----------------------------------------------------------------------
        { "AdapterWithoutSegments", withAdapter("{ \"name\": \"GPU\" }"),
            "t.jsonc:2:14: an adapter needs a non-empty \"segments\" list", "{ \"name\"" },
        { "AdapterWithAnEmptySegmentList", withAdapter("{ \"segments\": [] }"),
            "t.jsonc:2:28: an adapter needs a non-empty \"segments\" list", "[]" },
        { "AdapterWith33Segments", withAdapter(manySegments(33)), "t.jsonc:2:28: an adapter has at most 32 segments",
            "[ { \"name\": \"S0\"" },
        { "SegmentOfSize0", withAdapter("{ \"segments\": [ { \"name\": \"VRAM\", \"size\": 0 } ] }"),
            "t.jsonc:2:56: a segment's size must be greater than 0", "0 }" },
        { "SegmentWithAnEmptyName", withAdapter("{ \"segments\": [ { \"name\": \"\", \"size\": 4096 } ] }"),
            "t.jsonc:2:40: a segment's name must not be empty", "\"\", \"size\"" },
        { "SegmentLargerThan1PiB", withAdapter("{ \"segments\": [ { \"name\": \"VRAM\", \"size\": 2251799813685248 } ] }"),
            "t.jsonc:2:56: a segment is at most 1024 TiB in the simulator, not 2048 TiB", "2251799813685248" },
        { "TwoSegmentsWithOneName",
            withAdapter(
                "{ \"segments\": [ { \"name\": \"VRAM\", \"size\": 4096 }, { \"name\": \"VRAM\", \"size\": 4096 } ] }"),
            "t.jsonc:2:14: two segments are named 'VRAM'", "{ \"segments\"" },

        // ---- create ---------------------------------------------------------------------------
        { "CreateWithoutDevice", withStep("{ \"create\": \"b\", \"size\": 1 }"),
            "t.jsonc:9:5: create needs a \"device\"", "{ \"create\"" },
        { "CreateWithoutSize", withStep("{ \"create\": \"b\", \"device\": \"dev\" }"),
            "t.jsonc:9:5: create needs a \"size\"", "{ \"create\"" },
        { "AllocationOfSize0", withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": 0 }"),
            "t.jsonc:9:47: an allocation's size must be greater than 0", "0 }" },
        { "ResourceWith0Allocations",
            withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": 1, \"allocations\": 0 }"),
            "t.jsonc:9:65: a resource has at least one allocation", "0 }" },
        { "ResourceWith1025Allocations",
            withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": 1, \"allocations\": 1025 }"),
            "t.jsonc:9:65: expected a whole number from 0 to 1024", "1025" },
        { "AllocationCountThatIsNotWhole",
            withStep("{ \"create\": \"b\", \"device\": \"dev\", \"size\": 1, \"allocations\": 1.5 }"),
            "t.jsonc:9:65: expected a whole number from 0 to 1024", "1.5" },

        // ---- values of steps ------------------------------------------------------------------
        { "NotADuration", withStep("{ \"advance\": \"soon\" }"),
            "t.jsonc:9:18: 'soon' is not a duration (use microseconds or \"500us\", \"2ms\", \"1s\")", "\"soon\"" },
        { "DurationInHours", withStep("{ \"gpu\": \"tex\", \"duration\": \"2h\" }"),
            "t.jsonc:9:33: '2h' is not a duration (use microseconds or \"500us\", \"2ms\", \"1s\")", "\"2h\"" },
        { "UnknownHandleArray", withStep("{ \"offer\": \"tex\", \"priority\": \"LOW\", \"by\": \"handles\" }"),
            "t.jsonc:9:48: \"by\" is allocations (HandleList), resources (pResources), both or neither",
            "\"handles\"" },
        { "ReclaimVersion0", withStep("{ \"reclaim\": \"tex\", \"version\": 0 }"),
            "t.jsonc:9:36: version is 1 (D3DKMTReclaimAllocations) or 2 (D3DKMTReclaimAllocations2)", "0 }" },
        { "ReclaimVersion3", withStep("{ \"reclaim\": \"tex\", \"version\": 3 }"),
            "t.jsonc:9:36: expected a whole number from 0 to 2", "3 }" },
        { "UnknownOfferFlag", withStep("{ \"offer\": \"tex\", \"priority\": \"LOW\", \"flags\": [ \"Quickly\" ] }"),
            "t.jsonc:9:53: unknown flag 'Quickly' (known: OfferImmediately, AllowDecommit)", "\"Quickly\"" },
        { "UnknownEvictFlag", withStep("{ \"evict\": \"tex\", \"flags\": [ \"NotWrittenTo\", \"Soon\" ] }"),
            "t.jsonc:9:50: unknown flag 'Soon' (known: EvictOnlyIfNecessary, NotWrittenTo)", "\"Soon\"" },
        { "PressureOf0Bytes", withStep("{ \"pressure\": \"App\", \"size\": 0 }"),
            "t.jsonc:9:34: pressure of 0 bytes does nothing; give a size", "0 }" },

        // ---- policy ---------------------------------------------------------------------------
        { "UnknownWithinPriorityOrder", withStep("{ \"policy\": { \"withinPriorityOrder\": \"random\" } }"),
            "t.jsonc:9:42: withinPriorityOrder must be oldest-first, largest-first or smallest-first", "\"random\"" },
        { "PagingSpeedOf0", withStep("{ \"policy\": { \"pagingBytesPerMicrosecond\": 0 } }"),
            "t.jsonc:9:48: must be greater than 0", "0 }" },
        { "PagingSpeedOf0AtTheTop",
            "{\n  \"policy\": { \"pagingBytesPerMicrosecond\": 0 },\n"
            "  \"processes\": [ { \"name\": \"App\" } ],\n  \"steps\": []\n}\n",
            "t.jsonc:2:44: must be greater than 0", "0 }" },
    };
}

class ScenarioErrors : public testing::TestWithParam<Row> { };

} // namespace

TEST_P(ScenarioErrors, SayWhereAndWhat)
{
    const Row& row = GetParam();
    const offerscope::Result<Scenario> parsed = parseScenario(row.text, "t.jsonc");
    ASSERT_FALSE(parsed) << "parsed but should not have:\n" << row.text;
    EXPECT_EQ(parsed.status(), offerscope::NtStatus::DataError) << row.text;
    EXPECT_EQ(parsed.message(), row.error) << row.text;

    // The position points at the part that is wrong (or at the object a part is missing from).
    unsigned line = 0, column = 0;
    ASSERT_EQ(std::sscanf(row.error.c_str(), "t.jsonc:%u:%u:", &line, &column), 2) << row.error;
    std::size_t start = 0;
    for (unsigned l = 1; l < line; ++l)
        start = row.text.find('\n', start) + 1;
    EXPECT_EQ(row.text.substr(start + column - 1, row.at.size()), row.at) << row.error;
}

INSTANTIATE_TEST_SUITE_P(Table, ScenarioErrors, testing::ValuesIn(rows()),
    [](const testing::TestParamInfo<Row>& row) { return row.param.name; });

// The texts the rows start from are valid, so each row's error comes from its one bad part.
TEST(ScenarioErrorsTable, TheBaseScenariosAreValid)
{
    const offerscope::Result<Scenario> say = parseScenario(withStep("{ \"say\": \"x\" }"), "t.jsonc");
    EXPECT_TRUE(say) << say.message();
    const offerscope::Result<Scenario> vram
        = parseScenario(withAdapter("{ \"segments\": [ { \"name\": \"VRAM\", \"size\": 4096 } ] }"), "t.jsonc");
    EXPECT_TRUE(vram) << vram.message();
    const offerscope::Result<Scenario> many = parseScenario(withAdapter(manySegments(32)), "t.jsonc");
    EXPECT_TRUE(many) << many.message();
    EXPECT_EQ(many.value().adapter.segments.size(), 32u);
}

// Reading the file (core/TextFile.cpp): the path and what went wrong, no line or column.
TEST(ScenarioFiles, AFileThatCannotBeOpenedIsNamed)
{
    const offerscope::Result<Scenario> read = readScenario("/nonexistent/dir/t.jsonc");
    EXPECT_FALSE(read);
    EXPECT_EQ(read.status(), offerscope::NtStatus::ObjectNameNotFound);
    EXPECT_EQ(read.message(), "/nonexistent/dir/t.jsonc: cannot open the scenario file");
}

TEST(ScenarioFiles, AFolderIsAReadError)
{
    const std::string folder = std::string(OFFERSCOPE_SOURCE_DIR) + "/resources/lessons";
    ASSERT_TRUE(std::filesystem::is_directory(folder));
    const offerscope::Result<Scenario> read = readScenario(folder);
    EXPECT_FALSE(read);
    EXPECT_EQ(read.status(), offerscope::NtStatus::Unsuccessful);
    EXPECT_EQ(read.message(), folder + ": read error");
}
