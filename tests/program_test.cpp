// Tests for core/program.h: the possible-outcome walk, outputs and advisories, parameter
// resolution over a region chain and over dates, strict mode, and the 从旧兼从轻 temporal
// rule. Each ruleset is a few lines of YAML put through load → compile → evaluate.
#include "core/program.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/value.h"

namespace {

using epil::Date;
using epil::Decision;
using epil::TemporalChoice;
using epil::Value;

Date day(const std::string& iso) {
  auto d = Date::parse_iso(iso);
  REQUIRE_MESSAGE(d.has_value(), iso);
  return *d;
}

std::string all_findings(const epil::Findings& f) {
  std::string s;
  for (const auto& x : f.items()) s += x.format() + "\n";
  return s;
}

using Inputs = std::map<std::string, Value>;

const Value T = Value::boolean(true);
const Value F = Value::boolean(false);
const Value U = Value::unknown();
Value num(double x) { return Value::number(x); }
Value date(const std::string& iso) { return Value::of_date(day(iso)); }

// A ruleset and a region chain compiled from YAML text. `regions` lists region files; the
// chain of `region_id` follows their `extends`.
class Harness {
 public:
  Harness(const std::string& ruleset, const std::vector<std::string>& regions,
          const std::string& region_id) {
    rs_ = epil::load_ruleset(ruleset, "thresholds/test.yaml", findings_);
    REQUIRE_MESSAGE(rs_.has_value(), all_findings(findings_));
    for (size_t i = 0; i < regions.size(); ++i) {
      auto r = epil::load_region(regions[i], "regions/" + std::to_string(i) + ".yaml", {*rs_},
                                 findings_);
      REQUIRE_MESSAGE(r.has_value(), all_findings(findings_));
      regions_.push_back(std::make_unique<epil::Region>(std::move(*r)));
    }
    std::vector<const epil::Region*> chain;
    for (std::string id = region_id; !id.empty();) {
      const epil::Region* found = nullptr;
      for (const auto& r : regions_) {
        if (r->id == id) found = r.get();
      }
      REQUIRE_MESSAGE(found != nullptr, id);
      chain.push_back(found);
      id = found->extends;
    }
    program_ = epil::compile(*rs_, chain, "test", findings_);
    REQUIRE_MESSAGE(program_ != nullptr, all_findings(findings_));
    REQUIRE_MESSAGE(findings_.ok(), all_findings(findings_));
  }

  const Decision& run(const Inputs& named, const std::string& as_of, bool strict = false) {
    std::vector<Value> inputs(program_->input_count());
    for (const auto& [key, value] : named) {
      int f = rs_->find_field(key);
      REQUIRE_MESSAGE((f >= 0 && f < program_->input_count()), key);
      inputs[f] = value;
    }
    program_->evaluate(inputs.data(), day(as_of), strict, ws_, d_);
    return d_;
  }

  const epil::Ruleset& rs() const { return *rs_; }
  const epil::CompiledRuleset& program() const { return *program_; }
  std::string outcome() const { return rs_->outcomes[d_.outcome].key; }
  const Decision& decision() const { return d_; }
  std::set<std::string> candidates() const {
    std::set<std::string> out;
    for (size_t o = 0; o < rs_->outcomes.size(); ++o) {
      if ((d_.candidates >> o) & 1) out.insert(rs_->outcomes[o].key);
    }
    return out;
  }
  std::set<std::string> missing() const { return names(d_.missing); }
  std::set<std::string> output_missing() const {
    std::vector<int> all;
    d_.output_missing(all);
    return names(all);
  }
  std::string output(size_t o) const {
    int v = d_.outputs[o].value;
    return v < 0 ? "" : rs_->outputs[o].values[v].key;
  }
  std::set<std::string> advisories() const {
    std::set<std::string> out;
    for (size_t a = 0; a < rs_->advisories.size(); ++a) {
      if ((d_.advisories >> a) & 1) out.insert(rs_->advisories[a].id);
    }
    return out;
  }
  Value field(const std::string& key) const {
    int f = rs_->find_field(key);
    REQUIRE_MESSAGE(f >= 0, key);
    return program_->value(ws_, program_->field_slot(f));
  }
  Value test(const std::string& key) const {
    int t = rs_->find_test(key);
    REQUIRE_MESSAGE(t >= 0, key);
    return program_->value(ws_, program_->test_slot(t));
  }
  // The provenance of parameter `key` (for enum value `index`) in the decision's epoch.
  const epil::Provenance* provenance(const std::string& key, int index = 0) const {
    int p = rs_->find_param(key);
    REQUIRE_MESSAGE(p >= 0, key);
    const epil::ParamCell& cell = program_->epoch(d_.epoch).cells[program_->param_base(p) + index];
    return cell.provenance < 0 ? nullptr : &program_->provenance(cell.provenance);
  }

 private:
  std::set<std::string> names(const std::vector<int>& fields) const {
    std::set<std::string> out;
    for (int f : fields) out.insert(rs_->fields[f].key);
    return out;
  }

