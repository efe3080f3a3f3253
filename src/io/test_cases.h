// Region test files (regions/*.test.yaml): cases with inputs, a region, dates and the
// expected outcome, reasons, missing facts, outputs and advisories, so that an authority
// can prove its region file the way OpenFisca's YAML tests prove a parameter change.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/finding.h"
#include "core/limits.h"

namespace epil::io {

struct TestCaseResult {
  std::string name;
  std::string file;
  int line = 0;
  bool passed = false;
  std::vector<std::string> failures;  // one sentence per unmet expectation
};

struct TestFileReport {
  std::vector<TestCaseResult> cases;
  Findings findings;  // the file itself could not be read as a test file
};

/// Runs every case of one test file. `today` is the review date when a case gives none.
/// `limits`: mapping-keys, cell-bytes and file-bytes (for aliases) of its YAML.
TestFileReport run_test_file(Config& config, const std::string& path, std::string_view text,
                             Date today, const Limits& limits = Limits{});

}  // namespace epil::io
