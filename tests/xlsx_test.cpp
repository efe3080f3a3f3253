// Tests for open_xlsx (io/table.h): files as Excel, WPS, openpyxl, libxlsxwriter and streaming
// writers save them, read back cell by cell; dates as ISO text; sheet selection; positions;
// and broken files, which must give a TableError and never a crash.
//
// The .xlsx files in tests/data/xlsx/ are made by tests/data/xlsx/make_test_files.py.
#include <doctest/doctest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_support.h"
#include "io/normalize.h"
#include "io/table.h"

namespace fs = std::filesystem;
namespace io = epil::io;

using epil::testing::Scratch;

namespace {

std::string data_file(const std::string& name) {
  return std::string(EPIL_SOURCE_DIR) + "/tests/data/xlsx/" + name;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

using Cells = std::vector<std::string>;

struct Row {
  int64_t number = 0;
  Cells cells;
  bool operator==(const Row&) const = default;
};

// Everything a reader gives: the header, each row with its sheet row number, and the error
// (from open_xlsx, or from next() part way through).
struct Sheet {
  bool opened = false;
  Cells header;
  std::vector<Row> rows;
  std::optional<io::TableError> error;
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
};

Sheet read_sheet(const std::string& path, const std::string& sheet = "") {
  Sheet out;
  auto reader = io::open_xlsx(path, sheet, out.error);
  if (!reader) return out;
  out.opened = true;
  out.header = reader->header();
  std::vector<std::string_view> cells;
  while (reader->next(cells)) {
    out.rows.push_back({reader->position().row, Cells(cells.begin(), cells.end())});
  }
  out.error = reader->error();
  out.bytes_read = reader->bytes_read();
  out.bytes_total = reader->bytes_total();
  return out;
}

// Compares the rows one by one, so that a failure names the row.
void check_rows(const Sheet& sheet, const std::vector<Row>& expected) {
  CHECK_FALSE(sheet.error.has_value());
  if (sheet.error) CAPTURE(sheet.error->message);
  REQUIRE(sheet.rows.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(expected[i].number);
    CHECK(sheet.rows[i].number == expected[i].number);
    CHECK(sheet.rows[i].cells == expected[i].cells);
  }
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Writes a one-sheet workbook around `sheet_data` (the inside of <sheetData>) with libzip,
// for sheets no spreadsheet program would write.
std::string write_book(const Scratch& scratch, const std::string& name,
                       const std::string& sheet_data) {
  const std::string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"_rels/.rels", "<Relationships xmlns=\"" + pkg + "\"><Relationship Id=\"rId1\" Type=\"" +
                          rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + rel +
                              "\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "</sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"" + pkg + "\"><Relationship Id=\"rId1\" Type=\"" + rel +
           "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet xmlns=\"" + main + "\"><sheetData>" + sheet_data + "</sheetData></worksheet>"},
  };
  const std::string path = scratch.path(name);
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  REQUIRE(z != nullptr);
  for (const auto& [part, text] : parts) {
    zip_source_t* src = zip_source_buffer(z, text.data(), text.size(), 0);
    REQUIRE(src != nullptr);
    REQUIRE(zip_file_add(z, part.c_str(), src, ZIP_FL_ENC_UTF_8) >= 0);
  }
  REQUIRE(zip_close(z) == 0);  // reads the buffers, which `parts` keeps alive until here
  return path;
}

}  // namespace

