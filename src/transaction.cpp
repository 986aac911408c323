// Transaction identity and request summaries.
#include "transaction.h"

#include "ascii_words.h"
#include "byte_scan.h"
#include "chars.h"
#include "header_values.h"
#include "key_hash.h"
#include "lifetime.h"
#include "name_addr.h"

namespace sipresp {
namespace {

std::string_view first_element(const Message& m, HeaderId id) {
    const Header* h = m.find(id);
    if (!h) return {};
    // Without any comma the value is its only element, trimmed already by
    // the parser: one scan instead of the splitter's stops at '<' and '>'.
    if (find_first_of_bytes(h->value, 0, ',') == h->value.size()) return h->value;
    ListSplitter list(h->value);
    std::string_view element;
    std::size_t offset = 0;
    return list.next(element, offset) ? element : std::string_view{};
}

std::string_view header_value(const Message& m, HeaderId id) {
    const Header* h = m.find(id);
    return h ? h->value : std::string_view{};
}

std::string_view tag_of(const Message& m, HeaderId id) {
    const Header* h = m.find(id);
    if (!h) return {};
    // A tag is a header parameter, so a value without any ';' has none: the
    // To of nearly every request that opens a dialog, answered without
    // reading the name-addr (400 instructions a request).
    if (find_first_of_bytes(h->value, 0, ';') == h->value.size()) return {};
    Param p;
    return find_param(name_addr_text(h->value).params, "tag", p) ? p.value : std::string_view{};
}

// A number's bytes as a key part (keys live in memory for one file only).
template <typename Number>
std::string_view bytes_of(const Number& n) {
    return {reinterpret_cast<const char*>(&n), sizeof n};
}

void add_cseq_number(KeyHash& h, const CSeq& cseq) { h.add(cseq.valid ? bytes_of(cseq.number) : std::string_view{}); }

// sent-by of a Via value: "SIP/2.0/UDP host:port;params" -> "host:port"
std::string_view via_sent_by(std::string_view via) {
    std::size_t i = 0;
    while (i < via.size() && !is_lws(via[i])) ++i;  // sent-protocol
    via = trim_lws(via.substr(i));
    const std::size_t semi = via.find(';');
    return trim_lws(via.substr(0, semi));
}

// the scheme is all that matters here; no need to read the whole URI
bool is_sips(std::string_view uri_text) { return uri_text.size() > 5 && iequals(uri_text.substr(0, 5), "sips:"); }

}  // namespace

CSeq parse_cseq(const Message& m) {
    CSeq c;
    const Header* h = m.find(HeaderId::cseq);
    if (!h) return c;
    std::string_view v = h->value;
    std::size_t i = 0;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i == 0 || i > 10) return c;
    std::uint64_t n = 0;
    for (std::size_t k = 0; k < i; ++k) n = n * 10 + static_cast<std::uint64_t>(v[k] - '0');
    if (n > UINT32_MAX) return c;
    c.method = trim_lws(v.substr(i));
    if (c.method.empty() || i == v.size() || !is_lws(v[i])) return c;
    for (char ch : c.method)
        if (!is_token_char(ch)) return c;
    c.number = static_cast<std::uint32_t>(n);
    c.valid = true;
    return c;
}

std::string_view top_via_branch(const Message& m) {
    // Most Vias read "SIP/2.0/UDP host:port;branch=z9hG4bK..." : the first
    // ';' comes before any byte that makes a list or a quote, and the
    // branch is its first parameter, written name=value. Then the value runs
    // to the next ';' or ',' and is what the general reading below finds,
    // in two scans instead of a list split and a parameter search (a fifth
    // of the tracker's keys). Anything else takes the general reading.
    if (const Header* h = m.find(HeaderId::via)) {
        const std::string_view v = h->value;
        const std::size_t semi = find_first_of_bytes(v, 0, ';', ',', '"', '<');
        constexpr std::size_t kName = 6;  // "branch"
        if (semi < v.size() && v[semi] == ';' && v.size() - semi > kName + 1 && v[semi + 1 + kName] == '=' &&
            iequals_words(v.data() + semi + 1, "branch", kName)) {
            const std::size_t begin = semi + kName + 2;
            const std::size_t end = find_first_of_bytes(v, begin, ';', ',', '"', '<');
            if (end > begin && (end == v.size() || v[end] == ';' || v[end] == ',') && !is_lws(v[begin]) &&
                !is_lws(v[end - 1]))
                return v.substr(begin, end - begin);
        }
    }
    const std::string_view via = first_element(m, HeaderId::via);
    const std::size_t semi = via.find(';');
    if (semi == std::string_view::npos) return {};
    Param p;
    return find_param(via.substr(semi + 1), "branch", p) ? p.value : std::string_view{};
}

