#include "io/report.h"

#include <fmt/format.h>

#include "core/version.h"
#include "io/json.h"
#include "io/normalize.h"

namespace epil::io {

std::string cite(const Source& s) {
  std::string out = s.document;
  if (!s.article.empty()) out += " " + s.article;
  if (!s.title.empty()) out += " " + s.title;
  // The note says what is unconfirmed about a reported value: it belongs with the citation.
  if (!s.note.empty()) out += "（" + s.note + "）";
  return out;
}

void write_source(JsonWriter& w, const Source& s) {
  auto text_or_null = [&](const std::string& x) {
    if (x.empty())
      w.value(nullptr);
    else
      w.value(x);
  };
  w.begin_object();
  w.key("document").value(s.document);
  w.key("title");
  text_or_null(s.title);
  w.key("article");
  text_or_null(s.article);
  w.key("url");
  text_or_null(s.url);
  w.key("note");
  text_or_null(s.note);
  w.end_object();
}

namespace {

const char* choice_key(TemporalChoice c) {
  switch (c) {
    case TemporalChoice::kConductDate:
      return "conduct_date";
    case TemporalChoice::kReviewDate:
      return "review_date";
    case TemporalChoice::kReviewMoreLenient:
      return "review_date_more_lenient";
    case TemporalChoice::kSameThresholds:
      return "same_thresholds";
    case TemporalChoice::kConductUnknown:
      return "conduct_date_unknown";
    case TemporalChoice::kEitherDate:
      return "either_date";
  }
  return "";
}

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

std::string threshold_line(const ThresholdUse& t, Lang lang) {
  bool zh = lang == Lang::kZh;
  std::string name = t.label.in(lang).empty() ? t.param : t.label.in(lang);
  if (!t.index.empty()) {
    name += fmt::format("[{}]", t.index_label.in(lang).empty() ? t.index : t.index_label.in(lang));
  }
  if (!t.provenance) {
    if (t.before_values) {
      return zh ? fmt::format("{}：该日期早于所有取值的生效日期，没有可适用的标准", name)
                : fmt::format(
                      "{}: the date is before every value's date in force; no threshold applies",
                      name);
    }
    return zh ? fmt::format("{}：本地区未设定", name)
              : fmt::format("{}: not set for this region", name);
  }
  const Provenance& p = *t.provenance;
  const DatedValue& v = *p.value;
  std::string region = p.region ? p.region->name.in(lang) : "";
  std::string until = p.until ? (zh ? fmt::format("，至 {} 止", p.until->iso())
                                    : fmt::format(" until {}", p.until->iso()))
                              : "";
  return zh ? fmt::format("{} = {} · {} · {} · {} · 自 {} 起施行{} · {}:{}", name, t.shown.zh,
                          region, cite(v.source), status_label(v.status).zh, v.since.iso(), until,
                          v.file, v.line)
            : fmt::format("{} = {} · {} · {} · {} · in force from {}{} · {}:{}", name, t.shown.en,
                          region, cite(v.source), status_label(v.status).en, v.since.iso(), until,
                          v.file, v.line);
}

}  // namespace

// Why a result cannot be decided when no fact is missing, or besides the facts missing: a
// threshold not yet in force on the date (not a fact anyone can give), a period end in a year
// whose holiday arrangement is not shipped.
template <typename Line>
void render_pending(const Explanation& e, Lang lang, Line&& line) {
  const bool zh = lang == Lang::kZh;
  if (e.pending.empty() && !e.pending_calendar && !e.pending_arithmetic) return;
  line(zh ? "无法判断的原因（不是缺少事实）："
          : "Why it cannot be decided (no fact is missing for this):");
  for (const auto& t : e.pending) {
    std::string name = t.label.in(lang).empty() ? t.param : t.label.in(lang);
    if (!t.index.empty()) {
      name +=
          fmt::format("[{}]", t.index_label.in(lang).empty() ? t.index : t.index_label.in(lang));
    }
    std::string since = t.first_since ? t.first_since->iso() : "";
    line(zh ? fmt::format("  - {}：适用日期尚无施行中的数值{}；标准未施行不是缺少事实，须人工判断",
                          name, since.empty() ? "" : fmt::format("（本配置最早自 {} 起）", since))
            : fmt::format("  - {}: no value in force on the date that applies{}; a threshold "
                          "not yet in force is not a missing fact — a person must judge",
                          name, since.empty() ? "" : fmt::format(" (the first from {})", since)));
  }
  if (e.pending_calendar) {
    line(
        zh ? "  - 期间届满日落在本配置未收录节假日安排的年份：是否已经届满，收录该年安排后才能确定"
           : "  - a period ends in a year whose holiday arrangement is not in this configuration's "
             "calendars: whether it has ended is known once that year is added");
  }
  if (e.pending_arithmetic) {
    line(zh ? "  - "
              "按规则计算的数额超出可表示的范围（或除以零），没有确定的结果：须人工核对事实与规则"
            : "  - an amount the rules compute from the facts is beyond the numbers epil can "
              "represent (or divides by zero): it has no value — a person must check the facts "
              "and the rule");
  }
}

namespace {

// Appends a line to a text report.
struct Lines {
  std::string& out;
  void operator()(const std::string& s) const {
    out += s;
    out += '\n';
  }
};

// The ruleset and region, the outcome with the outcomes still possible, and its reason.
void text_heading(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  std::string head = e.case_id.empty() ? "" : e.case_id + " · ";
  std::string overlay = e.overlay.empty() ? ""
                        : zh              ? fmt::format(" · 叠加：{}", e.overlay_name.zh)
                                          : fmt::format(" · overlay: {}", e.overlay_name.en);
  line(fmt::format("{}{} · {}{}", head, e.ruleset_name.in(lang), e.region_name.in(lang), overlay));
  if (e.region_without_own_values) {
    line(zh ? fmt::format("（{}在本配置中没有本地区的数值，适用全国的规定。{}）", e.region_name.zh,
                          e.region_note.zh)
            : fmt::format("({} has no values of its own in this configuration: the national "
                          "rules apply.{}{})",
                          e.region_name.en, e.region_note.en.empty() ? "" : " ", e.region_note.en));
  }
  const std::string& caveat = e.outcome_caveat.in(lang);
  if (e.candidates.size() > 1) {
    std::string cands;
    for (const auto& c : e.candidate_labels)
      cands += (cands.empty() ? "" : zh ? "、" : ", ") + c.in(lang);
    line(zh ? fmt::format("结论：{}（{}）{}——现有事实下可能的结论：{}", e.outcome_label.zh,
                          e.outcome, caveat, cands)
            : fmt::format("Outcome: {} ({}){}: with the facts given it could be {}",
                          e.outcome_label.en, e.outcome, caveat, cands));
  } else {
    line(zh ? fmt::format("结论：{}（{}）{}", e.outcome_label.zh, e.outcome, caveat)
            : fmt::format("Outcome: {} ({}){}", e.outcome_label.en, e.outcome, caveat));
  }
  if (!e.decided_reason.empty()) {
    line(zh ? fmt::format("理由：{}", e.decided_reason.zh)
            : fmt::format("Because: {}", e.decided_reason.en));
  }
}

// Each output that applies: its value, reason, thresholds and the facts it waits for.
void text_outputs(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  for (const auto& o : e.outputs) {
    if (!o.applies) continue;
    std::string v = !o.value.empty() ? o.value_label.in(lang)
                    : !o.missing.empty()
                        ? (zh ? "待定（事实不足）" : "undetermined (facts missing)")
                        : (zh ? "待定" : "undetermined");
    line(fmt::format("{}{}{}{}", o.label.in(lang), zh ? "：" : ": ", v, o.caveat.in(lang)));
    if (!o.reason.empty())
      line(fmt::format("  {}{}", zh ? "依据：" : "because: ", o.reason.in(lang)));
    for (const auto& t : o.thresholds) {
      line(fmt::format("  {}{}", zh ? "标准：" : "threshold: ", threshold_line(t, lang)));
    }
    if (o.value.empty() && o.missing.empty()) {
      line(zh ? "  不是缺少事实：见下方“无法判断的原因”。"
              : "  no fact is missing: see \"why it cannot be decided\" below.");
    }
    if (!o.missing.empty()) {
      std::string m;
      for (const auto& f : o.missing) {
        m += fmt::format("{}{} ({})", m.empty() ? "" : zh ? "；" : "; ", f.label.in(lang), f.field);
      }
      line(fmt::format("  {}{}", zh ? "确定还需：" : "to decide it, give: ", m));
    }
  }
}

// The values reported beside the outcome (dates, amounts), with their basis.
void text_results(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  for (const auto& r : e.results) {
    line(fmt::format("{}{}{}{}", r.label.in(lang), zh ? "：" : ": ", r.value.shown.in(lang),
                     r.caveat.in(lang)));
    if (!r.note.empty()) line(fmt::format("  {}{}", zh ? "依据：" : "basis: ", r.note.in(lang)));
    if (!r.missing.empty()) {
      std::string m;
      for (const auto& f : r.missing) {
        m += fmt::format("{}{} ({})", m.empty() ? "" : zh ? "；" : "; ", f.label.in(lang), f.field);
      }
      line(fmt::format("  {}{}", zh ? "计算还需：" : "to compute it, give: ", m));
    }
  }
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
  render_pending(e, lang, line);
  if (!e.missing.empty()) {
    line(zh ? "缺少的事实（补充后可得出结论）：" : "Missing facts (give these to decide):");
    for (const auto& m : e.missing) {
      line(fmt::format("  - {} ({})", m.label.in(lang), m.field));
    }
  }
}

// Every test with its result, comparisons, thresholds and the facts it read.
void text_tests(const Explanation& e, Lang lang, std::string& out) {
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
                     zh ? "：" : ": ", result_text(r.result).in(lang)));
    for (const auto& c : r.comparisons) line(fmt::format("      {}", c.sentence.in(lang)));
    // A threshold not set matters where the test failed or could not be decided; beside a
    // test that passed it is noise (JSON lists them all).
    bool show_unset = r.result == TestResult::kFalse || r.result == TestResult::kUnknown;
    for (const auto& t : r.thresholds) {
      if (!t.provenance && !t.before_values && !show_unset) continue;
      line(fmt::format("      {}{}", zh ? "标准：" : "threshold: ", threshold_line(t, lang)));
    }
    if (!r.inputs.empty()) {
      std::string ins;
      for (const auto& i : r.inputs) {
        ins +=
            fmt::format("{}{} = {}{}",
                        ins.empty() ? ""
                        : zh        ? "；"
                                    : "; ",
                        i.label.in(lang), i.shown.in(lang),
                        i.defaulted ? (zh ? "（未提供，按默认）" : " (not given, default)") : "");
      }
      line(fmt::format("      {}{}", zh ? "事实：" : "facts: ", ins));
    }
  }
  if (!not_applicable.empty()) {
    line(fmt::format("  – {}{}", zh ? "不适用：" : "not applicable: ", not_applicable));
  }
}

