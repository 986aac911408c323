// Rendering of a MessageReport. Everything here may be cut short by a
// Wireshark exception (longjmp), so no function in this file holds an object
// with a destructor: text goes through "%.*s", packet-scoped wmem copies or
// a TextBuffer over a stack array.
#include "render.h"

#include <cstring>
#include <limits>

#include <epan/expert.h>
#include <epan/to_str.h>
#include <epan/wmem_scopes.h>

#include "fields.h"
#include "header_values.h"
#include "lifetime.h"
#include "response_title.h"
#include "stats.h"
#include "status_codes.h"
#include "text_buffer.h"
#include "utc_time.h"
#include "wire_string.h"
#include "wire_text.h"

// "%.*s" arguments for a string_view
#define SV(v) static_cast<int>((v).size()), (v).data()

namespace sipresp::plugin {
namespace {

// Whether the tree being built will be shown (-V, the GUI's details pane),
// rather than only searched by a filter: texts nobody reads are not
// formatted (set per message by render_report).
bool texts_shown = true;

// Whether an earlier message of the frame being dissected put a summary in
// its Info column (reset by start_frame).
bool summary_written = false;

// Appends a message's summary to the Info column. The SIP dissector wrote
// the line of every message of the frame before sipresp runs, so the
// summaries of a frame holding several (TCP, SCTP) follow them all, in
// order: each after the first is set off by " | ", or two would run into
// each other.
void append_summary(packet_info* pinfo, const TextBuffer& text) {
    if (text.empty()) return;
    if (summary_written) {
        col_append_str(pinfo->cinfo, COL_INFO, " | ");
    } else if (pinfo->ptype == PT_TCP) {
        // (SIP ends each message's line with " | "; not a "Continuation"
        // holding a message after the rest, which only a stream has)
        const gchar* info = col_get_text(pinfo->cinfo, COL_INFO);
        const std::size_t length = info ? std::strlen(info) : 0;
        if (length != 0 && info[length - 1] != ' ') col_append_str(pinfo->cinfo, COL_INFO, " | ");
    }
    col_append_str(pinfo->cinfo, COL_INFO, text.c_str());
    summary_written = true;
}

// The value of string field `hf` as Wireshark takes it: NUL-terminated, in
// packet scope. In a tree nobody sees (a display filter, -T fields) Wireshark
// fakes the items of fields nobody asked for and never reads their values:
// those are not copied (a third of sipresp's cost under -Y sipresp.rule).
const char* field_string(packet_info* pinfo, proto_tree* tree, int hf, std::string_view v) {
    if (!texts_shown && !proto_field_is_referenced(tree, hf)) return "";
    return wire_string(pinfo->pool, v);
}

struct Anchor {
    tvbuff_t* tvb;
    int start;  // of the SIP message in tvb
};

// An item whose whole content another line of the same tree already shows
// (the class in the Status line, a target's URI and rank in its line): it
// stays a field for filters and -T fields, but is not printed, as Wireshark
// hides ip.addr beside ip.src and ip.dst. Wireshark's
// protocols.display_hidden_proto_items preference shows it.
void set_repeated(proto_item* item) {
    proto_item_set_generated(item);
    proto_item_set_hidden(item);
}

void add_rule_item(RuleId id, const char* detail, tvbuff_t* tvb, int start, int length, packet_info* pinfo,
                   proto_tree* tree) {
    if (!prefs.shows(id)) return;
    const Rule& r = rule(id);
    const char* value = field_string(pinfo, tree, hf.rule, r.name);
    proto_item* item = detail ? proto_tree_add_string_format(tree, hf.rule, tvb, start, length, value,
                                                             "Rule: %.*s: %s", SV(r.name), detail)
                              : proto_tree_add_string(tree, hf.rule, tvb, start, length, value);
    proto_item_set_generated(item);
    expert_add_info(pinfo, item, &ei_rule[static_cast<int>(id)]);
}

void add_rule_hit(const Finding& f, const Anchor& at, packet_info* pinfo, proto_tree* tree) {
    add_rule_item(f.rule, nullptr, at.tvb, at.start + static_cast<int>(f.offset), static_cast<int>(f.length),
                         pinfo, tree);
}

// Room for a label put together without printf: twice Wireshark's label
// length, so that a label too long for it still reaches Wireshark too long
// and is marked as truncated there, as a printf-made one would be.
constexpr std::size_t kLabelRoom = 2 * ITEM_LABEL_LENGTH;

// Starts an item's label with its field's name and ": ", which is what the
// *_format_value calls add before the value. Written here, the item goes
// through one printf in Wireshark, not two (the name's own snprintf cost as
// much as the value's): for the items most responses carry (-V, mode C).
// Only for a label that will be shown (texts_shown).
TextBuffer& named(TextBuffer& text, int hf) {
    return text << proto_registrar_get_nth(static_cast<guint>(hf))->name << ": ";
}

// A time in milliseconds with three decimals, as "%.3f" would
// write ns / 1e6 (ties aside), without printf's format parsing.
void put_milliseconds(TextBuffer& out, std::int64_t ns) {
    std::uint64_t magnitude = static_cast<std::uint64_t>(ns);
    if (ns < 0) {
        out << "-";
        magnitude = 0 - magnitude;
    }
    out.decimal((magnitude + 500) / 1000, 3, false);
}

// "12.345 ms", "3.2 s", "2 h 5 min": a delay as an engineer reads it
const char* delay_text(packet_info* pinfo, std::int64_t ns) {
    if (ns < 1'000'000'000) {
        char text[32];
        TextBuffer ms(text, sizeof text);
        put_milliseconds(ms, ns);
        ms << " ms";
        return wmem_strdup(pinfo->pool, text);
    }
    const double s = static_cast<double>(ns) / 1e6 / 1000;
    if (s < 120) return wmem_strdup_printf(pinfo->pool, "%.1f s", s);
    const auto whole = static_cast<long long>(s);
    if (whole < 7200) return wmem_strdup_printf(pinfo->pool, "%lld min %lld s", whole / 60, whole % 60);
    return wmem_strdup_printf(pinfo->pool, "%lld h %lld min", whole / 3600, whole % 3600 / 60);
}

// delay_text for a tree label, "" where the tree is not shown (a filter):
// never for the Info column, which is shown whatever tree the frame has.
const char* duration_text(packet_info* pinfo, std::int64_t ns) { return texts_shown ? delay_text(pinfo, ns) : ""; }

constexpr long long kAckInFlightMs = CaptureTracker::kAckInFlightNs / 1'000'000;

// Said of a 2xx whose ACK went to another address than the 2xx came from,
// none going back to its sender: in its finding and on each later copy.
// With no Record-Route the ACK belongs at the Contact (RFC 3261 12.2.1.1),
// not at the sender, and the copies say the UAS did not get it.
const char* ack_elsewhere_text(bool no_record_route) {
    return no_record_route ? "which went to another address (with no Record-Route it belongs at the Contact): the "
                             "UAS did not get it"
                           : "which went to another address: no ACK reached the sender";
}

// Appended to a 2xx's ACK line: where the ACK went, when not back to the
// 2xx's sender.
// Said of a frame the report names when it is a TCP segment Wireshark shows
// no SIP in (MessagePosition::shown): a resend it hands to no dissector, or
// a segment whose message follows keep-alive line ends. Opened, it shows
// TCP alone.
const char* hidden_frame_text(bool hidden) {
    return hidden ? " (a TCP segment Wireshark shows no SIP in; sipresp read it)" : "";
}

const char* ack_destination_text(const SequenceReport& seq) {
    if (!seq.ack_elsewhere) return "";
    return seq.no_record_route ? ", to another address than the 2xx came from: with no Record-Route the ACK belongs "
                                 "at the Contact (RFC 3261 12.2.1.1)"
                               : ", to another address (none to this 2xx's sender)";
}

// What a section-6 finding is about, with the frame it points at.
const char* sequence_detail(const SequenceFinding& f, const SequenceReport& seq, packet_info* pinfo) {
    if (!texts_shown) return nullptr;
    switch (f.rule) {
    case RuleId::target_retried:
        return wmem_strdup_printf(pinfo->pool, "this URI was already requested in frame %u, %s earlier, in the same "
                                  "redirect chain", f.frame, duration_text(pinfo, f.delta_ns));
    case RuleId::cached_without_lifetime:
        return wmem_strdup_printf(pinfo->pool, "a new call reuses a target the 302 in frame %u gave without a "
                                  "lifetime (%s ago)", f.frame, duration_text(pinfo, f.delta_ns));
    case RuleId::used_after_expiry:
        return wmem_strdup_printf(pinfo->pool, "the lifetime from the redirect in frame %u ran out %s before",
                                  f.frame, duration_text(pinfo, f.delta_ns));
    case RuleId::moved_permanently_ignored:
        return wmem_strdup_printf(pinfo->pool, "the 301 in frame %u, %s earlier, moved this URI", f.frame,
                                  duration_text(pinfo, f.delta_ns));
    case RuleId::redirect_not_acked:
    case RuleId::invite_2xx_not_acked:
        // the one ACK went to another address than the 2xx came from: at a
        // proxy, the caller's, never relayed to the callee
        if (f.ack_elsewhere && f.count > 0)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s before the ACK in frame %u and %u more "
                                      "after it, %s", f.count, f.count == 1 ? "" : "s", f.frame, f.count_after_ack,
                                      ack_elsewhere_text(seq.no_record_route));
        if (f.ack_elsewhere)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s after the ACK in frame %u, %s",
                                      f.count_after_ack, f.count_after_ack == 1 ? "" : "s", f.frame,
                                      ack_elsewhere_text(seq.no_record_route));
        if (f.count_after_ack > 0 && f.count > 0)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s before the ACK in frame %u and %u more "
                                      "over %lld ms after it, so that ACK did not reach the sender", f.count,
                                      f.count == 1 ? "" : "s", f.frame, f.count_after_ack, kAckInFlightMs);
        if (f.count_after_ack > 0)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s over %lld ms after the ACK in frame %u, "
                                      "so that ACK did not reach the sender", f.count_after_ack,
                                      f.count_after_ack == 1 ? "" : "s", kAckInFlightMs, f.frame);
        if (f.count > 0 && f.frame != 0)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s before the ACK in frame %u", f.count,
                                      f.count == 1 ? "" : "s", f.frame);
        if (f.count > 0)
            return wmem_strdup_printf(pinfo->pool, "sent %u more time%s and never ACKed", f.count,
                                      f.count == 1 ? "" : "s");
        if (f.frame != 0 && f.frame == seq.other_fork_ack_frame)
            return wmem_strdup_printf(pinfo->pool, "no ACK of its own: the caller answered it with frame %u, the "
                                      "ACK of frame %u's dialog sent again", f.frame, seq.other_fork_frame);
        if (f.frame != 0)
            return wmem_strdup_printf(pinfo->pool, "no ACK, yet the caller sent frame %u in this dialog", f.frame);
        return wmem_strdup_printf(pinfo->pool, "no ACK in the %s the capture runs after it",
                                  duration_text(pinfo, f.delta_ns));
    case RuleId::redirect_chain_too_long:
        return wmem_strdup_printf(pinfo->pool, "redirect %u of this call, more than the limit of %u", f.count,
                                  prefs.max_redirects);
    case RuleId::redirect_not_followed:
        // A sips: request sent only sip: targets: declining them is the
        // client's right (8.1.3.4), so the finding says that too.
        return wmem_strdup_printf(pinfo->pool, "no later request of the caller went to any of its targets in the %s "
                                  "the capture runs after it%s", duration_text(pinfo, f.delta_ns),
                                  f.untried_are_sips_downgrades ? "; each one left is a sip: URI for this sips: "
                                                                  "request, a downgrade the client may refuse "
                                                                  "(RFC 3261 8.1.3.4)"
                                                                : "");
    default:
        return nullptr;
    }
}

