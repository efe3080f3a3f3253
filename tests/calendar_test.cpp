// Tests for core/calendar.h: the shipped State Council calendars (calendars/*.yaml), the
// working-day arithmetic over them, and every load and cross-file finding with its position.
#include "core/calendar.h"

#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using epil::Date;
using epil::Findings;
using epil::WorkCalendar;

Date d(std::string_view iso) {
  const std::optional<Date> date = Date::parse_iso(iso);
  REQUIRE_MESSAGE(date.has_value(), iso);
  return *date;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Adds the shipped file calendars/`name` (read from the source tree) to `cal`.
void add_shipped(WorkCalendar& cal, const std::string& name, Findings& f) {
  cal.add_file(read_file(std::string(EPIL_SOURCE_DIR "/calendars/") + name), "calendars/" + name,
               f);
}

// The shipped files `names` in one calendar; any finding at all fails the test that asks for it.
WorkCalendar load_clean(const std::vector<std::string>& names) {
  WorkCalendar c;
  Findings f;
  for (const auto& name : names) add_shipped(c, name, f);
  for (const auto& x : f.items()) MESSAGE(x.format());
  REQUIRE(f.items().empty());
  return c;
}

const std::vector<std::string> kNotices2024To2026 = {"cn-2024.yaml", "cn-2025.yaml",
                                                     "cn-2026.yaml"};

// The shipped notices of 2024 to 2026 alone: calendars/ also ships those of 2017 to 2023 and
// the statutory fixed holidays (statutory.yaml), left out here so that the days before 2024
// and after 2026 stay unknown.
const WorkCalendar& notices_2024_2026() {
  static const WorkCalendar cal = load_clean(kNotices2024To2026);
  return cal;
}

std::string iso_or_none(const std::optional<Date>& date) {
  return date ? date->iso() : std::string("none");
}

// True when `f` holds a finding with this code at line:column.
bool has(const Findings& f, std::string_view code, int line, int column) {
  for (const auto& x : f.items()) {
    if (x.code == code && x.line == line && x.column == column) return true;
  }
  return false;
}

std::string dump(const Findings& f) {
  std::string s;
  for (const auto& x : f.items()) s += x.format() + "\n";
  return s;
}

// A small valid file for 2030 (2030-02-01 is a Friday, 2030-02-09 a Saturday); tests replace
// one line to produce one error, so that line numbers stay obvious.
std::vector<std::string> base_lines() {
  return {
      "year: 2030",                                            // 1
      "source: {document: 测试〔2029〕1号, title: 测试通知}",  // 2
      "status: example",                                       // 3
      "last_checked: 2030-01-01",                              // 4
      "holidays:",                                             // 5
      "  - name: {zh: 甲, en: A}",                             // 6
      "    from: 2030-02-01",                                  // 7
      "    to: 2030-02-03",                                    // 8
      "    working: [2030-02-09]",                             // 9
      "  - name: {zh: 乙, en: B}",                             // 10
      "    from: 2030-05-01",                                  // 11
      "    to: 2030-05-03",                                    // 12
  };
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

Findings load_one(const std::vector<std::string>& lines, WorkCalendar& cal) {
  Findings f;
  cal.add_file(join(lines), "t.yaml", f);
  return f;
}

}  // namespace

TEST_CASE("calendar - shipped files load without findings and cover 2024 to 2026") {
  const WorkCalendar& cal = notices_2024_2026();
  CHECK(cal.first_year() == 2024);
  CHECK(cal.last_year() == 2026);
  REQUIRE(cal.years().size() == 3);
  const int year_lines[] = {4, 5, 4};  // the `year:` line after each file's header comment
  for (const auto& y : cal.years()) {
    CAPTURE(y.year);
    CHECK(y.line == year_lines[y.year - 2024]);
    CHECK(y.column == 7);
    CHECK(y.status == epil::Status::kOfficial);
    CHECK_FALSE(y.source.document.empty());
    CHECK_FALSE(y.source.title.empty());
    CHECK(y.last_checked.has_value());
  }
  CHECK(cal.years()[2].source.document == "国办发明电〔2025〕7号");
  Findings f;
  cal.check(d("2026-06-01"), f);
  CHECK_MESSAGE(f.items().empty(), dump(f));
}

TEST_CASE("calendar - the issue's deletion deadlines across 国庆 2026") {
  const WorkCalendar& cal = notices_2024_2026();
  // Wednesday 2026-09-30: 10月1日至7日 rest, then Thu 8, Fri 9, and Saturday 10 is worked.
  CHECK(iso_or_none(cal.add_working_days(d("2026-09-30"), 3)) == "2026-10-10");
  // Friday 2026-09-18: Saturday 19 rests, Sunday 20 is worked (调休), Mon 21, Tue 22.
  CHECK(iso_or_none(cal.add_working_days(d("2026-09-18"), 3)) == "2026-09-22");
  CHECK(cal.is_working_day(d("2026-09-20")) == std::optional<bool>(true));
  CHECK(cal.is_working_day(d("2026-09-19")) == std::optional<bool>(false));
  CHECK(cal.is_working_day(d("2026-10-10")) == std::optional<bool>(true));
  CHECK(cal.is_working_day(d("2026-10-11")) == std::optional<bool>(false));
  // 中秋 2026 (9月25日至27日) sits between: Friday 25 is a rest day.
  CHECK(iso_or_none(cal.add_working_days(d("2026-09-24"), 1)) == "2026-09-28");
}

TEST_CASE("calendar - 春节 2026 with its working Saturdays") {
  const WorkCalendar& cal = notices_2024_2026();
  CHECK(iso_or_none(cal.add_working_days(d("2026-02-13"), 1)) == "2026-02-14");
  CHECK(iso_or_none(cal.add_working_days(d("2026-02-14"), 1)) == "2026-02-24");
  CHECK(iso_or_none(cal.add_working_days(d("2026-02-12"), 3)) == "2026-02-24");
  // 2月28日 (Saturday) is worked, 3月1日 (Sunday) is not.
  CHECK(iso_or_none(cal.add_working_days(d("2026-02-27"), 1)) == "2026-02-28");
  CHECK(iso_or_none(cal.add_working_days(d("2026-02-28"), 1)) == "2026-03-02");
  for (Date x = d("2026-02-15"); x <= d("2026-02-23"); x = epil::add_days(x, 1)) {
    CAPTURE(x.iso());
    CHECK(cal.is_working_day(x) == std::optional<bool>(false));
    const epil::Holiday* h = cal.holiday_of(x);
    REQUIRE(h != nullptr);
    CHECK(h->name.zh == "春节");
    CHECK(h->from == d("2026-02-15"));
    CHECK(h->to == d("2026-02-23"));
  }
  CHECK(cal.holiday_of(d("2026-02-14")) == nullptr);
  CHECK(cal.holiday_of(d("2026-02-24")) == nullptr);
}

TEST_CASE("calendar - 国庆 and 中秋 2025 are one 8-day rest") {
  const WorkCalendar& cal = notices_2024_2026();
  for (Date x = d("2025-10-01"); x <= d("2025-10-08"); x = epil::add_days(x, 1)) {
    CAPTURE(x.iso());
    CHECK(cal.is_working_day(x) == std::optional<bool>(false));
    REQUIRE(cal.holiday_of(x) != nullptr);
    CHECK(cal.holiday_of(x)->name.zh == "国庆节、中秋节");
  }
  CHECK(cal.is_working_day(d("2025-09-28")) == std::optional<bool>(true));  // Sunday, 调休
  CHECK(cal.is_working_day(d("2025-10-11")) == std::optional<bool>(true));  // Saturday, 调休
  CHECK(iso_or_none(cal.add_working_days(d("2025-09-30"), 1)) == "2025-10-09");
  CHECK(iso_or_none(cal.add_working_days(d("2025-09-30"), 3)) == "2025-10-11");
  CHECK(iso_or_none(cal.add_working_days(d("2025-09-26"), 1)) == "2025-09-28");
}

TEST_CASE("calendar - roll_to_working_day under 民法典 第二百零三条") {
  const WorkCalendar& cal = notices_2024_2026();
  // On a holiday: the first working day after the rest.
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-10-03"))) == "2026-10-08");
  CHECK(iso_or_none(cal.roll_to_working_day(d("2024-02-10"))) == "2024-02-18");  // 调休 Sunday
  // On a working Saturday: that day.
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-10-10"))) == "2026-10-10");
  // On a plain Sunday: the Monday.
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-10-11"))) == "2026-10-12");
  // On a plain weekday: that day.
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-10-13"))) == "2026-10-13");
  // A holiday on a weekend that ends in a working weekday (清明 2026: Sat 4 to Mon 6).
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-04-04"))) == "2026-04-07");
}

TEST_CASE("calendar - dates outside 2024 to 2026 are not guessed") {
  const WorkCalendar& cal = notices_2024_2026();
  CHECK_FALSE(cal.covers(d("2023-12-31")));
  CHECK(cal.covers(d("2024-01-01")));
  CHECK(cal.covers(d("2026-12-31")));
  CHECK_FALSE(cal.covers(d("2027-01-01")));
  CHECK_FALSE(cal.is_working_day(d("2027-01-04")).has_value());  // a Monday, still unknown
  CHECK_FALSE(cal.is_working_day(d("2023-12-29")).has_value());
  CHECK_FALSE(cal.is_working_day(d("1970-01-01")).has_value());
  CHECK_FALSE(cal.roll_to_working_day(d("2027-03-01")).has_value());
  CHECK_FALSE(cal.roll_to_working_day(d("2023-06-01")).has_value());
  CHECK(cal.holiday_of(d("2027-10-01")) == nullptr);
  // Crossing into 2027: Wed 30 and Thu 31 count, then 2027-01-01 is unknown.
  CHECK(iso_or_none(cal.add_working_days(d("2026-12-29"), 2)) == "2026-12-31");
  CHECK_FALSE(cal.add_working_days(d("2026-12-29"), 3).has_value());
  CHECK_FALSE(cal.add_working_days(d("2026-12-31"), 1).has_value());
  CHECK_FALSE(cal.add_working_days(d("2026-06-01"), 1000).has_value());
  CHECK(iso_or_none(cal.roll_to_working_day(d("2026-12-31"))) == "2026-12-31");
  // Starting before the first year is fine when every day examined is covered.
  CHECK(iso_or_none(cal.add_working_days(d("2023-12-31"), 1)) == "2024-01-02");
  // n == 0 is `from` itself; a negative count has no answer.
  CHECK(iso_or_none(cal.add_working_days(d("2026-10-03"), 0)) == "2026-10-03");
  CHECK_FALSE(cal.add_working_days(d("2026-10-08"), -1).has_value());
}

namespace {

// The shipped notices 2024–2026 and the statutory fixed holidays (calendars/statutory.yaml).
const WorkCalendar& with_statutory() {
  static const WorkCalendar cal = [] {
    std::vector<std::string> names = kNotices2024To2026;
    names.push_back("statutory.yaml");
    return load_clean(names);
  }();
  return cal;
}

std::string bound(epil::DateBound b) { return b.date.iso() + (b.exact ? "" : "+"); }

}  // namespace

TEST_CASE("calendar - the notices of 2017 to 2023 load clean and give their special days") {
  // Listing periods of two years decided from 2017 end in these years: their deletion
  // deadlines are counted on the notices, not guessed.
  WorkCalendar cal;
  Findings f;
  for (int y = 2017; y <= 2026; ++y) add_shipped(cal, "cn-" + std::to_string(y) + ".yaml", f);
  cal.check(d("2026-06-01"), f);
  CHECK_MESSAGE(f.items().empty(), dump(f));
  CHECK(cal.first_year() == 2017);
  for (const auto& y : cal.years()) {
    CAPTURE(y.year);
    CHECK(y.status == epil::Status::kOfficial);
    CHECK_FALSE(y.source.document.empty());
  }
  // 2020: the Spring Festival extended to 2 February (国办发明电〔2020〕1号); Saturday 1 February
  // is no longer worked.
  CHECK(cal.is_working_day(d("2020-02-01")) == false);
  CHECK(cal.is_working_day(d("2020-02-03")) == true);
  CHECK(iso_or_none(cal.add_working_days(d("2020-01-23"), 3)) == "2020-02-05");
  // 2019: 劳动节 changed to 5月1日至4日 with 4月28日 and 5月5日 worked (国办发明电〔2019〕3号).
  CHECK(cal.is_working_day(d("2019-05-04")) == false);
  CHECK(cal.is_working_day(d("2019-05-05")) == true);
  CHECK(iso_or_none(cal.add_working_days(d("2019-04-30"), 3)) == "2019-05-07");
  // 2019's 元旦 starts in 2018: Saturday 2018-12-29 worked, 12-30 to 2019-01-01 rest.
  CHECK(cal.is_working_day(d("2018-12-29")) == true);
  CHECK(cal.is_working_day(d("2018-12-31")) == false);
  // A two-year listing decided 2020-05-10 ends 2022-05-10 (a Tuesday): deleted by 05-13.
  CHECK(iso_or_none(cal.add_working_days(d("2022-05-10"), 3)) == "2022-05-13");
}

TEST_CASE("calendar - past the notices, only the 放假办法's fixed holidays are certain") {
  const WorkCalendar& cal = with_statutory();
  // 10月1日至3日 (放假办法第二条, from 2025): rest days in 2027 whatever its notice says; a
  // weekday or a weekend of 2027 is not certain either way.
  CHECK(cal.certainly_rest(d("2027-10-01")));
  CHECK(cal.certainly_rest(d("2027-10-03")));
  CHECK_FALSE(cal.certainly_rest(d("2027-10-04")));
  CHECK_FALSE(cal.certainly_rest(d("2027-10-09")));  // a Saturday: may be a 调休 working day
  CHECK(cal.certainly_rest(d("2027-05-02")));
  CHECK(cal.certainly_rest(d("2027-01-01")));
  // Before the 2025 text nothing is certain without a notice (the 2013 text is not shipped).
  CHECK_FALSE(cal.certainly_rest(d("2016-10-01")));
  // Covered days answer from the notices.
  CHECK(cal.certainly_rest(d("2026-10-07")));
  CHECK_FALSE(cal.certainly_rest(d("2026-10-10")));  // 调休上班
  // Issue 11 item 3: a period ending 2027-10-01 ends at the earliest on 10-04.
  CHECK(bound(cal.roll_bound(d("2027-10-01"))) == "2027-10-04+");
  CHECK(bound(cal.roll_bound(d("2027-02-28"))) == "2027-02-28+");  // a Sunday, maybe worked
  CHECK(bound(cal.roll_bound(d("2026-10-01"))) == "2026-10-08");   // covered: exact
  // 3 working days from 2026-12-30: the 31st counts, 2027-01-01 cannot, 01-02 and 01-03 may.
  CHECK(bound(cal.add_working_days_bound(d("2026-12-30"), 3)) == "2027-01-03+");
  CHECK(bound(cal.add_working_days_bound(d("2026-09-30"), 3)) == "2026-10-10");
}

TEST_CASE("calendar - the statutory file's errors") {
  WorkCalendar cal;
  Findings f;
  cal.add_file(R"yaml(statutory_holidays:
  - since: 2025-01-01
    source: {document: 国务院令第795号, title: 《决定》}
    status: reported
    days:
      - {name: 国庆节, dates: ["10-32"]}
)yaml",
               "calendars/statutory.yaml", f);
  CHECK(f.error_count() == 2);  // status must be official; 10-32 is no date
  CHECK_FALSE(cal.certainly_rest(d("2027-10-01")));  // a broken file makes nothing certain
}

