// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/topology_builder.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"

namespace cqlbulk::client {

namespace {

/// Every cell of a (small) system-table result, decoded, looked up by column name.
class NamedRows {
 public:
  static Result<NamedRows> Decode(const cql::RowsResult& rows) {
    NamedRows out;
    const auto& columns = rows.metadata.columns;
    for (size_t i = 0; i < columns.size(); ++i) {
      out.index_.emplace(columns[i].name, i);
    }
    cql::RowsCursor cursor = rows.cursor();
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, cursor.Next());
      if (!more) {
        break;
      }
      std::vector<cql::Value> row;
      row.reserve(columns.size());
      for (size_t i = 0; i < columns.size() && i < cursor.num_columns(); ++i) {
        auto value = cql::DecodeNullableValue(*columns[i].type, cursor.cell(i));
        row.push_back(value.has_value() ? std::move(*value) : cql::Value::Null());
      }
      out.rows_.push_back(std::move(row));
    }
    return out;
  }

  size_t size() const { return rows_.size(); }

  const cql::Value* Get(size_t row, std::string_view column) const {
    auto it = index_.find(column);
    if (it == index_.end() || it->second >= rows_[row].size()) {
      return nullptr;
    }
    const cql::Value& v = rows_[row][it->second];
    return v.is_null() || v.is_empty() ? nullptr : &v;
  }

  std::string Text(size_t row, std::string_view column) const {
    const cql::Value* v = Get(row, column);
    return v != nullptr && (v->kind() == cql::ValueKind::kText ||
                            v->kind() == cql::ValueKind::kAscii)
               ? v->as_string()
               : std::string();
  }

  std::string Inet(size_t row, std::string_view column) const {
    const cql::Value* v = Get(row, column);
    return v != nullptr && v->kind() == cql::ValueKind::kInet ? v->as_inet().ToString()
                                                              : std::string();
  }

  std::optional<int64_t> Int(size_t row, std::string_view column) const {
    const cql::Value* v = Get(row, column);
    if (v == nullptr || !v->is_integer()) {
      return std::nullopt;
    }
    return v->as_int64();
  }

  std::vector<std::string> TextList(size_t row, std::string_view column) const {
    std::vector<std::string> out;
    const cql::Value* v = Get(row, column);
    if (v == nullptr || (v->kind() != cql::ValueKind::kList && v->kind() != cql::ValueKind::kSet)) {
      return out;
    }
    for (const cql::Value& e : v->elements()) {
      if (e.kind() == cql::ValueKind::kText || e.kind() == cql::ValueKind::kAscii) {
        out.push_back(e.as_string());
      }
    }
    return out;
  }

  std::map<std::string, std::string> TextMap(size_t row, std::string_view column) const {
    std::map<std::string, std::string> out;
    const cql::Value* v = Get(row, column);
    if (v == nullptr || v->kind() != cql::ValueKind::kMap) {
      return out;
    }
    for (const auto& [key, value] : v->entries()) {
      if (key.kind() == cql::ValueKind::kText && value.kind() == cql::ValueKind::kText) {
        out.emplace(key.as_string(), value.as_string());
      }
    }
    return out;
  }

 private:
  std::map<std::string, size_t, std::less<>> index_;
  std::vector<std::vector<cql::Value>> rows_;
};

Result<HostInfo> ReadHost(const NamedRows& rows, size_t row, bool is_local,
                          std::string_view connected_address, uint16_t connected_port,
                          uint16_t default_port) {
  HostInfo host;
  if (is_local) {
    host.address = rows.Inet(row, "rpc_address");
    if (host.address.empty() || host.address == "0.0.0.0" || host.address == "::") {
      host.address = std::string(connected_address);
    }
    host.port = connected_port;
  } else {
    host.address = rows.Inet(row, "native_address");
    if (host.address.empty()) {
      host.address = rows.Inet(row, "rpc_address");
    }
    if (host.address.empty() || host.address == "0.0.0.0" || host.address == "::") {
      host.address = rows.Inet(row, "peer");
    }
    host.port = static_cast<uint16_t>(rows.Int(row, "native_port").value_or(default_port));
  }
  if (host.address.empty()) {
    return ProtocolError("a system.peers row has no usable address");
  }
  host.datacenter = rows.Text(row, "data_center");
  host.rack = rows.Text(row, "rack");
  host.release_version = rows.Text(row, "release_version");
  if (const cql::Value* id = rows.Get(row, "host_id");
      id != nullptr && id->kind() == cql::ValueKind::kUuid) {
    host.host_id = id->as_uuid();
  }
  if (const cql::Value* version = rows.Get(row, "schema_version");
      version != nullptr && version->kind() == cql::ValueKind::kUuid) {
    host.schema_version = version->as_uuid();
  }
  for (const std::string& text : rows.TextList(row, "tokens")) {
    auto token = ring::Token::Parse(text);
    if (!token.has_value()) {
      return ProtocolError("host " + host.address + " has a malformed token '" + text + "'");
    }
    host.tokens.push_back(*token);
  }
  std::sort(host.tokens.begin(), host.tokens.end());
  return host;
}

