// The operations of the expression language, one enum for both of its forms: the tree a rule
// is parsed into (Expr, core/expr.h) and the flat program it is compiled to (Node,
// core/program.h). The operators written in a rule (not, and, ==, +, …) are the same ops in
// both; literals, names, calls and lists exist only as written, and a program's own ops
// (constants, slots, parameter cells, the built-in functions) only as run. op_info() says
// which, names each for a program dump, and says when the shape index records a node's value.
#pragma once

#include <cstdint>
#include <string_view>

namespace epil {

enum class Op : uint8_t {
  // Run only: what names, literals and calls become.
  kConst,
  kSlot,
  kParam,
  kParamIndexed,
  kIsSet,
  kIsSetIndexed,
  kKnown,
  // Written and run: the operators.
  kNot,
  kAnd,
  kOr,
  // Run only.
  kIf,
  // Written and run.
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  // Run only: `x in [..]` of enum literals.
  kInMask,
  kNotInMask,
  // Written and run.
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
  // Run only: the built-in functions (core/builtins.h).
  kAbs,
  kMin,
  kMax,
  kAddMonths,
  kAddDays,
  kAddWorkingDays,    // over the State Council calendar; past it the earliest it can be, open
  kRollToWorkingDay,  // 民法典第二百零三条; past the calendars the earliest day, open
  kDaysBetween,
  kGiven,  // given(input): the user gave it (a value or "unknown"), not a default; a: slot
  // Written only: lowered to the ops above.
  kNumber,
  kString,
  kDate,
  kBool,
  kName,
  kIndex,
  kCall,
  kList,
  kIn,
  kNotIn,
};

/// Where an op occurs.
enum class OpStage : uint8_t { kWritten, kRun, kBoth };

/// When a case's shape records a node's value (core/shape_index.h): when the value is not a
/// function of its operands' shapes.
enum class Observed : uint8_t {
  kNever,
  kAlways,             // arithmetic (by zero, past the largest number), given(), calendar days
  kInput,              // a slot that holds an input
  kContinuousOperand,  // a comparison of amounts, dates or texts (not of yes/no or enums)
  kContinuousResult,   // if() of amounts or dates: the branches' values, not their shapes
  kCountFromCase,      // add_months/add_days by a count a case gives, not the thresholds
};

/// What a program node's operand fields hold (Node, core/program.h).
enum class Operands : uint8_t {
  kConstant,    // k: the value
  kSlot,        // a: a slot (an input, a derived field, a test)
  kCell,        // a: a parameter cell
  kIndexedCell, // a: an indexed parameter's first cell; b: the index node; c: its cells (set[])
  kNodes,       // a, b, c: child nodes, -1 where unused
  kMask,        // a: the child node; mask: the enum values listed
  kArgRange,    // b: the first of the program's argument list; c: how many
  kWritten,     // not a program op
};

struct OpInfo {
  std::string_view name;  // as a program dump shows it: "==", "and", "add_months", "slot"
  OpStage stage;
  Observed observed;
  Operands operands;
};

/// The facts of `op`.
const OpInfo& op_info(Op op);

constexpr bool is_comparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe;
}

}  // namespace epil
