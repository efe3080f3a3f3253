#include "io/case_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/excerpt.h"
#include "core/messages.h"
#include "core/text.h"
#include "core/yaml.h"
#include "io/completion.h"
#include "io/identity.h"
#include "io/normalize.h"
#include "io/whole_file.h"

namespace epil::io {

namespace {

// "an amount such as 3000, 3,000元, 0.3万元": what a cell of the field's unit looks like, from
// units.yaml; "a number" for a unit it does not describe.
Text unit_hint(const FieldDef& f) {
  const Text& h = f.number_unit.hint;
  return {h.zh.empty() ? "数值" : h.zh, h.en.empty() ? "a number" : h.en};
}

// A value that cannot be read: what the catalogue says of it.
template <class... A>
ValueError value_error(Msg m, const A&... args) {
  const Text t = message(m, args...);
  return ValueError{t.en, t.zh};
}

}  // namespace

FieldIndex::FieldIndex(const Ruleset& rs) : rs_(rs) {
  enum_by_name_.resize(rs.fields.size());
  for (int f = 0; f < static_cast<int>(rs.fields.size()); ++f) {
    const FieldDef& d = rs.fields[f];
    if (d.kind != FieldKind::kInput) continue;
    auto add = [&](const std::string& name) {
      std::string k = fold_key(name);
      if (!k.empty()) by_name_.try_emplace(k, f);
    };
    add(d.key);
    add(d.label.zh);
    add(d.label.en);
    add(d.flag);
    for (const auto& a : d.aliases) add(a);
    int e = rs.field_enum[f];
    if (e < 0) continue;
    const EnumDef& ed = rs.enums[e];
    for (int v = 0; v < static_cast<int>(ed.values.size()); ++v) {
      auto addv = [&](const std::string& name) {
        std::string k = fold_key(name);
        if (!k.empty()) enum_by_name_[f].try_emplace(k, v);
      };
      addv(ed.values[v].key);
      addv(ed.values[v].label.zh);
      addv(ed.values[v].label.en);
      for (const auto& a : ed.values[v].aliases) addv(a);
    }
  }
}

int FieldIndex::find(std::string_view name) const {
  auto it = by_name_.find(fold_key(name));
  return it == by_name_.end() ? -1 : it->second;
}

std::vector<std::string> FieldIndex::nearest(std::string_view name, size_t n) const {
  // Only a field with a name within half the length of the shorter of the two (two bytes for
  // short names) is near: "xxxx" is then near nothing rather than near whichever field
  // happens to be closest, and 损害数额万元 is still near 损害数额. A name is
  // measured only as far as it could still enter the n nearest, so a name far from every
  // field costs a length comparison or a few rows of the distance, not the whole of it.
  const std::string k = fold_key(name);
  std::vector<std::pair<size_t, int>> top;  // the n nearest fields so far, by distance
  for (const auto& [folded, field] : by_name_) {
    const int f = field;  // a copy: clang 14 lambdas cannot capture a structured binding
    size_t limit = std::max<size_t>(2, std::min(k.size(), folded.size()) / 2) + 1;
    // A tie with the n-th may still enter: ties go by field key.
    if (top.size() == n) limit = std::min(limit, top.back().first + 1);
    auto mine = std::find_if(top.begin(), top.end(), [&](const auto& t) { return t.second == f; });
    if (mine != top.end()) limit = std::min(limit, mine->first);
    const size_t d = edit_distance(k, folded, limit);
    if (d >= limit) continue;
    if (mine != top.end()) {
      mine->first = d;
    } else {
      top.push_back({d, f});
    }
    std::sort(top.begin(), top.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first
                                : rs_.fields[a.second].key < rs_.fields[b.second].key;
    });
    if (top.size() > n) top.pop_back();
  }
  std::vector<std::string> out;
  for (const auto& t : top) out.push_back(rs_.fields[t.second].key);
  return out;
}

Text near_fields(const FieldIndex& index, std::string_view name) {
  std::string list;
  for (const auto& n : index.nearest(name)) list += (list.empty() ? "" : ", ") + n;
  if (list.empty()) return {"无相近字段", "no field close to it"};
  return {"最接近的：" + list, "nearest: " + list};
}

int FieldIndex::find_enum(int field, std::string_view text) const {
  if (field < 0 || field >= static_cast<int>(enum_by_name_.size())) return -1;
  auto it = enum_by_name_[field].find(fold_key(text));
  return it == enum_by_name_[field].end() ? -1 : it->second;
}

