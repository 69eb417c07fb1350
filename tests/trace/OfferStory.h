// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test-only: a small recording of a game offering three textures (two LOW, one NORMAL) under a
// 384 MiB budget, a browser allocating 256 MiB, VidMm discarding the oldest LOW texture, and two
// reclaims (DISCARDED, then OK), as the DxgKrnl provider would log them.

#include "tests/trace/RecordingScript.h"

namespace offerscope::trace::testing {

/// The recorded handles of the game's three textures.
inline constexpr std::uint64_t kStoryTextures[3] = { 0xFFFFB00000001000, 0xFFFFB00000002000, 0xFFFFB00000003000 };

inline RecordingScript offerStory()
{
    constexpr std::uint64_t kMiB = 1024 * 1024;
    RecordingScript s(8, 8192);
    const std::uint32_t game = 1234, browser = 5678;
    const std::uint64_t adapter = 0xFFFFA00000010000, gameDevice = 0xFFFFA00000020000,
                        browserDevice = 0xFFFFA00000030000;
    std::uint64_t t = 0;
    const auto at = [&t](std::uint64_t ms) { return t += ms * 10'000; };
    s.add(491, 0, { 0xFFFFA00000100000, game, 0, 0 }, at(1), game);
    s.add(491, 0, { 0xFFFFA00000200000, browser, 0, 0 }, at(0), browser);
    s.add(78, 1, { 1, adapter, 0, 0, 512 * kMiB, 1, 0, 512 * kMiB, 0, 0 }, at(1), 4);
    s.add(78, 1, { 2, adapter, 0, 0, 1024 * kMiB, 1, 0, 1024 * kMiB, 0, 1 }, at(0), 4);
    s.add(366, 0, { 384 * kMiB, 0, adapter, game, 0, 2, 2, 1, 1, 0 }, at(1), game);
    const std::uint64_t* textures = kStoryTextures;
    for (std::size_t i = 0; i < 3; ++i)
        s.addAllocation(game, gameDevice, 64 * kMiB, 1, textures[i], at(2), adapter);
    s.add(367, 0, { 192 * kMiB, 0, adapter, game, 0, 0 }, at(1), game);
    const std::uint64_t priorities[3] = { 1, 1, 2 };
    for (std::size_t i = 0; i < 3; ++i) {
        s.add(186, 0, { textures[i], priorities[i] }, at(5), game);
        s.add(187, 0, { textures[i] }, at(0), game);
        s.add(189, 0, { textures[i], 2, priorities[i] }, at(0), game);
        s.add(188, 0, { textures[i] }, at(0), game);
    }
    s.addAllocation(browser, browserDevice, 256 * kMiB, 1, 0xFFFFB00000009000, at(10), adapter);
    s.add(367, 0, { 256 * kMiB, 0, adapter, browser, 0, 0 }, at(0), browser);
    s.add(191, 0, { textures[0] }, at(1), 4);
    s.add(189, 0, { textures[0], 3, 1 }, at(0), 4);
    s.add(190, 0, { textures[0], 1, 3 }, at(20), game);
    s.add(190, 0, { textures[2], 2, 2 }, at(1), game);
    s.add(104, 0, { 0x15 }, at(1), game);
    return s;
}

} // namespace offerscope::trace::testing
