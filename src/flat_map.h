// A hash table from 64-bit digests to small values, for the capture
// tracker's indexes. Open addressing with linear probing in one flat array:
// no allocation per entry and 12 bytes a slot (4-byte values), where a node-based
// std::unordered_map costs a heap node (about 48 bytes) per entry. Keys are
// already well-mixed digests (KeyHash), so they index the table directly.
// Grown by doubling: growing by a quarter kept them fuller (1.9 MB less on
// a million messages) but its rehashing cost 200 instructions a frame.
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
        for (std::size_t i = slot(key);; i = (i + 1) & mask()) {
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
        while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask();
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

    // Full at 80%: the tables are most of what sipresp keeps for a file, and
    // at 70% a doubling that came just too early left one at 35%. Linear
    // probing still ends a miss within a few probes on average at 80% (the
    // eight keys of a cache line are read together).
    static constexpr std::size_t kMaxLoadNum = 4, kMaxLoadDen = 5;

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
    std::size_t mask() const { return slots_.size() - 1; }
    std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>(key ^ (key >> 32)) & mask(); }

    void grow() {
        std::vector<Slot> old(slots_.empty() ? 16 : slots_.size() * 2, Slot{kEmpty, Value{}});
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.key == kEmpty) continue;
            std::size_t i = slot(s.key);
            while (slots_[i].key != kEmpty) i = (i + 1) & mask();
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace sipresp
