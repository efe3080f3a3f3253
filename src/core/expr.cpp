#include "core/expr.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/builtins.h"
#include "core/messages.h"
#include "core/text.h"

namespace epil {

namespace {

enum class Tok : uint8_t {
  kEnd,
  kNumber,
  kString,
  kDate,
  kIdent,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kError,
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t offset = 0;
  std::string_view text;
  double number = 0;
  std::string str;
  Date date;
};

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Parser {
 public:
  Parser(std::string_view text, const SourcePos& at, Findings& findings, const Limits& limits)
      : text_(text),
        at_(at),
        findings_(findings),
        max_nodes_(limits.expr_nodes),
        max_depth_(std::min<uint64_t>(limits.expr_depth, kDeepestSupported)) {
    cursor_ = {0, at_.line, at_.column};
    advance();
  }

  std::unique_ptr<Expr> parse() {
    auto e = parse_or();
    if (!failed_ && tok_.kind != Tok::kEnd)
      fail(tok_.offset, "an operator or the end of the expression", describe(tok_));
    return failed_ ? nullptr : std::move(e);
  }

 private:
  // --- lexing -------------------------------------------------------------------------
  void advance() {
    size_t i = pos_;
    while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
    Token t;
    t.offset = i;
    if (i >= text_.size()) {
      t.kind = Tok::kEnd;
      pos_ = i;
      tok_ = t;
      return;
    }
    char c = text_[i];
    auto single = [&](Tok k, size_t n) {
      t.kind = k;
      t.text = text_.substr(i, n);
      pos_ = i + n;
    };
    auto next_is = [&](char d) { return i + 1 < text_.size() && text_[i + 1] == d; };
    if (is_digit(c) || (c == '.' && i + 1 < text_.size() && is_digit(text_[i + 1]))) {
      // A date literal is exactly YYYY-MM-DD; anything else starting with a digit is a number.
      if (i + 10 <= text_.size() && text_[i + 4] == '-' && text_[i + 7] == '-' &&
          (i + 10 == text_.size() || !is_ident_char(text_[i + 10]))) {
        if (auto d = Date::parse_iso(text_.substr(i, 10))) {
          t.kind = Tok::kDate;
          t.date = *d;
          t.text = text_.substr(i, 10);
          pos_ = i + 10;
          tok_ = t;
          return;
        }
      }
      size_t j = i;
      std::string digits;
      while (j < text_.size() && (is_digit(text_[j]) || text_[j] == '.' || text_[j] == '_')) {
        if (text_[j] != '_') digits += text_[j];
        ++j;
      }
      if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
        size_t k = j + 1;
        if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
        if (k < text_.size() && is_digit(text_[k])) {
          digits.append(text_.substr(j, k - j));
          j = k;
          while (j < text_.size() && is_digit(text_[j])) digits += text_[j++];
        }
      }
      double v = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      t.text = text_.substr(i, j - i);
      if (ec != std::errc() || p != digits.data() + digits.size() ||
          (j < text_.size() && is_ident_start(text_[j]))) {
        t.kind = Tok::kError;
      } else {
        t.kind = Tok::kNumber;
        t.number = v;
      }
      pos_ = j;
    } else if (c == '\'' || c == '"') {
      size_t j = i + 1;
      while (j < text_.size() && text_[j] != c) ++j;
      if (j >= text_.size()) {
        t.kind = Tok::kError;
        t.text = text_.substr(i);
        pos_ = text_.size();
      } else {
        t.kind = Tok::kString;
        t.str = std::string(text_.substr(i + 1, j - i - 1));
        t.text = text_.substr(i, j - i + 1);
        pos_ = j + 1;
      }
    } else if (is_ident_start(c)) {
      size_t j = i;
      while (j < text_.size() && is_ident_char(text_[j])) ++j;
      t.kind = Tok::kIdent;
      t.text = text_.substr(i, j - i);
      pos_ = j;
    } else if (c == '(') {
      single(Tok::kLParen, 1);
    } else if (c == ')') {
      single(Tok::kRParen, 1);
    } else if (c == '[') {
      single(Tok::kLBracket, 1);
    } else if (c == ']') {
      single(Tok::kRBracket, 1);
    } else if (c == ',') {
      single(Tok::kComma, 1);
    } else if (c == '+') {
      single(Tok::kPlus, 1);
    } else if (c == '-') {
      single(Tok::kMinus, 1);
    } else if (c == '*') {
      single(Tok::kStar, 1);
    } else if (c == '/') {
      single(Tok::kSlash, 1);
    } else if (c == '<') {
      next_is('=') ? single(Tok::kLe, 2) : single(Tok::kLt, 1);
    } else if (c == '>') {
      next_is('=') ? single(Tok::kGe, 2) : single(Tok::kGt, 1);
    } else if (c == '=') {
      next_is('=') ? single(Tok::kEq, 2) : single(Tok::kEq, 1);
    } else if (c == '!' && next_is('=')) {
      single(Tok::kNe, 2);
    } else {
      // One UTF-8 character, so the message quotes it whole.
      size_t n = 1;
      unsigned char u = static_cast<unsigned char>(c);
      if (u >= 0xF0)
        n = 4;
      else if (u >= 0xE0)
        n = 3;
      else if (u >= 0xC0)
        n = 2;
      single(Tok::kError, std::min(n, text_.size() - i));
    }
    tok_ = t;
  }

