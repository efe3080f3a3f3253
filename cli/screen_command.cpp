// epil screen [CASE] [--FIELD VALUE …] and epil credit grade: one case, screened and explained.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/help.h"
#include "core/epil.h"
#include "core/excerpt.h"
#include "io/case_input.h"
#include "io/report.h"

namespace epil::cli {

namespace {

// A few of an enum's other spellings ("第一项", "(一)"): people type the law's numbering, and
// the help should say that they may.
std::string other_spellings(const EnumDef& e) {
  std::vector<std::string> shown;
  for (const auto& v : e.values) {
    if (v.aliases.empty()) continue;
    for (const auto& a : v.aliases) {
      if (shown.size() < 3) shown.push_back(a + "=" + v.key);
    }
    break;  // one value's spellings show the pattern; --set and case files take them all
  }
  if (shown.empty()) return "";
  std::string list;
  for (const auto& s : shown) list += (list.empty() ? "" : ", ") + s;
  const Text t = message(Msg::kHelpAlsoWritten, list + " …");
  return " (" + t.zh + " / " + t.en + ")";
}

// "--damage-amount  损害数额 / damage amount [water=水污染, …] (元)": a field as a flag.
std::string field_help(const Ruleset& rs, int f) {
  const FieldDef& fd = rs.fields[f];
  std::string desc = fmt::format("{} / {}", fd.label.zh, fd.label.en);
  if (rs.field_enum[f] >= 0) {
    const EnumDef& e = rs.enums[rs.field_enum[f]];
    std::string vals;
    for (const auto& v : e.values) {
      vals += (vals.empty() ? "" : ", ") + v.key + "=" + v.label.zh;
    }
    desc += " [" + vals + "]" + other_spellings(e);
  }
  if (fd.type.base == BaseType::kBool) desc += " [是/否]";
  if (!fd.unit_label.zh.empty()) desc += " (" + fd.unit_label.zh + ")";
  return desc;
}

// The field the ruleset takes its review date from, or -1: its flag is also --as-of.
int review_field(const Ruleset& rs) {
  return rs.temporal.review_field.empty() ? -1 : rs.find_field(rs.temporal.review_field);
}

// One flag per input field, in the facts group or (dates) the dates group. The review date's
// field is left to add_review_date.
void add_field_flags(CLI::App& cmd, ScreenCommand& o, const Ruleset& rs) {
  const std::string facts = group_title(Msg::kHelpGroupFacts);
  const std::string dates = group_title(Msg::kHelpGroupDates);
  const int review = review_field(rs);
  for (int f = 0; f < rs.input_count(); ++f) {
    if (f == review) continue;
    try {
      cmd.add_option_function<std::string>(
             "--" + flag_of(rs.fields[f]), [&o, f](const std::string& v) { o.field_values[f] = v; },
             field_help(rs, f))
          ->group(rs.fields[f].type.base == BaseType::kDate ? dates : facts);
    } catch (const CLI::OptionAlreadyAdded&) {
      // A field named like a built-in option (--region, --format …): still settable with
      // --set, which takes any field by key or label.
    } catch (const CLI::ConstructionError&) {
      // A flag the loader let through but CLI11 refuses: --set still reaches the field.
    }
  }
}

// --as-of and the review date field's flag (--review-date) are one date: one option with both
// names, any number of times with one value (checked in run_screen).
void add_review_date(CLI::App& cmd, ScreenCommand& o, const Ruleset* rs) {
  const int review = rs ? review_field(*rs) : -1;
  std::string names = "--as-of";
  if (review >= 0 && flag_of(rs->fields[review]) != "as-of") {
    names = "--" + flag_of(rs->fields[review]) + ",--as-of";
  }
  const Text help = message(Msg::kHelpReviewDate);
  cmd.add_option(names, o.as_of_given, help.zh + " / " + help.en)
      ->expected(1)
      ->allow_extra_args(false)  // one date each time: a case file after it is not a date
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("DATE")
      ->group(group_title(Msg::kHelpGroupDates));
}

// What the command is for: the ruleset's name, and for command words the words themselves.
std::string screen_description(const Ruleset* rs, const CommandAlias* alias) {
  std::string d = "screen one case / 筛查一个案件";
  if (rs) d = fmt::format("{} · {}", rs->name.zh, rs->name.en);
  if (alias) {
    d = fmt::format("epil {}: {} / {}", alias->typed(), alias->summary.en, alias->summary.zh);
  }
  if (rs && !rs->description.empty()) {
    d += "\n" + rs->description.zh + "\n" + rs->description.en;
  }
  return d;
}

}  // namespace

CLI::App* add_screen(CLI::App& app, ScreenCommand& o, const Ruleset* rs, const CommandAlias* alias,
                     Lang lang) {
  auto* cmd = app.add_subcommand("screen", screen_description(rs, alias));
  const std::string words = alias ? "epil " + alias->typed() : "epil screen";
  if (alias) name_usage(*cmd, words);
  const Text file_help = message(Msg::kHelpCaseFile);
  cmd->add_option("case_file", o.case_file, file_help.zh + " / " + file_help.en);
  const std::string region = group_title(Msg::kHelpGroupRegion);
  cmd->add_option("--region", o.region,
                  "region (广西, 450000) or place (南宁市, 桂林市兴安县, 450325)")
      ->group(region);
  cmd->add_option("--overlay", o.overlay,
                  "named overlay on top of the region (e.g. judicial_proposal)")
      ->group(region);
  const std::string facts = group_title(Msg::kHelpGroupFacts);
  cmd->add_option("--set", o.sets, "FIELD=VALUE for any field, by key or Chinese label")
      ->group(facts);
  if (rs) add_field_flags(*cmd, o, *rs);
  add_review_date(*cmd, o, rs);
  const std::string output = group_title(Msg::kHelpGroupOutput);
  cmd->add_option("--format", o.format,
                  "text, json, or html (a page to print on A4 and attach to the case file)")
      ->check(CLI::IsMember({"text", "json", "html"}))
      ->group(output);
  cmd->add_option("--case-id", o.case_id, "case number shown in the result")->group(output);
  cmd->add_flag("--brief", o.brief,
                "简要结论（至多 12 行）/ the verdict, its reasons, missing facts and sources in at "
                "most 12 lines (with --format text)")
      ->group(output);
  cmd->add_flag("--strict", o.strict, "a date before a threshold's first value is an error")
      ->group(group_title(Msg::kHelpGroupConfig));
  std::vector<std::string> examples;
  if (alias) {
    for (const auto& e : alias->examples) examples.push_back(words + " " + e);
  } else {
    examples = {words + " 案件.yaml --region 广西 --as-of 2026-11-28 --lang zh",
                words +
                    " --region 广西 --type 水污染 --amount 2800 --regional-impact 否 "
                    "--persistent-risk 否 --date 2025-06-01 --format json"};
  }
  set_examples(*cmd, examples, lang, message(Msg::kHelpGlobalOptionsApply).in(lang));
  return cmd;
}

namespace {

// The case as given: the case file, then each --FIELD flag, then each --set. False (said) if
// any of them cannot be read.
bool read_case(const ScreenCommand& o, const Context& c, const io::FieldIndex& index,
               io::CaseInput& input) {
  const Ruleset& rs = *c.rs;
  if (!o.case_file.empty()) {
    Findings findings;
    auto loaded = io::load_case_file(o.case_file, rs, index, findings, c.g.limits);
    if (!loaded) {
      print_findings(findings, c.lang);
      return false;
    }
    input = std::move(*loaded);
  }
  bool ok = true;
  auto set_field = [&](int f, const std::string& text, const std::string& origin) {
    if (auto err = input.set(rs, index, f, text)) {
      const FieldDef& fd = rs.fields[f];
      say(message(Msg::kFieldValue, origin, Text{fd.label.zh, fd.key}, Text{err->zh, err->en}),
          c.lang);
      ok = false;
    }
  };
  for (const auto& [f, text] : o.field_values) set_field(f, text, "--" + flag_of(rs.fields[f]));
  for (const auto& s : o.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) {
      say(message(Msg::kSetSyntax, excerpt(s)), c.lang);
      ok = false;
      continue;
    }
    int f = index.find(s.substr(0, eq));
    if (f < 0) {
      say(message(Msg::kSetUnknownField, excerpt(s), io::near_fields(index, s.substr(0, eq))),
          c.lang);
      ok = false;
      continue;
    }
    set_field(f, s.substr(eq + 1), "--set");
  }
  return ok;
}

// Why a screened case gives no result: dates that contradict each other, or strict mode.
std::optional<Text> refusal(const ScreenResult& res, const Ruleset& rs) {
  if (res.decision.conduct_after_review) {
    return message(Msg::kCheckConductDate, message(Msg::kConductAfterReview));
  }
  if (res.late_input >= 0) {
    const FieldDef& f = rs.fields[res.late_input];
    return message(Msg::kCheckInputDate, message(Msg::kInputAfterReview, f.label));
  }
  if (res.decision.strict_error) return message(Msg::kStrictBeforeFirstValue);
  return std::nullopt;
}

// The review date --as-of (or the review field's flag) gives, "" if none; nullopt (said) when
// the two names were given different dates.
std::optional<std::string> one_review_date(const ScreenCommand& o, const Ruleset& rs, Lang lang) {
  for (const auto& v : o.as_of_given) {
    if (v == o.as_of_given.front()) continue;
    const int review = review_field(rs);
    const std::string flag = review >= 0 ? "--" + flag_of(rs.fields[review]) : "--as-of";
    say(message(Msg::kReviewDateTwice, flag, "--as-of", o.as_of_given.front(), v), lang);
    return std::nullopt;
  }
  return o.as_of_given.empty() ? std::string() : o.as_of_given.front();
}

}  // namespace

