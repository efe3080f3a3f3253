#include "io/config_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/explain.h"
#include "core/messages.h"
#include "io/json.h"
#include "io/report.h"

namespace epil::io {

namespace {

// How many values a region sets, and how many of each status.
struct ValueCount {
  int values = 0;
  std::map<std::string, int> statuses;
};

ValueCount count_values(const Region& r) {
  ValueCount n;
  for (const auto& [rsid, params] : r.parameters) {
    for (const auto& [k, s] : params) {
      auto count = [&](const std::vector<DatedValue>& v) {
        for (const auto& dv : v) {
          ++n.values;
          ++n.statuses[status_key(dv.status)];
        }
      };
      count(s.values);
      for (const auto& [ik, v] : s.by_index) count(v);
    }
  }
  return n;
}

void region_list_json(JsonWriter& w, const Region& r, const ValueCount& n, Lang lang) {
  w.begin_object();
  w.key("id").value(r.id);
  w.key("name").value(r.name.in(lang));
  w.key("code").value(r.code);
  w.key("overlay").value(r.overlay);
  w.key("extends");
  if (r.extends.empty())
    w.value(nullptr);
  else
    w.value(r.extends);
  w.key("values").value(static_cast<int64_t>(n.values));
  w.key("statuses").begin_object();
  for (const auto& [k, c] : n.statuses) w.key(k).value(static_cast<int64_t>(c));
  w.end_object();
  w.key("file").value(r.file);
  w.end_object();
}

// One parameter cell (one index of an indexed parameter) of a resolved epoch.
struct ShownCell {
  const ParamDef& param;
  std::string index;  // the enum key of an indexed parameter; empty otherwise
  const ParamCell& cell;
  const Provenance* provenance;  // null: no region sets it for this date
};

void cell_json(JsonWriter& w, const ShownCell& c, Lang lang) {
  w.begin_object();
  w.key("parameter").value(c.param.key);
  w.key("index");
  if (c.index.empty())
    w.value(nullptr);
  else
    w.value(c.index);
  w.key("label").value(c.param.label.in(lang));
  w.key("set").value(c.cell.value.known());
  w.key("value");
  if (c.cell.value.kind == Value::kNumber)
    w.value(c.cell.value.num);
  else if (c.cell.value.kind == Value::kBool)
    w.value(c.cell.value.b);
  else
    w.value(nullptr);
  w.key("unit").value(c.param.unit);
  if (const Provenance* pv = c.provenance) {
    w.key("region").value(pv->region->id);
    w.key("status").value(status_key(pv->value->status));
    w.key("source");
    write_source(w, pv->value->source);
    w.key("since").value(pv->value->since.iso());
    w.key("until");
    if (pv->until)
      w.value(pv->until->iso());
    else
      w.value(nullptr);
    w.key("file").value(pv->value->file);
    w.key("line").value(static_cast<int64_t>(pv->value->line));
  }
  w.end_object();
}

std::string cell_text(const ShownCell& c, const Ruleset& rs, size_t width, Lang lang) {
  std::string name = c.index.empty() ? c.param.key : c.param.key + "[" + c.index + "]";
  const Provenance* pv = c.provenance;
  if (!pv) {
    // Unset cells are many (one per enum value): listed only in JSON, unless the date is
    // before the parameter's first value.
    if (!(c.cell.value.flags & Value::kBeforeValues)) return "";
    return fmt::format(
        "  {:<{}} {}\n", name, width,
        lang == Lang::kZh ? "（该日期早于最早生效日期）" : "(date before the first value)");
  }
  Text shown = show_value(c.cell.value, rs, -1, c.param.unit_label);
  std::string until = pv->until ? fmt::format(" → {}", pv->until->iso()) : "";
  return fmt::format("  {:<{}} {:<14} {} · {} · {} · {}{} · {}:{}\n", name, width, shown.in(lang),
                     pv->region->id, status_label(pv->value->status).in(lang),
                     cite(pv->value->source), pv->value->since.iso(), until, pv->value->file,
                     pv->value->line);
}

// One column width per ruleset, from its longest parameter name, so that columns line up.
size_t name_width(const Ruleset& rs) {
  size_t width = 0;
  for (const auto& pd : rs.params) {
    size_t longest_index = 0;
    if (pd.index_enum >= 0) {
      for (const auto& v : rs.enums[pd.index_enum].values) {
        longest_index = std::max(longest_index, v.key.size() + 2);
      }
    }
    width = std::max(width, pd.key.size() + longest_index + 1);
  }
  return width;
}

// Every cell of every parameter of `rs` in force on `date` under program `p`.
template <class F>
void for_each_cell(const Ruleset& rs, const CompiledRuleset& p, Date date, F&& f) {
  const Epoch& ep = p.epoch(p.epoch_for(date.days()));
  for (size_t pi = 0; pi < rs.params.size(); ++pi) {
    const ParamDef& pd = rs.params[pi];
    int n = pd.index_enum >= 0 ? static_cast<int>(rs.enums[pd.index_enum].values.size()) : 1;
    for (int i = 0; i < n; ++i) {
      const ParamCell& cell = ep.cells[p.param_base(static_cast<int>(pi)) + i];
      std::string index = pd.index_enum >= 0 ? rs.enums[pd.index_enum].values[i].key : "";
      f(ShownCell{pd, std::move(index), cell,
                  cell.provenance >= 0 ? &p.provenance(cell.provenance) : nullptr});
    }
  }
}

std::string region_heading(Config& config, const Region& region, const Region* overlay, Date date,
                           Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string chain;
  for (const Region* r : config.chain(region, overlay)) {
    chain += (chain.empty() ? "" : " → ") + r->id;
  }
  std::string out = fmt::format("{} ({}) · {} {} · {}\n", region.name.in(lang), region.id,
                                zh ? "代码" : "code", region.code, chain);
  if (!region.note.empty()) out += region.note.in(lang) + "\n";
  out += zh ? fmt::format("{} 施行的参数：\n", date.iso())
            : fmt::format("Parameters in force on {}:\n", date.iso());
  return out;
}

// The values `region`'s own file sets: those in force on `date` as `regions show` prints them,
// then those it sets from a later date only.
std::string own_region_text(Config& config, const Region& region, Date date, Lang lang) {
  std::string out = region_heading(config, region, nullptr, date, lang);
  out.erase(out.rfind('\n', out.size() - 2) + 1);  // the heading's "Parameters in force on …"
  out += message(Msg::kRegionOwnHeading, region.file, date.iso()).in(lang) + "\n";
  bool any = false;
  for (const auto& rs : config.rulesets()) {
    const auto own = region.parameters.find(rs.id);
    const CompiledRuleset* p = config.compiled(rs, region, nullptr);
    if (own == region.parameters.end() || !p) continue;
    any = true;
    const size_t width = name_width(rs);
    out += fmt::format("[{}] {}\n", rs.id, rs.name.in(lang));
    for_each_cell(rs, *p, date, [&](const ShownCell& c) {
      if (c.provenance && c.provenance->region == &region) out += cell_text(c, rs, width, lang);
    });
    auto later = [&](const std::string& name, const std::vector<DatedValue>& values) {
      if (values.empty() || values.front().since <= date) return;
      const DatedValue& first = values.front();
      out += fmt::format(
          "  {:<{}} {}\n", name, width,
          message(Msg::kRegionOwnLater, first.since.iso(), first.file, first.line).in(lang));
    };
    for (const ParamDef& pd : rs.params) {  // in the ruleset's order, as the cells above
      const auto setting = own->second.find(pd.key);
      if (setting == own->second.end()) continue;
      later(pd.key, setting->second.values);
      if (pd.index_enum < 0) continue;
      for (const auto& v : rs.enums[pd.index_enum].values) {
        const auto values = setting->second.by_index.find(v.key);
        if (values != setting->second.by_index.end()) {
          later(pd.key + "[" + v.key + "]", values->second);
        }
      }
    }
  }
  if (!any) out += message(Msg::kRegionOwnNone).in(lang) + "\n";
  return out;
}

}  // namespace

std::string render_region_list(const Config& config, Lang lang, ReportFormat format) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  JsonWriter w(out, JsonWriter::Style::kPretty);
  if (format == ReportFormat::kJson) w.begin_array();
  for (const auto& r : config.regions()) {
    const ValueCount n = count_values(r);
    if (format == ReportFormat::kJson) {
      region_list_json(w, r, n, lang);
      continue;
    }
    std::string st;
    for (const auto& [k, c] : n.statuses)
      st += fmt::format("{}{} {}", st.empty() ? "" : ", ", c, k);
    // An overlay has no code and no parent: it applies on top of any region (--overlay).
    std::string code = r.overlay ? (zh ? "叠加" : "overlay") : r.code;
    out += fmt::format("{:<10} {:<8} {:<10} {}  ({} {}{}{})\n", r.id, code,
                       r.extends.empty() ? "-" : r.extends, r.name.in(lang), n.values,
                       zh ? "个取值" : "values", st.empty() ? "" : ": ", st);
  }
  if (format == ReportFormat::kJson) {
    w.end_array();
    out += "\n";
  }
  return out;
}

