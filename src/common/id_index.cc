#include "common/id_index.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace tenure {

uint64_t IdIndex::Hash(std::string_view key) {
  // std::hash is a good 64-bit hash (murmur-style in libstdc++); 0 marks an
  // empty slot, so it is never a key's hash.
  uint64_t h = std::hash<std::string_view>{}(key);
  return h == 0 ? 1 : h;
}

size_t IdIndex::Probe(std::string_view key, uint64_t hash, bool& found) const {
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  size_t first_free = SIZE_MAX;
  while (true) {
    const Slot& slot = slots_[i];
    if (slot.hash == 0) {
      found = false;
      return first_free != SIZE_MAX ? first_free : i;
    }
    if (slot.length == kErased) {
      if (first_free == SIZE_MAX) first_free = i;
    } else if (slot.hash == hash && KeyOf(slot) == key) {
      found = true;
      return i;
    }
    i = (i + 1) & mask;
  }
}

std::optional<int64_t> IdIndex::Find(std::string_view key) const {
  if (size_ == 0) return std::nullopt;
  bool found;
  size_t i = Probe(key, Hash(key), found);
  if (!found) return std::nullopt;
  return slots_[i].id;
}

bool IdIndex::Insert(std::string_view key, int64_t id) { return FindOrInsert(key, id).second; }

std::pair<int64_t, bool> IdIndex::FindOrInsert(std::string_view key, int64_t id) {
  if ((used_ + 1) * 10 > slots_.size() * 7) Grow();
  uint64_t hash = Hash(key);
  bool found;
  size_t i = Probe(key, hash, found);
  if (found) return {slots_[i].id, false};
  Slot& slot = slots_[i];
  if (slot.hash == 0) ++used_;  // a reused tombstone is already counted
  if (keys_.size() + key.size() > UINT32_MAX) throw std::length_error("IdIndex keys exceed 4 GiB");
  slot.hash = hash;
  slot.id = id;
  slot.offset = static_cast<uint32_t>(keys_.size());
  slot.length = static_cast<uint32_t>(key.size());
  keys_.append(key);
  ++size_;
  return {id, true};
}

void IdIndex::Assign(std::string_view key, int64_t id) {
  if (size_ > 0) {
    bool found;
    size_t i = Probe(key, Hash(key), found);
    if (found) {
      slots_[i].id = id;
      return;
    }
  }
  Insert(key, id);
}

bool IdIndex::Erase(std::string_view key) {
  if (size_ == 0) return false;
  bool found;
  size_t i = Probe(key, Hash(key), found);
  if (!found) return false;
  slots_[i].length = kErased;
  --size_;
  return true;
}

namespace {

// The smallest power of two (at least 16) that holds `count` keys at load 0.7.
size_t CapacityFor(size_t count) {
  size_t capacity = 16;
  while (capacity * 7 < count * 10) capacity *= 2;
  return capacity;
}

}  // namespace

void IdIndex::Reserve(size_t count) {
  size_t wanted = CapacityFor(count);
  if (wanted > slots_.size()) Rehash(wanted);
}

void IdIndex::Grow() {
  // Room for twice the live entries; a table full of tombstones is rebuilt at
  // its own size, which drops them.
  Rehash(std::max(slots_.size(), CapacityFor(size_ * 2)));
}

void IdIndex::Rehash(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  used_ = size_;
  size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.hash == 0 || slot.length == kErased) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace tenure
