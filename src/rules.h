// The rule catalogue (RULES.md sections 4-6): ids, severities, groups and
// RFC references, in one table that the plugin and the docs read.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sipresp {

enum class RuleId : std::uint8_t {
    // section 4: the response alone
    redirect_without_contact,
    use_proxy_without_contact,
    alternative_service_without_body,
    wildcard_contact_in_response,
    expires_malformed,
    contact_expires_malformed,
    expires_out_of_range,
    multiple_expires_headers,
    qvalue_malformed,
    duplicate_target,
    redirect_zero_lifetime,
    unregistered_status_code,
    uri_headers_outside_redirect,
    dialog_2xx_without_contact,
    dialog_2xx_contact_count,
    dialog_2xx_contact_scheme,
    register_binding_without_expires,
    response_to_ack,
    redirect_of_cancel,
    no_notification_misuse,
    accepted_deprecated,
    // section 5: needs the request
    redirect_loop,
    sips_downgrade,
    dialog_2xx_sips_required,
    no_notification_out_of_dialog,
    // section 6: across the capture (the plugin shows forward ones on the
    // second pass only)
    redirect_not_followed,
    target_retried,
    cached_without_lifetime,
    used_after_expiry,
    moved_permanently_ignored,
    redirect_not_acked,
    invite_2xx_not_acked,
    redirect_chain_too_long,
    count_  // not a rule
};

enum class Severity : std::uint8_t { note, warning, error };
enum class RuleGroup : std::uint8_t { protocol, sequence };

struct Rule {
    RuleId id;
    std::string_view name;       // stable kebab-case id users filter on
    Severity severity;
    RuleGroup group;
    std::string_view reference;  // RFC section
    std::string_view summary;    // when it fires, in our words
    std::string_view example;    // a short case that fires it (reference docs)
    // Needs messages later in the capture (the plugin shows it on the second
    // pass only: tshark -2, or the GUI once the file is loaded).
    bool forward = false;
};

std::span<const Rule> all_rules();
const Rule& rule(RuleId id);

// One rule hit: where in the message it is (for highlighting) and which
// target it concerns (-1 for the response as a whole).
struct Finding {
    RuleId rule;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::int32_t target = -1;
};

}  // namespace sipresp
