// Internal: reading YAML nodes into the core's types with findings at file:line:column.
// Users include core/epil.h; this header is for the loaders in src/core/ only.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

#include "core/date.h"
#include "core/expr.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/messages.h"
#include "core/text.h"
#include "core/yaml.h"

namespace epil::detail {

class YamlReader {
 public:
  YamlReader(std::string file, Findings& findings, const Limits& limits = Limits{})
      : file_(std::move(file)), findings_(findings), limits_(limits) {}

  const std::string& file() const { return file_; }
  Findings& findings() { return findings_; }

  /// Parses the whole document; a syntax error becomes a finding and returns nullopt.
  std::optional<yaml::Node> parse(std::string_view text);
  /// A document that must be a mapping of the keys `allowed` (unknown ones are warned about):
  /// parsed, or nullopt with a finding.
  std::optional<yaml::Node> parse_map(std::string_view text, std::string_view what,
                                      std::initializer_list<std::string_view> allowed);

  static int line(const yaml::Node& n) { return n.mark().line + 1; }
  static int column(const yaml::Node& n) { return n.mark().column + 1; }

  /// The catalogue entry's error or warning (core/messages.h) at `at`.
  template <class... A>
  void error(const yaml::Node& at, Msg m, const A&... args) {
    add_error(findings_, m, file_, line(at), column(at), args...);
  }
  template <class... A>
  void warning(const yaml::Node& at, Msg m, const A&... args) {
    add_warning(findings_, m, file_, line(at), column(at), args...);
  }

  bool is_map(const yaml::Node& n, std::string_view what);
  /// Warns about keys not in `allowed`: a misspelt key would otherwise be silently ignored.
  void allowed_keys(const yaml::Node& map, std::string_view what,
                    std::initializer_list<std::string_view> allowed);
  std::optional<std::string> scalar(const yaml::Node& n, std::string_view what);
  std::string optional_scalar(const yaml::Node& map, const char* key, std::string_view what);
  std::optional<std::string> required_scalar(const yaml::Node& map, const char* key,
                                             std::string_view what);
  std::optional<Date> date(const yaml::Node& n, std::string_view what);
  std::optional<double> number(const yaml::Node& n, std::string_view what);
  std::optional<bool> boolean(const yaml::Node& n, std::string_view what);
  /// {zh: …, en: …}, or a plain string taken as Chinese.
  Text text(const yaml::Node& n, std::string_view what);
  std::vector<std::string> string_list(const yaml::Node& n, std::string_view what);
  /// An expression scalar with the position where its text starts.
  ExprText expr(const yaml::Node& n, std::string_view what);

 private:
  std::vector<SourcePos::Segment> block_segments(const yaml::Node& n) const;

 public:
 private:
  std::string file_;
  std::string text_;  // the document, to map block scalars back to their lines
  mutable std::vector<std::string_view> lines_;  // text_ split into lines, on first need
  Findings& findings_;
  Limits limits_;  // for the YAML tree: scalars, keys, aliases
};

}  // namespace epil::detail
