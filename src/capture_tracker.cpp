// Transaction matching and the call across the capture (RULES.md 5-6),
// with first-pass results kept so that every later dissection of a frame
// shows the same thing plus what only the whole file can tell.
#include "capture_tracker.h"

#include <algorithm>
#include <new>
#include <type_traits>

namespace sipresp {
namespace {

// Chains of older records are walked at most this far: a hostile capture
// with one Call-ID redirected a million times stays linear.
constexpr int kMaxWalk = 64;

// Copies of a response closer than this are one packet seen twice by the
// capture (two interfaces, a mirror port), not a retransmission: SIP's
// shortest retransmission interval is T1, 500 ms by default (17.1.1.1).
constexpr std::int64_t kDuplicateNs = 1'000'000;

bool same_uri(std::string_view a, const Uri& b) { return uri_equal(parse_uri(a), b); }

}  // namespace

const MessageReport& CaptureTracker::observe(const MessagePosition& where, std::string_view bytes) noexcept {
    report_.message = &message_;
    report_.internal_error = nullptr;
    report_.analysed = false;
    report_.request = nullptr;
    report_.response_time_ns = 0;
    SequenceReport& seq = report_.sequence;
    seq.whole_file = !where.first_pass;
    seq.copy_of = 0;
    seq.redirect_depth = 0;
    seq.redirected_by = 0;
    seq.redirected_delay_ns = 0;
    seq.follows.clear();
    seq.ack = AckState::not_applicable;
    seq.ack_frame = 0;
    seq.ack_delay_ns = 0;
    seq.retransmissions = 0;
    seq.capture_left_ns = 0;
    seq.findings.clear();
    try {
        parse_message(bytes, message_);
        if (where.first_pass) last_time_ns_ = std::max(last_time_ns_, where.time_ns);
        if (message_.status != ParseStatus::complete) return report_;
        if (message_.is_request) {
            if (where.first_pass) {
                if (message_.method == "ACK") observe_ack(where);
                else observe_request(where);
            }
            report_request(where);
        } else if (is_analysed_status(message_.status_code)) {
            observe_response(where);
        }
    } catch (const std::bad_alloc&) {
        report_.analysed = false;
        report_.internal_error = "out of memory while analysing this message";
    } catch (...) {
        report_.analysed = false;
        report_.internal_error = "internal error while analysing this message";
    }
    return report_;
}

// ---- requests ---------------------------------------------------------------

void CaptureTracker::observe_request(const MessagePosition& where) {
    // retransmissions keep the first copy (17.2.3)
    const std::uint64_t key = transaction_key(message_);
    if (request_by_transaction_.count(key)) return;
    requests_.push_back({where.frame, where.time_ns, summarize_request(message_)});
    const auto slot = static_cast<std::uint32_t>(requests_.size());
    request_by_transaction_.emplace(key, slot);

    // A CANCEL repeats its INVITE's Request-URI; it goes nowhere new.
    if (message_.method == "CANCEL") return;
    if (requests_.back().summary.to_tag) {
        // Inside a dialog: evidence for the dialog's 2xx (its caller got
        // far enough to send more, so an ACK should have gone the same way).
        const auto found = final_by_dialog_.find(dialog_ack_key(message_, false));
        if (found == final_by_dialog_.end()) return;
        std::uint32_t f = found->second;
        for (int steps = 0; f != 0 && steps < kMaxWalk; ++steps) {
            FinalRecord& fin = finals_[f - 1];
            if (fin.later_request_frame == 0) fin.later_request_frame = where.frame;
            f = fin.next_in_dialog;
        }
        return;
    }
    const CallerKeys caller = caller_keys(message_);
    const Uri request_uri = parse_uri(message_.request_uri);
    if (!request_uri.valid) return;
    RequestLinks links;
    links.request_slot = slot;
    follow_redirects(where, caller, request_uri, slot, links);
    // A request that follows a redirect of its own call is not using a
    // cache; only one that does not is checked against earlier calls.
    if (links.redirected_by == 0) check_reuse(where, caller, request_uri, links);
    if (links.redirected_by != 0 || !links.findings.empty())
        request_links_.emplace(position_key(where), std::move(links));
}

// Links a new out-of-dialog request to the newest redirect of the same
// caller (same Call-ID, else same From URI and tag) that lists its
// Request-URI, and walks the chain back for URIs already tried.
void CaptureTracker::follow_redirects(const MessagePosition& where, const CallerKeys& caller,
                                      const Uri& request_uri, std::uint32_t request_slot, RequestLinks& links) {
    const std::uint64_t digest = uri_equality_digest(request_uri);
    std::uint32_t newest = 0;
    const auto walk = [&](std::uint32_t head, bool by_call) {
        std::uint32_t r = head;
        for (int steps = 0; r != 0 && steps < kMaxWalk; ++steps) {
            RedirectRecord& rec = redirects_[r - 1];
            bool listed = false;
            for (TrackedTarget& t : rec.targets) {
                if (t.digest != digest || !same_uri(t.uri, request_uri)) continue;
                listed = true;
                // every copy of the redirect (proxy legs) counts as followed
                if (t.follow.frame == 0) t.follow = {where.frame, where.time_ns - rec.time_ns};
            }
            // 305: the same Request-URI again, now through the named proxy (21.3.4)
            if (!listed && rec.code == 305 && rec.request_slot != 0 && !rec.targets.empty() &&
                same_uri(requests_[rec.request_slot - 1].summary.request_uri, request_uri)) {
                listed = true;
                if (rec.targets[0].follow.frame == 0) rec.targets[0].follow = {where.frame, where.time_ns - rec.time_ns};
            }
            if (listed && r > newest) newest = r;
            r = by_call ? rec.previous_in_call : rec.previous_in_dialog;
        }
    };
    if (const auto c = redirect_by_call_.find(caller.call); c != redirect_by_call_.end()) walk(c->second, true);
    if (const auto d = redirect_by_dialog_.find(caller.dialog); d != redirect_by_dialog_.end()) walk(d->second, false);
    if (newest == 0) return;

    const RedirectRecord& rec = redirects_[newest - 1];
    links.redirected_by = newest;
    links.delay_ns = where.time_ns - rec.time_ns;
    RequestRecord& request = requests_[request_slot - 1];
    request.redirect_slot = newest;
    request.redirect_depth = rec.depth;
    // target-retried: the URI was already requested earlier in this chain
    // (the redirected request, the one that led to it, ...). Siblings of the
    // same redirect and repeats of one attempt are not in that path.
    std::uint32_t earlier = rec.request_slot;
    for (int steps = 0; earlier != 0 && steps < kMaxWalk; ++steps) {
        const RequestRecord& e = requests_[earlier - 1];
        if (same_uri(e.summary.request_uri, request_uri)) {
            links.findings.push_back({RuleId::target_retried, e.frame, where.time_ns - e.time_ns, 0});
            break;
        }
        earlier = e.redirect_slot ? redirects_[e.redirect_slot - 1].request_slot : 0;
    }
}

// A new call (another Call-ID) from the same client to a URI an earlier
// redirect named: that is a cached target (21.3.3), or a URI a 301 moved.
void CaptureTracker::check_reuse(const MessagePosition& where, const CallerKeys& caller, const Uri& request_uri,
                                 RequestLinks& links) {
    const std::uint64_t key = combine(caller.client, uri_equality_digest(request_uri));
    if (const auto found = target_by_client_.find(key); found != target_by_client_.end()) {
        const RedirectRecord& rec = redirects_[(found->second >> 32) - 1];
        const TrackedTarget& t = rec.targets[(found->second & 0xffffffffu) - 1];
        if (rec.caller.call != caller.call && same_uri(t.uri, request_uri)) {
            const std::int64_t since = where.time_ns - rec.time_ns;
            if (t.lifetime.source == LifetimeSource::none) {
                if (rec.code == 302) links.findings.push_back({RuleId::cached_without_lifetime, rec.frame, since, 0});
            } else {
                const std::int64_t overdue = since - std::int64_t{t.lifetime.seconds} * 1'000'000'000;
                if (overdue > 0) links.findings.push_back({RuleId::used_after_expiry, rec.frame, overdue, 0});
            }
        }
    }
    if (const auto found = moved_by_client_.find(key); found != moved_by_client_.end()) {
        const RedirectRecord& rec = redirects_[found->second - 1];
        if (rec.caller.call != caller.call && rec.request_slot != 0 &&
            same_uri(requests_[rec.request_slot - 1].summary.request_uri, request_uri))
            links.findings.push_back({RuleId::moved_permanently_ignored, rec.frame, where.time_ns - rec.time_ns, 0});
    }
}

void CaptureTracker::observe_ack(const MessagePosition& where) {
    // ACK of a non-2xx: the INVITE's own transaction, hop by hop (17.1.1.3)
    if (const auto found = final_by_ack_.find(ack_invite_key(message_)); found != final_by_ack_.end()) {
        FinalRecord& f = finals_[found->second - 1];
        if (f.ack_frame == 0) f.ack_frame = where.frame, f.ack_ns = where.time_ns;
    }
    // ACK of a 2xx: a new transaction in the dialog, same CSeq number (13.2.2.4)
    const auto found = final_by_dialog_.find(dialog_ack_key(message_, false));
    if (found == final_by_dialog_.end()) return;
    const CSeq cseq = parse_cseq(message_);
    std::uint32_t f = found->second;
    for (int steps = 0; f != 0 && steps < kMaxWalk; ++steps) {
        FinalRecord& fin = finals_[f - 1];
        if (cseq.valid && fin.cseq == cseq.number && fin.ack_frame == 0)
            fin.ack_frame = where.frame, fin.ack_ns = where.time_ns;
        f = fin.next_in_dialog;
    }
}

void CaptureTracker::report_request(const MessagePosition& where) {
    const auto found = request_links_.find(position_key(where));
    if (found == request_links_.end()) return;
    const RequestLinks& links = found->second;
    SequenceReport& seq = report_.sequence;
    if (links.redirected_by != 0) {
        seq.redirected_by = redirects_[links.redirected_by - 1].frame;
        seq.redirected_delay_ns = links.delay_ns;
        seq.redirect_depth = requests_[links.request_slot - 1].redirect_depth;
    }
    seq.findings = links.findings;
}

// ---- responses --------------------------------------------------------------

void CaptureTracker::observe_response(const MessagePosition& where) {
    analyse_response(message_, report_.analysis);
    report_.analysed = true;
    ResponseLinks links;
    if (where.first_pass) {
        if (const auto found = request_by_transaction_.find(transaction_key(message_));
            found != request_by_transaction_.end())
            links.request_slot = found->second;
        // Forked 2xx share the transaction but not the To tag.
        const bool success = message_.status_code < 300;
        const std::uint64_t identity =
            combine(transaction_key(message_), success ? dialog_ack_key(message_, false) : 0);
        const auto [original, first] = original_by_identity_.emplace(identity, position_key(where));
        if (!first) {
            // a copy: same links as the first, and a retransmission to count
            const ResponseLinks& orig = response_links_[original->second];
            links = orig;
            links.copy_of = static_cast<std::uint32_t>(original->second >> 32);
            if (links.final_slot != 0) {
                FinalRecord& f = finals_[links.final_slot - 1];
                if (where.time_ns - f.last_copy_ns >= kDuplicateNs && f.ack_frame == 0) ++f.retransmissions_before_ack;
                f.last_copy_ns = where.time_ns;
            }
        } else {
            if (report_.analysis.cseq.valid && report_.analysis.cseq.method == "INVITE") track_final(where, links);
            if (report_.analysis.is_redirect()) track_redirect(where, links);
        }
        response_links_[position_key(where)] = links;
    } else if (const auto found = response_links_.find(position_key(where)); found != response_links_.end()) {
        links = found->second;
    }
    if (links.request_slot != 0) {
        const RequestRecord& request = requests_[links.request_slot - 1];
        report_.request = &request;
        report_.response_time_ns = where.time_ns - request.time_ns;
        check_against_request(request.summary, report_.analysis);
    }
    report_response(links, !where.first_pass);
}

void CaptureTracker::track_final(const MessagePosition& where, ResponseLinks& links) {
    FinalRecord f;
    f.frame = where.frame;
    f.time_ns = f.last_copy_ns = where.time_ns;
    f.success = message_.status_code < 300;
    f.cseq = report_.analysis.cseq.number;
    finals_.push_back(f);
    const auto slot = static_cast<std::uint32_t>(finals_.size());
    links.final_slot = slot;
    if (f.success) {
        // one dialog may show several 2xx: one per proxy leg
        std::uint32_t& head = final_by_dialog_[dialog_ack_key(message_, false)];
        finals_.back().next_in_dialog = head;
        head = slot;
    } else {
        final_by_ack_[transaction_key(message_)] = slot;
    }
}

void CaptureTracker::track_redirect(const MessagePosition& where, ResponseLinks& links) {
    const ResponseAnalysis& a = report_.analysis;
    RedirectRecord rec;
    rec.frame = where.frame;
    rec.time_ns = where.time_ns;
    rec.code = a.status.treated_as;
    rec.to_invite = a.cseq.valid && a.cseq.method == "INVITE";
    rec.request_slot = links.request_slot;
    rec.depth = static_cast<std::uint16_t>(
        std::min<int>(UINT16_MAX, (links.request_slot ? requests_[links.request_slot - 1].redirect_depth : 0) + 1));
    rec.caller = caller_keys(message_);
    for (std::size_t i = 0; i < a.targets.size() && rec.targets.size() < kTrackedTargets; ++i) {
        const Target& t = a.targets[i];
        if (!t.contact.valid || t.contact.wildcard || !t.contact.uri.valid) continue;
        TrackedTarget tracked;
        tracked.uri.assign(t.contact.uri_text);
        tracked.digest = uri_equality_digest(t.contact.uri);
        tracked.index = static_cast<std::uint32_t>(i);
        tracked.lifetime = t.lifetime;
        tracked.lifetime.raw = {};
        rec.targets.push_back(std::move(tracked));
    }
    redirects_.push_back(std::move(rec));
    const auto slot = static_cast<std::uint32_t>(redirects_.size());
    RedirectRecord& stored = redirects_.back();
    links.redirect_slot = slot;
    std::uint32_t& by_call = redirect_by_call_[stored.caller.call];
    stored.previous_in_call = by_call;
    by_call = slot;
    std::uint32_t& by_dialog = redirect_by_dialog_[stored.caller.dialog];
    stored.previous_in_dialog = by_dialog;
    by_dialog = slot;
    for (std::size_t i = 0; i < stored.targets.size(); ++i)
        target_by_client_[combine(stored.caller.client, stored.targets[i].digest)] =
            (std::uint64_t{slot} << 32) | static_cast<std::uint32_t>(i + 1);
    if (stored.code == 301 && stored.request_slot != 0) {
        const Uri moved = parse_uri(requests_[stored.request_slot - 1].summary.request_uri);
        if (moved.valid) moved_by_client_[combine(stored.caller.client, uri_equality_digest(moved))] = slot;
    }
}

void CaptureTracker::report_ack(const FinalRecord& f) {
    SequenceReport& seq = report_.sequence;
    const RuleId rule = f.success ? RuleId::invite_2xx_not_acked : RuleId::redirect_not_acked;
    seq.retransmissions = f.retransmissions_before_ack;
    if (f.ack_frame != 0) {
        seq.ack = AckState::acked;
        seq.ack_frame = f.ack_frame;
        seq.ack_delay_ns = f.ack_ns - f.time_ns;
    }
    // Retransmitted before any ACK: the server waited for one in vain.
    if (f.retransmissions_before_ack > 0) {
        if (f.ack_frame == 0) seq.ack = AckState::missing;
        seq.findings.push_back({rule, f.ack_frame, seq.ack_delay_ns, f.retransmissions_before_ack});
        return;
    }
    if (f.ack_frame != 0) return;
    // No ACK and no retransmission. A 3xx's ACK goes hop by hop the way the
    // INVITE came, so past Timer B's 32 s its absence is real. A 2xx's ACK
    // goes end to end and may bypass this capture point; it is only missing
    // when a later request of the dialog did pass here.
    const std::int64_t left = last_time_ns_ - f.time_ns;
    if (!f.success && left >= kAckWindowNs) {
        seq.ack = AckState::missing;
        seq.findings.push_back({rule, 0, left, 0});
    } else if (f.success && f.later_request_frame != 0) {
        seq.ack = AckState::missing;
        seq.findings.push_back({rule, f.later_request_frame, 0, 0});
    } else {
        seq.ack = AckState::unknown;
        seq.capture_left_ns = left;
    }
}

void CaptureTracker::report_response(const ResponseLinks& links, bool whole_file) {
    SequenceReport& seq = report_.sequence;
    seq.copy_of = links.copy_of;
    if (links.copy_of != 0) return;  // the first copy carries the findings
    if (links.redirect_slot != 0) {
        const RedirectRecord& rec = redirects_[links.redirect_slot - 1];
        seq.redirect_depth = rec.depth;
        if (rec.depth > settings_.max_redirects)
            seq.findings.push_back({RuleId::redirect_chain_too_long, 0, 0, rec.depth});
        if (whole_file) {
            seq.follows.assign(report_.analysis.targets.size(), TargetFollow{});
            bool followed = false;
            for (const TrackedTarget& t : rec.targets) {
                if (t.index < seq.follows.size()) seq.follows[t.index] = t.follow;
                followed = followed || t.follow.frame != 0;
            }
            if (rec.to_invite && rec.code != 380 && !rec.targets.empty() && !followed)
                seq.findings.push_back({RuleId::redirect_not_followed, 0, 0, 0});
        }
    }
    if (whole_file && links.final_slot != 0) report_ack(finals_[links.final_slot - 1]);
}

void CaptureTracker::reset() noexcept {
    const TrackerSettings settings = settings_;
    *this = CaptureTracker{};
    settings_ = settings;
}

CaptureTracker::Footprint CaptureTracker::footprint() const noexcept {
    Footprint f{requests_.size(), redirects_.size(), finals_.size(), response_links_.size() + request_links_.size(),
                0};
    // node-based maps: one node (key, value, next pointer, cached hash) per
    // entry plus one bucket pointer
    const auto map_bytes = [](const auto& m) {
        using Entry = typename std::decay_t<decltype(m)>::value_type;
        return m.size() * (sizeof(Entry) + 2 * sizeof(void*) + sizeof(std::size_t)) + m.bucket_count() * sizeof(void*);
    };
    std::size_t bytes = requests_.capacity() * sizeof(RequestRecord) + redirects_.capacity() * sizeof(RedirectRecord) +
                        finals_.capacity() * sizeof(FinalRecord);
    for (const RequestRecord& r : requests_) {
        if (r.summary.request_uri.capacity() > 15) bytes += r.summary.request_uri.capacity() + 1;
        if (r.summary.method.capacity() > 15) bytes += r.summary.method.capacity() + 1;
    }
    for (const RedirectRecord& r : redirects_) {
        bytes += r.targets.capacity() * sizeof(TrackedTarget);
        for (const TrackedTarget& t : r.targets)
            if (t.uri.capacity() > 15) bytes += t.uri.capacity() + 1;
    }
    for (const auto& [key, links] : request_links_) bytes += links.findings.capacity() * sizeof(SequenceFinding);
    bytes += map_bytes(request_by_transaction_) + map_bytes(response_links_) + map_bytes(request_links_) +
             map_bytes(redirect_by_call_) + map_bytes(redirect_by_dialog_) + map_bytes(target_by_client_) +
             map_bytes(moved_by_client_) + map_bytes(original_by_identity_) + map_bytes(final_by_ack_) +
             map_bytes(final_by_dialog_);
    f.bytes = bytes;
    return f;
}

}  // namespace sipresp
