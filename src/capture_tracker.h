// The only stateful part of the core: what one capture file has shown so
// far. Transactions (which request each response answers, section 5) and
// the call across messages (RULES.md section 6): which later request
// followed which redirect target, redirect chains, targets reused by later
// calls, ACKs. The plugin drives it frame by frame and resets it per file.
//
// Two kinds of finding. Backward ones (a request that retries a URI, reuses
// a stale target; a redirect deeper than the limit) are known when the later
// message arrives and show on every pass. Forward ones (a target followed
// later, a redirect never followed, an ACK that never came) need the whole
// file: they show only when Wireshark dissects a frame again after the first
// pass (GUI, tshark -2), and a single pass never shows a verdict the rest of
// the file could overturn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chunked_vector.h"
#include "flat_map.h"
#include "kept_time.h"
#include "message.h"
#include "recent_copies.h"
#include "recent_texts.h"
#include "response_analysis.h"
#include "seen_filter.h"
#include "text_store.h"
#include "transaction.h"

namespace sipresp {

// Where a message sits in the capture. `index` tells apart several SIP
// messages in one frame (TCP); it is read only while calls are tracked
// (TrackerSettings::across_messages). Time is the capture time in nanoseconds
// since the epoch (exact, unlike a double).
struct MessagePosition {
    std::uint32_t frame = 0;
    std::uint32_t index = 0;
    std::int64_t time_ns = 0;
    // False when Wireshark dissects a frame again (GUI click, tshark -2):
    // then the tracker reports what it found the first time, plus the
    // forward findings, and learns nothing.
    bool first_pass = true;
    // The transport addresses (IP address and port) the message came from
    // and went to, each as a fingerprint, 0 when unknown. At a proxy a
    // dialog's ACK passes twice, the caller's and the proxy's relay of it;
    // the one a 2xx is answered by is the one sent back to its sender.
    std::uint32_t source = 0;
    std::uint32_t destination = 0;
    // The bytes end where the frame does, not where the message did: the
    // capture kept only part of the frame (its snapshot length), or the
    // frame is the first IP fragment of a datagram not reassembled. See
    // parse_message.
    bool cut_by_capture = false;
    // Over TCP, when the message lies in its frame's own segment: the
    // sequence number of its first byte (tcp_sequence_at). A copy at the
    // same number as the copy before it is that segment sent again by TCP
    // (which Wireshark hands to SIP when tcp.analyze_sequence_numbers is
    // off), not a message sent again by SIP. Read for responses only.
    std::optional<std::uint32_t> tcp_seq = std::nullopt;
    // False for a message in a segment Wireshark handed to no dissector
    // (TcpStreams): the tracker learns from it on the first pass, and its
    // report is not shown; a message it cannot read is not counted.
    bool shown = true;
    // Over TCP, on the first pass: a message at a place of its stream the
    // tracker was given a message at before, so TCP's copy of a segment,
    // not a message its sender sent again. Read for ACKs (note_fork_ack):
    // a caller sends an ACK again only for a 2xx it got again.
    bool tcp_place_repeated = false;
};

// The request a response answers, as the report shows it. The views stay
// valid until the next call to observe.
struct RequestView {
    std::uint32_t frame = 0;
    std::int64_t time_ns = 0;
    RequestSummary summary;
    // `frame` is a TCP segment Wireshark hands to no dissector, where only
    // sipresp read the request (MessagePosition::shown)
    bool hidden = false;
};

// A cross-message finding and the message it points at.
struct SequenceFinding {
    RuleId rule;
    std::uint32_t frame = 0;     // the other message involved (0 none)
    std::int64_t delta_ns = 0;   // rule-specific: delay, overdue time, capture time left
    std::uint32_t count = 0;     // rule-specific: retransmissions
    // not-acked rules: copies that came after the ACK in `frame` (which
    // then did not reach the response's sender)
    std::uint32_t count_after_ack = 0;
    // invite-2xx-not-acked: the ACK in `frame` went to another address than
    // the 2xx came from, and none went back to its sender (a proxy that
    // never relayed the caller's ACK)
    bool ack_elsewhere = false;
    // redirect-not-followed: every target the client had not tried is a
    // sip: URI for a sips: request (sips-downgrade), which 8.1.3.4 lets a
    // client decline, so nobody following it may be right
    bool untried_are_sips_downgrades = false;
};

// A redirect target seen followed later (forward link).
struct TargetFollow {
    std::uint32_t frame = 0;     // 0: not followed (or not known yet)
    std::int64_t delay_ns = 0;
    // Not followed because the chain that led to the redirect already
    // requested it (a client puts a URI in its target set once, 8.1.3.4):
    // that request's frame and how long before the redirect; 0 none.
    std::uint32_t tried_frame = 0;
    std::int64_t tried_before_ns = 0;
    // `frame` is a segment Wireshark hands to no dissector (MessagePosition::shown)
    bool hidden = false;
    // `frame` dialled the number of this SIP target marked user=phone
    // through another URI (RFC 3261 19.1.6), not the target itself
    bool by_number = false;
};

// What an ACK is known about for a final response to INVITE.
enum class AckState : std::uint8_t {
    not_applicable,  // not a final response to INVITE, or first pass
    acked,           // ack_frame holds the ACK
    missing,         // no ACK, and the capture shows that is a fault
    unknown,         // no ACK in the capture, but it may lie outside it
};

struct SequenceReport {
    // Forward links and findings are included (second pass).
    bool whole_file = false;
    // This response repeats the one in that frame (retransmission).
    std::uint32_t copy_of = 0;
    // A copy less than kDuplicateNs after an earlier copy in another frame,
    // that one: the same packet captured twice (a mirror port, two
    // interfaces), not sent again. On every pass.
    std::uint32_t duplicate_of = 0;
    std::int64_t duplicate_delay_ns = 0;
    // A copy at the same TCP sequence number as the copy in that frame
    // (MessagePosition::tcp_seq): TCP sent the segment again, the SIP
    // sender did not; counted as no retransmission. On every pass.
    std::uint32_t tcp_resend_of = 0;
    std::int64_t tcp_resend_delay_ns = 0;
    // A copy of a final to INVITE sent later than kAckInFlightNs after the
    // first copy's ACK, in that frame: the ACK did not reach the sender.
    // Known from the past alone, so on every pass; except when that ACK
    // went to another address (copy_after_ack_elsewhere): then on the
    // second pass only, once no relay to the sender came.
    std::uint32_t copy_after_ack_frame = 0;
    std::int64_t copy_after_ack_ns = 0;
    bool copy_after_ack_elsewhere = false;
    // With ack_elsewhere or copy_after_ack_elsewhere: the 2xx has no
    // Record-Route, so its ACK belongs at the Contact (12.2.1.1), past any
    // proxy the 2xx came through: going elsewhere than the 2xx's sender is
    // then no fault in itself, and the one it had to reach is the UAS.
    bool no_record_route = false;
    // 3xx: the how-manieth redirect of its call this is (1 = first).
    // Request: how many redirects led to it (0 when none).
    std::uint16_t redirect_depth = 0;
    // Request: the 3xx it follows, which of its targets, and how long after.
    std::uint32_t redirected_by = 0;
    std::int64_t redirected_delay_ns = 0;
    // redirected_by is a segment Wireshark shows no SIP in (ack_hidden)
    bool redirected_by_hidden = false;
    // Request: it has another Call-ID than the request redirected (a new
    // call, as a B2BUA places a new leg to a target)
    bool redirected_as_new_call = false;
    // Request: it dials the number of a SIP target marked user=phone
    // through another URI (19.1.6), as a switch does with a number
    // portability answer, rather than sending to the target itself
    bool redirected_by_number = false;
    // Request: follows a 305 by asking the proxy's own URI, where a 305
    // asks for the same request again through that proxy (21.3.4)
    bool sent_to_proxy_uri = false;
    // 3xx: per analysed target (same order as ResponseAnalysis::targets)
    std::vector<TargetFollow> follows;
    // final response to INVITE, second pass
    AckState ack = AckState::not_applicable;
    std::uint32_t ack_frame = 0;
    std::int64_t ack_delay_ns = 0;
    // ack_frame is a TCP segment Wireshark hands to no dissector, where
    // only sipresp read the ACK (MessagePosition::shown): whoever opens
    // that frame sees TCP alone, and must be told why
    bool ack_hidden = false;
    // 2xx: the ACK in ack_frame went to another address than the 2xx came
    // from, and none went back to its sender
    bool ack_elsewhere = false;
    std::uint32_t retransmissions = 0;
    // copies seen later than kAckInFlightNs after the ACK
    std::uint32_t retransmissions_after_ack = 0;
    std::int64_t capture_left_ns = 0;  // capture time after the response (AckState::unknown)
    // A 3xx to INVITE with no ACK: the first ACK that names its call and
    // CSeq number but came on another branch than the INVITE's, so matches
    // no transaction (17.1.1.3); 0 none.
    std::uint32_t other_branch_ack_frame = 0;
    // A 2xx to INVITE from a later fork (another To tag than the INVITE's
    // first 2xx) with no ACK of its own: the first ACK of the first fork's
    // dialog that the caller sent again after this 2xx, with no copy of
    // that fork's 2xx to answer, and that 2xx's frame. The caller took this
    // 2xx for a copy of the first, where each 2xx of a forked INVITE needs
    // an ACK of its own (13.2.2.4). 0 none.
    // invite-2xx-not-acked then names that ACK as its `frame`.
    std::uint32_t other_fork_ack_frame = 0;
    std::uint32_t other_fork_frame = 0;
    // Not every remembered URI this message should be compared with was:
    // comparing them all would have gone past CaptureTracker::kCompareBudget
    // (a capture made to be slow), so a link, a target's follow-up or a
    // finding across messages may be missing here. Kept for every pass.
    bool uris_not_all_compared = false;
    std::vector<SequenceFinding> findings;
};

struct MessageReport {
    const Message* message = nullptr;  // status / error say whether it could be read
    const char* internal_error = nullptr;  // set if the core itself failed (out of memory)
    bool analysed = false;             // a readable 2xx/3xx response
    ResponseAnalysis analysis;         // when analysed
    const RequestView* request = nullptr;  // the matching request; nullptr if not in the capture
    std::int64_t response_time_ns = 0; // since the request, when request != nullptr
    SequenceReport sequence;           // requests and analysed responses
    RequestView request_storage;       // what `request` points at
    bool judged_alone = false;         // across_messages was off: request not looked up
    // SIP messages in earlier frames that could not be read, the same on
    // every pass: a response whose request is not found may answer one of
    // them, cut short by the capture (one after it cannot be its request).
    std::uint32_t unreadable_messages = 0;
    bool has_sequence() const {
        return sequence.redirected_by != 0 || !sequence.findings.empty() || sequence.copy_of != 0 ||
               sequence.uris_not_all_compared;
    }
};

struct TrackerSettings {
    // redirect-chain-too-long fires on a redirect deeper than this
    std::uint32_t max_redirects = 5;
    // false: each response is judged alone (RULES.md 1-4) and nothing is
    // remembered: no request pairing, no section 5 or 6, no memory per call.
    // For huge captures where only the per-response annotations matter.
    bool across_messages = true;
};

class CaptureTracker {
public:
    // Reads one SIP message and returns what sipresp has to say about it.
    // The report stays valid until the next call. Never throws.
    const MessageReport& observe(const MessagePosition& where, std::string_view bytes) noexcept;

