// The JSON Lines writer behind make_jsonl_writer (io/batch.h): one compact object per row, the
// input columns under their header text and the appended columns under stable English keys. Cells
// are text in a table; here they get back the JSON type they most plausibly had, so that a
// JSON Lines file read and written again keeps its numbers and booleans.
#include <fmt/format.h>

#include <charconv>
#include <system_error>
#include <unordered_set>

#include "io/batch.h"
#include "io/json.h"

namespace epil::io {

namespace {

// The sink receives chunks of about this size.
constexpr size_t kChunk = size_t{64} << 10;

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True if `s` is a JSON number (RFC 8259 §6) that every reader takes for the same value. §6 warns
// that numbers beyond IEEE 754 double precision are not interoperable: JavaScript and jq read the
// ID number 110101199003077777 as 110101199003077780. A number literal with more than 15
// significant digits, or too large or too small for a double, stays a string, so that no reader
// of the output loses a digit of it.
bool is_portable_number(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  if (i < n && s[i] == '-') ++i;
  if (i == n || !is_digit(s[i])) return false;
  size_t significant = 0;
  bool leading = true;  // still in the zeros before the first significant digit
  auto digits = [&] {
    const size_t from = i;
    for (; i < n && is_digit(s[i]); ++i) {
      if (leading && s[i] == '0') continue;
      leading = false;
      ++significant;
    }
    return i > from;
  };
  if (s[i] == '0') {
    ++i;
  } else {
    digits();
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  bool exponent = false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t from = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == from) return false;
  }
  if (i != n || significant > 15) return false;
  // Without an exponent a short literal is well within a double's range; otherwise ask.
  if (!exponent && n < 300) return true;
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + n, v);
  return r.ec == std::errc() && r.ptr == s.data() + n;
}

class JsonlWriter final : public TableWriter {
 public:
  JsonlWriter(std::function<bool(std::string_view)> sink, std::vector<std::string> added_keys)
      : sink_(std::move(sink)), added_keys_(std::move(added_keys)) {}

  // JSON Lines has no header line: the names become every object's keys.
  bool header(const std::vector<std::string>& cells) override {
    const size_t n_added = std::min(added_keys_.size(), cells.size());
    const size_t n_input = cells.size() - n_added;
    names_.clear();
    taken_.clear();
    input_keys_.clear();
    added_.clear();
    // Names as written come first; a later duplicate gets a number that no column uses.
    for (size_t i = 0; i < n_input; ++i) names_.insert(json_quote(cells[i]));
    for (size_t k = 0; k < n_added; ++k) names_.insert(json_quote(added_keys_[k]));
    for (size_t i = 0; i < n_input; ++i) input_keys_.push_back(unique_key(cells[i]));
    for (size_t k = 0; k < added_keys_.size(); ++k) {
      added_.push_back({unique_key(added_keys_[k]), added_keys_[k] == "margin"});
    }
    return true;
  }

  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view) override {
    encode_row(cells, added_from, buf_);
    if (buf_.size() < kChunk) return true;
    return flush();
  }

  bool finish(const BatchSummary&) override { return flush(); }

  bool encodes() const override { return true; }

  void encode_added(size_t k, std::string_view text, std::string& out) const override {
    out.push_back(',');
    if (k >= added_.size()) {
      extra_key(input_keys_.size() + k, out);
      added_value(text, false, out);
      return;
    }
    out.append(added_[k].key);
    added_value(text, added_[k].margin, out);
  }

  void encode_input(const std::vector<std::string_view>& cells, std::string& out) const override {
    out.push_back('{');
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out.push_back(',');
      if (i < input_keys_.size()) {
        out.append(input_keys_[i]);
      } else {
        extra_key(i, out);
      }
      input_value(cells[i], out);
    }
  }

  void encode_end(std::string& out) const override { out.append("}\n"); }

  bool write_encoded(std::string_view bytes) override {
    if (buf_.empty() && bytes.size() >= kChunk) return ok_ = sink_(bytes) && ok_;
    buf_.append(bytes);
    if (buf_.size() < kChunk) return ok_;
    return flush();
  }

 private:
  struct Added {
    std::string key;  // quoted, with the colon
    bool margin;      // the margin column: a number where it is one
  };

  // `name` quoted with its colon, made unique among the names taken so far: "金额", "金额 (2)" ….
  std::string unique_key(std::string_view name) {
    std::string quoted = json_quote(name);
    if (taken_.count(quoted) != 0) {
      for (int n = 2;; ++n) {
        std::string candidate = json_quote(fmt::format("{} ({})", name, n));
        if (taken_.count(candidate) == 0 && names_.count(candidate) == 0) {
          quoted = std::move(candidate);
          break;
        }
      }
    }
    taken_.insert(quoted);
    return quoted + ':';
  }

  // A cell beyond the header (a ragged row): "#13", numbered as batch errors number columns,
  // unless a column already has that name.
  void extra_key(size_t i, std::string& out) const {
    const std::string base = fmt::format("#{}", i + 1);
    std::string quoted = json_quote(base);
    for (int n = 2; taken_.count(quoted) != 0; ++n) {
      quoted = json_quote(fmt::format("{} ({})", base, n));
    }
    out.append(quoted);
    out.push_back(':');
  }

  // An input cell as the JSON value it most plausibly was: empty → null, true/false, numbers.
  static void input_value(std::string_view v, std::string& out) {
    if (v.empty()) {
      out.append("null");
    } else if (v == "true" || v == "false" || is_portable_number(v)) {
      out.append(v);
    } else {
      append_json_quoted(out, v);
    }
  }

  // An appended cell: text, except the margin, which is a number when there is one.
  static void added_value(std::string_view v, bool margin, std::string& out) {
    if (v.empty()) {
      out.append("null");
    } else if (margin && is_portable_number(v)) {
      out.append(v);
    } else {
      append_json_quoted(out, v);
    }
  }

  bool flush() {
    if (!buf_.empty()) {
      if (!sink_(buf_)) ok_ = false;
      buf_.clear();
    }
    return ok_;
  }

  std::function<bool(std::string_view)> sink_;
  std::vector<std::string> added_keys_;
  std::unordered_set<std::string> names_;  // every name as written, quoted
  std::unordered_set<std::string> taken_;  // the keys given out, quoted
  std::vector<std::string> input_keys_;    // quoted, with the colon
  std::vector<Added> added_;
  std::string buf_;
  bool ok_ = true;
};

}  // namespace

std::unique_ptr<TableWriter> make_jsonl_writer(std::function<bool(std::string_view)> sink,
                                               std::vector<std::string> added_keys) {
  return std::make_unique<JsonlWriter>(std::move(sink), std::move(added_keys));
}

}  // namespace epil::io
