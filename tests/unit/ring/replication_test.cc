// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/replication.h"

#include <map>
#include <string>

#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;

TEST(ReplicationTest, ReadsSimpleStrategyFromSchemaMap) {
  const std::map<std::string, std::string> options = {
      {"class", "org.apache.cassandra.locator.SimpleStrategy"}, {"replication_factor", "2"}};

  EXPECT_THAT(ReplicationStrategy::FromOptions(options), HasValue(ReplicationStrategy::Simple(2)));
}

TEST(ReplicationTest, ReadsNetworkTopologyStrategyWithShortClassName) {
  const std::map<std::string, std::string> options = {
      {"class", "NetworkTopologyStrategy"}, {"dc1", "3"}, {"dc2", "0"}};

  EXPECT_THAT(ReplicationStrategy::FromOptions(options),
              HasValue(ReplicationStrategy::NetworkTopology({{"dc1", 3}, {"dc2", 0}})));
}

TEST(ReplicationTest, ParsesOneStringFormWithBareNumbers) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy', 'replication_factor': 2}"),
              HasValue(ReplicationStrategy::Simple(2)));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy', 'datacenter1': 3}"),
              HasValue(ReplicationStrategy::NetworkTopology({{"datacenter1", 3}})));
}

TEST(ReplicationTest, ParsesQuotedValuesAndEscapedQuotes) {
  auto strategy = ReplicationStrategy::Parse(
      R"({"class": 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'it''s dc': '2'})");

  EXPECT_THAT(strategy, HasValue(ReplicationStrategy::NetworkTopology({{"it's dc", 2}})));
}

TEST(ReplicationTest, NetworkTopologyReplicationFactorAppliesToUnnamedDatacenters) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ReplicationStrategy strategy,
      ReplicationStrategy::Parse(
          "{'class': 'NetworkTopologyStrategy', 'replication_factor': '3', 'dc2': '1'}"));

  EXPECT_EQ(strategy.FactorFor("dc1"), 3u);
  EXPECT_EQ(strategy.FactorFor("dc2"), 1u);
}

TEST(ReplicationTest, PrintsAsCassandraStoresIt) {
  EXPECT_EQ(ReplicationStrategy::Simple(1).ToString(),
            "{'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'}");
  EXPECT_EQ(ReplicationStrategy::NetworkTopology({{"a", 1}, {"b", 2}}).ToString(),
            "{'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'a': '1', "
            "'b': '2'}");
}

TEST(ReplicationTest, ToStringRoundTrips) {
  const ReplicationStrategy strategy = ReplicationStrategy::NetworkTopology({{"dc'1", 3}});

  EXPECT_THAT(ReplicationStrategy::Parse(strategy.ToString()), HasValue(strategy));
}

TEST(ReplicationTest, RejectsMissingClass) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'replication_factor': '1'}"), HasMessage("no 'class'"));
}

TEST(ReplicationTest, RejectsUnknownClass) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'OldNetworkTopologyStrategy'}"),
              HasMessage("unknown replication class 'OldNetworkTopologyStrategy'"));
}

TEST(ReplicationTest, RejectsSimpleStrategyWithoutFactorOrWithExtraOption) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy'}"),
              HasMessage("needs a 'replication_factor'"));
  EXPECT_THAT(
      ReplicationStrategy::Parse("{'class': 'SimpleStrategy', 'replication_factor': 1, 'dc1': 2}"),
      HasMessage("does not take option 'dc1'"));
}

TEST(ReplicationTest, RejectsBadFactors) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy', 'replication_factor': 'x'}"),
              HasMessage("'replication_factor' must be an integer"));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy', 'dc1': '-1'}"),
              HasMessage("'dc1' must be an integer"));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy', 'dc1': '3/1'}"),
              IsError(ErrorCode::kUnimplemented));
}

TEST(ReplicationTest, RejectsSyntaxErrorsAndRepeatedKeys) {
  EXPECT_THAT(ReplicationStrategy::Parse("'class': 'SimpleStrategy'"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy'"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy}"),
              HasMessage("unterminated string"));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy', 'a': 1, 'a': 2}"),
              HasMessage("'a' appears twice"));
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'SimpleStrategy'} x"),
              HasMessage("unexpected text"));
}

TEST(ReplicationTest, LocalStrategyIsUnimplemented) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'org.apache.cassandra.locator.LocalStrategy'}"),
              IsError(ErrorCode::kUnimplemented));
}

TEST(ReplicationTest, EmptyNetworkTopologyIsValid) {
  EXPECT_THAT(ReplicationStrategy::Parse("{'class': 'NetworkTopologyStrategy'}"), IsOk());
}

}  // namespace
}  // namespace cqlbulk::ring
