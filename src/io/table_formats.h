// The table formats batch screening reads and writes: which one a file is (named with
// --from/--to, or told by its extension), and the reader or writer for it. Front ends choose
// formats through here, so that `epil batch` and later front ends accept the same files.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/config.h"
#include "io/batch.h"
#include "io/output_file.h"
#include "io/table.h"

namespace epil::io {

enum class TableFormat { kCsv, kTsv, kXlsx, kJsonl };

/// The format `named` ("csv", "tsv", "xlsx", "jsonl" or "ndjson"), else the one the extension of
/// `path` says (case-insensitive); nullopt when neither says.
std::optional<TableFormat> table_format(std::string_view path, std::string_view named);

/// How to read an input table: the sheet of a workbook (empty: the first visible one), and a
/// CSV's encoding ("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030", "gbk"; empty:
/// detect) and delimiter (one character or "\t"; empty: detect).
struct TableInputOptions {
  std::string sheet;
  std::string encoding;
  std::string delimiter;
  Limits limits;
};

/// The names --encoding accepts, for the front ends' option checks.
std::span<const std::string_view> encoding_names();

/// Opens `path` as `format`; null and `error` set if it cannot.
std::unique_ptr<TableReader> open_table(const std::string& path, TableFormat format,
                                        const TableInputOptions& options,
                                        std::optional<TableError>& error);

/// A writer of `format` into `out`: CSV and TSV (with a UTF-8 BOM if `bom`), JSON Lines, or an
/// XLSX workbook; null if the workbook cannot be created. `choice`: the appended columns
/// written (io/column_choice.h), null for all.
std::unique_ptr<TableWriter> make_table_writer(TableFormat format, OutputFile& out, Lang lang,
                                               const Ruleset& rs, const Config& config, bool bom,
                                               const std::vector<size_t>* choice = nullptr);

}  // namespace epil::io