// Defaults assumed and not assumed, advisories, the date rule and the fingerprint.
void text_assumptions(const Explanation& e, Lang lang, std::string& out) {
  const bool zh = lang == Lang::kZh;
  Lines line{out};
  if (!e.assumed.empty()) {
    std::string a;
    for (const auto& i : e.assumed) {
      a += fmt::format("{}{} = {}",
                       a.empty() ? ""
                       : zh      ? "；"
                                 : "; ",
                       i.label.in(lang), i.shown.in(lang));
    }
    line(zh ? fmt::format("未提供而按默认值处理：{}", a)
            : fmt::format("Not given, default assumed: {}", a));
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
  line(fmt::format("{}{}", zh ? "适用标准：" : "Thresholds: ", e.temporal_sentence.in(lang)));
  line(
      fmt::format("{}sha256:{}", zh ? "配置指纹：" : "Configuration fingerprint: ", e.fingerprint));
}

}  // namespace

std::string render_text(const Explanation& e, Lang lang) {
  std::string out;
  text_heading(e, lang, out);
  text_outputs(e, lang, out);
  text_results(e, lang, out);
  text_undecided(e, lang, out);
  text_tests(e, lang, out);
  text_assumptions(e, lang, out);
  return out;
}

namespace {

// An Explanation as JSON (docs/result.schema.json), part by part.
class JsonReport {
 public:
  JsonReport(std::string& out, Lang lang, bool pretty)
      : w_(out, pretty ? JsonWriter::Style::kPretty : JsonWriter::Style::kCompact), lang_(lang) {}

