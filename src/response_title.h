// The title of a response's analysis: the one line a collapsed tree shows,
// so it carries what a reader scanning a call wants first.
#pragma once

#include <cstdint>
#include <string_view>

#include "chars.h"
#include "response_analysis.h"
#include "status_codes.h"
#include "text_buffer.h"

namespace sipresp {

// "302 Moved Temporarily". A code outside the registry gets no name of its
// own: it is named by the x00 it is handled as (8.1.3.2), "399 (handled as
// 300 Multiple Choices)", so that 300's name is never read as 399's.
inline void write_status_name(const StatusCodeInfo& s, TextBuffer& text) {
    text << static_cast<std::uint64_t>(static_cast<unsigned>(s.code));
    if (s.registered)
        text << " " << s.name;
    else
        text << " (handled as " << static_cast<std::uint64_t>(static_cast<unsigned>(s.treated_as)) << " " << s.name
             << ")";
}

// The reason phrase a response was sent with, where it is not the code's
// registered name ("200 Answering", "302 Found"): only people read it
// (7.2, 21), so a stack may write any, and a reader comparing sipresp's
// name with the wire's wants to see why they differ. Empty where it says
// the same, in any case, or nothing at all.
inline std::string_view other_reason_phrase(const StatusCodeInfo& s, std::string_view reason) {
    if (s.registered && iequals(reason, s.name)) return {};
    return reason;
}

// "302 Moved Temporarily, 2 targets", "200 OK to REGISTER, 2 bindings",
// "200 OK to REGISTER, 2 bindings, 1 removal ignored",
// "200 OK to BYE". A 2xx names the method it answers, since a 200 means
// something else for each (21.2.1), and calls its Contacts what they are
// for that method. A count of zero is left out unless a Contact was due:
// a redirect's targets (21.3), a registrar's bindings (10.3 step 8), a
// dialog's remote target (12.1.1).
inline void write_response_title(const ResponseAnalysis& a, TextBuffer& text) {
    const std::uint64_t contacts = a.contact_count();
    write_status_name(a.status, text);
    std::string_view one = "Contact", many = "Contacts", none = {};
    if (a.is_redirect()) {
        one = "target", many = "targets", none = "no targets";
    } else if (a.cseq.valid) {
        text << " to " << a.cseq.method;
        if (a.cseq.method == "REGISTER")
            one = "binding", many = "bindings", none = "no bindings";
        else if (a.contact_due)
            none = "no Contact";
    }
    if (contacts > 0)
        text << ", " << contacts << " " << (contacts == 1 ? one : many);
    else if (!none.empty())
        text << ", " << none;
    // bindings still listed though their REGISTER removed them (10.3
    // steps 6-7): set only on a 200 to REGISTER, with its request
    if (a.cseq.method != "REGISTER") return;
    std::uint64_t kept = 0;
    for (const Target& t : a.targets) kept += t.removal_ignored ? 1 : 0;
    if (kept > 0) text << ", " << kept << (kept == 1 ? " removal ignored" : " removals ignored");
}

}  // namespace sipresp
