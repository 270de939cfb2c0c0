// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/replica_placement.h"

#include <map>
#include <string>
#include <vector>

#include "ring_test_util.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::LoadTestdataJson;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Addresses(const Ring& ring, const ReplicaList& replicas) {
  std::vector<std::string> addresses;
  for (HostIndex h : replicas) {
    addresses.push_back(ring.host(h).address);
  }
  return addresses;
}

class GoldenRingTest : public ::testing::Test {
 protected:
  void SetUp() override { golden_ = LoadTestdataJson("ring_3node_16vnodes.json"); }

  const nlohmann::json& Keyspace(const std::string& name) const {
    for (const auto& keyspace : golden_["keyspaces"]) {
      if (keyspace["keyspace"] == name) {
        return keyspace;
      }
    }
    ADD_FAILURE() << "no keyspace " << name;
    return golden_;
  }

  // Compares our ranges and replicas with what `nodetool describering` printed.
  void ExpectDescribering(const std::string& name) {
    const Ring ring = test::GoldenRing(golden_);
    const nlohmann::json& keyspace = Keyspace(name);
    auto strategy = ReplicationStrategy::Parse(keyspace["replication"].get<std::string>());
    ASSERT_TRUE(strategy.has_value()) << strategy.error().ToString();

    const std::vector<ReplicatedRange> ours = ReplicatedRanges(ring, *strategy);

    std::map<Token, const ReplicatedRange*> by_end;
    for (const ReplicatedRange& r : ours) {
      by_end[r.range.end()] = &r;
    }
    ASSERT_EQ(ours.size(), keyspace["ranges"].size());
    for (const auto& expected : keyspace["ranges"]) {
      const Token end = test::ParseGoldenToken(expected["end_token"].get<std::string>());
      ASSERT_EQ(by_end.count(end), 1u) << "no range ends at " << end.ToString();
      const ReplicatedRange& r = *by_end[end];
      EXPECT_EQ(r.range.start().ToString(), expected["start_token"].get<std::string>());
      EXPECT_EQ(Addresses(ring, r.replicas), expected["endpoints"].get<std::vector<std::string>>())
          << name << " range " << r.range.ToString();
    }
  }

  nlohmann::json golden_;
};

TEST_F(GoldenRingTest, RingMatchesNodetoolRingOrder) {
  const Ring ring = test::GoldenRing(golden_);

  ASSERT_EQ(ring.num_entries(), golden_["ring_sorted"].size());
  for (size_t i = 0; i < ring.num_entries(); ++i) {
    const auto& expected = golden_["ring_sorted"][i];
    EXPECT_EQ(ring.entries()[i].token.ToString(), expected["token"].get<std::string>());
    EXPECT_EQ(ring.host(ring.entries()[i].host).address, expected["address"].get<std::string>());
  }
}

TEST_F(GoldenRingTest, DescriberingRangesPassTheCoverageCheck) {
  std::vector<TokenRange> ranges;
  for (const auto& r : Keyspace("golden")["ranges"]) {
    ranges.emplace_back(test::ParseGoldenToken(r["start_token"].get<std::string>()),
                        test::ParseGoldenToken(r["end_token"].get<std::string>()));
  }
  std::vector<TokenRange> missing_one(ranges.begin() + 1, ranges.end());

  EXPECT_THAT(VerifyCoverage(ranges), ::cqlbulk::testing::IsOk());
  EXPECT_THAT(VerifyCoverage(missing_one),
              ::cqlbulk::testing::HasMessage("gap: tokens in " + ranges[0].ToString()));
}

TEST_F(GoldenRingTest, SimpleStrategyRf1MatchesDescribering) { ExpectDescribering("golden"); }

TEST_F(GoldenRingTest, SimpleStrategyRf2MatchesDescribering) { ExpectDescribering("golden_rf2"); }

TEST_F(GoldenRingTest, NetworkTopologyRf3MatchesDescribering) { ExpectDescribering("golden_nts"); }

// Small hand-built rings: host i owns the tokens listed for it.
Ring MakeRing(std::vector<Host> hosts, const std::vector<std::vector<int64_t>>& tokens) {
  std::vector<RingEntry> entries;
  for (HostIndex h = 0; h < tokens.size(); ++h) {
    for (int64_t t : tokens[h]) {
      entries.push_back({Token(t), h});
    }
  }
  auto ring = Ring::Make(std::move(hosts), std::move(entries));
  EXPECT_TRUE(ring.has_value());
  return *std::move(ring);
}

TEST(SimpleStrategyTest, SkipsHostsAlreadyChosen) {
  const Ring ring =
      MakeRing({{"a", "dc", "r"}, {"b", "dc", "r"}, {"c", "dc", "r"}}, {{10, 20}, {30}, {40}});

  const std::vector<ReplicaList> replicas = PlaceReplicas(ring, ReplicationStrategy::Simple(2));

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(0, 1), ElementsAre(0, 1), ElementsAre(1, 2),
                                    ElementsAre(2, 0)));
}

