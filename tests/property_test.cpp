// Property tests: relations between verdicts that must hold whatever the thresholds say, over
// seeded generated cases, for both shipped rulesets (epil, credit) and every place they are
// evaluated (each region that sets values of the ruleset, the national root, and the root
// under each named overlay):
//   1. aggravating one fact never moves the environmental verdict toward exempt;
//   2. an unknown fact covers every completion of it (both directions);
//   3. a debtor who has performed more is never listed nor graded higher for it;
//   4. the same facts spelled differently (names, enum values, yes/no, units, dates) read the
//      same and give the same verdict;
//   5. `epil batch` gives every row the verdict the library gives the same facts.
// A failure prints the case pair, shrunk to the facts the failure needs, as a command line
// that replays it. Each relation has coverage floors, so that it cannot pass on cases that
// never reach it. This file owns only these relations; the evaluator's agreement with the
// reference evaluator is tests/differential_test.cpp's.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "case_draw.h"
#include "cli_support.h"
#include "core/config.h"
#include "core/date.h"
#include "core/program.h"
#include "io/case_input.h"
#include "io/completion.h"
#include "io/config_tree.h"
#include "io/normalize.h"
#include "io/table.h"

namespace {

using epil::Date;
using epil::Decision;
using epil::Ruleset;
using epil::Value;
using Inputs = std::vector<Value>;  // one value per input field, in the ruleset's order

Date day(const char* iso) {
  auto d = Date::parse_iso(iso);
  REQUIRE_MESSAGE(d.has_value(), iso);
  return *d;
}

// The source tree's configuration (thresholds/, regions/, calendars/), checked clean.
// (One for the process: a Config is not moved, its compiled programs point into it.)
epil::Config& shipped_config() {
  static epil::Config config = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  REQUIRE(config.findings().ok());
  return config;
}

// The review date of the batch relation (and the one the docs use).
const char* const kAsOf = "2026-11-28";

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// ---------------------------------------------------------------------------------------------
// Where a ruleset is evaluated

// A region's chain, with a named overlay on top of it or none.
struct Target {
  const epil::Region* region = nullptr;
  const epil::Region* overlay = nullptr;
  std::string name() const { return overlay ? region->id + "+" + overlay->id : region->id; }
};

// The root, every region that sets values of `rs` itself, and the root under each named
// overlay that does: a region that sets nothing of a ruleset evaluates it as the root does.
std::vector<Target> targets(const epil::Config& config, const Ruleset& rs) {
  const epil::Region* root = nullptr;
  for (const auto& r : config.regions()) {
    if (!r.overlay && r.extends.empty()) root = &r;
  }
  REQUIRE(root != nullptr);
  std::vector<Target> out;
  for (const auto& r : config.regions()) {
    if (r.overlay || (&r != root && !r.parameters.count(rs.id))) continue;
    out.push_back({&r, nullptr});
  }
  for (const auto& r : config.regions()) {
    if (r.overlay && r.parameters.count(rs.id)) out.push_back({root, &r});
  }
  return out;
}

// The cases each of `n` targets gets out of a ruleset's budget: the run time stays the same
// as regions with values of their own are added, and each still gets a fair share.
int per_target(int budget, size_t n) { return std::max(100, budget / static_cast<int>(n)); }

// One target's compiled program, evaluating case after case.
class Screener {
 public:
  Screener(epil::Config& config, const Ruleset& rs, const Target& t)
      : program_(config.compiled(rs, *t.region, t.overlay)) {
    REQUIRE_MESSAGE(program_ != nullptr, t.name());
  }
  Decision operator()(const Inputs& in, Date as_of) {
    Decision d;
    program_->evaluate(in.data(), as_of, false, ws_, d);
    return d;
  }
  // A derived field of the case evaluated last.
  Value derived(int field) const { return program_->value(ws_, program_->field_slot(field)); }

 private:
  const epil::CompiledRuleset* program_;
  epil::Workspace ws_;
};

// Calls `body(target, screen, cases)` on every target of `rs` in turn (`targets`), with the
// target's screener and its share of `budget` cases (`per_target`).
template <class F>
void for_each_target(epil::Config& config, const Ruleset& rs, int budget, F&& body) {
  const std::vector<Target> all = targets(config, rs);
  for (const Target& t : all) {
    Screener screen(config, rs, t);
    body(t, screen, per_target(budget, all.size()));
  }
}

// ---------------------------------------------------------------------------------------------
// Cases

// An input the user stated unknown ("不详"), which no default replaces.
Value stated_unknown() { return Value::unknown(Value::kStated); }

// The inputs of a case nobody gave anything for: each field's declared default where it has
// one (marked as assumed, as the command line and batch assume it), else unknown.
Inputs absent_inputs(const Ruleset& rs) {
  epil::io::CaseInput none(rs);
  none.apply_defaults(rs, epil::io::FieldIndex(rs));
  return none.values;
}

// Whether `v` is what an input holds when nobody gave it (`absent`).
bool is_absent(const Value& v, const Value& absent) {
  return v.kind == absent.kind && v.flags == absent.flags && (!v.known() || v.same(absent));
}

// Whether two inputs say the same: the same known value, or unknown in the same way.
bool same_fact(const Value& a, const Value& b) {
  return a.known() ? b.known() && a.same(b) : !b.known() && a.flags == b.flags;
}

// A generated case: its inputs, and the as-of date that stands in for a review date it lacks.
struct Case {
  Inputs in;
  Date as_of;
};

// Draws cases for one ruleset, as tests/differential_test.cpp's generator does: amounts on and
// either side of every threshold of every region, dates around every `since`, unknowns, and
// four cases in ten "plain" (no override holds, recent facts) so that the lenient outcomes are
// reached often. Unlike that generator's, every case is one a clerk could type: numbers within
// each field's range, and no conduct, decision or event after the review date (the command line
// and batch refuse those). An unknown fact is one stated unknown.
class CaseGenerator {
 public:
  CaseGenerator(const Ruleset& rs, const epil::Config& config, uint32_t seed)
      : rs_(rs),
        rng_(seed),
        conduct_(rs.find_field(rs.temporal.conduct_field)),
        review_(rs.find_field(rs.temporal.review_field)),
        points_(epil::testing::draw_points(config, rs.id)) {}

  bool chance(double p) { return epil::testing::draw_chance(rng_, p); }
  size_t pick(size_t n) { return epil::testing::draw_index(rng_, n); }

  // A date on, or a day either side of, some `since`; or any day from 2008 to 2027.
  Date any_date() { return epil::testing::draw_date(rng_, points_.sinces, first_, last_); }

  // Facts first, then the conduct date, then the review dates, then the other dates, which
  // are drawn around the conduct or review date and may have to precede the review date.
  // `as_of`: the as-of date every case shares (a batch's), else one is drawn for each.
  Case make(std::optional<Date> as_of = std::nullopt) {
    Case c{Inputs(static_cast<size_t>(rs_.input_count())), as_of.value_or(any_date())};
    const bool plain = chance(0.4);
    // A third of the plain cases have one fact drawn at random instead (a graver incident, a
    // protected area): where one fact alone decides, the relations about one fact bite.
    const int odd = plain && chance(0.3) ? static_cast<int>(pick(rs_.input_count())) : -1;
    for (int f = 0; f < rs_.input_count(); ++f) {
      const epil::FieldDef& d = rs_.fields[f];
      if (d.type.base == epil::BaseType::kDate) continue;
      if (auto it = kPlain.find(d.key); plain && f != odd && it != kPlain.end()) {
        c.in[f] = plain_value(d, it->second);
      } else {
        bool unknown = chance(d.type.base == epil::BaseType::kEnum ? 0.15 : 0.2);
        c.in[f] = unknown ? stated_unknown() : known_value(f, c);
      }
    }
    if (conduct_ >= 0) {
      if (plain && chance(0.7)) {
        c.in[conduct_] = Value::of_date(Date::from_days(uniform(recent_.days(), last_.days())));
      } else {
        c.in[conduct_] = chance(0.1) ? stated_unknown() : Value::of_date(any_date());
      }
    }
    if (review_ >= 0) c.in[review_] = chance(0.3) ? Value::unknown() : review_date(c);
    if (auto x = conduct(c); x && review(c) < *x) {
      if (as_of) {
        c.in[conduct_] = Value::of_date(epil::add_days(review(c), -uniform(0, 900)));
      } else {
        c.as_of = epil::add_days(*x, uniform(0, 900));
      }
    }
    for (int f = 0; f < rs_.input_count(); ++f) {
      if (rs_.fields[f].type.base != epil::BaseType::kDate || f == conduct_ || f == review_) {
        continue;
      }
      const bool unknown = plain && f != odd ? kPlain.count(rs_.fields[f].key) > 0 : chance(0.5);
      c.in[f] = unknown ? stated_unknown() : known_value(f, c);
    }
    consistent_sums(c);
    return c;
  }

  // An input that is the sum of others (sum_of) is filled from them by io, not the library:
  // the parts are drawn to add up to it, the last one unknown where they cannot.
  void consistent_sums(Case& c) {
    for (int f = 0; f < rs_.input_count(); ++f) {
      const auto& parts = rs_.fields[f].sum_of;
      if (parts.empty()) continue;
      const int last = rs_.find_field(parts.back());
      double rest = c.in[f].kind == Value::kNumber ? c.in[f].num : -1;
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const Value& v = c.in[rs_.find_field(parts[i])];
        rest = v.kind == Value::kNumber ? rest - v.num : -1;
      }
      c.in[last] = rest >= 0 ? Value::number(rest) : stated_unknown();
    }
  }

  // A known value of input `f` for case `c`, drawn as make() draws it; unknown only for a type
  // it cannot draw.
  Value known_value(int f, const Case& c) {
    const epil::FieldDef& d = rs_.fields[f];
    switch (d.type.base) {
      case epil::BaseType::kBool:
        return Value::boolean(chance(0.5));
      case epil::BaseType::kEnum: {
        const epil::EnumDef& e = rs_.enums[d.type.enum_id];
        // Mostly `none` where there is one, so that the later decisions are reached as often
        // as the overrides.
        int none = e.find("none");
        if (none >= 0 && chance(0.6)) return Value::enumeration(none);
        return Value::enumeration(static_cast<int32_t>(pick(e.values.size())));
      }
      case epil::BaseType::kNumber:
        return Value::number(clamp(d, number()));
      case epil::BaseType::kDate:
        return Value::of_date(date(f, c));
      default:
        return Value::unknown();
    }
  }

  // A number larger than `v`: a hair over it, far over it, the next threshold above it and a
  // hair over that.
  std::vector<double> larger(double v) const {
    std::vector<double> out = {std::nextafter(v, 1e300), v * 10 + 100};
    const std::vector<double>& thresholds = points_.thresholds;
    auto it = std::upper_bound(thresholds.begin(), thresholds.end(), v);
    if (it != thresholds.end()) out.insert(out.end(), {*it, std::nextafter(*it, 1e300)});
    return out;
  }

