// The batch output as .xlsx, written with libxlsxwriter in constant-memory mode (each row goes
// to disk as it is written, so memory does not grow with the rows), laid out as an office
// reads and prints it: column widths measured from the first rows, long texts wrapped, numbers
// and dates typed as the input had them, the outcome cells coloured, a frozen, bold header
// row with filters, printed landscape on A4 one page wide with the header on every page; and
// a summary sheet of tables and a chart (io/xlsx_summary.cpp).
#include "io/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/messages.h"
#include "io/normalize.h"
#include "io/xlsx_sheet.h"

namespace epil::io {

namespace detail {

double display_width(std::string_view s) {
  double widest = 0, w = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      widest = std::max(widest, w);
      w = 0;
      ++i;
      continue;
    }
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    // Three- and four-byte characters are CJK ideographs and punctuation, drawn two wide.
    w += n >= 3 ? 2 : 1.1;
    i += n;
  }
  return std::max(widest, w);
}

namespace {

// Digits at `s[at]`, `n` of them, as a number; -1 if any is not a digit.
int digits(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "14:30:00" at `s[at]` as a fraction of a day.
std::optional<double> time_of_day(std::string_view s, size_t at) {
  if (s[at + 2] != ':' || s[at + 5] != ':') return std::nullopt;
  const int h = digits(s, at, 2), m = digits(s, at + 3, 2), sec = digits(s, at + 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  return (h * 3600 + m * 60 + sec) / 86400.0;
}

}  // namespace

std::optional<double> excel_serial(std::string_view s) {
  if (s.size() == 8) return time_of_day(s, 0);
  if ((s.size() != 10 && s.size() != 19) || s[4] != '-' || s[7] != '-') return std::nullopt;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  double serial;
  if (y == 1900 && m == 2 && d == 29) {
    serial = 60;  // Excel's phantom leap day, read from a sheet: its serial again
  } else {
    std::optional<Date> date = Date::from_ymd(y, m, d);
    std::optional<int32_t> n = date ? excel_serial_from_date(*date) : std::nullopt;
    if (!n) return std::nullopt;
    serial = *n;
  }
  if (s.size() == 10) return serial;
  if (s[10] != ' ') return std::nullopt;
  std::optional<double> t = time_of_day(s, 11);
  if (!t) return std::nullopt;
  return serial + *t;
}

std::optional<double> plain_number(std::string_view s) {
  if (s.empty() || s.size() > 24) return std::nullopt;
  double v;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || format_plain(v) != s) return std::nullopt;
  return v;
}

void print_landscape_a4(lxw_worksheet* sheet) {
  constexpr uint8_t kPaperA4 = 9;
  worksheet_set_landscape(sheet);
  worksheet_set_paper(sheet, kPaperA4);
  worksheet_fit_to_pages(sheet, 1, 0);  // 0: as many pages high as it takes
}

ColumnLayout::ColumnLayout(const std::vector<std::string>& header)
    : widest_(header.size(), 0), wrap_(header.size(), kByWidth) {
  for (const std::string& h : header) header_.push_back(display_width(h));
}

void ColumnLayout::measure(const std::vector<std::string>& cells) {
  for (size_t c = 0; c < cells.size() && c < widest_.size(); ++c) {
    if (!cells[c].empty()) widest_[c] = std::max(widest_[c], display_width(cells[c]));
  }
}

void ColumnLayout::always_wrap(size_t column) {
  if (column < wrap_.size()) wrap_[column] = kAlways;
}

void ColumnLayout::never_wrap(size_t column) {
  if (column < wrap_.size()) wrap_[column] = kNever;
}

double ColumnLayout::width(size_t c) const {
  // The header wraps too: a long one takes two lines rather than widening a column of short
  // values ("最短公示期届满日（最早可申请修复）" over "2027-05-10").
  const double header = std::min(header_[c], std::max(widest_[c], 12.0));
  return std::clamp(std::max(widest_[c], header) + 2, kMinWidth, kMaxWidth);
}

bool ColumnLayout::wraps(size_t c) const {
  return wrap_[c] == kAlways || (wrap_[c] == kByWidth && widest_[c] + 2 > kMaxWidth);
}

}  // namespace detail