TEST_CASE("calendar - an empty calendar covers nothing") {
  WorkCalendar cal;
  CHECK(cal.first_year() == 0);
  CHECK(cal.last_year() == 0);
  CHECK_FALSE(cal.covers(d("2026-01-05")));
  CHECK_FALSE(cal.is_working_day(d("2026-01-05")).has_value());
  CHECK_FALSE(cal.add_working_days(d("2026-01-05"), 1).has_value());
  CHECK(iso_or_none(cal.add_working_days(d("2026-01-05"), 0)) == "2026-01-05");
  CHECK(cal.holiday_of(d("2026-01-01")) == nullptr);
  Findings f;
  cal.check(d("2026-11-28"), f);
  CHECK(f.items().empty());
}

namespace {

// The notices' arrangements written out again here, independently of calendars/*.yaml: the
// property test compares the loaded files with this table day by day.
struct Arrangement {
  const char* from;
  const char* to;
  std::vector<const char*> working;
};

const std::vector<Arrangement>& notices() {
  static const std::vector<Arrangement> a = {
      // 国办发明电〔2023〕7号 (2024)
      {"2024-01-01", "2024-01-01", {}},
      {"2024-02-10", "2024-02-17", {"2024-02-04", "2024-02-18"}},
      {"2024-04-04", "2024-04-06", {"2024-04-07"}},
      {"2024-05-01", "2024-05-05", {"2024-04-28", "2024-05-11"}},
      {"2024-06-10", "2024-06-10", {}},
      {"2024-09-15", "2024-09-17", {"2024-09-14"}},
      {"2024-10-01", "2024-10-07", {"2024-09-29", "2024-10-12"}},
      // 国办发明电〔2024〕12号 (2025)
      {"2025-01-01", "2025-01-01", {}},
      {"2025-01-28", "2025-02-04", {"2025-01-26", "2025-02-08"}},
      {"2025-04-04", "2025-04-06", {}},
      {"2025-05-01", "2025-05-05", {"2025-04-27"}},
      {"2025-05-31", "2025-06-02", {}},
      {"2025-10-01", "2025-10-08", {"2025-09-28", "2025-10-11"}},
      // 国办发明电〔2025〕7号 (2026)
      {"2026-01-01", "2026-01-03", {"2026-01-04"}},
      {"2026-02-15", "2026-02-23", {"2026-02-14", "2026-02-28"}},
      {"2026-04-04", "2026-04-06", {}},
      {"2026-05-01", "2026-05-05", {"2026-05-09"}},
      {"2026-06-19", "2026-06-21", {}},
      {"2026-09-25", "2026-09-27", {}},
      {"2026-10-01", "2026-10-07", {"2026-09-20", "2026-10-10"}},
  };
  return a;
}

bool simple_rule(Date x) {
  for (const auto& a : notices()) {
    if (x >= d(a.from) && x <= d(a.to)) return false;
    for (const char* w : a.working) {
      if (x == d(w)) return true;
    }
  }
  return x.iso_weekday() <= 5;
}

}  // namespace

