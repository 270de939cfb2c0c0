// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/value_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/time.h"

namespace cqlbulk::formats {

using data::Column;
using data::TypeKind;

namespace {

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr int64_t kMillisPerDay = 86'400'000;
/// "000102...ff": the two hex digits of each byte.
constexpr std::array<char, 512> kHexPairs = [] {
  std::array<char, 512> table{};
  for (int b = 0; b < 256; ++b) {
    table[static_cast<size_t>(2 * b)] = kHexDigits[b >> 4];
    table[static_cast<size_t>(2 * b + 1)] = kHexDigits[b & 15];
  }
  return table;
}();

/// Appends [begin, end) (std::string's iterator-pair append goes through replace()).
inline void AppendRange(std::string& out, const char* begin, const char* end) {
  out.append(begin, static_cast<size_t>(end - begin));
}

char* Write2(char* p, unsigned v) {
  std::memcpy(p, kDigitPairs + 2 * v, 2);
  return p + 2;
}
char* Write3(char* p, unsigned v) {
  *p++ = static_cast<char>('0' + v / 100);
  return Write2(p, v % 100);
}
char* Write4(char* p, unsigned v) { return Write2(Write2(p, v / 100), v % 100); }
char* WriteUnsigned(char* p, uint64_t v) { return std::to_chars(p, p + 20, v).ptr; }

template <typename Int>
void AppendInt(Int v, std::string& out) {
  char buf[24];
  AppendRange(out, buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// ISO 8601 years as java.time prints them: 4 digits for 0..9999, else a sign and at least 4.
char* WriteYear(char* p, int64_t year) {
  if (year >= 0 && year <= 9999) {
    return Write4(p, static_cast<unsigned>(year));
  }
  *p++ = year < 0 ? '-' : '+';
  uint64_t abs_year = year < 0 ? 0 - static_cast<uint64_t>(year) : static_cast<uint64_t>(year);
  if (abs_year < 10000) {
    return Write4(p, static_cast<unsigned>(abs_year));
  }
  return WriteUnsigned(p, abs_year);
}

char* WriteDate(char* p, const CivilDate& date) {
  p = WriteYear(p, date.year);
  *p++ = '-';
  p = Write2(p, date.month);
  *p++ = '-';
  return Write2(p, date.day);
}

char* WriteOffset(char* p, int32_t offset_minutes, bool colon) {
  *p++ = offset_minutes < 0 ? '-' : '+';
  auto abs_minutes = static_cast<unsigned>(offset_minutes < 0 ? -offset_minutes : offset_minutes);
  p = Write2(p, abs_minutes / 60);
  if (colon) {
    *p++ = ':';
  }
  return Write2(p, abs_minutes % 60);
}

/// Magnitude digits of a two's-complement big-endian integer (the sign is the caller's).
void AppendMagnitude(BytesView bytes, std::string& out) {
  if (bytes.empty()) {
    out += '0';
    return;
  }
  bool negative = (bytes[0] & 0x80) != 0;
  if (bytes.size() <= 8) {
    uint64_t v = negative ? ~uint64_t{0} : 0;
    for (uint8_t b : bytes) {
      v = (v << 8) | b;
    }
    char buf[24];
    AppendRange(out, buf, WriteUnsigned(buf, negative ? 0 - v : v));
    return;
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
    uint32_t shift = static_cast<uint32_t>(8 * (i % 4));
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
    out += '0';
    return;
  }
  char buf[24];
  AppendRange(out, buf, WriteUnsigned(buf, chunks[num_chunks - 1]));
  for (size_t i = num_chunks - 1; i-- > 0;) {
    char* p = buf;
    uint32_t v = chunks[i];
    p = Write3(p, v / 1'000'000);
    p = Write3(p, v / 1000 % 1000);
    p = Write3(p, v % 1000);
    AppendRange(out, buf, p);
  }
}

// Byte classes for JSON strings: 0 copied as is, 1 escaped, 2 the first byte of a UTF-8
// sequence (or an invalid byte).
constexpr std::array<uint8_t, 256> kJsonClass = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 1;
  table['"'] = 1;
  table['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) table[c] = 2;
  return table;
}();

/// The length of the valid UTF-8 sequence at text[i] (a non-ASCII lead byte), 0 if invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto at = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  size_t left = text.size() - i;
  uint8_t c = at(i);
  auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xbf) {
    return at(i + k) >= lo && at(i + k) <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) {
    return left >= 2 && cont(1) ? 2 : 0;
  }
  if (c >= 0xe0 && c <= 0xef) {
    if (left < 3) return 0;
    uint8_t lo = c == 0xe0 ? 0xa0 : 0x80;
    uint8_t hi = c == 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (left < 4) return 0;
    uint8_t lo = c == 0xf0 ? 0x90 : 0x80;
    uint8_t hi = c == 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/// A JSON string's content, without the quotes.
void AppendJsonStringBody(std::string_view text, std::string& out) {
  size_t run = 0;
  size_t i = 0;
  while (i < text.size()) {
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
    out.append(text.data() + run, i - run);
    switch (c) {
      case '"': out.append("\\\"", 2); break;
      case '\\': out.append("\\\\", 2); break;
      case '\b': out.append("\\b", 2); break;
      case '\f': out.append("\\f", 2); break;
      case '\n': out.append("\\n", 2); break;
      case '\r': out.append("\\r", 2); break;
      case '\t': out.append("\\t", 2); break;
      default:
        if (cls == 2) {
          out.append("\\ufffd", 6);
        } else {
          char esc[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 15]};
          out.append(esc, 6);
        }
    }
    ++i;
    run = i;
  }
  out.append(text.data() + run, text.size() - run);
}

/// Replaces out[start, end) by its JSON-escaped form (rare paths: reuses a thread's scratch).
void EscapeTail(std::string& out, size_t start) {
  thread_local std::string scratch;
  scratch.assign(out, start, std::string::npos);
  out.resize(start);
  AppendJsonStringBody(scratch, out);
}

Result<int32_t> ParseTimeZone(std::string_view zone) {
  if (zone == "UTC" || zone == "Z") {
    return 0;
  }
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digit(zone[1]) &&
      digit(zone[2]) && zone[3] == ':' && digit(zone[4]) && digit(zone[5])) {
    int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
    int minutes = (zone[4] - '0') * 10 + (zone[5] - '0');
    if (hours <= 18 && minutes <= 59 && hours * 60 + minutes <= 18 * 60) {
      int total = hours * 60 + minutes;
      return zone[0] == '-' ? -total : total;
    }
  }
  return InvalidArgument("invalid time_zone '" + std::string(zone) +
                         "': expected UTC, Z, +hh:mm or -hh:mm (at most 18:00)");
}

}  // namespace

// ---- single values ----

void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  AppendJsonStringBody(text, out);
  out += '"';
}

