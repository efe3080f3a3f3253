// Linked with every object of epil_core and nothing of epil_io (CMakeLists.txt): the build
// fails here if the core calls into io. Run, it compiles the environmental ruleset for the
// national region from the embedded tree: the core alone is enough to get a program.
#include "core/config.h"
#include "core/epil.h"

int main() {
  epil::Config config = epil::Config::embedded("epil");
  const epil::Ruleset* rs = config.ruleset("epil");
  const epil::Region* region = config.find_region("national");
  if (rs == nullptr || region == nullptr) return 1;
  return config.compiled(*rs, *region) != nullptr ? 0 : 1;
}
