// SPDX-License-Identifier: Apache-2.0
// spec/type_mapping.cc: the CQL → Iceberg table (README.md, "Iceberg types") written out by
// hand, field ids as Java numbers them, the Parquet schema's ids and types, and the reverse.
// The referee (pyarrow and PyIceberg on a file our writer writes) is
// type_mapping_interop_test.py.
#include "cqlbulk/iceberg/spec/type_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using data::Field;
using data::LogicalType;
using formats::parquet::TimeUnit;

// Every CQL type, as ops/ maps it to logical types.
data::Schema EveryCqlType() {
  data::LogicalTypePtr address =
      LogicalType::Struct({Field{"street", LogicalType::String()}, Field{"zip", LogicalType::Int32()}},
                          "address");
  return data::Schema{{
      Field{"id", LogicalType::Int32()},
      Field{"ck", LogicalType::TimeUuid()},
      Field{"ti", LogicalType::Int8()},
      Field{"si", LogicalType::Int16()},
      Field{"bi", LogicalType::Int64()},
      Field{"cnt", LogicalType::Counter()},
      Field{"vi", LogicalType::BigInteger()},
      Field{"dec", LogicalType::Decimal()},
      Field{"f", LogicalType::Float32()},
      Field{"d", LogicalType::Float64()},
      Field{"b", LogicalType::Boolean()},
      Field{"t", LogicalType::String()},
      Field{"a", LogicalType::Ascii()},
      Field{"bl", LogicalType::Binary()},
      Field{"u", LogicalType::Uuid()},
      Field{"dt", LogicalType::Date()},
      Field{"tm", LogicalType::Time()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"du", LogicalType::Duration()},
      Field{"ip", LogicalType::Inet()},
      Field{"l", LogicalType::List(LogicalType::Int32())},
      Field{"s", LogicalType::Set(LogicalType::String())},
      Field{"m", LogicalType::Map(LogicalType::String(), LogicalType::Int64())},
      Field{"tup", LogicalType::Tuple({LogicalType::Int32(), LogicalType::String()})},
      Field{"ad", address},
      Field{"vec", LogicalType::Vector(LogicalType::Float32(), 3)},
      Field{"nest", LogicalType::Map(LogicalType::String(),
                                     LogicalType::List(LogicalType::Set(LogicalType::Int32())))},
  }};
}

NestedField Opt(int32_t id, const char* name, TypePtr type) {
  return NestedField::Optional(id, name, std::move(type));
}

// The Iceberg schema of EveryCqlType() with the key (id, ck), by the README's table. Ids: the
// 27 columns 1..27, then what they hold in order (Java's AssignFreshIds), then the duration's
// three fields after the highest (the Parquet writer's numbering of the group's leaves).
Schema ExpectedIceberg() {
  Schema s;
  s.fields = {
      NestedField::Required(1, "id", Type::Int()),
      NestedField::Required(2, "ck", Type::Uuid()),
      Opt(3, "ti", Type::Int()),
      Opt(4, "si", Type::Int()),
      Opt(5, "bi", Type::Long()),
      Opt(6, "cnt", Type::Long()),
      Opt(7, "vi", Type::String()),
      Opt(8, "dec", Type::String()),
      Opt(9, "f", Type::Float()),
      Opt(10, "d", Type::Double()),
      Opt(11, "b", Type::Boolean()),
      Opt(12, "t", Type::String()),
      Opt(13, "a", Type::String()),
      Opt(14, "bl", Type::Binary()),
      Opt(15, "u", Type::Uuid()),
      Opt(16, "dt", Type::Date()),
      Opt(17, "tm", Type::Long()),
      Opt(18, "ts", Type::TimestampTz()),
      Opt(19, "du", Type::Struct({NestedField::Required(41, "months", Type::Int()),
                                  NestedField::Required(42, "days", Type::Int()),
                                  NestedField::Required(43, "nanoseconds", Type::Long())})),
      Opt(20, "ip", Type::String()),
      Opt(21, "l", Type::List(28, Type::Int(), false)),
      Opt(22, "s", Type::List(29, Type::String(), false)),
      Opt(23, "m", Type::Map(30, Type::String(), 31, Type::Long(), false)),
      Opt(24, "tup", Type::Struct({Opt(32, "_1", Type::Int()), Opt(33, "_2", Type::String())})),
      Opt(25, "ad", Type::Struct({Opt(34, "street", Type::String()), Opt(35, "zip", Type::Int())})),
      Opt(26, "vec", Type::List(36, Type::Float(), true)),
      Opt(27, "nest",
          Type::Map(37, Type::String(), 38,
                    Type::List(39, Type::List(40, Type::Int(), false), false), false)),
  };
  s.identifier_field_ids = {1, 2};
  return s;
}

