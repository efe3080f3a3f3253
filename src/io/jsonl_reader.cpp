// The JSON Lines reader behind open_jsonl (io/table.h). The header is every key in the file, so it
// must be known before the first row is handed out: the file is mapped into memory and read twice,
// a first pass collecting the keys and a second one handing out rows. Cells point into the mapping
// where the value is used as written (strings without escapes, numbers, literals, nested values);
// strings with escapes are decoded into a buffer as long as the longest line, so that reading a
// row allocates nothing. Pages behind the reader are given back as it goes, so that memory stays
// flat however long the file is. A stream that cannot be read twice (a pipe, /dev/stdin) is first
// copied to an unlinked temporary file and mapped from there: memory does not grow with it.
// Limits: row-bytes per line, cell-bytes per value, columns for the distinct keys of the file.
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>

#include "core/excerpt.h"
#include "core/messages.h"
#include "io/encoding.h"
#include "io/table.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace epil::io {

namespace {

// A stream is copied to its temporary file in steps of this size.
constexpr size_t kCopyStep = size_t{1} << 20;
// Mapped pages behind the reader are released each time it has moved on this far.
constexpr size_t kReleaseStep = size_t{16} << 20;

// JSON's blanks within a line: space, tab and the CR of a CRLF line end.
constexpr uint64_t kBlanks = (uint64_t{1} << ' ') | (uint64_t{1} << '\t') | (uint64_t{1} << '\r');
inline bool is_ws(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' && ((kBlanks >> u) & 1) != 0;
}
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alnum(char c) {  // ASCII only, whatever the locale
  return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline unsigned hex_value(char c) {
  return is_digit(c) ? static_cast<unsigned>(c - '0')
                     : static_cast<unsigned>((c | 0x20) - 'a' + 10);
}

inline const char* skip_ws(const char* p, const char* end) {
  while (p < end && is_ws(*p)) ++p;
  return p;
}

// After a key or a value most writers put nothing or a single space: checked before the loop.
inline const char* skip_ws_short(const char* p, const char* end) {
  if (p == end) return p;
  const auto c = static_cast<unsigned char>(*p);
  if (c > ' ') return p;
  if (c == ' ' && end - p >= 2 && static_cast<unsigned char>(p[1]) > ' ') return p + 1;
  return skip_ws(p, end);
}

std::string hex_bytes(const char* data, size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{:02X}", static_cast<unsigned char>(data[i]));
  }
  return out;
}

// Appends code point `c` (not a surrogate, at most U+10FFFF) as UTF-8.
inline char* put_utf8(char* out, uint32_t c) {
  if (c < 0x80) {
    *out++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *out++ = static_cast<char>(0xC0 | (c >> 6));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (c >> 12));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (c >> 18));
    *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

inline uint32_t hex4(const char* p) {
  return (hex_value(p[0]) << 12) | (hex_value(p[1]) << 8) | (hex_value(p[2]) << 4) |
         hex_value(p[3]);
}

// A code point or code unit as JSON and Unicode write it, after "\u" or "U+": "00E9".
std::string hex4_text(uint32_t c) { return fmt::format("{:04X}", c); }

// What the parser found where it expected something else, in both languages: a word as a whole
// ("True", "NaN"), one character, or the end of the line.
Text describe(const char* p, const char* end) {
  if (p >= end || *p == '\n' || (*p == '\r' && (end - p == 1 || p[1] == '\n'))) {
    return message(Msg::kJsonlEndOfLine);
  }
  const auto c = static_cast<unsigned char>(*p);
  if (c < 0x20 || c == 0x7F) return message(Msg::kJsonlControlCharacter, hex4_text(c));
  if (c < 0x80) {
    size_t n = 1;
    if (is_alnum(*p)) {
      while (n < 16 && p + n < end && is_alnum(p[n])) ++n;
    }
    return message(Msg::kTableQuoted, std::string_view(p, n));
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  n = std::min<size_t>(n, static_cast<size_t>(end - p));
  if (detail::scan_utf8(p, n).valid == n) return message(Msg::kTableQuoted, std::string_view(p, n));
  return message(Msg::kJsonlBytes, hex_bytes(p, n));
}

// Keys are looked up by their text without making a std::string of it.
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class JsonlReader final : public TableReader {
 public:
  JsonlReader(std::string path, const Limits& limits) : path_(std::move(path)), limits_(limits) {}
  ~JsonlReader() override;
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;

  // Opens the file and reads its keys; on failure error_ says why.
  bool open();

  const std::vector<std::string>& header() const override { return header_; }
  bool next(std::vector<std::string_view>& cells) override;
  TablePosition position() const override { return {row_line_, 0, {}}; }
  const std::optional<TableError>& error() const override { return error_; }
  uint64_t bytes_read() const override { return pos_; }
  uint64_t bytes_total() const override { return size_; }

 private:
  enum class Line { kObject, kBlank, kEnd, kError };

  bool load(int fd, const struct stat& st);
  bool spool(int fd);
  bool copy_stream(int from, int to, const std::string& to_name);
  bool no_copy(int err, const std::string& name);
  bool map_file(int fd, size_t size);
  void release_behind();
  void rewind();

  // Reads the line at pos_ and moves past it. kCells: the second pass, which fills `cells` (one
  // per header column, empty on entry) and checks everything; otherwise the first, which learns
  // the keys.
  template <bool kCells>
  Line read_line(std::string_view* cells);
  template <bool kCells>
  bool parse_object(const char* p, std::string_view* cells);
  bool not_an_object(const char* p);
  template <bool kCells>
  int column_of_key(size_t k, const char*& p);
  template <bool kCells>
  bool key_once(int col, const char* key_at);
  template <bool kCells>
  bool parse_value(const char*& p, std::string_view* cell);
  template <bool kCells>
  bool skip_container(const char*& p);
  template <bool kCells>
  bool member_key(const char*& p);
  // kCheck: the second pass, which checks that strings are UTF-8 (the first one does not, except
  // for new keys). Text outside strings is ASCII or a syntax error.
  template <bool kCheck>
  bool scan_string(const char*& p, bool& escaped);
  template <bool kCheck>
  bool scan_string_slow(const char*& p, bool& escaped);
  bool check_utf8(const char* body, size_t size);
  bool scan_number(const char*& p);
  bool decode_string(const char* body, const char* close, char* out, size_t& size);
  const char* find_special(const char* p) const;
  int predicted_key(size_t k, const char*& p) const;

  int64_t byte_column(const char* p) const { return (p - line_begin_) + 1; }
  void fail(int64_t line, int column, const Text& why);
  bool syntax(const char* at, const Text& expected);
  bool bad_at(const char* at, const Text& why);
  bool too_long(const char* at, size_t bytes);
  bool too_many_keys(std::string_view key);
  // `at_least`: the line was cut off there (a stream), its length is not known.
  void line_too_long(uint64_t bytes, bool at_least = false);

  std::string path_;
  const Limits limits_;
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  std::unique_ptr<char[]> owned_;  // the bytes of a regular file that cannot be mapped
  size_t start_ = 0;               // past the BOM
  size_t pos_ = 0;                 // start of the next line
  size_t released_ = 0;            // pages before this offset have been given back
  int64_t line_no_ = 0;            // physical line of the line being read
  int64_t row_line_ = 0;           // line of the row last returned
  const char* line_begin_ = nullptr;
  const char* object_end_ = nullptr;  // where the line's object and the blanks after it end
  // The end of the file. A line is parsed with this as its limit: no token goes on past a line
  // feed (it is neither a blank, nor a character allowed in a string, nor part of any value), so
  // the parser finds where the line ends without a scan of its own.
  const char* end_ = nullptr;
  size_t longest_line_ = 0;
  uint64_t copied_ = 0;  // bytes of a stream copied so far

  std::vector<std::string> header_;
  std::unordered_map<std::string, int, KeyHash, std::equal_to<>> columns_;
  // Per column, the key as the file writes it when it has no escape, followed by its closing
  // quote and zeros up to a multiple of 16 bytes, for predicted_key to compare 16 bytes at a
  // time; empty for a key written with escapes.
  struct Pattern {
    std::string bytes;
    size_t size = 0;  // of the key and its quote
  };
  std::vector<Pattern> patterns_;
  std::vector<int> order_;      // column of the k-th key of the last line: the next line's guess
  std::vector<uint64_t> seen_;  // per column: the row stamp when met, to catch a repeated key
  uint64_t stamp_ = 0;
  int key_column_ = -1;            // column of the key whose value is being read, for errors
  std::string key_buf_;            // a key with escapes, decoded
  std::string nest_;               // closing brackets of the nested value being skipped
  std::unique_ptr<char[]> arena_;  // decoded strings of the current row
  size_t arena_cap_ = 0;
  size_t arena_used_ = 0;
  bool done_ = false;
  std::optional<TableError> error_;
};

JsonlReader::~JsonlReader() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

void JsonlReader::fail(int64_t line, int column, const Text& why) {
  error_ = make_table_error(path_, line, column, header_, why);
  error_->at.column_name = excerpt(error_->at.column_name);  // a key may be a megabyte long
  done_ = true;
}

// "line 3, byte 17 (in the value of "金额"): <what is wrong>"; always false.
bool JsonlReader::bad_at(const char* at, const Text& why) {
  const Text key = key_column_ < 0 ? Text{}
                                   : message(Msg::kJsonlInValueOf,
                                             excerpt(header_[static_cast<size_t>(key_column_)]));
  fail(line_no_, key_column_ + 1, message(Msg::kJsonlAt, line_no_, byte_column(at), key, why));
  return false;
}

// A value longer than cell-bytes, at its first byte; always false.
bool JsonlReader::too_long(const char* at, size_t bytes) {
  return bad_at(at, message(Msg::kJsonlValueTooLong, limits_.cell_bytes, bytes));
}

// A new key past the columns limit: the header would grow with every line of a hostile file,
// and every row with it. Always false.
bool JsonlReader::too_many_keys(std::string_view key) {
  fail(line_no_, 0, message(Msg::kJsonlTooManyKeys, line_no_, excerpt(key), limits_.columns));
  return false;
}

void JsonlReader::line_too_long(uint64_t bytes, bool at_least) {
  fail(line_no_, 0,
       message(Msg::kJsonlLineTooLong, line_no_, limits_.row_bytes,
               at_least ? message(Msg::kJsonlAtLeast) : Text{}, bytes));
}

bool JsonlReader::syntax(const char* at, const Text& expected) {
  return bad_at(at, message(Msg::kJsonlExpected, expected, describe(at, end_)));
}

// The first '"', '\' or control character at or after p; the line feed that ends the line is one,
// so the scan stops at the end of the line at the latest.
const char* JsonlReader::find_special(const char* p) const {
  const char* const end = end_;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i below_space = _mm_set1_epi8(0x1F);
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(_mm_subs_epu8(v, below_space), zero));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  return p;
}

// The length of the valid UTF-8 prefix of a short text. Case files are mostly Chinese: three-byte
// characters whose second byte may be any continuation byte are taken here, the rest (and the
// first problem) by the full check.
inline size_t utf8_prefix(const char* text, size_t size) {
  const auto* s = reinterpret_cast<const unsigned char*>(text);
  size_t i = 0;
  while (i < size) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
    } else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && size - i >= 3 &&
               (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
    } else {
      return i + detail::scan_utf8(text + i, size - i).valid;
    }
  }
  return size;
}

