// open_xlsx (io/table.h): an .xlsx sheet read as a stream of rows. libzip inflates the parts,
// expat parses them; the sheet's XML is fed to expat in 64 KiB chunks and the parser is
// suspended at the end of every row, so memory does not grow with the sheet. The shared
// strings and the date styles are read fully first, as the cells refer to them by index.
#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/messages.h"
#include "io/normalize.h"
#include "io/table.h"

namespace epil::io {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr int kXfd = 16384;                   // XFD, the last column a cell reference can name
constexpr int64_t kMaxRow = 2147483647;       // Excel stops at 1048576; accept more, not less
constexpr int32_t kDays1904Offset = 1462;     // 1904-01-01 is serial 1462 in the 1900 system
constexpr double kMaxSerial = 2958465.99999;  // 9999-12-31 23:59:59
constexpr std::size_t kExcerptChars = 80;     // at most this much of a bad value in a message

// ---------------------------------------------------------------------------------------------
// Small text helpers

std::string column_letters(int column) {
  std::string out;
  while (column > 0) {
    const int d = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + d));
    column = (column - 1) / 26;
  }
  return out;
}

// Element and attribute names without their prefix: the parser is not namespace-aware (it is
// faster so), and writers differ in prefixes ("x:c" from the OpenXML SDK, "c" from Excel).
// One pass over the name, as this runs for every element of a sheet of millions of cells.
std::string_view local_name(const char* name) {
  const char* start = name;
  const char* p = name;
  for (; *p; ++p) {
    if (*p == ':') start = p + 1;
  }
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

const char* find_attr(const char** attrs, std::string_view local) {
  for (; attrs[0]; attrs += 2) {
    if (local_name(attrs[0]) == local) return attrs[1];
  }
  return nullptr;
}

// The relationship id of <sheet r:id="rId1">: "id" in a namespace, whatever its prefix.
const char* find_prefixed_id(const char** attrs) {
  for (; attrs[0]; attrs += 2) {
    const char* colon = std::strchr(attrs[0], ':');
    if (colon && std::strcmp(colon + 1, "id") == 0) return attrs[1];
  }
  return nullptr;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_true_attr(const char* v) {
  return v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
}

// "_x000D_" → U+000D. OOXML strings escape characters XML cannot carry this way (Excel writes
// _x000D_ for the CR of a line break typed in a cell) and "_x005F_" escapes a literal '_'.
std::optional<char32_t> escape_at(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return std::nullopt;
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, v, 16);
  if (ec != std::errc() || end != s.data() + i + 6) return std::nullopt;
  return static_cast<char32_t>(v);
}

void decode_escapes(std::string& s, std::size_t from) {
  if (s.find("_x", from) == std::string::npos) return;
  std::string out(s, 0, from);
  for (std::size_t i = from; i < s.size();) {
    std::optional<char32_t> c = escape_at(s, i);
    if (!c) {
      out.push_back(s[i++]);
      continue;
    }
    i += 7;
    char32_t code = *c;
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::optional<char32_t> low = escape_at(s, i);
      if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
        code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
        i += 7;
      } else {
        code = 0xFFFD;
      }
    } else if (code >= 0xDC00 && code <= 0xDFFF) {
      code = 0xFFFD;
    }
    append_utf8(out, code);
  }
  s = std::move(out);
}

// Resolves a relationship target against the folder of the part that owns it ("xl/"):
// "/xl/worksheets/sheet1.xml" is absolute (openpyxl, some WPS versions), "worksheets/sheet1.xml"
// relative (Excel); "." and ".." segments are folded.
std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : std::string(base_dir) + std::string(target);
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(seg);
  }
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out.push_back('/');
    out.append(p);
  }
  return out;
}

std::string dir_of(std::string_view part) {
  std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// ---------------------------------------------------------------------------------------------
// Number formats

enum class FormatKind : uint8_t { kNumber, kDate, kDateTime, kTime };

// The built-in formats that show a date or a time. Ids 27–36 and 50–58 are the East Asian ones
// whose code depends on the locale; in zh-CN 27, 31, 36, 50, 52, 57 are 年月 / 年月日 formats,
// 28–30, 51, 53, 54, 58 月日 ones, and 32–35, 55, 56 times such as h"时"mm"分".
FormatKind builtin_kind(int id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
      id == 57 || id == 58) {
    return FormatKind::kDate;
  }
  if (id == 22) return FormatKind::kDateTime;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
      id == 56) {
    return FormatKind::kTime;
  }
  return FormatKind::kNumber;
}

// A custom format code shows a date when it has a y or d token outside quoted text, [...]
// (colours, conditions, locales such as [$-804], [DBNum1]) and escaped characters. 'm' alone
// is ambiguous (month or minute) and 'e' is also the exponent of "0.00E+00", so neither makes
// a date by itself; h and s make a time.
FormatKind custom_kind(std::string_view code) {
  bool date = false;
  bool time = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped literal, a space the width of the next character, a fill character
    } else if (c == '[') {
      std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inner = code.substr(i + 1, close - i - 1);
      // [h], [mm], [ss]: elapsed time.
      if (!inner.empty() && inner.find_first_not_of("hHmMsS") == std::string_view::npos) {
        time = true;
      }
      i = close;
    } else {
      switch (c) {
        case 'y':
        case 'Y':
        case 'd':
        case 'D':
          date = true;
          break;
        case 'h':
        case 'H':
        case 's':
        case 'S':
          time = true;
          break;
        default:
          break;
      }
    }
  }
  if (date) return time ? FormatKind::kDateTime : FormatKind::kDate;
  return time ? FormatKind::kTime : FormatKind::kNumber;
}

// ---------------------------------------------------------------------------------------------
// Problems found while reading, before they become a TableError with the file name.

struct Problem {
  TablePosition at;
  Text why;
};

TablePosition at_cell(int64_t row, int column = 0) {
  TablePosition at;
  at.row = row;
  at.column = column;
  if (column > 0) at.column_name = column_letters(column);
  return at;
}

// A bad value as it may appear in a message: cell text is confidential case data, so at most
// kExcerptChars characters of it, cut on a character boundary and marked with "…".
std::string excerpt(std::string_view value) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80 && chars++ == kExcerptChars) {
      return std::string(value.substr(0, i)) + "…";
    }
  }
  return std::string(value);
}

// An input past one of the Limits: what was found and where, then the limit by its --limit
// name, so that a clerk with a trusted file knows what to raise.
Problem over_limit(TablePosition at, const Text& what, std::string_view limit, uint64_t value) {
  return {std::move(at), message(Msg::kXlsxOverLimit, what, limit, value)};
}

// A cell holds at most 32,767 characters in Excel and WPS (98,301 bytes of UTF-8 at most);
// far longer text is a damaged or hostile file, refused before it exhausts memory.
Problem too_long(TablePosition at, const std::string& part, int64_t line, uint64_t limit) {
  return over_limit(std::move(at), message(Msg::kXlsxCellTooLong, part, line, limit), "cell-bytes",
                    limit);
}

