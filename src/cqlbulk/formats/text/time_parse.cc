// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/time_parse_internal.h"

#include <cstring>
#include <limits>
#include <string>

#include "cqlbulk/core/time.h"
#include "cqlbulk/formats/text/fast_parse.h"

namespace cqlbulk::formats::internal {

using data::TypeKind;

// ---------------------------------------------------------------------------------------------
// Dates and times

struct Cursor {
  const char* p;
  const char* end;

  explicit Cursor(std::string_view s) : p(s.data()), end(s.data() + s.size()) {}
  bool done() const { return p == end; }
  bool Eat(char c) {
    if (p != end && *p == c) {
      ++p;
      return true;
    }
    return false;
  }
  // Exactly n digits.
  bool Digits(int n, int64_t& v) {
    if (end - p < n) return false;
    int64_t acc = 0;
    for (int i = 0; i < n; ++i) {
      unsigned d = static_cast<unsigned>(p[i] - '0');
      if (d > 9) return false;
      acc = acc * 10 + d;
    }
    p += n;
    v = acc;
    return true;
  }
};

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t year, int64_t month) {
  static constexpr int8_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// [+-]yyyy-mm-dd with 4 to 9 year digits; days since 1970-01-01.
bool ParseYmd(Cursor& c, int64_t& days) {
  bool negative = false;
  if (c.Eat('+')) {
  } else if (c.Eat('-')) {
    negative = true;
  }
  int64_t year = 0;
  int n = 0;
  while (c.p != c.end && IsDigit(*c.p)) {
    if (++n > 9) return false;
    year = year * 10 + (*c.p++ - '0');
  }
  if (n < 4) return false;
  if (negative) year = -year;
  int64_t month = 0;
  int64_t day = 0;
  if (!c.Eat('-') || !c.Digits(2, month) || !c.Eat('-') || !c.Digits(2, day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return false;
  days = DaysFromCivil(
      CivilDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)});
  return true;
}

const char* ParseDate(std::string_view s, int32_t& out) {
  if (IsInteger(s, false)) {
    // CQL's own form: an unsigned day count with the epoch at 2^31.
    uint64_t v = 0;
    if (s.size() > 10) return OutOfRange(TypeKind::kDate);
    for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > 0xFFFFFFFFULL) return OutOfRange(TypeKind::kDate);
    out = static_cast<int32_t>(static_cast<int64_t>(v) - (int64_t{1} << 31));
    return nullptr;
  }
  Cursor c(s);
  int64_t days = 0;
  if (!ParseYmd(c, days) || !c.done()) return "not a date";
  if (days < std::numeric_limits<int32_t>::min() || days > std::numeric_limits<int32_t>::max()) {
    return OutOfRange(TypeKind::kDate);
  }
  out = static_cast<int32_t>(days);
  return nullptr;
}

// HH:MM[:SS[.fffffffff]] into nanoseconds of the day; `fraction_digits` gets how many.
bool ParseClock(Cursor& c, int64_t& nanos, int& fraction_digits) {
  int64_t h = 0;
  int64_t m = 0;
  int64_t sec = 0;
  int64_t frac = 0;
  fraction_digits = 0;
  if (!c.Digits(2, h) || !c.Eat(':') || !c.Digits(2, m)) return false;
  if (c.Eat(':')) {
    if (!c.Digits(2, sec)) return false;
    if (c.p != c.end && (*c.p == '.' || *c.p == ',')) {
      ++c.p;
      while (c.p != c.end && IsDigit(*c.p)) {
        if (++fraction_digits > 9) return false;
        frac = frac * 10 + (*c.p++ - '0');
      }
      if (fraction_digits == 0) return false;
      for (int i = fraction_digits; i < 9; ++i) frac *= 10;
    }
  }
  if (h > 23 || m > 59 || sec > 59) return false;
  nanos = ((h * 60 + m) * 60 + sec) * 1'000'000'000 + frac;
  return true;
}

const char* ParseTime(std::string_view s, int64_t& out) {
  if (IsInteger(s, false)) {
    int64_t v = 0;
    if (s.size() > 18) return OutOfRange(TypeKind::kTime);
    for (char c : s) v = v * 10 + (c - '0');
    if (v >= kNanosPerDay) return OutOfRange(TypeKind::kTime);
    out = v;
    return nullptr;
  }
  Cursor c(s);
  int digits = 0;
  if (!ParseClock(c, out, digits) || !c.done()) return "not a time";
  return nullptr;
}