std::variant<Value, ValueError> read_value(const Ruleset& rs, const FieldIndex& index, int f,
                                           std::string_view text, std::deque<std::string>& store) {
  const FieldDef& d = rs.fields[f];
  // Trimmed once here: the readers below trim too, but for trimmed text that is a look at
  // its end bytes rather than another decoding scan.
  const std::string_view shown = trim_space(text);
  // What a message may quote of it: a bad value may be megabytes of confidential text, and an
  // ID number (a column mapped to the wrong field) is personal data, quoted masked.
  auto quoted = [&] {
    return read_id_number(shown).holder != IdHolder::kUnknown ? mask_id(shown) : excerpt(shown);
  };
  // Said to be unknown ("不详"): never replaced by the field's default. Blank says nothing.
  if (is_unknown_text(shown)) return Value::unknown(shown.empty() ? Value::kNone : Value::kStated);
  // A spreadsheet formula no program computed (io/xlsx_reader.cpp gives its text): its value
  // is not in the file.
  if (shown.size() > 1 && shown[0] == '=') return value_error(Msg::kFormulaNoValue, quoted());
  switch (d.type.base) {
    case BaseType::kBool:
      if (auto b = parse_bool(shown)) return Value::boolean(*b);
      return value_error(Msg::kExpectedYesNo, quoted());
    case BaseType::kNumber:
      if (auto n = parse_number(shown, d.number_unit)) {
        if ((d.min && *n < *d.min) || (d.max && *n > *d.max)) {
          const std::string lo = format_plain(d.min.value_or(0));
          const Text range =
              d.max ? Text{fmt::format("{} 至 {}", lo, format_plain(*d.max)),
                           fmt::format("{} to {}", lo, format_plain(*d.max))}
                    : Text{fmt::format("不小于 {}", lo), fmt::format("at least {}", lo)};
          // The rule behind the range, where the ruleset names one (宽限期: 法发〔2019〕35号).
          const Text why{d.limits_basis.zh.empty() ? "" : "；" + d.limits_basis.zh,
                         d.limits_basis.en.empty() ? "" : "; " + d.limits_basis.en};
          return value_error(Msg::kExpectedInRange, unit_hint(d), range, quoted(), why);
        }
        return Value::number(*n);
      }
      // An estimate is read, and kept as unknown: the rules decide only what holds whatever
      // the true amount (a row it matters to is left for review, naming it).
      if (auto n = parse_approximate_number(shown, d.number_unit))
        return Value::imprecise_number(*n);
      return value_error(Msg::kExpectedNumber, unit_hint(d), quoted());
    case BaseType::kDate:
      if (auto x = parse_date(shown)) return Value::of_date(*x);
      // A month or a year without the day: as an estimate, unknown to the rules.
      if (auto span = parse_partial_date(shown)) {
        return Value::imprecise_date(span->first.days(), span->month);
      }
      return value_error(Msg::kExpectedDate, quoted());
    case BaseType::kEnum: {
      int v = index.find_enum(f, text);
      if (v >= 0) return Value::enumeration(v);
      std::string en, zh;
      for (const auto& ev : rs.enums[rs.field_enum[f]].values) {
        en += fmt::format("{}{} ({})", en.empty() ? "" : ", ", ev.key, ev.label.zh);
        zh +=
            fmt::format("{}{}", zh.empty() ? "" : "、", ev.label.zh.empty() ? ev.key : ev.label.zh);
      }
      return value_error(Msg::kExpectedOneOf, Text{zh, en}, quoted());
    }
    case BaseType::kString:
      store.emplace_back(shown);
      return Value::string(store.back());
    default:
      return value_error(Msg::kUnreadableType);
  }
}

CaseInput::CaseInput(const Ruleset& rs) {
  int n = rs.input_count();
  values.assign(n, Value::unknown());
  given.assign(n, 0);
  defaulted.assign(n, 0);
}

std::optional<ValueError> CaseInput::set(const Ruleset& rs, const FieldIndex& index, int field,
                                         std::string_view text) {
  auto r = read_value(rs, index, field, text, store);
  if (auto* err = std::get_if<ValueError>(&r)) return *err;
  values[field] = std::get<Value>(r);
  given[field] = 1;
  return std::nullopt;
}

std::optional<Text> CaseInput::complete(const Ruleset& rs, Date as_of) {
  const Completion c = completion_of(rs);
  if (!c.any()) return std::nullopt;
  auto problem = complete_inputs(c, rs, values.data(), {debtor_name, id_number}, as_of);
  for (size_t f = 0; f < values.size(); ++f) {
    if (values[f].flags & Value::kDefaulted) defaulted[f] = 1;
  }
  return problem;
}

void CaseInput::apply_defaults(const Ruleset& rs, const FieldIndex& index) {
  for (int f = 0; f < static_cast<int>(values.size()); ++f) {
    const FieldDef& d = rs.fields[f];
    if (given[f] || !d.default_text) continue;
    auto r = read_value(rs, index, f, *d.default_text, store);
    if (auto* v = std::get_if<Value>(&r); v && v->known()) {
      values[f] = *v;
      values[f].flags |= Value::kDefaulted;
      defaulted[f] = 1;
    }
  }
}

