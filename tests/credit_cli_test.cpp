// End-to-end tests of `epil credit grade` and `epil batch --ruleset credit` on real files: the
// done-when cases of the credit issue as a judge would type them, in 中文 and English.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_support.h"
#include "xlsx_xml.h"

using epil::testing::has;
using epil::testing::run;
using epil::testing::Run;
using epil::testing::Scratch;

namespace {

const std::string kAsOf = " --as-of 2026-11-28";

}  // namespace

TEST_CASE("credit grade: a 17-year-old is not listed - citing art. 4") {
  Run r = run("credit grade --debtor 自然人 --age 17 --lang zh" + kAsOf);
  CHECK(r.code == 0);
  CHECK(has(r.out, "结论：不予纳入失信名单（not_listed）"));
  // 失信 or 失能 is not a question for a minor: not shown.
  CHECK_FALSE(has(r.out, "失信/失能认定"));
  CHECK(has(r.out, "法释〔2017〕7号第四条"));
  Run en = run("credit grade --debtor person --age 17 --lang en" + kAsOf);
  CHECK(has(en.out, "may not be listed (法释〔2017〕7号 art. 4)"));
}

TEST_CASE(
    "credit grade: a company refusing 2000000 元 is 失信 - serious - published 2027-05-10 to "
    "2029-05-10") {
  Run r =
      run("credit grade --debtor 公司 --able 是 --debt 2000000 --performed 0 --ground '(一)' "
          "--decided 2026-05-10 --lang zh" +
          kAsOf);
  CHECK(r.code == 0);
  CHECK(has(r.out, "结论：纳入失信被执行人名单（listed）"));
  CHECK(has(r.out, "失信/失能认定：失信（能履行而不履行）"));
  CHECK(has(r.out, "失信等级：严重"));
  // 2027 and 2029 have no shipped holiday arrangement: the dates are the earliest they can be.
  CHECK(has(r.out, "最短公示期届满日（最早可申请修复）：不早于 2027-05-10"));
  CHECK(has(r.out, "公示期最长届满日（自动停止公示）：不早于 2029-05-10"));
  CHECK(has(r.out, "信用修复：尚不具备修复条件"));
  // Each threshold with its document and status; the example amount is labelled as such.
  CHECK(has(r.out, "国家发展改革委令第36号"));
  CHECK(has(r.out, "示例数值（非正式规定）"));
  Run json =
      run("credit grade --debtor 公司 --able 是 --debt 2000000 --performed 0 --ground '(一)' "
          "--decided 2026-05-10 --format json" +
          kAsOf);
  CHECK(has(json.out, "\"publicity_min_end\": {"));
  CHECK(has(json.out, "\"value\": \"2027-05-10\""));
  CHECK(has(json.out, "\"repair\": \"not_eligible\""));
}

TEST_CASE(
    "credit grade: unemployed - 30 percent performed - 失能 and not listed; without the ground "
    "undetermined") {
  Run r =
      run("credit grade --debtor 个人 --inability 失业 --debt 100000 --performed 30000 "
          "--ground '(一)' --lang en" +
          kAsOf);
  CHECK(r.code == 0);
  CHECK(has(r.out, "Outcome: not listed (not_listed)"));
  CHECK(has(r.out, "art. 3 item 4"));
  CHECK(has(r.out, "失能 — unable"));
  Run blank =
      run("credit grade --debtor 个人 --inability 失业 --debt 100000 --performed 30000 "
          "--lang en" +
          kAsOf);
  CHECK(blank.code == 0);
  CHECK(has(blank.out, "Outcome: undetermined — facts missing (undetermined)"));
  CHECK(has(blank.out, "listing ground (listing_ground)"));
  CHECK(has(blank.out, "able to perform (able_to_perform)"));
}

TEST_CASE("credit grade: deletion deadlines follow the State Council calendar with 调休") {
  // A company listed on ground (一) on 2025-01-10 that has since performed in full.
  const std::string performed =
      "credit grade --debtor 公司 --ground 第一项 --decided 2025-01-10 --deletion-event 履行完毕";
  Run a = run(performed + " --event-date 2026-09-30 --lang zh" + kAsOf);
  CHECK(has(a.out, "删除信息最迟日期：2026-10-10"));
  Run b = run(performed + " --event-date 2026-09-18 --lang en" + kAsOf);
  CHECK(has(b.out, "deletion due by: 2026-09-22"));
  Run c = run(performed + " --event-date 2026-12-30 --lang en --as-of 2026-12-31");
  // 2027's arrangement is not shipped: 1 January is a rest day in any year (放假办法第二条), the
  // other days may or may not be: the earliest the deadline can be, said to be so.
  CHECK(has(c.out, "deletion due by: 2027-01-03 or later (2027 holidays not shipped)"));
  CHECK(has(c.out, "Note: this configuration does not ship the holiday arrangements of 2027"));
  // An event after the review date is an input error (as a conduct date after it is).
  Run late = run(performed + " --event-date 2026-12-30 --lang zh" + kAsOf);
  CHECK(late.code == 1);
  CHECK(has(late.out, "删除事由发生日期晚于审查日期"));
  Run decided_late =
      run("credit grade --debtor 公司 --ground 第一项 --able 是 --debt 1000 --decided 2026-12-01 "
          "--lang en" +
          kAsOf);
  CHECK(decided_late.code == 1);
  CHECK(has(decided_late.out, "the listing decision date is later than the review date"));
}

