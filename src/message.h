// A SIP message read in place: start line, header fields and body as views
// into the caller's bytes (RFC 3261 7).
//
//   INVITE sip:bob@example.com SIP/2.0\r\n      <- start line
//   Via: SIP/2.0/UDP pc33;branch=z9hG4bK1\r\n   <- Header{name, value, offsets}
//   Contact: <sip:a@b>,\r\n <sip:c@d>\r\n       <- a folded value stays one view
//   \r\n
//   body                                        <- Content-Length bytes
//
// Limits: input up to 4 GiB (offsets are 32 bits); time and memory are linear
// in the input; nothing is copied; no exception leaves parse_message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "header_names.h"

namespace sipresp {

// Three outcomes, never mixed (a message can be short of bytes, or broken).
enum class ParseStatus : std::uint8_t { complete, incomplete, malformed };

// How far parse_message reads, as its caller chooses from the start line.
enum class ReadExtent : std::uint8_t {
    start_line,  // nothing after the start line
    // header lines until the first Via, From, To, Call-ID and CSeq have all
    // been read (what identifies a transaction, a dialog and a caller), or
    // to the end of the header section when one of them is missing
    transaction_keys,
    whole,       // every header line, and the body
};

struct Header {
    std::string_view name;   // as written, possibly compact
    std::string_view value;  // leading/trailing whitespace trimmed; folds kept
    std::uint32_t offset = 0;        // first byte of the name in the message
    std::uint32_t length = 0;        // up to the end of the value
    std::uint32_t value_offset = 0;  // first byte of value
    HeaderId id = HeaderId::other;
};

struct Message {
    std::string_view bytes;  // the whole input
    ParseStatus status = ParseStatus::malformed;
    const char* error = nullptr;   // what is wrong, in our words, when not complete
    std::uint32_t error_offset = 0;

    bool is_request = false;
    std::string_view method;        // requests
    std::string_view request_uri;   // requests
    std::uint32_t request_uri_offset = 0;
    int status_code = 0;            // responses
    std::string_view reason;        // responses
    std::uint32_t start_line_offset = 0;  // after any keep-alive CRLFs
    std::uint32_t start_line_length = 0;
    // How far parse_message read. Short of `whole`, a complete `status`
    // vouches only for what was read: after the start line alone `headers`
    // is empty; after the transaction keys it ends with the last of them.
    // Either way `body` is empty.
    ReadExtent extent = ReadExtent::whole;

    std::vector<Header> headers;    // in message order, repeats kept
    std::string_view body;
    bool has_content_length = false;
    // The capture kept fewer bytes of the body than Content-Length says
    // were sent (parse_message's cut_by_capture): `body` is what it kept.
    bool body_cut = false;
    // Where the first header of each id is (index + 1 in headers, 0 none),
    // filled by parse_message: find() answers without walking the list,
    // whose exit branch was mispredicted for most lookups (callgrind).
    std::uint16_t first_of[kHeaderIdCount] = {};

    // The first header with this id, or nullptr. Inline: the tracker asks
    // half a dozen times a message, and the call cost more than the lookup.
    const Header* find(HeaderId id) const {
        if (const std::uint16_t at = first_of[static_cast<std::size_t>(id)]) return &headers[at - 1];
        // the index holds the first 65535 headers: only a longer message can
        // have one it does not know
        return headers.size() <= UINT16_MAX ? nullptr : find_unindexed(id);
    }
    std::size_t count(HeaderId id) const;
    std::uint32_t offset_of(std::string_view part) const {
        return static_cast<std::uint32_t>(part.data() - bytes.data());
    }

private:
    const Header* find_unindexed(HeaderId id) const;
};

// Reads one SIP message from bytes. `out` is reset first and its header
// vector keeps its capacity, so a caller that reuses one Message does not
// allocate per message. The body is Content-Length bytes when the header is
// there, else the rest of the input (18.3: that is how UDP works).
// With `extent`, a message whose start line reads is read as far as
// extent(out) says, asked when only the start line is filled in; without
// it, whole. The tracker reads nothing after the start line of a 1xx or a
// 4xx-6xx (about a quarter of a field capture's messages), nor, with calls
// not tracked, of a request; of most requests it reads only the keys.
// With `cut_by_capture`, the bytes end where the capture stopped keeping
// them (a snapshot length), not where the message did: a body shorter than
// Content-Length is then read as far as it goes (body_cut) instead of
// making the message incomplete. A header section cut short is incomplete
// either way: any header may be the one lost.
void parse_message(std::string_view bytes, Message& out, ReadExtent (*extent)(const Message&) = nullptr,
                   bool cut_by_capture = false);

// The Message's views would point into a temporary string freed as soon as
// the call returns: such a call does not compile.
void parse_message(std::string&& bytes, Message& out, ReadExtent (*extent)(const Message&) = nullptr,
                   bool cut_by_capture = false) = delete;

}  // namespace sipresp