TEST_CASE("xlsx written by openpyxl: Chinese headers and typed cells") {
  const Sheet s = read_sheet(data_file("openpyxl_cases.xlsx"));
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"案件编号", "损害类型", "损失金额（元）", "行为日期", "区域性影响",
                          "持续性风险", "备注", "金额两倍"});
  // openpyxl stores no cached value for a formula (H2), so the cell is its formula's text (a
  // rule reading it says to open and save the file; it used to read as blank); row 4 was left
  // blank and is absent; J3 lies beyond the header and is kept; G5 is a time of day, D5 a date
  // in a 年月日 format, D6 a date in built-in format 14, G6 a percentage (a plain number).
  check_rows(
      s, {
             {2, {"GX-2025-001", "水污染", "2800", "2025-06-01", "FALSE", "FALSE", "", "=C2*2"}},
             {3,
              {"GX-2025-002", "大气污染", "0.25", "2025-06-01 14:30:00", "TRUE", "", "  前后空格 ",
               "", "", "表头外"}},
             {5, {"GX-2025-003", "土壤污染", "-1234.5", "2024-02-29", "", "TRUE", "08:05:09", ""}},
             {6, {"GX-2025-004", "", "1e+21", "2025-12-31", "是", "否", "0.05", ""}},
         });
  CHECK(s.bytes_total > 0);
  CHECK(s.bytes_read == s.bytes_total);
}

TEST_CASE("xlsx sheet chosen by name") {
  const Sheet s = read_sheet(data_file("openpyxl_cases.xlsx"), "说明");
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"字段", "说明"});
  check_rows(s, {{2, {"损失金额（元）", "单位：元"}}});

  // Sheet names compare without regard to ASCII case, as in Excel.
  const Sheet w = read_sheet(data_file("wps_like.xlsx"), "sheet1");
  REQUIRE(w.opened);
  CHECK(w.header.at(0) == "编号");
}

TEST_CASE("xlsx missing sheet name lists the sheets present") {
  const Sheet s = read_sheet(data_file("openpyxl_cases.xlsx"), "汇总");
  CHECK_FALSE(s.opened);
  REQUIRE(s.error.has_value());
  CHECK(contains(s.error->message, "\"汇总\""));
  CHECK(contains(s.error->message, "\"案件\", \"说明\""));
  CHECK(contains(s.error->message_zh, "“汇总”"));
  CHECK(contains(s.error->message_zh, "“案件”、“说明”"));
  CHECK(s.error->file == data_file("openpyxl_cases.xlsx"));
}

TEST_CASE("xlsx in Excel style: rich text shared strings and CJK date formats") {
  const Sheet s = read_sheet(data_file("excel_like.xlsx"));
  REQUIRE(s.opened);
  // Row 1 has formatted empty cells only, so the header is row 2.
  CHECK(s.header == Cells{"案件编号", "损害类型", "损失金额（元）", "行为日期", "发现日期",
                          "区域性影响", "备注", "计算结果"});
  check_rows(
      s,
      {
          // B3: two rich-text runs and a phonetic run; E3: built-in 58 (m月d日); H3: a formula
          // with its cached number.
          {3, {"GX-001", "水污染", "2800", "2025-06-01", "2025-06-02", "否", " 前有空格", "5600"}},
          // C7: "0.00_);[Red](0.00)" is no date for the d in [Red]; D7: yyyy"年"m"月"d"日";
          // E7: yyyy/m/d h:mm; G7: a line break stored as _x000D_ and a newline; H7: t="str".
          {7,
           {"GX-002", "大气污染", "1234.5", "2025-01-01", "2025-06-01 14:30:00", "TRUE",
            "第一行\r\n第二行", "GX-002-大气污染"}},
          // A8: an escaped underscore; C8: an error value; D8: built-in 57 (yyyy年m月); E8:
          // built-in 31 (yyyy年m月d日); F8: Excel's phantom 1900-02-29; G8: h"时"mm"分" (a
          // time); H8: "第"0"天" (text in quotes, a number).
          {8, {"_x0041_", "", "#N/A", "2025-06-01", "1900-03-01", "1900-02-29", "14:30:00", "7"}},
          // D9: a long date with [$-F800]; E9: built-in 22; J9: beyond the header.
          {9,
           {"", "1900-01-01", "0.25", "1900-02-28", "2025-06-01 12:00:00", "FALSE", "", "", "",
            "42"}},
          // Row 10 has formatted empty cells only and is skipped. D11 is past 9999-12-31 and
          // E11 negative: no date, the number as it is.
          {11, {"GX-003", "", "0.001", "2958466", "-5", "", "", "#DIV/0!"}},
      });
}

