// Differential test: the compiled evaluator (CompiledRuleset::evaluate) against the reference
// evaluator of tests/reference_evaluator.h, over the shipped environmental ruleset, every
// shipped region and thousands of generated cases. Inputs are drawn to sit on the edges
// where implementations differ: unknown, exactly on a threshold or a hair either side of it,
// and dates before, on and after each `since`.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "case_draw.h"
#include "core/config.h"
#include "core/date.h"
#include "core/explain.h"
#include "core/program.h"
#include "core/shape_index.h"
#include "io/config_tree.h"
#include "reference_evaluator.h"

namespace {

using epil::Date;
using epil::Value;
namespace ref = epil::reference;

Date day(const char* iso) {
  auto d = Date::parse_iso(iso);
  REQUIRE_MESSAGE(d.has_value(), iso);
  return *d;
}

std::string show(const Value& v) {
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
      return fmt::format("#{}", v.enum_index);
    case Value::kString:
      return std::string(v.as_string());
  }
  return "";
}

// Equal for the purpose of the comparison: both unknown (whatever the reason), or the same
// known value.
bool agree(const Value& a, const Value& b) {
  if (!a.known() && !b.known()) return true;
  return ref::same_value(a, b);
}

// Draws case inputs for one ruleset and configuration tree.
class CaseGenerator {
 public:
  // Drawn around every threshold value and every date a value takes effect, across all regions.
  CaseGenerator(const epil::Ruleset& rs, const epil::Config& config, uint32_t seed)
      : rs_(rs), rng_(seed), points_(epil::testing::draw_points(config, rs.id)) {}

  const std::vector<int32_t>& sinces() const { return points_.sinces; }

  // A date on, or a day either side of, some `since`; or any day from 2008 to 2027.
  Date any_date() { return epil::testing::draw_date(rng_, points_.sinces, first_, last_); }

  ref::Inputs make() {
    ref::Inputs in;
    std::optional<Date> conduct;
    // Four cases in ten are ordinary minor-damage candidates: none of the overrides hold and
    // the facts are recent, so that the amount dimensions and the thresholds decide, and the
    // exempt outcome is reached often. The rest draw every input at random.
    const bool plain = chance(0.4);
    for (const auto& f : rs_.fields) {
      if (f.kind != epil::FieldKind::kInput) continue;
      if (plain) {
        if (auto it = kPlain.find(f.key); it != kPlain.end()) {
          in[f.key] = plain_value(f, it->second);
          continue;
        }
        if (f.key == rs_.temporal.conduct_field && chance(0.7)) {
          conduct = Date::from_days(uniform(recent_.days(), last_.days()));
          in[f.key] = Value::of_date(*conduct);
          continue;
        }
      }
      Value v;
      switch (f.type.base) {
        case epil::BaseType::kBool:
          v = chance(0.2) ? Value::unknown() : Value::boolean(chance(0.5));
          break;
        case epil::BaseType::kEnum: {
          const epil::EnumDef& e = rs_.enums[f.type.enum_id];
          int none = e.find("none");
          // Cases mostly outside protected areas and without special pollutants, so that
          // the later decisions are reached as often as the first ones.
          if (chance(0.15)) {
            v = Value::unknown();
          } else if (none >= 0 && chance(0.6)) {
            v = Value::enumeration(none);
          } else {
            v = Value::enumeration(static_cast<int32_t>(pick(e.values.size())));
          }
          break;
        }
        case epil::BaseType::kNumber:
          v = chance(0.2) ? Value::unknown() : Value::number(number());
          break;
        case epil::BaseType::kDate:
          v = date(f.key, conduct);
          if (f.key == rs_.temporal.conduct_field && v.known()) conduct = v.as_date();
          break;
        default:
          v = Value::unknown();
      }
      in[f.key] = as_given(f, v);
    }
    return in;
  }

