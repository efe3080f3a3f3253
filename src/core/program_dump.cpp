// CompiledRuleset::dump(): what a ruleset compiled to for a region chain, for people reading
// it (`epil regions show REGION --program`) and for the golden dumps in tests/data/programs/.
#include <fmt/format.h>

#include "core/program.h"
#include "core/text.h"

namespace epil {

namespace {

std::string constant_text(const Value& v) {
  switch (v.kind) {
    case Value::kUnknown:
      return "unknown";
    case Value::kBool:
      return v.b ? "true" : "false";
    case Value::kNumber:
      return format_plain(v.num);
    case Value::kDate:
      return Date::from_days(v.date).iso();
    case Value::kEnum:
      return fmt::format("enum value {}", v.enum_index);
    case Value::kString:
      return fmt::format("'{}'", std::string_view(v.str, v.len));
  }
  return "?";
}

}  // namespace

std::string CompiledRuleset::slot_name(int slot) const {
  if (slot < n_fields_) return rs_->fields[slot].key;
  return rs_->tests[slot - n_fields_].key;
}

std::string CompiledRuleset::cell_name(int cell) const {
  const int p = param_of_cell(cell);
  const ParamDef& param = rs_->params[p];
  if (param.index_enum < 0) return param.key;
  const int value = cell - param_base_[p];
  return fmt::format("{}[{}]", param.key, rs_->enums[param.index_enum].values[value].key);
}

std::string CompiledRuleset::node_text(int i) const {
  const Node& n = nodes_[i];
  std::string out = fmt::format("n{:<4} {:<20}", i, op_info(n.op).name);
  switch (n.operands()) {
    case Operands::kConstant:
      out += constant_text(n.constant());
      break;
    case Operands::kSlot:
      out += fmt::format("s{} {}", n.slot(), slot_name(n.slot()));
      break;
    case Operands::kCell:
      out += fmt::format("c{} {}", n.cell(), cell_name(n.cell()));
      break;
    case Operands::kIndexedCell:
      out += fmt::format("c{}.. {} by n{}", n.cell(), rs_->params[param_of_cell(n.cell())].key,
                         n.index());
      break;
    case Operands::kNodes:
      for (int k = 0; k < 3 && n.operand(k) >= 0; ++k) {
        out += fmt::format("{}n{}", k ? " " : "", n.operand(k));
      }
      break;
    case Operands::kMask:
      out += fmt::format("n{} values {:#x}", n.operand(0), n.values());
      break;
    case Operands::kArgRange:
      for (int k = 0; k < n.arg_count(); ++k) {
        out += fmt::format("{}n{}", k ? " " : "", args_[n.first_arg() + k]);
      }
      break;
    case Operands::kWritten:
      out += "(not a program op)";
      break;
  }
  if (n.observed) out = fmt::format("{:<56} observed", out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string CompiledRuleset::dump() const {
  std::string out = fmt::format("program {} for {}", rs_->id, region_->id);
  if (overlay_) out += fmt::format(" under {}", overlay_->id);
  out += fmt::format(": {} nodes, {} epochs{}\n", nodes_.size(), epochs_.size(),
                     uses_calendar_ ? ", reads the holiday calendars" : "");
  out += "slots\n";
  for (int s = 0; s < n_fields_ + static_cast<int>(rs_->tests.size()); ++s) {
    out += fmt::format("  s{:<4} {:<28}", s, slot_name(s));
    if (s < n_inputs_) {
      out += "input";
    } else if (s < n_fields_) {
      out += fmt::format("derived = n{}", slot_root_[s]);
    } else {
      const TestCode& t = tests_[s - n_fields_];
      out += fmt::format("test = n{}", t.root);
      if (t.applies >= 0) out += fmt::format(" (expr n{}, applies n{})", t.expr, t.applies);
    }
    if (s < n_inputs_ && withheld_when_[s] >= 0) {
      out += fmt::format(", default withheld when n{}", withheld_when_[s]);
    }
    out += "\n";
  }
  out += "parameter cells\n";
  const int cells = epochs_.empty() ? 0 : static_cast<int>(epochs_[0].cells.size());
  for (int c = 0; c < cells; ++c) out += fmt::format("  c{:<4} {}\n", c, cell_name(c));
  out += "epochs from\n";
  for (const Epoch& e : epochs_) {
    out += e.start == INT32_MIN ? "  the beginning\n"
                                : fmt::format("  {}\n", Date::from_days(e.start).iso());
  }
  out += "nodes\n";
  for (int i = 0; i < static_cast<int>(nodes_.size()); ++i) out += "  " + node_text(i) + "\n";
  out += "decisions, in order\n";
  for (size_t d = 0; d < decisions_.size(); ++d) {
    const RuleEntry& rule = rs_->decisions[d];
    out += fmt::format("  {} → {}: {}\n", rule.id, rule.value,
                       decisions_[d].node < 0 ? "always" : fmt::format("n{}", decisions_[d].node));
  }
  return out;
}

}  // namespace epil
