// The header fields sipresp reads, recognised by full or compact name (RFC 3261 7.3.3, 20).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipresp {

enum class HeaderId : std::uint8_t {
    other,
    via,
    contact,
    expires,
    call_id,
    cseq,
    from,
    to,
    content_length,
    content_type,
    record_route,
};
inline constexpr std::size_t kHeaderIdCount = static_cast<std::size_t>(HeaderId::record_route) + 1;

// Case-insensitive; compact forms (m, i, f, t, v, l, c) map to the same id as
// the full name. Names sipresp does not read map to HeaderId::other.
HeaderId header_id(std::string_view name);

// The full name a compact form stands for (RFC 3261 7.3.3 and the later RFCs
// that registered one-letter forms), or the name unchanged.
std::string_view expand_compact_name(std::string_view name);

}  // namespace sipresp
