// IdIndex: text key -> integer id, the in-memory index of external ids that
// bulk import consults for every row (and every reference in it).
//
// Why not std::unordered_map<std::string, int64_t>: with millions of keys its
// one heap node per key makes every lookup a chain of cache misses; profiling
// the 5-million-row import showed it as the largest single cost. This is an
// open-addressing table (linear probing, power-of-two capacity, load <= 0.7)
// whose keys live in one arena, so a lookup is usually one cache miss.
//
// Not thread-safe; keys up to 4 GiB in total.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenure {

class IdIndex {
 public:
  IdIndex() = default;

  // The id stored for `key`, or nullopt.
  std::optional<int64_t> Find(std::string_view key) const;
  bool Contains(std::string_view key) const { return Find(key).has_value(); }
  // Adds key -> id when the key is absent; returns false (and changes
  // nothing) when it is present.
  bool Insert(std::string_view key, int64_t id);
  // Adds or overwrites.
  void Assign(std::string_view key, int64_t id);
  // One probe for "find, else add": returns the stored id and false when the
  // key is present, or adds key -> id and returns id and true.
  std::pair<int64_t, bool> FindOrInsert(std::string_view key, int64_t id);
  // Removes the key; returns whether it was present.
  bool Erase(std::string_view key);

  size_t size() const { return size_; }
  // Makes room for `count` keys without growing.
  void Reserve(size_t count);

  // Calls fn(key, id) for every entry, in no particular order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Slot& slot : slots_) {
      if (slot.hash != 0 && slot.length != kErased) fn(KeyOf(slot), slot.id);
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: never used
    int64_t id = 0;
    uint32_t offset = 0;  // of the key in keys_
    uint32_t length = 0;  // kErased: a tombstone
  };
  static constexpr uint32_t kErased = UINT32_MAX;

  static uint64_t Hash(std::string_view key);
  std::string_view KeyOf(const Slot& slot) const {
    return {keys_.data() + slot.offset, slot.length};
  }
  // The slot holding `key`, or the first free slot on its probe sequence.
  size_t Probe(std::string_view key, uint64_t hash, bool& found) const;
  void Grow();
  void Rehash(size_t capacity);

  std::vector<Slot> slots_;
  std::string keys_;
  size_t size_ = 0;
  size_t used_ = 0;  // live entries and tombstones
};

}  // namespace tenure
