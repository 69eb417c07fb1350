// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Expectations on a Status: its code and its words together, printed whole when they fail.
//   EXPECT_EQ(sim.evict(args), failsWith(NtStatus::InvalidParameter, "D3DKMTEvict: NumAllocations is 0"));
//   EXPECT_EQ(sim.offerAllocations(args), failsMentioning(NtStatus::InvalidParameter, "HandleList[2]"));

#include "core/Result.h"

#include <ostream>
#include <string>

namespace offerscope {

struct StatusIs {
    NtStatus code = NtStatus::Success;
    std::string words;
    bool whole = true; ///< the message is `words`; otherwise it contains them
};

inline StatusIs failsWith(NtStatus code, std::string message)
{
    return { code, std::move(message), true };
}
inline StatusIs failsMentioning(NtStatus code, std::string fragment)
{
    return { code, std::move(fragment), false };
}

inline bool operator==(const Status& status, const StatusIs& expected)
{
    return status.code() == expected.code
        && (expected.whole ? status.message() == expected.words
                           : status.message().find(expected.words) != std::string::npos);
}

inline std::ostream& operator<<(std::ostream& out, const StatusIs& expected)
{
    return out << ntStatusName(expected.code) << (expected.whole ? ": " : ": ...") << expected.words
               << (expected.whole ? "" : "...");
}

} // namespace offerscope
