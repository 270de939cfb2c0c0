// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/types/column_kind.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/ring/replication.h"

namespace cqlbulk::sim {

using cql::ColumnKind;
using cql::ColumnKindName;

/// \brief One column of a table.
struct ColumnSchema {
  std::string name;
  cql::DataTypePtr type;
  ColumnKind kind = ColumnKind::kRegular;
  /// Position within the partition key or the clustering columns; -1 for the others
  /// (system_schema.columns.position).
  int position = -1;
  bool is_descending = false;  ///< clustering order DESC
};

/// \brief A table: its columns in a fixed order (partition key columns in key order, then
/// clustering columns in clustering order, then static columns sorted by name, then regular
/// columns sorted by name, which is the order `SELECT *` returns them in Cassandra).
struct TableSchema {
  std::string keyspace;
  std::string name;
  Uuid id;
  std::vector<ColumnSchema> columns;
  size_t num_partition_key = 0;  ///< columns [0, num_partition_key) are the partition key
  size_t num_clustering = 0;     ///< then num_clustering clustering columns
  bool is_counter = false;       ///< has counter columns (then all regular columns are)
  /// WITH options as Cassandra reports them in system_schema.tables (comment,
  /// default_time_to_live, gc_grace_seconds, ...), values as CQL literal text.
  std::map<std::string, std::string> options;

  /// Index into `columns`, or -1.
  int FindColumn(std::string_view column) const;
  const ColumnSchema& partition_key(size_t i) const { return columns[i]; }
  const ColumnSchema& clustering(size_t i) const { return columns[num_partition_key + i]; }
  int64_t default_time_to_live() const;
};

/// \brief A user-defined type.
struct UserTypeSchema {
  std::string keyspace;
  std::string name;
  std::vector<std::string> field_names;
  std::vector<cql::DataTypePtr> field_types;

  /// The frozen-or-not DataType of this UDT as columns use it.
  cql::DataTypePtr AsDataType(bool frozen) const;
};

/// \brief A keyspace with its tables and types.
struct KeyspaceSchema {
  std::string name;
  ring::ReplicationStrategy replication;
  /// The replication map as system_schema.keyspaces shows it (class fully qualified).
  std::map<std::string, std::string> replication_options;
  bool durable_writes = true;
  std::map<std::string, std::shared_ptr<const TableSchema>> tables;
  std::map<std::string, std::shared_ptr<const UserTypeSchema>> types;
};

/// \brief Every user keyspace: an immutable snapshot replaced as a whole by DDL, so readers
/// never lock. `version` changes with every change (system.local.schema_version).
struct Schema {
  Uuid version;
  std::map<std::string, std::shared_ptr<const KeyspaceSchema>> keyspaces;

  const KeyspaceSchema* FindKeyspace(std::string_view keyspace) const;
  const TableSchema* FindTable(std::string_view keyspace, std::string_view table) const;
};

using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace cqlbulk::sim