// Z, or +HH:MM, +HHMM, +HH (and the same with '-'), at most 18 hours as java.time allows.
bool ParseZone(Cursor& c, int32_t& minutes) {
  if (c.Eat('Z') || c.Eat('z')) {
    minutes = 0;
    return true;
  }
  bool negative = false;
  if (c.Eat('-')) {
    negative = true;
  } else if (!c.Eat('+')) {
    return false;
  }
  int64_t h = 0;
  int64_t m = 0;
  if (!c.Digits(2, h)) return false;
  if (c.Eat(':')) {
    if (!c.Digits(2, m)) return false;
  } else if (c.p != c.end) {
    if (!c.Digits(2, m)) return false;
  }
  if (h > 18 || m > 59 || h * 60 + m > 18 * 60) return false;
  minutes = static_cast<int32_t>(negative ? -(h * 60 + m) : h * 60 + m);
  return true;
}

// Days, time of day and zone into milliseconds since the epoch; false on overflow.
bool CombineMillis(int64_t days, int64_t nanos_of_day, int32_t offset_minutes, int64_t& out) {
  int64_t millis = 0;
  int64_t of_day = nanos_of_day / 1'000'000;
  if (days < 0) {  // count from the end of the day, so the earliest instant does not overflow
    ++days;
    of_day -= 86'400'000;
  }
  if (__builtin_mul_overflow(days, int64_t{86'400'000}, &millis) ||
      __builtin_add_overflow(millis, of_day, &millis) ||
      __builtin_sub_overflow(millis, int64_t{offset_minutes} * 60'000, &millis)) {
    return false;
  }
  out = millis;
  return true;
}


// The fixed form every timestamp writer writes (FastIsoTimestamp) first. Anything else, or a
// field out of its range, goes to the general parser, which also gives the reason.
const char* ParseIsoTimestamp(std::string_view s, int32_t default_offset, int64_t& out) {
  if (FastIsoTimestamp(s, out)) return nullptr;
  return ParseIsoTimestampGeneral(s, default_offset, out);
}

const char* ParseIsoTimestampGeneral(std::string_view s, int32_t default_offset, int64_t& out) {
  Cursor c(s);
  int64_t days = 0;
  if (!ParseYmd(c, days)) return kNotTimestamp;
  int64_t nanos = 0;
  int32_t offset = default_offset;
  if (!c.done()) {
    if (*c.p == 'T' || *c.p == 't' || *c.p == ' ') {
      ++c.p;
      int digits = 0;
      if (!ParseClock(c, nanos, digits)) return kNotTimestamp;
    }
    if (!c.done() && !ParseZone(c, offset)) return kNotTimestamp;
    if (!c.done()) return kNotTimestamp;
  }
  if (nanos % 1'000'000 != 0) return kSubMillis;
  if (!CombineMillis(days, nanos, offset, out)) return OutOfRange(TypeKind::kTimestamp);
  return nullptr;
}

// One piece of a strftime-like timestamp pattern.

Result<std::vector<PatternToken>> CompilePattern(std::string_view pattern) {
  std::vector<PatternToken> tokens;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%') {
      tokens.push_back({PatternPiece::kLiteral, c});
      continue;
    }
    if (++i == pattern.size()) {
      return InvalidArgument("timestamp format '" + std::string(pattern) + "' ends with '%'");
    }
    switch (pattern[i]) {
      case 'Y': tokens.push_back({PatternPiece::kYear, 0}); break;
      case 'm': tokens.push_back({PatternPiece::kMonth, 0}); break;
      case 'd': tokens.push_back({PatternPiece::kDay, 0}); break;
      case 'H': tokens.push_back({PatternPiece::kHour, 0}); break;
      case 'M': tokens.push_back({PatternPiece::kMinute, 0}); break;
      case 'S': tokens.push_back({PatternPiece::kSecond, 0}); break;
      case 'f': tokens.push_back({PatternPiece::kMillis, 0}); break;
      case 'z': tokens.push_back({PatternPiece::kZone, 0}); break;
      case '%': tokens.push_back({PatternPiece::kLiteral, '%'}); break;
      case 'E':
        if (i + 1 < pattern.size() && pattern[i + 1] == 'z') {
          ++i;
          tokens.push_back({PatternPiece::kZoneColon, 0});
          break;
        }
        [[fallthrough]];
      default:
        return InvalidArgument("timestamp format '" + std::string(pattern) +
                               "': unknown directive '%" + std::string(1, pattern[i]) +
                               "' (known: %Y %m %d %H %M %S %f %z %Ez %%)");
    }
  }
  return tokens;
}

