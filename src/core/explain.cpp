#include "core/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "core/text.h"

namespace epil {

const char* test_result_key(TestResult r) {
  switch (r) {
    case TestResult::kTrue:
      return "true";
    case TestResult::kFalse:
      return "false";
    case TestResult::kUnknown:
      return "unknown";
    case TestResult::kNotApplicable:
      return "not_applicable";
  }
  return "unknown";
}

namespace {

// What was given of an input known only roughly: the estimate (约 3,000 元), or the month or
// year of a date whose day is not given.
std::string show_imprecise(const Value& v, const Text& unit, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (v.len == 1 || v.len == 2) {  // a date given in part
    const Date first = Date::from_days(v.date);
    const std::string iso = first.iso();
    if (v.len == 1) {
      return zh ? fmt::format("{}（日不详）", iso.substr(0, 7))
                : fmt::format("{} (day not known)", iso.substr(0, 7));
    }
    return zh ? fmt::format("{} 年（月、日不详）", first.year())
              : fmt::format("{} (month and day not known)", first.year());
  }
  std::string n = format_grouped(v.num);
  const std::string& u = unit.in(lang);
  if (!u.empty()) (n += ' ') += u;
  return zh ? fmt::format("约 {}（约数）", n) : fmt::format("about {} (an estimate)", n);
}

}  // namespace

std::string show_value(const Value& v, const Ruleset& rs, int enum_id, const Text& unit,
                       Lang lang) {
  const bool zh = lang == Lang::kZh;
  switch (v.kind) {
    case Value::kUnknown:
      if (v.flags & Value::kBeforeValues)
        return zh ? "（该日期尚无取值）" : "(no value in force yet)";
      if (v.flags & Value::kNotSet) return zh ? "未设定" : "not set";
      if (v.flags & Value::kBeyondCalendar) {
        return zh ? "超出已收录的节假日安排，无法计算" : "beyond the holiday calendars shipped";
      }
      if (v.flags & Value::kImprecise) return show_imprecise(v, unit, lang);
      if (v.flags & Value::kStated) return zh ? "不详" : "unknown";
      if (v.flags & Value::kWithheld)
        return zh ? "不详（默认值不适用）" : "unknown (default not assumed)";
      return zh ? "未提供" : "not given";
    case Value::kBool:
      return v.b ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    case Value::kNumber: {
      std::string n = format_grouped(v.num);
      const std::string& u = unit.in(lang);
      if (!u.empty()) (n += ' ') += u;
      return n;
    }
    case Value::kDate:
      if (v.open_date()) {
        // The earliest the date can be: days of a year no shipped calendar covers may be rest
        // days (民法典第二百零三条) or swapped working days, so it may be later, never earlier.
        const int y = v.as_date().year();
        // Past years too: a year not shipped is unknown here, whether published or not.
        return zh ? fmt::format(
                        "不早于 {}（本配置未收录 {} 年的节假日安排：如逢法定休假日或调休，"
                        "实际日期可能更晚，收录该年安排后即可确定）",
                        v.as_date().iso(), y)
                  : fmt::format(
                        "{} at the earliest ({}'s holiday arrangement is not in this "
                        "configuration's calendars: rest days or swapped working days may "
                        "make it later; it is settled once that year is added)",
                        v.as_date().iso(), y);
      }
      return v.as_date().iso();
    case Value::kEnum:
      if (enum_id >= 0 && v.enum_index >= 0 &&
          v.enum_index < static_cast<int>(rs.enums[enum_id].values.size())) {
        const EnumValue& ev = rs.enums[enum_id].values[v.enum_index];
        const std::string& label = zh ? ev.label.zh : ev.label.en;
        return label.empty() ? ev.key : label;
      }
      return "?";
    case Value::kString:
      return std::string(v.as_string());
  }
  return {};
}

Text show_value(const Value& v, const Ruleset& rs, int enum_id, const Text& unit) {
  return {show_value(v, rs, enum_id, unit, Lang::kZh), show_value(v, rs, enum_id, unit, Lang::kEn)};
}

namespace {

class Explainer {
 public:
  Explainer(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
            const std::vector<Value>& inputs, const std::vector<uint8_t>& defaulted)
      : p_(p), rs_(p.ruleset()), ws_(ws), d_(d), inputs_(inputs), defaulted_(defaulted) {}
  // Without the case's inputs as given (a batch row's texts, what a value rests on).
  Explainer(const CompiledRuleset& p, const Workspace& ws, const Decision& d)
      : Explainer(p, ws, d, no_inputs(), no_defaults()) {}

  // A field's value as a person reads it; a derived field that cannot be computed is
  // "undetermined", not "not given".
  Text shown(int field, const Value& v) const {
    return {shown(field, v, Lang::kZh), shown(field, v, Lang::kEn)};
  }
  std::string shown(int field, const Value& v, Lang lang) const {
    const FieldDef& f = rs_.fields[field];
    if (f.kind == FieldKind::kDerived && !v.known() && !(v.flags & Value::kBeyondCalendar)) {
      return lang == Lang::kZh ? "无法判断" : "undetermined";
    }
    return show_value(v, rs_, rs_.field_enum[field], f.unit_label, lang);
  }

  InputUse input_use(int field) const {
    const FieldDef& f = rs_.fields[field];
    InputUse u;
    u.field = f.key;
    u.label = f.label;
    u.value = p_.value(ws_, p_.field_slot(field));
    u.shown = shown(field, u.value);
    // A default another fact withheld was not assumed, whatever the reader filled in.
    u.defaulted = field < static_cast<int>(defaulted_.size()) && defaulted_[field] &&
                  !(u.value.flags & Value::kWithheld);
    u.derived = f.kind == FieldKind::kDerived;
    if (u.value.kind == Value::kEnum && rs_.field_enum[field] >= 0) {
      u.code = rs_.enums[rs_.field_enum[field]].values[u.value.enum_index].key;
    } else if (u.value.kind == Value::kDate) {
      u.code = u.value.as_date().iso();
    }
    return u;
  }

