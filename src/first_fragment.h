// The start of a SIP message in the first IP fragment of its UDP datagram,
// in a frame Wireshark shows as "Fragmented IP protocol": with IP
// reassembly on (its default) the first fragment goes to no UDP or SIP
// dissector until the rest of the datagram arrives, and never if the rest
// is not in the capture. That is the usual fate of a big 200 with SDP, or
// a 300 with many Contacts, in a capture taken with a filter such as
// `udp port 5060`: only the first fragment carries the UDP header the
// filter reads (RFC 791, RFC 8200 4.5), so the call shows no answer.
//
// Found in the frame's bytes from its link layer on: an IPv4 header with
// More Fragments set at offset 0, for UDP; or an IPv6 header, any
// Hop-by-Hop, Routing or Destination Options headers, then a Fragment
// header for UDP with M set at offset 0; then a UDP header whose length
// runs past the fragment; then a SIP start line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipresp {

struct FirstFragmentMessage {
    std::uint32_t offset = 0;       // of the message's first byte in the frame
    std::uint32_t length = 0;       // of the message in this frame
    std::uint32_t sent_length = 0;  // of the whole message: the UDP length less its header
    bool is_request = false;
    // "302 Moved Temporarily" or "INVITE sip:bob@example.com": the start
    // line without its SIP version
    std::string_view line;
    std::string_view start_line;  // as written, CRLF left out
    std::uint32_t cseq_number = 0;
    // the CSeq's method; empty when the CSeq is not in this fragment or
    // cannot be read
    std::string_view cseq_method;
    // the datagram's key (ip_fragment_datagram): its other fragments share it
    std::uint64_t datagram = 0;
};

// Whether `frame` (captured bytes from the link layer on) holds such a
// message, and where. Looks for the IP header in the first 128 bytes,
// which covers link layers and a few encapsulations.
bool find_first_fragment_message(std::string_view frame, FirstFragmentMessage& out) noexcept;

// Whether the UDP header at byte `udp` of `frame` is carried by the first
// IP fragment of its datagram, as above: then its length may count bytes
// the frame does not hold (the later fragments carry them).
bool udp_header_in_first_fragment(std::string_view frame, std::size_t udp) noexcept;

// The key of the UDP datagram whose IP fragment `frame` holds (any of its
// fragments: the one whose arrival completes it, mostly the last), made of
// its IP version, addresses and identification; 0 when the frame holds no
// IP fragment of a UDP datagram in its first 128 bytes. Keys are this
// process's (KeyHash's seed).
std::uint64_t ip_fragment_datagram(std::string_view frame) noexcept;

}  // namespace sipresp