  epil::Findings findings_;
  std::optional<epil::Ruleset> rs_;
  std::vector<std::unique_ptr<epil::Region>> regions_;
  std::unique_ptr<epil::CompiledRuleset> program_;
  epil::Workspace ws_;
  Decision d_;
};

// --- the decision walk ------------------------------------------------------------------

const char* kWalk = R"yaml(
ruleset: walk
outcomes:
  exempt: 显著轻微
  suit: 符合起诉条件
  review: 需人工审查
undecided: review
fields:
  a: {type: bool}
  b: {type: bool}
  c: {type: bool}
  x: {type: bool}
  y: {type: bool}
  n: {type: number}
derived:
  big: {type: bool, expr: n > 10}
tests:
  t_big: {expr: big}
decisions:
  - {id: first, outcome: suit, when: a}
  - {id: both, outcome: suit, when: b and c}
  - {id: either, outcome: review, when: x or y}
  - {id: large, outcome: suit, when: t_big}
  - {id: minor, outcome: exempt}
outputs:
  track:
    for: [suit]
    values: {fast: 快速, slow: 普通}
    rules:
      - {value: fast, when: n <= 5}
      - {value: slow}
advisories:
  - {id: hint, for: [exempt], when: "true", message: 快速审查}
  - {id: costly, when: n > 100, message: 数额较大}
  - {id: open, for: [suit, review], when: "true", message: 继续办理}
)yaml";

const char* kRoot = "region: root\n";

}  // namespace

TEST_CASE("walk: a true condition ends the walk, an unknown one adds its outcome") {
  struct Case {
    const char* name;
    Inputs inputs;
    const char* outcome;
    std::set<std::string> candidates;
    int decided_by;
    std::set<std::string> missing;
  };
  const Case cases[] = {
      {"first condition true: nothing else matters", {{"a", T}}, "suit", {"suit"}, 0, {}},
      {"second condition true",
       {{"a", F}, {"b", T}, {"c", T}, {"n", num(3)}},
       "suit",
       {"suit"},
       1,
       {}},
      {"unknown first, then default: two candidates → undecided",
       {{"a", U}, {"b", F}, {"x", F}, {"y", F}, {"n", num(0)}},
       "review",
       {"suit", "exempt"},
       -1,
       {"a"}},
      {"unknown first, then true with the same outcome: one candidate → that outcome",
       {{"a", U}, {"b", T}, {"c", T}},
       "suit",
       {"suit"},
       1,
       {}},
      {"Kleene: unknown and false is false, so b is not needed",
       {{"a", F}, {"b", U}, {"c", F}, {"x", F}, {"y", F}, {"n", num(0)}},
       "exempt",
       {"exempt"},
       4,
       {}},
      {"three candidates; only the unknown inputs of unknown conditions are missing",
       {{"a", F}, {"b", U}, {"c", T}, {"x", U}, {"y", F}, {"n", num(0)}},
       "review",
       {"suit", "review", "exempt"},
       -1,
       {"b", "x"}},
      {"an or whose known branch is true needs nothing",
       {{"a", U}, {"b", F}, {"x", U}, {"y", T}},
       "review",
       {"suit", "review"},
       -1,
       {"a"}},
      {"missing through a test and a derived field",
       {{"a", F}, {"b", F}, {"x", F}, {"y", F}},
       "review",
       {"suit", "exempt"},
       -1,
       {"n"}},
      {"a later condition decides",
       {{"a", F}, {"b", F}, {"x", F}, {"y", F}, {"n", num(50)}},
       "suit",
       {"suit"},
       3,
       {}},
      {"nothing given at all",
       {},
       "review",
       {"suit", "review", "exempt"},
       -1,
       {"a", "b", "c", "x", "y", "n"}},
  };
  Harness h(kWalk, {kRoot}, "root");
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Decision& d = h.run(c.inputs, "2025-06-01");
    CHECK(h.outcome() == c.outcome);
    CHECK(h.candidates() == c.candidates);
    CHECK(d.decided_by == c.decided_by);
    CHECK(h.missing() == c.missing);
  }
}

TEST_CASE("outputs: only for their outcomes, and undetermined outputs name what they need") {
  Harness h(kWalk, {kRoot}, "root");
  const int track = 0;

  const Decision* d = &h.run({{"a", T}, {"n", num(3)}}, "2025-06-01");
  CHECK(d->outputs[track].applies);
  CHECK(h.output(track) == "fast");
  CHECK(d->outputs[track].candidates == 1);
  CHECK(h.output_missing().empty());

  d = &h.run({{"a", T}, {"n", num(6)}}, "2025-06-01");
  CHECK(h.output(track) == "slow");

  // Suit decided, track not: both values possible, and n is what would decide it.
  d = &h.run({{"a", T}}, "2025-06-01");
  CHECK(d->outputs[track].applies);
  CHECK(d->outputs[track].value == -1);
  CHECK(d->outputs[track].candidates == 3);
  CHECK(h.output_missing() == std::set<std::string>{"n"});
  CHECK(h.missing().empty());

  // Not for exempt.
  d = &h.run({{"a", F}, {"b", F}, {"x", F}, {"y", F}, {"n", num(3)}}, "2025-06-01");
  CHECK(h.outcome() == "exempt");
  CHECK_FALSE(d->outputs[track].applies);
  CHECK(d->outputs[track].value == -1);

  // Not while the outcome itself is undecided, even if suit is a candidate.
  d = &h.run({{"a", U}, {"b", F}, {"x", F}, {"y", F}, {"n", num(3)}}, "2025-06-01");
  CHECK(h.outcome() == "review");
  CHECK(h.candidates().count("suit") == 1);
  CHECK_FALSE(d->outputs[track].applies);
  CHECK(d->outputs[track].value == -1);
  CHECK(h.output_missing().empty());
}