  // The fields and parameters a node reads, in order of first use. Only the branch of an
  // if() that was taken counts. A derived field is shown as itself, and the parameters its
  // definition reads (incident grades, the repeat window) are listed with the test using it.
  void collect(int ni, std::vector<int>& fields, std::vector<std::pair<int, int>>& params,
               bool params_only = false) const {
    const Node& n = p_.node(ni);
    switch (n.op) {
      case Op::kSlot:
        if (n.slot() >= static_cast<int>(rs_.fields.size())) {  // a test: listed on its own…
          if (tests_read_)
            append_once(*tests_read_, n.slot() - static_cast<int>(rs_.fields.size()));
          // …except where all a value rests on is wanted (caveats).
          if (follow_tests_ && p_.computed(ws_, n.slot()) && first_visit(n.slot())) {
            collect(p_.slot_root(n.slot()), fields, params, params_only);
          }
          return;
        }
        if (!params_only) append_once(fields, n.slot());
        if (n.slot() < p_.input_count()) note_read(n.slot());
        // A derived field is shown with the facts and thresholds its definition read.
        if (p_.slot_root(n.slot()) >= 0 && (!follow_tests_ || first_visit(n.slot()))) {
          collect(p_.slot_root(n.slot()), fields, params, params_only);
        }
        return;
      case Op::kGiven:  // whether the user gave an input: that input is a fact read
        if (!params_only) append_once(fields, n.slot());
        if (n.slot() < p_.input_count()) note_read(n.slot());
        return;
      case Op::kParam:
      case Op::kIsSet:
        push_param(n.cell(), -1, params);
        return;
      case Op::kParamIndexed:
      case Op::kIsSetIndexed: {
        Value idx = p_.eval_node(n.index(), ws_);
        collect(n.index(), fields, params, params_only);
        if (idx.known()) push_param(n.cell(), idx.enum_index, params);
        return;
      }
      case Op::kIf: {
        Tri c = p_.eval_node(n.operand(0), ws_).truth();
        collect(n.operand(0), fields, params, params_only);
        if (c != Tri::kFalse) collect(n.operand(1), fields, params, params_only);
        if (c != Tri::kTrue) collect(n.operand(2), fields, params, params_only);
        return;
      }
      case Op::kAnd:
      case Op::kOr: {
        // As evaluation does: a left operand that decides (false for and, true for or) is
        // the whole reason, and the right one was never read. For what a value rests on
        // (minimal_), a right operand that decides alone is the whole reason too.
        const Tri decider = n.op == Op::kAnd ? Tri::kFalse : Tri::kTrue;
        Tri left = p_.eval_node(n.operand(0), ws_).truth();
        if (minimal_ && left != decider && p_.eval_node(n.operand(1), ws_).truth() == decider) {
          collect(n.operand(1), fields, params, params_only);
          return;
        }
        collect(n.operand(0), fields, params, params_only);
        if (left != decider) collect(n.operand(1), fields, params, params_only);
        return;
      }
      default:
        p_.for_each_child(ni, [&](int c) { collect(c, fields, params, params_only); });
    }
  }

  void push_param(int base, int index, std::vector<std::pair<int, int>>& params) const {
    int cell = base + std::max(index, 0);
    for (auto& [c, i] : params) {
      if (c == cell) return;
    }
    params.push_back({cell, index});
  }

  int param_of_cell(int cell) const { return p_.param_of_cell(cell); }

  // `epoch`: the parameter values in force for the thing explained (the decision's, or the
  // review date's for a procedural output); -1 for the decision's.
  ThresholdUse threshold_use(int cell, int index, int epoch = -1) const {
    ThresholdUse t;
    t.cell = cell;
    int param = param_of_cell(cell);
    const ParamDef& pd = rs_.params[param];
    const ParamCell& pc = p_.epoch(epoch >= 0 ? epoch : d_.epoch).cells[cell];
    t.param = pd.key;
    t.label = pd.label.empty() ? pd.description : pd.label;
    if (index >= 0) {
      const EnumValue& ev = rs_.enums[pd.index_enum].values[index];
      t.index = ev.key;
      t.index_label = ev.label;
    }
    t.value = pc.value;
    t.unit = pd.unit;
    t.shown = show_value(pc.value, rs_, -1, pd.unit_label);
    t.provenance = pc.provenance >= 0 ? &p_.provenance(pc.provenance) : nullptr;
    t.before_values = (pc.value.flags & Value::kBeforeValues) != 0;
    for (int e = 0; t.before_values && e < p_.epoch_count(); ++e) {
      const ParamCell& later = p_.epoch(e).cells[cell];
      if (later.provenance >= 0) {
        t.first_since = p_.provenance(later.provenance).value->since;
        break;
      }
    }
    return t;
  }

  bool has_param(int ni) const {
    const Node& n = p_.node(ni);
    if (n.op == Op::kParam || n.op == Op::kParamIndexed) return true;
    bool any = false;
    p_.for_each_child(ni, [&](int c) { any = any || has_param(c); });
    return any;
  }

  std::string unit_of(int ni) const {
    const Node& n = p_.node(ni);
    if (n.op == Op::kSlot && n.slot() < static_cast<int>(rs_.fields.size())) {
      return rs_.fields[n.slot()].unit;
    }
    if (n.op == Op::kParam || n.op == Op::kParamIndexed) {
      return rs_.params[param_of_cell(n.cell())].unit;
    }
    if (n.op == Op::kConst || n.op == Op::kSlot || n.op == Op::kIsSet) return "";
    std::string u;
    p_.for_each_child(ni, [&](int c) {
      if (u.empty()) u = unit_of(c);
    });
    return u;
  }

