// The training run of the profile-guided build (pgo/CMakeLists.txt): hands
// every frame of the given captures to the core much as plugin/plugin.cpp
// does inside tshark, so that GCC learns which paths a real capture takes.
//   sipresp_train_core FILE.pcap...
// Per file, a fresh tracker sees every frame twice: a first pass and a
// later one (tshark -2, the GUI), as Wireshark dissects them. Each frame
// goes to locate_messages whole, from its link layer, with the transport
// and ports Wireshark would hint; each message found to the tracker. Unlike
// the plugin it sees no reassembled, decrypted or unmasked buffer, and
// hands over every frame, not only those the SIP dissector decoded.
//
// Only classic pcap files with Ethernet frames are read (pcaps/ holds them;
// a pcapng file is skipped with a note). Nothing it prints is a result.
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "capture_tracker.h"
#include "classic_pcap.h"
#include "message_locator.h"

namespace {

std::uint16_t read16_network(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// The transport and ports Wireshark would put in pinfo for this frame:
// Ethernet (one optional 802.1Q tag), IPv4 or IPv6 without extension
// headers, then UDP, TCP or SCTP. Anything else is hinted as `other`.
sipresp::TransportHint hint_for(std::string_view frame) {
    sipresp::TransportHint hint;
    hint.whole_frame = true;
    const auto* b = reinterpret_cast<const unsigned char*>(frame.data());
    std::size_t at = 12;
    if (frame.size() < at + 2) return hint;
    std::uint16_t type = read16_network(b + at);
    if (type == 0x8100 && frame.size() >= at + 6) {
        at += 4;
        type = read16_network(b + at);
    }
    at += 2;
    unsigned protocol = 0;
    if (type == 0x0800 && frame.size() >= at + 20) {
        protocol = b[at + 9];
        at += std::size_t(b[at] & 0x0f) * 4;
    } else if (type == 0x86dd && frame.size() >= at + 40) {
        protocol = b[at + 6];
        at += 40;
    } else {
        return hint;
    }
    if (frame.size() < at + 4) return hint;
    using Kind = sipresp::TransportHint::Kind;
    hint.kind = protocol == 17 ? Kind::udp : protocol == 6 ? Kind::tcp : protocol == 132 ? Kind::sctp : Kind::other;
    if (hint.kind != Kind::other) {
        hint.src_port = read16_network(b + at);
        hint.dst_port = read16_network(b + at + 2);
    }
    return hint;
}

// One pass over a capture, as dissect_sipresp drives the core for a frame.
std::size_t pass(sipresp::CaptureTracker& tracker, const sipresp::tools::ClassicPcap& capture, bool first_pass) {
    constexpr std::size_t kMax = 64;
    sipresp::LocatedMessage located[kMax];
    std::uint32_t digests[kMax];
    std::size_t messages = 0;
    std::uint32_t number = 0;
    for (const sipresp::tools::PcapRecord& frame : capture.records) {
        ++number;
        const std::size_t count = sipresp::locate_messages(frame.bytes, hint_for(frame.bytes), located, kMax);
        for (std::size_t i = 0; i < count; ++i) {
            const std::string_view message = frame.bytes.substr(located[i].offset, located[i].length);
            std::uint32_t index = 0;
            if (count > 1) {
                digests[i] = sipresp::message_digest(message);
                index = sipresp::index_in_frame(digests, i);
            }
            tracker.observe({number, index, frame.time_ns, first_pass}, message);
            ++messages;
        }
    }
    return messages;
}

}  // namespace

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
        const std::size_t first = pass(tracker, capture, true);
        const std::size_t later = pass(tracker, capture, false);
        std::printf("%s: %zu frames, %zu messages on the first pass, %zu on the second\n", argv[i],
                    capture.records.size(), first, later);
    }
    return 0;
}