TEST_CASE("advisories: shown only for their outcomes and when their condition is true") {
  Harness h(kWalk, {kRoot}, "root");
  struct Case {
    Inputs inputs;
    const char* outcome;
    std::set<std::string> advisories;
  };
  const Case cases[] = {
      {{{"a", F}, {"b", F}, {"x", F}, {"y", F}, {"n", num(3)}}, "exempt", {"hint"}},
      {{{"a", F}, {"b", F}, {"x", F}, {"y", F}, {"n", num(-200)}}, "exempt", {"hint"}},
      {{{"a", T}, {"n", num(3)}}, "suit", {"open"}},
      {{{"a", T}, {"n", num(500)}}, "suit", {"open", "costly"}},
      {{{"a", T}}, "suit", {"open"}},  // n unknown: `n > 100` is not true
      {{{"a", F}, {"b", F}, {"x", T}, {"n", num(3)}}, "review", {"open"}},
      {{{"a", U}, {"b", F}, {"x", F}, {"y", F}, {"n", num(3)}}, "review", {"open"}},
  };
  for (const Case& c : cases) {
    h.run(c.inputs, "2025-06-01");
    CHECK(h.outcome() == c.outcome);
    CHECK(h.advisories() == c.advisories);
  }
}

// --- parameters over regions and dates ----------------------------------------------------

namespace {

const char* kOverlay = R"yaml(
ruleset: overlay
outcomes: {ok: 可以, no: 不可}
undecided: no
fields:
  kind:
    type: enum
    values: {w: 水, a: 气, s: 固}
parameters:
  lim: {type: number, min: 0}
  per: {type: number, index: kind}
  flag: {type: bool}
derived:
  lim_v: {type: number, expr: lim}
  lim_set: {type: bool, expr: set(lim)}
  per_v: {type: number, expr: "per[kind]"}
  per_set: {type: bool, expr: "set(per[kind])"}
  flag_v: {type: bool, expr: flag}
  flag_set: {type: bool, expr: set(flag)}
# Derived fields are computed when used and a parameter is flagged "before values" only when
# the decision used it, so the first entry reads every one of them (arithmetic evaluates both
# operands) and is never true.
decisions:
  - outcome: "no"
    when: >-
      if(known(lim_v), 1, 0) + if(known(per_v), 1, 0) + if(known(flag_v), 1, 0)
      + if(lim_set, 1, 0) + if(per_set, 1, 0) + if(flag_set, 1, 0) < 0
  - {outcome: ok}
)yaml";

const char* kOverlayRoot = R"yaml(
region: root
parameters:
  overlay:
    lim:
      - {since: 2020-01-01, value: 100, status: example, source: 根}
      - {since: 2025-01-01, value: 200, status: example, source: 根}
    per:
      w:
        - {since: 2020-01-01, value: 1, status: example, source: 根}
      a:
        - {since: 2020-01-01, value: 2, status: example, source: 根}
    flag:
      - {since: 2020-01-01, value: true, status: example, source: 根}
      - {since: 2024-01-01, value: null, status: example, source: 根}
)yaml";

const char* kOverlayMid = R"yaml(
region: mid
extends: root
parameters:
  overlay:
    lim:
      - {since: 2022-01-01, value: 50, status: example, source: 中}
      - {since: 2024-06-01, value: 60, status: example, source: 中}
    per:
      w:
        - {since: 2022-01-01, value: 10, status: example, source: 中}
)yaml";

const char* kOverlayLeaf = R"yaml(
region: leaf
extends: mid
parameters:
  overlay:
    per:
      a:
        - {since: 2023-01-01, value: 30, status: example, source: 叶}
)yaml";

int kind(const char* key) { return std::string_view(key) == "w" ? 0 : key[0] == 'a' ? 1 : 2; }

}  // namespace

TEST_CASE("overlay: the nearest region in the chain that sets a parameter wins") {
  Harness leaf(kOverlay, {kOverlayRoot, kOverlayMid, kOverlayLeaf}, "leaf");
  Harness mid(kOverlay, {kOverlayRoot, kOverlayMid, kOverlayLeaf}, "mid");
  Harness root(kOverlay, {kOverlayRoot, kOverlayMid, kOverlayLeaf}, "root");
  struct Case {
    Harness* h;
    const char* region;
    const char* kind;
    std::optional<double> lim, per;
    const char* lim_from;  // region of the value in force, "" when none
    const char* per_from;
  };
  // On 2026-01-01: root's lim changed to 200 in 2025, but mid sets lim, so mid's 60 holds in
  // mid and leaf even though root's value is later. per[w] comes from mid, per[a] from leaf
  // in leaf and from root elsewhere; nobody sets per[s].
  const Case cases[] = {
      {&leaf, "leaf", "w", 60, 10, "mid", "mid"},
      {&leaf, "leaf", "a", 60, 30, "mid", "leaf"},
      {&leaf, "leaf", "s", 60, std::nullopt, "mid", ""},
      {&mid, "mid", "w", 60, 10, "mid", "mid"},
      {&mid, "mid", "a", 60, 2, "mid", "root"},
      {&root, "root", "w", 200, 1, "root", "root"},
      {&root, "root", "a", 200, 2, "root", "root"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.region);
    CAPTURE(c.kind);
    Harness& h = *c.h;
    const Decision& d = h.run({{"kind", Value::enumeration(kind(c.kind))}}, "2026-01-01");
    CHECK_FALSE(d.before_values);
    Value lim = h.field("lim_v");
    REQUIRE(lim.known());
    CHECK(lim.num == *c.lim);
    Value per = h.field("per_v");
    if (c.per) {
      REQUIRE(per.known());
      CHECK(per.num == *c.per);
      CHECK(h.field("per_set").truth() == epil::Tri::kTrue);
    } else {
      CHECK_FALSE(per.known());
      CHECK((per.flags & Value::kNotSet) != 0);
      CHECK(h.field("per_set").truth() == epil::Tri::kFalse);
    }
    const epil::Provenance* pl = h.provenance("lim");
    REQUIRE(pl != nullptr);
    CHECK(pl->region->id == c.lim_from);
    const epil::Provenance* pp = h.provenance("per", kind(c.kind));
    if (std::string_view(c.per_from).empty()) {
      CHECK(pp == nullptr);
    } else {
      REQUIRE(pp != nullptr);
      CHECK(pp->region->id == c.per_from);
      CHECK(pp->index == kind(c.kind));
    }
  }
}

