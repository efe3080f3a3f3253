// Tests for core/config.h: what Config::check finds in broken configuration trees (with the
// file, line and column an official needs to fix it), that the shipped and embedded trees are
// clean and identical, and region lookup by every name a user may type.
#include "core/config.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/epil.h"
#include "io/config_tree.h"

namespace fs = std::filesystem;

namespace {

using epil::Config;
using epil::Finding;
using epil::Severity;

const epil::Date kToday = *epil::Date::from_ymd(2026, 6, 1);

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string all_findings(const epil::Findings& f) {
  std::string s;
  for (const auto& x : f.items()) s += x.format() + "\n";
  return s;
}

// A scratch copy of tests/data/config/minimal that a test breaks one file at a time. Files
// are written as numbered lines so that the expected line numbers can be read off the test.
class Tree {
 public:
  Tree() {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("epil-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "tests/data/config/minimal", dir_,
             fs::copy_options::recursive);
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  void write(const std::string& path, std::initializer_list<std::string_view> lines) {
    std::string text;
    for (auto l : lines) {
      text += l;
      text += '\n';
    }
    fs::create_directories((dir_ / path).parent_path());
    std::ofstream(dir_ / path, std::ios::binary) << text;
  }
  void remove(const std::string& path) { fs::remove(dir_ / path); }

  // Loads and checks the tree; the findings of both stages.
  const epil::Findings& check() {
    config_ = std::make_unique<Config>(epil::io::read_config_tree(dir_.string()));
    config_->check(kToday);
    return config_->findings();
  }
  Config& config() { return *config_; }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }

