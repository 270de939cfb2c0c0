// SPDX-License-Identifier: Apache-2.0
// SystemSchema(): the system keyspaces built from the compact definitions of
// system_table_defs.cc.
#include <algorithm>
#include <array>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/ring/md5.h"
#include "cqlbulk/sim/system_tables/system_tables.h"
#include "cqlbulk/sim/system_tables/system_tables_internal.h"

namespace cqlbulk::sim {
namespace {

using internal::SystemTableDef;

constexpr std::string_view kLocalStrategy = "org.apache.cassandra.locator.LocalStrategy";
constexpr std::string_view kSimpleStrategy = "org.apache.cassandra.locator.SimpleStrategy";

/// \brief A system keyspace and the options its tables share.
struct KeyspaceDef {
  std::string_view name;
  uint32_t replication_factor;  ///< SimpleStrategy's; 0 for LocalStrategy
  int gc_grace_seconds;
  int memtable_flush_period_in_ms;
  bool is_virtual;
};

// As Cassandra 4.0 creates them (system_schema.keyspaces / tables of a fresh cluster).
constexpr std::array<KeyspaceDef, 7> kKeyspaces = {{
    {"system", 0, 0, 3600000, false},
    {"system_schema", 0, 604800, 3600000, false},
    {"system_auth", 1, 7776000, 0, false},
    {"system_distributed", 3, 864000, 0, false},
    {"system_traces", 2, 0, 0, false},
    {"system_views", 0, 0, 0, true},
    {"system_virtual_schema", 0, 0, 0, true},
}};

const KeyspaceDef* FindKeyspaceDef(std::string_view name) {
  for (const KeyspaceDef& def : kKeyspaces) {
    if (def.name == name) return &def;
  }
  return nullptr;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

/// Splits at the commas outside <...>.
std::vector<std::string_view> SplitTopLevel(std::string_view text) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      std::string_view part = Trim(text.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    } else if (text[i] == '<') {
      ++depth;
    } else if (text[i] == '>') {
      --depth;
    }
  }
  return parts;
}

/// Cassandra's id of a system table: the name-based (version 3) UUID of keyspace + table
/// (java.util.UUID.nameUUIDFromBytes, as TableId.forSystemTable does).
Uuid SystemTableId(std::string_view keyspace, std::string_view table) {
  ring::Md5 md5;
  md5.Update(AsBytes(keyspace));
  md5.Update(AsBytes(table));
  Uuid id;
  id.bytes = md5.Finish();
  id.bytes[6] = static_cast<uint8_t>((id.bytes[6] & 0x0f) | 0x30);
  id.bytes[8] = static_cast<uint8_t>((id.bytes[8] & 0x3f) | 0x80);
  return id;
}

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

/// The table of `def`: partition key, clustering columns, then the others sorted by name.
std::shared_ptr<const TableSchema> BuildTable(const SystemTableDef& def, const KeyspaceDef& ks) {
  auto table = std::make_shared<TableSchema>();
  table->keyspace = std::string(def.keyspace);
  table->name = std::string(def.name);
  table->id = SystemTableId(def.keyspace, def.name);
  const std::vector<std::string_view> pk = SplitTopLevel(def.partition_key);
  const std::vector<std::string_view> ck = SplitTopLevel(def.clustering);
  std::vector<ColumnSchema> others;
  std::vector<ColumnSchema> keys(pk.size() + ck.size());
  for (std::string_view spec : SplitTopLevel(def.columns)) {
    const size_t space = spec.find(' ');
    CQLBULK_CHECK(space != std::string_view::npos, "system column without a type");
    ColumnSchema column;
    column.name = std::string(spec.substr(0, space));
    auto type = cql::ParseCqlType(Trim(spec.substr(space + 1)));
    CQLBULK_CHECK(type.has_value(), "bad type in a system table definition");
    column.type = *type;
    auto pk_it = std::find(pk.begin(), pk.end(), column.name);
    auto ck_it = std::find(ck.begin(), ck.end(), column.name);
    if (pk_it != pk.end()) {
      column.kind = ColumnKind::kPartitionKey;
      column.position = static_cast<int>(pk_it - pk.begin());
      keys[static_cast<size_t>(column.position)] = std::move(column);
    } else if (ck_it != ck.end()) {
      column.kind = ColumnKind::kClustering;
      column.position = static_cast<int>(ck_it - ck.begin());
      keys[pk.size() + static_cast<size_t>(column.position)] = std::move(column);
    } else {
      others.push_back(std::move(column));
    }
  }
  std::sort(others.begin(), others.end(),
            [](const ColumnSchema& a, const ColumnSchema& b) { return a.name < b.name; });
  table->columns = std::move(keys);
  for (ColumnSchema& column : others) table->columns.push_back(std::move(column));
  table->num_partition_key = pk.size();
  table->num_clustering = ck.size();
  table->options["comment"] = QuoteLiteral(def.comment);
  if (!ks.is_virtual) {
    table->options["gc_grace_seconds"] = std::to_string(ks.gc_grace_seconds);
    table->options["memtable_flush_period_in_ms"] = std::to_string(ks.memtable_flush_period_in_ms);
    table->options["default_time_to_live"] = std::to_string(def.default_time_to_live);
    if (!def.compaction.empty()) table->options["compaction"] = std::string(def.compaction);
  }
  return table;
}

std::shared_ptr<KeyspaceSchema> BuildKeyspace(const KeyspaceDef& def) {
  std::map<std::string, std::string> replication_options;
  if (def.replication_factor == 0) {
    replication_options = {{"class", std::string(kLocalStrategy)}};
  } else {
    replication_options = {{"class", std::string(kSimpleStrategy)},
                           {"replication_factor", std::to_string(def.replication_factor)}};
  }
  // LocalStrategy has no ring::ReplicationStrategy: SimpleStrategy(1) stands in for it.
  return std::make_shared<KeyspaceSchema>(KeyspaceSchema{
      .name = std::string(def.name),
      .replication = ring::ReplicationStrategy::Simple(std::max(def.replication_factor, 1u)),
      .replication_options = std::move(replication_options),
      .durable_writes = true,
      .tables = {},
      .types = {},
  });
}

Schema BuildSystemSchema() {
  std::map<std::string, std::shared_ptr<KeyspaceSchema>> keyspaces;
  for (const KeyspaceDef& def : kKeyspaces) {
    keyspaces[std::string(def.name)] = BuildKeyspace(def);
  }
  for (auto defs : {internal::SystemTableDefs(), internal::VirtualTableDefs()}) {
    for (const SystemTableDef& def : defs) {
      const KeyspaceDef* ks = FindKeyspaceDef(def.keyspace);
      CQLBULK_CHECK(ks != nullptr, "system table of an unknown keyspace");
      keyspaces.at(std::string(def.keyspace))->tables[std::string(def.name)] = BuildTable(def, *ks);
    }
  }
  Schema schema;
  schema.version = SystemTableId("system", "schema_version");
  for (auto& [name, ks] : keyspaces) schema.keyspaces[name] = std::move(ks);
  return schema;
}

}  // namespace

bool IsSystemKeyspace(std::string_view keyspace) { return FindKeyspaceDef(keyspace) != nullptr; }

bool IsVirtualKeyspace(std::string_view keyspace) {
  const KeyspaceDef* def = FindKeyspaceDef(keyspace);
  return def != nullptr && def->is_virtual;
}

const Schema& SystemSchema() {
  static const Schema schema = BuildSystemSchema();
  return schema;
}

}  // namespace cqlbulk::sim
