// Transaction matching and the call across the capture (RULES.md 5-6),
// with first-pass results kept so that every later dissection of a frame
// shows the same thing plus what only the whole file can tell.
#include "capture_tracker.h"

#include <algorithm>
#include <new>

#include "binding_removal.h"
#include "key_hash.h"

namespace sipresp {
namespace {

// Chains of older records are walked at most this far: a hostile capture
// with one Call-ID redirected a million times stays linear.
constexpr int kMaxWalk = 64;

// Sets odd_methods_' keys (request slots) apart from other numbers.
constexpr std::uint64_t kOddMethodSalt = 0x6d6574686f64ull;
// and removals_' keys
constexpr std::uint64_t kRemovalSalt = 0x72656d6f7665ull;

// The first index whose position is not below `position` (binary search).
template <typename Links>
std::size_t lower_position(const ChunkedVector<Links>& links, std::uint64_t position) {
    std::size_t low = 0, high = links.size();
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (links[mid].position < position) low = mid + 1;
        else high = mid;
    }
    return low;
}

// How far the tracker reads a message (observe), tracking calls or not.
ReadExtent read_tracked(const Message& m) {
    if (m.is_request) return summary_reads_whole(m.method) ? ReadExtent::whole : ReadExtent::transaction_keys;
    return is_analysed_status(m.status_code) ? ReadExtent::whole : ReadExtent::start_line;
}

// Calls not tracked: a request is paired with nothing, so only its start line.
ReadExtent read_alone(const Message& m) { return m.is_request ? ReadExtent::start_line : read_tracked(m); }

// For redirect-not-followed, where no target of redirect `a` was followed:
// whether each target that `follows` shows not tried before is one its
// check against the request found a SIPS downgrade (and there is at least
// one). An unreadable target, or targets left out of the analysis, leave
// the question open: false.
bool untried_are_sips_downgrades(const ResponseAnalysis& a, const std::vector<TargetFollow>& follows) {
    if (a.targets_omitted != 0) return false;
    bool any = false;
    for (std::size_t i = 0; i < a.targets.size(); ++i) {
        if (i < follows.size() && follows[i].tried_frame != 0) continue;
        const auto index = static_cast<std::int32_t>(i);
        const bool downgrade = std::any_of(a.findings.begin(), a.findings.end(), [&](const Finding& f) {
            return f.rule == RuleId::sips_downgrade && f.target == index;
        });
        if (!downgrade) return false;
        any = true;
    }
    return any;
}

}  // namespace

std::uint64_t CaptureTracker::text_digest(std::string_view t) {
    KeyHash h;
    h.add(t);
    return h.value();
}

// A string seen lately is kept once (methods, and the URIs a capture
// repeats call after call).
CaptureTracker::TextRef CaptureTracker::keep(std::string_view t, std::uint64_t digest) {
    if (t.empty()) return {};
    if (const TextStore::Ref seen = recent_texts_.find(digest, t, texts_)) return TextRef{seen};
    const TextRef kept{texts_.add(t)};
    if (kept.ref != 0) recent_texts_.remember(digest, kept.ref);
    return kept;
}

// The kept copy is read again only when its bytes differ: a request to a
// target is mostly written the way the Contact gave it (uri_equal says
// the same of equal bytes, without the reading).
bool CaptureTracker::same_uri(TextRef kept, const Uri& uri) const {
    const std::string_view k = text(kept);
    if (k == uri.text) return uri.valid;
    return afford_comparison(k.size() + uri.text.size()) && uri_equal(parse_uri(k), uri);
}

bool CaptureTracker::afford_comparison(std::size_t bytes) const {
    if (bytes > compare_budget_) {
        compare_budget_out_ = true;
        return false;
    }
    compare_budget_ -= bytes;
    return true;
}

// The same for a kept target and a Request-URI that may lead to it, by
// name or, for a tel target, by dialling its number (19.1.6).
bool CaptureTracker::names_target(const UriComparedOften& request, TextRef kept_target) const {
    const Uri& request_uri = request.uri();
    const std::string_view k = text(kept_target);
    if (k == request_uri.text) return request_uri.valid;
    if (!afford_comparison(k.size() + request_uri.text.size())) return false;
    const Uri target = parse_uri(k);
    return request_uri_names_target(request, target) || request_uri_dials_target(request_uri, target);
}

// Whether a Request-URI dials the number of a kept SIP target marked
// user=phone through another URI (19.1.6), the target not named itself.
bool CaptureTracker::dials_number_of(const Uri& request_uri, TextRef kept_target) const {
    const std::string_view k = text(kept_target);
    return afford_comparison(k.size() + request_uri.text.size()) &&
           request_uri_dials_number_of(request_uri, parse_uri(k));
}

// Whether the request whose Request-URI is kept as `request_uri` reached
// `rec` only by dialling a target's number through another URI: the
// wording of its link. Read only for a redirect with such a target.
bool CaptureTracker::follows_by_number_alone(const RedirectRecord& rec, TextRef request_uri) const {
    if (rec.code == 305) return false;  // the same Request-URI through the proxy
    bool numbers = false;
    for (std::uint32_t k = 0; k < rec.target_count && !numbers; ++k) numbers = targets_[rec.first_target + k].number_digest != 0;
    if (!numbers) return false;
    const Uri requested = parse_uri(text(request_uri));
    bool by_number = false;
    for (std::uint32_t k = 0; k < rec.target_count; ++k) {
        const TrackedTarget& t = targets_[rec.first_target + k];
        if (names_target(requested, t.uri)) return false;
        if (t.number_digest != 0 && !by_number) by_number = dials_number_of(requested, t.uri);
    }
    return by_number;
}

CaptureTracker::ReachedDigests::ReachedDigests(const Uri& request_uri) : uri(uri_digest(request_uri)) {
    const Uri dialled = telephone_uri_of(request_uri);
    dials = dialled.valid;
    if (dials) telephone = uri_digest(dialled);
}

// On the first pass the message asked about is the newest: the last entry
// or none (most requests have no links), found without a search.
template <typename Links>
const Links* CaptureTracker::find_position(const ChunkedVector<Links>& links, std::uint64_t position) {
    if (links.empty() || links.back().position < position) return nullptr;
    if (links.back().position == position) return &links.back();
    const std::size_t at = lower_position(links, position);
    return at < links.size() && links[at].position == position ? &links[at] : nullptr;
}

// The first pass meets positions in increasing order, so this appends; a
// position met out of order is inserted where it belongs, and one met again
// is replaced.
template <typename Links>
Links& CaptureTracker::append_position(ChunkedVector<Links>& links, std::uint64_t position) {
    Links fresh{};
    fresh.position = position;
    if (links.empty() || links.back().position < position) {
        links.push_back(fresh);
        return links.back();
    }
    const std::size_t at = lower_position(links, position);
    if (at < links.size() && links[at].position == position) {
        links[at] = fresh;
        return links[at];
    }
    links.insert(at, fresh);
    return links[at];
}

