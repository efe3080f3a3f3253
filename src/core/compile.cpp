// Compiling a ruleset for a region (core/program.h, compile()): parameters resolved into
// dated epochs, expressions parsed, checked and lowered into one flat program, the rule lists,
// outputs, advisories and results, and the checks a program must pass before it runs.
// Evaluating the program is program.cpp's.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/builtins.h"
#include "core/messages.h"
#include "core/program.h"

namespace epil {

class Compiler : public RulesetScope {
 public:
  Compiler(const Ruleset& rs, Findings& findings, CompiledRuleset& out, const Limits& limits)
      : RulesetScope(rs), findings_(findings), out_(out), limits_(limits) {}

  // Parses and checks one expression; returns its tree or null.
  std::unique_ptr<Expr> prepare(const ExprText& t, Type expected) {
    auto e = parse_expression(t.text, t.at, findings_, limits_);
    if (!e) return nullptr;
    if (!check_expression(*e, *this, expected, t.at.file, findings_)) return nullptr;
    range(*e, t.at.file);
    return e;
  }

  // --- arithmetic that may leave the numbers --------------------------------------------
  // An interval analysis over + - * / with the declared ranges of fields and parameters:
  // arithmetic whose result may pass kLargestResult (or infinity) for values in those ranges
  // is a warning. At run time such a result is unknown and the case goes to review.
  struct Interval {
    double lo, hi;
  };
  // A number without a declared bound on one side is taken up to a trillion (元, tonnes,
  // days…) on that side: more than any case holds, and sums and small multiples of it stay
  // far from kLargestResult.
  static constexpr double kUndeclared = 1e12;
  static constexpr double kLargestResult = 1e15;

  static Interval declared(const std::optional<double>& min, const std::optional<double>& max) {
    return {min.value_or(-kUndeclared), max.value_or(kUndeclared)};
  }

  // The values `e` may take, or nullopt when it makes no claim (not a number, a division by a
  // range holding zero, or an excess already reported inside it).
  std::optional<Interval> range(const Expr& e, const std::string& file) {
    std::vector<std::optional<Interval>> args;
    for (const auto& a : e.args) args.push_back(range(*a, file));
    if (e.type.base != BaseType::kNumber) return std::nullopt;
    auto all = [&] {
      for (const auto& a : args)
        if (!a) return false;
      return !args.empty();
    };
    switch (e.op) {
      case Op::kNumber:
        return Interval{e.number, e.number};
      case Op::kName:
      case Op::kIndex:
        if (e.symbol == SymbolKind::kField)
          return declared(rs_.fields[e.symbol_id].min, rs_.fields[e.symbol_id].max);
        if (e.symbol == SymbolKind::kParam)
          return declared(rs_.params[e.symbol_id].min, rs_.params[e.symbol_id].max);
        return std::nullopt;
      case Op::kNeg:
        if (!all()) return std::nullopt;
        return Interval{-args[0]->hi, -args[0]->lo};
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv:
        if (!all()) return std::nullopt;
        return arithmetic(e, *args[0], *args[1], file);
      case Op::kCall:
        if (!all()) return std::nullopt;
        if (e.builtin == nullptr) return std::nullopt;  // not checked
        return call_range(e.builtin->op, args);
      default:
        return std::nullopt;
    }
  }

  static std::optional<Interval> call_range(Op f,
                                            const std::vector<std::optional<Interval>>& args) {
    switch (f) {
      case Op::kAbs: {
        const Interval x = *args[0];
        const double top = std::max(std::fabs(x.lo), std::fabs(x.hi));
        return Interval{x.lo <= 0 && x.hi >= 0 ? 0 : std::min(std::fabs(x.lo), std::fabs(x.hi)),
                        top};
      }
      case Op::kMin:
      case Op::kMax: {
        Interval r = *args[0];
        for (const auto& a : args) {
          r = f == Op::kMin ? Interval{std::min(r.lo, a->lo), std::min(r.hi, a->hi)}
                            : Interval{std::max(r.lo, a->lo), std::max(r.hi, a->hi)};
        }
        return r;
      }
      case Op::kIf:
        if (!args[1] || !args[2]) return std::nullopt;
        return Interval{std::min(args[1]->lo, args[2]->lo), std::max(args[1]->hi, args[2]->hi)};
      default:
        return std::nullopt;
    }
  }

