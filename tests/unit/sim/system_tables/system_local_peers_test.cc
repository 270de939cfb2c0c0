// SPDX-License-Identifier: Apache-2.0
// system.local, system.peers and system.peers_v2 of a 3-node topology rebuilt from
// ring_3node_16vnodes.json equal what the real nodes answered.
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/sim/system_tables/system_tables.h"
#include "system_capture_util.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::sim {
namespace {

using Row = std::vector<cql::Value>;

const nlohmann::json& Golden() {
  static const nlohmann::json golden =
      cqlbulk::testing::LoadTestdataJson("ring_3node_16vnodes.json");
  return golden;
}

TopologyPtr GoldenTopology() {
  std::vector<NodeInfo> nodes;
  for (const auto& node : Golden().at("nodes")) {
    NodeInfo info;
    info.address = node.at("address");
    info.datacenter = node.at("data_center");
    info.rack = node.at("rack");
    info.host_id = Uuid::Parse(node.at("host_id").get<std::string>()).value();
    for (const auto& token : node.at("tokens")) {
      info.tokens.push_back(ring::Token::Parse(token.get<std::string>()).value());
    }
    nodes.push_back(std::move(info));
  }
  return MakeTopology("cqlsim", std::move(nodes)).value();
}

const TableSchema& Table(const char* keyspace, const char* name) {
  return *SystemSchema().FindTable(keyspace, name);
}

const cql::Value& Cell(const TableSchema& table, const Row& row, const char* column) {
  return row.at(static_cast<size_t>(table.FindColumn(column)));
}

std::set<std::string> TextSet(const cql::Value& value) {
  std::set<std::string> out;
  for (const cql::Value& element : value.elements()) out.insert(element.as_string());
  return out;
}

std::set<std::string> JsonSet(const nlohmann::json& array) {
  return std::set<std::string>(array.begin(), array.end());
}

Schema VersionedSchema() {
  Schema schema;
  schema.version = Uuid::Parse("615dba92-abd2-3c89-a631-4463b41bee03").value();
  return schema;
}

TEST(SystemLocalTest, EachNodeDescribesItselfAsTheRealNodeDid) {
  const TopologyPtr topology = GoldenTopology();
  const TableSchema& local = Table("system", "local");
  const Schema schema = VersionedSchema();

  for (ring::HostIndex i = 0; i < topology->num_nodes(); ++i) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows, SystemTableRows(local, *topology, schema, i));

    const nlohmann::json& golden = Golden().at("nodes").at(i);
    ASSERT_EQ(rows.size(), 1u);
    const Row& row = rows[0];
    EXPECT_EQ(Cell(local, row, "key").as_string(), "local");
    EXPECT_EQ(Cell(local, row, "host_id").as_uuid().ToString(), golden.at("host_id"));
    EXPECT_EQ(Cell(local, row, "data_center").as_string(), golden.at("data_center"));
    EXPECT_EQ(Cell(local, row, "rack").as_string(), golden.at("rack"));
    EXPECT_EQ(Cell(local, row, "partitioner").as_string(), golden.at("partitioner"));
    EXPECT_EQ(Cell(local, row, "native_protocol_version").as_string(),
              golden.at("native_protocol_version"));
    EXPECT_EQ(Cell(local, row, "broadcast_address").as_inet().ToString(),
              golden.at("broadcast_address"));
    EXPECT_EQ(Cell(local, row, "listen_address").as_inet().ToString(), golden.at("listen_address"));
    EXPECT_EQ(Cell(local, row, "rpc_address").as_inet().ToString(), golden.at("rpc_address"));
    EXPECT_EQ(TextSet(Cell(local, row, "tokens")), JsonSet(golden.at("tokens")));
    EXPECT_EQ(Cell(local, row, "tokens").elements().size(), 16u);
    EXPECT_EQ(Cell(local, row, "schema_version").as_uuid(), schema.version);
  }
}

TEST(SystemLocalTest, EqualsTheCapturedRowButForOurOwnValues) {
  const TopologyPtr topology = GoldenTopology();
  const TableSchema& local = Table("system", "local");
  const std::vector<testing::CapturedRows> captured = testing::LoadCapturedSystemRows();
  const std::set<std::string> ours = {"cluster_name", "release_version", "schema_version",
                                      "gossip_generation", "truncated_at"};
  size_t compared = 0;

  for (const char* capture : {"v4", "v5"}) {
    const testing::CapturedRows* real =
        testing::FindSelectStar(captured, capture, "system", "local",
                                /*allow_where=*/true);
    ASSERT_NE(real, nullptr);
    // The server offered v5 to both drivers, so both read "5".
    SystemTableOptions options;
    options.native_protocol_version = 5;
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows,
                                 SystemTableRows(local, *topology, VersionedSchema(), 0, options));

    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(real->rows.size(), 1u);
    for (size_t c = 0; c < local.columns.size(); ++c) {
      if (ours.contains(local.columns[c].name)) continue;
      ++compared;
      EXPECT_TRUE(rows[0][c] == real->rows[0][c])
          << local.columns[c].name << ": " << rows[0][c].ToString() << " vs "
          << real->rows[0][c].ToString();
    }
  }
  EXPECT_EQ(compared, 2u * 15);
}

