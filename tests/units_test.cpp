// units.yaml: how amounts are written, read from the tree (or the binary's own when a tree has
// none), checked, and covered by result fingerprints.
#include "core/units.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli_support.h"
#include "core/config.h"
#include "io/normalize.h"

using namespace epil;
using epil::testing::run;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& s, std::string_view part) { return s.find(part) != s.npos; }

std::string all_findings(const Findings& f) {
  std::string out;
  for (const auto& x : f.items()) out += x.format() + "\n";
  return out;
}

// A copy of the shipped tree in a temporary directory, removed at the end.
struct Tree {
  fs::path dir;
  explicit Tree(bool with_units) {
    dir = fs::temp_directory_path() /
          ("epil-units-" + std::to_string(::getpid()) + "-" + std::to_string(with_units));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* sub : {"thresholds", "regions", "calendars"}) {
      fs::copy(fs::path(EPIL_SOURCE_DIR) / sub, dir / sub, fs::copy_options::recursive);
    }
    fs::copy(fs::path(EPIL_SOURCE_DIR) / "presentation.yaml", dir / "presentation.yaml");
    if (with_units) fs::copy(fs::path(EPIL_SOURCE_DIR) / "units.yaml", dir / "units.yaml");
  }
  ~Tree() { fs::remove_all(dir); }
};

}  // namespace

TEST_CASE("units: the shipped fields read their units as units.yaml describes them") {
  Config c = Config::embedded();
  CHECK(c.units().file == "units.yaml");
  int described = 0;
  for (const Ruleset& rs : c.rulesets()) {
    for (const FieldDef& f : rs.fields) {
      if (f.kind != FieldKind::kInput) continue;
      CAPTURE(rs.id);
      CAPTURE(f.key);
      CHECK(f.number_unit.unit == f.unit);
      if (const UnitDef* u = c.units().find(f.unit)) {
        ++described;
        CHECK(!u->hint.zh.empty());
        CHECK(!u->hint.en.empty());
        CHECK(f.number_unit.suffixes.size() == u->suffixes.size());
      } else {
        // 人, 岁, 月: its own name is the only suffix.
        CHECK(f.number_unit.suffixes.size() == (f.unit.empty() ? 0u : 1u));
      }
    }
  }
  CHECK(described >= 10);  // money (元), tonnes, kilograms, 亩, multiples
  const UnitDef& yuan = *c.units().find("元");
  CHECK(io::parse_number("0.3万元", yuan) == 3000.0);
  CHECK(io::parse_number("人民币 3,000 元", yuan) == 3000.0);
  CHECK(io::parse_number("5斤", *c.units().find("t")) == 0.0025);
  CHECK_FALSE(io::parse_number("3吨", yuan).has_value());
  // A unit the file does not describe: its own name is its only suffix.
  CHECK(io::parse_number("3人", UnitDef::named_only("人")) == 3.0);
  CHECK_FALSE(io::parse_number("3万人", UnitDef::named_only("人")).has_value());
}

TEST_CASE("units: mistakes in units.yaml are findings with their line and column") {
  Findings f;
  UnitTable t = load_units(
      "units:\n"
      "  元:\n"
      "    suffixes:\n"
      "      万元: 0.0001e8\n"
      "      Wan: 1e4\n"
      "      千元: 1e3\n"
      "    colour: red\n",
      "units.yaml", f);
  const std::string all = all_findings(f);
  CHECK(has(all,
            "units.yaml:4:11: error[unit-multiplier]: 元.万元: expected a multiplier "
            "written N or NeE (1e4, 5e-4, 15), found '0.0001e8'"));
  CHECK(has(all, "units.yaml:5:7: error[unit-suffix]: suffix 'Wan': write it in small letters"));
  CHECK(has(all, "units.yaml:7:5"));  // an unknown key is said, not ignored
  REQUIRE(t.find("元") != nullptr);
  REQUIRE(t.find("元")->suffixes.size() == 1);  // 千元 kept, the others refused
  CHECK(t.find("元")->suffixes[0].exp10 == 3);
}

TEST_CASE("units: a tree's own units.yaml is read, and the fingerprint covers it") {
  Tree own(true);
  Tree without(false);
  const std::string args =
      " screen --region 广西 --type water --persistent-risk 否 --as-of "
      "2026-11-28 --lang en --format json";
  // Without the file, the binary's units: the same reading and the same fingerprint.
  auto shipped = run(args.substr(1) + " --amount 0.28万元");
  auto copied = run("--config '" + without.dir.string() + "'" + args + " --amount 0.28万元");
  CHECK(shipped.code == 0);
  CHECK(copied.code == 0);
  auto fingerprint = [](const std::string& out) { return out.substr(out.find("sha256:")); };
  CHECK(fingerprint(shipped.out) == fingerprint(copied.out));
  // A suffix of the tree's own: read, and the fingerprint says the reading differs.
  {
    std::ifstream in(own.dir / "units.yaml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("      块: 1\n"), 0, "      圆: 1\n");
    std::ofstream(own.dir / "units.yaml") << text;
  }
  auto edited = run("--config '" + own.dir.string() + "'" + args + " --amount 2800圆");
  auto plain = run(args.substr(1) + " --amount 2800");
  CHECK(edited.code == 0);
  auto outcome = [](const std::string& out) {
    const size_t at = out.find("\"outcome\"");
    return out.substr(at, out.find('\n', at) - at);
  };
  CHECK(outcome(edited.out) == outcome(plain.out));
  CHECK(fingerprint(edited.out) != fingerprint(plain.out));
  auto refused = run(args.substr(1) + " --amount 2800圆");
  CHECK(refused.code == 1);
  CHECK(has(refused.out, "expected an amount such as 3000, 3,000元, 0.3万元, found '2800圆'"));
}
