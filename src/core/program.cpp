// Evaluating a compiled program (core/program.h): three-valued, lazily, with the temporal
// rule, case shapes for batch, and what a decision waits for. Compiling is compile.cpp's.
#include "core/program.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/builtins.h"

namespace epil {

// --- evaluate ---------------------------------------------------------------------------

namespace {

// A comparison with an open date (Value::kBeyondCalendar: that day or later) answers only
// what holds wherever in [date, ∞) the real date is; otherwise it is unknown.
Value cmp_open_dates(Op op, const Value& x, const Value& y) {
  constexpr int64_t kLater = INT64_MAX;  // no upper bound
  const int64_t xl = x.date, xh = x.open_date() ? kLater : xl;
  const int64_t yl = y.date, yh = y.open_date() ? kLater : yl;
  auto answer = [](bool surely, bool surely_not) {
    return surely ? Value::boolean(true) : surely_not ? Value::boolean(false) : Value::unknown();
  };
  switch (op) {
    case Op::kLt:
      return answer(xh < yl, xl >= yh);
    case Op::kLe:
      return answer(xh <= yl, xl > yh);
    case Op::kGt:
      return answer(xl > yh, xh <= yl);
    case Op::kGe:
      return answer(xl >= yh, xh < yl);
    case Op::kEq:
      return answer(false, xh < yl || yh < xl);
    case Op::kNe:
      return answer(xh < yl || yh < xl, false);
    default:
      return Value::unknown();
  }
}

inline Value cmp(Op op, const Value& x, const Value& y) {
  if (!x.known() || !y.known()) return Value::unknown();
  if (x.kind == Value::kDate && ((x.flags | y.flags) & Value::kBeyondCalendar)) [[unlikely]] {
    return cmp_open_dates(op, x, y);
  }
  if (x.kind == Value::kString) {
    bool eq = x.as_string() == y.as_string();
    return Value::boolean(op == Op::kEq ? eq : !eq);
  }
  double a, b;
  switch (x.kind) {
    case Value::kNumber:
      a = x.num;
      b = y.num;
      break;
    case Value::kDate:
      a = x.date;
      b = y.date;
      break;
    case Value::kEnum:
      a = x.enum_index;
      b = y.enum_index;
      break;
    case Value::kBool:
      a = x.b;
      b = y.b;
      break;
    default:
      return Value::unknown();
  }
  switch (op) {
    case Op::kEq:
      return Value::boolean(a == b);
    case Op::kNe:
      return Value::boolean(a != b);
    case Op::kLt:
      return Value::boolean(a < b);
    case Op::kLe:
      return Value::boolean(a <= b);
    case Op::kGt:
      return Value::boolean(a > b);
    case Op::kGe:
      return Value::boolean(a >= b);
    default:
      return Value::unknown();
  }
}

// A date, open (the earliest it can be: Value::kBeyondCalendar) when `open`.
inline Value open_date(Date d, bool open) {
  Value v = Value::of_date(d);
  if (open) v.flags = Value::kBeyondCalendar;
  return v;
}

}  // namespace

// Evaluation proper walks nodes without remembering them: on the hot path each node is
// evaluated once per case anyway. Explanations and missing-fact collection ask about the same
// subtrees again and again; they use the memo (per node, valid for the buffer's generation).
template <bool kMemo>
Value CompiledRuleset::eval_t(int ni, Buffer& b, const ParamCell* cells, bool& before) const {
  Value v;
  if constexpr (kMemo) {
    if (b.node_stamp[ni] == b.generation) return b.node_value[ni];
    v = eval_op<true>(ni, b, cells, before);
    b.node_value[ni] = v;
    b.node_stamp[ni] = b.generation;
  } else {
    v = eval_op<false>(ni, b, cells, before);
  }
  if (b.trace && nodes_[ni].observed) note(ni, b, v);
  return v;
}

Value CompiledRuleset::eval(int ni, Buffer& b, const ParamCell* cells, bool& before) const {
  return eval_t<false>(ni, b, cells, before);
}

template <bool kMemo>
Value CompiledRuleset::eval_op(int ni, Buffer& b, const ParamCell* cells, bool& before) const {
  const Node& n = nodes_[ni];
  switch (n.op) {
    case Op::kConst:
      return n.constant();
    case Op::kSlot:
      return slot_value(n.slot(), b, cells, before);
    case Op::kParam: {
      const Value& v = cells[n.cell()].value;
      before |= (v.flags & Value::kBeforeValues) != 0;
      mark_read(b, n.cell());
      return v;
    }
    case Op::kParamIndexed: {
      Value idx = eval_t<kMemo>(n.index(), b, cells, before);
      if (!idx.known()) return Value::unknown();
      const Value& v = cells[n.cell() + idx.enum_index].value;
      before |= (v.flags & Value::kBeforeValues) != 0;
      mark_read(b, n.cell() + idx.enum_index);
      return v;
    }
    case Op::kIsSet:
      before |= (cells[n.cell()].value.flags & Value::kBeforeValues) != 0;
      mark_read(b, n.cell());
      return Value::boolean(cells[n.cell()].value.known());
    case Op::kIsSetIndexed: {
      Value idx = eval_t<kMemo>(n.index(), b, cells, before);
      if (idx.known()) {
        const Value& v = cells[n.cell() + idx.enum_index].value;
        before |= (v.flags & Value::kBeforeValues) != 0;
        mark_read(b, n.cell() + idx.enum_index);
        return Value::boolean(v.known());
      }
      // Index unknown: still known when no enum value, or every one, has a value.
      int set = 0;
      for (int i = 0; i < n.cells(); ++i) mark_read(b, n.cell() + i);
      for (int i = 0; i < n.cells(); ++i) set += cells[n.cell() + i].value.known();
      if (set == 0) return Value::boolean(false);
      if (set == n.cells()) return Value::boolean(true);
      return Value::unknown();
    }
    case Op::kKnown:
      return Value::boolean(eval_t<kMemo>(n.operand(0), b, cells, before).known());
    case Op::kNot: {
      Tri t = eval_t<kMemo>(n.operand(0), b, cells, before).truth();
      return t == Tri::kUnknown ? Value::unknown() : Value::boolean(t == Tri::kFalse);
    }
    case Op::kAnd: {
      // Kleene: false wins over unknown.
      Tri x = eval_t<kMemo>(n.operand(0), b, cells, before).truth();
      if (x == Tri::kFalse) return Value::boolean(false);
      Tri y = eval_t<kMemo>(n.operand(1), b, cells, before).truth();
      if (y == Tri::kFalse) return Value::boolean(false);
      return x == Tri::kTrue && y == Tri::kTrue ? Value::boolean(true) : Value::unknown();
    }
    case Op::kOr: {
      Tri x = eval_t<kMemo>(n.operand(0), b, cells, before).truth();
      if (x == Tri::kTrue) return Value::boolean(true);
      Tri y = eval_t<kMemo>(n.operand(1), b, cells, before).truth();
      if (y == Tri::kTrue) return Value::boolean(true);
      return x == Tri::kFalse && y == Tri::kFalse ? Value::boolean(false) : Value::unknown();
    }
    case Op::kIf: {
      Tri c = eval_t<kMemo>(n.operand(0), b, cells, before).truth();
      if (c == Tri::kTrue) return eval_t<kMemo>(n.operand(1), b, cells, before);
      if (c == Tri::kFalse) return eval_t<kMemo>(n.operand(2), b, cells, before);
      // Unknown condition: the result is known only when both branches agree.
      Value x = eval_t<kMemo>(n.operand(1), b, cells, before);
      Value y = eval_t<kMemo>(n.operand(2), b, cells, before);
      return x.same(y) ? x : Value::unknown();
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return cmp(n.op, eval_t<kMemo>(n.operand(0), b, cells, before),
                 eval_t<kMemo>(n.operand(1), b, cells, before));
    case Op::kInMask:
    case Op::kNotInMask: {
      Value x = eval_t<kMemo>(n.operand(0), b, cells, before);
      if (!x.known()) return Value::unknown();
      bool in = x.enum_index < 64 && ((n.values() >> x.enum_index) & 1ULL);
      return Value::boolean(n.op == Op::kInMask ? in : !in);
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv: {
      Value x = eval_t<kMemo>(n.operand(0), b, cells, before);
      Value y = eval_t<kMemo>(n.operand(1), b, cells, before);
      if (!x.known() || !y.known()) return Value::unknown();
      // Past the largest number (or a division by zero) there is no amount to compare: the
      // result is unknown and the case goes to review, never "inf 元 over the threshold".
      const double r = n.op == Op::kAdd   ? x.num + y.num
                       : n.op == Op::kSub ? x.num - y.num
                       : n.op == Op::kMul ? x.num * y.num
                                          : x.num / y.num;
      return std::isfinite(r) ? Value::number(r) : Value::unknown();
    }
    case Op::kNeg: {
      Value x = eval_t<kMemo>(n.operand(0), b, cells, before);
      return x.known() ? Value::number(-x.num) : x;
    }
    case Op::kAbs: {
      Value x = eval_t<kMemo>(n.operand(0), b, cells, before);
      return x.known() ? Value::number(std::fabs(x.num)) : x;
    }
    case Op::kMin:
    case Op::kMax: {
      double acc = 0;
      for (int i = 0; i < n.arg_count(); ++i) {
        Value x = eval_t<kMemo>(args_[n.first_arg() + i], b, cells, before);
        if (!x.known()) return Value::unknown();
        acc = i == 0 ? x.num : (n.op == Op::kMin ? std::min(acc, x.num) : std::max(acc, x.num));
      }
      return Value::number(acc);
    }
    case Op::kAddMonths:
    case Op::kAddDays: {
      Value d = eval_t<kMemo>(n.operand(0), b, cells, before);
      Value k = eval_t<kMemo>(n.operand(1), b, cells, before);
      if (!d.known() || !k.known() || !std::isfinite(k.num) || std::fabs(k.num) > 1e6) {
        return Value::unknown();
      }
      int count = static_cast<int>(std::lround(k.num));
      Date r =
          n.op == Op::kAddMonths ? add_months(d.as_date(), count) : add_days(d.as_date(), count);
      // Both are monotone: the earliest an open date can be maps to the earliest the result can.
      return open_date(r, d.open_date());
    }
    case Op::kAddWorkingDays: {
      Value d = eval_t<kMemo>(n.operand(0), b, cells, before);
      Value k = eval_t<kMemo>(n.operand(1), b, cells, before);
      if (!d.known() || !k.known() || !std::isfinite(k.num) || k.num < 0 || k.num > 1e4) {
        return Value::unknown();
      }
      const int count = static_cast<int>(std::lround(k.num));
      if (!calendar_) return open_date(add_days(d.as_date(), count), true);
      DateBound r = calendar_->add_working_days_bound(d.as_date(), count);
      return open_date(r.date, d.open_date() || !r.exact);
    }
    case Op::kRollToWorkingDay: {
      Value d = eval_t<kMemo>(n.operand(0), b, cells, before);
      if (!d.known()) return d;
      if (!calendar_) return open_date(d.as_date(), true);
      DateBound r = calendar_->roll_bound(d.as_date());
      return open_date(r.date, d.open_date() || !r.exact);
    }
    case Op::kDaysBetween: {
      Value from = eval_t<kMemo>(n.operand(0), b, cells, before);
      Value to = eval_t<kMemo>(n.operand(1), b, cells, before);
      if (!from.known() || !to.known() || from.open_date() || to.open_date()) {
        return Value::unknown();
      }
      return Value::number(static_cast<double>(to.date) - from.date);
    }
    case Op::kGiven:
      return Value::boolean(slot_value(n.slot(), b, cells, before).given());
    case Op::kNumber:  // written only: lowered before any program runs
    case Op::kString:
    case Op::kDate:
    case Op::kBool:
    case Op::kName:
    case Op::kIndex:
    case Op::kCall:
    case Op::kList:
    case Op::kIn:
    case Op::kNotIn:
      break;
  }
  return Value::unknown();
}

// A default another fact contradicts is not assumed (fields' not_assumed_when), decided when
// the input is first read: a case that never reads it never reads the condition either.
void CompiledRuleset::resolve_default(int input, Buffer& b, const ParamCell* cells,
                                      bool& before) const {
  b.stamp[input] = b.generation;
  const bool defaulted = b.values[input].flags & Value::kDefaulted;
  // Traced, the condition is read whether or not the input holds its default, so that a
  // default and the same value given take one path (they differ only if it is withheld),
  // and the step records whether it held: the path's earlier steps decide it.
  if (!defaulted && !b.trace) return;
  if (eval(withheld_when_[input], b, cells, before).truth() == Tri::kTrue) {
    b.values[input] = as_traced(b.values[input], true);
  }
}

Value CompiledRuleset::slot_value(int slot, Buffer& b, const ParamCell* cells, bool& before) const {
  if (slot < n_inputs_) {
    if (withheld_when_[slot] >= 0 && b.stamp[slot] != b.generation) {
      resolve_default(slot, b, cells, before);
    }
    return b.values[slot];
  }
  if (b.stamp[slot] == b.generation) return b.values[slot];
  Value v = eval(slot_root_[slot], b, cells, before);
  b.values[slot] = v;
  b.stamp[slot] = b.generation;
  return v;
}

Value CompiledRuleset::eval_node(int node, const Workspace& ws) const {
  bool before = false;
  return eval_t<true>(node, ws.main, epochs_[ws.main.epoch].cells.data(), before);
}

Value CompiledRuleset::value(const Workspace& ws, int slot) const {
  bool before = false;
  return slot_value(slot, ws.main, epochs_[ws.main.epoch].cells.data(), before);
}

int CompiledRuleset::epoch_for(int32_t day) const {
  auto it = std::upper_bound(epochs_.begin(), epochs_.end(), day,
                             [](int32_t d, const Epoch& e) { return d < e.start; });
  return static_cast<int>(it - epochs_.begin()) - 1;
}

void CompiledRuleset::run(const Value* inputs, int32_t review, int epoch, Buffer& b,
                          bool same_case) const {
  size_t n = n_fields_ + tests_.size();
  if (b.values.size() != n || b.node_value.size() != nodes_.size()) {
    b.values.assign(n, Value());
    b.stamp.assign(n, 0);
    b.node_value.assign(nodes_.size(), Value());
    b.node_stamp.assign(nodes_.size(), 0);
    b.trace_stamp.assign(nodes_.size(), 0);
    b.generation = 0;
    b.read.assign((epochs_.front().cells.size() + 63) / 64, 0);
  }
  std::fill(b.read.begin(), b.read.end(), 0);
  std::copy(inputs, inputs + n_inputs_, b.values.begin());
  // The review date not given is the as-of date: expressions that read it see that date.
  if (review_slot_ >= 0 && !b.values[review_slot_].known()) {
    b.values[review_slot_] = Value::of_date(Date::from_days(review));
  }
  const bool same_trace = same_case && b.epoch == epoch;
  if (++b.generation == 0) {  // wrapped: forget every stamp
    std::fill(b.stamp.begin(), b.stamp.end(), 0);
    std::fill(b.node_stamp.begin(), b.node_stamp.end(), 0);
    std::fill(b.trace_stamp.begin(), b.trace_stamp.end(), 0);
    b.generation = 1;
    b.trace_generation = 0;
  }
  // The same case under the same thresholds again: what it observed then is not a new step.
  if (!same_trace || b.trace_generation == 0) b.trace_generation = b.generation;
  b.epoch = epoch;
}

uint64_t CompiledRuleset::walk(const std::vector<RuleCode>& rules, Buffer& b, int& decided_by,
                               std::vector<int>* missing, bool& before) const {
  // The set of values still possible: a true condition ends the walk, an unknown one adds its
  // value and goes on, a false one is skipped.
  uint64_t possible = 0;
  decided_by = -1;
  const ParamCell* cells = epochs_[b.epoch].cells.data();
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleCode& r = rules[i];
    if (r.value < 0) continue;
    Tri t = r.node < 0 ? Tri::kTrue : eval(r.node, b, cells, before).truth();
    if (t == Tri::kFalse) continue;
    possible |= 1ULL << r.value;
    if (t == Tri::kTrue) {
      if (possible == (1ULL << r.value)) decided_by = static_cast<int>(i);
      break;
    }
    if (missing) collect_missing(r.node, b, *missing);
  }
  return possible;
}

void CompiledRuleset::collect_missing(int ni, Buffer& b, std::vector<int>& out) const {
  const Node& n = nodes_[ni];
  const ParamCell* cells = epochs_[b.epoch].cells.data();
  bool before = false;
  if (eval_t<true>(ni, b, cells, before).known()) return;
  note_pending(ni, b);
  switch (n.op) {
    case Op::kSlot:
      if (n.slot() < n_inputs_) {
        append_once(out, n.slot());
      } else if (slot_root_[n.slot()] >= 0) {
        collect_missing(slot_root_[n.slot()], b, out);
      }
      return;
    case Op::kIf: {
      Tri c = eval_t<true>(n.operand(0), b, cells, before).truth();
      if (c == Tri::kTrue) return collect_missing(n.operand(1), b, out);
      if (c == Tri::kFalse) return collect_missing(n.operand(2), b, out);
      for (int i = 0; i < 3; ++i) collect_missing(n.operand(i), b, out);
      return;
    }
    default:
      for_each_child(ni, [&](int c) { collect_missing(c, b, out); });
      return;
  }
}

// An unknown node that no input makes unknown: a threshold with no value in force, or a
// comparison with an open date (a period end past the shipped calendars).
void CompiledRuleset::note_pending(int ni, Buffer& b) const {
  const Node& n = nodes_[ni];
  const ParamCell* cells = epochs_[b.epoch].cells.data();
  bool before = false;
  int cell = -1;
  if (n.op == Op::kParam) {
    cell = n.cell();
  } else if (n.op == Op::kParamIndexed) {
    Value idx = eval_t<true>(n.index(), b, cells, before);
    if (idx.known()) cell = n.cell() + idx.enum_index;
  } else if (is_comparison(n.op)) {
    for (int side : {n.operand(0), n.operand(1)}) {
      b.pending_calendar |= eval_t<true>(side, b, cells, before).open_date();
    }
    return;
  } else if (n.op == Op::kAdd || n.op == Op::kSub || n.op == Op::kMul || n.op == Op::kDiv) {
    // Unknown although both operands are known: no finite result.
    b.pending_arithmetic |= eval_t<true>(n.operand(0), b, cells, before).known() &&
                            eval_t<true>(n.operand(1), b, cells, before).known();
    return;
  }
  if (cell >= 0 && (cells[cell].value.flags & Value::kBeforeValues)) {
    append_once(b.pending_cells, cell);
  }
}

bool CompiledRuleset::result_reported(int i, const Decision& d, const Workspace& ws) const {
  const ResultCode& r = results_[i];
  if (r.slot < 0) return false;
  if (std::popcount(d.candidates) != 1) {
    // Undecided: a result for one of the outcomes still possible is shown when its own facts
    // are known (the end of an observation period does not wait for the listing question).
    if (!(r.for_outcomes & d.candidates)) return false;
    if (r.when >= 0 && eval_node(r.when, ws).truth() != Tri::kTrue) return false;
    const Value v = value(ws, r.slot);
    return v.known();
  }
  if (!((r.for_outcomes >> d.outcome) & 1ULL)) return false;
  return r.when < 0 || eval_node(r.when, ws).truth() != Tri::kFalse;
}

void CompiledRuleset::missing_for(const Workspace& ws, int slot, std::vector<int>& out) const {
  if (slot < n_inputs_) {
    if (!value(ws, slot).known()) append_once(out, slot);
    return;
  }
  if (slot_root_[slot] >= 0) collect_missing(slot_root_[slot], ws.main, out);
}

void CompiledRuleset::decide_output(size_t o, Buffer& b, Decision& out, bool& before) const {
  OutputResult& r = out.outputs[o];
  r = OutputResult{};
  out.output_missing_of[o].clear();
  r.applies =
      std::popcount(out.candidates) == 1 && ((outputs_[o].for_outcomes >> out.outcome) & 1ULL);
  // Where the question does not arise the output is not shown (an unknown `when` may arise).
  if (r.applies && outputs_[o].when >= 0) {
    r.applies =
        eval(outputs_[o].when, b, epochs_[b.epoch].cells.data(), before).truth() != Tri::kFalse;
  }
  if (!r.applies) return;
  int by = -1;
  r.candidates = walk(outputs_[o].rules, b, by, nullptr, before);
  r.decided_by = by;
  if (std::popcount(r.candidates) == 1) {
    r.value = std::countr_zero(r.candidates);
  } else {
    walk(outputs_[o].rules, b, by, &out.output_missing_of[o], before);
  }
}

void CompiledRuleset::decide(Buffer& b, Decision& out, bool& before) const {
  int decided_by = -1;
  out.missing.clear();
  b.pending_cells.clear();
  b.pending_calendar = false;
  b.pending_arithmetic = false;
  out.candidates = walk(decisions_, b, decided_by, nullptr, before);
  out.decided_by = decided_by;
  // What the outcome read (not its outputs nor advisories): a stretch of time whose
  // thresholds the outcome needs but has no values for is one this configuration cannot judge.
  out.decision_before_values = before;
  if (std::popcount(out.candidates) == 1) {
    out.outcome = std::countr_zero(out.candidates);
  } else {
    out.outcome = undecided_;
    walk(decisions_, b, decided_by, &out.missing, before);
  }
  // Procedural outputs are decided by evaluate(), under the review date.
  for (size_t o = 0; o < outputs_.size(); ++o) {
    if (outputs_[o].review_date) {
      out.outputs[o] = OutputResult{};
      out.output_missing_of[o].clear();
    } else {
      decide_output(o, b, out, before);
    }
  }
  // What the outcome and outputs read; advisories (which may read a parameter for a hint
  // only) come after.
  out.read_unofficial = read_unofficial(b);
  out.advisories = 0;
  const ParamCell* cells = epochs_[b.epoch].cells.data();
  for (size_t a = 0; a < advisories_.size(); ++a) {
    const AdvisoryCode& ac = advisories_[a];
    if (ac.node < 0 || !((ac.for_outcomes >> out.outcome) & 1ULL)) continue;
    if (eval(ac.node, b, cells, before).truth() == Tri::kTrue) out.advisories |= 1ULL << a;
  }
  out.epoch = b.epoch;
  out.pending_cells = b.pending_cells;
  out.pending_calendar = b.pending_calendar;
  out.pending_arithmetic = b.pending_arithmetic;
}

bool CompiledRuleset::read_unofficial(const Buffer& b) const {
  const std::vector<uint64_t>& unofficial = unofficial_[b.epoch];
  for (size_t w = 0; w < b.read.size(); ++w) {
    if (b.read[w] & unofficial[w]) return true;
  }
  return false;
}

bool CompiledRuleset::reads_differ(const Buffer& b, int other) const {
  const auto& mine = epochs_[b.epoch].cells;
  const auto& theirs = epochs_[other].cells;
  for (size_t w = 0; w < b.read.size(); ++w) {
    for (uint64_t bits = b.read[w]; bits; bits &= bits - 1) {
      size_t c = w * 64 + std::countr_zero(bits);
      const Value& x = mine[c].value;
      const Value& y = theirs[c].value;
      if (x.known() != y.known() || (x.known() ? !x.same(y) : x.flags != y.flags)) return true;
    }
  }
  return false;
}

void CompiledRuleset::note(int ni, Buffer& b, const Value& v) const {
  if (int input = input_of(ni); input >= 0) ni = input_node_[input];
  if (b.trace_stamp[ni] == b.trace_generation) return;
  b.trace_stamp[ni] = b.trace_generation;
  const int input = input_of(ni);
  b.trace->push_back({ni, b.epoch, input >= 0 ? shape_of_input(input, v) : shape_of(v)});
}

bool CompiledRuleset::prepare_shape(const Value* inputs, Date as_of, bool strict, Workspace& ws,
                                    uint64_t& key) const {
  std::optional<int32_t> conduct = conduct_day(inputs);
  int32_t review = review_day(inputs, as_of);
  int review_epoch = epoch_for(review);
  // The epochs evaluate() may read: the first pass's, and the review date's when it differs
  // (从旧兼从轻's second pass, procedural outputs).
  int first = review_epoch, second = -1;
  switch (rs_->temporal.rule) {
    case TemporalRule::kReview:
      break;
    case TemporalRule::kConduct:
      if (conduct) first = epoch_for(*conduct);
      break;
    case TemporalRule::kConductUnlessReviewMoreLenient:
      // Without a conduct date evaluate() may try every earlier epoch, one after another:
      // observe() readies each on demand, in the order the trace reads them.
      if (conduct && epoch_for(*conduct) != review_epoch) {
        first = epoch_for(*conduct);
        second = review_epoch;
      }
      break;
  }
  if (has_review_outputs_ && first != review_epoch) second = review_epoch;
  if (first >= 0x3fff || second >= 0x3fff) return false;
  key = static_cast<uint64_t>(static_cast<uint32_t>(as_of.days())) |
        static_cast<uint64_t>(first + 1) << 32 | static_cast<uint64_t>(second + 1) << 46 |
        static_cast<uint64_t>(strict) << 60 |
        static_cast<uint64_t>(conduct && *conduct > review) << 61 |
        static_cast<uint64_t>(conduct.has_value()) << 62;
  run(inputs, review, first, ws.main);
  if (second >= 0)
    run(inputs, review, second, ws.aux);
  else
    ws.aux.epoch = -1;
  ws.shaped_inputs = inputs;
  ws.shaped_review = review;
  return true;
}

uint32_t CompiledRuleset::observe(int node, int epoch, Workspace& ws) const {
  if (epoch < 0 || epoch >= static_cast<int>(epochs_.size())) return kNoShape;
  Buffer* b = ws.main.epoch == epoch ? &ws.main : &ws.aux;
  if (b->epoch != epoch) run(ws.shaped_inputs, ws.shaped_review, epoch, *b);
  if (int input = input_of(node); input >= 0) {
    bool when = false;
    if (withheld_when_[input] >= 0) {  // as a trace reads it: the condition, always
      bool ignored = false;
      when = eval(withheld_when_[input], *b, epochs_[epoch].cells.data(), ignored).truth() ==
             Tri::kTrue;
    }
    return shape_of_input(input, as_traced(b->values[input], when));
  }
  const Node& n = nodes_[node];
  const ParamCell* cells = epochs_[epoch].cells.data();
  // Most observed nodes compare an amount or a date with a threshold: compared in place, as
  // eval_op() would, without the memo and dispatch of a general evaluation.
  if (is_comparison(n.op)) {
    const Value* x = leaf_value(n.operand(0), *b, cells);
    const Value* y = x ? leaf_value(n.operand(1), *b, cells) : nullptr;
    if (y) return shape_of(cmp(n.op, *x, *y));
  }
  bool before = false;
  return shape_of(eval_t<true>(node, *b, cells, before));
}

const Value* CompiledRuleset::leaf_value(int node, const Buffer& b, const ParamCell* cells) const {
  const Node& n = nodes_[node];
  switch (n.op) {
    case Op::kConst:
      return &n.constant();
    case Op::kSlot:
      if (n.slot() < n_inputs_ && withheld_when_[n.slot()] < 0) return &b.values[n.slot()];
      return b.stamp[n.slot()] == b.generation ? &b.values[n.slot()] : nullptr;
    case Op::kParam:
      return &cells[n.cell()].value;
    case Op::kParamIndexed: {
      const Node& idx = nodes_[n.index()];
      if (idx.op != Op::kSlot || idx.slot() >= n_inputs_ || withheld_when_[idx.slot()] >= 0 ||
          !b.values[idx.slot()].known()) {
        return nullptr;
      }
      return &cells[n.cell() + b.values[idx.slot()].enum_index].value;
    }
    default:
      return nullptr;
  }
}

void CompiledRuleset::recall(int epoch, Workspace& ws) const {
  // The decision read the thresholds of `epoch`: prepare_shape() readied both buffers.
  if (ws.main.epoch != epoch) std::swap(ws.main, ws.aux);
}

uint64_t CompiledRuleset::lenient_pairs(uint64_t a, uint64_t b) const {
  // 从旧兼从轻 case by case: every way to complete the facts gives the more lenient of its two
  // outcomes, so the possible outcomes are the more lenient of each possible pair.
  uint64_t out = 0;
  for (uint64_t x = a; x; x &= x - 1) {
    const int i = std::countr_zero(x);
    for (uint64_t y = b; y; y &= y - 1) {
      const int j = std::countr_zero(y);
      out |= 1ULL << (leniency_rank_[j] < leniency_rank_[i] ? j : i);
    }
  }
  return out;
}

void CompiledRuleset::merge_undecided(Decision& out, uint64_t candidates,
                                      const Decision& other) const {
  out.candidates = candidates;
  out.outcome = undecided_;
  out.decided_by = -1;
  for (int f : other.missing) append_once(out.missing, f);
  for (int c : other.pending_cells) append_once(out.pending_cells, c);
  out.pending_calendar |= other.pending_calendar;
  out.pending_arithmetic |= other.pending_arithmetic;
  for (auto& o : out.outputs) o = OutputResult{};
}

// 从旧兼从轻 with a conduct date: the conduct date's thresholds, unless the review date's give a
// more lenient outcome; with facts unknown, every pairing of the two passes' possible outcomes.
void CompiledRuleset::conduct_or_review(const Value* inputs, int32_t conduct, int32_t review,
                                        Workspace& ws, Decision& out, Temporal& t) const {
  const int review_epoch = epoch_for(review);
  t.chosen_day = conduct;
  if (epoch_for(conduct) == review_epoch) {
    t.choice = TemporalChoice::kSameThresholds;
    t.before = pass(inputs, review, conduct, ws.main, out);
    return;
  }
  t.choice = TemporalChoice::kConductDate;
  t.before = pass(inputs, review, conduct, ws.main, out);
  // The review date can only change the result through a parameter the conduct-date pass
  // read whose value differs between the two dates; nothing is more lenient than the most
  // lenient outcome.
  const bool decided = std::popcount(out.candidates) == 1;
  if ((decided && leniency_rank_[out.outcome] == 0) || !reads_differ(ws.main, review_epoch)) {
    return;
  }
  const bool review_before = pass(inputs, review, review, ws.aux, ws.alt);
  const uint64_t both = lenient_pairs(out.candidates, ws.alt.candidates);
  if (std::popcount(both) == 1) {
    if (decided && out.candidates == both) return;  // the conduct date's thresholds decide
    std::swap(ws.main, ws.aux);
    std::swap(out, ws.alt);
    t.before = review_before;
    t.chosen_day = review;
    t.choice = TemporalChoice::kReviewMoreLenient;
    return;
  }
  merge_undecided(out, both, ws.alt);
  t.before |= review_before;
  t.choice = TemporalChoice::kEitherDate;
}

// 从旧兼从轻 without a conduct date: the conduct may fall in any earlier stretch of thresholds,
// each paired with the review date's. A stretch in which the outcome read a parameter before
// its first value is one this configuration has no rules for: it and every stretch before it
// are left out, and the explanation says from when the conduct is assumed to date.
void CompiledRuleset::conduct_unknown(const Value* inputs, int32_t review, Workspace& ws,
                                      Decision& out, Temporal& t) const {
  const int review_epoch = epoch_for(review);
  t.choice = TemporalChoice::kConductUnknown;
  t.before = pass(inputs, review, review, ws.main, out);
  const uint64_t at_review = out.candidates;
  if (std::popcount(at_review) == 1 && leniency_rank_[out.outcome] == 0) return;
  uint64_t all = at_review;
  // Latest first: the first stretch the outcome cannot be judged in (a threshold it needs
  // has no value yet) ends the search, and the conduct is assumed to be after it.
  for (int e = review_epoch - 1; e >= 0; --e) {
    if (!reads_differ(ws.main, e)) continue;
    // The outcomes this stretch allows first; the rest of a decision only if it adds one.
    bool before = false;
    int by = -1;
    run(inputs, review, e, ws.aux);
    const uint64_t possible = walk(decisions_, ws.aux, by, nullptr, before);
    if (before) {
      out.conduct_assumed_from = epochs_[e + 1].start;
      break;
    }
    const uint64_t more = lenient_pairs(possible, at_review);
    if (more & ~all) {
      all |= more;
      run(inputs, review, e, ws.aux, /*same_case=*/true);
      decide(ws.aux, ws.alt, before);
      merge_undecided(out, all, ws.alt);
      if (std::popcount(all) == static_cast<int>(leniency_rank_.size())) break;  // nothing left
    }
  }
  if (all == at_review) return;
  append_once(out.missing, conduct_slot_);
}

bool CompiledRuleset::pass(const Value* inputs, int32_t review, int32_t day, Buffer& b,
                           Decision& d) const {
  bool before = false;
  run(inputs, review, epoch_for(day), b);
  decide(b, d, before);
  return before;
}

void CompiledRuleset::evaluate(const Value* inputs, Date as_of, bool strict, Workspace& ws,
                               Decision& out) const {
  std::optional<int32_t> conduct = conduct_day(inputs);
  int32_t review = review_day(inputs, as_of);
  int review_epoch = epoch_for(review);
  out.conduct_assumed_from = INT32_MIN;
  Temporal t;
  t.chosen_day = review;
  switch (rs_->temporal.rule) {
    case TemporalRule::kReview:
      t.before = pass(inputs, review, review, ws.main, out);
      break;
    case TemporalRule::kConduct:
      t.chosen_day = conduct.value_or(review);
      t.choice = conduct ? TemporalChoice::kConductDate : TemporalChoice::kConductUnknown;
      t.before = pass(inputs, review, t.chosen_day, ws.main, out);
      break;
    case TemporalRule::kConductUnlessReviewMoreLenient:
      if (conduct) {
        conduct_or_review(inputs, *conduct, review, ws, out, t);
      } else {
        conduct_unknown(inputs, review, ws, out, t);
      }
      break;
  }
  // Procedural outputs follow the rules in force on the review date, whichever date chose
  // the substantive thresholds (从旧兼从轻 governs the latter only).
  // …and only when one applies to the outcome: otherwise there is nothing to decide.
  bool review_outputs = false;
  for (size_t o = 0; has_review_outputs_ && o < outputs_.size(); ++o) {
    review_outputs |= outputs_[o].review_date && std::popcount(out.candidates) == 1 &&
                      ((outputs_[o].for_outcomes >> out.outcome) & 1ULL);
  }
  if (review_outputs) {
    Buffer* b = &ws.main;
    if (ws.main.epoch != review_epoch) {
      // Afresh, even when ws.aux holds the review date's pass: values it computed would be
      // read without noting the parameters they read (before_values). Its observations are
      // not new steps of the case's shape.
      run(inputs, review, review_epoch, ws.aux, /*same_case=*/true);
      b = &ws.aux;
    }
    b->pending_cells.clear();
    b->pending_calendar = false;
    b->pending_arithmetic = false;
    for (size_t o = 0; o < outputs_.size(); ++o) {
      if (outputs_[o].review_date) decide_output(o, *b, out, t.before);
    }
    for (int c : b->pending_cells) append_once(out.pending_cells, c);
    out.read_unofficial |= read_unofficial(*b);
    out.pending_calendar |= b->pending_calendar;
    out.pending_arithmetic |= b->pending_arithmetic;
  }
  out.thresholds_date = t.chosen_day;
  out.review_date = review;
  out.conduct_after_review = conduct && *conduct > review;
  out.temporal = t.choice;
  out.before_values = t.before;
  out.strict_error = strict && t.before;
}

}  // namespace epil
