// epil: the command-line front end. Parses arguments, calls the library, prints, and maps
// problems to the one exit-code table below. Nothing else lives here.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "core/epil.h"
#include "core/excerpt.h"
#include "io/batch.h"
#include "io/builtins_doc.h"
#include "io/case_input.h"
#include "io/config_tree.h"
#include "io/json.h"
#include "io/normalize.h"
#include "io/output_file.h"
#include "io/report.h"
#include "io/test_cases.h"
#include "io/whole_file.h"
#include "io/xlsx_writer.h"

namespace {

using namespace epil;

/// The exit codes, documented in docs/cli.md.
enum class ExitCode : int {
  kOk = 0,           // a result was produced (whatever the outcome)
  kInput = 1,        // usage or input error: bad flag, unreadable case, unknown region
  kConfig = 2,       // configuration error: a rule or region file is wrong
  kTestsFailed = 3,  // `epil test`: some cases did not meet their expectations
  kRowErrors = 3,    // `epil batch`: some rows could not be read (every other row was screened)
};

int code(ExitCode c) { return static_cast<int>(c); }

Lang default_lang() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::strncmp(v, "zh", 2) == 0 ? Lang::kZh : Lang::kEn;
  }
  return Lang::kEn;
}

// Set once a failure to write standard output has been said (batch -o -), so that the check
// at the end of every command does not say it twice.
bool g_stdout_failure_said = false;

void say(const io::OutputError& e, bool zh) {
  std::cerr << (zh ? e.message_zh : e.message) << "\n";
}

void print_findings(const Findings& f, Lang lang, bool warnings = true) {
  for (const auto& x : f.items()) {
    if (!warnings && x.severity != Severity::kError) continue;
    std::cerr << x.format(lang == Lang::kZh) << "\n";
  }
}

// Options every command shares; --config and --ruleset are read before the rest because
// the ruleset decides which field flags `screen` has.
struct Global {
  std::optional<std::string> config_dir;
  std::string ruleset = "epil";
  std::string lang;
  std::string command;  // the first word that is not an option or an option's value
  Limits limits;        // --limit NAME=VALUE, any number of times
  std::string limit_error;
};

Global prescan(int argc, char** argv) {
  Global g;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      std::string n = name;
      if (a == n && i + 1 < argc) return std::string(argv[++i]);
      if (a.rfind(n + "=", 0) == 0) return a.substr(n.size() + 1);
      return std::nullopt;
    };
    if (auto v = value("--config"))
      g.config_dir = *v;
    else if (auto r = value("--ruleset"))
      g.ruleset = *r;
    else if (value("--lang"))
      continue;
    else if (auto l = value("--limit")) {
      if (std::string e = set_limit(g.limits, *l); !e.empty() && g.limit_error.empty())
        g.limit_error = e;
    }
    else if (g.command.empty() && !a.empty() && a[0] != '-')
      g.command = a;
  }
  return g;
}

// The tree of --config DIR, else of $EPIL_CONFIG, else the one embedded in the binary.
Config load_config(const std::optional<std::string>& dir, std::string_view only_ruleset,
                   const Limits& limits) {
  if (dir && !dir->empty()) return io::read_config_tree(*dir, only_ruleset, limits);
  if (const char* env = std::getenv("EPIL_CONFIG"); env && *env) {
    return io::read_config_tree(env, only_ruleset, limits);
  }
  return Config::embedded(only_ruleset, limits);
}

std::string flag_of(const FieldDef& f) {
  std::string s = f.flag.empty() ? f.key : f.flag;
  for (char& c : s) {
    if (c == '_') c = '-';
  }
  return s;
}

std::optional<Date> parse_date_option(const std::string& text, const char* what, Lang lang) {
  if (text.empty()) return std::nullopt;
  auto d = io::parse_date(text);
  if (!d) {
    std::cerr << (lang == Lang::kZh
                      ? fmt::format("{}：应为日期，如 2025-06-01，实际为 '{}'\n", what, text)
                      : fmt::format("{}: expected a date such as 2025-06-01, found '{}'\n", what,
                                    text));
  }
  return d;
}

// The overlay named by --overlay, or null after saying which ones exist.
// The date an option gives, or today when it is not given; nullopt (said) when not a date.
std::optional<Date> date_or_today(const std::string& text, const char* what, Lang lang) {
  if (text.empty()) return today_in_china();
  return parse_date_option(text, what, lang);
}

const Region* find_overlay_or_say(const Config& config, const std::string& name, bool zh) {
  if (const Region* o = config.find_overlay(name)) return o;
  std::string known;
  for (const auto& r : config.regions()) {
    if (r.overlay) known += (known.empty() ? "" : ", ") + r.id + " " + r.name.zh;
  }
  if (known.empty()) known = "-";
  std::cerr << (zh ? fmt::format("未知叠加配置 '{}'；可用：{}\n", name, known)
                   : fmt::format("unknown overlay '{}'; known: {}\n", name, known));
  return nullptr;
}

// --- regions show -------------------------------------------------------------------------

