#include "core/yaml_util.h"

#include <fmt/format.h>

#include <charconv>

namespace epil::detail {

std::optional<yaml::Node> YamlReader::parse(std::string_view text) {
  auto r = yaml::parse(text);
  if (auto* e = std::get_if<yaml::ParseError>(&r)) {
    findings_.error("yaml-syntax", file_, e->mark.line + 1, e->mark.column + 1,
                    fmt::format("YAML syntax: {}", e->message),
                    fmt::format("YAML 语法错误：{}", e->message));
    return std::nullopt;
  }
  return std::get<yaml::Node>(r);
}

void YamlReader::error(const yaml::Node& at, const char* code, std::string en, std::string zh) {
  findings_.error(code, file_, line(at), column(at), std::move(en), std::move(zh));
}

void YamlReader::warning(const yaml::Node& at, const char* code, std::string en,
                         std::string zh) {
  findings_.warning(code, file_, line(at), column(at), std::move(en), std::move(zh));
}

bool YamlReader::is_map(const yaml::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(n, "schema", fmt::format("{} must be a mapping of keys to values", what),
        fmt::format("{} 应为键值映射", what));
  return false;
}

void YamlReader::allowed_keys(const yaml::Node& map, std::string_view what,
                              std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : map.entries()) {
    std::string k = kv.first.Scalar();
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
      warning(kv.first, "unknown-key",
              fmt::format("{}: unknown key '{}' is ignored (known: {})", what, k, list),
              fmt::format("{}：未知的键 '{}' 将被忽略（可用：{}）", what, k, list));
    }
  }
}

std::optional<std::string> YamlReader::scalar(const yaml::Node& n, std::string_view what) {
  if (n.IsScalar()) return n.Scalar();
  error(n, "schema", fmt::format("{} must be a single value", what),
        fmt::format("{} 应为单个值", what));
  return std::nullopt;
}

std::string YamlReader::optional_scalar(const yaml::Node& map, const char* key,
                                        std::string_view what) {
  yaml::Node n = map[key];
  if (!n) return "";
  return scalar(n, what).value_or("");
}

std::optional<std::string> YamlReader::required_scalar(const yaml::Node& map, const char* key,
                                                       std::string_view what) {
  yaml::Node n = map[key];
  if (!n || n.IsNull()) {
    error(map, "missing-key", fmt::format("{}: '{}' is required", what, key),
          fmt::format("{}：缺少必填项 '{}'", what, key));
    return std::nullopt;
  }
  return scalar(n, fmt::format("{}.{}", what, key));
}

std::optional<Date> YamlReader::date(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  auto d = Date::parse_iso(*s);
  if (!d) {
    error(n, "bad-date", fmt::format("{}: expected a date YYYY-MM-DD, found '{}'", what, *s),
          fmt::format("{}：应为日期 YYYY-MM-DD，实际为 '{}'", what, *s));
  }
  return d;
}

std::optional<double> YamlReader::number(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size()) {
    error(n, "bad-number", fmt::format("{}: expected a number, found '{}'", what, *s),
          fmt::format("{}：应为数值，实际为 '{}'", what, *s));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::boolean(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  if (*s == "true") return true;
  if (*s == "false") return false;
  error(n, "bad-bool", fmt::format("{}: expected true or false, found '{}'", what, *s),
        fmt::format("{}：应为 true 或 false，实际为 '{}'", what, *s));
  return std::nullopt;
}

Text YamlReader::text(const yaml::Node& n, std::string_view what) {
  Text t;
  if (!n) return t;
  if (n.IsScalar()) {
    t.zh = n.Scalar();
    return t;
  }
  if (!is_map(n, what)) return t;
  allowed_keys(n, what, {"zh", "en"});
  t.zh = optional_scalar(n, "zh", what);
  t.en = optional_scalar(n, "en", what);
  return t;
}

std::vector<std::string> YamlReader::string_list(const yaml::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) {
    error(n, "schema", fmt::format("{} must be a list", what),
          fmt::format("{} 应为列表", what));
    return out;
  }
  for (const auto& item : n.items()) {
    if (auto s = scalar(item, what)) out.push_back(*s);
  }
  return out;
}

ExprText YamlReader::expr(const yaml::Node& n, std::string_view what) {
  ExprText e;
  if (!n) return e;
  auto s = scalar(n, what);
  if (!s) return e;
  e.text = *s;
  e.at.file = file_;
  e.at.line = line(n);
  e.at.column = column(n);
  // A quoted scalar's text starts one column after its opening quote.
  if (n.quoted()) e.at.column += 1;
  return e;
}

}  // namespace epil::detail
