// A reference evaluator of rulesets, written for clarity rather than speed, that the
// differential test runs against CompiledRuleset::evaluate over generated cases.
//
// It shares only the front end with the real evaluator: expressions are parsed and checked
// by core/expr.h (the language's definition), then walked as trees. Everything after that is
// written again here from the documented semantics, the plain way: names are looked up in
// std::maps, parameters are resolved over the region chain on every use, derived fields and
// tests are computed on demand. Nothing is precompiled into epochs or slots.
#pragma once

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/expr.h"
#include "core/finding.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/value.h"

namespace epil::reference {

using epil::RulesetScope;

/// Two values are the same when both are known, of one kind, and equal. Unknown is never
/// the same as anything, not even another unknown (as in if() with an unknown condition).
inline bool same_value(const Value& x, const Value& y) {
  if (!x.known() || !y.known() || x.kind != y.kind) return false;
  switch (x.kind) {
    case Value::kBool:
      return x.b == y.b;
    case Value::kNumber:
      return x.num == y.num;
    case Value::kDate:
      return x.date == y.date;
    case Value::kEnum:
      return x.enum_index == y.enum_index;
    case Value::kString:
      return x.as_string() == y.as_string();
    default:
      return false;
  }
}

/// Civil Code 第二百零二条, written out by hand: the corresponding day of the month `months`
/// later, or that month's last day when it has none.
inline Date reference_add_months(Date start, int months) {
  int total = start.year() * 12 + (start.month() - 1) + months;
  int y = total / 12, m = total % 12 + 1;
  for (int d = start.day(); d >= 28; --d) {
    if (auto r = Date::from_ymd(y, m, d)) return *r;
  }
  return *Date::from_ymd(y, m, start.day());
}

/// The case values by field key; a key that is absent is unknown.
using Inputs = std::map<std::string, Value>;

struct Result {
  int outcome = -1;
  std::set<int> candidates;
  int decided_by = -1;                   // the decision whose true condition ended the walk
  std::map<std::string, Value> tests;    // every test's value, by key
  std::map<std::string, Value> derived;  // every derived field's value, by key
  std::vector<bool> output_applies;      // per output
  std::vector<int> output_value;         // per output: value index, or -1
  std::set<std::string> advisories;      // ids of the advisories shown
  Date thresholds_date;                  // the date whose thresholds decided
  // A parameter was read before its first value: while deciding (the walk, outputs,
  // advisories, in the order and with the short-circuits of the documented semantics), or by
  // a procedural output under the review date.
  bool before_values = false;
  bool review_before_values = false;
  bool decision_before_values = false;  // by the outcome's walk alone
};

class Evaluator {
 public:
  // The built-ins call() evaluates, and those it leaves to other tests (the calendar
  // functions: tests/calendar_test.cpp against the State Council notices). Held against the
  // table of built-ins by a test, so a new function cannot go unmodelled unnoticed.
  static constexpr std::string_view kImplemented[] = {
      "if", "known", "given", "set", "abs", "min", "max", "add_months", "add_days",
      "days_between"};
  static constexpr std::string_view kNotModelled[] = {"add_working_days", "roll_to_working_day"};

  Evaluator(const Ruleset& rs, std::vector<const Region*> chain)
      : rs_(rs), chain_(std::move(chain)), scope_(rs) {
    for (const auto& f : rs_.fields) {
      if (f.kind == FieldKind::kDerived) derived_[f.key] = prepare(f.expr, f.type);
    }
    for (const auto& t : rs_.tests) {
      test_expr_[t.key] = prepare(t.expr, {BaseType::kBool});
      if (!t.applies.empty()) test_applies_[t.key] = prepare(t.applies, {BaseType::kBool});
    }
    for (const auto& d : rs_.decisions) decision_when_.push_back(prepare_when(d.when));
    for (const auto& f : rs_.fields) {
      if (!f.not_assumed_when.empty()) withheld_[f.key] = prepare(f.not_assumed_when, {BaseType::kBool});
    }
    for (const auto& o : rs_.outputs) output_when_.push_back(prepare_when(o.when));
    for (const auto& o : rs_.outputs) {
      std::vector<std::unique_ptr<Expr>> whens;
      for (const auto& r : o.rules) whens.push_back(prepare_when(r.when));
      output_rule_when_.push_back(std::move(whens));
    }
    for (const auto& a : rs_.advisories) advisory_when_.push_back(prepare_when(a.when));
  }