const std::vector<std::string> kKey = {"id", "ck"};

TEST(IcebergTypeMappingTest, MapsEveryCqlTypeByTheTable) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping mapping, MapToIceberg(EveryCqlType(), kKey));

  Schema expected = ExpectedIceberg();
  ASSERT_EQ(mapping.schema.fields.size(), expected.fields.size());
  for (size_t i = 0; i < expected.fields.size(); ++i) {
    EXPECT_EQ(mapping.schema.fields[i], expected.fields[i])
        << mapping.schema.fields[i].name << ": " << mapping.schema.fields[i].type->ToString();
  }
  EXPECT_EQ(mapping.schema.identifier_field_ids, expected.identifier_field_ids);
  EXPECT_TRUE(mapping.key_columns_not_identifiers.empty());
  EXPECT_EQ(mapping.parquet.timestamp_unit, TimeUnit::kMicros);
  EXPECT_EQ(mapping.parquet.time_unit, TimeUnit::kNanos);
  EXPECT_TRUE(mapping.parquet.plain_time_nanos);
  EXPECT_TRUE(mapping.parquet.plain_small_integers);
  EXPECT_FALSE(mapping.parquet.decimal_precision.has_value());
  EXPECT_FALSE(mapping.parquet.big_integer_as_decimal);
}

TEST(IcebergTypeMappingTest, DataSchemaCarriesTheIdsAndTheKeysNullability) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping mapping, MapToIceberg(EveryCqlType(), kKey));

  const data::Schema& d = mapping.data_schema;
  ASSERT_EQ(d.fields.size(), 27u);
  EXPECT_FALSE(d.fields[0].nullable);
  EXPECT_FALSE(d.fields[1].nullable);
  EXPECT_TRUE(d.fields[2].nullable);
  EXPECT_EQ(d.fields[1].type->is_time_based(), true);  // types keep their flags
  EXPECT_EQ(d.fields[5].type->is_counter(), true);
  EXPECT_EQ(d.fields[22].type->key().field_id, 30);
  EXPECT_EQ(d.fields[22].type->value().field_id, 31);
  EXPECT_EQ(d.fields[24].type->name(), "address");
  EXPECT_EQ(d.fields[24].type->fields()[1].field_id, 35);
  EXPECT_EQ(d.fields[25].type->dimension(), 3);
  EXPECT_EQ(d.fields[25].type->element().field_id, 36);
  EXPECT_EQ(d.fields[26].type->value().type->element().type->element().field_id, 40);
  for (size_t i = 0; i < d.fields.size(); ++i) {
    EXPECT_EQ(d.fields[i].field_id, static_cast<int32_t>(i + 1));
  }
}

