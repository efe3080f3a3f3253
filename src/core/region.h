// Region overlays (regions/*.yaml): a province's identity, its parent in the chain up to the
// national default, and its dated parameter values with their sources; and named overlays,
// selected on top of any region to compare an alternative set of values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"
#include "core/ruleset.h"
#include "core/text.h"

namespace epil {

/// The values a region sets for one parameter: a dated list, or one per enum value for a
/// parameter indexed over an enum field.
struct ParamSetting {
  std::vector<DatedValue> values;                           // not indexed
  std::map<std::string, std::vector<DatedValue>> by_index;  // indexed: enum key → values
  int line = 0, column = 0;
};

struct Region {
  std::string id;
  Text name;
  std::string code;  // 行政区划代码, e.g. 450000
  std::vector<std::string> aliases;
  std::string extends;  // parent id; empty for the root (national)
  /// A named overlay (`overlay:` file): parameter values an authority can select on top of
  /// any region's chain (`--overlay`) to compare an alternative, e.g. a judicial proposal.
  bool overlay = false;
  std::optional<Date> last_checked;
  Text note;
  std::string file;
  int line = 0;
  int aliases_line = 0, extends_line = 0, code_line = 0, name_line = 0;
  int extends_column = 1;  // where the parent's id is written
  // ruleset id → parameter key → setting
  std::map<std::string, std::map<std::string, ParamSetting>> parameters;
};

/// Loads one region file. Values are converted with the parameter's type from `rulesets`;
/// a parameter no ruleset declares is an error.
/// `partial`: the configuration was loaded for some rulesets only; values for the others are
/// skipped rather than reported.
std::optional<Region> load_region(std::string_view text, const std::string& file,
                                  const std::vector<Ruleset>& rulesets, Findings& findings,
                                  bool partial = false, const Limits& limits = Limits{});

}  // namespace epil