  static double clamp(const epil::FieldDef& d, double x) {
    if (d.min && x < *d.min) x = *d.min;
    if (d.max && x > *d.max) x = *d.max;
    return x;
  }

  // The case's review date: its own, else the as-of date that stands in for it.
  Date review(const Case& c) const {
    return review_ >= 0 && c.in[review_].known() ? c.in[review_].as_date() : c.as_of;
  }

 private:
  int32_t uniform(int32_t lo, int32_t hi) { return epil::testing::draw_between(rng_, lo, hi); }

  double number() { return epil::testing::draw_number(rng_, points_.thresholds); }

  std::optional<Date> conduct(const Case& c) const {
    if (conduct_ < 0 || !c.in[conduct_].known()) return std::nullopt;
    return c.in[conduct_].as_date();
  }

  // The review date: mostly within two and a half years after the conduct, never before it.
  Value review_date(const Case& c) {
    Date d = any_date();
    if (auto x = conduct(c); x && (d < *x || chance(0.6))) d = epil::add_days(*x, uniform(0, 900));
    return Value::of_date(d);
  }

  // Another date (the previous penalty, a decision, a grace period's end): near two years
  // before the conduct, or near the review date (periods running or just ended), or any; one
  // that cannot follow the review date is moved before it.
  Date date(int f, const Case& c) {
    if (f == review_) return review_date(c).as_date();
    Date d = any_date();
    if (auto x = conduct(c); f != conduct_ && x && chance(0.7)) {
      d = epil::add_days(epil::add_months(*x, -24), uniform(-3, 3));
    } else if (f != conduct_ && chance(0.4)) {
      d = epil::add_days(review(c), uniform(-400, 400));
    }
    // The conduct, and a date the ruleset says cannot (a decision, an event), lie no later.
    if ((f == conduct_ || rs_.fields[f].not_after_review) && d > review(c)) {
      d = epil::add_days(review(c), -uniform(0, 900));
    }
    return d;
  }

  // The facts of a plain case, by field key: an enum value key, "true" or "false", or "" for
  // unknown. Keys of either ruleset; a ruleset ignores the other's.
  inline static const std::map<std::string, std::string> kPlain = {
      {"protected_area", "none"},
      {"special_pollutant", "none"},
      {"incident_grade", "none"},
      {"deaths", ""},
      {"injured", ""},
      {"evacuated", ""},
      {"direct_loss", ""},
      {"prior_violation_date", ""},
      {"repeat_offence", "false"},
      {"regional_impact", "false"},
      {"persistent_risk", "false"},
      {"fishing_special", "false"},
      {"has_permit", "true"},
      {"reached_surface_water", "false"},
      {"exclusion", "none"},
      {"inability_cause", "none"},
      {"bankruptcy", "none"},
      {"deletion_event", "none"},
      {"able_to_perform", "true"},
  };

  Value plain_value(const epil::FieldDef& f, const std::string& key) const {
    if (key.empty()) return stated_unknown();
    if (f.type.base == epil::BaseType::kBool) return Value::boolean(key == "true");
    if (f.type.base == epil::BaseType::kEnum) {
      int v = rs_.enums[f.type.enum_id].find(key);
      return v < 0 ? stated_unknown() : Value::enumeration(v);
    }
    return stated_unknown();
  }

  const Ruleset& rs_;
  std::mt19937 rng_;
  const int conduct_, review_;
  const epil::testing::DrawPoints points_;
  const Date first_ = day("2008-01-01"), recent_ = day("2024-01-01"), last_ = day("2027-12-31");
};

// ---------------------------------------------------------------------------------------------
// Describing cases and failures

// A value as `--set` reads it back: enums by key, dates ISO, "?" for unknown.
std::string spell(const Ruleset& rs, int f, const Value& v) {
  switch (v.kind) {
    case Value::kUnknown:
      return "?";
    case Value::kBool:
      return v.b ? "true" : "false";
    case Value::kNumber:
      return fmt::format("{}", v.num);
    case Value::kDate:
      return v.as_date().iso();
    case Value::kEnum:
      return rs.enums[rs.field_enum[f]].values[v.enum_index].key;
    case Value::kString:
      return std::string(v.as_string());
  }
  return "";
}

// The case as a command line that replays it: region, overlay, as-of date, and every input
// given, by key, enums by key, "?" for one stated unknown. An input not given (its default,
// or unknown) is left out, as the command line then assumes the same.
std::string replay(const Ruleset& rs, const Target& t, Date as_of, const Inputs& in) {
  const Inputs absent = absent_inputs(rs);
  std::string s =
      fmt::format("epil screen --ruleset {} --region {}{} --as-of {}", rs.id, t.region->id,
                  t.overlay ? " --overlay " + t.overlay->id : "", as_of.iso());
  for (int f = 0; f < rs.input_count(); ++f) {
    if (is_absent(in[f], absent[f])) continue;
    s += fmt::format(" --set {}={}", rs.fields[f].key, spell(rs, f, in[f]));
  }
  return s;
}

// Outcomes by key, joined by '|' in the ruleset's order.
std::string outcomes_text(const Ruleset& rs, uint64_t candidates) {
  std::string c;
  for (size_t o = 0; o < rs.outcomes.size(); ++o) {
    if ((candidates >> o) & 1) c += (c.empty() ? "" : "|") + rs.outcomes[o].key;
  }
  return c;
}

// A decision in a few words: outcome, the candidates when undecided, the entry that decided.
std::string verdict(const Ruleset& rs, const Decision& d) {
  std::string s = rs.outcomes[d.outcome].key;
  if (std::popcount(d.candidates) != 1) {
    s += " (candidates " + outcomes_text(rs, d.candidates) + ")";
  }
  if (d.decided_by >= 0) s += " by " + rs.decisions[d.decided_by].id;
  return s;
}

// A failing case: the case as a command line, and the verdict it gets.
std::string case_text(const Ruleset& rs, const Target& t, Date as_of, const Inputs& in,
                      const Decision& d) {
  return replay(rs, t, as_of, in) + "\n  gives: " + verdict(rs, d);
}

// A failing pair: the first case as a command line, what the second changes, both verdicts.
std::string pair_text(const Ruleset& rs, const Target& t, Date as_of, const Inputs& a,
                      const Inputs& b, const Decision& da, const Decision& db) {
  const Inputs absent = absent_inputs(rs);
  auto shown = [&](int f, const Value& v) {
    return is_absent(v, absent[f]) ? std::string("(not given)") : spell(rs, f, v);
  };
  std::string changes;
  for (int f = 0; f < rs.input_count(); ++f) {
    if (same_fact(a[f], b[f])) continue;
    changes += fmt::format(" {}: {} -> {};", rs.fields[f].key, shown(f, a[f]), shown(f, b[f]));
  }
  return fmt::format("{} [{}]\n  case:   {}\n  then:  {}\n  gives:  {}  then  {}", rs.id, t.name(),
                     replay(rs, t, as_of, a), changes, verdict(rs, da), verdict(rs, db));
}

// The pair made smaller: every input that can be left out of both cases (or, failing that,
// stated unknown in both) while the pair still fails is, so that a replay shows only the
// facts the failure needs.
void shrink(const Ruleset& rs, Inputs& a, Inputs& b,
            const std::function<bool(const Inputs&, const Inputs&)>& fails) {
  const Inputs absent = absent_inputs(rs);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t f = 0; f < a.size(); ++f) {
      for (const Value& v : {absent[f], stated_unknown()}) {
        if (same_fact(a[f], v) && same_fact(b[f], v)) break;  // nothing smaller to try
        Inputs x = a, y = b;
        x[f] = y[f] = v;
        if (!fails(x, y)) continue;
        a = std::move(x);
        b = std::move(y);
        changed = true;
        break;
      }
    }
  }
}

// The failures of one relation, counted by kind (what the pair changed); the first two of
// each of the first kinds are reported in full (shrunk), the rest only counted, so that one
// frequent fault does not hide the others.
class Failures {
 public:
  // `report` is called only for a failure that will be printed: shrinking costs evaluations.
  void add(const std::string& kind, const std::function<std::string()>& report) {
    ++total_;
    const int n = ++by_kind_[kind];
    if (n <= kPerKind && by_kind_.size() <= kKinds) {
      FAIL_CHECK(fmt::format("[{}] {}", kind, report()));
    }
  }
  // Checks that there were none, with the summary as the message.
  void require_none() const { CHECK_MESSAGE(total_ == 0, summary()); }
  std::string summary() const {
    std::string s = fmt::format("{} failing pairs", total_);
    for (const auto& [kind, n] : by_kind_) s += fmt::format("; {} {}", kind, n);
    return s;
  }

 private:
  static constexpr int kPerKind = 2;
  static constexpr size_t kKinds = 16;
  int total_ = 0;
  std::map<std::string, int> by_kind_;
};

// Counts that a relation must reach for its passing to mean something.
class Coverage {
 public:
  void add(const std::string& what, int n = 1) { counts_[what] += n; }
  int operator[](const std::string& what) const {
    auto it = counts_.find(what);
    return it == counts_.end() ? 0 : it->second;
  }
  // Checks that `what` was counted at least `floor` times.
  void require(const std::string& what, int floor) const {
    CHECK_MESSAGE((*this)[what] >= floor, fmt::format("{}: {} < {}", what, (*this)[what], floor));
  }
  std::string summary() const {
    std::string s;
    for (const auto& [what, n] : counts_) {
      s += fmt::format("{}{} {}", s.empty() ? "" : ", ", what, n);
    }
    return s;
  }

 private:
  std::map<std::string, int> counts_;
};

// Whether the candidates of `a` are among those of `b`.
bool within(const Decision& a, const Decision& b) { return (a.candidates & ~b.candidates) == 0; }

bool decided(const Decision& d) { return std::popcount(d.candidates) == 1; }