Problem out_of_memory() { return {at_cell(0), message(Msg::kXlsxOutOfMemory)}; }

// ---------------------------------------------------------------------------------------------
// expat plumbing: a handler per part, called with local names; an exception thrown by a
// handler (std::bad_alloc) must not unwind through expat's C frames, so it stops the parser.

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(const char* /*s*/, int /*len*/) {}
  // Where the parse is, for a problem found by the plumbing (too deep, too long a tag).
  virtual TablePosition where() const { return at_cell(0); }

  void attach(XML_Parser parser, std::string part, const Limits& limits) {
    parser_ = parser;
    part_ = excerpt(part);  // named in messages only
    limits_ = &limits;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &XmlHandler::on_start, &XmlHandler::on_end);
    XML_SetCharacterDataHandler(parser, &XmlHandler::on_text);
    // Everything else (comments, processing instructions, the XML declaration) only counts as
    // progress for feeding(); "Expand" keeps entity expansion as it is without a handler.
    XML_SetDefaultHandlerExpand(parser, &XmlHandler::on_other);
    XML_SetStartDoctypeDeclHandler(parser, &XmlHandler::on_doctype);
  }

  // Stops the parse for good with a problem the handler found.
  void fail(Problem p) {
    if (!problem_) problem_ = std::move(p);
    XML_StopParser(parser_, XML_FALSE);
  }

  // Called before `n` more bytes are parsed. Expat holds a whole tag (or comment, or processing
  // instruction) in memory until its end, so one tag of gigabytes would be held whole: bytes
  // fed with no event in between are such a tag, refused once longer than a cell may be.
  void feeding(std::size_t n) {
    if (events_ != events_seen_) {
      events_seen_ = events_;
      unbroken_ = 0;
    }
    unbroken_ += n;
    if (unbroken_ > limits_->cell_bytes + kChunk) {
      fail(over_limit(where(), message(Msg::kXlsxTagTooLong, part_, line(), limits_->cell_bytes),
                      "cell-bytes", limits_->cell_bytes));
    }
  }

  const std::optional<Problem>& problem() const { return problem_; }
  const std::string& part() const { return part_; }
  const Limits& limits() const { return *limits_; }
  int64_t line() const { return static_cast<int64_t>(XML_GetCurrentLineNumber(parser_)); }

 protected:
  XML_Parser parser_ = nullptr;

 private:
  // Expat keeps a frame per open element: nesting is bounded before it is, not after.
  void too_deep() {
    fail(over_limit(where(), message(Msg::kXlsxTooDeep, part_, limits_->xml_depth, line()),
                    "xml-depth", limits_->xml_depth));
  }

  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* h = static_cast<XmlHandler*>(self);
    ++h->events_;
    if (h->problem_) return;
    if (++h->depth_ > h->limits_->xml_depth) return h->too_deep();
    try {
      h->start(local_name(name), attrs);
    } catch (...) {
      h->fail(out_of_memory());
    }
  }
  static void XMLCALL on_end(void* self, const XML_Char* name) {
    auto* h = static_cast<XmlHandler*>(self);
    ++h->events_;
    --h->depth_;
    if (h->problem_) return;
    try {
      h->end(local_name(name));
    } catch (...) {
      h->fail(out_of_memory());
    }
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* h = static_cast<XmlHandler*>(self);
    ++h->events_;
    if (h->problem_) return;
    try {
      h->text(s, len);
    } catch (...) {
      h->fail(out_of_memory());
    }
  }
  static void XMLCALL on_other(void* self, const XML_Char*, int) {
    ++static_cast<XmlHandler*>(self)->events_;
  }
  // A DTD could define entities that expand a small part into a large one; Office Open XML
  // parts never carry one (ECMA-376 Part 2 forbids it), so one is refused outright.
  static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*,
                                 int) {
    auto* h = static_cast<XmlHandler*>(self);
    h->fail({h->where(), message(Msg::kXlsxDoctype, h->part_, h->line())});
  }

  std::string part_;
  const Limits* limits_ = nullptr;
  std::optional<Problem> problem_;
  uint64_t depth_ = 0;
  uint64_t events_ = 0;       // callbacks so far, of any kind
  uint64_t events_seen_ = 0;  // events_ when feeding() last saw progress
  uint64_t unbroken_ = 0;     // bytes fed since then
};

struct ParserDeleter {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};
using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserDeleter>;

struct ZipDeleter {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDeleter>;

struct ZipFileDeleter {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileDeleter>;

Problem xml_problem(XML_Parser parser, const std::string& part, int64_t row) {
  const auto line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser));
  const auto column = static_cast<int64_t>(XML_GetCurrentColumnNumber(parser));
  const char* what = XML_ErrorString(XML_GetErrorCode(parser));
  if (!what) what = "unknown error";
  return {{row, 0, {}}, message(Msg::kXlsxMalformedXml, excerpt(part), line, column + 1, what)};
}

Problem zip_read_problem(zip_error_t* err, const std::string& part, int64_t row) {
  const char* what = err ? zip_error_strerror(err) : "read error";
  return {at_cell(row), message(Msg::kXlsxCannotReadPart, excerpt(part), what)};
}

// Finds an archive member by name; names are compared exactly first and then ignoring case,
// since some writers spell "sharedStrings.xml" differently from the relationship target.
std::optional<zip_uint64_t> locate(zip_t* zip, const std::string& name) {
  zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
  if (index < 0) index = zip_name_locate(zip, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(index);
}

ZipFilePtr open_member(zip_t* zip, zip_uint64_t index, const std::string& part,
                       std::optional<Problem>& problem) {
  zip_file_t* f = zip_fopen_index(zip, index, 0);
  if (!f) problem = zip_read_problem(zip_get_error(zip), part, 0);
  return ZipFilePtr(f);
}

// Parses a whole part (workbook, relationships, styles, shared strings) with `handler`.
// A missing part is not a problem here; the caller decides whether it may be absent.
// The uncompressed size of an entry as the archive declares it (reading checks it).
std::optional<uint64_t> declared_size(zip_t* zip, zip_uint64_t index) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return std::nullopt;
  return st.size;
}

// A part read whole (workbook, relationships, styles, shared strings) is bounded by its
// uncompressed size: a few kilobytes of ZIP can inflate to gigabytes.
Problem part_too_large(const std::string& part, uint64_t limit) {
  return over_limit(at_cell(0), message(Msg::kXlsxPartTooLarge, excerpt(part), limit),
                    "xlsx-part-bytes", limit);
}

