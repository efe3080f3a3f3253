#include "core/builtins.h"

#include <algorithm>

namespace epil {

namespace {

using A = ArgKind;
using R = ResultKind;
using U = UnitRule;
using O = Observed;

}  // namespace

std::span<const Builtin> builtins() {
  // Made on first use, not at start-up: op_info() (core/op.cpp) reads it on its own first
  // use, which may come before this file's globals would have been made.
  static const Builtin kBuiltins[] = {
      // Of amounts or dates, its value is the branches' values, not their shapes.
      {"if", Op::kIf, 3, 3, {A::kBool, A::kBranch, A::kBranch}, R::kBranches, U::kOfArguments,
       false, O::kContinuousResult, "if(c, a, b)",
       {"c 为真时取 a，为假时取 b；c 未知时，a 与 b 相等则取其值，否则未知。a 与 b 类型须相同",
        "`a` when `c` is true, `b` when false; when `c` is unknown, the common value if `a` and "
        "`b` are equal, else unknown. `a` and `b` must have the same type"},
       "if(known(deaths), deaths >= 3, false)"},
      {"min", Op::kMin, 2, 16, {A::kNumber, A::kNumber, A::kNumber}, R::kNumber, U::kOfArguments,
       false, O::kNever, "min(x, y, …)",
       {"2 至 16 个数中最小者；任一未知则未知", "the least of 2 to 16 numbers; unknown if any is unknown"},
       "min(damage_amount, simple_case_limit)"},
      {"max", Op::kMax, 2, 16, {A::kNumber, A::kNumber, A::kNumber}, R::kNumber, U::kOfArguments,
       false, O::kNever, "max(x, y, …)",
       {"2 至 16 个数中最大者；任一未知则未知",
        "the greatest of 2 to 16 numbers; unknown if any is unknown"},
       "max(damage_amount, animals_value)"},
      {"abs", Op::kAbs, 1, 1, {A::kNumber}, R::kNumber, U::kOfArguments, false, O::kNever, "abs(x)",
       {"绝对值", "absolute value"}, "abs(days_between(conduct_date, review_date))"},
      {"known", Op::kKnown, 1, 1, {A::kAny}, R::kBool, U::kNone, false, O::kNever, "known(x)",
       {"x 有值为真，未知为假；自身从不未知。默认值也算有值",
        "true if `x` has a value, false if it is unknown; never unknown itself. A default counts "
        "as a value"},
       "known(deaths)"},
      // Reads an input's flags (said to be unknown, left to its default), which the input's own
      // step does not record: only cases that ask given() tell "无" from a blank.
      {"given", Op::kGiven, 1, 1, {A::kInputField}, R::kBool, U::kNone, false, O::kAlways, "given(f)",
       {"用户给出了输入字段 f（一个值，或明说“不详”）为真；未给出（无论随后取默认值还是仍未知）为假。"
        "自身从不未知。参数须为输入字段。用于明说的“不详”不得退回到沉默时的假定之处",
        "true if the user gave the input field `f`: a value, or `不详` (unknown said outright); "
        "false when it was left out, whether it then took its default or stayed unknown. Never "
        "unknown itself. The argument must be an input field. Use it where a stated 不详 must not "
        "fall back to what silence would assume"},
       "given(incident_grade)"},
      {"set", Op::kIsSet, 1, 1, {A::kParameter}, R::kBool, U::kNone, false, O::kNever, "set(p), set(p[i])",
       {"地区链在所用日期为参数 p（或 p[i]）给出值为真；未设置、为 null 或早于其首个值为假。"
        "i 未知时：枚举各值均无值为假，均有值为真，否则未知。参数须为参数项",
        "true if the region chain gives parameter `p` (cell `p[i]`) a value on the date used, "
        "false if it is not set, `null` or before its values. With an unknown index `i`: false "
        "when no value of the enum has one, true when every value has one, else unknown. The "
        "argument must be a parameter"},
       "set(amount_limit[damage_type])"},
      // Out of range for a count a case gives; one from the thresholds is the same for every
      // case of an epoch.
      {"add_months", Op::kAddMonths, 2, 2, {A::kDate, A::kNumber}, R::kDate, U::kNone, false, O::kCountFromCase,
       "add_months(d, n)",
       {"d 之后 n 个月的日期；目标月无此日时取该月末日（民法典第二百零一条至第二百零四条）；"
        "期末遇节假日不在此顺延，须外套 roll_to_working_day。n 取整。起算日为开放日期时结果亦为开放日期",
        "the date `n` months after `d`; when the target month has no such day, its last day "
        "(2025-01-31 + 1 month = 2025-02-28), the month-end rule of 民法典 第二百零一条至第二百零四条; "
        "a period ending on a holiday is *not* moved here: wrap it in `roll_to_working_day`. `n` "
        "is rounded to a whole number. From an open date, an open date"},
       "add_months(decision_date, publicity_min_months[grade])"},
      {"add_days", Op::kAddDays, 2, 2, {A::kDate, A::kNumber}, R::kDate, U::kNone, false, O::kCountFromCase,
       "add_days(d, n)",
       {"d 之后 n 天的日期；起算日为开放日期时结果亦为开放日期",
        "the date `n` days after `d`; from an open date, an open date"},
       "add_days(repair_from, 1)"},
      // Beyond the calendars the answer is open for some dates and not others.
      {"add_working_days", Op::kAddWorkingDays, 2, 2, {A::kDate, A::kNumber}, R::kDate, U::kNone,
       true, O::kAlways, "add_working_days(d, n)",
       {"按国务院节假日安排，d 之后第 n 个工作日（d 不计）：跳过周末和节假日，调休上班日计入。"
        "经过无安排的日子时结果为开放日期：只把法定节日视为确定的休息日，所能达到的最早一天",
        "the `n`-th working day after `d` (`d` not counted) on the State Council calendars: "
        "weekends and holidays skipped, adjusted working weekends (调休) counted. Where a day it "
        "passes has no calendar, the result is an **open date**: the earliest the `n`-th working "
        "day can be, counting only the statutory fixed holidays as certain rest days"},
       "add_working_days(deletion_event_date, deletion_working_days)"},
      {"roll_to_working_day", Op::kRollToWorkingDay, 1, 1, {A::kDate}, R::kDate, U::kNone, true, O::kAlways,
       "roll_to_working_day(d)",
       {"d 为工作日则为 d，否则为其后第一个工作日（民法典第二百零三条：期间最后一日是法定休假日的，"
        "以休假日结束的次日为期间的最后一日）。超出节假日安排时为开放日期：自 d 起第一个不确定休息的日子",
        "`d` if it is a working day, else the next one (民法典 第二百零三条: a period whose last "
        "day is a statutory rest day ends on the day after). Beyond the calendars, an open date: "
        "the first day from `d` on that is not certainly a rest day (2027-10-01 → 2027-10-04 at "
        "the earliest)"},
       "roll_to_working_day(add_months(settlement_date, observation_months))"},
      {"days_between", Op::kDaysBetween, 2, 2, {A::kDate, A::kDate}, R::kNumber, U::kDays, false, O::kNever,
       "days_between(a, b)",
       {"b − a 的天数（单位 days）；任一为开放日期则未知",
        "`b − a` in days (unit `days`); unknown when either is an open date"},
       "days_between(conduct_date, review_date)"},
  };
  return kBuiltins;
}

const Builtin* find_builtin(std::string_view name) {
  for (const Builtin& b : builtins()) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::string builtin_names() {
  std::string out;
  for (const Builtin& b : builtins()) {
    if (!out.empty()) out += ", ";
    out += b.name;
  }
  return out;
}

}  // namespace epil
