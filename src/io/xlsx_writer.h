// The batch output as one XLSX sheet, within the sheet's limits: 1,048,576 rows (the header
// included) and 16,384 columns. What does not fit is refused with the reason, never cut off.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "io/batch.h"
#include "io/output_file.h"

namespace epil::io {

struct XlsxLimits {
  uint32_t rows = 1048576;  // Excel's, the header included
  uint32_t columns = 16384;
};

/// Why a table of `columns` columns cannot be written to `name` as one sheet, or nothing: said
/// before a run, when the header and the appended columns are known.
std::optional<OutputError> xlsx_columns_problem(const std::string& name, size_t columns,
                                                const XlsxLimits& limits = {});

/// An .xlsx writer (libxlsxwriter, constant memory) into `out`'s temporary file; why it
/// failed (a row or column past the limits, a cell too long, the disk) goes to out.fail().
/// `choice`: the appended columns it receives (indices into added_keys()), null for all.
std::unique_ptr<TableWriter> make_xlsx_writer(OutputFile& out, Lang lang, const Ruleset& rs,
                                              const Config& config, const XlsxLimits& limits = {},
                                              const std::vector<size_t>* choice = nullptr);

}  // namespace epil::io
