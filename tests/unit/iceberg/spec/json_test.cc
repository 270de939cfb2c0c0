// SPDX-License-Identifier: Apache-2.0
// spec/json.cc: round trips, the spec's appendix C examples, what Java writes, errors naming
// the key, and PyIceberg as the referee (json_referee.py) both ways.
#include "cqlbulk/iceberg/spec/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "referee_util.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using Json = nlohmann::json;

// The same schema as SCHEMA in json_referee.py.
Schema EveryType() {
  Schema schema;
  schema.schema_id = 3;
  NestedField id = NestedField::Required(1, "id", Type::Long());
  id.doc = "the key";
  schema.fields = {
      id,
      NestedField::Optional(2, "flag", Type::Boolean()),
      NestedField::Required(3, "i", Type::Int()),
      NestedField::Optional(4, "f", Type::Float()),
      NestedField::Optional(5, "d", Type::Double()),
      NestedField::Optional(6, "price", Type::Decimal(38, 10)),
      NestedField::Optional(7, "day", Type::Date()),
      NestedField::Optional(8, "t", Type::Time()),
      NestedField::Optional(9, "ts", Type::Timestamp()),
      NestedField::Optional(10, "tstz", Type::TimestampTz()),
      NestedField::Optional(11, "name", Type::String()),
      NestedField::Required(12, "u", Type::Uuid()),
      NestedField::Optional(13, "fx", Type::Fixed(7)),
      NestedField::Optional(14, "bin", Type::Binary()),
      NestedField::Optional(
          15, "address",
          Type::Struct({NestedField::Optional(16, "street", Type::String()),
                        NestedField::Optional(17, "tags", Type::List(18, Type::String(), true))})),
      NestedField::Optional(19, "prices",
                            Type::Map(20, Type::String(), 21, Type::Decimal(9, 2), false)),
      NestedField::Optional(
          22, "nested",
          Type::List(23,
                     Type::Map(24, Type::Int(), 25,
                               Type::Struct({NestedField::Required(26, "x", Type::Double())}),
                               true),
                     false)),
  };
  schema.identifier_field_ids = {1, 3, 12};
  return schema;
}

// The same spec as SPEC in json_referee.py.
PartitionSpec EverySpec() {
  using Kind = Transform::Kind;
  return {2,
          {{10, 1000, "tstz_day", {Kind::kDay, 0}},
           {1, 1001, "id_bucket", {Kind::kBucket, 16}},
           {11, 1002, "name_trunc", {Kind::kTruncate, 4}},
           {3, 1003, "i", {Kind::kIdentity, 0}},
           {7, 1004, "day_year", {Kind::kYear, 0}},
           {9, 1005, "ts_month", {Kind::kMonth, 0}},
           {10, 1006, "tstz_hour", {Kind::kHour, 0}},
           {2, 1007, "flag_null", {Kind::kVoid, 0}}}};
}

::testing::AssertionResult Reads(const Json& json, const TypePtr& expected) {
  Result<TypePtr> read = TypeFromJson(json);
  if (!read) {
    return ::testing::AssertionFailure() << json.dump() << ": " << read.error().ToString();
  }
  if (**read != *expected) {
    return ::testing::AssertionFailure()
           << json.dump() << " read as " << (*read)->ToString() << ", not " << expected->ToString();
  }
  return ::testing::AssertionSuccess();
}

TEST(IcebergJsonTest, SchemaRoundTrips) {
  Schema schema = EveryType();

  Json json = SchemaToJson(schema);

  EXPECT_THAT(SchemaFromJson(json), HasValue(schema));
  EXPECT_THAT(SchemaFromJson(Json::parse(json.dump())), HasValue(schema));
  EXPECT_EQ(json["schema-id"], 3);
  EXPECT_EQ(json["identifier-field-ids"], Json::array({1, 3, 12}));
  EXPECT_EQ(json["fields"][0]["doc"], "the key");
  EXPECT_FALSE(json["fields"][1].contains("doc"));
}

TEST(IcebergJsonTest, PartitionSpecRoundTrips) {
  PartitionSpec spec = EverySpec();

  EXPECT_THAT(PartitionSpecFromJson(PartitionSpecToJson(spec)), HasValue(spec));
  EXPECT_THAT(PartitionSpecFromJson(PartitionSpecToJson(PartitionSpec{})),
              HasValue(PartitionSpec{}));
}