TEST_CASE("calendar - every day of 2024 to 2026 agrees with the notices and the yearly counts") {
  const WorkCalendar& cal = notices_2024_2026();
  // 365 or 366 days less 104 weekend days less the statutory holidays (11 days a year until
  // 2024, 13 from 2025 under the revised 《全国年节及纪念日放假办法》): 调休 only moves days.
  const int expected[] = {251, 248, 248};
  for (int y = 2024; y <= 2026; ++y) {
    int working = 0;
    for (Date x = *Date::from_ymd(y, 1, 1); x.year() == y; x = epil::add_days(x, 1)) {
      const std::optional<bool> w = cal.is_working_day(x);
      REQUIRE_MESSAGE(w.has_value(), x.iso());
      if (*w != simple_rule(x)) FAIL_CHECK(x.iso());
      working += *w;
      // The arithmetic agrees with the day rule: the next working day is one step away.
      const std::optional<Date> next = cal.add_working_days(x, 1);
      if (next && !(cal.is_working_day(*next) == std::optional<bool>(true))) FAIL_CHECK(x.iso());
      const std::optional<Date> rolled = cal.roll_to_working_day(x);
      if (rolled && *w && *rolled != x) FAIL_CHECK(x.iso());
    }
    CAPTURE(y);
    CHECK(working == expected[y - 2024]);
  }
}