// What the Parquet writer makes of the data schema: every element's id is the Iceberg field's
// at the same path, and the physical types are those the Iceberg spec's Parquet table asks for.
TEST(IcebergTypeMappingTest, ParquetSchemaHasTheIcebergIdsAndTypes) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping mapping, MapToIceberg(EveryCqlType(), kKey));

  CQLBULK_ASSERT_OK_AND_ASSIGN(formats::parquet::ParquetSchema parquet,
                               formats::parquet::MakeParquetSchema(mapping.data_schema,
                                                                   mapping.parquet));

  // Walk the elements depth first, keeping the path without the repeated middle levels.
  using formats::parquet::SchemaElement;
  std::map<std::string, const SchemaElement*> by_path;
  std::vector<std::pair<std::string, int32_t>> stack;  // path, children left
  for (size_t i = 1; i < parquet.elements.size(); ++i) {
    const SchemaElement& e = parquet.elements[i];
    while (!stack.empty() && stack.back().second == 0) stack.pop_back();
    std::string parent = stack.empty() ? "" : stack.back().first;
    if (!stack.empty()) --stack.back().second;
    bool middle = e.repetition_type == formats::parquet::Repetition::kRepeated;
    std::string path = middle ? parent : (parent.empty() ? e.name : parent + "." + e.name);
    if (!middle) by_path[path] = &e;
    if (e.num_children && *e.num_children > 0) stack.emplace_back(path, *e.num_children);
  }
  Schema expected = ExpectedIceberg();
  size_t checked = 0;
  for (const auto& [path, element] : by_path) {
    const NestedField* field = expected.FindField(std::string_view(path));
    ASSERT_NE(field, nullptr) << path;
    EXPECT_EQ(element->field_id, field->id) << path;
    EXPECT_EQ(element->repetition_type == formats::parquet::Repetition::kRequired,
              field->required)
        << path;
    ++checked;
  }
  EXPECT_EQ(checked, 43u);  // every field of the Iceberg schema
  using formats::parquet::LogicalTypeAnnotation;
  using formats::parquet::PhysicalType;
  EXPECT_EQ(by_path["ti"]->logical_type.kind, LogicalTypeAnnotation::Kind::kNone);
  EXPECT_EQ(by_path["si"]->logical_type.kind, LogicalTypeAnnotation::Kind::kNone);
  EXPECT_EQ(by_path["tm"]->logical_type.kind, LogicalTypeAnnotation::Kind::kNone);
  EXPECT_EQ(by_path["tm"]->type, PhysicalType::kInt64);
  EXPECT_EQ(by_path["ts"]->logical_type.unit, TimeUnit::kMicros);
  EXPECT_TRUE(by_path["ts"]->logical_type.is_adjusted_to_utc);
  EXPECT_EQ(by_path["u"]->type, PhysicalType::kFixedLenByteArray);
  EXPECT_EQ(by_path["u"]->type_length, 16);
  EXPECT_EQ(by_path["ck"]->type_length, 16);
}

TEST(IcebergTypeMappingTest, LossyOptions) {
  TypeMappingOptions options;
  options.time_as_time = true;
  options.decimal_precision = 20;
  options.decimal_scale = 4;
  options.varint_as_decimal = true;

  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping mapping,
                               MapToIceberg(EveryCqlType(), kKey, options));

  EXPECT_EQ(*mapping.schema.FindField(std::string_view("tm"))->type, *Type::Time());
  EXPECT_EQ(*mapping.schema.FindField(std::string_view("dec"))->type, *Type::Decimal(20, 4));
  EXPECT_EQ(*mapping.schema.FindField(std::string_view("vi"))->type, *Type::Decimal(38, 0));
  EXPECT_EQ(mapping.parquet.time_unit, TimeUnit::kMicros);
  EXPECT_EQ(mapping.parquet.decimal_precision, 20);
  EXPECT_EQ(mapping.parquet.decimal_scale, 4);
  EXPECT_TRUE(mapping.parquet.big_integer_as_decimal);
  // A decimal with a fixed scale is exact whatever the options say.
  data::Schema fixed{{Field{"x", LogicalType::Decimal(9, 2)}}};
  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping f, MapToIceberg(fixed, {}, options));
  EXPECT_EQ(*f.schema.fields[0].type, *Type::Decimal(9, 2));
}

