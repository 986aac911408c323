// URI reading (19.1.1) and URI equality (19.1.4).
#include "uri.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "byte_scan.h"
#include "chars.h"
#include "header_values.h"
#include "key_hash.h"

namespace sipresp {
namespace {

bool is_scheme_char(char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; }

bool invalid(Uri& u, const char* why) {
    u.valid = false;
    u.error = why;
    return false;
}

// Bytes that end a host (port, parameters, headers) or cannot be in one.
struct HostBytes {
    bool stop[256] = {};
    bool bad[256] = {};
    constexpr HostBytes() {
        for (char c : std::string_view(":;?")) stop[static_cast<unsigned char>(c)] = true;
        for (char c : std::string_view(" \t\r\n<>\"@")) bad[static_cast<unsigned char>(c)] = stop[static_cast<unsigned char>(c)] = true;
    }
};
constexpr HostBytes kHostBytes{};

void split_params_and_headers(std::string_view rest, Uri& u) {
    // rest starts just after the host[:port] or the tel number
    const std::size_t question = rest.find('?');
    const std::string_view before = rest.substr(0, question);
    if (question != std::string_view::npos) u.headers = rest.substr(question + 1);
    if (!before.empty() && before.front() == ';') u.params = before.substr(1);
}

// dec-octet "." dec-octet "." dec-octet "." dec-octet, each 0-255 in 1-3
// digits: the IPv4 address an IPv6 address may end with, as 32 bits.
bool dotted_ipv4(std::string_view s, std::uint32_t& address) {
    int parts = 0;
    std::size_t i = 0;
    address = 0;
    for (;;) {
        const std::size_t start = i;
        unsigned value = 0;
        while (i < s.size() && i - start < 3 && is_digit(s[i])) value = value * 10 + unsigned(s[i++] - '0');
        if (i == start || value > 255) return false;
        address = address << 8 | value;
        ++parts;
        if (i == s.size()) return parts == 4;
        if (s[i] != '.' || parts == 4) return false;
        ++i;
    }
}

// The eight 16-bit groups of an IPv6 address.
using Ipv6Groups = std::array<std::uint16_t, 8>;

// The text forms of RFC 4291 2.2 (RFC 3261's IPv6address, as RFC 5118 4.10
// and RFC 5954 4.1 correct it): eight groups of 1-4 hex digits, one "::"
// standing for a run of zero groups, the last two groups possibly written
// as an IPv4 address. "2001:db8:::192.0.2.1" (three colons) is not one.
bool parse_ipv6(std::string_view s, Ipv6Groups& out) {
    Ipv6Groups before{}, after{};  // the groups before and after a "::"
    int n_before = 0, n_after = 0;
    bool compressed = false;
    const auto add = [&](std::uint16_t g) {
        if (n_before + n_after == 8) return false;
        (compressed ? after[n_after++] : before[n_before++]) = g;
        return true;
    };
    std::size_t i = 0;
    if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
        compressed = true;
        i = 2;
    } else if (!s.empty() && s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        const std::size_t colon = s.find(':', i);
        const std::string_view group = s.substr(i, colon == std::string_view::npos ? colon : colon - i);
        if (colon == std::string_view::npos && group.find('.') != std::string_view::npos) {
            std::uint32_t v4 = 0;
            if (!dotted_ipv4(group, v4) || !add(static_cast<std::uint16_t>(v4 >> 16)) ||
                !add(static_cast<std::uint16_t>(v4 & 0xffff)))
                return false;
            break;
        }
        if (group.empty() || group.size() > 4) return false;
        unsigned value = 0;
        for (char c : group) {
            const int h = hex_value(c);
            if (h < 0) return false;
            value = value << 4 | unsigned(h);
        }
        if (!add(static_cast<std::uint16_t>(value))) return false;
        if (colon == std::string_view::npos) break;
        i = colon + 1;
        if (i == s.size()) return false;  // one ':' at the end
        if (s[i] == ':') {
            if (compressed) return false;  // "::" twice
            compressed = true;
            ++i;
        }
    }
    if (compressed ? n_before + n_after > 7 : n_before != 8) return false;
    out = Ipv6Groups{};
    for (int k = 0; k < n_before; ++k) out[std::size_t(k)] = before[std::size_t(k)];
    for (int k = 0; k < n_after; ++k) out[std::size_t(8 - n_after + k)] = after[std::size_t(k)];
    return true;
}

// The address inside an IPv6 reference ("[2001:db8::1]"), if `host` is one.
bool ipv6_reference(std::string_view host, Ipv6Groups& out) {
    return host.size() >= 2 && host.front() == '[' && host.back() == ']' &&
           parse_ipv6(host.substr(1, host.size() - 2), out);
}

bool parse_sip(Uri& u, std::string_view rest) {
    // userinfo ends at the first '@'; neither host, port nor parameters may
    // hold one, while the user part may hold ';' and '?' (25.1 user-unreserved).
    const std::size_t at = find_first_of_bytes(rest, 0, '@');
    if (at < rest.size()) {
        const std::string_view userinfo = rest.substr(0, at);
        const std::size_t colon = userinfo.find(':');
        u.user = userinfo.substr(0, colon);
        u.has_user = true;
        if (colon != std::string_view::npos) {
            u.password = userinfo.substr(colon + 1);
            u.has_password = true;
        }
        if (u.user.empty() && !u.has_password) return invalid(u, "empty user part before '@'");
        rest.remove_prefix(at + 1);
    }
    std::size_t i = 0;
    if (!rest.empty() && rest[0] == '[') {
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos) return invalid(u, "IPv6 reference without ']'");
        Ipv6Groups address;
        const std::string_view inside = rest.substr(1, close - 1);
        if (!parse_ipv6(inside, address)) {
            // link-local Contacts come with a zone ("%25eth0", RFC 6874),
            // which 25.1's IPv6reference has no room for: say so, rather
            // than that no address is there
            const std::size_t zone = inside.find('%');
            if (zone != std::string_view::npos && parse_ipv6(inside.substr(0, zone), address))
                return invalid(u, "IPv6 reference with a zone ID ('%'), which SIP URIs do not allow (RFC 3261 25.1)");
            return invalid(u, "IPv6 reference holds no IPv6 address");
        }
        i = close + 1;
    } else {
        while (i < rest.size() && !kHostBytes.stop[static_cast<unsigned char>(rest[i])]) ++i;
        if (i < rest.size() && kHostBytes.bad[static_cast<unsigned char>(rest[i])])
            return invalid(u, "host holds a character hosts cannot have");
    }
    u.host = rest.substr(0, i);
    if (u.host.empty()) return invalid(u, "no host");
    rest.remove_prefix(i);
    if (!rest.empty() && rest[0] == ':') {
        std::size_t j = 1;
        while (j < rest.size() && is_digit(rest[j])) ++j;
        u.port = rest.substr(1, j - 1);
        u.has_port = true;
        if (u.port.empty() || u.port.size() > 5) return invalid(u, "port is not a number");
        rest.remove_prefix(j);
    }
    if (!rest.empty() && rest[0] != ';' && rest[0] != '?') return invalid(u, "unexpected text after host");
    split_params_and_headers(rest, u);
    u.valid = true;
    return true;
}

