// libFuzzer target: value normalisation reads spreadsheet cells typed by people; any bytes
// must give a value or nothing, never a crash or an out-of-bounds read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.h"
#include "io/normalize.h"

namespace {

// Every unit the shipped tree describes (units.yaml), a unit it does not (人: its own name is
// its only suffix) and none.
const std::vector<epil::UnitDef>& units() {
  static const std::vector<epil::UnitDef> all = [] {
    std::vector<epil::UnitDef> u = epil::Config::embedded().units().units;
    u.push_back(epil::UnitDef::named_only("人"));
    u.push_back(epil::UnitDef::named_only(""));
    return u;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)epil::fold_key(text);
  (void)epil::io::is_unknown_text(text);
  (void)epil::io::parse_bool(text);
  for (const epil::UnitDef& unit : units()) (void)epil::io::parse_number(text, unit);
  (void)epil::io::parse_date(text);
  return 0;
}
