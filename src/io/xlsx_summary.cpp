// The summary sheet of an XLSX output (io/xlsx_sheet.h): the run's counts as tables an office
// can sort, sum and chart (by outcome, by region, by the field presentation.yaml names), each
// with a total equal to the rows screened; the rows that could not be read; the columns no field
// reads; a bar chart of the rows by outcome in the outcomes' colours.
#include <fmt/format.h>

#include <array>

#include "core/messages.h"
#include "io/xlsx_sheet.h"

namespace epil::io::detail {

namespace {

constexpr lxw_col_t kChartColumn = 5;  // F: the chart beside the tables
constexpr uint32_t kChartDefaultFill = 0x5B9BD5;

// "'汇总'!$A$6:$A$9": a column's rows [first, last] (0-based) as a chart's range.
std::string range(const std::string& sheet, char column, lxw_row_t first, lxw_row_t last) {
  return fmt::format("='{}'!${}${}:${}${}", sheet, column, first + 1, column, last + 1);
}

class SummarySheet {
 public:
  SummarySheet(lxw_workbook* wb, lxw_worksheet* ws, const SummaryFormats& formats, Lang lang)
      : wb_(wb), ws_(ws), f_(formats), lang_(lang) {
    share_ = workbook_add_format(wb_);
    format_set_num_format(share_, "0.0%");
    total_ = workbook_add_format(wb_);
    format_set_bold(total_);
    format_set_top(total_, LXW_BORDER_THIN);
    total_share_ = workbook_add_format(wb_);
    format_set_bold(total_share_);
    format_set_top(total_share_, LXW_BORDER_THIN);
    format_set_num_format(total_share_, "0.0%");
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
  }

  lxw_row_t row() const { return row_; }
  lxw_error error() const { return error_; }

  void text(lxw_col_t col, const std::string& v, lxw_format* f = nullptr) {
    check(worksheet_write_string(ws_, row_, col, v.c_str(), f));
  }
  void number(lxw_col_t col, double v, lxw_format* f = nullptr) {
    check(worksheet_write_number(ws_, row_, col, v, f));
  }
  void next(lxw_row_t rows = 1) { row_ += rows; }

  // A header row of `cells` from column A.
  void head(const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) text(static_cast<lxw_col_t>(c), cells[c], f_.head);
    next();
  }

  // One table: caption, header, a line per count, the rows not placed, the total as a sum of
  // the lines (kept a formula, so that a clerk's edit still adds up). Returns the row of its
  // first line.
  lxw_row_t table(const SummaryTable& t) {
    text(0, t.caption, f_.bold);
    next();
    head({t.subject, message(Msg::kSummaryCode).in(lang_), message(Msg::kSummaryRows).in(lang_),
          message(Msg::kSummaryShare).in(lang_)});
    const lxw_row_t first = row_;
    auto line = [&](const SummaryTable::Line& l) {
      text(0, l.label, fill_of(l.key));
      if (!l.key.empty()) text(1, l.key);
      number(2, static_cast<double>(l.rows));
      if (t.total > 0)
        number(3, static_cast<double>(l.rows) / static_cast<double>(t.total), share_);
      next();
    };
    for (const SummaryTable::Line& l : t.lines) line(l);
    if (t.rest) line(*t.rest);
    text(0, message(Msg::kSummaryTotal).in(lang_), total_);
    text(1, "", total_);
    const std::string sum = fmt::format("=SUM(C{}:C{})", first + 1, row_);
    check(worksheet_write_formula_num(ws_, row_, 2, sum.c_str(), total_,
                                      static_cast<double>(t.total)));
    if (t.total > 0) number(3, 1.0, total_share_);
    next(2);
    return first;
  }

  // The rows that could not be read: how many, and the first ones with their problem.
  void errors(const BatchSummary& s) {
    if (s.not_case > 0) {
      text(0, not_case_line(s, lang_), f_.bold);
      next(2);
    }
    if (s.errors == 0) {
      text(0, message(Msg::kSummaryNoErrors).in(lang_), f_.bold);
      next(2);
      return;
    }
    text(0, message(Msg::kSummaryErrors, s.errors, s.first_errors.size()).in(lang_), f_.bold);
    next();
    head({message(Msg::kSummaryProblem).in(lang_), message(Msg::kSummaryRow).in(lang_),
          message(Msg::kSummaryColumn).in(lang_), message(Msg::kSummaryColumnName).in(lang_)});
    for (const RowError& e : s.first_errors) {
      text(0, lang_ == Lang::kZh ? e.message_zh : e.message, wrap_);
      number(1, static_cast<double>(e.row));
      if (e.column > 0) number(2, e.column);
      if (!e.column_name.empty()) text(3, e.column_name);
      next();
    }
    next();
  }

