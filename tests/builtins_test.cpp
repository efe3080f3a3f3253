// The table of built-in functions (core/builtins.h) and what reads it: the checker, the
// compiler, the reference evaluator, the "unknown function" message and `epil functions`.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/builtins.h"
#include "core/config.h"
#include "core/expr.h"
#include "core/op.h"
#include "core/ruleset.h"
#include "io/builtins_doc.h"
#include "reference_evaluator.h"

using namespace epil;

namespace {

// Whether `text` parses and checks against one of the shipped rulesets' names.
bool checks_in_a_shipped_ruleset(const std::string& text) {
  static const Config config = Config::embedded();
  for (const Ruleset& rs : config.rulesets()) {
    Findings findings;
    auto e = parse_expression(text, SourcePos("example", 1, 1), findings);
    if (!e) return false;
    RulesetScope scope(rs);
    if (check_expression(*e, scope, {}, "example", findings)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("builtins: every entry is whole and lowers to an op of the program") {
  std::set<std::string_view> names;
  for (const Builtin& b : builtins()) {
    INFO(b.name);
    CHECK(names.insert(b.name).second);
    CHECK(find_builtin(b.name) == &b);
    CHECK(op_info(b.op).stage == OpStage::kRun);
    CHECK(b.min_args >= 1);
    CHECK(b.min_args <= b.max_args);
    CHECK(b.arity_listed() >= 1);
    CHECK(b.signature.starts_with(std::string(b.name) + "("));
    CHECK_FALSE(b.summary.zh.empty());
    CHECK_FALSE(b.summary.en.empty());
    // A function of more arguments than a node has operands repeats one kind.
    if (b.max_args > 3) {
      CHECK(std::all_of(b.args.begin(), b.args.end(), [&](ArgKind k) { return k == b.args[0]; }));
    }
    // Its example is a call to it that checks against a shipped ruleset's names.
    CHECK(std::string_view(b.example).find(std::string(b.name) + "(") != std::string_view::npos);
    CHECK(checks_in_a_shipped_ruleset(std::string(b.example)));
  }
  CHECK(find_builtin("lookup") == nullptr);
  CHECK(names.size() >= 12);
}

TEST_CASE("builtins: the unknown-function message names every one") {
  Findings findings;
  auto e = parse_expression("lookup(1) > 0", SourcePos("t.yaml", 1, 1), findings);
  REQUIRE(e);
  const Config config = Config::embedded();
  RulesetScope scope(*config.ruleset("epil"));
  CHECK_FALSE(check_expression(*e, scope, {}, "t.yaml", findings));
  REQUIRE(findings.items().size() == 1);
  for (const Builtin& b : builtins()) {
    CHECK(findings.items()[0].message.find(std::string(b.name)) != std::string::npos);
  }
}

TEST_CASE("builtins: the reference evaluator evaluates each one or says which it leaves out") {
  // A function added to the table and not to the reference evaluator fails here: the
  // differential tests would otherwise compare it against "unknown" without a word.
  std::set<std::string_view> table, reference;
  for (const Builtin& b : builtins()) table.insert(b.name);
  for (auto f : reference::Evaluator::kImplemented) CHECK(reference.insert(f).second);
  for (auto f : reference::Evaluator::kNotModelled) CHECK(reference.insert(f).second);
  CHECK(reference == table);
}

TEST_CASE("builtins: epil functions lists each with its signature, in both languages") {
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    const std::string text = io::render_builtins(lang, io::BuiltinsFormat::kText);
    const std::string md = io::render_builtins(lang, io::BuiltinsFormat::kMarkdown);
    for (const Builtin& b : builtins()) {
      CHECK(text.find(std::string(b.signature)) != std::string::npos);
      CHECK(md.find("| `" + std::string(b.signature) + "` |") != std::string::npos);
    }
  }
  CHECK(io::render_builtins(Lang::kZh, io::BuiltinsFormat::kText).find("用节假日安排") !=
        std::string::npos);
}

TEST_CASE("ops: every op has its facts, from the op table or a built-in's entry") {
  // An Op added to the enum without a row in core/op.cpp or an entry in core/builtins.cpp
  // has no name: the dump, the compiler's observation rule and the accessors would not know it.
  std::set<std::string_view> run_names;
  for (size_t i = 0; i <= static_cast<size_t>(Op::kNotIn); ++i) {
    const OpInfo& info = op_info(static_cast<Op>(i));
    INFO("op " << i);
    CHECK_FALSE(info.name.empty());
    CHECK((info.stage == OpStage::kWritten) == (info.operands == Operands::kWritten));
    if (info.stage != OpStage::kWritten) CHECK(run_names.insert(info.name).second);
  }
}