  // How the value reached the case: an unknown one said ("不详", which no default replaces) or
  // left blank; a field with a default sometimes not given, so that the default applies.
  Value as_given(const epil::FieldDef& f, Value v) {
    if (!v.known() && chance(0.5)) v.flags |= Value::kStated;
    if (f.default_text && !(v.flags & Value::kStated) && chance(0.3)) {
      Value d = default_value(f);
      if (d.known()) {
        d.flags |= Value::kDefaulted;
        return d;
      }
    }
    return v;
  }

  Value default_value(const epil::FieldDef& f) {
    const std::string& t = *f.default_text;
    if (f.type.base == epil::BaseType::kBool) {
      if (t == "true" || t == "是") return Value::boolean(true);
      if (t == "false" || t == "否") return Value::boolean(false);
    }
    if (f.type.base == epil::BaseType::kEnum) {
      int v = rs_.enums[f.type.enum_id].find(t);
      if (v >= 0) return Value::enumeration(v);
    }
    if (f.type.base == epil::BaseType::kNumber) return Value::number(std::atof(t.c_str()));
    return Value::unknown();
  }

 private:
  bool chance(double p) { return epil::testing::draw_chance(rng_, p); }
  size_t pick(size_t n) { return epil::testing::draw_index(rng_, n); }
  int32_t uniform(int32_t lo, int32_t hi) { return epil::testing::draw_between(rng_, lo, hi); }

  double number() { return epil::testing::draw_number(rng_, points_.thresholds); }

  Value date(const std::string& key, std::optional<Date> conduct) {
    const auto& t = rs_.temporal;
    if (key == t.conduct_field) {
      return chance(0.1) ? Value::unknown() : Value::of_date(any_date());
    }
    if (key == t.review_field) {
      if (chance(0.3)) return Value::unknown();  // the as-of date stands in
      if (conduct && chance(0.6)) return Value::of_date(epil::add_days(*conduct, uniform(0, 900)));
      return Value::of_date(any_date());
    }
    // Other dates (the previous penalty): near the two-year window before the conduct.
    if (chance(0.5)) return Value::unknown();
    if (conduct && chance(0.7)) {
      return Value::of_date(epil::add_days(epil::add_months(*conduct, -24), uniform(-3, 3)));
    }
    return Value::of_date(any_date());
  }

  // The facts of a plain case, by field: an enum value key, "true" or "false", or "" for
  // unknown. Fields the ruleset does not have are ignored.
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
  };

  Value plain_value(const epil::FieldDef& f, const std::string& key) {
    if (key.empty()) return Value::unknown();
    if (f.type.base == epil::BaseType::kBool) return Value::boolean(key == "true");
    if (f.type.base == epil::BaseType::kEnum) {
      int v = rs_.enums[f.type.enum_id].find(key);
      return v < 0 ? Value::unknown() : Value::enumeration(v);
    }
    return Value::unknown();
  }

  const epil::Ruleset& rs_;
  std::mt19937 rng_;
  const epil::testing::DrawPoints points_;
  const Date first_ = day("2008-01-01"), recent_ = day("2024-01-01"), last_ = day("2027-12-31");
};

