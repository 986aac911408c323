#include "key_hash.h"

#include <chrono>
#include <cstdlib>

namespace sipresp {

namespace {

// splitmix64's finaliser: nearby inputs (two start times a microsecond
// apart) give unrelated seeds
std::uint64_t scramble(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::uint64_t choose_key_seed() {
    // The clock in nanoseconds and two addresses that address-space layout
    // randomisation moves from run to run: not a secret a determined
    // attacker could never guess, but nothing a capture made in advance
    // can know. (std::random_device may throw, which here would end tshark.)
    static const int here = 0;
    int on_stack = 0;
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::uint64_t made = scramble(static_cast<std::uint64_t>(now) ^ scramble(reinterpret_cast<std::uintptr_t>(&here)) ^
                                        (reinterpret_cast<std::uintptr_t>(&on_stack) << 17));
    return key_seed_from(std::getenv("SIPRESP_KEY_SEED"), made);
}

}  // namespace

std::uint64_t key_seed_from(const char* text, std::uint64_t otherwise) {
    if (text == nullptr || *text == '\0') return otherwise;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 0);
    return *end == '\0' ? static_cast<std::uint64_t>(value) : otherwise;
}

std::uint64_t process_key_seed = choose_key_seed();

}  // namespace sipresp