// Checks the text of a string, which may hold any character, for UTF-8.
bool JsonlReader::check_utf8(const char* body, size_t size) {
  const size_t valid = utf8_prefix(body, size);
  if (valid == size) return true;
  // A sequence cut off by the closing quote is as invalid as a wrong byte.
  const char* const at = body + valid;
  return bad_at(at, message(Msg::kJsonlNotUtf8, hex_bytes(at, std::min<size_t>(4, size - valid))));
}

// A string starting at p (*p == '"'); p moves past its closing quote. `escaped`: it holds an
// escape, so its text must be decoded.
template <bool kCheck>
inline bool JsonlReader::scan_string(const char*& p, bool& escaped) {
#if defined(__SSE2__)
  // Most strings in a case file are short and plain: their closing quote is the first special
  // byte of the sixteen after the opening one.
  if (end_ - p > 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i quotes = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    const __m128i others =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                     _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x1F)), _mm_setzero_si128()));
    const unsigned q = static_cast<unsigned>(_mm_movemask_epi8(quotes));
    const unsigned o = static_cast<unsigned>(_mm_movemask_epi8(others));
    if (q != 0 && (o == 0 || __builtin_ctz(q) < __builtin_ctz(o))) {
      const unsigned n = static_cast<unsigned>(__builtin_ctz(q));
      if constexpr (kCheck) {
        const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(v)) & ((1u << n) - 1);
        if (high != 0 && !check_utf8(p + 1, n)) return false;
      }
      escaped = false;
      p += 2 + n;
      return true;
    }
  }
