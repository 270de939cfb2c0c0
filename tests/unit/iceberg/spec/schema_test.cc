// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/spec/schema.h"

#include <gtest/gtest.h>

namespace cqlbulk::iceberg {
namespace {

Schema Orders() {
  Schema schema;
  schema.fields = {
      NestedField::Required(1, "id", Type::Long()),
      NestedField::Optional(
          2, "address",
          Type::Struct({NestedField::Optional(4, "street", Type::String()),
                        NestedField::Optional(5, "tags", Type::List(7, Type::String(), false))})),
      NestedField::Optional(3, "prices",
                            Type::Map(8, Type::String(), 9, Type::Decimal(9, 2), false))};
  schema.identifier_field_ids = {1};
  return schema;
}

TEST(IcebergSchemaTest, NamesTypesAsTheSpecSpellsThem) {
  EXPECT_EQ(Type::Decimal(9, 2)->ToString(), "decimal(9,2)");
  EXPECT_EQ(Type::Fixed(16)->ToString(), "fixed[16]");
  EXPECT_EQ(Type::TimestampTz()->ToString(), "timestamptz");
  EXPECT_EQ(Type::Map(1, Type::String(), 2, Type::Long(), true)->ToString(),
            "map<string, long>");
  EXPECT_EQ(Type::Int(), Type::Int());  // shared instances
  EXPECT_NE(*Type::Decimal(9, 2), *Type::Decimal(9, 3));
  EXPECT_EQ(*Type::List(3, Type::Int(), true), *Type::List(3, Type::Int(), true));
  EXPECT_NE(*Type::List(3, Type::Int(), true), *Type::List(3, Type::Int(), false));
}

TEST(IcebergSchemaTest, FindsFieldsByIdAndDottedName) {
  Schema schema = Orders();
  ASSERT_NE(schema.FindField(7), nullptr);
  EXPECT_EQ(schema.FindField(7)->name, "element");
  EXPECT_EQ(schema.FindField(9)->type->ToString(), "decimal(9,2)");
  EXPECT_EQ(schema.FindField(6), nullptr);
  EXPECT_EQ(schema.FindField("address.street")->id, 4);
  EXPECT_EQ(schema.FindField("address.tags.element")->id, 7);
  EXPECT_EQ(schema.FindField("prices.value")->id, 9);
  EXPECT_EQ(schema.FindField("address.nope"), nullptr);
  EXPECT_EQ(schema.FindField("id.x"), nullptr);
  EXPECT_EQ(schema.HighestFieldId(), 9);
  EXPECT_EQ(Schema{}.HighestFieldId(), 0);
}

}  // namespace
}  // namespace cqlbulk::iceberg
