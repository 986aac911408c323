// The analysis of one 2xx or 3xx response: its meaning, its Contacts as
// ranked targets with lifetimes, and the rules of RULES.md sections 4 and 5.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lifetime.h"
#include "message.h"
#include "name_addr.h"
#include "rules.h"
#include "status_codes.h"
#include "transaction.h"

namespace sipresp {

// At most this many Contacts are analysed per response; the rest are
// counted in targets_omitted so a hostile message cannot make the
// duplicate check (quadratic) or the tree unbounded.
constexpr std::size_t kMaxTargets = 256;

struct Target {
    NameAddr contact;              // contact.valid false: unreadable, see contact.error
    std::uint32_t offset = 0;      // the Contact value in the message
    std::uint32_t length = 0;
    QValue q;
    std::uint32_t rank = 0;        // 1 = tried first: q descending, ties in header order
    Lifetime lifetime;             // 3xx targets and REGISTER bindings only
    bool cacheable = false;        // may be reused for later requests (3xx only)
    bool has_uri_headers = false;  // ?name=value after the URI (19.1.1)
    // 200 to REGISTER: listed with time left, though its REGISTER removed
    // it (mark_kept_removals; needs the request)
    bool removal_ignored = false;
};

struct ResponseAnalysis {
    StatusCodeInfo status;
    CSeq cseq;
    std::uint32_t status_line_offset = 0;  // where findings about the whole response point
    std::uint32_t status_line_length = 0;
    std::string_view policy;          // 3xx: what the client may do with the targets
    std::vector<Target> targets;      // every Contact value, in header order
    std::size_t targets_omitted = 0;
    bool wildcard = false;
    // 2xx to SUBSCRIBE or PUBLISH, from its Expires header: how long the
    // subscription runs (RFC 6665 4.1.2.1) or the published state lasts
    // (RFC 3903 5)
    Lifetime granted;
    // A 2xx that must carry the Contact that sets the remote target (12.1.1):
    // one to INVITE or SUBSCRIBE, or to a REFER known, from the REFER, to
    // have been sent outside a dialog (RFC 3515 2: only such a REFER opens one)
    bool contact_due = false;
    std::vector<Finding> findings;

    bool is_redirect() const { return status.treated_as >= 300; }
    // every Contact value, those past kMaxTargets included
    std::size_t contact_count() const { return targets.size() + targets_omitted; }
};

// True for the responses sipresp analyses.
constexpr bool is_analysed_status(int code) { return code >= 200 && code <= 399; }

// Section 1-4 of RULES.md from the response alone. `out` is reset first and
// keeps its capacity.
void analyse_response(const Message& response, ResponseAnalysis& out);
// The same, for a caller that has read the CSeq already: `cseq` is
// parse_cseq(response).
void analyse_response(const Message& response, const CSeq& cseq, ResponseAnalysis& out);

// Section 5 of RULES.md: what can only be judged knowing the request.
void check_against_request(const RequestSummary& request, ResponseAnalysis& out);

}  // namespace sipresp
