#include "core/epil.h"

#include <chrono>

namespace epil {

ScreenResult screen(Config& config, const Ruleset& rs, const Region& region,
                    const std::vector<Value>& inputs, const std::vector<uint8_t>& defaulted,
                    const std::string& case_id, const ScreenOptions& options) {
  ScreenResult r;
  const CompiledRuleset* program = config.compiled(rs, region, options.overlay);
  if (!program) {
    r.findings.append(config.compile_findings());
    return r;
  }
  Workspace ws;
  program->evaluate(inputs.data(), options.as_of, options.strict, ws, r.decision);
  r.explanation = explain(*program, ws, r.decision, inputs, defaulted, options.as_of);
  r.explanation.case_id = case_id;
  r.ok = true;
  return r;
}

Date today_in_china() {
  using namespace std::chrono;
  auto now = floor<days>(system_clock::now() + hours(8));
  return Date::from_days(static_cast<int32_t>(now.time_since_epoch().count()));
}

}  // namespace epil
