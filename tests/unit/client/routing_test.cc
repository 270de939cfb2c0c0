// SPDX-License-Identifier: Apache-2.0
// Query plans over a hand-made topology, and the retry policy.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/client/query_plan.h"
#include "cqlbulk/client/retry.h"
#include "cqlbulk/client/topology.h"
#include "cqlbulk/cql/protocol/error_response.h"
#include "testing/matchers.h"

namespace cqlbulk::client {
namespace {

/// Six hosts, dc1 (0-2) and dc2 (3-5), host i owning tokens i*100 and i*100+600.
TopologyPtr SixHosts(std::set<ring::HostIndex> down = {},
                     std::map<ring::HostIndex, std::string> schema_versions = {}) {
  TopologyData data;
  data.partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
  for (int i = 0; i < 6; ++i) {
    HostInfo h;
    h.address = "10.0.0." + std::to_string(i);
    h.datacenter = i < 3 ? "dc1" : "dc2";
    h.rack = "r1";
    h.tokens = {ring::Token(i * 100), ring::Token(i * 100 + 600)};
    h.is_up = down.count(static_cast<ring::HostIndex>(i)) == 0;
    auto version = schema_versions.find(static_cast<ring::HostIndex>(i));
    h.schema_version = *Uuid::Parse(version != schema_versions.end()
                                        ? version->second
                                        : "11111111-1111-1111-1111-111111111111");
    data.hosts.push_back(h);
  }
  KeyspaceMetadata ks;
  ks.name = "ks";
  ks.replication = ring::ReplicationStrategy::NetworkTopology({{"dc1", 2}, {"dc2", 1}});
  data.keyspaces["ks"] = ks;
  auto t = TopologySnapshot::Make(std::move(data));
  EXPECT_TRUE(t.has_value());
  return *t;
}

TEST(QueryPlanTest, LocalReplicasFirstThenRemoteReplicasOnly) {
  TopologyPtr t = SixHosts();
  RoutingInfo routing{"ks", ring::Token(150)};
  auto replicas = t->Replicas("ks", ring::Token(150));
  ASSERT_EQ(replicas.size(), 3u);

  auto plan = MakeQueryPlan(*t, "dc1", routing, 0);

  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(t->host(plan[0]).datacenter, "dc1");
  EXPECT_EQ(t->host(plan[1]).datacenter, "dc1");
  EXPECT_EQ(t->host(plan[2]).datacenter, "dc2");
  for (auto h : plan) EXPECT_TRUE(IsReplica(*t, routing, h));
}

TEST(QueryPlanTest, RotationSpreadsRequestsOverLocalReplicas) {
  TopologyPtr t = SixHosts();
  std::set<ring::HostIndex> firsts;
  for (uint64_t r = 0; r < 10; ++r) firsts.insert(MakeQueryPlan(*t, "dc1", {"ks", ring::Token(150)}, r)[0]);
  EXPECT_EQ(firsts.size(), 2u);
}

TEST(QueryPlanTest, DownReplicasAreSkippedAndNoReplicaFallsBackToAnyLiveHost) {
  TopologyPtr all = SixHosts();
  auto replicas = all->Replicas("ks", ring::Token(150));
  std::set<ring::HostIndex> down(replicas.begin(), replicas.end());
  down.erase(replicas[0]);
  TopologyPtr some = SixHosts(down);

  auto plan = MakeQueryPlan(*some, "dc1", {"ks", ring::Token(150)}, 0);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0], replicas[0]);

  down.insert(replicas[0]);
  TopologyPtr none = SixHosts(down);
  auto fallback = MakeQueryPlan(*none, "dc1", {"ks", ring::Token(150)}, 0);
  EXPECT_EQ(fallback.size(), 3u);
  EXPECT_EQ(none->host(fallback[0]).datacenter, "dc1");
}

TEST(QueryPlanTest, WithoutRoutingEveryLiveHostLocalFirst) {
  TopologyPtr t = SixHosts({4});

  auto plan = MakeQueryPlan(*t, "dc2", {}, 1);

  ASSERT_EQ(plan.size(), 5u);
  EXPECT_EQ(t->host(plan[0]).datacenter, "dc2");
  EXPECT_EQ(t->host(plan[1]).datacenter, "dc2");
  EXPECT_EQ(t->host(plan[2]).datacenter, "dc1");
}