std::string render_region(Config& config, const Region& region, const Region* overlay, Date date,
                          Lang lang, ReportFormat format, bool own) {
  // With `own`, a cell is shown when the region's own file set the value in force.
  auto shown = [&](const ShownCell& c) {
    return !own || (c.provenance && c.provenance->region == &region);
  };
  if (format == ReportFormat::kText) {
    if (own) return own_region_text(config, region, date, lang);
    std::string out = region_heading(config, region, overlay, date, lang);
    for (const auto& rs : config.rulesets()) {
      const CompiledRuleset* p = config.compiled(rs, region, overlay);
      if (!p) continue;
      const size_t width = name_width(rs);
      out += fmt::format("[{}] {}\n", rs.id, rs.name.in(lang));
      for_each_cell(rs, *p, date,
                    [&](const ShownCell& c) { out += cell_text(c, rs, width, lang); });
    }
    return out;
  }
  std::string out;
  JsonWriter w(out, JsonWriter::Style::kPretty);
  w.begin_object();
  w.key("region").value(region.id);
  w.key("name").value(region.name.in(lang));
  w.key("code").value(region.code);
  w.key("date").value(date.iso());
  if (own) w.key("own").value(true);
  w.key("chain").begin_array();
  for (const Region* r : config.chain(region, overlay)) w.value(r->id);
  w.end_array();
  w.key("rulesets").begin_object();
  for (const auto& rs : config.rulesets()) {
    const CompiledRuleset* p = config.compiled(rs, region, overlay);
    if (!p || (own && !region.parameters.count(rs.id))) continue;
    w.key(rs.id).begin_array();
    for_each_cell(rs, *p, date, [&](const ShownCell& c) {
      if (shown(c)) cell_json(w, c, lang);
    });
    w.end_array();
  }
  w.end_object();
  w.end_object();
  return out + "\n";
}

