// End-to-end tests of the epil executable on real files: the commands a prosecutor and a
// provincial official type, in both languages, with their exit codes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_support.h"

namespace fs = std::filesystem;

namespace {

using epil::testing::has;
using epil::testing::run;
using epil::testing::Run;

const std::string kGuangxi =
    "screen --region 广西 --type 水污染 --regional-impact 否 --date 2025-06-01 --as-of 2026-11-28";

// A scratch copy of the shipped configuration tree that a test may break.
struct TreeCopy {
  fs::path dir;
  TreeCopy() {
    dir = fs::temp_directory_path() /
          ("epil-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "thresholds", dir / "thresholds",
             fs::copy_options::recursive);
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "regions", dir / "regions", fs::copy_options::recursive);
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "presentation.yaml", dir / "presentation.yaml");
  }
  ~TreeCopy() { fs::remove_all(dir); }
  static int& counter() {
    static int c = 0;
    return c;
  }
  void replace(const std::string& file, const std::string& from, const std::string& to) {
    fs::path p = dir / file;
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), to);
    std::ofstream(p) << text;
  }
};

}  // namespace

TEST_CASE("screen: 广西 2800 元 is exempt - citing 桂环规范〔2024〕1号 with a 200 元 margin") {
  Run r = run(kGuangxi + " --amount 2800 --persistent-risk 否 --lang zh");
  CHECK(r.code == 0);
  CHECK(has(r.out, "结论：显著轻微"));
  CHECK(has(r.out, "桂环规范〔2024〕1号"));
  CHECK(has(r.out, "2,800 元，低于 3,000 元 的标准 200 元"));
  CHECK(has(r.out, "正式规定"));
  CHECK(has(r.out, "regions/guangxi.yaml:"));
  CHECK(has(r.out, "快速审查"));
}

TEST_CASE("screen: the same case in English") {
  Run r = run(kGuangxi + " --amount 2800 --persistent-risk no --lang en");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Outcome: significantly minor — no suit or claim (exempt)"));
  CHECK(has(r.out, "2,800 元, 200 元 under the 3,000 元 threshold"));
  CHECK(has(r.out, "official"));
}

TEST_CASE("screen: 3500 元 is fit for suit - 500 元 over") {
  Run r = run(kGuangxi + " --amount 3500 --persistent-risk 否 --lang en");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Outcome: fit for suit (suit)"));
  CHECK(has(r.out, "3,500 元, 500 元 over the 3,000 元 threshold"));
}

TEST_CASE("screen: exactly 3000 元 is within the threshold") {
  Run r = run(kGuangxi + " --amount 3000 --persistent-risk 否 --lang en");
  CHECK(has(r.out, "(exempt)"));
  CHECK(has(r.out, "equal to the 3,000 元 threshold"));
}

TEST_CASE("screen: without --persistent-risk the verdict is review - naming the fact") {
  Run zh = run(kGuangxi + " --amount 2800 --lang zh");
  CHECK(zh.code == 0);
  CHECK(has(zh.out, "结论：需人工审查"));
  CHECK(has(zh.out, "存在长期潜在风险 (persistent_risk)"));
  Run en = run(kGuangxi + " --amount 2800 --lang en --format json");
  CHECK(has(en.out, "\"outcome\": \"review\""));
  CHECK(has(en.out, "\"field\": \"persistent_risk\""));
}

TEST_CASE("screen: in a drinking-water source protection area it is suit whatever the amount") {
  for (const char* amount : {"1", "2800", "100000"}) {
    Run r =
        run(kGuangxi +
            " --persistent-risk 否 --protected-area 饮用水水源保护区 --lang zh --amount " + amount);
    CHECK(r.code == 0);
    CHECK(has(r.out, "结论：符合起诉条件"));
    CHECK(has(r.out, "特殊保护区域"));
  }
}

