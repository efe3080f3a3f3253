// End-to-end tests of `epil batch` on real files: every row screened and explained, bad rows
// reported without stopping the run, nothing lost or overwritten, and the same verdicts as
// `epil screen` gives case by case.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "cli_support.h"
#include "core/date.h"
#include "io/output_file.h"
#include "io/table.h"

namespace fs = std::filesystem;
using epil::testing::has;
using epil::testing::read_bytes;
using epil::testing::run;
using epil::testing::Run;
using epil::testing::run_stderr;

using epil::testing::Scratch;

namespace {

using epil::testing::q;

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
};

Table read_table(const std::string& path) {
  std::optional<epil::io::TableError> error;
  auto r = epil::io::open_csv(path, {}, error);
  REQUIRE_MESSAGE(r != nullptr, (error ? error->message : "?"));
  Table t;
  t.header = r->header();
  std::vector<std::string_view> cells;
  while (r->next(cells)) t.rows.emplace_back(cells.begin(), cells.end());
  REQUIRE_FALSE(r->error().has_value());
  return t;
}

const std::string kCases = std::string(EPIL_SOURCE_DIR) + "/examples/cases.csv";

// A CSV of n water-pollution rows with amounts 0 … n-1 (no region column).
std::string water_rows(int n) {
  std::string rows = "损害类型,损害数额,区域性生态影响,长期潜在风险\n";
  for (int i = 0; i < n; ++i) rows += "水污染," + std::to_string(i) + ",否,否\n";
  return rows;
}

// `rows_evaluated` of a --summary-json file.
long rows_evaluated(const std::string& summary_json) {
  std::string j = read_bytes(summary_json);
  size_t at = j.find("\"rows_evaluated\": ");
  REQUIRE(at != std::string::npos);
  return std::stol(j.substr(at + 18));
}

}  // namespace

TEST_CASE("batch: every row of the example spreadsheet agrees with epil screen") {
  Scratch s;
  std::string out = s.path("out.csv");
  Run r = run("batch " + q(kCases) + " -o " + q(out) + " --as-of 2026-11-28 --lang en");
  CHECK(r.code == 0);
  Table in = read_table(kCases);
  Table res = read_table(out);
  REQUIRE(res.rows.size() == in.rows.size());
  REQUIRE(in.rows.size() >= 10);
  // Every input column, unchanged and in order, then the appended ones.
  for (size_t c = 0; c < in.header.size(); ++c) CHECK(res.header[c] == in.header[c]);
  int outcome = res.column("outcome"), track = res.column("procedure track"),
      reasons = res.column("reasons");
  REQUIRE(outcome >= 0);
  std::map<std::string, int> seen;
  for (size_t i = 0; i < in.rows.size(); ++i) {
    const auto& row = in.rows[i];
    for (size_t c = 0; c < row.size(); ++c) CHECK(res.rows[i][c] == row[c]);
    // The same case through `screen`: every non-blank cell as --set HEADER=VALUE.
    std::string args = "screen --as-of 2026-11-28 --lang en --format json";
    for (size_t c = 0; c < row.size(); ++c) {
      if (row[c].empty() || in.header[c] == "备注" || in.header[c] == "案件编号") continue;
      if (in.header[c] == "地区") {
        args += " --region " + q(row[c]);
      } else {
        args += " --set " + q(in.header[c] + "=" + row[c]);
      }
    }
    Run one = run(args);
    CAPTURE(row[0]);
    REQUIRE(one.code == 0);
    CHECK(has(one.out, "\"outcome\": \"" + res.rows[i][outcome] + "\""));
    std::string decided = res.rows[i][reasons];
    if (decided.find('|') == std::string::npos) {
      CHECK(has(one.out, "\"decided_by\": \"" + decided + "\""));
    }
    ++seen[res.rows[i][outcome]];
    (void)track;
  }
  // The example covers every outcome.
  CHECK(seen["exempt"] > 0);
  CHECK(seen["suit"] > 0);
  CHECK(seen["review"] > 0);
}

