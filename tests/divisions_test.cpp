// Tests for core/divisions.h and Config::find_place: a place as a ledger writes it (a code, a
// full name, a short one, a prefecture and county) finds its region; an ambiguous name is an
// error naming every candidate; the shipped list is well formed and carries its source; and
// `epil screen` and `epil batch` screen such places under the region they lie in.
#include "core/divisions.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_support.h"
#include "core/config.h"
#include "core/embedded.h"

namespace {

using epil::Config;
using epil::ConfigFile;
using epil::Division;
using epil::Divisions;
using epil::Findings;
using namespace epil::testing;

// A small list in the shipped file's form: two provinces with prefectures, a municipality, and
// the names the tests need to be ambiguous (朝阳区, 通州区) or short (南宁, 广西).
const std::string kHeader = R"(edition: 2023
source:
  document: 测试用行政区划代码
  url: https://example.org/
status: example
last_checked: 2026-12-07
short_names:
  suffixes: [自治区, 自治县, 省, 市, 县, 区]
  designations: [壮族, 瑶族, 蒙古族, 藏族]
divisions: |
)";
const std::string kList = R"(  110000 北京市
  110105 朝阳区
  110112 通州区
  220000 吉林省
  220100 长春市
  220104 朝阳区
  320000 江苏省
  320600 南通市
  320612 通州区
  450000 广西壮族自治区
  450100 南宁市
  450300 桂林市
  450325 兴安县
  450332 恭城瑶族自治县
)";

Divisions small(Findings& f, const std::string& list = kList) {
  return Divisions::load(kHeader + list, "divisions/test.yaml", f);
}

std::vector<std::string> codes(const std::vector<const Division*>& found) {
  std::vector<std::string> out;
  for (const Division* d : found) out.emplace_back(d->code);
  return out;
}

using Codes = std::vector<std::string>;

TEST_CASE("divisions: a place as written finds its division - or every candidate") {
  Findings f;
  const Divisions d = small(f);
  REQUIRE(f.items().empty());
  const struct {
    const char* place;
    Codes want;
  } cases[] = {
      {"450325", {"450325"}},                // a code
      {"450100", {"450100"}},                // a prefecture's code
      {"459999", {}},                        // six digits not in the list
      {"广西壮族自治区南宁市", {"450100"}},  // full names from the top
      {"广西南宁市", {"450100"}},            // the province short
      {"广西南宁", {"450100"}},              // both short
      {"南宁市", {"450100"}},                // a prefecture alone
      {"南宁", {"450100"}},                  // and short
      {"桂林市兴安县", {"450325"}},          // prefecture and county
      {"桂林兴安", {"450325"}},
      {"兴安县", {"450325"}},                      // a county alone
      {"广西壮族自治区桂林市兴安县", {"450325"}},  // all three
      {"恭城", {"450332"}},                        // an autonomous county without its designation
      {" 桂林市 兴安县 ", {"450325"}},             // spaces as people type them
      {"朝阳区", {"110105", "220104"}},            // ambiguous: Beijing and 长春
      {"北京市朝阳区", {"110105"}},
      {"长春市朝阳区", {"220104"}},
      {"吉林省朝阳区", {"220104"}},
      {"通州区", {"110112", "320612"}},
      {"南通市通州区", {"320612"}},
      {"南宁市兴安县", {}},  // 兴安县 is not in 南宁市
      {"兴安县桂林市", {}},  // names go from the top down
      {"火星", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.place);
    CHECK(codes(d.find(c.place)) == c.want);
  }
}

TEST_CASE("divisions: a full name wins over a short form of another") {
  Findings f;
  // 河南 is the short form of both 河南省 and 河南蒙古族自治县 (in 青海); 河南省 as written
  // names only the province.
  const Divisions d = small(f, kList +
                                   "  410000 河南省\n  630000 青海省\n  632300 黄南藏族自治州\n"
                                   "  632324 河南蒙古族自治县\n");
  REQUIRE(f.items().empty());
  CHECK(codes(d.find("河南省")) == Codes{"410000"});
  CHECK(codes(d.find("河南")) == Codes{"410000", "632324"});
}

