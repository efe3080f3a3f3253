// A configuration tree: rulesets (thresholds/*.yaml), region overlays (regions/*.yaml), the
// region test files beside them (regions/*.test.yaml) and the holiday calendars
// (calendars/*.yaml). Made from files already read (io/config_tree.h reads a directory) or from
// the copy embedded in the binary, then checked as a whole.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/calendar.h"
#include "core/divisions.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/presentation.h"
#include "core/program.h"
#include "core/region.h"
#include "core/ruleset.h"
#include "core/units.h"

namespace epil {

struct ConfigFile {
  std::string path;  // relative to the tree root, e.g. "regions/guangxi.yaml"
  std::string text;
};

/// What a place, written as a case or a ledger writes it, names: the region it is screened
/// under, and the administrative division when it named one rather than a region.
struct PlaceMatch {
  const Region* region = nullptr;      // null: `problem` says why (unknown, ambiguous)
  const Division* division = nullptr;  // null when the place is a region's own name or alias
  const Division* province = nullptr;  // the division's province
  /// No region of the tree has the division's code, its prefecture's or its province's: the
  /// root's (national) rules apply, and the result says so.
  bool unconfigured = false;
  std::vector<const Division*> candidates;  // two or more: the place is ambiguous
  std::string_view problem_code;            // "unknown-region", "ambiguous-place"
  Text problem;
};

class Config {
 public:
  /// The tree made of `files`, their paths relative to its root; `origin` is where they were
  /// read (the directory messages name them under; empty for the embedded copy), and
  /// `read_findings` the problems met reading them (io/config_tree.h reads a directory).
  /// `only_ruleset`: load just that ruleset (and skip other rulesets' values in region files):
  /// a one-case command need not parse every ruleset of the tree. Empty: everything.
  /// `limits`: expressions are bounded by expr_nodes and expr_depth, YAML by mapping_keys.
  static Config from_files(std::vector<ConfigFile> files, std::string origin,
                           std::string_view only_ruleset = {}, const Limits& limits = Limits{},
                           Findings read_findings = Findings());
  /// The tree compiled into the binary.
  static Config embedded(std::string_view only_ruleset = {}, const Limits& limits = Limits{});

  const std::string& origin() const { return origin_; }
  const std::vector<ConfigFile>& files() const { return files_; }
  const std::vector<Ruleset>& rulesets() const { return rulesets_; }
  const std::vector<Region>& regions() const { return regions_; }
  /// The State Council holiday calendars (calendars/*.yaml) that working days count on; parsed
  /// on first need (a program that counts working days, or a full check).
  const WorkCalendar& calendar() {
    ensure_calendar();
    return calendar_;
  }
  const Findings& findings() const { return findings_; }
  /// units.yaml: how amounts are written, unit by unit; the binary's own when the tree has
  /// none.
  const UnitTable& units() const { return units_; }
  /// presentation.yaml: the default ruleset, command words, outcome colours (empty if none).
  const Presentation& presentation() const { return presentation_; }
  /// The input field `rs`'s summaries count rows by: the enum input presentation.yaml names
  /// (summary_by), else the first required enum input; -1 when there is none.
  int summary_field(const Ruleset& rs) const;
  /// The ruleset a command uses when it names none: the tree's default_ruleset, else its
  /// only ruleset; empty when neither says.
  std::string default_ruleset() const;