    // A new capture file: forget everything.
    void reset() noexcept;

    // On the first pass: a frame of the capture, SIP or not, at
    // `time_ns`. A later pass measures how long the capture runs after a
    // response (a redirect never ACKed or followed, a 2xx's ACK) to its
    // last frame: a capture of SIP and RTP runs on past its last SIP
    // message.
    void capture_runs_to(std::int64_t time_ns) noexcept {
        if (time_ns > last_time_ns_) last_time_ns_ = time_ns;
    }

    // On the first pass: the request starting in `frame` goes on in a
    // later TCP segment, and is not observed there (its first part would
    // read as a message of its own: its keys may all be in it). Until its
    // rest comes, it counts as a message not read, which may be the
    // request a response names (MessageReport::unreadable_messages).
    void awaits_rest(std::uint32_t frame) noexcept;
    // The rest of the request started in `frame` came in `whole_frame`,
    // a later one, where the whole is observed: from there on it counts no
    // more, on every pass. A frame with none awaiting changes nothing.
    void rest_came(std::uint32_t frame, std::uint32_t whole_frame) noexcept;

    // Read at report time, so changing them needs no new first pass.
    void set_settings(const TrackerSettings& s) noexcept { settings_ = s; }

    std::size_t request_count() const { return linked_requests_.size() + plain_requests_.size(); }
    // Memory held per kind of entry, for the benchmark's report.
    struct Footprint {
        std::size_t requests, redirects, responses, requests_with_findings;
        std::size_t bytes;
        // bytes per store, for the benchmark's breakdown
        struct Part {
            const char* name = "";  // a part the list leaves out is an empty row, never a null name
            std::size_t bytes = 0;
        };
        static constexpr std::size_t kParts = 27;
        Part parts[kParts];
    };
    Footprint footprint() const noexcept;
    // Bytes of one entry of each kind (before the strings kept for it).
    struct EntrySizes {
        std::size_t request, plain_request, redirect, target, success, request_links, table_slot;
    };
    static EntrySizes entry_sizes() noexcept;

