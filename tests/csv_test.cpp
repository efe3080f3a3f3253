// Tests for open_csv (io/table.h) and the encodings under it (io/encoding.h): RFC 4180 edge cases,
// delimiter and encoding detection, GB18030 and UTF-16 files as Chinese Excel and WPS write them,
// and errors with positions. Most cases run again with buffers of a few bytes, so that every
// quote, line end and multi-byte character falls on a buffer boundary somewhere.
#include <doctest/doctest.h>
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "io/encoding.h"
#include "io/table.h"
#include "table_support.h"

namespace {

namespace fs = std::filesystem;
namespace io = epil::io;
using epil::testing::Rows;
using epil::testing::Table;

// A folder of its own for the files a test writes, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("epil_csv_test." + std::to_string(::getpid()) + "." + std::to_string(++counter));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, std::string_view bytes) const {
    const fs::path p = path_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string data_file(const std::string& name) {
  return std::string(EPIL_SOURCE_DIR) + "/tests/data/csv/" + name;
}

// Everything a reader gives, copied out of its buffers.
Table read_all(const std::string& path, const io::CsvOptions& options = {},
               const std::optional<io::detail::CsvBufferSizes>& sizes = std::nullopt) {
  Table t;
  auto reader = sizes ? io::detail::open_csv_sized(path, options, t.error, *sizes)
                      : io::open_csv(path, options, t.error);
  return epil::testing::drain(std::move(reader), std::move(t));
}

// Buffer sizes from the smallest the reader accepts up, so that each byte of a short file is
// the last of a buffer at least once; chunk sizes likewise for decoded files. A small sniff
// hands the parser a head of a few bytes, but also leaves the delimiter detection too little
// to go on, so cases that detect one keep the default.
std::vector<io::detail::CsvBufferSizes> tiny_sizes(bool small_sniff) {
  std::vector<io::detail::CsvBufferSizes> all;
  for (size_t buffer = 16; buffer <= 48; ++buffer) {
    io::detail::CsvBufferSizes s;
    s.buffer = buffer;
    s.chunk = 4 + buffer % 9;
    if (small_sniff) s.sniff = 4 + buffer % 13;
    all.push_back(s);
  }
  return all;
}

// The test's own conversion of its UTF-8 tables, with iconv(3) called here rather than through
// the reader's Decoder.
std::string to_encoding(std::string_view utf8, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in_ptr = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t r = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  REQUIRE(r != static_cast<size_t>(-1));
  out.resize(out.size() - out_left);
  return out;
}

struct ParseCase {
  std::string name;
  std::string_view input;
  char delimiter;  // 0: detect
  std::vector<std::string> header;
  Rows rows;
  std::vector<int64_t> lines;
};

const std::vector<ParseCase>& parse_cases() {
  static const std::vector<ParseCase> cases = {
      {"simple", "a,b,c\n1,2,3\n", 0, {"a", "b", "c"}, {{"1", "2", "3"}}, {2}},
      {"crlf", "a,b\r\n1,2\r\n3,4\r\n", 0, {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}},
      {"no final newline", "a,b\n1,2\n3,4", 0, {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}},
      {"no final newline after a quote", "a,b\n1,\"x\"", 0, {"a", "b"}, {{"1", "x"}}, {2}},
      {"final empty cell", "a,b\n1,", 0, {"a", "b"}, {{"1", ""}}, {2}},
      {"cr at the end of the file", "a,b\n1,2\r", 0, {"a", "b"}, {{"1", "2"}}, {2}},
      {"empty fields",
       "a,b,c\n,,\n1,,\n,,3\n",
       0,
       {"a", "b", "c"},
       {{"", "", ""}, {"1", "", ""}, {"", "", "3"}},
       {2, 3, 4}},
      {"quoted delimiter", "a,b\n\"x,y\",z\n", 0, {"a", "b"}, {{"x,y", "z"}}, {2}},
      {"quoted empty cells", "a,b\n\"\",\"\"\n", 0, {"a", "b"}, {{"", ""}}, {2}},
      {"doubled quotes",
       "a,b,c\n\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\"\"x\"\n",
       0,
       {"a", "b", "c"},
       {{"say \"hi\"", "\"\"", "\"x"}},
       {2}},
      {"two doubled cells in a row",
       "a,b\n\"1\"\"\",\"2\"\"\"\"\"\n",
       0,
       {"a", "b"},
       {{"1\"", "2\"\""}},
       {2}},
      {"lf inside quotes",
       "a,b\n\"line 1\nline 2\",x\n3,4\n",
       0,
       {"a", "b"},
       {{"line 1\nline 2", "x"}, {"3", "4"}},
       {2, 4}},
      {"crlf inside quotes",
       "a,b\r\n\"l1\r\nl2\r\n\",x\r\n3,4\r\n",
       0,
       {"a", "b"},
       {{"l1\r\nl2\r\n", "x"}, {"3", "4"}},
       {2, 5}},
      {"newline in a quoted header", "\"a\nb\",c\n1,2\n", 0, {"a\nb", "c"}, {{"1", "2"}}, {3}},
      {"a short row after a full one",
       "a,b,c\n1,2,3\n4\n5,6,7,8\n9,10\n",
       0,
       {"a", "b", "c"},
       {{"1", "2", "3"}, {"4", "", ""}, {"5", "6", "7", "8"}, {"9", "10", ""}},
       {2, 3, 4, 5}},
      {"short rows padded",
       "a,b,c\n1\n1,2\n",
       0,
       {"a", "b", "c"},
       {{"1", "", ""}, {"1", "2", ""}},
       {2, 3}},
      {"long rows keep extra cells",
       "a,b\n1,2,3,4\n5,6\n",
       0,
       {"a", "b"},
       {{"1", "2", "3", "4"}, {"5", "6"}},
       {2, 3}},
      {"stray quotes in unquoted cells",
       "a,b,c\n5\",x\"y, \"z\"\n",
       0,
       {"a", "b", "c"},
       {{"5\"", "x\"y", " \"z\""}},
       {2}},
      {"spaces after a closing quote", "a,b\n\"x\"  ,y\n", 0, {"a", "b"}, {{"x", "y"}}, {2}},
      {"cr inside an unquoted cell", "a,b\nx\ry,z\n", 0, {"a", "b"}, {{"x\ry", "z"}}, {2}},
      {"blank lines are skipped but counted",
       "\na,b\n\n1,2\n\r\n3,4\n\n\n",
       0,
       {"a", "b"},
       {{"1", "2"}, {"3", "4"}},
       {4, 6}},
      {"utf8 bom is not header text",
       "\xEF\xBB\xBF编号,金额\n1,2\n",
       0,
       {"编号", "金额"},
       {{"1", "2"}},
       {2}},
      {"bom before a quoted header",
       "\xEF\xBB\xBF\"编号\",金额\n1,2\n",
       0,
       {"编号", "金额"},
       {{"1", "2"}},
       {2}},
      {"bom before a quoted header with delimiters inside",
       "\xEF\xBB\xBF\"a;b;c\",d\n",
       0,
       {"a;b;c", "d"},
       {},
       {}},
      {"crlf blank lines everywhere",
       "a,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n5,\"6\"\r\n\r\n\r\n7,8\r\n\r\n",
       0,
       {"a", "b"},
       {{"1", "2"}, {"3", "4"}, {"5", "6"}, {"7", "8"}},
       {3, 6, 8, 11}},
      {"header only", "a,b\r\n", 0, {"a", "b"}, {}, {}},
      {"single column", "金额\n100\n200\n", 0, {"金额"}, {{"100"}, {"200"}}, {2, 3}},
      {"detect tab", "a\tb,c\tx\n1\t2,3\ty\n", 0, {"a", "b,c", "x"}, {{"1", "2,3", "y"}}, {2}},
      {"detect semicolon with decimal commas",
       "名称;金额\n甲;1,5\n乙;2,25\n",
       0,
       {"名称", "金额"},
       {{"甲", "1,5"}, {"乙", "2,25"}},
       {2, 3}},
      {"detect pipe", "a|b|c\n1|2|3\n", 0, {"a", "b", "c"}, {{"1", "2", "3"}}, {2}},
      {"detect with a stray quote",
       "a\"b;c;d\n1;2;3\n",
       0,
       {"a\"b", "c", "d"},
       {{"1", "2", "3"}},
       {2}},
      {"detect ignores quoted delimiters",
       "\"a;b;c\",d\n\"1;2;3\",4\n",
       0,
       {"a;b;c", "d"},
       {{"1;2;3", "4"}},
       {2}},
      {"detect prefers the delimiter data lines agree on",
       "a,b;c;d\n1;2;3\n4;5;6\n",
       0,
       {"a,b", "c", "d"},
       {{"1", "2", "3"}, {"4", "5", "6"}},
       {2, 3}},
      {"given delimiter", "a;b,c\n1;2,3\n", ',', {"a;b", "c"}, {{"1;2", "3"}}, {2}},
      {"given tab", "a,b\tc\n1,2\t3\n", '\t', {"a,b", "c"}, {{"1,2", "3"}}, {2}},
      {"chinese cells",
       "案件编号,损害金额,备注\n(2024)桂0102民初1号,\"3,000元\",“显著轻微”\n",
       0,
       {"案件编号", "损害金额", "备注"},
       {{"(2024)桂0102民初1号", "3,000元", "“显著轻微”"}},
       {2}},
  };
  return cases;
}

void check_table(const Table& t, const ParseCase& c) {
  REQUIRE(t.opened);
  CHECK_FALSE(t.error.has_value());
  CHECK(t.header == c.header);
  CHECK(t.rows == c.rows);
  CHECK(t.lines == c.lines);
  CHECK(t.bytes_read == t.bytes_total);
  CHECK(t.progress_monotonic);
}

}  // namespace

