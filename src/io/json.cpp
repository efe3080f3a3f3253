#include "io/json.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "io/normalize.h"

namespace epil::io {

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x80) {
      const Utf8Char ch = decode_utf8(text, i);
      if (ch.valid) {
        out.append(text, i, ch.length);
      } else {
        out.append("\uFFFD");
      }
      i += ch.length;
      continue;
    }
    switch (b) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (b < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[b >> 4]);
          out.push_back(kHex[b & 0xF]);
        } else {
          out.push_back(static_cast<char>(b));
        }
    }
    ++i;
  }
  out.push_back('"');
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

JsonWriter::JsonWriter(std::string& out, Style style) : out_(out), style_(style) {}

void JsonWriter::newline_indent(std::size_t depth) {
  out_.push_back('\n');
  out_.append(2 * depth, ' ');
}

bool JsonWriter::begin_value() {
  if (!ok_) return false;
  if (stack_.empty()) {
    if (done_) ok_ = false;  // a JSON text holds a single value
    done_ = true;
    return ok_;
  }
  Frame& top = stack_.back();
  if (top.object) {
    if (!after_key_) {
      ok_ = false;
      return false;
    }
    after_key_ = false;
    return true;
  }
  if (!top.empty) out_.push_back(',');
  top.empty = false;
  if (style_ == Style::kPretty) newline_indent(stack_.size());
  return true;
}

JsonWriter& JsonWriter::open(bool object, char bracket) {
  if (!begin_value()) return *this;
  out_.push_back(bracket);
  stack_.push_back(Frame{object, true});
  return *this;
}

JsonWriter& JsonWriter::close(bool object, char bracket) {
  if (!ok_ || stack_.empty() || stack_.back().object != object || after_key_) {
    ok_ = false;
    return *this;
  }
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (style_ == Style::kPretty && !empty) newline_indent(stack_.size());
  out_.push_back(bracket);
  return *this;
}

JsonWriter& JsonWriter::begin_object() { return open(true, '{'); }
JsonWriter& JsonWriter::end_object() { return close(true, '}'); }
JsonWriter& JsonWriter::begin_array() { return open(false, '['); }
JsonWriter& JsonWriter::end_array() { return close(false, ']'); }

JsonWriter& JsonWriter::key(std::string_view name) {
  if (!ok_ || stack_.empty() || !stack_.back().object || after_key_) {
    ok_ = false;
    return *this;
  }
  Frame& top = stack_.back();
  if (!top.empty) out_.push_back(',');
  top.empty = false;
  if (style_ == Style::kPretty) newline_indent(stack_.size());
  append_json_quoted(out_, name);
  out_.append(style_ == Style::kPretty ? ": " : ":");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  if (begin_value()) append_json_quoted(out_, text);
  return *this;
}

JsonWriter& JsonWriter::value(const char* text) {
  return text == nullptr ? value(nullptr) : value(std::string_view(text));
}

JsonWriter& JsonWriter::value(bool b) {
  if (begin_value()) out_.append(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::value(double v) {
  if (!begin_value()) return *this;
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (!std::isfinite(v)) {
    out_.append("null");
  } else if (std::trunc(v) == v && std::fabs(v) <= kExactIntegers) {
    // Whole amounts are the common case (2800 元); print them as integers, not "2800.0".
    fmt::format_to(std::back_inserter(out_), "{}", static_cast<std::int64_t>(v));
  } else {
    fmt::format_to(std::back_inserter(out_), "{}", v);
  }
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  if (begin_value()) fmt::format_to(std::back_inserter(out_), "{}", v);
  return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v) {
  if (begin_value()) fmt::format_to(std::back_inserter(out_), "{}", v);
  return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) {
  if (begin_value()) out_.append("null");
  return *this;
}

}  // namespace epil::io
