// The CSV reader behind open_csv (io/table.h): RFC 4180 parsed in place over a buffer that is
// refilled as the file is read, so that memory stays flat however long the file is. UTF-8 input
// is checked and parsed where it lies; other encodings are decoded to UTF-8 into the same buffer.
#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

#include "core/messages.h"
#include "io/encoding.h"
#include "io/table.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace epil::io {

namespace detail {

namespace {

// Bytes that stay readable past the end of the text, so that the delimiter scan may load 16 bytes
// at a time without checking how many are left.
constexpr size_t kPadding = 16;
// Data lines, after the header, that the delimiter detection looks at.
constexpr size_t kSampleLines = 8;

constexpr std::array<char, 4> kDelimiters = {',', '\t', ';', '|'};

// Finds the bytes that end an unquoted cell: the delimiter and the line feed (a CR before the line
// feed is stripped by the caller). A stray quote inside an unquoted cell is text, so quotes are
// looked for only where a cell starts.
class StopFinder {
 public:
#if defined(__SSE2__)
  explicit StopFinder(char delim) : d_(_mm_set1_epi8(delim)), lf_(_mm_set1_epi8('\n')) {}
#else
  explicit StopFinder(char delim) : delim_(delim) {}
#endif
  // Bit i set if at[i] is a stop, for i < min(16, left). Reads 16 bytes whatever `left` is,
  // which the buffer's padding allows.
  unsigned mask(const char* at, size_t left) const {
    unsigned m = 0;
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    m = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, d_), _mm_cmpeq_epi8(v, lf_))));
#else
    for (unsigned i = 0; i < 16; ++i) {
      if (at[i] == delim_ || at[i] == '\n') m |= 1u << i;
    }
#endif
    return left >= 16 ? m : m & ((1u << left) - 1);
  }

 private:
#if defined(__SSE2__)
  __m128i d_;
  __m128i lf_;
#else
  char delim_;
#endif
};

size_t count_newlines(const char* begin, const char* end) {
  size_t n = 0;
  while (begin < end) {
    const void* hit = std::memchr(begin, '\n', static_cast<size_t>(end - begin));
    if (hit == nullptr) break;
    ++n;
    begin = static_cast<const char*>(hit) + 1;
  }
  return n;
}

std::string hex_bytes(const char* data, size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{:02X}", static_cast<unsigned char>(data[i]));
  }
  return out;
}

Text delimiter_name(char d) {
  return d == '\t' ? message(Msg::kCsvTab) : message(Msg::kTableQuoted, d);
}

// The delimiter the header and the first data lines use: among , tab ; | the one the header
// contains and the most data lines contain exactly as often (ragged rows make some lines differ),
// then the one the header contains most often. Delimiters inside quoted cells do not count.
// A header without any of them is a single column; ',' is as good as any then.
char detect_delimiter(std::string_view text, bool whole_file) {
  std::vector<std::array<int, kDelimiters.size()>> lines;
  std::array<int, kDelimiters.size()> counts{};
  bool quoted = false;
  bool cell_start = true;
  bool line_empty = true;
  auto end_line = [&] {
    if (!line_empty) lines.push_back(counts);
    counts = {};
    line_empty = true;
    cell_start = true;
  };
  for (size_t i = 0; i < text.size() && lines.size() <= kSampleLines; ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          ++i;
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n') {
      end_line();
      continue;
    }
    if (c != '\r') line_empty = false;
    if (c == '"' && cell_start) {
      quoted = true;
      cell_start = false;
      continue;
    }
    const auto* k = std::find(kDelimiters.begin(), kDelimiters.end(), c);
    if (k != kDelimiters.end()) {
      ++counts[static_cast<size_t>(k - kDelimiters.begin())];
      cell_start = true;
    } else {
      cell_start = false;
    }
  }
  // A last line without its line feed is whole only at the end of the file; a cut-off header
  // still says more than nothing.
  if (!line_empty && (whole_file || lines.empty())) lines.push_back(counts);
  if (lines.empty()) return ',';

  int best = -1;
  size_t best_agree = 0;
  int best_count = 0;
  for (size_t k = 0; k < kDelimiters.size(); ++k) {
    const int in_header = lines[0][k];
    if (in_header == 0) continue;
    size_t agree = 0;
    for (size_t l = 1; l < lines.size(); ++l) agree += lines[l][k] == in_header ? 1 : 0;
    if (best < 0 || agree > best_agree || (agree == best_agree && in_header > best_count)) {
      best = static_cast<int>(k);
      best_agree = agree;
      best_count = in_header;
    }
  }
  return best < 0 ? ',' : kDelimiters[static_cast<size_t>(best)];
}