TEST_CASE("csv parse cases") {
  TempDir dir;
  for (const ParseCase& c : parse_cases()) {
    CAPTURE(c.name);
    const std::string path = dir.write("case.csv", c.input);
    io::CsvOptions options;
    options.delimiter = c.delimiter;
    check_table(read_all(path, options), c);
  }
}

TEST_CASE("csv parse cases with tiny buffers") {
  TempDir dir;
  for (const ParseCase& c : parse_cases()) {
    CAPTURE(c.name);
    const std::string path = dir.write("case.csv", c.input);
    io::CsvOptions options;
    options.delimiter = c.delimiter;
    for (const auto& sizes : tiny_sizes(c.delimiter != 0)) {
      CAPTURE(sizes.buffer);
      check_table(read_all(path, options, sizes), c);
    }
  }
}

TEST_CASE("csv parse cases in utf-16 and gb18030") {
  // The same tables in the encodings Excel and WPS write, detected and given, with buffers
  // large and tiny: cells must come back as the UTF-8 they started as.
  TempDir dir;
  struct Variant {
    const char* iconv_name;
    std::string_view bom;
    io::Encoding encoding;
  };
  const Variant variants[] = {
      {"UTF-16LE", "\xFF\xFE", io::Encoding::kUtf16Le},
      {"UTF-16BE", "\xFE\xFF", io::Encoding::kUtf16Be},
      {"GB18030", "", io::Encoding::kGb18030},
  };
  for (const Variant& v : variants) {
    const std::string encoding_name = v.iconv_name;
    CAPTURE(encoding_name);
    for (const ParseCase& c : parse_cases()) {
      CAPTURE(c.name);
      std::string_view text = c.input;
      if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      const std::string path =
          dir.write("case.csv", std::string(v.bom) + to_encoding(text, v.iconv_name));
      io::CsvOptions options;
      options.delimiter = c.delimiter;
      // Detected (pure ASCII in GB18030 is valid UTF-8 too, and reads the same), then given.
      check_table(read_all(path, options), c);
      options.encoding = v.encoding;
      check_table(read_all(path, options), c);
      for (const auto& sizes : tiny_sizes(c.delimiter != 0)) {
        CAPTURE(sizes.buffer);
        check_table(read_all(path, options, sizes), c);
      }
    }
  }
}