  /// False when an expression did not parse or check; the reasons are in findings().
  bool ok() const { return findings_.ok(); }
  const Findings& findings() const { return findings_; }

  /// Evaluates one case. `as_of` stands in for the review date when the case has none.
  Result evaluate(const Inputs& inputs, Date as_of) const {
    std::optional<Date> conduct = input_date(inputs, rs_.temporal.conduct_field);
    Date review = input_date(inputs, rs_.temporal.review_field).value_or(as_of);
    switch (rs_.temporal.rule) {
      case TemporalRule::kReview:
        return evaluate_on(inputs, review, review);
      case TemporalRule::kConduct:
        return evaluate_on(inputs, conduct.value_or(review), review);
      case TemporalRule::kConductUnlessReviewMoreLenient:
        break;
    }
    // 从旧兼从轻: for each way to complete the facts, the more lenient of the conduct date's
    // and the review date's outcomes; so the possible outcomes are the more lenient of every
    // pair of the two dates' possible outcomes. Decided: the conduct date's thresholds unless
    // the review date's gave the outcome alone.
    if (!conduct) {
      // Without a conduct date, every earlier date's thresholds paired with the review date's,
      // back to the latest date on which the outcome read a parameter before its first value:
      // the configuration has no rules there, and the conduct is assumed to be after it.
      Result r = evaluate_on(inputs, review, review);
      const std::set<int> at_review = r.candidates;
      std::set<int> all = at_review;
      std::vector<Date> days = earlier_dates(review);
      for (auto it = days.rbegin(); it != days.rend(); ++it) {  // latest first
        Result other = evaluate_on(inputs, *it, review);
        if (other.decision_before_values) break;  // no rules then, nor before
        for (int o : lenient_pairs(other.candidates, at_review)) all.insert(o);
      }
      if (all != at_review) undecided(r, all);
      return r;
    }
    Result old_law = evaluate_on(inputs, *conduct, review);
    Result new_law = evaluate_on(inputs, review, review);
    std::set<int> both = lenient_pairs(old_law.candidates, new_law.candidates);
    if (both.size() == 1) {
      bool old_decides = old_law.candidates == both;
      return old_decides ? old_law : new_law;
    }
    undecided(old_law, both);
    old_law.before_values = old_law.before_values || new_law.before_values;
    return old_law;
  }

 private:
  // One day in each stretch of time before `review` over which no parameter of the chain
  // changes: the day before the first `since`, and every `since` before `review`.
  std::vector<Date> earlier_dates(Date review) const {
    std::set<Date> sinces;
    for (const Region* region : chain_) {
      auto it = region->parameters.find(rs_.id);
      if (it == region->parameters.end()) continue;
      for (const auto& [key, setting] : it->second) {
        for (const auto& v : setting.values) sinces.insert(v.since);
        for (const auto& [index, values] : setting.by_index) {
          for (const auto& v : values) sinces.insert(v.since);
        }
      }
    }
    std::vector<Date> days;
    if (!sinces.empty() && *sinces.begin() < review) days.push_back(add_days(*sinces.begin(), -1));
    for (Date d : sinces) {
      if (d < review) days.push_back(d);
    }
    return days;
  }

  // What one evaluation on one date remembers: derived fields and tests already computed.
  struct Context {
    const Inputs& inputs;
    Date day;
    std::map<std::string, Value> fields;
    std::map<std::string, Value> tests;
    bool before = false;  // a parameter was read before its first value
  };

  std::unique_ptr<Expr> prepare(const ExprText& text, Type expected) {
    auto e = parse_expression(text.text, text.at, findings_);
    if (e && !check_expression(*e, scope_, expected, text.at.file, findings_)) e.reset();
    return e;
  }
  // An empty condition (the default entry) stays null.
  std::unique_ptr<Expr> prepare_when(const ExprText& text) {
    if (text.empty()) return nullptr;
    return prepare(text, {BaseType::kBool});
  }

  std::optional<Date> input_date(const Inputs& inputs, const std::string& key) const {
    if (key.empty()) return std::nullopt;
    auto it = inputs.find(key);
    if (it == inputs.end() || it->second.kind != Value::kDate) return std::nullopt;
    return it->second.as_date();
  }

