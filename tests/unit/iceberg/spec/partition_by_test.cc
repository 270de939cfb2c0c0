// SPDX-License-Identifier: Apache-2.0
// spec/partition_by.cc: the --partition-by text into a spec, its errors; and partition paths,
// with PyIceberg's PartitionSpec.partition_to_path as the referee (transform_referee.py).
#include "cqlbulk/iceberg/spec/partition_by.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/partition_path.h"
#include "cqlbulk/iceberg/spec/transform.h"
#include "referee_util.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using Json = nlohmann::json;
using Kind = Transform::Kind;

Schema Orders() {
  Schema schema;
  schema.fields = {
      NestedField::Required(1, "customer_id", Type::Long()),
      NestedField::Required(2, "order_date", Type::Date()),
      NestedField::Optional(3, "name", Type::String()),
      NestedField::Optional(4, "placed_at", Type::TimestampTz()),
      NestedField::Optional(5, "x", Type::Int()),
      NestedField::Optional(6, "address",
                            Type::Struct({NestedField::Optional(7, "city", Type::String()),
                                          NestedField::Optional(8, "zip", Type::Int())})),
      NestedField::Optional(9, "tags", Type::List(10, Type::String(), false)),
      NestedField::Optional(11, "attrs", Type::Map(12, Type::String(), 13, Type::String(), false)),
      NestedField::Optional(14, "Mixed Case", Type::String()),
      NestedField::Optional(15, "total", Type::Decimal(9, 2)),
      NestedField::Optional(16, "flag", Type::Boolean()),
      NestedField::Optional(17, "id", Type::Uuid()),
      NestedField::Optional(18, "x_day", Type::Int()),
      NestedField::Optional(19, "shipped_at", Type::Timestamp()),
  };
  schema.identifier_field_ids = {1, 2};
  return schema;
}

TEST(IcebergPartitionByTest, ParsesTheBriefsExample) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PartitionSpec spec,
      ParsePartitionBy("day(order_date),bucket(16,customer_id),truncate(4,name), identity(x)",
                       Orders()));

  PartitionSpec expected{0,
                         {{2, 1000, "order_date_day", {Kind::kDay, 0}},
                          {1, 1001, "customer_id_bucket", {Kind::kBucket, 16}},
                          {3, 1002, "name_trunc", {Kind::kTruncate, 4}},
                          {5, 1003, "x", {Kind::kIdentity, 0}}}};
  EXPECT_EQ(spec, expected);
}

TEST(IcebergPartitionByTest, ParsesEveryForm) {
  auto parse = [](std::string_view text) { return ParsePartitionBy(text, Orders()); };
  auto names = [&](std::string_view text) {
    std::vector<std::string> out;
    for (const PartitionField& f : parse(text).value_or(PartitionSpec{}).fields) {
      out.push_back(f.name + ":" + std::to_string(f.source_id) + ":" +
                    TransformToString(f.transform));
    }
    return out;
  };

  EXPECT_THAT(names("name"), ::testing::ElementsAre("name:3:identity"));
  EXPECT_THAT(names(" YEAR( placed_at ) , Month(order_date),hour(shipped_at)"),
              ::testing::ElementsAre("placed_at_year:4:year", "order_date_month:2:month",
                                     "shipped_at_hour:19:hour"));
  EXPECT_THAT(names("address.city, bucket(8, address.zip)"),
              ::testing::ElementsAre("address.city:7:identity", "address.zip_bucket:8:bucket[8]"));
  EXPECT_THAT(names("\"Mixed Case\",void(flag)"),
              ::testing::ElementsAre("Mixed Case:14:identity", "flag_null:16:void"));
  EXPECT_THAT(names("truncate(100, total), bucket(4, id)"),
              ::testing::ElementsAre("total_trunc:15:truncate[100]", "id_bucket:17:bucket[4]"));
  EXPECT_THAT(parse(""), HasValue(PartitionSpec{}));
  EXPECT_THAT(parse("  "), HasValue(PartitionSpec{}));
}

