// Header fields in network byte order (big-endian: RFC 791 3.1, RFC 1700),
// read from captured bytes: the IP, UDP, TCP and SCTP headers the locator
// and the fragment and TCP readers look at. The caller checks the bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipresp {

inline std::uint16_t be16(std::string_view b, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

inline std::uint32_t be32(std::string_view b, std::size_t at) {
    return (std::uint32_t{be16(b, at)} << 16) | be16(b, at + 2);
}

}  // namespace sipresp
