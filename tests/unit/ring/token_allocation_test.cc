// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token_allocation.h"

#include <set>

#include "cqlbulk/ring/token_range.h"
#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;

TEST(TokenAllocationTest, SameSeedGivesSameDistinctSortedTokens) {
  auto a = GenerateRandomTokens(42, 3, 256);
  auto b = GenerateRandomTokens(42, 3, 256);
  auto c = GenerateRandomTokens(43, 3, 256);

  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::set<Token> all;
  for (const auto& host : a) {
    EXPECT_EQ(host.size(), 256u);
    EXPECT_TRUE(std::is_sorted(host.begin(), host.end()));
    for (Token t : host) {
      EXPECT_FALSE(t.is_minimum());
      all.insert(t);
    }
  }
  EXPECT_EQ(all.size(), 3u * 256u);
}

TEST(TokenAllocationTest, LaysOutHostsOnConsecutiveAddressesByDatacenterAndRack) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto hosts, LayoutHosts("127.0.1.254", 5, 2, 2));

  ASSERT_EQ(hosts.size(), 5u);
  EXPECT_EQ(hosts[0], (Host{"127.0.1.254", "datacenter1", "rack1"}));
  EXPECT_EQ(hosts[1], (Host{"127.0.1.255", "datacenter1", "rack2"}));
  EXPECT_EQ(hosts[2], (Host{"127.0.2.0", "datacenter1", "rack1"}));
  EXPECT_EQ(hosts[3], (Host{"127.0.2.1", "datacenter2", "rack1"}));
  EXPECT_EQ(hosts[4], (Host{"127.0.2.2", "datacenter2", "rack2"}));
}

TEST(TokenAllocationTest, RejectsBadLayouts) {
  EXPECT_THAT(LayoutHosts("127.0.0", 3, 1, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LayoutHosts("127.0.0.256", 3, 1, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LayoutHosts("127.0.0.1x", 3, 1, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LayoutHosts("255.255.255.255", 2, 1, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LayoutHosts("127.0.0.1", 2, 3, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(LayoutHosts("127.0.0.1", 0, 1, 1), IsError(ErrorCode::kInvalidArgument));
}

TEST(TokenAllocationTest, RandomRingCoversTheRingOnce) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto hosts, LayoutHosts("127.0.0.1", 4, 1, 1));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Ring ring, MakeRandomRing(hosts, 7, 16));

  EXPECT_EQ(ring.num_entries(), 64u);
  EXPECT_THAT(VerifyCoverage(std::span<const TokenRange>(ring.NaturalRanges())), IsOk());
}

}  // namespace
}  // namespace cqlbulk::ring
