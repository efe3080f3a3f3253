// Hostile and careless input to the YAML tree, case files, test files, `--set` and JSON Lines
// (issue 12): each refused with its position, the limit named, and never more than ~80
// characters of a bad value quoted; memory bounded for streams and devices.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "cli_support.h"
#include "core/excerpt.h"
#include "core/limits.h"
#include "core/yaml.h"
#include "io/table.h"
#include "table_support.h"

namespace {

namespace io = epil::io;
namespace yaml = epil::yaml;
using epil::Limits;
using epil::testing::has;
using epil::testing::run;
using epil::testing::Run;
using epil::testing::Rows;
using epil::testing::Scratch;
using epil::testing::Table;

std::string q(const std::string& s) { return "'" + s + "'"; }

// The error parsing `text` gives, or nullopt when it parses.
std::optional<yaml::ParseError> yaml_error(const std::string& text, const Limits& limits = {}) {
  auto r = yaml::parse(text, limits);
  if (auto* e = std::get_if<yaml::ParseError>(&r)) return *e;
  return std::nullopt;
}

Table read_jsonl(const std::string& path, const Limits& limits) {
  Table t;
  return epil::testing::drain(io::open_jsonl(path, t.error, limits), std::move(t));
}

// Runs `job` in a child process whose data segment (heap and private writable mappings) may
// grow by at most `extra_mb` beyond what it holds now; true when the job returned true. A
// reader that buffers a stream whole runs out there; one that maps a file does not.
bool within_data_limit(int extra_mb, const std::function<bool()>& job) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::ifstream status("/proc/self/status");
    long data_kb = 0;
    for (std::string word; status >> word;) {
      if (word == "VmData:") status >> data_kb;
    }
    const rlim_t cap = static_cast<rlim_t>(data_kb + extra_mb * 1024L) * 1024;
    const struct rlimit limit {cap, cap};
    ::setrlimit(RLIMIT_DATA, &limit);
    ::_exit(job() ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_CASE("excerpt keeps 80 characters and never cuts one in two") {
  CHECK(epil::excerpt("短") == "短");
  CHECK(epil::excerpt(std::string(80, 'x')) == std::string(80, 'x'));
  CHECK(epil::excerpt(std::string(81, 'x')) == std::string(80, 'x') + "…");
  std::string chinese;
  for (int i = 0; i < 100; ++i) chinese += "数";
  std::string first80;
  for (int i = 0; i < 80; ++i) first80 += "数";
  CHECK(epil::excerpt(chinese) == first80 + "…");
}

TEST_CASE("yaml tree: an alias inside its own anchor is refused, not a leaking cycle") {
  // Before: the sequence held itself (a shared_ptr cycle LeakSanitizer reports) and a loader
  // walking it never ended.
  for (const char* text : {"a: &a [*a]\n", "&a [1, [2, *a]]\n", "a: &a {b: *a}\n"}) {
    CAPTURE(text);
    auto e = yaml_error(text);
    REQUIRE(e);
    CHECK(e->code == "alias-cycle");
    CHECK(has(e->message, "*a is inside the node it names"));
    CHECK(has(e->message_zh, "别名 *a"));
  }
  // An alias of a finished node is fine.
  CHECK_FALSE(yaml_error("a: &a [1, 2]\nb: *a\n"));
}

TEST_CASE("yaml tree: a merge key is refused with its position") {
  auto e = yaml_error("base: &b {x: 1}\ncase:\n  <<: *b\n  y: 2\n");
  REQUIRE(e);
  CHECK(e->code == "merge-key");
  CHECK(e->mark.line == 2);
  CHECK(has(e->message, "write the keys out"));
  auto cycle = yaml_error("a: &a {<<: *a}\n");
  REQUIRE(cycle);
  CHECK(cycle->code == "merge-key");
  // "<<" quoted, or as a value, is only text.
  CHECK_FALSE(yaml_error("'<<': 1\nb: <<\n"));
}

TEST_CASE("yaml tree: a second document is an error, not ignored") {
  auto e = yaml_error("a: 1\n---\nb: 2\n");
  REQUIRE(e);
  CHECK(e->code == "second-document");
  CHECK(e->mark.line == 1);
  CHECK_FALSE(yaml_error("---\na: 1\n...\n"));
  CHECK_FALSE(yaml_error("a: 1\n---\n") == std::nullopt);
}

TEST_CASE("yaml tree: duplicate keys are found among many, with the first line") {
  for (int n : {3, 15, 16, 17, 500}) {
    CAPTURE(n);
    std::string text;
    for (int i = 0; i < n; ++i) text += fmt::format("k{}: {}\n", i, i);
    CHECK_FALSE(yaml_error(text));
    text += "k1: again\n";
    auto e = yaml_error(text);
    REQUIRE(e);
    CHECK(e->mark.line == n);
    CHECK(has(e->message, "duplicate key 'k1' (first written on line 2)"));
  }
}

TEST_CASE("yaml tree: a mapping with more keys than mapping-keys is refused") {
  Limits limits;
  limits.mapping_keys = 100;
  std::string text;
  for (int i = 0; i < 100; ++i) text += fmt::format("k{}: 1\n", i);
  CHECK_FALSE(yaml_error(text, limits));
  text += "one_more: 1\n";
  auto e = yaml_error(text, limits);
  REQUIRE(e);
  CHECK(e->code == "too-many-keys");
  CHECK(e->mark.line == 100);
  CHECK(has(e->message, "more than 100 keys (limit mapping-keys"));
  CHECK(has(e->message_zh, "--limit mapping-keys=N"));
}

TEST_CASE("yaml tree: a scalar over cell-bytes is refused with its position") {
  Limits limits;
  limits.cell_bytes = 10;
  CHECK_FALSE(yaml_error("a: '0123456789'\n", limits));
  auto e = yaml_error("a: 1\nb: '01234567890'\n", limits);
  REQUIRE(e);
  CHECK(e->code == "value-too-long");
  CHECK(e->mark.line == 1);
  CHECK(has(e->message, "a value of 11 bytes; expected at most 10 (limit cell-bytes"));
}

TEST_CASE("yaml tree: aliases that expand past file-bytes are refused") {
  // "Billion laughs": nine levels of ten aliases stand for 10^9 values in 300 bytes.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string a = fmt::format("*l{}", i - 1);
    text += fmt::format("l{}: &l{} [{}", i, i, a);
    for (int k = 1; k < 10; ++k) text += ", " + a;
    text += "]\n";
  }
  auto e = yaml_error(text);
  REQUIRE(e);
  CHECK(e->code == "alias-expansion");
  CHECK(has(e->message, "limit"));
  CHECK(has(e->message, "--limit file-bytes=N"));
}

// Case files -------------------------------------------------------------------------------

TEST_CASE("case file: one field under two names is an error naming both keys and lines") {
  Scratch s;
  const std::string path = s.write("dup.yaml",
                                   "损害数额: 2800\n"
                                   "生态环境损害数额: 99999\n"
                                   "地区: 广西\n"
                                   "region: 陕西\n"
                                   "损害类型: 水污染\n");
  Run r = run("screen " + q(path) + " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "dup.yaml:2:1: error[duplicate-field]: '损害数额' on line 1 and '生态环境损害数额' "
                   "on line 2 both give damage_amount"));
  CHECK(has(r.out, "dup.yaml:4:1: error[duplicate-field]: '地区' on line 3 and 'region' on line 4 "
                   "both give region"));
  Run zh = run("screen " + q(path) + " --lang zh");
  CHECK(has(zh.out, "第 1 行的“损害数额”与第 2 行的“生态环境损害数额”都给出"));
}

