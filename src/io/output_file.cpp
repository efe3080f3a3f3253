#include "io/output_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "core/messages.h"

namespace epil::io {

namespace fs = std::filesystem;

namespace {

// --- Temporary files removed on SIGINT, SIGTERM and SIGHUP ---------------------------------
//
// A handler may call only async-signal-safe functions: it walks a fixed table of paths
// (no allocation, no lock), unlinks each, puts back the action that was there before, and
// raises the signal again, so that the process ends as the signal says (the shell sees
// "killed by signal", not an exit code).

constexpr std::array<int, 3> kCleanupSignals = {SIGINT, SIGTERM, SIGHUP};

struct TempSlot {
  std::atomic<bool> used{false};  // lock-free: safe to read in a handler
  char path[PATH_MAX] = {};
};
// A run has at most a few outputs at once (the table and --summary-json).
std::array<TempSlot, 8> g_temps;
std::array<struct sigaction, kCleanupSignals.size()> g_previous{};
std::mutex g_temps_mu;  // between threads registering; never taken in the handler

extern "C" void remove_temporaries_and_reraise(int sig) {
  for (TempSlot& t : g_temps) {
    if (t.used.load(std::memory_order_acquire)) unlink(t.path);
  }
  for (size_t i = 0; i < kCleanupSignals.size(); ++i) {
    if (kCleanupSignals[i] == sig) sigaction(sig, &g_previous[i], nullptr);
  }
  raise(sig);  // blocked until the handler returns, then delivered to the previous action
}

void install_cleanup_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (size_t i = 0; i < kCleanupSignals.size(); ++i) {
      int sig = kCleanupSignals[i];
      if (sigaction(sig, nullptr, &g_previous[i]) != 0) continue;
      // A signal the caller ignores (nohup ignores SIGHUP) stays ignored.
      if (!(g_previous[i].sa_flags & SA_SIGINFO) && g_previous[i].sa_handler == SIG_IGN) continue;
      struct sigaction sa {};
      sa.sa_handler = remove_temporaries_and_reraise;
      sigemptyset(&sa.sa_mask);
      for (int s : kCleanupSignals) sigaddset(&sa.sa_mask, s);
      sigaction(sig, &sa, nullptr);
    }
  });
}

// Holds the cleanup signals back in this thread for its lifetime: between creating a
// temporary file and entering it in the table, a signal would leave the file behind.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t s;
    sigemptyset(&s);
    for (int sig : kCleanupSignals) sigaddset(&s, sig);
    pthread_sigmask(SIG_BLOCK, &s, &old_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t old_;
};

// The table index of `path`, or -1 when the table is full or the path too long (the file is
// then still removed on failure, only not on a signal).
int hold_temporary(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_temps_mu);
  if (path.size() >= PATH_MAX) return -1;
  for (size_t i = 0; i < g_temps.size(); ++i) {
    if (g_temps[i].used.load(std::memory_order_relaxed)) continue;
    std::memcpy(g_temps[i].path, path.c_str(), path.size() + 1);
    g_temps[i].used.store(true, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void release_temporary(int slot) {
  if (slot < 0) return;
  std::lock_guard<std::mutex> lock(g_temps_mu);
  g_temps[static_cast<size_t>(slot)].used.store(false, std::memory_order_release);
}

// --- Names of temporary files --------------------------------------------------------------

constexpr std::string_view kTempInfix = ".epil-";

// `.NAME.epil-PID-XXXXXX` beside `dest`; NAME is cut (at a UTF-8 character boundary) so that
// the whole name stays within the 255 bytes a file name may have.
std::string temp_template(const fs::path& dest) {
  std::string name = dest.filename().string();
  std::string tail = fmt::format("{}{}-XXXXXX", kTempInfix, getpid());
  size_t room = NAME_MAX - 1 - tail.size();
  if (name.size() > room) {
    size_t n = room;
    while (n > 0 && (static_cast<unsigned char>(name[n]) & 0xC0) == 0x80) --n;
    name.resize(n);
  }
  fs::path dir = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  return (dir / ("." + name + tail)).string();
}

// The PID in a name of our exact pattern, or 0.
pid_t temp_owner(std::string_view name) {
  constexpr size_t kSuffix = 6;  // mkstemp's X's: letters and digits
  if (name.size() < 1 + 1 + kTempInfix.size() + 1 + 1 + kSuffix || name[0] != '.') return 0;
  std::string_view suffix = name.substr(name.size() - kSuffix);
  for (char c : suffix) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return 0;
  }
  name.remove_suffix(kSuffix);
  if (name.back() != '-') return 0;
  name.remove_suffix(1);
  size_t digits = 0;
  while (digits < name.size() &&
         std::isdigit(static_cast<unsigned char>(name[name.size() - 1 - digits])))
    ++digits;
  if (digits == 0 || digits > 9) return 0;
  std::string_view head = name.substr(0, name.size() - digits);
  if (head.size() < 1 + 1 + kTempInfix.size() ||
      head.substr(head.size() - kTempInfix.size()) != kTempInfix) {
    return 0;
  }
  return static_cast<pid_t>(std::stol(std::string(name.substr(name.size() - digits))));
}

bool process_alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

Text shown_name(const std::string& name) {
  if (name.empty() || name == "-") return message(Msg::kStandardOutput);
  return {name, name};
}

OutputError output_error(const Text& t) { return {t.en, t.zh}; }

}  // namespace

