#include "io/normalize.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>
#include <system_error>

namespace epil::io {

namespace {

// Trimmed, width-folded, ASCII-lowercased copy of a short value on the stack, with every inner
// space turned into ' ' and ￥ into ¥. The parse functions run on every spreadsheet cell, so
// they work on this instead of a heap-allocated normalized string; real values are far shorter
// than the capacity, and longer text is not a value of any kind we read.
class FoldedText {
 public:
  explicit FoldedText(std::string_view text) {
    text = trim_space(text);
    // Plain ASCII (most amounts and dates) folds to itself, in lower case.
    bool ascii = text.size() <= data_.size();
    for (std::size_t i = 0; ascii && i < text.size(); ++i) {
      ascii = text[i] > 0x20 && text[i] < 0x7F;
    }
    if (ascii) {
      for (char c : text) data_[size_++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
      return;
    }
    for (std::size_t i = 0; i < text.size();) {
      const Utf8Char ch = decode_utf8(text, i);
      if (!ch.valid) {
        ok_ = ok_ && push(text.substr(i, 1));
      } else if (is_space(ch.value)) {
        ok_ = ok_ && push(" ");
      } else if (ch.value == 0xFFE5) {  // FULLWIDTH YEN SIGN, the IME's ￥
        ok_ = ok_ && push("\u00A5");
      } else if (const char32_t c = ascii_lower(fold_width(ch.value)); c < 0x80) {
        const char b = static_cast<char>(c);
        ok_ = ok_ && push(std::string_view(&b, 1));
      } else {
        ok_ = ok_ && push(text.substr(i, ch.length));
      }
      i += ch.length;
    }
  }

  // False when the text did not fit; such text is rejected by every caller.
  bool ok() const { return ok_; }
  std::string_view view() const { return {data_.data(), size_}; }

 private:
  bool push(std::string_view bytes) {
    if (bytes.size() > data_.size() - size_) return false;
    for (char b : bytes) data_[size_++] = b;
    return true;
  }

  std::array<char, 128> data_;
  std::size_t size_ = 0;
  bool ok_ = true;
};

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A cursor over folded text.
struct Scanner {
  std::string_view s;
  std::size_t pos = 0;

  bool at_end() const { return pos >= s.size(); }
  char peek(std::size_t ahead = 0) const { return pos + ahead < s.size() ? s[pos + ahead] : '\0'; }
  bool consume(std::string_view prefix) {
    if (s.substr(pos).starts_with(prefix)) {
      pos += prefix.size();
      return true;
    }
    return false;
  }
  std::size_t skip_spaces() {
    const std::size_t start = pos;
    while (peek() == ' ') ++pos;
    return pos - start;
  }
  std::size_t digit_run() const {
    std::size_t n = 0;
    while (is_digit(peek(n))) ++n;
    return n;
  }
  std::string_view rest() const { return s.substr(pos); }
};

// ---- numbers ----

// The suffix a number carries, found in its unit's table (units.yaml); a bare number is in
// the unit itself.
const UnitSuffix* suffix_of(const UnitDef& unit, std::string_view written) {
  static const UnitSuffix kBare{"", 0, 1};
  if (written.empty()) return &kBare;
  for (const UnitSuffix& s : unit.suffixes) {
    if (s.text == written) return &s;
  }
  return nullptr;
}

// Decimal text of the number being read, ready for std::from_chars: digits, optional '.'
// and fraction, then "e<exponent>" once the unit's power of ten is known.
class NumberText {
 public:
  bool push(char c) {
    if (size_ == data_.size()) return false;
    data_[size_++] = c;
    return true;
  }
  bool push_digits(std::string_view digits) {
    for (char c : digits) {
      if (!push(c)) return false;
    }
    return true;
  }
  bool push_exponent(long exponent) {
    if (!push('e')) return false;
    auto [end, ec] = std::to_chars(data_.data() + size_, data_.data() + data_.size(), exponent);
    if (ec != std::errc()) return false;
    size_ = static_cast<std::size_t>(end - data_.data());
    return true;
  }
  std::string_view text() const { return {data_.data(), size_}; }
  std::optional<double> value() const {
    double v = 0;
    const char* end = data_.data() + size_;
    auto [ptr, ec] = std::from_chars(data_.data(), end, v);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return v;
  }

