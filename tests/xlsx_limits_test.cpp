// Tests for the limits of open_xlsx (io/table.h, core/limits.h): hostile workbooks (deep
// nesting, huge rows and cells, millions of shared strings, relationships, sheets, styles and
// archive entries, parts that inflate to gigabytes, duplicate entry names) are refused with an
// error that says where and names the limit by its --limit name, before they exhaust memory.
// Each bomb is made at test time with libzip and only just exceeds its limit.
#include <doctest/doctest.h>
#include <zip.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.h"
#include "io/table.h"
#include "table_support.h"

namespace io = epil::io;
using epil::Limits;
using epil::testing::has;
using epil::testing::Scratch;
using epil::testing::Table;

namespace {

using Parts = std::vector<std::pair<std::string, std::string>>;  // entry name, content

const std::string kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const std::string kPkg = "http://schemas.openxmlformats.org/package/2006/relationships";

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string relationship(const std::string& id, const std::string& type,
                         const std::string& target) {
  return "<Relationship Id=\"" + id + "\" Type=\"" + kRel + "/" + type + "\" Target=\"" + target +
         "\"/>";
}

std::string relationships(const std::string& inside) {
  return "<Relationships xmlns=\"" + kPkg + "\">" + inside + "</Relationships>";
}

// The workbook's relationships: its sheet and then `n` images.
std::string many_relationships(std::size_t n) {
  return relationships(relationship("rId1", "worksheet", "worksheets/sheet1.xml") +
                       repeat(relationship("rIdX", "image", "media/a.png"), n));
}

std::string workbook(const std::string& sheets) {
  return "<workbook xmlns=\"" + kMain + "\" xmlns:r=\"" + kRel + "\"><sheets>" + sheets +
         "</sheets></workbook>";
}

std::string worksheet(const std::string& rows) {
  return "<worksheet xmlns=\"" + kMain + "\"><sheetData>" + rows + "</sheetData></worksheet>";
}

const std::string kHead = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>编号</t></is></c></row>";

// A one-sheet workbook whose sheet has a header row and then `rows`, plus `shared` and
// `styles` parts when given; tests change or add entries before writing it.
Parts book(const std::string& rows, const std::string& shared = "",
           const std::string& styles = "") {
  std::string rels = relationship("rId1", "worksheet", "worksheets/sheet1.xml");
  if (!shared.empty()) rels += relationship("rId2", "sharedStrings", "sharedStrings.xml");
  if (!styles.empty()) rels += relationship("rId3", "styles", "styles.xml");
  Parts parts = {
      {"_rels/.rels", relationships(relationship("rId1", "officeDocument", "xl/workbook.xml"))},
      {"xl/workbook.xml", workbook("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>")},
      {"xl/_rels/workbook.xml.rels", relationships(rels)},
      {"xl/worksheets/sheet1.xml", worksheet(kHead + rows)},
  };
  if (!shared.empty()) {
    parts.push_back({"xl/sharedStrings.xml", "<sst xmlns=\"" + kMain + "\">" + shared + "</sst>"});
  }
  if (!styles.empty()) {
    parts.push_back(
        {"xl/styles.xml", "<styleSheet xmlns=\"" + kMain + "\">" + styles + "</styleSheet>"});
  }
  return parts;
}

void set_part(Parts& parts, const std::string& name, std::string content) {
  for (auto& [n, c] : parts) {
    if (n == name) c = std::move(content);
  }
}

std::string write_zip(const Scratch& scratch, const std::string& name, const Parts& parts) {
  const std::string path = scratch.path(name);
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  REQUIRE(z != nullptr);
  bool added = true;  // one check for all: some archives have 65,537 entries
  for (const auto& [part, text] : parts) {
    zip_source_t* src = zip_source_buffer(z, text.data(), text.size(), 0);
    const zip_int64_t index = src ? zip_file_add(z, part.c_str(), src, ZIP_FL_ENC_UTF_8) : -1;
    // Fast: the bombs are large but repetitive, and only their inflated size matters.
    added = added && index >= 0 &&
            zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 1) == 0;
  }
  REQUIRE(added);
  REQUIRE(zip_close(z) == 0);  // reads the buffers, which `parts` keeps alive until here
  return path;
}

Table read_book(const std::string& path, const Limits& limits = Limits{}) {
  Table t;
  auto reader = io::open_xlsx(path, "", t.error, limits);
  return epil::testing::drain(std::move(reader), std::move(t));
}