TEST_CASE("screen: JSON result carries the documented fields and a fingerprint") {
  Run r = run(kGuangxi + " --amount 2800 --persistent-risk 否 --format json --case-id 桂检-1");
  CHECK(r.code == 0);
  for (const char* key :
       {"\"case_id\": \"桂检-1\"", "\"outcome\": \"exempt\"", "\"candidates\"", "\"track\": null",
        "\"reasons\"", "\"margin\": -200", "\"threshold\": 3000", "\"status\": \"official\"",
        "\"region\": \"guangxi\"", "\"since\": \"2024-01-10\"", "\"missing\": []", "\"advisories\"",
        "\"thresholds_date\": \"2025-06-01\"",
        "\"temporal_rule\": \"conduct_unless_review_more_lenient\"",
        "\"fingerprint\": \"sha256:"}) {
    CHECK_MESSAGE(has(r.out, key), key);
  }
}

TEST_CASE("screen: a case file with Chinese keys - and flags overriding it") {
  fs::path f = fs::temp_directory_path() / ("epil-case-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(f) << "案件编号: 桂检-2025-7\n地区: 广西壮族自治区\n损害类型: 水污染\n"
                      "损害数额: 0.28万元\n行为发生日期: 2025年6月1日\n区域性生态影响: 否\n"
                      "长期潜在风险: 否\n";
  Run r = run("screen '" + f.string() + "' --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 0);
  CHECK(has(r.out, "桂检-2025-7"));
  CHECK(has(r.out, "结论：显著轻微"));
  Run over = run("screen '" + f.string() + "' --amount 5000 --as-of 2026-11-28 --lang zh");
  CHECK(has(over.out, "结论：符合起诉条件"));
  fs::remove(f);
}

TEST_CASE("screen: input errors name the flag - the value and what was expected - exit 1") {
  Run bad_amount = run(kGuangxi + " --amount 三千 --lang en");
  CHECK(bad_amount.code == 1);
  CHECK(has(bad_amount.out, "--amount"));
  CHECK(has(bad_amount.out, "'三千'"));
  CHECK(has(bad_amount.out, "0.3万元"));
  Run bad_type = run("screen --region 广西 --type 噪声 --lang zh");
  CHECK(bad_type.code == 1);
  CHECK(has(bad_type.out, "'噪声'"));
  CHECK(has(bad_type.out, "水污染"));
  Run bad_region = run("screen --region 火星 --type 水污染 --lang en");
  CHECK(bad_region.code == 1);
  CHECK(has(bad_region.out, "unknown region '火星'"));
  Run bad_flag = run("screen --no-such-flag 1");
  CHECK(bad_flag.code == 1);
  Run missing_file = run("screen /nonexistent/case.yaml");
  CHECK(missing_file.code == 1);
  CHECK(has(missing_file.out, "/nonexistent/case.yaml"));
}

TEST_CASE("regions list / show find 广西 by every name") {
  Run list = run("regions list --lang zh");
  CHECK(list.code == 0);
  CHECK(has(list.out, "guangxi"));
  CHECK(has(list.out, "shaanxi"));
  for (const char* name : {"广西", "广西壮族自治区", "450000", "guangxi", "GUANGXI"}) {
    Run show = run(std::string("regions show ") + name + " --date 2025-06-01 --lang en");
    CHECK_MESSAGE(show.code == 0, name);
    CHECK(has(show.out, "amount_limit[water_pollution]"));
    CHECK(has(show.out, "桂环规范〔2024〕1号"));
  }
  Run json = run("regions show 陕西 --date 2025-06-01 --format json");
  CHECK(json.code == 0);
  CHECK(has(json.out, "\"status\": \"reported\""));
  CHECK(has(json.out, "\"parameter\": \"wastewater_limit\""));
  Run before = run("regions show 广西 --date 2023-06-01 --lang en");
  CHECK(before.code == 0);
  CHECK_FALSE(has(before.out, "桂环规范"));
}

TEST_CASE("regions show --own: only the values the region's own file sets, zh and en") {
  Run zh = run("regions show 陕西 --own --date 2025-06-01 --lang zh");
  CHECK(zh.code == 0);
  CHECK(has(zh.out, "本地区文件 regions/shaanxi.yaml 自设、2025-06-01 施行的参数："));
  CHECK(has(zh.out, "  wastewater_limit"));
  CHECK(has(zh.out, "1,000 吨/年    shaanxi · 据报道（原文未核实） · "));
  CHECK_FALSE(has(zh.out, "national ·"));  // none of the parent's
  CHECK_FALSE(has(zh.out, "[credit]"));    // a ruleset the file sets nothing of
  Run en = run("regions show 陕西 --own --date 2025-06-01 --lang en");
  CHECK(has(en.out, "Parameters its own file regions/shaanxi.yaml sets, in force on 2025-06-01:"));
  CHECK(has(en.out, "shaanxi · reported (text unconfirmed) · "));
  CHECK_FALSE(has(en.out, "national ·"));

  // Values the file sets from a later date are listed as such.
  Run later = run("regions show 广西 --own --date 2023-06-01 --lang en");
  CHECK(has(later.out, "(in force from 2024-01-10, regions/guangxi.yaml:22)"));
  CHECK(has(run("regions show 广西 --own --date 2023-06-01 --lang zh").out,
            "（2024-01-10 起施行，regions/guangxi.yaml:22）"));
  // A file that sets nothing says so.
  CHECK(has(run("regions show 西藏 --own --lang zh").out,
            "（本地区文件未设定任何参数，全部取自上级地区）"));
  CHECK(has(run("regions show 西藏 --own --lang en").out,
            "(its own file sets no parameter: every one comes from the regions above it)"));

  Run json = run("regions show 陕西 --own --date 2025-06-01 --format json");
  CHECK(has(json.out, "\"own\": true"));
  CHECK(has(json.out, "\"region\": \"shaanxi\""));
  CHECK_FALSE(has(json.out, "\"region\": \"national\""));

  CHECK(run("regions show 陕西 --own --overlay judicial_proposal").code == 1);
  CHECK(
      has(run("regions show --help --lang en").out, "only the values the region's own file sets"));
  CHECK(has(run("regions show --help --lang zh").out, "只列出该地区自身文件设定的取值"));
}

TEST_CASE("regions show --own: a city region shows its own file only, not its province's") {
  TreeCopy tree;
  std::ofstream(tree.dir / "regions/nanning.yaml")
      << "region: nanning\n"
         "name: {zh: 南宁市（测试）, en: Nanning (test)}\n"
         "code: \"450100\"\n"
         "extends: guangxi\n"
         "parameters:\n"
         "  epil:\n"
         "    amount_limit:\n"
         "      water_pollution:\n"
         "        - {since: 2025-01-01, value: 2000, status: example, source: 测试数据}\n";
  const std::string config = " --config '" + tree.dir.string() + "'";
  Run own = run("regions show nanning --own --date 2025-06-01 --lang en" + config);
  CHECK_MESSAGE(own.code == 0, own.out);
  CHECK(has(own.out, "nanning → guangxi → national"));
  CHECK(has(own.out, "Parameters its own file "));
  CHECK(has(own.out, "2,000 元       nanning · example (not law) · 测试数据 · 2025-01-01"));
  CHECK_FALSE(has(own.out, "amount_limit[air_pollution]"));  // guangxi's
  CHECK_FALSE(has(own.out, "guangxi ·"));
  Run all = run("regions show nanning --date 2025-06-01 --lang en" + config);
  CHECK(has(all.out, "amount_limit[air_pollution]"));
}

TEST_CASE("test --help and functions --help: options in groups, two examples of their own") {
  Run test_zh = run("test --help --lang zh");
  CHECK(test_zh.code == 0);
  CHECK(has(test_zh.out, "日期 / Dates:\n  --as-of"));
  CHECK(has(test_zh.out, "输出 / Output:\n  -l,--list"));
  CHECK(has(test_zh.out, "示例：\n  epil test --as-of 2026-11-28\n  epil test "));
  CHECK(has(test_zh.out, "未写明审查日期的用例所用的审查日期"));
  CHECK_FALSE(has(test_zh.out, "epil batch"));  // not the program's examples
  Run test_en = run("test --help --lang en");
  CHECK(has(test_en.out, "Examples:\n  epil test --as-of 2026-11-28"));
  CHECK(has(test_en.out, "review date for cases that give none"));
  Run functions = run("functions --help --lang en");
  CHECK(functions.code == 0);
  CHECK(has(functions.out, "输出 / Output:\n  --format"));
  CHECK(has(functions.out,
            "Examples:\n  epil functions --lang zh\n  epil functions --format markdown\n"));
  CHECK(has(run("functions --help --lang zh").out, "text（文本）或 markdown"));
}

TEST_CASE("regions check passes on the shipped tree and names file and line of a broken value") {
  Run ok = run("regions check");
  CHECK(ok.code == 0);
  CHECK(has(ok.out, "0 error(s)"));
  TreeCopy tree;
  Run copy_ok = run("regions check '" + tree.dir.string() + "' --lang en");
  CHECK(copy_ok.code == 0);
  tree.replace("regions/shaanxi.yaml", "value: 0.1,", "value: -5,");
  Run broken = run("regions check '" + tree.dir.string() + "' --lang en");
  CHECK(broken.code == 2);
  CHECK(has(broken.out, "regions/shaanxi.yaml:"));
  CHECK(has(broken.out, "value -5 is outside the allowed range"));
  Run json = run("regions check '" + tree.dir.string() + "' --format json");
  CHECK(has(json.out, "\"code\": \"value-range\""));
}

TEST_CASE(
    "--config and EPIL_CONFIG select another tree - a broken tree stops screening with exit 2") {
  TreeCopy tree;
  tree.replace("regions/guangxi.yaml", "value: 3000", "value: 2000");
  std::string args = " --amount 2800 --persistent-risk 否 --lang en";
  Run shipped = run(kGuangxi + args);
  CHECK(has(shipped.out, "(exempt)"));
  Run via_flag = run(kGuangxi + args + " --config '" + tree.dir.string() + "'");
  CHECK(has(via_flag.out, "Outcome: fit for suit"));
  Run via_env = run(kGuangxi + args, "EPIL_CONFIG='" + tree.dir.string() + "'");
  CHECK(has(via_env.out, "Outcome: fit for suit"));
  CHECK(shipped.out.substr(shipped.out.find("sha256:")) !=
        via_env.out.substr(via_env.out.find("sha256:")));
  tree.replace("thresholds/epil.yaml", "expr: damage_amount <= amount_limit[damage_type]",
               "expr: damage_amount <= amount_limit[damage_kind]");
  Run broken = run(kGuangxi + args + " --config '" + tree.dir.string() + "'");
  CHECK(broken.code == 2);
  CHECK(has(broken.out, "epil.yaml:"));
  CHECK(has(broken.out, "unknown name 'damage_kind'"));
}

TEST_CASE("epil test runs the shipped region test files and reports failures with exit 3") {
  Run ok = run("test --as-of 2026-11-28");
  CHECK(ok.code == 0);
  CHECK(has(ok.out, " passed, 0 failed"));
  // The shipped region test files hold dozens of cases: a run that found none proves nothing.
  CHECK(std::stoi(ok.out.substr(ok.out.rfind('\n', ok.out.size() - 2) + 1)) >= 50);
  fs::path f =
      fs::temp_directory_path() / ("epil-tests-" + std::to_string(::getpid()) + ".test.yaml");
  std::ofstream(f)
      << "region: guangxi\ncases:\n"
         "  - name: wrong on purpose\n    as_of: 2026-11-28\n    input:\n"
         "      conduct_date: 2025-06-01\n      damage_type: 水污染\n"
         "      damage_amount: 3500\n      regional_impact: 否\n      persistent_risk: 否\n"
         "    expect:\n      outcome: exempt\n";
  Run failing = run("test '" + f.string() + "'");
  CHECK(failing.code == 3);
  CHECK(has(failing.out, "outcome: expected exempt, got suit"));
  CHECK(has(failing.out, "0 passed, 1 failed"));
  fs::remove(f);
}

// Help and errors as offices read them (issue 14, item 8).

TEST_CASE("help: usage lines say epil, not the path the binary was started by") {
  Run r = run("screen --help");  // started by its full path
  CHECK(r.code == 0);
  CHECK(has(r.out, "Usage: epil screen [OPTIONS]"));
  CHECK(!has(r.out, "Usage: /"));
}

TEST_CASE("help: credit grade names its words and debtors, not epil screen and cases") {
  Run r = run("credit grade --help");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Usage: epil credit grade [OPTIONS]"));
  CHECK(has(r.out, "失信被执行人"));
  CHECK(has(r.out, "epil credit grade --debtor 公司"));  // its examples, from presentation.yaml
  CHECK(!has(r.out, "Usage: epil screen"));
  CHECK(!has(r.out, "--amount"));
}

TEST_CASE("help: epil --help names both decisions and lists credit among the commands") {
  Run r = run("--help");
  CHECK(r.code == 0);
  CHECK(has(r.out, "环境公益诉讼显著轻微筛查"));
  CHECK(has(r.out, "失信被执行人名单与信用修复"));
  CHECK(has(r.out, "  credit "));
  CHECK(has(r.out, "epil credit grade --debtor"));
}

TEST_CASE("help: an enum's other spellings are shown, from the ruleset") {
  Run r = run("credit grade --help");
  CHECK(has(r.out, "--ground"));
  CHECK(has(r.out, "第一项=refuse_able"));
}

TEST_CASE("help: batch says --ruleset credit and the global options, with two examples") {
  Run r = run("batch --help --lang en");
  CHECK(r.code == 0);
  CHECK(has(r.out, "--ruleset credit"));
  CHECK(has(r.out, "Examples:"));
  CHECK(has(r.out, "--lang, --ruleset, --config"));
}

TEST_CASE("help: options come in groups, with examples, in the language asked for") {
  Run r = run("screen --help --lang zh");
  CHECK(has(r.out, "案件事实 / Case facts:"));
  CHECK(has(r.out, "日期 / Dates:"));
  CHECK(has(r.out, "输出 / Output:"));
  CHECK(has(r.out, "示例："));
}

TEST_CASE("review date: one option with two names, and two different values are an error") {
  Run help = run("screen --help");
  CHECK(has(help.out, "--review-date,--as-of"));
  Run same =
      run(kGuangxi + " --amount 2800 --persistent-risk 否 --review-date 2026-11-28 --lang en");
  CHECK(same.code == 0);
  CHECK(has(same.out, "2026-11-28"));
  Run both =
      run(kGuangxi + " --amount 2800 --persistent-risk 否 --review-date 2026-11-29 --lang zh");
  CHECK(both.code == 1);
  CHECK(has(both.out, "--review-date 与 --as-of"));
  CHECK(has(both.out, "2026-11-28、2026-11-29"));
}

TEST_CASE("review date: batch takes --review-date as screen does") {
  // A reported bug: `epil batch … --review-date D` was refused as an unexpected argument.
  Run help = run("batch --help");
  CHECK(has(help.out, "--review-date,--as-of"));
  Run r = run("batch '" + std::string(EPIL_SOURCE_DIR) +
              "/examples/debtors.csv' --ruleset credit --review-date 2026-11-28 --lang en");
  CHECK(r.code == 0);
  CHECK(!has(r.out, "not expected"));
}

TEST_CASE("parse errors: CLI11's are said in Chinese under --lang zh, with the help hint") {
  Run extra = run("screen --region 广西 --amout 3000 --lang zh");
  CHECK(extra.code == 1);
  CHECK(has(extra.out, "无法识别：--amout"));
  CHECK(has(extra.out, "可用选项见 epil screen --help"));
  CHECK(!has(extra.out, "was not expected"));
  Run twice = run("screen --region 广西 --region 陕西 --lang zh");
  CHECK(twice.code == 1);
  CHECK(has(twice.out, "--region 只能给一次"));
  Run member = run("screen --region 广西 --format pdf --lang zh");
  CHECK(has(member.out, "--format：应为 {text,json,html} 之一，实际为 'pdf'"));
  Run required = run("batch --lang zh");
  CHECK(has(required.out, "缺少 input"));
  CHECK(has(required.out, "epil batch --help"));
  Run convert = run("batch x.csv --threads 二 --lang zh");
  CHECK(has(convert.out, "--threads：无法读取值 '二'"));
  Run en = run("credit grade --debtor 公司 --amout 3 --lang en");
  CHECK(has(en.out, "not expected: --amout"));
  CHECK(has(en.out, "see epil credit grade --help"));
}
