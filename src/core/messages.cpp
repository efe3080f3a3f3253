#include "core/messages.h"

#include <cassert>

namespace epil {

namespace {

// Kept in the order of Msg (message_entry() asserts it). The code names the problem, not the
// place that finds it: a case file and a spreadsheet row share one.
constexpr MessageEntry kMessages[] = {
    {Msg::kRowPrefix, "row", "第 {0} 行：{1}", "row {0}: {1}"},
    {Msg::kUnknownRuleset, "unknown-ruleset", "未知规则集 '{0}'", "unknown ruleset '{0}'"},
    {Msg::kUnknownRegion, "unknown-region", "未知地区 '{0}'；可用：{1}",
     "unknown region '{0}'; known: {1}"},
    {Msg::kUnknownOverlay, "unknown-overlay", "未知叠加配置 '{0}'；可用：{1}",
     "unknown overlay '{0}'; known: {1}"},
    {Msg::kBadDateOption, "bad-date", "{0}：应为日期，如 2025-06-01，实际为 '{1}'",
     "{0}: expected a date such as 2025-06-01, found '{1}'"},
    {Msg::kConductAfterReview, "conduct-after-review", "行为发生日期晚于审查日期",
     "the conduct date is later than the review date"},
    {Msg::kInputAfterReview, "date-after-review", "{0}晚于审查日期",
     "the {0} is later than the review date"},
    {Msg::kCheckConductDate, "check-dates", "{0}：请检查 --date 与 --as-of（或审查日期）。",
     "{0}: check --date and --as-of (or the review date)."},
    {Msg::kCheckInputDate, "check-dates", "{0}：请检查该日期与 --as-of（或审查日期）。",
     "{0}: check it and --as-of (or the review date)."},
    {Msg::kStrictBeforeFirstValue, "strict-before-first-value",
     "严格模式：所选日期早于某项标准的最早生效日期。",
     "strict mode: the date is before the first value of a threshold used."},
    {Msg::kSetSyntax, "set-syntax", "--set {0}：应为 字段=值（如 --set 损害数额=2800）",
     "--set {0}: expected FIELD=VALUE (such as --set damage_amount=2800), found no '='"},
    {Msg::kSetUnknownField, "unknown-field", "--set {0}：未知字段（{1}）",
     "--set {0}: unknown field ({1})"},
    {Msg::kFieldValue, "field-value", "{0}（{1}）：{2}", "{0} ({1}): {2}"},
    {Msg::kMapSyntax, "map-syntax", "--map '{0}'：应写作 '表头=字段'",
     "--map '{0}': expected 'HEADER=FIELD'"},
    {Msg::kInputFormatUnknown, "input-format",
     "{0}：无法判断输入格式（应为 .csv、.tsv、.xlsx 或 .jsonl），请用 --from 指定",
     "{0}: cannot tell the input format (expected .csv, .tsv, .xlsx or .jsonl); use --from"},
    {Msg::kOutputFormatUnknown, "output-format",
     "{0}：输出应为 .csv、.tsv、.xlsx 或 .jsonl 文件，请用 --to 指定",
     "{0}: the output must be a .csv, .tsv, .xlsx or .jsonl file; use --to"},
    {Msg::kSummaryJsonIsOutput, "summary-json-is-output",
     "--summary-json {0}：与输出文件（-o）相同，会覆盖筛查结果，请另选文件",
     "--summary-json {0}: the same file as the output (-o); it would overwrite the results: "
     "choose another"},
    {Msg::kXlsxCreateFailed, "write", "{0}：无法创建 xlsx 文件",
     "{0}: cannot create the xlsx file"},
    {Msg::kAliasUsage, "usage",
     "用法：epil {0} [字段选项 …]（同 epil {1} --ruleset {2}；选项见 epil {0} --help）",
     "usage: epil {0} [field flags …] (the same as epil {1} --ruleset {2}; see epil {0} --help)"},
    {Msg::kNoDefaultRuleset, "unknown-ruleset",
     "未指定规则集，配置目录也没有默认规则集：请用 --ruleset 指定，或在 presentation.yaml 中写明 "
     "default_ruleset（可用：{0}）",
     "no ruleset named and the configuration tree has no default: give --ruleset, or name "
     "default_ruleset in the tree's presentation.yaml (known: {0})"},
    {Msg::kTestFileUnreadable, "unreadable", "{0}: 测试文件：{1}", "{0}: test file: {1}"},
    {Msg::kCheckSummary, "check-summary", "{0}：{1} 个规则集，{2} 个地区；错误 {3} 个，警告 {4} 个",
     "{0}: {1} ruleset(s), {2} region(s); {3} error(s), {4} warning(s)"},
    {Msg::kBuiltInConfiguration, "configuration", "内置配置", "built-in configuration"},
    {Msg::kCannotWriteOutput, "write", "无法写入输出", "cannot write the output"},
    {Msg::kWritingOutputFailed, "write", "写入输出失败", "writing the output failed"},
    {Msg::kScreeningStopped, "batch", "筛查中止：{0}（内存不足？）",
     "screening stopped: {0} (out of memory?)"},
    {Msg::kMapUnknownField, "unknown-field", "--map '{0}={1}'：规则集中没有字段 '{1}'",
     "--map '{0}={1}': the ruleset has no field '{1}'"},
    {Msg::kUnitMismatch, "unit-mismatch", "第 {0} 列（{1}）所注单位与字段{2}不符",
     "column {0} ('{1}') names a unit that does not fit {2}"},
    {Msg::kDuplicateColumn, "duplicate-column", "第 {0} 列（{1}）与第 {2} 列（{3}）都对应字段 {4}",
     "columns {0} ('{1}') and {2} ('{3}') both hold {4}"},
    {Msg::kMissingColumn, "missing-column",
     "缺少必需的列：{0}；最接近的表头：{1}；可用 --map '表头={2}' 指定",
     "no column holds the required field {0}; nearest headers: {1}; name the column with --map "
     "'HEADER={2}'"},
    {Msg::kNoRegionColumn, "missing-column",
     "缺少地区列（地区/region）：请用 --region 为整个文件指定地区",
     "no region column (地区/region): give --region for the whole file"},
    {Msg::kNotRegularFile, "unreadable",
     "不是普通文件（设备、管道、套接字或失效的链接）；配置文件应为普通 YAML 文件",
     "not a regular file (a device, a pipe, a socket or a broken link); a configuration file "
     "must be a plain YAML file"},
    {Msg::kConfigDirMissing, "config-missing", "配置目录不存在或不是目录",
     "the configuration directory does not exist or is not a directory"},
    {Msg::kConfigSubdirMissing, "config-missing", "配置目录缺少 {0}/ 子目录",
     "the configuration tree has no {0}/ directory"},
    {Msg::kExpectedYesNo, "value", "应为 是/否（或 Y/N、true/false、1/0），实际为 '{0}'",
     "expected yes or no (是/否, Y/N, true/false, 1/0), found '{0}'"},
    {Msg::kExpectedInRange, "value-range", "应为{0}（{1}），实际为 '{2}'{3}",
     "expected {0} ({1}), found '{2}'{3}"},
    {Msg::kExpectedNumber, "value", "应为{0}，实际为 '{1}'", "expected {0}, found '{1}'"},
    {Msg::kExpectedDate, "value", "应为日期，如 2025-06-01、2025/6/1 或 2025年6月1日，实际为 '{0}'",
     "expected a date such as 2025-06-01, 2025/6/1 or 2025年6月1日, found '{0}'"},
    {Msg::kExpectedOneOf, "value", "应为以下之一：{0}，实际为 '{1}'",
     "expected one of {0}, found '{1}'"},
    {Msg::kUnreadableType, "value", "字段类型无法读取", "field has no readable type"},
    {Msg::kFieldTwice, "duplicate-field",
     "第 {0} 行的“{1}”与第 {2} 行的“{3}”都给出{4}；每个字段只能给一次",
     "'{1}' on line {0} and '{3}' on line {2} both give {4}; expected each field once"},
    {Msg::kCaseFileUnreadable, "unreadable", "案件文件：{0}", "case file: {0}"},
    {Msg::kCaseNotYaml, "case-syntax", "案件文件不是有效的 YAML 或 JSON",
     "cannot read the case file as YAML or JSON"},
    {Msg::kCaseNotMapping, "case-syntax", "案件文件应为“字段名: 值”的映射",
     "a case file must be a mapping of field names to values"},
    {Msg::kCaseSingleValue, "case-value", "'{0}'：应为单个值", "'{0}': expected a single value"},
    {Msg::kCaseUnknownField, "unknown-field", "未知字段 '{0}'（{1}）", "unknown field '{0}' ({1})"},
    {Msg::kCaseFieldValue, "case-value", "{0}：{1}", "{0}: {1}"},
    {Msg::kCaseMoreUnknownFields, "unknown-field", "自此行起还有 {0} 个未知字段",
     "and {0} more unknown fields, from this line on"},
};

}  // namespace

std::span<const MessageEntry> messages() { return kMessages; }

const MessageEntry& message_entry(Msg m) {
  const MessageEntry& e = kMessages[static_cast<size_t>(m)];
  assert(e.id == m);
  return e;
}

}  // namespace epil