std::optional<Problem> parse_part(zip_t* zip, const std::string& part, XmlHandler& handler,
                                  const Limits& limits) {
  std::optional<zip_uint64_t> index = locate(zip, part);
  if (!index) return std::nullopt;
  if (declared_size(zip, *index).value_or(0) > limits.xlsx_part_bytes) {
    return part_too_large(part, limits.xlsx_part_bytes);  // as declared; checked again below
  }
  std::optional<Problem> problem;
  ZipFilePtr file = open_member(zip, *index, part, problem);
  if (!file) return problem;
  ParserPtr parser(XML_ParserCreate(nullptr));
  if (!parser) return out_of_memory();
  handler.attach(parser.get(), part, limits);
  uint64_t total = 0;
  for (;;) {
    void* buf = XML_GetBuffer(parser.get(), static_cast<int>(kChunk));
    if (!buf) return out_of_memory();
    const zip_int64_t n = zip_fread(file.get(), buf, kChunk);
    if (n < 0) return zip_read_problem(zip_file_get_error(file.get()), part, 0);
    total += static_cast<uint64_t>(n);
    if (total > limits.xlsx_part_bytes) return part_too_large(part, limits.xlsx_part_bytes);
    handler.feeding(static_cast<std::size_t>(n));
    if (handler.problem()) return handler.problem();
    const bool final = n == 0;
    if (XML_ParseBuffer(parser.get(), static_cast<int>(n), final) != XML_STATUS_OK) {
      if (handler.problem()) return handler.problem();
      return xml_problem(parser.get(), part, 0);
    }
    if (handler.problem()) return handler.problem();
    if (final) return std::nullopt;
  }
}

// ---------------------------------------------------------------------------------------------
// Package parts: relationships, workbook, styles, shared strings

// More entries of one kind (relationships, sheets, formats, shared strings) than a workbook
// has: each is kept, so their count is bounded.
Problem too_many(const XmlHandler& h, Msg what, std::string_view limit_name, uint64_t limit) {
  return over_limit(at_cell(0),
                    message(Msg::kXlsxTooMany, h.part(), limit, message(what), h.line()),
                    limit_name, limit);
}
Problem too_many(const XmlHandler& h, Msg what) {
  return too_many(h, what, "xlsx-parts", h.limits().xlsx_parts);
}

struct Relationship {
  std::string id;
  std::string type;  // the URI; compared by its last segment ("/worksheet")
  std::string target;
  bool external = false;
};

class RelsHandler : public XmlHandler {
 public:
  std::vector<Relationship> rels;

  void start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    if (rels.size() >= limits().xlsx_parts) return fail(too_many(*this, Msg::kXlsxRelationships));
    Relationship r;
    if (const char* v = find_attr(attrs, "Id")) r.id = v;
    if (const char* v = find_attr(attrs, "Type")) r.type = v;
    if (const char* v = find_attr(attrs, "Target")) r.target = v;
    if (const char* v = find_attr(attrs, "TargetMode"))
      r.external = std::strcmp(v, "External") == 0;
    rels.push_back(std::move(r));
  }
  void end(std::string_view) override {}
};

struct SheetEntry {
  std::string name;
  std::string rel_id;
  bool hidden = false;
};

class WorkbookHandler : public XmlHandler {
 public:
  std::vector<SheetEntry> sheets;
  bool date1904 = false;

  bool is_workbook = false;  // the root element is <workbook>, not a Word or other document

  void start(std::string_view name, const char** attrs) override {
    if (!started_) {
      started_ = true;
      is_workbook = name == "workbook";
    }
    if (name == "workbookPr") {
      date1904 = is_true_attr(find_attr(attrs, "date1904"));
    } else if (name == "sheets") {
      in_sheets_ = true;
    } else if (name == "sheet" && in_sheets_) {
      if (sheets.size() >= limits().xlsx_parts) return fail(too_many(*this, Msg::kXlsxSheets));
      SheetEntry s;
      if (const char* v = find_attr(attrs, "name")) s.name = v;
      if (const char* v = find_prefixed_id(attrs)) s.rel_id = v;
      if (const char* v = find_attr(attrs, "state")) s.hidden = std::strcmp(v, "visible") != 0;
      sheets.push_back(std::move(s));
    }
  }
  void end(std::string_view name) override {
    if (name == "sheets") in_sheets_ = false;
  }

 private:
  bool started_ = false;
  bool in_sheets_ = false;
};

// What a cell's style says of its number: how it is shown (a date, a time…), and for a plain
// number its format in the reader's cell_formats().
struct CellStyle {
  FormatKind kind = FormatKind::kNumber;
  uint16_t number_format = kNumberCell;
};

class StylesHandler : public XmlHandler {
 public:
  struct Custom {
    FormatKind kind;
    std::string code;
  };
  std::unordered_map<int, Custom> custom;
  std::vector<int> xf_format;  // numFmtId of each cellXfs entry, in order

