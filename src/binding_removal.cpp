// What a REGISTER removes, kept as Contact text until its 200 comes.
#include "binding_removal.h"

#include <optional>

#include "chars.h"
#include "header_values.h"
#include "lifetime.h"
#include "name_addr.h"
#include "response_analysis.h"

namespace sipresp {
namespace {

// A Contact whose lifetime reads 0 s; a malformed one counts as 3600
// (20.10), one with no lifetime at all leaves it to the registrar.
bool removes(std::string_view params, const std::string_view* expires_header) {
    const Lifetime life = effective_lifetime(params, expires_header);
    return life.source != LifetimeSource::none && !life.malformed && life.seconds == 0;
}

// RFC 5626 6: a Contact carrying an instance and a reg-id names one flow of
// that instance; one parameter present in only one of two Contacts, or
// different in both, is another binding.
bool same_flow(std::string_view a, std::string_view b) {
    for (const std::string_view name : {std::string_view("+sip.instance"), std::string_view("reg-id")}) {
        Param pa, pb;
        const bool in_a = find_param(a, name, pa);
        if (in_a != find_param(b, name, pb)) return false;
        if (in_a && pa.value != pb.value) return false;
    }
    return true;
}

// Calls `each` with every Contact element of `m` in order, until it
// returns false.
template <typename Each>
void for_each_contact(const Message& m, Each each) {
    for (const Header& h : m.headers) {
        if (h.id != HeaderId::contact) continue;
        ListSplitter list(h.value);
        std::string_view element;
        std::size_t offset = 0;
        while (list.next(element, offset))
            if (!each(element)) return;
    }
}

}  // namespace

void write_removed_bindings(const Message& request, std::string& out) {
    out.clear();
    if (request.method != "REGISTER") return;
    const Header* expires = request.find(HeaderId::expires);
    const std::string_view* expires_header = expires ? &expires->value : nullptr;
    // First the removals, by their text alone: most REGISTERs have none
    std::string_view removal[kMaxRemovals];
    std::size_t removals = 0, contacts = 0;
    bool wildcard = false;
    for_each_contact(request, [&](std::string_view element) {
        ++contacts;
        if (element == "*") {
            wildcard = true;
        } else if (removals < kMaxRemovals && removes(name_addr_text(element).params, expires_header)) {
            removal[removals++] = element;
        }
        return true;
    });
    if (wildcard) {
        // 10.3 step 6: `*` stands alone, with Expires: 0; else the request is bad
        if (contacts == 1 && expires_header) {
            const DeltaSeconds d = parse_delta_seconds(*expires_header);
            if (d.valid && d.seconds == 0) out.push_back('*');  // (out is empty)
        }
        return;
    }
    if (removals == 0) return;
    NameAddr removed[kMaxRemovals];
    for (std::size_t i = 0; i < removals; ++i) read_name_addr(removal[i], removed[i]);
    bool dropped[kMaxRemovals] = {};
    if (contacts > removals) {
        // a URI the request also binds with time left is no clear removal.
        // Up to 16 removals meet up to 256 Contacts: each URI's long lists
        // are prepared once, not once a pair (bench_core removals)
        std::optional<UriComparedOften> removed_uri[kMaxRemovals];
        for (std::size_t i = 0; i < removals; ++i)
            if (removed[i].valid) removed_uri[i].emplace(removed[i].uri);
        std::size_t seen = 0;
        for_each_contact(request, [&](std::string_view element) {
            if (!removes(name_addr_text(element).params, expires_header)) {
                NameAddr bound;
                read_name_addr(element, bound);
                if (bound.valid && !bound.wildcard) {
                    const UriComparedOften bound_uri(bound.uri);
                    for (std::size_t i = 0; i < removals; ++i)
                        if (!dropped[i] && removed_uri[i] && uri_equal(*removed_uri[i], bound_uri)) dropped[i] = true;
                }
            }
            return ++seen < kMaxTargets;
        });
    }
    for (std::size_t i = 0; i < removals; ++i) {
        if (dropped[i] || !removed[i].valid) continue;
        if (!out.empty()) out += ", ";
        out += removal[i];
    }
}

bool mark_kept_removals(std::string_view removed, ResponseAnalysis& a) {
    if (removed.empty()) return false;
    const bool all = removed == "*";
    NameAddr removal[kMaxRemovals];
    std::size_t removals = 0;
    if (!all) {
        ListSplitter list(removed);
        std::string_view element;
        std::size_t offset = 0;
        while (removals < kMaxRemovals && list.next(element, offset)) read_name_addr(element, removal[removals++]);
    }
    std::optional<UriComparedOften> removal_uri[kMaxRemovals];  // as in write_removed_bindings
    for (std::size_t i = 0; i < removals; ++i)
        if (removal[i].valid) removal_uri[i].emplace(removal[i].uri);
    bool any = false;
    for (Target& t : a.targets) {
        // a binding with time left of its own (10.3 step 8 puts an expires
        // parameter on each): one listed at 0 s is gone, and one timed only
        // by the Expires header may be the REGISTER's Contact echoed with
        // the registrar's default (register-binding-without-expires says so)
        if (!t.contact.valid || t.contact.wildcard || t.lifetime.source != LifetimeSource::contact_expires ||
            t.lifetime.seconds == 0)
            continue;
        bool kept = all;
        const UriComparedOften target_uri(t.contact.uri);
        for (std::size_t i = 0; !kept && i < removals; ++i)
            kept = removal_uri[i] && uri_equal(*removal_uri[i], target_uri) &&
                   same_flow(removal[i].params, t.contact.params);
        t.removal_ignored = kept;
        any = any || kept;
    }
    return any;
}

}  // namespace sipresp
