// Compile (ruleset + region chain → a flat program with fields bound to value slots and
// parameters resolved into dated epochs) and evaluate (case values → Decision). Evaluation
// walks an array of nodes: no parsing, no string lookup, no allocation per case.
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/op.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/value.h"

namespace epil {

/// Appends `x` to `list` unless it is there already: the short lists of fields and cells a
/// decision names (missing facts, thresholds pending), in the order first met.
inline void append_once(std::vector<int>& list, int x) {
  if (std::find(list.begin(), list.end(), x) == list.end()) list.push_back(x);
}

/// One step of a compiled program. What its operand fields hold depends on the op
/// (op_info(op).operands): made by the constructor for that layout and read through the
/// accessor named for what it holds, which checks the layout in debug builds.
struct Node {
  Op op = Op::kConst;
  // A node whose value a case's shape records (core/shape_index.h): an input, or a node
  // reading one whose value is not a function of its operands' shapes (a comparison of
  // amounts, dates or texts; a division; date arithmetic; an if() of amounts or dates).
  bool observed = false;
  int32_t a = -1, b = -1, c = -1;  // by layout: child nodes, slot, cell, index, arg range
  uint64_t mask = 0;               // kMask: the enum values listed
  Value k;                         // kConstant

  static Node constant(Value v) {
    Node n;
    n.k = v;
    return n;
  }
  /// kSlot, kGiven.
  static Node slot_op(Op op, int slot) { return make(op, Operands::kSlot, slot); }
  /// kParam, kIsSet.
  static Node cell_op(Op op, int cell) { return make(op, Operands::kCell, cell); }
  /// kParamIndexed, kIsSetIndexed: the first cell, the index node, and (set[]) the cells.
  static Node indexed_cell_op(Op op, int first_cell, int index, int cells = -1) {
    return make(op, Operands::kIndexedCell, first_cell, index, cells);
  }
  /// The operators and functions of up to three operands.
  static Node nodes_op(Op op, int x, int y = -1, int z = -1) {
    return make(op, Operands::kNodes, x, y, z);
  }
  /// kInMask, kNotInMask.
  static Node mask_op(Op op, int x, uint64_t values) {
    Node n = make(op, Operands::kMask, x);
    n.mask = values;
    return n;
  }
  /// kMin, kMax: `count` operands from the program's argument list at `first`.
  static Node arg_range_op(Op op, int first, int count) {
    return make(op, Operands::kArgRange, -1, first, count);
  }

  Operands operands() const { return op_info(op).operands; }
  const Value& constant() const { return expect(Operands::kConstant), k; }
  int slot() const { return expect(Operands::kSlot), a; }
  int cell() const { return expect_cell(), a; }
  int index() const { return expect(Operands::kIndexedCell), b; }
  int cells() const { return expect(Operands::kIndexedCell), c; }
  /// Operand `i` (0 to 2) of kNodes, or the tested node of kMask (i = 0); -1 where unused.
  int operand(int i) const {
    assert(operands() == Operands::kNodes || (operands() == Operands::kMask && i == 0));
    return i == 0 ? a : i == 1 ? b : c;
  }
  uint64_t values() const { return expect(Operands::kMask), mask; }
  int first_arg() const { return expect(Operands::kArgRange), b; }
  int arg_count() const { return expect(Operands::kArgRange), c; }