  void write(const Explanation& e) {
    w_.begin_object();
    head(e);
    outputs(e);
    results(e);
    w_.key("facts").begin_object();
    for (const auto& f : e.facts) {
      w_.key(f.field);
      value(f.value, f.shown, f.code);
    }
    w_.end_object();
    w_.key("reasons").begin_array();
    for (const auto& r : e.reasons) reason(r);
    w_.end_array();
    w_.key("missing");
    fields(e.missing);
    w_.key("assumed");
    fields(e.assumed);
    withheld_and_pending(e);
    tail(e);
    w_.end_object();
  }

 private:
  void text_or_null(const std::string& s) {
    if (s.empty())
      w_.value(nullptr);
    else
      w_.value(s);
  }

  void value(const Value& v, const Text& shown, const std::string& code = "") {
    if (!code.empty()) {
      w_.value(code);
      return;
    }
    switch (v.kind) {
      case Value::kNumber:
        w_.value(v.num);
        break;
      case Value::kBool:
        w_.value(v.b);
        break;
      case Value::kUnknown:
        w_.value(nullptr);
        break;
      default:
        w_.value(shown.en);
        break;
    }
  }

  void threshold(const ThresholdUse& x) {
    w_.begin_object();
    w_.key("parameter").value(x.param);
    w_.key("index");
    text_or_null(x.index);
    w_.key("value");
    value(x.value, x.shown);
    w_.key("unit");
    text_or_null(x.unit);
    w_.key("set").value(x.provenance != nullptr);
    if (x.provenance) {
      const DatedValue& v = *x.provenance->value;
      w_.key("source");
      write_source(w_, v.source);
      w_.key("status").value(status_key(v.status));
      w_.key("region").value(x.provenance->region ? x.provenance->region->id : "");
      w_.key("since").value(v.since.iso());
      w_.key("until");
      if (x.provenance->until)
        w_.value(x.provenance->until->iso());
      else
        w_.value(nullptr);
      w_.key("file").value(v.file);
      w_.key("line").value(static_cast<int64_t>(v.line));
    }
    w_.end_object();
  }