std::string inline_cell(const std::string& text) {
  return "<c t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

// The error that stopped reading names the limit with its value, in both languages.
void check_limit_error(const Table& t, const std::string& limit) {
  REQUIRE(t.error.has_value());
  CAPTURE(t.error->message);
  CHECK(has(t.error->message, "--limit " + limit));
  CHECK(has(t.error->message_zh, "--limit " + limit));
  CHECK(t.rows.empty());
}

}  // namespace

TEST_CASE("xlsx limit: XML nesting deeper than xml-depth, in the sheet and in a part read whole") {
  Scratch scratch;
  const std::string deep = repeat("<x>", 70) + repeat("</x>", 70);
  const Table sheet =
      read_book(write_zip(scratch, "deep.xlsx", book("<row r=\"2\">" + deep + "</row>")));
  REQUIRE(sheet.opened);
  check_limit_error(sheet, "xml-depth=64");
  CHECK(has(sheet.error->message, "xl/worksheets/sheet1.xml"));
  CHECK(sheet.error->at.row == 2);

  const Table styles = read_book(write_zip(scratch, "deep-styles.xlsx", book("", "", deep)));
  CHECK_FALSE(styles.opened);
  check_limit_error(styles, "xml-depth=64");
  CHECK(has(styles.error->message, "xl/styles.xml"));

  Limits shallow;
  shallow.xml_depth = 5;  // worksheet, sheetData, row, c, is, t: six deep
  const Table inl = read_book(
      write_zip(scratch, "inline.xlsx", book("<row r=\"2\">" + inline_cell("x") + "</row>")),
      shallow);
  check_limit_error(inl, "xml-depth=5");
}

TEST_CASE("xlsx limit: more columns than columns is refused with the row and column") {
  Scratch scratch;
  const std::string path = write_zip(
      scratch, "wide.xlsx", book("<row r=\"2\">" + repeat("<c><v>1</v></c>", 11) + "</row>"));
  Limits narrow;
  narrow.columns = 10;
  const Table t = read_book(path, narrow);
  check_limit_error(t, "columns=10");
  CHECK(has(t.error->message, "row 2 has more than 10 cells"));
  CHECK(t.error->at.row == 2);
  CHECK(t.error->at.column == 11);
  CHECK(t.error->at.column_name == "K");
  narrow.columns = 11;
  CHECK(read_book(path, narrow).rows.size() == 1);

  // A cell reference far to the right counts as much as the cells before it.
  const Table far =
      read_book(write_zip(scratch, "far.xlsx", book("<row r=\"2\"><c r=\"Z2\"><v>1</v></c></row>")),
                Limits{.columns = 10});
  check_limit_error(far, "columns=10");
  CHECK(far.error->at.column == 26);
}

TEST_CASE("xlsx limit: one cell longer than cell-bytes, inline or shared") {
  Scratch scratch;
  Limits small;
  small.cell_bytes = 100;
  const std::string row = "<row r=\"2\">" + inline_cell(std::string(101, 'x')) + "</row>";
  const Table t = read_book(write_zip(scratch, "cell.xlsx", book(row)), small);
  check_limit_error(t, "cell-bytes=100");
  CHECK(t.error->at.row == 2);
  CHECK(t.error->at.column == 1);
  small.cell_bytes = 101;
  CHECK(read_book(write_zip(scratch, "cell-ok.xlsx", book(row)), small).rows.size() == 1);

  small.cell_bytes = 100;
  const Table shared = read_book(write_zip(scratch, "shared.xlsx",
                                           book("<row r=\"2\"><c t=\"s\"><v>0</v></c></row>",
                                                "<si><t>" + std::string(60, 'a') + "</t><r><t>" +
                                                    std::string(60, 'b') + "</t></r></si>")),
                                 small);
  CHECK_FALSE(shared.opened);
  check_limit_error(shared, "cell-bytes=100");
  CHECK(has(shared.error->message, "xl/sharedStrings.xml"));
}