  void start(std::string_view name, const char** attrs) override {
    if (name == "numFmts") {
      in_num_fmts_ = true;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "numFmt" && in_num_fmts_) {
      const char* id = find_attr(attrs, "numFmtId");
      const char* code = find_attr(attrs, "formatCode");
      std::optional<int64_t> n = id ? parse_int(id) : std::nullopt;
      if (custom.size() >= limits().xlsx_parts) {
        return fail(too_many(*this, Msg::kXlsxNumberFormats));
      }
      if (n && code) custom[static_cast<int>(*n)] = {custom_kind(code), code};
    } else if (name == "xf" && in_cell_xfs_) {
      if (xf_format.size() >= limits().xlsx_parts) {
        return fail(too_many(*this, Msg::kXlsxCellFormats));
      }
      const char* id = find_attr(attrs, "numFmtId");
      std::optional<int64_t> n = id ? parse_int(id) : std::nullopt;
      xf_format.push_back(n && *n >= 0 && *n < 1000000 ? static_cast<int>(*n) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "numFmts") in_num_fmts_ = false;
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

  // Each cellXfs entry's style; the number formats plain numbers are shown in are added to
  // `formats` once each, so that a writer can show them so again.
  std::vector<CellStyle> styles(std::vector<CellFormat>& formats) const {
    std::vector<CellStyle> out;
    out.reserve(xf_format.size());
    std::unordered_map<int, uint16_t> added;
    for (int id : xf_format) {
      auto it = custom.find(id);  // a workbook may redefine a built-in id; its own code wins
      CellStyle st{it != custom.end() ? it->second.kind : builtin_kind(id), kNumberCell};
      if (st.kind == FormatKind::kNumber && id != 0 && formats.size() < UINT16_MAX) {
        auto [at, fresh] = added.try_emplace(id, static_cast<uint16_t>(formats.size()));
        if (fresh) {
          formats.push_back(it != custom.end() ? CellFormat{CellFormat::kNumber, 0, it->second.code}
                                               : CellFormat{CellFormat::kNumber, id, {}});
        }
        st.number_format = at->second;
      }
      out.push_back(st);
    }
    return out;
  }

 private:
  bool in_num_fmts_ = false;
  bool in_cell_xfs_ = false;
};

// All strings end to end in one buffer; string i is [starts[i], starts[i + 1]).
struct SharedStrings {
  std::string pool;
  std::vector<std::size_t> starts{0};

  std::size_t size() const { return starts.size() - 1; }
  std::string_view at(std::size_t i) const {
    return std::string_view(pool).substr(starts[i], starts[i + 1] - starts[i]);
  }
};

// <si> holds either <t> or rich-text runs <r><rPr/><t/></r>, whose texts are concatenated;
// <rPh> runs are the phonetic guide (furigana, pinyin) and not part of the text.
class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(SharedStrings& out) : out_(out) {}

  void start(std::string_view name, const char** attrs) override {
    if (name == "sst") {
      const char* count = find_attr(attrs, "uniqueCount");
      std::optional<int64_t> n = count ? parse_int(count) : std::nullopt;
      // A hint only: capped, so that a lying count cannot reserve gigabytes.
      if (n && *n > 0)
        out_.starts.reserve(static_cast<std::size_t>(std::min<int64_t>(*n, 1 << 20)) + 1);
    } else if (name == "si") {
      if (out_.size() >= limits().shared_strings) {
        return fail(
            too_many(*this, Msg::kXlsxSharedStrings, "shared-strings", limits().shared_strings));
      }
      in_si_ = true;
      begin_ = out_.pool.size();
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t") {
      collecting_ = in_si_ && phonetic_depth_ == 0;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") {
      collecting_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "si") {
      in_si_ = false;
      if (out_.pool.find("_x", begin_) != std::string::npos) decode_escapes(out_.pool, begin_);
      out_.starts.push_back(out_.pool.size());
    }
  }
  void text(const char* s, int len) override {
    if (!collecting_) return;
    const auto n = static_cast<std::size_t>(len);
    if (out_.pool.size() - begin_ + n > limits().cell_bytes) {
      return fail(too_long(at_cell(0), part(), line(), limits().cell_bytes));
    }
    if (out_.pool.size() + n > limits().shared_string_bytes) {
      const uint64_t limit = limits().shared_string_bytes;
      return fail(over_limit(at_cell(0),
                             message(Msg::kXlsxSharedStringBytes, part(), limit, line()),
                             "shared-string-bytes", limit));
    }
    out_.pool.append(s, n);
  }

 private:
  SharedStrings& out_;
  std::size_t begin_ = 0;
  int phonetic_depth_ = 0;
  bool in_si_ = false;
  bool collecting_ = false;
};

// ---------------------------------------------------------------------------------------------
// Cell values

// Dates and times are written by hand rather than with fmt: a sheet may have millions.
void append_digits(std::string& out, unsigned value, int width) {
  char buf[4];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

// "2025-06-01"; the serial range keeps the year within 1900..9999.
void append_iso(std::string& out, Date d) {
  const std::chrono::year_month_day ymd = d.ymd();
  append_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
}

// "14:30:00" for a number of seconds into the day.
void append_time(std::string& out, int64_t secs) {
  append_digits(out, static_cast<unsigned>(secs / 3600), 2);
  out += ':';
  append_digits(out, static_cast<unsigned>(secs / 60 % 60), 2);
  out += ':';
  append_digits(out, static_cast<unsigned>(secs % 60), 2);
}

// Appends the text of a numeric cell: an ISO date for a date format, else the shortest
// decimal that reads back as the same double (never the locale's format). Returns what it
// wrote: kDateCell, kDateTimeCell, kTimeCell, or `number_format` for a number.
uint16_t append_number(std::string& out, double v, CellStyle style, bool date1904) {
  const FormatKind kind = style.kind;
  if (kind != FormatKind::kNumber && std::isfinite(v) && v >= 0 && v <= kMaxSerial) {
    if (kind == FormatKind::kTime) {
      if (v < 1) {
        const auto secs = static_cast<int64_t>(std::llround(v * 86400.0)) % 86400;
        append_time(out, secs);
        return kTimeCell;
      }
    } else {
      // A date shown without its time shows the day the serial falls on (rounded to the
      // millisecond, as Excel does); with a time, the time is rounded to the second and may
      // carry into the next day.
      const bool with_time = kind == FormatKind::kDateTime;
      const double unit = with_time ? 86400.0 : 86400000.0;
      const auto ticks = static_cast<int64_t>(std::llround(v * unit));
      const auto per_day = static_cast<int64_t>(unit);
      int64_t day = ticks / per_day;
      const int64_t rest = ticks % per_day;
      if (date1904) day += kDays1904Offset;
      if (day == 60 && !date1904) {
        out += "1900-02-29";  // Excel's phantom leap day: show what the clerk sees
        return kDateCell;
      }
      if (std::optional<Date> d = date_from_excel_serial(static_cast<double>(day))) {
        append_iso(out, *d);
        if (with_time && rest != 0) {
          out += ' ';
          append_time(out, rest);
          return kDateTimeCell;
        }
        return kDateCell;
      }
    }
  }
  out += format_plain(v);
  // A date or time format on a number that is no date (a duration past a day, a serial out
  // of range) shows the number as it is written here.
  return kind == FormatKind::kNumber ? style.number_format : uint16_t{kNumberCell};
}

// A cell of type "d" (ISO 8601 text, written by openpyxl with iso_dates and by Strict OOXML):
// a midnight time is dropped, a 'T' becomes a space, as for serial dates. Returns kDateCell
// or kDateTimeCell for a date as the writer reads it back, kTextCell for anything else.
uint16_t append_iso_date(std::string& out, std::string_view v) {
  std::size_t t = v.find('T');
  if (t == std::string_view::npos) {
    out += v;
    return v.size() == 10 ? kDateCell : kTextCell;
  }
  std::string_view time = v.substr(t + 1);
  if (time.find_first_not_of("0:.Z") == std::string_view::npos) {
    out += v.substr(0, t);
    return t == 10 ? kDateCell : kTextCell;
  }
  out += v.substr(0, t);
  out += ' ';
  out += time;
  return t == 10 && time.size() == 8 ? kDateTimeCell : kTextCell;
}

// ---------------------------------------------------------------------------------------------
// The sheet: a handler that assembles one row at a time and suspends the parser after it.

enum class CellType : uint8_t { kNumber, kShared, kInline, kFormulaText, kBool, kError, kIsoDate };

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(const SharedStrings& strings, const std::vector<CellStyle>& styles, bool date1904)
      : strings_(strings), styles_(styles), date1904_(date1904) {}

  // Where a cell's text lives: in the row's own buffer or in the shared strings.
  struct Slot {
    const char* base = nullptr;  // null: row_text_ (whose address may still change)
    std::size_t offset = 0;
    std::size_t length = 0;
  };

  bool row_ready() const { return row_ready_; }
  bool sheet_done() const { return sheet_done_; }
  void clear_ready() { row_ready_ = false; }
  int64_t row_number() const { return row_number_; }
  std::size_t width() const { return slots_.size(); }
  // Per cell up to width(), its index in the reader's cell_formats().
  const std::vector<uint16_t>& formats() const { return formats_; }
  std::string_view cell(std::size_t i) const {
    const Slot& s = slots_[i];
    const char* base = s.base ? s.base : row_text_.data();
    return std::string_view(base + s.offset, s.length);
  }

  // The element names of sheetData, told apart by length first: this runs for every element.
  enum class Tag { kOther, kRow, kC, kV, kF, kIs, kT, kRPh, kSheetData };
  static Tag tag_of(std::string_view name) {
    switch (name.size()) {
      case 1:
        if (name[0] == 'c') return Tag::kC;
        if (name[0] == 'v') return Tag::kV;
        if (name[0] == 't') return Tag::kT;
        if (name[0] == 'f') return Tag::kF;
        return Tag::kOther;
      case 2:
        return name == "is" ? Tag::kIs : Tag::kOther;
      case 3:
        if (name == "row") return Tag::kRow;
        if (name == "rPh") return Tag::kRPh;
        return Tag::kOther;
      case 9:
        return name == "sheetData" ? Tag::kSheetData : Tag::kOther;
      default:
        return Tag::kOther;
    }
  }

  void start(std::string_view name, const char** attrs) override {
    const Tag tag = tag_of(name);
    if (!in_sheet_data_) {
      if (tag == Tag::kSheetData) in_sheet_data_ = true;
      return;
    }
    switch (tag) {
      case Tag::kC:
        start_cell(attrs);
        break;
      case Tag::kV:
        collecting_ = in_cell_;
        break;
      case Tag::kF:
        formula_ = in_formula_ = in_cell_;
        break;
      case Tag::kIs:
        in_inline_ = in_cell_;
        break;
      case Tag::kRPh:
        ++phonetic_depth_;
        break;
      case Tag::kT:
        collecting_ = in_inline_ && phonetic_depth_ == 0;
        break;
      case Tag::kRow:
        start_row(attrs);
        break;
      default:
        break;
    }
  }

  void end(std::string_view name) override {
    if (!in_sheet_data_) return;
    switch (tag_of(name)) {
      case Tag::kV:
      case Tag::kT:
        collecting_ = false;
        break;
      case Tag::kF:
        in_formula_ = false;
        break;
      case Tag::kC:
        if (in_cell_) end_cell();
        break;
      case Tag::kIs:
        in_inline_ = false;
        break;
      case Tag::kRPh:
        --phonetic_depth_;
        break;
      case Tag::kRow:
        // Rows with no value at all (only formatting, which Excel and WPS write for rows a
        // clerk once formatted) are skipped like the rows a sheet leaves out.
        if (!slots_.empty()) {
          row_ready_ = true;
          XML_StopParser(parser_, XML_TRUE);
        }
        break;
      case Tag::kSheetData:
        // What follows (merged cells, validations, page setup) has no cell values.
        sheet_done_ = true;
        XML_StopParser(parser_, XML_FALSE);
        break;
      default:
        break;
    }
  }

  void text(const char* s, int len) override {
    if (in_formula_) {
      // Kept only to be shown where no value was computed for it: its start is enough.
      formula_text_.append(
          s, std::min<std::size_t>(static_cast<std::size_t>(len),
                                   kFormulaShown - std::min(kFormulaShown, formula_text_.size())));
      return;
    }
    if (!collecting_) return;
    if (value_.size() + static_cast<std::size_t>(len) > limits().cell_bytes) {
      return fail(too_long(at_cell(row_number_, column_), part(), line(), limits().cell_bytes));
    }
    value_.append(s, static_cast<std::size_t>(len));
  }

  TablePosition where() const override { return at_cell(row_number_, in_cell_ ? column_ : 0); }

 private:
  void start_row(const char** attrs) {
    slots_.clear();
    formats_.clear();
    row_text_.clear();
    row_bytes_ = 0;
    column_ = 0;
    if (const char* r = find_attr(attrs, "r")) {
      std::optional<int64_t> n = parse_int(r);
      if (!n || *n < 1 || *n > kMaxRow) {
        fail({at_cell(row_number_ + 1),
              message(Msg::kXlsxBadRowNumber, excerpt(r), part(), line())});
        return;
      }
      row_number_ = *n;
    } else {
      ++row_number_;  // no r= attribute: the row after the previous one
    }
  }

  void start_cell(const char** attrs) {
    in_cell_ = true;
    formula_ = in_formula_ = false;
    formula_text_.clear();
    type_ = CellType::kNumber;
    style_ = CellStyle{};
    value_.clear();
    phonetic_depth_ = 0;
    const char* r = nullptr;
    for (const char** a = attrs; a[0]; a += 2) {
      // Only the one-letter attributes r, t and s matter here.
      const char key = a[0][1] == '\0' ? a[0][0] : '\0';
      if (key == 'r') {
        r = a[1];
      } else if (key == 't') {
        std::string_view t = a[1];
        if (t == "s")
          type_ = CellType::kShared;
        else if (t == "inlineStr")
          type_ = CellType::kInline;
        else if (t == "str")
          type_ = CellType::kFormulaText;
        else if (t == "b")
          type_ = CellType::kBool;
        else if (t == "e")
          type_ = CellType::kError;
        else if (t == "d")
          type_ = CellType::kIsoDate;
      } else if (key == 's') {
        int64_t s = 0;
        std::string_view v = a[1];
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
        if (ec == std::errc() && s >= 0 && static_cast<uint64_t>(s) < styles_.size()) {
          style_ = styles_[static_cast<std::size_t>(s)];
        }
      }
    }
    if (!r) {
      ++column_;  // no r= attribute: the cell after the previous one
    } else {
      // "C7": letters for the column; the digits repeat the row number.
      int col = 0;
      const char* p = r;
      for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); ++p) {
        col = col * 26 + ((*p | 0x20) - 'a' + 1);
        if (col > kXfd) break;
      }
      bool digits_ok = *p != '\0';
      for (const char* q = p; *q; ++q) digits_ok = digits_ok && *q >= '0' && *q <= '9';
      if (col < 1 || col > kXfd || !digits_ok) {
        fail({at_cell(row_number_),
              message(Msg::kXlsxBadCellReference, excerpt(r), part(), line())});
        return;
      }
      column_ = col;
    }
    const uint64_t limit = std::min<uint64_t>(limits().columns, INT32_MAX - 1);  // column_ is int
    if (static_cast<uint64_t>(column_) > limit) {
      fail(over_limit(at_cell(row_number_, column_),
                      message(Msg::kXlsxTooManyCells, row_number_, limit, part(), line()),
                      "columns", limit));
    }
  }

  void end_cell() {
    in_cell_ = false;
    in_inline_ = false;
    collecting_ = false;
    // A formula whose program computed no value (openpyxl, a script's export) is not a blank:
    // its text, "=C2*2", is the cell, so that a rule reading it says which cell to fix and a
    // column carried through keeps it.
    if (formula_ && value_.empty() && type_ != CellType::kFormulaText) {
      value_ = "=" + formula_text_;
      type_ = CellType::kFormulaText;
    }
    if (value_.empty()) return;
    Slot slot;
    slot.offset = row_text_.size();
    uint16_t format = kTextCell;
    switch (type_) {
      case CellType::kShared: {
        std::optional<int64_t> i = parse_int(value_);
        if (!i || *i < 0 || static_cast<uint64_t>(*i) >= strings_.size()) {
          fail({at_cell(row_number_, column_),
                message(Msg::kXlsxBadSharedString, column_letters(column_), row_number_,
                        excerpt(value_), strings_.size())});
          return;
        }
        std::string_view s = strings_.at(static_cast<std::size_t>(*i));
        slot.base = strings_.pool.data();
        slot.offset = static_cast<std::size_t>(s.data() - strings_.pool.data());
        slot.length = s.size();
        break;
      }
      case CellType::kInline:
      case CellType::kFormulaText:
        row_text_ += value_;
        decode_escapes(row_text_, slot.offset);
        break;
      case CellType::kBool:
        row_text_ += (value_ == "0" || value_ == "false") ? "FALSE" : "TRUE";
        break;
      case CellType::kError:
        row_text_ += value_;
        break;
      case CellType::kIsoDate:
        format = append_iso_date(row_text_, value_);
        break;
      case CellType::kNumber: {
        double v = 0;
        auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
        if (ec == std::errc() && end == value_.data() + value_.size()) {
          format = append_number(row_text_, v, style_, date1904_);
        } else {
          row_text_ += value_;  // not a number after all: keep what the file says
        }
        break;
      }
    }
    if (!slot.base) slot.length = row_text_.size() - slot.offset;
    if (slot.length == 0) return;
    // Shared strings cost the row nothing here, but whatever reads the row copies its cells.
    row_bytes_ += slot.length;
    if (row_bytes_ > limits().row_bytes) {
      const uint64_t limit = limits().row_bytes;
      return fail(over_limit(at_cell(row_number_, column_),
                             message(Msg::kXlsxRowTooLong, row_number_, limit, part(), line()),
                             "row-bytes", limit));
    }
    const auto index = static_cast<std::size_t>(column_ - 1);
    if (slots_.size() <= index) {
      slots_.resize(index + 1);
      formats_.resize(index + 1, kTextCell);
    }
    slots_[index] = slot;
    formats_[index] = format;
  }

  const SharedStrings& strings_;
  const std::vector<CellStyle>& styles_;
  const bool date1904_;

  std::vector<Slot> slots_;        // one per column up to the last cell with a value
  std::vector<uint16_t> formats_;  // one per slot
  std::string row_text_;
  std::string value_;       // the text of <v> or <is><t> of the current cell
  uint64_t row_bytes_ = 0;  // text of the row's cells so far, repeated cells counted each time
  int64_t row_number_ = 0;
  int column_ = 0;
  int phonetic_depth_ = 0;
  CellType type_ = CellType::kNumber;
  CellStyle style_;
  bool in_sheet_data_ = false;
  bool in_cell_ = false;
  bool formula_ = false, in_formula_ = false;  // the cell has a formula; inside its <f>
  std::string formula_text_;
  static constexpr std::size_t kFormulaShown = 200;
  bool in_inline_ = false;
  bool collecting_ = false;
  bool row_ready_ = false;
  bool sheet_done_ = false;
};

