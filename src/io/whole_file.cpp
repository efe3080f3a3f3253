#include "io/whole_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace epil::io {

std::optional<std::string> read_whole_file(const std::string& path, uint64_t max_bytes,
                                           WholeFileError& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = {"unreadable", fmt::format("cannot open the file: {}", std::strerror(errno)),
             fmt::format("无法打开文件：{}", std::strerror(errno))};
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = {"is-directory", "this is a directory; give a file", "这是一个目录，请给出文件"};
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
      error = {"unreadable", fmt::format("cannot read the file: {}", std::strerror(err)),
               fmt::format("无法读取文件：{}", std::strerror(err))};
      return std::nullopt;
    }
    if (n == 0) break;
    if (text.size() + static_cast<uint64_t>(n) > max_bytes) {
      ::close(fd);
      error = {"file-too-large",
               fmt::format("the file holds more than {} bytes (limit file-bytes; raise it with "
                           "--limit file-bytes=N if the file is meant to be this large)",
                           max_bytes),
               fmt::format("文件超过 {} 字节（限额 file-bytes；确需更大时用 --limit "
                           "file-bytes=N 调高）",
                           max_bytes)};
      return std::nullopt;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace epil::io