 private:
  static Node make(Op op, Operands layout, int x, int y = -1, int z = -1) {
    assert(op_info(op).operands == layout);
    (void)layout;
    Node n;
    n.op = op;
    n.a = x;
    n.b = y;
    n.c = z;
    return n;
  }
  void expect(Operands layout) const {
    assert(operands() == layout);
    (void)layout;
  }
  void expect_cell() const {
    assert(operands() == Operands::kCell || operands() == Operands::kIndexedCell);
  }
};

/// Where a resolved parameter value comes from: shown with every threshold a result uses.
struct Provenance {
  int param = -1;
  int index = -1;  // enum value for indexed parameters
  const Region* region = nullptr;
  const DatedValue* value = nullptr;
  std::optional<Date> until;  // the day the next value takes over, if any
};

struct ParamCell {
  Value value;  // unknown with Value::kNotSet / kBeforeValues when there is no value
  int32_t provenance = -1;
};

/// The parameter values in force over one date range [start, next epoch's start).
struct Epoch {
  int32_t start = INT32_MIN;  // days since 1970-01-01
  std::vector<ParamCell> cells;
};

enum class TemporalChoice : uint8_t {
  kConductDate,        // thresholds in force on the conduct date
  kReviewDate,         // the ruleset selects the review date
  kReviewMoreLenient,  // 从旧兼从轻: review-date thresholds gave a more lenient outcome
  kSameThresholds,     // both dates fall in the same thresholds: nothing to choose
  kConductUnknown,     // conduct date not given: review-date thresholds, flagged
  kEitherDate,  // 从旧兼从轻 with facts unknown: which date's thresholds apply depends on them
};

constexpr int kMaxOutputs = 8;

struct OutputResult {
  int value = -1;           // index into OutputDef::values; -1 undetermined or not applicable
  int decided_by = -1;      // the rule whose condition decided it
  uint64_t candidates = 0;  // possible values
  bool applies = false;     // the outcome is one the output is for
};

/// The result of evaluating one case. Reused across cases by the caller.
struct Decision {
  int outcome = -1;         // index into Ruleset::outcomes
  uint64_t candidates = 0;  // outcomes still possible (bit per outcome)
  int decided_by = -1;      // decision entry whose condition was true (or -1 if several)
  std::array<OutputResult, kMaxOutputs> outputs{};
  uint64_t advisories = 0;          // bit per advisory
  std::vector<int> missing;         // input field ids whose values would decide the outcome
  // Why a result is undecided besides missing facts: parameter cells with no value in force
  // on the date (a threshold not yet in force is not a missing fact), a comparison with
  // an open date (a period end in a year whose holiday calendar is not shipped), and
  // arithmetic on known values without a finite result (past the largest number, or a
  // division by zero): unknown, never infinity or "nan".
  std::vector<int> pending_cells;
  bool pending_calendar = false;
  bool pending_arithmetic = false;
  // …and, per output, those that would decide it when it applies but is undetermined
  std::array<std::vector<int>, kMaxOutputs> output_missing_of;
  int32_t review_date = 0;          // the review date used (given, or the as-of date)
  int epoch = 0;
  int32_t thresholds_date = 0;
  TemporalChoice temporal = TemporalChoice::kConductDate;
  bool before_values = false;  // a parameter was used on a date before its first value
  bool decision_before_values = false;  // …by the outcome (not an output, not an advisory)
  // The outcome or an output read a parameter whose value is reported, proposed or an example.
  bool read_unofficial = false;
  bool strict_error = false;   // …and strict mode was on
  bool conduct_after_review = false;  // the conduct date is later than the review date
  // Without a conduct date, stretches before this day were left out: the configuration has no
  // values there for what the decision reads (INT32_MIN: none left out).
  int32_t conduct_assumed_from = INT32_MIN;