TEST_CASE("divisions: short forms drop the suffix and an autonomous area's designations") {
  const std::vector<std::string> suffixes{"特别行政区", "自治区", "自治州", "自治县", "地区",
                                          "省",         "市",     "县",     "区"};
  const std::vector<std::string> designations{"壮族", "维吾尔", "蒙古族", "蒙古",
                                              "苗族", "侗族",   "回族",   "达斡尔族"};
  const struct {
    const char* name;
    const char* want;
  } cases[] = {
      {"广西壮族自治区", "广西"},
      {"新疆维吾尔自治区", "新疆"},
      {"内蒙古自治区", "内蒙古"},  // 蒙古 is not dropped: 内 alone is no name
      {"黔东南苗族侗族自治州", "黔东南"},
      {"梅里斯达斡尔族区", "梅里斯"},  // a district named for its people
      {"回民区", "回民"},              // not a designation
      {"南宁市", "南宁"},
      {"阿克苏地区", "阿克苏"},
      {"赵县", ""},  // one character left: no short form
      {"城区", ""},
      {"北京", ""},  // nothing to drop
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(std::string(epil::short_name(c.name, suffixes, designations)) == c.want);
  }
}

TEST_CASE("divisions: where a division lies - and the nearest name to a near miss") {
  Findings f;
  const Divisions d = small(f);
  auto nearest = [&](const char* place) {
    epil::NearestName n(place);
    for (const Division& x : d.list()) n.offer(x.name);
    return n.name();
  };
  CHECK(nearest("兴按县") == "兴安县");
  CHECK(nearest("南宁市") == "南宁市");
  CHECK(nearest("火星基地") == "");
  CHECK(d.full_name(*d.find_code("450325")) == "广西壮族自治区桂林市兴安县");
  CHECK(d.above(*d.find_code("110105")) == "北京市");
  CHECK(d.above(*d.find_code("450000")) == "");
}

TEST_CASE("divisions: a broken list is reported at file and line - the good entries kept") {
  Findings f;
  const Divisions d = small(f, kList + "  45032 短码\n  450325 兴安县\n  460100 海口市\n");
  const std::string all = [&] {
    std::string s;
    for (const auto& x : f.items()) s += x.format() + "\n";
    return s;
  }();
  CHECK(has(all, "divisions/test.yaml:25:3: error[division-line]"));  // the 15th line
  CHECK(has(all, "45032 短码"));
  CHECK(has(all, "error[division-code-twice]"));
  CHECK(has(all, "error[division-no-parent]"));
  CHECK(has(all, "460100"));
  CHECK(d.find_code("450100") != nullptr);
  // Written otherwise than the tool writes it, the block is read as any YAML.
  Findings y;
  const Divisions other = Divisions::load(
      kHeader.substr(0, kHeader.size() - 13) + "divisions: |-\n  110000 北京市\n  110105 朝阳区",
      "other.yaml", y);
  CHECK(y.items().empty());
  CHECK(other.size() == 2);
  CHECK(codes(other.find("北京朝阳区")) == Codes{"110105"});
  Findings g;
  Divisions::load("edition: 2023\ndivisions: |\n  110000 北京市\n", "bare.yaml", g);
  std::string bare;
  for (const auto& x : g.items()) bare += x.format() + "\n";
  CHECK(has(bare, "'source' is required"));
  CHECK(has(bare, "'status' is required"));
  CHECK(has(bare, "'last_checked' is required"));
}

TEST_CASE("divisions: the shipped list is well formed - with its source and status") {
  std::string_view text;
  for (const auto& f : epil::embedded_config()) {
    if (f.path.rfind("divisions/", 0) == 0) text = f.text;
  }
  REQUIRE(!text.empty());
  // The header names the list, its publisher, its edition and how sure the copy is.
  CHECK(has(std::string(text), "publisher: 中华人民共和国民政部"));
  CHECK(has(std::string(text), "document: 2023年中华人民共和国县以上行政区划代码"));
  CHECK(has(std::string(text), "url: https://www.mca.gov.cn/"));
  CHECK(has(std::string(text), "\nstatus: reported\n"));
  CHECK(has(std::string(text), "\nedition: 2023\n"));
  Findings f;
  const Divisions d = Divisions::load(text, "divisions/cn-2023.yaml", f);
  // No finding: every code six digits, listed once, under a listed province and prefecture.
  for (const auto& x : f.items()) CHECK_MESSAGE(false, x.format());
  CHECK(d.edition() == 2023);
  CHECK(d.size() == 3209);
  int provinces = 0, prefectures = 0;
  for (const Division& x : d.list()) {
    CHECK(x.code.size() == 6);
    if (x.code.ends_with("0000")) {
      ++provinces;
    } else if (x.code.ends_with("00")) {
      ++prefectures;
    }
  }
  CHECK(provinces == 34);
  CHECK(prefectures == 333);
  CHECK(d.find_code("450100")->name == "南宁市");
  CHECK(d.find_code("450325")->name == "兴安县");
  CHECK(d.find_code("110108")->name == "海淀区");
  // 兴安县 is one county; 通州区 and 朝阳区 are two each.
  CHECK(codes(d.find("兴安县")) == Codes{"450325"});
  CHECK(codes(d.find("通州区")) == Codes{"110112", "320612"});
  CHECK(codes(d.find("朝阳区")) == Codes{"110105", "220104"});
}