TEST(IcebergTypeMappingTest, KeysThatCannotIdentifyLeaveNoIdentifierFields) {
  data::Schema schema{{Field{"a", LogicalType::Int32()}, Field{"b", LogicalType::Float64()},
                       Field{"c", LogicalType::List(LogicalType::Int32())}}};
  std::vector<std::string> key = {"a", "b", "c"};

  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping mapping, MapToIceberg(schema, key));

  EXPECT_TRUE(mapping.schema.identifier_field_ids.empty());
  EXPECT_THAT(mapping.key_columns_not_identifiers, ::testing::ElementsAre("b", "c"));
  EXPECT_TRUE(mapping.schema.fields[1].required);
  EXPECT_TRUE(mapping.schema.fields[2].required);
}

TEST(IcebergTypeMappingTest, Errors) {
  data::Schema schema{{Field{"a", LogicalType::Int32()}, Field{"b", LogicalType::Int32()}}};
  std::vector<std::string> unknown = {"z"};
  std::vector<std::string> twice = {"a", "a"};
  data::Schema dup{{Field{"a", LogicalType::Int32()}, Field{"a", LogicalType::Int64()}}};

  EXPECT_THAT(MapToIceberg(schema, unknown), HasMessage("primary key column z is not a column"));
  EXPECT_THAT(MapToIceberg(schema, twice), HasMessage("primary key column a is named twice"));
  EXPECT_THAT(MapToIceberg(dup, {}), HasMessage("column a appears twice"));
  TypeMappingOptions options;
  options.decimal_precision = 39;
  EXPECT_THAT(MapToIceberg(schema, {}, options), HasMessage("precision must be 1..38"));
  options.decimal_precision = 5;
  options.decimal_scale = 6;
  EXPECT_THAT(MapToIceberg(schema, {}, options), HasMessage("decimal(5, 6)"));
}

TEST(IcebergTypeMappingTest, ReadsIcebergSchemasBack) {
  Schema schema;
  schema.fields = {
      NestedField::Required(1, "id", Type::Long()),
      Opt(2, "price", Type::Decimal(9, 2)),
      Opt(3, "ts", Type::Timestamp()),
      Opt(4, "tstz", Type::TimestampTz()),
      Opt(5, "fx", Type::Fixed(4)),
      Opt(6, "m", Type::Map(8, Type::String(), 9, Type::List(10, Type::Uuid(), true), true)),
      Opt(7, "s", Type::Struct({NestedField::Required(11, "t", Type::Time())})),
  };

  data::Schema d = DataSchemaFromIceberg(schema);

  data::Schema expected{{
      Field{"id", LogicalType::Int64(), false, 1},
      Field{"price", LogicalType::Decimal(9, 2), true, 2},
      Field{"ts", LogicalType::Timestamp(), true, 3},
      Field{"tstz", LogicalType::Timestamp(), true, 4},
      Field{"fx", LogicalType::Binary(), true, 5},
      Field{"m",
            LogicalType::Map(Field{"key", LogicalType::String(), false, 8},
                             Field{"value",
                                   LogicalType::List(Field{"element", LogicalType::Uuid(), false, 10}),
                                   false, 9}),
            true, 6},
      Field{"s", LogicalType::Struct({Field{"t", LogicalType::Time(), false, 11}}), true, 7},
  }};
  EXPECT_EQ(d, expected) << d.ToString() << "\nexpected\n" << expected.ToString();
  // And back: the same Iceberg schema but for what Iceberg has and CQL has not.
  TypeMappingOptions options;
  options.time_as_time = true;
  CQLBULK_ASSERT_OK_AND_ASSIGN(IcebergMapping again,
                               MapToIceberg(d, std::vector<std::string>{"id"}, options));
  EXPECT_EQ(again.schema.fields[1], schema.fields[1]);
  EXPECT_EQ(again.schema.fields[5].type->ToString(), schema.fields[5].type->ToString());
}

}  // namespace
}  // namespace cqlbulk::iceberg
