// List, quote and parameter lexing shared by every header sipresp reads.
#include "header_values.h"

#include "ascii_words.h"
#include "byte_scan.h"
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

// Where the list element that starts at `i` ends: the first comma outside
// quotes and <...>. One scan visits only the bytes that can change that.
std::size_t element_end(std::string_view v, std::size_t i) {
    bool in_angle = false;
    for (;;) {
        i = find_first_of_bytes(v, i, ',', '"', '<', '>');
        if (i == v.size()) return i;
        switch (v[i]) {
        case ',':
            if (!in_angle) return i;
            ++i;  // a comma inside <...> is part of the URI
            break;
        case '"': i = skip_quoted(v, i); break;
        case '<': in_angle = true; ++i; break;
        default: in_angle = false; ++i; break;  // '>'
        }
    }
}

// Where the parameter that starts at `from` ends: the next separator
// outside a quoted value, or params.size().
std::size_t parameter_end(std::string_view params, std::size_t from, char separator) {
    for (;;) {
        from = find_first_of_bytes(params, from, separator, '"');
        if (from == params.size() || params[from] != '"') return from;
        from = skip_quoted(params, from);
    }
}

}  // namespace

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
        const std::size_t end = parameter_end(params_, begin, separator_);
        pos_ = end < params_.size() ? end + 1 : end;
        const std::string_view raw = params_.substr(begin, end - begin);
        const std::size_t equals = find_first_of_bytes(raw, 0, '=');
        if (equals == raw.size()) {
            param.name = trim_lws(raw);
            if (param.name.empty()) continue;  // ";;" or trailing ";"
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
    // The wanted parameter first and written name=value, as tags and
    // branches nearly always are: its value runs to the next separator,
    // unless a quote or whitespace needs the general reading below.
    if (params.size() > name.size() && params[name.size()] == '=' &&
        iequals_words(params.data(), name.data(), name.size())) {
        const std::size_t begin = name.size() + 1;
        const std::size_t end = find_first_of_bytes(params, begin, separator, '"');
        const std::string_view value = params.substr(begin, end - begin);
        if ((end == params.size() || params[end] == separator) &&
            (value.empty() || (!is_lws(value.front()) && !is_lws(value.back())))) {
            found.name = params.substr(0, name.size());
            found.has_value = true;
            found.value = value;
            found.offset = 0;
            return true;
        }
    }
    // Otherwise one pass from separator to separator, looking only at where
    // each name starts; the value is cut out for the parameter that matches.
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = parameter_end(params, start, separator);
        const std::string_view raw = params.substr(start, end - start);
        std::size_t b = 0;
        while (b < raw.size() && is_lws(raw[b])) ++b;
        if (raw.size() - b >= name.size() && iequals(raw.substr(b, name.size()), name)) {
            std::size_t k = b + name.size();
            while (k < raw.size() && is_lws(raw[k])) ++k;
            // not a longer name, and not an empty entry (";;": ParamSplitter
            // lists none there, so an empty name is found only as "=v")
            if (k == raw.size() ? !name.empty() : raw[k] == '=') {
                found.name = raw.substr(b, name.size());
                found.has_value = k < raw.size();
                found.value = found.has_value ? trim_lws(raw.substr(k + 1)) : std::string_view{};
                found.offset = start + b;
                return true;
            }
        }
        if (end == params.size()) return false;
        start = end + 1;
    }
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
