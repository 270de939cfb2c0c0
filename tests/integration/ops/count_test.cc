// SPDX-License-Identifier: Apache-2.0
// ops::Count against in-process cqlsim clusters (127.0.50.x-127.0.53.x).
#include <map>
#include <ostream>

#include "ops_fixture.h"

namespace cqlbulk::ops {
namespace {

using test::InsertRows;
using ::testing::HasSubstr;

constexpr int kSingleRows = 20000;
constexpr int kPartitions = 2000;
/// Rows of partition p in the composite table: 1..9.
int RowsOf(int p) { return 1 + p % 9; }
int CompositeRows() {
  int total = 0;
  for (int p = 0; p < kPartitions; ++p) total += RowsOf(p);
  return total;
}

/// Creates the tables of every cluster below: single key, composite key with clustering, empty.
void CreateTables(client::Session& session, const std::string& keyspace, int single_rows,
                  int partitions) {
  CQLBULK_ASSERT_OK(test::Execute(session, "CREATE TABLE " + keyspace +
                                               ".single (k int PRIMARY KEY, v int)"));
  CQLBULK_ASSERT_OK(test::Execute(session, "CREATE TABLE " + keyspace +
                                               ".composite (a int, b text, c int, v int, "
                                               "PRIMARY KEY ((a, b), c))"));
  CQLBULK_ASSERT_OK(
      test::Execute(session, "CREATE TABLE " + keyspace + ".empty (k int PRIMARY KEY, v int)"));
  CQLBULK_ASSERT_OK(InsertRows(session, "INSERT INTO " + keyspace + ".single (k, v) VALUES (?, ?)",
                               single_rows, [](int i) {
                                 return std::vector<cql::BoundValue>{cql::BoundValue::Int(i), cql::BoundValue::Int(i)};
                               }));
  // Row i of the composite table: partition i / 9, clustering i % 9, kept when it exists.
  CQLBULK_ASSERT_OK(InsertRows(
      session, "INSERT INTO " + keyspace + ".composite (a, b, c, v) VALUES (?, ?, ?, ?)",
      partitions * 9, [](int i) {
        int p = i / 9;
        int c = i % 9 < RowsOf(p) ? i % 9 : 0;  // extra rows overwrite clustering 0
        return std::vector<cql::BoundValue>{cql::BoundValue::Int(p), cql::BoundValue::Text("p" + std::to_string(p)),
                                            cql::BoundValue::Int(c), cql::BoundValue::Int(i)};
      }));
}

/// One cluster per parameter set: vnodes, data centers, nodes, replication.
struct ClusterCase {
  std::string name;
  std::string first_address;
  uint32_t nodes;
  uint32_t vnodes;
  uint32_t datacenters;
  std::string replication;
};

/// Parameterised test names in ctest print the case's name, not its bytes.
void PrintTo(const ClusterCase& c, std::ostream* out) { *out << c.name; }

/// A cluster and a session per parameter set, started by the first test that needs it.
struct Env {
  std::unique_ptr<sim::Cluster> cluster;
  std::unique_ptr<client::Session> session;
};

class CountTest : public ::testing::TestWithParam<ClusterCase> {
 protected:
  static std::map<std::string, Env>& envs() {
    static std::map<std::string, Env> e;
    return e;
  }
  static void TearDownTestSuite() {
    for (auto& [name, env] : envs()) {
      env.session->Close();
      (void)env.cluster->Stop();
    }
    envs().clear();
  }
  void SetUp() override {
    const ClusterCase& c = GetParam();
    auto found = envs().find(c.name);
    if (found != envs().end()) {
      env_ = &found->second;
      return;
    }
    Env env;
    auto started = sim::Cluster::Start(
        test::SimOptions(c.first_address, c.nodes, c.vnodes, c.datacenters));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    env.cluster = std::move(*started);
    auto session = client::RunSync(client::Session::Connect(test::ClientOptions(c.first_address)));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    env.session = std::move(*session);
    CQLBULK_ASSERT_OK(test::Execute(*env.session, "CREATE KEYSPACE ks WITH replication = " +
                                                      c.replication));
    CreateTables(*env.session, "ks", kSingleRows, kPartitions);
    env_ = &(envs()[c.name] = std::move(env));
  }