  /// Appends to `out` (without repeats) the inputs that would decide the outputs that apply
  /// but are undetermined.
  void output_missing(std::vector<int>& out) const {
    for (size_t o = 0; o < outputs.size(); ++o) {
      if (!outputs[o].applies || outputs[o].value >= 0) continue;
      for (int f : output_missing_of[o]) append_once(out, f);
    }
  }
};

/// One step of a case's shape: what evaluation learnt of an observed node's value, under
/// the thresholds of `epoch`. Decisions are functions of their cases' shapes: evaluation
/// branches only on values of observed nodes and of nodes computed from their shapes.
struct ShapeStep {
  int32_t node = -1;
  int32_t epoch = -1;
  uint32_t shape = 0;  // kind, flags, and the value of a yes/no or an enum (not of amounts)
};

/// Per-thread scratch space, reused across cases so that evaluation does not allocate.
/// Derived fields and tests are computed on first use, so a case decided by its first
/// override never computes the rest; reading one (CompiledRuleset::value) may compute it,
/// which is why the buffers are mutable.
struct Workspace {
  struct Buffer {
    std::vector<Value> values;    // one per slot: inputs, derived fields, tests
    std::vector<uint32_t> stamp;  // values[s] is computed when stamp[s] == generation
    uint32_t generation = 0;
    int epoch = -1;              // the parameter epoch the values were computed under
    std::vector<uint64_t> read;  // bit per parameter cell read since run()
    std::vector<Value> node_value;     // per node, for explanations: valid when
    std::vector<uint32_t> node_stamp;  // node_stamp[n] == generation
    std::vector<ShapeStep>* trace = nullptr;  // when set, observed nodes are noted here…
    std::vector<uint32_t> trace_stamp;        // …once per trace_generation
    uint32_t trace_generation = 0;  // the generation of the case's first run under `epoch`
    // Why what collect_missing() walked is unknown besides inputs (Decision::pending_*).
    std::vector<int> pending_cells;
    bool pending_calendar = false;
    bool pending_arithmetic = false;
  };
  mutable Buffer main;  // the case under the thresholds chosen
  mutable Buffer aux;   // the same case under the other date (从旧兼从轻, procedural outputs)
  Decision alt;         // the decision under the other date
  /// Notes the shape of every case evaluated from now on into `steps` (null: stop).
  void trace_into(std::vector<ShapeStep>* steps) { main.trace = aux.trace = steps; }
  // The case CompiledRuleset::prepare_shape() readied, for reading it under further epochs.
  const Value* shaped_inputs = nullptr;
  int32_t shaped_review = 0;
};

class CompiledRuleset;
std::unique_ptr<CompiledRuleset> compile(const Ruleset& rs, std::vector<const Region*> chain,
                                         std::string fingerprint, Findings& findings,
                                         const WorkCalendar* calendar, const Limits& limits);

class CompiledRuleset {
 public:
  const Ruleset& ruleset() const { return *rs_; }
  /// The region compiled for (the first of the chain that is not an overlay), and the overlay
  /// applied on top of it, if any.
  const Region& region() const { return *region_; }
  const Region* overlay() const { return overlay_; }
  const std::vector<const Region*>& chain() const { return chain_; }
  const std::string& fingerprint() const { return fingerprint_; }
  /// Whether an expression counts working days: its results then depend on the calendar, and
  /// the fingerprint covers the calendar files too.
  bool uses_calendar() const { return uses_calendar_; }
  void set_fingerprint(std::string f) { fingerprint_ = std::move(f); }
  int input_count() const { return n_inputs_; }

  /// Evaluates one case. `inputs` has input_count() values; `as_of` stands in for the review
  /// date when the case does not give one. `strict`: a date before a parameter's first value
  /// is an error instead of a flagged result.
  void evaluate(const Value* inputs, Date as_of, bool strict, Workspace& ws, Decision& out) const;

  // --- remembering decisions by case shape (core/shape_index.h) ---------------------------
  /// Starts looking `inputs` (which must outlive the lookup) up by shape: evaluates nothing
  /// yet, but readies `ws` under the thresholds' epochs evaluate() reads first for this case
  /// and gives `key`, which holds those epochs, `as_of`, `strict`, whether the conduct date is
  /// given and whether it follows the review date. Returns false for a case the key cannot
  /// hold (more than 16,382 epochs): evaluate() it.
  bool prepare_shape(const Value* inputs, Date as_of, bool strict, Workspace& ws,
                     uint64_t& key) const;
  /// The shape of `node`'s value (ShapeStep::shape) for the case prepared in `ws`, under
  /// `epoch` (an earlier epoch 从旧兼从轻 tries for a case without a conduct date is readied
  /// on demand); kNoShape for an epoch that does not exist.
  uint32_t observe(int node, int epoch, Workspace& ws) const;
  static constexpr uint32_t kNoShape = ~0U;
  /// The input `node` reads when it is an input slot, else -1. An input's shape is the same
  /// under every epoch: input_shape() gives it without observe().
  int input_of(int node) const {
    const Node& n = nodes_[node];
    return n.op == Op::kSlot && n.a < n_inputs_ ? n.a : -1;
  }
  /// The input a given() node asks about, else -1: constant when that input is.
  int given_of(int node) const {
    const Node& n = nodes_[node];
    return n.op == Op::kGiven && n.a < n_inputs_ ? n.a : -1;
  }
  /// The shape of input `input` of the case prepared in `ws`, read in place: on a path whose
  /// earlier steps make the input's not_assumed_when hold, `withheld_when` (a path's steps
  /// decide it; ShapeIndex keeps it in the tree, so that a lookup evaluates no condition).
  uint32_t input_shape(int input, const Workspace& ws, bool withheld_when) const {
    return shape_of_input(input, as_traced(ws.main.values[input], withheld_when));
  }
  /// Whether a step's shape says the input's not_assumed_when held.
  static bool withheld_when(uint32_t shape) {
    return shape & (static_cast<uint32_t>(Value::kWithheldWhen) << 4);
  }
  /// The inputs whose values decide whether `input`'s default is withheld (fields'
  /// not_assumed_when): an input is the same in every case only if these are too.
  const std::vector<int>& withheld_reads(int input) const { return withheld_reads_[input]; }
  /// An input's shape records the flags its evaluation can depend on: a withheld default (its
  /// own flag) and a default declared harsher (what a graded value rests on). Whether it was
  /// said to be unknown or left to its default is read by given() only, a step of its own;
  /// elsewhere cells "无" and blank share a shape, since nothing tells them apart.
  uint32_t shape_of_input(int input, Value v) const {
    v.flags &= shape_flags_[input];
    return shape_of(v);
  }
  /// What a shape records of a value: its kind and flags, and the value itself only for
  /// yes/no and enums (amounts, dates and texts are recorded as known or not).
  static uint32_t shape_of(const Value& v) {
    uint32_t s = v.kind | (static_cast<uint32_t>(v.flags) << 4);
    if (v.kind == Value::kBool) s |= static_cast<uint32_t>(v.b) << 12;
    if (v.kind == Value::kEnum) s |= static_cast<uint32_t>(v.enum_index + 1) << 13;
    return s;
  }
  /// Readies `ws`, prepared for a case whose shape was found, to read that case under the
  /// thresholds of `epoch`: the Decision::epoch of the decision evaluate() gave a case of the
  /// same shape. That decision is this case's but for its two dates (review_date,
  /// thresholds_date), which are the evaluated case's.
  void recall(int epoch, Workspace& ws) const;

