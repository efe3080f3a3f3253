// Loading and checking calendars/*.yaml, and the working-day arithmetic of core/calendar.h.
#include "core/calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <map>

#include "core/messages.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

namespace {

// A New Year holiday may start on 30 or 31 December of the year before its notice (元旦
// 2018: 2017-12-30 to 2018-01-01), and a notice may in principle reach a few days into the
// next year; a week is enough for both and still catches a range typed in the wrong year.
constexpr int kSpillDays = 7;
// The next year's notice has come out between late October and early December.
constexpr int kNoticeDueDays = 60;

Date year_start(int y) { return *Date::from_ymd(y, 1, 1); }
Date year_end(int y) { return *Date::from_ymd(y, 12, 31); }
bool is_weekend(Date d) { return d.iso_weekday() >= 6; }

// A calendar file, as the messages name it.
const Text kCalendar{"节假日日历", "calendar"};

// A date, and a holiday's dates, as each language writes them.
Text date_text(Date d) { return {d.zh(), d.iso()}; }
Text range(const Holiday& h) {
  if (h.from == h.to) return date_text(h.from);
  return message(Msg::kDateRange, date_text(h.from), date_text(h.to));
}

// Unknown keys are errors here, not the loaders' usual warning: a misspelt `working:` would
// silently drop 调休 Saturdays and move every deadline that crosses them.
void known_keys(YamlReader& r, const yaml::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : map.entries()) {
    const std::string& k = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string list;
    std::string_view nearest;
    size_t best = 3;  // suggest only near misses
    for (auto a : allowed) {
      list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
      size_t d = edit_distance(k, a);
      if (d < best) {
        best = d;
        nearest = a;
      }
    }
    if (nearest.empty()) {
      r.error(kv.first, Msg::kUnknownKey, what, k, list);
    } else {
      r.error(kv.first, Msg::kUnknownKeyDidYouMean, what, k, list, nearest);
    }
  }
}

// A required date value: an error at the map when absent, at the value when malformed.
std::optional<Date> required_date(YamlReader& r, const yaml::Node& map, const char* key,
                                  const std::string& what) {
  yaml::Node n = map[key];
  if (!n || n.IsNull()) {
    r.error(map, Msg::kMissingKey, what, key);
    return std::nullopt;
  }
  return r.date(n, fmt::format("{}.{}", what, key));
}

std::optional<int> parse_year(YamlReader& r, const yaml::Node& root) {
  yaml::Node n = root["year"];
  if (!n || n.IsNull()) {
    r.error(root, Msg::kMissingKey, kCalendar, "year");
    return std::nullopt;
  }
  auto s = r.scalar(n, "year");
  if (!s) return std::nullopt;
  int y = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), y);
  if (ec != std::errc() || p != s->data() + s->size() || y < 1 || y > 9999) {
    r.error(n, Msg::kBadYear, *s);
    return std::nullopt;
  }
  return y;
}

void load_source(YamlReader& r, const yaml::Node& root, CalendarYear& cy) {
  yaml::Node src = root["source"];
  // Every calendar names its notice: a holiday nobody can trace moves deadlines on faith.
  if (!src || src.IsNull()) {
    r.error(root, Msg::kCalendarSourceRequired);
    return;
  }
  if (!r.is_map(src, "source")) return;
  known_keys(r, src, "source", {"document", "title", "url", "note"});
  cy.source.document = r.optional_scalar(src, "document", "source.document");
  cy.source.title = r.optional_scalar(src, "title", "source.title");
  cy.source.url = r.optional_scalar(src, "url", "source.url");
  cy.source.note = r.optional_scalar(src, "note", "source.note");
  if (cy.source.document.empty()) {
    r.error(src, Msg::kNoticeDocumentRequired);
  }
  if (cy.source.title.empty()) {
    r.error(src, Msg::kNoticeTitleRequired);
  }
}

Text load_name(YamlReader& r, const yaml::Node& item, const std::string& what) {
  Text t;
  yaml::Node n = item["name"];
  if (!n || n.IsNull()) {
    r.error(item, Msg::kMissingKey, what, "name");
    return t;
  }
  if (n.IsScalar()) {
    t.zh = n.Scalar();
    return t;
  }
  if (!r.is_map(n, what + ".name")) return t;
  known_keys(r, n, what + ".name", {"zh", "en"});
  t.zh = r.optional_scalar(n, "zh", what + ".name.zh");
  t.en = r.optional_scalar(n, "en", what + ".name.en");
  if (t.zh.empty()) {
    r.error(n, Msg::kChineseNameRequired, what);
  }
  return t;
}

