// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/grouping.h"

#include <vector>

#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::IsOk;
using ::testing::ElementsAre;

TokenRange Range(int64_t start, int64_t end) { return {Token(start), Token(end)}; }

TEST(MergeContiguousTest, JoinsNeighboursWithTheSameReplicaSet) {
  const std::vector<ReplicatedRange> ranges = {{Range(100, 0), {0, 1}},
                                               {Range(0, 10), {1, 0}},
                                               {Range(10, 20), {1, 2}},
                                               {Range(20, 100), {2, 0}}};

  const std::vector<ReplicatedRange> merged = MergeContiguous(ranges);

  EXPECT_THAT(merged, ElementsAre(ReplicatedRange{Range(100, 10), {0, 1}},
                                  ReplicatedRange{Range(10, 20), {1, 2}},
                                  ReplicatedRange{Range(20, 100), {2, 0}}));
}

TEST(MergeContiguousTest, JoinsLastWithFirstAcrossTheRingEnd) {
  const std::vector<ReplicatedRange> ranges = {
      {Range(100, 0), {0}}, {Range(0, 10), {1}}, {Range(10, 100), {0}}};

  const std::vector<ReplicatedRange> merged = MergeContiguous(ranges);

  EXPECT_THAT(merged,
              ElementsAre(ReplicatedRange{Range(10, 0), {0}}, ReplicatedRange{Range(0, 10), {1}}));
}

TEST(MergeContiguousTest, SameSetEverywhereGivesTheFullRing) {
  const std::vector<ReplicatedRange> ranges = {
      {Range(100, 0), {0, 1}}, {Range(0, 10), {1, 0}}, {Range(10, 100), {0, 1}}};

  const std::vector<ReplicatedRange> merged = MergeContiguous(ranges);

  ASSERT_EQ(merged.size(), 1u);
  EXPECT_TRUE(merged[0].range.is_full());
}

TEST(MergeContiguousTest, DoesNotJoinRangesThatDoNotTouch) {
  const std::vector<ReplicatedRange> ranges = {{Range(0, 10), {0}}, {Range(11, 20), {0}}};

  EXPECT_EQ(MergeContiguous(ranges).size(), 2u);
}

TEST(GroupByReplicaSetTest, GroupsBySetInOrderOfFirstAppearance) {
  const std::vector<ReplicatedRange> ranges = {
      {Range(0, 10), {2, 0}}, {Range(10, 20), {1}}, {Range(20, 30), {0, 2}}};

  const std::vector<ReplicaGroup> groups = GroupByReplicaSet(ranges);

  EXPECT_THAT(groups, ElementsAre(ReplicaGroup{{0, 2}, {Range(0, 10), Range(20, 30)}},
                                  ReplicaGroup{{1}, {Range(10, 20)}}));
}

TEST(ReplicatedSplitTest, PiecesKeepTheirRangesReplicas) {
  const std::vector<ReplicatedRange> ranges = {{Range(0, 10), {0}}, {Range(10, 30), {1}}};

  const std::vector<ReplicatedRange> pieces = SplitProportionally(ranges, 3);

  EXPECT_THAT(pieces,
              ElementsAre(ReplicatedRange{Range(0, 10), {0}}, ReplicatedRange{Range(10, 20), {1}},
                          ReplicatedRange{Range(20, 30), {1}}));
}

TEST(ReplicatedSplitTest, UnwrapAllSplitsOnlyTheWrappingRange) {
  const std::vector<ReplicatedRange> ranges = {{Range(10, -10), {0}}, {Range(-10, 10), {1}}};

  const std::vector<ReplicatedRange> pieces = UnwrapAll(ranges);

  EXPECT_THAT(pieces, ElementsAre(ReplicatedRange{TokenRange(Token(10), Token::Max()), {0}},
                                  ReplicatedRange{TokenRange(Token::Min(), Token(-10)), {0}},
                                  ReplicatedRange{Range(-10, 10), {1}}));
  EXPECT_THAT(VerifyCoverage(RangesOf(pieces)), IsOk());
}

}  // namespace
}  // namespace cqlbulk::ring
