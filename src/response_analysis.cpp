// Targets, lifetimes and the response rules; one small predicate per rule.
#include "response_analysis.h"

#include <optional>
#include <vector>

#include "binding_removal.h"
#include "chars.h"
#include "header_values.h"
#include "uri.h"

namespace sipresp {
namespace {

void add(ResponseAnalysis& a, RuleId id, std::uint32_t offset, std::uint32_t length, std::int32_t target = -1) {
    a.findings.push_back({id, offset, length, target});
}

std::uint32_t offset_in(const Message& m, std::string_view part) { return m.offset_of(part); }
std::uint32_t size32(std::string_view part) { return static_cast<std::uint32_t>(part.size()); }

void collect_targets(const Message& m, ResponseAnalysis& a) {
    for (const Header& h : m.headers) {
        if (h.id != HeaderId::contact) continue;
        ListSplitter list(h.value);
        std::string_view element;
        std::size_t offset = 0;
        while (list.next(element, offset)) {
            if (a.targets.size() >= kMaxTargets) {
                ++a.targets_omitted;
                continue;
            }
            Target& t = a.targets.emplace_back();
            read_name_addr(element, t.contact);
            t.offset = offset_in(m, element);
            t.length = size32(element);
            if (t.contact.wildcard) {
                a.wildcard = true;
                add(a, RuleId::wildcard_contact_in_response, t.offset, t.length);
            }
        }
    }
}

// 10.2.1.1 / 21.3.3: which targets a client may keep for later requests.
bool may_cache(int treated_as, const Lifetime& life) {
    switch (treated_as) {
    case 301: return life.source == LifetimeSource::none || life.seconds > 0;
    case 305: return false;  // the proxy is for this one request (21.3.4)
    default: return treated_as >= 300 && life.source != LifetimeSource::none && life.seconds > 0;
    }
}

// The header parameters a target's judgement needs, found in one pass.
struct ContactParams {
    const Param* q = nullptr;
    const Param* expires = nullptr;
    Param q_storage, expires_storage;
};

void read_contact_params(std::string_view params, ContactParams& out) {
    ParamSplitter splitter(params);
    Param p;
    while (splitter.next(p)) {
        if (!out.q && iequals(p.name, "q")) {
            out.q_storage = p;
            out.q = &out.q_storage;
        } else if (!out.expires && iequals(p.name, "expires")) {
            out.expires_storage = p;
            out.expires = &out.expires_storage;
        }
    }
}

std::uint32_t param_length(const Param& p) {
    return p.has_value ? static_cast<std::uint32_t>(p.value.data() + p.value.size() - p.name.data())
                       : size32(p.name);
}

// `timed`: whether the response's Contacts have lifetimes (see
// analyse_response); an expires parameter is judged wherever it is written.
void judge_target(const Message& m, ResponseAnalysis& a, std::size_t index, const std::string_view* expires,
                  bool timed) {
    Target& t = a.targets[index];
    const auto i = static_cast<std::int32_t>(index);
    if (!t.contact.valid || t.contact.wildcard) return;
    ContactParams params;
    read_contact_params(t.contact.params, params);
    if (params.q) {
        t.q = parse_qvalue(params.q->value);
        if (!t.q.valid) add(a, RuleId::qvalue_malformed, offset_in(m, params.q->name), param_length(*params.q), i);
    }
    const int code = a.status.treated_as;
    const Lifetime life = effective_lifetime(params.expires ? &params.expires->value : nullptr, expires);
    if (params.expires) {
        const std::uint32_t at = offset_in(m, params.expires->name);
        const std::uint32_t len = param_length(*params.expires);
        if (life.malformed) add(a, RuleId::contact_expires_malformed, at, len, i);
        if (life.clamped) add(a, RuleId::expires_out_of_range, at, len, i);
    }
    t.lifetime = timed ? life : Lifetime{};
    t.has_uri_headers = !t.contact.uri.headers.empty();
    if (code >= 300) {
        t.cacheable = may_cache(code, t.lifetime);
        if (t.lifetime.source != LifetimeSource::none && t.lifetime.seconds == 0)
            add(a, RuleId::redirect_zero_lifetime, t.offset, t.length, i);
        return;
    }
    Param method_param;
    if (t.has_uri_headers || find_param(t.contact.uri.params, "method", method_param))
        add(a, RuleId::uri_headers_outside_redirect, t.offset, t.length, i);
    if (a.cseq.method == "REGISTER" && !params.expires)
        add(a, RuleId::register_binding_without_expires, t.offset, t.length, i);
}

// A registrar's 2xx lists every binding left (10.3 step 8). It leaves none
// when it lists none, or only bindings whose lifetime reads 0 s; a Contact
// that is unreadable, a wildcard, without any lifetime, or left out past
// kMaxTargets may be a live binding.
BindingsShown bindings_shown(const ResponseAnalysis& a) {
    if (a.targets_omitted > 0) return BindingsShown::some_may_be_live;
    if (a.targets.empty()) return BindingsShown::none_listed;
    for (const Target& t : a.targets) {
        const bool gone = t.contact.valid && !t.contact.wildcard && t.lifetime.source != LifetimeSource::none &&
                          t.lifetime.seconds == 0;
        if (!gone) return BindingsShown::some_may_be_live;
    }
    return BindingsShown::all_listed_at_zero;
}

// A response with more targets than this (kMaxTargets at most) has each
// readied once for the pairwise comparison; below it, preparing would cost
// more than it saves, unless a target's lists are so long that uri_equal
// would prepare it for every pair anyway.
constexpr std::size_t kPreparedFrom = 16;

bool worth_preparing_targets(const ResponseAnalysis& a) {
    if (a.targets.size() > kPreparedFrom) return true;
    for (const Target& t : a.targets)
        if (t.contact.valid && worth_preparing(t.contact.uri)) return true;
    return false;
}

// Each target against every earlier one: a few pairs in any real response.
// A hostile one's 256 near-identical Contacts make 32,640 pairs, each of
// whose parameter lists uri_equal would split and search again: there each
// target is prepared once (prepare_uri), and only pairs whose URIs share
// an equality digest are compared at all.
void find_duplicates(ResponseAnalysis& a) {
    const std::size_t n = a.targets.size();
    const bool prepare = n > 1 && worth_preparing_targets(a);
    std::vector<PreparedUri> prepared(prepare ? n : 0);
    std::vector<std::uint64_t> digest(prepare ? n : 0);
    if (prepare) {
        for (std::size_t i = 0; i < n; ++i) {
            if (!a.targets[i].contact.valid) continue;
            prepare_uri(a.targets[i].contact.uri, prepared[i]);
            digest[i] = uri_equality_digest(a.targets[i].contact.uri);
        }
    }
    const auto same = [&](std::size_t i, std::size_t j) {
        if (!prepare) return uri_equal(a.targets[i].contact.uri, a.targets[j].contact.uri);
        return digest[i] == digest[j] && prepared_uri_equal(prepared[i], prepared[j]);
    };
    for (std::size_t j = 1; j < n; ++j) {
        const Target& later = a.targets[j];
        if (!later.contact.valid || later.contact.wildcard) continue;
        for (std::size_t i = 0; i < j; ++i) {
            if (a.targets[i].contact.valid && same(i, j)) {
                add(a, RuleId::duplicate_target, later.offset, later.length, static_cast<std::int32_t>(j));
                break;
            }
        }
    }
}

void rank_targets(ResponseAnalysis& a) {
    // rank = 1 + targets ahead of this one: higher q, or equal q earlier in
    // the header (8.1.3.4 leaves ties to header order). Quadratic, but
    // targets are capped at kMaxTargets and this allocates nothing.
    const std::size_t n = a.targets.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint16_t q = a.targets[i].q.thousandths;
        std::uint32_t ahead = 0;
        for (std::size_t j = 0; j < n; ++j) {
            const std::uint16_t other = a.targets[j].q.thousandths;
            ahead += other > q || (other == q && j < i);
        }
        a.targets[i].rank = ahead + 1;
    }
}

void judge_response(const Message& m, ResponseAnalysis& a) {
    const int code = m.status_code;
    const int treated = a.status.treated_as;
    const std::string_view method = a.cseq.method;
    const std::uint32_t start = a.status_line_offset;
    const std::uint32_t start_len = a.status_line_length;
    const bool has_contact = a.contact_count() != 0;

    if (!a.status.registered) add(a, RuleId::unregistered_status_code, start, start_len);
    if ((treated == 300 || treated == 301 || treated == 302) && !has_contact)
        add(a, RuleId::redirect_without_contact, start, start_len);
    if (treated == 305 && !has_contact) add(a, RuleId::use_proxy_without_contact, start, start_len);
    // (a body the capture cut off was sent all the same)
    if (treated == 380 && m.body.empty() && !m.body_cut)
        add(a, RuleId::alternative_service_without_body, start, start_len);
    if (treated >= 300 && method == "CANCEL") add(a, RuleId::redirect_of_cancel, start, start_len);
    if (method == "ACK") add(a, RuleId::response_to_ack, start, start_len);
    if (code == 204 && method != "SUBSCRIBE") add(a, RuleId::no_notification_misuse, start, start_len);
    if (code == 202 && method == "SUBSCRIBE") add(a, RuleId::accepted_deprecated, start, start_len);

    if (treated < 300 && creates_dialog(method)) {
        const std::size_t contacts = a.contact_count();
        // A REFER opens a dialog only when sent outside one (RFC 3515 2):
        // its request says so, not its response (check_against_request).
        a.contact_due = method != "REFER";
        if (contacts == 0 && a.contact_due) add(a, RuleId::dialog_2xx_without_contact, start, start_len);
        if (contacts > 1) add(a, RuleId::dialog_2xx_contact_count, a.targets[1].offset, a.targets[1].length, 1);
        if (contacts == 1 && a.targets[0].contact.valid && !a.targets[0].contact.wildcard &&
            !a.targets[0].contact.uri.is_sip_or_sips())
            add(a, RuleId::dialog_2xx_contact_scheme, a.targets[0].offset, a.targets[0].length, 0);
    }
}

}  // namespace