    // At most this many targets per redirect are remembered for section 6.
    static constexpr std::size_t kTrackedTargets = 16;
    // Bytes of URIs (both sides of each comparison) one message may have
    // compared in full with the URIs remembered before it. Chains are
    // walked only so far (64 redirects each way, 16 targets each), but a
    // capture can give every target the digest of the request that follows
    // them and hundreds of parameters, and each comparison then reads both
    // lists again: 2,048 comparisons of 300 parameters a request held
    // tshark 80 times longer than the SIP dissector alone. A request of a
    // real call compares a few URIs of some 100 bytes; past this the rest
    // are taken as different and the message says so.
    static constexpr std::size_t kCompareBudget = 64 * 1024;
    // RFC 3261 Timer B / H (64*T1): by then an unACKed final is given up.
    static constexpr std::int64_t kAckWindowNs = 32'000'000'000;
    // A copy of a final seen this soon after its ACK may have left its
    // sender before the ACK got there. T1 is the RFC's estimate of a round
    // trip (17.1.1.1): a copy later than that means the ACK never arrived.
    static constexpr std::int64_t kAckInFlightNs = 500'000'000;
    // Copies of a response closer than this are one packet seen twice by the
    // capture (two interfaces, a mirror port), not a retransmission: SIP's
    // shortest retransmission interval is T1, 500 ms by default (17.1.1.1).
    static constexpr std::int64_t kDuplicateNs = 1'000'000;
    // Where a first copy's counts of copies stop (the widths of their fields)
    static constexpr unsigned kMaxCopiesBeforeAck = 127;
    static constexpr unsigned kMaxCopiesAfterAck = 63;

private:
    // The records below are packed to 2-byte alignment: a redirect's 64-bit
    // time, and the 4-byte fields after a 6-byte KeptTime, would otherwise
    // pad them to a multiple of 8 or 4 bytes, and a file of a million
    // messages keeps a million of them (x86-64 and AArch64 read the
    // unaligned fields at full speed).
#pragma pack(push, 2)
    // A string kept for the file (in texts_). Packed with the records that
    // hold it: a 4-byte-aligned type built at a 2-byte offset in one of them
    // is undefined behaviour (UBSan reports it), packed it is not.
    struct TextRef {
        TextStore::Ref ref = 0;
    };
    // What every request keeps.
    struct RequestRecord {
        KeptTime time;  // read next to a time of its call
        std::uint32_t frame = 0;
        TextRef request_uri;
        std::uint8_t index = 0;  // index_byte() of its position
        bool to_tag : 1 = false;
        bool dialog_needs_sips : 1 = false;
        bool asks_no_time : 1 = false;
        bool queries_bindings : 1 = false;
        // a REGISTER that removes bindings: their text is in removals_
        bool removes_bindings : 1 = false;
        // The method is the CSeq's, as in every well-formed request (8.1.1.5),
        // so it is the one its responses carry; else it is in odd_methods_.
        bool method_is_cseq : 1 = true;
    };
    // A request that may follow a redirect or get a record of its own
    // answer: an INVITE, or any request outside a dialog. A request inside
    // a dialog other than an INVITE (a BYE: a third of a capture's
    // requests), or a CANCEL, is a plain RequestRecord (8 bytes fewer); the
    // rare redirect answering one is found in other_originals_.
    struct LinkedRequest {
        RequestRecord request;
        std::uint32_t redirect_slot = 0;  // 1-based index of the RedirectRecord it follows; 0 none
        // the first copy of the first final to INVITE or redirect answering it
        std::uint32_t first_response = 0;
    };
    // A target is reached from its redirect (RedirectRecord::first_target
    // on), or from target_by_client_, whose value names the redirect too.
    struct TrackedTarget {
        // uri_digest() of its URI: a match is confirmed by comparing the
        // URIs, so 32 bits do (a false match costs a parse, 1 time in 2^32)
        std::uint32_t digest = 0;
        std::uint32_t followed_by = 0;    // the first request to it after the redirect (slot), 0 none
        TextRef uri;
        std::uint32_t lifetime_seconds = 0;
        // A SIP or SIPS target marked user=phone: uri_digest() of the tel
        // URI of its number (telephone_uri_of), which a client may dial
        // through a host of its own (request_uri_dials_number_of); 0 for
        // any other target (and, 1 time in 2^32, for one such number, which
        // is then followed only by its URI)
        std::uint32_t number_digest = 0;
        LifetimeSource lifetime_source = LifetimeSource::none;
        std::uint8_t index = 0;  // in ResponseAnalysis::targets
    };
    // The first copy of a final response to INVITE or of a redirect, and
    // what the rest of the file tells about it (copies, ACK). Found from its
    // request (or other_originals_) on every pass, never by position: a
    // copy needs no record of its own. Its time is the response's, known
    // whenever it is reported.
    struct FirstCopy {
        KeptTime ack_time;  // read next to the response's time
        std::uint32_t frame = 0;
        std::uint32_t ack_frame = 0;
        // a server retransmits a final some 10 times before giving up (64*T1)
        std::uint8_t retransmissions_before_ack : 7 = 0;  // stops counting at 127
        // a copy came within kAckInFlightNs after an ACK that went to
        // another address than its sender: it may have crossed that ACK on
        // its way (a caller ACKing the callee directly, no Record-Route),
        // unless a relay to the sender comes later. One at most: a server's
        // copies come T1 and more apart.
        bool copy_near_ack_elsewhere : 1 = false;
        std::uint8_t index = 0;  // index_byte() of its position
        bool final_to_invite : 1 = false;
        bool request_seen : 1 = false;  // the INVITE is in the capture
        // copies later than kAckInFlightNs after the ACK; stops at 63
        std::uint8_t retransmissions_after_ack : 6 = 0;
        // 2xx: its CSeq number's low 8 bits, which tell an ACK of this 2xx
        // from one of another INVITE of the dialog still waiting for its
        // ACK (whose number is a few apart, never 256)
        std::uint8_t cseq_low = 0;
    };
    // (the count after the ACK shares the flags' byte: no record grows)
    static_assert(sizeof(FirstCopy) == 18);
    // A 3xx (to any method): its first copy, and what a later request may
    // follow (its targets) or reuse.
    struct RedirectRecord {
        FirstCopy first;
        std::uint32_t call = 0;  // call_tag() of the redirected request's Call-ID
        std::int64_t time_ns = 0;
        std::uint32_t request_slot = 0;  // the redirected request's slot (request())
        std::uint32_t previous_in_call = 0;    // older redirect of the same Call-ID
        std::uint32_t previous_in_dialog = 0;  // older redirect of the same From URI+tag
        std::uint32_t first_target = 0;  // into targets_
        std::uint16_t code = 0;          // as treated (8.1.3.2)
        std::uint16_t depth = 1;
        std::uint8_t target_count = 0;
    };
    // A 2xx to INVITE: its first copy, and its dialog.
    struct SuccessRecord {
        FirstCopy first;
        // the next older 2xx of the same dialog, one per proxy leg
        // (index + 1 in successes_, 0 none)
        std::uint32_t next_in_dialog = 0;
        // its dialog key's low 16 bits, which tell it from the 2xx of
        // another fork of its INVITE (another To tag) on every pass, without
        // the dialog's entry in final_by_dialog_ (gone once ACKed). Two
        // forks are taken for one 1 time in 65,536.
        std::uint16_t dialog_check = 0;
        // endpoint_check() of the address it came from (0 unknown), and
        // whether its ACK went there: a proxy's relay of the ACK can come
        // after the caller's, and is the one this 2xx's sender waits for
        std::uint16_t sender : 15 = 0;
        std::uint16_t ack_to_sender : 1 = 0;
    };
    static_assert(sizeof(SuccessRecord) == 26);
    // First-pass findings of a request (section 6), for requests that have
    // any. Which redirect it follows is in its LinkedRequest.
    struct RequestLinks {
        std::uint64_t position = 0;
        std::uint32_t first_finding = 0;  // into request_findings_
        std::uint32_t finding_count = 0;
    };
#pragma pack(pop)