  static std::string describe(const Token& t) {
    if (t.kind == Tok::kEnd) return "the end of the expression";
    return fmt::format("'{}'", t.text);
  }

  bool is_word(std::string_view w) const { return tok_.kind == Tok::kIdent && tok_.text == w; }

  void fail(size_t offset, std::string_view expected, std::string_view found) {
    if (failed_) return;
    failed_ = true;
    auto [line, col] = position(offset);
    add_error(findings_, Msg::kExprSyntax, at_.file, line, col, expected, found);
  }

  // The expression is larger or deeper than the limits allow: one finding naming the limit,
  // and parsing stops (the rest is not looked at, so a hostile expression costs no more).
  void fail_limit(int line, int column, bool depth) {
    if (failed_) return;
    failed_ = true;
    if (depth) {
      add_error(findings_, Msg::kExprTooDeep, at_.file, line, column, max_depth_);
    } else {
      add_error(findings_, Msg::kExprTooLarge, at_.file, line, column, max_nodes_);
    }
  }

  // Line and column in the file of a byte offset in the text. Columns count characters, as
  // the YAML reader's do, so a Chinese string before an error does not shift it. Nodes ask in
  // the order of the text, so the walk goes on from the last answer: linear in the text, not
  // quadratic, for an expression of many thousand parts on one line.
  std::pair<int, int> position(size_t offset) {
    offset = std::min(offset, text_.size());
    Cursor from{0, at_.line, at_.column};
    if (!at_.segments.empty()) {
      // The last line (segment) starting at or before the offset.
      auto seg =
          std::upper_bound(at_.segments.begin() + 1, at_.segments.end(), offset,
                           [](size_t o, const SourcePos::Segment& s) { return o < s.offset; });
      const SourcePos::Segment& s = *(seg - 1);
      from = {s.offset, s.line, s.column};
    }
    if (cursor_.offset >= from.offset && cursor_.offset <= offset) from = cursor_;
    const bool lines = at_.segments.empty();  // segments are one line each
    for (size_t k = from.offset; k < offset; ++k) {
      if (lines && text_[k] == '\n') {
        ++from.line;
        from.column = 1;
      } else {
        from.column += (static_cast<unsigned char>(text_[k]) & 0xC0) != 0x80;
      }
    }
    from.offset = offset;
    cursor_ = from;
    return {from.line, from.column};
  }

  // Every node counts against the size limit; the parser stops at the first one too many.
  std::unique_ptr<Expr> node(Op op, size_t offset) {
    auto e = std::make_unique<Expr>();
    e->op = op;
    auto [line, col] = position(offset);
    e->line = line;
    e->column = col;
    if (++nodes_ > max_nodes_) fail_limit(line, col, false);
    return e;
  }

  // A node whose operands are all parsed: its height, checked against the depth limit. A
  // chain such as a + b + c … leans left and is as deep as it is long, and the checker,
  // the compiler and the explainer all recurse over it.
  std::unique_ptr<Expr> close(std::unique_ptr<Expr> e) {
    int below = 0;
    for (const auto& a : e->args) {
      if (a) below = std::max(below, a->height);
    }
    e->height = below + 1;
    if (static_cast<uint64_t>(e->height) > max_depth_) fail_limit(e->line, e->column, true);
    return e;
  }

