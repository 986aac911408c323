// A hash table from 64-bit digests to small values, for the capture
// tracker's indexes. Open addressing with linear probing in one flat array:
// no allocation per entry and 12 bytes a slot (4-byte values), where a node-based
// std::unordered_map costs a heap node (about 48 bytes) per entry.
// Grown in steps of 1.5x and 1.33x in turn (sizes 2^k and 1.5 * 2^k), not by
// doubling: a table that had just doubled sat half empty, which at 3 million
// messages left the transaction table at 56% (25 MB where 19 MB do). Growing
// by a quarter kept them fuller still but its rehashing cost 200
// instructions a frame; these steps move each entry about twice, not once.
#pragma once

#include <cstdint>
#include <vector>

namespace sipresp {

template <typename Value>
class DigestMap {
public:
    // The value for `key`, or nullptr.
    const Value* find(std::uint64_t key) const {
        if (slots_.empty()) return nullptr;
        key = stored(key);
        for (std::size_t i = slot(key);; i = next(i)) {
            if (slots_[i].key == key) return &slots_[i].value;
            if (slots_[i].key == kEmpty) return nullptr;
        }
    }
    Value* find(std::uint64_t key) {
        return const_cast<Value*>(static_cast<const DigestMap*>(this)->find(key));
    }

    // Starts loading the slot `key` would be looked up in, so that several
    // lookups made one after another wait for memory together.
    void prefetch(std::uint64_t key) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[slot(stored(key))]);
    }

    // The value for `key`, inserted as Value{} when absent.
    Value& operator[](std::uint64_t key) {
        if ((size_ + 1) * kMaxLoadDen > slots_.size() * kMaxLoadNum) grow();
        key = stored(key);
        std::size_t i = slot(key);
        while (slots_[i].key != kEmpty && slots_[i].key != key) i = next(i);
        if (slots_[i].key == kEmpty) {
            slots_[i].key = key;
            slots_[i].value = Value{};
            ++size_;
        }
        return slots_[i].value;
    }

    std::size_t size() const { return size_; }
    std::size_t slots() const { return slots_.size(); }
    std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

    // Full at 75%: the tables are most of what sipresp keeps for a file, and
    // growing by 1.5x leaves one at 50% at worst. At 80% a lookup of a key
    // not there (every new request's) probed 13 slots on average, against
    // 8.5 at 75%: 26 instructions a message more in the core bench, where
    // the two limits gave the same memory at 1M and 3M messages
    // (0.6 MB more at 200k).
    static constexpr std::size_t kMaxLoadNum = 3, kMaxLoadDen = 4;

private:
    // A key and its value side by side, packed: a lookup on a big table
    // misses the cache once, where two arrays (keys, values) missed twice
    // for every hit, and each miss also evicts some of Wireshark's own data.
#pragma pack(push, 4)
    struct Slot {
        std::uint64_t key;
        Value value;
    };
#pragma pack(pop)
    static constexpr std::uint64_t kEmpty = 0;
    // 0 marks an empty slot; the one digest that is 0 shares a slot with 1
    // (odds 2^-64 per key)
    static std::uint64_t stored(std::uint64_t key) { return key == kEmpty ? 1 : key; }
    // The key's top 32 bits, scaled to the table's size (any size, not only
    // a power of two); the multiply first spreads keys that differ only in
    // low bits. Tables stay far below 2^32 slots.
    std::size_t slot(std::uint64_t key) const {
        const std::uint64_t mixed = (key ^ (key >> 32)) * 0x9e3779b97f4a7c15ull;
        return static_cast<std::size_t>(((mixed >> 32) * slots_.size()) >> 32);
    }
    std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
    // 16, 24, 32, 48, 64, ...: a power of two grows by half, 1.5 * 2^k to 2^(k+1)
    static std::size_t grown(std::size_t size) {
        if (size == 0) return 16;
        return (size & (size - 1)) == 0 ? size + size / 2 : size / 3 * 4;
    }

    void grow() {
        std::vector<Slot> old(grown(slots_.size()), Slot{kEmpty, Value{}});
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.key == kEmpty) continue;
            std::size_t i = slot(s.key);
            while (slots_[i].key != kEmpty) i = next(i);
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace sipresp
