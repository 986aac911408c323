// What a 2xx or 3xx status code means (RFC 3261 21.2, 21.3 and the IANA
// "Response Codes" registry), in sipresp's own words.
#pragma once

#include <cstdint>
#include <string_view>

namespace sipresp {

struct StatusCodeInfo {
    int code = 0;                 // the code as received
    int treated_as = 0;           // x00 of the class for an unregistered code (8.1.3.2)
    bool registered = false;
    std::string_view class_name;  // "Success" / "Redirection"
    std::string_view name;        // registered name, or that of treated_as
    std::string_view meaning;     // one line; for 200 it depends on the method
    std::string_view reference;   // RFC section
};

// For 2xx and 3xx codes only; `method` is the CSeq method of the response
// (empty when it has no readable CSeq) and only changes the meaning of
// 200 (21.2.1). Any other code yields a StatusCodeInfo with code 0.
StatusCodeInfo describe_status(int code, std::string_view method);

// Where a 2xx's 0 s comes from: its own Expires, or, when it has none, its
// request's (Linphone answers an unsubscribe with a 200 without Expires).
enum class ZeroTimeFrom : std::uint8_t { response, request };

// A 2xx read as 200 that leaves its subscription or publication 0 s: a
// SUBSCRIBE's subscription is over (an unsubscribe, or the state fetched
// once: RFC 6665 4.1.2.3), a PUBLISH's event state is removed (RFC 3903
// 4.5). Rewrites `info`'s meaning and reference for those two methods;
// leaves any other response as it is.
void describe_zero_time(std::string_view method, ZeroTimeFrom from, StatusCodeInfo& info);

// What a registrar's 2xx lists: bindings of which some may be live, no
// Contact at all, or only Contacts with 0 s left.
enum class BindingsShown : std::uint8_t { some_may_be_live, none_listed, all_listed_at_zero };

// A 2xx read as 200 to REGISTER lists every binding the address-of-record
// keeps (RFC 3261 10.3 step 8), so one that leaves none says so; the caller
// works out what it lists. Leaves any other code, and a list that may hold
// a live binding, as it is.
void describe_no_bindings(BindingsShown shown, StatusCodeInfo& info);

// The same 2xx answering a REGISTER without Contact: a query, which changed
// no binding (10.2.3), so it says what is held, not what was accepted or
// removed. Leaves any other code as it is.
void describe_bindings_query(BindingsShown shown, StatusCodeInfo& info);

// The same 2xx still listing, with time left, a binding its REGISTER
// removed (10.3 steps 6-7). Leaves any other code as it is.
void describe_kept_removal(StatusCodeInfo& info);

// Per 3xx code: what a client may do with the targets and how long (21.3).
std::string_view redirect_policy(int code);

}  // namespace sipresp
