#include "io/encoding.h"

#include <errno.h>
#include <iconv.h>

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#define EPIL_UTF8_SSSE3 1
#endif

namespace epil::io::detail {

namespace {

iconv_t as_iconv(void* cd) { return static_cast<iconv_t>(cd); }

// The length of the sequence a lead byte starts, 0 if it cannot start one.
inline int sequence_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b < 0xC2) return 0;  // a continuation byte, or C0/C1 which only start overlong forms
  if (b < 0xE0) return 2;
  if (b < 0xF0) return 3;
  if (b < 0xF5) return 4;
  return 0;  // F5..FF would encode beyond U+10FFFF
}

// The range the second byte must fall in after a lead byte; the tighter ranges after E0, ED, F0
// and F4 rule out overlong forms, surrogates and values beyond U+10FFFF.
inline bool second_byte_ok(unsigned char lead, unsigned char b) {
  switch (lead) {
    case 0xE0:
      return b >= 0xA0 && b <= 0xBF;
    case 0xED:
      return b >= 0x80 && b <= 0x9F;
    case 0xF0:
      return b >= 0x90 && b <= 0xBF;
    case 0xF4:
      return b >= 0x80 && b <= 0x8F;
    default:
      return b >= 0x80 && b <= 0xBF;
  }
}

// One character at a time; the reference the vector check falls back to.
Utf8Scan scan_utf8_scalar(const unsigned char* s, size_t size) {
  size_t i = 0;
  while (i < size) {
    const unsigned char lead = s[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const int len = sequence_length(lead);
    if (len == 0) return {i, true};
    for (int k = 1; k < len; ++k) {
      if (i + k >= size) return {i, false};  // cut off by the end of the data
      const unsigned char b = s[i + k];
      const bool ok = k == 1 ? second_byte_ok(lead, b) : (b >= 0x80 && b <= 0xBF);
      if (!ok) return {i, true};
    }
    i += static_cast<size_t>(len);
  }
  return {size, false};
}

#if defined(EPIL_UTF8_SSSE3)
// Sixteen bytes at a time, after the method of Keiser and Lemire ("Validating UTF-8 in less than
// one instruction per byte", 2021): three table look-ups classify each byte together with the one
// before it, and a byte two or three places after a 3- or 4-byte lead must be a continuation.
// Chinese text is mostly 3-byte characters, which the one-at-a-time check handles at about a
// byte per nanosecond; this keeps the check a small part of reading a file.
//
// Each bit names one way a pair of bytes (previous, current) can be wrong; a pair is wrong in
// that way if the bit is set in all three tables: previous byte's high nibble, its low nibble,
// and the current byte's high nibble.
constexpr uint8_t kTooShort = 1 << 0;      // a lead, then no continuation
constexpr uint8_t kTooLong = 1 << 1;       // ASCII, then a continuation
constexpr uint8_t kOverlong3 = 1 << 2;     // E0, then 80..9F
constexpr uint8_t kTooLarge = 1 << 3;      // F4, then 90..BF; or F5..FF
constexpr uint8_t kSurrogate = 1 << 4;     // ED, then A0..BF
constexpr uint8_t kOverlong2 = 1 << 5;     // C0 or C1
constexpr uint8_t kOverlong4 = 1 << 6;     // F0, then 80..8F
constexpr uint8_t kTooLarge1000 = 1 << 6;  // F5..FF, then 80..8F
constexpr uint8_t kTwoConts = 1 << 7;      // continuation, continuation: wrong unless expected
constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

__attribute__((target("ssse3"))) inline __m128i lookup(__m128i table, __m128i nibbles) {
  return _mm_shuffle_epi8(table, nibbles);
}

constexpr uint8_t kLarge = kCarry | kTooLarge | kTooLarge1000;
constexpr uint8_t kCont8 =
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4;
constexpr uint8_t kCont9 = kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge;
constexpr uint8_t kContAB = kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge;
alignas(16) constexpr uint8_t kByte1High[16] = {kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTooLong,
                                                kTwoConts,
                                                kTwoConts,
                                                kTwoConts,
                                                kTwoConts,
                                                kTooShort | kOverlong2,
                                                kTooShort,
                                                kTooShort | kOverlong3 | kSurrogate,
                                                kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};
alignas(16) constexpr uint8_t kByte1Low[16] = {kCarry | kOverlong3 | kOverlong2 | kOverlong4,
                                               kCarry | kOverlong2,
                                               kCarry,
                                               kCarry,
                                               kCarry | kTooLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge,
                                               kLarge | kSurrogate,
                                               kLarge,
                                               kLarge};
alignas(16) constexpr uint8_t kByte2High[16] = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
    kCont8,    kCont9,    kContAB,   kContAB,   kTooShort, kTooShort, kTooShort, kTooShort};
// Subtracted from a block's last bytes (saturating): nonzero where a character starts that
// continues past the block.
alignas(16) constexpr uint8_t kCutOffLimit[16] = {0xFF, 0xFF,     0xFF,     0xFF,    0xFF, 0xFF,
                                                  0xFF, 0xFF,     0xFF,     0xFF,    0xFF, 0xFF,
                                                  0xFF, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1};

__attribute__((target("ssse3"))) inline __m128i load16(const uint8_t* table) {
  return _mm_load_si128(reinterpret_cast<const __m128i*>(table));
}