namespace {

const std::vector<std::string> kHeader = {"案件编号", "地区", "损害类型", "损害金额", "备注"};
const Rows kRows = {
    {"(2024)桂0102民初1号", "广西", "水污染", "2800", "“显著轻微”"},
    {"(2024)陕01民初2号", "陕西", "大气污染", "3,000元", "含,逗号"},
    {"(2025)浙02民初3号", "浙江", "土壤污染", "0.3万元", "生僻字𠀀与¥"},
};

}  // namespace

TEST_CASE("csv files as excel and wps save them") {
  // Written by tests/data/csv/make.py with Python's codecs.
  for (const std::string name : {"gb18030.csv", "utf16le.txt", "utf16be.csv", "utf8_bom.csv"}) {
    CAPTURE(name);
    const Table t = read_all(data_file(name));
    REQUIRE(t.opened);
    CHECK_FALSE(t.error.has_value());
    CHECK(t.header == kHeader);
    CHECK(t.rows == kRows);
    CHECK(t.lines == std::vector<int64_t>{2, 3, 4});
    CHECK(t.bytes_read == t.bytes_total);
    CHECK(t.bytes_total == fs::file_size(data_file(name)));
    for (const auto& sizes : tiny_sizes(false)) {
      CAPTURE(sizes.buffer);
      const Table small = read_all(data_file(name), {}, sizes);
      CHECK(small.header == kHeader);
      CHECK(small.rows == kRows);
    }
  }
}