void add_sequence_findings(const SequenceReport& seq, tvbuff_t* tvb, int start, int length, packet_info* pinfo,
                           proto_tree* tree) {
    for (const SequenceFinding& f : seq.findings)
        add_rule_item(f.rule, sequence_detail(f, seq, pinfo), tvb, start, length, pinfo, tree);
}

// When a lifetime given in this packet ends; the latest time there is for
// a packet whose own time is nearly that (a hostile file's), not a sum that
// overflows.
nstime_t lifetime_end(const Lifetime& life, const packet_info* pinfo) {
    nstime_t until = pinfo->abs_ts;
    const auto seconds = static_cast<time_t>(life.seconds);
    until.secs = until.secs > std::numeric_limits<time_t>::max() - seconds ? std::numeric_limits<time_t>::max()
                                                                              : until.secs + seconds;
    return until;
}

// "3600 s (Contact expires parameter), until Nov 14, 2023 23:13:20.040000000 UTC"
void write_lifetime(TextBuffer& text, const Lifetime& life, const nstime_t& until, packet_info* pinfo) {
    text << std::uint64_t{life.seconds} << " s (" << lifetime_source_name(life.source)
         << (life.malformed ? ", unreadable: 3600 s assumed" : "") << (life.clamped ? ", clamped to 2^32-1" : "")
         << "), until ";
    if (!write_utc_time(text, until.secs, static_cast<std::uint32_t>(until.nsecs)))
        text << abs_time_to_str(pinfo->pool, &until, ABSOLUTE_TIME_UTC, TRUE);
}

// A 2xx to SUBSCRIBE or PUBLISH: how long the subscription runs (RFC 6665
// 4.1.2.1) or the published state lasts (RFC 3903 5).
void render_granted(const ResponseAnalysis& a, const Anchor& at, packet_info* pinfo, proto_tree* tree,
                    int status_start, int status_len) {
    if (a.granted.source == LifetimeSource::none) return;
    const int field = a.cseq.method == "PUBLISH" ? hf.publication_lifetime : hf.subscription_lifetime;
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown) write_lifetime(named(text, field), a.granted, lifetime_end(a.granted, pinfo), pinfo);
    proto_item* it = proto_tree_add_uint_format(tree, field, at.tvb, status_start, status_len, a.granted.seconds,
                                                "%s", label);
    proto_item_set_generated(it);
}

void render_lifetime(const Target& t, const ResponseAnalysis& a, const Anchor& at, packet_info* pinfo,
                     proto_tree* tree) {
    const int start = at.start + static_cast<int>(t.offset);
    const int len = static_cast<int>(t.length);
    const std::string_view source = lifetime_source_name(t.lifetime.source);
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (t.lifetime.source == LifetimeSource::none) {
        if (texts_shown) text << "Lifetime: none: " << no_lifetime_meaning(a.status.treated_as);
        proto_item* it = proto_tree_add_string_format(tree, hf.target_lifetime_source, at.tvb, start, len,
                                                      "none", "%s", label);
        proto_item_set_generated(it);
        return;
    }
    const nstime_t until = lifetime_end(t.lifetime, pinfo);
    if (texts_shown) write_lifetime(named(text, hf.target_lifetime), t.lifetime, until, pinfo);
    proto_item* it = proto_tree_add_uint_format(tree, hf.target_lifetime, at.tvb, start, len, t.lifetime.seconds,
                                                "%s", label);
    proto_item_set_generated(it);
    proto_tree* sub = proto_item_add_subtree(it, ett.target);
    it = proto_tree_add_string(sub, hf.target_lifetime_source, at.tvb, start, len,
                               field_string(pinfo, sub, hf.target_lifetime_source, source));
    set_repeated(it);
    it = proto_tree_add_time(sub, hf.target_expires_at, at.tvb, start, len, &until);
    set_repeated(it);
}

