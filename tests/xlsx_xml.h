// A written workbook's XML as tests read it: a member of the zip archive, parsed with expat into
// elements, and the cells, styles and number formats of a sheet as a spreadsheet program would
// resolve them.
#pragma once

#include <doctest/doctest.h>
#include <expat.h>
#include <zip.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace epil::testing {

// One member of a zip archive, whole; empty if absent.
inline std::string zip_member(const std::string& path, const char* name) {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (!z) return "";
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name, 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

struct XmlElement {
  std::string name;  // without its namespace prefix: "c", "barChart"
  std::map<std::string, std::string> attrs;
  std::string text;  // the text directly inside it
  std::vector<XmlElement> children;

  std::string attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? "" : it->second;
  }
  // Every element named `n` below this one, in document order.
  void all(std::string_view n, std::vector<const XmlElement*>& out) const {
    for (const XmlElement& c : children) {
      if (c.name == n) out.push_back(&c);
      c.all(n, out);
    }
  }
  std::vector<const XmlElement*> all(std::string_view n) const {
    std::vector<const XmlElement*> out;
    all(n, out);
    return out;
  }
  // The first element named `n` below this one, or null.
  const XmlElement* find(std::string_view n) const {
    for (const XmlElement& c : children) {
      if (c.name == n) return &c;
      if (const XmlElement* d = c.find(n)) return d;
    }
    return nullptr;
  }
  // The text of this element and every element below it.
  std::string all_text() const {
    std::string out = text;
    for (const XmlElement& c : children) out += c.all_text();
    return out;
  }
};

// "c:barChart" → "barChart".
inline std::string xml_local_name(const char* n) {
  std::string_view s(n);
  const size_t colon = s.rfind(':');
  return std::string(colon == s.npos ? s : s.substr(colon + 1));
}

// `xml` parsed whole; a document root holding its top element.
inline XmlElement parse_xml(const std::string& xml) {
  struct State {
    XmlElement root;
    std::vector<XmlElement*> open;
  } st;
  st.open.push_back(&st.root);
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> p(XML_ParserCreate(nullptr),
                                                                 &XML_ParserFree);
  XML_SetUserData(p.get(), &st);
  XML_SetElementHandler(
      p.get(),
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* s = static_cast<State*>(data);
        XmlElement& e = s->open.back()->children.emplace_back();
        e.name = xml_local_name(name);
        for (; attrs[0]; attrs += 2) e.attrs[xml_local_name(attrs[0])] = attrs[1];
        s->open.push_back(&e);
      },
      [](void* data, const XML_Char*) { static_cast<State*>(data)->open.pop_back(); });
  XML_SetCharacterDataHandler(p.get(), [](void* data, const XML_Char* s, int len) {
    static_cast<State*>(data)->open.back()->text.append(s, static_cast<size_t>(len));
  });
  REQUIRE(XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK);
  return std::move(st.root);
}

// A cell as written: its type attribute, style index, value or inline text, formula.
struct XlsxCell {
  std::string type;  // "" (a number), "inlineStr", "s", "str", "b"
  int style = 0;
  std::string value;  // <v>, or the inline string's text
  std::string formula;
};

// What a cell's style index gives: its number format's code, its fill, whether it wraps.
struct XlsxStyle {
  int num_fmt = 0;
  std::string num_fmt_code;  // a custom format's code; empty for a built-in one
  std::string fill;          // the pattern fill's ARGB, "" if none
  bool wraps = false;
};

struct XlsxSheet {
  XmlElement xml;
  std::map<std::string, XlsxCell> cells;  // by reference: "A2"
  std::map<int, double> widths;           // by 1-based column

  const XlsxCell& at(const std::string& ref) const {
    static const XlsxCell none;
    auto it = cells.find(ref);
    return it == cells.end() ? none : it->second;
  }
};

inline XlsxSheet read_sheet_xml(const std::string& path, int n) {
  XlsxSheet s;
  const std::string part = "xl/worksheets/sheet" + std::to_string(n) + ".xml";
  s.xml = parse_xml(zip_member(path, part.c_str()));
  for (const XmlElement* c : s.xml.all("c")) {
    XlsxCell& cell = s.cells[c->attr("r")];
    cell.type = c->attr("t");
    cell.style = c->attr("s").empty() ? 0 : std::stoi(c->attr("s"));
    if (const XmlElement* v = c->find("v")) cell.value = v->text;
    if (const XmlElement* is = c->find("is")) cell.value = is->all_text();
    if (const XmlElement* f = c->find("f")) cell.formula = f->text;
  }
  for (const XmlElement* col : s.xml.all("col")) {
    for (int i = std::stoi(col->attr("min")); i <= std::stoi(col->attr("max")); ++i) {
      s.widths[i] = std::stod(col->attr("width"));
    }
  }
  return s;
}

inline std::vector<XlsxStyle> read_styles_xml(const std::string& path) {
  const XmlElement doc = parse_xml(zip_member(path, "xl/styles.xml"));
  std::map<int, std::string> codes;
  for (const XmlElement* f : doc.all("numFmt"))
    codes[std::stoi(f->attr("numFmtId"))] = f->attr("formatCode");
  std::vector<std::string> fills;
  for (const XmlElement* f : doc.all("fill")) {
    const XmlElement* fg = f->find("fgColor");
    fills.push_back(fg ? fg->attr("rgb") : "");
  }
  std::vector<XlsxStyle> out;
  const XmlElement* xfs = doc.find("cellXfs");
  REQUIRE(xfs != nullptr);
  for (const XmlElement& xf : xfs->children) {
    XlsxStyle st;
    st.num_fmt = std::stoi(xf.attr("numFmtId"));
    if (codes.count(st.num_fmt)) st.num_fmt_code = codes[st.num_fmt];
    const int fill = std::stoi(xf.attr("fillId"));
    if (fill >= 0 && static_cast<size_t>(fill) < fills.size()) st.fill = fills[fill];
    const XmlElement* align = xf.find("alignment");
    st.wraps = align && align->attr("wrapText") == "1";
    out.push_back(st);
  }
  return out;
}

// "A".."Z", "AA"…: the letters of a 1-based column.
inline std::string column_letters(int column) {
  std::string s;
  for (; column > 0; column = (column - 1) / 26) s.insert(s.begin(), char('A' + (column - 1) % 26));
  return s;
}

// "C7": the reference of a 1-based column and row.
inline std::string cell_ref(int column, int row) {
  std::string ref = column_letters(column);
  ref += std::to_string(row);
  return ref;
}

}  // namespace epil::testing
