// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Scenario texts for the parser tests: a small valid scenario with one part under test spliced in at a
// known place, so that an error's line and column can be asserted exactly.

#include <string>

namespace offerscope::test {

/// A valid scenario with one extra step spliced in at line 9 (column 5 is where a step starts); line 2
/// holds the adapter, line 4 the process (`extraProcessFields` are added to it).
inline std::string withStep(const std::string& step, const std::string& extraProcessFields = "")
{
    return "{\n"
           "  \"adapter\": { \"segments\": [ { \"name\": \"VRAM\", \"size\": \"1GiB\" } ] },\n"
           "  \"processes\": [\n"
           "    { \"name\": \"App\", \"devices\": [ \"dev\" ]"
        + extraProcessFields
        + " }\n"
          "  ],\n"
          "  \"steps\": [\n"
          "    { \"create\": \"tex\", \"device\": \"dev\", \"size\": \"64MiB\" },\n"
          "    // the step under test\n"
          "    "
        + step
        + "\n"
          "  ]\n"
          "}\n";
}

} // namespace offerscope::test