TEST_CASE("overlay: dates around a `since`, the day before every value, and value: null") {
  Harness h(kOverlay, {kOverlayRoot, kOverlayMid, kOverlayLeaf}, "leaf");
  struct Case {
    const char* date;
    std::optional<double> lim;  // nullopt: no value in force
    bool before_values;
    std::optional<bool> flag;  // nullopt: unset (value: null)
  };
  // mid sets lim 50 from 2022-01-01 and 60 from 2024-06-01 (root: 100 from 2020-01-01, so
  // root's value holds before mid's rule starts); root sets flag from 2020-01-01 and unsets
  // it from 2024-01-01.
  const Case cases[] = {
      {"2021-12-31", 100, false, true}, {"2022-01-01", 50, false, true},
      {"2022-01-02", 50, false, true},          {"2023-12-31", 50, false, true},
      {"2024-01-01", 50, false, std::nullopt},  {"2024-05-31", 50, false, std::nullopt},
      {"2024-06-01", 60, false, std::nullopt},  {"2024-06-02", 60, false, std::nullopt},
      {"2030-01-01", 60, false, std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.date);
    // kind s: nobody sets per[s] (not set is not "before values"), so only lim can be.
    const Decision& d = h.run({{"kind", Value::enumeration(2)}}, c.date, /*strict=*/false);
    Value lim = h.field("lim_v");
    if (c.lim) {
      REQUIRE(lim.known());
      CHECK(lim.num == *c.lim);
      CHECK(h.field("lim_set").truth() == epil::Tri::kTrue);
    } else {
      CHECK_FALSE(lim.known());
      CHECK((lim.flags & Value::kBeforeValues) != 0);
      CHECK(h.field("lim_set").truth() == epil::Tri::kFalse);
    }
    CHECK(d.before_values == c.before_values);
    CHECK_FALSE(d.strict_error);  // lenient mode flags, never fails
    CHECK(d.thresholds_date == day(c.date).days());
    Value flag = h.field("flag_v");
    if (c.flag) {
      REQUIRE(flag.known());
      CHECK(flag.b == *c.flag);
      CHECK(h.field("flag_set").truth() == epil::Tri::kTrue);
    } else {
      CHECK_FALSE(flag.known());
      CHECK((flag.flags & Value::kNotSet) != 0);
      CHECK((flag.flags & Value::kBeforeValues) == 0);  // unset is not "before values"
      CHECK(h.field("flag_set").truth() == epil::Tri::kFalse);
    }

    const Decision& strict = h.run({{"kind", Value::enumeration(2)}}, c.date, /*strict=*/true);
    CHECK(strict.before_values == c.before_values);
    CHECK(strict.strict_error == c.before_values);
  }

  // The value's provenance says until when it holds.
  h.run({{"kind", Value::enumeration(0)}}, "2024-05-31");
  const epil::Provenance* p = h.provenance("lim");
  REQUIRE(p != nullptr);
  CHECK(p->value->since == day("2022-01-01"));
  REQUIRE(p->until.has_value());
  CHECK(*p->until == day("2024-06-01"));
  h.run({{"kind", Value::enumeration(0)}}, "2024-06-01");
  p = h.provenance("lim");
  REQUIRE(p != nullptr);
  CHECK(p->value->since == day("2024-06-01"));
  CHECK_FALSE(p->until.has_value());

  // Before the nearest region's own first value its parent's holds: leaf sets per[a] from
  // 2023-01-01, so on 2022-06-01 root's 2 is in force (a province's later rule does not
  // erase the national one before it starts).
  const Decision& d = h.run({{"kind", Value::enumeration(1)}}, "2022-06-01", true);
  Value per = h.field("per_v");
  REQUIRE(per.known());
  CHECK(per.num == 2);
  CHECK_FALSE(d.before_values);
  CHECK_FALSE(d.strict_error);
}

TEST_CASE("overlay: a parameter used directly by a decision or output is flagged before values") {
  // The same parameter as above, used straight from the decision list and an output rather
  // than through a derived field or a test.
  const char* ruleset = R"yaml(
ruleset: direct
outcomes: {ok: 可以, no: 不可}
undecided: no
fields:
  n: {type: number}
parameters:
  lim: {type: number}
decisions:
  - {outcome: no, when: n > lim}
  - {outcome: ok}
outputs:
  level:
    values: {low: 低, high: 高}
    rules:
      - {value: high, when: n > lim * 2}
      - {value: low}
)yaml";
  const char* region = R"yaml(
