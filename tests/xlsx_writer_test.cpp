// The XLSX output (io/xlsx_writer.h) as an office opens and prints it, read from the XML that
// `epil batch` writes: column widths from the content, long texts wrapped, numbers and dates
// typed as the input had them and text kept text, every ruleset's outcome fills, the page
// setup, and the summary sheet's tables, totals and chart.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "cli_support.h"
#include "core/config.h"
#include "io/batch.h"
#include "io/normalize.h"
#include "io/table.h"
#include "io/xlsx_sheet.h"
#include "xlsx_xml.h"

using namespace epil::testing;
namespace io = epil::io;
using doctest::Approx;
using io::detail::ColumnLayout;
using io::detail::display_width;
using io::detail::excel_serial;

namespace {

const std::string kCases = std::string(EPIL_SOURCE_DIR) + "/examples/cases.csv";
const std::string kDebtors = std::string(EPIL_SOURCE_DIR) + "/examples/debtors.csv";

// The 1-based column whose header (row 1) is `name`; 0 if none.
int column_named(const XlsxSheet& s, const std::string& name) {
  for (int c = 1; c < 200; ++c) {
    if (s.at(cell_ref(c, 1)).value == name) return c;
  }
  return 0;
}

// The data rows of a sheet: 2 up to the last row with a cell in column A.
int last_row(const XlsxSheet& s) {
  int last = 1;
  while (s.cells.count(cell_ref(1, last + 1))) ++last;
  return last;
}

std::string argb(uint32_t rgb) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "FF%06X", rgb);
  return buf;
}

std::string batch_xlsx(const Scratch& s, const std::string& in, const std::string& args) {
  const std::string out = s.path("out.xlsx");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --as-of 2026-11-28 " + args);
  CAPTURE(r.out);
  REQUIRE(r.code <= 3);  // 3: some rows could not be read, as some tests mean them to be
  return out;
}

// A workbook as a case system might export it, typed: numbers, dates and text that looks like
// numbers (an ID number, a division code, leading zeros).
std::string typed_input(const Scratch& s) {
  const std::string path = s.path("typed.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "案件");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy/m/d");
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");
  lxw_format* stamp = workbook_add_format(wb);
  format_set_num_format(stamp, "yyyy-mm-dd hh:mm");
  const char* header[] = {"案件编号",       "地区",         "损害类型",     "损害数额",
                          "区域性生态影响", "长期潜在风险", "行为发生日期", "身份证号",
                          "区划代码",       "内部编号",     "录入时间",     "区划数值"};
  for (lxw_col_t c = 0; c < std::size(header); ++c)
    worksheet_write_string(ws, 0, c, header[c], nullptr);
  for (lxw_row_t r = 1; r <= 2; ++r) {
    worksheet_write_string(ws, r, 0, r == 1 ? "桂-001" : "桂-002", nullptr);
    worksheet_write_string(ws, r, 1, "广西", nullptr);
    worksheet_write_string(ws, r, 2, "水污染", nullptr);
    if (r == 1) worksheet_write_number(ws, r, 3, 2800, nullptr);
    if (r == 2) worksheet_write_number(ws, r, 3, 2800.5, money);
    worksheet_write_string(ws, r, 4, "否", nullptr);
    worksheet_write_string(ws, r, 5, "否", nullptr);
    worksheet_write_number(ws, r, 6, 45809, date);  // 2025-06-01
    worksheet_write_string(ws, r, 7, "110101199001011234", nullptr);
    worksheet_write_string(ws, r, 8, "450100", nullptr);
    worksheet_write_string(ws, r, 9, "00123", nullptr);
    worksheet_write_number(ws, r, 10, 45809.75, stamp);
    worksheet_write_number(ws, r, 11, 450100, nullptr);
  }
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  return path;
}

std::vector<std::vector<std::string>> read_all(const std::string& path) {
  std::optional<io::TableError> error;
  auto r = io::open_xlsx(path, "", error);
  REQUIRE(r != nullptr);
  std::vector<std::vector<std::string>> rows{r->header()};
  std::vector<std::string_view> cells;
  while (r->next(cells)) rows.emplace_back(cells.begin(), cells.end());
  return rows;
}

}  // namespace

