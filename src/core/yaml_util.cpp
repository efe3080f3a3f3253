#include "core/yaml_util.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace epil::detail {

std::optional<yaml::Node> YamlReader::parse(std::string_view text) {
  text_ = std::string(text);
  auto r = yaml::parse(text, limits_);
  if (auto* e = std::get_if<yaml::ParseError>(&r)) {
    const Text syntax = message(Msg::kYamlSyntax);
    yaml::add_finding(findings_, file_, *e, message_entry(Msg::kYamlSyntax).code, syntax.en,
                      syntax.zh);
    return std::nullopt;
  }
  return std::get<yaml::Node>(r);
}

bool YamlReader::is_map(const yaml::Node& n, std::string_view what) {
  if (n.IsMap()) return true;
  error(n, Msg::kNotMapping, what);
  return false;
}

std::optional<yaml::Node> YamlReader::parse_map(std::string_view text, std::string_view what,
                                                std::initializer_list<std::string_view> allowed) {
  auto root = parse(text);
  if (!root || !is_map(*root, what)) return std::nullopt;
  allowed_keys(*root, what, allowed);
  return root;
}

void YamlReader::allowed_keys(const yaml::Node& map, std::string_view what,
                              std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : map.entries()) {
    std::string k = kv.first.Scalar();
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k;
    if (!ok) {
      std::string list;
      NearestName near(k);
      for (auto a : allowed) {
        list += fmt::format("{}{}", list.empty() ? "" : ", ", a);
        near.offer(a);
      }
      if (near.name().empty()) {
        warning(kv.first, Msg::kUnknownKeyIgnored, what, k, list);
      } else {
        warning(kv.first, Msg::kUnknownKeyIgnoredDidYouMean, what, k, list, near.name());
      }
    }
  }
}

std::optional<std::string> YamlReader::scalar(const yaml::Node& n, std::string_view what) {
  if (n.IsScalar()) return n.Scalar();
  error(n, Msg::kNotSingleValue, what);
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
    error(map, Msg::kMissingKey, what, key);
    return std::nullopt;
  }
  return scalar(n, fmt::format("{}.{}", what, key));
}

std::optional<Date> YamlReader::date(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  auto d = Date::parse_iso(*s);
  if (!d) {
    error(n, Msg::kBadDate, what, *s);
  }
  return d;
}

std::optional<double> YamlReader::number(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size() || !std::isfinite(v)) {
    error(n, Msg::kBadNumber, what, *s);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::boolean(const yaml::Node& n, std::string_view what) {
  auto s = scalar(n, what);
  if (!s) return std::nullopt;
  if (*s == "true") return true;
  if (*s == "false") return false;
  error(n, Msg::kBadBool, what, *s);
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
    error(n, Msg::kNotList, what);
    return out;
  }
  for (const auto& item : n.items()) {
    if (auto s = scalar(item, what)) out.push_back(*s);
  }
  return out;
}

// A block scalar's text starts on the line after its indicator (`>-`, `|`); each of its lines
// is indented by the same amount, and folding joins them with a space (a newline for `|`).
// Rebuilds that text from the file to know where each line starts; gives up (no segments,
// positions then count from the indicator) when the scalar uses folding this does not model.
std::vector<SourcePos::Segment> YamlReader::block_segments(const yaml::Node& n) const {
  if (lines_.empty()) {
    for (size_t start = 0; start <= text_.size();) {
      size_t end = text_.find('\n', start);
      if (end == std::string::npos) end = text_.size();
      lines_.push_back(std::string_view(text_).substr(start, end - start));
      start = end + 1;
    }
  }
  const std::vector<std::string_view>& lines = lines_;
  auto indent_of = [](std::string_view l) { return l.find_first_not_of(' '); };
  size_t first = static_cast<size_t>(n.mark().line) + 1;
  size_t indent = std::string_view::npos;
  std::vector<SourcePos::Segment> segs;
  std::string built;
  char joiner = n.style() == yaml::Node::Style::kFolded ? ' ' : '\n';
  for (size_t i = first; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    size_t ind = indent_of(l);
    if (ind == std::string_view::npos) break;  // a blank line: folding rules differ, stop
    if (indent == std::string_view::npos) indent = ind;
    if (ind < indent) break;
    if (!built.empty()) built += joiner;
    segs.push_back({built.size(), static_cast<int>(i) + 1, static_cast<int>(indent) + 1});
    built.append(l.substr(indent));
  }
  std::string value = n.Scalar();
  while (!value.empty() && value.back() == '\n') value.pop_back();
  if (built != value) return {};
  return segs;
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
  if (n.style() == yaml::Node::Style::kFolded || n.style() == yaml::Node::Style::kLiteral) {
    e.at.segments = block_segments(n);
  }
  return e;
}

}  // namespace epil::detail