// Compares the compiled decision with the reference result; returns what differs.
std::string differences(const epil::Ruleset& rs, const epil::CompiledRuleset& program,
                        const epil::Workspace& ws, const epil::Decision& d, const ref::Result& r) {
  std::string out;
  if (d.outcome != r.outcome) {
    out += fmt::format("  outcome: compiled {}, reference {}\n", rs.outcomes[d.outcome].key,
                       rs.outcomes[r.outcome].key);
  }
  uint64_t want = 0;
  for (int o : r.candidates) want |= 1ULL << o;
  if (d.candidates != want) {
    out += fmt::format("  candidates: compiled {:#x}, reference {:#x}\n", d.candidates, want);
  }
  if (d.decided_by != r.decided_by) {
    out += fmt::format("  decided_by: compiled {}, reference {}\n", d.decided_by, r.decided_by);
  }
  if (d.before_values != (r.before_values || r.review_before_values)) {
    out += fmt::format("  before_values: compiled {}, reference {}\n", d.before_values,
                       r.before_values || r.review_before_values);
  }
  if (d.thresholds_date != r.thresholds_date.days()) {
    out += fmt::format("  thresholds date: compiled {}, reference {}\n",
                       Date::from_days(d.thresholds_date).iso(), r.thresholds_date.iso());
  }
  for (size_t t = 0; t < rs.tests.size(); ++t) {
    const Value& c = program.value(ws, program.test_slot(static_cast<int>(t)));
    const Value& x = r.tests.at(rs.tests[t].key);
    if (!agree(c, x)) {
      out +=
          fmt::format("  test {}: compiled {}, reference {}\n", rs.tests[t].key, show(c), show(x));
    }
  }
  for (size_t f = 0; f < rs.fields.size(); ++f) {
    if (rs.fields[f].kind != epil::FieldKind::kDerived) continue;
    const Value& c = program.value(ws, program.field_slot(static_cast<int>(f)));
    const Value& x = r.derived.at(rs.fields[f].key);
    if (!agree(c, x)) {
      out += fmt::format("  derived {}: compiled {}, reference {}\n", rs.fields[f].key, show(c),
                         show(x));
    }
  }
  for (size_t o = 0; o < rs.outputs.size(); ++o) {
    if (d.outputs[o].applies != r.output_applies[o] || d.outputs[o].value != r.output_value[o]) {
      out += fmt::format(
          "  output {}: compiled applies={} value={}, reference applies={} "
          "value={}\n",
          rs.outputs[o].key, d.outputs[o].applies, d.outputs[o].value, r.output_applies[o],
          r.output_value[o]);
    }
  }
  for (size_t a = 0; a < rs.advisories.size(); ++a) {
    bool c = (d.advisories >> a) & 1;
    bool x = r.advisories.count(rs.advisories[a].id) == 1;
    if (c != x) {
      out += fmt::format("  advisory {}: compiled {}, reference {}\n", rs.advisories[a].id, c, x);
    }
  }
  return out;
}

// The case as a reader can replay it: region, as-of date and the known inputs, enums by key.
std::string describe(const epil::Ruleset& rs, const std::string& region, Date as_of,
                     const ref::Inputs& in) {
  std::string s = fmt::format("region {} as_of {}:", region, as_of.iso());
  for (const auto& [k, v] : in) {
    if (!v.known()) continue;
    int e = rs.field_enum[rs.find_field(k)];
    s += fmt::format(" {}={}", k, e >= 0 ? rs.enums[e].values[v.enum_index].key : show(v));
  }
  return s;
}

std::vector<Value> to_slots(const epil::Ruleset& rs, const ref::Inputs& in) {
  std::vector<Value> v(rs.input_count());
  for (const auto& [key, value] : in) v[rs.find_field(key)] = value;
  return v;
}

}  // namespace