// Whether an undetermined decision says why: a fact missing, a threshold not in force, a
// calendar not shipped, arithmetic without a finite result.
bool says_why(const Decision& d) {
  return !d.missing.empty() || !d.pending_cells.empty() || d.pending_calendar ||
         d.pending_arithmetic;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. Aggravation never moves the environmental verdict toward exempt

namespace {

// The rank of each of `items` (outcomes, enum values) by key; a key without one fails.
template <typename T>
std::vector<int> ranks_by_key(const std::vector<T>& items,
                              const std::map<std::string, int>& order) {
  std::vector<int> out;
  for (const T& x : items) {
    REQUIRE_MESSAGE(order.count(x.key), ("no rank for " + x.key));
    out.push_back(order.at(x.key));
  }
  return out;
}

// One fact made graver: field `field` takes value `to`.
struct Move {
  int field = -1;
  Value to;
};

// The facts whose larger number, or whose turning true, is graver.
constexpr const char* kGraverNumbers[] = {"damage_amount",
                                          "exceedance_multiple",
                                          "wastewater_tonnes_per_year",
                                          "pollutant_tonnes",
                                          "waste_tonnes",
                                          "catch_kg",
                                          "catch_value",
                                          "animals_count",
                                          "forest_land_mu",
                                          "deaths",
                                          "injured",
                                          "evacuated",
                                          "direct_loss"};
constexpr const char* kGraverWhenTrue[] = {"regional_impact", "persistent_risk", "repeat_offence",
                                           "reached_surface_water", "fishing_special"};

// Every move that makes one known fact of `in` graver: a larger number; a circumstance that
// was absent present; a protected area or special pollutant where there was none; a graver
// incident; hazardous waste for ordinary waste; no permit where there was one. Fields and enum
// values are looked up by key, and those the ruleset lacks are skipped.
std::vector<Move> graver_moves(const Ruleset& rs, const Inputs& in, CaseGenerator& gen) {
  std::vector<Move> out;
  // The input `key` when the case gives it a value of `kind`, else -1.
  auto field = [&](const char* key, Value::Kind kind) {
    int f = rs.find_field(key);
    return f >= 0 && f < rs.input_count() && in[f].kind == kind ? f : -1;
  };
  auto value = [&](int f, const char* key) { return rs.enums[rs.field_enum[f]].find(key); };
  for (const char* key : kGraverNumbers) {
    if (int f = field(key, Value::kNumber); f >= 0) {
      for (double x : gen.larger(in[f].num)) {
        x = CaseGenerator::clamp(rs.fields[f], x);
        if (x > in[f].num) out.push_back({f, Value::number(x)});
      }
    }
  }
  for (const char* key : kGraverWhenTrue) {
    int f = field(key, Value::kBool);
    if (f >= 0 && !in[f].b) out.push_back({f, Value::boolean(true)});
  }
  if (int f = field("has_permit", Value::kBool); f >= 0 && in[f].b) {
    out.push_back({f, Value::boolean(false)});
  }
  for (const char* key : {"protected_area", "special_pollutant"}) {
    int f = field(key, Value::kEnum);
    if (f < 0 || in[f].enum_index != value(f, "none")) continue;
    for (size_t v = 0; v < rs.enums[rs.field_enum[f]].values.size(); ++v) {
      if (static_cast<int>(v) != in[f].enum_index) {
        out.push_back({f, Value::enumeration(static_cast<int32_t>(v))});
      }
    }
  }
  if (int f = field("incident_grade", Value::kEnum); f >= 0) {
    const char* order[] = {"none", "general", "larger", "major", "especially_major"};
    int at = -1;
    for (int i = 0; i < 5; ++i) {
      if (value(f, order[i]) == in[f].enum_index) at = i;
    }
    for (int i = at + 1; at >= 0 && i < 5; ++i) {
      if (value(f, order[i]) >= 0) out.push_back({f, Value::enumeration(value(f, order[i]))});
    }
  }
  if (int f = field("waste_kind", Value::kEnum);
      f >= 0 && value(f, "hazardous") >= 0 &&
      (in[f].enum_index == value(f, "general_industrial") ||
       in[f].enum_index == value(f, "household_construction"))) {
    out.push_back({f, Value::enumeration(value(f, "hazardous"))});
  }
  return out;
}

}  // namespace

TEST_CASE("property: aggravating one fact never moves the environmental verdict toward exempt") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  const Ruleset* rs = config.ruleset("epil");
  REQUIRE(rs != nullptr);
  // exempt < review < suit. `review` is also the undecided outcome, which is why an undecided
  // base may stay undecided when graver, but a graver case may never rank lower.
  const std::vector<int> rank =
      ranks_by_key(rs->outcomes, {{"exempt", 0}, {"review", 1}, {"suit", 2}});
  CaseGenerator gen(*rs, config, /*seed=*/20261128);
  Failures failures;
  Coverage seen;
  for_each_target(config, *rs, 7200, [&](const Target& t, Screener& screen, int cases) {
    for (int i = 0; i < cases; ++i) {
      const Case c = gen.make();
      const Decision db = screen(c.in, c.as_of);
      seen.add("base " + rs->outcomes[db.outcome].key);
      auto fails = [&](const Inputs& a, const Inputs& b) {
        return rank[screen(b, c.as_of).outcome] < rank[screen(a, c.as_of).outcome];
      };
      for (const Move& m : graver_moves(*rs, c.in, gen)) {
        Inputs graver = c.in;
        graver[m.field] = m.to;
        const Decision dg = screen(graver, c.as_of);
        seen.add("move " + rs->fields[m.field].key);
        seen.add("pairs");
        if (decided(db)) seen.add("pairs with the base decided");
        if (rank[dg.outcome] > rank[db.outcome]) seen.add("pairs ranked higher");
        if (rank[dg.outcome] >= rank[db.outcome]) continue;
        const std::string transition =
            fmt::format(" ({} to {})", rs->outcomes[db.outcome].key, rs->outcomes[dg.outcome].key);
        failures.add(rs->fields[m.field].key + transition, [&] {
          Inputs a = c.in, b = graver;
          shrink(*rs, a, b, fails);
          return pair_text(*rs, t, c.as_of, a, b, screen(a, c.as_of), screen(b, c.as_of));
        });
      }
    }
  });
  MESSAGE(fmt::format("aggravation: {}; {:.2f} s", seen.summary(), seconds_since(started)));
  failures.require_none();
  for (const char* o : {"exempt", "review", "suit"}) seen.require(fmt::format("base {}", o), 150);
  seen.require("pairs with the base decided", 5000);
  seen.require("pairs ranked higher", 1000);
  // Every kind of move ran, on every field the ruleset has.
  std::vector<const char*> moved(std::begin(kGraverNumbers), std::end(kGraverNumbers));
  moved.insert(moved.end(), std::begin(kGraverWhenTrue), std::end(kGraverWhenTrue));
  moved.insert(moved.end(), {"has_permit", "protected_area", "special_pollutant", "incident_grade",
                             "waste_kind"});
  for (const char* key : moved) {
    if (rs->find_field(key) >= 0) seen.require(fmt::format("move {}", key), 100);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. An unknown fact covers every completion of it

namespace {

// Decision::candidates are "the outcomes still possible": a completion of a case (the same
// facts with some unknown ones given) can only narrow them. A decided case's candidates are
// its outcome alone; an undecided case's outcome is the ruleset's `undecided` one.
struct CompletionCheck {
  const Ruleset& rs;
  const Target& target;
  Screener& screen;
  int undecided;
  Failures& failures;
  Coverage& seen;

  // `complete` is `incomplete` with some unknown facts given; `kind` names what was given.
  void operator()(const Inputs& complete, const Inputs& incomplete, Date as_of,
                  const std::string& kind) {
    const Decision dc = screen(complete, as_of), di = screen(incomplete, as_of);
    if (outside_relation(dc, di, complete, incomplete)) {
      seen.add(rs.id + " pairs outside the relation by design");
      return;
    }
    for (const Decision* d : {&dc, &di}) {
      if (decided(*d) ? d->candidates == 1ULL << d->outcome : d->outcome == undecided) continue;
      failures.add(rs.id + " inconsistent decision", [&] {
        return fmt::format("{}: {}", replay(rs, target, as_of, d == &dc ? complete : incomplete),
                           verdict(rs, *d));
      });
    }
    seen.add(rs.id + " pairs");
    if (decided(dc)) seen.add(rs.id + " pairs with the completion decided");
    if (decided(dc) && !decided(di)) seen.add(rs.id + " pairs with only the completion decided");
    seen.add(rs.id + " completion " + rs.outcomes[dc.outcome].key);
    if (within(dc, di)) return;
    failures.add(rs.id + " " + kind, [&] {
      Inputs a = complete, b = incomplete;
      shrink(rs, a, b, [&](const Inputs& x, const Inputs& y) {
        return !within(screen(x, as_of), screen(y, as_of));
      });
      return pair_text(rs, target, as_of, a, b, screen(a, as_of), screen(b, as_of));
    });
  }

  // Completions the relation does not hold for, by the rules' design:
  //  - one outside this configuration's data where the incomplete case is not (a conduct date
  //    before every threshold it needs has a value): its result is flagged before_values, and a
  //    case without a conduct date assumes the conduct is not that early (the explanation
  //    says from when);
  //  - one whose facts contradict each other, or a fact stated or assumed (a repeat denied while
  //    the dates show one; "no incident" with casualties; "no special pollutant" with a heavy
  //    metal): the graver reading is taken and an advisory says so, so giving the
  //    contradicting fact can make a case graver than the one that trusted the statement. A
  //    completion that leaves the contradiction open (the dates not both given) is one too.
  bool outside_relation(const Decision& dc, const Decision& di, const Inputs& complete,
                        const Inputs& incomplete) const {
    if (dc.decision_before_values && !di.decision_before_values) {
      seen.add(rs.id + " pairs outside: before the configuration's values");
      return true;
    }
    static const char* const kContradictions[] = {"repeat_contradiction", "incident_contradiction",
                                                  "special_pollutant_contradiction",
                                                  "incident_grade_graver"};
    for (size_t a = 0; a < rs.advisories.size(); ++a) {
      if (!((dc.advisories >> a) & 1ULL)) continue;
      for (const char* id : kContradictions) {
        if (rs.advisories[a].id == id) return true;
      }
    }
    // A fact trusted until another contradicts it, and the facts that may contradict it.
    static const std::vector<std::pair<const char*, std::vector<const char*>>> kPartners = {
        {"repeat_offence", {"prior_violation_date", "conduct_date"}},
        {"incident_grade", {"deaths", "injured", "evacuated", "direct_loss"}},
        {"incident_occurred", {"deaths", "injured", "evacuated", "direct_loss"}},
        {"special_pollutant", {"heavy_metal"}},
    };
    for (const auto& [trusted, partners] : kPartners) {
      // Only a statement is trusted so; a default gives way to the facts without a contradiction.
      const int t = rs.find_field(trusted);
      if (t < 0 || !incomplete[t].known() || (incomplete[t].flags & Value::kDefaulted)) continue;
      for (const char* key : partners) {
        const int f = rs.find_field(key);
        if (f >= 0 && !same_fact(complete[f], incomplete[f])) return true;
      }
    }
    return false;
  }
};

// Every known fact but the review date (for which the as-of date stands in: not a fact made
// unknown), stated unknown in turn.
void forget_each(const Ruleset& rs, const Case& c, CompletionCheck& check) {
  for (int f = 0; f < rs.input_count(); ++f) {
    if (!c.in[f].known() || rs.fields[f].key == rs.temporal.review_field) continue;
    Inputs less = c.in;
    less[f] = stated_unknown();
    check(c.in, less, c.as_of, rs.fields[f].key + " made unknown");
  }
}

// The case completed a few ways: every unknown fact given (twice), or a random half of them
// (twice), with values drawn as the generator draws them.
void complete_some(const Ruleset& rs, const Case& c, CaseGenerator& gen, CompletionCheck& check) {
  for (int k = 0; k < 4; ++k) {
    Case more = c;
    int given = 0;
    for (int f = 0; f < rs.input_count(); ++f) {
      if (c.in[f].known() || rs.fields[f].key == rs.temporal.review_field) continue;
      if (k >= 2 && gen.chance(0.5)) continue;
      more.in[f] = gen.known_value(f, more);
      given += more.in[f].known();
    }
    if (given > 0) {
      check(more.in, c.in, c.as_of, k < 2 ? "completed in full" : "completed in part");
    }
  }
}

}  // namespace

TEST_CASE("property: an unknown fact covers every completion of it") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  Coverage seen;
  for (const char* id : {"epil", "credit"}) {
    const std::string ruleset = id;
    CAPTURE(ruleset);
    Failures failures;  // per ruleset, so that one's many kinds do not hide the other's
    const Ruleset* rs = config.ruleset(id);
    REQUIRE(rs != nullptr);
    const int undecided = rs->find_outcome(rs->undecided);
    REQUIRE(undecided >= 0);
    CaseGenerator gen(*rs, config, /*seed=*/20261129);
    for_each_target(config, *rs, 5000, [&](const Target& t, Screener& screen, int cases) {
      CompletionCheck check{*rs, t, screen, undecided, failures, seen};
      for (int i = 0; i < cases; ++i) {
        const Case c = gen.make();
        forget_each(*rs, c, check);
        complete_some(*rs, c, gen, check);
      }
    });
    for (const auto& o : rs->outcomes) {
      seen.require(fmt::format("{} completion {}", id, o.key), 200);
    }
    seen.require(fmt::format("{} pairs with the completion decided", id), 5000);
    seen.require(fmt::format("{} pairs with only the completion decided", id), 1000);
    failures.require_none();
  }
  MESSAGE(fmt::format("unknown covers: {}; {:.2f} s", seen.summary(), seconds_since(started)));
}

// ---------------------------------------------------------------------------------------------
// 3. A debtor who has performed more is never listed nor graded higher for it

namespace {

// The same debtor having performed more and more: nothing, the shares the grades turn on,
// everything owed, and the amount the case was drawn with (when not above the debt).
std::vector<Inputs> performance_ladder(const Inputs& in, int debt, int performed) {
  const double owed = in[debt].num;
  std::set<double> amounts;
  for (double share : {0.0, 0.1, 0.25, 0.4999, 0.5, 0.75, 0.9999, 1.0}) {
    amounts.insert(owed * share);
  }
  if (in[performed].known() && in[performed].num <= owed) amounts.insert(in[performed].num);
  std::vector<Inputs> ladder;
  for (double x : amounts) {
    ladder.push_back(in);
    ladder.back()[performed] = Value::number(x);
  }
  return ladder;
}

// Relation 3 on one target: every step of a ladder against every later one. Any outcome but
// `listed` lists nothing (not_listed, grace, undetermined, and any added later, such as one
// for a record to delete); the grade is the derived field `grade`, compared when both are
// known.
class LadderCheck {
 public:
  LadderCheck(const Ruleset& rs, const Target& t, Screener& screen, Failures& failures,
              Coverage& seen)
      : rs_(rs),
        target_(t),
        screen_(screen),
        failures_(failures),
        seen_(seen),
        listed_(rs.find_outcome("listed")),
        grade_(rs.find_field("grade")) {
    REQUIRE(listed_ >= 0);
    REQUIRE(grade_ >= 0);
    rank_ = ranks_by_key(rs.enums[rs.field_enum[grade_]].values,
                         {{"minor", 0}, {"general", 1}, {"serious", 2}});
  }

  void operator()(const std::vector<Inputs>& ladder, Date as_of) {
    std::vector<Step> steps;
    for (const Inputs& in : ladder) steps.push_back(run(in, as_of));
    seen_.add("ladders");
    if (steps.front().d.outcome == listed_) seen_.add("ladders starting listed");
    for (size_t a = 0; a < steps.size(); ++a) {
      for (size_t b = a + 1; b < steps.size(); ++b) {
        count(steps[a], steps[b]);
        const std::string what = fault(steps[a], steps[b]);
        if (what.empty()) continue;
        failures_.add(what, [&] {
          Inputs x = ladder[a], y = ladder[b];
          shrink(rs_, x, y, [&](const Inputs& p, const Inputs& q) {
            return !fault(run(p, as_of), run(q, as_of)).empty();
          });
          const Step p = run(x, as_of), q = run(y, as_of);
          return fmt::format("{}\n  grades: {} then {}",
                             pair_text(rs_, target_, as_of, x, y, p.d, q.d),
                             spell(rs_, grade_, p.grade), spell(rs_, grade_, q.grade));
        });
      }
    }
  }

 private:
  struct Step {
    Decision d;
    Value grade;
  };
  Step run(const Inputs& in, Date as_of) {
    Decision d = screen_(in, as_of);
    return Step{d, screen_.derived(grade_)};
  }
  bool graded_lower(const Step& a, const Step& b) const {
    return a.grade.known() && b.grade.known() &&
           rank_[b.grade.enum_index] < rank_[a.grade.enum_index];
  }
  // What is wrong with `b`, the same debtor as `a` having performed more, if anything.
  std::string fault(const Step& a, const Step& b) const {
    if (a.d.outcome != listed_ && b.d.outcome == listed_) return "listed for performing more";
    if (graded_lower(b, a)) return "graded higher for performing more";
    return "";
  }
  void count(const Step& a, const Step& b) {
    seen_.add("pairs");
    if (a.d.outcome == listed_ && b.d.outcome != listed_) seen_.add("pairs no longer listed");
    if (a.grade.known() && b.grade.known()) seen_.add("pairs with both grades known");
    if (graded_lower(a, b)) seen_.add("pairs graded lower");
  }

  const Ruleset& rs_;
  const Target& target_;
  Screener& screen_;
  Failures& failures_;
  Coverage& seen_;
  const int listed_, grade_;
  std::vector<int> rank_;
};

}  // namespace

TEST_CASE("property: a debtor who has performed more is never listed nor graded higher for it") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  const Ruleset* rs = config.ruleset("credit");
  REQUIRE(rs != nullptr);
  const int debt = rs->find_field("debt_amount"), performed = rs->find_field("performed_amount");
  const int grade_given = rs->find_field("grade_given");
  REQUIRE(debt >= 0);
  REQUIRE(performed >= 0);
  CaseGenerator gen(*rs, config, /*seed=*/20261130);
  Failures failures;
  Coverage seen;
  for_each_target(config, *rs, 6000, [&](const Target& t, Screener& screen, int cases) {
    LadderCheck check(*rs, t, screen, failures, seen);
    for (int i = 0; i < cases; ++i) {
      Case c = gen.make();
      for (int k = 0; k < 5 && !(c.in[debt].known() && c.in[debt].num > 0); ++k) {
        c.in[debt] = gen.known_value(debt, c);
      }
      if (!(c.in[debt].known() && c.in[debt].num > 0)) continue;
      // Mostly graded by the rules rather than by the judge, whose grade no amount changes.
      if (grade_given >= 0 && gen.chance(0.7)) c.in[grade_given] = Value::unknown();
      check(performance_ladder(c.in, debt, performed), c.as_of);
    }
  });
  MESSAGE(fmt::format("performing more: {}; {:.2f} s", seen.summary(), seconds_since(started)));
  failures.require_none();
  seen.require("ladders starting listed", 400);
  seen.require("pairs no longer listed", 500);
  seen.require("pairs with both grades known", 50000);
  seen.require("pairs graded lower", 500);
}

