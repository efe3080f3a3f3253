// The built-in functions of the expression language, one entry each: the checker reads their
// arity and types, the compiler the op a call lowers to, whether it needs the holiday
// calendars and when a case's shape records its value (op_info() gives these ops' facts from
// here), the "unknown function" message their names, and `epil functions` (with the table in
// docs/configuration.md made from it) their descriptions. Adding a function is an entry here,
// an Op for it and its evaluation (a case of CompiledRuleset::eval_op, and the reference
// evaluator's in tests/); docs/architecture.md shows one.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/op.h"
#include "core/text.h"

namespace epil {

/// What an argument must be.
enum class ArgKind : uint8_t {
  kAny,         // any value (known(x))
  kBool,        // a yes/no
  kNumber,      // a number, its unit carried
  kDate,        // a date
  kBranch,      // one of if()'s branches: any type, the same as the other branch's
  kInputField,  // the name of an input field (given(f))
  kParameter,   // a parameter or one cell of an indexed one (set(p), set(p[i]))
};

/// What a call gives.
enum class ResultKind : uint8_t { kBool, kNumber, kDate, kBranches };

/// The unit of a numeric result.
enum class UnitRule : uint8_t {
  kNone,
  kOfArguments,  // the unit the numeric arguments carry (abs, min, max, if)
  kDays,         // days_between
};

struct Builtin {
  std::string_view name;
  Op op;  // what a call lowers to
  uint8_t min_args, max_args;
  std::array<ArgKind, 3> args;  // by position; a function of more takes the last one again
  ResultKind result;
  UnitRule unit;
  bool calendar;                  // reads the State Council holiday calendars
  Observed observed;              // when a case's shape records a call's value (core/op.h)
  std::string_view signature;     // "add_months(d, n)"
  Text summary;                   // one line, for `epil functions` and the docs table
  std::string_view example;       // a call as a rule writes it

  ArgKind arg(size_t i) const { return args[std::min<size_t>(i, arity_listed() - 1)]; }
  size_t arity_listed() const { return max_args < args.size() ? max_args : args.size(); }
};

/// Every built-in, in the order the docs list them.
std::span<const Builtin> builtins();

/// The built-in named `name`, or null.
const Builtin* find_builtin(std::string_view name);

/// "if, min, max, …": the names, for messages.
std::string builtin_names();

}  // namespace epil
