#include "io/header_map.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/excerpt.h"
#include "core/messages.h"
#include "core/text.h"
#include "io/normalize.h"

namespace epil::io {

namespace {

bool is_case_id(const std::string& folded) {
  for (const char* n : {"caseid", "案件编号", "案号", "编号", "casenumber", "caseno"}) {
    if (folded == fold_key(n)) return true;
  }
  return false;
}

bool is_region(const std::string& folded) {
  for (const char* n : {"region", "地区", "省份", "省", "所属地区", "province"}) {
    if (folded == fold_key(n)) return true;
  }
  return false;
}

// The field a header names after its bracketed note is taken off, and the unit the note names
// (empty for a note that is not one). A note on a number field must be one of the field's
// units: "损害数额（吨）" is refused rather than read as 元.
int field_by_bracketed_header(const std::string& header, const Ruleset& rs, const FieldIndex& index,
                              std::string& unit, bool& unit_misfit) {
  unit.clear();
  unit_misfit = false;
  auto split = split_bracket(header);
  if (!split) return -1;
  const int f = index.find(split->first);
  if (f < 0) return -1;
  const FieldDef& d = rs.fields[f];
  const bool number = d.type_word == "number" || d.type_word == "money" || !d.unit.empty();
  if (!number) return f;  // "行为发生日期（年月日）": a note, not a unit
  if (parse_number(std::string("1") + std::string(split->second), d.number_unit))
    unit = std::string(split->second);
  else
    unit_misfit = true;
  return f;
}

bool is_one_of(const std::string& folded, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (folded == fold_key(n)) return true;
  }
  return false;
}

// A required input the identity section reads from a name or ID column that the sheet has.
bool read_from_identity(const Ruleset& rs, const FieldDef& d, const HeaderMap& m) {
  return (m.name_column >= 0 || m.id_column >= 0) && d.key == rs.identity.type_field;
}

}  // namespace

std::optional<std::pair<std::string_view, std::string_view>> split_bracket(
    std::string_view header) {
  static constexpr std::pair<std::string_view, std::string_view> kBrackets[] = {
      {"（", "）"}, {"(", ")"}, {"[", "]"}, {"【", "】"}, {"［", "］"}};
  const std::string_view h = trim_space(header);
  for (const auto& [open, close] : kBrackets) {
    if (h.size() <= close.size() || h.substr(h.size() - close.size()) != close) continue;
    const size_t at = h.rfind(open);
    if (at == std::string_view::npos || at == 0) continue;
    const std::string_view note =
        trim_space(h.substr(at + open.size(), h.size() - close.size() - at - open.size()));
    if (note.empty()) continue;
    return std::make_pair(trim_space(h.substr(0, at)), note);
  }
  return std::nullopt;
}

int header_score(const std::vector<std::string>& row, const Ruleset& rs, const FieldIndex& index) {
  int score = 0;
  for (const std::string& cell : row) {
    if (trim_space(cell).empty()) continue;
    const std::string folded = fold_key(cell);
    std::string unit;
    bool misfit = false;
    if (index.find(cell) >= 0 || field_by_bracketed_header(cell, rs, index, unit, misfit) >= 0 ||
        is_case_id(folded) || is_region(folded) || is_one_of(folded, rs.identity.name_aliases) ||
        is_one_of(folded, rs.identity.id_aliases)) {
      ++score;
    }
  }
  return score;
}

HeaderMap map_header(const std::vector<std::string>& header, const Ruleset& rs,
                     const FieldIndex& index,
                     const std::vector<std::pair<std::string, std::string>>& maps,
                     bool region_given, const std::string& file, Findings& findings, int line) {
  HeaderMap m;
  m.field_of_column.assign(header.size(), -1);
  m.unit_of_column.assign(header.size(), std::string());
  std::vector<int> taken(rs.fields.size(), -1);
  for (size_t c = 0; c < header.size(); ++c) {
    std::string folded = fold_key(header[c]);
    int f = -1;
    for (const auto& [from, to] : maps) {
      if (fold_key(from) == folded) {
        f = index.find(to);
        if (f < 0) {
          add_error(findings, Msg::kMapUnknownField, file, line, static_cast<int>(c) + 1, from, to);
        }
      }
    }
    if (f < 0) f = index.find(header[c]);
    std::string unit;
    bool unit_misfit = false;
    if (f < 0) f = field_by_bracketed_header(header[c], rs, index, unit, unit_misfit);
    if (unit_misfit) {
      const FieldDef& d = rs.fields[f];
      const Text field{fmt::format("{}（单位：{}）", d.label.zh,
                                   d.unit_label.zh.empty() ? d.unit : d.unit_label.zh),
                       fmt::format("{} ({}, in {})", d.key, d.label.en,
                                   d.unit_label.en.empty() ? d.unit : d.unit_label.en)};
      add_error(findings, Msg::kUnitMismatch, file, line, static_cast<int>(c) + 1, c + 1, header[c],
                field);
      continue;
    }
    if (f >= 0) {
      if (taken[f] >= 0) {
        add_error(findings, Msg::kDuplicateColumn, file, line, static_cast<int>(c) + 1,
                  taken[f] + 1, header[taken[f]], c + 1, header[c],
                  Text{rs.fields[f].label.zh, rs.fields[f].key});
        continue;
      }
      taken[f] = static_cast<int>(c);
      m.field_of_column[c] = f;
      m.unit_of_column[c] = std::move(unit);
    } else if (m.name_column < 0 && is_one_of(folded, rs.identity.name_aliases)) {
      m.name_column = static_cast<int>(c);
    } else if (m.id_column < 0 && is_one_of(folded, rs.identity.id_aliases)) {
      m.id_column = static_cast<int>(c);
    } else if (m.case_id_column < 0 && is_case_id(folded)) {
      m.case_id_column = static_cast<int>(c);
    } else if (m.region_column < 0 && is_region(folded)) {
      m.region_column = static_cast<int>(c);
    } else if (!is_one_of(folded, rs.identity.carried)) {
      m.unmatched_columns.push_back(static_cast<int>(c));
    }
  }
  auto nearest_headers = [&](const FieldDef& f) {
    std::vector<std::pair<size_t, std::string>> scored;
    for (const auto& h : header) {
      size_t d = std::min(edit_distance(fold_key(h), fold_key(f.key)),
                          edit_distance(fold_key(h), fold_key(f.label.zh)));
      for (const auto& a : f.aliases) d = std::min(d, edit_distance(fold_key(h), fold_key(a)));
      scored.push_back({d, h});
    }
    std::sort(scored.begin(), scored.end());
    std::string out;
    for (size_t i = 0; i < scored.size() && i < 3; ++i) {
      out += fmt::format("{}'{}'", out.empty() ? "" : ", ", excerpt(scored[i].second, 40));
    }
    return out;
  };
  for (size_t f = 0; f < rs.fields.size(); ++f) {
    const FieldDef& d = rs.fields[f];
    if (!d.required || taken[f] >= 0 || read_from_identity(rs, d, m)) continue;
    std::string near = nearest_headers(d);
    const Text field{fmt::format("{}（{}）", d.label.zh, d.key),
                     fmt::format("{} ({})", d.key, d.label.en)};
    add_error(findings, Msg::kMissingColumn, file, line, 0, field, near, d.key);
  }
  if (m.region_column < 0 && !region_given) {
    add_error(findings, Msg::kNoRegionColumn, file, line, 0);
  }
  return m;
}

}  // namespace epil::io