  void head(const Explanation& e) {
    w_.key("case_id");
    text_or_null(e.case_id);
    w_.key("ruleset").value(e.ruleset);
    w_.key("outcome").value(e.outcome);
    w_.key("outcome_label").value(e.outcome_label.in(lang_));
    w_.key("outcome_caveat");
    // The text's caveat follows the label after a space; a JSON string stands alone.
    std::string_view caveat = e.outcome_caveat.in(lang_);
    while (!caveat.empty() && caveat.front() == ' ') caveat.remove_prefix(1);
    text_or_null(std::string(caveat));
    w_.key("candidates").begin_array();
    for (const auto& c : e.candidates) w_.value(c);
    w_.end_array();
    w_.key("decided_by");
    text_or_null(e.decided_by);
    w_.key("decided_reason");
    text_or_null(e.decided_reason.in(lang_));
    w_.key("summary").value(e.summary.in(lang_));
    for (const auto& o : e.outputs) {
      w_.key(o.key);
      if (o.applies && !o.value.empty())
        w_.value(o.value);
      else
        w_.value(nullptr);
    }
  }

  void outputs(const Explanation& e) {
    w_.key("outputs").begin_object();
    for (const auto& o : e.outputs) {
      w_.key(o.key).begin_object();
      w_.key("applies").value(o.applies);
      w_.key("value");
      text_or_null(o.value);
      w_.key("label");
      text_or_null(o.value_label.in(lang_));
      w_.key("candidates").begin_array();
      for (const auto& c : o.candidates) w_.value(c);
      w_.end_array();
      w_.key("missing").begin_array();
      for (const auto& m : o.missing) w_.value(m.field);
      w_.end_array();
      w_.key("reason");
      text_or_null(o.reason.in(lang_));
      w_.key("thresholds").begin_array();
      for (const auto& x : o.thresholds) threshold(x);
      w_.end_array();
      w_.key("caveat");
      text_or_null(o.caveat.in(lang_));
      w_.end_object();
    }
    w_.end_object();
  }

