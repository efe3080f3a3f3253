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

}  // namespace epil::io