  // The columns no field reads, carried through unread, with the fields nearest each.
  void unmatched(const BatchSummary& s, const Ruleset& rs) {
    if (s.unmatched.empty()) return;
    text(0, message(Msg::kSummaryUnmatched).in(lang_), f_.bold);
    next();
    head({message(Msg::kSummaryHeader).in(lang_), message(Msg::kSummaryColumn).in(lang_),
          message(Msg::kSummaryNearest).in(lang_)});
    for (const UnmatchedColumn& u : s.unmatched) {
      text(0, u.header);
      number(1, u.column);
      const std::string near = nearest_fields(rs, u, lang_);
      if (!near.empty()) text(2, near);
      next();
    }
    if (const int64_t more = s.unmatched_count - static_cast<int64_t>(s.unmatched.size()); more) {
      text(0, message(Msg::kSummaryUnmatchedMore, more).in(lang_));
      next();
    }
  }

  // A bar chart of the by-outcome table's lines (rows [first, first + n)), each bar in its
  // outcome's fill, beside the tables.
  void chart(const std::string& sheet, const SummaryTable& t, lxw_row_t first, lxw_row_t at,
             const Ruleset& rs, const Config& config) {
    lxw_chart* chart = workbook_add_chart(wb_, LXW_CHART_BAR);
    if (!chart || t.lines.empty()) return;
    const lxw_row_t last = first + static_cast<lxw_row_t>(t.lines.size()) - 1;
    const std::string categories = range(sheet, 'A', first, last);
    const std::string values = range(sheet, 'C', first, last);
    lxw_chart_series* series = chart_add_series(chart, categories.c_str(), values.c_str());
    if (!series) return;
    const std::string name = message(Msg::kSummaryRows).in(lang_);
    chart_series_set_name(series, name.c_str());
    std::vector<lxw_chart_fill> fills(t.lines.size());
    std::vector<lxw_chart_point> points(t.lines.size());
    std::vector<lxw_chart_point*> point_list;
    const Presentation& look = config.presentation();
    for (size_t i = 0; i < t.lines.size(); ++i) {
      const std::string& key = t.lines[i].key;
      std::optional<uint32_t> fill =
          key == "error" ? look.unreadable_row_fill : look.fill(rs.id, key);
      fills[i] = lxw_chart_fill{fill.value_or(kChartDefaultFill), 0, 0};
      points[i] = lxw_chart_point{nullptr, &fills[i], nullptr};
      point_list.push_back(&points[i]);
    }
    point_list.push_back(nullptr);
    check(chart_series_set_points(series, point_list.data()));
    const std::string title = message(Msg::kSummaryChartTitle).in(lang_);
    chart_title_set_name(chart, title.c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    check(worksheet_insert_chart(ws_, at, kChartColumn, chart));
  }

 private:
  void check(lxw_error e) {
    if (error_ == LXW_NO_ERROR) error_ = e;
  }
  lxw_format* fill_of(const std::string& key) const {
    for (const auto& [k, f] : f_.outcome_fills) {
      if (k == key) return f;
    }
    return nullptr;
  }

  lxw_workbook* wb_;
  lxw_worksheet* ws_;
  const SummaryFormats& f_;
  Lang lang_;
  lxw_format *share_, *total_, *total_share_, *wrap_;
  lxw_row_t row_ = 0;
  lxw_error error_ = LXW_NO_ERROR;
};

}  // namespace

bool write_summary_sheet(lxw_workbook* wb, lxw_worksheet* sheet, const std::string& sheet_name,
                         const BatchSummary& s, const Ruleset& rs, const Config& config, Lang lang,
                         const SummaryFormats& formats, std::string& why) {
  worksheet_set_column(sheet, 0, 0, 46, nullptr);
  worksheet_set_column(sheet, 1, 1, 16, nullptr);
  worksheet_set_column(sheet, 2, 3, 10, nullptr);
  SummarySheet out(wb, sheet, formats, lang);
  out.text(0, message(Msg::kSummaryTitle, rs.name).in(lang), formats.bold);
  out.next();
  out.text(0, message(Msg::kSummaryRowsScreened, s.rows, fmt::format("{:.2f}", s.seconds), s.errors)
                  .in(lang));
  out.next(2);
  const lxw_row_t chart_at = out.row();
  const std::vector<SummaryTable> tables = summary_tables(s, rs, config, lang);
  lxw_row_t by_outcome = 0;
  for (size_t i = 0; i < tables.size(); ++i) {
    const lxw_row_t first = out.table(tables[i]);
    if (i == 0) by_outcome = first;
  }
  out.errors(s);
  out.unmatched(s, rs);
  if (!tables.empty()) out.chart(sheet_name, tables.front(), by_outcome, chart_at, rs, config);
  print_landscape_a4(sheet);
  if (out.error() != LXW_NO_ERROR) why = lxw_strerror(out.error());
  return out.error() == LXW_NO_ERROR;
}

}  // namespace epil::io::detail