void analyse_response(const Message& m, ResponseAnalysis& a) { analyse_response(m, parse_cseq(m), a); }

void analyse_response(const Message& m, const CSeq& cseq, ResponseAnalysis& a) {
    a.cseq = cseq;
    a.status = describe_status(m.status_code, a.cseq.valid ? a.cseq.method : std::string_view{});
    a.policy = redirect_policy(a.status.treated_as);
    a.status_line_offset = m.start_line_offset;
    a.status_line_length = m.start_line_length;
    a.targets.clear();
    a.targets_omitted = 0;
    a.wildcard = false;
    a.granted = Lifetime{};
    a.contact_due = false;
    a.findings.clear();
    if (!is_analysed_status(m.status_code)) return;

    collect_targets(m, a);

    const Header* expires = nullptr;
    for (const Header& h : m.headers) {
        if (h.id != HeaderId::expires) continue;
        if (!expires) {
            expires = &h;
            const DeltaSeconds d = parse_delta_seconds(h.value);
            if (!d.valid) add(a, RuleId::expires_malformed, h.value_offset, size32(h.value));
            if (d.clamped) add(a, RuleId::expires_out_of_range, h.value_offset, size32(h.value));
        } else {
            add(a, RuleId::multiple_expires_headers, h.offset, h.length);
        }
    }
    const std::string_view expires_value = expires ? expires->value : std::string_view{};
    // What the lifetimes belong to, decided once per response: a 3xx's
    // targets and a registrar's bindings have one; a dialog's remote target
    // has none, whatever Expires says, which then times a subscription or
    // published state, or nothing.
    const bool redirect = a.status.treated_as >= 300;
    const std::string_view method = a.cseq.method;
    const bool timed = redirect || method == "REGISTER";
    if (expires && !redirect && grants_lifetime(method)) {
        a.granted = effective_lifetime(nullptr, &expires_value);
        // an unreadable value counts as 3600 s, never as 0
        if (a.granted.seconds == 0) describe_zero_time(method, ZeroTimeFrom::response, a.status);
    }
    for (std::size_t i = 0; i < a.targets.size(); ++i)
        judge_target(m, a, i, expires ? &expires_value : nullptr, timed);
    if (!redirect && method == "REGISTER") describe_no_bindings(bindings_shown(a), a.status);
    find_duplicates(a);
    rank_targets(a);
    judge_response(m, a);
}