#endif
  return scan_string_slow<kCheck>(p, escaped);
}

template <bool kCheck>
bool JsonlReader::scan_string_slow(const char*& p, bool& escaped) {
  const char* const open = p;
  const char* q = p + 1;
  escaped = false;
  for (;;) {
    q = find_special(q);
    if (q == end_ || *q == '\n' || (*q == '\r' && (end_ - q == 1 || q[1] == '\n'))) {
      return syntax(q, message(Msg::kJsonlClosingQuote, byte_column(open)));
    }
    if (*q == '"') {
      if constexpr (kCheck) {
        if (!check_utf8(open + 1, static_cast<size_t>(q - open - 1))) return false;
      }
      p = q + 1;
      return true;
    }
    if (*q == '\\') {
      escaped = true;
      const char e = q + 1 < end_ ? q[1] : '\0';
      if (e == 'u') {
        for (int i = 2; i < 6; ++i) {
          if (q + i >= end_ || !is_hex(q[i])) {
            return syntax(q + i, message(Msg::kJsonlHexDigits));
          }
        }
        q += 6;
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't') {
        q += 2;
      } else {
        return syntax(q + 1, message(Msg::kJsonlEscape));
      }
      continue;
    }
    return syntax(q, message(Msg::kJsonlControlInString));
  }
}