  void results(const Explanation& e) {
    w_.key("results").begin_object();
    for (const auto& r : e.results) {
      w_.key(r.key).begin_object();
      w_.key("label").value(r.label.in(lang_));
      w_.key("value");
      const Value& v = r.value.value;
      if (v.kind == Value::kDate || v.kind == Value::kEnum)
        w_.value(r.value.code);
      else if (v.kind == Value::kNumber)
        w_.value(v.num);
      else if (v.kind == Value::kBool)
        w_.value(v.b);
      else
        w_.value(nullptr);
      w_.key("shown").value(r.value.shown.in(lang_));
      w_.key("open_date").value(v.open_date());
      w_.key("missing").begin_array();
      for (const auto& m : r.missing) w_.value(m.field);
      w_.end_array();
      w_.key("note");
      text_or_null(r.note.in(lang_));
      w_.key("caveat");
      text_or_null(r.caveat.in(lang_));
      w_.end_object();
    }
    w_.end_object();
  }

  // One test: its first comparison and the threshold that comparison used (else the first
  // one with a value) as flat keys, then every threshold, comparison and input.
  void reason(const ReasonLine& r) {
    w_.begin_object();
    w_.key("test").value(r.test);
    w_.key("label").value(r.label.in(lang_));
    // Typed: true / false, null where the facts do not decide it; `applicable` false for a
    // test whose `applies` condition is false (its result is null then too).
    w_.key("result");
    if (r.result == TestResult::kTrue || r.result == TestResult::kFalse)
      w_.value(r.result == TestResult::kTrue);
    else
      w_.value(nullptr);
    w_.key("applicable").value(r.result != TestResult::kNotApplicable);
    const Comparison* c = r.comparisons.empty() ? nullptr : &r.comparisons.front();
    const ThresholdUse* t = nullptr;
    for (const auto& x : r.thresholds) {
      if (c && x.cell == c->threshold_cell && x.provenance) t = &x;
    }
    for (const auto& x : r.thresholds) {
      if (!t && x.provenance) t = &x;
    }
    first_comparison(c, t);
    w_.key("thresholds").begin_array();
    for (const auto& x : r.thresholds) threshold(x);
    w_.end_array();
    w_.key("comparisons").begin_array();
    for (const auto& x : r.comparisons) {
      w_.begin_object();
      w_.key("value").value(x.value);
      w_.key("op").value(x.op);
      w_.key("threshold").value(x.threshold);
      w_.key("margin").value(x.margin);
      w_.key("unit");
      text_or_null(x.unit);
      w_.key("explanation").value(x.sentence.in(lang_));
      w_.end_object();
    }
    w_.end_array();
    w_.key("inputs").begin_object();
    for (const auto& i : r.inputs) {
      w_.key(i.field);
      value(i.value, i.shown, i.code);
    }
    w_.end_object();
    w_.end_object();
  }

