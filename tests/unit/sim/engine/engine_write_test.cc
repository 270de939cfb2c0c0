// SPDX-License-Identifier: Apache-2.0
// Writes: counters, collection operations, lightweight transactions, DELETE forms, BATCH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

using ::testing::ElementsAre;

class EngineWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    f_.Exec("USE ks");
  }

  EngineFixture f_;
};

TEST_F(EngineWriteTest, CountersIncrementAndDecrement) {
  f_.Exec("CREATE TABLE c (k int PRIMARY KEY, n counter, m counter)");

  f_.Exec("UPDATE c SET n = n + 5, m = m - 2 WHERE k = 1");
  f_.Exec("UPDATE c SET n = n + ? WHERE k = 1", {Bigint(10)});
  f_.Exec("UPDATE c SET n = n - 1 WHERE k = 1");
  auto insert = ErrorOf(f_.Query("INSERT INTO c (k, n) VALUES (2, 1)"));
  auto set = ErrorOf(f_.Query("UPDATE c SET n = 3 WHERE k = 1"));

  EXPECT_THAT(f_.Select("SELECT k, n, m FROM c").Lines(), ElementsAre("1|14|-2"));
  ASSERT_TRUE(insert && set);
  EXPECT_EQ(insert->message, "INSERT statements are not allowed on counter tables, use UPDATE instead");
  EXPECT_EQ(set->code, 0x2200);
}

TEST_F(EngineWriteTest, ListSetMapOperations) {
  f_.Exec("CREATE TABLE col (k int PRIMARY KEY, l list<int>, s set<text>, m map<text, int>)");
  f_.Exec("INSERT INTO col (k, l, s, m) VALUES (1, [1, 2], {'b'}, {'b': 2})");

  f_.Exec("UPDATE col SET l = l + [3], l = [0] + l, s = s + {'a', 'c'}, m = m + {'a': 1} WHERE k = 1");
  f_.Exec("UPDATE col SET l[1] = 10, m['c'] = 3 WHERE k = 1");
  f_.Exec("UPDATE col SET s = s - {'c'}, m = m - {'b'} WHERE k = 1");
  f_.Exec("DELETE l[0], m['a'] FROM col WHERE k = 1");
  Rows rows = f_.Select("SELECT l, s, m FROM col WHERE k = 1");
  auto out_of_bound = ErrorOf(f_.Query("UPDATE col SET l[9] = 1 WHERE k = 1"));

  EXPECT_THAT(rows.Lines(), ElementsAre("[10, 2, 3]|{'a', 'b'}|{'c': 3}"));
  ASSERT_TRUE(out_of_bound.has_value());
  EXPECT_EQ(out_of_bound->message, "List index 9 out of bound, list has size 3");
}

TEST_F(EngineWriteTest, EmptyNonFrozenCollectionReadsAsNull) {
  f_.Exec("CREATE TABLE col (k int PRIMARY KEY, s set<int>, v int)");
  f_.Exec("INSERT INTO col (k, s, v) VALUES (1, {}, 1)");
  f_.Exec("INSERT INTO col (k, s, v) VALUES (2, {5}, 2)");
  f_.Exec("UPDATE col SET s = s - {5} WHERE k = 2");

  std::vector<std::string> lines = f_.Select("SELECT k, s FROM col").Lines();
  std::sort(lines.begin(), lines.end());

  EXPECT_THAT(lines, ElementsAre("1|null", "2|null"));
}

