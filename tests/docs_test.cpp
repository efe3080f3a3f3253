// Executable documentation: every ```console block of README.md and docs/*.md is run and its
// output compared with the text shown, so the documentation cannot drift from the build
// (style.md, after CLI11's checked examples).
//
// The format of a console block:
//
//   $ epil regions show 广西 --date 2023-06-01 --lang zh   a command (always with explicit
//                                                         dates and --lang)
//   > more                      continues the command on the next line (a heredoc's text)
//   广西壮族自治区 (guangxi) · …   expected output, line by line, matched exactly
//   …                           a line of only "…" matches any run of zero or more lines;
//                               a "…" inside a line matches any characters there
//   [exit 3]                    optional, after the output: the exit code (default 0)
//
// Each command runs through /bin/sh, stdout and stderr together, in EPIL_SOURCE_DIR, with LANG,
// LC_ALL, LC_MESSAGES and EPIL_CONFIG unset, and with the binary under test first on PATH under
// the name `epil` (so its help says "Usage: epil …" as a user sees it, and `epil` after a pipe
// or an environment assignment is the binary under test too). Commands of a block run in order;
// a block that writes files creates them itself and removes them in its last command.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kEllipsis = "…";

struct Step {
  int line = 0;  // line of the "$ " in the document
  std::string command;
  std::vector<std::string> expected;
  std::vector<int> expected_lines;  // document line of each expected line
  int exit_code = 0;
};