std::string render_check(const Config& checked, Lang lang, ReportFormat format) {
  const bool zh = lang == Lang::kZh;
  const Findings& f = checked.findings();
  std::string out;
  if (format == ReportFormat::kJson) {
    JsonWriter w(out, JsonWriter::Style::kPretty);
    w.begin_object();
    w.key("ok").value(f.ok());
    w.key("errors").value(static_cast<int64_t>(f.error_count()));
    w.key("warnings").value(static_cast<int64_t>(f.warning_count()));
    w.key("findings").begin_array();
    for (const auto& x : f.items()) {
      w.begin_object();
      w.key("code").value(x.code);
      w.key("severity")
          .value(x.severity == Severity::kError     ? "error"
                 : x.severity == Severity::kWarning ? "warning"
                                                    : "note");
      w.key("file").value(x.file);
      w.key("line").value(static_cast<int64_t>(x.line));
      w.key("column").value(static_cast<int64_t>(x.column));
      w.key("message").value(zh ? x.message_zh : x.message);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    return out + "\n";
  }
  for (const auto& x : f.items()) out += x.format(zh) + "\n";
  const Text where = checked.origin().empty() ? message(Msg::kBuiltInConfiguration)
                                              : Text{checked.origin(), checked.origin()};
  out += message(Msg::kCheckSummary, where, checked.rulesets().size(), checked.regions().size(),
                 f.error_count(), f.warning_count())
             .in(lang) +
         "\n";
  return out;
}

}  // namespace epil::io
