#include "core/limits.h"

#include <charconv>

namespace epil {

const std::vector<LimitInfo>& limit_table() {
  static const std::vector<LimitInfo> table = {
      {"file-bytes", &Limits::file_bytes, "bytes of a case, test, rule or region file",
       "案件、测试、规则或地区文件的字节数"},
      {"cell-bytes", &Limits::cell_bytes, "bytes of one cell, scalar or JSON string",
       "单个单元格、标量或 JSON 字符串的字节数"},
      {"row-bytes", &Limits::row_bytes, "bytes of one row or JSON line", "一行（或一条 JSON 记录）的字节数"},
      {"columns", &Limits::columns, "columns of a sheet; distinct keys of a JSON Lines file",
       "表格的列数；JSON Lines 文件中不同键的个数"},
      {"xml-depth", &Limits::xml_depth, "nesting depth of XML elements in an XLSX file",
       "XLSX 文件中 XML 元素的嵌套深度"},
      {"shared-strings", &Limits::shared_strings, "shared strings of an XLSX workbook",
       "XLSX 工作簿的共享字符串个数"},
      {"shared-string-bytes", &Limits::shared_string_bytes,
       "bytes of all shared strings of an XLSX workbook", "XLSX 工作簿全部共享字符串的字节数"},
      {"xlsx-parts", &Limits::xlsx_parts,
       "entries, relationships, sheets or styles of an XLSX workbook (each)",
       "XLSX 工作簿的压缩条目、关系、工作表或样式个数（各自）"},
      {"xlsx-part-bytes", &Limits::xlsx_part_bytes,
       "uncompressed bytes of one XLSX part read whole (workbook, relationships, styles, shared "
       "strings)",
       "XLSX 中整体读取的单个部件（工作簿、关系、样式、共享字符串）解压后的字节数"},
      {"expr-nodes", &Limits::expr_nodes, "nodes of one expression in a rule file",
       "规则文件中单个表达式的节点数"},
      {"expr-depth", &Limits::expr_depth,
       "nesting depth of one expression, with the definitions it reads (at most 2000)",
       "单个表达式的嵌套深度（含其引用的定义，最高 2000）"},
      {"mapping-keys", &Limits::mapping_keys, "keys of one mapping in a case, test or rule file",
       "案件、测试或规则文件中单个映射的键数"},
      {"threads", &Limits::threads, "worker threads of epil batch (also capped at the cores)",
       "epil batch 的工作线程数（亦不超过处理器核数）"},
  };
  return table;
}

std::string set_limit(Limits& limits, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return "--limit expects NAME=VALUE, e.g. columns=32768 / --limit 应为 名称=数值，如 columns=32768";
  }
  const std::string_view name = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  for (const LimitInfo& info : limit_table()) {
    if (info.name != name) continue;
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    int shift = 0;
    if (ec == std::errc() && end != text.data() + text.size()) {
      const char unit = *end++;
      shift = unit == 'K' || unit == 'k' ? 10 : unit == 'M' || unit == 'm' ? 20
              : unit == 'G' || unit == 'g' ? 30 : -1;
    }
    if (ec != std::errc() || value == 0 || shift < 0 || end != text.data() + text.size() ||
        (shift > 0 && value > (UINT64_MAX >> shift))) {
      return "--limit " + std::string(name) + ": expected a positive whole number such as 1000 or 64M, found '" +
             std::string(text) + "' / --limit " + std::string(name) + "：应为正整数（如 1000 或 64M），实际为 '" +
             std::string(text) + "'";
    }
    limits.*info.member = value << shift;
    return {};
  }
  std::string known;
  for (const LimitInfo& info : limit_table()) known += (known.empty() ? "" : ", ") + std::string(info.name);
  return "--limit: unknown limit '" + std::string(name) + "'; known: " + known + " / --limit：未知限额 '" +
         std::string(name) + "'；可用：" + known;
}

}  // namespace epil