TEST_CASE(
    "credit grade: --overlay judicial_proposal shortens the general window and says it is a "
    "proposal") {
  std::string debtor =
      "credit grade --debtor 个人 --age 30 --ground '(五)' --able 是 --debt 20000 "
      "--performed 5000 --decided 2026-05-10 --lang en" +
      kAsOf;
  Run law = run(debtor);
  CHECK(has(law.out, "publicity stops at the latest: 2027-05-10"));
  Run proposal = run(debtor + " --overlay judicial_proposal");
  CHECK(proposal.code == 0);
  CHECK(has(proposal.out, "publicity stops at the latest: 2026-11-10"));
  CHECK(has(proposal.out, "proposed (not law)"));
  Run bad = run(debtor + " --overlay nonesuch");
  CHECK(bad.code == 1);
  CHECK(has(bad.out, "judicial_proposal"));
}

TEST_CASE("batch --ruleset credit: Chinese headers - no region column - results as columns") {
  Scratch s;
  {
    std::ofstream f(s.dir / "debtors.csv", std::ios::binary);
    f << "案号,被执行人类型,年龄,纳入情形,有履行能力,失能原因,执行标的金额,已履行金额,纳入决定日期,"
         "第十条删除事由,删除事由发生日期\n"
         "A1,公司,,(一),是,,2000000,0,2026-05-10,,\n"
         "A2,个人,17,,,,50000,0,,,\n"
         "A3,公司,,(一),是,,800000,800000,2026-01-05,已履行,2026-09-30\n"
         "A4,个人,十七,(一),是,,1000,0,2026-05-10,,\n";
  }
  std::string out = (s.dir / "out.csv").string();
  Run r = run("batch " + (s.dir / "debtors.csv").string() + " --ruleset credit -o " + out +
              " --lang zh" + kAsOf);
  CHECK(r.code == 3);  // row A4's age cannot be read; the others are screened
  std::ifstream in(out, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(has(text, "最短公示期届满日（最早可申请修复）"));
  CHECK(has(text, "A1,公司,,(一),是,,2000000,0,2026-05-10,,,listed,纳入失信被执行人名单"));
  // 2027 and 2029 have no shipped holiday arrangement: the earliest dates, said to be so.
  CHECK(has(text, "不早于 2027-05-10,不早于 2029-05-10"));
  CHECK(has(text, "严重（依据示例数值、默认值“积极配合执行 = 否”，须核实）"));
  CHECK(has(text, "A2,个人,17,,,,50000,0,,,,not_listed"));
  // A ground (一) listing performed in full is to be deleted within 3 working days.
  CHECK(has(text, "A3,公司,,(一),是,,800000,800000,2026-01-05,已履行,2026-09-30,to_delete"));
  CHECK(has(text, "2026-10-10"));
  CHECK(has(r.out, "第 5 行第 3 列（年龄）"));
}

TEST_CASE("credit grade: the bundled debtor examples give their documented outcomes") {
  const std::string dir = std::string(EPIL_SOURCE_DIR) + "/examples/";
  struct Case {
    const char* file;
    const char* outcome;
    const char* detail;
  };
  for (const Case& c :
       {Case{"credit/company-refusing.yaml", "(listed)", "2029-05-10"},
        Case{"credit/unemployed-30pct.yaml", "(not_listed)", "art. 3 item 4"},
        Case{"credit/minor-17.yaml", "(not_listed)", "art. 4"},
        Case{"credit/deletion-national-day.json", "(to_delete)", "deletion due by: 2026-10-10"}}) {
    CAPTURE(c.file);
    Run r = run("credit grade '" + dir + c.file + "' --lang en" + kAsOf);
    CHECK(r.code == 0);
    CHECK(has(r.out, c.outcome));
    CHECK(has(r.out, c.detail));
  }
  Run b = run("batch '" + dir + "debtors.csv' --ruleset credit -o - --lang en" + kAsOf);
  CHECK(b.code == 0);
  CHECK(has(b.out, "8 rows in"));
  CHECK(has(b.out,
            "not listed 2, grace period first — not listed yet 1, "
            "listed as a dishonest debtor 4, undetermined — facts missing 1"));
}

TEST_CASE(
    "credit grade: the grace period's length is the court's, 1 to 3 months, refused otherwise with "
    "the article") {
  Run ok = run(
      "credit grade --debtor 公司 --ground 第一项 --able 是 --debt 100000 --performed 0 --grace 是 "
      "--grace-months 2 --set 宽限期起始日期=2026-11-01 --lang zh" +
      kAsOf);
  CHECK(ok.code == 0);
  CHECK(has(ok.out, "结论：先给予宽限期，暂不纳入（grace）"));
  // 2026-11-01 + 2 months = 2027-01-01, 元旦 in any year: at the earliest 01-02.
  CHECK(has(ok.out, "宽限期届满日：不早于 2027-01-02"));
  Run bad =
      run("credit grade --debtor 公司 --ground 第一项 --able 是 --debt 100000 --grace 是 "
          "--grace-months 4 --lang zh" +
          kAsOf);
  CHECK(bad.code == 1);
  CHECK(has(bad.out, "实际为 '4'；法发〔2019〕35号第15条：可以给予一至三个月的宽限期"));
}

TEST_CASE("batch --ruleset credit: 未履行金额 is not read as the amount owed") {
  // What is left unperformed is not the amount owed once part is performed: read as it, a
  // debtor who performed 300,000 of 1,000,000 would have performed 43% of "700,000".
  Scratch s;
  {
    std::ofstream f(s.dir / "list.csv", std::ios::binary);
    f << "案号,被执行人类型,年龄,纳入情形,有履行能力,已履行部分,未履行金额,纳入决定日期\n"
         "B1,个人,40,违反财产报告制度的,是,300000,700000,2026-05-10\n";
  }
  const std::string out = (s.dir / "out.csv").string();
  Run r = run("batch " + (s.dir / "list.csv").string() + " --ruleset credit -o " + out +
              " --lang zh" + kAsOf);
  // It is the amount unperformed: with the amount performed, the amount owed (1,000,000).
  CHECK(!has(r.out, "第 7 列 '未履行金额'"));
  const std::string text = epil::testing::read_bytes(out);
  // The published list's phrase of 第一条第（四）项 and its 已履行部分 column are read.
  CHECK(has(text, "B1,个人,40,违反财产报告制度的,是,300000,700000,2026-05-10,listed"));
}

namespace {

// The published 失信被执行人 list's columns, as courts publish it: no debtor type, no decision
// date, the amount owed as performed + unperformed.
const std::string kPublishedHeader =
    "被执行人姓名/名称,性别,年龄,身份证号码/组织机构代码,执行法院,省份,执行依据文号,立案时间,案号,"
    "做出执行依据单位,生效法律文书确定的义务,被执行人的履行情况,失信被执行人行为具体情形,发布时间,"
    "已履行部分,未履行部分\n";

std::string published_list(const Scratch& s) {
  const std::string path = (s.dir / "list.csv").string();
  std::ofstream f(path, std::ios::binary);
  f << kPublishedHeader
    << "张某某,男,45,4501031980****1234,南宁市青秀区人民法院,广西,（2024）桂0103民初1234号,"
       "2025年03月10日,（2025）桂0103执1234号,南宁市青秀区人民法院,支付货款1500000元,全部未履行,"
       "有履行能力而拒不履行生效法律文书确定义务,2025年06月20日,0,1500000\n"
       "南宁某某贸易有限公司,,,91450100MA5K00000B,南宁市中级人民法院,广西,（2024）桂01民初88号,"
       "2025年02月01日,（2025）桂01执55号,南宁市中级人民法院,支付款项500000元,部分未履行,"
       "违反财产报告制度,2025年05月15日,100000,400000\n"
       "李某,女,17,4501052008****2345,桂林市七星区人民法院,广西,（2025）桂0305民初9号,"
       "2025年04月01日,"
       "（2025）桂0305执77号,桂林市七星区人民法院,赔偿8000元,全部未履行,"
       "有履行能力而拒不履行生效法律文书确定义务,2025年07月01日,0,8000\n";
  return path;
}

}  // namespace

TEST_CASE("batch --ruleset credit: the published list grades without --map (issue 14 done-when)") {
  Scratch s;
  const std::string in = published_list(s), out = (s.dir / "out.csv").string();
  Run r = run("batch " + in + " --ruleset credit -o " + out + " --lang zh" + kAsOf);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "共 3 行"));
  CHECK(has(r.out, "按被执行人类型：自然人 2，法人或非法人组织 1"));
  const std::string text = epil::testing::read_bytes(out);
  // A person refusing with ability, 1,500,000 owed, nothing performed: listed, 严重; the
  // decision date taken from the publication date, and ability from the (一) listing, said.
  CHECK(has(text, "张某某,男,45,4501031980****1234"));
  CHECK(has(text, "listed,纳入失信被执行人名单"));
  CHECK(has(text, "默认值“有履行能力 = 是”"));
  CHECK(has(text, ",严重"));
  // The company breaking the property-report duty: its type from the name and the code; its
  // two-year period counted from the publication date, said.
  CHECK(has(text, "91450100MA5K00000B,南宁市中级人民法院"));
  CHECK(has(text, "默认值“纳入决定日期 = 发布日期”"));
  // The 17-year-old: not listed (第四条).
  CHECK(has(text, "2025年07月01日,0,8000,not_listed,不予纳入失信名单,"));
  // The court's descriptive columns are carried through, not read; 履行情况 is checked against
  // the amounts (部分未履行 with 100,000 of 500,000 performed: nothing said).
  CHECK(has(text, "支付款项500000元,部分未履行"));
  CHECK_FALSE(has(text, "履行情况与已履行金额、执行标的金额不符"));
  CHECK_FALSE(has(r.out, "被执行人的履行情况"));  // not an unmatched column
}

