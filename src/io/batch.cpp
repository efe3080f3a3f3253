#include "io/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/excerpt.h"
#include "core/epil.h"
#include "core/shape_index.h"
#include "core/stable_array.h"
#include "io/case_input.h"
#include "io/header_map.h"
#include "io/json.h"
#include "io/normalize.h"
#include "io/report.h"

namespace epil::io {

namespace {

constexpr size_t kBatchRows = 2048;
constexpr int kMaxErrorsKept = 10;
constexpr size_t kMaxUnmatchedListed = 20;  // columns no field reads, listed in the summary

// Rows travel between threads in batches: the input cells copied into one buffer, and the
// appended cells written into another.
struct Batch {
  std::vector<int64_t> row_number;
  std::vector<uint32_t> row_cells;  // per row: index of its first cell in `cells`; + end
  std::vector<std::pair<uint32_t, uint32_t>> cells;  // offset, length in `text`
  std::string text;
  std::vector<uint32_t> out_cells;  // per row: its start in out_text, then each added cell's end
  std::string out_text;
  std::string encoded;  // the output rows as the writer encodes them, if it does
  std::vector<int16_t> outcome;  // per row; -1 error
  std::vector<int16_t> region;   // per row; -1 unknown
  std::vector<int16_t> breakdown;
  std::vector<RowError> errors;
  // Per row: its cells lie in `text` one after another, joined by the writer's joiner(), as
  // the reader found them; then the worker may copy them through (TableWriter::encode_joined).
  std::vector<uint8_t> joined;
  int64_t evaluated = 0;  // rows whose rules were evaluated (not taken from their shape)
  bool done = false;  // screened: set by the worker, read by the writing thread, under the
                      // run's mutex

  size_t rows() const { return row_number.size(); }
  // Empties the batch for reuse, keeping the buffers' capacity.
  void clear() {
    row_number.clear();
    row_cells.clear();
    cells.clear();
    text.clear();
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
  LateDates late;             // dates that may not follow the review date
  int breakdown_field = -1;
  BatchOptions options;
  size_t n_added = 0;
};

// What a cell of one column reads as, remembered per worker: columns such as region, damage
// type and the yes/no facts hold a handful of distinct texts, so reading each text once saves
// the folding and lookups on every other row. A column whose texts rarely repeat (amounts,
// case numbers) turns its cache off after a trial.
class ColumnCache {
 public:
  struct Entry {
    std::string text;
    std::variant<Value, ValueError> value;
    std::string string_value;  // owns the characters of a string Value
  };

  const Entry* find(std::string_view text) {
    if (!enabled_) return nullptr;
    ++lookups_;
    uint64_t h = hash(text);
    // A slot holds the entry's index and the high half of its text's hash: probing compares
    // the hash first and reads an entry (likely a cache miss) only when that matches.
    uint64_t tag = h >> 32 << 32;
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint64_t slot = slots_[i];
      if (slot == 0) break;
      if ((slot & ~0xffffffffULL) != tag) continue;
      const Entry& e = entries_[(slot & 0xffffffffULL) - 1];
      if (e.text == text) {
        ++hits_;
        return &e;
      }
    }
    if (lookups_ == kTrial && hits_ * 2 < lookups_) enabled_ = false;
    return nullptr;
  }

  const Entry* add(std::string_view text, std::variant<Value, ValueError> value) {
    if (!enabled_ || entries_.size() >= kMaxEntries) return nullptr;
    Entry& e = entries_.emplace_back();
    e.text = text;
    e.value = std::move(value);
    if (Value* v = std::get_if<Value>(&e.value); v && v->kind == Value::kString) {
      e.string_value = v->as_string();
      *v = Value::string(e.string_value);
    }
    if (entries_.size() * 2 > slots_.size()) {
      // At most half full: grow, so that a column of few texts keeps a table small enough
      // to stay in the nearest cache.
      slots_.assign(slots_.size() * 2, 0);
      for (size_t k = 0; k + 1 < entries_.size(); ++k) place(entries_[k].text, k + 1);
    }
    place(text, entries_.size());
    return &e;
  }

 private:
  static constexpr size_t kMaxEntries = 2048;
  // Slot: the high half of the text's hash, and the entry's index + 1 (0 is an empty slot).
  void place(std::string_view text, size_t index_1) {
    uint64_t h = hash(text);
    size_t mask = slots_.size() - 1;
    size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = (h >> 32 << 32) | index_1;
  }
  static constexpr int64_t kTrial = 4096;
  // Eight bytes at a time, each word mixed by a multiply (cells are short: one or two words).
  // The last word is read with loads of fixed size that stay inside the text (overlapping
  // the previous word when the text is long enough): copying the 1-7 bytes left into a
  // zeroed word makes the load that follows wait for the bytes stored one by one.
  static uint64_t hash(std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = n * 0x9e3779b97f4a7c15ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      h = (h ^ load<uint64_t>(p + i)) * 0xff51afd7ed558ccdULL;
      h ^= h >> 32;
    }
    uint64_t w = 0;
    if (n >= 8) {
      w = i == n ? 0 : load<uint64_t>(p + n - 8);
    } else if (n >= 4) {
      w = load<uint32_t>(p) | static_cast<uint64_t>(load<uint32_t>(p + n - 4)) << 32;
    } else if (n > 0) {
      w = static_cast<uint8_t>(p[0]) | static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8 |
          static_cast<uint64_t>(static_cast<uint8_t>(p[n - 1])) << 16;
    }
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
  }
  template <class T>
  static T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  std::deque<Entry> entries_;  // a deque: entries never move, string Values point into them
  std::vector<uint64_t> slots_ = std::vector<uint64_t>(64, 0);
  int64_t lookups_ = 0, hits_ = 0;
  bool enabled_ = true;
};

// The appended cells of a screened row as they follow from its decision: texts fixed for
// every row of the same shape, and places for the cells each row computes from its own
// amounts and dates (reported results, the margin, advisories that quote the row's values).
struct RowTemplate {
  enum Kind : uint8_t { kText, kResult, kMargin, kAdvisories };
  struct Part {
    Kind kind = kText;
    int arg = -1;           // kResult: the result
    std::string_view text;  // kText: the worker's (make_template), copied by pack();
                            // encoded by the writer (TableWriter::encode_added) if it encodes
    int cells = 1;          // kText: the cells it holds (adjacent encoded texts are one part)
  };
  std::vector<Part> parts;
  int value_node = -1, threshold_node = -1;  // kMargin: the comparison shown
  std::vector<MessagePart> message;          // kAdvisories: texts and the fields quoted
  bool beyond_calendar = false;  // a reported date falls beyond the holiday calendars
};

// A shape as the rows of it read it, in one piece: the decision's fields every row needs, the
// template's parts, then their texts. The rows that find a remembered shape read this and
// nothing else of it, from one place (a shape's decision and texts in separate allocations
// cost a row several cache misses, one after another).
struct PackedShape {
  struct Part {
    RowTemplate::Kind kind;
    uint16_t cells;  // kText: the cells it holds
    int32_t arg;     // kResult: the result
    uint32_t offset, size;  // kText: its bytes, from the start of the record
  };
  int32_t epoch;     // of the thresholds read (CompiledRuleset::recall)
  int16_t outcome;
  uint8_t unreadable;  // 1: the conduct date is after the review date; 2: strict, no value
  int32_t value_node, threshold_node;         // kMargin: the comparison shown
  const std::vector<MessagePart>* message;    // kAdvisories: texts and the fields quoted
  uint32_t n_parts, bytes;                    // bytes: the whole record's, a multiple of 8

  const Part* parts() const { return reinterpret_cast<const Part*>(this + 1); }
  std::string_view text(const Part& part) const {
    return {reinterpret_cast<const char*>(this) + part.offset, part.size};
  }
};
static_assert(std::is_trivially_copyable_v<PackedShape> && alignof(PackedShape) <= 8);

// The shapes remembered in a run, shared by its workers (core/shape_index.h): a shape one
// worker evaluated is found by all, so a file's shapes are each evaluated about once.
// Looking up takes no lock; remembering a new shape does.
struct ShapeStore {
  // 32,768 shapes: a file of more shapes evaluates the rows of the rest one by one. The
  // corrected rulesets tell more situations apart (about 27,000 shapes in the 1M-row bench
  // file, 25,000 in the debtors'); at the cap a 10M-row run stays near 51 MiB.
  static constexpr size_t kMaxShapes = 32768;
  // Fields no column gives keep their start value on every row: constant to the index.
  // `max_shapes` is at most kMaxShapes, fewer for a small file (room reserved in proportion
  // to the input: a 14-row file needs no 100 MB of address space).
  ShapeStore(size_t max_shapes, const std::vector<bool>& constant_inputs)
      : index(max_shapes, constant_inputs), records(max_shapes * 256) {}
  ShapeIndex index;  // payload: where the shape's record starts in `records`, in words
  std::mutex mu;     // guards what follows, and index.add()
  // The records, one after another (about 600 bytes a shape; room for 2 KB a shape is
  // reserved): a record is written before add() links it, and read by finders while later
  // ones are added.
  StableArray<uint64_t> records;
  std::deque<std::vector<MessagePart>> messages;  // the records' advisories split for filling

