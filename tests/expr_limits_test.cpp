// Tests for the bounds on expressions and configuration files (issue 12): an expression too
// large or too deep is one finding naming its --limit, wherever the depth comes from (a chain
// a + b + c …, parentheses, a chain of derived fields); nothing after the parser recurses
// deeper than it allows; a configuration file is read at most --limit file-bytes; arithmetic
// without a finite result is unknown, never a decision, and regions check warns of it.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cli_support.h"
#include "core/config.h"
#include "io/config_tree.h"
#include "core/expr.h"
#include "core/limits.h"

namespace fs = std::filesystem;

namespace {

using epil::Finding;
using epil::Findings;
using epil::testing::has;
using epil::testing::run;
using epil::testing::Run;

// `term` joined by `op`, `n` times: "a + a + a".
std::string chain(std::string_view term, std::string_view op, int n) {
  std::string s(term);
  for (int i = 1; i < n; ++i) {
    s += op;
    s += term;
  }
  return s;
}

const Finding* with_code(const Findings& f, std::string_view code) {
  for (const auto& x : f.items()) {
    if (x.code == code) return &x;
  }
  return nullptr;
}

std::string all(const Findings& f) {
  std::string s;
  for (const auto& x : f.items()) s += x.format() + "\n";
  return s;
}

// Parses `text` as written at x.yaml:3:9; the findings.
Findings parse(const std::string& text, const epil::Limits& limits = {}) {
  Findings f;
  auto e = epil::parse_expression(text, {"x.yaml", 3, 9}, f, limits);
  CHECK((e == nullptr) == (f.error_count() > 0));
  return f;
}

// A copy of tests/data/config/minimal whose ruleset a test rewrites: `derived` replaces the
// derived field `doubled`, `within` the test's expression.
struct MiniTree {
  epil::testing::Scratch scratch;
  std::string dir = scratch.path("tree");
  MiniTree() {
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "tests/data/config/minimal", dir,
             fs::copy_options::recursive);
  }
  std::string ruleset_path() const { return dir + "/thresholds/mini.yaml"; }
  void rewrite(std::string_view from, const std::string& to) {
    std::string text = epil::testing::read_bytes(ruleset_path());
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    scratch.write("tree/thresholds/mini.yaml", text);
  }
  void derived(const std::string& yaml) {
    rewrite("  doubled:\n    type: money\n    expr: damage_amount * 2\n", yaml);
  }
  void within(const std::string& expr) {
    rewrite("expr: damage_amount <= amount_limit[damage_type]", "expr: " + expr);
  }
  // `epil screen` of a water-pollution case of `amount` 元 under this tree; `global` goes
  // before the command (--lang, --limit).
  Run screen(const std::string& amount, const std::string& global = "",
             const std::string& extra = "") const {
    return run(global + " --config '" + dir +
               "' --ruleset mini screen --region alpha --set damage_type=water_pollution "
               "--set damage_amount=" +
               amount + " --as-of 2025-01-01 " + extra);
  }
  epil::Config check(const epil::Limits& limits = {}) {
    epil::Config c = epil::io::read_config_tree(dir, {}, limits);
    c.check(*epil::Date::from_ymd(2026, 6, 1));
    return c;
  }
};

}  // namespace

TEST_CASE("expr limits: a long chain of '+' is as deep as it is long, and refused") {
  // 20,000 terms once overflowed the checker's stack (SIGSEGV); the parser now stops at the
  // 200th level with a finding at that operator.
  const Findings f = parse(chain("damage_amount", " + ", 20000));
  const Finding* x = with_code(f, "expr-too-deep");
  REQUIRE_MESSAGE(x != nullptr, all(f));
  CHECK(f.error_count() == 1);
  CHECK(x->file == "x.yaml");
  CHECK(x->line == 3);
  // The 200th '+': 9 + 200 * 13 + 199 * 3 characters along the line.
  CHECK(x->column == 9 + 200 * 13 + 199 * 3 + 1);
  CHECK(has(x->message, "more than 200 levels"));
  CHECK(has(x->message, "--limit expr-depth"));
  CHECK(has(x->message_zh, "--limit expr-depth"));
  // Every operator counts, not only parentheses.
  for (std::string_view op : {" - ", " * ", " / ", " and ", " or "}) {
    CAPTURE(op);
    CHECK(with_code(parse(chain("x", op, 300)), "expr-too-deep") != nullptr);
    CHECK(parse(chain("x", op, 150)).error_count() == 0);
  }
}

