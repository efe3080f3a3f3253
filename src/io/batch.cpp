// Batch screening (io/batch.h): a run in three stages, a reader filling batches of rows,
// workers screening them (io/batch_worker.h) and the calling thread writing them in input
// order, and the totals of its summary.
#include "io/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "core/epil.h"
#include "core/messages.h"
#include "io/batch_rows.h"
#include "io/batch_summary.h"
#include "io/batch_worker.h"
#include "io/completion.h"
#include "io/shape_store.h"

namespace epil::io {

using namespace detail;

namespace {

constexpr int kMaxErrorsKept = 10;  // rows that could not be read, listed in the summary

// The program of each region of the tree (null for overlays): a region that sets nothing of
// this ruleset decides as the nearest one above it that does (most provinces: the national
// root), so that they compile once and share remembered shapes. False, with findings, when a
// program does not compile or the overlay is unknown.
bool region_programs(Config& config, const Ruleset& rs, const BatchOptions& options,
                     std::vector<const CompiledRuleset*>& programs, Findings& findings) {
  const Region* overlay = nullptr;
  if (!options.overlay.empty()) {
    overlay = config.find_overlay(options.overlay);
    if (!overlay) {
      add_error(findings, Msg::kUnknownOverlay, "--overlay", 0, 0, options.overlay,
                config.region_names(true));
      return false;
    }
  }
  for (const auto& r : config.regions()) {
    if (r.overlay) {  // never a row's region: find_region does not return overlays
      programs.push_back(nullptr);
      continue;
    }
    const Region* deciding = &r;
    for (const Region* up : config.chain(r)) {
      deciding = up;
      if (up->parameters.count(rs.id)) break;
    }
    const CompiledRuleset* p = config.compiled(rs, *deciding, overlay);
    if (!p) {
      findings.append(config.compile_findings());
      return false;
    }
    programs.push_back(p);
  }
  return true;
}

// What every worker shares: programs, the region of rows that name none, each field's
// starting value (its default), the field the summary counts rows by (Config::summary_field).
// False, with findings, when the configuration or the options do not allow a run.
bool prepare(Config& config, const Ruleset& rs, const BatchOptions& options, bool regional,
             Shared& s, Findings& findings) {
  if (!region_programs(config, rs, options, s.programs, findings)) return false;
  if (!options.region.empty()) {
    const PlaceMatch place = config.find_place(options.region);
    const Region* g = place.region;
    if (!g) {
      findings.error(std::string(place.problem_code), "--region", 0, 0, place.problem.en,
                     place.problem.zh);
      return false;
    }
    s.default_region = static_cast<int>(g - config.regions().data());
  } else if (const Region* root = config.root_region(); !regional && root) {
    s.default_region = static_cast<int>(root - config.regions().data());
  }
  s.late = rs.late_dates();
  std::vector<bool> has_column(rs.fields.size(), false);
  for (int f : s.map->field_of_column) {
    if (f >= 0) has_column[f] = true;
  }
  s.completion =
      for_columns(completion_of(rs), has_column, s.map->name_column >= 0 || s.map->id_column >= 0);
  s.start.assign(rs.input_count(), Value::unknown());
  std::deque<std::string> store;
  for (int f = 0; f < static_cast<int>(s.start.size()); ++f) {
    if (!rs.fields[f].default_text) continue;
    auto v = read_value(rs, *s.index, f, *rs.fields[f].default_text, store);
    if (auto* x = std::get_if<Value>(&v); x && x->known()) {
      s.start[f] = *x;
      s.start[f].flags |= Value::kDefaulted;
    }
  }
  s.breakdown_field = config.summary_field(rs);
  s.not_case_words = config.presentation().not_case_rows;
  for (const std::string& w : s.not_case_words) {
    if (!w.empty()) s.not_case_first_bytes[static_cast<unsigned char>(w[0])] = true;
  }
  return true;
}

// The inputs no column gives, constant to the shape index. An input whose default another
// fact may withhold is the same in every row only if that fact is too (the rules are the
// ruleset's, whichever region's program is asked), until nothing changes: a condition may read
// an input that is itself withheld.
std::vector<bool> constant_inputs(Config& config, const Ruleset& rs, const HeaderMap& map,
                                  const Completion& completion) {
  std::vector<bool> constant(static_cast<size_t>(rs.input_count()), true);
  for (int f : map.field_of_column) {
    if (f >= 0) constant[static_cast<size_t>(f)] = false;
  }
  // An input no column holds but the row's other cells fill (a sum, a default from another
  // input, a type or age from the ID) varies from row to row: were it taken as constant, a row
  // would be given the decision of another whose filled value differs.
  for (int f : completion.filled()) constant[static_cast<size_t>(f)] = false;
  const Region* root = config.root_region();
  const CompiledRuleset* any = root ? config.compiled(rs, *root) : nullptr;
  for (bool changed = any != nullptr; changed;) {
    changed = false;
    for (int f = 0; f < rs.input_count(); ++f) {
      for (int r : any->withheld_reads(f)) {
        if (constant[static_cast<size_t>(f)] && !constant[static_cast<size_t>(r)]) {
          constant[static_cast<size_t>(f)] = false;
          changed = true;
        }
      }
    }
  }
  return constant;
}

// The counts of a run, by index while rows stream, turned into the summary's keyed maps at
// the end.
class Totals {
 public:
  Totals(const Ruleset& rs, const Config& config, int breakdown_field)
      : rs_(rs),
        config_(config),
        breakdown_field_(breakdown_field),
        outcome_rows_(rs.outcomes.size() + 1),
        region_rows_(config.regions().size()),
        breakdown_rows_(
            breakdown_field >= 0 ? rs.enums[rs.field_enum[breakdown_field]].values.size() : 0) {}

