// Limits: how much of any one input epil will hold or walk before refusing it with a finding
// that names the limit. Memory and time are bounded by these, never by the input (a 10 MB
// file must not take gigabytes). One table: the CLI's `--limit NAME=VALUE` and docs/cli.md
// both come from it. Plain data; no IO.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace epil {

struct Limits {
  // Files read whole: case files, test files, rule and region files.
  uint64_t file_bytes = uint64_t{16} << 20;
  // One cell, one scalar, one JSON string.
  uint64_t cell_bytes = uint64_t{1} << 20;
  // One row of a spreadsheet or one JSON line, all cells together.
  uint64_t row_bytes = uint64_t{16} << 20;
  // Columns of a sheet; distinct keys over a JSON Lines file. 16,384 is Excel's own limit.
  uint64_t columns = 16384;
  // XLSX: nesting depth of XML elements; shared strings (count and bytes); archive entries,
  // relationships, sheets and styles of one workbook, each (Excel allows 64,000 cell formats,
  // which bloated workbooks reach; 65,536 of each costs about 30 MB).
  uint64_t xml_depth = 64;
  uint64_t shared_strings = uint64_t{4} << 20;
  uint64_t shared_string_bytes = uint64_t{128} << 20;
  uint64_t xlsx_parts = 65536;
  // XLSX: uncompressed bytes of one part read whole (workbook, relationships, styles, shared
  // strings); the sheet itself is streamed.
  uint64_t xlsx_part_bytes = uint64_t{256} << 20;
  // Expressions in rule files: nodes of one expression, and its depth.
  uint64_t expr_nodes = 10000;
  uint64_t expr_depth = 200;
  // Keys of one mapping in a case, test or rule file.
  uint64_t mapping_keys = 10000;
  // Worker threads of `epil batch`.
  uint64_t threads = 256;
};

/// One row of the table: the name used by --limit, the member, and what it bounds.
struct LimitInfo {
  std::string_view name;
  uint64_t Limits::*member;
  std::string_view what_en, what_zh;
};

const std::vector<LimitInfo>& limit_table();

/// Sets one limit from "NAME=VALUE" (VALUE a positive integer, with an optional K, M or G
/// suffix, binary). Returns an empty string, or what was wrong (English, then 中文, joined
/// by " / ").
std::string set_limit(Limits& limits, std::string_view assignment);

}  // namespace epil