  Text unit_label_of(int ni) const {
    const Node& n = p_.node(ni);
    if (n.op == Op::kSlot && n.slot() < static_cast<int>(rs_.fields.size())) {
      return rs_.fields[n.slot()].unit_label;
    }
    if (n.op == Op::kParam || n.op == Op::kParamIndexed) {
      return rs_.params[param_of_cell(n.cell())].unit_label;
    }
    if (n.op == Op::kConst || n.op == Op::kSlot || n.op == Op::kIsSet) return {};
    Text u;
    p_.for_each_child(ni, [&](int c) {
      if (u.empty()) u = unit_label_of(c);
    });
    return u;
  }

  void comparisons(int ni, std::vector<Comparison>& out) const {
    const Node& n = p_.node(ni);
    bool ordered = n.op == Op::kLe || n.op == Op::kLt || n.op == Op::kGe || n.op == Op::kGt;
    if (ordered && has_param(n.operand(0)) != has_param(n.operand(1))) {
      bool param_left = has_param(n.operand(0));
      int vnode = n.operand(param_left ? 1 : 0);
      int tnode = n.operand(param_left ? 0 : 1);
      Value v = p_.eval_node(vnode, ws_);
      Value t = p_.eval_node(tnode, ws_);
      if (v.kind == Value::kNumber && t.kind == Value::kNumber) {
        Op op = n.op;
        if (param_left) {  // threshold OP value → value OP' threshold
          op = op == Op::kLe   ? Op::kGe
               : op == Op::kLt ? Op::kGt
               : op == Op::kGe ? Op::kLe
                               : Op::kLt;
        }
        Comparison c;
        c.value = v.num;
        c.threshold = t.num;
        c.value_node = vnode;
        c.threshold_node = tnode;
        c.margin = comparison_margin(v.num, t.num);
        std::vector<int> unused;
        std::vector<std::pair<int, int>> cells;
        collect(tnode, unused, cells);
        if (!cells.empty()) c.threshold_cell = cells.front().first;
        c.op = op == Op::kLe ? "<=" : op == Op::kLt ? "<" : op == Op::kGe ? ">=" : ">";
        if (with_text_) {
          c.unit = unit_of(vnode);
          c.unit_label = unit_label_of(vnode);
          if (c.unit_label.empty()) c.unit_label = unit_label_of(tnode);
          c.sentence = sentence(c);
        }
        out.push_back(c);
      }
    }
    // Follow evaluation: only the if() branch taken, and not the right operand of an and/or
    // whose left operand decided it.
    if (n.op == Op::kIf) {
      Tri c = p_.eval_node(n.operand(0), ws_).truth();
      comparisons(n.operand(0), out);
      if (c != Tri::kFalse) comparisons(n.operand(1), out);
      if (c != Tri::kTrue) comparisons(n.operand(2), out);
      return;
    }
    if (n.op == Op::kAnd || n.op == Op::kOr) {
      Tri left = p_.eval_node(n.operand(0), ws_).truth();
      comparisons(n.operand(0), out);
      if (left != (n.op == Op::kAnd ? Tri::kFalse : Tri::kTrue)) comparisons(n.operand(1), out);
      return;
    }
    p_.for_each_child(ni, [&](int c) { comparisons(c, out); });
  }

  static Text sentence(const Comparison& c) {
    auto amount = [&](double x, Lang l) {
      const std::string& u = c.unit_label.in(l);
      std::string n = format_grouped(x);
      return u.empty() ? n : fmt::format("{} {}", n, u);
    };
    double m = std::fabs(c.margin);
    bool equal = m == 0;
    std::string v_zh = amount(c.value, Lang::kZh), v_en = amount(c.value, Lang::kEn);
    std::string t_zh = amount(c.threshold, Lang::kZh), t_en = amount(c.threshold, Lang::kEn);
    std::string m_zh = amount(m, Lang::kZh), m_en = amount(m, Lang::kEn);
    if (equal) {
      std::string_view op(c.op);
      const char* zh = op == "<="   ? "等于标准视为在标准以内"
                       : op == ">=" ? "等于标准即达到标准"
                                    : "未越过标准";
      const char* en = op == "<="   ? "equal counts as within"
                       : op == ">=" ? "equal counts as reaching it"
                                    : "not past it";
      return {fmt::format("{}，恰等于 {} 的标准（{}）", v_zh, t_zh, zh),
              fmt::format("{}, equal to the {} threshold ({})", v_en, t_en, en)};
    }
    if (c.margin < 0) {
      return {fmt::format("{}，低于 {} 的标准 {}", v_zh, t_zh, m_zh),
              fmt::format("{}, {} under the {} threshold", v_en, m_en, t_en)};
    }
    return {fmt::format("{}，超出 {} 的标准 {}", v_zh, t_zh, m_zh),
            fmt::format("{}, {} over the {} threshold", v_en, m_en, t_en)};
  }

  // The threshold of parameter cell `cell`, whatever parameter and index it belongs to.
  ThresholdUse threshold_at(int cell) const {
    const int param = param_of_cell(cell);
    const int index = rs_.params[param].index_enum >= 0 ? cell - p_.param_base(param) : -1;
    return threshold_use(cell, index);
  }

  std::vector<ThresholdUse> thresholds_of(int node, int epoch) const {
    std::vector<int> fields;
    std::vector<std::pair<int, int>> params;
    collect(node, fields, params);
    std::vector<ThresholdUse> out;
    for (auto [cell, index] : params) out.push_back(threshold_use(cell, index, epoch));
    return out;
  }

  // The tests node `ni` read as evaluation went (the branches taken, the operands that
  // decided), in order: the reasons a rule's result rests on.
  // The tests within them are followed. Nothing else of the explainer's state changes (what
  // inputs the explained tests read decides which defaults are listed as assumed).
  std::vector<int> tests_read(int ni) {
    std::vector<int> tests, fields;
    std::vector<std::pair<int, int>> params;
    const std::vector<uint8_t> read = read_inputs_, visited = visited_;
    const bool follow = follow_tests_;
    tests_read_ = &tests;
    follow_tests_ = true;
    collect(ni, fields, params, true);
    tests_read_ = nullptr;
    follow_tests_ = follow;
    read_inputs_ = read;
    visited_ = visited;
    return tests;
  }

