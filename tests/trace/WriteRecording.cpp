// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-write-recording DIR: writes DIR/offer-story.etl and DIR/offer-story.xml, a small
// recording of a game offering textures, a browser's pressure, a discard and two reclaims, as the
// DxgKrnl provider would log them (written by the test writer: there is no public recording). The
// command-line tests import it.
#include "tests/trace/OfferStory.h"

#include <cstdio>
#include <string>

using namespace offerscope::trace;
using offerscope::trace::testing::offerStory;
using offerscope::trace::testing::RecordingScript;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: offerscope-write-recording DIR\n");
        return 2;
    }
    const RecordingScript story = offerStory();
    const std::string dir = argv[1];
    std::FILE* etl = std::fopen((dir + "/offer-story.etl").c_str(), "wb");
    std::FILE* xml = std::fopen((dir + "/offer-story.xml").c_str(), "wb");
    if (etl == nullptr || xml == nullptr) {
        std::fprintf(stderr, "offerscope-write-recording: cannot write in %s\n", dir.c_str());
        return 1;
    }
    const std::vector<std::uint8_t> bytes = story.etl();
    const std::string text = story.xml();
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), etl) == bytes.size()
        && std::fwrite(text.data(), 1, text.size(), xml) == text.size();
    return (std::fclose(etl) == 0 && std::fclose(xml) == 0 && ok) ? 0 : 1;
}
