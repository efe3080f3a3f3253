// The catalogue of messages (core/messages.h): whole, in order, and the same arguments in both
// languages.
#include "core/messages.h"

#include <doctest/doctest.h>

#include <regex>
#include <set>

using namespace epil;

namespace {

// The positional arguments a sentence uses: {0}, {1} …
std::set<std::string> placeholders(std::string_view s) {
  std::set<std::string> out;
  const std::string text(s);
  const std::regex re(R"(\{(\d+)\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

}  // namespace

TEST_CASE("messages: each entry in the order of Msg, with a code and both sentences") {
  const auto all = messages();
  REQUIRE(!all.empty());
  const std::regex code(R"([a-z0-9]+(-[a-z0-9]+)*)");
  for (size_t i = 0; i < all.size(); ++i) {
    const MessageEntry& e = all[i];
    CAPTURE(e.code);
    CHECK(static_cast<size_t>(e.id) == i);
    CHECK(std::regex_match(std::string(e.code), code));
    CHECK(!e.zh.empty());
    CHECK(!e.en.empty());
    // The same arguments in both languages, numbered from 0 without a gap.
    const auto zh = placeholders(e.zh), en = placeholders(e.en);
    CHECK(zh == en);
    for (size_t k = 0; k < en.size(); ++k) CHECK(en.count(std::to_string(k)) == 1);
    // Braces other than placeholders would make fmt throw when the message is said.
    CHECK(std::string(e.zh).find("{{") == std::string::npos);
  }
}

TEST_CASE("messages: arguments, and a Text argument in the language of each sentence") {
  const Text label{"行为发生日期", "conduct date"};
  const Text t = message(Msg::kInputAfterReview, label);
  CHECK(t.zh == "行为发生日期晚于审查日期");
  CHECK(t.en == "the conduct date is later than the review date");
  const Text row = message(Msg::kRowPrefix, 12, t);
  CHECK(row.zh == "第 12 行：行为发生日期晚于审查日期");
  CHECK(row.en == "row 12: the conduct date is later than the review date");
  CHECK(message_entry(Msg::kUnknownRegion).code == "unknown-region");
}

TEST_CASE("messages: a brace is given as an argument, and a Text part per language") {
  const Text object = message(Msg::kJsonlObjectPerLine, "{", "}");
  CHECK(object.en == "a JSON object ({\"key\": value, …}) on each line");
  CHECK(object.zh == "每行一个 JSON 对象（{\"键\": 值, …}）");
  const Text comma = message(Msg::kJsonlCommaOrClose, "]", message(Msg::kJsonlAnArray));
  CHECK(comma.en == "',' or ']' in an array");
  CHECK(comma.zh == "数组中的“,”或“]”");
  CHECK(message(Msg::kCsvAfterClosingQuote, 3, 1, message(Msg::kCsvTab), "y").zh ==
        "第 3 行第 1 列：带引号的单元格在右引号之后应是分隔符制表符或行尾，但出现了“y”；"
        "引号内的引号须写成两个（\"\"）");
  CHECK(message_entry(Msg::kXlsxNoSuchSheet).code == "read");
}
