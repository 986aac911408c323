// Header name recognition: one table for full and compact forms.
#include "header_names.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "chars.h"

namespace sipresp {
namespace {

struct CompactForm {
    char letter;
    std::string_view full;
};

// IANA "Header Fields" registry, compact column.
constexpr CompactForm kCompactForms[] = {
    {'a', "Accept-Contact"}, {'b', "Referred-By"},   {'c', "Content-Type"},
    {'d', "Request-Disposition"}, {'e', "Content-Encoding"}, {'f', "From"},
    {'i', "Call-ID"},        {'j', "Reject-Contact"}, {'k', "Supported"},
    {'l', "Content-Length"}, {'m', "Contact"},        {'o', "Event"},
    {'r', "Refer-To"},       {'s', "Subject"},        {'t', "To"},
    {'u', "Allow-Events"},   {'v', "Via"},            {'x', "Session-Expires"},
    {'y', "Identity"},
};

// Up to 8 bytes of a name as one number, lower-cased by setting bit 5 of
// each byte, so a name is matched with one comparison instead of a loop.
// Setting bit 5 lower-cases letters and leaves digits and '-' alone; the
// only other byte it maps onto one of those is CR (onto '-'), which callers
// rule out where a name holds a '-'. Bytes past the name are zero.
template <std::size_t N>
std::uint64_t folded_word(const char* p) {
    static_assert(N <= 8);
    constexpr std::array<unsigned char, 8> kBit5 = [] {
        std::array<unsigned char, 8> a{};
        for (std::size_t i = 0; i < N; ++i) a[i] = 0x20;
        return a;
    }();
    std::uint64_t v = 0;
    std::memcpy(&v, p, N);
    return v | std::bit_cast<std::uint64_t>(kBit5);
}

// The same number for a known lower-case name, at compile time.
consteval std::uint64_t word(std::string_view lower) {
    std::array<char, 8> a{};
    for (std::size_t i = 0; i < lower.size() && i < 8; ++i) a[i] = lower[i];
    return std::bit_cast<std::uint64_t>(a);
}

}  // namespace

std::string_view expand_compact_name(std::string_view name) {
    if (name.size() != 1) return name;
    const char letter = to_lower(name[0]);
    for (const CompactForm& form : kCompactForms)
        if (form.letter == letter) return form.full;
    return name;
}

HeaderId header_id(std::string_view name) {
    // Every header of every message passes through here: dispatch on the
    // length, then compare whole names as numbers (folded_word).
    const char* p = name.data();
    switch (name.size()) {
    case 1:
        switch (to_lower(name[0])) {
        case 'v': return HeaderId::via;
        case 'm': return HeaderId::contact;
        case 'i': return HeaderId::call_id;
        case 'f': return HeaderId::from;
        case 't': return HeaderId::to;
        case 'l': return HeaderId::content_length;
        case 'c': return HeaderId::content_type;
        default: return HeaderId::other;
        }
    case 2: return folded_word<2>(p) == word("to") ? HeaderId::to : HeaderId::other;
    case 3: return folded_word<3>(p) == word("via") ? HeaderId::via : HeaderId::other;
    case 4: {
        const std::uint64_t w = folded_word<4>(p);
        return w == word("cseq") ? HeaderId::cseq : w == word("from") ? HeaderId::from : HeaderId::other;
    }
    case 7: {
        const std::uint64_t w = folded_word<7>(p);
        return w == word("contact") ? HeaderId::contact
             : w == word("expires") ? HeaderId::expires
             : w == word("call-id") && p[4] == '-' ? HeaderId::call_id
                                                   : HeaderId::other;
    }
    case 12: {
        // bytes 0-7 and 4-11
        const std::uint64_t head = folded_word<8>(p), tail = folded_word<8>(p + 4);
        if (head == word("content-") && tail == word("ent-type") && p[7] == '-')
            return HeaderId::content_type;
        if (head == word("record-r") && tail == word("rd-route") && p[6] == '-') return HeaderId::record_route;
        return HeaderId::other;
    }
    case 14: {
        // bytes 0-7 and 6-13
        const bool match = folded_word<8>(p) == word("content-") && folded_word<8>(p + 6) == word("t-length") &&
                           p[7] == '-';
        return match ? HeaderId::content_length : HeaderId::other;
    }
    default: return HeaderId::other;
    }
}

}  // namespace sipresp
