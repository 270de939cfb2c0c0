// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/model/topology.h"

namespace cqlbulk::sim {

/// \brief The read-only keyspaces Cassandra 4.0 has beside the user's: system, system_schema,
/// system_auth, system_distributed, system_traces, system_virtual_schema, system_views.
bool IsSystemKeyspace(std::string_view keyspace);

/// \brief The virtual keyspaces (system_views, system_virtual_schema): described in
/// system_virtual_schema.*, never in system_schema.*.
bool IsVirtualKeyspace(std::string_view keyspace);

/// \brief The schema of the system keyspaces and of the tables cqlsim fills (system.local,
/// system.peers, system.peers_v2, system.size_estimates, system_schema.*,
/// system_virtual_schema.*), with Cassandra 4.0's column names and types. The same object on
/// every call.
///
/// Every table Cassandra 4.0 has in those keyspaces is there (40 in system, system_schema,
/// system_auth, system_distributed, system_traces; 21 virtual ones), with its table options
/// and its id (Cassandra's name-based UUID of keyspace + table). Node-local keyspaces use
/// LocalStrategy in Cassandra, which ring::ReplicationStrategy cannot express: their
/// `replication` is a SimpleStrategy(1) stand-in and `replication_options` names
/// LocalStrategy; the engine answers them from the coordinator alone.
const Schema& SystemSchema();

/// \brief One table's size over the whole cluster, each partition counted once.
struct TableSizeEstimate {
  int64_t num_partitions = 0;
  int64_t mean_partition_size_bytes = 0;
};

/// \brief Supplies the size of a table for system.size_estimates and system.table_estimates,
/// or nullopt when it has none (its rows then show 0 partitions of 0 bytes). Called once per
/// table of every non-local keyspace, under the caller's locking.
using TableSizeEstimator = std::function<std::optional<TableSizeEstimate>(const TableSchema&)>;

/// \brief What the system tables show beyond topology and schema.
struct SystemTableOptions {
  /// system.local.native_protocol_version: the highest protocol version the node offers.
  int native_protocol_version = 5;
  /// system.local.gossip_generation: seconds since the epoch when the node started.
  int32_t gossip_generation = 0;
  /// \brief Sizes for system.size_estimates / system.table_estimates; unset: all zero.
  ///
  /// A table's partitions are spread over the ring in proportion to range sizes: a range
  /// (s, e] gets floor(N * pos(e) / 2^64) - floor(N * pos(s) / 2^64) of the N partitions,
  /// pos() counting ring positions from the minimum token. The counts of all nodes' primary
  /// ranges therefore sum to exactly N (no rounding drift); each range's count is within one
  /// of N * size / 2^64. Every row's mean_partition_size is the table's mean.
  TableSizeEstimator size_estimator;
};

/// \brief The rows of a system table as node `coordinator` answers for it, each a Value per
/// column of `table` (in its column order; a null Value for no value), in the table's
/// clustering order within each partition (and partitions grouped, ordered by key value; the
/// engine orders partitions by token). `user_schema` is described in system_schema.*
/// together with the system keyspaces themselves. Tables cqlsim does not fill have no rows.
///
/// Filled tables: system.local (the coordinator), system.peers and system.peers_v2 (every
/// other node, down ones included), system.size_estimates and system.table_estimates (the
/// coordinator's primary ranges per non-local keyspace, wrapping ranges split at the minimum
/// token as Cassandra 4.0 does), system_schema.{keyspaces, tables, columns, types} (the system
/// keyspaces, then `user_schema`), the other system_schema tables (no rows: cqlsim has no
/// functions, aggregates, views, indexes, triggers or dropped columns), and
/// system_virtual_schema.{keyspaces, tables, columns}.
///
/// kInvalidArgument when `coordinator` is not a node of `topology`.
Result<std::vector<std::vector<cql::Value>>> SystemTableRows(
    const TableSchema& table, const Topology& topology, const Schema& user_schema,
    ring::HostIndex coordinator, const SystemTableOptions& options = {});

}  // namespace cqlbulk::sim
