#include "cli/front.h"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>

#include "core/epil.h"
#include "io/config_tree.h"
#include "io/normalize.h"

namespace epil::cli {

bool g_stdout_failure_said = false;

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
    if (auto v = value("--config")) {
      g.config_dir = *v;
    } else if (auto r = value("--ruleset")) {
      g.ruleset = *r;
    } else if (value("--lang")) {
      continue;
    } else if (auto l = value("--limit")) {
      if (std::string e = set_limit(g.limits, *l); !e.empty() && g.limit_error.empty())
        g.limit_error = e;
    } else if (g.command.empty() && !a.empty() && a[0] != '-') {
      g.command = a;
    }
  }
  return g;
}

io::TreeFiles tree_files(const Global& g) {
  if (g.config_dir && !g.config_dir->empty()) return io::read_tree_files(*g.config_dir, g.limits);
  if (const char* env = std::getenv("EPIL_CONFIG"); env && *env) {
    return io::read_tree_files(env, g.limits);
  }
  return io::embedded_tree_files();
}

Lang default_lang() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::strncmp(v, "zh", 2) == 0 ? Lang::kZh : Lang::kEn;
  }
  return Lang::kEn;
}

Lang lang_of_arguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--lang" && i + 1 < argc)
      return std::string_view(argv[i + 1]) == "zh" ? Lang::kZh : Lang::kEn;
    if (a.rfind("--lang=", 0) == 0) return a.substr(7) == "zh" ? Lang::kZh : Lang::kEn;
  }
  return default_lang();
}

void say(const Text& t, Lang lang) { std::cerr << t.in(lang) << "\n"; }

void say(const io::OutputError& e, Lang lang) {
  std::cerr << (lang == Lang::kZh ? e.message_zh : e.message) << "\n";
}

void print_findings(const Findings& f, Lang lang, bool warnings) {
  for (const auto& x : f.items()) {
    if (!warnings && x.severity != Severity::kError) continue;
    std::cerr << x.format(lang == Lang::kZh) << "\n";
  }
}

std::optional<Date> parse_date_option(const std::string& text, const char* what, Lang lang) {
  if (text.empty()) return std::nullopt;
  auto d = io::parse_date(text);
  if (!d) say(message(Msg::kBadDateOption, what, text), lang);
  return d;
}

std::optional<Date> date_or_today(const std::string& text, const char* what, Lang lang) {
  if (text.empty()) return today_in_china();
  return parse_date_option(text, what, lang);
}

const Region* find_region_or_say(const Config& config, const std::string& name, Lang lang) {
  if (const Region* r = config.find_region(name)) return r;
  say(message(Msg::kUnknownRegion, name, config.region_names(false)), lang);
  return nullptr;
}

const Region* find_place_or_say(const Config& config, const std::string& place, Lang lang,
                                PlaceMatch& match) {
  match = config.find_place(place);
  if (!match.region) say(match.problem, lang);
  return match.region;
}

const Region* find_overlay_or_say(const Config& config, const std::string& name, Lang lang) {
  if (const Region* o = config.find_overlay(name)) return o;
  say(message(Msg::kUnknownOverlay, name, config.region_names(true)), lang);
  return nullptr;
}

int say_no_ruleset(const Context& c) {
  if (!c.g.ruleset.empty()) {
    say(message(Msg::kUnknownRuleset, c.g.ruleset), c.lang);
    return code(ExitCode::kConfig);
  }
  std::string known;
  for (const auto& rs : c.config.rulesets()) known += (known.empty() ? "" : ", ") + rs.id;
  say(message(Msg::kNoDefaultRuleset, known.empty() ? "-" : known), c.lang);
  return code(ExitCode::kInput);
}

std::string flag_of(const FieldDef& f) {
  std::string s = f.flag.empty() ? f.key : f.flag;
  for (char& c : s) {
    if (c == '_') c = '-';
  }
  return s;
}

}  // namespace epil::cli
