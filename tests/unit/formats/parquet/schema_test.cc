// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;
using ::testing::ElementsAre;

data::Schema MixedSchema() {
  return data::Schema{{
      Field{"id", LogicalType::Int32(), false},
      Field{"name", LogicalType::String()},
      Field{"tags", LogicalType::List(LogicalType::String())},
      Field{"m", LogicalType::Map(LogicalType::String(), LogicalType::Int16())},
      Field{"addr", LogicalType::Struct({Field{"street", LogicalType::String()},
                                         Field{"zip", LogicalType::Int32(), true, 100}},
                                        "address")},
      Field{"d", LogicalType::Duration()},
      Field{"ts", LogicalType::Timestamp()},
  }};
}

const LeafColumn* Leaf(const ParquetSchema& s, const std::string& dotted) {
  for (const LeafColumn& leaf : s.leaves) {
    std::string path;
    for (const std::string& p : leaf.path) path += (path.empty() ? "" : ".") + p;
    if (path == dotted) return &leaf;
  }
  return nullptr;
}

TEST(ParquetSchemaTest, ElementsAreDepthFirstWithThreeLevelListsAndMaps) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(MixedSchema(), {}));
  std::vector<std::string> names;
  for (const SchemaElement& e : s.elements) names.push_back(e.name);
  EXPECT_THAT(names, ElementsAre("schema", "id", "name", "tags", "list", "element", "m",
                                 "key_value", "key", "value", "addr", "street", "zip", "d",
                                 "months", "days", "nanoseconds", "ts"));
  EXPECT_EQ(s.elements[0].num_children, 7);
  EXPECT_FALSE(s.elements[0].field_id.has_value());
  const SchemaElement& tags = s.elements[3];
  EXPECT_EQ(tags.repetition_type, Repetition::kOptional);
  EXPECT_EQ(tags.converted_type, ConvertedType::kList);
  EXPECT_EQ(tags.logical_type.kind, LogicalTypeAnnotation::Kind::kList);
  EXPECT_EQ(s.elements[4].repetition_type, Repetition::kRepeated);
  EXPECT_FALSE(s.elements[4].field_id.has_value());  // the middle level carries no id
  EXPECT_EQ(s.elements[7].converted_type, ConvertedType::kMapKeyValue);
  EXPECT_EQ(s.elements[8].repetition_type, Repetition::kRequired);  // map keys
  EXPECT_EQ(s.elements[1].repetition_type, Repetition::kRequired);  // id not null
}

TEST(ParquetSchemaTest, LevelsOfEveryLeaf) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(MixedSchema(), {}));
  struct Want {
    const char* path;
    int16_t def, rep;
    PhysicalType type;
  };
  for (Want w : {Want{"id", 0, 0, PhysicalType::kInt32}, Want{"name", 1, 0, PhysicalType::kByteArray},
                 Want{"tags.list.element", 3, 1, PhysicalType::kByteArray},
                 Want{"m.key_value.key", 2, 1, PhysicalType::kByteArray},
                 Want{"m.key_value.value", 3, 1, PhysicalType::kInt32},
                 Want{"addr.street", 2, 0, PhysicalType::kByteArray},
                 Want{"addr.zip", 2, 0, PhysicalType::kInt32},
                 Want{"d.months", 1, 0, PhysicalType::kInt32},
                 Want{"d.nanoseconds", 1, 0, PhysicalType::kInt64},
                 Want{"ts", 1, 0, PhysicalType::kInt64}}) {
    const LeafColumn* leaf = Leaf(s, w.path);
    ASSERT_NE(leaf, nullptr) << w.path;
    EXPECT_EQ(leaf->max_definition_level, w.def) << w.path;
    EXPECT_EQ(leaf->max_repetition_level, w.rep) << w.path;
    EXPECT_EQ(leaf->physical_type, w.type) << w.path;
    EXPECT_EQ(s.elements[leaf->element].type, w.type) << w.path;
  }
  EXPECT_EQ(s.leaves.size(), 11u);
}

TEST(ParquetSchemaTest, FieldIdsKeepTheirOwnAndNumberTheRestAfterTheLargest) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(MixedSchema(), {}));
  std::vector<int32_t> ids;
  for (const SchemaElement& e : s.elements) {
    if (e.field_id) ids.push_back(*e.field_id);
  }
  // zip keeps 100; the others count up from 101 in depth-first order.
  EXPECT_THAT(ids, ElementsAre(101, 102, 103, 104, 105, 106, 107, 108, 109, 100, 110, 111,
                               112, 113, 114));
}

