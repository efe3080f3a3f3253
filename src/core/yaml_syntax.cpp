#include "core/yaml_syntax.h"

#include <optional>
#include <string>
#include <vector>

#include "core/messages.h"

namespace epil::yaml::detail {

namespace {

// What to add to the sentence, read from the lines around the problem.
enum class Hint {
  kNone,
  kIndentKeys,   // a line out of line with the keys of its mapping
  kIndentItems,  // a line out of line with the items of its list
  kColon,        // a ':' where none may stand: a value holding ': ', a line indented too far
  kKeyColon,     // a key without ':': "key:value" written without the space
};

// Where the finding points: where libyaml stopped, or where the thing it was reading began (a
// key without ':' is noticed on the next line, an unclosed quote at the end of the file).
enum class At { kProblem, kContext };

struct Known {
  std::string_view problem;  // libyaml's words, as its sources write them
  std::string_view context;  // "" for any
  Msg msg;
  Hint hint;
  At at;
};

// libyaml's problems that a configuration file meets, from its scanner, parser and reader. The
// first entry that matches is taken, so a problem read in a particular context comes before the
// same problem in any context.
constexpr Known kKnown[] = {
    {"did not find expected key", "", Msg::kYamlExpectedKey, Hint::kIndentKeys, At::kProblem},
    {"did not find expected '-' indicator", "", Msg::kYamlExpectedItem, Hint::kIndentItems,
     At::kProblem},
    {"mapping values are not allowed in this context", "", Msg::kYamlColonHere, Hint::kColon,
     At::kProblem},
    {"found unexpected ':'", "", Msg::kYamlColonHere, Hint::kColon, At::kProblem},
    {"could not find expected ':'", "", Msg::kYamlKeyWithoutColon, Hint::kKeyColon, At::kContext},
    {"found a tab character that violates indentation", "", Msg::kYamlTab, Hint::kNone,
     At::kProblem},
    {"found a tab character where an indentation space is expected", "", Msg::kYamlTab, Hint::kNone,
     At::kProblem},
    {"found character that cannot start any token", "", Msg::kYamlCannotStart, Hint::kNone,
     At::kProblem},
    {"found undefined tag handle", "", Msg::kYamlUndefinedTag, Hint::kNone, At::kProblem},
    {"found unexpected end of stream", "while scanning a quoted scalar", Msg::kYamlUnclosedQuote,
     Hint::kNone, At::kContext},
    {"found unexpected document indicator", "while scanning a quoted scalar",
     Msg::kYamlUnclosedQuote, Hint::kNone, At::kContext},
    {"found unexpected end of stream", "", Msg::kYamlEndOfFile, Hint::kNone, At::kProblem},
    {"did not find expected ',' or ']'", "", Msg::kYamlUnclosedBracket, Hint::kNone, At::kProblem},
    {"did not find expected ',' or '}'", "", Msg::kYamlUnclosedBracket, Hint::kNone, At::kProblem},
    {"block sequence entries are not allowed in this context", "", Msg::kYamlItemAfterKey,
     Hint::kNone, At::kProblem},
    {"mapping keys are not allowed in this context", "", Msg::kYamlComplexKey, Hint::kNone,
     At::kProblem},
    {"found unknown escape character", "", Msg::kYamlBadEscape, Hint::kNone, At::kProblem},
    {"did not find expected hexdecimal number", "", Msg::kYamlBadEscape, Hint::kNone, At::kProblem},
    {"found invalid Unicode character escape code", "", Msg::kYamlBadEscape, Hint::kNone,
     At::kProblem},
    {"did not find expected node content", "", Msg::kYamlNoValue, Hint::kNone, At::kProblem},
    {"did not find expected alphabetic or numeric character", "", Msg::kYamlAnchorName, Hint::kNone,
     At::kProblem},
    {"invalid leading UTF-8 octet", "", Msg::kYamlNotUtf8, Hint::kNone, At::kProblem},
    {"invalid trailing UTF-8 octet", "", Msg::kYamlNotUtf8, Hint::kNone, At::kProblem},
    {"incomplete UTF-8 octet sequence", "", Msg::kYamlNotUtf8, Hint::kNone, At::kProblem},
    {"invalid length of a UTF-8 sequence", "", Msg::kYamlNotUtf8, Hint::kNone, At::kProblem},
    {"control characters are not allowed", "", Msg::kYamlControlCharacter, Hint::kNone,
     At::kProblem},
};

const Known* find_known(const LibraryError& e) {
  for (const Known& k : kKnown) {
    if (k.problem == e.problem && (k.context.empty() || k.context == e.context)) return &k;
  }
  return nullptr;
}

// The document's lines (without their line breaks), 0-based; "" past the end.
class Lines {
 public:
  explicit Lines(std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      start = end + 1;
    }
  }
  std::string_view operator[](int i) const {
    return i >= 0 && static_cast<size_t>(i) < lines_.size() ? lines_[i] : std::string_view();
  }

  // The nearest line above `i` holding more than spaces and a comment; -1 when there is none.
  int content_above(int i) const {
    for (int j = i - 1; j >= 0; --j) {
      std::string_view l = (*this)[j];
      const size_t first = l.find_first_not_of(' ');
      if (first != std::string_view::npos && l[first] != '#') return j;
    }
    return -1;
  }

