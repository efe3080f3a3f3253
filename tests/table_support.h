// A table read to the end, for the reader tests (CSV, JSON Lines): every row, the line each
// starts on, the error that stopped reading, and whether progress only ever moved forward.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/table.h"

namespace epil::testing {

using Rows = std::vector<std::vector<std::string>>;

struct Table {
  bool opened = false;
  std::vector<std::string> header;
  Rows rows;
  std::vector<int64_t> lines;  // position().row of each row
  std::optional<io::TableError> error;
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
  bool progress_monotonic = true;
};

/// Reads `reader` (null when opening failed, with `t.error` already set) to the end into `t`.
inline Table drain(std::unique_ptr<io::TableReader> reader, Table t) {
  if (!reader) return t;
  t.opened = true;
  t.header = reader->header();
  std::vector<std::string_view> cells;
  uint64_t last = reader->bytes_read();
  while (reader->next(cells)) {
    t.rows.emplace_back(cells.begin(), cells.end());
    t.lines.push_back(reader->position().row);
    if (reader->bytes_read() < last) t.progress_monotonic = false;
    last = reader->bytes_read();
  }
  t.error = reader->error();
  t.bytes_read = reader->bytes_read();
  t.bytes_total = reader->bytes_total();
  return t;
}

}  // namespace epil::testing