TEST_CASE("batch: a bad row is reported and every other row is screened - exit 3") {
  Scratch s;
  std::string in =
      s.write("bad.csv",
              "案件编号,地区,损害类型,损害数额,区域性生态影响,长期潜在风险,行为发生日期\n"
              "A-1,广西,水污染,2800,否,否,2025-06-01\n"
              "A-2,广西,水污染,三千元,否,否,2025-06-01\n"
              "A-3,广西,噪声,100,否,否,2025-06-01\n"
              "A-4,火星,水污染,100,否,否,2025-06-01\n"
              "A-5,广西,水污染,3500,否,否,2025-06-01\n");
  std::string out = s.path("bad.out.csv");
  std::string json = s.path("summary.json");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --summary-json " + q(json) +
              " --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 3);
  CHECK(has(r.out, "共 5 行"));
  CHECK(has(r.out, "无法读取 3"));
  CHECK(has(r.out, "第 3 行第 4 列（生态环境损害数额）"));
  CHECK(has(r.out, "'三千元'"));
  CHECK(has(r.out, "第 5 行：未知地区 '火星'"));
  Table t = read_table(out);
  REQUIRE(t.rows.size() == 5);
  int outcome = t.column("筛查结论");
  CHECK(t.rows[0][outcome] == "exempt");
  CHECK(t.rows[1][outcome] == "error");
  CHECK(t.rows[2][outcome] == "error");
  CHECK(t.rows[4][outcome] == "suit");
  std::ifstream js(json);
  std::stringstream ss;
  ss << js.rdbuf();
  CHECK(has(ss.str(), "\"rows\": 5"));
  CHECK(has(ss.str(), "\"errors\": 3"));
  CHECK(has(ss.str(), "\"row\": 3"));
}

TEST_CASE("batch: a missing required column stops the run before any row") {
  Scratch s;
  std::string in = s.write("nocol.csv", "地区,损害金额类别,损害数额\n广西,水污染,100\n");
  std::string out = s.path("nocol.out.csv");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "required field damage_type"));
  CHECK(has(r.out, "'损害金额类别'"));
  CHECK_FALSE(fs::exists(out));
  Run mapped =
      run("batch " + q(in) + " -o " + q(out) + " --map '损害金额类别=damage_type' --lang en");
  CHECK(mapped.code == 0);
  CHECK(fs::exists(out));
}

TEST_CASE("batch: the input is never overwritten and an existing output needs --force") {
  Scratch s;
  std::string in = s.write("in.csv", "地区,损害类型,损害数额\n广西,水污染,100\n");
  Run self = run("batch " + q(in) + " -o " + q(in) + " --lang en");
  CHECK(self.code == 1);
  CHECK(has(self.out, "refusing to write over the input file"));
  std::string out = s.write("exists.csv", "keep me\n");
  Run exists = run("batch " + q(in) + " -o " + q(out) + " --lang en");
  CHECK(exists.code == 1);
  CHECK(has(exists.out, "--force"));
  std::ifstream kept(out);
  std::string line;
  std::getline(kept, line);
  CHECK(line == "keep me");
  Run forced = run("batch " + q(in) + " -o " + q(out) + " --force --lang en");
  CHECK(forced.code == 0);
  CHECK(read_table(out).rows.size() == 1);
}

// A large output is handed to the disk in stretches as it is written (OutputFile::write
// starts writeback every 32 MB); the file must still hold every byte, in order, and appear
// under its name only at commit.
TEST_CASE("output file: a file larger than the writeback stretch keeps every byte") {
  Scratch s;
  std::string path = s.path("large.out");
  epil::io::OutputError error;
  auto out = epil::io::OutputFile::open(path, "", false, error);
  REQUIRE(out.has_value());
  std::mt19937 rng(3);
  std::string letters(1 << 20, ' ');
  for (char& c : letters) c = static_cast<char>('a' + rng() % 26);
  std::string expected;
  bool written = true;
  while (expected.size() < (size_t{70} << 20)) {
    // Stretches of odd lengths from odd places, so that a lost or repeated one shows.
    std::string_view chunk = std::string_view(letters).substr(rng() % 1000, 1 + rng() % 100000);
    written = written && out->write(chunk);
    expected += chunk;
  }
  REQUIRE(written);
  CHECK_FALSE(fs::exists(path));
  REQUIRE(out->commit(error));
  CHECK(fs::file_size(path) == expected.size());
  CHECK(read_bytes(path) == expected);
}

