// libFuzzer target: the CSV reader takes files typed by hand and saved by any program; any
// bytes must read as rows or stop with a positioned error, never crash or read out of bounds.
// The first byte picks the encoding and delimiter given (or detection), and the buffer sizes
// are tiny, so that every cell, quote and multi-byte character falls on a buffer boundary.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/encoding.h"
#include "io/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t pick = data[0];
  ++data;
  --size;
  const int fd = memfd_create("csv_fuzz", 0);
  if (fd < 0) return 0;
  for (size_t done = 0; done < size;) {
    const ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  epil::io::CsvOptions options;
  static constexpr epil::io::Encoding kEncodings[] = {
      epil::io::Encoding::kDetect, epil::io::Encoding::kUtf8, epil::io::Encoding::kGb18030,
      epil::io::Encoding::kUtf16Le};
  options.encoding = kEncodings[pick & 3];
  static constexpr char kDelimiters[] = {0, ',', '\t', ';'};
  options.delimiter = kDelimiters[(pick >> 2) & 3];
  options.limits.columns = 64;
  epil::io::detail::CsvBufferSizes sizes;
  const bool tiny = (pick & 0x10) != 0;
  sizes.buffer = tiny ? 16 : 4096;
  sizes.chunk = tiny ? 4 : 1024;
  sizes.sniff = tiny ? 8 : 4096;
  sizes.max_row = 1 << 16;
  std::optional<epil::io::TableError> error;
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto reader = epil::io::detail::open_csv_sized(path, options, error, sizes);
  if (reader) {
    std::vector<std::string_view> cells;
    size_t bytes = 0;
    while (reader->next(cells)) {
      for (std::string_view c : cells) bytes += c.size();  // every view must be readable
      (void)reader->position();
    }
    (void)bytes;
  }
  close(fd);
  return 0;
}