TEST_CASE("xlsx writer: display widths, Excel serials and plain numbers") {
  CHECK(display_width("案件编号") == Approx(8));
  CHECK(display_width("桂-001") == Approx(2 + 4 * 1.1));
  CHECK(display_width("长一点的一行\n短") == Approx(12));
  const std::pair<const char*, double> serials[] = {{"2025-06-01", 45809},
                                                    {"1900-01-01", 1},
                                                    {"1900-02-28", 59},
                                                    {"1900-02-29", 60},
                                                    {"1900-03-01", 61},
                                                    {"9999-12-31", 2958465},
                                                    {"2025-06-01 18:00:00", 45809.75},
                                                    {"06:00:00", 0.25},
                                                    {"23:59:59", 86399.0 / 86400}};
  for (const auto& [text, serial] : serials) {
    CAPTURE(text);
    REQUIRE(excel_serial(text).has_value());
    CHECK(*excel_serial(text) == Approx(serial).epsilon(1e-12));
  }
  // Anything else stays text.
  for (const char* text : {"2025-6-1", "2025/06/01", "2025-02-30", "1899-12-31", "24:00:00",
                           "2025-06-01T18:00:00", "不早于 2027-05-10", "450100", ""}) {
    CAPTURE(text);
    CHECK_FALSE(excel_serial(text).has_value());
  }
  // Every serial a sheet holds as a date reads back as itself.
  for (int32_t n = 1; n <= 2958465; ++n) {
    if (n == 60) continue;
    std::optional<epil::Date> d = io::date_from_excel_serial(n);
    REQUIRE(d.has_value());
    if (io::excel_serial_from_date(*d) != n) REQUIRE(io::excel_serial_from_date(*d) == n);
  }
  CHECK(io::detail::plain_number("-200") == -200);
  CHECK(io::detail::plain_number("0.25") == 0.25);
  for (const char* text : {"00123", "3,000", "1e5", "2800.0", "+1", " 1", "不早于 2027-05-10"}) {
    CAPTURE(text);
    CHECK_FALSE(io::detail::plain_number(text).has_value());
  }
}

TEST_CASE("xlsx writer: widths from the header and the content, between 8 and 60") {
  ColumnLayout layout({"案件编号", "说明", "最短公示期届满日（最早可申请修复）", "空", "指纹"});
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "长";
  layout.measure({"(2026)桂0102执1234号", long_text, "2027-05-10", "", std::string(64, 'f')});
  layout.measure({"桂-1", "短", "", "", ""});
  layout.never_wrap(4);
  CHECK(layout.width(0) == Approx(display_width("(2026)桂0102执1234号") + 2));
  CHECK(layout.width(1) == Approx(ColumnLayout::kMaxWidth));
  CHECK(layout.wraps(1));  // 80 wide: past the cap, so it wraps
  // A long header wraps onto two lines rather than widening a column of dates.
  CHECK(layout.width(2) == Approx(14));
  CHECK_FALSE(layout.wraps(2));
  CHECK(layout.width(3) == Approx(ColumnLayout::kMinWidth));
  CHECK(layout.width(4) == Approx(ColumnLayout::kMaxWidth));
  CHECK_FALSE(layout.wraps(4));  // a code: cut off on screen, never broken
}

