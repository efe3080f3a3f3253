// Tests of the rule language's three-valued logic and arithmetic, run through the real
// pipeline: a ruleset written as YAML, loaded, compiled and evaluated. Missing is never zero
// or false: it is unknown, and it stays unknown until the logic no longer depends on it.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/program.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/value.h"

namespace {

using epil::Date;
using epil::Value;

Date day(const char* iso) {
  auto d = Date::parse_iso(iso);
  REQUIRE_MESSAGE(d.has_value(), iso);
  return *d;
}

// One derived field `r` computed from inputs a, b (bool), n, m (number), d (date) and
// k (number): the smallest ruleset that puts an expression through load, check, compile and
// evaluate.
class Probe {
 public:
  Probe(const std::string& type, const std::string& expr) {
    std::string text =
        "ruleset: probe\n"
        "outcomes: {pass: 是, fail: 否}\n"
        "undecided: fail\n"
        "fields:\n"
        "  a: {type: bool}\n"
        "  b: {type: bool}\n"
        "  n: {type: number}\n"
        "  m: {type: number}\n"
        "  d: {type: date}\n"
        "  k: {type: number}\n"
        "derived:\n"
        "  r:\n"
        "    type: " +
        type +
        "\n"
        "    expr: \"" +
        expr +
        "\"\n"
        "decisions:\n"
        "  - {outcome: pass}\n";
    rs_ = epil::load_ruleset(text, "probe.yaml", findings_);
    REQUIRE(rs_.has_value());
    region_ = epil::load_region("region: root\n", "root.yaml", {*rs_}, findings_);
    REQUIRE(region_.has_value());
    program_ = epil::compile(*rs_, {&*region_}, "probe", findings_);
    std::string all;
    for (const auto& f : findings_.items()) all += f.format() + "\n";
    REQUIRE_MESSAGE(program_ != nullptr, all);
    REQUIRE(findings_.ok());
  }

  // Inputs in the order a, b, n, m, d, k; those left out are unknown.
  Value eval(std::vector<Value> inputs) {
    REQUIRE(program_->input_count() == 6);
    inputs.resize(6);
    program_->evaluate(inputs.data(), day("2025-06-01"), false, ws_, decision_);
    return program_->value(ws_, program_->field_slot(rs_->find_field("r")));
  }

 private:
  epil::Findings findings_;
  std::optional<epil::Ruleset> rs_;
  std::optional<epil::Region> region_;
  std::unique_ptr<epil::CompiledRuleset> program_;
  epil::Workspace ws_;
  epil::Decision decision_;
};

// Truth values in tables: T, F and U (unknown).
enum T3 { F = 0, T = 1, U = 2 };
Value v(T3 t) { return t == U ? Value::unknown() : Value::boolean(t == T); }
T3 t3(const Value& x) {
  if (!x.known()) return U;
  REQUIRE(x.kind == Value::kBool);
  return x.b ? T : F;
}
Value num(double x) { return Value::number(x); }
const Value kUnknown = Value::unknown();

}  // namespace

TEST_CASE("Kleene logic: and, or, not over true, false and unknown") {
  struct Row {
    T3 a, b, a_and_b, a_or_b;
  };
  // Kleene's strong logic: false decides an `and`, true decides an `or`, whatever the other
  // side is; otherwise unknown spreads.
  const Row rows[] = {
      {T, T, T, T}, {T, F, F, T}, {T, U, U, T}, {F, T, F, T}, {F, F, F, F},
      {F, U, F, U}, {U, T, U, T}, {U, F, F, U}, {U, U, U, U},
  };
  Probe conj("bool", "a and b");
  Probe disj("bool", "a or b");
  for (const Row& row : rows) {
    CAPTURE(row.a);
    CAPTURE(row.b);
    CHECK(t3(conj.eval({v(row.a), v(row.b)})) == row.a_and_b);
    CHECK(t3(disj.eval({v(row.a), v(row.b)})) == row.a_or_b);
  }

  struct Unary {
    T3 a, not_a;
  };
  const Unary negations[] = {{T, F}, {F, T}, {U, U}};
  Probe neg("bool", "not a");
  Probe double_neg("bool", "not not a");
  for (const Unary& row : negations) {
    CAPTURE(row.a);
    CHECK(t3(neg.eval({v(row.a)})) == row.not_a);
    CHECK(t3(double_neg.eval({v(row.a)})) == row.a);
  }
}

TEST_CASE("Kleene logic: De Morgan and excluded middle over unknown") {
  Probe lhs("bool", "not (a and b)");
  Probe rhs("bool", "not a or not b");
  Probe middle("bool", "a or not a");
  for (T3 a : {T, F, U}) {
    for (T3 b : {T, F, U}) {
      CAPTURE(a);
      CAPTURE(b);
      CHECK(t3(lhs.eval({v(a), v(b)})) == t3(rhs.eval({v(a), v(b)})));
    }
    // Not a tautology in three-valued logic: unknown stays unknown.
    CHECK(t3(middle.eval({v(a)})) == (a == U ? U : T));
  }
}