  const PackedShape& record(int at) const {
    return *reinterpret_cast<const PackedShape*>(&records[static_cast<size_t>(at)]);
  }
};

// Room for the shapes a file may have: a row takes at least a byte per column (its separators),
// and four times that allows for a compressed input (XLSX). A file of unknown size (a pipe)
// gets the full room.
size_t shape_room(uint64_t file_bytes, size_t columns) {
  if (file_bytes == 0) return ShapeStore::kMaxShapes;
  return static_cast<size_t>(std::clamp<uint64_t>(4 * file_bytes / std::max<size_t>(1, columns),
                                                  256, ShapeStore::kMaxShapes));
}

std::vector<std::string> plausible_fields(const Ruleset& rs, const std::string& header,
                                          std::vector<std::string> nearest);

// The columns no field reads, for the summary: all counted, the first few listed with the
// fields close to them.
void list_unmatched(const Ruleset& rs, const std::vector<std::string>& header,
                    const HeaderMap& map, const FieldIndex& index, BatchSummary& summary) {
  summary.unmatched_count = static_cast<int64_t>(map.unmatched_columns.size());
  for (int c : map.unmatched_columns) {
    if (summary.unmatched.size() == kMaxUnmatchedListed) break;
    const std::string& h = header[static_cast<size_t>(c)];
    summary.unmatched.push_back({c + 1, h, plausible_fields(rs, h, index.nearest(h, 2))});
  }
}

// Of the fields nearest an unmatched header, those it could plausibly mean: a Chinese header
// sharing a character with the field's label, or a spelling within half its length of the
// key or a label. "备注" is then said to be near nothing rather than near 长江流域.
std::vector<std::string> plausible_fields(const Ruleset& rs, const std::string& header,
                                          std::vector<std::string> nearest) {
  const std::string h = fold_key(header);
  auto plausible = [&](const FieldDef& d) {
    for (size_t i = 0; i < d.label.zh.size();) {
      const size_t n = decode_utf8(d.label.zh, i).length;
      if (n > 1 && h.find(d.label.zh.substr(i, n)) != std::string::npos) return true;
      i += n ? n : 1;
    }
    for (const std::string& name : {d.key, d.label.en, d.label.zh}) {
      if (!name.empty() && 2 * edit_distance(h, fold_key(name)) <= h.size()) return true;
    }
    return false;
  };
  std::erase_if(nearest, [&](const std::string& key) {
    const int f = rs.find_field(key);
    return f < 0 || !plausible(rs.fields[f]);
  });
  return nearest;
}

class Worker {
 public:
  Worker(const Shared& s, ShapeStore& store, const TableWriter* encoder)
      : s_(s), shapes_(store), encoder_(encoder) {
    // Only the columns a field reads get a cache: a sheet of a million columns that no field
    // reads costs a worker nothing per column.
    for (size_t c = 0; c < s.map->field_of_column.size(); ++c) {
      if (s.map->field_of_column[c] >= 0) reads_.push_back({c, s.map->field_of_column[c]});
    }
    columns_.resize(reads_.size());
  }

  void process(Batch& b) {
    b.out_cells.clear();
    b.out_text.clear();
    b.outcome.assign(b.rows(), -1);
    b.region.assign(b.rows(), -1);
    b.breakdown.assign(b.rows(), -1);
    b.encoded.clear();
    for (size_t r = 0; r < b.rows(); ++r) {
      if (!encoder_) b.out_cells.push_back(static_cast<uint32_t>(b.out_text.size()));
      row(b, r);
      if (encoder_) end_row(b);
    }
  }

 private:
  // Appended cells. A writer that encodes gets them encoded one by one after the row's input
  // cells (start_row); for the others they are kept as text, every cell but the row's first
  // starting where the previous one ended.
  void cell(Batch& b, std::string_view text) {
    if (encoder_) {
      encoder_->encode_added(added_count_++, text, b.encoded);
      return;
    }
    b.out_text.append(text);
    b.out_cells.push_back(static_cast<uint32_t>(b.out_text.size()));
  }
  // An appended cell already encoded (a template's text).
  void encoded_cell(Batch& b, std::string_view bytes, int cells) {
    b.encoded.append(bytes);
    added_count_ += static_cast<size_t>(cells);
  }

  // A writer that encodes gets the whole output row here on the worker, so that the writing
  // thread only copies bytes: the input cells as read (start_row, before the first appended
  // cell), the appended ones, and the row's end (end_row).
  void start_row(Batch& b, size_t r) {
    if (!encoder_) return;
    started_ = true;
    added_count_ = 0;
    no_input_ = false;
    if (!b.joined[r] || b.width(r) != s_.header->size() ||
        !encoder_->encode_joined(b.joined_text(r), b.width(r), b.encoded)) {
      row_cells_.clear();
      b.input_cells(r, s_.header->size(), row_cells_);
      encoder_->encode_input(row_cells_, b.encoded);
      no_input_ = row_cells_.empty();
    }
    first_added_ = b.encoded.size();
  }
  void end_row(Batch& b) {
    // Every way through row() starts the row before its first appended cell.
    assert(started_);
    started_ = false;
    encoder_->finish_row(b.encoded, first_added_, no_input_);
  }

  std::string column_name(size_t c) const {
    return c < s_.header->size() ? (*s_.header)[c] : fmt::format("#{}", c + 1);
  }

