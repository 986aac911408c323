// SIP, SIPS, tel and other URIs split into views (RFC 3261 19.1.1, RFC 3966).
//
//   sips:alice:secret@[2001:db8::10]:5061;transport=tcp;lr?Subject=hi&Priority=urgent
//   ^scheme ^user ^password ^host       ^port ^params          ^headers
//
// Views point into the text given to parse_uri; escapes (%HH) are kept as
// written and resolved only when comparing (19.1.4).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sipresp {

enum class UriScheme : std::uint8_t { sip, sips, tel, other };

struct Uri {
    std::string_view text;    // the whole URI
    std::string_view scheme_name;
    UriScheme scheme = UriScheme::other;
    std::string_view user;    // SIP/SIPS userinfo user part; tel: the number
    std::string_view password;
    std::string_view host;    // IPv6 references keep their brackets
    std::string_view port;    // digits as written; empty when omitted
    std::string_view params;  // after the first ';' up to '?', without the ';'
    std::string_view headers; // after '?', without the '?'
    bool has_user = false;
    bool has_password = false;
    bool has_port = false;
    bool has_escapes = false;  // a '%' somewhere: comparing must resolve %HH
    bool valid = false;
    const char* error = nullptr;  // why not valid

    bool is_sip_or_sips() const { return scheme == UriScheme::sip || scheme == UriScheme::sips; }
};

// Reads a URI. Never fails hard: an unreadable one has valid == false and an
// error saying why; the scheme is still filled in when it could be read.
Uri parse_uri(std::string_view text);
// The same into `out`, which must be default-constructed.
void read_uri(std::string_view text, Uri& out);

// URI equality of RFC 3261 19.1.4 for SIP and SIPS; tel URIs compare their
// numbers without visual separators and their parameters (RFC 3966 4);
// other schemes compare the scheme case-insensitively and the rest exactly.
bool uri_equal(const Uri& a, const Uri& b);

// A URI readied for comparing with many others (the Contacts of one
// response among themselves): its parameters and headers split and sorted
// by name once, so that a pair costs one walk of both lists, which leaps
// over a run of entries only one list has (a short list against a long
// one costs the short one's entries, not the long one's). (uri_equal
// prepares both URIs of a pair itself when either has a long list, and
// searches short lists.) prepared_uri_equal of two preparations says what
// uri_equal of their URIs says.
struct PreparedUri {
    struct Entry {
        std::uint64_t order = 0;  // a hash of name: entries sort by it first, so most steps compare two numbers
        std::string_view name;    // as written, or spelled (escapes resolved) in `spelled`; compared without case
        std::string_view value;
        bool has_value = false;
        bool strict = false;              // a parameter 19.1.4 never ignores (user, ttl, method, maddr, transport)
        std::uint32_t strict_before = 0;  // strict entries before this one in the sorted list
    };
    const Uri* uri = nullptr;     // must outlive the preparation
    std::vector<Entry> params;    // sorted by (order, name); entries of one name in the URI's order
    std::vector<Entry> headers;   // the same
    std::vector<char> spelled;    // the names that hold escapes, spelled out (a vector: a move keeps the bytes in place)

    PreparedUri() = default;
    PreparedUri(PreparedUri&&) = default;
    PreparedUri& operator=(PreparedUri&&) = default;
    // a copy's names would point into the original's `spelled`
    PreparedUri(const PreparedUri&) = delete;
    PreparedUri& operator=(const PreparedUri&) = delete;
};
void prepare_uri(const Uri& u, PreparedUri& out);
// Whether uri_equal prepares `u` for each comparison (a long parameter or
// header list): to compare it with many URIs, prepare it once instead.
bool worth_preparing(const Uri& u);
bool prepared_uri_equal(const PreparedUri& a, const PreparedUri& b);

// Whether a request sent to `request_uri` went to `target`, a Contact URI of
// a 3xx: the target as a client puts it on a request line, without its
// header components (they become header fields, 19.1.5) and its method
// parameter (it names the method); 19.1.1 Table 1 keeps both out of a
// Request-URI. Everything else compares as uri_equal.
bool request_uri_names_target(const Uri& request_uri, const Uri& target);

// A Request-URI compared with many targets in a row (a request with those
// of its caller's redirects). uri_equal prepares a URI with a long list
// again for every comparison; this prepares it once, at the first
// comparison that needs it. Must not outlive `uri`.
class UriComparedOften {
public:
    explicit UriComparedOften(const Uri& uri) : uri_(uri) {}
    const Uri& uri() const { return uri_; }
    const PreparedUri& prepared() const;
    // worth_preparing(uri()), counted once
    bool worth_preparing() const;

private:
    const Uri& uri_;
    mutable PreparedUri prepared_;
    mutable bool ready_ = false;
    mutable signed char worth_ = -1;  // not counted yet
};
// request_uri_names_target's answer, the request's lists prepared once.
bool request_uri_names_target(const UriComparedOften& request_uri, const Uri& target);
// uri_equal's answer, each URI's lists prepared once for all the
// comparisons it takes part in (every Contact of a REGISTER with each
// binding it removes).
bool uri_equal(const UriComparedOften& a, const UriComparedOften& b);

// 19.1.6: a client that cannot send a request to a tel URI sends it to a
// SIP or SIPS URI marked user=phone whose user part is the tel URI's number
// and parameters, at a host of its own choosing. The tel URI such a SIP or
// SIPS URI dials (its views point into `u`'s text); not valid for any other.
Uri telephone_uri_of(const Uri& u);

// Whether a request sent to `request_uri` dialled `target`, a tel URI of a
// 3xx, in that way: the same number and parameters (RFC 3966 4), any host.
bool request_uri_dials_target(const Uri& request_uri, const Uri& target);

// Whether a request sent to `request_uri` dialled the number of `target`, a
// SIP or SIPS URI of a 3xx marked user=phone, through a host of the
// client's own: both are numbers written as SIP URIs (19.1.6) whose tel
// URIs are the same, whatever their hosts, ports and other parameters. A
// switch does so with a number portability answer, sending the call to its
// own gateway. A SIPS target is dialled only over SIPS (no downgrade).
bool request_uri_dials_number_of(const Uri& request_uri, const Uri& target);

// A digest that two URIs equal under uri_equal always share (scheme, user,
// host, port; parameters left out since 19.1.4 ignores some of them), so a
// table keyed by it finds every candidate and uri_equal settles the match.
std::uint64_t uri_equality_digest(const Uri& u);

}  // namespace sipresp
