// Registration of the "SIP Response Analysis" postdissector and its per-frame
// entry point: find each SIP message in the frame, hand its bytes to the
// core's CaptureTracker, render the report.
#include <algorithm>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/prefs-int.h>  // prefs_get_bool_value
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "awaiting_rests.h"
#include "capture_time.h"
#include "capture_tracker.h"
#include "key_hash.h"
#include "message_locator.h"
#include "reassembled_datagrams.h"
#include "split_messages.h"
#include "tcp_payload.h"
#include "tcp_streams.h"
#include "fields.h"
#include "render.h"
#include "stats.h"
#include "wireshark_compat.h"

// Exported symbols Wireshark looks up. `extern "C"` without braces, so each
// has external linkage (a namespace-scope const would otherwise be internal).
extern "C" WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPRESP_VERSION;
extern "C" WS_DLL_PUBLIC_DEF const int plugin_want_major = SIPRESP_WIRESHARK_MAJOR;
extern "C" WS_DLL_PUBLIC_DEF const int plugin_want_minor = SIPRESP_WIRESHARK_MINOR;
extern "C" WS_DLL_PUBLIC_DEF void plugin_register(void);
#if SIPRESP_HAS_PLUGIN_DESCRIBE
extern "C" WS_DLL_PUBLIC_DEF uint32_t plugin_describe(void);
uint32_t plugin_describe(void) { return SIPRESP_PLUGIN_DESCRIPTION; }
#endif

namespace sipresp::plugin {

Fields hf;
Subtrees ett;
expert_field ei_rule[static_cast<int>(RuleId::count_)];
expert_field ei_unreadable = EI_INIT;
Preferences prefs;

namespace {

int proto_sip = -1;
int proto_icmp = -1;
int proto_tls = -1;
int proto_icmpv6 = -1;
int proto_websocket = -1;
int proto_data = -1;
int proto_ip = -1;
int proto_ipv6_fragment = -1;
dissector_handle_t sipresp_handle;
PrefBool pref_info_summary = TRUE;
PrefBool pref_track_calls = TRUE;
int expert_tap = -1;
guint pref_max_redirects = 5;
PrefBool pref_rule_on[static_cast<int>(RuleId::count_)];
CaptureTracker tracker;
ReassembledDatagrams datagrams;
TcpStreams tcp_streams;
SplitMessages split_messages;
AwaitingRests awaiting_rests;
// Frames whose last message goes on past their TCP segment, and which
// sipresp read whole only in a later hidden segment (learn_joined): the
// frame of its start, then that segment's.
// Few: a lossy TCP capture has some; the list stops growing at its limit.
std::vector<std::pair<std::uint32_t, std::uint32_t>> rests_elsewhere;
constexpr std::size_t kMaxRestsElsewhere = 4096;

// (sorted by the start's frame: a hostile capture may fill it, and every
// message not whole looks in it)
std::uint32_t rest_of_message_in(std::uint32_t frame) {
    const auto at = std::lower_bound(rests_elsewhere.begin(), rests_elsewhere.end(), std::make_pair(frame, 0u));
    return at != rests_elsewhere.end() && at->first == frame ? at->second : 0;
}

// Wireshark's preferences that put a SIP message TCP carried in several
// segments together, or TLS in several records (found at handoff; null
// when a version lacks one)
pref_t* pref_tcp_desegment = nullptr;
pref_t* pref_tls_desegment = nullptr;
pref_t* pref_sip_desegment_headers = nullptr;
pref_t* pref_sip_desegment_body = nullptr;

// For the start of a message going on past its segment or TLS record
// (`bytes`), the name of the first of those it needs that is off, nullptr
// when none is: then no frame ever holds the message whole. Every one
// needs its carrier's, TCP's or TLS's (TLS puts its records' data together
// itself, TCP's preference or not), and the headers' (without the latter
// Wireshark 4.0 to 4.6 put no body together either); one cut in its body,
// the body's too.
const char* reassembly_off(std::string_view bytes, bool over_tls) {
    const bool header_section_closed =
        bytes.find("\r\n\r\n") != std::string_view::npos || bytes.find("\n\n") != std::string_view::npos;
    const std::pair<pref_t*, const char*> prefs_used[] = {
        over_tls ? std::make_pair(pref_tls_desegment, "tls.desegment_ssl_application_data")
                 : std::make_pair(pref_tcp_desegment, "tcp.desegment_tcp_streams"),
        {pref_sip_desegment_headers, "sip.desegment_headers"},
        {header_section_closed ? pref_sip_desegment_body : nullptr, "sip.desegment_body"}};
    for (const auto& [pref, name] : prefs_used)
        if (pref && !prefs_get_bool_value(pref, pref_current)) return name;
    return nullptr;
}

// At most this many SIP messages per frame are analysed (a TCP segment full
// of tiny messages must not make one frame unbounded).
constexpr guint kMaxMessagesPerFrame = 64;

void reset_tracker() {
    tracker.reset();
    datagrams.reset();
    tcp_streams = TcpStreams();
    split_messages = SplitMessages();
    awaiting_rests = AwaitingRests();
    rests_elsewhere.clear();
}

struct FoundMessage {
    MessageSpan span;
    const guint8* bytes;
    MessageCut cut;
    // the TCP sequence number of its first byte, when known (see
    // MessagePosition::tcp_seq); plain fields, not an optional, so that the
    // array of them every frame keeps on its stack needs no constructing
    bool has_tcp_seq;
    std::uint32_t tcp_seq;
    // at a place of its stream a message was given to the tracker at
    // before: TCP sent the segment again (note_tcp_messages; first pass)
    bool tcp_place_repeated;
};
static_assert(std::is_trivially_default_constructible_v<FoundMessage>);

// Whether the capture kept fewer bytes of this frame than it had (a
// snapshot length). Read from the frame's record, not asked of a tvb: this
// runs for every frame.
bool frame_cut_short(const packet_info* pinfo) { return pinfo->fd->cap_len < pinfo->fd->pkt_len; }

// Whether a message ending at byte `end` of `source` ends where the capture
// stopped keeping the frame. Only the frame itself is cut so: Wireshark
// neither reassembles nor decrypts what a snapshot length cut.
bool ends_where_capture_stopped(const packet_info* pinfo, tvbuff_t* frame, tvbuff_t* source, guint end) {
    return source == frame && frame_cut_short(pinfo) && end == pinfo->fd->cap_len;
}

MessageCut cut_of(const packet_info* pinfo, tvbuff_t* frame, tvbuff_t* source, guint end, bool in_fragments) {
    if (ends_where_capture_stopped(pinfo, frame, source, end)) return MessageCut::by_snapshot_length;
    return in_fragments ? MessageCut::by_ip_fragmentation : MessageCut::none;
}

// Whether the frame's SIP came over TLS: TCP then carries only encrypted
// records, and SIP is in their decrypted data.
bool over_tls(const packet_info* pinfo) {
    return wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_tls)) != nullptr;
}