TEST_CASE("calendar - the test fixture itself loads clean") {
  WorkCalendar cal;
  Findings f = load_one(base_lines(), cal);
  CHECK_MESSAGE(f.items().empty(), dump(f));
  CHECK(cal.is_working_day(d("2030-02-09")) == std::optional<bool>(true));
  CHECK(cal.is_working_day(d("2030-02-01")) == std::optional<bool>(false));
  REQUIRE(cal.years().size() == 1);
  CHECK(cal.years()[0].holidays.size() == 2);
  CHECK(cal.years()[0].holidays[0].line == 6);
  CHECK(cal.years()[0].holidays[0].name.en == "A");
  CHECK(cal.years()[0].status == epil::Status::kExample);
}

TEST_CASE("calendar - load errors with their line and column") {
  struct Case {
    const char* label;
    std::vector<std::pair<int, const char*>> edits;  // 1-based line of base_lines() → text
    const char* code;
    int line, column;
  };
  // clang-format off
  const Case cases[] = {
      {"bad date", {{7, "    from: 2030-02-30"}}, "bad-date", 7, 11},
      {"bad date format", {{9, "    working: [2030-2-9]"}}, "bad-date", 9, 15},
      {"range backwards", {{8, "    to: 2030-01-30"}}, "holiday-order", 8, 9},
      {"working day is a weekday", {{9, "    working: [2030-02-04]"}}, "working-day-weekday", 9,
       15},
      {"working day inside a range", {{9, "    working: [2030-02-02]"}},
       "working-day-in-holiday", 9, 15},
      {"working day listed twice", {{9, "    working: [2030-02-09, 2030-02-09]"}},
       "working-day-duplicate", 9, 27},
      {"overlap", {{11, "    from: 2030-02-03"}}, "holiday-overlap", 11, 11},
      {"range outside the year", {{11, "    from: 2031-05-01"}, {12, "    to: 2031-05-03"}},
       "holiday-outside-year", 11, 11},
      {"range spilling more than 7 days", {{12, "    to: 2031-01-08"}}, "holiday-outside-year",
       12, 9},
      {"range starting more than 7 days early", {{7, "    from: 2029-12-24"}},
       "holiday-outside-year", 7, 11},
      {"working day outside the year", {{9, "    working: [2029-06-02]"}},
       "holiday-outside-year", 9, 15},
      {"unknown key at the top", {{3, "stauts: example"}}, "unknown-key", 3, 1},
      {"unknown key in a holiday", {{9, "    wroking: [2030-02-09]"}}, "unknown-key", 9, 5},
      {"unknown key in a name", {{6, "  - name: {zh: 甲, fr: A}"}}, "unknown-key", 6, 19},
      {"unknown key in source", {{2, "source: {document: 测试〔2029〕1号, title: 测试通知, page: 3}"}},
       "unknown-key", 2, 45},  // columns count characters, not bytes
      {"bad year", {{1, "year: twenty"}}, "bad-year", 1, 7},
      {"bad status", {{3, "status: final"}}, "bad-status", 3, 9},
      {"source without document", {{2, "source: {title: 测试通知}"}}, "missing-source", 2, 9},
      {"working not a list", {{9, "    working: 2030-02-09"}}, "schema", 9, 14},
      {"holiday without to", {{8, "    name2: x"}}, "missing-key", 6, 5},
      {"holidays empty", {{6, "  []"}, {7, ""}, {8, ""}, {9, ""}, {10, ""}, {11, ""}, {12, ""}},
       "schema", 6, 3},
      {"yaml syntax", {{7, "    from: [2030-02-01"}}, "yaml-syntax", 8, 7},
  };
  // clang-format on
  for (const auto& c : cases) {
    const std::string label = c.label;
    CAPTURE(label);
    std::vector<std::string> lines = base_lines();
    for (const auto& [n, text] : c.edits) lines[static_cast<size_t>(n - 1)] = text;
    WorkCalendar cal;
    Findings f = load_one(lines, cal);
    CHECK_MESSAGE(has(f, c.code, c.line, c.column), dump(f));
    CHECK_FALSE(f.ok());
    // A file with an error is not used.
    CHECK(cal.years().empty());
    CHECK_FALSE(cal.covers(d("2030-03-01")));
    for (const auto& x : f.items()) {
      CHECK(x.file == "t.yaml");
      CHECK_FALSE(x.message.empty());
      CHECK_FALSE(x.message_zh.empty());
    }
  }
}

