// The commands of the command-line front end. Each has its options, an add_ function that
// declares them to CLI11, and a run_ function that does the command and returns its exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "cli/front.h"

namespace epil::cli {

// epil screen [CASE] [--FIELD VALUE …]: one case (one debtor with `epil credit grade`).
struct ScreenCommand {
  std::string case_file, region, overlay, format = "text", case_id;
  std::vector<std::string> as_of_given;     // --as-of and --review-date: one date, maybe twice
  std::vector<std::string> sets;            // --set FIELD=VALUE
  std::map<int, std::string> field_values;  // --FIELD VALUE, by field number
  bool strict = false;
  bool brief = false;  // --brief: the text report in at most io::kBriefLines lines
};
/// `alias`: the command words that stand for this command, if used (`epil credit grade`).
/// `lang`: the language of the examples under --help.
CLI::App* add_screen(CLI::App& app, ScreenCommand& o, const Ruleset* rs, const CommandAlias* alias,
                     Lang lang);
int run_screen(const ScreenCommand& o, Context& c);

// epil batch INPUT [-o OUTPUT]: a spreadsheet of cases.
struct BatchCommand {
  std::string input, output = "-", from, to, region, overlay, as_of, summary_json, encoding,
                     delimiter, sheet;
  std::vector<std::string> maps;
  std::string columns;  // --columns: a preset or keys
  int64_t header_row = 0;  // --header-row; 0: found
  bool force = false, no_bom = false, strict = false, each_row = false, mask_ids = false;
  int threads = 0;
};
CLI::App* add_batch(CLI::App& app, BatchCommand& o, Lang lang);
int run_batch(const BatchCommand& o, Context& c);

// epil regions list | show REGION | check [DIR].
struct RegionsList {
  std::string format = "text";
};
struct RegionsShow {
  std::string id, date, format = "text", overlay;
  bool program = false;
  bool own = false;  // only the values the region's own file sets
};
struct RegionsCheck {
  std::string dir, format = "text", as_of;
};
struct RegionsCommands {
  CLI::App* list;
  CLI::App* show;
  CLI::App* check;
};
RegionsCommands add_regions(CLI::App& app, RegionsList& list, RegionsShow& show,
                            RegionsCheck& check, Lang lang);
int run_regions_list(const RegionsList& o, Context& c);
int run_regions_show(const RegionsShow& o, Context& c);
int run_regions_check(const RegionsCheck& o, Context& c);

// epil test [FILES]: the YAML test cases of the tree, or of the files given.
struct TestCommand {
  std::vector<std::string> files;
  std::string as_of;
  bool list = false;
};
CLI::App* add_test(CLI::App& app, TestCommand& o, Lang lang);
int run_tests(const TestCommand& o, Context& c);

// epil functions: the built-in functions of rule expressions.
struct FunctionsCommand {
  std::string format = "text";
};
CLI::App* add_functions(CLI::App& app, FunctionsCommand& o, Lang lang);
int run_functions(const FunctionsCommand& o, Context& c);

}  // namespace epil::cli