TEST_CASE("if(): an unknown condition gives a value only when both branches agree") {
  struct Row {
    T3 cond;
    Value then_value, else_value;
    std::optional<double> expected;  // nullopt: unknown
  };
  const Row rows[] = {
      {T, num(1), num(2), 1},
      {F, num(1), num(2), 2},
      {U, num(1), num(2), std::nullopt},
      {U, num(7), num(7), 7},
      {U, kUnknown, kUnknown, std::nullopt},
      {U, num(7), kUnknown, std::nullopt},
      {T, num(7), kUnknown, 7},  // the branch not taken may be unknown
      {F, kUnknown, num(7), 7},
      {T, kUnknown, num(7), std::nullopt},
  };
  Probe p("number", "if(a, n, m)");
  for (const Row& row : rows) {
    CAPTURE(row.cond);
    Value r = p.eval({v(row.cond), kUnknown, row.then_value, row.else_value});
    if (row.expected) {
      REQUIRE(r.kind == Value::kNumber);
      CHECK(r.num == *row.expected);
    } else {
      CHECK_FALSE(r.known());
    }
  }

  // Boolean branches: if(a, b, b) is b whatever a is; if(a, true, b) needs a or b.
  Probe same("bool", "if(a, b, b)");
  Probe guarded("bool", "if(a, true, b)");
  for (T3 a : {T, F, U}) {
    for (T3 b : {T, F}) {
      CAPTURE(a);
      CAPTURE(b);
      CHECK(t3(same.eval({v(a), v(b)})) == b);
      T3 want = a == T ? T : a == F ? b : (b == T ? T : U);
      CHECK(t3(guarded.eval({v(a), v(b)})) == want);
    }
  }
}

TEST_CASE("Arithmetic and comparison on unknown are unknown - known() is always known") {
  struct Case {
    const char* type;
    const char* expr;
  };
  const Case unknown_when_n_unknown[] = {
      {"number", "n + m"},
      {"number", "m - n"},
      {"number", "n * m"},
      {"number", "m / n"},
      {"number", "-n"},
      {"number", "abs(n)"},
      {"number", "min(n, m)"},
      {"number", "max(m, n, 3)"},
      {"number", "n * 0"},
      {"bool", "n < m"},
      {"bool", "n <= m"},
      {"bool", "n > m"},
      {"bool", "n >= m"},
      {"bool", "n == m"},
      {"bool", "n != m"},
      {"bool", "n == n"},
      {"bool", "n in [1, 2]"},
      {"bool", "n not in [1, 2]"},
      {"number", "if(n > 0, n, 0)"},
  };
  for (const Case& c : unknown_when_n_unknown) {
    CAPTURE(c.expr);
    Probe p(c.type, c.expr);
    CHECK_FALSE(p.eval({kUnknown, kUnknown, kUnknown, num(2)}).known());
    // …and known once n is given.
    CHECK(p.eval({kUnknown, kUnknown, num(1), num(2)}).known());
  }

  Probe known("bool", "known(n)");
  CHECK(t3(known.eval({kUnknown, kUnknown, kUnknown})) == F);
  CHECK(t3(known.eval({kUnknown, kUnknown, num(0)})) == T);

  // Membership is Kleene too: an unknown list item matters only when nothing else matches.
  Probe member("bool", "n in [1, m]");
  CHECK(t3(member.eval({kUnknown, kUnknown, num(1), kUnknown})) == T);
  CHECK(t3(member.eval({kUnknown, kUnknown, num(2), kUnknown})) == U);
  CHECK(t3(member.eval({kUnknown, kUnknown, num(2), num(3)})) == F);
  CHECK(t3(member.eval({kUnknown, kUnknown, num(3), num(3)})) == T);
  Probe non_member("bool", "n not in [1, m]");
  CHECK(t3(non_member.eval({kUnknown, kUnknown, num(1), kUnknown})) == F);
  CHECK(t3(non_member.eval({kUnknown, kUnknown, num(2), kUnknown})) == U);
  CHECK(t3(non_member.eval({kUnknown, kUnknown, num(2), num(3)})) == T);
}

