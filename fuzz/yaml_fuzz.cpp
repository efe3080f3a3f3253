// libFuzzer target: any bytes as YAML give a tree or a ParseError, never a crash, a leak (an
// alias inside its own anchor) or a walk that does not end. The tree is walked whole, as a
// loader would, within small limits so that a slow input shows.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/yaml.h"

namespace {

// Every node of the tree, aliases expanded, as a loader would meet them.
uint64_t walk(const epil::yaml::Node& n) {
  uint64_t count = 1 + n.Scalar().size() % 2;
  for (const auto& item : n.items()) count += walk(item);
  for (const auto& [k, v] : n.entries()) count += walk(k) + walk(v);
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  epil::Limits limits;
  // The walk is bounded by the expansion limit, which is file_bytes values: 4,096 takes every
  // path of the expansion check (inputs are at most 4 KB in long runs) at a sixteenth of the
  // cost per input of 65,536.
  limits.file_bytes = 1 << 12;
  limits.mapping_keys = 100;
  limits.cell_bytes = 1 << 12;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = epil::yaml::parse(text, limits);
  if (auto* n = std::get_if<epil::yaml::Node>(&r)) (void)walk(*n);
  return 0;
}
