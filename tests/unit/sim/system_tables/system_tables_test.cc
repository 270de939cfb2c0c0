// SPDX-License-Identifier: Apache-2.0
// The system tables against what a real Cassandra 4.0 answered in the captures of
// ../shared/testdata: column names and types of every captured system-table result, and the
// rows that describe the system keyspaces and the captured user schema.
#include "cqlbulk/sim/system_tables/system_tables.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/cql/types/type_parser.h"
#include "system_capture_util.h"
#include "testing/matchers.h"

namespace cqlbulk::sim {
namespace {

using Row = std::vector<cql::Value>;
using testing::CapturedRows;

const std::vector<CapturedRows>& Captured() {
  static const std::vector<CapturedRows> captured = testing::LoadCapturedSystemRows();
  return captured;
}

TopologyPtr OneNode() {
  NodeInfo node;
  node.address = "127.0.0.1";
  node.datacenter = "datacenter1";
  node.rack = "rack1";
  node.host_id = Uuid::Parse("78836ffe-92d2-4196-a90e-8f7457e9f160").value();
  node.tokens = {ring::Token(0)};
  return MakeTopology("test", {node}).value();
}

std::string RowText(const Row& row) {
  std::string out = "[";
  for (size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + row[i].ToString();
  return out + "]";
}

/// Rows grouped by their first column (keyspace_name, the partition key of every table
/// compared here), keeping the order within each partition.
std::map<std::string, std::vector<Row>> ByKeyspace(const std::vector<Row>& rows,
                                                   bool system_keyspaces) {
  std::map<std::string, std::vector<Row>> out;
  for (const Row& row : rows) {
    const std::string& keyspace = row.at(0).as_string();
    if (IsSystemKeyspace(keyspace) == system_keyspaces) out[keyspace].push_back(row);
  }
  return out;
}

/// Compares partition by partition and row by row; returns the number of rows compared.
size_t ExpectSameRows(const std::map<std::string, std::vector<Row>>& expected,
                      const std::map<std::string, std::vector<Row>>& actual,
                      const std::string& label) {
  size_t compared = 0;
  EXPECT_EQ(expected.size(), actual.size()) << label << ": number of keyspaces";
  for (const auto& [keyspace, rows] : expected) {
    auto it = actual.find(keyspace);
    if (it == actual.end()) {
      ADD_FAILURE() << label << ": no rows for keyspace " << keyspace;
      continue;
    }
    EXPECT_EQ(rows.size(), it->second.size()) << label << ": rows of " << keyspace;
    for (size_t i = 0; i < std::min(rows.size(), it->second.size()); ++i, ++compared) {
      EXPECT_TRUE(rows[i] == it->second[i])
          << label << " row " << i << " of " << keyspace << "\n  expected " << RowText(rows[i])
          << "\n  actual   " << RowText(it->second[i]);
    }
  }
  return compared;
}

TEST(SystemTablesCaptureTest, ColumnNamesAndTypesMatchEveryCapturedSystemResult) {
  std::set<std::string> tables_seen;
  size_t num_select_star = 0;
  size_t num_projections = 0;

  for (const CapturedRows& captured : Captured()) {
    const TableSchema* table = SystemSchema().FindTable(captured.keyspace, captured.table);
    ASSERT_NE(table, nullptr) << captured.label();
    tables_seen.insert(captured.keyspace + "." + captured.table);
    if (captured.is_select_star()) {
      ++num_select_star;
      ASSERT_EQ(captured.columns.size(), table->columns.size()) << captured.label();
      for (size_t i = 0; i < captured.columns.size(); ++i) {
        EXPECT_EQ(captured.columns[i].name, table->columns[i].name) << captured.label();
        EXPECT_TRUE(*captured.columns[i].type == *table->columns[i].type)
            << captured.label() << " column " << captured.columns[i].name << ": "
            << table->columns[i].type->ToCql();
      }
      continue;
    }
    ++num_projections;
    for (const cql::ColumnSpec& column : captured.columns) {
      const int index = table->FindColumn(column.name);
      ASSERT_GE(index, 0) << captured.label() << ": no column " << column.name;
      EXPECT_TRUE(*column.type == *table->columns[static_cast<size_t>(index)].type)
          << captured.label() << " column " << column.name;
    }
  }

  // Per capture 24 SELECT * (the control connection's 14 metadata queries, then the
  // refreshes after CREATE TABLE) and 8 to 14 projections (the schema-agreement queries).
  EXPECT_EQ(num_select_star, 4u * 24);
  EXPECT_EQ(num_projections, 10u + 8 + 14 + 14);
  const std::set<std::string> expected = {"system.local",
                                          "system.peers_v2",
                                          "system_schema.aggregates",
                                          "system_schema.columns",
                                          "system_schema.functions",
                                          "system_schema.indexes",
                                          "system_schema.keyspaces",
                                          "system_schema.tables",
                                          "system_schema.triggers",
                                          "system_schema.types",
                                          "system_schema.views",
                                          "system_virtual_schema.columns",
                                          "system_virtual_schema.keyspaces",
                                          "system_virtual_schema.tables"};
  EXPECT_EQ(tables_seen, expected);
}

TEST(SystemTablesCaptureTest, SystemKeyspacesAreDescribedExactlyAsCassandraDid) {
  const TopologyPtr topology = OneNode();
  const Schema no_user_schema;
  size_t compared = 0;

  for (const char* capture : {"v4", "v4_lz4", "v5", "v5_lz4"}) {
    for (const auto& [keyspace, name] :
         std::vector<std::pair<std::string, std::string>>{{"system_schema", "keyspaces"},
                                                          {"system_schema", "tables"},
                                                          {"system_schema", "columns"},
                                                          {"system_virtual_schema", "keyspaces"},
                                                          {"system_virtual_schema", "tables"},
                                                          {"system_virtual_schema", "columns"}}) {
      const CapturedRows* captured = testing::FindSelectStar(Captured(), capture, keyspace, name);
      ASSERT_NE(captured, nullptr) << capture << " " << keyspace << "." << name;
      const TableSchema* table = SystemSchema().FindTable(keyspace, name);
      CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows,
                                   SystemTableRows(*table, *topology, no_user_schema, 0));

      compared += ExpectSameRows(ByKeyspace(captured->rows, true), ByKeyspace(rows, true),
                                 captured->label());
    }
  }

  // Per capture: 5 keyspaces, 40 tables, 275 columns; 2 virtual keyspaces, 21 tables and
  // 151 columns.
  EXPECT_EQ(compared, 4u * (5 + 40 + 275 + 2 + 21 + 151));
}

/// The user keyspaces of a capture, rebuilt from its system_schema answers.
Schema SchemaFromCapture(const std::string& capture) {
  Schema schema;
  auto find = [&](const char* table) {
    const CapturedRows* rows = testing::FindSelectStar(Captured(), capture, "system_schema", table);
    EXPECT_NE(rows, nullptr) << table;
    return rows;
  };
  std::map<std::string, std::shared_ptr<KeyspaceSchema>> keyspaces;
  for (const Row& row : find("keyspaces")->rows) {
    if (IsSystemKeyspace(row[0].as_string())) continue;
    std::map<std::string, std::string> replication;
    for (const auto& [key, value] : row[2].entries())
      replication[key.as_string()] = value.as_string();
    auto strategy = ring::ReplicationStrategy::FromOptions(replication);
    EXPECT_TRUE(strategy.has_value());
    keyspaces[row[0].as_string()] =
        std::make_shared<KeyspaceSchema>(KeyspaceSchema{.name = row[0].as_string(),
                                                        .replication = *strategy,
                                                        .replication_options = replication,
                                                        .durable_writes = row[1].as_bool(),
                                                        .tables = {},
                                                        .types = {}});
  }
  for (const Row& row : find("types")->rows) {
    auto type = std::make_shared<UserTypeSchema>();
    type->keyspace = row[0].as_string();
    type->name = row[1].as_string();
    for (const auto& field : row[2].elements()) type->field_names.push_back(field.as_string());
    for (const auto& field : row[3].elements()) {
      type->field_types.push_back(cql::ParseCqlType(field.as_string()).value());
    }
    keyspaces.at(type->keyspace)->types[type->name] = type;
  }
  std::map<std::pair<std::string, std::string>, std::vector<ColumnSchema>> columns;
  for (const Row& row : find("columns")->rows) {
    if (IsSystemKeyspace(row[0].as_string())) continue;
    const KeyspaceSchema& ks = *keyspaces.at(row[0].as_string());
    auto resolver = [&](std::string_view, std::string_view name) -> cql::DataTypePtr {
      auto it = ks.types.find(std::string(name));
      return it == ks.types.end() ? nullptr : it->second->AsDataType(false);
    };
    const std::string kind = row[5].as_string();
    columns[{row[0].as_string(), row[1].as_string()}].push_back(
        ColumnSchema{.name = row[2].as_string(),
                     .type = cql::ParseCqlType(row[7].as_string(), resolver).value(),
                     .kind = kind == "partition_key" ? ColumnKind::kPartitionKey
                             : kind == "clustering"  ? ColumnKind::kClustering
                             : kind == "static"      ? ColumnKind::kStatic
                                                     : ColumnKind::kRegular,
                     .position = static_cast<int>(row[6].as_int64()),
                     .is_descending = row[3].as_string() == "desc"});
  }
  for (const Row& row : find("tables")->rows) {
    if (IsSystemKeyspace(row[0].as_string())) continue;
    auto table = std::make_shared<TableSchema>(
        testing::MakeTable(row[0].as_string(), row[1].as_string(),
                           columns.at({row[0].as_string(), row[1].as_string()})));
    table->id = row[15].as_uuid();  // tables.id
    keyspaces.at(table->keyspace)->tables[table->name] = table;
  }
  for (auto& [name, ks] : keyspaces) schema.keyspaces[name] = ks;
  return schema;
}

TEST(SystemTablesCaptureTest, CapturedUserSchemaIsDescribedExactlyAsCassandraDid) {
  const TopologyPtr topology = OneNode();
  size_t compared = 0;

  for (const char* capture : {"v4", "v5"}) {
    const Schema user_schema = SchemaFromCapture(capture);
    for (const char* name : {"keyspaces", "tables", "columns", "types"}) {
      const CapturedRows* captured =
          testing::FindSelectStar(Captured(), capture, "system_schema", name);
      ASSERT_NE(captured, nullptr);
      const TableSchema* table = SystemSchema().FindTable("system_schema", name);
      CQLBULK_ASSERT_OK_AND_ASSIGN(auto rows, SystemTableRows(*table, *topology, user_schema, 0));

      compared += ExpectSameRows(ByKeyspace(captured->rows, false), ByKeyspace(rows, false),
                                 captured->label());
    }
  }

  // v4: 7 keyspaces, 67 tables, 167 columns, 1 type; v5: 7, 71, 175, 1.
  EXPECT_EQ(compared, (7u + 67 + 167 + 1) + (7u + 71 + 175 + 1));
}

}  // namespace
}  // namespace cqlbulk::sim
