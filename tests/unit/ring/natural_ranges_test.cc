// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include "cqlbulk/ring/ring.h"
#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;
using ::testing::ElementsAre;

std::vector<Host> ThreeHosts() {
  return {{"10.0.0.1", "dc1", "r1"}, {"10.0.0.2", "dc1", "r1"}, {"10.0.0.3", "dc1", "r1"}};
}

TokenRange Range(int64_t start, int64_t end) { return {Token(start), Token(end)}; }

TEST(RingTest, SortsEntriesByToken) {
  auto ring = Ring::Make(ThreeHosts(), {{Token(30), 2}, {Token(-10), 0}, {Token(5), 1}});

  ASSERT_THAT(ring, IsOk());
  EXPECT_THAT(ring->entries(), ElementsAre(RingEntry{Token(-10), 0}, RingEntry{Token(5), 1},
                                           RingEntry{Token(30), 2}));
}

TEST(RingTest, NaturalRangesEndAtEachTokenAndFirstWraps) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      Ring ring, Ring::Make(ThreeHosts(), {{Token(-10), 0}, {Token(5), 1}, {Token(30), 2}}));

  EXPECT_THAT(ring.NaturalRanges(), ElementsAre(Range(30, -10), Range(-10, 5), Range(5, 30)));
}

TEST(RingTest, SingleTokenOwnsTheFullRing) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Ring ring, Ring::Make(ThreeHosts(), {{Token(42), 1}}));

  const std::vector<TokenRange> ranges = ring.NaturalRanges();

  ASSERT_THAT(ranges, ElementsAre(Range(42, 42)));
  EXPECT_TRUE(ranges[0].is_full());
  EXPECT_EQ(ring.Owner(Token::Min()), 1u);
}

TEST(RingTest, FindEntryReturnsFirstTokenNotBelowAndWraps) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      Ring ring, Ring::Make(ThreeHosts(), {{Token(-10), 0}, {Token(5), 1}, {Token(30), 2}}));

  EXPECT_EQ(ring.FindEntry(Token(-10)), 0u);
  EXPECT_EQ(ring.FindEntry(Token(-9)), 1u);
  EXPECT_EQ(ring.FindEntry(Token(30)), 2u);
  EXPECT_EQ(ring.FindEntry(Token(31)), 0u);
  EXPECT_EQ(ring.FindEntry(Token::Min()), 0u);
  EXPECT_EQ(ring.Owner(Token::Max()), 0u);
}

TEST(RingTest, SameTokenTwiceForOneHostCountsOnce) {
  auto ring = Ring::Make(ThreeHosts(), {{Token(1), 0}, {Token(1), 0}, {Token(2), 1}});

  ASSERT_THAT(ring, IsOk());
  EXPECT_EQ(ring->num_entries(), 2u);
}

TEST(RingTest, RejectsTokenClaimedByTwoHosts) {
  auto ring = Ring::Make(ThreeHosts(), {{Token(7), 0}, {Token(7), 2}});

  EXPECT_THAT(ring, HasMessage("token 7 is claimed by both 10.0.0.1 and 10.0.0.3"));
}

TEST(RingTest, RejectsUnknownHostAndEmptyRing) {
  EXPECT_THAT(Ring::Make(ThreeHosts(), {{Token(7), 3}}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Ring::Make(ThreeHosts(), {}), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Ring::Make({}, {{Token(7), 0}}), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace cqlbulk::ring