void AppendBigIntegerText(BytesView twos_complement, std::string& out) {
  if (!twos_complement.empty() && (twos_complement[0] & 0x80) != 0) {
    out += '-';
  }
  AppendMagnitude(twos_complement, out);
}

// java.math.BigDecimal.toString(): scientific notation when the scale is negative or the
// adjusted exponent is below -6, so that the text gives back the same scale.
void AppendDecimalText(BytesView unscaled, int32_t scale, std::string& out) {
  if (!unscaled.empty() && (unscaled[0] & 0x80) != 0) {
    out += '-';
  }
  size_t start = out.size();
  AppendMagnitude(unscaled, out);
  if (scale == 0) {
    return;
  }
  auto num_digits = static_cast<int64_t>(out.size() - start);
  int64_t adjusted = num_digits - 1 - int64_t{scale};
  if (scale > 0 && adjusted >= -6) {
    if (num_digits > scale) {
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(out.size()) - scale, '.');
    } else {
      // At most 6 zeros: scale - num_digits <= 5.
      size_t zeros = static_cast<size_t>(int64_t{scale} - num_digits);
      out.insert(start, "0.000000", 2 + zeros);
    }
    return;
  }
  if (num_digits > 1) {
    out.insert(start + 1, 1, '.');
  }
  out += 'E';
  if (adjusted > 0) {
    out += '+';
  }
  AppendInt(adjusted, out);
}