// Whether the frame's SIP came over WebSocket (RFC 7118): a SIP message
// fills one WebSocket message, and TCP carries WebSocket frames.
bool over_websocket(const packet_info* pinfo) {
    return wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_websocket)) != nullptr;
}

// Where in `text`, a data source of the frame whose bytes from `start` on
// are a TCP segment's payload (the frame itself) or a TLS record's
// plaintext (a decrypted buffer), the first message may begin. Past the
// bytes a buffer Wireshark reassembled in this frame, a data source added
// after this one, ends with (held_by_reassembly): the SIP dissector shows
// them from that buffer, with any message in them; read again from here
// they would show a message twice, or a body line taken for a message.
// Else past the rest of a message they begin with
// (first_message_in_segment), or nowhere (the end of `text`) when where
// that rest ends cannot be told. A frame over
// TLS or WebSocket carries records or frames in its segment, not SIP text.
// `sip_shows_none`: a segment beginning with a line end (keep-alives, or
// a rest that begins so), after which the SIP dissector (4.0 to 4.6) shows
// nothing of it, and without a tree leaves no other trace of that than
// with one: its messages are read as a hidden segment's (nowhere here).
std::size_t first_message_place(std::string_view text, std::size_t start, tvbuff_t* from_source, tvbuff_t* frame,
                                const packet_info* pinfo, bool& sip_shows_none) {
    const std::string_view segment = text.substr(start);
    std::size_t covered = 0;
    // (most frames have no other buffer, and begin with a message; a
    // buffer reassembled from this one's bytes is added after it)
    bool after = false;
    for (GSList* l = pinfo->data_src->next != nullptr ? pinfo->data_src : nullptr; l != nullptr; l = l->next) {
        tvbuff_t* source = get_data_source_tvb(static_cast<const struct data_source*>(l->data));
        if (source == from_source) {
            after = true;
            continue;
        }
        const guint length = after && source ? tvb_captured_length(source) : 0;
        if (length == 0) continue;
        const std::string_view buffer(reinterpret_cast<const char*>(tvb_get_ptr(source, 0, static_cast<gint>(length))),
                                      length);
        covered = std::max(covered, held_by_reassembly(segment, buffer));
    }
    if (covered != 0) return start + covered;
    const bool line_end_first = !segment.empty() && (segment[0] == '\r' || segment[0] == '\n');
    if (!line_end_first && begins_with_start_line(segment)) return start;
    if (from_source == frame) {
        if (over_tls(pinfo) || over_websocket(pinfo)) return start;
        if (line_end_first) {
            sip_shows_none = true;
            return text.size();
        }
    }
    const std::size_t first = first_message_in_segment(segment);
    return first == std::string_view::npos ? text.size() : start + first;
}

// The SIP messages of this frame, found in its data sources (the frame, and
// any reassembled, decrypted or unmasked buffer) by the core's locator, so
// that tshark need not build the SIP tree. If the locator finds none while
// the SIP dissector's items are in the tree (-V, the GUI), those are used.
// Never throws a C++ exception; tvb accesses are bounded by the captured
// length, so they cannot throw either.
guint find_messages(tvbuff_t* frame, packet_info* pinfo, proto_tree* tree, FoundMessage* out, bool& sip_shows_none) {
    guint count = 0;
    TransportHint hint;
    hint.kind = pinfo->ptype == PT_UDP ? TransportHint::Kind::udp
              : pinfo->ptype == PT_TCP ? TransportHint::Kind::tcp
              : pinfo->ptype == PT_SCTP ? TransportHint::Kind::sctp
                                        : TransportHint::Kind::other;
    hint.src_port = static_cast<std::uint16_t>(pinfo->srcport);
    hint.dst_port = static_cast<std::uint16_t>(pinfo->destport);
    LocatedMessage located[kMaxMessagesPerFrame];
    std::optional<TcpPayload> payload;  // of the frame's own TCP segment
    std::string_view frame_text;
    for (GSList* l = pinfo->data_src; l != nullptr && count < kMaxMessagesPerFrame; l = l->next) {
        tvbuff_t* source = get_data_source_tvb(static_cast<const struct data_source*>(l->data));
        const guint length = source ? tvb_captured_length(source) : 0;
        if (length == 0) continue;
        const guint8* bytes = tvb_get_ptr(source, 0, static_cast<gint>(length));
        hint.whole_frame = source == frame;
        hint.cut_short = hint.whole_frame && frame_cut_short(pinfo);
        const std::string_view text(reinterpret_cast<const char*>(bytes), length);
        std::size_t n = locate_messages(text, hint, located, kMaxMessagesPerFrame - count);
        // (a message in the frame's own TCP segment: its place in the stream)
        if (hint.whole_frame && hint.kind == TransportHint::Kind::tcp) {
            payload = tcp_payload(text, hint);
            frame_text = text;
            // (only where messages were found: most frames need no more)
            if (payload && n != 0) {
                const std::size_t from = first_message_place(text, payload->offset, frame, frame, pinfo, sip_shows_none);
                if (from != payload->offset)
                    n = locate_messages(text, hint, located, kMaxMessagesPerFrame - count, from);
            }
        } else if (n != 0 && pinfo->ptype == PT_TCP && over_tls(pinfo) && !over_websocket(pinfo)) {
            // (a TLS record's plaintext may begin inside a message, as a
            // segment does)
            const std::size_t from = first_message_place(text, 0, source, frame, pinfo, sip_shows_none);
            if (from != 0) n = locate_messages(text, hint, located, kMaxMessagesPerFrame - count, from);
        }
        // A buffer Wireshark reassembled that ends with this whole segment
        // (as on the first pass, the only one that reads places, even when
        // a later pass cuts it where a message going on past it begins):
        // its messages' places follow from the segment's.
        std::optional<TcpPayload> buffer_place;
        if (!hint.whole_frame && payload && payload->offset < frame_text.size() &&
            text.ends_with(frame_text.substr(payload->offset)))
            buffer_place = TcpPayload{0, static_cast<std::uint32_t>(payload->seq - (text.size() - (frame_text.size() -
                                                                                                     payload->offset)))};
        for (std::size_t i = 0; i < n; ++i) {
            // A first fragment's message is read from the frame only when
            // Wireshark built no other buffer: the datagram it reassembles
            // is one, and holds the whole message.
            if (located[i].in_fragments && pinfo->data_src->next != nullptr) continue;
            MessageCut cut =
                cut_of(pinfo, frame, source, located[i].offset + located[i].length, located[i].in_fragments);
            // (over WebSocket a SIP message fills one WebSocket message,
            // RFC 7118 5: one running past its end is broken, not cut)
            if (cut == MessageCut::none && located[i].goes_on && pinfo->ptype == PT_TCP && !over_websocket(pinfo))
                cut = MessageCut::by_segment_end;
            out[count++] = {{source, static_cast<int>(located[i].offset), static_cast<int>(located[i].length)},
                            bytes + located[i].offset, cut, false, 0, false};
            if (const std::optional<std::uint32_t> seq =
                    tcp_seq_at(hint.whole_frame ? payload : buffer_place, located[i].offset)) {
                out[count - 1].has_tcp_seq = true;
                out[count - 1].tcp_seq = *seq;
            }
        }
    }
    if (count != 0 || tree == nullptr) return count;
    GPtrArray* items = proto_find_finfo(tree, proto_sip);
    if (!items) return 0;
    for (guint i = 0; i < items->len && count < kMaxMessagesPerFrame; ++i) {
        const field_info* fi = static_cast<field_info*>(g_ptr_array_index(items, i));
        if (!fi || !fi->ds_tvb || fi->start < 0 || fi->length <= 0 ||
            tvb_captured_length_remaining(fi->ds_tvb, fi->start) < fi->length)
            continue;
        const guint8* item = tvb_get_ptr(fi->ds_tvb, fi->start, fi->length);
        // (the rest of a message, "Continuation": TCP's fast retransmission
        // of a segment that began mid-message reaches SIP so. Not read: a
        // tree nobody sees, which has no such items, must say the same)
        if (!begins_with_start_line({reinterpret_cast<const char*>(item), static_cast<std::size_t>(fi->length)}))
            continue;
        const guint end = static_cast<guint>(fi->start + fi->length);
        out[count++] = {{fi->ds_tvb, fi->start, fi->length},
                        item,
                        cut_of(pinfo, frame, fi->ds_tvb, end, false), false, 0, false};
    }
    g_ptr_array_free(items, TRUE);
    return count;
}

