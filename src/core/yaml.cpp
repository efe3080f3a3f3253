#include "core/yaml.h"

#include <yaml.h>

#include <map>
#include <optional>
#include <unordered_map>

#include "core/excerpt.h"
#include "core/messages.h"
#include "core/yaml_syntax.h"

namespace epil::yaml {

namespace {
const std::string kEmpty;
const std::vector<Node> kNoItems;
const std::vector<std::pair<Node, Node>> kNoEntries;
}  // namespace

const std::string& Node::Scalar() const {
  return impl_ && impl_->kind == Kind::kScalar ? impl_->scalar : kEmpty;
}

Node Node::operator[](std::string_view key) const {
  if (!IsMap()) return Node();
  for (const auto& [k, v] : impl_->entries) {
    if (k.IsScalar() && k.Scalar() == key) return v;
  }
  return Node();
}

const std::vector<std::pair<Node, Node>>& Node::entries() const {
  return IsMap() ? impl_->entries : kNoEntries;
}

const std::vector<Node>& Node::items() const { return IsSequence() ? impl_->items : kNoItems; }

class Builder {
 public:
  static constexpr size_t kMaxDepth = 64;
  // A mapping's keys are compared one by one up to this many, then through a hash index: the
  // common small mapping allocates nothing, and 200,000 keys do not take 200,000² compares.
  static constexpr size_t kIndexFrom = 16;

  explicit Builder(const Limits& limits) : limits_(limits) {}

