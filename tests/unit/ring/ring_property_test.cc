// SPDX-License-Identifier: Apache-2.0
// Property tests on random rings (fixed seeds), checked against the plain std::map model in
// ring_test_util.h.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cqlbulk/ring/grouping.h"
#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/ring.h"
#include "ring_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::IsOk;
using test::RandomRingOptions;

constexpr size_t kNumSamples = 2000;

std::string Describe(const RandomRingOptions& o) {
  return std::to_string(o.num_hosts) + "hosts_" + std::to_string(o.num_vnodes) + "vnodes_" +
         std::to_string(o.num_datacenters) + "dc_" + std::to_string(o.num_racks) + "racks" +
         (o.with_extremes ? "_extremes" : "") + "_seed" + std::to_string(o.seed);
}

// Random tokens plus the edges that break off-by-one code: Min + 1, Max, 0, every ring token
// and its neighbours.
std::vector<Token> SampleTokens(const Ring& ring, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Token> tokens = {Token(INT64_MIN + 1), Token::Max(), Token(0), Token(-1), Token(1)};
  for (size_t i = 0; i < kNumSamples; ++i) {
    tokens.push_back(Token(static_cast<int64_t>(rng())));
  }
  for (const RingEntry& entry : ring.entries()) {
    const int64_t v = entry.token.value();
    tokens.push_back(entry.token);
    if (v != INT64_MAX) {
      tokens.push_back(Token(v + 1));
    }
    if (v > INT64_MIN + 1) {
      tokens.push_back(Token(v - 1));
    }
  }
  return tokens;
}

size_t CountContaining(const std::vector<TokenRange>& ranges, Token t) {
  return static_cast<size_t>(std::count_if(ranges.begin(), ranges.end(),
                                           [t](const TokenRange& r) { return r.Contains(t); }));
}

// How the query `token(pk) > start AND token(pk) <= end` sees a range: no wrap-around.
size_t CountQueryMatches(const std::vector<TokenRange>& ranges, Token t) {
  return static_cast<size_t>(std::count_if(ranges.begin(), ranges.end(), [t](const TokenRange& r) {
    return r.start() < t && t <= r.end();
  }));
}

class RandomRingTest : public ::testing::TestWithParam<RandomRingOptions> {
 protected:
  RandomRingTest() : ring_(test::MakeRandomRing(GetParam())), naive_(ring_) {}

  Ring ring_;
  test::NaiveRing naive_;
};

TEST_P(RandomRingTest, NaturalRangesCoverEveryTokenExactlyOnce) {
  const std::vector<TokenRange> ranges = ring_.NaturalRanges();

  EXPECT_THAT(VerifyCoverage(ranges), IsOk());
  for (Token t : SampleTokens(ring_, GetParam().seed)) {
    if (t.is_minimum()) {
      continue;
    }
    ASSERT_EQ(CountContaining(ranges, t), 1u) << t.ToString();
    EXPECT_EQ(ring_.entries()[ring_.FindEntry(t)].token, naive_.RangeEnd(t)) << t.ToString();
    EXPECT_TRUE(ranges[ring_.FindEntry(t)].Contains(t)) << t.ToString();
  }
}

TEST_P(RandomRingTest, NaturalRangeSizesSumToTheRing) {
  Uint128 total = 0;

  for (const TokenRange& r : ring_.NaturalRanges()) {
    total += r.size();
  }

  EXPECT_TRUE(total == Token::kRingSize);
}

TEST_P(RandomRingTest, UnwrappedRangesMatchEachKeyTokenByQuerySemantics) {
  std::vector<TokenRange> pieces;
  for (const TokenRange& r : ring_.NaturalRanges()) {
    for (const TokenRange& piece : r.Unwrap()) {
      EXPECT_FALSE(piece.is_wrapping()) << piece.ToString();
      pieces.push_back(piece);
    }
  }

  EXPECT_THAT(VerifyCoverage(pieces), IsOk());
  for (Token t : SampleTokens(ring_, GetParam().seed + 1)) {
    if (!t.is_minimum()) {
      ASSERT_EQ(CountQueryMatches(pieces, t), 1u) << t.ToString();
    }
  }
}

