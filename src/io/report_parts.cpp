#include "io/report_parts.h"

#include <fmt/format.h>

#include "io/report.h"

namespace epil::io {

Text result_text(TestResult r) {
  switch (r) {
    case TestResult::kTrue:
      return {"是", "yes"};
    case TestResult::kFalse:
      return {"否", "no"};
    case TestResult::kUnknown:
      // Missing facts, a threshold not in force or a calendar not shipped: said below.
      return {"无法判断", "unknown"};
    case TestResult::kNotApplicable:
      return {"不适用", "not applicable"};
  }
  return {};
}

const char* result_mark(TestResult r) {
  switch (r) {
    case TestResult::kTrue:
      return "✓";
    case TestResult::kFalse:
      return "✗";
    case TestResult::kUnknown:
      return "?";
    case TestResult::kNotApplicable:
      return "–";
  }
  return " ";
}

std::string threshold_name(const ThresholdUse& t, Lang lang) {
  std::string name = t.label.in(lang).empty() ? t.param : t.label.in(lang);
  if (!t.index.empty()) {
    name += fmt::format("[{}]", t.index_label.in(lang).empty() ? t.index : t.index_label.in(lang));
  }
  return name;
}

std::string threshold_short(const ThresholdUse& t, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const std::string name = threshold_name(t, lang);
  if (t.provenance) return fmt::format("{} = {}", name, t.shown.in(lang));
  if (t.before_values) {
    return zh ? fmt::format("{}：该日期早于所有取值的生效日期，没有可适用的标准", name)
              : fmt::format(
                    "{}: the date is before every value's date in force; no threshold "
                    "applies",
                    name);
  }
  return zh ? fmt::format("{}：本地区未设定", name)
            : fmt::format("{}: not set for this region", name);
}

std::string threshold_line(const ThresholdUse& t, Lang lang) {
  if (!t.provenance) return threshold_short(t, lang);
  const bool zh = lang == Lang::kZh;
  const Provenance& p = *t.provenance;
  const DatedValue& v = *p.value;
  std::string region = p.region ? p.region->name.in(lang) : "";
  std::string until = p.until ? (zh ? fmt::format("，至 {} 止", p.until->iso())
                                    : fmt::format(" until {}", p.until->iso()))
                              : "";
  return zh ? fmt::format("{} · {} · {} · {} · 自 {} 起施行{} · {}:{}", threshold_short(t, lang),
                          region, cite(v.source), status_label(v.status).zh, v.since.iso(), until,
                          v.file, v.line)
            : fmt::format("{} · {} · {} · {} · in force from {}{} · {}:{}",
                          threshold_short(t, lang), region, cite(v.source),
                          status_label(v.status).en, v.since.iso(), until, v.file, v.line);
}

// Why a result cannot be decided when no fact is missing, or besides the facts missing: a
// threshold not yet in force on the date (not a fact anyone can give), a period end in a year
// whose holiday arrangement is not shipped, arithmetic without a result.
std::vector<std::string> pending_lines(const Explanation& e, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> out;
  if (e.pending.empty() && !e.pending_calendar && !e.pending_arithmetic) return out;
  out.push_back(zh ? "无法判断的原因（不是缺少事实）："
                   : "Why it cannot be decided (no fact is missing for this):");
  for (const auto& t : e.pending) {
    const std::string name = threshold_name(t, lang);
    std::string since = t.first_since ? t.first_since->iso() : "";
    out.push_back(
        zh ? fmt::format("  - {}：适用日期尚无施行中的数值{}；标准未施行不是缺少事实，须人工判断",
                         name, since.empty() ? "" : fmt::format("（本配置最早自 {} 起）", since))
           : fmt::format("  - {}: no value in force on the date that applies{}; a threshold "
                         "not yet in force is not a missing fact — a person must judge",
                         name, since.empty() ? "" : fmt::format(" (the first from {})", since)));
  }
  if (e.pending_calendar) {
    out.push_back(
        zh ? "  - 期间届满日落在本配置未收录节假日安排的年份：是否已经届满，收录该年安排后才能确定"
           : "  - a period ends in a year whose holiday arrangement is not in this configuration's "
             "calendars: whether it has ended is known once that year is added");
  }
  if (e.pending_arithmetic) {
    out.push_back(
        zh ? "  - "
             "按规则计算的数额超出可表示的范围（或除以零），没有确定的结果：须人工核对事实与规则"
           : "  - an amount the rules compute from the facts is beyond the numbers epil can "
             "represent (or divides by zero): it has no value — a person must check the facts "
             "and the rule");
  }
  return out;
}

std::string short_value(const InputUse& v, Lang lang) {
  if (v.value.kind == Value::kDate && v.value.open_date()) {
    const std::string iso = v.value.as_date().iso();
    const std::string year = iso.substr(0, 4);
    return lang == Lang::kZh ? fmt::format("不早于 {}（{} 年节假日安排未收录）", iso, year)
                             : fmt::format("{} or later ({} holidays not shipped)", iso, year);
  }
  return v.shown.in(lang);
}

std::string open_dates_note(const Explanation& e, Lang lang) {
  std::string years;  // "2027、2029" / "2027, 2029"
  for (const auto& r : e.results) {
    if (r.value.value.kind != Value::kDate || !r.value.value.open_date()) continue;
    const std::string y = r.value.value.as_date().iso().substr(0, 4);
    if (years.find(y) != std::string::npos) continue;
    years += (years.empty() ? "" : lang == Lang::kZh ? "、" : ", ") + y;
  }
  if (years.empty()) return years;
  return lang == Lang::kZh
             ? fmt::format(
                   "注：本配置未收录 {} 年的节假日安排：期间末日如逢法定休假日或调休，实际"
                   "日期可能更晚；收录该年安排后即可确定。",
                   years)
             : fmt::format(
                   "Note: this configuration does not ship the holiday arrangements of "
                   "{}: a period ending on a rest day or a swapped working day may end "
                   "later; it is settled once that year is added.",
                   years);
}

std::string imprecise_line(const Explanation& e, Lang lang) {
  if (e.imprecise.empty()) return {};
  return (lang == Lang::kZh ? "给出但不确定、未作为事实："
                            : "Given only roughly, not taken as facts: ") +
         facts_text(e.imprecise, lang, false);
}

void split_facts(const std::vector<InputUse>& inputs, std::vector<InputUse>& given,
                 std::vector<InputUse>& not_given) {
  for (const auto& i : inputs) {
    if (i.derived) continue;
    (i.value.known() ? given : not_given).push_back(i);
  }
}

std::string facts_text(const std::vector<InputUse>& facts, Lang lang, bool mark_defaulted) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  for (const auto& i : facts) {
    out += fmt::format(
        "{}{} = {}{}",
        out.empty() ? ""
        : zh        ? "；"
                    : "; ",
        i.label.in(lang), i.shown.in(lang),
        mark_defaulted && i.defaulted ? (zh ? "（未提供，按默认）" : " (not given, default)") : "");
  }
  return out;
}