OutputError write_error(const std::string& name, int err) {
  return output_error(message(Msg::kOutputWriteFailed, shown_name(name), std::strerror(err)));
}

bool same_file(const std::string& a, const std::string& b) {
  auto is_stdout = [](const std::string& s) { return s.empty() || s == "-"; };
  if (is_stdout(a) || is_stdout(b)) return is_stdout(a) && is_stdout(b);
  std::error_code ea, eb;
  fs::file_status sa = fs::status(a, ea), sb = fs::status(b, eb);
  // Devices and FIFOs are written straight: writing one twice destroys nothing.
  for (const fs::file_status& s : {sa, sb}) {
    if (fs::exists(s) && !fs::is_regular_file(s) && !fs::is_directory(s)) return false;
  }
  if (fs::exists(sa) && fs::exists(sb)) return fs::equivalent(a, b, ea);
  fs::path ca = fs::weakly_canonical(fs::absolute(a, ea), ea);
  fs::path cb = fs::weakly_canonical(fs::absolute(b, eb), eb);
  return !ea && !eb && ca == cb;
}

int remove_stale_temporaries(const std::string& dir) {
  DIR* d = opendir(dir.empty() ? "." : dir.c_str());
  if (!d) return 0;
  int removed = 0;
  while (const dirent* e = readdir(d)) {
    pid_t pid = temp_owner(e->d_name);
    if (pid <= 0 || process_alive(pid)) continue;
    struct stat st {};
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (unlinkat(dirfd(d), e->d_name, 0) == 0) ++removed;
  }
  closedir(d);
  return removed;
}

std::optional<OutputFile> OutputFile::open(const std::string& path, const std::string& input,
                                           bool replace, OutputError& error) {
  OutputFile out;
  out.name_ = path;
  out.replace_ = replace;
  if (path.empty() || path == "-") {
    out.file_ = stdout;
    return out;
  }
  auto refuse = [&](const Text& why) {
    error = output_error(message(Msg::kOutputProblem, path, why));
    return std::nullopt;
  };
  if (!input.empty() && same_file(path, input)) return refuse(message(Msg::kOutputIsInput));
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);  // through symbolic links
  // A destination that exists and is not a regular file (a device such as /dev/null or
  // /dev/stdout, a FIFO) is written straight: there is no file to replace, and renaming a
  // temporary file over it would replace the device itself (as root, /dev/null).
  if (fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st)) {
    out.file_ = std::fopen(path.c_str(), "wb");
    if (!out.file_) {
      return refuse(message(Msg::kOutputCannotWrite, std::strerror(errno)));
    }
    out.dest_ = path;  // no temporary file: written straight
    return out;
  }
  if (fs::is_directory(st)) return refuse(message(Msg::kOutputIsDirectory));
  // A symbolic link is written through: the file it points to is replaced (beside it), and
  // the link stays a link. One that points nowhere is refused rather than guessed at.
  out.dest_ = path;
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    if (!fs::exists(st)) {
      return refuse(message(Msg::kOutputDanglingLink));
    }
    out.dest_ = fs::canonical(path, ec).string();
  }
  if (fs::exists(st) && !replace) {
    return refuse(message(Msg::kOutputExists));
  }
  if (!out.open_temporary(error)) return std::nullopt;
  return out;
}

// Creates the temporary file beside the destination (so that the final rename stays on one
// file system), entered in the table signals clean up, with the mode the output will have.
bool OutputFile::open_temporary(OutputError& error) {
  fs::path dest(dest_);
  remove_stale_temporaries(dest.parent_path().string());
  std::string tmpl = temp_template(dest);
  std::error_code ec;
  fs::path absolute = fs::absolute(tmpl, ec);
  install_cleanup_handlers();
  int fd;
  {
    SignalsHeld held;
    fd = mkstemp(tmpl.data());  // replaces the six X's with a unique suffix
    if (fd >= 0) {
      temp_ = tmpl;
      slot_ = hold_temporary((absolute.parent_path() / fs::path(tmpl).filename()).string());
    }
  }
  if (fd < 0) {
    int err = errno;
    error = output_error(message(Msg::kOutputNoTemporary, name_, std::strerror(err)));
    return false;
  }
  // mkstemp makes the file 0600. A replacement keeps the owner (where permitted: root, or a
  // group the user is in) and mode of the file it replaces; a new file has the mode any new
  // file would have (0666 less the umask). The mode comes after the owner: chown clears
  // set-user-ID bits.
  struct stat old {};
  if (::stat(dest_.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
    if (fchown(fd, old.st_uid, old.st_gid) != 0 &&
        fchown(fd, static_cast<uid_t>(-1), old.st_gid) != 0) {
      // Not permitted: the replacement belongs to whoever ran epil.
    }
    fchmod(fd, old.st_mode & 07777);
  } else {
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
  }
  file_ = fdopen(fd, "wb");
  if (!file_) {
    int err = errno;
    ::close(fd);
    remove_temporary();
    error = write_error(name_, err);
    return false;
  }
  return true;
}

OutputFile::OutputFile(OutputFile&& o) noexcept
    : file_(o.file_),
      name_(std::move(o.name_)),
      dest_(std::move(o.dest_)),
      temp_(std::move(o.temp_)),
      slot_(o.slot_),
      replace_(o.replace_),
      failed_(o.failed_),
      external_(o.external_),
      failure_(std::move(o.failure_)),
      written_(o.written_),
      started_(o.started_) {
  o.file_ = nullptr;
  o.temp_.clear();
  o.slot_ = -1;
}

OutputFile::~OutputFile() {
  if (file_ && file_ != stdout) std::fclose(file_);
  remove_temporary();
}

// Unlinks before leaving the table: a signal in between unlinks a name already gone.
void OutputFile::remove_temporary() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  release_temporary(slot_);
  slot_ = -1;
}