// Whether a 3xx's target may be cached for later requests. Its Lifetime
// line already says so ("until ...", "must not be cached", "keep using
// it"), except for a 305 with a lifetime: there the line is shown, with why.
void render_cacheable(const Target& t, const ResponseAnalysis& a, const Anchor& at, proto_tree* tree) {
    const int start = at.start + static_cast<int>(t.offset);
    const int len = static_cast<int>(t.length);
    proto_item* it;
    if (t.cacheable == lifetime_reads_cacheable(a.status.treated_as, t.lifetime)) {
        it = proto_tree_add_boolean(tree, hf.target_cacheable, at.tvb, start, len, t.cacheable);
        set_repeated(it);
        return;
    }
    const char* why = t.cacheable               ? "True"
                      : a.status.treated_as == 305 ? "False: a 305 names a proxy for this one request, whatever "
                                                     "the lifetime (RFC 3261 21.3.4)"
                                                   : "False";
    it = proto_tree_add_boolean_format_value(tree, hf.target_cacheable, at.tvb, start, len, t.cacheable, "%s", why);
    proto_item_set_generated(it);
}

// Whether this 2xx's Contact sets the dialog's remote target (RFC 3261
// 12.1.2 and 12.2.1.2; RFC 6665 for SUBSCRIBE and NOTIFY, RFC 3311 UPDATE).
// A REFER's does when the REFER opened the dialog (RFC 3515 2); RFC 3515
// does not make a REFER inside one a target refresh request, so there the
// Contact is shown with no such claim. Only the REFER, when seen, tells
// which it was (contact_due).
bool sets_remote_target(const ResponseAnalysis& a) {
    const std::string_view method = a.cseq.method;
    return method == "INVITE" || method == "SUBSCRIBE" || method == "NOTIFY" || method == "UPDATE" ||
           (method == "REFER" && a.contact_due);
}

void render_target(const MessageReport& report, std::size_t index, const Anchor& at, packet_info* pinfo,
                   proto_tree* tree) {
    const ResponseAnalysis& a = report.analysis;
    const Target& t = a.targets[index];
    const int start = at.start + static_cast<int>(t.offset);
    const int len = static_cast<int>(t.length);
    const char* noun = a.is_redirect() ? "Target" : "Contact";
    const unsigned number = static_cast<unsigned>(index + 1);
    // q and rank order a redirect's targets and a registrar's bindings; any
    // other 2xx Contact is a single address, with nothing to order
    const bool ordered = a.is_redirect() || a.cseq.method == "REGISTER";
    if (!t.contact.valid) {
        proto_item* it = proto_tree_add_string_format(tree, hf.target_unreadable, at.tvb, start, len,
                                                      t.contact.error, "%s %u: unreadable Contact (%s)", noun,
                                                      number, t.contact.error);
        expert_add_info(pinfo, it, &ei_unreadable);
        return;
    }
    if (t.contact.wildcard) {
        proto_tree_add_string_format(tree, hf.target, at.tvb, start, len, "*", "%s %u: * (wildcard)", noun, number);
        return;
    }
    const std::string_view uri = t.contact.uri_text;
    const double q = t.q.thousandths / 1000.0;
    // the labels a -V run writes most are put together without printf,
    // whose format parsing cost more than the rest of the item (callgrind)
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown) {
        text << noun << " " << std::uint64_t{number} << ": " << wire(uri);
        if (ordered) {
            text << " (q=";
            text.decimal(t.q.thousandths, 3, true) << ", rank " << std::uint64_t{t.rank} << ")";
        } else if (sets_remote_target(a)) {
            text << " (remote target of the dialog)";
        }
    }
    proto_item* ti = proto_tree_add_string_format(tree, hf.target, at.tvb, start, len,
                                                  field_string(pinfo, tree, hf.target, uri), "%s", label);
    proto_tree* sub = proto_item_add_subtree(ti, ett.target);
    const int uri_start = at.start + static_cast<int>(t.contact.uri_text.data() - t.contact.text.data()) +
                          static_cast<int>(t.offset);
    proto_item* it = proto_tree_add_string(sub, hf.target_uri, at.tvb, uri_start, static_cast<int>(uri.size()),
                                           field_string(pinfo, sub, hf.target_uri, uri));
    proto_item_set_hidden(it);  // in the target's line; from the message, so not generated
    if (!t.contact.display.empty()) {
        char* display = static_cast<char*>(wmem_alloc(pinfo->pool, t.contact.display.size() + 1));
        const std::size_t length = unquote_to(t.contact.display, display);
        proto_tree_add_string(sub, hf.target_display, at.tvb,
                              at.start + static_cast<int>(t.contact.display.data() - t.contact.text.data()) +
                                  static_cast<int>(t.offset),
                              static_cast<int>(t.contact.display.size()),
                              wire_string(pinfo->pool, std::string_view(display, length)));
    }
    if (t.q.present || !ordered) {
        it = proto_tree_add_double(sub, hf.target_q, at.tvb, start, len, q);
        proto_item_set_hidden(it);  // in the target's line, or of no use
    } else {
        // shown, since no other line says the q is the default (20.10);
        // labelled as Wireshark would ("%.15g" of a count of thousandths
        // is the count's trimmed decimal) plus why: appending to an item's
        // label makes Wireshark format it first
        TextBuffer q_text(label, sizeof label);
        if (texts_shown) named(q_text, hf.target_q).decimal(t.q.thousandths, 3, true) << " (default)";
        it = proto_tree_add_double_format(sub, hf.target_q, at.tvb, start, len, q, "%s", label);
    }
    proto_item_set_generated(it);
    it = proto_tree_add_uint(sub, hf.target_rank, at.tvb, start, len, t.rank);
    set_repeated(it);
    if (t.has_uri_headers) {
        const std::string_view headers = t.contact.uri.headers;
        proto_tree_add_string(sub, hf.target_uri_headers, at.tvb,
                              uri_start + static_cast<int>(headers.data() - uri.data()),
                              static_cast<int>(headers.size()),
                              field_string(pinfo, sub, hf.target_uri_headers, headers));
    }
    if (a.is_redirect() || t.lifetime.source != LifetimeSource::none) render_lifetime(t, a, at, pinfo, sub);
    if (a.is_redirect()) render_cacheable(t, a, at, sub);
    if (t.removal_ignored && report.request) {
        it = proto_tree_add_boolean_format(sub, hf.target_removal_ignored, at.tvb, start, len, true,
                                           "Removal ignored: the REGISTER in frame %u removed this binding, yet "
                                           "it is still listed with time left (RFC 3261 10.3 steps 6-7)",
                                           report.request->frame);
        proto_item_set_generated(it);
    }
    const std::vector<TargetFollow>& follows = report.sequence.follows;
    if (index < follows.size()) {
        const TargetFollow& follow = follows[index];
        if (follow.frame != 0) {
            it = proto_tree_add_uint_format(sub, hf.target_followed_in, at.tvb, start, len, follow.frame,
                                            "Followed in frame %u%s, %s later%s", follow.frame,
                                            hidden_frame_text(follow.hidden), duration_text(pinfo, follow.delay_ns),
                                            follow.by_number ? ", by its number through another URI (RFC 3261 19.1.6)"
                                                             : "");
            proto_item_set_generated(it);
            if (follow.by_number) {
                it = proto_tree_add_boolean(sub, hf.target_followed_by_number, at.tvb, start, len, TRUE);
                set_repeated(it);  // the Followed in line says so
            }
        } else if (follow.tried_frame != 0) {
            // a 305's target is the proxy to send the same request through
            const bool proxy = a.status.treated_as == 305;
            it = proto_tree_add_uint_format(
                sub, hf.target_tried_in, at.tvb, start, len, follow.tried_frame,
                "Not tried again: %s in frame %u of this redirect chain, %s before this response (%s)",
                proxy ? "already sent through this proxy" : "already asked", follow.tried_frame,
                duration_text(pinfo, follow.tried_before_ns),
                proxy ? "after an earlier 305 named it, RFC 3261 21.3.4"
                      : "a client puts each URI in its target set once, RFC 3261 8.1.3.4");
            proto_item_set_generated(it);
        }
    }
    for (const Finding& f : a.findings)
        if (f.target == static_cast<std::int32_t>(index)) add_rule_hit(f, at, pinfo, sub);
}