// Invalid input found ahead of the parser; it becomes an error when the parser reaches it, so
// that the rows before it are still read.
struct BadBytes {
  uint64_t offset = 0;   // in the file, counting from 0
  std::string bytes;     // the first few bytes there, for the message
  bool cut_off = false;  // the file ends inside a character
};

class CsvReader final : public TableReader {
 public:
  CsvReader(std::string path, const CsvBufferSizes& sizes)
      : path_(std::move(path)),
        cap_(std::max<size_t>(sizes.buffer, 16)),
        raw_cap_(std::max<size_t>(sizes.chunk, 4)),
        sniff_(std::max<size_t>(sizes.sniff, 4)),
        max_row_(sizes.max_row) {}
  ~CsvReader() override {
    if (fd_ >= 0) ::close(fd_);
  }
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Opens the file and reads the header; on failure error_ says why.
  bool open(const CsvOptions& options);

  const std::vector<std::string>& header() const override { return header_; }
  bool next(std::vector<std::string_view>& cells) override;
  TablePosition position() const override { return {row_line_, 0, {}}; }
  const std::optional<TableError>& error() const override { return error_; }
  uint64_t bytes_read() const override {
    return decoding_ ? raw_offset_ + raw_pos_ : buf_offset_ + pos_;
  }
  uint64_t bytes_total() const override { return file_size_; }

 private:
  enum class Parse { kRow, kEnd, kNeedMore, kError };

  bool read_row(std::vector<std::string_view>& cells);
  Parse parse_row(std::vector<std::string_view>& cells);
  Parse skip_blank_lines(size_t& p);
  Parse too_wide_row();
  Parse quoted_cell(size_t& p, size_t column, std::string_view& cell, bool& row_end,
                    size_t& newlines, size_t& side_used);
  bool fill();
  bool grow();
  void read_utf8();
  void decode_more();
  size_t read_raw(char* dst, size_t n);
  std::string sample_text(Encoding encoding, bool& whole_file);

  int64_t line_at(size_t at) const {
    return line_ + static_cast<int64_t>(count_newlines(buf_.get() + pos_, buf_.get() + at));
  }
  void fail(int64_t row, int column, const Text& why);
  void fail_bad_bytes();
  void note_detection(Encoding chosen);
  void fail_open(const Text& why) { fail(0, 0, why); }

  std::string path_;
  int fd_ = -1;
  bool fd_eof_ = false;
  uint64_t file_size_ = 0;
  std::string head_;  // the first bytes, read to detect the encoding, then handed to the parser
  size_t head_pos_ = 0;

  // Text as UTF-8: [pos_, limit_) is checked and not yet parsed; [limit_, end_) is the start of a
  // UTF-8 character whose rest has not been read yet.
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  size_t pos_ = 0;
  size_t limit_ = 0;
  size_t end_ = 0;
  uint64_t buf_offset_ = 0;  // file offset of buf_[0] when the file is UTF-8
  bool input_done_ = false;  // the whole file is in the buffer
  std::optional<BadBytes> bad_;