  const Ruleset* ruleset(std::string_view id) const;
  /// A region by id, zh/en name, administrative code or alias ("广西", "广西壮族自治区",
  /// "450000", "guangxi" all find 广西); case, width and space insensitive.
  const Region* find_region(std::string_view name) const;
  /// The region a place names: a region's id, name, code or alias first (find_region); else
  /// the administrative division it names (divisions/: "450325", "桂林市兴安县", "南宁"),
  /// under the most specific region of the tree whose code is the division's, its
  /// prefecture's or its province's; else the root, `unconfigured`. Safe from several threads.
  /// `say_why` false: an unknown place gets no sentence (no search for a near name), for a
  /// spreadsheet that says its own.
  PlaceMatch find_place(std::string_view place, bool say_why = true) const;
  /// The administrative divisions (the tree's newest divisions/ edition, else the binary's
  /// own), parsed on first need; safe from several threads.
  const Divisions& divisions() const;
  /// The root of the region tree (the region without `extends`; check() requires exactly one):
  /// the rules in force where a case names no region. Null if the tree has none.
  const Region* root_region() const;
  /// "guangxi 广西壮族自治区, …": the regions (or the overlays), for a message saying which
  /// names exist; "-" when there are none.
  std::string region_names(bool overlays) const;
  /// A named overlay by id, name or alias; null if none.
  const Region* find_overlay(std::string_view name) const;
  /// Whether any region below the root sets values of its own for `rs` (the environmental
  /// thresholds); when none does (the credit rules are national law), a region changes nothing.
  bool regional(const Ruleset& rs) const;
  /// The overlay (if any), then the region and its parents up to the root, nearest first.
  std::vector<const Region*> chain(const Region& r, const Region* overlay = nullptr) const;
  /// The test case files in the tree (regions/*.test.yaml, thresholds/*.test.yaml).
  std::vector<const ConfigFile*> test_files() const;

  /// Compiles (and caches) `ruleset` for `region`, under `overlay` if given. Null, with
  /// findings, on errors.
  const CompiledRuleset* compiled(const Ruleset& rs, const Region& region,
                                  const Region* overlay = nullptr);
  const Findings& compile_findings() const { return compile_findings_; }

  /// Every check `regions check` runs: schema (already at load), references, aliases,
  /// cycles, dated values sorted and distinct, stale last_checked dates (warning), and a
  /// compile of every ruleset for every region. Adds to findings(). `full` false: only the
  /// structure (references, aliases, cycles, dated values), which every command needs before
  /// it may trust a region chain; cheap enough to run on every start.
  void check(Date today, bool full = true);

 private:
  void load(std::vector<ConfigFile> files, std::string origin, std::string_view only_ruleset);
  void ensure_calendar();
  void load_divisions(Divisions& out, Findings& findings) const;
  std::string nearest_name(std::string_view place) const;
  void check_region_codes();
  void check_region_names();
  void check_roots();
  void check_parent(const Region& r);
  void check_chain(const Region& r);
  void check_dated_values(const Region& r, Date today, bool full);
  void check_presentation();
  // A file of the tree as messages name it: under origin_, or as it is when embedded.
  std::string shown_path(std::string_view relative) const;

  std::string origin_;
  Limits limits_;
  std::vector<ConfigFile> files_;
  std::vector<Ruleset> rulesets_;
  std::vector<Region> regions_;
  Presentation presentation_;
  UnitTable units_;
  std::string builtin_units_text_;  // the binary's units.yaml, when the tree has none
  WorkCalendar calendar_;
  bool calendar_loaded_ = false;
  // Parsed once, by whichever thread asks first (batch workers share the tree).
  struct LazyDivisions {
    std::once_flag once;
    Divisions value;
    Findings findings{Origin::kConfiguration};
  };
  std::unique_ptr<LazyDivisions> divisions_ = std::make_unique<LazyDivisions>();
  Findings findings_{Origin::kConfiguration};
  Findings compile_findings_{Origin::kConfiguration};
  // (ruleset, region, overlay) → program
  std::map<std::tuple<std::string, std::string, std::string>, std::unique_ptr<CompiledRuleset>>
      cache_;
};

/// The tree's presentation.yaml among `files`, read (problems to `findings`); an empty one
/// when there is none. A front end reads it before it loads the tree: the command words and
/// the default ruleset say which ruleset to load.
Presentation presentation_of(const std::vector<ConfigFile>& files, const std::string& origin,
                             Findings& findings, const Limits& limits = Limits{});

/// sha256 of the bytes, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace epil
