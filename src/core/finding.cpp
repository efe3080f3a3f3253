#include "core/finding.h"

#include <fmt/format.h>

namespace epil {

std::string Finding::format(bool zh) const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 && column > 0) where += fmt::format(":{}", column);
  const char* sev = severity == Severity::kError     ? (zh ? "错误" : "error")
                    : severity == Severity::kWarning ? (zh ? "警告" : "warning")
                                                     : (zh ? "提示" : "note");
  const std::string& text = zh && !message_zh.empty() ? message_zh : message;
  return fmt::format("{}{}{}[{}]: {}", where, where.empty() ? "" : ": ", sev, code, text);
}

void Findings::error(std::string code, std::string file, int line, int column, std::string en,
                     std::string zh) {
  items_.push_back(Finding{std::move(code), Severity::kError, std::move(file), line, column,
                           std::move(en), std::move(zh), origin_});
}

void Findings::warning(std::string code, std::string file, int line, int column, std::string en,
                       std::string zh) {
  items_.push_back(Finding{std::move(code), Severity::kWarning, std::move(file), line, column,
                           std::move(en), std::move(zh), origin_});
}

bool Findings::ok() const { return error_count() == 0; }

int Findings::error_count() const {
  int n = 0;
  for (const auto& f : items_) n += f.severity == Severity::kError;
  return n;
}

int Findings::warning_count() const {
  int n = 0;
  for (const auto& f : items_) n += f.severity == Severity::kWarning;
  return n;
}

bool Findings::has_error_from(Origin origin) const {
  for (const auto& f : items_) {
    if (f.severity == Severity::kError && f.origin == origin) return true;
  }
  return false;
}

void Findings::append(const Findings& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

}  // namespace epil
