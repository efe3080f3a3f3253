// Tests for open_jsonl (io/table.h) and make_jsonl_writer (io/batch.h): the header as the union of
// the keys, every JSON type as a cell, escapes and surrogate pairs, BOM, CRLF and blank lines with
// row numbers as an editor shows them, each kind of error with its line and byte, files larger
// than the reader's release step, pipes; the writer's typing of cells, unique keys, buffering,
// and a round trip through both.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli_support.h"
#include "io/batch.h"
#include "io/table.h"
#include "table_support.h"

namespace {

namespace io = epil::io;
using epil::testing::has;
using epil::testing::Scratch;
using epil::testing::Rows;
using epil::testing::Table;

std::string data_file(const std::string& name) {
  return std::string(EPIL_SOURCE_DIR) + "/tests/data/jsonl/" + name;
}

// Everything a reader gives, copied out of its buffers.
Table read_all(const std::string& path) {
  Table t;
  auto reader = io::open_jsonl(path, t.error);
  return epil::testing::drain(std::move(reader), std::move(t));
}

Table read_text(const std::string& text) {
  Scratch dir;
  return read_all(dir.write("in.jsonl", text));
}

// The writer's output for a header and rows, with `added` appended columns.
std::string write_all(const std::vector<std::string>& header, const Rows& rows,
                      const std::vector<std::string>& added_keys = {}) {
  std::string out;
  auto w = io::make_jsonl_writer(
      [&](std::string_view bytes) {
        out.append(bytes);
        return true;
      },
      added_keys);
  REQUIRE(w->header(header));
  for (const auto& r : rows) {
    const std::vector<std::string_view> cells(r.begin(), r.end());
    REQUIRE(w->row(cells, r.size() - std::min(r.size(), added_keys.size()), ""));
  }
  REQUIRE(w->finish(io::BatchSummary{}));
  return out;
}

}  // namespace

TEST_CASE("jsonl reader header is every key in order of first appearance") {
  const Table t = read_text(
      "{\"b\": 1, \"a\": \"x\"}\n"
      "{\"c\": 3, \"a\": \"y\"}\n"
      "{\"d\": 5}\n"
      "{}\n");
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  CHECK(t.header == std::vector<std::string>{"b", "a", "c", "d"});
  // A key a line lacks is an empty cell; every row has one cell per header column.
  CHECK(t.rows ==
        Rows{{"1", "x", "", ""}, {"", "y", "3", ""}, {"", "", "", "5"}, {"", "", "", ""}});
  CHECK(t.lines == std::vector<int64_t>{1, 2, 3, 4});
}

TEST_CASE("jsonl reader keys in other orders and spellings find their column") {
  // The same key written with escapes is the same column; key order changes from line to line.
  const Table t = read_text(
      "{\"金额\": 1, \"地区\": \"广西\"}\n"
      "{\"地区\": \"浙江\", \"\\u91d1\\u989d\": 2}\n"
      "{\"\\u5730\\u533a\":\"云南\",\"金额\":3,\"新\":\"n\"}\n");
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  CHECK(t.header == std::vector<std::string>{"金额", "地区", "新"});
  CHECK(t.rows == Rows{{"1", "广西", ""}, {"2", "浙江", ""}, {"3", "云南", "n"}});
}

TEST_CASE("jsonl reader decodes escapes and surrogate pairs") {
  const Table t =
      read_text(R"({"s": "q\" b\\ s\/ \b\f\n\r\t A\u0041 \u00e9\u4e2D \ud83d\ude00 😀 中"})"
                "\n"
                R"({"s": "\u0000"})"
                "\n"
                R"({"s": ""})"
                "\n");
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0][0] == "q\" b\\ s/ \b\f\n\r\t AA é中 😀 😀 中");
  CHECK(t.rows[1][0] == std::string(1, '\0'));
  CHECK(t.rows[2][0].empty());
}

