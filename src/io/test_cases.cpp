#include "io/test_cases.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/epil.h"
#include "core/excerpt.h"
#include "core/yaml.h"
#include "io/case_input.h"
#include "io/normalize.h"

namespace epil::io {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

std::vector<std::string> as_list(const yaml::Node& n) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  for (const auto& x : n.items()) out.push_back(x.Scalar());
  return out;
}

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// caveats: {outcome: [...], OUTPUT: [...], RESULT: [...]}: what each rests on that must be
// checked (caveat_keys: example, reported, proposed, default:FIELD); [] for nothing.
template <typename Fail>
void check_caveats(const Ruleset& rs, const Explanation& e, const yaml::Node& want, Fail&& fail) {
  for (const auto& kv : want.entries()) {
    const std::string what = kv.first.Scalar();
    const Caveats* got = nullptr;
    if (what == "outcome") got = &e.outcome_rests_on;
    for (const auto& o : e.outputs) {
      if (o.key == what) got = &o.rests_on;
    }
    for (const auto& r : e.results) {
      if (r.key == what) got = &r.rests_on;
    }
    if (!got) {
      fail(fmt::format("caveats.{}: neither the outcome nor an output or result shown", what));
      continue;
    }
    const std::vector<std::string> keys = caveat_keys(rs, *got);
    if (!same_set(as_list(kv.second), keys)) {
      fail(fmt::format("caveats.{}: expected {}, got {}", what, join(as_list(kv.second)),
                       join(keys)));
    }
  }
}

// pending: [PARAM or PARAM[INDEX], calendar]: why the case is undecided besides missing facts.
template <typename Fail>
void check_pending(const Explanation& e, const yaml::Node& want, Fail&& fail) {
  std::vector<std::string> got;
  for (const auto& t : e.pending)
    got.push_back(t.index.empty() ? t.param : t.param + "[" + t.index + "]");
  if (e.pending_calendar) got.push_back("calendar");
  if (e.pending_arithmetic) got.push_back("arithmetic");
  if (!same_set(as_list(want), got)) {
    fail(fmt::format("pending: expected {}, got {}", join(as_list(want)), join(got)));
  }
}

// tests: {test: true|false|unknown|not_applicable}
template <typename Fail>
void check_tests(const Explanation& e, const yaml::Node& want, Fail&& fail) {
  for (const auto& t : want.entries()) {
    std::string test = t.first.Scalar();
    auto it = std::find_if(e.reasons.begin(), e.reasons.end(),
                           [&](const ReasonLine& l) { return l.test == test; });
    if (it == e.reasons.end()) {
      fail(fmt::format("tests: no test named '{}'", test));
    } else if (test_result_key(it->result) != t.second.Scalar()) {
      fail(fmt::format("tests.{}: expected {}, got {}", test, t.second.Scalar(),
                       test_result_key(it->result)));
    }
  }
}

// margin: {test: number}: the margin of the test's first comparison.
template <typename Fail>
void check_margins(const Explanation& e, const yaml::Node& want, Fail&& fail) {
  for (const auto& t : want.entries()) {
    std::string test = t.first.Scalar();
    auto it = std::find_if(e.reasons.begin(), e.reasons.end(),
                           [&](const ReasonLine& l) { return l.test == test; });
    double m = std::strtod(t.second.Scalar().c_str(), nullptr);
    if (it == e.reasons.end() || it->comparisons.empty()) {
      fail(fmt::format("margin.{}: the test made no threshold comparison", test));
    } else if (std::abs(it->comparisons.front().margin - m) > 1e-9) {
      fail(fmt::format("margin.{}: expected {}, got {}", test, m, it->comparisons.front().margin));
    }
  }
}