TEST_CASE(
    "batch --ruleset credit: --mask-ids masks the ID column in CSV and XLSX, reads it whole") {
  Scratch s;
  const std::string in = published_list(s);
  const std::string csv = (s.dir / "out.csv").string(), xlsx = (s.dir / "out.xlsx").string();
  Run r = run("batch " + in + " --ruleset credit --mask-ids -o " + csv + " --lang zh" + kAsOf);
  REQUIRE(r.code == 0);
  const std::string text = epil::testing::read_bytes(csv);
  CHECK(has(text, "南宁某某贸易有限公司,,,914501********000B,"));
  CHECK_FALSE(has(text, "91450100MA5K00000B"));
  CHECK(has(text, "张某某,男,45,450103********1234,"));
  Run x = run("batch " + in + " --ruleset credit --mask-ids -o " + xlsx + " --lang zh" + kAsOf);
  REQUIRE(x.code == 0);
  const std::string strings = epil::testing::zip_member(xlsx, "xl/sharedStrings.xml") +
                              epil::testing::zip_member(xlsx, "xl/worksheets/sheet1.xml");
  CHECK(has(strings, "914501********000B"));
  CHECK_FALSE(has(strings, "91450100MA5K00000B"));
  CHECK_FALSE(has(strings, "4501031980"));
  // A sheet without an ID column: masking cannot be done, and nothing is written.
  Run none = run("batch " + std::string(EPIL_SOURCE_DIR) +
                 "/examples/debtors.csv --ruleset "
                 "credit --mask-ids -o " +
                 (s.dir / "none.csv").string() + " --lang zh" + kAsOf);
  CHECK(none.code == 1);
  CHECK(has(none.out, "--mask-ids：表中没有可识别的证件号码列"));
  CHECK_FALSE(std::filesystem::exists(s.dir / "none.csv"));
}

