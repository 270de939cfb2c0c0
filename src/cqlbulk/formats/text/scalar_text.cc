// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/scalar_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

#include "cqlbulk/formats/text/digits_internal.h"

namespace cqlbulk::formats {

using namespace internal;  // NOLINT(google-build-using-namespace): this folder's digit writers

namespace internal {

// Proposition 6.3 of Neri and Schneider, "Euclidean Affine Functions and Applications to
// Calendar Algorithms" (https://arxiv.org/abs/2102.06959), as libstdc++'s chrono uses it:
// 32-bit arithmetic while 4 * (days + 536895458) + 3 fits 32 bits, i.e. years -1468000 to
// about +1.47 million; core's CivilFromDays beyond.
CivilDate FastCivilFromDays(int64_t days) noexcept {
  if (days < -536'895'458 || days >= 536'000'000) [[unlikely]] {
    return CivilFromDays(days);
  }
  const auto r0 = static_cast<uint32_t>(days + 536'895'458);
  const uint32_t n1 = 4 * r0 + 3;
  const uint32_t q1 = n1 / 146'097;
  const uint32_t r1 = n1 % 146'097 / 4;
  const uint32_t n2 = 4 * r1 + 3;
  const uint64_t u2 = uint64_t{2'939'745} * n2;
  const auto q2 = static_cast<uint32_t>(u2 >> 32);
  const uint32_t r2 = static_cast<uint32_t>(u2) / 2'939'745 / 4;
  const uint32_t n3 = 2141 * r2 + 197'913;
  const uint32_t q3 = n3 >> 16;
  const uint32_t r3 = (n3 & 0xffff) / 2141;
  const bool january_or_february = r2 >= 306;
  return {int64_t{100 * q1 + q2 + (january_or_february ? 1u : 0u)} - 1'468'000,
          january_or_february ? q3 - 12 : q3, r3 + 1};
}

}  // namespace internal

namespace {

/// "000102...ff": the two hex digits of each byte.
constexpr std::array<char, 512> kHexPairs = [] {
  std::array<char, 512> table{};
  for (int b = 0; b < 256; ++b) {
    table[static_cast<size_t>(2 * b)] = kHexDigits[b >> 4];
    table[static_cast<size_t>(2 * b + 1)] = kHexDigits[b & 15];
  }
  return table;
}();

/// Magnitude digits of a two's-complement big-endian integer (the sign is the caller's).
char* WriteMagnitude(char* p, BytesView bytes) {
  if (bytes.empty()) {
    *p++ = '0';
    return p;
  }
  bool negative = (bytes[0] & 0x80) != 0;
  if (bytes.size() <= 8) {
    uint64_t v = negative ? ~uint64_t{0} : 0;
    for (uint8_t b : bytes) {
      v = (v << 8) | b;
    }
    return WriteUnsigned(p, negative ? 0 - v : v);
  }
  // Little-endian 32-bit limbs of the magnitude, then repeated division by 10^9. Up to 256
  // bytes the limbs and the 9-digit chunks live on the stack.
  size_t num_limbs = (bytes.size() + 3) / 4;
  // Each limb yields at most 32*log10(2)/9 < 1.07 chunks.
  size_t num_chunks_max = num_limbs + num_limbs / 8 + 2;
  std::array<uint32_t, 64 + 64 + 64 / 8 + 2> stack;
  std::vector<uint32_t> heap;
  uint32_t* limbs = stack.data();
  if (num_limbs + num_chunks_max > stack.size()) {
    heap.resize(num_limbs + num_chunks_max);
    limbs = heap.data();
  }
  uint32_t* chunks = limbs + num_limbs;
  uint32_t fill = negative ? 0xffffffffu : 0;
  for (size_t i = 0; i < num_limbs; ++i) {
    limbs[i] = fill;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    uint8_t b = bytes[bytes.size() - 1 - i];
    auto shift = static_cast<uint32_t>(8 * (i % 4));
    limbs[i / 4] = (limbs[i / 4] & ~(0xffu << shift)) | (uint32_t{b} << shift);
  }
  if (negative) {  // magnitude = ~x + 1
    uint64_t carry = 1;
    for (size_t i = 0; i < num_limbs; ++i) {
      uint64_t v = uint64_t{~limbs[i]} + carry;
      limbs[i] = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
  }
  size_t len = num_limbs;
  while (len > 0 && limbs[len - 1] == 0) {
    --len;
  }
  size_t num_chunks = 0;
  while (len > 0) {
    uint64_t rem = 0;
    for (size_t i = len; i-- > 0;) {
      uint64_t cur = (rem << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(cur / 1'000'000'000);
      rem = cur % 1'000'000'000;
    }
    chunks[num_chunks++] = static_cast<uint32_t>(rem);
    while (len > 0 && limbs[len - 1] == 0) {
      --len;
    }
  }
  if (num_chunks == 0) {
    *p++ = '0';
    return p;
  }
  p = WriteUnsigned(p, chunks[num_chunks - 1]);
  for (size_t i = num_chunks - 1; i-- > 0;) {
    uint32_t v = chunks[i];
    p = Write3(p, v / 1'000'000);
    p = Write3(p, v / 1000 % 1000);
    p = Write3(p, v % 1000);
  }
  return p;
}

template <typename Float>
char* WriteFloat(char* p, Float value) {
  if (std::isnan(value)) {
    std::memcpy(p, "NaN", 3);
    return p + 3;
  }
  if (std::isinf(value)) {
    if (value < 0) *p++ = '-';
    std::memcpy(p, "Infinity", 8);
    return p + 8;
  }
  return std::to_chars(p, p + kMaxFloatText, value).ptr;
}

// Byte classes for JSON strings: 0 copied as is, 1 escaped, 2 the first byte of a UTF-8
// sequence (or an invalid byte).
constexpr std::array<uint8_t, 256> kJsonClass = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<size_t>(c)] = 1;
  table['"'] = 1;
  table['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) table[static_cast<size_t>(c)] = 2;
  return table;
}();

/// The length of the valid UTF-8 sequence at text[i] (a non-ASCII lead byte), 0 if invalid
/// (RFC 3629 section 4: no overlong forms, no surrogates, nothing past U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto at = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xbf) {
    return at(k) >= lo && at(k) <= hi;
  };
  size_t left = text.size() - i;
  uint8_t c = at(0);
  if (c >= 0xc2 && c <= 0xdf) {
    return left >= 2 && cont(1) ? 2 : 0;
  }
  if (c >= 0xe0 && c <= 0xef) {
    uint8_t lo = c == 0xe0 ? 0xa0 : 0x80;
    uint8_t hi = c == 0xed ? 0x9f : 0xbf;
    return left >= 3 && cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    uint8_t lo = c == 0xf0 ? 0x90 : 0x80;
    uint8_t hi = c == 0xf4 ? 0x8f : 0xbf;
    return left >= 4 && cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

char* Copy(char* p, const char* text, size_t n) {
  std::memcpy(p, text, n);
  return p + n;
}

}  // namespace

char* WriteInteger(char* p, int64_t value) {
  return std::to_chars(p, p + kMaxIntegerText, value).ptr;
}

char* WriteFloat32(char* p, float value) { return WriteFloat(p, value); }
char* WriteFloat64(char* p, double value) { return WriteFloat(p, value); }

char* WriteBigInteger(char* p, BytesView twos_complement) {
  if (!twos_complement.empty() && (twos_complement[0] & 0x80) != 0) {
    *p++ = '-';
  }
  return WriteMagnitude(p, twos_complement);
}

/// \brief A magnitude of at least 10^Scale as "integer.fraction" (the fraction zero-padded to
/// Scale digits); nullptr when it is smaller (the general path writes "0.0…").
template <int Scale>
char* WriteScaled(char* p, uint64_t magnitude) {
  constexpr uint64_t kUnit = [] {
    uint64_t unit = 1;
    for (int i = 0; i < Scale; ++i) unit *= 10;
    return unit;
  }();
  if (magnitude < kUnit) return nullptr;
  p = WriteUnsigned(p, magnitude / kUnit);
  *p++ = '.';
  uint64_t fraction = magnitude % kUnit;
  char* const end = p + Scale;
  char* d = end;
  for (; d - p >= 2; d -= 2, fraction /= 100) {
    Write2(d - 2, static_cast<unsigned>(fraction % 100));
  }
  if (d != p) {
    *p = static_cast<char>('0' + fraction);
  }
  return end;
}

// java.math.BigDecimal.toString(): scientific notation when the scale is negative or the
// adjusted exponent is below -6, so that the text gives back the same scale.
char* WriteDecimal(char* p, BytesView unscaled, int32_t scale) {
  const bool negative = !unscaled.empty() && (unscaled[0] & 0x80) != 0;
  if (negative) {
    *p++ = '-';
  }
  if (unscaled.size() <= 8 && scale > 0 && scale <= 18) [[likely]] {
    // The usual money-like value: at most 64 bits, more digits than the scale ("123.45"):
    // the integer part, the point, then the fraction's digits zero-padded, in place.
    uint64_t v = negative ? ~uint64_t{0} : 0;
    for (uint8_t b : unscaled) {
      v = (v << 8) | b;
    }
    const uint64_t magnitude = negative ? 0 - v : v;
    // A division by a constant power of ten for each scale (a multiplication), not by one
    // read from a table (a hardware division, tens of cycles).
    char* written = nullptr;
    switch (scale) {
#define CQLBULK_SCALE_CASE(S) \
  case S:                     \
    written = WriteScaled<S>(p, magnitude); \
    break;
      CQLBULK_SCALE_CASE(1)
      CQLBULK_SCALE_CASE(2)
      CQLBULK_SCALE_CASE(3)
      CQLBULK_SCALE_CASE(4)
      CQLBULK_SCALE_CASE(5)
      CQLBULK_SCALE_CASE(6)
      CQLBULK_SCALE_CASE(7)
      CQLBULK_SCALE_CASE(8)
      CQLBULK_SCALE_CASE(9)
      CQLBULK_SCALE_CASE(10)
      CQLBULK_SCALE_CASE(11)
      CQLBULK_SCALE_CASE(12)
      CQLBULK_SCALE_CASE(13)
      CQLBULK_SCALE_CASE(14)
      CQLBULK_SCALE_CASE(15)
      CQLBULK_SCALE_CASE(16)
      CQLBULK_SCALE_CASE(17)
      CQLBULK_SCALE_CASE(18)
#undef CQLBULK_SCALE_CASE
      default:
        break;
    }
    if (written != nullptr) return written;
  }
  char* digits = p;
  char* end = WriteMagnitude(p, unscaled);
  if (scale == 0) {
    return end;
  }
  const int64_t num_digits = end - digits;
  const int64_t adjusted = num_digits - 1 - int64_t{scale};
  if (scale > 0 && adjusted >= -6) {
    auto fraction = static_cast<size_t>(scale);
    if (num_digits > scale) {  // "123.45"
      char* dot = end - fraction;
      std::memmove(dot + 1, dot, fraction);
      *dot = '.';
      return end + 1;
    }
    // "0.000123": at most 5 zeros after the point, since scale - num_digits <= 5.
    auto zeros = static_cast<size_t>(int64_t{scale} - num_digits);
    std::memmove(digits + 2 + zeros, digits, static_cast<size_t>(num_digits));
    digits[0] = '0';
    digits[1] = '.';
    std::memset(digits + 2, '0', zeros);
    return end + 2 + zeros;
  }
  if (num_digits > 1) {  // "1.23E+5"
    std::memmove(digits + 2, digits + 1, static_cast<size_t>(num_digits - 1));
    digits[1] = '.';
    ++end;
  }
  *end++ = 'E';
  if (adjusted > 0) {
    *end++ = '+';
  }
  return std::to_chars(end, end + kMaxIntegerText, adjusted).ptr;
}

char* WriteDate(char* p, int64_t days_since_epoch) {
  return WriteCivilDate(p, FastCivilFromDays(days_since_epoch));
}

// java.time.LocalTime.toString(), but seconds always: the shortest group of 3 fraction
// digits that is exact.
char* WriteTime(char* p, int64_t nanos_of_day) {
  if (nanos_of_day < 0 || nanos_of_day >= kNanosPerDay) [[unlikely]] {
    return WriteInteger(p, nanos_of_day);  // not a time of day: a reader will say so
  }
  auto secs = static_cast<unsigned>(nanos_of_day / 1'000'000'000);
  auto nanos = static_cast<unsigned>(nanos_of_day % 1'000'000'000);
  p = Write2(p, secs / 3600);
  *p++ = ':';
  p = Write2(p, secs / 60 % 60);
  *p++ = ':';
  p = Write2(p, secs % 60);
  if (nanos != 0) {
    *p++ = '.';
    p = Write3(p, nanos / 1'000'000);
    if (nanos % 1'000'000 != 0) {
      p = Write3(p, nanos / 1000 % 1000);
      if (nanos % 1000 != 0) {
        p = Write3(p, nanos % 1000);
      }
    }
  }
  return p;
}

// org.apache.cassandra.cql3.Duration.toString(), with "0s" for a zero duration.
char* WriteDuration(char* p, const data::DurationValue& duration) {
  auto magnitude = [](int64_t v) {
    return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  };
  const uint64_t months = magnitude(duration.months);
  const uint64_t days = magnitude(duration.days);
  const uint64_t nanos = magnitude(duration.nanos);
  if (months == 0 && days == 0 && nanos == 0) {
    return Copy(p, "0s", 2);
  }
  if (duration.months < 0 || duration.days < 0 || duration.nanos < 0) {
    *p++ = '-';
  }
  auto unit = [&p](uint64_t v, std::string_view name) {
    if (v != 0) {
      p = WriteUnsigned(p, v);
      p = Copy(p, name.data(), name.size());
    }
  };
  constexpr uint64_t kSecond = 1'000'000'000;
  unit(months / 12, "y");
  unit(months % 12, "mo");
  unit(days, "d");
  unit(nanos / (3600 * kSecond), "h");
  unit(nanos / (60 * kSecond) % 60, "m");
  unit(nanos / kSecond % 60, "s");
  unit(nanos / 1'000'000 % 1000, "ms");
  unit(nanos / 1000 % 1000, "us");
  unit(nanos % 1000, "ns");
  return p;
}

// RFC 5952 section 4: lowercase, no leading zeros, the longest run of two or more zero
// groups (the first on ties) as "::"; section 5: IPv4-mapped addresses end in dotted IPv4.
char* WriteInet(char* p, BytesView address) {
  auto dotted = [&p](const uint8_t* b) {
    for (int i = 0; i < 4; ++i) {
      if (i > 0) *p++ = '.';
      p = WriteUnsigned(p, b[i]);
    }
  };
  if (address.size() == 4) {
    dotted(address.data());
    return p;
  }
  if (address.size() != 16) [[unlikely]] {
    return WriteHexBlob(p, address);
  }
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.data(), kMappedPrefix, 12) == 0) {
    p = Copy(p, "::ffff:", 7);
    dotted(address.data() + 12);
    return p;
  }
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) {
    groups[i] = LoadBE16(address.data() + 2 * i);
  }
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      p = Copy(p, "::", 2);
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_len) {
      *p++ = ':';
    }
    p = std::to_chars(p, p + 4, groups[i], 16).ptr;
  }
  return p;
}