// One character of a component with %HH resolved. Characters that are
// reserved keep their escaped form apart from the plain one (19.1.4 treats
// only unreserved characters as equal to their escapes).
struct Decoded {
    char c;
    bool escaped_reserved;
};

constexpr std::string_view kReserved = ";/?:@&=+$,";

Decoded decode_at(std::string_view s, std::size_t& i) {
    if (s[i] == '%' && i + 2 < s.size()) {
        const int hi = hex_value(s[i + 1]);
        const int lo = hex_value(s[i + 2]);
        if (hi >= 0 && lo >= 0) {
            const char c = static_cast<char>(hi * 16 + lo);
            i += 3;
            return {c, kReserved.find(c) != std::string_view::npos};
        }
    }
    return {s[i++], false};
}

// `escapes`: whether either URI holds a '%' at all (Uri::has_escapes).
bool component_equal(std::string_view a, std::string_view b, bool case_sensitive, bool escapes) {
    // without escapes on either side this is a plain comparison
    if (!escapes || (a.find('%') == std::string_view::npos && b.find('%') == std::string_view::npos))
        return case_sensitive ? a == b : iequals(a, b);
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const Decoded x = decode_at(a, i);
        const Decoded y = decode_at(b, j);
        if (x.escaped_reserved != y.escaped_reserved) return false;
        if (case_sensitive ? x.c != y.c : to_lower(x.c) != to_lower(y.c)) return false;
    }
    return i == a.size() && j == b.size();
}