TEST_CASE("reference evaluator: hand-checked cases of the shipped ruleset") {
  epil::Config config = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  const epil::Ruleset* rs = config.ruleset("epil");
  REQUIRE(rs != nullptr);
  auto enum_of = [&](const char* field, const char* key) {
    int id = rs->field_enum[rs->find_field(field)];
    int v = rs->enums[id].find(key);
    REQUIRE_MESSAGE(v >= 0, key);
    return Value::enumeration(v);
  };
  struct Case {
    const char* region;
    ref::Inputs inputs;
    const char* outcome;
  };
  const Value no = Value::boolean(false), yes = Value::boolean(true);
  const Case cases[] = {
      // 桂环规范〔2024〕1号: within 3,000 元 is minor.
      {"广西",
       {{"damage_type", enum_of("damage_type", "water_pollution")},
        {"damage_amount", Value::number(2800)},
        {"regional_impact", no},
        {"persistent_risk", no},
        {"conduct_date", Value::of_date(day("2025-06-01"))},
        {"protected_area", enum_of("protected_area", "none")},
        {"special_pollutant", enum_of("special_pollutant", "none")},
        {"repeat_offence", no},
        {"fishing_special", no},
        {"incident_occurred", no}},
       "exempt"},
      {"广西",
       {{"damage_type", enum_of("damage_type", "water_pollution")},
        {"damage_amount", Value::number(3000.01)},
        {"regional_impact", no},
        {"persistent_risk", no},
        {"conduct_date", Value::of_date(day("2025-06-01"))},
        {"protected_area", enum_of("protected_area", "none")},
        {"special_pollutant", enum_of("special_pollutant", "none")},
        {"repeat_offence", no},
        {"fishing_special", no},
        {"incident_occurred", no}},
       "suit"},
      // Before 桂环规范〔2024〕1号 took effect there was no threshold: review, never exempt.
      {"广西",
       {{"damage_type", enum_of("damage_type", "water_pollution")},
        {"damage_amount", Value::number(2800)},
        {"regional_impact", no},
        {"persistent_risk", no},
        {"conduct_date", Value::of_date(day("2024-01-09"))},
        {"review_date", Value::of_date(day("2024-01-09"))},
        {"protected_area", enum_of("protected_area", "none")},
        {"special_pollutant", enum_of("special_pollutant", "none")},
        {"repeat_offence", no},
        {"fishing_special", no},
        {"incident_occurred", no}},
       "review"},
      // A nature reserve is never minor, whatever else is unknown.
      {"全国", {{"protected_area", enum_of("protected_area", "nature_reserve")}}, "suit"},
      // 陕西: a permitted discharge 0.1 times over the limit and 500 t/year is minor.
      {"陕西",
       {{"damage_type", enum_of("damage_type", "water_pollution")},
        {"exceedance_multiple", Value::number(0.1)},
        {"wastewater_tonnes_per_year", Value::number(500)},
        {"has_permit", yes},
        {"regional_impact", no},
        {"persistent_risk", no},
        {"conduct_date", Value::of_date(day("2025-06-01"))},
        {"protected_area", enum_of("protected_area", "none")},
        {"special_pollutant", enum_of("special_pollutant", "none")},
        {"repeat_offence", no},
        {"fishing_special", no},
        {"incident_occurred", no}},
       "exempt"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.region);
    const epil::Region* region = config.find_region(c.region);
    REQUIRE(region != nullptr);
    ref::Evaluator reference(*rs, config.chain(*region));
    REQUIRE_MESSAGE(reference.ok(), reference.findings().items()[0].format());
    ref::Result r = reference.evaluate(c.inputs, day("2025-06-01"));
    CHECK(rs->outcomes[r.outcome].key == c.outcome);

    const epil::CompiledRuleset* program = config.compiled(*rs, *region);
    REQUIRE(program != nullptr);
    std::vector<Value> slots = to_slots(*rs, c.inputs);
    epil::Workspace ws;
    epil::Decision d;
    program->evaluate(slots.data(), day("2025-06-01"), false, ws, d);
    CHECK(rs->outcomes[d.outcome].key == c.outcome);
    CHECK(differences(*rs, *program, ws, d, r) == "");
  }
}

