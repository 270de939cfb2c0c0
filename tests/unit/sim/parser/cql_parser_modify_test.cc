// SPDX-License-Identifier: Apache-2.0
// INSERT, UPDATE, DELETE and BATCH.
#include <string>
#include <vector>

#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"
#include "unit/sim/parser/cql_parser_test_util.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::sim::testing::ParseAs;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

TEST(CqlParserInsertTest, ParsesColumnsValuesConditionAndUsing) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto insert,
      ParseAs<InsertStatement>("INSERT INTO ks.t (k, c, v) VALUES (1, 'two', [3]) IF NOT EXISTS "
                               "USING TTL 86400 AND TIMESTAMP 1234567890"));

  EXPECT_EQ(insert.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(insert.columns, (std::vector<std::string>{"k", "c", "v"}));
  ASSERT_EQ(insert.values.size(), 3u);
  EXPECT_EQ(insert.values[1].text, "'two'");
  EXPECT_EQ(insert.values[2].kind, TermKind::kList);
  EXPECT_TRUE(insert.if_not_exists);
  ASSERT_TRUE(insert.using_clause.ttl.has_value());
  EXPECT_EQ(insert.using_clause.ttl->text, "86400");
  ASSERT_TRUE(insert.using_clause.timestamp.has_value());
  EXPECT_EQ(insert.using_clause.timestamp->text, "1234567890");
  EXPECT_FALSE(insert.json.has_value());
}

TEST(CqlParserInsertTest, ParsesUsingInEitherOrder) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto insert,
      ParseAs<InsertStatement>("INSERT INTO t (k) VALUES (1) USING TIMESTAMP 5 AND TTL 6"));

  EXPECT_EQ(insert.using_clause.timestamp->text, "5");
  EXPECT_EQ(insert.using_clause.ttl->text, "6");
  EXPECT_FALSE(insert.if_not_exists);
}

TEST(CqlParserInsertTest, ParsesJsonInsert) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto insert,
      ParseAs<InsertStatement>("INSERT INTO t JSON '{\"k\": 1, \"v\": \"x\"}' DEFAULT UNSET"));

  ASSERT_TRUE(insert.json.has_value());
  EXPECT_EQ(insert.json->literal_kind, LiteralKind::kString);
  EXPECT_EQ(insert.json->string_value, "{\"k\": 1, \"v\": \"x\"}");
  EXPECT_TRUE(insert.json_default_unset);
  EXPECT_TRUE(insert.columns.empty());
}

TEST(CqlParserInsertTest, RejectsColumnValueCountMismatchAsInvalidRequest) {
  auto result = ParseStatement("INSERT INTO t (a, b) VALUES (1)");

  EXPECT_THAT(result, HasMessage("Unmatched column names/values"));
  EXPECT_EQ(result.error().server_code(), kCqlInvalidCode);
}

TEST(CqlParserUpdateTest, ParsesEveryAssignmentForm) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto update,
      ParseAs<UpdateStatement>("UPDATE ks.t USING TTL 10 SET a = 1, l = l + [2], l = [0] + l, "
                               "s = s - {'x'}, m['k'] = 'v', u.f = 3, n += 1, n -= 2, cnt = cnt "
                               "+ 1 WHERE k = 0"));

  EXPECT_EQ(update.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(update.using_clause.ttl->text, "10");
  const auto& a = update.assignments;
  ASSERT_EQ(a.size(), 9u);
  EXPECT_EQ(a[0].op, AssignmentOp::kSet);
  EXPECT_EQ(a[0].column, "a");
  EXPECT_EQ(a[0].value.text, "1");
  EXPECT_EQ(a[1].op, AssignmentOp::kAdd);
  EXPECT_EQ(a[1].value.text, "[2]");
  EXPECT_EQ(a[2].op, AssignmentOp::kPrepend);
  EXPECT_EQ(a[2].value.text, "[0]");
  EXPECT_EQ(a[3].op, AssignmentOp::kSubtract);
  EXPECT_EQ(a[3].value.kind, TermKind::kSet);
  EXPECT_EQ(a[4].op, AssignmentOp::kSetElement);
  ASSERT_TRUE(a[4].key.has_value());
  EXPECT_EQ(a[4].key->string_value, "k");
  EXPECT_EQ(a[4].value.string_value, "v");
  EXPECT_EQ(a[5].op, AssignmentOp::kSetField);
  EXPECT_EQ(a[5].field, "f");
  EXPECT_EQ(a[6].op, AssignmentOp::kAdd);
  EXPECT_EQ(a[7].op, AssignmentOp::kSubtract);
  EXPECT_EQ(a[7].value.text, "2");
  EXPECT_EQ(a[8].op, AssignmentOp::kAdd);
  EXPECT_EQ(a[8].column, "cnt");
  ASSERT_EQ(update.where.size(), 1u);
  EXPECT_FALSE(update.if_exists);
}

TEST(CqlParserUpdateTest, SubtractingANegativeNumber) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto update,
                               ParseAs<UpdateStatement>("UPDATE t SET c = c - -5 WHERE k = 0"));

  EXPECT_EQ(update.assignments.at(0).op, AssignmentOp::kSubtract);
  EXPECT_EQ(update.assignments.at(0).value.text, "-5");
}

