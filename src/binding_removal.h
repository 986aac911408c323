// Bindings a REGISTER removes, and a registrar's 2xx that still lists one
// (RFC 3261 10.2.2, 10.3 steps 6-8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "message.h"

namespace sipresp {

struct ResponseAnalysis;

// At most this many removed Contacts of one REGISTER are kept and compared.
constexpr std::size_t kMaxRemovals = 16;

// Writes into `out` the Contacts a REGISTER removes, those whose lifetime
// reads 0 s (their expires parameter, else the Expires header: 10.2.1.1),
// as a Contact header value ("<sip:a@h>;expires=0, ..."); "*" for
// `Contact: *` alone with Expires: 0 (10.2.2). A URI the same request also
// binds with time left is left out: which of the two a registrar applies
// is not written down. `out` is emptied when nothing is removed, and for
// any method but REGISTER.
void write_removed_bindings(const Message& request, std::string& out);

// For a 200 to REGISTER: marks each binding listed with time left in its
// own expires parameter (10.3 step 8) that `removed` (what
// write_removed_bindings wrote for its REGISTER) names, and returns whether
// any is. A registrar drops a removed binding or fails the request (10.3
// steps 6-7), so a 200 listing one kept what it was told to drop. URIs
// compare per 19.1.4; a Contact with an outbound flow's +sip.instance or
// reg-id (RFC 5626 6) names only that flow.
bool mark_kept_removals(std::string_view removed, ResponseAnalysis& a);

}  // namespace sipresp