TEST_F(EngineWriteTest, LightweightTransactionsReturnApplied) {
  f_.Exec("CREATE TABLE l (k int PRIMARY KEY, v int)");

  Rows first = RowsOf(f_.Query("INSERT INTO l (k, v) VALUES (1, 10) IF NOT EXISTS"));
  Rows second = RowsOf(f_.Query("INSERT INTO l (k, v) VALUES (1, 20) IF NOT EXISTS"));
  Rows cas_fail = RowsOf(f_.Query("UPDATE l SET v = 30 WHERE k = 1 IF v = 11"));
  Rows cas_ok = RowsOf(f_.Query("UPDATE l SET v = 30 WHERE k = 1 IF v = 10"));
  Rows exists = RowsOf(f_.Query("DELETE FROM l WHERE k = 2 IF EXISTS"));

  EXPECT_EQ(first.names, std::vector<std::string>{"[applied]"});
  EXPECT_THAT(first.Lines(), ElementsAre("true"));
  EXPECT_EQ(second.names, (std::vector<std::string>{"[applied]", "k", "v"}));
  EXPECT_THAT(second.Lines(), ElementsAre("false|1|10"));
  EXPECT_THAT(cas_fail.Lines(), ElementsAre("false|10"));
  EXPECT_THAT(cas_ok.Lines(), ElementsAre("true"));
  EXPECT_THAT(exists.Lines(), ElementsAre("false"));
  EXPECT_THAT(f_.Select("SELECT v FROM l WHERE k = 1").Lines(), ElementsAre("30"));
}

TEST_F(EngineWriteTest, DeleteRowsPartitionsColumnsAndRanges) {
  f_.Exec("CREATE TABLE d (k int, c int, v int, w int, PRIMARY KEY (k, c))");
  for (int k = 1; k <= 3; ++k) {
    for (int c = 1; c <= 5; ++c) {
      f_.Exec("INSERT INTO d (k, c, v, w) VALUES (" + std::to_string(k) + ", " + std::to_string(c) + ", 1, 2)");
    }
  }

  f_.Exec("DELETE FROM d WHERE k = 1");
  f_.Exec("DELETE FROM d WHERE k = 2 AND c = 1");
  f_.Exec("DELETE FROM d WHERE k = 2 AND c > 3");
  f_.Exec("DELETE v FROM d WHERE k = 3 AND c IN (1, 2)");
  f_.Exec("DELETE FROM d WHERE k = 3 AND c >= 4 AND c < 5");

  EXPECT_EQ(f_.Select("SELECT * FROM d WHERE k = 1").size(), 0u);
  EXPECT_THAT(f_.Select("SELECT c FROM d WHERE k = 2").Lines(), ElementsAre("2", "3"));
  EXPECT_THAT(f_.Select("SELECT c, v, w FROM d WHERE k = 3").Lines(),
              ElementsAre("1|null|2", "2|null|2", "3|1|2", "5|1|2"));
}

TEST_F(EngineWriteTest, WriteTimestampsDecideWhichValueWins) {
  f_.Exec("CREATE TABLE ts (k int PRIMARY KEY, v int)");

  f_.Exec("INSERT INTO ts (k, v) VALUES (1, 1) USING TIMESTAMP 100");
  f_.Exec("INSERT INTO ts (k, v) VALUES (1, 2) USING TIMESTAMP 50");

  EXPECT_THAT(f_.Select("SELECT v, writetime(v) FROM ts").Lines(), ElementsAre("1|100"));
}