struct Block {
  std::string file;  // relative to the source dir, e.g. docs/guide.md
  int line = 0;      // line of the opening fence
  std::vector<Step> steps;
  std::string error;  // a malformed block: why
  std::string name() const { return file + ":" + std::to_string(line); }
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(text);
  while (std::getline(in, cur)) {
    if (!cur.empty() && cur.back() == '\r') cur.pop_back();
    out.push_back(cur);
  }
  return out;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// The console blocks of one Markdown document. Fences may be indented (inside list items) and
// use three or more backticks; a block closes at a fence at least as long as the one opening it.
std::vector<Block> parse_console_blocks(const std::string& file, const std::string& text) {
  std::vector<Block> blocks;
  std::vector<std::string> lines = split_lines(text);
  size_t fence = 0;  // backticks of the open fence, 0 outside a block
  size_t indent = 0;
  Block* block = nullptr;
  bool sealed = false;  // the current step has its [exit N]
  for (size_t i = 0; i < lines.size(); ++i) {
    int lineno = static_cast<int>(i) + 1;
    const std::string& raw = lines[i];
    size_t lead = raw.find_first_not_of(' ');
    std::string t = lead == std::string::npos ? "" : raw.substr(lead);
    size_t ticks = 0;
    while (ticks < t.size() && t[ticks] == '`') ++ticks;
    if (fence == 0) {
      if (ticks >= 3) {
        fence = ticks;
        indent = lead;
        block = nullptr;
        if (trim(t.substr(ticks)) == "console") {
          blocks.push_back(Block{file, lineno, {}, ""});
          block = &blocks.back();
          sealed = false;
        }
      }
      continue;
    }
    if (ticks >= fence && trim(t.substr(ticks)).empty()) {
      fence = 0;
      block = nullptr;
      continue;
    }
    if (block == nullptr || !block->error.empty()) continue;
    // Content lines lose the fence's indentation.
    std::string l = raw.substr(std::min(indent, lead == std::string::npos ? raw.size() : lead));
    if (l.rfind("$ ", 0) == 0) {
      Step s;
      s.line = lineno;
      s.command = l.substr(2);
      block->steps.push_back(s);
      sealed = false;
      continue;
    }
    if (block->steps.empty()) {
      block->error = "line " + std::to_string(lineno) + ": output before the first \"$ \" command";
      continue;
    }
    Step& s = block->steps.back();
    if ((l.rfind("> ", 0) == 0 || l == ">") && s.expected.empty() && !sealed) {
      s.command += "\n" + (l.size() > 2 ? l.substr(2) : std::string());
      continue;
    }
    if (l.rfind("[exit ", 0) == 0 && l.back() == ']') {
      std::string n = l.substr(6, l.size() - 7);
      if (sealed || n.empty() || n.find_first_not_of("0123456789") != std::string::npos) {
        block->error = "line " + std::to_string(lineno) + ": bad or repeated [exit N]";
      }
      if (block->error.empty()) s.exit_code = std::stoi(n);
      sealed = true;
      continue;
    }
    if (sealed) {
      block->error = "line " + std::to_string(lineno) + ": output after [exit N]";
      continue;
    }
    s.expected.push_back(l);
    s.expected_lines.push_back(lineno);
  }
  if (block != nullptr && block->error.empty()) block->error = "the block is never closed";
  return blocks;
}

// One expected line against one actual line: exact, except that a "…" inside the line matches
// any run of characters there (for values that change with every edit of the shipped tree,
// such as the configuration fingerprint: "配置指纹：sha256:…").
bool line_matches(std::string_view expected, std::string_view actual) {
  size_t cut = expected.find(kEllipsis);
  if (cut == std::string_view::npos) return expected == actual;
  std::string_view head = expected.substr(0, cut);
  std::string_view rest = expected.substr(cut + kEllipsis.size());
  if (actual.substr(0, head.size()) != head) return false;
  for (size_t from = head.size(); from <= actual.size(); ++from) {
    if (line_matches(rest, actual.substr(from))) return true;
  }
  return false;
}

// How many expected lines (from the start) can be matched against some prefix of the actual
// output; equal to expected.size() and `full` set when the whole output matches. "…" matches any
// run of lines, so this is a small dynamic programme over (expected, actual) positions.
size_t match_lines(const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                   bool& full) {
  size_t n = expected.size(), m = actual.size();
  // reach[j] = actual positions i such that expected[0, j) matches actual[0, i).
  std::vector<std::vector<bool>> reach(n + 1, std::vector<bool>(m + 1, false));
  reach[0][0] = true;
  size_t best = 0;
  for (size_t j = 0; j < n; ++j) {
    bool any = false;
    if (expected[j] == kEllipsis) {
      bool on = false;
      for (size_t i = 0; i <= m; ++i) {
        on = on || reach[j][i];
        reach[j + 1][i] = on;
        any = any || on;
      }
    } else {
      for (size_t i = 0; i < m; ++i) {
        if (reach[j][i] && line_matches(expected[j], actual[i])) {
          reach[j + 1][i + 1] = true;
          any = true;
        }
      }
    }
    if (!any) break;
    best = j + 1;
  }
  full = reach[n][m];
  return best;
}

bool lines_match(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  bool full = false;
  match_lines(expected, actual, full);
  return full;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int code = -1;
  std::string out;
};

// A private directory holding `epil` → EPIL_BINARY, put first on PATH by every command, and
// removed when the tests end.
class BinDir {
 public:
  BinDir() {
    std::string tmpl = (fs::temp_directory_path() / "epil-docs-test-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) != nullptr) {
      path_ = buf.data();
      fs::create_symlink(EPIL_BINARY, fs::path(path_) / "epil");
    }
  }
  ~BinDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  BinDir(const BinDir&) = delete;
  BinDir& operator=(const BinDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const std::string& bin_dir() {
  static const BinDir dir;
  return dir.path();
}

Run run_shell(const std::string& command) {
  REQUIRE_FALSE(bin_dir().empty());
  // popen runs the script with /bin/sh -c.
  std::string script =
      "exec 2>&1\ncd " + shell_quote(EPIL_SOURCE_DIR) +
      " || exit 125\nunset LANG LC_ALL LC_MESSAGES EPIL_CONFIG\nPATH=" + shell_quote(bin_dir()) +
      ":$PATH\nexport PATH\n" + command + "\n";
  Run r;
  FILE* p = popen(script.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), got);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The blocks write scratch files into the source tree (their outputs show relative paths), so
// two runs of this test on one tree must not interleave.
class TreeLock {
 public:
  TreeLock() {
    std::string name =
        "epil-docs-test-" + std::to_string(std::hash<std::string>{}(EPIL_SOURCE_DIR)) + ".lock";
    fd_ = ::open((fs::temp_directory_path() / name).c_str(), O_RDWR | O_CREAT, 0666);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~TreeLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  TreeLock(const TreeLock&) = delete;
  TreeLock& operator=(const TreeLock&) = delete;

 private:
  int fd_ = -1;
};

std::set<std::string> top_level_entries() {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(EPIL_SOURCE_DIR)) {
    out.insert(e.path().filename().string());
  }
  return out;
}

std::vector<Block> all_blocks() {
  std::vector<fs::path> files = {"README.md"};
  std::vector<fs::path> docs;
  for (const auto& e : fs::directory_iterator(fs::path(EPIL_SOURCE_DIR) / "docs")) {
    if (e.path().extension() == ".md") docs.push_back(fs::path("docs") / e.path().filename());
  }
  std::sort(docs.begin(), docs.end());
  files.insert(files.end(), docs.begin(), docs.end());
  std::vector<Block> blocks;
  for (const auto& f : files) {
    std::ifstream in(fs::path(EPIL_SOURCE_DIR) / f);
    if (!in) continue;  // README.md is optional for this test
    std::stringstream ss;
    ss << in.rdbuf();
    auto b = parse_console_blocks(f.generic_string(), ss.str());
    blocks.insert(blocks.end(), b.begin(), b.end());
  }
  return blocks;
}

void check_step(const Block& b, const Step& s) {
  Run r = run_shell(s.command);
  std::vector<std::string> actual = split_lines(r.out);
  bool full = false;
  size_t matched = match_lines(s.expected, actual, full);
  std::string where = b.file + ":" + std::to_string(s.line) + ": $ " + s.command;
  if (!full) {
    std::string at = matched < s.expected.size()
                         ? b.file + ":" + std::to_string(s.expected_lines[matched]) + ": \"" +
                               s.expected[matched] + "\""
                         : "the end of the expected output (the command printed more)";
    FAIL_CHECK(where << "\nfirst expected line not matched: " << at << "\nactual output:\n"
                     << r.out);
  }
  if (r.code != s.exit_code) {
    FAIL_CHECK(where << "\nexit code " << r.code << ", documented " << s.exit_code);
  }
}

}  // namespace

TEST_CASE("docs: console blocks are parsed and matched as documented") {
  const std::string doc =
      "text\n```sh\n$ not checked\n```\n\n```console\n$ epil a\nx\n…\nz\n$ epil b \\\n"
      "> --flag\n[exit 3]\n```\n  ```console\n  $ cat > f <<'EOF'\n  > k: v\n  > EOF\n  ```\n";
  std::vector<Block> blocks = parse_console_blocks("t.md", doc);
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].line == 6);
  CHECK(blocks[0].error.empty());
  REQUIRE(blocks[0].steps.size() == 2);
  CHECK(blocks[0].steps[0].command == "epil a");
  CHECK(blocks[0].steps[0].expected == std::vector<std::string>{"x", kEllipsis, "z"});
  CHECK(blocks[0].steps[0].exit_code == 0);
  CHECK(blocks[0].steps[1].command == "epil b \\\n--flag");
  CHECK(blocks[0].steps[1].exit_code == 3);
  REQUIRE(blocks[1].steps.size() == 1);
  CHECK(blocks[1].steps[0].command == "cat > f <<'EOF'\nk: v\nEOF");

