// SPDX-License-Identifier: Apache-2.0
// Bind markers: numbering across a statement, names, and what each one binds to.
#include <string>
#include <vector>

#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"

namespace cqlbulk::sim {
namespace {

using Columns = std::vector<std::string>;

void ExpectMarker(const BindMarker& marker, int32_t index, BindRole role, const Columns& columns,
                  bool in_list = false) {
  EXPECT_EQ(marker.index, index);
  EXPECT_EQ(marker.role, role) << "marker " << index;
  EXPECT_EQ(marker.columns, columns) << "marker " << index;
  EXPECT_EQ(marker.in_list, in_list) << "marker " << index;
}

TEST(CqlParserBindTest, NumbersMarkersInOrderOfAppearanceAcrossUpdate) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("UPDATE t USING TTL ? AND TIMESTAMP ? SET v = ?, m[?] = ? WHERE k = ? "
                     "IF w = ?"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 7u);
  ExpectMarker(m[0], 0, BindRole::kTtl, {});
  ExpectMarker(m[1], 1, BindRole::kTimestamp, {});
  ExpectMarker(m[2], 2, BindRole::kColumnValue, {"v"});
  ExpectMarker(m[3], 3, BindRole::kCollectionKey, {"m"});
  ExpectMarker(m[4], 4, BindRole::kCollectionElement, {"m"});
  ExpectMarker(m[5], 5, BindRole::kColumnValue, {"k"});
  ExpectMarker(m[6], 6, BindRole::kColumnValue, {"w"});
  const auto& update = std::get<UpdateStatement>(parsed.statement);
  EXPECT_EQ(update.using_clause.ttl->bind_index, 0);
  EXPECT_EQ(update.assignments[1].key->bind_index, 3);
  EXPECT_EQ(update.where[0].value.bind_index, 5);
}

TEST(CqlParserBindTest, InsertMarkersBindToTheirColumnsThenUsing) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("INSERT INTO t (k, c, v) VALUES (?, ?, ?) USING TTL ?"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 4u);
  ExpectMarker(m[0], 0, BindRole::kColumnValue, {"k"});
  ExpectMarker(m[1], 1, BindRole::kColumnValue, {"c"});
  ExpectMarker(m[2], 2, BindRole::kColumnValue, {"v"});
  ExpectMarker(m[3], 3, BindRole::kTtl, {});
  EXPECT_TRUE(m[0].name.empty());
}

TEST(CqlParserBindTest, SelectMarkersIncludingInTokenAndLimits) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT * FROM t WHERE token(p1, p2) > ? AND token(p1, p2) <= ? AND "
                     "c IN ? AND d IN (?, 5, ?) AND s CONTAINS ? AND m CONTAINS KEY ? "
                     "PER PARTITION LIMIT ? LIMIT ?"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 9u);
  ExpectMarker(m[0], 0, BindRole::kToken, {"p1", "p2"});
  ExpectMarker(m[1], 1, BindRole::kToken, {"p1", "p2"});
  ExpectMarker(m[2], 2, BindRole::kInValues, {"c"});
  ExpectMarker(m[3], 3, BindRole::kColumnValue, {"d"}, /*in_list=*/true);
  ExpectMarker(m[4], 4, BindRole::kColumnValue, {"d"}, /*in_list=*/true);
  ExpectMarker(m[5], 5, BindRole::kCollectionElement, {"s"});
  ExpectMarker(m[6], 6, BindRole::kCollectionKey, {"m"});
  ExpectMarker(m[7], 7, BindRole::kPerPartitionLimit, {});
  ExpectMarker(m[8], 8, BindRole::kLimit, {});
  const auto& select = std::get<SelectStatement>(parsed.statement);
  EXPECT_EQ(select.limit->bind_index, 8);
  EXPECT_EQ(select.where[3].in_values[2].bind_index, 4);
}

TEST(CqlParserBindTest, NamedMarkersKeepTheirNames) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT * FROM t WHERE k = :Key AND c > :\"Upper\" LIMIT :lim"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].name, "key");
  ExpectMarker(m[0], 0, BindRole::kColumnValue, {"k"});
  EXPECT_EQ(m[1].name, "Upper");
  EXPECT_EQ(m[2].name, "lim");
  EXPECT_EQ(m[2].role, BindRole::kLimit);
  const auto& select = std::get<SelectStatement>(parsed.statement);
  EXPECT_EQ(select.where[0].value.name, "key");
  EXPECT_EQ(select.where[0].value.text, ":Key");
}