// Where a holiday's parts were written, for the checks that run after the whole list is read.
struct HolidayAt {
  yaml::Node from, to;
  std::vector<yaml::Node> working;
};

// Loads one `holidays` entry; returns false when it cannot be used at all.
bool load_holiday(YamlReader& r, const yaml::Node& item, const std::string& what,
                  std::optional<int> year, Holiday& h, HolidayAt& at) {
  if (!r.is_map(item, what)) return false;
  known_keys(r, item, what, {"name", "from", "to", "working"});
  h.line = YamlReader::line(item);
  h.column = YamlReader::column(item);
  h.name = load_name(r, item, what);
  std::string label = h.name.zh.empty() ? what : fmt::format("{} ({})", what, h.name.zh);
  auto from = required_date(r, item, "from", label);
  auto to = required_date(r, item, "to", label);
  at.from = item["from"];
  at.to = item["to"];
  if (!from || !to) return false;
  h.from = *from;
  h.to = *to;
  bool ok = true;
  if (h.from > h.to) {
    r.error(at.to, Msg::kHolidayToBeforeFrom, label, h.to.iso(), h.from.iso());
    ok = false;
  } else if (year) {
    const Date lo = add_days(year_start(*year), -kSpillDays);
    const Date hi = add_days(year_end(*year), kSpillDays);
    if (h.to < year_start(*year) || h.from > year_end(*year)) {
      r.error(at.from, Msg::kHolidayOutsideYear, label, range(h), *year);
      ok = false;
    } else if (h.from < lo || h.to > hi) {
      const yaml::Node& where = h.from < lo ? at.from : at.to;
      r.error(where, Msg::kHolidayBeyondYear, label, range(h), kSpillDays, *year);
      ok = false;
    }
  }
  yaml::Node w = item["working"];
  if (w && !w.IsNull()) {
    if (!w.IsSequence()) {
      r.error(w, Msg::kWorkingNotList, label);
      return false;
    }
    for (const auto& wn : w.items()) {
      auto d = r.date(wn, label + ".working");
      if (!d) {
        ok = false;
        continue;
      }
      // 调休 moves a weekday's work onto a weekend: a weekday listed here is a typo.
      if (!is_weekend(*d)) {
        r.error(wn, Msg::kWorkingDayNotWeekend, label, date_text(*d));
        ok = false;
      }
      if (year && (*d < add_days(year_start(*year), -kSpillDays) ||
                   *d > add_days(year_end(*year), kSpillDays))) {
        r.error(wn, Msg::kWorkingDayOutsideYear, label, date_text(*d), *year);
        ok = false;
      }
      h.working.push_back(*d);
      at.working.push_back(wn);
    }
  }
  return ok;
}

// The checks that need the whole list: overlapping ranges, working days inside a range, a
// working day listed twice.
void check_holidays(YamlReader& r, const std::vector<Holiday>& hs,
                    const std::vector<HolidayAt>& at) {
  for (size_t i = 0; i < hs.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (hs[i].from <= hs[j].to && hs[j].from <= hs[i].to) {
        r.error(at[i].from, Msg::kHolidayOverlap, hs[i].name, range(hs[i]), hs[j].name,
                range(hs[j]), hs[j].line);
      }
    }
  }
  std::map<Date, int> seen;  // working day → line of its first listing
  for (size_t i = 0; i < hs.size(); ++i) {
    for (size_t k = 0; k < hs[i].working.size(); ++k) {
      const Date d = hs[i].working[k];
      const yaml::Node& wn = at[i].working[k];
      for (const Holiday& other : hs) {
        if (d >= other.from && d <= other.to) {
          r.error(wn, Msg::kWorkingDayInHoliday, hs[i].name, date_text(d), other.name,
                  range(other));
        }
      }
      auto [it, fresh] = seen.emplace(d, YamlReader::line(wn));
      if (!fresh) {
        r.error(wn, Msg::kWorkingDayListedTwice, date_text(d), it->second);
      }
    }
  }
}

}  // namespace