  // `l op right`, the operator at the current token: its position is taken before the right
  // operand is parsed, so that positions are asked in the order of the text.
  using Rule = std::unique_ptr<Expr> (Parser::*)();
  std::unique_ptr<Expr> binary(Op op, std::unique_ptr<Expr> l, Rule right) {
    auto e = node(op, tok_.offset);
    advance();
    e->args.push_back(std::move(l));
    e->args.push_back((this->*right)());
    return close(std::move(e));
  }

  // --- grammar ------------------------------------------------------------------------
  // Parentheses, calls, indexes, lists, 'not' and '-' recurse before their node is closed;
  // a bound on how many are open keeps a hostile expression from exhausting the stack.
  struct Level {
    Parser& p;
    explicit Level(Parser& parser) : p(parser) { ++p.open_; }
    ~Level() { --p.open_; }
    bool too_deep() {
      if (static_cast<uint64_t>(p.open_) <= p.max_depth_) return false;
      auto [line, col] = p.position(p.tok_.offset);
      p.fail_limit(line, col, true);
      return true;
    }
  };

  std::unique_ptr<Expr> parse_or() {
    auto l = parse_and();
    while (!failed_ && is_word("or")) l = binary(Op::kOr, std::move(l), &Parser::parse_and);
    return l;
  }

  std::unique_ptr<Expr> parse_and() {
    auto l = parse_not();
    while (!failed_ && is_word("and")) l = binary(Op::kAnd, std::move(l), &Parser::parse_not);
    return l;
  }

  std::unique_ptr<Expr> parse_not() {
    if (is_word("not")) {
      Level level(*this);
      if (level.too_deep()) return nullptr;
      auto e = node(Op::kNot, tok_.offset);
      advance();
      e->args.push_back(parse_not());
      return close(std::move(e));
    }
    return parse_comparison();
  }

  std::unique_ptr<Expr> parse_comparison() {
    auto l = parse_additive();
    if (failed_) return l;
    Op op;
    switch (tok_.kind) {
      case Tok::kLt:
        op = Op::kLt;
        break;
      case Tok::kLe:
        op = Op::kLe;
        break;
      case Tok::kGt:
        op = Op::kGt;
        break;
      case Tok::kGe:
        op = Op::kGe;
        break;
      case Tok::kEq:
        op = Op::kEq;
        break;
      case Tok::kNe:
        op = Op::kNe;
        break;
      default:
        if (is_word("in")) return binary(Op::kIn, std::move(l), &Parser::parse_list);
        if (is_word("not")) {
          auto e = node(Op::kNotIn, tok_.offset);
          advance();
          if (!is_word("in")) {
            fail(tok_.offset, "'in' after 'not'", describe(tok_));
            return l;
          }
          advance();
          e->args.push_back(std::move(l));
          e->args.push_back(parse_list());
          return close(std::move(e));
        }
        return l;
    }
    return binary(op, std::move(l), &Parser::parse_additive);
  }

  std::unique_ptr<Expr> parse_list() {
    Level level(*this);
    if (level.too_deep()) return nullptr;
    auto e = node(Op::kList, tok_.offset);
    if (tok_.kind != Tok::kLBracket) {
      fail(tok_.offset, "a list such as ['a', 'b']", describe(tok_));
      return e;
    }
    advance();
    while (!failed_) {
      e->args.push_back(parse_additive());
      if (tok_.kind == Tok::kComma) {
        advance();
        continue;
      }
      if (tok_.kind == Tok::kRBracket) {
        advance();
        break;
      }
      fail(tok_.offset, "',' or ']'", describe(tok_));
    }
    return close(std::move(e));
  }

  std::unique_ptr<Expr> parse_additive() {
    auto l = parse_multiplicative();
    while (!failed_ && (tok_.kind == Tok::kPlus || tok_.kind == Tok::kMinus)) {
      Op op = tok_.kind == Tok::kPlus ? Op::kAdd : Op::kSub;
      l = binary(op, std::move(l), &Parser::parse_multiplicative);
    }
    return l;
  }

  std::unique_ptr<Expr> parse_multiplicative() {
    auto l = parse_unary();
    while (!failed_ && (tok_.kind == Tok::kStar || tok_.kind == Tok::kSlash)) {
      Op op = tok_.kind == Tok::kStar ? Op::kMul : Op::kDiv;
      l = binary(op, std::move(l), &Parser::parse_unary);
    }
    return l;
  }

