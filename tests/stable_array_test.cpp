// Tests for StableArray (core/stable_array.h): arrays reserved at once that never move; those
// of 2 MB and more are mapped on a huge-page boundary.
#include "core/stable_array.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <vector>

TEST_CASE("stable array: just under and over 2 MB, every element kept where it was put") {
  for (size_t bytes : {(size_t{2} << 20) - 8, size_t{2} << 20, (size_t{2} << 20) + 8,
                       size_t{5} << 20}) {
    CAPTURE(bytes);
    const size_t max = bytes / sizeof(uint64_t);
    epil::StableArray<uint64_t> a(max);
    const uint64_t* first = nullptr;
    size_t misplaced = 0;
    for (size_t i = 0; i < max && a.room(1); ++i) {
      misplaced += static_cast<size_t>(a.push()) != i;
      a[i] = i * 2654435761u;
      if (i == 0) first = &a[0];
    }
    CHECK(a.size() == max);
    CHECK(misplaced == 0);
    CHECK_FALSE(a.room(1));
    CHECK(&a[0] == first);  // never moved
    CHECK(reinterpret_cast<uintptr_t>(first) % alignof(uint64_t) == 0);
    size_t wrong = 0;
    for (size_t i = 0; i < max; ++i) wrong += a[i] != i * 2654435761u;
    CHECK(wrong == 0);
  }
}

TEST_CASE("stable array: append copies in one piece and shrink forgets the tail") {
  epil::StableArray<uint64_t> a(size_t{3} << 20);
  std::vector<uint64_t> words(1000);
  std::iota(words.begin(), words.end(), 7);
  CHECK(a.append(words.data(), words.size()) == 0);
  CHECK(a.append(words.data(), 10) == 1000);
  CHECK(a.size() == 1010);
  CHECK(a[999] == 1006);
  CHECK(a[1009] == 16);
  a.shrink(1000);
  CHECK(a.size() == 1000);
  CHECK(a.append(words.data() + 500, 1) == 1000);
  CHECK(a[1000] == 507);
}
