// epil: the command-line front end. Reads the global options, loads the configuration, declares
// each command (cli/*_command.cpp), parses, and runs the one asked for; every problem maps to
// one exit-code table (cli/front.h). Nothing else lives here.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/front.h"
#include "cli/help.h"
#include "core/epil.h"
#include "core/version.h"
#include "io/config_tree.h"
#include "io/output_file.h"

namespace {

using namespace epil;
using namespace epil::cli;

// Standard output through an OutputFile, which notes the system's reason (errno) at the
// write that fails: by the end of the command a later call may have overwritten errno.
class StandardOutputBuffer : public std::streambuf {
 public:
  explicit StandardOutputBuffer(io::OutputFile& out) : out_(out) {}

 protected:
  int overflow(int c) override {
    char ch = static_cast<char>(c);
    return c == traits_type::eof() || out_.write({&ch, 1}) ? traits_type::not_eof(c)
                                                           : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    return out_.write({s, static_cast<size_t>(n)}) ? n : 0;
  }
  // std::cerr flushes std::cout before each message: results and messages stay in order.
  int sync() override { return out_.flush() ? 0 : -1; }

 private:
  io::OutputFile& out_;
};

// What a command printed must have reached standard output: behind a full disk (> /dev/full)
// or a closed pipe the command fails, with the system's reason, instead of exiting 0 with
// nothing written. Exit 1, or the command's own code when it already failed.
int check_standard_output(int rc, io::OutputFile& out, Lang lang) {
  std::cout.flush();
  io::OutputError e;
  if (out.commit(e)) return rc;
  if (!g_stdout_failure_said) say(e, lang);
  return rc != 0 ? rc : code(ExitCode::kInput);
}

// Command words of the tree (presentation.yaml) stand for a command with --ruleset: `epil credit
// grade …` is `epil screen --ruleset credit …`, the same pipeline (flags, case files, text and
// JSON), named the way enforcement judges ask for it. The alias used, or null.
// `owned` holds the words inserted, for as long as `args` is used.
const CommandAlias* rewrite_alias(std::vector<char*>& args, const Presentation& p,
                                  std::vector<std::string>& owned) {
  std::vector<std::string_view> words(args.begin() + 1, args.end());
  const CommandAlias* alias = p.command(words);
  if (!alias) return nullptr;
  owned = {alias->runs, "--ruleset", alias->ruleset};
  args.erase(args.begin() + 1, args.begin() + 1 + static_cast<std::ptrdiff_t>(alias->words.size()));
  args.insert(args.begin() + 1, {owned[0].data(), owned[1].data(), owned[2].data()});
  return alias;
}

// The options of every command, bound to CLI11 by their add_ functions.
struct Commands {
  ScreenCommand screen;
  BatchCommand batch;
  RegionsList list;
  RegionsShow show;
  RegionsCheck check;
  TestCommand test;
  FunctionsCommand functions;
};

// `epil credit` alone, listed for --help: each first word of the tree's command words.
std::vector<std::pair<CLI::App*, const CommandAlias*>> add_aliases(CLI::App& app,
                                                                   const Presentation& p) {
  std::vector<std::pair<CLI::App*, const CommandAlias*>> out;
  std::set<std::string> added;
  for (const CommandAlias& a : p.commands) {
    if (!added.insert(a.words.front()).second) continue;
    const std::string words = a.typed();
    auto* cmd = app.add_subcommand(a.words.front(), fmt::format("epil {} [flags]: {} / {}", words,
                                                                a.summary.en, a.summary.zh));
    cmd->allow_extras();
    out.push_back({cmd, &a});
  }
  return out;
}

// "epil — 环境公益诉讼显著轻微筛查；失信被执行人名单与信用修复 / …": every decision the tree's
// rulesets make, by their names, so that the help says what the program is for.
std::string app_description(const Config& config) {
  std::string zh, en;
  for (const auto& rs : config.rulesets()) {
    zh += (zh.empty() ? "" : "；") + rs.name.zh;
    en += (en.empty() ? "" : "; ") + rs.name.en;
  }
  return zh.empty() ? "epil" : "epil — " + zh + " / " + en;
}

// Under `epil --help`: one line per command word of the tree, then one case and one sheet.
std::vector<std::string> app_examples(const Presentation& p) {
  std::vector<std::string> out = {
      "epil screen --region 广西 --type 水污染 --amount 2800 --date 2025-06-01 --lang zh"};
  for (const CommandAlias& a : p.commands) {
    if (!a.examples.empty()) out.push_back("epil " + a.typed() + " " + a.examples.front());
  }
  out.push_back("epil batch 案件.xlsx -o 结果.xlsx --region 广西");
  out.push_back("epil regions show 广西 --date 2026-01-01");
  return out;
}

// The options every command takes. prescan() reads them before parsing (the tree and the
// language are needed to declare the commands); they are declared here for --help and so that
// CLI11 accepts them.
struct GlobalOptions {
  std::string config, lang, ruleset;
  std::vector<std::string> limits;
};

void add_global_options(CLI::App& app, GlobalOptions& o, const Presentation& presentation,
                        Lang help_lang) {
  const std::string configuration = group_title(Msg::kHelpGroupConfig);
  app.add_option(
         "--config", o.config,
         "configuration tree (thresholds/, regions/); default $EPIL_CONFIG or the built-in one")
      ->group(configuration);
  app.add_option("--ruleset", o.ruleset,
                 "ruleset id (default: the tree's, " + presentation.default_ruleset + ")")
      ->group(configuration);
  app.add_option(
         "--limit", o.limits,
         "NAME=VALUE: raise or lower one input limit (see docs/cli.md, Limits) / 调整输入限额")
      ->group(configuration);
  app.add_option("--lang", o.lang, "output language: zh or en (default from LANG)")
      ->check(CLI::IsMember({"zh", "en"}))
      ->group(group_title(Msg::kHelpGroupOutput));
  set_examples(app, app_examples(presentation), help_lang);
}

int run_command(int argc_in, char** argv_in) {
  std::vector<char*> args(argv_in, argv_in + argc_in);
  Global g = prescan(argc_in, argv_in);
  if (!g.limit_error.empty()) {
    std::cerr << g.limit_error << "\n";
    return code(ExitCode::kInput);
  }
  io::TreeFiles tree = tree_files(g);
  Findings unused;  // the Config reads the file again and keeps its findings
  const Presentation presentation = presentation_of(tree.files, tree.origin, unused, g.limits);
  std::vector<std::string> alias_words;
  const CommandAlias* alias = rewrite_alias(args, presentation, alias_words);
  int argc = static_cast<int>(args.size());
  char** argv = args.data();
  if (alias) g = prescan(argc, argv);
  if (g.ruleset.empty()) g.ruleset = presentation.default_ruleset;

  // One case or one spreadsheet needs one ruleset: the others are not parsed (start-up time).
  const bool one_ruleset = (g.command == "screen" || g.command == "batch") && !g.ruleset.empty();
  Config config = Config::from_files(std::move(tree.files), tree.origin,
                                     one_ruleset ? g.ruleset : std::string(), g.limits,
                                     std::move(tree.findings));
  if (g.ruleset.empty()) g.ruleset = config.default_ruleset();
  const Ruleset* rs = config.ruleset(g.ruleset);

  const Lang help_lang = lang_of_arguments(argc, argv);
  // Named, not argv[0]: usage lines say `epil`, however the binary was started.
  CLI::App app{app_description(config), "epil"};
  app.require_subcommand(1);
  // Global options may follow the subcommand: `epil screen … --lang en`.
  app.fallthrough();
  app.set_version_flag("--version", "epil " + std::string(kVersion));
  GlobalOptions globals;
  add_global_options(app, globals, presentation, help_lang);

  Commands o;
  // The fields' flags only where they are read: CLI11 checks each new option against all
  // before it, and a ruleset may have thousands of fields.
  auto* screen_cmd =
      add_screen(app, o.screen, g.command == "screen" ? rs : nullptr, alias, help_lang);
  RegionsCommands regions = add_regions(app, o.list, o.show, o.check, help_lang);
  auto* batch_cmd = add_batch(app, o.batch, help_lang);
  const auto aliases = add_aliases(app, presentation);
  auto* test_cmd = add_test(app, o.test, help_lang);
  auto* functions_cmd = add_functions(app, o.functions, help_lang);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Without a ruleset `screen` and `batch` have no field flags: say that, not "--amount was
    // not expected".
    if (!rs && (g.command == "screen" || g.command == "batch")) {
      return say_no_ruleset(Context{config, rs, g, lang_of_arguments(argc, argv)});
    }
    const std::string words = "epil" + std::string(alias               ? " " + alias->typed()
                                                   : g.command.empty() ? ""
                                                                       : " " + g.command);
    say(parse_error_text(e, words), lang_of_arguments(argc, argv));
    return code(ExitCode::kInput);
  }

