// Lexing inside header values: comma-separated lists, quoted strings and
// ;name=value parameters (RFC 3261 7.3.1, 25.1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sipresp {

// Index just past the quoted-string that starts at s[pos] (which is '"'),
// honouring quoted-pair escapes; s.size() when the quote never closes.
std::size_t skip_quoted(std::string_view s, std::size_t pos, bool* closed = nullptr);

// Splits a header value at the commas that separate list elements. A comma
// inside a quoted string or inside <...> belongs to the element.
class ListSplitter {
public:
    explicit ListSplitter(std::string_view value) : value_(value) {}
    // The next element with surrounding whitespace trimmed, and its offset in
    // the value. Empty elements (",,") are skipped, as 7.3.1 allows.
    bool next(std::string_view& element, std::size_t& offset);

private:
    std::string_view value_;
    std::size_t pos_ = 0;
};

struct Param {
    std::string_view name;   // trimmed, case as written
    std::string_view value;  // trimmed, quotes kept; empty when has_value is false
    bool has_value = false;
    std::size_t offset = 0;  // of the name, in the string given to ParamSplitter
};

// Iterates ";name[=value]" parameters. Give it the text after the first ';'
// (or a whole URI parameter section); separators inside quotes are skipped.
class ParamSplitter {
public:
    explicit ParamSplitter(std::string_view params, char separator = ';')
        : params_(params), separator_(separator) {}
    bool next(Param& param);

private:
    std::string_view params_;
    std::size_t pos_ = 0;
    char separator_;
};

// Finds a parameter by case-insensitive name (parameter names are
// case-insensitive, 7.3.1). Returns false when absent.
bool find_param(std::string_view params, std::string_view name, Param& found, char separator = ';');

// The content of a quoted-string with quoted-pairs resolved; other text is
// returned trimmed and unchanged.
std::string unquote(std::string_view text);

// The same into a caller's buffer of at least text.size() bytes; returns the
// length written. Allocates nothing (the plugin calls it between Wireshark
// calls that may longjmp).
std::size_t unquote_to(std::string_view text, char* out);

}  // namespace sipresp