  void row(Batch& b, size_t r) {
    const Ruleset& rs = *s_.rs;
    bool zh = s_.options.lang == Lang::kZh;
    // Every field starts at its declared default (or unknown); a cell that states something,
    // even "unknown", replaces it.
    values_.assign(s_.start.begin(), s_.start.end());
    store_.clear();
    std::string problems, problems_zh;
    auto problem = [&](size_t column, std::string en, std::string zh_text) {
      RowError e;
      e.row = b.row_number[r];
      e.column = static_cast<int>(column) + 1;
      e.column_name = column < s_.header->size() ? column_name(column) : "";
      e.message = en;
      e.message_zh = zh_text;
      problems += (problems.empty() ? "" : "; ") + en;
      problems_zh += (problems_zh.empty() ? "" : "；") + zh_text;
      b.errors.push_back(std::move(e));
    };
    const bool wide = b.width(r) > s_.header->size();
    if (wide) {
      auto [en, zh_text] = wider_than_header(b, r);
      problem(s_.header->size(), std::move(en), std::move(zh_text));
    }
    for (size_t k = 0; !wide && k < reads_.size(); ++k) {
      const auto [c, f] = reads_[k];
      std::string_view text = b.cell(r, c);
      // A blank cell states nothing: the field's default applies. Words that say "unknown"
      // (不详, 未知, -) make the value unknown.
      if (trim_space(text).empty()) continue;
      ColumnCache& cache = columns_[k];
      const ColumnCache::Entry* hit = cache.find(text);
      if (!hit) {
        auto v = read_value(rs, *s_.index, f, in_header_unit(text, s_.map->unit_of_column[c]),
                            store_);
        hit = cache.add(text, v);
        if (!hit) {
          fresh_.value = std::move(v);
          hit = &fresh_;
        }
      }
      const auto& v = hit->value;
      if (auto* err = std::get_if<ValueError>(&v)) {
        const FieldDef& fd = rs.fields[f];
        problem(c,
                fmt::format("row {}, column {} ({}): {}", b.row_number[r], c + 1, column_name(c),
                            err->en),
                fmt::format("第 {} 行第 {} 列（{}）：{}", b.row_number[r], c + 1,
                            fd.label.zh.empty() ? column_name(c) : fd.label.zh, err->zh));
        continue;
      }
      values_[f] = std::get<Value>(v);
    }
    int region = s_.default_region;
    if (s_.map->region_column >= 0) {
      std::string_view text = b.cell(r, s_.map->region_column);
      if (int g = region_of(text); g != kUnknownRegion) {
        region = g;
        if (region < 0) {
          problem(s_.map->region_column,
                  fmt::format("row {}: unknown region '{}'", b.row_number[r],
                              excerpt(trim_space(text))),
                  fmt::format("第 {} 行：未知地区 '{}'", b.row_number[r], excerpt(trim_space(text))));
        }
      }
    }
    if (region < 0 && problems.empty()) {
      problem(
          s_.map->region_column >= 0 ? s_.map->region_column : 0,
          fmt::format("row {}: no region given (add a region column or --region)", b.row_number[r]),
          fmt::format("第 {} 行：未给出地区（请填地区列或使用 --region）", b.row_number[r]));
    }
    b.region[r] = static_cast<int16_t>(region);
    if (s_.breakdown_field >= 0 && values_[s_.breakdown_field].kind == Value::kEnum) {
      b.breakdown[r] = static_cast<int16_t>(values_[s_.breakdown_field].enum_index);
    }
    // A decision, event or other date after the review date is an input error, told before
    // any rule is read (the conduct date is the evaluation's own check).
    if (const int late = problems.empty() ? s_.late.first_late(values_.data(), s_.options.as_of) : -1;
        late >= 0) {
      problem(0,
              fmt::format("row {}: the {} is later than the review date", b.row_number[r],
                          rs.fields[late].label.en),
              fmt::format("第 {} 行：{}晚于审查日期", b.row_number[r], rs.fields[late].label.zh));
    }
    if (!problems.empty()) {
      start_row(b, r);
      unreadable_row(b, zh ? problems_zh : problems);
      return;
    }
    const CompiledRuleset& p = *s_.programs[region];
    current_region_ = region;
    // A row of a shape seen before takes that shape's decision and texts; only the cells
    // computed from its own amounts and dates are worked out again (core/shape_index.h).
    const PackedShape* seen = nullptr;
    uint64_t key = 0;
    bool keyed = s_.options.reuse_shapes && p.prepare_shape(values_.data(), s_.options.as_of,
                                                            s_.options.strict, ws_, key);
    if (keyed) {
      if (int at = shapes_.index.find(p, key, ws_); at >= 0) seen = &shapes_.record(at);
    }
    // A remembered shape is likely not in this core's cache: its first lines load while the
    // row's input cells are encoded.
    if (seen) {
      __builtin_prefetch(seen);
      __builtin_prefetch(reinterpret_cast<const char*>(seen) + 64);
      __builtin_prefetch(reinterpret_cast<const char*>(seen) + 128);
    }
    start_row(b, r);
    if (seen) {
      p.recall(seen->epoch, ws_);
    } else {
      // The shape is traced through the evaluation and the texts made from it.
      if (keyed) ws_.trace_into(&steps_);
      steps_.clear();
      p.evaluate(values_.data(), s_.options.as_of, s_.options.strict, ws_, d_);
      ++b.evaluated;
      if (d_.conduct_after_review || d_.strict_error) {
        // Such a decision is remembered too (its shape says it is one), without texts.
        ws_.trace_into(nullptr);
        pack(nullptr, nullptr);
      } else {
        make_template(p, fresh_cells_);
        ws_.trace_into(nullptr);
        pack(&fresh_cells_, &fresh_cells_.message);
      }
      seen = reinterpret_cast<const PackedShape*>(packed_.data());
      if (keyed) remember(p, key);
    }
    if (seen->unreadable) {
      if (seen->unreadable == 1) {
        problem(
            0,
            fmt::format("row {}: the conduct date is later than the review date", b.row_number[r]),
            fmt::format("第 {} 行：行为发生日期晚于审查日期", b.row_number[r]));
      } else {
        problem(0,
                fmt::format("row {}: a threshold used has no value on the date (strict)",
                            b.row_number[r]),
                fmt::format("第 {} 行：适用日期早于所用标准的最早生效日期（严格模式）",
                            b.row_number[r]));
      }
      unreadable_row(b, zh ? problems_zh : problems);
      return;
    }
    b.outcome[r] = seen->outcome;
    emit(b, p, *seen);
  }

  // A bare number in a column whose header names its unit ("损害数额（万元）") is in that
  // unit: 0.5 there is 0.5万元. A cell that writes its own unit keeps it.
  std::string_view in_header_unit(std::string_view text, const std::string& unit) {
    if (unit.empty()) return text;
    const std::string_view t = trim_space(text);
    if (t.empty() || t.back() < '0' || t.back() > '9') return text;
    with_unit_.assign(t);
    with_unit_ += unit;
    return with_unit_;
  }

  // A row with more cells than the header has had its cells read into the wrong columns:
  // in a CSV typed by hand, most often a number written with a thousands separator and not
  // quoted (3,500 becomes 3 and 500), which would otherwise be screened as 3 元. It is an
  // error row; its extra cells are quoted in the explanation (the output keeps the header's
  // columns, so nothing else moves).
  std::pair<std::string, std::string> wider_than_header(const Batch& b, size_t r) const {
    const size_t width = s_.header->size(), extra = b.width(r) - width;
    std::string cells;
    for (size_t c = width; c < b.width(r) && c < width + 3; ++c)
      cells += (cells.empty() ? "" : ", ") + ("'" + excerpt(b.cell(r, c), 40) + "'");
    if (extra > 3) cells += ", …";
    // 3,500: a cell of digits followed by one of exactly three digits.
    std::string split;
    for (size_t c = 0; c + 1 < b.width(r) && split.empty(); ++c) {
      std::string_view a = trim_space(b.cell(r, c)), n = trim_space(b.cell(r, c + 1));
      auto digits = [](std::string_view t) {
        return !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos;
      };
      if (digits(a) && a.size() <= 3 && n.size() == 3 && digits(n))
        split = fmt::format("{},{}", a, n);
    }
    const int64_t row = b.row_number[r];
    std::string en = fmt::format(
        "row {}: {} cell{} more than the header's {} columns ({}); the row's cells cannot be "
        "matched to their columns",
        row, extra, extra == 1 ? "" : "s", width, cells);
    std::string zh = fmt::format("第 {} 行：单元格比表头的 {} 列多 {} 个（{}），无法对应到各列",
                                 row, width, extra, cells);
    if (!split.empty()) {
      en += fmt::format("; '{}' may be one number written with a thousands separator: quote it "
                        "(\"{}\") or write it without the comma",
                        split, split);
      zh += fmt::format("；'{}' 可能是带千位分隔符的一个数字：请加引号（\"{}\"）或去掉逗号", split,
                        split);
    } else {
      en += "; give the extra columns a header, or quote cells that hold the separator";
      zh += "；请为多出的列加表头，或给含分隔符的单元格加引号";
    }
    return {std::move(en), std::move(zh)};
  }

  // The appended cells of a row that could not be screened: outcome "error", what was wrong
  // in the explanation column, the rest empty (same column count as a screened row).
  void unreadable_row(Batch& b, std::string_view problems) {
    bool zh = s_.options.lang == Lang::kZh;
    cell(b, "error");
    cell(b, zh ? "无法读取" : "unreadable");
    for (size_t o = 0; o < s_.rs->outputs.size() + s_.rs->results.size(); ++o) cell(b, "");
    cell(b, "error");  // reasons
    cell(b, "");       // missing facts
    cell(b, problems);
    for (int k = 0; k < 4; ++k) cell(b, "");  // thresholds, margin, advisories, fingerprint
  }

  // The region a cell names: its index, -1 for a name no region has, kUnknownRegion for a
  // cell that says "unknown" (the --region default applies).
  static constexpr int kUnknownRegion = -2;
  int region_of(std::string_view text) {
    // A file names few regions: a short list searched in order beats hashing every cell.
    for (const auto& [name, idx] : region_cache_) {
      if (name == text) return idx;
    }
    int idx = kUnknownRegion;
    if (!is_unknown_text(text)) {
      const Region* g = s_.config->find_region(text);
      idx = g ? static_cast<int>(g - s_.config->regions().data()) : -1;
    }
    if (region_cache_.size() < 256) region_cache_.emplace_back(std::string(text), idx);
    return idx;
  }