TEST_CASE("Arithmetic: values, and division by zero is unknown") {
  struct Case {
    const char* expr;
    double n, m;
    std::optional<double> expected;
  };
  const Case cases[] = {
      {"n + m", 2, 3, 5},
      {"n - m", 2, 3, -1},
      {"n * m", 2, 3, 6},
      {"n / m", 3, 2, 1.5},
      {"n / m", 3, 0, std::nullopt},
      {"n / m", 0, 0, std::nullopt},
      {"n / m", -1, 0, std::nullopt},
      {"n / (m - m)", 1, 5, std::nullopt},
      {"-n", 2, 0, -2},
      {"abs(n - m)", 2, 5, 3},
      {"min(n, m, 4)", 5, 6, 4},
      {"max(n, m)", -1, -2, -1},
      {"n + m * 2", 1, 2, 5},
      {"(n + m) * 2", 1, 2, 6},
      {"n / m * m", 1, 4, 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expr);
    CAPTURE(c.n);
    CAPTURE(c.m);
    Probe p("number", c.expr);
    Value r = p.eval({kUnknown, kUnknown, num(c.n), num(c.m)});
    if (c.expected) {
      REQUIRE(r.kind == Value::kNumber);
      CHECK(r.num == doctest::Approx(*c.expected));
    } else {
      CHECK_FALSE(r.known());
    }
  }
  // A division by zero inside a comparison leaves the comparison unknown, not false.
  Probe cmp("bool", "n / m > 1");
  CHECK(t3(cmp.eval({kUnknown, kUnknown, num(1), num(0)})) == U);
  Probe guarded("bool", "m == 0 or n / m > 1");
  CHECK(t3(guarded.eval({kUnknown, kUnknown, num(1), num(0)})) == T);
}

TEST_CASE("Comparisons of numbers and dates") {
  struct Case {
    const char* expr;
    T3 expected;
  };
  // d = 2025-01-31, n = 3, m = 3
  const Case cases[] = {
      {"n < m", F},
      {"n <= m", T},
      {"n > m", F},
      {"n >= m", T},
      {"n == m", T},
      {"n != m", F},
      {"d == 2025-01-31", T},
      {"d < 2025-02-01", T},
      {"d > 2025-01-30", T},
      {"d >= 2025-02-01", F},
      {"d != 2025-01-31", F},
      {"add_days(d, 1) == 2025-02-01", T},
      {"days_between(2025-01-01, d) == 30", T},
      {"days_between(d, 2025-01-01) == -30", T},
      {"2024-01-10 < 2024-01-11", T},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expr);
    Probe p("bool", c.expr);
    CHECK(t3(p.eval({kUnknown, kUnknown, num(3), num(3), Value::of_date(day("2025-01-31"))})) ==
          c.expected);
  }
}

TEST_CASE("add_months and add_days through expressions: Civil Code month ends") {
  struct Case {
    const char* fn;
    const char* start;
    double count;
    const char* expected;
  };
  // 民法典 第二百零二条: the corresponding day, or the month's last day when there is none.
  const Case cases[] = {
      {"add_months", "2025-01-31", 1, "2025-02-28"},
      {"add_months", "2024-01-31", 1, "2024-02-29"},
      {"add_months", "2024-02-29", 12, "2025-02-28"},
      {"add_months", "2024-02-29", 48, "2028-02-29"},
      {"add_months", "2025-03-31", 1, "2025-04-30"},
      {"add_months", "2025-03-31", -1, "2025-02-28"},
      {"add_months", "2024-03-31", -1, "2024-02-29"},
      {"add_months", "2025-12-31", 2, "2026-02-28"},
      {"add_months", "2025-01-15", 24, "2027-01-15"},
      {"add_months", "2025-01-13", 0, "2025-01-13"},
      {"add_months", "2023-11-30", 3, "2024-02-29"},
      {"add_days", "2024-02-28", 1, "2024-02-29"},
      {"add_days", "2025-02-28", 1, "2025-03-01"},
      {"add_days", "2024-12-31", 1, "2025-01-01"},
      {"add_days", "2025-03-01", -1, "2025-02-28"},
      {"add_days", "2025-01-01", 365, "2026-01-01"},
      {"add_days", "2024-01-01", 366, "2025-01-01"},
  };
  Probe months("date", "add_months(d, k)");
  Probe days("date", "add_days(d, k)");
  for (const Case& c : cases) {
    CAPTURE(c.fn);
    CAPTURE(c.start);
    CAPTURE(c.count);
    Probe& p = std::string(c.fn) == "add_months" ? months : days;
    Value r = p.eval(
        {kUnknown, kUnknown, kUnknown, kUnknown, Value::of_date(day(c.start)), num(c.count)});
    REQUIRE(r.kind == Value::kDate);
    CHECK(r.as_date().iso() == c.expected);
  }
  // An unknown date or count gives an unknown date.
  CHECK_FALSE(months.eval({kUnknown, kUnknown, kUnknown, kUnknown, kUnknown, num(1)}).known());
  CHECK_FALSE(months
                  .eval({kUnknown, kUnknown, kUnknown, kUnknown, Value::of_date(day("2025-01-31")),
                         kUnknown})
                  .known());
  CHECK_FALSE(days.eval({kUnknown, kUnknown, kUnknown, kUnknown, kUnknown, num(1)}).known());

  // The repeat-offence window of the environmental ruleset, as it is written there.
  Probe window("bool", "add_months(d, 24) >= 2027-01-31");
  CHECK(t3(window.eval(
            {kUnknown, kUnknown, kUnknown, kUnknown, Value::of_date(day("2025-01-31"))})) == T);
  CHECK(t3(window.eval(
            {kUnknown, kUnknown, kUnknown, kUnknown, Value::of_date(day("2025-01-30"))})) == F);
  CHECK(t3(window.eval({})) == U);
}