char* WriteUuid(char* p, const uint8_t* bytes16) {
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    std::memcpy(p, kHexPairs.data() + 2 * bytes16[i], 2);
    p += 2;
  }
  return p;
}

char* WriteBase64(char* p, BytesView bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    bool two = i + 1 < bytes.size();
    if (two) v |= uint32_t{bytes[i + 1]} << 8;
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = two ? kAlphabet[(v >> 6) & 63] : '=';
    *p++ = '=';
  }
  return p;
}

char* WriteHexBlob(char* p, BytesView bytes) {
  *p++ = '0';
  *p++ = 'x';
  for (uint8_t b : bytes) {
    std::memcpy(p, kHexPairs.data() + 2 * b, 2);
    p += 2;
  }
  return p;
}

namespace {

/// Whether any of the 8 bytes of `w` is below 0x20, '"', '\\' or non-ASCII (may say yes for
/// others: the caller then looks byte by byte).
inline bool MayNeedJsonEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return ((w - 0x20 * kOnes) | w | has_zero(w ^ ('"' * kOnes)) | has_zero(w ^ ('\\' * kOnes))) &
         kHigh;
}

}  // namespace

char* WriteJsonStringBody(char* p, std::string_view text) {
  size_t run = 0;
  size_t i = 0;
  while (i < text.size()) {
    // Skip 8 plain bytes at a time.
    while (i + 8 <= text.size()) {
      uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      if (MayNeedJsonEscape(w)) break;
      i += 8;
    }
    if (i == text.size()) break;
    auto c = static_cast<uint8_t>(text[i]);
    uint8_t cls = kJsonClass[c];
    if (cls == 0) {
      ++i;
      continue;
    }
    if (cls == 2) {
      size_t len = Utf8SequenceLength(text, i);
      if (len != 0) {
        i += len;
        continue;
      }
    }
    p = Copy(p, text.data() + run, i - run);
    switch (c) {
      case '"': p = Copy(p, "\\\"", 2); break;
      case '\\': p = Copy(p, "\\\\", 2); break;
      case '\b': p = Copy(p, "\\b", 2); break;
      case '\f': p = Copy(p, "\\f", 2); break;
      case '\n': p = Copy(p, "\\n", 2); break;
      case '\r': p = Copy(p, "\\r", 2); break;
      case '\t': p = Copy(p, "\\t", 2); break;
      default:
        if (cls == 2) {
          p = Copy(p, "\\ufffd", 6);
        } else {
          const char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 15]};
          p = Copy(p, escape, 6);
        }
    }
    ++i;
    run = i;
  }
  return Copy(p, text.data() + run, text.size() - run);
}