const MessageReport& CaptureTracker::observe(const MessagePosition& where, std::string_view bytes) noexcept {
    report_.message = &message_;
    report_.internal_error = nullptr;
    report_.analysed = false;
    report_.request = nullptr;
    report_.response_time_ns = 0;
    report_.judged_alone = !settings_.across_messages;
    report_.unreadable_messages = unreadable_before(where.frame);
    SequenceReport& seq = report_.sequence;
    seq.whole_file = !where.first_pass;
    seq.copy_of = 0;
    seq.duplicate_of = 0;
    seq.duplicate_delay_ns = 0;
    seq.tcp_resend_of = 0;
    seq.tcp_resend_delay_ns = 0;
    seq.copy_after_ack_frame = 0;
    seq.copy_after_ack_ns = 0;
    seq.copy_after_ack_elsewhere = false;
    seq.no_record_route = false;
    seq.redirect_depth = 0;
    seq.redirected_by = 0;
    seq.redirected_delay_ns = 0;
    seq.redirected_by_hidden = false;
    seq.redirected_as_new_call = false;
    seq.redirected_by_number = false;
    seq.sent_to_proxy_uri = false;
    seq.follows.clear();
    seq.ack = AckState::not_applicable;
    seq.ack_frame = 0;
    seq.ack_delay_ns = 0;
    seq.ack_hidden = false;
    seq.ack_elsewhere = false;
    seq.retransmissions = 0;
    seq.retransmissions_after_ack = 0;
    seq.capture_left_ns = 0;
    seq.other_branch_ack_frame = 0;
    seq.other_fork_ack_frame = 0;
    seq.other_fork_frame = 0;
    seq.uris_not_all_compared = false;
    seq.findings.clear();
    compare_budget_ = kCompareBudget;
    compare_budget_out_ = false;
    try {
        // A 1xx or a 4xx-6xx tells the tracker nothing (nothing analyses
        // it, nothing is paired with it), so its header section is not
        // read: a quarter of a field capture's messages, and a broken one
        // there is the SIP dissector's to report, not sipresp's. With calls
        // not tracked, the same holds for every request. Of a request the
        // tracker needs only its keys (Via, From, To, Call-ID, CSeq), and
        // the lines after them are not read either (most of the header
        // section of an ACK or a BYE), except where the request may open a
        // dialog (its Record-Route or Contact says whether the dialog needs
        // SIPS), set a lifetime (a PUBLISH's Expires) or query bindings (a
        // REGISTER without Contact): summary_reads_whole.
        parse_message(bytes, message_, settings_.across_messages ? read_tracked : read_alone, where.cut_by_capture);
        if (where.first_pass) last_time_ns_ = std::max(last_time_ns_, where.time_ns);
        if (message_.status != ParseStatus::complete) {
            if (where.first_pass && where.shown) note_unreadable(where.frame);
            return report_;
        }
        if (where.first_pass && !where.shown && settings_.across_messages) note_hidden(where.frame);
        if (!settings_.across_messages) {
            if (!message_.is_request && is_analysed_status(message_.status_code)) {
                analyse_response(message_, report_.analysis);
                report_.analysed = true;
            }
            return report_;
        }
        if (message_.is_request) {
            if (where.first_pass) {
                if (message_.method == "ACK") observe_ack(where);
                else report_request(where, observe_request(where));
            } else if (message_.method != "ACK") {
                // the request this is, if it is the first of its transaction
                report_request(where, request_by_transaction_.get(transaction_key(message_, parse_cseq(message_))));
            }
        } else if (is_analysed_status(message_.status_code)) {
            observe_response(where);
        }
        note_uncompared(where);
    } catch (const std::bad_alloc&) {
        report_.analysed = false;
        report_.internal_error = "out of memory while analysing this message";
    } catch (...) {
        report_.analysed = false;
        report_.internal_error = "internal error while analysing this message";
    }
    return report_;
}

namespace {

std::size_t count_before(const std::vector<std::uint32_t>& frames, std::uint32_t frame) {
    return static_cast<std::size_t>(std::lower_bound(frames.begin(), frames.end(), frame) - frames.begin());
}

void insert_in_order(std::vector<std::uint32_t>& frames, std::uint32_t frame) {
    // (the first pass meets frames in order; one met out of order is put
    // where it belongs)
    frames.insert(std::upper_bound(frames.begin(), frames.end(), frame), frame);
}

}  // namespace

// Counted by frame, not as met, so that a later pass says what the first
// said: a message the first pass has not reached yet is in a later frame,
// and a request whose rest came later was not read yet.
std::uint32_t CaptureTracker::unreadable_before(std::uint32_t frame) const {
    // (a rest comes after its start: each counted here has its start too)
    return static_cast<std::uint32_t>(count_before(unreadable_frames_, frame) - count_before(rest_frames_, frame));
}

void CaptureTracker::awaits_rest(std::uint32_t frame) noexcept {
    try {
        awaiting_rest_frames_.reserve(awaiting_rest_frames_.size() + 1);
        note_unreadable(frame);
        insert_in_order(awaiting_rest_frames_, frame);
    } catch (...) {
        // (out of memory: it is not counted)
    }
}

void CaptureTracker::rest_came(std::uint32_t frame, std::uint32_t whole_frame) noexcept {
    const auto at = std::lower_bound(awaiting_rest_frames_.begin(), awaiting_rest_frames_.end(), frame);
    if (at == awaiting_rest_frames_.end() || *at != frame || whole_frame <= frame) return;
    try {
        insert_in_order(rest_frames_, whole_frame);
        awaiting_rest_frames_.erase(at);
    } catch (...) {
        // (out of memory: it stays counted)
    }
}

void CaptureTracker::note_unreadable(std::uint32_t frame) { insert_in_order(unreadable_frames_, frame); }

bool CaptureTracker::hidden_frame(std::uint32_t frame) const {
    return !hidden_frames_.empty() && std::binary_search(hidden_frames_.begin(), hidden_frames_.end(), frame);
}

void CaptureTracker::note_hidden(std::uint32_t frame) {
    // (a segment of several messages is noted once)
    const auto at = std::lower_bound(hidden_frames_.begin(), hidden_frames_.end(), frame);
    if (at == hidden_frames_.end() || *at != frame) hidden_frames_.insert(at, frame);
}

// A message that ran out of its comparisons on the first pass says so on
// every pass: its links were made then, and later passes do not redo them.
void CaptureTracker::note_uncompared(const MessagePosition& where) {
    if (compare_budget_out_ && where.first_pass) insert_in_order(uncompared_frames_, where.frame);
    report_.sequence.uris_not_all_compared =
        compare_budget_out_ || (!uncompared_frames_.empty() && std::binary_search(uncompared_frames_.begin(),
                                                                                  uncompared_frames_.end(), where.frame));
}

// ---- requests ---------------------------------------------------------------

// Returns the request's slot, or 0 for a retransmission.
std::uint32_t CaptureTracker::observe_request(const MessagePosition& where) {
    // Every table this request will be looked up in is asked for first, and
    // the lookups come after: each is likely a cache miss (the tables are
    // megabytes, and Wireshark's own work between two messages pushes them
    // out), and asked for together they wait for memory once, not in turn.
    const CSeq cseq = parse_cseq(message_);
    const std::uint64_t transaction = transaction_key(message_, cseq);
    request_by_transaction_.prefetch(transaction);
    const std::string_view tag = to_tag(message_);  // read once for the summary and the dialog
    const RequestSummary summary = summarize_request(message_, tag);
    const std::uint64_t uri_digest = text_digest(summary.request_uri);
    recent_texts_.prefetch(uri_digest);
    // (a CANCEL is looked up by its transaction alone)
    const bool cancel = message_.method == "CANCEL";
    std::uint64_t dialog = 0;
    CallerKeys caller;
    if (!cancel && summary.to_tag) {
        dialog = dialog_ack_key(message_, tag);
        final_by_dialog_.prefetch(dialog);
    } else if (!cancel) {
        caller = caller_keys(message_);
        redirect_by_call_.prefetch(caller.call);
        redirect_by_dialog_.prefetch(caller.dialog);
        redirected_clients_.prefetch(caller.client);
    }

    // retransmissions keep the first copy (17.2.3)
    auto& by_transaction = request_by_transaction_[transaction];
    if (by_transaction != 0) return 0;
    RequestRecord record;
    record.frame = where.frame;
    record.index = index_byte(where);
    record.time = KeptTime::of(where.time_ns);
    record.request_uri = keep(summary.request_uri, uri_digest);
    record.to_tag = summary.to_tag;
    record.dialog_needs_sips = summary.dialog_needs_sips;
    record.asks_no_time = summary.asks_no_time;
    record.queries_bindings = summary.queries_bindings;
    if (message_.method == "REGISTER" && !summary.queries_bindings) {
        write_removed_bindings(message_, removal_scratch_);
        record.removes_bindings = !removal_scratch_.empty();
    }
    record.method_is_cseq = summary.method == cseq.method;
    // (see LinkedRequest)
    std::uint32_t slot;
    if (cancel || (summary.to_tag && message_.method != "INVITE")) {
        plain_requests_.push_back(record);
        slot = static_cast<std::uint32_t>(plain_requests_.size()) | kPlainSlot;
    } else {
        linked_requests_.push_back({record, 0, 0});
        slot = static_cast<std::uint32_t>(linked_requests_.size());
    }
    by_transaction = slot;
    if (!record.method_is_cseq) odd_methods_[combine(slot, kOddMethodSalt)] = keep(summary.method).ref;
    if (record.removes_bindings) removals_[combine(slot, kRemovalSalt)] = keep(removal_scratch_).ref;

    // A CANCEL repeats its INVITE's Request-URI; it goes nowhere new.
    if (cancel) return slot;
    if (summary.to_tag) {
        // Inside a dialog: evidence for the dialog's 2xx (its caller got
        // far enough to send more, so an ACK should have gone the same way).
        std::uint32_t f = final_by_dialog_.get(dialog);
        for (int steps = 0; f != 0 && steps < kMaxWalk; ++steps) {
            const SuccessRecord& fin = successes_[f - 1];
            if (fin.first.ack_frame == 0) {
                auto& later = later_request_by_success_[f];
                if (later == 0) later = where.frame;
            }
            f = fin.next_in_dialog;
        }
        return slot;
    }
    // Most requests come from callers no redirect ever answered: nothing
    // to link or check, so their Request-URI need not even be read.
    if (!redirect_by_call_.find(caller.call) && !redirect_by_dialog_.find(caller.dialog) &&
        !redirected_clients_.may_contain(caller.client))
        return slot;
    const Uri request_uri = parse_uri(message_.request_uri);
    if (!request_uri.valid) return slot;
    RequestLinks links;
    links.first_finding = static_cast<std::uint32_t>(request_findings_.size());
    const ReachedDigests reached(request_uri);
    follow_redirects(where, caller, request_uri, reached, slot, links);
    // A request that follows a redirect of its own call is not using a
    // cache; only one that does not is checked against earlier calls (and
    // linked there instead when it follows one as a new call).
    if (redirect_of(slot) == 0) check_reuse(where, caller, request_uri, reached, slot, links);
    if (links.finding_count != 0) {
        RequestLinks& stored = append_position(request_links_, position_key(where));
        const std::uint64_t position = stored.position;
        stored = links;
        stored.position = position;
    }
    return slot;
}

