// Values of the rule language and its three-valued logic. A missing input is `unknown`,
// never zero or false; a parameter a region does not set is `unknown` marked "not set".
#pragma once

#include <cstdint>
#include <string_view>

#include "core/date.h"

namespace epil {

enum class BaseType : uint8_t { kInvalid, kBool, kNumber, kDate, kEnum, kString };

/// The static type of a field, parameter or expression. Numbers carry a unit for display
/// and for the checker ("compares 元 with t" is an error); enums carry the enum's id.
struct Type {
  BaseType base = BaseType::kInvalid;
  int16_t enum_id = -1;  // for kEnum: index into Ruleset::enums
  bool operator==(const Type&) const = default;
};

enum class Tri : uint8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };

/// One runtime value: 16 bytes and trivially copyable, so that evaluation never allocates
/// and a value is returned in two registers.
struct Value {
  enum Kind : uint8_t { kUnknown, kBool, kNumber, kDate, kEnum, kString };
  // kBeyondCalendar: a date computed over days whose status (working or rest) no shipped
  //   holiday calendar gives: the value is the earliest the date can be, and the true date is
  //   that day or later (民法典第二百零三条 may move it past rest days nobody has published).
  //   Comparisons treat it as the interval [date, ∞) and answer only what holds for all of it.
  // kStated: an input the user gave as unknown ("不详", "未知"): never replaced by a default.
  // kDefaulted: an input not given, filled from the field's declared default.
  // kWithheld: a default not assumed because another fact contradicts it (a field's
  //   `not_assumed_when`); the input is unknown.
  // kWithheldWhen: the input's `not_assumed_when` held (its default, if it had one, was
  //   withheld), as a traced case's shape records it (core/shape_index.h).
  // kImprecise: an input given only as an estimate (约3000元) or in part (2025年6月): not a
  //   fact to decide on, so unknown to the rules (with kStated: no default replaces it); num
  //   holds the estimate, or date the first day of the month (len 1) or year (len 2) given,
  //   to show what was given.
  enum Flag : uint8_t {
    kNone = 0,
    kNotSet = 1,
    kBeforeValues = 2,
    kBeyondCalendar = 4,
    kStated = 8,
    kDefaulted = 16,
    kWithheld = 32,
    kWithheldWhen = 64,
    kImprecise = 128,
  };

  Kind kind = kUnknown;
  uint8_t flags = kNone;
  uint32_t len = 0;  // for strings
  union {
    bool b;
    double num;
    int32_t date;
    int32_t enum_index;
    const char* str;
  };

  Value() : num(0) {}
  static Value imprecise_number(double n) {
    Value v = unknown(kStated | kImprecise);
    v.num = n;
    return v;
  }
  static Value imprecise_date(int32_t first_day, bool month) {
    Value v = unknown(kStated | kImprecise);
    v.date = first_day;
    v.len = month ? 1 : 2;
    return v;
  }
  static Value unknown(uint8_t flags = kNone) {
    Value v;
    v.flags = flags;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.kind = kBool;
    v.b = x;
    return v;
  }
  static Value tri(Tri t) { return t == Tri::kUnknown ? unknown() : boolean(t == Tri::kTrue); }
  static Value number(double x) {
    Value v;
    v.kind = kNumber;
    v.num = x;
    return v;
  }
  static Value of_date(Date d) {
    Value v;
    v.kind = kDate;
    v.date = d.days();
    return v;
  }
  static Value enumeration(int32_t index) {
    Value v;
    v.kind = kEnum;
    v.enum_index = index;
    return v;
  }
  /// The characters are not copied: they must outlive the value (case storage, config).
  static Value string(std::string_view s) {
    Value v;
    v.kind = kString;
    v.str = s.data();
    v.len = static_cast<uint32_t>(s.size());
    return v;
  }

  bool known() const { return kind != kUnknown; }
  /// A date that is only a lower bound: the real date is this day or later (kBeyondCalendar).
  bool open_date() const { return kind == kDate && (flags & kBeyondCalendar); }
  /// The user gave this input (a value, or "unknown"); false for one not given or defaulted.
  bool given() const { return (known() && !(flags & kDefaulted)) || (flags & kStated); }
  Tri truth() const { return kind == kBool ? (b ? Tri::kTrue : Tri::kFalse) : Tri::kUnknown; }
  Date as_date() const { return Date::from_days(date); }
  std::string_view as_string() const { return {str, len}; }
  /// Equality of two known values of the same kind.
  bool same(const Value& o) const;
};
static_assert(sizeof(Value) == 16);

}  // namespace epil
