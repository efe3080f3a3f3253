#include "core/date.h"

#include <fmt/format.h>

namespace epil {

namespace chr = std::chrono;

std::optional<Date> Date::from_ymd(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                          chr::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date::from_days(static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse_iso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lens[p]; ++i) {
      char c = s[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  return from_ymd(parts[0], parts[1], parts[2]);
}

chr::year_month_day Date::ymd() const {
  return chr::year_month_day{chr::sys_days{chr::days{days_}}};
}
int Date::year() const { return static_cast<int>(ymd().year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(ymd().month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(ymd().day())); }

int Date::iso_weekday() const {
  return static_cast<int>(chr::weekday{chr::sys_days{chr::days{days_}}}.iso_encoding());
}

std::string Date::iso() const {
  auto ymd = this->ymd();
  int y = static_cast<int>(ymd.year()), m = static_cast<int>(static_cast<unsigned>(ymd.month())),
      d = static_cast<int>(static_cast<unsigned>(ymd.day()));
  if (y < 0 || y > 9999) return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  // By hand: batch screening writes millions of these.
  char s[10] = {static_cast<char>('0' + y / 1000),      static_cast<char>('0' + y / 100 % 10),
                static_cast<char>('0' + y / 10 % 10),   static_cast<char>('0' + y % 10),
                '-',
                static_cast<char>('0' + m / 10),        static_cast<char>('0' + m % 10),
                '-',
                static_cast<char>('0' + d / 10),        static_cast<char>('0' + d % 10)};
  return std::string(s, sizeof s);
}
std::string Date::zh() const { return fmt::format("{}年{}月{}日", year(), month(), day()); }

Date add_months(Date start, int months) {
  auto ymd = start.ymd();
  chr::year_month_day target = ymd + chr::months{months};
  if (!target.ok()) {
    // No corresponding day in the last month: the period ends on that month's last day.
    target = chr::year_month_day_last{target.year(), chr::month_day_last{target.month()}};
  }
  return Date::from_days(static_cast<int32_t>(chr::sys_days{target}.time_since_epoch().count()));
}

Date add_days(Date start, int days) { return Date::from_days(start.days() + days); }

}  // namespace epil
