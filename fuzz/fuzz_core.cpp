// libFuzzer target for the core: whatever bytes a hostile capture holds,
// the locator and the tracker must neither crash nor misbehave under ASan
// and UBSan. The input is a 6-byte transport hint and a buffer:
//   [0] bits 0-1: kind (0 other, 1 UDP, 2 TCP, 3 SCTP); bits 2 and 3: calls
//   not tracked on the first, on the later pass (the preference, which the
//   tracker reads at report time, changed between passes); bits 4-6: the
//   redirect chain limit (0: the default); bit 7, over TCP and not a whole
//   frame: byte-for-byte copies sit at one place of the TCP stream (a
//   segment TCP sent again; a whole frame's places come from its headers)
//   [1-2] source port  [3-4] destination port
//   [5] bit 0: the buffer is a whole frame; bit 1: the capture cut it short
//   (a snapshot length: the last message found, and the buffer as one
//   message, are read as cut by the capture); bits 2-4: how far apart the
//   messages come (0: a second each; else a walk, in steps of bits 5-7, over
//   gaps that the tracker's time windows turn on: a copy captured twice,
//   within and past T1, past Timer B, past an hour's lifetime, and one
//   past what a kept 48-bit time spans)   [6..] the buffer
// Every message found in the buffer, and the buffer as one message, goes
// through a fresh tracker twice: first pass, then a later pass. The ports
// stand for the messages' addresses (MessagePosition::source, destination).
// Each report may name only frames the tracker was given, and a link back
// must point back (tools/named_frames.h). A whole frame is also searched
// for a first IP fragment's message, whose parts must lie inside it. The
// buffer, as text from a
// message, must also come out of a TextBuffer as valid UTF-8 without
// control characters (wire_text.h), cut at any room.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#ifdef SIPRESP_FUZZ_SOURCE_DIR
#include "stale_build.h"
#endif

#include "awaiting_rests.h"
#include "capture_tracker.h"
#include "first_fragment.h"
#include "key_hash.h"
#include "message_locator.h"
#include "named_frames.h"
#include "split_messages.h"
#include "tcp_payload.h"
#include "text_buffer.h"
#include "wire_text.h"

// One table layout for every run, so that an input the fuzzer keeps replays
// the same way (the tables' keys start from a per-process seed otherwise).
// The libFuzzer build also refuses to run from a binary older than its
// sources: it would fuzz code that is no longer the project's.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sipresp::process_key_seed = 1;
#ifdef SIPRESP_FUZZ_SOURCE_DIR
    sipresp::fuzz::exit_if_stale("sipresp_fuzz", SIPRESP_FUZZ_SOURCE_DIR);
#endif
    return 0;
}

namespace {

// The frame the whole buffer is given in, after the messages found in it
// (frames 1 to `count`).
constexpr std::uint32_t kWholeBuffer = 1000;

void check_frames(const sipresp::MessageReport& report, std::uint32_t frame, std::size_t count) {
    sipresp::tools::for_each_named_frame(report, [&](std::uint32_t named, bool earlier) {
        if ((named > count && named != kWholeBuffer) || (earlier && named >= frame)) __builtin_trap();
    });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 6) return 0;
    sipresp::TransportHint hint;
    hint.kind = static_cast<sipresp::TransportHint::Kind>(data[0] % 4);
    hint.src_port = static_cast<std::uint16_t>(data[1] << 8 | data[2]);
    hint.dst_port = static_cast<std::uint16_t>(data[3] << 8 | data[4]);
    hint.whole_frame = data[5] & 1;
    hint.cut_short = data[5] & 2;
    const std::string_view buffer(reinterpret_cast<const char*>(data + 6), size - 6);

