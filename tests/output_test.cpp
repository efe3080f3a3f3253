// Output files and standard output: nothing lost, nothing overwritten that was not meant to be,
// nothing left behind. io/output_file.h in-process; then the epil executable on full disks
// (/dev/full), under signals, and after a kill -9.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.h"
#include "core/config.h"
#include "io/output_file.h"
#include "io/xlsx_writer.h"
#include "xlsx_xml.h"

namespace fs = std::filesystem;

namespace {

using epil::io::OutputError;
using epil::io::OutputFile;
using epil::testing::has;
using epil::testing::read_bytes;
using epil::testing::run;
using epil::testing::Run;
using epil::testing::run_stderr;
using epil::testing::Scratch;

using epil::testing::q;

// The names in `dir`, hidden ones included.
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

bool has_temporary(const fs::path& dir) {
  for (const std::string& n : names_in(dir)) {
    if (n[0] == '.' && has(n, ".epil-")) return true;
  }
  return false;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A PID no process has: a child that has exited and been waited for.
pid_t dead_pid() {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

const std::string kHeader = "地区,损害类型,损害数额,区域性生态影响,长期潜在风险\n";

}  // namespace

// --- OutputFile ------------------------------------------------------------------------------

// Two runs writing the same output: without --force the later one must not replace what the
// earlier one (or anyone) put there while it was writing.
TEST_CASE("output file: a file that appears while writing is kept, the results are refused") {
  Scratch s;
  std::string path = s.path("r.csv");
  OutputError error;
  auto out = OutputFile::open(path, "", false, error);
  REQUIRE(out.has_value());
  REQUIRE(out->write("our results\n"));
  s.write("r.csv", "someone else's\n");
  CHECK_FALSE(out->commit(error));
  CHECK(has(error.message, "r.csv: a file of this name appeared while epil was writing"));
  CHECK(has(error.message, "--force"));
  CHECK(has(error.message_zh, "写入期间出现了同名文件"));
  CHECK(read_bytes(path) == "someone else's\n");
  CHECK(names_in(s.dir) == std::vector<std::string>{"r.csv"});  // no temporary file left

  // With --force (replace), the later run replaces it: that is what --force asks.
  auto forced = OutputFile::open(path, "", true, error);
  REQUIRE(forced.has_value());
  REQUIRE(forced->write("ours\n"));
  REQUIRE(forced->commit(error));
  CHECK(read_bytes(path) == "ours\n");
}

TEST_CASE(
    "output file: a replacement keeps the mode of the file it replaces; a new one the umask") {
  Scratch s;
  std::string secret = s.write("secret.csv", "old\n");
  REQUIRE(::chmod(secret.c_str(), 0600) == 0);
  OutputError error;
  auto out = OutputFile::open(secret, "", true, error);
  REQUIRE(out.has_value());
  REQUIRE(out->write("new\n"));
  REQUIRE(out->commit(error));
  CHECK(read_bytes(secret) == "new\n");
  CHECK(mode_of(secret) == 0600);

  mode_t old_mask = ::umask(027);
  auto fresh = OutputFile::open(s.path("fresh.csv"), "", false, error);
  REQUIRE(fresh.has_value());
  REQUIRE(fresh->commit(error));
  ::umask(old_mask);
  CHECK(mode_of(s.path("fresh.csv")) == 0640);
}

// A symbolic link is written through: the file it points to is replaced, the link stays.
TEST_CASE("output file: a symbolic link stays a link and its target gets the results") {
  Scratch s;
  fs::create_directories(s.dir / "real");
  std::string target = s.write("real/target.csv", "old\n");
  REQUIRE(::chmod(target.c_str(), 0640) == 0);
  fs::create_symlink("real/target.csv", s.dir / "link.csv");
  OutputError error;
  auto exists = OutputFile::open(s.path("link.csv"), "", false, error);
  CHECK_FALSE(exists.has_value());  // it leads to a file: --force, as for the file itself
  CHECK(has(error.message, "--force"));
  auto out = OutputFile::open(s.path("link.csv"), "", true, error);
  REQUIRE(out.has_value());
  CHECK(fs::path(out->temp_path()).parent_path() == s.dir / "real");  // beside the target
  REQUIRE(out->write("new\n"));
  REQUIRE(out->commit(error));
  CHECK(fs::is_symlink(s.dir / "link.csv"));
  CHECK(fs::read_symlink(s.dir / "link.csv") == "real/target.csv");
  CHECK(read_bytes(target) == "new\n");
  CHECK(mode_of(target) == 0640);
  CHECK_FALSE(has_temporary(s.dir / "real"));

  fs::create_symlink("real/nowhere.csv", s.dir / "dangling.csv");
  CHECK_FALSE(OutputFile::open(s.path("dangling.csv"), "", true, error).has_value());
  CHECK(has(error.message, "symbolic link to a file that does not exist"));
  CHECK(fs::is_symlink(s.dir / "dangling.csv"));
}

TEST_CASE("output file: a write that fails names the output and the system's reason") {
  if (!fs::exists("/dev/full")) return;
  OutputError error;
  auto out = OutputFile::open("/dev/full", "", false, error);
  REQUIRE(out.has_value());
  std::string block(1 << 16, 'x');  // more than stdio buffers: the write itself fails
  CHECK_FALSE(out->write(block));
  REQUIRE(out->failure().has_value());
  CHECK(out->failure()->message == "/dev/full: writing the output failed: No space left on device");
  CHECK(out->failure()->message_zh == "/dev/full：写入输出失败：No space left on device");
  CHECK_FALSE(out->commit(error));
  CHECK(error.message == out->failure()->message);
  CHECK(epil::io::write_error("-", ENOSPC).message ==
        "standard output: writing the output failed: No space left on device");
}

TEST_CASE("output file: the temporary name holds the PID; stale ones of dead runs are removed") {
  Scratch s;
  OutputError error;
  auto out = OutputFile::open(s.path("r.csv"), "", false, error);
  REQUIRE(out.has_value());
  std::string name = fs::path(out->temp_path()).filename().string();
  std::string prefix = ".r.csv.epil-" + std::to_string(::getpid()) + "-";
  CHECK(name.rfind(prefix, 0) == 0);
  CHECK(name.size() == prefix.size() + 6);

  std::string dead = std::to_string(dead_pid());
  std::string live = std::to_string(::getpid());
  s.write(".a.csv.epil-" + dead + "-Ab3dEf", "stale");
  s.write(".a.csv.epil-" + live + "-Ab3dEf", "a live run's");
  s.write(".a.csv.epil-Ab3dEf", "an older epil's name, without a PID");
  s.write(".a.csv.epil-" + dead + "-Ab3dEf.bak", "not our pattern");
  s.write("a.csv.epil-" + dead + "-Ab3dEf", "not hidden: not ours");
  fs::create_directories(s.dir / (".d.epil-" + dead + "-Ab3dEf"));  // not a regular file
  CHECK(epil::io::remove_stale_temporaries(s.dir.string()) == 1);
  CHECK_FALSE(fs::exists(s.dir / (".a.csv.epil-" + dead + "-Ab3dEf")));
  CHECK(names_in(s.dir).size() == 6);  // the five others and our own open temporary file
  CHECK(fs::exists(out->temp_path()));
}

TEST_CASE("same_file: the same file by inode, or by path once resolved; devices never") {
  Scratch s;
  std::string a = s.path("a.csv");
  CHECK(epil::io::same_file(a, (s.dir / "." / "a.csv").string()));  // neither exists yet
  CHECK(epil::io::same_file(a, (s.dir / "sub" / ".." / "a.csv").string()));
  CHECK_FALSE(epil::io::same_file(a, s.path("b.csv")));
  s.write("a.csv", "x");
  fs::create_symlink("a.csv", s.dir / "l.csv");
  CHECK(epil::io::same_file(a, s.path("l.csv")));
  CHECK(epil::io::same_file("-", ""));
  CHECK_FALSE(epil::io::same_file("-", a));
  CHECK_FALSE(epil::io::same_file("/dev/null", "/dev/null"));  // written straight, twice harmless
}

// --- XLSX limits -----------------------------------------------------------------------------

// The rows of a sheet (1,048,576 with the header) are not known before a streamed run: the
// writer stops at the first row past them, saying so; here with a limit of 3 rows.
TEST_CASE("xlsx writer: the first row past the sheet's limit stops it with the reason") {
  Scratch s;
  epil::Config config = epil::Config::embedded("epil");
  const epil::Ruleset* rs = config.ruleset("epil");
  REQUIRE(rs != nullptr);
  OutputError error;
  auto out = OutputFile::open(s.path("r.xlsx"), "", false, error);
  REQUIRE(out.has_value());
  epil::io::XlsxLimits limits;
  limits.rows = 3;
  limits.columns = 4;
  {
    auto writer = epil::io::make_xlsx_writer(*out, epil::Lang::kEn, *rs, config, limits);
    REQUIRE(writer != nullptr);
    CHECK_FALSE(writer->header({"a", "b", "c", "d", "e"}));
    CHECK(has(out->failure()->message, "r.xlsx: the results have 5 columns"));
    CHECK(has(out->failure()->message, "an XLSX sheet holds at most 4"));
  }
  auto out2 = OutputFile::open(s.path("r2.xlsx"), "", false, error);
  REQUIRE(out2.has_value());
  auto writer = epil::io::make_xlsx_writer(*out2, epil::Lang::kZh, *rs, config, limits);
  REQUIRE(writer->header({"a", "b"}));
  std::vector<std::string_view> row = {"1", "2"};
  CHECK(writer->row(row, 2, "exempt"));
  CHECK(writer->row(row, 2, "exempt"));
  CHECK_FALSE(writer->row(row, 2, "exempt"));
  REQUIRE(out2->failure().has_value());
  CHECK(has(out2->failure()->message, "row 4 of the results is past the 3 rows an XLSX sheet"));
  CHECK(has(out2->failure()->message_zh, "结果第 4 行超出 XLSX 工作表最多 3 行"));
  CHECK_FALSE(out2->commit(error));
  CHECK_FALSE(fs::exists(s.path("r2.xlsx")));
}

TEST_CASE("batch: a sheet too wide for XLSX is refused before the run, naming the limit") {
  Scratch s;
  std::string header = "地区,损害类型,损害数额";
  for (int c = 0; c < 16380; ++c) header += ",c" + std::to_string(c);
  std::string in = s.write("wide.csv", header + "\n广西,水污染,2800\n");
  std::string out = s.path("wide.xlsx");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --lang en");
  CHECK(r.code == 1);
  CHECK(has(r.out, "wide.xlsx: the results have "));
  CHECK(has(r.out, "an XLSX sheet holds at most 16384: write CSV or JSON Lines instead"));
  CHECK(names_in(s.dir) == std::vector<std::string>{"wide.csv"});
  Run csv = run("batch " + q(in) + " -o " + q(s.path("wide.csv.out")) + " --to csv --lang en");
  CHECK(csv.code == 0);
}

// --- The executable: --summary-json, full disks, signals, stale files ------------------------

TEST_CASE("batch: --summary-json may not destroy the results, the input or an existing file") {
  Scratch s;
  std::string in = s.write("in.csv", kHeader + "广西,水污染,2800,否,否\n");
  std::string out = s.path("r.csv");
  Run same = run("batch " + q(in) + " -o " + q(out) + " --summary-json " +
                 q((s.dir / "." / "r.csv").string()) + " --lang en");
  CHECK(same.code == 1);
  CHECK(has(same.out, "the same file as the output (-o)"));
  CHECK_FALSE(fs::exists(out));

  Run input = run("batch " + q(in) + " -o " + q(out) + " --summary-json " + q(in) + " --lang en");
  CHECK(input.code == 1);
  CHECK(has(input.out, "refusing to write over the input file"));
  CHECK(read_bytes(in) == kHeader + "广西,水污染,2800,否,否\n");
  CHECK_FALSE(fs::exists(out));  // refused before the run

  std::string summary = s.write("summary.json", "keep me\n");
  Run exists =
      run("batch " + q(in) + " -o " + q(out) + " --summary-json " + q(summary) + " --lang en");
  CHECK(exists.code == 1);
  CHECK(has(exists.out, "summary.json: the file exists; add --force to replace it"));
  CHECK(read_bytes(summary) == "keep me\n");
  CHECK_FALSE(fs::exists(out));

  Run forced = run("batch " + q(in) + " -o " + q(out) + " --summary-json " + q(summary) +
                   " --force --lang en");
  CHECK(forced.code == 0);
  CHECK(has(read_bytes(summary), "\"rows\": 1"));
  CHECK(has(read_bytes(out), "exempt"));
}

// `epil … > /dev/full` used to exit 0 with nothing written: the check at exit flushed nothing
// it could report. Every command now fails (exit 1) and says why.
TEST_CASE("every command fails with the reason when standard output cannot be written") {
  if (!fs::exists("/dev/full")) return;
  Scratch s;
  std::string in = s.write("in.csv", kHeader + "广西,水污染,2800,否,否\n");
  for (const std::string& args :
       {std::string("screen --region 广西 --type 水污染 --amount 2800 --as-of 2026-11-28"),
        std::string("credit grade --debtor 公司 --as-of 2026-11-28"), std::string("regions list"),
        std::string("regions show 广西 --date 2026-01-01"),
        std::string("regions check --as-of 2026-11-28"), std::string("test --as-of 2026-11-28"),
        "batch " + q(in) + " --as-of 2026-11-28", "batch " + q(in) + " -o - --to jsonl"}) {
    CAPTURE(args);
    Run r = run_stderr(args + " --lang en", "/dev/full");
    CHECK(r.code == 1);
    CHECK(has(r.out, "standard output: writing the output failed: No space left on device"));
    CHECK(r.out.find("standard output") == r.out.rfind("standard output"));  // said once
  }
  Run zh = run_stderr("regions list --lang zh", "/dev/full");
  CHECK(has(zh.out, "标准输出：写入输出失败：No space left on device"));
}

TEST_CASE("batch: a full disk names the output and the reason, for every output format") {
  if (!fs::exists("/dev/full")) return;
  Scratch s;
  std::string in = s.write("in.csv", kHeader + "广西,水污染,2800,否,否\n");
  for (const char* to : {"csv", "jsonl", "xlsx"}) {
    CAPTURE(to);
    Run r = run("batch " + q(in) + " -o /dev/full --to " + to + " --lang en");
    CHECK(r.code == 1);
    CHECK(has(r.out, "/dev/full: writing the output failed: "));
    CHECK(has(r.out, "No space left on device"));
  }
}

namespace {

// Runs `epil batch` on rows fed through a FIFO that stays open, so that the run is under way
// (its temporary file made, rows written) when `sig` comes. Returns the wait status.
int signal_batch_while_running(const Scratch& s, const std::string& out, const char* to, int sig) {
  std::string fifo = s.path("in.csv");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    for (int x : {SIGINT, SIGTERM, SIGHUP}) signal(x, SIG_DFL);  // not inherited as ignored
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(EPIL_BINARY, EPIL_BINARY, "batch", fifo.c_str(), "-o", out.c_str(), "--to", to,
          "--region", "广西", "--lang", "en", nullptr);
    _exit(127);
  }
  int fd = open(fifo.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  // More than the reader's first buffer (1 MB), so that it has opened the output and is
  // screening; the FIFO stays open, so that it then waits for more.
  std::string rows = kHeader;
  for (int i = 0; rows.size() < (size_t{3} << 20); ++i) {
    rows += "广西,水污染," + std::to_string(i % 5000) + ",否,否\n";
  }
  void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);  // a run that died early: EPIPE, no kill
  for (size_t done = 0; done < rows.size();) {
    ssize_t n = write(fd, rows.data() + done, rows.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  signal(SIGPIPE, old_pipe);
  for (int tries = 0; tries < 1000 && !has_temporary(s.dir); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(has_temporary(s.dir));  // the run was writing
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fd);
  fs::remove(fifo);
  return status;
}

}  // namespace

// SIGINT (Ctrl-C), SIGTERM (kill, a scheduler) and SIGHUP (a closed terminal) used to leave
// the hidden temporary file behind, up to the size of the output. Now it goes, and the run
// still ends by the signal, as the shell and a scheduler expect.
TEST_CASE("batch: a run stopped by SIGINT, SIGTERM or SIGHUP leaves no temporary file") {
  Scratch s;
  for (auto [sig, to] : {std::pair{SIGTERM, "xlsx"}, {SIGINT, "csv"}, {SIGHUP, "jsonl"}}) {
    CAPTURE(sig);
    std::string out = s.path(std::string("r.") + to);
    int status = signal_batch_while_running(s, out, to, sig);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK_FALSE(fs::exists(out));
    CHECK(names_in(s.dir).empty());
  }
}

// After a kill -9 nothing can clean up; the next run into the directory removes what such a
// run left, and only that: a file of a run still alive stays.
TEST_CASE("batch: the next run removes the temporary files of dead runs, and only those") {
  Scratch s;
  std::string in = s.write("in.csv", kHeader + "广西,水污染,2800,否,否\n");
  std::string dead = s.write(".r.csv.epil-" + std::to_string(dead_pid()) + "-x1Y2z3", "stale");
  std::string live = s.write(".r.csv.epil-" + std::to_string(::getpid()) + "-x1Y2z3", "running");
  Run r = run("batch " + q(in) + " -o " + q(s.path("r.csv")) + " --lang en");
  CHECK(r.code == 0);
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(live));
  CHECK(fs::exists(s.path("r.csv")));
}

// Standard output now goes through an OutputFile (to keep the reason of a failed write):
// a message on standard error must still come after the results printed before it.
TEST_CASE("results on standard output and messages on standard error keep their order") {
  Scratch s;
  std::string failing = s.write("a.test.yaml",
                                "region: guangxi\ncases:\n"
                                "  - name: wrong on purpose\n    as_of: 2026-11-28\n    input:\n"
                                "      conduct_date: 2025-06-01\n      damage_type: 水污染\n"
                                "      damage_amount: 3500\n      regional_impact: 否\n"
                                "      persistent_risk: 否\n"
                                "    expect:\n      outcome: exempt\n");
  std::string broken = s.write("b.test.yaml", "region: [unclosed\n");
  Run r = run("test " + q(failing) + " " + q(broken) + " --lang en");
  CHECK(r.code == 1);
  size_t fail = r.out.find("FAIL "), error = r.out.find("b.test.yaml:2:1: error");
  REQUIRE(fail != std::string::npos);
  REQUIRE(error != std::string::npos);
  CHECK(fail < error);
}

TEST_CASE(
    "batch --columns: a preset or keys choose the appended columns, in CSV, JSON Lines and XLSX") {
  Scratch s;
  const std::string in =
      s.write("in.csv", kHeader + "广西,水污染,2800,否,否\n广西,水污染,3500,否,否\n");
  Run csv = run("batch " + q(in) + " --columns minimal --no-bom --as-of 2026-11-28 --lang zh");
  REQUIRE(csv.code == 0);
  CHECK(has(
      csv.out,
      "地区,损害类型,损害数额,区域性生态影响,长期潜在风险,筛查结论,结论说明,理由代码,"
      "缺少的事实\r\n广西,水污染,2800,否,否,exempt,显著轻微（可不起诉/不启动索赔）,minor,\r\n"));
  CHECK_FALSE(has(csv.out, "配置指纹"));
  Run keys = run("batch " + q(in) + " --columns 'missing, outcome' --to jsonl --as-of 2026-11-28");
  REQUIRE(keys.code == 0);
  // In the order named.
  CHECK(has(keys.out, "\"长期潜在风险\":\"否\",\"missing\":null,\"outcome\":\"exempt\"}"));
  CHECK_FALSE(has(keys.out, "fingerprint"));
  const std::string xlsx = s.path("out.xlsx");
  Run x = run("batch " + q(in) + " --columns minimal -o " + q(xlsx) + " --as-of 2026-11-28");
  REQUIRE(x.code == 0);
  const std::string sheet = epil::testing::zip_member(xlsx, "xl/worksheets/sheet1.xml");
  CHECK(has(sheet, "<dimension ref=\"A1:I3\"/>"));
  Run bad = run("batch " + q(in) + " --columns outcome,bogus --lang zh");
  CHECK(bad.code == 1);
  CHECK(has(bad.out, "--columns：没有名为 'bogus' 的列（可选：outcome, outcome_label"));
  CHECK(has(bad.out, "预设：minimal"));
}

TEST_CASE("batch summary: each count adds up to the rows in the file, saying where the rest went") {
  // Reported: 按地区 totalled 175 against 173 rows screened and 200 in the file.
  Scratch s;
  const std::string in = s.write("in.csv", kHeader +
                                               "广西,水污染,2800,否,否\n,水污染,3500,否,否\n"
                                               "火星,水污染,3500,否,否\n广西,水污染,abc,否,否\n"
                                               "陕西,,100,否,否\n");
  Run zh = run("batch " + q(in) + " -o " + q(s.path("out.csv")) + " --as-of 2026-11-28 --lang zh");
  CHECK(has(zh.out, "共 5 行"));
  CHECK(has(
      zh.out,
      "按地区：广西壮族自治区 2，陕西省 1，地区未填写或无法识别（这些行无法读取） 2；合计 5 行"));
  CHECK(has(zh.out, "按损害类型：水污染 4，未填写或无法识别 1；合计 5 行"));
  Run en = run("batch " + q(in) + " -o " + q(s.path("out2.csv")) + " --as-of 2026-11-28 --lang en");
  CHECK(has(en.out, "by damage type: water pollution 4, not given or not known 1; total 5 rows"));
}

TEST_CASE(
    "batch: an office ledger's header is found below its title; totals rows pass unscreened") {
  // Reported: a ledger with a title row failed at once ("no column holds the required field
  // damage_type; nearest headers: '2025年度…台账…'"), and no option named the header row.
  Scratch s;
  const std::string in = s.write("ledger.csv",
                                 "2025年度生态环境损害案件台账（XX市人民检察院）,,,,,,\n"
                                 ",,,,,,\n"
                                 "序号,案件编号,地区,损害类型,损害情况,,长期潜在风险\n"
                                 ",,,,损害数额,鉴定评估费用,\n"
                                 "1,A-1,广西,水污染,2800,1000,否\n"
                                 "2,A-2,广西,水污染,2500,,否\n"
                                 "合计,,,,5300,1000,\n"
                                 "填表人：张三,,,,,,\n");
  const std::string out = s.path("out.csv");
  Run r = run("batch " + q(in) + " -o " + q(out) + " --no-bom --as-of 2026-11-28 --lang zh");
  CHECK(r.code == 0);
  const std::string text = read_bytes(out);
  // The title and the group header above the header, which takes the merged cells' text.
  CHECK(
      text.starts_with("2025年度生态环境损害案件台账（XX市人民检察院）,,,,,,\r\n,,,,,,\r\n"
                       "序号,案件编号,地区,损害类型,损害情况,,长期潜在风险\r\n"
                       "序号,案件编号,地区,损害类型,损害数额,鉴定评估费用,长期潜在风险,筛查结论,"));
  CHECK(has(text, "\r\n合计,,,,5300,1000,,,非案件行（合计、签署等），未筛查,"));
  CHECK(has(text, "\r\n填表人：张三,,,,,,,,非案件行（合计、签署等），未筛查,"));
  CHECK(has(r.out, "共 2 行"));
  CHECK(has(r.out, "非案件行（合计、签署等）2 行（第 7、8 行），原样保留，未筛查"));
  CHECK_FALSE(has(r.out, "无法读取"));
  // --header-row names it; a row that is no header is refused as before, naming that row's
  // headers; a row past the file's end is an error.
  Run forced = run("batch " + q(in) + " --header-row 4 -o " + q(s.path("f.csv")) +
                   " --as-of 2026-11-28 --lang en");
  CHECK(forced.code == 0);
  Run wrong = run("batch " + q(in) + " --header-row 1 --as-of 2026-11-28 --lang en");
  CHECK(wrong.code == 1);
  CHECK(has(wrong.out, "no column holds the required field damage_type"));
  Run past = run("batch " + q(in) + " --header-row 30 --as-of 2026-11-28 --lang zh");
  CHECK(past.code == 1);
  CHECK(has(past.out, "--header-row 30：文件没有第 30 行"));
  // A header found below the title is where its problems are told.
  const std::string short_one =
      s.write("short.csv", "台账标题,,\n,,\n案件编号,地区,损害数额\nA,广西,1\n");
  Run missing = run("batch " + q(short_one) + " --as-of 2026-11-28 --lang en");
  CHECK(missing.code == 1);
  CHECK(has(missing.out, "short.csv:3: error[missing-column]"));
  // JSON Lines output has no place for the title: the rows are as ever.
  Run jsonl = run("batch " + q(in) + " --to jsonl --as-of 2026-11-28");
  CHECK(jsonl.out.starts_with("{\"序号\":1,\"案件编号\":\"A-1\""));
}
