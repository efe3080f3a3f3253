// Tests for core/date.h: civil dates and Civil Code period arithmetic.
#include "core/date.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>

namespace {

using epil::Date;

// Test dates are written as ISO text; a malformed one fails the REQUIRE instead of passing
// silently.
Date d(std::string_view iso) {
  const std::optional<Date> date = Date::parse_iso(iso);
  REQUIRE_MESSAGE(date.has_value(), iso);
  return *date;
}

}  // namespace

TEST_CASE("Date::from_ymd validates the calendar") {
  CHECK(Date::from_ymd(2024, 2, 29).has_value());
  CHECK(Date::from_ymd(2000, 2, 29).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 2, 29).has_value());
  CHECK_FALSE(Date::from_ymd(1900, 2, 29).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 4, 31).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 13, 1).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 0, 1).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 1, 0).has_value());
  CHECK_FALSE(Date::from_ymd(2025, 1, 32).has_value());
  CHECK_FALSE(Date::from_ymd(0, 1, 1).has_value());
  CHECK_FALSE(Date::from_ymd(10000, 1, 1).has_value());
  CHECK(Date::from_ymd(1970, 1, 1)->days() == 0);
  CHECK(Date::from_ymd(1970, 1, 2)->days() == 1);
  CHECK(Date::from_ymd(1969, 12, 31)->days() == -1);
}

TEST_CASE("Date::parse_iso accepts only YYYY-MM-DD") {
  for (std::string_view ok : {"2025-06-01", "2024-02-29", "0001-01-01", "9999-12-31"}) {
    CAPTURE(ok);
    const std::optional<Date> date = Date::parse_iso(ok);
    REQUIRE(date.has_value());
    CHECK(date->iso() == ok);
  }
  for (std::string_view bad :
       {"", "2025-6-1", "2025-06-1", "2025/06/01", "2025-06-01 ", " 2025-06-01", "2025-02-30",
        "2025-13-01", "2025-00-01", "2025-06-00", "0000-01-01", "20250601", "2025-06-0a",
        "+025-06-01", "2025-06-01T00:00:00", "２０２５-06-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(Date::parse_iso(bad).has_value());
  }
}

TEST_CASE("Date fields - iso() and zh()") {
  const Date date = d("2025-06-01");
  CHECK(date.year() == 2025);
  CHECK(date.month() == 6);
  CHECK(date.day() == 1);
  CHECK(date.iso() == "2025-06-01");
  CHECK(date.zh() == "2025年6月1日");
  CHECK(d("2026-12-31").zh() == "2026年12月31日");
  CHECK(d("0987-01-05").iso() == "0987-01-05");
  CHECK(Date().iso() == "1970-01-01");
}

TEST_CASE("Date::iso_weekday") {
  struct {
    std::string_view date;
    int weekday;
  } const cases[] = {
      {"2026-09-30", 3},  // Wednesday
      {"2025-06-01", 7},  // Sunday
      {"2025-06-02", 1},  // Monday
      {"1970-01-01", 4},  // Thursday
      {"2024-02-29", 4}, {"2000-01-01", 6},
  };
  for (const auto& c : cases) {
    CAPTURE(c.date);
    CHECK(d(c.date).iso_weekday() == c.weekday);
  }
}

TEST_CASE("add_months: 民法典 第二百零二条 month-end rule") {
  struct {
    std::string_view start;
    int months;
    std::string_view end;
  } const cases[] = {
      {"2025-01-31", 1, "2025-02-28"},   {"2024-01-31", 1, "2024-02-29"},
      {"2024-02-29", 12, "2025-02-28"},  {"2024-02-29", 48, "2028-02-29"},
      {"2026-05-10", 12, "2027-05-10"},  {"2026-05-10", 36, "2029-05-10"},
      {"2025-03-31", -1, "2025-02-28"},  {"2025-08-31", 1, "2025-09-30"},
      {"2025-01-30", 1, "2025-02-28"},   {"2025-01-15", 1, "2025-02-15"},
      {"2025-11-30", 2, "2026-01-30"},   {"2025-12-31", 2, "2026-02-28"},
      {"2025-01-31", -2, "2024-11-30"},  {"2025-06-01", 0, "2025-06-01"},
      {"2025-06-01", -18, "2023-12-01"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.start);
    CAPTURE(c.months);
    CHECK(epil::add_months(d(c.start), c.months).iso() == c.end);
  }
}

TEST_CASE("add_days across month and year ends") {
  struct {
    std::string_view start;
    int days;
    std::string_view end;
  } const cases[] = {
      {"2025-01-31", 1, "2025-02-01"},   {"2025-02-28", 1, "2025-03-01"},
      {"2024-02-28", 1, "2024-02-29"},   {"2024-02-29", 1, "2024-03-01"},
      {"2025-12-31", 1, "2026-01-01"},   {"2026-01-01", -1, "2025-12-31"},
      {"2025-03-01", -1, "2025-02-28"},  {"2025-06-01", 0, "2025-06-01"},
      {"2025-06-01", 365, "2026-06-01"}, {"2024-01-01", 366, "2025-01-01"},
      {"2025-06-01", 30, "2025-07-01"},  {"2025-06-01", -151, "2025-01-01"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.start);
    CAPTURE(c.days);
    CHECK(epil::add_days(d(c.start), c.days).iso() == c.end);
  }
}

TEST_CASE("Date comparison") {
  const Date a = d("2025-06-01");
  const Date b = d("2025-06-02");
  const Date later_year = d("2026-01-01");
  CHECK(a == d("2025-06-01"));
  CHECK(a != b);
  CHECK(a < b);
  CHECK(a <= b);
  CHECK(a <= d("2025-06-01"));
  CHECK(b > a);
  CHECK(b >= a);
  CHECK(later_year > b);
  CHECK_FALSE(b < a);
  CHECK_FALSE(a > a);
  CHECK(d("2025-05-31") < a);  // compares by day count, not by text
  CHECK(Date::from_ymd(2025, 6, 1) == std::optional<Date>(a));
}