/// The local host (first) and its peers, as one node reports them.
Result<std::vector<HostInfo>> ReadHosts(const NamedRows& local, const cql::RowsResult& peer_rows,
                                        std::string_view connected_address, uint16_t connected_port,
                                        uint16_t default_port) {
  if (local.size() != 1) {
    return ProtocolError("system.local returned " + std::to_string(local.size()) + " rows");
  }
  std::vector<HostInfo> hosts;
  CQLBULK_ASSIGN_OR_RETURN(
      HostInfo self, ReadHost(local, 0, true, connected_address, connected_port, default_port));
  hosts.push_back(std::move(self));
  CQLBULK_ASSIGN_OR_RETURN(NamedRows peers, NamedRows::Decode(peer_rows));
  for (size_t i = 0; i < peers.size(); ++i) {
    CQLBULK_ASSIGN_OR_RETURN(
        HostInfo peer, ReadHost(peers, i, false, connected_address, connected_port, default_port));
    hosts.push_back(std::move(peer));
  }
  return hosts;
}

/// Parses the UDTs of system_schema.types, each once, resolving the ones they use.
class UdtCatalog {
 public:
  explicit UdtCatalog(const NamedRows* rows) : rows_(rows) {
    for (size_t i = 0; rows_ != nullptr && i < rows_->size(); ++i) {
      by_name_[{rows_->Text(i, "keyspace_name"), rows_->Text(i, "type_name")}] = i;
    }
  }

  cql::DataTypePtr Resolve(const std::string& keyspace, const std::string& name) {
    std::pair<std::string, std::string> key{keyspace, name};
    if (auto it = done_.find(key); it != done_.end()) {
      return it->second;
    }
    auto row = by_name_.find(key);
    if (row == by_name_.end() || busy_.count(key) != 0) {
      return nullptr;  // unknown, or a cycle (which Cassandra forbids anyway)
    }
    busy_.insert(key);
    std::vector<std::string> names = rows_->TextList(row->second, "field_names");
    std::vector<cql::DataTypePtr> types;
    for (const std::string& text : rows_->TextList(row->second, "field_types")) {
      auto type = cql::ParseCqlType(text, Resolver(keyspace));
      if (!type.has_value()) {
        busy_.erase(key);
        return nullptr;
      }
      types.push_back(*type);
    }
    busy_.erase(key);
    auto udt = cql::DataType::Udt(keyspace, name, std::move(names), std::move(types));
    done_[key] = udt;
    return udt;
  }

  cql::UdtResolver Resolver(const std::string& keyspace) {
    return [this, keyspace](std::string_view ks, std::string_view name) {
      return Resolve(ks.empty() ? keyspace : std::string(ks), std::string(name));
    };
  }

  std::map<std::string, cql::DataTypePtr, std::less<>> TypesOf(const std::string& keyspace) {
    std::map<std::string, cql::DataTypePtr, std::less<>> out;
    for (const auto& [key, row] : by_name_) {
      if (key.first == keyspace) {
        if (auto type = Resolve(key.first, key.second)) out.emplace(key.second, type);
      }
    }
    return out;
  }

 private:
  const NamedRows* rows_;
  std::map<std::pair<std::string, std::string>, size_t> by_name_;
  std::map<std::pair<std::string, std::string>, cql::DataTypePtr> done_;
  std::set<std::pair<std::string, std::string>> busy_;
};

/// Puts columns in CQL order and records the key columns.
void OrderColumns(TableMetadata& table) {
  auto rank = [](const ColumnMetadata& c) {
    switch (c.kind) {
      case ColumnKind::kPartitionKey: return 0;
      case ColumnKind::kClustering: return 1;
      case ColumnKind::kStatic: return 2;
      case ColumnKind::kRegular: return 3;
    }
    return 3;
  };
  std::stable_sort(table.columns.begin(), table.columns.end(),
                   [&](const ColumnMetadata& a, const ColumnMetadata& b) {
                     if (rank(a) != rank(b)) return rank(a) < rank(b);
                     if (rank(a) <= 1) return a.position < b.position;
                     return a.name < b.name;
                   });
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].kind == ColumnKind::kPartitionKey) table.partition_key.push_back(i);
    if (table.columns[i].kind == ColumnKind::kClustering) table.clustering_key.push_back(i);
  }
}

}  // namespace

