// The code catalogue of RULES.md section 1.
#include "status_codes.h"

#include "chars.h"

namespace sipresp {
namespace {

struct Entry {
    int code;
    std::string_view name;
    std::string_view meaning;
    std::string_view reference;
};

constexpr Entry kRegistered[] = {
    {200, "OK", "the request succeeded", "RFC 3261 21.2.1"},
    {202, "Accepted", "accepted for processing; the outcome comes later (for SUBSCRIBE, treat as 200)",
     "RFC 6665 8.3.1, RFC 3515 2.4.2"},
    {204, "No Notification", "subscription refreshed; the notifier will not send the NOTIFY it otherwise would",
     "RFC 5839 6"},
    {300, "Multiple Choices", "several targets; the user or UA picks one", "RFC 3261 21.3.1"},
    {301, "Moved Permanently", "the user moved for good; retry at a target and update caches and address books",
     "RFC 3261 21.3.2"},
    {302, "Moved Temporarily", "temporary move; retry at a target, cache it only for its lifetime",
     "RFC 3261 21.3.3"},
    {305, "Use Proxy", "resend this one request through the proxy named in Contact", "RFC 3261 21.3.4"},
    {380, "Alternative Service", "the call failed, other services are described in the body",
     "RFC 3261 21.3.5"},
};

struct MethodMeaning {
    std::string_view method;
    std::string_view meaning;
    std::string_view reference;  // where the method says what its 2xx means; empty: the code's own
};

// 200 OK per request method (21.2.1 and each method's RFC).
constexpr MethodMeaning k200ByMethod[] = {
    {"INVITE", "call answered: dialog established, the caller must ACK this 2xx", "RFC 3261 13.2.2.4"},
    {"ACK", "nothing: ACK is never answered", ""},
    {"BYE", "call ended: the dialog is gone", "RFC 3261 15.1"},
    {"CANCEL", "cancel accepted; the INVITE still gets a final response of its own", "RFC 3261 9.2"},
    {"REGISTER", "bindings accepted; the Contacts list every current binding with its expiry", "RFC 3261 10.3"},
    {"OPTIONS", "capabilities reported in Allow, Accept and Supported", "RFC 3261 11.2"},
    {"SUBSCRIBE", "subscription accepted; a NOTIFY follows", "RFC 6665 4.1.2.1"},
    {"REFER", "refer accepted; progress comes in NOTIFYs", "RFC 3515"},
    {"NOTIFY", "notification received", "RFC 6665"},
    {"MESSAGE", "instant message delivered to the recipient's UA", "RFC 3428"},
    {"INFO", "mid-dialog information processed", "RFC 6086"},
    {"PRACK", "provisional response acknowledged", "RFC 3262"},
    {"UPDATE", "session parameters updated within the dialog", "RFC 3311"},
    {"PUBLISH", "event state published; SIP-ETag names it for refreshes", "RFC 3903"},
};

const Entry* find_entry(int code) {
    for (const Entry& e : kRegistered)
        if (e.code == code) return &e;
    return nullptr;
}

}  // namespace

StatusCodeInfo describe_status(int code, std::string_view method) {
    StatusCodeInfo info;
    if (code < 200 || code > 399) return info;
    info.code = code;
    info.class_name = code < 300 ? "Success" : "Redirection";
    const Entry* entry = find_entry(code);
    info.registered = entry != nullptr;
    info.treated_as = entry ? code : code - code % 100;
    if (!entry) entry = find_entry(info.treated_as);
    info.name = entry->name;
    info.meaning = entry->meaning;
    info.reference = entry->reference;
    if (info.treated_as == 200) {
        // no method at all means no readable CSeq (8.1.1.5), not a method
        // sipresp does not know
        info.meaning = method.empty() ? "the request succeeded; no readable CSeq says which request"
                                      : "the request succeeded (method not known to sipresp)";
        for (const MethodMeaning& m : k200ByMethod) {
            if (method != m.method) continue;  // methods are case-sensitive (7.1)
            info.meaning = m.meaning;
            if (!m.reference.empty()) info.reference = m.reference;
        }
    }
    return info;
}

void describe_zero_time(std::string_view method, ZeroTimeFrom from, StatusCodeInfo& info) {
    if (info.treated_as != 200) return;  // a 202 keeps its own meaning; 204 sends no NOTIFY at all
    const bool granted = from == ZeroTimeFrom::response;
    if (method == "SUBSCRIBE") {
        info.meaning = granted ? "subscription ends: 0 s granted; a last NOTIFY with state terminated is due"
                               : "subscription ends: the SUBSCRIBE asked for 0 s; a last NOTIFY with state "
                                 "terminated is due";
        info.reference = "RFC 6665 4.1.2.3";
    } else if (method == "PUBLISH") {
        info.meaning = granted ? "published event state removed: 0 s granted"
                               : "published event state removed: the PUBLISH asked for 0 s";
        info.reference = "RFC 3903 4.5";
    }
}

void describe_no_bindings(BindingsShown shown, StatusCodeInfo& info) {
    // a 202 to REGISTER is not the registrar's list
    if (info.treated_as != 200 || shown == BindingsShown::some_may_be_live) return;
    info.meaning = shown == BindingsShown::none_listed
                       ? "no bindings remain: the registrar lists no Contact for this address-of-record"
                       : "no bindings remain: every Contact listed has 0 s left";
    info.reference = "RFC 3261 10.3";
}

void describe_bindings_query(BindingsShown shown, StatusCodeInfo& info) {
    if (info.treated_as != 200) return;
    switch (shown) {
    case BindingsShown::some_may_be_live:
        info.meaning = "registration query answered, nothing changed; the Contacts list every current binding "
                       "with its expiry";
        break;
    case BindingsShown::none_listed:
        info.meaning = "registration query answered, nothing changed; the registrar holds no binding for this "
                       "address-of-record";
        break;
    case BindingsShown::all_listed_at_zero:
        info.meaning = "registration query answered, nothing changed; every Contact listed has 0 s left";
        break;
    }
    info.reference = "RFC 3261 10.2.3";
}

void describe_kept_removal(StatusCodeInfo& info) {
    if (info.treated_as != 200) return;
    info.meaning = "bindings accepted, but the registrar still lists, with time left, a binding this REGISTER "
                   "removed; the Contacts list every current binding";
    info.reference = "RFC 3261 10.3";
}

std::string_view redirect_policy(int code) {
    if (code < 300 || code > 399) return {};
    switch (find_entry(code) ? code : 300) {
    case 300: return "choices: the user or UA picks a target; no caching implied";
    case 301: return "permanent: use the target from now on; a cache keeps it until its lifetime ends";
    case 302: return "temporary: retry at a target; cache only for the lifetime given, else use once";
    case 305: return "this request only: resend it via the proxy in Contact; do not cache";
    case 380: return "alternatives described in the body; no caching implied";
    default: return {};
    }
}

}  // namespace sipresp
