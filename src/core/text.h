// User-facing text in both languages. Chinese is first-class: every label, message and
// explanation line exists in 中文 and English, and the caller picks one at the edge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace epil {

/// Levenshtein distance in bytes, for "did you mean" hints on names people mistype; a distance
/// of `limit` or more is returned as `limit`, found without computing it in full.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit = SIZE_MAX);

enum class Lang { kZh, kEn };

/// A label or message in both languages: `Text{"显著轻微", "significantly minor"}.in(lang)`.
struct Text {
  std::string zh;
  std::string en;

  const std::string& in(Lang lang) const {
    if (lang == Lang::kZh) return zh.empty() ? en : zh;
    return en.empty() ? zh : en;
  }
  bool empty() const { return zh.empty() && en.empty(); }
};

}  // namespace epil
