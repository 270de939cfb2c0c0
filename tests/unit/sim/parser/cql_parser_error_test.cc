// SPDX-License-Identifier: Apache-2.0
// Syntax errors name line, column and token; hostile input never crashes.
#include <random>
#include <string>

#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

std::string Repeat(std::string_view piece, size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (size_t i = 0; i < n; ++i) {
    out += piece;
  }
  return out;
}

TEST(CqlParserErrorTest, UnknownStatementMatchesCassandrasMessage) {
  auto result = ParseStatement("SELEC * FROM golden.tok_int");

  EXPECT_THAT(result, IsError(ErrorCode::kInvalidArgument));
  ASSERT_FALSE(result.has_value());
  // Cassandra 4.0 answered exactly this in the captures (v4_index.json, ERROR 0x2000).
  EXPECT_EQ(result.error().message(),
            "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
  EXPECT_EQ(result.error().server_code(), kCqlSyntaxErrorCode);
}

TEST(CqlParserErrorTest, EmptyStatement) {
  EXPECT_THAT(ParseStatement(""), HasMessage("line 1:0 no viable alternative at input '<EOF>'"));
  EXPECT_THAT(ParseStatement(" ; "), HasMessage("no viable alternative at input ';'"));
}

TEST(CqlParserErrorTest, MismatchedKeywordNamesExpectation) {
  EXPECT_THAT(ParseStatement("SELECT * FORM t"),
              HasMessage("line 1:9 mismatched input 'FORM' expecting FROM"));
  EXPECT_THAT(ParseStatement("INSERT INTO t (k VALUES (1)"),
              HasMessage("line 1:17 mismatched input 'VALUES' expecting ')'"));
  EXPECT_THAT(ParseStatement("UPDATE t SET v = 1"),
              HasMessage("line 1:18 mismatched input '<EOF>' expecting WHERE"));
}

TEST(CqlParserErrorTest, ReportsLineAndColumnOnLaterLines) {
  EXPECT_THAT(ParseStatement("SELECT *\nFROM t\nWHERE k = = 1"),
              HasMessage("line 3:10 no viable alternative at input '='"));
}

TEST(CqlParserErrorTest, ReservedWordIsNotAName) {
  EXPECT_THAT(ParseStatement("SELECT * FROM select"),
              HasMessage("line 1:14 mismatched input 'select' expecting a table name"));
  EXPECT_THAT(ParseStatement("CREATE TABLE t (from int PRIMARY KEY)"),
              HasMessage("mismatched input 'from' expecting a column name"));
}

TEST(CqlParserErrorTest, QuotedReservedWordIsAName) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement parsed,
                               ParseStatement("SELECT \"from\" FROM \"select\""));

  EXPECT_EQ(std::get<SelectStatement>(parsed.statement).table.name, "select");
}

TEST(CqlParserErrorTest, ExtraInputAfterStatement) {
  EXPECT_THAT(ParseStatement("SELECT * FROM t LIMIT 1 x"),
              HasMessage("line 1:24 extraneous input 'x' expecting EOF"));
  EXPECT_THAT(ParseStatement("USE a; USE b"),
              HasMessage("line 1:7 extraneous input 'USE' expecting EOF"));
}

TEST(CqlParserErrorTest, SignMustTouchTheNumber) {
  EXPECT_THAT(ParseStatement("SELECT * FROM t WHERE k = - 5"),
              HasMessage("line 1:26 no viable alternative at input '-'"));
}

TEST(CqlParserErrorTest, BareIdentifierIsNotATerm) {
  EXPECT_THAT(ParseStatement("INSERT INTO t (k) VALUES (other)"),
              HasMessage("line 1:26 no viable alternative at input 'other'"));
}

TEST(CqlParserErrorTest, LimitNeedsIntegerOrMarker) {
  EXPECT_THAT(ParseStatement("SELECT * FROM t LIMIT 'x'"),
              HasMessage("mismatched input ''x'' expecting an integer or a bind marker"));
}

TEST(CqlParserErrorTest, InNeedsListOrMarker) {
  EXPECT_THAT(ParseStatement("SELECT * FROM t WHERE k IN 1"),
              HasMessage("mismatched input '1' expecting '(' or a bind marker"));
}

TEST(CqlParserErrorTest, TokenAndTupleRelationsTakeOnlyComparisons) {
  EXPECT_THAT(ParseStatement("SELECT * FROM t WHERE (a, b) CONTAINS 1"),
              HasMessage("line 1:29 mismatched input 'CONTAINS' expecting a comparison operator "
                         "or IN"));
  EXPECT_THAT(ParseStatement("SELECT * FROM t WHERE token(k) IN (1)"),
              HasMessage("line 1:31 mismatched input 'IN' expecting a comparison operator"));
}

