#include "io/batch_worker.h"

#include <fmt/format.h>

#include <bit>
#include <cassert>
#include <cstring>
#include <deque>
#include <variant>

#include "core/epil.h"
#include "core/excerpt.h"
#include "core/messages.h"
#include "io/column_cache.h"
#include "io/identity.h"
#include "io/report.h"

namespace epil::io {

namespace detail {

class Worker::Impl {
 public:
  Impl(const Shared& s, ShapeStore& store, const TableWriter* encoder)
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

  // What is wrong with the row being screened: each problem is a RowError for the summary,
  // and all of them, joined, are the row's explanation.
  struct Problems {
    Batch& b;
    size_t r;
    const std::vector<std::string>& header;
    std::string en, zh;

    bool empty() const { return en.empty(); }
    void add(size_t column, const Text& t) {
      RowError e;
      e.row = b.row_number[r];
      e.column = static_cast<int>(column) + 1;
      e.column_name = column < header.size() ? header[column] : "";
      e.message = t.en;
      e.message_zh = t.zh;
      en += (en.empty() ? "" : "; ") + t.en;
      zh += (zh.empty() ? "" : "；") + t.zh;
      b.errors.push_back(std::move(e));
    }
    // A problem of the whole row: "row 12: …".
    void add_row(const Text& t) { add(0, message(Msg::kRowPrefix, b.row_number[r], t)); }
  };

  // The row's cells into values_, which hold each field's start (its declared default, or
  // unknown): a cell that states something, even "unknown", replaces it.
  void read_cells(Batch& b, size_t r, Problems& problems) {
    const Ruleset& rs = *s_.rs;
    for (size_t k = 0; k < reads_.size(); ++k) {
      const auto [c, f] = reads_[k];
      std::string_view text = b.cell(r, c);
      // A blank cell states nothing: the field's default applies. Words that say "unknown"
      // (不详, 未知, -) make the value unknown.
      if (trim_space(text).empty()) continue;
      ColumnCache& cache = columns_[k];
      const ColumnCache::Entry* hit = cache.find(text);
      if (!hit) {
        auto v =
            read_value(rs, *s_.index, f, in_header_unit(text, s_.map->unit_of_column[c]), store_);
        hit = cache.add(text, v);
        if (!hit) {
          fresh_.value = std::move(v);
          hit = &fresh_;
        }
      }
      const auto& v = hit->value;
      if (auto* err = std::get_if<ValueError>(&v)) {
        const FieldDef& fd = rs.fields[f];
        problems.add(c, {fmt::format("第 {} 行第 {} 列（{}）：{}", b.row_number[r], c + 1,
                                     fd.label.zh.empty() ? column_name(c) : fd.label.zh, err->zh),
                         fmt::format("row {}, column {} ({}): {}", b.row_number[r], c + 1,
                                     column_name(c), err->en)});
        continue;
      }
      values_[f] = std::get<Value>(v);
    }
  }

  // Inputs the row's other cells say: an amount that is the sum of two, a debtor's type and
  // age from a list's name and ID number columns.
  void complete(Batch& b, size_t r, Problems& problems) {
    const HeaderMap& m = *s_.map;
    const IdentityCells cells{m.name_column >= 0 ? b.cell(r, m.name_column) : std::string_view(),
                              m.id_column >= 0 ? b.cell(r, m.id_column) : std::string_view()};
    if (auto problem =
            complete_inputs(s_.completion, *s_.rs, values_.data(), cells, s_.options.as_of)) {
      problems.add_row(*problem);
    }
  }

  // The ID number, read, is masked where it lies, so that every writer and every path out
  // (the joined copy included: the row is no longer joined) writes it masked.
  void mask_id_cell(Batch& b, size_t r) {
    const int c = s_.map->id_column;
    const uint32_t first = b.row_cells[r];
    if (c < 0 || first + c >= b.row_cells[r + 1]) return;
    auto& [offset, length] = b.cells[first + c];
    const std::string masked = mask_id(std::string_view(b.text).substr(offset, length));
    b.text.replace(offset, masked.size(),
                   masked);  // never longer: each character masked is one byte
    length = static_cast<uint32_t>(masked.size());
    b.joined[r] = false;
  }

