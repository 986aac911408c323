// Link, IP and UDP headers for tests that read frames as Wireshark hands
// them over: Ethernet, IPv4 or IPv6 (with its Fragment header), UDP.
#pragma once

#include <initializer_list>
#include <string>

namespace sipresp::test {

inline std::string be16(unsigned v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; }

// A UDP header and its payload
inline std::string datagram(const std::string& payload, unsigned sport = 5060, unsigned dport = 5080,
                            const std::string& checksum = std::string(2, '\0')) {
    return be16(sport) + be16(dport) + be16(8 + static_cast<unsigned>(payload.size())) + checksum + payload;
}

// two MAC addresses and EtherType IPv4 (a literal would stop at its NUL)
inline const std::string kEthernet = std::string(12, '\x02') + std::string("\x08\x00", 2);

// An IPv4 header (RFC 791) of a fragment carrying `carried` bytes of a UDP
// datagram; `flags_offset` is the flags and fragment offset field (0x2000:
// More Fragments), `words` the header length in 32-bit words (5: no options).
inline std::string ipv4_header(std::size_t carried, unsigned flags_offset, unsigned protocol = 17, unsigned words = 5) {
    std::string h;
    h += static_cast<char>(0x40 | words);
    h += '\0';
    h += be16(static_cast<unsigned>(4 * words + carried)) + be16(0x1234) + be16(flags_offset);
    h += '\x40';
    h += static_cast<char>(protocol);
    h += std::string(2, '\0') + std::string(8, '\xc0') + std::string(4 * (words - 5), '\x01');
    return h;
}

// An IPv6 header (RFC 8200), then the extension headers of `options`
// (each of 8 bytes: 0 Hop-by-Hop, 60 Destination Options, 43 Routing), the
// last naming `next`; `after` bytes follow them (the payload length counts
// them too).
inline std::string ipv6_headers(std::size_t after, unsigned next, std::initializer_list<unsigned> options = {}) {
    std::string h;
    h += '\x60';
    h += std::string(3, '\0') + be16(static_cast<unsigned>(8 * options.size() + after));
    h += static_cast<char>(options.size() ? *options.begin() : next);
    h += '\x40';
    h += std::string(32, '\x20');
    for (auto option = options.begin(); option != options.end(); ++option) {
        // each names the one after it; the last names `next`
        h += static_cast<char>(option + 1 != options.end() ? *(option + 1) : next);
        h += std::string(7, '\0');
    }
    return h;
}

// The same, then a Fragment header (44) for a fragment carrying `carried`
// bytes: next header `next` (UDP: 17), offset 0, `more` the M flag.
inline std::string ipv6_fragment_headers(std::size_t carried, bool more, unsigned next = 17,
                                         std::initializer_list<unsigned> options = {}) {
    std::string h = ipv6_headers(8 + carried, 44, options);
    h += static_cast<char>(next);
    h += '\0';
    h += be16(more ? 1 : 0) + std::string(4, '\x07');
    return h;
}

}  // namespace sipresp::test