TEST_CASE("expr limits: nesting of every kind counts against expr-depth") {
  const std::vector<std::string> deep = {
      std::string(300, '(') + "x" + std::string(300, ')'),
      chain("not", " ", 300) + " x",
      chain("-", " ", 300) + " x",
      chain("abs(", "", 300) + "x" + std::string(300, ')'),
      chain("p[", "", 300) + "x" + std::string(300, ']'),
      "x in " + std::string(300, '[') + "1" + std::string(300, ']'),
      // Deep enough to exhaust the parser's own stack were it not bounded on the way down.
      std::string(1000000, '('),
      chain("-", "", 1000000) + "x",
  };
  for (const auto& text : deep) {
    CAPTURE(text.substr(0, 40));
    const Findings f = parse(text);
    CHECK_MESSAGE(with_code(f, "expr-too-deep") != nullptr, all(f));
  }
}

TEST_CASE("expr limits: an expression of more parts than expr-nodes is refused") {
  // Wide, not deep: a list of 20,000 numbers.
  const std::string list = "x in [" + chain("1", ", ", 20000) + "]";
  const Findings f = parse(list);
  const Finding* x = with_code(f, "expr-too-large");
  REQUIRE_MESSAGE(x != nullptr, all(f));
  CHECK(has(x->message, "more than 10000 parts"));
  CHECK(has(x->message, "--limit expr-nodes"));
  // Raised, it parses; lowered, a small one is refused.
  epil::Limits wide;
  wide.expr_nodes = 30000;
  CHECK(parse(list, wide).error_count() == 0);
  epil::Limits narrow;
  narrow.expr_nodes = 5;
  CHECK(with_code(parse("a + b + c + d", narrow), "expr-too-large") != nullptr);
}

TEST_CASE("expr limits: expr-depth may be raised, up to what the stack is known to hold") {
  epil::Limits raised;
  raised.expr_depth = 1000;
  CHECK(parse(chain("x", " + ", 900), raised).error_count() == 0);
  raised.expr_depth = 1000000;
  const Findings f = parse(chain("x", " + ", 5000), raised);
  const Finding* x = with_code(f, "expr-too-deep");
  REQUIRE(x != nullptr);
  CHECK(has(x->message, "more than 2000 levels"));
}

TEST_CASE("expr limits: positions stay right on long lines and in block scalars") {
  // Positions are computed incrementally; a finding after a long line and in a second
  // segment (a block scalar line) is where it is in the file.
  epil::SourcePos at{"b.yaml", 10, 7};
  const std::string first = chain("x", " + ", 100);  // 397 characters
  const std::string text = first + " +\n)";
  at.segments = {{0, 10, 7}, {first.size() + 3, 11, 7}};
  Findings f;
  CHECK(epil::parse_expression(text, at, f) == nullptr);
  REQUIRE(f.items().size() == 1);
  CHECK(f.items()[0].line == 11);
  CHECK(f.items()[0].column == 7);
}

TEST_CASE("expr limits: regions check of a 300,000-term rule is one clear error, promptly") {
  // Once quadratic (5,000 terms took 5.6 s; 300,000 never finished): now the parser stops at
  // the limit. Run under a CPU-time limit so that a regression fails instead of hanging. The
  // rule is 4.8 MB, past the YAML scalar limit (cell-bytes), which is raised so that the
  // expression reaches the parser.
  MiniTree tree;
  tree.derived("  doubled:\n    type: money\n    expr: " + chain("damage_amount", " + ", 300000) +
               "\n");
  const Run r = epil::testing::run_shell("ulimit -t 10; '" + std::string(EPIL_BINARY) +
                                         "' --limit cell-bytes=8M --config '" + tree.dir +
                                         "' regions check 2>&1");
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r.out, "mini.yaml:21:3209: error[expr-too-deep]"), r.out);
  CHECK(has(r.out, "1 error(s)"));
  // Raising the limit brings the next one into view, named the same way.
  const Run raised = run("--limit cell-bytes=8M --limit expr-depth=2000 --limit expr-nodes=1000 "
                         "--config '" + tree.dir + "' regions check");
  // With the default limits the rule is refused as a YAML value, before it is parsed.
  const Run scalar = run("--config '" + tree.dir + "' regions check");
  CHECK_MESSAGE(has(scalar.out, "mini.yaml:21:11: error[value-too-long]"), scalar.out);
  CHECK_MESSAGE(has(raised.out, "error[expr-too-large]"), raised.out);
}