    std::uint32_t observe_request(const MessagePosition& where);
    void observe_ack(const MessagePosition& where);
    void note_other_branch_ack(const MessagePosition& where, const CSeq& cseq);
    void note_later_fork(std::uint32_t request_slot, std::uint32_t success, std::uint32_t cseq_number);
    void note_fork_ack(const MessagePosition& where, const CSeq& cseq, std::uint64_t dialog);
    static void record_ack(FirstCopy& final, const MessagePosition& ack);
    static void record_ack(SuccessRecord& success, const MessagePosition& ack);
    bool ack_elsewhere(std::uint32_t response) const;
    void observe_response(const MessagePosition& where);
    std::uint32_t track_success(const FirstCopy& first, std::uint64_t dialog, std::uint32_t sender);
    std::uint32_t find_original(std::uint64_t transaction, std::uint64_t dialog, std::uint32_t request_slot) const;
    void remember_original(std::uint64_t transaction, std::uint64_t dialog, std::uint32_t request_slot,
                           std::uint32_t response);
    // `caller`: caller_keys() of the redirect
    std::uint32_t track_redirect(const MessagePosition& where, std::uint32_t request_slot, const FirstCopy& first,
                                 const CallerKeys& caller);
    // The digests a target a Request-URI reaches may have: the URI's own,
    // and, for a SIP URI dialling a number (19.1.6), that number's tel URI's.
    struct ReachedDigests {
        explicit ReachedDigests(const Uri& request_uri);
        bool may_reach(std::uint32_t target_digest) const {
            return target_digest == uri || (dials && target_digest == telephone);
        }
        // whether it may dial the number of `t`, a SIP target marked user=phone
        bool may_dial_number_of(const TrackedTarget& t) const {
            return dials && t.number_digest != 0 && t.number_digest == telephone;
        }
        std::uint32_t uri = 0;
        std::uint32_t telephone = 0;
        bool dials = false;
    };
    // `reached`: of `request_uri`, read once for both
    void follow_redirects(const MessagePosition& where, const CallerKeys& caller, const Uri& request_uri,
                          const ReachedDigests& reached, std::uint32_t request_slot, RequestLinks& links);
    void link_to_redirect(const MessagePosition& where, const Uri& request_uri, std::uint32_t request_slot,
                          std::uint32_t redirect, RequestLinks& links);
    bool still_following(std::uint32_t redirect, const TrackedTarget& t, std::int64_t now_ns) const;
    bool same_identity(std::uint32_t first, std::uint64_t dialog) const;
    std::uint16_t redirect_depth(std::uint32_t slot) const;
    std::uint32_t unreadable_before(std::uint32_t frame) const;
    void note_unreadable(std::uint32_t frame);
    bool hidden_frame(std::uint32_t frame) const;
    void note_hidden(std::uint32_t frame);
    void note_uncompared(const MessagePosition& where);
    void note_duplicate(const MessagePosition& where, std::uint32_t of_frame, std::int64_t delay_ns,
                        bool resent_by_tcp);
    void check_reuse(const MessagePosition& where, const CallerKeys& caller, const Uri& request_uri,
                     const ReachedDigests& reached, std::uint32_t request_slot, RequestLinks& links);
    static std::int64_t late_after_ack(const FirstCopy& first, std::int64_t copy_ns);
    static void count_retransmission(FirstCopy& first, std::int64_t copy_ns, bool ack_elsewhere);
    void report_copy_after_ack(const MessagePosition& where, std::uint32_t response);
    void add_request_finding(RequestLinks& links, const SequenceFinding& f);
    void report_request(const MessagePosition& where, std::uint32_t slot);
    void report_response(const MessagePosition& where, std::uint32_t response, std::uint32_t copy_of);
    // A later fork's 2xx answered with another fork's ACK (note_fork_ack).
    struct OtherForkAck {
        std::uint32_t ack_frame = 0;  // 0 none
        std::uint32_t fork_frame = 0;  // the first fork's 2xx
    };
    OtherForkAck other_fork_ack(std::uint32_t success, const CSeq& cseq) const;
    void report_ack(const FirstCopy& f, bool success, bool ack_elsewhere, std::uint32_t later_request_frame,
                    std::int64_t response_ns, OtherForkAck other_fork);

