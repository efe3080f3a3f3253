// What the table readers share beyond io/table.h's inline helpers: why a table file cannot be opened.
#include "io/table.h"

#include <cerrno>
#include <cstring>

#include "core/messages.h"

namespace epil::io {

Text cannot_open_table(std::string_view kind, int err) {
  const Text why = err == ENOENT   ? message(Msg::kTableNoSuchFile)
                   : err == EACCES ? message(Msg::kTableNoPermission)
                                   : Text{std::strerror(err), std::strerror(err)};
  return message(Msg::kTableCannotOpen, kind, why);
}

}  // namespace epil::io