// Whether anything sipresp could say about this frame would be seen. Only
// when calls are not tracked may a frame be skipped: tracking must see
// every message for the links and findings of later passes.
bool wanted(proto_tree* tree) {
    return prefs.track_calls || prefs.info_summary || proto_field_is_referenced(tree, hf.proto) ||
           stats_wanted() || (expert_tap >= 0 && have_tap_listener(expert_tap));
}

// Whether the SIP dissector ran on this frame. The same test as
// proto_is_frame_protocol(pinfo->layers, "sip"), by protocol id instead of
// a name compared per layer: this runs for every frame of the capture. One
// library call walks the layers (they hold protocol ids as pointers), where
// stepping through them ourselves cost two calls a layer.
bool frame_has_sip(const packet_info* pinfo) {
    return wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_sip)) != nullptr;
}

// Whether the SIP in this frame is a copy an ICMP error quotes: the
// datagram that could not be delivered, not a message sent again. Fed to
// the tracker, a quoted 200 counted as a retransmission of itself, and a
// call with nothing wrong but an ICMP error broke invite-2xx-not-acked.
bool quoted_by_icmp(const packet_info* pinfo) {
    return wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_icmp)) != nullptr ||
           wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_icmpv6)) != nullptr;
}

// Whether IP handed this frame's payload to no other dissector than data:
// with IP reassembly on, what a first fragment that arrives before the
// rest of its datagram (or without it) gets, "Fragmented IP protocol". Two
// layers looked at (after sipresp's own), for frames without SIP only.
bool held_for_ip_reassembly(const packet_info* pinfo) {
    wmem_list_frame_t* last = wmem_list_tail(pinfo->layers);
    // Wireshark adds a postdissector's own protocol as it calls it
    if (last && GPOINTER_TO_INT(wmem_list_frame_data(last)) == hf.proto) last = wmem_list_frame_prev(last);
    if (!last || GPOINTER_TO_INT(wmem_list_frame_data(last)) != proto_data) return false;
    wmem_list_frame_t* below = wmem_list_frame_prev(last);
    if (!below) return false;
    const int carrier = GPOINTER_TO_INT(wmem_list_frame_data(below));
    return carrier == proto_ip || carrier == proto_ipv6_fragment;
}

// The captured bytes of the frame, from its link layer on.
std::string_view frame_bytes(tvbuff_t* frame) {
    const guint length = tvb_captured_length(frame);
    if (length == 0) return {};
    return {reinterpret_cast<const char*>(tvb_get_ptr(frame, 0, static_cast<gint>(length))), length};
}

// The first fragment's message, if the frame holds one: named, never
// tracked, analysed or counted (the frame that completes the datagram, if
// any, holds it whole). Once the whole capture has been read (a later pass)
// and calls were followed on the first, what became of its datagram is
// known too. Never throws; the tvb access is bounded by the captured length.
void name_first_fragment(tvbuff_t* frame, packet_info* pinfo, proto_tree* tree) {
    FirstFragmentMessage message;
    if (!find_first_fragment_message(frame_bytes(frame), message)) return;
    std::uint32_t completed_in = 0;
    const ReassembledDatagrams::Fate fate = PINFO_FD_VISITED(pinfo) && prefs.track_calls
                                                ? datagrams.fate(message.datagram, completed_in)
                                                : ReassembledDatagrams::Fate::unknown;
    render_first_fragment(message, fate, completed_in, frame, pinfo, tree);
}

// On the first pass, a frame whose SIP Wireshark found in a datagram it
// reassembled from IP fragments: noted as the one that completed it (its
// own bytes hold the IP header of the fragment that did, mostly the last).
void note_reassembled_datagram(tvbuff_t* frame, packet_info* pinfo) {
    if (PINFO_FD_VISITED(pinfo) || pinfo->data_src->next == nullptr) return;
    if (!has_data_source(pinfo, "Reassembled IPv4") && !has_data_source(pinfo, "Reassembled IPv6")) return;
    datagrams.completed(ip_fragment_datagram(frame_bytes(frame)), pinfo->num);
}

// A transport address (network address and port) as the tracker's 32-bit
// fingerprint (MessagePosition::source, destination); 0 when there is none.
// Seeded as the tables' keys are: a capture cannot pick addresses that look
// alike.
std::uint32_t endpoint_fingerprint(const address& where, guint32 port) {
    if (where.len <= 0 || where.data == nullptr) return 0;
    KeyHash h;
    h.add(std::string_view(static_cast<const char*>(where.data), static_cast<std::size_t>(where.len)));
    h.add(std::string_view(reinterpret_cast<const char*>(&port), sizeof port));
    const auto folded = static_cast<std::uint32_t>(h.value() ^ (h.value() >> 32));
    return folded != 0 ? folded : 1;
}

