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

namespace {

std::string wide_csv(int extra_columns) {
  std::string text = "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额";
  for (int i = 0; i < extra_columns; ++i) text += ",c" + std::to_string(i);
  text += "\n广西,水污染,否,否,2025-06-01,3500";
  for (int i = 0; i < extra_columns; ++i) text += ",x";
  return text + "\n";
}

}  // namespace

TEST_CASE("batch: columns are capped, and columns no field reads cost a worker nothing") {
  Scratch s;
  const std::string in = s.write("wide.csv", wide_csv(20000));
  auto r = run("batch " + in + " --as-of 2026-11-28 --lang en -o -");
  CHECK(r.code == 1);
  CHECK(has(r.out, "expected at most 16384 columns (limit columns"));
  CHECK(has(r.out, "--limit columns=N"));
  // Raised, the file is screened; the summary lists the first unmatched columns and counts
  // the rest. Under 1 GB of address space with two workers: each worker's per-column state
  // was over 1 KB a column before. (AddressSanitizer needs more address space than any cap.)
#if defined(__SANITIZE_ADDRESS__)
  const std::string cap = "true";
#else
  const std::string cap = "ulimit -v 1000000";
#endif
  auto ok = epil::testing::run_shell(cap + "; '" + std::string(EPIL_BINARY) +
                                     "' --limit columns=30000 batch " + in +
                                     " --as-of 2026-11-28 --lang en --threads 2 -o " +
                                     s.path("o.csv") + " 2>&1");
  CHECK(ok.code == 0);
  CHECK(has(ok.out, "and 19980 more"));
  CHECK(has(read_bytes(s.path("o.csv")), "suit"));
}

TEST_CASE("batch: --threads is capped at the cores, and a small file needs little memory") {
#if defined(__SANITIZE_ADDRESS__)
  return;  // address-space caps: AddressSanitizer reserves more than any of them
#endif
  Scratch s;
  const std::string src = std::string(EPIL_SOURCE_DIR) + "/examples/cases.csv";
  // 100,000 threads would reserve 800 GB of stacks; capped, this runs in 1 GB.
  auto r = epil::testing::run_shell("ulimit -v 1000000; '" + std::string(EPIL_BINARY) +
                                    "' batch " + src + " --as-of 2026-11-28 --threads 100000 -o " +
                                    s.path("a.csv") + " 2>&1");
  CHECK(r.code == 0);
  // Room for remembered shapes is reserved in proportion to the input: 14 rows run in 64 MB
  // of address space (about 100 MB were reserved before, whatever the file).
  auto small = epil::testing::run_shell("ulimit -v 65536; '" + std::string(EPIL_BINARY) +
                                        "' batch " + src + " --as-of 2026-11-28 -o " +
                                        s.path("b.csv") + " 2>&1");
  CHECK(small.code == 0);
  CHECK(read_bytes(s.path("a.csv")) == read_bytes(s.path("b.csv")));
}

TEST_CASE("batch: one bad byte in a UTF-8 file is reported where the UTF-8 went wrong") {
  Scratch s;
  const std::string in = s.write("bad.csv", "地区,损害类型\n广西,水\xff污染\n");
  auto r = run("batch " + in + " --as-of 2026-11-28 --lang en -o -");
  CHECK(r.code == 1);
  // Before: the file was read as GB18030 and its header refused as mojibake ("line 1").
  CHECK(has(r.out, "bad.csv:2:2"));
  CHECK(has(r.out, "line 2, byte offset 30: expected text in UTF-8"));
  CHECK(has(r.out, "read as UTF-8 because"));
  CHECK_FALSE(has(r.out, "missing-column"));
  // A file that is neither says where UTF-8 failed too.
  const std::string gb = s.write("gb.csv", "\xb5\xd8\xc7\xf8,\xcb\xf0\xba\xa6\xc0\xe0\xd0\xcd\n"
                                           "\xb9\xe3\xce\xf7,\xff\xff\n");
  auto r2 = run("batch " + gb + " --as-of 2026-11-28 --lang en -o -");
  CHECK(r2.code == 1);
  CHECK(has(r2.out, "not valid GB18030"));
  CHECK(has(r2.out, "not valid UTF-8 either: line 1, byte offset 0"));
}

TEST_CASE("credit grade: a fixed-period listing that ended long ago is to be deleted") {
  auto r = run("credit grade --ground 第二项 --decided 2020-05-10 --as-of 2026-11-28 --debtor 自然人 "
               "--age 40 --lang en");
  CHECK(r.code == 0);
  CHECK(has(r.out, "Outcome: to be deleted from the list (to_delete)"));
  CHECK(has(r.out, "listing period ends: 2022-05-10"));
  CHECK(has(r.out, "due by: 2022-05-13"));
  CHECK_FALSE(has(r.out, "Outcome: listed"));
  // Without the debtor's type and age, listing is not said either: deletion stays possible.
  auto open = run("credit grade --ground '(二)' --decided 2020-05-10 --as-of 2026-11-28 --lang en");
  CHECK(open.code == 0);
  CHECK(has(open.out, "to be deleted from the list"));
  CHECK_FALSE(has(open.out, "Outcome: listed"));
}

TEST_CASE("batch: a huge bad cell is quoted in at most 80 characters") {
  Scratch s;
  const std::string in = s.write(
      "big.csv", "地区,损害类型,区域性生态影响,长期潜在风险,行为发生日期,损害数额\n"
                 "广西,水污染,否,否,2025-06-01," + std::string(2 << 20, 'x') + "\n");
  auto r = epil::testing::run_shell("'" + std::string(EPIL_BINARY) + "' batch '" + in +
                                    "' --as-of 2026-11-28 --lang en -o /dev/null --to csv 2>&1 >/dev/null");
  CHECK(r.code == 3);
  CHECK(has(r.out, std::string(80, 'x') + "…"));
  CHECK_FALSE(has(r.out, std::string(81, 'x')));
  CHECK(r.out.size() < 4000);  // the summary and one row's message, not the 2 MB cell
}

TEST_CASE("batch: an input refused is an input error (exit 1) whatever the file is called") {
  // The exit code once came from whether a finding's file name held ".yaml": a spreadsheet
  // called cases.yaml.csv with a bad header ended as a configuration error (2).
  Scratch s;
  const std::string in = s.write("cases.yaml.csv",
                                 "地区,损害类型,损害数额（吨）\n广西,水污染,3\n");
  auto r = run("batch " + epil::testing::q(in) + " --as-of 2026-11-28 --lang en -o " +
               epil::testing::q(s.path("out.csv")));
  CHECK(has(r.out, "unit-mismatch"));
  CHECK(r.code == 1);
}