  std::unique_ptr<Expr> parse_unary() {
    if (tok_.kind == Tok::kMinus) {
      Level level(*this);
      if (level.too_deep()) return nullptr;
      auto e = node(Op::kNeg, tok_.offset);
      advance();
      e->args.push_back(parse_unary());
      return close(std::move(e));
    }
    return parse_primary();
  }

  std::unique_ptr<Expr> parse_primary() {
    if (failed_) return nullptr;
    size_t off = tok_.offset;
    switch (tok_.kind) {
      case Tok::kNumber: {
        auto e = node(Op::kNumber, off);
        e->number = tok_.number;
        advance();
        return e;
      }
      case Tok::kString: {
        auto e = node(Op::kString, off);
        e->text = tok_.str;
        advance();
        return e;
      }
      case Tok::kDate: {
        auto e = node(Op::kDate, off);
        e->date = tok_.date;
        advance();
        return e;
      }
      case Tok::kLParen: {
        Level level(*this);
        if (level.too_deep()) return nullptr;
        advance();
        auto e = parse_or();
        if (!failed_ && tok_.kind != Tok::kRParen) fail(tok_.offset, "')'", describe(tok_));
        advance();
        return e;
      }
      case Tok::kLBracket:
        return parse_list();
      case Tok::kIdent: {
        std::string name(tok_.text);
        if (name == "true" || name == "false") {
          auto e = node(Op::kBool, off);
          e->boolean = name == "true";
          advance();
          return e;
        }
        if (name == "and" || name == "or" || name == "in" || name == "not") {
          fail(off, "a value, a name or '('", describe(tok_));
          return nullptr;
        }
        advance();
        if (tok_.kind == Tok::kLParen) {
          Level level(*this);
          if (level.too_deep()) return nullptr;
          auto e = node(Op::kCall, off);
          e->text = name;
          advance();
          if (tok_.kind == Tok::kRParen) {
            advance();
            return e;
          }
          while (!failed_) {
            e->args.push_back(parse_or());
            if (tok_.kind == Tok::kComma) {
              advance();
              continue;
            }
            if (tok_.kind == Tok::kRParen) {
              advance();
              break;
            }
            fail(tok_.offset, "',' or ')'", describe(tok_));
          }
          return close(std::move(e));
        }
        auto e = node(Op::kName, off);
        e->text = name;
        if (tok_.kind == Tok::kLBracket) {
          Level level(*this);
          if (level.too_deep()) return nullptr;
          auto idx = node(Op::kIndex, off);
          advance();
          idx->args.push_back(std::move(e));
          idx->args.push_back(parse_or());
          if (!failed_ && tok_.kind != Tok::kRBracket) fail(tok_.offset, "']'", describe(tok_));
          advance();
          return close(std::move(idx));
        }
        return e;
      }
      default:
        fail(off, "a value, a name or '('", describe(tok_));
        return nullptr;
    }
  }

  std::string_view text_;
  SourcePos at_;
  Findings& findings_;
  size_t pos_ = 0;
  Token tok_;
  bool failed_ = false;
  const uint64_t max_nodes_, max_depth_;
  uint64_t nodes_ = 0;
  int open_ = 0;  // parentheses, calls, indexes, lists, 'not' and '-' being parsed
  struct Cursor {
    size_t offset;
    int line, column;
  };
  Cursor cursor_;  // the last position asked for
};

// --- checking ---------------------------------------------------------------------------

class Checker {
 public:
  Checker(const Scope& scope, const std::string& file, Findings& findings)
      : scope_(scope), file_(file), findings_(findings) {}

  bool ok() const { return ok_; }

