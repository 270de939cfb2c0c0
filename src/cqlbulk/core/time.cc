// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/time.h"

#include <charconv>
#include <cstdio>

#include "cqlbulk/core/macros.h"

namespace cqlbulk {

// Howard Hinnant's days_from_civil / civil_from_days algorithms (public domain).
int64_t DaysFromCivil(const CivilDate& date) noexcept {
  int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t m = date.month;
  int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) noexcept {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2 ? 1 : 0), m, d};
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string FormatYmd(const CivilDate& c) {
  char buf[48];
  if (c.year < 0 || c.year > 9999) {
    std::snprintf(buf, sizeof buf, "%c%04lld-%02u-%02u", c.year < 0 ? '-' : '+',
                  static_cast<long long>(c.year < 0 ? -c.year : c.year), c.month, c.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                  c.day);
  }
  return buf;
}

/// A tiny cursor for the fixed-shape date/time grammars below.
struct Scanner {
  std::string_view text;
  size_t pos = 0;

  bool AtEnd() const { return pos == text.size(); }
  bool Peek(char c) const { return pos < text.size() && text[pos] == c; }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++pos;
    return true;
  }
  /// Reads between min and max digits; returns the number of digits read (0 on failure).
  size_t Digits(size_t min, size_t max, int64_t* out) {
    size_t start = pos;
    int64_t v = 0;
    while (pos < text.size() && pos - start < max && text[pos] >= '0' && text[pos] <= '9') {
      v = v * 10 + (text[pos++] - '0');
    }
    size_t n = pos - start;
    if (n < min) {
      pos = start;
      return 0;
    }
    *out = v;
    return n;
  }
};

Error BadInput(std::string_view what, std::string_view text, std::string_view why) {
  return InvalidArgument("invalid " + std::string(what) + " '" + std::string(text) + "': " +
                         std::string(why));
}

Result<int64_t> ScanDate(Scanner& s, std::string_view what) {
  bool negative = false;
  if (s.Eat('-')) {
    negative = true;
  } else {
    s.Eat('+');
  }
  int64_t y = 0, m = 0, d = 0;
  if (!s.Digits(4, 9, &y) || !s.Eat('-') || !s.Digits(2, 2, &m) || !s.Eat('-') ||
      !s.Digits(2, 2, &d)) {
    return BadInput(what, s.text, "expected YYYY-MM-DD");
  }
  if (negative) y = -y;
  if (m < 1 || m > 12) return BadInput(what, s.text, "month out of range");
  CivilDate date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
  int64_t days = DaysFromCivil(date);
  if (d < 1 || CivilFromDays(days) != date) return BadInput(what, s.text, "day out of range");
  return days;
}

Result<int64_t> ScanTime(Scanner& s, std::string_view what, int max_fraction_digits,
                         int64_t unit_per_second) {
  int64_t h = 0, mi = 0, sec = 0, frac = 0;
  if (!s.Digits(2, 2, &h) || !s.Eat(':') || !s.Digits(2, 2, &mi)) {
    return BadInput(what, s.text, "expected HH:MM[:SS[.fraction]]");
  }
  if (s.Eat(':')) {
    if (!s.Digits(2, 2, &sec)) return BadInput(what, s.text, "expected seconds after ':'");
    if (s.Eat('.')) {
      size_t n = s.Digits(1, static_cast<size_t>(max_fraction_digits), &frac);
      if (n == 0) return BadInput(what, s.text, "expected digits after '.'");
      for (size_t i = n; i < static_cast<size_t>(max_fraction_digits); ++i) frac *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return BadInput(what, s.text, "time field out of range");
  return ((h * 60 + mi) * 60 + sec) * unit_per_second + frac;
}

}  // namespace

std::string FormatDate(int64_t days_since_epoch) {
  return FormatYmd(CivilFromDays(days_since_epoch));
}

Result<int64_t> ParseDate(std::string_view text) {
  Scanner s{text};
  CQLBULK_ASSIGN_OR_RETURN(int64_t days, ScanDate(s, "date"));
  if (!s.AtEnd()) return BadInput("date", text, "unexpected characters after the date");
  return days;
}

std::string FormatTimeOfDay(int64_t nanos) {
  int64_t secs = nanos / 1'000'000'000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%09lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(nanos % 1'000'000'000));
  return buf;
}

Result<int64_t> ParseTimeOfDay(std::string_view text) {
  Scanner s{text};
  CQLBULK_ASSIGN_OR_RETURN(int64_t nanos, ScanTime(s, "time", 9, 1'000'000'000));
  if (!s.AtEnd()) return BadInput("time", text, "unexpected characters after the time");
  return nanos;
}

std::string FormatTimestamp(int64_t millis_since_epoch) {
  int64_t days = FloorDiv(millis_since_epoch, 86'400'000);
  // The remainder, not millis - days * 86'400'000: that product overflows near INT64_MIN.
  int64_t ms = millis_since_epoch % 86'400'000;
  if (ms < 0) ms += 86'400'000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return FormatDate(days) + buf;
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  Scanner s{text};
  CQLBULK_ASSIGN_OR_RETURN(int64_t days, ScanDate(s, "timestamp"));
  int64_t ms_of_day = 0;
  if (s.Eat('T') || s.Eat(' ')) {
    CQLBULK_ASSIGN_OR_RETURN(ms_of_day, ScanTime(s, "timestamp", 3, 1000));
  }
  int64_t offset_minutes = 0;
  if (s.Eat('Z')) {
  } else if (s.Peek('+') || s.Peek('-')) {
    bool negative = s.Eat('-');
    if (!negative) s.Eat('+');
    int64_t oh = 0, om = 0;
    if (!s.Digits(2, 2, &oh)) return BadInput("timestamp", text, "expected a UTC offset +HH:MM");
    s.Eat(':');
    s.Digits(2, 2, &om);
    offset_minutes = (oh * 60 + om) * (negative ? -1 : 1);
  }
  if (!s.AtEnd()) return BadInput("timestamp", text, "unexpected characters");
  return days * 86'400'000 + ms_of_day - offset_minutes * 60'000;
}

}  // namespace cqlbulk
