// SPDX-License-Identifier: Apache-2.0
// SELECT statements and the term grammar.
#include "cqlbulk/sim/parser/cql_parser.h"

#include <string>
#include <vector>

#include "testing/matchers.h"
#include "unit/sim/parser/cql_parser_test_util.h"

namespace cqlbulk::sim {
namespace {

using ::cqlbulk::sim::testing::ParseAs;

void ExpectLiteral(const Term& term, LiteralKind kind, const std::string& text) {
  EXPECT_EQ(term.kind, TermKind::kLiteral) << term.text;
  EXPECT_EQ(term.literal_kind, kind) << term.text;
  EXPECT_EQ(term.text, text);
  EXPECT_TRUE(term.is_constant) << term.text;
}

// The right-hand side of `v = <term>` in a SELECT's WHERE clause.
Result<Term> ParseTermText(const std::string& term) {
  CQLBULK_ASSIGN_OR_RETURN(SelectStatement select,
                           ParseAs<SelectStatement>("SELECT * FROM t WHERE v = " + term));
  return select.where.at(0).value;
}

TEST(CqlParserSelectTest, ParsesSystemLocalQueryOfTheDriver) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select, ParseAs<SelectStatement>("SELECT * FROM system.local WHERE key='local'"));

  EXPECT_EQ(select.table, (QualifiedName{"system", "local"}));
  EXPECT_TRUE(select.select_all);
  EXPECT_TRUE(select.selectors.empty());
  ASSERT_EQ(select.where.size(), 1u);
  const Relation& relation = select.where[0];
  EXPECT_EQ(relation.target, RelationTarget::kColumn);
  EXPECT_EQ(relation.columns, std::vector<std::string>{"key"});
  EXPECT_EQ(relation.op, RelationOp::kEq);
  ExpectLiteral(relation.value, LiteralKind::kString, "'local'");
  EXPECT_EQ(relation.value.string_value, "local");
  EXPECT_FALSE(select.limit.has_value());
  EXPECT_FALSE(select.allow_filtering);
}

TEST(CqlParserSelectTest, ParsesEveryKindOfSelector) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select,
      ParseAs<SelectStatement>("SELECT pk, count(*), COUNT(1), token(a, b), writetime(v) AS wt, "
                               "ttl(v), system.now(), blobAsInt(0x01), cast(v AS text), u.f, "
                               "\"Quoted\" FROM ks.t"));

  ASSERT_EQ(select.selectors.size(), 11u);
  const auto& s = select.selectors;
  EXPECT_EQ(s[0].kind, SelectorKind::kColumn);
  EXPECT_EQ(s[0].name, "pk");
  EXPECT_EQ(s[1].kind, SelectorKind::kCountRows);
  EXPECT_EQ(s[1].text, "count(*)");
  EXPECT_EQ(s[2].kind, SelectorKind::kCountRows);
  EXPECT_EQ(s[2].text, "COUNT(1)");
  EXPECT_EQ(s[3].kind, SelectorKind::kFunction);
  EXPECT_EQ(s[3].name, "token");
  ASSERT_EQ(s[3].args.size(), 2u);
  EXPECT_EQ(s[3].args[1].name, "b");
  EXPECT_EQ(s[3].text, "token(a, b)");
  EXPECT_EQ(s[4].kind, SelectorKind::kWritetime);
  EXPECT_EQ(s[4].name, "v");
  EXPECT_EQ(s[4].alias, "wt");
  EXPECT_EQ(s[4].text, "writetime(v)");
  EXPECT_EQ(s[5].kind, SelectorKind::kTtl);
  EXPECT_EQ(s[6].kind, SelectorKind::kFunction);
  EXPECT_EQ(s[6].keyspace, "system");
  EXPECT_EQ(s[6].name, "now");
  EXPECT_TRUE(s[6].args.empty());
  EXPECT_EQ(s[7].name, "blobasint");
  ASSERT_EQ(s[7].args.size(), 1u);
  EXPECT_EQ(s[7].args[0].kind, SelectorKind::kTerm);
  ExpectLiteral(s[7].args[0].term, LiteralKind::kBlob, "0x01");
  EXPECT_EQ(s[8].kind, SelectorKind::kCast);
  EXPECT_EQ(s[8].name, "text");
  ASSERT_EQ(s[8].args.size(), 1u);
  EXPECT_EQ(s[8].args[0].name, "v");
  EXPECT_EQ(s[9].kind, SelectorKind::kField);
  EXPECT_EQ(s[9].name, "f");
  ASSERT_EQ(s[9].args.size(), 1u);
  EXPECT_EQ(s[9].args[0].name, "u");
  EXPECT_EQ(s[9].text, "u.f");
  EXPECT_EQ(s[10].name, "Quoted");
}

