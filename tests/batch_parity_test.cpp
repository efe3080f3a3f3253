// A case screened alone (epil screen) and the same case as a row of a table (epil batch) say
// the same: the outcome with what it rests on, the outputs, the reasons, the missing facts,
// the sentence that explains the decision and the fingerprint, in both languages. The row's
// texts are made per shape on the batch path and the screen's by explain(): this test holds
// them together for every example case shipped.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/epil.h"
#include "core/yaml.h"
#include "io/batch.h"
#include "io/case_input.h"
#include "io/json.h"

using namespace epil;
namespace fs = std::filesystem;

namespace {

// Records the rows a batch run writes.
class RowsKept : public io::TableWriter {
 public:
  bool header(const std::vector<std::string>&) override { return true; }
  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view) override {
    rows.emplace_back(cells.begin() + static_cast<std::ptrdiff_t>(added_from), cells.end());
    return true;
  }
  bool finish(const io::BatchSummary&) override { return true; }
  std::vector<std::vector<std::string>> rows;
};

// The case file's facts as one JSON Lines row: each key with its value as written.
std::string as_jsonl_row(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = yaml::parse(text);
  REQUIRE(std::holds_alternative<yaml::Node>(parsed));
  const yaml::Node& root = std::get<yaml::Node>(parsed);
  std::string out;
  io::JsonWriter w(out);
  w.begin_object();
  for (const auto& [k, v] : root.entries()) w.key(k.Scalar()).value(v.Scalar());
  w.end_object();
  return out + "\n";
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// Checks the case at `path` alone and as a row; returns the sentence both gave.
Text check_example(Config& config, const Ruleset& rs, const std::string& path, Lang lang) {
  CAPTURE(path);
  CAPTURE(lang == Lang::kZh ? "zh" : "en");
  const Date as_of = *Date::from_ymd(2026, 11, 28);
  // Alone.
  io::FieldIndex index(rs);
  Findings findings;
  auto input = io::load_case_file(path, rs, index, findings);
  REQUIRE(input);
  input->apply_defaults(rs, index);
  const Region* region =
      input->region.empty() ? config.root_region() : config.find_region(input->region);
  REQUIRE(region);
  ScreenOptions opt;
  opt.as_of = as_of;
  ScreenResult alone =
      screen(config, rs, *region, input->values, input->defaulted, input->case_id, opt);
  REQUIRE(alone.ok);
  const Explanation& e = alone.explanation;

  // As a row.
  const fs::path row_file =
      fs::temp_directory_path() / ("epil-parity-" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(row_file) << as_jsonl_row(path);
  std::optional<io::TableError> error;
  auto reader = io::open_jsonl(row_file.string(), error);
  REQUIRE(reader);
  io::BatchOptions bo;
  bo.as_of = as_of;
  bo.lang = lang;
  bo.threads = 1;
  if (input->region.empty()) bo.region = config.root_region()->id;
  RowsKept out;
  Findings batch_findings;
  auto summary = io::run_batch(config, rs, *reader, row_file.string(), out, bo, batch_findings);
  fs::remove(row_file);
  REQUIRE(summary);
  REQUIRE(out.rows.size() == 1);
  const std::vector<std::string>& row = out.rows[0];
  const std::vector<std::string> keys = io::added_keys(rs);
  REQUIRE(row.size() == keys.size());
  auto cell = [&](const std::string& key) {
    for (size_t k = 0; k < keys.size(); ++k) {
      if (keys[k] == key) return row[k];
    }
    FAIL("no column " << key);
    return std::string();
  };

  CHECK(cell("outcome") == e.outcome);
  CHECK(cell("outcome_label") == e.outcome_label.in(lang) + e.outcome_caveat.in(lang));
  CHECK(cell("explanation") == e.summary.in(lang));
  CHECK(cell("reasons") == (e.decided_by.empty() ? joined(e.candidates, "|") : e.decided_by));
  if (!e.missing.empty()) {
    std::vector<std::string> labels;
    for (const auto& m : e.missing) labels.push_back(m.label.in(lang));
    CHECK(cell("missing") == joined(labels, lang == Lang::kZh ? "；" : "; "));
  }
  for (const auto& o : e.outputs) {
    CAPTURE(o.key);
    if (!o.applies) {
      CHECK(cell(o.key).empty());
    } else if (!o.value.empty()) {
      CHECK(cell(o.key) == o.value_label.in(lang) + o.caveat.in(lang));
    }
  }
  CHECK(cell("fingerprint") == e.fingerprint);
  return e.summary;
}

std::vector<std::string> examples(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& f : fs::directory_iterator(dir)) {
    const auto ext = f.path().extension();
    if (ext == ".yaml" || ext == ".json") out.push_back(f.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("batch and screen: every example case says the same as a row and alone") {
  Config config = Config::embedded();
  const fs::path root(EPIL_SOURCE_DIR);
  int checked = 0;
  for (const auto& [ruleset, dir] :
       {std::pair{"epil", root / "examples"}, std::pair{"credit", root / "examples" / "credit"}}) {
    const Ruleset* rs = config.ruleset(ruleset);
    REQUIRE(rs);
    for (const std::string& path : examples(dir)) {
      for (Lang lang : {Lang::kZh, Lang::kEn}) check_example(config, *rs, path, lang);
      ++checked;
    }
  }
  CHECK(checked >= 10);
}

TEST_CASE("batch and screen: an undecided case's sentence is screen's summary") {
  // A case with facts missing, so that the sentence lists the outcomes still possible and the
  // facts to give (the wording batch rows and screen once said differently).
  Config config = Config::embedded();
  const Ruleset& rs = *config.ruleset("epil");
  const fs::path file =
      fs::temp_directory_path() / ("epil-parity-case-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file)
      << "地区: 浙江\n损害类型: 水污染\n生态环境损害数额: 794\n造成区域性生态影响: 否\n";
  const Text zh = check_example(config, rs, file.string(), Lang::kZh);
  const Text en = check_example(config, rs, file.string(), Lang::kEn);
  fs::remove(file);
  CHECK(zh.zh.rfind("现有事实下可能的结论：", 0) == 0);
  CHECK(zh.zh.find("；需补充：") != std::string::npos);
  CHECK(en.en.rfind("with the facts given it could be ", 0) == 0);
}
