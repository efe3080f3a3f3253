// Tests for io/normalize.h: values as Chinese users type them.
#include "io/normalize.h"

#include <doctest/doctest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"

// The tests name units as fields declare them ("元", "t"): read as the shipped units.yaml says.
namespace epil::io {
namespace {
const UnitDef& test_unit(std::string_view name) {
  static const Config config = Config::embedded();
  static std::deque<UnitDef> others;  // units the tree does not describe, made once each
  if (const UnitDef* u = config.units().find(name)) return *u;
  for (const UnitDef& u : others) {
    if (u.unit == name) return u;
  }
  return others.emplace_back(UnitDef::named_only(name));
}
}  // namespace
std::optional<double> parse_number(std::string_view text, std::string_view unit) {
  return parse_number(text, test_unit(unit));
}
namespace detail {
std::optional<double> parse_plain_number(std::string_view text, std::string_view unit) {
  return parse_plain_number(text, test_unit(unit));
}
std::optional<double> parse_number_general(std::string_view text, std::string_view unit) {
  return parse_number_general(text, test_unit(unit));
}
}  // namespace detail
}  // namespace epil::io

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

// Same presence and, for a number, the same bits: 0.30000000000000004 is not 0.3 here.
bool same_number(std::optional<double> a, std::optional<double> b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::bit_cast<std::uint64_t>(*a) == std::bit_cast<std::uint64_t>(*b);
}

// Deterministic pieces for the generated inputs below (raw engine output, so the same
// strings on every platform).
struct Picker {
  std::mt19937 rng{20251128};
  std::size_t below(std::size_t n) { return rng() % n; }
  bool one_in(std::size_t n) { return below(n) == 0; }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
  std::string digits(std::size_t n, bool full_width_sometimes) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
      const char d = static_cast<char>('0' + below(10));
      if (full_width_sometimes && one_in(12)) {
        out += "\xEF\xBC";  // U+FF10..U+FF19 FULLWIDTH DIGIT
        out += static_cast<char>(0x90 + (d - '0'));
      } else {
        out += d;
      }
    }
    return out;
  }
};

// trim_space as documented, the simple way: decode from the front and drop whole space
// characters from both ends. Valid UTF-8 only (the decoders agree there).
std::string_view reference_trim(std::string_view text) {
  std::vector<std::pair<std::size_t, epil::Utf8Char>> chars;
  for (std::size_t i = 0; i < text.size();) {
    chars.emplace_back(i, epil::decode_utf8(text, i));
    i += chars.back().second.length;
  }
  std::size_t begin = 0, end = chars.size();
  while (begin < end && epil::is_space(chars[begin].second.value)) ++begin;
  while (end > begin && epil::is_space(chars[end - 1].second.value)) --end;
  if (begin == end) return text.substr(0, 0);
  const std::size_t from = chars[begin].first;
  const std::size_t to = chars[end - 1].first + chars[end - 1].second.length;
  return text.substr(from, to - from);
}

}  // namespace

TEST_CASE("trim_space agrees with a plain decoding trim on generated text") {
  // Characters chosen for their lead bytes: the quick answer trusts printable ASCII and
  // leads other than C2 E1 E2 E3 EF, and must hand the rest to the decoding trim.
  static constexpr std::string_view kPieces[] = {
      "a",      "3",      "元",     "年",     "\u00E9", "\U0001F600", "\u3001", "\uFF0D",
      "\uFF71", "\u2014", "\u00B2", "\u1E00", "\u33A1", " ",          "\t",     "\n",
      "\u3000", "\u00A0", "\u200B", "\uFEFF", "\u2003", "\u1680",     "\u0085", "\u202F"};
  Picker p;
  int trimmed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t n = p.below(6);
    for (std::size_t i = 0; i < n; ++i) text += p.pick(kPieces);
    CAPTURE(text);
    const std::string_view got = epil::trim_space(text);
    CHECK(got == reference_trim(text));
    // read_value trims once and hands the trimmed text to readers that trim again.
    CHECK(epil::trim_space(got) == got);
    if (got.size() != text.size()) ++trimmed;
  }
  CHECK(trimmed > 5000);  // both answers were exercised
  // Invalid bytes at either end are not spaces and stay.
  CHECK(epil::trim_space("\x80") == "\x80");
  CHECK(epil::trim_space("\xE3\x80") == "\xE3\x80");  // a truncated U+3000
  CHECK(epil::trim_space("3\x80\x80") == "3\x80\x80");
  CHECK(epil::trim_space("\u3000\xE4\xB8") == "\xE4\xB8");
  CHECK(epil::trim_space("\xE4\xB8\u3000") == "\xE4\xB8");
}

