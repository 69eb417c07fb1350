// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-fuzz-seeds SOURCE_DIR OUT_DIR: writes the seed corpus of every fuzz target to
// OUT_DIR/<target>/ (scripts/fuzz.sh runs it before fuzzing).
#include "FuzzTargets.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SOURCE_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    int written = 0;
    for (const offerscope::fuzz::FuzzTarget& target : offerscope::fuzz::fuzzTargets()) {
        const fs::path folder = fs::path(argv[2]) / target.name;
        std::error_code ec;
        fs::create_directories(folder, ec);
        const std::vector<offerscope::fuzz::Seed> seeds = offerscope::fuzz::seedCorpus(target.name, argv[1]);
        if (seeds.empty()) {
            std::fprintf(stderr, "no seeds for %s: is %s the source folder?\n", target.name, argv[1]);
            return 1;
        }
        for (const offerscope::fuzz::Seed& seed : seeds) {
            std::ofstream out(folder / ("seed-" + seed.name), std::ios::binary);
            out.write(seed.bytes.data(), static_cast<std::streamsize>(seed.bytes.size()));
            if (!out) {
                std::fprintf(stderr, "cannot write %s\n", (folder / seed.name).c_str());
                return 1;
            }
            ++written;
        }
        std::printf("%-13s %zu seeds in %s\n", target.name, seeds.size(), folder.c_str());
    }
    return written > 0 ? 0 : 1;
}
