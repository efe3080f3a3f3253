#include "core/ruleset.h"

#include <fmt/format.h>

#include <cctype>
#include <unordered_set>

#include "core/messages.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

int EnumDef::find(std::string_view key) const {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

const char* status_key(Status s) {
  switch (s) {
    case Status::kOfficial:
      return "official";
    case Status::kReported:
      return "reported";
    case Status::kProposed:
      return "proposed";
    case Status::kExample:
      return "example";
  }
  return "example";
}

Text status_label(Status s) {
  switch (s) {
    case Status::kOfficial:
      return {"正式规定", "official"};
    case Status::kReported:
      return {"据报道（原文未核实）", "reported (text unconfirmed)"};
    case Status::kProposed:
      return {"改革建议（非现行规定）", "proposed (not law)"};
    case Status::kExample:
      return {"示例数值（非正式规定）", "example (not law)"};
  }
  return {};
}

std::optional<Status> parse_status(std::string_view s) {
  if (s == "official") return Status::kOfficial;
  if (s == "reported") return Status::kReported;
  if (s == "proposed") return Status::kProposed;
  if (s == "example") return Status::kExample;
  return std::nullopt;
}

namespace {

template <typename T>
int find_key(const std::vector<T>& v, std::string_view key) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

std::optional<Type> type_from_word(const std::string& w) {
  if (w == "number" || w == "money") return Type{BaseType::kNumber};
  if (w == "bool") return Type{BaseType::kBool};
  if (w == "date") return Type{BaseType::kDate};
  if (w == "string") return Type{BaseType::kString};
  if (w == "enum") return Type{BaseType::kEnum};
  return std::nullopt;
}

class RulesetLoader {
 public:
  RulesetLoader(YamlReader& r, Ruleset& rs) : r_(r), rs_(rs) {}

  void load(const yaml::Node& root) {
    r_.allowed_keys(root, "ruleset",
                    {"ruleset", "version", "name", "description", "outcomes", "undecided",
                     "temporal", "fields", "derived", "parameters", "tests", "decisions", "outputs",
                     "advisories", "results", "identity"});
    if (auto id = r_.required_scalar(root, "ruleset", "ruleset")) rs_.id = *id;
    rs_.name = r_.text(root["name"], "name");
    rs_.description = r_.text(root["description"], "description");
    load_outcomes(root["outcomes"]);
    rs_.undecided = r_.optional_scalar(root, "undecided", "undecided");
    load_fields(root["fields"], FieldKind::kInput);
    load_fields(root["derived"], FieldKind::kDerived);
    load_params(root["parameters"]);
    load_tests(root["tests"]);
    rs_.decisions = load_rules(root["decisions"], "decisions");
    load_outputs(root["outputs"]);
    load_advisories(root["advisories"]);
    load_results(root["results"]);
    load_temporal(root["temporal"]);
    check_sums();
    load_identity(root["identity"]);
  }

 private:
  void load_outcomes(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "outcomes")) return;
    for (const auto& kv : n.entries()) {
      rs_.outcomes.push_back({kv.first.Scalar(), r_.text(kv.second, "outcome label")});
    }
    if (rs_.outcomes.size() > 64) {
      r_.error(n, Msg::kTooManyOutcomesFound, rs_.outcomes.size());
      rs_.outcomes.resize(64);
    }
  }

  void load_enum(const yaml::Node& n, FieldDef& f) {
    EnumDef e;
    e.name = f.key;
    if (!n || !r_.is_map(n, fmt::format("{}.values", f.key))) {
      if (!n) {
        r_.error(n, Msg::kEnumNeedsValues, f.key);
      }
    } else {
      for (const auto& kv : n.entries()) {
        EnumValue v;
        v.key = kv.first.Scalar();
        std::string what = fmt::format("{}.values.{}", f.key, v.key);
        if (kv.second.IsMap()) {
          r_.allowed_keys(kv.second, what, {"zh", "en", "aliases"});
          v.label.zh = r_.optional_scalar(kv.second, "zh", what);
          v.label.en = r_.optional_scalar(kv.second, "en", what);
          v.aliases = r_.string_list(kv.second["aliases"], what + ".aliases");
        } else {
          v.label = r_.text(kv.second, what);
        }
        e.values.push_back(std::move(v));
      }
    }
    // Enum membership and outcome sets are 64-bit masks in the compiled program.
    if (e.values.size() > 64) {
      r_.error(n, Msg::kTooManyValues, f.key, e.values.size());
      e.values.resize(64);
    }
    f.type.enum_id = static_cast<int16_t>(rs_.enums.size());
    rs_.enums.push_back(std::move(e));
  }

  void load_fields(const yaml::Node& n, FieldKind kind) {
    const char* section = kind == FieldKind::kInput ? "fields" : "derived";
    if (!n || !r_.is_map(n, section)) return;
    for (const auto& kv : n.entries()) {
      FieldDef f;
      f.key = kv.first.Scalar();
      f.kind = kind;
      f.line = YamlReader::line(kv.first);
      f.column = YamlReader::column(kv.first);
      std::string what = fmt::format("{}.{}", section, f.key);
      const yaml::Node& d = kv.second;
      if (!r_.is_map(d, what)) continue;
      if (kind == FieldKind::kInput) {
        r_.allowed_keys(d, what,
                        {"type", "label", "description", "aliases", "flag", "unit", "unit_label",
                         "values", "default", "min", "max", "limits_basis", "required",
                         "not_assumed_when", "not_assumed_reason", "not_after_review",
                         "default_harsher", "sum_of", "default_from"});
      } else {
        r_.allowed_keys(d, what,
                        {"type", "label", "description", "unit", "unit_label", "enum", "expr"});
      }
      f.type_word = r_.required_scalar(d, "type", what).value_or("");
      if (auto t = type_from_word(f.type_word)) {
        f.type = *t;
      } else if (!f.type_word.empty()) {
        r_.error(d["type"], Msg::kBadFieldType, what, f.type_word);
      }
      f.label = r_.text(d["label"], what + ".label");
      f.description = r_.text(d["description"], what + ".description");
      f.aliases = r_.string_list(d["aliases"], what + ".aliases");
      f.flag = r_.optional_scalar(d, "flag", what + ".flag");
      // Keys and flags become command-line options: letters, digits, '-' and '_' only.
      for (const std::string* name : {&f.key, &f.flag}) {
        bool ok = true;
        for (char c : *name)
          ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
        if (!ok || (!name->empty() && (*name)[0] == '-')) {
          r_.error(d, Msg::kBadName, what, *name);
          if (name == &f.flag) f.flag.clear();
        }
      }
      f.unit = r_.optional_scalar(d, "unit", what + ".unit");
      if (f.type_word == "money" && f.unit.empty()) f.unit = "元";
      f.unit_label = r_.text(d["unit_label"], what + ".unit_label");
      if (f.unit_label.empty()) f.unit_label = {f.unit, f.unit};
      f.number_unit = UnitDef::named_only(f.unit);
      if (kind == FieldKind::kInput) load_input_keys(d, what, f);
      int enum_id = -1;
      if (f.type_word == "enum") {
        if (kind == FieldKind::kInput) {
          load_enum(d["values"], f);
          enum_id = f.type.enum_id;
        } else {
          // A derived enum shares the values of the input field it names.
          std::string of = r_.optional_scalar(d, "enum", what + ".enum");
          int src = rs_.find_field(of);
          if (src < 0 || rs_.field_enum[src] < 0) {
            r_.error(d, Msg::kBadEnumOf, what, of);
          } else {
            enum_id = rs_.field_enum[src];
            f.type.enum_id = static_cast<int16_t>(enum_id);
          }
        }
      }
      if (kind == FieldKind::kDerived) {
        f.expr = r_.expr(d["expr"], what + ".expr");
        if (f.expr.empty()) {
          r_.error(d, Msg::kExprRequired, what);
        }
      }
      if (!declared_.insert(f.key).second) {
        r_.error(kv.first, Msg::kFieldDeclaredTwice, f.key);
        continue;
      }
      rs_.fields.push_back(std::move(f));
      rs_.field_enum.push_back(enum_id);
    }
  }

  // What only an input field has: its default and when it is not assumed, its allowed range
  // and the rule behind it, and how its dates and defaults bear on a decision.
  void load_input_keys(const yaml::Node& d, const std::string& what, FieldDef& f) {
    if (d["default"]) f.default_text = r_.scalar(d["default"], what + ".default");
    if (d["required"]) f.required = r_.boolean(d["required"], what + ".required").value_or(false);
    if (d["min"]) f.min = r_.number(d["min"], what + ".min");
    if (d["max"]) f.max = r_.number(d["max"], what + ".max");
    f.limits_basis = r_.text(d["limits_basis"], what + ".limits_basis");
    f.not_assumed_when = r_.expr(d["not_assumed_when"], what + ".not_assumed_when");
    f.not_assumed_reason = r_.text(d["not_assumed_reason"], what + ".not_assumed_reason");
    if (!f.not_assumed_when.empty() && (!f.default_text || f.not_assumed_reason.empty())) {
      r_.error(d, Msg::kNotAssumedWhenNeeds, what);
    }
    if (d["default_harsher"]) {
      f.default_harsher =
          r_.boolean(d["default_harsher"], what + ".default_harsher").value_or(false);
    }
    if (d["not_after_review"]) {
      f.not_after_review =
          r_.boolean(d["not_after_review"], what + ".not_after_review").value_or(false);
    }
    f.sum_of = r_.string_list(d["sum_of"], what + ".sum_of");
    f.default_from = r_.optional_scalar(d, "default_from", what + ".default_from");
  }

  // An input that is the sum of others: it and its parts are number inputs. One that takes
  // another's value: an input of the same type.
  void check_sums() {
    for (const FieldDef& f : rs_.fields) {
      if (!f.default_from.empty() &&
          (f.default_from == f.key || !is_input(f.default_from, f.type.base))) {
        add_error(r_.findings(), Msg::kBadInputName, rs_.file, f.line, f.column,
                  "fields." + f.key + ".default_from", f.default_from);
      }
      if (f.sum_of.empty()) continue;
      const std::string what = "fields." + f.key + ".sum_of";
      if (!is_input(f.key, BaseType::kNumber)) {
        add_error(r_.findings(), Msg::kBadInputName, rs_.file, f.line, f.column, what, f.key);
      }
      for (const std::string& part : f.sum_of) {
        if (!is_input(part, BaseType::kNumber) || part == f.key) {
          add_error(r_.findings(), Msg::kBadInputName, rs_.file, f.line, f.column, what, part);
        }
      }
    }
  }

  bool is_input(const std::string& key, BaseType base) const {
    const int f = rs_.find_field(key);
    return f >= 0 && rs_.fields[f].kind == FieldKind::kInput && rs_.fields[f].type.base == base;
  }

  // The identity section: the name and ID columns of a list, and the inputs read from them.
  void load_identity(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "identity")) return;
    IdentityDef& id = rs_.identity;
    id.line = YamlReader::line(n);
    id.column = YamlReader::column(n);
    r_.allowed_keys(n, "identity", {"name", "id_number", "debtor_type", "age", "carried"});
    id.carried = r_.string_list(n["carried"], "identity.carried");
    if (const yaml::Node& m = n["name"]; m && r_.is_map(m, "identity.name")) {
      r_.allowed_keys(m, "identity.name", {"label", "aliases", "organisation_endings"});
      id.name_label = r_.text(m["label"], "identity.name.label");
      id.name_aliases = r_.string_list(m["aliases"], "identity.name.aliases");
      id.organisation_endings =
          r_.string_list(m["organisation_endings"], "identity.name.organisation_endings");
    }
    if (const yaml::Node& m = n["id_number"]; m && r_.is_map(m, "identity.id_number")) {
      r_.allowed_keys(m, "identity.id_number", {"label", "aliases"});
      id.id_label = r_.text(m["label"], "identity.id_number.label");
      id.id_aliases = r_.string_list(m["aliases"], "identity.id_number.aliases");
    }
    if (const yaml::Node& m = n["debtor_type"]; m && r_.is_map(m, "identity.debtor_type")) {
      r_.allowed_keys(m, "identity.debtor_type", {"field", "person", "organisation"});
      id.type_field = r_.optional_scalar(m, "field", "identity.debtor_type.field");
      id.person = r_.optional_scalar(m, "person", "identity.debtor_type.person");
      id.organisation = r_.optional_scalar(m, "organisation", "identity.debtor_type.organisation");
      const int f = rs_.find_field(id.type_field);
      const int e = f >= 0 && rs_.fields[f].kind == FieldKind::kInput ? rs_.field_enum[f] : -1;
      if (e < 0) r_.error(m, Msg::kBadInputName, "identity.debtor_type.field", id.type_field);
      for (const std::string* v : {&id.person, &id.organisation}) {
        if (e >= 0 && rs_.enums[e].find(*v) < 0) {
          r_.error(m, Msg::kBadInputName, "identity.debtor_type", *v);
        }
      }
    }
    if (const yaml::Node& m = n["age"]; m && r_.is_map(m, "identity.age")) {
      r_.allowed_keys(m, "identity.age", {"field", "on", "not_before", "not_after"});
      id.age_field = r_.optional_scalar(m, "field", "identity.age.field");
      id.age_on = r_.optional_scalar(m, "on", "identity.age.on");
      id.age_not_before = r_.string_list(m["not_before"], "identity.age.not_before");
      id.age_not_after = r_.string_list(m["not_after"], "identity.age.not_after");
      if (!is_input(id.age_field, BaseType::kNumber)) {
        r_.error(m, Msg::kBadInputName, "identity.age.field", id.age_field);
      }
      std::vector<std::string> dates = id.age_not_before;
      dates.insert(dates.end(), id.age_not_after.begin(), id.age_not_after.end());
      dates.push_back(id.age_on);
      for (const std::string& d : dates) {
        if (!is_input(d, BaseType::kDate)) r_.error(m, Msg::kBadInputName, "identity.age", d);
      }
    }
  }

  void load_params(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "parameters")) return;
    for (const auto& kv : n.entries()) {
      ParamDef p;
      p.key = kv.first.Scalar();
      p.line = YamlReader::line(kv.first);
      p.column = YamlReader::column(kv.first);
      std::string what = fmt::format("parameters.{}", p.key);
      const yaml::Node& d = kv.second;
      if (!r_.is_map(d, what)) continue;
      r_.allowed_keys(
          d, what, {"type", "unit", "unit_label", "index", "min", "max", "label", "description"});
      p.type_word = r_.required_scalar(d, "type", what).value_or("");
      auto t = type_from_word(p.type_word);
      if (!t || t->base == BaseType::kEnum || t->base == BaseType::kString) {
        r_.error(d["type"] ? d["type"] : d, Msg::kBadParameterType, what, p.type_word);
      } else {
        p.type = *t;
      }
      p.unit = r_.optional_scalar(d, "unit", what + ".unit");
      if (p.type_word == "money" && p.unit.empty()) p.unit = "元";
      p.unit_label = r_.text(d["unit_label"], what + ".unit_label");
      if (p.unit_label.empty()) p.unit_label = {p.unit, p.unit};
      p.index_field = r_.optional_scalar(d, "index", what + ".index");
      if (!p.index_field.empty()) {
        int f = rs_.find_field(p.index_field);
        if (f < 0 || rs_.fields[f].kind != FieldKind::kInput || rs_.field_enum[f] < 0) {
          r_.error(d["index"], Msg::kBadIndex, what, p.index_field);
        } else {
          p.index_enum = rs_.field_enum[f];
        }
      }
      if (d["min"]) p.min = r_.number(d["min"], what + ".min");
      if (d["max"]) p.max = r_.number(d["max"], what + ".max");
      p.label = r_.text(d["label"], what + ".label");
      p.description = r_.text(d["description"], what + ".description");
      if (!declared_.insert(p.key).second) {
        r_.error(kv.first, Msg::kNameDeclaredTwice, p.key);
        continue;
      }
      rs_.params.push_back(std::move(p));
    }
  }

  void load_tests(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "tests")) return;
    for (const auto& kv : n.entries()) {
      TestDef t;
      t.key = kv.first.Scalar();
      t.line = YamlReader::line(kv.first);
      t.column = YamlReader::column(kv.first);
      std::string what = fmt::format("tests.{}", t.key);
      const yaml::Node& d = kv.second;
      if (!r_.is_map(d, what)) continue;
      r_.allowed_keys(d, what, {"label", "expr", "applies", "otherwise"});
      t.label = r_.text(d["label"], what + ".label");
      t.expr = r_.expr(d["expr"], what + ".expr");
      if (t.expr.empty()) {
        r_.error(d, Msg::kExprRequired, what);
      }
      t.applies = r_.expr(d["applies"], what + ".applies");
      if (d["otherwise"]) {
        t.otherwise = r_.boolean(d["otherwise"], what + ".otherwise").value_or(false);
      } else if (!t.applies.empty()) {
        r_.error(d, Msg::kTestNeedsOtherwise, what);
      }
      if (!declared_.insert(t.key).second) {
        r_.error(kv.first, Msg::kNameDeclaredTwice, t.key);
        continue;
      }
      rs_.tests.push_back(std::move(t));
    }
  }

  std::vector<RuleEntry> load_rules(const yaml::Node& n, const std::string& what) {
    std::vector<RuleEntry> out;
    if (!n) return out;
    if (!n.IsSequence()) {
      r_.error(n, Msg::kNotList, what);
      return out;
    }
    for (const auto& item : n.items()) {
      if (!r_.is_map(item, what)) continue;
      r_.allowed_keys(item, what, {"id", "outcome", "value", "when", "reason"});
      RuleEntry e;
      e.line = YamlReader::line(item);
      e.column = YamlReader::column(item);
      e.id = r_.optional_scalar(item, "id", what + ".id");
      e.value = r_.optional_scalar(item, item["outcome"] ? "outcome" : "value", what);
      e.when = r_.expr(item["when"], what + ".when");
      e.reason = r_.text(item["reason"], what + ".reason");
      if (e.id.empty()) e.id = e.value;
      out.push_back(std::move(e));
    }
    return out;
  }

  void load_outputs(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "outputs")) return;
    for (const auto& kv : n.entries()) {
      OutputDef o;
      o.key = kv.first.Scalar();
      o.line = YamlReader::line(kv.first);
      o.column = YamlReader::column(kv.first);
      std::string what = fmt::format("outputs.{}", o.key);
      const yaml::Node& d = kv.second;
      if (!r_.is_map(d, what)) continue;
      r_.allowed_keys(d, what, {"label", "values", "for", "when", "rules", "date"});
      std::string date = r_.optional_scalar(d, "date", what + ".date");
      if (date == "review_date") {
        o.review_date = true;
      } else if (!date.empty() && date != "thresholds_date") {
        r_.error(d["date"], Msg::kBadOutputDate, what, date);
      }
      o.label = r_.text(d["label"], what + ".label");
      if (d["values"] && r_.is_map(d["values"], what + ".values")) {
        for (const auto& v : d["values"].entries()) {
          o.values.push_back({v.first.Scalar(), r_.text(v.second, what + ".values")});
        }
      }
      if (o.values.size() > 64) {
        r_.error(d["values"], Msg::kTooManyValues, what, o.values.size());
        o.values.resize(64);
      }
      o.for_outcomes = r_.string_list(d["for"], what + ".for");
      o.when = r_.expr(d["when"], what + ".when");
      o.rules = load_rules(d["rules"], what + ".rules");
      rs_.outputs.push_back(std::move(o));
    }
  }

  void load_advisories(const yaml::Node& n) {
    if (!n) return;
    if (!n.IsSequence()) {
      r_.error(n, Msg::kNotList, "advisories");
      return;
    }
    for (const auto& item : n.items()) {
      if (!r_.is_map(item, "advisories")) continue;
      r_.allowed_keys(item, "advisory", {"id", "when", "message", "for"});
      AdvisoryDef a;
      a.line = YamlReader::line(item);
      a.column = YamlReader::column(item);
      a.id = r_.required_scalar(item, "id", "advisory").value_or("");
      a.when = r_.expr(item["when"], "advisory.when");
      a.message = r_.text(item["message"], "advisory.message");
      a.for_outcomes = r_.string_list(item["for"], "advisory.for");
      rs_.advisories.push_back(std::move(a));
    }
  }

  void load_results(const yaml::Node& n) {
    if (!n) return;
    if (!n.IsSequence()) {
      r_.error(n, Msg::kNotList, "results");
      return;
    }
    for (const auto& item : n.items()) {
      if (!r_.is_map(item, "results")) continue;
      r_.allowed_keys(item, "result", {"field", "for", "when", "note"});
      ResultDef d;
      d.line = YamlReader::line(item);
      d.column = YamlReader::column(item);
      d.field = r_.required_scalar(item, "field", "result").value_or("");
      d.for_outcomes = r_.string_list(item["for"], "result.for");
      d.when = r_.expr(item["when"], "result.when");
      d.note = r_.text(item["note"], "result.note");
      rs_.results.push_back(std::move(d));
    }
  }

  void load_temporal(const yaml::Node& n) {
    if (!n || !r_.is_map(n, "temporal")) return;
    r_.allowed_keys(n, "temporal",
                    {"rule", "conduct_date", "review_date", "leniency", "act_date", "why"});
    std::string rule = r_.optional_scalar(n, "rule", "temporal.rule");
    if (rule == "conduct_date" || rule.empty()) {
      rs_.temporal.rule = TemporalRule::kConduct;
    } else if (rule == "review_date") {
      rs_.temporal.rule = TemporalRule::kReview;
    } else if (rule == "conduct_unless_review_more_lenient") {
      rs_.temporal.rule = TemporalRule::kConductUnlessReviewMoreLenient;
    } else {
      r_.error(n["rule"], Msg::kBadTemporalRule, rule);
    }
    rs_.temporal.conduct_field = r_.optional_scalar(n, "conduct_date", "temporal.conduct_date");
    rs_.temporal.review_field = r_.optional_scalar(n, "review_date", "temporal.review_date");
    rs_.temporal.leniency = r_.string_list(n["leniency"], "temporal.leniency");
    rs_.temporal.act_field = r_.optional_scalar(n, "act_date", "temporal.act_date");
    rs_.temporal.why = r_.text(n["why"], "temporal.why");
  }

  YamlReader& r_;
  Ruleset& rs_;
  // Field, parameter and test names declared so far (loaded in that order, so a parameter is
  // checked against fields and parameters, a test against all): a set, not a scan of the
  // lists per name, which was quadratic in a ruleset of thousands of fields.
  std::unordered_set<std::string> declared_;
};

}  // namespace

