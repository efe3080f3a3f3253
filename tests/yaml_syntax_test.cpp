// YAML syntax errors in words (core/yaml_syntax.h): libyaml's common problems said in 中文 and
// English from the catalogue, at the position a person fixes them from, with the indentation of
// the lines around when that is the usual cause; an unknown problem in libyaml's words inside a
// translated frame.
#include "core/yaml_syntax.h"

#include <doctest/doctest.h>

#include <string>
#include <variant>

#include "core/yaml.h"

namespace {

namespace yaml = epil::yaml;

struct Case {
  const char* name;
  const char* text;
  int line, column;  // 1-based, as a finding says them
  const char* en;    // in the English sentence
  const char* zh;    // in the Chinese sentence
};

// clang-format off
const Case kCases[] = {
    {"a key indented one space short of its item's keys",
     "a:\n  - since: 2024-01-10\n    value: 3000\n   status: example\n", 4, 4,
     "expected a list item ('- ') here, lined up with the other items of the list that starts on "
     "line 2; hint: line 4 is indented 3 spaces, the list's '- ' 2 spaces (line 2) and the content "
     "of the line above 4 spaces (line 3)",
     "此处应为以“- ”开头的列表项，与第 2 行开始的列表中的其他项对齐；提示：第 4 行缩进 3 个空格，而该列表的"
     "“- ”缩进 2 个空格（第 2 行），上一行的内容缩进 4 个空格（第 3 行）"},
    {"a list item at the level of the keys",
     "a:\n  b:\n    - 1\n  - 2\n", 4, 3,
     "expected a key here, lined up with the other keys of the mapping that starts on line 2; "
     "hint: the '- ' on line 4 stands where the mapping's keys do (2 spaces in)",
     "此处应为一个键，与第 2 行开始的映射中的其他键对齐；提示：第 4 行的“- ”与该映射的键对齐（缩进 2 个空格）"},
    {"a key between two levels",
     "a:\n  b: 1\n c: 2\n", 3, 2,
     "hint: line 3 is indented 1 space, the mapping's keys 0 spaces (line 1) and the line above 2 "
     "spaces (line 2)",
     "提示：第 3 行缩进 1 个空格，而该映射的键缩进 0 个空格（第 1 行），上一行缩进 2 个空格（第 2 行）"},
    {"a key indented more than the one above",
     "region: alpha\nextends: national\n  code: \"1100\"\n", 3, 7,
     "a ':' (between a key and its value) cannot stand here; hint: line 3 is indented 2 spaces, "
     "more than the line above (line 2, 0 spaces), so it reads as part of that line's value",
     "此处不能出现“:”（键与值之间的分隔）；提示：第 3 行缩进 2 个空格，比上一行（第 2 行，0 个空格）多"},
    {"a value holding ': '",
     "name: a: b\n", 1, 8, "hint: a value holding ': ' must be put in quotes",
     "提示：值中含有“: ”时，须把该值放在引号中"},
    {"key:value without the space, then a key",
     "key:value\nb: 1\n", 2, 2, "hint: on line 1 no space follows the ':': write 'key: value'",
     "提示：第 1 行的“:”后没有空格；应写作“键: 值”"},
    {"key:value without the space in a mapping: where the key starts",
     "region: alpha\nkey:value\nextends: national\n", 2, 1,
     "this line is neither 'key: value' (no ':' follows) nor the continuation of a value above; "
     "hint: on line 2 no space follows the ':'",
     "这一行既不是“键: 值”（其后没有“:”），也不是上一个值的续行；提示：第 2 行的“:”后没有空格"},
    {"a tab", "a: 1\n\tb: 2\n", 2, 1,
     "line 2 is indented with a tab; YAML indents with spaces only",
     "第 2 行用制表符（Tab）缩进；YAML 只能用空格缩进"},
    {"a character that cannot start a value", "a: @x\n", 1, 4,
     "a value cannot start with this character", "值不能以此字符开头"},
    {"an undefined tag", "a: !foo!bar x\n", 1, 4,
     "a value starting with '!' is read as a YAML tag, and this tag is not defined",
     "以“!”开头的值被读作 YAML 标签，而该标签没有定义"},
    {"an unclosed quote: where it opens", "a: 1\nb: \"abc\nc: 2\n", 2, 4,
     "the quote that opens here is still open on line 4", "此处开始的引号到第 4 行仍未闭合"},
    {"an unclosed single quote", "b: 'abc\n", 1, 4, "the quote that opens here",
     "此处开始的引号"},
    {"an unclosed [", "a: [b, c\nd: 1\n", 2, 2,
     "the '[' on line 1, column 4 is not closed with ']'", "第 1 行第 4 列的“[”没有以“]”闭合"},
    {"an unclosed {", "a: {b: 1\n", 2, 1, "the '{' on line 1, column 4 is not closed with '}'",
     "第 1 行第 4 列的“{”没有以“}”闭合"},
    {"a list on its key's line", "a: - b\n", 1, 4,
     "a list item ('- ') cannot follow its key on the same line",
     "列表项（“- ”）不能与它的键写在同一行"},
    {"a backslash in double quotes", "a: \"C:\\dir\"\n", 1, 7,
     "inside double quotes a backslash starts an escape", "双引号中的反斜杠“\\”开始一个转义"},
    {"an anchor without a name", "a: &\n", 1, 5, "'&' and '*' must be followed by an anchor's name",
     "“&”和“*”后应为锚点的名称"},
    {"GBK bytes: the position from libyaml's byte offset", "a: 1\nb: \xb9\xe3\xce\xf7\n", 2, 4,
     "the file is not valid UTF-8 (saved as GBK or GB18030?)", "文件不是有效的 UTF-8 编码"},
    {"a control character", "a: 1\nb: x\x01\n", 2, 5, "the file holds a control character",
     "文件中有控制字符"},
};
// clang-format on

}  // namespace