TEST_CASE("csv encoding sniffing") {
  using io::Encoding;
  using io::detail::sniff_encoding;
  CHECK(sniff_encoding("\xEF\xBB\xBF"
                       "a,b",
                       true) == Encoding::kUtf8Bom);
  CHECK(sniff_encoding("\xFF\xFE"
                       "a\0",
                       true) == Encoding::kUtf16Le);
  CHECK(sniff_encoding("\xFE\xFF\0a", true) == Encoding::kUtf16Be);
  CHECK(sniff_encoding("a,b\n1,2\n", true) == Encoding::kUtf8);
  CHECK(sniff_encoding("案件,金额\n", true) == Encoding::kUtf8);
  CHECK(sniff_encoding("\xB0\xB8\xBC\xFE,\xBD\xF0\xB6\xEE\r\n", true) == Encoding::kGb18030);
  // UTF-8 with one stray byte is UTF-8 (the reader then says where the byte is); GB18030 whose
  // 元 (D4 AA) reads as a two-byte UTF-8 character on every line is still GB18030.
  CHECK(sniff_encoding("地区,损害类型\n广西,水\xff污染\n", true) == Encoding::kUtf8);
  std::string yuan = "\xB1\xE0\xBA\xC5,\xBD\xF0\xB6\xEE\n";
  for (int i = 0; i < 100; ++i) yuan += "1,3\xD4\xAA\n";
  CHECK(sniff_encoding(yuan, true) == Encoding::kGb18030);
  // A UTF-8 character cut off by the end of the sample is UTF-8 still, unless the file ends
  // there.
  CHECK(sniff_encoding("a,\xE6\xA1", false) == Encoding::kUtf8);
  CHECK(sniff_encoding("a,\xE6\xA1", true) == Encoding::kGb18030);
}

TEST_CASE("csv gb18030 larger than the buffer with 4-byte characters on every boundary") {
  // Rows of 4-byte (𠀀 95 32 82 36, 😀 94 39 FC 36, ¥ 81 30 84 36) and 2-byte (案 B0 B8)
  // sequences behind 0 to 3 ASCII bytes, so that sequences start at every offset modulo 4 and
  // the decoder's chunk ends inside them many times. 3 MB: larger than both the 256 KiB chunk
  // and the 1 MiB buffer.
  std::string gb = "\xB0\xB8\xBC\xFE\xB1\xE0\xBA\xC5,\xB1\xB8\xD7\xA2\r\n";  // 案件编号,备注
  std::string expected_cell;
  Rows expected;
  for (int i = 0; gb.size() < (size_t{3} << 20); ++i) {
    std::string cell_gb(static_cast<size_t>(i % 4), 'x');
    std::string cell_utf8 = cell_gb;
    for (int k = 0; k < 40; ++k) {
      switch ((i + k) % 4) {
        case 0:
          cell_gb += "\x95\x32\x82\x36";
          cell_utf8 += "𠀀";
          break;
        case 1:
          cell_gb += "\x94\x39\xFC\x36";
          cell_utf8 += "😀";
          break;
        case 2:
          cell_gb += "\x81\x30\x84\x36";
          cell_utf8 += "¥";
          break;
        default:
          cell_gb += "\xB0\xB8";
          cell_utf8 += "案";
          break;
      }
    }
    gb += std::to_string(i) + "," + cell_gb + "\r\n";
    expected.push_back({std::to_string(i), cell_utf8});
  }
  TempDir dir;
  const std::string path = dir.write("big_gb18030.csv", gb);

  auto check = [&](const Table& t) {
    REQUIRE(t.opened);
    CHECK_FALSE(t.error.has_value());
    CHECK(t.header == std::vector<std::string>{"案件编号", "备注"});
    REQUIRE(t.rows.size() == expected.size());
    CHECK(t.rows == expected);
    CHECK(t.lines.back() == static_cast<int64_t>(expected.size()) + 1);
    CHECK(t.bytes_read == gb.size());
    CHECK(t.bytes_total == gb.size());
    CHECK(t.progress_monotonic);
  };
  check(read_all(path));  // detected, default sizes
  // Chunks of 4 to 7 bytes and 1001 put a boundary inside a sequence in every possible way;
  // the first 2,000 rows (about 300 KB) are enough for that, and quicker to read 4 bytes a time.
  size_t cut = 0;
  for (int line = 0; line < 2001; ++line) cut = gb.find("\r\n", cut) + 2;
  gb.resize(cut);
  expected.resize(2000);
  const std::string small_path = dir.write("small_gb18030.csv", gb);
  for (size_t chunk : {4, 5, 6, 7, 1001}) {
    CAPTURE(chunk);
    io::detail::CsvBufferSizes sizes;
    sizes.chunk = chunk;
    sizes.buffer = 4096 + chunk;
    io::CsvOptions options;
    options.encoding = io::Encoding::kGb18030;
    check(read_all(small_path, options, sizes));
  }
}