TEST_CASE("jsonl reader keeps numbers booleans null and nested values as text") {
  const Table t =
      read_text(R"({"n": 2800, "m": -1.50, "e": 1E+3, "z": -0, "t": true, "f": false, "x": null, )"
                R"("a": [1, {"k": null}, "s\"]"], "o": {"k": [ ]}, "empty": {}})"
                "\n");
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  CHECK(t.header == std::vector<std::string>{"n", "m", "e", "z", "t", "f", "x", "a", "o", "empty"});
  REQUIRE(t.rows.size() == 1);
  // Numbers keep their literal text; nested values are the JSON text as written.
  CHECK(t.rows[0] == std::vector<std::string>{"2800", "-1.50", "1E+3", "-0", "true", "false", "",
                                              R"([1, {"k": null}, "s\"]"])", R"({"k": [ ]})",
                                              "{}"});
}

TEST_CASE("jsonl reader checked-in file with a bom crlf and blank lines") {
  const Table t = read_all(data_file("bom_crlf.jsonl"));
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  // The BOM is not part of the first key.
  CHECK(t.header ==
        std::vector<std::string>{"案件编号", "地区", "损害数额", "事实简单", "备注", "附件"});
  CHECK(t.rows ==
        Rows{{"C-001", "广西", "2800", "true", "", ""},
             {"C-002", "", "0.3万元", "false", "含\"引号\"与换行\n", R"({"a": [1, 2.5e3]})"},
             {"C-003", "", "", "", "😀 é\t\\", ""}});
  // Physical lines as an editor numbers them: blank and whitespace-only lines count.
  CHECK(t.lines == std::vector<int64_t>{1, 3, 5});
  CHECK(t.bytes_read == t.bytes_total);
  CHECK(t.bytes_total == std::filesystem::file_size(data_file("bom_crlf.jsonl")));
}

TEST_CASE("jsonl reader row numbers count blank lines") {
  const Table t = read_text("\n \n{\"a\": 1}\n\n\t\r\n{\"a\": 2}\r\n\n{\"a\": 3}");
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  CHECK(t.rows == Rows{{"1"}, {"2"}, {"3"}});
  CHECK(t.lines == std::vector<int64_t>{3, 6, 8});
}

TEST_CASE("jsonl reader strings of every length around the vector block size") {
  // Strings of 0 to 40 bytes with a quote, an escape or a multi-byte character at each place,
  // in the middle of the file and at its very end (no line feed), so that the 16-byte scans meet
  // every boundary.
  Scratch dir;
  std::string file;
  std::vector<std::string> texts;
  for (size_t len = 0; len <= 40; ++len) {
    for (const std::string special : {"\\\"", "\\u00e9", "é", "中"}) {
      for (size_t at = 0; at <= len; at += 3) {
        std::string text(len, 'x');
        std::string written = text;
        text.insert(at, special == "\\\"" ? "\"" : special == "\\u00e9" ? "é" : special);
        written.insert(at, special);
        const std::string line = "{\"k\":\"" + written + "\"}";
        texts.push_back(text);
        file += line + "\n";
        // The same line alone, ending the file; fewer of them, each is a file of its own.
        if ((at != 0 && at + 3 <= len) || special == "é" || special == "\\u00e9") continue;
        const Table last = read_all(dir.write("last.jsonl", line));
        CAPTURE(line);
        REQUIRE(last.opened);
        CHECK_FALSE(last.error);
        CHECK(last.rows == Rows{{text}});
      }
    }
  }
  const Table all = read_all(dir.write("all.jsonl", file));
  REQUIRE(all.opened);
  CHECK_FALSE(all.error);
  REQUIRE(all.rows.size() == texts.size());
  for (size_t i = 0; i < texts.size(); ++i) CHECK(all.rows[i][0] == texts[i]);
}

namespace {

struct ErrorCase {
  const char* name;
  std::string text;
  int64_t line;
  int column;          // the key's column in the header, 0 if none
  const char* en;      // expected in the English message
  const char* zh;      // expected in the Chinese one
  size_t rows_before;  // rows returned before the error
};

}  // namespace