  // The appended cells of a screened row, from the decision in d_ and the case in ws_: fixed
  // texts where they follow from the decision alone, and places for the cells computed from
  // the row's own amounts and dates.
  // Its texts are the worker's until pack() copies them into the shape's record.
  void make_template(const CompiledRuleset& p, RowTemplate& t) {
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    bool zh = lang == Lang::kZh;
    const char* sep = zh ? "；" : "; ";
    t.parts.clear();
    row_texts_.clear();
    auto text = [&](std::string x) {
      std::string_view v;
      if (encoder_) {
        std::string e;
        encoder_->encode_added(t.parts.size(), x, e);
        x = std::move(e);
      }
      v = row_texts_.emplace_back(std::move(x));
      t.parts.push_back({RowTemplate::kText, -1, v});
    };
    text(rs.outcomes[d_.outcome].key);
    // What the outcome rests on that must be checked (a reported or example threshold) is
    // part of its label, as in epil screen's headline.
    text(rs.outcomes[d_.outcome].label.in(lang) +
         caveat_text(p, ws_, outcome_caveats(p, ws_, d_)).in(lang));
    for (size_t o = 0; o < rs.outputs.size(); ++o) {
      const OutputResult& r = d_.outputs[o];
      if (!r.applies) {
        text("");
      } else if (r.value >= 0) {
        text(rs.outputs[o].values[r.value].label.in(lang) +
             caveat_text(p, ws_, output_caveats(p, ws_, d_, o)).in(lang));
      } else {
        text(zh ? "待定" : "undetermined");
      }
    }
    template_results(p, t, text);
    // Reasons: the decision entry that decided, or the candidates.
    scratch_.clear();
    if (d_.decided_by >= 0) {
      scratch_ = rs.decisions[d_.decided_by].id;
    } else {
      for (uint64_t m = d_.candidates; m; m &= m - 1) {
        scratch_ += (scratch_.empty() ? "" : "|") + rs.outcomes[std::countr_zero(m)].key;
      }
    }
    text(scratch_);
    // Missing facts: those deciding the outcome, else those deciding an output.
    scratch_.clear();
    missing_.clear();
    if (d_.missing.empty()) d_.output_missing(missing_);
    const std::vector<int>& missing = d_.missing.empty() ? missing_ : d_.missing;
    for (int f : missing) {
      scratch_ += (scratch_.empty() ? "" : sep) + rs.fields[f].label.in(lang);
    }
    text(scratch_);
    // One sentence.
    if (d_.decided_by >= 0) {
      text(rs.decisions[d_.decided_by].reason.in(lang));
    } else {
      text(undecided_text(p));
    }
    // Thresholds compared, with status and source, and the first margin.
    brief_comparisons(p, ws_, d_, brief_);
    scratch_.clear();
    for (const auto& c : brief_) {
      scratch_ += (scratch_.empty() ? "" : sep) + threshold_text(p, c.cell);
    }
    text(scratch_);
    // The margin shown is that of the first comparison whose test failed (the limit that was
    // exceeded), else the first one.
    const BriefComparison* shown = brief_.empty() ? nullptr : &brief_.front();
    for (const auto& c : brief_) {
      if (p.value(ws_, p.test_slot(c.test)).truth() == Tri::kFalse) {
        shown = &c;
        break;
      }
    }
    if (shown) {
      t.parts.push_back({RowTemplate::kMargin, -1, {}});
      t.value_node = shown->value_node;
      t.threshold_node = shown->threshold_node;
    } else {
      text("");
    }
    // Advisories: a message that shows the row's own values is filled row by row.
    bool per_row = false;
    for (size_t a = 0; a < rs.advisories.size(); ++a) {
      per_row |= ((d_.advisories >> a) & 1ULL) &&
                 rs.advisories[a].message.in(lang).find('{') != std::string::npos;
    }
    if (per_row) {
      // Split once: per row only the fields quoted are shown.
      t.message.clear();
      advisories_text(p, t, d_, &t.message);
      t.parts.push_back({RowTemplate::kAdvisories, -1, {}});
    } else {
      text(advisories_text(p, t, d_));
    }
    text(p.fingerprint());
    if (encoder_) join_texts(t);
  }

  // Results reported for the outcome: a graded value is the shape's own, written once with
  // what it rests on; dates and amounts are each row's. Whether a period ends beyond the
  // published holiday calendars follows from the shape (the flag is part of it).
  template <typename TextPart>
  void template_results(const CompiledRuleset& p, RowTemplate& t, TextPart&& text) {
    const Ruleset& rs = *s_.rs;
    const Lang lang = s_.options.lang;
    t.beyond_calendar = false;
    for (size_t i = 0; i < rs.results.size(); ++i) {
      if (!p.result_reported(static_cast<int>(i), d_, ws_)) {
        text("");
        continue;
      }
      const int slot = p.result_slot(static_cast<int>(i));
      Value v = p.value(ws_, slot);
      t.beyond_calendar |= v.open_date();
      if (v.kind == Value::kEnum) {
        text(show_value(v, rs, rs.field_enum[slot], rs.fields[slot].unit_label, lang) +
             caveat_text(p, ws_, value_caveats(p, ws_, slot))
                 .in(lang));
        continue;
      }
      t.parts.push_back({RowTemplate::kResult, static_cast<int>(i), {}});
    }
  }

  // Encoded texts that follow one another become one part, each run copied once.
  void join_texts(RowTemplate& t) {
    size_t kept = 0;
    for (size_t i = 0, j; i < t.parts.size(); i = j) {
      RowTemplate::Part part = t.parts[i];
      j = i + 1;
      if (part.kind == RowTemplate::kText) {
        size_t bytes = part.text.size();
        for (; j < t.parts.size() && t.parts[j].kind == RowTemplate::kText; ++j) {
          bytes += t.parts[j].text.size();
        }
        if (j > i + 1) {
          std::string& run = row_texts_.emplace_back();  // a deque: earlier texts stay put
          run.reserve(bytes);
          part.cells = 0;
          for (size_t k = i; k < j; ++k) {
            run += t.parts[k].text;
            part.cells += t.parts[k].cells;
          }
          part.text = run;
        }
      }
      t.parts[kept++] = part;
    }
    t.parts.resize(kept);
  }

  // An undecided row's sentence: the outcomes still possible, the facts to give, and why it
  // is undecided besides them.
  std::string undecided_text(const CompiledRuleset& p) {
    const Ruleset& rs = *s_.rs;
    const Lang lang = s_.options.lang;
    const bool zh = lang == Lang::kZh;
    const char* comma = zh ? "、" : ", ";
    std::string out = zh ? "可能的结论：" : "could be: ";
    bool first = true;
    for (uint64_t m = d_.candidates; m; m &= m - 1, first = false) {
      (out += first ? "" : comma) += rs.outcomes[std::countr_zero(m)].label.in(lang);
    }
    if (!d_.missing.empty()) {
      out += zh ? "；需补充：" : "; give: ";
      first = true;
      for (int f : d_.missing) {
        (out += first ? "" : comma) += rs.fields[f].label.in(lang);
        first = false;
      }
    }
    return out + pending_text(p);
  }

  // Why the row is undecided besides missing facts, as epil screen says it: thresholds not in
  // force on the date, period ends in years without a shipped holiday arrangement.
  std::string pending_text(const CompiledRuleset& p) {
    const bool zh = s_.options.lang == Lang::kZh;
    std::string out;
    for (int cell : d_.pending_cells) {
      out += zh ? fmt::format("；{}在适用日期尚无施行中的数值（不是缺少事实）", threshold_name(p, cell))
                : fmt::format("; {} has no value in force on the date (not a missing fact)",
                              threshold_name(p, cell));
    }
    if (d_.pending_calendar) {
      out += zh ? "；期间届满日所在年份的节假日安排本配置未收录，是否届满须收录该年安排后确定"
                : "; a period ends in a year whose holiday arrangement is not in this "
                  "configuration's calendars: whether it has ended is known once that year is added";
    }
    if (d_.pending_arithmetic) {
      out += zh ? "；按规则计算的数额超出可表示的范围（或除以零），没有确定的结果"
                : "; an amount the rules compute is beyond the numbers epil can represent (or "
                  "divides by zero): it has no value";
    }
    return out;
  }

  // A threshold's name as a reader knows it: its label, and the enum value of an indexed one.
  std::string threshold_name(const CompiledRuleset& p, int cell) const {
    const Ruleset& rs = *s_.rs;
    const Lang lang = s_.options.lang;
    const int param = p.param_of_cell(cell);
    const ParamDef& pd = rs.params[param];
    std::string name = pd.label.in(lang).empty() ? pd.key : pd.label.in(lang);
    if (pd.index_enum >= 0) {
      const EnumValue& ev = rs.enums[pd.index_enum].values[cell - p.param_base(param)];
      name += "[" + (ev.label.in(lang).empty() ? ev.key : ev.label.in(lang)) + "]";
    }
    return name;
  }

  // The appended cells of one row: the template's texts, and its places filled from ws_.
  void emit(Batch& b, const CompiledRuleset& p, const PackedShape& t) {
    const PackedShape::Part* parts = t.parts();
    for (uint32_t i = 0; i < t.n_parts; ++i) {
      const PackedShape::Part& part = parts[i];
      switch (part.kind) {
        case RowTemplate::kText:
          if (encoder_) {
            encoded_cell(b, t.text(part), part.cells);
          } else {
            cell(b, t.text(part));
          }
          break;
        case RowTemplate::kResult:
          cell(b, result_text(p, part.arg));
          break;
        case RowTemplate::kMargin:
          cell(b, format_plain(comparison_margin(p.eval_node(t.value_node, ws_).num,
                                                 p.eval_node(t.threshold_node, ws_).num)));
          break;
        case RowTemplate::kAdvisories:
          scratch_.clear();
          for (const MessagePart& part : *t.message) {
            scratch_ += part.text;
            if (part.field >= 0) scratch_ += shown_field(p, ws_, part.field, s_.options.lang);
          }
          cell(b, scratch_);
          break;
      }
    }
  }

