// The batch output as .xlsx, written with libxlsxwriter in constant-memory mode (each row goes
// to disk as it is written, so memory does not grow with the rows): a frozen, bold header row
// with filters, readable column widths, the outcome cells coloured, and a summary sheet.
#include "io/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>

#include "core/messages.h"
#include "io/normalize.h"

namespace epil::io {

namespace {

// Display width of a header: CJK characters take two columns.
double display_width(std::string_view s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += n >= 3 ? 2 : 1;
    i += n;
  }
  return w;
}

// A cell written as a number when its text is a plain number exactly as it would print, so
// that "2800" stays a number and "00123" or "3,000" stay text as typed.
bool plain_number(std::string_view s, double& out) {
  if (s.empty() || s.size() > 24) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && format_plain(out) == s;
}

// What does not fit in a sheet, in words, or nothing.
std::optional<Text> columns_past_limit(size_t columns, const XlsxLimits& limits) {
  if (columns <= limits.columns) return std::nullopt;
  return message(Msg::kXlsxOutputTooWide, columns, limits.columns);
}

class XlsxWriter : public TableWriter {
 public:
  XlsxWriter(lxw_workbook* wb, Lang lang, const Ruleset& rs, const Config& config, OutputFile* out,
             const XlsxLimits& limits)
      : wb_(wb), lang_(lang), rs_(rs), config_(config), out_(out), limits_(limits) {}
  // Unfinished: the run failed and its output goes, so the workbook is freed, not written.
  ~XlsxWriter() override {
    if (wb_) lxw_workbook_free(wb_);
  }

