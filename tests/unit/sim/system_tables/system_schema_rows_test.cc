// SPDX-License-Identifier: Apache-2.0
// system_schema.{keyspaces, tables, columns, types} describe a user schema built here: a
// SimpleStrategy and an NTS keyspace, a table with a compound partition key, DESC clustering,
// a static column, collections, tuples and UDTs, and table options.
#include <map>
#include <string>
#include <vector>

#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/sim/system_tables/system_tables.h"
#include "system_capture_util.h"
#include "testing/matchers.h"

namespace cqlbulk::sim {
namespace {

using Row = std::vector<cql::Value>;
using Rows = std::vector<Row>;

std::shared_ptr<const UserTypeSchema> AddressType() {
  auto type = std::make_shared<UserTypeSchema>();
  type->keyspace = "shop";
  type->name = "address";
  type->field_names = {"street", "zip", "lines"};
  type->field_types = {cql::ParseCqlType("text").value(), cql::ParseCqlType("int").value(),
                       cql::ParseCqlType("frozen<list<text>>").value()};
  return type;
}

cql::DataTypePtr Type(const std::string& text) {
  const auto address = AddressType();
  auto resolver = [&](std::string_view, std::string_view name) -> cql::DataTypePtr {
    return name == "address" ? address->AsDataType(false) : nullptr;
  };
  return cql::ParseCqlType(text, resolver).value();
}

ColumnSchema Column(std::string name, const std::string& type,
                    ColumnKind kind = ColumnKind::kRegular, int position = -1,
                    bool descending = false) {
  return ColumnSchema{.name = std::move(name),
                      .type = Type(type),
                      .kind = kind,
                      .position = position,
                      .is_descending = descending};
}

Schema ShopSchema() {
  auto orders = std::make_shared<TableSchema>(testing::MakeTable(
      "shop", "orders",
      {Column("region", "text", ColumnKind::kPartitionKey, 0),
       Column("shard", "int", ColumnKind::kPartitionKey, 1),
       Column("placed_at", "timestamp", ColumnKind::kClustering, 0, true),
       Column("id", "uuid", ColumnKind::kClustering, 1),
       Column("region_note", "text", ColumnKind::kStatic), Column("items", "list<text>"),
       Column("attrs", "map<text, int>"), Column("tags", "set<text>"),
       Column("ship_to", "frozen<address>"), Column("home", "address"),
       Column("pair", "tuple<int, text>"), Column("nested", "map<int, frozen<list<text>>>"),
       Column("deep", "tuple<int, frozen<list<text>>, frozen<address>>")}));
  orders->id = Uuid::Parse("5a1c395e-b41f-11e5-9f22-ba0be0483c18").value();
  orders->options = {
      {"comment", "'customer orders'"},
      {"gc_grace_seconds", "3600"},
      {"default_time_to_live", "86400"},
      {"compaction", "{'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 160}"},
      {"compression", "{'class': 'ZstdCompressor'}"},
      {"caching", "{'keys': 'NONE'}"},
      {"speculative_retry", "'95PERCENTILE'"},
      {"bloom_filter_fp_chance", "0.1"},
      {"cdc", "true"}};
  auto hits = std::make_shared<TableSchema>(testing::MakeTable(
      "shop", "hits",
      {Column("page", "text", ColumnKind::kPartitionKey, 0), Column("count", "counter")}));
  // The engine keeps flags and id among the options too; the table's own win.
  hits->options = {{"flags", "{'compound'}"}, {"id", "00000000-0000-0000-0000-000000000000"}};
  hits->id = Uuid::Parse("1b2c395e-b41f-11e5-9f22-ba0be0483c18").value();

  auto shop = std::make_shared<KeyspaceSchema>(KeyspaceSchema{
      .name = "shop",
      .replication = ring::ReplicationStrategy::NetworkTopology({{"dc1", 3}, {"dc2", 1}}),
      .replication_options = {},  // derived from the strategy
      .durable_writes = true,
      .tables = {{"orders", orders}, {"hits", hits}},
      .types = {{"address", AddressType()}}});
  auto simple = std::make_shared<KeyspaceSchema>(KeyspaceSchema{
      .name = "simple_ks",
      .replication = ring::ReplicationStrategy::Simple(2),
      .replication_options = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                              {"replication_factor", "2"}},
      .durable_writes = false,
      .tables = {},
      .types = {}});
  Schema schema;
  schema.version = Uuid::Parse("615dba92-abd2-3c89-a631-4463b41bee03").value();
  schema.keyspaces = {{"shop", shop}, {"simple_ks", simple}};
  return schema;
}

Rows SchemaRows(const char* table_name, const std::string& keyspace) {
  NodeInfo node;
  node.address = "127.0.0.1";
  node.tokens = {ring::Token(0)};
  const auto topology = MakeTopology("t", {node}).value();
  const TableSchema& table = *SystemSchema().FindTable("system_schema", table_name);
  auto rows = SystemTableRows(table, *topology, ShopSchema(), 0);
  EXPECT_TRUE(rows.has_value());
  Rows out;
  for (Row& row : *rows) {
    if (row[0].as_string() == keyspace) out.push_back(std::move(row));
  }
  return out;
}

const cql::Value& Cell(const char* table, const Row& row, const char* column) {
  const TableSchema& schema = *SystemSchema().FindTable("system_schema", table);
  return row.at(static_cast<size_t>(schema.FindColumn(column)));
}

std::map<std::string, std::string> TextMap(const cql::Value& value) {
  std::map<std::string, std::string> out;
  for (const auto& [key, v] : value.entries()) out[key.as_string()] = v.as_string();
  return out;
}

TEST(SystemSchemaRowsTest, KeyspacesShowTheReplicationMap) {
  const Rows shop = SchemaRows("keyspaces", "shop");
  const Rows simple = SchemaRows("keyspaces", "simple_ks");

  ASSERT_EQ(shop.size(), 1u);
  EXPECT_EQ(TextMap(Cell("keyspaces", shop[0], "replication")),
            (std::map<std::string, std::string>{
                {"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"},
                {"dc1", "3"},
                {"dc2", "1"}}));
  EXPECT_TRUE(Cell("keyspaces", shop[0], "durable_writes").as_bool());
  ASSERT_EQ(simple.size(), 1u);
  EXPECT_EQ(
      TextMap(Cell("keyspaces", simple[0], "replication")),
      (std::map<std::string, std::string>{{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                                          {"replication_factor", "2"}}));
  EXPECT_FALSE(Cell("keyspaces", simple[0], "durable_writes").as_bool());
}

TEST(SystemSchemaRowsTest, ColumnsShowKindPositionOrderAndTypeSortedByName) {
  const Rows rows = SchemaRows("columns", "shop");
  struct Expected {
    std::string table, column, order, kind;
    int position;
    std::string type;
  };
  const std::vector<Expected> expected = {
      {"hits", "count", "none", "regular", -1, "counter"},
      {"hits", "page", "none", "partition_key", 0, "text"},
      {"orders", "attrs", "none", "regular", -1, "map<text, int>"},
      {"orders", "deep", "none", "regular", -1,
       "frozen<tuple<int, frozen<list<text>>, frozen<address>>>"},
      {"orders", "home", "none", "regular", -1, "address"},
      {"orders", "id", "asc", "clustering", 1, "uuid"},
      {"orders", "items", "none", "regular", -1, "list<text>"},
      {"orders", "nested", "none", "regular", -1, "map<int, frozen<list<text>>>"},
      {"orders", "pair", "none", "regular", -1, "frozen<tuple<int, text>>"},
      {"orders", "placed_at", "desc", "clustering", 0, "timestamp"},
      {"orders", "region", "none", "partition_key", 0, "text"},
      {"orders", "region_note", "none", "static", -1, "text"},
      {"orders", "shard", "none", "partition_key", 1, "int"},
      {"orders", "ship_to", "none", "regular", -1, "frozen<address>"},
      {"orders", "tags", "none", "regular", -1, "set<text>"},
  };

  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const Expected& e = expected[i];
    EXPECT_EQ(Cell("columns", row, "table_name").as_string(), e.table) << i;
    EXPECT_EQ(Cell("columns", row, "column_name").as_string(), e.column) << i;
    EXPECT_EQ(Cell("columns", row, "clustering_order").as_string(), e.order) << e.column;
    EXPECT_EQ(Cell("columns", row, "kind").as_string(), e.kind) << e.column;
    EXPECT_EQ(Cell("columns", row, "position").as_int64(), e.position) << e.column;
    EXPECT_EQ(Cell("columns", row, "type").as_string(), e.type) << e.column;
    EXPECT_EQ(Cell("columns", row, "column_name_bytes").as_blob(),
              Bytes(e.column.begin(), e.column.end()));
  }
}

TEST(SystemSchemaRowsTest, TypesListFieldNamesAndTypes) {
  const Rows rows = SchemaRows("types", "shop");

  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Cell("types", rows[0], "type_name").as_string(), "address");
  std::vector<std::string> names, types;
  for (const auto& v : Cell("types", rows[0], "field_names").elements())
    names.push_back(v.as_string());
  for (const auto& v : Cell("types", rows[0], "field_types").elements())
    types.push_back(v.as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"street", "zip", "lines"}));
  EXPECT_EQ(types, (std::vector<std::string>{"text", "int", "frozen<list<text>>"}));
}