  void first_comparison(const Comparison* c, const ThresholdUse* t) {
    auto number_or_null = [&](double x) {
      if (c)
        w_.value(x);
      else
        w_.value(nullptr);
    };
    w_.key("value");
    number_or_null(c ? c->value : 0);
    w_.key("threshold");
    if (c)
      w_.value(c->threshold);
    else if (t)
      value(t->value, t->shown);
    else
      w_.value(nullptr);
    w_.key("margin");
    number_or_null(c ? c->margin : 0);
    w_.key("unit");
    if (c)
      text_or_null(c->unit);
    else if (t)
      text_or_null(t->unit);
    else
      w_.value(nullptr);
    w_.key("explanation");
    if (c)
      w_.value(c->sentence.in(lang_));
    else
      w_.value(nullptr);
    const DatedValue* v = t ? t->provenance->value : nullptr;
    w_.key("source");
    if (v)
      write_source(w_, v->source);
    else
      w_.value(nullptr);
    w_.key("status");
    if (v)
      w_.value(status_key(v->status));
    else
      w_.value(nullptr);
    w_.key("region");
    if (t && t->provenance->region)
      w_.value(t->provenance->region->id);
    else
      w_.value(nullptr);
    w_.key("since");
    if (v)
      w_.value(v->since.iso());
    else
      w_.value(nullptr);
  }

  void fields(const std::vector<InputUse>& list) {
    w_.begin_array();
    for (const auto& m : list) {
      w_.begin_object();
      w_.key("field").value(m.field);
      w_.key("label").value(m.label.in(lang_));
      w_.key("value");
      value(m.value, m.shown, m.code);
      w_.end_object();
    }
    w_.end_array();
  }

  void withheld_and_pending(const Explanation& e) {
    w_.key("withheld").begin_array();
    for (const auto& x : e.withheld) {
      w_.begin_object();
      w_.key("field").value(x.field.field);
      w_.key("label").value(x.field.label.in(lang_));
      w_.key("default").value(x.default_shown.in(lang_));
      w_.key("reason").value(x.reason.in(lang_));
      w_.end_object();
    }
    w_.end_array();
    w_.key("pending").begin_array();
    for (const auto& t : e.pending) {
      w_.begin_object();
      w_.key("parameter").value(t.param);
      w_.key("index");
      text_or_null(t.index);
      w_.key("label").value(t.label.in(lang_));
      w_.key("first_since");
      if (t.first_since)
        w_.value(t.first_since->iso());
      else
        w_.value(nullptr);
      w_.end_object();
    }
    w_.end_array();
    w_.key("pending_calendar").value(e.pending_calendar);
    // Only when it holds: outputs of rules without such arithmetic stay as they were.
    if (e.pending_arithmetic) w_.key("pending_arithmetic").value(true);
  }

  void tail(const Explanation& e) {
    w_.key("advisories").begin_array();
    for (const auto& [id, msg] : e.advisories) {
      w_.begin_object();
      w_.key("id").value(id);
      w_.key("message").value(msg.in(lang_));
      w_.end_object();
    }
    w_.end_array();
    w_.key("region").value(e.region);
    w_.key("overlay");
    text_or_null(e.overlay);
    w_.key("region_name").value(e.region_name.in(lang_));
    w_.key("region_note");
    if (e.region_without_own_values) {
      w_.value(e.region_note.in(lang_).empty()
                   ? (lang_ == Lang::kZh
                          ? "本配置中没有本地区的数值，适用全国的规定"
                          : "no values of its own in this configuration: the national rules apply")
                   : e.region_note.in(lang_));
    } else {
      w_.value(nullptr);
    }
    w_.key("review_date").value(e.review_date.iso());
    w_.key("thresholds_date").value(e.thresholds_date.iso());
    w_.key("temporal_rule").value(e.temporal_rule);
    w_.key("temporal_choice").value(choice_key(e.temporal));
    w_.key("temporal_note").value(e.temporal_sentence.in(lang_));
    w_.key("before_values").value(e.before_values);
    w_.key("fingerprint").value("sha256:" + e.fingerprint);
    w_.key("epil_version").value(std::string(kVersion));
  }

  JsonWriter w_;
  Lang lang_;
};

}  // namespace

std::string render_json(const Explanation& e, Lang lang, bool pretty) {
  std::string out;
  JsonReport(out, lang, pretty).write(e);
  if (pretty) out += '\n';
  return out;
}

}  // namespace epil::io
