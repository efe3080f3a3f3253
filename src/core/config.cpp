#include "core/config.h"

#include <fmt/format.h>
// The low-level SHA-256 calls are deprecated in OpenSSL 3 in favour of EVP, but EVP's first
// use loads the provider tables: 5 million instructions, half of a one-case screening. The
// digest itself is the same.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <set>

#include "core/embedded.h"
#include "core/messages.h"
#include "core/text.h"

namespace epil {

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, bytes.data(), bytes.size());
  SHA256_Final(md, &ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : md) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

namespace {

bool is_test_file(const std::string& path) {
  return path.size() > 10 && path.compare(path.size() - 10, 10, ".test.yaml") == 0;
}

bool under(const std::string& path, const char* dir) { return path.rfind(dir, 0) == 0; }

constexpr std::string_view kPresentationFile = "presentation.yaml";
constexpr const char* kDivisionsDir = "divisions/";
constexpr std::string_view kUnitsFile = "units.yaml";

}  // namespace

Presentation presentation_of(const std::vector<ConfigFile>& files, const std::string& origin,
                             Findings& findings, const Limits& limits) {
  for (const auto& f : files) {
    if (f.path != kPresentationFile) continue;
    std::string shown = origin.empty()         ? f.path
                        : origin.back() == '/' ? origin + f.path
                                               : origin + "/" + f.path;
    return load_presentation(f.text, shown, findings, limits);
  }
  return Presentation{};
}

std::string Config::default_ruleset() const {
  if (!presentation_.default_ruleset.empty()) return presentation_.default_ruleset;
  return rulesets_.size() == 1 ? rulesets_.front().id : std::string();
}

Config Config::embedded(std::string_view only_ruleset, const Limits& limits) {
  std::vector<ConfigFile> files;
  for (const auto& f : embedded_config())
    files.push_back({std::string(f.path), std::string(f.text)});
  return from_files(std::move(files), "", only_ruleset, limits);
}

Config Config::from_files(std::vector<ConfigFile> files, std::string origin,
                          std::string_view only_ruleset, const Limits& limits,
                          Findings read_findings) {
  Config c;
  c.limits_ = limits;
  c.findings_.append(read_findings);  // each keeps its origin
  c.load(std::move(files), std::move(origin), only_ruleset);
  return c;
}

namespace {

// The id a ruleset file declares on its top-level `ruleset:` line, read without parsing the
// YAML (empty when there is no such plain line: the file is then parsed anyway).
std::string declared_ruleset(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? text.npos : end - at);
    if (line.rfind("ruleset:", 0) == 0) {
      line.remove_prefix(8);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
      return line.find_first_of("#'\"") == std::string_view::npos ? std::string(line) : "";
    }
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return "";
}

}  // namespace

std::string Config::shown_path(std::string_view relative) const {
  if (origin_.empty()) return std::string(relative);
  return origin_.back() == '/' ? origin_ + std::string(relative)
                               : origin_ + "/" + std::string(relative);
}

void Config::load(std::vector<ConfigFile> files, std::string origin,
                  std::string_view only_ruleset) {
  origin_ = std::move(origin);
  files_ = std::move(files);
  auto shown = [&](const ConfigFile& f) { return shown_path(f.path); };
  bool own_units = false;
  for (const auto& f : files_) {
    if (f.path != kUnitsFile) continue;
    units_ = load_units(f.text, shown(f), findings_, limits_);
    own_units = true;
  }
  // A tree without units.yaml (one copied before there was one) reads amounts as the binary's
  // own tree does: 0.3万元 is 3,000 元 there too, not an error.
  if (!own_units) {
    for (const auto& f : embedded_config()) {
      if (f.path != kUnitsFile) continue;
      builtin_units_text_ = std::string(f.text);
      units_ = load_units(f.text, "(built-in) units.yaml", findings_, limits_);
    }
  }
  for (const auto& f : files_) {
    if (under(f.path, "thresholds/") && !is_test_file(f.path)) {
      if (!only_ruleset.empty()) {
        std::string id = declared_ruleset(f.text);
        if (!id.empty() && id != only_ruleset) continue;
      }
      if (auto rs = load_ruleset(f.text, shown(f), findings_, limits_)) {
        if (ruleset(rs->id)) {
          add_error(findings_, Msg::kRulesetDefinedTwice, shown(f), 1, 1, rs->id);
        } else {
          // A field of a unit the tree describes reads cells as units.yaml says.
          for (FieldDef& field : rs->fields) {
            if (const UnitDef* u = units_.find(field.unit)) field.number_unit = *u;
          }
          rulesets_.push_back(std::move(*rs));
        }
      }
    }
  }
  presentation_ = presentation_of(files_, origin_, findings_, limits_);
  for (const auto& f : files_) {
    if (under(f.path, "regions/") && !is_test_file(f.path)) {
      if (auto r =
              load_region(f.text, shown(f), rulesets_, findings_, !only_ruleset.empty(), limits_)) {
        regions_.push_back(std::move(*r));
      }
    }
  }
}

