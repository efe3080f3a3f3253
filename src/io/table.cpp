// What the table readers share beyond io/table.h's inline helpers: why a table file cannot be
// opened, and the formats of cells (none for the readers of text).
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

const std::vector<CellFormat>& standard_cell_formats() {
  static const std::vector<CellFormat> formats = {{CellFormat::kText, 0, {}},
                                                  {CellFormat::kNumber, 0, {}},
                                                  {CellFormat::kDate, 0, {}},
                                                  {CellFormat::kDateTime, 0, {}},
                                                  {CellFormat::kTime, 0, {}}};
  return formats;
}

// Readers of text say nothing of their cells: each is text.
const std::vector<CellFormat>& TableReader::cell_formats() const {
  static const std::vector<CellFormat> none;
  return none;
}

const std::vector<uint16_t>& TableReader::row_formats() const {
  static const std::vector<uint16_t> none;
  return none;
}

const std::vector<std::vector<std::string>>& TableReader::preamble() const {
  static const std::vector<std::vector<std::string>> none;
  return none;
}

}  // namespace epil::io
