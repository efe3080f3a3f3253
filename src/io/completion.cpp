#include "io/completion.h"

#include <algorithm>
#include <cmath>

#include "core/messages.h"
#include "core/text.h"
#include "io/identity.h"

namespace epil::io {

namespace {

// A value the case gives or a default fills: the latter yields to what the cells say.
bool open(const Value& v) { return !v.known() || (v.flags & Value::kDefaulted); }

std::optional<Date> known_date(const Value& v) {
  if (v.kind != Value::kDate || v.open_date()) return std::nullopt;
  return v.as_date();
}

// To the fen: a sum of decimals carries binary noise (71.99999999999999).
std::string money_text(double x) { return format_grouped(std::round(x * 100) / 100); }

std::optional<Text> complete_sum(const Ruleset& rs, Value* values, int field,
                                 const std::vector<int>& parts) {
  double sum = 0;
  for (int p : parts) {
    // A part not known, or only assumed by default: no sum (it would be an assumption said as
    // a fact).
    if (values[p].kind != Value::kNumber || (values[p].flags & Value::kDefaulted)) {
      return std::nullopt;
    }
    sum += values[p].num;
  }
  Value& v = values[field];
  if (open(v)) {
    v = Value::number(sum);
    return std::nullopt;
  }
  if (v.kind != Value::kNumber || std::fabs(v.num - sum) < 0.005) return std::nullopt;
  Text names;
  for (int p : parts) {
    names.zh += (names.zh.empty() ? "" : "、") + rs.fields[p].label.zh;
    names.en += (names.en.empty() ? "" : " and ") + rs.fields[p].label.en;
  }
  return message(Msg::kSumMismatch, rs.fields[field].label, money_text(v.num), names,
                 money_text(sum));
}

// The type the ID's form says, else the one a name's ending says; -1 when neither says, or
// they say different things (a 个体工商户's shop name beside its operator's 身份证号码).
int type_said(const Completion& c, const IdentityCells& cells, const IdReading& id, bool& by_id) {
  const int from_id = id.holder == IdHolder::kPerson         ? c.person
                      : id.holder == IdHolder::kOrganisation ? c.organisation
                                                             : -1;
  const int from_name = organisation_name(cells.name, c.organisation_endings) ? c.organisation : -1;
  by_id = from_id >= 0;
  if (from_id >= 0 && from_name >= 0 && from_id != from_name) return -1;
  return from_id >= 0 ? from_id : from_name;
}

std::optional<Text> complete_type(const Completion& c, const Ruleset& rs, Value* values,
                                  const IdentityCells& cells, const IdReading& id) {
  bool by_id = false;
  const int said = type_said(c, cells, id, by_id);
  if (said < 0) return std::nullopt;
  Value& v = values[c.type_field];
  // A name alone says "organisation" only where nothing says a person: an age given is a
  // person's (a list gives none for an organisation), and a 个体工商户's shop name (某某加工厂)
  // may end like a firm's. Then the type stays to be given, not guessed.
  if (!by_id && c.age_field >= 0 && values[c.age_field].known()) return std::nullopt;
  if (open(v)) {
    v = Value::enumeration(said);
    return std::nullopt;
  }
  // A type given against the ID's form is a contradiction; against a name's ending, the name
  // is the weaker word and the type given stands.
  if (!by_id || v.kind != Value::kEnum || v.enum_index == said) return std::nullopt;
  const EnumDef& e = rs.enums[rs.field_enum[c.type_field]];
  return message(Msg::kIdentityConflict, rs.fields[c.type_field].label,
                 e.values[v.enum_index].label, rs.identity.id_label, e.values[said].label);
}

// The age on the act's date; when that date is unknown, on every day it can lie between
// its known bounds, if the same on all of them.
void complete_age(const Completion& c, Value* values, const IdReading& id, Date as_of) {
  Value& v = values[c.age_field];
  if (!open(v) || (v.flags & Value::kImprecise)) return;
  if (!id.birth) return;
  // A date a default filled (a decision date from the publication's) is not the act's date:
  // the age is then read only where the bounds settle it.
  const Value& act = values[c.age_on];
  if (auto on = known_date(act); on && !(act.flags & Value::kDefaulted)) {
    v = Value::number(full_years(*id.birth, *on));
    return;
  }
  std::optional<Date> first, last;
  for (int f : c.age_not_before) {
    if (auto d = known_date(values[f]); d && (!first || *first < *d)) first = d;
  }
  for (int f : c.age_not_after) {
    auto d =
        f == c.review_field && !values[f].known() ? std::optional(as_of) : known_date(values[f]);
    if (d && (!last || *d < *last)) last = d;
  }
  if (first && last && !(*last < *first) &&
      full_years(*id.birth, *first) == full_years(*id.birth, *last)) {
    v = Value::number(full_years(*id.birth, *first));
  }
}

}  // namespace

Completion completion_of(const Ruleset& rs) {
  Completion c;
  for (size_t f = 0; f < rs.fields.size(); ++f) {
    const FieldDef& fd = rs.fields[f];
    if (fd.kind != FieldKind::kInput) continue;
    if (int from = rs.find_field(fd.default_from); from >= 0) {
      c.defaults_from.push_back({static_cast<int>(f), from});
    }
    if (fd.sum_of.empty()) continue;
    std::vector<int> parts;
    for (const auto& p : fd.sum_of) parts.push_back(rs.find_field(p));
    c.sums.push_back({static_cast<int>(f), std::move(parts)});
  }
  const IdentityDef& id = rs.identity;
  if (int f = rs.find_field(id.type_field); f >= 0 && rs.field_enum[f] >= 0) {
    const EnumDef& e = rs.enums[rs.field_enum[f]];
    c.type_field = f;
    c.person = e.find(id.person);
    c.organisation = e.find(id.organisation);
    c.organisation_endings = id.organisation_endings;
  }
  if (int f = rs.find_field(id.age_field); f >= 0) {
    c.age_field = f;
    c.age_on = rs.find_field(id.age_on);
    for (const auto& d : id.age_not_before) c.age_not_before.push_back(rs.find_field(d));
    for (const auto& d : id.age_not_after) c.age_not_after.push_back(rs.find_field(d));
    c.review_field = rs.find_field(rs.temporal.review_field);
  }
  return c;
}

Completion for_columns(Completion c, const std::vector<bool>& has_column, bool identity) {
  std::erase_if(c.sums, [&](const auto& sum) {
    return std::any_of(sum.second.begin(), sum.second.end(), [&](int p) { return !has_column[p]; });
  });
  std::erase_if(c.defaults_from, [&](const auto& d) { return !has_column[d.second]; });
  if (!identity) c.type_field = c.age_field = -1;
  return c;
}

std::optional<Text> complete_inputs(const Completion& c, const Ruleset& rs, Value* values,
                                    const IdentityCells& cells, Date as_of) {
  for (const auto& [field, parts] : c.sums) {
    if (auto problem = complete_sum(rs, values, field, parts)) return problem;
  }
  // The ID number read once for the type and the age.
  const IdReading id = c.identity() ? read_id_number(cells.id_number) : IdReading{};
  if (c.type_field >= 0 && c.person >= 0 && c.organisation >= 0) {
    if (auto problem = complete_type(c, rs, values, cells, id)) return problem;
  }
  // Defaults from another input; the age below does not take a date so filled.
  for (const auto& [field, from] : c.defaults_from) {
    if (!values[field].known() && !(values[field].flags & Value::kStated) && values[from].known()) {
      values[field] = values[from];
      values[field].flags |= Value::kDefaulted;
    }
  }
  if (c.age_field >= 0 && c.age_on >= 0) complete_age(c, values, id, as_of);
  return std::nullopt;
}

}  // namespace epil::io
