#include "io/batch.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/epil.h"
#include "io/case_input.h"
#include "io/header_map.h"
#include "io/json.h"
#include "io/normalize.h"
#include "io/report.h"

namespace epil::io {

namespace {

constexpr size_t kBatchRows = 2048;
constexpr int kMaxErrorsKept = 10;

// Rows travel between threads in batches: the input cells copied into one buffer, and the
// appended cells written into another.
struct Batch {
  std::vector<int64_t> row_number;
  std::vector<uint32_t> row_cells;  // per row: index of its first cell in `cells`; + end
  std::vector<std::pair<uint32_t, uint32_t>> cells;  // offset, length in `text`
  std::string text;
  std::vector<uint32_t> out_cells;  // per row: kAdded offsets into out_text, then the end
  std::string out_text;
  std::vector<int16_t> outcome;  // per row; -1 error
  std::vector<int16_t> region;   // per row; -1 unknown
  std::vector<int16_t> breakdown;
  std::vector<RowError> errors;
  bool done = false;

  size_t rows() const { return row_number.size(); }
  std::string_view cell(size_t row, size_t c) const {
    uint32_t first = row_cells[row], last = row_cells[row + 1];
    if (first + c >= last) return {};
    auto [off, len] = cells[first + c];
    return std::string_view(text).substr(off, len);
  }
  size_t width(size_t row) const { return row_cells[row + 1] - row_cells[row]; }
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
  std::vector<std::optional<Value>> defaults;  // per input field
  std::vector<std::string> default_store;
  int breakdown_field = -1;
  BatchOptions options;
  std::string input_name;
  size_t n_added = 0;
};

class Worker {
 public:
  explicit Worker(const Shared& s) : s_(s) {}

  void process(Batch& b) {
    b.out_cells.clear();
    b.out_text.clear();
    b.outcome.assign(b.rows(), -1);
    b.region.assign(b.rows(), -1);
    b.breakdown.assign(b.rows(), -1);
    for (size_t r = 0; r < b.rows(); ++r) row(b, r);
    b.out_cells.push_back(static_cast<uint32_t>(b.out_text.size()));
  }

 private:
  void cell(Batch& b, std::string_view text) {
    b.out_cells.push_back(static_cast<uint32_t>(b.out_text.size()));
    b.out_text.append(text);
  }

  std::string column_name(size_t c) const {
    return c < s_.header->size() ? (*s_.header)[c] : fmt::format("#{}", c + 1);
  }