TEST_CASE("xlsx limit: a row of more than row-bytes, also from shared strings and repeated cells") {
  Scratch scratch;
  // 17 cells of almost 1 MB each: every cell within cell-bytes, the row past 16 MB.
  const std::string big = inline_cell(std::string((1 << 20) - 1, 'x'));
  const Table t =
      read_book(write_zip(scratch, "row.xlsx", book("<row r=\"2\">" + repeat(big, 17) + "</row>")));
  check_limit_error(t, "row-bytes=16777216");
  CHECK(t.error->at.row == 2);
  CHECK(t.error->at.column == 17);

  Limits small;
  small.row_bytes = 250;
  // The same column again and again (a row no program writes) costs each time.
  const std::string same =
      repeat("<c r=\"A2\" t=\"inlineStr\"><is><t>" + std::string(100, 'y') + "</t></is></c>", 3);
  const Table repeated =
      read_book(write_zip(scratch, "same.xlsx", book("<row r=\"2\">" + same + "</row>")), small);
  check_limit_error(repeated, "row-bytes=250");
  const Table shared =
      read_book(write_zip(scratch, "shared.xlsx",
                          book("<row r=\"2\">" + repeat("<c t=\"s\"><v>0</v></c>", 3) + "</row>",
                               "<si><t>" + std::string(100, 's') + "</t></si>")),
                small);
  check_limit_error(shared, "row-bytes=250");
  small.row_bytes = 300;
  CHECK(read_book(write_zip(scratch, "shared-ok.xlsx",
                            book("<row r=\"2\">" + repeat("<c t=\"s\"><v>0</v></c>", 3) + "</row>",
                                 "<si><t>" + std::string(100, 's') + "</t></si>")),
                  small)
            .rows.size() == 1);
}

TEST_CASE("xlsx limit: more shared strings than shared-strings, or more bytes of them") {
  Scratch scratch;
  // 4M + 1 empty strings: 20 MB of XML that held 4 GB at 300M strings.
  const Table count = read_book(
      write_zip(scratch, "count.xlsx", book("", repeat("<si/>", (std::size_t{4} << 20) + 1))));
  CHECK_FALSE(count.opened);
  check_limit_error(count, "shared-strings=4194304");
  CHECK(has(count.error->message, "xl/sharedStrings.xml"));

  Limits small;
  small.shared_string_bytes = 1000;
  const Table bytes =
      read_book(write_zip(scratch, "bytes.xlsx",
                          book("", repeat("<si><t>" + std::string(100, 'z') + "</t></si>", 11))),
                small);
  check_limit_error(bytes, "shared-string-bytes=1000");
}

TEST_CASE("xlsx limit: relationships, sheets, cell formats and number formats past xlsx-parts") {
  Scratch scratch;
  const std::size_t n = 65537;
  Parts rels = book("");
  set_part(rels, "xl/_rels/workbook.xml.rels", many_relationships(n));
  const Table r = read_book(write_zip(scratch, "rels.xlsx", rels));
  check_limit_error(r, "xlsx-parts=65536");
  CHECK(has(r.error->message, "xl/_rels/workbook.xml.rels has more than 65536 relationships"));

  Parts sheets = book("");
  set_part(sheets, "xl/workbook.xml",
           workbook(repeat("<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>", n)));
  const Table s = read_book(write_zip(scratch, "sheets.xlsx", sheets));
  check_limit_error(s, "xlsx-parts=65536");
  CHECK(has(s.error->message, "sheets"));

  const Table xf = read_book(
      write_zip(scratch, "xf.xlsx",
                book("", "", "<cellXfs>" + repeat("<xf numFmtId=\"0\"/>", n) + "</cellXfs>")));
  check_limit_error(xf, "xlsx-parts=65536");
  CHECK(has(xf.error->message, "cell formats"));

  std::string fmts = "<numFmts>";
  for (std::size_t i = 0; i < n; ++i) {
    fmts += "<numFmt numFmtId=\"" + std::to_string(200 + i) + "\" formatCode=\"0\"/>";
  }
  const Table nf = read_book(write_zip(scratch, "numfmt.xlsx", book("", "", fmts + "</numFmts>")));
  check_limit_error(nf, "xlsx-parts=65536");
  CHECK(has(nf.error->message, "number formats"));
}

TEST_CASE("xlsx limit: an archive of more entries than xlsx-parts") {
  Scratch scratch;
  Parts parts = book("<row r=\"2\"><c><v>1</v></c></row>");
  for (int i = 0; i < 65533; ++i) parts.push_back({"xl/media/x" + std::to_string(i) + ".bin", ""});
  const Table t = read_book(write_zip(scratch, "entries.xlsx", parts));
  CHECK_FALSE(t.opened);
  check_limit_error(t, "xlsx-parts=65536");
  CHECK(has(t.error->message, "65537 entries"));
}