TEST_CASE("jsonl reader errors name the line and the byte") {
  const std::string good = "{\"a\": 1, \"b\": \"x\"}\n";
  const std::vector<ErrorCase> cases = {
      {"array", good + "[1, 2]\n", 2, 0, "line 2, byte 1: expected a JSON object", "这一行是数组",
       1},
      {"string", good + "\"text\"\n", 2, 0, "found a string", "这一行是字符串", 1},
      {"number", good + "  42\n", 2, 0, "line 2, byte 3: expected a JSON object", "数字", 1},
      {"missing colon", good + "{\"a\" 1}\n", 2, 0,
       "line 2, byte 6: expected ':' after the key \"a\", found '1'", "第 2 行第 6 字节处", 1},
      {"trailing comma", good + "{\"a\": 1,}\n", 2, 0,
       "line 2, byte 9: expected a key in double quotes, found '}'", "双引号括起的键名", 1},
      {"unquoted key", good + "{a: 1}\n", 2, 0, "byte 2: expected a key in double quotes or '}'",
       "但遇到“a”", 1},
      {"bad literal", good + "{\"b\": True}\n", 2, 2,
       "line 2, byte 7 (in the value of \"b\"): expected a value", "但遇到“True”", 1},
      {"nan", good + "{\"a\": NaN}\n", 2, 1, "found 'NaN'", "键“a”的值中", 1},
      {"leading zero", good + "{\"a\": 007}\n", 2, 1,
       "byte 7 (in the value of \"a\"): expected "
       "a number without a leading zero",
       "不以 0 开头的数字", 1},
      {"bare decimal point", good + "{\"a\": 1.}\n", 2, 1,
       "byte 9 (in the value of \"a\"): expected a digit after the decimal point", "小数点", 1},
      {"exponent", good + "{\"a\": 1e+}\n", 2, 1, "expected a digit in the exponent", "指数", 1},
      {"unterminated string", good + "{\"b\": \"abc\n", 2, 2,
       "byte 11 (in the value of \"b\"): expected a closing '\"' for the string that starts at "
       "byte 7, found the end of the line",
       "第 7 字节处开始的字符串的右引号", 1},
      {"unterminated string before crlf", good + "{\"b\": \"abc\r\n", 2, 2,
       "found the end of the line", "行尾", 1},
      {"raw control character", good + "{\"b\": \"a\tb\"}\n", 2, 2,
       "byte 9 (in the value of \"b\"): expected a control character written as an escape",
       "控制字符 U+0009", 1},
      {"bad escape", good + "{\"b\": \"a\\qb\"}\n", 2, 2,
       "byte 10 (in the value of \"b\"): expected an escape after '\\'", "转义字符", 1},
      {"short unicode escape", good + "{\"b\": \"\\u12\"}\n", 2, 2,
       "expected four hexadecimal digits after \\u, found '\"'", "四位十六进制数字", 1},
      {"lone high surrogate", good + "{\"b\": \"x\\ud83d\"}\n", 2, 2,
       "byte 9 (in the value of \"b\"): expected a low surrogate", "低位代理项", 1},
      {"lone low surrogate", good + "{\"b\": \"\\ude00\"}\n", 2, 2,
       "expected a high surrogate \\uD800–\\uDBFF before the low surrogate \\uDE00", "高位代理项",
       1},
      {"unclosed array", good + "{\"a\": [1, 2}\n", 2, 1,
       "byte 12 (in the value of \"a\"): expected ',' or ']' in an array, found '}'", "数组", 1},
      {"nested missing colon", good + "{\"a\": {\"k\" 1}}\n", 2, 1,
       "expected ':' after the key, found '1'", "键名之后的“:”", 1},
      {"missing comma", good + "{\"a\": 1 \"b\": 2}\n", 2, 1,
       "expected ',' or '}' after the value, found '\"'", "值之后的", 1},
      {"two objects", good + "{\"a\": 1}{\"b\": 2}\n", 2, 0,
       "byte 9: expected the end of the line after the object (one object per line), found '{'",
       "每行只能有一个对象", 1},
      {"unclosed object", good + "{\"a\": 1\n", 2, 1,
       "expected ',' or '}' after the value, found the end of the line", "行尾", 1},
      {"duplicate key", good + "{\"a\": 1, \"b\": 2, \"a\": 3}\n", 2, 1,
       "line 2, byte 18: expected each key once in an object, found \"a\" a second time",
       "键“a”出现了第二次", 1},
      {"duplicate key spelled with an escape", good + "{\"a\": 1, \"\\u0061\": 2}\n", 2, 1,
       "found \"a\" a second time", "第二次", 1},
      {"invalid utf-8", good + good + "{\"b\": \"ab\xC3\x28\"}\n", 3, 2,
       "line 3, byte 10 (in the value of \"b\"): expected UTF-8 text, found bytes that are not "
       "valid UTF-8 (C3 28)",
       "不是有效的 UTF-8", 2},
      {"utf-8 cut off by the quote", good + "{\"b\": \"中\xE4\xB8\"}\n", 2, 2,
       "byte 11 (in the value of \"b\"): expected UTF-8 text", "（E4 B8）", 1},
      {"invalid utf-8 in a nested string", good + "{\"a\": [\"\xFF\"]}\n", 2, 1,
       "byte 9 (in the value of \"a\"): expected UTF-8 text", "FF", 1},
      {"invalid utf-8 in a key", good + "{\"\xFF\": 1}\n", 2, 0,
       "line 2, byte 3: expected UTF-8 text", "FF", 1},
      {"gb18030 text", good + "{\"b\": \"\xD6\xD0\xCE\xC4\"}\n", 2, 2,
       "expected UTF-8 text, found bytes that are not valid UTF-8 (D6 D0 CE C4)", "UTF-8", 1},
  };
  for (const ErrorCase& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    const Table t = read_text(c.text);
    REQUIRE(t.opened);
    REQUIRE(t.error);
    CAPTURE(t.error->message);
    CAPTURE(t.error->message_zh);
    CHECK(t.rows.size() == c.rows_before);
    CHECK(t.error->at.row == c.line);
    CHECK(t.error->at.column == c.column);
    CHECK(t.error->file.size() > 0);
    CHECK(has(t.error->message, c.en));
    CHECK(has(t.error->message_zh, c.zh));
    // Both messages say which line.
    CHECK(has(t.error->message, "line " + std::to_string(c.line)));
    CHECK(has(t.error->message_zh, "第 " + std::to_string(c.line) + " 行"));
    if (c.column > 0) CHECK(t.error->at.column_name == t.header[c.column - 1]);
  }
}