TEST_F(EngineWriteTest, BatchesApplyAllStatementsAndWarnWhenLarge) {
  f_.Exec("CREATE TABLE b (k int, c int, v text, PRIMARY KEY (k, c))");
  cql::PreparedResult insert = f_.Prepare("INSERT INTO ks.b (k, c, v) VALUES (?, ?, ?)");
  cql::BatchRequest batch;
  batch.type = cql::BatchType::kUnlogged;
  for (int c = 0; c < 20; ++c) {
    cql::BatchStatement s;
    s.is_prepared = true;
    s.id = insert.id;
    s.values = {Int(1), Int(c), Text(std::string(400, 'x'))};
    batch.statements.push_back(s);
  }
  batch.statements.push_back(cql::BatchStatement{.is_prepared = false,
                                                 .query = "DELETE FROM ks.b WHERE k = 1 AND c = ?",
                                                 .id = {},
                                                 .values = {Int(0)}});

  Reply reply = f_.Handle(batch);
  Reply text_batch = f_.Query(
      "BEGIN BATCH INSERT INTO b (k, c, v) VALUES (2, 1, 'a'); UPDATE b SET v = 'b' WHERE k = 2 AND c = 2; APPLY BATCH");

  EXPECT_FALSE(ErrorOf(reply).has_value()) << Describe(reply);
  EXPECT_EQ(f_.Select("SELECT * FROM b WHERE k = 1").size(), 19u);
  ASSERT_EQ(reply.warnings.size(), 1u);
  EXPECT_THAT(reply.warnings[0], ::testing::MatchesRegex(
      "Batch for \\[ks.b\\] is of size [0-9]+, exceeding specified threshold of 5120 by [0-9]+\\."));
  EXPECT_FALSE(ErrorOf(text_batch).has_value());
  EXPECT_EQ(f_.Select("SELECT * FROM b WHERE k = 2").size(), 2u);
}

TEST_F(EngineWriteTest, BatchKindsAreChecked) {
  f_.Exec("CREATE TABLE n (k int PRIMARY KEY, c counter)");
  f_.Exec("CREATE TABLE r (k int PRIMARY KEY, v int)");

  auto logged_counter = ErrorOf(f_.Query("BEGIN BATCH UPDATE n SET c = c + 1 WHERE k = 1; APPLY BATCH"));
  auto counter_regular = ErrorOf(f_.Query("BEGIN COUNTER BATCH INSERT INTO r (k, v) VALUES (1, 1); APPLY BATCH"));
  f_.Exec("BEGIN COUNTER BATCH UPDATE n SET c = c + 2 WHERE k = 1; UPDATE n SET c = c + 3 WHERE k = 1; APPLY BATCH");

  ASSERT_TRUE(logged_counter && counter_regular);
  EXPECT_EQ(logged_counter->message, "Cannot include a counter statement in a logged batch");
  EXPECT_EQ(counter_regular->message, "Cannot include non-counter statement in a counter batch");
  EXPECT_THAT(f_.Select("SELECT c FROM n WHERE k = 1").Lines(), ElementsAre("5"));
}

TEST_F(EngineWriteTest, SystemKeyspacesAreNotModifiable) {
  auto error = ErrorOf(f_.Query("INSERT INTO system.local (key) VALUES ('x')"));

  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 0x2100);
}

TEST_F(EngineWriteTest, ConditionalUpdatesRefuseACustomTimestamp) {
  f_.Exec("CREATE TABLE l (k int, c int, v int, PRIMARY KEY (k, c))");

  auto insert = ErrorOf(f_.Query("INSERT INTO l (k, c, v) VALUES (1, 1, 1) IF NOT EXISTS USING TIMESTAMP 1"));
  auto update = ErrorOf(f_.Query("UPDATE l USING TIMESTAMP 1 SET v = 2 WHERE k = 1 AND c = 1 IF v = 1"));
  auto del = ErrorOf(f_.Query("DELETE FROM l USING TIMESTAMP 1 WHERE k = 1 AND c = 1 IF EXISTS"));
  auto batch = ErrorOf(f_.Query("BEGIN BATCH USING TIMESTAMP 1 INSERT INTO l (k, c, v) VALUES (1, 1, 1) "
                                "IF NOT EXISTS; UPDATE l SET v = 2 WHERE k = 1 AND c = 2; APPLY BATCH"));
  auto prepared = ErrorOf(f_.Handle(cql::PrepareRequest{
      "INSERT INTO ks.l (k, c, v) VALUES (?, ?, ?) IF NOT EXISTS USING TIMESTAMP ?", std::nullopt}));

  for (const auto& error : {insert, update, del, prepared}) {
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code, 0x2200);
    EXPECT_EQ(error->message, "Cannot provide custom timestamp for conditional updates");
  }
  ASSERT_TRUE(batch.has_value());
  EXPECT_EQ(batch->code, 0x2200);
  EXPECT_EQ(batch->message, "Cannot provide custom timestamp for conditional BATCH");
  EXPECT_EQ(f_.Select("SELECT * FROM l").size(), 0u);
}