// Where the message `bytes`, the one keyed `index` among its frame's, sits
// for the tracker. `learning`: the first pass of a tracked capture, which
// alone learns which ACK went where; `seq`: its place in its TCP stream.
MessagePosition position_of(const packet_info* pinfo, std::string_view bytes, std::uint32_t index, bool learning,
                            bool cut, std::optional<std::uint32_t> seq, bool place_repeated = false) {
    // the tracker reads a 2xx's sender and an ACK's destination, nothing
    // else: the others are not hashed (a guess from the first bytes; a
    // message it misses is tracked as if its addresses were unknown)
    const std::uint32_t source =
        learning && bytes.starts_with("SIP/2.0 2") ? endpoint_fingerprint(pinfo->src, pinfo->srcport) : 0;
    const std::uint32_t destination =
        learning && bytes.starts_with("ACK ") ? endpoint_fingerprint(pinfo->dst, pinfo->destport) : 0;
    MessagePosition where{pinfo->num,
                          index,
                          capture_time_ns(pinfo->abs_ts.secs, pinfo->abs_ts.nsecs),
                          !PINFO_FD_VISITED(pinfo),
                          source,
                          destination,
                          cut};
    // (TCP sending a response's segment again: only the tracker's first
    // pass, over responses, reads it)
    if (learning && bytes.starts_with("SIP/2.0 ")) where.tcp_seq = seq;
    // (and an ACK's: whether it is TCP's copy of one already given)
    where.tcp_place_repeated = learning && place_repeated;
    return where;
}

// Whether a message is a request (first_segment counts only those).
bool is_request(std::string_view bytes) { return !bytes.starts_with("SIP/2.0 "); }

// On the first pass: the message at place `seq` of its stream (`from`,
// `to`) is whole in this frame. If its start went on past an earlier
// segment, awaiting its rest, it is no longer a message not read, and its
// bytes are held no more. Returns the frame of that start, 0 none. (A
// start met in a segment SIP was not shown in is held, not awaited: no
// later pass shows anything there.)
std::uint32_t note_whole(std::uint32_t from, std::uint32_t to, std::uint32_t seq, const packet_info* pinfo) {
    split_messages.take_start(from, to, seq);
    const std::optional<AwaitingRests::Start> start = awaiting_rests.rest_came(from, to, seq);
    if (!start || start->frame == pinfo->num) return 0;
    if (start->request) tracker.rest_came(start->frame, pinfo->num);
    return start->frame;
}

// A message whose start, in `start_frame`, went on past its segment, read
// whole by sipresp alone in this hidden segment: later passes say so
// there (rest_of_message_in). Never throws.
void note_read_in_hidden_segment(std::uint32_t start_frame, const packet_info* pinfo) {
    if (start_frame == 0 || start_frame == pinfo->num || rests_elsewhere.size() >= kMaxRestsElsewhere ||
        rest_of_message_in(start_frame) != 0)
        return;
    const auto entry = std::make_pair(start_frame, static_cast<std::uint32_t>(pinfo->num));
    try {
        rests_elsewhere.insert(std::lower_bound(rests_elsewhere.begin(), rests_elsewhere.end(), entry), entry);
    } catch (...) {
    }
}

// On the first pass: the start of a message over TCP at place `seq`,
// going on past its segment (`bytes`), is held for a rest that comes in a
// segment Wireshark hands to no dissector (split_messages.h). When
// `may_join` and that rest was held before (segments captured in reverse
// order), the whole is returned in `joined`. Its place is not remembered,
// so that the whole is new to the tracker. Never throws.
bool hold_start(std::string_view bytes, std::uint32_t seq, packet_info* pinfo, std::uint32_t from, std::uint32_t to,
                bool may_join, SplitMessages::Joined& joined) {
    try {
        return split_messages.hold_start(from, to, seq, pinfo->num, bytes, joined, may_join);
    } catch (...) {
        return false;  // (out of memory: the message stays unread, as before)
    }
}

// A message whose two parts were joined: given to the tracker at this
// frame, a hidden segment, to learn from (never shown), with the messages
// after it in the second part that were not given yet.
void learn_joined(const SplitMessages::Joined& joined, packet_info* pinfo, std::uint32_t from, std::uint32_t to) {
    TransportHint hint;
    hint.kind = TransportHint::Kind::tcp;
    const std::string_view text = joined.text;
    LocatedMessage located[kMaxMessagesPerFrame];
    const std::size_t n = locate_messages(text, hint, located, kMaxMessagesPerFrame);
    for (std::size_t i = 0; i < n; ++i) {
        // A message going on past the end is the last of a hidden segment,
        // held by that segment's own reading (learn_from_hidden_segment,
        // now or before), and given when whole.
        if (located[i].goes_on) break;
        const std::string_view bytes = text.substr(located[i].offset, located[i].length);
        const std::uint32_t seq = joined.seq + located[i].offset;
        if (!tcp_streams.first_sight(from, to, seq)) continue;
        // (the start's frame may await this rest; the join took its bytes)
        if (i == 0) note_read_in_hidden_segment(note_whole(from, to, seq, pinfo), pinfo);
        // (keyed by its bytes: the segment's own messages share the frame)
        MessagePosition where = position_of(pinfo, bytes, message_digest(bytes), true, false, seq);
        where.shown = false;
        tracker.observe(where, bytes);
    }
}

// A TCP segment on a connection SIP was seen on, which Wireshark handed to
// no dissector: with its default preferences, one whose bytes come before
// what it saw of the stream, taken for TCP's resend. When the capture never
// saw those bytes (lost before the capture point), its messages are the
// only copies there are: each is given to the tracker to learn from on the
// first pass (an ACK, a BYE), never shown. Messages already given, by
// their place in the stream, are not (TcpStreams). So is a segment that
// Wireshark holds for a message going on past it (the next segment
// completes the message): the start held is taken back then (note_whole).
// Never throws.
void learn_from_hidden_segment(tvbuff_t* frame, packet_info* pinfo) {
    if (!tcp_streams.any()) return;
    const std::uint32_t from = endpoint_fingerprint(pinfo->src, pinfo->srcport);
    const std::uint32_t to = endpoint_fingerprint(pinfo->dst, pinfo->destport);
    if (!tcp_streams.known(from, to)) return;
    TransportHint hint;
    hint.kind = TransportHint::Kind::tcp;
    hint.src_port = static_cast<std::uint16_t>(pinfo->srcport);
    hint.dst_port = static_cast<std::uint16_t>(pinfo->destport);
    hint.whole_frame = true;
    hint.cut_short = frame_cut_short(pinfo);
    const std::string_view text = frame_bytes(frame);
    const std::optional<TcpPayload> payload = tcp_payload(text, hint);
    if (!payload || payload->offset >= text.size()) return;  // (no data: most such segments)
    // A segment that begins inside a message: the rest of one whose start
    // is held (or will be), then the messages after it
    const std::string_view segment = text.substr(payload->offset);
    SplitMessages::Joined joined;
    const bool begins_inside = !begins_with_start_line(segment);
    if (!hint.cut_short && begins_inside) {
        bool whole = false;
        try {
            whole = split_messages.hold_rest(from, to, payload->seq, pinfo->num, segment, joined);
        } catch (...) {
        }
        if (whole) learn_joined(joined, pinfo, from, to);
    }
    // (past the rest: a line of its body may read as a start line; the
    // messages after a rest joined above were given with it)
    std::size_t search_from = 0;
    if (begins_inside) {
        const std::size_t first = first_message_in_segment(segment);
        search_from = first == std::string_view::npos ? text.size() : payload->offset + first;
    }
    LocatedMessage located[kMaxMessagesPerFrame];
    const std::size_t n = locate_messages(text, hint, located, kMaxMessagesPerFrame, search_from);
    std::uint32_t digests[kMaxMessagesPerFrame];
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view bytes = text.substr(located[i].offset, located[i].length);
        std::uint32_t index = 0;
        if (n > 1) {
            digests[i] = message_digest(bytes);
            index = index_in_frame(digests, i);
        }
        const std::optional<std::uint32_t> seq = tcp_seq_at(payload, located[i].offset);
        if (!seq) continue;
        const bool cut = hint.cut_short && located[i].offset + located[i].length == text.size();
        if (!cut && located[i].goes_on) {
            // (its first part alone may read as a message: a request's
            // keys may all be in it)
            if (hold_start(bytes, *seq, pinfo, from, to, true, joined)) learn_joined(joined, pinfo, from, to);
            continue;
        }
        if (!tcp_streams.first_sight(from, to, *seq)) continue;
        if (!cut) note_read_in_hidden_segment(note_whole(from, to, *seq, pinfo), pinfo);
        MessagePosition where = position_of(pinfo, bytes, index, true, cut, seq);
        where.shown = false;
        tracker.observe(where, bytes);
    }
}

