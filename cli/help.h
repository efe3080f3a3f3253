// Help as offices read it: usage lines that say `epil` and the command words typed, options in
// groups, examples under each command. The words come from the catalogue (core/messages.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "core/messages.h"

namespace epil::cli {

/// "案件事实 / Case facts": a group title, in both languages as every option's help is.
std::string group_title(Msg m);

/// The usage line of `cmd` names `words` ("epil credit grade") instead of its parents and name:
/// command words stand for a command, and their help must name what was typed.
void name_usage(CLI::App& cmd, std::string words);

/// The footer "Examples:" with one `epil …` line each, then `note` (if any), in `lang`.
void set_examples(CLI::App& cmd, const std::vector<std::string>& examples, Lang lang,
                  const std::string& note = "");

}  // namespace epil::cli

namespace epil::cli {

/// A CLI11 parse error in the catalogue's words (option, what was expected, what was found),
/// then the hint "`words` --help"; CLI11's own text is English only.
Text parse_error_text(const CLI::ParseError& e, const std::string& words);

}  // namespace epil::cli