// ---------------------------------------------------------------------------------------------
// 4. The same facts spelled differently give the same verdict

namespace {

using Spellings = std::vector<std::pair<std::string, std::string>>;  // (kind, text)

// Every name field `d` is known by.
Spellings names_of(const epil::FieldDef& d) {
  Spellings out = {{"name key", d.key}, {"name 中文", d.label.zh}, {"name English", d.label.en}};
  if (!d.flag.empty()) out.push_back({"name flag", d.flag});
  for (const auto& a : d.aliases) out.push_back({"name alias", a});
  return out;
}

Spellings names_of(const epil::EnumValue& v) {
  Spellings out = {{"enum key", v.key}, {"enum 中文", v.label.zh}, {"enum English", v.label.en}};
  for (const auto& a : v.aliases) out.push_back({"enum alias", a});
  return out;
}

// `plain` (a number as format_plain writes it, no exponent) with its decimal point moved
// `places` to the left, or to the right when negative: ("2800", 4) → "0.28". Done on the
// digits, so that "0.28万元" names exactly the number "2800" does; empty for an exponent form.
std::string shift_point(const std::string& plain, int places) {
  if (plain.find_first_of("eE") != std::string::npos) return "";
  const size_t dot = plain.find('.');
  std::string whole = plain.substr(0, dot);
  std::string digits = whole + (dot == std::string::npos ? "" : plain.substr(dot + 1));
  long point = static_cast<long>(whole.size()) - places;
  if (point <= 0) {
    digits = std::string(static_cast<size_t>(1 - point), '0') + digits;
    point = 1;
  }
  if (point >= static_cast<long>(digits.size())) digits.append(point - digits.size() + 1, '0');
  std::string out = digits.substr(0, point) + "." + digits.substr(point);
  out.erase(0, std::min(out.find_first_not_of('0'), out.find('.') - 1));  // leading zeros
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

// The ways a clerk may type `v` into field `f`, each tagged with its kind.
Spellings spellings(const Ruleset& rs, int f, const Value& v) {
  const epil::FieldDef& d = rs.fields[f];
  switch (v.kind) {
    case Value::kUnknown:
      // (A blank cell is not one of them: it gives nothing, and the default then applies.)
      return {{"unknown", "不详"}, {"unknown", "未知"}, {"unknown", "-"}, {"unknown", "N/A"}};
    case Value::kBool:
      return {{"bool true/false", v.b ? "true" : "false"},
              {"bool 是/否", v.b ? "是" : "否"},
              {"bool Y/N", v.b ? "Y" : "N"},
              {"bool yes/no", v.b ? "yes" : "no"}};
    case Value::kEnum:
      return names_of(rs.enums[rs.field_enum[f]].values[v.enum_index]);
    case Value::kDate: {
      const Date x = v.as_date();
      return {{"date ISO", x.iso()},
              {"date 年月日", x.zh()},
              {"date y/m/d", fmt::format("{}/{}/{}", x.year(), x.month(), x.day())}};
    }
    case Value::kNumber:
      break;
    default:
      return {};
  }
  const std::string plain = epil::format_plain(v.num);
  Spellings out = {{"number plain", plain}};
  auto scaled = [&](const char* kind, int places, const char* suffix) {
    std::string s = shift_point(plain, places);
    if (!s.empty()) out.push_back({kind, s + suffix});
  };
  if (d.unit == "元") {
    out.push_back({"money 元", plain + "元"});
    out.push_back({"money 3,000元", epil::format_grouped(v.num) + "元"});
    scaled("money 万元", 4, "万元");
  } else if (d.unit == "t") {
    out.push_back({"tonnes 吨", plain + "吨"});
    scaled("tonnes kg", -3, "kg");
  } else if (d.unit == "kg") {
    out.push_back({"kg 千克", plain + "千克"});
    scaled("kg 吨", 3, "吨");
  } else if (d.unit == "times") {
    out.push_back({"number 倍", plain + "倍"});
  } else if (d.unit == "mu") {
    out.push_back({"number 亩", plain + "亩"});
  } else if (!d.unit.empty()) {
    out.push_back({"number " + d.unit, plain + d.unit});
  }
  return out;
}

// What differs between two decisions of the same facts; empty when nothing does.
std::string decision_diff(const Ruleset& rs, const Decision& a, const Decision& b) {
  std::string out;
  if (a.outcome != b.outcome || a.candidates != b.candidates || a.decided_by != b.decided_by) {
    out += fmt::format(" verdict {} vs {};", verdict(rs, a), verdict(rs, b));
  }
  for (size_t o = 0; o < rs.outputs.size(); ++o) {
    const auto &x = a.outputs[o], &y = b.outputs[o];
    if (x.applies != y.applies || x.value != y.value || x.candidates != y.candidates) {
      out += fmt::format(" output {} differs;", rs.outputs[o].key);
    }
  }
  if (a.advisories != b.advisories) out += " advisories differ;";
  if (a.missing != b.missing) out += " missing facts differ;";
  return out;
}

// Every name of every input field finds that field, and every name of an enum value that
// value: a name shared by two fields (or values) would read one as the other.
void check_names(const Ruleset& rs, const epil::io::FieldIndex& index, Failures& failures) {
  for (int f = 0; f < rs.input_count(); ++f) {
    for (const auto& [kind, name] : names_of(rs.fields[f])) {
      int g = index.find(name);
      if (g == f) continue;
      failures.add(rs.id + " " + kind, [&] {
        return fmt::format("'{}', a name of {}, finds {}", name, rs.fields[f].key,
                           g < 0 ? "nothing" : rs.fields[g].key);
      });
    }
    if (rs.field_enum[f] < 0) continue;
    const auto& values = rs.enums[rs.field_enum[f]].values;
    for (int v = 0; v < static_cast<int>(values.size()); ++v) {
      for (const auto& [kind, name] : names_of(values[v])) {
        int w = index.find_enum(f, name);
        if (w == v) continue;
        failures.add(rs.id + " " + kind, [&] {
          return fmt::format("'{}', a name of {}={}, finds {}", name, rs.fields[f].key,
                             values[v].key, w < 0 ? "nothing" : values[w].key);
        });
      }
    }
  }
}

}  // namespace

TEST_CASE("property: the same facts spelled differently give the same verdict") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  constexpr int kSpellingsPerCase = 3;
  Coverage seen;
  for (const char* id : {"epil", "credit"}) {
    const std::string ruleset = id;
    CAPTURE(ruleset);
    const Ruleset* rs = config.ruleset(id);
    REQUIRE(rs != nullptr);
    const epil::io::FieldIndex index(*rs);
    const Inputs absent = absent_inputs(*rs);
    Failures failures;
    check_names(*rs, index, failures);
    CaseGenerator gen(*rs, config, /*seed=*/20261201);
    for_each_target(config, *rs, 1500, [&](const Target& t, Screener& screen, int cases) {
      for (int i = 0; i < cases; ++i) {
        const Case c = gen.make();
        const Decision want = screen(c.in, c.as_of);
        for (int s = 0; s < kSpellingsPerCase; ++s) {
          epil::io::CaseInput typed(*rs);
          std::string shown;  // the case as typed, for a failure's message
          for (int f = 0; f < rs->input_count(); ++f) {
            if (is_absent(c.in[f], absent[f])) continue;
            // Only names that find the field: check_names reports the others.
            Spellings names = names_of(rs->fields[f]);
            std::erase_if(names, [&](const auto& n) { return index.find(n.second) != f; });
            const Spellings texts = spellings(*rs, f, c.in[f]);
            if (names.empty()) continue;
            REQUIRE(!texts.empty());
            const auto& [name_kind, name] = names[gen.pick(names.size())];
            const auto& [text_kind, text] = texts[gen.pick(texts.size())];
            seen.add(fmt::format("{} {}", id, name_kind));
            seen.add(fmt::format("{} {}", id, text_kind));
            shown += fmt::format(" '{}={}'", name, text);
            auto error = typed.set(*rs, index, f, text);
            if (!error && same_fact(typed.values[f], c.in[f])) continue;
            failures.add(rs->id + " " + text_kind, [&] {
              return fmt::format("{} = '{}' ({}) reads as {}, not {}", rs->fields[f].key, text,
                                 name, error ? error->en : spell(*rs, f, typed.values[f]),
                                 spell(*rs, f, c.in[f]));
            });
          }
          typed.apply_defaults(*rs, index);  // for the inputs not given, as `c.in` has them
          const std::string diff = decision_diff(*rs, want, screen(typed.values, c.as_of));
          seen.add(fmt::format("{} spellings", id));
          if (diff.empty()) continue;
          failures.add(rs->id + " verdict", [&] {
            return fmt::format("{}\n  typed:{}\n  {}", replay(*rs, t, c.as_of, c.in), shown, diff);
          });
        }
      }
    });
    failures.require_none();
  }
  MESSAGE(fmt::format("spellings: {}; {:.2f} s", seen.summary(), seconds_since(started)));
  for (const char* kind :
       {"name key", "name 中文", "name English", "name alias", "enum key", "enum 中文",
        "enum alias", "bool 是/否", "bool Y/N", "bool yes/no", "bool true/false", "date ISO",
        "date 年月日", "date y/m/d", "money 元", "money 万元", "money 3,000元", "unknown"}) {
    seen.require(fmt::format("epil {}", kind), 200);
    seen.require(fmt::format("credit {}", kind), 100);
  }
  seen.require("epil tonnes kg", 100);
  seen.require("epil kg 吨", 100);
}

