// SPDX-License-Identifier: Apache-2.0
// system_schema.{keyspaces, tables, columns, types} and system_virtual_schema.*: the schema
// the drivers rebuild their metadata from.
#include <string>

#include "cqlbulk/ring/replication.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim::internal {
namespace {

cql::Value Text(std::string_view text) { return cql::Value::Text(std::string(text)); }

cql::Value TextList(const std::vector<std::string>& items) {
  cql::Value::Elements elements;
  for (const std::string& item : items) elements.push_back(Text(item));
  return cql::Value::List(std::move(elements));
}

/// The replication map from the strategy, for keyspaces made without `replication_options`.
std::map<std::string, std::string> ReplicationMap(const ring::ReplicationStrategy& strategy) {
  std::map<std::string, std::string> out;
  if (strategy.replication_class() == ring::ReplicationClass::kSimple) {
    out["class"] = "org.apache.cassandra.locator.SimpleStrategy";
    out["replication_factor"] = std::to_string(strategy.replication_factor());
    return out;
  }
  out["class"] = "org.apache.cassandra.locator.NetworkTopologyStrategy";
  for (const auto& [dc, factor] : strategy.datacenter_factors()) {
    out[dc] = std::to_string(factor);
  }
  return out;
}

cql::Value TextMap(const std::map<std::string, std::string>& map) {
  cql::Value::Entries entries;
  for (const auto& [key, value] : map) entries.emplace_back(Text(key), Text(value));
  return cql::Value::Map(std::move(entries));
}

std::string_view ClusteringOrder(const ColumnSchema& column) {
  if (column.kind != ColumnKind::kClustering) return "none";
  return column.is_descending ? "desc" : "asc";
}

/// One system_schema.columns (or system_virtual_schema.columns) row per column of `source`.
void AppendColumnRows(const TableSchema& table, const TableSchema& source, Rows& rows) {
  for (const ColumnSchema& column : source.columns) {
    RowBuilder row(table);
    row.Set("keyspace_name", Text(source.keyspace))
        .Set("table_name", Text(source.name))
        .Set("column_name", Text(column.name))
        .Set("clustering_order", Text(ClusteringOrder(column)))
        .Set("column_name_bytes", cql::Value::Blob(Bytes(column.name.begin(), column.name.end())))
        .Set("kind", Text(ColumnKindName(column.kind)))
        .Set("position", cql::Value::Int(column.kind == ColumnKind::kPartitionKey ||
                                                 column.kind == ColumnKind::kClustering
                                             ? column.position
                                             : -1))
        .Set("type", Text(column.type ? SchemaTypeText(*column.type) : "blob"));
    rows.push_back(std::move(row).Build());
  }
}

std::vector<const KeyspaceSchema*> VirtualKeyspaces() {
  std::vector<const KeyspaceSchema*> out;
  for (const auto& [name, ks] : SystemSchema().keyspaces) {
    if (IsVirtualKeyspace(name)) out.push_back(ks.get());
  }
  return out;
}

/// A table's comment: its "comment" option without the literal's quotes.
std::string Comment(const TableSchema& source) {
  auto it = source.options.find("comment");
  if (it == source.options.end()) return "";
  std::string_view literal = it->second;
  if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') {
    return std::string(literal);
  }
  literal = literal.substr(1, literal.size() - 2);
  std::string out;
  for (size_t i = 0; i < literal.size(); ++i) {
    out += literal[i];
    if (literal[i] == '\'' && i + 1 < literal.size() && literal[i + 1] == '\'') ++i;
  }
  return out;
}

}  // namespace

Rows SchemaKeyspacesRows(const TableSchema& table, const Schema& user_schema) {
  Rows rows;
  for (const KeyspaceSchema* ks : DescribedKeyspaces(user_schema)) {
    RowBuilder row(table);
    row.Set("keyspace_name", Text(ks->name))
        .Set("durable_writes", cql::Value::Boolean(ks->durable_writes))
        .Set("replication",
             TextMap(ks->replication_options.empty() ? ReplicationMap(ks->replication)
                                                     : ks->replication_options));
    rows.push_back(std::move(row).Build());
  }
  return rows;
}

Rows SchemaTablesRows(const TableSchema& table, const Schema& user_schema) {
  Rows rows;
  for (const KeyspaceSchema* ks : DescribedKeyspaces(user_schema)) {
    for (const auto& [name, source] : ks->tables) {
      RowBuilder row(table);
      row.Set("keyspace_name", Text(source->keyspace)).Set("table_name", Text(source->name));
      SetTableOptions(table, *source, row);
      rows.push_back(std::move(row).Build());
    }
  }
  return rows;
}

Rows SchemaColumnsRows(const TableSchema& table, const Schema& user_schema) {
  Rows rows;
  for (const KeyspaceSchema* ks : DescribedKeyspaces(user_schema)) {
    for (const auto& [name, source] : ks->tables) AppendColumnRows(table, *source, rows);
  }
  return rows;
}

Rows SchemaTypesRows(const TableSchema& table, const Schema& user_schema) {
  Rows rows;
  for (const KeyspaceSchema* ks : DescribedKeyspaces(user_schema)) {
    for (const auto& [name, type] : ks->types) {
      std::vector<std::string> field_types;
      for (const cql::DataTypePtr& field : type->field_types) {
        field_types.push_back(field ? SchemaTypeText(*field) : "blob");
      }
      RowBuilder row(table);
      row.Set("keyspace_name", Text(ks->name))
          .Set("type_name", Text(type->name))
          .Set("field_names", TextList(type->field_names))
          .Set("field_types", TextList(field_types));
      rows.push_back(std::move(row).Build());
    }
  }
  return rows;
}

Rows VirtualKeyspacesRows(const TableSchema& table) {
  Rows rows;
  for (const KeyspaceSchema* ks : VirtualKeyspaces()) {
    rows.push_back(RowBuilder(table).Set("keyspace_name", Text(ks->name)).Build());
  }
  return rows;
}

Rows VirtualTablesRows(const TableSchema& table) {
  Rows rows;
  for (const KeyspaceSchema* ks : VirtualKeyspaces()) {
    for (const auto& [name, source] : ks->tables) {
      RowBuilder row(table);
      row.Set("keyspace_name", Text(source->keyspace))
          .Set("table_name", Text(source->name))
          .Set("comment", Text(Comment(*source)));
      rows.push_back(std::move(row).Build());
    }
  }
  return rows;
}

Rows VirtualColumnsRows(const TableSchema& table) {
  Rows rows;
  for (const KeyspaceSchema* ks : VirtualKeyspaces()) {
    for (const auto& [name, source] : ks->tables) AppendColumnRows(table, *source, rows);
  }
  return rows;
}

}  // namespace cqlbulk::sim::internal
