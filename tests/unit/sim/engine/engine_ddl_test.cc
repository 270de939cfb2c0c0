// SPDX-License-Identifier: Apache-2.0
// Schema statements: results, events, schema snapshots and Cassandra's errors.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

cql::SchemaChange ChangeOf(const Reply& reply) {
  auto result = ResultOf(reply);
  EXPECT_TRUE(result.has_value()) << Describe(reply);
  if (!result || !std::holds_alternative<cql::SchemaChangeResult>(result->result)) return {};
  return std::get<cql::SchemaChangeResult>(result->result).change;
}

TEST(EngineDdlTest, CreateKeyspaceReturnsSchemaChangeAndNotifies) {
  EngineFixture f;
  std::vector<cql::SchemaChangeEvent> events;
  f.engine().SetSchemaListener([&](const cql::SchemaChangeEvent& e) { events.push_back(e); });
  Uuid before = f.engine().schema()->version;

  Reply reply = f.Query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");

  cql::SchemaChange change = ChangeOf(reply);
  EXPECT_EQ(change.type, cql::SchemaChangeType::kCreated);
  EXPECT_EQ(change.target, cql::SchemaChangeTarget::kKeyspace);
  EXPECT_EQ(change.keyspace, "ks");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].change, change);
  EXPECT_NE(f.engine().schema()->version, before);
  const KeyspaceSchema* ks = f.engine().schema()->FindKeyspace("ks");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(ks->replication_options.at("class"), "org.apache.cassandra.locator.SimpleStrategy");
  EXPECT_EQ(ks->replication_options.at("replication_factor"), "3");
}

TEST(EngineDdlTest, NetworkTopologyStrategyOptionsAreQualified) {
  EngineFixture f;

  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 2}");

  const KeyspaceSchema* ks = f.engine().schema()->FindKeyspace("ks");
  ASSERT_NE(ks, nullptr);
  EXPECT_EQ(ks->replication_options.at("class"), "org.apache.cassandra.locator.NetworkTopologyStrategy");
  EXPECT_EQ(ks->replication_options.at("datacenter1"), "2");
}

TEST(EngineDdlTest, ExistingKeyspaceIsAlreadyExistsUnlessIfNotExists) {
  EngineFixture f;
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

  Reply again = f.Query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  Reply if_not_exists = f.Query("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

  auto error = ErrorOf(again);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 0x2400);
  EXPECT_EQ(std::get<cql::AlreadyExistsInfo>(error->details).keyspace, "ks");
  EXPECT_FALSE(ErrorOf(if_not_exists).has_value());
}

TEST(EngineDdlTest, CreateTableOrdersColumnsAndKeepsDefaults) {
  EngineFixture f;
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

  cql::SchemaChange change = ChangeOf(f.Query(
      "CREATE TABLE ks.t (b int, a text, z int static, k1 int, k2 text, c1 int, c2 text, m map<text, int>, "
      "PRIMARY KEY ((k1, k2), c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC) AND comment = 'hi'"));

  EXPECT_EQ(change.target, cql::SchemaChangeTarget::kTable);
  EXPECT_EQ(change.name, "t");
  const TableSchema* t = f.engine().schema()->FindTable("ks", "t");
  ASSERT_NE(t, nullptr);
  std::vector<std::string> names;
  for (const ColumnSchema& c : t->columns) names.push_back(c.name);
  // Keys in key order, then static columns by name, then regular columns by name (Cassandra's
  // `SELECT *` order).
  EXPECT_EQ(names, (std::vector<std::string>{"k1", "k2", "c1", "c2", "z", "a", "b", "m"}));
  EXPECT_TRUE(t->clustering(0).is_descending);
  EXPECT_FALSE(t->clustering(1).is_descending);
  EXPECT_EQ(t->columns[4].kind, ColumnKind::kStatic);
  EXPECT_EQ(t->options.at("comment"), "'hi'");
  EXPECT_EQ(t->options.at("gc_grace_seconds"), "864000");
  EXPECT_EQ(t->options.at("compaction"),
            "{'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', "
            "'max_threshold': '32', 'min_threshold': '4'}");
}