TEST_CASE("csv row longer than the buffer") {
  // A quoted cell of 3 MiB with doubled quotes and line feeds, between ordinary rows: the buffer
  // (1 MiB) grows to hold it, and the rows after it keep their line numbers.
  std::string big;
  std::string big_unescaped;
  for (int i = 0; big.size() < (size_t{3} << 20); ++i) {
    big += "第" + std::to_string(i) + "段 \"\"引文\"\"\n";
    big_unescaped += "第" + std::to_string(i) + "段 \"引文\"\n";
  }
  const int64_t newlines = std::count(big.begin(), big.end(), '\n');
  const std::string text = "编号,内容,金额\r\n1,短,10\r\n2,\"" + big + "\",20\r\n3,尾,30\r\n";
  TempDir dir;
  const std::string path = dir.write("long_row.csv", text);
  const Rows expected = {{"1", "短", "10"}, {"2", big_unescaped, "20"}, {"3", "尾", "30"}};
  const std::vector<int64_t> lines = {2, 3, 4 + newlines};

  Table t = read_all(path);
  REQUIRE(t.opened);
  CHECK_FALSE(t.error.has_value());
  CHECK(t.rows == expected);
  CHECK(t.lines == lines);
  CHECK(t.bytes_read == t.bytes_total);

  // The same in GB18030 through the decoder, and with a buffer of 16 bytes growing from there.
  const std::string gb_path = dir.write("long_row_gb.csv", to_encoding(text, "GB18030"));
  t = read_all(gb_path);
  CHECK(t.rows == expected);
  CHECK(t.lines == lines);
  io::detail::CsvBufferSizes sizes;
  sizes.buffer = 16;
  sizes.chunk = 7;
  t = read_all(path, {}, sizes);
  CHECK(t.rows == expected);
  t = read_all(gb_path, {}, sizes);
  CHECK(t.rows == expected);
}

TEST_CASE("csv a quote that never closes stops at the row limit") {
  // Rather than reading the rest of the file into one cell: an error at the row's line.
  std::string text = "编号,内容\n1,正常\n2,\"未闭合的引号\n";
  while (text.size() < 100000) text += "3,后面的行\n";
  TempDir dir;
  io::detail::CsvBufferSizes sizes;
  sizes.buffer = 1024;
  sizes.max_row = 16384;
  const Table t = read_all(dir.write("unclosed.csv", text), {}, sizes);
  REQUIRE(t.opened);
  CHECK(t.rows == Rows{{"1", "正常"}});
  REQUIRE(t.error.has_value());
  CHECK(t.error->at.row == 3);
  CHECK(t.error->message.find("expected a row to end within 16384 bytes") != std::string::npos);
  CHECK(t.error->message_zh.find("右引号") != std::string::npos);
}

