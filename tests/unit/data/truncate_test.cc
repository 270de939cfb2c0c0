// SPDX-License-Identifier: Apache-2.0
// ColumnBuilder::Truncate and BatchBuilder::Truncate: a reader rolls back a half-appended
// record, and what is built afterwards is exactly what it would have been without it.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;

SchemaPtr Columns(std::vector<LogicalTypePtr> types) {
  auto schema = std::make_shared<Schema>();
  for (size_t i = 0; i < types.size(); ++i) {
    schema->fields.push_back(Field{.name = "c" + std::to_string(i), .type = types[i]});
  }
  return schema;
}

std::string Rows(const Batch& batch) {
  std::string out;
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    out += DebugString(batch, row) + "\n";
  }
  return out;
}

TEST(TruncateTest, DropsScalarRowsAndKeepsNullsConsistent) {
  BatchBuilder builder(Columns({T::Int32(), T::String(), T::Decimal()}), 0);
  for (int i = 0; i < 10; ++i) {
    if (i % 3 == 0) {
      builder.column(0).AppendNull();
    } else {
      builder.column(0).AppendInt32(i);
    }
    builder.column(1).AppendString(std::string(static_cast<size_t>(i), 'x'));
    uint8_t unscaled = static_cast<uint8_t>(i);
    builder.column(2).AppendDecimal(BytesView(&unscaled, 1), i);
  }

  builder.Truncate(4);
  builder.column(0).AppendInt32(40);
  builder.column(1).AppendString("y");
  builder.column(2).AppendNull();
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  ASSERT_EQ(batch.num_rows(), 5u);
  EXPECT_EQ(batch.column(0).null_count(), 2u);
  EXPECT_TRUE(batch.column(0).IsNull(3));
  EXPECT_FALSE(batch.column(0).IsNull(4));
  EXPECT_EQ(batch.column(0).Int32(4), 40);
  EXPECT_EQ(batch.column(1).String(3), "xxx");
  EXPECT_EQ(batch.column(1).String(4), "y");
  EXPECT_EQ(batch.column(2).DecimalScale(3), 3);
  EXPECT_EQ(batch.column(2).null_count(), 1u);
  EXPECT_EQ(batch.column(2).offsets().size(), 6u);
}

TEST(TruncateTest, ClearsValidityBitsOfDroppedRowsInThePartialByte) {
  BatchBuilder builder(Columns({T::Int64()}), 0);
  builder.column(0).AppendNull();
  builder.column(0).AppendInt64(1);
  builder.column(0).AppendInt64(2);  // bit 2 set, then dropped

  builder.Truncate(2);
  builder.column(0).AppendNull();  // row 2 again: must read as null
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  EXPECT_EQ(Rows(batch), "(null)\n(1)\n(null)\n");
  EXPECT_EQ(batch.column(0).null_count(), 2u);
}

TEST(TruncateTest, DropsUnfinishedNestedValues) {
  auto point = T::Struct({Field{.name = "x", .type = T::Int32()}}, "point");
  BatchBuilder builder(
      Columns({T::List(T::Int32()), T::Map(T::String(), point), T::Vector(T::Float32(), 2),
               T::Tuple({T::Int32(), T::String()})}),
      0);
  // Row 0: complete.
  ColumnBuilder& list = builder.column(0);
  ColumnBuilder& map = builder.column(1);
  ColumnBuilder& vec = builder.column(2);
  ColumnBuilder& tuple = builder.column(3);
  list.BeginList();
  list.child().AppendInt32(1);
  list.EndList();
  map.BeginList();
  map.map_keys().AppendString("a");
  map.map_values().child(0).AppendInt32(7);
  map.map_values().AppendStructValid();
  map.EndList();
  vec.BeginList();
  vec.child().AppendFloat32(1);
  vec.child().AppendFloat32(2);
  vec.EndList();
  tuple.child(0).AppendInt32(5);
  tuple.child(1).AppendString("five");
  tuple.AppendStructValid();
  // Row 1: complete in the list, half-built everywhere else, then rolled back.
  list.BeginList();
  list.child().AppendInt32(2);
  list.child().AppendNull();
  list.EndList();
  map.BeginList();
  map.map_keys().AppendString("b");
  map.map_values().child(0).AppendInt32(8);
  vec.BeginList();
  vec.child().AppendFloat32(3);
  tuple.child(0).AppendInt32(6);

  builder.Truncate(1);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  ASSERT_EQ(batch.num_rows(), 1u);
  EXPECT_EQ(Rows(batch), "([1], {'a': {x: 7}}, [1, 2], {_1: 5, _2: 'five'})\n");
  EXPECT_EQ(batch.column(0).child().num_rows(), 1u);
  EXPECT_EQ(batch.column(1).map_keys().num_rows(), 1u);
  EXPECT_EQ(batch.column(2).child().num_rows(), 2u);
  EXPECT_EQ(batch.column(3).child(1).num_rows(), 1u);
}

TEST(TruncateTest, AtLengthOnlyDropsDanglingChildren) {
  BatchBuilder builder(Columns({T::Set(T::String())}), 0);
  builder.column(0).BeginList();
  builder.column(0).child().AppendString("kept");
  builder.column(0).EndList();
  builder.column(0).BeginList();
  builder.column(0).child().AppendString("dangling");

  builder.Truncate(1);
  builder.Truncate(5);  // past the length: nothing more to drop
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  EXPECT_EQ(Rows(batch), "({'kept'})\n");
}

TEST(TruncateTest, ToZeroThenReuse) {
  BatchBuilder builder(Columns({T::Boolean(), T::Uuid()}), 4);
  builder.column(0).AppendNull();
  builder.column(1).AppendNull();

  builder.Truncate(0);
  builder.column(0).AppendBoolean(true);
  builder.column(1).AppendUuid(Uuid{});
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  EXPECT_EQ(batch.column(0).null_count(), 0u);
  EXPECT_EQ(batch.column(1).null_count(), 0u);
  EXPECT_TRUE(batch.column(0).Boolean(0));
}

}  // namespace
}  // namespace cqlbulk::data
