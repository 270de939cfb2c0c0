// SPDX-License-Identifier: Apache-2.0
// SELECT: clustering order, static columns, restrictions, limits, functions, TTL expiry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

using ::testing::ElementsAre;

class EngineSelectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    f_.Exec("USE ks");
    f_.Exec("CREATE TABLE c (p int, a int, b text, v int, s int static, PRIMARY KEY (p, a, b)) "
            "WITH CLUSTERING ORDER BY (a DESC, b ASC)");
    for (int p = 1; p <= 3; ++p) {
      for (int a = 1; a <= 3; ++a) {
        for (const char* b : {"x", "y"}) {
          f_.Exec("INSERT INTO c (p, a, b, v) VALUES (" + std::to_string(p) + ", " + std::to_string(a) +
                  ", '" + b + "', " + std::to_string(p * 100 + a * 10) + ")");
        }
      }
    }
  }

  EngineFixture f_;
};

TEST_F(EngineSelectTest, RowsComeInClusteringOrderWithDescRespected) {
  Rows rows = f_.Select("SELECT a, b FROM c WHERE p = 1");

  EXPECT_THAT(rows.Lines(), ElementsAre("3|'x'", "3|'y'", "2|'x'", "2|'y'", "1|'x'", "1|'y'"));
}

TEST_F(EngineSelectTest, OrderByReversesTheClusteringOrder) {
  Rows rows = f_.Select("SELECT a, b FROM c WHERE p = 1 ORDER BY a ASC, b DESC");
  auto bad = ErrorOf(f_.Query("SELECT a FROM c ORDER BY a ASC"));

  EXPECT_THAT(rows.Lines(), ElementsAre("1|'y'", "1|'x'", "2|'y'", "2|'x'", "3|'y'", "3|'x'"));
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->code, 0x2200);
}

TEST_F(EngineSelectTest, ClusteringRestrictionsAndMultiColumnSlices) {
  EXPECT_THAT(f_.Select("SELECT a, b FROM c WHERE p = 2 AND a = 2").Lines(), ElementsAre("2|'x'", "2|'y'"));
  EXPECT_THAT(f_.Select("SELECT a FROM c WHERE p = 2 AND a IN (1, 3) AND b = 'y'").Lines(),
              ElementsAre("3", "1"));
  EXPECT_THAT(f_.Select("SELECT a, b FROM c WHERE p = 2 AND a > 1 AND a <= 3 AND b > 'x' ALLOW FILTERING").Lines(),
              ElementsAre("3|'y'", "2|'y'"));
  EXPECT_EQ(f_.Select("SELECT a, b FROM c WHERE p = 2 AND a > 1 AND a <= 3").size(), 4u);
  EXPECT_EQ(f_.Select("SELECT a, b FROM c WHERE p = 2 AND (a, b) > (2, 'x')").size(), 3u);
  EXPECT_THAT(f_.Select("SELECT a, b FROM c WHERE p = 2 AND (a, b) = (2, 'y')").Lines(), ElementsAre("2|'y'"));
}

TEST_F(EngineSelectTest, InOnPartitionKeyLimitAndPerPartitionLimit) {
  EXPECT_EQ(f_.Select("SELECT * FROM c WHERE p IN (1, 3)").size(), 12u);
  EXPECT_EQ(f_.Select("SELECT * FROM c WHERE p IN (1, 3) LIMIT 5").size(), 5u);
  Rows ppl = f_.Select("SELECT p, a, b FROM c PER PARTITION LIMIT 2");
  EXPECT_EQ(ppl.size(), 6u);
  for (size_t i = 0; i < ppl.size(); ++i) EXPECT_EQ(ppl.Text(i, 1), "3");
  EXPECT_EQ(f_.Select("SELECT * FROM c WHERE p = ? LIMIT ?", {Int(1), Int(4)}).size(), 4u);
}

TEST_F(EngineSelectTest, AllowFilteringRequiredAndAccepted) {
  auto refused = ErrorOf(f_.Query("SELECT * FROM c WHERE v = 110"));
  auto clustering_only = ErrorOf(f_.Query("SELECT * FROM c WHERE a = 1"));
  auto skipped = ErrorOf(f_.Query("SELECT * FROM c WHERE p = 1 AND b = 'x'"));
  Rows accepted = f_.Select("SELECT p, a, b FROM c WHERE v = 210 ALLOW FILTERING");

  ASSERT_TRUE(refused && clustering_only && skipped);
  EXPECT_EQ(refused->code, 0x2200);
  EXPECT_EQ(refused->message,
            "Cannot execute this query as it might involve data filtering and thus may have "
            "unpredictable performance. If you want to execute this query despite the performance "
            "unpredictability, use ALLOW FILTERING");
  EXPECT_EQ(clustering_only->message, refused->message);
  EXPECT_EQ(skipped->message, "PRIMARY KEY column \"b\" cannot be restricted as preceding column \"a\" is not restricted");
  EXPECT_THAT(accepted.Lines(), ElementsAre("2|1|'x'", "2|1|'y'"));
}