const char* ParsePatternTimestamp(std::string_view s, const std::vector<PatternToken>& tokens,
                                  int32_t default_offset, int64_t& out) {
  Cursor c(s);
  int64_t year = 1970;
  int64_t month = 1;
  int64_t day = 1;
  int64_t h = 0;
  int64_t m = 0;
  int64_t sec = 0;
  int64_t ms = 0;
  int32_t offset = default_offset;
  for (const PatternToken& token : tokens) {
    switch (token.piece) {
      case PatternPiece::kLiteral:
        if (!c.Eat(token.literal)) return kNotTimestamp;
        break;
      case PatternPiece::kYear: {
        bool negative = false;
        bool sign = false;
        if (c.Eat('+')) {
          sign = true;
        } else if (c.Eat('-')) {
          sign = negative = true;
        }
        if (sign) {
          int n = 0;
          year = 0;
          while (c.p != c.end && IsDigit(*c.p)) {
            if (++n > 9) return kNotTimestamp;
            year = year * 10 + (*c.p++ - '0');
          }
          if (n < 4) return kNotTimestamp;
        } else if (!c.Digits(4, year)) {
          return kNotTimestamp;
        }
        if (negative) year = -year;
        break;
      }
      case PatternPiece::kMonth:
        if (!c.Digits(2, month)) return kNotTimestamp;
        break;
      case PatternPiece::kDay:
        if (!c.Digits(2, day)) return kNotTimestamp;
        break;
      case PatternPiece::kHour:
        if (!c.Digits(2, h)) return kNotTimestamp;
        break;
      case PatternPiece::kMinute:
        if (!c.Digits(2, m)) return kNotTimestamp;
        break;
      case PatternPiece::kSecond:
        if (!c.Digits(2, sec)) return kNotTimestamp;
        break;
      case PatternPiece::kMillis:
        if (!c.Digits(3, ms)) return kNotTimestamp;
        break;
      case PatternPiece::kZone:
      case PatternPiece::kZoneColon:
        if (!ParseZone(c, offset)) return kNotTimestamp;
        break;
    }
  }
  if (!c.done()) return kNotTimestamp;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || h > 23 || m > 59 ||
      sec > 59) {
    return kNotTimestamp;
  }
  int64_t days =
      DaysFromCivil(CivilDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)});
  int64_t nanos = (((h * 60 + m) * 60 + sec) * 1000 + ms) * 1'000'000;
  if (!CombineMillis(days, nanos, offset, out)) return OutOfRange(TypeKind::kTimestamp);
  return nullptr;
}

Result<int32_t> ParseTimeZoneOption(std::string_view zone) {
  if (zone == "UTC" || zone == "Z" || zone == "GMT" || zone.empty()) {
    return 0;
  }
  Cursor c(zone);
  int32_t minutes = 0;
  if ((zone[0] == '+' || zone[0] == '-') && ParseZone(c, minutes) && c.done()) {
    return minutes;
  }
  return InvalidArgument("time zone '" + std::string(zone) +
                         "' is not UTC or a fixed offset such as +02:00");
}

// ---------------------------------------------------------------------------------------------
// Durations

struct DurationParts {
  int64_t months = 0;
  int64_t days = 0;
  int64_t nanos = 0;
};

// Adds n of the unit of `rank` (y mo w d h m s ms us ns = 0..9); false on overflow.
bool AddUnit(DurationParts& d, int rank, int64_t n) {
  static constexpr int64_t kNanos[] = {0, 0, 0, 0, 3'600'000'000'000, 60'000'000'000,
                                       1'000'000'000, 1'000'000, 1'000, 1};
  int64_t product = 0;
  switch (rank) {
    case 0:
      return !__builtin_mul_overflow(n, 12, &product) &&
             !__builtin_add_overflow(d.months, product, &d.months);
    case 1:
      return !__builtin_add_overflow(d.months, n, &d.months);
    case 2:
      return !__builtin_mul_overflow(n, 7, &product) &&
             !__builtin_add_overflow(d.days, product, &d.days);
    case 3:
      return !__builtin_add_overflow(d.days, n, &d.days);
    default:
      return !__builtin_mul_overflow(n, kNanos[rank], &product) &&
             !__builtin_add_overflow(d.nanos, product, &d.nanos);
  }
}

