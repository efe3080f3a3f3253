#include "core/divisions.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <mutex>
#include <optional>

#include "core/excerpt.h"
#include "core/messages.h"
#include "core/text.h"
#include "core/yaml_util.h"

namespace epil {

using detail::YamlReader;

namespace {

constexpr std::string_view kWhat = "divisions";

// Whether `s` holds two characters or more: a short form or an alias of one is no name.
bool two_chars(std::string_view s) { return !s.empty() && decode_utf8(s, 0).length < s.size(); }

// The last bytes compared first: most of the list's names end otherwise than a given suffix.
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && (suffix.empty() || s.back() == suffix.back()) &&
         s.substr(s.size() - suffix.size()) == suffix;
}

bool six_digits(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The province or prefecture whose code `child` lies under, strictly: 450000 holds 4503xx,
// 450300 holds 450325, a county holds nothing.
bool inside(std::string_view child, std::string_view parent) {
  if (child == parent) return false;
  if (parent.substr(2) == "0000") return child.substr(0, 2) == parent.substr(0, 2);
  if (parent.substr(4) == "00") return child.substr(0, 4) == parent.substr(0, 4);
  return false;
}

bool by_code(const Division& a, const Division& b) { return a.code < b.code; }

// The block of "code name" lines, each checked: six digits, one space, a name without spaces.
// The entries are views into `text`, whose first line is the file's line `first_line`.
void read_entries(YamlReader& r, int first_line, std::string_view text,
                  std::vector<Division>& list) {
  int n = 0;
  for (size_t at = 0; at < text.size(); ++n) {
    size_t end = text.find('\n', at);
    std::string_view line =
        text.substr(at, (end == std::string_view::npos ? text.size() : end) - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    if (trim_space(line).empty()) continue;
    const size_t space = line.find(' ');
    std::string_view code = line.substr(0, space);
    std::string_view name = space == std::string_view::npos ? "" : line.substr(space + 1);
    if (!six_digits(code) || name.empty() || name.find(' ') != std::string_view::npos) {
      add_error(r.findings(), Msg::kDivisionLine, r.file(), first_line + n, 3, excerpt(line));
      continue;
    }
    list.push_back({code, name});
  }
  // The tool writes the list in code order; sorting is for a hand-edited file.
  if (!std::is_sorted(list.begin(), list.end(), by_code)) {
    std::stable_sort(list.begin(), list.end(), by_code);
  }
  for (size_t i = 1; i < list.size(); ++i) {
    if (list[i].code == list[i - 1].code) {
      add_error(r.findings(), Msg::kDivisionCodeTwice, r.file(), first_line - 1, 1, list[i].code);
    }
  }
}

// The literal block `divisions: |` that ends the file, read as lines without YAML: libyaml
// takes two thirds of loading the list over its 60 KB. The header before it is parsed as
// YAML. Empty when the file is written otherwise (then it is parsed whole, as any YAML).
struct Split {
  std::string_view header;
  std::string block;   // its lines, the two spaces of indentation removed
  int block_line = 0;  // the file's line of `divisions: |`
};
std::optional<Split> split_block(std::string_view text, YamlReader& r) {
  constexpr std::string_view kKey = "divisions: |\n";
  size_t at = text.rfind("\n" + std::string(kKey));
  if (at == std::string_view::npos) return std::nullopt;
  Split s;
  s.header = text.substr(0, at + 1);
  s.block_line = static_cast<int>(std::count(s.header.begin(), s.header.end(), '\n')) + 1;
  int line = s.block_line;
  for (size_t p = at + 1 + kKey.size(); p < text.size();) {
    size_t end = text.find('\n', p);
    std::string_view l = text.substr(p, (end == std::string_view::npos ? text.size() : end) - p);
    p = end == std::string_view::npos ? text.size() : end + 1;
    ++line;
    if (l.substr(0, 2) == "  ") {
      l.remove_prefix(2);
    } else if (!trim_space(l).empty()) {
      add_error(r.findings(), Msg::kDivisionLine, r.file(), line, 1, excerpt(l));
      l = {};
    }
    s.block.append(l).push_back('\n');
  }
  return s;
}

// Every division under a listed province, and a county under a listed prefecture unless its
// province lists none (the four municipalities) or it is governed by the province directly
// (third and fourth digits 90: 济源市 419001, 仙桃市 429004). In code order a parent comes
// before its divisions, so one pass remembering the last of each level sees them all.
void check_parents(YamlReader& r, int block_line, const std::vector<Division>& list) {
  auto two = [](std::string_view code) { return (code[0] - '0') * 10 + (code[1] - '0'); };
  bool with_prefectures[100] = {};
  for (const Division& d : list) {
    if (d.code.substr(4) == "00" && d.code.substr(2) != "0000")
      with_prefectures[two(d.code)] = true;
  }
  std::string_view province, prefecture;
  for (const Division& d : list) {
    if (d.code.substr(2) == "0000") {
      province = d.code;
      continue;
    }
    std::string parent = std::string(d.code.substr(0, 2)) + "0000";
    if (d.code.substr(4) == "00") {
      prefecture = d.code;
    } else if (d.code.substr(2, 2) != "90" && with_prefectures[two(d.code)]) {
      parent = std::string(d.code.substr(0, 4)) + "00";
    }
    const std::string_view seen = parent.substr(2) == "0000" ? province : prefecture;
    if (seen != parent) {
      add_error(r.findings(), Msg::kDivisionNoParent, r.file(), block_line, 1, d.code, d.name,
                parent);
    }
  }
}

}  // namespace

std::string_view short_name(std::string_view name, const std::vector<std::string>& suffixes,
                            const std::vector<std::string>& designations) {
  std::string_view s = name;
  bool autonomous = false;
  size_t best = 0;  // the longest suffix that leaves something
  for (const std::string& x : suffixes) {
    if (x.size() > best && x.size() < s.size() && ends_with(s, x)) best = x.size();
  }
  autonomous = best > 0 && s.substr(s.size() - best).rfind("自治", 0) == 0;
  s.remove_suffix(best);
  if (!autonomous && !ends_with(s, "族")) return best > 0 && two_chars(s) ? s : std::string_view();
  // 黔东南苗族侗族 → 黔东南; outside an autonomous area only a designation ending in 族 is one
  // (梅里斯达斡尔族区), so that 内蒙古 keeps its 蒙古 and 回民区 its 回民.
  for (bool more = true; more;) {
    more = false;
    for (const std::string& x : designations) {
      if (!autonomous && !ends_with(x, "族")) continue;
      if (!ends_with(s, x) || !two_chars(s.substr(0, s.size() - x.size()))) continue;
      s.remove_suffix(x.size());
      more = true;
      break;
    }
  }
  if (s.size() == name.size() || !two_chars(s)) return {};
  return s;
}

// The header's keys: the edition, whose list it is and how sure the copy is, how names are
// shortened.
void Divisions::read_header(YamlReader& r, const yaml::Node& root) {
  if (yaml::Node e = root["edition"]; !e || e.IsNull()) {
    r.error(root, Msg::kMissingKey, kWhat, "edition");
  } else if (auto y = r.number(e, "edition")) {
    edition_ = static_cast<int>(*y);
  }
  // The list is law-adjacent data like a threshold: nobody may use it without knowing whose
  // list it is and how sure we are of the copy.
  if (yaml::Node src = root["source"]; !src || src.IsNull()) {
    r.error(root, Msg::kMissingKey, kWhat, "source");
  } else if (r.is_map(src, "source")) {
    r.allowed_keys(src, "source", {"document", "publisher", "url", "note"});
    source_.document = r.required_scalar(src, "document", "source").value_or("");
    source_.url = r.optional_scalar(src, "url", "source.url");
    source_.note = r.optional_scalar(src, "note", "source.note");
  }
  if (auto st = r.required_scalar(root, "status", kWhat)) {
    if (auto parsed = parse_status(*st)) {
      status_ = *parsed;
    } else {
      r.error(root["status"], Msg::kBadStatus, kWhat, *st);
    }
  }
  if (yaml::Node lc = root["last_checked"]; !lc || lc.IsNull()) {
    r.error(root, Msg::kMissingKey, kWhat, "last_checked");
  } else {
    r.date(lc, "last_checked");
  }
  if (yaml::Node sn = root["short_names"]; sn && r.is_map(sn, "short_names")) {
    r.allowed_keys(sn, "short_names", {"suffixes", "designations"});
    lazy_->suffixes = r.string_list(sn["suffixes"], "short_names.suffixes");
    lazy_->designations = r.string_list(sn["designations"], "short_names.designations");
  }
}

Divisions Divisions::load(std::string_view text, const std::string& file, Findings& findings,
                          const Limits& limits) {
  Divisions d;
  d.file_ = file;
  YamlReader r(file, findings, limits);
  std::optional<Split> split = split_block(text, r);
  auto root =
      r.parse_map(split ? split->header : text, kWhat,
                  {"edition", "source", "status", "last_checked", "short_names", "divisions"});
  if (!root) return d;
  d.read_header(r, *root);
  int block_line = 0;
  if (split) {
    *d.text_ = std::move(split->block);
    block_line = split->block_line;
  } else if (yaml::Node block = (*root)["divisions"]; !block || block.IsNull()) {
    r.error(*root, Msg::kMissingKey, kWhat, "divisions");
    return d;
  } else if (!block.IsScalar()) {
    r.error(block, Msg::kDivisionLine, "divisions: |");
    return d;
  } else {
    *d.text_ = block.Scalar();
    block_line = YamlReader::line(block);
  }
  read_entries(r, block_line + 1, *d.text_, d.list_);
  check_parents(r, block_line, d.list_);
  return d;
}

namespace {

// A name as it is looked up: folded as places are (case, width, spaces), kept as a view when
// folding changes nothing, as for the list's own names: ASCII (case, spaces, -, _), full-width
// forms (EF BC/BD …) and the ideographic space (E3 80 80) are what folding changes.
bool folds_to_itself(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x80 || c == 0xEF) return false;
  }
  return s.find("\xE3\x80\x80") == std::string_view::npos;
}

// FNV-1a: names are a few UTF-8 characters, hashed once each.
uint64_t hash_key(std::string_view s) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

std::string_view Divisions::keep(std::string text) const {
  return kept_->emplace_back(std::move(text));
}

void Divisions::rehash(size_t slots) const {
  slots_.assign(slots, 0);
  const size_t mask = slots - 1;
  for (uint32_t i = 0; i < names_.size(); ++i) {
    size_t at = hash_key(names_[i].key) & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = i + 1;
  }
}

void Divisions::insert(const Name& n) const {
  names_.push_back(n);
  longest_name_ = std::max(longest_name_, n.key.size());
  if (names_.size() * 2 > slots_.size()) rehash(std::max<size_t>(64, slots_.size() * 2));
  const size_t mask = slots_.size() - 1;
  size_t at = hash_key(n.key) & mask;
  while (slots_[at] != 0) at = (at + 1) & mask;
  slots_[at] = static_cast<uint32_t>(names_.size());
}

// Built on the first look-up by name: a code needs only the list, and the names (their short
// forms above all) are most of the cost of loading it.
void Divisions::index_names() const {
  std::call_once(lazy_->once, [this] {
    names_.reserve(list_.size() * 2 + lazy_->aliases.size());
    slots_.assign(std::bit_ceil(list_.size() * 4 + 512), 0);
    for (int i = 0; i < static_cast<int>(list_.size()); ++i) {
      const std::string_view name = list_[i].name;
      insert({folds_to_itself(name) ? name : keep(fold_key(name)), i, false});
      std::string_view s = short_name(name, lazy_->suffixes, lazy_->designations);
      if (!s.empty()) insert({folds_to_itself(s) ? s : keep(fold_key(s)), i, true});
    }
    for (const auto& [key, index] : lazy_->aliases) {
      bool known = false;  // already its name or short form
      for (const Name* n : lookup(key)) known |= n->index == index;
      if (!known) insert({keep(key), index, true});
    }
  });
}

void Divisions::add_name(std::string_view name, const Division& d) {
  if (two_chars(name)) lazy_->aliases.emplace_back(fold_key(name), &d - list_.data());
}

std::vector<const Divisions::Name*> Divisions::lookup(std::string_view key) const {
  std::vector<const Name*> out;
  if (slots_.empty()) return out;
  const size_t mask = slots_.size() - 1;
  for (size_t at = hash_key(key) & mask; slots_[at] != 0; at = (at + 1) & mask) {
    const Name& n = names_[slots_[at] - 1];
    if (n.key == key) out.push_back(&n);
  }
  return out;
}

const Division* Divisions::find_code(std::string_view code) const {
  auto it = std::lower_bound(list_.begin(), list_.end(), Division{code, {}}, by_code);
  return it != list_.end() && it->code == code ? &*it : nullptr;
}

const Division* Divisions::province_of(const Division& d) const {
  return find_code(std::string(d.code.substr(0, 2)) + "0000");
}

std::string Divisions::above(const Division& d) const {
  std::string out;
  const Division* p = province_of(d);
  if (p && p != &d) out = p->name;
  const Division* pref = find_code(std::string(d.code.substr(0, 4)) + "00");
  if (pref && pref != &d && pref != p) out += pref->name;
  return out;
}

std::string Divisions::full_name(const Division& d) const { return above(d) + std::string(d.name); }

// Names read from the front of `rest`, each inside the division before it (`parent`): every
// way to read the whole of it, with how many short forms the reading used. At most three names:
// province, prefecture, county.
void Divisions::walk(std::string_view rest, int parent, int shorts, int depth,
                     std::vector<std::pair<int, int>>& found) const {
  if (rest.empty()) {
    if (parent >= 0) found.emplace_back(parent, shorts);
    return;
  }
  if (depth == 3) return;
  for (size_t len = 0; len < rest.size() && len < longest_name_;) {
    len += decode_utf8(rest, len).length;
    for (const Name* n : lookup(rest.substr(0, len))) {
      if (parent >= 0 && !inside(list_[n->index].code, list_[parent].code)) continue;
      walk(rest.substr(len), n->index, shorts + n->short_form, depth + 1, found);
    }
  }
}

std::vector<const Division*> Divisions::find(std::string_view place) const {
  std::vector<const Division*> out;
  const std::string key = fold_key(place);
  if (six_digits(key)) {
    if (const Division* d = find_code(key)) out.push_back(d);
    return out;
  }
  index_names();
  std::vector<std::pair<int, int>> found;
  walk(key, -1, 0, 0, found);
  int fewest = std::numeric_limits<int>::max();
  for (const auto& f : found) fewest = std::min(fewest, f.second);
  for (const auto& [index, shorts] : found) {
    const Division* d = &list_[index];
    if (shorts == fewest && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  std::sort(out.begin(), out.end(),
            [](const Division* a, const Division* b) { return a->code < b->code; });
  return out;
}

}  // namespace epil