TEST_F(EngineSelectTest, StaticColumnsArePerPartition) {
  f_.Exec("UPDATE c SET s = 7 WHERE p = 1");
  f_.Exec("INSERT INTO c (p, s) VALUES (9, 99)");

  Rows p1 = f_.Select("SELECT a, s FROM c WHERE p = 1");
  Rows only_static = f_.Select("SELECT p, a, b, v, s FROM c WHERE p = 9");
  Rows distinct = f_.Select("SELECT DISTINCT p, s FROM c");

  ASSERT_EQ(p1.size(), 6u) << ::testing::PrintToString(p1.Lines());
  for (size_t i = 0; i < p1.size(); ++i) EXPECT_EQ(p1.Text(i, 1), "7");
  EXPECT_THAT(only_static.Lines(), ElementsAre("9|null|null|null|99"));
  EXPECT_EQ(distinct.size(), 4u);
}

TEST_F(EngineSelectTest, CountTokenAndAliases) {
  Rows count = f_.Select("SELECT count(*) FROM c");
  Rows count_one = f_.Select("SELECT COUNT(1) AS n FROM c WHERE p = 2");
  Rows tokens = f_.Select("SELECT token(p), p FROM c WHERE p = 1 LIMIT 1");
  Rows in_range = f_.Select("SELECT p FROM c WHERE token(p) >= ? AND token(p) <= ?",
                            {Bigint(tokens.Value(0, 0).as_int64()), Bigint(tokens.Value(0, 0).as_int64())});

  EXPECT_EQ(count.names, std::vector<std::string>{"count"});
  EXPECT_EQ(count.Text(0, 0), "18");
  EXPECT_EQ(count_one.names, std::vector<std::string>{"n"});
  EXPECT_EQ(count_one.Text(0, 0), "6");
  EXPECT_EQ(tokens.names[0], "system.token(p)");
  EXPECT_EQ(tokens.types[0]->id, cql::TypeId::kBigint);
  EXPECT_EQ(in_range.size(), 6u);
}

TEST_F(EngineSelectTest, WritetimeTtlAndExpiry) {
  f_.Exec("CREATE TABLE e (k int PRIMARY KEY, v int, w int)");
  f_.Exec("INSERT INTO e (k, v) VALUES (1, 1) USING TIMESTAMP 1234");
  f_.Exec("INSERT INTO e (k, v, w) VALUES (2, 2, 2) USING TTL 100");
  f_.Exec("UPDATE e USING TTL 10 SET w = 5 WHERE k = 1");

  Rows before = f_.Select("SELECT k, writetime(v), ttl(v), ttl(w) FROM e");
  f_.AdvanceSeconds(11);
  Rows middle = f_.Select("SELECT k, v, w FROM e");
  f_.AdvanceSeconds(90);
  Rows after = f_.Select("SELECT k, v, w FROM e");

  EXPECT_EQ(before.names, (std::vector<std::string>{"k", "writetime(v)", "ttl(v)", "ttl(w)"}));
  ASSERT_EQ(before.size(), 2u);
  std::vector<std::string> lines = before.Lines();
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines[0], "1|1234|null|10");
  EXPECT_EQ(lines[1].substr(lines[1].rfind('|') - 3), "100|100");
  std::vector<std::string> mid = middle.Lines();
  std::sort(mid.begin(), mid.end());
  EXPECT_THAT(mid, ElementsAre("1|1|null", "2|2|2"));
  EXPECT_THAT(after.Lines(), ElementsAre("1|1|null"));
}

TEST_F(EngineSelectTest, RowWithoutMarkerVanishesWhenItsCellsExpire) {
  f_.Exec("CREATE TABLE x (k int PRIMARY KEY, v int)");
  f_.Exec("UPDATE x USING TTL 5 SET v = 1 WHERE k = 1");
  f_.Exec("INSERT INTO x (k, v) VALUES (2, 2)");
  f_.Exec("UPDATE x USING TTL 5 SET v = 3 WHERE k = 2");

  f_.AdvanceSeconds(6);

  EXPECT_THAT(f_.Select("SELECT k, v FROM x").Lines(), ElementsAre("2|null"));
}

