// What every command of the command-line front end shares: the exit codes, the global options,
// the configuration in use, and saying problems on standard error.
#pragma once

#include <iostream>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/messages.h"
#include "core/text.h"
#include "io/config_tree.h"
#include "io/output_file.h"

namespace epil::cli {

/// The exit codes, documented in docs/cli.md.
enum class ExitCode : int {
  kOk = 0,           // a result was produced (whatever the outcome)
  kInput = 1,        // usage or input error: bad flag, unreadable case, unknown region
  kConfig = 2,       // configuration error: a rule or region file is wrong
  kTestsFailed = 3,  // `epil test`: some cases did not meet their expectations
  kRowErrors = 3,    // `epil batch`: some rows could not be read (every other row was screened)
};

inline int code(ExitCode c) { return static_cast<int>(c); }

// Options every command shares; --config and --ruleset are read before the rest because
// the ruleset decides which field flags `screen` has.
struct Global {
  std::optional<std::string> config_dir;
  std::string ruleset;  // --ruleset; empty: the tree's default
  std::string lang;
  std::string command;  // the first word that is not an option or an option's value
  Limits limits;        // --limit NAME=VALUE, any number of times
  std::string limit_error;
};

Global prescan(int argc, char** argv);

/// The files of the tree of --config DIR, else of $EPIL_CONFIG, else of the one embedded in
/// the binary.
io::TreeFiles tree_files(const Global& g);

/// The language of messages: LC_ALL, LC_MESSAGES or LANG starting "zh", else English.
Lang default_lang();
/// --lang if given, else default_lang(); read before the arguments are parsed.
Lang lang_of_arguments(int argc, char** argv);

// What every command is given: the tree in use, the ruleset --ruleset names (null if none
// does), the global options and the language of its output.
struct Context {
  Config& config;
  const Ruleset* rs;
  const Global& g;
  Lang lang;
  bool zh() const { return lang == Lang::kZh; }
};

/// A message on standard error, in the command's language.
void say(const Text& t, Lang lang);
void say(const io::OutputError& e, Lang lang);
void print_findings(const Findings& f, Lang lang, bool warnings = true);

/// Set once a failure to write standard output has been said (batch -o -), so that the check
/// at the end of every command does not say it twice.
extern bool g_stdout_failure_said;

/// The date an option gives; nullopt, said, when it is not a date or not given.
std::optional<Date> parse_date_option(const std::string& text, const char* what, Lang lang);
/// The date an option gives, or today when it is not given; nullopt (said) when not a date.
std::optional<Date> date_or_today(const std::string& text, const char* what, Lang lang);

/// The region by name, or null after saying which ones exist.
const Region* find_region_or_say(const Config& config, const std::string& name, Lang lang);
/// The region a place names (Config::find_place: a region's name, else an administrative
/// division's code or name), or null after saying why (unknown, ambiguous).
const Region* find_place_or_say(const Config& config, const std::string& place, Lang lang,
                                PlaceMatch& match);
/// The overlay named by --overlay, or null after saying which ones exist.
const Region* find_overlay_or_say(const Config& config, const std::string& name, Lang lang);

/// --ruleset named none the tree has (or none, and the tree has no default): said, and the
/// exit code for it.
int say_no_ruleset(const Context& c);

/// The field's command-line flag: its `flag:`, else its key, '_' written '-'.
std::string flag_of(const FieldDef& f);

}  // namespace epil::cli
