// epil batch INPUT [-o OUTPUT]: a spreadsheet of cases screened row by row.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "cli/commands.h"
#include "cli/help.h"
#include "core/epil.h"
#include "io/batch.h"
#include "io/column_choice.h"
#include "io/table_formats.h"
#include "io/xlsx_writer.h"

namespace epil::cli {

CLI::App* add_batch(CLI::App& app, BatchCommand& o, Lang lang) {
  auto* cmd =
      app.add_subcommand("batch",
                         "screen a spreadsheet of cases (or of debtors, with --ruleset credit) / "
                         "批量筛查表格（加 --ruleset credit 为失信被执行人）");
  const std::vector<std::string> formats = {"csv", "tsv", "xlsx", "jsonl"};
  const std::string input = group_title(Msg::kHelpGroupInput);
  const std::string output = group_title(Msg::kHelpGroupOutput);
  cmd->add_option("input", o.input, "input file: .csv, .tsv, .xlsx or .jsonl")->required();
  cmd->add_option("--from", o.from, "input format when the extension does not say")
      ->check(CLI::IsMember(formats))
      ->group(input);
  cmd->add_option("--map", o.maps, "'HEADER=FIELD' for a column the ruleset does not know")
      ->group(input);
  const auto encodings = io::encoding_names();
  cmd->add_option("--encoding", o.encoding, "input encoding (default: detect)")
      ->check(CLI::IsMember(std::vector<std::string>(encodings.begin(), encodings.end())))
      ->group(input);
  cmd->add_option("--delimiter", o.delimiter, "input delimiter (default: detect)")->group(input);
  cmd->add_option("--sheet", o.sheet, "sheet name of an .xlsx (default: the first)")->group(input);
  const std::string region = group_title(Msg::kHelpGroupRegion);
  cmd->add_option("--region", o.region, "region for rows without one")->group(region);
  cmd->add_option("--overlay", o.overlay, "named overlay on top of every row's region")
      ->group(region);
  cmd->add_option("--review-date,--as-of", o.as_of,
                  "review date for rows without one (default today)")
      ->group(group_title(Msg::kHelpGroupDates));
  cmd->add_option("-o,--output", o.output, "output file (default: CSV to standard output)")
      ->group(output);
  cmd->add_option("--to", o.to, "output format when the extension does not say")
      ->check(CLI::IsMember(formats))
      ->group(output);
  cmd->add_option("--summary-json", o.summary_json, "also write the summary as JSON")
      ->group(output);
  cmd->add_flag("--force", o.force, "replace an existing output file")->group(output);
  cmd->add_flag("--no-bom", o.no_bom, "CSV output without the UTF-8 byte order mark")
      ->group(output);
  cmd->add_option("--columns", o.columns,
                  "the appended columns written: a preset (minimal) or keys joined by ',' "
                  "(outcome, outcome_label, reasons, missing, explanation, thresholds, margin, "
                  "advisories, fingerprint, and the ruleset's outputs and results)")
      ->group(output);
  cmd->add_flag("--mask-ids", o.mask_ids,
                "write ID numbers masked, keeping the first 6 and last 4 characters "
                "(they are read unmasked)")
      ->group(output);
  const std::string configuration = group_title(Msg::kHelpGroupConfig);
  cmd->add_option("--threads", o.threads, "worker threads (default: one per core)")
      ->group(configuration);
  cmd->add_flag("--evaluate-each-row", o.each_row,
                "evaluate every row on its own instead of reusing the decision of an "
                "earlier row of the same shape (slower; the output is the same)")
      ->group(configuration);
  cmd->add_flag("--strict", o.strict, "a date before a threshold's first value is an error")
      ->group(configuration);
  set_examples(*cmd,
               {"epil batch 案件.xlsx -o 结果.xlsx --region 广西 --review-date 2026-11-28",
                "epil batch 被执行人.csv -o 结果.csv --ruleset credit --lang zh"},
               lang, message(Msg::kHelpGlobalOptionsApply).in(lang));
  return cmd;
}

namespace {

// The run's options from the command's; false (said) when --as-of or a --map is malformed.
bool batch_options(const BatchCommand& o, const Context& c, io::BatchOptions& opt) {
  opt.region = o.region;
  opt.overlay = o.overlay;
  opt.lang = c.lang;
  opt.strict = o.strict;
  opt.reuse_shapes = !o.each_row;
  opt.mask_ids = o.mask_ids;
  opt.threads = o.threads;
  opt.limits = c.g.limits;
  const auto as_of = date_or_today(o.as_of, "--as-of", c.lang);
  if (!as_of) return false;
  opt.as_of = *as_of;
  for (const auto& m : o.maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos) {
      say(message(Msg::kMapSyntax, m), c.lang);
      return false;
    }
    opt.maps.push_back({m.substr(0, eq), m.substr(eq + 1)});
  }
  return true;
}

// "\r已处理 … 行 · … 行/秒 · 约剩 … 秒" on a terminal's standard error.
std::function<void(int64_t, uint64_t, uint64_t)> progress_line(Lang lang) {
  const bool zh = lang == Lang::kZh;
  auto start = std::chrono::steady_clock::now();
  return [start, zh](int64_t rows, uint64_t done, uint64_t total) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double rate = secs > 0 ? rows / secs : 0;
    std::string eta;
    if (total > 0 && done > 0 && done < total) {
      double left = secs * static_cast<double>(total - done) / static_cast<double>(done);
      eta = zh ? fmt::format(" · 约剩 {:.0f} 秒", left) : fmt::format(" · ~{:.0f} s left", left);
    }
    std::cerr << (zh ? fmt::format("\r已处理 {} 行 · {:.0f} 行/秒{}   ", rows, rate, eta)
                     : fmt::format("\r{} rows · {:.0f} rows/s{}   ", rows, rate, eta))
              << std::flush;
  };
}