TEST_CASE("calendar - an unknown key suggests the near miss in both languages") {
  std::vector<std::string> lines = base_lines();
  lines[8] = "    wroking: [2030-02-09]";
  WorkCalendar cal;
  Findings f = load_one(lines, cal);
  REQUIRE(f.items().size() == 1);
  CHECK(f.items()[0].severity == epil::Severity::kError);
  CHECK(f.items()[0].format().find("t.yaml:9:5: error[unknown-key]") == 0);
  CHECK(f.items()[0].message.find("did you mean 'working'") != std::string::npos);
  CHECK(f.items()[0].message_zh.find("是否应为 'working'") != std::string::npos);
}

TEST_CASE("calendar - missing required keys") {
  for (const char* key : {"year", "source", "status", "last_checked", "holidays"}) {
    CAPTURE(key);
    std::vector<std::string> lines;
    for (const auto& l : base_lines()) {
      if (l.rfind(std::string(key) + ":", 0) == 0) continue;
      // Dropping `holidays:` leaves its items without a parent: drop them too.
      if (std::string_view(key) == "holidays" && l.rfind(" ", 0) == 0) continue;
      lines.push_back(l);
    }
    WorkCalendar cal;
    Findings f = load_one(lines, cal);
    CHECK_FALSE(f.ok());
    CHECK(cal.years().empty());
    bool found = false;
    for (const auto& x : f.items()) {
      found = found || (x.message.find(key) != std::string::npos && x.line == 1);
    }
    CHECK_MESSAGE(found, dump(f));
  }
}

