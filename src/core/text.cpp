#include "core/text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>
#include <vector>

namespace epil {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

constexpr Utf8Char invalid_byte() { return Utf8Char{kReplacement, 1, false}; }


// The byte values of a string as a set of 64 buckets.
uint64_t byte_buckets(std::string_view s) {
  uint64_t set = 0;
  for (unsigned char c : s) set |= uint64_t{1} << (c % 64);
  return set;
}

// A floor under the distance, in one pass over each string: an edit adds at most one byte
// value to a string and takes at most one away, so the buckets only one of the strings fills
// each take an edit. A name that shares few bytes with another is ruled out without the
// quadratic table.
size_t distinct_bytes_apart(std::string_view a, std::string_view b) {
  const uint64_t x = byte_buckets(a), y = byte_buckets(b);
  return static_cast<size_t>(std::max(std::popcount(x & ~y), std::popcount(y & ~x)));
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  const size_t apart = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (apart >= limit) return limit;  // the distance is at least the difference in length
  if (limit != SIZE_MAX && distinct_bytes_apart(a, b) >= limit) return limit;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      row_min = std::min(row_min, cur[j]);
    }
    // A row never goes below its smallest cell: once every cell reaches the limit, so does
    // the distance.
    if (row_min >= limit) return limit;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit);
}

Utf8Char decode_utf8(std::string_view text, std::size_t pos) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) return Utf8Char{b0, 1, true};
  std::size_t length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    return invalid_byte();
  }
  if (text.size() - pos < length) return invalid_byte();
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(text[pos + i]);
    if ((b & 0xC0) != 0x80) return invalid_byte();
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return invalid_byte();
  return Utf8Char{c, length, true};
}

bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

namespace {

// Lead bytes a space may start with: ASCII controls and blank, DEL, continuation bytes (not a
// character start at all), and C2, E1, E2, E3, EF, which begin every space above ASCII
// (is_space). Most of CJK (E4–E9) and every printable ASCII character is none.
constexpr std::array<bool, 256> kMayStartSpace = [] {
  std::array<bool, 256> t{};
  for (int b = 0; b < 256; ++b) {
    t[b] = b <= 0x20 || b == 0x7F || (b >= 0x80 && b < 0xC0) || b == 0xC2 || b == 0xE1 ||
           b == 0xE2 || b == 0xE3 || b == 0xEF;
  }
  return t;
}();

// trim_space for text that may have a space at an end: decodes from both ends.
[[gnu::noinline]] std::string_view trim_space_slow(std::string_view text) {
  std::size_t last = text.size() - 1;
  while (last > 0 && text.size() - last < 4 &&
         (static_cast<unsigned char>(text[last]) & 0xC0) == 0x80) {
    --last;
  }
  if (!kMayStartSpace[static_cast<unsigned char>(text.front())] &&
      !kMayStartSpace[static_cast<unsigned char>(text[last])]) {
    return text;
  }
  while (!text.empty()) {
    const Utf8Char ch = decode_utf8(text, 0);
    if (!ch.valid || !is_space(ch.value)) break;
    text.remove_prefix(ch.length);
  }
  while (!text.empty()) {
    // Step back over continuation bytes to the start of the last character.
    std::size_t start = text.size() - 1;
    while (start > 0 && text.size() - start < 4 &&
           (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
      --start;
    }
    const Utf8Char ch = decode_utf8(text, start);
    if (!ch.valid || start + ch.length != text.size() || !is_space(ch.value)) break;
    text.remove_suffix(ch.length);
  }
  return text;
}

}  // namespace

std::string_view trim_space(std::string_view text) {
  // Most cells neither start nor end with a space of any kind, and every caller trims (some
  // text twice), so this answers from the first byte and the last character's lead byte:
  // the last byte when ASCII, else the byte before two continuation bytes, where a
  // three-byte character (CJK) starts. Anything else goes the slow way.
  const std::size_t n = text.size();
  if (n == 0) return text;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  if (kMayStartSpace[p[0]]) return trim_space_slow(text);
  unsigned char last = p[n - 1];
  if (last >= 0x80) {
    if (n < 3 || (last & 0xC0) != 0x80 || (p[n - 2] & 0xC0) != 0x80) return trim_space_slow(text);
    last = p[n - 3];  // a continuation byte here is in kMayStartSpace
  }
  return kMayStartSpace[last] ? trim_space_slow(text) : text;
}

std::string fold_key(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Utf8Char ch = decode_utf8(text, i);
    if (!ch.valid) {
      key.push_back(text[i]);  // keep undecodable bytes so distinct inputs stay distinct
    } else if (const char32_t c = ascii_lower(fold_width(ch.value));
               !is_space(c) && c != U'-' && c != U'_') {
      append_utf8(key, c);
    }
    i += ch.length;
  }
  return key;
}

NearestName::NearestName(std::string_view text)
    : key_(fold_key(text)), best_(std::min<size_t>(7, key_.size() / 2 + 1)) {}

void NearestName::offer(std::string_view name) {
  if (const size_t d = edit_distance(key_, fold_key(name), best_); d < best_) {
    best_ = d;
    name_ = std::string(name);
  }
}

std::string format_plain(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  const double a = std::fabs(v);
  // Whole numbers below 2^53 (most amounts and margins) are exact as integers, and their
  // shortest fixed form is their digits: integer formatting gives it without the search for
  // the shortest round-trip digits.
  if (a < 9007199254740992.0 && v == std::trunc(v)) {
    std::array<char, 24> digits;
    auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(),
                                   static_cast<std::int64_t>(v));
    return std::string(digits.data(), end);
  }
  const auto format =
      (a >= 1e-7 && a < 1e21) ? std::chars_format::fixed : std::chars_format::scientific;
  std::array<char, 64> buf;
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v, format);
  if (ec != std::errc()) return "nan";  // cannot happen with this buffer size
  return std::string(buf.data(), end);
}

std::string format_grouped(double v) {
  std::string plain = format_plain(v);
  // Only plain decimals are grouped: not "1e+21", "nan" or "inf".
  for (char c : plain) {
    if (!(c == '-' || c == '.' || (c >= '0' && c <= '9'))) return plain;
  }
  const std::size_t begin = plain[0] == '-' ? 1 : 0;
  const std::size_t end = std::min(plain.find('.'), plain.size());
  if (end - begin <= 3) return plain;
  std::string out(plain.size() + (end - begin - 1) / 3, ',');
  char* o = out.data();
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > begin && i < end && (end - i) % 3 == 0) ++o;  // the comma is there already
    *o++ = plain[i];
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace epil
