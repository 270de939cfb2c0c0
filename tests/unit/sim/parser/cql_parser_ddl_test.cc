// SPDX-License-Identifier: Apache-2.0
// Schema statements, types, USE, TRUNCATE, and the statements cqlsim only recognises.
#include <map>
#include <string>
#include <vector>

#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"
#include "unit/sim/parser/cql_parser_test_util.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::sim::testing::ParseAs;
using ::cqlbulk::testing::HasMessage;

TEST(CqlParserKeyspaceTest, ParsesCreateKeyspaceWithReplicationAndDurableWrites) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto create,
      ParseAs<CreateKeyspaceStatement>(
          "CREATE KEYSPACE IF NOT EXISTS golden WITH replication = {'class': "
          "'NetworkTopologyStrategy', 'datacenter1': 3, 'dc2': '2'} AND durable_writes = false"));

  EXPECT_EQ(create.keyspace, "golden");
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.replication,
            (std::map<std::string, std::string>{
                {"class", "NetworkTopologyStrategy"}, {"datacenter1", "3"}, {"dc2", "2"}}));
  ASSERT_TRUE(create.durable_writes.has_value());
  EXPECT_FALSE(*create.durable_writes);
  ASSERT_EQ(create.properties.size(), 2u);
  EXPECT_EQ(create.properties[0].name, "replication");
  EXPECT_EQ(create.properties[0].value.kind, TermKind::kMap);
}

TEST(CqlParserKeyspaceTest, RejectsUnknownAndRepeatedProperties) {
  EXPECT_THAT(ParseStatement("CREATE KEYSPACE k WITH replication = {'class': 'x'} AND foo = 1"),
              HasMessage("line 1:56 Unknown property 'foo'"));
  EXPECT_THAT(ParseStatement("CREATE KEYSPACE k WITH replication = {} AND replication = {}"),
              HasMessage("Multiple definition for property 'replication'"));
  EXPECT_THAT(ParseStatement("CREATE KEYSPACE k WITH replication = 'simple'"),
              HasMessage("It should be a map"));
  EXPECT_THAT(ParseStatement("CREATE KEYSPACE k WITH replication = {'class': ?}"),
              HasMessage("must be a constant"));
}

TEST(CqlParserKeyspaceTest, ParsesDropKeyspace) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto drop,
                               ParseAs<DropKeyspaceStatement>("DROP KEYSPACE IF EXISTS Golden"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto plain, ParseAs<DropKeyspaceStatement>("DROP SCHEMA g"));

  EXPECT_EQ(drop.keyspace, "golden");
  EXPECT_TRUE(drop.if_exists);
  EXPECT_FALSE(plain.if_exists);
}

TEST(CqlParserTableTest, ParsesInlinePrimaryKey) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto create, ParseAs<CreateTableStatement>(
                       "CREATE TABLE golden.capture_ddl_v4 (k int PRIMARY KEY, v text)"));

  EXPECT_EQ(create.table, (QualifiedName{"golden", "capture_ddl_v4"}));
  EXPECT_FALSE(create.if_not_exists);
  ASSERT_EQ(create.columns.size(), 2u);
  EXPECT_EQ(create.columns[0].name, "k");
  EXPECT_EQ(create.columns[0].type, "int");
  EXPECT_EQ(create.columns[1].type, "text");
  EXPECT_EQ(create.partition_key, std::vector<std::string>{"k"});
  EXPECT_TRUE(create.clustering_columns.empty());
}

TEST(CqlParserTableTest, ParsesCompositeKeyClusteringOrderStaticAndOptions) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto create,
      ParseAs<CreateTableStatement>(
          "CREATE TABLE IF NOT EXISTS t (p1 text, p2 int, c1 timeuuid, c2 int, s text STATIC, "
          "v FROZEN< Map<Text,int> >, PRIMARY KEY ((p1, p2), c1, c2)) WITH CLUSTERING ORDER BY "
          "(c1 DESC, c2 ASC) AND comment = 'hi' AND compaction = {'class': "
          "'SizeTieredCompactionStrategy'} AND gc_grace_seconds = 0"));

  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.partition_key, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(create.clustering_columns, (std::vector<std::string>{"c1", "c2"}));
  ASSERT_EQ(create.columns.size(), 6u);
  EXPECT_TRUE(create.columns[4].is_static);
  EXPECT_FALSE(create.columns[3].is_static);
  EXPECT_EQ(create.columns[5].type, "frozen<map<text, int>>");
  ASSERT_EQ(create.clustering_order.size(), 2u);
  EXPECT_EQ(create.clustering_order[0].column, "c1");
  EXPECT_TRUE(create.clustering_order[0].descending);
  EXPECT_FALSE(create.clustering_order[1].descending);
  ASSERT_EQ(create.properties.size(), 3u);
  EXPECT_EQ(create.properties[0].name, "comment");
  EXPECT_EQ(create.properties[0].value.string_value, "hi");
  EXPECT_EQ(create.properties[1].value.kind, TermKind::kMap);
  EXPECT_EQ(create.properties[2].value.text, "0");
}