TEST_CASE("jsonl reader an error on the first line fails the open") {
  std::optional<io::TableError> error;
  Scratch dir;
  auto reader = io::open_jsonl(dir.write("in.jsonl", "\n{\"a\": 1,}\n{\"a\": 2}\n"), error);
  CHECK(reader == nullptr);
  REQUIRE(error);
  CHECK(error->at.row == 2);
  CHECK(has(error->message, "line 2, byte 9: expected a key in double quotes"));
}

TEST_CASE("jsonl reader a line longer than row-bytes is an error") {
  // A valid object: the reader finds its end before it measures it.
  Scratch dir;
  epil::Limits limits;
  limits.row_bytes = 4096;
  const std::string path = dir.write(
      "long.jsonl", "{\"a\": \"short\"}\n{\"a\": \"" + std::string(4090, 'x') + "\"}\n{\"a\": \"after\"}\n");
  Table t;
  t = epil::testing::drain(io::open_jsonl(path, t.error, limits), std::move(t));
  REQUIRE(t.opened);
  CHECK(t.rows == Rows{{"short"}});
  REQUIRE(t.error);
  CHECK(t.error->at.row == 2);
  CHECK(has(t.error->message, "line 2: expected a line of at most 4096 bytes, found one of 4099"));
  CHECK(has(t.error->message, "(limit row-bytes; raise it with --limit row-bytes=N)"));
  CHECK(has(t.error->message_zh, "一行应不超过 4096 字节"));
}

