// Problems found in configuration and input files, collected as values with a position.
// The library never throws them one at a time; `cli/` maps them to exit codes.
#pragma once

#include <string>
#include <vector>

namespace epil {

enum class Severity { kError, kWarning, kNote };

/// One problem: "regions/guangxi.yaml:14:9: error[value-range]: …". Lines and columns are
/// 1-based; 0 means the position is not known (a whole file, a missing file).
struct Finding {
  std::string code;  // stable machine-readable code, e.g. "unknown-field", "dates-unsorted"
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;     // English sentence
  std::string message_zh;  // 中文 sentence

  std::string format(bool zh = false) const;
};

/// Collects findings; `ok()` while no error has been added.
class Findings {
 public:
  void add(Finding f) { items_.push_back(std::move(f)); }
  void error(std::string code, std::string file, int line, int column, std::string en,
             std::string zh);
  void warning(std::string code, std::string file, int line, int column, std::string en,
               std::string zh);
  bool ok() const;
  int error_count() const;
  int warning_count() const;
  const std::vector<Finding>& items() const { return items_; }
  void append(const Findings& other);

 private:
  std::vector<Finding> items_;
};

}  // namespace epil
