// What an ID number's form says of its holder (io/identity.h): the check digits of GB 11643,
// GB 32100 and GB 11714, a list's masked numbers, a 个体工商户's code, names' endings, masking,
// and an age in full years.
#include "io/identity.h"

#include <doctest/doctest.h>

using epil::Date;
using epil::io::full_years;
using epil::io::IdHolder;
using epil::io::mask_id;
using epil::io::organisation_name;
using epil::io::read_id_number;

namespace {
Date ymd(int y, int m, int d) { return *Date::from_ymd(y, m, d); }
}  // namespace

TEST_CASE("identity: a 身份证号码 whose check digit holds is a person's, with the birth date") {
  auto r = read_id_number("11010120080701001X");
  CHECK(r.holder == IdHolder::kPerson);
  REQUIRE(r.birth);
  CHECK(*r.birth == ymd(2008, 7, 1));
  // Lowercase x, spaces and full-width digits as people type them.
  CHECK(read_id_number(" 11010120080701001x ").holder == IdHolder::kPerson);
  CHECK(read_id_number("１１０１０１２００７０３０１００１５").holder == IdHolder::kPerson);
  // One digit wrong: the check fails and nothing is said.
  CHECK(read_id_number("110101200807010014").holder == IdHolder::kUnknown);
  // A date that is no date.
  // A month 13 with a check digit that holds: no date, so not a 身份证号码.
  CHECK(read_id_number("110101200813010016").holder == IdHolder::kUnknown);
}

TEST_CASE("identity: a list's masked number is a person's; the birth date only if shown") {
  auto masked = read_id_number("4501031980****1234");
  CHECK(masked.holder == IdHolder::kPerson);
  CHECK_FALSE(masked.birth);
  auto shown = read_id_number("45010319800512****");
  CHECK(shown.holder == IdHolder::kPerson);
  REQUIRE(shown.birth);
  CHECK(*shown.birth == ymd(1980, 5, 12));
  CHECK(read_id_number("450103********123X").holder == IdHolder::kPerson);
  // Masked, but not 18 characters: it does not say.
  CHECK(read_id_number("4501****1234").holder == IdHolder::kUnknown);
}

TEST_CASE(
    "identity: a 统一社会信用代码 or 组织机构代码 is an organisation's; a 个体工商户's is "
    "neither") {
  CHECK(read_id_number("91450100MA5K00000B").holder == IdHolder::kOrganisation);
  CHECK(read_id_number("91450100MA5K00000C").holder == IdHolder::kUnknown);  // check fails
  CHECK(read_id_number("92450100MA5K000008").holder == IdHolder::kSoleTrader);
  CHECK(read_id_number("12345678-8").holder == IdHolder::kOrganisation);
  CHECK(read_id_number("MA5K00004").holder == IdHolder::kOrganisation);
  CHECK(read_id_number("12345678-9").holder == IdHolder::kUnknown);
  CHECK(read_id_number("").holder == IdHolder::kUnknown);
  CHECK(read_id_number("不详").holder == IdHolder::kUnknown);
}

TEST_CASE("identity: a 15-digit number is an old 身份证号码 unless it may be a 工商注册号") {
  auto old = read_id_number("110101800512123");
  CHECK(old.holder == IdHolder::kPerson);
  REQUIRE(old.birth);
  CHECK(*old.birth == ymd(1980, 5, 12));
  // 110101800512127 passes ISO 7064 MOD 11,10 (a registration number's check): not read.
  CHECK(read_id_number("110101800512127").holder == IdHolder::kUnknown);
}

TEST_CASE("identity: a name ends in an organisation's word, a bracketed note aside") {
  const std::vector<std::string> endings = {"公司", "厂", "合作社", "事务所"};
  CHECK(organisation_name("南宁某某贸易有限公司", endings));
  CHECK(organisation_name("某某会计师事务所（特殊普通合伙）", endings));
  CHECK(organisation_name("某某农机专业合作社 ", endings));
  CHECK_FALSE(organisation_name("张某某", endings));
  CHECK_FALSE(organisation_name("公司", endings));  // the word alone is no name
}

TEST_CASE("identity: masking keeps the first 6 and last 4 characters") {
  CHECK(mask_id("11010120080701001X") == "110101********001X");
  CHECK(mask_id("123456789") == "*********");
  CHECK(mask_id("１１０１０１２００８０７０１００１Ｘ") == "１１０１０１********００１Ｘ");
}

TEST_CASE("identity: an age is reached the day after the birthday (民法典第二百零一条)") {
  CHECK(full_years(ymd(2008, 7, 1), ymd(2026, 7, 1)) == 17);
  CHECK(full_years(ymd(2008, 7, 1), ymd(2026, 7, 2)) == 18);
  CHECK(full_years(ymd(2008, 2, 29), ymd(2026, 2, 28)) == 17);
  CHECK(full_years(ymd(2008, 2, 29), ymd(2026, 3, 1)) == 18);
}