 private:
  fs::path dir_;
  std::unique_ptr<Config> config_;
};

// The findings with `code`.
std::vector<Finding> with_code(const epil::Findings& f, std::string_view code) {
  std::vector<Finding> out;
  for (const auto& x : f.items()) {
    if (x.code == code) out.push_back(x);
  }
  return out;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// Expects exactly one error with `code`, at `file`:`line`:`column` (column 0: not checked),
// whose English message contains `message`.
void expect_error(const epil::Findings& f, std::string_view code, const std::string& file, int line,
                  int column, std::string_view message) {
  CAPTURE(code);
  std::vector<Finding> found = with_code(f, code);
  REQUIRE_MESSAGE(found.size() == 1, all_findings(f));
  const Finding& x = found[0];
  CHECK(x.severity == Severity::kError);
  CHECK(x.file == file);
  CHECK(x.line == line);
  if (column > 0) CHECK(x.column == column);
  CHECK_MESSAGE(contains(x.message, message), x.message);
  CHECK_FALSE(x.message_zh.empty());
  // The formatted line leads with the position an editor can jump to.
  if (line > 0) CHECK(contains(x.format(), file + ":" + std::to_string(line) + ":"));
}

}  // namespace

TEST_CASE("config: the minimal test tree checks clean") {
  Tree tree;
  const epil::Findings& f = tree.check();
  CHECK_MESSAGE(f.items().empty(), all_findings(f));
  Config& c = tree.config();
  CHECK(c.rulesets().size() == 1);
  CHECK(c.regions().size() == 2);
  const epil::Region* alpha = c.find_region("甲");
  REQUIRE(alpha != nullptr);
  CHECK(alpha->id == "alpha");
  std::vector<const epil::Region*> chain = c.chain(*alpha);
  REQUIRE(chain.size() == 2);
  CHECK(chain[0]->id == "alpha");
  CHECK(chain[1]->id == "national");
  CHECK(c.compiled(*c.ruleset("mini"), *alpha) != nullptr);
}

TEST_CASE("config: a value outside the parameter's min/max, with its file and line") {
  Tree tree;
  tree.write("regions/alpha.yaml", {
                                       "region: alpha",                // 1
                                       "extends: national",            // 2
                                       "parameters:",                  // 3
                                       "  mini:",                      // 4
                                       "    amount_limit:",            // 5
                                       "      water_pollution:",       // 6
                                       "        - since: 2024-01-10",  // 7
                                       "          value: 20000",       // 8
                                       "          status: example",
                                       "          source: 测试数据",
                                   });
  expect_error(tree.check(), "value-range", tree.path("regions/alpha.yaml"), 8, 18,
               "value 20000 is outside the allowed range 0 to 10000");

  Tree below;
  below.write("regions/national.yaml", {
                                           "region: national",
                                           "parameters:",
                                           "  mini:",
                                           "    ratio:",
                                           "      - {since: 2020-01-01, value: -0.5, status: "
                                           "example, source: 测试}",
                                       });
  expect_error(below.check(), "value-range", below.path("regions/national.yaml"), 5, 0,
               "value -0.5 is outside the allowed range 0 to 1");
}

TEST_CASE("config: dated values out of order, and two on the same day") {
  struct Case {
    const char* second_since;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {"2023-01-01", "dates-unsorted",
       "values must be in date order, but 2023-01-01 comes after 2024-01-10"},
      {"2024-01-10", "dates-overlap", "two values take effect on the same day 2024-01-10"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.code);
    Tree tree;
    std::string second = std::string("        - {since: ") + c.second_since +
                         ", value: 2000, status: example, source: 测试}";
    tree.write("regions/alpha.yaml", {
                                         "region: alpha",           // 1
                                         "extends: national",       // 2
                                         "parameters:",             // 3
                                         "  mini:",                 // 4
                                         "    amount_limit:",       // 5
                                         "      water_pollution:",  // 6
                                         "        - {since: 2024-01-10, value: 3000, status: "
                                         "example, source: 测试}",  // 7
                                         second,                    // 8
                                     });
    const epil::Findings& f = tree.check();
    expect_error(f, c.code, tree.path("regions/alpha.yaml"), 8, 11, c.message);
    CHECK(contains(with_code(f, c.code)[0].message, "mini.amount_limit[water_pollution]"));
  }
}

TEST_CASE("config: a dated value without a source document") {
  Tree tree;
  tree.write("regions/alpha.yaml", {
                                       "region: alpha",                // 1
                                       "extends: national",            // 2
                                       "parameters:",                  // 3
                                       "  mini:",                      // 4
                                       "    amount_limit:",            // 5
                                       "      water_pollution:",       // 6
                                       "        - since: 2024-01-10",  // 7
                                       "          value: 3000",
                                       "          status: example",
                                   });
  expect_error(tree.check(), "missing-source", tree.path("regions/alpha.yaml"), 7, 11,
               "the value from 2024-01-10 has no source document");

  // A source given as a mapping needs its document too.
  Tree mapped;
  mapped.write("regions/alpha.yaml", {
                                         "region: alpha", "extends: national", "parameters:",
                                         "  mini:", "    amount_limit:", "      water_pollution:",
                                         "        - since: 2024-01-10",  // 7
                                         "          value: 3000", "          status: example",
                                         "          source: {title: 《某细则》}",  // 10
                                     });
  expect_error(mapped.check(), "missing-source", mapped.path("regions/alpha.yaml"), 10, 0,
               "has no source document");
}

TEST_CASE("config: unknown parameter, unknown enum index, unknown ruleset") {
  Tree tree;
  tree.write("regions/alpha.yaml", {
                                       "region: alpha",      // 1
                                       "extends: national",  // 2
                                       "parameters:",        // 3
                                       "  mini:",            // 4
                                       "    amount_limt:",   // 5
                                       "      - {since: 2024-01-10, value: 1, status: example, "
                                       "source: 测试}",
                                       "    amount_limit:",     // 7
                                       "      oil_pollution:",  // 8
                                       "        - {since: 2024-01-10, value: 1, status: "
                                       "example, source: 测试}",
                                       "  other:",  // 10
                                       "    x: []",
                                   });
  const epil::Findings& f = tree.check();
  const std::string file = tree.path("regions/alpha.yaml");
  expect_error(f, "unknown-parameter", file, 5, 5, "ruleset 'mini' has no parameter 'amount_limt'");
  expect_error(f, "unknown-enum-value", file, 8, 7,
               "'oil_pollution' is not a value of damage_type (values: water_pollution, "
               "air_pollution)");
  expect_error(f, "unknown-ruleset", file, 10, 3, "parameters for unknown ruleset 'other'");
}

TEST_CASE("config: a misspelt parameter or index value in a region file: did you mean") {
  Tree tree;
  tree.write("regions/alpha.yaml", {
                                       "region: alpha",      // 1
                                       "extends: national",  // 2
                                       "parameters:",        // 3
                                       "  mini:",            // 4
                                       "    amout_limit:",   // 5
                                       "      water_pollution:",
                                       "        - {since: 2024-01-10, value: 1, status: example, "
                                       "source: 测试}",
                                       "    amount_limit:",      // 8
                                       "      water_polution:",  // 9
                                       "        - {since: 2024-01-10, value: 1, status: "
                                       "example, source: 测试}",
                                       "    something_else: []",  // 11: nothing near
                                   });
  const epil::Findings& f = tree.check();
  const std::string file = tree.path("regions/alpha.yaml");
  std::vector<Finding> unknown = with_code(f, "unknown-parameter");
  REQUIRE_MESSAGE(unknown.size() == 2, all_findings(f));
  CHECK(unknown[0].line == 5);
  CHECK(unknown[0].column == 5);
  CHECK(unknown[0].message ==
        "parameters.mini.amout_limit: ruleset 'mini' has no parameter 'amout_limit'; did you "
        "mean 'amount_limit'?");
  CHECK(unknown[0].message_zh ==
        "parameters.mini.amout_limit：规则集 'mini' 没有参数 'amout_limit'；是否应为 "
        "'amount_limit'？");
  CHECK(unknown[1].line == 11);
  CHECK(unknown[1].message ==
        "parameters.mini.something_else: ruleset 'mini' has no parameter 'something_else'");
  expect_error(f, "unknown-enum-value", file, 9, 7,
               "'water_polution' is not a value of damage_type (values: water_pollution, "
               "air_pollution); did you mean 'water_pollution'?");
  CHECK(contains(with_code(f, "unknown-enum-value")[0].message_zh, "是否应为 'water_pollution'？"));
}

TEST_CASE("config: a misspelt key is a warning, not silently ignored") {
  Tree tree;
  tree.write("regions/alpha.yaml",
             {
                 "region: alpha", "extends: national", "parameters:", "  mini:",
                 "    amount_limit:", "      water_pollution:", "        - since: 2024-01-10",
                 "          value: 3000", "          status: example", "          source: 测试数据",
                 "          sorce_note: 拼错的键",  // 11
             });
  const epil::Findings& f = tree.check();
  CHECK(f.ok());
  std::vector<Finding> w = with_code(f, "unknown-key");
  REQUIRE(w.size() == 1);
  CHECK(w[0].severity == Severity::kWarning);
  CHECK(w[0].line == 11);
  CHECK(contains(w[0].message, "unknown key 'sorce_note'"));
}

TEST_CASE("config: region identity: aliases and codes must name one region") {
  Tree tree;
  tree.write("regions/beta.yaml", {
                                      "region: beta",                         // 1
                                      "name: {zh: 乙省, en: Beta Province}",  // 2
                                      "code: \"120000\"",                     // 3
                                      "aliases: [乙, 甲]",                    // 4
                                      "extends: national",
                                  });
  const epil::Findings& f = tree.check();
  expect_error(f, "alias-clash", tree.path("regions/beta.yaml"), 4, 0,
               "alias '甲' of region 'beta' also names region 'alpha'");

  // Names are compared as a user types them: case and width folded.
  Tree folded;
  folded.write("regions/beta.yaml", {
                                        "region: beta",
                                        "code: \"110000\"",
                                        "aliases: [ALPHA]",
                                        "extends: national",
                                    });
  const epil::Findings& g = folded.check();
  std::vector<Finding> clashes = with_code(g, "alias-clash");
  CHECK(clashes.size() == 2);  // the code and the alias
  for (const auto& x : clashes) CHECK(x.file == folded.path("regions/beta.yaml"));
}

TEST_CASE("config: extends to a missing region, a cycle, and no root") {
  Tree missing;
  missing.write("regions/gamma.yaml", {"region: gamma", "extends: nowhere"});
  expect_error(missing.check(), "unknown-parent", missing.path("regions/gamma.yaml"), 2, 0,
               "region 'gamma' extends 'nowhere', which does not exist");

  Tree cycle;
  cycle.write("regions/a.yaml", {"region: a", "extends: b"});
  cycle.write("regions/b.yaml", {"region: b", "extends: a"});
  const epil::Findings& f = cycle.check();  // must terminate
  std::vector<Finding> loops = with_code(f, "cycle");
  REQUIRE(loops.size() == 2);
  std::map<std::string, std::string> by_file;
  for (const auto& x : loops) by_file[x.file] = x.message;
  CHECK(contains(by_file[cycle.path("regions/a.yaml")], "region chain loops: a → b → a"));
  CHECK(contains(by_file[cycle.path("regions/b.yaml")], "region chain loops: b → a → b"));
  CHECK(cycle.config().chain(*cycle.config().find_region("a")).size() == 2);

  Tree two_roots;
  two_roots.write("regions/alpha.yaml", {"region: alpha"});
  const epil::Findings& g = two_roots.check();
  std::vector<Finding> roots = with_code(g, "roots");
  REQUIRE_MESSAGE(roots.size() == 2, all_findings(g));  // neither has regions under it
  for (const auto& x : roots) {
    CHECK(x.line == 1);
    CHECK(contains(x.message, "exactly one region is the root"));
  }
}

TEST_CASE("config: extends errors name the regions: the id nearest, the id of a name, the loop") {
  Tree near;
  near.write("regions/gamma.yaml", {"region: gamma", "extends: natinal"});
  const epil::Findings& f = near.check();
  expect_error(f, "unknown-parent", near.path("regions/gamma.yaml"), 2, 10,
               "region 'gamma' extends 'natinal', which does not exist; did you mean 'national' "
               "(全国（测试）)?");
  CHECK(with_code(f, "unknown-parent")[0].message_zh ==
        "地区 'gamma' 的上级 'natinal' 不存在；是否应为 'national'（全国（测试））？");

  Tree by_name;
  by_name.write("regions/gamma.yaml", {"region: gamma", "extends: 全国"});
  expect_error(by_name.check(), "unknown-parent", by_name.path("regions/gamma.yaml"), 2, 10,
               "region 'gamma' extends '全国', a name of region 'national' (全国（测试）) rather "
               "than its id: write extends: national");

  Tree far;
  far.write("regions/gamma.yaml", {"region: gamma", "extends: somewhere_else"});
  expect_error(far.check(), "unknown-parent", far.path("regions/gamma.yaml"), 2, 10,
               "the regions are: alpha 甲省");

  Tree cycle;
  cycle.write("regions/a.yaml", {"region: a", "name: 甲", "extends: b"});
  cycle.write("regions/b.yaml", {"region: b", "extends: a"});
  const epil::Findings& g = cycle.check();
  std::vector<Finding> loops = with_code(g, "cycle");
  REQUIRE(loops.size() == 2);
  const Finding& at_a = loops[0].file == cycle.path("regions/a.yaml") ? loops[0] : loops[1];
  CHECK(at_a.line == 3);  // at its extends
  CHECK(at_a.column == 10);
  CHECK(at_a.message == fmt::format("region chain loops: a → b → a (a extends b at {}:3, b "
                                    "extends a at {}:2)",
                                    cycle.path("regions/a.yaml"), cycle.path("regions/b.yaml")));
  CHECK(at_a.message_zh ==
        fmt::format("地区继承链循环：a → b → a（a 在 {}:3 继承 b，b 在 {}:2 继承 a）",
                    cycle.path("regions/a.yaml"), cycle.path("regions/b.yaml")));

  // A misspelt `extend:` leaves a second root: said at its own file, with the key it meant.
  Tree misspelt;
  misspelt.write("regions/alpha.yaml", {"region: alpha", "extend: national"});
  misspelt.write("regions/beta.yaml", {"region: beta", "extends: national"});
  const epil::Findings& h = misspelt.check();
  std::vector<Finding> key = with_code(h, "unknown-key");
  REQUIRE(key.size() == 1);
  CHECK(key[0].line == 2);
  CHECK(contains(key[0].message, "unknown key 'extend' is ignored"));
  CHECK(contains(key[0].message, "did you mean 'extends'?"));
  CHECK(contains(key[0].message_zh, "是否应为 'extends'？"));
  // national has beta under it, so alpha is the one told to extend it.
  expect_error(h, "roots", misspelt.path("regions/alpha.yaml"), 1, 1,
               fmt::format("region 'alpha' has no 'extends', so it is a root as 'national' ({}:1) "
                           "is (2 roots): exactly one region is the root, and every other names "
                           "its parent (such as extends: national)",
                           misspelt.path("regions/national.yaml")));
}

TEST_CASE("config: definitions that depend on themselves") {
  Tree derived;
  derived.write("thresholds/mini.yaml", {
                                            "ruleset: mini",
                                            "outcomes: {exempt: 显著轻微, suit: 起诉}",
                                            "undecided: suit",
                                            "fields:",
                                            "  n: {type: number}",
                                            "derived:",
                                            "  x: {type: number, expr: y + n}",
                                            "  y: {type: number, expr: x + 1}",
                                            "decisions:",
                                            "  - {outcome: suit, when: x > 1}",
                                            "  - {outcome: exempt}",
                                        });
  derived.remove("regions/alpha.yaml");
  derived.write("regions/national.yaml", {"region: national"});
  const epil::Findings& f = derived.check();
  expect_error(f, "cycle", derived.path("thresholds/mini.yaml"), 0, 0,
               "definitions depend on themselves: x → y → x");
  CHECK(derived.config().compiled(*derived.config().ruleset("mini"),
                                  *derived.config().find_region("national")) == nullptr);

  Tree tests;
  tests.write("thresholds/mini.yaml", {
                                          "ruleset: mini",
                                          "outcomes: {exempt: 显著轻微, suit: 起诉}",
                                          "undecided: suit",
                                          "fields:",
                                          "  n: {type: number}",
                                          "tests:",
                                          "  t1: {expr: t2 and n > 1}",
                                          "  t2: {expr: not t1}",
                                          "decisions:",
                                          "  - {outcome: suit, when: t1}",
                                          "  - {outcome: exempt}",
                                      });
  tests.remove("regions/alpha.yaml");
  tests.write("regions/national.yaml", {"region: national"});
  expect_error(tests.check(), "cycle", tests.path("thresholds/mini.yaml"), 0, 0,
               "definitions depend on themselves: t1 → t2 → t1");
}

TEST_CASE("config: a decision list whose default is not last") {
  Tree tree;
  tree.write("thresholds/mini.yaml", {
                                         "ruleset: mini",                             // 1
                                         "outcomes: {exempt: 显著轻微, suit: 起诉}",  // 2
                                         "undecided: suit",                           // 3
                                         "fields:",                                   // 4
                                         "  n: {type: number}",                       // 5
                                         "decisions:",                                // 6
                                         "  - id: minor",                             // 7
                                         "    outcome: exempt",                       // 8
                                         "  - id: big",                               // 9
                                         "    outcome: suit",                         // 10
                                         "    when: n > 10",                          // 11
                                     });
  tree.remove("regions/alpha.yaml");
  tree.write("regions/national.yaml", {"region: national"});
  const epil::Findings& f = tree.check();
  const std::string file = tree.path("thresholds/mini.yaml");
  expect_error(f, "unreachable", file, 7, 5,
               "entry 'minor' has no condition, so the entries after it can never be reached");
  expect_error(f, "no-default", file, 9, 5, "the last entry must have no 'when'");
}

TEST_CASE("config: expression errors point into the YAML file") {
  Tree tree;
  tree.write("thresholds/mini.yaml", {
                                         "ruleset: mini",                             // 1
                                         "outcomes: {exempt: 显著轻微, suit: 起诉}",  // 2
                                         "undecided: suit",                           // 3
                                         "fields:",                                   // 4
                                         "  damage_amount: {type: money}",            // 5
                                         "  waste_tonnes: {type: number, unit: t}",   // 6
                                         "tests:",                                    // 7
                                         "  big:",                                    // 8
                                         "    expr: damage_amount > waste_tonnes",    // 9
                                         "  plain:",                                  // 10
                                         "    expr: damage_amount >",                 // 11
                                         "  quoted:",                                 // 12
                                         "    expr: \"damage_amout > 1\"",            // 13
                                         "decisions:",                                // 14
                                         "  - {outcome: suit, when: big or plain or quoted}",
                                         "  - {outcome: exempt}",
                                     });
  tree.remove("regions/alpha.yaml");
  tree.write("regions/national.yaml", {"region: national"});
  const epil::Findings& f = tree.check();
  const std::string file = tree.path("thresholds/mini.yaml");
  expect_error(f, "unit-mismatch", file, 9, 25, "compares 元 with t");
  expect_error(f, "expr-syntax", file, 11, 26, "found the end of the expression");
  // In a quoted scalar the text starts one column after the quote.
  expect_error(f, "unknown-name", file, 13, 12, "did you mean 'damage_amount'?");
}

TEST_CASE("config: expression error columns count characters, as the YAML reader does") {
  Tree tree;
  tree.write("thresholds/mini.yaml", {
                                         "ruleset: mini",                             // 1
                                         "outcomes: {exempt: 显著轻微, suit: 起诉}",  // 2
                                         "undecided: suit",                           // 3
                                         "fields:",                                   // 4
                                         "  note: {type: string}",                    // 5
                                         "tests:",                                    // 6
                                         "  t1: {label: 中文标签, expr: zz > 1}",     // 7
                                         "  t2:",                                     // 8
                                         "    expr: note == '水污染' and yy",         // 9
                                         "decisions:",                                // 10
                                         "  - {outcome: suit, when: t1 or t2}",
                                         "  - {outcome: exempt}",
                                     });
  tree.remove("regions/alpha.yaml");
  tree.write("regions/national.yaml", {"region: national"});
  const epil::Findings& f = tree.check();
  std::map<int, Finding> by_line;
  for (const auto& x : with_code(f, "unknown-name")) by_line[x.line] = x;
  REQUIRE_MESSAGE(by_line.size() == 2, all_findings(f));
  // Chinese text before the expression on its line: 'zz' is the 27th character.
  CHECK(by_line[7].column == 27);
  // Chinese text inside the expression before the error: 'yy' is the 29th character (offsets
  // in the expression count characters, as the YAML reader's columns do, not bytes).
  CHECK(by_line[9].column == 29);
}

TEST_CASE("config: expression errors in a folded block scalar point into the file") {
  // `expr: >-` folds the lines that follow into one; an error on the second of them should
  // still be reported on the line where its text is.
  Tree tree;
  tree.write("thresholds/mini.yaml", {
                                         "ruleset: mini",                             // 1
                                         "outcomes: {exempt: 显著轻微, suit: 起诉}",  // 2
                                         "undecided: suit",                           // 3
                                         "fields:",                                   // 4
                                         "  a: {type: bool}",                         // 5
                                         "  b: {type: bool}",                         // 6
                                         "tests:",                                    // 7
                                         "  t:",                                      // 8
                                         "    expr: >-",                              // 9
                                         "      a and",                               // 10
                                         "      b and zz",                            // 11
                                         "decisions:",                                // 12
                                         "  - {outcome: suit, when: t}",
                                         "  - {outcome: exempt}",
                                     });
  tree.remove("regions/alpha.yaml");
  tree.write("regions/national.yaml", {"region: national"});
  const epil::Findings& f = tree.check();
  std::vector<Finding> e = with_code(f, "unknown-name");
  REQUIRE_MESSAGE(e.size() == 1, all_findings(f));
  CHECK(e[0].file == tree.path("thresholds/mini.yaml"));
  // 'zz' is on line 11, column 13: the folded text is mapped back to its lines.
  CHECK(e[0].line == 11);
  CHECK(e[0].column == 13);
}

TEST_CASE("config: a YAML syntax error gives its position") {
  Tree tab;
  tab.write("regions/alpha.yaml", {
                                      "region: alpha",       // 1
                                      "extends: national",   // 2
                                      "\tcode: \"110000\"",  // 3: a tab cannot indent YAML
                                  });
  const epil::Findings& f = tab.check();
  std::vector<Finding> e = with_code(f, "yaml-syntax");
  REQUIRE_MESSAGE(e.size() == 1, all_findings(f));
  CHECK(e[0].file == tab.path("regions/alpha.yaml"));
  CHECK(e[0].line == 3);
  CHECK(e[0].column == 1);
  CHECK(contains(e[0].message, "YAML syntax"));

  Tree unclosed;
  unclosed.write("regions/alpha.yaml", {
                                           "region: alpha",        // 1
                                           "aliases: [甲, alpha",  // 2
                                           "extends: national",    // 3
                                       });
  const epil::Findings& g = unclosed.check();
  std::vector<Finding> u = with_code(g, "yaml-syntax");
  REQUIRE_MESSAGE(u.size() == 1, all_findings(g));
  CHECK(u[0].line >= 2);
  CHECK(u[0].line <= 4);
  CHECK(u[0].column >= 1);
}

TEST_CASE("config: a YAML indentation mistake in zh and en, with the lines' indentation") {
  Tree tree;
  tree.write("regions/alpha.yaml", {
                                       "region: alpha",                // 1
                                       "extends: national",            // 2
                                       "parameters:",                  // 3
                                       "  mini:",                      // 4
                                       "    amount_limit:",            // 5
                                       "      water_pollution:",       // 6
                                       "        - since: 2024-01-10",  // 7
                                       "          value: 3000",        // 8
                                       "         status: example",     // 9: one space short
                                   });
  const epil::Findings& f = tree.check();
  expect_error(f, "yaml-syntax", tree.path("regions/alpha.yaml"), 9, 10,
               "YAML syntax: expected a list item ('- ') here, lined up with the other items of "
               "the list that starts on line 7; hint: line 9 is indented 9 spaces, the list's '- ' "
               "8 spaces (line 7) and the content of the line above 10 spaces (line 8)");
  const Finding x = with_code(f, "yaml-syntax")[0];
  CHECK_MESSAGE(
      contains(x.message_zh,
               "YAML 语法错误：此处应为以“- ”开头的列表项，与第 7 行开始的列表中的其他项对齐；"
               "提示：第 9 行缩进 9 个空格"),
      x.message_zh);
  CHECK_FALSE(contains(x.message_zh, "did not find"));
}

TEST_CASE("config: a directory that is not a configuration tree") {
  Config missing = epil::io::read_config_tree("/nonexistent/epil-config");
  REQUIRE_FALSE(missing.findings().ok());
  CHECK(missing.findings().items()[0].code == "config-missing");

  Tree tree;
  fs::remove_all(tree.path("thresholds"));
  Config no_thresholds = epil::io::read_config_tree(tree.path(""));
  CHECK(with_code(no_thresholds.findings(), "config-missing").size() == 1);
}

TEST_CASE("config: its findings are the configuration's, whatever the file is called") {
  // The exit code follows a finding's origin (2 for the configuration, 1 for a user's input),
  // not whether its file name ends in .yaml: a case file is YAML too.
  Config missing = epil::io::read_config_tree("/nonexistent/epil-config");
  REQUIRE_FALSE(missing.findings().ok());
  CHECK(missing.findings().has_error_from(epil::Origin::kConfiguration));
  CHECK_FALSE(missing.findings().has_error_from(epil::Origin::kInput));
  for (const Finding& f : missing.findings().items()) {
    CHECK(f.origin == epil::Origin::kConfiguration);
  }
  Tree tree;
  tree.write("thresholds/mini.yaml", {"ruleset: mini", "bogus: ["});
  Config broken = epil::io::read_config_tree(tree.path(""));
  REQUIRE_FALSE(broken.findings().ok());
  CHECK(broken.findings().has_error_from(epil::Origin::kConfiguration));
  epil::Findings input;
  input.error("bad-value", "case.yaml", 1, 1, "bad", "坏");
  CHECK(input.has_error_from(epil::Origin::kInput));
  CHECK_FALSE(input.has_error_from(epil::Origin::kConfiguration));
  input.append(broken.findings());
  CHECK(input.has_error_from(epil::Origin::kConfiguration));
}

// --- the shipped tree ---------------------------------------------------------------------

TEST_CASE("config: the shipped tree and the embedded tree check with zero errors") {
  Config shipped = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  shipped.check(epil::today_in_china());
  CHECK_MESSAGE(shipped.findings().error_count() == 0, all_findings(shipped.findings()));

  Config embedded = Config::embedded();
  embedded.check(epil::today_in_china());
  CHECK_MESSAGE(embedded.findings().error_count() == 0, all_findings(embedded.findings()));

  // The same files, byte for byte: the binary's default is the tree in the repository.
  std::map<std::string, std::string> a, b;
  for (const auto& f : shipped.files()) a[f.path] = f.text;
  for (const auto& f : embedded.files()) b[f.path] = f.text;
  CHECK(a.size() == b.size());
  for (const auto& [path, text] : a) {
    CAPTURE(path);
    REQUIRE(b.count(path) == 1);
    CHECK(b[path] == text);
    CHECK(text == read_file(fs::path(EPIL_SOURCE_DIR) / path));
  }
  CHECK(a.count("thresholds/epil.yaml") == 1);
  CHECK(a.count("regions/national.yaml") == 1);

  REQUIRE(shipped.ruleset("epil") != nullptr);
  CHECK(shipped.regions().size() == embedded.regions().size());
  CHECK(a.count("thresholds/credit.yaml") == 1);
  CHECK(a.count("calendars/cn-2026.yaml") == 1);
  for (const auto& r : shipped.regions()) {
    CAPTURE(r.id);
    if (r.overlay) continue;  // overlays sit on top of a region's chain, not in it
    CHECK(shipped.compiled(*shipped.ruleset("epil"), r) != nullptr);
    CHECK(shipped.compiled(*shipped.ruleset("credit"), r) != nullptr);
    // Every chain ends at the national root.
    CHECK(shipped.chain(r).back()->id == "national");
  }
  const epil::Region* proposal = shipped.find_overlay("judicial_proposal");
  REQUIRE(proposal != nullptr);
  CHECK(shipped.compiled(*shipped.ruleset("credit"), *shipped.find_region("national"), proposal) !=
        nullptr);
}

TEST_CASE("config: find_region by id, name, code and alias") {
  Config c = Config::embedded();
  struct Case {
    const char* name;
    const char* id;  // empty: not found
  };
  const Case cases[] = {
      {"广西", "guangxi"},
      {"广西壮族自治区", "guangxi"},
      {"450000", "guangxi"},
      {"guangxi", "guangxi"},
      {"GUANGXI", "guangxi"},
      {" Guangxi ", "guangxi"},
      {"ＧＵＡＮＧＸＩ", "guangxi"},
      {"Guangxi Zhuang Autonomous Region", "guangxi"},
      {"桂", "guangxi"},
      {"陕西", "shaanxi"},
      {"610000", "shaanxi"},
      {"陕西省", "shaanxi"},
      {"全国", "national"},
      {"national", "national"},
      // 山西 and 陕西 are two provinces: neither name may find the other.
      {"shanxi", "shanxi"},
      {"山西", "shanxi"},
      {"晋", "shanxi"},
      {"140000", "shanxi"},
      {"湘", "hunan"},
      {"湖南省", "hunan"},
      {"Inner Mongolia", "neimenggu"},
      {"内蒙古", "neimenggu"},
      {"渝", "chongqing"},
      {"", ""},
      {"999999", ""},
  };
  for (const Case& k : cases) {
    CAPTURE(k.name);
    const epil::Region* r = c.find_region(k.name);
    if (std::string_view(k.id).empty()) {
      CHECK(r == nullptr);
    } else {
      REQUIRE(r != nullptr);
      CHECK(r->id == k.id);
    }
  }
}

// Issue 11 item 15: a prosecutor anywhere in the mainland finds their province, most of them with
// no values of their own (the national rules apply to them).
TEST_CASE("config: the 31 provinces, autonomous regions and municipalities are regions") {
  Config c = Config::embedded();
  const char* codes[] = {"110000", "120000", "130000", "140000", "150000", "210000", "220000",
                         "230000", "310000", "320000", "330000", "340000", "350000", "360000",
                         "370000", "410000", "420000", "430000", "440000", "450000", "460000",
                         "500000", "510000", "520000", "530000", "540000", "610000", "620000",
                         "630000", "640000", "650000"};
  std::set<std::string> ids;
  for (const char* code : codes) {
    CAPTURE(code);
    const epil::Region* r = c.find_region(code);
    REQUIRE(r != nullptr);
    CHECK(r->extends == "national");
    CHECK_FALSE(r->name.zh.empty());
    CHECK_FALSE(r->name.en.empty());
    CHECK_FALSE(r->aliases.empty());
    ids.insert(r->id);
  }
  CHECK(ids.size() == 31);
  size_t regions = 0;
  for (const auto& r : c.regions()) regions += !r.overlay;
  CHECK(regions == 32);  // the 31 and the national root
}

TEST_CASE("config: a named overlay applies on top of any region when selected") {
  Tree tree;
  tree.write("regions/proposal.yaml",
             {"overlay: proposal",                   // 1
              "name: {zh: 建议方案, en: Proposal}",  // 2
              "parameters:",                         // 3
              "  mini:",                             // 4
              "    amount_limit:",                   // 5
              "      water_pollution:",              // 6
              "        - {since: 2024-01-01, value: 5000, status: proposed, source: 建议}"});
  const epil::Findings& f = tree.check();
  CHECK_MESSAGE(f.error_count() == 0, all_findings(f));
  Config& c = tree.config();
  // An overlay is not a region: no root is added, and region lookup never returns it.
  CHECK(c.find_region("proposal") == nullptr);
  const epil::Region* overlay = c.find_overlay("建议方案");
  REQUIRE(overlay != nullptr);
  CHECK(overlay->overlay);
  const epil::Region* alpha = c.find_region("alpha");
  REQUIRE(alpha != nullptr);
  std::vector<const epil::Region*> chain = c.chain(*alpha, overlay);
  REQUIRE(chain.size() == 3);
  CHECK(chain[0]->id == "proposal");
  CHECK(chain[1]->id == "alpha");
  // The overlay's value wins over the region's; without it the region's applies.
  const epil::Ruleset& rs = *c.ruleset("mini");
  const epil::CompiledRuleset* plain = c.compiled(rs, *alpha);
  const epil::CompiledRuleset* over = c.compiled(rs, *alpha, overlay);
  REQUIRE(plain != nullptr);
  REQUIRE(over != nullptr);
  CHECK(plain != over);
  CHECK(plain->fingerprint() != over->fingerprint());
  int cell = plain->param_base(rs.find_param("amount_limit"));
  int32_t day = epil::Date::from_ymd(2025, 1, 1)->days();
  CHECK(plain->epoch(plain->epoch_for(day)).cells[cell].value.num == 3000);
  CHECK(over->epoch(over->epoch_for(day)).cells[cell].value.num == 5000);
  const epil::ParamCell& pc = over->epoch(over->epoch_for(day)).cells[cell];
  REQUIRE(pc.provenance >= 0);
  CHECK(over->provenance(pc.provenance).region->id == "proposal");
}

TEST_CASE("config: an overlay file may not take a region's keys") {
  Tree tree;
  tree.write("regions/proposal.yaml", {"overlay: proposal",                   // 1
                                       "name: {zh: 建议方案, en: Proposal}",  // 2
                                       "extends: national"});                 // 3
  const epil::Findings& f = tree.check();
  bool found = false;
  for (const auto& x : f.items()) found |= x.line == 3 && contains(x.message, "extends");
  CHECK_MESSAGE(found, all_findings(f));
}

TEST_CASE("config: a tree without calendars warns that working-day deadlines cannot be computed") {
  fs::path dir = fs::temp_directory_path() / ("epil-nocal-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* sub : {"thresholds", "regions"}) {
    fs::copy(fs::path(EPIL_SOURCE_DIR) / sub, dir / sub, fs::copy_options::recursive);
  }
  Config c = epil::io::read_config_tree(dir.string());
  c.check(kToday);
  std::vector<Finding> w = with_code(c.findings(), "no-calendars");
  REQUIRE_MESSAGE(w.size() == 1, all_findings(c.findings()));
  CHECK(w[0].severity == Severity::kWarning);
  CHECK(contains(w[0].message, "credit"));
  CHECK(c.findings().error_count() == 0);
  // With the calendars the warning is gone and the deadline is computed.
  fs::copy(fs::path(EPIL_SOURCE_DIR) / "calendars", dir / "calendars", fs::copy_options::recursive);
  Config full = epil::io::read_config_tree(dir.string());
  full.check(kToday);
  CHECK(with_code(full.findings(), "no-calendars").empty());
  fs::remove_all(dir);
}
