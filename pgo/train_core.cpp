// The training run of the profile-guided build (pgo/CMakeLists.txt): hands
// every frame of the given captures to the core much as plugin/plugin.cpp
// does inside tshark, so that GCC learns which paths a real capture takes.
//   sipresp_train_core FILE.pcap...
// Per file, a fresh tracker sees every frame twice: a first pass and a
// later one (tshark -2, the GUI), as Wireshark dissects them
// (tools/capture_feed.h says how a frame reaches the core).
//
// Only classic pcap files with Ethernet frames are read (pcaps/ holds them;
// a pcapng file is skipped with a note). Nothing it prints is a result.
#include <cstdint>
#include <cstdio>

#include "capture_feed.h"
#include "capture_tracker.h"
#include "classic_pcap.h"

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        sipresp::tools::ClassicPcap capture;
        // (the reader has said why it could not read a file; only the link type is said here)
        if (!sipresp::tools::read_classic_pcap(argv[i], capture)) continue;
        if (capture.link_type != 1) {
            std::printf("%s: skipped (not a capture of Ethernet frames)\n", argv[i]);
            continue;
        }
        sipresp::CaptureTracker tracker;
        const auto ignore = [](std::uint32_t, std::uint32_t, const sipresp::MessageReport&) {};
        const std::size_t first = sipresp::tools::feed_capture(tracker, capture, true, {}, ignore);
        const std::size_t later = sipresp::tools::feed_capture(tracker, capture, false, {}, ignore);
        std::printf("%s: %zu frames, %zu messages on the first pass, %zu on the second\n", argv[i],
                    capture.records.size(), first, later);
    }
    return 0;
}