// Decodes the text of a string that holds escapes, [body, close), into `out`, which has room for
// close - body bytes (no escape is shorter than what it stands for). scan_string has checked the
// escapes; what is left to check is that surrogates come in pairs.
bool JsonlReader::decode_string(const char* body, const char* close, char* out, size_t& size) {
  char* const first = out;
  const char* q = body;
  while (q < close) {
    const auto* bs = static_cast<const char*>(std::memchr(q, '\\', static_cast<size_t>(close - q)));
    if (bs == nullptr) bs = close;
    std::memcpy(out, q, static_cast<size_t>(bs - q));
    out += bs - q;
    if (bs == close) break;
    const char e = bs[1];
    q = bs + 2;
    switch (e) {
      case 'b':
        *out++ = '\b';
        break;
      case 'f':
        *out++ = '\f';
        break;
      case 'n':
        *out++ = '\n';
        break;
      case 'r':
        *out++ = '\r';
        break;
      case 't':
        *out++ = '\t';
        break;
      case 'u': {
        uint32_t c = hex4(bs + 2);
        q = bs + 6;
        if (c >= 0xDC00 && c <= 0xDFFF) {
          return bad_at(bs, message(Msg::kJsonlLoneLowSurrogate, hex4_text(c)));
        }
        if (c >= 0xD800 && c <= 0xDBFF) {
          // A character beyond U+FFFF is written as a pair: \uD83D\uDE00.
          const bool pair = close - q >= 6 && q[0] == '\\' && q[1] == 'u' &&
                            hex4(q + 2) >= 0xDC00 && hex4(q + 2) <= 0xDFFF;
          if (!pair) {
            return bad_at(bs, message(Msg::kJsonlNoLowSurrogate, hex4_text(c)));
          }
          c = 0x10000 + ((c - 0xD800) << 10) + (hex4(q + 2) - 0xDC00);
          q += 6;
        }
        out = put_utf8(out, c);
        break;
      }
      default:  // " \ /
        *out++ = e;
    }
  }
  size = static_cast<size_t>(out - first);
  return true;
}

// A number (RFC 8259 §6) starting at p; p moves past it.
bool JsonlReader::scan_number(const char*& p) {
  const char* const end = end_;
  const char* q = p;
  if (*q == '-') ++q;
  if (q == end || !is_digit(*q)) return syntax(q, message(Msg::kJsonlDigitAfterMinus));
  if (*q == '0') {
    ++q;
    if (q < end && is_digit(*q)) {
      return syntax(q - 1, message(Msg::kJsonlLeadingZero));
    }
  } else {
    while (q < end && is_digit(*q)) ++q;
  }
  if (q < end && *q == '.') {
    ++q;
    if (q == end || !is_digit(*q)) {
      return syntax(q, message(Msg::kJsonlDigitAfterPoint));
    }
    while (q < end && is_digit(*q)) ++q;
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    ++q;
    if (q < end && (*q == '+' || *q == '-')) ++q;
    if (q == end || !is_digit(*q)) return syntax(q, message(Msg::kJsonlDigitInExponent));
    while (q < end && is_digit(*q)) ++q;
  }
  p = q;
  return true;
}

