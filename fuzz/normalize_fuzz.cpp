// libFuzzer target: value normalisation reads spreadsheet cells typed by people; any bytes
// must give a value or nothing, never a crash or an out-of-bounds read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)epil::fold_key(text);
  (void)epil::io::is_unknown_text(text);
  (void)epil::io::parse_bool(text);
  for (const char* unit : {"元", "t", "kg", "m3", "mu", "times", "%", ""}) {
    (void)epil::io::parse_number(text, unit);
  }
  (void)epil::io::parse_date(text);
  return 0;
}