TEST(SystemSchemaRowsTest, TablesShowOptionsOverCassandraDefaults) {
  const Rows rows = SchemaRows("tables", "shop");

  ASSERT_EQ(rows.size(), 2u);  // hits, orders
  const Row& hits = rows[0];
  const Row& orders = rows[1];
  EXPECT_EQ(Cell("tables", orders, "table_name").as_string(), "orders");
  EXPECT_EQ(Cell("tables", orders, "id").as_uuid().ToString(),
            "5a1c395e-b41f-11e5-9f22-ba0be0483c18");
  EXPECT_EQ(Cell("tables", orders, "comment").as_string(), "customer orders");
  EXPECT_EQ(Cell("tables", orders, "gc_grace_seconds").as_int64(), 3600);
  EXPECT_EQ(Cell("tables", orders, "default_time_to_live").as_int64(), 86400);
  EXPECT_EQ(TextMap(Cell("tables", orders, "compaction")),
            (std::map<std::string, std::string>{
                {"class", "org.apache.cassandra.db.compaction.LeveledCompactionStrategy"},
                {"max_threshold", "32"},
                {"min_threshold", "4"},
                {"sstable_size_in_mb", "160"}}));
  EXPECT_EQ(TextMap(Cell("tables", orders, "compression")),
            (std::map<std::string, std::string>{
                {"chunk_length_in_kb", "16"},
                {"class", "org.apache.cassandra.io.compress.ZstdCompressor"}}));
  EXPECT_EQ(TextMap(Cell("tables", orders, "caching")),
            (std::map<std::string, std::string>{{"keys", "NONE"}, {"rows_per_partition", "NONE"}}));
  EXPECT_EQ(Cell("tables", orders, "speculative_retry").as_string(), "95p");
  EXPECT_EQ(Cell("tables", orders, "bloom_filter_fp_chance").as_double(), 0.1);
  EXPECT_TRUE(Cell("tables", orders, "cdc").as_bool());
  EXPECT_EQ(Cell("tables", orders, "flags").elements(),
            (cql::Value::Elements{cql::Value::Text("compound")}));
  // Defaults where nothing was said.
  EXPECT_EQ(Cell("tables", hits, "comment").as_string(), "");
  EXPECT_EQ(Cell("tables", hits, "gc_grace_seconds").as_int64(), 864000);
  EXPECT_EQ(Cell("tables", hits, "read_repair").as_string(), "BLOCKING");
  EXPECT_EQ(Cell("tables", hits, "crc_check_chance").as_double(), 1.0);
  EXPECT_TRUE(Cell("tables", hits, "cdc").is_null());
  EXPECT_TRUE(Cell("tables", hits, "extensions").entries().empty());
  EXPECT_EQ(Cell("tables", hits, "id").as_uuid().ToString(),
            "1b2c395e-b41f-11e5-9f22-ba0be0483c18");
  EXPECT_EQ(Cell("tables", hits, "flags").elements(),
            (cql::Value::Elements{cql::Value::Text("compound"), cql::Value::Text("counter")}));
}