// Hosts compare case-insensitively (19.1.4); two IPv6 references by the
// address they stand for, however each is written (RFC 5954 4.2:
// "[2001:db8::9:1]" is "[2001:DB8:0:0:0:0:9:01]"). An IPv6 reference never
// equals an IPv4 address or a name, not even its IPv4-mapped form.
bool host_equal(std::string_view a, std::string_view b, bool escapes) {
    if (component_equal(a, b, false, escapes)) return true;
    Ipv6Groups x, y;
    return ipv6_reference(a, x) && ipv6_reference(b, y) && x == y;
}

// Parameter names compare case-insensitively, and a name may hold escapes
// like any other part of a URI ("n%61me" is "name", 19.1.4): with `escapes`
// (either URI has a '%') they compare with %HH resolved.
bool same_param_name(std::string_view a, std::string_view b, bool escapes) {
    return escapes ? component_equal(a, b, false, true) : iequals(a, b);
}

// The parameter of `params` named `name`, as same_param_name compares names.
bool find_uri_param(std::string_view params, std::string_view name, Param& p, bool escapes, char separator = ';') {
    if (!escapes) return find_param(params, name, p, separator);
    ParamSplitter s(params, separator);
    while (s.next(p))
        if (same_param_name(p.name, name, true)) return true;
    return false;
}

// A parameter name rewritten so that names same_param_name calls the same
// are the same bytes but for case: escapes resolved, in lower case, an
// escaped reserved character as a NUL before it and a NUL as two NULs (no
// reserved character is a NUL), so that "%2F" stays apart from "/" and
// from "%00/" (19.1.4). A name without '%' or NUL is already in that form
// but for case, and is compared as written instead.
bool needs_spelling(std::string_view name) {
    return name.find('%') != std::string_view::npos || name.find('\0') != std::string_view::npos;
}

void append_spelling(std::string_view name, std::vector<char>& out) {
    for (std::size_t i = 0; i < name.size();) {
        const Decoded d = decode_at(name, i);
        if (d.escaped_reserved || d.c == '\0') out.push_back('\0');
        out.push_back(to_lower(d.c));
    }
}

// 19.1.4: parameters present in both must match; user, ttl, method and maddr
// must also be present in both when present in either; others present in one
// only are ignored. transport is strict too: the section's own examples call
// sip:bob@biloxi.com and sip:bob@biloxi.com;transport=udp different.
bool strict_param(std::string_view name, bool escapes) {
    for (std::string_view strict : {"user", "ttl", "method", "maddr", "transport"})
        if (same_param_name(name, strict, escapes)) return true;
    return false;
}

// Whether `p`, an entry of `list`, is the first of its name there: a
// parameter given twice is read by its first value, on both sides, so that
// the answer does not depend on which URI is a. Asked only of an entry
// whose value differs: most lists name nothing twice.
bool first_of_its_name(std::string_view list, const Param& p, bool escapes) {
    Param first;
    return find_uri_param(list, p.name, first, escapes) && first.name.data() == p.name.data();
}

bool same_param_value(const Param& a, const Param& b, bool escapes) {
    return a.has_value == b.has_value && component_equal(a.value, b.value, false, escapes);
}

// `left_out`: a strict parameter that b may have and a not (empty: none).
bool params_equal(std::string_view a, std::string_view b, bool escapes, std::string_view left_out) {
    ParamSplitter sa(a);
    Param pa, pb;
    while (sa.next(pa)) {
        const bool in_b = find_uri_param(b, pa.name, pb, escapes);
        if (!in_b) {
            if (strict_param(pa.name, escapes)) return false;
            continue;
        }
        if (!same_param_value(pa, pb, escapes) && first_of_its_name(a, pa, escapes)) return false;
    }
    // only a strict parameter of b's is looked for in a
    ParamSplitter sb(b);
    while (sb.next(pb)) {
        if (strict_param(pb.name, escapes) && !same_param_name(pb.name, left_out, escapes) &&
            !find_uri_param(a, pb.name, pa, escapes))
            return false;
    }
    return true;
}

// The entry of `list` named `name` with `before` of that name ahead of it.
bool find_nth_uri_param(std::string_view list, std::string_view name, std::size_t before, bool escapes, Param& out) {
    if (before == 0) return find_uri_param(list, name, out, escapes, '&');
    for (ParamSplitter s(list, '&'); s.next(out);)
        if (same_param_name(out.name, name, escapes) && before-- == 0) return true;
    return false;
}