region: root
parameters:
  direct:
    lim:
      - {since: 2022-01-01, value: 50, status: example, source: 根}
)yaml";
  Harness h(ruleset, {region}, "root");
  const Decision& after = h.run({{"n", num(10)}}, "2022-01-01", true);
  CHECK(h.outcome() == "ok");
  CHECK_FALSE(after.before_values);
  CHECK_FALSE(after.strict_error);

  const Decision& before = h.run({{"n", num(10)}}, "2021-12-31", true);
  CHECK(h.outcome() == "no");  // undecided: n > lim is unknown without a value
  CHECK(h.candidates() == std::set<std::string>{"no", "ok"});
  CHECK(before.before_values);
  CHECK(before.strict_error);
}

TEST_CASE("overlay: set() of an indexed parameter whose index is unknown") {
  // With the index unknown, set(per[kind]) is still known when no enum value, or every one,
  // has a value in force; otherwise it depends on the index.
  const char* full = R"yaml(
region: full
extends: root
parameters:
  overlay:
    per:
      s:
        - {since: 2021-01-01, value: 3, status: example, source: 全}
)yaml";
  struct Case {
    const char* region;
    const char* date;
    epil::Tri expected;
  };
  const Case cases[] = {
      {"leaf", "2026-01-01", epil::Tri::kUnknown},  // w and a set, s not
      {"full", "2026-01-01", epil::Tri::kTrue},     // w, a from root, s from full
      {"full", "2020-06-01", epil::Tri::kUnknown},  // s not yet in force
      {"root", "2019-12-31", epil::Tri::kFalse},    // nothing in force yet
  };
  for (const Case& c : cases) {
    CAPTURE(c.region);
    CAPTURE(c.date);
    Harness h(kOverlay, {kOverlayRoot, kOverlayMid, kOverlayLeaf, full}, c.region);
    h.run({}, c.date);
    CHECK(h.field("per_set").truth() == c.expected);
    CHECK_FALSE(h.field("per_v").known());
  }
}

// --- 从旧兼从轻 ----------------------------------------------------------------------------

namespace {

const char* kTemporal = R"yaml(
ruleset: temporal
outcomes: {exempt: 显著轻微, review: 需人工审查, suit: 符合起诉条件}
undecided: review
temporal:
  rule: conduct_unless_review_more_lenient
  conduct_date: conduct
  review_date: review
  leniency: [exempt, review, suit]
fields:
  conduct: {type: date}
  review: {type: date}
  amount: {type: number}
parameters:
  lim: {type: number}
tests:
  within: {expr: amount <= lim}
decisions:
  - {outcome: suit, when: not within}
  - {outcome: exempt}
)yaml";

const char* kTemporalRoot = R"yaml(
region: root
parameters:
  temporal:
    lim:
      - {since: 2020-01-01, value: 1000, status: example, source: 旧标准}
      - {since: 2025-01-01, value: 3000, status: example, source: 新标准（更宽）}
      - {since: 2026-01-01, value: 500, status: example, source: 新标准（更严）}
)yaml";

}  // namespace

TEST_CASE("temporal: 从旧兼从轻 uses review-date thresholds only when more lenient") {
  struct Case {
    const char* name;
    Value conduct, review;
    double amount;
    const char* as_of;
    const char* outcome;
    TemporalChoice choice;
    const char* thresholds_date;
    double lim_used;
  };
  const Case cases[] = {
      {"the new, higher limit exempts what the old one did not", date("2024-06-01"),
       date("2025-06-01"), 2000, "2030-01-01", "exempt", TemporalChoice::kReviewMoreLenient,
       "2025-06-01", 3000},
      {"both exempt: the conduct date's thresholds stay", date("2024-06-01"), date("2025-06-01"),
       500, "2030-01-01", "exempt", TemporalChoice::kConductDate, "2024-06-01", 1000},
      {"both suit: the conduct date's thresholds stay", date("2024-06-01"), date("2025-06-01"),
       5000, "2030-01-01", "suit", TemporalChoice::kConductDate, "2024-06-01", 1000},
      {"the new limit is stricter: never applied backwards", date("2025-06-01"), date("2026-06-01"),
       800, "2030-01-01", "exempt", TemporalChoice::kConductDate, "2025-06-01", 3000},
      {"both dates under the same thresholds", date("2025-02-01"), date("2025-06-01"), 2000,
       "2030-01-01", "exempt", TemporalChoice::kSameThresholds, "2025-02-01", 3000},
      // Without the conduct date an earlier date's thresholds might apply; one of them (3,000
      // from 2025) gives a more lenient outcome, so the conduct date decides: review.
      {"conduct date unknown: an earlier date could be more lenient", U, date("2026-06-01"), 2000,
       "2030-01-01", "review", TemporalChoice::kConductUnknown, "2026-06-01", 500},
      // Before 2020 the limit has no value: a conduct then is not one this configuration can
      // judge, so it is assumed later (the explanation says so), and 1,000 alone decides.
      {"conduct date unknown: no values before 2020, none earlier is more lenient", U,
       date("2024-06-01"), 2000, "2030-01-01", "suit", TemporalChoice::kConductUnknown,
       "2024-06-01", 1000},
      {"review date not given: as_of stands in", date("2024-06-01"), U, 2000, "2025-06-01",
       "exempt", TemporalChoice::kReviewMoreLenient, "2025-06-01", 3000},
      {"the day before the new limit is still the old one", date("2024-06-01"), date("2024-12-31"),
       2000, "2030-01-01", "suit", TemporalChoice::kSameThresholds, "2024-06-01", 1000},
      {"the day the new limit takes effect", date("2024-06-01"), date("2025-01-01"), 2000,
       "2030-01-01", "exempt", TemporalChoice::kReviewMoreLenient, "2025-01-01", 3000},
  };
  Harness h(kTemporal, {kTemporalRoot}, "root");
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Decision& d =
        h.run({{"conduct", c.conduct}, {"review", c.review}, {"amount", num(c.amount)}}, c.as_of);
    CHECK(h.outcome() == c.outcome);
    CHECK(d.temporal == c.choice);
    CHECK(Date::from_days(d.thresholds_date).iso() == c.thresholds_date);
    // The workspace holds the evaluation that was kept, so explanations show its thresholds.
    const epil::Provenance* p = h.provenance("lim");
    REQUIRE(p != nullptr);
    CHECK(p->value->value->num == c.lim_used);
    CHECK(h.test("within").truth() ==
          (c.amount <= c.lim_used ? epil::Tri::kTrue : epil::Tri::kFalse));
  }

  // Unknown amount: either date's thresholds may be the more lenient one, depending on it.
  const Decision& d =
      h.run({{"conduct", date("2024-06-01")}, {"review", date("2025-06-01")}}, "2030-01-01");
  CHECK(h.outcome() == "review");
  CHECK(d.temporal == TemporalChoice::kEitherDate);
  CHECK(h.missing() == std::set<std::string>{"amount"});
  // Without a conduct date, the stretch before the first value is left out and said.
  const Decision& e = h.run({{"review", date("2024-06-01")}, {"amount", num(2000)}}, "2030-01-01");
  CHECK(Date::from_days(e.conduct_assumed_from).iso() == "2020-01-01");
}

