// Turns the core's MessageReport into tree items, expert info and the Info
// column. No SIP knowledge here: every judgement comes from the core.
#pragma once

#include <epan/packet.h>

#include "capture_tracker.h"
#include "first_fragment.h"
#include "reassembled_datagrams.h"

namespace sipresp::plugin {

// Where a SIP message is: a data source of the frame (the frame itself, or
// a reassembled, decrypted or unmasked buffer) and its range in it.
struct MessageSpan {
    tvbuff_t* tvb;
    int start;
    int length;
};

// Before the first message of each frame dissected.
void start_frame();


// Why a message's bytes end before the message did, when they do: the
// capture kept only part of the frame (a snapshot length), or the frame is
// the first IP fragment of a datagram Wireshark did not reassemble; or,
// over TCP, the segment ended and the stream goes on with the rest, which
// is no fault of anyone's (render_first_segment).
enum class MessageCut : unsigned char { none, by_snapshot_length, by_ip_fragmentation, by_segment_end };

// Whether the capture cut the bytes (MessagePosition::cut_by_capture).
inline bool cut_by_capture(MessageCut cut) {
    return cut == MessageCut::by_snapshot_length || cut == MessageCut::by_ip_fragmentation;
}

// The span anchors every highlighted byte range. May longjmp (Wireshark
// exceptions): it owns nothing with a destructor.
void render_report(const MessageReport& report, const MessageSpan& message, MessageCut cut, packet_info* pinfo,
                   proto_tree* tree);

// The start of a SIP message (`bytes`, at `message`) that goes on past
// the end of its TCP segment, or its TLS record when `over_tls`: not
// analysed here, and not unreadable, as the message is whole where its
// stream's next bytes complete it. Says which message it is; `whole_in`,
// when known, is the TCP segment Wireshark shows no SIP in where sipresp
// read it whole (0 none). `reassembly_off`: the name of a Wireshark
// preference that is off, so that no frame holds the message whole: then
// it is unreadable. May longjmp, as render_report.
void render_first_segment(std::string_view bytes, const MessageSpan& message, std::uint32_t whole_in,
                          const char* reassembly_off, bool over_tls, packet_info* pinfo, proto_tree* tree);

// A frame Wireshark shows as "Fragmented IP protocol": the first IP
// fragment of a UDP datagram whose reassembly it holds back, carrying the
// start of a SIP message (first_fragment.h). Says which message, and where
// it is analysed: in frame `completed_in` once known to be reassembled;
// once known never to be, that its other fragments are not in the capture.
// May longjmp, as render_report.
void render_first_fragment(const FirstFragmentMessage& message, ReassembledDatagrams::Fate fate,
                           std::uint32_t completed_in, tvbuff_t* frame, packet_info* pinfo, proto_tree* tree);

}  // namespace sipresp::plugin