// The spec's appendix C, as written there.
TEST(IcebergJsonTest, ReadsTheSpecsExamples) {
  Json list = Json::parse(
      R"({"type": "list", "element-id": 3, "element-required": true, "element": "string"})");
  Json map = Json::parse(R"({"type": "map", "key-id": 4, "key": "string", "value-id": 5,
                             "value-required": false, "value": "double"})");
  Json spec = Json::parse(R"({"spec-id": 0, "fields": [
      {"source-id": 4, "field-id": 1000, "name": "ts_day", "transform": "day"},
      {"source-id": 1, "field-id": 1001, "name": "id_bucket", "transform": "bucket[16]"},
      {"source-id": 2, "field-id": 1002, "name": "id_truncate", "transform": "truncate[4]"}]})");

  EXPECT_TRUE(Reads(list, Type::List(3, Type::String(), true)));
  EXPECT_TRUE(Reads(map, Type::Map(4, Type::String(), 5, Type::Double(), false)));
  EXPECT_TRUE(Reads("decimal(9,2)", Type::Decimal(9, 2)));
  EXPECT_TRUE(Reads("decimal(9, 2)", Type::Decimal(9, 2)));
  EXPECT_TRUE(Reads("fixed[16]", Type::Fixed(16)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(PartitionSpec parsed, PartitionSpecFromJson(spec));
  ASSERT_EQ(parsed.fields.size(), 3u);
  EXPECT_EQ(parsed.fields[1].transform, (Transform{Transform::Kind::kBucket, 16}));
  EXPECT_EQ(parsed.fields[2].transform, (Transform{Transform::Kind::kTruncate, 4}));
  EXPECT_EQ(parsed.fields[2].field_id, 1002);
}

// Java writes "decimal(9, 2)"; a v1 spec may lack field ids and a v3 one may have source-ids.
TEST(IcebergJsonTest, WritesWhatJavaWritesAndReadsOlderAndNewerForms) {
  EXPECT_EQ(TypeToJson(*Type::Decimal(9, 2)), "decimal(9, 2)");
  EXPECT_EQ(TypeToJson(*Type::TimestampTz()), "timestamptz");
  EXPECT_EQ(TypeToJson(*Type::Fixed(3)), "fixed[3]");

  Json spec = Json::parse(R"({"fields": [
      {"source-id": 4, "name": "ts_day", "transform": "Day"},
      {"source-ids": [1], "name": "id_bucket", "transform": "bucket[8]"}]})");
  CQLBULK_ASSERT_OK_AND_ASSIGN(PartitionSpec parsed, PartitionSpecFromJson(spec));
  EXPECT_EQ(parsed.spec_id, 0);
  EXPECT_EQ(parsed.fields[0].field_id, 1000);
  EXPECT_EQ(parsed.fields[0].transform.kind, Transform::Kind::kDay);
  EXPECT_EQ(parsed.fields[1].field_id, 1001);
  EXPECT_EQ(parsed.fields[1].source_id, 1);

  Json schema = Json::parse(R"({"type": "struct", "fields": [
      {"id": 1, "name": "a", "required": false, "type": "int", "doc": null}]})");
  CQLBULK_ASSERT_OK_AND_ASSIGN(Schema read, SchemaFromJson(schema));
  EXPECT_EQ(read.schema_id, 0);
  EXPECT_TRUE(read.identifier_field_ids.empty());
}