TEST_P(RandomRingTest, SplitPiecesCoverExactlyOnceInProportion) {
  const std::vector<TokenRange> ranges = ring_.NaturalRanges();
  for (size_t target : {1u, 7u, 100u, 1000u}) {
    const std::vector<size_t> counts = AllocatePieces(ranges, target);
    const std::vector<TokenRange> pieces = SplitProportionally(ranges, target);

    EXPECT_THAT(VerifyCoverage(pieces), IsOk()) << "target " << target;
    size_t next = 0;
    for (size_t i = 0; i < ranges.size(); ++i) {
      // The share by floating point, unless it sits too close to a rounding boundary to trust.
      const long double share = static_cast<long double>(target) *
                                static_cast<long double>(ranges[i].size()) /
                                static_cast<long double>(Token::kRingSize);
      if (std::fabs(share - std::floor(share) - 0.5L) > 1e-6L) {
        EXPECT_EQ(counts[i], std::max<size_t>(1, static_cast<size_t>(std::llround(share))));
      }
      // Pieces of one range: consecutive, sizes within one token, summing to the range.
      Uint128 sum = 0;
      Uint128 smallest = ~Uint128{0};
      Uint128 largest = 0;
      ASSERT_LE(next + counts[i], pieces.size());
      EXPECT_EQ(pieces[next].start(), ranges[i].start());
      for (size_t k = 0; k < counts[i]; ++k) {
        const Uint128 size = pieces[next + k].size();
        sum += size;
        smallest = std::min(smallest, size);
        largest = std::max(largest, size);
      }
      EXPECT_EQ(pieces[next + counts[i] - 1].end(), ranges[i].end());
      EXPECT_TRUE(sum == ranges[i].size()) << ranges[i].ToString();
      EXPECT_LE(largest - smallest, 1u) << ranges[i].ToString();
      next += counts[i];
    }
    EXPECT_EQ(next, pieces.size());
  }
}

TEST_P(RandomRingTest, SplitThenUnwrapCoversEveryTokenOnceByQuerySemantics) {
  const std::vector<TokenRange> pieces = SplitProportionally(ring_.NaturalRanges(), 97);
  std::vector<TokenRange> unwrapped;
  for (const TokenRange& p : pieces) {
    for (const TokenRange& q : p.Unwrap()) {
      unwrapped.push_back(q);
    }
  }

  EXPECT_THAT(VerifyCoverage(unwrapped), IsOk());
  for (Token t : SampleTokens(ring_, GetParam().seed + 2)) {
    if (!t.is_minimum()) {
      ASSERT_EQ(CountQueryMatches(unwrapped, t), 1u) << t.ToString();
    }
  }
  for (const TokenRange& p : pieces) {
    for (Token t :
         {p.end(), Token(p.start().value() == INT64_MAX ? INT64_MIN + 1 : p.start().value() + 1)}) {
      if (!t.is_minimum()) {
        EXPECT_EQ(CountQueryMatches(unwrapped, t), 1u) << t.ToString();
      }
    }
  }
}

TEST_P(RandomRingTest, SimpleStrategyMatchesNaiveWalk) {
  for (uint32_t factor : {1u, 2u, 3u, 5u}) {
    const std::vector<ReplicaList> placed =
        PlaceReplicas(ring_, ReplicationStrategy::Simple(factor));

    for (Token t : SampleTokens(ring_, GetParam().seed + 3)) {
      ASSERT_EQ(placed[ring_.FindEntry(t)], naive_.SimpleReplicas(t, factor))
          << "factor " << factor << " token " << t.ToString();
    }
  }
}

TEST_P(RandomRingTest, NetworkTopologyMatchesNaiveWalkAndTwoPassSet) {
  std::map<std::string, uint32_t> factors;
  std::mt19937 rng(static_cast<unsigned>(GetParam().seed));
  for (size_t dc = 1; dc <= GetParam().num_datacenters; ++dc) {
    factors["dc" + std::to_string(dc)] = std::uniform_int_distribution<uint32_t>(0, 4)(rng);
  }

  const std::vector<ReplicaList> placed =
      PlaceReplicas(ring_, ReplicationStrategy::NetworkTopology(factors));

  for (Token t : SampleTokens(ring_, GetParam().seed + 4)) {
    const ReplicaList& ours = placed[ring_.FindEntry(t)];
    ASSERT_EQ(ours, naive_.NtsReplicas(t, factors)) << t.ToString();
    ReplicaList ours_sorted = ours;
    ReplicaList two_pass = naive_.NtsReplicasTwoPass(t, factors);
    std::sort(ours_sorted.begin(), ours_sorted.end());
    std::sort(two_pass.begin(), two_pass.end());
    ASSERT_EQ(ours_sorted, two_pass) << t.ToString();
  }
}

