// epil test [FILES]: the YAML test cases of a tree; epil functions: the built-ins.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/help.h"
#include "io/builtins_doc.h"
#include "io/test_cases.h"
#include "io/whole_file.h"

namespace epil::cli {

CLI::App* add_test(CLI::App& app, TestCommand& o, Lang lang) {
  auto* cmd = app.add_subcommand("test", "run YAML test cases / 运行测试用例");
  cmd->add_option("files", o.files, message(Msg::kHelpTestFiles).in(lang));
  cmd->add_option("--as-of", o.as_of, message(Msg::kHelpTestAsOf).in(lang))
      ->group(group_title(Msg::kHelpGroupDates));
  cmd->add_flag("--list,-l", o.list, message(Msg::kHelpTestList).in(lang))
      ->group(group_title(Msg::kHelpGroupOutput));
  set_examples(*cmd, {"epil test --as-of 2026-11-28", "epil test regions/guangxi.test.yaml --list"},
               lang, message(Msg::kHelpGlobalOptionsApply).in(lang));
  return cmd;
}

namespace {

// (shown path, text) of each test file: the files given, or every test file of the tree.
std::optional<std::vector<std::pair<std::string, std::string>>> test_files(const TestCommand& o,
                                                                           Context& c) {
  std::vector<std::pair<std::string, std::string>> files;
  if (o.files.empty()) {
    for (const ConfigFile* f : c.config.test_files()) {
      files.push_back(
          {c.config.origin().empty() ? f->path : c.config.origin() + "/" + f->path, f->text});
    }
    return files;
  }
  for (const auto& path : o.files) {
    io::WholeFileError error;
    std::optional<std::string> text = io::read_whole_file(path, c.g.limits.file_bytes, error);
    if (!text) {
      say(message(Msg::kTestFileUnreadable, path, Text{error.message_zh, error.message}), c.lang);
      return std::nullopt;
    }
    files.push_back({path, std::move(*text)});
  }
  return files;
}

}  // namespace

int run_tests(const TestCommand& o, Context& c) {
  const auto as_of = date_or_today(o.as_of, "--as-of", c.lang);
  if (!as_of) return code(ExitCode::kInput);
  const auto files = test_files(o, c);
  if (!files) return code(ExitCode::kInput);
  int passed = 0, failed = 0;
  bool unreadable = false;
  for (const auto& [path, text] : *files) {
    io::TestFileReport rep = io::run_test_file(c.config, path, text, *as_of, c.g.limits);
    if (!rep.findings.ok()) {
      print_findings(rep.findings, c.lang);
      unreadable = true;
    }
    for (const auto& t : rep.cases) {
      if (t.passed) {
        ++passed;
        if (o.list) std::cout << fmt::format("ok   {}:{}: {}\n", t.file, t.line, t.name);
        continue;
      }
      ++failed;
      std::cout << fmt::format("FAIL {}:{}: {}\n", t.file, t.line, t.name);
      for (const auto& f : t.failures) std::cout << "     " << f << "\n";
    }
  }
  std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
  if (unreadable) return code(ExitCode::kInput);
  return code(failed ? ExitCode::kTestsFailed : ExitCode::kOk);
}

CLI::App* add_functions(CLI::App& app, FunctionsCommand& o, Lang lang) {
  auto* cmd = app.add_subcommand(
      "functions", "the built-in functions of rule expressions / 规则表达式的内置函数");
  cmd->add_option("--format", o.format, message(Msg::kHelpFunctionsFormat).in(lang))
      ->check(CLI::IsMember({"text", "markdown"}))
      ->group(group_title(Msg::kHelpGroupOutput));
  set_examples(*cmd, {"epil functions --lang zh", "epil functions --format markdown"}, lang,
               message(Msg::kHelpGlobalOptionsApply).in(lang));
  return cmd;
}

int run_functions(const FunctionsCommand& o, Context& c) {
  std::cout << io::render_builtins(
      c.lang, o.format == "markdown" ? io::BuiltinsFormat::kMarkdown : io::BuiltinsFormat::kText);
  return code(ExitCode::kOk);
}

}  // namespace epil::cli