 private:
  std::array<char, 96> data_;
  std::size_t size_ = 0;
};

bool consume_sign(Scanner& sc, bool& negative) {
  if (sc.peek() == '-' || sc.peek() == '+') {
    negative = sc.peek() == '-';
    ++sc.pos;
    return true;
  }
  return false;
}

// Reads digits with optional thousands grouping and fraction into `out`, and an exponent into
// `exponent`. Grouping must be regular (a lead group of 1-3 digits, then groups of exactly 3
// with one separator kind) because "3,5" or "1,50" are more likely a decimal comma or a typo
// than a thousands separator, and a legal threshold must not be met by a guess.
bool scan_number(Scanner& sc, NumberText& out, long& exponent) {
  std::size_t digits = 0;
  const std::size_t lead = sc.digit_run();
  if (!out.push_digits(sc.s.substr(sc.pos, lead))) return false;
  sc.pos += lead;
  digits += lead;
  char separator = 0;
  while (lead > 0) {
    const char c = sc.peek();
    const bool group = (c == ',' || c == ' ') && (separator == 0 || c == separator) &&
                       is_digit(sc.peek(1)) && is_digit(sc.peek(2)) && is_digit(sc.peek(3)) &&
                       !is_digit(sc.peek(4));
    if (!group) break;
    if (lead > 3) return false;
    separator = c;
    if (!out.push_digits(sc.s.substr(sc.pos + 1, 3))) return false;
    sc.pos += 4;
    digits += 3;
  }
  if (sc.peek() == '.') {
    ++sc.pos;
    const std::size_t fraction = sc.digit_run();
    if (fraction > 0) {
      if (!out.push('.') || !out.push_digits(sc.s.substr(sc.pos, fraction))) return false;
    }
    sc.pos += fraction;
    digits += fraction;
  }
  if (digits == 0) return false;

  exponent = 0;
  if (sc.peek() == 'e') {
    Scanner probe = sc;
    ++probe.pos;
    bool negative = false;
    consume_sign(probe, negative);
    const std::size_t n = probe.digit_run();
    if (n > 0) {
      // Clamp instead of overflowing; from_chars then reports the result out of range.
      for (std::size_t i = 0; i < n; ++i) {
        exponent = std::min(exponent * 10 + (probe.peek(i) - '0'), 100000L);
      }
      if (negative) exponent = -exponent;
      probe.pos += n;
      sc = probe;
    }
  }
  return true;
}

}  // namespace

bool is_unknown_text(std::string_view text) {
  // As ledgers write "not known": 不清楚, 待查 and 待核实 are what a clerk types while the
  // fact is being established; none of them is a value.
  static constexpr std::string_view kUnknown[] = {
      "",       "-",      "--",   "\u2014", "\u2014\u2014", "\u2013", "/",
      "?",      "不详",   "未知", "不明",   "不清楚",       "不知道", "待查",
      "待核实", "待核查", "待定", "n/a",    "na",           "null"};
  // Numbers and dates, most cells, never spell "unknown"; nor does anything longer than the
  // longest word above in full-width letters (ＮＵＬＬ, 12 bytes).
  text = trim_space(text);
  if (!text.empty() && ((text[0] >= '0' && text[0] <= '9') || text.size() > 12)) return false;
  const FoldedText folded(text);
  if (!folded.ok()) return false;
  for (std::string_view u : kUnknown) {
    if (folded.view() == u) return true;
  }
  return false;
}

std::optional<bool> parse_bool(std::string_view text) {
  struct Spelling {
    std::string_view text;
    bool value;
  };
  static constexpr Spelling kSpellings[] = {
      {"是", true},     {"否", false},     {"有", true},     {"无", false},     {"对", true},
      {"错", false},    {"真", true},      {"假", false},    {"涉及", true},    {"不涉及", false},
      {"存在", true},   {"不存在", false}, {"y", true},      {"n", false},      {"yes", true},
      {"no", false},    {"true", true},    {"false", false}, {"1", true},       {"0", false},
      {"\u221A", true}, {"\u00D7", false}, {"\u2713", true}, {"\u2717", false}, {"\u2714", true},
      {"\u2718", false}};
  const FoldedText folded(text);
  if (!folded.ok()) return std::nullopt;
  for (const Spelling& s : kSpellings) {
    if (folded.view() == s.text) return s.value;
  }
  return std::nullopt;
}

std::optional<double> parse_number(std::string_view text, const UnitDef& unit) {
  text = trim_space(text);
  if (auto v = detail::parse_plain_number(text, unit)) return v;
  return detail::parse_number_general(text, unit);
}

std::optional<double> detail::parse_plain_number(std::string_view text, const UnitDef& unit) {
  // Only the forms most cells take: [sign] digits [',' groups] ['.' digits] [suffix], ASCII but
  // for a suffix spelled exactly as in the unit's table (so already folded). At most 19 digits
  // in all keeps the mantissa in 64 bits; anything else is left to the general reader.
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool negative = false;
  if (n > 0 && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    ++i;
  }
  std::uint64_t mantissa = 0;
  int digits = 0;
  const std::size_t lead_start = i;
  for (; i < n && is_digit(text[i]); ++i, ++digits) {
    if (digits == 19) return std::nullopt;
    mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
  }
  const std::size_t lead = i - lead_start;
  if (lead == 0) return std::nullopt;
  // Thousands groups as scan_number accepts them: ",ddd" not followed by a further digit.
  while (i + 3 < n && text[i] == ',' && is_digit(text[i + 1]) && is_digit(text[i + 2]) &&
         is_digit(text[i + 3]) && (i + 4 == n || !is_digit(text[i + 4]))) {
    if (lead > 3 || digits + 3 > 19) return std::nullopt;
    for (std::size_t k = i + 1; k < i + 4; ++k) {
      mantissa = mantissa * 10 + static_cast<unsigned>(text[k] - '0');
    }
    digits += 3;
    i += 4;
  }
  int fraction = 0;
  if (i < n && text[i] == '.') {
    for (++i; i < n && is_digit(text[i]); ++i, ++fraction, ++digits) {
      if (digits == 19) return std::nullopt;
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
    }
  }
  const UnitSuffix* found = suffix_of(unit, text.substr(i));
  if (!found) return std::nullopt;
  const UnitSuffix& match = *found;
  // Clinger's fast path: a mantissa of at most 2^53 and a power of ten up to 10^22 are exact
  // doubles, so one IEEE multiplication or division rounds their exact product or quotient
  // once, to nearest — the same double std::from_chars gives for the decimal text.
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const int exp10 = match.exp10 - fraction;
  // Past 15 significant digits the general reader checks that the double holds the text.
  if (mantissa >= std::uint64_t{1'000'000'000'000'000} || exp10 > 22 || exp10 < -22)
    return std::nullopt;
  const auto m = static_cast<double>(mantissa);
  double result = exp10 >= 0 ? m * kPow10[exp10] : m / kPow10[-exp10];
  result *= match.factor;
  if (negative) result = -result;
  return result + 0.0;  // turns -0 into 0, as the general reader does
}

std::optional<double> detail::parse_number_general(std::string_view text, const UnitDef& unit) {
  const FoldedText folded(text);
  if (!folded.ok()) return std::nullopt;
  Scanner sc{folded.view()};
  bool negative = false;
  const bool signed_first = consume_sign(sc, negative);
  for (const std::string& prefix : unit.prefixes) {  // ¥ 3000, 人民币3000元
    if (sc.consume(prefix)) {
      sc.skip_spaces();
      break;
    }
  }
  if (!signed_first) consume_sign(sc, negative);

  NumberText number;
  long exponent = 0;
  if (!scan_number(sc, number, exponent)) return std::nullopt;
  sc.skip_spaces();
  const std::string_view suffix = sc.rest();

  const UnitSuffix* found = suffix_of(unit, suffix);
  if (!found) return std::nullopt;
  const UnitSuffix& match = *found;

  if (!number.push_exponent(exponent + match.exp10)) return std::nullopt;
  std::optional<double> v = number.value();
  if (!v || !detail::holds_exactly(number.text(), *v)) return std::nullopt;
  double result = *v * match.factor;
  if (!std::isfinite(result)) return std::nullopt;
  if (negative) result = -result;
  return result + 0.0;  // turns -0 into 0
}

namespace {

// A decimal as its significant digits (no leading or trailing zeros) and the power of ten of
// the last one: "3000.10" and "3.0001e3" are {"30001", -1}. `text` is what from_chars reads.
struct Decimal {
  std::string digits;
  long exp10 = 0;
  bool operator==(const Decimal&) const = default;
};

Decimal decimal_of(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  bool fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      fraction = true;
    } else if (is_digit(text[i])) {
      if (!(d.digits.empty() && text[i] == '0')) d.digits += text[i];
      if (fraction) --d.exp10;
    }
  }
  if (i < text.size()) {
    long e = 0;
    std::from_chars(text.data() + i + 1 + (text[i + 1] == '+'), text.data() + text.size(), e);
    d.exp10 += e;
  }
  while (!d.digits.empty() && d.digits.back() == '0') {
    d.digits.pop_back();
    ++d.exp10;
  }
  if (d.digits.empty()) d.exp10 = 0;
  return d;
}

}  // namespace

// Any decimal of up to 15 significant digits comes back from the nearest double unchanged
// (DBL_DIG), so two different ones never read as the same value. A longer one may not:
// "3000.0000000000001" is the double 3000 and would meet a limit of 3,000 元 that it exceeds.
// Such a text is read only when it is exactly what its double prints as (a spreadsheet's
// stored value such as 3300.0000000000005 is); otherwise it is refused, not rounded.
bool detail::holds_exactly(std::string_view number_text, double v) {
  std::size_t significant = 0;
  bool leading = true;
  for (char c : number_text) {
    if (c == 'e' || c == 'E') break;
    if (!is_digit(c) || (leading && c == '0')) continue;
    leading = false;
    ++significant;
  }
  if (significant <= 15) return true;
  std::array<char, 32> shortest;
  auto [end, ec] = std::to_chars(shortest.data(), shortest.data() + shortest.size(), v);
  if (ec != std::errc()) return false;
  return decimal_of(number_text) == decimal_of({shortest.data(), end});
}

namespace {

// Reads a run of min_digits..max_digits digits as a number; fails on a shorter or longer run.
bool read_int(Scanner& sc, std::size_t min_digits, std::size_t max_digits, int& out) {
  const std::size_t n = sc.digit_run();
  if (n < min_digits || n > max_digits) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) out = out * 10 + (sc.s[sc.pos + i] - '0');
  sc.pos += n;
  return true;
}

// "H:MM", "HH:MM:SS" or "HH:MM:SS.fff" up to the end of the text.
bool is_time_of_day(Scanner sc) {
  int hour = 0, minute = 0, second = 0;
  if (!read_int(sc, 1, 2, hour) || !sc.consume(":") || !read_int(sc, 2, 2, minute)) {
    return false;
  }
  if (sc.consume(":")) {
    if (!read_int(sc, 2, 2, second)) return false;
    if (sc.consume(".") && sc.digit_run() == 0) return false;
    sc.pos += sc.digit_run();
  }
  return sc.at_end() && hour <= 23 && minute <= 59 && second <= 59;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  text = trim_space(text);
  if (auto d = detail::parse_plain_date(text)) return d;
  return detail::parse_date_general(text);
}

std::optional<Date> detail::parse_plain_date(std::string_view text) {
  // Only YYYYMMDD, YYYY-M-D with '-', '/' or '.', and YYYY年M月D日 (or 号) in ASCII digits
  // without spaces or a time; the Chinese marks fold to themselves, so exact bytes suffice.
  const std::size_t n = text.size();
  auto digit = [&](std::size_t i) { return i < n && is_digit(text[i]); };
  auto value = [&](std::size_t i) { return text[i] - '0'; };
  if (n < 8 || !digit(0) || !digit(1) || !digit(2) || !digit(3)) return std::nullopt;
  const int year = value(0) * 1000 + value(1) * 100 + value(2) * 10 + value(3);
  if (n == 8 && digit(4) && digit(5) && digit(6) && digit(7)) {
    return Date::from_ymd(year, value(4) * 10 + value(5), value(6) * 10 + value(7));
  }
  // One or two digits at `i`. A third is left unread, to be refused by what must follow
  // (separator, 月, 日 or the end), as read_int(sc, 1, 2, out) refuses it.
  auto one_or_two = [&](std::size_t& i, int& out) {
    if (!digit(i)) return false;
    out = value(i++);
    if (digit(i)) out = out * 10 + value(i++);
    return true;
  };
  auto word = [&](std::size_t& i, std::string_view w) {
    if (n - i < w.size() || text.substr(i, w.size()) != w) return false;
    i += w.size();
    return true;
  };
  int month = 0, day = 0;
  std::size_t i = 4;
  const char sep = text[4];
  if (sep == '-' || sep == '/' || sep == '.') {
    ++i;
    if (!one_or_two(i, month) || i >= n || text[i] != sep) return std::nullopt;
    ++i;
    if (!one_or_two(i, day)) return std::nullopt;
  } else if (!word(i, "年") || !one_or_two(i, month) || !word(i, "月") || !one_or_two(i, day) ||
             !(word(i, "日") || word(i, "号"))) {
    return std::nullopt;
  }
  if (i != n) return std::nullopt;
  return Date::from_ymd(year, month, day);
}

std::optional<Date> detail::parse_date_general(std::string_view text) {
  const FoldedText folded(text);
  if (!folded.ok()) return std::nullopt;
  Scanner sc{folded.view()};
  int year = 0, month = 0, day = 0;
  const std::size_t lead = sc.digit_run();
  if (lead == 8) {
    // 20250601: read the run as one number and split it.
    int ymd = 0;
    read_int(sc, 8, 8, ymd);
    year = ymd / 10000;
    month = ymd / 100 % 100;
    day = ymd % 100;
  } else if (lead == 4) {
    read_int(sc, 4, 4, year);
    const char sep = sc.peek();
    if (sep == '-' || sep == '/' || sep == '.') {
      ++sc.pos;
      if (!read_int(sc, 1, 2, month) || sc.peek() != sep) return std::nullopt;
      ++sc.pos;
      if (!read_int(sc, 1, 2, day)) return std::nullopt;
    } else {
      sc.skip_spaces();
      if (!sc.consume("年")) return std::nullopt;
      sc.skip_spaces();
      if (!read_int(sc, 1, 2, month)) return std::nullopt;
      sc.skip_spaces();
      if (!sc.consume("月")) return std::nullopt;
      sc.skip_spaces();
      if (!read_int(sc, 1, 2, day)) return std::nullopt;
      sc.skip_spaces();
      if (!sc.consume("日") && !sc.consume("号")) return std::nullopt;
    }
  } else {
    return std::nullopt;
  }

  if (!sc.at_end()) {
    // Dates exported with a time part ("2025-06-01 00:00:00", "2025-06-01T00:00:00").
    if (!sc.consume("t") && sc.skip_spaces() == 0) return std::nullopt;
    if (!is_time_of_day(sc)) return std::nullopt;
  }
  return Date::from_ymd(year, month, day);
}

std::optional<Date> date_from_excel_serial(double serial) {
  if (!std::isfinite(serial) || serial < 1) return std::nullopt;
  const double whole = std::floor(serial);
  if (whole > 2958465) return std::nullopt;
  const auto n = static_cast<int32_t>(whole);
  // Excel counts 1900-02-29 (serial 60), a day that never was. Before it, serial n is n days
  // after 1899-12-31; from 61 on, the phantom day shifts the origin to 1899-12-30.
  constexpr int32_t kDec30_1899 = -25569;  // days from 1970-01-01
  if (n == 60) return std::nullopt;
  return Date::from_days(n < 60 ? kDec30_1899 + 1 + n : kDec30_1899 + n);
}

std::optional<int32_t> excel_serial_from_date(Date d) {
  constexpr int32_t kDec30_1899 = -25569;  // as above: serial 61 is 1900-03-01
  constexpr int32_t kMar1_1900 = kDec30_1899 + 61;
  const int32_t n = d.days() - kDec30_1899;
  if (n > 2958465) return std::nullopt;
  if (d.days() >= kMar1_1900) return n;
  return n - 1 >= 1 ? std::optional<int32_t>(n - 1) : std::nullopt;
}

namespace {

// Words that make a number an estimate: before it (约3000元, 大约 3000), after it (3000元左右),
// or right after its digits (3000余元, 3000多元: "more than", a lower bound, not the amount).
constexpr std::string_view kApproxBefore[] = {"大约", "约为", "约", "将近", "接近", "近"};
constexpr std::string_view kApproxAfter[] = {"左右", "上下"};
constexpr std::string_view kApproxAfterDigits[] = {"余", "多"};

bool strip_prefix(std::string& s, std::string_view p) {
  if (s.compare(0, p.size(), p) != 0) return false;
  s.erase(0, p.size());
  return true;
}

bool strip_suffix(std::string& s, std::string_view p) {
  if (s.size() < p.size() || s.compare(s.size() - p.size(), p.size(), p) != 0) return false;
  s.erase(s.size() - p.size());
  return true;
}

}  // namespace

std::optional<double> parse_approximate_number(std::string_view text, const UnitDef& unit) {
  std::string s(trim_space(text));
  bool marked = false;
  for (std::string_view p : kApproxBefore) {
    if (strip_prefix(s, p)) {
      marked = true;
      break;
    }
  }
  for (std::string_view p : kApproxAfter) marked |= strip_suffix(s, p);
  // 余 / 多 right after the last digit: "3000余元", "3000多".
  const size_t last_digit = s.find_last_of("0123456789");
  if (last_digit != std::string::npos) {
    for (std::string_view w : kApproxAfterDigits) {
      if (s.compare(last_digit + 1, w.size(), w) == 0) {
        s.erase(last_digit + 1, w.size());
        marked = true;
        break;
      }
    }
  }
  if (!marked) return std::nullopt;
  return parse_number(s, unit);
}

std::optional<DateSpan> parse_partial_date(std::string_view text) {
  const FoldedText folded(text);
  if (!folded.ok()) return std::nullopt;
  Scanner sc{folded.view()};
  sc.skip_spaces();
  int year = 0, month = 0;  // month 0: the whole year
  if (sc.digit_run() != 4 || !read_int(sc, 4, 4, year) || year < 1900 || year > 9999) {
    return std::nullopt;
  }
  const char sep = sc.peek();
  if (sep == '-' || sep == '/' || sep == '.') {  // 2025-06, 2025/6, 2025.6
    ++sc.pos;
    if (!read_int(sc, 1, 2, month) || month < 1) return std::nullopt;
  } else {
    sc.skip_spaces();
    if (!sc.consume("年")) return std::nullopt;
    sc.skip_spaces();
    if (!sc.at_end()) {  // 2025年6月; else 2025年
      if (!read_int(sc, 1, 2, month) || month < 1) return std::nullopt;
      sc.skip_spaces();
      if (!sc.consume("月份") && !sc.consume("月")) return std::nullopt;
    }
  }
  sc.skip_spaces();
  if (!sc.at_end()) return std::nullopt;
  if (month == 0) {
    return DateSpan{*Date::from_ymd(year, 1, 1), *Date::from_ymd(year, 12, 31), false};
  }
  if (month > 12) return std::nullopt;
  const Date first = *Date::from_ymd(year, month, 1);
  const Date next =
      month == 12 ? *Date::from_ymd(year + 1, 1, 1) : *Date::from_ymd(year, month + 1, 1);
  return DateSpan{first, Date::from_days(next.days() - 1), true};
}

}  // namespace epil::io