TEST_CASE("csv progress reaches the total") {
  TempDir dir;
  std::string text = "编号,金额\n";
  for (int i = 0; i < 100000; ++i) {
    text += std::to_string(i) + ",\"" + std::to_string(i * 3) + "元\"\n";
  }
  for (const std::string encoding : {"UTF-8", "GB18030", "UTF-16LE"}) {
    CAPTURE(encoding);
    const std::string bytes = encoding == "UTF-16LE"
                                  ? "\xFF\xFE" + to_encoding(text, encoding.c_str())
                                  : to_encoding(text, encoding.c_str());
    const std::string path = dir.write("progress.csv", bytes);
    std::optional<io::TableError> error;
    auto reader = io::open_csv(path, {}, error);
    REQUIRE(reader != nullptr);
    CHECK(reader->bytes_total() == bytes.size());
    std::vector<std::string_view> cells;
    int rows = 0;
    bool midway = false;  // progress is neither 0 nor total somewhere in the middle
    while (reader->next(cells)) {
      ++rows;
      if (rows == 20000) {
        midway = reader->bytes_read() > 0 && reader->bytes_read() < reader->bytes_total();
      }
    }
    CHECK(rows == 100000);
    CHECK(midway);
    CHECK_FALSE(reader->error().has_value());
    CHECK(reader->bytes_read() == reader->bytes_total());
  }
}

namespace {

struct ErrorCase {
  std::string name;
  std::string_view input;
  io::Encoding encoding;
  size_t rows_before;  // rows read before the error
  int64_t row;
  int column;
  std::string column_name;
  std::string_view english;  // in the English message
  std::string_view chinese;  // in the Chinese message
};

const std::vector<ErrorCase>& error_cases() {
  using io::Encoding;
  static const std::vector<ErrorCase> cases = {
      {"unclosed quote", "a,b\n1,2\n3,\"abc\n4,5\n", Encoding::kDetect, 1, 3, 2, "b",
       "expected a closing quote", "右引号"},
      {"unclosed quote in the header", "a,\"b\n", Encoding::kDetect, 0, 1, 2, "",
       "found the end of the file", "文件末尾"},
      {"text after a closing quote", "a,b\n1,2\n\"x\"y,2\n", Encoding::kDetect, 1, 3, 1, "a",
       "found 'y'", "“y”"},
      {"undoubled quote inside quotes", "a,b\n1,\"say \"hi\"\"\n", Encoding::kDetect, 0, 2, 2, "b",
       "must be doubled", "两个"},
      {"chinese text after a closing quote", "a,b\n\"x\"元,2\n", Encoding::kDetect, 0, 2, 1, "a",
       "found '元'", "“元”"},
      {"invalid utf-8", "a,b\n1,2\n3,\xFF\n", Encoding::kUtf8, 1, 3, 2, "b", "byte offset 10",
       "第 10 字节"},
      {"surrogate in utf-8", "a,b\n1,\xED\xA0\x80\n", Encoding::kUtf8, 0, 2, 2, "b",
       "not valid UTF-8 (ED A0 80 0A)", "不是有效的 UTF-8"},
      {"invalid utf-8 after a quoted line feed", "a,b\n\"1\n1\",\xC0\xAF\n", Encoding::kUtf8, 0, 3,
       2, "b", "line 3, byte offset 10", "第 3 行"},
      {"utf-8 cut off at the end", "a,b\n1,\xE6\xA1", Encoding::kUtf8, 0, 2, 2, "b",
       "found the end of the file after the bytes E6 A1", "E6 A1"},
      {"invalid gb18030", "a,b\n1,2\n3,\x81\x20\n", Encoding::kGb18030, 1, 3, 2, "b",
       "not valid GB18030 (81 20", "不是有效的 GB18030"},
      {"gb18030 cut off at the end", "a,b\n1,\x81\x30\x81", Encoding::kGb18030, 0, 2, 2, "b",
       "byte offset 6", "81 30 81"},
      {"invalid gb18030 in the header", "\xB0\xB8,\xFF\n1,2\n", Encoding::kGb18030, 0, 1, 2, "",
       "byte offset 3", "第 1 行"},
      {"unpaired surrogate in utf-16",
       std::string_view("\xFF\xFE"
                        "a\0,\0b\0\n\0"
                        "1\0,\0\x00\xD8"
                        "2\0\n\0",
                        20),
       Encoding::kDetect, 0, 2, 2, "b", "byte offset 14", "UTF-16LE"},
  };
  return cases;
}

}  // namespace