  bool header(const std::vector<std::string>& cells) override {
    if (auto past = columns_past_limit(cells.size(), limits_)) {
      fail(*past);
      return false;
    }
    bool zh = lang_ == Lang::kZh;
    sheet_ = workbook_add_worksheet(wb_, zh ? "筛查结果" : "results");
    summary_ = workbook_add_worksheet(wb_, zh ? "汇总" : "summary");
    if (!sheet_ || !summary_) return false;
    head_ = workbook_add_format(wb_);
    format_set_bold(head_);
    format_set_bg_color(head_, 0xDDEBF7);
    format_set_border(head_, LXW_BORDER_THIN);
    format_set_text_wrap(head_);
    // The fills the tree's presentation.yaml gives the outcomes, and rows not read ("error").
    const Presentation& look = config_.presentation();
    auto add_fill = [&](const std::string& key, std::optional<uint32_t> fill) {
      if (!fill) return;
      lxw_format* f = workbook_add_format(wb_);
      format_set_bg_color(f, *fill);
      format_set_bold(f);
      outcome_formats_.push_back({key, f});
    };
    for (const OutcomeDef& o : rs_.outcomes) add_fill(o.key, look.fill(rs_.id, o.key));
    add_fill("error", look.unreadable_row_fill);
    width_ = cells.size();
    for (size_t c = 0; c < cells.size(); ++c) {
      double w = std::min(48.0, std::max(10.0, display_width(cells[c]) + 4));
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w,
                           nullptr);
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), cells[c].c_str(), head_);
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    return true;
  }

  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view outcome) override {
    if (next_row_ >= limits_.rows) {
      fail(message(Msg::kXlsxOutputTooLong, next_row_ + 1, limits_.rows));
      return false;
    }
    if (auto past = columns_past_limit(cells.size(), limits_)) {
      fail(message(Msg::kRowPrefix, next_row_ + 1, *past));
      return false;
    }
    lxw_format* colour = nullptr;
    for (const auto& [key, f] : outcome_formats_) {
      if (outcome == key) colour = f;
    }
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string_view v = cells[c];
      if (v.empty()) continue;
      lxw_col_t col = static_cast<lxw_col_t>(c);
      double num;
      // The outcome code and label columns carry the colour.
      lxw_format* f = (c == added_from || c == added_from + 1) ? colour : nullptr;
      lxw_error e;
      if (c < added_from && plain_number(v, num)) {
        e = worksheet_write_number(sheet_, next_row_, col, num, f);
      } else {
        text_.assign(v);
        e = worksheet_write_string(sheet_, next_row_, col, text_.c_str(), f);
      }
      if (e != LXW_NO_ERROR) {
        fail(message(Msg::kXlsxCellNotWritten, next_row_ + 1, c + 1, lxw_strerror(e)));
        return false;
      }
    }
    width_ = std::max(width_, cells.size());
    ++next_row_;
    return true;
  }

  bool finish(const BatchSummary& s) override {
    if (width_ > 0) {
      worksheet_autofilter(sheet_, 0, 0, next_row_ > 1 ? next_row_ - 1 : 0,
                           static_cast<lxw_col_t>(width_ - 1));
    }
    worksheet_set_column(summary_, 0, 0, 90, nullptr);
    std::istringstream lines(summary_text(s, rs_, config_, lang_));
    std::string line;
    lxw_row_t r = 0;
    while (std::getline(lines, line)) {
      lxw_format* f = r == 0 ? head_ : nullptr;  // the first line, the totals, in bold
      worksheet_write_string(summary_, r++, 0, line.c_str(), f);
    }
    // The whole workbook is written here, from the sheets' temporary files: a full disk
    // shows now. libxlsxwriter names its own error; errno, when set, says what the system
    // refused.
    errno = 0;
    lxw_error e = workbook_close(wb_);
    int err = errno;
    wb_ = nullptr;
    if (e == LXW_NO_ERROR) return true;
    std::string why = lxw_strerror(e);
    if (!why.empty() && why.back() == '.') why.pop_back();
    if (err != 0) why += fmt::format(": {}", std::strerror(err));
    fail(message(Msg::kXlsxWriteFailed, why));
    return false;
  }

 private:
  void fail(const Text& why) {
    if (out_) out_->fail(why.en, why.zh);
  }

  lxw_workbook* wb_;
  Lang lang_;
  const Ruleset& rs_;
  const Config& config_;
  OutputFile* out_;  // told why writing failed; null for a writer made from a path
  XlsxLimits limits_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_worksheet* summary_ = nullptr;
  lxw_format* head_ = nullptr;
  std::vector<std::pair<std::string, lxw_format*>> outcome_formats_;
  lxw_row_t next_row_ = 1;
  size_t width_ = 0;
  std::string text_;
};

std::unique_ptr<TableWriter> make_writer(const std::string& path, Lang lang, const Ruleset& rs,
                                         const Config& config, OutputFile* out,
                                         const XlsxLimits& limits) {
  // Constant memory: each row goes to a temporary file as it is written (libxlsxwriter's
  // own, in /tmp, unlinked as soon as it is created, so that nothing is left whatever ends
  // the run), and the workbook is assembled from it at close.
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return nullptr;
  return std::make_unique<XlsxWriter>(wb, lang, rs, config, out, limits);
}

}  // namespace

std::optional<OutputError> xlsx_columns_problem(const std::string& name, size_t columns,
                                                const XlsxLimits& limits) {
  auto past = columns_past_limit(columns, limits);
  if (!past) return std::nullopt;
  const Text t = message(Msg::kOutputProblem, name, *past);
  return OutputError{t.en, t.zh};
}

std::unique_ptr<TableWriter> make_xlsx_writer(const std::string& path, Lang lang, const Ruleset& rs,
                                              const Config& config) {
  return make_writer(path, lang, rs, config, nullptr, XlsxLimits{});
}

std::unique_ptr<TableWriter> make_xlsx_writer(OutputFile& out, Lang lang, const Ruleset& rs,
                                              const Config& config, const XlsxLimits& limits) {
  return make_writer(out.take_path_for_writer(), lang, rs, config, &out, limits);
}

}  // namespace epil::io
