// SPDX-License-Identifier: Apache-2.0
// Dates, times, timestamps and durations as text (time_parse.cc), for ValueParser
// (value_parse.cc), and the small helpers value_parse.cc lends back. Each parser returns
// nullptr, or the reason text is not a value of its kind.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/data/logical_type.h"

namespace cqlbulk::formats::internal {

// value_parse.cc
bool IsDigit(char c);
/// Only digits, after an optional sign when `allow_sign`; at least one digit.
bool IsInteger(std::string_view s, bool allow_sign);
const char* OutOfRange(data::TypeKind kind);

// time_parse.cc
inline constexpr const char* kNotTimestamp = "not a timestamp";
inline constexpr const char* kSubMillis = "not a timestamp (finer than milliseconds)";
inline constexpr const char* kNotDuration = "not a duration";

enum class PatternPiece : uint8_t {
  kLiteral,
  kYear,
  kMonth,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillis,
  kZone,       // %z: +hhmm (Z accepted)
  kZoneColon,  // %Ez: +hh:mm or Z
};

struct PatternToken {
  PatternPiece piece;
  char literal;
};

const char* ParseDate(std::string_view s, int32_t& out);
const char* ParseTime(std::string_view s, int64_t& out);
const char* ParseIsoTimestamp(std::string_view s, int32_t default_offset, int64_t& out);
/// ParseIsoTimestamp without its fast path for yyyy-mm-ddTHH:MM:SS[.fff]Z: what the tests
/// compare that path with.
const char* ParseIsoTimestampGeneral(std::string_view s, int32_t default_offset, int64_t& out);
Result<std::vector<PatternToken>> CompilePattern(std::string_view pattern);
const char* ParsePatternTimestamp(std::string_view s, const std::vector<PatternToken>& tokens,
                                  int32_t default_offset, int64_t& out);
Result<int32_t> ParseTimeZoneOption(std::string_view zone);
const char* ParseDuration(std::string_view s, data::DurationValue& out);

}  // namespace cqlbulk::formats::internal