// Why no request is shown: sipresp.request_missing's value, and its line.
struct MissingRequest {
    const char* value;
    const char* label;
};

MissingRequest missing_request(const MessageReport& report) {
    if (report.judged_alone)
        return {"calls not tracked", "Request: not looked up (sipresp.track_calls is off: the response is judged alone)"};
    // requests are found by Call-ID, CSeq and the top Via's branch (17.1.3):
    // without a CSeq or a Via none can be, and a response with no Via
    // reaches no client either
    if (!report.analysis.cseq.valid)
        return {"no readable CSeq", "Request: unknown: no readable CSeq to pair the response by (RFC 3261 8.1.1.5)"};
    if (!report.message->find(HeaderId::via))
        return {"no Via", "Request: unknown: no Via to pair the response by (RFC 3261 8.1.1.7); a client would "
                          "discard it (18.1.2)"};
    // one sipresp could not read may be it (a frame a snapshot length cut)
    if (report.unreadable_messages == 1)
        return {"request not in capture", "Request: not found in the capture, where 1 SIP message could not be read "
                                          "and may be it (judged from the response alone)"};
    if (report.unreadable_messages > 1)
        return {"request not in capture", "Request: not found in the capture, where some SIP messages could not be "
                                          "read and one may be it (judged from the response alone)"};
    return {"request not in capture", "Request: not in the capture (judged from the response alone)"};
}