    sipresp::LocatedMessage found[64];
    const std::size_t count = sipresp::locate_messages(buffer, hint, found, 64);
    constexpr std::int64_t ms = 1'000'000, s = 1000 * ms;
    constexpr std::int64_t gaps[8] = {s, ms / 20, 0, 300 * ms, 700 * ms, 33 * s, 3601 * s, 40 * 3600 * s};
    const unsigned pattern = (data[5] >> 2) & 7, stride = (data[5] >> 5) | 1;
    std::int64_t time_ns[64];
    std::int64_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
        time_ns[i] = at;
        at += pattern == 0 ? s : gaps[(pattern + i * stride) % 8];
    }
    sipresp::TrackerSettings settings[2];
    for (int pass = 0; pass < 2; ++pass) {
        settings[pass].across_messages = !(data[0] & (4 << pass));
        if (const unsigned limit = (data[0] >> 4) & 7) settings[pass].max_redirects = limit;
    }
    // Over TCP, each message's place in its stream: from the buffer's own
    // IP and TCP headers when it is a whole frame; otherwise, with data[0]'s
    // top bit, the same place for the same bytes (a copy TCP sent again)
    const std::optional<sipresp::TcpPayload> payload = sipresp::tcp_payload(buffer, hint);
    if (payload && payload->offset > buffer.size()) __builtin_trap();
    // A segment that may begin inside a message (the buffer from a byte
    // data[1] picks), and a reassembled buffer that may end with its first
    // bytes (the buffer up to data[2] bytes into it)
    if (!buffer.empty()) {
        const std::size_t cut = data[1] % buffer.size();
        const std::string_view segment = buffer.substr(cut);
        const std::size_t first = sipresp::first_message_in_segment(segment);
        if (first != std::string_view::npos) {
            if (first > segment.size()) __builtin_trap();
            sipresp::LocatedMessage after[64];
            const std::size_t n = sipresp::locate_messages(buffer, hint, after, 64, cut + first);
            for (std::size_t i = 0; i < n; ++i)
                if (after[i].offset < cut + first || after[i].offset + std::uint64_t{after[i].length} > buffer.size())
                    __builtin_trap();
        }
        const std::string_view reassembled = buffer.substr(0, cut + data[2] % (segment.size() + 1));
        const std::size_t overlap = sipresp::reassembled_overlap(segment, reassembled);
        if (overlap > segment.size() || overlap > reassembled.size() ||
            !reassembled.ends_with(segment.substr(0, overlap)))
            __builtin_trap();
        const std::size_t held = sipresp::held_by_reassembly(segment, reassembled);
        if (held != 0 && held != overlap) __builtin_trap();
    }
    const bool resent_copies = hint.kind == sipresp::TransportHint::Kind::tcp && (data[0] & 0x80);
    sipresp::CaptureTracker tracker;
    std::vector<std::uint32_t> places;  // given on the first pass (the plugin's TcpStreams)
    sipresp::SplitMessages split;
    sipresp::AwaitingRests awaiting;
    for (bool first_pass : {true, false}) {
        tracker.set_settings(settings[first_pass ? 0 : 1]);
        for (std::size_t i = 0; i < count; ++i) {
            if (found[i].offset + std::uint64_t{found[i].length} > buffer.size()) __builtin_trap();
            const std::string_view message = buffer.substr(found[i].offset, found[i].length);
            // the ports as the two ends' fingerprints (0 unknown), every
            // other message sent back the other way: ACKs to and away from
            // a 2xx's sender
            const std::uint32_t a = hint.src_port, b = hint.dst_port;
            const bool cut = (hint.cut_short && found[i].offset + std::uint64_t{found[i].length} == buffer.size()) ||
                             found[i].in_fragments;
            const std::optional<std::uint32_t> seq =
                payload ? sipresp::tcp_seq_at(payload, found[i].offset)
                        : resent_copies ? std::optional<std::uint32_t>(sipresp::message_digest(message)) : std::nullopt;
            // with the top bit, a message whose digest says so is in a
            // segment Wireshark hid: given on the first pass only, unshown
            const std::uint32_t digest = sipresp::message_digest(message);
            const bool hidden = resent_copies && (digest & 0x40);
            if (hidden && !first_pass) continue;
            // Over TCP, one going on past the buffer is held and awaits its
            // rest, which the whole buffer, given last, stands for
            if (hint.kind == sipresp::TransportHint::Kind::tcp && found[i].goes_on && !cut) {
                if (!first_pass) continue;
                const bool request = !message.starts_with("SIP/2.0 ");
                if ((!seq || awaiting.await(a, b, *seq, static_cast<std::uint32_t>(i + 1), request)) && request)
                    tracker.awaits_rest(static_cast<std::uint32_t>(i + 1));
                sipresp::SplitMessages::Joined joined;
                if (seq && split.hold_start(a, b, *seq, static_cast<std::uint32_t>(i + 1), message, joined, !hidden) &&
                    (joined.start_frame != i + 1 || !joined.text.starts_with(message)))
                    __builtin_trap();
                continue;
            }
            if (first_pass && seq && !cut) {
                (void)split.take_start(a, b, *seq);
                if (const auto start = awaiting.rest_came(a, b, *seq)) {
                    if (start->seq != *seq || start->frame > i) __builtin_trap();
                    if (start->request) tracker.rest_came(start->frame, static_cast<std::uint32_t>(i + 1));
                }
            }
            sipresp::MessagePosition where{static_cast<std::uint32_t>(i + 1),
                                           digest,
                                           time_ns[i],
                                           first_pass,
                                           i % 2 ? b : a,
                                           i % 2 ? a : b,
                                           cut,
                                           seq};
            where.shown = !hidden;
            if (first_pass && seq) {
                where.tcp_place_repeated = std::find(places.begin(), places.end(), *seq) != places.end();
                if (!where.tcp_place_repeated) places.push_back(*seq);
            }
            check_frames(tracker.observe(where, message), where.frame, count);
        }
        if (first_pass && count != 0 && found[count - 1].goes_on)
            tracker.rest_came(static_cast<std::uint32_t>(count), kWholeBuffer);
        const sipresp::MessagePosition whole{kWholeBuffer, 0, std::max(at, 2000 * s), first_pass, 0, 0, hint.cut_short};
        check_frames(tracker.observe(whole, buffer), kWholeBuffer, count);
    }
    if (hint.whole_frame) {
        (void)sipresp::ip_fragment_datagram(buffer);
        sipresp::FirstFragmentMessage held;
        if (sipresp::find_first_fragment_message(buffer, held)) {
            const auto inside = [&](std::string_view part) {
                return part.empty() || (part.data() >= buffer.data() && part.data() + part.size() <= buffer.data() + buffer.size());
            };
            if (held.offset + std::uint64_t{held.length} > buffer.size() || held.sent_length <= held.length ||
                !inside(held.start_line) || !inside(held.line) || !inside(held.cseq_method) ||
                held.start_line.data() != buffer.data() + held.offset)
                __builtin_trap();
        }
    }
    char shown[512];
    sipresp::TextBuffer text(shown, 1 + data[5] % sizeof shown);
    text << sipresp::wire(buffer);
    if (!sipresp::is_plain_text(std::string_view(text.c_str(), text.size()))) __builtin_trap();
    return 0;
}