TEST_CASE("differential: compiled and reference evaluators agree on generated cases") {
  const auto started = std::chrono::steady_clock::now();
  epil::Config config = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  REQUIRE(config.findings().ok());
  const epil::Ruleset* rs = config.ruleset("epil");
  REQUIRE(rs != nullptr);
  int track = -1;
  for (size_t o = 0; o < rs->outputs.size(); ++o) {
    if (rs->outputs[o].key == "track") track = static_cast<int>(o);
  }
  REQUIRE(track >= 0);

  constexpr int kCasesPerRegion = 1000;
  CaseGenerator gen(*rs, config, /*seed=*/20261128);
  std::map<std::string, int> outcomes, tracks;
  int cases = 0, failures = 0, before_2024 = 0, on_since = 0, lenient = 0;
  const int32_t y2024 = day("2024-01-01").days();
  std::set<int32_t> sinces(gen.sinces().begin(), gen.sinces().end());
  epil::Workspace ws;
  epil::Decision d;
  for (const epil::Region& region : config.regions()) {
    CAPTURE(region.id);
    const epil::CompiledRuleset* program = config.compiled(*rs, region);
    REQUIRE(program != nullptr);
    ref::Evaluator reference(*rs, config.chain(region));
    REQUIRE(reference.ok());
    for (int i = 0; i < kCasesPerRegion; ++i) {
      ref::Inputs in = gen.make();
      Date as_of = gen.any_date();
      std::vector<Value> slots = to_slots(*rs, in);
      program->evaluate(slots.data(), as_of, false, ws, d);
      ref::Result r = reference.evaluate(in, as_of);
      std::string diff = differences(*rs, *program, ws, d, r);
      // What the compiled walk says is missing is an input the case left unknown (or whose
      // default another fact withheld), and nothing is missing once the outcome is decided.
      for (int f : d.missing) {
        if (f >= rs->input_count() || program->value(ws, program->field_slot(f)).known()) {
          diff += fmt::format("  missing names field {}, which is known or not an input\n", f);
        }
      }
      if (std::popcount(d.candidates) == 1 && !d.missing.empty()) {
        diff += "  missing facts listed for a decided outcome\n";
      }
      ++cases;
      if (!diff.empty() && ++failures <= 10) {
        FAIL_CHECK((describe(*rs, region.id, as_of, in) + "\n" + diff));
      }
      ++outcomes[rs->outcomes[d.outcome].key];
      if (d.outputs[track].applies) {
        int v = d.outputs[track].value;
        ++tracks[v < 0 ? "undetermined" : rs->outputs[track].values[v].key];
      }
      before_2024 += d.thresholds_date < y2024;
      on_since += sinces.count(d.thresholds_date);
      lenient += d.temporal == epil::TemporalChoice::kReviewMoreLenient;
    }
  }
  CHECK(failures == 0);
  CHECK(cases == kCasesPerRegion * static_cast<int>(config.regions().size()));
  MESSAGE(
      fmt::format("{} cases: exempt {}, suit {}, review {}; track major {}, simplified {}, "
                  "ordinary {}, undetermined {}; before 2024 {}, on a since {}, review date "
                  "more lenient {}",
                  cases, outcomes["exempt"], outcomes["suit"], outcomes["review"], tracks["major"],
                  tracks["simplified"], tracks["ordinary"], tracks["undetermined"], before_2024,
                  on_since, lenient));

  // The generator must reach every outcome and every track, and the date edges; otherwise
  // agreement would prove little.
  CHECK(outcomes["exempt"] >= 50);
  CHECK(outcomes["suit"] >= 50);
  CHECK(outcomes["review"] >= 50);
  CHECK(tracks["major"] >= 10);
  CHECK(tracks["simplified"] >= 10);
  CHECK(tracks["ordinary"] >= 10);
  CHECK(tracks["undetermined"] >= 10);
  CHECK(before_2024 >= 100);
  CHECK(on_since >= 50);
  CHECK(lenient >= 10);

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE(fmt::format("differential test took {:.2f} s", seconds));
  // A budget, not a benchmark: reported rather than failed, since sanitizer and debug builds
  // and loaded machines are slower.
  WARN(seconds < 2.0);
}

