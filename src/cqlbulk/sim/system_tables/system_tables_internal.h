// SPDX-License-Identifier: Apache-2.0
// Module-private pieces of the system tables (system_tables.h), shared by the
// system_*.cc files.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/model/topology.h"
#include "cqlbulk/sim/system_tables/system_tables.h"

namespace cqlbulk::sim::internal {

using Row = std::vector<cql::Value>;
using Rows = std::vector<Row>;

/// \brief One table of a system keyspace, written compactly (system_table_defs.cc).
struct SystemTableDef {
  std::string_view keyspace;
  std::string_view name;
  std::string_view partition_key;  ///< column names in key order, comma-separated
  std::string_view clustering;     ///< column names in clustering order (all ASC)
  std::string_view columns;        ///< "name type, name type, ..." in any order
  std::string_view comment;
  std::string_view compaction = {};  ///< a map literal when not the keyspace's default
  int default_time_to_live = 0;
};

/// Tables of system, system_schema, system_auth, system_distributed and system_traces.
std::span<const SystemTableDef> SystemTableDefs();
/// Tables of system_views and system_virtual_schema.
std::span<const SystemTableDef> VirtualTableDefs();

/// \brief Fills a row of `table` by column name; columns never set stay null.
class RowBuilder {
 public:
  explicit RowBuilder(const TableSchema& table) : table_(&table), row_(table.columns.size()) {}

  /// Sets `column`; a name the table does not have is ignored.
  RowBuilder& Set(std::string_view column, cql::Value value);
  /// The row; the builder is left empty.
  Row Build() { return std::move(row_); }

 private:
  const TableSchema* table_;
  Row row_;
};

/// \brief A CQL type as system_schema.columns.type and system_schema.types.field_types print
/// it: "text" for text/varchar, "frozen<list<int>>", tuples always "frozen<tuple<...>>",
/// collections, tuples and UDTs nested in another type always frozen<>, UDT names
/// unqualified (double-quoted unless a plain lower-case identifier).
std::string SchemaTypeText(const cql::DataType& type);

/// Sorts rows by partition key value, then by clustering columns in the table's order.
void SortRows(const TableSchema& table, Rows& rows);

/// The keyspaces system_schema describes: the non-virtual system ones, then `user_schema`'s.
std::vector<const KeyspaceSchema*> DescribedKeyspaces(const Schema& user_schema);

/// system.local, system.peers, system.peers_v2 (system_local_peers.cc).
Result<Rows> LocalRows(const TableSchema& table, const Topology& topology,
                       const Schema& user_schema, ring::HostIndex coordinator,
                       const SystemTableOptions& options);
Result<Rows> PeersRows(const TableSchema& table, const Topology& topology,
                       const Schema& user_schema, ring::HostIndex coordinator, bool v2);

/// system.size_estimates, or system.table_estimates when `table_estimates`
/// (system_size_estimates.cc).
Rows SizeEstimateRows(const TableSchema& table, const Topology& topology, const Schema& user_schema,
                      ring::HostIndex coordinator, const SystemTableOptions& options,
                      bool table_estimates);

/// system_schema.keyspaces / tables / columns / types (system_schema_rows.cc).
Rows SchemaKeyspacesRows(const TableSchema& table, const Schema& user_schema);
Rows SchemaTablesRows(const TableSchema& table, const Schema& user_schema);
Rows SchemaColumnsRows(const TableSchema& table, const Schema& user_schema);
Rows SchemaTypesRows(const TableSchema& table, const Schema& user_schema);
/// system_virtual_schema.keyspaces / tables / columns.
Rows VirtualKeyspacesRows(const TableSchema& table);
Rows VirtualTablesRows(const TableSchema& table);
Rows VirtualColumnsRows(const TableSchema& table);

/// \brief Sets the option columns of a system_schema.tables row for `source`
/// (system_table_options.cc): each column from `source.options` when it parses as the
/// column's type, else Cassandra 4.0's default; short compaction / compression class names
/// are qualified and the default thresholds, chunk length and caching keys filled in.
void SetTableOptions(const TableSchema& tables_table, const TableSchema& source, RowBuilder& row);

}  // namespace cqlbulk::sim::internal