TEST_CASE("yaml syntax: libyaml's common problems in both languages, with indentation hints") {
  for (const Case& c : kCases) {
    const std::string name = c.name;
    CAPTURE(name);
    auto r = yaml::parse(c.text);
    REQUIRE(std::holds_alternative<yaml::ParseError>(r));
    const auto& e = std::get<yaml::ParseError>(r);
    CHECK(e.mark.line + 1 == c.line);
    CHECK(e.mark.column + 1 == c.column);
    CHECK_MESSAGE(e.message.find(c.en) != std::string::npos, e.message);
    CHECK_MESSAGE(e.message_zh.find(c.zh) != std::string::npos, e.message_zh);
    CHECK(e.code.empty());  // a syntax error: its reader's code
  }
}

TEST_CASE("yaml syntax: an unknown problem in libyaml's words, inside a translated frame") {
  yaml::detail::LibraryError e;
  e.problem = "found something new";
  e.context = "while scanning a thing";
  e.problem_mark = {2, 4};
  const yaml::ParseError p = yaml::detail::describe(e, "a\nb\nc\n");
  CHECK(p.mark.line == 2);
  CHECK(p.mark.column == 4);
  CHECK(p.message == "while scanning a thing: found something new (the YAML library's words)");
  CHECK(p.message_zh == "while scanning a thing: found something new（YAML 解析库原文）");
}

TEST_CASE("yaml syntax: a finding keeps file:line:column and the reader's frame") {
  epil::Findings f;
  auto r = yaml::parse("a: 1\n\tb: 2\n");
  REQUIRE(std::holds_alternative<yaml::ParseError>(r));
  yaml::add_finding(f, "regions/x.yaml", std::get<yaml::ParseError>(r), "yaml-syntax",
                    "YAML syntax", "YAML 语法错误");
  REQUIRE(f.items().size() == 1);
  const epil::Finding& x = f.items()[0];
  CHECK(x.format() ==
        "regions/x.yaml:2:1: error[yaml-syntax]: YAML syntax: line 2 is indented with a tab; YAML "
        "indents with spaces only: replace the tab with spaces");
  CHECK(x.message_zh ==
        "YAML 语法错误：第 2 行用制表符（Tab）缩进；YAML 只能用空格缩进，请把制表符换成空格");
}