void CaptureTracker::add_request_finding(RequestLinks& links, const SequenceFinding& f) {
    request_findings_.push_back(f);
    ++links.finding_count;
}

// Links a new out-of-dialog request to the newest redirect of the same
// caller (same Call-ID, else same From URI and tag) that lists its
// Request-URI, and walks the chain back for URIs already tried.
void CaptureTracker::follow_redirects(const MessagePosition& where, const CallerKeys& caller,
                                      const Uri& request_uri, const ReachedDigests& reached,
                                      std::uint32_t request_slot, RequestLinks& links) {
    std::uint32_t newest = 0;
    const UriComparedOften often(request_uri);  // with every target of the walks
    // The redirects the walk by Call-ID met: a caller's redirects mostly
    // share its From tag too, and the walk by it need not compare their
    // targets again (the same answers; the budget spent once).
    std::uint32_t met_by_call[kMaxWalk];
    int met = 0;
    const auto walk = [&](std::uint32_t head, bool by_call) {
        std::uint32_t r = head;
        for (int steps = 0; r != 0 && steps < kMaxWalk; ++steps) {
            RedirectRecord& rec = redirects_[r - 1];
            const std::uint32_t next = by_call ? rec.previous_in_call : rec.previous_in_dialog;
            if (by_call) {
                met_by_call[met++] = r;
            } else if (std::find(met_by_call, met_by_call + met, r) != met_by_call + met) {
                r = next;
                continue;
            }
            bool listed = false;
            for (std::uint32_t k = 0; k < rec.target_count; ++k) {
                TrackedTarget& t = targets_[rec.first_target + k];
                // the target itself, else (a SIP target marked user=phone)
                // its number through a host of the client's own
                if (!(reached.may_reach(t.digest) && names_target(often, t.uri)) &&
                    !(reached.may_dial_number_of(t) && dials_number_of(request_uri, t.uri)))
                    continue;
                listed = true;
                // every copy of the redirect (proxy legs) counts as followed
                if (t.followed_by == 0) t.followed_by = request_slot;
            }
            // 305: the same Request-URI again, now through the named proxy (21.3.4)
            if (!listed && rec.code == 305 && rec.request_slot != 0 && rec.target_count != 0 &&
                same_uri(request(rec.request_slot).request_uri, request_uri)) {
                listed = true;
                TrackedTarget& t = targets_[rec.first_target];
                if (t.followed_by == 0) t.followed_by = request_slot;
            }
            if (listed && r > newest) newest = r;
            r = next;
        }
    };
    if (const auto* c = redirect_by_call_.find(caller.call)) walk(*c, true);
    if (const auto* d = redirect_by_dialog_.find(caller.dialog)) walk(*d, false);
    if (newest != 0) link_to_redirect(where, request_uri, request_slot, newest, links);
}

// The request in `slot`, or the one it was redirected from, and so on back
// along its redirect chain, that `matches`; nullptr none.
template <typename Match>
const CaptureTracker::RequestRecord* CaptureTracker::find_in_chain(std::uint32_t slot, Match matches) const {
    for (int steps = 0; slot != 0 && steps < kMaxWalk; ++steps) {
        const RequestRecord& e = request(slot);
        if (matches(e)) return &e;
        const std::uint32_t followed = redirect_of(slot);
        slot = followed ? redirects_[followed - 1].request_slot : 0;
    }
    return nullptr;
}

// Records that the request in `request_slot` follows `redirect` (1-based
// in redirects_), and whether it retries a URI of the chain that led there.
void CaptureTracker::link_to_redirect(const MessagePosition& where, const Uri& request_uri, std::uint32_t request_slot,
                                      std::uint32_t redirect, RequestLinks& links) {
    const RedirectRecord& rec = redirects_[redirect - 1];
    // (out of a dialog and not a CANCEL, so always a LinkedRequest)
    if (LinkedRequest* l = linked(request_slot)) l->redirect_slot = redirect;
    // A 305 asks for the same Request-URI again through its proxy (21.3.4):
    // that is a retry only when an earlier 305 of the chain already sent
    // this URI through the same proxy (a proxy that keeps answering 305).
    if (rec.code == 305 && rec.target_count != 0 && rec.request_slot != 0 &&
        same_uri(request(rec.request_slot).request_uri, request_uri)) {
        if (const RequestRecord* e = find_via_same_proxy(rec, request_uri))
            add_request_finding(links, {RuleId::target_retried, e->frame, where.time_ns - e->time.near(where.time_ns), 0});
        return;
    }
    // target-retried: the URI was already requested earlier in this chain
    // (the redirected request, the one that led to it, ...). Siblings of the
    // same redirect and repeats of one attempt are not in that path.
    if (const RequestRecord* e =
            find_in_chain(rec.request_slot, [&](const RequestRecord& r) { return same_uri(r.request_uri, request_uri); }))
        add_request_finding(links, {RuleId::target_retried, e->frame, where.time_ns - e->time.near(where.time_ns), 0});
}

// For a request that repeats `use_proxy`'s (a 305) Request-URI: the request
// of its chain that already sent that URI after an earlier 305 naming the
// same proxy, nullptr none.
const CaptureTracker::RequestRecord* CaptureTracker::find_via_same_proxy(const RedirectRecord& use_proxy,
                                                                          const Uri& request_uri) const {
    const TrackedTarget& proxy = targets_[use_proxy.first_target];
    std::uint32_t slot = use_proxy.request_slot;
    for (int steps = 0; slot != 0 && steps < kMaxWalk; ++steps) {
        const std::uint32_t followed = redirect_of(slot);
        if (followed == 0) break;  // the chain's first request: most resends stop here
        const RedirectRecord& earlier = redirects_[followed - 1];
        const RequestRecord& sent = request(slot);
        if (earlier.code == 305 && earlier.target_count != 0 && earlier.request_slot != 0) {
            const TrackedTarget& earlier_proxy = targets_[earlier.first_target];
            if (earlier_proxy.digest == proxy.digest && same_uri(earlier_proxy.uri, parse_uri(text(proxy.uri))) &&
                same_uri(sent.request_uri, request_uri) && same_uri(request(earlier.request_slot).request_uri, request_uri))
                return &sent;
        }
        slot = earlier.request_slot;
    }
    return nullptr;
}