  // Checks e; `want` is a hint used to coerce string literals to enum values.
  Type check(Expr& e, Type want) {
    if (is_comparison(e.op)) return check_comparison(e);
    switch (e.op) {
      case Op::kNumber:
        return set(e, {BaseType::kNumber});
      case Op::kDate:
        return set(e, {BaseType::kDate});
      case Op::kBool:
        return set(e, {BaseType::kBool});
      case Op::kString:
        if (want.base == BaseType::kEnum) return coerce_literal(e, want);
        return set(e, {BaseType::kString});
      case Op::kName:
        return check_name(e);
      case Op::kIndex:
        return check_index(e);
      case Op::kCall:
        return check_call(e, want);
      case Op::kList:
        error(e, Msg::kMisplacedList);
        return set(e, {});
      case Op::kNot:
        expect(*e.args[0], {BaseType::kBool}, "'not'");
        return set(e, {BaseType::kBool});
      case Op::kAnd:
      case Op::kOr: {
        const char* what = e.op == Op::kAnd ? "'and'" : "'or'";
        expect(*e.args[0], {BaseType::kBool}, what);
        expect(*e.args[1], {BaseType::kBool}, what);
        return set(e, {BaseType::kBool});
      }
      case Op::kNeg: {
        expect(*e.args[0], {BaseType::kNumber}, "'-'");
        e.unit = e.args[0]->unit;
        return set(e, {BaseType::kNumber});
      }
      case Op::kIn:
      case Op::kNotIn:
        return check_in(e);
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv:
        return check_arithmetic(e);
      default:  // a program's own ops: never parsed
        break;
    }
    return set(e, {});
  }

 private:
  Type set(Expr& e, Type t) {
    e.type = t;
    return t;
  }

  template <class... A>
  void error(const Expr& e, Msg m, const A&... args) {
    ok_ = false;
    add_error(findings_, m, file_, e.line, e.column, args...);
  }

  std::string tn(Type t) const { return type_name(t, scope_); }

  void expect(Expr& e, Type want, const char* context) {
    Type got = check(e, want);
    if (got.base == BaseType::kInvalid) return;  // already reported
    if (got.base != want.base || (want.base == BaseType::kEnum && got.enum_id != want.enum_id)) {
      error(e, Msg::kExpectsType, context, tn(want), tn(got));
    }
  }

  Type coerce_literal(Expr& e, Type want) {
    int idx = scope_.enum_value(want.enum_id, e.text);
    if (idx < 0) {
      std::string name = scope_.enum_name(want.enum_id);
      error(e, Msg::kNotEnumValue, e.text, name);
      return set(e, {});
    }
    e.enum_literal = idx;
    return set(e, want);
  }

  Type check_name(Expr& e) {
    Symbol s = scope_.lookup(e.text);
    if (s.kind == SymbolKind::kNone) {
      const std::string nearest = suggestion(e.text);
      if (nearest.empty()) {
        error(e, Msg::kUnknownName, e.text);
      } else {
        error(e, Msg::kUnknownNameDidYouMean, e.text, nearest);
      }
      return set(e, {});
    }
    if (s.kind == SymbolKind::kParam && s.index_enum >= 0) {
      std::string en = scope_.enum_name(s.index_enum);
      error(e, Msg::kIndexRequired, e.text, en);
      return set(e, {});
    }
    e.symbol = s.kind;
    e.symbol_id = s.id;
    e.unit = s.unit;
    return set(e, s.type);
  }

  // "did you mean": the name in scope nearest to `name`, or "". For the first few unknown names
  // of an expression only, each against the names in scope once listed; an expression of
  // thousands of unknown names in a ruleset of thousands of fields would otherwise cost their
  // product in edit distances.
  std::string suggestion(const std::string& name) {
    static constexpr int kSuggestions = 10;
    if (suggested_++ >= kSuggestions) return "";
    if (names_.empty()) names_ = scope_.names();
    std::string best;
    size_t best_d = std::max<size_t>(2, name.size() / 4) + 1;
    for (const auto& candidate : names_) {
      const size_t apart = candidate.size() > name.size() ? candidate.size() - name.size()
                                                          : name.size() - candidate.size();
      if (apart >= best_d) continue;  // the distance is at least the difference in length
      size_t d = edit_distance(name, candidate);
      if (d < best_d) {
        best_d = d;
        best = candidate;
      }
    }
    return best;
  }

  Type check_index(Expr& e) {
    Expr& base = *e.args[0];
    Symbol s = scope_.lookup(base.text);
    if (s.kind != SymbolKind::kParam || s.index_enum < 0) {
      error(base, Msg::kNotIndexedParameter, base.text);
      return set(e, {});
    }
    base.symbol = s.kind;
    base.symbol_id = s.id;
    Type want{BaseType::kEnum, static_cast<int16_t>(s.index_enum)};
    expect(*e.args[1], want, fmt::format("the index of '{}'", base.text).c_str());
    e.symbol = SymbolKind::kParam;
    e.symbol_id = s.id;
    e.unit = s.unit;
    return set(e, s.type);
  }

