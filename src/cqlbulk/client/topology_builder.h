// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "cqlbulk/client/topology.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/rows.h"

namespace cqlbulk::client {

/// The queries the control connection runs (all of each table: no paging needed in practice,
/// the control connection asks for large pages and follows paging states anyway).
inline constexpr std::string_view kSelectLocal = "SELECT * FROM system.local WHERE key='local'";
inline constexpr std::string_view kSelectPeersV2 = "SELECT * FROM system.peers_v2";
inline constexpr std::string_view kSelectPeers = "SELECT * FROM system.peers";
inline constexpr std::string_view kSelectKeyspaces = "SELECT * FROM system_schema.keyspaces";
inline constexpr std::string_view kSelectTables =
    "SELECT keyspace_name, table_name FROM system_schema.tables";
inline constexpr std::string_view kSelectColumns = "SELECT * FROM system_schema.columns";
inline constexpr std::string_view kSelectTypes = "SELECT * FROM system_schema.types";

/// \brief The rows of the system tables, as the control connection read them (borrowed).
struct SystemTablesRows {
  const cql::RowsResult* local = nullptr;
  const cql::RowsResult* peers = nullptr;  ///< system.peers_v2, or system.peers
  const cql::RowsResult* keyspaces = nullptr;
  const cql::RowsResult* tables = nullptr;
  const cql::RowsResult* columns = nullptr;
  const cql::RowsResult* types = nullptr;  ///< may be null (no UDTs then)
};

/// \brief Turns system-table rows into hosts and schema (sans-I/O).
///
/// The local host comes first. Its address is `connected_address` when system.local's
/// rpc_address is missing or a wildcard; peers use native_address/native_port (peers_v2) or
/// rpc_address and `default_port` (peers). Column types are parsed with UDTs resolved from
/// system_schema.types (types may use each other, in any order). kProtocol when a required
/// column is missing or malformed; kInvalidArgument for a type we cannot parse.
Result<TopologyData> BuildTopologyData(const SystemTablesRows& rows,
                                       std::string_view connected_address,
                                       uint16_t connected_port, uint16_t default_port);

/// \brief Whether every live host has the schema version of the node that answered `local`
/// and `peers` (system.local and system.peers_v2 or system.peers), as that node sees them.
///
/// Asked of the node that ran a schema change, which has the new version itself, this is
/// true only once every peer has reported the new version too; asked of another node, it
/// can be true too early, while that node and the others all still have the old one.
/// Hosts that `known` marks down are left out (they catch up when they come back).
Result<bool> SchemaAgreesFrom(const cql::RowsResult& local, const cql::RowsResult& peers,
                              std::string_view connected_address, uint16_t connected_port,
                              uint16_t default_port, const TopologySnapshot& known);

}  // namespace cqlbulk::client
