// presentation.yaml: the default ruleset, command words and outcome colours a tree declares, its
// checks, and their effect (the colours of every ruleset's outcomes in XLSX output).
#include "core/presentation.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_support.h"
#include "core/config.h"
#include "io/config_tree.h"
#include "xlsx_xml.h"

using namespace epil;
using epil::testing::run;
using epil::testing::zip_member;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& s, std::string_view part) { return s.find(part) != s.npos; }

Config shipped_with(const std::string& presentation) {
  io::TreeFiles tree = io::read_tree_files(EPIL_SOURCE_DIR);
  for (auto& f : tree.files) {
    if (f.path == "presentation.yaml") f.text = presentation;
  }
  return Config::from_files(std::move(tree.files), "tree");
}

// The findings of the shipped tree with `presentation` as its presentation.yaml, checked.
std::string findings_with(const std::string& presentation) {
  Config c = shipped_with(presentation);
  c.check(*Date::from_ymd(2026, 11, 28));
  std::string found;
  for (const auto& x : c.findings().items()) found += x.format() + "\n";
  return found;
}

}  // namespace

TEST_CASE("presentation: the shipped file names the default ruleset, credit grade and colours") {
  Config c = Config::embedded();
  const Presentation& p = c.presentation();
  CHECK(p.default_ruleset == "epil");
  CHECK(c.default_ruleset() == "epil");
  const CommandAlias* a = p.command({"credit", "grade", "--debtor", "x"});
  REQUIRE(a != nullptr);
  CHECK(a->runs == "screen");
  CHECK(a->ruleset == "credit");
  CHECK(p.command({"credit"}) == nullptr);  // the words are whole or not at all
  CHECK(p.command({"screen", "grade"}) == nullptr);
  // Every outcome of every shipped ruleset has a colour.
  for (const Ruleset& rs : c.rulesets()) {
    for (const OutcomeDef& o : rs.outcomes) {
      CAPTURE(rs.id);
      CAPTURE(o.key);
      CHECK(p.fill(rs.id, o.key).has_value());
    }
  }
  CHECK(p.unreadable_row_fill == 0xFFC7CE);
  c.check(*Date::from_ymd(2026, 11, 28));
  for (const auto& f : c.findings().items())
    CHECK_MESSAGE(f.file != "presentation.yaml", f.format());
}

TEST_CASE("presentation: mistakes are findings with their line and column") {
  Findings f;
  Presentation p = load_presentation(
      "default_ruleset: epil\n"
      "outcome_styles:\n"
      "  epil:\n"
      "    exempt: {fill: green}\n"
      "colours: {}\n",
      "presentation.yaml", f);
  std::string all;
  for (const auto& x : f.items()) all += x.format() + "\n";
  CHECK(has(all,
            "presentation.yaml:4:20: error[colour]: fill: expected a colour written #RRGGBB, "
            "found 'green'"));
  CHECK(has(all, "presentation.yaml:5:1"));  // an unknown key is said, not ignored
  CHECK(p.outcome_styles.empty());

  const std::string found = findings_with(
      "default_ruleset: epl\n"
      "commands:\n"
      "  - {words: [batch, credit], runs: batch, ruleset: credit}\n"
      "outcome_styles:\n"
      "  epil: {exempted: {fill: \"#FFFFFF\"}}\n");
  CHECK(has(found, "tree/presentation.yaml:1:18: error[unknown-ruleset]: unknown ruleset 'epl'"));
  CHECK(has(found, "tree/presentation.yaml:3:5: error[command-clash]"));
  CHECK(has(found,
            "tree/presentation.yaml:5:10: error[unknown-outcome]: ruleset 'epil' has no "
            "outcome 'exempted'"));
}

