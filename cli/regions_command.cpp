// epil regions list | show | check: what a configuration tree holds, and whether it holds.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/help.h"
#include "io/config_report.h"
#include "io/config_tree.h"

namespace epil::cli {

namespace {

io::ReportFormat format_of(const std::string& name) {
  return name == "json" ? io::ReportFormat::kJson : io::ReportFormat::kText;
}

}  // namespace

RegionsCommands add_regions(CLI::App& app, RegionsList& list, RegionsShow& show,
                            RegionsCheck& check, Lang lang) {
  auto* regions = app.add_subcommand("regions", "list, show and check regions / 地区配置");
  regions->require_subcommand(1);
  auto* list_cmd = regions->add_subcommand("list", "list regions");
  list_cmd->add_option("--format", list.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  auto* show_cmd = regions->add_subcommand("show", "every resolved parameter of a region");
  show_cmd->add_option("id", show.id, "region id, name, code or alias")->required();
  show_cmd->add_option("--date", show.date, "date (default today)");
  show_cmd->add_option("--overlay", show.overlay, "named overlay on top of the region");
  show_cmd->add_option("--format", show.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  auto* program =
      show_cmd->add_flag("--program", show.program,
                         "the program --ruleset compiles to for the region / 显示编译后的程序");
  show_cmd->add_flag("--own", show.own, message(Msg::kHelpRegionsOwn).in(lang))
      ->excludes(program)
      ->excludes("--overlay");
  auto* check_cmd = regions->add_subcommand("check", "validate a configuration tree");
  check_cmd->add_option("dir", check.dir, "configuration tree (default: the one in use)");
  check_cmd->add_option("--format", check.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_option("--as-of", check.as_of,
                        "date that stale and future values are judged against (default today)");
  const std::string note = message(Msg::kHelpGlobalOptionsApply).in(lang);
  set_examples(*regions, {"epil regions list", "epil regions show 广西 --date 2026-01-01"}, lang,
               note);
  set_examples(*list_cmd, {"epil regions list --lang zh", "epil regions list --format json"}, lang,
               note);
  set_examples(
      *show_cmd,
      {"epil regions show 广西 --date 2026-01-01 --lang zh", "epil regions show 陕西 --own",
       "epil --ruleset credit regions show national --overlay judicial_proposal"},
      lang, note);
  set_examples(*check_cmd, {"epil regions check", "epil regions check 我的配置 --format json"},
               lang, note);
  return {list_cmd, show_cmd, check_cmd};
}

// epil regions check [DIR]: every check of a configuration tree.
int run_regions_check(const RegionsCheck& o, Context& c) {
  const auto check_day = date_or_today(o.as_of, "--as-of", c.lang);
  if (!check_day) return code(ExitCode::kInput);
  Config checked =
      o.dir.empty() ? std::move(c.config) : io::read_config_tree(o.dir, {}, c.g.limits);
  checked.check(*check_day);
  std::cout << io::render_check(checked, c.lang, format_of(o.format));
  return code(checked.findings().ok() ? ExitCode::kOk : ExitCode::kConfig);
}

// epil regions list: the regions of the tree, with how many values each sets.
int run_regions_list(const RegionsList& o, Context& c) {
  std::cout << io::render_region_list(c.config, c.lang, format_of(o.format));
  return code(ExitCode::kOk);
}

// epil regions show REGION: every parameter as resolved, or (--program) the compiled program.
int run_regions_show(const RegionsShow& o, Context& c) {
  const Region* r = find_region_or_say(c.config, o.id, c.lang);
  if (!r) return code(ExitCode::kInput);
  const auto date = date_or_today(o.date, "--date", c.lang);
  if (!date) return code(ExitCode::kInput);
  const Region* overlay = nullptr;
  if (!o.overlay.empty() && !(overlay = find_overlay_or_say(c.config, o.overlay, c.lang))) {
    return code(ExitCode::kInput);
  }
  for (const auto& rs : c.config.rulesets()) {
    if (!c.config.compiled(rs, *r, overlay)) {
      print_findings(c.config.compile_findings(), c.lang, false);
      return code(ExitCode::kConfig);
    }
  }
  if (o.program) {
    if (!c.rs) {
      say(message(Msg::kUnknownRuleset, c.g.ruleset), c.lang);
      return code(ExitCode::kInput);
    }
    std::cout << c.config.compiled(*c.rs, *r, overlay)->dump();
    return code(ExitCode::kOk);
  }
  std::cout << io::render_region(c.config, *r, overlay, *date, c.lang, format_of(o.format), o.own);
  return code(ExitCode::kOk);
}

}  // namespace epil::cli
