// What of a value a message may show. Case data is confidential and a bad value may be 60 MB
// long, so a message quotes at most the first 80 characters of it, marked with … when cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace epil {

/// `text` itself when it has at most `max_chars` characters (UTF-8 code points), otherwise its
/// first `max_chars` characters followed by "…". Never cuts a character in two.
///
///   excerpt(std::string(100, 'x')) == std::string(80, 'x') + "…"
std::string excerpt(std::string_view text, size_t max_chars = 80);

}  // namespace epil