TEST_CASE("expr limits: thousands of names in a ruleset of thousands of fields, promptly") {
  // Each name was looked up by a scan of every field, each unknown one measured against every
  // name for a "did you mean", and each field checked for duplicates by a scan: 9,000 fields
  // and 4,000 unknown names took more than two minutes, now about a second.
  MiniTree tree;
  std::string fields;
  for (int i = 0; i < 9000; ++i) fields += fmt::format("  field_number_{}:\n    type: number\n", i);
  tree.rewrite("  damage_amount:\n    type: money\n",
               "  damage_amount:\n    type: money\n" + fields);
  std::string names = "unknown_name_0";
  for (int i = 1; i < 4000; ++i) names += fmt::format(", unknown_name_{}", i);
  tree.within("damage_amount in [" + names + "]");
  const Run r = epil::testing::run_shell("ulimit -t 20; '" + std::string(EPIL_BINARY) +
                                         "' --config '" + tree.dir + "' regions check 2>&1");
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r.out, "error[unknown-name]: unknown name 'unknown_name_3999'"),
                r.out.substr(0, 2000));
}

TEST_CASE("expr limits: a chain of derived fields counts towards expr-depth") {
  // Each definition is shallow, but evaluation and explanations descend through all of them.
  MiniTree tree;
  std::string yaml;
  std::string previous = "damage_amount";
  for (int i = 0; i < 10; ++i) {
    const std::string name = fmt::format("d{}", i);
    yaml += fmt::format("  {}:\n    type: money\n    expr: {}{}\n", name, previous,
                        chain(" + 0", "", 50));
    previous = name;
  }
  tree.derived(yaml);
  tree.within(previous + " <= amount_limit[damage_type]");
  {
    epil::Config c = tree.check();
    const Finding* x = with_code(c.findings(), "expr-too-deep");
    REQUIRE_MESSAGE(x != nullptr, all(c.findings()));
    CHECK(has(x->message, "derived fields and tests it reads"));
    CHECK(x->file == tree.ruleset_path());
  }
  epil::Limits raised;
  raised.expr_depth = 1000;
  epil::Config ok = tree.check(raised);
  CHECK_MESSAGE(ok.findings().error_count() == 0, all(ok.findings()));
  // At the raised limit a case is screened and explained without exhausting the stack.
  const Run r = tree.screen("5000", "--limit expr-depth=1000");
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(has(r.out, "2,000 元 over the 3,000 元 threshold"));
}

TEST_CASE("expr limits: a long list is not a deep one once compiled") {
  // x in [a, b, …] is compiled to comparisons joined by 'or': as a balanced tree, so that
  // 5,000 items are about 13 levels, not 5,000.
  MiniTree tree;
  std::string items = "1";
  for (int i = 2; i <= 5000; ++i) {
    items += ", ";
    items += std::to_string(i);
  }
  tree.within("damage_amount in [" + items + "] or damage_amount <= 3000");
  epil::Config c = tree.check();
  CHECK_MESSAGE(c.findings().error_count() == 0, all(c.findings()));
  const Run r = tree.screen("1");
  CHECK_MESSAGE(has(r.out, "Outcome: exempt"), r.out);
}

TEST_CASE("config limits: files are read at most --limit file-bytes, devices refused") {
  MiniTree tree;
  // A link to /dev/zero named like a rule file: a finding, not an endless read (nor silence).
  fs::create_symlink("/dev/zero", tree.dir + "/regions/zero.yaml");
  {
    epil::Config c = epil::io::read_config_tree(tree.dir);
    const Finding* x = with_code(c.findings(), "unreadable");
    REQUIRE_MESSAGE(x != nullptr, all(c.findings()));
    CHECK(x->file == tree.dir + "/regions/zero.yaml");
    CHECK(has(x->message, "not a regular file"));
    CHECK_FALSE(x->message_zh.empty());
  }
  // Under a small address-space limit the command still ends with the finding (not under
  // AddressSanitizer, which needs far more address space than any such cap).
#if defined(__SANITIZE_ADDRESS__)
  const std::string cap;
#else
  const std::string cap = "ulimit -v 400000; ";
#endif
  const Run r = epil::testing::run_shell(cap + "'" + std::string(EPIL_BINARY) + "' --config '" +
                                         tree.dir + "' regions check 2>&1");
  CHECK(r.code == 2);
  CHECK_MESSAGE(has(r.out, "zero.yaml: error[unreadable]"), r.out);
  fs::remove(tree.dir + "/regions/zero.yaml");
  // A file larger than the limit: named, with the limit to raise.
  const Run big = run("--limit file-bytes=1000 --config '" + tree.dir + "' regions check");
  CHECK(big.code == 2);
  CHECK_MESSAGE(has(big.out, "mini.yaml: error[file-too-large]"), big.out);
  CHECK(has(big.out, "--limit file-bytes"));
  epil::Limits small;
  small.file_bytes = 1000;
  epil::Config c = epil::io::read_config_tree(tree.dir, {}, small);
  CHECK(with_code(c.findings(), "file-too-large") != nullptr);
}