TEST(SystemSchemaRowsTest, SystemKeyspacesComeWithTheUserKeyspaces) {
  const Rows system = SchemaRows("keyspaces", "system");
  const Rows views = SchemaRows("keyspaces", "system_views");

  ASSERT_EQ(system.size(), 1u);
  EXPECT_EQ(TextMap(Cell("keyspaces", system[0], "replication")),
            (std::map<std::string, std::string>{
                {"class", "org.apache.cassandra.locator.LocalStrategy"}}));
  EXPECT_TRUE(views.empty());  // virtual keyspaces are in system_virtual_schema only
}

TEST(SystemSchemaTest, KnowsTheSystemKeyspaces) {
  for (const char* ks : {"system", "system_schema", "system_auth", "system_distributed",
                         "system_traces", "system_views", "system_virtual_schema"}) {
    EXPECT_TRUE(IsSystemKeyspace(ks)) << ks;
    EXPECT_NE(SystemSchema().FindKeyspace(ks), nullptr) << ks;
  }
  EXPECT_FALSE(IsSystemKeyspace("shop"));
  EXPECT_FALSE(IsSystemKeyspace("System"));
  EXPECT_TRUE(IsVirtualKeyspace("system_views"));
  EXPECT_FALSE(IsVirtualKeyspace("system"));
  EXPECT_EQ(&SystemSchema(), &SystemSchema());
}

TEST(SystemSchemaTest, ColumnsArePartitionKeyThenClusteringThenTheRestByName) {
  const TableSchema& estimates = *SystemSchema().FindTable("system", "size_estimates");

  std::vector<std::string> names;
  for (const ColumnSchema& column : estimates.columns) names.push_back(column.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"keyspace_name", "table_name", "range_start", "range_end",
                                      "mean_partition_size", "partitions_count"}));
  EXPECT_EQ(estimates.num_partition_key, 1u);
  EXPECT_EQ(estimates.num_clustering, 3u);
  EXPECT_EQ(estimates.id.ToString(), "618f817b-005f-3678-b8a4-53f3930b8e86");
}

}  // namespace
}  // namespace cqlbulk::sim
