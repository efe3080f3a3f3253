#include "core/units.h"

#include <charconv>

#include "core/messages.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

UnitDef UnitDef::named_only(std::string_view unit) {
  UnitDef u;
  u.unit = unit;
  std::string folded;
  for (char c : unit) {
    if (c == ' ') continue;
    folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  if (!folded.empty()) u.suffixes.push_back({std::move(folded), 0, 1});
  return u;
}

const UnitDef* UnitTable::find(std::string_view unit) const {
  for (const UnitDef& u : units) {
    if (u.unit == unit) return &u;
  }
  return nullptr;
}

namespace {

// "15e-4" → {15, -4}: a whole factor up to a million, a power of ten from -18 to 18.
bool parse_multiplier(std::string_view s, UnitSuffix& out) {
  const size_t e = s.find_first_of("eE");
  const std::string_view m = s.substr(0, e);
  int factor = 0, exp10 = 0;
  auto [p, ec] = std::from_chars(m.data(), m.data() + m.size(), factor);
  if (ec != std::errc() || p != m.data() + m.size() || factor < 1 || factor > 1000000) {
    return false;
  }
  if (e != std::string_view::npos) {
    std::string_view x = s.substr(e + 1);
    if (!x.empty() && x.front() == '+') x.remove_prefix(1);
    auto [q, ec2] = std::from_chars(x.data(), x.data() + x.size(), exp10);
    if (ec2 != std::errc() || q != x.data() + x.size() || exp10 < -18 || exp10 > 18) return false;
  }
  out.factor = factor;
  out.exp10 = exp10;
  return true;
}

// Suffixes and prefixes are compared with folded cells: no capitals, no spaces.
bool folded_form(std::string_view s) {
  for (char c : s) {
    if ((c >= 'A' && c <= 'Z') || c == ' ' || c == '\t') return false;
  }
  return !s.empty();
}

void read_unit(YamlReader& r, const yaml::Node& key, const yaml::Node& def, UnitTable& table) {
  UnitDef u;
  u.unit = key.Scalar();
  u.line = YamlReader::line(key);
  if (!r.is_map(def, "unit")) return;
  r.allowed_keys(def, "unit", {"hint", "prefixes", "suffixes"});
  u.hint = r.text(def["hint"], "hint");
  for (std::string& p : r.string_list(def["prefixes"], "prefixes")) {
    if (!folded_form(p)) {
      r.error(def["prefixes"], Msg::kPrefixNotFolded, p);
      continue;
    }
    u.prefixes.push_back(std::move(p));
  }
  if (yaml::Node suffixes = def["suffixes"]; suffixes && r.is_map(suffixes, "suffixes")) {
    for (const auto& [name, value] : suffixes.entries()) {
      UnitSuffix s;
      s.text = name.Scalar();
      const std::string written = value.IsScalar() ? value.Scalar() : "";
      if (!folded_form(s.text)) {
        r.error(name, Msg::kSuffixNotFolded, s.text);
      } else if (!parse_multiplier(written, s)) {
        r.error(value, Msg::kBadMultiplier, u.unit, s.text, written);
      } else {
        u.suffixes.push_back(std::move(s));
      }
    }
  }
  if (table.find(u.unit)) {
    r.error(key, Msg::kUnitDefinedTwice, u.unit);
    return;
  }
  table.units.push_back(std::move(u));
}

}  // namespace

UnitTable load_units(std::string_view text, const std::string& file, Findings& findings,
                     const Limits& limits) {
  UnitTable table;
  table.file = file;
  YamlReader r(file, findings, limits);
  auto root = r.parse_map(text, "units file", {"units"});
  if (!root) return table;
  yaml::Node units = (*root)["units"];
  if (!units || !r.is_map(units, "units")) return table;
  for (const auto& [key, def] : units.entries()) read_unit(r, key, def, table);
  return table;
}

}  // namespace epil