  std::optional<Interval> arithmetic(const Expr& e, Interval x, Interval y,
                                     const std::string& file) {
    Interval r;
    if (e.op == Op::kAdd) {
      r = {x.lo + y.lo, x.hi + y.hi};
    } else if (e.op == Op::kSub) {
      r = {x.lo - y.hi, x.hi - y.lo};
    } else {
      // A divisor that may be zero is the run time's to answer (unknown), not an excess.
      if (e.op == Op::kDiv && y.lo <= 0 && y.hi >= 0) return std::nullopt;
      double c[4];
      if (e.op == Op::kMul) {
        c[0] = x.lo * y.lo, c[1] = x.lo * y.hi, c[2] = x.hi * y.lo, c[3] = x.hi * y.hi;
      } else {
        c[0] = x.lo / y.lo, c[1] = x.lo / y.hi, c[2] = x.hi / y.lo, c[3] = x.hi / y.hi;
      }
      r = {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
    }
    const double top = std::max(std::fabs(r.lo), std::fabs(r.hi));
    if (top <= kLargestResult) return r;  // also false for NaN: reported below
    // A number stands after a space in the Chinese sentence.
    const std::string reach = fmt::format("{:.3g}", top);
    add_warning(findings_, Msg::kMayOverflow, file, e.line, e.column,
                std::isfinite(top) ? Text{" " + reach, reach} : message(Msg::kPastLargestNumber));
    return std::nullopt;
  }

  // Names resolved through an index built on first use: RulesetScope scans the lists, which
  // for an expression of thousands of names in a ruleset of thousands of fields is their
  // product. The first of field, parameter, test with the name wins, as there.
  Symbol lookup(std::string_view name) const override {
    if (index_.empty()) {
      auto add = [&](const auto& defs, SymbolKind kind) {
        for (size_t i = 0; i < defs.size(); ++i)
          index_.try_emplace(defs[i].key, kind, static_cast<int>(i));
      };
      add(rs_.fields, SymbolKind::kField);
      add(rs_.params, SymbolKind::kParam);
      add(rs_.tests, SymbolKind::kTest);
    }
    auto it = index_.find(name);
    return it == index_.end() ? Symbol{} : symbol(it->second.first, it->second.second);
  }

  // Lowers the expression written as `t`, remembering it for the depth check (deep()).
  int lower_root(const ExprText& t, const Expr& e) { return root(t, lower(e)); }
  int root(const ExprText& t, int node) {
    roots_.push_back({node, &t});
    return node;
  }

  // A node equal to one emitted before is that node: the same comparison written in several
  // rules is evaluated once per case, and is one step of a case's shape.
  int emit(Node n) {
    // Every field, whatever the layout: the key is the node as stored.
    std::string key(reinterpret_cast<const char*>(&n.op), sizeof n.op);
    for (int32_t x : {n.a, n.b, n.c}) key.append(reinterpret_cast<const char*>(&x), sizeof x);
    key.append(reinterpret_cast<const char*>(&n.mask), sizeof n.mask);
    key += static_cast<char>(n.k.kind);
    key += static_cast<char>(n.k.flags);
    key.append(reinterpret_cast<const char*>(&n.k.len), sizeof n.k.len);
    key.append(reinterpret_cast<const char*>(&n.k.num), sizeof n.k.num);  // the union's bytes
    auto [it, fresh] = emitted_.try_emplace(std::move(key), static_cast<int>(out_.nodes_.size()));
    if (fresh) out_.nodes_.push_back(n);
    return it->second;
  }

  int slot_of(const Expr& e) const {
    if (e.symbol == SymbolKind::kField) return e.symbol_id;
    return out_.n_fields_ + e.symbol_id;  // a test
  }

  // Lowers `e`, marking the nodes a case's shape records (Node::observed): those whose value
  // is not a function of their operands' shapes.
  int lower(const Expr& e) {
    int i = lower_node(e);
    Node& n = out_.nodes_[i];
    switch (op_info(n.op).observed) {
      case Observed::kNever:
        break;
      case Observed::kAlways:
        n.observed = true;
        break;
      case Observed::kInput:
        n.observed = n.slot() < out_.n_inputs_;
        break;
      case Observed::kContinuousOperand:
        n.observed = !discrete(e.args[0]->type);
        break;
      case Observed::kContinuousResult:  // both branches known and the same value when the
        n.observed = !discrete(e.type);  // condition is unknown
        break;
      case Observed::kCountFromCase:
        n.observed = !from_thresholds_and_enums(*e.args[1]);
        break;
    }
    return i;
  }

  // Yes/no and enum values are a shape's own (ShapeStep::shape): what is computed from them
  // alone need not be observed.
  static bool discrete(const Type& t) {
    return t.base == BaseType::kBool || t.base == BaseType::kEnum;
  }
  // Whether `e` reads no amount, date or text of a case: its value follows from the epoch's
  // thresholds and the shapes of yes/no and enum values.
  static bool from_thresholds_and_enums(const Expr& e) {
    if (e.symbol == SymbolKind::kField && !discrete(e.type)) return false;
    for (const auto& a : e.args) {
      if (!from_thresholds_and_enums(*a)) return false;
    }
    return true;
  }

  int lower_node(const Expr& e) {
    switch (e.op) {
      case Op::kNumber:
        return emit(Node::constant(Value::number(e.number)));
      case Op::kBool:
        return emit(Node::constant(Value::boolean(e.boolean)));
      case Op::kDate:
        return emit(Node::constant(Value::of_date(e.date)));
      case Op::kString:
        if (e.enum_literal >= 0) return emit(Node::constant(Value::enumeration(e.enum_literal)));
        // Kept by the program: string values point into it for the program's life.
        return emit(Node::constant(Value::string(out_.strings_.emplace_back(e.text))));
      case Op::kName:
        if (e.symbol == SymbolKind::kParam) {
          return emit(Node::cell_op(Op::kParam, out_.param_base_[e.symbol_id]));
        }
        return emit(Node::slot_op(Op::kSlot, slot_of(e)));
      case Op::kIndex: {
        const int index = lower(*e.args[1]);
        return emit(Node::indexed_cell_op(Op::kParamIndexed, out_.param_base_[e.symbol_id], index));
      }
      case Op::kNot:
      case Op::kNeg:
        return emit(Node::nodes_op(e.op, lower(*e.args[0])));
      case Op::kIn:
      case Op::kNotIn:
        return lower_in(e);
      case Op::kCall:
        return lower_call(e);
      case Op::kList:
        return emit(Node{});  // rejected by the checker
      default:
        break;
    }
    // The operators are the same ops written and run. Operands in order, left first: nodes
    // are numbered as they are emitted.
    const int x = lower(*e.args[0]);
    const int y = lower(*e.args[1]);
    return emit(Node::nodes_op(e.op, x, y));
  }

  int lower_in(const Expr& e) {
    const bool negate = e.op == Op::kNotIn;
    const int x = lower(*e.args[0]);
    const Expr& list = *e.args[1];
    bool all_enum_literals = e.args[0]->type.base == BaseType::kEnum;
    for (const auto& item : list.args)
      all_enum_literals &= item->enum_literal >= 0 && item->enum_literal < 64;
    if (all_enum_literals) {
      uint64_t values = 0;
      for (const auto& item : list.args) values |= 1ULL << item->enum_literal;
      return emit(Node::mask_op(negate ? Op::kNotInMask : Op::kInMask, x, values));
    }
    // Otherwise `x in [a, b]` is `x == a or x == b`: the same three-valued answer, read item by
    // item up to the first match, each comparison one step of a case's shape.
    const bool observed = !discrete(e.args[0]->type);
    std::vector<int> equals;
    for (const auto& item : list.args) {
      Node eq = Node::nodes_op(Op::kEq, x, lower(*item));
      eq.observed = observed;
      equals.push_back(emit(eq));
    }
    const int any = equals.empty() ? -1 : any_of(equals, 0, equals.size());
    if (any < 0) {  // an empty list: false (true for not in) once x is known
      const int known = emit(Node::nodes_op(Op::kKnown, x));
      const int answer = emit(Node::constant(Value::boolean(negate)));
      const int unknown = emit(Node::constant(Value::unknown()));
      return emit(Node::nodes_op(Op::kIf, known, answer, unknown));
    }
    return negate ? emit(Node::nodes_op(Op::kNot, any)) : any;
  }

  // `items[lo] or … or items[hi - 1]`, nested as a balanced tree rather than a chain, so that
  // a long list is not a deep one (evaluation recurses); read left to right all the same.
  // Up to three items the tree is the chain `(a or b) or c`.
  int any_of(const std::vector<int>& items, size_t lo, size_t hi) {
    if (hi - lo == 1) return items[lo];
    const size_t mid = lo + (hi - lo + 1) / 2;
    const int left = any_of(items, lo, mid);
    const int right = any_of(items, mid, hi);
    return emit(Node::nodes_op(Op::kOr, left, right));
  }

  // A call, as its entry in the table of built-ins says: a parameter's cell, an input's
  // slot, a run of arguments, or up to three operands.
  int lower_call(const Expr& e) {
    const Builtin& f = *e.builtin;
    out_.uses_calendar_ |= f.calendar;
    if (f.arg(0) == ArgKind::kParameter) {
      const Expr& p = *e.args[0];
      const int first_cell = out_.param_base_[p.symbol_id];
      if (p.op != Op::kIndex) return emit(Node::cell_op(f.op, first_cell));
      const int index = lower(*p.args[1]);
      const int cells =
          static_cast<int>(rs_.enums[rs_.params[p.symbol_id].index_enum].values.size());
      return emit(Node::indexed_cell_op(Op::kIsSetIndexed, first_cell, index, cells));
    }
    if (f.arg(0) == ArgKind::kInputField) return emit(Node::slot_op(f.op, slot_of(*e.args[0])));
    std::vector<int> a;
    for (const auto& x : e.args) a.push_back(lower(*x));
    if (f.max_args > kOperands) {
      const int first = static_cast<int>(out_.args_.size());
      out_.args_.insert(out_.args_.end(), a.begin(), a.end());
      return emit(Node::arg_range_op(f.op, first, static_cast<int>(a.size())));
    }
    a.resize(kOperands, -1);
    return emit(Node::nodes_op(f.op, a[0], a[1], a[2]));
  }

  // Node's a, b and c: a function of more arguments keeps them in args_.
  static constexpr size_t kOperands = 3;

  // Defaults withheld by another fact (fields' not_assumed_when). The condition reads inputs
  // only: a derived field or test computed before the default is withheld would keep the
  // default's value.
  void withheld_defaults() {
    out_.withheld_when_.assign(out_.n_inputs_, -1);
    out_.withheld_reads_.assign(out_.n_inputs_, {});
    for (int f = 0; f < out_.n_inputs_; ++f) {
      const FieldDef& fd = rs_.fields[f];
      if (fd.not_assumed_when.empty()) continue;
      auto e = prepare(fd.not_assumed_when, {BaseType::kBool});
      if (!e) continue;
      std::vector<int> fields, tests;
      collect_symbols(*e, SymbolKind::kField, fields);
      collect_symbols(*e, SymbolKind::kTest, tests);
      bool inputs_only = tests.empty();
      for (int x : fields) inputs_only &= rs_.fields[x].kind == FieldKind::kInput;
      if (!inputs_only) {
        add_error(findings_, Msg::kNotAssumedWhenReadsInputs, rs_.file, fd.not_assumed_when.at.line,
                  fd.not_assumed_when.at.column, fd.key);
        continue;
      }
      out_.withheld_when_[f] = lower_root(fd.not_assumed_when, *e);
      out_.withheld_reads_[f] = fields;
    }
  }

  // What evaluation and the shape index look up per case, worked out once the program is whole.
  void lookup_tables() {
    // Per epoch, the parameter cells whose value is reported, proposed or an example
    // (Decision::read_unofficial): most decisions read none, and need no closer look for
    // caveats.
    for (const Epoch& ep : out_.epochs_) {
      std::vector<uint64_t> mask((ep.cells.size() + 63) / 64, 0);
      for (size_t c = 0; c < ep.cells.size(); ++c) {
        if (ep.cells[c].provenance < 0) continue;
        const Status st = out_.provenance_[ep.cells[c].provenance].value->status;
        if (st != Status::kOfficial) mask[c / 64] |= 1ULL << (c % 64);
      }
      out_.unofficial_.push_back(std::move(mask));
    }
    out_.shape_flags_.assign(out_.n_inputs_, ~(Value::kDefaulted | Value::kStated) & 0xff);
    for (int f = 0; f < out_.n_inputs_; ++f) {
      if (!rs_.fields[f].default_harsher) continue;
      out_.shape_flags_[f] |= Value::kDefaulted;
      out_.harsher_inputs_.push_back(f);
    }
    // An input read in many places is one step of a shape: its first node stands for all.
    out_.input_node_.assign(out_.n_inputs_, -1);
    for (int ni = 0; ni < static_cast<int>(out_.nodes_.size()); ++ni) {
      if (int input = out_.input_of(ni); input >= 0 && out_.input_node_[input] < 0) {
        out_.input_node_[input] = ni;
      }
    }
  }

  // Evaluation, missing-fact collection and explanations recurse over a node's operands and
  // into the definitions of the derived fields and tests it reads (and an input's
  // not_assumed_when): how deep that goes from any expression is bounded by the same limit as
  // one expression's tree, so that no chain of definitions can exhaust the stack. One finding,
  // at the first expression too deep.
  void check_descent() {
    const uint64_t max_depth = std::min<uint64_t>(limits_.expr_depth, kDeepestSupported);
    const std::vector<int> depth = descent_depths();
    for (auto [node, text] : roots_) {
      if (node < 0 || static_cast<uint64_t>(depth[node]) <= max_depth) continue;
      add_error(findings_, Msg::kDescentTooDeep, text->at.file, text->at.line, text->at.column,
                depth[node], max_depth);
      return;
    }
  }

  // Per node, the levels evaluation descends below it, definitions read included. Walked with
  // an explicit stack: the chain of definitions may be long, which is what is being measured.
  std::vector<int> descent_depths() const {
    const int n = static_cast<int>(out_.nodes_.size());
    std::vector<int> depth(n, 0);
    std::vector<uint8_t> state(n, 0);  // 0 not seen, 1 open, 2 measured
    auto below = [&](int ni, auto&& f) {
      out_.for_each_child(ni, f);
      const Node& x = out_.nodes_[ni];
      if (x.op != Op::kSlot && x.op != Op::kGiven) return;
      if (x.a >= out_.n_inputs_ && out_.slot_root_[x.a] >= 0) f(out_.slot_root_[x.a]);
      if (x.a < out_.n_inputs_ && out_.withheld_when_[x.a] >= 0) f(out_.withheld_when_[x.a]);
    };
    std::vector<int> stack;
    for (int start = 0; start < n; ++start) {
      stack.push_back(start);
      while (!stack.empty()) {
        const int ni = stack.back();
        if (state[ni] == 0) {
          state[ni] = 1;
          below(ni, [&](int c) {
            if (state[c] == 0) stack.push_back(c);
          });
          continue;
        }
        stack.pop_back();
        if (state[ni] == 2) continue;
        int deepest = 0;  // an open operand is a cycle, reported as such elsewhere
        below(ni, [&](int c) { deepest = std::max(deepest, depth[c]); });
        depth[ni] = deepest + 1;
        state[ni] = 2;
      }
    }
    return depth;
  }

  // The parts of compile(), in order (defined below, beside it).
 public:
  void definitions();
  void decisions_and_outputs();
  void advisories();
  void results();
  void temporal();

 private:
  uint64_t outcome_mask(const std::vector<std::string>& keys, int line, int column);
  template <typename FindValue>
  std::vector<CompiledRuleset::RuleCode> rule_list(const std::vector<RuleEntry>& rules,
                                                   const char* what, FindValue&& find_value);
  void slot_deps(const Expr& e, std::vector<int>& d) const;

  Findings& findings_;
  CompiledRuleset& out_;
  const Limits& limits_;
  std::unordered_map<std::string, int> emitted_;        // node bytes → index
  std::vector<std::pair<int, const ExprText*>> roots_;  // every expression lowered, as written
  // name → (kind, id); keys view the ruleset's names, which outlive the compiler
  mutable std::unordered_map<std::string_view, std::pair<SymbolKind, int>> index_;
};

namespace {

// Every region of the chain that sets a parameter cell, nearest first, with its values.
struct Setter {
  const Region* region;
  const std::vector<DatedValue>* values;
};
struct CellSource {
  std::vector<Setter> setters;
  int param = -1, index = -1;
};

// The sources of every cell, in cell order; `base` gets each parameter's first cell.
std::vector<CellSource> cell_sources(const Ruleset& rs, const std::vector<const Region*>& chain,
                                     std::vector<int>& base) {
  std::vector<CellSource> cells;
  for (size_t p = 0; p < rs.params.size(); ++p) {
    const ParamDef& def = rs.params[p];
    base.push_back(static_cast<int>(cells.size()));
    int n = def.index_enum >= 0 ? static_cast<int>(rs.enums[def.index_enum].values.size()) : 1;
    for (int i = 0; i < n; ++i) {
      CellSource cs;
      cs.param = static_cast<int>(p);
      cs.index = def.index_enum >= 0 ? i : -1;
      for (const Region* r : chain) {
        auto rit = r->parameters.find(rs.id);
        if (rit == r->parameters.end()) continue;
        auto pit = rit->second.find(def.key);
        if (pit == rit->second.end()) continue;
        const std::vector<DatedValue>* vals = nullptr;
        if (def.index_enum >= 0) {
          auto iit = pit->second.by_index.find(rs.enums[def.index_enum].values[i].key);
          if (iit != pit->second.by_index.end()) vals = &iit->second;
        } else {
          vals = &pit->second.values;
        }
        if (vals && !vals->empty()) cs.setters.push_back({r, vals});
      }
      cells.push_back(cs);
    }
  }
  return cells;
}

// The value of a cell in force from `start`, the region that set it, and until when it holds.
struct InForce {
  const DatedValue* value = nullptr;  // null: the date is before every region's first value
  const Region* from = nullptr;
  const DatedValue* next = nullptr;  // the next change of the value in force, if any
};

InForce in_force(const CellSource& cs, int32_t start) {
  // The nearest region with a value in force on the date wins. A province whose rule starts
  // later leaves the national value in force before that date; only a date before every
  // region's first value has no value at all.
  InForce f;
  for (const Setter& st : cs.setters) {
    for (const auto& dv : *st.values) {
      if (dv.since.days() <= start && (!f.value || dv.since >= f.value->since)) f.value = &dv;
    }
    if (f.value) {
      f.from = st.region;
      break;
    }
  }
  if (!f.value) return f;
  // It holds until the next change of the value in force for this cell: a later value counts
  // when it comes from the winning region or a nearer one.
  for (const Setter& st : cs.setters) {
    for (const auto& dv : *st.values) {
      if (dv.since.days() > start && (!f.next || dv.since < f.next->since)) {
        bool nearer = false;
        for (const Setter& x : cs.setters) {
          if (x.region == st.region) break;
          if (x.region == f.from) nearer = true;
        }
        if (!nearer) f.next = &dv;
      }
    }
  }
  return f;
}

// Resolves every parameter cell over the chain into epochs. For each cell the nearest region
// that sets it wins; within it, the value in force on the date.
void resolve_parameters(const Ruleset& rs, const std::vector<const Region*>& chain,
                        std::vector<int>& base, std::vector<Epoch>& epochs,
                        std::vector<Provenance>& provenance) {
  const std::vector<CellSource> cells = cell_sources(rs, chain, base);
  std::set<int32_t> starts;
  for (const auto& cs : cells) {
    for (const auto& st : cs.setters) {
      for (const auto& dv : *st.values) starts.insert(dv.since.days());
    }
  }
  std::vector<int32_t> bounds{INT32_MIN};
  bounds.insert(bounds.end(), starts.begin(), starts.end());
  // One provenance entry per dated value used, shared by every epoch it covers.
  std::map<const DatedValue*, int> prov_index;
  for (int32_t start : bounds) {
    Epoch ep;
    ep.start = start;
    ep.cells.resize(cells.size());
    for (size_t c = 0; c < cells.size(); ++c) {
      const CellSource& cs = cells[c];
      ParamCell& cell = ep.cells[c];
      if (cs.setters.empty()) {
        cell.value = Value::unknown(Value::kNotSet);
        continue;
      }
      const InForce f = in_force(cs, start);
      if (!f.value) {
        cell.value = Value::unknown(Value::kBeforeValues);
        continue;
      }
      cell.value = f.value->value ? *f.value->value : Value::unknown(Value::kNotSet);
      auto [it, fresh] = prov_index.try_emplace(f.value, static_cast<int>(provenance.size()));
      if (fresh) {
        Provenance pv;
        pv.param = cs.param;
        pv.index = cs.index;
        pv.region = f.from;
        pv.value = f.value;
        if (f.next) pv.until = f.next->since;
        provenance.push_back(pv);
      }
      cell.provenance = it->second;
    }
    epochs.push_back(std::move(ep));
  }
}

// Derived fields and tests (slots from `first`), each after the slots it reads (`deps`), for
// those with a definition; a cycle is an error naming its members. Depth first with an
// explicit stack: a chain of definitions may be as long as the ruleset has them.
std::vector<int> definition_order(const Ruleset& rs, const std::vector<std::vector<int>>& deps,
                                  int first, int n_fields, Findings& findings,
                                  const std::vector<int>& slot_root) {
  const int n_slots = static_cast<int>(deps.size());
  std::vector<int> order;
  std::vector<int> state(n_slots, 0);  // 0 not seen, 1 on the path, 2 placed
  struct Frame {
    int slot;
    size_t next;  // the next of deps[slot] to visit
  };
  std::vector<Frame> path;
  auto name = [&](int x) { return x < n_fields ? rs.fields[x].key : rs.tests[x - n_fields].key; };
  for (int s = first; s < n_slots; ++s) {
    if (state[s] != 0) continue;
    state[s] = 1;
    path.push_back({s, 0});
    while (!path.empty()) {
      Frame& f = path.back();
      if (f.next < deps[f.slot].size()) {
        const int d = deps[f.slot][f.next++];
        if (state[d] == 0) {
          state[d] = 1;
          path.push_back({d, 0});
        } else if (state[d] == 1) {
          std::string chain;
          auto it =
              std::find_if(path.begin(), path.end(), [&](const Frame& x) { return x.slot == d; });
          for (; it != path.end(); ++it) chain += name(it->slot) + " → ";
          chain += name(d);
          add_error(findings, Msg::kDefinitionCycle, rs.file, 0, 0, chain);
          return order;
        }
        continue;
      }
      state[f.slot] = 2;
      if (slot_root[f.slot] >= 0) order.push_back(f.slot);
      path.pop_back();
    }
  }
  return order;
}

}  // namespace

// The derived fields and tests another slot reads (what the definition order follows).
void Compiler::slot_deps(const Expr& e, std::vector<int>& d) const {
  std::vector<int> f, t;
  collect_symbols(e, SymbolKind::kField, f);
  collect_symbols(e, SymbolKind::kTest, t);
  for (int x : f) {
    if (rs_.fields[x].kind == FieldKind::kDerived) d.push_back(x);
  }
  for (int x : t) d.push_back(out_.n_fields_ + x);
}

// Derived fields and tests: each compiled (a test's `applies` into an if() with its
// `otherwise`), then ordered so that a slot is computed after those it reads.
void Compiler::definitions() {
  const int n_slots = out_.n_fields_ + static_cast<int>(rs_.tests.size());
  std::vector<std::vector<int>> deps(n_slots);
  for (int f = out_.n_inputs_; f < out_.n_fields_; ++f) {
    const FieldDef& fd = rs_.fields[f];
    auto e = prepare(fd.expr, fd.type);
    if (!e) continue;
    slot_deps(*e, deps[f]);
    out_.slot_root_[f] = lower_root(fd.expr, *e);
  }
  out_.tests_.resize(rs_.tests.size());
  for (size_t t = 0; t < rs_.tests.size(); ++t) {
    const TestDef& td = rs_.tests[t];
    int slot = out_.n_fields_ + static_cast<int>(t);
    auto e = prepare(td.expr, {BaseType::kBool});
    if (!e) continue;
    slot_deps(*e, deps[slot]);
    auto& code = out_.tests_[t];
    code.expr = lower_root(td.expr, *e);
    code.root = code.expr;
    if (!td.applies.empty()) {
      auto a = prepare(td.applies, {BaseType::kBool});
      if (!a) continue;
      slot_deps(*a, deps[slot]);
      code.applies = lower_root(td.applies, *a);
      int o = emit(Node::constant(Value::boolean(td.otherwise)));
      code.root = root(td.expr, emit(Node::nodes_op(Op::kIf, code.applies, code.expr, o)));
    }
    out_.slot_root_[slot] = code.root;
  }
  out_.eval_order_ =
      definition_order(rs_, deps, out_.n_inputs_, out_.n_fields_, findings_, out_.slot_root_);
}

// The outcomes `keys` name, as a mask; every outcome when there are none.
uint64_t Compiler::outcome_mask(const std::vector<std::string>& keys, int line, int column) {
  if (keys.empty()) return ~uint64_t{0};
  uint64_t m = 0;
  for (const auto& k : keys) {
    int o = rs_.find_outcome(k);
    if (o < 0) {
      add_error(findings_, Msg::kNotOutcome, rs_.file, line, column, k);
    } else {
      m |= 1ULL << o;
    }
  }
  return m;
}

// An ordered rule list (the decisions, an output's rules): the first whose condition holds
// decides; only the last may, and must, have none.
template <typename FindValue>
std::vector<CompiledRuleset::RuleCode> Compiler::rule_list(const std::vector<RuleEntry>& rules,
                                                           const char* what,
                                                           FindValue&& find_value) {
  std::vector<CompiledRuleset::RuleCode> code;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleEntry& r = rules[i];
    CompiledRuleset::RuleCode rc;
    rc.value = find_value(r.value);
    if (rc.value < 0) {
      add_error(findings_, Msg::kNotDeclaredValue, rs_.file, r.line, r.column, what, r.value);
    }
    bool last = i + 1 == rules.size();
    if (r.when.empty() && !last) {
      add_error(findings_, Msg::kUnreachableEntry, rs_.file, r.line, r.column, what, r.id);
    }
    if (!r.when.empty()) {
      auto e = prepare(r.when, {BaseType::kBool});
      if (e) rc.node = lower_root(r.when, *e);
    } else if (last) {
      rc.node = -1;
    }
    code.push_back(rc);
  }
  if (!rules.empty() && !rules.back().when.empty()) {
    add_error(findings_, Msg::kLastEntryHasWhen, rs_.file, rules.back().line, rules.back().column,
              what);
  }
  return code;
}

void Compiler::decisions_and_outputs() {
  out_.undecided_ = std::max(0, rs_.find_outcome(rs_.undecided));
  out_.decisions_ = rule_list(rs_.decisions, "decisions",
                              [&](const std::string& k) { return rs_.find_outcome(k); });
  if (rs_.decisions.empty()) {
    add_error(findings_, Msg::kNoDecisions, rs_.file, 0, 0);
  }
  if (rs_.outcomes.size() > 64) {
    add_error(findings_, Msg::kTooManyOutcomes, rs_.file, 0, 0);
  }
  if (rs_.find_outcome(rs_.undecided) < 0) {
    add_error(findings_, Msg::kUndecidedNotOutcome, rs_.file, 0, 0, rs_.undecided);
  }
  if (rs_.outputs.size() > static_cast<size_t>(kMaxOutputs)) {
    add_error(findings_, Msg::kTooManyOutputs, rs_.file, 0, 0, kMaxOutputs);
  }
  for (const auto& o : rs_.outputs) {
    CompiledRuleset::OutputCode oc;
    oc.for_outcomes = outcome_mask(o.for_outcomes, o.line, o.column);
    oc.review_date = o.review_date;
    out_.has_review_outputs_ |= o.review_date;
    if (!o.when.empty()) {
      if (auto e = prepare(o.when, {BaseType::kBool})) oc.when = lower_root(o.when, *e);
    }
    oc.rules = rule_list(o.rules, o.key.c_str(), [&](const std::string& k) {
      for (size_t i = 0; i < o.values.size(); ++i) {
        if (o.values[i].key == k) return static_cast<int>(i);
      }
      return -1;
    });
    out_.outputs_.push_back(std::move(oc));
  }
}

void Compiler::advisories() {
  for (const auto& a : rs_.advisories) {
    CompiledRuleset::AdvisoryCode ac;
    ac.for_outcomes = outcome_mask(a.for_outcomes, a.line, a.column);
    // Placeholders in the message must name a field or a parameter that is not indexed.
    for (const std::string* msg : {&a.message.zh, &a.message.en}) {
      for (size_t i = msg->find('{'); i != std::string::npos; i = msg->find('{', i + 1)) {
        size_t close = msg->find('}', i);
        if (close == std::string::npos) break;
        std::string name = msg->substr(i + 1, close - i - 1);
        int p = rs_.find_param(name);
        if (rs_.find_field(name) < 0 && (p < 0 || rs_.params[p].index_enum >= 0)) {
          // The placeholder as written, braces included.
          add_error(findings_, Msg::kUnknownPlaceholder, rs_.file, a.line, a.column, a.id,
                    msg->substr(i, close - i + 1));
        }
      }
    }
    if (a.when.empty()) {
      add_error(findings_, Msg::kAdvisoryNeedsWhen, rs_.file, a.line, a.column, a.id);
    } else if (auto e = prepare(a.when, {BaseType::kBool})) {
      ac.node = lower_root(a.when, *e);
    }
    out_.advisories_.push_back(ac);
  }
  if (rs_.advisories.size() > 64) {
    add_error(findings_, Msg::kTooManyAdvisories, rs_.file, 0, 0);
  }
}

void Compiler::results() {
  for (const auto& r : rs_.results) {
    CompiledRuleset::ResultCode rc;
    rc.for_outcomes = outcome_mask(r.for_outcomes, r.line, r.column);
    rc.slot = rs_.find_field(r.field);
    if (!r.when.empty()) {
      if (auto e = prepare(r.when, {BaseType::kBool})) rc.when = lower_root(r.when, *e);
    }
    if (rc.slot < 0) {
      add_error(findings_, Msg::kResultNotField, rs_.file, r.line, r.column, r.field);
    }
    out_.results_.push_back(rc);
  }
}

// The temporal rule: its date fields and the leniency order of the outcomes.
void Compiler::temporal() {
  auto date_field = [&](const std::string& key, const char* what) {
    if (key.empty()) return -1;
    int f = rs_.find_field(key);
    if (f < 0 || rs_.fields[f].kind != FieldKind::kInput ||
        rs_.fields[f].type.base != BaseType::kDate) {
      add_error(findings_, Msg::kBadTemporalField, rs_.file, 0, 0, what, key);
      return -1;
    }
    return f;
  };
  out_.conduct_slot_ = date_field(rs_.temporal.conduct_field, "conduct_date");
  out_.review_slot_ = date_field(rs_.temporal.review_field, "review_date");
  out_.act_slot_ = date_field(rs_.temporal.act_field, "act_date");
  withheld_defaults();
}

std::unique_ptr<CompiledRuleset> compile(const Ruleset& rs, std::vector<const Region*> chain,
                                         std::string fingerprint, Findings& findings,
                                         const WorkCalendar* calendar, const Limits& limits) {
  auto out = std::make_unique<CompiledRuleset>();
  out->calendar_ = calendar;
  out->rs_ = &rs;
  out->region_ = chain.empty() ? nullptr : chain.front();
  if (!chain.empty() && chain.front()->overlay) {
    out->overlay_ = chain.front();
    out->region_ = chain.size() > 1 ? chain[1] : chain.front();
  }
  out->chain_ = chain;
  out->fingerprint_ = std::move(fingerprint);
  out->n_inputs_ = rs.input_count();
  out->n_fields_ = static_cast<int>(rs.fields.size());
  out->slot_root_.assign(out->n_fields_ + static_cast<int>(rs.tests.size()), -1);
  int errors_before = findings.error_count();

  resolve_parameters(rs, chain, out->param_base_, out->epochs_, out->provenance_);

  Compiler c(rs, findings, *out, limits);
  c.definitions();
  c.decisions_and_outputs();
  c.advisories();
  c.results();
  c.temporal();
  if (findings.error_count() == errors_before) c.check_descent();
  out->leniency_rank_.assign(rs.outcomes.size(), static_cast<int>(rs.outcomes.size()));
  for (size_t i = 0; i < rs.temporal.leniency.size(); ++i) {
    int o = rs.find_outcome(rs.temporal.leniency[i]);
    if (o < 0) {
      add_error(findings, Msg::kLeniencyNotOutcome, rs.file, 0, 0, rs.temporal.leniency[i]);
    } else {
      out->leniency_rank_[o] = static_cast<int>(i);
    }
  }
  if (rs.temporal.rule == TemporalRule::kConductUnlessReviewMoreLenient &&
      (rs.temporal.leniency.size() != rs.outcomes.size() || out->conduct_slot_ < 0 ||
       out->review_slot_ < 0)) {
    add_error(findings, Msg::kLeniencyIncomplete, rs.file, 0, 0);
  }
  if (findings.error_count() > errors_before) return nullptr;
  c.lookup_tables();
  return out;
}

}  // namespace epil