  // A reported result: dates as ISO dates, amounts as plain numbers.
  std::string result_text(const CompiledRuleset& p, int i) {
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    int slot = p.result_slot(i);
    Value v = p.value(ws_, slot);
    // A plain date stays a plain date (sortable in a spreadsheet); one that is only the
    // earliest it can be (a year without a shipped holiday arrangement) says so in the cell.
    if (v.kind == Value::kDate) {
      if (!v.open_date()) return v.as_date().iso();
      return lang == Lang::kZh ? "不早于 " + v.as_date().iso() : v.as_date().iso() + " or later";
    }
    if (v.kind == Value::kNumber) return format_plain(v.num);
    if (!v.known()) {
      return v.flags & Value::kBeyondCalendar
                 ? show_value(v, rs, -1, {}, lang)
                 : std::string(lang == Lang::kZh ? "无法判断" : "undetermined");
    }
    return show_value(v, rs, rs.field_enum[slot], rs.fields[slot].unit_label, lang);
  }

  // The advisories cell; with `parts`, also the same split where the row's own values go.
  std::string advisories_text(const CompiledRuleset& p, const RowTemplate& t, const Decision& d,
                              std::vector<MessagePart>* parts = nullptr) {
    const Ruleset& rs = *s_.rs;
    bool zh = s_.options.lang == Lang::kZh;
    const char* sep = zh ? "；" : "; ";
    std::string out;
    auto literal = [&](std::string_view x) {
      out += x;
      if (parts) {
        if (parts->empty() || parts->back().field >= 0) parts->emplace_back();
        parts->back().text += x;
      }
    };
    for (size_t a = 0; a < rs.advisories.size(); ++a) {
      if (!((d.advisories >> a) & 1ULL)) continue;
      if (!out.empty()) literal(sep);
      for (MessagePart& part : advisory_parts(p, ws_, d, a, s_.options.lang)) {
        literal(part.text);
        if (part.field < 0) continue;
        out += shown_field(p, ws_, part.field, s_.options.lang);
        if (parts) parts->back().field = part.field;
      }
    }
    if (t.beyond_calendar) {
      if (!out.empty()) literal(sep);
      literal(zh ? "标“不早于”的日期所在年份的节假日安排本配置未收录：如逢法定休假日或调休，实际"
                   "日期可能更晚，收录该年安排后即可确定"
                 : "a date marked \"or later\" falls in a year whose holiday arrangement is not "
                   "in this configuration's calendars: rest days or swapped working days may make "
                   "it later; it is settled once that year is added");
    }
    return out;
  }

  const std::string& threshold_text(const CompiledRuleset& p, int cell_index) {
    uint64_t key = (static_cast<uint64_t>(current_region_) << 48) |
                   (static_cast<uint64_t>(d_.epoch) << 24) | static_cast<uint32_t>(cell_index);
    auto it = threshold_cache_.find(key);
    if (it != threshold_cache_.end()) return it->second;
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    const ParamDef& pd = rs.params[p.param_of_cell(cell_index)];
    const ParamCell& pc = p.epoch(d_.epoch).cells[cell_index];
    std::string text = fmt::format("{} {}", threshold_name(p, cell_index),
                                   show_value(pc.value, rs, -1, pd.unit_label, lang));
    if (pc.provenance >= 0) {
      const DatedValue& v = *p.provenance(pc.provenance).value;
      text += lang == Lang::kZh
                  ? fmt::format("（{}，{}）", status_label(v.status).zh, v.source.document)
                  : fmt::format(" ({}, {})", status_label(v.status).en, v.source.document);
    }
    return threshold_cache_.emplace(key, std::move(text)).first->second;
  }

  // The decision in d_ and template `t` (none for an unreadable decision) as one record, in
  // packed_.
  void pack(const RowTemplate* t, const std::vector<MessagePart>* message) {
    size_t n_parts = t ? t->parts.size() : 0;
    size_t text_bytes = 0;
    for (size_t i = 0; i < n_parts; ++i) text_bytes += t->parts[i].text.size();
    size_t head = sizeof(PackedShape) + n_parts * sizeof(PackedShape::Part);
    size_t bytes = (head + text_bytes + 7) / 8 * 8;
    packed_.assign(bytes / 8, 0);
    char* base = reinterpret_cast<char*>(packed_.data());
    PackedShape h{};
    h.epoch = d_.epoch;
    h.outcome = static_cast<int16_t>(d_.outcome);
    h.unreadable = d_.conduct_after_review ? 1 : d_.strict_error ? 2 : 0;
    h.value_node = t ? t->value_node : -1;
    h.threshold_node = t ? t->threshold_node : -1;
    h.message = message;
    h.n_parts = static_cast<uint32_t>(n_parts);
    h.bytes = static_cast<uint32_t>(bytes);
    std::memcpy(base, &h, sizeof h);
    size_t at = head;
    for (size_t i = 0; i < n_parts; ++i) {
      const RowTemplate::Part& from = t->parts[i];
      PackedShape::Part part{from.kind, static_cast<uint16_t>(from.cells), from.arg,
                             static_cast<uint32_t>(at), static_cast<uint32_t>(from.text.size())};
      std::memcpy(base + sizeof(PackedShape) + i * sizeof part, &part, sizeof part);
      if (!from.text.empty()) std::memcpy(base + at, from.text.data(), from.text.size());
      at += from.text.size();
    }
  }

  // Remembers the record in packed_ for the shape traced in steps_.
  void remember(const CompiledRuleset& p, uint64_t key) {
    if (shapes_.index.full()) return;
    std::lock_guard<std::mutex> lock(shapes_.mu);
    if (shapes_.index.full() || !shapes_.records.room(packed_.size())) return;
    // Written before add() links it, so finders see it whole.
    size_t before = shapes_.records.size();
    PackedShape& kept = *reinterpret_cast<PackedShape*>(
        &shapes_.records[shapes_.records.append(packed_.data(), packed_.size())]);
    if (kept.message && !kept.message->empty()) {
      kept.message = &shapes_.messages.emplace_back(*kept.message);
    } else {
      kept.message = nullptr;
    }
    if (!shapes_.index.add(p, key, steps_, static_cast<int>(before))) {
      shapes_.records.shrink(before);  // not linked: no reader has it
      if (kept.message) shapes_.messages.pop_back();
    }
  }

  const Shared& s_;
  ShapeStore& shapes_;
  Workspace ws_;
  Decision d_;
  std::deque<std::string> row_texts_;  // the texts of the template made last
  std::vector<ShapeStep> steps_;
  RowTemplate fresh_cells_;
  std::vector<uint64_t> packed_;  // the record of the shape evaluated last (pack())
  std::vector<Value> values_;
  std::deque<std::string> store_;
  std::vector<BriefComparison> brief_;
  std::vector<int> missing_;  // inputs undetermined outputs wait for
  std::string scratch_;
  std::vector<std::pair<std::string, int>> region_cache_;
  std::unordered_map<uint64_t, std::string> threshold_cache_;  // program, epoch, cell → text
  const TableWriter* encoder_;
  std::vector<std::pair<size_t, int>> reads_;  // the columns fields read: column, field
  std::vector<ColumnCache> columns_;            // per entry of reads_
  ColumnCache::Entry fresh_;  // a value read but not cached
  std::string with_unit_;     // a bare number with its header's unit (in_header_unit)
  int current_region_ = -1;
  std::vector<std::string_view> row_cells_;
  size_t added_count_ = 0;  // the row's appended cells so far (when the writer encodes)
  size_t first_added_ = 0;  // where they start in the batch's bytes
  bool no_input_ = false;   // the row has no input cells
  bool started_ = false;    // start_row() was called for the row being screened
};

}  // namespace

std::vector<std::string> added_keys(const Ruleset& rs) {
  std::vector<std::string> k{"outcome", "outcome_label"};
  for (const auto& o : rs.outputs) k.push_back(o.key);
  for (const auto& r : rs.results) k.push_back(r.field);
  for (const char* x : {"reasons", "missing", "explanation", "thresholds", "margin", "advisories",
                        "fingerprint"}) {
    k.push_back(x);
  }
  return k;
}

namespace {

std::vector<std::string> added_header(const Ruleset& rs, Lang lang) {
  bool zh = lang == Lang::kZh;
  std::vector<std::string> h;
  h.push_back(zh ? "筛查结论" : "outcome");
  h.push_back(zh ? "结论说明" : "outcome label");
  for (const auto& o : rs.outputs) h.push_back(o.label.in(lang).empty() ? o.key : o.label.in(lang));
  for (const auto& r : rs.results) {
    int f = rs.find_field(r.field);
    h.push_back(f < 0 || rs.fields[f].label.in(lang).empty() ? r.field
                                                              : rs.fields[f].label.in(lang));
  }
  h.push_back(zh ? "理由代码" : "reasons");
  h.push_back(zh ? "缺少的事实" : "missing facts");
  h.push_back(zh ? "说明" : "explanation");
  h.push_back(zh ? "适用标准及状态" : "thresholds (status, source)");
  h.push_back(zh ? "差额" : "margin");
  h.push_back(zh ? "提示" : "advisories");
  h.push_back(zh ? "配置指纹" : "fingerprint");
  return h;
}

}  // namespace

