#include "core/op.h"

#include <array>

namespace epil {

namespace {

struct OpRow {
  Op op;
  OpInfo info;
};

using S = OpStage;
using O = Observed;
using P = Operands;

// In the enum's order (checked below).
constexpr std::array kOps = {
    OpRow{Op::kConst, {"const", S::kRun, O::kNever, P::kConstant}},
    OpRow{Op::kSlot, {"slot", S::kRun, O::kInput, P::kSlot}},
    OpRow{Op::kParam, {"param", S::kRun, O::kNever, P::kCell}},
    OpRow{Op::kParamIndexed, {"param[]", S::kRun, O::kNever, P::kIndexedCell}},
    OpRow{Op::kIsSet, {"set", S::kRun, O::kNever, P::kCell}},
    OpRow{Op::kIsSetIndexed, {"set[]", S::kRun, O::kNever, P::kIndexedCell}},
    OpRow{Op::kKnown, {"known", S::kRun, O::kNever, P::kNodes}},
    OpRow{Op::kNot, {"not", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kAnd, {"and", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kOr, {"or", S::kBoth, O::kNever, P::kNodes}},
    OpRow{Op::kIf, {"if", S::kRun, O::kContinuousResult, P::kNodes}},
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
    OpRow{Op::kAbs, {"abs", S::kRun, O::kNever, P::kNodes}},
    OpRow{Op::kMin, {"min", S::kRun, O::kNever, P::kArgRange}},
    OpRow{Op::kMax, {"max", S::kRun, O::kNever, P::kArgRange}},
    // Out of range for a count a case gives; one from the thresholds is the same for every
    // case of an epoch.
    OpRow{Op::kAddMonths, {"add_months", S::kRun, O::kCountFromCase, P::kNodes}},
    OpRow{Op::kAddDays, {"add_days", S::kRun, O::kCountFromCase, P::kNodes}},
    // Beyond the calendars the answer is open for some dates and not others.
    OpRow{Op::kAddWorkingDays, {"add_working_days", S::kRun, O::kAlways, P::kNodes}},
    OpRow{Op::kRollToWorkingDay, {"roll_to_working_day", S::kRun, O::kAlways, P::kNodes}},
    OpRow{Op::kDaysBetween, {"days_between", S::kRun, O::kNever, P::kNodes}},
    // Reads an input's flags (said to be unknown, left to its default), which the input's
    // own step does not record: only cases that ask given() tell "无" from a blank.
    OpRow{Op::kGiven, {"given", S::kRun, O::kAlways, P::kSlot}},
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

constexpr bool in_enum_order() {
  for (size_t i = 0; i < kOps.size(); ++i) {
    if (static_cast<size_t>(kOps[i].op) != i) return false;
  }
  return static_cast<size_t>(Op::kNotIn) + 1 == kOps.size();
}
static_assert(in_enum_order(), "kOps lists every Op once, in the enum's order");

}  // namespace

const OpInfo& op_info(Op op) { return kOps[static_cast<size_t>(op)].info; }

}  // namespace epil