    static constexpr std::uint32_t kPlainSlot = 0x80000000u;
    static bool is_plain(std::uint32_t slot) { return (slot & kPlainSlot) != 0; }
    const RequestRecord& request(std::uint32_t slot) const {
        return is_plain(slot) ? plain_requests_[(slot & ~kPlainSlot) - 1] : linked_requests_[slot - 1].request;
    }
    // The links of the request in `slot`, or nullptr (no request, or a plain one).
    const LinkedRequest* linked(std::uint32_t slot) const {
        return slot == 0 || is_plain(slot) ? nullptr : &linked_requests_[slot - 1];
    }
    LinkedRequest* linked(std::uint32_t slot) {
        return const_cast<LinkedRequest*>(static_cast<const CaptureTracker*>(this)->linked(slot));
    }
    // The redirect the request in `slot` follows (0 none: also every plain one).
    std::uint32_t redirect_of(std::uint32_t slot) const {
        const LinkedRequest* l = linked(slot);
        return l ? l->redirect_slot : 0;
    }
    // A first copy's number (LinkedRequest::first_response, other_originals_,
    // recent_copies_): a 2xx's index + 1 in successes_, or a redirect's slot
    // with kRedirectCopy set. 0 none.
    static constexpr std::uint32_t kRedirectCopy = 0x80000000u;
    static bool is_redirect_copy(std::uint32_t copy) { return (copy & kRedirectCopy) != 0; }
    FirstCopy& first_copy(std::uint32_t copy) {
        return is_redirect_copy(copy) ? redirects_[(copy & ~kRedirectCopy) - 1].first : successes_[copy - 1].first;
    }
    std::uint32_t first_response_of(std::uint32_t slot) const {
        const LinkedRequest* l = linked(slot);
        return l ? l->first_response : 0;
    }

