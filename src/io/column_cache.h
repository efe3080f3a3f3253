// Internal to batch screening: what the cells of one column read as, remembered per worker.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/value.h"
#include "io/normalize.h"

namespace epil::io::detail {

// What a cell of one column reads as, remembered per worker: columns such as region, damage
// type and the yes/no facts hold a handful of distinct texts, so reading each text once saves
// the folding and lookups on every other row. A column whose texts rarely repeat (amounts,
// case numbers) turns its cache off after a trial.
class ColumnCache {
 public:
  /// `max_entries`: texts remembered; `trial`: whether a column of texts that rarely repeat
  /// turns the cache off (the region column's places are worth keeping, thousands of them).
  explicit ColumnCache(size_t max_entries = 2048, bool trial = true)
      : max_entries_(max_entries), trial_(trial) {}

  struct Entry {
    std::string text;
    std::variant<Value, ValueError> value;
    std::string string_value;  // owns the characters of a string Value
  };

  const Entry* find(std::string_view text) {
    if (!enabled_) return nullptr;
    ++lookups_;
    uint64_t h = hash(text);
    // A slot holds the entry's index and the high half of its text's hash: probing compares
    // the hash first and reads an entry (likely a cache miss) only when that matches.
    uint64_t tag = h >> 32 << 32;
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint64_t slot = slots_[i];
      if (slot == 0) break;
      if ((slot & ~0xffffffffULL) != tag) continue;
      const Entry& e = entries_[(slot & 0xffffffffULL) - 1];
      if (e.text == text) {
        ++hits_;
        return &e;
      }
    }
    if (trial_ && lookups_ == kTrial && hits_ * 2 < lookups_) enabled_ = false;
    return nullptr;
  }

  const Entry* add(std::string_view text, std::variant<Value, ValueError> value) {
    if (!enabled_ || entries_.size() >= max_entries_) return nullptr;
    Entry& e = entries_.emplace_back();
    e.text = text;
    e.value = std::move(value);
    if (Value* v = std::get_if<Value>(&e.value); v && v->kind == Value::kString) {
      e.string_value = v->as_string();
      *v = Value::string(e.string_value);
    }
    if (entries_.size() * 2 > slots_.size()) {
      // At most half full: grow, so that a column of few texts keeps a table small enough
      // to stay in the nearest cache.
      slots_.assign(slots_.size() * 2, 0);
      for (size_t k = 0; k + 1 < entries_.size(); ++k) place(entries_[k].text, k + 1);
    }
    place(text, entries_.size());
    return &e;
  }

 private:
  // Slot: the high half of the text's hash, and the entry's index + 1 (0 is an empty slot).
  void place(std::string_view text, size_t index_1) {
    uint64_t h = hash(text);
    size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (h >> 32 << 32) | index_1;
  }
  static constexpr int64_t kTrial = 4096;
  // Eight bytes at a time, each word mixed by a multiply (cells are short: one or two words).
  // The last word is read with loads of fixed size that stay inside the text (overlapping
  // the previous word when the text is long enough): copying the 1-7 bytes left into a
  // zeroed word makes the load that follows wait for the bytes stored one by one.
  static uint64_t hash(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = n * 0x9e3779b97f4a7c15ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      h = (h ^ load<uint64_t>(p + i)) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    uint64_t w = 0;
    if (n >= 8) {
      w = i == n ? 0 : load<uint64_t>(p + n - 8);
    } else if (n >= 4) {
      w = load<uint32_t>(p) | static_cast<uint64_t>(load<uint32_t>(p + n - 4)) << 32;
    } else if (n > 0) {
      w = static_cast<uint8_t>(p[0]) | static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8 |
          static_cast<uint64_t>(static_cast<uint8_t>(p[n - 1])) << 16;
    }
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
  }
  template <class T>
  static T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  std::deque<Entry> entries_;  // a deque: entries never move, string Values point into them
  std::vector<uint64_t> slots_ = std::vector<uint64_t>(64, 0);
  int64_t lookups_ = 0, hits_ = 0;
  size_t max_entries_;
  bool trial_;
  bool enabled_ = true;
};

}  // namespace epil::io::detail