// The output cannot be written (a full disk): the run stops, with every thread (the reader,
// the workers) wound down, says so and fails, for each writer that encodes on the workers.
TEST_CASE("batch: an output that cannot be written stops the run with an error") {
  if (!fs::exists("/dev/full")) return;
  Scratch s;
  std::string in = s.write("in.csv", water_rows(60000));
  for (const char* to : {"csv", "jsonl"}) {
    CAPTURE(to);
    // One worker: at most 3 batches in flight, so the reader is still reading (and waits for
    // room) when the first write fails.
    Run r = run_stderr("batch " + q(in) + " --to " + to + " --threads 1 --region 广西 --lang en",
                       "/dev/full");
    CHECK(r.code == 1);
    CHECK(has(r.out, "writing the output failed"));
  }
}

// An output that is a device or a FIFO (/dev/null, /dev/stdout, a pipe someone reads) is
// written straight, without --force: renaming a temporary file over it would replace the
// device itself (as root, /dev/null). FIFOs stand in for devices here.
TEST_CASE("batch: an output that is a FIFO is written straight and stays a FIFO") {
  Scratch s;
  std::string in = s.write("in.csv",
                           "地区,损害类型,损害数额,区域性生态影响,长期潜在风险\n"
                           "广西,水污染,2800,否,否\n");
  std::string out = s.path("out.fifo"), summary = s.path("summary.fifo");
  REQUIRE(mkfifo(out.c_str(), 0600) == 0);
  REQUIRE(mkfifo(summary.c_str(), 0600) == 0);
  std::string got, got_summary;
  std::thread reader([&] { got = read_bytes(out); });
  std::thread summary_reader([&] { got_summary = read_bytes(summary); });
  Run r = run("batch " + q(in) + " -o " + q(out) + " --to csv --summary-json " + q(summary) +
              " --as-of 2026-11-28 --lang en");
  // A run that never opened a FIFO would leave its reader waiting: open it once to let go.
  for (const std::string& f : {out, summary}) {
    int fd = open(f.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) close(fd);
  }
  reader.join();
  summary_reader.join();
  CHECK(r.code == 0);
  CHECK(has(got, "exempt"));
  CHECK(has(got_summary, "\"rows\": 1"));
  struct stat st {};
  REQUIRE(stat(out.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  REQUIRE(stat(summary.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(std::distance(fs::directory_iterator(s.dir), fs::directory_iterator{}) == 3);  // no temp
}

// Memory running out (here: address space capped with ulimit -v, at two levels that stop a
// run while it sets up its threads or fills its first batches) stops the run with a message
// and exit 1, and leaves no temporary file: before, std::terminate aborted it (exit 134) and
// left its temporary file behind. Not under AddressSanitizer, which needs far more address
// space than any such cap.
TEST_CASE("batch: memory running out stops the run cleanly") {
#if defined(__SANITIZE_ADDRESS__)
  return;
#endif
  Scratch s;
  std::string in = s.write("in.csv", water_rows(20000));
  for (int kb : {60000, 90000}) {
    CAPTURE(kb);
    std::string out = s.path("out.csv");
    Run r = run_stderr("batch " + q(in) + " -o " + q(out) + " --region 广西 --lang en", "/dev/null",
                       "ulimit -v " + std::to_string(kb));
    if (r.code == 0) continue;  // this machine's run fits: nothing to see at this level
    CHECK(r.code == 1);         // not -1: no abort
    CHECK(has(r.out, "screening stopped"));
    CHECK_FALSE(fs::exists(out));
    CHECK(std::distance(fs::directory_iterator(s.dir), fs::directory_iterator{}) == 1);
  }
}

TEST_CASE("batch: a killed run leaves nothing under the output name") {
  Scratch s;
  std::string fifo = s.path("in.csv");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string out = s.path("killed.csv");
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(EPIL_BINARY, EPIL_BINARY, "batch", fifo.c_str(), "-o", out.c_str(), "--region", "广西",
          nullptr);
    _exit(127);
  }
  {
    // Enough rows for the reader to start and the first batches to be written, then a pause.
    std::ofstream w(fifo);
    w << water_rows(20000);
    w.flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("batch: a GB18030 CSV from Chinese Excel reads with its Chinese intact") {
  Scratch s;
  std::string utf8 =
      "案件编号,地区,损害类型,损害数额,区域性生态影响,长期潜在风险,行为发生日期,备注\r\n"
      "桂-1,广西,水污染,2800,否,否,2025年6月1日,电镀厂偷排含镍废水\r\n";
  std::string in = s.write("utf8.csv", utf8);
  std::string gb = s.path("gb.csv");
  REQUIRE(std::system(("iconv -f UTF-8 -t GB18030 " + q(in) + " > " + q(gb)).c_str()) == 0);
  std::string out = s.path("gb.out.csv");
  Run r = run("batch " + q(gb) + " -o " + q(out) + " --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 0);
  std::ifstream f(out, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);  // UTF-8 with a BOM, so that Excel shows Chinese
  CHECK(has(text, "电镀厂偷排含镍废水"));
  CHECK(has(text, "显著轻微"));
  Run no_bom = run("batch " + q(gb) + " -o " + q(s.path("nobom.csv")) + " --no-bom --lang zh");
  std::ifstream f2(s.path("nobom.csv"), std::ios::binary);
  char first = 0;
  f2.get(first);
  CHECK(first == '\xE6');  // 案 in UTF-8, no BOM
}

TEST_CASE("batch: xlsx output has the results sheet and a summary sheet") {
  Scratch s;
  std::string out = s.path("out.xlsx");
  Run r = run("batch " + q(kCases) + " -o " + q(out) + " --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 0);
  std::optional<epil::io::TableError> error;
  auto results = epil::io::open_xlsx(out, "", error);
  REQUIRE(results != nullptr);
  CHECK(results->header()[0] == "案件编号");
  std::vector<std::string_view> cells;
  REQUIRE(results->next(cells));
  CHECK(cells[0] == "桂-001");
  CHECK(cells[3] == "2800");
  auto summary = epil::io::open_xlsx(out, "汇总", error);
  REQUIRE(summary != nullptr);
  CHECK(has(summary->header()[0], "筛查汇总"));
  REQUIRE(summary->next(cells));
  CHECK(has(std::string(cells[0]), "共 14 行"));
}

TEST_CASE("batch: JSON Lines out and back in give the same outcomes as CSV") {
  Scratch s;
  std::string csv = s.path("out.csv"), jsonl = s.path("out.jsonl"), again = s.path("again.csv");
  Run a = run("batch '" + kCases + "' -o " + csv + " --as-of 2026-11-28 --lang en");
  Run b = run("batch '" + kCases + "' -o " + jsonl + " --as-of 2026-11-28 --lang en");
  REQUIRE(a.code == b.code);
  // One object per input row, outcome under its machine key.
  std::ifstream in(jsonl);
  std::vector<std::string> outcomes;
  for (std::string line; std::getline(in, line);) {
    REQUIRE(line.front() == '{');
    REQUIRE(line.back() == '}');
    auto at = line.find("\"outcome\":\"");
    REQUIRE(at != std::string::npos);
    at += 11;
    outcomes.push_back(line.substr(at, line.find('"', at) - at));
  }
  std::string csv_text = read_bytes(csv);
  for (const auto& o : outcomes) CHECK(has(csv_text, "," + o + ","));
  CHECK(outcomes.size() == 14);
  // Read back: the JSON Lines file is an input like any other.
  Run c = run("batch " + jsonl + " -o " + again + " --as-of 2026-11-28 --lang en");
  CHECK(c.code == a.code);
  CHECK(has(c.out, "14 rows"));
}

TEST_CASE("batch: thresholds and margin come from the tests the decision used") {
  Scratch s;
  std::string in = s.write("used.csv",
                           "地区,损害类型,损害数额,区域性生态影响,长期潜在风险,特殊保护区域\n"
                           "广西,水污染,2800,否,否,无\n"
                           "广西,水污染,2800,否,否,饮用水水源保护区\n");
  std::string out = s.path("used.out.csv");
  Run r = run("batch " + in + " -o " + out + " --as-of 2026-11-28 --lang en --no-bom");
  REQUIRE(r.code == 0);
  std::ifstream f(out);
  std::string header, exempt, suit;
  std::getline(f, header);
  std::getline(f, exempt);
  std::getline(f, suit);
  // The exempt row compared the amount with the 3,000 元 limit: 200 元 under.
  CHECK(has(exempt, "minor-damage amount limit[water pollution] 3,000 元"));
  CHECK(has(exempt, ",-200,"));
  // The protected area decided the other row; the amount limit was never applied to it.
  CHECK(has(suit, ",protected_area,"));
  CHECK_FALSE(has(suit, "minor-damage amount limit"));
  CHECK_FALSE(has(suit, "-200"));
}

TEST_CASE("batch: a broken JSON Lines file stops with its line and byte and leaves no output") {
  Scratch s;
  std::string in = s.write("bad.jsonl",
                           "{\"地区\":\"广西\",\"损害类型\":\"水污染\",\"损害数额\":2800}\n"
                           "{\"地区\":\"广西\",损害类型:1}\n");
  std::string out = s.path("bad.out.csv");
  Run r = run("batch " + in + " -o " + out + " --as-of 2026-11-28 --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "bad.jsonl:2:"));
  CHECK(has(r.out, "line 2, byte 20: expected a key in double quotes"));
  CHECK_FALSE(std::filesystem::exists(out));
}

namespace {

// A CSV of `rows` rows recombined from an example file: each cell is drawn from the values
// its column takes in the example (blanks included), or, a third of the time in a column of
// amounts or dates, a new amount or date. Many rows share their facts but not their numbers.
std::string recombined(const Table& t, int rows, uint32_t seed) {
  std::mt19937 rng(seed);
  auto is_number = [](const std::string& v) {
    return !v.empty() && v.find_first_not_of("0123456789.") == std::string::npos;
  };
  auto is_date = [](const std::string& v) { return v.size() == 10 && v[4] == '-' && v[7] == '-'; };
  auto csv = [](const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out;
  for (size_t c = 0; c < t.header.size(); ++c) {
    if (c) out += ',';
    out += csv(t.header[c]);
  }
  out += "\r\n";
  for (int r = 0; r < rows; ++r) {
    for (size_t c = 0; c < t.header.size(); ++c) {
      std::string v = t.rows[rng() % t.rows.size()][c];
      if (rng() % 3 == 0 && is_number(v)) {
        v = std::to_string(rng() % 2000000 / (1 + rng() % 100));
      } else if (rng() % 3 == 0 && is_date(v)) {
        epil::Date d = epil::Date::from_days(static_cast<int32_t>(18000 + rng() % 3300));
        v = d.iso();
      }
      if (c) out += ',';
      out += csv(v);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace

// Rows of one shape share one evaluation and one set of texts (core/shape_index.h); the
// output must be byte for byte what evaluating every row on its own gives, in CSV and JSON
// Lines, for both rulesets.
TEST_CASE("batch: reusing the decision of a row of the same shape changes no byte") {
  Scratch s;
  struct Source {
    std::string ruleset, example;
  };
  for (const Source& src :
       {Source{"epil", kCases},
        Source{"credit", std::string(EPIL_SOURCE_DIR) + "/examples/debtors.csv"}}) {
    CAPTURE(src.ruleset);
    std::string in = s.write(src.ruleset + ".csv", recombined(read_table(src.example), 4000, 11));
    for (const char* ext : {"csv", "jsonl"}) {
      CAPTURE(ext);
      std::string base = s.path(src.ruleset + "-out");
      std::string common = "batch --ruleset " + src.ruleset + " " + q(in) +
                           " --as-of 2026-11-28 --lang en --threads 2 --force";
      Run reused =
          run(common + " -o " + q(base + "1." + ext) + " --summary-json " + q(base + "1.json"));
      Run each = run(common + " --evaluate-each-row -o " + q(base + "2." + ext) +
                     " --summary-json " + q(base + "2.json"));
      REQUIRE(reused.code == each.code);
      REQUIRE((reused.code == 0 || reused.code == 3));
      std::string x = read_bytes(base + "1." + ext), y = read_bytes(base + "2." + ext);
      CHECK(x.size() > 4000 * 100);
      CHECK(x == y);
      // Reuse happened (most rows took a decision), and not with --evaluate-each-row.
      // (Unreadable rows are never evaluated.)
      CHECK(rows_evaluated(base + "2.json") > 3000);
      CHECK(rows_evaluated(base + "1.json") * 2 < rows_evaluated(base + "2.json"));
    }
  }
}

// The same on a ruleset that exercises every operation of the rule language
// (tests/data/shapes): texts and in lists, division by zero, if() over amounts, dates and
// texts, working days beyond the calendars, min, abs, negation, days between, an indexed
// parameter's set(), a review-date output, results, advisories quoting fields, and seven
// epochs under 从旧兼从轻, with cells on and either side of every threshold and date.
TEST_CASE("batch: shape reuse changes no byte on a ruleset using every operation") {
  Scratch s;
  std::mt19937 rng(20261128);
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng() % xs.size()]);
  };
  // Dates on or a day either side of a `since`, a few others, or none.
  auto any_date = [&]() -> std::string {
    return pick(
        {"2015-12-31", "2020-01-01", "2022-12-31", "2023-01-01", "2024-05-01", "2026-10-09", ""});
  };
  // A few dozen cases; each row is one of them with its amount moved by 0, 1 or 2 (which
  // crosses a threshold now and then and changes the margins and quoted values every time),
  // and a count of 0 now and then.
  struct Base {
    std::string cdate, rdate, name, s2, kind, amt, cnt, flag, d2;
  };
  std::vector<Base> bases;
  for (int i = 0; i < 40; ++i) {
    bases.push_back(
        {any_date(), rng() % 4 == 0 ? any_date() : "", pick({"foo", "bar", "baz", "zz", ""}),
         pick({"foo", "zz", "qq", ""}), pick({"a", "b", "c", ""}),
         pick({"0", "1", "3", "7", "999", "1000", "1499", "1500", "1999", "2000", "3000", "4001",
               ""}),
         pick({"0", "1", "2", "5", "6", "40", ""}), pick({"是", "否", ""}), any_date()});
  }
  // The same rows twice: with every column, and without rdate, kind and flag, whose fields
  // then keep one value on every row (the shape index leaves their steps out of its paths).
  std::string csv = "cdate,rdate,name,s2,kind,amt,cnt,flag,d2\r\n";
  std::string fewer = "cdate,name,s2,amt,cnt,d2\r\n";
  for (int r = 0; r < 20000; ++r) {
    const Base& c = bases[rng() % bases.size()];
    std::string amt = c.amt.empty() ? "" : std::to_string(std::stol(c.amt) + rng() % 3);
    std::string cnt = c.cnt.empty() || rng() % 4 ? c.cnt : "0";  // now and then a division by 0
    csv += c.cdate + "," + c.rdate + "," + c.name + "," + c.s2 + "," + c.kind + "," + amt + "," +
           cnt + "," + c.flag + "," + c.d2 + "\r\n";
    fewer += c.cdate + "," + c.name + "," + c.s2 + "," + amt + "," + cnt + "," + c.d2 + "\r\n";
  }
  const std::string all_columns = s.write("shapes.csv", csv);
  const std::string some_columns = s.write("fewer.csv", fewer);
  const std::string config = std::string(EPIL_SOURCE_DIR) + "/tests/data/shapes";
  struct Variant {
    const char* options;
    const char* ext;
  };
  for (const std::string& in : {all_columns, some_columns})
    for (const Variant& v : {Variant{"--threads 2", "csv"}, Variant{"--threads 1 --strict", "csv"},
                             Variant{"--threads 2 --lang zh", "jsonl"}}) {
      CAPTURE(in);
      CAPTURE(v.options);
      std::string common = "--config " + q(config) + " batch --ruleset shapes " + q(in) +
                           " --as-of 2025-06-01 --force " + v.options;
      std::string a = s.path(std::string("reused.") + v.ext);
      std::string b = s.path(std::string("each.") + v.ext);
      Run reused = run(common + " -o " + q(a) + " --summary-json " + q(a + ".json"));
      Run each = run(common + " --evaluate-each-row -o " + q(b));
      REQUIRE(reused.code == each.code);
      REQUIRE((reused.code == 0 || reused.code == 3));
      std::string x = read_bytes(a), y = read_bytes(b);
      CHECK(x.size() > 20000 * 50);
      CHECK(x == y);
      CHECK(rows_evaluated(a + ".json") < 10000);  // shapes were reused
    }
}

// A row whose cells the reader found one after another, joined by the output's delimiter, is
// copied through as read; every other row is encoded cell by cell. Both must give the same
// bytes: the same cells written unquoted where a spreadsheet program would (mostly copied
// through), all quoted (never copied through), and with another delimiter (never) screen to
// one output, whatever the cells hold (a quote or a lone CR inside an unquoted cell, the
// other delimiter, short and long rows).
TEST_CASE("batch: rows copied through as read give the bytes of rows encoded cell by cell") {
  Scratch s;
  Table t = read_table(kCases);
  const std::vector<std::string> remarks = {"plain",          "",     "a\"b",        "with,comma",
                                            "with;semicolon", "x\ry", "line\nbreak", "尾部 ",
                                            "\"quoted\""};
  auto write = [&](char delimiter, bool quote_all) {
    auto cell = [&](const std::string& v) {
      bool must = v.find(delimiter) != std::string::npos || v.find('\n') != std::string::npos ||
                  (!v.empty() && v.front() == '"');
      if (!must && !quote_all) return v;
      std::string out = "\"";
      for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      return out + "\"";
    };
    std::string text;
    auto line = [&](std::vector<std::string> cells) {
      for (size_t i = 0; i < cells.size(); ++i)
        text += (i ? std::string(1, delimiter) : "") + cell(cells[i]);
      text += "\r\n";
    };
    line(t.header);
    for (int copy = 0; copy < 40; ++copy) {
      for (size_t r = 0; r < t.rows.size(); ++r) {
        std::vector<std::string> row = t.rows[r];
        row.back() = remarks[(copy + r) % remarks.size()];
        if (copy % 7 == 3) row.pop_back();                       // short: the remark missing
        if (copy % 7 == 5) row.push_back("extra");               // long: a cell beyond the header
        if (copy == 6 && r == 0) row.resize(row.size() + 5000);  // 5,000 empty cells more
        line(row);
      }
    }
    return text;
  };
  std::string outputs[3];
  const std::pair<char, bool> variants[3] = {{',', false}, {',', true}, {';', false}};
  for (int v = 0; v < 3; ++v) {
    CAPTURE(v);
    std::string in =
        s.write("in" + std::to_string(v) + ".csv", write(variants[v].first, variants[v].second));
    std::string out = s.path("out" + std::to_string(v) + ".csv");
    Run r = run("batch " + q(in) + " -o " + q(out) +
                " --as-of 2026-11-28 --lang en --threads 2 --force --delimiter '" +
                std::string(1, variants[v].first) + "'");
    REQUIRE((r.code == 0 || r.code == 3));
    outputs[v] = read_bytes(out);
  }
  CHECK(outputs[0].size() > 40 * t.rows.size() * 100);
  CHECK(outputs[0].find("\"a\"\"b\"") != std::string::npos);  // quoted on the way out
  CHECK(outputs[0].find("\"x\ry\"") != std::string::npos);
  CHECK(outputs[0] == outputs[1]);
  CHECK(outputs[0] == outputs[2]);
}