  // Decoding other encodings: raw bytes [raw_pos_, raw_end_) not yet decoded.
  bool decoding_ = false;
  Decoder decoder_;
  Encoding encoding_ = Encoding::kUtf8;
  std::unique_ptr<char[]> raw_;
  size_t raw_cap_;
  size_t raw_pos_ = 0;
  size_t raw_end_ = 0;
  bool raw_needs_input_ = false;
  uint64_t raw_offset_ = 0;  // file offset of raw_[0]
  size_t sniff_;
  size_t max_row_;
  size_t max_columns_ = 16384;
  Text detection_;  // note_detection()

  // Cells with doubled quotes, unescaped; as large as buf_ so that one row never outgrows it.
  std::unique_ptr<char[]> side_;
  size_t side_cap_ = 0;

  char delim_ = ',';
  std::vector<std::string> header_;
  int64_t line_ = 1;          // physical line at pos_
  int64_t row_line_ = 0;      // line where the last row returned starts
  size_t partial_cells_ = 0;  // cells complete in the row that ran out of input
  bool done_ = false;
  std::optional<TableError> error_;
};

void CsvReader::fail(int64_t row, int column, const Text& why) {
  error_ = make_table_error(path_, row, column, header_, why);
  done_ = true;
}

// What the detection saw, for a message about bad bytes: where UTF-8 went wrong first, since
// that is what made it choose another encoding, or that the rest looked like UTF-8.
void CsvReader::note_detection(Encoding chosen) {
  if (chosen != Encoding::kUtf8 && chosen != Encoding::kGb18030) return;
  const Utf8Evidence e = utf8_evidence(head_);
  if (e.invalid == 0) return;
  const int64_t line =
      1 + static_cast<int64_t>(count_newlines(head_.data(), head_.data() + e.first_invalid));
  const std::string bytes = hex_bytes(head_.data() + e.first_invalid,
                                      std::min<size_t>(4, head_.size() - e.first_invalid));
  detection_ = chosen == Encoding::kUtf8
                   ? message(Msg::kCsvReadAsUtf8, e.multibyte)
                   : message(Msg::kCsvReadAsGb18030, line, e.first_invalid, bytes);
}

void CsvReader::fail_bad_bytes() {
  const int64_t line = line_at(limit_);
  const int column = static_cast<int>(partial_cells_) + 1;
  const std::string_view enc = encoding_name(encoding_);
  const BadBytes& b = *bad_;
  if (b.cut_off) {
    fail(line, column, message(Msg::kCsvCutOff, line, b.offset, enc, b.bytes));
    return;
  }
  fail(line, column, message(Msg::kCsvBadBytes, line, b.offset, enc, b.bytes, detection_));
}

size_t CsvReader::read_raw(char* dst, size_t n) {
  size_t got = 0;
  if (head_pos_ < head_.size()) {
    got = std::min(n, head_.size() - head_pos_);
    std::memcpy(dst, head_.data() + head_pos_, got);
    head_pos_ += got;
    if (head_pos_ == head_.size()) std::string().swap(head_);
  }
  while (got < n && !fd_eof_) {
    const ssize_t r = ::read(fd_, dst + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      fail(line_, 0, message(Msg::kTableReadFailed, std::strerror(err)));
      return got;
    }
    if (r == 0) {
      fd_eof_ = true;
      break;
    }
    got += static_cast<size_t>(r);
  }
  return got;
}

void CsvReader::read_utf8() {
  const size_t n = read_raw(buf_.get() + end_, cap_ - end_);
  if (error_) return;
  if (n == 0) {
    if (end_ > limit_) {
      bad_ = BadBytes{buf_offset_ + limit_, hex_bytes(buf_.get() + limit_, end_ - limit_), true};
    } else {
      input_done_ = true;
    }
    return;
  }
  end_ += n;
  const Utf8Scan scan = scan_utf8(buf_.get() + limit_, end_ - limit_);
  limit_ += scan.valid;
  if (scan.invalid) {
    bad_ = BadBytes{buf_offset_ + limit_,
                    hex_bytes(buf_.get() + limit_, std::min<size_t>(4, end_ - limit_)), false};
  }
}