  void count(const Batch& b, BatchSummary& summary) {
    for (size_t r = 0; r < b.rows(); ++r) {
      if (b.outcome[r] == kNotCase) {
        if (summary.not_case_rows.size() < kMaxErrorsKept) {
          summary.not_case_rows.push_back(b.row_number[r]);
        }
        ++summary.not_case;
        continue;
      }
      ++summary.rows;
      ++outcome_rows_[b.outcome[r] >= 0 ? b.outcome[r] : rs_.outcomes.size()];
      if (b.region[r] >= 0) ++region_rows_[b.region[r]];
      if (b.breakdown[r] >= 0) ++breakdown_rows_[b.breakdown[r]];
    }
    summary.evaluated += b.evaluated;
    for (auto& e : b.errors) {
      if (summary.first_errors.size() < kMaxErrorsKept) summary.first_errors.push_back(e);
    }
  }

  void into(BatchSummary& summary) const {
    for (size_t o = 0; o < outcome_rows_.size(); ++o) {
      if (outcome_rows_[o] == 0) continue;
      summary.by_outcome[o < rs_.outcomes.size() ? rs_.outcomes[o].key : "error"] =
          outcome_rows_[o];
    }
    for (size_t g = 0; g < region_rows_.size(); ++g) {
      if (region_rows_[g] > 0) summary.by_region[config_.regions()[g].id] = region_rows_[g];
    }
    for (size_t v = 0; v < breakdown_rows_.size(); ++v) {
      if (breakdown_rows_[v] == 0) continue;
      summary.by_breakdown[rs_.enums[rs_.field_enum[breakdown_field_]].values[v].key] =
          breakdown_rows_[v];
    }
    summary.errors = outcome_rows_.back();
  }

