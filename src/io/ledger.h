// Office ledgers (台账) as offices keep them: a title row ("2025年度生态环境损害案件台账（XX市人民
// 检察院）"), a blank row, perhaps a group header over part of the header (损害情况 over 损害数额
// and 鉴定评估费用, merged), then the header, the cases, and rows that are not cases (合计,
// 填表人 …). This finds the header and keeps the rows above it; the batch carries them to the
// output above its header (TableWriter::preamble) and passes the rows that are not cases
// through unscreened (presentation.yaml `not_case_rows`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ruleset.h"
#include "io/case_input.h"
#include "io/table.h"

namespace epil::io {

/// Rows read before the header: how many the header is looked for among.
constexpr int kHeaderSearchRows = 20;

/// A reader whose header is the row of `in` among its first kHeaderSearchRows that names the
/// most fields, case numbers, regions or list columns of `rs` (the first row unless a later one
/// names more); a cell a merged group header leaves empty below it (案件编号 merged over two
/// rows) takes the text above it. `header_row` (1-based, as a spreadsheet numbers rows; 0 to
/// look) forces the row. The rows above the header are preamble(). On a row that does not
/// exist, null with `error` set.
std::unique_ptr<TableReader> find_header(std::unique_ptr<TableReader> in, const Ruleset& rs,
                                         const FieldIndex& index, int64_t header_row,
                                         const std::string& file, std::optional<TableError>& error);

}  // namespace epil::io