  void row(Batch& b, size_t r) {
    const Ruleset& rs = *s_.rs;
    bool zh = s_.options.lang == Lang::kZh;
    int n_inputs = rs.input_count();
    values_.assign(n_inputs, Value::unknown());
    given_.assign(n_inputs, 0);
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
    for (size_t c = 0; c < s_.map->field_of_column.size(); ++c) {
      int f = s_.map->field_of_column[c];
      if (f < 0) continue;
      std::string_view text = b.cell(r, c);
      // A blank cell states nothing: the field's default applies. Words that say "unknown"
      // (不详, 未知, -) make the value unknown.
      if (trim_space(text).empty()) continue;
      auto v = read_value(rs, *s_.index, f, text, store_);
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
      given_[f] = 1;
    }
    for (int f = 0; f < n_inputs; ++f) {
      if (!given_[f] && s_.defaults[f]) {
        values_[f] = *s_.defaults[f];
        defaulted_flag_ = true;
      }
    }
    int region = s_.default_region;
    if (s_.map->region_column >= 0) {
      std::string_view text = b.cell(r, s_.map->region_column);
      if (!is_unknown_text(text)) {
        region = region_of(text);
        if (region < 0) {
          std::string known;
          problem(s_.map->region_column,
                  fmt::format("row {}: unknown region '{}'", b.row_number[r], trim_space(text)),
                  fmt::format("第 {} 行：未知地区 '{}'", b.row_number[r], trim_space(text)));
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
    if (!problems.empty()) {
      cell(b, "error");
      cell(b, zh ? "无法读取" : "unreadable");
      for (size_t o = 0; o < rs.outputs.size(); ++o) cell(b, "");
      cell(b, "error");
      cell(b, "");
      cell(b, zh ? problems_zh : problems);
      for (int k = 0; k < 4; ++k) cell(b, "");
      return;
    }
    const CompiledRuleset& p = *s_.programs[region];
    p.evaluate(values_.data(), s_.options.as_of, s_.options.strict, ws_, d_);
    if (d_.conduct_after_review || d_.strict_error) {
      if (d_.conduct_after_review) {
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
      cell(b, "error");
      cell(b, zh ? "无法读取" : "unreadable");
      for (size_t o = 0; o < rs.outputs.size(); ++o) cell(b, "");
      cell(b, "error");
      cell(b, "");
      cell(b, zh ? problems_zh : problems);
      for (int k = 0; k < 4; ++k) cell(b, "");
      return;
    }
    b.outcome[r] = static_cast<int16_t>(d_.outcome);
    write_result(b, p);
  }

  int region_of(std::string_view text) {
    std::string key(text);
    auto it = region_cache_.find(key);
    if (it != region_cache_.end()) return it->second;
    const Region* g = s_.config->find_region(text);
    int idx = -1;
    if (g) idx = static_cast<int>(g - s_.config->regions().data());
    region_cache_.emplace(std::move(key), idx);
    return idx;
  }

  void write_result(Batch& b, const CompiledRuleset& p) {
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    bool zh = lang == Lang::kZh;
    const char* sep = zh ? "；" : "; ";
    cell(b, rs.outcomes[d_.outcome].key);
    cell(b, rs.outcomes[d_.outcome].label.in(lang));
    for (size_t o = 0; o < rs.outputs.size(); ++o) {
      const OutputResult& r = d_.outputs[o];
      if (!r.applies) {
        cell(b, "");
      } else if (r.value >= 0) {
        cell(b, rs.outputs[o].values[r.value].label.in(lang));
      } else {
        cell(b, zh ? "待定" : "undetermined");
      }
    }
    // Reasons: the decision entry that decided, or the candidates.
    scratch_.clear();
    if (d_.decided_by >= 0) {
      scratch_ = rs.decisions[d_.decided_by].id;
    } else {
      for (uint64_t m = d_.candidates; m; m &= m - 1) {
        scratch_ += (scratch_.empty() ? "" : "|") + rs.outcomes[std::countr_zero(m)].key;
      }
    }
    cell(b, scratch_);
    // Missing facts: those deciding the outcome, else those deciding an output.
    scratch_.clear();
    const std::vector<int>& missing = d_.missing.empty() ? d_.output_missing : d_.missing;
    for (int f : missing) {
      scratch_ += (scratch_.empty() ? "" : sep) + rs.fields[f].label.in(lang);
    }
    cell(b, scratch_);
    // One sentence.
    if (d_.decided_by >= 0) {
      cell(b, rs.decisions[d_.decided_by].reason.in(lang));
    } else {
      scratch_ = zh ? "可能的结论：" : "could be: ";
      bool first = true;
      for (uint64_t m = d_.candidates; m; m &= m - 1) {
        scratch_ += (first ? ""
                     : zh  ? "、"
                           : ", ") +
                    rs.outcomes[std::countr_zero(m)].label.in(lang);
        first = false;
      }
      if (!d_.missing.empty()) {
        scratch_ += zh ? "；需补充：" : "; give: ";
        first = true;
        for (int f : d_.missing) {
          scratch_ += (first ? "" : zh ? "、" : ", ") + rs.fields[f].label.in(lang);
          first = false;
        }
      }
      cell(b, scratch_);
    }
    // Thresholds compared, with status and source, and the first margin.
    brief_comparisons(p, ws_, d_, brief_);
    scratch_.clear();
    for (const auto& c : brief_) {
      scratch_ += (scratch_.empty() ? "" : sep) + threshold_text(p, c.cell);
    }
    cell(b, scratch_);
    // The margin shown is that of the first comparison whose test failed (the limit that was
    // exceeded), else the first one.
    const BriefComparison* shown = brief_.empty() ? nullptr : &brief_.front();
    for (const auto& c : brief_) {
      if (p.value(ws_, p.test_slot(c.test)).truth() == Tri::kFalse) {
        shown = &c;
        break;
      }
    }
    cell(b, shown ? format_plain(shown->margin) : std::string());
    scratch_.clear();
    for (size_t a = 0; a < rs.advisories.size(); ++a) {
      if ((d_.advisories >> a) & 1ULL) {
        scratch_ += (scratch_.empty() ? "" : sep) + advisory_text(p, a);
      }
    }
    cell(b, scratch_);
    cell(b, p.fingerprint());
  }

  const std::string& threshold_text(const CompiledRuleset& p, int cell_index) {
    auto key = std::make_tuple(&p, d_.epoch, cell_index);
    auto it = threshold_cache_.find(key);
    if (it != threshold_cache_.end()) return it->second;
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    int param = 0;
    for (size_t i = 0; i < rs.params.size(); ++i) {
      if (p.param_base(static_cast<int>(i)) <= cell_index) param = static_cast<int>(i);
    }
    const ParamDef& pd = rs.params[param];
    std::string name = pd.label.in(lang).empty() ? pd.key : pd.label.in(lang);
    if (pd.index_enum >= 0) {
      const EnumValue& ev = rs.enums[pd.index_enum].values[cell_index - p.param_base(param)];
      name += "[" + (ev.label.in(lang).empty() ? ev.key : ev.label.in(lang)) + "]";
    }
    const ParamCell& pc = p.epoch(d_.epoch).cells[cell_index];
    std::string text =
        fmt::format("{} {}", name, show_value(pc.value, rs, -1, pd.unit_label).in(lang));
    if (pc.provenance >= 0) {
      const DatedValue& v = *p.provenance(pc.provenance).value;
      text += lang == Lang::kZh
                  ? fmt::format("（{}，{}）", status_label(v.status).zh, v.source.document)
                  : fmt::format(" ({}, {})", status_label(v.status).en, v.source.document);
    }
    return threshold_cache_.emplace(key, std::move(text)).first->second;
  }

  std::string advisory_text(const CompiledRuleset& p, size_t a) {
    const Ruleset& rs = *s_.rs;
    Lang lang = s_.options.lang;
    const std::string& msg = rs.advisories[a].message.in(lang);
    std::string out;
    for (size_t i = 0; i < msg.size(); ++i) {
      size_t close = msg[i] == '{' ? msg.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        out += msg[i];
        continue;
      }
      std::string name = msg.substr(i + 1, close - i - 1);
      if (int f = rs.find_field(name); f >= 0) {
        out += show_value(p.value(ws_, f), rs, rs.field_enum[f], rs.fields[f].unit_label).in(lang);
      } else if (int pi = rs.find_param(name); pi >= 0) {
        const ParamCell& pc = p.epoch(d_.epoch).cells[p.param_base(pi)];
        out += show_value(pc.value, rs, -1, rs.params[pi].unit_label).in(lang);
      }
      i = close;
    }
    return out;
  }

  const Shared& s_;
  Workspace ws_;
  Decision d_;
  std::vector<Value> values_;
  std::vector<uint8_t> given_;
  std::deque<std::string> store_;
  std::vector<BriefComparison> brief_;
  std::string scratch_;
  bool defaulted_flag_ = false;
  std::unordered_map<std::string, int> region_cache_;
  std::map<std::tuple<const CompiledRuleset*, int, int>, std::string> threshold_cache_;
};

std::vector<std::string> added_header(const Ruleset& rs, Lang lang) {
  bool zh = lang == Lang::kZh;
  std::vector<std::string> h;
  h.push_back(zh ? "筛查结论" : "outcome");
  h.push_back(zh ? "结论说明" : "outcome label");
  for (const auto& o : rs.outputs) h.push_back(o.label.in(lang).empty() ? o.key : o.label.in(lang));
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

std::optional<BatchSummary> run_batch(Config& config, const Ruleset& rs, TableReader& in,
                                      const std::string& input_name, TableWriter& out,
                                      const BatchOptions& options, Findings& findings) {
  auto started = std::chrono::steady_clock::now();
  FieldIndex index(rs);
  const std::vector<std::string>& header = in.header();
  HeaderMap map =
      map_header(header, rs, index, options.maps, !options.region.empty(), input_name, findings);
  if (!findings.ok()) return std::nullopt;

  Shared s;
  s.rs = &rs;
  s.index = &index;
  s.map = &map;
  s.header = &header;
  s.config = &config;
  s.options = options;
  s.input_name = input_name;
  for (const auto& r : config.regions()) {
    const CompiledRuleset* p = config.compiled(rs, r);
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
  }
  s.defaults.resize(rs.input_count());
  std::deque<std::string> store;
  for (int f = 0; f < rs.input_count(); ++f) {
    if (!rs.fields[f].default_text) continue;
    auto v = read_value(rs, index, f, *rs.fields[f].default_text, store);
    if (auto* x = std::get_if<Value>(&v); x && x->known()) s.defaults[f] = *x;
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

  // Workers take batches from `work`; the calling thread reads, and writes finished batches
  // in input order.
  int n_threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::mutex mu;
  std::condition_variable work_cv, done_cv;
  std::deque<Batch*> work;
  bool stopping = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < n_threads; ++t) {
    threads.emplace_back([&] {
      Worker w(s);
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
    });
  }

  BatchSummary summary;
  summary.breakdown_field = s.breakdown_field >= 0 ? rs.fields[s.breakdown_field].key : "";
  std::deque<std::unique_ptr<Batch>> inflight;
  const size_t max_inflight = static_cast<size_t>(n_threads) * 3;
  bool write_failed = false;
  std::vector<std::string_view> row_cells;
  auto write_front = [&] {
    std::unique_ptr<Batch> b = std::move(inflight.front());
    inflight.pop_front();
    for (size_t r = 0; r < b->rows(); ++r) {
      row_cells.clear();
      size_t width = std::max(b->width(r), header.size());
      for (size_t c = 0; c < width; ++c) row_cells.push_back(b->cell(r, c));
      size_t added_from = row_cells.size();
      for (size_t k = 0; k < s.n_added; ++k) {
        uint32_t from = b->out_cells[r * s.n_added + k];
        uint32_t to = b->out_cells[r * s.n_added + k + 1];
        row_cells.push_back(std::string_view(b->out_text).substr(from, to - from));
      }
      // Both arms as views: a mixed ?: would make a temporary std::string and leave a dangling
      // view (found by AddressSanitizer).
      std::string_view outcome = b->outcome[r] >= 0
                                     ? std::string_view(rs.outcomes[b->outcome[r]].key)
                                     : std::string_view("error");
      if (!out.row(row_cells, added_from, outcome)) write_failed = true;
      ++summary.rows;
      ++summary.by_outcome[std::string(outcome)];
      if (b->region[r] >= 0) ++summary.by_region[config.regions()[b->region[r]].id];
      if (b->breakdown[r] >= 0) {
        ++summary
              .by_breakdown[rs.enums[rs.field_enum[s.breakdown_field]].values[b->breakdown[r]].key];
      }
    }
    for (auto& e : b->errors) {
      if (summary.first_errors.size() < kMaxErrorsKept) summary.first_errors.push_back(e);
    }
  };
  auto wait_front = [&] {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return inflight.front()->done; });
  };

  std::vector<std::string_view> cells;
  bool more = true;
  auto last_progress = std::chrono::steady_clock::now();
  while (more && !write_failed) {
    auto b = std::make_unique<Batch>();
    b->row_cells.push_back(0);
    while (b->rows() < kBatchRows && (more = in.next(cells))) {
      b->row_number.push_back(in.position().row);
      for (std::string_view c : cells) {
        b->cells.push_back(
            {static_cast<uint32_t>(b->text.size()), static_cast<uint32_t>(c.size())});
        b->text.append(c);
      }
      b->row_cells.push_back(static_cast<uint32_t>(b->cells.size()));
    }
    if (b->rows() > 0) {
      {
        std::lock_guard<std::mutex> lock(mu);
        work.push_back(b.get());
        inflight.push_back(std::move(b));
      }
      work_cv.notify_one();
    }
    while (!inflight.empty() && (inflight.size() >= max_inflight || inflight.front()->done)) {
      wait_front();
      write_front();
    }
    if (options.progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_progress > std::chrono::milliseconds(200)) {
        options.progress(summary.rows, in.bytes_read(), in.bytes_total());
        last_progress = now;
      }
    }
  }
  while (!inflight.empty() && !write_failed) {
    wait_front();
    write_front();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
    work.clear();
  }
  work_cv.notify_all();
  for (auto& t : threads) t.join();
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
  summary.errors = summary.by_outcome.count("error") ? summary.by_outcome["error"] : 0;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!out.finish(summary)) {
    findings.error("write", input_name, 0, 0, "writing the output failed", "写入输出失败");
    return std::nullopt;
  }
  return summary;
}

// --- CSV writer ---------------------------------------------------------------------------

namespace {

class CsvWriter : public TableWriter {
 public:
  CsvWriter(std::function<bool(std::string_view)> sink, char delimiter, bool bom)
      : sink_(std::move(sink)), delimiter_(delimiter), bom_(bom) {}