TEST(EngineDdlTest, ErrorsAsCassandra) {
  EngineFixture f;
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  f.Exec("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");

  auto missing_ks = ErrorOf(f.Query("SELECT * FROM nope.t"));
  auto missing_table = ErrorOf(f.Query("SELECT * FROM ks.nope"));
  auto no_keyspace = ErrorOf(f.Query("SELECT * FROM t"));
  auto duplicate = ErrorOf(f.Query("CREATE TABLE ks.t (k int PRIMARY KEY)"));
  auto syntax = ErrorOf(f.Query("SELEC * FROM ks.t"));
  auto unsupported = ErrorOf(f.Query("ALTER TABLE ks.t ADD w int"));
  auto mixed_counters = ErrorOf(f.Query("CREATE TABLE ks.c (k int PRIMARY KEY, n counter, v int)"));
  auto bad_option = ErrorOf(f.Query("CREATE TABLE ks.o (k int PRIMARY KEY) WITH nonsense = 1"));

  ASSERT_TRUE(missing_ks && missing_table && no_keyspace && duplicate && syntax && unsupported &&
              mixed_counters && bad_option);
  EXPECT_EQ(missing_ks->code, 0x2200);
  EXPECT_EQ(missing_ks->message, "Keyspace nope does not exist");
  EXPECT_EQ(missing_table->message, "unconfigured table nope");
  EXPECT_EQ(no_keyspace->code, 0x2200);
  EXPECT_EQ(duplicate->code, 0x2400);
  EXPECT_EQ(std::get<cql::AlreadyExistsInfo>(duplicate->details).table, "t");
  EXPECT_EQ(syntax->code, 0x2000);
  EXPECT_EQ(unsupported->code, 0x2200);
  EXPECT_NE(unsupported->message.find("ALTER TABLE"), std::string::npos);
  // InvalidRequest, as Cassandra 5.0 answers (not ConfigurationException).
  EXPECT_EQ(mixed_counters->code, 0x2200);
  EXPECT_EQ(mixed_counters->message, "Cannot mix counter and non counter columns in the same table");
  EXPECT_EQ(bad_option->code, 0x2000);
}

TEST(EngineDdlTest, UseSetsTheSessionKeyspace) {
  EngineFixture f;
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");

  Reply reply = f.Query("USE ks");
  f.Exec("CREATE TABLE t (k int PRIMARY KEY)");

  auto result = ResultOf(reply);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(std::get<cql::SetKeyspaceResult>(result->result).keyspace, "ks");
  EXPECT_EQ(f.session().keyspace, "ks");
  EXPECT_NE(f.engine().schema()->FindTable("ks", "t"), nullptr);
  EXPECT_EQ(ErrorOf(f.Query("USE nope"))->code, 0x2200);
}

TEST(EngineDdlTest, TypesDropAndTruncate) {
  EngineFixture f;
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  f.Exec("CREATE TYPE ks.addr (street text, no int)");
  f.Exec("CREATE TABLE ks.t (k int PRIMARY KEY, a frozen<addr>)");
  f.Exec("INSERT INTO ks.t (k, a) VALUES (1, {street: 'x', no: 3})");

  auto in_use = ErrorOf(f.Query("DROP TYPE ks.addr"));
  f.Exec("TRUNCATE ks.t");
  Rows after_truncate = f.Select("SELECT * FROM ks.t");
  cql::SchemaChange dropped = ChangeOf(f.Query("DROP TABLE ks.t"));
  f.Exec("DROP TYPE ks.addr");
  auto missing = ErrorOf(f.Query("DROP TABLE ks.t"));
  f.Exec("DROP TABLE IF EXISTS ks.t");
  f.Exec("DROP KEYSPACE ks");

  ASSERT_TRUE(in_use.has_value());
  EXPECT_NE(in_use->message.find("still used"), std::string::npos);
  EXPECT_EQ(after_truncate.size(), 0u);
  EXPECT_EQ(dropped.type, cql::SchemaChangeType::kDropped);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->code, 0x2200);
  EXPECT_EQ(f.engine().schema()->FindKeyspace("ks"), nullptr);
}

}  // namespace
}  // namespace cqlbulk::sim::testing
