// What identifies a transaction, and what sipresp keeps of a request so that
// its response can be judged against it (RFC 3261 17.1.3, 17.2.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "message.h"

namespace sipresp {

struct CSeq {
    bool valid = false;
    std::uint32_t number = 0;
    std::string_view method;
};

// CSeq = 1*DIGIT LWS Method (20.16)
CSeq parse_cseq(const Message& m);

// The branch parameter of the first Via value, or empty.
std::string_view top_via_branch(const Message& m);

// Whether the To header carries a tag (a request inside a dialog).
bool has_to_tag(const Message& m);

// A 64-bit digest of Call-ID, CSeq number and method, and top Via branch:
// the response matches the request with the same digest. Two different
// transactions share one with odds of about n^2 / 2^65, which for a
// million transactions in one file is below 1e-7.
std::uint64_t transaction_key(const Message& m);

// What a response needs from its request (RULES.md section 5).
struct RequestSummary {
    std::string method;
    std::string request_uri;
    bool to_tag = false;  // sent inside a dialog
    // 12.1.1: SIPS in the Request-URI, or the top Record-Route if there is
    // one, or else the Contact.
    bool dialog_needs_sips = false;
};

RequestSummary summarize_request(const Message& request);

}  // namespace sipresp