  CHECK(parse_console_blocks("t.md", "```console\noutput first\n```\n")[0].error != "");
  CHECK(parse_console_blocks("t.md", "```console\n$ a\n[exit 1]\nmore\n```\n")[0].error != "");
  CHECK(parse_console_blocks("t.md", "```console\n$ a\n")[0].error != "");

  using V = std::vector<std::string>;
  CHECK(lines_match(V{"a", "b"}, V{"a", "b"}));
  CHECK_FALSE(lines_match(V{"a", "b"}, V{"a", "b", "c"}));  // no silent trailing output
  CHECK_FALSE(lines_match(V{"a", "c"}, V{"a", "b"}));
  CHECK(lines_match(V{"a", kEllipsis, "d"}, V{"a", "b", "c", "d"}));
  CHECK(lines_match(V{"a", kEllipsis, "b"}, V{"a", "b"}));  // … matches zero lines
  CHECK(lines_match(V{kEllipsis}, V{}));
  CHECK(lines_match(V{"a", kEllipsis}, V{"a", "x", "y"}));
  CHECK(lines_match(V{kEllipsis, "x", kEllipsis, "x"}, V{"x", "y", "x"}));
  CHECK_FALSE(lines_match(V{kEllipsis, "x", kEllipsis, "x"}, V{"y", "x"}));
  bool full = true;
  CHECK(lines_match(V{"sha256:…"}, V{"sha256:0987"}));  // … inside a line: any characters
  CHECK(lines_match(V{"a … c"}, V{"a b b c"}));
  CHECK_FALSE(lines_match(V{"a … c"}, V{"a b b d"}));
  CHECK_FALSE(lines_match(V{"x sha256:…"}, V{"sha256:0987"}));
  CHECK(match_lines(V{"a", "b", "c"}, V{"a", "x"}, full) == 1);  // "b" is the line to report
  CHECK_FALSE(full);

