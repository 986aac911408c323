// A hash table from 64-bit digests to small values, for the capture
// tracker's indexes. Open addressing with linear probing in one flat array:
// no allocation per entry and 10 bytes a slot (4-byte values), where a node-based
// std::unordered_map costs a heap node (about 48 bytes) per entry.
// A slot keeps 48 bits of its digest, not 64: the tables are a third of what
// sipresp keeps for a file (44 of 127 MB at 3 million messages), and a
// lookup compares its 48 bits with the 8 or 9 slots it probes, so two
// digests are taken for one about once in 3 * 10^13 lookups. With 32 bits
// (8-byte slots) that was once in 5 * 10^8: about one file of 3 million
// messages in 50 would have shown a response paired with the wrong request.
// Grown in steps of 1.5x and 1.33x in turn (sizes 2^k and 1.5 * 2^k), not by
// doubling: a table that had just doubled sat half empty, which at 3 million
// messages left the transaction table at 56% (25 MB where 19 MB do). Growing
// by a quarter kept them fuller still but its rehashing cost 200
// instructions a frame; these steps move each entry about twice, not once.
#pragma once

#include <cstdint>
#include <vector>

#include "packed48.h"

namespace sipresp {

// A table's value as its slot holds it: at a 2-byte boundary in every other
// slot (10 bytes each), so it is read and written only as a member of this
// packed struct. A plain Value& or Value* to it would be misaligned, which
// is undefined behaviour (UBSan reports it); this converts to and from a
// Value instead, so callers write `auto&` and use it as a Value.
#pragma pack(push, 2)
template <typename Value>
struct Unaligned {
    Value value;
    operator Value() const { return value; }
    Unaligned& operator=(Value v) {
        value = v;
        return *this;
    }
};
#pragma pack(pop)
static_assert(alignof(Unaligned<std::uint32_t>) == 2 && sizeof(Unaligned<std::uint32_t>) == 4);

template <typename Value>
class DigestMap {
public:
    using Stored = Unaligned<Value>;

    // The value for `key`, or nullptr.
    const Stored* find(std::uint64_t key) const {
        if (slots_.empty()) return nullptr;
        key = stored(key);
        for (std::size_t i = slot(key);; i = next(i)) {
            const Slot& s = slots_[i];
            if (s.holds(key)) return &s.value;
            if (s.empty()) return nullptr;
        }
    }
    Stored* find(std::uint64_t key) {
        return const_cast<Stored*>(static_cast<const DigestMap*>(this)->find(key));
    }
    // The value for `key`, or Value{} (the tracker's "none") when absent.
    Value get(std::uint64_t key) const {
        const Stored* found = find(key);
        return found ? Value{*found} : Value{};
    }

    // Starts loading the slot `key` would be looked up in, so that several
    // lookups made one after another wait for memory together. Always
    // inlined: GCC takes a function whose only work is a prefetch for one
    // without effects and drops the calls to it (all of them, from
    // d4cd7f5 to 2 December 2026: bench/HISTORY.md).
    [[gnu::always_inline]] void prefetch(std::uint64_t key) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[slot(stored(key))]);
    }

    // The value for `key`, inserted as Value{} when absent.
    Stored& operator[](std::uint64_t key) {
        if ((size_ + 1) * kMaxLoadDen > slots_.size() * kMaxLoadNum) grow();
        key = stored(key);
        std::size_t i = slot(key);
        while (!slots_[i].empty() && !slots_[i].holds(key)) i = next(i);
        if (slots_[i].empty()) {
            slots_[i] = Slot::of(key);
            ++size_;
        }
        return slots_[i].value;
    }

    // Takes `key` out, if there. No mark is left behind: the entries after
    // it in its run that may sit in its slot move back, each to the first
    // free place at or after its own home slot, so every lookup still
    // stops at the first empty slot. The table never shrinks.
    void erase(std::uint64_t key) {
        if (slots_.empty()) return;
        key = stored(key);
        std::size_t hole = slot(key);
        while (!slots_[hole].holds(key)) {
            if (slots_[hole].empty()) return;
            hole = next(hole);
        }
        for (std::size_t j = next(hole); !slots_[j].empty(); j = next(j)) {
            // an entry stays when its home lies after the hole, up to j
            // (cyclically): a lookup of it never passes the hole
            const std::size_t home = slot(slots_[j].key());
            const bool stays = hole < j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (stays) continue;
            slots_[hole] = slots_[j];
            hole = j;
        }
        slots_[hole] = Slot::of(0);
        --size_;
    }

    std::size_t size() const { return size_; }
    std::size_t slots() const { return slots_.size(); }
    std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }
    static constexpr std::size_t slot_bytes() { return sizeof(Slot); }

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
    // (x86-64 and AArch64 read the 2-byte-aligned fields at full speed.)
#pragma pack(push, 2)
    struct Slot {
        Packed48 digest;  // as stored(); its low half 0: the slot is empty
        Stored value;
        static Slot of(std::uint64_t key) { return {Packed48::of(key), Stored{Value{}}}; }
        bool empty() const { return digest.low == 0; }
        bool holds(std::uint64_t key) const {
            return digest.low == static_cast<std::uint32_t>(key) && digest.high == key >> 32;
        }
        std::uint64_t key() const { return digest.value(); }
    };
#pragma pack(pop)
    static constexpr std::uint64_t kKeyMask = (std::uint64_t{1} << 48) - 1;
    // The 48 bits a slot keeps: the digest's low 48 with its top 16 folded
    // in, so that digests below 2^48 (the tests' small numbers) stay apart.
    // A stored key's low 32 bits are never 0, which marks an empty slot (one
    // compare a probe): folding a 0 there into a 1 makes two digests in 2^32
    // more look alike, nothing next to the odds above.
    static std::uint64_t stored(std::uint64_t key) {
        const std::uint64_t folded = (key & kKeyMask) ^ (key >> 48);
        return static_cast<std::uint32_t>(folded) == 0 ? folded | 1 : folded;
    }
    // The stored key's top 32 bits after a multiply that spreads keys
    // differing only in low bits, scaled to the table's size (any size, not
    // only a power of two). Tables stay far below 2^32 slots.
    std::size_t slot(std::uint64_t key) const {
        const std::uint64_t mixed = key * 0x9e3779b97f4a7c15ull;
        return static_cast<std::size_t>(((mixed >> 32) * slots_.size()) >> 32);
    }
    std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }
    // 16, 24, 32, 48, 64, ...: a power of two grows by half, 1.5 * 2^k to 2^(k+1)
    static std::size_t grown(std::size_t size) {
        if (size == 0) return 16;
        return (size & (size - 1)) == 0 ? size + size / 2 : size / 3 * 4;
    }

    void grow() {
        std::vector<Slot> old(grown(slots_.size()), Slot::of(0));
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.empty()) continue;
            std::size_t i = slot(s.key());
            while (!slots_[i].empty()) i = next(i);
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace sipresp
