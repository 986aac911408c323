// Every difference in Wireshark's plugin API between the versions sipresp
// builds against (4.0 on Debian 12, 4.4 on Debian 13, 4.6 on unstable),
// in one place. Differences are read off the headers themselves, not from
// version numbers, so a point release that backports a change still builds.
#pragma once

#include <tuple>
#include <type_traits>

#include <epan/packet.h>
#include <epan/prefs.h>
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>  // not shipped by 4.0's libwireshark-dev
#endif

namespace sipresp::plugin {

template <typename R, typename... Args>
std::tuple<Args...> arguments_of(R (*)(Args...));

// Storage of a boolean preference: gboolean up to 4.0, bool from 4.2 on.
using PrefBool = std::remove_pointer_t<
    std::tuple_element_t<4, decltype(arguments_of(&prefs_register_bool_preference))>>;

// Whether the frame has a data source of this name ("Reassembled IPv4"):
// get_data_source_tvb_by_name up to 4.4, get_data_source_by_name from 4.6
// on. Found by argument-dependent lookup at instantiation, so only the one
// the headers declare is used.
template <typename Packet>
auto data_source_named(const Packet* pinfo, const char* name, int)
    -> decltype(get_data_source_by_name(pinfo, name) != nullptr) {
    return get_data_source_by_name(pinfo, name) != nullptr;
}
template <typename Packet>
auto data_source_named(const Packet* pinfo, const char* name, long)
    -> decltype(get_data_source_tvb_by_name(const_cast<Packet*>(pinfo), name) != nullptr) {
    return get_data_source_tvb_by_name(const_cast<Packet*>(pinfo), name) != nullptr;
}
template <typename Packet>
bool has_data_source(const Packet* pinfo, const char* name) {
    return data_source_named(pinfo, name, 0);
}

}  // namespace sipresp::plugin

// From 4.2 on, a plugin may say what it provides (plugin_describe); 4.0
// has no such hook.
#if defined(WS_PLUGIN_DESC_DISSECTOR)
#define SIPRESP_HAS_PLUGIN_DESCRIBE 1
#define SIPRESP_PLUGIN_DESCRIPTION (WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)
#else
#define SIPRESP_HAS_PLUGIN_DESCRIBE 0
#endif
