// SPDX-License-Identifier: Apache-2.0
// Digit writers shared by scalar_text.cc and value_format.cc (text/ only).
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

#include "cqlbulk/core/time.h"

namespace cqlbulk::formats::internal {

inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
inline constexpr char kHexDigits[] = "0123456789abcdef";
inline constexpr int64_t kMillisPerDay = 86'400'000;

/// Two digits of v < 100.
inline char* Write2(char* p, unsigned v) {
  std::memcpy(p, kDigitPairs + 2 * v, 2);
  return p + 2;
}
/// Three digits of v < 1000.
inline char* Write3(char* p, unsigned v) {
  *p++ = static_cast<char>('0' + v / 100);
  return Write2(p, v % 100);
}
/// Four digits of v < 10000.
inline char* Write4(char* p, unsigned v) { return Write2(Write2(p, v / 100), v % 100); }
inline char* WriteUnsigned(char* p, uint64_t v) { return std::to_chars(p, p + 20, v).ptr; }

/// Appends [begin, end) (std::string's iterator-pair append goes through replace()).
inline void AppendRange(std::string& out, const char* begin, const char* end) {
  out.append(begin, static_cast<size_t>(end - begin));
}

/// Appends what `write(char* p) -> char* end` writes, at most `bound` bytes: through a stack
/// buffer when small, else in place (the string grows by `bound`, then shrinks to fit).
template <typename Write>
void AppendWritten(std::string& out, size_t bound, Write write) {
  if (bound <= 256) {
    char buf[256];
    AppendRange(out, buf, write(buf));
    return;
  }
  size_t start = out.size();
  out.resize(start + bound);
  char* end = write(out.data() + start);
  out.resize(static_cast<size_t>(end - out.data()));
}

/// ISO 8601 years as java.time prints them: 4 digits for 0..9999, else a sign and at least 4.
inline char* WriteYear(char* p, int64_t year) {
  if (year >= 0 && year <= 9999) [[likely]] {
    return Write4(p, static_cast<unsigned>(year));
  }
  *p++ = year < 0 ? '-' : '+';
  uint64_t abs_year = year < 0 ? 0 - static_cast<uint64_t>(year) : static_cast<uint64_t>(year);
  if (abs_year < 10000) {
    return Write4(p, static_cast<unsigned>(abs_year));
  }
  return WriteUnsigned(p, abs_year);
}

/// "+hh:mm" (colon) or "+hhmm".
inline char* WriteOffset(char* p, int32_t offset_minutes, bool colon) {
  *p++ = offset_minutes < 0 ? '-' : '+';
  auto abs_minutes = static_cast<unsigned>(offset_minutes < 0 ? -offset_minutes : offset_minutes);
  p = Write2(p, abs_minutes / 60);
  if (colon) {
    *p++ = ':';
  }
  return Write2(p, abs_minutes % 60);
}

/// CivilFromDays (core/time.h), with a faster path for about ±1.4 million years.
CivilDate FastCivilFromDays(int64_t days) noexcept;

/// "yyyy-mm-dd" with WriteYear's years.
inline char* WriteCivilDate(char* p, const CivilDate& date) {
  p = WriteYear(p, date.year);
  *p++ = '-';
  p = Write2(p, date.month);
  *p++ = '-';
  return Write2(p, date.day);
}

}  // namespace cqlbulk::formats::internal