TEST_CASE("temporal: 从旧兼从轻 with a fact unknown pairs every possible outcome of both dates") {
  // Issue 11 item 21: the conduct date's thresholds give suit or review (amount unknown in a
  // stretch without a limit), the review date's exempt or suit: an amount within the new
  // limit makes the case exempt, so exempt must be among the possible outcomes.
  const char* ruleset = R"yaml(
ruleset: pairs
outcomes: {exempt: 显著轻微, review: 需人工审查, suit: 符合起诉条件}
undecided: review
temporal:
  rule: conduct_unless_review_more_lenient
  conduct_date: conduct
  review_date: review
  leniency: [exempt, review, suit]
fields:
  conduct: {type: date}
  review: {type: date}
  amount: {type: number}
  impact: {type: bool}
parameters:
  lim: {type: number}
tests:
  within: {expr: amount <= lim}
decisions:
  - {outcome: suit, when: impact}
  - {outcome: review, when: not set(lim)}
  - {outcome: suit, when: not within}
  - {outcome: exempt}
)yaml";
  const char* root = R"yaml(
region: root
parameters:
  pairs:
    lim:
      - {since: 2020-01-01, value: null, status: official, source: 无标准}
      - {since: 2025-01-01, value: 10000, status: example, source: 新标准}
)yaml";
  Harness h(ruleset, {root}, "root");
  const Decision& d = h.run({{"conduct", date("2022-02-15")}, {"review", date("2026-11-28")},
                             {"amount", num(10000)}},
                            "2030-01-01");
  CHECK(h.outcome() == "review");
  CHECK(h.candidates() == std::set<std::string>{"exempt", "review", "suit"});
  CHECK(d.temporal == TemporalChoice::kEitherDate);
  CHECK(h.missing() == std::set<std::string>{"impact"});
  // Completing the fact decides it: no impact → the review date's limit exempts.
  h.run({{"conduct", date("2022-02-15")}, {"review", date("2026-11-28")}, {"amount", num(10000)},
         {"impact", Value::boolean(false)}},
        "2030-01-01");
  CHECK(h.outcome() == "exempt");
}

TEST_CASE("temporal: a procedural output follows the review date's rules") {
  // 从旧兼从轻 chooses the substantive thresholds; the procedure track (`date: review_date`)
  // is decided under the rules in force on the review date whichever date was chosen.
  const char* ruleset = R"yaml(
ruleset: procedure
outcomes: {exempt: 显著轻微, review: 需人工审查, suit: 符合起诉条件}
undecided: review
temporal:
  rule: conduct_unless_review_more_lenient
  conduct_date: conduct
  review_date: review
  leniency: [exempt, review, suit]
fields:
  conduct: {type: date}
  review: {type: date}
  amount: {type: number}
  urgent: {type: bool}
parameters:
  lim: {type: number}
  simple_limit: {type: number}
tests:
  within: {expr: amount <= lim}
decisions:
  - {outcome: suit, when: not within}
  - {outcome: exempt}
outputs:
  track:
    for: [suit]
    date: review_date
    values: {simple: 简易, ordinary: 普通}
    rules:
      - {value: simple, when: amount <= simple_limit or urgent}
      - {value: ordinary}
)yaml";
  const char* region = R"yaml(
