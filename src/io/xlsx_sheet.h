// Internal to the XLSX writer (io/xlsx_writer.cpp): how the results sheet is laid out to be
// read and printed (column widths measured from the first rows, long texts wrapped), how a cell
// is given back typed, and the summary sheet (io/xlsx_summary.cpp).
#pragma once

#include <xlsxwriter.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/batch.h"

namespace epil::io::detail {

/// The width of `text` in a sheet's column units (the width of a '0'): a CJK character about
/// two, anything else 1.1, the widest line of several.
double display_width(std::string_view text);

/// The Excel serial of a date, date and time or time of day written as the XLSX reader and the
/// results write them ("2025-06-01", "2025-06-01 14:30:00", "14:30:00"); nullopt for any other
/// text, which then stays text.
std::optional<double> excel_serial(std::string_view text);

/// A number written exactly as format_plain() writes one ("2800", "-0.5"), else nullopt: a
/// text that only looks like a number elsewhere ("00123", "3,000", "1e5") stays text.
std::optional<double> plain_number(std::string_view text);

/// The widths of a sheet's columns from its header and the first rows written, and which
/// columns wrap their text.
class ColumnLayout {
 public:
  static constexpr double kMinWidth = 8;
  static constexpr double kMaxWidth = 60;

  explicit ColumnLayout(const std::vector<std::string>& header);
  /// Takes one row into account.
  void measure(const std::vector<std::string>& cells);
  /// Columns whose texts are sentences wrap whatever their width; codes never do.
  void always_wrap(size_t column);
  void never_wrap(size_t column);
  double width(size_t column) const;
  /// Whether `column` wraps its text: sentences, or a cell wider than kMaxWidth was met, unless
  /// the column holds codes.
  bool wraps(size_t column) const;

 private:
  enum Wrap : uint8_t { kByWidth, kAlways, kNever };
  std::vector<double> header_, widest_;
  std::vector<Wrap> wrap_;
};

/// Printed as an office prints a wide table: landscape A4, one page wide however long.
void print_landscape_a4(lxw_worksheet* sheet);

/// The formats of the summary sheet the results sheet shares.
struct SummaryFormats {
  lxw_format* head = nullptr;  // a table's header row
  lxw_format* bold = nullptr;
  std::vector<std::pair<std::string, lxw_format*>> outcome_fills;  // by outcome key
};

/// Writes the summary into `sheet` (named `sheet_name`): the counts of the run as tables with
/// their totals, the rows that could not be read, the columns no field reads, and a chart of
/// the rows by outcome. False on a libxlsxwriter error, named in `why`.
bool write_summary_sheet(lxw_workbook* wb, lxw_worksheet* sheet, const std::string& sheet_name,
                         const BatchSummary& s, const Ruleset& rs, const Config& config, Lang lang,
                         const SummaryFormats& formats, std::string& why);

}  // namespace epil::io::detail