  // --- for explanations: read access to the compiled form --------------------------------
  const Epoch& epoch(int i) const { return epochs_[i]; }
  int epoch_count() const { return static_cast<int>(epochs_.size()); }
  int epoch_for(int32_t day) const;
  const Provenance& provenance(int i) const { return provenance_[i]; }
  int param_base(int param) const { return param_base_[param]; }
  /// The parameter that parameter cell `cell` belongs to (an indexed one has a cell per value).
  int param_of_cell(int cell) const {
    auto after = std::upper_bound(param_base_.begin(), param_base_.end(), cell);
    return static_cast<int>(after - param_base_.begin()) - 1;
  }
  /// Whether the case last evaluated in `ws` left an input whose default is harsher for the
  /// person (fields' default_harsher) to that default.
  bool harsher_default_assumed(const Workspace& ws) const {
    for (int f : harsher_inputs_) {
      if (ws.main.values[f].flags & Value::kDefaulted) return true;
    }
    return false;
  }
  /// Whether a parameter the case last evaluated in `ws` read has another value (or none) on
  /// `day`: the rules of that day would differ where this decision used them.
  bool rules_differ_on(const Workspace& ws, int32_t day) const {
    const int e = epoch_for(day);
    return e >= 0 && e != ws.main.epoch && reads_differ(ws.main, e);
  }
  /// Evaluates a node against the case last evaluated in `ws`.
  Value eval_node(int node, const Workspace& ws) const;
  /// Whether the case last evaluated in `ws` computed `slot` (an input always is): a test the
  /// decision never needed was not.
  bool computed(const Workspace& ws, int slot) const {
    return slot < n_inputs_ || ws.main.stamp[slot] == ws.main.generation;
  }
  /// The value of a slot (input, derived field or test) of the case last evaluated in `ws`.
  Value value(const Workspace& ws, int slot) const;
  int test_node(int test) const { return tests_[test].expr; }
  int test_applies_node(int test) const { return tests_[test].applies; }
  int test_slot(int test) const { return n_fields_ + test; }
  int field_slot(int field) const { return field; }
  const Node& node(int i) const { return nodes_[i]; }
  /// Root node of a derived field or test slot, or -1 for an input slot.
  int slot_root(int slot) const { return slot_root_[slot]; }
  int arg(int i) const { return args_[i]; }
  /// Calls f(child) for each child node of `node`, as its layout (Operands) says.
  template <typename F>
  void for_each_child(int node, F&& f) const {
    const Node& n = nodes_[node];
    switch (n.operands()) {
      case Operands::kConstant:
      case Operands::kSlot:
      case Operands::kCell:
      case Operands::kWritten:
        return;
      case Operands::kIndexedCell:
        f(n.index());
        return;
      case Operands::kArgRange:
        for (int i = 0; i < n.arg_count(); ++i) f(args_[n.first_arg() + i]);
        return;
      case Operands::kMask:
        f(n.operand(0));
        return;
      case Operands::kNodes:
        for (int i = 0; i < 3; ++i) {
          if (n.operand(i) >= 0) f(n.operand(i));
        }
        return;
    }
  }
  int decision_node(int i) const { return decisions_[i].node; }
  /// Ruleset::results, compiled: the slot a result reports, and whether it is reported for
  /// `outcome`.
  int result_slot(int i) const { return results_[i].slot; }
  bool result_for(int i, int outcome) const { return (results_[i].for_outcomes >> outcome) & 1ULL; }
  /// Whether result `i` is reported for the case last evaluated in `ws`: its outcome is
  /// decided and one it is for, and its `when` (if any) is not false.
  bool result_reported(int i, const Decision& d, const Workspace& ws) const;
  /// The inputs, unknown in the case last evaluated in `ws`, that the value of `slot` waits for.
  void missing_for(const Workspace& ws, int slot, std::vector<int>& out) const;
  int output_rule_node(int output, int rule) const { return outputs_[output].rules[rule].node; }

