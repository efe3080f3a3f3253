#include "io/ledger.h"

#include <algorithm>

#include "core/messages.h"
#include "core/text.h"
#include "io/header_map.h"

namespace epil::io {

namespace {

constexpr size_t kMaxHeaderRow = 1000;

// A row read before the header was known: its text, formats and position, kept.
struct HeldRow {
  std::vector<std::string> cells;
  std::vector<uint16_t> formats;
  TablePosition at;
};

class LedgerReader : public TableReader {
 public:
  LedgerReader(std::unique_ptr<TableReader> in, std::vector<HeldRow> held, size_t header_at,
               bool filled)
      : in_(std::move(in)), held_(std::move(held)) {
    header_ = held_[header_at].cells;
    header_row_ = held_[header_at].at.row;
    if (filled) fill_from_above(header_, held_[header_at - 1].cells);
    for (size_t r = 0; r < header_at; ++r) preamble_.push_back(held_[r].cells);
    next_held_ = header_at + 1;
  }

  const std::vector<std::string>& header() const override { return header_; }
  bool next(std::vector<std::string_view>& cells) override {
    if (next_held_ < held_.size()) {
      const HeldRow& row = held_[next_held_++];
      cells.assign(row.cells.begin(), row.cells.end());
      formats_ = row.formats;
      at_ = row.at;
      from_held_ = true;
    } else {
      from_held_ = false;
      if (!in_->next(cells)) return false;
    }
    if (cells.size() < header_.size()) cells.resize(header_.size());
    return true;
  }
  TablePosition position() const override { return from_held_ ? at_ : in_->position(); }
  const std::optional<TableError>& error() const override { return in_->error(); }
  const std::vector<CellFormat>& cell_formats() const override { return in_->cell_formats(); }
  const std::vector<uint16_t>& row_formats() const override {
    return from_held_ ? formats_ : in_->row_formats();
  }
  const std::vector<std::vector<std::string>>& preamble() const override { return preamble_; }
  int64_t header_row() const override { return header_row_; }
  uint64_t bytes_read() const override { return in_->bytes_read(); }
  uint64_t bytes_total() const override { return in_->bytes_total(); }

  // A header cell a vertically merged cell leaves empty (案件编号 over two rows) takes the text
  // above it; a group header's own cells (损害情况) stay in the row above.
  static void fill_from_above(std::vector<std::string>& row,
                              const std::vector<std::string>& above) {
    if (row.size() < above.size()) row.resize(above.size());
    for (size_t c = 0; c < row.size(); ++c) {
      if (trim_space(row[c]).empty() && c < above.size()) row[c] = above[c];
    }
  }

 private:
  std::unique_ptr<TableReader> in_;
  std::vector<HeldRow> held_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> preamble_;
  size_t next_held_ = 0;
  int64_t header_row_ = 1;
  bool from_held_ = false;
  std::vector<uint16_t> formats_;
  TablePosition at_;
};

// The first rows of `in`, its header among them, as text.
std::vector<HeldRow> hold_rows(TableReader& in, int64_t up_to_row) {
  std::vector<HeldRow> held;
  held.push_back({in.header(), {}, TablePosition{1, 0, {}}});
  std::vector<std::string_view> cells;
  // A header row asked for lies among the first kMaxHeaderRow rows: nothing more is held.
  while (held.size() < static_cast<size_t>(kHeaderSearchRows) ||
         (held.back().at.row < up_to_row && held.size() < kMaxHeaderRow)) {
    if (!in.next(cells)) break;
    HeldRow row;
    row.cells.assign(cells.begin(), cells.end());
    row.formats = in.row_formats();
    row.at = in.position();
    held.push_back(std::move(row));
  }
  return held;
}

}  // namespace

std::unique_ptr<TableReader> find_header(std::unique_ptr<TableReader> in, const Ruleset& rs,
                                         const FieldIndex& index, int64_t header_row,
                                         const std::string& file,
                                         std::optional<TableError>& error) {
  // A read error among the first rows is told where the run tells it (the reader keeps it):
  // the rows before it are held, the header found among them.
  std::vector<HeldRow> held = hold_rows(*in, header_row);
  size_t best = 0;
  bool filled = false;
  if (header_row > 0) {
    const auto at = std::find_if(held.begin(), held.end(),
                                 [&](const HeldRow& r) { return r.at.row == header_row; });
    if (at == held.end()) {
      error =
          make_table_error(file, header_row, 0, {}, message(Msg::kHeaderRowMissing, header_row));
      return nullptr;
    }
    best = static_cast<size_t>(at - held.begin());
    filled = best > 0;
  } else {
    // The first row stays the header unless a later one names more (so that a plain sheet
    // reads as it always has); a row filled from the one above competes too.
    int best_score = header_score(held[0].cells, rs, index);
    for (size_t r = 1; r < held.size(); ++r) {
      std::vector<std::string> with_above = held[r].cells;
      LedgerReader::fill_from_above(with_above, held[r - 1].cells);
      const int plain = header_score(held[r].cells, rs, index);
      const int joined = header_score(with_above, rs, index);
      if (std::max(plain, joined) > best_score) {
        best = r;
        best_score = std::max(plain, joined);
        filled = joined > plain;
      }
    }
  }
  // (The first row as header: the rows held go back as they were read.)
  return std::make_unique<LedgerReader>(std::move(in), std::move(held), best, filled);
}

}  // namespace epil::io
