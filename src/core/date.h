// Civil dates and the period arithmetic of the Civil Code (民法典 第二百零一条至第二百零四条).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace epil {

/// A calendar date, stored as days since 1970-01-01 so that it fits a `Value` and compares
/// as an integer. `Date::parse_iso("2025-06-01")`, `d.iso()`, `d.zh()` → "2025年6月1日".
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  /// Returns nullopt when y-m-d is not a real calendar day.
  static std::optional<Date> from_ymd(int y, int m, int d);
  /// Strict ISO 8601 calendar date, YYYY-MM-DD.
  static std::optional<Date> parse_iso(std::string_view text);

  constexpr int32_t days() const { return days_; }
  std::chrono::year_month_day ymd() const;
  int year() const;
  int month() const;
  int day() const;
  /// ISO weekday: 1 = Monday … 7 = Sunday.
  int iso_weekday() const;
  std::string iso() const;
  std::string zh() const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  int32_t days_ = 0;
};

/// 民法典 第二百零二条: a period in months or years ends on the day of the last month that
/// corresponds to the starting day; when that month has no such day, on its last day
/// (31 Jan + 1 month → 28/29 Feb). The starting day itself is not counted (第二百零一条),
/// which is why the result is the corresponding day and not the day before it.
Date add_months(Date start, int months);
Date add_days(Date start, int days);

}  // namespace epil