  /// The program as text: its slots, parameter cells, epochs, every node with its operands
  /// and whether a case's shape records it, and the decisions' order (core/program_dump.cpp).
  std::string dump() const;
  /// One node as dump() shows it: "n12   <=   n3 n11   observed".
  std::string node_text(int node) const;
  /// A slot's field or test key; a parameter cell's key, with its enum value if indexed.
  std::string slot_name(int slot) const;
  std::string cell_name(int cell) const;

 private:
  friend class Compiler;
  friend std::unique_ptr<CompiledRuleset> compile(const Ruleset&, std::vector<const Region*>,
                                                  std::string, Findings&, const WorkCalendar*,
                                                  const Limits&);
  struct TestCode {
    int expr = -1, applies = -1, root = -1;
  };
  struct RuleCode {
    int value = -1;
    int node = -1;
  };
  struct OutputCode {
    uint64_t for_outcomes = ~0ULL;
    int when = -1;  // node; -1 always
    bool review_date = false;
    std::vector<RuleCode> rules;
  };
  struct AdvisoryCode {
    int node = -1;
    uint64_t for_outcomes = ~0ULL;
  };
  struct ResultCode {
    int slot = -1;
    int when = -1;  // node; -1 always
    uint64_t for_outcomes = ~0ULL;
  };