void show_region(Config& config, const Region& region, const Region* overlay, Date date, bool json,
                 Lang lang) {
  bool zh = lang == Lang::kZh;
  std::string out;
  io::JsonWriter w(out, io::JsonWriter::Style::kPretty);
  if (json) {
    w.begin_object();
    w.key("region").value(region.id);
    w.key("name").value(region.name.in(lang));
    w.key("code").value(region.code);
    w.key("date").value(date.iso());
    w.key("chain").begin_array();
    for (const Region* r : config.chain(region, overlay)) w.value(r->id);
    w.end_array();
    w.key("rulesets").begin_object();
  } else {
    std::string chain;
    for (const Region* r : config.chain(region, overlay)) {
      chain += (chain.empty() ? "" : " → ") + r->id;
    }
    std::cout << fmt::format("{} ({}) · {} {} · {}\n", region.name.in(lang), region.id,
                             zh ? "代码" : "code", region.code, chain);
    if (!region.note.empty()) std::cout << region.note.in(lang) << "\n";
    std::cout << (zh ? fmt::format("{} 施行的参数：\n", date.iso())
                     : fmt::format("Parameters in force on {}:\n", date.iso()));
  }
  for (const auto& rs : config.rulesets()) {
    const CompiledRuleset* p = config.compiled(rs, region, overlay);
    if (!p) continue;
    // One column width per ruleset, from its longest parameter name, so columns line up.
    size_t width = 0;
    for (const auto& pd : rs.params) {
      size_t longest_index = 0;
      if (pd.index_enum >= 0) {
        for (const auto& v : rs.enums[pd.index_enum].values) {
          longest_index = std::max(longest_index, v.key.size() + 2);
        }
      }
      width = std::max(width, pd.key.size() + longest_index + 1);
    }
    const Epoch& ep = p->epoch(p->epoch_for(date.days()));
    if (json) {
      w.key(rs.id).begin_array();
    } else {
      std::cout << fmt::format("[{}] {}\n", rs.id, rs.name.in(lang));
    }
    for (size_t pi = 0; pi < rs.params.size(); ++pi) {
      const ParamDef& pd = rs.params[pi];
      int n = pd.index_enum >= 0 ? static_cast<int>(rs.enums[pd.index_enum].values.size()) : 1;
      for (int i = 0; i < n; ++i) {
        const ParamCell& cell = ep.cells[p->param_base(static_cast<int>(pi)) + i];
        std::string name = pd.key;
        std::string index;
        if (pd.index_enum >= 0) {
          index = rs.enums[pd.index_enum].values[i].key;
          name += "[" + index + "]";
        }
        const Provenance* pv = cell.provenance >= 0 ? &p->provenance(cell.provenance) : nullptr;
        Text shown = show_value(cell.value, rs, -1, pd.unit_label);
        if (json) {
          w.begin_object();
          w.key("parameter").value(pd.key);
          w.key("index");
          if (index.empty())
            w.value(nullptr);
          else
            w.value(index);
          w.key("label").value(pd.label.in(lang));
          w.key("set").value(cell.value.known());
          w.key("value");
          if (cell.value.kind == Value::kNumber)
            w.value(cell.value.num);
          else if (cell.value.kind == Value::kBool)
            w.value(cell.value.b);
          else
            w.value(nullptr);
          w.key("unit").value(pd.unit);
          if (pv) {
            w.key("region").value(pv->region->id);
            w.key("status").value(status_key(pv->value->status));
            w.key("source");
            io::write_source(w, pv->value->source);
            w.key("since").value(pv->value->since.iso());
            w.key("until");
            if (pv->until)
              w.value(pv->until->iso());
            else
              w.value(nullptr);
            w.key("file").value(pv->value->file);
            w.key("line").value(static_cast<int64_t>(pv->value->line));
          }
          w.end_object();
          continue;
        }
        if (!pv) {
          // Unset cells are many (one per enum value): list them only in JSON.
          if (cell.value.flags & Value::kBeforeValues) {
            std::cout << fmt::format(
                "  {:<{}} {}\n", name, width,
                zh ? "（该日期早于最早生效日期）" : "(date before the first value)");
          }
          continue;
        }
        std::string until = pv->until ? fmt::format(" → {}", pv->until->iso()) : "";
        std::cout << fmt::format(
            "  {:<{}} {:<14} {} · {} · {} · {}{} · {}:{}\n", name, width, shown.in(lang),
            pv->region->id, status_label(pv->value->status).in(lang), io::cite(pv->value->source),
            pv->value->since.iso(), until, pv->value->file, pv->value->line);
      }
    }
    if (json) w.end_array();
  }
  if (json) {
    w.end_object();
    w.end_object();
    std::cout << out << "\n";
  }
}

// The language of messages printed after a command has run: --lang, else the environment's.
Lang lang_of_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--lang" && i + 1 < argc)
      return std::string_view(argv[i + 1]) == "zh" ? Lang::kZh : Lang::kEn;
    if (a.rfind("--lang=", 0) == 0) return a.substr(7) == "zh" ? Lang::kZh : Lang::kEn;
  }
  return default_lang();
}

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
// The options of each command, bound by its add_ function and read by its run_ function.
struct RegionsList {
  std::string format = "text";
};
struct RegionsShow {
  std::string id, date, format = "text", overlay;
  bool program = false;
};
struct RegionsCheck {
  std::string dir, format = "text", as_of;
};
struct TestCommand {
  std::vector<std::string> files;
  std::string as_of;
  bool list = false;
};

// What every command is given: the tree in use, the ruleset --ruleset names (null if none
// does), the global options and the language of its output.
struct Context {
  Config& config;
  const Ruleset* rs;
  const Global& g;
  Lang lang;
};

