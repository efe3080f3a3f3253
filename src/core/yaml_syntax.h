// Internal: libyaml's syntax errors said in both languages, with a hint where the usual cause is
// indentation. Users include core/epil.h; this header is for core/yaml.cpp only.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/yaml.h"

namespace epil::yaml::detail {

/// What libyaml reports when it stops: its English problem and context (either may be empty),
/// their positions, and for an error of its reader (bad bytes) the byte offset instead.
struct LibraryError {
  std::string_view problem;
  std::string_view context;
  Mark problem_mark;
  Mark context_mark;
  bool reader = false;
  size_t offset = 0;
};

/// The error as a sentence of the catalogue (core/messages.h) at the position a person fixes it
/// from: a key without ':' and an unclosed quote where they start. A problem the catalogue does
/// not know is given in libyaml's words inside a translated frame. `text`: the document, read
/// for the indentation of the lines around the problem.
ParseError describe(const LibraryError& error, std::string_view text);

}  // namespace epil::yaml::detail
