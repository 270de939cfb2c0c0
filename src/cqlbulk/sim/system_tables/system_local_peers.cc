// SPDX-License-Identifier: Apache-2.0
// system.local, system.peers and system.peers_v2: what the drivers' control connections read
// to learn the cluster.
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/ip_address.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim::internal {
namespace {

/// Cassandra 4.0's CQL version and its default storage (internode) port.
constexpr std::string_view kCqlVersion = "3.4.5";
constexpr int32_t kStoragePort = 7000;

Result<cql::Value> Inet(const std::string& address) {
  auto ip = cql::IpAddress::Parse(address);
  if (!ip.has_value()) {
    return InvalidArgument("node address '" + address + "' is not a numeric IP address");
  }
  return cql::Value::Inet(*ip);
}

/// set<text> of the tokens in decimal (the set sorts them as text, as Cassandra stores them).
cql::Value Tokens(const NodeInfo& node) {
  cql::Value::Elements tokens;
  tokens.reserve(node.tokens.size());
  for (ring::Token token : node.tokens) tokens.push_back(cql::Value::Text(token.ToString()));
  return cql::Value::Set(std::move(tokens));
}

}  // namespace

Result<Rows> LocalRows(const TableSchema& table, const Topology& topology,
                       const Schema& user_schema, ring::HostIndex coordinator,
                       const SystemTableOptions& options) {
  const NodeInfo& node = topology.nodes.at(coordinator);
  CQLBULK_ASSIGN_OR_RETURN(cql::Value address, Inet(node.address));
  RowBuilder row(table);
  row.Set("key", cql::Value::Text("local"))
      .Set("bootstrapped", cql::Value::Text("COMPLETED"))
      .Set("broadcast_address", address)
      .Set("broadcast_port", cql::Value::Int(kStoragePort))
      .Set("cluster_name", cql::Value::Text(topology.cluster_name))
      .Set("cql_version", cql::Value::Text(std::string(kCqlVersion)))
      .Set("data_center", cql::Value::Text(node.datacenter))
      .Set("gossip_generation", cql::Value::Int(options.gossip_generation))
      .Set("host_id", cql::Value::Uuid(node.host_id))
      .Set("listen_address", address)
      .Set("listen_port", cql::Value::Int(kStoragePort))
      .Set("native_protocol_version",
           cql::Value::Text(std::to_string(options.native_protocol_version)))
      .Set("partitioner", cql::Value::Text(topology.partitioner))
      .Set("rack", cql::Value::Text(node.rack))
      .Set("release_version", cql::Value::Text(topology.release_version))
      .Set("rpc_address", address)
      .Set("rpc_port", cql::Value::Int(node.native_port))
      .Set("schema_version", cql::Value::Uuid(user_schema.version))
      .Set("tokens", Tokens(node));
  // truncated_at stays null: nothing was ever truncated from a system table.
  Rows rows;
  rows.push_back(std::move(row).Build());
  return rows;
}

Result<Rows> PeersRows(const TableSchema& table, const Topology& topology,
                       const Schema& user_schema, ring::HostIndex coordinator, bool v2) {
  Rows rows;
  for (ring::HostIndex i = 0; i < topology.num_nodes(); ++i) {
    if (i == coordinator) continue;  // Cassandra keeps down nodes in peers: so do we
    const NodeInfo& node = topology.nodes[i];
    CQLBULK_ASSIGN_OR_RETURN(cql::Value address, Inet(node.address));
    RowBuilder row(table);
    row.Set("peer", address)
        .Set("data_center", cql::Value::Text(node.datacenter))
        .Set("host_id", cql::Value::Uuid(node.host_id))
        .Set("rack", cql::Value::Text(node.rack))
        .Set("release_version", cql::Value::Text(topology.release_version))
        .Set("schema_version", cql::Value::Uuid(user_schema.version))
        .Set("tokens", Tokens(node));
    // preferred_ip (and peers_v2's preferred_port) stay null, as on a cluster without
    // prefer_local.
    if (v2) {
      row.Set("peer_port", cql::Value::Int(kStoragePort))
          .Set("native_address", address)
          .Set("native_port", cql::Value::Int(node.native_port));
    } else {
      row.Set("rpc_address", address);
    }
    rows.push_back(std::move(row).Build());
  }
  return rows;
}

}  // namespace cqlbulk::sim::internal
