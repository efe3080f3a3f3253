// Internal to batch screening (io/batch.h): rows as they travel between the reader, the workers
// and the writer, in batches; and what every worker shares, read-only once a run starts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.h"
#include "io/batch.h"
#include "io/completion.h"
#include "io/header_map.h"
#include "io/normalize.h"

namespace epil::io::detail {

constexpr size_t kBatchRows = 2048;

// Rows travel between threads in batches: the input cells copied into one buffer, and the
// appended cells written into another.
struct Batch {
  std::vector<int64_t> row_number;
  std::vector<uint32_t> row_cells;  // per row: index of its first cell in `cells`; + end
  std::vector<std::pair<uint32_t, uint32_t>> cells;  // offset, length in `text`
  std::string text;
  // Per input cell, its format (TableReader::row_formats()), when the reader tells them;
  // empty when every cell is text.
  std::vector<uint16_t> formats;
  std::vector<uint32_t> out_cells;  // per row: its start in out_text, then each added cell's end
  std::string out_text;
  std::string encoded;           // the output rows as the writer encodes them, if it does
  std::vector<int16_t> outcome;  // per row; -1 error
  std::vector<int16_t> region;   // per row; -1 unknown
  std::vector<int16_t> breakdown;
  std::vector<RowError> errors;
  // Per row: its cells lie in `text` one after another, joined by the writer's joiner(), as
  // the reader found them; then the worker may copy them through (TableWriter::encode_joined).
  std::vector<uint8_t> joined;
  int64_t evaluated = 0;  // rows whose rules were evaluated (not taken from their shape)
  bool done = false;      // screened: set by the worker, read by the writing thread, under the
                          // run's mutex

  size_t rows() const { return row_number.size(); }
  // Empties the batch for reuse, keeping the buffers' capacity.
  void clear() {
    row_number.clear();
    row_cells.clear();
    cells.clear();
    text.clear();
    formats.clear();
    out_cells.clear();
    out_text.clear();
    encoded.clear();
    outcome.clear();
    region.clear();
    breakdown.clear();
    errors.clear();
    joined.clear();
    evaluated = 0;
    done = false;
  }
  std::string_view cell(size_t row, size_t c) const {
    uint32_t first = row_cells[row], last = row_cells[row + 1];
    if (first + c >= last) return {};
    auto [off, len] = cells[first + c];
    return std::string_view(text).substr(off, len);
  }
  size_t width(size_t row) const { return row_cells[row + 1] - row_cells[row]; }
  // Appends a row's input cells' formats to `out`, as input_cells() appends the cells.
  void input_formats(size_t row, size_t header_width, std::vector<uint16_t>& out) const {
    uint32_t first = row_cells[row], last = row_cells[row + 1];
    for (size_t c = 0; c < header_width; ++c) {
      out.push_back(first + c < last ? formats[first + c] : uint16_t{kTextCell});
    }
  }
  // Appends a row's input cells to `out`: as many as the header has, so that the appended
  // columns stay in place. A short row is padded with empty cells; a row wider than the header
  // is an error row (Worker::wider_than_header) whose extra cells its explanation quotes.
  void input_cells(size_t row, size_t header_width, std::vector<std::string_view>& out) const {
    for (size_t c = 0; c < header_width; ++c) out.push_back(cell(row, c));
  }
  // A joined row's cells with what joins them.
  std::string_view joined_text(size_t row) const {
    uint32_t first = row_cells[row], last = row_cells[row + 1] - 1;
    size_t from = cells[first].first, to = cells[last].first + cells[last].second;
    return std::string_view(text).substr(from, to - from);
  }
  std::string_view added(size_t row, size_t k, size_t n_added) const {
    uint32_t from = out_cells[row * (n_added + 1) + k], to = out_cells[row * (n_added + 1) + k + 1];
    return std::string_view(out_text).substr(from, to - from);
  }
};

// What every worker needs, read-only once the run starts.
struct Shared {
  const Ruleset* rs = nullptr;
  const FieldIndex* index = nullptr;
  const HeaderMap* map = nullptr;
  const std::vector<std::string>* header = nullptr;
  std::vector<const CompiledRuleset*> programs;  // per config region
  const Config* config = nullptr;
  int default_region = -1;
  std::vector<Value> start;  // per input field: its default, or unknown
  LateDates late;            // dates that may not follow the review date
  Completion completion;     // inputs other cells say (io/completion.h)
  int breakdown_field = -1;
  BatchOptions options;
  size_t n_added = 0;
};

}  // namespace epil::io::detail
