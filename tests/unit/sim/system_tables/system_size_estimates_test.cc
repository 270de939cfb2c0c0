// SPDX-License-Identifier: Apache-2.0
// system.size_estimates and system.table_estimates: one row per primary range of the
// coordinator (wrapping ranges split at the minimum token), covering the ring once over all
// nodes, with the supplied partition counts spread exactly.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cqlbulk/ring/token_range.h"
#include "cqlbulk/sim/system_tables/system_tables.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::sim {
namespace {

using Row = std::vector<cql::Value>;
using ring::Token;

/// The 3-node ring of ring_3node_16vnodes.json, its nodes spread over two data centers when
/// `two_dcs` (node 3 in dc2).
TopologyPtr GoldenTopology(bool two_dcs = false) {
  const nlohmann::json golden = cqlbulk::testing::LoadTestdataJson("ring_3node_16vnodes.json");
  std::vector<NodeInfo> nodes;
  for (const auto& node : golden.at("nodes")) {
    NodeInfo info;
    info.address = node.at("address");
    info.datacenter = two_dcs && node.at("address") == "127.0.0.3" ? "dc2" : "dc1";
    info.rack = "rack1";
    for (const auto& token : node.at("tokens")) {
      info.tokens.push_back(Token::Parse(token.get<std::string>()).value());
    }
    nodes.push_back(std::move(info));
  }
  return MakeTopology("cqlsim", std::move(nodes)).value();
}

std::shared_ptr<const TableSchema> Table(const std::string& keyspace, const std::string& name) {
  auto table = std::make_shared<TableSchema>();
  table->keyspace = keyspace;
  table->name = name;
  return table;
}

Schema UserSchema() {
  auto ks = [](std::string name, ring::ReplicationStrategy replication,
               std::vector<std::string> tables) {
    auto out = std::make_shared<KeyspaceSchema>(KeyspaceSchema{.name = name,
                                                               .replication = replication,
                                                               .replication_options = {},
                                                               .durable_writes = true,
                                                               .tables = {},
                                                               .types = {}});
    for (const std::string& table : tables) out->tables[table] = Table(name, table);
    return out;
  };
  Schema schema;
  schema.keyspaces["app"] = ks("app", ring::ReplicationStrategy::Simple(2), {"events", "users"});
  schema.keyspaces["dc1_only"] =
      ks("dc1_only", ring::ReplicationStrategy::NetworkTopology({{"dc1", 2}}), {"t"});
  return schema;
}

const std::map<std::string, TableSizeEstimate> kSizes = {
    {"app.events", {.num_partitions = 1000003, .mean_partition_size_bytes = 512}},
    {"app.users", {.num_partitions = 7, .mean_partition_size_bytes = 90}},
    {"dc1_only.t", {.num_partitions = 4611686018427387904, .mean_partition_size_bytes = 1}},
};

SystemTableOptions Options() {
  SystemTableOptions options;
  options.size_estimator = [](const TableSchema& table) -> std::optional<TableSizeEstimate> {
    auto it = kSizes.find(table.keyspace + "." + table.name);
    if (it == kSizes.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

std::vector<Row> Estimates(const Topology& topology, ring::HostIndex node,
                           const char* table = "size_estimates") {
  auto rows = SystemTableRows(*SystemSchema().FindTable("system", table), topology, UserSchema(),
                              node, Options());
  EXPECT_TRUE(rows.has_value());
  return rows.value_or(std::vector<Row>{});
}

ring::TokenRange RangeOf(const Row& row, size_t start_column) {
  return ring::TokenRange(Token::Parse(row[start_column].as_string()).value(),
                          Token::Parse(row[start_column + 1].as_string()).value());
}

TEST(SizeEstimatesTest, OneRowPerPrimaryRangeCoveringTheRingOnceWithExactTotals) {
  const TopologyPtr topology = GoldenTopology();
  std::map<std::string, std::vector<ring::TokenRange>> ranges;
  std::map<std::string, int64_t> partitions;
  std::map<std::string, size_t> rows_per_table;

  for (ring::HostIndex node = 0; node < 3; ++node) {
    const std::set<Token> own(topology->nodes[node].tokens.begin(),
                              topology->nodes[node].tokens.end());
    for (const Row& row : Estimates(*topology, node)) {
      // keyspace_name, table_name, range_start, range_end, mean_partition_size, partitions_count
      const std::string key = row[0].as_string() + "." + row[1].as_string();
      const ring::TokenRange range = RangeOf(row, 2);
      EXPECT_TRUE(own.contains(range.end()) || range.end().is_minimum()) << range.ToString();
      ranges[key].push_back(range);
      partitions[key] += row[5].as_int64();
      ++rows_per_table[key];
      auto size = kSizes.find(key);
      EXPECT_EQ(row[4].as_int64(),
                size == kSizes.end() ? 0 : size->second.mean_partition_size_bytes);
      if (size != kSizes.end()) {
        // Within one of the proportional share.
        const long double share = static_cast<long double>(size->second.num_partitions) *
                                  static_cast<long double>(range.size()) / 18446744073709551616.0L;
        EXPECT_LE(std::abs(static_cast<long double>(row[5].as_int64()) - share), 1.0L) << key;
      }
    }
  }

  for (const auto& [key, size] : kSizes) {
    EXPECT_EQ(partitions[key], size.num_partitions) << key;
    CQLBULK_ASSERT_OK(ring::VerifyCoverage(ranges[key]));
    // 48 natural ranges, one of them wrapping: 49 rows over the three nodes.
    EXPECT_EQ(rows_per_table[key], 49u) << key;
  }
  // system_auth (5 tables), system_distributed (3), system_traces (2) are listed too, with
  // zeros; system and system_schema (LocalStrategy) are not.
  EXPECT_EQ(rows_per_table.size(), 3u + 10u);
  EXPECT_EQ(rows_per_table.count("system.local"), 0u);
  EXPECT_EQ(partitions["system_auth.roles"], 0);
  EXPECT_EQ(rows_per_table["system_auth.roles"], 49u);
}

TEST(SizeEstimatesTest, RowsAreInClusteringOrderWithinEachKeyspace) {
  const TopologyPtr topology = GoldenTopology();

  const std::vector<Row> rows = Estimates(*topology, 0);

  ASSERT_FALSE(rows.empty());
  for (size_t i = 1; i < rows.size(); ++i) {
    if (!(rows[i][0] == rows[i - 1][0])) continue;
    const auto key = [](const Row& r) {
      return std::tuple(r[1].as_string(), r[2].as_string(), r[3].as_string());
    };
    EXPECT_LT(key(rows[i - 1]), key(rows[i]));  // text order, as Cassandra sorts them
  }
}

TEST(SizeEstimatesTest, WrappingRangeIsSplitAtTheMinimumToken) {
  const TopologyPtr topology = GoldenTopology();
  const Token first = topology->ring.entries().front().token;
  const Token last = topology->ring.entries().back().token;
  const ring::HostIndex owner = topology->ring.entries().front().host;

  std::set<std::pair<std::string, std::string>> app_events;
  for (const Row& row : Estimates(*topology, owner)) {
    if (row[0].as_string() == "app" && row[1].as_string() == "events") {
      app_events.emplace(row[2].as_string(), row[3].as_string());
    }
  }

  EXPECT_TRUE(app_events.contains({last.ToString(), Token::Min().ToString()}));
  EXPECT_TRUE(app_events.contains({Token::Min().ToString(), first.ToString()}));
  EXPECT_EQ(app_events.size(), topology->nodes[owner].tokens.size() + 1);
}

TEST(SizeEstimatesTest, NodesOfAnUnreplicatedDatacenterHaveNoPrimaryRanges) {
  const TopologyPtr topology = GoldenTopology(/*two_dcs=*/true);
  int64_t total = 0;
  std::vector<ring::TokenRange> ranges;

  for (ring::HostIndex node = 0; node < 3; ++node) {
    for (const Row& row : Estimates(*topology, node)) {
      if (row[0].as_string() != "dc1_only") continue;
      EXPECT_NE(node, 2u) << "node 3 is in dc2, which dc1_only does not replicate to";
      ranges.push_back(RangeOf(row, 2));
      total += row[5].as_int64();
    }
  }

  EXPECT_EQ(total, kSizes.at("dc1_only.t").num_partitions);
  CQLBULK_ASSERT_OK(ring::VerifyCoverage(ranges));
}

TEST(TableEstimatesTest, PrimaryAndLocalPrimaryRangesBothCoverTheirRing) {
  const TopologyPtr topology = GoldenTopology(/*two_dcs=*/true);
  std::map<std::string, std::vector<ring::TokenRange>> ranges;  // by range_type, dc1 nodes
  std::map<std::string, int64_t> partitions;

  for (ring::HostIndex node = 0; node < 2; ++node) {  // the dc1 nodes
    for (const Row& row : Estimates(*topology, node, "table_estimates")) {
      // keyspace_name, table_name, range_type, range_start, range_end, mean, count
      if (row[0].as_string() != "app" || row[1].as_string() != "events") continue;
      const std::string type = row[2].as_string();
      ranges[type].push_back(RangeOf(row, 3));
      partitions[type] += row[6].as_int64();
    }
  }

  ASSERT_EQ(ranges.size(), 2u);
  // local_primary: the dc1 ring alone, covered by its two nodes.
  CQLBULK_ASSERT_OK(ring::VerifyCoverage(ranges.at("local_primary")));
  EXPECT_EQ(partitions.at("local_primary"), kSizes.at("app.events").num_partitions);
  // primary: dc1's share of the whole ring (node 3 has the rest).
  EXPECT_LT(partitions.at("primary"), kSizes.at("app.events").num_partitions);
}

TEST(SizeEstimatesTest, WithoutAnEstimatorEveryCountIsZero) {
  const TopologyPtr topology = GoldenTopology();

  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto rows, SystemTableRows(*SystemSchema().FindTable("system", "size_estimates"), *topology,
                                 UserSchema(), 1));

  ASSERT_FALSE(rows.empty());
  for (const Row& row : rows) {
    EXPECT_EQ(row[4].as_int64(), 0);
    EXPECT_EQ(row[5].as_int64(), 0);
  }
}

}  // namespace
}  // namespace cqlbulk::sim