// Marks in `seq.follows` each target of `rec` that nobody followed because
// the chain that led to `rec` had already requested it (the redirected
// request itself included), citing the nearest such request: a client puts
// a URI in its target set once (8.1.3.4), so asking it again would be
// target-retried. Returns how many. Each request of the chain is read once,
// and only targets with its digest are compared with it, as when a request
// is matched with its redirect (follow_redirects).
std::uint32_t CaptureTracker::mark_tried_targets(const RedirectRecord& rec, SequenceReport& seq) const {
    const auto open = [&](const TrackedTarget& t) {
        return t.followed_by == 0 && t.index < seq.follows.size() && seq.follows[t.index].tried_frame == 0;
    };
    std::uint32_t left = 0;
    for (std::uint32_t k = 0; k < rec.target_count; ++k) left += open(targets_[rec.first_target + k]) ? 1 : 0;
    const std::uint32_t unfollowed = left;
    find_in_chain(rec.request_slot, [&](const RequestRecord& r) {
        const Uri requested = parse_uri(text(r.request_uri));
        if (!requested.valid) return false;
        const ReachedDigests reached(requested);
        for (std::uint32_t k = 0; k < rec.target_count; ++k) {
            const TrackedTarget& t = targets_[rec.first_target + k];
            if (!open(t) || !reached.may_reach(t.digest) || !names_target(requested, t.uri)) continue;
            seq.follows[t.index].tried_frame = r.frame;
            seq.follows[t.index].tried_before_ns = rec.time_ns - r.time.near(rec.time_ns);
            --left;
        }
        return left == 0;  // every target placed: the rest of the chain is not read
    });
    return unfollowed - left;
}

// The same for a 305, whose target is a proxy to send the same request
// through (21.3.4): its proxy is already tried when the request it answers
// went through that proxy after an earlier 305 of the chain, so sending it
// there again would be target-retried. Returns 1 when so, else 0.
std::uint32_t CaptureTracker::mark_tried_proxy(const RedirectRecord& rec, SequenceReport& seq) const {
    if (rec.target_count == 0 || rec.request_slot == 0) return 0;
    const TrackedTarget& proxy = targets_[rec.first_target];
    if (proxy.followed_by != 0 || proxy.index >= seq.follows.size()) return 0;
    const Uri requested = parse_uri(text(request(rec.request_slot).request_uri));
    if (!requested.valid) return 0;
    const RequestRecord* sent = find_via_same_proxy(rec, requested);
    if (sent == nullptr) return 0;
    seq.follows[proxy.index].tried_frame = sent->frame;
    seq.follows[proxy.index].tried_before_ns = rec.time_ns - sent->time.near(rec.time_ns);
    return 1;
}

// How many redirects led to the request in `slot` (0: none, or no request).
std::uint16_t CaptureTracker::redirect_depth(std::uint32_t slot) const {
    const std::uint32_t followed = redirect_of(slot);
    return followed == 0 ? 0 : redirects_[followed - 1].depth;
}

// Whether a new call to target `t` of `redirect`, unused until now, is the
// client still acting on that redirect: within Timer B (64*T1, the longest
// one INVITE is tried, 17.1.1.2) of the redirect or of the latest request
// to another of its targets. A B2BUA places each try as a new call.
bool CaptureTracker::still_following(std::uint32_t redirect, const TrackedTarget& t, std::int64_t now_ns) const {
    if (t.followed_by != 0) return false;
    const RedirectRecord& rec = redirects_[redirect - 1];
    std::int64_t latest = rec.time_ns;
    for (std::uint32_t k = 0; k < rec.target_count; ++k) {
        const std::uint32_t by = targets_[rec.first_target + k].followed_by;
        if (by != 0) latest = std::max(latest, request(by).time.near(now_ns));
    }
    return now_ns - latest <= kAckWindowNs;
}

// A new call (another Call-ID) from the same client to a URI an earlier
// redirect named: the redirect followed as a new call (still_following),
// else a cached target (21.3.3), or a URI a 301 moved.
void CaptureTracker::check_reuse(const MessagePosition& where, const CallerKeys& caller, const Uri& request_uri,
                                 const ReachedDigests& reached, std::uint32_t request_slot, RequestLinks& links) {
    const std::uint64_t key = combine(caller.client, reached.uri);
    const std::uint32_t call = call_tag(caller.call);
    // the target under the URI's own digest, else a tel target it dials
    auto* found = target_by_client_.find(key);
    if (found == nullptr && reached.dials) found = target_by_client_.find(combine(caller.client, reached.telephone));
    bool named = false;
    if (found != nullptr) {
        const std::uint32_t redirect = target_ref_redirect(*found);
        const RedirectRecord& rec = redirects_[redirect - 1];
        TrackedTarget& t = targets_[rec.first_target + target_ref_place(*found)];
        if (rec.call != call && names_target(request_uri, t.uri)) {
            named = true;
            if (still_following(redirect, t, where.time_ns)) {
                t.followed_by = request_slot;
                link_to_redirect(where, request_uri, request_slot, redirect, links);
                return;
            }
            const std::int64_t since = where.time_ns - rec.time_ns;
            if (t.lifetime_source == LifetimeSource::none) {
                if (rec.code == 302) add_request_finding(links, {RuleId::cached_without_lifetime, rec.first.frame, since, 0});
            } else {
                const std::int64_t overdue = since - std::int64_t{t.lifetime_seconds} * 1'000'000'000;
                if (overdue > 0) add_request_finding(links, {RuleId::used_after_expiry, rec.first.frame, overdue, 0});
            }
        }
    }
    // A SIP target's number dialled through another URI by a new call: the
    // redirect followed as a new leg while the client still acts on it; any
    // later call to the number is no use of a cached target (the client
    // routes the number itself, and a number is called again and again).
    if (!named && reached.dials) {
        if (const auto* number = target_by_client_.find(number_key(caller.client, reached.telephone))) {
            const std::uint32_t redirect = target_ref_redirect(*number);
            const RedirectRecord& rec = redirects_[redirect - 1];
            TrackedTarget& t = targets_[rec.first_target + target_ref_place(*number)];
            if (rec.call != call && still_following(redirect, t, where.time_ns) && dials_number_of(request_uri, t.uri)) {
                t.followed_by = request_slot;
                link_to_redirect(where, request_uri, request_slot, redirect, links);
                return;
            }
        }
    }
    if (const auto* found = moved_by_client_.find(key)) {
        const RedirectRecord& rec = redirects_[*found - 1];
        if (rec.call != call && rec.request_slot != 0 &&
            same_uri(request(rec.request_slot).request_uri, request_uri))
            add_request_finding(links, {RuleId::moved_permanently_ignored, rec.first.frame, where.time_ns - rec.time_ns, 0});
    }
}

// The fold of a transport address's fingerprint kept in a SuccessRecord
// (15 bits; 0 unknown). Two addresses of one dialog look alike 1 time in
// 32,768: its ACKs are then told apart as if no address were known.
static std::uint16_t endpoint_check(std::uint32_t endpoint) {
    if (endpoint == 0) return 0;
    const auto folded = static_cast<std::uint16_t>((endpoint ^ (endpoint >> 15) ^ (endpoint >> 30)) & 0x7fff);
    return folded != 0 ? folded : 1;
}

// The first ACK of a final response is the one it keeps.
void CaptureTracker::record_ack(FirstCopy& final, const MessagePosition& ack) {
    if (final.ack_frame == 0) final.ack_frame = ack.frame, final.ack_time = KeptTime::of(ack.time_ns);
}

// An ACK of a 2xx. The first met is kept, unless a later one goes back to
// the 2xx's sender where the kept one went elsewhere: at a proxy the
// caller's ACK passes first, and the relay the callee waits for after it.
// Every copy seen until that relay came before it, the one close behind
// the caller's ACK too: no ACK was on its way to the sender then.
void CaptureTracker::record_ack(SuccessRecord& success, const MessagePosition& ack) {
    FirstCopy& first = success.first;
    const bool to_sender = success.sender != 0 && endpoint_check(ack.destination) == success.sender;
    if (first.ack_frame != 0 && (success.ack_to_sender || !to_sender)) return;
    if (first.ack_frame != 0) {
        const unsigned before = first.retransmissions_before_ack + first.retransmissions_after_ack +
                                (first.copy_near_ack_elsewhere ? 1 : 0);
        first.retransmissions_before_ack = before < kMaxCopiesBeforeAck ? before : kMaxCopiesBeforeAck;
        first.retransmissions_after_ack = 0;
        first.copy_near_ack_elsewhere = false;
    }
    first.ack_frame = ack.frame;
    first.ack_time = KeptTime::of(ack.time_ns);
    success.ack_to_sender = to_sender;
}

