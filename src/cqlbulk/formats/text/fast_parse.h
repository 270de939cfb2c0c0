// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "cqlbulk/core/bytes.h"

/// \file
/// The forms of a timestamp and a decimal that nearly every writer writes, read at fixed
/// places before any general parser: ValueParser's (value_parse.h) and the load's straight CSV
/// path's (ops/text/cql_rows.h), which must read a text to the same value. Each returns false
/// for any other text, which the general parser then reads or refuses with its reason.

namespace cqlbulk::formats {

/// The two decimal digits at `p` as a number, or -1.
[[gnu::always_inline]] inline int FastTwoDigits(const char* p) {
  const unsigned a = static_cast<unsigned>(p[0] - '0');
  const unsigned b = static_cast<unsigned>(p[1] - '0');
  return a > 9 || b > 9 ? -1 : static_cast<int>(a * 10 + b);
}

/// Whether `s` has the shape of "yyyy-mm-ddTHH:MM:SSZ" or "yyyy-mm-ddTHH:MM:SS.fffZ": its
/// length and separators (the digits are checked as they are read).
[[gnu::always_inline]] inline bool IsIsoTimestampShape(std::string_view s) {
  const char* p = s.data();
  return (s.size() == 20 || (s.size() == 24 && p[19] == '.')) && p[4] == '-' && p[7] == '-' &&
         p[10] == 'T' && p[13] == ':' && p[16] == ':' && p[s.size() - 1] == 'Z';
}

/// \brief The valid date "yyyy-mm-dd" at `p` (its separators already checked; years 0 to
/// 9999) as `days` since the Unix epoch.
[[gnu::always_inline]] inline bool FastIsoDate(const char* p, int64_t& days) {
  const int century = FastTwoDigits(p);
  const int year_of_century = FastTwoDigits(p + 2);
  const int month = FastTwoDigits(p + 5);
  const int day = FastTwoDigits(p + 8);
  if ((century | year_of_century | day) < 0 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const int year = century * 100 + year_of_century;
  static constexpr uint8_t kDaysInMonth[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDaysInMonth[month] + (month == 2 && leap ? 1 : 0)) return false;
  // Days from the civil date (H. Hinnant's days_from_civil).
  const int y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return true;
}

/// \brief The valid time "HH:MM:SS" or "HH:MM:SS.fff" at `p` (`with_fraction`; separators
/// already checked) as milliseconds of the day.
[[gnu::always_inline]] inline bool FastIsoTimeOfDay(const char* p, bool with_fraction,
                                                    int64_t& millis) {
  const int hour = FastTwoDigits(p);
  const int minute = FastTwoDigits(p + 3);
  const int second = FastTwoDigits(p + 6);
  int fraction = 0;
  if (with_fraction) {
    const int first = FastTwoDigits(p + 9);
    const unsigned last = static_cast<unsigned>(p[11] - '0');
    fraction = first < 0 || last > 9 ? -1 : first * 10 + static_cast<int>(last);
  }
  if ((hour | minute | second | fraction) < 0 || hour > 23 || minute > 59 || second > 59) {
    return false;
  }
  millis = ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
  return true;
}

/// \brief "yyyy-mm-ddTHH:MM:SSZ" or "yyyy-mm-ddTHH:MM:SS.fffZ" (ours, DataStax Bulk Loader's,
/// cqlsh's ISO form) with a valid date and time: `millis` since the Unix epoch.
[[gnu::always_inline]] inline bool FastIsoTimestamp(std::string_view s, int64_t& millis) {
  int64_t days = 0;
  int64_t of_day = 0;
  if (!IsIsoTimestampShape(s) || !FastIsoDate(s.data(), days) ||
      !FastIsoTimeOfDay(s.data() + 11, s.size() == 24, of_day)) {
    return false;
  }
  millis = days * 86'400'000 + of_day;
  return true;
}

/// \brief The last valid date FastIsoTimestamp read in a column, with its text: timestamps
/// that follow each other in a file mostly share their day (a file sorted by time, or many
/// rows a day), and then the date is not read again.
struct IsoDateMemo {
  // "yyyy-mm-dd" in two words; zeros (never a date's text) before the first.
  uint64_t head = 0;  ///< "yyyy-mm-"
  uint16_t tail = 0;  ///< "dd"
  int64_t days = 0;
};

/// \brief FastIsoTimestamp, the date taken from `memo` when its text is the memo's (and kept
/// there when it is read): the same result for every text.
[[gnu::always_inline]] inline bool FastIsoTimestamp(std::string_view s, int64_t& millis,
                                                    IsoDateMemo& memo) {
  if (!IsIsoTimestampShape(s)) return false;
  const char* p = s.data();
  uint64_t head;
  uint16_t tail;
  std::memcpy(&head, p, sizeof head);
  std::memcpy(&tail, p + 8, sizeof tail);
  if (head != memo.head || tail != memo.tail) {
    int64_t days = 0;
    if (!FastIsoDate(p, days)) return false;
    memo = {.head = head, .tail = tail, .days = days};
  }
  int64_t of_day = 0;
  if (!FastIsoTimeOfDay(p + 11, s.size() == 24, of_day)) return false;
  millis = memo.days * 86'400'000 + of_day;
  return true;
}

/// \brief [+-] digits [. digits] with 1 to 18 digits and no exponent (a Java BigDecimal's
/// plain text): the decimal's `unscaled` value and its `scale` (digits after the point).
[[gnu::always_inline]] inline bool FastDecimal(std::string_view s, int64_t& unscaled,
                                               int32_t& scale) {
  if (s.empty() || s.size() > 20) return false;
  const char* p = s.data();
  const char* end = p + s.size();
  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  uint64_t value = 0;
  int digits = 0;
  int fraction = -1;  // digits after the point; -1 before it
  for (; p != end; ++p) {
    const unsigned d = static_cast<unsigned>(*p - '0');
    if (d <= 9) {
      value = value * 10 + d;
      ++digits;
      fraction += fraction >= 0 ? 1 : 0;
    } else if (*p == '.' && fraction < 0) {
      fraction = 0;
    } else {
      return false;
    }
  }
  if (digits == 0 || digits > 18) return false;
  unscaled = static_cast<int64_t>(negative ? ~value + 1 : value);
  scale = fraction < 0 ? 0 : fraction;
  return true;
}

/// \brief The bytes of `value`'s minimal big-endian two's complement (a CQL varint's, a
/// decimal's unscaled value): its bits and a sign bit, in whole bytes. Writes the 8 bytes of
/// `value` to `be` and returns where they start.
[[gnu::always_inline]] inline size_t MinimalTwosComplement(int64_t value, uint8_t (&be)[8]) {
  StoreBE64(be, static_cast<uint64_t>(value));
  // clrsb: the bits after the top one that repeat it.
  const int bits = 64 - __builtin_clrsbll(static_cast<long long>(value));
  return 8 - static_cast<size_t>((bits + 7) / 8);
}

}  // namespace cqlbulk::formats
