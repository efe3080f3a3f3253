#include "io/whole_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/messages.h"

namespace epil::io {

namespace {

// What the catalogue says of a file that cannot be read, under its code.
template <class... A>
WholeFileError file_error(Msg m, const A&... args) {
  const Text t = message(m, args...);
  return {std::string(message_entry(m).code), t.en, t.zh};
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, uint64_t max_bytes,
                                           WholeFileError& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = file_error(Msg::kCannotOpenFile, std::strerror(errno));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = file_error(Msg::kIsDirectory);
    return std::nullopt;
  }
  // Read in steps and stop one byte past the limit: a regular file's size may change while it
  // is read, and a device or pipe has none.
  std::string text;
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) <= max_bytes)
    text.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      error = file_error(Msg::kCannotReadFile, std::strerror(err));
      return std::nullopt;
    }
    if (n == 0) break;
    if (text.size() + static_cast<uint64_t>(n) > max_bytes) {
      ::close(fd);
      error = file_error(Msg::kFileTooLarge, max_bytes);
      return std::nullopt;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace epil::io