  CountResult CountOk(const std::string& table, CountMethod method = CountMethod::kAuto,
                      int top = 0) {
    CountOptions options = test::MakeCountOptions(GetParam().first_address, "ks", table);
    options.method = method;
    options.top_partitions = top;
    env_->cluster->engine().ResetStats();
    auto result = CountSync(options);
    EXPECT_TRUE(result.has_value()) << result.error().ToString();
    if (!result.has_value()) return {};
    test::ExpectConsistent(*result);
    // Every range query was coordinated by one of its replicas.
    sim::NodeStats stats = test::TotalStats(*env_->cluster);
    EXPECT_GE(stats.routed_requests, result->ranges);
    EXPECT_EQ(stats.replica_requests, stats.routed_requests);
    return std::move(*result);
  }

  Env* env_ = nullptr;
};

TEST_P(CountTest, CountsEveryRowOfASingleKeyTable) {
  CountResult counted = CountOk("single");

  EXPECT_EQ(counted.rows, kSingleRows);
  EXPECT_EQ(counted.method, CountMethod::kCountStar);
  EXPECT_LE(counted.host_rows.size(), env_->cluster->num_nodes());
  for (const auto& [host, rows] : counted.host_rows) {
    EXPECT_TRUE(env_->cluster->FindNode(host.substr(0, host.find(':'))).has_value()) << host;
    EXPECT_GT(rows, 0) << host;
  }
}

TEST_P(CountTest, StreamingKeysGivesTheSameTotal) {
  CountResult counted = CountOk("single", CountMethod::kStreamKeys);

  EXPECT_EQ(counted.rows, kSingleRows);
}

TEST_P(CountTest, CountsRowsOfACompositeKeyWithClustering) {
  CountResult star = CountOk("composite", CountMethod::kCountStar);
  CountResult streamed = CountOk("composite", CountMethod::kStreamKeys, 3);

  EXPECT_EQ(star.rows, CompositeRows());
  EXPECT_EQ(streamed.rows, CompositeRows());
  ASSERT_EQ(streamed.top_partitions.size(), 3u);
  for (const auto& p : streamed.top_partitions) {
    EXPECT_EQ(p.rows, 9) << p.key;
    EXPECT_THAT(p.key, HasSubstr("'p"));
  }
}

TEST_P(CountTest, CountsAnEmptyTable) {
  CountResult counted = CountOk("empty");

  EXPECT_EQ(counted.rows, 0);
  EXPECT_GT(counted.ranges, 0u);
}

TEST_P(CountTest, LeavesOutStatisticsThatAreTurnedOff) {
  CountOptions options = test::MakeCountOptions(GetParam().first_address, "ks", "single");
  options.stats_hosts = false;
  options.stats_ranges = false;

  auto counted = CountSync(options);

  ASSERT_TRUE(counted.has_value()) << counted.error().ToString();
  EXPECT_EQ(counted->rows, kSingleRows);
  EXPECT_TRUE(counted->host_rows.empty());
  EXPECT_TRUE(counted->range_rows.empty());
  EXPECT_GT(counted->ranges, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Clusters, CountTest,
    ::testing::Values(
        ClusterCase{"Vnodes1Rf1", "127.0.50.1", 3, 1, 1,
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}"},
        ClusterCase{"Vnodes16Rf3", "127.0.51.1", 3, 16, 1,
                    "{'class': 'SimpleStrategy', 'replication_factor': 3}"},
        ClusterCase{"Vnodes256Rf1", "127.0.52.1", 3, 256, 1,
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}"},
        ClusterCase{"TwoDatacentersNts", "127.0.53.1", 4, 16, 2,
                    "{'class': 'NetworkTopologyStrategy', 'datacenter1': 2, "
                    "'datacenter2': 1}"}),
    [](const ::testing::TestParamInfo<ClusterCase>& info) { return info.param.name; });

}  // namespace
}  // namespace cqlbulk::ops
