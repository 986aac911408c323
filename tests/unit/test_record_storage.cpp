// The tracker's storage: ChunkedVector (records that never move) and
// DigestMap (open addressing on 64-bit digests, at most 75% full) and
// TextStore (kept strings behind 4-byte references).
#include "catch.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chunked_vector.h"
#include "flat_map.h"
#include "recent_copies.h"
#include "recent_texts.h"
#include "seen_filter.h"
#include "tcp_streams.h"
#include "text_store.h"

using namespace sipresp;

TEST_CASE("ChunkedVector keeps every element in place across chunks", "[storage]") {
    struct Record {
        std::uint64_t key = 7;
        std::uint32_t value = 0;
    };
    ChunkedVector<Record> v;
    CHECK(v.empty());
    CHECK(v.bytes() == 0);
    const std::size_t n = 3 * ChunkedVector<Record>::kPerChunk + 5;  // a partly used fourth chunk
    v.push_back(Record{100, 0});
    const Record* first = &v[0];
    for (std::size_t i = 1; i < n; ++i) v.push_back(Record{100 + i, static_cast<std::uint32_t>(i)});
    REQUIRE(v.size() == n);
    CHECK(&v[0] == first);  // growing moved nothing
    bool all = true;
    for (std::size_t i = 0; i < n; ++i) all = all && v[i].key == 100 + i && v[i].value == i;
    CHECK(all);
    CHECK(v.back().key == 100 + n - 1);
    // four chunks of at most 64 KiB, none more
    CHECK(v.bytes() >= n * sizeof(Record));
    CHECK(v.bytes() <= 4 * 64 * 1024 + 256);
    v.clear();
    CHECK(v.empty());
    CHECK(v.bytes() == 0);
}

TEST_CASE("ChunkedVector inserts in the middle, across a chunk boundary", "[storage]") {
    ChunkedVector<std::uint32_t> v;
    const std::size_t per = ChunkedVector<std::uint32_t>::kPerChunk;
    for (std::uint32_t i = 0; i < per; ++i) v.push_back(2 * i);  // one full chunk: 0, 2, 4, ...
    v.insert(1, 1);  // the last element moves into a new chunk
    REQUIRE(v.size() == per + 1);
    CHECK(v[0] == 0);
    CHECK(v[1] == 1);
    CHECK(v[2] == 2);
    CHECK(v[per] == 2 * (per - 1));
    v.insert(v.size(), 99999);  // at the end: an append
    CHECK(v.back() == 99999);
}

TEST_CASE("DigestMap finds what was put, not what was not, across growth", "[storage]") {
    DigestMap<std::uint32_t> map;
    CHECK(map.find(42) == nullptr);
    std::unordered_map<std::uint64_t, std::uint32_t> model;
    // keys that share their low bits (one table slot) as well as spread ones
    for (std::uint32_t i = 1; i <= 20000; ++i) {
        const std::uint64_t key = (i % 3 == 0) ? (std::uint64_t{i} << 40) : std::uint64_t{i} * 0x9e3779b97f4a7c15ull;
        map[key] = i;
        model[key] = i;
    }
    REQUIRE(map.size() == model.size());
    bool all = true;
    for (const auto& [key, value] : model) {
        const auto* found = map.find(key);
        all = all && found != nullptr && *found == value;
    }
    CHECK(all);
    CHECK(map.find(12345) == nullptr);
    CHECK(map.find(std::uint64_t{20001} << 40) == nullptr);
    // get: the value, or 0 (Value{}) for a key not there
    CHECK(map.get(std::uint64_t{3} << 40) == 3);
    CHECK(map.get(12345) == 0);
    // operator[] on a present key returns it, not a new entry
    const std::uint64_t some = std::uint64_t{3} << 40;
    CHECK(map[some] == 3);
    CHECK(map.size() == model.size());
    // at most 75% full, and not below 50% (75% / 1.5) after growing
    CHECK(map.size() * 4 <= map.slots() * 3);
    CHECK(map.size() * 2 >= map.slots());
}

