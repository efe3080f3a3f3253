// Output files that never lose data: written to a temporary file beside the destination and
// renamed over it only when complete, so an interrupted run leaves no half file under the
// output name; the input is never the output; an existing file is replaced only when asked,
// and never one that appeared while the run was writing. A replaced file's mode (and owner,
// where permitted) is kept. A destination that is a device or a FIFO (/dev/null, /dev/stdout)
// is written straight; one that is a symbolic link is written through to its target.
//
// The temporary file is named `.NAME.epil-PID-XXXXXX`. It is removed when the run fails, when
// SIGINT, SIGTERM or SIGHUP stops it, and — after a kill -9 — by the next run writing into the
// same directory, once no process of that PID is alive.
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
  /// waits for the disk, and then has less left to wait for). After the first failure
  /// nothing more is written and failure() says why.
  bool write(std::string_view bytes);
  /// Hands what write() buffered to the system (standard output before an error message, so
  /// that the two appear in order); false, and failure() says why, if that fails.
  bool flush();
  /// For a library that writes the file itself (libxlsxwriter): the temporary path to write,
  /// which commit() then syncs and renames (the destination itself for a device or FIFO).
  /// Not for standard output.
  std::string take_path_for_writer();
  /// For a writer that writes the file itself: why it failed, in words (`what`, `what_zh`),
  /// prefixed with the output's name. The first failure is kept.
  void fail(const std::string& what, const std::string& what_zh);
  /// Why writing failed (the output's name and the system's reason), once it has.
  const std::optional<OutputError>& failure() const { return failure_; }
  /// Flushes, syncs, closes and renames the temporary file to its destination; without
  /// `replace`, refuses (and removes the temporary file) if a file of that name appeared
  /// meanwhile.
  bool commit(OutputError& error);
  const std::string& temp_path() const { return temp_; }
  /// The name the output was asked for, as given ("standard output" for "-").
  const std::string& name() const { return name_; }
  bool is_stdout() const { return file_ == stdout; }

 private:
  OutputFile() = default;
  bool open_temporary(OutputError& error);
  void publish();
  void fail_errno(int err);
  void remove_temporary();

  std::FILE* file_ = nullptr;
  std::string name_;  // as given, for messages
  std::string dest_;  // where the file goes: `name_`, or the target of a symbolic link
  std::string temp_;  // empty: written straight (stdout, a device, a FIFO)
  int slot_ = -1;     // the temporary file's entry in the registry signals clean up
  bool replace_ = false;
  bool failed_ = false;
  bool external_ = false;
  std::optional<OutputError> failure_;
  // Bytes written, and up to where the disk has been asked to write them (write()).
  size_t written_ = 0, started_ = 0;
};

/// Whether `a` and `b` name the same file: the same inode when both exist, else the same
/// absolute path once `.`, `..` and symbolic links are resolved. "-" is standard output.
bool same_file(const std::string& a, const std::string& b);

/// Removes from `dir` the temporary files (`.NAME.epil-PID-XXXXXX`, regular files) of runs
/// whose process is no longer alive: what a kill -9 left. Returns how many it removed.
int remove_stale_temporaries(const std::string& dir);

/// The message for a write to `name` that failed with `err` (an errno value): the name, then
/// the system's reason.
OutputError write_error(const std::string& name, int err);

}  // namespace epil::io