// ---------------------------------------------------------------------------------------------
// 5. `epil batch` gives every row the verdict the library gives the same facts

namespace {

std::string csv_cell(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The cell a spreadsheet holds for `v`: enums by 中文 label, 是/否, plain numbers, ISO dates;
// an unknown fact blank (the field's default then applies) or 不详, half the time each; and
// half the time blank for the field's default (`absent`), as clerks leave such columns empty.
std::string cell_text(const Ruleset& rs, int f, const Value& v, const Value& absent,
                      CaseGenerator& gen) {
  if (v.known() && absent.known() && v.same(absent) && gen.chance(0.5)) return "";
  switch (v.kind) {
    case Value::kUnknown:
      return gen.chance(0.5) ? "" : "不详";
    case Value::kBool:
      return v.b ? "是" : "否";
    case Value::kNumber:
      return epil::format_plain(v.num);
    case Value::kDate:
      return v.as_date().iso();
    case Value::kEnum:
      return rs.enums[rs.field_enum[f]].values[v.enum_index].label.zh;
    default:
      return "";
  }
}

// The region as a clerk may type it: id, 中文 or English name, code or an alias, in turn.
std::string region_text(const epil::Region& r, size_t turn) {
  std::vector<std::string> names = {r.id, r.name.zh, r.name.en};
  if (!r.code.empty()) names.push_back(r.code);
  names.insert(names.end(), r.aliases.begin(), r.aliases.end());
  return names[turn % names.size()];
}

// One spreadsheet row and what the library says of the same facts.
struct Row {
  const Target* target = nullptr;
  std::vector<std::string> cells;  // 地区, then one per input field
  Inputs read;                     // the cells as the library reads them, defaults applied
  Decision want;
};

// What the batch's reasons column says of a decision: the entry that decided, or the
// candidate outcomes.
std::string reasons(const Ruleset& rs, const Decision& d) {
  return d.decided_by >= 0 ? rs.decisions[d.decided_by].id : outcomes_text(rs, d.candidates);
}

// A layout that leaves out the type the identity section reads: the list's name and ID number
// columns stand in for it.
bool with_identity(const Ruleset& rs, const std::vector<bool>& omitted) {
  const int f = rs.find_field(rs.identity.type_field);
  return f >= 0 && omitted[static_cast<size_t>(f)];
}

// `n` generated rows for target `t`, read by the library as batch reads a row: every non-blank
// cell set, then the defaults.
void add_rows(epil::Config& config, const Ruleset& rs, const Target& t, int n, CaseGenerator& gen,
              std::vector<Row>& rows, const std::vector<bool>& omitted) {
  const epil::io::FieldIndex index(rs);
  const Inputs absent = absent_inputs(rs);
  Screener screen(config, rs, t);
  // With columns left out, every other row repeats the one before but for what fills them
  // (the last part of a sum, the input a default comes from): rows alike but for an input no
  // column holds, where taking it as constant would give the second the first one's decision.
  const bool some_omitted = std::find(omitted.begin(), omitted.end(), true) != omitted.end();
  const bool identity = with_identity(rs, omitted);
  Inputs prev;
  std::vector<std::string> prev_cells(static_cast<size_t>(rs.input_count()));
  for (int i = 0; i < n; ++i) {
    Inputs in = gen.make(day(kAsOf)).in;
    const bool repeat = some_omitted && i % 2 == 1;
    std::vector<bool> varied(static_cast<size_t>(rs.input_count()), !repeat);
    if (repeat) {
      in = prev;
      for (int f = 0; f < rs.input_count(); ++f) {
        if (!omitted[static_cast<size_t>(f)]) continue;
        const epil::FieldDef& d = rs.fields[f];
        const int src =
            !d.sum_of.empty() ? rs.find_field(d.sum_of.back()) : rs.find_field(d.default_from);
        if (src < 0) continue;
        in[src] = gen.known_value(src, Case{in, day(kAsOf)});
        varied[static_cast<size_t>(src)] = true;
      }
    }
    prev = in;
    Row row;
    row.target = &t;
    row.cells.push_back(region_text(*t.region, rows.size()));
    epil::io::CaseInput typed(rs);
    for (int f = 0; f < rs.input_count(); ++f) {
      if (omitted[static_cast<size_t>(f)]) continue;  // no column: the batch fills it, or not
      // A repeated row's cells are the row before's, word for word, but for those varied.
      if (varied[static_cast<size_t>(f)]) {
        prev_cells[static_cast<size_t>(f)] = cell_text(rs, f, in[f], absent[f], gen);
      }
      row.cells.push_back(prev_cells[static_cast<size_t>(f)]);
      if (row.cells.back().empty()) continue;
      auto error = typed.set(rs, index, f, row.cells.back());
      REQUIRE_MESSAGE(!error, (rs.fields[f].key + ": " + (error ? error->en : "")));
    }
    // The inputs the others say (a sum, a decision date from the publication's), as batch
    // fills them.
    if (identity) {
      // A name and an ID number drawn afresh for every row: the repeated row differs from the
      // one before in them (a person's number, a minor's, a masked one, a company's code, one
      // whose check fails) and so in the type and age they give.
      static const char* const kNames[] = {"张某", "南宁某某贸易有限公司", "李某某", "某某合作社"};
      static const char* const kIds[] = {"11010120080701001X", "110101200703010015",
                                         "4501031980****1234", "91450100MA5K00000B",
                                         "110101200807010014", ""};
      typed.debtor_name = kNames[gen.pick(std::size(kNames))];
      typed.id_number = kIds[gen.pick(std::size(kIds))];
      row.cells.push_back(typed.debtor_name);
      row.cells.push_back(typed.id_number);
    }
    const auto contradiction = typed.complete(rs, day(kAsOf));
    REQUIRE_MESSAGE(!contradiction, (contradiction ? contradiction->en : ""));
    typed.apply_defaults(rs, index);
    row.read = typed.values;
    row.want = screen(row.read, day(kAsOf));
    rows.push_back(std::move(row));
  }
}

// The rows as a spreadsheet: 中文 headers (地区, then the fields' labels), CRLF lines.
std::string to_csv(const Ruleset& rs, const std::vector<Row>& rows,
                   const std::vector<bool>& omitted) {
  // (Appended piece by piece: GCC 12 warns falsely on "," + std::string here.)
  std::string csv = "地区";
  for (int f = 0; f < rs.input_count(); ++f) {
    if (!omitted[static_cast<size_t>(f)]) csv.append(",").append(csv_cell(rs.fields[f].label.zh));
  }
  if (with_identity(rs, omitted)) {
    csv.append(",").append(rs.identity.name_aliases.front());
    csv.append(",").append(rs.identity.id_aliases.front());
  }
  for (const Row& row : rows) {
    csv += "\r\n";
    for (size_t c = 0; c < row.cells.size(); ++c) {
      csv.append(c ? "," : "").append(csv_cell(row.cells[c]));
    }
  }
  return csv + "\r\n";
}

// Each row of batch output `out` (--lang en) against the library's verdict on the same row.
void check_batch_output(const Ruleset& rs, const std::vector<Row>& rows, const std::string& out,
                        Coverage& seen) {
  std::optional<epil::io::TableError> error;
  auto table = epil::io::open_csv(out, {}, error);
  REQUIRE_MESSAGE(table != nullptr, (error ? error->message : "?"));
  const auto& header = table->header();
  const auto outcome = std::find(header.begin(), header.end(), "outcome") - header.begin();
  const auto because = std::find(header.begin(), header.end(), "reasons") - header.begin();
  REQUIRE(static_cast<size_t>(outcome) < header.size());
  REQUIRE(static_cast<size_t>(because) < header.size());
  std::vector<std::string_view> cells;
  size_t n = 0, wrong = 0;
  for (; table->next(cells); ++n) {
    REQUIRE(n < rows.size());
    const Row& row = rows[n];
    const std::string want = rs.outcomes[row.want.outcome].key;
    seen.add(fmt::format("{} rows {}", rs.id, want));
    if (cells[outcome] == want && cells[because] == reasons(rs, row.want)) continue;
    if (++wrong > 5) continue;
    FAIL_CHECK(fmt::format("row {} ({}): batch {} ({}), library {}\n  {}", n + 2, row.cells[0],
                           cells[outcome], cells[because], verdict(rs, row.want),
                           replay(rs, *row.target, day(kAsOf), row.read)));
  }
  CHECK(n == rows.size());
  CHECK_MESSAGE(wrong == 0, fmt::format("{} of {} rows differ", wrong, rows.size()));
}

}  // namespace

TEST_CASE("property: epil batch gives every row the verdict the library gives") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  epil::testing::Scratch scratch;
  Coverage seen;
  for (const char* id : {"epil", "credit"}) {
    const std::string ruleset = id;
    CAPTURE(ruleset);
    const Ruleset* rs = config.ruleset(id);
    REQUIRE(rs != nullptr);
    CaseGenerator gen(*rs, config, /*seed=*/20261202);
    const std::vector<Target> all = targets(config, *rs);
    // One run per overlay (or none): a row names its region, the command line its overlay.
    std::set<const epil::Region*> overlays;
    for (const Target& t : all) overlays.insert(t.overlay);
    // Every input in a column; then, where the ruleset fills inputs from other cells (a sum,
    // a default from another input: io/completion.h), those inputs' columns left out, so that
    // the batch fills them row by row and must not take them as constant across rows.
    std::vector<std::vector<bool>> layouts = {std::vector<bool>(rs->input_count(), false)};
    // (No name or ID column: the identity's inputs are not filled here.)
    const std::vector<bool> every_column(rs->fields.size(), true);
    if (const auto filled =
            epil::io::for_columns(epil::io::completion_of(*rs), every_column, false).filled();
        !filled.empty()) {
      layouts.emplace_back(rs->input_count(), false);
      for (int f : filled) layouts.back()[static_cast<size_t>(f)] = true;
    }
    // And a list's name and ID number columns instead of the type and age they give.
    if (const auto filled =
            epil::io::for_columns(epil::io::completion_of(*rs), every_column, true).filled();
        rs->identity.declared()) {
      layouts.emplace_back(rs->input_count(), false);
      for (int f : filled) layouts.back()[static_cast<size_t>(f)] = true;
    }
    for (const std::vector<bool>& omitted : layouts)
      for (const epil::Region* overlay : overlays) {
        std::vector<Row> rows;
        const auto of_overlay = std::count_if(
            all.begin(), all.end(), [&](const Target& t) { return t.overlay == overlay; });
        for (const Target& t : all) {
          if (t.overlay == overlay)
            add_rows(config, *rs, t, static_cast<int>(600 / of_overlay), gen, rows, omitted);
        }
        const std::string in = scratch.write(ruleset + ".csv", to_csv(*rs, rows, omitted));
        const std::string out = scratch.path(ruleset + ".out.csv");
        // The source tree's configuration, as the library reads it, rather than the copy built
        // into the binary, which lags behind edits until the next build.
        epil::testing::Run r = epil::testing::run(fmt::format(
            "--config '{}' batch '{}' -o '{}' --ruleset {}{} --as-of {} --lang en --force",
            EPIL_SOURCE_DIR, in, out, id, overlay ? " --overlay " + overlay->id : "", kAsOf));
        REQUIRE_MESSAGE(r.code == 0, r.out);
        check_batch_output(*rs, rows, out, seen);
        // Where inputs are filled from other cells, the shape reuse changes no byte: each row
        // evaluated alone gives the same file (a filled input taken as constant across rows
        // gave a row another's decision or missing facts).
        if (&omitted != &layouts.front()) {
          const std::string alone = scratch.path(ruleset + ".alone.csv");
          epil::testing::Run each = epil::testing::run(fmt::format(
              "--config '{}' batch '{}' -o '{}' --ruleset {}{} --as-of {} --lang en --force "
              "--evaluate-each-row",
              EPIL_SOURCE_DIR, in, alone, id, overlay ? " --overlay " + overlay->id : "", kAsOf));
          REQUIRE_MESSAGE(each.code == 0, each.out);
          CHECK(epil::testing::read_bytes(out) == epil::testing::read_bytes(alone));
        }
      }
    for (const auto& o : rs->outcomes) seen.require(fmt::format("{} rows {}", id, o.key), 10);
  }
  MESSAGE(fmt::format("batch: {}; {:.2f} s", seen.summary(), seconds_since(started)));
}