TEST(CqlParserTableTest, ParsesSingleColumnAndParenthesisedPartitionKeys) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto simple,
      ParseAs<CreateTableStatement>("CREATE TABLE t (k int, c int, PRIMARY KEY (k, c),)"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto wrapped,
      ParseAs<CreateTableStatement>("CREATE TABLE t (pk int, seq int, PRIMARY KEY ((pk)))"));

  EXPECT_EQ(simple.partition_key, std::vector<std::string>{"k"});
  EXPECT_EQ(simple.clustering_columns, std::vector<std::string>{"c"});
  EXPECT_EQ(wrapped.partition_key, std::vector<std::string>{"pk"});
  EXPECT_TRUE(wrapped.clustering_columns.empty());
}

TEST(CqlParserTableTest, NormalisesEveryTypeForm) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto create,
      ParseAs<CreateTableStatement>(
          "CREATE TABLE t (k int PRIMARY KEY, a list<frozen<map<text,int>>>, b set<TEXT>, "
          "c tuple<int, frozen<list<text>>, frozen<udt_ab>>, d ks.MyType, e \"MyType\", "
          "f 'org.apache.cassandra.db.marshal.DurationType', g vector<float, 3>, h duration)"));

  std::vector<std::string> types;
  for (const ColumnDefinition& column : create.columns) {
    types.push_back(column.type);
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{
                "int", "list<frozen<map<text, int>>>", "set<text>",
                "tuple<int, frozen<list<text>>, frozen<udt_ab>>", "ks.mytype", "\"MyType\"",
                "'org.apache.cassandra.db.marshal.DurationType'", "vector<float, 3>", "duration"}));
}

TEST(CqlParserTableTest, ChecksPrimaryKeyAsInvalidRequests) {
  auto none = ParseStatement("CREATE TABLE t (k int, v int)");
  auto two = ParseStatement("CREATE TABLE t (k int PRIMARY KEY, v int, PRIMARY KEY (v))");
  auto unknown = ParseStatement("CREATE TABLE t (k int, PRIMARY KEY (x))");

  EXPECT_THAT(none, HasMessage("line 1:15 No PRIMARY KEY specified (exactly one required)"));
  EXPECT_EQ(none.error().server_code(), kCqlInvalidCode);
  EXPECT_THAT(two, HasMessage("Multiple PRIMARY KEYs specified (exactly one required)"));
  EXPECT_THAT(unknown, HasMessage("Unknown definition x referenced in PRIMARY KEY"));
  EXPECT_THAT(ParseStatement("CREATE TABLE t (k int PRIMARY KEY, k text)"),
              HasMessage("Multiple definition of identifier k"));
}

TEST(CqlParserTableTest, RejectsCompactStorage) {
  auto result = ParseStatement("CREATE TABLE t (k int PRIMARY KEY) WITH COMPACT STORAGE");

  EXPECT_THAT(result, HasMessage("Compact tables are not allowed"));
  EXPECT_EQ(result.error().server_code(), kCqlInvalidCode);
}

TEST(CqlParserTableTest, ParsesDropAndTruncate) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto drop, ParseAs<DropTableStatement>("DROP TABLE IF EXISTS ks.t"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto truncate, ParseAs<TruncateStatement>("TRUNCATE TABLE ks.t"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto bare, ParseAs<TruncateStatement>("truncate t"));

  EXPECT_EQ(drop.table, (QualifiedName{"ks", "t"}));
  EXPECT_TRUE(drop.if_exists);
  EXPECT_EQ(truncate.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(bare.table, (QualifiedName{"", "t"}));
}

TEST(CqlParserTypeTest, ParsesCreateAndDropType) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto create,
      ParseAs<CreateTypeStatement>("CREATE TYPE IF NOT EXISTS golden.udt_ab (a int, b text, "
                                   "c frozen<list<int>>)"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto drop, ParseAs<DropTypeStatement>("DROP TYPE udt_ab"));

  EXPECT_EQ(create.type, (QualifiedName{"golden", "udt_ab"}));
  EXPECT_TRUE(create.if_not_exists);
  ASSERT_EQ(create.fields.size(), 3u);
  EXPECT_EQ(create.fields[1].name, "b");
  EXPECT_EQ(create.fields[1].type, "text");
  EXPECT_EQ(create.fields[2].type, "frozen<list<int>>");
  EXPECT_EQ(drop.type, (QualifiedName{"", "udt_ab"}));
  EXPECT_FALSE(drop.if_exists);
  EXPECT_THAT(ParseStatement("CREATE TYPE t (a int, a text)"),
              HasMessage("Duplicate field name a in type t"));
}