TEST(IcebergJsonTest, TransformsAsStrings) {
  for (const char* text : {"identity", "bucket[16]", "truncate[4]", "year", "month", "day",
                           "hour", "void"}) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(Transform transform, TransformFromString(text));
    EXPECT_EQ(TransformToString(transform), text);
  }
  EXPECT_THAT(TransformFromString("bucket[0]"), HasMessage("positive"));
  EXPECT_THAT(TransformFromString("bucket[-1]"), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(TransformFromString("bucket[x]"), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(TransformFromString("bucket"), HasMessage("\"bucket\" is not one of"));
  EXPECT_THAT(TransformFromString("zorder"), IsError(ErrorCode::kCorrupt));
}

TEST(IcebergJsonTest, ErrorsNameTheKeyAndThePlace) {
  auto schema = [](const char* fields) {
    return SchemaFromJson(Json::parse(std::string(R"({"schema-id": 2, "fields": )") + fields +
                                      "}"));
  };

  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true}])"),
              HasMessage("schema 2, field 4: 'type' is missing"));
  EXPECT_THAT(schema(R"([{"name": "a", "required": true, "type": "int"}])"),
              HasMessage("schema 2, field #0: 'id' is missing"));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": "yes", "type": "int"}])"),
              HasMessage("field 4: 'required' must be true or false, not \"yes\""));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true, "type": "varchar"}])"),
              HasMessage("field 4: type \"varchar\""));
  EXPECT_THAT(schema(R"j([{"id": 4, "name": "a", "required": true, "type": "decimal(39, 0)"}])j"),
              HasMessage("precision"));
  EXPECT_THAT(schema(R"j([{"id": 4, "name": "a", "required": true, "type": "decimal(9)"}])j"),
              IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true,
                          "type": {"type": "list", "element-id": 5, "element-required": true}}])"),
              HasMessage("field 4: 'element' is missing"));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true,
                          "type": {"type": "map", "key-id": 5, "value-id": 6,
                                   "value-required": true, "key": "string", "value": 7}}])"),
              HasMessage("field 4, map value 6: a type must be a string or an object"));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true,
                          "type": {"type": "struct", "fields": [{"id": 9, "name": "b"}]}}])"),
              HasMessage("schema 2, field 4, field 9: 'required' is missing"));
  EXPECT_THAT(schema(R"([{"id": 4294967296, "name": "a", "required": true, "type": "int"}])"),
              HasMessage("'id' must be a 32-bit integer"));
  EXPECT_THAT(SchemaFromJson(Json{{"schema-id", int64_t{5000000000}}, {"fields", Json::array()}}),
              HasMessage("'schema-id' must be a 32-bit integer"));
  EXPECT_THAT(PartitionSpecFromJson(Json::parse(
                  R"({"fields": [{"source-ids": [1, 2], "name": "x", "transform": "day"}]})")),
              HasMessage("'source-ids' must be an array of one field id"));
  EXPECT_THAT(schema("{}"), HasMessage("schema 2: 'fields' must be an array"));
  EXPECT_THAT(schema(R"([{"id": 4, "name": "a", "required": true,
                          "type": {"type": "list", "element-id": 4, "element-required": true,
                                   "element": "int"}}])"),
              HasMessage("schema 2: field id 4 is used twice"));
  EXPECT_THAT(SchemaFromJson(Json::parse(R"({"fields": [], "identifier-field-ids": [1]})")),
              HasMessage("'identifier-field-ids' names field 1"));
  EXPECT_THAT(SchemaFromJson(Json::array()), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(PartitionSpecFromJson(Json::parse(
                  R"({"spec-id": 1, "fields": [{"field-id": 1000, "name": "x",
                                                 "transform": "day"}]})")),
              HasMessage("partition spec 1, field 1000: 'source-id' is missing"));
  EXPECT_THAT(PartitionSpecFromJson(Json::parse(
                  R"({"spec-id": 1, "fields": [{"source-id": 1, "field-id": 1000, "name": "x",
                                                 "transform": "bucket[]"}]})")),
              HasMessage("partition spec 1, field 1000: transform \"bucket[]\""));
}

// PyIceberg reads what we write as the schema and spec it builds itself, and we read what it
// writes as ours.
TEST(IcebergJsonTest, PyIcebergIsTheReferee) {
  testing::TempDir dir;
  testing::WriteText(dir.Path("ours_schema.json"), SchemaToJson(EveryType()).dump());
  testing::WriteText(dir.Path("ours_spec.json"), PartitionSpecToJson(EverySpec()).dump());

  ASSERT_EQ(testing::RunReferee("tests/unit/iceberg/spec/json_referee.py", dir.Path("")), 0)
      << "(scripts/install-referees.sh installs PyIceberg)";

  Json theirs_schema = Json::parse(testing::ReadText(dir.Path("theirs_schema.json")));
  Json theirs_spec = Json::parse(testing::ReadText(dir.Path("theirs_spec.json")));
  EXPECT_THAT(SchemaFromJson(theirs_schema), HasValue(EveryType()));
  EXPECT_THAT(PartitionSpecFromJson(theirs_spec), HasValue(EverySpec()));
}

}  // namespace
}  // namespace cqlbulk::iceberg
