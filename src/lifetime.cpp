// delta-seconds, qvalue and the lifetime order of RULES.md section 3.
#include "lifetime.h"

#include "chars.h"
#include "header_values.h"

namespace sipresp {

DeltaSeconds parse_delta_seconds(std::string_view text) {
    DeltaSeconds d;
    text = trim_lws(text);
    if (!all_digits(text)) return d;
    d.valid = true;
    std::uint64_t value = 0;
    for (char c : text) {
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
        if (value > UINT32_MAX) {
            d.clamped = true;
            value = UINT32_MAX;  // keep scanning would overflow; the answer is fixed
            break;
        }
    }
    d.seconds = static_cast<std::uint32_t>(value);
    return d;
}

QValue parse_qvalue(std::string_view text) {
    QValue q;
    q.present = true;
    text = trim_lws(text);
    const auto bad = [&q] {
        q.valid = false;
        q.thousandths = 1000;
        return q;
    };
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return bad();
    unsigned value = static_cast<unsigned>(text[0] - '0') * 1000;
    if (text.size() > 1) {
        if (text[1] != '.' || text.size() > 5) return bad();
        unsigned scale = 100;
        for (std::size_t i = 2; i < text.size(); ++i, scale /= 10) {
            if (!is_digit(text[i])) return bad();
            value += static_cast<unsigned>(text[i] - '0') * scale;
        }
        if (value > 1000) return bad();  // "1.5" is not a qvalue
    }
    q.thousandths = static_cast<std::uint16_t>(value);
    return q;
}

Lifetime effective_lifetime(std::string_view contact_params, const std::string_view* expires_header) {
    Param param;
    if (!find_param(contact_params, "expires", param)) return effective_lifetime(nullptr, expires_header);
    return effective_lifetime(&param.value, expires_header);
}

std::string_view lifetime_source_name(LifetimeSource source) {
    switch (source) {
    case LifetimeSource::contact_expires: return "Contact expires parameter";
    case LifetimeSource::expires_header: return "Expires header";
    case LifetimeSource::none: return "none";
    }
    return "none";
}

std::string_view no_lifetime_meaning(int code) {
    switch (code) {
    case 302: return "valid once for recursing, must not be cached (RFC 3261 21.3.3)";
    case 301: return "permanent: keep using it until told otherwise (RFC 3261 21.3.2)";
    case 305: return "for this one request only (RFC 3261 21.3.4)";
    default: return "none given; no caching implied (RFC 3261 21.3)";
    }
}

bool lifetime_reads_cacheable(int code, const Lifetime& life) {
    if (life.source == LifetimeSource::none) return code == 301;
    return life.seconds > 0;
}

}  // namespace sipresp
