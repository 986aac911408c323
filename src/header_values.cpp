// List, quote and parameter lexing shared by every header sipresp reads.
#include "header_values.h"

#include "chars.h"

namespace sipresp {

std::size_t skip_quoted(std::string_view s, std::size_t pos, bool* closed) {
    // quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE (25.1)
    for (++pos; pos < s.size(); ++pos) {
        if (s[pos] == '\\') {
            ++pos;
            continue;
        }
        if (s[pos] == '"') {
            if (closed) *closed = true;
            return pos + 1;
        }
    }
    if (closed) *closed = false;
    return s.size();
}

namespace {

// Bytes that can change the meaning of a list or parameter scan; the scans
// skip every other byte with one table lookup (they run on every header of
// every message).
struct SpecialBytes {
    bool table[256] = {};
    constexpr explicit SpecialBytes(std::string_view chars) {
        for (char c : chars) table[static_cast<unsigned char>(c)] = true;
    }
    constexpr bool operator()(char c) const { return table[static_cast<unsigned char>(c)]; }
};

constexpr SpecialBytes kListSpecial("\"<>,");

std::size_t skip_plain(std::string_view s, std::size_t i, const SpecialBytes& special) {
    while (i < s.size() && !special(s[i])) ++i;
    return i;
}

}  // namespace

bool ListSplitter::next(std::string_view& element, std::size_t& offset) {
    while (pos_ < value_.size()) {
        const std::size_t begin = pos_;
        std::size_t i = pos_;
        bool in_angle = false;
        for (;;) {
            i = skip_plain(value_, i, kListSpecial);
            if (i >= value_.size()) break;
            const char c = value_[i];
            if (c == '"') {
                i = skip_quoted(value_, i);
                continue;
            }
            if (c == ',' && !in_angle) break;
            in_angle = c == '<' || (c != '>' && in_angle);
            ++i;
        }
        pos_ = i < value_.size() ? i + 1 : i;
        std::string_view raw = value_.substr(begin, i - begin);
        std::size_t lead = 0;
        while (lead < raw.size() && is_lws(raw[lead])) ++lead;
        element = trim_lws(raw);
        offset = begin + lead;
        if (!element.empty()) return true;
    }
    return false;
}

bool ParamSplitter::next(Param& param) {
    while (pos_ < params_.size()) {
        const std::size_t begin = pos_;
        std::size_t i = pos_;
        std::size_t equals = std::string_view::npos;
        while (i < params_.size() && params_[i] != separator_) {
            const char c = params_[i];
            if (c == '"') {
                i = skip_quoted(params_, i);
                continue;
            }
            if (c == '=' && equals == std::string_view::npos) equals = i;
            ++i;
        }
        pos_ = i < params_.size() ? i + 1 : i;
        const std::string_view raw = params_.substr(begin, i - begin);
        if (trim_lws(raw).empty()) continue;
        if (equals == std::string_view::npos) {
            param.name = trim_lws(raw);
            param.value = {};
            param.has_value = false;
        } else {
            param.name = trim_lws(params_.substr(begin, equals - begin));
            param.value = trim_lws(params_.substr(equals + 1, i - equals - 1));
            param.has_value = true;
        }
        param.offset = static_cast<std::size_t>(param.name.data() - params_.data());
        return true;
    }
    return false;
}

bool find_param(std::string_view params, std::string_view name, Param& found, char separator) {
    ParamSplitter splitter(params, separator);
    Param p;
    while (splitter.next(p)) {
        if (iequals(p.name, name)) {
            found = p;
            return true;
        }
    }
    return false;
}

std::size_t unquote_to(std::string_view text, char* out) {
    text = trim_lws(text);
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
        for (std::size_t i = 0; i < text.size(); ++i) out[i] = text[i];
        return text.size();
    }
    std::size_t n = 0;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\' && i + 2 < text.size()) ++i;
        out[n++] = text[i];
    }
    return n;
}

std::string unquote(std::string_view text) {
    std::string out(text.size(), '\0');
    out.resize(unquote_to(text, out.data()));
    return out;
}

}  // namespace sipresp
