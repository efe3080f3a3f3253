// Text encodings for the CSV reader: recognising them, checking UTF-8, decoding the rest to UTF-8
// in chunks. Internal: callers open tables through io/table.h.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/table.h"

namespace epil::io::detail {

/// The encoding a file's first bytes suggest. A BOM decides (UTF-8, UTF-16 LE or BE); otherwise
/// UTF-8 if `head` is valid UTF-8 (or nearly: many valid characters and a stray bad byte), else
/// GB18030, the encoding Chinese Excel and WPS save "CSV" in.
/// A sequence cut off by the end of `head` counts as valid unless `head` is the whole file.
Encoding sniff_encoding(std::string_view head, bool whole_file);

/// How much of `head` reads as UTF-8: characters of three or four bytes that are valid, the
/// places where it is not valid, and the first such place (an offset into `head`).
struct Utf8Evidence {
  size_t multibyte = 0;
  size_t invalid = 0;
  size_t first_invalid = 0;
};
Utf8Evidence utf8_evidence(std::string_view head);

/// "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030": the name in messages and for iconv.
std::string_view encoding_name(Encoding encoding);

struct Utf8Scan {
  size_t valid = 0;  // length of the prefix made of complete, valid sequences
  bool invalid =
      false;  // the scan stopped at an invalid byte, not at a sequence cut off by the end
};

/// Checks UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above U+10FFFF.
Utf8Scan scan_utf8(const char* data, size_t size);

/// Decodes a stream to UTF-8 with glibc iconv. Input may be cut anywhere: a sequence split between
/// two calls is left unconsumed by the first and must be passed again, followed by more input.
class Decoder {
 public:
  enum class Status {
    kDone,        // all input consumed
    kOutputFull,  // stopped for lack of output space
    kNeedInput,   // all consumed but a sequence cut off at the end of the input
    kInvalid,     // stopped at a sequence that is not valid in the encoding (at `consumed`)
  };
  struct Step {
    size_t consumed = 0;
    size_t produced = 0;
    Status status = Status::kDone;
  };

  Decoder() = default;
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  /// False if iconv cannot convert from `from` (or `from` is UTF-8, which needs no decoding).
  bool open(Encoding from);
  Step decode(const char* in, size_t in_size, char* out, size_t out_size);

 private:
  void* cd_ = nullptr;  // iconv_t, kept opaque so that this header does not pull in <iconv.h>
};

/// The CSV reader's buffer sizes. open_csv uses the defaults; tests shrink them to a few bytes so
/// that every cell, quote, line break and multi-byte character falls on a buffer boundary.
struct CsvBufferSizes {
  size_t buffer = size_t{1} << 20;   // decoded text; grows for a row longer than this
  size_t chunk = size_t{256} << 10;  // raw bytes read per call when the file needs decoding
  size_t sniff = size_t{64} << 10;   // bytes examined to detect the encoding and the delimiter
  // An unfinished row this long is a quote that never closes, not a cell anyone typed: an error
  // rather than the rest of the file read into memory.
  size_t max_row = size_t{64} << 20;
};

std::unique_ptr<TableReader> open_csv_sized(const std::string& path, const CsvOptions& options,
                                            std::optional<TableError>& error,
                                            const CsvBufferSizes& sizes);

}  // namespace epil::io::detail