TEST_CASE("xlsx first sheet follows workbook.xml order not part names") {
  // 案件清单 is listed first but stored as sheet2.xml; 说明 is sheet1.xml. Both targets are
  // absolute ("/xl/worksheets/...").
  const Sheet first = read_sheet(data_file("excel_like.xlsx"));
  REQUIRE(first.opened);
  CHECK(first.header.at(0) == "案件编号");
  const Sheet info = read_sheet(data_file("excel_like.xlsx"), "说明");
  REQUIRE(info.opened);
  CHECK(info.header == Cells{"字段", "说明"});
  check_rows(info, {{2, {"损失金额（元）", "单位：元"}}});
}

TEST_CASE("xlsx in WPS style: 年月日 formats") {
  const Sheet s = read_sheet(data_file("wps_like.xlsx"));
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"编号", "日期甲", "日期乙", "日期丙", "日期丁", "金额"});
  // yyyy"年"m"月"d"日";@ - built-in 58 - built-in 31 - [DBNum1][$-804]yyyy"年"… - "0.00".
  check_rows(s, {{2, {"W-1", "2025-06-01", "2025-06-01", "2025-06-01", "2025-06-01", "3000"}}});
}

TEST_CASE("xlsx from a streaming writer: inline strings and cells without references") {
  const Sheet s = read_sheet(data_file("inline_norefs.xlsx"));
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"编号", "名称", "数量", "日期"});
  check_rows(s, {
                    // Rich runs in <is> concatenated, the phonetic run left out; t="d".
                    {2, {"N-1", "甲乙", "5", "2025-06-01"}},
                    // An empty <c/> still takes a column; F3 jumps ahead and G3 follows it.
                    {3, {"N-2", "", "7.5", "2025-06-01 08:30:00", "", "F列", "G列"}},
                    // <row r="10"> sets the number; the row has fewer cells than the header.
                    {10, {"N-3", "丙", "0", ""}},
                });
}

TEST_CASE("xlsx 1904 date system") {
  const Sheet s = read_sheet(data_file("date1904.xlsx"));
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"日期", "数值"});
  check_rows(s, {
                    {2, {"1904-01-01", "0"}},
                    {3, {"2025-06-01", "44347"}},
                    // 1.75 in a date-only format: the day, without the time.
                    {4, {"1904-01-02", "1904-01-02"}},
                });
}

TEST_CASE("xlsx hidden first sheet is passed over") {
  const Sheet s = read_sheet(data_file("hidden_first.xlsx"));
  REQUIRE(s.opened);
  CHECK(s.header == Cells{"编号", "金额"});
  check_rows(s, {{2, {"H-1", "5"}}});
  // By name, a hidden sheet can still be read.
  const Sheet hidden = read_sheet(data_file("hidden_first.xlsx"), "参数");
  REQUIRE(hidden.opened);
  CHECK(hidden.header == Cells{"下拉选项"});
  check_rows(hidden, {{2, {"是"}}});
}

TEST_CASE("xlsx row positions and the header position") {
  std::optional<io::TableError> error;
  auto reader = io::open_xlsx(data_file("excel_like.xlsx"), "", error);
  REQUIRE(reader);
  CHECK(reader->position().row == 2);  // the header
  std::vector<std::string_view> cells;
  std::vector<int64_t> rows;
  while (reader->next(cells)) {
    const io::TablePosition at = reader->position();
    rows.push_back(at.row);
    CHECK(at.column == 0);
    CHECK(at.column_name.empty());
    CHECK(cells.size() >= reader->header().size());
  }
  CHECK(rows == std::vector<int64_t>{3, 7, 8, 9, 11});
  CHECK_FALSE(reader->error().has_value());
  // At the end next() keeps returning false.
  CHECK_FALSE(reader->next(cells));
}