void CsvReader::decode_more() {
  for (;;) {
    if (raw_pos_ == raw_end_ || raw_needs_input_) {
      // Keep a character cut off by the end of the last read, and read the rest after it.
      if (raw_pos_ > 0) {
        std::memmove(raw_.get(), raw_.get() + raw_pos_, raw_end_ - raw_pos_);
        raw_offset_ += raw_pos_;
        raw_end_ -= raw_pos_;
        raw_pos_ = 0;
      }
      const size_t n = read_raw(raw_.get() + raw_end_, raw_cap_ - raw_end_);
      if (error_) return;
      if (n == 0) {
        if (raw_end_ > 0) {
          bad_ = BadBytes{raw_offset_, hex_bytes(raw_.get(), raw_end_), true};
        } else {
          input_done_ = true;
        }
        return;
      }
      raw_end_ += n;
      raw_needs_input_ = false;
    }
    const Decoder::Step step =
        decoder_.decode(raw_.get() + raw_pos_, raw_end_ - raw_pos_, buf_.get() + end_, cap_ - end_);
    raw_pos_ += step.consumed;
    end_ += step.produced;
    limit_ = end_;  // iconv writes only whole, valid UTF-8 characters
    switch (step.status) {
      case Decoder::Status::kDone:
        break;
      case Decoder::Status::kNeedInput:
        raw_needs_input_ = true;
        break;
      case Decoder::Status::kOutputFull:
        return;
      case Decoder::Status::kInvalid:
        bad_ = BadBytes{raw_offset_ + raw_pos_,
                        hex_bytes(raw_.get() + raw_pos_, std::min<size_t>(4, raw_end_ - raw_pos_)),
                        false};
        return;
    }
  }
}

bool CsvReader::grow() {
  if (end_ >= max_row_) {
    fail(line_, 0, message(Msg::kCsvRowTooLong, line_, max_row_));
    return false;
  }
  const size_t cap = cap_ * 2;
  std::unique_ptr<char[]> bigger(new char[cap + kPadding]());
  std::memcpy(bigger.get(), buf_.get(), end_);
  buf_ = std::move(bigger);
  cap_ = cap;
  side_.reset();  // reallocated at the new size when next needed
  side_cap_ = 0;
  return true;
}