// ---------------------------------------------------------------------------------------------
// 6. What the law itself says, restated here from ../shared/domain.md rather than read from the
//    rulesets, so that a rule that drifts from the law fails here whatever the YAML says:
//    a. facts at or above a criminal reference, a 较大 incident, a protected area or a special
//       pollutant are never 显著轻微;
//    b. without a conduct date, a case that every possible conduct date decides alike is
//       decided so (the dates this configuration has no values for aside);
//    c. an undetermined outcome always says why (a fact missing, a threshold not in force, a
//       calendar not shipped);
//    d. a period end in a year without a shipped holiday arrangement is never shown as certain,
//       nor taken as passed;
//    e. 法释〔2017〕7号 第十条: a listing with a period is not deleted on an event before the
//       period ends (第二款); a ground (一) listing performed in full is not kept
//       (第一款第（一）项).

namespace {

int field(const Ruleset& rs, const char* key) { return rs.find_field(key); }
Value fact(const Ruleset& rs, const Inputs& in, const char* key) {
  const int f = field(rs, key);
  return f < 0 ? Value::unknown() : in[f];
}
bool at_least(const Value& v, double x) { return v.kind == Value::kNumber && v.num >= x; }
bool is(const Ruleset& rs, const Inputs& in, const char* key, const char* value) {
  const Value v = fact(rs, in, key);
  const int f = field(rs, key);
  return v.kind == Value::kEnum && rs.enums[rs.field_enum[f]].values[v.enum_index].key == value;
}
bool yes(const Ruleset& rs, const Inputs& in, const char* key) {
  const Value v = fact(rs, in, key);
  return v.kind == Value::kBool && v.b;
}
// The value `value` of enum input `f`, which its enum must have.
Value enum_of(const Ruleset& rs, int f, const char* value) {
  const int v = rs.enums[rs.field_enum[f]].find(value);
  REQUIRE_MESSAGE(v >= 0, fmt::format("{} has no value {}", rs.fields[f].key, value));
  return Value::enumeration(v);
}

// The days from which lines of the law that never_minor and never_minor_variants both restate
// hold.
const char* const kRepeatFrom = "2025-01-13";           // 环法规〔2025〕6号 第四条
const char* const kIncidentFiguresFrom = "2014-12-29";  // 国办函〔2014〕119号
const char* const kCriminalLinesFrom = "2017-01-01";    // hazardous waste, heavy metals
const char* const kShaanxiPermitFrom = "2024-12-05";    // 陕西 第三条、第四条

// Whether the case's conduct date is known and on or after `iso`: a line of the law counts only
// for conduct on or after the day it took effect, so that 从旧兼从轻 cannot pick a date without
// it.
bool conduct_since(const Ruleset& rs, const Inputs& in, const char* iso) {
  const Value conduct = fact(rs, in, "conduct_date");
  return conduct.known() && conduct.date >= day(iso).days();
}

// 陕西 第三条、第四条: only discharges "依法取得排污许可证后" can be minor by the province's rule,
// and nothing else in 陕西 makes a water or air case minor. Whether `in` is such a discharge in
// `region`, conducted since that rule.
bool shaanxi_discharge(const Ruleset& rs, const Inputs& in, const std::string& region) {
  return region == "shaanxi" && conduct_since(rs, in, kShaanxiPermitFrom) &&
         (is(rs, in, "damage_type", "water_pollution") ||
          is(rs, in, "damage_type", "air_pollution"));
}

// Why the law says these facts are never minor ("" when it does not): each line counted only
// for conduct on or after the day it took effect (conduct_since).
std::string never_minor(const Ruleset& rs, const Inputs& in, const std::string& region) {
  if (!fact(rs, in, "conduct_date").known()) return "";
  auto since = [&](const char* iso) { return conduct_since(rs, in, iso); };
  // 环法规〔2025〕6号 第四条: a repeat within two years must be pursued (a stated one; what the
  // dates show is the rulesets' business).
  if (yes(rs, in, "repeat_offence") && since(kRepeatFrom)) return "a repeat within two years";
  if (shaanxi_discharge(rs, in, region) && fact(rs, in, "has_permit").kind == Value::kBool &&
      !yes(rs, in, "has_permit")) {
    return "陕西: a discharge without a permit";
  }
  const bool solid = is(rs, in, "damage_type", "solid_waste");
  const bool resource = is(rs, in, "damage_type", "resource_damage");
  const Value metal = fact(rs, in, "heavy_metal");
  static const std::set<std::string> kThreeTimes = {"lead",    "mercury",  "cadmium", "chromium",
                                                    "arsenic", "thallium", "antimony"};
  std::string metal_key;
  if (metal.kind == Value::kEnum) {
    metal_key = rs.enums[rs.field_enum[field(rs, "heavy_metal")]].values[metal.enum_index].key;
  }
  const Value exceed = fact(rs, in, "exceedance_multiple");
  if (solid && is(rs, in, "waste_kind", "hazardous") && at_least(fact(rs, in, "waste_tonnes"), 3) &&
      since(kCriminalLinesFrom)) {
    return "hazardous waste >= 3 t (法释〔2023〕7号 第一条第（二）项)";
  }
  if (!metal_key.empty() && metal_key != "none" && since(kCriminalLinesFrom) &&
      at_least(exceed, kThreeTimes.count(metal_key) ? 3 : 10)) {
    return "heavy metal over the multiple (第一条第（三）（四）项)";
  }
  if (since(kIncidentFiguresFrom) &&
      (at_least(fact(rs, in, "deaths"), 3) || at_least(fact(rs, in, "injured"), 10) ||
       at_least(fact(rs, in, "evacuated"), 5000) || at_least(fact(rs, in, "direct_loss"), 5e6))) {
    return "a 较大 incident by its figures (国办函〔2014〕119号)";
  }
  for (const char* grade : {"larger", "major", "especially_major"}) {
    if (is(rs, in, "incident_grade", grade)) return "a 较大 or graver incident";
  }
  const Value area = fact(rs, in, "protected_area");
  if (area.kind == Value::kEnum && !is(rs, in, "protected_area", "none")) return "protected area";
  const Value pollutant = fact(rs, in, "special_pollutant");
  if (pollutant.kind == Value::kEnum && !is(rs, in, "special_pollutant", "none")) {
    return "special pollutant";
  }
  if (resource && is(rs, in, "resource_kind", "fishing") && since("2022-04-09") &&
      (yes(rs, in, "yangtze_basin") || yes(rs, in, "prohibited_fishing")) &&
      (at_least(fact(rs, in, "catch_kg"), 500) || at_least(fact(rs, in, "catch_value"), 10000))) {
    return "illegal fishing (法释〔2022〕12号 第三条)";
  }
  if (resource && is(rs, in, "resource_kind", "hunting") &&
      ((since("2022-04-09") && at_least(fact(rs, in, "animals_value"), 10000)) ||
       (since("2008-06-25") && at_least(fact(rs, in, "animals_count"), 20)))) {
    return "illegal hunting";
  }
  if (resource && since("2023-08-15") &&
      ((is(rs, in, "resource_kind", "forest_land_public") &&
        at_least(fact(rs, in, "forest_land_mu"), 5)) ||
       (is(rs, in, "resource_kind", "forest_land_commercial") &&
        at_least(fact(rs, in, "forest_land_mu"), 10)))) {
    return "forest land (法释〔2023〕8号)";
  }
  return "";
}

// The facts the law says make a case never minor, each as a change to an exempt case: the
// result must not be exempt any more. A grade said to be 不详 is among them too: it must leave
// 较大 possible, never count as "no incident".
std::vector<std::pair<std::string, Inputs>> never_minor_variants(const Ruleset& rs,
                                                                 const Inputs& in,
                                                                 const std::string& region) {
  std::vector<std::pair<std::string, Inputs>> out;
  auto with = [&](const std::string& what,
                  std::initializer_list<std::pair<const char*, Value>> set) {
    Inputs x = in;
    for (const auto& [key, v] : set) {
      const int f = field(rs, key);
      if (f < 0) return;
      x[f] = v;
    }
    out.push_back({what, x});
  };
  auto enum_value = [&](const char* key, const char* value) {
    const int f = field(rs, key);
    return f < 0 ? Value::unknown() : enum_of(rs, f, value);
  };
  if (conduct_since(rs, in, kRepeatFrom)) {
    with("a repeat stated", {{"repeat_offence", Value::boolean(true)}});
  }
  with("a 较大 incident", {{"incident_grade", enum_value("incident_grade", "larger")}});
  // (Unless "no incident" is stated: that statement answers the grade.)
  const Value occurred = fact(rs, in, "incident_occurred");
  if (!(occurred.kind == Value::kBool && !occurred.b && !(occurred.flags & Value::kDefaulted))) {
    with("an incident grade said to be 不详", {{"incident_grade", stated_unknown()}});
  }
  Value assumed_no_incident = Value::boolean(false);  // as a blank cell leaves it: the default
  assumed_no_incident.flags |= Value::kDefaulted;
  with("an incident grade said to be 不详, occurrence and figures not given",
       {{"incident_grade", stated_unknown()},
        {"incident_occurred", assumed_no_incident},
        {"deaths", Value::unknown()},
        {"injured", Value::unknown()},
        {"evacuated", Value::unknown()},
        {"direct_loss", Value::unknown()}});
  if (conduct_since(rs, in, kIncidentFiguresFrom)) {
    with("grade 一般 typed, 5 deaths", {{"incident_grade", enum_value("incident_grade", "general")},
                                        {"deaths", Value::number(5)}});
  }
  with("a red line", {{"protected_area", enum_value("protected_area", "ecological_red_line")}});
  with("a heavy metal", {{"special_pollutant", enum_value("special_pollutant", "heavy_metal")}});
  if (conduct_since(rs, in, kCriminalLinesFrom) && is(rs, in, "damage_type", "solid_waste")) {
    with("5 t of hazardous waste", {{"waste_kind", enum_value("waste_kind", "hazardous")},
                                    {"waste_tonnes", Value::number(5)}});
  }
  if (shaanxi_discharge(rs, in, region)) {
    with("陕西: no permit", {{"has_permit", Value::boolean(false)}});
  }
  return out;
}

// Every `since` of the chain of `t` for `rs`: the days on which the thresholds change.
std::vector<Date> sinces_of(const Ruleset& rs, const epil::Config& config, const Target& t) {
  std::set<Date> out;
  for (const epil::Region* r : config.chain(*t.region, t.overlay)) {
    epil::testing::for_each_dated_value(*r, rs.id,
                                        [&](const epil::DatedValue& v) { out.insert(v.since); });
  }
  return {out.begin(), out.end()};
}

// A debtor who has done what repair asks (performed in full, a credit commitment) under the
// rules in force from 2026-04-01, listed some months before the review date on a ground with a
// period, so that whether the minimum period has ended is the question: often around a year's
// end, where the next calendar is not shipped.
void repair_candidate(const Ruleset& rs, CaseGenerator& gen, Case& c) {
  auto set = [&](const char* key, Value v) {
    if (const int f = field(rs, key); f >= 0) c.in[f] = v;
  };
  auto set_enum = [&](const char* key, const char* value) {
    if (const int f = field(rs, key); f >= 0) c.in[f] = enum_of(rs, f, value);
  };
  c.as_of = epil::add_days(day("2026-04-01"), static_cast<int32_t>(gen.pick(700)));
  set("as_of_date", Value::unknown());
  set_enum("debtor_type", "organisation");
  set_enum("listing_ground", gen.chance(0.5) ? "property_report" : "consumption");
  set_enum("bankruptcy", "none");
  set_enum("deletion_event", "none");
  set("debt_amount", Value::number(50000));
  set("performed_amount", Value::number(50000));
  set("credit_commitment", Value::boolean(true));
  set("fraud_revoked", Value::boolean(false));
  set("credit_points", Value::unknown());
  set_enum("grade_given", gen.chance(0.5) ? "general" : "serious");
  set("decision_date",
      Value::of_date(epil::add_days(c.as_of, -static_cast<int32_t>(60 + gen.pick(700)))));
}

// What the law's checks of one case need: the ruleset and the target it is evaluated on, the
// target's screener, and the test's failures and coverage.
struct LawCheck {
  const Ruleset& rs;
  const Target& target;
  Screener& screen;
  Failures& failures;
  Coverage& seen;