// ---------------------------------------------------------------------------------------------
// The reader

class XlsxReader final : public TableReader {
 public:
  XlsxReader(std::string path, const Limits& limits) : path_(std::move(path)), limits_(limits) {}

  // Opens the archive, resolves the sheet, reads the shared strings and styles and then the
  // sheet up to its header. Returns false with error() set.
  bool open(const std::string& sheet_name);

  const std::vector<std::string>& header() const override { return header_; }
  bool next(std::vector<std::string_view>& cells) override;
  TablePosition position() const override { return {row_, 0, {}}; }
  const std::optional<TableError>& error() const override { return error_; }
  const std::vector<CellFormat>& cell_formats() const override { return formats_; }
  const std::vector<uint16_t>& row_formats() const override {
    return handler_ ? handler_->formats() : TableReader::row_formats();
  }
  uint64_t bytes_read() const override { return std::min(bytes_read_, bytes_total_); }
  uint64_t bytes_total() const override { return bytes_total_; }

 private:
  enum class Pull { kRow, kEnd, kError };
  Pull pull_row();
  bool drain_sheet();
  void set_error(Problem p) {
    error_ = TableError{path_, std::move(p.at), std::move(p.why.en), std::move(p.why.zh)};
  }
  bool open_archive();
  bool check_entries();
  std::optional<std::string> find_workbook();
  void set_no_workbook();
  bool resolve_sheet(const std::string& workbook, const std::string& sheet_name,
                     std::string& sheet_part, std::string& shared_part, std::string& styles_part,
                     bool& date1904);
  const SheetEntry* choose_sheet(const WorkbookHandler& book, const RelsHandler& rels,
                                 const std::string& sheet_name);