  std::set<int> lenient_pairs(const std::set<int>& a, const std::set<int>& b) const {
    std::set<int> out;
    for (int x : a) {
      for (int y : b) out.insert(leniency(y) < leniency(x) ? y : x);
    }
    return out;
  }

  void undecided(Result& r, const std::set<int>& candidates) const {
    r.candidates = candidates;
    r.outcome = rs_.find_outcome(rs_.undecided);
    r.decided_by = -1;
    r.review_before_values = false;  // no procedural output is decided for an undecided case
    for (size_t o = 0; o < r.output_applies.size(); ++o) {
      r.output_applies[o] = false;
      r.output_value[o] = -1;
    }
  }

  int leniency(int outcome) const {
    const auto& order = rs_.temporal.leniency;
    for (size_t i = 0; i < order.size(); ++i) {
      if (order[i] == rs_.outcomes[outcome].key) return static_cast<int>(i);
    }
    return static_cast<int>(order.size());
  }

  // Everything under the thresholds in force on `day`, except procedural outputs
  // (`date: review_date`), which follow the rules in force on `review`.
  Result evaluate_on(const Inputs& inputs, Date day, Date review) const {
    Context c{inputs, day, {}, {}};
    Context on_review{inputs, review, {}, {}};
    Result r;
    r.thresholds_date = day;

    auto outcome_of = [&](const RuleEntry& e) { return rs_.find_outcome(e.value); };
    r.candidates = possible(rs_.decisions, decision_when_, outcome_of, c, r.decided_by);
    r.decision_before_values = c.before;  // what the outcome read
    r.outcome = r.candidates.size() == 1 ? *r.candidates.begin() : rs_.find_outcome(rs_.undecided);

    for (size_t o = 0; o < rs_.outputs.size(); ++o) {
      const OutputDef& out = rs_.outputs[o];
      // An output is for a decided outcome only, and only for the outcomes it names, and
      // only where its `when` is not false (the question arises).
      bool applies = r.candidates.size() == 1 && is_for(out.for_outcomes, r.outcome);
      Context& oc = out.review_date ? on_review : c;
      if (applies && output_when_[o]) applies = eval(*output_when_[o], oc).truth() != Tri::kFalse;
      int value = -1;
      if (applies) {
        auto value_of = [&](const RuleEntry& e) {
          for (size_t v = 0; v < out.values.size(); ++v) {
            if (out.values[v].key == e.value) return static_cast<int>(v);
          }
          return -1;
        };
        int by = -1;
        std::set<int> values = possible(out.rules, output_rule_when_[o], value_of, oc, by);
        if (values.size() == 1) value = *values.begin();
      }
      r.output_applies.push_back(applies);
      r.output_value.push_back(value);
    }
    for (size_t a = 0; a < rs_.advisories.size(); ++a) {
      const AdvisoryDef& adv = rs_.advisories[a];
      if (!advisory_when_[a] || !is_for(adv.for_outcomes, r.outcome)) continue;
      if (eval(*advisory_when_[a], c).truth() == Tri::kTrue) r.advisories.insert(adv.id);
    }
    r.before_values = c.before;
    r.review_before_values = on_review.before;
    // Everything else, for the comparison: computed after the decision so that what the
    // decision read (before_values) is what the documented lazy evaluation reads.
    for (const auto& f : rs_.fields) {
      if (f.kind == FieldKind::kDerived) r.derived[f.key] = field(f.key, c);
    }
    for (const auto& t : rs_.tests) r.tests[t.key] = test(t.key, c);
    return r;
  }

  bool is_for(const std::vector<std::string>& outcomes, int outcome) const {
    if (outcomes.empty()) return true;
    for (const auto& k : outcomes) {
      if (k == rs_.outcomes[outcome].key) return true;
    }
    return false;
  }

  // The possible-outcome walk: a false condition is skipped, an unknown one makes its value
  // possible and goes on, a true one (or the default) makes its value possible and stops.
  template <typename ValueOf>
  std::set<int> possible(const std::vector<RuleEntry>& rules,
                         const std::vector<std::unique_ptr<Expr>>& whens, ValueOf value_of,
                         Context& c, int& decided_by) const {
    std::set<int> out;
    decided_by = -1;
    for (size_t i = 0; i < rules.size(); ++i) {
      int value = value_of(rules[i]);
      Tri t = whens[i] ? eval(*whens[i], c).truth() : Tri::kTrue;
      if (t == Tri::kFalse) continue;
      out.insert(value);
      if (t == Tri::kTrue) {
        if (out.size() == 1) decided_by = static_cast<int>(i);
        break;
      }
    }
    return out;
  }