// Makes more text available after limit_, keeping the unfinished row at pos_. False when none
// can come: then input_done_, bad_ or error_ says why.
bool CsvReader::fill() {
  if (input_done_ || bad_ || error_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
    buf_offset_ += pos_;
    limit_ -= pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  // Growing once the unfinished row fills half the buffer keeps re-parsing a long row (which
  // starts over after each fill) proportional to its length.
  if (end_ > cap_ / 2 || cap_ - end_ < 8) {
    if (!grow()) return false;
  }
  const size_t before = limit_;
  while (limit_ == before && !input_done_ && !bad_ && !error_) {
    if (decoding_) {
      decode_more();
    } else {
      read_utf8();
    }
  }
  return limit_ > before;
}

// The quoted cell that starts at `p` (data[p] is '"'), up to and including what ends it: a
// delimiter, a line end or the end of the text. On kRow, `cell` holds it, `p` is past its end and
// `row_end` says whether that end was the row's.
CsvReader::Parse CsvReader::quoted_cell(size_t& p, size_t column, std::string_view& cell,
                                        bool& row_end, size_t& newlines, size_t& side_used) {
  char* const data = buf_.get();
  const size_t lim = limit_;
  const bool final = input_done_;
  const size_t open = p;
  size_t q = p + 1;
  size_t close;
  bool doubled = false;
  for (;;) {
    const void* hit = std::memchr(data + q, '"', lim - q);
    if (hit == nullptr) {
      if (!final) return Parse::kNeedMore;
      const int64_t line = line_at(open);
      fail(line, static_cast<int>(column), message(Msg::kCsvUnclosedQuote, line, column));
      return Parse::kError;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - data);
    if (at + 1 < lim && data[at + 1] == '"') {
      doubled = true;
      q = at + 2;
      continue;
    }
    close = at;
    break;
  }
  newlines += count_newlines(data + open + 1, data + close);
  if (!doubled) {
    cell = std::string_view(data + open + 1, close - open - 1);
  } else {
    // The unescaped cells of a row are shorter than the row, which fits in buf_; so side_,
    // as large as buf_, never moves while a row is parsed and earlier views stay valid.
    if (side_cap_ < cap_) {
      side_.reset(new char[cap_]);
      side_cap_ = cap_;
    }
    char* const out = side_.get() + side_used;
    size_t len = 0;
    for (size_t i = open + 1; i < close; ++i) {
      out[len++] = data[i];
      if (data[i] == '"') ++i;  // the second of a doubled pair
    }
    cell = std::string_view(out, len);
    side_used += len;
  }

  p = close + 1;
  while (p < lim && data[p] == ' ') ++p;  // "a" , "b": spaces after the quote say nothing
  row_end = true;
  if (p == lim) return final ? Parse::kRow : Parse::kNeedMore;
  const char c = data[p];
  if (c == delim_) {
    ++p;
    row_end = false;
    return Parse::kRow;
  }
  if (c == '\n') {
    ++p;
    return Parse::kRow;
  }
  if (c == '\r') {
    if (p + 1 == lim) {
      if (!final) return Parse::kNeedMore;
      ++p;
      return Parse::kRow;
    }
    if (data[p + 1] == '\n') {
      p += 2;
      return Parse::kRow;
    }
  }
  // Text after the closing quote, as in "a"b, or an undoubled quote inside quotes.
  size_t shown = 1;
  while (shown < 4 && p + shown < lim &&
         (static_cast<unsigned char>(data[p + shown]) & 0xC0) == 0x80) {
    ++shown;
  }
  const std::string found(data + p, shown);
  const int64_t line = line_at(p);
  fail(line, static_cast<int>(column),
       message(Msg::kCsvAfterClosingQuote, line, column, delimiter_name(delim_), found));
  return Parse::kError;
}

// Blank lines are not rows (a spreadsheet writes an empty row as ",,,"); they still count as
// lines, so that positions match the file. kRow: a row starts at `p`; otherwise what
// parse_row() returns.
CsvReader::Parse CsvReader::skip_blank_lines(size_t& p) {
  const char* const data = buf_.get();
  const size_t lim = limit_;
  for (;;) {
    if (p == lim) return input_done_ ? Parse::kEnd : Parse::kNeedMore;
    if (data[p] == '\n') {
      pos_ = ++p;
      ++line_;
      continue;
    }
    if (data[p] == '\r') {
      if (p + 1 == lim) {
        if (!input_done_) return Parse::kNeedMore;
        pos_ = lim;
        return Parse::kEnd;
      }
      if (data[p + 1] == '\n') {
        pos_ = p += 2;
        ++line_;
        continue;
      }
    }
    return Parse::kRow;
  }
}

CsvReader::Parse CsvReader::too_wide_row() {
  fail(line_, static_cast<int>(max_columns_) + 1,
       message(Msg::kCsvTooManyColumns, line_, max_columns_));
  return Parse::kError;
}

// Parses the row at pos_. kRow: `cells` holds it and pos_ is past it. kNeedMore: the row runs
// past limit_ and more text may come. kEnd: no rows are left. kError: error_ says why.
CsvReader::Parse CsvReader::parse_row(std::vector<std::string_view>& cells) {
  const char* const data = buf_.get();
  const size_t lim = limit_;
  const bool final = input_done_;
  size_t p = pos_;
  partial_cells_ = 0;

  if (const Parse r = skip_blank_lines(p); r != Parse::kRow) return r;

  size_t n = 0;
  size_t newlines = 0;  // inside quoted cells
  size_t side_used = 0;
  // Locals rather than members and cells.size(): the compiler cannot tell that storing a view
  // leaves them unchanged, and would reload them for every cell.
  const char delim = delim_;
  std::string_view* out = cells.data();
  size_t room = cells.size();
  bool too_wide = false;
  auto put = [&](const char* s, size_t len) __attribute__((always_inline)) {
    if (n == room) {
      // Past the column limit a row is no table anyone typed: its cells are not kept.
      if (room >= max_columns_) {
        too_wide = true;
        return;
      }
      cells.emplace_back();
      out = cells.data();
      room = cells.size();
    }
    out[n++] = std::string_view(s, len);
  };

  // Unquoted cells are found 16 bytes at a time: `mask` marks the delimiters and line feeds in
  // [base, base + 16) that lie before the end of the text, and each is used once.
  const StopFinder stops(delim);
  size_t base = p;
  unsigned mask = stops.mask(data + base, lim - base);
  for (;;) {
    if (p < lim && data[p] == '"') {
      partial_cells_ = n;
      std::string_view cell;
      bool row_end = false;
      const Parse r = quoted_cell(p, n + 1, cell, row_end, newlines, side_used);
      if (r != Parse::kRow) return r;
      put(cell.data(), cell.size());
      if (row_end) break;
      base = p;
      mask = stops.mask(data + base, lim - base);
      continue;
    }
    while (mask == 0) {
      base += 16;
      if (base >= lim) break;
      mask = stops.mask(data + base, lim - base);
    }
    if (mask == 0) {  // the cell runs to the end of the text
      partial_cells_ = n;
      if (!final) return Parse::kNeedMore;
      size_t e = lim;
      if (e > p && data[e - 1] == '\r') --e;
      put(data + p, e - p);
      p = lim;
      break;
    }
    const size_t stop = base + static_cast<size_t>(__builtin_ctz(mask));
    mask &= mask - 1;
    if (data[stop] == delim) {
      put(data + p, stop - p);
      p = stop + 1;
      continue;
    }
    size_t e = stop;  // a line feed; a CR before it belongs to the line end
    if (e > p && data[e - 1] == '\r') --e;
    put(data + p, e - p);
    p = stop + 1;
    break;
  }

  if (too_wide) return too_wide_row();
  // One view per header column: a short row is padded with empty cells, a long one keeps its
  // extra cells.
  const size_t width = std::max(n, header_.size());
  if (cells.size() != width) cells.resize(width);
  for (size_t i = n; i < width; ++i) cells[i] = std::string_view();
  row_line_ = line_;
  line_ += 1 + static_cast<int64_t>(newlines);
  pos_ = p;
  return Parse::kRow;
}

bool CsvReader::read_row(std::vector<std::string_view>& cells) {
  while (!done_) {
    switch (parse_row(cells)) {
      case Parse::kRow:
        return true;
      case Parse::kEnd:
      case Parse::kError:
        done_ = true;
        return false;
      case Parse::kNeedMore:
        if (fill()) break;
        if (error_) return false;
        if (bad_) {
          fail_bad_bytes();
          return false;
        }
        // Otherwise the end of the file: parse again, taking limit_ as the end of the text.
        break;
    }
  }
  return false;
}

bool CsvReader::next(std::vector<std::string_view>& cells) {
  try {
    return read_row(cells);
  } catch (const std::bad_alloc&) {
    fail(line_, 0, message(Msg::kTableRowOutOfMemory));
    return false;
  }
}

// The start of the file as UTF-8 text, for the delimiter detection; `whole_file` becomes false
// if the text stops short of the end of the file (at an invalid byte, say).
std::string CsvReader::sample_text(Encoding encoding, bool& whole_file) {
  std::string text;
  if (!decoding_) {
    const Utf8Scan scan = scan_utf8(head_.data(), head_.size());
    text.assign(head_, 0, scan.valid);
    if (scan.valid < head_.size()) whole_file = false;
  } else {
    Decoder d;
    if (d.open(encoding)) {
      text.resize(head_.size() * 2 + 16);  // 2 bytes of GB18030 or UTF-16 are at most 3 of UTF-8
      const Decoder::Step step = d.decode(head_.data(), head_.size(), text.data(), text.size());
      text.resize(step.produced);
      if (step.status != Decoder::Status::kDone) whole_file = false;
    }
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

bool CsvReader::open(const CsvOptions& options) {
  max_columns_ = static_cast<size_t>(std::max<uint64_t>(options.limits.columns, 1));
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    fail_open(cannot_open_table("CSV", errno));
    return false;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      fail_open(message(Msg::kTableIsDirectory, "CSV"));
      return false;
    }
    if (S_ISREG(st.st_mode)) file_size_ = static_cast<uint64_t>(st.st_size);
  }
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);

  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r' ||
      static_cast<unsigned char>(options.delimiter) >= 0x80) {
    fail_open(message(Msg::kCsvBadDelimiter, hex_bytes(&options.delimiter, 1)));
    return false;
  }

  std::string head(sniff_, '\0');
  head.resize(read_raw(head.data(), sniff_));
  if (error_) return false;
  head_ = std::move(head);
  if (head_.empty()) {
    fail_open(message(Msg::kCsvEmptyFile));
    return false;
  }
  bool whole_file = fd_eof_ || (file_size_ != 0 && head_.size() >= file_size_);

  Encoding encoding = options.encoding;
  if (encoding == Encoding::kDetect) {
    encoding = sniff_encoding(head_, whole_file);
    note_detection(encoding);
  }
  if (encoding == Encoding::kUtf8Bom) encoding = Encoding::kUtf8;
  encoding_ = encoding;
  decoding_ = encoding != Encoding::kUtf8;
  if (decoding_) {
    if (!decoder_.open(encoding)) {
      fail_open(message(Msg::kCsvCannotDecode, encoding_name(encoding)));
      return false;
    }
    raw_.reset(new char[raw_cap_]);
  }
  if (options.delimiter != 0) {
    delim_ = options.delimiter;
  } else {
    const std::string sample = sample_text(encoding, whole_file);
    delim_ = detect_delimiter(sample, whole_file);
  }

  buf_.reset(new char[cap_ + kPadding]());
  if (!fill() && error_) return false;
  // The BOM (U+FEFF, whichever encoding wrote it) marks the encoding; it is not header text.
  if (limit_ - pos_ >= 3 && std::memcmp(buf_.get() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;

  std::vector<std::string_view> cells;
  if (!read_row(cells)) {
    if (!error_) fail_open(message(Msg::kCsvNoHeader));
    return false;
  }
  header_.assign(cells.begin(), cells.end());
  row_line_ = 0;  // no data row returned yet
  return true;
}

}  // namespace

std::unique_ptr<TableReader> open_csv_sized(const std::string& path, const CsvOptions& options,
                                            std::optional<TableError>& error,
                                            const CsvBufferSizes& sizes) {
  error.reset();
  try {
    auto reader = std::make_unique<CsvReader>(path, sizes);
    if (!reader->open(options)) {
      error = reader->error();
      return nullptr;
    }
    return reader;
  } catch (const std::bad_alloc&) {
    error = make_table_error(path, 0, 0, {}, message(Msg::kTableOpenOutOfMemory));
    return nullptr;
  }
}

}  // namespace detail

std::unique_ptr<TableReader> open_csv(const std::string& path, const CsvOptions& options,
                                      std::optional<TableError>& error) {
  detail::CsvBufferSizes sizes;
  sizes.max_row = static_cast<size_t>(options.limits.row_bytes);
  return detail::open_csv_sized(path, options, error, sizes);
}

}  // namespace epil::io