TEST_CASE("csv errors carry a position") {
  TempDir dir;
  for (const ErrorCase& c : error_cases()) {
    CAPTURE(c.name);
    const std::string path = dir.write("error.csv", c.input);
    io::CsvOptions options;
    options.encoding = c.encoding;
    std::vector<io::detail::CsvBufferSizes> all_sizes = tiny_sizes(true);
    all_sizes.push_back(io::detail::CsvBufferSizes{});
    for (const auto& sizes : all_sizes) {
      CAPTURE(sizes.buffer);
      const Table t = read_all(path, options, sizes);
      REQUIRE(t.error.has_value());
      CAPTURE(t.error->message);
      CHECK(t.opened == (c.rows_before > 0 || c.row > 1));
      CHECK(t.rows.size() == c.rows_before);
      CHECK(t.error->file == path);
      CHECK(t.error->at.row == c.row);
      CHECK(t.error->at.column == c.column);
      CHECK(t.error->at.column_name == c.column_name);
      CHECK(t.error->message.find(c.english) != std::string::npos);
      CHECK(t.error->message_zh.find(c.chinese) != std::string::npos);
    }
  }
}

TEST_CASE("csv invalid bytes beyond the detection sample") {
  // The first 64 KiB look like UTF-8 and are; a GB18030 cell further on is an error at its own
  // line and offset, not text quietly dropped or mangled.
  std::string text = "编号,名称\n";
  int line = 1;
  while (text.size() < (size_t{100} << 10)) {
    text += std::to_string(line) + ",甲乙\n";
    ++line;
  }
  const size_t offset = text.size() + 2;
  text += "x,\xB0\xB8\n";  // 案 in GB18030
  TempDir dir;
  const Table t = read_all(dir.write("mixed.csv", text));
  REQUIRE(t.opened);
  REQUIRE(t.error.has_value());
  CHECK(t.rows.size() == static_cast<size_t>(line - 1));
  CHECK(t.error->at.row == line + 1);
  CHECK(t.error->at.column == 2);
  CHECK(t.error->at.column_name == "名称");
  CHECK(t.error->message.find("byte offset " + std::to_string(offset)) != std::string::npos);
  CHECK(t.error->message.find("UTF-8") != std::string::npos);
  CHECK(t.error->message_zh.find("第 " + std::to_string(line + 1) + " 行") != std::string::npos);
}

TEST_CASE("csv gb18030 file with an invalid byte") {
  // tests/data/csv/gb18030_invalid.csv: 0xFF at line 3, column 2, byte offset 107.
  const Table t = read_all(data_file("gb18030_invalid.csv"));
  REQUIRE(t.opened);
  CHECK(t.header == kHeader);
  CHECK(t.rows == Rows{kRows[0]});
  REQUIRE(t.error.has_value());
  CHECK(t.error->file == data_file("gb18030_invalid.csv"));
  CHECK(t.error->at.row == 3);
  CHECK(t.error->at.column == 2);
  CHECK(t.error->at.column_name == "地区");
  CHECK(t.error->message.find("line 3, byte offset 107") != std::string::npos);
  CHECK(t.error->message.find("GB18030") != std::string::npos);
  CHECK(t.error->message_zh.find("第 3 行（文件第 107 字节处）") != std::string::npos);
}

TEST_CASE("csv open failures") {
  TempDir dir;
  struct OpenCase {
    std::string name;
    std::string path;
    std::string_view english;
    std::string_view chinese;
  };
  const OpenCase cases[] = {
      {"missing file", dir.path("missing.csv"), "cannot open", "文件不存在"},
      {"a directory", dir.path(""), "found a directory", "目录"},
      {"an empty file", dir.write("empty.csv", ""), "found an empty file", "文件是空的"},
      {"only a bom", dir.write("bom.csv", "\xEF\xBB\xBF"), "found no text", "没有内容"},
      {"only blank lines", dir.write("blank.csv", "\r\n\n\r\n"), "found no text", "没有内容"},
      {"only a utf-16 bom", dir.write("bom16.csv", "\xFF\xFE"), "found no text", "没有内容"},
  };
  for (const OpenCase& c : cases) {
    CAPTURE(c.name);
    std::optional<io::TableError> error;
    const auto reader = io::open_csv(c.path, {}, error);
    CHECK(reader == nullptr);
    REQUIRE(error.has_value());
    CHECK(error->file == c.path);
    CHECK(error->message.find(c.english) != std::string::npos);
    CHECK(error->message_zh.find(c.chinese) != std::string::npos);
  }

  // A delimiter that cannot be one.
  const std::string path = dir.write("ok.csv", "a,b\n1,2\n");
  for (char bad : {'"', '\n', '\r', '\xE4'}) {
    std::optional<io::TableError> error;
    io::CsvOptions options;
    options.delimiter = bad;
    CHECK(io::open_csv(path, options, error) == nullptr);
    REQUIRE(error.has_value());
    CHECK(error->message.find("expected a delimiter") != std::string::npos);
  }
  // A reader that opened clears an earlier error.
  std::optional<io::TableError> error = io::TableError{};
  CHECK(io::open_csv(path, {}, error) != nullptr);
  CHECK_FALSE(error.has_value());
}

