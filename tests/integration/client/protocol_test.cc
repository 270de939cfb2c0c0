// SPDX-License-Identifier: Apache-2.0
// Protocol versions and compression against cqlsim (127.0.24.x and 127.0.25.x).
#include "sim_fixture.h"

namespace cqlbulk::client {
namespace {

using test::ConnectSync;
using test::ExecuteSync;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

class ProtocolTest : public test::SimClusterTest {
 protected:
  static void SetUpTestSuite() { StartCluster(test::SimOptions("127.0.24.1")); }
  static void TearDownTestSuite() { StopCluster(); }

  /// Connects with `options`, then writes and reads back through the pools.
  static void RoundTrip(SessionOptions options, int expected_version) {
    auto session = ConnectSync(std::move(options));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    EXPECT_EQ((*session)->protocol_version(), expected_version);
    std::string table = "ks.t" + std::to_string(counter_++);
    CQLBULK_ASSERT_OK(ExecuteSync(**session, "CREATE KEYSPACE IF NOT EXISTS ks WITH replication "
                                             "= {'class': 'SimpleStrategy', 'replication_factor': 1}"));
    CQLBULK_ASSERT_OK(ExecuteSync(**session, "CREATE TABLE " + table + " (k int PRIMARY KEY, v text)"));
    std::string big(20000, 'z');  // compresses well, and spans v5 segments when large
    for (int k = 0; k < 20; ++k) {
      CQLBULK_ASSERT_OK(ExecuteSync(**session, "INSERT INTO " + table + " (k, v) VALUES (" +
                                                   std::to_string(k) + ", '" + big + "')"));
    }
    CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page, ExecuteSync(**session, "SELECT v FROM " + table));
    auto rows = test::DecodeRows(page);
    ASSERT_EQ(rows.size(), 20u);
    for (const auto& row : rows) EXPECT_EQ(row[0].as_string(), big);
  }

  static inline int counter_ = 0;
};

TEST_F(ProtocolTest, SpeaksV5) {
  SessionOptions options = test::ClientOptions("127.0.24.1");
  options.protocol_version = 5;
  RoundTrip(options, 5);
}

TEST_F(ProtocolTest, SpeaksV4WhenAsked) {
  SessionOptions options = test::ClientOptions("127.0.24.2");
  options.protocol_version = 4;
  RoundTrip(options, 4);
}

TEST_F(ProtocolTest, V5WithLz4Segments) {
  SessionOptions options = test::ClientOptions("127.0.24.1");
  options.compression = cql::Compression::kLz4;
  RoundTrip(options, 5);
}

TEST_F(ProtocolTest, V4WithLz4) {
  SessionOptions options = test::ClientOptions("127.0.24.1");
  options.protocol_version = 4;
  options.compression = cql::Compression::kLz4;
  RoundTrip(options, 4);
}

TEST_F(ProtocolTest, V4WithSnappy) {
  SessionOptions options = test::ClientOptions("127.0.24.3:9042");
  options.protocol_version = 4;
  options.compression = cql::Compression::kSnappy;
  RoundTrip(options, 4);
}

TEST_F(ProtocolTest, SnappyIsRefusedForV5) {
  SessionOptions options = test::ClientOptions("127.0.24.1");
  options.protocol_version = 5;
  options.compression = cql::Compression::kSnappy;

  auto session = ConnectSync(options);

  EXPECT_THAT(session, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(session, HasMessage("snappy"));
}

TEST(ProtocolNegotiationTest, StepsDownToV4WhenTheServerRefusesV5) {
  sim::ClusterOptions cluster_options = test::SimOptions("127.0.25.1");
  cluster_options.server.max_protocol_version = 4;
  auto cluster = sim::Cluster::Start(cluster_options);
  ASSERT_TRUE(cluster.has_value()) << cluster.error().ToString();

  auto session = ConnectSync(test::ClientOptions("127.0.25.1"));

  ASSERT_TRUE(session.has_value()) << session.error().ToString();
  EXPECT_EQ((*session)->protocol_version(), 4);
  CQLBULK_ASSERT_OK(ExecuteSync(**session, "SELECT * FROM system.local"));
  for (const HostStats& host : (*session)->host_stats()) EXPECT_GE(host.num_connections, 1u);

  SessionOptions fixed = test::ClientOptions("127.0.25.1");
  fixed.protocol_version = 5;
  auto refused = ConnectSync(fixed);
  EXPECT_THAT(refused, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(refused, HasMessage("protocol v5"));
  (*session)->Close();
  (void)(*cluster)->Stop();
}

}  // namespace
}  // namespace cqlbulk::client
