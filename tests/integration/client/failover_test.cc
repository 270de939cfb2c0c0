// SPDX-License-Identifier: Apache-2.0
// Retries, faults and node failures against cqlsim (127.0.22.x).
#include <thread>

#include "cqlbulk/ring/murmur3.h"
#include "sim_fixture.h"

namespace cqlbulk::client {
namespace {

using test::ConnectSync;
using test::ExecuteSync;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

class FailoverTest : public test::SimClusterTest {
 protected:
  static void SetUpTestSuite() {
    StartCluster(test::SimOptions("127.0.22.1"));
    auto session = ConnectSync(test::ClientOptions("127.0.22.1"));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    session_ = std::move(*session);
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE KEYSPACE three WITH replication = {'class': "
                                             "'SimpleStrategy', 'replication_factor': 3}"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE KEYSPACE one WITH replication = {'class': "
                                             "'SimpleStrategy', 'replication_factor': 1}"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE three.t (k int PRIMARY KEY, v int)"));
    CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE one.t (k int PRIMARY KEY, v int)"));
  }
  static void TearDownTestSuite() {
    session_.reset();
    StopCluster();
  }
  void TearDown() override {
    for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) cluster()->faults(i).Clear();
  }

  static Statement Read(const std::string& keyspace, int k) {
    Statement s = Statement::Query("SELECT v FROM " + keyspace + ".t WHERE k = " + std::to_string(k));
    s.keyspace = keyspace;
    Bytes key(4);
    StoreBE32(key.data(), static_cast<uint32_t>(k));
    s.routing_token = ring::Murmur3Token(key);
    s.is_idempotent = true;
    s.consistency = cql::Consistency::kOne;
    return s;
  }

  static uint64_t TotalRetries() {
    uint64_t n = 0;
    for (const HostStats& h : session_->host_stats()) n += h.retries;
    return n;
  }

  static bool WaitFor(const std::function<bool()>& condition) {
    for (int i = 0; i < 200; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return condition();
  }

  static std::unique_ptr<Session> session_;
};

std::unique_ptr<Session> FailoverTest::session_;

TEST_F(FailoverTest, ReadTimeoutsOnOneNodeAreRetriedOnAnotherReplica) {
  cluster()->faults(0).set_error(1.0, sim::InjectedError::kReadTimeout);
  uint64_t retries_before = TotalRetries();

  for (int k = 0; k < 60; ++k) CQLBULK_ASSERT_OK(ExecuteSync(*session_, Read("three", k)));

  EXPECT_GT(TotalRetries(), retries_before);
}

TEST_F(FailoverTest, OverloadedNodesAreAvoidedToo) {
  cluster()->faults(1).set_error(1.0, sim::InjectedError::kOverloaded);

  for (int k = 0; k < 60; ++k) CQLBULK_ASSERT_OK(ExecuteSync(*session_, Read("three", k)));
}

TEST_F(FailoverTest, NoReplicaLeftGivesTheErrorWithoutRetrying) {
  for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) {
    cluster()->faults(i).set_error(1.0, sim::InjectedError::kReadTimeout);
  }
  uint64_t retries_before = TotalRetries();

  auto result = ExecuteSync(*session_, Read("one", 5));

  EXPECT_THAT(result, IsError(ErrorCode::kTimeout));
  EXPECT_THAT(result, HasMessage("127.0.22."));
  EXPECT_EQ(TotalRetries(), retries_before);  // RF 1: the plan has one replica
}

TEST_F(FailoverTest, NonIdempotentWriteTimeoutsAreNotRetried) {
  for (ring::HostIndex i = 0; i < cluster()->num_nodes(); ++i) {
    cluster()->faults(i).set_error(1.0, sim::InjectedError::kWriteTimeout);
  }
  Statement write = Statement::Query("INSERT INTO three.t (k, v) VALUES (1, 1)");
  uint64_t retries_before = TotalRetries();

  EXPECT_THAT(ExecuteSync(*session_, write), IsError(ErrorCode::kTimeout));
  EXPECT_EQ(TotalRetries(), retries_before);
}

TEST_F(FailoverTest, DroppedConnectionsAreRetriedForIdempotentStatements) {
  cluster()->faults(2).set_drop(1.0);

  for (int k = 0; k < 30; ++k) CQLBULK_ASSERT_OK(ExecuteSync(*session_, Read("three", k)));
}

TEST_F(FailoverTest, RequestsKeepSucceedingWhileANodeStopsAndEventsUpdateTheSnapshot) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr insert, RunSync(session_->Prepare("INSERT INTO three.t (k, v) VALUES (?, ?)")));
  std::string stopped = cluster()->address(2);
  for (int k = 0; k < 600; ++k) {
    if (k == 200) CQLBULK_ASSERT_OK(cluster()->StopNode(2));
    Statement s = Statement::Execute(insert, {cql::BoundValue::Int(k), cql::BoundValue::Int(k)});
    s.consistency = cql::Consistency::kQuorum;
    s.is_idempotent = true;
    auto written = ExecuteSync(*session_, s);
    ASSERT_TRUE(written.has_value()) << "k=" << k << ": " << written.error().ToString();
    Statement r = Read("three", k);
    r.consistency = cql::Consistency::kQuorum;
    auto read = ExecuteSync(*session_, r);
    ASSERT_TRUE(read.has_value()) << "k=" << k << ": " << read.error().ToString();
  }
  auto is_up = [&] {
    TopologyPtr t = session_->topology();
    return t->host(*t->FindHost(stopped, 9042)).is_up;
  };
  EXPECT_TRUE(WaitFor([&] { return !is_up(); }));

  CQLBULK_ASSERT_OK(cluster()->StartNode(2));

  EXPECT_TRUE(WaitFor(is_up));
  EXPECT_TRUE(WaitFor([&] {
    for (const HostStats& h : session_->host_stats()) {
      if (h.endpoint == stopped + ":9042") return h.num_connections > 0;
    }
    return false;
  }));
}

TEST_F(FailoverTest, ControlConnectionMovesToAnotherHost) {
  // The control connection was opened to node 0; stopping it must not stop events or refreshes.
  CQLBULK_ASSERT_OK(cluster()->StopNode(0));
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE three.after (k int PRIMARY KEY)"));

  EXPECT_NE(session_->topology()->FindTable("three", "after"), nullptr);
  CQLBULK_ASSERT_OK(cluster()->StartNode(0));
  EXPECT_TRUE(WaitFor([&] {
    TopologyPtr t = session_->topology();
    return t->host(*t->FindHost(cluster()->address(0), 9042)).is_up;
  }));
}

}  // namespace
}  // namespace cqlbulk::client
