// Reading cell and command-line values the way Chinese users type them: booleans, numbers
// with units, dates, "not known". The text they rest on (UTF-8, spaces, folded keys, number
// formats) is core/text.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/text.h"
#include "core/units.h"

namespace epil::io {

/// True when a cell says "not known" rather than giving a value: empty or blank, "-", "--",
/// "—", "——", "–", "/", "?", "不详", "未知", "不明", "N/A", "NA", "null" (ASCII letters in any
/// case, full-width forms folded, surrounding spaces ignored).
///
///   if (is_unknown_text(cell)) fact = Unknown{};
bool is_unknown_text(std::string_view text);

/// Yes/no as typed: 是/否, 有/无, 对/错, 真/假, 涉及/不涉及, 存在/不存在, y/n, yes/no,
/// true/false (any case), 1/0, √/×, ✓/✗, ✔/✘. Surrounding spaces are ignored and full-width
/// letters and digits folded. Anything else gives nullopt.
///
///   parse_bool(" 是 ") == true;  parse_bool("Ｎｏ") == false;  parse_bool("也许") == nullopt
std::optional<bool> parse_bool(std::string_view text);

/// A number as typed, in `unit` (a field's number_unit: units.yaml's entry for its unit). The
/// number may carry a sign, thousands separators (',' '，' or a space, in groups of exactly
/// three so that "3,5" is refused rather than guessed), full-width digits, a decimal point and
/// an exponent ("1e6"), one of the unit's prefixes before it (¥ ￥ RMB 人民币 for 元) and one of
/// its suffixes after it (spaces allowed in between), which multiplies it: 万元 ×10⁴, kg ÷1000
/// for tonnes. A bare number is taken to be in `unit` already. ASCII letters match in any case.
/// Anything else — "abc", "3元5", "1.2.3", "3吨" for "元", empty text — gives nullopt.
/// Powers of ten are applied to the decimal exponent before conversion, so "0.3万元" is
/// exactly 3000 and not 3000.0000000000005.
///
///   parse_number("￥3,000", 元) == 3000;  parse_number("500kg", t) == 0.5
std::optional<double> parse_number(std::string_view text, const UnitDef& unit);

/// A calendar date as typed: 2025-06-01, 2025-6-1, 2025/6/1, 2025.6.1, 2025年6月1日 (spaces
/// allowed between the parts, 号 for 日), 20250601; full-width digits folded. A trailing
/// time " 00:00:00" or "T00:00" (seconds and fraction optional) is checked and ignored.
/// Days that do not exist (2025-02-30) give nullopt.
///
///   parse_date("2025年6月1日") == Date::from_ymd(2025, 6, 1)
std::optional<Date> parse_date(std::string_view text);

/// A number given only as an estimate: 约3000元, 大约 3000, 近3000元, 3000元左右, 3000余元,
/// 3000多元 — the number it names, in `unit`; nullopt for text without such a word, and for
/// text that is not a number once the word is taken away. An estimate is not a fact to decide
/// on: the caller keeps it as unknown, and says what was given (read_value).
///
///   parse_approximate_number("约3000元", 元) == 3000;  parse_approximate_number("3000", 元) ==
///   nullopt
std::optional<double> parse_approximate_number(std::string_view text, const UnitDef& unit);

/// A date given to the month or the year only: 2025年6月, 2025-06, 2025/6, 2025.6, 2025年.
/// Full dates give nullopt (parse_date reads them).
struct DateSpan {
  Date first, last;
  bool month = true;  // a month (2025年6月), else a whole year (2025年)
};
std::optional<DateSpan> parse_partial_date(std::string_view text);

/// The date of an Excel serial number in the 1900 date system (serial 1 = 1900-01-01).
/// A fractional part is a time of day and is ignored. Serial 60 is Excel's fictitious
/// 1900-02-29 (kept for Lotus 1-2-3 compatibility) and gives nullopt rather than a real day
/// the user did not enter; 61 is 1900-03-01. Serials < 1, > 2958465 (9999-12-31) and
/// non-finite values give nullopt.
///
///   date_from_excel_serial(45809) == Date::from_ymd(2025, 6, 1)
std::optional<Date> date_from_excel_serial(double serial);

/// The Excel serial number of `d` (1900 date system), as date_from_excel_serial reads it:
/// nullopt before 1900-01-01 and after 9999-12-31, which a sheet cannot hold as dates.
///
///   excel_serial_from_date(*Date::from_ymd(2025, 6, 1)) == 45809
std::optional<int32_t> excel_serial_from_date(Date d);

namespace detail {

// The two readers behind parse_number and parse_date. The plain ones read only the common
// forms of already trimmed text — ASCII digits, and a suffix or date mark spelled exactly
// ("570", "12,345", "2.333万元", "2025-06-01", "20250601", "2023年4月24日") — without
// folding it, and give nullopt for anything else (days that do not exist included), which
// parse_number and parse_date then hand to the general ones. The plain ones never give a
// different answer; they are separate so that tests can hold them to that.
std::optional<double> parse_plain_number(std::string_view trimmed, const UnitDef& unit);
std::optional<double> parse_number_general(std::string_view text, const UnitDef& unit);
std::optional<Date> parse_plain_date(std::string_view trimmed);
std::optional<Date> parse_date_general(std::string_view text);
// Whether `number_text` (digits, '.', 'e' exponent: what from_chars read) is exactly the
// decimal `v` holds, as far as a comparison can tell: true up to 15 significant digits, and
// beyond only when it is what `v` prints as.
bool holds_exactly(std::string_view number_text, double v);

}  // namespace detail

}  // namespace epil::io
