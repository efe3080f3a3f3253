// Drawing numbers for generated cases, shared by the differential and property tests: where
// implementations differ, on a threshold or a hair either side of it, and elsewhere over many
// orders of magnitude.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace epil::testing {

/// Near one of `thresholds` (on it, one unit or a hair either side, or a tenth off), or a
/// small whole number, or anything from 0.01 to about 5 × 10^6.
inline double draw_number(std::mt19937& rng, const std::vector<double>& thresholds) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  if (chance(0.55) && !thresholds.empty()) {
    const double t = thresholds[pick(thresholds.size())];
    switch (pick(7)) {
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
  if (chance(0.3)) return static_cast<double>(pick(61));
  return std::floor(std::exp(std::uniform_real_distribution<double>(0, 20)(rng))) / 100;
}

}  // namespace epil::testing