__attribute__((target("ssse3"))) Utf8Scan scan_utf8_ssse3(const unsigned char* s, size_t size) {
  const __m128i byte1_high = load16(kByte1High);
  const __m128i byte1_low = load16(kByte1Low);
  const __m128i byte2_high = load16(kByte2High);
  const __m128i cut_off_limit = load16(kCutOffLimit);
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  const __m128i third_lead = _mm_set1_epi8(static_cast<char>(0xE0 - 1));
  const __m128i fourth_lead = _mm_set1_epi8(static_cast<char>(0xF0 - 1));
  const __m128i high_bit = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i zero = _mm_setzero_si128();

  __m128i prev = zero;
  __m128i prev_cut_off = zero;
  size_t i = 0;
  for (; i + 16 <= size; i += 16) {
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i error;
    if (_mm_movemask_epi8(in) == 0) {
      error = prev_cut_off;  // ASCII cannot finish a character the last block started
      prev_cut_off = zero;
    } else {
      const __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
      const __m128i b1h = lookup(byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
      const __m128i b1l = lookup(byte1_low, _mm_and_si128(prev1, low_nibble));
      const __m128i b2h = lookup(byte2_high, _mm_and_si128(_mm_srli_epi16(in, 4), low_nibble));
      const __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
      const __m128i prev2 = _mm_alignr_epi8(in, prev, 14);
      const __m128i prev3 = _mm_alignr_epi8(in, prev, 13);
      const __m128i after_lead =
          _mm_or_si128(_mm_subs_epu8(prev2, third_lead), _mm_subs_epu8(prev3, fourth_lead));
      const __m128i must_continue = _mm_andnot_si128(_mm_cmpeq_epi8(after_lead, zero), high_bit);
      error = _mm_xor_si128(must_continue, special);
      prev_cut_off = _mm_subs_epu8(in, cut_off_limit);
    }
    prev = in;
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, zero)) != 0xFFFF) break;
  }
  // The last character the checked blocks vouch for as a whole starts in the block before i;
  // the one-at-a-time check takes over there, to place an error exactly or to finish the tail.
  size_t from = i >= 16 ? i - 16 : 0;
  while (from < i && (s[from] & 0xC0) == 0x80) ++from;
  Utf8Scan rest = scan_utf8_scalar(s + from, size - from);
  rest.valid += from;
  return rest;
}
#endif

}  // namespace

Utf8Scan scan_utf8(const char* data, size_t size) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
#if defined(EPIL_UTF8_SSSE3)
  static const bool ssse3 = __builtin_cpu_supports("ssse3");
  if (ssse3) return scan_utf8_ssse3(s, size);
#endif
  return scan_utf8_scalar(s, size);
}

Encoding sniff_encoding(std::string_view head, bool whole_file) {
  auto starts = [&](std::string_view bom) { return head.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return Encoding::kUtf8Bom;
  if (starts("\xFF\xFE")) return Encoding::kUtf16Le;
  if (starts("\xFE\xFF")) return Encoding::kUtf16Be;
  const Utf8Scan scan = scan_utf8(head.data(), head.size());
  if (!scan.invalid && (scan.valid == head.size() || !whole_file)) return Encoding::kUtf8;
  // Chinese in UTF-8 takes three bytes a character; saved as GB18030 it rarely forms such a
  // sequence by chance (two-byte ones it forms often: 元 is D4 AA). A head with many of them and a stray invalid byte or two is UTF-8 with a typing or copying accident:
  // read as UTF-8, the reader then says where the bad byte is, instead of reading the whole
  // file as GB18030 and refusing its header as mojibake.
  const Utf8Evidence e = utf8_evidence(head);
  if (e.multibyte >= 2 && e.invalid * 8 <= e.multibyte) return Encoding::kUtf8;
  return Encoding::kGb18030;
}

Utf8Evidence utf8_evidence(std::string_view head) {
  Utf8Evidence e;
  const auto* s = reinterpret_cast<const unsigned char*>(head.data());
  size_t i = 0;
  while (i < head.size()) {
    const Utf8Scan scan = scan_utf8(head.data() + i, head.size() - i);
    for (size_t k = i; k < i + scan.valid; ++k) e.multibyte += s[k] >= 0xE0 ? 1 : 0;
    i += scan.valid;
    if (!scan.invalid) break;  // the end, or a character cut off by it
    if (e.invalid++ == 0) e.first_invalid = i;
    ++i;
  }
  return e;
}

std::string_view encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf16Le:
      return "UTF-16LE";
    case Encoding::kUtf16Be:
      return "UTF-16BE";
    case Encoding::kGb18030:
      return "GB18030";
    case Encoding::kDetect:
    case Encoding::kUtf8:
    case Encoding::kUtf8Bom:
      break;
  }
  return "UTF-8";
}

Decoder::~Decoder() {
  if (cd_ != nullptr) iconv_close(as_iconv(cd_));
}

bool Decoder::open(Encoding from) {
  if (from != Encoding::kUtf16Le && from != Encoding::kUtf16Be && from != Encoding::kGb18030) {
    return false;
  }
  const std::string name(encoding_name(from));
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  if (cd_ != nullptr) iconv_close(as_iconv(cd_));
  cd_ = cd;
  return true;
}

Decoder::Step Decoder::decode(const char* in, size_t in_size, char* out, size_t out_size) {
  // iconv's input parameter is char** for historical reasons; it does not write through it.
  char* in_ptr = const_cast<char*>(in);
  size_t in_left = in_size;
  char* out_ptr = out;
  size_t out_left = out_size;
  const size_t r = iconv(as_iconv(cd_), &in_ptr, &in_left, &out_ptr, &out_left);
  Step step;
  step.consumed = static_cast<size_t>(in_ptr - in);
  step.produced = static_cast<size_t>(out_ptr - out);
  if (r != static_cast<size_t>(-1)) {
    step.status = Status::kDone;
  } else if (errno == E2BIG) {
    step.status = Status::kOutputFull;
  } else if (errno == EINVAL) {
    step.status = Status::kNeedInput;
  } else {
    step.status = Status::kInvalid;  // EILSEQ, or anything else iconv may report
  }
  return step;
}

}  // namespace epil::io::detail