 private:
  const Ruleset& rs_;
  const Config& config_;
  int breakdown_field_;
  std::vector<int64_t> outcome_rows_, region_rows_, breakdown_rows_;
};

// The stages of a run and what they share. A reader thread fills batches of rows (reading
// overlaps writing: inflating and parsing an XLSX sheet, parsing CSV), worker threads screen
// them, and the calling thread takes finished batches in input order (next()) and writes them
// (libxlsxwriter, the kernel's copy of the output). Every thread is stopped and joined on
// every way out; an exception in a thread (memory exhausted) stops the run and is thrown again
// by stop() in the calling thread.
class Pipeline {
 public:
  Pipeline(const Shared& s, ShapeStore& shapes, TableReader& in, const TableWriter* encoder,
           int n_threads)
      : s_(s),
        shapes_(shapes),
        in_(in),
        encoder_(encoder),
        joiner_(encoder ? encoder->joiner() : 0),
        typed_(!encoder && !in.cell_formats().empty()),
        max_inflight_(static_cast<size_t>(n_threads) * 3) {
    try {
      for (int t = 0; t < n_threads; ++t) workers_.emplace_back([this] { screen_stage(); });
      reader_ = std::thread([this] { read_stage(); });
    } catch (...) {  // no thread for the rest (the system's limit): those started are joined
      join();
      throw;
    }
  }
  ~Pipeline() { join(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// The next screened batch in input order; null when every row is written or the run failed.
  std::unique_ptr<Batch> next() {
    std::unique_ptr<Batch> b;
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_cv_.wait(lock, [&] {
        return failure_ || (inflight_.empty() ? reading_done_ : inflight_.front()->done);
      });
      if (failure_ || inflight_.empty()) return nullptr;
      b = std::move(inflight_.front());
      inflight_.pop_front();
    }
    room_cv_.notify_one();
    return b;
  }

  /// A written batch, for reuse: its buffers keep their capacity, so the steady state
  /// allocates nothing (a fresh megabyte-sized buffer per batch is an mmap and page faults).
  void recycle(std::unique_ptr<Batch> b) {
    b->clear();
    std::lock_guard<std::mutex> lock(mu_);
    spare_.push_back(std::move(b));
  }

  uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }

  /// Stops and joins every thread; throws what a thread met, if anything.
  void stop() {
    join();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void join() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_reading_ = true;
      stopping_ = true;
      work_.clear();
    }
    room_cv_.notify_all();
    work_cv_.notify_all();
    if (reader_.joinable()) reader_.join();
    for (auto& t : workers_) {
      if (t.joinable()) t.join();
    }
  }