// A tree of the shipped rulesets with a city region (桂林, code 450300) under 广西, and no file
// for 江苏: the most specific region wins, and a province without a file takes the root.
Config city_tree() {
  std::vector<ConfigFile> files;
  for (const auto& f : epil::embedded_config()) {
    std::string path(f.path);
    if (path == "regions/jiangsu.yaml" || path.ends_with(".test.yaml")) continue;
    files.push_back({path, std::string(f.text)});
  }
  files.push_back({"regions/guilin.yaml",
                   "region: guilin\nname: {zh: 桂林市, en: Guilin}\ncode: \"450300\"\n"
                   "extends: guangxi\n"});
  return Config::from_files(std::move(files), "tree");
}

TEST_CASE("find_place: a configured city wins - a province without a file takes the root") {
  Config c = city_tree();
  const struct {
    const char* place;
    const char* region;  // "" when none
    bool unconfigured;
  } cases[] = {
      {"广西", "guangxi", false},    // a region's own alias: found as before
      {"450000", "guangxi", false},  // a region's code
      {"南宁市", "guangxi", false},
      {"450325", "guilin", false},  // in 桂林: the city's file
      {"桂林市兴安县", "guilin", false},
      {"桂林", "guilin", false},
      {"南京市", "national", true},  // 江苏 has no file in this tree
      {"320612", "national", true},
      {"海淀区", "beijing", false},
      {"朝阳区", "", false},
      {"火星", "", false},
  };
  for (const auto& x : cases) {
    CAPTURE(x.place);
    const epil::PlaceMatch m = c.find_place(x.place);
    CHECK(std::string(m.region ? m.region->id : "") == x.region);
    CHECK(m.unconfigured == x.unconfigured);
  }
  const epil::PlaceMatch m = c.find_place("朝阳区");
  CHECK(m.problem_code == "ambiguous-place");
  CHECK(has(m.problem.zh, "朝阳区（110105，北京市）"));
  CHECK(has(m.problem.zh, "朝阳区（220104，吉林省长春市）"));
  CHECK(has(m.problem.en, "朝阳区 (110105, 北京市), 朝阳区 (220104, 吉林省长春市)"));
  CHECK(has(m.problem.en, "as in '北京市朝阳区'"));
  CHECK(has(c.find_place("兴按县").problem.en, "did you mean '兴安县'?"));
  CHECK(has(c.find_place("653229").problem.en, "no such code in 2023年中华人民共和国县以上"));
}

const std::string kScreen =
    " --type 水污染 --amount 2800 --regional-impact 否 --persistent-risk 否"
    " --date 2025-06-01 --as-of 2026-11-28";

TEST_CASE("screen: a county as a ledger writes it is screened under 广西 - and says so") {
  Run r = run("screen --region 桂林市兴安县" + kScreen + " --lang zh");
  CHECK(r.code == 0);
  CHECK(has(r.out, "环境公益诉讼显著轻微筛查 · 广西壮族自治区（地点：桂林市兴安县）\n"));
  CHECK(has(r.out, "结论：显著轻微"));
  CHECK(has(r.out, "桂环规范〔2024〕1号"));
  Run j = run("screen --region 450325" + kScreen + " --format json");
  CHECK(j.code == 0);
  CHECK(has(j.out, "\"place\": \"450325\""));
  CHECK(has(j.out, "\"region\": \"guangxi\""));
  Run h = run("screen --region 桂林市兴安县" + kScreen + " --format html --lang zh");
  CHECK(has(h.out, "<th>地区</th><td>广西壮族自治区</td><th>地点</th><td>桂林市兴安县</td>"));
  Run en = run("screen --region 广西南宁" + kScreen + " --lang en");
  CHECK(has(en.out, "· Guangxi Zhuang Autonomous Region (place: 广西南宁)\n"));
  // A case file's 地区 is read the same way.
  Scratch s;
  std::string file = s.write("case.yaml",
                             "地区: 南宁市\n损害类型: 水污染\n损害数额: 2800\n区域性生态影响: 否\n"
                             "长期潜在风险: 否\n行为发生日期: 2025-06-01\n");
  Run c = run("screen " + q(file) + " --as-of 2026-11-28 --lang zh");
  CHECK(c.code == 0);
  CHECK(has(c.out, "广西壮族自治区（地点：南宁市）"));
}

