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
    case kDate:
      return date == o.date;
    case kEnum:
      return enum_index == o.enum_index;
    case kString:
      return as_string() == o.as_string();
  }
  return false;
}

}  // namespace epil