TEST_CASE("jsonl reader open failures") {
  Scratch dir;
  std::optional<io::TableError> error;

  CHECK(io::open_jsonl(dir.path("missing.jsonl"), error) == nullptr);
  REQUIRE(error);
  CHECK(has(error->message, "cannot open"));
  CHECK(has(error->message_zh, "文件不存在"));
  CHECK(error->file == dir.path("missing.jsonl"));

  CHECK(io::open_jsonl(dir.dir.string(), error) == nullptr);
  REQUIRE(error);
  CHECK(has(error->message, "found a directory"));

  CHECK(io::open_jsonl(dir.write("empty.jsonl", ""), error) == nullptr);
  REQUIRE(error);
  CHECK(has(error->message, "found no object in the file"));

  CHECK(io::open_jsonl(dir.write("blank.jsonl", "\xEF\xBB\xBF\n  \r\n\n"), error) == nullptr);
  REQUIRE(error);
  CHECK(has(error->message_zh, "文件中没有任何对象"));

  // A success clears an earlier error.
  CHECK(io::open_jsonl(dir.write("ok.jsonl", "{}"), error) != nullptr);
  CHECK_FALSE(error);
}

TEST_CASE("jsonl reader next after the end or an error stays false") {
  Scratch dir;
  std::optional<io::TableError> error;
  std::vector<std::string_view> cells;
  auto done = io::open_jsonl(dir.write("a.jsonl", "{\"a\": 1}\n"), error);
  REQUIRE(done);
  CHECK(done->next(cells));
  CHECK(done->position().row == 1);
  CHECK_FALSE(done->next(cells));
  CHECK_FALSE(done->next(cells));
  CHECK_FALSE(done->error());

  auto bad = io::open_jsonl(dir.write("b.jsonl", "{\"a\": 1}\n{\"a\": }\n{\"a\": 3}\n"), error);
  REQUIRE(bad);
  CHECK(bad->next(cells));
  CHECK_FALSE(bad->next(cells));
  REQUIRE(bad->error());
  CHECK(bad->error()->at.row == 2);
  CHECK_FALSE(bad->next(cells));
  CHECK(bad->error()->at.row == 2);
}

TEST_CASE("jsonl reader streams a file larger than its release step") {
  // More than 16 MiB, so that the reader gives back pages behind it while rows are read; every
  // row must still come out whole.
  Scratch dir;
  const std::string path = dir.path("big.jsonl");
  const int n = 120000;
  {
    std::ofstream out(path, std::ios::binary);
    const std::string pad(120, 'p');
    for (int i = 0; i < n; ++i) {
      out << "{\"id\": " << i << ", \"备注\": \"第" << i << "行" << pad << "\", \"x\\n\": \"\\u4e2d"
          << i % 7 << "\"}\n";
    }
  }
  REQUIRE(std::filesystem::file_size(path) > (size_t{16} << 20));
  std::optional<io::TableError> error;
  auto reader = io::open_jsonl(path, error);
  REQUIRE(reader);
  CHECK(reader->header() == std::vector<std::string>{"id", "备注", "x\n"});
  std::vector<std::string_view> cells;
  int rows = 0;
  int wrong = 0;
  while (reader->next(cells)) {
    const std::string id = std::to_string(rows);
    if (cells[0] != id || cells[1] != "第" + id + "行" + std::string(120, 'p') ||
        cells[2] != "中" + std::to_string(rows % 7) || reader->position().row != rows + 1) {
      ++wrong;
    }
    ++rows;
  }
  CHECK_FALSE(reader->error());
  CHECK(rows == n);
  CHECK(wrong == 0);
  CHECK(reader->bytes_read() == reader->bytes_total());
}

TEST_CASE("jsonl reader progress reaches the total") {
  const Table t = read_text("{\"a\": 1}\n{\"a\": 2}\n\n{\"a\": 3}\n");
  CHECK(t.progress_monotonic);
  CHECK(t.bytes_total == 28);
  CHECK(t.bytes_read == 28);
}

TEST_CASE("jsonl reader reads from a pipe") {
  // A pipe cannot be read twice; the reader keeps what it read in memory.
  Scratch dir;
  const std::string fifo = dir.path("pipe.jsonl");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << "{\"a\": 1}\n{\"b\": \"中\"}\n";
  });
  const Table t = read_all(fifo);
  writer.join();
  REQUIRE(t.opened);
  CHECK_FALSE(t.error);
  CHECK(t.header == std::vector<std::string>{"a", "b"});
  CHECK(t.rows == Rows{{"1", ""}, {"", "中"}});
}

