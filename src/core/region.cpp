#include "core/region.h"

#include <fmt/format.h>

#include "core/messages.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

namespace {

std::optional<Value> convert(YamlReader& r, const yaml::Node& n, const ParamDef& p,
                             const std::string& what) {
  if (n.IsNull()) return std::nullopt;  // caller treats as "not set from this date"
  switch (p.type.base) {
    case BaseType::kNumber:
      if (auto v = r.number(n, what)) return Value::number(*v);
      return std::nullopt;
    case BaseType::kBool:
      if (auto v = r.boolean(n, what)) return Value::boolean(*v);
      return std::nullopt;
    case BaseType::kDate:
      if (auto v = r.date(n, what)) return Value::of_date(*v);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::vector<DatedValue> load_values(YamlReader& r, const yaml::Node& n, const ParamDef& p,
                                    const std::string& what) {
  std::vector<DatedValue> out;
  if (!n.IsSequence()) {
    r.error(n, Msg::kNotDatedValues, what);
    return out;
  }
  for (const auto& item : n.items()) {
    if (!r.is_map(item, what)) continue;
    r.allowed_keys(item, what, {"since", "value", "source", "status", "last_checked", "note"});
    DatedValue dv;
    dv.file = r.file();
    dv.line = YamlReader::line(item);
    dv.column = YamlReader::column(item);
    if (!item["since"]) {
      r.error(item, Msg::kSinceRequired, what);
    } else if (auto d = r.date(item["since"], what + ".since")) {
      dv.since = *d;
    } else {
      continue;  // reported; a value with no date in force cannot be ordered or used
    }
    yaml::Node v = item["value"];
    if (!v) {
      r.error(item, Msg::kValueRequired, what);
      continue;
    }
    if (!v.IsNull()) {
      dv.value_text = v.IsScalar() ? v.Scalar() : "";
      dv.value = convert(r, v, p, what + ".value");
      if (!dv.value) continue;
      if (dv.value->kind == Value::kNumber) {
        double x = dv.value->num;
        if ((p.min && x < *p.min) || (p.max && x > *p.max)) {
          std::string lo = p.min ? fmt::format("{}", *p.min) : "-∞";
          std::string hi = p.max ? fmt::format("{}", *p.max) : "+∞";
          r.error(v, Msg::kValueOutOfRange, what, x, lo, hi, p.unit);
        }
      }
    }
    std::string status = r.optional_scalar(item, "status", what + ".status");
    if (auto s = parse_status(status)) {
      dv.status = *s;
    } else {
      r.error(item["status"] ? item["status"] : yaml::Node(item), Msg::kBadStatus, what, status);
    }
    yaml::Node src = item["source"];
    if (src && src.IsMap()) {
      r.allowed_keys(src, what + ".source", {"document", "title", "article", "url", "note"});
      dv.source.document = r.optional_scalar(src, "document", what + ".source.document");
      dv.source.title = r.optional_scalar(src, "title", what + ".source.title");
      dv.source.article = r.optional_scalar(src, "article", what + ".source.article");
      dv.source.url = r.optional_scalar(src, "url", what + ".source.url");
      dv.source.note = r.optional_scalar(src, "note", what + ".source.note");
    } else if (src && src.IsScalar()) {
      dv.source.document = src.Scalar();
    }
    // Every dated value carries its source: a number nobody can trace is not a threshold.
    if (dv.source.document.empty()) {
      r.error(src ? src : yaml::Node(item), Msg::kNoSourceDocument, what, dv.since.iso());
    }
    if (item["last_checked"])
      dv.last_checked = r.date(item["last_checked"], what + ".last_checked");
    out.push_back(std::move(dv));
  }
  return out;
}

// The name among `names` nearest `key`, when it is a near miss; "" otherwise.
template <class Names, class Key>
std::string nearest(const Names& names, Key key_of, std::string_view key) {
  NearestName near(key);
  for (const auto& n : names) near.offer(key_of(n));
  return near.name();
}

// One parameter's values in a region file: by index value for a parameter indexed over an enum
// (nullopt, reported, when those are not a mapping).
std::optional<ParamSetting> load_setting(YamlReader& r, const Ruleset& rs, const ParamDef& p,
                                         const yaml::Node& key, const yaml::Node& value,
                                         const std::string& what) {
  ParamSetting s;
  s.line = YamlReader::line(key);
  s.column = YamlReader::column(key);
  if (p.index_enum < 0) {
    s.values = load_values(r, value, p, what);
    return s;
  }
  if (!r.is_map(value, what)) return std::nullopt;
  const EnumDef& e = rs.enums[p.index_enum];
  for (const auto& ikv : value.entries()) {
    std::string ik = ikv.first.Scalar();
    if (e.find(ik) < 0) {
      std::string keys;
      for (const auto& v : e.values) keys += (keys.empty() ? "" : ", ") + v.key;
      const std::string near = nearest(
          e.values, [](const auto& v) { return v.key; }, ik);
      if (near.empty()) {
        r.error(ikv.first, Msg::kNotIndexValue, what, ik, p.index_field, keys);
      } else {
        r.error(ikv.first, Msg::kNotIndexValueDidYouMean, what, ik, p.index_field, keys, near);
      }
      continue;
    }
    s.by_index[ik] = load_values(r, ikv.second, p, what + "." + ik);
  }
  return s;
}

// The parameters of one ruleset in a region file, into `dest`; a key the ruleset does not
// declare is an error, with the declared name nearest it.
void load_ruleset_parameters(YamlReader& r, const Ruleset& rs, const yaml::Node& map,
                             std::map<std::string, ParamSetting>& dest) {
  for (const auto& pkv : map.entries()) {
    std::string key = pkv.first.Scalar();
    std::string what = fmt::format("parameters.{}.{}", rs.id, key);
    const int pi = rs.find_param(key);
    if (pi < 0) {
      const std::string near = nearest(
          rs.params, [](const ParamDef& p) { return p.key; }, key);
      if (near.empty()) {
        r.error(pkv.first, Msg::kUnknownParameter, what, rs.id, key);
      } else {
        r.error(pkv.first, Msg::kUnknownParameterDidYouMean, what, rs.id, key, near);
      }
      continue;
    }
    if (auto s = load_setting(r, rs, rs.params[pi], pkv.first, pkv.second, what)) {
      dest[key] = std::move(*s);
    }
  }
}

// `parameters:`: ruleset id → parameter key → dated values.
void load_parameters(YamlReader& r, const yaml::Node& params, const std::vector<Ruleset>& rulesets,
                     bool partial, Region& g) {
  if (!params || !r.is_map(params, "parameters")) return;
  for (const auto& rkv : params.entries()) {
    std::string rs_id = rkv.first.Scalar();
    const Ruleset* rs = nullptr;
    for (const auto& x : rulesets) {
      if (x.id == rs_id) rs = &x;
    }
    if (!rs && partial) continue;
    if (!rs) {
      r.error(rkv.first, Msg::kParametersOfUnknownRuleset, rs_id);
      continue;
    }
    if (!r.is_map(rkv.second, fmt::format("parameters.{}", rs_id))) continue;
    load_ruleset_parameters(r, *rs, rkv.second, g.parameters[rs_id]);
  }
}

}  // namespace

std::optional<Region> load_region(std::string_view text, const std::string& file,
                                  const std::vector<Ruleset>& rulesets, Findings& findings,
                                  bool partial, const Limits& limits) {
  YamlReader r(file, findings, limits);
  auto root_opt = r.parse(text);
  if (!root_opt) return std::nullopt;
  const yaml::Node& root = *root_opt;
  if (!root.IsMap()) {
    add_error(findings, Msg::kRegionNotMapping, file, 1, 1);
    return std::nullopt;
  }
  // An overlay file names itself with `overlay:` instead of `region:`; it has no place in the
  // region chain (no extends, code or aliases) and applies on top of any region when selected.
  bool overlay = static_cast<bool>(root["overlay"]);
  if (overlay) {
    r.allowed_keys(root, "overlay",
                   {"overlay", "name", "aliases", "last_checked", "note", "parameters"});
  } else {
    r.allowed_keys(
        root, "region",
        {"region", "name", "code", "aliases", "extends", "last_checked", "note", "parameters"});
  }
  Region g;
  g.file = file;
  g.line = 1;
  g.overlay = overlay;
  const char* id_key = overlay ? "overlay" : "region";
  auto id = r.required_scalar(root, id_key, id_key);
  if (!id) return std::nullopt;
  g.id = *id;
  g.name = r.text(root["name"], "name");
  g.code = r.optional_scalar(root, "code", "code");
  g.aliases = r.string_list(root["aliases"], "aliases");
  g.extends = r.optional_scalar(root, "extends", "extends");
  auto line_of = [&](const char* key) {
    return root[key] ? YamlReader::line(root[key]) : YamlReader::line(root);
  };
  g.aliases_line = line_of("aliases");
  g.extends_line = line_of("extends");
  if (root["extends"]) g.extends_column = YamlReader::column(root["extends"]);
  g.code_line = line_of("code");
  g.name_line = line_of("name");
  g.line = line_of(id_key);
  g.note = r.text(root["note"], "note");
  if (root["last_checked"]) g.last_checked = r.date(root["last_checked"], "last_checked");
  load_parameters(r, root["parameters"], rulesets, partial, g);
  return g;
}

}  // namespace epil
