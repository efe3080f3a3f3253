// The administrative divisions (divisions/*.yaml): 民政部's list of the divisions at county level
// and above with their six-digit codes, and the division a place names as a ledger writes it:
// "450325", "广西壮族自治区桂林市兴安县", "广西南宁", "兴安县".
//
//   Divisions d = Divisions::load(text, "divisions/cn-2023.yaml", findings);
//   d.find("桂林市兴安县")   // → {450325 兴安县}
//   d.find("朝阳区")         // → {110105 朝阳区, 220104 朝阳区}: ambiguous
//   d.find("南宁")           // → {450100 南宁市}: a short form
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/finding.h"
#include "core/limits.h"
#include "core/ruleset.h"
#include "core/yaml.h"

namespace epil {

namespace detail {
class YamlReader;
}

/// One entry of the list. Its texts are views into the Divisions that holds it.
struct Division {
  std::string_view code;  // six digits: province XX0000, prefecture XXYY00, county XXYYZZ
  std::string_view name;  // as the list writes it: 兴安县
};

class Divisions {
 public:
  /// One edition file read; problems (file:line:column) to `findings`. The entries read are
  /// kept even when others have errors, so that a bad line costs one place, not all.
  static Divisions load(std::string_view text, const std::string& file, Findings& findings,
                        const Limits& limits = Limits{});

  bool empty() const { return list_.empty(); }
  /// Every entry, in code order.
  const std::vector<Division>& list() const { return list_; }
  size_t size() const { return list_.size(); }
  int edition() const { return edition_; }
  /// "2023年中华人民共和国县以上行政区划代码": what a message names the list by.
  const std::string& title() const { return source_.document; }
  const std::string& file() const { return file_; }

  /// The entry of a six-digit code, or null.
  const Division* find_code(std::string_view code) const;
  /// The province (XX0000) above a division, itself for a province; null if not listed.
  const Division* province_of(const Division& d) const;
  /// Its names from the province down: "广西壮族自治区桂林市兴安县".
  std::string full_name(const Division& d) const;
  /// Where it lies, for telling two of one name apart: "广西壮族自治区桂林市" (empty for a
  /// province).
  std::string above(const Division& d) const;

  /// One more name `d` is found by (a region's own names and aliases): a short form, like
  /// "广西省". Names of one character are not taken: too many places begin with 桂 or 京.
  /// Before the first find().
  void add_name(std::string_view name, const Division& d);

  /// The divisions `place` names: a listed code; or names from the top down, each a division
  /// inside the one before, each full (桂林市) or short (桂林). Empty when it names none;
  /// several when it is ambiguous. Parses with only full names win over those with short ones.
  std::vector<const Division*> find(std::string_view place) const;

 private:
  // A name a division is found by, folded: its own (兴安县), its short form (兴安), an alias.
  struct Name {
    std::string_view key;
    int index;  // into list_
    bool short_form;
  };
  void read_header(detail::YamlReader& r, const yaml::Node& root);
  void index_names() const;
  std::string_view keep(std::string text) const;
  void insert(const Name& n) const;
  void rehash(size_t slots) const;
  std::vector<const Name*> lookup(std::string_view key) const;
  void walk(std::string_view rest, int parent, int shorts, int depth,
            std::vector<std::pair<int, int>>& found) const;

  // Loading and the first look-up are on the path of a one-case `epil screen`: the entries and
  // most names are views into the block's own text, and the names are indexed on the first
  // look-up by name, by one thread however many ask.
  struct Lazy {
    std::once_flag once;
    std::vector<std::string> suffixes, designations;
    std::vector<std::pair<std::string, int>> aliases;  // add_name's: folded name, index
  };
  std::unique_ptr<Lazy> lazy_ = std::make_unique<Lazy>();
  std::unique_ptr<std::string> text_ = std::make_unique<std::string>();
  mutable std::unique_ptr<std::deque<std::string>> kept_ =
      std::make_unique<std::deque<std::string>>();
  std::vector<Division> list_;  // sorted by code
  mutable std::vector<Name> names_;
  // Open addressing over names_ (index + 1, 0 empty): built in one pass, where sorting the
  // names cost a one-case screening a millisecond.
  mutable std::vector<uint32_t> slots_;
  mutable size_t longest_name_ = 0;  // bytes of the longest key
  int edition_ = 0;
  Source source_;
  Status status_ = Status::kReported;
  std::string file_;
};

/// The short form ledgers write for a division's name: its suffix dropped (市, 自治区, 地区 …),
/// and for an autonomous area the designations before it (壮族, 苗族侗族 …): 广西壮族自治区 →
/// 广西, 黔东南苗族侗族自治州 → 黔东南. Empty when nothing of two characters or more is left;
/// else a prefix of `name`.
std::string_view short_name(std::string_view name, const std::vector<std::string>& suffixes,
                            const std::vector<std::string>& designations);

}  // namespace epil
