// libFuzzer target: any bytes as a ruleset file and as a region file: findings, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static epil::Config config = epil::Config::embedded();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  epil::Findings findings;
  if (auto rs = epil::load_ruleset(text, "fuzz.yaml", findings)) {
    auto compiled = epil::compile(*rs, {}, "", findings);
    (void)compiled;
  }
  auto region = epil::load_region(text, "fuzz.yaml", config.rulesets(), findings);
  (void)region;
  return 0;
}