// A value starting at p; p moves past it. In the second pass `cell` receives its text.
template <bool kCells>
bool JsonlReader::parse_value(const char*& p, std::string_view* cell) {
  const char* const end = end_;
  if (p == end) return syntax(p, message(Msg::kJsonlValue));
  const char* const start = p;
  switch (*p) {
    case '"': {
      bool escaped = false;
      if (!scan_string<kCells>(p, escaped)) return false;
      if constexpr (kCells) {
        const char* const body = start + 1;
        const char* const close = p - 1;
        if (!escaped) {
          *cell = std::string_view(body, static_cast<size_t>(close - body));
        } else {
          if (static_cast<size_t>(close - body) > arena_cap_ - arena_used_) {
            // The arena holds the longest line of the first pass; the file changed since.
            return bad_at(start, message(Msg::kJsonlLineGrew));
          }
          char* const out = arena_.get() + arena_used_;
          size_t n = 0;
          if (!decode_string(body, close, out, n)) return false;
          arena_used_ += n;
          *cell = std::string_view(out, n);
        }
      }
      return true;
    }
    case '{':
    case '[':
      if (!skip_container<kCells>(p)) return false;
      if constexpr (kCells) *cell = std::string_view(start, static_cast<size_t>(p - start));
      return true;
    case 't':
      if (end - p >= 4 && std::memcmp(p, "true", 4) == 0) {
        p += 4;
        if constexpr (kCells) *cell = std::string_view(start, 4);
        return true;
      }
      break;
    case 'f':
      if (end - p >= 5 && std::memcmp(p, "false", 5) == 0) {
        p += 5;
        if constexpr (kCells) *cell = std::string_view(start, 5);
        return true;
      }
      break;
    case 'n':
      if (end - p >= 4 && std::memcmp(p, "null", 4) == 0) {
        p += 4;  // an empty cell, as the row starts with
        return true;
      }
      break;
    default:
      if (*p == '-' || is_digit(*p)) {
        if (!scan_number(p)) return false;
        if constexpr (kCells) *cell = std::string_view(start, static_cast<size_t>(p - start));
        return true;
      }
  }
  return syntax(p, message(Msg::kJsonlValue));
}

// In a nested object: a key, its colon and the blanks around them; p moves to the value.
template <bool kCells>
bool JsonlReader::member_key(const char*& p) {
  const char* const end = end_;
  if (p == end || *p != '"') return syntax(p, message(Msg::kJsonlKey));
  bool escaped = false;
  if (!scan_string<kCells>(p, escaped)) return false;
  p = skip_ws(p, end);
  if (p == end || *p != ':') return syntax(p, message(Msg::kJsonlColonAfterKey));
  p = skip_ws(p + 1, end);
  return true;
}

// A nested object or array starting at p, checked and skipped without recursion (a line of
// a million '[' must not overflow the stack); p moves past it.
template <bool kCells>
bool JsonlReader::skip_container(const char*& p) {
  const char* const end = end_;
  nest_.clear();
  const char* q = p;
  for (;;) {
    // q is at the start of a value.
    bool closed = false;
    if (q < end && (*q == '{' || *q == '[')) {
      const char open = *q;
      nest_.push_back(open == '{' ? '}' : ']');
      q = skip_ws(q + 1, end);
      if (q < end && *q == nest_.back()) {
        ++q;
        nest_.pop_back();
        closed = true;
      } else {
        if (open == '{' && !member_key<kCells>(q)) return false;
        continue;
      }
    }
    // A scalar: not a cell of its own, but the second pass still checks a string's UTF-8.
    if (!closed) {
      bool escaped = false;
      if (q < end && *q == '"' ? !scan_string<kCells>(q, escaped)
                               : !parse_value<false>(q, nullptr)) {
        return false;
      }
    }
    // After a value: close what ends here, or go on to the next member or element.
    for (;;) {
      if (nest_.empty()) {
        p = q;
        return true;
      }
      q = skip_ws(q, end);
      if (q < end && *q == ',') {
        q = skip_ws(q + 1, end);
        if (nest_.back() == '}' && !member_key<kCells>(q)) return false;
        break;
      }
      if (q < end && *q == nest_.back()) {
        ++q;
        nest_.pop_back();
        continue;
      }
      const bool object = nest_.back() == '}';
      return syntax(q, message(Msg::kJsonlCommaOrClose, object ? "}" : "]",
                               message(object ? Msg::kJsonlAnObject : Msg::kJsonlAnArray)));
    }
  }
}

// The k-th key of a line is most often the k-th key of the line before: compared in place, with
// no scan and no lookup. Returns its column and moves p past it, or -1.
inline int JsonlReader::predicted_key(size_t k, const char*& p) const {
  if (k >= order_.size()) return -1;
  const int col = order_[k];
  if (col < 0) return -1;
  const Pattern& pattern = patterns_[static_cast<size_t>(col)];
  // The key and its closing quote, right after the opening quote at p; near the end of the file
  // (or for a key with escapes) the scan and the lookup take over.
  const char* const a = p + 1;
  const size_t n = pattern.size;
  if (n == 0 || static_cast<size_t>(end_ - a) < pattern.bytes.size()) return -1;
#if defined(__SSE2__)
  for (size_t i = 0; i < n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pattern.bytes.data() + i));
    unsigned differ = ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, y))) & 0xFFFFu;
    if (n - i < 16) differ &= (1u << (n - i)) - 1;
    if (differ != 0) return -1;
  }