TEST_CASE("xlsx writer: CSV input stays text, with widths, wrapping, fills and page setup") {
  Scratch s;
  const std::string out = batch_xlsx(s, kCases, "--lang zh");
  const XlsxSheet sheet = read_sheet_xml(out, 1);
  const std::vector<XlsxStyle> styles = read_styles_xml(out);
  const int rows = last_row(sheet);
  REQUIRE(rows == 15);
  // A CSV's cells are text, even those that look like numbers or dates.
  CHECK(sheet.at("D2").value == "2800");
  CHECK(sheet.at("D2").type == "inlineStr");
  CHECK(sheet.at("I2").type == "inlineStr");
  // The margin epil appends is a number.
  const int margin = column_named(sheet, "差额");
  REQUIRE(margin > 0);
  CHECK(sheet.at(column_letters(margin) + "2").type.empty());
  CHECK(sheet.at(column_letters(margin) + "2").value == "-200");

  // The case number's column is as wide as its widest case number; the explanation's is at the
  // cap, and every explanation wraps; the fingerprint never does.
  double widest = 0;
  for (int r = 2; r <= rows; ++r)
    widest = std::max(widest, display_width(sheet.at(cell_ref(1, r)).value));
  CHECK(sheet.widths.at(1) >= widest);
  const int explanation = column_named(sheet, "说明");
  const int fingerprint = column_named(sheet, "配置指纹");
  REQUIRE(explanation > 0);
  CHECK(sheet.widths.at(explanation) == Approx(ColumnLayout::kMaxWidth).epsilon(0.02));
  int explained = 0;
  for (int r = 2; r <= rows; ++r) {
    CAPTURE(r);
    const XlsxCell& text = sheet.at(cell_ref(explanation, r));
    if (!text.value.empty()) {
      ++explained;
      CHECK(styles[text.style].wraps);
    }
    CHECK_FALSE(styles[sheet.at(cell_ref(fingerprint, r)).style].wraps);
  }
  CHECK(explained >= 10);
  for (const auto& [c, w] : sheet.widths) {
    CHECK(w >= ColumnLayout::kMinWidth);
    CHECK(w <= ColumnLayout::kMaxWidth + 1);
  }

  // Each row's outcome cell has its outcome's fill from presentation.yaml.
  epil::Config config = epil::Config::embedded();
  const int outcome = column_named(sheet, "筛查结论");
  for (int r = 2; r <= rows; ++r) {
    const XlsxCell& cell = sheet.at(cell_ref(outcome, r));
    CAPTURE(cell.value);
    std::optional<uint32_t> fill = config.presentation().fill("epil", cell.value);
    REQUIRE(fill.has_value());
    CHECK(styles[cell.style].fill == argb(*fill));
  }

  // Landscape A4, one page wide, the header frozen, filtered and printed on every page.
  const XmlElement* page = sheet.xml.find("pageSetup");
  REQUIRE(page != nullptr);
  CHECK(page->attr("orientation") == "landscape");
  CHECK(page->attr("paperSize") == "9");
  CHECK(page->attr("fitToHeight") == "0");
  CHECK((page->attr("fitToWidth").empty() || page->attr("fitToWidth") == "1"));
  CHECK(sheet.xml.find("pageSetUpPr")->attr("fitToPage") == "1");
  const XmlElement* pane = sheet.xml.find("pane");
  REQUIRE(pane != nullptr);
  CHECK(pane->attr("ySplit") == "1");
  CHECK(pane->attr("state") == "frozen");
  CHECK(sheet.xml.find("autoFilter")->attr("ref") == "A1:" + column_letters(fingerprint) + "15");
  const XmlElement book = parse_xml(zip_member(out, "xl/workbook.xml"));
  std::string titles;
  for (const XmlElement* n : book.all("definedName")) {
    if (n->attr("name") == "_xlnm.Print_Titles") titles = n->text;
  }
  CHECK(titles == "'筛查结果'!$1:$1");
}

