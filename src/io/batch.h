// Batch screening: a table of cases in, the same table out with every row's verdict, reasons,
// missing facts, thresholds and margins appended, and a summary. Streams (memory does not grow
// with the rows), uses every core, keeps input order, and never stops for a bad row: a value
// that cannot be read makes that row's outcome `error`, naming row, column, value and what was
// expected.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/finding.h"
#include "core/text.h"
#include "io/table.h"

namespace epil::io {

/// Receives the output table: the header once, then rows in input order.
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual bool header(const std::vector<std::string>& cells) = 0;
  /// `added_from`: the index of the first appended column; `outcome`: the row's outcome key
  /// ("error" for a row that could not be read), for writers that colour it.
  virtual bool row(const std::vector<std::string_view>& cells, size_t added_from,
                   std::string_view outcome) = 0;
  /// For writers that keep numbers and dates typed (XLSX): the formats the input's cells may
  /// have (TableReader::cell_formats(); empty when every cell is text), told before header().
  virtual void input_formats(const std::vector<CellFormat>& /*formats*/) {}
  /// row() with each input cell's index in those formats (`formats` as long as the input
  /// cells, or empty when they are all text). Writers of text have no use for them.
  virtual bool typed_row(const std::vector<std::string_view>& cells,
                         const std::vector<uint16_t>& /*formats*/, size_t added_from,
                         std::string_view outcome) {
    return row(cells, added_from, outcome);
  }
  /// Finishes the table (summary sheet, flush); the caller then commits the file.
  virtual bool finish(const struct BatchSummary& summary) = 0;

  // Writers of plain text (CSV, JSON Lines) let the worker threads encode rows, concurrently
  // (these must only read the writer): a row is encode_input() (or encode_joined()), then
  // each appended cell by encode_added(), then finish_row(), all appended to one string.
  // write_encoded() then receives the bytes of many rows, in row order, from the calling
  // thread.
  virtual bool encodes() const { return false; }
  /// Appends the start of a row and its input `cells`.
  virtual void encode_input(const std::vector<std::string_view>& /*cells*/,
                            std::string& /*out*/) const {}
  /// The byte that joins input cells in the rows encode_input() writes when no cell needs
  /// quoting (the CSV delimiter), or 0. A reader's row found as cells joined by it may be
  /// passed whole to encode_joined().
  virtual char joiner() const { return 0; }
  /// Appends, like encode_input(), a row whose `n` input cells are `joined` by joiner(),
  /// copying `joined` as it stands. False, writing nothing, when a cell would need quoting
  /// (or `joined` does not hold exactly n cells): then encode_input() is the way.
  virtual bool encode_joined(std::string_view /*joined*/, size_t /*n*/,
                             std::string& /*out*/) const {
    return false;
  }
  /// Appends appended cell `k` encoded as it stands in a row, with the one-byte separator
  /// before it (the delimiter, or a comma before the key), so that a text many rows share is
  /// encoded once.
  virtual void encode_added(size_t /*k*/, std::string_view /*text*/, std::string& /*out*/) const {}
  /// Appends the end of a row, after its appended cells.
  virtual void encode_end(std::string& /*out*/) const {}
  /// encode_end() for a row whose appended cells start at `first_added` in `out`: when the row
  /// has no input cells (`no_input`), the separator before the first appended cell goes.
  void finish_row(std::string& out, size_t first_added, bool no_input) const;
  virtual bool write_encoded(std::string_view /*bytes*/) { return false; }

 protected:
  /// A whole row of `cells`, the appended ones from `added_from`, through the encode_
  /// functions: what row() writes in an encoding writer.
  void encode_row(const std::vector<std::string_view>& cells, size_t added_from,
                  std::string& out) const;
};

struct BatchOptions {
  std::string region;   // for rows without a region column or cell
  std::string overlay;  // a named overlay applied on top of every row's region, or empty
  Date as_of;
  Lang lang = Lang::kZh;
  bool strict = false;
  std::vector<std::pair<std::string, std::string>> maps;  // --map 'header=field'
  int threads = 0;                                        // 0: one per core
  Limits limits;
  /// Rows of the same shape (core/shape_index.h) share one evaluation of the rules and one
  /// set of texts. Off only to check that it changes nothing (--evaluate-each-row).
  bool reuse_shapes = true;
  /// ID numbers written out masked (the first 6 and last 4 characters kept): a list's ID
  /// column (the ruleset's identity section) must be found, or the run is refused.
  bool mask_ids = false;
  /// Called now and then from the calling thread: rows done, bytes read, bytes total.
  std::function<void(int64_t, uint64_t, uint64_t)> progress;
};