  ReasonLine reason(int t) const {
    const TestDef& td = rs_.tests[t];
    ReasonLine r;
    r.test = td.key;
    r.label = td.label;
    int applies = p_.test_applies_node(t);
    int expr = p_.test_node(t);
    Value value = p_.value(ws_, p_.test_slot(t));
    bool not_applicable = applies >= 0 && p_.eval_node(applies, ws_).truth() == Tri::kFalse;
    r.result = not_applicable                 ? TestResult::kNotApplicable
               : value.truth() == Tri::kTrue  ? TestResult::kTrue
               : value.truth() == Tri::kFalse ? TestResult::kFalse
                                              : TestResult::kUnknown;
    std::vector<int> fields;
    std::vector<std::pair<int, int>> params;
    if (applies >= 0) collect(applies, fields, params);
    if (!not_applicable && expr >= 0) {
      collect(expr, fields, params);
      comparisons(expr, r.comparisons);
    }
    for (int f : fields) r.inputs.push_back(input_use(f));
    for (auto [cell, index] : params) r.thresholds.push_back(threshold_use(cell, index));
    return r;
  }

  const CompiledRuleset& p_;
  const Ruleset& rs_;
  const Workspace& ws_;
  const Decision& d_;

 public:
  bool with_text_ = true;                   // false: numbers only (batch rows)
  std::vector<int>* tests_read_ = nullptr;  // collect() notes the tests it meets here
  bool follow_tests_ = false;               // collect() goes into the tests a node reads, each once
  mutable std::vector<uint8_t> visited_;    // per slot, when following tests
  bool first_visit(int slot) const {
    if (visited_.empty()) visited_.assign(rs_.fields.size() + rs_.tests.size(), 0);
    return !std::exchange(visited_[slot], 1);
  }
  bool minimal_ = false;  // collect() keeps only the operands a value rests on
  // Every input any explained test read, directly or through derived fields: a flag per input.
  mutable std::vector<uint8_t> read_inputs_;
  bool read_input(int input) const {
    return static_cast<size_t>(input) < read_inputs_.size() && read_inputs_[input];
  }
  void note_read(int input) const {
    if (read_inputs_.empty()) read_inputs_.assign(p_.input_count(), 0);
    read_inputs_[input] = 1;
  }