region: root
parameters:
  procedure:
    lim:
      - {since: 2020-01-01, value: 1000, status: example, source: 标准}
    simple_limit:
      - {since: 2025-01-01, value: 3000, status: example, source: 程序规定}
)yaml";
  Harness h(ruleset, {region}, "root");

  // Conduct in 2024, reviewed in 2025: suit under both dates, so the conduct date's
  // thresholds stay; the track is still decided by the 2025 simple-case limit.
  const Inputs inputs{
      {"conduct", date("2024-06-01")}, {"review", date("2025-06-01")}, {"amount", num(2000)}};
  const Decision& d = h.run(inputs, "2030-01-01", /*strict=*/true);
  CHECK(h.outcome() == "suit");
  CHECK(d.temporal == TemporalChoice::kConductDate);
  CHECK(d.thresholds_date == day("2024-06-01").days());
  CHECK(d.review_date == day("2025-06-01").days());
  CHECK(d.outputs[0].applies);
  CHECK(h.output(0) == "simple");
  // The track shown was decided on the review date, where nothing is missing and every
  // parameter read has a value: nothing of a thresholds-date pass may leak into it.
  CHECK(h.output_missing().empty());
  CHECK_FALSE(d.before_values);
  CHECK_FALSE(d.strict_error);

  // Reviewed in 2024 too: the track is undecided there, and says what would decide it.
  const Decision& early = h.run(
      {{"conduct", date("2024-06-01")}, {"review", date("2024-12-01")}, {"amount", num(2000)}},
      "2030-01-01", /*strict=*/true);
  CHECK(early.temporal == TemporalChoice::kSameThresholds);
  CHECK(early.outputs[0].applies);
  CHECK(h.output(0).empty());
  CHECK(h.output_missing() == std::set<std::string>{"urgent"});
  CHECK(early.before_values);  // simple_limit read before its first value
  CHECK(early.strict_error);
}

TEST_CASE("temporal: conduct_date and review_date rules pick one date") {
  std::string conduct_rule = kTemporal;
  conduct_rule.replace(conduct_rule.find("conduct_unless_review_more_lenient"),
                       std::string("conduct_unless_review_more_lenient").size(), "conduct_date");
  std::string review_rule = kTemporal;
  review_rule.replace(review_rule.find("conduct_unless_review_more_lenient"),
                      std::string("conduct_unless_review_more_lenient").size(), "review_date");
  Harness by_conduct(conduct_rule, {kTemporalRoot}, "root");
  Harness by_review(review_rule, {kTemporalRoot}, "root");
  const Inputs inputs{
      {"conduct", date("2024-06-01")}, {"review", date("2025-06-01")}, {"amount", num(2000)}};

  const Decision& c = by_conduct.run(inputs, "2030-01-01");
  CHECK(by_conduct.outcome() == "suit");  // no leniency under this rule
  CHECK(c.temporal == TemporalChoice::kConductDate);
  CHECK(c.thresholds_date == day("2024-06-01").days());

  const Decision& r = by_review.run(inputs, "2030-01-01");
  CHECK(by_review.outcome() == "exempt");
  CHECK(r.temporal == TemporalChoice::kReviewDate);
  CHECK(r.thresholds_date == day("2025-06-01").days());

  const Decision& unknown = by_conduct.run({{"amount", num(2000)}}, "2025-06-01");
  CHECK(unknown.temporal == TemporalChoice::kConductUnknown);
  CHECK(unknown.thresholds_date == day("2025-06-01").days());
}

// --- lists and texts ----------------------------------------------------------------------

namespace {

const char* kLists = R"yaml(
ruleset: lists
outcomes: {ok: 可以, no: 不可}
undecided: no
fields:
  name: {type: string}
  amt: {type: number}
parameters:
  limit: {type: number}
  latep: {type: number}
tests:
  t_name: {expr: "name in ['foo', 'bar']"}
  t_not: {expr: "name not in ['foo', 'bar']"}
  t_foo: {expr: "name == 'foo'"}
  t_amt: {expr: "amt in [limit, latep]"}
decisions:
  - {id: named, outcome: ok, when: t_name and t_foo}
  - {id: amount, outcome: ok, when: t_amt}
  - {id: other, outcome: "no"}
)yaml";

const char* kListsRoot = R"yaml(
region: root
parameters:
  lists:
    limit:
      - {since: 2020-01-01, value: 2000, status: example, source: 根}
    latep:
      - {since: 2023-01-01, value: 5000, status: example, source: 根}
)yaml";

}  // namespace

// Text constants live as long as the program (they were once freed with the compiler, and a
// comparison then read freed memory).
TEST_CASE("lists: text constants compare after compilation - in and not in by item") {
  Harness h(kLists, {kListsRoot}, "root");
  static const std::string foo = "foo", bar = "bar", baz = "baz";
  h.run({{"name", Value::string(foo)}}, "2025-06-01");
  CHECK(h.test("t_name").truth() == epil::Tri::kTrue);
  CHECK(h.test("t_not").truth() == epil::Tri::kFalse);
  CHECK(h.test("t_foo").truth() == epil::Tri::kTrue);
  CHECK(h.outcome() == "ok");
  h.run({{"name", Value::string(bar)}}, "2025-06-01");
  CHECK(h.test("t_name").truth() == epil::Tri::kTrue);
  CHECK(h.test("t_foo").truth() == epil::Tri::kFalse);
  h.run({{"name", Value::string(baz)}, {"amt", num(1)}}, "2025-06-01");
  CHECK(h.test("t_name").truth() == epil::Tri::kFalse);
  CHECK(h.test("t_not").truth() == epil::Tri::kTrue);
  CHECK(h.outcome() == "no");
  h.run({{"amt", num(1)}}, "2025-06-01");
  CHECK(h.test("t_name").truth() == epil::Tri::kUnknown);
  CHECK(h.test("t_not").truth() == epil::Tri::kUnknown);
}