void WorkCalendar::add_file(std::string_view text, const std::string& file, Findings& findings,
                            const Limits& limits) {
  const int errors_before = findings.error_count();
  YamlReader r(file, findings, limits);
  auto root_opt = r.parse(text);
  if (!root_opt) return;
  const yaml::Node& root = *root_opt;
  if (!root.IsMap()) {
    add_error(findings, Msg::kCalendarNotMapping, file, 1, 1);
    return;
  }
  if (root["statutory_holidays"]) return add_statutory(root, r);
  known_keys(r, root, "calendar", {"year", "source", "status", "last_checked", "holidays"});
  CalendarYear cy;
  cy.file = file;
  std::optional<int> year = parse_year(r, root);
  if (year) {
    cy.year = *year;
    cy.line = YamlReader::line(root["year"]);
    cy.column = YamlReader::column(root["year"]);
  }
  load_source(r, root, cy);
  yaml::Node st = root["status"];
  if (!st || st.IsNull()) {
    r.error(root, Msg::kCalendarStatusRequired);
  } else if (auto s = r.scalar(st, "status")) {
    if (auto parsed = parse_status(*s)) {
      cy.status = *parsed;
    } else {
      r.error(st, Msg::kBadCalendarStatus, *s);
    }
  }
  cy.last_checked = required_date(r, root, "last_checked", "calendar");
  yaml::Node list = root["holidays"];
  if (!list || list.IsNull()) {
    r.error(root, Msg::kMissingKey, kCalendar, "holidays");
  } else if (!list.IsSequence() || list.items().empty()) {
    r.error(list, Msg::kHolidaysNotList);
  } else {
    std::vector<HolidayAt> at;
    for (size_t i = 0; i < list.items().size(); ++i) {
      Holiday h;
      HolidayAt a;
      if (load_holiday(r, list.items()[i], fmt::format("holidays[{}]", i + 1), year, h, a)) {
        cy.holidays.push_back(std::move(h));
        at.push_back(std::move(a));
      }
    }
    check_holidays(r, cy.holidays, at);
  }
  if (findings.error_count() > errors_before) return;
  auto pos = std::upper_bound(years_.begin(), years_.end(), cy.year,
                              [](int y, const CalendarYear& c) { return y < c.year; });
  years_.insert(pos, std::move(cy));
  rebuild();
}

void WorkCalendar::rebuild() {
  days_.clear();
  if (years_.empty()) return;
  const int lo = years_.front().year, hi = years_.back().year;
  first_day_ = year_start(lo).days();
  days_.assign(static_cast<size_t>(year_end(hi).days() - first_day_ + 1), Day::kUnknown);
  auto at = [&](Date d) -> Day* {
    int64_t i = static_cast<int64_t>(d.days()) - first_day_;
    return i >= 0 && i < static_cast<int64_t>(days_.size()) ? &days_[static_cast<size_t>(i)]
                                                            : nullptr;
  };
  std::map<int, int> files_per_year;
  for (const auto& y : years_) ++files_per_year[y.year];
  // Pass 1: the weekly rule for every day of a year given exactly once.
  for (const auto& [y, n] : files_per_year) {
    if (n != 1) continue;
    for (Date d = year_start(y); d <= year_end(y); d = add_days(d, 1))
      *at(d) = is_weekend(d) ? Day::kRest : Day::kWorking;
  }
  // Pass 2: ranges and working days, also where they reach into a neighbouring covered year.
  // A day claimed both ways by two files (a check() error) becomes unknown, not either one.
  std::vector<uint8_t> claim(days_.size(), 0);  // 1: in a range, 2: listed as working
  for (const auto& y : years_) {
    if (files_per_year[y.year] != 1) continue;
    for (const auto& h : y.holidays) {
      for (Date d = h.from; d <= h.to; d = add_days(d, 1)) {
        if (Day* p = at(d); p && *p != Day::kUnknown) claim[p - days_.data()] |= 1;
      }
      for (Date d : h.working) {
        if (Day* p = at(d); p && *p != Day::kUnknown) claim[p - days_.data()] |= 2;
      }
    }
  }
  for (size_t i = 0; i < days_.size(); ++i) {
    if (claim[i] == 3)
      days_[i] = Day::kUnknown;
    else if (claim[i] == 1)
      days_[i] = Day::kRest;
    else if (claim[i] == 2)
      days_[i] = Day::kWorking;
  }
}

