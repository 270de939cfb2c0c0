// SPDX-License-Identifier: Apache-2.0
// SystemTableRows(): which table is filled by what, and the helpers the fillers share.
#include "cqlbulk/sim/system_tables/system_tables.h"

#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim {
namespace internal {

RowBuilder& RowBuilder::Set(std::string_view column, cql::Value value) {
  const int index = table_->FindColumn(column);
  if (index >= 0) {
    cql::NormalizeCollections(value);
    row_[static_cast<size_t>(index)] = std::move(value);
  }
  return *this;
}

namespace {

/// ColumnIdentifier.maybeQuote: plain lower-case identifiers print bare.
std::string MaybeQuote(const std::string& name) {
  bool plain = !name.empty() && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string TypeText(const cql::DataType& type, bool nested) {
  auto params = [&](size_t first) {
    std::string out;
    for (size_t i = first; i < type.params.size(); ++i) {
      if (i > first) out += ", ";
      out += TypeText(*type.params[i], true);
    }
    return out;
  };
  const bool frozen = type.frozen || nested;
  std::string inner;
  switch (type.id) {
    case cql::TypeId::kList:
      inner = "list<" + params(0) + ">";
      break;
    case cql::TypeId::kSet:
      inner = "set<" + params(0) + ">";
      break;
    case cql::TypeId::kMap:
      inner = "map<" + params(0) + ">";
      break;
    case cql::TypeId::kTuple:
      // Tuples are always frozen in Cassandra 4.0 and print so.
      return "frozen<tuple<" + params(0) + ">>";
    case cql::TypeId::kUdt:
      inner = MaybeQuote(type.name);
      break;
    case cql::TypeId::kVector:
      return "vector<" + TypeText(*type.params[0], false) + ", " + std::to_string(type.dimension) +
             ">";
    default:
      return type.ToCql();
  }
  return frozen ? "frozen<" + inner + ">" : inner;
}

}  // namespace

std::string SchemaTypeText(const cql::DataType& type) { return TypeText(type, false); }

void SortRows(const TableSchema& table, Rows& rows) {
  const size_t num_keys =
      std::min(table.num_partition_key + table.num_clustering, table.columns.size());
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    for (size_t i = 0; i < num_keys; ++i) {
      std::weak_ordering order = cql::CompareValues(a[i], b[i]);
      if (order == 0) continue;
      const bool descending = i >= table.num_partition_key && table.columns[i].is_descending;
      return descending ? order > 0 : order < 0;
    }
    return false;
  });
}

std::vector<const KeyspaceSchema*> DescribedKeyspaces(const Schema& user_schema) {
  std::vector<const KeyspaceSchema*> out;
  for (const auto& [name, ks] : SystemSchema().keyspaces) {
    if (!IsVirtualKeyspace(name)) out.push_back(ks.get());
  }
  for (const auto& [name, ks] : user_schema.keyspaces) {
    if (!IsSystemKeyspace(name)) out.push_back(ks.get());
  }
  return out;
}

}  // namespace internal

Result<std::vector<std::vector<cql::Value>>> SystemTableRows(const TableSchema& table,
                                                             const Topology& topology,
                                                             const Schema& user_schema,
                                                             ring::HostIndex coordinator,
                                                             const SystemTableOptions& options) {
  if (coordinator >= topology.num_nodes()) {
    return InvalidArgument("node " + std::to_string(coordinator) + " is not in the topology");
  }
  const std::string& ks = table.keyspace;
  const std::string& name = table.name;
  internal::Rows rows;
  if (ks == "system") {
    if (name == "local") {
      CQLBULK_ASSIGN_OR_RETURN(
          rows, internal::LocalRows(table, topology, user_schema, coordinator, options));
    } else if (name == "peers" || name == "peers_v2") {
      CQLBULK_ASSIGN_OR_RETURN(
          rows, internal::PeersRows(table, topology, user_schema, coordinator, name == "peers_v2"));
    } else if (name == "size_estimates" || name == "table_estimates") {
      rows = internal::SizeEstimateRows(table, topology, user_schema, coordinator, options,
                                        name == "table_estimates");
    }
  } else if (ks == "system_schema") {
    if (name == "keyspaces") {
      rows = internal::SchemaKeyspacesRows(table, user_schema);
    } else if (name == "tables") {
      rows = internal::SchemaTablesRows(table, user_schema);
    } else if (name == "columns") {
      rows = internal::SchemaColumnsRows(table, user_schema);
    } else if (name == "types") {
      rows = internal::SchemaTypesRows(table, user_schema);
    }
  } else if (ks == "system_virtual_schema") {
    if (name == "keyspaces") {
      rows = internal::VirtualKeyspacesRows(table);
    } else if (name == "tables") {
      rows = internal::VirtualTablesRows(table);
    } else if (name == "columns") {
      rows = internal::VirtualColumnsRows(table);
    }
  }
  internal::SortRows(table, rows);
  return rows;
}

}  // namespace cqlbulk::sim