 private:
  std::vector<std::string_view> lines_;
};

int spaces(std::string_view line) {
  const size_t n = line.find_first_not_of(' ');
  return static_cast<int>(n == std::string_view::npos ? line.size() : n);
}

// Where a line's content starts after its indentation and list markers ("  - a: 1" → 4).
int content_indent(std::string_view line) {
  size_t i = spaces(line);
  while (i < line.size() && line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
    ++i;
    while (i < line.size() && line[i] == ' ') ++i;
  }
  return static_cast<int>(i);
}

// "key:value": a ':' followed by neither a space nor the end of the line, and no ': ' at all.
bool colon_without_space(std::string_view line) {
  if (line.find(": ") != std::string_view::npos) return false;
  const size_t colon = line.find(':');
  return colon != std::string_view::npos && colon + 1 < line.size();
}

// "3 spaces", "1 space" of indentation.
Text spaces_text(int n) {
  return n == 1 ? message(Msg::kYamlOneSpace) : message(Msg::kYamlSpaces, n);
}

// The position of a reader error (bad bytes), which libyaml gives as a byte offset.
Mark mark_at(std::string_view text, size_t offset) {
  Mark m;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.column;  // columns count characters, as libyaml's marks do
    }
  }
  return m;
}

// The hint for a line out of line with its mapping's keys or its list's items (`e.context_mark`
// is where the collection's first key or '-' stands).
std::optional<Text> alignment_hint(Hint hint, const LibraryError& e, const Lines& lines) {
  const int n = e.problem_mark.line;
  const std::string_view line = lines[n];
  const int indent = spaces(line);
  if (e.problem_mark.column != indent) return std::nullopt;  // not at the start of its line
  const int level = e.context_mark.column;
  if (hint == Hint::kIndentKeys && indent == level) {
    if (static_cast<size_t>(indent) < line.size() && line[indent] == '-') {
      return message(Msg::kYamlHintItemAtKeyLevel, n + 1, spaces_text(indent));
    }
    return std::nullopt;
  }
  const int above = lines.content_above(n);
  if (above < 0) return std::nullopt;
  return message(hint == Hint::kIndentKeys ? Msg::kYamlHintIndentKeys : Msg::kYamlHintIndentItems,
                 n + 1, spaces_text(indent), spaces_text(level), e.context_mark.line + 1,
                 spaces_text(content_indent(lines[above])), above + 1);
}

// The hint for a ':' where none may stand.
std::optional<Text> colon_hint(const LibraryError& e, const Lines& lines) {
  const int n = e.problem_mark.line;
  const std::string_view line = lines[n];
  const size_t first = line.find(": ");
  // A second ': ' on a line: the first made a key, so the value holds the second.
  if (first != std::string_view::npos && static_cast<int>(first) < e.problem_mark.column) {
    return message(Msg::kYamlHintQuoteColon);
  }
  const int above = lines.content_above(n);
  if (above < 0) return std::nullopt;
  if (colon_without_space(lines[above])) return message(Msg::kYamlHintColonSpace, above + 1);
  const int indent = spaces(line);
  if (indent > content_indent(lines[above])) {
    return message(Msg::kYamlHintIndentedMore, n + 1, spaces_text(indent), above + 1,
                   spaces_text(content_indent(lines[above])));
  }
  return std::nullopt;
}

std::optional<Text> hint(const Known& k, const LibraryError& e, std::string_view text) {
  if (k.hint == Hint::kNone) return std::nullopt;
  const Lines lines(text);
  switch (k.hint) {
    case Hint::kIndentKeys:
    case Hint::kIndentItems:
      return alignment_hint(k.hint, e, lines);
    case Hint::kColon:
      return colon_hint(e, lines);
    case Hint::kKeyColon:
      if (colon_without_space(lines[e.context_mark.line])) {
        return message(Msg::kYamlHintColonSpace, e.context_mark.line + 1);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// The entry's sentence with the positions it names.
Text sentence(const Known& k, const LibraryError& e, Mark problem) {
  switch (k.msg) {
    case Msg::kYamlExpectedKey:
    case Msg::kYamlExpectedItem:
      return message(k.msg, e.context_mark.line + 1);
    case Msg::kYamlUnclosedQuote:
    case Msg::kYamlTab:
      return message(k.msg, problem.line + 1);
    case Msg::kYamlUnclosedBracket: {
      const bool square = k.problem.find(']') != std::string_view::npos;
      return message(k.msg, e.context_mark.line + 1, e.context_mark.column + 1, square ? "[" : "{",
                     square ? "]" : "}");
    }
    default:
      return message(k.msg);
  }
}

}  // namespace

ParseError describe(const LibraryError& e, std::string_view text) {
  ParseError out;
  out.mark = e.reader ? mark_at(text, e.offset) : e.problem_mark;
  Text t;
  if (const Known* k = find_known(e)) {
    t = sentence(*k, e, out.mark);
    if (auto h = hint(*k, e, text)) t = message(Msg::kYamlWithHint, t, *h);
    if (k->at == At::kContext) out.mark = e.context_mark;
  } else {
    std::string words(e.problem.empty() ? std::string_view("cannot parse") : e.problem);
    if (!e.context.empty()) words = std::string(e.context) + ": " + words;
    t = message(Msg::kYamlLibraryWords, words);
  }
  out.message = std::move(t.en);
  out.message_zh = std::move(t.zh);
  return out;
}

}  // namespace epil::yaml::detail