std::string_view to_tag(const Message& m) { return tag_of(m, HeaderId::to); }

std::uint64_t transaction_key(const Message& m, const CSeq& cseq) {
    KeyHash h;
    const Header* call_id = m.find(HeaderId::call_id);
    h.add(call_id ? call_id->value : std::string_view{});
    add_cseq_number(h, cseq);
    h.add(cseq.method);
    h.add(top_via_branch(m));
    return h.value();
}

std::uint64_t ack_invite_key(const Message& ack, const CSeq& cseq) {
    KeyHash h;
    h.add(header_value(ack, HeaderId::call_id));
    add_cseq_number(h, cseq);
    h.add("INVITE");
    h.add(top_via_branch(ack));
    return h.value();
}

std::uint64_t dialog_ack_key(const Message& m) { return dialog_ack_key(m, to_tag(m)); }

std::uint64_t dialog_ack_key(const Message& m, std::string_view to_tag) {
    KeyHash h;
    h.add("dialog");
    h.add(header_value(m, HeaderId::call_id));
    h.add_lower(to_tag);
    return h.value();
}

std::uint64_t call_key(const Message& m) {
    KeyHash call;
    call.add(header_value(m, HeaderId::call_id));
    return call.value();
}

CallerKeys caller_keys(const Message& m) {
    CallerKeys k;
    k.call = call_key(m);
    const NameAddrText from = name_addr_text(first_element(m, HeaderId::from));
    Param tag;
    const bool tagged = find_param(from.params, "tag", tag);
    // the From URI goes into two keys: read and lower-cased once
    KeyHash from_uri;
    from_uri.add_lower(from.uri_text);
    const std::uint64_t from_digest = from_uri.value();
    KeyHash dialog;
    dialog.add("from");
    dialog.add(bytes_of(from_digest));
    dialog.add_lower(tagged ? tag.value : std::string_view{});
    k.dialog = dialog.value();
    KeyHash client;
    client.add("client");
    client.add_lower(via_sent_by(first_element(m, HeaderId::via)));
    client.add(bytes_of(from_digest));
    k.client = client.value();
    return k;
}

bool creates_dialog(std::string_view method) {
    return method == "INVITE" || method == "SUBSCRIBE" || method == "REFER";
}

bool grants_lifetime(std::string_view method) { return method == "SUBSCRIBE" || method == "PUBLISH"; }

bool summary_reads_whole(std::string_view method) {
    return creates_dialog(method) || grants_lifetime(method) || method == "REGISTER";
}

RequestSummary summarize_request(const Message& request) { return summarize_request(request, to_tag(request)); }

RequestSummary summarize_request(const Message& request, std::string_view to_tag) {
    RequestSummary s;
    s.method = request.method;
    s.request_uri = request.request_uri;
    s.to_tag = !to_tag.empty();
    if (grants_lifetime(request.method)) {
        const Header* expires = request.find(HeaderId::expires);
        if (expires) {
            const DeltaSeconds d = parse_delta_seconds(expires->value);
            s.asks_no_time = d.valid && d.seconds == 0;
        }
    }
    if (request.method == "REGISTER") s.queries_bindings = request.find(HeaderId::contact) == nullptr;
    if (s.to_tag || !creates_dialog(request.method)) return s;  // nothing reads it
    if (is_sips(request.request_uri)) {
        s.dialog_needs_sips = true;
    } else if (request.find(HeaderId::record_route)) {
        s.dialog_needs_sips = is_sips(name_addr_text(first_element(request, HeaderId::record_route)).uri_text);
    } else {
        s.dialog_needs_sips = is_sips(name_addr_text(first_element(request, HeaderId::contact)).uri_text);
    }
    return s;
}

}  // namespace sipresp
