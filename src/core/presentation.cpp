#include "core/presentation.h"

#include "core/messages.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

std::string CommandAlias::typed() const {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

const CommandAlias* Presentation::command(const std::vector<std::string_view>& args) const {
  const CommandAlias* best = nullptr;
  for (const CommandAlias& c : commands) {
    if (c.words.empty() || c.words.size() > args.size()) continue;
    if (best && best->words.size() >= c.words.size()) continue;
    bool match = true;
    for (size_t i = 0; i < c.words.size() && match; ++i) match = args[i] == c.words[i];
    if (match) best = &c;
  }
  return best;
}

std::optional<uint32_t> Presentation::fill(std::string_view ruleset,
                                           std::string_view outcome) const {
  for (const OutcomeStyle& s : outcome_styles) {
    if (s.ruleset == ruleset && s.outcome == outcome) return s.fill;
  }
  return std::nullopt;
}

const SummaryField* Presentation::summary_field(std::string_view ruleset) const {
  for (const SummaryField& f : summary_by) {
    if (f.ruleset == ruleset) return &f;
  }
  return nullptr;
}

namespace {

// "#C6EFCE" → 0xC6EFCE; nullopt (with a finding) for anything else.
std::optional<uint32_t> colour(YamlReader& r, const yaml::Node& n, std::string_view what) {
  auto text = r.scalar(n, what);
  if (!text) return std::nullopt;
  const std::string& s = *text;
  bool ok = s.size() == 7 && s[0] == '#';
  uint32_t v = 0;
  for (size_t i = 1; ok && i < s.size(); ++i) {
    const char c = s[i];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    ok = d >= 0;
    v = v * 16 + static_cast<uint32_t>(d);
  }
  if (!ok) {
    r.error(n, Msg::kBadColour, what, s);
    return std::nullopt;
  }
  return v;
}

void read_commands(YamlReader& r, const yaml::Node& list, Presentation& p) {
  if (!list.IsSequence()) {
    r.error(list, Msg::kCommandsNotList);
    return;
  }
  for (const yaml::Node& item : list.items()) {
    if (!r.is_map(item, "command")) continue;
    r.allowed_keys(item, "command", {"words", "runs", "ruleset", "summary", "examples"});
    CommandAlias c;
    c.words = r.string_list(item["words"], "words");
    auto runs = r.required_scalar(item, "runs", "runs");
    auto ruleset = r.required_scalar(item, "ruleset", "ruleset");
    c.summary = r.text(item["summary"], "summary");
    if (item["examples"]) c.examples = r.string_list(item["examples"], "examples");
    c.line = YamlReader::line(item);
    c.column = YamlReader::column(item);
    if (c.words.empty()) {
      r.error(item, Msg::kCommandNeedsWords);
      continue;
    }
    if (runs && *runs != "screen" && *runs != "batch") {
      r.error(item["runs"], Msg::kBadRuns, *runs);
      continue;
    }
    if (!runs || !ruleset) continue;
    c.runs = *runs;
    c.ruleset = *ruleset;
    p.commands.push_back(std::move(c));
  }
}

void read_styles(YamlReader& r, const yaml::Node& map, Presentation& p) {
  if (!r.is_map(map, "outcome_styles")) return;
  for (const auto& [rs_key, outcomes] : map.entries()) {
    if (!r.is_map(outcomes, "outcome_styles")) continue;
    for (const auto& [outcome_key, style] : outcomes.entries()) {
      if (!r.is_map(style, "outcome style")) continue;
      r.allowed_keys(style, "outcome style", {"fill"});
      if (!style["fill"]) continue;
      if (auto fill = colour(r, style["fill"], "fill")) {
        p.outcome_styles.push_back({rs_key.Scalar(), outcome_key.Scalar(), *fill,
                                    YamlReader::line(outcome_key),
                                    YamlReader::column(outcome_key)});
      }
    }
  }
}

// summary_by: {ruleset: field, …}
void read_summary_by(YamlReader& r, const yaml::Node& map, Presentation& p) {
  if (!r.is_map(map, "summary_by")) return;
  for (const auto& [rs_key, field] : map.entries()) {
    auto key = r.scalar(field, "summary_by");
    if (!key) continue;
    p.summary_by.push_back(
        {rs_key.Scalar(), *key, YamlReader::line(field), YamlReader::column(field)});
  }
}

// column_presets: {name: [key, …], …}; the keys are checked when a run names the preset,
// against the ruleset it screens with.
void read_column_presets(YamlReader& r, const yaml::Node& map, Presentation& p) {
  if (!r.is_map(map, "column_presets")) return;
  for (const auto& [name, keys] : map.entries()) {
    p.column_presets.push_back({name.Scalar(), r.string_list(keys, "column_presets"),
                                YamlReader::line(name), YamlReader::column(name)});
  }
}

}  // namespace

Presentation load_presentation(std::string_view text, const std::string& file, Findings& findings,
                               const Limits& limits) {
  Presentation p;
  p.file = file;
  YamlReader r(file, findings, limits);
  auto root = r.parse_map(text, "presentation",
                          {"default_ruleset", "commands", "outcome_styles", "unreadable_row",
                           "summary_by", "column_presets"});
  if (!root) return p;
  if (yaml::Node d = (*root)["default_ruleset"]) {
    p.default_ruleset = r.scalar(d, "default_ruleset").value_or("");
    p.default_ruleset_line = YamlReader::line(d);
    p.default_ruleset_column = YamlReader::column(d);
  }
  if (yaml::Node c = (*root)["commands"]) read_commands(r, c, p);
  if (yaml::Node s = (*root)["outcome_styles"]) read_styles(r, s, p);
  if (yaml::Node s = (*root)["summary_by"]) read_summary_by(r, s, p);
  if (yaml::Node s = (*root)["column_presets"]) read_column_presets(r, s, p);
  if (yaml::Node u = (*root)["unreadable_row"]; u && r.is_map(u, "unreadable_row")) {
    r.allowed_keys(u, "unreadable_row", {"fill"});
    if (u["fill"]) p.unreadable_row_fill = colour(r, u["fill"], "fill");
  }
  return p;
}

}  // namespace epil