TEST(CqlParserUseTest, ParsesBareAndQuotedKeyspace) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto bare, ParseAs<UseStatement>("USE Golden"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto quoted, ParseAs<UseStatement>("USE \"Golden\";"));

  EXPECT_EQ(bare.keyspace, "golden");
  EXPECT_EQ(quoted.keyspace, "Golden");
}

TEST(CqlParserUnsupportedTest, RecognisesLeadingKeywords) {
  struct Case {
    std::string cql;
    std::string kind;
  };
  const Case cases[] = {
      {"ALTER TABLE t ADD x int", "ALTER TABLE"},
      {"alter keyspace k WITH durable_writes = false", "ALTER KEYSPACE"},
      {"ALTER MATERIALIZED VIEW v WITH comment = 'x'", "ALTER MATERIALIZED VIEW"},
      {"CREATE INDEX ON t (v)", "CREATE INDEX"},
      {"CREATE CUSTOM INDEX i ON t (v) USING 'x'", "CREATE CUSTOM INDEX"},
      {"CREATE MATERIALIZED VIEW v AS SELECT * FROM t WHERE k IS NOT NULL PRIMARY KEY (k)",
       "CREATE MATERIALIZED VIEW"},
      {"CREATE OR REPLACE FUNCTION f (a int) RETURNS NULL ON NULL INPUT RETURNS int "
       "LANGUAGE java AS 'return a;'",
       "CREATE OR REPLACE FUNCTION"},
      {"CREATE ROLE r WITH PASSWORD = 'p'", "CREATE ROLE"},
      {"DROP INDEX i", "DROP INDEX"},
      {"DROP MATERIALIZED VIEW v", "DROP MATERIALIZED VIEW"},
      {"GRANT SELECT ON ALL KEYSPACES TO r", "GRANT"},
      {"REVOKE SELECT ON ALL KEYSPACES FROM r", "REVOKE"},
      {"LIST ROLES", "LIST"},
      {"DESCRIBE KEYSPACES", "DESCRIBE"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cql);
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto unsupported, ParseAs<UnsupportedStatement>(c.cql));
    EXPECT_EQ(unsupported.kind, c.kind);
  }
}

TEST(CqlParserUnsupportedTest, StillNeedsLexicallyValidText) {
  EXPECT_THAT(ParseStatement("ALTER TABLE t WITH comment = 'unterminated"),
              HasMessage("unterminated string literal"));
}

TEST(CqlParserKindTest, NamesEveryStatementKind) {
  const std::pair<std::string, std::string> cases[] = {
      {"SELECT * FROM t", "SELECT"},
      {"INSERT INTO t (k) VALUES (1)", "INSERT"},
      {"UPDATE t SET v = 1 WHERE k = 1", "UPDATE"},
      {"DELETE FROM t WHERE k = 1", "DELETE"},
      {"BEGIN BATCH APPLY BATCH", "BATCH"},
      {"USE k", "USE"},
      {"CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy'}", "CREATE KEYSPACE"},
      {"DROP KEYSPACE k", "DROP KEYSPACE"},
      {"CREATE TABLE t (k int PRIMARY KEY)", "CREATE TABLE"},
      {"DROP TABLE t", "DROP TABLE"},
      {"TRUNCATE t", "TRUNCATE"},
      {"CREATE TYPE u (a int)", "CREATE TYPE"},
      {"DROP TYPE u", "DROP TYPE"},
      {"GRANT x", "GRANT"},
  };
  for (const auto& [cql, kind] : cases) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement parsed, ParseStatement(cql));
    EXPECT_EQ(StatementKindName(parsed.statement), kind);
  }
}

}  // namespace
}  // namespace cqlbulk::sim
