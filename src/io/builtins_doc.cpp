#include "io/builtins_doc.h"

#include <fmt/format.h>

#include "core/builtins.h"

namespace epil::io {

namespace {

Text kind_name(ArgKind k) {
  switch (k) {
    case ArgKind::kAny:
      return {"任意值", "any value"};
    case ArgKind::kBool:
      return {"是/否", "yes/no"};
    case ArgKind::kNumber:
      return {"数值", "number"};
    case ArgKind::kDate:
      return {"日期", "date"};
    case ArgKind::kBranch:
      return {"值", "value"};
    case ArgKind::kInputField:
      return {"输入字段", "input field"};
    case ArgKind::kParameter:
      return {"参数", "parameter"};
  }
  return {};
}

Text result_name(const Builtin& b) {
  switch (b.result) {
    case ResultKind::kBool:
      return {"是/否", "yes/no"};
    case ResultKind::kNumber:
      return b.unit == UnitRule::kDays ? Text{"数值（天）", "number (days)"}
                                       : Text{"数值", "number"};
    case ResultKind::kDate:
      return {"日期", "date"};
    case ResultKind::kBranches:
      return {"与分支同类型", "the branches' type"};
  }
  return {};
}

// "date, number → date"; "number, number, … (2–16) → number".
std::string types_of(const Builtin& b, Lang lang) {
  std::string out;
  for (size_t i = 0; i < b.arity_listed() && i < b.min_args; ++i) {
    if (!out.empty()) out += ", ";
    out += kind_name(b.arg(i)).in(lang);
  }
  if (b.max_args > b.min_args) {
    out += lang == Lang::kZh ? fmt::format(", …（{} 至 {} 个）", b.min_args, b.max_args)
                             : fmt::format(", … ({} to {})", b.min_args, b.max_args);
  }
  return out + " → " + result_name(b).in(lang);
}

// Markdown's marks taken out, for a terminal.
std::string plain(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '`' && c != '*') out += c;
  }
  return out;
}

}  // namespace

std::string render_builtins(Lang lang, BuiltinsFormat format) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  if (format == BuiltinsFormat::kMarkdown) {
    out += zh ? "| 函数 | 参数 → 结果 | 用节假日安排 | 含义 |\n|---|---|---|---|\n"
              : "| function | arguments → result | calendar | what it gives |\n|---|---|---|---|\n";
    for (const Builtin& b : builtins()) {
      out += fmt::format("| `{}` | {} | {} | {} |\n", b.signature, types_of(b, lang),
                         b.calendar ? (zh ? "是" : "yes") : "", b.summary.in(lang));
    }
    return out;
  }
  for (const Builtin& b : builtins()) {
    out += fmt::format("{}    {}{}\n", b.signature, types_of(b, lang),
                       b.calendar ? (zh ? "（用节假日安排）" : " (holiday calendars)") : "");
    out += fmt::format("    {}\n", plain(b.summary.in(lang)));
    out += fmt::format("    {}{}\n\n", zh ? "例：" : "e.g. ", b.example);
  }
  return out;
}

}  // namespace epil::io