void check_against_request(const RequestSummary& request, ResponseAnalysis& a) {
    const int code = a.status.treated_as;
    // only a redirect's targets are compared with the Request-URI; most
    // responses (200 to BYE, to REGISTER...) never need it read
    const bool redirect = code >= 300 && !a.targets.empty();
    const Uri request_uri = redirect ? parse_uri(request.request_uri) : Uri{};
    // compared with up to 256 targets: a long Request-URI is prepared once
    // (built for a redirect only: every other response passes here too)
    std::optional<UriComparedOften> request_uri_often;
    if (redirect) request_uri_often.emplace(request_uri);
    for (std::size_t i = 0; i < a.targets.size(); ++i) {
        const Target& t = a.targets[i];
        if (!t.contact.valid || t.contact.wildcard) continue;
        const auto index = static_cast<std::int32_t>(i);
        if (code >= 300) {
            if (request_uri_names_target(*request_uri_often, t.contact.uri))
                add(a, RuleId::redirect_loop, t.offset, t.length, index);
            if (request_uri.scheme == UriScheme::sips && t.contact.uri.scheme != UriScheme::sips)
                add(a, RuleId::sips_downgrade, t.offset, t.length, index);
        } else if (creates_dialog(a.cseq.method) && !request.to_tag && request.dialog_needs_sips &&
                   t.contact.uri.scheme != UriScheme::sips) {
            add(a, RuleId::dialog_2xx_sips_required, t.offset, t.length, index);
        }
    }
    // A REFER sent outside a dialog opens one (RFC 3515 2), so its 2xx owes
    // the Contact that sets the remote target (12.1.1). One sent inside a
    // dialog (a transfer) is answered as a BYE is, and a blind transfer's
    // 202 often has none; without the REFER nobody can tell the two apart,
    // so nothing is asked. (A re-INVITE's 2xx still owes one: 13.3.1.4.)
    if (code < 300 && !request.to_tag && a.cseq.method == "REFER") {
        a.contact_due = true;
        if (a.contact_count() == 0)
            add(a, RuleId::dialog_2xx_without_contact, a.status_line_offset, a.status_line_length);
    }
    // A 2xx without an Expires of its own leaves the 0 s its request asked
    // for: the subscription or publication ends all the same.
    if (request.asks_no_time && a.granted.source == LifetimeSource::none && !a.is_redirect())
        describe_zero_time(a.cseq.method, ZeroTimeFrom::request, a.status);
    // Only the request tells a query (no Contact, 10.2.3) from a change;
    // describe_bindings_query leaves any code but a 200's alone
    if (request.queries_bindings && a.cseq.method == "REGISTER") describe_bindings_query(bindings_shown(a), a.status);
    // (a 202 to REGISTER is not the registrar's list)
    if (a.status.treated_as == 200 && a.cseq.method == "REGISTER" && mark_kept_removals(request.removed_bindings, a))
        describe_kept_removal(a.status);
    if (a.status.code == 204 && a.cseq.method == "SUBSCRIBE" && !request.to_tag)
        add(a, RuleId::no_notification_out_of_dialog, a.status_line_offset, a.status_line_length);
}

}  // namespace sipresp