 private:
  static const std::vector<Value>& no_inputs() {
    static const std::vector<Value> none;
    return none;
  }
  static const std::vector<uint8_t>& no_defaults() {
    static const std::vector<uint8_t> none;
    return none;
  }
  const std::vector<Value>& inputs_;
  const std::vector<uint8_t>& defaulted_;
};

Text temporal_sentence(TemporalChoice c, TemporalRule rule, std::optional<Date> conduct,
                       Date review) {
  std::string cd = conduct ? conduct->iso() : "";
  std::string rd = review.iso();
  switch (c) {
    case TemporalChoice::kSameThresholds:
      return {
          fmt::format(
              "适用行为发生日 {} 施行的标准；与审查日 {} 施行的标准相同（从旧兼从轻不影响结论）。",
              cd, rd),
          fmt::format("Thresholds in force on the conduct date {} were used; they are the same "
                      "as on the review date {}, so 从旧兼从轻 (old law unless the new is "
                      "more lenient) changes nothing.",
                      cd, rd)};
    case TemporalChoice::kConductDate:
      if (rule == TemporalRule::kConductUnlessReviewMoreLenient) {
        return {fmt::format(
                    "适用行为发生日 {} 施行的标准：审查日 {} 施行的标准并不更轻（从旧兼从轻）。",
                    cd, rd),
                fmt::format("Thresholds in force on the conduct date {} were used: those in force "
                            "on the review date {} are not more lenient (从旧兼从轻).",
                            cd, rd)};
      }
      return {fmt::format("适用行为发生日 {} 施行的标准。", cd),
              fmt::format("Thresholds in force on the conduct date {} were used.", cd)};
    case TemporalChoice::kReviewMoreLenient:
      return {
          fmt::format("适用审查日 {} 施行的标准：比行为发生日 {} 施行的标准更轻（从旧兼从轻）。",
                      rd, cd),
          fmt::format("Thresholds in force on the review date {} were used: they are more "
                      "lenient than those in force on the conduct date {} (从旧兼从轻).",
                      rd, cd)};
    case TemporalChoice::kReviewDate:
      return {fmt::format("适用审查日 {} 施行的标准。", rd),
              fmt::format("Thresholds in force on the review date {} were used.", rd)};
    case TemporalChoice::kConductUnknown:
      return {
          fmt::format(
              "未提供行为发生日期，暂按审查日 {} 施行的标准；请补充行为发生日期以适用从旧兼从轻。",
              rd),
          fmt::format("The conduct date was not given, so thresholds in force on the review "
                      "date {} were used; give the conduct date to apply 从旧兼从轻.",
                      rd)};
    case TemporalChoice::kEitherDate:
      return {fmt::format("行为发生日 {} 与审查日 {} 施行的标准不同；哪一个更轻（从旧兼从轻）取决于"
                          "尚缺的事实，补充后方可确定适用哪一日的标准。",
                          cd, rd),
              fmt::format("The thresholds in force on the conduct date {} and on the review date "
                          "{} differ; which is more lenient (从旧兼从轻) depends on the missing "
                          "facts, so which date's thresholds apply is not yet known.",
                          cd, rd)};
  }
  return {};
}

// What the temporal sentence adds: stretches left out for want of values, and an act dated
// under other rules than those applied.
Text temporal_addenda(const Decision& d, const Ruleset& rs, std::optional<Date> act,
                      bool act_rules_differ) {
  Text t;
  if (d.temporal == TemporalChoice::kConductUnknown && d.conduct_assumed_from != INT32_MIN) {
    const Date from = Date::from_days(d.conduct_assumed_from);
    t.zh +=
        fmt::format("本配置在 {} 之前没有本案所需标准的数值，假定行为发生在该日以后。", from.iso());
    t.en += fmt::format(
        " This configuration has no values before {} for what this case needs: "
        "the conduct is assumed to be on or after that day.",
        from.iso());
  }
  if (act_rules_differ && act) {
    const Text& label = rs.fields[rs.find_field(rs.temporal.act_field)].label;
    t.zh += fmt::format("{}（{}）施行的规定与此不同：{}", label.zh, act->iso(), rs.temporal.why.zh);
    t.en += fmt::format(" The rules in force on the {} ({}) differ: {}", label.en, act->iso(),
                        rs.temporal.why.en);
  }
  return t;
}

// A date input of the case by its field key (the temporal rule's conduct, review and act
// dates), if the ruleset has the field and the case gives the date.
std::optional<Date> date_input(const Ruleset& rs, const std::vector<Value>& inputs,
                               const std::string& key) {
  const int f = rs.find_field(key);
  if (f < 0 || static_cast<size_t>(f) >= inputs.size() || !inputs[f].known()) return std::nullopt;
  return inputs[f].as_date();
}

// Which date's rules applied, and why, in the explanation's words.
void explain_temporal(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                      const std::vector<Value>& inputs, Date as_of, Explanation& e) {
  const Ruleset& rs = p.ruleset();
  e.thresholds_date = Date::from_days(d.thresholds_date);
  e.temporal = d.temporal;
  switch (rs.temporal.rule) {
    case TemporalRule::kConduct:
      e.temporal_rule = "conduct_date";
      break;
    case TemporalRule::kReview:
      e.temporal_rule = "review_date";
      break;
    case TemporalRule::kConductUnlessReviewMoreLenient:
      e.temporal_rule = "conduct_unless_review_more_lenient";
      break;
  }
  const std::optional<Date> conduct = date_input(rs, inputs, rs.temporal.conduct_field);
  const Date review = date_input(rs, inputs, rs.temporal.review_field).value_or(as_of);
  e.review_date = review;
  e.temporal_sentence = temporal_sentence(d.temporal, rs.temporal.rule, conduct, review);
  // A conduct date given without its day is not "not given": say what was.
  const int cf = rs.find_field(rs.temporal.conduct_field);
  if (d.temporal == TemporalChoice::kConductUnknown && cf >= 0 &&
      static_cast<size_t>(cf) < inputs.size() && (inputs[cf].flags & Value::kImprecise)) {
    const Value& v = inputs[cf];
    const Text given = show_value(v, rs, -1, {});
    e.temporal_sentence = {
        fmt::format(
            "行为发生日期只给出 {}，暂按审查日 {} 施行的标准；请补充具体日期以适用从旧兼从轻。",
            given.zh, review.iso()),
        fmt::format("The conduct date was given only as {}, so thresholds in force on the review "
                    "date {} were used; give the exact date to apply 从旧兼从轻.",
                    given.en, review.iso())};
  }
  const std::optional<Date> act = date_input(rs, inputs, rs.temporal.act_field);
  Text more = temporal_addenda(d, rs, act, act && p.rules_differ_on(ws, act->days()));
  e.temporal_sentence.zh += more.zh;
  e.temporal_sentence.en += more.en;
}

// The statuses of the thresholds `cells` and the harsher defaults among `fields`.
void add_caveats(const CompiledRuleset& p, const Workspace& ws, int epoch,
                 const std::vector<std::pair<int, int>>& cells, const std::vector<int>& fields,
                 Caveats& c) {
  for (auto [cell, index] : cells) {
    const ParamCell& pc = p.epoch(epoch).cells[cell];
    if (pc.provenance < 0 || !pc.value.known()) continue;
    const Status st = p.provenance(pc.provenance).value->status;
    c.reported |= st == Status::kReported;
    c.proposed |= st == Status::kProposed;
    c.example |= st == Status::kExample;
  }
  const Ruleset& rs = p.ruleset();
  for (int f : fields) {
    if (f >= p.input_count() || !rs.fields[f].default_harsher) continue;
    if (p.value(ws, f).flags & Value::kDefaulted) append_once(c.defaults, f);
  }
}

// What a walk of rules (the decisions, or an output's rules) rests on, as evaluation went:
// every condition up to the one that decided, but for the conditions of earlier rules with the
// same value (that one of them did not hold changes nothing: suit by the fifth override rests
// on the fifth alone).
template <typename NodeOf, typename SameValue>
Caveats walk_caveats(const CompiledRuleset& p, const Workspace& ws, const Decision& d, int epoch,
                     size_t rules, int decided_by, NodeOf&& node_of, SameValue&& same_value) {
  Explainer x(p, ws, d);
  x.follow_tests_ = x.minimal_ = true;
  std::vector<int> fields;
  std::vector<std::pair<int, int>> cells;
  for (size_t i = 0; i < rules; ++i) {
    const int node = node_of(i);
    if (node < 0) break;
    const bool decider = static_cast<int>(i) == decided_by;
    if (!(decided_by >= 0 && static_cast<int>(i) < decided_by && same_value(i))) {
      x.collect(node, fields, cells);
    }
    if (decider || p.eval_node(node, ws).truth() == Tri::kTrue) break;
  }
  Caveats c;
  add_caveats(p, ws, epoch, cells, fields, c);
  return c;
}

}  // namespace

Caveats outcome_caveats(const CompiledRuleset& p, const Workspace& ws, const Decision& d) {
  // Nothing unofficial read and no harsher default assumed: nothing to look for (most cases).
  if (!d.read_unofficial && !p.harsher_default_assumed(ws)) return {};
  const std::vector<RuleEntry>& decisions = p.ruleset().decisions;
  const std::string& outcome = p.ruleset().outcomes[d.outcome].key;
  return walk_caveats(
      p, ws, d, d.epoch, decisions.size(), d.decided_by,
      [&](size_t i) { return p.decision_node(static_cast<int>(i)); },
      [&](size_t i) { return decisions[i].value == outcome; });
}

Caveats output_caveats(const CompiledRuleset& p, const Workspace& ws, const Decision& d, size_t o) {
  const OutputResult& r = d.outputs[o];
  if (!r.applies || r.value < 0) return {};
  if (!d.read_unofficial && !p.harsher_default_assumed(ws)) return {};
  const OutputDef& od = p.ruleset().outputs[o];
  const std::string& value = od.values[r.value].key;
  return walk_caveats(
      p, ws, d, od.review_date ? p.epoch_for(d.review_date) : d.epoch, od.rules.size(),
      r.decided_by,
      [&](size_t i) { return p.output_rule_node(static_cast<int>(o), static_cast<int>(i)); },
      [&](size_t i) { return od.rules[i].value == value; });
}

Caveats value_caveats(const CompiledRuleset& p, const Workspace& ws, int slot) {
  static const Decision kNoDecision;
  Caveats c;
  if (p.slot_root(slot) < 0) return c;
  Explainer x(p, ws, kNoDecision);
  x.follow_tests_ = x.minimal_ = true;
  std::vector<int> fields;
  std::vector<std::pair<int, int>> cells;
  x.collect(p.slot_root(slot), fields, cells);
  add_caveats(p, ws, ws.main.epoch, cells, fields, c);
  return c;
}

Text caveat_text(const CompiledRuleset& p, const Workspace& ws, const Caveats& c) {
  if (c.empty()) return {};
  const Ruleset& rs = p.ruleset();
  std::vector<std::string> zh, en;
  if (c.example) {
    zh.push_back("示例数值");
    en.push_back("an example value");
  }
  if (c.reported) {
    zh.push_back("报道数值");
    en.push_back("a reported value");
  }
  if (c.proposed) {
    zh.push_back("改革建议数值（非现行规定）");
    en.push_back("a proposed value (not current law)");
  }
  for (int f : c.defaults) {
    const FieldDef& fd = rs.fields[f];
    const Value v = p.value(ws, f);
    // A default taken from another input (default_from) names that input, not its value: the
    // value is the row's own (its 发布日期 column), while this sentence is shared by every row
    // of the same shape in a batch.
    if (const int from = rs.find_field(fd.default_from); from >= 0) {
      zh.push_back(fmt::format("默认值“{} = {}”", fd.label.zh, rs.fields[from].label.zh));
      en.push_back(
          fmt::format("the default \"{} = the {}\"", fd.label.en, rs.fields[from].label.en));
      continue;
    }
    zh.push_back(fmt::format("默认值“{} = {}”", fd.label.zh,
                             show_value(v, rs, rs.field_enum[f], fd.unit_label, Lang::kZh)));
    en.push_back(fmt::format("the default \"{} = {}\"", fd.label.en,
                             show_value(v, rs, rs.field_enum[f], fd.unit_label, Lang::kEn)));
  }
  return {fmt::format("（依据{}，须核实）", fmt::join(zh, "、")),
          fmt::format(" (rests on {}: check it)", fmt::join(en, " and "))};
}

std::vector<std::string> caveat_keys(const Ruleset& rs, const Caveats& c) {
  std::vector<std::string> out;
  if (c.example) out.push_back("example");
  if (c.reported) out.push_back("reported");
  if (c.proposed) out.push_back("proposed");
  for (int f : c.defaults) out.push_back("default:" + rs.fields[f].key);
  return out;
}

double comparison_margin(double value, double threshold) {
  // Round away binary noise (0.15 − 0.2 = −0.05000000000000002) before anyone reads it.
  // Whole numbers (most amounts and limits) subtract exactly: no rounding needed.
  double diff = value - threshold;
  bool exact = value == std::trunc(value) && threshold == std::trunc(threshold) &&
               std::fabs(diff) < 9007199254740992.0;
  return exact ? diff : std::strtod(fmt::format("{:.12g}", diff).c_str(), nullptr);
}

void brief_comparisons(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                       std::vector<BriefComparison>& out) {
  Explainer x(p, ws, d);
  x.with_text_ = false;
  out.clear();
  std::vector<Comparison> found;
  const Ruleset& rs = p.ruleset();
  for (size_t t = 0; t < rs.tests.size(); ++t) {
    // Only the tests the decision used: a threshold it never needed is not one it applied.
    if (!p.computed(ws, p.test_slot(static_cast<int>(t)))) continue;
    int applies = p.test_applies_node(static_cast<int>(t));
    if (applies >= 0 && p.eval_node(applies, ws).truth() == Tri::kFalse) continue;
    int expr = p.test_node(static_cast<int>(t));
    if (expr < 0) continue;
    found.clear();
    x.comparisons(expr, found);
    for (const auto& c : found) {
      out.push_back({static_cast<int>(t), c.threshold_cell, c.value_node, c.threshold_node, c.value,
                     c.threshold, c.margin, c.op});
    }
  }
}

std::vector<MessagePart> advisory_parts(const CompiledRuleset& p, const Workspace& ws,
                                        const Decision& d, size_t a, Lang lang) {
  const Ruleset& rs = p.ruleset();
  Explainer x(p, ws, d);
  const std::string& msg = rs.advisories[a].message.in(lang);
  std::vector<MessagePart> out(1);
  for (size_t i = 0; i < msg.size(); ++i) {
    size_t close = msg[i] == '{' ? msg.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out.back().text += msg[i];
      continue;
    }
    // {name}: the value as the explanation shows it (the checker allows fields and
    // parameters without an index only).
    std::string name = msg.substr(i + 1, close - i - 1);
    if (int f = rs.find_field(name); f >= 0) {
      out.back().field = f;
      out.emplace_back();
    } else if (int pi = rs.find_param(name); pi >= 0) {
      out.back().text += x.threshold_use(p.param_base(pi), -1).shown.in(lang);
    } else {
      out.back().text += msg.substr(i, close - i + 1);
    }
    i = close;
  }
  return out;
}

