// What the text, brief and HTML reports of one case say alike: a test's result in words, a
// threshold's name and its full citation, why a result cannot be decided, and the numbering
// that cites each threshold once. Internal to src/io's reports.
#pragma once

#include <string>
#include <vector>

#include "core/explain.h"
#include "core/text.h"

namespace epil::io {

/// "是" / "yes", "否" / "no", "无法判断" / "unknown", "不适用" / "not applicable".
Text result_text(TestResult r);
/// ✓ ✗ ? –
const char* result_mark(TestResult r);

/// "数额标准[水污染]": the threshold's label (its key if none) and its enum value.
std::string threshold_name(const ThresholdUse& t, Lang lang);
/// The name and value: "数额标准[水污染] = 3,000 元"; a threshold not set says so.
std::string threshold_short(const ThresholdUse& t, Lang lang);
/// Everything a reader checks: value, region, source, status, dates, file:line.
std::string threshold_line(const ThresholdUse& t, Lang lang);

class Citations;
/// A test's comparisons and thresholds as a report shows them: each comparison's sentence with
/// the number of the threshold it compared against, then the thresholds no comparison named
/// ("标准：name = value [n]"). A threshold not set matters where the test failed or could not be
/// decided; beside a test that passed it is noise, and is left out.
std::vector<std::string> test_threshold_lines(const ReasonLine& r, Lang lang, Citations& cites);

/// Why something cannot be decided although no fact (or not only a fact) is missing: a heading
/// and one line per reason; empty when there is none.
std::vector<std::string> pending_lines(const Explanation& e, Lang lang);

/// A reported value in few words: an open date (in a year whose holiday arrangement is not
/// shipped) is "不早于 2027-05-10（2027 年节假日安排未收录）"; open_dates_note() says why, once.
std::string short_value(const InputUse& v, Lang lang);
/// The note on the open dates among the results, or empty when there is none.
std::string open_dates_note(const Explanation& e, Lang lang);

/// "给出但不确定、未作为事实：生态环境损害数额 = 约 3,000 元（约数）", or empty when the case gave
/// no estimate or partial date.
std::string imprecise_line(const Explanation& e, Lang lang);

/// The given facts and the facts not given among a test's `inputs`; derived values are the
/// rules' own steps, not facts (the facts they rest on are listed in their place).
void split_facts(const std::vector<InputUse>& inputs, std::vector<InputUse>& given,
                 std::vector<InputUse>& not_given);

/// A list of facts as "label = value" joined for `lang`, the defaulted ones marked.
std::string facts_text(const std::vector<InputUse>& facts, Lang lang, bool mark_defaulted);
/// Labels joined for `lang`: "a；b" / "a; b".
std::string labels_text(const std::vector<InputUse>& facts, Lang lang);

/// The thresholds a report cites, each once: a number where a test or an output uses it,
/// the whole citation once, in the list at the end. A threshold not set has no number (there
/// is nothing to cite; its line says so where it is used).
class Citations {
 public:
  /// t's number from 1, given at its first mention; 0 for a threshold not set.
  int number(const ThresholdUse& t);
  /// " [n]", or empty for a threshold not set.
  std::string mark(const ThresholdUse& t);
  const std::vector<const ThresholdUse*>& cited() const { return cited_; }

 private:
  std::vector<const ThresholdUse*> cited_;
};

}  // namespace epil::io