// 19.1.4: header components are never ignored. A header given twice is
// two headers the request would carry: each name as many times on both
// sides, its values in the same order.
bool headers_equal(std::string_view a, std::string_view b, bool escapes) {
    // a's names met so far and how often, so that a is split once. Lists
    // here are short (lists_equal prepares one of 16 separators or more),
    // so 16 entries at most
    constexpr std::size_t kNames = 16;
    std::string_view names[kNames];
    std::size_t met[kNames];
    std::size_t distinct = 0;
    ParamSplitter sa(a, '&');
    Param pa, pb;
    std::size_t count_a = 0, count_b = 0;
    while (sa.next(pa)) {
        ++count_a;
        std::size_t slot = 0;
        while (slot < distinct && !same_param_name(names[slot], pa.name, escapes)) ++slot;
        std::size_t before = 0;
        if (slot < distinct) {
            before = met[slot]++;
        } else if (distinct < kNames) {
            names[distinct] = pa.name;
            met[distinct++] = 1;
        } else {  // (never, by the above) counted again
            Param q;
            for (ParamSplitter again(a, '&'); again.next(q) && q.name.data() != pa.name.data();)
                before += same_param_name(q.name, pa.name, escapes);
        }
        if (!find_nth_uri_param(b, pa.name, before, escapes, pb) || !component_equal(pa.value, pb.value, true, escapes))
            return false;
    }
    // each of a's has its place in b: as many in all means none of b's is left
    ParamSplitter sb(b, '&');
    while (sb.next(pb)) ++count_b;
    return count_a == count_b;
}

// RFC 3966 4: the same parameter names on both sides, each with the same
// value in any case; none is ignored.
bool tel_params_equal(std::string_view a, std::string_view b, bool escapes) {
    Param pa, pb;
    for (ParamSplitter sa(a); sa.next(pa);) {
        if (!find_uri_param(b, pa.name, pb, escapes)) return false;
        if (!same_param_value(pa, pb, escapes) && first_of_its_name(a, pa, escapes)) return false;
    }
    for (ParamSplitter sb(b); sb.next(pb);)
        if (!find_uri_param(a, pb.name, pa, escapes)) return false;
    return true;
}

std::string_view tel_digits_next(std::string_view s, std::size_t& i) {
    // visual-separator = "-" / "." / "(" / ")" (RFC 3966 3)
    while (i < s.size() && (s[i] == '-' || s[i] == '.' || s[i] == '(' || s[i] == ')')) ++i;
    return i < s.size() ? s.substr(i++, 1) : std::string_view{};
}

bool tel_number_equal(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    for (;;) {
        const std::string_view x = tel_digits_next(a, i);
        const std::string_view y = tel_digits_next(b, j);
        if (x.empty() || y.empty()) return x.empty() && y.empty();
        if (to_lower(x[0]) != to_lower(y[0])) return false;
    }
}

}  // namespace

Uri parse_uri(std::string_view text) {
    Uri u;
    read_uri(text, u);
    return u;
}

void read_uri(std::string_view text, Uri& u) {
    u.text = text;
    u.has_escapes = find_first_of_bytes(text, 0, '%') < text.size();
    const std::size_t colon = find_first_of_bytes(text, 0, ':');
    if (colon == text.size() || colon == 0) return (void)invalid(u, "no scheme");
    u.scheme_name = text.substr(0, colon);
    if (!is_alpha(u.scheme_name[0])) return (void)invalid(u, "scheme does not start with a letter");
    for (char c : u.scheme_name)
        if (!is_scheme_char(c)) return (void)invalid(u, "scheme holds a character schemes cannot have");
    std::string_view rest = text.substr(colon + 1);
    if (colon == 3 && iequals(u.scheme_name, "sip")) u.scheme = UriScheme::sip;
    else if (colon == 4 && iequals(u.scheme_name, "sips")) u.scheme = UriScheme::sips;
    else if (colon == 3 && iequals(u.scheme_name, "tel")) u.scheme = UriScheme::tel;
    if (u.is_sip_or_sips()) {
        parse_sip(u, rest);
        return;
    }
    if (rest.empty()) return (void)invalid(u, "nothing after the scheme");
    if (u.scheme == UriScheme::tel) {
        const std::size_t end = rest.find_first_of(";?");
        u.user = rest.substr(0, end);
        u.has_user = true;
        if (u.user.empty()) return (void)invalid(u, "tel URI without a number");
        if (end != std::string_view::npos) split_params_and_headers(rest.substr(end), u);
    }
    u.valid = true;
}