  bool header(const std::vector<std::string>& cells) override {
    line_.clear();
    if (bom_) line_ = "\xEF\xBB\xBF";
    for (size_t i = 0; i < cells.size(); ++i) field(i, cells[i]);
    line_ += "\r\n";
    return flush(true);
  }

  bool row(const std::vector<std::string_view>& cells, size_t, std::string_view) override {
    for (size_t i = 0; i < cells.size(); ++i) field(i, cells[i]);
    line_ += "\r\n";
    return flush(false);
  }

  bool finish(const BatchSummary&) override { return flush(true); }

 private:
  // RFC 4180: quote a field holding the delimiter, a quote, or a line break.
  void field(size_t i, std::string_view v) {
    if (i > 0) line_ += delimiter_;
    bool quote = v.find_first_of(quote_chars()) != std::string_view::npos;
    if (!quote) {
      line_.append(v);
      return;
    }
    line_ += '"';
    for (char c : v) {
      if (c == '"') line_ += '"';
      line_ += c;
    }
    line_ += '"';
  }

  std::string_view quote_chars() {
    chars_[0] = delimiter_;
    return std::string_view(chars_, 4);
  }

  bool flush(bool force) {
    if (!force && line_.size() < (1 << 16)) return true;
    bool ok = sink_(line_);
    line_.clear();
    return ok;
  }

  std::function<bool(std::string_view)> sink_;
  char delimiter_;
  bool bom_;
  char chars_[4] = {',', '"', '\n', '\r'};
  std::string line_;
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
