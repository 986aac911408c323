// Character classes and case rules of the SIP grammar (RFC 3261 25.1).
#pragma once

#include <cstddef>
#include <string_view>
#include <type_traits>

#include "ascii_words.h"

namespace sipresp {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// WSP plus the CR and LF of a folded line: inside a header value a fold is
// just whitespace (7.3.1), so scanners skip all four.
constexpr bool is_lws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
struct TokenTable {
    bool table[256] = {};
    constexpr TokenTable() {
        for (int c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = true;
        for (int c = '0'; c <= '9'; ++c) table[c] = true;
        for (char c : std::string_view("-.!%*_+`'~")) table[static_cast<unsigned char>(c)] = true;
    }
};
inline constexpr TokenTable kTokenTable{};
constexpr bool is_token_char(char c) { return kTokenTable.table[static_cast<unsigned char>(c)]; }

constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

constexpr int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (!std::is_constant_evaluated()) return iequals_words(a.data(), b.data(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

constexpr std::string_view trim_lws(std::string_view s) {
    while (!s.empty() && is_lws(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_lws(s.back())) s.remove_suffix(1);
    return s;
}

constexpr bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

}  // namespace sipresp