TEST_CASE("calendar - 元旦 may start in the year before and counts there when it is covered") {
  const std::string y2030 = join(base_lines());
  std::vector<std::string> l2031 = {
      "year: 2031",
      "source: {document: 测试〔2030〕1号, title: 测试通知}",
      "status: example",
      "last_checked: 2030-11-01",
      "holidays:",
      "  - name: {zh: 元旦, en: New Year's Day}",
      "    from: 2030-12-31",  // a Tuesday
      "    to: 2031-01-01",
  };
  WorkCalendar alone;
  Findings f1 = load_one(l2031, alone);
  CHECK_MESSAGE(f1.items().empty(), dump(f1));
  // 2030 has no file: its last day stays unknown even though a notice names it.
  CHECK_FALSE(alone.is_working_day(d("2030-12-31")).has_value());
  CHECK(alone.is_working_day(d("2031-01-01")) == std::optional<bool>(false));
  CHECK(alone.is_working_day(d("2031-01-02")) == std::optional<bool>(true));
  REQUIRE(alone.holiday_of(d("2030-12-31")) != nullptr);

  WorkCalendar both;
  Findings f2;
  both.add_file(join(l2031), "cn-2031.yaml", f2);  // out of order on purpose
  both.add_file(y2030, "cn-2030.yaml", f2);
  both.check(d("2030-06-01"), f2);
  CHECK_MESSAGE(f2.items().empty(), dump(f2));
  CHECK(both.years()[0].year == 2030);
  CHECK(both.is_working_day(d("2030-12-30")) == std::optional<bool>(true));
  CHECK(both.is_working_day(d("2030-12-31")) == std::optional<bool>(false));
  CHECK(iso_or_none(both.add_working_days(d("2030-12-30"), 1)) == "2031-01-02");
}

