// SPDX-License-Identifier: GPL-3.0-or-later
// offerscope-write-recording DIR [SCENARIO...]: writes DIR/offer-story.etl and DIR/offer-story.xml, a
// small recording of a game offering textures, a browser's pressure, a discard and two reclaims, as the
// DxgKrnl provider would log them (written by the test writer: there is no public recording). The
// command-line tests import it. Each SCENARIO (a lesson) is run on the simulator and written as
// DIR/<its name>.etl: a recording the model agrees with, to try the window's recording views on.
#include "core/scenario/ScenarioParser.h"
#include "tests/trace/OfferStory.h"
#include "tests/trace/ScenarioRecording.h"

#include <cstdio>
#include <string>

using namespace offerscope::trace;
using offerscope::trace::testing::offerStory;
using offerscope::trace::testing::RecordingScript;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: offerscope-write-recording DIR [SCENARIO...]\n");
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
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), etl) == bytes.size()
        && std::fwrite(text.data(), 1, text.size(), xml) == text.size();
    ok = std::fclose(etl) == 0 && ok;
    ok = std::fclose(xml) == 0 && ok;
    for (int i = 2; i < argc; ++i) {
        offerscope::Result<offerscope::scenario::Scenario> scenario = offerscope::scenario::readScenario(argv[i]);
        if (!scenario) {
            std::fprintf(stderr, "offerscope-write-recording: %s\n", scenario.message().c_str());
            return 1;
        }
        std::string name = argv[i];
        name = name.substr(name.find_last_of('/') + 1);
        name = name.substr(0, name.find('.'));
        const std::vector<std::uint8_t> recorded = offerscope::trace::testing::recordScenario(scenario.take()).etl();
        std::FILE* out = std::fopen((dir + "/" + name + ".etl").c_str(), "wb");
        if (out == nullptr) {
            std::fprintf(stderr, "offerscope-write-recording: cannot write %s/%s.etl\n", dir.c_str(), name.c_str());
            return 1;
        }
        ok = std::fwrite(recorded.data(), 1, recorded.size(), out) == recorded.size() && ok;
        ok = std::fclose(out) == 0 && ok;
    }
    return ok ? 0 : 1;
}