TEST_CASE("jsonl writer gives cells their json type") {
  struct Typed {
    std::string cell;
    std::string json;
  };
  const std::vector<Typed> cases = {
      {"2800", "2800"},
      {"-1.5", "-1.5"},
      {"1e3", "1e3"},
      {"2.5E-3", "2.5E-3"},
      {"0", "0"},
      {"-0", "-0"},
      {"123456789012345", "123456789012345"},
      {"0.000123456789012345", "0.000123456789012345"},
      // Not JSON numbers.
      {"007", "\"007\""},
      {"+1", "\"+1\""},
      {"1.", "\"1.\""},
      {".5", "\".5\""},
      {"NaN", "\"NaN\""},
      {"1e", "\"1e\""},
      {"1 ", "\"1 \""},
      {"3,000", "\"3,000\""},
      // Numbers a double cannot hold exactly or at all stay text (RFC 8259 §6).
      {"110101199003077777", "\"110101199003077777\""},
      {"1234567890123456", "\"1234567890123456\""},
      {"1e400", "\"1e400\""},
      {"true", "true"},
      {"false", "false"},
      {"True", "\"True\""},
      {"null", "\"null\""},
      {"", "null"},
      {" ", "\" \""},
      {"含\"引号\"\n", "\"含\\\"引号\\\"\\n\""},
      {"[1]", "\"[1]\""},
  };
  for (const Typed& c : cases) {
    CAPTURE(c.cell);
    CHECK(write_all({"k"}, {{c.cell}}) == "{\"k\":" + c.json + "}\n");
  }
}

TEST_CASE("jsonl writer appended columns are text except the margin") {
  const std::vector<std::string> added = {"outcome", "reasons", "margin", "fingerprint"};
  const std::string out =
      write_all({"金额", "筛查结论", "理由代码", "差额", "配置指纹"},
                {{"2800", "true", "", "-1500.5", "12"}, {"x", "none", "a;b", "n/a", ""}}, added);
  CHECK(out ==
        "{\"金额\":2800,\"outcome\":\"true\",\"reasons\":null,\"margin\":-1500.5,"
        "\"fingerprint\":\"12\"}\n"
        "{\"金额\":\"x\",\"outcome\":\"none\",\"reasons\":\"a;b\",\"margin\":\"n/a\","
        "\"fingerprint\":null}\n");
}

TEST_CASE("jsonl writer makes duplicate header names unique") {
  // The second "a" skips "a (2)", which a later column is named.
  const std::string out = write_all({"a", "a", "a (2)", "outcome", "", "", "筛查结论"},
                                    {{"1", "2", "3", "4", "5", "6", "x"}}, {"outcome"});
  CHECK(
      out ==
      "{\"a\":1,\"a (3)\":2,\"a (2)\":3,\"outcome\":4,\"\":5,\" (2)\":6,\"outcome (2)\":\"x\"}\n");
}

TEST_CASE("jsonl writer cells beyond the header get numbered keys") {
  std::string out;
  auto w = io::make_jsonl_writer(
      [&](std::string_view b) {
        out.append(b);
        return true;
      },
      {"outcome"});
  REQUIRE(w->header({"a", "#3", "outcome label"}));
  const std::vector<std::string_view> cells = {"1", "2", "3", "ok"};
  REQUIRE(w->row(cells, 3, "ok"));
  REQUIRE(w->finish(io::BatchSummary{}));
  CHECK(out == "{\"a\":1,\"#3\":2,\"#3 (2)\":3,\"outcome\":\"ok\"}\n");
}