void AppendFloat32Text(float value, std::string& out) {
  if (std::isnan(value)) {
    out.append("NaN", 3);
  } else if (std::isinf(value)) {
    value > 0 ? out.append("Infinity", 8) : out.append("-Infinity", 9);
  } else {
    char buf[32];
    AppendRange(out, buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
  }
}

void AppendFloat64Text(double value, std::string& out) {
  if (std::isnan(value)) {
    out.append("NaN", 3);
  } else if (std::isinf(value)) {
    value > 0 ? out.append("Infinity", 8) : out.append("-Infinity", 9);
  } else {
    char buf[32];
    AppendRange(out, buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
  }
}

void AppendDateText(int64_t days_since_epoch, std::string& out) {
  char buf[40];
  AppendRange(out, buf, WriteDate(buf, CivilFromDays(days_since_epoch)));
}

// java.time.LocalTime.toString(), but seconds always: the shortest group of 3 fraction
// digits that is exact.
void AppendTimeText(int64_t nanos_of_day, std::string& out) {
  if (nanos_of_day < 0 || nanos_of_day >= kNanosPerDay) {
    AppendInt(nanos_of_day, out);  // not a time of day: a reader will say so
    return;
  }
  char buf[32];
  auto secs = static_cast<unsigned>(nanos_of_day / 1'000'000'000);
  auto nanos = static_cast<unsigned>(nanos_of_day % 1'000'000'000);
  char* p = Write2(buf, secs / 3600);
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
  AppendRange(out, buf, p);
}

// org.apache.cassandra.cql3.Duration.toString(), with "0s" for a zero duration.
void AppendDurationText(const data::DurationValue& duration, std::string& out) {
  auto magnitude = [](int64_t v) {
    return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  };
  uint64_t months = magnitude(duration.months);
  uint64_t days = magnitude(duration.days);
  uint64_t nanos = magnitude(duration.nanos);
  if (months == 0 && days == 0 && nanos == 0) {
    out.append("0s", 2);
    return;
  }
  char buf[128];
  char* p = buf;
  if (duration.months < 0 || duration.days < 0 || duration.nanos < 0) {
    *p++ = '-';
  }
  auto unit = [&p](uint64_t v, const char* name) {
    if (v != 0) {
      p = WriteUnsigned(p, v);
      while (*name != '\0') *p++ = *name++;
    }
  };
  unit(months / 12, "y");
  unit(months % 12, "mo");
  unit(days, "d");
  constexpr uint64_t kSecond = 1'000'000'000;
  unit(nanos / (3600 * kSecond), "h");
  unit(nanos / (60 * kSecond) % 60, "m");
  unit(nanos / kSecond % 60, "s");
  unit(nanos / 1'000'000 % 1000, "ms");
  unit(nanos / 1000 % 1000, "us");
  unit(nanos % 1000, "ns");
  AppendRange(out, buf, p);
}

// RFC 5952 section 4: lowercase, no leading zeros, the longest run of two or more zero
// groups (the first on ties) as "::"; section 5: IPv4-mapped addresses end in dotted IPv4.
void AppendInetText(BytesView address, std::string& out) {
  char buf[64];
  char* p = buf;
  auto dotted = [&p](const uint8_t* b) {
    for (int i = 0; i < 4; ++i) {
      if (i > 0) *p++ = '.';
      p = WriteUnsigned(p, b[i]);
    }
  };
  if (address.size() == 4) {
    dotted(address.data());
    AppendRange(out, buf, p);
    return;
  }
  if (address.size() != 16) {
    AppendHexBlob(address, out);
    return;
  }
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.data(), kMappedPrefix, 12) == 0) {
    std::memcpy(p, "::ffff:", 7);
    p += 7;
    dotted(address.data() + 12);
    AppendRange(out, buf, p);
    return;
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
      *p++ = ':';
      *p++ = ':';
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_len) {
      *p++ = ':';
    }
    p = std::to_chars(p, p + 4, groups[i], 16).ptr;
  }
  AppendRange(out, buf, p);
}

void AppendUuidText(const uint8_t* bytes16, std::string& out) {
  char buf[36];
  char* p = buf;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    std::memcpy(p, kHexPairs.data() + 2 * bytes16[i], 2);
    p += 2;
  }
  out.append(buf, 36);
}

