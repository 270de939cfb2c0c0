// SPDX-License-Identifier: Apache-2.0
// The statements a load binds its rows to, from the table and the options' mapping.
#include <algorithm>
#include <string>
#include <vector>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/ops/load_internal.h"

namespace cqlbulk::ops::load_internal {

/// The statements rows are bound to (texts, and which schema field feeds each bind marker), the
/// target schema and the source fields.
Status BuildStatements(LoadState& state, const client::TableMetadata& table) {
  const LoadOptions& options = *state.options;
  std::vector<std::string> columns;
  if (options.mapping.empty()) {
    // By name; CSV without a header: the columns in the table's order, by position.
    const bool by_position = options.format == FileFormat::kCsv && !options.csv.header;
    for (const auto& c : table.columns) {
      state.source_fields.push_back(by_position ? std::to_string(columns.size()) : c.name);
      columns.push_back(c.name);
    }
  } else {
    for (const auto& [column, field] : options.mapping) {
      if (table.FindColumn(column) == nullptr) {
        return InvalidArgument("--mapping names column '" + column + "', which table " +
                               table.keyspace + "." + table.name + " does not have");
      }
      columns.push_back(column);
      state.source_fields.push_back(field);
    }
  }
  for (size_t i : table.partition_key) {
    const std::string& name = table.columns[i].name;
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) {
      return InvalidArgument("the mapping leaves out partition key column " + name);
    }
    state.key_names.push_back(name);
  }
  CQLBULK_ASSIGN_OR_RETURN(data::SchemaPtr base, TableSchema(table, columns));
  auto schema = std::make_shared<data::Schema>(*base);
  std::optional<size_t> ttl_field, writetime_field;
  if (!options.ttl_field.empty()) {
    ttl_field = schema->fields.size();
    schema->fields.push_back({options.ttl_field, data::LogicalType::Int32(), true});
    state.source_fields.push_back(options.ttl_field);
  }
  if (!options.writetime_field.empty()) {
    writetime_field = schema->fields.size();
    schema->fields.push_back({options.writetime_field, data::LogicalType::Int64(), true});
    state.source_fields.push_back(options.writetime_field);
  }
  state.schema = schema;
  for (const auto& c : table.columns) state.counter |= c.type->id == cql::TypeId::kCounter;

  std::string target = QuoteCqlIdentifier(table.keyspace) + "." + QuoteCqlIdentifier(table.name);
  auto finish = [&](WriteStatement& statement) {
    statement.null_as_unset.resize(statement.bind_fields.size(), 0);
    for (size_t i = 0; i < statement.bind_fields.size(); ++i) {
      size_t field = statement.bind_fields[i];
      if (field == ttl_field || field == writetime_field) statement.null_as_unset[i] = 1;
    }
  };
  if (state.counter) {
    if (ttl_field || writetime_field || options.ttl > 0) {
      return InvalidArgument("a counter table takes no TTL or write time");
    }
    std::string sets, where;
    std::vector<size_t> set_fields, key_fields;
    for (size_t i = 0; i < columns.size(); ++i) {
      const client::ColumnMetadata* c = table.FindColumn(columns[i]);
      std::string q = QuoteCqlIdentifier(c->name);
      if (c->kind == cql::ColumnKind::kPartitionKey || c->kind == cql::ColumnKind::kClustering) {
        where += (where.empty() ? "" : " AND ") + q + " = ?";
        key_fields.push_back(i);
      } else {
        sets += (sets.empty() ? "" : ", ") + q + " = " + q + " + ?";
        set_fields.push_back(i);
      }
    }
    state.write.text = "UPDATE " + target + " SET " + sets + " WHERE " + where;
    state.write.bind_fields = set_fields;
    state.write.null_as_unset.assign(set_fields.size(), 1);
    state.write.bind_fields.insert(state.write.bind_fields.end(), key_fields.begin(),
                                   key_fields.end());
    finish(state.write);
  } else {
    auto insert_of = [&](const std::vector<size_t>& fields) {
      WriteStatement insert;
      std::string names, markers;
      for (size_t i : fields) {
        names += (names.empty() ? "" : ", ") + QuoteCqlIdentifier(columns[i]);
        markers += markers.empty() ? "?" : ", ?";
        insert.bind_fields.push_back(i);
      }
      insert.text = "INSERT INTO " + target + " (" + names + ") VALUES (" + markers + ")";
      std::string using_clause;
      if (ttl_field) {
        using_clause = "TTL ?";
        insert.bind_fields.push_back(*ttl_field);
      } else if (options.ttl > 0) {
        using_clause = "TTL " + std::to_string(options.ttl);
      }
      if (writetime_field) {
        using_clause += (using_clause.empty() ? "" : " AND ") + std::string("TIMESTAMP ?");
        insert.bind_fields.push_back(*writetime_field);
      }
      if (!using_clause.empty()) insert.text += " USING " + using_clause;
      finish(insert);
      return insert;
    };
    std::vector<size_t> every, statics;
    bool has_static = false;
    for (size_t i = 0; i < columns.size(); ++i) {
      every.push_back(i);
      cql::ColumnKind kind = table.FindColumn(columns[i])->kind;
      if (kind == cql::ColumnKind::kClustering) state.clustering_fields.push_back(i);
      if (kind == cql::ColumnKind::kPartitionKey || kind == cql::ColumnKind::kStatic) {
        statics.push_back(i);
      }
      has_static |= kind == cql::ColumnKind::kStatic;
    }
    state.write = insert_of(every);
    if (has_static && !state.clustering_fields.empty()) state.static_write = insert_of(statics);
  }
  for (const std::string& key : state.key_names) {
    for (size_t b = 0; b < state.write.bind_fields.size(); ++b) {
      size_t field = state.write.bind_fields[b];
      if (field < columns.size() && columns[field] == key) {
        state.key_binds.push_back(b);
        break;
      }
    }
  }
  return {};
}

}  // namespace cqlbulk::ops::load_internal