// Whether the ACK kept for this first copy went to another address than
// the one the 2xx came from: the sender has not been sent it (yet).
bool CaptureTracker::ack_elsewhere(std::uint32_t response) const {
    if (is_redirect_copy(response)) return false;
    const SuccessRecord& success = successes_[response - 1];
    return success.first.ack_frame != 0 && success.sender != 0 && !success.ack_to_sender;
}

void CaptureTracker::observe_ack(const MessagePosition& where) {
    const CSeq cseq = parse_cseq(message_);
    // (an ACK of a dialog has its To tag; its key is read here so that an
    // ACK sent again for another fork's 2xx is noted before it is recorded)
    const std::uint64_t dialog = dialog_ack_key(message_);
    if (forks_by_invite_.size() != 0 && cseq.valid) note_fork_ack(where, cseq, dialog);
    // ACK of a 2xx: a new transaction in the dialog, same CSeq number
    // (13.2.2.4). Looked for first: most ACKs are of a 2xx, and an ACK
    // carries the To tag of what it acknowledges, so one that finds its 2xx
    // here acknowledges no non-2xx, not even on the INVITE's branch (RFC
    // 2543 stacks reuse it), where another fork's 3xx has another tag.
    bool of_2xx = false;
    bool all_acked = true;
    std::uint32_t f = final_by_dialog_.get(dialog);
    for (int steps = 0; f != 0 && steps < kMaxWalk; ++steps) {
        SuccessRecord& fin = successes_[f - 1];
        if (cseq.valid && fin.first.cseq_low == static_cast<std::uint8_t>(cseq.number)) {
            of_2xx = true;
            record_ack(fin, where);
        }
        // (one whose ACK went elsewhere still waits for the relay to its sender)
        all_acked = all_acked && fin.first.ack_frame != 0 && (fin.sender == 0 || fin.ack_to_sender);
        f = fin.next_in_dialog;
    }
    // Nothing more is asked of a dialog whose every 2xx has its ACK: later
    // requests are evidence only of an ACK missing, and copies are told
    // apart by their records (same_identity). So the entry goes, and the
    // table holds the calls being set up, not every call in the file.
    if (of_2xx && all_acked && f == 0) final_by_dialog_.erase(dialog);
    if (of_2xx) return;
    // ACK of a non-2xx: the INVITE's own transaction, hop by hop (17.1.1.3)
    const std::uint64_t invite = ack_invite_key(message_, cseq);
    const std::uint32_t request_slot = request_by_transaction_.get(invite);
    // A copy of the ACK of a 2xx whose dialog is gone from final_by_dialog_
    // ends here too when it reuses the INVITE's branch (RFC 2543 stacks):
    // its To tag names that 2xx, so it acknowledges no non-2xx.
    if (find_original(invite, dialog, request_slot) != 0) return;
    if (const std::uint32_t original = find_original(invite, 0, request_slot)) {
        FirstCopy& fin = first_copy(original);
        if (fin.final_to_invite) record_ack(fin, where);
        return;
    }
    note_other_branch_ack(where, cseq);
}

// An ACK that matches no INVITE transaction, yet names the call and CSeq
// number of a redirect still without its ACK: sent on a branch of its own,
// as SIPVicious's svwar does. A non-2xx's ACK belongs to the INVITE's own
// transaction (17.1.1.3), so no server takes this one for it and a stateful
// one goes on sending the 3xx; the redirect says so. Only redirects are
// kept by Call-ID, and this runs only for ACKs that matched nothing.
void CaptureTracker::note_other_branch_ack(const MessagePosition& where, const CSeq& cseq) {
    if (!cseq.valid) return;
    const auto* newest = redirect_by_call_.find(call_key(message_));
    std::uint32_t r = newest ? std::uint32_t{*newest} : 0;
    for (int steps = 0; r != 0 && steps < kMaxWalk; ++steps) {
        const RedirectRecord& rec = redirects_[r - 1];
        if (rec.first.final_to_invite && rec.first.ack_frame == 0 &&
            rec.first.cseq_low == static_cast<std::uint8_t>(cseq.number)) {
            auto& frame = other_branch_ack_by_redirect_[r];
            if (frame == 0) frame = where.frame;
            return;
        }
        r = rec.previous_in_call;
    }
}

// A 2xx met for the first time, on a transaction whose first response was
// the 2xx of another fork (another To tag): both are kept by what the ACK
// of either names, for note_fork_ack. Forks answering one INVITE are rare,
// so the table is too.
void CaptureTracker::note_later_fork(std::uint32_t request_slot, std::uint32_t success, std::uint32_t cseq_number) {
    const std::uint32_t first = first_response_of(request_slot);
    if (first == 0 || is_redirect_copy(first)) return;  // (`success` is not its request's first yet)
    forks_by_invite_[fork_key(cseq_number)] = (std::uint64_t{first} << 32) | success;
}

// An ACK of the first fork's dialog while a later fork's 2xx waits for its
// own, with no copy of the first fork's 2xx since that dialog's ACK to call
// for it: the caller took the later 2xx for a copy of the first (matched
// it by transaction, not To tag) and acknowledged the first again, where
// each 2xx needs an ACK of its own (13.2.2.4). It must go the way that ACK
// went, to the first 2xx's sender or (no Record-Route) elsewhere: at a
// proxy the relay of the ACK on to the callee passes too. A second capture
// of one packet (under kDuplicateNs after the ACK) does not count, nor does
// anything when the addresses or the first 2xx's last copy are not known,
// or when that 2xx was sent again before its ACK: a caller slow to ACK may
// answer the first copy and the next one with two ACKs in a row.
void CaptureTracker::note_fork_ack(const MessagePosition& where, const CSeq& cseq, std::uint64_t dialog) {
    if (where.tcp_place_repeated) return;  // TCP's copy: the caller sent nothing
    const auto* found = forks_by_invite_.find(fork_key(cseq.number));
    if (!found) return;
    const std::uint64_t forks = *found;
    const auto first = static_cast<std::uint32_t>(forks >> 32);
    const auto later = static_cast<std::uint32_t>(forks);
    const SuccessRecord& a = successes_[first - 1];
    const SuccessRecord& b = successes_[later - 1];
    const auto check = static_cast<std::uint16_t>(dialog);
    if (b.first.ack_frame != 0 || a.dialog_check != check || b.dialog_check == check) return;
    if (a.first.ack_frame == 0 || a.first.ack_frame == where.frame || a.first.retransmissions_before_ack != 0 ||
        a.sender == 0 ||
        (endpoint_check(where.destination) == a.sender) != (a.ack_to_sender != 0))
        return;
    const std::int64_t acked_ns = a.first.ack_time.near(where.time_ns);
    if (where.time_ns - acked_ns < kDuplicateNs) return;
    RecentCopies::Copy copy;
    if (!recent_copies_.last_seen(first, copy) || copy.time_ns > acked_ns) return;
    auto& frame = other_fork_ack_by_success_[later];
    if (frame == 0) frame = where.frame;
}

// The ACK note_fork_ack found for this later fork's 2xx (`success`), and
// the first fork's 2xx; none on traffic without such a caller.
CaptureTracker::OtherForkAck CaptureTracker::other_fork_ack(std::uint32_t success, const CSeq& cseq) const {
    if (other_fork_ack_by_success_.size() == 0) return {};
    const std::uint32_t ack = other_fork_ack_by_success_.get(success);
    if (ack == 0) return {};
    const auto first = static_cast<std::uint32_t>(forks_by_invite_.get(fork_key(cseq.number)) >> 32);
    return {ack, first != 0 ? successes_[first - 1].first.frame : 0};
}