std::optional<ValueError> KeysOfCase::note(int slot, std::string_view key, int line) {
  std::optional<Key>& seen = slot == kCaseIdSlot   ? case_id_
                             : slot == kRegionSlot ? region_
                                                   : by_field_[static_cast<size_t>(slot)];
  if (!seen) {
    seen = Key{std::string(key), line};
    return std::nullopt;
  }
  const std::string what_en = slot == kCaseIdSlot   ? std::string("case_id")
                              : slot == kRegionSlot ? std::string("region")
                                                    : rs_.fields[static_cast<size_t>(slot)].key;
  const std::string what_zh = slot == kCaseIdSlot ? std::string("案件编号")
                              : slot == kRegionSlot
                                  ? std::string("地区")
                                  : rs_.fields[static_cast<size_t>(slot)].label.zh;
  const std::string first = excerpt(seen->name), again = excerpt(key);
  return value_error(Msg::kFieldTwice, seen->line, first, line, again,
                     Text{fmt::format("{}（{}）", what_zh, what_en), what_en});
}

namespace {

// The case file's tree: read whole within file-bytes, parsed within the limits.
std::optional<yaml::Node> read_case_tree(const std::string& path, const Limits& limits,
                                         Findings& findings) {
  WholeFileError error;
  const std::optional<std::string> text = read_whole_file(path, limits.file_bytes, error);
  if (!text) {
    const Text why = message(Msg::kCaseFileUnreadable, Text{error.message_zh, error.message});
    findings.error(error.code, path, 0, 0, why.en, why.zh);  // the reading's own code
    return std::nullopt;
  }
  auto parsed = yaml::parse(*text, limits);
  if (auto* e = std::get_if<yaml::ParseError>(&parsed)) {
    const Text what = message(Msg::kCaseNotYaml);
    yaml::add_finding(findings, path, *e, "case-syntax", what.en.c_str(), what.zh.c_str());
    return std::nullopt;
  }
  yaml::Node root = std::get<yaml::Node>(parsed);
  if (!root.IsMap()) {
    add_error(findings, Msg::kCaseNotMapping, path, 1, 1);
    return std::nullopt;
  }
  return root;
}

// Where a list's name or ID number key (the ruleset's identity section) is kept, or null.
std::string* identity_key(const Ruleset& rs, const std::string& folded, CaseInput& c) {
  for (const auto& a : rs.identity.name_aliases) {
    if (fold_key(a) == folded) return &c.debtor_name;
  }
  for (const auto& a : rs.identity.id_aliases) {
    if (fold_key(a) == folded) return &c.id_number;
  }
  return nullptr;
}

}  // namespace

std::optional<CaseInput> load_case_file(const std::string& path, const Ruleset& rs,
                                        const FieldIndex& index, Findings& findings,
                                        const Limits& limits) {
  const std::optional<yaml::Node> root = read_case_tree(path, limits, findings);
  if (!root) return std::nullopt;
  CaseInput c(rs);
  KeysOfCase keys(rs);
  // Past this many unknown names the rest are counted, not listed: each hint is compared with
  // every field's names, and a file of 10,000 wrong names is not 10,000 typos.
  constexpr int kUnknownListed = 20;
  int unknown = 0, unknown_line = 0;
  for (const auto& kv : root->entries()) {
    const std::string& name = kv.first.Scalar();
    const std::string shown = excerpt(name);
    int line = kv.first.mark().line + 1, col = kv.first.mark().column + 1;
    if (!kv.second.IsScalar() && !kv.second.IsNull()) {
      add_error(findings, Msg::kCaseSingleValue, path, line, col, shown);
      continue;
    }
    std::string folded = fold_key(name);
    const int slot =
        folded == "caseid" || name == "案件编号" || name == "案号" ? KeysOfCase::kCaseIdSlot
        : folded == "region" || name == "地区" || name == "省份"   ? KeysOfCase::kRegionSlot
                                                                   : index.find(name);
    if (slot == -1 && kv.second.IsScalar()) {
      if (std::string* to = identity_key(rs, folded, c)) {
        *to = kv.second.Scalar();
        continue;
      }
    }
    if (slot == -1 && ++unknown > kUnknownListed) {
      if (unknown_line == 0) unknown_line = line;
      continue;
    }
    if (slot == -1) {
      const Text near = near_fields(index, name);
      add_error(findings, Msg::kCaseUnknownField, path, line, col, shown, near);
      continue;
    }
    if (auto twice = keys.note(slot, name, line)) {
      findings.error("duplicate-field", path, line, col, twice->en, twice->zh);
      continue;
    }
    const std::string text = kv.second.IsNull() ? "" : kv.second.Scalar();
    if (slot == KeysOfCase::kCaseIdSlot) {
      c.case_id = text;
    } else if (slot == KeysOfCase::kRegionSlot) {
      c.region = text;
    } else if (auto err = c.set(rs, index, slot, text)) {
      const FieldDef& fd = rs.fields[slot];
      add_error(findings, Msg::kCaseFieldValue, path, kv.second.mark().line + 1,
                kv.second.mark().column + 1,
                Text{fmt::format("{}（{}）", fd.label.zh, fd.key), fd.key}, Text{err->zh, err->en});
    }
  }
  if (unknown > kUnknownListed) {
    const int more = unknown - kUnknownListed;
    add_error(findings, Msg::kCaseMoreUnknownFields, path, unknown_line, 1, more);
  }
  if (!findings.ok()) return std::nullopt;
  return c;
}

}  // namespace epil::io
