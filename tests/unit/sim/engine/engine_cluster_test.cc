// SPDX-License-Identifier: Apache-2.0
// Replicas and consistency levels, NodeStats, prepared statements, system tables, save/load.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/replica_placement.h"
#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

using ::testing::ElementsAre;

/// The node owning (as primary replica) the token of int key `k`, and one that is not a
/// replica at RF 1.
std::pair<ring::HostIndex, ring::HostIndex> OwnerAndOther(const Topology& topology, int32_t k) {
  Bytes key(4);
  StoreBE32(key.data(), static_cast<uint32_t>(k));
  ring::HostIndex owner = topology.ring.Owner(ring::Murmur3Token(key));
  return {owner, (owner + 1) % static_cast<ring::HostIndex>(topology.num_nodes())};
}

class EngineClusterTest : public ::testing::Test {
 protected:
  EngineClusterTest() : f_(3, 16) {}

  void SetUp() override {
    f_.Exec("CREATE KEYSPACE one WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    f_.Exec("CREATE KEYSPACE three WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
    f_.Exec("CREATE TABLE one.t (k int PRIMARY KEY, v int)");
    f_.Exec("CREATE TABLE three.t (k int PRIMARY KEY, v int)");
  }

  EngineFixture f_;
};

TEST_F(EngineClusterTest, UnavailableWhenTheOnlyReplicaIsDown) {
  TopologyPtr topology = f_.engine().topology();
  auto [owner, other] = OwnerAndOther(*topology, 5);
  f_.engine().SetTopology(WithNodeStatus(*topology, owner, false));

  auto write = ErrorOf(f_.Query("INSERT INTO one.t (k, v) VALUES (5, 1)"));
  auto read = ErrorOf(f_.Query("SELECT * FROM one.t WHERE k = 5", {}, cql::Consistency::kOne));
  auto scan = ErrorOf(f_.Query("SELECT * FROM one.t"));
  Reply quorum_ok = f_.Query("INSERT INTO three.t (k, v) VALUES (5, 1)", {}, cql::Consistency::kQuorum);
  auto all = ErrorOf(f_.Query("SELECT * FROM three.t WHERE k = 5", {}, cql::Consistency::kAll));

  ASSERT_TRUE(write.has_value());
  EXPECT_EQ(write->code, 0x1000);
  EXPECT_EQ(std::get<cql::UnavailableInfo>(write->details),
            (cql::UnavailableInfo{cql::Consistency::kOne, 1, 0}));
  EXPECT_EQ(write->message, "Cannot achieve consistency level ONE");
  ASSERT_TRUE(read && scan);
  EXPECT_EQ(scan->code, 0x1000);
  EXPECT_FALSE(ErrorOf(quorum_ok).has_value()) << Describe(quorum_ok);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(std::get<cql::UnavailableInfo>(all->details), (cql::UnavailableInfo{cql::Consistency::kAll, 3, 2}));
  (void)other;
}

TEST_F(EngineClusterTest, QuorumNeedsAMajorityOfReplicas) {
  TopologyPtr topology = f_.engine().topology();
  f_.engine().SetTopology(WithNodeStatus(*WithNodeStatus(*topology, 0, false), 1, false));

  auto quorum = ErrorOf(f_.Query("SELECT * FROM three.t WHERE k = 1", {}, cql::Consistency::kQuorum));
  Reply one = f_.Query("SELECT * FROM three.t WHERE k = 1", {}, cql::Consistency::kOne);
  auto any_read = ErrorOf(f_.Query("SELECT * FROM three.t WHERE k = 1", {}, cql::Consistency::kAny));

  ASSERT_TRUE(quorum.has_value());
  EXPECT_EQ(std::get<cql::UnavailableInfo>(quorum->details), (cql::UnavailableInfo{cql::Consistency::kQuorum, 2, 1}));
  EXPECT_FALSE(ErrorOf(one).has_value());
  ASSERT_TRUE(any_read.has_value());
  EXPECT_EQ(any_read->code, 0x2200);
}

TEST_F(EngineClusterTest, NodeStatsCountReplicaAndNonReplicaCoordinators) {
  TopologyPtr topology = f_.engine().topology();
  auto [owner, other] = OwnerAndOther(*topology, 7);
  f_.engine().ResetStats();
  cql::QueryParameters params;

  f_.QueryWith("INSERT INTO one.t (k, v) VALUES (7, 1)", params, owner);
  f_.QueryWith("SELECT * FROM one.t WHERE k = 7", params, other);
  f_.QueryWith("SELECT * FROM one.t", params, other);

  NodeStats on_owner = f_.engine().stats(owner);
  NodeStats on_other = f_.engine().stats(other);
  EXPECT_EQ(on_owner.requests, 1u);
  EXPECT_EQ(on_owner.routed_requests, 1u);
  EXPECT_EQ(on_owner.replica_requests, 1u);
  EXPECT_EQ(on_other.requests, 2u);
  EXPECT_EQ(on_other.routed_requests, 1u);
  EXPECT_EQ(on_other.replica_requests, 0u);
}

TEST_F(EngineClusterTest, TokenRangeQueriesAreRoutedToTheRangeReplicas) {
  TopologyPtr topology = f_.engine().topology();
  std::vector<ring::TokenRange> ranges = topology->ring.NaturalRanges();
  size_t index = ranges[0].is_wrapping() ? 1 : 0;
  ring::HostIndex owner = topology->ring.entries()[index].host;
  ring::HostIndex other = (owner + 1) % 3;
  f_.engine().ResetStats();
  cql::QueryParameters params;
  params.values = {Bigint(ranges[index].start().value()), Bigint(ranges[index].end().value())};
  const std::string query = "SELECT k FROM one.t WHERE token(k) > ? AND token(k) <= ?";

  f_.QueryWith(query, params, owner);
  f_.QueryWith(query, params, other);

  EXPECT_EQ(f_.engine().stats(owner).replica_requests, 1u);
  EXPECT_EQ(f_.engine().stats(owner).routed_requests, 1u);
  EXPECT_EQ(f_.engine().stats(other).routed_requests, 1u);
  EXPECT_EQ(f_.engine().stats(other).replica_requests, 0u);
}

TEST_F(EngineClusterTest, PreparedMetadataAndPartitionKeyIndexes) {
  f_.Exec("CREATE TABLE one.c (a int, b text, c int, v int, PRIMARY KEY ((b, a), c))");

  cql::PreparedResult insert = f_.Prepare("INSERT INTO one.c (v, a, c, b) VALUES (?, ?, ?, ?)");
  cql::PreparedResult select = f_.Prepare("SELECT v, token(b, a) FROM one.c WHERE token(b, a) > ? AND token(b, a) <= ? LIMIT ?");
  cql::PreparedResult by_key = f_.Prepare("SELECT * FROM one.c WHERE a = ? AND b = ?");

  EXPECT_THAT(insert.metadata.pk_indexes, ElementsAre(3, 1));
  ASSERT_EQ(insert.metadata.columns.size(), 4u);
  EXPECT_EQ(insert.metadata.columns[3].name, "b");
  EXPECT_EQ(insert.metadata.columns[3].type->id, cql::TypeId::kVarchar);
  EXPECT_THAT(by_key.metadata.pk_indexes, ElementsAre(1, 0));
  EXPECT_TRUE(select.metadata.pk_indexes.empty());
  ASSERT_EQ(select.metadata.columns.size(), 3u);
  EXPECT_EQ(select.metadata.columns[0].name, "partition key token");
  EXPECT_EQ(select.metadata.columns[2].name, "[limit]");
  ASSERT_EQ(select.result_metadata.columns.size(), 2u);
  EXPECT_EQ(select.result_metadata.columns[1].name, "system.token(b, a)");
  EXPECT_EQ(insert.id.size(), 16u);
  EXPECT_EQ(f_.Prepare("INSERT INTO one.c (v, a, c, b) VALUES (?, ?, ?, ?)").id, insert.id);
}

TEST_F(EngineClusterTest, ExecuteRunsPreparedStatementsAndUnknownIdsAreUnprepared) {
  cql::PreparedResult insert = f_.Prepare("INSERT INTO one.t (k, v) VALUES (:k, :v)");
  cql::PreparedResult select = f_.Prepare("SELECT v FROM one.t WHERE k = ?");
  f_.Execute(insert.id, {Int(1), Int(2)});
  Reply wrong_size = f_.Execute(insert.id, {Int(1), Bigint(2)});
  cql::ExecuteRequest skip;
  skip.id = select.id;
  skip.params.values = {Int(1)};
  skip.params.skip_metadata = true;

  Rows rows = RowsOf(f_.Execute(select.id, {Int(1)}));
  Rows no_metadata = RowsOf(f_.Handle(skip));
  Bytes unknown(16, 0xAB);
  auto unprepared = ErrorOf(f_.Execute(unknown, {}));

  EXPECT_THAT(rows.Lines(), ElementsAre("2"));
  EXPECT_TRUE(no_metadata.no_metadata);
  EXPECT_EQ(no_metadata.cells.size(), 1u);
  ASSERT_TRUE(ErrorOf(wrong_size).has_value());
  EXPECT_EQ(ErrorOf(wrong_size)->message, "Expected 4 or 0 byte int (8)");
  ASSERT_TRUE(unprepared.has_value());
  EXPECT_EQ(unprepared->code, 0x2500);
  EXPECT_EQ(std::get<cql::UnpreparedInfo>(unprepared->details).id, unknown);
}

TEST_F(EngineClusterTest, NamedValuesBindByName) {
  cql::QueryParameters params;
  params.values = {Int(9), Int(3)};
  params.value_names = {"v", "k"};

  Reply reply = f_.QueryWith("INSERT INTO one.t (k, v) VALUES (:k, :v)", params);

  EXPECT_FALSE(ErrorOf(reply).has_value()) << Describe(reply);
  EXPECT_THAT(f_.Select("SELECT k, v FROM one.t WHERE k = 3").Lines(), ElementsAre("3|9"));
}

TEST_F(EngineClusterTest, SystemTablesGoThroughTheSameWhereClause) {
  Rows local = f_.Select("SELECT key, cluster_name FROM system.local WHERE key = 'local'");
  Rows tables = f_.Select("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'one' AND table_name = 't'");
  Rows peers = f_.Select("SELECT peer FROM system.peers");

  EXPECT_THAT(local.Lines(), ElementsAre("'local'|'test'"));
  EXPECT_THAT(tables.Lines(), ElementsAre("'t'"));
  EXPECT_EQ(peers.size(), 2u);
}

TEST_F(EngineClusterTest, SaveAndLoadRoundTrip) {
  f_.Exec("CREATE TYPE one.pt (x int, y int)");
  f_.Exec("CREATE TABLE one.w (k int, c text, p frozen<pt>, m map<int, text>, s int static, "
          "PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'it''s'");
  for (int k = 0; k < 50; ++k) {
    f_.Exec("INSERT INTO one.w (k, c, p, m, s) VALUES (" + std::to_string(k) + ", 'c" +
            std::to_string(k % 7) + "', {x: 1, y: 2}, {1: 'a'}, 3) USING TTL 1000");
    f_.Exec("INSERT INTO one.t (k, v) VALUES (" + std::to_string(k) + ", " + std::to_string(k) + ")");
  }
  std::string dir = ::testing::TempDir() + "/cqlsim_engine_save";
  std::filesystem::remove_all(dir);
  std::vector<std::string> before = f_.Select("SELECT k, c, p, m, s, ttl(p), writetime(p) FROM one.w").Lines();
  Uuid table_id = f_.engine().schema()->FindTable("one", "w")->id;

  ASSERT_TRUE(f_.engine().Save(dir).has_value());
  EngineFixture g(3, 16);
  g.now_millis() = f_.now_millis();
  Status loaded = g.engine().Load(dir);

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(g.Select("SELECT k, c, p, m, s, ttl(p), writetime(p) FROM one.w").Lines(), before);
  EXPECT_EQ(g.Select("SELECT count(*) FROM one.t").Text(0, 0), "50");
  EXPECT_EQ(g.engine().schema()->FindTable("one", "w")->id, table_id);
  EXPECT_EQ(g.engine().schema()->FindTable("one", "w")->options.at("comment"), "'it''s'");
}

TEST_F(EngineClusterTest, LoadRefusesACorruptFile) {
  f_.Exec("INSERT INTO one.t (k, v) VALUES (1, 1)");
  std::string dir = ::testing::TempDir() + "/cqlsim_engine_corrupt";
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(f_.engine().Save(dir).has_value());
  {
    std::fstream data(dir + "/data.bin", std::ios::in | std::ios::out | std::ios::binary);
    data.seekp(20);
    data.put('\x7f');
  }

  Status loaded = EngineFixture().engine().Load(dir);

  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code(), ErrorCode::kCorrupt);
  EXPECT_NE(loaded.error().message().find("data.bin"), std::string::npos);
}

}  // namespace
}  // namespace cqlbulk::sim::testing
