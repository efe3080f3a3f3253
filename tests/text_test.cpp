// The "did you mean" distance and the field names it suggests (core/text.h, io/case_input.h).
#include <doctest/doctest.h>

#include <string>

#include "core/config.h"
#include "core/text.h"
#include "io/case_input.h"

using namespace epil;

TEST_CASE("edit_distance: Levenshtein in bytes") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("damage_amount", "damage_amuont") == 2);
  CHECK(edit_distance("flaw", "lawn") == 2);
  // One Chinese character differs: three bytes, of which the first may be shared.
  CHECK(edit_distance("损害数额", "损害金额") <= 3);
  CHECK(edit_distance("损害数额", "损害金额") >= 1);
}

TEST_CASE("edit_distance: a limit gives the distance below it, the limit above it") {
  // Below the limit the exact distance, whichever way round.
  for (size_t limit = 4; limit < 10; ++limit) {
    CHECK(edit_distance("kitten", "sitting", limit) == 3);
    CHECK(edit_distance("sitting", "kitten", limit) == 3);
  }
  CHECK(edit_distance("kitten", "sitting", 3) == 3);
  CHECK(edit_distance("kitten", "sitting", 2) == 2);
  CHECK(edit_distance("kitten", "sitting", 0) == 0);
  // Lengths alone rule it out.
  CHECK(edit_distance(std::string(5000, 'x'), "amount", 10) == 10);
  // Rows alone rule it out: same length, nothing in common.
  CHECK(edit_distance("aaaaaaaaaaaa", "bbbbbbbbbbbb", 5) == 5);
  CHECK(edit_distance("aaaaaaaaaaaa", "bbbbbbbbbbbb") == 12);
  // Every limit agrees with the full distance wherever that is below it.
  const char* words[] = {"damage_amount", "damage_amuont", "amount", "水污染", "水体污染",
                         "exceedance_multiple", "", "x"};
  for (const char* a : words) {
    for (const char* b : words) {
      const size_t full = edit_distance(a, b);
      for (size_t limit = 0; limit < 25; ++limit) {
        CHECK(edit_distance(a, b, limit) == std::min(full, limit));
      }
    }
  }
}

TEST_CASE("nearest fields: a typo gets the field, nonsense gets nothing") {
  const Config config = Config::embedded();
  const Ruleset& rs = *config.ruleset("epil");
  io::FieldIndex index(rs);
  const auto typo = index.nearest("damage_amuont");
  REQUIRE_FALSE(typo.empty());
  CHECK(typo.front() == "damage_amount");
  CHECK(index.nearest("damage_amuont", 1).size() == 1);
  // Nothing is fewer bytes away than the name is long: no field is suggested.
  CHECK(index.nearest("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").empty());
  CHECK(index.nearest(std::string(1000, 'q')).empty());
  CHECK(io::near_fields(index, "qqqqqqqqqqqqqqqqqqqq").en == "no field close to it");
  CHECK(io::near_fields(index, "qqqqqqqqqqqqqqqqqqqq").zh == "无相近字段");
  CHECK(io::near_fields(index, "damage_amuont").en.starts_with("nearest: damage_amount"));
}