TEST_CASE("xlsx limit: a part read whole that inflates past xlsx-part-bytes") {
  Scratch scratch;
  Limits small;
  small.xlsx_part_bytes = 4096;
  const std::string styles = "<cellXfs>" + repeat("<xf numFmtId=\"0\"/>", 300) + "</cellXfs>";
  const Table t = read_book(write_zip(scratch, "styles.xlsx", book("", "", styles)), small);
  CHECK_FALSE(t.opened);
  check_limit_error(t, "xlsx-part-bytes=4096");
  CHECK(has(t.error->message, "xl/styles.xml is larger than 4096 bytes"));
  // The sheet is streamed, not read whole: it may be larger.
  const Table sheet = read_book(
      write_zip(scratch, "sheet.xlsx", book(repeat("<row><c><v>1</v></c></row>", 500))), small);
  CHECK_FALSE(sheet.error.has_value());
  CHECK(sheet.rows.size() == 500);
}

TEST_CASE("xlsx limit: one XML tag longer than cell-bytes, while long cell text is fine") {
  Scratch scratch;
  // Expat holds a whole tag until its end: an attribute of 1.5 MB is one such tag.
  const std::string row =
      "<row r=\"2\"><c r=\"A2\" x=\"" + std::string(3 << 19, 'a') + "\"><v>1</v></c></row>";
  const Table t = read_book(write_zip(scratch, "tag.xlsx", book(row)));
  check_limit_error(t, "cell-bytes=1048576");
  CHECK(has(t.error->message, "XML tag"));
  CHECK(t.error->at.row == 2);

  const Table comment = read_book(
      write_zip(scratch, "comment.xlsx", book("<!--" + std::string(3 << 19, 'c') + "-->")));
  check_limit_error(comment, "cell-bytes=1048576");

  // Text arrives in pieces, so a cell just under the limit is read whole.
  const std::string text(1 << 20, 'x');
  const Table ok = read_book(
      write_zip(scratch, "text.xlsx", book("<row r=\"2\">" + inline_cell(text) + "</row>")));
  CHECK_FALSE(ok.error.has_value());
  REQUIRE(ok.rows.size() == 1);
  CHECK(ok.rows[0][0].size() == text.size());
}

TEST_CASE("xlsx: a DTD, which could expand entities, is refused") {
  Scratch scratch;
  Parts parts = book("");
  set_part(parts, "xl/workbook.xml",
           "<!DOCTYPE workbook [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>" +
               workbook("<sheet name=\"&b;\" sheetId=\"1\" r:id=\"rId1\"/>"));
  const Table t = read_book(write_zip(scratch, "dtd.xlsx", parts));
  CHECK_FALSE(t.opened);
  REQUIRE(t.error.has_value());
  CHECK(has(t.error->message, "xl/workbook.xml declares a DTD"));
  CHECK(has(t.error->message_zh, "DTD"));
}

TEST_CASE("xlsx: entries whose names are the same or differ only in case are refused") {
  Scratch scratch;
  Parts variant = book("<row r=\"2\"><c><v>1</v></c></row>");
  variant.push_back({"XL/Worksheets/Sheet1.xml", "<worksheet/>"});
  const Table t = read_book(write_zip(scratch, "case.xlsx", variant));
  CHECK_FALSE(t.opened);
  REQUIRE(t.error.has_value());
  CAPTURE(t.error->message);
  CHECK(has(t.error->message, "\"XL/Worksheets/Sheet1.xml\""));
  CHECK(has(t.error->message, "\"xl/worksheets/sheet1.xml\""));
  CHECK_FALSE(t.error->message_zh.empty());

  // libzip will not write one name twice: write a placeholder and rename it in the bytes
  // (the names in the local header and the central directory are not under any CRC).
  Parts same = book("<row r=\"2\"><c><v>1</v></c></row>");
  same.push_back({"xl/worksheets/sheet1.xmQ", "<worksheet/>"});
  const std::string path = write_zip(scratch, "same.xlsx", same);
  std::string bytes = epil::testing::read_bytes(path);
  for (std::size_t at = bytes.find("sheet1.xmQ"); at != std::string::npos;
       at = bytes.find("sheet1.xmQ", at)) {
    bytes[at + 9] = 'l';
  }
  const Table dup = read_book(scratch.write("same2.xlsx", bytes));
  CHECK_FALSE(dup.opened);
  REQUIRE(dup.error.has_value());
  CAPTURE(dup.error->message);
  CHECK(has(dup.error->message,
            "two entries named \"xl/worksheets/sheet1.xml\" and "
            "\"xl/worksheets/sheet1.xml\""));
}

