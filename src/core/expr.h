// The expression language: parse (text → Expr tree with positions) and check (names
// resolved, types inferred, errors collected as findings). Compilation to the evaluator's
// flat program is in program.h; evaluation never sees an Expr.
//
//   amount_limit[damage_type] >= damage_amount and not regional_impact
//   incident_grade in ['larger', 'major'] or if(known(deaths), deaths >= 3, false)
//   add_months(prior_violation_date, 24) >= conduct_date
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"
#include "core/op.h"
#include "core/value.h"

namespace epil {

/// Where an expression's text starts in its file, so findings point inside the YAML.
struct SourcePos {
  SourcePos() = default;
  SourcePos(std::string f, int l, int c) : file(std::move(f)), line(l), column(c) {}

  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters
  /// For text that spans lines in the file (a YAML block scalar, `expr: >-`): where each
  /// line's text starts in the expression and in the file. Empty: the text is on one line.
  struct Segment {
    size_t offset;  // byte offset in the expression text
    int line, column;
  };
  std::vector<Segment> segments;
};

/// An expression as written: its text and where it starts.
struct ExprText {
  std::string text;
  SourcePos at;
  bool empty() const { return text.empty(); }
};

struct Builtin;

/// What a name refers to once checked.
enum class SymbolKind : uint8_t { kNone, kField, kParam, kTest, kOutcome };

struct Expr {
  Op op;  // a written op (OpStage::kWritten or kBoth)
  int line = 0, column = 0;  // absolute position in the file
  double number = 0;
  std::string text;  // name, string literal, function name
  Date date;
  bool boolean = false;
  std::vector<std::unique_ptr<Expr>> args;
  int height = 1;  // levels from this node down to its deepest leaf (at most limits.expr_depth)
  // Filled by check():
  Type type;
  std::string unit;
  SymbolKind symbol = SymbolKind::kNone;
  int symbol_id = -1;
  int32_t enum_literal = -1;  // a string literal coerced to an enum value
  const Builtin* builtin = nullptr;  // a call's function (core/builtins.h)
};

/// The deepest expression epil parses whatever --limit expr-depth says: the checker, the
/// compiler, evaluation and explanations recurse over an expression, and this many levels
/// (with the definitions of the derived fields it reads) stay well within a thread's stack.
constexpr uint64_t kDeepestSupported = 2000;

/// Parses `text`; on error adds a finding at the offending line and column, returns null.
/// An expression of more than `limits.expr_nodes` parts, or deeper than `limits.expr_depth`
/// levels (each operator is one: a + b + c … leans left and is as deep as it is long), is
/// refused with a finding naming the limit.
std::unique_ptr<Expr> parse_expression(std::string_view text, const SourcePos& at,
                                       Findings& findings, const Limits& limits = Limits{});

/// What the checker needs to know about names: implemented by the ruleset compiler.
struct Symbol {
  SymbolKind kind = SymbolKind::kNone;
  int id = -1;
  Type type;
  std::string unit;
  int index_enum = -1;  // for a parameter indexed over an enum: that enum's id
};

class Scope {
 public:
  virtual ~Scope() = default;
  virtual Symbol lookup(std::string_view name) const = 0;
  /// Index of `key` among the enum's values, or -1.
  virtual int enum_value(int enum_id, std::string_view key) const = 0;
  virtual std::string enum_name(int enum_id) const = 0;
  /// Every name in scope, for "did you mean" suggestions.
  virtual std::vector<std::string> names() const = 0;
};

/// Resolves names and infers types; `expected` coerces string literals to enum values where
/// the context says which enum (a derived field's declared type). Returns false on error.
bool check_expression(Expr& e, const Scope& scope, Type expected, const std::string& file,
                      Findings& findings);

/// Every field, parameter and test id the expression refers to, by kind.
void collect_symbols(const Expr& e, SymbolKind kind, std::vector<int>& out);

std::string type_name(Type t, const Scope& scope);

}  // namespace epil
