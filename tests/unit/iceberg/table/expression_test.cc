// SPDX-License-Identifier: Apache-2.0
// table/expression.cc: the --filter language, its binding, its inclusive projection through
// partition transforms and its evaluations. Expected values are worked out by hand from the spec
// (day numbers, transform results); PyIceberg judges the whole (tests/e2e/iceberg_import_test.py:
// the rows a filtered load keeps equal PyIceberg's scan with the same row_filter).
#include "cqlbulk/iceberg/table/expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using Op = Expression::Op;

// 2024-03-01 is day 19783 since 1970-01-01 (2024-01-01 is 19723; January 31 days, February 29).
constexpr int32_t kMarch1 = 19783;
constexpr int64_t kMicrosPerDay = 86'400'000'000;

Schema TestSchema() {
  return Schema{0,
                {NestedField::Required(1, "id", Type::Long()),
                 NestedField::Optional(2, "region", Type::String()),
                 NestedField::Optional(3, "ts", Type::TimestampTz()),
                 NestedField::Optional(4, "day", Type::Date()),
                 NestedField::Optional(5, "qty", Type::Int()),
                 NestedField::Optional(6, "price", Type::Decimal(10, 2)),
                 NestedField::Optional(7, "Mixed", Type::String()),
                 NestedField::Optional(8, "score", Type::Double()),
                 NestedField::Optional(9, "uid", Type::Uuid()),
                 NestedField::Optional(10, "t", Type::Time()),
                 NestedField::Optional(11, "tags", Type::List(12, Type::String(), false))},
                {1}};
}

Expression Bound(std::string_view text) {
  Result<Expression> e = ParseAndBindFilter(text, TestSchema());
  EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message());
  return e ? *e : Expression{};
}

TEST(FilterParse, ErrorsNameTheTextAndThePosition) {
  EXPECT_THAT(ParseFilter("region = 'eu"), HasMessage("at position 10: the text is not closed"));
  EXPECT_THAT(ParseFilter("region = 'eu"), HasMessage("--filter \"region = 'eu\""));
  EXPECT_THAT(ParseFilter("qty == 3"), HasMessage("at position 6: expected a value"));
  EXPECT_THAT(ParseFilter("qty ~ 3"), HasMessage("at position 5: unexpected character '~'"));
  EXPECT_THAT(ParseFilter("qty IS 3"), HasMessage("expected NULL after IS"));
  EXPECT_THAT(ParseFilter("qty IN 3"), HasMessage("expected '(' after IN"));
  EXPECT_THAT(ParseFilter("qty IN (1, 2"), HasMessage("expected ',' or ')' in the IN list"));
  EXPECT_THAT(ParseFilter("(qty = 1"), HasMessage("expected ')'"));
  EXPECT_THAT(ParseFilter("qty = 1 region = 'x'"), HasMessage("at position 9: unexpected"));
  EXPECT_THAT(ParseFilter("AND qty = 1"), HasMessage("expected a column, not AND"));
  EXPECT_THAT(ParseFilter(""), HasMessage("expected a column"));
  EXPECT_THAT(ParseFilter("qty = 1"), ::testing::Not(IsError(ErrorCode::kInvalidArgument)));
}