  std::string path_;
  const Limits limits_;
  ZipPtr zip_;
  ZipFilePtr sheet_file_;
  ParserPtr parser_;
  SharedStrings strings_;
  std::vector<CellStyle> styles_;
  std::vector<CellFormat> formats_ = standard_cell_formats();
  std::unique_ptr<SheetHandler> handler_;
  std::string sheet_part_;
  std::vector<std::string> header_;
  std::optional<TableError> error_;
  int64_t row_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t bytes_total_ = 0;
  bool suspended_ = false;
  bool final_sent_ = false;
  bool finished_ = false;
};

bool XlsxReader::open_archive() {
  // Look at the first bytes before libzip does: an .xls file, or an .xlsx with a password
  // (Office encrypts it into an OLE2 container), deserves a better answer than "not a ZIP".
  std::FILE* f = std::fopen(path_.c_str(), "rb");
  if (!f) {
    set_error({at_cell(0), message(Msg::kCannotOpenFile, std::strerror(errno))});
    return false;
  }
  std::array<unsigned char, 8> magic{};
  const std::size_t got = std::fread(magic.data(), 1, magic.size(), f);
  std::fclose(f);
  static constexpr std::array<unsigned char, 8> kOle2 = {0xD0, 0xCF, 0x11, 0xE0,
                                                         0xA1, 0xB1, 0x1A, 0xE1};
  if (got == magic.size() && magic == kOle2) {
    set_error({at_cell(0), message(Msg::kXlsxIsXls)});
    return false;
  }
  if (got == 0) {
    set_error({at_cell(0), message(Msg::kXlsxEmptyFile)});
    return false;
  }

  int code = 0;
  zip_t* z = zip_open(path_.c_str(), ZIP_RDONLY, &code);
  if (!z) {
    zip_error_t err;
    zip_error_init_with_code(&err, code);
    const std::string why = zip_error_strerror(&err);
    zip_error_fini(&err);
    set_error({at_cell(0), code == ZIP_ER_NOZIP ? message(Msg::kXlsxNotZip)
                                                : message(Msg::kXlsxCannotOpenZip, why)});
    return false;
  }
  zip_.reset(z);
  return check_entries();
}

