// libFuzzer target: any bytes as an .xlsx workbook, every row read: a table or a TableError,
// never a crash, a leak or memory beyond the limits. The input goes to a memory file, as
// open_xlsx reads by path; the limits are lowered so that one input stays fast.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int fd = memfd_create("xlsx_fuzz", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    return 0;
  }
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  epil::Limits limits;
  limits.cell_bytes = 4096;
  limits.row_bytes = 16384;
  limits.columns = 256;
  limits.xml_depth = 32;
  limits.shared_strings = 1000;
  limits.shared_string_bytes = 65536;
  limits.xlsx_parts = 100;
  limits.xlsx_part_bytes = 1 << 20;
  std::optional<epil::io::TableError> error;
  auto reader = epil::io::open_xlsx(path, "", error, limits);
  if (!reader) return 0;
  std::vector<std::string_view> cells;
  for (int rows = 0; rows < 100000 && reader->next(cells); ++rows) {
    unsigned sum = 0;  // every byte of every cell read, so that a bad view is caught
    for (std::string_view cell : cells) {
      for (char c : cell) sum += static_cast<unsigned char>(c);
    }
    asm volatile("" : : "r"(sum));
  }
  return 0;
}
