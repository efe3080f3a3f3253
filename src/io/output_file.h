// Output files that never lose data: written to a temporary file beside the destination and
// renamed over it only when complete, so an interrupted run leaves no half file under the
// output name; the input is never the output; an existing file is replaced only when asked.
// A destination that is a device or a FIFO (/dev/null, /dev/stdout) is written straight.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace epil::io {

struct OutputError {
  std::string message, message_zh;
};

class OutputFile {
 public:
  /// Opens `path` for writing (a temporary file beside it), or standard output when `path` is
  /// empty or "-". Refuses when `path` is `input`, or exists and `replace` is false.
  static std::optional<OutputFile> open(const std::string& path, const std::string& input,
                                        bool replace, OutputError& error);
  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  ~OutputFile();  // an unfinished file is removed

  /// Appends; every 32 MB, the disk is asked to start writing what came before (commit()
  /// waits for the disk, and then has less left to wait for).
  bool write(std::string_view bytes);
  /// For a library that writes the file itself (libxlsxwriter): the temporary path to write,
  /// which commit() then syncs and renames (the destination itself for a device or FIFO).
  /// Not for standard output.
  std::string take_path_for_writer();
  /// Flushes, closes and renames the temporary file to its destination.
  bool commit(OutputError& error);
  const std::string& temp_path() const { return temp_; }
  bool is_stdout() const { return file_ == stdout; }

 private:
  OutputFile() = default;
  std::FILE* file_ = nullptr;
  std::string path_, temp_;  // temp_ empty: written straight (stdout, a device, a FIFO)
  bool failed_ = false;
  bool external_ = false;
  // Bytes written, and up to where the disk has been asked to write them (write()).
  size_t written_ = 0, started_ = 0;
};

}  // namespace epil::io