namespace {

// A component as uri_equal compares it: escapes resolved and, where 19.1.4
// ignores case, lower-cased. Without escapes that is the text itself.
void add_component(KeyHash& h, std::string_view part, bool has_escapes, bool case_sensitive) {
    if (!has_escapes) {
        if (case_sensitive) h.add(part);
        else h.add_lower(part);
        return;
    }
    std::string decoded;
    for (std::size_t i = 0; i < part.size();) decoded.push_back(decode_at(part, i).c);
    if (case_sensitive) h.add(decoded);
    else h.add_lower(decoded);
}

}  // namespace

std::uint64_t uri_equality_digest(const Uri& u) {
    KeyHash h;
    const char scheme = static_cast<char>(u.scheme);
    h.add(std::string_view(&scheme, 1));
    if (!u.valid) return h.value();
    if (u.scheme == UriScheme::other) {
        h.add_lower(u.scheme_name);
        h.add(u.text.substr(u.scheme_name.size()));
        return h.value();
    }
    if (u.scheme == UriScheme::tel) {
        std::string digits;
        std::size_t i = 0;
        for (std::string_view d = tel_digits_next(u.user, i); !d.empty(); d = tel_digits_next(u.user, i))
            digits.push_back(d[0]);
        h.add_lower(digits);
        return h.value();
    }
    add_component(h, u.user, u.has_escapes, true);
    // an IPv6 reference by its address, as host_equal compares it
    if (Ipv6Groups address; ipv6_reference(u.host, address)) {
        h.add("[");
        for (std::uint16_t g : address) h.add(std::string_view(reinterpret_cast<const char*>(&g), sizeof g));
    } else {
        add_component(h, u.host, u.has_escapes, false);
    }
    std::string_view port = u.port;
    while (port.size() > 1 && port[0] == '0') port.remove_prefix(1);
    h.add(u.has_port ? "1" : "0");
    h.add(port);
    return h.value();
}

