// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/model/schema.h"

#include <charconv>

namespace cqlbulk::sim {


int TableSchema::FindColumn(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

int64_t TableSchema::default_time_to_live() const {
  auto it = options.find("default_time_to_live");
  if (it == options.end()) return 0;
  int64_t ttl = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), ttl);
  return ttl;
}

cql::DataTypePtr UserTypeSchema::AsDataType(bool frozen) const {
  return cql::DataType::Udt(keyspace, name, field_names, field_types, frozen);
}

const KeyspaceSchema* Schema::FindKeyspace(std::string_view keyspace) const {
  auto it = keyspaces.find(std::string(keyspace));
  return it == keyspaces.end() ? nullptr : it->second.get();
}

const TableSchema* Schema::FindTable(std::string_view keyspace, std::string_view table) const {
  const KeyspaceSchema* ks = FindKeyspace(keyspace);
  if (ks == nullptr) return nullptr;
  auto it = ks->tables.find(std::string(table));
  return it == ks->tables.end() ? nullptr : it->second.get();
}

}  // namespace cqlbulk::sim
