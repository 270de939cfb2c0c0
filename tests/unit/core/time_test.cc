// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/time.h"

#include <cstdint>

#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

TEST(TimeTest, CivilDaysRoundTripAcrossEras) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysFromCivil({1969, 12, 31}), -1);
  for (int64_t d = -800000; d <= 800000; d += 997) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  }
}

TEST(TimeTest, FormatsAndParsesDates) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(DaysFromCivil({2024, 2, 29})), "2024-02-29");
  EXPECT_EQ(FormatDate(DaysFromCivil({-1, 1, 1})), "-0001-01-01");
  EXPECT_EQ(FormatDate(DaysFromCivil({10000, 1, 1})), "+10000-01-01");
  EXPECT_THAT(ParseDate("2024-02-29"), HasValue(DaysFromCivil({2024, 2, 29})));
  EXPECT_THAT(ParseDate("-0001-01-01"), HasValue(DaysFromCivil({-1, 1, 1})));
  EXPECT_THAT(ParseDate("2023-02-29"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2023-13-01"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2023-01-01x"), IsError(ErrorCode::kInvalidArgument));
}

TEST(TimeTest, FormatsAndParsesTimeOfDay) {
  int64_t t = ((13 * 60 + 45) * 60 + 7) * 1'000'000'000LL + 123456789;

  EXPECT_EQ(FormatTimeOfDay(t), "13:45:07.123456789");
  EXPECT_THAT(ParseTimeOfDay("13:45:07.123456789"), HasValue(t));
  EXPECT_THAT(ParseTimeOfDay("13:45:07.1"), HasValue(t - 23456789));
  EXPECT_THAT(ParseTimeOfDay("00:00"), HasValue(0));
  EXPECT_THAT(ParseTimeOfDay("24:00:00"), IsError(ErrorCode::kInvalidArgument));
}

TEST(TimeTest, FormatsAndParsesTimestamps) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
  // The extremes: no signed overflow on the way (UBSan checks), the right time of day.
  EXPECT_THAT(FormatTimestamp(INT64_MIN), ::testing::EndsWith("T16:47:04.192Z"));
  EXPECT_THAT(FormatTimestamp(INT64_MAX), ::testing::EndsWith("T07:12:55.807Z"));
  EXPECT_THAT(ParseTimestamp("1970-01-01T00:00:00.001Z"), HasValue(1));
  EXPECT_THAT(ParseTimestamp("1970-01-01 01:00:00+01:00"), HasValue(0));
  EXPECT_THAT(ParseTimestamp("1970-01-02"), HasValue(86'400'000));
  EXPECT_THAT(ParseTimestamp("1969-12-31T23:59:59.999Z"), HasValue(-1));
  EXPECT_THAT(ParseTimestamp("1970-01-01T00:00:00Q"), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace cqlbulk