TEST_CASE("decode_utf8 and trim_space") {
  const epil::Utf8Char yuan = epil::decode_utf8("元", 0);
  CHECK(yuan.valid);
  CHECK(yuan.value == U'元');
  CHECK(yuan.length == 3);

  // A stray continuation byte, an overlong '/', a surrogate and a truncated sequence.
  for (std::string_view bad : {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE5\x85"}) {
    CAPTURE(bad);
    const epil::Utf8Char c = epil::decode_utf8(bad, 0);
    CHECK_FALSE(c.valid);
    CHECK(c.length == 1);
  }

  CHECK(epil::trim_space("\u3000 3,000 \t") == "3,000");
  CHECK(epil::trim_space("\xEF\xBB\xBF"
                         "金额\u00A0") == "金额");
  CHECK(epil::trim_space(" 不 详 ") == "不 详");
  CHECK(epil::trim_space("\u3000\u3000") == "");
  CHECK(epil::trim_space("abc\xE5") == "abc\xE5");  // a truncated character is not a space
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
    CHECK(epil::fold_key(c.text) == c.key);
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
      {"5千", "元", 5000},  // as 5千元 (issue 12)
      {"0.5千", "元", 500},
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
      {"0x10", "元"},   {"nan", "元"},      {"inf", "元"},       {"3千千", "元"},
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
  // More digits than a double holds: refused, never rounded onto a limit (issue 12). The same
  // digits are read where they are exactly what the double prints as (Excel's stored value).
  for (const char* text : {"3000.0000000000001", "3000.00000000000001", "2999.9999999999999",
                           "3,000.0000000000001元", "0.30000000000000001万"}) {
    CAPTURE(text);
    CHECK_FALSE(io::parse_number(text, "元").has_value());
  }
  CHECK(io::parse_number("3300.0000000000005", "元") == 3300.0000000000005);
  CHECK(io::parse_number("0.30000000000000004", "") == 0.1 + 0.2);
  CHECK(io::parse_number("3000.000000000000000", "元") == 3000);
  CHECK(io::parse_number("123456789012345", "元") == 123456789012345.0);
  // Longer than any value a cell could mean: rejected rather than read partially.
  CHECK_FALSE(io::parse_number(std::string(200, '1'), "").has_value());
}

TEST_CASE("parse_number: the plain reader gives the general reader's exact double") {
  // Edges of the plain reader: 2^53 and beyond, 19 and 20 digits, 10^-22 and 10^-23, the
  // thousands groups it follows and the ones it leaves to the general reader.
  struct Edge {
    std::string_view text, unit;
  };
  static constexpr Edge kEdges[] = {
      {"9007199254740992", ""},
      {"9007199254740993", ""},
      {"9007199254740993.5", ""},
      {"1234567890123456789", ""},
      {"12345678901234567890", ""},
      {"00000000000000000001", ""},
      {"0.0000000000000000001", ""},
      {"0.00000000000000000001", ""},
      {"0.1234567890123456789", ""},
      {"123456789012345.6", ""},
      {"0.1", ""},
      {"0.3万元", "元"},
      {"2.333万元", "元"},
      {"0.07万元", "元"},
      {"1.2亿元", "元"},
      {"99999999.99亿元", "元"},
      {"666.6667平方米", "mu"},
      {"0.0001m2", "mu"},
      {"3斤", "t"},
      {"0.3斤", "kg"},
      {"1,234,567.891", "元"},
      {"1234,567", "元"},
      {"1,2345", "元"},
      {"1,234,5678", "元"},
      {"12,345元", "元"},
      {"-0", ""},
      {"-0.0万元", "元"},
      {"+0.5", ""},
      {"3.", ""},
      {".5", ""},
      {"3.e2", ""},
      {"1e3", ""},
      {"570", "人"},
      {"570人", "人"},
      {"570", "animals"},
      {"1.7976931348623157e308", ""},
  };
  for (const Edge& c : kEdges) {
    CAPTURE(c.text);
    CAPTURE(c.unit);
    const auto general = io::detail::parse_number_general(c.text, c.unit);
    CHECK(same_number(io::parse_number(c.text, c.unit), general));
    if (const auto plain = io::detail::parse_plain_number(c.text, c.unit)) {
      CHECK(same_number(plain, general));
    }
  }
  // Past 2^53 a mantissa is no longer exact and must not be read by the plain reader.
  CHECK_FALSE(io::detail::parse_plain_number("9007199254740993", "").has_value());
  // Nor by the general one: the nearest double is 9007199254740992 (issue 12).
  CHECK_FALSE(io::parse_number("9007199254740993", "").has_value());
  CHECK(io::parse_number("9007199254740992", "") == 9007199254740992.0);
  CHECK(io::detail::parse_plain_number("2.333万元", "元") == 23330.0);
  CHECK(io::detail::parse_plain_number("0.1", "") == 0.1);
  CHECK(io::detail::parse_plain_number("12,345", "元") == 12345.0);

  static constexpr std::string_view kUnits[] = {"元",    "t", "kg", "m3", "mu",
                                                "times", "%", "",   "人"};
  static constexpr std::string_view kSigns[] = {"", "", "", "-", "+", "\u2212", "--", "-+"};
  static constexpr std::string_view kPlainSigns[] = {"", "", "-", "+"};
  static constexpr std::string_view kPrefixes[] = {"", "", "", "", "", "\u00A5", "\uFFE5", "RMB "};
  static constexpr std::string_view kSuffixes[] = {
      "",    "",     "",   "",   "元",   "万元", "万",     "亿元",       "千元",  "块",
      "kg",  "KG",   "t",  "吨", "斤",   "g",    "公斤",   "万吨",       "%",     "\uFF05",
      "倍",  "亩",   "m2", "㎡", "公顷", "ha",   "平方米", "m3",         "方",    "人",
      " 元", "元元", "x",  "e5", "E-3",  ".",    ",",      "\u3000万元", "\u4E07"};
  static constexpr std::string_view kEnds[] = {"", "", "", "", " ", "\u3000", "\t"};
  // Suffixes each unit takes, so that half the texts are of the plain kind.
  struct UnitSuffixes {
    std::string_view unit;
    std::string_view suffixes[7];
  };
  static constexpr UnitSuffixes kTyped[] = {{"元", {"", "元", "万元", "万", "亿元", "千元", "块"}},
                                            {"t", {"", "t", "吨", "kg", "斤", "万吨", "千克"}},
                                            {"kg", {"", "kg", "公斤", "斤", "g", "t", "吨"}},
                                            {"m3", {"", "m3", "方", "立方米", "m\u00B3", "", ""}},
                                            {"mu", {"", "亩", "公顷", "m2", "㎡", "平方米", "hm2"}},
                                            {"times", {"", "倍", "", "", "", "", ""}},
                                            {"%", {"", "%", "", "", "", "", ""}},
                                            {"", {"", "", "", "", "", "", ""}},
                                            {"人", {"", "人", "", "", "", "", ""}}};
  Picker p;
  int plain_read = 0, rejected = 0;
  const int rounds = 60000;
  for (int round = 0; round < rounds; ++round) {
    const bool plain_kind = p.one_in(2);
    std::string text(plain_kind ? "" : p.pick(kEnds));
    text += plain_kind ? p.pick(kPlainSigns) : p.pick(kSigns);
    if (!plain_kind) text += p.pick(kPrefixes);
    const std::size_t lead = p.below(8) == 0 ? 10 + p.below(12) : p.below(7);
    const bool full_width = p.one_in(10);
    std::string integer(p.one_in(4) ? "0" : "");  // leading zeros
    integer += p.digits(lead, full_width);
    if (p.one_in(5) && integer.size() > 3 && !full_width) {
      // Thousands groups, sometimes irregular or with another separator.
      std::string grouped;
      const char* separator = p.one_in(4) ? (p.one_in(2) ? " " : "\uFF0C") : ",";
      for (std::size_t i = 0; i < integer.size(); ++i) {
        if (i > 0 && (integer.size() - i) % 3 == 0) grouped += separator;
        grouped += integer[i];
      }
      if (p.one_in(6)) {  // a separator one digit short of a group
        const char last = grouped.back();
        grouped.back() = ',';
        grouped += last;
      }
      integer = grouped;
    }
    text += integer;
    if (p.one_in(3)) {
      text += '.';
      text += p.digits(p.below(p.one_in(6) ? 22 : 5), full_width);
    }
    const UnitSuffixes& typed = p.pick(kTyped);
    const std::string_view unit = plain_kind ? typed.unit : p.pick(kUnits);
    text += plain_kind ? p.pick(typed.suffixes) : p.pick(kSuffixes);
    if (!plain_kind) text += p.pick(kEnds);
    CAPTURE(text);
    CAPTURE(unit);
    const auto general = io::detail::parse_number_general(text, unit);
    CHECK(same_number(io::parse_number(text, unit), general));
    if (const auto plain = io::detail::parse_plain_number(epil::trim_space(text), unit)) {
      ++plain_read;
      CHECK(same_number(plain, general));
    }
    if (!general) ++rejected;
  }
  // The mix exercised the plain reader, the general one and rejections.
  CHECK(plain_read > rounds / 5);
  CHECK(plain_read < rounds * 4 / 5);
  CHECK(rejected > rounds / 10);
}

TEST_CASE("parse_date: the plain reader agrees with the general reader") {
  static constexpr std::string_view kEdges[] = {
      "2025-02-30",     "2025/13/1", "20250230",     "0000-01-01",       "0000/1/1",
      "00010101",       "99991231",  "2024-02-29",   "2023年2月29日",    "2025年1月1号",
      "2025年01月01日", "2025.6.1",  "2025-6/1",     "2025-06-01 00:00", "2025-06-01T00:00",
      "2025060",        "202506011", "2025-006-01",  "2025-06-001",      "2025年6月1日日",
      "2025 年6月1日",  "20250601 ", "２０２５-6-1", "2025-6-1\u3000",   "12025-6-1"};
  for (std::string_view text : kEdges) {
    CAPTURE(text);
    const auto general = io::detail::parse_date_general(text);
    CHECK(iso_or_empty(io::parse_date(text)) == iso_or_empty(general));
    if (const auto plain = io::detail::parse_plain_date(epil::trim_space(text))) {
      CHECK(iso_or_empty(plain) == iso_or_empty(general));
    }
  }
  CHECK(iso_or_empty(io::detail::parse_plain_date("2023年4月24日")) == "2023-04-24");
  CHECK(iso_or_empty(io::detail::parse_plain_date("20250601")) == "2025-06-01");
  CHECK_FALSE(io::detail::parse_plain_date("2025-06-01 00:00").has_value());  // left to general

  static constexpr std::string_view kYears[] = {"2025", "2024", "1900", "2000",  "0000",
                                                "9999", "0001", "202",  "20250", "1970"};
  static constexpr std::string_view kSeparators[] = {"-", "/", ".", "-", "/", "", ":", "－"};
  static constexpr std::string_view kTails[] = {
      "", "", "", "", "", " ", "\u3000", " 00:00:00", "T08:30", " 25:00", "x", "日", ".0"};
  Picker p;
  auto part = [&p](int max) {
    const int v = static_cast<int>(p.below(static_cast<std::size_t>(max) + 1));
    std::string s(p.one_in(40) ? "0" : "");  // three digits
    if (v < 10 && p.one_in(2)) s += '0';
    s += std::to_string(v);
    return s;
  };
  int plain_read = 0, rejected = 0;
  const int rounds = 40000;
  for (int round = 0; round < rounds; ++round) {
    std::string text(p.one_in(10) ? " " : "");
    std::string year(p.pick(kYears));
    if (p.one_in(3)) year = p.digits(4, true);
    const std::string month = part(13), day = part(32);
    switch (p.below(4)) {
      case 0: {  // 20250601
        text += year;
        if (month.size() == 1) text += '0';
        text += month;
        if (day.size() == 1) text += '0';
        text += day;
        break;
      }
      case 1: {  // 2025年6月1日
        const char* space = p.one_in(8) ? " " : "";
        text.append(year).append(space).append("年").append(month).append("月");
        text.append(space).append(day).append(p.one_in(4) ? "号" : "日");
        break;
      }
      default: {  // 2025-6-1, occasionally with mixed separators
        const std::string_view sep = p.pick(kSeparators);
        text += year;
        text += sep;
        text += month;
        text += p.one_in(10) ? p.pick(kSeparators) : sep;
        text += day;
        break;
      }
    }
    text += p.pick(kTails);
    CAPTURE(text);
    const auto general = io::detail::parse_date_general(text);
    CHECK(iso_or_empty(io::parse_date(text)) == iso_or_empty(general));
    if (const auto plain = io::detail::parse_plain_date(epil::trim_space(text))) {
      ++plain_read;
      CHECK(iso_or_empty(plain) == iso_or_empty(general));
    }
    if (!general) ++rejected;
  }
  CHECK(plain_read > rounds / 5);
  CHECK(rejected > rounds / 10);
  CHECK(rejected < rounds * 9 / 10);
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
    CHECK(epil::format_plain(c.v) == c.plain);
    CHECK(epil::format_grouped(c.v) == c.grouped);
  }
  // Round trip: what we print reads back as the same double.
  for (double v : {0.1 + 0.2, 1.0 / 3, 2800.0 / 7, 1e15 + 0.5}) {
    CAPTURE(v);
    CHECK(io::parse_number(epil::format_plain(v), "") == v);
    CHECK(io::parse_number(epil::format_grouped(v), "") == v);
  }
}