char* WriteJsonString(char* p, std::string_view text) {
  *p++ = '"';
  p = WriteJsonStringBody(p, text);
  *p++ = '"';
  return p;
}

// ---- the same, appended to strings ----

void AppendBigIntegerText(BytesView twos_complement, std::string& out) {
  AppendWritten(out, BigIntegerTextBound(twos_complement.size()),
                [&](char* p) { return WriteBigInteger(p, twos_complement); });
}

void AppendDecimalText(BytesView unscaled, int32_t scale, std::string& out) {
  AppendWritten(out, DecimalTextBound(unscaled.size()),
                [&](char* p) { return WriteDecimal(p, unscaled, scale); });
}

void AppendFloat32Text(float value, std::string& out) {
  AppendWritten(out, kMaxFloatText, [&](char* p) { return WriteFloat32(p, value); });
}

void AppendFloat64Text(double value, std::string& out) {
  AppendWritten(out, kMaxFloatText, [&](char* p) { return WriteFloat64(p, value); });
}

void AppendDateText(int64_t days_since_epoch, std::string& out) {
  AppendWritten(out, kMaxDateText, [&](char* p) { return WriteDate(p, days_since_epoch); });
}

void AppendTimeText(int64_t nanos_of_day, std::string& out) {
  AppendWritten(out, kMaxTimeText, [&](char* p) { return WriteTime(p, nanos_of_day); });
}

void AppendDurationText(const data::DurationValue& duration, std::string& out) {
  AppendWritten(out, kMaxDurationText, [&](char* p) { return WriteDuration(p, duration); });
}

void AppendInetText(BytesView address, std::string& out) {
  AppendWritten(out, InetTextBound(address.size()),
                [&](char* p) { return WriteInet(p, address); });
}

void AppendUuidText(const uint8_t* bytes16, std::string& out) {
  AppendWritten(out, kMaxUuidText, [&](char* p) { return WriteUuid(p, bytes16); });
}

void AppendBase64(BytesView bytes, std::string& out) {
  AppendWritten(out, Base64Bound(bytes.size()), [&](char* p) { return WriteBase64(p, bytes); });
}

void AppendHexBlob(BytesView bytes, std::string& out) {
  AppendWritten(out, HexBlobBound(bytes.size()), [&](char* p) { return WriteHexBlob(p, bytes); });
}

void AppendJsonString(std::string_view text, std::string& out) {
  AppendWritten(out, JsonStringBound(text.size()),
                [&](char* p) { return WriteJsonString(p, text); });
}

}  // namespace cqlbulk::formats