// `slot`: the request of this message's transaction (0 none); it is this
// message only at the position where the first pass met it.
void CaptureTracker::report_request(const MessagePosition& where, std::uint32_t slot) {
    if (slot == 0) return;
    const RequestRecord& request = this->request(slot);
    if (request.frame != where.frame || request.index != index_byte(where)) return;
    SequenceReport& seq = report_.sequence;
    if (const std::uint32_t followed = redirect_of(slot)) {
        const RedirectRecord& redirect = redirects_[followed - 1];
        seq.redirected_by = redirect.first.frame;
        seq.redirected_by_hidden = hidden_frame(redirect.first.frame);
        seq.redirected_as_new_call = call_tag(call_key(message_)) != redirect.call;
        seq.redirected_by_number = follows_by_number_alone(redirect, request.request_uri);
        seq.redirected_delay_ns = request.time.near(redirect.time_ns) - redirect.time_ns;
        seq.redirect_depth = redirect.depth;
        if (redirect.code == 305 && redirect.request_slot != 0)
            seq.sent_to_proxy_uri = !same_uri(this->request(redirect.request_slot).request_uri,
                                              parse_uri(text(request.request_uri)));
    }
    if (request_links_.empty()) return;
    if (const RequestLinks* links = find_position(request_links_, position_key(where)))
        for (std::uint32_t k = 0; k < links->finding_count; ++k)
            seq.findings.push_back(request_findings_[links->first_finding + k]);
}

// ---- responses --------------------------------------------------------------

void CaptureTracker::observe_response(const MessagePosition& where) {
    // the request's slot loads while the response is analysed
    const CSeq cseq = parse_cseq(message_);
    const std::uint64_t transaction = transaction_key(message_, cseq);
    request_by_transaction_.prefetch(transaction);
    const bool success = message_.status_code < 300;  // else a redirect: only those two come here
    // A redirect met for the first time is indexed by its caller: those
    // slots load during the analysis too (a copy wastes the asking).
    CallerKeys caller;
    if (where.first_pass && !success) {
        caller = caller_keys(message_);
        redirect_by_call_.prefetch(caller.call);
        redirect_by_dialog_.prefetch(caller.dialog);
        redirected_clients_.prefetch(caller.client);
    }
    analyse_response(message_, cseq, report_.analysis);
    report_.analysed = true;
    const ResponseAnalysis& a = report_.analysis;
    // The request is the first of its transaction in the file, if it came
    // no later than this response: the same answer on every pass, so it
    // needs no memory per response.
    std::uint32_t request_slot = 0;
    if (const auto* found = request_by_transaction_.find(transaction);
        found && request(*found).frame <= where.frame)
        request_slot = *found;
    // Only finals to INVITE (ACKs, copies) and redirects (targets) have
    // more to remember: their first copy's record, found the same way on
    // every pass. Any later message with its identity is a copy.
    std::uint32_t response = 0;
    std::uint32_t copy_of = 0;
    const bool final_to_invite = a.cseq.valid && a.cseq.method == "INVITE";
    if (final_to_invite || a.is_redirect()) {
        // Forked 2xx share the transaction but not the To tag.
        const std::uint64_t dialog = success ? dialog_ack_key(message_) : 0;
        const std::uint8_t index = index_byte(where);
        response = find_original(transaction, dialog, request_slot);
        if (response != 0) {
            FirstCopy& first = first_copy(response);
            if (first.frame != where.frame || first.index != index) {
                copy_of = first.frame;
                // a retransmission to count, or the same packet captured
                // twice (first pass: the file in order)
                if (where.first_pass) {
                    RecentCopies::Copy last;
                    const bool known = recent_copies_.last_seen(response, last);
                    const bool twin = known && where.time_ns - last.time_ns < kDuplicateNs;
                    // the same bytes at the same place of the TCP stream
                    const bool resent_by_tcp = known && !twin && where.tcp_seq && where.tcp_seq == last.tcp_seq;
                    // (only finals to INVITE count retransmissions)
                    if (!twin && !resent_by_tcp && first.final_to_invite)
                        count_retransmission(first, where.time_ns, ack_elsewhere(response));
                    // (two copies in one frame were written twice by their sender)
                    else if ((twin || resent_by_tcp) && last.frame != where.frame)
                        note_duplicate(where, last.frame, where.time_ns - last.time_ns, resent_by_tcp);
                    recent_copies_.seen(response, {where.frame, where.time_ns, where.tcp_seq});
                }
            }
        } else if (where.first_pass) {
            FirstCopy first;
            first.frame = where.frame;
            first.index = index;
            first.final_to_invite = final_to_invite;
            first.request_seen = request_slot != 0;
            first.cseq_low = static_cast<std::uint8_t>(a.cseq.number);
            if (success) {
                response = track_success(first, dialog, where.source);
                note_later_fork(request_slot, response, a.cseq.number);
            } else {
                response = track_redirect(where, request_slot, first, caller) | kRedirectCopy;
            }
            recent_copies_.seen(response, {where.frame, where.time_ns, where.tcp_seq});
            remember_original(transaction, dialog, request_slot, response);
        }
    }
    if (request_slot != 0) {
        const RequestRecord& request = this->request(request_slot);
        RequestView& view = report_.request_storage;
        view.frame = request.frame;
        view.time_ns = request.time.near(where.time_ns);
        view.hidden = hidden_frame(request.frame);
        std::string_view method = a.cseq.method;  // the request's too: it is in the transaction key
        if (!request.method_is_cseq)
            if (const auto* odd = odd_methods_.find(combine(request_slot, kOddMethodSalt)))
                method = text(TextRef{*odd});
        view.summary = {method, text(request.request_uri), request.to_tag, request.dialog_needs_sips,
                        request.asks_no_time, request.queries_bindings, {}};
        if (request.removes_bindings)
            if (const auto* removed = removals_.find(combine(request_slot, kRemovalSalt)))
                view.summary.removed_bindings = text(TextRef{*removed});
        report_.request = &view;
        report_.response_time_ns = where.time_ns - view.time_ns;
        check_against_request(view.summary, report_.analysis);
    }
    report_response(where, response, copy_of);
}

// A 2xx to INVITE met for the first time; `dialog` is its key. Returns its
// first copy's number.
std::uint32_t CaptureTracker::track_success(const FirstCopy& first, std::uint64_t dialog, std::uint32_t sender) {
    // one dialog may show several 2xx: one per proxy leg
    auto& head = final_by_dialog_[dialog];
    SuccessRecord record{first, head, static_cast<std::uint16_t>(dialog)};
    record.sender = endpoint_check(sender);
    successes_.push_back(record);
    const auto response = static_cast<std::uint32_t>(successes_.size());
    head = response;
    return response;
}

// The first copy of a final to INVITE or a redirect is found from its
// request (request_slot, 0 when not in the capture): the request's first
// such response, if its To tag (`dialog`, 2xx only) is the same. Forked 2xx
// after the first, and responses without their request, are in a table.
// Returns the first copy's number (kRedirectCopy), or 0.
std::uint32_t CaptureTracker::find_original(std::uint64_t transaction, std::uint64_t dialog,
                                            std::uint32_t request_slot) const {
    if (const std::uint32_t first = first_response_of(request_slot)) {
        if (same_identity(first, dialog)) return first;
    }
    if (other_originals_.size() == 0) return 0;
    return other_originals_.get(combine(transaction, dialog));
}

void CaptureTracker::remember_original(std::uint64_t transaction, std::uint64_t dialog, std::uint32_t request_slot,
                                       std::uint32_t response) {
    LinkedRequest* l = linked(request_slot);
    if (l && l->first_response == 0)
        l->first_response = response;
    else
        other_originals_[combine(transaction, dialog)] = response;
}

// Whether `first`, a response to the same request, is the same response as
// one with this `dialog` key (0 unless a 2xx): both not 2xx, or both 2xx
// with the To tag, which is which fork (SuccessRecord::dialog_check).
bool CaptureTracker::same_identity(std::uint32_t first, std::uint64_t dialog) const {
    const bool first_2xx = !is_redirect_copy(first);
    if (dialog == 0 || !first_2xx) return dialog == 0 && !first_2xx;
    return successes_[first - 1].dialog_check == static_cast<std::uint16_t>(dialog);
}

