// Tests for io/json.h: quoting and the streaming writer.
#include "io/json.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace {

using epil::io::json_quote;
using epil::io::JsonWriter;

// One double written as the only value of an array, brackets stripped.
std::string number_text(double v) {
  std::string out;
  JsonWriter(out).begin_array().value(v).end_array();
  return out.substr(1, out.size() - 2);
}

}  // namespace

TEST_CASE("json_quote escapes per RFC 8259") {
  struct {
    std::string_view text;
    std::string_view quoted;
  } const cases[] = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"a\"b", R"("a\"b")"},
      {"a\\b", R"("a\\b")"},
      {"\n\t\r\b\f", R"("\n\t\r\b\f")"},
      {std::string_view("\x00\x01\x1f", 3), R"("\u0000\u0001\u001f")"},
      {"\x7f/", "\"\x7f/\""},  // DEL and '/' need no escape
      {"污染环境罪", "\"污染环境罪\""},
      {"罚金\n\"5万\"", "\"罚金\\n\\\"5万\\\"\""},
      {"𝄞 ¥ ㎡", "\"𝄞 ¥ ㎡\""},
      {"a\xFF"
       "b",
       "\"a\uFFFDb\""},                  // invalid UTF-8 replaced, not copied
      {"\xE6\xB1", "\"\uFFFD\uFFFD\""},  // truncated character
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(json_quote(c.text) == c.quoted);
  }
}

TEST_CASE("JsonWriter compact: nesting and commas") {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("罪名").value("污染环境罪");
  w.key("金额").value(2800.0);
  w.key("list").begin_array().value(1).value(std::int64_t{-2}).begin_object().end_object();
  w.begin_array().end_array().begin_array().value(true).end_array().end_array();
  w.key("empty").begin_object().end_object();
  w.key("flags").begin_object().key("a").value(false).key("b").value(nullptr).end_object();
  w.key("c").value(static_cast<const char*>(nullptr));
  w.key("s").value(std::string("str"));
  w.end_object();
  CHECK(w.ok());
  CHECK(w.complete());
  CHECK(out == R"({"罪名":"污染环境罪","金额":2800,"list":[1,-2,{},[],[true]],"empty":{},)"
               R"("flags":{"a":false,"b":null},"c":null,"s":"str"})");
}

TEST_CASE("JsonWriter: the example in json.h") {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("罪名").value("污染环境罪").key("金额").value(2800.0);
  w.key("标记").begin_array().value(true).value(nullptr).end_array().end_object();
  CHECK(w.complete());
  CHECK(out == R"({"罪名":"污染环境罪","金额":2800,"标记":[true,null]})");
}

TEST_CASE("JsonWriter appends to existing text and writes scalars at top level") {
  std::string out = "prefix ";
  JsonWriter w(out);
  CHECK_FALSE(w.complete());
  w.value("x");
  CHECK(w.complete());
  CHECK(out == "prefix \"x\"");
}

TEST_CASE("JsonWriter pretty output") {
  std::string out;
  JsonWriter w(out, JsonWriter::Style::kPretty);
  w.begin_object();
  w.key("name").value("测试");
  w.key("items").begin_array().value(1).value(2.5).begin_object().key("k").value("v");
  w.end_object().end_array();
  w.key("empty_array").begin_array().end_array();
  w.key("empty_object").begin_object().end_object();
  w.end_object();
  CHECK(w.complete());
  CHECK(out ==
        "{\n"
        "  \"name\": \"测试\",\n"
        "  \"items\": [\n"
        "    1,\n"
        "    2.5,\n"
        "    {\n"
        "      \"k\": \"v\"\n"
        "    }\n"
        "  ],\n"
        "  \"empty_array\": [],\n"
        "  \"empty_object\": {}\n"
        "}");
}

TEST_CASE("JsonWriter number formatting") {
  struct {
    double v;
    std::string_view text;
  } const cases[] = {
      {2800, "2800"},
      {-2800, "-2800"},
      {0, "0"},
      {-0.0, "0"},
      {0.1, "0.1"},
      {0.25, "0.25"},
      {1.0 / 3, "0.3333333333333333"},
      {1e15, "1000000000000000"},
      {9007199254740992.0, "9007199254740992"},  // 2^53: still exact
      {-9007199254740992.0, "-9007199254740992"},
      {18014398509481984.0, "1.8014398509481984e+16"},  // 2^54: beyond exact integers
      {1e300, "1e+300"},
      {1e-7, "1e-07"},
      {std::numeric_limits<double>::quiet_NaN(), "null"},
      {std::numeric_limits<double>::infinity(), "null"},
      {-std::numeric_limits<double>::infinity(), "null"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.v);
    CHECK(number_text(c.v) == c.text);
  }

  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.value(std::numeric_limits<std::int64_t>::min());
  w.value(std::numeric_limits<std::uint64_t>::max());
  w.value(3).value(7u).value(std::size_t{42}).value(short{-5});
  w.end_array();
  CHECK(out == "[-9223372036854775808,18446744073709551615,3,7,42,-5]");
}

TEST_CASE("JsonWriter refuses misuse without throwing") {
  SUBCASE("value in an object without a key") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().value(1);
    CHECK_FALSE(w.ok());
    w.end_object().key("k").value(2);  // ignored after the error
    CHECK(out == "{");
    CHECK_FALSE(w.complete());
  }
  SUBCASE("key outside an object") {
    std::string out;
    JsonWriter w(out);
    w.begin_array().key("k");
    CHECK_FALSE(w.ok());
  }
  SUBCASE("two keys in a row") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("a").key("b");
    CHECK_FALSE(w.ok());
    CHECK(out == R"({"a":)");
  }
  SUBCASE("mismatched end") {
    std::string out;
    JsonWriter w(out);
    w.begin_array().end_object();
    CHECK_FALSE(w.ok());
  }
  SUBCASE("end after a dangling key") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("a").end_object();
    CHECK_FALSE(w.ok());
  }
  SUBCASE("end with nothing open") {
    std::string out;
    JsonWriter w(out);
    w.end_array();
    CHECK_FALSE(w.ok());
    CHECK(out.empty());
  }
  SUBCASE("second top-level value") {
    std::string out;
    JsonWriter w(out);
    w.value(1).value(2);
    CHECK_FALSE(w.ok());
    CHECK(out == "1");
  }
  SUBCASE("unclosed container is not complete") {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("a").value(1);
    CHECK(w.ok());
    CHECK_FALSE(w.complete());
  }
}