void AppendBase64(BytesView bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + start;
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
}

void AppendHexBlob(BytesView bytes, std::string& out) {
  size_t start = out.size();
  out.resize(start + 2 + 2 * bytes.size());
  char* p = out.data() + start;
  *p++ = '0';
  *p++ = 'x';
  for (uint8_t b : bytes) {
    *p++ = kHexDigits[b >> 4];
    *p++ = kHexDigits[b & 15];
  }
}

// ---- ValueFormatter ----

Result<ValueFormatter> ValueFormatter::Make(const TextOptions& options) {
  ValueFormatter formatter;
  formatter.options_ = options;
  CQLBULK_ASSIGN_OR_RETURN(formatter.offset_minutes_, ParseTimeZone(options.time_zone));
  const std::string& format = options.timestamp_format;
  if (format == "iso") {
    return formatter;
  }
  formatter.iso_ = false;
  auto bad = [&format](std::string why) {
    return InvalidArgument("invalid timestamp_format '" + format + "': " + std::move(why));
  };
  if (format.empty()) {
    return bad("empty (use \"iso\" or a pattern such as \"%Y-%m-%d %H:%M:%S\")");
  }
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      formatter.pattern_.push_back({Piece::kLiteral, c});
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) >= 0x80) {
        formatter.pattern_needs_escape_ = true;
      }
      continue;
    }
    if (i + 1 == format.size()) {
      return bad("a lone '%' at its end");
    }
    char d = format[++i];
    Piece piece;
    switch (d) {
      case 'Y': piece = Piece::kYear; break;
      case 'm': piece = Piece::kMonth; break;
      case 'd': piece = Piece::kDay; break;
      case 'H': piece = Piece::kHour; break;
      case 'M': piece = Piece::kMinute; break;
      case 'S': piece = Piece::kSecond; break;
      case 'f': piece = Piece::kMillis; break;
      case 'z': piece = Piece::kOffset; break;
      case '%': piece = Piece::kLiteral; break;
      case 'E':
        if (i + 1 < format.size() && format[i + 1] == 'z') {
          ++i;
          piece = Piece::kOffsetColon;
          break;
        }
        return bad("unknown directive '%E' (only %Ez)");
      default:
        return bad("unknown directive '%" + std::string(1, d) +
                   "' (known: %Y %m %d %H %M %S %f %z %Ez %%)");
    }
    formatter.pattern_.push_back({piece, '%'});
  }
  return formatter;
}

