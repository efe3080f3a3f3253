// Throughput of the compiled evaluator: N seeded, realistic environmental cases evaluated
// against every shipped region, single thread, no I/O. The per-row floor of batch screening.
//   build/epil_bench [N]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/epil.h"

int main(int argc, char** argv) {
  using namespace epil;
  size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  Config config = Config::embedded();
  const Ruleset& rs = *config.ruleset("epil");
  std::vector<const CompiledRuleset*> programs;
  for (const auto& r : config.regions()) programs.push_back(config.compiled(rs, r));

  // Cases: a damage type, an amount around the thresholds, the dimensions mostly answered,
  // about 5% of each field left unknown, conduct dates from 2023 to 2026.
  std::mt19937_64 rng(20261128);
  auto field = [&](const char* key) { return rs.find_field(key); };
  const int f_type = field("damage_type"), f_amount = field("damage_amount"),
            f_regional = field("regional_impact"), f_persist = field("persistent_risk"),
            f_date = field("conduct_date"), f_review = field("review_date"),
            f_area = field("protected_area"), f_pollutant = field("special_pollutant"),
            f_repeat = field("repeat_offence"), f_fishing = field("fishing_special"),
            f_undisputed = field("simple_facts_undisputed");
  const size_t kDistinct = 4096;
  std::vector<std::vector<Value>> cases(kDistinct, std::vector<Value>(rs.input_count()));
  std::uniform_real_distribution<double> u(0, 1);
  for (auto& c : cases) {
    auto maybe = [&](Value v) { return u(rng) < 0.05 ? Value::unknown() : v; };
    c[f_type] = maybe(Value::enumeration(static_cast<int>(rng() % 4)));
    c[f_amount] = maybe(Value::number(std::round(std::exp(u(rng) * 12))));
    c[f_regional] = maybe(Value::boolean(u(rng) < 0.1));
    c[f_persist] = maybe(Value::boolean(u(rng) < 0.1));
    c[f_date] = maybe(Value::of_date(Date::from_days(19358 + static_cast<int>(rng() % 1400))));
    c[f_review] = Value::of_date(*Date::from_ymd(2026, 11, 28));
    c[f_area] = Value::enumeration(u(rng) < 0.03 ? 1 : 0);
    c[f_pollutant] = Value::enumeration(u(rng) < 0.03 ? 4 : 0);
    c[f_repeat] = Value::boolean(u(rng) < 0.02);
    c[f_fishing] = Value::boolean(false);
    c[f_undisputed] = maybe(Value::boolean(u(rng) < 0.7));
  }
  Workspace ws;
  Decision d;
  Date as_of = *Date::from_ymd(2026, 11, 28);
  size_t counts[8] = {};
  auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i) {
    programs[i % programs.size()]->evaluate(cases[i % kDistinct].data(), as_of, false, ws, d);
    ++counts[d.outcome];
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("{} cases in {:.3f} s: {:.0f} cases/s, {:.0f} ns/case (1 thread)\n", n, secs, n / secs,
             secs * 1e9 / n);
  for (size_t o = 0; o < rs.outcomes.size(); ++o) {
    fmt::print("  {:<8} {}\n", rs.outcomes[o].key, counts[o]);
  }
  return 0;
}
