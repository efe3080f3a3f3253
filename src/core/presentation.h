// How a configuration tree presents itself to the people who use it (presentation.yaml at the
// tree's root): the ruleset a command uses when none is named, the command words that stand for
// a ruleset (`epil credit grade` is `epil screen --ruleset credit`), and the colour of each
// outcome in spreadsheets, and the field their summaries count rows by. Nothing here changes a
// verdict, so result fingerprints do not cover it. (Where a case names no region, the root of
// regions/ applies: Config::root_region().)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"
#include "core/text.h"

namespace epil {

/// `epil WORD WORD …` standing for a command with --ruleset: e.g. words [credit, grade], runs
/// screen, ruleset credit.
struct CommandAlias {
  std::vector<std::string> words;
  std::string runs;  // the command it stands for: "screen" or "batch"
  std::string ruleset;
  Text summary;                       // one line for --help
  std::vector<std::string> examples;  // what follows the words in --help's examples
  int line = 0, column = 0;

  /// The words as typed: "credit grade".
  std::string typed() const;
};

/// The fill colour of an outcome's cell in a spreadsheet, 0xRRGGBB.
struct OutcomeStyle {
  std::string ruleset;
  std::string outcome;  // an outcome key of the ruleset
  uint32_t fill = 0;
  int line = 0, column = 0;
};

/// The field whose values a spreadsheet's summary counts rows by, beside the outcome and the
/// region: an enum input of the ruleset (损害类型, 被执行人类型).
struct SummaryField {
  std::string ruleset;
  std::string field;  // a field key
  int line = 0, column = 0;
};

/// A named set of the columns a batch appends (`epil batch --columns minimal`), by key.
struct ColumnPreset {
  std::string name;
  std::vector<std::string> keys;
  int line = 0, column = 0;
};

struct Presentation {
  std::string file;             // as messages name it; empty when the tree has none
  std::string default_ruleset;  // empty: a command must name one
  int default_ruleset_line = 0, default_ruleset_column = 0;
  std::vector<CommandAlias> commands;
  std::vector<OutcomeStyle> outcome_styles;
  std::optional<uint32_t> unreadable_row_fill;  // rows that could not be read
  std::vector<SummaryField> summary_by;
  std::vector<ColumnPreset> column_presets;

  /// The preset named `name`, or null.
  const ColumnPreset* column_preset(std::string_view name) const {
    for (const auto& c : column_presets) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }

  /// The alias whose words begin `args` (after the program's name), longest first; null if none.
  const CommandAlias* command(const std::vector<std::string_view>& args) const;
  /// The fill of `outcome` of `ruleset`, if the tree gives one.
  std::optional<uint32_t> fill(std::string_view ruleset, std::string_view outcome) const;
  /// The field `ruleset`'s summaries count rows by, if the tree names one.
  const SummaryField* summary_field(std::string_view ruleset) const;
};

/// Reads presentation.yaml; problems (syntax, unknown keys, a colour not written #RRGGBB) go
/// to `findings` with their line and column. Whether the rulesets and outcomes it names exist
/// is checked by Config::check().
Presentation load_presentation(std::string_view text, const std::string& file, Findings& findings,
                               const Limits& limits = Limits{});

}  // namespace epil