// Whole numbers below 2^53 are formatted as integers; that must be the text the shortest
// fixed form of the double gives (std::to_chars, as for every other number).
TEST_CASE("format_plain: whole numbers give the shortest fixed form") {
  auto shortest = [](double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return std::string(buf, r.ptr);
  };
  std::mt19937_64 rng(20261128);
  std::vector<double> values = {1,
                                -1,
                                9,
                                10,
                                999,
                                1000,
                                4503599627370496.0,
                                9007199254740991.0,
                                -9007199254740991.0,
                                9007199254740992.0,
                                9007199254740994.0,
                                1e17,
                                123456789012345678.0};
  for (int i = 0; i < 20000; ++i) {
    int digits = static_cast<int>(rng() % 17) + 1;
    double v = static_cast<double>(rng() % static_cast<uint64_t>(std::pow(10.0, digits)));
    values.push_back(i % 2 ? -v : v);
    values.push_back(v + 0.5);  // not whole: the general path
  }
  int whole = 0;
  for (double v : values) {
    if (v == 0) continue;  // "0" either way, and -0 too
    CAPTURE(v);
    CHECK(epil::format_plain(v) == shortest(v));
    whole += v == std::trunc(v) && std::fabs(v) < 9007199254740992.0;
    // Grouped: the same digits, a comma before every third digit of the integer part from
    // its end, and no other.
    std::string grouped = epil::format_grouped(v), digits;
    for (char c : grouped) {
      if (c != ',') digits += c;
    }
    CHECK(digits == epil::format_plain(v));
    size_t dot = std::min(grouped.find('.'), grouped.size()), run = 0;
    for (size_t i = dot; i-- > 0;) {
      if (grouped[i] == ',') {
        CHECK(run == 3);
        run = 0;
      } else if (grouped[i] != '-') {
        ++run;
      }
    }
    CHECK((run >= 1 && run <= 3));
  }
  CHECK(whole > 10000);
}

