// presentation.yaml: the default ruleset, command words and outcome colours a tree declares, its
// checks, and their effect (the colours of every ruleset's outcomes in XLSX output).
#include "core/presentation.h"

#include <doctest/doctest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "cli_support.h"
#include "core/config.h"
#include "io/config_tree.h"

using namespace epil;
using epil::testing::run;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& s, std::string_view part) { return s.find(part) != s.npos; }

// One member of a zip archive, whole; empty if absent.
std::string zip_member(const std::string& path, const char* name) {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (!z) return "";
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name, 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

Config shipped_with(const std::string& presentation) {
  io::TreeFiles tree = io::read_tree_files(EPIL_SOURCE_DIR);
  for (auto& f : tree.files) {
    if (f.path == "presentation.yaml") f.text = presentation;
  }
  return Config::from_files(std::move(tree.files), "tree");
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

  Config c = shipped_with(
      "default_ruleset: epl\n"
      "commands:\n"
      "  - {words: [batch, credit], runs: batch, ruleset: credit}\n"
      "outcome_styles:\n"
      "  epil: {exempted: {fill: \"#FFFFFF\"}}\n");
  c.check(*Date::from_ymd(2026, 11, 28));
  std::string found;
  for (const auto& x : c.findings().items()) found += x.format() + "\n";
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
