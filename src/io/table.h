// Tables read row by row: the common face of the CSV, XLSX and JSON Lines readers that batch
// screening streams through. A reader owns its buffers; the cells it hands out are views into
// them, valid until the next call to next(), so that reading a row allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/text.h"

namespace epil::io {

/// Where a problem is, in the terms a clerk sees in a spreadsheet program.
struct TablePosition {
  int64_t row = 0;          // 1-based row of the file as a spreadsheet program numbers it
                            // (the header is row 1); for CSV the physical line where the row starts
  int column = 0;           // 1-based column, 0 if not known
  std::string column_name;  // "C" for spreadsheets, the header text otherwise; may be empty
};

/// A problem that stops reading (a file that is not what it claims to be, a broken archive,
/// invalid text in the declared encoding). Cell values a rule cannot read are not errors of the
/// table: batch screening reports those per row and goes on.
struct TableError {
  std::string file;
  TablePosition at;
  std::string message;     // English: what was expected, what was found
  std::string message_zh;  // 中文
};

/// A TableError at `row` and 1-based `column` (0: not known) of `file`, naming the column by
/// its header text when there is one.
inline TableError make_table_error(const std::string& file, int64_t row, int column,
                                   const std::vector<std::string>& header, std::string en,
                                   std::string zh) {
  TableError e;
  e.file = file;
  e.at.row = row;
  e.at.column = column;
  if (column > 0 && static_cast<size_t>(column) <= header.size()) {
    e.at.column_name = header[static_cast<size_t>(column) - 1];
  }
  e.message = std::move(en);
  e.message_zh = std::move(zh);
  return e;
}

/// The same with the error's two sentences from the catalogue (core/messages.h):
///   make_table_error(path, 0, 0, {}, message(Msg::kTableOpenOutOfMemory))
inline TableError make_table_error(const std::string& file, int64_t row, int column,
                                   const std::vector<std::string>& header, const Text& text) {
  return make_table_error(file, row, column, header, text.en, text.zh);
}

/// Why a file that should be a `kind` table ("CSV", "JSON Lines") cannot be opened, `err` being
/// open()'s errno: "expected a CSV file, cannot open it: No such file or directory".
Text cannot_open_table(std::string_view kind, int err);

/// What a cell of a spreadsheet was, so that a writer can give it back as it was: a number
/// shown in a number format, a date, a date and time, a time of day. Every cell of a CSV or a
/// JSON Lines file is text; so is an XLSX cell that held text, whatever it looks like.
struct CellFormat {
  enum Kind : uint8_t { kText, kNumber, kDate, kDateTime, kTime };
  Kind kind = kText;
  int builtin = 0;   // a number's built-in format (numFmtId; 0 General) when `code` is empty
  std::string code;  // a number's own format code ("#,##0.00"), if it has one
};

/// The formats every typed reader gives first, in this order; a reader's own number formats
/// follow. A cell's format is an index into TableReader::cell_formats().
enum CellFormatIndex : uint16_t {
  kTextCell,      // text, as read
  kNumberCell,    // a number in the General format
  kDateCell,      // "2025-06-01"
  kDateTimeCell,  // "2025-06-01 14:30:00"
  kTimeCell,      // "14:30:00"
  kFirstOwnFormat
};

/// The formats kTextCell … kTimeCell stand for.
const std::vector<CellFormat>& standard_cell_formats();

class TableReader {
 public:
  virtual ~TableReader() = default;
  /// The header row (the first row of the file or sheet), as text, in file order.
  virtual const std::vector<std::string>& header() const = 0;
  /// Reads the next data row into `cells` (one view per header column; a short row is padded
  /// with empty cells, and extra cells beyond the header are kept). Returns false at the end
  /// of the table or on error; then error() says which.
  virtual bool next(std::vector<std::string_view>& cells) = 0;
  /// Position of the row last returned by next().
  virtual TablePosition position() const = 0;
  virtual const std::optional<TableError>& error() const = 0;
  /// The formats this table's cells may have (standard_cell_formats() and the reader's own),
  /// or none when every cell is text (CSV, JSON Lines).
  virtual const std::vector<CellFormat>& cell_formats() const;
  /// Per cell of the row last returned by next(), its index in cell_formats(); a cell past the
  /// end, and every cell when this is empty, is text (kTextCell).
  virtual const std::vector<uint16_t>& row_formats() const;
  /// The rows above the header (a ledger's title, a group header: io/ledger.h), as text; none
  /// when the header is the first row.
  virtual const std::vector<std::vector<std::string>>& preamble() const;
  /// The header's row in the file, as a spreadsheet numbers it.
  virtual int64_t header_row() const { return 1; }
  /// Bytes consumed so far and the total, for a progress bar (total 0 if unknown).
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

/// Text encodings a CSV may come in. Chinese Excel and WPS save "CSV" in GB18030 (a superset of
/// GBK and GB2312); Excel's "Unicode text" is UTF-16 with a BOM.
enum class Encoding { kDetect, kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kGb18030 };

struct CsvOptions {
  char delimiter = 0;  // 0: detect among , ; tab |
  Encoding encoding = Encoding::kDetect;
  Limits limits;
};

/// Opens a CSV/TSV file (RFC 4180: quoted fields, doubled quotes, newlines inside quotes, CRLF).
/// Cells are UTF-8 whatever the file's encoding. On failure returns null and sets `error`.
std::unique_ptr<TableReader> open_csv(const std::string& path, const CsvOptions& options,
                                      std::optional<TableError>& error);

/// Opens the first visible worksheet of an .xlsx file (a hidden one only if it is the only
/// sheet), or the sheet named `sheet`, streaming its XML.
std::unique_ptr<TableReader> open_xlsx(const std::string& path, const std::string& sheet,
                                       std::optional<TableError>& error,
                                       const Limits& limits = Limits{});

/// Opens a JSON Lines file: one JSON object per line (UTF-8, blank lines skipped). The header is
/// every key met in the file, in order of first appearance (a first pass reads only the keys);
/// a row lacking a key has an empty cell there. Strings are cells as they are; numbers keep
/// their literal text; true/false are "true"/"false"; null is an empty cell; a nested array or
/// object is kept as its JSON text.
std::unique_ptr<TableReader> open_jsonl(const std::string& path, std::optional<TableError>& error,
                                        const Limits& limits = Limits{});

}  // namespace epil::io
