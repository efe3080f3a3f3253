// The summary of a run: as people read it, as JSON, and the columns no field reads.
#include "io/batch_summary.h"

#include <fmt/format.h>

#include "core/excerpt.h"
#include "io/json.h"

namespace epil::io {

namespace detail {

namespace {

constexpr size_t kMaxUnmatchedListed = 20;  // columns no field reads, listed in the summary

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

}  // namespace

void list_unmatched(const Ruleset& rs, const std::vector<std::string>& header, const HeaderMap& map,
                    const FieldIndex& index, BatchSummary& summary) {
  summary.unmatched_count = static_cast<int64_t>(map.unmatched_columns.size());
  for (int c : map.unmatched_columns) {
    if (summary.unmatched.size() == kMaxUnmatchedListed) break;
    const std::string& h = header[static_cast<size_t>(c)];
    summary.unmatched.push_back({c + 1, h, plausible_fields(rs, h, index.nearest(h, 2))});
  }
}

}  // namespace detail

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
        near += fmt::format("{}{} ({})",
                            near.empty() ? ""
                            : zh         ? "、"
                                         : ", ",
                            f >= 0 ? rs.fields[f].label.in(lang) : key, key);
      }
      const std::string name = u.header.empty() ? std::string(zh ? "（无表头）" : "(no header)")
                                                : "'" + excerpt(u.header, 40) + "'";
      if (near.empty()) {
        out += zh ? fmt::format("  第 {} 列 {}：无相近字段\n", u.column, name)
                  : fmt::format("  column {} {}: no field close to it\n", u.column, name);
        continue;
      }
      out += zh ? fmt::format(
                      "  第 {} 列 {}；最接近的字段：{}；如属其一，请改表头或用 --map '表头=字段'\n",
                      u.column, name, near)
                : fmt::format(
                      "  column {} {}; nearest fields: {}; if it is one, rename the "
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