TEST_CASE("presentation: a tree without it names its ruleset, and says how when it does not") {
  const fs::path dir = fs::temp_directory_path() / ("epil-pres-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* sub : {"thresholds", "regions", "calendars"}) {
    fs::copy(fs::path(EPIL_SOURCE_DIR) / sub, dir / sub, fs::copy_options::recursive);
  }
  const std::string config = " --config '" + dir.string() + "' --lang en";
  auto r = run("screen --amount 2800 --type water" + config);
  CHECK(r.code == 1);
  CHECK(has(r.out,
            "no ruleset named and the configuration tree has no default: give --ruleset, "
            "or name default_ruleset in the tree's presentation.yaml (known: "));
  r =
      run("screen --ruleset epil --set damage_amount=2800 --set damage_type=water --as-of "
          "2026-11-28" +
          config);
  CHECK(r.code == 0);
  CHECK(has(r.out, "Outcome:"));
  // Command words come from the tree: without the file `credit grade` is no command.
  r = run("credit grade --debtor natural --as-of 2026-11-28" + config);
  CHECK(r.code == 1);
  // With one that names other words, those work.
  std::ofstream(dir / "presentation.yaml")
      << "default_ruleset: epil\n"
         "commands:\n"
         "  - {words: [debtor], runs: screen, ruleset: credit, summary: {zh: 评定, en: grade}}\n";
  r = run("debtor --help" + config);
  CHECK(r.code == 0);
  CHECK(has(r.out, "epil debtor: grade / 评定"));
  CHECK(has(r.out, "Usage: epil debtor [OPTIONS] [case_file]"));
  fs::remove_all(dir);
}

TEST_CASE("presentation: every outcome of the credit ruleset is coloured in XLSX output") {
  const fs::path dir = fs::temp_directory_path() / ("epil-pres-x-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string out = (dir / "out.xlsx").string();
  auto r = run("batch '" + std::string(EPIL_SOURCE_DIR) + "/examples/debtors.csv' -o '" + out +
               "' --ruleset credit --as-of 2026-11-28 --lang en");
  CHECK(r.code <= 3);
  const std::string styles = zip_member(out, "xl/styles.xml");
  // The fills of presentation.yaml's credit outcomes, as libxlsxwriter writes them (ARGB).
  for (const char* fill : {"FFC6EFCE", "FFDDEBF7", "FFFCE4D6", "FFFFEB9C"}) {
    CAPTURE(fill);
    CHECK(has(styles, fill));
  }
  fs::remove_all(dir);
}

TEST_CASE("presentation: summary_by names the field a summary counts rows by, checked") {
  Config shipped = Config::embedded();
  const Ruleset& epil_rs = *shipped.ruleset("epil");
  const Ruleset& credit_rs = *shipped.ruleset("credit");
  CHECK(epil_rs.fields[shipped.summary_field(epil_rs)].key == "damage_type");
  CHECK(credit_rs.fields[shipped.summary_field(credit_rs)].key == "debtor_type");

  Config other = shipped_with("default_ruleset: epil\nsummary_by:\n  epil: waste_kind\n");
  const Ruleset& rs = *other.ruleset("epil");
  CHECK(rs.fields[other.summary_field(rs)].key == "waste_kind");
  other.check(*Date::from_ymd(2026, 11, 28));
  CHECK(other.findings().ok());
  // Without it, the first required enum input, as before there was a choice.
  const Ruleset& credit_other = *other.ruleset("credit");
  CHECK(credit_other.fields[other.summary_field(credit_other)].key == "debtor_type");

  const std::string found = findings_with(
      "default_ruleset: epil\n"
      "summary_by:\n"
      "  epil: damage_amount\n"
      "  credit: debtor\n"
      "  epl: damage_type\n");
  CAPTURE(found);
  CHECK(has(found,
            "tree/presentation.yaml:3:9: error[bad-summary-field]: ruleset 'epil' has no enum "
            "input field 'damage_amount' (the summary counts rows by its values); known: "
            "damage_type, "));
  CHECK(has(found, "tree/presentation.yaml:4:11: error[bad-summary-field]: ruleset 'credit'"));
  CHECK(has(found, "tree/presentation.yaml:5:8: error[unknown-ruleset]: unknown ruleset 'epl'"));
}
