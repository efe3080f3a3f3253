// Drawing numbers and dates for generated cases, shared by the differential and property tests:
// where implementations differ, on a threshold or a hair either side of it, on or a day either
// side of the day a value takes effect, and elsewhere over many orders of magnitude or years.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/region.h"
#include "core/value.h"

namespace epil::testing {

/// True with probability `p` (one draw).
inline bool draw_chance(std::mt19937& rng, double p) {
  return std::uniform_real_distribution<double>(0, 1)(rng) < p;
}

/// One of 0 to n - 1 (one draw).
inline size_t draw_index(std::mt19937& rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

/// One of lo to hi, both included (one draw).
inline int32_t draw_between(std::mt19937& rng, int32_t lo, int32_t hi) {
  return std::uniform_int_distribution<int32_t>(lo, hi)(rng);
}

/// Near one of `thresholds` (on it, one unit or a hair either side, or a tenth off), or a
/// small whole number, or anything from 0.01 to about 5 × 10^6.
inline double draw_number(std::mt19937& rng, const std::vector<double>& thresholds) {
  if (draw_chance(rng, 0.55) && !thresholds.empty()) {
    const double t = thresholds[draw_index(rng, thresholds.size())];
    switch (draw_index(rng, 7)) {
      case 0:
        return t;
      case 1:
        return t + 1;
      case 2:
        return std::max(0.0, t - 1);
      case 3:
        return std::nextafter(t, 1e300);
      case 4:
        return std::max(0.0, std::nextafter(t, -1e300));
      case 5:
        return t * 0.9;
      default:
        return t * 1.1;
    }
  }
  if (draw_chance(rng, 0.3)) return static_cast<double>(draw_index(rng, 61));
  return std::floor(std::exp(std::uniform_real_distribution<double>(0, 20)(rng))) / 100;
}

/// Calls `f(const epil::DatedValue&)` on every dated value `region` sets for the ruleset
/// `ruleset_id`: each parameter's values, then its values by index.
template <class F>
void for_each_dated_value(const epil::Region& region, const std::string& ruleset_id, F&& f) {
  auto it = region.parameters.find(ruleset_id);
  if (it == region.parameters.end()) return;
  for (const auto& [key, setting] : it->second) {
    for (const auto& dv : setting.values) f(dv);
    for (const auto& [index, values] : setting.by_index) {
      for (const auto& dv : values) f(dv);
    }
  }
}

/// Where generated cases of a ruleset are drawn around, in ascending order, each once.
struct DrawPoints {
  std::vector<double> thresholds;  // every number a region sets
  std::vector<int32_t> sinces;     // every day a value takes effect (Date::days())
};

/// The draw points of ruleset `ruleset_id` across every region (and overlay) of `config`.
inline DrawPoints draw_points(const epil::Config& config, const std::string& ruleset_id) {
  std::set<double> numbers;
  std::set<int32_t> sinces;
  for (const auto& r : config.regions()) {
    for_each_dated_value(r, ruleset_id, [&](const epil::DatedValue& dv) {
      sinces.insert(dv.since.days());
      if (dv.value && dv.value->kind == epil::Value::kNumber) numbers.insert(dv.value->num);
    });
  }
  return {{numbers.begin(), numbers.end()}, {sinces.begin(), sinces.end()}};
}

/// Half the time a date on, or a day either side of, one of `sinces` (which may not be
/// empty); else any day from `first` to `last`.
inline epil::Date draw_date(std::mt19937& rng, const std::vector<int32_t>& sinces, epil::Date first,
                            epil::Date last) {
  if (draw_chance(rng, 0.5)) {
    const int32_t s = sinces[draw_index(rng, sinces.size())];
    return epil::Date::from_days(s + static_cast<int32_t>(draw_index(rng, 3)) - 1);
  }
  return epil::Date::from_days(draw_between(rng, first.days(), last.days()));
}

}  // namespace epil::testing