TEST_CASE(
    "batch --ruleset credit: the ID number gives the type and the age; contradictions are errors") {
  Scratch s;
  const std::string in = (s.dir / "ids.csv").string(), out = (s.dir / "out.csv").string();
  {
    std::ofstream f(in, std::ios::binary);
    f << "案号,被执行人,证件号码,被执行人类型,纳入情形,执行标的金额,已履行部分,未履行部分,"
         "纳入决定日期\n"
         // Born 2008-07-01: 16 on the decision date, a minor whatever the review date.
         "A1,王某,11010120080701001X,,第四项,50000,0,50000,2025-06-01\n"
         // The same person given as a company: the ID says otherwise.
         "A2,王某,11010120080701001X,公司,第四项,50000,0,50000,2025-06-01\n"
         // 50,000 owed is not 10,000 + 30,000.
         "A3,某某厂,,,第四项,50000,10000,30000,2025-06-01\n"
         // A check digit that fails says nothing: the type is missing.
         "A4,王某,110101200807010014,,第四项,50000,0,50000,2025-06-01\n";
  }
  Run r = run("batch " + in + " --ruleset credit -o " + out + " --lang zh" + kAsOf);
  REQUIRE(r.code == 3);  // rows that could not be read
  const std::string text = epil::testing::read_bytes(out);
  CHECK(has(text, "A1,王某,11010120080701001X,,第四项,50000,0,50000,2025-06-01,not_listed"));
  CHECK(has(text, "被执行人类型为“法人或非法人组织”，而证件号码显示为“自然人”，两者矛盾，请核实"));
  CHECK(has(text, "执行标的金额（50,000）不等于已履行金额、未履行金额之和（40,000）"));
  CHECK(has(text, "A4,王某,110101200807010014,,第四项,50000,0,50000,2025-06-01,undetermined"));
  // No message quotes an ID number, even from a column mapped to the wrong field.
  CHECK_FALSE(has(r.out, "11010120080701001X"));
  Run mapped = run("batch " + in + " --ruleset credit --map '证件号码=age' -o " +
                   (s.dir / "mapped.csv").string() + " --lang en" + kAsOf);
  CHECK(has(mapped.out, "110101********001X"));
  CHECK_FALSE(has(mapped.out, "11010120080701001X"));
}