struct RowError {
  int64_t row = 0;
  int column = 0;
  std::string column_name;
  std::string message, message_zh;
};

/// A column of the input that no field reads: carried through to the output unread.
struct UnmatchedColumn {
  int column = 0;  // 1-based
  std::string header;
  std::vector<std::string> nearest;  // the field keys nearest its header, nearest first
};

struct BatchSummary {
  int64_t rows = 0;
  int64_t errors = 0;
  std::map<std::string, int64_t> by_outcome;    // outcome key → rows
  std::map<std::string, int64_t> by_region;     // region id → rows
  std::string breakdown_field;                  // Config::summary_field, if any
  std::map<std::string, int64_t> by_breakdown;  // its value key → rows
  std::vector<RowError> first_errors;           // the first few, in row order
  std::vector<UnmatchedColumn> unmatched;       // in column order, the first few
  int64_t unmatched_count = 0;                  // all of them
  double seconds = 0;
  // Rows whose rules were evaluated; the others took the decision of an earlier row of the
  // same shape (CompiledRuleset::prepare_shape).
  int64_t evaluated = 0;
};

/// Screens every row of `in` with ruleset `rs`, writing to `out`. Configuration or header
/// problems (a required column missing) go to `findings` and stop the run before any row;
/// returns nullopt then, or when reading or writing fails (also in findings).
std::optional<BatchSummary> run_batch(Config& config, const Ruleset& rs, TableReader& in,
                                      const std::string& input_name, TableWriter& out,
                                      const BatchOptions& options, Findings& findings);

/// A CSV writer (RFC 4180, UTF-8, optional BOM) into `sink`.
std::unique_ptr<TableWriter> make_csv_writer(std::function<bool(std::string_view)> sink,
                                             char delimiter, bool bom);

/// The machine keys of the columns batch screening appends (for JSON Lines), in column order:
/// outcome, outcome_label, each output, each result, reasons, missing, explanation,
/// thresholds, margin, advisories, fingerprint.
std::vector<std::string> added_keys(const Ruleset& rs);

/// What a column batch screening appends holds, in the order of added_keys(): for writers
/// that give numbers and dates typed and lay long texts out to be read.
enum class AddedColumn : uint8_t {
  kCode,      // codes, never wrapped: the outcome, the reasons, the fingerprint
  kShort,     // a label, a value (the outcome's label, an output)
  kLongText,  // sentences: reasons, missing facts, explanation, thresholds, advisories
  kNumber,    // a plain number when it is one (the margin, an amount result)
  kDate,      // an ISO date when it is one (a date result; "不早于 …" stays text)
};
std::vector<AddedColumn> added_columns(const Ruleset& rs);

/// A JSON Lines writer into `sink`: one object per row, the input columns under their header
/// text, the appended columns under `added_keys` (stable English keys, whatever the language).
std::unique_ptr<TableWriter> make_jsonl_writer(std::function<bool(std::string_view)> sink,
                                               std::vector<std::string> added_keys);

/// An .xlsx writer (libxlsxwriter, constant memory) creating `path`; null if it cannot.
std::unique_ptr<TableWriter> make_xlsx_writer(const std::string& path, Lang lang, const Ruleset& rs,
                                              const Config& config);

/// One of the summary's tables: the rows counted by one thing (outcome, region, a field's
/// values), a line for the rows it cannot place, and the total, which equals the rows screened.
struct SummaryTable {
  struct Line {
    std::string label;  // as people read it
    std::string key;    // the outcome, region or value key; empty for the rows not placed
    int64_t rows = 0;
  };
  std::string caption;  // 按结论
  std::string subject;  // what the first column names: 结论, 地区, 损害类型
  std::vector<Line> lines;
  std::optional<Line> rest;  // rows the table cannot place (no region, no value), if it can miss
  int64_t total = 0;
};

/// The summary's tables in `lang`: by outcome (every outcome of the ruleset, then the rows
/// that could not be read), by region (those met, in the tree's order), and by the values of
/// Config::summary_field (every value), when the ruleset has one.
std::vector<SummaryTable> summary_tables(const BatchSummary& s, const Ruleset& rs,
                                         const Config& config, Lang lang);

/// The fields nearest a column no field reads, as people read them: "损害数额 (damage_amount)、…".
std::string nearest_fields(const Ruleset& rs, const UnmatchedColumn& u, Lang lang);

/// The summary as people read it, and as JSON (--summary-json).
std::string summary_text(const BatchSummary& s, const Ruleset& rs, const Config& config, Lang lang);
std::string summary_json(const BatchSummary& s);

}  // namespace epil::io