namespace {

// What 19.1.4 says of two URIs before their parameters and headers are
// read: equal, unequal, or up to those.
enum class Outside { equal, unequal, up_to_parameters };

Outside compare_outside_parameters(const Uri& a, const Uri& b) {
    if (!a.valid || !b.valid) return Outside::unequal;
    // The same bytes are the same URI, whatever the rules below would make
    // of a parameter or header given twice with two values.
    if (a.text == b.text) return Outside::equal;
    if (a.scheme != b.scheme) return Outside::unequal;  // a SIP URI never equals a SIPS URI
    if (a.scheme == UriScheme::other)
        return iequals(a.scheme_name, b.scheme_name) &&
                       a.text.substr(a.scheme_name.size()) == b.text.substr(b.scheme_name.size())
                   ? Outside::equal
                   : Outside::unequal;
    if (a.scheme == UriScheme::tel)
        return tel_number_equal(a.user, b.user) ? Outside::up_to_parameters : Outside::unequal;
    // userinfo is case-sensitive, the rest is not (19.1.4). The host goes
    // first: it is where two different targets most often differ.
    const bool escapes = a.has_escapes || b.has_escapes;
    if (!host_equal(a.host, b.host, escapes)) return Outside::unequal;
    if (a.has_user != b.has_user || !component_equal(a.user, b.user, true, escapes)) return Outside::unequal;
    if (a.has_password != b.has_password || !component_equal(a.password, b.password, true, escapes))
        return Outside::unequal;
    // an omitted port differs from an explicit default port
    if (a.has_port != b.has_port) return Outside::unequal;
    if (a.has_port) {
        std::string_view pa = a.port, pb = b.port;
        while (pa.size() > 1 && pa[0] == '0') pa.remove_prefix(1);
        while (pb.size() > 1 && pb[0] == '0') pb.remove_prefix(1);
        if (pa != pb) return Outside::unequal;
    }
    if (a.params.empty() && b.params.empty() && a.headers.empty() && b.headers.empty()) return Outside::equal;
    return Outside::up_to_parameters;
}

using Entries = std::vector<PreparedUri::Entry>;

// Names (as written or spelled, needs_spelling) in order without case.
int compare_names(std::string_view a, std::string_view b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(to_lower(a[i])), y = static_cast<unsigned char>(to_lower(b[i]));
        if (x != y) return x < y ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool before(const PreparedUri::Entry& x, const PreparedUri::Entry& y) {
    return x.order != y.order ? x.order < y.order : compare_names(x.name, y.name) < 0;
}

bool same_name(const PreparedUri::Entry& x, const PreparedUri::Entry& y) {
    return x.order == y.order && iequals(x.name, y.name);
}

// strict_param for a prepared name (a spelled one holding a NUL never is).
// Asked of every entry a preparation holds: most names are ruled out by
// their length alone.
bool strict_name(std::string_view name) {
    using namespace std::string_view_literals;
    switch (name.size()) {
    case 3: return iequals(name, "ttl"sv);
    case 4: return iequals(name, "user"sv);
    case 5: return iequals(name, "maddr"sv);
    case 6: return iequals(name, "method"sv);
    case 9: return iequals(name, "transport"sv);
    default: return false;
    }
}

// The entries of one list; names that need spelling are spelled into
// `spelled`, which must not grow past its capacity meanwhile (the views
// point into it).
void prepare_list(std::string_view list, char separator, bool escapes, std::vector<char>& spelled, Entries& out) {
    out.clear();
    ParamSplitter s(list, separator);
    for (Param p; s.next(p);) {
        std::string_view name = p.name;
        if (escapes && needs_spelling(name)) {
            const std::size_t from = spelled.size();
            append_spelling(name, spelled);
            name = std::string_view(spelled.data() + from, spelled.size() - from);
        }
        KeyHash h;
        h.add_lower(name);  // a spelled name is in lower case already
        out.push_back({h.value(), name, p.value, p.has_value, strict_name(name), 0});
    }
    // stable: of two entries with one name the first stays first, as a
    // search from the list's start finds it
    std::stable_sort(out.begin(), out.end(), [](const PreparedUri::Entry& x, const PreparedUri::Entry& y) { return before(x, y); });
    std::uint32_t strict = 0;
    for (PreparedUri::Entry& e : out) {
        e.strict_before = strict;
        strict += e.strict;
    }
}

// The end of the run of entries from `i` on that share its name.
std::size_t run_end(const Entries& e, std::size_t i) {
    std::size_t end = i + 1;
    while (end < e.size() && same_name(e[end], e[i])) ++end;
    return end;
}

// Strict entries in [from, to) of `e`.
std::uint32_t strict_between(const Entries& e, std::size_t from, std::size_t to) {
    const std::uint32_t upto = to < e.size() ? e[to].strict_before : e.back().strict_before + e.back().strict;
    return upto - e[from].strict_before;
}

// The first index from `i` on whose entry does not sort before `key`, or
// the list's end (nullptr): found by leaps of 1, 2, 4... then halving, so
// a run of n entries the other list lacks costs some log n steps.
std::size_t skip_before(const Entries& e, std::size_t i, const PreparedUri::Entry* key) {
    const auto ahead = [&](std::size_t k) { return k < e.size() && (!key || before(e[k], *key)); };
    std::size_t known = i, step = 1;  // e[known] sorts before key
    while (ahead(known + step)) {
        known += step;
        step *= 2;
    }
    const std::size_t end = std::min(e.size(), known + step);
    return static_cast<std::size_t>(
        std::partition_point(e.begin() + static_cast<std::ptrdiff_t>(known) + 1, e.begin() + static_cast<std::ptrdiff_t>(end),
                             [&](const PreparedUri::Entry& x) { return !key || before(x, *key); }) -
        e.begin());
}

// How a name given twice compares: by its first value (a parameter), or
// value by value in order, as many on both sides (a header).
enum class Repeats { first_value, every_value };

// The walk of two sorted lists behind the three comparisons below: for a
// name in one list only, `alone(entry, in_a)` says whether the lists may
// still be equal; for a name in both, `same(entry_a, entry_b)` compares
// values as `repeats` pairs them. `alone` must give one answer for every
// entry that is not strict: a stretch of names one list lacks is then
// passed over at once when it holds no strict entry.
template <typename Alone, typename Same>
bool walk_sorted(const Entries& a, const Entries& b, Repeats repeats, Alone alone, Same same) {
    // entries [from, to) of `e` are all in one list only
    const auto all_alone = [&](const Entries& e, std::size_t from, std::size_t to, bool in_a) {
        if (!alone(e[from], in_a)) return false;
        if (strict_between(e, from, to) == 0) return true;
        for (std::size_t k = from; k < to; k = run_end(e, k))
            if (!alone(e[k], in_a)) return false;
        return true;
    };
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && before(a[i], b[j]))) {
            const std::size_t to = skip_before(a, i, j < b.size() ? &b[j] : nullptr);
            if (!all_alone(a, i, to, true)) return false;
            i = to;
        } else if (i == a.size() || before(b[j], a[i])) {
            const std::size_t to = skip_before(b, j, i < a.size() ? &a[i] : nullptr);
            if (!all_alone(b, j, to, false)) return false;
            j = to;
        } else {
            const std::size_t a_end = run_end(a, i), b_end = run_end(b, j);
            if (repeats == Repeats::first_value) {
                if (!same(a[i], b[j])) return false;
            } else {
                if (a_end - i != b_end - j) return false;
                for (std::size_t k = 0; i + k < a_end; ++k)
                    if (!same(a[i + k], b[j + k])) return false;
            }
            i = a_end;
            j = b_end;
        }
    }
    return true;
}