TEST_F(EngineSelectTest, TtlsWhoseExpiryIsPast2038AreKept) {
  f_.Exec("CREATE TABLE far (k int PRIMARY KEY, v int)");
  // The fixture's clock is in 2023: 400000000 s and 630720000 s (the maximum) end after 2038.
  f_.Exec("INSERT INTO far (k, v) VALUES (1, 1) USING TTL 400000000");
  f_.Exec("INSERT INTO far (k, v) VALUES (2, 2) USING TTL 630720000");
  f_.Exec("UPDATE far USING TTL 630720000 SET v = 3 WHERE k = 3");

  std::vector<std::string> lines = f_.Select("SELECT k, v, ttl(v) FROM far").Lines();
  std::sort(lines.begin(), lines.end());
  f_.AdvanceSeconds(400000000);
  std::vector<std::string> later = f_.Select("SELECT k FROM far").Lines();
  std::sort(later.begin(), later.end());

  EXPECT_THAT(lines, ElementsAre("1|1|400000000", "2|2|630720000", "3|3|630720000"));
  EXPECT_THAT(later, ElementsAre("2", "3"));
}

TEST_F(EngineSelectTest, SelectStarPutsStaticColumnsBeforeRegularOnes) {
  f_.Exec("CREATE TABLE st (k int, c int, a int, z int static, b int, PRIMARY KEY (k, c))");
  f_.Exec("INSERT INTO st (k, c, a, z, b) VALUES (1, 2, 3, 4, 5)");

  Rows rows = f_.Select("SELECT * FROM st");
  cql::PreparedResult prepared = f_.Prepare("SELECT * FROM st WHERE k = ?");

  // Keys, then static columns by name, then regular columns by name, as Cassandra.
  EXPECT_EQ(rows.names, (std::vector<std::string>{"k", "c", "z", "a", "b"}));
  EXPECT_THAT(rows.Lines(), ElementsAre("1|2|4|3|5"));
  std::vector<std::string> names;
  for (const cql::ColumnSpec& c : prepared.result_metadata.columns) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"k", "c", "z", "a", "b"}));
}

TEST_F(EngineSelectTest, InOnPartitionKeyReturnsPartitionsInKeyTypeOrder) {
  f_.Exec("CREATE TABLE i (k int PRIMARY KEY, v int)");
  f_.Exec("CREATE TABLE i2 (a int, b text, v int, PRIMARY KEY ((a, b)))");
  for (int k = -1; k <= 4; ++k) f_.Exec("INSERT INTO i (k, v) VALUES (" + std::to_string(k) + ", 0)");
  for (int a = 1; a <= 2; ++a) {
    for (const char* b : {"x", "y"}) {
      f_.Exec("INSERT INTO i2 (a, b, v) VALUES (" + std::to_string(a) + ", '" + b + "', 0)");
    }
  }

  // Cassandra: sorted by the key's type (not by token), duplicates once; a composite key
  // column by column (the cartesian product, sorted).
  EXPECT_THAT(f_.Select("SELECT k FROM i WHERE k IN (3, 1, 4, 2)").Lines(), ElementsAre("1", "2", "3", "4"));
  EXPECT_THAT(f_.Select("SELECT k FROM i WHERE k IN (4, 3, 3)").Lines(), ElementsAre("3", "4"));
  EXPECT_THAT(f_.Select("SELECT k FROM i WHERE k IN ?", {Encoded(*cql::DataType::List(cql::DataType::Native(cql::TypeId::kInt)),
                                                                  cql::Value::List({cql::Value::Int(2), cql::Value::Int(-1)}))})
                  .Lines(),
              ElementsAre("-1", "2"));
  EXPECT_THAT(f_.Select("SELECT a, b FROM i2 WHERE a IN (2, 1) AND b IN ('y', 'x')").Lines(),
              ElementsAre("1|'x'", "1|'y'", "2|'x'", "2|'y'"));
  EXPECT_THAT(f_.SelectPaged("SELECT k FROM i WHERE k IN (3, 1, 4, 2, -1)", 1).Lines(),
              ElementsAre("-1", "1", "2", "3", "4"));
}

TEST_F(EngineSelectTest, TokenRestrictionNextToPartitionKeyEqualityFiltersTheKeys) {
  f_.Exec("CREATE TABLE probe (k int, c int, v int, PRIMARY KEY (k, c))");
  f_.Exec("INSERT INTO probe (k, c, v) VALUES (1, 1, 1)");
  int64_t token = f_.Select("SELECT token(k) FROM probe WHERE k = 1").Value(0, 0).as_int64();

  Rows above = f_.Select("SELECT k, c FROM probe WHERE token(k) > ? AND k = 1", {Bigint(token - 1)});
  Rows at = f_.Select("SELECT k, c FROM probe WHERE token(k) > ? AND k = 1", {Bigint(token)});
  Reply literal = f_.Query("SELECT * FROM probe WHERE token(k) > 0 AND k = 1");

  EXPECT_THAT(above.Lines(), ElementsAre("1|1"));
  EXPECT_EQ(at.size(), 0u);
  EXPECT_FALSE(ErrorOf(literal).has_value()) << Describe(literal);
}

}  // namespace
}  // namespace cqlbulk::sim::testing