TEST(CqlParserSelectTest, CountOfAColumnIsAPlainFunction) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto select, ParseAs<SelectStatement>("SELECT count(v) FROM t"));

  EXPECT_EQ(select.selectors.at(0).kind, SelectorKind::kFunction);
  EXPECT_EQ(select.selectors.at(0).name, "count");
}

TEST(CqlParserSelectTest, ParsesJsonAndDistinctButKeepsColumnsWithThoseNames) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto both,
                               ParseAs<SelectStatement>("SELECT JSON DISTINCT pk FROM t"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto column, ParseAs<SelectStatement>("SELECT json FROM t"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto columns,
                               ParseAs<SelectStatement>("SELECT distinct, json FROM t"));

  EXPECT_TRUE(both.is_json);
  EXPECT_TRUE(both.is_distinct);
  EXPECT_EQ(both.selectors.at(0).name, "pk");
  EXPECT_FALSE(column.is_json);
  EXPECT_EQ(column.selectors.at(0).name, "json");
  EXPECT_FALSE(columns.is_distinct);
  EXPECT_EQ(columns.selectors.size(), 2u);
}

TEST(CqlParserSelectTest, ParsesEveryRelationOperator) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select,
      ParseAs<SelectStatement>("SELECT * FROM t WHERE a = 1 AND b < 2 AND c <= 3 AND d > 4 AND "
                               "e >= 5 AND f != 6 AND g CONTAINS 7 AND h CONTAINS KEY 'k' AND "
                               "i LIKE 'x%'"));

  std::vector<RelationOp> ops;
  for (const Relation& r : select.where) {
    ops.push_back(r.op);
  }
  EXPECT_EQ(ops, (std::vector<RelationOp>{RelationOp::kEq, RelationOp::kLt, RelationOp::kLte,
                                          RelationOp::kGt, RelationOp::kGte, RelationOp::kNeq,
                                          RelationOp::kContains, RelationOp::kContainsKey,
                                          RelationOp::kLike}));
  EXPECT_EQ(select.where[7].columns, std::vector<std::string>{"h"});
  ExpectLiteral(select.where[7].value, LiteralKind::kString, "'k'");
  EXPECT_EQ(RelationOpName(RelationOp::kContainsKey), "CONTAINS KEY");
}

TEST(CqlParserSelectTest, ParsesInListsAndInMarker) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select, ParseAs<SelectStatement>("SELECT * FROM t WHERE a IN (1, 2) AND b IN () AND "
                                            "c IN ?"));

  ASSERT_EQ(select.where.size(), 3u);
  EXPECT_TRUE(select.where[0].has_in_list);
  ASSERT_EQ(select.where[0].in_values.size(), 2u);
  ExpectLiteral(select.where[0].in_values[1], LiteralKind::kInteger, "2");
  EXPECT_TRUE(select.where[1].has_in_list);
  EXPECT_TRUE(select.where[1].in_values.empty());
  EXPECT_FALSE(select.where[2].has_in_list);
  EXPECT_TRUE(select.where[2].value.is_bind_marker());
}

TEST(CqlParserSelectTest, ParsesTokenRangeRestrictionOfTheDriver) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select, ParseAs<SelectStatement>("SELECT count(*) FROM golden.tok_int WHERE token(pk) > "
                                            "-9223372036854775808 AND token(pk) <= 0"));

  EXPECT_EQ(select.selectors.at(0).kind, SelectorKind::kCountRows);
  ASSERT_EQ(select.where.size(), 2u);
  EXPECT_EQ(select.where[0].target, RelationTarget::kToken);
  EXPECT_EQ(select.where[0].columns, std::vector<std::string>{"pk"});
  EXPECT_EQ(select.where[0].op, RelationOp::kGt);
  ExpectLiteral(select.where[0].value, LiteralKind::kInteger, "-9223372036854775808");
  EXPECT_EQ(select.where[1].op, RelationOp::kLte);
  ExpectLiteral(select.where[1].value, LiteralKind::kInteger, "0");
}

