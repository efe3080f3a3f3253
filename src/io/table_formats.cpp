#include "io/table_formats.h"

#include <cctype>
#include <filesystem>

#include "io/column_choice.h"
#include "io/xlsx_writer.h"

namespace epil::io {

namespace {

struct NamedEncoding {
  std::string_view name;
  Encoding encoding;
};

constexpr NamedEncoding kEncodings[] = {
    {"utf-8", Encoding::kUtf8},       {"utf-8-bom", Encoding::kUtf8Bom},
    {"utf-16le", Encoding::kUtf16Le}, {"utf-16be", Encoding::kUtf16Be},
    {"gb18030", Encoding::kGb18030},  {"gbk", Encoding::kGb18030}};

constexpr std::string_view kEncodingNames[] = {"utf-8",    "utf-8-bom", "utf-16le",
                                               "utf-16be", "gb18030",   "gbk"};

std::optional<TableFormat> format_named(std::string_view name) {
  if (name == "csv") return TableFormat::kCsv;
  if (name == "tsv") return TableFormat::kTsv;
  if (name == "xlsx") return TableFormat::kXlsx;
  if (name == "jsonl" || name == "ndjson") return TableFormat::kJsonl;
  return std::nullopt;
}

}  // namespace

std::optional<TableFormat> table_format(std::string_view path, std::string_view named) {
  if (!named.empty()) return format_named(named);
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext.empty()) return std::nullopt;
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return format_named(std::string_view(ext).substr(1));
}

std::span<const std::string_view> encoding_names() { return kEncodingNames; }

std::unique_ptr<TableReader> open_table(const std::string& path, TableFormat format,
                                        const TableInputOptions& options,
                                        std::optional<TableError>& error) {
  if (format == TableFormat::kXlsx) return open_xlsx(path, options.sheet, error, options.limits);
  if (format == TableFormat::kJsonl) return open_jsonl(path, error, options.limits);
  CsvOptions csv;
  csv.limits = options.limits;
  if (format == TableFormat::kTsv) csv.delimiter = '\t';
  if (!options.delimiter.empty()) {
    csv.delimiter = options.delimiter == "\\t" ? '\t' : options.delimiter[0];
  }
  for (const NamedEncoding& e : kEncodings) {
    if (e.name == options.encoding) csv.encoding = e.encoding;
  }
  return open_csv(path, csv, error);
}

std::unique_ptr<TableWriter> make_table_writer(TableFormat format, OutputFile& out, Lang lang,
                                               const Ruleset& rs, const Config& config, bool bom,
                                               const std::vector<size_t>* choice) {
  auto sink = [&out](std::string_view b) { return out.write(b); };
  std::vector<std::string> keys = added_keys(rs);
  if (choice) {
    std::vector<std::string> chosen;
    for (size_t k : *choice) chosen.push_back(keys[k]);
    keys = std::move(chosen);
  }
  std::unique_ptr<TableWriter> w;
  switch (format) {
    case TableFormat::kXlsx:
      w = make_xlsx_writer(out, lang, rs, config, {}, choice);
      break;
    case TableFormat::kJsonl:
      w = make_jsonl_writer(sink, keys);
      break;
    case TableFormat::kCsv:
    case TableFormat::kTsv:
      w = make_csv_writer(sink, format == TableFormat::kTsv ? '\t' : ',', bom);
      break;
  }
  if (!w || !choice) return w;
  return write_chosen(std::move(w), added_keys(rs).size(), *choice);
}

}  // namespace epil::io