#else
  if (std::memcmp(a, pattern.bytes.data(), n) != 0) return -1;
#endif
  p = a + n;
  return col;
}

// A line that is not a JSON object: what it is instead, if it is one of the other values.
bool JsonlReader::not_an_object(const char* p) {
  const char c = *p;
  const Text object = message(Msg::kJsonlObjectPerLine, "{", "}");
  if (c != '[' && c != '"' && c != '-' && !is_digit(c)) return syntax(p, object);
  const Msg what = c == '['   ? Msg::kJsonlAnArray
                   : c == '"' ? Msg::kJsonlAString
                              : Msg::kJsonlANumber;
  return bad_at(p, message(Msg::kJsonlLineIs, object, message(what)));  // key_column_ is -1 here
}

// The column of the `k`th key of the object, which starts at `p` (moved past it): the column
// the same place held on the lines before, else found by name, else (first pass) a new
// column. -1 when the key cannot be read (said).
template <bool kCells>
int JsonlReader::column_of_key(size_t k, const char*& p) {
  const char* const key_at = p;
  int col = predicted_key(k, p);
  if (col >= 0) return col;
  bool escaped = false;
  if (!scan_string<kCells>(p, escaped)) return -1;
  std::string_view key(key_at + 1, static_cast<size_t>(p - 1 - (key_at + 1)));
  if (escaped) {
    key_buf_.resize(key.size());
    size_t n = 0;
    if (!decode_string(key.data(), key.data() + key.size(), key_buf_.data(), n)) {
      return -1;
    }
    key_buf_.resize(n);
    key = key_buf_;
  }
  if (key.size() > limits_.cell_bytes) {
    too_long(key_at, key.size());
    return -1;
  }
  const auto it = columns_.find(key);
  if (it != columns_.end()) {
    col = it->second;
  } else if (header_.size() >= limits_.columns) {
    // The first pass stopped here: the second one says why when it reaches the line.
    too_many_keys(key);
    return -1;
  } else if constexpr (kCells) {
    // Every key was met in the first pass; the file changed between the passes.
    fail(line_no_, 0, message(Msg::kJsonlKeyNotSeen, line_no_, excerpt(key)));
    return -1;
  } else {
    // The first pass checks only the keys it keeps; escapes decode to valid UTF-8, so
    // the text as written tells.
    if (!check_utf8(key_at + 1, static_cast<size_t>(p - 1 - (key_at + 1)))) return -1;
    if (header_.size() >= limits_.columns) {
      too_many_keys(key);
      return -1;
    }
    col = static_cast<int>(header_.size());
    header_.emplace_back(key);
    columns_.emplace(header_.back(), col);
    Pattern pattern;
    if (!escaped) {
      pattern.bytes.assign(key);
      pattern.bytes += '"';
      pattern.size = pattern.bytes.size();
      pattern.bytes.resize((pattern.size + 15) / 16 * 16, '\0');
    }
    patterns_.push_back(std::move(pattern));
    seen_.push_back(0);
  }
  if (order_.size() <= k) order_.resize(k + 1, -1);
  order_[k] = col;
  return col;
}

// In the second pass, a key met twice in one object is an error (the first pass reads keys
// only). False, said, if so.
template <bool kCells>
bool JsonlReader::key_once(int col, const char* key_at) {
  if constexpr (kCells) {
    if (seen_[static_cast<size_t>(col)] == stamp_) {
      const std::string name = excerpt(header_[static_cast<size_t>(col)]);
      fail(line_no_, col + 1, message(Msg::kJsonlKeyTwice, line_no_, byte_column(key_at), name));
      return false;
    }
    seen_[static_cast<size_t>(col)] = stamp_;
  }
  return true;
}