  Value field(const std::string& key, Context& c) const {
    const FieldDef& f = rs_.fields[rs_.find_field(key)];
    if (f.kind == FieldKind::kInput) {
      auto it = c.inputs.find(key);
      if (it == c.inputs.end()) return Value::unknown();
      // A default that another fact contradicts is not assumed (not_assumed_when).
      if (it->second.flags & Value::kDefaulted) {
        auto w = withheld_.find(key);
        if (w != withheld_.end() && w->second) {
          Context plain{c.inputs, c.day, {}, {}};  // reads inputs only: nothing to remember
          if (eval(*w->second, plain).truth() == Tri::kTrue) return Value::unknown(Value::kWithheld);
        }
      }
      return it->second;
    }
    if (auto it = c.fields.find(key); it != c.fields.end()) return it->second;
    const auto& e = derived_.at(key);
    Value v = e ? eval(*e, c) : Value::unknown();
    c.fields[key] = v;
    return v;
  }

  // A test with `applies` is `otherwise` where it does not apply; where that is unknown, the
  // test is known only if its expression gives `otherwise` anyway.
  Value test(const std::string& key, Context& c) const {
    if (auto it = c.tests.find(key); it != c.tests.end()) return it->second;
    const TestDef& t = rs_.tests[rs_.find_test(key)];
    const auto& e = test_expr_.at(key);
    Value v;
    if (!e) {
      v = Value::unknown();
    } else if (t.applies.empty()) {
      v = eval(*e, c);
    } else {
      Value otherwise = Value::boolean(t.otherwise);
      Tri applies = eval(*test_applies_.at(key), c).truth();
      if (applies == Tri::kTrue) {
        v = eval(*e, c);
      } else if (applies == Tri::kFalse) {
        v = otherwise;
      } else {
        Value x = eval(*e, c);
        v = same_value(x, otherwise) ? x : Value::unknown();
      }
    }
    c.tests[key] = v;
    return v;
  }

  /// The value of a parameter (of one enum value, when indexed) on a day: the nearest region
  /// of the chain with a value in force on that day (the one with the latest `since` on or
  /// before it) decides; if some region sets it but none has a value yet, unknown "before
  /// values"; if none sets it, unknown "not set".
  Value param(const ParamDef& p, int index, Date day) const {
    bool set_somewhere = false;
    for (const Region* region : chain_) {
      auto by_ruleset = region->parameters.find(rs_.id);
      if (by_ruleset == region->parameters.end()) continue;
      auto setting = by_ruleset->second.find(p.key);
      if (setting == by_ruleset->second.end()) continue;
      const std::vector<DatedValue>* values = &setting->second.values;
      if (p.index_enum >= 0) {
        auto it = setting->second.by_index.find(rs_.enums[p.index_enum].values[index].key);
        if (it == setting->second.by_index.end()) continue;
        values = &it->second;
      }
      if (values->empty()) continue;
      set_somewhere = true;
      const DatedValue* in_force = nullptr;
      for (const DatedValue& dv : *values) {
        if (dv.since <= day && (!in_force || dv.since >= in_force->since)) in_force = &dv;
      }
      if (!in_force) continue;  // this region's rule starts later: its parent's holds
      return in_force->value ? *in_force->value : Value::unknown(Value::kNotSet);
    }
    return Value::unknown(set_somewhere ? Value::kBeforeValues : Value::kNotSet);
  }

  // A parameter reference, `p` or `p[index]`; an unknown index gives an unknown value.
  Value param_ref(const Expr& e, Context& c) const {
    const ParamDef& p = rs_.params[e.symbol_id];
    Value v;
    if (e.op != Op::kIndex) {
      v = param(p, -1, c.day);
    } else {
      Value idx = eval(*e.args[1], c);
      if (!idx.known()) return Value::unknown();
      v = param(p, idx.enum_index, c.day);
    }
    c.before |= (v.flags & Value::kBeforeValues) != 0;
    return v;
  }

