// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token_range.h"

#include <vector>

#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsOk;
using ::testing::ElementsAre;

TokenRange Range(int64_t start, int64_t end) { return {Token(start), Token(end)}; }

constexpr Uint128 kTwoTo64 = Uint128{1} << 64;

TEST(TokenRangeTest, SizeCountsPositionsWithWrapAround) {
  EXPECT_EQ(Range(10, 20).size(), 10u);
  EXPECT_EQ(Range(20, 10).size(), kTwoTo64 - 10);
  EXPECT_EQ(Range(5, 5).size(), kTwoTo64);
  EXPECT_EQ(TokenRange::Full().size(), kTwoTo64);
  EXPECT_EQ(TokenRange(Token::Min(), Token::Max()).size(), kTwoTo64 - 1);
}

TEST(TokenRangeTest, WrapsWhenStartIsNotBeforeEnd) {
  EXPECT_FALSE(Range(10, 20).is_wrapping());
  EXPECT_TRUE(Range(20, 10).is_wrapping());
  EXPECT_TRUE(Range(7, 7).is_wrapping());
  EXPECT_TRUE(Range(7, 7).is_full());
  EXPECT_FALSE(TokenRange(Token::Min(), Token::Max()).is_wrapping());
}

TEST(TokenRangeTest, ContainsExcludesStartAndIncludesEnd) {
  const TokenRange plain = Range(10, 20);
  const TokenRange wrapping = Range(20, 10);

  EXPECT_FALSE(plain.Contains(Token(10)));
  EXPECT_TRUE(plain.Contains(Token(11)));
  EXPECT_TRUE(plain.Contains(Token(20)));
  EXPECT_FALSE(wrapping.Contains(Token(20)));
  EXPECT_TRUE(wrapping.Contains(Token::Max()));
  EXPECT_TRUE(wrapping.Contains(Token::Min()));
  EXPECT_TRUE(wrapping.Contains(Token(10)));
  EXPECT_FALSE(wrapping.Contains(Token(15)));
  EXPECT_TRUE(TokenRange::Full().Contains(Token::Min()));
}

TEST(TokenRangeTest, UnwrapKeepsNonWrappingRange) {
  EXPECT_THAT(Range(10, 20).Unwrap(), ElementsAre(Range(10, 20)));
}

TEST(TokenRangeTest, UnwrapSplitsWrappingRangeAtMinimum) {
  EXPECT_THAT(Range(20, 10).Unwrap(), ElementsAre(TokenRange(Token(20), Token::Max()),
                                                  TokenRange(Token::Min(), Token(10))));
}

TEST(TokenRangeTest, UnwrapDropsEmptyPieces) {
  EXPECT_THAT(TokenRange(Token::Max(), Token(5)).Unwrap(),
              ElementsAre(TokenRange(Token::Min(), Token(5))));
  EXPECT_THAT(TokenRange(Token(5), Token::Min()).Unwrap(),
              ElementsAre(TokenRange(Token(5), Token::Max())));
  EXPECT_TRUE(TokenRange(Token::Max(), Token::Min()).Unwrap().empty());
}

TEST(TokenRangeTest, UnwrapOfFullRingIsMinToMax) {
  EXPECT_THAT(TokenRange::Full().Unwrap(), ElementsAre(TokenRange(Token::Min(), Token::Max())));
  EXPECT_THAT(Range(0, 0).Unwrap(),
              ElementsAre(TokenRange(Token(0), Token::Max()), TokenRange(Token::Min(), Token(0))));
}

TEST(TokenRangeTest, SplitGivesLargerPiecesFirstDifferingByOne) {
  EXPECT_THAT(Range(0, 10).Split(3), ElementsAre(Range(0, 4), Range(4, 7), Range(7, 10)));
}

TEST(TokenRangeTest, SplitNeverMakesEmptyPieces) {
  EXPECT_THAT(Range(0, 2).Split(5), ElementsAre(Range(0, 1), Range(1, 2)));
  EXPECT_THAT(Range(0, 2).Split(0), ElementsAre(Range(0, 2)));
}

TEST(TokenRangeTest, SplitWrappingRangeCrossesMaximumOnce) {
  const TokenRange wrapping(Token(INT64_MAX - 5), Token(INT64_MIN + 5));

  const std::vector<TokenRange> pieces = wrapping.Split(2);

  EXPECT_THAT(pieces, ElementsAre(TokenRange(Token(INT64_MAX - 5), Token::Min()),
                                  TokenRange(Token::Min(), Token(INT64_MIN + 5))));
}