Symbol RulesetScope::lookup(std::string_view name) const {
  if (int f = rs_.find_field(name); f >= 0) return symbol(SymbolKind::kField, f);
  if (int p = rs_.find_param(name); p >= 0) return symbol(SymbolKind::kParam, p);
  if (int t = rs_.find_test(name); t >= 0) return symbol(SymbolKind::kTest, t);
  return {};
}

Symbol RulesetScope::symbol(SymbolKind kind, int id) const {
  Symbol s;
  s.kind = kind;
  s.id = id;
  if (kind == SymbolKind::kField) {
    s.type = rs_.fields[id].type;
    s.unit = rs_.fields[id].unit;
  } else if (kind == SymbolKind::kParam) {
    s.type = rs_.params[id].type;
    s.unit = rs_.params[id].unit;
    s.index_enum = rs_.params[id].index_enum;
  } else {
    s.type = {BaseType::kBool};
  }
  return s;
}

int RulesetScope::enum_value(int enum_id, std::string_view key) const {
  if (enum_id < 0 || enum_id >= static_cast<int>(rs_.enums.size())) return -1;
  return rs_.enums[enum_id].find(key);
}

std::string RulesetScope::enum_name(int enum_id) const {
  if (enum_id < 0 || enum_id >= static_cast<int>(rs_.enums.size())) return "?";
  return rs_.enums[enum_id].name;
}

