// SPDX-License-Identifier: Apache-2.0
// Token-aware routing proven with cqlsim's per-node counters (127.0.21.x).
#include "cqlbulk/ring/murmur3.h"
#include "sim_fixture.h"

namespace cqlbulk::client {
namespace {

using test::ConnectSync;
using test::ExecuteSync;

class RoutingTest : public test::SimClusterTest {
 protected:
  static constexpr int kRows = 300;

  static void SetUpTestSuite() {
    StartCluster(test::SimOptions("127.0.21.1"));
    auto session = ConnectSync(test::ClientOptions("127.0.21.1"));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    session_ = std::move(*session);
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE KEYSPACE one WITH replication = {'class': "
                                             "'SimpleStrategy', 'replication_factor': 1}"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE KEYSPACE three WITH replication = {'class': "
                                             "'SimpleStrategy', 'replication_factor': 3}"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE one.t (k int PRIMARY KEY, v int)"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE three.t (k int PRIMARY KEY, v int)"));
  }
  static void TearDownTestSuite() {
    session_.reset();
    StopCluster();
  }

  static sim::NodeStats TotalStats() {
    sim::NodeStats total;
    for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) {
      sim::NodeStats s = cluster()->engine().stats(i);
      total.requests += s.requests;
      total.routed_requests += s.routed_requests;
      total.replica_requests += s.replica_requests;
    }
    return total;
  }

  static std::unique_ptr<Session> session_;
};

std::unique_ptr<Session> RoutingTest::session_;

TEST_F(RoutingTest, PreparedStatementsGoToTheReplicaOfTheirKey) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr insert,
                               RunSync(session_->Prepare("INSERT INTO one.t (k, v) VALUES (?, ?)")));
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr select,
                               RunSync(session_->Prepare("SELECT v FROM one.t WHERE k = ?")));
  cluster()->engine().ResetStats();

  for (int k = 0; k < kRows; ++k) {
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, Statement::Execute(insert, {cql::BoundValue::Int(k), cql::BoundValue::Int(k)})));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, Statement::Execute(select, {cql::BoundValue::Int(k)})));
  }

  sim::NodeStats total = TotalStats();
  EXPECT_EQ(total.routed_requests, 2u * kRows);
  EXPECT_EQ(total.replica_requests, total.routed_requests);  // RF 1: the one owner every time
  for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) {
    EXPECT_GT(cluster()->engine().stats(i).replica_requests, 0u) << "node " << i;
  }
}

TEST_F(RoutingTest, RangeScansGoToTheReplicaOfTheirRange) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr insert,
                               RunSync(session_->Prepare("INSERT INTO one.t (k, v) VALUES (?, ?)")));
  for (int k = 0; k < kRows; ++k) {
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, Statement::Execute(insert, {cql::BoundValue::Int(k), cql::BoundValue::Int(k)})));
  }
  cluster()->engine().ResetStats();

  size_t rows = 0;
  size_t scans = 0;
  for (const ring::ReplicatedRange& natural : session_->topology()->ReplicatedRanges("one")) {
    for (const ring::TokenRange& piece : natural.range.Unwrap()) {
      Statement scan = Statement::Query("SELECT k FROM one.t WHERE token(k) > " +
                                        piece.start().ToString() + " AND token(k) <= " +
                                        piece.end().ToString());
      scan.keyspace = "one";
      scan.SetRoutingRange(piece);
      CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page, ExecuteSync(*session_, scan));
      rows += test::DecodeRows(page).size();
      ++scans;
    }
  }

  EXPECT_EQ(rows, static_cast<size_t>(kRows));
  sim::NodeStats total = TotalStats();
  EXPECT_EQ(total.routed_requests, scans);
  EXPECT_EQ(total.replica_requests, scans);
}

TEST_F(RoutingTest, ReadsSpreadOverTheReplicas) {
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "INSERT INTO three.t (k, v) VALUES (7, 7)"));
  Bytes key(4);
  StoreBE32(key.data(), 7);
  cluster()->engine().ResetStats();

  for (int i = 0; i < 90; ++i) {
    Statement select = Statement::Query("SELECT v FROM three.t WHERE k = 7");
    select.keyspace = "three";
    select.routing_token = ring::Murmur3Token(key);
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, select));
  }

  for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) {
    sim::NodeStats s = cluster()->engine().stats(i);
    EXPECT_EQ(s.replica_requests, s.routed_requests);
    EXPECT_GE(s.replica_requests, 20u) << "node " << i << " got too few of the 90 reads";
  }
}

TEST_F(RoutingTest, ExplicitTokensMatchThePartitioner) {
  // The session computes a prepared statement's token itself; it must be the server's.
  Bytes key(4);
  StoreBE32(key.data(), 42);
  ring::Token token = ring::Murmur3Token(key);
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "INSERT INTO one.t (k, v) VALUES (42, 1)"));

  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ResultPage page, ExecuteSync(*session_, "SELECT token(k) FROM one.t WHERE k = 42"));

  auto rows = test::DecodeRows(page);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].as_int64(), token.value());
}

}  // namespace
}  // namespace cqlbulk::client