TEST_CASE("non-finite arithmetic: unknown, the case goes to review naming why") {
  // Once "nan 元, nan 元 over the 3,000 元 threshold" and suit: inf − inf is no amount.
  MiniTree tree;
  tree.within("damage_amount * 1e308 - damage_amount * 1e308 <= amount_limit[damage_type]");
  const Run r = tree.screen("5000");
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK_MESSAGE(has(r.out, "Outcome: review"), r.out);
  CHECK(has(r.out, "Why it cannot be decided (no fact is missing for this):"));
  CHECK(has(r.out, "beyond the numbers epil can represent"));
  CHECK_FALSE(has(r.out, "nan"));
  CHECK_FALSE(has(r.out, "inf "));
  const Run zh = tree.screen("5000", "--lang zh");
  CHECK(has(zh.out, "按规则计算的数额超出可表示的范围"));
  const Run json = tree.screen("5000", "", "--format json");
  CHECK_MESSAGE(has(json.out, "\"pending_arithmetic\": true"), json.out);
  // Division by a number so small that the quotient passes the largest number: the same.
  MiniTree tiny;
  tiny.within("damage_amount / 1e-320 <= amount_limit[damage_type]");
  const Run t = tiny.screen("5000");
  CHECK_MESSAGE(has(t.out, "Outcome: review"), t.out);
  // An amount that stays finite is compared as before.
  MiniTree fine;
  fine.within("damage_amount * 1e-3 <= amount_limit[damage_type]");
  const Run f = fine.screen("5000");
  CHECK_MESSAGE(has(f.out, "Outcome: exempt"), f.out);
}

TEST_CASE("non-finite arithmetic: regions check warns where declared ranges can overflow") {
  MiniTree tree;
  tree.within("damage_amount * 1e308 <= amount_limit[damage_type]");
  epil::Config c = tree.check();
  CHECK(c.findings().error_count() == 0);
  const Finding* x = with_code(c.findings(), "may-overflow");
  REQUIRE_MESSAGE(x != nullptr, all(c.findings()));
  CHECK(x->severity == epil::Severity::kWarning);
  CHECK(x->file == tree.ruleset_path());
  CHECK(x->line == 36);
  CHECK(x->column == 25);  // the '*'
  CHECK(has(x->message, "past the largest number"));
  CHECK_FALSE(x->message_zh.empty());
  // Products of two undeclared amounts pass 10^15; sums, differences and small multiples
  // of them do not, nor does a division by a range holding zero (unknown at run time).
  struct Case {
    const char* expr;
    bool warns;
  };
  const Case cases[] = {
      {"damage_amount * damage_amount <= amount_limit[damage_type]", true},
      {"-(damage_amount * damage_amount) <= amount_limit[damage_type]", true},
      {"abs(damage_amount - amount_limit[damage_type]) <= amount_limit[damage_type] * ratio",
       false},
      {"damage_amount * 2 + damage_amount <= amount_limit[damage_type]", false},
      {"damage_amount / ratio <= amount_limit[damage_type]", false},
      {"damage_amount / (ratio + 1e-300) <= amount_limit[damage_type]", true},
      {"max(damage_amount, 1e20) <= amount_limit[damage_type]", false},
      {"max(damage_amount, 1e20) * 1000 <= amount_limit[damage_type]", true},
  };
  for (const Case& k : cases) {
    CAPTURE(k.expr);
    MiniTree t;
    t.within(k.expr);
    epil::Config checked = t.check();
    CHECK(checked.findings().error_count() == 0);
    CHECK((with_code(checked.findings(), "may-overflow") != nullptr) == k.warns);
  }
  // The shipped rules have none.
  epil::Config shipped = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  shipped.check(*epil::Date::from_ymd(2026, 6, 1));
  CHECK_MESSAGE(with_code(shipped.findings(), "may-overflow") == nullptr, all(shipped.findings()));
}