template <bool kCells>
bool JsonlReader::parse_object(const char* p, std::string_view* cells) {
  const char* const end = end_;
  key_column_ = -1;
  if (*p != '{') return not_an_object(p);
  ++stamp_;
  p = skip_ws(p + 1, end);
  if (p < end && *p == '}') {
    ++p;
  } else {
    for (size_t k = 0;; ++k) {
      key_column_ = -1;
      if (p == end || *p != '"') {
        return syntax(p, k == 0 ? message(Msg::kJsonlKeyOrClose, "}") : message(Msg::kJsonlKey));
      }
      const char* const key_at = p;
      const int col = column_of_key<kCells>(k, p);
      if (col < 0) return false;
      key_column_ = col;
      if (!key_once<kCells>(col, key_at)) return false;
      p = skip_ws_short(p, end);
      if (p == end || *p != ':') {
        key_column_ = -1;
        return syntax(p, message(Msg::kJsonlColonAfterNamedKey, header_[static_cast<size_t>(col)]));
      }
      p = skip_ws_short(p + 1, end);
      const char* const value_at = p;
      if (!parse_value<kCells>(p, kCells ? cells + col : nullptr)) return false;
      if (static_cast<size_t>(p - value_at) > limits_.cell_bytes) {
        return too_long(value_at, static_cast<size_t>(p - value_at));
      }
      p = skip_ws_short(p, end);
      if (p < end && *p == ',') {
        p = skip_ws_short(p + 1, end);
        continue;
      }
      if (p < end && *p == '}') {
        ++p;
        break;
      }
      return syntax(p, message(Msg::kJsonlCommaOrCloseAfterValue, "}"));
    }
  }
  key_column_ = -1;
  p = skip_ws(p, end);
  if (p != end && *p != '\n') {
    return syntax(p, message(Msg::kJsonlEndAfterObject));
  }
  object_end_ = p;
  return true;
}

void JsonlReader::release_behind() {
  if (!mapped_ || pos_ - released_ < kReleaseStep) return;
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t upto = pos_ / page * page;
  // Reading faults the pages in again from the page cache, should anything look back.
  ::madvise(const_cast<char*>(data_) + released_, upto - released_, MADV_DONTNEED);
  released_ = upto;
}

template <bool kCells>
JsonlReader::Line JsonlReader::read_line(std::string_view* cells) {
  if (pos_ >= size_) return Line::kEnd;
  release_behind();
  const char* const b = data_ + pos_;
  ++line_no_;
  line_begin_ = b;
  key_column_ = -1;
  const char* const p = skip_ws(b, end_);
  if (p == end_ || *p == '\n') {  // a blank line
    pos_ = static_cast<size_t>(p - data_) + (p == end_ ? 0 : 1);
    return Line::kBlank;
  }
  if constexpr (kCells) arena_used_ = 0;
  if (!parse_object<kCells>(p, cells)) return Line::kError;
  const size_t len = static_cast<size_t>(object_end_ - b);
  if (len > limits_.row_bytes) {
    line_too_long(len);
    return Line::kError;
  }
  longest_line_ = std::max(longest_line_, len);
  pos_ = static_cast<size_t>(object_end_ - data_) + (object_end_ == end_ ? 0 : 1);
  return Line::kObject;
}

bool JsonlReader::next(std::vector<std::string_view>& cells) {
  if (done_) return false;
  try {
    for (;;) {
      cells.assign(header_.size(), std::string_view());
      switch (read_line<true>(cells.data())) {
        case Line::kObject:
          row_line_ = line_no_;
          return true;
        case Line::kBlank:
          continue;
        case Line::kEnd:
        case Line::kError:
          done_ = true;
          return false;
      }
    }
  } catch (const std::bad_alloc&) {
    fail(line_no_, 0, message(Msg::kTableRowOutOfMemory));
    return false;
  }
}

bool JsonlReader::map_file(int fd, size_t size) {
  size_ = size;
  if (size_ == 0) return true;
  void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) return false;
  data_ = static_cast<const char*>(m);
  mapped_ = true;
  ::madvise(m, size_, MADV_SEQUENTIAL);
  return true;
}

// A stream (a pipe, /dev/stdin, a device) cannot be read twice, and held in memory it would
// take as much as it is long: it is copied to a temporary file in $TMPDIR, unlinked at once,
// and mapped. A stretch of more than row-bytes without a line feed (/dev/zero) ends the copy:
// no line of it could be read.
bool JsonlReader::spool(int fd) {
  // $TMPDIR as given, else /tmp. Not std::filesystem::temp_directory_path: for a TMPDIR that
  // is not a folder it gives an empty path, and the copy would land in the working directory
  // instead of the message naming the folder that could not hold it.
  const char* dir = std::getenv("TMPDIR");
  std::string name =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/epil-jsonl-XXXXXX";
  const int tmp = ::mkstemp(name.data());
  if (tmp < 0) return no_copy(errno, name);
  ::unlink(name.c_str());  // gone when closed, whatever happens
  const bool copied = copy_stream(fd, tmp, name);
  const bool mapped = copied && map_file(tmp, static_cast<size_t>(copied_));
  ::close(tmp);
  if (copied && !mapped) {
    fail(0, 0, message(Msg::kJsonlCannotMapCopy));
  }
  return mapped;
}