// On the first pass, over TCP: the places of the messages given to the
// tracker are remembered (not those of messages going on past their
// segment: their wholes come later), and a connection with SIP at a place
// in its own segments carries SIP. Not one whose SIP has no such place:
// over TLS a segment Wireshark hands to no dissector holds encrypted bytes
// sipresp cannot read (learn_from_hidden_segment).
void note_tcp_messages(const packet_info* pinfo, FoundMessage* messages, guint count) {
    if (pinfo->ptype != PT_TCP) return;
    const std::uint32_t from = endpoint_fingerprint(pinfo->src, pinfo->srcport);
    const std::uint32_t to = endpoint_fingerprint(pinfo->dst, pinfo->destport);
    bool placed = false;
    for (guint i = 0; i < count; ++i) {
        if (!messages[i].has_tcp_seq) continue;
        placed = true;
        if (messages[i].cut == MessageCut::by_segment_end) continue;
        messages[i].tcp_place_repeated = !tcp_streams.first_sight(from, to, messages[i].tcp_seq);
        if (messages[i].cut == MessageCut::none) note_whole(from, to, messages[i].tcp_seq, pinfo);
    }
    if (placed) tcp_streams.carries_sip(from, to);
}

// The status code of a response's start, 0 for a request or a start cut
// before its code.
int status_code_of_start(std::string_view bytes) {
    constexpr std::string_view kVersion = "SIP/2.0 ";
    if (!bytes.starts_with(kVersion) || bytes.size() < kVersion.size() + 3) return 0;
    int code = 0;
    for (std::size_t i = kVersion.size(); i < kVersion.size() + 3; ++i) {
        if (bytes[i] < '0' || bytes[i] > '9') return 0;
        code = code * 10 + (bytes[i] - '0');
    }
    return code;
}

// A message going on past its TCP segment (FoundMessage::cut): on the
// first pass its start is held for a rest Wireshark may never show, and a
// request's counts as a message not read until the rest comes; it is
// shown as a start, never as unreadable. A 1xx or 4xx-6xx, which sipresp
// never annotates, is not shown.
void first_segment(const FoundMessage& message, std::string_view bytes, bool learning, packet_info* pinfo,
                   proto_tree* tree) {
    const int code = status_code_of_start(bytes);
    if (learning && message.has_tcp_seq) {
        const std::uint32_t from = endpoint_fingerprint(pinfo->src, pinfo->srcport);
        const std::uint32_t to = endpoint_fingerprint(pinfo->dst, pinfo->destport);
        SplitMessages::Joined unused;
        // (may_join false: a rest held before came in a hidden segment, and
        // the whole, given here, would be marked as read in this shown one)
        hold_start(bytes, message.tcp_seq, pinfo, from, to, false, unused);
        // (a response is no request a later response may be missing; a
        // start TCP sent again is counted once)
        const bool request = is_request(bytes);
        if (awaiting_rests.await(from, to, message.tcp_seq, pinfo->num, request) && request)
            tracker.awaits_rest(pinfo->num);
    }
    if (code != 0 && !is_analysed_status(code)) return;
    const bool tls = over_tls(pinfo);
    render_first_segment(bytes, message.span, rests_elsewhere.empty() ? 0 : rest_of_message_in(pinfo->num),
                         reassembly_off(bytes, tls), tls, pinfo, tree);
}

int dissect_sipresp(tvbuff_t* frame, packet_info* pinfo, proto_tree* tree, void*) {
    if (!wanted(tree)) return 0;
    if (prefs.track_calls && !PINFO_FD_VISITED(pinfo))
        tracker.capture_runs_to(capture_time_ns(pinfo->abs_ts.secs, pinfo->abs_ts.nsecs));
    if (!frame_has_sip(pinfo)) {
        // (the order of the tests: every frame pays the first)
        if (held_for_ip_reassembly(pinfo) && !quoted_by_icmp(pinfo))
            name_first_fragment(frame, pinfo, tree);
        else if (pinfo->ptype == PT_TCP && prefs.track_calls && !PINFO_FD_VISITED(pinfo) && !quoted_by_icmp(pinfo))
            learn_from_hidden_segment(frame, pinfo);
        return 0;
    }
    if (quoted_by_icmp(pinfo)) return 0;
    note_reassembled_datagram(frame, pinfo);

    FoundMessage messages[kMaxMessagesPerFrame];
    bool sip_shows_none = false;
    const guint count = find_messages(frame, pinfo, tree, messages, sip_shows_none);
    if (count == 0 && sip_shows_none) {
        // (as when SIP is not among the frame's layers, which it is not
        // when a tree is built)
        if (prefs.track_calls && !PINFO_FD_VISITED(pinfo)) learn_from_hidden_segment(frame, pinfo);
        return 0;
    }
    std::uint32_t digests[kMaxMessagesPerFrame];
    // only the first pass of a tracked capture learns which ACK went where
    const bool learning = prefs.track_calls && !PINFO_FD_VISITED(pinfo);
    if (learning) note_tcp_messages(pinfo, messages, count);
    start_frame();
    for (guint i = 0; i < count; ++i) {
        const std::string_view bytes(reinterpret_cast<const char*>(messages[i].bytes),
                                     static_cast<std::size_t>(messages[i].span.length));
        if (messages[i].cut == MessageCut::by_segment_end) {
            first_segment(messages[i], bytes, learning, pinfo, tree);
            continue;
        }
        // Messages are told apart by a digest of their bytes, not by their
        // order, which depends on how they were found (index_in_frame).
        // Only call tracking remembers messages: without it no key is
        // needed, nor in a frame of one message (nearly all of them), which
        // every pass finds alone in the same bytes: its key is 0.
        std::uint32_t index = 0;
        if (prefs.track_calls && count > 1) {
            digests[i] = message_digest(bytes);
            index = index_in_frame(digests, i);
        }
        const MessagePosition where =
            position_of(pinfo, bytes, index, learning, cut_by_capture(messages[i].cut),
                        messages[i].has_tcp_seq ? std::optional<std::uint32_t>(messages[i].tcp_seq) : std::nullopt,
                        messages[i].tcp_place_repeated);
        const MessageReport& report = tracker.observe(where, bytes);
        tap_report(report, pinfo);
        render_report(report, messages[i].span, messages[i].cut, pinfo, tree);
    }
    return 0;
}