namespace {

std::optional<BatchSummary> screen_all(Config& config, const Ruleset& rs, TableReader& in,
                                       const std::string& input_name, TableWriter& out,
                                       const BatchOptions& options, Findings& findings) {
  auto started = std::chrono::steady_clock::now();
  FieldIndex index(rs);
  const std::vector<std::string>& header = in.header();
  // A region column is needed only when regions set their own values for this ruleset; when
  // none does (the credit rules are national law), every row takes the root's values.
  const Region* root = config.root_region();
  const bool regional = config.regional(rs);
  HeaderMap map = map_header(header, rs, index, options.maps,
                             !options.region.empty() || !regional, input_name, findings);
  if (!findings.ok()) return std::nullopt;

  Shared s;
  s.rs = &rs;
  s.index = &index;
  s.map = &map;
  s.header = &header;
  s.config = &config;
  s.options = options;
  const Region* overlay = nullptr;
  if (!options.overlay.empty()) {
    overlay = config.find_overlay(options.overlay);
    if (!overlay) {
      findings.error("unknown-overlay", "--overlay", 0, 0,
                     fmt::format("unknown overlay '{}'", options.overlay),
                     fmt::format("未知叠加配置 '{}'", options.overlay));
      return std::nullopt;
    }
  }
  for (const auto& r : config.regions()) {
    if (r.overlay) {  // never a row's region: find_region does not return overlays
      s.programs.push_back(nullptr);
      continue;
    }
    // A region that sets nothing of this ruleset decides as the nearest one above it that does
    // (most provinces: the national root): one program for them all, so that they compile
    // once and share remembered shapes.
    const Region* deciding = &r;
    for (const Region* up : config.chain(r)) {
      deciding = up;
      if (up->parameters.count(rs.id)) break;
    }
    const CompiledRuleset* p = config.compiled(rs, *deciding, overlay);
    if (!p) {
      findings.append(config.compile_findings());
      return std::nullopt;
    }
    s.programs.push_back(p);
  }
  if (!options.region.empty()) {
    const Region* g = config.find_region(options.region);
    if (!g) {
      findings.error("unknown-region", "--region", 0, 0,
                     fmt::format("unknown region '{}'", options.region),
                     fmt::format("未知地区 '{}'", options.region));
      return std::nullopt;
    }
    s.default_region = static_cast<int>(g - config.regions().data());
  } else if (!regional && root) {
    s.default_region = static_cast<int>(root - config.regions().data());
  }
  s.late = rs.late_dates();
  s.start.assign(rs.input_count(), Value::unknown());
  std::deque<std::string> store;
  for (int f = 0; f < static_cast<int>(s.start.size()); ++f) {
    if (!rs.fields[f].default_text) continue;
    auto v = read_value(rs, index, f, *rs.fields[f].default_text, store);
    if (auto* x = std::get_if<Value>(&v); x && x->known()) {
      s.start[f] = *x;
      s.start[f].flags |= Value::kDefaulted;
    }
  }
  for (int f = 0; f < rs.input_count(); ++f) {
    if (rs.fields[f].required && rs.field_enum[f] >= 0) {
      s.breakdown_field = f;
      break;
    }
  }
  std::vector<std::string> out_header = header;
  std::vector<std::string> added = added_header(rs, options.lang);
  s.n_added = added.size();
  out_header.insert(out_header.end(), added.begin(), added.end());
  if (!out.header(out_header)) {
    findings.error("write", input_name, 0, 0, "cannot write the output", "无法写入输出");
    return std::nullopt;
  }

  // Three kinds of thread: a reader fills batches of rows (reading overlaps writing: inflating
  // and parsing an XLSX sheet, parsing CSV), workers screen them, and the calling thread
  // writes finished batches in input order (libxlsxwriter, the kernel's copy of the output).
  // More workers than cores only take turns, each with its own buffers and caches: --threads
  // is capped at the cores and at the threads limit.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n_threads = static_cast<int>(std::min<uint64_t>(
      {static_cast<uint64_t>(options.threads > 0 ? options.threads : cores),
       static_cast<uint64_t>(cores), std::max<uint64_t>(options.limits.threads, 1)}));
  std::mutex mu;
  std::condition_variable work_cv, done_cv, room_cv;
  std::deque<Batch*> work;  // to screen
  bool stopping = false;    // workers: no more work will come
  bool reading_done = false;
  std::atomic<bool> stop_reading{false};  // set under mu; the reader also reads it row by row
  std::exception_ptr failure;             // the first exception a thread met (under mu)
  std::atomic<uint64_t> bytes_read{0};
  std::vector<bool> constant_inputs(static_cast<size_t>(rs.input_count()), true);
  for (int f : s.map->field_of_column) {
    if (f >= 0) constant_inputs[static_cast<size_t>(f)] = false;
  }
  // An input whose default another fact may withhold is the same in every row only if that
  // fact is too (the rules are the ruleset's, whichever region's program is asked), until
  // nothing changes: a condition may read an input that is itself withheld.
  if (const CompiledRuleset* any = root ? config.compiled(rs, *root) : nullptr) {
    for (bool changed = true; changed;) {
      changed = false;
      for (int f = 0; f < rs.input_count(); ++f) {
        for (int r : any->withheld_reads(f)) {
          if (constant_inputs[static_cast<size_t>(f)] && !constant_inputs[static_cast<size_t>(r)]) {
            constant_inputs[static_cast<size_t>(f)] = false;
            changed = true;
          }
        }
      }
    }
  }
  ShapeStore shapes(shape_room(in.bytes_total(), header.size()), constant_inputs);
  BatchSummary summary;
  list_unmatched(rs, header, map, index, summary);
  summary.breakdown_field = s.breakdown_field >= 0 ? rs.fields[s.breakdown_field].key : "";
  std::deque<std::unique_ptr<Batch>> inflight;
  const size_t max_inflight = static_cast<size_t>(n_threads) * 3;
  bool write_failed = false;
  std::vector<std::string_view> row_cells;
  // Counted by index while rows stream, turned into the summary's keyed maps at the end.
  std::vector<int64_t> outcome_rows(rs.outcomes.size() + 1), region_rows(config.regions().size());
  std::vector<int64_t> breakdown_rows(
      s.breakdown_field >= 0 ? rs.enums[rs.field_enum[s.breakdown_field]].values.size() : 0);
  const TableWriter* encoder = out.encodes() ? &out : nullptr;
  const char joiner = encoder ? encoder->joiner() : 0;
  // Finished batches are reused: their buffers keep their capacity, so the steady state
  // allocates nothing (a fresh megabyte-sized buffer per batch is an mmap and page faults).
  std::vector<std::unique_ptr<Batch>> spare;

  // Stops every thread and waits for them: at the end, and on any way out (an exception in
  // this thread too), before what they share goes.
  std::vector<std::thread> threads;
  std::thread reader;
  auto stop = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop_reading = true;
      stopping = true;
      work.clear();
    }
    room_cv.notify_all();
    work_cv.notify_all();
    if (reader.joinable()) reader.join();
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  };
  struct StopOnExit {
    decltype(stop)& run;
    ~StopOnExit() { run(); }
  } stop_on_exit{stop};
  // A thread that meets an exception (memory exhausted) records it and stops the run; the
  // calling thread throws it again once every thread has stopped.
  auto fail = [&](std::exception_ptr e) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!failure) failure = e;
      stop_reading = true;
    }
    done_cv.notify_all();
    room_cv.notify_all();
  };

  for (int t = 0; t < n_threads; ++t) {
    threads.emplace_back([&] {
      try {
        Worker w(s, shapes, out.encodes() ? &out : nullptr);
        for (;;) {
          Batch* b;
          {
            std::unique_lock<std::mutex> lock(mu);
            work_cv.wait(lock, [&] { return stopping || !work.empty(); });
            if (work.empty()) return;
            b = work.front();
            work.pop_front();
          }
          w.process(*b);
          {
            std::lock_guard<std::mutex> lock(mu);
            b->done = true;
          }
          done_cv.notify_all();
        }
      } catch (...) {
        fail(std::current_exception());
      }
    });
  }

  reader = std::thread([&] {
    try {
      std::vector<std::string_view> cells;
      bool more = true;
      while (more) {
        std::unique_ptr<Batch> b;
        {
          std::unique_lock<std::mutex> lock(mu);
          room_cv.wait(lock, [&] { return stop_reading || inflight.size() < max_inflight; });
          if (stop_reading) break;
          if (!spare.empty()) {
            b = std::move(spare.back());
            spare.pop_back();
          }
        }
        if (!b) b = std::make_unique<Batch>();
        b->row_cells.push_back(0);
        while (b->rows() < kBatchRows && !stop_reading.load(std::memory_order_relaxed) &&
               (more = in.next(cells))) {
          b->row_number.push_back(in.position().row);
          // Cells that lie one after another in the reader's buffer, joined by the byte the
          // writer joins them with, are copied in one piece (and may be written through as read).
          bool joined = joiner != 0 && !cells.empty() && cells.front().data() != nullptr;
          for (size_t c = 1; joined && c < cells.size(); ++c) {
            const char* end = cells[c - 1].data() + cells[c - 1].size();
            joined = cells[c].data() == end + 1 && *end == joiner;
          }
          b->joined.push_back(joined);
          if (joined) {
            const char* from = cells.front().data();
            size_t base = b->text.size();
            b->text.append(from, cells.back().data() + cells.back().size());
            for (std::string_view c : cells) {
              b->cells.push_back({static_cast<uint32_t>(base + static_cast<size_t>(c.data() - from)),
                                  static_cast<uint32_t>(c.size())});
            }
          } else {
            for (std::string_view c : cells) {
              b->cells.push_back(
                  {static_cast<uint32_t>(b->text.size()), static_cast<uint32_t>(c.size())});
              b->text.append(c);
            }
          }
          b->row_cells.push_back(static_cast<uint32_t>(b->cells.size()));
        }
        bytes_read.store(in.bytes_read(), std::memory_order_relaxed);
        if (b->rows() > 0) {
          {
            std::lock_guard<std::mutex> lock(mu);
            if (stop_reading) break;  // the run stopped while this batch was read: no writer
            work.push_back(b.get());
            inflight.push_back(std::move(b));
          }
          work_cv.notify_one();
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        reading_done = true;
      }
      done_cv.notify_all();
    } catch (...) {
      fail(std::current_exception());
    }
  });

  // Writes a finished batch (the calling thread, in input order) and counts its rows.
  auto write_batch = [&](Batch& b) {
    if (encoder && !out.write_encoded(b.encoded)) write_failed = true;
    for (size_t r = 0; r < b.rows(); ++r) {
      if (!encoder) {
        row_cells.clear();
        b.input_cells(r, header.size(), row_cells);
        size_t added_from = row_cells.size();
        for (size_t k = 0; k < s.n_added; ++k) row_cells.push_back(b.added(r, k, s.n_added));
        // Both arms as views: a mixed ?: would make a temporary std::string and leave a
        // dangling view (found by AddressSanitizer).
        std::string_view outcome = b.outcome[r] >= 0
                                       ? std::string_view(rs.outcomes[b.outcome[r]].key)
                                       : std::string_view("error");
        if (!out.row(row_cells, added_from, outcome)) write_failed = true;
      }
      ++outcome_rows[b.outcome[r] >= 0 ? b.outcome[r] : rs.outcomes.size()];
      if (b.region[r] >= 0) ++region_rows[b.region[r]];
      if (b.breakdown[r] >= 0) ++breakdown_rows[b.breakdown[r]];
    }
    summary.rows += static_cast<int64_t>(b.rows());
    summary.evaluated += b.evaluated;
    for (auto& e : b.errors) {
      if (summary.first_errors.size() < kMaxErrorsKept) summary.first_errors.push_back(e);
    }
  };

  auto last_progress = std::chrono::steady_clock::now();
  while (!write_failed) {
    std::unique_ptr<Batch> b;
    {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait(lock, [&] {
        return failure || (inflight.empty() ? reading_done : inflight.front()->done);
      });
      if (failure || inflight.empty()) break;  // failed, or all read and written
      b = std::move(inflight.front());
      inflight.pop_front();
    }
    room_cv.notify_one();
    write_batch(*b);
    b->clear();
    {
      std::lock_guard<std::mutex> lock(mu);
      spare.push_back(std::move(b));
    }
    if (options.progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        options.progress(summary.rows, bytes_read.load(std::memory_order_relaxed),
                         in.bytes_total());
        last_progress = now;
      }
    }
  }
  stop();
  if (failure) std::rethrow_exception(failure);  // reported by run_batch
  if (options.progress) options.progress(summary.rows, in.bytes_read(), in.bytes_total());

  if (in.error()) {
    const TableError& e = *in.error();
    findings.error("read", e.file, static_cast<int>(e.at.row), e.at.column, e.message,
                   e.message_zh);
    return std::nullopt;
  }
  if (write_failed) {
    findings.error("write", input_name, 0, 0, "writing the output failed", "写入输出失败");
    return std::nullopt;
  }
  for (size_t o = 0; o < outcome_rows.size(); ++o) {
    if (outcome_rows[o] == 0) continue;
    summary.by_outcome[o < rs.outcomes.size() ? rs.outcomes[o].key : "error"] = outcome_rows[o];
  }
  for (size_t g = 0; g < region_rows.size(); ++g) {
    if (region_rows[g] > 0) summary.by_region[config.regions()[g].id] = region_rows[g];
  }
  for (size_t v = 0; v < breakdown_rows.size(); ++v) {
    if (breakdown_rows[v] == 0) continue;
    summary.by_breakdown[rs.enums[rs.field_enum[s.breakdown_field]].values[v].key] =
        breakdown_rows[v];
  }
  summary.errors = outcome_rows.back();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!out.finish(summary)) {
    findings.error("write", input_name, 0, 0, "writing the output failed", "写入输出失败");
    return std::nullopt;
  }
  return summary;
}

}  // namespace

