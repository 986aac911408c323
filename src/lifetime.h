// How long a Contact may be used: delta-seconds, q-values and where a
// target's lifetime comes from (RFC 3261 20.10, 20.19, 21.3.3, 10.2.1.1).
#pragma once

#include <cstdint>
#include <string_view>

namespace sipresp {

// delta-seconds = 1*DIGIT (25.1)
struct DeltaSeconds {
    bool valid = false;       // 1*DIGIT
    bool clamped = false;     // above 2^32-1, counted as 2^32-1 (10.2.1.1)
    std::uint32_t seconds = 0;
};

// A value that is not 1*DIGIT (e.g. an RFC 2543 date) is invalid; callers
// count it as 3600 s (20.10, 20.19).
DeltaSeconds parse_delta_seconds(std::string_view text);

constexpr std::uint32_t kMalformedLifetime = 3600;

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (25.1),
// kept in thousandths so ranking never meets floating-point ties.
struct QValue {
    bool present = false;
    bool valid = true;
    std::uint16_t thousandths = 1000;  // 1.0 when absent or unreadable
};

QValue parse_qvalue(std::string_view text);

enum class LifetimeSource : std::uint8_t {
    contact_expires,  // the Contact's expires parameter
    expires_header,   // the Expires header field
    none,             // neither: see 21.3.3
};

struct Lifetime {
    LifetimeSource source = LifetimeSource::none;
    std::uint32_t seconds = 0;  // when source != none
    bool malformed = false;     // the value could not be read; 3600 s used
    bool clamped = false;       // the value was above 2^32-1
    std::string_view raw;       // the value as written
};

// The effective lifetime: the Contact expires parameter wins over the
// Expires header (10.2.1.1 and 21.3.3 use the same order). `expires_header`
// is the value of the first Expires header, or nullptr.
Lifetime effective_lifetime(std::string_view contact_params, const std::string_view* expires_header);
// The same, for a caller that already holds the Contact's expires value
// (nullptr when the Contact has none). Inline so the result is built where
// the caller keeps it: returned through memory it was written field by field
// and read back whole, a store-forwarding stall per Contact.
inline Lifetime effective_lifetime(const std::string_view* contact_expires, const std::string_view* expires_header) {
    Lifetime life;
    if (contact_expires) {
        life.source = LifetimeSource::contact_expires;
        life.raw = *contact_expires;
    } else if (expires_header) {
        life.source = LifetimeSource::expires_header;
        life.raw = *expires_header;
    } else {
        return life;
    }
    const DeltaSeconds d = parse_delta_seconds(life.raw);
    life.malformed = !d.valid;
    life.clamped = d.clamped;
    life.seconds = d.valid ? d.seconds : kMalformedLifetime;
    return life;
}

std::string_view lifetime_source_name(LifetimeSource source);

// What a target without lifetime means for a 3xx treated as `code` (21.3).
std::string_view no_lifetime_meaning(int code);

// Whether a target's lifetime, as sipresp words it, tells a reader the
// target may be cached: a lifetime above zero reads "until then", none
// reads as no_lifetime_meaning puts it (only a 301's is "keep using it").
// The analysis's own verdict differs only for a 305 with a lifetime.
bool lifetime_reads_cacheable(int code, const Lifetime& life);

}  // namespace sipresp