// At most xlsx-parts entries, and no two whose names differ only in case or not at all: parts
// are found by name, ignoring case when the exact name is not there, so with two such entries
// it would be left to chance which one is read, and one could hide what the other shows.
bool XlsxReader::check_entries() {
  const zip_int64_t count = zip_get_num_entries(zip_.get(), 0);
  const uint64_t limit = limits_.xlsx_parts;
  if (count > 0 && static_cast<uint64_t>(count) > limit) {
    set_error(over_limit(at_cell(0), message(Msg::kXlsxTooManyEntries, count, limit), "xlsx-parts",
                         limit));
    return false;
  }
  std::vector<std::pair<std::string, zip_uint64_t>> folded;  // lower-cased name, index
  folded.reserve(static_cast<std::size_t>(std::max<zip_int64_t>(count, 0)));
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(std::max<zip_int64_t>(count, 0)); ++i) {
    const char* name = zip_get_name(zip_.get(), i, 0);
    if (!name) continue;
    std::string key = name;
    for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
    folded.emplace_back(std::move(key), i);
  }
  std::sort(folded.begin(), folded.end());
  for (std::size_t i = 1; i < folded.size(); ++i) {
    if (folded[i].first != folded[i - 1].first) continue;
    const std::string a = excerpt(zip_get_name(zip_.get(), folded[i - 1].second, 0));
    const std::string b = excerpt(zip_get_name(zip_.get(), folded[i].second, 0));
    set_error({at_cell(0), message(Msg::kXlsxTwinEntries, a, b)});
    return false;
  }
  return true;
}

// The workbook part named by the package relationships (_rels/.rels), or xl/workbook.xml.
std::optional<std::string> XlsxReader::find_workbook() {
  RelsHandler root;
  if (std::optional<Problem> p = parse_part(zip_.get(), "_rels/.rels", root, limits_)) {
    set_error(std::move(*p));
    return std::nullopt;
  }
  for (const Relationship& r : root.rels) {
    if (ends_with(r.type, "/officeDocument") && !r.external) {
      std::string part = resolve_target("", r.target);
      if (locate(zip_.get(), part)) return part;
    }
  }
  if (locate(zip_.get(), "xl/workbook.xml")) return std::string("xl/workbook.xml");
  set_no_workbook();
  return std::nullopt;
}

void XlsxReader::set_no_workbook() {
  Text what_it_is;  // nothing, unless another kind of document is recognised
  if (locate(zip_.get(), "content.xml") && locate(zip_.get(), "mimetype")) {
    what_it_is = message(Msg::kXlsxLooksLikeOds);
  } else if (locate(zip_.get(), "word/document.xml") ||
             locate(zip_.get(), "ppt/presentation.xml")) {
    what_it_is = message(Msg::kXlsxWordOrPowerPoint);
  }
  set_error({at_cell(0), message(Msg::kXlsxNoWorkbook, what_it_is)});
}

// The sheets' names for a message: the first few, each cut short, then how many there are.
std::string quoted_list(const std::vector<SheetEntry>& sheets, std::string_view open,
                        std::string_view close, std::string_view sep) {
  constexpr std::size_t kShown = 20;
  std::string out;
  for (std::size_t i = 0; i < sheets.size() && i < kShown; ++i) {
    if (!out.empty()) out += sep;
    out += open;
    out += excerpt(sheets[i].name);
    out += close;
  }
  if (sheets.size() > kShown) out += fmt::format("{}… ({})", sep, sheets.size());
  return out;
}

// The sheet's relationship in the workbook's, unless it is external; null if none.
const Relationship* relationship_of(const RelsHandler& rels, const SheetEntry& s) {
  for (const Relationship& r : rels.rels) {
    if (r.id == s.rel_id && !r.external) return &r;
  }
  return nullptr;
}

// The sheet to read: the one named (case-insensitively, as Excel names them), else the first
// worksheet a clerk sees. Null, with the error set, when there is none.
const SheetEntry* XlsxReader::choose_sheet(const WorkbookHandler& book, const RelsHandler& rels,
                                           const std::string& sheet_name) {
  auto is_worksheet = [&](const SheetEntry& s) {
    const Relationship* r = relationship_of(rels, s);
    return r && ends_with(r->type, "/worksheet");
  };
  const SheetEntry* chosen = nullptr;
  if (sheet_name.empty()) {
    // The first worksheet a clerk sees: hidden sheets (lookup lists of templates) and chart
    // sheets are passed over, unless nothing else is there.
    for (const SheetEntry& s : book.sheets) {
      if (!s.hidden && is_worksheet(s)) {
        chosen = &s;
        break;
      }
    }
    for (const SheetEntry& s : book.sheets) {
      if (!chosen && is_worksheet(s)) chosen = &s;
    }
    if (!chosen) {
      set_error({at_cell(0), message(Msg::kXlsxNoWorksheet)});
      return nullptr;
    }
  } else {
    for (const SheetEntry& s : book.sheets) {
      if (s.name == sheet_name) {
        chosen = &s;
        break;
      }
    }
    if (!chosen) {
      // Excel treats sheet names case-insensitively ("Sheet1" and "sheet1" cannot coexist).
      auto same = [](std::string_view a, std::string_view b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
          return (x >= 'A' && x <= 'Z' ? x | 0x20 : x) == (y >= 'A' && y <= 'Z' ? y | 0x20 : y);
        });
      };
      for (const SheetEntry& s : book.sheets) {
        if (same(s.name, sheet_name)) {
          chosen = &s;
          break;
        }
      }
    }
    if (!chosen) {
      const Text known{quoted_list(book.sheets, "“", "”", "、"),
                       quoted_list(book.sheets, "\"", "\"", ", ")};
      set_error({at_cell(0), message(Msg::kXlsxNoSuchSheet, excerpt(sheet_name), known)});
      return nullptr;
    }
    if (!is_worksheet(*chosen)) {
      set_error({at_cell(0), message(Msg::kXlsxNotWorksheet, excerpt(chosen->name))});
      return nullptr;
    }
  }
  return chosen;
}

