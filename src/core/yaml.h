// A YAML document as a small immutable tree with positions, read with libyaml.
//
// Why not yaml-cpp: it took 7.4 ms to read the 27 KB environmental ruleset (its scanner
// matches every character through a regex engine), more than the whole 10 ms budget of a
// one-case screening; libyaml reads the same file in 0.8 ms. Only what the loaders need is
// here: scalars with their style, sequences, mappings (duplicate keys are an error, since a
// silently overridden threshold is worse than a refused file), anchors and aliases. A hostile
// file is refused with its position, never followed: an alias inside its own anchor (a cycle),
// aliases expanding past the file-bytes limit, a mapping with more keys or a scalar with more
// bytes than the limits allow, a second document.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/finding.h"
#include "core/limits.h"

namespace epil::yaml {

struct Mark {
  int line = 0;    // 0-based
  int column = 0;  // 0-based
};

class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };
  enum class Style { kPlain, kQuoted, kLiteral, kFolded };  // how a scalar was written

  /// A missing node: what `map["absent"]` returns; false in a boolean context.
  Node() = default;

  explicit operator bool() const { return impl_ != nullptr; }
  bool IsNull() const { return impl_ && impl_->kind == Kind::kNull; }
  bool IsScalar() const { return impl_ && impl_->kind == Kind::kScalar; }
  bool IsSequence() const { return impl_ && impl_->kind == Kind::kSequence; }
  bool IsMap() const { return impl_ && impl_->kind == Kind::kMap; }
  /// The scalar's text ("" for null, missing and collection nodes).
  const std::string& Scalar() const;
  /// True for a quoted scalar: its text starts one column after the mark.
  bool quoted() const { return impl_ && impl_->style == Style::kQuoted; }
  Style style() const { return impl_ ? impl_->style : Style::kPlain; }
  Mark mark() const { return impl_ ? impl_->mark : Mark{}; }

  /// Map lookup by key; a missing node when absent or when this is not a map.
  Node operator[](std::string_view key) const;
  const std::vector<std::pair<Node, Node>>& entries() const;  // a map's key/value pairs
  const std::vector<Node>& items() const;                     // a sequence's items

 private:
  friend class Builder;
  struct Impl {
    Kind kind = Kind::kNull;
    std::string scalar;
    Style style = Style::kPlain;
    Mark mark;
    std::vector<Node> items;
    std::vector<std::pair<Node, Node>> entries;
    uint64_t weight = 1;  // nodes of this subtree with aliases expanded
  };
  std::shared_ptr<Impl> impl_;
};

struct ParseError {
  std::string message;  // English
  Mark mark;
  std::string message_zh;  // 中文
  std::string code;        // empty for a syntax error; what was refused otherwise ("too-many-keys")
};

/// Reads the one document of `text` (a second one is an error). An empty document gives a null
/// node. `limits`: mapping-keys, cell-bytes and file-bytes (for what aliases expand to).
std::variant<Node, ParseError> parse(std::string_view text, const Limits& limits = Limits{});

/// `error` as a finding of `file`. A syntax error gets `syntax_code` and its message after
/// "<syntax_en>: " / "<syntax_zh>："; a refusal (a limit, a cycle, a second document) keeps its
/// own code and words.
void add_finding(Findings& findings, const std::string& file, const ParseError& error,
                 std::string_view syntax_code, std::string_view syntax_en,
                 std::string_view syntax_zh);

}  // namespace epil::yaml