void ValueFormatter::AppendTimestamp(int64_t millis, std::string& out) const {
  // Split first, then shift by the zone, so that INT64_MIN/MAX cannot overflow.
  int64_t days = FloorDiv(millis, kMillisPerDay);
  int64_t ms_of_day = millis - days * kMillisPerDay + int64_t{offset_minutes_} * 60'000;
  if (ms_of_day < 0) {
    ms_of_day += kMillisPerDay;
    --days;
  } else if (ms_of_day >= kMillisPerDay) {
    ms_of_day -= kMillisPerDay;
    ++days;
  }
  CivilDate date = CivilFromDays(days);
  auto ms = static_cast<unsigned>(ms_of_day);
  unsigned hour = ms / 3'600'000;
  unsigned minute = ms / 60'000 % 60;
  unsigned second = ms / 1000 % 60;
  unsigned milli = ms % 1000;
  char buf[64];
  char* p = buf;
  if (iso_) {
    // java.time.Instant.toString() (OffsetDateTime's ISO form away from UTC).
    p = WriteDate(p, date);
    *p++ = 'T';
    p = Write2(p, hour);
    *p++ = ':';
    p = Write2(p, minute);
    *p++ = ':';
    p = Write2(p, second);
    if (milli != 0) {
      *p++ = '.';
      p = Write3(p, milli);
    }
    if (offset_minutes_ == 0) {
      *p++ = 'Z';
    } else {
      p = WriteOffset(p, offset_minutes_, true);
    }
    AppendRange(out, buf, p);
    return;
  }
  for (const PatternStep& step : pattern_) {
    if (p > buf + sizeof buf - 24) {  // long patterns: flush the stack buffer
      AppendRange(out, buf, p);
      p = buf;
    }
    switch (step.piece) {
      case Piece::kLiteral: *p++ = step.literal; break;
      case Piece::kYear: p = WriteYear(p, date.year); break;
      case Piece::kMonth: p = Write2(p, date.month); break;
      case Piece::kDay: p = Write2(p, date.day); break;
      case Piece::kHour: p = Write2(p, hour); break;
      case Piece::kMinute: p = Write2(p, minute); break;
      case Piece::kSecond: p = Write2(p, second); break;
      case Piece::kMillis: p = Write3(p, milli); break;
      case Piece::kOffset: p = WriteOffset(p, offset_minutes_, false); break;
      case Piece::kOffsetColon:
        if (offset_minutes_ == 0) {
          *p++ = 'Z';
        } else {
          p = WriteOffset(p, offset_minutes_, true);
        }
        break;
    }
  }
  AppendRange(out, buf, p);
}

void ValueFormatter::AppendText(const Column& column, size_t row, std::string& out) const {
  if (column.type()->is_nested()) {
    AppendNestedJson(column, row, out);
  } else {
    AppendScalarText(column, row, out);
  }
}

void ValueFormatter::AppendScalarText(const Column& column, size_t row, std::string& out) const {
  switch (column.kind()) {
    case TypeKind::kBoolean:
      column.Boolean(row) ? out.append("true", 4) : out.append("false", 5);
      return;
    case TypeKind::kInt8: return AppendInt(column.Int8(row), out);
    case TypeKind::kInt16: return AppendInt(column.Int16(row), out);
    case TypeKind::kInt32: return AppendInt(column.Int32(row), out);
    case TypeKind::kInt64: return AppendInt(column.Int64(row), out);
    case TypeKind::kFloat32: return AppendFloat32Text(column.Float32(row), out);
    case TypeKind::kFloat64: return AppendFloat64Text(column.Float64(row), out);
    case TypeKind::kDecimal:
      return AppendDecimalText(column.DecimalUnscaled(row), column.DecimalScale(row), out);
    case TypeKind::kBigInteger: return AppendBigIntegerText(column.Bytes(row), out);
    case TypeKind::kString: out.append(column.String(row)); return;
    case TypeKind::kBinary:
      if (options_.binary == BinaryEncoding::kHex) {
        return AppendHexBlob(column.Bytes(row), out);
      }
      return AppendBase64(column.Bytes(row), out);
    case TypeKind::kUuid: return AppendUuidText(column.UuidBytes(row).data(), out);
    case TypeKind::kDate: return AppendDateText(column.Date(row), out);
    case TypeKind::kTime: return AppendTimeText(column.Time(row), out);
    case TypeKind::kTimestamp: return AppendTimestamp(column.Timestamp(row), out);
    case TypeKind::kDuration: return AppendDurationText(column.Duration(row), out);
    case TypeKind::kInet: return AppendInetText(column.Bytes(row), out);
    default: return AppendNestedJson(column, row, out);
  }
}

