// libFuzzer target for URI equality (RFC 3261 19.1.4): two URIs, split at
// the input's first '|', must get one answer however they are compared.
// uri_equal searches short parameter and header lists name by name, while
// prepare_uri sorts them once for many comparisons (the Contacts of one
// response, long lists): the two readings must agree on every pair, and a
// Request-URI prepared once for many targets (UriComparedOften) must name
// the ones it names alone. Equality must not depend on which URI comes
// first (duplicate-target takes Contacts in header order). The call tracker finds a target only among
// those sharing the request's uri_equality_digest, so a Request-URI that
// names a target (or equals it) must have the target's digest, else a
// followed redirect goes unseen.
// A difference is a crash (__builtin_trap), named in the log.
//   build-fuzz/sipresp_fuzz_uri -max_total_time=600 -max_len=512 CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stale_build.h"
#include "uri.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sipresp::fuzz::exit_if_stale("sipresp_fuzz_uri", SIPRESP_FUZZ_SOURCE_DIR);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t bar = input.find('|');
    if (bar == std::string_view::npos) return 0;
    const sipresp::Uri a = sipresp::parse_uri(input.substr(0, bar));
    const sipresp::Uri b = sipresp::parse_uri(input.substr(bar + 1));
    sipresp::PreparedUri pa, pb;
    sipresp::prepare_uri(a, pa);
    sipresp::prepare_uri(b, pb);
    const bool equal = sipresp::uri_equal(a, b);
    if (sipresp::prepared_uri_equal(pa, pb) != equal) __builtin_trap();
    if (sipresp::uri_equal(b, a) != equal || sipresp::prepared_uri_equal(pb, pa) != equal) __builtin_trap();
    const bool same_digest = sipresp::uri_equality_digest(a) == sipresp::uri_equality_digest(b);
    if (equal && !same_digest) __builtin_trap();
    const bool names = sipresp::request_uri_names_target(a, b);
    if (names && !same_digest) __builtin_trap();
    // a Request-URI prepared once for many targets answers as it does alone,
    // on its first comparison and on a later one
    const sipresp::UriComparedOften often(a);
    if (sipresp::request_uri_names_target(often, b) != names) __builtin_trap();
    if (sipresp::request_uri_names_target(often, a) != sipresp::request_uri_names_target(a, a)) __builtin_trap();
    return 0;
}
