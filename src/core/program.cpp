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

// --- compile ----------------------------------------------------------------------------

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
    const bool finite = std::isfinite(top);
    findings_.warning(
        "may-overflow", file, e.line, e.column,
        fmt::format("arithmetic may reach {} for values within the declared min/max of its "
                    "fields and parameters (more than 10^15): such a result is unknown and the "
                    "case goes to review; declare a max on the fields, or check the rule",
                    finite ? fmt::format("{:.3g}", top) : "past the largest number"),
        fmt::format("在字段和参数声明的 min/max 范围内，此运算结果可达{}（超过 10^15）："
                    "此时结果无法确定，案件转人工审查；请为字段声明 max，或核对规则",
                    finite ? fmt::format(" {:.3g}", top) : "可表示的最大数值以上"));
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
        error(rs_.file, fd.not_assumed_when.at.line, fd.not_assumed_when.at.column, "bad-default",
              fmt::format("fields.{}.not_assumed_when may read input fields only", fd.key),
              fmt::format("fields.{}.not_assumed_when 只能引用输入字段", fd.key));
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

  void error(const std::string& file, int line, int column, const char* code, std::string en,
             std::string zh) {
    findings_.error(code, file, line, column, std::move(en), std::move(zh));
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
      error(text->at.file, text->at.line, text->at.column, "expr-too-deep",
            fmt::format("expression: with the definitions of the derived fields and tests it "
                        "reads, {} levels deep, more than {}; shorten the chain of definitions, "
                        "or raise --limit expr-depth",
                        depth[node], max_depth),
            fmt::format("表达式连同其引用的派生字段和检验的定义共 {} 层，超过 {} 层；请缩短定义链，"
                        "或用 --limit expr-depth 调高限额",
                        depth[node], max_depth));
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
          findings.error("cycle", rs.file, 0, 0,
                         fmt::format("definitions depend on themselves: {}", chain),
                         fmt::format("定义循环引用：{}", chain));
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
      findings_.error("unknown-outcome", rs_.file, line, column,
                      fmt::format("'{}' is not an outcome of this ruleset", k),
                      fmt::format("'{}' 不是本规则集的结论", k));
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
      findings_.error("unknown-outcome", rs_.file, r.line, r.column,
                      fmt::format("{}: '{}' is not one of the declared values", what, r.value),
                      fmt::format("{}：'{}' 不是已声明的取值", what, r.value));
    }
    bool last = i + 1 == rules.size();
    if (r.when.empty() && !last) {
      findings_.error(
          "unreachable", rs_.file, r.line, r.column,
          fmt::format("{}: entry '{}' has no condition, so the entries after it can "
                      "never be reached; only the last entry may be the default",
                      what, r.id),
          fmt::format("{}：条目 '{}' 没有条件，其后的条目永远不会被采用；只有最后一条可作为默认",
                      what, r.id));
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
    findings_.error(
        "no-default", rs_.file, rules.back().line, rules.back().column,
        fmt::format("{}: the last entry must have no 'when': it is the default "
                    "when no condition holds",
                    what),
        fmt::format("{}：最后一条不得设 'when'，它是所有条件都不成立时的默认结论", what));
  }
  return code;
}

void Compiler::decisions_and_outputs() {
  out_.undecided_ = std::max(0, rs_.find_outcome(rs_.undecided));
  out_.decisions_ = rule_list(rs_.decisions, "decisions",
                              [&](const std::string& k) { return rs_.find_outcome(k); });
  if (rs_.decisions.empty()) {
    findings_.error("no-decisions", rs_.file, 0, 0, "the ruleset has no decisions",
                    "规则集没有 decisions（结论列表）");
  }
  if (rs_.outcomes.size() > 64) {
    findings_.error("too-many", rs_.file, 0, 0, "at most 64 outcomes", "结论最多 64 个");
  }
  if (rs_.find_outcome(rs_.undecided) < 0) {
    findings_.error("unknown-outcome", rs_.file, 0, 0,
                    fmt::format("'undecided' must name an outcome, found '{}'", rs_.undecided),
                    fmt::format("'undecided' 应为一个结论，实际为 '{}'", rs_.undecided));
  }
  if (rs_.outputs.size() > static_cast<size_t>(kMaxOutputs)) {
    findings_.error("too-many", rs_.file, 0, 0, fmt::format("at most {} outputs", kMaxOutputs),
                    fmt::format("输出项最多 {} 个", kMaxOutputs));
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
          findings_.error(
              "unknown-placeholder", rs_.file, a.line, a.column,
              fmt::format("advisory '{}': {{{}}} is neither a field nor a parameter "
                          "without an index",
                          a.id, name),
              fmt::format("提示 '{}'：{{{}}} 不是字段，也不是不分项的参数", a.id, name));
        }
      }
    }
    if (a.when.empty()) {
      findings_.error("missing-key", rs_.file, a.line, a.column,
                      fmt::format("advisory '{}' needs 'when'", a.id),
                      fmt::format("提示 '{}' 缺少 'when'", a.id));
    } else if (auto e = prepare(a.when, {BaseType::kBool})) {
      ac.node = lower_root(a.when, *e);
    }
    out_.advisories_.push_back(ac);
  }
  if (rs_.advisories.size() > 64) {
    findings_.error("too-many", rs_.file, 0, 0, "at most 64 advisories", "提示最多 64 条");
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
      findings_.error("unknown-field", rs_.file, r.line, r.column,
                      fmt::format("result '{}' is not a field", r.field),
                      fmt::format("结果 '{}' 不是字段", r.field));
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
      findings_.error(
          "bad-temporal", rs_.file, 0, 0,
          fmt::format("temporal.{} must name a date input field, found '{}'", what, key),
          fmt::format("temporal.{} 应为日期型输入字段，实际为 '{}'", what, key));
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
      findings.error(
          "unknown-outcome", rs.file, 0, 0,
          fmt::format("temporal.leniency: '{}' is not an outcome", rs.temporal.leniency[i]),
          fmt::format("temporal.leniency：'{}' 不是结论", rs.temporal.leniency[i]));
    } else {
      out->leniency_rank_[o] = static_cast<int>(i);
    }
  }
  if (rs.temporal.rule == TemporalRule::kConductUnlessReviewMoreLenient &&
      (rs.temporal.leniency.size() != rs.outcomes.size() || out->conduct_slot_ < 0 ||
       out->review_slot_ < 0)) {
    findings.error("bad-temporal", rs.file, 0, 0,
                   "conduct_unless_review_more_lenient needs conduct_date, review_date and a "
                   "leniency order listing every outcome",
                   "从旧兼从轻规则需要 conduct_date、review_date 以及列出全部结论的 leniency 顺序");
  }
  if (findings.error_count() > errors_before) return nullptr;
  c.lookup_tables();
  return out;
}

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