TEST_CASE("case file: a second YAML document is an error") {
  Scratch s;
  Run r = run("screen " + q(s.write("two.yaml", "损害数额: 2800\n---\n损害数额: 99999\n")) +
              " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "two.yaml:2:1: error[second-document]"));
}

TEST_CASE("case file: a directory, /dev/zero and a huge file are named as such") {
  Scratch s;
  Run dir = run("screen " + q(s.dir.string()) + " --lang en");
  CHECK(dir.code == 1);
  CHECK(has(dir.out, "error[is-directory]"));
  CHECK_FALSE(has(dir.out, "must be a mapping"));
  // Before: /dev/zero was read until memory ran out.
  Run zero = run("screen /dev/zero --lang en --limit file-bytes=1M");
  CHECK(zero.code == 1);
  CHECK(has(zero.out, "/dev/zero: error[file-too-large]"));
  CHECK(has(zero.out, "--limit file-bytes=N"));
}

TEST_CASE("case file: more keys than mapping-keys is a finding, found quickly") {
  // Before: 200,000 keys took minutes (every key compared with every other) and then gave
  // 200,000 unknown-field findings.
  Scratch s;
  std::string text;
  for (int i = 0; i < 20001; ++i) text += fmt::format("字段{}: 1\n", i);
  Run r = run("screen " + q(s.write("many.yaml", text)) + " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "many.yaml:10001:1: error[too-many-keys]: a mapping with more than 10000 keys"));
  CHECK(r.out.size() < 1000);
  // Allowed more keys, the unknown names past the twentieth are counted, not listed one by one.
  Run raised = run("screen " + q(s.path("many.yaml")) + " --lang en --limit mapping-keys=30000");
  CHECK(raised.code == 1);
  CHECK(has(raised.out, "many.yaml:20:1: error[unknown-field]: unknown field '字段19'"));
  CHECK(has(raised.out, "many.yaml:21:1: error[unknown-field]: and 19981 more unknown fields"));
  CHECK(raised.out.size() < 5000);
}

TEST_CASE("case file: a long bad value is quoted in at most 80 characters") {
  Scratch s;
  const std::string value = "不是数字" + std::string(2 << 20, '9') + "x";
  const std::string path = s.write("long.yaml", "损害数额: '" + value + "'\n");
  // Within cell-bytes the value is read and refused as a number, quoted short.
  Run r = run("screen " + q(path) + " --lang en --limit cell-bytes=4M");
  CHECK(r.code == 1);
  CHECK(has(r.out, "found '不是数字9999"));
  CHECK(has(r.out, "…'"));
  CHECK(r.out.size() < 1000);
  // Past cell-bytes it is refused before it is read.
  Run over = run("screen " + q(path) + " --lang en");
  CHECK(over.code == 1);
  CHECK(has(over.out, "long.yaml:1:7: error[value-too-long]"));
  CHECK(over.out.size() < 1000);
  // An unknown key as long is quoted short too.
  // (An explicit key: YAML allows an implicit one 1,024 characters at most.)
  Run key = run("screen " + q(s.write("key.yaml", "? " + std::string(5000, 'k') + "\n: 1\n")) +
                " --lang en");
  CHECK(has(key.out, "unknown field '" + std::string(80, 'k') + "…'"));
  CHECK(key.out.size() < 1000);
}

TEST_CASE("case file: an anchor inside itself is a finding") {
  Scratch s;
  Run r = run("screen " + q(s.write("cycle.yaml", "备注: &a [*a]\n")) + " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "cycle.yaml:1:9: error[alias-cycle]"));
}

TEST_CASE("--set without '=' says FIELD=VALUE, not unknown field") {
  Run r = run("screen --set 损害数额 --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "--set 损害数额: expected FIELD=VALUE"));
  CHECK_FALSE(has(r.out, "unknown field"));
  Run zh = run("screen --set 损害数额 --lang zh");
  CHECK(has(zh.out, "应为 字段=值"));
}

TEST_CASE("test file: /dev/zero and a directory are refused with the limit named") {
  Scratch s;
  Run zero = run("test /dev/zero --lang en --limit file-bytes=1M");
  CHECK(zero.code == 1);
  CHECK(has(zero.out, "/dev/zero: test file: the file holds more than 1048576 bytes"));
  Run dir = run("test " + q(s.dir.string()) + " --lang en");
  CHECK(dir.code == 1);
  CHECK(has(dir.out, "this is a directory"));
}

TEST_CASE("test file: one input field under two names fails the case") {
  Scratch s;
  const std::string path = s.write("dup.test.yaml",
                                   "cases:\n"
                                   "  - name: twice\n"
                                   "    region: 广西\n"
                                   "    input:\n"
                                   "      损害数额: 2800\n"
                                   "      damage_amount: 99999\n"
                                   "    expect:\n"
                                   "      outcome: exempt\n");
  Run r = run("test " + q(path) + " --lang en");
  CHECK(r.code == 3);
  CHECK(has(r.out, "line 6: '损害数额' on line 5 and 'damage_amount' on line 6 both give "
                   "damage_amount"));
}

// JSON Lines -------------------------------------------------------------------------------

TEST_CASE("jsonl reader: more distinct keys than columns are refused at the line") {
  // Before: 1,000 lines of 1,000 new keys each (15 MB) made a header of a million columns and
  // took 10 GB.
  Scratch s;
  Limits limits;
  limits.columns = 5;
  const Table t = read_jsonl(s.write("keys.jsonl",
                                     "{\"a\": 1, \"b\": 2}\n"
                                     "{\"c\": 3, \"d\": 4, \"a\": 5}\n"
                                     "{\"e\": 5, \"新的键\": 6}\n"
                                     "{\"a\": 7}\n"),
                             limits);
  REQUIRE(t.opened);
  CHECK(t.header == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(t.rows.size() == 2);
  REQUIRE(t.error);
  CHECK(t.error->at.row == 3);
  CHECK(has(t.error->message, "line 3: the key \"新的键\" is one more than the 5 distinct keys"));
  CHECK(has(t.error->message, "--limit columns=N"));
  CHECK(has(t.error->message_zh, "限额 columns"));
}

TEST_CASE("jsonl reader: a value or key over cell-bytes is refused with its position") {
  Scratch s;
  Limits limits;
  limits.cell_bytes = 20;
  const std::string ok = "{\"a\": \"" + std::string(18, 'x') + "\"}\n";
  const Table t = read_jsonl(
      s.write("cell.jsonl", ok + "{\"a\": \"" + std::string(19, 'x') + "\"}\n"), limits);
  REQUIRE(t.opened);
  CHECK(t.rows == Rows{{std::string(18, 'x')}});
  REQUIRE(t.error);
  CHECK(t.error->at.row == 2);
  CHECK(has(t.error->message, "line 2, byte 7 (in the value of \"a\"): expected a value of at "
                              "most 20 bytes, found one of 21 (limit cell-bytes"));
  // Numbers and nested values are cells too.
  const Table nested =
      read_jsonl(s.write("nested.jsonl", ok + "{\"a\": [1, 2, 3, 4, 5, 6, 7, 8, 9]}\n"), limits);
  REQUIRE(nested.error);
  CHECK(has(nested.error->message, "line 2, byte 7"));
  const Table key = read_jsonl(s.write("key.jsonl", ok + "{\"" + std::string(30, 'k') + "\": 1}\n"),
                               limits);
  REQUIRE(key.error);
  CHECK(key.error->at.row == 2);
  CHECK(has(key.error->message, "found one of 30"));
}

TEST_CASE("jsonl reader: messages quote at most 80 characters of a key") {
  Scratch s;
  const std::string k(3000, 'k');
  const Table t = read_jsonl(
      s.write("dup.jsonl", "{\"" + k + "\": 1, \"" + k + "\": 2}\n{\"" + k + "\": tru}\n"), {});
  REQUIRE(t.error);
  CHECK(has(t.error->message, "\"" + std::string(80, 'k') + "…\""));
  CHECK(t.error->message.size() < 400);
  CHECK(t.error->at.column_name.size() < 100);
}

TEST_CASE("jsonl reader: a stream is not held in memory") {
#if defined(__SANITIZE_ADDRESS__)
  return;  // AddressSanitizer's own mappings count against the data limit
#endif
  // 96 MiB through a pipe under a 48 MiB data limit: before, the reader buffered the whole
  // stream (growing by doubling) and ran out; now it copies it to an unlinked file and maps it.
  Scratch s;
  const std::string tmp = s.path("tmp");
  std::filesystem::create_directories(tmp);
  ::setenv("TMPDIR", tmp.c_str(), 1);
  const bool ok = within_data_limit(48, [] {
    int fds[2];
    if (::pipe(fds) != 0) return false;
    const pid_t writer = ::fork();
    if (writer == 0) {
      ::close(fds[0]);
      const std::string line = "{\"备注\": \"" + std::string(1000, 'p') + "\", \"n\": 1}\n";
      std::string block;
      while (block.size() < (1 << 20)) block += line;
      for (int i = 0; i < 96; ++i) {
        if (::write(fds[1], block.data(), block.size()) < 0) ::_exit(1);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    std::optional<io::TableError> error;
    auto reader = io::open_jsonl("/proc/self/fd/" + std::to_string(fds[0]), error);
    if (!reader) return false;
    std::vector<std::string_view> cells;
    int64_t rows = 0;
    while (reader->next(cells)) rows += cells.size() == 2 && cells[1] == "1";
    ::waitpid(writer, nullptr, 0);
    return !reader->error() && rows > 90000;
  });
  ::unsetenv("TMPDIR");
  CHECK(ok);
  // The copy was unlinked at once: nothing is left behind.
  CHECK(std::filesystem::is_empty(tmp));
}

TEST_CASE("jsonl reader: /dev/zero ends at row-bytes, not at the end of memory") {
  const bool ok = within_data_limit(64, [] {
    Limits limits;
    limits.row_bytes = 1 << 20;
    std::optional<io::TableError> error;
    auto reader = io::open_jsonl("/dev/zero", error, limits);
    return reader == nullptr && error && error->at.row == 1 &&
           has(error->message, "line 1: expected a line of at most 1048576 bytes, found one of "
                               "at least") &&
           has(error->message, "--limit row-bytes=N");
  });
  CHECK(ok);
}

TEST_CASE("jsonl reader: an unwritable TMPDIR for a stream is said plainly") {
  Scratch s;
  const std::string fifo = s.path("pipe.jsonl");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // The writer only opens and closes: a write to a pipe its reader has closed would be SIGPIPE.
  std::thread writer([&] { std::ofstream out(fifo, std::ios::binary); });
  ::setenv("TMPDIR", s.path("no-such-dir").c_str(), 1);
  std::optional<io::TableError> error;
  auto reader = io::open_jsonl(fifo, error);
  ::unsetenv("TMPDIR");
  writer.join();
  CHECK(reader == nullptr);
  REQUIRE(error);
  CHECK(has(error->message, "cannot keep a copy of the stream"));
  CHECK(has(error->message, "TMPDIR"));
}

}  // namespace