// Digits into n; false when there are none or they overflow int64.
bool ReadCount(Cursor& c, int64_t& n, bool& overflow) {
  if (c.p == c.end || !IsDigit(*c.p)) return false;
  n = 0;
  while (c.p != c.end && IsDigit(*c.p)) {
    if (__builtin_mul_overflow(n, 10, &n) || __builtin_add_overflow(n, *c.p - '0', &n)) {
      overflow = true;
    }
    ++c.p;
  }
  return true;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Cassandra's unit symbols, any case (µs with the micro or the Greek letter); -1 if none.
int ReadUnit(Cursor& c) {
  if (c.p == c.end) return -1;
  char u = Lower(*c.p);
  char next = c.end - c.p >= 2 ? Lower(c.p[1]) : '\0';
  auto take = [&](int n, int rank) {
    c.p += n;
    return rank;
  };
  switch (u) {
    case 'y': return take(1, 0);
    case 'w': return take(1, 2);
    case 'd': return take(1, 3);
    case 'h': return take(1, 4);
    case 's': return take(1, 6);
    case 'm':
      if (next == 'o') return take(2, 1);
      if (next == 's') return take(2, 7);
      return take(1, 5);
    case 'u':
      return next == 's' ? take(2, 8) : -1;
    case 'n':
      return next == 's' ? take(2, 9) : -1;
    default:
      break;
  }
  if (c.end - c.p >= 3 && Lower(c.p[2]) == 's' &&
      ((static_cast<uint8_t>(c.p[0]) == 0xC2 && static_cast<uint8_t>(c.p[1]) == 0xB5) ||
       (static_cast<uint8_t>(c.p[0]) == 0xCE && static_cast<uint8_t>(c.p[1]) == 0xBC))) {
    return take(3, 8);
  }
  return -1;
}

const char* ParseDuration(std::string_view s, data::DurationValue& out) {
    bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty()) return kNotDuration;
  DurationParts d;
  bool overflow = false;
  Cursor c(s);
  if (c.Eat('P')) {
    if (s.size() == 20 && s[5] == '-' && s[8] == '-' && s[11] == 'T' && s[14] == ':' &&
        s[17] == ':') {
      // The alternative ISO 8601 form: P0001-02-03T04:05:06.
      int64_t v[6];
      bool ok = c.Digits(4, v[0]) && c.Eat('-') && c.Digits(2, v[1]) && c.Eat('-') &&
                c.Digits(2, v[2]) && c.Eat('T') && c.Digits(2, v[3]) && c.Eat(':') &&
                c.Digits(2, v[4]) && c.Eat(':') && c.Digits(2, v[5]);
      if (!ok) return kNotDuration;
      AddUnit(d, 0, v[0]);
      AddUnit(d, 1, v[1]);
      AddUnit(d, 3, v[2]);
      AddUnit(d, 4, v[3]);
      AddUnit(d, 5, v[4]);
      AddUnit(d, 6, v[5]);
    } else {
      // P[nY][nM][nW][nD][T[nH][nM][nS]]
      int last = -1;
      bool any = false;
      bool in_time = false;
      while (!c.done()) {
        if (!in_time && c.Eat('T')) {
          in_time = true;
          if (c.done()) return kNotDuration;
          continue;
        }
        int64_t n = 0;
        if (!ReadCount(c, n, overflow) || c.done()) return kNotDuration;
        int rank = -1;
        char u = *c.p++;
        if (!in_time) {
          rank = u == 'Y' ? 0 : u == 'M' ? 1 : u == 'W' ? 2 : u == 'D' ? 3 : -1;
        } else {
          rank = u == 'H' ? 4 : u == 'M' ? 5 : u == 'S' ? 6 : -1;
        }
        if (rank <= last) return kNotDuration;
        last = rank;
        any = true;
        if (!AddUnit(d, rank, n)) overflow = true;
      }
      if (!any) return kNotDuration;
    }
  } else {
    int last = -1;
    while (!c.done()) {
      int64_t n = 0;
      if (!ReadCount(c, n, overflow)) return kNotDuration;
      int rank = ReadUnit(c);
      if (rank <= last) return kNotDuration;  // no unit, or units out of order or repeated
      last = rank;
      if (!AddUnit(d, rank, n)) overflow = true;
    }
  }
  if (overflow || d.months > std::numeric_limits<int32_t>::max() ||
      d.days > std::numeric_limits<int32_t>::max()) {
    return OutOfRange(TypeKind::kDuration);
  }
  out.months = static_cast<int32_t>(negative ? -d.months : d.months);
  out.days = static_cast<int32_t>(negative ? -d.days : d.days);
  out.nanos = negative ? -d.nanos : d.nanos;
  return nullptr;
}

}  // namespace cqlbulk::formats::internal