void render_request(const MessageReport& report, const Anchor& at, packet_info* pinfo, proto_tree* tree,
                    int status_len) {
    if (!report.request) {
        const MissingRequest missing = missing_request(report);
        proto_item* it = proto_tree_add_string_format(tree, hf.request_missing, at.tvb, at.start, status_len,
                                                      missing.value, "%s", missing.label);
        proto_item_set_generated(it);
        return;
    }
    const RequestView& req = *report.request;
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown) {
        text << "Request: " << wire(req.summary.method) << " " << wire(req.summary.request_uri) << " [frame "
             << std::uint64_t{req.frame} << ", ";
        put_milliseconds(text, report.response_time_ns);
        text << " ms]" << hidden_frame_text(req.hidden);
    }
    proto_item* it = proto_tree_add_uint_format(tree, hf.request_frame, at.tvb, at.start, status_len, req.frame,
                                                "%s", label);
    proto_item_set_generated(it);
    proto_tree* sub = proto_item_add_subtree(it, ett.request);
    it = proto_tree_add_string(sub, hf.request_uri, at.tvb, at.start, status_len,
                               field_string(pinfo, sub, hf.request_uri, req.summary.request_uri));
    set_repeated(it);
    nstime_t delta;
    delta.secs = static_cast<time_t>(report.response_time_ns / 1'000'000'000);
    delta.nsecs = static_cast<int>(report.response_time_ns % 1'000'000'000);
    it = proto_tree_add_time(sub, hf.response_time, at.tvb, at.start, status_len, &delta);
    set_repeated(it);
}

// The target of a 3xx a client tries first (rank 1), if any is readable.
const Target* first_target(const ResponseAnalysis& a) {
    const Target* first = nullptr;
    if (a.is_redirect())
        for (const Target& t : a.targets)
            if (t.contact.valid && !t.contact.wildcard && t.rank && (!first || t.rank < first->rank)) first = &t;
    return first;
}

// "3600 s", "permanent" (301 without a lifetime) or "no lifetime".
void first_lifetime_text(const ResponseAnalysis& a, const Target& t, TextBuffer& out) {
    if (t.lifetime.source != LifetimeSource::none)
        out << std::uint64_t{t.lifetime.seconds} << " s";
    else
        out << (a.status.treated_as == 301 ? "permanent" : "no lifetime");
}

void render_first_target(const ResponseAnalysis& a, const Target* first, const Anchor& at, packet_info* pinfo,
                         proto_tree* tree) {
    if (!first) return;
    const int start = at.start + static_cast<int>(first->offset);
    const int len = static_cast<int>(first->length);
    // both repeat the line of the target ranked 1 and its Lifetime line
    proto_item* it = proto_tree_add_string(tree, hf.first_target, at.tvb, start, len,
                                           field_string(pinfo, tree, hf.first_target, first->contact.uri_text));
    set_repeated(it);
    char lifetime[32];
    TextBuffer text(lifetime, sizeof lifetime);
    first_lifetime_text(a, *first, text);
    it = proto_tree_add_string(tree, hf.first_target_lifetime, at.tvb, start, len,
                               field_string(pinfo, tree, hf.first_target_lifetime, lifetime));
    set_repeated(it);
}

// How a copy that is no retransmission says what it repeats.
struct RepeatWording {
    const char* lead;    // "Duplicate of frame"
    const char* before;  // before the delay: "captured again "
    const char* why;
};

// A copy that repeats the one in frame `of` without being sent again by
// SIP (captured twice, or resent by TCP), `delay_ns` later: its line, which
// names the first copy when that is another frame, and `field` (hidden: the
// line says it).
void render_repeated_copy(const SequenceReport& seq, std::uint32_t of, std::int64_t delay_ns, int field,
                          const RepeatWording& words, const Anchor& at, int status_start, int status_len,
                          packet_info* pinfo, proto_tree* tree) {
    char first[48] = "";
    TextBuffer also(first, sizeof first);
    if (of != seq.copy_of) also << " (a copy of frame " << std::uint64_t{seq.copy_of} << ")";
    proto_item* it = proto_tree_add_uint_format(tree, hf.copy_of, at.tvb, status_start, status_len, seq.copy_of,
                                                "%s %u%s, %s%s later: %s", words.lead, of, also.c_str(), words.before,
                                                duration_text(pinfo, delay_ns), words.why);
    proto_item_set_generated(it);
    it = proto_tree_add_uint(tree, field, at.tvb, status_start, status_len, of);
    proto_item_set_generated(it);
    proto_item_set_hidden(it);
}

// Links to other frames of the call: the first copy, the redirect depth,
// the ACK. Forward ones are only in the report on the second pass.
void render_response_sequence(const SequenceReport& seq, const Anchor& at, int status_start, int status_len,
                              packet_info* pinfo, proto_tree* tree) {
    proto_item* it;
    if (seq.duplicate_of != 0) {  // (always a copy)
        // (no retransmission timer is that short: a copy T1 or more apart
        // was sent again, 17.1.1.1)
        render_repeated_copy(seq, seq.duplicate_of, seq.duplicate_delay_ns, hf.duplicate_of,
                             {"Duplicate of frame", "captured again ",
                              "the same packet seen twice, too soon to be a retransmission (RFC 3261 17.1.1.1)"},
                             at, status_start, status_len, pinfo, tree);
    } else if (seq.tcp_resend_of != 0) {  // (always a copy)
        // (SIP sends a response again as a new message, further on in the
        // stream: RFC 3261 17.2.1, 13.3.1.4)
        render_repeated_copy(seq, seq.tcp_resend_of, seq.tcp_resend_delay_ns, hf.tcp_resend_of,
                             {"TCP resend of frame", "",
                              "the same segment (same sequence number) sent again by TCP, not by the SIP sender: "
                              "no retransmission"},
                             at, status_start, status_len, pinfo, tree);
    } else if (seq.copy_of != 0) {
        if (seq.copy_after_ack_frame != 0)
            it = proto_tree_add_uint_format(tree, hf.copy_of, at.tvb, status_start, status_len, seq.copy_of,
                                            "Retransmission of frame %u, seen %s after the ACK in frame %u%s%s",
                                            seq.copy_of, duration_text(pinfo, seq.copy_after_ack_ns),
                                            seq.copy_after_ack_frame,
                                            seq.copy_after_ack_elsewhere ? ", " : ": ",
                                            seq.copy_after_ack_elsewhere ? ack_elsewhere_text(seq.no_record_route)
                                                                         : "that ACK did not reach the sender");
        else
            it = proto_tree_add_uint_format(tree, hf.copy_of, at.tvb, status_start, status_len, seq.copy_of,
                                            "Retransmission of frame %u", seq.copy_of);
        proto_item_set_generated(it);
    }
    if (seq.redirect_depth != 0) {
        char label[64];
        TextBuffer text(label, sizeof label);
        if (texts_shown)
            named(text, hf.redirect_depth) << "redirect " << std::uint64_t{seq.redirect_depth} << " of this call";
        it = proto_tree_add_uint_format(tree, hf.redirect_depth, at.tvb, status_start, status_len, seq.redirect_depth,
                                        "%s", label);
        proto_item_set_generated(it);
    }
    switch (seq.ack) {
    case AckState::not_applicable:
        break;
    case AckState::acked:
        it = proto_tree_add_uint_format(tree, hf.ack_frame, at.tvb, status_start, status_len, seq.ack_frame,
                                        "ACK in frame %u%s, %s later%s", seq.ack_frame,
                                        hidden_frame_text(seq.ack_hidden), duration_text(pinfo, seq.ack_delay_ns),
                                        ack_destination_text(seq));
        proto_item_set_generated(it);
        it = proto_tree_add_string(tree, hf.ack_state, at.tvb, status_start, status_len, "acked");
        set_repeated(it);  // the ACK line says so
        if (seq.ack_elsewhere) {
            it = proto_tree_add_boolean(tree, hf.ack_elsewhere, at.tvb, status_start, status_len, TRUE);
            set_repeated(it);  // so does this
        }
        if (seq.ack_hidden) {
            it = proto_tree_add_boolean(tree, hf.ack_hidden, at.tvb, status_start, status_len, TRUE);
            set_repeated(it);  // and this
        }
        break;
    case AckState::missing:
        it = proto_tree_add_string_format_value(tree, hf.ack_state, at.tvb, status_start, status_len, "missing",
                                                seq.other_fork_ack_frame != 0
                                                    ? "missing: none with this 2xx's To tag in the capture"
                                                    : "missing: no ACK in the capture");
        proto_item_set_generated(it);
        break;
    case AckState::unknown:
        it = proto_tree_add_string_format_value(
            tree, hf.ack_state, at.tvb, status_start, status_len, "unknown",
            "unknown: no ACK here, but the capture ends %s later or the ACK may have taken another path",
            duration_text(pinfo, seq.capture_left_ns));
        proto_item_set_generated(it);
        break;
    }
    if (seq.other_branch_ack_frame != 0) {
        it = proto_tree_add_uint_format(tree, hf.ack_other_branch, at.tvb, status_start, status_len,
                                        seq.other_branch_ack_frame,
                                        "ACK in frame %u is on another branch than the INVITE's: it matches no "
                                        "transaction, so acknowledges nothing (RFC 3261 17.1.1.3)",
                                        seq.other_branch_ack_frame);
        proto_item_set_generated(it);
    }
    if (seq.other_fork_ack_frame != 0) {
        it = proto_tree_add_uint_format(tree, hf.ack_other_fork, at.tvb, status_start, status_len,
                                        seq.other_fork_ack_frame,
                                        "ACK in frame %u is the one of frame %u's dialog (another To tag), sent "
                                        "again after this 2xx: the caller took this 2xx for a copy of frame %u's, "
                                        "where each fork's 2xx needs an ACK of its own (RFC 3261 13.2.2.4)",
                                        seq.other_fork_ack_frame, seq.other_fork_frame, seq.other_fork_frame);
        proto_item_set_generated(it);
    }
    if (seq.retransmissions != 0) {
        it = proto_tree_add_uint(tree, hf.retransmissions, at.tvb, status_start, status_len, seq.retransmissions);
        proto_item_set_generated(it);
    }
    if (seq.retransmissions_after_ack != 0) {
        it = proto_tree_add_uint(tree, hf.retransmissions_after_ack, at.tvb, status_start, status_len,
                                 seq.retransmissions_after_ack);
        proto_item_set_generated(it);
    }
    add_sequence_findings(seq, at.tvb, status_start, status_len, pinfo, tree);
}

// Rule ids a summary shows: the Warnings and Errors shown by preference,
// after one "\u26a0", comma-separated ("\u26a0 redirect-loop,target-retried").
class RuleMarks {
public:
    explicit RuleMarks(TextBuffer& text) : text_(text) {}
    void add(RuleId id) {
        const Rule& r = rule(id);
        if (r.severity == Severity::note || !prefs.shows(id)) return;
        text_ << (marked_ ? "," : text_.empty() ? "\u26a0 " : " \u26a0 ") << r.name;
        marked_ = true;
    }

private:
    TextBuffer& text_;
    bool marked_ = false;
};

// "\u21b3 redirected by 4 \u26a0 target-retried" appended to a request's Info column.
void summarise_request(const SequenceReport& seq, packet_info* pinfo) {
    char buffer[160];
    TextBuffer text(buffer, sizeof buffer);
    if (seq.redirected_by != 0) text << "\u21b3 redirected by " << std::uint64_t{seq.redirected_by};
    RuleMarks marks(text);
    for (const SequenceFinding& f : seq.findings) marks.add(f.rule);
    append_summary(pinfo, text);
}

// A message that ran out of its comparisons (CaptureTracker::kCompareBudget)
// says so, so that a missing link is not read as a client's doing.
void render_uncompared(const SequenceReport& seq, tvbuff_t* tvb, int start, int length, proto_tree* tree) {
    if (!seq.uris_not_all_compared) return;
    proto_item* it = proto_tree_add_boolean_format_value(
        tree, hf.uris_not_all_compared, tvb, start, length, TRUE,
        "comparing this message's URIs with all those remembered before it would read more than %zu KiB (a limit "
        "against captures made to be slow): a link or a finding across messages may be missing here",
        CaptureTracker::kCompareBudget / 1024);
    proto_item_set_generated(it);
}

// Requests get a sipresp tree only when the call gives them something:
// the redirect they follow, or a section-6 finding.
void render_request_sequence(const MessageReport& report, const MessageSpan& message, packet_info* pinfo, proto_tree* tree) {
    const SequenceReport& seq = report.sequence;
    const Message& m = *report.message;
    const Anchor at{message.tvb, message.start};
    const int line_start = at.start + static_cast<int>(m.start_line_offset);
    const int line_len = static_cast<int>(m.start_line_length);
    proto_item* ti = proto_tree_add_item(tree, hf.proto, at.tvb, at.start, message.length, ENC_NA);
    if (texts_shown) {
        const char* method = wire_string(pinfo->pool, m.method);
        if (seq.redirected_by != 0)
            proto_item_set_text(ti, "SIP Response Analysis: %s redirected by frame %u", method, seq.redirected_by);
        else
            proto_item_set_text(ti, "SIP Response Analysis: %s", method);
    }
    proto_tree* top = proto_item_add_subtree(ti, ett.sequence);
    if (seq.redirected_by != 0) {
        proto_item* it = proto_tree_add_uint_format(top, hf.redirected_by, at.tvb, line_start, line_len,
                                                    seq.redirected_by, "Redirected by frame %u%s, %s earlier%s%s",
                                                    seq.redirected_by, hidden_frame_text(seq.redirected_by_hidden),
                                                    duration_text(pinfo, seq.redirected_delay_ns),
                                                    seq.redirected_as_new_call ? ", as a new call (another Call-ID)"
                                                                               : "",
                                                    seq.redirected_by_number
                                                        ? ", dialling a target's number through another URI "
                                                          "(RFC 3261 19.1.6)"
                                                        : "");
        proto_item_set_generated(it);
        if (seq.redirected_as_new_call) {
            it = proto_tree_add_boolean(top, hf.redirected_as_new_call, at.tvb, line_start, line_len, TRUE);
            set_repeated(it);  // the Redirected by line says so
        }
        if (seq.redirected_by_number) {
            it = proto_tree_add_boolean(top, hf.redirected_by_number, at.tvb, line_start, line_len, TRUE);
            set_repeated(it);  // the Redirected by line says so
        }
        if (seq.sent_to_proxy_uri) {
            it = proto_tree_add_boolean_format_value(top, hf.sent_to_proxy_uri, at.tvb, line_start, line_len, TRUE,
                                                     "the 305 named a proxy, to send the same request through "
                                                     "it with its Request-URI (RFC 3261 21.3.4)");
            proto_item_set_generated(it);
        }
        char label[64];
        TextBuffer text(label, sizeof label);
        if (texts_shown)
            named(text, hf.redirect_depth) << std::uint64_t{seq.redirect_depth}
                                           << (seq.redirect_depth == 1 ? " redirect led here" : " redirects led here");
        it = proto_tree_add_uint_format(top, hf.redirect_depth, at.tvb, line_start, line_len, seq.redirect_depth, "%s",
                                        label);
        proto_item_set_generated(it);
    }
    render_uncompared(seq, at.tvb, line_start, line_len, top);
    add_sequence_findings(seq, at.tvb, line_start, line_len, pinfo, top);
    if (prefs.info_summary) summarise_request(seq, pinfo);
}

// "→ sip:bob@192.0.2.4 (60 s) ⚠ redirect-loop" appended to the Info column.
// `first`: the response's first_target().
void summarise(const ResponseAnalysis& a, const Target* first, const SequenceReport& seq, packet_info* pinfo) {
    char buffer[256];
    TextBuffer text(buffer, sizeof buffer);
    if (first) {
        text << "\u2192 " << wire(first->contact.uri_text) << " (";
        first_lifetime_text(a, *first, text);
        text << ")";
        if (a.targets.size() > 1) text << " +" << std::uint64_t{a.targets.size() - 1 + a.targets_omitted};
    }
    RuleMarks marks(text);
    for (const Finding& f : a.findings) marks.add(f.rule);
    for (const SequenceFinding& f : seq.findings) marks.add(f.rule);
    // (a copy's rule is on its first copy; this is what the copy itself shows)
    if (seq.copy_after_ack_frame != 0)
        text << (text.empty() ? "\u21ba " : " \u21ba ") << delay_text(pinfo, seq.copy_after_ack_ns)
             << " after ACK " << std::uint64_t{seq.copy_after_ack_frame}
             << (seq.copy_after_ack_elsewhere && !seq.no_record_route ? ": none to sender" : ": ACK lost");
    append_summary(pinfo, text);
}

// Nobody looks at sipresp's tree in this frame (plain tshark, or a filter
// on other fields): keep only what is visible without it, the expert infos
// (for -z expert and the GUI's Expert Information) and the Info column, and
// skip the formatting of items that would be thrown away.
void render_without_tree(const MessageReport& report, packet_info* pinfo) {
    const Message& m = *report.message;
    if (report.internal_error || m.status != ParseStatus::complete) {
        expert_add_info(pinfo, nullptr, &ei_unreadable);
        return;
    }
    const SequenceReport& seq = report.sequence;
    for (const SequenceFinding& f : seq.findings)
        if (prefs.shows(f.rule)) expert_add_info(pinfo, nullptr, &ei_rule[static_cast<int>(f.rule)]);
    if (m.is_request) {
        if (prefs.info_summary) summarise_request(seq, pinfo);
        return;
    }
    if (!report.analysed) return;
    for (const Target& t : report.analysis.targets)
        if (!t.contact.valid) expert_add_info(pinfo, nullptr, &ei_unreadable);
    for (const Finding& f : report.analysis.findings)
        if (prefs.shows(f.rule)) expert_add_info(pinfo, nullptr, &ei_rule[static_cast<int>(f.rule)]);
    if (prefs.info_summary) summarise(report.analysis, first_target(report.analysis), seq, pinfo);
}

// Every field of sipresp's tree but the protocol and sipresp.rule. A
// static_assert keeps the list whole when a field is added to Fields.
const int* const kTreeOnlyFields[] = {
    &hf.status_code, &hf.status_class, &hf.meaning, &hf.method, &hf.policy,
    &hf.request_frame, &hf.request_uri, &hf.response_time, &hf.request_missing,
    &hf.target, &hf.target_uri, &hf.target_display, &hf.target_q, &hf.target_rank,
    &hf.target_lifetime, &hf.target_lifetime_source, &hf.target_expires_at,
    &hf.target_cacheable, &hf.target_uri_headers, &hf.target_unreadable,
    &hf.targets_omitted, &hf.subscription_lifetime, &hf.publication_lifetime,
    &hf.first_target, &hf.first_target_lifetime, &hf.target_followed_in, &hf.target_followed_by_number, &hf.target_tried_in,
    &hf.target_removal_ignored,
    &hf.redirected_by, &hf.redirected_as_new_call, &hf.redirected_by_number, &hf.sent_to_proxy_uri, &hf.redirect_depth, &hf.copy_of, &hf.duplicate_of, &hf.tcp_resend_of, &hf.ack_frame, &hf.ack_state, &hf.ack_elsewhere, &hf.ack_hidden, &hf.ack_other_branch, &hf.ack_other_fork,
    &hf.retransmissions,
    &hf.retransmissions_after_ack,
    &hf.unreadable, &hf.body_cut, &hf.ip_first_fragment, &hf.tcp_first_segment, &hf.whole_in,
    &hf.uris_not_all_compared,
};
static_assert(sizeof kTreeOnlyFields / sizeof kTreeOnlyFields[0] + 2 == sizeof(Fields) / sizeof(int),
              "a field of Fields is missing from kTreeOnlyFields");

// In a tree nobody sees, whether a filter or a -e asks for any field but
// sipresp.rule. For such a tree Wireshark compares a field's reference
// mark only (proto_field_is_referenced), read here without the call.
bool tree_only_fields_wanted() {
    constexpr std::size_t n = sizeof kTreeOnlyFields / sizeof kTreeOnlyFields[0];
    // a field's description stays where it was registered: looked up once
    static const header_field_info* infos[n] = {};
    if (!infos[0])
        for (std::size_t i = 0; i < n; ++i) infos[i] = proto_registrar_get_nth(static_cast<guint>(*kTreeOnlyFields[i]));
    for (const header_field_info* info : infos)
        if (info->ref_type != HF_REF_TYPE_NONE) return true;
    return false;
}

// A tree nobody sees, searched for sipresp or sipresp.rule alone (-Y
// sipresp.rule, the usual filter): the protocol item, the rule items and
// the expert infos and Info column of render_without_tree, none of the
// rest, which Wireshark would fake item by item at a cost (issue 6, mode D).
void render_rules_only(const MessageReport& report, const MessageSpan& message, packet_info* pinfo,
                       proto_tree* tree) {
    const Message& m = *report.message;
    const Anchor at{message.tvb, message.start};
    proto_item* ti = proto_tree_add_item(tree, hf.proto, at.tvb, at.start, message.length, ENC_NA);
    proto_tree* top = proto_item_add_subtree(ti, ett.top);
    const SequenceReport& seq = report.sequence;
    const int line_start = at.start + static_cast<int>(m.start_line_offset);
    add_sequence_findings(seq, at.tvb, line_start, static_cast<int>(m.start_line_length), pinfo, top);
    if (m.is_request) {
        if (prefs.info_summary) summarise_request(seq, pinfo);
        return;
    }
    const ResponseAnalysis& a = report.analysis;
    for (const Target& t : a.targets)
        if (!t.contact.valid) expert_add_info(pinfo, ti, &ei_unreadable);
    for (const Finding& f : a.findings) {
        // as render_target: a finding about a target shows under a readable one
        const bool about_target = f.target >= 0 && static_cast<std::size_t>(f.target) < a.targets.size();
        const Target* t = about_target ? &a.targets[static_cast<std::size_t>(f.target)] : nullptr;
        if (!t || (t->contact.valid && !t->contact.wildcard)) add_rule_hit(f, at, pinfo, top);
    }
    if (prefs.info_summary) summarise(a, first_target(a), seq, pinfo);
}

// A SIP message no frame holds whole: for Expert Information (`item`, or
// the frame when the tree is not built) and the statistics tree alike.
void note_never_whole(packet_info* pinfo, proto_item* item) {
    expert_add_info(pinfo, item, &ei_unreadable);
    tap_unreadable(pinfo);
}

}  // namespace