  void fail(std::exception_ptr e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!failure_) failure_ = e;
      stop_reading_ = true;
    }
    done_cv_.notify_all();
    room_cv_.notify_all();
  }

  // One worker: batches from the queue, screened, marked done.
  void screen_stage() {
    try {
      Worker w(s_, shapes_, encoder_);
      for (;;) {
        Batch* b;
        {
          std::unique_lock<std::mutex> lock(mu_);
          work_cv_.wait(lock, [&] { return stopping_ || !work_.empty(); });
          if (work_.empty()) return;
          b = work_.front();
          work_.pop_front();
        }
        w.process(*b);
        {
          std::lock_guard<std::mutex> lock(mu_);
          b->done = true;
        }
        done_cv_.notify_all();
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }

  // A batch free for filling, waiting while enough are in flight; null when the run stops.
  std::unique_ptr<Batch> free_batch() {
    std::unique_ptr<Batch> b;
    {
      std::unique_lock<std::mutex> lock(mu_);
      room_cv_.wait(lock, [&] { return stop_reading_ || inflight_.size() < max_inflight_; });
      if (stop_reading_) return nullptr;
      if (!spare_.empty()) {
        b = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    return b ? std::move(b) : std::make_unique<Batch>();
  }

  // Copies one row's cells into the batch. Cells that lie one after another in the reader's
  // buffer, joined by the byte the writer joins them with, are copied in one piece (and may
  // be written through as read).
  void add_row(Batch& b, const std::vector<std::string_view>& cells) const {
    b.row_number.push_back(in_.position().row);
    if (typed_) {
      const std::vector<uint16_t>& f = in_.row_formats();
      for (size_t c = 0; c < cells.size(); ++c) {
        b.formats.push_back(c < f.size() ? f[c] : uint16_t{kTextCell});
      }
    }
    bool joined = joiner_ != 0 && !cells.empty() && cells.front().data() != nullptr;
    for (size_t c = 1; joined && c < cells.size(); ++c) {
      const char* end = cells[c - 1].data() + cells[c - 1].size();
      joined = cells[c].data() == end + 1 && *end == joiner_;
    }
    b.joined.push_back(joined);
    if (joined) {
      const char* from = cells.front().data();
      size_t base = b.text.size();
      b.text.append(from, cells.back().data() + cells.back().size());
      for (std::string_view c : cells) {
        b.cells.push_back({static_cast<uint32_t>(base + static_cast<size_t>(c.data() - from)),
                           static_cast<uint32_t>(c.size())});
      }
    } else {
      for (std::string_view c : cells) {
        b.cells.push_back({static_cast<uint32_t>(b.text.size()), static_cast<uint32_t>(c.size())});
        b.text.append(c);
      }
    }
    b.row_cells.push_back(static_cast<uint32_t>(b.cells.size()));
  }

  // The reader: batches of rows, queued for the workers and, in order, for next().
  void read_stage() {
    try {
      std::vector<std::string_view> cells;
      bool more = true;
      while (more) {
        std::unique_ptr<Batch> b = free_batch();
        if (!b) break;
        b->row_cells.push_back(0);
        while (b->rows() < kBatchRows && !stop_reading_.load(std::memory_order_relaxed) &&
               (more = in_.next(cells))) {
          add_row(*b, cells);
        }
        bytes_read_.store(in_.bytes_read(), std::memory_order_relaxed);
        if (b->rows() > 0) {
          {
            std::lock_guard<std::mutex> lock(mu_);
            if (stop_reading_) break;  // the run stopped while this batch was read: no writer
            work_.push_back(b.get());
            inflight_.push_back(std::move(b));
          }
          work_cv_.notify_one();
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        reading_done_ = true;
      }
      done_cv_.notify_all();
    } catch (...) {
      fail(std::current_exception());
    }
  }

  const Shared& s_;
  ShapeStore& shapes_;
  TableReader& in_;
  const TableWriter* encoder_;
  const char joiner_;
  const bool typed_;  // the cells' formats travel with them, for a writer that keeps types
  const size_t max_inflight_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_, room_cv_;
  std::deque<Batch*> work_;                      // to screen
  std::deque<std::unique_ptr<Batch>> inflight_;  // read, in input order, until written
  std::vector<std::unique_ptr<Batch>> spare_;    // written, for reuse
  bool stopping_ = false;                        // workers: no more work will come
  bool reading_done_ = false;
  std::atomic<bool> stop_reading_{false};  // set under mu_; the reader also reads it row by row
  std::exception_ptr failure_;             // the first exception a thread met (under mu_)
  std::atomic<uint64_t> bytes_read_{0};
  std::vector<std::thread> workers_;
  std::thread reader_;
};

// Worker threads: one per core, or --threads (capped at the cores: more only take turns,
// each with its own buffers and caches) and at the threads limit.
int worker_count(const BatchOptions& options) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::min<uint64_t>(
      {static_cast<uint64_t>(options.threads > 0 ? options.threads : cores),
       static_cast<uint64_t>(cores), std::max<uint64_t>(options.limits.threads, 1)}));
}

// Writes a screened batch through a writer that does not encode on the workers, with the
// input cells' formats when the reader told them.
bool write_rows(const Batch& b, const Ruleset& rs, size_t header_width, size_t n_added,
                TableWriter& out, std::vector<std::string_view>& row_cells,
                std::vector<uint16_t>& row_formats) {
  for (size_t r = 0; r < b.rows(); ++r) {
    row_cells.clear();
    row_formats.clear();
    b.input_cells(r, header_width, row_cells);
    if (!b.formats.empty()) b.input_formats(r, header_width, row_formats);
    size_t added_from = row_cells.size();
    for (size_t k = 0; k < n_added; ++k) row_cells.push_back(b.added(r, k, n_added));
    // Both arms as views: a mixed ?: would make a temporary std::string and leave a
    // dangling view (found by AddressSanitizer).
    std::string_view outcome = b.outcome[r] >= 0 ? std::string_view(rs.outcomes[b.outcome[r]].key)
                               : b.outcome[r] == kNotCase ? std::string_view("")
                                                          : std::string_view("error");
    if (!out.typed_row(row_cells, row_formats, added_from, outcome)) return false;
  }
  return true;
}

std::optional<BatchSummary> screen_all(Config& config, const Ruleset& rs, TableReader& in,
                                       const std::string& input_name, TableWriter& out,
                                       const BatchOptions& options, Findings& findings) {
  const auto started = std::chrono::steady_clock::now();
  FieldIndex index(rs);
  const std::vector<std::string>& header = in.header();
  // A region column is needed only when regions set their own values for this ruleset; when
  // none does (the credit rules are national law), every row takes the root's values.
  const bool regional = config.regional(rs);
  const int header_line = static_cast<int>(in.header_row());
  HeaderMap map = map_header(header, rs, index, options.maps, !options.region.empty() || !regional,
                             input_name, findings, header_line);
  // Masking asked for but no ID column found would write the numbers out as they are.
  if (options.mask_ids && map.id_column < 0) {
    std::string names;
    for (const auto& a : rs.identity.id_aliases) names += (names.empty() ? "" : ", ") + a;
    add_error(findings, Msg::kMaskIdsNoColumn, input_name, header_line, 0,
              names.empty() ? std::string("-") : names);
  }
  if (!findings.ok()) return std::nullopt;
  Shared s;
  s.rs = &rs;
  s.index = &index;
  s.map = &map;
  s.header = &header;
  s.config = &config;
  s.options = options;
  if (!prepare(config, rs, options, regional, s, findings)) return std::nullopt;
  std::vector<std::string> out_header = header;
  std::vector<std::string> added = added_header(rs, options.lang);
  s.n_added = added.size();
  out_header.insert(out_header.end(), added.begin(), added.end());
  out.input_formats(in.cell_formats());
  if (!out.preamble(in.preamble()) || !out.header(out_header)) {
    add_error(findings, Msg::kCannotWriteOutput, input_name, 0, 0);
    return std::nullopt;
  }

  ShapeStore shapes(shape_room(in.bytes_total(), header.size()),
                    constant_inputs(config, rs, map, s.completion));
  BatchSummary summary;
  list_unmatched(rs, header, map, index, summary);
  summary.breakdown_field = s.breakdown_field >= 0 ? rs.fields[s.breakdown_field].key : "";
  Totals totals(rs, config, s.breakdown_field);
  const TableWriter* encoder = out.encodes() ? &out : nullptr;
  bool write_failed = false;
  std::vector<std::string_view> row_cells;
  std::vector<uint16_t> row_formats;
  auto last_progress = std::chrono::steady_clock::now();
  Pipeline pipeline(s, shapes, in, encoder, worker_count(options));
  while (!write_failed) {
    std::unique_ptr<Batch> b = pipeline.next();
    if (!b) break;
    write_failed = encoder
                       ? !out.write_encoded(b->encoded)
                       : !write_rows(*b, rs, header.size(), s.n_added, out, row_cells, row_formats);
    totals.count(*b, summary);
    pipeline.recycle(std::move(b));
    if (options.progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        options.progress(summary.rows, pipeline.bytes_read(), in.bytes_total());
        last_progress = now;
      }
    }
  }
  pipeline.stop();  // throws what a thread met; reported by run_batch
  if (options.progress) options.progress(summary.rows, in.bytes_read(), in.bytes_total());

  if (in.error()) {
    const TableError& e = *in.error();
    findings.error("read", e.file, static_cast<int>(e.at.row), e.at.column, e.message,
                   e.message_zh);
    return std::nullopt;
  }
  if (write_failed) {
    add_error(findings, Msg::kWritingOutputFailed, input_name, 0, 0);
    return std::nullopt;
  }
  totals.into(summary);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!out.finish(summary)) {
    add_error(findings, Msg::kWritingOutputFailed, input_name, 0, 0);
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
  add_error(findings, Msg::kScreeningStopped, input_name, 0, 0, what);
  return std::nullopt;
}

}  // namespace epil::io