TEST_P(RandomRingTest, MergedAndGroupedRangesKeepEveryTokensReplicas) {
  const ReplicationStrategy strategy = ReplicationStrategy::Simple(2);
  const std::vector<ReplicatedRange> ranges = ReplicatedRanges(ring_, strategy);

  const std::vector<ReplicatedRange> merged = MergeContiguous(ranges);
  const std::vector<ReplicaGroup> groups = GroupByReplicaSet(UnwrapAll(merged));

  EXPECT_THAT(VerifyCoverage(RangesOf(merged)), IsOk());
  std::vector<TokenRange> grouped;
  for (const ReplicaGroup& g : groups) {
    grouped.insert(grouped.end(), g.ranges.begin(), g.ranges.end());
  }
  EXPECT_THAT(VerifyCoverage(grouped), IsOk());
  for (Token t : SampleTokens(ring_, GetParam().seed + 5)) {
    ReplicaList expected = naive_.SimpleReplicas(t, 2);
    std::sort(expected.begin(), expected.end());
    if (t.is_minimum()) {
      continue;
    }
    for (const ReplicaGroup& g : groups) {
      for (const TokenRange& r : g.ranges) {
        if (r.Contains(t)) {
          ASSERT_EQ(g.replicas, expected) << t.ToString();
        }
      }
    }
  }
}

std::vector<RandomRingOptions> RingShapes() {
  std::vector<RandomRingOptions> shapes;
  uint64_t seed = 1;
  for (size_t vnodes : {1u, 16u, 256u}) {
    shapes.push_back({.num_hosts = 3, .num_vnodes = vnodes, .seed = seed++});
  }
  shapes.push_back({.num_hosts = 1, .num_vnodes = 1, .seed = seed++});
  shapes.push_back({.num_hosts = 1, .num_vnodes = 8, .seed = seed++});
  shapes.push_back({.num_hosts = 2, .num_vnodes = 4, .seed = seed++});
  shapes.push_back({.num_hosts = 7, .num_vnodes = 16, .num_racks = 3, .seed = seed++});
  shapes.push_back(
      {.num_hosts = 12, .num_vnodes = 8, .num_datacenters = 2, .num_racks = 3, .seed = seed++});
  shapes.push_back(
      {.num_hosts = 10, .num_vnodes = 32, .num_datacenters = 3, .num_racks = 2, .seed = seed++});
  shapes.push_back({.num_hosts = 5, .num_vnodes = 1, .num_racks = 5, .seed = seed++});
  shapes.push_back({.num_hosts = 3, .num_vnodes = 4, .with_extremes = true, .seed = seed++});
  shapes.push_back({.num_hosts = 6,
                    .num_vnodes = 2,
                    .num_datacenters = 2,
                    .num_racks = 2,
                    .with_extremes = true,
                    .seed = seed++});
  return shapes;
}

INSTANTIATE_TEST_SUITE_P(Shapes, RandomRingTest, ::testing::ValuesIn(RingShapes()),
                         [](const auto& info) { return Describe(info.param); });

TEST(RandomBigTokenRingTest, NaturalAndSplitRangesCoverExactlyOnce) {
  for (uint64_t seed : {11u, 12u, 13u}) {
    const BigTokenRing ring = test::MakeRandomBigTokenRing(
        {.num_hosts = 4, .num_vnodes = 16, .with_extremes = seed == 13, .seed = seed});
    const std::vector<BigTokenRange> ranges = ring.NaturalRanges();

    const std::vector<BigTokenRange> pieces = SplitProportionally(ranges, 500);
    std::vector<BigTokenRange> unwrapped;
    for (const BigTokenRange& p : pieces) {
      for (const BigTokenRange& q : p.Unwrap()) {
        unwrapped.push_back(q);
      }
    }

    EXPECT_THAT(VerifyCoverage(ranges), IsOk()) << seed;
    EXPECT_THAT(VerifyCoverage(pieces), IsOk()) << seed;
    EXPECT_THAT(VerifyCoverage(unwrapped), IsOk()) << seed;
    Uint128 total = 0;
    for (const BigTokenRange& p : pieces) {
      total += p.size();
    }
    EXPECT_TRUE(total == BigToken::kRingSize);
  }
}

}  // namespace
}  // namespace cqlbulk::ring