void start_frame() { summary_written = false; }

void render_report(const MessageReport& report, const MessageSpan& message, MessageCut cut, packet_info* pinfo,
                   proto_tree* tree) {
    if (!proto_field_is_referenced(tree, hf.proto)) {
        render_without_tree(report, pinfo);
        return;
    }
    texts_shown = PTREE_DATA(tree)->visible;
    const Anchor at{message.tvb, message.start};
    const Message& m = *report.message;
    if (report.internal_error || m.status != ParseStatus::complete) {
        // Only say so where it matters: an unreadable message we would have
        // analysed, or any message the core cannot read at all.
        const char* why = report.internal_error ? report.internal_error : m.error;
        proto_item* ti = proto_tree_add_item(tree, hf.proto, at.tvb, at.start, message.length, ENC_NA);
        proto_item_set_text(ti, "SIP Response Analysis: message not analysed");
        proto_tree* sub = proto_item_add_subtree(ti, ett.top);
        proto_item* it;
        const bool cut_short = cut_by_capture(cut) && !report.internal_error && m.status == ParseStatus::incomplete;
        if (cut_short && cut == MessageCut::by_snapshot_length) {
            // the sender's message may have been whole: say what cut it
            it = proto_tree_add_string_format(
                sub, hf.unreadable, at.tvb, at.start + message.length, 0, "cut short by the capture",
                "Could not read this SIP message: the capture kept only its first %d bytes (snapshot length %u of "
                "this frame's %u bytes), and its header section is not whole",
                message.length, pinfo->fd->cap_len, pinfo->fd->pkt_len);
        } else if (cut_short) {
            // with IP reassembly on, Wireshark would not have handed a lone
            // first fragment to the SIP dissector at all
            it = proto_tree_add_string_format(
                sub, hf.unreadable, at.tvb, at.start + message.length, 0, "cut short: IP fragments not reassembled",
                "Could not read this SIP message: this frame, the first IP fragment of its datagram, holds only its "
                "first %d bytes, and its header section is not whole (Wireshark's IP reassembly is off: "
                "ip.defragment, ipv6.defragment)",
                message.length);
        } else {
            const int where = static_cast<int>(m.error_offset) <= message.length ? static_cast<int>(m.error_offset) : 0;
            it = proto_tree_add_string_format(sub, hf.unreadable, at.tvb, at.start + where, 0, why,
                                              "Could not read this SIP message: %s (%s, at byte %d)", why,
                                              m.status == ParseStatus::incomplete ? "incomplete" : "malformed", where);
        }
        expert_add_info(pinfo, it, &ei_unreadable);
        return;
    }
    // requests get a tree only from the call; responses once analysed
    if (m.is_request ? !report.has_sequence() : !report.analysed) return;
    if (!texts_shown && !tree_only_fields_wanted()) {
        render_rules_only(report, message, pinfo, tree);
        return;
    }
    if (m.is_request) {
        render_request_sequence(report, message, pinfo, tree);
        return;
    }

    const ResponseAnalysis& a = report.analysis;
    const int status_start = at.start + static_cast<int>(a.status_line_offset);
    const int status_len = static_cast<int>(a.status_line_length);
    const std::uint64_t code = static_cast<unsigned>(a.status.code);
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown) write_response_title(a, text << "SIP Response Analysis: ");
    proto_item* ti = proto_tree_add_item(tree, hf.proto, at.tvb, at.start, message.length, ENC_NA);
    proto_item_set_text(ti, "%s", label);
    proto_tree* top = proto_item_add_subtree(ti, ett.top);

    TextBuffer status_text(label, sizeof label);
    if (texts_shown) {
        named(status_text, hf.status_code) << code;
        if (a.status.registered)
            status_text << " " << a.status.name << " (" << a.status.class_name << ")";
        else
            status_text << " (" << a.status.class_name << "), not registered: handled as "
                        << static_cast<std::uint64_t>(static_cast<unsigned>(a.status.treated_as)) << " "
                        << a.status.name;
        const std::string_view reason = other_reason_phrase(a.status, m.reason);
        if (!reason.empty()) status_text << ", reason phrase \"" << wire(reason) << "\"";
    }
    proto_tree_add_uint_format(top, hf.status_code, at.tvb, status_start, status_len, static_cast<unsigned>(code),
                               "%s", label);
    proto_item* it = proto_tree_add_string(top, hf.status_class, at.tvb, status_start, status_len,
                               field_string(pinfo, top, hf.status_class, a.status.class_name));
    set_repeated(it);  // in the Status line
    TextBuffer meaning_text(label, sizeof label);
    if (texts_shown) named(meaning_text, hf.meaning) << a.status.meaning << " (" << a.status.reference << ")";
    it = proto_tree_add_string_format(top, hf.meaning, at.tvb, status_start, status_len,
                                      field_string(pinfo, top, hf.meaning, a.status.meaning), "%s", label);
    proto_item_set_generated(it);
    if (m.body_cut) {
        // the SIP dissector marks the cut too; this says it did not stop sipresp
        const Header* length = m.find(HeaderId::content_length);
        const std::string_view sent = length ? length->value : std::string_view("?");
        const bool fragment = cut == MessageCut::by_ip_fragmentation;
        it = proto_tree_add_boolean_format(
            top, hf.body_cut, at.tvb, at.start + message.length, 0, TRUE,
            "%s: %zu of its %.*s bytes %s; the header section, all sipresp reads, is whole",
            fragment ? "Body cut" : "Body cut by the capture", m.body.size(), SV(sent),
            fragment ? "are in this frame, the first IP fragment of its datagram (Wireshark's IP reassembly is off)"
                     : "kept (snapshot length)");
        proto_item_set_generated(it);
    }
    if (a.cseq.valid) {
        it = proto_tree_add_string(top, hf.method, at.tvb, status_start, status_len, 
                                   field_string(pinfo, top, hf.method, a.cseq.method));
        // a 2xx's title names the method, and so does the Request line
        if (!a.is_redirect() || report.request)
            set_repeated(it);
        else
            proto_item_set_generated(it);
    }
    if (!a.policy.empty()) {
        it = proto_tree_add_string(top, hf.policy, at.tvb, status_start, status_len, 
                                   field_string(pinfo, top, hf.policy, a.policy));
        set_repeated(it);  // the Meaning line, and each target's Lifetime line
    }
    const Target* first = first_target(a);  // for the tree and the Info column
    render_first_target(a, first, at, pinfo, top);
    render_request(report, at, pinfo, top, status_len);
    render_response_sequence(report.sequence, at, status_start, status_len, pinfo, top);
    render_uncompared(report.sequence, at.tvb, status_start, status_len, top);
    render_granted(a, at, pinfo, top, status_start, status_len);
    for (std::size_t i = 0; i < a.targets.size(); ++i) render_target(report, i, at, pinfo, top);
    if (a.targets_omitted) {
        it = proto_tree_add_uint_format_value(top, hf.targets_omitted, at.tvb, status_start, 0,
                                              static_cast<unsigned>(a.targets_omitted),
                                              "%zu more Contacts not analysed (limit %zu)", a.targets_omitted,
                                              kMaxTargets);
        proto_item_set_generated(it);
    }
    for (const Finding& f : a.findings)
        if (f.target < 0) add_rule_hit(f, at, pinfo, top);
    if (prefs.info_summary) summarise(a, first, report.sequence, pinfo);
}

