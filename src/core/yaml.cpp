#include "core/yaml.h"

#include <yaml.h>

#include <map>
#include <optional>

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

  std::variant<Node, ParseError> run(std::string_view text) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    std::variant<Node, ParseError> result = Node();
    bool done = false, have_root = false;
    while (!done) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        ParseError e;
        e.message = parser.problem ? parser.problem : "cannot parse";
        if (parser.context) e.message = std::string(parser.context) + ": " + e.message;
        e.mark = {static_cast<int>(parser.problem_mark.line),
                  static_cast<int>(parser.problem_mark.column)};
        result = e;
        break;
      }
      Mark mark{static_cast<int>(ev.start_mark.line), static_cast<int>(ev.start_mark.column)};
      // Nothing the project reads nests deeply; a bound keeps destruction and lookups from
      // running away on a hostile file.
      if ((ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) &&
          stack_.size() >= kMaxDepth) {
        result = ParseError{"nested more than 64 levels deep", mark};
        yaml_event_delete(&ev);
        break;
      }
      switch (ev.type) {
        case YAML_SCALAR_EVENT: {
          auto n = make(Node::Kind::kScalar, mark);
          n.impl_->scalar.assign(reinterpret_cast<const char*>(ev.data.scalar.value),
                                 ev.data.scalar.length);
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
          if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
              (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")) {
            n.impl_->kind = Node::Kind::kNull;
            n.impl_->scalar.clear();
          }
          anchor(ev.data.scalar.anchor, n);
          if (auto err = add(n)) result = *err, done = true;
          break;
        }
        case YAML_SEQUENCE_START_EVENT: {
          auto n = make(Node::Kind::kSequence, mark);
          anchor(ev.data.sequence_start.anchor, n);
          if (auto err = add(n)) result = *err, done = true;
          stack_.push_back({n, Node(), false});
          break;
        }
        case YAML_MAPPING_START_EVENT: {
          auto n = make(Node::Kind::kMap, mark);
          anchor(ev.data.mapping_start.anchor, n);
          if (auto err = add(n)) result = *err, done = true;
          stack_.push_back({n, Node(), false});
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          stack_.pop_back();
          break;
        case YAML_ALIAS_EVENT: {
          auto it = anchors_.find(reinterpret_cast<const char*>(ev.data.alias.anchor));
          if (it == anchors_.end()) {
            result = ParseError{"unknown alias", mark};
            done = true;
          } else if (auto err = add(it->second)) {
            result = *err;
            done = true;
          }
          break;
        }
        case YAML_DOCUMENT_END_EVENT:
          // Only the first document is read.
          have_root = true;
          done = true;
          break;
        case YAML_STREAM_END_EVENT:
          done = true;
          break;
        default:
          break;
      }
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    (void)have_root;
    if (std::holds_alternative<ParseError>(result)) return result;
    return root_;
  }

 private:
  struct Frame {
    Node node;
    Node pending_key;
    bool has_key;
  };

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

  // Attaches a finished node to its parent; returns an error for a duplicate key.
  std::optional<ParseError> add(const Node& n) {
    if (stack_.empty()) {
      root_ = n;
      return std::nullopt;
    }
    Frame& top = stack_.back();
    if (top.node.IsSequence()) {
      top.node.impl_->items.push_back(n);
    } else if (!top.has_key) {
      top.pending_key = n;
      top.has_key = true;
    } else {
      if (top.pending_key.IsScalar() || top.pending_key.IsNull()) {
        for (const auto& [k, v] : top.node.impl_->entries) {
          if ((k.IsScalar() || k.IsNull()) && k.Scalar() == top.pending_key.Scalar()) {
            return ParseError{"duplicate key '" + k.Scalar() + "' (first written on line " +
                                  std::to_string(k.mark().line + 1) + ")",
                              top.pending_key.mark()};
          }
        }
      }
      top.node.impl_->entries.emplace_back(top.pending_key, n);
      top.has_key = false;
    }
    return std::nullopt;
  }

  std::vector<Frame> stack_;
  std::map<std::string, Node> anchors_;
  Node root_;
};

std::variant<Node, ParseError> parse(std::string_view text) { return Builder().run(text); }

}  // namespace epil::yaml
