// Text as the core handles it: UTF-8 characters and spaces, the folded keys names are matched
// by, numbers written plainly or grouped, the distance behind "did you mean", and user-facing
// text in both languages (Chinese first-class: every label, message and explanation line
// exists in 中文 and English, and the caller picks one at the edge).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace epil {

/// One character decoded from UTF-8. Invalid input (stray continuation byte, overlong form,
/// surrogate, truncated sequence, > U+10FFFF) decodes as U+FFFD with `valid == false` and
/// `length == 1`, so a caller can step over the bad byte and keep going.
///
///   auto c = decode_utf8("元", 0);  // c.value == U'元', c.length == 3, c.valid
struct Utf8Char {
  char32_t value = 0;
  std::size_t length = 1;
  bool valid = false;
};

/// Decodes the character that starts at `text[pos]`; `pos` must be < `text.size()`.
Utf8Char decode_utf8(std::string_view text, std::size_t pos);

/// Appends code point `c` to `out` as UTF-8.
void append_utf8(std::string& out, char32_t c);

/// True for Unicode White_Space (ASCII blanks, NBSP, U+2000..U+200A, U+3000 …) and for the
/// invisible U+200B / U+FEFF that pasting from web pages and BOM-prefixed CSV leaves behind.
bool is_space(char32_t c);

/// `text` without leading and trailing spaces in the sense of `is_space`, full-width U+3000
/// included. Returns a view into `text`.
///
///   trim_space("\u3000 3,000 ") == "3,000"
std::string_view trim_space(std::string_view text);

// Full-width forms as typed with a Chinese IME in full-width mode, mapped to the ASCII they
// stand for. U+2212 MINUS SIGN is included because Word and web pages substitute it for '-'.
constexpr char32_t fold_width(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  if (c == 0x2212) return U'-';
  return c;
}

constexpr char32_t ascii_lower(char32_t c) { return (c >= U'A' && c <= U'Z') ? c + 32 : c; }

/// The key under which headers, enum labels and aliases are matched: full-width ASCII
/// (U+FF01..U+FF5E, so also （）) folded to half-width, ASCII lowercased, and every space,
/// '-' and '_' removed. Other text (Chinese) is unchanged.
///
///   fold_key(" Damage-Amount ") == fold_key("damage_amount") == "damageamount"
///   fold_key("损失金额（元）") == "损失金额(元)"
std::string fold_key(std::string_view text);

/// Shortest text that reads back as `v`, without an exponent for 1e-7 <= |v| < 1e21
/// ("2800", "0.25", "1000000"); outside that range the exponent form ("1e+21"). -0 is "0";
/// NaN and infinities are "nan", "inf", "-inf".
///
///   format_plain(2800.0) == "2800"
std::string format_plain(double v);

/// `format_plain` with the integer part grouped in threes by ',': "2,800", "1,000,000",
/// "0.25", "-1,234.5". The exponent form is left ungrouped.
///
///   format_grouped(1234.5) == "1,234.5"
std::string format_grouped(double v);


/// Levenshtein distance in bytes, for "did you mean" hints on names people mistype; a distance
/// of `limit` or more is returned as `limit`, found without computing it in full.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit = SIZE_MAX);

/// The name nearest a text among those offered, when it is a near miss (a character or two
/// off: up to about three UTF-8 bytes each), for "did you mean" hints on places.
///
///   NearestName n("兴按县"); n.offer("兴安县"); n.offer("南宁市"); n.name() == "兴安县"
class NearestName {
 public:
  explicit NearestName(std::string_view text);
  void offer(std::string_view name);
  const std::string& name() const { return name_; }

 private:
  std::string key_;
  size_t best_;
  std::string name_;
};

enum class Lang { kZh, kEn };

/// A label or message in both languages: `Text{"显著轻微", "significantly minor"}.in(lang)`.
struct Text {
  std::string zh;
  std::string en;

  const std::string& in(Lang lang) const {
    if (lang == Lang::kZh) return zh.empty() ? en : zh;
    return en.empty() ? zh : en;
  }
  bool empty() const { return zh.empty() && en.empty(); }
};

}  // namespace epil