// The temporary copy of a stream could not be made or written (no such folder, a full disk).
bool JsonlReader::no_copy(int err, const std::string& name) {
  fail(0, 0, message(Msg::kJsonlCannotCopyStream, std::strerror(err), name));
  return false;
}

bool JsonlReader::copy_stream(int from, int to, const std::string& to_name) {
  std::unique_ptr<char[]> buf(new char[kCopyStep]);
  uint64_t since_line_feed = 0;
  int64_t line_feeds = 0;
  copied_ = 0;
  for (;;) {
    const ssize_t r = ::read(from, buf.get(), kCopyStep);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      fail(0, 0, message(Msg::kTableReadFailed, std::strerror(errno)));
      return false;
    }
    if (r == 0) return true;
    const size_t n = static_cast<size_t>(r);
    const char* last = static_cast<const char*>(::memrchr(buf.get(), '\n', n));
    line_feeds += std::count(buf.get(), buf.get() + n, '\n');
    since_line_feed = last ? static_cast<uint64_t>(buf.get() + n - last - 1) : since_line_feed + n;
    if (since_line_feed > limits_.row_bytes) {
      line_no_ = line_feeds + 1;
      line_too_long(since_line_feed, /*at_least=*/true);
      return false;
    }
    for (size_t done = 0; done < n;) {
      const ssize_t w = ::write(to, buf.get() + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return no_copy(errno, to_name);
      done += static_cast<size_t>(w);
    }
    copied_ += n;
  }
}

// The file's bytes: mapped if it is a regular file; a stream is copied to a temporary file first.
bool JsonlReader::load(int fd, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return spool(fd);
  if (map_file(fd, static_cast<size_t>(st.st_size))) return true;
  // A regular file that cannot be mapped (some network file systems): read whole.
  size_t cap = size_t{1} << 20;
  size_t n = 0;
  std::unique_ptr<char[]> buf(new char[cap]);
  for (;;) {
    if (n == cap) {
      std::unique_ptr<char[]> bigger(new char[cap * 2]);
      std::memcpy(bigger.get(), buf.get(), n);
      buf = std::move(bigger);
      cap *= 2;
    }
    const ssize_t r = ::read(fd, buf.get() + n, cap - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      fail(0, 0, message(Msg::kTableReadFailed, std::strerror(errno)));
      return false;
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  owned_ = std::move(buf);
  data_ = owned_.get();
  size_ = n;
  return true;
}

void JsonlReader::rewind() {
  if (mapped_) {
    // Give back what the first pass read; the second reads it again from the page cache.
    ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
  }
  released_ = 0;
  pos_ = start_;
  line_no_ = 0;
  order_.clear();
}

bool JsonlReader::open() {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(0, 0, cannot_open_table("JSON Lines", errno));
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) st.st_mode = 0;
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail(0, 0, message(Msg::kTableIsDirectory, "JSON Lines"));
    return false;
  }
  const bool loaded = load(fd, st);
  ::close(fd);  // a mapping outlives its descriptor
  if (!loaded) return false;

  // The BOM some Windows programs put first marks UTF-8; it is not part of the first line.
  if (size_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) start_ = 3;
  end_ = data_ + size_;
  pos_ = start_;

  // First pass: the keys, up to the first line that cannot be read (the second pass stops there
  // with the error, so later keys would name no row).
  int64_t objects = 0;
  for (;;) {
    const Line r = read_line<false>(nullptr);
    if (r == Line::kObject) {
      ++objects;
    } else if (r != Line::kBlank) {
      break;
    }
  }
  if (error_) {
    if (objects == 0) return false;  // the first line is bad: nothing to read
    error_.reset();                  // the second pass reports it after the rows before it
    done_ = false;
  } else if (objects == 0) {
    fail(0, 0, message(Msg::kJsonlNoObject));
    return false;
  }
  arena_cap_ = longest_line_;
  arena_.reset(new char[std::max<size_t>(arena_cap_, 1)]);
  rewind();
  return true;
}

}  // namespace

std::unique_ptr<TableReader> open_jsonl(const std::string& path, std::optional<TableError>& error,
                                        const Limits& limits) {
  error.reset();
  try {
    auto reader = std::make_unique<JsonlReader>(path, limits);
    if (!reader->open()) {
      error = reader->error();
      return nullptr;
    }
    return reader;
  } catch (const std::bad_alloc&) {
    error = make_table_error(path, 0, 0, {}, message(Msg::kTableOpenOutOfMemory));
    return nullptr;
  }
}

}  // namespace epil::io
