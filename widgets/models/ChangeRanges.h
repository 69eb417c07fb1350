// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace offerscope::models {

/// Groups changed rows into the ranges a model signals with dataChanged. One signal per range costs
/// a proxy and a view a fixed overhead each; one signal over a span costs them every row in it. So
/// rows closer than a gap share a range, the gap doubling (from 16 rows) until at most `maxRanges`
/// ranges are left: a few thousand scattered changes among 100,000 rows make a few hundred signals,
/// not a pass over every row.
///
/// `rowAt(i)` is the row number of the i-th change, ascending in i; `range(first, end)` is called
/// once per range with the changes [first, end) it covers, in order.
template <class RowAt, class Range>
void forEachChangedRange(std::size_t count, RowAt rowAt, Range range, std::size_t maxRanges = 256)
{
    if (count == 0)
        return;
    long gap = 16;
    for (;;) {
        std::size_t ranges = 1;
        for (std::size_t i = 1; i < count; ++i)
            ranges += static_cast<long>(rowAt(i)) - static_cast<long>(rowAt(i - 1)) - 1 > gap ? 1 : 0;
        if (ranges <= maxRanges)
            break;
        gap *= 2;
    }
    for (std::size_t first = 0; first < count;) {
        std::size_t end = first + 1;
        while (end < count && static_cast<long>(rowAt(end)) - static_cast<long>(rowAt(end - 1)) - 1 <= gap)
            ++end;
        range(first, end);
        first = end;
    }
}

} // namespace offerscope::models