  // The row's region: its region column's, else --region's (or the root's); -1 (a problem
  // said) when there is none.
  int row_region(Batch& b, size_t r, Problems& problems) {
    int region = s_.default_region;
    if (s_.map->region_column >= 0) {
      std::string_view text = b.cell(r, s_.map->region_column);
      if (const RegionHit g = region_of(text); g.index != kUnknownRegion) {
        region = g.index;
        if (g.ambiguity) {
          problems.add(s_.map->region_column, message(Msg::kRowPrefix, b.row_number[r],
                                                      Text{g.ambiguity->zh, g.ambiguity->en}));
        } else if (region < 0) {
          problems.add(
              s_.map->region_column,
              {fmt::format("第 {} 行：未知地区 '{}'", b.row_number[r], excerpt(trim_space(text))),
               fmt::format("row {}: unknown region '{}'", b.row_number[r],
                           excerpt(trim_space(text)))});
        }
      }
    }
    if (region < 0 && problems.empty()) {
      problems.add(
          s_.map->region_column >= 0 ? s_.map->region_column : 0,
          {fmt::format("第 {} 行：未给出地区（请填地区列或使用 --region）", b.row_number[r]),
           fmt::format("row {}: no region given (add a region column or --region)",
                       b.row_number[r])});
    }
    return region;
  }

  // The decision and texts of the case in values_: those of its shape if met before (only the
  // cells computed from the row's own amounts and dates are worked out again,
  // core/shape_index.h), else evaluated, made into a record and remembered.
  const PackedShape& screened_shape(Batch& b, size_t r, const CompiledRuleset& p) {
    const PackedShape* seen = nullptr;
    uint64_t key = 0;
    bool keyed = s_.options.reuse_shapes &&
                 p.prepare_shape(values_.data(), s_.options.as_of, s_.options.strict, ws_, key);
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
      return *seen;
    }
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
    if (keyed) remember(p, key);
    return *reinterpret_cast<const PackedShape*>(packed_.data());
  }