// calendars/statutory.yaml:
//   statutory_holidays:
//     - since: 2025-01-01
//       source: {document: 国务院令第795号, title: …}
//       status: official
//       days:
//         - {name: {zh: 国庆节, en: National Day}, dates: [10-01, 10-02, 10-03]}
void WorkCalendar::add_statutory(const yaml::Node& root, YamlReader& r) {
  const int errors_before = r.findings().error_count();
  known_keys(r, root, "statutory calendar", {"statutory_holidays", "last_checked"});
  yaml::Node list = root["statutory_holidays"];
  if (!list.IsSequence() || list.items().empty()) {
    r.error(list, Msg::kStatutoryNotList);
    return;
  }
  std::vector<StatutoryRule> rules;
  for (const auto& item : list.items()) {
    if (!r.is_map(item, "statutory_holidays[]")) continue;
    known_keys(r, item, "statutory_holidays[]", {"since", "source", "status", "days"});
    StatutoryRule rule;
    if (auto since = required_date(r, item, "since", "statutory_holidays[]")) rule.since = *since;
    // The rule's own source and status, checked like a notice's.
    CalendarYear as_notice;
    load_source(r, item, as_notice);
    auto status = item["status"] ? r.scalar(item["status"], "status") : std::nullopt;
    if (!status || parse_status(*status) != Status::kOfficial) {
      // Only the text of the 放假办法 itself may make a day certainly a rest day.
      r.error(item, Msg::kStatutoryNotOfficial);
    }
    yaml::Node days = item["days"];
    if (!days.IsSequence()) {
      r.error(item, Msg::kStatutoryDaysNotList);
      continue;
    }
    for (const auto& day : days.items()) {
      if (!r.is_map(day, "days[]")) continue;
      known_keys(r, day, "days[]", {"name", "dates"});
      Text name = load_name(r, day, "days[]");
      for (const std::string& md : r.string_list(day["dates"], "days[].dates")) {
        int m = 0, dd = 0;
        // MM-DD, checked against a leap year so that 02-29 would pass the shape test.
        if (md.size() != 5 || md[2] != '-' ||
            std::from_chars(md.data(), md.data() + 2, m).ec != std::errc() ||
            std::from_chars(md.data() + 3, md.data() + 5, dd).ec != std::errc() ||
            !Date::from_ymd(2024, m, dd)) {
          r.error(day["dates"], Msg::kBadMonthDay, md);
          continue;
        }
        rule.days.emplace_back(m, dd);
      }
      rule.names.push_back(std::move(name));
    }
    if (statutory_source_.document.empty()) statutory_source_ = as_notice.source;
    rules.push_back(std::move(rule));
  }
  if (r.findings().error_count() > errors_before) return;  // a broken file makes nothing certain
  statutory_.insert(statutory_.end(), rules.begin(), rules.end());
  std::sort(statutory_.begin(), statutory_.end(),
            [](const StatutoryRule& a, const StatutoryRule& b) { return a.since < b.since; });
}

bool WorkCalendar::certainly_rest(Date d) const {
  Day k = day(d);
  if (k != Day::kUnknown) return k == Day::kRest;
  const StatutoryRule* in_force = nullptr;
  for (const auto& rule : statutory_) {
    if (rule.since <= d) in_force = &rule;
  }
  if (!in_force) return false;
  const std::pair<int, int> md{d.month(), d.day()};
  return std::find(in_force->days.begin(), in_force->days.end(), md) != in_force->days.end();
}

DateBound WorkCalendar::roll_bound(Date d) const {
  bool exact = true;
  for (int guard = 0; guard < 366; ++guard, d = add_days(d, 1)) {
    Day k = day(d);
    if (k == Day::kWorking) return {d, exact};
    if (k == Day::kRest) continue;
    if (!certainly_rest(d)) return {d, false};  // it may be the working day the period ends on
  }
  return {d, false};
}

DateBound WorkCalendar::add_working_days_bound(Date from, int n) const {
  DateBound b{from, true};
  for (; n > 0;) {
    b.date = add_days(b.date, 1);
    Day k = day(b.date);
    if (k == Day::kWorking) {
      --n;
    } else if (k == Day::kUnknown && !certainly_rest(b.date)) {
      b.exact = false;  // counted as a working day: the earliest the count can end
      --n;
    }
  }
  return b;
}

WorkCalendar::Day WorkCalendar::day(Date d) const {
  int64_t i = static_cast<int64_t>(d.days()) - first_day_;
  if (i < 0 || i >= static_cast<int64_t>(days_.size())) return Day::kUnknown;
  return days_[static_cast<size_t>(i)];
}

bool WorkCalendar::covers(Date d) const {
  int n = 0;
  for (const auto& y : years_) n += y.year == d.year();
  return n == 1;
}

