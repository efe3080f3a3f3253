#include "core/op.h"

#include <array>
#include <cassert>

#include "core/builtins.h"

namespace epil {

namespace {

struct OpRow {
  Op op;
  OpInfo info;
};

using S = OpStage;
using O = Observed;
using P = Operands;

// Every op but the built-in functions', whose facts their entries in core/builtins.cpp give.
constexpr std::array kOps = {
    OpRow{Op::kConst, {"const", S::kRun, O::kNever, P::kConstant}},
    OpRow{Op::kSlot, {"slot", S::kRun, O::kInput, P::kSlot}},
    OpRow{Op::kParam, {"param", S::kRun, O::kNever, P::kCell}},
    OpRow{Op::kParamIndexed, {"param[]", S::kRun, O::kNever, P::kIndexedCell}},
    OpRow{Op::kIsSetIndexed, {"set[]", S::kRun, O::kNever, P::kIndexedCell}},
    OpRow{Op::kNot, {"not", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kAnd, {"and", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kOr, {"or", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kEq, {"==", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kNe, {"!=", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kLt, {"<", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kLe, {"<=", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kGt, {">", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kGe, {">=", S::kBoth, O::kContinuousOperand, P::kNodes}},
    OpRow{Op::kInMask, {"in", S::kRun, O::kNever, P::kMask}},
    OpRow{Op::kNotInMask, {"not in", S::kRun, O::kNever, P::kMask}},
    // Unknown for some amounts and not others of the same shape: by zero, past the largest
    // number.
    OpRow{Op::kAdd, {"+", S::kBoth, O::kAlways, P::kNodes}},
    OpRow{Op::kSub, {"-", S::kBoth, O::kAlways, P::kNodes}},
    OpRow{Op::kMul, {"*", S::kBoth, O::kAlways, P::kNodes}},
    OpRow{Op::kDiv, {"/", S::kBoth, O::kAlways, P::kNodes}},
    OpRow{Op::kNeg, {"neg", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kNumber, {"number", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kString, {"string", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kDate, {"date", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kBool, {"bool", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kName, {"name", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kIndex, {"index", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kCall, {"call", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kList, {"list", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kIn, {"in", S::kWritten, O::kNever, P::kWritten}},
    OpRow{Op::kNotIn, {"not in", S::kWritten, O::kNever, P::kWritten}},
};

constexpr size_t kOpCount = static_cast<size_t>(Op::kNotIn) + 1;

// What a call to `b` lowers to holds in its operand fields (Node).
Operands operands_of(const Builtin& b) {
  if (b.arg(0) == ArgKind::kParameter) return Operands::kCell;
  if (b.arg(0) == ArgKind::kInputField) return Operands::kSlot;
  return b.max_args > 3 ? Operands::kArgRange : Operands::kNodes;
}

// The facts of every op, by op: the rows above and one per built-in function. An op given
// twice or not at all is a mistake tests/builtins_test.cpp catches (its name stays empty).
std::array<OpInfo, kOpCount> make_table() {
  std::array<OpInfo, kOpCount> table{};
  for (const OpRow& row : kOps) table[static_cast<size_t>(row.op)] = row.info;
  for (const Builtin& b : builtins()) {
    OpInfo& info = table[static_cast<size_t>(b.op)];
    assert(info.name.empty());
    info = {b.name, OpStage::kRun, b.observed, operands_of(b)};
  }
  return table;
}

}  // namespace

const OpInfo& op_info(Op op) {
  static const std::array<OpInfo, kOpCount> table = make_table();
  return table[static_cast<size_t>(op)];
}

}  // namespace epil
