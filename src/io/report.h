// Writes an Explanation for people (text, 中文 or English) and for programs (JSON; the
// schema is docs/result.schema.json).
#pragma once

#include <string>

#include "core/explain.h"
#include "core/text.h"

namespace epil::io {

std::string render_text(const Explanation& e, Lang lang);
std::string render_json(const Explanation& e, Lang lang, bool pretty = true);

/// "桂环规范〔2024〕1号 第三条 《…细则》（note）" — a source as cited in text.
std::string cite(const Source& s);

class JsonWriter;
/// {document, title, article, url, note}: a source as every JSON output gives it.
void write_source(JsonWriter& w, const Source& s);

}  // namespace epil::io
