// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"

namespace cqlbulk {

/// \brief A proleptic Gregorian calendar date.
struct CivilDate {
  int64_t year;
  unsigned month;  ///< 1..12
  unsigned day;    ///< 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

/// Days since 1970-01-01 (negative before it).
int64_t DaysFromCivil(const CivilDate& date) noexcept;
CivilDate CivilFromDays(int64_t days) noexcept;

constexpr int64_t kNanosPerDay = 86'400'000'000'000LL;

/// "2024-02-29"; years outside 0..9999 carry a sign ("-0001-01-01", "+10000-01-01").
std::string FormatDate(int64_t days_since_epoch);
/// Parses "[+-]YYYY-MM-DD"; kInvalidArgument names the text and the problem.
Result<int64_t> ParseDate(std::string_view text);

/// "13:45:07.123456789" from nanoseconds since midnight (0 <= nanos < kNanosPerDay).
std::string FormatTimeOfDay(int64_t nanos);
/// Parses "HH:MM[:SS[.fraction]]" with up to 9 fraction digits.
Result<int64_t> ParseTimeOfDay(std::string_view text);

/// "2024-02-29T13:45:07.123Z" from milliseconds since the Unix epoch.
std::string FormatTimestamp(int64_t millis_since_epoch);
/// Parses ISO-8601: "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with an optional "Z" or
/// "+HH[:]MM" offset (no offset means UTC).
Result<int64_t> ParseTimestamp(std::string_view text);

}  // namespace cqlbulk
