// Files read whole (case, test, rule and region files): at most a limit's bytes, so that a
// device that never ends (/dev/zero) or a huge file is refused instead of filling memory, and
// a directory or an unreadable path is named as such.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace epil::io {

struct WholeFileError {
  std::string code;  // "unreadable", "is-directory", "file-too-large"
  std::string message, message_zh;
};

/// The bytes of `path`, or nullopt and `error` when it cannot be read, is a directory, or
/// holds more than `max_bytes` (the error names the --limit file-bytes).
std::optional<std::string> read_whole_file(const std::string& path, uint64_t max_bytes,
                                           WholeFileError& error);

}  // namespace epil::io