  // set(p), set(p[i]): whether the parameter has a value in force. With the index unknown,
  // it is still known when no enum value, or every one, has a value.
  Value is_set(const Expr& e, Context& c) const {
    if (e.op != Op::kIndex) return Value::boolean(param_ref(e, c).known());
    if (eval(*e.args[1], c).known()) return Value::boolean(param_ref(e, c).known());
    // (Whether a value is in force for some index: no single parameter is read, so no
    // "before its first value" either.)
    const ParamDef& p = rs_.params[e.symbol_id];
    size_t n = rs_.enums[p.index_enum].values.size(), with_value = 0;
    for (size_t i = 0; i < n; ++i) with_value += param(p, static_cast<int>(i), c.day).known();
    if (with_value == 0) return Value::boolean(false);
    if (with_value == n) return Value::boolean(true);
    return Value::unknown();
  }

  static Tri kleene_and(Tri a, Tri b) {
    if (a == Tri::kFalse || b == Tri::kFalse) return Tri::kFalse;
    if (a == Tri::kTrue && b == Tri::kTrue) return Tri::kTrue;
    return Tri::kUnknown;
  }
  static Tri kleene_or(Tri a, Tri b) {
    if (a == Tri::kTrue || b == Tri::kTrue) return Tri::kTrue;
    if (a == Tri::kFalse && b == Tri::kFalse) return Tri::kFalse;
    return Tri::kUnknown;
  }
  static Tri kleene_not(Tri a) {
    if (a == Tri::kUnknown) return a;
    return a == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
  }

  // Compares two known values of one kind; the checker has already ruled out other pairs.
  static Tri compare(Op op, const Value& x, const Value& y) {
    if (!x.known() || !y.known()) return Tri::kUnknown;
    int order = 0;  // -1, 0, 1
    auto three_way = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
    switch (x.kind) {
      case Value::kNumber:
        order = three_way(x.num, y.num);
        break;
      case Value::kDate:
        order = three_way(x.date, y.date);
        break;
      case Value::kEnum:
        order = three_way(x.enum_index, y.enum_index);
        break;
      case Value::kBool:
        order = three_way(x.b, y.b);
        break;
      case Value::kString:
        order = three_way(x.as_string(), y.as_string());
        break;
      default:
        return Tri::kUnknown;
    }
    bool r = false;
    switch (op) {
      case Op::kEq:
        r = order == 0;
        break;
      case Op::kNe:
        r = order != 0;
        break;
      case Op::kLt:
        r = order < 0;
        break;
      case Op::kLe:
        r = order <= 0;
        break;
      case Op::kGt:
        r = order > 0;
        break;
      case Op::kGe:
        r = order >= 0;
        break;
      default:
        return Tri::kUnknown;
    }
    return r ? Tri::kTrue : Tri::kFalse;
  }