void ValueFormatter::AppendJson(const Column& column, size_t row, std::string& out) const {
  if (column.IsNull(row)) {
    out.append("null", 4);
    return;
  }
  switch (column.kind()) {
    case TypeKind::kBoolean:
    case TypeKind::kInt8:
    case TypeKind::kInt16:
    case TypeKind::kInt32:
    case TypeKind::kInt64:
    case TypeKind::kDecimal:
    case TypeKind::kBigInteger:
      return AppendScalarText(column, row, out);
    case TypeKind::kFloat32:
    case TypeKind::kFloat64: {
      double v = column.kind() == TypeKind::kFloat32 ? double{column.Float32(row)}
                                                     : column.Float64(row);
      if (std::isfinite(v)) {
        return AppendScalarText(column, row, out);
      }
      out += '"';
      AppendScalarText(column, row, out);
      out += '"';
      return;
    }
    case TypeKind::kString: return AppendJsonString(column.String(row), out);
    case TypeKind::kTimestamp:
      if (pattern_needs_escape_) {
        size_t start = out.size();
        out += '"';
        AppendTimestamp(column.Timestamp(row), out);
        EscapeTail(out, start + 1);
        out += '"';
        return;
      }
      [[fallthrough]];
    case TypeKind::kBinary:
    case TypeKind::kUuid:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kDuration:
    case TypeKind::kInet:
      out += '"';
      AppendScalarText(column, row, out);
      out += '"';
      return;
    default: return AppendNestedJson(column, row, out);
  }
}

bool ValueFormatter::TextNeedsJsonEscape(TypeKind kind) const noexcept {
  return kind == TypeKind::kString || kind >= TypeKind::kList ||
         (kind == TypeKind::kTimestamp && pattern_needs_escape_);
}

void ValueFormatter::AppendKeyJson(const Column& keys, size_t row, std::string& out) const {
  if (keys.IsNull(row)) {  // map keys are not nullable: a bug upstream
    out.append("\"\"", 2);
    return;
  }
  TypeKind kind = keys.kind();
  if (kind == TypeKind::kString) {
    return AppendJsonString(keys.String(row), out);
  }
  size_t start = out.size();
  out += '"';
  AppendText(keys, row, out);
  if (TextNeedsJsonEscape(kind)) {
    EscapeTail(out, start + 1);
  }
  out += '"';
}

void ValueFormatter::AppendNestedJson(const Column& column, size_t row, std::string& out) const {
  switch (column.kind()) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kVector: {
      auto [begin, end] = column.ElementRange(row);
      const Column& elements = column.child(0);
      out += '[';
      for (size_t i = begin; i < end; ++i) {
        if (i != begin) out += ',';
        AppendJson(elements, i, out);
      }
      out += ']';
      return;
    }
    case TypeKind::kMap: {
      auto [begin, end] = column.ElementRange(row);
      const Column& keys = column.map_keys();
      const Column& values = column.map_values();
      out += '{';
      for (size_t i = begin; i < end; ++i) {
        if (i != begin) out += ',';
        AppendKeyJson(keys, i, out);
        out += ':';
        AppendJson(values, i, out);
      }
      out += '}';
      return;
    }
    case TypeKind::kStruct: {
      const auto& fields = column.type()->fields();
      bool is_tuple = column.type()->name().empty();
      out += is_tuple ? '[' : '{';
      for (size_t k = 0; k < fields.size(); ++k) {
        if (k != 0) out += ',';
        if (!is_tuple) {
          AppendJsonString(fields[k].name, out);
          out += ':';
        }
        AppendJson(column.child(k), row, out);
      }
      out += is_tuple ? ']' : '}';
      return;
    }
    default:
      AppendScalarText(column, row, out);
      return;
  }
}

}  // namespace cqlbulk::formats