expert_field_info expert_info(const char* name, int group, int severity, const char* summary) {
    static const ei_register_info model = {nullptr, {"sipresp.model", PI_PROTOCOL, PI_NOTE, "model", EXPFILL}};
    expert_field_info info = model.eiinfo;
    info.name = name;
    info.group = group;
    info.severity = severity;
    info.summary = summary;
    return info;
}

int severity_of(Severity s) {
    switch (s) {
    case Severity::error: return PI_ERROR;
    case Severity::warning: return PI_WARN;
    case Severity::note: return PI_NOTE;
    }
    return PI_NOTE;
}

// Expert fields come from the core's rule table so the two cannot drift:
// name sipresp.<id with '-' as '_'>, summary "<text> [<id>, <RFC section>]".
void register_expert_fields() {
    const auto rules = all_rules();
    const std::size_t n = rules.size() + 1;
    ei_register_info* ei = g_new0(ei_register_info, n);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const Rule& r = rules[i];
        std::string name = "sipresp." + std::string(r.name);
        for (char& c : name)
            if (c == '-') c = '_';
        const std::string summary =
            std::string(r.summary) + " [" + std::string(r.name) + ", " + std::string(r.reference) + "]";
        ei_rule[i] = EI_INIT;
        ei[i].ids = &ei_rule[i];
        ei[i].eiinfo = expert_info(g_strdup(name.c_str()), r.group == RuleGroup::sequence ? PI_SEQUENCE : PI_PROTOCOL,
                                   severity_of(r.severity), g_strdup(summary.c_str()));
    }
    ei[n - 1].ids = &ei_unreadable;
    ei[n - 1].eiinfo = expert_info("sipresp.not_analysed", PI_MALFORMED, PI_NOTE,
                                   "sipresp could not read this SIP message or Contact and did not analyse it");
    expert_module_t* module = expert_register_protocol(hf.proto);
    expert_register_field_array(module, ei, static_cast<int>(n));
}

// Derives the settings from the preferences: once at registration, then
// whenever a preference changes.
void apply_preferences() {
    prefs.info_summary = pref_info_summary != FALSE;
    prefs.max_redirects = pref_max_redirects;
    prefs.track_calls = pref_track_calls != FALSE;
    for (int i = 0; i < static_cast<int>(RuleId::count_); ++i) prefs.rule_on[i] = pref_rule_on[i] != FALSE;
    tracker.set_settings(TrackerSettings{pref_max_redirects, prefs.track_calls});
}

// Each time a capture is read from its start (a file opened, or read again
// after a preference changed): the settings from the preferences as they
// are now, and the calls forgotten. Wireshark calls apply_preferences when
// a preference changes, except where a front end sets one without applying
// it (sharkd's setconf, which Webshark uses, before it loads the file
// again): the settings must not lag behind the preferences there either.
void start_capture() {
    apply_preferences();
    reset_tracker();
}

// One check box per rule, named sipresp.rule_<id with '-' as '_'>, all on.
void register_rule_preferences(module_t* module) {
    for (const Rule& r : all_rules()) {
        const int i = static_cast<int>(r.id);
        pref_rule_on[i] = TRUE;
        std::string name = "rule_" + std::string(r.name);
        for (char& c : name)
            if (c == '-') c = '_';
        const std::string title = "Rule " + std::string(r.name);
        const std::string description = "Report " + std::string(r.name) + " (" + std::string(r.reference) +
                                        "): " + std::string(r.summary);
        prefs_register_bool_preference(module, g_strdup(name.c_str()), g_strdup(title.c_str()),
                                       g_strdup(description.c_str()), &pref_rule_on[i]);
    }
}