  Value eval(const Expr& e, Context& c) const {
    auto arg = [&](size_t i) { return eval(*e.args[i], c); };
    if (is_comparison(e.op)) return Value::tri(compare(e.op, arg(0), arg(1)));
    switch (e.op) {
      case Op::kNumber:
        return Value::number(e.number);
      case Op::kBool:
        return Value::boolean(e.boolean);
      case Op::kDate:
        return Value::of_date(e.date);
      case Op::kString:
        return e.enum_literal >= 0 ? Value::enumeration(e.enum_literal) : Value::string(e.text);
      case Op::kName:
        switch (e.symbol) {
          case SymbolKind::kField:
            return field(e.text, c);
          case SymbolKind::kTest:
            return test(e.text, c);
          case SymbolKind::kParam:
            return param_ref(e, c);
          default:
            return Value::unknown();
        }
      case Op::kIndex:
        return param_ref(e, c);
      case Op::kList:
        return Value::unknown();
      case Op::kNot:
        return Value::tri(kleene_not(arg(0).truth()));
      // Left to right, and a left operand that decides is the whole answer: what is read
      // (parameters before their first value) follows the language's definition.
      case Op::kAnd: {
        Tri a = arg(0).truth();
        return Value::tri(a == Tri::kFalse ? a : kleene_and(a, arg(1).truth()));
      }
      case Op::kOr: {
        Tri a = arg(0).truth();
        return Value::tri(a == Tri::kTrue ? a : kleene_or(a, arg(1).truth()));
      }
      case Op::kIn:
      case Op::kNotIn: {
        // Kleene over the list: x in [a, b] is x == a or x == b.
        Value x = arg(0);
        if (!x.known()) return Value::unknown();
        Tri any = Tri::kFalse;
        for (const auto& item : e.args[1]->args) {
          any = kleene_or(any, compare(Op::kEq, x, eval(*item, c)));
        }
        return Value::tri(e.op == Op::kIn ? any : kleene_not(any));
      }
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        Value x = arg(0), y = arg(1);
        if (!x.known() || !y.known()) return Value::unknown();
        double r;
        switch (e.op) {
          case Op::kAdd:
            r = x.num + y.num;
            break;
          case Op::kSub:
            r = x.num - y.num;
            break;
          case Op::kMul:
            r = x.num * y.num;
            break;
          default:
            // Division by zero has no value: unknown, never infinity or zero.
            if (y.num == 0) return Value::unknown();
            r = x.num / y.num;
        }
        // Nor has a result past the largest number.
        return std::isfinite(r) ? Value::number(r) : Value::unknown();
      }
      case Op::kNeg: {
        Value x = arg(0);
        return x.known() ? Value::number(-x.num) : Value::unknown();
      }
      case Op::kCall:
        return call(e, c);
      default:  // a program's own ops: never parsed
        break;
    }
    return Value::unknown();
  }

  Value call(const Expr& e, Context& c) const {
    const std::string& f = e.text;
    auto arg = [&](size_t i) { return eval(*e.args[i], c); };
    if (f == "if") {
      Tri cond = arg(0).truth();
      if (cond == Tri::kTrue) return arg(1);
      if (cond == Tri::kFalse) return arg(2);
      Value x = arg(1), y = arg(2);
      return same_value(x, y) ? x : Value::unknown();
    }
    if (f == "known") return Value::boolean(arg(0).known());
    if (f == "given") {
      // The input as given, before any default is withheld: given() asks what the user said.
      auto it = c.inputs.find(e.args[0]->text);
      return Value::boolean(it != c.inputs.end() && it->second.given());
    }
    if (f == "set") return is_set(*e.args[0], c);
    if (f == "abs") {
      Value x = arg(0);
      return x.known() ? Value::number(x.num < 0 ? -x.num : x.num) : Value::unknown();
    }
    if (f == "min" || f == "max") {
      std::optional<double> acc;
      for (size_t i = 0; i < e.args.size(); ++i) {
        Value x = arg(i);
        if (!x.known()) return Value::unknown();
        if (!acc || (f == "min" ? x.num < *acc : x.num > *acc)) acc = x.num;
      }
      return Value::number(*acc);
    }
    if (f == "add_months" || f == "add_days") {
      Value d = arg(0), k = arg(1);
      if (!d.known() || !k.known()) return Value::unknown();
      // Counts are whole; a count no calendar can hold has no value.
      if (!(k.num >= -1e6 && k.num <= 1e6)) return Value::unknown();
      int count = static_cast<int>(k.num < 0 ? k.num - 0.5 : k.num + 0.5);
      if (f == "add_days") return Value::of_date(Date::from_days(d.date + count));
      return Value::of_date(reference_add_months(d.as_date(), count));
    }
    if (f == "days_between") {
      Value a = arg(0), b = arg(1);
      if (!a.known() || !b.known()) return Value::unknown();
      return Value::number(static_cast<double>(b.date) - a.date);
    }
    return Value::unknown();
  }

  const Ruleset& rs_;
  std::vector<const Region*> chain_;
  RulesetScope scope_;
  Findings findings_;
  std::map<std::string, std::unique_ptr<Expr>> derived_;
  std::map<std::string, std::unique_ptr<Expr>> test_expr_;
  std::map<std::string, std::unique_ptr<Expr>> test_applies_;
  std::vector<std::unique_ptr<Expr>> decision_when_;
  std::vector<std::unique_ptr<Expr>> output_when_;
  std::vector<std::vector<std::unique_ptr<Expr>>> output_rule_when_;
  std::map<std::string, std::unique_ptr<Expr>> withheld_;
  std::vector<std::unique_ptr<Expr>> advisory_when_;
};

}  // namespace epil::reference