TEST(CqlParserErrorTest, DeepNestingIsAnErrorNotACrash) {
  const size_t kDepth = 200000;
  std::string lists = "SELECT * FROM t WHERE k = " + Repeat("[", kDepth) + Repeat("]", kDepth);
  std::string calls = "SELECT * FROM t WHERE k = " + Repeat("f(", kDepth) + Repeat(")", kDepth);
  std::string tuples =
      "SELECT * FROM t WHERE k = " + Repeat("(", kDepth) + "1" + Repeat(")", kDepth);
  std::string maps = "SELECT * FROM t WHERE k = " + Repeat("{1: ", kDepth);
  std::string casts = "SELECT * FROM t WHERE k = " + Repeat("(int) ", kDepth) + "1";
  std::string types = "CREATE TABLE t (k int PRIMARY KEY, v " + Repeat("frozen<", kDepth);
  std::string selectors = "SELECT " + Repeat("f(", kDepth) + Repeat(")", kDepth) + " FROM t";
  std::string relations = "SELECT * FROM t WHERE " + Repeat("(", kDepth) + "k = 1";

  for (const std::string* cql :
       {&lists, &calls, &tuples, &maps, &casts, &types, &selectors, &relations}) {
    EXPECT_THAT(ParseStatement(*cql), HasMessage("nesting deeper than 64 levels"));
  }
}

TEST(CqlParserErrorTest, NestingLimitIsConfigurable) {
  ParseOptions options{.max_nesting_depth = 3};

  EXPECT_TRUE(ParseStatement("SELECT * FROM t WHERE k = [[1]]", options).has_value());
  EXPECT_THAT(ParseStatement("SELECT * FROM t WHERE k = [[[1]]]", options),
              HasMessage("line 1:29 nesting deeper than 3 levels at input '1'"));
}

TEST(CqlParserErrorTest, WideInputParses) {
  const size_t kElements = 200000;
  std::string list = "INSERT INTO t (k, l) VALUES (1, [0" + Repeat(", 1", kElements) + "])";
  std::string batch = "BEGIN UNLOGGED BATCH " +
                      Repeat("INSERT INTO t (k, v) VALUES (?, ?); ", 5000) + "APPLY BATCH";

  CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement insert, ParseStatement(list));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement parsed_batch, ParseStatement(batch));

  EXPECT_EQ(std::get<InsertStatement>(insert.statement).values[1].elements.size(), kElements + 1);
  EXPECT_EQ(std::get<BatchStatement>(parsed_batch.statement).statements.size(), 5000u);
  ASSERT_EQ(parsed_batch.bind_markers.size(), 10000u);
  EXPECT_EQ(parsed_batch.bind_markers.back().index, 9999);
  EXPECT_EQ(parsed_batch.bind_markers.back().columns, std::vector<std::string>{"v"});
}

TEST(CqlParserErrorTest, EveryTruncationFailsCleanlyWithALocatedMessage) {
  const std::string cql =
      "BEGIN BATCH USING TIMESTAMP 1 INSERT INTO ks.t (k, \"C\", v) VALUES (1, 'it''s', "
      "{'a': [1.5e3, -2], 'b': []}) IF NOT EXISTS USING TTL ?; UPDATE t SET m[?] = (int) ?, "
      "l = l + [0x01] WHERE (a, b) IN ((1, 2)) AND token(k) > -1 IF u.f = $$x$$; "
      "DELETE v FROM t WHERE k = :name; APPLY BATCH";
  ASSERT_TRUE(ParseStatement(cql).has_value()) << ParseStatement(cql).error().ToString();

  for (size_t length = 0; length < cql.size(); ++length) {
    auto result = ParseStatement(std::string_view(cql).substr(0, length));
    ASSERT_FALSE(result.has_value()) << "prefix of length " << length << " parsed";
    EXPECT_EQ(result.error().message().rfind("line ", 0), 0u) << result.error().message();
  }
}

TEST(CqlParserErrorTest, RandomTokenSoupNeverCrashes) {
  const char* pieces[] = {"SELECT", "*",      "FROM",   "t",     "WHERE", "k",     "=",
                          "(",      ")",      "[",      "]",     "{",     "}",     ",",
                          ":",      "?",      "'s'",    "1",     "-",     "IN",    "AND",
                          "token",  "INSERT", "VALUES", "BEGIN", "BATCH", "APPLY", "<",
                          ".",      "frozen", "<",      ">",     ";",     "0x1",   "null"};
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(1, 40);
  size_t parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string cql;
    for (int n = length(rng); n > 0; --n) {
      cql += pieces[pick(rng)];
      cql += ' ';
    }
    auto result = ParseStatement(cql);
    if (result.has_value()) {
      ++parsed;
    } else {
      EXPECT_EQ(result.error().message().rfind("line ", 0), 0u) << cql;
    }
  }
  EXPECT_LT(parsed, 20000u);
}

}  // namespace
}  // namespace cqlbulk::sim