TEST(FilterParse, EveryPrefixAndByteChangeIsAValueOrAnError) {
  // No input crashes the parser or the binder: each prefix of some filters, and each with one
  // byte replaced by each of a set of troublesome ones, parses or fails with kInvalidArgument.
  Schema schema = TestSchema();
  const std::string filters[] = {
      "(region = 'eu' OR \"Mixed\" IN ('a''b', 'c')) AND NOT qty <= -3 AND ts > '2024-03-01T10:00:00.5+02:00'",
      "price >= 12.50 AND day != '2024-02-29' AND uid = '00112233-4455-6677-8899-aabbccddeeff'",
      "score < 1e300 OR t IS NOT NULL OR id NOT IN (1, 2, 3)"};
  const char replacements[] = {'\'', '"', '(', ')', ',', '-', '.', 'e', '0', ' ', '\0', '\xff'};
  size_t checked = 0;
  for (const std::string& filter : filters) {
    ASSERT_TRUE(ParseAndBindFilter(filter, schema).has_value()) << filter;
    for (size_t n = 0; n <= filter.size(); ++n) {
      Result<Expression> e = ParseAndBindFilter(filter.substr(0, n), schema);
      if (!e) {
        EXPECT_EQ(e.error().code(), ErrorCode::kInvalidArgument) << filter.substr(0, n);
      }
      ++checked;
    }
    for (size_t i = 0; i < filter.size(); ++i) {
      for (char c : replacements) {
        std::string changed = filter;
        changed[i] = c;
        Result<Expression> e = ParseAndBindFilter(changed, schema);
        if (!e) {
          EXPECT_EQ(e.error().code(), ErrorCode::kInvalidArgument) << changed;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 3000u);
}

TEST(FilterParse, PrecedenceKeywordsAndNames) {
  Result<Expression> e = ParseFilter(
      "a = 1 or B <> 'it''s' AND not (c IS NOT NULL) And \"Mixed\" not in (1.5, -2e3, TRUE)");
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->ToString(),
            "a = 1 OR (b != 'it''s' AND NOT (c IS NOT NULL) AND \"Mixed\" NOT IN (1.5, -2e3, true))");
}

TEST(FilterBind, UnknownColumnsAndWrongLiteralsAreClearErrors) {
  Schema schema = TestSchema();
  EXPECT_THAT(ParseAndBindFilter("region = 'eu' AND nope > 3", schema),
              HasMessage("at position 19: the table has no column nope (its columns: id, region"));
  // Unquoted names are lower-cased, as CQL does; quoted ones keep their case.
  EXPECT_THAT(ParseAndBindFilter("mixed = 'x'", schema), HasMessage("no column mixed"));
  EXPECT_TRUE(ParseAndBindFilter("\"Mixed\" = 'x' AND REGION = 'eu'", schema).has_value());
  EXPECT_THAT(ParseAndBindFilter("day > 'yesterday'", schema),
              HasMessage("at position 7: column day is a date: it takes a quoted date"));
  EXPECT_THAT(ParseAndBindFilter("day > '2024-02-30'", schema), HasMessage("'2024-02-30'"));
  EXPECT_THAT(ParseAndBindFilter("qty = 3000000000", schema), HasMessage("32-bit integer"));
  EXPECT_THAT(ParseAndBindFilter("qty = '3'", schema), HasMessage("not '3'"));
  EXPECT_THAT(ParseAndBindFilter("region = 3", schema), HasMessage("takes quoted text, not 3"));
  EXPECT_THAT(ParseAndBindFilter("price = 1.234", schema), HasMessage("2 after the point"));
  EXPECT_THAT(ParseAndBindFilter("uid = 'abc'", schema), HasMessage("a quoted uuid"));
  EXPECT_THAT(ParseAndBindFilter("tags IS NULL", schema), HasMessage("filters take primitive"));
}

TEST(FilterBind, LiteralsBecomeValuesOfTheColumnsTypes) {
  Expression e = Bound("day = '2024-03-01'");
  EXPECT_EQ(e.values.at(0), Literal::Int(kMarch1));
  e = Bound("ts >= '2024-03-01T10:00:00.25+02:00'");
  EXPECT_EQ(e.values.at(0), Literal::Long(kMarch1 * kMicrosPerDay + 8 * 3'600'000'000LL + 250'000));
  e = Bound("ts < '2024-03-01'");  // a date alone: midnight UTC
  EXPECT_EQ(e.values.at(0), Literal::Long(kMarch1 * kMicrosPerDay));
  e = Bound("ts < 1000");  // milliseconds, as CQL takes them
  EXPECT_EQ(e.values.at(0), Literal::Long(1'000'000));
  e = Bound("price = -12.5");
  EXPECT_EQ(e.values.at(0), Literal::Bytes(DecimalBytes(-1250)));
  e = Bound("t = '01:02:03.000004'");
  EXPECT_EQ(e.values.at(0), Literal::Long(3'723'000'004));
  e = Bound("uid = '00112233-4455-6677-8899-aabbccddeeff'");
  EXPECT_EQ(e.values.at(0).bytes, std::string("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16));
  e = Bound("score > 1e2");
  EXPECT_EQ(e.values.at(0), Literal::Double(100));
}

TEST(FilterBind, NotIsPushedDownToThePredicates) {
  Expression e = Bound("NOT (qty < 1 OR region IS NULL OR id IN (1, 2))");
  EXPECT_EQ(e.ToString(), "qty >= 1 AND region IS NOT NULL AND id NOT IN (1, 2)");
  EXPECT_EQ(Bound("NOT NOT qty = 1").ToString(), "qty = 1");
  EXPECT_EQ(Bound("NOT (qty > 1 AND qty <= 5)").ToString(), "qty <= 1 OR qty > 5");
}

PartitionSpec Spec() {
  return PartitionSpec{0,
                       {{2, 1000, "region", {Transform::Kind::kIdentity, 0}},
                        {3, 1001, "ts_day", {Transform::Kind::kDay, 0}},
                        {5, 1002, "qty_bucket", {Transform::Kind::kBucket, 4}},
                        {1, 1003, "id_trunc", {Transform::Kind::kTruncate, 10}}}};
}

Expression Projected(std::string_view text) {
  Result<Expression> e = ProjectInclusive(Bound(text), Spec(), TestSchema());
  EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message());
  return e ? *e : Expression{};
}

TEST(FilterProject, InclusiveProjectionThroughEachTransform) {
  // identity keeps the predicate; day(ts): ranges become inclusive ranges of days.
  EXPECT_EQ(Projected("region = 'eu'").ToString(), "region = 0x6575");
  EXPECT_EQ(Projected("ts < '2024-03-01T10:00:00Z'").ToString(),
            "ts_day <= " + std::to_string(kMarch1));
  EXPECT_EQ(Projected("ts > '2024-03-01T10:00:00Z'").ToString(),
            "ts_day >= " + std::to_string(kMarch1));
  // Before 1970 the day is floored (-1 is 1969-12-31).
  EXPECT_EQ(Projected("ts = '1969-12-31T23:00:00Z'").ToString(), "ts_day = -1");
  // bucket keeps equality only; a range says nothing of the bucket.
  EXPECT_EQ(Projected("qty < 5").ToString(), "true");
  EXPECT_EQ(Projected("qty = 5 OR qty != 3").ToString(), "true");
  // truncate[10] of 57 is 50: id < 57 -> id_trunc <= 50.
  EXPECT_EQ(Projected("id < 57").ToString(), "id_trunc <= 50");
  // IS NULL passes through every transform; a column not partitioned on gives true.
  EXPECT_EQ(Projected("qty IS NULL AND price > 3").ToString(), "qty_bucket IS NULL");
  EXPECT_EQ(Projected("NOT region IN ('eu')").ToString(), "region NOT IN (0x6575)");
}

TEST(FilterProject, EvaluatedOnPartitionTuples) {
  Expression p = Projected("region = 'eu' AND ts >= '2024-03-01T10:00:00Z'");
  auto tuple = [](std::optional<std::string> region, std::optional<int32_t> day) {
    return std::vector<Literal>{region ? Literal::Bytes(*region) : Literal::Null(),
                                day ? Literal::Int(*day) : Literal::Null(), Literal::Null(),
                                Literal::Null()};
  };
  EXPECT_EQ(EvaluatePartition(p, tuple("eu", kMarch1)).value_or(!true), true);  // 10:00 is inside the day
  EXPECT_EQ(EvaluatePartition(p, tuple("eu", kMarch1 - 1)).value_or(!false), false);
  EXPECT_EQ(EvaluatePartition(p, tuple("us", kMarch1)).value_or(!false), false);
  EXPECT_EQ(EvaluatePartition(p, tuple(std::nullopt, kMarch1)).value_or(!false), false);
  EXPECT_EQ(EvaluatePartition(p, tuple("eu", std::nullopt)).value_or(!false), false);
  EXPECT_THAT(EvaluatePartition(p, {Literal::Bytes("eu")}), IsError(ErrorCode::kCorrupt));
}

std::string IntBytes(int32_t v) { return *ToBytes(*Type::Int(), Literal::Int(v)); }

TEST(FilterEvaluate, ManifestSummaries) {
  Schema schema = TestSchema();
  PartitionSpec spec{0, {{5, 1000, "qty", {Transform::Kind::kIdentity, 0}}}};
  std::vector<PartitionFieldSummary> range{{false, std::nullopt, IntBytes(10), IntBytes(20)}};
  std::vector<PartitionFieldSummary> all_null{{true, std::nullopt, std::nullopt, std::nullopt}};
  auto may = [&](std::string_view text, const std::vector<PartitionFieldSummary>& s) {
    Result<Expression> p = ProjectInclusive(Bound(text), spec, schema);
    EXPECT_TRUE(p.has_value());
    Result<bool> r = ManifestMayMatch(*p, s);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
    return r.value_or(true);
  };
  EXPECT_FALSE(may("qty < 10", range));
  EXPECT_TRUE(may("qty <= 10", range));
  EXPECT_FALSE(may("qty > 20", range));
  EXPECT_TRUE(may("qty >= 20", range));
  EXPECT_FALSE(may("qty = 25", range));
  EXPECT_TRUE(may("qty IN (1, 15)", range));
  EXPECT_FALSE(may("qty IN (1, 25)", range));
  EXPECT_TRUE(may("qty != 15", range));
  EXPECT_FALSE(may("qty IS NULL", range));
  EXPECT_TRUE(may("qty IS NULL", all_null));
  EXPECT_FALSE(may("qty IS NOT NULL", all_null));
  EXPECT_FALSE(may("qty = 15", all_null));
  EXPECT_TRUE(may("qty < 10 OR qty IS NULL", all_null));
  EXPECT_FALSE(may("qty < 10 AND qty IS NULL", all_null));
}

TEST(FilterEvaluate, FileMetrics) {
  DataFile file;
  file.record_count = 10;
  file.value_counts = {{5, 10}, {2, 10}};
  file.null_value_counts = {{5, 0}, {2, 10}};
  file.lower_bounds = {{5, IntBytes(10)}};
  file.upper_bounds = {{5, IntBytes(20)}};
  auto may = [&](std::string_view text) {
    Result<bool> r = MetricsMayMatch(Bound(text), file);
    EXPECT_TRUE(r.has_value());
    return r.value_or(true);
  };
  EXPECT_FALSE(may("qty < 10"));
  EXPECT_TRUE(may("qty < 11"));
  EXPECT_FALSE(may("qty > 20"));
  EXPECT_FALSE(may("qty = 9"));
  EXPECT_FALSE(may("qty IS NULL"));  // no nulls
  EXPECT_FALSE(may("region = 'eu'"));  // every value null
  EXPECT_FALSE(may("region IS NOT NULL"));
  EXPECT_TRUE(may("region IS NULL"));
  EXPECT_TRUE(may("region NOT IN ('eu')"));
  EXPECT_TRUE(may("price > 3"));  // no metrics: it may
  EXPECT_FALSE(may("qty > 20 OR region = 'x'"));
}

TEST(FilterEvaluate, RowsOfABatch) {
  auto schema = std::make_shared<data::Schema>();
  schema->fields.push_back({"q", data::LogicalType::Int32(), true, 5});  // renamed: the id counts
  schema->fields.push_back({"score", data::LogicalType::Float64(), true, 8});
  schema->fields.push_back({"ts", data::LogicalType::Timestamp(), true, 3});
  data::BatchBuilder builder(schema, 4);
  builder.column(0).AppendInt32(5);
  builder.column(0).AppendNull();
  builder.column(0).AppendInt32(50);
  builder.column(0).AppendInt32(1);
  builder.column(1).AppendFloat64(1.5);
  builder.column(1).AppendFloat64(std::nan(""));
  builder.column(1).AppendNull();
  builder.column(1).AppendFloat64(-0.0);
  for (int64_t ms : {0LL, 1000LL, 2000LL, 3000LL}) builder.column(2).AppendTimestamp(ms);
  Result<data::Batch> batch = builder.Finish();
  ASSERT_TRUE(batch.has_value());
  auto rows = [&](std::string_view text) {
    Result<std::vector<uint8_t>> r = EvaluateRows(Bound(text), *batch);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
    return r.value_or(std::vector<uint8_t>{});
  };
  using V = std::vector<uint8_t>;
  EXPECT_EQ(rows("qty < 10"), (V{1, 0, 0, 1}));
  EXPECT_EQ(rows("qty != 5"), (V{0, 0, 1, 1}));       // null is no match
  EXPECT_EQ(rows("qty NOT IN (5)"), (V{0, 1, 1, 1}));  // NOT IN matches null
  EXPECT_EQ(rows("qty IS NULL OR score = 0"), (V{0, 1, 0, 1}));  // -0 = 0
  EXPECT_EQ(rows("score > 1"), (V{1, 0, 0, 0}));       // NaN compares false
  EXPECT_EQ(rows("score != 1"), (V{1, 1, 0, 1}));
  EXPECT_EQ(rows("ts >= 2000"), (V{0, 0, 1, 1}));
  EXPECT_EQ(rows("ts > '1970-01-01T00:00:01.5Z'"), (V{0, 0, 1, 1}));
  EXPECT_EQ(rows("region IS NULL"), (V{1, 1, 1, 1}));  // a column the batch lacks is null
  EXPECT_EQ(rows("region = 'eu'"), (V{0, 0, 0, 0}));
  // Ids given per column (a file without field ids, read by the name mapping) win over the
  // batch's: here column 2 is no field (-1), so ts (field 3) is missing, null in every row.
  EXPECT_EQ(rows("ts IS NULL"), (V{0, 0, 0, 0}));
  const int32_t ids[] = {5, 8, -1};
  Result<std::vector<uint8_t>> missing = EvaluateRows(Bound("ts IS NULL OR qty = 1"), *batch, ids);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(*missing, (V{1, 1, 1, 1}));
}

}  // namespace
}  // namespace cqlbulk::iceberg
