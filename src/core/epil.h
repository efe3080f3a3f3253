// The front door: the whole lifecycle of a screening, and the one call that runs it.
//
//   load      Config config = io::read_config_tree(dir);    // thresholds/, regions/ → rulesets
//   check     config.check(today);                          // findings with file:line:column
//   compile   const CompiledRuleset* program =               // ruleset + region chain →
//                 config.compiled(*config.ruleset("epil"),   //   flat program, parameters
//                                 *config.find_region("广西")); //   resolved into dated epochs
//   evaluate  program->evaluate(inputs, as_of, strict, workspace, decision);
//   explain   Explanation e = explain(*program, workspace, decision, inputs, defaulted, as_of);
//
// Many cases (batch screening) evaluate once per shape: program->prepare_shape(inputs, …, key),
// then ShapeIndex::find(); a case of a new shape is evaluated with Workspace::trace_into() on
// and ShapeIndex::add()ed (core/shape_index.h).
//
// Evaluation touches neither strings nor YAML: inputs are `Value`s in the ruleset's field
// order (io/case_input.h reads them from flags, files and spreadsheet cells).
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/date.h"
#include "core/explain.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/program.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/shape_index.h"
#include "core/value.h"

namespace epil {

struct ScreenOptions {
  Date as_of;                       // the review date when the case gives none
  bool strict = false;              // a date before a parameter's first value is an error
  const Region* overlay = nullptr;  // a named overlay applied on top of the region's chain
  /// The place as the case gave it when it named an administrative division rather than a
  /// region ("桂林市兴安县"): the result shows it beside the region it was screened under.
  std::string place;
  /// That division's province when the tree has no region for it: the root's rules applied.
  std::string place_province_without_region;
};

struct ScreenResult {
  bool ok = false;  // false: configuration errors in `findings`, no decision
  Findings findings;
  Decision decision;
  Explanation explanation;
  // A date input that may not lie after the review date (fields' not_after_review) does: an
  // input error, like Decision::conduct_after_review. The field, or -1.
  int late_input = -1;
};

/// Compiles (cached in `config`), evaluates and explains one case.
ScreenResult screen(Config& config, const Ruleset& rs, const Region& region,
                    const std::vector<Value>& inputs, const std::vector<uint8_t>& defaulted,
                    const std::string& case_id, const ScreenOptions& options);

/// Today's date in China Standard Time (UTC+8): the review date's default.
Date today_in_china();

}  // namespace epil