namespace {

// What differs between two decisions, but for their dates (a decision taken from a case of
// the same shape keeps the evaluated case's review and thresholds dates).
std::string decision_differences(const epil::Decision& a, const epil::Decision& b) {
  std::string out;
  auto diff = [&](const char* what, auto x, auto y) {
    if (x != y) out += fmt::format("  {}: remembered {}, evaluated {}\n", what, x, y);
  };
  diff("outcome", a.outcome, b.outcome);
  diff("candidates", a.candidates, b.candidates);
  diff("decided_by", a.decided_by, b.decided_by);
  diff("advisories", a.advisories, b.advisories);
  diff("epoch", a.epoch, b.epoch);
  diff("temporal", static_cast<int>(a.temporal), static_cast<int>(b.temporal));
  diff("before_values", a.before_values, b.before_values);
  diff("strict_error", a.strict_error, b.strict_error);
  diff("conduct_after_review", a.conduct_after_review, b.conduct_after_review);
  diff("missing", fmt::format("{}", fmt::join(a.missing, ",")),
       fmt::format("{}", fmt::join(b.missing, ",")));
  diff("pending cells", fmt::format("{}", fmt::join(a.pending_cells, ",")),
       fmt::format("{}", fmt::join(b.pending_cells, ",")));
  diff("pending calendar", a.pending_calendar, b.pending_calendar);
  diff("pending arithmetic", a.pending_arithmetic, b.pending_arithmetic);
  diff("conduct assumed from", a.conduct_assumed_from, b.conduct_assumed_from);
  for (size_t o = 0; o < a.outputs.size(); ++o) {
    diff("output applies", a.outputs[o].applies, b.outputs[o].applies);
    diff("output value", a.outputs[o].value, b.outputs[o].value);
    diff("output decided_by", a.outputs[o].decided_by, b.outputs[o].decided_by);
    diff("output candidates", a.outputs[o].candidates, b.outputs[o].candidates);
    diff("output missing", fmt::format("{}", fmt::join(a.output_missing_of[o], ",")),
         fmt::format("{}", fmt::join(b.output_missing_of[o], ",")));
  }
  return out;
}

}  // namespace