  bool comparable(Type a, Type b) const {
    if (a.base != b.base) return false;
    return a.base != BaseType::kEnum || a.enum_id == b.enum_id;
  }

  void check_units(Expr& e, const Expr& l, const Expr& r) {
    if (!l.unit.empty() && !r.unit.empty() && l.unit != r.unit) {
      error(e, Msg::kComparesUnits, l.unit, r.unit);
    }
  }

  // Checks two operands where a string literal on either side takes the other's enum type;
  // `want` passes the context's enum down through nested if()s.
  std::pair<Type, Type> check_pair(Expr& l, Expr& r, Type want = {}) {
    Type lt, rt;
    if (l.op == Op::kString && r.op != Op::kString) {
      rt = check(r, want);
      lt = check(l, rt.base == BaseType::kEnum ? rt : want);
    } else {
      lt = check(l, want);
      rt = check(r, lt.base == BaseType::kEnum ? lt : want);
    }
    return {lt, rt};
  }

  Type check_comparison(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    auto [lt, rt] = check_pair(l, r);
    if (lt.base == BaseType::kInvalid || rt.base == BaseType::kInvalid) return set(e, {});
    bool ordered = e.op != Op::kEq && e.op != Op::kNe;
    if (!comparable(lt, rt)) {
      error(e, Msg::kCannotCompare, tn(lt), tn(rt));
      return set(e, {});
    }
    if (ordered && lt.base != BaseType::kNumber && lt.base != BaseType::kDate) {
      error(e, Msg::kNoOrder, tn(lt));
      return set(e, {});
    }
    check_units(e, l, r);
    return set(e, {BaseType::kBool});
  }

  Type check_in(Expr& e) {
    Type lt = check(*e.args[0], {});
    Expr& list = *e.args[1];
    if (lt.base == BaseType::kInvalid) return set(e, {});
    if (list.op != Op::kList) {
      error(list, Msg::kInExpectsList);
      return set(e, {});
    }
    for (auto& item : list.args) {
      Type it = check(*item, lt);
      if (it.base != BaseType::kInvalid && !comparable(it, lt)) {
        error(*item, Msg::kListItemType, tn(it), tn(lt));
      }
    }
    return set(e, {BaseType::kBool});
  }

  Type check_arithmetic(Expr& e) {
    Expr& l = *e.args[0];
    Expr& r = *e.args[1];
    Type lt = check(l, {});
    Type rt = check(r, {});
    if (lt.base == BaseType::kInvalid || rt.base == BaseType::kInvalid) return set(e, {});
    if (lt.base != BaseType::kNumber || rt.base != BaseType::kNumber) {
      error(e, Msg::kArithmeticNeedsNumbers, tn(lt), tn(rt));
      return set(e, {});
    }
    if (e.op == Op::kAdd || e.op == Op::kSub) {
      check_units(e, l, r);
      e.unit = l.unit.empty() ? r.unit : l.unit;
    } else if (r.unit.empty()) {
      e.unit = l.unit;
    } else if (l.unit.empty() && e.op == Op::kMul) {
      e.unit = r.unit;
    }
    return set(e, {BaseType::kNumber});
  }

  bool arity(Expr& e, size_t lo, size_t hi) {
    if (e.args.size() < lo || e.args.size() > hi) {
      std::string n = lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi);
      error(e, Msg::kArity, e.text, n, e.args.size());
      return false;
    }
    return true;
  }