// What cannot be written is refused before any row is screened: a sheet too wide, or a
// --summary-json that would overwrite the results.
bool outputs_possible(const BatchCommand& o, io::TableFormat to, size_t columns, Lang lang) {
  if (to == io::TableFormat::kXlsx) {
    if (auto e = io::xlsx_columns_problem(o.output, columns)) {
      say(*e, lang);
      return false;
    }
  }
  if (!o.summary_json.empty() && io::same_file(o.summary_json, o.output)) {
    say(message(Msg::kSummaryJsonIsOutput, o.summary_json), lang);
    return false;
  }
  return true;
}

// The run failed: say why, the output's own account (its name, the system's reason, the
// limit) in place of the run's bare "writing the output failed".
int say_failed_run(const Findings& findings, const io::OutputFile& out, Lang lang) {
  const auto& why = out.failure();
  for (const auto& x : findings.items()) {
    if (!why || x.code != "write") std::cerr << x.format(lang == Lang::kZh) << "\n";
  }
  if (why) {
    say(*why, lang);
    g_stdout_failure_said = out.is_stdout();
  }
  return code(findings.has_error_from(Origin::kConfiguration) ? ExitCode::kConfig
                                                              : ExitCode::kInput);
}

struct Formats {
  io::TableFormat from, to;
};

std::optional<Formats> formats(const BatchCommand& o, Lang lang) {
  auto from = io::table_format(o.input, o.from);
  if (!from) {
    say(message(Msg::kInputFormatUnknown, o.input), lang);
    return std::nullopt;
  }
  auto to =
      o.output == "-" && o.to.empty() ? io::TableFormat::kCsv : io::table_format(o.output, o.to);
  if (!to || (*to == io::TableFormat::kXlsx && o.output == "-")) {
    say(message(Msg::kOutputFormatUnknown, o.output), lang);
    return std::nullopt;
  }
  return Formats{*from, *to};
}

}  // namespace

int run_batch(const BatchCommand& o, Context& c) {
  if (!c.rs) return say_no_ruleset(c);
  const Ruleset& rs = *c.rs;
  const auto fm = formats(o, c.lang);
  if (!fm) return code(ExitCode::kInput);
  io::BatchOptions opt;
  if (!batch_options(o, c, opt)) return code(ExitCode::kInput);
  std::optional<io::TableError> table_error;
  auto reader = io::open_table(o.input, fm->from, {o.sheet, o.encoding, o.delimiter, c.g.limits},
                               table_error);
  if (!reader) {
    const io::TableError& e = *table_error;
    std::cerr << fmt::format("{}: {}\n", e.file, c.zh() ? e.message_zh : e.message);
    return code(ExitCode::kInput);
  }
  if (!outputs_possible(o, fm->to, reader->header().size() + io::added_keys(rs).size(), c.lang)) {
    return code(ExitCode::kInput);
  }
  io::OutputError out_error;
  auto out = io::OutputFile::open(o.output, o.input, o.force, out_error);
  if (!out) {
    say(out_error, c.lang);
    return code(ExitCode::kInput);
  }
  auto summary_out = o.summary_json.empty()
                         ? std::optional<io::OutputFile>()
                         : io::OutputFile::open(o.summary_json, o.input, o.force, out_error);
  if (!o.summary_json.empty() && !summary_out) {
    say(out_error, c.lang);
    return code(ExitCode::kInput);
  }
  std::optional<io::AddedChoice> choice;
  if (!o.columns.empty()) {
    auto chosen = io::choose_added(rs, c.config.presentation(), o.columns);
    if (auto* problem = std::get_if<Text>(&chosen)) {
      say(*problem, c.lang);
      return code(ExitCode::kInput);
    }
    choice = std::get<io::AddedChoice>(std::move(chosen));
  }
  auto writer = io::make_table_writer(fm->to, *out, c.lang, rs, c.config, !o.no_bom,
                                      choice ? &*choice : nullptr);
  if (!writer) {
    say(message(Msg::kXlsxCreateFailed, o.output), c.lang);
    return code(ExitCode::kInput);
  }
  if (isatty(2)) opt.progress = progress_line(c.lang);
  Findings findings;
  auto summary = io::run_batch(c.config, rs, *reader, o.input, *writer, opt, findings);
  if (isatty(2)) std::cerr << "\n";
  if (!summary) return say_failed_run(findings, *out, c.lang);
  const bool to_stdout = out->is_stdout();  // (not after commit(), which closes it)
  if (!out->commit(out_error)) {
    say(out_error, c.lang);
    g_stdout_failure_said = to_stdout;
    return code(ExitCode::kInput);
  }
  std::cerr << io::summary_text(*summary, rs, c.config, c.lang);
  if (summary_out) {
    summary_out->write(io::summary_json(*summary));
    if (!summary_out->commit(out_error)) {
      say(out_error, c.lang);
      return code(ExitCode::kInput);
    }
  }
  return code(summary->errors > 0 ? ExitCode::kRowErrors : ExitCode::kOk);
}

}  // namespace epil::cli