  void row(Batch& b, size_t r) {
    const Ruleset& rs = *s_.rs;
    const bool zh = s_.options.lang == Lang::kZh;
    Problems problems{b, r, *s_.header, {}, {}};
    values_.assign(s_.start.begin(), s_.start.end());
    store_.clear();
    if (b.width(r) > s_.header->size()) {
      problems.add(s_.header->size(), wider_than_header(b, r));
    } else {
      read_cells(b, r, problems);
      if (s_.completion.any() && problems.empty()) complete(b, r, problems);
    }
    if (s_.options.mask_ids) mask_id_cell(b, r);
    const int region = row_region(b, r, problems);
    b.region[r] = static_cast<int16_t>(region);
    if (s_.breakdown_field >= 0 && values_[s_.breakdown_field].kind == Value::kEnum) {
      b.breakdown[r] = static_cast<int16_t>(values_[s_.breakdown_field].enum_index);
    }
    // A decision, event or other date after the review date is an input error, told before
    // any rule is read (the conduct date is the evaluation's own check).
    if (problems.empty()) {
      if (const int late = s_.late.first_late(values_.data(), s_.options.as_of); late >= 0) {
        problems.add_row(message(Msg::kInputAfterReview, rs.fields[late].label));
      }
    }
    if (!problems.empty()) {
      start_row(b, r);
      unreadable_row(b, zh ? problems.zh : problems.en);
      return;
    }
    const CompiledRuleset& p = *s_.programs[region];
    current_region_ = region;
    const PackedShape& shape = screened_shape(b, r, p);
    if (shape.unreadable) {
      problems.add_row(
          message(shape.unreadable == 1 ? Msg::kConductAfterReview : Msg::kStrictBeforeFirstValue));
      unreadable_row(b, zh ? problems.zh : problems.en);
      return;
    }
    b.outcome[r] = shape.outcome;
    emit(b, p, shape);
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
  Text wider_than_header(const Batch& b, size_t r) const {
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
      en += fmt::format(
          "; '{}' may be one number written with a thousands separator: quote it "
          "(\"{}\") or write it without the comma",
          split, split);
      zh += fmt::format("；'{}' 可能是带千位分隔符的一个数字：请加引号（\"{}\"）或去掉逗号", split,
                        split);
    } else {
      en += "; give the extra columns a header, or quote cells that hold the separator";
      zh += "；请为多出的列加表头，或给含分隔符的单元格加引号";
    }
    return {std::move(zh), std::move(en)};
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

  // The region a cell names (Config::find_place: a region's name, else a division's code or
  // name): its index; -1 for a place that finds none, with the candidates' sentence when it
  // is ambiguous; kUnknownRegion for a cell that says "unknown" (the --region default applies).
  // Each distinct text is resolved once: remembered as a number (the index) or an error (the
  // ambiguity) in a column cache that keeps thousands of places, a county's name in each row.
  static constexpr int kUnknownRegion = -2;
  static constexpr size_t kLongestPlace = 256;
  struct RegionHit {
    int index = kUnknownRegion;
    const ValueError* ambiguity = nullptr;
  };
  RegionHit region_of(std::string_view text) {
    const ColumnCache::Entry* hit = places_.find(text);
    if (!hit) {
      std::variant<Value, ValueError> v = Value::number(kUnknownRegion);
      if (!is_unknown_text(text)) {
        const PlaceMatch m = s_.config->find_place(text, false);
        if (!m.candidates.empty()) {
          v = ValueError{m.problem.en, m.problem.zh};
        } else {
          v = Value::number(m.region ? m.region - s_.config->regions().data() : -1);
        }
      }
      // A place's name is short; a longer text is not kept, so that a hostile column of long
      // distinct texts holds at most 65,536 × 256 bytes here.
      if (text.size() <= kLongestPlace) hit = places_.add(text, v);
      if (!hit) {
        fresh_place_.value = std::move(v);
        hit = &fresh_place_;
      }
    }
    if (const auto* err = std::get_if<ValueError>(&hit->value)) return {-1, err};
    return {static_cast<int>(std::get<Value>(hit->value).num), nullptr};
  }

  // The appended cells of a screened row, from the decision in d_ and the case in ws_: fixed
  // texts where they follow from the decision alone, and places for the cells computed from
  // the row's own amounts and dates.
  // Its texts are the worker's until pack() copies them into the shape's record.
  void make_template(const CompiledRuleset& p, RowTemplate& t) {
    t.parts.clear();
    row_texts_.clear();
    auto text = [&](std::string x) { add_text(t, std::move(x)); };
    template_outcome(p, text);
    template_results(p, t, text);
    template_reasons(p, text);
    template_thresholds(p, t, text);
    // Advisories: a message that shows the row's own values is filled row by row.
    const Ruleset& rs = *s_.rs;
    bool per_row = false;
    for (size_t a = 0; a < rs.advisories.size(); ++a) {
      per_row |= ((d_.advisories >> a) & 1ULL) &&
                 rs.advisories[a].message.in(s_.options.lang).find('{') != std::string::npos;
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

  // A text of the template, encoded here if the writer encodes (each shape's texts once).
  void add_text(RowTemplate& t, std::string x) {
    if (encoder_) {
      std::string e;
      encoder_->encode_added(t.parts.size(), x, e);
      x = std::move(e);
    }
    std::string_view v = row_texts_.emplace_back(std::move(x));
    t.parts.push_back({RowTemplate::kText, -1, v});
  }

  // The outcome's key and label, and each output's value. What a value rests on that must be
  // checked (a reported or example threshold) is part of its label, as in epil screen's
  // headline.
  template <typename TextPart>
  void template_outcome(const CompiledRuleset& p, TextPart&& text) {
    const Ruleset& rs = *s_.rs;
    const Lang lang = s_.options.lang;
    text(rs.outcomes[d_.outcome].key);
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
        text(lang == Lang::kZh ? "待定" : "undetermined");
      }
    }
  }

  // The reasons (the decision entry that decided, or the outcomes still possible), the
  // missing facts (those deciding the outcome, else those deciding an output) and the one
  // sentence, as epil screen's JSON gives it (its "summary").
  template <typename TextPart>
  void template_reasons(const CompiledRuleset& p, TextPart&& text) {
    const Ruleset& rs = *s_.rs;
    const Lang lang = s_.options.lang;
    scratch_.clear();
    if (d_.decided_by >= 0) {
      scratch_ = rs.decisions[d_.decided_by].id;
    } else {
      for (uint64_t m = d_.candidates; m; m &= m - 1) {
        scratch_ += (scratch_.empty() ? "" : "|") + rs.outcomes[std::countr_zero(m)].key;
      }
    }
    text(scratch_);
    scratch_.clear();
    missing_.clear();
    if (d_.missing.empty()) d_.output_missing(missing_);
    const std::vector<int>& missing = d_.missing.empty() ? missing_ : d_.missing;
    for (int f : missing) {
      scratch_ += (scratch_.empty()    ? ""
                   : lang == Lang::kZh ? "；"
                                       : "; ") +
                  rs.fields[f].label.in(lang);
    }
    text(scratch_);
    text(decision_summary(p, d_).in(lang));
  }

  // The thresholds compared, with status and source, and the place of the margin shown: that
  // of the first comparison whose test failed (the limit that was exceeded), else the first.
  template <typename TextPart>
  void template_thresholds(const CompiledRuleset& p, RowTemplate& t, TextPart&& text) {
    const char* sep = s_.options.lang == Lang::kZh ? "；" : "; ";
    brief_comparisons(p, ws_, d_, brief_);
    scratch_.clear();
    for (const auto& c : brief_) {
      scratch_ += (scratch_.empty() ? "" : sep) + threshold_text(p, c.cell);
    }
    text(scratch_);
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
             caveat_text(p, ws_, value_caveats(p, ws_, slot)).in(lang));
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
    std::string text = fmt::format("{} {}", threshold_name(p, cell_index).in(lang),
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
  // The region column's texts: every division's names and codes fit.
  ColumnCache places_{1 << 16, false};
  ColumnCache::Entry fresh_place_;
  std::unordered_map<uint64_t, std::string> threshold_cache_;  // program, epoch, cell → text
  const TableWriter* encoder_;
  std::vector<std::pair<size_t, int>> reads_;  // the columns fields read: column, field
  std::vector<ColumnCache> columns_;           // per entry of reads_
  ColumnCache::Entry fresh_;                   // a value read but not cached
  std::string with_unit_;  // a bare number with its header's unit (in_header_unit)
  int current_region_ = -1;
  std::vector<std::string_view> row_cells_;
  size_t added_count_ = 0;  // the row's appended cells so far (when the writer encodes)
  size_t first_added_ = 0;  // where they start in the batch's bytes
  bool no_input_ = false;   // the row has no input cells
  bool started_ = false;    // start_row() was called for the row being screened
};

Worker::Worker(const Shared& s, ShapeStore& store, const TableWriter* encoder)
    : impl_(std::make_unique<Impl>(s, store, encoder)) {}
Worker::~Worker() = default;
void Worker::process(Batch& b) { impl_->process(b); }

}  // namespace detail

std::vector<std::string> added_keys(const Ruleset& rs) {
  std::vector<std::string> k{"outcome", "outcome_label"};
  for (const auto& o : rs.outputs) k.push_back(o.key);
  for (const auto& r : rs.results) k.push_back(r.field);
  for (const char* x :
       {"reasons", "missing", "explanation", "thresholds", "margin", "advisories", "fingerprint"}) {
    k.push_back(x);
  }
  return k;
}

std::vector<AddedColumn> added_columns(const Ruleset& rs) {
  using A = AddedColumn;
  std::vector<A> k{A::kCode, A::kShort};
  for (size_t o = 0; o < rs.outputs.size(); ++o) k.push_back(A::kShort);
  for (const auto& r : rs.results) {
    const int f = rs.find_field(r.field);
    const BaseType t = f < 0 ? BaseType::kInvalid : rs.fields[f].type.base;
    k.push_back(t == BaseType::kNumber ? A::kNumber : t == BaseType::kDate ? A::kDate : A::kShort);
  }
  // reasons (codes), missing, explanation, thresholds, margin, advisories, fingerprint
  k.insert(k.end(), {A::kCode, A::kLongText, A::kLongText, A::kLongText, A::kNumber, A::kLongText,
                     A::kCode});
  return k;
}

namespace detail {

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

}  // namespace detail

}  // namespace epil::io