TEST(CqlParserSelectTest, ParsesCompositeTokenAndMultiColumnRelations) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select,
      ParseAs<SelectStatement>("SELECT * FROM t WHERE token(p1, p2) >= token(1, 'a') AND "
                               "(c1, c2) > (1, 'x') AND (c1, c2) IN ((1, 'a'), (2, 'b')) AND "
                               "(c1) = (3) AND (k = 4)"));

  ASSERT_EQ(select.where.size(), 5u);
  EXPECT_EQ(select.where[0].columns, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(select.where[0].value.kind, TermKind::kFunctionCall);
  EXPECT_EQ(select.where[0].value.name, "token");
  EXPECT_EQ(select.where[0].value.elements.size(), 2u);
  EXPECT_EQ(select.where[1].target, RelationTarget::kColumns);
  EXPECT_EQ(select.where[1].columns, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(select.where[1].value.kind, TermKind::kTuple);
  EXPECT_EQ(select.where[1].value.text, "(1, 'x')");
  EXPECT_EQ(select.where[2].op, RelationOp::kIn);
  ASSERT_EQ(select.where[2].in_values.size(), 2u);
  EXPECT_EQ(select.where[2].in_values[1].text, "(2, 'b')");
  EXPECT_EQ(select.where[3].target, RelationTarget::kColumns);
  EXPECT_EQ(select.where[3].columns, std::vector<std::string>{"c1"});
  EXPECT_EQ(select.where[4].target, RelationTarget::kColumn);
  EXPECT_EQ(select.where[4].columns, std::vector<std::string>{"k"});
}

TEST(CqlParserSelectTest, ParsesTrailingClausesInOrder) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select,
      ParseAs<SelectStatement>("select a from t where p = 1 group by p, c order by c desc, d "
                               "ASC per partition limit 2 limit 10 allow filtering;"));

  EXPECT_EQ(select.group_by, (std::vector<std::string>{"p", "c"}));
  ASSERT_EQ(select.order_by.size(), 2u);
  EXPECT_EQ(select.order_by[0].column, "c");
  EXPECT_TRUE(select.order_by[0].descending);
  EXPECT_FALSE(select.order_by[1].descending);
  ASSERT_TRUE(select.per_partition_limit.has_value());
  ExpectLiteral(*select.per_partition_limit, LiteralKind::kInteger, "2");
  ASSERT_TRUE(select.limit.has_value());
  ExpectLiteral(*select.limit, LiteralKind::kInteger, "10");
  EXPECT_TRUE(select.allow_filtering);
}

TEST(CqlParserSelectTest, NormalisesNamesButKeepsQuotedCase) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto select, ParseAs<SelectStatement>("SELECT \"Col\", Other FROM \"KS\".Tab WHERE "
                                            "\"Key\" = 1"));

  EXPECT_EQ(select.table, (QualifiedName{"KS", "tab"}));
  EXPECT_EQ(select.selectors.at(0).name, "Col");
  EXPECT_EQ(select.selectors.at(1).name, "other");
  EXPECT_EQ(select.where.at(0).columns, std::vector<std::string>{"Key"});
}

TEST(CqlParserTermTest, ParsesEveryLiteralKind) {
  struct Case {
    std::string text;
    LiteralKind kind;
  };
  const Case cases[] = {
      {"'str'", LiteralKind::kString},
      {"$$dollar 'quoted'$$", LiteralKind::kString},
      {"42", LiteralKind::kInteger},
      {"-42", LiteralKind::kInteger},
      {"1.5", LiteralKind::kFloat},
      {"-2.5e-3", LiteralKind::kFloat},
      {"NaN", LiteralKind::kFloat},
      {"Infinity", LiteralKind::kFloat},
      {"-Infinity", LiteralKind::kFloat},
      {"true", LiteralKind::kBoolean},
      {"FALSE", LiteralKind::kBoolean},
      {"550e8400-e29b-41d4-a716-446655440000", LiteralKind::kUuid},
      {"0xCAFE", LiteralKind::kBlob},
      {"0x", LiteralKind::kBlob},
      {"1h30m", LiteralKind::kDuration},
      {"-2d", LiteralKind::kDuration},
      {"P1DT2H", LiteralKind::kDuration},
      {"null", LiteralKind::kNull},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    CQLBULK_ASSERT_OK_AND_ASSIGN(Term term, ParseTermText(c.text));
    ExpectLiteral(term, c.kind, c.text);
  }
}

TEST(CqlParserTermTest, UnescapesStringValue) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term term, ParseTermText("'it''s'"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term dollar, ParseTermText("$$it's$$"));

  EXPECT_EQ(term.text, "'it''s'");
  EXPECT_EQ(term.string_value, "it's");
  EXPECT_EQ(dollar.string_value, "it's");
}