TEST_CASE("values as ledgers write them: not known, estimates, dates without the day") {
  // 不清楚 / 待查 / 待核实 are what a clerk writes while a fact is being established.
  for (const char* s : {"不清楚", "待查", "待核实", "不知道", " 待定 "}) {
    CAPTURE(s);
    CHECK(io::is_unknown_text(s));
  }
  const epil::UnitDef& yuan = io::test_unit("元");
  CHECK(io::parse_approximate_number("约3000元", yuan) == 3000);
  CHECK(io::parse_approximate_number("大约 3,000 元", yuan) == 3000);
  CHECK(io::parse_approximate_number("3000元左右", yuan) == 3000);
  CHECK(io::parse_approximate_number("3000余元", yuan) == 3000);
  CHECK(io::parse_approximate_number("3000多元", yuan) == 3000);
  CHECK(io::parse_approximate_number("近0.3万元", yuan) == 3000);
  // Not an estimate: read by parse_number, or refused.
  CHECK_FALSE(io::parse_approximate_number("3000元", yuan));
  CHECK_FALSE(io::parse_approximate_number("约三千元", yuan));
  CHECK_FALSE(io::parse_approximate_number("约", yuan));
  CHECK(io::parse_number("5千", yuan) == 5000);
  CHECK(io::parse_number("17周岁", io::test_unit("岁")) == 17);

  auto june = io::parse_partial_date("2025年6月");
  REQUIRE(june);
  CHECK(june->first == *Date::from_ymd(2025, 6, 1));
  CHECK(june->last == *Date::from_ymd(2025, 6, 30));
  CHECK(june->month);
  auto feb = io::parse_partial_date("２０２４-０２");
  REQUIRE(feb);
  CHECK(feb->last == *Date::from_ymd(2024, 2, 29));
  auto year = io::parse_partial_date("2025年");
  REQUIRE(year);
  CHECK_FALSE(year->month);
  CHECK(year->last == *Date::from_ymd(2025, 12, 31));
  CHECK(io::parse_partial_date("2025年6月份"));
  // A whole date, or no date at all, is not a partial one.
  CHECK_FALSE(io::parse_partial_date("2025-06-01"));
  CHECK_FALSE(io::parse_partial_date("2025年13月"));
  CHECK_FALSE(io::parse_partial_date("2025年0月"));
  CHECK_FALSE(io::parse_partial_date("6月"));
}
