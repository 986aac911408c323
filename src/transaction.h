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

// The To header's tag, or empty: a request with one is inside a dialog.
std::string_view to_tag(const Message& m);

// A 64-bit digest of Call-ID, CSeq number and method, and top Via branch:
// the response matches the request with the same digest. Two different
// transactions share one with odds of about n^2 / 2^65, which for a
// million transactions in one file is below 1e-7. `cseq` is parse_cseq(m),
// which the caller has already read.
std::uint64_t transaction_key(const Message& m, const CSeq& cseq);

// The transaction an ACK belongs to when it acknowledges a non-2xx final
// response: the INVITE's own (17.1.1.3: same Call-ID, CSeq number and top
// Via branch), so this equals transaction_key of the INVITE and its 3xx.
std::uint64_t ack_invite_key(const Message& ack, const CSeq& cseq);

// What ties a 2xx to INVITE and the ACK for it, which is a new transaction
// (13.2.2.4): the dialog (Call-ID and To tag), which the two share with every
// later request the caller sends in that dialog; the CSeq number then tells
// which 2xx an ACK is for. Works on both messages.
std::uint64_t dialog_ack_key(const Message& m);
// The same, with to_tag(m) already read by the caller.
std::uint64_t dialog_ack_key(const Message& m, std::string_view to_tag);

// Who sent a request, at three grains (RULES.md 6 links a redirect to what
// "the same caller" does next):
//   call:   the Call-ID;
//   dialog: From URI and From tag (a caller may pick a new Call-ID when it
//           recurses, but keeps its tag);
//   client: top Via sent-by and From URI: the same user agent across calls,
//           which is whose cache 21.3.2-21.3.3 speak of.
struct CallerKeys {
    std::uint64_t call = 0;
    std::uint64_t dialog = 0;
    std::uint64_t client = 0;
};
CallerKeys caller_keys(const Message& m);
// The Call-ID's key alone, as in CallerKeys::call.
std::uint64_t call_key(const Message& m);

// What a response needs from its request (RULES.md section 5). Views into
// the request's bytes (or into whatever copy the caller keeps of them).
struct RequestSummary {
    std::string_view method;
    std::string_view request_uri;
    bool to_tag = false;  // sent inside a dialog
    // 12.1.1: SIPS in the Request-URI, or the top Record-Route if there is
    // one, or else the Contact. Only worked out for a request that creates a
    // dialog (below) outside one, the only kind whose 2xx it judges; false
    // for every other request.
    bool dialog_needs_sips = false;
    // A SUBSCRIBE or PUBLISH whose first Expires reads 0: an unsubscribe or
    // a one-time fetch (RFC 6665 4.1.2.3), or a removal of published state
    // (RFC 3903 4.5). False for every other method.
    bool asks_no_time = false;
    // A REGISTER without a Contact header: it asks for the bindings and
    // changes none (10.2.3). False for every other method.
    bool queries_bindings = false;
    // The Contacts a REGISTER removes, as write_removed_bindings writes
    // them; empty for none. Set by whoever keeps that text (the tracker),
    // never by summarize_request: it is written out, not a view.
    std::string_view removed_bindings;
};

// INVITE, SUBSCRIBE and REFER create dialogs (12.1, RFC 6665, RFC 3515).
bool creates_dialog(std::string_view method);

// SUBSCRIBE and PUBLISH: their Expires, and their 2xx's, time what they set
// up, a subscription (RFC 6665 4.1.2.1) or published state (RFC 3903 5).
bool grants_lifetime(std::string_view method);

// Whether summarize_request reads header lines past a request's transaction
// keys: a request that may open a dialog (its SIPS needs), a SUBSCRIBE's or
// a PUBLISH's Expires, and whether a REGISTER has a Contact at all.
bool summary_reads_whole(std::string_view method);

RequestSummary summarize_request(const Message& request);
// The same, with to_tag(request) already read by the caller.
RequestSummary summarize_request(const Message& request, std::string_view to_tag);

}  // namespace sipresp
