// The summary of a run: as people read it, as JSON, and the columns no field reads.
#include "io/batch_summary.h"

#include <fmt/format.h>

#include "core/excerpt.h"
#include "core/messages.h"
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

namespace {

// What people read for an outcome key, "error" (rows not read) included.
std::string outcome_label(const Ruleset& rs, const std::string& key, Lang lang) {
  const int o = rs.find_outcome(key);
  if (o >= 0) return rs.outcomes[o].label.in(lang);
  return key == "error" ? message(Msg::kSummaryUnreadable).in(lang) : key;
}

std::string region_label(const Config& config, const std::string& key, Lang lang) {
  const Region* g = config.find_region(key);
  return g ? g->name.in(lang) : key;
}

// The label of value `key` of enum field `f`, or the key.
std::string value_label(const Ruleset& rs, int f, const std::string& key, Lang lang) {
  if (f < 0 || rs.field_enum[f] < 0) return key;
  const EnumDef& e = rs.enums[rs.field_enum[f]];
  const int v = e.find(key);
  return v >= 0 ? e.values[v].label.in(lang) : key;
}

int64_t count_of(const std::map<std::string, int64_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

// The rows a table's lines do not hold, said as its last line, so that the total is the
// rows screened.
void add_rest(SummaryTable& t, Msg label, Lang lang) {
  int64_t placed = 0;
  for (const auto& line : t.lines) placed += line.rows;
  t.rest = SummaryTable::Line{message(label).in(lang), "", t.total - placed};
}

// "按地区：广西壮族自治区 2，陕西省 1" and, when some rows have no place in it, that line and
// the total: "，地区未填写或无法识别（这些行无法读取） 2；合计 5 行". Empty lines are left out.
std::string breakdown_line(const SummaryTable& t, const std::string& caption, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string parts;
  auto add = [&](const SummaryTable::Line& line) {
    if (line.rows == 0) return;
    parts += fmt::format("{}{} {}", parts.empty() ? "" : zh ? "，" : ", ", line.label, line.rows);
  };
  for (const auto& line : t.lines) add(line);
  if (t.rest) add(*t.rest);
  if (parts.empty()) return "";
  if (t.rest && t.rest->rows > 0) {
    parts += zh ? fmt::format("；合计 {} 行", t.total) : fmt::format("; total {} rows", t.total);
  }
  return fmt::format("{}{}{}\n", caption, zh ? "：" : ": ", parts);
}

}  // namespace

std::string nearest_fields(const Ruleset& rs, const UnmatchedColumn& u, Lang lang) {
  std::string near;
  for (const std::string& key : u.nearest) {
    const int f = rs.find_field(key);
    near += fmt::format("{}{} ({})",
                        near.empty()        ? ""
                        : lang == Lang::kZh ? "、"
                                            : ", ",
                        f >= 0 ? rs.fields[f].label.in(lang) : key, key);
  }
  return near;
}

std::vector<SummaryTable> summary_tables(const BatchSummary& s, const Ruleset& rs,
                                         const Config& config, Lang lang) {
  std::vector<SummaryTable> out;
  SummaryTable& by_outcome = out.emplace_back();
  by_outcome.caption = message(Msg::kSummaryByOutcome).in(lang);
  by_outcome.subject = message(Msg::kSummaryOutcome).in(lang);
  for (const OutcomeDef& o : rs.outcomes) {
    by_outcome.lines.push_back({o.label.in(lang), o.key, count_of(s.by_outcome, o.key)});
  }
  // Every row has an outcome or is unreadable: this table needs no line for the rest.
  by_outcome.lines.push_back({outcome_label(rs, "error", lang), "error", s.errors});
  by_outcome.total = s.rows;

  SummaryTable& by_region = out.emplace_back();
  by_region.caption = message(Msg::kSummaryByRegion).in(lang);
  by_region.subject = message(Msg::kSummaryRegion).in(lang);
  for (const Region& g : config.regions()) {
    if (const int64_t n = count_of(s.by_region, g.id); n > 0) {
      by_region.lines.push_back({g.name.in(lang), g.id, n});
    }
  }
  by_region.total = s.rows;
  add_rest(by_region, Msg::kSummaryNoRegion, lang);

  const int f = s.breakdown_field.empty() ? -1 : rs.find_field(s.breakdown_field);
  if (f >= 0 && rs.field_enum[f] >= 0) {
    SummaryTable& by_value = out.emplace_back();
    by_value.subject = rs.fields[f].label.in(lang);
    by_value.caption = message(Msg::kSummaryByField, rs.fields[f].label).in(lang);
    for (const EnumValue& v : rs.enums[rs.field_enum[f]].values) {
      by_value.lines.push_back({v.label.in(lang), v.key, count_of(s.by_breakdown, v.key)});
    }
    by_value.total = s.rows;
    add_rest(by_value, Msg::kSummaryNoValue, lang);
  }
  return out;
}

std::string summary_text(const BatchSummary& s, const Ruleset& rs, const Config& config,
                         Lang lang) {
  bool zh = lang == Lang::kZh;
  std::string out;
  auto label = [&](const std::string& key) { return outcome_label(rs, key, lang); };
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
  // By region and by the summary field: the same tables the XLSX summary sheet holds, so that
  // each line adds up to the rows in the file (the rows a table cannot place said last, with
  // the total).
  const std::vector<SummaryTable> tables = summary_tables(s, rs, config, lang);
  for (size_t t = 1; t < tables.size(); ++t) {
    out += breakdown_line(tables[t],
                          t == 1 ? std::string(zh ? "按地区" : "by region")
                                 : fmt::format("{}{}", zh ? "按" : "by ", tables[t].subject),
                          lang);
  }
  if (!s.unmatched.empty()) {
    // Said on every run: a column typed for a field but not named as epil knows it would
    // otherwise be carried through unread, and its facts missed in silence.
    out += message(Msg::kSummaryUnmatched).in(lang) + (zh ? "：\n" : ":\n");
    for (const UnmatchedColumn& u : s.unmatched) {
      const std::string near = nearest_fields(rs, u, lang);
      const std::string name = u.header.empty() ? std::string(zh ? "（无表头）" : "(no header)")
                                                : fmt::format("'{}'", excerpt(u.header, 40));
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