bool XlsxReader::resolve_sheet(const std::string& workbook, const std::string& sheet_name,
                               std::string& sheet_part, std::string& shared_part,
                               std::string& styles_part, bool& date1904) {
  WorkbookHandler book;
  if (std::optional<Problem> p = parse_part(zip_.get(), workbook, book, limits_)) {
    set_error(std::move(*p));
    return false;
  }
  if (!book.is_workbook) {
    set_no_workbook();
    return false;
  }
  const std::string base = dir_of(workbook);
  const std::string rels_part = base + "_rels/" + workbook.substr(base.size()) + ".rels";
  auto missing = [&](const std::string& part) {
    set_error({at_cell(0), message(Msg::kXlsxMissingPart, excerpt(part))});
    return false;
  };
  if (!locate(zip_.get(), rels_part)) return missing(rels_part);
  RelsHandler rels;
  if (std::optional<Problem> p = parse_part(zip_.get(), rels_part, rels, limits_)) {
    set_error(std::move(*p));
    return false;
  }
  date1904 = book.date1904;
  // Shared strings and styles are optional (streaming writers leave them out), but a part the
  // relationships name must be there: without its styles a damaged file would lose its dates
  // silently.
  shared_part = base + "sharedStrings.xml";
  styles_part = base + "styles.xml";
  for (const Relationship& r : rels.rels) {
    const bool shared = ends_with(r.type, "/sharedStrings");
    const bool styles = ends_with(r.type, "/styles");
    if (!shared && !styles) continue;
    std::string part = resolve_target(base, r.target);
    if (!locate(zip_.get(), part)) return missing(part);
    (shared ? shared_part : styles_part) = std::move(part);
  }
  const SheetEntry* chosen = choose_sheet(book, rels, sheet_name);
  if (!chosen) return false;
  sheet_part = resolve_target(base, relationship_of(rels, *chosen)->target);
  if (!locate(zip_.get(), sheet_part)) {
    set_error({at_cell(0),
               message(Msg::kXlsxMissingSheetPart, excerpt(chosen->name), excerpt(sheet_part))});
    return false;
  }
  return true;
}

bool XlsxReader::open(const std::string& sheet_name) {
  if (!open_archive()) return false;
  std::optional<std::string> workbook = find_workbook();
  if (!workbook) return false;
  std::string shared_part;
  std::string styles_part;
  bool date1904 = false;
  if (!resolve_sheet(*workbook, sheet_name, sheet_part_, shared_part, styles_part, date1904)) {
    return false;
  }

  // The strings' text is no longer than their part: reserved at once, the pool is never copied
  // to grow, which would hold it twice.
  if (std::optional<zip_uint64_t> index = locate(zip_.get(), shared_part)) {
    strings_.pool.reserve(static_cast<std::size_t>(std::min<uint64_t>(
        declared_size(zip_.get(), *index).value_or(0), limits_.shared_string_bytes)));
  }
  SharedStringsHandler shared(strings_);
  if (std::optional<Problem> p = parse_part(zip_.get(), shared_part, shared, limits_)) {
    set_error(std::move(*p));
    return false;
  }
  StylesHandler styles;
  if (std::optional<Problem> p = parse_part(zip_.get(), styles_part, styles, limits_)) {
    set_error(std::move(*p));
    return false;
  }
  styles_ = styles.styles(formats_);

  std::optional<zip_uint64_t> index = locate(zip_.get(), sheet_part_);
  std::optional<Problem> problem;
  sheet_file_ = open_member(zip_.get(), *index, sheet_part_, problem);
  if (!sheet_file_) {
    set_error(std::move(*problem));
    return false;
  }
  bytes_total_ = declared_size(zip_.get(), *index).value_or(0);
  parser_.reset(XML_ParserCreate(nullptr));
  if (!parser_) {
    set_error(out_of_memory());
    return false;
  }
  handler_ = std::make_unique<SheetHandler>(strings_, styles_, date1904);
  handler_->attach(parser_.get(), sheet_part_, limits_);

  switch (pull_row()) {
    case Pull::kError:
      return false;
    case Pull::kEnd:
      return true;  // an empty sheet: no header, no rows
    case Pull::kRow:
      break;
  }
  header_.reserve(handler_->width());
  for (std::size_t i = 0; i < handler_->width(); ++i) header_.emplace_back(handler_->cell(i));
  row_ = handler_->row_number();
  return true;
}

XlsxReader::Pull XlsxReader::pull_row() {
  handler_->clear_ready();
  while (!finished_) {
    XML_Status status;
    if (suspended_) {
      suspended_ = false;
      status = XML_ResumeParser(parser_.get());
    } else {
      void* buf = XML_GetBuffer(parser_.get(), static_cast<int>(kChunk));
      if (!buf) {
        set_error(out_of_memory());
        return Pull::kError;
      }
      const zip_int64_t n = zip_fread(sheet_file_.get(), buf, kChunk);
      if (n < 0) {
        set_error(zip_read_problem(zip_file_get_error(sheet_file_.get()), sheet_part_,
                                   handler_->row_number()));
        return Pull::kError;
      }
      bytes_read_ += static_cast<uint64_t>(n);
      final_sent_ = n == 0;
      handler_->feeding(static_cast<std::size_t>(n));
      if (handler_->problem()) {
        set_error(*handler_->problem());
        return Pull::kError;
      }
      status = XML_ParseBuffer(parser_.get(), static_cast<int>(n), final_sent_);
    }
    if (handler_->problem()) {
      set_error(*handler_->problem());
      return Pull::kError;
    }
    if (handler_->sheet_done()) {
      finished_ = true;
      return drain_sheet() ? Pull::kEnd : Pull::kError;
    }
    if (status == XML_STATUS_ERROR) {
      set_error(xml_problem(parser_.get(), sheet_part_, handler_->row_number()));
      return Pull::kError;
    }
    if (status == XML_STATUS_SUSPENDED) suspended_ = true;
    if (status == XML_STATUS_OK && final_sent_) finished_ = true;
    if (handler_->row_ready()) return Pull::kRow;
  }
  return Pull::kEnd;
}

// Reads the rest of the sheet's member without parsing it: libzip checks the CRC only at the
// end, and a damaged archive must be reported even when the damage fell in rows already read.
bool XlsxReader::drain_sheet() {
  std::vector<char> buf(kChunk);
  for (;;) {
    const zip_int64_t n = zip_fread(sheet_file_.get(), buf.data(), buf.size());
    if (n < 0) {
      set_error(zip_read_problem(zip_file_get_error(sheet_file_.get()), sheet_part_,
                                 handler_->row_number()));
      return false;
    }
    if (n == 0) break;
    bytes_read_ += static_cast<uint64_t>(n);
  }
  return true;
}

bool XlsxReader::next(std::vector<std::string_view>& cells) {
  if (error_ || !handler_) return false;
  try {
    if (pull_row() != Pull::kRow) return false;
    const std::size_t width = std::max(header_.size(), handler_->width());
    cells.resize(width);
    for (std::size_t i = 0; i < width; ++i) {
      cells[i] = i < handler_->width() ? handler_->cell(i) : std::string_view();
    }
    row_ = handler_->row_number();
    return true;
  } catch (...) {
    set_error(out_of_memory());
    return false;
  }
}

}  // namespace

std::unique_ptr<TableReader> open_xlsx(const std::string& path, const std::string& sheet,
                                       std::optional<TableError>& error, const Limits& limits) {
  error.reset();
  try {
    auto reader = std::make_unique<XlsxReader>(path, limits);
    if (!reader->open(sheet)) {
      error = reader->error();
      if (!error) error = make_table_error(path, 0, 0, {}, message(Msg::kXlsxCannotRead));
      return nullptr;
    }
    return reader;
  } catch (...) {
    const Problem p = out_of_memory();
    error = TableError{path, p.at, p.why.en, p.why.zh};
    return nullptr;
  }
}

}  // namespace epil::io
