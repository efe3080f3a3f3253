// Writes an Explanation for people (text, 中文 or English) and for programs (JSON; the
// schema is docs/result.schema.json).
#pragma once

#include <string>

#include "core/explain.h"
#include "core/text.h"

namespace epil::io {

/// Every test with the facts it read, each threshold cited once in full at the end.
std::string render_text(const Explanation& e, Lang lang);
/// At most kBriefLines lines: the verdict and its reason, the tests that decided it with their
/// sources, the other outputs, the facts missing, the defaults assumed, the date rule.
inline constexpr size_t kBriefLines = 12;
std::string render_brief(const Explanation& e, Lang lang);
std::string render_json(const Explanation& e, Lang lang, bool pretty = true);

struct HtmlOptions {
  Date made_on;  // the day the page is made (the front end knows the clock; src/io does not)
};
/// A self-contained page to print (A4) and attach to a case file: the facts as given, the
/// verdict and its reasons, every test, each threshold with source and status, missing facts,
/// defaults assumed, the date rule, the fingerprint and epil's version.
std::string render_html(const Explanation& e, Lang lang, const HtmlOptions& options);

/// "桂环规范〔2024〕1号 第三条 《…细则》（note）" — a source as cited in text.
std::string cite(const Source& s);

class JsonWriter;
/// {document, title, article, url, note}: a source as every JSON output gives it.
void write_source(JsonWriter& w, const Source& s);

}  // namespace epil::io