std::optional<BatchSummary> run_batch(Config& config, const Ruleset& rs, TableReader& in,
                                      const std::string& input_name, TableWriter& out,
                                      const BatchOptions& options, Findings& findings) {
  // An exception (in practice, memory exhausted: setting up, in a thread, writing) stops the
  // run; screen_all has joined its threads by the time it gets here.
  std::string what;
  try {
    return screen_all(config, rs, in, input_name, out, options, findings);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "unknown error";
  }
  findings.error("batch", input_name, 0, 0,
                 fmt::format("screening stopped: {} (out of memory?)", what),
                 fmt::format("筛查中止：{}（内存不足？）", what));
  return std::nullopt;
}

void TableWriter::encode_row(const std::vector<std::string_view>& cells, size_t added_from,
                             std::string& out) const {
  encode_input({cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(added_from)}, out);
  size_t first = out.size();
  for (size_t k = 0; added_from + k < cells.size(); ++k) {
    encode_added(k, cells[added_from + k], out);
  }
  finish_row(out, first, added_from == 0);
}

void TableWriter::finish_row(std::string& out, size_t first_added, bool no_input) const {
  // Each appended cell came with the separator before it; a row's first cell has none.
  if (no_input && out.size() > first_added) out.erase(first_added, 1);
  encode_end(out);
}

// --- CSV writer ---------------------------------------------------------------------------

namespace {

class CsvWriter : public TableWriter {
 public:
  CsvWriter(std::function<bool(std::string_view)> sink, char delimiter, bool bom)
      : sink_(std::move(sink)), delimiter_(delimiter), bom_(bom) {
    for (unsigned char c : {static_cast<unsigned char>(delimiter), static_cast<unsigned char>('"'),
                            static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r')}) {
      special_[c] = true;
    }
  }

  bool header(const std::vector<std::string>& cells) override {
    std::string line;
    if (bom_) line = "\xEF\xBB\xBF";
    encode_input(std::vector<std::string_view>(cells.begin(), cells.end()), line);
    encode_end(line);
    return sink_(line);
  }

  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view) override {
    encode_row(cells, added_from, pending_);
    if (pending_.size() < (1 << 16)) return true;
    bool ok = sink_(pending_);
    pending_.clear();
    return ok;
  }

  bool encodes() const override { return true; }

  void encode_added(size_t, std::string_view text, std::string& out) const override {
    out += delimiter_;
    field(text, out);
  }

  char joiner() const override { return delimiter_; }

  bool encode_joined(std::string_view joined, size_t n, std::string& out) const override {
    if (n == 0 || !plain_row(joined, n)) return false;
    out.append(joined);
    return true;
  }

  void encode_input(const std::vector<std::string_view>& cells, std::string& out) const override {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += delimiter_;
      field(cells[i], out);
    }
  }

  void encode_end(std::string& out) const override { out += "\r\n"; }

  bool write_encoded(std::string_view bytes) override {
    if (!pending_.empty()) {
      if (!sink_(pending_)) return false;
      pending_.clear();
    }
    return bytes.empty() || sink_(bytes);
  }

  bool finish(const BatchSummary&) override {
    bool ok = pending_.empty() || sink_(pending_);
    pending_.clear();
    return ok;
  }