TEST(CqlParserTermTest, ParsesCollectionsWithStructureAndSourceText) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term list, ParseTermText("[1, -2,3]"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term set, ParseTermText("{'a', 'b'}"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term map, ParseTermText("{'a': 1, 'b' : [2]}"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term empty, ParseTermText("{ }"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term empty_list, ParseTermText("[]"));

  EXPECT_EQ(list.kind, TermKind::kList);
  EXPECT_EQ(list.text, "[1, -2,3]");
  ASSERT_EQ(list.elements.size(), 3u);
  ExpectLiteral(list.elements[1], LiteralKind::kInteger, "-2");
  EXPECT_TRUE(list.is_constant);
  EXPECT_EQ(set.kind, TermKind::kSet);
  EXPECT_EQ(set.elements.size(), 2u);
  EXPECT_EQ(map.kind, TermKind::kMap);
  EXPECT_EQ(map.text, "{'a': 1, 'b' : [2]}");
  ASSERT_EQ(map.keys.size(), 2u);
  ExpectLiteral(map.keys[1], LiteralKind::kString, "'b'");
  EXPECT_EQ(map.elements[1].kind, TermKind::kList);
  EXPECT_EQ(empty.kind, TermKind::kEmptyBraces);
  EXPECT_EQ(empty.text, "{ }");
  EXPECT_EQ(empty_list.kind, TermKind::kList);
  EXPECT_TRUE(empty_list.elements.empty());
}

TEST(CqlParserTermTest, ParsesUdtAndTupleLiterals) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term udt, ParseTermText("{a: 1, \"B\": 'x', c: null}"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term tuple, ParseTermText("(1, 'a', [2], (3, 4))"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term single, ParseTermText("(1)"));

  EXPECT_EQ(udt.kind, TermKind::kUdt);
  EXPECT_EQ(udt.field_names, (std::vector<std::string>{"a", "B", "c"}));
  ASSERT_EQ(udt.elements.size(), 3u);
  EXPECT_TRUE(udt.elements[2].is_null());
  EXPECT_EQ(tuple.kind, TermKind::kTuple);
  ASSERT_EQ(tuple.elements.size(), 4u);
  EXPECT_EQ(tuple.elements[3].kind, TermKind::kTuple);
  EXPECT_EQ(tuple.text, "(1, 'a', [2], (3, 4))");
  EXPECT_EQ(single.kind, TermKind::kTuple);
  EXPECT_EQ(single.elements.size(), 1u);
}

TEST(CqlParserTermTest, BooleanKeysMakeAMapNotAUdt) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term map, ParseTermText("{true: 1}"));

  EXPECT_EQ(map.kind, TermKind::kMap);
  ExpectLiteral(map.keys.at(0), LiteralKind::kBoolean, "true");
}

TEST(CqlParserTermTest, ParsesFunctionCallsAndCasts) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term now, ParseTermText("now()"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term nested, ParseTermText("toTimestamp(now())"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term qualified, ParseTermText("system.blobAsInt(0x00000001)"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term cast, ParseTermText("(frozen<list<int>>) [1]"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term in_list, ParseTermText("[uuid(), 1]"));

  EXPECT_EQ(now.kind, TermKind::kFunctionCall);
  EXPECT_EQ(now.name, "now");
  EXPECT_TRUE(now.elements.empty());
  EXPECT_FALSE(now.is_constant);
  EXPECT_EQ(nested.name, "totimestamp");
  ASSERT_EQ(nested.elements.size(), 1u);
  EXPECT_EQ(nested.elements[0].name, "now");
  EXPECT_EQ(nested.text, "toTimestamp(now())");
  EXPECT_EQ(qualified.keyspace, "system");
  EXPECT_EQ(qualified.name, "blobasint");
  ExpectLiteral(qualified.elements.at(0), LiteralKind::kBlob, "0x00000001");
  EXPECT_EQ(cast.kind, TermKind::kTypeCast);
  EXPECT_EQ(cast.name, "frozen<list<int>>");
  ASSERT_EQ(cast.elements.size(), 1u);
  EXPECT_EQ(cast.elements[0].kind, TermKind::kList);
  EXPECT_FALSE(in_list.is_constant);
}

TEST(CqlParserTermTest, TupleStartingWithAFunctionCallIsNotACast) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term tuple, ParseTermText("(now(), 1)"));

  EXPECT_EQ(tuple.kind, TermKind::kTuple);
  EXPECT_EQ(tuple.elements.at(0).kind, TermKind::kFunctionCall);
}

TEST(CqlParserTermTest, NestedBindMarkerMakesTermNonConstant) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Term term, ParseTermText("{'a': [1, ?]}"));

  EXPECT_FALSE(term.is_constant);
  EXPECT_TRUE(term.keys.at(0).is_constant);
  EXPECT_FALSE(term.elements.at(0).is_constant);
  EXPECT_EQ(term.elements.at(0).elements.at(1).bind_index, 0);
}

}  // namespace
}  // namespace cqlbulk::sim