namespace {

using detail::ColumnLayout;

constexpr size_t kSampleRows = 500;  // rows measured for the column widths before any is written
constexpr int kLastBuiltinFormat = 163;  // numFmtId: a workbook's own formats start at 164

// What does not fit in a sheet, in words, or nothing.
std::optional<Text> columns_past_limit(size_t columns, const XlsxLimits& limits) {
  if (columns <= limits.columns) return std::nullopt;
  return message(Msg::kXlsxOutputTooWide, columns, limits.columns);
}

// A row held back while the first rows are measured.
struct HeldRow {
  std::vector<std::string> cells;
  std::vector<uint16_t> formats;
  size_t added_from = 0;
  std::string outcome;
};

class XlsxWriter : public TableWriter {
 public:
  XlsxWriter(lxw_workbook* wb, Lang lang, const Ruleset& rs, const Config& config, OutputFile* out,
             const XlsxLimits& limits, std::vector<AddedColumn> added)
      : wb_(wb),
        lang_(lang),
        rs_(rs),
        config_(config),
        out_(out),
        limits_(limits),
        added_(std::move(added)) {}
  // Unfinished: the run failed and its output goes, so the workbook is freed, not written.
  ~XlsxWriter() override {
    if (wb_) lxw_workbook_free(wb_);
  }

  void input_formats(const std::vector<CellFormat>& formats) override { input_formats_ = formats; }