  // A call, against its entry in the table of built-ins (core/builtins.h).
  Type check_call(Expr& e, Type want) {
    const Builtin* b = find_builtin(e.text);
    if (b == nullptr) {
      error(e, Msg::kUnknownFunction, e.text, builtin_names());
      return set(e, {});
    }
    e.builtin = b;
    if (!arity(e, b->min_args, b->max_args)) return set(e, {});
    Type branches{BaseType::kBool};
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (b->arg(i) == ArgKind::kBranch) {
        // Both branches at once, each coercing the other's string literals to its enum.
        auto [x, y] = check_pair(*e.args[i], *e.args[i + 1], want);
        if (x.base == BaseType::kInvalid || y.base == BaseType::kInvalid) return set(e, {});
        if (!comparable(x, y)) {
          error(e, Msg::kBranchesDiffer, b->name, tn(x), tn(y));
          return set(e, {});
        }
        branches = x;
        ++i;
      } else {
        check_argument(e, *b, i);
      }
    }
    if (b->unit == UnitRule::kDays) e.unit = "days";
    for (size_t i = 0; b->unit == UnitRule::kOfArguments && i < e.args.size(); ++i) {
      if (e.unit.empty() && b->arg(i) != ArgKind::kBool) e.unit = e.args[i]->unit;
    }
    switch (b->result) {
      case ResultKind::kBool:
        return set(e, {BaseType::kBool});
      case ResultKind::kNumber:
        return set(e, {BaseType::kNumber});
      case ResultKind::kDate:
        return set(e, {BaseType::kDate});
      case ResultKind::kBranches:
        return set(e, branches);
    }
    return set(e, {});
  }

  // Argument `i` of a call to `b`, against its kind.
  void check_argument(Expr& call, const Builtin& b, size_t i) {
    Expr& a = *call.args[i];
    const ArgKind kind = b.arg(i);
    bool uniform = true;
    for (size_t k = 1; k < b.arity_listed(); ++k) uniform &= b.args[k] == b.args[0];
    static const char* const kOrdinal[] = {"first", "second", "third"};
    const std::string what = uniform || b.max_args == 1
                                 ? fmt::format("{}()", b.name)
                                 : fmt::format("the {} argument of {}()", kOrdinal[i], b.name);
    switch (kind) {
      case ArgKind::kBool:
        return expect(a, {BaseType::kBool}, what.c_str());
      case ArgKind::kNumber:
        return expect(a, {BaseType::kNumber}, what.c_str());
      case ArgKind::kDate:
        return expect(a, {BaseType::kDate}, what.c_str());
      case ArgKind::kAny:
      case ArgKind::kBranch:
        check(a, {});
        return;
      case ArgKind::kInputField:
        // given(field): the user gave it, a value or "unknown" (不详), rather than leaving it
        // to its default: a stated 不详 must never fall back to what silence would assume.
        check(a, {});
        if (a.type.base != BaseType::kInvalid &&
            !(a.op == Op::kName && a.symbol == SymbolKind::kField)) {
          error(a, Msg::kTakesInputField, b.name, b.example);
        }
        return;
      case ArgKind::kParameter:
        check(a, {});
        if (a.type.base != BaseType::kInvalid &&
            !(a.symbol == SymbolKind::kParam && (a.op == Op::kName || a.op == Op::kIndex))) {
          error(a, Msg::kTakesParameter, b.name, b.example);
        }
        return;
    }
  }

  const Scope& scope_;
  const std::string& file_;
  Findings& findings_;
  bool ok_ = true;
  int suggested_ = 0;
  std::vector<std::string> names_;  // the scope's names, listed on the first unknown one
};

}  // namespace

std::unique_ptr<Expr> parse_expression(std::string_view text, const SourcePos& at,
                                       Findings& findings, const Limits& limits) {
  Parser p(text, at, findings, limits);
  return p.parse();
}

bool check_expression(Expr& e, const Scope& scope, Type expected, const std::string& file,
                      Findings& findings) {
  Checker c(scope, file, findings);
  Type t = c.check(e, expected);
  if (c.ok() && expected.base != BaseType::kInvalid &&
      (t.base != expected.base || (t.base == BaseType::kEnum && t.enum_id != expected.enum_id))) {
    add_error(findings, Msg::kExpressionType, file, e.line, e.column, type_name(expected, scope),
              type_name(t, scope));
    return false;
  }
  return c.ok();
}

void collect_symbols(const Expr& e, SymbolKind kind, std::vector<int>& out) {
  if (e.symbol == kind && e.symbol_id >= 0 &&
      std::find(out.begin(), out.end(), e.symbol_id) == out.end()) {
    out.push_back(e.symbol_id);
  }
  for (const auto& a : e.args) collect_symbols(*a, kind, out);
}

std::string type_name(Type t, const Scope& scope) {
  switch (t.base) {
    case BaseType::kInvalid:
      return "an invalid value";
    case BaseType::kBool:
      return "bool";
    case BaseType::kNumber:
      return "number";
    case BaseType::kDate:
      return "date";
    case BaseType::kString:
      return "string";
    case BaseType::kEnum:
      return fmt::format("enum {}", scope.enum_name(t.enum_id));
  }
  return "?";
}

}  // namespace epil
