// One Contact / From / To / Route value: name-addr or addr-spec plus header
// parameters (RFC 3261 20.10, 25.1).
//
//   "Bob \"B\" Smith" <sip:bob@192.0.2.4;transport=tcp>;q=0.7;expires=60
//   ^display (raw)     ^uri (URI params stay inside) ^params (header params)
//   sip:bob@192.0.2.4;q=0.7
//   ^addr-spec: everything after the first ';' is a header parameter (20.10)
#pragma once

#include <string>
#include <string_view>

#include "uri.h"

namespace sipresp {

struct NameAddr {
    std::string_view text;     // the whole value, trimmed
    bool wildcard = false;     // Contact: *
    bool angle_brackets = false;
    std::string_view display;  // as written, quotes and escapes kept; empty if none
    std::string_view uri_text;
    Uri uri;
    std::string_view params;   // header parameters, without the first ';'
    bool valid = false;
    const char* error = nullptr;

    // The display name with quotes removed and quoted-pairs resolved.
    std::string display_name() const;
};

// `UriParsing::text_only` leaves `uri` unparsed (uri_text and params are
// still set): for callers that only key or compare on the text.
enum class UriParsing : unsigned char { full, text_only };
NameAddr parse_name_addr(std::string_view value, UriParsing uri_parsing = UriParsing::full);
// The same into `out`, which must be default-constructed.
void read_name_addr(std::string_view value, NameAddr& out, UriParsing uri_parsing = UriParsing::full);

// The URI text and header parameters of a value, as read_name_addr with
// text_only finds them, without filling a NameAddr: for "<uri>;params" and
// a bare addr-spec it looks only for the delimiters; a display name takes
// the full reader. Used for every message's From and To.
struct NameAddrText {
    std::string_view uri_text;
    std::string_view params;
};
NameAddrText name_addr_text(std::string_view value);

}  // namespace sipresp