TEST_CASE("credit grade: a case file gives the list's name and ID number") {
  Scratch s;
  const std::string path = (s.dir / "debtor.yaml").string();
  {
    std::ofstream f(path, std::ios::binary);
    f << "被执行人姓名/名称: 王某\n身份证号码: 11010120080701001X\n"
         "失信被执行人行为具体情形: 违反财产报告制度\n立案时间: 2025-03-01\n发布时间: 2025-06-01\n"
         "已履行部分: 0\n未履行部分: 50000\n";
  }
  Run r = run("credit grade " + path + " --lang zh" + kAsOf);
  CHECK(r.code == 0);
  // 16 on every day from the filing to the publication: a minor.
  CHECK(has(r.out, "结论：不予纳入失信名单（not_listed）"));
  CHECK_FALSE(has(r.out, "11010120080701001X"));
}

TEST_CASE(
    "batch --ruleset credit: a type read from the ID is never taken from another row's shape") {
  // Found while finishing issue 14: an input no column holds was taken as constant by the
  // shape reuse, so once the type came from the ID column, the company in row B was given the
  // decision of the minor in row A (not listed). Both rows must read as evaluated alone.
  Scratch s;
  const std::string in = (s.dir / "shp.csv").string();
  {
    std::ofstream f(in, std::ios::binary);
    f << "案号,证件号码,年龄,纳入情形,有履行能力,执行标的金额,已履行部分,纳入决定日期\n"
         "A,11010120080701001X,17,第四项,是,50000,0,2026-05-01\n"
         "B,91450100MA5K00000B,17,第四项,是,50000,0,2026-05-01\n"
         "C,南宁某某有限公司,17,第四项,是,50000,0,2026-05-01\n";
  }
  const std::string reused = (s.dir / "a.csv").string(), alone = (s.dir / "b.csv").string();
  REQUIRE(run("batch " + in + " --ruleset credit -o " + reused + kAsOf).code == 0);
  REQUIRE(run("batch " + in + " --ruleset credit --evaluate-each-row -o " + alone + kAsOf).code ==
          0);
  const std::string text = epil::testing::read_bytes(reused);
  CHECK(text == epil::testing::read_bytes(alone));
  CHECK(has(text, "A,11010120080701001X,17,第四项,是,50000,0,2026-05-01,not_listed"));
  CHECK(has(text, "B,91450100MA5K00000B,17,第四项,是,50000,0,2026-05-01,listed"));
}

TEST_CASE(
    "batch --ruleset credit: a name's ending says organisation only where no age says a person") {
  // A 17-year-old's shop (某某加工厂, a 个体工商户's kind of name) read as an organisation would
  // be listed: with an age given, the type stays to be given.
  Scratch s;
  const std::string in = (s.dir / "names.csv").string(), out = (s.dir / "out.csv").string();
  {
    std::ofstream f(in, std::ios::binary);
    f << "案号,被执行人,年龄,纳入情形,有履行能力,执行标的金额,已履行部分,纳入决定日期\n"
         "X,某某加工厂,17,第四项,是,50000,0,2026-05-01\n"
         "Y,南宁某某贸易有限公司,,第四项,是,50000,0,2026-05-01\n";
  }
  REQUIRE(run("batch " + in + " --ruleset credit -o " + out + kAsOf).code == 0);
  const std::string text = epil::testing::read_bytes(out);
  CHECK(has(text, "X,某某加工厂,17,第四项,是,50000,0,2026-05-01,undetermined"));
  CHECK(has(text, "Y,南宁某某贸易有限公司,,第四项,是,50000,0,2026-05-01,listed"));
}