TEST_CASE("calendar - cross-file findings of check") {
  SUBCASE("a year given twice covers nothing") {
    WorkCalendar cal;
    Findings f;
    cal.add_file(join(base_lines()), "a.yaml", f);
    cal.add_file(join(base_lines()), "b.yaml", f);
    REQUIRE(f.items().empty());
    CHECK_FALSE(cal.covers(d("2030-03-01")));
    CHECK_FALSE(cal.is_working_day(d("2030-03-01")).has_value());
    cal.check(d("2030-06-01"), f);
    CHECK_MESSAGE(f.items().size() == 1, dump(f));
    CHECK(has(f, "calendar-duplicate-year", 1, 7));
    CHECK(f.items()[0].file == "b.yaml");
    CHECK(f.items()[0].message.find("a.yaml:1") != std::string::npos);
  }
  SUBCASE("a range reaching into the next year's file overlaps it") {
    std::vector<std::string> l2030 = base_lines();
    l2030[11] = "    to: 2031-01-02";  // 乙 now runs 2030-05-01 to 2031-01-02
    l2030[10] = "    from: 2030-12-30";
    std::vector<std::string> l2031 = base_lines();
    l2031[0] = "year: 2031";
    l2031[6] = "    from: 2031-01-01";
    l2031[7] = "    to: 2031-01-01";
    l2031[8] = "    working: [2031-01-04]";  // a Saturday
    l2031[10] = "    from: 2031-05-01";
    l2031[11] = "    to: 2031-05-02";
    WorkCalendar cal;
    Findings f;
    cal.add_file(join(l2030), "a.yaml", f);
    cal.add_file(join(l2031), "b.yaml", f);
    REQUIRE_MESSAGE(f.items().empty(), dump(f));
    cal.check(d("2030-06-01"), f);
    CHECK_MESSAGE(has(f, "holiday-overlap", 6, 5), dump(f));
    CHECK(f.items()[0].file == "b.yaml");
  }
  SUBCASE("a working day in another file's range") {
    std::vector<std::string> l2030 = base_lines();
    l2030[10] = "    from: 2030-12-30";
    l2030[11] = "    to: 2031-01-05";  // reaches into 2031, over its working Saturday
    std::vector<std::string> l2031 = base_lines();
    l2031[0] = "year: 2031";
    l2031[6] = "    from: 2031-02-01";
    l2031[7] = "    to: 2031-02-02";
    l2031[8] = "    working: [2031-01-04]";
    l2031[10] = "    from: 2031-05-01";
    l2031[11] = "    to: 2031-05-02";
    WorkCalendar cal;
    Findings f;
    cal.add_file(join(l2030), "a.yaml", f);
    cal.add_file(join(l2031), "b.yaml", f);
    REQUIRE_MESSAGE(f.items().empty(), dump(f));
    // Claimed both ways: neither answer is given.
    CHECK_FALSE(cal.is_working_day(d("2031-01-04")).has_value());
    CHECK(cal.is_working_day(d("2031-01-03")) == std::optional<bool>(false));
    cal.check(d("2030-06-01"), f);
    CHECK_MESSAGE(has(f, "working-day-in-holiday", 6, 5), dump(f));
    CHECK(f.items()[0].file == "b.yaml");
  }
  SUBCASE("a missing year between two others") {
    std::vector<std::string> l2032 = base_lines();
    l2032[0] = "year: 2032";
    for (int i : {6, 7}) l2032[i].replace(l2032[i].find("2030"), 4, "2032");
    l2032[8] = "    working: [2032-02-07]";  // a Saturday
    l2032[10] = "    from: 2032-05-01";
    l2032[11] = "    to: 2032-05-03";
    WorkCalendar cal;
    Findings f;
    cal.add_file(join(base_lines()), "a.yaml", f);
    cal.add_file(join(l2032), "c.yaml", f);
    REQUIRE_MESSAGE(f.items().empty(), dump(f));
    CHECK_FALSE(cal.is_working_day(d("2031-03-03")).has_value());
    cal.check(d("2030-06-01"), f);
    CHECK_MESSAGE(has(f, "calendar-gap", 1, 7), dump(f));
    CHECK(f.items()[0].severity == epil::Severity::kWarning);
    CHECK(f.items()[0].message.find("2031") != std::string::npos);
  }
}

TEST_CASE("calendar - the next notice is due within 60 days of the last year's end") {
  const WorkCalendar& cal = notices_2024_2026();
  Findings before;
  cal.check(d("2026-11-01"), before);  // 60 days left
  REQUIRE(before.items().size() == 1);
  const epil::Finding& w = before.items()[0];
  CHECK(w.code == "calendar-next-year-due");
  CHECK(w.severity == epil::Severity::kWarning);
  CHECK(w.file == "calendars/cn-2026.yaml");
  CHECK(w.line == 4);
  CHECK(w.column == 7);
  CHECK(w.message.find("2027") != std::string::npos);
  CHECK(w.message_zh.find("2027") != std::string::npos);
  Findings early;
  cal.check(d("2026-10-31"), early);  // 61 days left
  CHECK(early.items().empty());
  Findings last_day;
  cal.check(d("2026-12-31"), last_day);
  CHECK(has(last_day, "calendar-next-year-due", 4, 7));
  Findings after;
  cal.check(d("2027-01-02"), after);
  REQUIRE(after.items().size() == 1);
  CHECK(after.items()[0].code == "calendar-expired");
  CHECK(after.ok());  // warnings only
}
