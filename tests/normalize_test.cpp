// Tests for io/normalize.h: values as Chinese users type them.
#include "io/normalize.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace {

using epil::Date;
namespace io = epil::io;

// "" for nullopt, so that a table can say "rejected" and doctest can print both sides.
std::string iso_or_empty(std::optional<Date> d) { return d ? d->iso() : std::string(); }

struct NumberCase {
  std::string_view text;
  std::string_view unit;
  double expected;
};

struct RejectCase {
  std::string_view text;
  std::string_view unit;
};

void check_numbers(const NumberCase* begin, const NumberCase* end) {
  for (const NumberCase* c = begin; c != end; ++c) {
    CAPTURE(c->text);
    CAPTURE(c->unit);
    const std::optional<double> v = io::parse_number(c->text, c->unit);
    REQUIRE(v.has_value());
    CHECK(*v == doctest::Approx(c->expected).epsilon(1e-12));
  }
}

}  // namespace

TEST_CASE("decode_utf8 and trim_space") {
  const io::Utf8Char yuan = io::decode_utf8("元", 0);
  CHECK(yuan.valid);
  CHECK(yuan.value == U'元');
  CHECK(yuan.length == 3);

  // A stray continuation byte, an overlong '/', a surrogate and a truncated sequence.
  for (std::string_view bad : {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE5\x85"}) {
    CAPTURE(bad);
    const io::Utf8Char c = io::decode_utf8(bad, 0);
    CHECK_FALSE(c.valid);
    CHECK(c.length == 1);
  }

  CHECK(io::trim_space("\u3000 3,000 \t") == "3,000");
  CHECK(io::trim_space("\xEF\xBB\xBF"
                       "金额\u00A0") == "金额");
  CHECK(io::trim_space(" 不 详 ") == "不 详");
  CHECK(io::trim_space("\u3000\u3000") == "");
  CHECK(io::trim_space("abc\xE5") == "abc\xE5");  // a truncated character is not a space
}

TEST_CASE("fold_key") {
  struct {
    std::string_view text;
    std::string_view key;
  } const cases[] = {
      {"Damage-Amount", "damageamount"},
      {"damage_amount", "damageamount"},
      {" damage amount ", "damageamount"},
      {"ＤＡＭＡＧＥ＿ＡＭＯＵＮＴ", "damageamount"},
      {"Damage－Amount", "damageamount"},  // full-width hyphen
      {"损失金额（元）", "损失金额(元)"},
      {"损失金额 (元)", "损失金额(元)"},
      {"损失\u3000金额", "损失金额"},
      {"\xEF\xBB\xBF涉案金额", "涉案金额"},  // BOM left at the start of a CSV header
      {"Tab\tKey\r\n", "tabkey"},
      {"PM2.5浓度", "pm2.5浓度"},
      {"", ""},
      {"\xFF", "\xFF"},  // undecodable bytes are kept
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(io::fold_key(c.text) == c.key);
  }
}

TEST_CASE("is_unknown_text") {
  for (std::string_view text :
       {"",       "   ",  "\u3000", "-",    "--",   "—",      "——",
        "–",      "/",    "不详",   "未知", "不明", "N/A",    "NA",
        "n/a",    "null", "NULL",   "?",    "？",   " 不详 ", "\u3000未知\u3000",
        "Ｎ／Ａ", "－"}) {
    CAPTURE(text);
    CHECK(io::is_unknown_text(text));
  }
  for (std::string_view text : {"0", "无", "否", "3", "unknown", "不详细", "---", "n/a/", "nil"}) {
    CAPTURE(text);
    CHECK_FALSE(io::is_unknown_text(text));
  }
}

TEST_CASE("parse_bool") {
  struct {
    std::string_view text;
    bool value;
  } const accepted[] = {
      {"是", true},     {"否", false},
      {"有", true},     {"无", false},
      {"对", true},     {"错", false},
      {"真", true},     {"假", false},
      {"Y", true},      {"N", false},
      {"y", true},      {"n", false},
      {"yes", true},    {"no", false},
      {"YES", true},    {"No", false},
      {"true", true},   {"false", false},
      {"TRUE", true},   {"False", false},
      {"1", true},      {"0", false},
      {"√", true},      {"×", false},
      {"✓", true},      {"✗", false},
      {"✔", true},      {"✘", false},
      {"涉及", true},   {"不涉及", false},
      {"存在", true},   {"不存在", false},
      {" 是 ", true},   {"\u3000否\u3000", false},
      {"Ｙｅｓ", true}, {"１", true},
      {"０", false},    {"ＦＡＬＳＥ", false},
  };
  for (const auto& c : accepted) {
    CAPTURE(c.text);
    const std::optional<bool> v = io::parse_bool(c.text);
    REQUIRE(v.has_value());
    CHECK(*v == c.value);
  }
  for (std::string_view text :
       {"", " ", "也许", "2", "yess", "t", "f", "是的", "-", "不详", "x", "1.0", "是否"}) {
    CAPTURE(text);
    CHECK_FALSE(io::parse_bool(text).has_value());
  }
}

TEST_CASE("parse_number: money in 元") {
  static constexpr NumberCase cases[] = {
      {"3000", "元", 3000},
      {"3,000", "元", 3000},
      {"3，000", "元", 3000},
      {"３０００", "元", 3000},
      {"３，０００元", "元", 3000},
      {"3 000", "元", 3000},
      {"3\u3000000", "元", 3000},
      {"1,234,567.89", "元", 1234567.89},
      {"1 234 567", "元", 1234567},
      {"¥3,000", "元", 3000},
      {"￥3000", "元", 3000},
      {"¥ 3000", "元", 3000},
      {"RMB 3000", "元", 3000},
      {"rmb3000", "元", 3000},
      {"CNY 3,000.50", "元", 3000.5},
      {"人民币3000元", "元", 3000},
      {"3000元", "元", 3000},
      {"3000 元", "元", 3000},
      {"3000块", "元", 3000},
      {"0.3万元", "元", 3000},
      {"0.3万", "元", 3000},
      {"3.5 万元", "元", 35000},
      {"1.2亿元", "元", 120000000},
      {"1.2亿", "元", 120000000},
      {"5千元", "元", 5000},
      {"1e6", "元", 1e6},
      {"1.5E+3", "元", 1500},
      {"2.5e-1", "元", 0.25},
      {"-200", "元", -200},
      {"+200", "元", 200},
      {"-¥200", "元", -200},
      {"¥-200", "元", -200},
      {"−200", "元", -200},  // U+2212 MINUS SIGN
      {" 3000 ", "元", 3000},
      {"\u30003000\u3000", "元", 3000},
      {".5", "元", 0.5},
      {"3.", "元", 3},
      {"0", "元", 0},
      {"007", "元", 7},
  };
  check_numbers(std::begin(cases), std::end(cases));

  // Powers of ten go through the decimal exponent, so these are exact, not just close.
  CHECK(io::parse_number("0.3万元", "元") == 3000.0);
  CHECK(io::parse_number("1.2亿元", "元") == 120000000.0);
  CHECK(io::parse_number("0.07万元", "元") == 700.0);
  CHECK_FALSE(std::signbit(*io::parse_number("-0", "元")));
}

TEST_CASE("parse_number: physical units") {
  static constexpr NumberCase cases[] = {
      {"3", "t", 3},
      {"3t", "t", 3},
      {"3T", "t", 3},
      {"3吨", "t", 3},
      {"3 吨", "t", 3},
      {"500kg", "t", 0.5},
      {"500KG", "t", 0.5},
      {"500 公斤", "t", 0.5},
      {"500千克", "t", 0.5},
      {"2000斤", "t", 1},
      {"1.5万吨", "t", 15000},
      {"3", "kg", 3},
      {"3kg", "kg", 3},
      {"3公斤", "kg", 3},
      {"3千克", "kg", 3},
      {"2斤", "kg", 1},
      {"500g", "kg", 0.5},
      {"500克", "kg", 0.5},
      {"0.5t", "kg", 500},
      {"0.5吨", "kg", 500},
      {"3", "m3", 3},
      {"3m3", "m3", 3},
      {"3 M3", "m3", 3},
      {"3m³", "m3", 3},
      {"3立方米", "m3", 3},
      {"3立方", "m3", 3},
      {"3方", "m3", 3},
      {"3", "mu", 3},
      {"3亩", "mu", 3},
      {"2公顷", "mu", 30},
      {"2hm2", "mu", 30},
      {"2hm²", "mu", 30},
      {"2ha", "mu", 30},
      {"10000m2", "mu", 15},
      {"10000 m²", "mu", 15},
      {"10000㎡", "mu", 15},
      {"10,000平方米", "mu", 15},
      {"666.6667平方米", "mu", 1.00000005},
      {"3", "times", 3},
      {"3倍", "times", 3},
      {"2.5 倍", "times", 2.5},
      {"50", "%", 50},
      {"50%", "%", 50},
      {"50％", "%", 50},
      {"12.5 %", "%", 12.5},
      {"3", "", 3},
      {"-3.25", "", -3.25},
      {"3", "人", 3},
      {"3人", "人", 3},
      {"3 人", "人", 3},
      {"12", "animals", 12},
      {"12 Animals", "animals", 12},
  };
  check_numbers(std::begin(cases), std::end(cases));

  CHECK(io::parse_number("500kg", "t") == 0.5);
  CHECK(io::parse_number("2公顷", "mu") == 30.0);
}

TEST_CASE("parse_number: rejections") {
  static constexpr RejectCase cases[] = {
      {"", "元"},       {" ", "元"},        {"abc", "元"},       {"3元5", "元"},
      {"1.2.3", "元"},  {"3吨", "元"},      {"3%", "元"},        {"3,5", "元"},
      {"3,0000", "元"}, {"3000,000", "元"}, {"1,000 000", "元"}, {"3,", "元"},
      {",300", "元"},   {"¥", "元"},        {"元", "元"},        {"3e", "元"},
      {"3e+", "元"},    {"--3", "元"},      {"-¥-3", "元"},      {"3 4", "元"},
      {"3元元", "元"},  {"3 万 元", "元"},  {"3万5", "元"},      {"1e999", "元"},
      {"0x10", "元"},   {"nan", "元"},      {"inf", "元"},       {"3千", "元"},
      {"不详", "元"},   {".", "元"},        {"- 3", "元"},       {"3元 RMB", "元"},
      {"3元", "t"},     {"3g", "t"},        {"¥3", "t"},         {"3斤斤", "t"},
      {"3m2", "m3"},    {"3吨", "mu"},      {"3%", "times"},     {"50倍", "%"},
      {"3人", ""},      {"3元", ""},        {"3%", ""},          {"3只", "人"},
      {"3人人", "人"},  {"人", "人"},       {"3万", "人"},       {"3 animal", "animals"},
  };
  for (const RejectCase& c : cases) {
    CAPTURE(c.text);
    CAPTURE(c.unit);
    CHECK_FALSE(io::parse_number(c.text, c.unit).has_value());
  }
  // Longer than any value a cell could mean: rejected rather than read partially.
  CHECK_FALSE(io::parse_number(std::string(200, '1'), "").has_value());
}

TEST_CASE("parse_date") {
  struct {
    std::string_view text;
    std::string_view iso;  // "" = rejected
  } const cases[] = {
      {"2025-06-01", "2025-06-01"},
      {"2025-6-1", "2025-06-01"},
      {"2025/6/1", "2025-06-01"},
      {"2025/06/01", "2025-06-01"},
      {"2025.6.1", "2025-06-01"},
      {"2025年6月1日", "2025-06-01"},
      {"2025年06月01日", "2025-06-01"},
      {"2025 年 6 月 1 日", "2025-06-01"},
      {"2025年6月1号", "2025-06-01"},
      {"20250601", "2025-06-01"},
      {"２０２５－０６－０１", "2025-06-01"},
      {"２０２５年６月１日", "2025-06-01"},
      {"２０２５０６０１", "2025-06-01"},
      {" 2025-06-01 ", "2025-06-01"},
      {"2025-06-01 00:00:00", "2025-06-01"},
      {"2025-06-01T00:00:00", "2025-06-01"},
      {"2025-06-01 00:00:00.000", "2025-06-01"},
      {"2025/6/1 8:30", "2025-06-01"},
      {"2025年6月1日 23:59:59", "2025-06-01"},
      {"20250601 12:00", "2025-06-01"},
      {"2024-02-29", "2024-02-29"},
      {"2000-02-29", "2000-02-29"},
      {"2025-12-31", "2025-12-31"},
      {"2025-02-30", ""},
      {"2023-02-29", ""},
      {"1900-02-29", ""},
      {"2025-13-01", ""},
      {"2025-00-10", ""},
      {"2025-06-00", ""},
      {"2025-04-31", ""},
      {"20250230", ""},
      {"2025年13月1日", ""},
      {"2025-6", ""},
      {"25-6-1", ""},
      {"2025-6/1", ""},
      {"2025-006-01", ""},
      {"2025-06-001", ""},
      {"2025/06/01/", ""},
      {"2025年6月1", ""},
      {"2025年6月1日日", ""},
      {"2025060", ""},
      {"202506011", ""},
      {"2025-06-01 25:00", ""},
      {"2025-06-01 12:60", ""},
      {"2025-06-01 12", ""},
      {"2025-06-01 garbage", ""},
      {"2025-06-01T", ""},
      {"2025-06-0100:00", ""},
      {"45809", ""},  // Excel serials go through date_from_excel_serial
      {"", ""},
      {"abc", ""},
      {"不详", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(iso_or_empty(io::parse_date(c.text)) == c.iso);
  }
}

TEST_CASE("date_from_excel_serial") {
  struct {
    double serial;
    std::string_view iso;  // "" = rejected
  } const cases[] = {
      {1, "1900-01-01"},
      {2, "1900-01-02"},
      {59, "1900-02-28"},
      {60, ""},  // Excel's fictitious 1900-02-29
      {60.5, ""},
      {61, "1900-03-01"},
      {45809, "2025-06-01"},
      {45809.75, "2025-06-01"},  // the time of day is dropped
      {45658, "2025-01-01"},
      {2958465, "9999-12-31"},
      {2958465.9, "9999-12-31"},
      {0, ""},
      {0.5, ""},
      {-1, ""},
      {2958466, ""},
      {std::numeric_limits<double>::quiet_NaN(), ""},
      {std::numeric_limits<double>::infinity(), ""},
      {-std::numeric_limits<double>::infinity(), ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.serial);
    CHECK(iso_or_empty(io::date_from_excel_serial(c.serial)) == c.iso);
  }
}

TEST_CASE("format_plain and format_grouped") {
  struct {
    double v;
    std::string_view plain;
    std::string_view grouped;
  } const cases[] = {
      {2800, "2800", "2,800"},
      {0.25, "0.25", "0.25"},
      {1000000, "1000000", "1,000,000"},
      {-1234.5, "-1234.5", "-1,234.5"},
      {999, "999", "999"},
      {1000, "1000", "1,000"},
      {-100000, "-100000", "-100,000"},
      {123456.789, "123456.789", "123,456.789"},
      {0.1, "0.1", "0.1"},
      {1e20, "100000000000000000000", "100,000,000,000,000,000,000"},
      {1e21, "1e+21", "1e+21"},
      {1e-7, "0.0000001", "0.0000001"},
      {1e-8, "1e-08", "1e-08"},
      {0, "0", "0"},
      {-0.0, "0", "0"},
      {std::numeric_limits<double>::quiet_NaN(), "nan", "nan"},
      {std::numeric_limits<double>::infinity(), "inf", "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf", "-inf"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.v);
    CHECK(io::format_plain(c.v) == c.plain);
    CHECK(io::format_grouped(c.v) == c.grouped);
  }
  // Round trip: what we print reads back as the same double.
  for (double v : {0.1 + 0.2, 1.0 / 3, 2800.0 / 7, 1e15 + 0.5}) {
    CAPTURE(v);
    CHECK(io::parse_number(io::format_plain(v), "") == v);
    CHECK(io::parse_number(io::format_grouped(v), "") == v);
  }
}