int run_screen(const ScreenCommand& o, Context& c) {
  if (!c.rs) return say_no_ruleset(c);
  if (o.brief && o.format != "text") {
    say(message(Msg::kBriefNeedsText, o.format), c.lang);
    return code(ExitCode::kInput);
  }
  const Ruleset& rs = *c.rs;
  io::FieldIndex index(rs);
  io::CaseInput input(rs);
  const bool read = read_case(o, c, index, input);
  ScreenOptions opt;
  opt.strict = o.strict;
  const auto review = one_review_date(o, rs, c.lang);
  if (!review) return code(ExitCode::kInput);
  const auto as_of = date_or_today(*review, "--as-of", c.lang);
  if (!as_of) return code(ExitCode::kInput);
  opt.as_of = *as_of;
  if (!read) return code(ExitCode::kInput);
  if (auto problem = input.complete(rs, opt.as_of)) {
    say(*problem, c.lang);
    return code(ExitCode::kInput);
  }
  input.apply_defaults(rs, index);
  // A case that names no region takes the root's rules (the national ones), and says so.
  const std::string& region_name = !o.region.empty() ? o.region : input.region;
  PlaceMatch place;
  const Region* region = region_name.empty()
                             ? c.config.root_region()
                             : find_place_or_say(c.config, region_name, c.lang, place);
  if (!region) return code(ExitCode::kInput);
  if (place.division) {
    opt.place = region_name;
    if (place.unconfigured && place.province)
      opt.place_province_without_region = place.province->name;
  }
  if (!o.overlay.empty() && !(opt.overlay = find_overlay_or_say(c.config, o.overlay, c.lang))) {
    return code(ExitCode::kInput);
  }
  ScreenResult res = screen(c.config, rs, *region, input.values, input.defaulted,
                            o.case_id.empty() ? input.case_id : o.case_id, opt);
  if (!res.ok) {
    print_findings(res.findings, c.lang, false);
    return code(ExitCode::kConfig);
  }
  if (auto why = refusal(res, rs)) {
    say(*why, c.lang);
    return code(ExitCode::kInput);
  }
  if (o.format == "json") {
    std::cout << io::render_json(res.explanation, c.lang);
  } else if (o.format == "html") {
    std::cout << io::render_html(res.explanation, c.lang, {today_in_china()});
  } else {
    std::cout << (o.brief ? io::render_brief(res.explanation, c.lang)
                          : io::render_text(res.explanation, c.lang));
  }
  return code(ExitCode::kOk);
}

}  // namespace epil::cli