TEST(QueryPlanTest, HoldsHostsInPlaceThenOnTheHeapLikeAVector) {
  // Against std::vector at every size from empty to well past the inline room: the hosts in
  // order, after copies and assignments, and rotated in place as MakeQueryPlan does.
  for (size_t n = 0; n <= 3 * QueryPlan::kInline; ++n) {
    QueryPlan plan;
    std::vector<ring::HostIndex> model;
    for (size_t i = 0; i < n; ++i) {
      const auto host = static_cast<ring::HostIndex>(1000 + 7 * i);
      plan.push_back(host);
      model.push_back(host);
      ASSERT_EQ(plan.size(), model.size());
      ASSERT_EQ(std::vector<ring::HostIndex>(plan.begin(), plan.end()), model) << n << " " << i;
    }
    EXPECT_EQ(plan.empty(), n == 0);
    QueryPlan copy(plan);
    QueryPlan assigned;
    assigned.push_back(1);
    assigned = plan;
    if (n > 1) {
      std::rotate(plan.begin(), plan.begin() + 1, plan.end());
      std::rotate(model.begin(), model.begin() + 1, model.end());
    }
    EXPECT_EQ(std::vector<ring::HostIndex>(plan.begin(), plan.end()), model) << n;
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(plan[i], model[i]);
    // The copies kept the order before the rotation.
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(copy[i], static_cast<ring::HostIndex>(1000 + 7 * i));
      EXPECT_EQ(assigned[i], static_cast<ring::HostIndex>(1000 + 7 * i));
    }
    EXPECT_EQ(copy.size(), n);
    EXPECT_EQ(assigned.size(), n);
  }
}

TEST(QueryPlanTest, RangeRoutingUsesTheRangeEnd) {
  EXPECT_EQ(RoutingTokenOfRange({ring::Token(5), ring::Token(10)}), ring::Token(10));
  EXPECT_EQ(RoutingTokenOfRange({ring::Token(5), ring::Token::Min()}), ring::Token::Max());
}

TEST(TopologySnapshotTest, HostStatusCopiesShareTheRing) {
  TopologyPtr t = SixHosts();
  TopologyPtr down = t->WithHostStatus(2, false);
  EXPECT_TRUE(t->host(2).is_up);
  EXPECT_FALSE(down->host(2).is_up);
  EXPECT_EQ(down->ReplicatedRanges("ks").size(), 12u);
}

TEST(TopologySnapshotTest, SchemaAgreementCountsTheLiveHostsOnly) {
  const std::string other = "22222222-2222-2222-2222-222222222222";
  EXPECT_TRUE(SixHosts()->SchemaAgrees());
  EXPECT_FALSE(SixHosts({}, {{4, other}})->SchemaAgrees());
  EXPECT_TRUE(SixHosts({4}, {{4, other}})->SchemaAgrees());  // a down node cannot disagree
  EXPECT_FALSE(SixHosts({0}, {{4, other}})->SchemaAgrees());
}

Error ServerErrorOf(cql::ErrorResponseCode code) {
  cql::ErrorResponse e;
  e.code = static_cast<int32_t>(code);
  e.message = "m";
  return cql::ToError(e);
}

TEST(RetryTest, RetriesWhatAnotherHostMayServe) {
  using C = cql::ErrorResponseCode;
  auto decide = [](C code, bool idempotent) {
    return DecideRetry(ServerErrorOf(code), FailurePoint::kAnswered, idempotent);
  };
  EXPECT_EQ(decide(C::kReadTimeout, false), RetryDecision::kRetryNextHost);
  EXPECT_EQ(decide(C::kUnavailable, false), RetryDecision::kRetryNextHost);
  EXPECT_EQ(decide(C::kOverloaded, false), RetryDecision::kRetryNextHost);
  EXPECT_EQ(decide(C::kWriteTimeout, false), RetryDecision::kFail);
  EXPECT_EQ(decide(C::kWriteTimeout, true), RetryDecision::kRetryNextHost);
  for (C never : {C::kSyntaxError, C::kInvalid, C::kUnauthorized, C::kBadCredentials,
                  C::kConfigError, C::kAlreadyExists, C::kReadFailure}) {
    EXPECT_EQ(decide(never, true), RetryDecision::kFail) << static_cast<int>(never);
  }
  EXPECT_EQ(DecideRetry(Unavailable("lost"), FailurePoint::kNoAnswer, false), RetryDecision::kFail);
  EXPECT_EQ(DecideRetry(Unavailable("lost"), FailurePoint::kNoAnswer, true),
            RetryDecision::kRetryNextHost);
  EXPECT_EQ(DecideRetry(Unavailable("no conn"), FailurePoint::kNotSent, false),
            RetryDecision::kRetryNextHost);
  EXPECT_EQ(DecideRetry(InvalidArgument("auth"), FailurePoint::kNotSent, true), RetryDecision::kFail);
}

TEST(RetryTest, BackoffGrowsExponentiallyWithJitterAndACap) {
  RetryOptions options{.max_attempts = 10, .base_backoff = std::chrono::milliseconds(10),
                       .max_backoff = std::chrono::milliseconds(100)};
  for (uint64_t random : {uint64_t{0}, uint64_t{7}, ~uint64_t{0}}) {
    EXPECT_GE(RetryBackoff(options, 1, random).count(), 5);
    EXPECT_LE(RetryBackoff(options, 1, random).count(), 10);
    EXPECT_GE(RetryBackoff(options, 3, random).count(), 20);
    EXPECT_LE(RetryBackoff(options, 3, random).count(), 40);
    EXPECT_LE(RetryBackoff(options, 30, random).count(), 100);
    EXPECT_GE(RetryBackoff(options, 30, random).count(), 50);
  }
}

}  // namespace
}  // namespace cqlbulk::client
