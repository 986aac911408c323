// The title of a response's analysis: the one line a collapsed tree shows,
// so it carries what a reader scanning a call wants first.
#pragma once

#include <cstdint>
#include <string_view>

#include "response_analysis.h"
#include "text_buffer.h"
#include "transaction.h"

namespace sipresp {

// "302 Moved Temporarily, 2 targets", "200 OK to REGISTER, 2 bindings",
// "200 OK to BYE". A 2xx names the method it answers, since a 200 means
// something else for each (21.2.1), and calls its Contacts what they are
// for that method. A count of zero is left out unless a Contact was due:
// a redirect's targets (21.3), a registrar's bindings (10.3 step 8), a
// dialog's remote target (12.1.1).
inline void write_response_title(const ResponseAnalysis& a, TextBuffer& text) {
    const std::uint64_t contacts = a.targets.size() + a.targets_omitted;
    text << static_cast<std::uint64_t>(static_cast<unsigned>(a.status.code)) << " " << a.status.name;
    std::string_view one = "Contact", many = "Contacts", none = {};
    if (a.is_redirect()) {
        one = "target", many = "targets", none = "no targets";
    } else if (a.cseq.valid) {
        text << " to " << a.cseq.method;
        if (a.cseq.method == "REGISTER")
            one = "binding", many = "bindings", none = "no bindings";
        else if (creates_dialog(a.cseq.method))
            none = "no Contact";
    }
    if (contacts > 0)
        text << ", " << contacts << " " << (contacts == 1 ? one : many);
    else if (!none.empty())
        text << ", " << none;
}

}  // namespace sipresp