TEST_CASE("DigestMap forgets an erased key and still finds every other, runs and wrap-around included", "[storage]") {
    // A small table nearly full (24 slots, 18 keys): long runs, some
    // wrapping past the last slot. Every erase is checked against a model,
    // looking up every key each time.
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        DigestMap<std::uint32_t> map;
        std::unordered_map<std::uint64_t, std::uint32_t> model;
        std::uint64_t x = seed;
        const auto random = [&x] {
            x += 0x9e3779b97f4a7c15ull;
            std::uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            return z ^ (z >> 31);
        };
        for (std::uint32_t i = 1; i <= 18; ++i) {
            const std::uint64_t key = random();
            map[key] = i;
            model[key] = i;
        }
        REQUIRE(map.slots() == 24);
        std::vector<std::uint64_t> keys;
        for (const auto& [key, value] : model) keys.push_back(key);
        bool all = true;
        for (std::size_t k = 0; k < keys.size(); k += 1 + (k % 2)) {
            map.erase(keys[k]);
            model.erase(keys[k]);
            all = all && map.find(keys[k]) == nullptr && map.size() == model.size();
            for (const auto& [key, value] : model) all = all && map.get(key) == value;
        }
        map.erase(random());  // a key never put: nothing changes
        all = all && map.size() == model.size();
        // the freed slots take new keys
        for (std::uint32_t i = 100; i < 105; ++i) map[random()] = i;
        all = all && map.size() == model.size() + 5 && map.slots() == 24;
        CHECK(all);
    }
}

TEST_CASE("DigestMap grows in steps of 1.5x and 1.33x, not by doubling", "[storage]") {
    // 1,000 entries need 1,334 slots at 75%; of the sizes 16, 24, 32, 48,
    // ..., 1024, 1536, 2048 the first that holds them is 1,536 (doubling
    // would have given 2,048: the table half empty)
    DigestMap<std::uint32_t> map;
    for (std::uint64_t i = 1; i <= 1000; ++i) map[i * 0x9e3779b97f4a7c15ull] = 1;
    CHECK(map.slots() == 1536);
    // 1,153 is one more than 1,536 slots hold at 75%: the next size, 2,048
    for (std::uint64_t i = 1001; i <= 1152; ++i) map[i * 0x9e3779b97f4a7c15ull] = 1;
    CHECK(map.slots() == 1536);
    map[1153 * 0x9e3779b97f4a7c15ull] = 1;
    CHECK(map.slots() == 2048);
    bool all = true;
    for (std::uint64_t i = 1; i <= 1153; ++i) all = all && map.find(i * 0x9e3779b97f4a7c15ull) != nullptr;
    CHECK(all);
}

TEST_CASE("DigestMap keeps a 4-byte value and 48 bits of its digest in 10 bytes a slot", "[storage]") {
    DigestMap<std::uint32_t> map;
    for (std::uint64_t i = 1; i <= 100; ++i) map[i * 0x9e3779b97f4a7c15ull] = static_cast<std::uint32_t>(i);
    CHECK(map.bytes() == map.slots() * 10);
    // digests that differ only in their top 16 bits (the ones folded into
    // the 48 kept) are still told apart
    const std::uint64_t low = 0x0000123456789abcull;
    map[low] = 1;
    map[low | (std::uint64_t{0x8001} << 48)] = 2;
    map[low | (std::uint64_t{0x0001} << 48)] = 3;
    REQUIRE(map.find(low) != nullptr);
    CHECK(*map.find(low) == 1);
    CHECK(*map.find(low | (std::uint64_t{0x8001} << 48)) == 2);
    CHECK(*map.find(low | (std::uint64_t{0x0001} << 48)) == 3);
    CHECK(map.find(low | (std::uint64_t{0x0002} << 48)) == nullptr);
    // a digest whose low 32 bits are 0 (the empty slot's mark) is kept too
    const std::uint64_t high_only = std::uint64_t{0x1234} << 32;
    map[high_only] = 4;
    REQUIRE(map.find(high_only) != nullptr);
    CHECK(*map.find(high_only) == 4);
    CHECK(map.find(std::uint64_t{0x1235} << 32) == nullptr);
}