void register_sipresp() {
    static hf_register_info fields[] = {
        {&hf.status_code, {"Status", "sipresp.status_code", FT_UINT16, BASE_DEC, nullptr, 0, "Status code of the response", HFILL}},
        {&hf.status_class, {"Class", "sipresp.class", FT_STRING, BASE_NONE, nullptr, 0, "Success (2xx) or Redirection (3xx)", HFILL}},
        {&hf.meaning, {"Meaning", "sipresp.meaning", FT_STRING, BASE_NONE, nullptr, 0, "What the code means for the request's method", HFILL}},
        {&hf.method, {"Method", "sipresp.method", FT_STRING, BASE_NONE, nullptr, 0, "Method of the request answered (from CSeq)", HFILL}},
        {&hf.policy, {"Redirect policy", "sipresp.policy", FT_STRING, BASE_NONE, nullptr, 0, "What a client may do with the targets of this 3xx", HFILL}},
        {&hf.request_frame, {"Request in frame", "sipresp.request_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0, "Frame of the request this response answers", HFILL}},
        {&hf.request_uri, {"Request-URI", "sipresp.request_uri", FT_STRING, BASE_NONE, nullptr, 0, "Request-URI of the request this response answers", HFILL}},
        {&hf.response_time, {"Response time", "sipresp.response_time", FT_RELATIVE_TIME, BASE_NONE, nullptr, 0, "Time from the request to this response", HFILL}},
        {&hf.request_missing, {"Request", "sipresp.request_missing", FT_STRING, BASE_NONE, nullptr, 0, "Why the request this response answers is not shown: not in the capture, calls not tracked, or no readable CSeq or no Via to find it by", HFILL}},
        {&hf.first_target, {"First target", "sipresp.first_target", FT_STRING, BASE_NONE, nullptr, 0, "3xx: the target a client tries first (rank 1)", HFILL}},
        {&hf.first_target_lifetime, {"First target lifetime", "sipresp.first_target.lifetime", FT_STRING, BASE_NONE, nullptr, 0, "3xx: how long the first target may be used: seconds, permanent (301) or once (no lifetime)", HFILL}},
        {&hf.target, {"Target", "sipresp.target", FT_STRING, BASE_NONE, nullptr, 0, "One Contact of the response: a redirect target (3xx) or the remote target or binding (2xx)", HFILL}},
        {&hf.target_uri, {"URI", "sipresp.target.uri", FT_STRING, BASE_NONE, nullptr, 0, "The Contact URI", HFILL}},
        {&hf.target_display, {"Display name", "sipresp.target.display", FT_STRING, BASE_NONE, nullptr, 0, "The Contact's display name, unquoted", HFILL}},
        {&hf.target_q, {"q", "sipresp.target.q", FT_DOUBLE, BASE_NONE, nullptr, 0, "Preference of the target (1.0 when absent)", HFILL}},
        {&hf.target_rank, {"Rank", "sipresp.target.rank", FT_UINT32, BASE_DEC, nullptr, 0, "Order a client tries the targets in: q descending, ties in header order", HFILL}},
        {&hf.subscription_lifetime, {"Subscription", "sipresp.subscription_lifetime", FT_UINT32, BASE_DEC, nullptr, 0, "2xx to SUBSCRIBE: seconds the subscription runs unless refreshed (its Expires header, RFC 6665 4.1.2.1)", HFILL}},
        {&hf.publication_lifetime, {"Publication", "sipresp.publication_lifetime", FT_UINT32, BASE_DEC, nullptr, 0, "2xx to PUBLISH: seconds the published event state lasts unless refreshed (its Expires header, RFC 3903 5)", HFILL}},
        {&hf.target_lifetime, {"Lifetime", "sipresp.target.lifetime", FT_UINT32, BASE_DEC, nullptr, 0, "Seconds the target may be used or cached", HFILL}},
        {&hf.target_lifetime_source, {"Lifetime source", "sipresp.target.lifetime_source", FT_STRING, BASE_NONE, nullptr, 0, "Where the lifetime comes from: Contact expires parameter, Expires header, or none", HFILL}},
        {&hf.target_expires_at, {"Expires at", "sipresp.target.expires_at", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, nullptr, 0, "Capture time of the response plus the lifetime", HFILL}},
        {&hf.target_cacheable, {"Cacheable", "sipresp.target.cacheable", FT_BOOLEAN, BASE_NONE, nullptr, 0, "Whether a client may reuse the target for later requests", HFILL}},
        {&hf.target_uri_headers, {"URI headers", "sipresp.target.uri_headers", FT_STRING, BASE_NONE, nullptr, 0, "Header fields carried in the Contact URI (after '?')", HFILL}},
        {&hf.target_unreadable, {"Unreadable Contact", "sipresp.target.unreadable", FT_STRING, BASE_NONE, nullptr, 0, "Why a Contact value could not be read", HFILL}},
        {&hf.targets_omitted, {"Contacts not analysed", "sipresp.targets_omitted", FT_UINT32, BASE_DEC, nullptr, 0, "Contacts beyond the per-response limit", HFILL}},
        {&hf.target_followed_in, {"Followed in", "sipresp.target.followed_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "First later request of the caller that went to this target (second pass)", HFILL}},
        {&hf.target_followed_by_number, {"Followed by its number", "sipresp.target.followed_by_number", FT_BOOLEAN, BASE_NONE, nullptr, 0, "The request that followed this SIP target marked user=phone dialled its number through another URI (another host, port or parameters: RFC 3261 19.1.6), as a switch routes a number portability answer to its own gateway (second pass)", HFILL}},
        {&hf.target_tried_in, {"Already tried in", "sipresp.target.tried_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "Earlier request of this redirect chain that already went to this target, which is why the caller did not go there again (RFC 3261 8.1.3.4; second pass)", HFILL}},
        {&hf.target_removal_ignored, {"Removal ignored", "sipresp.target.removal_ignored", FT_BOOLEAN, BASE_NONE, nullptr, 0, "200 to REGISTER: this binding is listed with time left though the REGISTER answered removed it (0 s: its expires parameter, the Expires header, or Contact: * with Expires: 0); a registrar drops a removed binding or fails the request (RFC 3261 10.3 steps 6-7)", HFILL}},
        {&hf.sent_to_proxy_uri, {"Sent to the proxy's URI", "sipresp.sent_to_proxy_uri", FT_BOOLEAN, BASE_NONE, nullptr, 0, "This request follows a 305 by asking the proxy's own URI; a 305 asks for the same request again, with its Request-URI, through that proxy (RFC 3261 21.3.4)", HFILL}},
        {&hf.redirected_by, {"Redirected by", "sipresp.redirected_by", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "The 3xx whose target this request goes to", HFILL}},
        {&hf.uris_not_all_compared, {"URIs not all compared", "sipresp.uris_not_all_compared", FT_BOOLEAN, BASE_NONE, nullptr, 0, "Comparing this message's URIs with every remembered one would have read more than the per-message limit: a link or a finding across messages may be missing here", HFILL}},
        {&hf.redirected_by_number, {"Followed by a target's number", "sipresp.redirected_by_number", FT_BOOLEAN, BASE_NONE, nullptr, 0, "This request dials the number of a SIP target marked user=phone through another URI (another host, port or parameters: RFC 3261 19.1.6), not the target itself", HFILL}},
        {&hf.redirected_as_new_call, {"Followed as a new call", "sipresp.redirected_as_new_call", FT_BOOLEAN, BASE_NONE, nullptr, 0, "This request follows its redirect with another Call-ID than the request redirected: a new call from the same client, as a B2BUA places a new leg to a target", HFILL}},
        {&hf.redirect_depth, {"Redirect depth", "sipresp.redirect_depth", FT_UINT16, BASE_DEC, nullptr, 0, "3xx: which redirect of its call this is; request: how many redirects led to it", HFILL}},
        {&hf.copy_of, {"Retransmission of", "sipresp.copy_of", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RETRANS_PREV), 0, "The first copy of this response", HFILL}},
        {&hf.duplicate_of, {"Duplicate of", "sipresp.duplicate_of", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "This copy came under 1 ms after the copy in that frame: the same packet captured twice (a mirror port, two interfaces), not a retransmission", HFILL}},
        {&hf.tcp_resend_of, {"TCP resend of", "sipresp.tcp_resend_of", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "This copy has the TCP sequence number of the copy in that frame: TCP sent that segment again (shown to SIP with tcp.analyze_sequence_numbers off), the SIP sender did not; not a retransmission", HFILL}},
        {&hf.ack_frame, {"ACK in", "sipresp.ack_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0, "The ACK for this final response to INVITE; at a proxy, the one sent back to its sender (second pass)", HFILL}},
        {&hf.ack_other_branch, {"ACK on another branch", "sipresp.ack_other_branch", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0, "An ACK of this 3xx's call and CSeq number sent on another branch than the INVITE's: the ACK of a non-2xx belongs to the INVITE's own transaction (RFC 3261 17.1.1.3), so this one matches none and acknowledges nothing (second pass)", HFILL}},
        {&hf.ack_other_fork, {"ACK of another fork", "sipresp.ack_other_fork", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_ACK), 0, "A 2xx from a later fork of its INVITE with no ACK of its own: the caller sent the ACK of the first fork's dialog again after it, as if this 2xx were a copy of that fork's, where each 2xx of a forked INVITE needs its own ACK (RFC 3261 13.2.2.4; second pass)", HFILL}},
        {&hf.ack_hidden, {"ACK only in a hidden TCP segment", "sipresp.ack_hidden", FT_BOOLEAN, BASE_NONE, nullptr, 0, "The ACK of this 2xx or 3xx is in a TCP segment Wireshark passed to no dissector (a resend whose first copy the capture never saw: loss before the capture point), read by sipresp itself (second pass)", HFILL}},
        {&hf.ack_elsewhere, {"ACK sent elsewhere", "sipresp.ack_elsewhere", FT_BOOLEAN, BASE_NONE, nullptr, 0, "The 2xx's ACK went to another address than the 2xx came from, and none went back to its sender: usual for a caller that ACKs the callee directly past a proxy that did not Record-Route; in a capture at the proxy, the caller's ACK never relayed (second pass)", HFILL}},
        {&hf.ack_state, {"ACK", "sipresp.ack", FT_STRING, BASE_NONE, nullptr, 0, "Whether the final response to INVITE was ACKed: acked, missing, unknown (second pass)", HFILL}},
        {&hf.retransmissions, {"Retransmissions", "sipresp.retransmissions", FT_UINT32, BASE_DEC, nullptr, 0, "Copies of this final response sent before any ACK (second pass)", HFILL}},
        {&hf.retransmissions_after_ack, {"Retransmissions after the ACK", "sipresp.retransmissions_after_ack", FT_UINT32, BASE_DEC, nullptr, 0, "Copies of this final response seen over 500 ms (T1) after its ACK, wherever that ACK went: the ACK did not reach the sender (second pass)", HFILL}},
        {&hf.rule, {"Rule", "sipresp.rule", FT_STRING, BASE_NONE, nullptr, 0, "Id of a rule this response (or the client) breaks; one item per hit", HFILL}},
        {&hf.unreadable, {"Unreadable", "sipresp.unreadable", FT_STRING, BASE_NONE, nullptr, 0, "Why sipresp could not read this SIP message", HFILL}},
        {&hf.body_cut, {"Body cut by the capture", "sipresp.body_cut", FT_BOOLEAN, BASE_NONE, nullptr, 0, "Only part of this message's body is here (the capture's snapshot length, or IP fragments not reassembled); its header section, all the analysis reads, is whole", HFILL}},
        {&hf.tcp_first_segment, {"First TCP segment of", "sipresp.tcp_first_segment", FT_STRING, BASE_NONE, nullptr, 0, "Start line of a SIP message that goes on past the end of this TCP segment, or this TLS record (its stream carries the rest later): no fault, and not analysed here but where the message is whole, the frame Wireshark reassembles it in", HFILL}},
        {&hf.whole_in, {"Read whole in", "sipresp.whole_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0, "The TCP segment where sipresp read this message whole, for call tracking: a resend Wireshark passed to no dissector, whose first copy the capture never saw (second pass)", HFILL}},
        {&hf.ip_first_fragment, {"First IP fragment of", "sipresp.ip_first_fragment", FT_STRING, BASE_NONE, nullptr, 0, "Start line of the SIP message whose UDP datagram begins in this frame, the first IP fragment, which Wireshark holds for IP reassembly: the message is analysed in the frame that completes the datagram, if the capture has one (a later pass says which, or that none does)", HFILL}},
    };
    static gint* subtrees[] = {&ett.top, &ett.target, &ett.request, &ett.sequence};

    hf.proto = proto_register_protocol("SIP Response Analysis", "SIPRESP", "sipresp");
    proto_register_field_array(hf.proto, fields, G_N_ELEMENTS(fields));
    proto_register_subtree_array(subtrees, G_N_ELEMENTS(subtrees));
    register_expert_fields();

    module_t* module = prefs_register_protocol(hf.proto, apply_preferences);
    prefs_register_bool_preference(module, "info_summary", "Summary in the Info column",
                                   "Append the first redirect target, its lifetime and the rules hit to the Info column",
                                   &pref_info_summary);
    prefs_register_uint_preference(module, "max_redirects", "Redirects per call before a note",
                                   "redirect-chain-too-long fires on a redirect deeper than this in one call "
                                   "(RFC 3261 8.1.3.4)",
                                   10, &pref_max_redirects);
    prefs_register_bool_preference(module, "track_calls", "Track calls across the capture",
                                   "Pair responses with their requests and follow redirects, ACKs and cached targets "
                                   "across the capture (the rules that need the request or the whole call). Off: each "
                                   "response is judged alone, nothing is kept per call, and with the Info column "
                                   "summary off too, frames nobody looks at are skipped",
                                   &pref_track_calls);
    register_rule_preferences(module);
    apply_preferences();
    register_stats();

    sipresp_handle = register_dissector("sipresp", dissect_sipresp, hf.proto);
    register_postdissector(sipresp_handle);
    register_init_routine(start_capture);
    register_cleanup_routine(reset_tracker);
}

void handoff_sipresp() {
    // No wanted fields (set_postdissector_wanted_hfids): asking for any
    // makes tshark build every frame's tree, the SIP dissector's included,
    // which costs more than all of sipresp. The messages are found in the
    // frame's bytes instead (find_messages).
    proto_sip = proto_get_id_by_filter_name("sip");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    proto_websocket = proto_get_id_by_filter_name("websocket");
    proto_data = proto_get_id_by_filter_name("data");
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6_fragment = proto_get_id_by_filter_name("ipv6.fraghdr");
    expert_tap = find_tap_id("expert");
    if (module_t* tcp = prefs_find_module("tcp")) pref_tcp_desegment = prefs_find_preference(tcp, "desegment_tcp_streams");
    if (module_t* tls = prefs_find_module("tls"))
        pref_tls_desegment = prefs_find_preference(tls, "desegment_ssl_application_data");
    if (module_t* sip = prefs_find_module("sip")) {
        pref_sip_desegment_headers = prefs_find_preference(sip, "desegment_headers");
        pref_sip_desegment_body = prefs_find_preference(sip, "desegment_body");
    }
}

}  // namespace
}  // namespace sipresp::plugin

void plugin_register(void) {
    static proto_plugin plugin;
    plugin.register_protoinfo = sipresp::plugin::register_sipresp;
    plugin.register_handoff = sipresp::plugin::handoff_sipresp;
    proto_register_plugin(&plugin);
}
