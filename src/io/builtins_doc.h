// The table of built-in functions (core/builtins.h) as people read it: plain text for
// `epil functions`, Markdown for the table in docs/configuration.md, which is made from it.
#pragma once

#include <string>

#include "core/text.h"

namespace epil::io {

enum class BuiltinsFormat { kText, kMarkdown };

std::string render_builtins(Lang lang, BuiltinsFormat format);

}  // namespace epil::io