// results: {field: value}: a date as YYYY-MM-DD ("YYYY-MM-DD or later" for one that reaches a
// year no shipped calendar covers), a number, an enum key, or null for a result that cannot
// be computed (or is not reported for the outcome).
template <typename Fail>
void check_results(const Explanation& e, const yaml::Node& want, Fail&& fail) {
  // results: {field: value}: a date as YYYY-MM-DD ("YYYY-MM-DD or later" for one that
  // reaches a year no shipped calendar covers), a number, an enum key, or null for a
  // result that cannot be computed (or is not reported for the outcome).
  for (const auto& t : want.entries()) {
    std::string field = t.first.Scalar();
    auto it = std::find_if(e.results.begin(), e.results.end(),
                           [&](const ResultLine& l) { return l.key == field; });
    std::string got = "null";
    if (it != e.results.end() && it->value.value.known()) {
      const Value& v = it->value.value;
      got = v.kind == Value::kNumber  ? format_plain(v.num)
            : v.kind == Value::kBool  ? (v.b ? "true" : "false")
            : v.open_date()           ? it->value.code + " or later"
            : !it->value.code.empty() ? it->value.code
                                      : it->value.shown.en;
    }
    std::string w = t.second.IsNull() ? "null" : t.second.Scalar();
    if (got != w) fail(fmt::format("results.{}: expected {}, got {}", field, w, got));
  }
}

// One expectation of a case: `key` names what is checked (an output's key for an output).
template <typename Fail>
void check_expectation(const Ruleset& rs, const Explanation& e, const std::string& key,
                       const yaml::Node& want, Fail&& fail) {
  if (key == "outcome") {
    if (e.outcome != want.Scalar()) {
      fail(fmt::format("outcome: expected {}, got {} (candidates {})", want.Scalar(), e.outcome,
                       join(e.candidates)));
    }
  } else if (key == "candidates") {
    if (!same_set(as_list(want), e.candidates)) {
      fail(fmt::format("candidates: expected {}, got {}", join(as_list(want)), join(e.candidates)));
    }
  } else if (key == "decided_by") {
    if (e.decided_by != want.Scalar()) {
      fail(fmt::format("decided_by: expected {}, got {}", want.Scalar(),
                       e.decided_by.empty() ? "(several possible)" : e.decided_by));
    }
  } else if (key == "missing") {
    std::vector<std::string> got;
    for (const auto& m : e.missing) got.push_back(m.field);
    if (!same_set(as_list(want), got)) {
      fail(fmt::format("missing: expected {}, got {}", join(as_list(want)), join(got)));
    }
  } else if (key == "advisories") {
    std::vector<std::string> got;
    for (const auto& a : e.advisories) got.push_back(a.first);
    if (!same_set(as_list(want), got)) {
      fail(fmt::format("advisories: expected {}, got {}", join(as_list(want)), join(got)));
    }
  } else if (key == "tests") {
    check_tests(e, want, fail);
  } else if (key == "margin") {
    check_margins(e, want, fail);
  } else if (key == "caveats") {
    check_caveats(rs, e, want, fail);
  } else if (key == "pending") {
    check_pending(e, want, fail);
  } else if (key == "thresholds_date") {
    if (e.thresholds_date.iso() != want.Scalar()) {
      fail(fmt::format("thresholds_date: expected {}, got {}", want.Scalar(),
                       e.thresholds_date.iso()));
    }
  } else if (key == "before_values") {
    if ((want.Scalar() == "true") != e.before_values) {
      fail(fmt::format("before_values: expected {}, got {}", want.Scalar(), e.before_values));
    }
  } else if (key == "results") {
    check_results(e, want, fail);
  } else {
    auto it = std::find_if(e.outputs.begin(), e.outputs.end(),
                           [&](const OutputLine& o) { return o.key == key; });
    if (it == e.outputs.end()) {
      fail(fmt::format("unknown expectation '{}'", key));
      return;
    }
    std::string got = it->applies ? (it->value.empty() ? "undetermined" : it->value) : "null";
    std::string w = want.IsNull() ? "null" : want.Scalar();
    if (got != w) fail(fmt::format("{}: expected {}, got {}", key, w, got));
  }
}

// The case's `input:` into `input`: each key a field, by key or label, given once.
template <typename Fail>
void read_input(const yaml::Node& c, const Ruleset& rs, const FieldIndex& index, CaseInput& input,
                Fail&& fail) {
  if (!c["input"] || !c["input"].IsMap()) return;
  KeysOfCase keys(rs);
  for (const auto& kv : c["input"].entries()) {
    std::string name = kv.first.Scalar();
    int f = index.find(name);
    if (f < 0) {
      fail(fmt::format("line {}: unknown field '{}'", kv.first.mark().line + 1, excerpt(name)));
      continue;
    }
    if (auto twice = keys.note(f, name, kv.first.mark().line + 1)) {
      fail(fmt::format("line {}: {}", kv.first.mark().line + 1, twice->en));
      continue;
    }
    std::string text = kv.second.IsNull() ? "" : kv.second.Scalar();
    if (auto err = input.set(rs, index, f, text)) {
      fail(fmt::format("line {}: {}: {}", kv.second.mark().line + 1, name, err->en));
    }
  }
}