  bool header(const std::vector<std::string>& cells) override {
    if (auto past = columns_past_limit(cells.size(), limits_)) {
      fail(*past);
      return false;
    }
    sheet_name_ = message(Msg::kXlsxResultsSheet).in(lang_);
    summary_name_ = message(Msg::kXlsxSummarySheet).in(lang_);
    sheet_ = workbook_add_worksheet(wb_, sheet_name_.c_str());
    summary_ = workbook_add_worksheet(wb_, summary_name_.c_str());
    if (!sheet_ || !summary_) return false;
    add_formats();
    header_ = cells;
    for (size_t c = 0; c < cells.size(); ++c) {
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), cells[c].c_str(), head_);
    }
    set_up_pages();
    return true;
  }

  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view outcome) override {
    return typed_row(cells, {}, added_from, outcome);
  }

  bool typed_row(const std::vector<std::string_view>& cells, const std::vector<uint16_t>& formats,
                 size_t added_from, std::string_view outcome) override {
    if (!fits(cells.size())) return false;
    ++rows_;
    if (layout_) return write_row(cells, formats, added_from, outcome);
    HeldRow& held = held_.emplace_back();
    held.cells.assign(cells.begin(), cells.end());
    held.formats = formats;
    held.added_from = added_from;
    held.outcome = outcome;
    return held_.size() < kSampleRows || lay_out();
  }

  bool finish(const BatchSummary& s) override {
    if (!layout_ && !lay_out()) return false;
    if (!header_.empty()) {
      worksheet_autofilter(sheet_, 0, 0, next_row_ > 1 ? next_row_ - 1 : 0,
                           static_cast<lxw_col_t>(std::max(width_, header_.size()) - 1));
    }
    detail::SummaryFormats formats{head_, bold_, outcome_fills_};
    std::string why;
    if (!detail::write_summary_sheet(wb_, summary_, summary_name_, s, rs_, config_, lang_, formats,
                                     why)) {
      fail(message(Msg::kXlsxSummaryFailed, why));
      return false;
    }
    return close();
  }

 private:
  void fail(const Text& why) {
    if (out_) out_->fail(why.en, why.zh);
  }

  // The header's look, the wrapped texts', the dates' and the input's number formats, and the
  // fills presentation.yaml gives the outcomes and the rows not read ("error").
  void add_formats() {
    head_ = workbook_add_format(wb_);
    format_set_bold(head_);
    format_set_bg_color(head_, 0xDDEBF7);
    format_set_border(head_, LXW_BORDER_THIN);
    format_set_text_wrap(head_);
    format_set_align(head_, LXW_ALIGN_VERTICAL_TOP);
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    number_formats_.assign(std::max<size_t>(input_formats_.size(), kFirstOwnFormat), nullptr);
    const char* date_codes[] = {"yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "hh:mm:ss"};
    for (uint16_t k = kDateCell; k <= kTimeCell; ++k) {
      number_formats_[k] = workbook_add_format(wb_);
      format_set_num_format(number_formats_[k], date_codes[k - kDateCell]);
    }
    for (size_t k = kFirstOwnFormat; k < input_formats_.size(); ++k) {
      const CellFormat& f = input_formats_[k];
      // Built-in ids go up to 163; a larger one the workbook never defined shows as General.
      if (f.code.empty() && (f.builtin <= 0 || f.builtin > kLastBuiltinFormat)) continue;
      number_formats_[k] = workbook_add_format(wb_);
      if (f.code.empty()) {
        format_set_num_format_index(number_formats_[k], static_cast<uint8_t>(f.builtin));
      } else {
        format_set_num_format(number_formats_[k], f.code.c_str());
      }
    }
    const Presentation& look = config_.presentation();
    auto add_fill = [&](const std::string& key, std::optional<uint32_t> fill) {
      if (!fill) return;
      lxw_format* f = workbook_add_format(wb_);
      format_set_bg_color(f, *fill);
      format_set_bold(f);
      outcome_fills_.push_back({key, f});
    };
    for (const OutcomeDef& o : rs_.outcomes) add_fill(o.key, look.fill(rs_.id, o.key));
    add_fill("error", look.unreadable_row_fill);
  }

  // The header row frozen on screen and repeated on every printed page; gridlines and the page
  // number on paper.
  void set_up_pages() {
    worksheet_freeze_panes(sheet_, 1, 0);
    detail::print_landscape_a4(sheet_);
    worksheet_repeat_rows(sheet_, 0, 0);
    worksheet_gridlines(sheet_, LXW_SHOW_ALL_GRIDLINES);
    footer_ = message(Msg::kXlsxPageFooter).in(lang_);
    worksheet_set_footer(sheet_, footer_.c_str());
    // Text that looks like a number (an ID number, a division code) is text on purpose.
    worksheet_ignore_errors(sheet_, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
  }

  // Whether one more row of `width` cells fits the sheet; says why not.
  bool fits(size_t width) {
    const uint64_t row = rows_ + 1;  // 0-based sheet row of this one, the header being row 0
    if (row >= limits_.rows) {
      fail(message(Msg::kXlsxOutputTooLong, row + 1, limits_.rows));
      return false;
    }
    if (auto past = columns_past_limit(width, limits_)) {
      fail(message(Msg::kRowPrefix, row + 1, *past));
      return false;
    }
    return true;
  }

  // The first rows measured, the columns set, then those rows written.
  bool lay_out() {
    ColumnLayout layout(header_);
    for (const HeldRow& r : held_) layout.measure(r.cells);
    const size_t first_added = header_.size() - std::min(header_.size(), added_.size());
    for (size_t k = 0; k < added_.size(); ++k) {
      if (added_[k] == AddedColumn::kLongText) layout.always_wrap(first_added + k);
      if (added_[k] == AddedColumn::kCode) layout.never_wrap(first_added + k);
    }
    wraps_.assign(header_.size(), false);
    for (size_t c = 0; c < header_.size(); ++c) {
      wraps_[c] = layout.wraps(c);
      worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           layout.width(c), nullptr);
    }
    layout_ = true;
    std::vector<std::string_view> cells;
    for (const HeldRow& r : held_) {
      cells.assign(r.cells.begin(), r.cells.end());
      if (!write_row(cells, r.formats, r.added_from, r.outcome)) return false;
    }
    held_.clear();
    held_.shrink_to_fit();
    return true;
  }

  bool write_row(const std::vector<std::string_view>& cells, const std::vector<uint16_t>& formats,
                 size_t added_from, std::string_view outcome) {
    lxw_format* colour = nullptr;
    for (const auto& [key, f] : outcome_fills_) {
      if (outcome == key) colour = f;
    }
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      lxw_error e;
      if (c < added_from) {
        e = write_input(c, cells[c], c < formats.size() ? formats[c] : uint16_t{kTextCell});
      } else {
        // The outcome code and label columns carry the colour.
        lxw_format* f = c - added_from < 2 ? colour : nullptr;
        e = write_added(c, c - added_from, cells[c], f);
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

  // An input cell as it was: a number or a date when the reader read one, else text exactly as
  // given (an ID number, a division code, "00123").
  lxw_error write_input(size_t c, std::string_view v, uint16_t format) {
    const lxw_col_t col = static_cast<lxw_col_t>(c);
    if (format != kTextCell && format < number_formats_.size()) {
      std::optional<double> n =
          format >= kDateCell && format <= kTimeCell ? detail::excel_serial(v) : plain_number_of(v);
      if (n) return worksheet_write_number(sheet_, next_row_, col, *n, number_formats_[format]);
    }
    return write_text(col, v, c < wraps_.size() && wraps_[c] ? wrap_ : nullptr);
  }

  // An appended cell: the margin and numeric results as numbers, plain date results as dates.
  lxw_error write_added(size_t c, size_t k, std::string_view v, lxw_format* colour) {
    const lxw_col_t col = static_cast<lxw_col_t>(c);
    const AddedColumn kind = k < added_.size() ? added_[k] : AddedColumn::kShort;
    if (kind == AddedColumn::kNumber) {
      if (std::optional<double> n = detail::plain_number(v)) {
        return worksheet_write_number(sheet_, next_row_, col, *n, nullptr);
      }
    } else if (kind == AddedColumn::kDate && v.size() == 10) {
      if (std::optional<double> n = detail::excel_serial(v)) {
        return worksheet_write_number(sheet_, next_row_, col, *n, number_formats_[kDateCell]);
      }
    }
    return write_text(col, v, colour ? colour : c < wraps_.size() && wraps_[c] ? wrap_ : nullptr);
  }

  // The number the reader wrote for a numeric cell (the shortest text that reads back as the
  // same double); nullopt for anything else, which stays text.
  static std::optional<double> plain_number_of(std::string_view v) {
    double n;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
    return n;
  }

  lxw_error write_text(lxw_col_t col, std::string_view v, lxw_format* f) {
    text_.assign(v);
    return worksheet_write_string(sheet_, next_row_, col, text_.c_str(), f);
  }

  // The whole workbook is written here, from the sheets' temporary files: a full disk shows
  // now. libxlsxwriter names its own error; errno, when set, says what the system refused.
  bool close() {
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

  lxw_workbook* wb_;
  Lang lang_;
  const Ruleset& rs_;
  const Config& config_;
  OutputFile* out_;  // told why writing failed; null for a writer made from a path
  XlsxLimits limits_;
  const std::vector<AddedColumn> added_;
  std::vector<CellFormat> input_formats_;
  std::string sheet_name_, summary_name_, footer_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_worksheet* summary_ = nullptr;
  lxw_format* head_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* wrap_ = nullptr;
  std::vector<lxw_format*> number_formats_;  // by input format index; null: General
  std::vector<std::pair<std::string, lxw_format*>> outcome_fills_;
  std::vector<std::string> header_;
  std::vector<HeldRow> held_;  // the first rows, until the columns are laid out
  std::vector<bool> wraps_;    // per column
  bool layout_ = false;
  uint64_t rows_ = 0;       // rows taken, held or written
  lxw_row_t next_row_ = 1;  // the sheet row the next row written goes to
  size_t width_ = 0;
  std::string text_;
};

std::unique_ptr<TableWriter> make_writer(const std::string& path, Lang lang, const Ruleset& rs,
                                         const Config& config, OutputFile* out,
                                         const XlsxLimits& limits,
                                         const std::vector<size_t>* choice = nullptr) {
  // The appended columns it receives: every one, or those chosen (io/column_choice.h).
  std::vector<AddedColumn> added = added_columns(rs);
  if (choice) {
    std::vector<AddedColumn> chosen;
    for (size_t k : *choice) chosen.push_back(added[k]);
    added = std::move(chosen);
  }
  // Constant memory: each row goes to a temporary file as it is written (libxlsxwriter's
  // own, in /tmp, unlinked as soon as it is created, so that nothing is left whatever ends
  // the run), and the workbook is assembled from it at close.
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return nullptr;
  return std::make_unique<XlsxWriter>(wb, lang, rs, config, out, limits, std::move(added));
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
                                              const Config& config, const XlsxLimits& limits,
                                              const std::vector<size_t>* choice) {
  return make_writer(out.take_path_for_writer(), lang, rs, config, &out, limits, choice);
}

}  // namespace epil::io