TEST(CqlParserUpdateTest, ParsesIfExistsAndConditions) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto exists, ParseAs<UpdateStatement>("UPDATE t SET v = 1 WHERE k = 0 IF EXISTS"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto conditional,
      ParseAs<UpdateStatement>("UPDATE t SET v = 1 WHERE k = 0 IF v = 2 AND m['a'] > 3 AND "
                               "u.f != 'x' AND w IN (1, 2)"));

  EXPECT_TRUE(exists.if_exists);
  EXPECT_TRUE(exists.conditions.empty());
  EXPECT_FALSE(conditional.if_exists);
  const auto& c = conditional.conditions;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].target, RelationTarget::kColumn);
  EXPECT_EQ(c[0].value.text, "2");
  EXPECT_EQ(c[1].target, RelationTarget::kElement);
  ASSERT_TRUE(c[1].element.has_value());
  EXPECT_EQ(c[1].element->string_value, "a");
  EXPECT_EQ(c[1].op, RelationOp::kGt);
  EXPECT_EQ(c[2].target, RelationTarget::kField);
  EXPECT_EQ(c[2].field, "f");
  EXPECT_EQ(c[2].op, RelationOp::kNeq);
  EXPECT_TRUE(c[3].has_in_list);
  EXPECT_EQ(c[3].in_values.size(), 2u);
}

TEST(CqlParserUpdateTest, RejectsArithmeticOnAnotherColumn) {
  EXPECT_THAT(ParseStatement("UPDATE t SET a = b + 1 WHERE k = 0"),
              HasMessage("Only expressions of the form X = X + <value> are supported."));
  EXPECT_THAT(ParseStatement("UPDATE t SET a = [1] + b WHERE k = 0"),
              HasMessage("Only expressions of the form X = <value> + X are supported."));
}

TEST(CqlParserDeleteTest, ParsesTargetsUsingAndConditions) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto del, ParseAs<DeleteStatement>("DELETE v, m['k'], l[0], u.f FROM t USING TIMESTAMP 9 "
                                         "WHERE k = 1 AND c > 2 IF EXISTS"));

  ASSERT_EQ(del.targets.size(), 4u);
  EXPECT_EQ(del.targets[0].column, "v");
  EXPECT_FALSE(del.targets[0].element.has_value());
  EXPECT_EQ(del.targets[1].column, "m");
  EXPECT_EQ(del.targets[1].element->string_value, "k");
  EXPECT_EQ(del.targets[2].element->text, "0");
  EXPECT_EQ(del.targets[3].field, "f");
  EXPECT_EQ(del.using_clause.timestamp->text, "9");
  EXPECT_FALSE(del.using_clause.ttl.has_value());
  EXPECT_EQ(del.where.size(), 2u);
  EXPECT_TRUE(del.if_exists);
}

TEST(CqlParserDeleteTest, ParsesWholeRowDeleteWithCondition) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto del,
                               ParseAs<DeleteStatement>("DELETE FROM t WHERE k = 1 IF v = 3"));

  EXPECT_TRUE(del.targets.empty());
  ASSERT_EQ(del.conditions.size(), 1u);
  EXPECT_EQ(del.conditions[0].columns, std::vector<std::string>{"v"});
}

TEST(CqlParserDeleteTest, RejectsTtl) {
  EXPECT_THAT(ParseStatement("DELETE FROM t USING TTL 5 WHERE k = 1"),
              HasMessage("line 1:20 mismatched input 'TTL' expecting TIMESTAMP"));
}

TEST(CqlParserBatchTest, ParsesLoggedBatchOfMixedStatements) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto batch,
                               ParseAs<BatchStatement>("BEGIN BATCH USING TIMESTAMP 42\n"
                                                       "  INSERT INTO t (k, v) VALUES (1, 'a');\n"
                                                       "  UPDATE t SET v = 'b' WHERE k = 2\n"
                                                       "  DELETE FROM t WHERE k = 3;\n"
                                                       "APPLY BATCH;"));

  EXPECT_EQ(batch.type, BatchType::kLogged);
  EXPECT_EQ(batch.using_clause.timestamp->text, "42");
  ASSERT_EQ(batch.statements.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<InsertStatement>(batch.statements[0]));
  EXPECT_TRUE(std::holds_alternative<UpdateStatement>(batch.statements[1]));
  EXPECT_TRUE(std::holds_alternative<DeleteStatement>(batch.statements[2]));
  EXPECT_EQ(std::get<InsertStatement>(batch.statements[0]).values.at(1).string_value, "a");
}

TEST(CqlParserBatchTest, ParsesUnloggedAndCounterBatches) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto unlogged,
      ParseAs<BatchStatement>("begin unlogged batch insert into t (k) values (1) apply batch"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto counter, ParseAs<BatchStatement>(
                        "BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1; APPLY BATCH"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto empty, ParseAs<BatchStatement>("BEGIN BATCH APPLY BATCH"));

  EXPECT_EQ(unlogged.type, BatchType::kUnlogged);
  EXPECT_EQ(unlogged.statements.size(), 1u);
  EXPECT_EQ(counter.type, BatchType::kCounter);
  EXPECT_TRUE(empty.statements.empty());
}

TEST(CqlParserBatchTest, RejectsSelectInsideBatch) {
  auto result = ParseStatement("BEGIN BATCH SELECT * FROM t APPLY BATCH");

  EXPECT_THAT(result, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(result, HasMessage("line 1:12 mismatched input 'SELECT' expecting INSERT, UPDATE, "
                                 "DELETE or APPLY BATCH"));
}

TEST(CqlParserBatchTest, RejectsTtlOnBatch) {
  EXPECT_THAT(ParseStatement("BEGIN BATCH USING TTL 1 APPLY BATCH"),
              HasMessage("mismatched input 'TTL' expecting TIMESTAMP"));
}

TEST(CqlParserBatchTest, RejectsMissingApply) {
  EXPECT_THAT(ParseStatement("BEGIN BATCH INSERT INTO t (k) VALUES (1);"),
              HasMessage("mismatched input '<EOF>' expecting INSERT, UPDATE, DELETE or APPLY"));
}

}  // namespace
}  // namespace cqlbulk::sim
