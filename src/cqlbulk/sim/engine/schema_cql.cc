// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/sim/engine/schema_cql.h"

#include <algorithm>
#include <set>

#include "cqlbulk/sim/engine/table_options.h"

namespace cqlbulk::sim {
namespace {

bool Mentions(const cql::DataType& type, const std::string& udt) {
  if (type.id == cql::TypeId::kUdt && type.name == udt) return true;
  return std::any_of(type.params.begin(), type.params.end(),
                     [&](const cql::DataTypePtr& p) { return Mentions(*p, udt); });
}

}  // namespace

std::string KeyspaceToCql(const KeyspaceSchema& keyspace) {
  return "CREATE KEYSPACE " + QuoteCqlIdentifier(keyspace.name) + " WITH replication = " +
         MapLiteral(keyspace.replication_options) +
         " AND durable_writes = " + (keyspace.durable_writes ? "true" : "false");
}

std::string TypeToCql(const UserTypeSchema& type) {
  std::string out = "CREATE TYPE " + QuoteCqlIdentifier(type.keyspace) + "." + QuoteCqlIdentifier(type.name) + " (";
  for (size_t i = 0; i < type.field_names.size(); ++i) {
    out += (i ? ", " : "") + QuoteCqlIdentifier(type.field_names[i]) + " " + type.field_types[i]->ToCql();
  }
  return out + ")";
}

std::string TableToCql(const TableSchema& table) {
  std::string out = "CREATE TABLE " + QuoteCqlIdentifier(table.keyspace) + "." + QuoteCqlIdentifier(table.name) + " (";
  for (const ColumnSchema& c : table.columns) {
    out += QuoteCqlIdentifier(c.name) + " " + c.type->ToCql() +
           (c.kind == ColumnKind::kStatic ? " static" : "") + ", ";
  }
  out += "PRIMARY KEY ((";
  for (size_t i = 0; i < table.num_partition_key; ++i) {
    out += (i ? ", " : "") + QuoteCqlIdentifier(table.partition_key(i).name);
  }
  out += ")";
  for (size_t i = 0; i < table.num_clustering; ++i) out += ", " + QuoteCqlIdentifier(table.clustering(i).name);
  out += ")) WITH ";
  if (table.num_clustering > 0) {
    out += "CLUSTERING ORDER BY (";
    for (size_t i = 0; i < table.num_clustering; ++i) {
      out += (i ? ", " : "") + QuoteCqlIdentifier(table.clustering(i).name) +
             (table.clustering(i).is_descending ? " DESC" : " ASC");
    }
    out += ") AND ";
  }
  out += "id = " + table.id.ToString();
  for (const auto& [name, value] : table.options) {
    if (name == "flags") continue;
    out += " AND " + name + " = " + value;
  }
  return out;
}

std::vector<std::string> SchemaToCql(const Schema& schema) {
  std::vector<std::string> out;
  for (const auto& [name, keyspace] : schema.keyspaces) {
    out.push_back(KeyspaceToCql(*keyspace));
    // Types that use no type not yet written come first.
    std::set<std::string> written;
    std::vector<const UserTypeSchema*> pending;
    for (const auto& [type_name, type] : keyspace->types) pending.push_back(type.get());
    while (!pending.empty()) {
      size_t before = pending.size();
      std::erase_if(pending, [&](const UserTypeSchema* type) {
        for (const auto& [other, unused] : keyspace->types) {
          if (other == type->name || written.count(other) != 0) continue;
          for (const auto& field : type->field_types) {
            if (Mentions(*field, other)) return false;
          }
        }
        out.push_back(TypeToCql(*type));
        written.insert(type->name);
        return true;
      });
      if (pending.size() == before) break;  // a cycle cannot be written
    }
    for (const auto& [table_name, table] : keyspace->tables) out.push_back(TableToCql(*table));
  }
  return out;
}

std::vector<std::string> SplitCqlScript(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  char quote = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (quote != 0) {
      current += c;
      if (c == quote) {
        if (i + 1 < script.size() && script[i + 1] == quote) {
          current += script[++i];
        } else {
          quote = 0;
        }
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      current += c;
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
    } else if (c == ';') {
      if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

}  // namespace cqlbulk::sim