TEST_CASE("xlsx writer: an XLSX input's numbers and dates stay typed, its text stays text") {
  Scratch s;
  const std::string in = typed_input(s);
  const std::string out = batch_xlsx(s, in, "--lang zh");
  const XlsxSheet sheet = read_sheet_xml(out, 1);
  const std::vector<XlsxStyle> styles = read_styles_xml(out);
  auto number = [&](const std::string& ref, const std::string& value, const std::string& code) {
    CAPTURE(ref);
    const XlsxCell& c = sheet.at(ref);
    CHECK(c.type.empty());
    CHECK(c.value == value);
    CHECK(styles[c.style].num_fmt_code == code);
  };
  number("D2", "2800", "");
  CHECK(styles[sheet.at("D2").style].num_fmt == 0);  // General, as in the input
  number("D3", "2800.5", "#,##0.00");                // the input's own format
  number("G2", "45809", "yyyy-mm-dd");
  number("K2", "45809.75", "yyyy-mm-dd hh:mm:ss");
  number("L2", "450100", "");
  // An ID number, a division code and leading zeros were text and stay text, exactly.
  for (const auto& [ref, text] : std::vector<std::pair<std::string, std::string>>{
           {"H2", "110101199001011234"}, {"I2", "450100"}, {"J2", "00123"}, {"A2", "桂-001"}}) {
    CAPTURE(ref);
    CHECK(sheet.at(ref).type == "inlineStr");
    CHECK(sheet.at(ref).value == text);
  }
  // Read back, every input cell says what it said when read from the input.
  const auto before = read_all(in);
  const auto after = read_all(out);
  REQUIRE(after.size() == before.size());
  for (size_t r = 0; r < before.size(); ++r) {
    for (size_t c = 0; c < before[r].size(); ++c) {
      CAPTURE(r);
      CAPTURE(c);
      CHECK(after[r][c] == before[r][c]);
    }
  }
}

TEST_CASE("xlsx writer: credit outcomes in their fills, plain date results as dates") {
  Scratch s;
  const std::string out = batch_xlsx(s, kDebtors, "--ruleset credit --lang zh");
  const XlsxSheet sheet = read_sheet_xml(out, 1);
  const std::vector<XlsxStyle> styles = read_styles_xml(out);
  epil::Config config = epil::Config::embedded();
  const int outcome = column_named(sheet, "筛查结论");
  const int label = outcome + 1;
  std::set<std::string> seen;
  for (int r = 2; r <= last_row(sheet); ++r) {
    for (int c : {outcome, label}) {
      const XlsxCell& cell = sheet.at(cell_ref(c, r));
      const std::string key = sheet.at(cell_ref(outcome, r)).value;
      CAPTURE(key);
      std::optional<uint32_t> fill = key == "error" ? config.presentation().unreadable_row_fill
                                                    : config.presentation().fill("credit", key);
      REQUIRE(fill.has_value());
      CHECK(styles[cell.style].fill == argb(*fill));
      seen.insert(key);
    }
  }
  CHECK(seen.size() >= 4);  // the example meets most of the ruleset's outcomes
  // 2026-04-10 is within the shipped calendars: a date; 2027's end is only "不早于" one: text.
  const int end = column_named(sheet, "最短公示期届满日（最早可申请修复）");
  REQUIRE(end > 0);
  int dates = 0, texts = 0;
  for (int r = 2; r <= last_row(sheet); ++r) {
    const XlsxCell& cell = sheet.at(cell_ref(end, r));
    if (cell.value.empty()) continue;
    if (cell.type.empty()) {
      ++dates;
      CHECK(styles[cell.style].num_fmt_code == "yyyy-mm-dd");
      CHECK(io::date_from_excel_serial(std::stod(cell.value)).has_value());
    } else {
      ++texts;
      CHECK(has(cell.value, "不早于"));
    }
  }
  CHECK(dates >= 1);
  CHECK(texts >= 1);
}