  const Lang lang =
      globals.lang.empty() ? default_lang() : (globals.lang == "zh" ? Lang::kZh : Lang::kEn);
  Context c{config, rs, g, lang};
  if (*functions_cmd) return run_functions(o.functions, c);
  if (*regions.check) return run_regions_check(o.check, c);

  // Every other command needs a configuration that loads and whose region chains hold: a
  // loop or a missing parent would silently drop the national values.
  config.check(today_in_china(), /*full=*/false);
  if (!config.findings().ok()) {
    print_findings(config.findings(), lang, false);
    return code(ExitCode::kConfig);
  }
  if (*regions.list) return run_regions_list(o.list, c);
  if (*regions.show) return run_regions_show(o.show, c);
  if (*test_cmd) return run_tests(o.test, c);
  if (*batch_cmd) return run_batch(o.batch, c);
  if (*screen_cmd) return run_screen(o.screen, c);
  for (const auto& [cmd, a] : aliases) {  // `epil credit` without `grade`
    if (!*cmd) continue;
    const std::string words = a->typed();
    say(message(Msg::kAliasUsage, words, a->runs, a->ruleset), lang);
  }
  return code(ExitCode::kInput);
}

}  // namespace

int main(int argc, char** argv) {
  io::OutputError error;
  auto out = io::OutputFile::open("-", "", false, error);  // standard output: never refused
  StandardOutputBuffer buffer(*out);
  std::streambuf* original = std::cout.rdbuf(&buffer);
  int rc = check_standard_output(run_command(argc, argv), *out, lang_of_arguments(argc, argv));
  std::cout.rdbuf(original);
  return rc;
}