std::vector<std::string> RulesetScope::names() const {
  std::vector<std::string> n;
  for (const auto& f : rs_.fields) n.push_back(f.key);
  for (const auto& p : rs_.params) n.push_back(p.key);
  for (const auto& t : rs_.tests) n.push_back(t.key);
  return n;
}

int Ruleset::find_field(std::string_view key) const { return find_key(fields, key); }
int Ruleset::find_param(std::string_view key) const { return find_key(params, key); }
int Ruleset::find_test(std::string_view key) const { return find_key(tests, key); }
int Ruleset::find_outcome(std::string_view key) const { return find_key(outcomes, key); }

LateDates Ruleset::late_dates() const {
  LateDates late;
  late.review_field = find_field(temporal.review_field);
  for (int f = 0; f < static_cast<int>(fields.size()); ++f) {
    if (fields[f].kind == FieldKind::kInput && fields[f].not_after_review) late.fields.push_back(f);
  }
  return late;
}

int Ruleset::input_count() const {
  int n = 0;
  for (const auto& f : fields) n += f.kind == FieldKind::kInput;
  return n;
}

std::optional<Ruleset> load_ruleset(std::string_view text, const std::string& file,
                                    Findings& findings, const Limits& limits) {
  YamlReader r(file, findings, limits);
  auto root = r.parse(text);
  if (!root) return std::nullopt;
  if (!root->IsMap()) {
    add_error(findings, Msg::kRulesetNotMapping, file, 1, 1);
    return std::nullopt;
  }
  Ruleset rs;
  rs.file = file;
  // `fields:` is read before `derived:`, so inputs come first and their ids are the case's
  // value slots.
  RulesetLoader(r, rs).load(*root);
  return rs;
}

}  // namespace epil