TEST_CASE("DigestMap stores the digest 0 apart from the empty mark", "[storage]") {
    DigestMap<std::uint8_t> map;
    map[0] = 5;
    REQUIRE(map.find(0) != nullptr);
    CHECK(*map.find(0) == 5);
    CHECK(map.size() == 1);
    CHECK(map.find(2) == nullptr);
}

TEST_CASE("TextStore gives back every text it kept, across chunks and past a chunk's size", "[storage]") {
    TextStore store;
    CHECK(store.add("") == 0);
    CHECK(store.get(0).empty());
    std::vector<std::pair<TextStore::Ref, std::string>> kept;
    // lengths around the one-byte length limit (127/128), and enough texts
    // to fill several 64 KiB chunks
    for (std::size_t i = 0; i < 3000; ++i) {
        const std::string text = "sip:" + std::string(100 + i % 60, static_cast<char>('a' + i % 26)) + "@" +
                                 std::to_string(i);
        kept.emplace_back(store.add(text), text);
    }
    const std::string huge(3 * TextStore::kChunkBytes + 17, 'h');  // longer than a chunk
    kept.emplace_back(store.add(huge), huge);
    kept.emplace_back(store.add("sip:after@example.com"), "sip:after@example.com");
    bool all = true, none_zero = true;
    for (const auto& [ref, text] : kept) {
        all = all && store.get(ref) == text;
        none_zero = none_zero && ref != 0;
    }
    CHECK(all);
    CHECK(none_zero);
    // 3000 texts of 110-170 bytes (about 420 KB: 7 chunks), the huge one in
    // a chunk of its own, and one chunk begun after it
    CHECK(store.bytes() >= 8 * TextStore::kChunkBytes + huge.size());
    CHECK(store.bytes() <= 10 * TextStore::kChunkBytes + huge.size() + 4096);
}

TEST_CASE("RecentTexts finds a text kept lately, and only that text", "[storage]") {
    TextStore store;
    RecentTexts recent;
    CHECK(recent.find(1, "sip:a@example.com", store) == 0);  // empty
    const TextStore::Ref a = store.add("sip:a@example.com");
    recent.remember(0x1234, a);
    CHECK(recent.find(0x1234, "sip:a@example.com", store) == a);
    // the same digest with another text (a collision) is not it
    CHECK(recent.find(0x1234, "sip:b@example.com", store) == 0);
    // thousands of texts later (the cache grew meanwhile), still there
    struct Kept {
        std::uint64_t digest;
        TextStore::Ref ref;
        std::string text;
    };
    std::vector<Kept> many;
    for (std::uint64_t i = 0; i < 20000; ++i) {
        const std::uint64_t digest = (i + 1) * 0x9e3779b97f4a7c15ull;
        // keep a's entry: skip digests that share its slot at the smallest
        // size (1024 entries), hence at every size
        if ((digest & 0x3ff) == (0x1234 & 0x3ff)) continue;
        const std::string text = "sip:u" + std::to_string(i) + "@example.com";
        const TextStore::Ref ref = store.add(text);
        recent.remember(digest, ref);
        many.push_back({digest, ref, text});
    }
    CHECK(recent.find(0x1234, "sip:a@example.com", store) == a);
    std::size_t found = 0;
    for (const Kept& k : many) found += recent.find(k.digest, k.text, store) == k.ref;
    // direct-mapped, 32768 or more entries by now: most of the 20000 are found
    CHECK(found > many.size() * 3 / 4);
    CHECK(recent.bytes() <= RecentTexts::kMaxEntries * 12 + 64);
    // an entry whose slot another digest took is gone, not wrong
    recent.remember(0x1234 + 0x10000 * 7, store.add("sip:c@example.com"));
    CHECK(recent.find(0x1234, "sip:a@example.com", store) == 0);
}