Text threshold_name(const CompiledRuleset& p, int cell) {
  const Ruleset& rs = p.ruleset();
  const int param = p.param_of_cell(cell);
  const ParamDef& pd = rs.params[param];
  auto name = [&](Lang lang) {
    std::string n = pd.label.in(lang).empty() ? pd.key : pd.label.in(lang);
    if (pd.index_enum >= 0) {
      const EnumValue& ev = rs.enums[pd.index_enum].values[cell - p.param_base(param)];
      n += "[" + (ev.label.in(lang).empty() ? ev.key : ev.label.in(lang)) + "]";
    }
    return n;
  };
  return {name(Lang::kZh), name(Lang::kEn)};
}

Text decision_summary(const CompiledRuleset& p, const Decision& d) {
  const Ruleset& rs = p.ruleset();
  if (d.decided_by >= 0) return rs.decisions[d.decided_by].reason;
  Text out{"现有事实下可能的结论：", "with the facts given it could be "};
  bool first = true;
  for (uint64_t m = d.candidates; m; m &= m - 1, first = false) {
    const Text& label = rs.outcomes[std::countr_zero(m)].label;
    out.zh += (first ? "" : "、") + label.zh;
    out.en += (first ? "" : ", ") + label.en;
  }
  if (!d.missing.empty()) {
    out.zh += "；需补充：";
    out.en += "; give: ";
    first = true;
    for (int f : d.missing) {
      out.zh += (first ? "" : "、") + rs.fields[f].label.zh;
      out.en += (first ? "" : ", ") + rs.fields[f].label.en;
      first = false;
    }
  }
  for (int cell : d.pending_cells) {
    const Text name = threshold_name(p, cell);
    out.zh += fmt::format("；{}在适用日期尚无施行中的数值（不是缺少事实）", name.zh);
    out.en += fmt::format("; {} has no value in force on the date (not a missing fact)", name.en);
  }
  if (d.pending_calendar) {
    out.zh += "；期间届满日所在年份的节假日安排本配置未收录，是否届满须收录该年安排后确定";
    out.en +=
        "; a period ends in a year whose holiday arrangement is not in this configuration's "
        "calendars: whether it has ended is known once that year is added";
  }
  if (d.pending_arithmetic) {
    out.zh += "；按规则计算的数额超出可表示的范围（或除以零），没有确定的结果";
    out.en +=
        "; an amount the rules compute is beyond the numbers epil can represent (or divides by "
        "zero): it has no value";
  }
  return out;
}