TEST_CASE("csv next after the end or an error stays false") {
  TempDir dir;
  std::optional<io::TableError> error;
  auto reader = io::open_csv(dir.write("a.csv", "a\n1\n\"x"), {}, error);
  REQUIRE(reader != nullptr);
  std::vector<std::string_view> cells;
  CHECK(reader->next(cells));
  CHECK(cells == std::vector<std::string_view>{"1"});
  CHECK(reader->position().row == 2);
  CHECK_FALSE(reader->next(cells));
  REQUIRE(reader->error().has_value());
  CHECK_FALSE(reader->next(cells));
  CHECK(reader->error().has_value());
}

namespace {

// UTF-8 validity decided from code points, independently of the byte ranges encoding.cpp uses.
io::detail::Utf8Scan reference_scan(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return {i, true};
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= s.size()) {
        // Cut off, unless what is there already cannot begin a valid character.
        const uint32_t shift = static_cast<uint32_t>(6 * (len - k));
        const uint32_t low = cp << shift;
        const uint32_t high = low | ((1u << shift) - 1);
        const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        const bool possible = high >= min && low <= 0x10FFFF && !(low >= 0xD800 && high <= 0xDFFF);
        return {i, !possible};
      }
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return {i, true};
      cp = (cp << 6) | (c & 0x3F);
      // Reject as soon as the prefix read so far rules every completion out.
      const uint32_t shift = static_cast<uint32_t>(6 * (len - 1 - k));
      const uint32_t low = cp << shift;
      const uint32_t high = low | ((1u << shift) - 1);
      const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      if (high < min || low > 0x10FFFF || (low >= 0xD800 && high <= 0xDFFF)) return {i, true};
    }
    i += len;
  }
  return {s.size(), false};
}

}  // namespace

TEST_CASE("csv utf-8 check agrees with a code point reference") {
  // Random mixes of valid characters of every length and stray or broken bytes, placed at every
  // offset of the 16-byte blocks the vector check works in.
  const std::vector<std::string> pieces = {"a",
                                           ",",
                                           "\n",
                                           "\x7F",
                                           "é",
                                           "元",
                                           "\xEF\xBF\xBF",
                                           "𠀀",
                                           "\xF4\x8F\xBF\xBF",
                                           "\x80",
                                           "\xBF",
                                           "\xC0\xAF",
                                           "\xC1\xBF",
                                           "\xC2",
                                           "\xE0\x9F\x80",
                                           "\xED\xA0\x80",
                                           "\xED\x9F\xBF",
                                           "\xF0\x8F\xBF\xBF",
                                           "\xF4\x90\x80\x80",
                                           "\xF5\x80\x80\x80",
                                           "\xFF",
                                           "\xE6\xA1",
                                           "\xF0\x9F\x98",
                                           "\xE0\xA0\x80",
                                           "\xF0\x90\x80\x80"};
  std::mt19937 rng(20250601);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> clean(0, 3);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string s;
    const int count = 1 + iteration % 60;
    for (int k = 0; k < count; ++k) {
      // Mostly valid text, so that errors come late and after long valid runs too.
      const size_t p = pick(rng);
      s += clean(rng) != 0 && p >= 9 ? std::string("案") : pieces[p];
    }
    CAPTURE(s);
    const io::detail::Utf8Scan got = io::detail::scan_utf8(s.data(), s.size());
    const io::detail::Utf8Scan want = reference_scan(s);
    CHECK(got.valid == want.valid);
    CHECK(got.invalid == want.invalid);
  }
}