TEST_CASE("xlsx messages quote at most 80 characters of a bad value") {
  Scratch scratch;
  const std::string long_value(1000, '7');
  const Table shared = read_book(write_zip(
      scratch, "ref.xlsx",
      book("<row r=\"2\"><c t=\"s\"><v>" + long_value + "</v></c></row>", "<si><t>a</t></si>")));
  REQUIRE(shared.error.has_value());
  CAPTURE(shared.error->message);
  CHECK(has(shared.error->message, "\"" + std::string(80, '7') + "…\""));
  CHECK_FALSE(has(shared.error->message, std::string(81, '7')));
  CHECK_FALSE(has(shared.error->message_zh, std::string(81, '7')));

  // Cut on a character, not inside one: 91 characters become 80 and "…".
  std::string chinese;
  for (int i = 0; i < 90; ++i) chinese += "案";
  const Table ref = read_book(write_zip(
      scratch, "cellref.xlsx", book("<row r=\"2\"><c r=\"A" + chinese + "\"><v>1</v></c></row>")));
  REQUIRE(ref.error.has_value());
  std::string cut = "A";  // "A" and 79 characters
  for (int i = 0; i < 79; ++i) cut += "案";
  CHECK(has(ref.error->message, "\"" + cut + "…\""));
  CHECK_FALSE(has(ref.error->message, cut + "案"));

  // A missing sheet lists the first 20 sheets present, each cut short.
  Parts many = book("");
  std::string sheets;
  for (int i = 0; i < 30; ++i) {
    sheets += "<sheet name=\"" + std::to_string(i) + std::string(200, 'n') +
              "\" sheetId=\"1\" r:id=\"rId1\"/>";
  }
  set_part(many, "xl/workbook.xml", workbook(sheets));
  std::optional<io::TableError> error;
  CHECK(io::open_xlsx(write_zip(scratch, "many.xlsx", many), "nosuch", error) == nullptr);
  REQUIRE(error.has_value());
  CHECK(error->message.size() < 2500);
  CHECK(has(error->message, "… (30)"));
  CHECK_FALSE(has(error->message, std::string(81, 'n')));
}

// Batch screening opens the workbook and reads its header before anything else: bombs in the
// header row or in the parts read first are reported by `epil batch` as they are.
TEST_CASE("epil batch names the XLSX limit a workbook exceeds") {
  Scratch scratch;
  struct Case {
    std::string options, name, part, content;
    std::vector<std::string> expected;
  };
  const std::string sheet = "xl/worksheets/sheet1.xml";
  const Case cases[] = {
      {"--lang en",
       "deep.xlsx",
       sheet,
       worksheet("<row r=\"1\">" + repeat("<x>", 70) + repeat("</x>", 70) + "</row>"),
       {"deep.xlsx: XML elements in xl/worksheets/sheet1.xml are nested more than 64 deep "
        "(line 1) (limit --limit xml-depth=64"}},
      {"--lang zh --limit columns=10",
       "wide.xlsx",
       sheet,
       worksheet("<row r=\"1\">" + repeat("<c><v>1</v></c>", 11) + "</row>"),
       {"第 1 行超过 10 个单元格", "--limit columns=10"}},
      {"--lang en",
       "rels.xlsx",
       "xl/_rels/workbook.xml.rels",
       many_relationships(65537),
       {"more than 65536 relationships", "--limit xlsx-parts=65536"}},
      {"--lang en",
       "tag.xlsx",
       sheet,
       worksheet("<row r=\"1\"><c x=\"" + std::string(3 << 19, 'a') + "\"/></row>"),
       {"--limit cell-bytes=1048576"}},
  };
  for (const Case& c : cases) {
    Parts parts = book("");
    set_part(parts, c.part, c.content);
    const std::string in = write_zip(scratch, c.name, parts);
    const epil::testing::Run r = epil::testing::run(c.options + " batch '" + in + "' -o '" +
                                                    scratch.path(c.name + ".csv") + "'");
    CAPTURE(r.out);
    CHECK(r.code != 0);
    for (const std::string& e : c.expected) CHECK(has(r.out, e));
  }
  const std::string shared =
      write_zip(scratch, "shared.xlsx", book("", repeat("<si/>", (std::size_t{4} << 20) + 1)));
  const epil::testing::Run r =
      epil::testing::run("batch '" + shared + "' -o '" + scratch.path("shared.csv") + "'");
  CHECK(r.code != 0);
  CHECK(has(r.out, "--limit shared-strings=4194304"));
}
