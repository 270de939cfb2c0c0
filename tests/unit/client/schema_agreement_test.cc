// SPDX-License-Identifier: Apache-2.0
// Schema agreement as seen from one node: its own version (system.local) against its peers'.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/client/topology_builder.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::client {
namespace {

const char* const kOld = "11111111-1111-1111-1111-111111111111";
const char* const kNew = "22222222-2222-2222-2222-222222222222";

/// A RESULT Rows body with inet and uuid columns, and its parsed view (which borrows it).
struct SystemRows {
  Bytes body;
  cql::RowsResult rows;
};

SystemRows MakeRows(const std::vector<std::string>& inet_columns,
                    const std::vector<std::pair<std::vector<std::string>, std::string>>& rows) {
  cql::RowsMetadata metadata;
  auto inet = cql::DataType::Native(cql::TypeId::kInet);
  auto uuid = cql::DataType::Native(cql::TypeId::kUuid);
  for (const std::string& name : inet_columns) {
    metadata.columns.push_back({"system", "t", name, inet});
  }
  metadata.columns.push_back({"system", "t", "schema_version", uuid});
  metadata.columns_count = static_cast<int32_t>(metadata.columns.size());
  cql::RowsBuilder builder(metadata, 5);
  for (const auto& [addresses, version] : rows) {
    std::vector<Bytes> cells;
    for (const std::string& a : addresses) {
      cells.push_back(*cql::EncodeValueToBytes(*inet, cql::Value::Inet(*cql::IpAddress::Parse(a))));
    }
    cells.push_back(*cql::EncodeValueToBytes(*uuid, cql::Value::Uuid(*Uuid::Parse(version))));
    std::vector<std::optional<BytesView>> views(cells.begin(), cells.end());
    EXPECT_TRUE(builder.AddRow(views).has_value());
  }
  SystemRows out{.body = *std::move(builder).FinishBody(), .rows = {}};
  out.rows = *cql::ParseRowsResult(out.body, 5);
  return out;
}

TopologyPtr ThreeHosts(std::optional<size_t> down = std::nullopt) {
  TopologyData data;
  data.partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
  for (int i = 0; i < 3; ++i) {
    HostInfo h;
    h.address = "127.0.0." + std::to_string(i + 1);
    h.datacenter = "dc1";
    h.tokens = {ring::Token(i * 100)};
    h.is_up = !down || *down != static_cast<size_t>(i);
    data.hosts.push_back(h);
  }
  return *TopologySnapshot::Make(std::move(data));
}

/// What node 1 reports: its own version and those of peers 2 and 3.
Result<bool> AgreesFromNode1(const char* self, const char* peer2, const char* peer3,
                             const TopologySnapshot& known) {
  SystemRows local = MakeRows({"rpc_address"}, {{{"127.0.0.1"}, self}});
  SystemRows peers = MakeRows({"peer", "rpc_address"}, {{{"127.0.0.2", "127.0.0.2"}, peer2},
                                                        {{"127.0.0.3", "127.0.0.3"}, peer3}});
  return SchemaAgreesFrom(local.rows, peers.rows, "127.0.0.1", 9042, 9042, known);
}

TEST(SchemaAgreementTest, TheNodeThatRanTheChangeWaitsForEveryPeer) {
  auto known = ThreeHosts();
  EXPECT_TRUE(*AgreesFromNode1(kNew, kNew, kNew, *known));
  // Node 1 ran the change: it has the new version, peer 3 has not reported it yet.
  EXPECT_FALSE(*AgreesFromNode1(kNew, kNew, kOld, *known));
  EXPECT_FALSE(*AgreesFromNode1(kNew, kOld, kOld, *known));
}

TEST(SchemaAgreementTest, APeerThatIsDownCannotDisagree) {
  EXPECT_TRUE(*AgreesFromNode1(kNew, kNew, kOld, *ThreeHosts(2)));
  EXPECT_FALSE(*AgreesFromNode1(kNew, kNew, kOld, *ThreeHosts(1)));
}

TEST(SchemaAgreementTest, APeerTheSnapshotDoesNotKnowYetCounts) {
  auto known = ThreeHosts();
  SystemRows local = MakeRows({"rpc_address"}, {{{"127.0.0.1"}, kNew}});
  SystemRows peers = MakeRows({"peer", "rpc_address"}, {{{"127.0.0.2", "127.0.0.2"}, kNew},
                                                        {{"127.0.0.3", "127.0.0.3"}, kNew},
                                                        {{"127.0.0.9", "127.0.0.9"}, kOld}});
  EXPECT_FALSE(*SchemaAgreesFrom(local.rows, peers.rows, "127.0.0.1", 9042, 9042, *known));
}

}  // namespace
}  // namespace cqlbulk::client
