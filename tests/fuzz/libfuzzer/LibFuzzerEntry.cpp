// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer's entry point for one target; OFFERSCOPE_FUZZ_ENTRY names the function (tests/fuzz/CMakeLists.txt).
#include "../FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return offerscope::fuzz::OFFERSCOPE_FUZZ_ENTRY(data, size);
}