TEST_CASE("SeenFilter never forgets a key and rarely claims one it was not given", "[storage]") {
    SeenFilter seen;
    CHECK_FALSE(seen.may_contain(42));
    CHECK(seen.bytes() == 0);  // nothing held before the first key
    for (std::uint64_t i = 1; i <= 100000; ++i) seen.add(i * 0x9e3779b97f4a7c15ull);
    bool all = true;
    for (std::uint64_t i = 1; i <= 100000; ++i) all = all && seen.may_contain(i * 0x9e3779b97f4a7c15ull);
    CHECK(all);
    // 100k keys in 2^21 bits, two bits each: about 0.8% wrong "maybe"
    std::size_t wrong = 0;
    for (std::uint64_t i = 200001; i <= 300000; ++i) wrong += seen.may_contain(i * 0xc2b2ae3d27d4eb4full);
    CHECK(wrong < 2000);
    CHECK(seen.bytes() == SeenFilter::kBits / 8);
}

TEST_CASE("RecentCopies remembers the last copy of recent responses only", "[storage]") {
    RecentCopies copies;
    RecentCopies::Copy last;
    CHECK_FALSE(copies.last_seen(1, last));
    copies.seen(1, {10, 1000, std::nullopt});
    REQUIRE(copies.last_seen(1, last));
    CHECK(last.time_ns == 1000);
    CHECK(last.frame == 10);
    CHECK_FALSE(last.tcp_seq.has_value());
    copies.seen(1, {12, 2000, 0u});  // a later copy replaces the time, frame and sequence number
    REQUIRE(copies.last_seen(1, last));
    CHECK(last.time_ns == 2000);
    CHECK(last.frame == 12);
    CHECK(last.tcp_seq == std::optional<std::uint32_t>(0u));  // 0 is a number like any other
    copies.seen(1, {13, 2500, 0xffffffffu});
    REQUIRE(copies.last_seen(1, last));
    CHECK(last.tcp_seq == std::optional<std::uint32_t>(0xffffffffu));
    // kEntries newer responses later, response 1 is forgotten, not mistaken
    for (std::uint32_t r = 2; r <= RecentCopies::kEntries + 1; ++r) copies.seen(r, {r + 100, 3000, std::nullopt});
    CHECK_FALSE(copies.last_seen(1, last));
    REQUIRE(copies.last_seen(RecentCopies::kEntries + 1, last));
    CHECK(last.time_ns == 3000);
    CHECK(last.frame == RecentCopies::kEntries + 101);
    CHECK_FALSE(last.tcp_seq.has_value());
}

TEST_CASE("TcpStreams knows the connections SIP was seen on, either way round, and the places already given",
          "[storage]") {
    TcpStreams streams;
    CHECK_FALSE(streams.any());
    CHECK_FALSE(streams.known(1, 2));
    streams.carries_sip(1, 2);
    CHECK(streams.any());
    CHECK(streams.known(1, 2));
    CHECK(streams.known(2, 1));  // the other direction of one connection
    CHECK_FALSE(streams.known(1, 3));
    CHECK(streams.first_sight(1, 2, 1000));
    CHECK_FALSE(streams.first_sight(1, 2, 1000));  // given already: TCP's resend
    CHECK(streams.first_sight(2, 1, 1000));        // the same number the other way is another stream
    CHECK(streams.first_sight(1, 2, 1001));
    CHECK(streams.first_sight(1, 3, 1000));
    // places of one stream are never taken for each other, however many
    std::size_t seen_again = 0;
    for (std::uint32_t seq = 0; seq < 4 * TcpStreams::kPlaces; ++seq) seen_again += !streams.first_sight(7, 8, seq);
    CHECK(seen_again == 0);
    CHECK(streams.bytes() >= TcpStreams::kPlaces * sizeof(std::uint64_t));
}