void render_first_fragment(const FirstFragmentMessage& message, ReassembledDatagrams::Fate fate,
                           std::uint32_t completed_in, tvbuff_t* frame, packet_info* pinfo, proto_tree* tree) {
    using Fate = ReassembledDatagrams::Fate;
    const bool lost = fate == Fate::never_completed;
    const bool named_method = !message.is_request && !message.cseq_method.empty();
    if (prefs.info_summary) {
        // "Fragmented IP protocol (...)" ends in no separator of its own
        char summary[kLabelRoom];
        TextBuffer text(summary, sizeof summary);
        text << "first IP fragment of SIP " << wire(message.line);
        if (named_method) text << " (" << wire(message.cseq_method) << ")";
        if (lost) text << ", the rest not captured";
        col_append_str(pinfo->cinfo, COL_INFO, " | ");
        col_append_str(pinfo->cinfo, COL_INFO, summary);
    }
    if (!proto_field_is_referenced(tree, hf.proto)) {
        // a message nobody can read: for -z expert and Expert Information
        if (lost) note_never_whole(pinfo, nullptr);
        return;
    }
    texts_shown = PTREE_DATA(tree)->visible;
    const int start = static_cast<int>(message.offset);
    proto_item* ti = proto_tree_add_item(tree, hf.proto, frame, start, static_cast<int>(message.length), ENC_NA);
    proto_item_set_text(ti, lost ? "SIP Response Analysis: first IP fragment of a SIP message, the rest not captured"
                                 : "SIP Response Analysis: first IP fragment of a SIP message, held for IP reassembly");
    proto_tree* top = proto_item_add_subtree(ti, ett.top);
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown) {
        text << "First IP fragment of: " << wire(message.start_line);
        if (message.cseq_method.empty())
            text << " (no readable CSeq in this fragment)";
        else
            text << " (CSeq " << std::uint64_t{message.cseq_number} << " " << wire(message.cseq_method) << ")";
        text << "; " << std::uint64_t{message.length} << " of its " << std::uint64_t{message.sent_length}
             << " bytes are in this frame";
    }
    proto_tree_add_string_format(top, hf.ip_first_fragment, frame, start, static_cast<int>(message.start_line.size()),
                                 field_string(pinfo, top, hf.ip_first_fragment, message.start_line), "%s", label);
    // lines of text, not fields: they explain, and hold nothing to filter on
    // (each under ITEM_LABEL_LENGTH, where Wireshark cuts a label)
    if (fate == Fate::reassembled) {
        proto_tree_add_subtree_format(top, frame, start, 0, ett.top, nullptr,
                                      "sipresp analyses the message in frame %u, which completes its datagram",
                                      completed_in);
        return;
    }
    if (lost) {
        proto_item* it = proto_tree_add_string_format(
            top, hf.unreadable, frame, start + static_cast<int>(message.length), 0,
            "cut short: its other IP fragments are not in the capture",
            "Not analysed: no frame of this capture completes its datagram, whose other fragments were not captured");
        proto_item_set_generated(it);
        note_never_whole(pinfo, it);
    } else {
        proto_tree_add_subtree_format(top, frame, start, 0, ett.top, nullptr,
                                      "sipresp analyses the message in the frame that completes its datagram "
                                      "(Reassembled in, under IP). If no frame does, the capture lacks its other "
                                      "fragments");
    }
    proto_tree_add_subtree_format(top, frame, start, 0, ett.top, nullptr,
                                  "Later fragments carry no UDP header, so a capture filter on UDP ports drops them. "
                                  "With IP reassembly off (ip.defragment, ipv6.defragment) sipresp reads this "
                                  "fragment alone");
}

