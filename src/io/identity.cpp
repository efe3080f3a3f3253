#include "io/identity.h"

#include <array>

#include "core/text.h"

namespace epil::io {

namespace {

// The number's characters: full-width folded, lowercase x as X, spaces and hyphens dropped
// ("12345678-9" is how an 组织机构代码 is often written). Empty when a character cannot be in an
// ID number at all.
std::string id_characters(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const Utf8Char u = decode_utf8(text, i);
    i += u.length;
    char32_t c = fold_width(u.value);
    if (c == U'×' || c == U'＊') c = U'*';
    if (c == U' ' || c == U'\t' || c == U'-' || c == U'\u3000') continue;
    if (c >= U'a' && c <= U'z') c = c - U'a' + U'A';
    if (!u.valid || !((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || c == U'*')) {
      return {};
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

std::optional<Date> digits_date(std::string_view yyyymmdd) {
  if (!all_digits(yyyymmdd) || yyyymmdd.size() != 8) return std::nullopt;
  const int v = std::stoi(std::string(yyyymmdd));
  const int y = v / 10000, m = v / 100 % 100, d = v % 100;
  if (y < 1900) return std::nullopt;
  return Date::from_ymd(y, m, d);
}

// GB 11643: 17 digits and a check digit (0-9 or X) over them.
bool resident_check_holds(std::string_view s) {
  static constexpr std::array<int, 17> kWeights{7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                3, 7, 9,  10, 5, 8, 4, 2};
  if (s.size() != 18 || !all_digits(s.substr(0, 17))) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (s[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11] == s[17];
}

// GB 32100: 17 characters of its alphabet and a check character over them.
bool credit_code_check_holds(std::string_view s) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};
  if (s.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < 18; ++i) {
    const size_t v = kAlphabet.find(s[i]);
    if (v == std::string_view::npos) return false;
    if (i < 17) sum += static_cast<int>(v) * kWeights[i];
  }
  return kAlphabet[(31 - sum % 31) % 31] == s[17];
}

// GB 11714: 8 digits or capital letters and a check character (0-9 or X).
bool organisation_code_check_holds(std::string_view s) {
  static constexpr std::array<int, 8> kWeights{3, 7, 9, 10, 5, 8, 4, 2};
  if (s.size() != 9) return false;
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const char c = s[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
    if (v < 0) return false;
    sum += v * kWeights[i];
  }
  const int check = 11 - sum % 11;
  return s[8] == (check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check));
}

// ISO 7064 MOD 11,10, the check of a 15-digit 工商注册号: a 15-digit number that passes it may
// be one, so it is not read as an old 身份证号码.
bool registration_check_holds(std::string_view s) {
  int p = 10;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    int t = (p + (s[i] - '0')) % 10;
    if (t == 0) t = 10;
    p = t * 2 % 11;
  }
  return (11 - p) % 10 == s.back() - '0';
}

IdReading read_masked(std::string_view s) {
  // A published list's masked 身份证号码: 18 characters, asterisks among digits (X last).
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!(c == '*' || (c >= '0' && c <= '9') || (c == 'X' && i == 17))) return {};
  }
  return {IdHolder::kPerson, digits_date(s.substr(6, 8))};
}

}  // namespace

IdReading read_id_number(std::string_view text) {
  const std::string s = id_characters(trim_space(text));
  if (s.size() == 18 && s.find('*') != std::string::npos) return read_masked(s);
  if (s.size() == 18) {
    const auto birth = digits_date(std::string_view(s).substr(6, 8));
    const bool person = birth && resident_check_holds(s);
    const bool organisation = credit_code_check_holds(s);
    if (person == organisation) return {};  // neither, or both: it does not say
    if (person) return {IdHolder::kPerson, birth};
    if (s.starts_with("92")) return {IdHolder::kSoleTrader, std::nullopt};
    return {IdHolder::kOrganisation, std::nullopt};
  }
  if (s.size() == 15 && all_digits(s)) {
    const auto birth = digits_date("19" + s.substr(6, 6));
    if (birth && !registration_check_holds(s)) return {IdHolder::kPerson, birth};
    return {};
  }
  if (s.size() == 9 && organisation_code_check_holds(s)) return {IdHolder::kOrganisation, {}};
  return {};
}

bool organisation_name(std::string_view name, const std::vector<std::string>& endings) {
  std::string_view n = trim_space(name);
  // "某某会计师事务所（特殊普通合伙）": the bracketed note after the name aside.
  for (std::string_view close : {"）", ")"}) {
    if (n.size() > close.size() && n.substr(n.size() - close.size()) == close) {
      const size_t open = n.rfind(close == ")" ? "(" : "（");
      if (open != std::string_view::npos && open > 0) n = trim_space(n.substr(0, open));
    }
  }
  for (const std::string& e : endings) {
    if (n.size() > e.size() && n.substr(n.size() - e.size()) == e) return true;
  }
  return false;
}

std::string mask_id(std::string_view text) {
  std::vector<std::string_view> chars;
  for (size_t i = 0; i < text.size();) {
    const size_t n = std::max<size_t>(decode_utf8(text, i).length, 1);
    chars.push_back(text.substr(i, n));
    i += n;
  }
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    const bool keep = chars.size() > 10 && (i < 6 || i + 4 >= chars.size());
    out += keep ? std::string(chars[i]) : std::string("*");
  }
  return out;
}

int full_years(Date birth, Date on) {
  const auto b = birth.ymd(), o = on.ymd();
  int years = int(o.year()) - int(b.year());
  if (std::pair(unsigned(o.month()), unsigned(o.day())) <=
      std::pair(unsigned(b.month()), unsigned(b.day()))) {
    --years;
  }
  return years;
}

}  // namespace epil::io