TEST_F(EngineWriteTest, NotAppliedAnswersReadStaticColumnsOnlyWhenTheStatementNamesOne) {
  f_.Exec("CREATE TABLE lwt (k int, c int, v text, s int static, PRIMARY KEY (k, c))");
  f_.Exec("INSERT INTO lwt (k, c, v, s) VALUES (0, 0, 'v0', 7)");

  Rows plain = RowsOf(f_.Query("INSERT INTO lwt (k, c, v) VALUES (0, 0, 'new') IF NOT EXISTS"));
  Rows with_static = RowsOf(f_.Query("INSERT INTO lwt (k, c, v, s) VALUES (0, 0, 'new', 1) IF NOT EXISTS"));
  Rows condition = RowsOf(f_.Query("UPDATE lwt SET v = 'x' WHERE k = 0 AND c = 0 IF v = 'no' AND s = 7"));

  EXPECT_EQ(plain.names, (std::vector<std::string>{"[applied]", "k", "c", "s", "v"}));
  EXPECT_THAT(plain.Lines(), ElementsAre("false|0|0|null|'v0'"));
  EXPECT_THAT(with_static.Lines(), ElementsAre("false|0|0|7|'v0'"));
  EXPECT_EQ(condition.names, (std::vector<std::string>{"[applied]", "v", "s"}));
  EXPECT_THAT(condition.Lines(), ElementsAre("false|'v0'|7"));
}

TEST_F(EngineWriteTest, FailedConditionalBatchReturnsTheRowsItChecked) {
  f_.Exec("CREATE TABLE lwt (k int, c int, v text, s int static, PRIMARY KEY (k, c))");
  f_.Exec("INSERT INTO lwt (k, c, v, s) VALUES (2, 0, 'bb', 2)");
  f_.Exec("INSERT INTO lwt (k, c, v) VALUES (2, 1, 'v1')");

  Rows exists = RowsOf(f_.Query(
      "BEGIN BATCH INSERT INTO lwt (k, c, v) VALUES (2, 6, 'b') IF NOT EXISTS; "
      "UPDATE lwt SET v = 'x' WHERE k = 2 AND c = 0 IF v = 'nope'; APPLY BATCH"));
  Rows conditions = RowsOf(f_.Query(
      "BEGIN BATCH UPDATE lwt SET v = 'x' WHERE k = 2 AND c = 1 IF v = 'v1'; "
      "UPDATE lwt SET v = 'y' WHERE k = 2 AND c = 0 IF v = 'nope'; "
      "UPDATE lwt SET v = 'z' WHERE k = 2 AND c = 5 IF v = 'none'; APPLY BATCH"));

  // IF NOT EXISTS: every column; the static column is not read.
  EXPECT_EQ(exists.names, (std::vector<std::string>{"[applied]", "k", "c", "s", "v"}));
  EXPECT_THAT(exists.Lines(), ElementsAre("false|2|0|null|'bb'"));
  // Conditions only: the primary key, then the conditions' columns; rows in clustering order.
  EXPECT_EQ(conditions.names, (std::vector<std::string>{"[applied]", "k", "c", "v"}));
  EXPECT_THAT(conditions.Lines(), ElementsAre("false|2|0|'bb'", "false|2|1|'v1'"));
  EXPECT_THAT(f_.Select("SELECT c, v FROM lwt WHERE k = 2").Lines(), ElementsAre("0|'bb'", "1|'v1'"));
}

}  // namespace
}  // namespace cqlbulk::sim::testing
