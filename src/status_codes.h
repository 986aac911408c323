// What a 2xx or 3xx status code means (RFC 3261 21.2, 21.3 and the IANA
// "Response Codes" registry), in sipresp's own words.
#pragma once

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

// Per 3xx code: what a client may do with the targets and how long (21.3).
std::string_view redirect_policy(int code);

}  // namespace sipresp