std::string shown_field(const CompiledRuleset& p, const Workspace& ws, int field, Lang lang) {
  static const Decision kNoDecision;
  return Explainer(p, ws, kNoDecision).shown(field, p.value(ws, p.field_slot(field)), lang);
}

std::string advisory_message(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                             size_t a, Lang lang) {
  std::string out;
  for (const MessagePart& part : advisory_parts(p, ws, d, a, lang)) {
    out += part.text;
    if (part.field >= 0) out += shown_field(p, ws, part.field, lang);
  }
  return out;
}

namespace {

// Defaults not assumed because another fact contradicts them (fields' not_assumed_when): the
// field, the default the case would otherwise have taken (its input still holds it), and why.
std::vector<WithheldDefault> withheld_defaults(const CompiledRuleset& p, const Workspace& ws,
                                               const Explainer& x,
                                               const std::vector<Value>& inputs) {
  const Ruleset& rs = p.ruleset();
  std::vector<WithheldDefault> out;
  for (int f = 0; f < p.input_count(); ++f) {
    if (!(p.value(ws, f).flags & Value::kWithheld)) continue;
    WithheldDefault w;
    w.field = x.input_use(f);
    if (static_cast<size_t>(f) < inputs.size()) w.default_shown = x.shown(f, inputs[f]);
    w.reason = rs.fields[f].not_assumed_reason;
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

namespace {

// Each output's value, reason, thresholds, caveats and the facts it waits for.
void explain_outputs(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                     const Explainer& x, Explanation& e) {
  const Ruleset& rs = p.ruleset();
  for (size_t o = 0; o < rs.outputs.size(); ++o) {
    const OutputDef& od = rs.outputs[o];
    const OutputResult& r = d.outputs[o];
    OutputLine line;
    line.key = od.key;
    line.label = od.label;
    line.applies = r.applies;
    if (r.value >= 0) {
      line.value = od.values[r.value].key;
      line.value_label = od.values[r.value].label;
    }
    for (uint64_t m = r.candidates; m; m &= m - 1) {
      line.candidates.push_back(od.values[std::countr_zero(m)].key);
    }
    if (r.applies && r.value < 0) {
      for (int f : d.output_missing_of[o]) line.missing.push_back(x.input_use(f));
    }
    if (r.applies && r.decided_by >= 0) {
      line.reason = od.rules[r.decided_by].reason;
      int node = p.output_rule_node(static_cast<int>(o), r.decided_by);
      int epoch = od.review_date ? p.epoch_for(d.review_date) : d.epoch;
      if (node >= 0) line.thresholds = x.thresholds_of(node, epoch);
      line.rests_on = output_caveats(p, ws, d, o);
      line.caveat = caveat_text(p, ws, line.rests_on);
    }
    e.outputs.push_back(std::move(line));
  }
}

// The values reported beside the outcome: once it is decided, for the outcomes they are for.
void explain_results(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                     const Explainer& x, Explanation& e) {
  const Ruleset& rs = p.ruleset();
  for (size_t i = 0; i < rs.results.size(); ++i) {
    if (!p.result_reported(static_cast<int>(i), d, ws)) continue;
    int slot = p.result_slot(static_cast<int>(i));
    ResultLine line;
    line.key = rs.results[i].field;
    line.label = rs.fields[slot].label;
    line.note = rs.results[i].note;
    line.value = x.input_use(slot);
    if (line.value.value.known()) {
      line.rests_on = value_caveats(p, ws, slot);
      line.caveat = caveat_text(p, ws, line.rests_on);
    } else {
      std::vector<int> missing;
      p.missing_for(ws, slot, missing);
      for (int f : missing) line.missing.push_back(x.input_use(f));
    }
    e.results.push_back(std::move(line));
  }
}

// Tests that apply among those the deciding entry read, then among those the entries before it
// read (e.reasons must be filled).
void explain_deciding_tests(const CompiledRuleset& p, const Decision& d, Explainer& x,
                            Explanation& e) {
  const Ruleset& rs = p.ruleset();
  // What the outcome rests on: the tests the deciding entry read, then those the entries before
  // it read (each was false, and that is as much a reason: no override applies).
  std::vector<int> deciding, earlier;
  auto add = [&](int entry, std::vector<int>& to) {
    const int node = p.decision_node(entry);
    if (node < 0) return;
    for (int t : x.tests_read(node)) {
      if (std::find(deciding.begin(), deciding.end(), t) == deciding.end()) append_once(to, t);
    }
  };
  if (d.decided_by >= 0) {
    add(d.decided_by, deciding);
    for (int i = 0; i < d.decided_by; ++i) add(i, earlier);
  }
  for (auto [from, to] : {std::pair{&deciding, &e.deciding_tests}, {&earlier, &e.earlier_tests}}) {
    for (int t : *from) {
      if (e.reasons[t].result != TestResult::kNotApplicable) to->push_back(rs.tests[t].key);
    }
  }
}

// The inputs as the case gave them: the facts, and those given only roughly.
void explain_facts(const Ruleset& rs, const Explainer& x, const std::vector<Value>& inputs,
                   const std::vector<uint8_t>& defaulted, Explanation& e) {
  // Inputs given only as an estimate or in part: unknown to the rules, shown as given.
  for (size_t f = 0; f < inputs.size() && f < rs.fields.size(); ++f) {
    if (!inputs[f].known() && (inputs[f].flags & Value::kImprecise)) {
      e.imprecise.push_back(x.input_use(static_cast<int>(f)));
    }
  }
  // The facts as given: what the case said, whatever the tests read of it.
  for (size_t f = 0; f < inputs.size() && f < rs.fields.size(); ++f) {
    if (rs.fields[f].kind != FieldKind::kDerived && inputs[f].known() &&
        !(f < defaulted.size() && defaulted[f])) {
      e.facts.push_back(x.input_use(static_cast<int>(f)));
    }
  }
}

}  // namespace

Explanation explain(const CompiledRuleset& p, const Workspace& ws, const Decision& d,
                    const std::vector<Value>& inputs, const std::vector<uint8_t>& defaulted,
                    Date as_of) {
  const Ruleset& rs = p.ruleset();
  Explainer x(p, ws, d, inputs, defaulted);
  Explanation e;
  e.ruleset = rs.id;
  e.ruleset_name = rs.name;
  e.region = p.region().id;
  e.region_name = p.region().name;
  if (p.overlay()) {
    e.overlay = p.overlay()->id;
    e.overlay_name = p.overlay()->name;
  }
  e.outcome = rs.outcomes[d.outcome].key;
  e.outcome_label = rs.outcomes[d.outcome].label;
  e.outcome_rests_on = outcome_caveats(p, ws, d);
  e.outcome_caveat = caveat_text(p, ws, e.outcome_rests_on);
  for (uint64_t m = d.candidates; m; m &= m - 1) {
    int o = std::countr_zero(m);
    e.candidates.push_back(rs.outcomes[o].key);
    e.candidate_labels.push_back(rs.outcomes[o].label);
  }
  if (d.decided_by >= 0) {
    e.decided_by = rs.decisions[d.decided_by].id;
    e.decided_reason = rs.decisions[d.decided_by].reason;
  }
  e.summary = decision_summary(p, d);
  explain_outputs(p, ws, d, x, e);
  explain_results(p, ws, d, x, e);
  for (size_t t = 0; t < rs.tests.size(); ++t) e.reasons.push_back(x.reason(static_cast<int>(t)));
  explain_deciding_tests(p, d, x, e);
  explain_facts(rs, x, inputs, defaulted, e);
  for (int f : d.missing) e.missing.push_back(x.input_use(f));
  e.withheld = withheld_defaults(p, ws, x, inputs);
  for (int cell : d.pending_cells) e.pending.push_back(x.threshold_at(cell));
  e.pending_calendar = d.pending_calendar;
  e.pending_arithmetic = d.pending_arithmetic;
  // Defaults assumed, where a test read them: an assumption nothing used is not a reason.
  for (size_t f = 0; f < defaulted.size(); ++f) {
    if (!defaulted[f] || (p.value(ws, static_cast<int>(f)).flags & Value::kWithheld)) continue;
    if (x.read_input(static_cast<int>(f))) e.assumed.push_back(x.input_use(static_cast<int>(f)));
  }
  for (size_t a = 0; a < rs.advisories.size(); ++a) {
    if (!((d.advisories >> a) & 1ULL)) continue;
    e.advisories.push_back({rs.advisories[a].id, Text{advisory_message(p, ws, d, a, Lang::kZh),
                                                      advisory_message(p, ws, d, a, Lang::kEn)}});
  }
  explain_temporal(p, ws, d, inputs, as_of, e);
  e.before_values = d.before_values;
  e.strict_error = d.strict_error;
  e.fingerprint = p.fingerprint();
  return e;
}

}  // namespace epil