TEST(ParquetSchemaTest, LogicalTypeAnnotations) {
  data::Schema schema{{
      Field{"i8", LogicalType::Int8()},
      Field{"date", LogicalType::Date()},
      Field{"time", LogicalType::Time()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"u", LogicalType::Uuid()},
      Field{"dec", LogicalType::Decimal()},
      Field{"vi", LogicalType::BigInteger()},
      Field{"ip", LogicalType::Inet()},
      Field{"blob", LogicalType::Binary()},
      Field{"d9", LogicalType::Decimal(9, 2)},
      Field{"d18", LogicalType::Decimal(18, 2)},
      Field{"d38", LogicalType::Decimal(38, 10)},
  }};
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(schema, {}));
  auto element = [&](const char* name) -> const SchemaElement& {
    return s.elements[Leaf(s, name)->element];
  };
  EXPECT_EQ(element("i8").logical_type.kind, LogicalTypeAnnotation::Kind::kInteger);
  EXPECT_EQ(element("i8").logical_type.bit_width, 8);
  EXPECT_EQ(element("i8").converted_type, ConvertedType::kInt8);
  EXPECT_EQ(element("date").converted_type, ConvertedType::kDate);
  EXPECT_EQ(element("time").logical_type.unit, TimeUnit::kNanos);
  EXPECT_FALSE(element("time").converted_type.has_value());  // TIME_NANOS has none
  EXPECT_EQ(element("ts").logical_type.unit, TimeUnit::kMillis);
  EXPECT_TRUE(element("ts").logical_type.is_adjusted_to_utc);
  EXPECT_EQ(element("ts").converted_type, ConvertedType::kTimestampMillis);
  EXPECT_EQ(element("u").type_length, 16);
  EXPECT_EQ(element("u").logical_type.kind, LogicalTypeAnnotation::Kind::kUuid);
  EXPECT_EQ(element("dec").converted_type, ConvertedType::kUtf8);
  EXPECT_EQ(Leaf(s, "dec")->form, LeafForm::kDecimalText);
  EXPECT_EQ(Leaf(s, "vi")->form, LeafForm::kBigIntegerText);
  EXPECT_EQ(Leaf(s, "ip")->form, LeafForm::kInetText);
  EXPECT_FALSE(element("blob").logical_type.kind != LogicalTypeAnnotation::Kind::kNone);
  EXPECT_TRUE(Leaf(s, "blob")->unsigned_order);
  EXPECT_EQ(element("d9").type, PhysicalType::kInt32);
  EXPECT_EQ(element("d18").type, PhysicalType::kInt64);
  EXPECT_EQ(element("d38").type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(element("d38").type_length, 16);
  EXPECT_EQ(element("d38").precision, 38);
  EXPECT_EQ(element("d38").scale, 10);
  EXPECT_EQ(element("d38").logical_type.scale, 10);
}

TEST(ParquetSchemaTest, EngineFriendlyMapping) {
  data::Schema schema{{Field{"dec", LogicalType::Decimal()}, Field{"vi", LogicalType::BigInteger()},
                       Field{"time", LogicalType::Time()}, Field{"ts", LogicalType::Timestamp()}}};
  TypeMapping mapping;
  mapping.decimal_precision = 20;
  mapping.decimal_scale = 4;
  mapping.big_integer_as_decimal = true;
  mapping.time_unit = TimeUnit::kMicros;
  mapping.timestamp_unit = TimeUnit::kMicros;
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(schema, mapping));
  EXPECT_EQ(s.elements[1].type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(s.elements[1].type_length, 9);  // 20 digits need 67 bits
  EXPECT_EQ(s.elements[2].precision, 38);
  EXPECT_EQ(s.elements[3].converted_type, ConvertedType::kTimeMicros);
  EXPECT_EQ(s.elements[4].converted_type, ConvertedType::kTimestampMicros);
  EXPECT_EQ(s.leaves[3].form, LeafForm::kInt64Micros);

  mapping.decimal_precision = 39;
  EXPECT_THAT(MakeParquetSchema(schema, mapping),
              ::testing::AllOf(testing::IsError(ErrorCode::kInvalidArgument), testing::HasMessage("precision must be 1..38")));
}

// The forms Iceberg tables need: int8/int16 as plain INT32 (Iceberg's int), time in
// nanoseconds as plain INT64 (Iceberg's long); the values' forms stay the same.
TEST(ParquetSchemaTest, PlainFormsForIceberg) {
  data::Schema schema{{Field{"i8", LogicalType::Int8()}, Field{"i16", LogicalType::Int16()},
                       Field{"time", LogicalType::Time()}}};
  TypeMapping mapping;
  mapping.plain_small_integers = true;
  mapping.plain_time_nanos = true;

  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema s, MakeParquetSchema(schema, mapping));

  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(s.elements[i].logical_type.kind, LogicalTypeAnnotation::Kind::kNone) << i;
    EXPECT_FALSE(s.elements[i].converted_type.has_value()) << i;
  }
  EXPECT_EQ(s.elements[1].type, PhysicalType::kInt32);
  EXPECT_EQ(s.leaves[0].form, LeafForm::kInt32FromInt8);
  EXPECT_EQ(s.leaves[1].form, LeafForm::kInt32FromInt16);
  EXPECT_EQ(s.elements[3].type, PhysicalType::kInt64);
  EXPECT_EQ(s.leaves[2].form, LeafForm::kInt64);

  // plain_time_nanos leaves TIME(MICROS) alone.
  mapping.time_unit = TimeUnit::kMicros;
  CQLBULK_ASSERT_OK_AND_ASSIGN(ParquetSchema micros, MakeParquetSchema(schema, mapping));
  EXPECT_EQ(micros.elements[3].converted_type, ConvertedType::kTimeMicros);
  EXPECT_EQ(micros.leaves[2].form, LeafForm::kInt64Micros);
}

TEST(ParquetSchemaTest, EmptyNamesAreRefused) {
  data::Schema schema{{Field{"", LogicalType::Int32()}}};
  EXPECT_THAT(MakeParquetSchema(schema, {}),
              ::testing::AllOf(testing::IsError(ErrorCode::kInvalidArgument), testing::HasMessage("empty name")));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
