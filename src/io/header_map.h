// Which spreadsheet column holds which field: the ruleset's keys, 中文 and English labels and
// aliases (case, width and space insensitive), `--map 'Excel header=field'` for the others, and
// the case-number and region columns. Unmapped columns are carried through untouched.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "core/ruleset.h"
#include "io/case_input.h"

namespace epil::io {

struct HeaderMap {
  std::vector<int> field_of_column;  // per column: input field id, or -1
  // Per column: the unit its header names in brackets ("损害数额（万元）": 万元), in which
  // a cell's bare number is read; empty when the header names none.
  std::vector<std::string> unit_of_column;
  std::vector<int> unmatched_columns;  // columns that are no field, case number or region
  int case_id_column = -1;
  int region_column = -1;
  // A list's name and ID number columns (the ruleset's identity section): read for the inputs
  // they say (io/completion.h), carried through as given.
  int name_column = -1;
  int id_column = -1;
};

/// "损害数额（万元）" → {"损害数额", "万元"}: a header ending in a bracketed note, split.
std::optional<std::pair<std::string_view, std::string_view>> split_bracket(std::string_view header);

/// How many of `row`'s cells name a field, the case number, the region or a list column: how
/// much a row looks like `rs`'s header (io/ledger.h).
int header_score(const std::vector<std::string>& row, const Ruleset& rs, const FieldIndex& index);

/// Maps `header` for `rs`. `maps` are user pairs (header text, field key or label). A
/// required field with no column is an error naming it and the nearest headers present;
/// `region_given` says a --region stands in for a missing region column; `line` is the
/// header's row in the file (a ledger's lies below its title), where its problems are told.
HeaderMap map_header(const std::vector<std::string>& header, const Ruleset& rs,
                     const FieldIndex& index,
                     const std::vector<std::pair<std::string, std::string>>& maps,
                     bool region_given, const std::string& file, Findings& findings, int line = 1);

}  // namespace epil::io
