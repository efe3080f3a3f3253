// The text reports of one case: the full one (every test, each threshold cited once at the
// end) and the brief one (at most kBriefLines lines: the verdict, the reasons that decided it,
// the facts missing, the sources).
#include <fmt/format.h>

#include <algorithm>

#include "core/messages.h"
#include "io/report.h"
#include "io/report_parts.h"

namespace epil::io {

namespace {

// Appends a line to a text report.
struct Lines {
  std::string& out;
  void operator()(const std::string& s) const {
    out += s;
    out += '\n';
  }
};

const char* colon(Lang lang) { return lang == Lang::kZh ? "：" : ": "; }

std::string heading(const Explanation& e, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string head = e.case_id.empty() ? "" : e.case_id + " · ";
  std::string overlay = e.overlay.empty() ? ""
                        : zh              ? fmt::format(" · 叠加：{}", e.overlay_name.zh)
                                          : fmt::format(" · overlay: {}", e.overlay_name.en);
  // A place named as a division rather than a region is shown as given, beside the region.
  const std::string place = e.place.empty() ? "" : message(Msg::kPlaceHeading, e.place).in(lang);
  return fmt::format("{}{} · {}{}{}", head, e.ruleset_name.in(lang), e.region_name.in(lang), place,
                     overlay);
}

// The tree has no region for the place's province: the national rules applied.
std::string place_note(const Explanation& e, Lang lang) {
  return lang == Lang::kZh ? fmt::format("（{}。）", e.place_note.zh)
                           : fmt::format("({}.)", e.place_note.en);
}

std::string outcome_line(const Explanation& e, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const std::string& caveat = e.outcome_caveat.in(lang);
  if (e.candidates.size() > 1) {
    std::string cands;
    for (const auto& c : e.candidate_labels)
      cands += (cands.empty() ? "" : zh ? "、" : ", ") + c.in(lang);
    return zh ? fmt::format("结论：{}（{}）{}——现有事实下可能的结论：{}", e.outcome_label.zh,
                            e.outcome, caveat, cands)
              : fmt::format("Outcome: {} ({}){}: with the facts given it could be {}",
                            e.outcome_label.en, e.outcome, caveat, cands);
  }
  return zh ? fmt::format("结论：{}（{}）{}", e.outcome_label.zh, e.outcome, caveat)
            : fmt::format("Outcome: {} ({}){}", e.outcome_label.en, e.outcome, caveat);
}

// The ruleset and region, the outcome with the outcomes still possible, and its reason.
void text_heading(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  line(heading(e, lang));
  if (!e.place_note.empty()) line(place_note(e, lang));
  if (e.region_without_own_values) {
    line(zh ? fmt::format("（{}在本配置中没有本地区的数值，适用全国的规定。{}）", e.region_name.zh,
                          e.region_note.zh)
            : fmt::format("({} has no values of its own in this configuration: the national "
                          "rules apply.{}{})",
                          e.region_name.en, e.region_note.en.empty() ? "" : " ", e.region_note.en));
  }
  line(outcome_line(e, lang));
  if (!e.decided_reason.empty()) {
    line(zh ? fmt::format("理由：{}", e.decided_reason.zh)
            : fmt::format("Because: {}", e.decided_reason.en));
  }
}

// An output's value in words: its label, else why there is none.
std::string output_value(const OutputLine& o, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (!o.value.empty()) return o.value_label.in(lang);
  if (!o.missing.empty()) return zh ? "待定（事实不足）" : "undetermined (facts missing)";
  return zh ? "待定" : "undetermined";
}

// Each output that applies: its value, reason, thresholds and the facts it waits for.
void text_outputs(const Explanation& e, Lang lang, Citations& cites, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  for (const auto& o : e.outputs) {
    if (!o.applies) continue;
    line(fmt::format("{}{}{}{}", o.label.in(lang), colon(lang), output_value(o, lang),
                     o.caveat.in(lang)));
    if (!o.reason.empty())
      line(fmt::format("  {}{}", zh ? "依据：" : "because: ", o.reason.in(lang)));
    for (const auto& t : o.thresholds) {
      line(fmt::format("  {}{}{}", zh ? "标准：" : "threshold: ", threshold_short(t, lang),
                       cites.mark(t)));
    }
    if (o.value.empty() && o.missing.empty()) {
      line(zh ? "  不是缺少事实：见下方“无法判断的原因”。"
              : "  no fact is missing: see \"why it cannot be decided\" below.");
    }
    if (!o.missing.empty()) {
      line(fmt::format("  {}{}",
                       zh ? "确定还需：" : "to decide it, give: ", labels_text(o.missing, lang)));
    }
  }
}

// The values reported beside the outcome (dates, amounts), with their basis.
void text_results(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  for (const auto& r : e.results) {
    line(fmt::format("{}{}{}{}", r.label.in(lang), colon(lang), short_value(r.value, lang),
                     r.caveat.in(lang)));
    if (!r.note.empty()) line(fmt::format("  {}{}", zh ? "依据：" : "basis: ", r.note.in(lang)));
    if (!r.missing.empty()) {
      line(fmt::format("  {}{}",
                       zh ? "计算还需：" : "to compute it, give: ", labels_text(r.missing, lang)));
    }
  }
  // Said once for all the dates it concerns.
  if (std::string note = open_dates_note(e, lang); !note.empty()) line(note);
}

// Why something cannot be decided: a date before a threshold's first value, thresholds
// not in force, calendars not shipped, and the facts missing.
void text_undecided(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  if (e.strict_error || e.before_values) {
    line(zh ? "⚠ 所选日期早于某项标准的最早生效日期：该标准视为未设定。"
            : "⚠ The date is before the first value of a threshold: it was treated as not set.");
  }
  for (const auto& l : pending_lines(e, lang)) line(l);
  if (std::string l = imprecise_line(e, lang); !l.empty()) line(l);
  if (!e.missing.empty()) {
    line(zh ? "缺少的事实（补充后可得出结论）：" : "Missing facts (give these to decide):");
    for (const auto& m : e.missing) line(fmt::format("  - {} ({})", m.label.in(lang), m.field));
  }
}

// Every test that applies with its result, comparisons, thresholds and the facts it read;
// the tests that do not apply on one line.
void text_tests(const Explanation& e, Lang lang, Citations& cites, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  line(zh ? "逐项检验：" : "Tests:");
  std::string not_applicable;
  for (const auto& r : e.reasons) {
    if (r.result == TestResult::kNotApplicable) {
      not_applicable += fmt::format("{}{} [{}]",
                                    not_applicable.empty() ? ""
                                    : zh                   ? "；"
                                                           : "; ",
                                    r.label.in(lang), r.test);
      continue;
    }
    line(fmt::format("  {} {} [{}]{}{}", result_mark(r.result), r.label.in(lang), r.test,
                     colon(lang), result_text(r.result).in(lang)));
    for (const auto& l : test_threshold_lines(r, lang, cites)) line("      " + l);
    std::vector<InputUse> given, not_given;
    split_facts(r.inputs, given, not_given);
    if (!given.empty()) {
      line(fmt::format("      {}{}", zh ? "事实：" : "facts: ", facts_text(given, lang, true)));
    }
    if (!not_given.empty()) {
      line(
          fmt::format("      {}{}", zh ? "未提供：" : "not given: ", labels_text(not_given, lang)));
    }
  }
  if (!not_applicable.empty()) {
    line(fmt::format("  – {}{}", zh ? "不适用：" : "not applicable: ", not_applicable));
  }
}

// Defaults assumed and not assumed, and the advisories.
void text_assumptions(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  if (!e.assumed.empty()) {
    line(fmt::format("{}{}", zh ? "未提供而按默认值处理：" : "Not given, default assumed: ",
                     facts_text(e.assumed, lang, false)));
  }
  for (const auto& w : e.withheld) {
    line(zh ? fmt::format("未按默认值处理：{}（默认为“{}”）——{}", w.field.label.zh,
                          w.default_shown.zh, w.reason.zh)
            : fmt::format("Default not assumed: {} (default \"{}\") — {}", w.field.label.en,
                          w.default_shown.en, w.reason.en));
  }
  if (!e.advisories.empty()) {
    line(zh ? "提示：" : "Advisories:");
    for (const auto& [id, msg] : e.advisories) line(fmt::format("  ! {} [{}]", msg.in(lang), id));
  }
}

// The thresholds cited, each once and in full; then the date rule and the fingerprint.
void text_sources(const Explanation& e, Lang lang, const Citations& cites, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  if (!cites.cited().empty()) {
    line(zh ? "引用的标准：" : "Thresholds cited:");
    for (size_t i = 0; i < cites.cited().size(); ++i) {
      line(fmt::format("  [{}] {}", i + 1, threshold_line(*cites.cited()[i], lang)));
    }
  }
  line(fmt::format("{}{}", zh ? "适用标准：" : "Thresholds: ", e.temporal_sentence.in(lang)));
  line(
      fmt::format("{}sha256:{}", zh ? "配置指纹：" : "Configuration fingerprint: ", e.fingerprint));
}

// The brief report's parts, each at most one line.

// "label: value; label: value" of the outputs that apply and of the results.
std::string brief_outputs(const Explanation& e, Lang lang) {
  const char* sep = lang == Lang::kZh ? "；" : "; ";
  std::string out;
  for (const auto& o : e.outputs) {
    if (!o.applies) continue;
    out += fmt::format("{}{}{}{}", out.empty() ? "" : sep, o.label.in(lang), colon(lang),
                       output_value(o, lang));
  }
  return out;
}

std::string brief_results(const Explanation& e, Lang lang) {
  const char* sep = lang == Lang::kZh ? "；" : "; ";
  std::string out;
  for (const auto& r : e.results) {
    out += fmt::format("{}{}{}{}", out.empty() ? "" : sep, r.label.in(lang), colon(lang),
                       short_value(r.value, lang));
  }
  return out;
}

// The facts to give: the outcome's, else those of the outputs still undetermined.
std::vector<InputUse> brief_missing(const Explanation& e) {
  std::vector<InputUse> out = e.missing;
  for (const auto& o : e.outputs) {
    for (const auto& m : o.missing) {
      bool seen = false;
      for (const auto& x : out) seen = seen || x.field == m.field;
      if (!seen) out.push_back(m);
    }
  }
  return out;
}

// "[1] 桂环规范〔2024〕1号 第三条 · 正式规定 · 自 2024-01-10 起施行": the document, not its
// notes (the full report has them).
std::string brief_source(int n, const ThresholdUse& t, Lang lang) {
  const DatedValue& v = *t.provenance->value;
  std::string doc = v.source.document;
  if (!v.source.article.empty()) doc += " " + v.source.article;
  return lang == Lang::kZh
             ? fmt::format("  [{}] {} · {} · {} · 自 {} 起施行", n, threshold_short(t, lang), doc,
                           status_label(v.status).zh, v.since.iso())
             : fmt::format("  [{}] {} · {} · {} · in force from {}", n, threshold_short(t, lang),
                           doc, status_label(v.status).en, v.since.iso());
}

// A deciding test on one line: its result and first comparison, with its threshold's number.
std::string brief_test(const ReasonLine& r, Lang lang, Citations& cites) {
  std::string detail = result_text(r.result).in(lang);
  std::string mark;
  if (!r.comparisons.empty()) {
    const Comparison& c = r.comparisons.front();
    detail = c.sentence.in(lang);
    for (const auto& t : r.thresholds) {
      if (t.cell == c.threshold_cell && t.provenance) {
        mark = cites.mark(t);
        break;
      }
    }
  } else {
    for (const auto& t : r.thresholds) {
      if (t.provenance) mark += cites.mark(t);
    }
  }
  return fmt::format("  {} {}{}{}{}", result_mark(r.result), r.label.in(lang), colon(lang), detail,
                     mark);
}

// The deciding tests that fit in `room` lines together with the sources they cite.
std::vector<std::string> brief_tests(const Explanation& e, Lang lang, size_t room,
                                     Citations& cites) {
  auto reasons_of = [&](const std::vector<std::string>& keys) {
    std::vector<const ReasonLine*> out;
    for (const auto& key : keys) {
      for (const auto& r : e.reasons) {
        if (r.test == key) out.push_back(&r);
      }
    }
    return out;
  };
  std::vector<const ReasonLine*> deciding = reasons_of(e.deciding_tests);
  std::vector<const ReasonLine*> earlier = reasons_of(e.earlier_tests);
  // A comparison shows the margin and its threshold's source; a threshold at least its source.
  auto weight = [](const ReasonLine* r) {
    if (!r->comparisons.empty()) return 0;
    for (const auto& t : r->thresholds) {
      if (t.provenance) return 1;
    }
    return 2;
  };
  // The deciding entry's own tests first, as it read them; of the entries before it, the tests
  // that show most.
  std::stable_sort(earlier.begin(), earlier.end(),
                   [&](const ReasonLine* a, const ReasonLine* b) { return weight(a) < weight(b); });
  deciding.insert(deciding.end(), earlier.begin(), earlier.end());
  std::vector<std::string> lines;
  for (size_t i = 0; i < deciding.size(); ++i) {
    Citations trial = cites;
    std::string l = brief_test(*deciding[i], lang, trial);
    const bool last = i + 1 == deciding.size();
    // This line, its sources, and a line saying how many more if it is not the last.
    if (lines.size() + 1 + trial.cited().size() + (last ? 0 : 1) > room) {
      const size_t more = deciding.size() - i;
      lines.push_back(
          lang == Lang::kZh
              ? fmt::format("  …另有 {} 项检验（完整报告不加 --brief）", more)
              : fmt::format("  … {} more tests (the full report: without --brief)", more));
      break;
    }
    cites = trial;
    lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace

std::string render_brief(const Explanation& e, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> head, tail;
  head.push_back(heading(e, lang));
  head.push_back(outcome_line(e, lang));
  if (!e.decided_reason.empty()) {
    head.push_back(fmt::format("{}{}", zh ? "理由：" : "Because: ", e.decided_reason.in(lang)));
  }
  if (std::string o = brief_outputs(e, lang); !o.empty()) tail.push_back(o);
  if (std::string r = brief_results(e, lang); !r.empty()) tail.push_back(r);
  if (std::string l = imprecise_line(e, lang); !l.empty()) tail.push_back(l);
  const std::vector<InputUse> missing = brief_missing(e);
  if (!missing.empty()) {
    tail.push_back(
        fmt::format("{}{}", zh ? "缺少的事实：" : "Missing facts: ", labels_text(missing, lang)));
  }
  if (const auto pending = pending_lines(e, lang); !pending.empty()) {
    tail.push_back(zh ? "另有无法判断的原因（不是缺少事实）：见完整报告"
                      : "Also undecided for reasons that are not missing facts: see the full "
                        "report");
  }
  if (!e.assumed.empty()) {
    tail.push_back(fmt::format(
        "{}{}", zh ? "按默认值：" : "Defaults assumed: ", facts_text(e.assumed, lang, false)));
  }
  const std::string footer = fmt::format("{}{} · sha256:{}", zh ? "适用标准：" : "Thresholds: ",
                                         e.temporal_sentence.in(lang), e.fingerprint.substr(0, 12));
  Citations cites;
  const size_t used = head.size() + tail.size() + 1;
  const std::vector<std::string> tests =
      brief_tests(e, lang, used < kBriefLines ? kBriefLines - used : 0, cites);
  std::string out;
  Lines line{out};
  for (const auto& l : head) line(l);
  for (const auto& l : tests) line(l);
  for (const auto& l : tail) line(l);
  for (size_t i = 0; i < cites.cited().size(); ++i) {
    line(brief_source(static_cast<int>(i) + 1, *cites.cited()[i], lang));
  }
  line(footer);
  return out;
}

std::string render_text(const Explanation& e, Lang lang) {
  std::string out;
  Citations cites;
  text_heading(e, lang, out);
  text_outputs(e, lang, cites, out);
  text_results(e, lang, out);
  text_undecided(e, lang, out);
  text_tests(e, lang, cites, out);
  text_assumptions(e, lang, out);
  text_sources(e, lang, cites, out);
  return out;
}

}  // namespace epil::io