// A redirect met for the first time. Returns its slot.
std::uint32_t CaptureTracker::track_redirect(const MessagePosition& where, std::uint32_t request_slot,
                                             const FirstCopy& first, const CallerKeys& caller) {
    const ResponseAnalysis& a = report_.analysis;
    RedirectRecord rec;
    rec.first = first;
    rec.time_ns = where.time_ns;
    rec.code = static_cast<std::uint16_t>(a.status.treated_as);
    rec.request_slot = request_slot;
    rec.depth = static_cast<std::uint16_t>(
        std::min<int>(UINT16_MAX, redirect_depth(request_slot) + 1));
    rec.call = call_tag(caller.call);
    rec.first_target = static_cast<std::uint32_t>(targets_.size());
    // The targets remembered, and the slots they will take in the tables
    // (kept texts, targets by client) asked for together, as in
    // observe_request: one wait for memory, not one per target and table.
    struct Tracked {
        std::size_t index;
        std::uint64_t text_digest;
        std::uint32_t uri_digest;
    };
    Tracked tracked_targets[kTrackedTargets];
    std::size_t tracked_count = 0;
    for (std::size_t i = 0; i < a.targets.size() && tracked_count < kTrackedTargets; ++i) {
        const Target& t = a.targets[i];
        if (!t.contact.valid || t.contact.wildcard || !t.contact.uri.valid) continue;
        Tracked& d = tracked_targets[tracked_count++];
        d = {i, text_digest(t.contact.uri_text), uri_digest(t.contact.uri)};
        recent_texts_.prefetch(d.text_digest);
        target_by_client_.prefetch(combine(caller.client, d.uri_digest));
    }
    for (std::size_t k = 0; k < tracked_count; ++k) {
        const Tracked& d = tracked_targets[k];
        const Target& t = a.targets[d.index];
        TrackedTarget tracked;
        tracked.uri = keep(t.contact.uri_text, d.text_digest);
        tracked.digest = d.uri_digest;
        tracked.index = static_cast<std::uint8_t>(d.index);
        tracked.lifetime_seconds = t.lifetime.seconds;
        tracked.lifetime_source = t.lifetime.source;
        if (const Uri number = telephone_uri_of(t.contact.uri); number.valid) tracked.number_digest = uri_digest(number);
        targets_.push_back(tracked);
    }
    rec.target_count = static_cast<std::uint8_t>(tracked_count);  // at most kTrackedTargets
    redirects_.push_back(rec);
    const auto slot = static_cast<std::uint32_t>(redirects_.size());
    RedirectRecord& stored = redirects_.back();
    auto& by_call = redirect_by_call_[caller.call];
    stored.previous_in_call = by_call;
    by_call = slot;
    auto& by_dialog = redirect_by_dialog_[caller.dialog];
    stored.previous_in_dialog = by_dialog;
    by_dialog = slot;
    redirected_clients_.add(caller.client);
    // A target that is the very Request-URI redirected (a loop) teaches the
    // client nothing: calling it again later is not using a cached target,
    // and a 301 that names it has not moved it.
    const Uri requested = stored.request_slot != 0 ? parse_uri(text(request(stored.request_slot).request_uri))
                                                   : Uri{};
    const ReachedDigests reached(requested);
    bool names_itself = false;
    for (std::uint32_t k = 0; k < stored.target_count; ++k) {
        TrackedTarget& t = targets_[stored.first_target + k];
        if (requested.valid && reached.may_reach(t.digest) && names_target(requested, t.uri)) {
            names_itself = true;
            continue;
        }
        // A target that keeps the number asked for and moves only its host
        // says where to dial that number: dialling it elsewhere is not
        // following it, and a new call to the first host is not a retry.
        if (reached.may_dial_number_of(t) && dials_number_of(requested, t.uri))
            t.number_digest = 0;
        // (past 2^28 redirects in one file, later ones are not remembered for reuse)
        if (slot <= kMaxTargetRedirect) {
            target_by_client_[combine(caller.client, t.digest)] = target_ref(slot, k);
            if (t.number_digest != 0) target_by_client_[number_key(caller.client, t.number_digest)] = target_ref(slot, k);
        }
    }
    if (stored.code == 301 && requested.valid && !names_itself)
        moved_by_client_[combine(caller.client, reached.uri)] = slot;
    return slot;
}

// How long after the ACK of `first` (which has one) a copy seen at
// `copy_ns` came, if later than kAckInFlightNs: still sent then, so the ACK
// never got there (a proxy that did not relay it, a caller that ignored
// Record-Route). 0 for a copy that may have crossed the ACK.
std::int64_t CaptureTracker::late_after_ack(const FirstCopy& first, std::int64_t copy_ns) {
    const std::int64_t after = copy_ns - first.ack_time.near(copy_ns);
    return after > kAckInFlightNs ? after : 0;
}

// A copy of a final to INVITE, met in order on the first pass.
// `ack_elsewhere`: the ACK kept went to another address than the final's
// sender (ack_elsewhere()). A copy close behind such an ACK is not counted
// after it: a caller that ACKs the callee directly, past a proxy that did
// not Record-Route, sees the callee's copies through the proxy, and one
// may have crossed the ACK. It is kept aside in case the relay the sender
// waits for comes later (record_ack).
void CaptureTracker::count_retransmission(FirstCopy& first, std::int64_t copy_ns, bool ack_elsewhere) {
    if (first.ack_frame == 0) {
        if (first.retransmissions_before_ack < kMaxCopiesBeforeAck) ++first.retransmissions_before_ack;
    } else if (late_after_ack(first, copy_ns) != 0) {
        if (first.retransmissions_after_ack < kMaxCopiesAfterAck) ++first.retransmissions_after_ack;
    } else if (ack_elsewhere) {
        first.copy_near_ack_elsewhere = true;
    }
}

// A copy captured again less than kDuplicateNs after the copy in `of_frame`,
// or (`resent_by_tcp`) that copy's TCP segment sent again.
void CaptureTracker::note_duplicate(const MessagePosition& where, std::uint32_t of_frame, std::int64_t delay_ns,
                                    bool resent_by_tcp) {
    DuplicateCopy& d = append_position(duplicates_, position_key(where));
    d.of_frame = of_frame;
    d.delay_ns = std::max<std::int64_t>(delay_ns, 0);
    d.resent_by_tcp = resent_by_tcp;
}

// A copy that comes long after its first copy's ACK, which came before it.
void CaptureTracker::report_copy_after_ack(const MessagePosition& where, std::uint32_t response) {
    const FirstCopy& first = first_copy(response);
    if (!first.final_to_invite || first.ack_frame == 0 || first.ack_frame >= where.frame) return;
    // a second capture of a copy, or TCP's resend of it: the copy it
    // doubles says it
    if (report_.sequence.duplicate_of != 0 || report_.sequence.tcp_resend_of != 0) return;
    const bool elsewhere = ack_elsewhere(response);
    // a single pass cannot know whether a relay to the sender is to come
    if (elsewhere && where.first_pass) return;
    const std::int64_t after = late_after_ack(first, where.time_ns);
    if (after > 0) {
        report_.sequence.copy_after_ack_frame = first.ack_frame;
        report_.sequence.copy_after_ack_ns = after;
        report_.sequence.copy_after_ack_elsewhere = elsewhere;
        report_.sequence.no_record_route = elsewhere && !message_.find(HeaderId::record_route);
    }
}

