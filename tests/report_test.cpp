// The reports of one case as people read them: the full text report says each threshold's
// citation once and no rule's internal step as a fact, the brief one fits in twelve lines
// without repeating itself, and the JSON names the tests the outcome rests on.
#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.h"

namespace {

using epil::testing::has;
using epil::testing::run;

const std::string kSource = EPIL_SOURCE_DIR;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Every bundled example, as `epil screen` takes it.
std::vector<std::string> examples() {
  std::vector<std::string> out;
  for (const char* f : {"guangxi-water-2800.yaml", "guangxi-incident-evacuation.yaml",
                        "guangxi-plating-heavy-metal.yaml", "shaanxi-dumping-18t.yaml",
                        "shaanxi-air-exceedance-missing.yaml", "national-fishing-3kg.json"}) {
    out.push_back(epil::testing::q(kSource + "/examples/" + f));
  }
  for (const char* f : {"company-refusing.yaml", "deletion-national-day.json", "minor-17.yaml",
                        "unemployed-30pct.yaml"}) {
    out.push_back("--ruleset credit " + epil::testing::q(kSource + "/examples/credit/" + f));
  }
  return out;
}

}  // namespace

TEST_CASE("report: a threshold used by three tests is cited in full once, by number elsewhere") {
  const auto r = run("screen " + epil::testing::q(kSource + "/examples/guangxi-water-2800.yaml") +
                     " --as-of 2026-12-01 --lang en");
  REQUIRE(r.code == 0);
  // amount_within, amount_dimension and threshold_in_force all use 桂环规范〔2024〕1号's limit.
  CHECK(count(r.out, "regions/guangxi.yaml:22") == 1);
  CHECK(count(r.out, "minor-damage amount limit[water pollution] = 3,000 元 [") == 2);
  CHECK(has(r.out, "2,800 元, 200 元 under the 3,000 元 threshold [2]\n"));
  CHECK(has(r.out, "Thresholds cited:\n  [1] repeat window = 24 months · National default"));
}

TEST_CASE("report: the rules' own steps are not listed as facts; facts not given are named") {
  const auto zh = run("screen " + epil::testing::q(kSource + "/examples/guangxi-water-2800.yaml") +
                      " --as-of 2026-12-01 --lang zh");
  REQUIRE(zh.code == 0);
  CHECK_FALSE(has(zh.out, "本地区对该损害类型有显著轻微标准 ="));
  CHECK_FALSE(has(zh.out, "所填数据已达较大突发环境事件标准 ="));
  CHECK_FALSE(has(zh.out, "两年内再次违法（认定） ="));
  CHECK(has(
      zh.out,
      "      未提供：突发环境事件等级；死亡人数；中毒或重伤人数；疏散转移人数；直接经济损失\n"));
}

TEST_CASE("report: a period's open end is explained once, not after every date") {
  const auto r = run("screen --ruleset credit " +
                     epil::testing::q(kSource + "/examples/credit/company-refusing.yaml") +
                     " --as-of 2026-12-01 --lang zh");
  REQUIRE(r.code == 0);
  CHECK(count(r.out, "实际日期可能更晚") == 1);
  CHECK(has(r.out, "注：本配置未收录 2027、2029 年的节假日安排"));
  CHECK(has(r.out, "不早于 2027-05-10（2027 年节假日安排未收录）"));
}

TEST_CASE("report: --brief fits in twelve lines, repeats no line, and keeps the verdict") {
  for (const std::string& args : examples()) {
    for (const char* lang : {"zh", "en"}) {
      CAPTURE(args);
      CAPTURE(lang);
      const auto r = run("screen " + args + " --as-of 2026-12-01 --brief --lang " + lang);
      REQUIRE((r.code == 0 || r.code == 3));
      const auto lines = lines_of(r.out);
      CHECK(lines.size() <= 12);
      CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == lines.size());
      const auto full = run("screen " + args + " --as-of 2026-12-01 --lang " + lang);
      // The outcome line is the full report's, word for word.
      REQUIRE(lines.size() >= 2);
      CHECK(has(full.out, "\n" + lines[1] + "\n"));
    }
  }
}

TEST_CASE("report: --brief shows the deciding test with its margin and its source") {
  const auto r = run("screen " + epil::testing::q(kSource + "/examples/guangxi-water-2800.yaml") +
                     " --as-of 2026-12-01 --brief --lang zh");
  CHECK(has(r.out, "  ✓ 损害数额在标准以内：2,800 元，低于 3,000 元 的标准 200 元 [1]\n"));
  CHECK(
      has(r.out,
          "  [1] 显著轻微损害数额上限[水污染] = 3,000 元 · 桂环规范〔2024〕1号 第三条 · 正式规定 · "
          "自 2024-01-10 起施行\n"));
}

