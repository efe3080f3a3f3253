// libFuzzer target: any bytes as a case file, read against both built-in rulesets (through a
// memfd, as a file is read), give inputs or findings, never a crash; an input that loads is
// screened once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/epil.h"
#include "fuzz_file.h"
#include "io/case_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static epil::Config config = epil::Config::embedded();
  const epil::fuzz::FuzzFile file(data, size);
  if (!file.ok()) return 0;
  const std::string path = file.path();
  epil::Limits limits;
  limits.mapping_keys = 200;
  static const std::vector<epil::io::FieldIndex> indexes = [] {
    std::vector<epil::io::FieldIndex> out;
    for (const epil::Ruleset& rs : config.rulesets()) out.emplace_back(rs);
    return out;
  }();
  for (size_t r = 0; r < config.rulesets().size(); ++r) {
    const epil::Ruleset& rs = config.rulesets()[r];
    const epil::io::FieldIndex& index = indexes[r];
    epil::Findings findings;
    auto input = epil::io::load_case_file(path, rs, index, findings, limits);
    if (!input) continue;
    input->apply_defaults(rs, index);
    const epil::Region* region = config.find_region(input->region.empty() ? "national"
                                                                           : input->region);
    if (region == nullptr) continue;
    epil::ScreenOptions options;
    options.as_of = *epil::Date::parse_iso("2025-06-01");
    (void)epil::screen(config, rs, *region, input->values, input->defaulted, input->case_id,
                       options);
  }
  return 0;
}