Result<TopologyData> BuildTopologyData(const SystemTablesRows& rows,
                                       std::string_view connected_address,
                                       uint16_t connected_port, uint16_t default_port) {
  if (rows.local == nullptr || rows.peers == nullptr || rows.keyspaces == nullptr ||
      rows.columns == nullptr) {
    return Internal("BuildTopologyData needs local, peers, keyspaces and columns rows");
  }
  TopologyData data;
  CQLBULK_ASSIGN_OR_RETURN(NamedRows local, NamedRows::Decode(*rows.local));
  CQLBULK_ASSIGN_OR_RETURN(
      data.hosts, ReadHosts(local, *rows.peers, connected_address, connected_port, default_port));
  data.cluster_name = local.Text(0, "cluster_name");
  data.partitioner = local.Text(0, "partitioner");

  CQLBULK_ASSIGN_OR_RETURN(NamedRows keyspaces, NamedRows::Decode(*rows.keyspaces));
  for (size_t i = 0; i < keyspaces.size(); ++i) {
    KeyspaceMetadata ks;
    ks.name = keyspaces.Text(i, "keyspace_name");
    ks.replication_options = keyspaces.TextMap(i, "replication");
    if (auto strategy = ring::ReplicationStrategy::FromOptions(ks.replication_options)) {
      ks.replication = std::move(*strategy);
    }
    if (const cql::Value* d = keyspaces.Get(i, "durable_writes");
        d != nullptr && d->kind() == cql::ValueKind::kBoolean) {
      ks.durable_writes = d->as_bool();
    }
    std::string name = ks.name;
    data.keyspaces.emplace(std::move(name), std::move(ks));
  }

  std::optional<NamedRows> types;
  if (rows.types != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(types, NamedRows::Decode(*rows.types));
  }
  UdtCatalog udts(types ? &*types : nullptr);
  for (auto& [name, ks] : data.keyspaces) {
    ks.user_types = udts.TypesOf(name);
  }

  if (rows.tables != nullptr) {
    CQLBULK_ASSIGN_OR_RETURN(NamedRows tables, NamedRows::Decode(*rows.tables));
    for (size_t i = 0; i < tables.size(); ++i) {
      auto ks = data.keyspaces.find(tables.Text(i, "keyspace_name"));
      if (ks == data.keyspaces.end()) continue;
      std::string table = tables.Text(i, "table_name");
      TableMetadata& entry = ks->second.tables[table];
      entry.keyspace = ks->first;
      entry.name = table;
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(NamedRows columns, NamedRows::Decode(*rows.columns));
  for (size_t i = 0; i < columns.size(); ++i) {
    auto ks = data.keyspaces.find(columns.Text(i, "keyspace_name"));
    if (ks == data.keyspaces.end()) continue;
    std::string table_name = columns.Text(i, "table_name");
    TableMetadata& table = ks->second.tables[table_name];
    table.keyspace = ks->first;
    table.name = table_name;
    ColumnMetadata column;
    column.name = columns.Text(i, "column_name");
    std::string type_text = columns.Text(i, "type");
    auto type = cql::ParseCqlType(type_text, udts.Resolver(ks->first));
    if (!type.has_value()) {
      return std::move(type).error().WithContext("column " + ks->first + "." + table_name +
                                                 "." + column.name);
    }
    column.type = *type;
    CQLBULK_ASSIGN_OR_RETURN(column.kind, cql::ParseColumnKind(columns.Text(i, "kind")));
    column.position = static_cast<int>(columns.Int(i, "position").value_or(-1));
    column.is_descending = columns.Text(i, "clustering_order") == "desc";
    table.columns.push_back(std::move(column));
  }
  for (auto& [ks_name, ks] : data.keyspaces) {
    for (auto& [table_name, table] : ks.tables) OrderColumns(table);
  }
  return data;
}

Result<bool> SchemaAgreesFrom(const cql::RowsResult& local, const cql::RowsResult& peers,
                              std::string_view connected_address, uint16_t connected_port,
                              uint16_t default_port, const TopologySnapshot& known) {
  CQLBULK_ASSIGN_OR_RETURN(NamedRows local_rows, NamedRows::Decode(local));
  CQLBULK_ASSIGN_OR_RETURN(
      std::vector<HostInfo> hosts,
      ReadHosts(local_rows, peers, connected_address, connected_port, default_port));
  for (const HostInfo& host : hosts) {
    auto index = known.FindHost(host.address, host.port);
    bool is_down = index.has_value() && !known.host(*index).is_up;
    if (!is_down && host.schema_version != hosts.front().schema_version) return false;
  }
  return true;
}

}  // namespace cqlbulk::client
