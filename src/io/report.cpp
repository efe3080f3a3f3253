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
    w_.key("imprecise").begin_array();
    for (const auto& f : e.imprecise) {
      w_.begin_object();
      w_.key("field").value(f.field);
      w_.key("label").value(f.label.in(lang_));
      w_.key("given").value(f.shown.in(lang_));
      w_.end_object();
    }
    w_.end_array();
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
    w_.key("deciding_tests").begin_array();
    for (const auto& t : e.deciding_tests) w_.value(t);
    w_.end_array();
    w_.key("earlier_tests").begin_array();
    for (const auto& t : e.earlier_tests) w_.value(t);
    w_.end_array();
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
    w_.key("place");
    text_or_null(e.place);
    w_.key("place_note");
    text_or_null(e.place_note.in(lang_));
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
