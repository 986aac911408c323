// A text from a SIP message as Wireshark is given it, as a field's value or
// a printf argument: NUL-terminated, in packet scope, valid UTF-8 with
// control characters escaped (src/wire_text.h says why). Most texts are
// plain already and only copied.
#pragma once

#include <string_view>

#include <epan/wmem_scopes.h>

#include "text_buffer.h"
#include "wire_text.h"

namespace sipresp::plugin {

inline const char* wire_string(wmem_allocator_t* pool, std::string_view v) {
    if (is_plain_text(v)) return wmem_strndup(pool, v.data(), v.size());
    const std::size_t size = v.size() * kMostPerByte + 1;
    char* out = static_cast<char*>(wmem_alloc(pool, size));
    TextBuffer text(out, size);
    text << wire(v);
    return out;
}

}  // namespace sipresp::plugin