// The parameters and headers of two URIs equal outside them, prepared:
// params_equal (with `left_out`), headers_equal and tel_params_equal, each
// as one walk of two sorted lists.
bool prepared_lists_equal(const PreparedUri& a, const PreparedUri& b, std::string_view left_out) {
    const bool escapes = a.uri->has_escapes || b.uri->has_escapes;
    using Entry = PreparedUri::Entry;
    const auto same_value = [&](const Entry& x, const Entry& y) {
        return x.has_value == y.has_value && component_equal(x.value, y.value, false, escapes);
    };
    if (a.uri->scheme == UriScheme::tel)  // RFC 3966 4: no parameter in one only
        return walk_sorted(a.params, b.params, Repeats::first_value, [](const Entry&, bool) { return false; },
                           same_value);
    // 19.1.4: a parameter in one only is ignored unless strict, and b's
    // `left_out` may be missing from a. Headers as headers_equal has them:
    // none in one only, values compared case-sensitively
    const auto alone = [&](const Entry& e, bool in_a) {
        return !e.strict || (!in_a && !left_out.empty() && iequals(e.name, left_out));
    };
    return walk_sorted(a.params, b.params, Repeats::first_value, alone, same_value) &&
           walk_sorted(a.headers, b.headers, Repeats::every_value, [](const Entry&, bool) { return false; },
                       [&](const Entry& x, const Entry& y) { return component_equal(x.value, y.value, true, escapes); });
}

// Whether a URI has a list long enough (a hostile URI can hold thousands
// of entries) that searching the other URI's list once for each of its
// entries would cost more than sorting both.
bool long_lists(const Uri& u) {
    constexpr std::ptrdiff_t kSearched = 16;
    // (a list shorter than that in bytes holds fewer separators: most URIs
    // are not counted at all)
    const auto many = [](std::string_view list, char separator) {
        return list.size() >= kSearched && std::count(list.begin(), list.end(), separator) >= kSearched;
    };
    return many(u.params, ';') || many(u.headers, '&');
}

// The parameters and headers of two URIs equal outside them: searched
// entry by entry when short, prepared and walked when long.
// `often`: a's preparation kept for comparisons to come, or null.
bool lists_equal(const Uri& a, const Uri& b, std::string_view left_out, const UriComparedOften* often = nullptr) {
    if ((often ? often->worth_preparing() : long_lists(a)) || long_lists(b)) {
        PreparedUri pa, pb;
        if (!often) prepare_uri(a, pa);
        prepare_uri(b, pb);
        return prepared_lists_equal(often ? often->prepared() : pa, pb, left_out);
    }
    const bool escapes = a.has_escapes || b.has_escapes;
    if (a.scheme == UriScheme::tel) return tel_params_equal(a.params, b.params, escapes);
    return params_equal(a.params, b.params, escapes, left_out) && headers_equal(a.headers, b.headers, escapes);
}

}  // namespace

// 19.1.4, except that `left_out`, a parameter of b's, need not be in a too.
static bool equal_uris(const Uri& a, const Uri& b, std::string_view left_out, const UriComparedOften* often = nullptr) {
    const Outside outside = compare_outside_parameters(a, b);
    if (outside != Outside::up_to_parameters) return outside == Outside::equal;
    return lists_equal(a, b, left_out, often);
}

