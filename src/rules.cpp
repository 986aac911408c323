// The rule table. Severity follows the requirement broken: MUST -> error,
// SHOULD -> warning, else note (RULES.md).
#include "rules.h"

namespace sipresp {
namespace {

using S = Severity;
using G = RuleGroup;

constexpr Rule kRules[] = {
    {RuleId::redirect_without_contact, "redirect-without-contact", S::warning, G::protocol,
     "RFC 3261 21.3.1-21.3.3", "a 300, 301 or 302 gives no Contact, so there is nowhere to redirect to"},
    {RuleId::use_proxy_without_contact, "use-proxy-without-contact", S::error, G::protocol,
     "RFC 3261 21.3.4", "a 305 does not name the proxy to use in a Contact"},
    {RuleId::alternative_service_without_body, "alternative-service-without-body", S::note, G::protocol,
     "RFC 3261 21.3.5", "a 380 has no body describing the alternative services"},
    {RuleId::wildcard_contact_in_response, "wildcard-contact-in-response", S::error, G::protocol,
     "RFC 3261 10.2.2, 20.10", "Contact: * is only for REGISTER requests, never in a response"},
    {RuleId::expires_malformed, "expires-malformed", S::warning, G::protocol,
     "RFC 3261 20.19", "the Expires header is not delta-seconds; 3600 s is assumed"},
    {RuleId::contact_expires_malformed, "contact-expires-malformed", S::warning, G::protocol,
     "RFC 3261 20.10", "a Contact expires parameter is not delta-seconds; 3600 s is assumed"},
    {RuleId::expires_out_of_range, "expires-out-of-range", S::note, G::protocol,
     "RFC 3261 10.2.1.1", "a lifetime above 2^32-1 seconds, counted as 2^32-1"},
    {RuleId::multiple_expires_headers, "multiple-expires-headers", S::error, G::protocol,
     "RFC 3261 7.3.1, 20.19", "Expires is a single-value header but appears more than once"},
    {RuleId::qvalue_malformed, "qvalue-malformed", S::warning, G::protocol,
     "RFC 3261 20.10, 25.1", "a q parameter is not a qvalue (0 to 1, at most three decimals); 1.0 is assumed"},
    {RuleId::duplicate_target, "duplicate-target", S::note, G::protocol,
     "RFC 3261 8.1.3.4", "the same URI (compared per 19.1.4) is listed twice among the Contacts"},
    {RuleId::redirect_zero_lifetime, "redirect-zero-lifetime", S::note, G::protocol,
     "RFC 3261 21.3.3", "a redirect target expires at once (lifetime 0)"},
    {RuleId::unregistered_status_code, "unregistered-status-code", S::note, G::protocol,
     "RFC 3261 8.1.3.2", "the code is not in the IANA registry and is handled as x00 of its class"},
    {RuleId::uri_headers_outside_redirect, "uri-headers-outside-redirect", S::warning, G::protocol,
     "RFC 3261 19.1.1", "a Contact URI in a 2xx carries URI headers or a method parameter, which only redirects may"},
    {RuleId::dialog_2xx_without_contact, "dialog-2xx-without-contact", S::error, G::protocol,
     "RFC 3261 12.1.1, 13.3.1.4", "a 2xx to INVITE, SUBSCRIBE or REFER lacks the Contact that sets the remote target"},
    {RuleId::dialog_2xx_contact_count, "dialog-2xx-contact-count", S::error, G::protocol,
     "RFC 3261 12.1.1", "a 2xx to INVITE, SUBSCRIBE or REFER has more than one Contact"},
    {RuleId::dialog_2xx_contact_scheme, "dialog-2xx-contact-scheme", S::error, G::protocol,
     "RFC 3261 12.1.1", "the Contact of a 2xx to INVITE, SUBSCRIBE or REFER is not a SIP or SIPS URI"},
    {RuleId::register_binding_without_expires, "register-binding-without-expires", S::error, G::protocol,
     "RFC 3261 10.3 step 8", "a binding listed in a 2xx to REGISTER has no expires parameter"},
    {RuleId::response_to_ack, "response-to-ack", S::error, G::protocol,
     "RFC 3261 17", "a response whose CSeq method is ACK: ACK is never answered"},
    {RuleId::redirect_of_cancel, "redirect-of-cancel", S::warning, G::protocol,
     "RFC 3261 9.2", "a CANCEL was redirected; a CANCEL is answered by the element that received it"},
    {RuleId::no_notification_misuse, "no-notification-misuse", S::error, G::protocol,
     "RFC 5839 6", "204 No Notification answers a method other than SUBSCRIBE"},
    {RuleId::accepted_deprecated, "accepted-deprecated", S::note, G::protocol,
     "RFC 6665 8.3.1", "202 to SUBSCRIBE is deprecated; subscribers treat it as 200"},
    {RuleId::redirect_loop, "redirect-loop", S::warning, G::protocol,
     "RFC 3261 8.1.3.4", "a redirect target is the very Request-URI that was redirected"},
    {RuleId::sips_downgrade, "sips-downgrade", S::warning, G::protocol,
     "RFC 3261 8.1.3.4", "a SIPS request was redirected to a target that is not SIPS"},
    {RuleId::dialog_2xx_sips_required, "dialog-2xx-sips-required", S::error, G::protocol,
     "RFC 3261 12.1.1", "the dialog-creating request used SIPS but the 2xx Contact is not SIPS"},
    {RuleId::no_notification_out_of_dialog, "no-notification-out-of-dialog", S::error, G::protocol,
     "RFC 5839 6", "204 answers a SUBSCRIBE sent outside a dialog, which must get a NOTIFY"},
    {RuleId::redirect_not_followed, "redirect-not-followed", S::note, G::sequence,
     "RFC 3261 21.3", "no later request of the caller went to any target of this redirect of an INVITE"},
    {RuleId::target_retried, "target-retried", S::error, G::sequence,
     "RFC 3261 8.1.3.4", "the caller sent a request to a URI it had already tried earlier in the same redirect chain"},
    {RuleId::cached_without_lifetime, "cached-without-lifetime", S::error, G::sequence,
     "RFC 3261 21.3.3", "a new call reused a target that a 302 gave without a lifetime, so only for its own recursion"},
    {RuleId::used_after_expiry, "used-after-expiry", S::warning, G::sequence,
     "RFC 3261 21.3.3", "a new call reused a redirect target after the lifetime it was given had run out"},
    {RuleId::moved_permanently_ignored, "moved-permanently-ignored", S::warning, G::sequence,
     "RFC 3261 21.3.2", "a new call still went to a URI that a 301 had said moved for good"},
    {RuleId::redirect_not_acked, "redirect-not-acked", S::warning, G::sequence,
     "RFC 3261 17.1.1.3", "a 3xx to INVITE was retransmitted or never ACKed"},
    {RuleId::invite_2xx_not_acked, "invite-2xx-not-acked", S::warning, G::sequence,
     "RFC 3261 13.3.1.4", "a 2xx to INVITE was retransmitted or never ACKed"},
    {RuleId::redirect_chain_too_long, "redirect-chain-too-long", S::note, G::sequence,
     "RFC 3261 8.1.3.4", "the call was redirected more times than the configured limit"},
};

static_assert(std::size(kRules) == static_cast<std::size_t>(RuleId::count_),
              "one table row per RuleId");

}  // namespace

std::span<const Rule> all_rules() { return kRules; }

const Rule& rule(RuleId id) { return kRules[static_cast<std::size_t>(id)]; }

}  // namespace sipresp