  Run r = run_shell("epil --version; echo err >&2; exit 4");
  CHECK(r.code == 4);
  CHECK(r.out.find("err") != std::string::npos);  // stderr is captured with stdout
  CHECK(r.out.rfind("epil ", 0) == 0);
  // `epil` is the binary under test, never one installed elsewhere on PATH.
  CHECK(run_shell("command -v epil").out == bin_dir() + "/epil\n");
  CHECK(run_shell("pwd").out == std::string(EPIL_SOURCE_DIR) + "\n");
  CHECK(run_shell("echo \"${LANG-unset}${EPIL_CONFIG-unset}\"").out == "unsetunset\n");
}

TEST_CASE("docs: every console block in README.md and docs/*.md prints what it shows") {
  TreeLock lock;
  std::vector<Block> blocks = all_blocks();
  // The docs hold dozens of examples; finding none means the parser or the paths broke.
  REQUIRE(blocks.size() >= 20);
  for (const Block& b : blocks) {
    SUBCASE(b.name().c_str()) {
      INFO("block " << b.name());
      if (!b.error.empty()) FAIL_CHECK(b.name() << ": malformed console block: " << b.error);
      CHECK_MESSAGE(!b.steps.empty(), b.name() << ": a console block without a command");
      std::set<std::string> before = top_level_entries();
      for (const Step& s : b.steps) check_step(b, s);
      std::set<std::string> after = top_level_entries();
      for (const auto& e : after) {
        if (!before.count(e)) FAIL_CHECK(b.name() << ": the block left '" << e << "' behind");
      }
    }
  }
}

namespace {

// A part of a page made by a command: "<!-- generated by `CMD` … -->", the command's output,
// then "<!-- end of generated -->". The refresher (tests/tools/refresh_docs.py) rewrites it.
struct Generated {
  std::string where;    // file:line of the opening marker
  std::string command;  // as the marker quotes it
  std::string text;     // what the page holds between the markers
};

std::vector<Generated> generated_parts(const std::string& file, const std::string& text) {
  static const std::string kOpen = "<!-- generated by `", kClose = "<!-- end of generated -->";
  std::vector<Generated> out;
  for (size_t at = text.find(kOpen); at != std::string::npos; at = text.find(kOpen, at + 1)) {
    const size_t cmd_end = text.find('`', at + kOpen.size());
    const size_t body = text.find("-->\n", at);
    const size_t close = text.find(kClose, at);
    if (cmd_end == std::string::npos || body == std::string::npos || close == std::string::npos) {
      out.push_back({file + ":?", "", ""});  // an unclosed marker fails the test below
      break;
    }
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    out.push_back({file + ":" + std::to_string(line),
                   text.substr(at + kOpen.size(), cmd_end - at - kOpen.size()),
                   text.substr(body + 4, close - body - 4)});
  }
  return out;
}

}  // namespace

TEST_CASE("docs: every generated part of README.md and docs/*.md is what its command prints") {
  std::vector<Generated> parts;
  for (const char* f : {"README.md", "docs/configuration.md", "docs/cli.md", "docs/guide.md",
                        "docs/credit.md", "docs/performance.md"}) {
    std::ifstream in(fs::path(EPIL_SOURCE_DIR) / f);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    auto found = generated_parts(f, ss.str());
    parts.insert(parts.end(), found.begin(), found.end());
  }
  // docs/configuration.md's table of functions is one (core/builtins.h).
  REQUIRE_FALSE(parts.empty());
  for (const Generated& g : parts) {
    INFO(g.where << ": " << g.command);
    REQUIRE_MESSAGE(!g.command.empty(), g.where << ": a generated part without its end marker");
    const Run r = run_shell(g.command);
    CHECK(r.code == 0);
    CHECK_MESSAGE(r.out == g.text, g.where << ": out of date; run tests/tools/refresh_docs.py");
  }
}