// epil regions check [DIR]: every check of a configuration tree.
int run_regions_check(const RegionsCheck& o, Context& c) {
  const Lang lang = c.lang;
  const bool zh = lang == Lang::kZh;
  const auto check_day = date_or_today(o.as_of, "--as-of", lang);
  if (!check_day) return code(ExitCode::kInput);
  Config checked =
      o.dir.empty() ? std::move(c.config) : io::read_config_tree(o.dir, {}, c.g.limits);
  checked.check(*check_day);
  const Findings& f = checked.findings();
  if (o.format == "json") {
    std::string out;
    io::JsonWriter w(out, io::JsonWriter::Style::kPretty);
    w.begin_object();
    w.key("ok").value(f.ok());
    w.key("errors").value(static_cast<int64_t>(f.error_count()));
    w.key("warnings").value(static_cast<int64_t>(f.warning_count()));
    w.key("findings").begin_array();
    for (const auto& x : f.items()) {
      w.begin_object();
      w.key("code").value(x.code);
      w.key("severity")
          .value(x.severity == Severity::kError     ? "error"
                 : x.severity == Severity::kWarning ? "warning"
                                                    : "note");
      w.key("file").value(x.file);
      w.key("line").value(static_cast<int64_t>(x.line));
      w.key("column").value(static_cast<int64_t>(x.column));
      w.key("message").value(zh ? x.message_zh : x.message);
      w.end_object();
    }
    w.end_array();
    w.end_object();
    std::cout << out << "\n";
  } else {
    for (const auto& x : f.items()) std::cout << x.format(zh) << "\n";
    std::string where = checked.origin().empty() ? (zh ? "内置配置" : "built-in configuration")
                                                 : checked.origin();
    std::cout << (zh ? fmt::format("{}：{} 个规则集，{} 个地区；错误 {} 个，警告 {} 个\n", where,
                                   checked.rulesets().size(), checked.regions().size(),
                                   f.error_count(), f.warning_count())
                     : fmt::format(
                           "{}: {} ruleset(s), {} region(s); {} error(s), {} warning(s)\n", where,
                           checked.rulesets().size(), checked.regions().size(), f.error_count(),
                           f.warning_count()));
  }
  return code(f.ok() ? ExitCode::kOk : ExitCode::kConfig);
}

// epil regions list: the regions of the tree, with how many values each sets.
int run_regions_list(const RegionsList& o, Context& c) {
  const Lang lang = c.lang;
  const bool zh = lang == Lang::kZh;
  std::string out;
  io::JsonWriter w(out, io::JsonWriter::Style::kPretty);
  if (o.format == "json") w.begin_array();
  for (const auto& r : c.config.regions()) {
    int values = 0;
    std::map<std::string, int> statuses;
    for (const auto& [rsid, params] : r.parameters) {
      for (const auto& [k, s] : params) {
        auto count = [&](const std::vector<DatedValue>& v) {
          for (const auto& dv : v) {
            ++values;
            ++statuses[status_key(dv.status)];
          }
        };
        count(s.values);
        for (const auto& [ik, v] : s.by_index) count(v);
      }
    }
    std::string st;
    for (const auto& [k, n] : statuses)
      st += fmt::format("{}{} {}", st.empty() ? "" : ", ", n, k);
    if (o.format == "json") {
      w.begin_object();
      w.key("id").value(r.id);
      w.key("name").value(r.name.in(lang));
      w.key("code").value(r.code);
      w.key("overlay").value(r.overlay);
      w.key("extends");
      if (r.extends.empty())
        w.value(nullptr);
      else
        w.value(r.extends);
      w.key("values").value(static_cast<int64_t>(values));
      w.key("statuses").begin_object();
      for (const auto& [k, n] : statuses) w.key(k).value(static_cast<int64_t>(n));
      w.end_object();
      w.key("file").value(r.file);
      w.end_object();
    } else {
      // An overlay has no code and no parent: it applies on top of any region (--overlay).
      std::string code = r.overlay ? (zh ? "叠加" : "overlay") : r.code;
      std::cout << fmt::format("{:<10} {:<8} {:<10} {}  ({} {}{}{})\n", r.id, code,
                               r.extends.empty() ? "-" : r.extends, r.name.in(lang), values,
                               zh ? "个取值" : "values", st.empty() ? "" : ": ", st);
    }
  }
  if (o.format == "json") {
    w.end_array();
    std::cout << out << "\n";
  }
  return code(ExitCode::kOk);
}

// epil regions show REGION: every parameter as resolved, or (--program) the compiled program.
int run_regions_show(const RegionsShow& o, Context& c) {
  const Lang lang = c.lang;
  const bool zh = lang == Lang::kZh;
  const Region* r = c.config.find_region(o.id);
  if (!r) {
    std::cerr << (zh ? fmt::format("未知地区 '{}'；可用：epil regions list\n", o.id)
                     : fmt::format("unknown region '{}'; see: epil regions list\n", o.id));
    return code(ExitCode::kInput);
  }
  const auto date = date_or_today(o.date, "--date", lang);
  if (!date) return code(ExitCode::kInput);
  const Region* overlay = nullptr;
  if (!o.overlay.empty() && !(overlay = find_overlay_or_say(c.config, o.overlay, zh))) {
    return code(ExitCode::kInput);
  }
  for (const auto& rs2 : c.config.rulesets()) {
    if (!c.config.compiled(rs2, *r, overlay)) {
      print_findings(c.config.compile_findings(), lang, false);
      return code(ExitCode::kConfig);
    }
  }
  if (o.program) {
    if (!c.rs) {
      std::cerr << (zh ? fmt::format("未知规则集 '{}'\n", c.g.ruleset)
                       : fmt::format("unknown ruleset '{}'\n", c.g.ruleset));
      return code(ExitCode::kInput);
    }
    std::cout << c.config.compiled(*c.rs, *r, overlay)->dump();
    return code(ExitCode::kOk);
  }
  show_region(c.config, *r, overlay, *date, o.format == "json", lang);
  return code(ExitCode::kOk);
}