// `response_ns`: the time of the response `f` is about; `success`: a 2xx,
// then `later_request_frame` is the first later request of its dialog.
void CaptureTracker::report_ack(const FirstCopy& f, bool success, bool ack_elsewhere,
                                std::uint32_t later_request_frame, std::int64_t response_ns, OtherForkAck other_fork) {
    SequenceReport& seq = report_.sequence;
    const RuleId rule = success ? RuleId::invite_2xx_not_acked : RuleId::redirect_not_acked;
    seq.retransmissions = f.retransmissions_before_ack;
    seq.retransmissions_after_ack = f.retransmissions_after_ack;
    if (f.ack_frame != 0) {
        seq.ack = AckState::acked;
        seq.ack_frame = f.ack_frame;
        seq.ack_delay_ns = f.ack_time.near(response_ns) - response_ns;
        seq.ack_hidden = hidden_frame(f.ack_frame);
        seq.ack_elsewhere = ack_elsewhere;
        seq.no_record_route = ack_elsewhere && !message_.find(HeaderId::record_route);
    }
    if (f.ack_frame == 0 && other_fork.ack_frame != 0) {
        seq.other_fork_ack_frame = other_fork.ack_frame;
        seq.other_fork_frame = other_fork.fork_frame;
    }
    // Retransmitted before any ACK: the server waited for one in vain.
    // Retransmitted long after it: the ACK did not reach the server.
    if (f.retransmissions_before_ack > 0 || f.retransmissions_after_ack > 0) {
        if (f.ack_frame == 0) seq.ack = AckState::missing;
        seq.findings.push_back({rule, f.ack_frame, seq.ack_delay_ns, f.retransmissions_before_ack,
                                f.retransmissions_after_ack, ack_elsewhere && f.retransmissions_after_ack > 0});
        return;
    }
    if (f.ack_frame != 0) return;
    // No ACK and no retransmission. A 3xx's ACK goes hop by hop the way the
    // INVITE came, so past Timer B's 32 s its absence is real. A 2xx's ACK
    // goes end to end and may bypass this capture point; it is only missing
    // when a later request of the dialog did pass here.
    // (Only when the INVITE was captured: the ACK travels its way, and a
    // capture that missed one direction misses both.)
    const std::int64_t left = last_time_ns_ - response_ns;
    if (!success && f.request_seen && left >= kAckWindowNs) {
        seq.ack = AckState::missing;
        seq.findings.push_back({rule, 0, left, 0});
    } else if (success && other_fork.ack_frame != 0) {
        // the caller got this 2xx (it answered it) and sent it no ACK
        seq.ack = AckState::missing;
        seq.findings.push_back({rule, other_fork.ack_frame, 0, 0});
    } else if (success && later_request_frame != 0) {
        seq.ack = AckState::missing;
        seq.findings.push_back({rule, later_request_frame, 0, 0});
    } else {
        seq.ack = AckState::unknown;
        seq.capture_left_ns = left;
    }
}

// `response`: the first copy's number (0 none); `copy_of`: its frame when
// this message is a later copy.
void CaptureTracker::report_response(const MessagePosition& where, std::uint32_t response, std::uint32_t copy_of) {
    const bool whole_file = !where.first_pass;
    SequenceReport& seq = report_.sequence;
    seq.copy_of = copy_of;
    if (copy_of != 0) {
        if (const DuplicateCopy* d = find_position(duplicates_, position_key(where))) {
            (d->resent_by_tcp ? seq.tcp_resend_of : seq.duplicate_of) = d->of_frame;
            (d->resent_by_tcp ? seq.tcp_resend_delay_ns : seq.duplicate_delay_ns) = d->delay_ns;
        }
        report_copy_after_ack(where, response);
        return;  // the first copy carries the findings
    }
    if (response == 0) return;
    if (!is_redirect_copy(response)) {
        if (whole_file)
            report_ack(successes_[response - 1].first, true, ack_elsewhere(response),
                       later_request_by_success_.get(response), where.time_ns,
                       other_fork_ack(response, report_.analysis.cseq));
        return;
    }
    const RedirectRecord& rec = redirects_[(response & ~kRedirectCopy) - 1];
    seq.redirect_depth = rec.depth;
    if (rec.depth > settings_.max_redirects)
        seq.findings.push_back({RuleId::redirect_chain_too_long, 0, 0, rec.depth});
    if (!whole_file) return;
    seq.follows.assign(report_.analysis.targets.size(), TargetFollow{});
    bool followed = false;
    for (std::uint32_t k = 0; k < rec.target_count; ++k) {
        const TrackedTarget& t = targets_[rec.first_target + k];
        if (t.followed_by == 0) continue;
        const RequestRecord& follower = request(t.followed_by);
        if (t.index < seq.follows.size()) {
            seq.follows[t.index] = {follower.frame, follower.time.near(rec.time_ns) - rec.time_ns, 0, 0,
                                    hidden_frame(follower.frame), false};
            if (t.number_digest != 0 && rec.code != 305)
                seq.follows[t.index].by_number = !names_target(parse_uri(text(follower.request_uri)), t.uri);
        }
        followed = true;
    }
    // A client that leaves out targets its chain already tried is right to
    // (8.1.3.4). A 305's target is a proxy, not a Request-URI to try.
    const std::uint32_t tried = rec.code == 305 ? mark_tried_proxy(rec, seq) : mark_tried_targets(rec, seq);
    // with how long the capture runs after it: a capture cut just after a
    // redirect cannot show the follow-up
    if (rec.first.final_to_invite && rec.code != 380 && rec.target_count != 0 && !followed &&
        tried < rec.target_count) {
        SequenceFinding f{RuleId::redirect_not_followed, 0, last_time_ns_ - rec.time_ns, 0};
        f.untried_are_sips_downgrades = untried_are_sips_downgrades(report_.analysis, seq.follows);
        seq.findings.push_back(f);
    }
    if (rec.first.final_to_invite) {
        report_ack(rec.first, false, false, 0, where.time_ns, OtherForkAck{});
        if (seq.ack != AckState::acked && other_branch_ack_by_redirect_.size() != 0)
            seq.other_branch_ack_frame = other_branch_ack_by_redirect_.get(response & ~kRedirectCopy);
    }
}

void CaptureTracker::reset() noexcept {
    const TrackerSettings settings = settings_;
    *this = CaptureTracker{};
    settings_ = settings;
}

CaptureTracker::EntrySizes CaptureTracker::entry_sizes() noexcept {
    return {sizeof(LinkedRequest), sizeof(RequestRecord), sizeof(RedirectRecord), sizeof(TrackedTarget), sizeof(SuccessRecord),
            sizeof(RequestLinks), DigestMap<std::uint32_t>::slot_bytes()};
}

CaptureTracker::Footprint CaptureTracker::footprint() const noexcept {
    Footprint f{request_count(), redirects_.size(), successes_.size() + redirects_.size(), request_links_.size(),
                0, {{"kept text", texts_.bytes()},
                    {"requests", linked_requests_.bytes() + plain_requests_.bytes()},
                    {"redirects", redirects_.bytes()},
                    {"targets", targets_.bytes()},
                    {"2xx to INVITE", successes_.bytes()},
                    {"request links", request_links_.bytes()},
                    {"request findings", request_findings_.bytes()},
                    {"duplicate copies", duplicates_.bytes()},
                    {"table: request by transaction", request_by_transaction_.bytes()},
                    {"table: redirect by call", redirect_by_call_.bytes()},
                    {"table: redirect by dialog", redirect_by_dialog_.bytes()},
                    {"table: target by client", target_by_client_.bytes()},
                    {"table: moved by client", moved_by_client_.bytes()},
                    {"table: first copies without request", other_originals_.bytes()},
                    {"recently kept texts", recent_texts_.bytes()},
                    {"recent copies", recent_copies_.bytes()},
                    {"table: redirected clients", redirected_clients_.bytes()},
                    {"table: odd methods", odd_methods_.bytes()},
                    {"table: removals by REGISTER", removals_.bytes() + removal_scratch_.capacity()},
                    {"table: final by dialog", final_by_dialog_.bytes()},
                    {"table: later request by 2xx", later_request_by_success_.bytes()},
                    {"table: ACK on another branch by redirect", other_branch_ack_by_redirect_.bytes()},
                    {"table: forks by INVITE", forks_by_invite_.bytes()},
                    {"table: ACK of another fork by 2xx", other_fork_ack_by_success_.bytes()},
                    {"frames of unreadable messages",
                     (unreadable_frames_.capacity() + awaiting_rest_frames_.capacity() + rest_frames_.capacity()) *
                         sizeof(std::uint32_t)},
                    {"frames of hidden segments", hidden_frames_.capacity() * sizeof(std::uint32_t)},
                    {"frames of messages not all compared", uncompared_frames_.capacity() * sizeof(std::uint32_t)}}};
    for (const auto& part : f.parts) f.bytes += part.bytes;
    return f;
}

}  // namespace sipresp
