// Inputs a case does not give but its other cells say. A published list gives what is
// performed and what is not (已履行部分, 未履行部分), not the amount owed: it is their sum (a
// field's `sum_of`). It names the debtor and gives an ID number, not the debtor's type or age:
// those are read from the ID's form and a name's ending (the ruleset's identity section,
// io/identity.h). Each is filled only where no value is known; a value given that contradicts
// what the other cells say is an error naming both, never a choice between them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/ruleset.h"
#include "core/text.h"
#include "core/value.h"

namespace epil::io {

/// What a ruleset's sum_of fields and identity section ask, resolved to field ids once.
struct Completion {
  std::vector<std::pair<int, std::vector<int>>> sums;  // field, its parts
  std::vector<std::pair<int, int>> defaults_from;      // field, the input it takes
  int type_field = -1, person = -1, organisation = -1;
  std::vector<std::string> organisation_endings;
  int age_field = -1, age_on = -1, review_field = -1;
  std::vector<int> age_not_before, age_not_after;
  bool identity() const { return type_field >= 0 || age_field >= 0; }
  bool any() const { return !sums.empty() || !defaults_from.empty() || identity(); }
  /// The inputs it may fill: never constant across a sheet's rows.
  std::vector<int> filled() const {
    std::vector<int> out;
    for (const auto& sum : sums) out.push_back(sum.first);
    for (const auto& d : defaults_from) out.push_back(d.first);
    if (type_field >= 0) out.push_back(type_field);
    if (age_field >= 0) out.push_back(age_field);
    return out;
  }
};

Completion completion_of(const Ruleset& rs);

/// `c` without what a sheet cannot feed: a sum one of whose parts no column holds, a default
/// from an input no column holds, the identity without a name or ID column (`has_column`:
/// per input field; `identity`: the sheet has a name or ID column). The batch asks nothing per
/// row of a sheet that gives none of them.
Completion for_columns(Completion c, const std::vector<bool>& has_column, bool identity);

/// A list row's name and ID number, as given (empty: no such column or a blank cell).
struct IdentityCells {
  std::string_view name, id_number;
};

/// Fills `values` (the ruleset's inputs; `as_of` stands in for a review date not given).
/// Returns the first contradiction, in both languages; it names fields, never an ID number.
std::optional<Text> complete_inputs(const Completion& c, const Ruleset& rs, Value* values,
                                    const IdentityCells& cells, Date as_of);

}  // namespace epil::io