std::string labels_text(const std::vector<InputUse>& facts, Lang lang) {
  std::string out;
  for (const auto& i : facts) {
    out += (out.empty() ? "" : lang == Lang::kZh ? "；" : "; ") + i.label.in(lang);
  }
  return out;
}

int Citations::number(const ThresholdUse& t) {
  if (!t.provenance) return 0;
  for (size_t i = 0; i < cited_.size(); ++i) {
    const ThresholdUse& c = *cited_[i];
    if (c.provenance == t.provenance && c.param == t.param && c.index == t.index) {
      return static_cast<int>(i) + 1;
    }
  }
  cited_.push_back(&t);
  return static_cast<int>(cited_.size());
}

std::string Citations::mark(const ThresholdUse& t) {
  const int n = number(t);
  return n == 0 ? std::string() : fmt::format(" [{}]", n);
}

std::vector<std::string> test_threshold_lines(const ReasonLine& r, Lang lang, Citations& cites) {
  std::vector<std::string> out;
  std::vector<bool> named(r.thresholds.size(), false);
  for (const auto& c : r.comparisons) {
    std::string mark;
    for (size_t i = 0; i < r.thresholds.size(); ++i) {
      if (r.thresholds[i].cell == c.threshold_cell && r.thresholds[i].provenance) {
        mark = cites.mark(r.thresholds[i]);
        named[i] = true;
        break;
      }
    }
    out.push_back(c.sentence.in(lang) + mark);
  }
  const bool show_unset = r.result == TestResult::kFalse || r.result == TestResult::kUnknown;
  for (size_t i = 0; i < r.thresholds.size(); ++i) {
    const ThresholdUse& t = r.thresholds[i];
    if (named[i] || (!t.provenance && !t.before_values && !show_unset)) continue;
    out.push_back(fmt::format("{}{}{}", lang == Lang::kZh ? "标准：" : "threshold: ",
                              threshold_short(t, lang), cites.mark(t)));
  }
  return out;
}

}  // namespace epil::io