TEST_CASE("xlsx writer: the summary's tables add up to the rows screened, and a chart") {
  Scratch s;
  // Four rows: one exempt, one of an unknown region and one with an amount no one can read
  // (both not read), one with no damage type (screened: it needs review).
  const std::string in = s.write("cases.csv",
                                 "地区,损害类型,损害数额,区域性生态影响,长期潜在风险\n"
                                 "广西,水污染,2800,否,否\n"
                                 "火星,水污染,2800,否,否\n"
                                 "广西,水污染,很多,否,否\n"
                                 "陕西,,2800,否,否\n");
  const std::string out = batch_xlsx(s, in, "--lang zh");
  const XlsxSheet sum = read_sheet_xml(out, 2);
  CHECK(has(sum.at("A1").value, "筛查汇总"));
  CHECK(has(sum.at("A2").value, "共 4 行"));
  // Every table's total is a sum of its lines, cached as the rows screened.
  int tables = 0;
  for (const auto& [ref, cell] : sum.cells) {
    if (cell.formula.empty()) continue;
    ++tables;
    CAPTURE(ref);
    CHECK(cell.value == "4");
    const int total_row = std::stoi(ref.substr(1));
    const int first = std::stoi(cell.formula.substr(cell.formula.find('C') + 1));
    CHECK(cell.formula == fmt::format("SUM(C{}:C{})", first, total_row - 1));
    int64_t lines = 0;
    for (int r = first; r < total_row; ++r) lines += std::stoll(sum.at(cell_ref(3, r)).value);
    CHECK(lines == 4);
    CHECK(sum.at(cell_ref(1, first - 1)).style != 0);  // the header row
  }
  CHECK(tables == 3);  // outcome, region, damage type
  // Where the differences go: the rows not read, the region not known, the type not given.
  auto count_of = [&](const std::string& label) {
    for (const auto& [ref, cell] : sum.cells) {
      if (ref[0] == 'A' && cell.value == label) return sum.at("C" + ref.substr(1)).value;
    }
    return std::string("absent");
  };
  CHECK(count_of("无法读取") == "2");
  CHECK(count_of("地区未填写或无法识别（这些行无法读取）") == "1");
  CHECK(count_of("未填写或无法识别") == "1");
  bool errors_listed = false;
  for (const auto& [ref, cell] : sum.cells)
    errors_listed |= has(cell.value, "无法读取的行：共 2 行");
  CHECK(errors_listed);
  // The chart: bars of the by-outcome lines, read from this sheet.
  const XmlElement chart = parse_xml(zip_member(out, "xl/charts/chart1.xml"));
  REQUIRE(chart.find("barChart") != nullptr);
  const std::vector<const XmlElement*> refs = chart.all("f");
  REQUIRE(refs.size() >= 2);
  CHECK(refs[0]->text == "'汇总'!$A$6:$A$9");
  CHECK(refs[1]->text == "'汇总'!$C$6:$C$9");
  CHECK(sum.at("A5").value == "结论");
  CHECK(sum.at("A9").value == "无法读取");
  CHECK(chart.all("dPt").size() == 4);  // each bar in its outcome's fill
}

TEST_CASE("xlsx writer: the summary in English, and its tables from summary_tables") {
  Scratch s;
  const std::string out = batch_xlsx(s, kDebtors, "--ruleset credit --lang en");
  const XmlElement book = parse_xml(zip_member(out, "xl/workbook.xml"));
  std::vector<std::string> names;
  for (const XmlElement* sh : book.all("sheet")) names.push_back(sh->attr("name"));
  CHECK(names == std::vector<std::string>{"results", "summary"});
  const XlsxSheet sum = read_sheet_xml(out, 2);
  CHECK(has(sum.at("A1").value, "Screening summary"));
  CHECK(sum.at("A4").value == "By outcome");

  // The tables themselves, from counts with rows no table can place.
  epil::Config config = epil::Config::embedded();
  const epil::Ruleset& rs = *config.ruleset("epil");
  io::BatchSummary summary;
  summary.rows = 10;
  summary.errors = 3;
  summary.by_outcome = {{"exempt", 4}, {"suit", 3}, {"error", 3}};
  summary.by_region = {{"guangxi", 6}};
  summary.breakdown_field = "damage_type";
  summary.by_breakdown = {{"water_pollution", 5}};
  const auto tables = io::summary_tables(summary, rs, config, epil::Lang::kEn);
  REQUIRE(tables.size() == 3);
  for (const io::SummaryTable& t : tables) {
    CAPTURE(t.caption);
    CHECK(t.total == 10);
    int64_t n = t.rest ? t.rest->rows : 0;
    for (const auto& l : t.lines) n += l.rows;
    CHECK(n == 10);
  }
  CHECK(tables[0].lines.size() == rs.outcomes.size() + 1);
  CHECK(tables[0].lines.back().label == "unreadable");
  CHECK(tables[1].rest->rows == 4);
  CHECK(tables[2].caption == "By damage type");
  CHECK(tables[2].rest->rows == 5);
}
