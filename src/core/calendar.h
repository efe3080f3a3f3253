// The working-day calendar: the State Council's yearly holiday notices (calendars/*.yaml, one
// file per year) loaded and checked with file:line:column findings, and the date arithmetic
// over them. Knows nothing of any ruleset: callers ask "is this a working day", "the n-th
// working day after", "the first working day from".
//
//   WorkCalendar cal;
//   cal.add_file(text, "calendars/cn-2026.yaml", findings);   // once per file
//   cal.check(today, findings);                                // across files, and staleness
//   cal.add_working_days(*Date::parse_iso("2026-09-30"), 3);   // → 2026-10-10 (调休 Saturday)
//
// A day whose year has no calendar is never guessed: every query answers nullopt for it, and
// the *_bound() queries answer the earliest the result can be, counting as rest only what is
// certain without the year's notice: the holidays 《全国年节及纪念日放假办法》 fixes on the
// solar calendar (calendars/statutory.yaml, e.g. 10月1日至3日).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/date.h"
#include "core/finding.h"
#include "core/ruleset.h"
#include "core/text.h"
#include "core/yaml.h"

namespace epil::detail {
class YamlReader;
}

namespace epil {

/// One holiday of a notice: the rest days [from, to] (放假调休) and the weekend days worked
/// in exchange (调休上班). "10月1日至7日 国庆节".
struct Holiday {
  Text name;
  Date from, to;
  std::vector<Date> working;  // adjusted working days: each a Saturday or Sunday
  int line = 0, column = 0;   // the holiday's entry in its file
};

/// One calendars/*.yaml file: the arrangement of one year, and the notice it comes from.
struct CalendarYear {
  int year = 0;
  std::vector<Holiday> holidays;
  Source source;
  Status status = Status::kExample;
  std::optional<Date> last_checked;
  std::string file;
  int line = 0, column = 0;  // the `year` value
};

/// The holidays that the 放假办法 fixes on the solar calendar, from one date: certain rest
/// days in any year, published notice or not (calendars/statutory.yaml).
struct StatutoryRule {
  Date since;
  std::vector<std::pair<int, int>> days;  // (month, day)
  std::vector<Text> names;                // one per entry of the file, for explanations
};

/// A date computed over days some of which no loaded calendar covers: `date` is the earliest it
/// can be; `exact` when every day examined was known (then it is the date).
struct DateBound {
  Date date;
  bool exact = true;
};

class WorkCalendar {
 public:
  /// Adds one calendars/*.yaml file: a year's notice, or the statutory fixed holidays (a file
  /// whose root has `statutory_holidays:`); problems go to findings with file:line:column (en + zh,
  /// like the ruleset and region loaders). A file with any error is not added: its year stays
  /// uncovered, so that a broken file can never yield a wrong deadline.
  void add_file(std::string_view text, const std::string& file, Findings& findings,
                const Limits& limits = Limits{});
  /// Checks across files (a year given twice, a range spilling into a year whose file has
  /// overlapping ranges or working days, a year missing between two others), and
  /// `today`-relative warnings: a covered year ending within 60 days of `today` with no next
  /// year (the next notice is due), and `today` past the last covered year.
  void check(Date today, Findings& findings) const;

  /// d's year has exactly one calendar (a year given twice covers nothing until fixed).
  bool covers(Date d) const;
  /// The first and last year of the loaded files; 0 when empty.
  int first_year() const;
  int last_year() const;
  /// Monday–Friday work unless inside a holiday range; Saturday and Sunday rest unless listed
  /// as an adjusted working day. nullopt when not covered.
  std::optional<bool> is_working_day(Date d) const;
  /// The n-th working day after `from` (`from` itself not counted; n == 0 gives `from`).
  /// nullopt when n < 0 or any day examined is not covered.
  std::optional<Date> add_working_days(Date from, int n) const;
  /// `d` if it is a working day, else the next working day (民法典 第二百零三条: a period
  /// whose last day is a statutory rest day ends on the day after the rest ends). nullopt when
  /// any day examined is not covered.
  std::optional<Date> roll_to_working_day(Date d) const;
  /// Like roll_to_working_day(), but past the calendars the earliest day the period can end:
  /// certain rest days (statutory fixed holidays) are passed over, any other uncovered day may
  /// be the working day it ends on.
  DateBound roll_bound(Date d) const;
  /// Like add_working_days(), but past the calendars the earliest the n-th working day can be:
  /// every uncovered day that is not certainly a rest day is counted as a working day.
  DateBound add_working_days_bound(Date from, int n) const;
  /// A rest day whatever the year's notice says: a covered rest day, or an uncovered day that
  /// is a statutory holiday fixed on the solar calendar.
  bool certainly_rest(Date d) const;
  const std::vector<StatutoryRule>& statutory() const { return statutory_; }
  const Source& statutory_source() const { return statutory_source_; }

  /// The holiday whose rest range contains d, or null (for explanations: "10月1日至7日
  /// 国庆节"). The pointer is valid until the next add_file.
  const Holiday* holiday_of(Date d) const;
  /// The loaded years in year order.
  const std::vector<CalendarYear>& years() const { return years_; }

 private:
  enum class Day : uint8_t { kUnknown, kWorking, kRest };
  void add_statutory(const yaml::Node& root, detail::YamlReader& r);
  void rebuild();
  Day day(Date d) const;

  std::vector<CalendarYear> years_;
  std::vector<StatutoryRule> statutory_;  // by `since`
  Source statutory_source_;
  // Every day from first_year()-01-01 to last_year()-12-31, resolved once at load so that a
  // query is one array read: batches ask millions of them.
  int32_t first_day_ = 0;
  std::vector<Day> days_;
};

}  // namespace epil
