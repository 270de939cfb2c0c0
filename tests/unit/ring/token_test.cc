// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token.h"

#include "cqlbulk/ring/uint128.h"
#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

constexpr Uint128 kTwoTo127 = Uint128{1} << 127;

TEST(TokenTest, MinAndMaxAreTheInt64Extremes) {
  EXPECT_EQ(Token::Min().value(), INT64_MIN);
  EXPECT_EQ(Token::Max().value(), INT64_MAX);
  EXPECT_TRUE(Token().is_minimum());
  EXPECT_LT(Token::Min(), Token(0));
  EXPECT_LT(Token(0), Token::Max());
}

TEST(TokenTest, PositionCountsStepsFromMin) {
  EXPECT_EQ(Token::Min().position(), 0u);
  EXPECT_EQ(Token(0).position(), Uint128{1} << 63);
  EXPECT_EQ(Token::Max().position(), Token::kRingSize - 1);
  EXPECT_EQ(Token::FromPosition(Token(-42).position()), Token(-42));
}

TEST(TokenTest, ParsesAndPrintsSignedDecimal) {
  EXPECT_THAT(Token::Parse("-9223372036854775808"), HasValue(Token::Min()));
  EXPECT_THAT(Token::Parse("9223372036854775807"), HasValue(Token::Max()));
  EXPECT_EQ(Token(-3074457345618258603).ToString(), "-3074457345618258603");
}

TEST(TokenTest, RejectsTextThatIsNotOneInt64) {
  EXPECT_THAT(Token::Parse(""), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Token::Parse("12x"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Token::Parse("9223372036854775808"), IsError(ErrorCode::kInvalidArgument));
}

TEST(BigTokenTest, RangeIsMinusOneToTwoTo127) {
  EXPECT_EQ(BigToken::Min().ToString(), "-1");
  EXPECT_EQ(BigToken::Max().ToString(), "170141183460469231731687303715884105728");
  EXPECT_EQ(BigToken::FromValue(0).position(), 1u);
  EXPECT_EQ(BigToken::Max().position(), BigToken::kRingSize - 1);
  EXPECT_LT(BigToken::Min(), BigToken::FromValue(0));
}

TEST(BigTokenTest, ParsesItsWholeRangeAndNothingElse) {
  EXPECT_THAT(BigToken::Parse("-1"), HasValue(BigToken::Min()));
  EXPECT_THAT(BigToken::Parse("170141183460469231731687303715884105728"),
              HasValue(BigToken::Max()));
  EXPECT_THAT(BigToken::Parse("42"), HasValue(BigToken::FromValue(42)));
  EXPECT_THAT(BigToken::Parse("170141183460469231731687303715884105729"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(BigToken::Parse("-2"), IsError(ErrorCode::kInvalidArgument));
}

TEST(Uint128Test, PrintsAndParsesDecimal) {
  const Uint128 max = ~Uint128{0};

  EXPECT_EQ(Uint128ToString(0), "0");
  EXPECT_EQ(Uint128ToString(max), "340282366920938463463374607431768211455");
  EXPECT_THAT(ParseUint128("340282366920938463463374607431768211455"), HasValue(max));
  EXPECT_THAT(ParseUint128("340282366920938463463374607431768211456"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseUint128("-1"), IsError(ErrorCode::kInvalidArgument));
}

TEST(Uint128Test, MulDivRoundIsExactBeyond128Bits) {
  // 2^127 * 6 / 4 = 3 * 2^126 needs a 130-bit product.
  EXPECT_EQ(MulDivRound(kTwoTo127, 6, 4), Uint128{3} << 126);
  EXPECT_EQ(MulDivRound(7, 1, 2), 4u);  // 3.5 rounds up
  EXPECT_EQ(MulDivRound(5, 1, 4), 1u);  // 1.25 rounds down
  EXPECT_EQ(MulDivRound(~Uint128{0}, UINT64_MAX, ~Uint128{0}), UINT64_MAX);
  // Divisor above 2^127: the remainder overflows a shift during the division.
  EXPECT_EQ(MulDivRound(kTwoTo127 + 3, 3, kTwoTo127 + 5), 3u);
}

}  // namespace
}  // namespace cqlbulk::ring