  // A failure `what`: the case `in` as of `as_of`, which gives `d`.
  void fail(const std::string& what, Date as_of, const Inputs& in, const Decision& d) const {
    failures.add(what, [&] { return case_text(rs, target, as_of, in, d); });
  }
};

// c. An undetermined outcome always says why.
void check_says_why(const LawCheck& law, const Case& c, const Decision& d) {
  if (!decided(d) && !says_why(d)) law.fail("undetermined without saying why", c.as_of, c.in, d);
}

// a. Case `c` (giving `d`) is not exempt where the law says it is never minor, and no exempt
// case stays exempt when a fact that makes it never minor is added. `region`: the province
// whose own lines apply ("" for none).
void check_never_minor(const LawCheck& law, int exempt, const std::string& region, const Case& c,
                       const Decision& d) {
  const std::string why = never_minor(law.rs, c.in, region);
  if (!why.empty()) {
    law.seen.add("cases the law says are never minor");
    if ((d.candidates >> exempt) & 1ULL) law.fail("never minor: " + why, c.as_of, c.in, d);
  }
  if (!decided(d) || d.outcome != exempt) return;
  for (const auto& [what, x] : never_minor_variants(law.rs, c.in, region)) {
    law.seen.add("exempt cases made never minor");
    const Decision e = law.screen(x, c.as_of);
    // 不详 leaves exempt possible, but may not decide it; the others rule it out.
    const bool open_question = what.find("不详") != std::string::npos;
    if (open_question ? decided(e) && e.outcome == exempt : (e.candidates >> exempt) & 1ULL) {
      law.fail("still exempt with " + what, c.as_of, x, e);
    }
  }
}

// b. Case `c` without its conduct date (input `conduct`), against the same case on every date
// it could have (a day before and on each of `sinces` up to `review`, the case's review date):
// when all of those within this configuration's data decide it alike, so is it decided.
void check_undated(const LawCheck& law, int conduct, const std::vector<Date>& sinces, Date review,
                   const Case& c) {
  if (!c.in[conduct].known()) return;
  Inputs without = c.in;
  without[conduct] = stated_unknown();
  const Decision u = law.screen(without, c.as_of);
  std::set<int> outcomes;
  bool all_decided = true, any = false;
  for (Date s : sinces) {
    if (s > review) break;
    for (Date when : {epil::add_days(s, -1), s}) {
      Inputs on = c.in;
      on[conduct] = Value::of_date(when);
      const Decision x = law.screen(on, c.as_of);
      if (x.decision_before_values) continue;  // outside this configuration's data
      any = true;
      all_decided &= decided(x);
      outcomes.insert(x.outcome);
    }
  }
  if (!any || !all_decided || outcomes.size() != 1) return;
  law.seen.add("undated cases every date decides alike");
  if (decided(u) && u.outcome == *outcomes.begin()) return;
  law.failures.add("undated case not decided as every date decides it", [&] {
    return case_text(law.rs, law.target, c.as_of, without, u) +
           "\n  every conduct date gives: " + law.rs.outcomes[*outcomes.begin()].key;
  });
}

// The outcomes, decisions, output and derived fields of the credit ruleset that its law test
// looks at, each required to exist.
struct CreditIds {
  int listed = -1, to_delete = -1;               // outcomes
  int deletion = -1, event_before_listing = -1;  // decisions
  int repair = -1;                               // an output
  int min_end = -1, repair_from = -1;            // publicity_min_end, repair_from
};

CreditIds credit_ids(const Ruleset& rs) {
  CreditIds ids;
  ids.listed = rs.find_outcome("listed");
  ids.to_delete = rs.find_outcome("to_delete");
  for (size_t x = 0; x < rs.decisions.size(); ++x) {
    const std::string& id = rs.decisions[x].id;
    if (id == "deletion") ids.deletion = static_cast<int>(x);
    if (id == "event_before_listing") ids.event_before_listing = static_cast<int>(x);
  }
  for (size_t o = 0; o < rs.outputs.size(); ++o) {
    if (rs.outputs[o].key == "repair") ids.repair = static_cast<int>(o);
  }
  ids.min_end = field(rs, "publicity_min_end");
  ids.repair_from = field(rs, "repair_from");
  REQUIRE(ids.listed >= 0);
  REQUIRE(ids.to_delete >= 0);
  REQUIRE(ids.deletion >= 0);
  REQUIRE(ids.event_before_listing >= 0);
  REQUIRE(ids.repair >= 0);
  REQUIRE(ids.min_end >= 0);
  REQUIRE(ids.repair_from >= 0);
  return ids;
}

// Period ends and deadlines the rules compute (not dates someone typed). repair_from, the day
// after the minimum period's end, is certain when that end is (a period ending on 2026-12-31
// allows repair from 2027-01-01 whatever 2027's calendar): it is checked against that end
// instead.
constexpr const char* kComputedDates[] = {"publicity_min_end", "publicity_max_end",
                                          "deletion_deadline", "period_deletion_deadline",
                                          "observation_end",   "fraud_lock_until"};

// d. Dates past the calendars (after `last_year`) are open. Reads the derived fields of case
// `c` (giving `d`), the one the screener evaluated last; `min_end`: its publicity_min_end.
void check_open_ends(const LawCheck& law, const CreditIds& ids, int last_year, const Case& c,
                     const Decision& d, const Value& min_end) {
  for (const char* key : kComputedDates) {
    const int f = field(law.rs, key);
    if (f < 0) continue;
    const Value v = law.screen.derived(f);
    if (v.kind != Value::kDate || v.as_date().year() <= last_year) continue;
    law.seen.add("period ends past the calendars");
    if (!v.open_date()) {
      law.fail(fmt::format("{} past the calendars shown as certain", key), c.as_of, c.in, d);
    }
  }
  const Value from = law.screen.derived(ids.repair_from);
  if (min_end.open_date() && from.known() && !fact(law.rs, c.in, "credit_points").known() &&
      !from.open_date()) {
    law.fail("repair_from certain while the minimum period's end is not", c.as_of, c.in, d);
  }
}

// d. An open minimum period is never passed: repair is open now only once the minimum period
// (`min_end`) is known to have ended before the review date.
void check_repair(const LawCheck& law, const CreditIds& ids, const Case& c, const Decision& d,
                  const Value& min_end, Date review) {
  const auto& repair = d.outputs[ids.repair];
  if (!repair.applies || repair.value < 0 ||
      law.rs.outputs[ids.repair].values[repair.value].key != "eligible_now" ||
      fact(law.rs, c.in, "credit_points").known()) {
    return;
  }
  law.seen.add("eligible now");
  if (!min_end.known() || min_end.open_date() || min_end.date >= review.days()) {
    law.fail("eligible now before the minimum period is known to have ended", c.as_of, c.in, d);
  }
}

// e. 第十条, for a debtor who could be listed at all (an adult or an organisation, no
// bankruptcy) on a ground, as of `review`: a listing with a period is not deleted before the
// period ends; a ground (一) listing performed in full is not kept.
void check_article_10(const LawCheck& law, const CreditIds& ids, const Case& c, const Decision& d,
                      Date review) {
  const Ruleset& rs = law.rs;
  const bool adult =
      is(rs, c.in, "debtor_type", "organisation") || at_least(fact(rs, c.in, "age"), 18);
  const Value decided_on = fact(rs, c.in, "decision_date");
  if (!adult || !is(rs, c.in, "bankruptcy", "none") || !decided_on.known()) return;
  if (fact(rs, c.in, "listing_ground").kind != Value::kEnum) return;
  const bool first = is(rs, c.in, "listing_ground", "refuse_able");
  if (!first && review < epil::add_months(decided_on.as_date(), 24)) {
    law.seen.add("listings with a period, within it");
    if (d.outcome == ids.to_delete || d.decided_by == ids.deletion ||
        d.decided_by == ids.event_before_listing) {
      law.fail("a listing with a period deleted before the period ends (第十条第二款)", c.as_of,
               c.in, d);
    }
  }
  const Value debt = fact(rs, c.in, "debt_amount"), paid = fact(rs, c.in, "performed_amount");
  if (first && debt.known() && paid.known() && paid.num >= debt.num) {
    law.seen.add("ground (一) listings performed in full");
    if (d.outcome == ids.listed) {
      law.fail("a ground (一) listing performed in full kept (第十条第一款)", c.as_of, c.in, d);
    }
  }
}

}  // namespace

