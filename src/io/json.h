// Writing JSON: string quoting and a small streaming writer for epil's machine-readable output.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace epil::io {

/// `text` as a JSON string literal (RFC 8259), quotes included. '"' and '\' are escaped,
/// control characters become \n \t \r \b \f or \u00XX, and all other UTF-8 — Chinese
/// included — is copied unchanged so the output stays readable. Bytes that are not valid
/// UTF-8 are replaced by U+FFFD, because a JSON text must be valid UTF-8.
///
///   json_quote("罚金\n\"5万\"") == "\"罚金\\n\\\"5万\\\"\""
std::string json_quote(std::string_view text);

/// `json_quote(text)` appended to `out`, without a temporary string.
void append_json_quoted(std::string& out, std::string_view text);

/// Integer types written as JSON numbers: `std::integral` without bool and the character
/// types, so that `value('x')` fails to compile instead of quietly writing 120.
template <typename T>
concept JsonInteger = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
                      !std::same_as<T, wchar_t> && !std::same_as<T, char8_t> &&
                      !std::same_as<T, char16_t> && !std::same_as<T, char32_t>;

/// Appends one JSON value to a string, call by call; commas, colons and (in pretty style)
/// newlines with two-space indentation are inserted by the writer.
///
///   std::string out;
///   JsonWriter w(out);
///   w.begin_object().key("罪名").value("污染环境罪").key("金额").value(2800.0);
///   w.key("标记").begin_array().value(true).value(nullptr).end_array().end_object();
///   // out == R"({"罪名":"污染环境罪","金额":2800,"标记":[true,null]})"
///
/// Numbers: integral doubles within ±2^53 are written without a decimal point ("2800"),
/// other doubles in their shortest round-trip form ("0.1", "1e+300"), NaN and infinities as
/// null (JSON has no spelling for them).
///
/// Misuse — a value in an object without a key, a key outside an object, a mismatched end,
/// a second top-level value — throws nothing: that call and every later one are ignored, so
/// what was written stays a well-formed prefix, and `ok()` turns false for the caller (or a
/// test) to check.
class JsonWriter {
 public:
  enum class Style { kCompact, kPretty };

  /// Appends to `out`, which must outlive the writer.
  explicit JsonWriter(std::string& out, Style style = Style::kCompact);

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The name of the next member; must be followed by one value or container.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  /// A C string; a null pointer is written as null.
  JsonWriter& value(const char* text);
  JsonWriter& value(bool b);
  JsonWriter& value(double v);
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(std::nullptr_t);
  /// Any other integer type (int, unsigned, size_t …).
  template <JsonInteger T>
  JsonWriter& value(T v) {
    if constexpr (std::is_signed_v<T>) {
      return value(static_cast<std::int64_t>(v));
    } else {
      return value(static_cast<std::uint64_t>(v));
    }
  }

  /// False once a call was out of place; from then on the writer writes nothing.
  bool ok() const { return ok_; }
  /// True when exactly one top-level value has been written, every container is closed and
  /// no call was out of place: `out` then holds a complete JSON text.
  bool complete() const { return ok_ && done_ && stack_.empty(); }

 private:
  struct Frame {
    bool object;
    bool empty;
  };

  // Writes what must precede a value at this point (comma, newline, indent) and records that
  // a value follows; false, with ok_ cleared, when no value may come here.
  bool begin_value();
  JsonWriter& open(bool object, char bracket);
  JsonWriter& close(bool object, char bracket);
  void newline_indent(std::size_t depth);

  std::string& out_;
  Style style_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
  bool done_ = false;
  bool ok_ = true;
};

}  // namespace epil::io