TEST_CASE("screen: a place whose province has no region file takes the national rules - said") {
  Scratch s;
  for (const auto& f : epil::embedded_config()) {
    const std::string path(f.path);
    if (path == "regions/jiangsu.yaml" || path == "regions/jiangsu.test.yaml") continue;
    std::filesystem::create_directories((s.dir / path).parent_path());
    s.write(path, std::string(f.text));
  }
  Run r = run("--config " + q(s.dir.string()) + " screen --region 南京市" + kScreen + " --lang zh");
  CHECK(r.code == 0);
  CHECK(has(r.out,
            "环境公益诉讼显著轻微筛查 · 全国（默认）（地点：南京市）\n"
            "（江苏省在本配置中没有地区文件，适用全国的规定。）\n"));
  Run j = run("--config " + q(s.dir.string()) + " screen --region 南京市" + kScreen +
              " --format json --lang en");
  CHECK(has(j.out,
            "\"place_note\": \"江苏省 has no region file in this configuration: the national "
            "rules apply\""));
  CHECK(has(j.out, "\"region\": \"national\""));
}

TEST_CASE("screen: an ambiguous place is an error naming both - an unknown one as before") {
  Run r = run("screen --region 通州区" + kScreen + " --lang zh");
  CHECK(r.code == 1);
  CHECK(has(r.out, "地区 '通州区' 不唯一"));
  CHECK(has(r.out, "通州区（110112，北京市）"));
  CHECK(has(r.out, "通州区（320612，江苏省南通市）"));
  Run u = run("screen --region 火星" + kScreen + " --lang en");
  CHECK(u.code == 1);
  CHECK(has(u.out, "unknown region '火星'"));
}

TEST_CASE("batch: a region column of cities - counties and codes screens them under 广西") {
  Scratch s;
  std::string in =
      s.write("places.csv",
              "案件编号,地区,损害类型,损害数额,区域性生态影响,长期潜在风险,行为发生日期\n"
              "P-1,南宁市,水污染,2800,否,否,2025-06-01\n"
              "P-2,桂林市兴安县,水污染,2800,否,否,2025-06-01\n"
              "P-3,450325,水污染,2800,否,否,2025-06-01\n"
              "P-4,广西南宁,水污染,3500,否,否,2025-06-01\n"
              "P-5,朝阳区,水污染,2800,否,否,2025-06-01\n");
  std::string out = s.path("places.out.csv");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 3);  // the ambiguous row
  CHECK(has(r.out, "按地区：广西壮族自治区 4"));
  CHECK(has(r.out, "第 6 行：地区 '朝阳区' 不唯一"));
  const std::string table = read_bytes(out);
  // The region column is carried through as written; the rows are 广西's verdicts.
  CHECK(has(table, "P-1,南宁市,水污染,2800,否,否,2025-06-01,exempt"));
  CHECK(has(table, "P-2,桂林市兴安县,水污染,2800,否,否,2025-06-01,exempt"));
  CHECK(has(table, "P-3,450325,水污染,2800,否,否,2025-06-01,exempt"));
  CHECK(has(table, "P-4,广西南宁,水污染,3500,否,否,2025-06-01,suit"));
  CHECK(has(table, "P-5,朝阳区,水污染,2800,否,否,2025-06-01,error"));
}

TEST_CASE("regions check: a tree's divisions file is checked - at file and line") {
  Scratch s;
  for (const char* dir : {"thresholds", "regions", "calendars", "divisions"}) {
    std::filesystem::create_directories(s.dir / dir);
  }
  for (const auto& f : epil::embedded_config()) {
    std::string path(f.path);
    if (path.rfind("divisions/", 0) == 0) continue;
    std::filesystem::create_directories((s.dir / path).parent_path());
    s.write(path, std::string(f.text));
  }
  s.write("divisions/cn-2023.yaml", kHeader + kList + "  4503 兴安\n");
  Run r = run("regions check " + q(s.dir.string()) + " --as-of 2026-11-28 --lang en");
  CHECK(r.code == 2);
  CHECK(has(r.out, "divisions/cn-2023.yaml:25:3: error[division-line]"));
  // Every region's code must be in the list the tree uses: this one lacks most provinces.
  CHECK(has(r.out, "warning[region-code-not-division]: region 'hunan': its code 430000"));
}

}  // namespace
