// libFuzzer target: the expression parser and checker must turn any text into either a
// tree or findings, never a crash. Build with -DEPIL_FUZZ=ON and clang; see fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/config.h"
#include "core/expr.h"

namespace {

// The shipped ruleset's names, so that checking reaches types, enums and indexing.
class RulesetScope : public epil::Scope {
 public:
  explicit RulesetScope(const epil::Ruleset& rs) : rs_(rs) {}
  epil::Symbol lookup(std::string_view name) const override {
    epil::Symbol s;
    if (int f = rs_.find_field(name); f >= 0) {
      s = {epil::SymbolKind::kField, f, rs_.fields[f].type, rs_.fields[f].unit, -1};
    } else if (int p = rs_.find_param(name); p >= 0) {
      s = {epil::SymbolKind::kParam, p, rs_.params[p].type, rs_.params[p].unit,
           rs_.params[p].index_enum};
    } else if (int t = rs_.find_test(name); t >= 0) {
      s = {epil::SymbolKind::kTest, t, {epil::BaseType::kBool}, "", -1};
    }
    return s;
  }
  int enum_value(int id, std::string_view key) const override {
    return id >= 0 && id < static_cast<int>(rs_.enums.size()) ? rs_.enums[id].find(key) : -1;
  }
  std::string enum_name(int id) const override {
    return id >= 0 && id < static_cast<int>(rs_.enums.size()) ? rs_.enums[id].name : "?";
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> n;
    for (const auto& f : rs_.fields) n.push_back(f.key);
    return n;
  }

 private:
  const epil::Ruleset& rs_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static epil::Config config = epil::Config::embedded();
  static RulesetScope scope(*config.ruleset("epil"));
  std::string_view text(reinterpret_cast<const char*>(data), size);
  epil::Findings findings;
  auto e = epil::parse_expression(text, {"fuzz", 1, 1}, findings);
  if (e) epil::check_expression(*e, scope, {}, "fuzz", findings);
  return 0;
}
