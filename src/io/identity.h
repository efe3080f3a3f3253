// What an ID number's form says of who holds it: a 居民身份证号码 (GB 11643: 18 characters with
// a check digit, or the older 15 digits) is a person's, with the birth date in it; a 统一社会信用
// 代码 (GB 32100: 18 characters with a check character) or an 组织机构代码 (GB 11714: 8 + a check
// character) is an organisation's. A published list masks a person's number (4501031980****1234):
// 18 characters with asterisks are a person's, the birth date then unknown. A number whose
// check does not hold, or that could be either, says nothing. And masking for output.
// ID numbers are personal data: nothing here keeps or quotes them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace epil::io {

// kSoleTrader: a 统一社会信用代码 of a 个体工商户 (登记管理部门 9, 机构类别 2: it begins "92"),
// neither a person's number nor an organisation's.
enum class IdHolder { kUnknown, kPerson, kOrganisation, kSoleTrader };

struct IdReading {
  IdHolder holder = IdHolder::kUnknown;
  std::optional<Date> birth;  // a person's unmasked number only
};

/// Reads `text` (spaces, hyphens and full-width characters allowed; lowercase x as X).
IdReading read_id_number(std::string_view text);

/// The name ends in one of `endings` (有限公司, 厂, 合作社 …), trailing spaces and a bracketed
/// note ("（普通合伙）") aside.
bool organisation_name(std::string_view name, const std::vector<std::string>& endings);

/// `text` with every character but the first 6 and the last 4 replaced by '*'; a text of 10
/// characters or fewer entirely masked.
std::string mask_id(std::string_view text);

/// Age in full years (周岁) on `on` of a person born on `birth`. A year of age is a period
/// counted from the day after the birth date and ending on its anniversary (民法典第二百零一条、
/// 第二百零二条), so an age is reached the day after the birthday: on the 18th birthday itself
/// the person is 17. Born 29 February: the period ends 28 February, reached 1 March.
int full_years(Date birth, Date on);

}  // namespace epil::io
