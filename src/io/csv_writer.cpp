// CSV and TSV output (RFC 4180, UTF-8 with an optional BOM), and the parts of TableWriter that
// every writer shares.
#include <cstring>
#include <functional>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io/batch.h"

namespace epil::io {

void TableWriter::encode_row(const std::vector<std::string_view>& cells, size_t added_from,
                             std::string& out) const {
  encode_input({cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(added_from)}, out);
  size_t first = out.size();
  for (size_t k = 0; added_from + k < cells.size(); ++k) {
    encode_added(k, cells[added_from + k], out);
  }
  finish_row(out, first, added_from == 0);
}

void TableWriter::finish_row(std::string& out, size_t first_added, bool no_input) const {
  // Each appended cell came with the separator before it; a row's first cell has none.
  if (no_input && out.size() > first_added) out.erase(first_added, 1);
  encode_end(out);
}

// --- CSV writer ---------------------------------------------------------------------------

namespace {

class CsvWriter : public TableWriter {
 public:
  CsvWriter(std::function<bool(std::string_view)> sink, char delimiter, bool bom)
      : sink_(std::move(sink)), delimiter_(delimiter), bom_(bom) {
    for (unsigned char c : {static_cast<unsigned char>(delimiter), static_cast<unsigned char>('"'),
                            static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r')}) {
      special_[c] = true;
    }
  }

  bool preamble(const std::vector<std::vector<std::string>>& rows) override {
    std::string lines = start();
    for (const auto& row : rows) {
      encode_input(std::vector<std::string_view>(row.begin(), row.end()), lines);
      encode_end(lines);
    }
    return sink_(lines);
  }

  bool header(const std::vector<std::string>& cells) override {
    std::string line = start();
    encode_input(std::vector<std::string_view>(cells.begin(), cells.end()), line);
    encode_end(line);
    return sink_(line);
  }

  bool row(const std::vector<std::string_view>& cells, size_t added_from,
           std::string_view) override {
    encode_row(cells, added_from, pending_);
    if (pending_.size() < (1 << 16)) return true;
    bool ok = sink_(pending_);
    pending_.clear();
    return ok;
  }

  bool encodes() const override { return true; }

  void encode_added(size_t, std::string_view text, std::string& out) const override {
    out += delimiter_;
    field(text, out);
  }

  char joiner() const override { return delimiter_; }

  bool encode_joined(std::string_view joined, size_t n, std::string& out) const override {
    if (n == 0 || !plain_row(joined, n)) return false;
    out.append(joined);
    return true;
  }

  void encode_input(const std::vector<std::string_view>& cells, std::string& out) const override {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += delimiter_;
      field(cells[i], out);
    }
  }

  void encode_end(std::string& out) const override { out += "\r\n"; }

  bool write_encoded(std::string_view bytes) override {
    if (!pending_.empty()) {
      if (!sink_(pending_)) return false;
      pending_.clear();
    }
    return bytes.empty() || sink_(bytes);
  }

  bool finish(const BatchSummary&) override {
    bool ok = pending_.empty() || sink_(pending_);
    pending_.clear();
    return ok;
  }

 private:
  // RFC 4180: quote a field holding the delimiter, a quote, or a line break.
  void field(std::string_view v, std::string& out) const {
    if (!needs_quotes(v)) {
      out.append(v);
      return;
    }
    out += '"';
    for (size_t q; (q = v.find('"')) != std::string_view::npos; v.remove_prefix(q + 1)) {
      out.append(v.substr(0, q + 1));
      out += '"';
    }
    out.append(v);
    out += '"';
  }

#if defined(__SSE2__)
  // Of the 16 bytes at `p`, the lanes (0xFF) holding a quote or a line break, and those
  // holding the delimiter.
  struct Lanes {
    __m128i breaks, delimiters;
  };
  Lanes lanes(const char* p) const {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return {_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                         _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
                                      _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')))),
            _mm_cmpeq_epi8(x, _mm_set1_epi8(delimiter_))};
  }
#endif

  // Every output byte passes here: sixteen at a time where the machine allows.
  bool needs_quotes(std::string_view v) const {
    size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= v.size(); i += 16) {
      Lanes l = lanes(v.data() + i);
      if (_mm_movemask_epi8(_mm_or_si128(l.breaks, l.delimiters)) != 0) return true;
    }
#endif
    bool quote = false;
    for (; i < v.size(); ++i) quote |= special_[static_cast<unsigned char>(v[i])];
    return quote;
  }

  // True when `joined` holds n cells (n - 1 delimiters) none of which needs quoting.
  bool plain_row(std::string_view v, size_t n) const {
    size_t delimiters = 0, i = 0;
#if defined(__SSE2__)
    // Delimiters are counted per byte lane (a lane holds at most 255) and summed by lanes.
    const __m128i zero = _mm_setzero_si128();
    __m128i counts = zero;
    auto sum = [&] {
      __m128i s = _mm_sad_epu8(counts, zero);
      delimiters += static_cast<size_t>(_mm_cvtsi128_si32(s)) +
                    static_cast<size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s)));
      counts = zero;
    };
    for (int round = 0; i + 16 <= v.size(); i += 16) {
      Lanes l = lanes(v.data() + i);
      if (_mm_movemask_epi8(l.breaks) != 0) return false;
      counts = _mm_sub_epi8(counts, l.delimiters);
      if (++round == 255) {
        sum();
        round = 0;
      }
    }
    sum();
#endif
    for (; i < v.size(); ++i) {
      if (v[i] == delimiter_) {
        ++delimiters;
      } else if (special_[static_cast<unsigned char>(v[i])]) {
        return false;
      }
    }
    return delimiters + 1 == n;
  }

  std::function<bool(std::string_view)> sink_;
  char delimiter_;
  bool bom_;
  bool started_ = false;
  // The byte order mark, before the first line written (the preamble's or the header).
  std::string start() {
    const bool first = !started_;
    started_ = true;
    return first && bom_ ? "\xEF\xBB\xBF" : "";
  }
  bool special_[256] = {};
  std::string pending_;  // rows given through row(), flushed in 64 KiB pieces
};

}  // namespace

std::unique_ptr<TableWriter> make_csv_writer(std::function<bool(std::string_view)> sink,
                                             char delimiter, bool bom) {
  return std::make_unique<CsvWriter>(std::move(sink), delimiter, bom);
}

}  // namespace epil::io