// `x in [a, b]` reads its items up to the first match: a later item's threshold the answer
// never needed is not one the decision used (no "before its first value" flag, no strict error).
TEST_CASE("lists: an in list stops at the first match and flags only the thresholds it read") {
  Harness h(kLists, {kListsRoot}, "root");
  const Decision& d = h.run({{"amt", num(2000)}}, "2021-06-01", /*strict=*/true);
  CHECK(h.test("t_amt").truth() == epil::Tri::kTrue);
  CHECK(h.outcome() == "ok");
  CHECK_FALSE(d.before_values);
  CHECK_FALSE(d.strict_error);
  // No match with the first item: the second is read, and has no value before 2023.
  const Decision& late = h.run({{"amt", num(5000)}}, "2021-06-01");
  CHECK(h.test("t_amt").truth() == epil::Tri::kUnknown);
  CHECK(late.before_values);
  h.run({{"amt", num(5000)}}, "2024-06-01");
  CHECK(h.test("t_amt").truth() == epil::Tri::kTrue);
  h.run({{"amt", num(7)}}, "2024-06-01");
  CHECK(h.test("t_amt").truth() == epil::Tri::kFalse);
}

// --- given(), defaults withheld, open dates, outputs only where they arise ----------------

TEST_CASE("language: given() tells a stated 不详 from silence, and a default from a statement") {
  const char* ruleset = R"yaml(
ruleset: g
outcomes: {yes: 是, no: 否, unsure: 待定}
undecided: unsure
fields:
  grade: {type: enum, values: {none: 无, big: 较大}}
  occurred: {type: bool, default: "false"}
tests:
  big: {expr: "if(known(grade), grade == 'big', if(given(grade), grade == 'big', occurred))"}
decisions:
  - {outcome: yes, when: big}
  - {outcome: no}
)yaml";
  Harness h(ruleset, {"region: root\n"}, "root");
  Value stated = Value::unknown(Value::kStated);
  Value assumed = F;
  assumed.flags |= Value::kDefaulted;
  h.run({{"grade", U}, {"occurred", assumed}}, "2026-01-01");
  CHECK(h.outcome() == "no");  // nothing said: the default (no incident) decides
  h.run({{"grade", stated}, {"occurred", assumed}}, "2026-01-01");
  CHECK(h.outcome() == "unsure");  // "不详" is never the default
  CHECK(h.missing() == std::set<std::string>{"grade"});
}

TEST_CASE("language: a default another fact contradicts is not assumed") {
  const char* ruleset = R"yaml(
ruleset: w
outcomes: {suit: 起诉, exempt: 豁免, review: 审查}
undecided: review
fields:
  kind: {type: enum, values: {household: 生活垃圾, hazardous: 危险废物}}
  special:
    type: bool
    default: "false"
    not_assumed_when: kind == 'hazardous'
    not_assumed_reason: {zh: 危险废物含有毒有害物质的可能不能排除, en: hazardous waste}
tests:
  t: {expr: special}
decisions:
  - {outcome: suit, when: t}
  - {outcome: exempt}
)yaml";
  Harness h(ruleset, {"region: root\n"}, "root");
  Value assumed = F;
  assumed.flags |= Value::kDefaulted;
  h.run({{"kind", Value::enumeration(0)}, {"special", assumed}}, "2026-01-01");
  CHECK(h.outcome() == "exempt");
  h.run({{"kind", Value::enumeration(1)}, {"special", assumed}}, "2026-01-01");
  CHECK(h.outcome() == "review");
  CHECK(h.missing() == std::set<std::string>{"special"});
  h.run({{"kind", Value::enumeration(1)}, {"special", F}}, "2026-01-01");  // said: kept
  CHECK(h.outcome() == "exempt");
}

TEST_CASE("language: a comparison with an open date answers only what holds for all of it") {
  const char* ruleset = R"yaml(
ruleset: o
outcomes: {passed: 已届满, pending: 未届满, unsure: 待定}
undecided: unsure
fields:
  start: {type: date}
  today: {type: date}
derived:
  end: {type: date, expr: "add_days(roll_to_working_day(start), 0)"}
tests:
  over: {expr: today > end}
decisions:
  - {outcome: passed, when: over}
  - {outcome: pending}
)yaml";
  // No calendar at all: every day may be a rest day, so a period's end is open.
  Harness h(ruleset, {"region: root\n"}, "root");
  h.run({{"start", date("2027-10-01")}, {"today", date("2027-10-01")}}, "2027-10-01");
  CHECK(h.outcome() == "pending");  // today is not after the earliest end: surely not passed
  h.run({{"start", date("2027-10-01")}, {"today", date("2027-10-02")}}, "2027-10-02");
  CHECK(h.outcome() == "unsure");  // the end may be 10-01 or later: not known to have passed
  CHECK(h.missing().empty());
  CHECK(h.decision().pending_calendar);
}

TEST_CASE("language: an output with `when` applies only where its question arises") {
  const char* ruleset = R"yaml(
ruleset: w
outcomes: {listed: 纳入, not_listed: 不纳入}
undecided: not_listed
fields:
  minor: {type: bool}
  able: {type: bool}
outputs:
  determination:
    for: [listed, not_listed]
    when: not minor
    values: {shixin: 失信, shineng: 失能}
    rules:
      - {value: shineng, when: not able}
      - {value: shixin}
decisions:
  - {outcome: not_listed, when: minor or not able}
  - {outcome: listed}
)yaml";
  Harness h(ruleset, {"region: root\n"}, "root");
  h.run({{"minor", T}, {"able", T}}, "2026-01-01");
  CHECK_FALSE(h.decision().outputs[0].applies);
  h.run({{"minor", F}, {"able", F}}, "2026-01-01");
  CHECK(h.decision().outputs[0].applies);
  CHECK(h.output(0) == "shineng");
}
