// Which appended columns a batch writes (`epil batch --columns`): a preset's name
// (presentation.yaml `column_presets`, e.g. minimal) or the columns' keys joined by ','. The
// choice is made in the writer: the rows are screened and encoded as always, and a writer
// that chooses receives every cell and passes on the input's and the chosen ones.
#pragma once

#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include "core/presentation.h"
#include "core/ruleset.h"
#include "core/text.h"
#include "io/batch.h"

namespace epil::io {

/// Indices into added_keys(rs), in the order named.
using AddedChoice = std::vector<size_t>;

/// The columns `spec` names, or why it names none, naming the keys and presets known.
std::variant<AddedChoice, Text> choose_added(const Ruleset& rs, const Presentation& p,
                                             std::string_view spec);

/// `inner`, which was made for the chosen columns, behind a writer that takes every appended
/// column (`n_added` of them) and passes on the chosen ones. It does not encode: rows reach
/// it whole, on the writing thread.
std::unique_ptr<TableWriter> write_chosen(std::unique_ptr<TableWriter> inner, size_t n_added,
                                          AddedChoice choice);

}  // namespace epil::io
