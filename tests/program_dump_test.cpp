// Golden dumps of small rulesets (CompiledRuleset::dump): what the compiler emits for each
// kind of node, held against tests/data/programs/. A change to the compiler that changes a
// program shows here as a diff to read; if it is meant, EPIL_UPDATE_GOLDEN=1 rewrites the
// files (and the diff is reviewed with the change).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/config.h"
#include "core/program.h"
#include "io/config_tree.h"

namespace {

namespace fs = std::filesystem;

void check_golden(const char* tree, const char* ruleset, const char* region, const char* golden) {
  const fs::path root(EPIL_SOURCE_DIR);
  epil::Config config = epil::io::read_config_tree((root / tree).string());
  REQUIRE(config.findings().ok());
  const epil::Ruleset* rs = config.ruleset(ruleset);
  const epil::Region* r = config.find_region(region);
  REQUIRE(rs != nullptr);
  REQUIRE(r != nullptr);
  const epil::CompiledRuleset* program = config.compiled(*rs, *r);
  REQUIRE(program != nullptr);
  const std::string dump = program->dump();
  const fs::path file = root / "tests/data/programs" / golden;
  if (const char* update = std::getenv("EPIL_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(file, std::ios::binary) << dump;
  }
  std::ifstream in(file, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), file.string() << " is missing; EPIL_UPDATE_GOLDEN=1 writes it");
  std::stringstream expected;
  expected << in.rdbuf();
  INFO("golden file " << file.string() << " (EPIL_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(dump == expected.str());
}

}  // namespace

TEST_CASE("program dump: the minimal ruleset for alpha") {
  check_golden("tests/data/config/minimal", "mini", "alpha", "mini-alpha.txt");
}

TEST_CASE("program dump: one of each node") {
  check_golden("tests/data/config/ops", "ops", "national", "ops-national.txt");
}

TEST_CASE("program dump: every node of the shipped programs names its op and operands") {
  epil::Config config = epil::Config::embedded();
  for (const epil::Ruleset& rs : config.rulesets()) {
    const epil::CompiledRuleset* program = config.compiled(rs, *config.find_region("national"));
    REQUIRE(program != nullptr);
    const std::string dump = program->dump();
    CHECK(dump.find("(not a program op)") == std::string::npos);
    CHECK(dump.find("decisions, in order") != std::string::npos);
  }
}
