// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/logical_type.h"

#include <gtest/gtest.h>

#include "cqlbulk/data/schema.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;

TEST(LogicalTypeTest, PrimitivesPrintTheirKindAndFlags) {
  EXPECT_EQ(T::Int32()->ToString(), "int32");
  EXPECT_EQ(T::BigInteger()->ToString(), "big_integer");
  EXPECT_EQ(T::Ascii()->ToString(), "string(ascii)");
  EXPECT_EQ(T::TimeUuid()->ToString(), "uuid(time_based)");
  EXPECT_EQ(T::Counter()->ToString(), "int64(counter)");
  EXPECT_EQ(T::Decimal()->ToString(), "decimal");
  EXPECT_EQ(T::Decimal(38, 9)->ToString(), "decimal(38, 9)");
}

TEST(LogicalTypeTest, FlagsBelongToTheirKindOnly) {
  EXPECT_TRUE(T::Ascii()->is_ascii());
  EXPECT_FALSE(T::String()->is_ascii());
  EXPECT_TRUE(T::TimeUuid()->is_time_based());
  EXPECT_FALSE(T::TimeUuid()->is_ascii());
  EXPECT_TRUE(T::Counter()->is_counter());
  EXPECT_EQ(T::Counter()->kind(), TypeKind::kInt64);
  EXPECT_NE(*T::Counter(), *T::Int64());
  EXPECT_NE(*T::Ascii(), *T::String());
}

TEST(LogicalTypeTest, NestedTypesPrintTheirChildren) {
  EXPECT_EQ(T::List(T::Int32())->ToString(), "list<int32>");
  EXPECT_EQ(T::Set(T::String())->ToString(), "set<string>");
  EXPECT_EQ(T::Map(T::String(), T::Float64())->ToString(), "map<string, float64>");
  EXPECT_EQ(T::Vector(T::Float32(), 3)->ToString(), "vector<float32, 3>");
  EXPECT_EQ(T::Tuple({T::Int32(), T::String()})->ToString(), "struct<_1: int32, _2: string>");
  auto udt = T::Struct({Field{.name = "street", .type = T::String(), .nullable = false},
                        Field{.name = "zip", .type = T::Int32(), .field_id = 7}},
                       "address");
  EXPECT_EQ(udt->ToString(), "struct address<street: string not null, zip: int32 id=7>");
  EXPECT_EQ(udt->name(), "address");
}

TEST(LogicalTypeTest, MapIsAListOfKeyValueStructs) {
  auto map = T::Map(T::String(), T::Int32());

  ASSERT_EQ(map->fields().size(), 1u);
  const Field& entries = map->fields()[0];
  EXPECT_EQ(entries.name, "entries");
  EXPECT_FALSE(entries.nullable);
  EXPECT_EQ(entries.type->kind(), TypeKind::kStruct);
  EXPECT_EQ(map->key().name, "key");
  EXPECT_FALSE(map->key().nullable);
  EXPECT_EQ(*map->key().type, *T::String());
  EXPECT_EQ(map->value().name, "value");
  EXPECT_TRUE(map->value().nullable);
}

TEST(LogicalTypeTest, EqualityIsDeep) {
  EXPECT_EQ(*T::List(T::Map(T::String(), T::Int32())), *T::List(T::Map(T::String(), T::Int32())));
  EXPECT_NE(*T::List(T::Int32()), *T::Set(T::Int32()));
  EXPECT_NE(*T::List(T::Int32()), *T::List(T::Int64()));
  EXPECT_NE(*T::Vector(T::Float32(), 3), *T::Vector(T::Float32(), 4));
  EXPECT_NE(*T::Struct({Field{.name = "a", .type = T::Int32()}}, "u"),
            *T::Struct({Field{.name = "a", .type = T::Int32()}}, "v"));
  EXPECT_NE(*T::Decimal(), *T::Decimal(10, 2));
}

TEST(LogicalTypeTest, FixedWidths) {
  EXPECT_EQ(T::Boolean()->fixed_width(), 1);
  EXPECT_EQ(T::Date()->fixed_width(), 4);
  EXPECT_EQ(T::Timestamp()->fixed_width(), 8);
  EXPECT_EQ(T::Uuid()->fixed_width(), 16);
  EXPECT_EQ(T::Duration()->fixed_width(), 16);
  EXPECT_EQ(T::String()->fixed_width(), 0);
  EXPECT_EQ(T::Decimal()->fixed_width(), 0);
}

TEST(SchemaTest, FindsFieldsByName) {
  Schema schema{{Field{.name = "id", .type = T::Int64(), .nullable = false, .field_id = 1},
                 Field{.name = "name", .type = T::String(), .field_id = 2}}};

  EXPECT_EQ(schema.FieldIndex("name"), 1u);
  EXPECT_EQ(schema.FieldIndex("missing"), std::nullopt);
  ASSERT_NE(schema.FindField("id"), nullptr);
  EXPECT_EQ(schema.FindField("id")->field_id, 1);
  EXPECT_EQ(schema.ToString(), "id: int64 not null id=1\nname: string id=2\n");
}

}  // namespace
}  // namespace cqlbulk::data