std::string OutputFile::take_path_for_writer() {
  if (file_ && file_ != stdout) std::fclose(file_);
  file_ = nullptr;
  external_ = true;
  return temp_.empty() ? dest_ : temp_;
}

void OutputFile::fail(const std::string& what, const std::string& what_zh) {
  failed_ = true;
  if (!failure_) {
    failure_ = output_error(message(Msg::kOutputProblem, shown_name(name_), Text{what_zh, what}));
  }
}

void OutputFile::fail_errno(int err) {
  failed_ = true;
  if (!failure_) failure_ = write_error(name_, err);
}

bool OutputFile::write(std::string_view bytes) {
  if (!file_ || failed_) return false;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    fail_errno(errno);
    return false;
  }
  written_ += bytes.size();
  // commit() syncs the file before renaming it (the name must never lead to a file the disk
  // does not hold yet). Writing back a large output only then left the run waiting for the
  // disk at its end (0.17 s of 1.3 s for 394 MB here): starting the writeback as the file
  // grows overlaps it with the screening. It asks the kernel to start writing and does not
  // wait for the disk (it may wait while the device's queue is full); a failure changes
  // nothing, the final sync still comes.
  constexpr size_t kStartEvery = size_t{32} << 20;
  if (!temp_.empty() && written_ - started_ >= kStartEvery) {
    if (std::fflush(file_) != 0) {
      fail_errno(errno);
      return false;
    }
    sync_file_range(fileno(file_), static_cast<off_t>(started_),
                    static_cast<off_t>(written_ - started_), SYNC_FILE_RANGE_WRITE);
    started_ = written_;
  }
  return true;
}

bool OutputFile::flush() {
  if (!file_ || failed_) return false;
  if (std::fflush(file_) != 0) fail_errno(errno);
  return !failed_;
}

// Gives the temporary file the destination's name. Without --force, never over a file that
// appeared meanwhile (another run, another program): renameat2(RENAME_NOREPLACE), or where
// the file system cannot do that, link() to the new name, which fails on an existing one.
void OutputFile::publish() {
  if (replace_) {
    if (std::rename(temp_.c_str(), dest_.c_str()) != 0) fail_errno(errno);
    return;
  }
  int err = 0;
  if (renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_NOREPLACE) == 0) return;
  err = errno;
  if (err == EINVAL || err == ENOSYS || err == ENOTSUP) {
    if (::link(temp_.c_str(), dest_.c_str()) == 0) {
      ::unlink(temp_.c_str());
      return;
    }
    err = errno;
  }
  if (err == EEXIST) {
    const Text why = message(Msg::kOutputAppeared);
    fail(why.en, why.zh);
    return;
  }
  fail_errno(err);
}

bool OutputFile::commit(OutputError& error) {
  // A file written straight (standard output, a device, a FIFO) is flushed, and closed unless
  // it is standard output: nothing to sync or rename. A temporary file is synced (its name
  // must never lead to data the disk does not hold yet), closed, then renamed.
  errno = 0;
  if (!failed_ && !external_ && (!file_ || std::fflush(file_) != 0 || std::ferror(file_))) {
    fail_errno(!file_ ? EBADF : errno ? errno : EIO);
  }
  if (!failed_ && !temp_.empty()) {
    int fd = external_ ? ::open(temp_.c_str(), O_RDONLY) : fileno(file_);
    if (fd < 0 || fsync(fd) != 0) fail_errno(errno);
    if (external_ && fd >= 0) ::close(fd);
  }
  if (file_ && file_ != stdout && std::fclose(file_) != 0) fail_errno(errno);
  file_ = nullptr;
  if (!failed_ && !temp_.empty()) publish();
  if (failed_) {
    error = *failure_;
    remove_temporary();
    return false;
  }
  temp_.clear();
  release_temporary(slot_);
  slot_ = -1;
  return true;
}

}  // namespace epil::io
