// Hands a classic pcap's frames to the core much as plugin/plugin.cpp does
// inside tshark, for the programs and tests that drive the core outside
// Wireshark (pgo/train_core.cpp, tests/unit/test_missing_messages.cpp).
// Each frame goes to locate_messages whole, from its link layer, with the
// transport and ports Wireshark would hint; each message found to the
// tracker. Unlike the plugin it sees no reassembled, decrypted or unmasked
// buffer, and hands over every frame, not only those the SIP dissector
// decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "capture_tracker.h"
#include "classic_pcap.h"
#include "message_locator.h"

namespace sipresp::tools {

inline std::uint16_t read16_network(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// The transport and ports Wireshark would put in pinfo for this frame:
// Ethernet (one optional 802.1Q tag), IPv4 or IPv6 without extension
// headers, then UDP, TCP or SCTP. Anything else is hinted as `other`.
inline TransportHint hint_for(std::string_view frame) {
    TransportHint hint;
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
    using Kind = TransportHint::Kind;
    hint.kind = protocol == 17 ? Kind::udp : protocol == 6 ? Kind::tcp : protocol == 132 ? Kind::sctp : Kind::other;
    if (hint.kind != Kind::other) {
        hint.src_port = read16_network(b + at);
        hint.dst_port = read16_network(b + at + 2);
    }
    return hint;
}

// What a capture may do to its frames that the core must take in its
// stride: miss one, or hold one twice (a mirror port, two interfaces).
// Frames are numbered as in the file, from 1.
struct CaptureEdit {
    std::uint32_t left_out = 0;  // this frame is not handed over (0: none)
    std::uint32_t doubled = 0;   // this frame comes twice, the copy 10 us later (0: none)
};

// One pass over a capture, as dissect_sipresp drives the core for a frame;
// `on_report(frame number in the file, frame number handed over, report)`
// after each message. A left-out frame leaves a gap in the numbers; a
// doubled frame's copy takes the next number and the frames after it one
// more each, as in a file that holds it twice. Returns how many messages.
template <typename OnReport>
std::size_t feed_capture(CaptureTracker& tracker, const ClassicPcap& capture, bool first_pass, CaptureEdit edit,
                         OnReport on_report) {
    constexpr std::size_t kMax = 64;
    LocatedMessage located[kMax];
    std::uint32_t digests[kMax];
    std::size_t messages = 0;
    std::uint32_t number = 0, copies = 0;
    for (const PcapRecord& frame : capture.records) {
        if (++number == edit.left_out) continue;
        for (int copy = 0; copy < (number == edit.doubled ? 2 : 1); ++copy) {
            copies += copy;
            const std::uint32_t handed = number + copies;
            const std::size_t count = locate_messages(frame.bytes, hint_for(frame.bytes), located, kMax);
            for (std::size_t i = 0; i < count; ++i) {
                const std::string_view message = frame.bytes.substr(located[i].offset, located[i].length);
                std::uint32_t index = 0;
                if (count > 1) {
                    digests[i] = message_digest(message);
                    index = index_in_frame(digests, i);
                }
                // (no IP reassembly here: a first fragment's message is cut where its frame ends)
                const MessagePosition where{handed, index, frame.time_ns + copy * 10'000, first_pass,
                                            0,      0,     located[i].in_fragments};
                on_report(number, handed, tracker.observe(where, message));
                ++messages;
            }
        }
    }
    return messages;
}

}  // namespace sipresp::tools
