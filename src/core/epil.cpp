#include "core/epil.h"

#include <chrono>

#include "core/messages.h"

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
  r.late_input = rs.late_dates().first_late(inputs.data(), options.as_of);
  r.explanation = explain(*program, ws, r.decision, inputs, defaulted, options.as_of);
  r.explanation.case_id = case_id;
  // A province without values of its own takes the national rules, said so; that says
  // something only of a ruleset regions set values of (not of the credit rules, national law).
  const Region& own = program->region();
  if (!own.extends.empty() && !own.parameters.count(rs.id) && config.regional(rs)) {
    r.explanation.region_without_own_values = true;
    r.explanation.region_note = own.note;
  }
  r.explanation.place = options.place;
  if (!options.place_province_without_region.empty()) {
    r.explanation.place_note =
        message(Msg::kPlaceUnconfigured, options.place_province_without_region);
  }
  r.ok = true;
  return r;
}

Date today_in_china() {
  using namespace std::chrono;
  auto now = floor<days>(system_clock::now() + hours(8));
  return Date::from_days(static_cast<int32_t>(now.time_since_epoch().count()));
}

}  // namespace epil
