// Tests for core/expr.h: the expression language's parser (trees, precedence, syntax errors
// at line:column) and checker (names, types, units, arity, enum literals), table-driven.
#include "core/expr.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using epil::BaseType;
using epil::Expr;
using epil::Op;
using epil::Findings;
using epil::SourcePos;
using epil::Symbol;
using epil::SymbolKind;
using epil::Type;

// A small scope standing in for a ruleset: money and tonnes, an enum, a bool, a date, a
// string, an indexed and a plain parameter, and one test.
class TestScope final : public epil::Scope {
 public:
  Symbol lookup(std::string_view name) const override {
    for (const auto& e : kEntries) {
      if (e.name == name) return e.symbol;
    }
    return {};
  }
  int enum_value(int enum_id, std::string_view key) const override {
    if (enum_id != kDamageType) return -1;
    for (size_t i = 0; i < std::size(kDamageTypes); ++i) {
      if (kDamageTypes[i] == key) return static_cast<int>(i);
    }
    return -1;
  }
  std::string enum_name(int enum_id) const override {
    return enum_id == kDamageType ? "damage_type" : "?";
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& e : kEntries) out.push_back(std::string(e.name));
    return out;
  }

  static constexpr int kDamageType = 0;
  static constexpr std::string_view kDamageTypes[] = {"water_pollution", "air_pollution",
                                                      "solid_waste"};

 private:
  struct Entry {
    std::string_view name;
    Symbol symbol;
  };
  static Symbol sym(SymbolKind k, int id, BaseType b, std::string unit = "", int index = -1,
                    int enum_id = -1) {
    Symbol s;
    s.kind = k;
    s.id = id;
    s.type = Type{b, static_cast<int16_t>(enum_id)};
    s.unit = std::move(unit);
    s.index_enum = index;
    return s;
  }
  const std::vector<Entry> kEntries = {
      {"damage_amount", sym(SymbolKind::kField, 0, BaseType::kNumber, "元")},
      {"waste_tonnes", sym(SymbolKind::kField, 1, BaseType::kNumber, "t")},
      {"damage_type", sym(SymbolKind::kField, 2, BaseType::kEnum, "", -1, kDamageType)},
      {"regional_impact", sym(SymbolKind::kField, 3, BaseType::kBool)},
      {"conduct_date", sym(SymbolKind::kField, 4, BaseType::kDate)},
      {"note", sym(SymbolKind::kField, 5, BaseType::kString)},
      {"count", sym(SymbolKind::kField, 6, BaseType::kNumber)},
      {"amount_limit", sym(SymbolKind::kParam, 0, BaseType::kNumber, "元", kDamageType)},
      {"simple_case_limit", sym(SymbolKind::kParam, 1, BaseType::kNumber, "元")},
      {"protected_area_test", sym(SymbolKind::kTest, 0, BaseType::kBool)},
  };
};

