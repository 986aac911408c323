// A hash table from 64-bit digests to small values, for the capture
// tracker's indexes. Open addressing with linear probing in two flat arrays:
// no allocation per entry and 12-16 bytes per slot, where a node-based
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
        if (keys_.empty()) return nullptr;
        key = stored(key);
        for (std::size_t i = slot(key);; i = (i + 1) & mask()) {
            if (keys_[i] == key) return &values_[i];
            if (keys_[i] == kEmpty) return nullptr;
        }
    }
    Value* find(std::uint64_t key) {
        return const_cast<Value*>(static_cast<const DigestMap*>(this)->find(key));
    }

    // The value for `key`, inserted as Value{} when absent.
    Value& operator[](std::uint64_t key) {
        if ((size_ + 1) * kMaxLoadDen > keys_.size() * kMaxLoadNum) grow();
        key = stored(key);
        std::size_t i = slot(key);
        while (keys_[i] != kEmpty && keys_[i] != key) i = (i + 1) & mask();
        if (keys_[i] == kEmpty) {
            keys_[i] = key;
            values_[i] = Value{};
            ++size_;
        }
        return values_[i];
    }

    std::size_t size() const { return size_; }
    std::size_t slots() const { return keys_.size(); }
    std::size_t bytes() const { return keys_.capacity() * sizeof(std::uint64_t) + values_.capacity() * sizeof(Value); }

    // Full at 80%: the tables are most of what sipresp keeps for a file, and
    // at 70% a doubling that came just too early left one at 35%. Linear
    // probing still ends a miss within a few probes on average at 80% (the
    // eight keys of a cache line are read together).
    static constexpr std::size_t kMaxLoadNum = 4, kMaxLoadDen = 5;

private:
    static constexpr std::uint64_t kEmpty = 0;
    // 0 marks an empty slot; the one digest that is 0 shares a slot with 1
    // (odds 2^-64 per key)
    static std::uint64_t stored(std::uint64_t key) { return key == kEmpty ? 1 : key; }
    std::size_t mask() const { return keys_.size() - 1; }
    std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>(key ^ (key >> 32)) & mask(); }

    void grow() {
        std::vector<std::uint64_t> old_keys(keys_.empty() ? 16 : keys_.size() * 2, kEmpty);
        std::vector<Value> old_values(old_keys.size());
        old_keys.swap(keys_);
        old_values.swap(values_);
        for (std::size_t j = 0; j < old_keys.size(); ++j) {
            if (old_keys[j] == kEmpty) continue;
            std::size_t i = slot(old_keys[j]);
            while (keys_[i] != kEmpty) i = (i + 1) & mask();
            keys_[i] = old_keys[j];
            values_[i] = old_values[j];
        }
    }

    std::vector<std::uint64_t> keys_;
    std::vector<Value> values_;
    std::size_t size_ = 0;
};

}  // namespace sipresp