    TextRef keep(std::string_view text) { return keep(text, text_digest(text)); }
    // `digest` is text_digest(text), when the caller needed it earlier
    TextRef keep(std::string_view text, std::uint64_t digest);
    static std::uint64_t text_digest(std::string_view text);
    std::string_view text(TextRef kept) const { return texts_.get(kept.ref); }
    bool same_uri(TextRef kept, const Uri& uri) const;
    // Whether the message being observed may still compare `bytes` of URIs
    // in full (kCompareBudget); if not, notes that it could not.
    bool afford_comparison(std::size_t bytes) const;
    bool names_target(const UriComparedOften& request_uri, TextRef kept_target) const;
    bool names_target(const Uri& request_uri, TextRef kept_target) const {
        return names_target(UriComparedOften(request_uri), kept_target);
    }
    bool dials_number_of(const Uri& request_uri, TextRef kept_target) const;
    bool follows_by_number_alone(const RedirectRecord& rec, TextRef request_uri) const;
    template <typename Match>
    const RequestRecord* find_in_chain(std::uint32_t slot, Match matches) const;
    const RequestRecord* find_via_same_proxy(const RedirectRecord& use_proxy, const Uri& request_uri) const;
    std::uint32_t mark_tried_targets(const RedirectRecord& rec, SequenceReport& seq) const;
    std::uint32_t mark_tried_proxy(const RedirectRecord& rec, SequenceReport& seq) const;
    template <typename Links>
    static const Links* find_position(const ChunkedVector<Links>& links, std::uint64_t position);
    template <typename Links>
    static Links& append_position(ChunkedVector<Links>& links, std::uint64_t position);