TEST(SimpleStrategyTest, FactorAboveHostCountTakesEveryHost) {
  const Ring ring = MakeRing({{"a", "dc", "r"}, {"b", "dc", "r"}}, {{10}, {20}});

  const std::vector<ReplicaList> replicas = PlaceReplicas(ring, ReplicationStrategy::Simple(5));

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(0, 1), ElementsAre(1, 0)));
}

TEST(SimpleStrategyTest, FactorZeroPlacesNothing) {
  const Ring ring = MakeRing({{"a", "dc", "r"}}, {{10}});

  EXPECT_THAT(PlaceReplicas(ring, ReplicationStrategy::Simple(0)), ElementsAre(IsEmpty()));
}

TEST(NetworkTopologyTest, PrefersUnusedRacks) {
  // a1 and a2 share rack r1; with RF 2 and two racks, no rack may repeat.
  const Ring ring =
      MakeRing({{"a1", "dc1", "r1"}, {"a2", "dc1", "r1"}, {"b1", "dc1", "r2"}}, {{10}, {20}, {30}});

  const auto replicas = PlaceReplicas(ring, ReplicationStrategy::NetworkTopology({{"dc1", 2}}));

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(0, 2), ElementsAre(1, 2), ElementsAre(2, 0)));
}

TEST(NetworkTopologyTest, AcceptsFirstRackRepeatsWhenFactorExceedsRacks) {
  // RF 3 over two racks allows one repeat. Cassandra 4.0 takes it where the walk meets it (a2
  // before b1); 3.x would have listed b1 first. describering on 4.0 prints this order.
  const Ring ring =
      MakeRing({{"a1", "dc1", "r1"}, {"a2", "dc1", "r1"}, {"b1", "dc1", "r2"}}, {{10}, {20}, {30}});

  const auto replicas = PlaceReplicas(ring, ReplicationStrategy::NetworkTopology({{"dc1", 3}}));

  EXPECT_THAT(replicas[0], ElementsAre(0, 1, 2));
}

TEST(NetworkTopologyTest, FillsEachDatacenterToItsOwnFactor) {
  const Ring ring =
      MakeRing({{"d1a", "dc1", "r"}, {"d2a", "dc2", "r"}, {"d1b", "dc1", "r"}, {"d2b", "dc2", "r"}},
               {{10}, {20}, {30}, {40}});

  const auto replicas =
      PlaceReplicas(ring, ReplicationStrategy::NetworkTopology({{"dc1", 1}, {"dc2", 2}}));

  EXPECT_THAT(replicas[0], ElementsAre(0, 1, 3));
  EXPECT_THAT(replicas[1], ElementsAre(1, 2, 3));
}

TEST(NetworkTopologyTest, IgnoresDatacentersWithoutFactor) {
  const Ring ring = MakeRing({{"a", "dc1", "r"}, {"b", "dc2", "r"}}, {{10}, {20}});

  const auto replicas = PlaceReplicas(ring, ReplicationStrategy::NetworkTopology({{"dc2", 1}}));

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(1), ElementsAre(1)));
}

TEST(NetworkTopologyTest, HostsWithoutTokensDoNotCount) {
  // "b" has no token, so dc1 has one host and one rack: RF 2 yields only "a".
  const Ring ring = MakeRing({{"a", "dc1", "r1"}, {"b", "dc1", "r2"}}, {{10, 20}, {}});

  const auto replicas = PlaceReplicas(ring, ReplicationStrategy::NetworkTopology({{"dc1", 2}}));

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(0), ElementsAre(0)));
}

TEST(NetworkTopologyTest, DefaultFactorCoversUnnamedDatacenters) {
  const Ring ring = MakeRing({{"a", "dc1", "r"}, {"b", "dc2", "r"}}, {{10}, {20}});
  auto strategy =
      ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy', 'replication_factor': 1}");
  ASSERT_TRUE(strategy.has_value());

  const auto replicas = PlaceReplicas(ring, *strategy);

  EXPECT_THAT(replicas, ElementsAre(ElementsAre(0, 1), ElementsAre(1, 0)));
}

TEST(PlacementTest, WorksOnRandomPartitionerRings) {
  std::vector<BasicRingEntry<BigToken>> entries = {{BigToken::FromValue(5), 0},
                                                   {BigToken::FromValue(9), 1}};
  auto ring = BigTokenRing::Make({{"a", "dc", "r"}, {"b", "dc", "r"}}, std::move(entries));
  ASSERT_TRUE(ring.has_value());

  const auto ranges = ReplicatedRanges(*ring, ReplicationStrategy::Simple(1));

  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0].range.ToString(), "(9, 5]");
  EXPECT_THAT(ranges[0].replicas, ElementsAre(0));
}

}  // namespace
}  // namespace cqlbulk::ring