// Batch screening takes a row's decision from an earlier row of the same shape
// (core/shape_index.h). Over the edge-case generator's cases (amounts on and either side of
// every threshold, dates around every `since`, unknowns), every case found by shape must get
// exactly the decision evaluating it gives, every test and derived value must read the same,
// and no evaluation may contradict the index (a different node read after the same shapes).
//
// Run twice: with every input free, and with every other input held at one value in all
// cases, as a batch holds the fields no column gives. Then the index leaves those inputs' steps
// out of its paths; it must find exactly the shapes an index that keeps them finds, with a
// smaller tree.
TEST_CASE("shapes: a case found by shape gets the decision evaluating it gives") {
  epil::Config config = epil::io::read_config_tree(EPIL_SOURCE_DIR);
  REQUIRE(config.findings().ok());
  for (const char* id : {"epil", "credit"}) {
    for (bool held : {false, true}) {
      CAPTURE(id);
      CAPTURE(held);
      const epil::Ruleset* rs = config.ruleset(id);
      REQUIRE(rs != nullptr);
      CaseGenerator gen(*rs, config, /*seed=*/20261128);
      epil::Workspace ws, full, ws_plain;
      epil::Decision d;
      std::vector<epil::Decision> kept;
      std::vector<epil::ShapeStep> steps;
      std::vector<epil::BriefComparison> brief;
      std::vector<bool> constant(static_cast<size_t>(rs->input_count()), false);
      const ref::Inputs fixed = gen.make();
      for (size_t f = 1; held && f < constant.size(); f += 2) constant[f] = true;
      // As batch holds them (io/batch.cpp constant_inputs): an input whose default is withheld
      // on facts that vary (able_to_perform's, on the listing) varies with them, so is not held.
      if (const epil::Region* root = config.root_region(); held && root) {
        const epil::CompiledRuleset* any = config.compiled(*rs, *root);
        for (bool changed = true; changed;) {
          changed = false;
          for (int f = 0; f < rs->input_count(); ++f) {
            for (int r : any->withheld_reads(f)) {
              if (constant[static_cast<size_t>(f)] && !constant[static_cast<size_t>(r)]) {
                constant[static_cast<size_t>(f)] = false;
                changed = true;
              }
            }
          }
        }
      }
      epil::ShapeIndex index(1 << 20, constant);
      epil::ShapeIndex plain(held ? 1 << 20 : 1);  // the same cases, no input constant
      int cases = 0, found = 0, added = 0, refused = 0, failures = 0, disagree = 0;
      for (const epil::Region& region : config.regions()) {
        if (region.overlay) continue;
        const epil::CompiledRuleset* program = config.compiled(*rs, region);
        REQUIRE(program != nullptr);
        // Cases that share their yes/no and enum facts with one of a few others and draw each of
        // their amounts and dates afresh a third of the time: many shapes repeat, as in a real
        // file.
        std::vector<ref::Inputs> pool;
        for (int i = 0; i < 20; ++i) pool.push_back(gen.make());
        std::mt19937 rng(7);
        for (int i = 0; i < 1500; ++i) {
          ref::Inputs in = pool[rng() % pool.size()];
          ref::Inputs other = gen.make();
          for (auto& [key, v] : in) {
            epil::BaseType t = rs->fields[rs->find_field(key)].type.base;
            if ((t == epil::BaseType::kNumber || t == epil::BaseType::kDate) && rng() % 3 == 0) {
              v = other[key];
            }
          }
          for (auto& [key, v] : in) {
            if (constant[static_cast<size_t>(rs->find_field(key))]) v = fixed.at(key);
          }
          const Date as_of = day(i % 3 == 0 ? "2025-06-01" : "2026-11-28");
          std::vector<Value> slots = to_slots(*rs, in);
          ++cases;
          uint64_t key = 0;
          if (!program->prepare_shape(slots.data(), as_of, false, ws, key)) continue;
          int k = index.find(*program, key, ws);
          if (held) {
            uint64_t plain_key = 0;
            REQUIRE(program->prepare_shape(slots.data(), as_of, false, ws_plain, plain_key));
            if (plain.find(*program, plain_key, ws_plain) != k) ++disagree;
          }
          if (k >= 0) {
            ++found;
            program->recall(kept[k].epoch, ws);
            program->evaluate(slots.data(), as_of, false, full, d);
            std::string diff = decision_differences(kept[k], d);
            for (int slot = rs->input_count();
                 slot < static_cast<int>(rs->fields.size() + rs->tests.size()); ++slot) {
              Value x = program->value(ws, slot), y = program->value(full, slot);
              if (!agree(x, y))
                diff += fmt::format("  slot {}: {} vs {}\n", slot, show(x), show(y));
            }
            if (!diff.empty() && ++failures <= 5) {
              FAIL_CHECK((describe(*rs, region.id, as_of, in) + "\n" + diff));
            }
            continue;
          }
          // As batch screening does: trace the evaluation and what the row's texts read.
          steps.clear();
          ws.trace_into(&steps);
          program->evaluate(slots.data(), as_of, false, ws, d);
          epil::brief_comparisons(*program, ws, d, brief);
          for (size_t r = 0; r < rs->results.size(); ++r) {
            if (program->result_reported(static_cast<int>(r), d, ws)) {
              program->value(ws, program->result_slot(static_cast<int>(r)));
            }
          }
          ws.trace_into(nullptr);
          if (index.add(*program, key, steps, static_cast<int>(kept.size()))) {
            if (held) CHECK(plain.add(*program, key, steps, static_cast<int>(kept.size())));
            kept.push_back(d);
            ++added;
          } else {
            ++refused;
          }
        }
      }
      MESSAGE(fmt::format("{}{}: {} cases, {} shapes, {} found by shape, {} refused, {} tree nodes",
                          id, held ? " (half the inputs held)" : "", cases, added, found, refused,
                          index.nodes()));
      CHECK(failures == 0);
      CHECK(refused == 0);
      // Enough cases found by shape for the agreement to mean something.
      CHECK(found >= cases / 10);
      if (held) {
        CHECK(disagree == 0);
        CHECK(index.nodes() < plain.nodes());
      }
    }
  }
}
