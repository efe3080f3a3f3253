// Explanation: the decision of one case, line by line: every test with its inputs, the
// threshold it used (value, region, file, line, source, status, date in force), its result
// and margin; the missing facts; advisories; which date's thresholds were used and why.
// Built once per shown case from the evaluator's workspace; never on the batch hot path.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/program.h"
#include "core/text.h"

namespace epil {

/// A value as a person reads it: "2,800 元", "是", "水污染", "2025-06-01", "未提供".
Text show_value(const Value& v, const Ruleset& rs, int enum_id, const Text& unit);
/// The same in one language.
std::string show_value(const Value& v, const Ruleset& rs, int enum_id, const Text& unit, Lang lang);

struct InputUse {
  std::string field;
  Text label;
  Value value;
  std::string code;  // enum key or ISO date, for machines; empty for other values
  Text shown;
  bool defaulted = false;
  bool derived = false;
};

struct ThresholdUse {
  int cell = -1;  // the parameter cell, to match comparisons with their threshold
  std::string param;
  Text label;
  std::string index;  // enum key for indexed parameters
  Text index_label;
  Value value;
  Text shown;
  std::string unit;
  const Provenance* provenance = nullptr;  // null when not set
  bool before_values = false;
  std::optional<Date> first_since;  // before_values: the day its first value takes effect
};

/// A numeric comparison of an input against a threshold, with its margin.
struct Comparison {
  double value = 0, threshold = 0;
  double margin = 0;                         // value − threshold
  const char* op = "";                       // <=, <, >=, >
  int threshold_cell = -1;                   // the parameter cell compared against
  int value_node = -1, threshold_node = -1;  // the program's nodes compared
  std::string unit;
  Text unit_label;
  Text sentence;  // "2,800 元，低于 3,000 元 标准 200 元" / "2,800 元, 200 元 under the …"
};

enum class TestResult { kTrue, kFalse, kUnknown, kNotApplicable };
const char* test_result_key(TestResult r);

struct ReasonLine {
  std::string test;
  Text label;
  TestResult result = TestResult::kUnknown;
  std::vector<InputUse> inputs;
  std::vector<ThresholdUse> thresholds;
  std::vector<Comparison> comparisons;
};

/// What a headline value rests on that its reader must check: a threshold whose status is
/// `reported`, `proposed` or `example` (not current law as published), or a default declared
/// harsher for the person (fields' default_harsher).
struct Caveats {
  bool reported = false, proposed = false, example = false;
  std::vector<int> defaults;  // fields
  bool empty() const { return !reported && !proposed && !example && defaults.empty(); }
};

struct OutputLine {
  std::string key;
  Text label;
  bool applies = false;
  std::string value;  // key, empty if undetermined
  Text value_label;
  std::vector<std::string> candidates;
  std::vector<InputUse> missing;         // facts that would decide an undetermined value
  Text reason;                           // the reason of the rule that decided it
  std::vector<ThresholdUse> thresholds;  // the thresholds that rule read
  Caveats rests_on;                      // of the value, when decided
  Text caveat;                           // the same in words, or empty
};

/// The outcome's: the thresholds and harsher defaults the decisions walked read (the branches
/// taken, as evaluation went).
Caveats outcome_caveats(const CompiledRuleset& program, const Workspace& ws, const Decision& d);
/// Output `o`'s decided value's, the same way over its rules.
Caveats output_caveats(const CompiledRuleset& program, const Workspace& ws, const Decision& d,
                       size_t o);
/// A derived value's (a reported result): what its definition read.
Caveats value_caveats(const CompiledRuleset& program, const Workspace& ws, int slot);
/// "（依据报道数值，须核实）" / " (rests on a reported value: check it)"; empty when none.
Text caveat_text(const CompiledRuleset& program, const Workspace& ws, const Caveats& c);
/// The same as keys, for tests and JSON: "example", "reported", "proposed", "default:FIELD".
std::vector<std::string> caveat_keys(const Ruleset& rs, const Caveats& c);

/// A value the ruleset reports beside the outcome (Ruleset::results).
struct ResultLine {
  std::string key;  // the field
  Text label;
  InputUse value;                 // the value, shown; derived and unknown: "无法判断"
  std::vector<InputUse> missing;  // facts it waits for, when unknown
  Text note;                      // its basis
  Caveats rests_on;               // what the value rests on that must be checked…
  Text caveat;                    // …in words, or empty
};

/// A default not assumed because another fact contradicts it (fields' not_assumed_when).
struct WithheldDefault {
  InputUse field;  // shown as unknown
  Text default_shown;
  Text reason;
};

struct Explanation {
  std::string case_id;
  std::string ruleset;
  Text ruleset_name;
  std::string region;
  Text region_name;
  std::string overlay;  // the named overlay applied on top of the region, or empty
  Text overlay_name;
  std::string outcome;
  Text outcome_label;
  Caveats outcome_rests_on;
  Text outcome_caveat;  // "（依据示例数值，须核实）", or empty
  // The region sets nothing of its own for this ruleset while others do: the national rules
  // apply to it; and what its file says of the province's rules (found, not yet checked…).
  // Set by screen(), which knows the other regions.
  bool region_without_own_values = false;
  Text region_note;
  // The place as the case gave it, when it named an administrative division ("桂林市兴安县")
  // rather than the region; and, when the tree has no region for its province, that the
  // national rules applied. Set by screen().
  std::string place;
  Text place_note;
  std::vector<std::string> candidates;
  std::vector<Text> candidate_labels;
  std::string decided_by;
  Text decided_reason;
  // The tests the deciding entry read, in the order evaluation read them (its `when`, the
  // operands that decided it, the tests within them); then those the entries before it read,
  // each of which was false (no override applies): what the outcome rests on. Tests that do
  // not apply are left out.
  std::vector<std::string> deciding_tests;
  std::vector<std::string> earlier_tests;
  Text summary;  // decision_summary(): the sentence a batch row's explanation column holds
  std::vector<OutputLine> outputs;
  std::vector<ResultLine> results;  // those reported for the outcome
  std::vector<ReasonLine> reasons;
  std::vector<InputUse> facts;  // the inputs the case gave, normalised, in the ruleset's order
  // Inputs given only as an estimate (约3000元) or in part (2025年6月): not facts to decide on,
  // so unknown to the rules; shown as given.
  std::vector<InputUse> imprecise;
  std::vector<InputUse> missing;
  std::vector<InputUse> assumed;          // inputs filled from their declared default
  std::vector<WithheldDefault> withheld;  // defaults not assumed
  // Why the outcome (or an output) is undetermined besides missing facts: thresholds with no
  // value in force on the date, and period ends in years whose holiday calendar is not shipped.
  std::vector<ThresholdUse> pending;
  bool pending_calendar = false;
  bool pending_arithmetic = false;  // arithmetic on the facts has no finite result
  std::vector<std::pair<std::string, Text>> advisories;
  Date review_date;  // the review field's value, else the --as-of date (today by default)
  Date thresholds_date;
  TemporalChoice temporal = TemporalChoice::kConductDate;
  std::string temporal_rule;
  Text temporal_sentence;
  bool before_values = false;
  bool strict_error = false;
  std::string fingerprint;
};

/// A numeric comparison against a threshold, without text, in the tests the decision used (not
/// those it never needed): what a batch row shows of its thresholds and margins.
struct BriefComparison {
  int test = -1;
  int cell = -1;                             // the parameter cell compared against
  int value_node = -1, threshold_node = -1;  // the nodes compared
  double value = 0, threshold = 0, margin = 0;
  const char* op = "";
};
void brief_comparisons(const CompiledRuleset& program, const Workspace& ws, const Decision& d,
                       std::vector<BriefComparison>& out);

/// value − threshold as a margin is shown: binary noise rounded away (0.15 − 0.2 is −0.05).
double comparison_margin(double value, double threshold);

/// Advisory `a`'s message in `lang`, its {field} and {parameter} placeholders filled with the
/// values of the case last evaluated in `ws`, shown as the explanation shows them.
std::string advisory_message(const CompiledRuleset& program, const Workspace& ws, const Decision& d,
                             size_t a, Lang lang);

/// The same message split for filling case after case: texts, and the fields whose values go
/// between them. Parameters are filled in already: their values follow from d's epoch.
struct MessagePart {
  std::string text;
  int field = -1;  // the field shown after `text`, or -1
};
std::vector<MessagePart> advisory_parts(const CompiledRuleset& program, const Workspace& ws,
                                        const Decision& d, size_t a, Lang lang);
/// A threshold as a reader knows it: its label (its key if it has none), and the enum value
/// of an indexed one: "数额标准[水污染]".
Text threshold_name(const CompiledRuleset& program, int cell);

/// The one sentence that explains a decision in a row of a table, and in `epil screen`'s JSON
/// (Explanation::summary): the reason of the rule that decided; else the outcomes still
/// possible, the facts to give, and why it is undecided besides them (a threshold not in
/// force on the date, a period ending in a year without a holiday calendar, arithmetic
/// without a result). One function, so that a batch row and a screened case cannot say it
/// differently.
Text decision_summary(const CompiledRuleset& program, const Decision& d);

/// Field `field` of the case last evaluated in `ws` as the explanation shows it.
std::string shown_field(const CompiledRuleset& program, const Workspace& ws, int field, Lang lang);

/// Builds the explanation of `d`, which `program` just computed into `ws` from `inputs`.
/// `defaulted` marks inputs filled from defaults (may be empty).
Explanation explain(const CompiledRuleset& program, const Workspace& ws, const Decision& d,
                    const std::vector<Value>& inputs, const std::vector<uint8_t>& defaulted,
                    Date as_of);

}  // namespace epil