bool uri_equal(const Uri& a, const Uri& b) { return equal_uris(a, b, {}); }

void prepare_uri(const Uri& u, PreparedUri& out) {
    out.uri = &u;
    // A NUL needs spelling too, and may be in a URI without '%'.
    const bool nul = u.params.find('\0') != std::string_view::npos || u.headers.find('\0') != std::string_view::npos;
    const bool spell = u.has_escapes || nul;
    out.spelled.clear();
    // a spelling is at most twice its name: room enough that no view moves
    if (spell) out.spelled.reserve(2 * (u.params.size() + u.headers.size()));
    prepare_list(u.params, ';', spell, out.spelled, out.params);
    prepare_list(u.headers, '&', spell, out.spelled, out.headers);
}

bool worth_preparing(const Uri& u) { return long_lists(u); }

bool prepared_uri_equal(const PreparedUri& a, const PreparedUri& b) {
    const Outside outside = compare_outside_parameters(*a.uri, *b.uri);
    if (outside != Outside::up_to_parameters) return outside == Outside::equal;
    return prepared_lists_equal(a, b, {});
}

const PreparedUri& UriComparedOften::prepared() const {
    if (!ready_) {
        prepare_uri(uri_, prepared_);
        ready_ = true;
    }
    return prepared_;
}

bool UriComparedOften::worth_preparing() const {
    if (worth_ < 0) worth_ = long_lists(uri_) ? 1 : 0;
    return worth_ == 1;
}

bool uri_equal(const UriComparedOften& a, const UriComparedOften& b) {
    const Outside outside = compare_outside_parameters(a.uri(), b.uri());
    if (outside != Outside::up_to_parameters) return outside == Outside::equal;
    if (a.worth_preparing() || b.worth_preparing()) return prepared_lists_equal(a.prepared(), b.prepared(), {});
    return lists_equal(a.uri(), b.uri(), {});
}

// request_uri_names_target, with the request's preparation kept in
// `often` when given.
static bool names_target(const Uri& request_uri, const Uri& target, const UriComparedOften* often) {
    if (!target.is_sip_or_sips() || request_uri.text == target.text) return equal_uris(request_uri, target, {}, often);
    if (target.headers.empty()) return equal_uris(request_uri, target, "method", often);
    Uri sent = target;
    sent.text = {};  // no longer the target's bytes
    sent.headers = {};
    return equal_uris(request_uri, sent, "method", often);
}

bool request_uri_names_target(const Uri& request_uri, const Uri& target) {
    return names_target(request_uri, target, nullptr);
}

bool request_uri_names_target(const UriComparedOften& request_uri, const Uri& target) {
    return names_target(request_uri.uri(), target, &request_uri);
}

Uri telephone_uri_of(const Uri& u) {
    Uri tel;
    Param marked;
    if (!u.valid || !u.is_sip_or_sips() || !u.has_user || u.user.empty() ||
        !find_uri_param(u.params, "user", marked, u.has_escapes) || !marked.has_value ||
        !component_equal(marked.value, "phone", false, u.has_escapes))
        return tel;
    // the number's own parameters stay in the user part (19.1.6 example)
    const std::size_t semi = u.user.find(';');
    tel.scheme = UriScheme::tel;
    tel.scheme_name = "tel";
    tel.user = u.user.substr(0, semi);
    if (semi != std::string_view::npos) tel.params = u.user.substr(semi + 1);
    tel.has_user = true;
    tel.has_escapes = u.has_escapes;
    tel.valid = !tel.user.empty();
    return tel;
}

bool request_uri_dials_target(const Uri& request_uri, const Uri& target) {
    if (!target.valid || target.scheme != UriScheme::tel) return false;
    const Uri dialled = telephone_uri_of(request_uri);
    return dialled.valid && tel_number_equal(dialled.user, target.user) && lists_equal(dialled, target, {});
}

bool request_uri_dials_number_of(const Uri& request_uri, const Uri& target) {
    if (target.scheme == UriScheme::sips && request_uri.scheme != UriScheme::sips) return false;
    const Uri number = telephone_uri_of(target);
    return number.valid && request_uri_dials_target(request_uri, number);
}

}  // namespace sipresp