    // What a record keeps of MessagePosition::index: its low byte. Where a
    // frame holds several messages the plugin's index is a digest of each,
    // nearly always above 255, so a byte capped at 255 told them apart only
    // by luck; the low byte tells them apart but for 1 time in 256.
    static std::uint8_t index_byte(const MessagePosition& where) { return static_cast<std::uint8_t>(where.index); }
    static std::uint64_t position_key(const MessagePosition& where) {
        return (std::uint64_t{where.frame} << 32) | where.index;
    }
    // What a TrackedTarget keeps of uri_equality_digest(): its low half.
    static std::uint32_t uri_digest(const Uri& uri) { return static_cast<std::uint32_t>(uri_equality_digest(uri)); }
    // What a RedirectRecord keeps of CallerKeys::call, only ever compared
    // with another call's: two calls taken for one 1 time in 2^32, which
    // would hide one finding of a cached target (check_reuse).
    static std::uint32_t call_tag(std::uint64_t call) { return static_cast<std::uint32_t>(call); }
    // target_by_client_'s value: the redirect's slot and the target's place
    // among its tracked ones (fewer than kTrackedTargets, 4 bits).
    static constexpr unsigned kTargetBits = 4;
    static_assert(kTrackedTargets <= (1u << kTargetBits));
    static constexpr std::uint32_t kMaxTargetRedirect = (1u << (32 - kTargetBits)) - 1;
    static std::uint32_t target_ref(std::uint32_t redirect_slot, std::uint32_t place) {
        return (redirect_slot << kTargetBits) | place;
    }
    static std::uint32_t target_ref_redirect(std::uint32_t ref) { return ref >> kTargetBits; }
    static std::uint32_t target_ref_place(std::uint32_t ref) { return ref & ((1u << kTargetBits) - 1); }
    // target_by_client_'s key for a target's number (number_digest), apart
    // from the key of a tel target with that number: a request reaching the
    // tel target is checked for reuse, one dialling the number is not
    static std::uint64_t number_key(std::uint64_t client, std::uint32_t number_digest) {
        return combine(client, (std::uint64_t{1} << 32) | number_digest);
    }
    // forks_by_invite_'s key: what a 2xx of each fork and the ACK of each
    // share (a 2xx's ACK has a branch of its own, 13.2.2.4)
    std::uint64_t fork_key(std::uint32_t cseq_number) const { return combine(call_key(message_), cseq_number); }
    static std::uint64_t combine(std::uint64_t a, std::uint64_t b) {
        return (a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2))) * 1099511628211ull;
    }

    TrackerSettings settings_;
    Message message_;
    MessageReport report_;
    std::int64_t last_time_ns_ = 0;
    // the frame of each message that could not be read, in frame order
    std::vector<std::uint32_t> unreadable_frames_;
    // of those, the requests awaiting the rest TCP carries later
    // (awaits_rest), and the frames where such rests came, in frame order
    std::vector<std::uint32_t> awaiting_rest_frames_;
    std::vector<std::uint32_t> rest_frames_;
    // the frames of hidden segments (MessagePosition::shown) the tracker
    // read a message in, in frame order: empty unless TCP lost a segment
    // before the capture point
    std::vector<std::uint32_t> hidden_frames_;
    // What the message being observed may still compare (afford_comparison),
    // whether it ran out, and the frames whose messages ran out on the first
    // pass, in frame order (empty but for captures made to be slow)
    mutable std::size_t compare_budget_ = kCompareBudget;
    mutable bool compare_budget_out_ = false;
    std::vector<std::uint32_t> uncompared_frames_;
    TextStore texts_;  // every string kept for the file
    // A request's slot: 1-based into linked_requests_, or, with kPlainSlot
    // set, into plain_requests_; 0 none. (2^31 requests of either kind
    // would take some 50 GB; no file gets near.)
    ChunkedVector<LinkedRequest> linked_requests_;
    ChunkedVector<RequestRecord> plain_requests_;
    ChunkedVector<RedirectRecord> redirects_;
    ChunkedVector<TrackedTarget> targets_;
    ChunkedVector<SuccessRecord> successes_;
    ChunkedVector<RequestLinks> request_links_;    // sorted by position
    // copies that are a second capture of an earlier one (SequenceReport::
    // duplicate_of) or a segment TCP sent again (tcp_resend_of); none in a
    // capture without such copies
    struct DuplicateCopy {
        std::uint64_t position = 0;
        std::int64_t delay_ns = 0;  // under kDuplicateNs for a second capture
        std::uint32_t of_frame = 0;
        bool resent_by_tcp = false;
    };
    ChunkedVector<DuplicateCopy> duplicates_;  // sorted by position
    ChunkedVector<SequenceFinding> request_findings_;
    DigestMap<std::uint32_t> request_by_transaction_;
    // newest redirect per Call-ID / per From URI+tag (older ones are chained)
    DigestMap<std::uint32_t> redirect_by_call_;
    DigestMap<std::uint32_t> redirect_by_dialog_;
    // newest target per client and target URI (its redirect's slot and
    // place, kTargetBits)
    DigestMap<std::uint32_t> target_by_client_;
    // clients that ever received a redirect (or, rarely, did not)
    SeenFilter redirected_clients_;
    // newest 301 per client and the URI it moved
    DigestMap<std::uint32_t> moved_by_client_;
    // the first copy of each 2xx to INVITE and each redirect, by
    // transaction and To tag for 2xx, for those not found from their request
    // (LinkedRequest::first_response)
    DigestMap<std::uint32_t> other_originals_;
    RecentTexts recent_texts_;
    RecentCopies recent_copies_;
    // the request-line method of requests whose CSeq names another
    DigestMap<std::uint32_t> odd_methods_;
    // what each REGISTER that removes bindings removes (write_removed_bindings),
    // kept until its 200 judges whether the registrar dropped them; by slot
    DigestMap<std::uint32_t> removals_;
    std::string removal_scratch_;  // reused for each REGISTER
    // 2xx to INVITE by dialog (chained) until all of them are ACKed, which
    // is at once in nearly every call: only the ACK and the later requests
    // of the dialog look here, on the first pass. The ACK of a non-2xx finds
    // its final the way a copy does (find_original).
    DigestMap<std::uint32_t> final_by_dialog_;
    // A 2xx's first later request of its dialog (the evidence of an ACK
    // missing), by the 2xx's index + 1 in successes_: set only while the
    // dialog waits for its ACK, so in few calls.
    DigestMap<std::uint32_t> later_request_by_success_;
    // redirect slot -> the first ACK of its call and CSeq number that came
    // on another branch (note_other_branch_ack); empty on clean traffic
    DigestMap<std::uint32_t> other_branch_ack_by_redirect_;
    // The 2xx of a forked INVITE's later forks, by Call-ID and CSeq number
    // (fork_key()): the first fork's 2xx number << 32 | the newest later
    // fork's (note_later_fork); empty unless two forks answered one INVITE
    DigestMap<std::uint64_t> forks_by_invite_;
    // a later fork's 2xx number -> the ACK of the first fork's dialog sent
    // again for it (note_fork_ack; SequenceReport::other_fork_ack_frame)
    DigestMap<std::uint32_t> other_fork_ack_by_success_;
};

}  // namespace sipresp
