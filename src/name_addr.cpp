// name-addr / addr-spec reading (20.10: parameters after a bare addr-spec
// belong to the header field, not to the URI).
#include "name_addr.h"

#include "byte_scan.h"
#include "chars.h"
#include "header_values.h"

namespace sipresp {
namespace {

void fail(NameAddr& n, const char* why) {
    n.valid = false;
    n.error = why;
}

}  // namespace

std::string NameAddr::display_name() const { return unquote(display); }

NameAddr parse_name_addr(std::string_view value, UriParsing uri_parsing) {
    NameAddr n;
    read_name_addr(value, n, uri_parsing);
    return n;
}

// Fills a default-constructed NameAddr in place (no copy of the large
// result, which shows in the per-Contact cost).
void read_name_addr(std::string_view value, NameAddr& n, UriParsing uri_parsing) {
    n.text = trim_lws(value);
    const std::string_view e = n.text;
    if (e.empty()) return fail(n, "empty value");
    if (e == "*") {
        n.wildcard = true;
        n.valid = true;
        return;
    }

    std::size_t open = std::string_view::npos;
    if (e[0] == '"') {
        bool closed = false;
        const std::size_t end = skip_quoted(e, 0, &closed);
        if (!closed) return fail(n, "display name quote is never closed");
        n.display = e.substr(0, end);
        std::size_t i = end;
        while (i < e.size() && is_lws(e[i])) ++i;
        if (i >= e.size() || e[i] != '<') return fail(n, "no <URI> after the quoted display name");
        open = i;
    } else {
        // A '<' before any ';' means name-addr with an unquoted display name
        // (a run of tokens); without one this is a bare addr-spec.
        const std::size_t first = find_first_of_bytes(e, 0, '<', ';');
        if (first < e.size() && e[first] == '<') {
            open = first;
            n.display = trim_lws(e.substr(0, first));
            for (char c : n.display)
                if (!is_token_char(c) && !is_lws(c)) return fail(n, "display name is neither a token nor quoted");
        }
    }

    if (open != std::string_view::npos) {
        n.angle_brackets = true;
        const std::size_t close = find_first_of_bytes(e, open + 1, '>');
        if (close == e.size()) return fail(n, "'<' without a closing '>'");
        n.uri_text = trim_lws(e.substr(open + 1, close - open - 1));
        std::size_t i = close + 1;
        while (i < e.size() && is_lws(e[i])) ++i;
        if (i < e.size()) {
            if (e[i] != ';') return fail(n, "text after '>' that is not a parameter");
            n.params = e.substr(i + 1);
        }
    } else {
        const std::size_t semi = find_first_of_bytes(e, 0, ';');
        n.uri_text = trim_lws(e.substr(0, semi));
        if (semi < e.size()) n.params = e.substr(semi + 1);
        for (char c : n.uri_text)
            if (is_lws(c)) return fail(n, "whitespace inside an addr-spec");
    }

    if (uri_parsing == UriParsing::full) {
        read_uri(n.uri_text, n.uri);
        if (!n.uri.valid) return fail(n, n.uri.error);
    }
    n.valid = true;
}

NameAddrText name_addr_text(std::string_view value) {
    const auto full = [value] {
        const NameAddr n = parse_name_addr(value, UriParsing::text_only);
        return NameAddrText{n.uri_text, n.params};
    };
    const std::string_view e = trim_lws(value);
    if (e.empty()) return full();
    std::size_t open = 0;  // the '<'
    if (e[0] == '"') {
        // A quoted display name, as most user agents put in From: read
        // here, not by the full reader (which fills a whole NameAddr).
        bool closed = false;
        open = skip_quoted(e, 0, &closed);
        while (open < e.size() && is_lws(e[open])) ++open;
        if (!closed || open == e.size() || e[open] != '<') return {};  // as read_name_addr: no URI
    } else {
        // the same decision as read_name_addr: '<' before any ';' is a name-addr
        const std::size_t first = find_first_of_bytes(e, 0, '<', ';');
        if (first == e.size()) return {e == "*" ? std::string_view{} : e, {}};
        if (e[first] == ';') return {trim_lws(e.substr(0, first)), e.substr(first + 1)};  // addr-spec (20.10)
        if (first != 0) return full();  // a display name to check
    }
    const std::size_t close = find_first_of_bytes(e, open + 1, '>');
    if (close == e.size()) return {};
    const std::string_view uri_text = trim_lws(e.substr(open + 1, close - open - 1));
    std::size_t i = close + 1;
    while (i < e.size() && is_lws(e[i])) ++i;
    if (i == e.size() || e[i] != ';') return {uri_text, {}};  // (text after '>': invalid, URI kept)
    return {uri_text, e.substr(i + 1)};
}

}  // namespace sipresp