void Config::ensure_calendar() {
  // Parsed on first need: screening an environmental case never counts working days.
  if (calendar_loaded_) return;
  calendar_loaded_ = true;
  for (const auto& f : files_) {
    if (!under(f.path, "calendars/")) continue;
    calendar_.add_file(f.text, shown_path(f.path), findings_, limits_);
  }
}

const Ruleset* Config::ruleset(std::string_view id) const {
  for (const auto& r : rulesets_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

namespace {

const Region* find_named(const std::vector<Region>& regions, std::string_view name, bool overlay) {
  std::string want = fold_key(name);
  if (want.empty()) return nullptr;
  for (const auto& r : regions) {
    if (r.overlay != overlay) continue;
    if (fold_key(r.id) == want || fold_key(r.code) == want || fold_key(r.name.zh) == want ||
        fold_key(r.name.en) == want) {
      return &r;
    }
  }
  for (const auto& r : regions) {
    if (r.overlay != overlay) continue;
    for (const auto& a : r.aliases) {
      if (fold_key(a) == want) return &r;
    }
  }
  return nullptr;
}

}  // namespace

const Region* Config::find_region(std::string_view name) const {
  return find_named(regions_, name, false);
}

// The tree's newest edition; a tree copied before there were divisions/ finds places as the
// binary's own tree does, as it reads amounts with the binary's units.yaml.
void Config::load_divisions(Divisions& out, Findings& findings) const {
  auto read = [&](std::string_view text, const std::string& shown) {
    Divisions d = Divisions::load(text, shown, findings, limits_);
    if (!out.empty() && d.edition() == out.edition()) {
      add_error(findings, Msg::kDivisionEditionTwice, shown, 1, 1, d.edition(), out.file());
    } else if (out.empty() || d.edition() > out.edition()) {
      out = std::move(d);
    }
  };
  for (const auto& f : files_) {
    if (under(f.path, kDivisionsDir) && !is_test_file(f.path)) read(f.text, shown_path(f.path));
  }
  if (out.empty()) {
    for (const auto& f : embedded_config()) {
      std::string path(f.path);
      if (under(path, kDivisionsDir)) read(f.text, "(built-in) " + path);
    }
  }
  // A region's own names find its division too, as the first part of a place: 广西省南宁市.
  for (const Region& r : regions_) {
    const Division* d = r.overlay ? nullptr : out.find_code(r.code);
    if (!d) continue;
    for (const std::string* n : {&r.id, &r.name.zh, &r.name.en}) out.add_name(*n, *d);
    for (const std::string& a : r.aliases) out.add_name(a, *d);
  }
}

const Divisions& Config::divisions() const {
  std::call_once(divisions_->once,
                 [this] { load_divisions(divisions_->value, divisions_->findings); });
  return divisions_->value;
}

// The region or division name nearest a name that finds nothing, for "did you mean".
std::string Config::nearest_name(std::string_view place) const {
  NearestName near(place);
  for (const Region& r : regions_) {
    if (r.overlay) continue;
    near.offer(r.name.zh);
    near.offer(r.id);
  }
  for (const Division& d : divisions().list()) near.offer(d.name);
  return near.name();
}

PlaceMatch Config::find_place(std::string_view place, bool say_why) const {
  PlaceMatch m;
  if ((m.region = find_region(place))) return m;
  const Divisions& dv = divisions();
  const std::vector<const Division*> found = dv.find(place);
  if (found.empty()) {
    m.problem_code = "unknown-region";
    if (!say_why) return m;
    const std::string key = fold_key(place);
    const std::string near = nearest_name(place);
    m.problem =
        key.size() == 6 && key.find_first_not_of("0123456789") == std::string::npos && !dv.empty()
            ? message(Msg::kPlaceCodeUnknown, place, dv.title())
        : near.empty() ? message(Msg::kUnknownRegion, place, region_names(false))
                       : message(Msg::kUnknownRegionDidYouMean, place, near, region_names(false));
    return m;
  }
  if (found.size() > 1) {
    m.candidates = found;
    m.problem_code = "ambiguous-place";
    Text list;
    for (const Division* d : found) {
      const Text one = message(Msg::kPlaceCandidate, d->name, d->code, dv.above(*d));
      list.zh += (list.zh.empty() ? "" : "、") + one.zh;
      list.en += (list.en.empty() ? "" : ", ") + one.en;
    }
    m.problem = message(Msg::kPlaceAmbiguous, place, list, dv.full_name(*found.front()));
    return m;
  }
  m.division = found.front();
  m.province = dv.province_of(*m.division);
  // The most specific region the tree has: a city's own file before its province's.
  const std::string c(m.division->code);
  for (const std::string& want : {c, c.substr(0, 4) + "00", c.substr(0, 2) + "0000"}) {
    for (const Region& r : regions_) {
      if (!r.overlay && r.code == want) {
        m.region = &r;
        return m;
      }
    }
  }
  m.region = root_region();
  m.unconfigured = m.region != nullptr;
  return m;
}

// Each region's code is a division of the list, so that places written as codes or names
// find it (the root's 000000 is no division and needs none).
void Config::check_region_codes() {
  const Divisions& dv = divisions();
  if (dv.empty()) return;
  for (const Region& r : regions_) {
    if (r.overlay || r.extends.empty() || r.code.empty() || dv.find_code(r.code)) continue;
    add_warning(findings_, Msg::kRegionCodeNotDivision, r.file, r.code_line, 1, r.id, r.code,
                dv.title());
  }
}

bool Config::regional(const Ruleset& rs) const {
  for (const Region& r : regions_) {
    if (!r.overlay && !r.extends.empty() && r.parameters.count(rs.id)) return true;
  }
  return false;
}

std::string Config::region_names(bool overlays) const {
  std::string known;
  for (const auto& r : regions_) {
    if (r.overlay == overlays) known += (known.empty() ? "" : ", ") + r.id + " " + r.name.zh;
  }
  return known.empty() ? "-" : known;
}

const Region* Config::root_region() const {
  for (const Region& r : regions_) {
    if (!r.overlay && r.extends.empty()) return &r;
  }
  return nullptr;
}

const Region* Config::find_overlay(std::string_view name) const {
  return find_named(regions_, name, true);
}

std::vector<const Region*> Config::chain(const Region& r, const Region* overlay) const {
  std::vector<const Region*> out;
  if (overlay) out.push_back(overlay);
  out.push_back(&r);
  const Region* cur = &r;
  while (!cur->extends.empty()) {
    const Region* parent = nullptr;
    for (const auto& x : regions_) {
      if (x.id == cur->extends) parent = &x;
    }
    if (!parent || std::find(out.begin(), out.end(), parent) != out.end()) break;
    out.push_back(parent);
    cur = parent;
  }
  return out;
}

std::vector<const ConfigFile*> Config::test_files() const {
  std::vector<const ConfigFile*> out;
  for (const auto& f : files_) {
    if (is_test_file(f.path)) out.push_back(&f);
  }
  return out;
}

const CompiledRuleset* Config::compiled(const Ruleset& rs, const Region& region,
                                        const Region* overlay) {
  auto key = std::make_tuple(rs.id, region.id, overlay ? overlay->id : std::string());
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second.get();
  auto chain_regions = chain(region, overlay);
  // The fingerprint covers everything the result depends on: the ruleset file, every region
  // file of the chain in order, units.yaml (how amounts were read) and, for a program that
  // counts working days, the calendars.
  std::string bytes;
  auto add_file = [&](const std::string& wanted) {
    for (const auto& f : files_) {
      if (shown_path(f.path) == wanted) {
        bytes += f.path;
        bytes += '\0';
        bytes += f.text;
        bytes += '\0';
      }
    }
  };
  add_file(rs.file);
  for (const Region* r : chain_regions) add_file(r->file);
  add_file(shown_path(kUnitsFile));  // how the facts' amounts were read
  if (!builtin_units_text_.empty()) {
    bytes += kUnitsFile;
    bytes += '\0';
    bytes += builtin_units_text_;
    bytes += '\0';
  }
  auto compiled = compile(rs, chain_regions, "", compile_findings_, &calendar_, limits_);
  if (compiled && compiled->uses_calendar()) {
    ensure_calendar();
    for (const auto& f : files_) {
      if (under(f.path, "calendars/")) add_file(shown_path(f.path));
    }
  }
  if (compiled) compiled->set_fingerprint(sha256_hex(bytes));
  const CompiledRuleset* p = compiled.get();
  cache_[key] = std::move(compiled);
  return p;
}

// Region identity: ids, names, codes and aliases must each find exactly one region, and
// exactly one region is the root.
void Config::check_region_names() {
  std::map<std::string, const Region*> names;
  auto claim = [&](const Region& r, const std::string& name, const Text& what, int line) {
    std::string k = fold_key(name);
    if (k.empty()) return;
    auto [it, fresh] = names.try_emplace(k, &r);
    if (!fresh && it->second != &r) {
      add_error(findings_, Msg::kAliasClash, r.file, line, 1, what, name, r.id, it->second->id,
                it->second->file);
    }
  };
  std::set<std::string> ids;
  for (const auto& r : regions_) {
    if (!ids.insert(r.id).second) {
      add_error(findings_, Msg::kRegionIdTwice, r.file, r.line, 1, r.id);
    }
    claim(r, r.id, Text{"名称", "id"}, r.line);
    claim(r, r.code, Text{"名称", "code"}, r.code_line);
    claim(r, r.name.zh, Text{"名称", "name"}, r.name_line);
    claim(r, r.name.en, Text{"名称", "name"}, r.name_line);
    for (const auto& a : r.aliases) claim(r, a, Text{"别名", "alias"}, r.aliases_line);
  }
}

// Exactly one region is the root. With more than one, each is named at its own file; the one
// most regions descend from is taken for the root, and the others are told to extend it.
void Config::check_roots() {
  std::vector<std::pair<const Region*, int>> roots;  // a root and the regions under it
  for (const Region& r : regions_) {
    if (!r.overlay && r.extends.empty()) roots.emplace_back(&r, 0);
  }
  if (regions_.empty() || roots.size() == 1) return;
  if (roots.empty()) {
    add_error(findings_, Msg::kRootCount, origin_.empty() ? "regions/" : origin_ + "/regions/", 0,
              0, 0);
    return;
  }
  for (const Region& r : regions_) {
    if (r.overlay) continue;
    const Region* top = chain(r).back();
    for (auto& [root, under] : roots) under += root == top;
  }
  std::stable_sort(roots.begin(), roots.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const bool one_main = roots[0].second > roots[1].second;
  for (const auto& [root, under] : roots) {
    if (one_main && root == roots[0].first) continue;
    Text others;
    std::string parent;
    for (const auto& [other, n] : roots) {
      if (other == root || (one_main && other != roots[0].first)) continue;
      others.zh += fmt::format("{}'{}'（{}:{}）", others.zh.empty() ? "" : "、", other->id,
                               other->file, other->line);
      others.en += fmt::format("{}'{}' ({}:{})", others.en.empty() ? "" : ", ", other->id,
                               other->file, other->line);
      if (parent.empty()) parent = other->id;
    }
    add_error(findings_, Msg::kSecondRoot, root->file, root->line, 1, root->id, others,
              roots.size(), parent);
  }
}

// A region's parent is a region's id: a name or alias is shown the id to write, a near miss the
// id nearest it, anything else the regions there are.
void Config::check_parent(const Region& r) {
  if (r.extends.empty()) return;
  for (const auto& x : regions_) {
    if (x.id == r.extends) return;
  }
  const int line = r.extends_line, column = r.extends_column;
  if (const Region* named = find_region(r.extends)) {
    add_error(findings_, Msg::kExtendsNotId, r.file, line, column, r.id, r.extends, named->id,
              named->name.zh);
    return;
  }
  NearestName near(r.extends);
  for (const auto& x : regions_) {
    if (!x.overlay && &x != &r) near.offer(x.id);
  }
  if (near.name().empty()) {
    add_error(findings_, Msg::kUnknownParentKnown, r.file, line, column, r.id, r.extends,
              region_names(false));
  } else {
    const Region* x = find_region(near.name());
    add_error(findings_, Msg::kUnknownParentDidYouMean, r.file, line, column, r.id, r.extends,
              near.name(), x ? x->name.zh : "");
  }
}

// Following parents from `r` reaches the root without a loop; a loop is said at `r`'s extends
// with each link of it and where that link is written.
void Config::check_chain(const Region& r) {
  check_parent(r);
  std::vector<const Region*> seen{&r};
  const Region* cur = &r;
  while (cur && !cur->extends.empty()) {
    const Region* next = nullptr;
    for (const auto& x : regions_) {
      if (x.id == cur->extends) next = &x;
    }
    if (!next) return;
    auto again = std::find(seen.begin(), seen.end(), next);
    if (again != seen.end()) {
      std::string path;
      Text links;
      for (const Region* s : seen) path += s->id + " → ";
      path += next->id;
      for (auto it = again; it != seen.end(); ++it) {
        const Region& x = **it;
        const Text link = message(Msg::kExtendsAt, x.id, x.extends, x.file, x.extends_line);
        links.zh += (links.zh.empty() ? "" : "，") + link.zh;
        links.en += (links.en.empty() ? "" : ", ") + link.en;
      }
      add_error(findings_, Msg::kRegionCycleWhere, r.file, r.extends_line, r.extends_column, path,
                links);
      return;
    }
    seen.push_back(next);
    cur = next;
  }
}

// Dated values: strictly increasing dates, so that exactly one value is in force; with `full`,
// values not checked for a year (warning) and values still to come (note).
void Config::check_dated_values(const Region& r, Date today, bool full) {
  for (const auto& [rs_id, params] : r.parameters) {
    for (const auto& [key, setting] : params) {
      auto check_list = [&](const std::vector<DatedValue>& vals, const std::string& what) {
        for (size_t i = 1; i < vals.size(); ++i) {
          if (vals[i].since == vals[i - 1].since) {
            add_error(findings_, Msg::kDatesOverlap, r.file, vals[i].line, vals[i].column, what,
                      vals[i].since.iso());
          } else if (vals[i].since < vals[i - 1].since) {
            add_error(findings_, Msg::kDatesUnsorted, r.file, vals[i].line, vals[i].column, what,
                      vals[i].since.iso(), vals[i - 1].since.iso());
          }
        }
        for (const auto& v : vals) {
          if (full && v.last_checked && (today.days() - v.last_checked->days()) > 366) {
            add_warning(findings_, Msg::kStaleValue, r.file, v.line, v.column, what,
                        v.last_checked->iso());
          }
          if (full && v.since > today) {
            const Text t = message(Msg::kFutureValue, what, v.since.iso());
            findings_.add(Finding{std::string(message_entry(Msg::kFutureValue).code),
                                  Severity::kNote, r.file, v.line, v.column, t.en, t.zh});
          }
        }
      };
      std::string what = fmt::format("{}.{}", rs_id, key);
      check_list(setting.values, what);
      for (const auto& [ik, vals] : setting.by_index) check_list(vals, what + "[" + ik + "]");
    }
  }
}

void Config::check(Date today, bool full) {
  check_region_names();
  check_roots();
  for (const auto& r : regions_) {
    check_chain(r);
    check_dated_values(r, today, full);
  }
  if (!full) return;
  ensure_calendar();
  calendar_.check(today, findings_);
  check_presentation();
  divisions();
  findings_.append(divisions_->findings);
  check_region_codes();
  // Every ruleset must compile, alone and for every region.
  for (const auto& rs : rulesets_) {
    for (const auto& r : regions_) {
      if (r.overlay) continue;
      compiled(rs, r);
      for (const auto& o : regions_) {
        if (o.overlay) compiled(rs, r, &o);
      }
    }
  }
  // A ruleset that counts working days needs the calendars: say so rather than leave every
  // deadline "beyond the calendars".
  if (calendar_.years().empty()) {
    for (const auto& [key, program] : cache_) {
      if (!program || !program->uses_calendar()) continue;
      add_warning(findings_, Msg::kNoCalendars, shown_path("calendars/"), 0, 0, std::get<0>(key));
      break;
    }
  }
  // Compile findings repeat per region; keep each distinct one once.
  std::set<std::string> seen;
  for (const auto& f : compile_findings_.items()) {
    if (seen.insert(f.format()).second) findings_.add(f);
  }
}

namespace {

// The index of `key` if it is an enum input of `rs`, else -1.
int enum_input(const Ruleset& rs, std::string_view key) {
  const int f = rs.find_field(key);
  return f >= 0 && f < rs.input_count() && rs.field_enum[f] >= 0 ? f : -1;
}

}  // namespace

int Config::summary_field(const Ruleset& rs) const {
  if (const SummaryField* named = presentation_.summary_field(rs.id)) {
    if (const int f = enum_input(rs, named->field); f >= 0) return f;
  }
  for (int f = 0; f < rs.input_count(); ++f) {
    if (rs.fields[f].required && rs.field_enum[f] >= 0) return f;
  }
  return -1;
}

// presentation.yaml names rulesets and outcomes that exist, and command words that do not
// hide a command.
void Config::check_presentation() {
  const Presentation& p = presentation_;
  auto known_ruleset = [&](const std::string& id, int line, int column) -> const Ruleset* {
    if (const Ruleset* rs = ruleset(id)) return rs;
    add_error(findings_, Msg::kUnknownRuleset, p.file, line, column, id);
    return nullptr;
  };
  if (!p.default_ruleset.empty()) {
    known_ruleset(p.default_ruleset, p.default_ruleset_line, p.default_ruleset_column);
  }
  for (const CommandAlias& c : p.commands) {
    known_ruleset(c.ruleset, c.line, c.column);
    for (const char* taken : {"screen", "batch", "regions", "test", "functions"}) {
      if (c.words.front() == taken) {
        add_error(findings_, Msg::kCommandClash, p.file, c.line, c.column, taken);
      }
    }
  }
  for (const OutcomeStyle& st : p.outcome_styles) {
    const Ruleset* rs = known_ruleset(st.ruleset, st.line, st.column);
    if (!rs) continue;
    bool found = false;
    for (const auto& o : rs->outcomes) found |= o.key == st.outcome;
    if (!found) {
      add_error(findings_, Msg::kNoSuchOutcome, p.file, st.line, st.column, st.ruleset, st.outcome);
    }
  }
  // A summary counts rows by the values of an enum the rows give; the known ones are listed.
  for (const SummaryField& sf : p.summary_by) {
    const Ruleset* rs = known_ruleset(sf.ruleset, sf.line, sf.column);
    if (!rs || enum_input(*rs, sf.field) >= 0) continue;
    std::string known;
    for (int f = 0; f < rs->input_count(); ++f) {
      if (rs->field_enum[f] >= 0) known += (known.empty() ? "" : ", ") + rs->fields[f].key;
    }
    add_error(findings_, Msg::kBadSummaryField, p.file, sf.line, sf.column, sf.ruleset, sf.field,
              known);
  }
}

}  // namespace epil
