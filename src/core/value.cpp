#include "core/value.h"

namespace epil {

bool Value::same(const Value& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case kUnknown:
      return false;
    case kBool:
      return b == o.b;
    case kNumber:
      return num == o.num;
    case kDate:  // an open date (a lower bound) is not the same as an exact one
      return date == o.date && (flags & kBeyondCalendar) == (o.flags & kBeyondCalendar);
    case kEnum:
      return enum_index == o.enum_index;
    case kString:
      return as_string() == o.as_string();
  }
  return false;
}

}  // namespace epil
