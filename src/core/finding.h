// Problems found in configuration and input files, collected as values with a position.
// The library never throws them one at a time; a front end maps them to exit codes by where
// they come from (Origin), never by the name of the file.
#pragma once

#include <string>
#include <vector>

namespace epil {

enum class Severity { kError, kWarning, kNote };

/// What a problem is in: the case or spreadsheet a user gave (and the command line), or the
/// configuration, the rules and regions an authority maintains. The exit code says which.
enum class Origin { kInput, kConfiguration };

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
  Origin origin = Origin::kInput;

  std::string format(bool zh = false) const;
};

/// Collects findings; `ok()` while no error has been added.
class Findings {
 public:
  /// `origin`: of the findings error() and warning() add (add() and append() keep theirs).
  explicit Findings(Origin origin = Origin::kInput) : origin_(origin) {}
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
  /// Whether an error comes from `origin`.
  bool has_error_from(Origin origin) const;

 private:
  std::vector<Finding> items_;
  Origin origin_;
};

}  // namespace epil