TEST(TokenRangeTest, SplitFullRingIntoEqualQuarters) {
  const std::vector<TokenRange> pieces = TokenRange::Full().Split(4);

  EXPECT_THAT(pieces, ElementsAre(TokenRange(Token::Min(), Token(INT64_MIN / 2)),
                                  TokenRange(Token(INT64_MIN / 2), Token(0)),
                                  TokenRange(Token(0), Token(INT64_MAX / 2 + 1)),
                                  TokenRange(Token(INT64_MAX / 2 + 1), Token::Min())));
}

TEST(TokenRangeTest, AllocatesPiecesInProportionWithAtLeastOne) {
  const std::vector<TokenRange> ranges = {Range(0, 100), Range(100, 400), Range(400, 401)};

  EXPECT_THAT(AllocatePieces(ranges, 8), ElementsAre(2u, 6u, 1u));
}

TEST(TokenRangeTest, SplitProportionallyKeepsInputOrder) {
  const std::vector<TokenRange> ranges = {Range(0, 10), Range(10, 30)};

  EXPECT_THAT(SplitProportionally(ranges, 3),
              ElementsAre(Range(0, 10), Range(10, 20), Range(20, 30)));
}

TEST(TokenRangeTest, CoverageAcceptsNaturalAndUnwrappedRanges) {
  const std::vector<TokenRange> natural = {Range(-5, 7), Range(7, 100), Range(100, -5)};
  std::vector<TokenRange> unwrapped;
  for (const TokenRange& r : natural) {
    for (const TokenRange& piece : r.Unwrap()) {
      unwrapped.push_back(piece);
    }
  }

  EXPECT_THAT(VerifyCoverage(natural), IsOk());
  EXPECT_THAT(VerifyCoverage(unwrapped), IsOk());
  EXPECT_THAT(VerifyCoverage(std::vector<TokenRange>{TokenRange::Full()}), IsOk());
}

TEST(TokenRangeTest, CoverageNamesTheFirstGap) {
  const std::vector<TokenRange> ranges = {Range(-5, 7), Range(9, 100), Range(100, -5)};

  EXPECT_THAT(VerifyCoverage(ranges), HasMessage("gap: tokens in (7, 9] are in no range"));
}

TEST(TokenRangeTest, CoverageNamesGapAtTheEndOfTheRing) {
  const std::vector<TokenRange> ranges = {TokenRange(Token::Min(), Token(0))};

  EXPECT_THAT(VerifyCoverage(ranges),
              HasMessage("gap: tokens in (0, 9223372036854775807] are in no range"));
}

TEST(TokenRangeTest, CoverageNamesTheFirstOverlap) {
  const std::vector<TokenRange> ranges = {Range(-5, 7), Range(6, 100), Range(100, -5)};

  EXPECT_THAT(VerifyCoverage(ranges), HasMessage("overlap: token 7 is in (-5, 7] and (6, 100]"));
}

TEST(TokenRangeTest, CoverageRejectsEmptySet) {
  EXPECT_THAT(VerifyCoverage(std::vector<TokenRange>{}), HasMessage("gap"));
}

TEST(BigTokenRangeTest, FullRingHasTwoTo127PlusTwoPositions) {
  EXPECT_EQ(BigTokenRange::Full().size(), (Uint128{1} << 127) + 2);
  EXPECT_THAT(BigTokenRange::Full().Unwrap(),
              ElementsAre(BigTokenRange(BigToken::Min(), BigToken::Max())));
}

TEST(BigTokenRangeTest, SplitsWrappingRangeNearTheTopWithoutOverflow) {
  const BigTokenRange wrapping(BigToken::FromPosition(BigToken::kRingSize - 3),
                               BigToken::FromValue(2));

  const std::vector<BigTokenRange> pieces = wrapping.Split(3);

  EXPECT_THAT(pieces, ElementsAre(BigTokenRange(wrapping.start(), BigToken::Max()),
                                  BigTokenRange(BigToken::Max(), BigToken::FromValue(0)),
                                  BigTokenRange(BigToken::FromValue(0), BigToken::FromValue(2))));
}

TEST(BigTokenRangeTest, SplitFullRingCoversExactlyOnce) {
  const std::vector<BigTokenRange> pieces = BigTokenRange::Full().Split(7);

  EXPECT_EQ(pieces.size(), 7u);
  EXPECT_THAT(VerifyCoverage(pieces), IsOk());
}

}  // namespace
}  // namespace cqlbulk::ring
