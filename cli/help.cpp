#include "cli/help.h"

#include <fmt/format.h>

#include <optional>
#include <tuple>

namespace epil::cli {

namespace {

// CLI11's formatter, but for the usage line, which names the words given.
class NamedUsage : public CLI::Formatter {
 public:
  explicit NamedUsage(std::string words) : words_(std::move(words)) {}
  std::string make_usage(const CLI::App* app, std::string) const override {
    return CLI::Formatter::make_usage(app, words_);
  }

 private:
  std::string words_;
};

}  // namespace

std::string group_title(Msg m) {
  const Text t = message(m);
  return t.zh + " / " + t.en;
}

void name_usage(CLI::App& cmd, std::string words) {
  cmd.formatter(std::make_shared<NamedUsage>(std::move(words)));
}

void set_examples(CLI::App& cmd, const std::vector<std::string>& examples, Lang lang,
                  const std::string& note) {
  std::string footer = message(Msg::kHelpExamples).in(lang) + "\n";
  for (const auto& e : examples) footer += "  " + e + "\n";
  if (!note.empty()) footer += note + "\n";
  cmd.footer(footer);
}

}  // namespace epil::cli

namespace epil::cli {

namespace {

// The text after `prefix` in `s`, or nullopt when `s` does not contain it.
std::optional<std::string> after(const std::string& s, const std::string& prefix) {
  const auto at = s.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  return s.substr(at + prefix.size());
}

// "NAME: REST" split at the first ": ", as CLI11 writes the option it complains about.
std::pair<std::string, std::string> name_and_rest(const std::string& s) {
  const auto at = s.find(": ");
  if (at == std::string::npos) return {"", s};
  return {s.substr(0, at), s.substr(at + 2)};
}

// CLI11 words each error in one of a few fixed English patterns (CLI/Error.hpp, 2.1); the
// option and values are read back out of them. A pattern not known here is shown as it is.
Text parse_error_sentence(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    if (auto rest = after(what, "not expected: ")) return message(Msg::kCliNotExpected, *rest);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const auto [name, rest] = name_and_rest(what);
    if (auto got = after(rest, "required but received ")) {
      if (rest.rfind("At Most", 0) == 0) return message(Msg::kCliTooManyValues, name, *got);
      return message(Msg::kCliMissingValue, name);
    }
    if (rest.find("missing") != std::string::npos) return message(Msg::kCliMissingValue, name);
    if (auto to = after(what, " arguments to ")) {
      return message(Msg::kCliMissingValue, to->substr(0, to->find(',')));
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (what.find("subcommand") != std::string::npos) return message(Msg::kCliNeedsCommand);
    if (auto at = what.find(" is required"); at != std::string::npos) {
      return message(Msg::kCliRequired, what.substr(0, at));
    }
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e)) {
    const auto [name, rest] = name_and_rest(what);
    if (auto at = rest.find(" not in "); at != std::string::npos) {
      return message(Msg::kCliNotOneOf, name, rest.substr(at + 8), rest.substr(0, at));
    }
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e)) {
    if (auto rest = after(what, "Could not convert: ")) {
      const auto eq = rest->find(" = ");
      if (eq != std::string::npos) {
        return message(Msg::kCliCannotConvert, rest->substr(0, eq), rest->substr(eq + 3));
      }
    }
  }
  for (const auto& [type_check, word, msg] :
       {std::tuple{dynamic_cast<const CLI::RequiresError*>(&e) != nullptr, " requires ",
                   Msg::kCliRequires},
        std::tuple{dynamic_cast<const CLI::ExcludesError*>(&e) != nullptr, " excludes ",
                   Msg::kCliExcludes}}) {
    if (!type_check) continue;
    if (auto at = what.find(word); at != std::string::npos) {
      return message(msg, what.substr(0, at), what.substr(at + std::string(word).size()));
    }
  }
  return message(Msg::kCliOther, what);
}

}  // namespace

Text parse_error_text(const CLI::ParseError& e, const std::string& words) {
  const Text sentence = parse_error_sentence(e);
  const Text hint = message(Msg::kCliHelpHint, words);
  return {sentence.zh + "\n" + hint.zh, sentence.en + "\n" + hint.en};
}

}  // namespace epil::cli