TEST_CASE("property: the law's never-minor lines are never exempt, and undetermined says why") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  const Ruleset* rs = config.ruleset("epil");
  REQUIRE(rs != nullptr);
  const int exempt = rs->find_outcome("exempt");
  const int conduct = field(*rs, "conduct_date");
  REQUIRE(exempt >= 0);
  REQUIRE(conduct >= 0);
  CaseGenerator gen(*rs, config, /*seed=*/20261206);
  Failures failures;
  Coverage seen;
  for_each_target(config, *rs, 8000, [&](const Target& t, Screener& screen, int cases) {
    const LawCheck law{*rs, t, screen, failures, seen};
    const std::vector<Date> sinces = sinces_of(*rs, config, t);
    const std::string region = t.overlay ? "" : t.region->id;
    for (int i = 0; i < cases; ++i) {
      const Case c = gen.make();
      const Decision d = screen(c.in, c.as_of);
      check_never_minor(law, exempt, region, c, d);
      if (!decided(d)) seen.add("undetermined cases");
      check_says_why(law, c, d);
      if (i % 4 == 0) check_undated(law, conduct, sinces, gen.review(c), c);
    }
  });
  seen.require("cases the law says are never minor", 2000);
  seen.require("undetermined cases", 1000);
  seen.require("exempt cases made never minor", 1000);
  seen.require("undated cases every date decides alike", 100);
  failures.require_none();
  MESSAGE(fmt::format("law (epil): {}; {:.2f} s", seen.summary(), seconds_since(started)));
}

TEST_CASE(
    "property: 第十条 and the calendars - deletion by ground, open period ends never passed") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config& config = shipped_config();
  const Ruleset* rs = config.ruleset("credit");
  REQUIRE(rs != nullptr);
  const int last_year = config.calendar().last_year();
  REQUIRE(last_year > 0);
  const CreditIds ids = credit_ids(*rs);
  CaseGenerator gen(*rs, config, /*seed=*/20261207);
  Failures failures;
  Coverage seen;
  for_each_target(config, *rs, 12000, [&](const Target& t, Screener& screen, int cases) {
    const LawCheck law{*rs, t, screen, failures, seen};
    for (int i = 0; i < cases; ++i) {
      Case c = gen.make();
      if (i % 3 == 0) repair_candidate(*rs, gen, c);
      const Decision d = screen(c.in, c.as_of);
      // (The checks read this evaluation's derived fields: none of them evaluates another case.)
      const Value min_end = screen.derived(ids.min_end);
      const Date review = gen.review(c);
      check_says_why(law, c, d);
      check_open_ends(law, ids, last_year, c, d, min_end);
      check_repair(law, ids, c, d, min_end, review);
      check_article_10(law, ids, c, d, review);
    }
  });
  seen.require("period ends past the calendars", 500);
  seen.require("eligible now", 100);
  seen.require("listings with a period, within it", 300);
  seen.require("ground (一) listings performed in full", 100);
  failures.require_none();
  MESSAGE(fmt::format("law (credit): {}; {:.2f} s", seen.summary(), seconds_since(started)));
}