TEST_CASE("report: JSON names the tests the deciding entry read, then the earlier entries'") {
  const auto r =
      run("screen " + epil::testing::q(kSource + "/examples/guangxi-incident-evacuation.yaml") +
          " --as-of 2026-12-01 --format json");
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "\"decided_by\": \"larger_incident\""));
  CHECK(has(r.out, "\"deciding_tests\": [\n    \"larger_incident\"\n  ],"));
  // The only entry before it reads the protected-area test.
  CHECK(has(r.out, "\"earlier_tests\": [\n    \"protected_area_test\"\n  ],"));
}

TEST_CASE("report: --format html escapes what the case gives and shows every part") {
  const auto r = run("screen " + epil::testing::q(kSource + "/examples/guangxi-water-2800.yaml") +
                     " --case-id '<script>alert(\"x\")</script> & Co' --as-of 2026-12-01"
                     " --format html --lang zh");
  REQUIRE(r.code == 0);
  CHECK_FALSE(has(r.out, "<script>"));
  CHECK(has(r.out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
  CHECK(has(r.out, "<html lang=\"zh-CN\">"));
  // The facts as given, the verdict, the threshold with its source and status, the review
  // date, the fingerprint and the version.
  CHECK(has(r.out, "<th>生态环境损害数额</th><td>2,800 元</td>"));
  CHECK(has(r.out, "显著轻微（可不起诉/不启动索赔）"));
  CHECK(has(r.out, "桂环规范〔2024〕1号 第三条"));
  CHECK(has(r.out, "<td class=\"status-official\">正式规定</td>"));
  CHECK(has(r.out, "<th>审查日期</th><td>2026-12-01</td>"));
  CHECK(has(r.out, "<code>sha256:"));
  CHECK(has(r.out, "<p>epil 0."));
}

TEST_CASE("report: --brief goes with text only") {
  const auto r = run("screen " + epil::testing::q(kSource + "/examples/guangxi-water-2800.yaml") +
                     " --format json --brief --lang zh");
  CHECK(r.code == 1);
  CHECK(has(r.out, "--brief 只用于文本结果（--format text），不能与 --format json 同用"));
}

TEST_CASE("values: an estimate is read, not decided on; it matters only where it decides") {
  const std::string gx =
      "screen --region 广西 --type 水污染 --regional-impact 否 --persistent-risk 否 "
      "--date 2025-06-01 --as-of 2026-12-01 --lang zh --amount 约3000元";
  // The amount decides between exempt and suit: left for review, naming it.
  const auto review = run(gx);
  CHECK(review.code == 0);
  CHECK(has(review.out, "结论：需人工审查（review）"));
  CHECK(has(review.out, "给出但不确定、未作为事实：生态环境损害数额 = 约 3,000 元（约数）"));
  CHECK(has(review.out, "  - 生态环境损害数额 (damage_amount)"));
  // Inside an ecological red line the amount does not matter: suit.
  const auto suit = run(gx + " --protected-area 生态保护红线");
  CHECK(has(suit.out, "结论：符合起诉条件（suit）"));
  // A date given to the month: read, shown as given, not a refusal.
  const auto month =
      run("screen --region 广西 --type 水污染 --regional-impact 否 --persistent-risk 否 "
          "--amount 2800 --date 2025年6月 --as-of 2026-12-01 --lang en --format json");
  CHECK(has(month.out, "\"given\": \"2025-06 (day not known)\""));
  CHECK(has(month.out,
            "The conduct date was given only as 2025-06 (day not known), so thresholds "
            "in force on the review date 2026-12-01 were used"));
  // 不清楚 is "not known", not a refused value.
  const auto unclear =
      run("screen --region 广西 --type 水污染 --regional-impact 不清楚 --persistent-risk 否 "
          "--amount 2800 --date 2025-06-01 --as-of 2026-12-01 --lang zh --brief");
  CHECK(has(unclear.out, "缺少的事实：造成区域性生态影响"));
  // 17周岁 is 17.
  const auto minor =
      run("credit grade --debtor 个人 --age 17周岁 --ground 第一项 --as-of 2026-12-01 --lang zh");
  CHECK(has(minor.out, "结论：不予纳入失信名单（not_listed）"));
}