// The tree as an S-expression, so that precedence is visible in one string.
std::string sexpr(const Expr& e) {
  auto args = [&](std::string_view head) {
    std::string s = fmt::format("({}", head);
    for (const auto& a : e.args) s += " " + sexpr(*a);
    return s + ")";
  };
  switch (e.op) {
    case Op::kNumber:
      return fmt::format("{}", e.number);
    case Op::kString:
      return fmt::format("'{}'", e.text);
    case Op::kDate:
      return "#" + e.date.iso();
    case Op::kBool:
      return e.boolean ? "true" : "false";
    case Op::kName:
      return e.text;
    case Op::kIndex:
      return args("[]");
    case Op::kCall:
      return args(e.text);
    case Op::kList:
      return args("list");
    case Op::kNot:
      return args("not");
    case Op::kNeg:
      return args("neg");
    case Op::kAnd:
      return args("and");
    case Op::kOr:
      return args("or");
    case Op::kEq:
      return args("==");
    case Op::kNe:
      return args("!=");
    case Op::kLt:
      return args("<");
    case Op::kLe:
      return args("<=");
    case Op::kGt:
      return args(">");
    case Op::kGe:
      return args(">=");
    case Op::kIn:
      return args("in");
    case Op::kNotIn:
      return args("not-in");
    case Op::kAdd:
      return args("+");
    case Op::kSub:
      return args("-");
    case Op::kMul:
      return args("*");
    case Op::kDiv:
      return args("/");
    default:  // a program's own ops: never parsed
      break;
  }
  return "?";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("parse: operator precedence and associativity") {
  struct Case {
    const char* text;
    const char* tree;
  };
  const Case cases[] = {
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c", "(or (and a b) c)"},
      {"not a and b", "(and (not a) b)"},
      {"not not a", "(not (not a))"},
      {"not a == b", "(not (== a b))"},
      {"a or b or c", "(or (or a b) c)"},
      {"1 + 2 * 3", "(+ 1 (* 2 3))"},
      {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
      {"1 - 2 - 3", "(- (- 1 2) 3)"},
      {"8 / 4 / 2", "(/ (/ 8 4) 2)"},
      {"-2 * 3", "(* (neg 2) 3)"},
      {"- -x", "(neg (neg x))"},
      {"a + 1 >= b * 2 and c", "(and (>= (+ a 1) (* b 2)) c)"},
      {"x != 1 or y == 2", "(or (!= x 1) (== y 2))"},
      {"x < y", "(< x y)"},
      {"x <= y", "(<= x y)"},
      {"x > y", "(> x y)"},
      {"x = y", "(== x y)"},
      {"t in ['a', 'b'] and u not in ['c']", "(and (in t (list 'a' 'b')) (not-in u (list 'c')))"},
      {"lim[t] >= amount", "(>= ([] lim t) amount)"},
      {"if(a, 1, 2) + 3", "(+ (if a 1 2) 3)"},
      {"max(a, b, c)", "(max a b c)"},
      {"known(x)", "(known x)"},
      {"f()", "(f)"},
      {"1_000_000 + 2.5e3", "(+ 1000000 2500)"},
      {"\"double\" == 'single'", "(== 'double' 'single')"},
      {"true and false", "(and true false)"},
      {"d >= 2024-01-10", "(>= d #2024-01-10)"},
      {"add_months(d, 24) >= 2025-01-13", "(>= (add_months d 24) #2025-01-13)"},
      {"  spaced\n  or\tnewline  ", "(or spaced newline)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Findings f;
    auto e = epil::parse_expression(c.text, {"x.yaml", 1, 1}, f);
    REQUIRE(e != nullptr);
    CHECK(f.items().empty());
    CHECK(sexpr(*e) == c.tree);
  }
}

TEST_CASE("parse: date literals are exactly YYYY-MM-DD and real calendar days") {
  struct Case {
    const char* text;
    const char* tree;  // empty: a syntax error
  };
  const Case cases[] = {
      {"2024-02-29", "#2024-02-29"},
      {"2025-12-31", "#2025-12-31"},
      {"(2024-01-10)", "#2024-01-10"},
      {"[2024-01-10, 2025-01-13]", "(list #2024-01-10 #2025-01-13)"},
      // Not a calendar day, so not a date: read as arithmetic, which the checker then
      // rejects wherever a date is needed.
      {"2025-02-29", "(- (- 2025 2) 29)"},
      {"2024-1-10", "(- (- 2024 1) 10)"},
      // A date glued to a name is neither a date nor a number.
      {"2024-01-10x", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Findings f;
    auto e = epil::parse_expression(c.text, {"x.yaml", 1, 1}, f);
    if (std::string_view(c.tree).empty()) {
      CHECK(e == nullptr);
      CHECK_FALSE(f.ok());
    } else {
      REQUIRE(e != nullptr);
      CHECK(sexpr(*e) == c.tree);
    }
  }
  Findings f;
  auto e = epil::parse_expression("2024-02-29", {"x.yaml", 1, 1}, f);
  REQUIRE(e != nullptr);
  CHECK(e->op == Op::kDate);
  CHECK(e->date == *epil::Date::from_ymd(2024, 2, 29));
}

TEST_CASE("parse: syntax errors point at the offending token's line and column") {
  // The expression starts at line 7, column 11 of its file, as an expression after
  // "    when: " would.
  const SourcePos at{"thresholds/x.yaml", 7, 11};
  struct Case {
    const char* text;
    int line, column;
    const char* message;  // part of the English message
  };
  const Case cases[] = {
      {"a and", 7, 16, "found the end of the expression"},
      {"a and", 7, 16, "expected a value, a name or '('"},
      {"(a or b", 7, 18, "expected ')'"},
      {"((a)", 7, 15, "expected ')'"},
      {"a or b)", 7, 17, "found ')'"},
      {"amount > 数", 7, 20, "found '数'"},
      {"数 > 1", 7, 11, "found '数'"},
      {"3000元", 7, 15, "found '元'"},
      {"x not y", 7, 17, "expected 'in' after 'not'"},
      {"x not", 7, 16, "expected 'in' after 'not'"},
      {"x in 'a'", 7, 16, "a list such as ['a', 'b']"},
      {"x in ['a' 'b']", 7, 21, "expected ',' or ']'"},
      {"f(a b)", 7, 15, "expected ',' or ')'"},
      {"lim[t", 7, 16, "expected ']'"},
      {"1 < 2 < 3", 7, 17, "found '<'"},
      {"a ! b", 7, 13, "found '!'"},
      {"'unterminated", 7, 11, "found ''unterminated'"},
      {"and b", 7, 11, "found 'and'"},
      {"a or or b", 7, 16, "found 'or'"},
      {"1.2.3 > x", 7, 11, "found '1.2.3'"},
      {"", 7, 11, "found the end of the expression"},
      // A later line: the line counts on, the column restarts at the line's start.
      {"a and\n  or b", 8, 3, "found 'or'"},
      {"a\nand\n\n  (b or", 10, 8, "found the end of the expression"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Findings f;
    auto e = epil::parse_expression(c.text, at, f);
    CHECK(e == nullptr);
    REQUIRE(f.items().size() == 1);  // one error per expression, not a cascade
    const epil::Finding& x = f.items()[0];
    CHECK(x.code == "expr-syntax");
    CHECK(x.severity == epil::Severity::kError);
    CHECK(x.file == "thresholds/x.yaml");
    CHECK(x.line == c.line);
    CHECK(x.column == c.column);
    CHECK_MESSAGE(contains(x.message, c.message), x.message);
    CHECK_FALSE(x.message_zh.empty());
  }
}

TEST_CASE("parse: node positions are absolute in the file") {
  Findings f;
  auto e = epil::parse_expression("amount <= lim[t]\n  and not x", {"f.yaml", 3, 9}, f);
  REQUIRE(e != nullptr);
  CHECK(sexpr(*e) == "(and (<= amount ([] lim t)) (not x))");
  CHECK(e->line == 4);  // 'and'
  CHECK(e->column == 3);
  const Expr& cmp = *e->args[0];
  CHECK(cmp.line == 3);
  CHECK(cmp.column == 16);  // '<='
  CHECK(cmp.args[0]->column == 9);
  CHECK(cmp.args[1]->column == 19);           // 'lim'
  CHECK(cmp.args[1]->args[1]->column == 23);  // 't'
  const Expr& neg = *e->args[1];
  CHECK(neg.line == 4);
  CHECK(neg.column == 7);
  CHECK(neg.args[0]->column == 11);
}

TEST_CASE("check: well-typed expressions, their types, units and resolved symbols") {
  TestScope scope;
  struct Case {
    const char* text;
    Type expected;  // invalid: no expectation
    BaseType type;
    const char* unit;
  };
  const Type any{};
  const Type boolean{BaseType::kBool};
  const Type damage_type{BaseType::kEnum, TestScope::kDamageType};
  const Case cases[] = {
      {"damage_amount <= amount_limit[damage_type] and not regional_impact", boolean,
       BaseType::kBool, ""},
      {"damage_amount * 2", any, BaseType::kNumber, "元"},
      {"2 * damage_amount", any, BaseType::kNumber, "元"},
      {"damage_amount / 2", any, BaseType::kNumber, "元"},
      {"damage_amount - simple_case_limit", any, BaseType::kNumber, "元"},
      {"-damage_amount", any, BaseType::kNumber, "元"},
      {"abs(damage_amount - amount_limit[damage_type])", any, BaseType::kNumber, "元"},
      {"max(damage_amount, 0)", any, BaseType::kNumber, "元"},
      {"days_between(conduct_date, 2025-01-01)", any, BaseType::kNumber, "days"},
      {"add_months(conduct_date, 24)", any, BaseType::kDate, ""},
      {"add_days(conduct_date, -1) < 2024-01-10", boolean, BaseType::kBool, ""},
      {"conduct_date >= 2024-01-10", boolean, BaseType::kBool, ""},
      {"damage_type == 'water_pollution'", boolean, BaseType::kBool, ""},
      {"'water_pollution' == damage_type", boolean, BaseType::kBool, ""},
      {"damage_type in ['water_pollution', 'solid_waste']", boolean, BaseType::kBool, ""},
      {"if(regional_impact, 'air_pollution', damage_type)", damage_type, BaseType::kEnum, ""},
      {"if(regional_impact, 'air_pollution', 'solid_waste')", damage_type, BaseType::kEnum, ""},
      {"set(amount_limit[damage_type]) or set(simple_case_limit)", boolean, BaseType::kBool, ""},
      {"known(damage_amount) and protected_area_test", boolean, BaseType::kBool, ""},
      {"note == 'free text'", boolean, BaseType::kBool, ""},
      {"count * damage_amount", any, BaseType::kNumber, "元"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Findings f;
    auto e = epil::parse_expression(c.text, {"x.yaml", 1, 1}, f);
    REQUIRE(e != nullptr);
    CHECK(epil::check_expression(*e, scope, c.expected, "x.yaml", f));
    CHECK_MESSAGE(f.items().empty(), (f.items().empty() ? "" : f.items()[0].message));
    CHECK(e->type.base == c.type);
    CHECK(e->unit == c.unit);
  }

  // Names resolve to their kind and id; string literals beside an enum become its values.
  Findings f;
  auto e = epil::parse_expression(
      "damage_type in ['water_pollution', 'solid_waste'] and amount_limit[damage_type] > 0 "
      "and protected_area_test",
      {"x.yaml", 1, 1}, f);
  REQUIRE(e != nullptr);
  REQUIRE(epil::check_expression(*e, scope, boolean, "x.yaml", f));
  const Expr& in = *e->args[0]->args[0];
  CHECK(in.args[0]->symbol == SymbolKind::kField);
  CHECK(in.args[0]->symbol_id == 2);
  CHECK(in.args[1]->args[0]->enum_literal == 0);
  CHECK(in.args[1]->args[1]->enum_literal == 2);
  const Expr& index = *e->args[0]->args[1]->args[0];
  CHECK(index.op == Op::kIndex);
  CHECK(index.symbol == SymbolKind::kParam);
  CHECK(index.symbol_id == 0);
  CHECK(e->args[1]->symbol == SymbolKind::kTest);

  std::vector<int> fields, params;
  epil::collect_symbols(*e, SymbolKind::kField, fields);
  epil::collect_symbols(*e, SymbolKind::kParam, params);
  CHECK(fields == std::vector<int>{2});  // once, though named twice
  CHECK(params == std::vector<int>{0});
}

TEST_CASE("check: type errors are findings at the offending node") {
  TestScope scope;
  struct Case {
    const char* text;
    Type expected;
    const char* code;
    int column;           // the expression starts at line 5, column 1
    const char* message;  // part of the English message
  };
  const Type any{};
  const Type boolean{BaseType::kBool};
  const Type number{BaseType::kNumber};
  const Case cases[] = {
      {"damage_amout > 3", boolean, "unknown-name", 1,
       "unknown name 'damage_amout' (did you mean 'damage_amount'?)"},
      {"regional_impakt", boolean, "unknown-name", 1, "did you mean 'regional_impact'?"},
      {"x and zzzzzzzzzz", boolean, "unknown-name", 1, "unknown name 'x'"},
      {"damage_type == 3", boolean, "type-mismatch", 13,
       "cannot compare enum damage_type with number"},
      {"damage_amount > waste_tonnes", boolean, "unit-mismatch", 15, "compares 元 with t"},
      {"damage_amount + waste_tonnes > 0", boolean, "unit-mismatch", 15, "compares 元 with t"},
      {"abs(1, 2) > 0", boolean, "arity", 1, "abs() takes 1 arguments, found 2"},
      {"if(regional_impact, 1) > 0", boolean, "arity", 1, "if() takes 3 arguments, found 2"},
      {"min(1) > 0", boolean, "arity", 1, "min() takes 2 to 16 arguments, found 1"},
      {"add_months(conduct_date) > conduct_date", boolean, "arity", 1,
       "add_months() takes 2 arguments, found 1"},
      {"set(damage_amount)", boolean, "type-mismatch", 5, "set() takes a parameter"},
      {"set(protected_area_test)", boolean, "type-mismatch", 5, "set() takes a parameter"},
      {"amount_limit > 3", boolean, "index-required", 1,
       "parameter 'amount_limit' is indexed by damage_type: write amount_limit[damage_type]"},
      {"simple_case_limit[damage_type] > 0", boolean, "not-indexed", 1,
       "'simple_case_limit' is not a parameter indexed by an enum field"},
      {"damage_type == 'oil_pollution'", boolean, "unknown-enum-value", 16,
       "'oil_pollution' is not a value of damage_type"},
      {"damage_type in ['water_pollution', 'oil']", boolean, "unknown-enum-value", 36,
       "'oil' is not a value of damage_type"},
      {"amount_limit['oil'] > 0", boolean, "unknown-enum-value", 14,
       "'oil' is not a value of damage_type"},
      {"damage_type > 'water_pollution'", boolean, "type-mismatch", 13,
       "enum damage_type values have no order"},
      {"regional_impact and 1", boolean, "type-mismatch", 21, "'and' expects bool, found number"},
      {"not damage_amount", boolean, "type-mismatch", 5, "'not' expects bool, found number"},
      {"conduct_date + 1 > conduct_date", boolean, "type-mismatch", 14,
       "arithmetic needs numbers, found date and number"},
      {"conduct_date >= 2025-02-30", boolean, "type-mismatch", 14,
       "cannot compare date with number"},
      {"if(regional_impact, 1, conduct_date) > 0", boolean, "type-mismatch", 1,
       "if() branches differ: number and date"},
      {"if(damage_amount, 1, 2) > 0", boolean, "type-mismatch", 4,
       "the first argument of if() expects bool, found number"},
      {"lookup(1) > 0", boolean, "unknown-function", 1, "unknown function 'lookup()'"},
      {"damage_amount in [1, conduct_date]", boolean, "type-mismatch", 22,
       "list item is date, but the value tested is number"},
      {"[1, 2]", any, "misplaced-list", 1, "a list may only follow 'in' or 'not in'"},
      {"regional_impact", number, "type-mismatch", 1,
       "expected number, but the expression is bool"},
      {"note > 'a'", boolean, "type-mismatch", 6, "string values have no order"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Findings f;
    auto e = epil::parse_expression(c.text, {"rules.yaml", 5, 1}, f);
    REQUIRE(e != nullptr);
    CHECK_FALSE(epil::check_expression(*e, scope, c.expected, "rules.yaml", f));
    REQUIRE_FALSE(f.items().empty());
    bool found = false;
    for (const auto& x : f.items()) {
      if (x.code == c.code && contains(x.message, c.message)) {
        found = true;
        CHECK(x.file == "rules.yaml");
        CHECK(x.line == 5);
        CHECK(x.column == c.column);
        CHECK(x.severity == epil::Severity::kError);
        CHECK_FALSE(x.message_zh.empty());
      }
    }
    std::string all;
    for (const auto& x : f.items()) all += x.format() + "\n";
    CHECK_MESSAGE(found, all);
  }
}

TEST_CASE("check: a type error does not cascade into errors about its parents") {
  TestScope scope;
  Findings f;
  auto e = epil::parse_expression("(damage_amout > 3 and regional_impact) or protected_area_test",
                                  {"x.yaml", 1, 1}, f);
  REQUIRE(e != nullptr);
  CHECK_FALSE(epil::check_expression(*e, scope, {BaseType::kBool}, "x.yaml", f));
  REQUIRE(f.items().size() == 1);
  CHECK(f.items()[0].code == "unknown-name");
}

TEST_CASE("check: names far from every known name get no suggestion") {
  TestScope scope;
  Findings f;
  auto e = epil::parse_expression("qqqqqqqqqqqq > 1", {"x.yaml", 1, 1}, f);
  REQUIRE(e != nullptr);
  CHECK_FALSE(epil::check_expression(*e, scope, {BaseType::kBool}, "x.yaml", f));
  REQUIRE(f.items().size() == 1);
  CHECK(f.items()[0].message == "unknown name 'qqqqqqqqqqqq'");
}

TEST_CASE("type_name names every type") {
  TestScope scope;
  CHECK(epil::type_name({BaseType::kBool}, scope) == "bool");
  CHECK(epil::type_name({BaseType::kNumber}, scope) == "number");
  CHECK(epil::type_name({BaseType::kDate}, scope) == "date");
  CHECK(epil::type_name({BaseType::kString}, scope) == "string");
  CHECK(epil::type_name({BaseType::kEnum, 0}, scope) == "enum damage_type");
}
