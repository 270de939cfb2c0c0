// SPDX-License-Identifier: Apache-2.0
// The golden CQL written to a real Cassandra 4.0 (cql_values.json, murmur3_tokens.json):
// every CREATE TABLE and every literal parses, literal terms keep their exact text, and that
// text and the normalised column types are accepted by cql/'s ParseCqlLiteral and
// ParseCqlType, as the executor will use them.
#include <string>
#include <vector>

#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"
#include "testing/testdata.h"
#include "unit/sim/parser/cql_parser_test_util.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::sim::testing::ParseAs;
using ::cqlbulk::testing::IsOk;

cql::DataTypePtr ResolveUdt(std::string_view /*keyspace*/, std::string_view name) {
  if (name != "udt_ab") {
    return nullptr;
  }
  return cql::DataType::Udt(
      "golden", "udt_ab", {"a", "b"},
      {cql::DataType::Native(cql::TypeId::kInt), cql::DataType::Native(cql::TypeId::kVarchar)});
}

// Parses `INSERT INTO golden.<table> (columns) VALUES (literals)` and checks that each value
// term is the literal as written, then that cql/ reads it as a value of its column's type.
void CheckInsert(const std::string& table, const std::vector<std::string>& columns,
                 const std::vector<std::string>& literals,
                 const std::vector<cql::DataTypePtr>& types, bool server_accepted) {
  std::string names;
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + columns[i];
    values += (i ? ", " : "") + literals[i];
  }
  std::string cql = "INSERT INTO golden." + table + " (" + names + ") VALUES (" + values + ")";
  SCOPED_TRACE(cql);
  CQLBULK_ASSERT_OK_AND_ASSIGN(InsertStatement insert, ParseAs<InsertStatement>(cql));
  ASSERT_EQ(insert.values.size(), literals.size());
  for (size_t i = 0; i < literals.size(); ++i) {
    const Term& term = insert.values[i];
    EXPECT_EQ(term.text, literals[i]);
    EXPECT_EQ(term.is_constant, term.kind != TermKind::kFunctionCall) << term.text;
    if (server_accepted && types[i] != nullptr) {
      EXPECT_THAT(cql::ParseCqlLiteral(*types[i], term.text), IsOk()) << term.text;
    }
  }
}

Result<cql::DataTypePtr> ColumnType(const CreateTableStatement& create, const std::string& name) {
  for (const ColumnDefinition& column : create.columns) {
    if (column.name == name) {
      return cql::ParseCqlType(column.type, ResolveUdt);
    }
  }
  return NotFound("no column " + name);
}

TEST(CqlParserGoldenTest, EveryValueLiteralOfTheGoldenSetParses) {
  nlohmann::json golden = cqlbulk::testing::LoadTestdataJson("cql_values.json");
  size_t num_literals = 0;

  for (const auto& type : golden.at("types")) {
    const std::string table = type.at("table");
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto create, ParseAs<CreateTableStatement>(type.at("cql_create").get<std::string>()));
    ASSERT_EQ(create.columns.size(), 2u);
    EXPECT_EQ(create.partition_key, std::vector<std::string>{"id"});
    CQLBULK_ASSERT_OK_AND_ASSIGN(cql::DataTypePtr id_type, ColumnType(create, "id"));
    CQLBULK_ASSERT_OK_AND_ASSIGN(cql::DataTypePtr v_type, ColumnType(create, "v"));
    for (const char* list : {"values", "rejected"}) {
      for (const auto& value : type.value(list, nlohmann::json::array())) {
        CheckInsert(table, {"id", "v"}, {"1", value.at("cql_literal")}, {id_type, v_type},
                    std::string(list) == "values");
        ++num_literals;
      }
    }
  }

  EXPECT_EQ(num_literals, 253u);
}

TEST(CqlParserGoldenTest, EveryKeyLiteralAndTableOfTheTokenSetParses) {
  nlohmann::json golden = cqlbulk::testing::LoadTestdataJson("murmur3_tokens.json");
  size_t num_literals = 0;

  for (const auto& table : golden.at("tables")) {
    const std::vector<std::string> key_columns = table.at("key_columns");
    const std::vector<std::string> key_types = table.at("key_types");
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto create, ParseAs<CreateTableStatement>(table.at("cql_create").get<std::string>()));
    EXPECT_EQ(create.partition_key, key_columns);
    EXPECT_TRUE(create.clustering_columns.empty());
    std::vector<cql::DataTypePtr> types;
    for (size_t i = 0; i < key_columns.size(); ++i) {
      EXPECT_EQ(create.columns.at(i).type, key_types.at(i));
      CQLBULK_ASSERT_OK_AND_ASSIGN(cql::DataTypePtr type, ColumnType(create, key_columns[i]));
      types.push_back(type);
    }
    for (const char* list : {"rows", "rejected", "overwritten"}) {
      for (const auto& row : table.value(list, nlohmann::json::array())) {
        const std::vector<std::string> literals = row.at("cql_literals");
        CheckInsert(table.at("table"), key_columns, literals, types,
                    std::string(list) != "rejected");
        num_literals += literals.size();
      }
    }
  }

  EXPECT_GE(num_literals, 790u);
}

}  // namespace
}  // namespace cqlbulk::sim
