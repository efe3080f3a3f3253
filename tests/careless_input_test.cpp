// Issue 12: spreadsheets typed by hand and run carelessly. A row read wrong in silence is a
// wrong verdict; each case here was one before its fix.
#include <doctest/doctest.h>

#include <string>

#include "cli_support.h"

using epil::testing::has;
using epil::testing::read_bytes;
using epil::testing::run;
using epil::testing::Scratch;

namespace {

const char* kWideRow =
    "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额,备注\n"
    "广西,水污染,否,否,2025-06-01,3,500,偷排\n"
    "广西,水污染,否,否,2025-06-01,3500,偷排\n";

}  // namespace

TEST_CASE("batch: a row wider than the header is an error row, and no column shifts") {
  Scratch s;
  const std::string in = s.write("u.csv", kWideRow);
  for (const char* ext : {"csv", "tsv"}) {
    CAPTURE(ext);
    const std::string out = s.path(std::string("r.") + ext);
    auto r = run("batch " + in + " --as-of 2026-11-28 --lang en --force -o " + out);
    CHECK(r.code == 3);  // some rows could not be read
    CHECK(has(r.out, "row 2"));
    CHECK(has(r.out, "1 cell more than the header's 7 columns ('偷排')"));
    CHECK(has(r.out, "thousands separator"));
    const std::string text = read_bytes(out);
    const char sep = ext[0] == 't' ? '\t' : ',';
    // Every line has as many cells as the header line (no cell holds a separator here).
    size_t start = 0;
    int lines = 0, header_cells = -1;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      std::string line = text.substr(start, end - start);
      start = end == std::string::npos ? text.size() : end + 1;
      if (line.empty()) continue;
      int cells = 1, quoted = 0;
      for (char c : line) {
        if (c == '"') quoted ^= 1;
        if (c == sep && !quoted) ++cells;
      }
      if (header_cells < 0) header_cells = cells;
      CHECK(cells == header_cells);
      ++lines;
    }
    CHECK(lines == 3);
    CHECK(has(text, "error"));
    CHECK_FALSE(has(text, "\n广西,水污染,否,否,2025-06-01,3,500,偷排,exempt"));
  }
}

TEST_CASE("batch: a header with its unit in brackets is the field, read in that unit") {
  Scratch s;
  const std::string in = s.write(
      "w.csv",
      "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额（万元）,备注\n"
      "广西,水污染,否,否,2025-06-01,0.5,偷排\n"      // 5,000 元: over Guangxi's 3,000
      "广西,水污染,否,否,2025-06-01,2000元,偷排\n"   // its own unit kept: 2,000 元
      "广西,水污染,否,否,2025-06-01,0.2,偷排\n");    // 2,000 元
  const std::string out = s.path("r.csv"), json = s.path("r.json");
  auto r = run("batch " + in + " --as-of 2026-11-28 --lang en -o " + out + " --summary-json " +
               json);
  CHECK(r.code == 0);
  const std::string text = read_bytes(out);
  CHECK(has(text, "0.5,偷排,suit"));
  CHECK(has(text, "2000元,偷排,exempt"));
  CHECK(has(text, "0.2,偷排,exempt"));
  // The columns no field reads are listed, in the text and the JSON summary.
  CHECK(has(r.out, "columns not matched to any field"));
  CHECK(has(r.out, "column 7 '备注'"));
  CHECK(has(read_bytes(json), "\"unmatched_columns\""));
  CHECK(has(read_bytes(json), "\"header\": \"备注\""));

  for (const char* other : {"生态环境损害数额（元）", "损害数额(万元)", "损害数额[万元]"}) {
    CAPTURE(other);
    const std::string in2 = s.write("w2.csv", std::string("地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,") +
                                                  other + "\n广西,水污染,否,否,2025-06-01,0.9\n");
    auto r2 = run("batch " + in2 + " --as-of 2026-11-28 --lang en -o -");
    CHECK(r2.code == 0);
    CHECK_FALSE(has(r2.out, "not matched"));
  }
  // A unit that does not fit the field is refused before any row, not read as 元.
  const std::string bad = s.write(
      "w3.csv", "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额（吨）\n"
                "广西,水污染,否,否,2025-06-01,5\n");
  auto r3 = run("batch " + bad + " --as-of 2026-11-28 --lang en -o -");
  CHECK(r3.code == 1);
  CHECK(has(r3.out, "unit-mismatch"));
  CHECK(has(r3.out, "column 6"));
}