TEST_CASE("xlsx errors before the sheet: not a workbook") {
  Scratch scratch;
  struct Case {
    std::string path;
    std::string_view en;
    std::string_view zh;
  };
  const Case cases[] = {
      {scratch.path("no-such-file.xlsx"), "cannot open the file", "无法打开文件"},
      {scratch.write("empty.xlsx", ""), "the file is empty", "文件为空"},
      {scratch.write("csv.xlsx", "案件编号,金额\nA-1,2800\n"), "not a ZIP archive", "不是 ZIP"},
      {scratch.write("old.xlsx",
                     std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0')),
       "Excel 97-2003", "Excel 97-2003"},
      {data_file("no_workbook.xlsx"), "no workbook part", "没有工作簿部件"},
      {data_file("missing_part.xlsx"), "xl/worksheets/sheet1.xml is missing", "缺少其部件"},
      {data_file("malformed_styles.xlsx"), "malformed XML in xl/styles.xml, line 5",
       "xl/styles.xml 第 5 行"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    std::optional<io::TableError> error;
    auto reader = io::open_xlsx(c.path, "", error);
    CHECK(reader == nullptr);
    REQUIRE(error.has_value());
    CAPTURE(error->message);
    CHECK(contains(error->message, c.en));
    CHECK(contains(error->message_zh, c.zh));
    CHECK(error->file == c.path);
  }
  // A Word file sent by mistake is named as such.
  std::optional<io::TableError> error;
  CHECK(io::open_xlsx(data_file("no_workbook.xlsx"), "", error) == nullptr);
  REQUIRE(error.has_value());
  CHECK(contains(error->message, "Word"));
}

TEST_CASE("xlsx errors inside the sheet stop next with a position") {
  struct Case {
    std::string file;
    int64_t row;
    int column;
    std::string column_name;
    std::string_view en;
    std::string_view zh;
  };
  const Case cases[] = {
      {"malformed_sheet.xlsx", 2, 0, "",
       "malformed XML in xl/worksheets/sheet1.xml, line 5, column 28: mismatched tag",
       "xl/worksheets/sheet1.xml 第 5 行第 28 列"},
      {"bad_shared_index.xlsx", 2, 1, "A", "cell A2 refers to shared string \"7\"", "单元格 A2"},
      {"bad_reference.xlsx", 2, 0, "", "bad cell reference \"2B\"", "“2B”无效"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const Sheet s = read_sheet(data_file(c.file));
    REQUIRE(s.opened);  // the header row is sound
    CHECK(s.header == Cells{"编号", "金额"});
    CHECK(s.rows.empty());
    REQUIRE(s.error.has_value());
    CAPTURE(s.error->message);
    CHECK(contains(s.error->message, c.en));
    CHECK(contains(s.error->message_zh, c.zh));
    CHECK(s.error->at.row == c.row);
    CHECK(s.error->at.column == c.column);
    CHECK(s.error->at.column_name == c.column_name);
  }
}

TEST_CASE("xlsx truncated files give an error and no crash") {
  Scratch scratch;
  for (const char* name : {"excel_like.xlsx", "openpyxl_cases.xlsx", "inline_norefs.xlsx"}) {
    const std::string bytes = read_bytes(data_file(name));
    REQUIRE(bytes.size() > 1000);
    std::vector<std::size_t> cuts = {
        1, 4, 30, 100, bytes.size() / 2, bytes.size() - 23, bytes.size() - 22, bytes.size() - 1};
    for (std::size_t cut = 7; cut < bytes.size(); cut += 211) cuts.push_back(cut);
    for (std::size_t cut : cuts) {
      CAPTURE(name);
      CAPTURE(cut);
      const std::string path = scratch.write("cut.xlsx", bytes.substr(0, cut));
      const Sheet s = read_sheet(path);
      // The central directory is at the end of a ZIP archive: without it nothing opens.
      CHECK_FALSE(s.opened);
      REQUIRE(s.error.has_value());
      CHECK_FALSE(s.error->message.empty());
      CHECK_FALSE(s.error->message_zh.empty());
    }
  }
}

TEST_CASE("xlsx damaged bytes give an error or the same table") {
  Scratch scratch;
  const std::string bytes = read_bytes(data_file("excel_like.xlsx"));
  const Sheet original = read_sheet(data_file("excel_like.xlsx"));
  REQUIRE(original.opened);
  int errors = 0;
  for (std::size_t at = 0; at < bytes.size(); at += 13) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    const Sheet s = read_sheet(scratch.write("damaged.xlsx", damaged));
    CAPTURE(at);
    // Every part is read to its end, so libzip checks its CRC: damage that changes a value is
    // reported, and damage that does not (a timestamp) leaves the table as it was.
    if (s.error) {
      ++errors;
      CHECK_FALSE(s.error->message.empty());
    } else {
      CHECK(s.header == original.header);
      CHECK(s.rows == original.rows);
    }
  }
  CHECK(errors > 0);
}

namespace {

// The expected text of one column of a libxlsxwriter sheet.
struct FormatCase {
  const char* format;  // the number format code
  double value;
  const char* text;  // what open_xlsx gives
};

}  // namespace

TEST_CASE("xlsx written by libxlsxwriter: number formats classified") {
  // One column per format code, the value in row 2. Table-driven: what makes a date, a
  // date-time, a time or a plain number.
  const FormatCase cases[] = {
      {"yyyy-mm-dd", 45809, "2025-06-01"},
      {"yyyy\"年\"m\"月\"d\"日\"", 45809, "2025-06-01"},
      {"[$-804]yyyy\"年\"m\"月\"d\"日\" dddd", 45809, "2025-06-01"},
      {"m/d/yy", 45809.75, "2025-06-01"},
      {"mmm-yy", 45809, "2025-06-01"},
      {"yyyy/m/d h:mm", 45809.75, "2025-06-01 18:00:00"},
      {"yyyy/m/d h:mm", 45809, "2025-06-01"},
      {"h:mm", 0.25, "06:00:00"},
      {"[h]:mm:ss", 1.5, "1.5"},  // a duration past a day: the number
      {"mm:ss", 0.0006944444444444445, "00:01:00"},
      {"0.00_);[Red]\\(0.00\\)", 45809, "45809"},
      {"\"days\" 0", 12, "12"},  // y and d in quoted text
      {"0.00E+00", 123456, "123456"},
      {"#,##0.00", 2800.5, "2800.5"},
      {"0%", 0.05, "0.05"},
      {"@", 7, "7"},
      {"General", 0.1, "0.1"},
  };
  Scratch scratch;
  const std::string path = scratch.path("formats.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  REQUIRE(wb != nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "格式");
  lxw_col_t col = 0;
  for (const FormatCase& c : cases) {
    lxw_format* f = workbook_add_format(wb);
    format_set_num_format(f, c.format);
    worksheet_write_string(ws, 0, col, c.format, nullptr);
    worksheet_write_number(ws, 1, col, c.value, f);
    ++col;
  }
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);

  const Sheet s = read_sheet(path);
  REQUIRE(s.opened);
  REQUIRE(s.rows.size() == 1);
  REQUIRE(s.rows[0].cells.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(cases[i].format);
    CHECK(s.header[i] == cases[i].format);
    CHECK(s.rows[0].cells[i] == cases[i].text);
  }
}

TEST_CASE("xlsx written by libxlsxwriter: shared and inline strings") {
  // Normal mode writes shared strings; constant_memory mode writes inline strings row by
  // row. Both must read back the same.
  for (const bool constant_memory : {false, true}) {
    CAPTURE(constant_memory);
    Scratch scratch;
    const std::string path = scratch.path("lxw.xlsx");
    lxw_workbook_options options = {};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    REQUIRE(wb != nullptr);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "案件");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    const char* header[] = {"案件编号",   "损失金额（元）", "行为日期",
                            "区域性影响", "金额两倍",       "类型"};
    for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
    constexpr int kRows = 3000;
    for (lxw_row_t r = 1; r <= kRows; ++r) {
      const std::string id = "GX-" + std::to_string(r);
      worksheet_write_string(ws, r, 0, id.c_str(), nullptr);
      worksheet_write_number(ws, r, 1, r * 0.5, nullptr);
      lxw_datetime when = {2025, 6, 1 + static_cast<int>(r % 28), 0, 0, 0};
      worksheet_write_datetime(ws, r, 2, &when, date);
      worksheet_write_boolean(ws, r, 3, r % 2, nullptr);
      const std::string formula = "=B" + std::to_string(r + 1) + "*2";
      worksheet_write_formula_num(ws, r, 4, formula.c_str(), nullptr, r * 1.0);
      if (r % 3 == 0) worksheet_write_formula_str(ws, r, 5, "=\"水\"&\"污染\"", nullptr, "水污染");
    }
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);

    const Sheet s = read_sheet(path);
    REQUIRE(s.opened);
    CHECK_FALSE(s.error.has_value());
    CHECK(s.header == Cells(std::begin(header), std::end(header)));
    REQUIRE(s.rows.size() == kRows);
    int mismatches = 0;
    for (int r = 1; r <= kRows; ++r) {
      const Row& row = s.rows[r - 1];
      char day[3] = {static_cast<char>('0' + (1 + r % 28) / 10),
                     static_cast<char>('0' + (1 + r % 28) % 10), 0};
      const Row expected = {
          r + 1,
          {"GX-" + std::to_string(r), epil::format_plain(r * 0.5), std::string("2025-06-") + day,
           r % 2 ? "TRUE" : "FALSE", std::to_string(r), r % 3 == 0 ? "水污染" : ""}};
      if (!(row == expected)) {
        if (++mismatches <= 3) CHECK(row.cells == expected.cells);
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("xlsx hostile sheets give errors not crashes") {
  Scratch scratch;
  const std::string head =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>编号</t></is></c></row>";
  std::string wide = "<row r=\"2\">";
  for (int i = 0; i < 16385; ++i) wide += "<c><v>1</v></c>";
  wide += "</row>";
  struct Case {
    std::string sheet_data;
    std::string_view en;
    int64_t row;
    int column;
  };
  const Case cases[] = {
      // A cell text far beyond Excel's 32,767 characters.
      {head + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>" + std::string(1 << 21, 'x') +
           "</t></is></c></row>",
       "longer than 1048576 bytes", 2, 1},
      {head + "<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>", "bad cell reference \"XFE2\"", 2, 0},
      {head + "<row r=\"0\"><c><v>1</v></c></row>", "bad row number \"0\"", 2, 0},
      {head + "<row r=\"x\"><c><v>1</v></c></row>", "bad row number \"x\"", 2, 0},
      {head + wide, "row 2 has more than 16384 cells", 2, 16385},
      {head + "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>zero</v></c></row>",
       "refers to shared string \"zero\"", 2, 2},
  };
  int n = 0;
  for (const Case& c : cases) {
    CAPTURE(c.en);
    const Sheet s =
        read_sheet(write_book(scratch, "hostile" + std::to_string(n++) + ".xlsx", c.sheet_data));
    REQUIRE(s.opened);
    CHECK(s.header == Cells{"编号"});
    CHECK(s.rows.empty());
    REQUIRE(s.error.has_value());
    CAPTURE(s.error->message);
    CHECK(contains(s.error->message, c.en));
    CHECK_FALSE(s.error->message_zh.empty());
    CHECK(s.error->at.row == c.row);
    CHECK(s.error->at.column == c.column);
  }

  // The largest column Excel has, XFD, is accepted; the row is as wide as its last cell.
  const Sheet xfd = read_sheet(
      write_book(scratch, "xfd.xlsx", head + "<row r=\"2\"><c r=\"XFD2\"><v>9</v></c></row>"));
  REQUIRE(xfd.rows.size() == 1);
  CHECK(xfd.rows[0].cells.size() == 16384);
  CHECK(xfd.rows[0].cells.back() == "9");

  // A sheet with no rows at all opens with an empty header and no rows: not an error.
  const Sheet empty = read_sheet(write_book(scratch, "empty.xlsx", ""));
  REQUIRE(empty.opened);
  CHECK(empty.header.empty());
  CHECK(empty.rows.empty());
  CHECK_FALSE(empty.error.has_value());
}

TEST_CASE("xlsx cell formats: numbers and dates as the sheet had them, everything else text") {
  std::optional<io::TableError> error;
  auto reader = io::open_xlsx(data_file("openpyxl_cases.xlsx"), "", error);
  REQUIRE(reader != nullptr);
  const std::vector<io::CellFormat>& formats = reader->cell_formats();
  REQUIRE(formats.size() > io::kFirstOwnFormat);  // the standard ones and the percentage's
  CHECK(formats[io::kDateCell].kind == io::CellFormat::kDate);
  // Per row, the format of each cell: text (0) for text, booleans and empty cells.
  const std::vector<std::vector<uint16_t>> expected = {
      {io::kTextCell, io::kTextCell, io::kNumberCell, io::kDateCell, io::kTextCell, io::kTextCell},
      {io::kTextCell, io::kTextCell, io::kNumberCell, io::kDateTimeCell, io::kTextCell,
       io::kTextCell, io::kTextCell},
      {io::kTextCell, io::kTextCell, io::kNumberCell, io::kDateCell, io::kTextCell, io::kTextCell,
       io::kTimeCell},
      {io::kTextCell, io::kTextCell, io::kNumberCell, io::kDateCell, io::kTextCell, io::kTextCell},
  };
  std::vector<std::string_view> cells;
  for (const auto& row : expected) {
    REQUIRE(reader->next(cells));
    CAPTURE(reader->position().row);
    const std::vector<uint16_t>& got = reader->row_formats();
    REQUIRE(got.size() >= row.size());
    for (size_t c = 0; c < row.size(); ++c) {
      CAPTURE(c);
      CHECK(got[c] == row[c]);
    }
  }
  // G6, a percentage: a number in the sheet's own format (built-in 9, "0%").
  const uint16_t percent = reader->row_formats()[6];
  REQUIRE(percent >= io::kFirstOwnFormat);
  CHECK(formats[percent].kind == io::CellFormat::kNumber);
  CHECK(formats[percent].builtin == 9);
  // A CSV says nothing of its cells: all text.
  Scratch scratch;
  const std::string path = scratch.path("t.csv");
  std::ofstream(path) << "a,b\n450100,2025-06-01\n";
  auto csv = io::open_csv(path, {}, error);
  REQUIRE(csv != nullptr);
  REQUIRE(csv->next(cells));
  CHECK(csv->cell_formats().empty());
  CHECK(csv->row_formats().empty());
}

TEST_CASE("xlsx: a formula no program computed is its text, and a rule reading it names the cell") {
  Scratch scratch;
  const std::string book = write_book(
      scratch, "formula.xlsx",
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>地区</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>损害类型</t></is></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>损害数额</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>广西</t></is></c>"
      "<c r=\"B2\" t=\"inlineStr\"><is><t>水污染</t></is></c><c r=\"C2\"><f>1400*2</f></c></row>"
      // A formula with its computed value is read as that value.
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>广西</t></is></c>"
      "<c r=\"B3\" t=\"inlineStr\"><is><t>水污染</t></is></c><c "
      "r=\"C3\"><f>1400*2</f><v>2800</v></c>"
      "</row>");
  const Sheet s = read_sheet(book);
  REQUIRE(s.opened);
  check_rows(s, {{2, {"广西", "水污染", "=1400*2"}}, {3, {"广西", "水污染", "2800"}}});
  auto r = epil::testing::run("batch " + book + " --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 3);
  CHECK(contains(r.out, "第 2 行第 3 列（生态环境损害数额）：公式 '=1400*2' 在文件中没有计算结果"));
}