TEST(IcebergPartitionByTest, ErrorsNameTheTextAndTheColumn) {
  auto parse = [](std::string_view text) { return ParsePartitionBy(text, Orders()); };

  EXPECT_THAT(parse("day(nope)"), HasMessage("partition field \"day(nope)\": the table has no "
                                             "column nope"));
  EXPECT_THAT(parse("address.street"), HasMessage("no column address.street"));
  EXPECT_THAT(parse("hour(order_date)"),
              HasMessage("\"hour(order_date)\": hour cannot transform column order_date of type "
                         "date"));
  EXPECT_THAT(parse("bucket(4, flag)"), HasMessage("bucket[4] cannot transform column flag"));
  EXPECT_THAT(parse("truncate(4, placed_at)"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(parse("address"), HasMessage("identity cannot transform column address of type "
                                           "struct<"));
  EXPECT_THAT(parse("tags.element"), HasMessage("column tags is a list"));
  EXPECT_THAT(parse("attrs.value"), HasMessage("column attrs is a map"));
  EXPECT_THAT(parse("bucket(0, x)"), HasMessage("N of bucket(N, column) must be a positive"));
  EXPECT_THAT(parse("bucket(-3, x)"), HasMessage("must be a positive 32-bit integer, not -3"));
  EXPECT_THAT(parse("bucket(99999999999, x)"), HasMessage("positive 32-bit"));
  EXPECT_THAT(parse("bucket(x, 16)"), HasMessage("expected the number N of bucket(N, column)"));
  EXPECT_THAT(parse("truncate(x)"), HasMessage("expected the number W of truncate(W, column)"));
  EXPECT_THAT(parse("bucket(16 x)"), HasMessage("expected ',' after N"));
  EXPECT_THAT(parse("day(order_date"), HasMessage("expected ')'"));
  EXPECT_THAT(parse("day(order_date) x"), HasMessage("expected ',' between partition fields"));
  EXPECT_THAT(parse("days(order_date)"), HasMessage("unknown transform days"));
  EXPECT_THAT(parse("x,"), HasMessage("--partition-by \"x,\": expected a column name at "
                                      "character 3"));
  EXPECT_THAT(parse("\"x"), HasMessage("unterminated quoted name"));
  EXPECT_THAT(parse(" day(order_date), hour(placed_at), year(placed_at)"),
              HasMessage("partition field \"year(placed_at)\": column placed_at is already "
                         "partitioned by hour"));
  EXPECT_THAT(parse("day(order_date),month(order_date)"),
              HasMessage("column order_date is already partitioned by day"));
  EXPECT_THAT(parse("x, identity(x)"), HasMessage("already partitioned by identity"));
  EXPECT_THAT(parse("day(x_day_src)"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(parse("bucket(4, x), truncate(4, x), bucket(8, x)"),
              HasMessage("the name x_bucket is taken by another partition field"));
  EXPECT_THAT(parse("bucket(4, x), bucket(4, x)"), HasMessage("already partitioned by bucket[4]"));
}

// A partition field may not take another column's name, as Java's PartitionSpec.Builder says.
TEST(IcebergPartitionByTest, RejectsANameThatIsAnotherColumns) {
  Schema schema = Orders();
  schema.fields.push_back(NestedField::Optional(20, "when", Type::Date()));
  schema.fields.push_back(NestedField::Optional(21, "when_day", Type::Date()));

  EXPECT_THAT(ParsePartitionBy("day(when)", schema),
              HasMessage("its name when_day is a column of the table"));
  EXPECT_THAT(ParsePartitionBy("when_day", schema), ::testing::Truly([](const auto& r) {
                return r.has_value() && r->fields.size() == 1;
              }));
}

// Paths of a few specs over values, as PyIceberg's partition_to_path writes them.
TEST(IcebergPartitionByTest, PyIcebergIsTheRefereeOfPaths) {
  Schema schema = Orders();
  std::vector<std::pair<std::string, std::vector<std::vector<Literal>>>> cases = {
      {"day(order_date), bucket(16, customer_id), truncate(4, name), x",
       {{Literal::Int(19783), Literal::Int(3), Literal::Bytes("iceb"), Literal::Int(-7)},
        {Literal::Int(-1), Literal::Int(15), Literal::Bytes("a b/"), Literal::Null()},
        {Literal::Null(), Literal::Null(), Literal::Bytes("\xc3\xa9=?&"), Literal::Int(0)}}},
      {"year(placed_at), month(order_date), hour(shipped_at), \"Mixed Case\"",
       {{Literal::Int(54), Literal::Int(650), Literal::Int(474810), Literal::Bytes("x+y%z")},
        {Literal::Int(-1), Literal::Int(-13), Literal::Int(-25), Literal::Bytes("~*")}}},
      {"total, id, address.city, flag, placed_at",
       {{Literal::Bytes(DecimalBytes(-5)),
         Literal::Bytes(testing::Unhex("f79c3e09677c4bbda4793f349cb785e7")),
         Literal::Bytes("Paris"), Literal::Boolean(false), Literal::Long(1709287200000001)}}},
  };
  Json input = {{"apply", Json::array()}, {"types", Json::array()},
                {"transforms", Json::array()}, {"paths", Json::array()}};
  std::vector<std::vector<std::string>> ours;
  std::vector<TypePtr> partition_types;
  for (const auto& [text, tuples] : cases) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(PartitionSpec spec, ParsePartitionBy(text, schema));
    CQLBULK_ASSERT_OK_AND_ASSIGN(TypePtr partition_type, PartitionType(spec, schema));
    partition_types.push_back(partition_type);
    Json values = Json::array();
    ours.emplace_back();
    for (const std::vector<Literal>& tuple : tuples) {
      Json row = Json::array();
      for (size_t i = 0; i < tuple.size(); ++i) {
        const NestedField* source = schema.FindField(spec.fields[i].source_id);
        CQLBULK_ASSERT_OK_AND_ASSIGN(TypePtr type,
                                     TransformResultType(spec.fields[i].transform, *source->type));
        row.push_back(tuple[i].is_null() ? Json()
                                         : Json(testing::Hex(ToBytes(*type, tuple[i]).value())));
      }
      values.push_back(row);
      CQLBULK_ASSERT_OK_AND_ASSIGN(std::string path, PartitionPath(spec, schema, tuple));
      ours.back().push_back(path);
    }
    input["paths"].push_back(
        {{"schema", SchemaToJson(schema)}, {"spec", PartitionSpecToJson(spec)}, {"values", values}});
  }
  testing::TempDir dir;
  testing::WriteText(dir.Path("cases.json"), input.dump());

  ASSERT_EQ(testing::RunReferee("tests/unit/iceberg/spec/transform_referee.py", dir.Path("")), 0)
      << "(scripts/install-referees.sh installs PyIceberg)";

  Json theirs = Json::parse(testing::ReadText(dir.Path("theirs.json")));
  EXPECT_EQ(Json(ours), theirs["paths"]);
  // The same ids, names and types. (PyIceberg makes a field required when its source column
  // is; Java's partitionType() makes every field optional, and so do we.)
  for (size_t i = 0; i < partition_types.size(); ++i) {
    Result<TypePtr> their_type = TypeFromJson(theirs["partition_types"][i]);
    ASSERT_TRUE(their_type.has_value()) << their_type.error().ToString();
    std::vector<NestedField> fields = (*their_type)->fields();
    for (NestedField& f : fields) f.required = false;
    EXPECT_TRUE(*Type::Struct(fields) == *partition_types[i])
        << "PyIceberg's partition type " << (*their_type)->ToString() << ", ours "
        << partition_types[i]->ToString();
  }
  EXPECT_EQ(ours[0][0], "order_date_day=2024-03-01/customer_id_bucket=3/name_trunc=iceb/x=-7");
}

TEST(IcebergPartitionByTest, PartitionTypeErrors) {
  Schema schema = Orders();
  PartitionSpec spec = ParsePartitionBy("day(order_date)", schema).value();
  PartitionSpec bad = spec;
  bad.fields[0].transform = Transform{Kind::kHour, 0};

  EXPECT_THAT(PartitionType(spec, Schema{}), HasMessage("the schema has no field 2"));
  EXPECT_THAT(PartitionType(bad, schema),
              HasMessage("partition field order_date_day: hour cannot transform a date"));
}

TEST(IcebergPartitionByTest, PathErrors) {
  Schema schema = Orders();
  PartitionSpec spec = ParsePartitionBy("day(order_date)", schema).value();
  std::vector<Literal> two = {Literal::Int(1), Literal::Int(2)};
  std::vector<Literal> wrong = {Literal::Long(1)};

  EXPECT_THAT(PartitionPath(spec, schema, two), HasMessage("has 1 fields, not 2"));
  EXPECT_THAT(PartitionPath(spec, schema, wrong), HasMessage("partition field order_date_day"));
  EXPECT_THAT(PartitionPath(spec, Schema{}, std::vector<Literal>{Literal::Int(1)}),
              HasMessage("the schema has no field 2"));
}

}  // namespace
}  // namespace cqlbulk::iceberg