void run_case(Config& config, const std::string& path, const yaml::Node& c,
              const std::string& default_ruleset, const std::string& default_region,
              const std::string& default_overlay, Date today, TestFileReport& report) {
  TestCaseResult r;
  r.file = path;
  r.line = c.mark().line + 1;
  r.name = c["name"] ? c["name"].Scalar() : fmt::format("case at line {}", r.line);
  auto fail = [&](std::string s) { r.failures.push_back(std::move(s)); };
  std::string rs_id = c["ruleset"] ? c["ruleset"].Scalar() : default_ruleset;
  const Ruleset* rs = config.ruleset(rs_id);
  std::string region_name = c["region"] ? c["region"].Scalar() : default_region;
  const Region* region = config.find_place(region_name).region;
  std::string overlay_name = c["overlay"] ? c["overlay"].Scalar() : default_overlay;
  const Region* overlay = overlay_name.empty() ? nullptr : config.find_overlay(overlay_name);
  if (!rs) fail(fmt::format("unknown ruleset '{}'", rs_id));
  if (!region) fail(fmt::format("unknown region '{}'", region_name));
  if (!overlay_name.empty() && !overlay) fail(fmt::format("unknown overlay '{}'", overlay_name));
  if (!rs || !region) {
    report.cases.push_back(std::move(r));
    return;
  }
  FieldIndex index(*rs);
  CaseInput input(*rs);
  read_input(c, *rs, index, input, fail);
  input.apply_defaults(*rs, index);
  ScreenOptions opt;
  opt.as_of = today;
  if (c["as_of"]) {
    if (auto d = Date::parse_iso(c["as_of"].Scalar()))
      opt.as_of = *d;
    else
      fail(fmt::format("as_of: expected YYYY-MM-DD, found '{}'", c["as_of"].Scalar()));
  }
  opt.strict = c["strict"] && c["strict"].Scalar() == "true";
  opt.overlay = overlay;
  if (!r.failures.empty()) {
    report.cases.push_back(std::move(r));
    return;
  }
  ScreenResult res = screen(config, *rs, *region, input.values, input.defaulted, r.name, opt);
  if (!res.ok) {
    for (const auto& f : res.findings.items()) fail(f.format());
  } else if (yaml::Node x = c["expect"]; !x || !x.IsMap()) {
    fail("the case has no 'expect' mapping: a test must assert something");
  } else {
    for (const auto& kv : x.entries()) {
      check_expectation(*rs, res.explanation, kv.first.Scalar(), kv.second, fail);
    }
  }
  r.passed = r.failures.empty();
  report.cases.push_back(std::move(r));
}

}  // namespace

TestFileReport run_test_file(Config& config, const std::string& path, std::string_view text,
                             Date today, const Limits& limits) {
  TestFileReport report;
  auto parsed = yaml::parse(text, limits);
  if (auto* e = std::get_if<yaml::ParseError>(&parsed)) {
    yaml::add_finding(report.findings, path, *e, "yaml-syntax", "YAML syntax", "YAML 语法错误");
    return report;
  }
  const yaml::Node& root = std::get<yaml::Node>(parsed);
  if (!root.IsMap() || !root["cases"] || !root["cases"].IsSequence()) {
    report.findings.error("schema", path, 1, 1, "a test file needs a 'cases' list",
                          "测试文件应包含 cases 列表");
    return report;
  }
  std::string rs = root["ruleset"] ? root["ruleset"].Scalar() : "epil";
  const Region* tree_root = config.root_region();
  std::string region = root["region"] ? root["region"].Scalar()
                       : tree_root    ? tree_root->id
                                      : std::string();
  std::string overlay = root["overlay"] ? root["overlay"].Scalar() : "";
  for (const auto& c : root["cases"].items()) {
    run_case(config, path, c, rs, region, overlay, today, report);
  }
  return report;
}

}  // namespace epil::io