TEST(SystemPeersTest, EachNodeListsTheOthersAsTheRealNodesDid) {
  const TopologyPtr topology = GoldenTopology();
  const TableSchema& peers = Table("system", "peers");
  const TableSchema& peers_v2 = Table("system", "peers_v2");

  for (ring::HostIndex i = 0; i < topology->num_nodes(); ++i) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto v1, SystemTableRows(peers, *topology, Schema{}, i));
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto v2, SystemTableRows(peers_v2, *topology, Schema{}, i));

    const std::string self = Golden().at("nodes").at(i).at("address");
    const nlohmann::json& golden = Golden().at("peers_by_node").at(self);
    ASSERT_EQ(v1.size(), golden.size());
    ASSERT_EQ(v2.size(), golden.size());
    for (const auto& expected : golden) {
      size_t matches = 0;
      for (const Row& row : v1) {
        if (Cell(peers, row, "peer").as_inet().ToString() != expected.at("peer")) continue;
        ++matches;
        EXPECT_EQ(Cell(peers, row, "rpc_address").as_inet().ToString(), expected.at("rpc_address"));
        EXPECT_EQ(Cell(peers, row, "data_center").as_string(), expected.at("data_center"));
        EXPECT_EQ(Cell(peers, row, "rack").as_string(), expected.at("rack"));
        EXPECT_EQ(Cell(peers, row, "host_id").as_uuid().ToString(), expected.at("host_id"));
        EXPECT_EQ(TextSet(Cell(peers, row, "tokens")), JsonSet(expected.at("tokens")));
        EXPECT_TRUE(Cell(peers, row, "preferred_ip").is_null());
      }
      for (const Row& row : v2) {
        if (Cell(peers_v2, row, "peer").as_inet().ToString() != expected.at("peer")) continue;
        ++matches;
        EXPECT_EQ(Cell(peers_v2, row, "native_address").as_inet().ToString(),
                  expected.at("rpc_address"));
        EXPECT_EQ(Cell(peers_v2, row, "native_port").as_int64(), 9042);
        EXPECT_EQ(Cell(peers_v2, row, "peer_port").as_int64(), 7000);
        EXPECT_EQ(Cell(peers_v2, row, "host_id").as_uuid().ToString(), expected.at("host_id"));
        EXPECT_EQ(TextSet(Cell(peers_v2, row, "tokens")), JsonSet(expected.at("tokens")));
      }
      EXPECT_EQ(matches, 2u) << "peer " << expected.at("peer") << " of " << self;
    }
  }
}

TEST(SystemPeersTest, PeersV2EqualsTheCapturedRowsButForOurOwnValues) {
  const TopologyPtr topology = GoldenTopology();
  const TableSchema& peers_v2 = Table("system", "peers_v2");
  const std::vector<testing::CapturedRows> captured = testing::LoadCapturedSystemRows();
  const testing::CapturedRows* real = testing::FindSelectStar(captured, "v5", "system", "peers_v2");
  ASSERT_NE(real, nullptr);

  CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows, SystemTableRows(peers_v2, *topology, Schema{}, 0));

  ASSERT_EQ(rows.size(), real->rows.size());
  size_t compared = 0;
  for (const Row& expected : real->rows) {
    for (const Row& row : rows) {
      if (!(row[0] == expected[0])) continue;  // same peer
      for (size_t c = 0; c < peers_v2.columns.size(); ++c) {
        const std::string& name = peers_v2.columns[c].name;
        if (name == "release_version" || name == "schema_version") continue;
        ++compared;
        EXPECT_TRUE(row[c] == expected[c]) << name << ": " << row[c].ToString();
      }
    }
  }
  EXPECT_EQ(compared, 2u * 10);
}

TEST(SystemPeersTest, DownNodesStayInPeers) {
  const TopologyPtr topology = WithNodeStatus(*GoldenTopology(), 2, false);

  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto rows, SystemTableRows(Table("system", "peers_v2"), *topology, Schema{}, 0));

  ASSERT_EQ(rows.size(), 2u);
  std::set<std::string> addresses;
  for (const Row& row : rows) addresses.insert(row[0].as_inet().ToString());
  EXPECT_EQ(addresses, (std::set<std::string>{"127.0.0.2", "127.0.0.3"}));
}

TEST(SystemLocalTest, ReportsTheOfferedProtocolVersion) {
  const TopologyPtr topology = GoldenTopology();
  const TableSchema& local = Table("system", "local");

  SystemTableOptions options;
  options.native_protocol_version = 4;

  CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows, SystemTableRows(local, *topology, Schema{}, 1, options));

  EXPECT_EQ(Cell(local, rows.at(0), "native_protocol_version").as_string(), "4");
}

TEST(SystemTablesTest, RejectsACoordinatorOutsideTheTopology) {
  const TopologyPtr topology = GoldenTopology();

  EXPECT_THAT(SystemTableRows(Table("system", "local"), *topology, Schema{}, 3),
              cqlbulk::testing::IsError(ErrorCode::kInvalidArgument));
}

TEST(SystemTablesTest, TablesCqlsimDoesNotFillHaveNoRows) {
  const TopologyPtr topology = GoldenTopology();

  for (const char* name :
       {"functions", "aggregates", "views", "indexes", "triggers", "dropped_columns"}) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto rows, SystemTableRows(Table("system_schema", name), *topology, Schema{}, 0));
    EXPECT_TRUE(rows.empty()) << name;
  }
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows,
                               SystemTableRows(Table("system", "paxos"), *topology, Schema{}, 0));
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace cqlbulk::sim
