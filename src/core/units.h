// How amounts are written (units.yaml at the tree's root): for each unit a field may declare
// (`unit: 元`), the suffixes a cell may carry and what each multiplies the number by, the
// prefixes it may start with (¥, 人民币), and the hint an error gives. The conversions change
// the facts a case is decided on, so result fingerprints cover the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"
#include "core/text.h"

namespace epil {

/// A suffix and its multiplier, factor × 10^exp10: powers of ten go into the decimal exponent
/// before the text is converted to binary, so that "0.3万" is the double nearest 3000 and not
/// 0.3 × 10000 with its rounding error.
struct UnitSuffix {
  std::string text;  // as a folded cell has it: small ASCII letters, no spaces
  int exp10 = 0;
  int factor = 1;
};

struct UnitDef {
  std::string unit;  // as fields declare it: 元, t, kg, m3, mu, times, %
  Text hint;         // "an amount such as 3000, 3,000元, 0.3万元"; empty: "a number"
  std::vector<std::string> prefixes;  // folded, like the suffixes
  std::vector<UnitSuffix> suffixes;   // a bare number is always in the unit itself
  int line = 0;

  /// A unit units.yaml does not list: its own name is its only suffix ("3人" for 人).
  static UnitDef named_only(std::string_view unit);
};

struct UnitTable {
  std::string file;  // as messages name it; empty when the tree has none
  std::vector<UnitDef> units;

  const UnitDef* find(std::string_view unit) const;
};

/// Reads units.yaml; problems (syntax, a multiplier not written N or NeE, a suffix twice) go
/// to `findings` with their line and column.
UnitTable load_units(std::string_view text, const std::string& file, Findings& findings,
                     const Limits& limits = Limits{});

}  // namespace epil
