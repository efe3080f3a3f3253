// libFuzzer target: any bytes as a JSON Lines file (through a memfd, as a regular file is read)
// give rows and at most one error, never a crash or a read past the mapping; every cell is
// touched, and row numbers only grow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_file.h"
#include "io/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const epil::fuzz::FuzzFile file(data, size);
  if (!file.ok()) return 0;
  epil::Limits limits;
  limits.columns = 64;
  limits.cell_bytes = 256;
  limits.row_bytes = 4096;
  std::optional<epil::io::TableError> error;
  auto reader = epil::io::open_jsonl(file.path(), error, limits);
  if (reader) {
    std::vector<std::string_view> cells;
    int64_t last_row = 0;
    size_t sum = 0;
    while (reader->next(cells)) {
      if (cells.size() < reader->header().size()) std::abort();
      if (reader->position().row <= last_row) std::abort();
      last_row = reader->position().row;
      for (auto c : cells) {
        if (c.size() > limits.cell_bytes) std::abort();
        for (char ch : c) sum += static_cast<unsigned char>(ch);
      }
    }
    if (reader->header().size() > limits.columns) std::abort();
    (void)sum;
  }
  return 0;
}
