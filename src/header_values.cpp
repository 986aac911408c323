// List, quote and parameter lexing shared by every header sipresp reads.
#include "header_values.h"

#include <cstring>

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


// Where the list element that starts at `i` ends: the first comma outside
// quotes and <...>. Most values hold no quotes, so the scan jumps from comma
// to comma with memchr and only looks at the angle brackets in between.
std::size_t element_end(std::string_view v, std::size_t i) {
    bool in_angle = false;
    while (i < v.size()) {
        const char* base = v.data();
        const void* comma_at = std::memchr(base + i, ',', v.size() - i);
        const std::size_t comma = comma_at ? static_cast<std::size_t>(static_cast<const char*>(comma_at) - base) : v.size();
        const void* quote_at = std::memchr(base + i, '"', comma - i);
        if (quote_at) {
            // rare: walk this stretch byte by byte, honouring the quotes
            for (std::size_t k = i; k < comma;) {
                const char c = v[k];
                if (c == '"') {
                    k = skip_quoted(v, k);
                    if (k > comma) {  // the quoted string swallowed the comma
                        i = k;
                        goto next_stretch;
                    }
                    continue;
                }
                if (c == '<') in_angle = true;
                else if (c == '>') in_angle = false;
                ++k;
            }
        } else {
            const void* lt = memrchr(base + i, '<', comma - i);
            const void* gt = memrchr(base + i, '>', comma - i);
            if (lt || gt) in_angle = lt > gt;
        }
        if (!in_angle || comma == v.size()) return comma;
        i = comma + 1;  // the comma is inside <...>
    next_stretch:;
    }
    return v.size();
}

bool ListSplitter::next(std::string_view& element, std::size_t& offset) {
    while (pos_ < value_.size()) {
        const std::size_t begin = pos_;
        const std::size_t end = element_end(value_, pos_);
        pos_ = end < value_.size() ? end + 1 : end;
        const std::string_view raw = value_.substr(begin, end - begin);
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
        const char* base = params_.data();
        // the separator ends the parameter unless a quoted value hides one
        const void* sep_at = std::memchr(base + begin, separator_, params_.size() - begin);
        std::size_t i = sep_at ? static_cast<std::size_t>(static_cast<const char*>(sep_at) - base) : params_.size();
        if (std::memchr(base + begin, '"', i - begin)) {
            i = begin;
            while (i < params_.size() && params_[i] != separator_)
                i = params_[i] == '"' ? skip_quoted(params_, i) : i + 1;
        }
        pos_ = i < params_.size() ? i + 1 : i;
        const std::string_view raw = params_.substr(begin, i - begin);
        const std::size_t equals = raw.find('=');
        if (trim_lws(raw).empty()) continue;
        if (equals == std::string_view::npos) {
            param.name = trim_lws(raw);
            param.value = {};
            param.has_value = false;
        } else {
            param.name = trim_lws(raw.substr(0, equals));
            param.value = trim_lws(raw.substr(equals + 1));
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
