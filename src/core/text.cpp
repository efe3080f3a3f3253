#include "core/text.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace epil {

namespace {

// The byte values of a string as a set of 64 buckets.
uint64_t byte_buckets(std::string_view s) {
  uint64_t set = 0;
  for (unsigned char c : s) set |= uint64_t{1} << (c % 64);
  return set;
}

// A floor under the distance, in one pass over each string: an edit adds at most one byte
// value to a string and takes at most one away, so the buckets only one of the strings fills
// each take an edit. A name that shares few bytes with another is ruled out without the
// quadratic table.
size_t distinct_bytes_apart(std::string_view a, std::string_view b) {
  const uint64_t x = byte_buckets(a), y = byte_buckets(b);
  return static_cast<size_t>(std::max(std::popcount(x & ~y), std::popcount(y & ~x)));
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  const size_t apart = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (apart >= limit) return limit;  // the distance is at least the difference in length
  if (limit != SIZE_MAX && distinct_bytes_apart(a, b) >= limit) return limit;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      row_min = std::min(row_min, cur[j]);
    }
    // A row never goes below its smallest cell: once every cell reaches the limit, so does
    // the distance.
    if (row_min >= limit) return limit;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit);
}

}  // namespace epil
