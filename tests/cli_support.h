// Running the epil executable from tests: its output (stdout and stderr together) and exit code.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace epil::testing {

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// A shell command's standard output, and its exit code (-1 when a signal ended it).
inline Run run_shell(const std::string& cmd) {
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline Run run(const std::string& args, const std::string& env = "") {
  return run_shell(env + (env.empty() ? "" : " ") + "'" + EPIL_BINARY + "' " + args + " 2>&1");
}

// Like run(), but standard output goes to `stdout_to` and only standard error is captured;
// `shell_prefix` runs first in the same shell (a ulimit, say).
inline Run run_stderr(const std::string& args, const std::string& stdout_to,
                      const std::string& shell_prefix = "") {
  return run_shell(shell_prefix + (shell_prefix.empty() ? "" : "; ") + "'" + EPIL_BINARY +
                   "' " + args + " 2>&1 >'" + stdout_to + "'");
}

// A file's bytes (empty if it cannot be read).
inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// `s` in single quotes, for a shell command line.
inline std::string q(const std::string& s) { return "'" + s + "'"; }

inline bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A scratch directory removed at the end of the test.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    static int n = 0;
    dir = std::filesystem::temp_directory_path() /
          ("epil-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    return path(name);
  }
};

}  // namespace epil::testing