  using Buffer = Workspace::Buffer;
  struct Temporal {  // how evaluate() chose the thresholds' date
    int32_t chosen_day = 0;
    TemporalChoice choice = TemporalChoice::kReviewDate;
    bool before = false;
  };
  bool pass(const Value* inputs, int32_t review, int32_t day, Buffer& b, Decision& d) const;
  void conduct_or_review(const Value* inputs, int32_t conduct, int32_t review, Workspace& ws,
                         Decision& out, Temporal& t) const;
  void conduct_unknown(const Value* inputs, int32_t review, Workspace& ws, Decision& out,
                       Temporal& t) const;
  uint64_t lenient_pairs(uint64_t a, uint64_t b) const;
  void merge_undecided(Decision& out, uint64_t candidates, const Decision& other) const;
  void note_pending(int node, Buffer& b) const;
  void resolve_default(int input, Buffer& b, const ParamCell* cells, bool& before) const;
  // An input's value as a trace notes it, given whether its not_assumed_when held: a default
  // withheld, a value given kept, flagged either way (Value::kWithheldWhen).
  static Value as_traced(Value v, bool withheld_when) {
    if (!withheld_when) return v;
    if (v.flags & Value::kDefaulted) v = Value::unknown(Value::kWithheld);
    v.flags |= Value::kWithheldWhen;
    return v;
  }
  // `before` collects whether a parameter was read on a date before its first value.
  // `same_case`: `b` held this very case under `epoch` before (observed steps not repeated).
  void run(const Value* inputs, int32_t review, int epoch, Buffer& b,
           bool same_case = false) const;
  void decide(Buffer& b, Decision& out, bool& before) const;
  void decide_output(size_t o, Buffer& b, Decision& out, bool& before) const;
  Value eval(int node, Buffer& b, const ParamCell* cells, bool& before) const;
  template <bool kMemo>
  Value eval_t(int node, Buffer& b, const ParamCell* cells, bool& before) const;
  template <bool kMemo>
  Value eval_op(int node, Buffer& b, const ParamCell* cells, bool& before) const;
  Value slot_value(int slot, Buffer& b, const ParamCell* cells, bool& before) const;
  static void mark_read(Buffer& b, int cell) { b.read[cell >> 6] |= 1ULL << (cell & 63); }
  // The value of a leaf node (constant, input or computed slot, threshold) without evaluating
  // anything, or null when it is not one or not yet computed.
  const Value* leaf_value(int node, const Buffer& b, const ParamCell* cells) const;
  bool reads_differ(const Buffer& b, int other_epoch) const;
  // Whether `b` read a parameter cell whose value is not current law as published.
  bool read_unofficial(const Buffer& b) const;
  void collect_missing(int node, Buffer& b, std::vector<int>& out) const;
  void note(int node, Buffer& b, const Value& v) const;
  // The case's conduct date, if given; its review date, or `as_of` when not given.
  std::optional<int32_t> conduct_day(const Value* inputs) const {
    if (conduct_slot_ < 0 || !inputs[conduct_slot_].known()) return std::nullopt;
    return inputs[conduct_slot_].date;
  }
  int32_t review_day(const Value* inputs, Date as_of) const {
    return review_slot_ >= 0 && inputs[review_slot_].known() ? inputs[review_slot_].date
                                                             : as_of.days();
  }
  uint64_t walk(const std::vector<RuleCode>& rules, Buffer& b, int& decided_by,
                std::vector<int>* missing, bool& before) const;

  const Ruleset* rs_ = nullptr;
  const Region* region_ = nullptr;
  const Region* overlay_ = nullptr;
  std::vector<const Region*> chain_;
  std::string fingerprint_;
  int n_inputs_ = 0, n_fields_ = 0;
  std::vector<Node> nodes_;
  std::vector<int32_t> args_;
  std::vector<int> eval_order_;  // slots of derived fields and tests, dependencies first
  std::vector<int> slot_root_;
  std::vector<TestCode> tests_;
  std::vector<RuleCode> decisions_;
  std::vector<OutputCode> outputs_;
  std::vector<AdvisoryCode> advisories_;
  std::vector<ResultCode> results_;
  std::vector<int> param_base_;
  std::vector<Epoch> epochs_;
  std::vector<Provenance> provenance_;
  int conduct_slot_ = -1, review_slot_ = -1, act_slot_ = -1;
  // Per input: the node of its not_assumed_when condition, or -1; and the inputs it reads.
  std::vector<int> withheld_when_;
  std::vector<std::vector<int>> withheld_reads_;
  std::vector<int> leniency_rank_;  // per outcome; lower is more lenient
  int undecided_ = 0;
  bool has_review_outputs_ = false;
  bool uses_calendar_ = false;
  const WorkCalendar* calendar_ = nullptr;
  std::vector<int> input_node_;  // per input: the first node reading it (ShapeStep::node)
  std::vector<uint8_t> shape_flags_;  // per input: the Value flags its shape keeps
  std::vector<int> harsher_inputs_;   // inputs whose default is harsher for the person
  // Per epoch: a bit per cell whose value is not current law as published (reported,
  // proposed or example).
  std::vector<std::vector<uint64_t>> unofficial_;
  std::deque<std::string> strings_;  // text constants: string Values point into them
};

/// Compiles `rs` for `chain` (the region first, then its parents up to the root). Every
/// expression is parsed and type-checked here; problems go to `findings` and the result is
/// null when there are errors. `limits`: expressions larger or deeper than expr_nodes and
/// expr_depth are refused; the depth counts the definitions of the derived fields and tests an
/// expression reads, since evaluation and explanations descend into them.
std::unique_ptr<CompiledRuleset> compile(const Ruleset& rs, std::vector<const Region*> chain,
                                         std::string fingerprint, Findings& findings,
                                         const WorkCalendar* calendar = nullptr,
                                         const Limits& limits = Limits{});

}  // namespace epil