// epil test [FILES]: the test cases of the tree or of the files given.
int run_tests(const TestCommand& o, Context& c) {
  const Lang lang = c.lang;
  const bool zh = lang == Lang::kZh;
  const auto as_of = date_or_today(o.as_of, "--as-of", lang);
  if (!as_of) return code(ExitCode::kInput);
  const Date today = *as_of;
  std::vector<std::pair<std::string, std::string>> files;
  if (o.files.empty()) {
    for (const ConfigFile* f : c.config.test_files()) {
      files.push_back(
          {c.config.origin().empty() ? f->path : c.config.origin() + "/" + f->path, f->text});
    }
  } else {
    for (const auto& path : o.files) {
      io::WholeFileError error;
      std::optional<std::string> text = io::read_whole_file(path, c.g.limits.file_bytes, error);
      if (!text) {
        std::cerr << (zh ? fmt::format("{}: 测试文件：{}\n", path, error.message_zh)
                         : fmt::format("{}: test file: {}\n", path, error.message));
        return code(ExitCode::kInput);
      }
      files.push_back({path, std::move(*text)});
    }
  }
  int passed = 0, failed = 0;
  bool unreadable = false;
  for (const auto& [path, text] : files) {
    io::TestFileReport rep = io::run_test_file(c.config, path, text, today, c.g.limits);
    if (!rep.findings.ok()) {
      print_findings(rep.findings, lang);
      unreadable = true;
    }
    for (const auto& c : rep.cases) {
      if (c.passed) {
        ++passed;
        if (o.list) std::cout << fmt::format("ok   {}:{}: {}\n", c.file, c.line, c.name);
        continue;
      }
      ++failed;
      std::cout << fmt::format("FAIL {}:{}: {}\n", c.file, c.line, c.name);
      for (const auto& f : c.failures) std::cout << "     " << f << "\n";
    }
  }
  std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
  if (unreadable) return code(ExitCode::kInput);
  return code(failed ? ExitCode::kTestsFailed : ExitCode::kOk);
}

// epil functions: the table of built-ins, for people writing rules.
int run_functions(const std::string& format, Lang lang) {
  std::cout << io::render_builtins(lang, format == "markdown" ? io::BuiltinsFormat::kMarkdown
                                                              : io::BuiltinsFormat::kText);
  return code(ExitCode::kOk);
}

int check_standard_output(int rc, io::OutputFile& out, Lang lang) {
  std::cout.flush();
  io::OutputError e;
  if (out.commit(e)) return rc;
  if (!g_stdout_failure_said) say(e, lang == Lang::kZh);
  return rc != 0 ? rc : code(ExitCode::kInput);
}