int WorkCalendar::first_year() const { return years_.empty() ? 0 : years_.front().year; }
int WorkCalendar::last_year() const { return years_.empty() ? 0 : years_.back().year; }

std::optional<bool> WorkCalendar::is_working_day(Date d) const {
  switch (day(d)) {
    case Day::kWorking:
      return true;
    case Day::kRest:
      return false;
    default:
      return std::nullopt;
  }
}

std::optional<Date> WorkCalendar::add_working_days(Date from, int n) const {
  if (n < 0) return std::nullopt;
  Date d = from;
  // Terminates: every step either counts a day or moves towards the end of days_, past which
  // day() is unknown.
  while (n > 0) {
    d = add_days(d, 1);
    Day k = day(d);
    if (k == Day::kUnknown) return std::nullopt;
    if (k == Day::kWorking) --n;
  }
  return d;
}

std::optional<Date> WorkCalendar::roll_to_working_day(Date d) const {
  for (;; d = add_days(d, 1)) {
    Day k = day(d);
    if (k == Day::kUnknown) return std::nullopt;
    if (k == Day::kWorking) return d;
  }
}

const Holiday* WorkCalendar::holiday_of(Date d) const {
  for (const auto& y : years_) {
    for (const auto& h : y.holidays) {
      if (d >= h.from && d <= h.to) return &h;
    }
  }
  return nullptr;
}

void WorkCalendar::check(Date today, Findings& findings) const {
  std::map<int, const CalendarYear*> first_of;  // year → its first file
  for (const auto& y : years_) {
    auto [it, fresh] = first_of.emplace(y.year, &y);
    if (!fresh) {
      const CalendarYear& a = *it->second;
      add_error(findings, Msg::kCalendarYearTwice, y.file, y.line, y.column, y.year, a.file,
                a.line);
    }
  }
  auto unique = [&](const CalendarYear& y) {
    return std::count_if(years_.begin(), years_.end(),
                         [&](const CalendarYear& o) { return o.year == y.year; }) == 1;
  };
  // Within a file these are load errors; across files they arise only where a range or a
  // working day reaches into the neighbouring year.
  for (size_t i = 0; i < years_.size(); ++i) {
    const CalendarYear& a = years_[i];
    if (!unique(a)) continue;
    for (size_t j = 0; j < years_.size(); ++j) {
      const CalendarYear& b = years_[j];
      if (i == j || !unique(b)) continue;
      for (const Holiday& ha : a.holidays) {
        for (const Holiday& hb : b.holidays) {
          if (j < i && ha.from <= hb.to && hb.from <= ha.to) {
            add_error(findings, Msg::kHolidayOverlapAcross, a.file, ha.line, ha.column, ha.name,
                      range(ha), hb.name, range(hb), b.file, hb.line);
          }
          for (Date d : ha.working) {
            if (d >= hb.from && d <= hb.to) {
              add_error(findings, Msg::kWorkingDayInHolidayAcross, a.file, ha.line, ha.column,
                        ha.name, date_text(d), hb.name, range(hb), b.file, hb.line);
            }
          }
        }
      }
    }
  }
  // A year missing between two loaded ones.
  for (auto it = first_of.begin(); it != first_of.end(); ++it) {
    auto next = std::next(it);
    if (next == first_of.end() || next->first == it->first + 1) continue;
    const CalendarYear& n = *next->second;
    const int from = it->first + 1, to = next->first - 1;
    std::string span = from == to ? fmt::format("{}", from) : fmt::format("{}–{}", from, to);
    add_warning(findings, Msg::kCalendarGap, n.file, n.line, n.column, span);
  }
  // Staleness. The notice for year Y+1 comes out in Y's last quarter; a calendar that ends
  // soon with nothing after it will start answering "not covered" for every deadline.
  for (const auto& [y, cy] : first_of) {
    if (first_of.count(y + 1)) continue;
    const Date end = year_end(y);
    const int left = end.days() - today.days();
    if (left >= 0 && left <= kNoticeDueDays) {
      add_warning(findings, Msg::kCalendarNextYearDue, cy->file, cy->line, cy->column,
                  date_text(end), left, date_text(today), y + 1);
    }
  }
  if (!years_.empty() && today.year() > last_year()) {
    const CalendarYear& cy = *first_of.rbegin()->second;
    add_warning(findings, Msg::kCalendarExpired, cy.file, cy.line, cy.column, date_text(today),
                last_year(), last_year() + 1);
  }
}

}  // namespace epil