  std::variant<Node, ParseError> run(std::string_view text) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    std::optional<ParseError> error;
    bool done = false;
    while (!done && !error) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        error = syntax_error(parser, text);
        break;
      }
      error = on_event(ev, done);
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (error) return *error;
    return root_;
  }

 private:
  struct Frame {
    Node node;
    Node pending_key;
    bool has_key = false;
    // Key text → its line, once the mapping has kIndexFrom keys.
    bool indexed = false;
    std::unordered_map<std::string_view, int> index;
  };

  // libyaml's error, said from the catalogue (core/yaml_syntax.h).
  static ParseError syntax_error(const yaml_parser_t& parser, std::string_view text) {
    auto mark = [](const yaml_mark_t& m) {
      return Mark{static_cast<int>(m.line), static_cast<int>(m.column)};
    };
    detail::LibraryError e;
    if (parser.problem) e.problem = parser.problem;
    if (parser.context) e.context = parser.context;
    e.problem_mark = mark(parser.problem_mark);
    e.context_mark = mark(parser.context_mark);
    e.reader = parser.error == YAML_READER_ERROR;
    e.offset = parser.problem_offset;
    return detail::describe(e, text);
  }

  // The entry's words and code (core/messages.h).
  template <class... A>
  static ParseError refused(Msg m, Mark mark, const A&... args) {
    Text t = message(m, args...);
    return ParseError{std::move(t.en), mark, std::move(t.zh), std::string(message_entry(m).code)};
  }

  // The entry's words without a code: reported as a syntax error, as a duplicate key always was.
  template <class... A>
  static ParseError refused_as_syntax(Msg m, Mark mark, const A&... args) {
    ParseError e = refused(m, mark, args...);
    e.code.clear();
    return e;
  }

  std::optional<ParseError> on_event(const yaml_event_t& ev, bool& done) {
    const Mark mark{static_cast<int>(ev.start_mark.line), static_cast<int>(ev.start_mark.column)};
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        // A second document would otherwise be dropped unread, with whatever it says.
        if (documents_++ > 0) {
          return refused(Msg::kSecondDocument, mark);
        }
        return std::nullopt;
      case YAML_SCALAR_EVENT:
        return on_scalar(ev, mark);
      case YAML_SEQUENCE_START_EVENT:
        return open(Node::Kind::kSequence, ev.data.sequence_start.anchor, mark);
      case YAML_MAPPING_START_EVENT:
        return open(Node::Kind::kMap, ev.data.mapping_start.anchor, mark);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        close();
        return std::nullopt;
      case YAML_ALIAS_EVENT:
        return on_alias(reinterpret_cast<const char*>(ev.data.alias.anchor), mark);
      case YAML_STREAM_END_EVENT:
        done = true;
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }

  std::optional<ParseError> on_scalar(const yaml_event_t& ev, Mark mark) {
    const size_t length = ev.data.scalar.length;
    if (length > limits_.cell_bytes) {
      return refused(Msg::kValueTooLong, mark, length, limits_.cell_bytes);
    }
    auto n = make(Node::Kind::kScalar, mark);
    n.impl_->scalar.assign(reinterpret_cast<const char*>(ev.data.scalar.value), length);
    switch (ev.data.scalar.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n.impl_->style = Node::Style::kQuoted;
        break;
      case YAML_LITERAL_SCALAR_STYLE:
        n.impl_->style = Node::Style::kLiteral;
        break;
      case YAML_FOLDED_SCALAR_STYLE:
        n.impl_->style = Node::Style::kFolded;
        break;
      default:
        break;
    }
    // The core schema's nulls, written plain.
    const std::string& s = n.impl_->scalar;
    const bool plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (plain && (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")) {
      n.impl_->kind = Node::Kind::kNull;
      n.impl_->scalar.clear();
    }
    // YAML 1.1's merge key is not read as a merge: say so rather than take "<<" as a name.
    if (plain && s == "<<" && awaiting_key()) {
      return refused(Msg::kMergeKey, mark);
    }
    anchor(ev.data.scalar.anchor, n);
    return add(n);
  }

  std::optional<ParseError> open(Node::Kind kind, const unsigned char* anchor_name, Mark mark) {
    // Nothing the project reads nests deeply; a bound keeps destruction and lookups from
    // running away on a hostile file.
    if (stack_.size() >= kMaxDepth) {
      return refused_as_syntax(Msg::kNestedTooDeep, mark);
    }
    auto n = make(kind, mark);
    anchor(anchor_name, n);
    if (auto err = add(n, /*opening=*/true)) return err;
    stack_.push_back({n, Node(), false, false, {}});
    return std::nullopt;
  }

  void close() {
    const Node done = stack_.back().node;
    stack_.pop_back();
    if (!stack_.empty()) stack_.back().node.impl_->weight += done.impl_->weight;
  }

  std::optional<ParseError> on_alias(const char* name, Mark mark) {
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      return refused_as_syntax(Msg::kUnknownAlias, mark, excerpt(name));
    }
    // An alias inside the node it names (`&a [*a]`, `&a {<<: *a}`) would make the tree hold
    // itself: an endless value, and memory never given back.
    for (const Frame& f : stack_) {
      if (f.node.impl_ == it->second.impl_) {
        return refused(Msg::kAliasCycle, mark, excerpt(name));
      }
    }
    return add(it->second);
  }

  static Node make(Node::Kind kind, Mark mark) {
    Node n;
    n.impl_ = std::make_shared<Node::Impl>();
    n.impl_->kind = kind;
    n.impl_->mark = mark;
    return n;
  }

  void anchor(const unsigned char* name, const Node& n) {
    if (name) anchors_[reinterpret_cast<const char*>(name)] = n;
  }

  bool awaiting_key() const {
    return !stack_.empty() && stack_.back().node.IsMap() && !stack_.back().has_key;
  }

  // Attaches a node to its parent; returns an error for a duplicate key or a limit passed.
  // `opening`: a collection just started, whose weight reaches its parent when it closes.
  std::optional<ParseError> add(const Node& n, bool opening = false) {
    // Aliases share nodes, so a small file can stand for billions (the "billion laughs"); every
    // loader that walks the tree would walk them all. A file without aliases has fewer nodes
    // than bytes, so file-bytes bounds what it may stand for.
    expanded_ += n.impl_->weight;
    if (expanded_ > limits_.file_bytes) {
      return refused(Msg::kAliasExpansion, n.mark(), limits_.file_bytes);
    }
    if (stack_.empty()) {
      root_ = n;
      return std::nullopt;
    }
    Frame& top = stack_.back();
    if (!opening) top.node.impl_->weight += n.impl_->weight;
    if (top.node.IsSequence()) {
      top.node.impl_->items.push_back(n);
      return std::nullopt;
    }
    if (!top.has_key) {
      top.pending_key = n;
      top.has_key = true;
      return std::nullopt;
    }
    if (auto err = check_key(top)) return err;
    top.node.impl_->entries.emplace_back(top.pending_key, n);
    top.has_key = false;
    return std::nullopt;
  }

  // The pending key of `top` against the keys before it: not written twice, and within
  // mapping-keys.
  std::optional<ParseError> check_key(Frame& top) {
    auto& entries = top.node.impl_->entries;
    const Node& key = top.pending_key;
    if (entries.size() >= limits_.mapping_keys) {
      return refused(Msg::kTooManyKeys, key.mark(), limits_.mapping_keys);
    }
    if (!key.IsScalar() && !key.IsNull()) return std::nullopt;
    int first_line = -1;
    if (entries.size() < kIndexFrom) {
      for (const auto& [k, v] : entries) {
        if ((k.IsScalar() || k.IsNull()) && k.Scalar() == key.Scalar()) first_line = k.mark().line;
      }
    } else {
      if (!top.indexed) {
        top.indexed = true;
        for (const auto& [k, v] : entries) {
          if (k.IsScalar() || k.IsNull()) top.index.try_emplace(k.Scalar(), k.mark().line);
        }
      }
      auto [it, added] = top.index.try_emplace(key.Scalar(), key.mark().line);
      if (!added) first_line = it->second;
    }
    if (first_line < 0) return std::nullopt;
    return refused_as_syntax(Msg::kDuplicateKey, key.mark(), excerpt(key.Scalar()), first_line + 1);
  }

  const Limits& limits_;
  std::vector<Frame> stack_;
  std::map<std::string, Node> anchors_;
  Node root_;
  int documents_ = 0;
  uint64_t expanded_ = 0;
};

std::variant<Node, ParseError> parse(std::string_view text, const Limits& limits) {
  return Builder(limits).run(text);
}

void add_finding(Findings& findings, const std::string& file, const ParseError& error,
                 std::string_view syntax_code, std::string_view syntax_en,
                 std::string_view syntax_zh) {
  const int line = error.mark.line + 1, column = error.mark.column + 1;
  if (!error.code.empty()) {
    findings.error(error.code, file, line, column, error.message, error.message_zh);
    return;
  }
  // A syntax error's sentence is the catalogue's (core/yaml_syntax.h), after the reader's frame.
  const Text t =
      message(Msg::kSyntaxWithDetail, Text{std::string(syntax_zh), std::string(syntax_en)},
              Text{error.message_zh, error.message});
  findings.error(std::string(syntax_code), file, line, column, t.en, t.zh);
}

}  // namespace epil::yaml