int run_command(int argc_in, char** argv_in) {
  // `epil credit grade …` is `epil screen --ruleset credit …`: the same pipeline (flags, case
  // files, text and JSON), named the way enforcement judges ask for it.
  std::vector<char*> args(argv_in, argv_in + argc_in);
  static char kScreen[] = "screen", kRulesetFlag[] = "--ruleset", kCredit[] = "credit";
  bool credit_grade = args.size() >= 3 && std::string_view(args[1]) == "credit" &&
                      std::string_view(args[2]) == "grade";
  if (credit_grade) {
    args.erase(args.begin() + 1, args.begin() + 3);
    args.insert(args.begin() + 1, {kScreen, kRulesetFlag, kCredit});
  }
  int argc = static_cast<int>(args.size());
  char** argv = args.data();
  Global g = prescan(argc, argv);
  CLI::App app{"epil — 环境公益诉讼显著轻微筛查 / environmental public-interest screening"};
  app.require_subcommand(1);
  // Global options may follow the subcommand: `epil screen … --lang en`.
  app.fallthrough();
  app.set_version_flag("--version", "epil 0.1.0");
  std::string config_opt, lang_opt, ruleset_opt = "epil";
  app.add_option(
      "--config", config_opt,
      "configuration tree (thresholds/, regions/); default $EPIL_CONFIG or the built-in one");
  app.add_option("--lang", lang_opt, "output language: zh or en (default from LANG)")
      ->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--ruleset", ruleset_opt, "ruleset id (default epil)");
  std::vector<std::string> limit_opts;  // read by prescan(); listed here for --help
  app.add_option("--limit", limit_opts,
                 "NAME=VALUE: raise or lower one input limit (see docs/cli.md, Limits) / 调整输入限额");
  if (!g.limit_error.empty()) {
    std::cerr << g.limit_error << "\n";
    return code(ExitCode::kInput);
  }

  // One case or one spreadsheet needs one ruleset: the others are not parsed (start-up time).
  bool one_ruleset = g.command == "screen" || g.command == "batch";
  Config config = load_config(g.config_dir, one_ruleset ? g.ruleset : std::string(), g.limits);
  const Ruleset* rs = config.ruleset(g.ruleset);

  // screen ------------------------------------------------------------------------------
  auto* screen_cmd = app.add_subcommand("screen", "screen one case / 筛查一个案件");
  if (credit_grade) {
    screen_cmd->description(
        "epil credit grade: grade one judgment debtor (the screen command with --ruleset credit; "
        "the flags below are the credit fields) / 失信被执行人评定");
  }
  std::string case_file, region_opt, format = "text", as_of_opt, case_id;
  std::vector<std::string> sets;
  bool strict = false;
  screen_cmd->add_option("case_file", case_file, "YAML or JSON case file (optional)");
  screen_cmd->add_option("--region", region_opt, "region: id, name, code or alias (广西, 450000)");
  std::string overlay_opt;
  screen_cmd->add_option("--overlay", overlay_opt,
                         "named overlay on top of the region (e.g. judicial_proposal)");
  screen_cmd->add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  screen_cmd->add_option("--as-of", as_of_opt, "review date 审查日期 (default today)");
  screen_cmd->add_option("--case-id", case_id, "case number shown in the result");
  screen_cmd->add_option("--set", sets, "FIELD=VALUE for any field, by key or Chinese label");
  screen_cmd->add_flag("--strict", strict, "a date before a threshold's first value is an error");
  std::map<int, std::string> field_values;
  if (rs) {
    for (int f = 0; f < rs->input_count(); ++f) {
      const FieldDef& fd = rs->fields[f];
      std::string desc = fmt::format("{} / {}", fd.label.zh, fd.label.en);
      if (rs->field_enum[f] >= 0) {
        std::string vals;
        for (const auto& v : rs->enums[rs->field_enum[f]].values) {
          vals += (vals.empty() ? "" : ", ") + v.key + "=" + v.label.zh;
        }
        desc += " [" + vals + "]";
      }
      if (fd.type.base == BaseType::kBool) desc += " [是/否]";
      if (!fd.unit_label.zh.empty()) desc += " (" + fd.unit_label.zh + ")";
      try {
        screen_cmd->add_option_function<std::string>(
            "--" + flag_of(fd), [&field_values, f](const std::string& v) { field_values[f] = v; },
            desc);
      } catch (const CLI::OptionAlreadyAdded&) {
        // A field named like a built-in option (--region, --format …): still settable with
        // --set, which takes any field by key or label.
      } catch (const CLI::ConstructionError&) {
        // A flag the loader let through but CLI11 refuses: --set still reaches the field.
      }
    }
  }

  // regions -----------------------------------------------------------------------------
  auto* regions_cmd = app.add_subcommand("regions", "list, show and check regions / 地区配置");
  regions_cmd->require_subcommand(1);
  RegionsList list;
  RegionsShow show;
  RegionsCheck check;
  auto* list_cmd = regions_cmd->add_subcommand("list", "list regions");
  list_cmd->add_option("--format", list.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  auto* show_cmd = regions_cmd->add_subcommand("show", "every resolved parameter of a region");
  show_cmd->add_option("id", show.id, "region id, name, code or alias")->required();
  show_cmd->add_option("--date", show.date, "date (default today)");
  show_cmd->add_option("--overlay", show.overlay, "named overlay on top of the region");
  show_cmd->add_option("--format", show.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  show_cmd->add_flag("--program", show.program,
                     "the program --ruleset compiles to for the region / 显示编译后的程序");
  auto* check_cmd = regions_cmd->add_subcommand("check", "validate a configuration tree");
  check_cmd->add_option("dir", check.dir, "configuration tree (default: the one in use)");
  check_cmd->add_option("--format", check.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_option("--as-of", check.as_of,
                        "date that stale and future values are judged against (default today)");

  // batch -------------------------------------------------------------------------------
  auto* batch_cmd = app.add_subcommand("batch", "screen a spreadsheet of cases / 批量筛查表格");
  std::string batch_in, batch_out = "-", batch_from, batch_to, batch_region, batch_as_of,
                        batch_summary_json, batch_encoding, batch_delimiter, batch_sheet;
  std::vector<std::string> batch_maps;
  bool batch_force = false, batch_no_bom = false, batch_strict = false, batch_each = false;
  int batch_threads = 0;
  batch_cmd->add_option("input", batch_in, "input file: .csv, .tsv, .xlsx or .jsonl")->required();
  batch_cmd->add_option("-o,--output", batch_out, "output file (default: CSV to standard output)");
  batch_cmd->add_option("--from", batch_from, "input format when the extension does not say")
      ->check(CLI::IsMember({"csv", "tsv", "xlsx", "jsonl"}));
  batch_cmd->add_option("--to", batch_to, "output format when the extension does not say")
      ->check(CLI::IsMember({"csv", "tsv", "xlsx", "jsonl"}));
  batch_cmd->add_option("--region", batch_region, "region for rows without one");
  std::string batch_overlay;
  batch_cmd->add_option("--overlay", batch_overlay, "named overlay on top of every row's region");
  batch_cmd->add_option("--as-of", batch_as_of, "review date for rows without one (default today)");
  batch_cmd->add_option("--map", batch_maps,
                        "'HEADER=FIELD' for a column the ruleset does not know");
  batch_cmd->add_option("--encoding", batch_encoding, "input encoding (default: detect)")
      ->check(CLI::IsMember({"utf-8", "utf-8-bom", "utf-16le", "utf-16be", "gb18030", "gbk"}));
  batch_cmd->add_option("--delimiter", batch_delimiter, "input delimiter (default: detect)");
  batch_cmd->add_option("--sheet", batch_sheet, "sheet name of an .xlsx (default: the first)");
  batch_cmd->add_option("--summary-json", batch_summary_json, "also write the summary as JSON");
  batch_cmd->add_option("--threads", batch_threads, "worker threads (default: one per core)");
  batch_cmd->add_flag("--force", batch_force, "replace an existing output file");
  batch_cmd->add_flag("--no-bom", batch_no_bom, "CSV output without the UTF-8 byte order mark");
  batch_cmd->add_flag("--evaluate-each-row", batch_each,
                      "evaluate every row on its own instead of reusing the decision of an "
                      "earlier row of the same shape (slower; the output is the same)");
  batch_cmd->add_flag("--strict", batch_strict,
                      "a date before a threshold's first value is an error");

  // credit grade: rewritten to `screen --ruleset credit` above; listed here for --help.
  auto* credit_cmd = app.add_subcommand(
      "credit", "credit grading of judgment debtors: epil credit grade [flags] / 失信被执行人评定");
  credit_cmd->allow_extras();

  // test --------------------------------------------------------------------------------
  TestCommand tests;
  auto* test_cmd = app.add_subcommand("test", "run YAML test cases / 运行测试用例");
  test_cmd->add_option("files", tests.files, "test files (default: every *.test.yaml in the tree)");
  test_cmd->add_option("--as-of", tests.as_of,
                       "review date for cases that give none (default today)");
  test_cmd->add_flag("--list,-l", tests.list,
                     "list every case, passed ones too (ok FILE:LINE: NAME) / 逐条列出所有用例");

  // functions ---------------------------------------------------------------------------
  auto* functions_cmd =
      app.add_subcommand("functions", "the built-in functions of rule expressions / 规则表达式的内置函数");
  std::string functions_format = "text";
  functions_cmd->add_option("--format", functions_format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return code(ExitCode::kInput);
  }

  Lang lang = lang_opt.empty() ? default_lang() : (lang_opt == "zh" ? Lang::kZh : Lang::kEn);
  bool zh = lang == Lang::kZh;

  Context context{config, rs, g, lang};
  if (*functions_cmd) return run_functions(functions_format, lang);
  if (*check_cmd) return run_regions_check(check, context);

  // Every other command needs a configuration that loads and whose region chains hold: a
  // loop or a missing parent would silently drop the national values.
  config.check(today_in_china(), /*full=*/false);
  if (!config.findings().ok()) {
    print_findings(config.findings(), lang, false);
    return code(ExitCode::kConfig);
  }
  if (*list_cmd) return run_regions_list(list, context);
  if (*show_cmd) return run_regions_show(show, context);
  if (*test_cmd) return run_tests(tests, context);

  if (*credit_cmd) {
    std::cerr << (zh ? "用法：epil credit grade [--debtor … --ground … --decided …]（同 epil screen "
                       "--ruleset credit）\n"
                     : "usage: epil credit grade [--debtor … --ground … --decided …] (the same as "
                       "epil screen --ruleset credit)\n");
    return code(ExitCode::kInput);
  }

  if (*batch_cmd) {
    if (!rs) {
      std::cerr << (zh ? fmt::format("未知规则集 '{}'\n", g.ruleset)
                       : fmt::format("unknown ruleset '{}'\n", g.ruleset));
      return code(ExitCode::kConfig);
    }
    auto ext = [](const std::string& path) {
      std::string e = std::filesystem::path(path).extension().string();
      for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return e.empty() ? e : e.substr(1);
    };
    std::string from = batch_from.empty() ? ext(batch_in) : batch_from;
    std::string to = !batch_to.empty() ? batch_to : (batch_out == "-" ? "csv" : ext(batch_out));
    if (from == "ndjson") from = "jsonl";
    if (to == "ndjson") to = "jsonl";
    if (from != "csv" && from != "tsv" && from != "xlsx" && from != "jsonl") {
      std::cerr << (zh ? fmt::format(
                             "{}：无法判断输入格式（应为 .csv、.tsv、.xlsx 或 .jsonl），请用 --from 指定\n",
                             batch_in)
                       : fmt::format("{}: cannot tell the input format (expected .csv, .tsv, "
                                     ".xlsx or .jsonl); use --from\n",
                                     batch_in));
      return code(ExitCode::kInput);
    }
    if (to != "csv" && to != "tsv" && to != "jsonl" && (to != "xlsx" || batch_out == "-")) {
      std::cerr << (zh ? fmt::format("{}：输出应为 .csv、.tsv、.xlsx 或 .jsonl 文件，请用 --to 指定\n",
                                     batch_out)
                       : fmt::format(
                             "{}: the output must be a .csv, .tsv, .xlsx or .jsonl file; use --to\n",
                             batch_out));
      return code(ExitCode::kInput);
    }
    io::BatchOptions opt;
    opt.region = batch_region;
    opt.overlay = batch_overlay;
    opt.lang = lang;
    opt.strict = batch_strict;
    opt.reuse_shapes = !batch_each;
    opt.threads = batch_threads;
    opt.limits = g.limits;
    opt.as_of = today_in_china();
    if (!batch_as_of.empty()) {
      auto d = parse_date_option(batch_as_of, "--as-of", lang);
      if (!d) return code(ExitCode::kInput);
      opt.as_of = *d;
    }
    for (const auto& m : batch_maps) {
      auto eq = m.find('=');
      if (eq == std::string::npos) {
        std::cerr << (zh ? fmt::format("--map '{}'：应写作 '表头=字段'\n", m)
                         : fmt::format("--map '{}': expected 'HEADER=FIELD'\n", m));
        return code(ExitCode::kInput);
      }
      opt.maps.push_back({m.substr(0, eq), m.substr(eq + 1)});
    }
    std::optional<io::TableError> table_error;
    std::unique_ptr<io::TableReader> reader;
    if (from == "xlsx") {
      reader = io::open_xlsx(batch_in, batch_sheet, table_error, g.limits);
    } else if (from == "jsonl") {
      reader = io::open_jsonl(batch_in, table_error, g.limits);
    } else {
      io::CsvOptions csv;
      csv.limits = g.limits;
      if (from == "tsv") csv.delimiter = '\t';
      if (!batch_delimiter.empty())
        csv.delimiter = batch_delimiter == "\\t" ? '\t' : batch_delimiter[0];
      static const std::map<std::string, io::Encoding> kEncodings = {
          {"utf-8", io::Encoding::kUtf8},       {"utf-8-bom", io::Encoding::kUtf8Bom},
          {"utf-16le", io::Encoding::kUtf16Le}, {"utf-16be", io::Encoding::kUtf16Be},
          {"gb18030", io::Encoding::kGb18030},  {"gbk", io::Encoding::kGb18030}};
      if (!batch_encoding.empty()) csv.encoding = kEncodings.at(batch_encoding);
      reader = io::open_csv(batch_in, csv, table_error);
    }
    if (!reader) {
      const io::TableError& e = *table_error;
      std::cerr << fmt::format("{}: {}\n", e.file, zh ? e.message_zh : e.message);
      return code(ExitCode::kInput);
    }
    // What cannot be written is refused before any row is screened: a sheet too wide, or a
    // --summary-json that would overwrite the results, the input or (without --force) a file.
    if (to == "xlsx") {
      if (auto e = io::xlsx_columns_problem(batch_out,
                                            reader->header().size() + io::added_keys(*rs).size())) {
        say(*e, zh);
        return code(ExitCode::kInput);
      }
    }
    if (!batch_summary_json.empty() && io::same_file(batch_summary_json, batch_out)) {
      std::cerr
          << (zh ? fmt::format(
                       "--summary-json {}：与输出文件（-o）相同，会覆盖筛查结果，请另选文件\n",
                       batch_summary_json)
                 : fmt::format("--summary-json {}: the same file as the output (-o); it "
                               "would overwrite the results: choose another\n",
                               batch_summary_json));
      return code(ExitCode::kInput);
    }
    io::OutputError out_error;
    auto out = io::OutputFile::open(batch_out, batch_in, batch_force, out_error);
    if (!out) {
      say(out_error, zh);
      return code(ExitCode::kInput);
    }
    auto summary_out =
        batch_summary_json.empty()
            ? std::optional<io::OutputFile>()
            : io::OutputFile::open(batch_summary_json, batch_in, batch_force, out_error);
    if (!batch_summary_json.empty() && !summary_out) {
      say(out_error, zh);
      return code(ExitCode::kInput);
    }
    const bool to_stdout = out->is_stdout();
    std::unique_ptr<io::TableWriter> writer;
    if (to == "xlsx") {
      writer = io::make_xlsx_writer(*out, lang, *rs, config);
      if (!writer) {
        std::cerr << fmt::format("{}: {}\n", batch_out,
                                 zh ? "无法创建 xlsx 文件" : "cannot create the xlsx file");
        return code(ExitCode::kInput);
      }
    } else if (to == "jsonl") {
      writer = io::make_jsonl_writer([&](std::string_view b) { return out->write(b); },
                                     io::added_keys(*rs));
    } else {
      writer = io::make_csv_writer([&](std::string_view b) { return out->write(b); },
                                   to == "tsv" ? '\t' : ',', !batch_no_bom);
    }
    if (isatty(2)) {
      auto start = std::chrono::steady_clock::now();
      opt.progress = [start, zh](int64_t rows, uint64_t done, uint64_t total) {
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        double rate = secs > 0 ? rows / secs : 0;
        std::string eta;
        if (total > 0 && done > 0 && done < total) {
          double left = secs * static_cast<double>(total - done) / static_cast<double>(done);
          eta =
              zh ? fmt::format(" · 约剩 {:.0f} 秒", left) : fmt::format(" · ~{:.0f} s left", left);
        }
        std::cerr << (zh ? fmt::format("\r已处理 {} 行 · {:.0f} 行/秒{}   ", rows, rate, eta)
                         : fmt::format("\r{} rows · {:.0f} rows/s{}   ", rows, rate, eta))
                  << std::flush;
      };
    }
    Findings batch_findings;
    auto summary = io::run_batch(config, *rs, *reader, batch_in, *writer, opt, batch_findings);
    if (isatty(2)) std::cerr << "\n";
    if (!summary) {
      // The output's own account (its name, the system's reason, the limit) replaces the
      // run's bare "writing the output failed".
      const auto& why = out->failure();
      for (const auto& x : batch_findings.items()) {
        if (!why || x.code != "write") std::cerr << x.format(zh) << "\n";
      }
      if (why) {
        say(*why, zh);
        g_stdout_failure_said = to_stdout;
      }
      return code(batch_findings.has_error_from(Origin::kConfiguration) ? ExitCode::kConfig
                                                                         : ExitCode::kInput);
    }
    if (!out->commit(out_error)) {
      say(out_error, zh);
      g_stdout_failure_said = to_stdout;
      return code(ExitCode::kInput);
    }
    std::cerr << io::summary_text(*summary, *rs, config, lang);
    if (summary_out) {
      summary_out->write(io::summary_json(*summary));
      if (!summary_out->commit(out_error)) {
        say(out_error, zh);
        return code(ExitCode::kInput);
      }
    }
    return code(summary->errors > 0 ? ExitCode::kRowErrors : ExitCode::kOk);
  }

  // screen --------------------------------------------------------------------------------
  if (!rs) {
    std::cerr << (zh ? fmt::format("未知规则集 '{}'\n", g.ruleset)
                     : fmt::format("unknown ruleset '{}'\n", g.ruleset));
    return code(ExitCode::kConfig);
  }
  io::FieldIndex index(*rs);
  Findings input_findings;
  io::CaseInput input(*rs);
  if (!case_file.empty()) {
    auto loaded = io::load_case_file(case_file, *rs, index, input_findings, g.limits);
    if (!loaded) {
      print_findings(input_findings, lang);
      return code(ExitCode::kInput);
    }
    input = std::move(*loaded);
  }
  bool bad = false;
  auto set_field = [&](int f, const std::string& text, const std::string& origin) {
    if (auto err = input.set(*rs, index, f, text)) {
      const FieldDef& fd = rs->fields[f];
      std::cerr << (zh ? fmt::format("{}（{}）：{}\n", origin, fd.label.zh, err->zh)
                       : fmt::format("{} ({}): {}\n", origin, fd.key, err->en));
      bad = true;
    }
  };
  for (const auto& [f, text] : field_values) set_field(f, text, "--" + flag_of(rs->fields[f]));
  for (const auto& s : sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      std::cerr << (zh ? fmt::format("--set {}：应为 字段=值（如 --set 损害数额=2800）\n",
                                     excerpt(s))
                       : fmt::format("--set {}: expected FIELD=VALUE (such as --set "
                                     "damage_amount=2800), found no '='\n",
                                     excerpt(s)));
      bad = true;
      continue;
    }
    int f = index.find(s.substr(0, eq));
    if (f < 0) {
      const Text near = io::near_fields(index, s.substr(0, eq));
      std::cerr << (zh ? fmt::format("--set {}：未知字段（{}）\n", excerpt(s), near.zh)
                       : fmt::format("--set {}: unknown field ({})\n", excerpt(s), near.en));
      bad = true;
      continue;
    }
    set_field(f, s.substr(eq + 1), "--set");
  }
  ScreenOptions opt;
  opt.strict = strict;
  opt.as_of = today_in_china();
  if (!as_of_opt.empty()) {
    auto d = parse_date_option(as_of_opt, "--as-of", lang);
    if (!d) return code(ExitCode::kInput);
    opt.as_of = *d;
  }
  if (bad) return code(ExitCode::kInput);
  input.apply_defaults(*rs, index);
  std::string region_name = !region_opt.empty() ? region_opt : input.region;
  if (region_name.empty()) region_name = "national";
  const Region* region = config.find_region(region_name);
  if (!region) {
    std::string known;
    for (const auto& r : config.regions()) {
      if (!r.overlay) known += (known.empty() ? "" : ", ") + r.id + " " + r.name.zh;
    }
    std::cerr << (zh ? fmt::format("未知地区 '{}'；可用：{}\n", region_name, known)
                     : fmt::format("unknown region '{}'; known: {}\n", region_name, known));
    return code(ExitCode::kInput);
  }
  if (!overlay_opt.empty() && !(opt.overlay = find_overlay_or_say(config, overlay_opt, zh))) {
    return code(ExitCode::kInput);
  }
  ScreenResult res = screen(config, *rs, *region, input.values, input.defaulted,
                            case_id.empty() ? input.case_id : case_id, opt);
  if (!res.ok) {
    print_findings(res.findings, lang, false);
    return code(ExitCode::kConfig);
  }
  if (res.decision.conduct_after_review) {
    std::cerr << (zh ? "行为发生日期晚于审查日期：请检查 --date 与 --as-of（或审查日期）。\n"
                     : "the conduct date is later than the review date: check --date and --as-of "
                       "(or the review date).\n");
    return code(ExitCode::kInput);
  }
  if (res.late_input >= 0) {
    const FieldDef& f = rs->fields[res.late_input];
    std::cerr << (zh ? fmt::format("{}晚于审查日期：请检查该日期与 --as-of（或审查日期）。\n",
                                   f.label.zh)
                     : fmt::format("the {} is later than the review date: check it and --as-of "
                                   "(or the review date).\n",
                                   f.label.en));
    return code(ExitCode::kInput);
  }
  if (res.decision.strict_error) {
    std::cerr << (zh ? "严格模式：所选日期早于某项标准的最早生效日期。\n"
                     : "strict mode: the date is before the first value of a threshold used.\n");
    return code(ExitCode::kInput);
  }
  if (format == "json") {
    std::cout << io::render_json(res.explanation, lang);
  } else {
    std::cout << io::render_text(res.explanation, lang);
  }
  return code(ExitCode::kOk);
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
