// libFuzzer target: the expression parser and checker must turn any text into either a
// tree or findings, never a crash. Build with -DEPIL_FUZZ=ON and clang; see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.h"
#include "core/expr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static epil::Config config = epil::Config::embedded();
  static epil::RulesetScope scope(*config.ruleset("epil"));
  std::string_view text(reinterpret_cast<const char*>(data), size);
  epil::Findings findings;
  auto e = epil::parse_expression(text, {"fuzz", 1, 1}, findings);
  if (e) epil::check_expression(*e, scope, {}, "fuzz", findings);
  return 0;
}
