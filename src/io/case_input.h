// One case's inputs as people give them: names (key, 中文 label, English label, alias, CLI
// flag) mapped to fields, and text values ("是", "0.3万元", "2025年6月1日", "水污染") read with
// the field's type. Used by `screen` flags, YAML/JSON case files and test files.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"
#include "core/ruleset.h"
#include "core/text.h"
#include "core/value.h"

namespace epil::io {

/// Finds fields by any of their names; case, width and space insensitive.
class FieldIndex {
 public:
  explicit FieldIndex(const Ruleset& rs);
  /// The input field named `name`, or -1.
  int find(std::string_view name) const;
  /// Closest names for a "did you mean" hint.
  std::vector<std::string> nearest(std::string_view name, size_t n = 3) const;
  /// The enum value of field `field` named `text` (key, zh/en label or alias), or -1.
  int find_enum(int field, std::string_view text) const;

 private:
  const Ruleset& rs_;
  std::unordered_map<std::string, int> by_name_;
  std::vector<std::unordered_map<std::string, int>> enum_by_name_;  // per field
};

/// "nearest: a, b" for an unknown field name, or that no field is close to it.
Text near_fields(const FieldIndex& index, std::string_view name);

/// Why a value could not be read, in both languages.
struct ValueError {
  std::string en, zh;
};

/// Reads `text` as a value of input field `f`. Unknown-meaning text ("", "不详", "-") gives
/// an unknown value; text that cannot be read gives a ValueError saying what was expected.
std::variant<Value, ValueError> read_value(const Ruleset& rs, const FieldIndex& index, int f,
                                           std::string_view text, std::deque<std::string>& store);

/// The inputs of one case, with what the user gave and what was assumed by default.
struct CaseInput {
  std::string case_id;
  std::string region;          // as given; resolved by the caller
  std::vector<Value> values;   // one per input field
  std::vector<uint8_t> given;  // the user gave a value (possibly "unknown")
  std::vector<uint8_t> defaulted;
  std::deque<std::string> store;  // owns the characters of string values
  // A list's name and ID number (the ruleset's identity section), as given: read for the
  // inputs they say (io/completion.h), never shown.
  std::string debtor_name, id_number;

  explicit CaseInput(const Ruleset& rs);
  /// Sets a field from text; on error adds nothing and returns the error.
  std::optional<ValueError> set(const Ruleset& rs, const FieldIndex& index, int field,
                                std::string_view text);
  /// Fills every input not given with its declared default (shown as assumed in the
  /// explanation); the others stay unknown.
  void apply_defaults(const Ruleset& rs, const FieldIndex& index);
  /// Fills the inputs the others say (io/completion.h), before the defaults; the
  /// contradiction found, if any.
  std::optional<Text> complete(const Ruleset& rs, Date as_of);
};

/// Which key of one case gave each field: a field named twice under two names (`地区` and
/// `region`, `损害数额` and `生态环境损害数额`) is an error naming both, never the last one kept
/// in silence. `slot` is an input field, or kCaseIdSlot / kRegionSlot.
class KeysOfCase {
 public:
  static constexpr int kCaseIdSlot = -2, kRegionSlot = -3;
  explicit KeysOfCase(const Ruleset& rs) : rs_(rs), by_field_(rs.fields.size()) {}
  /// Notes that `key` on `line` gives `slot`; the error naming both keys if one gave it before.
  std::optional<ValueError> note(int slot, std::string_view key, int line);

 private:
  struct Key {
    std::string name;
    int line = 0;
  };
  const Ruleset& rs_;
  std::vector<std::optional<Key>> by_field_;
  std::optional<Key> case_id_, region_;
};

/// Reads a YAML or JSON case file: a mapping of field names to values, with optional
/// `case_id` and `region`. Problems go to findings with file:line:column. The file is read
/// whole within limits.file_bytes; its mappings and scalars within mapping-keys and cell-bytes.
std::optional<CaseInput> load_case_file(const std::string& path, const Ruleset& rs,
                                        const FieldIndex& index, Findings& findings,
                                        const Limits& limits = Limits{});

}  // namespace epil::io