TEST_CASE("jsonl writer row and the workers' encoding agree and buffer in 64 KiB chunks") {
  std::vector<size_t> chunks;
  std::string via_rows;
  auto w = io::make_jsonl_writer(
      [&](std::string_view b) {
        chunks.push_back(b.size());
        via_rows.append(b);
        return true;
      },
      {"outcome"});
  REQUIRE(w->encodes());
  REQUIRE(w->header({"案件编号", "金额", "筛查结论"}));
  std::string encoded;
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "C-" + std::to_string(i);
    const std::string amount = std::to_string(i * 10);
    const std::vector<std::string_view> cells = {id, amount, "移送"};
    REQUIRE(w->row(cells, 2, "transfer"));
    // As the workers encode: the input cells, the appended cell, the row's end.
    w->encode_input({cells[0], cells[1]}, encoded);
    w->encode_added(0, cells[2], encoded);
    w->encode_end(encoded);
  }
  REQUIRE(w->finish(io::BatchSummary{}));
  REQUIRE(chunks.size() > 2);
  for (size_t i = 0; i + 1 < chunks.size(); ++i) CHECK(chunks[i] >= (size_t{64} << 10));
  CHECK(via_rows == encoded);
  CHECK(encoded.starts_with("{\"案件编号\":\"C-0\",\"金额\":0,\"outcome\":\"移送\"}\n{"));

  // The same bytes handed over as the batch pipeline does: a few rows at a time, then many.
  std::string via_encoded;
  auto w2 = io::make_jsonl_writer(
      [&](std::string_view b) {
        via_encoded.append(b);
        return true;
      },
      {"outcome"});
  REQUIRE(w2->header({"案件编号", "金额", "筛查结论"}));
  REQUIRE(w2->write_encoded(std::string_view(encoded).substr(0, 100)));
  REQUIRE(w2->write_encoded(std::string_view(encoded).substr(100)));
  REQUIRE(w2->finish(io::BatchSummary{}));
  CHECK(via_encoded == encoded);
}

TEST_CASE("jsonl writer reports a failing sink") {
  auto w = io::make_jsonl_writer([](std::string_view) { return false; }, {});
  REQUIRE(w->header({"a"}));
  const std::vector<std::string_view> cells = {"1"};
  CHECK(w->row(cells, 1, ""));  // still buffered
  CHECK_FALSE(w->finish(io::BatchSummary{}));
}

TEST_CASE("jsonl round trip reader writer reader keeps cells") {
  const Table first = read_all(data_file("bom_crlf.jsonl"));
  REQUIRE(first.opened);
  REQUIRE_FALSE(first.error);
  Scratch dir;
  const std::string written = write_all(first.header, first.rows);
  const Table second = read_all(dir.write("out.jsonl", written));
  REQUIRE(second.opened);
  CHECK_FALSE(second.error);
  CHECK(second.header == first.header);
  CHECK(second.rows == first.rows);
  // Numbers and booleans stay numbers and booleans; the nested object becomes its text.
  CHECK(has(written, "\"损害数额\":2800,\"事实简单\":true"));
  CHECK(has(written, "\"附件\":\"{\\\"a\\\": [1, 2.5e3]}\""));
  CHECK(has(written, "\"地区\":null"));
}

// A row of no input cells (a JSON Lines input of `{}`): the appended cells alone, without the
// separator that would stand before them after an input cell.
TEST_CASE("writers: a row without input cells starts with its first appended cell") {
  std::string jsonl, csv;
  auto j = io::make_jsonl_writer(
      [&](std::string_view b) {
        jsonl.append(b);
        return true;
      },
      {"outcome", "outcome_label"});
  REQUIRE(j->header({"outcome", "outcome label"}));
  REQUIRE(j->row({"ok", "fine"}, 0, "ok"));
  REQUIRE(j->finish(io::BatchSummary{}));
  CHECK(jsonl == "{\"outcome\":\"ok\",\"outcome_label\":\"fine\"}\n");
  auto c = io::make_csv_writer(
      [&](std::string_view b) {
        csv.append(b);
        return true;
      },
      ',', false);
  REQUIRE(c->header({"outcome", "outcome label"}));
  REQUIRE(c->row({"ok", "fine, really"}, 0, "ok"));
  REQUIRE(c->finish(io::BatchSummary{}));
  CHECK(csv == "outcome,outcome label\r\nok,\"fine, really\"\r\n");
}