void render_first_segment(std::string_view bytes, const MessageSpan& message, std::uint32_t whole_in,
                          const char* reassembly_off, bool over_tls, packet_info* pinfo, proto_tree* tree) {
    // (nothing for the Info column or Expert Information unless the
    // message can never be read: nothing is wrong)
    if (!proto_field_is_referenced(tree, hf.proto)) {
        if (reassembly_off) note_never_whole(pinfo, nullptr);
        return;
    }
    texts_shown = PTREE_DATA(tree)->visible;
    std::size_t line_end = 0;
    while (line_end < bytes.size() && bytes[line_end] != '\r' && bytes[line_end] != '\n') ++line_end;
    const std::string_view start_line = bytes.substr(0, line_end);
    proto_item* ti = proto_tree_add_item(tree, hf.proto, message.tvb, message.start, message.length, ENC_NA);
    const char* carrier = over_tls ? "TLS record" : "TCP segment";
    proto_item_set_text(ti, "SIP Response Analysis: start of a SIP message that goes on past this %s", carrier);
    proto_tree* top = proto_item_add_subtree(ti, ett.top);
    char label[kLabelRoom];
    TextBuffer text(label, sizeof label);
    if (texts_shown)
        text << "First part of: " << wire(start_line) << "; " << std::uint64_t{bytes.size()}
             << (over_tls ? " bytes here, the rest in a later TLS record" : " bytes here, the rest later in its TCP stream");
    proto_tree_add_string_format(top, hf.tcp_first_segment, message.tvb, message.start, static_cast<int>(line_end),
                                 field_string(pinfo, top, hf.tcp_first_segment, start_line), "%s", label);
    if (reassembly_off) {
        // as for a first IP fragment with IP reassembly off: the message is
        // cut, and a preference says why
        char why[kLabelRoom];
        TextBuffer value(why, sizeof why);
        value << "goes on past its " << carrier << "; " << reassembly_off << " is off";
        proto_item* it = proto_tree_add_string_format(
            top, hf.unreadable, message.tvb, message.start + message.length, 0, why,
            "Could not read this SIP message: it goes on past this %s, and Wireshark does not put the %ss of a SIP "
            "message together (%s is off)",
            carrier, over_tls ? "TLS record" : "segment", reassembly_off);
        proto_item_set_generated(it);
        note_never_whole(pinfo, it);
        return;
    }
    if (whole_in != 0) {
        proto_item* it = proto_tree_add_uint_format(
            top, hf.whole_in, message.tvb, message.start, 0, whole_in,
            "Read whole in frame %u%s, where it counts for call tracking", whole_in, hidden_frame_text(true));
        proto_item_set_generated(it);
        return;
    }
    proto_tree_add_subtree_format(top, message.tvb, message.start, 0, ett.top, nullptr, "%s",
                                  over_tls ? "sipresp analyses it where it is whole: the frame whose TLS record "
                                             "completes it (Reassembled TLS segments, under TLS)"
                                           : "sipresp analyses it where it is whole: the frame Wireshark reassembles "
                                             "it in (Reassembled PDU in frame, under TCP)");
}

}  // namespace sipresp::plugin