TEST(CqlParserBindTest, MultiColumnMarkers) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT * FROM t WHERE (a, b) > (?, ?) AND (a, b) < ? AND (a, b) IN ? "
                     "AND (a, b) IN (?, (?, 1))"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 6u);
  ExpectMarker(m[0], 0, BindRole::kColumnValue, {"a"});
  ExpectMarker(m[1], 1, BindRole::kColumnValue, {"b"});
  ExpectMarker(m[2], 2, BindRole::kTuple, {"a", "b"});
  ExpectMarker(m[3], 3, BindRole::kInValues, {"a", "b"});
  ExpectMarker(m[4], 4, BindRole::kTuple, {"a", "b"}, /*in_list=*/true);
  ExpectMarker(m[5], 5, BindRole::kColumnValue, {"a"}, /*in_list=*/true);
}

TEST(CqlParserBindTest, AssignmentMarkerRoles) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("UPDATE t SET l = l + ?, s = s - ?, u.f = ?, l = ? + l WHERE k = ?"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 5u);
  ExpectMarker(m[0], 0, BindRole::kColumnValue, {"l"});
  ExpectMarker(m[1], 1, BindRole::kSubtracted, {"s"});
  ExpectMarker(m[2], 2, BindRole::kUdtField, {"u"});
  EXPECT_EQ(m[2].field, "f");
  ExpectMarker(m[3], 3, BindRole::kColumnValue, {"l"});
}

TEST(CqlParserBindTest, NestedAndCastMarkers) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("INSERT INTO t (k, l, f) VALUES ((bigint) ?, [1, ?], blobAsInt(?))"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 3u);
  ExpectMarker(m[0], 0, BindRole::kCast, {"k"});
  EXPECT_EQ(m[0].cast_type, "bigint");
  ExpectMarker(m[1], 1, BindRole::kNested, {"l"});
  ExpectMarker(m[2], 2, BindRole::kNested, {"f"});
}

TEST(CqlParserBindTest, DeleteAndJsonMarkers) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement del,
      ParseStatement("DELETE m[?] FROM t USING TIMESTAMP ? WHERE k = ? IF m[?] = ?"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement json, ParseStatement("INSERT INTO t JSON ?"));

  const auto& m = del.bind_markers;
  ASSERT_EQ(m.size(), 5u);
  ExpectMarker(m[0], 0, BindRole::kCollectionKey, {"m"});
  ExpectMarker(m[1], 1, BindRole::kTimestamp, {});
  ExpectMarker(m[2], 2, BindRole::kColumnValue, {"k"});
  ExpectMarker(m[3], 3, BindRole::kCollectionKey, {"m"});
  ExpectMarker(m[4], 4, BindRole::kCollectionElement, {"m"});
  ASSERT_EQ(json.bind_markers.size(), 1u);
  EXPECT_EQ(json.bind_markers[0].role, BindRole::kJson);
}

TEST(CqlParserBindTest, BatchNumbersMarkersAcrossAllItsStatements) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (k, v) VALUES (?, ?); "
                     "UPDATE t SET v = ? WHERE k = ?; APPLY BATCH"));

  const auto& m = parsed.bind_markers;
  ASSERT_EQ(m.size(), 5u);
  ExpectMarker(m[0], 0, BindRole::kTimestamp, {});
  ExpectMarker(m[1], 1, BindRole::kColumnValue, {"k"});
  ExpectMarker(m[2], 2, BindRole::kColumnValue, {"v"});
  ExpectMarker(m[3], 3, BindRole::kColumnValue, {"v"});
  ExpectMarker(m[4], 4, BindRole::kColumnValue, {"k"});
  const auto& batch = std::get<BatchStatement>(parsed.statement);
  EXPECT_EQ(std::get<UpdateStatement>(batch.statements[1]).where[0].value.bind_index, 4);
}

TEST(CqlParserBindTest, SpecNamesFollowCassandra) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement select,
      ParseStatement("SELECT * FROM t WHERE token(p) > ? AND c IN ? AND (a, b) > ? AND "
                     "s CONTAINS ? AND k = :mine LIMIT ?"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement update,
      ParseStatement("UPDATE t USING TTL ? AND TIMESTAMP ? SET m[?] = ?, u.f = ?, v = ? "
                     "WHERE k = ?"));

  std::vector<std::string> names;
  for (const auto* parsed : {&select, &update}) {
    for (const BindMarker& marker : parsed->bind_markers) {
      names.push_back(BindMarkerSpecName(marker));
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"partition key token", "in(c)", "(a,b)", "value(s)",
                                             "mine", "[limit]", "[ttl]", "[timestamp]", "key(m)",
                                             "value(m)", "u.f", "v", "k"}));
}

TEST(CqlParserBindTest, StatementWithoutMarkersHasNone) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement parsed,
                               ParseStatement("SELECT * FROM t WHERE k = 1 LIMIT 5"));

  EXPECT_TRUE(parsed.bind_markers.empty());
}

}  // namespace
}  // namespace cqlbulk::sim