 private:
  // RFC 4180: quote a field holding the delimiter, a quote, or a line break.
  void field(std::string_view v, std::string& out) const {
    if (!needs_quotes(v)) {
      out.append(v);
      return;
    }
    out += '"';
    for (size_t q; (q = v.find('"')) != std::string_view::npos; v.remove_prefix(q + 1)) {
      out.append(v.substr(0, q + 1));
      out += '"';
    }
    out.append(v);
    out += '"';
  }

#if defined(__SSE2__)
  // Of the 16 bytes at `p`, the lanes (0xFF) holding a quote or a line break, and those
  // holding the delimiter.
  struct Lanes {
    __m128i breaks, delimiters;
  };
  Lanes lanes(const char* p) const {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return {_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                         _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
                                      _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')))),
            _mm_cmpeq_epi8(x, _mm_set1_epi8(delimiter_))};
  }
#endif

  // Every output byte passes here: sixteen at a time where the machine allows.
  bool needs_quotes(std::string_view v) const {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= v.size(); i += 16) {
      Lanes l = lanes(v.data() + i);
      if (_mm_movemask_epi8(_mm_or_si128(l.breaks, l.delimiters)) != 0) return true;
    }
#endif
    bool quote = false;
    for (; i < v.size(); ++i) quote |= special_[static_cast<unsigned char>(v[i])];
    return quote;
  }

  // True when `joined` holds n cells (n - 1 delimiters) none of which needs quoting.
  bool plain_row(std::string_view v, size_t n) const {
    size_t delimiters = 0, i = 0;
#if defined(__SSE2__)
    // Delimiters are counted per byte lane (a lane holds at most 255) and summed by lanes.
    const __m128i zero = _mm_setzero_si128();
    __m128i counts = zero;
    auto sum = [&] {
      __m128i s = _mm_sad_epu8(counts, zero);
      delimiters += static_cast<size_t>(_mm_cvtsi128_si32(s)) +
                    static_cast<size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s)));
      counts = zero;
    };
    for (int round = 0; i + 16 <= v.size(); i += 16) {
      Lanes l = lanes(v.data() + i);
      if (_mm_movemask_epi8(l.breaks) != 0) return false;
      counts = _mm_sub_epi8(counts, l.delimiters);
      if (++round == 255) {
        sum();
        round = 0;
      }
    }
    sum();
#endif
    for (; i < v.size(); ++i) {
      if (v[i] == delimiter_) {
        ++delimiters;
      } else if (special_[static_cast<unsigned char>(v[i])]) {
        return false;
      }
    }
    return delimiters + 1 == n;
  }

  std::function<bool(std::string_view)> sink_;
  char delimiter_;
  bool bom_;
  bool special_[256] = {};
  std::string pending_;  // rows given through row(), flushed in 64 KiB pieces
};

}  // namespace

std::unique_ptr<TableWriter> make_csv_writer(std::function<bool(std::string_view)> sink,
                                             char delimiter, bool bom) {
  return std::make_unique<CsvWriter>(std::move(sink), delimiter, bom);
}

// --- summary ------------------------------------------------------------------------------

std::string summary_text(const BatchSummary& s, const Ruleset& rs, const Config& config,
                         Lang lang) {
  bool zh = lang == Lang::kZh;
  std::string out;
  auto label = [&](const std::string& key) {
    int o = rs.find_outcome(key);
    if (o >= 0) return rs.outcomes[o].label.in(lang);
    return key == "error" ? std::string(zh ? "无法读取" : "unreadable") : key;
  };
  // Outcomes in the ruleset's order, unreadable rows last.
  std::string counts;
  auto count = [&](const std::string& key) {
    auto it = s.by_outcome.find(key);
    if (it == s.by_outcome.end()) return;
    counts += fmt::format("{}{} {}",
                          counts.empty() ? ""
                          : zh           ? "，"
                                         : ", ",
                          label(key), it->second);
  };
  for (const auto& o : rs.outcomes) count(o.key);
  count("error");
  out += zh ? fmt::format("共 {} 行（{:.2f} 秒）：{}\n", s.rows, s.seconds, counts)
            : fmt::format("{} rows in {:.2f} s: {}\n", s.rows, s.seconds, counts);
  std::string regions;
  for (const auto& [k, n] : s.by_region) {
    const Region* g = config.find_region(k);
    std::string name = g ? g->name.in(lang) : k;
    regions += fmt::format("{}{} {}", regions.empty() ? "" : zh ? "，" : ", ", name, n);
  }
  if (!regions.empty()) out += fmt::format("{}{}\n", zh ? "按地区：" : "by region: ", regions);
  if (!s.breakdown_field.empty()) {
    int f = rs.find_field(s.breakdown_field);
    std::string parts;
    for (const auto& [k, n] : s.by_breakdown) {
      std::string name = k;
      if (f >= 0 && rs.field_enum[f] >= 0) {
        int v = rs.enums[rs.field_enum[f]].find(k);
        if (v >= 0) name = rs.enums[rs.field_enum[f]].values[v].label.in(lang);
      }
      parts += fmt::format("{}{} {}", parts.empty() ? "" : zh ? "，" : ", ", name, n);
    }
    if (!parts.empty()) {
      out += fmt::format("{}{}{}\n", zh ? "按" : "by ",
                         f >= 0 ? rs.fields[f].label.in(lang) : s.breakdown_field,
                         (zh ? "：" : ": ") + parts);
    }
  }
  if (!s.unmatched.empty()) {
    // Said on every run: a column typed for a field but not named as epil knows it would
    // otherwise be carried through unread, and its facts missed in silence.
    out += zh ? "未对应到任何字段的列（原样保留，未读取）：\n"
              : "columns not matched to any field (carried through, not read):\n";
    for (const UnmatchedColumn& u : s.unmatched) {
      std::string near;
      for (const std::string& key : u.nearest) {
        const int f = rs.find_field(key);
        near += fmt::format("{}{} ({})", near.empty() ? "" : zh ? "、" : ", ",
                            f >= 0 ? rs.fields[f].label.in(lang) : key, key);
      }
      const std::string name = u.header.empty() ? std::string(zh ? "（无表头）" : "(no header)")
                                                : "'" + excerpt(u.header, 40) + "'";
      if (near.empty()) {
        out += zh ? fmt::format("  第 {} 列 {}：无相近字段\n", u.column, name)
                  : fmt::format("  column {} {}: no field close to it\n", u.column, name);
        continue;
      }
      out += zh ? fmt::format("  第 {} 列 {}；最接近的字段：{}；如属其一，请改表头或用 --map '表头=字段'\n",
                              u.column, name, near)
                : fmt::format("  column {} {}; nearest fields: {}; if it is one, rename the "
                              "header or use --map 'HEADER=field'\n",
                              u.column, name, near);
    }
    if (const int64_t more = s.unmatched_count - static_cast<int64_t>(s.unmatched.size()); more > 0)
      out += zh ? fmt::format("  另有 {} 列未列出\n", more) : fmt::format("  and {} more\n", more);
  }
  if (s.errors > 0) {
    out += zh ? fmt::format("无法读取的行 {} 个，前 {} 个：\n", s.errors, s.first_errors.size())
              : fmt::format("{} rows could not be read; the first {}:\n", s.errors,
                            s.first_errors.size());
    for (const auto& e : s.first_errors)
      out += fmt::format("  {}\n", zh ? e.message_zh : e.message);
  }
  return out;
}

std::string summary_json(const BatchSummary& s) {
  std::string out;
  JsonWriter w(out, JsonWriter::Style::kPretty);
  w.begin_object();
  w.key("rows").value(static_cast<int64_t>(s.rows));
  w.key("errors").value(static_cast<int64_t>(s.errors));
  w.key("seconds").value(s.seconds);
  w.key("rows_evaluated").value(static_cast<int64_t>(s.evaluated));
  auto counts = [&](const char* key, const std::map<std::string, int64_t>& m) {
    w.key(key).begin_object();
    for (const auto& [k, n] : m) w.key(k).value(static_cast<int64_t>(n));
    w.end_object();
  };
  counts("by_outcome", s.by_outcome);
  counts("by_region", s.by_region);
  w.key("breakdown_field");
  if (s.breakdown_field.empty())
    w.value(nullptr);
  else
    w.value(s.breakdown_field);
  counts("by_breakdown", s.by_breakdown);
  w.key("unmatched_column_count").value(static_cast<int64_t>(s.unmatched_count));
  w.key("unmatched_columns").begin_array();
  for (const UnmatchedColumn& u : s.unmatched) {
    w.begin_object();
    w.key("column").value(static_cast<int64_t>(u.column));
    w.key("header").value(u.header);
    w.key("nearest_fields").begin_array();
    for (const std::string& key : u.nearest) w.value(key);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("first_errors").begin_array();
  for (const auto& e : s.first_errors) {
    w.begin_object();
    w.key("row").value(static_cast<int64_t>(e.row));
    w.key("column").value(static_cast<int64_t>(e.column));
    w.key("column_name").value(e.column_name);
    w.key("message").value(e.message);
    w.key("message_zh").value(e.message_zh);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += '\n';
  return out;
}

}  // namespace epil::io
