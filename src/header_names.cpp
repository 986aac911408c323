// Header name recognition: one table for full and compact forms.
#include "header_names.h"

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

}  // namespace

std::string_view expand_compact_name(std::string_view name) {
    if (name.size() != 1) return name;
    const char letter = to_lower(name[0]);
    for (const CompactForm& form : kCompactForms)
        if (form.letter == letter) return form.full;
    return name;
}

HeaderId header_id(std::string_view name) {
    // Every header of every message passes through here, so dispatch on
    // length first and compare whole names only where the length fits.
    const auto is = [&name](std::string_view known) { return iequals(name, known); };
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
    case 2: return is("To") ? HeaderId::to : HeaderId::other;
    case 3: return is("Via") ? HeaderId::via : HeaderId::other;
    case 4: return is("CSeq") ? HeaderId::cseq : is("From") ? HeaderId::from : HeaderId::other;
    case 7:
        return is("Contact") ? HeaderId::contact
             : is("Expires") ? HeaderId::expires
             : is("Call-ID") ? HeaderId::call_id
                             : HeaderId::other;
    case 12:
        return is("Content-Type") ? HeaderId::content_type
             : is("Record-Route") ? HeaderId::record_route
                                  : HeaderId::other;
    case 14: return is("Content-Length") ? HeaderId::content_length : HeaderId::other;
    default: return HeaderId::other;
    }
}

}  // namespace sipresp
